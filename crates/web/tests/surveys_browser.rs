//! A customer answers a CSAT survey from the link in its email, in headless
//! Chromium; the agent then sees the dashboard's CSAT change and drills down
//! from the figure to the ticket, where the answer is shown.

#[path = "common/browser.rs"]
#[allow(dead_code)]
mod browser;
mod common;

use browser::{serve, Driver};
use common::{app, test_secrets, Backend};
use rapport_domain::{Actor, Locale, MessageKind, Role, TicketStatus, Timestamp};
use rapport_store::mail::{MailboxInput, Security};
use rapport_store::model::*;
use rapport_store::surveys::{SurveyInput, SurveyKind};

const PASSWORD: &str = "mật-khẩu-thử-123";

#[tokio::test]
async fn answer_csat_from_the_email_link_then_drill_down_from_the_dashboard() {
    let app = app(Backend::Sqlite).await;
    let store = app.store.as_ref();
    let ws = store.create_workspace("Sao Mai", "sao-mai").await.unwrap().id;
    let system = Actor::system(ws);
    let hash = rapport_web::auth::password::hash(PASSWORD.into()).await;
    let new_user =
        |email: &str, name: &str, role| NewUser { email: email.into(), name: name.into(), role, locale: Some(Locale::En), password: None };
    let agent = store.create_user(&system, &new_user("minh@saomai.test", "Trần Văn Minh", Role::Agent), Some(&hash)).await.unwrap();
    let agent = Actor { workspace_id: ws, user_id: agent.id, role: Role::Agent, team_ids: vec![] };
    let secrets = test_secrets();
    store
        .create_mailbox(
            &system,
            &MailboxInput {
                brand_id: None,
                name: "CSKH".into(),
                address: "cskh@saomai.test".into(),
                imap_host: "127.0.0.1".into(),
                imap_port: 1143,
                imap_security: Security::Plain,
                imap_username: "cskh".into(),
                imap_password_enc: Some(secrets.seal("x")),
                imap_folder: "INBOX".into(),
                smtp_host: "127.0.0.1".into(),
                smtp_port: 2525,
                smtp_security: Security::Plain,
                smtp_username: "cskh".into(),
                smtp_password_enc: Some(secrets.seal("x")),
                from_name: "Sao Mai".into(),
                reply_to: None,
                max_message_bytes: 10_000_000,
                active: true,
                allow_remote_images: false,
            },
        )
        .await
        .unwrap();
    store
        .create_survey(
            &system,
            &SurveyInput { delay_minutes: Some(0), throttle_days: Some(0), ..SurveyInput::new(SurveyKind::Csat, "CSAT") },
        )
        .await
        .unwrap();
    let lan = store
        .create_contact(
            &agent,
            &NewContact {
                name: "Lê Thị Lan".into(),
                email: Some("lan@khach.vn".into()),
                phone: None,
                locale: Some(Locale::Vi),
                organization_ids: vec![],
            },
        )
        .await
        .unwrap();
    let mut t = NewTicket::new("Điện thoại không sạc được");
    t.requester_id = Some(lan.id);
    t.assignee_id = Some(agent.user_id);
    t.message = Some(FirstMessage { body: Some("Máy của tôi không sạc được pin.".into()), html: None, kind: None });
    let ticket = store.create_ticket(&agent, &t).await.unwrap();
    let reply = NewMessage {
        kind: MessageKind::Public,
        author_contact_id: None,
        body_text: "Chị thử đổi cáp sạc nhé.".into(),
        body_html: "<p>Chị thử đổi cáp sạc nhé.</p>".into(),
        attachments: vec![],
    };
    store.add_message(&agent, ticket.id, &reply).await.unwrap();
    store.update_ticket(&agent, ticket.id, &TicketPatch { status: Some(TicketStatus::Solved), ..Default::default() }).await.unwrap();

    // The survey goes out by mail, with links made for the address people reach Rapport at.
    let url = serve(app.router.clone()).await;
    store.plan_survey_invitations(Timestamp::now(), 10).await.unwrap();
    assert_eq!(rapport_web::pages::surveys::mail::send_pending(store, &secrets, &url, 10).await.unwrap(), 1);
    let queued = store.list_outbound(&system, Some(ticket.id), 10).await.unwrap();
    let mail = rapport_channels::email::parse::parse(&queued[0].raw).unwrap();
    assert_eq!(mail.to[0].email, "lan@khach.vn");
    let link =
        mail.text.lines().find_map(|l| l.trim().strip_prefix(&mail_open_prefix())).map(str::trim).expect("the survey link").to_string();

    let mut driver = Driver::start().await;
    let b = driver.browser(1280, 900).await;
    // The agent's dashboard before: no CSAT answer yet.
    b.goto(&format!("{url}/login")).await;
    b.type_into("input[name=email]", "minh@saomai.test").await;
    b.type_into("input[name=password]", PASSWORD).await;
    b.click_css("button[type=submit]").await;
    b.wait(".desk[data-page=inbox]").await;
    b.click_css("#reports-link").await;
    b.wait("main[data-page=reports-service]").await;
    b.click_css(".report-tabs a[href^='/reports/experience']").await;
    b.wait("main[data-page=reports-experience]").await;
    assert_eq!(b.text_of(".kpi:first-child .kpi-value").await.unwrap().trim(), "—");

    // The customer opens the link from the mail: Vietnamese, no sign-in.
    b.goto(&link).await;
    b.wait("#survey-form").await;
    assert_eq!(b.run("return document.documentElement.lang").await, "vi");
    assert!(b.text_of("#survey-question").await.unwrap().contains("hài lòng"));
    assert!(b.text_of("#survey-about").await.unwrap().contains("Điện thoại không sạc được"));
    b.click_css("label:has(#score-5) span").await;
    b.type_into("#comment", "Nhân viên hỗ trợ rất nhiệt tình.").await;
    b.click_css("#survey-send").await;
    b.wait("#survey-thanks").await;
    assert_eq!(b.run("return document.getElementById('score-5').checked").await, true);

    // The dashboard's CSAT now counts the answer: 1 of 1 satisfied.
    b.goto(&format!("{url}/reports/experience")).await;
    b.wait_text(".kpi:first-child .kpi-value", "100%").await;
    // Drill down: the figure lists the answer, which links to the ticket.
    b.click_css(".kpi:first-child .kpi-value a").await;
    b.wait("main[data-page=reports-drill]").await;
    assert_eq!(b.text_of("#drill-total").await.unwrap(), "1");
    b.click_css(&format!("a[href='/tickets/{}']", ticket.id)).await;
    b.wait(".desk[data-page=ticket]").await;
    b.wait_text("#survey-panel", "CSAT 5/5").await;
    assert!(b.text_of("#survey-panel").await.unwrap().contains("Nhân viên hỗ trợ rất nhiệt tình."));
    b.screenshot(&std::env::temp_dir().join("rapport-csat-on-ticket.png")).await;
    let errors = b.console_errors(&["/login - Failed to load resource: the server responded with a status of 401"]).await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    b.quit().await;
}

/// The line before the plain survey link in the Vietnamese mail.
fn mail_open_prefix() -> String {
    format!("{} ", rapport_web::pages::surveys::texts::texts(Locale::Vi).mail_open)
}
