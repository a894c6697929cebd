//! Trimming quoted history and signatures from a reply, for display.
//!
//! Mail clients paste the whole thread under (or above) a reply. Agents need
//! only the new part, so [`trim`] removes, in English, Polish and Vietnamese:
//!
//! - lines quoted with `>` (wherever they are, so inline replies survive);
//! - attribution lines such as `On <date>, <someone> wrote:`,
//!   `W dniu <date>, <someone> pisze:`, `<date> <someone> napisał(a):`,
//!   `Vào <date>, <someone> đã viết:` (Gmail wraps them over 2–3 lines);
//!   when the history below one is not `>`-quoted (HTML mail turned into
//!   text), everything from the attribution on goes;
//! - Outlook separators (`-----Original Message-----`,
//!   `-----Wiadomość oryginalna-----`) and Outlook header blocks
//!   (`From:` / `Od:` / `Từ:` followed by `Sent:` / `Wysłano:` / `Đã gửi:`...),
//!   with everything after them;
//! - everything from a signature delimiter (`-- `) on;
//! - everything from a mobile signature (`Sent from my iPhone`,
//!   `Wysłane z iPhone'a`, `Gửi từ iPhone của tôi`...) on.
//!
//! The full text is always kept elsewhere; if trimming would leave nothing,
//! the original text is returned (trimmed).

/// How attribution lines begin, lowercased.
const ATTRIBUTION_INTROS: &[&str] = &["on ", "w dniu ", "dnia ", "vào "];

/// How attribution lines end, lowercased.
const ATTRIBUTION_VERBS: &[&str] = &["wrote:", "writes:", "pisze:", "napisał(a):", "napisał:", "napisała:", "napisali:", "viết:"];

/// The text between the dashes of an Outlook-style separator, lowercased.
const SEPARATORS: &[&str] = &["original message", "wiadomość oryginalna", "oryginalna wiadomość", "thư gốc", "tin nhắn gốc"];

/// First line of an Outlook header block, lowercased.
const FROM_LABELS: &[&str] = &["from:", "od:", "từ:"];

/// A line that must follow [`FROM_LABELS`] closely for it to be a header block.
const SENT_LABELS: &[&str] = &["sent:", "date:", "wysłano:", "wysłane:", "data:", "đã gửi:", "ngày:", "ngày gửi:"];

/// How mobile signatures begin, lowercased.
const MOBILE_SIGNATURES: &[&str] = &[
    "sent from my ",
    "sent from outlook",
    "sent from mail for windows",
    "sent from yahoo mail",
    "sent from samsung",
    "get outlook for ",
    "wysłane z iphone",
    "wysłano z iphone",
    "wysłane z ipad",
    "wysłane z mojego ",
    "wysłano z mojego ",
    "wysłane z aplikacji ",
    "wysłano z aplikacji ",
    "wysłane z telefonu",
    "wysłano z telefonu",
    "pobierz outlook",
    "gửi từ iphone",
    "gửi từ ipad",
    "gửi từ điện thoại",
    "gửi từ samsung",
    "gửi từ outlook",
    "được gửi từ ",
];

/// Longer lines are prose, not a mobile signature.
const MAX_MOBILE_SIGNATURE_CHARS: usize = 80;

/// The reply without quoted history and signatures (see the module docs).
pub fn trim(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if is_quoted(line) {
            i += 1;
            continue;
        }
        if let Some(span) = attribution(&lines[i..]) {
            // Bottom-posted replies follow `>`-quoted history: drop just the
            // attribution. Unquoted history below it is history all the same.
            let next = lines[i + span..].iter().find(|l| !l.trim().is_empty());
            if next.is_some_and(|l| is_quoted(l)) {
                i += span;
                continue;
            }
            break;
        }
        if is_separator(line) || is_header_block(&lines[i..]) || is_signature(line) {
            break;
        }
        // Removed quotes leave runs of blank lines: keep one.
        if !(line.trim().is_empty() && kept.last().is_some_and(|l| l.trim().is_empty())) {
            kept.push(line);
        }
        i += 1;
    }
    // Rules like "______" often stand just above the cut.
    while kept.last().is_some_and(|l| l.chars().all(|c| c.is_whitespace() || matches!(c, '_' | '-' | '=' | '*'))) {
        kept.pop();
    }
    let out = kept.join("\n");
    let out = out.trim_matches('\n').trim_end();
    if out.trim().is_empty() {
        text.trim().to_string()
    } else {
        out.to_string()
    }
}

fn is_quoted(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// The number of lines (1–3) of an attribution starting at `lines[0]`.
///
/// One line must end with a verb and begin with an intro or hold an address
/// or a date digit ("Here is what she wrote:" is prose). Wrapped ones must
/// begin with an intro or `<`, hold an address and a date, and not end a
/// sentence midway.
fn attribution(lines: &[&str]) -> Option<usize> {
    let mut joined = String::new();
    for (n, line) in lines.iter().take(3).enumerate() {
        let line = line.trim();
        if line.is_empty() || joined.len() > 400 {
            return None;
        }
        if n > 0 {
            if joined.ends_with(['.', '!', '?']) {
                return None;
            }
            joined.push(' ');
        }
        joined.push_str(&line.to_lowercase());
        // "wrote :" with a space is common too (French typography habits).
        let verb_end = match joined.strip_suffix(':') {
            Some(rest) => format!("{}:", rest.trim_end()),
            None => continue,
        };
        if !ATTRIBUTION_VERBS.iter().any(|v| verb_end.ends_with(v)) {
            continue;
        }
        let intro = ATTRIBUTION_INTROS.iter().any(|p| joined.starts_with(p));
        let address = joined.contains('@');
        let digit = joined.chars().any(|c| c.is_ascii_digit());
        // Wrapped without an intro (Gmail in Polish): "<date> <name> <addr>" first.
        let wrapped_address = lines[0].contains('<') && address && digit;
        let ok = if n == 0 { intro || address || digit } else { intro || wrapped_address };
        return ok.then_some(n + 1);
    }
    None
}

/// `-----Original Message-----` and its translations.
fn is_separator(line: &str) -> bool {
    let t = line.trim();
    if !t.starts_with("--") || !t.ends_with("--") {
        return false;
    }
    let inner = t.trim_matches(|c: char| c == '-' || c.is_whitespace()).to_lowercase();
    SEPARATORS.contains(&inner.as_str())
}

/// An Outlook header block: a `From:` line, then a `Sent:` line (or its
/// translation) within the next four lines.
fn is_header_block(lines: &[&str]) -> bool {
    let label = |l: &str| l.trim().trim_start_matches('*').to_lowercase();
    let first = label(lines[0]);
    if !FROM_LABELS.iter().any(|p| first.starts_with(p)) {
        return false;
    }
    lines.iter().skip(1).take(4).any(|l| {
        let l = label(l);
        SENT_LABELS.iter().any(|p| l.starts_with(p))
    })
}

/// The signature delimiter `-- ` (also `--`, as editors strip trailing
/// spaces), or a mobile signature line.
fn is_signature(line: &str) -> bool {
    if line == "-- " || line.trim_end() == "--" {
        return true;
    }
    let t = line.trim();
    if t.chars().count() > MAX_MOBILE_SIGNATURE_CHARS {
        return false;
    }
    let t = t.to_lowercase();
    MOBILE_SIGNATURES.iter().any(|p| t.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn drops_quoted_lines_anywhere() {
        assert_eq!(trim("Yes, please.\n\n> Shall we ship it?\n> Thanks"), "Yes, please.");
        // An inline reply keeps the answers and loses the quotes.
        assert_eq!(trim("> Size?\nM\n > Colour?\nBlue"), "M\nBlue");
        assert_eq!(trim("No.\n\n> a\n\n> b\n\nYes."), "No.\n\nYes.");
    }

    #[test]
    fn english_attribution() {
        let t = "Thanks, it works now.\r\n\r\nOn Mon, 3 Jun 2024 at 10:15, Support <help@rapport.example> wrote:\r\n> Try again.";
        assert_eq!(trim(t), "Thanks, it works now.");
        // Wrapped by Gmail over two lines.
        let t = "Great.\n\nOn Mon, Jun 3, 2024 at 10:15 AM Support Team <\nhelp@rapport.example> wrote:\n\n> Try again.";
        assert_eq!(trim(t), "Great.");
        assert_eq!(trim("Fixed.\n\nOnce upon a time, Anna <anna@example.com> wrote :\n> broken"), "Fixed.");
        // Prose that merely ends with "wrote:" stays.
        assert_eq!(trim("Here is what my manager wrote:\nplease refund it"), "Here is what my manager wrote:\nplease refund it");
    }

    #[test]
    fn unquoted_history_after_attribution_is_cut() {
        let t = "Received, thank you.\nOn 3 June 2024, Support wrote:\nYour parcel left the warehouse.";
        assert_eq!(trim(t), "Received, thank you.");
    }

    #[test]
    fn bottom_posted_reply_survives() {
        let t = "On Tue, 4 Jun 2024, Anna <anna@example.com> wrote:\n> Is it fixed?\n\nYes, since this morning.";
        assert_eq!(trim(t), "Yes, since this morning.");
    }

    #[test]
    fn polish_attributions() {
        let t = "Dziękuję za pomoc.\n\nW dniu 3.06.2024 o 10:15, Obsługa klienta pisze:\n> Proszę spróbować ponownie.";
        assert_eq!(trim(t), "Dziękuję za pomoc.");
        let t = "Działa!\n\npon., 3 cze 2024 o 10:15 Jan Nowak <jan.nowak@example.pl>\nnapisał(a):\n\n> Czy działa?";
        assert_eq!(trim(t), "Działa!");
    }

    #[test]
    fn vietnamese_attributions() {
        let t = "Cảm ơn anh nhiều.\n\nVào Th 2, 3 thg 6, 2024 vào lúc 10:15 Hỗ trợ <hotro@example.vn> đã viết:\n> Anh thử lại nhé.";
        assert_eq!(trim(t), "Cảm ơn anh nhiều.");
        let t = "Đã nhận được hàng.\n\n3/6/2024 Nguyễn Văn An viết:\nĐơn hàng đang được giao.";
        assert_eq!(trim(t), "Đã nhận được hàng.");
    }

    #[test]
    fn outlook_separators() {
        let t = "See attached.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nOld text";
        assert_eq!(trim(t), "See attached.");
        let t = "W załączniku.\n\n-----Wiadomość oryginalna-----\nOd: Obsługa\nStara treść";
        assert_eq!(trim(t), "W załączniku.");
    }

    #[test]
    fn outlook_header_blocks() {
        let t = "Please see below.\n\n________________________________\nFrom: Support <help@rapport.example>\nSent: Monday, June 3, 2024 10:15\nTo: Anna\nSubject: Order\n\nOld text";
        assert_eq!(trim(t), "Please see below.");
        let t = "Proszę o kontakt.\n\nOd: Obsługa <pomoc@example.pl>\nWysłano: poniedziałek, 3 czerwca 2024 10:15\nDo: Jan\nTemat: Zamówienie\n\nStara treść";
        assert_eq!(trim(t), "Proszę o kontakt.");
        let t = "Vui lòng xem bên dưới.\n\nTừ: Hỗ trợ <hotro@example.vn>\nĐã gửi: Thứ Hai, 3 tháng 6, 2024 10:15\nĐến: An\n\nNội dung cũ";
        assert_eq!(trim(t), "Vui lòng xem bên dưới.");
        // A "From:" line alone is content.
        assert_eq!(trim("From: the warehouse in Łódź\nIt arrived broken."), "From: the warehouse in Łódź\nIt arrived broken.");
    }

    #[test]
    fn signature_delimiter() {
        assert_eq!(trim("Hello\n\n-- \nAnna Kowalska\n+48 600 000 000"), "Hello");
        assert_eq!(trim("Hello\n--\nAnna"), "Hello");
        // "--" inside a line is not a delimiter.
        assert_eq!(trim("a -- b\nc"), "a -- b\nc");
    }

    #[test]
    fn mobile_signatures() {
        assert_eq!(trim("OK, thanks\n\nSent from my iPhone\n\n> old"), "OK, thanks");
        assert_eq!(trim("Dobrze, dziękuję\n\nWysłane z iPhone'a"), "Dobrze, dziękuję");
        assert_eq!(trim("Vâng, cảm ơn\n\nGửi từ iPhone của tôi"), "Vâng, cảm ơn");
        let prose =
            "Sent from my office, the parcel should arrive tomorrow morning before ten, together with the invoice and the spare parts.";
        assert_eq!(trim(prose), prose);
    }

    #[test]
    fn nothing_left_returns_original() {
        assert_eq!(trim("  > only a quote\n"), "> only a quote");
        assert_eq!(trim("-- \nsig only"), "-- \nsig only");
        assert_eq!(trim(""), "");
    }
}
