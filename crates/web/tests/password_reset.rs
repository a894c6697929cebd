//! Password reset by emailed link, end to end against the SMTP sink started by
//! `eval "$(bash scripts/mailservers.sh)"`: ask for a link, read the mail the
//! sink stored, follow the link, set a password, sign in with it; the link
//! then fails. Also: the same answer for unknown addresses, the mail in the
//! user's language, the rate limit, and sending through a workspace mailbox
//! when no system mail server is configured.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app_with, Backend, Reply, TestApp};
use rapport_channels::email::smtp::SmtpConfig;
use rapport_domain::{Actor, Locale, Role, Timestamp};
use rapport_store::mail::{MailboxInput, Security};
use rapport_store::model::NewUser;
use rapport_web::system_mail::SystemMail;
use rapport_web::WebConfig;
use std::path::PathBuf;
use std::time::Duration;

const PUBLIC_URL: &str = "https://support.rapport.test";
const OLD_PASSWORD: &str = "stare-hasło-123";
const NEW_PASSWORD: &str = "nowe hasło, dłuższe";

fn env(name: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v,
        _ => panic!(
            "{name} is not set: start the test mail servers with `eval \"$(bash scripts/mailservers.sh)\"` \
             (from the repository root) and run the tests again"
        ),
    }
}

fn sink() -> (String, u16) {
    let value = env("RAPPORT_TEST_SMTP");
    let (host, port) = value.rsplit_once(':').expect("host:port");
    (host.to_string(), port.parse().expect("port"))
}

fn system_mail() -> SystemMail {
    let (host, port) = sink();
    SystemMail {
        smtp: SmtpConfig { host, port, security: Security::Plain, username: String::new(), password: String::new() },
        from_address: "no-reply@rapport.test".into(),
        from_name: "Rapport".into(),
    }
}

/// An address no other test run uses, so its mail is found by recipient.
fn unique_address(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{tag}-{}-{nanos}@rapport.test", std::process::id())
}

/// The mail the sink stored for `to`, parsed: waits up to 15 s (it is sent in the background).
async fn mail_to(to: &str) -> (Vec<u8>, serde_json::Value) {
    let dir = PathBuf::from(env("RAPPORT_TEST_SMTP_SINK_DIR"));
    for _ in 0..150 {
        for entry in std::fs::read_dir(&dir).expect("sink directory").flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") {
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                let Ok(envelope) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
                let eml = path.with_extension("eml");
                if envelope["rcpt_tos"].as_array().is_some_and(|r| r.iter().any(|a| a == to)) && eml.exists() {
                    return (std::fs::read(eml).unwrap(), envelope);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no mail to {to} reached the sink")
}

fn mails_to(to: &str) -> usize {
    let dir = PathBuf::from(env("RAPPORT_TEST_SMTP_SINK_DIR"));
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(&format!("\"{to}\""))))
        .count()
}

fn cookies(reply: &Reply) -> Vec<String> {
    reply.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

fn cookie_value(reply: &Reply, name: &str) -> Option<String> {
    cookies(reply).iter().find_map(|c| c.strip_prefix(&format!("{name}="))).map(|rest| rest.split(';').next().unwrap().to_string())
}

fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// GETs a page with a form, then posts the form with its CSRF cookie and field.
async fn submit(app: &TestApp, page: &str, to: &str, fields: &[(&str, &str)], language: &str) -> Reply {
    let form = app.send(Request::get(page).header("accept-language", language).body(Body::empty()).unwrap()).await;
    assert_eq!(form.status, StatusCode::OK, "{page}: {}", form.text());
    let cookie = cookie_value(&form, "rapport_login_csrf").expect("the form sets its CSRF cookie");
    let mut body = format!("csrf_token={}", hidden_csrf(&form.text()));
    for (k, v) in fields {
        body.push_str(&format!("&{k}={}", enc(v)));
    }
    let req = Request::post(to)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("rapport_login_csrf={cookie}"))
        .header("accept-language", language)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

async fn user(app: &TestApp, ws: i64, email: &str, name: &str, locale: Locale) -> i64 {
    let hash = rapport_web::auth::password::hash(OLD_PASSWORD.into()).await;
    let input = NewUser { email: email.into(), name: name.into(), role: Role::Agent, locale: Some(locale), password: None };
    app.store.create_user(&Actor::system(ws), &input, Some(&hash)).await.unwrap().id
}

async fn login(app: &TestApp, email: &str, password: &str) -> StatusCode {
    submit(app, "/login", "/login", &[("email", email), ("password", password)], "en").await.status
}

/// The link in a reset mail, and its text.
fn link_in(raw: &[u8]) -> (String, String, String) {
    let parsed = mail_parser::MessageParser::default().parse(raw).expect("a parseable mail");
    let subject = parsed.subject().unwrap_or_default().to_string();
    let text = parsed.body_text(0).expect("a text part").to_string();
    let start = text.find(PUBLIC_URL).expect("the link in the text");
    let link = text[start..].split_whitespace().next().unwrap().to_string();
    (subject, text, link)
}

async fn reset_by_mailed_link(backend: Backend) {
    let app =
        app_with(backend, WebConfig { public_url: format!("{PUBLIC_URL}/"), system_mail: Some(system_mail()), ..Default::default() }).await;
    let ws = app.store.create_workspace("Kwitek", "kwitek").await.unwrap().id;
    let email = unique_address("marta");
    let uid = user(&app, ws, &email, "Marta Kowalczyk", Locale::Pl).await;
    app.store.create_session(uid, "an-old-session", "csrf", Timestamp::now().plus_seconds(3600)).await.unwrap();

    // The login page links to the form.
    let login_page = app.send(Request::get("/login").body(Body::empty()).unwrap()).await.text();
    assert!(login_page.contains("href=\"/forgot\""));

    // The same answer for a known and an unknown address.
    let known = submit(&app, "/forgot", "/forgot", &[("email", &email.to_uppercase())], "pl-PL").await;
    let unknown = submit(&app, "/forgot", "/forgot", &[("email", &unique_address("nobody"))], "pl-PL").await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.text());
    assert_eq!((known.status, known.text()), (unknown.status, unknown.text()), "nothing tells who has an account");
    assert!(known.text().contains("Jeśli ten adres należy do konta"), "{}", known.text());

    // The mail: in Polish, to the user, with a link under the public URL.
    let (raw, envelope) = mail_to(&email).await;
    assert_eq!(envelope["mail_from"], "no-reply@rapport.test");
    let (subject, text, link) = link_in(&raw);
    assert_eq!(subject, "Ustaw nowe hasło do Rapport");
    assert!(text.contains("Link działa jeden raz i wygasa po godzinie."), "{text}");
    let path = link.strip_prefix(PUBLIC_URL).expect("under the public URL, without a double slash").to_string();
    assert!(path.starts_with("/reset/") && path.len() > 40, "{path}");
    let token = path.trim_start_matches("/reset/");
    assert!(!String::from_utf8_lossy(&raw).contains("an-old-session"));
    // Only the token's hash is stored.
    assert!(app.store.password_reset_user(token).await.is_err(), "the raw token is not a stored key");
    assert!(app.store.password_reset_user(&rapport_web::auth::secret::sha256_hex(token)).await.is_ok());

    // The link's page, in the user's language; refused passwords; then the new one.
    let page = app.send(Request::get(&path).header("accept-language", "en").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Powtórz nowe hasło") && page.text().contains("<meta charset=\"utf-8\">"));
    let differ = submit(&app, &path, &path, &[("password", NEW_PASSWORD), ("password_again", "something else entirely")], "en").await;
    assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(differ.text().contains("Hasła nie są takie same."));
    let short = submit(&app, &path, &path, &[("password", "krótkie"), ("password_again", "krótkie")], "en").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(login(&app, &email, OLD_PASSWORD).await, StatusCode::SEE_OTHER, "refused attempts change nothing");
    let done = submit(&app, &path, &path, &[("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)], "en").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert!(done.text().contains("Hasło zostało zmienione."));

    // Signed in with the new password only; other sessions ended.
    assert_eq!(login(&app, &email, NEW_PASSWORD).await, StatusCode::SEE_OTHER);
    assert_eq!(login(&app, &email, OLD_PASSWORD).await, StatusCode::UNAUTHORIZED);
    assert!(app.store.session("an-old-session").await.is_err());

    // The link works once.
    let again = app.send(Request::get(&path).body(Body::empty()).unwrap()).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.text().contains("This link has expired or has already been used."));
    let reuse = app
        .send(
            Request::post(&path)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("password={0}&password_again={0}&csrf_token=x", enc("jeszcze inne hasło"))))
                .unwrap(),
        )
        .await;
    assert_eq!(reuse.status, StatusCode::NOT_FOUND);
    assert_eq!(login(&app, &email, NEW_PASSWORD).await, StatusCode::SEE_OTHER);
    assert_eq!(mails_to(&email), 1, "one request, one mail");
}

async fn reset_forms_are_guarded(backend: Backend) {
    let app = app_with(
        backend,
        WebConfig { public_url: PUBLIC_URL.into(), system_mail: Some(system_mail()), login_attempts_per_minute: 3, ..Default::default() },
    )
    .await;
    let ws = app.store.create_workspace("Sao Mai", "sao-mai").await.unwrap().id;
    let email = unique_address("huong");
    user(&app, ws, &email, "Nguyễn Thị Hương", Locale::Vi).await;

    // Without the form's CSRF cookie: refused, no mail.
    let forged = app
        .send(
            Request::post("/forgot")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("email={}&csrf_token=guessed", enc(&email))))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // The mail follows the user's language, greeting them by their given name.
    assert_eq!(submit(&app, "/forgot", "/forgot", &[("email", &email)], "en").await.status, StatusCode::OK);
    let (raw, _) = mail_to(&email).await;
    let (subject, text, _) = link_in(&raw);
    assert_eq!(subject, "Đặt mật khẩu mới cho Rapport");
    assert!(text.starts_with("Chào Hương,"), "{text}");
    // A second request within the minute sends nothing more.
    assert_eq!(submit(&app, "/forgot", "/forgot", &[("email", &email)], "en").await.status, StatusCode::OK);
    // A third request is allowed, a fourth is over the limit (3 a minute, shared with sign-in attempts).
    assert_eq!(submit(&app, "/forgot", "/forgot", &[("email", &unique_address("x"))], "en").await.status, StatusCode::OK);
    let limited = submit(&app, "/forgot", "/forgot", &[("email", &email)], "vi").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
    assert!(limited.text().contains("Quá nhiều lần thử"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(mails_to(&email), 1);

    // A made-up link.
    let bogus = app.send(Request::get("/reset/not-a-real-token").body(Body::empty()).unwrap()).await;
    assert_eq!(bogus.status, StatusCode::NOT_FOUND);
}

async fn without_a_system_server_a_mailbox_sends(backend: Backend) {
    let app = app_with(backend, WebConfig { public_url: PUBLIC_URL.into(), system_mail: None, ..Default::default() }).await;
    let ws = app.store.create_workspace("Global", "global").await.unwrap().id;
    let (host, port) = sink();
    let secrets = common::test_secrets();
    let mailbox = MailboxInput {
        brand_id: None,
        name: "Support".into(),
        address: "help@global.test".into(),
        imap_host: "127.0.0.1".into(),
        imap_port: 1,
        imap_security: Security::Plain,
        imap_username: "help".into(),
        imap_password_enc: Some(secrets.seal("x")),
        imap_folder: "INBOX".into(),
        smtp_host: host,
        smtp_port: i64::from(port),
        smtp_security: Security::Plain,
        smtp_username: String::new(),
        smtp_password_enc: Some(secrets.seal("")),
        from_name: "Global Support".into(),
        reply_to: None,
        max_message_bytes: 1_000_000,
        active: true,
        allow_remote_images: false,
    };
    app.store.create_mailbox(&Actor::system(ws), &mailbox).await.unwrap();
    let email = unique_address("emily");
    user(&app, ws, &email, "Emily Carter", Locale::En).await;
    assert_eq!(submit(&app, "/forgot", "/forgot", &[("email", &email)], "en").await.status, StatusCode::OK);
    let (raw, envelope) = mail_to(&email).await;
    assert_eq!(envelope["mail_from"], "help@global.test");
    let (subject, text, link) = link_in(&raw);
    assert_eq!(subject, "Set a new password for Rapport");
    assert!(text.starts_with("Hello Emily,"), "{text}");
    let html = mail_parser::MessageParser::default().parse(&raw).unwrap().body_html(0).unwrap().to_string();
    assert!(html.contains(&format!("<a href=\"{link}\">")), "the link is clickable: {html}");
    assert!(String::from_utf8_lossy(&raw).contains("From: \"Global Support\" <help@global.test>"));
}

both_backends!(reset_by_mailed_link, reset_forms_are_guarded, without_a_system_server_a_mailbox_sends);
