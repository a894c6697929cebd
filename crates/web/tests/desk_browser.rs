//! Agent journeys in a real browser: headless Chromium driven through
//! chromedriver against the app on a loopback port (SQLite store). Each test
//! fails on errors in the browser console.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{serve, Browser, Driver};
use common::{app, Backend, TestApp};
use rapport_domain::{Actor, Channel, Locale, MessageKind, Priority, Role};
use rapport_store::model::*;

const PASSWORD: &str = "hasło-do-testów-123";

/// One browser test at a time: two cores do not run several Chromiums well.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Desk {
    app: TestApp,
    url: String,
    anna: Actor,
    minh: Actor,
    /// A Polish, urgent email ticket from Zofia.
    polish: Ticket,
    /// A Vietnamese chat ticket.
    vietnamese: Ticket,
}

async fn user(app: &TestApp, ws: i64, email: &str, name: &str, locale: Locale) -> Actor {
    let hash = rapport_web::auth::password::hash(PASSWORD.into()).await;
    let input = NewUser { email: email.into(), name: name.into(), role: Role::Agent, locale: Some(locale), password: None };
    let u = app.store.create_user(&Actor::system(ws), &input, Some(&hash)).await.unwrap();
    Actor { workspace_id: ws, user_id: u.id, role: u.role, team_ids: vec![] }
}

async fn desk() -> Desk {
    let app = app(Backend::Sqlite).await;
    let ws = app.store.create_workspace("Sklep", "sklep").await.unwrap().id;
    let anna = user(&app, ws, "anna@sklep.test", "Anna Nowak", Locale::Pl).await;
    let minh = user(&app, ws, "minh@sklep.test", "Trần Văn Minh", Locale::En).await;
    let contact = |name: &str, email: &str, locale| NewContact {
        name: name.into(),
        email: Some(email.into()),
        phone: None,
        locale: Some(locale),
        organization_ids: vec![],
    };
    // A published help-center article the ticket view should suggest.
    let admin = user(&app, ws, "admin@sklep.test", "Admin", Locale::Pl).await;
    let admin = Actor { role: Role::Admin, ..admin };
    app.store
        .update_user(&Actor::system(ws), admin.user_id, &UserPatch { role: Some(Role::Admin), ..Default::default() }, None)
        .await
        .unwrap();
    let brand = app
        .store
        .create_brand(&admin, &NewBrand { name: "Sklep".into(), slug: "sklep".into(), default_locale: Some(Locale::Pl) })
        .await
        .unwrap();
    let article = rapport_store::kb::NewArticle {
        brand_id: brand.id,
        category_id: None,
        visibility: rapport_store::kb::Visibility::Public,
        verifier_id: None,
        verify_interval_days: None,
        locale: Locale::Pl,
        title: "Co zrobić, gdy paczka nie dotarła".into(),
        body: "Jeśli paczka nie dotarła w ciągu pięciu dni roboczych, sprawdź numer przesyłki u kuriera i napisz do nas.".into(),
        format: rapport_store::kb::BodyFormat::Markdown,
    };
    let a = app.store.create_article(&admin, &article).await.unwrap();
    app.store.translation_workflow(&admin, a.id, Locale::Pl, rapport_store::kb::WorkflowAction::Publish).await.unwrap();
    let zofia = app.store.create_contact(&anna, &contact("Zofia Kowalska", "zofia@klient.pl", Locale::Pl)).await.unwrap();
    let lan = app.store.create_contact(&anna, &contact("Lê Thị Lan", "lan@khach.vn", Locale::Vi)).await.unwrap();
    let ticket = |subject: &str, who: &Contact, priority, language, channel, body: &str| {
        let mut t = NewTicket::new(subject);
        t.requester_id = Some(who.id);
        t.priority = Some(priority);
        t.language = Some(language);
        t.channel = Some(channel);
        t.brand_id = Some(brand.id);
        t.message = Some(FirstMessage { body: Some(body.into()), html: None, kind: None });
        t
    };
    let polish = app
        .store
        .create_ticket(
            &anna,
            &ticket("Paczka nie dotarła", &zofia, Priority::Urgent, Locale::Pl, Channel::Email, "Czekam na paczkę od tygodnia."),
        )
        .await
        .unwrap();
    app.store
        .create_ticket(&anna, &ticket("Faktura za marzec", &zofia, Priority::Low, Locale::Pl, Channel::Email, "Proszę o fakturę."))
        .await
        .unwrap();
    let vietnamese = app
        .store
        .create_ticket(&anna, &ticket("Đổi mật khẩu", &lan, Priority::Urgent, Locale::Vi, Channel::Chat, "Tôi không đăng nhập được."))
        .await
        .unwrap();
    let bodies = [
        (Locale::Pl, "Dzień dobry {{contact.first_name}}, dziękujemy za zgłoszenie #{{ticket.id}}. Pozdrawiam, {{agent.name}}"),
        (Locale::Vi, "Chào {{contact.first_name}}, cảm ơn bạn đã liên hệ về phiếu #{{ticket.id}}. {{agent.name}}"),
        (Locale::En, "Hello {{contact.first_name}}, thank you for ticket #{{ticket.id}}. {{agent.name}}"),
    ];
    let canned = rapport_store::replies::CannedReplyInput {
        name: "Podziękowanie".into(),
        shortcut: None,
        bodies: bodies.into_iter().map(|(l, b)| (l, b.to_string())).collect(),
        shared: false,
    };
    app.store.create_canned_reply(&anna, &canned).await.unwrap();
    let url = serve(app.router.clone()).await;
    Desk { app, url, anna, minh, polish, vietnamese }
}

async fn canned_id(d: &Desk) -> i64 {
    d.app.store.list_canned_replies(&d.anna).await.unwrap()[0].id
}

async fn log_in(b: &Browser, url: &str, email: &str) {
    b.goto(&format!("{url}/login")).await;
    b.type_into("input[name=email]", email).await;
    b.type_into("input[name=password]", PASSWORD).await;
    b.click_css("button[type=submit]").await;
    b.wait(".desk[data-page=inbox]").await;
}

async fn no_console_errors(b: &Browser, allowed: &[&str]) {
    let errors = b.console_errors(allowed).await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[tokio::test]
async fn log_in_and_filter_the_inbox() {
    let _one = ONE_AT_A_TIME.lock().await;
    let d = desk().await;
    let mut driver = Driver::start().await;
    let b = driver.browser(1280, 900).await;

    // A wrong password is refused with a message, then the right one works.
    b.goto(&format!("{}/login", d.url)).await;
    b.type_into("input[name=email]", "anna@sklep.test").await;
    b.type_into("input[name=password]", "wrong password").await;
    b.click_css("button[type=submit]").await;
    b.wait(".error").await;
    log_in(&b, &d.url, "anna@sklep.test").await;
    // Anna's interface is Polish.
    assert!(b.page_text().await.contains("Skrzynka"));

    b.click_css("a[href='/?view=open']").await;
    b.wait_text("main h1", "Wszystkie otwarte").await;
    let all = b.page_text().await;
    assert!(all.contains("Paczka nie dotarła") && all.contains("Faktura za marzec") && all.contains("Đổi mật khẩu"));

    b.select(".filters select[name=priority]", "urgent").await;
    b.select(".filters select[name=language]", "pl").await;
    b.click_css("#apply-filters").await;
    b.wait(&format!("tr[data-ticket='{}']", d.polish.id)).await;
    let rows = b.run("return [...document.querySelectorAll('#inbox-list tr[data-ticket]')].map(r => r.dataset.ticket)").await;
    assert_eq!(rows, serde_json::json!([d.polish.id.to_string()]), "only the urgent Polish ticket");
    let counts = b.run("return document.querySelector('[data-view-count=open]').textContent").await;
    assert_eq!(counts, "3", "the view's count is the view's, not the filter's");
    b.screenshot(&std::env::temp_dir().join("rapport-inbox-filtered-pl.png")).await;

    // Saved as a personal view, it is listed and reproduces the filter.
    b.click_css(".save-view summary").await;
    b.type_into(".save-view input[name=name]", "Pilne PL").await;
    b.click_css(".save-view button[type=submit]").await;
    b.wait_text("main h1", "Pilne PL").await;
    let rows = b.run("return document.querySelectorAll('#inbox-list tr[data-ticket]').length").await;
    assert_eq!(rows, 1);
    no_console_errors(&b, &["/login - Failed to load resource: the server responded with a status of 401"]).await;
    b.quit().await;
}

#[tokio::test]
async fn reply_note_with_mention_and_solve() {
    let _one = ONE_AT_A_TIME.lock().await;
    let d = desk().await;
    let mut driver = Driver::start().await;
    let b = driver.browser(1280, 900).await;
    log_in(&b, &d.url, "anna@sklep.test").await;
    b.goto(&format!("{}/tickets/{}", d.url, d.polish.id)).await;
    b.wait(".desk[data-page=ticket]").await;
    // The customer panel shows the requester and her other ticket.
    b.wait_text("#customer-panel", "Zofia Kowalska").await;
    b.wait_text("#customer-panel", "Faktura za marzec").await;

    // Agent assist: a matching article is suggested; one click puts its excerpt into the reply.
    b.wait_text("#suggestions", "Co zrobić, gdy paczka nie dotarła").await;
    b.click_css("#suggestions button[data-insert]:last-of-type").await;
    let inserted = b.run("return document.getElementById('reply-body').value").await;
    assert!(inserted.as_str().unwrap_or_default().contains("kuriera"), "excerpt inserted: {inserted}");
    b.run("document.getElementById('reply-body').value = ''").await;

    // A canned reply, in the ticket's language (Polish), with the placeholders filled in.
    b.select("#canned-id", &canned_id(&d).await.to_string()).await;
    b.click_css("#insert-canned").await;
    b.wait("#reply-body").await;
    let filled = b.run("return document.getElementById('reply-body').value").await;
    assert_eq!(filled, format!("Dzień dobry Zofia, dziękujemy za zgłoszenie #{}. Pozdrawiam, Anna Nowak", d.polish.id));
    b.type_into("#reply-body", " Sprawdzamy przesyłkę u kuriera.").await;
    b.click_css("#send").await;
    b.wait_text("#conversation", "Sprawdzamy przesyłkę").await;
    b.wait_text("#conversation article.public", "Dzień dobry Zofia").await;
    assert!(b.find("#conversation article.public").await.is_some(), "the reply is shown as a public reply");

    // `n` switches to a note; `@Tr` offers Minh, Enter completes the name.
    b.click_css("main h1").await;
    b.keys("n").await;
    b.type_into("#reply-body", "@Tr").await;
    b.wait("#mention-list li").await;
    b.keys("\u{E007}").await;
    b.type_into("#reply-body", "czy możesz to sprawdzić?").await;
    let typed = b.run("return document.getElementById('reply-body').value").await;
    assert_eq!(typed, "@Trần Văn Minh czy możesz to sprawdzić?");
    b.click_css("#send").await;
    b.wait_text("#conversation article.note", "czy możesz to sprawdzić?").await;
    assert_eq!(d.app.store.unread_notification_count(&d.minh).await.unwrap(), 1, "Minh was notified of the mention");

    // `s` solves.
    b.click_css("main h1").await;
    b.keys("s").await;
    b.wait_text(".ticket-meta", "Rozwiązane").await;
    b.screenshot(&std::env::temp_dir().join("rapport-ticket-solved-pl.png")).await;
    let t = d.app.store.get_ticket(&d.anna, d.polish.id).await.unwrap();
    assert_eq!(t.status, rapport_domain::TicketStatus::Solved);
    no_console_errors(&b, &[]).await;
    b.quit().await;
}

#[tokio::test]
async fn messages_from_elsewhere_appear_live() {
    let _one = ONE_AT_A_TIME.lock().await;
    let d = desk().await;
    let mut driver = Driver::start().await;
    let b = driver.browser(1280, 900).await;
    log_in(&b, &d.url, "minh@sklep.test").await;
    b.goto(&format!("{}/tickets/{}", d.url, d.vietnamese.id)).await;
    b.wait(".desk[data-page=ticket]").await;
    b.type_into("#reply-body", "draft that must survive").await;
    // Another session (here: the store, as the API would) adds a customer message.
    let msg = NewMessage {
        kind: MessageKind::Public,
        author_contact_id: d.vietnamese.requester_id,
        body_text: "Tôi vẫn chưa đăng nhập được, giúp tôi với.".into(),
        body_html: "<p>Tôi vẫn chưa đăng nhập được, giúp tôi với.</p>".into(),
        attachments: vec![],
    };
    d.app.store.add_message(&d.anna, d.vietnamese.id, &msg).await.unwrap();
    b.wait_text("#conversation", "giúp tôi với").await;
    let draft = b.run("return document.getElementById('reply-body').value").await;
    assert_eq!(draft, "draft that must survive");

    // The inbox shows a new ticket without a reload.
    b.goto(&format!("{}/?view=open", d.url)).await;
    b.wait(".desk[data-page=inbox]").await;
    let t = d.app.store.create_ticket(&d.anna, &NewTicket::new("Nowe zgłoszenie na żywo")).await.unwrap();
    b.wait(&format!("tr[data-ticket='{}']", t.id)).await;
    no_console_errors(&b, &[]).await;
    b.quit().await;
}

#[tokio::test]
async fn two_agents_on_one_ticket_see_each_other() {
    let _one = ONE_AT_A_TIME.lock().await;
    let d = desk().await;
    let mut driver = Driver::start().await;
    let anna = driver.browser(1280, 900).await;
    let minh = driver.browser(1280, 900).await;
    log_in(&anna, &d.url, "anna@sklep.test").await;
    log_in(&minh, &d.url, "minh@sklep.test").await;
    let page = format!("{}/tickets/{}", d.url, d.polish.id);
    minh.goto(&page).await;
    minh.wait(".desk[data-page=ticket]").await;
    anna.goto(&page).await;
    anna.wait(".desk[data-page=ticket]").await;
    minh.wait_text("#presence", "Anna Nowak viewing").await;
    anna.wait_text("#presence", "Trần Văn Minh przegląda").await;

    minh.type_into("#reply-body", "I am looking into it").await;
    anna.wait_text("#presence", "pisze").await;

    // Anna replies first; Minh's send is held back with a warning.
    anna.type_into("#reply-body", "Już sprawdzam, odezwę się dziś.").await;
    anna.click_css("#send").await;
    anna.wait_text("#conversation", "Już sprawdzam").await;
    minh.click_css("#send").await;
    minh.wait("#collision-warning").await;
    minh.screenshot(&std::env::temp_dir().join("rapport-ticket-collision.png")).await;
    let draft = minh.run("return document.getElementById('reply-body').value").await;
    assert_eq!(draft, "I am looking into it", "the draft is kept");
    minh.wait_text("#conversation", "Już sprawdzam").await;
    minh.click_css("#force").await;
    minh.click_css("#send").await;
    minh.wait_text("#conversation", "I am looking into it").await;
    no_console_errors(&anna, &[]).await;
    no_console_errors(&minh, &["status of 409"]).await;
    anna.quit().await;
    minh.quit().await;
}

#[tokio::test]
async fn switch_the_interface_to_vietnamese_on_a_phone() {
    let _one = ONE_AT_A_TIME.lock().await;
    let d = desk().await;
    let mut driver = Driver::start().await;
    let b = driver.browser(390, 844).await;
    log_in(&b, &d.url, "minh@sklep.test").await;
    assert!(b.page_text().await.contains("Inbox"));
    b.select("#ui-lang", "vi").await;
    b.wait_text("header nav", "Hộp thư").await;
    let text = b.page_text().await;
    assert!(text.contains("Chưa phân công") && text.contains("Bộ lọc") || text.contains("Áp dụng"), "{text}");
    assert_eq!(b.run("return document.documentElement.lang").await, "vi");
    // Usable at phone width: nothing wider than the screen.
    let overflow = b.run("return document.documentElement.scrollWidth - window.innerWidth").await;
    assert!(overflow.as_i64().unwrap_or(0) <= 1, "the page scrolls sideways by {overflow}px");
    // The shortcut help opens with `?`, translated.
    b.click_css("main h1").await;
    b.keys("?").await;
    b.wait_text("#shortcuts", "Phím tắt").await;
    b.screenshot(&std::env::temp_dir().join("rapport-inbox-phone-vi.png")).await;
    no_console_errors(&b, &[]).await;
    b.quit().await;
}
