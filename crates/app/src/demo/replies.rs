//! Demo canned replies and macros, each in Vietnamese, Polish and English.
//!
//! Polish greetings avoid the customer's first name: Polish addresses people
//! in the vocative ("Pani Anno"), which a placeholder holding the nominative
//! cannot give, so the Polish texts open with a plain "Dzień dobry,".

use super::setup::Directory;
use rapport_domain::canned::LocalizedText;
use rapport_domain::{Actor, Locale, MessageKind, Priority, TicketStatus};
use rapport_store::replies::{CannedReplyInput, MacroAction, MacroInput};
use rapport_store::Store;

fn texts(vi: &str, pl: &str, en: &str) -> LocalizedText {
    [(Locale::Vi, vi), (Locale::Pl, pl), (Locale::En, en)].into_iter().map(|(l, t)| (l, t.to_string())).collect()
}

const GREETING: [&str; 3] = [
    "Dạ, chào anh/chị {{contact.first_name}}.\n\nCảm ơn anh/chị đã liên hệ {{brand.name}}. Em là {{agent.first_name}}, em sẽ hỗ trợ anh/chị \
     với yêu cầu #{{ticket.id}} ạ.",
    "Dzień dobry,\n\ndziękujemy za kontakt z zespołem {{brand.name}}. Nazywam się {{agent.name}} i zajmę się zgłoszeniem nr {{ticket.id}}.",
    "Hi {{contact.first_name}},\n\nThank you for contacting {{brand.name}}. I'm {{agent.first_name}} and I'll be looking after your request #{{ticket.id}}.",
];

const DETAILS: [&str; 3] = [
    "Dạ, để hỗ trợ anh/chị nhanh hơn, anh/chị vui lòng cho em biết thêm:\n- mã đơn hàng hoặc số IMEI của máy,\n- ảnh chụp màn hình lỗi (nếu có).\n\n\
     Em cảm ơn anh/chị ạ.\n{{agent.name}} – {{brand.name}}",
    "Dzień dobry,\n\nabyśmy mogli szybciej pomóc, prosimy o przesłanie:\n- numeru zamówienia lub numeru seryjnego urządzenia,\n\
     - zrzutu ekranu z komunikatem błędu (jeśli się pojawia).\n\nPozdrawiamy,\n{{agent.name}}\n{{brand.name}}",
    "Hi {{contact.first_name}},\n\nTo help you faster, could you send us:\n- your order number or the device's serial number,\n\
     - a screenshot of the error message, if there is one?\n\nThanks,\n{{agent.name}}, {{brand.name}}",
];

const SOLVED: [&str; 3] = [
    "Dạ, yêu cầu #{{ticket.id}} của anh/chị đã được xử lý xong. Nếu còn vấn đề gì, anh/chị chỉ cần trả lời email này, em sẽ hỗ trợ tiếp ạ.\n\n\
     Trân trọng,\n{{agent.name}} – {{brand.name}}",
    "Dzień dobry,\n\nzgłoszenie nr {{ticket.id}} zostało rozwiązane. Jeśli problem powróci, wystarczy odpowiedzieć na tę wiadomość, \
     a wrócimy do sprawy.\n\nPozdrawiamy,\n{{agent.name}}\n{{brand.name}}",
    "Hi {{contact.first_name}},\n\nYour request #{{ticket.id}} is resolved. If anything else comes up, just reply to this email and we'll \
     pick it up again.\n\nBest regards,\n{{agent.name}}, {{brand.name}}",
];

const REFUND: [&str; 3] = [
    "Dạ, {{brand.name}} đã tiếp nhận yêu cầu hoàn tiền cho đơn hàng của anh/chị. Số tiền sẽ được hoàn về tài khoản trong vòng \
     5–7 ngày làm việc. Em sẽ báo lại ngay khi giao dịch hoàn tất ạ.\n\n{{agent.name}}",
    "Dzień dobry,\n\nprzyjęliśmy wniosek o zwrot pieniędzy. Środki wrócą na konto w ciągu 5–7 dni roboczych. Damy znać, gdy przelew \
     zostanie zlecony.\n\nPozdrawiamy,\n{{agent.name}}\n{{brand.name}}",
    "Hi {{contact.first_name}},\n\nWe've accepted your refund request. The money will be back in your account within 5–7 business days, \
     and we'll let you know as soon as the transfer is made.\n\n{{agent.name}}, {{brand.name}}",
];

const HANDOVER_NOTE: [&str; 3] = [
    "Đã chuyển sang bộ phận thanh toán để kiểm tra hóa đơn và giao dịch. ({{agent.name}})",
    "Przekazano do zespołu rozliczeń do sprawdzenia faktury i płatności. ({{agent.name}})",
    "Handed over to billing to check the invoice and the payment. ({{agent.name}})",
];

fn of(t: [&str; 3]) -> LocalizedText {
    texts(t[0], t[1], t[2])
}

/// Counts of what was created: (canned replies, macros).
pub async fn create(store: &dyn Store, sys: &Actor, dir: &Directory) -> anyhow::Result<(usize, usize)> {
    let shared = [
        ("Lời chào · Powitanie · Greeting", "greeting", GREETING),
        ("Xin thêm thông tin · Prośba o szczegóły · More details", "details", DETAILS),
        ("Đã giải quyết · Rozwiązane · Resolved", "solved", SOLVED),
        ("Hoàn tiền · Zwrot pieniędzy · Refund", "refund", REFUND),
    ];
    for (name, shortcut, bodies) in shared {
        let input = CannedReplyInput { name: name.into(), shortcut: Some(shortcut.into()), bodies: of(bodies), shared: true };
        store.create_canned_reply(sys, &input).await?;
    }
    // A personal signature for the first Polish agent.
    let marta = dir.staff.iter().find(|s| s.user.locale == Locale::Pl && s.user.role == rapport_domain::Role::Agent);
    let mut personal = 0;
    if let Some(m) = marta {
        let bodies: LocalizedText =
            [(Locale::Pl, "Pozdrawiam serdecznie,\n{{agent.name}}\nZespół wsparcia {{brand.name}}".to_string())].into_iter().collect();
        let input = CannedReplyInput { name: "Mój podpis".into(), shortcut: Some("podpis".into()), bodies, shared: false };
        store.create_canned_reply(&m.actor, &input).await?;
        personal = 1;
    }

    let macros = [
        MacroInput {
            name: "Chờ khách phản hồi · Czekamy na klienta · Waiting for the customer".into(),
            actions: vec![
                MacroAction::Reply { kind: MessageKind::Public, bodies: of(DETAILS) },
                MacroAction::SetStatus { status: TicketStatus::Pending },
                MacroAction::AddTags { tags: vec!["awaiting-details".into()] },
            ],
        },
        MacroInput {
            name: "Giải quyết · Rozwiąż · Solve".into(),
            actions: vec![
                MacroAction::Reply { kind: MessageKind::Public, bodies: of(SOLVED) },
                MacroAction::SetStatus { status: TicketStatus::Solved },
                MacroAction::RemoveTags { tags: vec!["awaiting-details".into()] },
            ],
        },
        MacroInput {
            name: "Chuyển bộ phận thanh toán · Przekaż do rozliczeń · Escalate to billing".into(),
            actions: vec![
                MacroAction::Reply { kind: MessageKind::Note, bodies: of(HANDOVER_NOTE) },
                MacroAction::AssignTeam { team_id: Some(dir.billing_team) },
                MacroAction::AssignUser { user_id: None },
                MacroAction::SetPriority { priority: Priority::High },
                MacroAction::AddTags { tags: vec!["billing".into()] },
            ],
        },
    ];
    for m in &macros {
        store.create_macro(sys, m).await?;
    }
    Ok((shared.len() + personal, macros.len()))
}
