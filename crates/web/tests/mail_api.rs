//! Mailboxes over the API (admins only, secrets write-only), and agent
//! replies on email tickets going into the outbound queue.

mod common;

use axum::http::StatusCode;
use common::{app, member, test_secrets, Backend};
use rapport_domain::{Channel, Role, Timestamp};
use rapport_store::mail::{InboundEmail, MailPerson};
use serde_json::{json, Value};

fn mailbox_body(address: &str) -> Value {
    json!({
        "name": "Wsparcie", "address": address,
        "imap_host": "imap.example.pl", "imap_port": 993, "imap_security": "tls", "imap_username": "wsparcie", "imap_password": "imap-hasło",
        "smtp_host": "smtp.example.pl", "smtp_port": 587, "smtp_security": "starttls", "smtp_username": "wsparcie", "smtp_password": "smtp-hasło",
        "from_name": "Kwitek"
    })
}

async fn mailboxes_and_replies(backend: Backend) {
    let app = app(backend).await;
    let ws = app.store.create_workspace("Mail", "mail").await.unwrap().id;
    let other_ws = app.store.create_workspace("Other", "other").await.unwrap().id;
    let admin = member(app.store.as_ref(), ws, Role::Admin, "admin@mail.test", &[]).await;
    let agent = member(app.store.as_ref(), ws, Role::Agent, "agent@mail.test", &[]).await;
    let stranger = member(app.store.as_ref(), other_ws, Role::Admin, "admin@other.test", &[]).await;

    let denied = app.post("/api/v1/mailboxes", &agent.token, mailbox_body("wsparcie@kwitek.pl")).await;
    assert_eq!((denied.status, denied.code().as_str()), (StatusCode::FORBIDDEN, "forbidden"));
    let created = app.post("/api/v1/mailboxes", &admin.token, mailbox_body("Wsparcie@Kwitek.pl")).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let text = created.text();
    assert!(!text.contains("hasło") && !text.contains("password"), "secrets never come back: {text}");
    let id = created.json()["id"].as_i64().unwrap();
    assert_eq!(created.json()["address"], "wsparcie@kwitek.pl");
    let sealed = app.store.mailbox_secrets(id).await.unwrap();
    assert_eq!(test_secrets().open(&sealed.smtp_password_enc).unwrap(), "smtp-hasło", "stored sealed, opens with the key");
    assert!(!sealed.imap_password_enc.contains("hasło"));

    let mut change = mailbox_body("wsparcie@kwitek.pl");
    change.as_object_mut().unwrap().remove("imap_password");
    change.as_object_mut().unwrap().remove("smtp_password");
    change["from_name"] = json!("Kwitek Pomoc");
    change["reply_to"] = json!("odpowiedzi@kwitek.pl");
    assert_eq!(created.json()["allow_remote_images"], false, "remote images are blocked unless allowed");
    change["allow_remote_images"] = json!(true);
    let updated = app.call(axum::http::Method::PUT, &format!("/api/v1/mailboxes/{id}"), Some(&admin.token), Some(change)).await;
    assert_eq!(updated.json()["from_name"], "Kwitek Pomoc");
    assert_eq!(updated.json()["allow_remote_images"], true);
    assert!(app.store.mailbox_secrets(id).await.unwrap().mailbox.allow_remote_images);
    assert_eq!(
        test_secrets().open(&app.store.mailbox_secrets(id).await.unwrap().smtp_password_enc).unwrap(),
        "smtp-hasło",
        "left out: kept"
    );
    let bad = app.post("/api/v1/mailboxes", &admin.token, json!({"name": "x"})).await;
    assert_eq!(bad.code(), "invalid_body");
    assert_eq!(app.get(&format!("/api/v1/mailboxes/{id}"), &stranger.token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/mailboxes", &agent.token).await.status, StatusCode::FORBIDDEN);

    // A customer's mail opened a ticket; the agent's reply through the API is queued for delivery.
    let (raw_id, _) = app.store.put_raw_inbound(ws, Channel::Email, "mailbox:1/v1/uid:1", b"raw").await.unwrap();
    let inbound = InboundEmail {
        raw_inbound_id: raw_id,
        mailbox_id: id,
        brand_id: None,
        ticket_id: None,
        from: MailPerson { email: "jan@klient.pl".into(), name: Some("Jan Nowak".into()) },
        followers: vec![MailPerson { email: "ksiegowosc@klient.pl".into(), name: None }],
        subject: "Faktura".into(),
        message_id_header: "m1@klient.pl".into(),
        body_text: "Proszę o fakturę.".into(),
        body_html: "Proszę o fakturę.".into(),
        display_text: "Proszę o fakturę.".into(),
        language: Some(rapport_domain::Locale::Pl),
        attachments: vec![],
        received_at: Timestamp::now(),
    };
    let ticket = app.store.store_inbound_email(ws, &inbound).await.unwrap().ticket_id;
    let reply = app.post(&format!("/api/v1/tickets/{ticket}/messages"), &agent.token, json!({"body": "Faktura w załączniku."})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["delivery_status"], "queued");
    let note =
        app.post(&format!("/api/v1/tickets/{ticket}/messages"), &agent.token, json!({"kind": "note", "body": "Wewnętrzna notatka"})).await;
    assert_eq!(note.json()["delivery_status"], Value::Null, "notes are never mailed");
    let deliveries = app.get(&format!("/api/v1/tickets/{ticket}/deliveries"), &agent.token).await.json();
    let list = deliveries.as_array().unwrap();
    assert_eq!(list.len(), 1, "{deliveries}");
    assert_eq!(list[0]["recipients"], json!(["jan@klient.pl", "ksiegowosc@klient.pl"]));
    assert_eq!(list[0]["status"], "queued");
    let queued = app.store.list_outbound(&agent.actor, Some(ticket), 10).await.unwrap();
    let raw = String::from_utf8_lossy(&queued[0].raw).into_owned();
    assert!(raw.contains("Reply-To: odpowiedzi@kwitek.pl\r\n"), "the mailbox's Reply-To wins: {raw}");
    assert!(raw.contains("From: \"Kwitek Pomoc\" <wsparcie@kwitek.pl>"), "{raw}");
    assert_eq!(app.get(&format!("/api/v1/tickets/{ticket}/deliveries"), &stranger.token).await.status, StatusCode::NOT_FOUND);

    // Held raw mail can be processed again by an admin.
    let (held, _) = app
        .store
        .put_raw_inbound(
            ws,
            Channel::Email,
            &format!("mailbox:{id}/v1/uid:2"),
            b"From: ola@klient.pl\r\nSubject: Pytanie\r\nMessage-ID: <m2@klient.pl>\r\n\r\nCzy macie terminale?\r\n",
        )
        .await
        .unwrap();
    app.store.mark_raw_inbound(ws, held, Some("rate limited")).await.unwrap();
    let again = app.post(&format!("/api/v1/raw-inbound/{held}/reprocess"), &admin.token, json!({})).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json()["outcome"], "new_ticket");
    assert_eq!(app.post(&format!("/api/v1/raw-inbound/{held}/reprocess"), &agent.token, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&format!("/api/v1/raw-inbound/{held}/reprocess"), &stranger.token, json!({})).await.status, StatusCode::NOT_FOUND);
}

both_backends!(mailboxes_and_replies);
