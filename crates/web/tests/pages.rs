//! Sign-in, sessions and CSRF, and what pages send to the browser.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app, app_with, Backend, TestApp};
use rapport_domain::{Actor, Role};
use rapport_store::model::{NewTicket, NewUser};
use rapport_web::WebConfig;
use serde_json::json;

const PASSWORD: &str = "hasło-bardzo-długie";

async fn user_with_password(app: &TestApp, email: &str) -> i64 {
    let ws = match app.store.workspace_by_slug("pages").await {
        Ok(w) => w.id,
        Err(_) => app.store.create_workspace("Pages", "pages").await.unwrap().id,
    };
    let hash = rapport_web::auth::password::hash(PASSWORD.into()).await;
    let input = NewUser { email: email.into(), name: "Hương <b>Nguyễn</b>".into(), role: Role::Agent, locale: None, password: None };
    app.store.create_user(&Actor::system(ws), &input, Some(&hash)).await.unwrap().id
}

fn cookies(reply: &common::Reply) -> Vec<String> {
    reply.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

fn cookie_value(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies.iter().find_map(|c| c.strip_prefix(&format!("{name}="))).map(|rest| rest.split(';').next().unwrap().to_string())
}

fn hidden_csrf(html: &str) -> String {
    let start = html.find("name=\"csrf_token\" value=\"").expect("csrf field") + "name=\"csrf_token\" value=\"".len();
    html[start..].split('"').next().unwrap().to_string()
}

/// Loads the login form and posts it; returns the reply.
async fn login(app: &TestApp, email: &str, password: &str) -> common::Reply {
    let form = app.send(Request::get("/login").body(Body::empty()).unwrap()).await;
    let csrf_cookie = cookie_value(&cookies(&form), "rapport_login_csrf").expect("login csrf cookie");
    let field = hidden_csrf(&form.text());
    let body = format!("email={}&password={}&csrf_token={field}", urlencode(email), urlencode(password));
    let req = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("rapport_login_csrf={csrf_cookie}"))
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn login_session_and_csrf(backend: Backend) {
    let app = app(backend).await;
    user_with_password(&app, "huong@rapport.test").await;

    let wrong = login(&app, "huong@rapport.test", "wrong password!").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(cookie_value(&cookies(&wrong), "rapport_session").is_none());
    let unknown = login(&app, "nobody@rapport.test", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);

    let ok = login(&app, "HUONG@rapport.test", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    let set = cookies(&ok);
    let session_cookie = set.iter().find(|c| c.starts_with("rapport_session=")).unwrap();
    assert!(session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Lax"), "{session_cookie}");
    let session = cookie_value(&set, "rapport_session").unwrap();

    let with_session = |req: axum::http::request::Builder| req.header("cookie", format!("rapport_session={session}"));
    let home = app.send(with_session(Request::get("/")).body(Body::empty()).unwrap()).await;
    assert_eq!(home.status, StatusCode::OK);
    let csrf = hidden_csrf(&home.text());

    let me = app.send(with_session(Request::get("/api/v1/me")).body(Body::empty()).unwrap()).await;
    assert_eq!(me.json()["email"], "huong@rapport.test");
    let post = |csrf: Option<&str>| {
        let mut req = with_session(Request::post("/api/v1/tickets")).header("content-type", "application/json");
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        app.send(req.body(Body::from(json!({"subject": "Từ trình duyệt"}).to_string())).unwrap())
    };
    let no_csrf = post(None).await;
    assert_eq!((no_csrf.status, no_csrf.code().as_str()), (StatusCode::FORBIDDEN, "csrf_token_invalid"));
    assert_eq!(post(Some("forged")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(post(Some(&csrf)).await.status, StatusCode::CREATED);

    // Logging out needs the token too, then ends the session.
    let forged = app
        .send(
            with_session(Request::post("/logout"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("csrf_token=forged"))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let out = app
        .send(
            with_session(Request::post("/logout"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf_token={csrf}")))
                .unwrap(),
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = app.send(with_session(Request::get("/api/v1/me")).body(Body::empty()).unwrap()).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

async fn login_form_needs_its_csrf_cookie(backend: Backend) {
    let app = app(backend).await;
    user_with_password(&app, "a@rapport.test").await;
    let body = format!("email=a%40rapport.test&password={}&csrf_token=guessed", urlencode(PASSWORD));
    let req = Request::post("/login").header("content-type", "application/x-www-form-urlencoded").body(Body::from(body)).unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(cookie_value(&cookies(&r), "rapport_session").is_none());
}

async fn login_is_rate_limited(backend: Backend) {
    let app = app_with(backend, WebConfig { login_attempts_per_minute: 3, ..Default::default() }).await;
    user_with_password(&app, "rl@rapport.test").await;
    for _ in 0..3 {
        assert_eq!(login(&app, "rl@rapport.test", "wrong wrong wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    let limited = login(&app, "rl@rapport.test", PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
}

async fn pages_escape_user_text_and_declare_utf8(backend: Backend) {
    let app = app(backend).await;
    let uid = user_with_password(&app, "x@rapport.test").await;
    let ws = app.store.workspace_by_slug("pages").await.unwrap().id;
    let actor = Actor { workspace_id: ws, user_id: uid, role: Role::Agent, team_ids: vec![] };
    app.store.create_ticket(&actor, &NewTicket::new("<script>alert('subject')</script> żółty")).await.unwrap();

    let login_page = app.send(Request::get("/login").header("accept-language", "vi-VN,vi;q=0.9").body(Body::empty()).unwrap()).await;
    let html = login_page.text();
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("Đăng nhập"), "Vietnamese chosen from Accept-Language");
    assert!(login_page.headers[header::CONTENT_TYPE].to_str().unwrap().contains("charset=utf-8"));
    assert!(login_page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("default-src 'self'"));
    assert_eq!(login_page.headers["x-frame-options"], "DENY");

    let ok = login(&app, "x@rapport.test", PASSWORD).await;
    let session = cookie_value(&cookies(&ok), "rapport_session").unwrap();
    let home =
        app.send(Request::get("/?view=open").header("cookie", format!("rapport_session={session}")).body(Body::empty()).unwrap()).await;
    let html = home.text();
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(!html.contains("<script>alert"), "subject is escaped");
    assert!(html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"), "the subject is shown, escaped");
    assert!(html.contains("żółty"));
    assert!(!html.contains("<b>Nguyễn</b>"), "user names are escaped");

    let anonymous = app.send(Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!((anonymous.status, anonymous.headers[header::LOCATION].to_str().unwrap()), (StatusCode::SEE_OTHER, "/login"));
}

both_backends!(
    login_session_and_csrf,
    login_form_needs_its_csrf_cookie,
    login_is_rate_limited,
    pages_escape_user_text_and_declare_utf8,
    ticket_page_shows_the_conversation_safely,
    admins_configure_mailboxes_in_the_ui,
    mail_images_wait_until_the_mailbox_allows_them,
);

/// Signs in and returns (session cookie value, CSRF token of the session).
async fn signed_in(app: &TestApp, email: &str) -> (String, String) {
    let ok = login(app, email, PASSWORD).await;
    let session = cookie_value(&cookies(&ok), "rapport_session").unwrap();
    let home =
        app.send(Request::get("/?view=open").header("cookie", format!("rapport_session={session}")).body(Body::empty()).unwrap()).await;
    (session.clone(), hidden_csrf(&home.text()))
}

fn form_post(path: &str, session: &str, body: String) -> Request<Body> {
    Request::post(path)
        .header("cookie", format!("rapport_session={session}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

async fn ticket_page_shows_the_conversation_safely(backend: Backend) {
    let app = app(backend).await;
    let uid = user_with_password(&app, "agent@rapport.test").await;
    let ws = app.store.workspace_by_slug("pages").await.unwrap().id;
    let agent = Actor { workspace_id: ws, user_id: uid, role: Role::Agent, team_ids: vec![] };
    let contact = app
        .store
        .create_contact(
            &agent,
            &rapport_store::model::NewContact {
                name: "Zofia <i>Kowal</i>".into(),
                email: None,
                phone: None,
                locale: None,
                organization_ids: vec![],
            },
        )
        .await
        .unwrap();
    let mut n = NewTicket::new("Reklamacja <b>pilne</b>");
    n.requester_id = Some(contact.id);
    n.message = Some(rapport_store::model::FirstMessage {
        body: None,
        html: Some("<p>Dzień dobry<script>steal()</script><img src=x onerror=alert(1)></p>".into()),
        kind: None,
    });
    let t = app.store.create_ticket(&agent, &n).await.unwrap();
    let note = rapport_store::model::NewMessage {
        kind: rapport_domain::MessageKind::Note,
        author_contact_id: None,
        body_text: "sprawdzić magazyn".into(),
        body_html: "sprawdzić magazyn".into(),
        attachments: vec![],
    };
    app.store.add_message(&agent, t.id, &note).await.unwrap();
    app.store
        .update_ticket(
            &agent,
            t.id,
            &rapport_store::model::TicketPatch { status: Some(rapport_domain::TicketStatus::Pending), ..Default::default() },
        )
        .await
        .unwrap();

    let (session, _) = signed_in(&app, "agent@rapport.test").await;
    let page = app
        .send(
            Request::get(format!("/tickets/{}", t.id)).header("cookie", format!("rapport_session={session}")).body(Body::empty()).unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(
        html.contains("class=\"msg customer\"") && html.contains("class=\"msg note\"") && html.contains("class=\"msg system\""),
        "replies, notes and events look different"
    );
    assert!(html.contains("Dzień dobry") && html.contains("sprawdzić magazyn") && html.contains("status: new → pending"));
    assert!(!html.contains("<script>steal") && !html.contains("onerror"), "stored HTML is sanitised");
    assert!(!html.contains("<b>pilne</b>") && !html.contains("<i>Kowal</i>"), "subjects and names are escaped");

    // Another workspace's ticket is not found; no session → sign in.
    let other =
        app.send(Request::get("/tickets/999999").header("cookie", format!("rapport_session={session}")).body(Body::empty()).unwrap()).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let anon = app.send(Request::get(format!("/tickets/{}", t.id)).body(Body::empty()).unwrap()).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
}

async fn admins_configure_mailboxes_in_the_ui(backend: Backend) {
    let app = app(backend).await;
    let agent_id = user_with_password(&app, "agent@rapport.test").await;
    let admin_id = user_with_password(&app, "admin@rapport.test").await;
    let ws = app.store.workspace_by_slug("pages").await.unwrap().id;
    let system = Actor::system(ws);
    app.store
        .update_user(&system, admin_id, &rapport_store::model::UserPatch { role: Some(Role::Admin), ..Default::default() }, None)
        .await
        .unwrap();
    let _ = agent_id;

    let (agent_session, _) = signed_in(&app, "agent@rapport.test").await;
    let denied = app
        .send(Request::get("/admin/mailboxes").header("cookie", format!("rapport_session={agent_session}")).body(Body::empty()).unwrap())
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    let (session, csrf) = signed_in(&app, "admin@rapport.test").await;
    let form = |csrf: &str, port: &str| {
        format!(
            "csrf_token={csrf}&name=Wsparcie&address=pomoc%40kwitek.pl&from_name=Kwitek&reply_to=&imap_host=imap.kwitek.pl&imap_port={port}&imap_security=tls\
             &imap_username=pomoc&imap_password=tajne-imap&imap_folder=INBOX&smtp_host=smtp.kwitek.pl&smtp_port=587&smtp_security=starttls\
             &smtp_username=pomoc&smtp_password=tajne-smtp&max_message_bytes=1000000&active=on"
        )
    };
    let forged = app.send(form_post("/admin/mailboxes/new", &session, form("forged", "993"))).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let bad = app.send(form_post("/admin/mailboxes/new", &session, form(&csrf, "99999"))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("role=\"alert\""), "the form says what is wrong");
    assert!(!bad.text().contains("tajne"), "passwords are never echoed back");
    let created = app.send(form_post("/admin/mailboxes/new", &session, form(&csrf, "993"))).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let list = app
        .send(Request::get("/admin/mailboxes").header("cookie", format!("rapport_session={session}")).body(Body::empty()).unwrap())
        .await;
    assert!(list.text().contains("pomoc@kwitek.pl"));
    let mailbox = app.store.list_mailboxes(&system).await.unwrap().remove(0);
    let sealed = app.store.mailbox_secrets(mailbox.id).await.unwrap();
    assert_eq!(common::test_secrets().open(&sealed.imap_password_enc).unwrap(), "tajne-imap");
    let edit = app
        .send(
            Request::get(format!("/admin/mailboxes/{}", mailbox.id))
                .header("cookie", format!("rapport_session={session}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(edit.text().contains("imap.kwitek.pl") && !edit.text().contains("tajne"));

    // Held mail is listed with its reason and can be processed again.
    let raw = "From: Ola <ola@klient.pl>\r\nTo: pomoc@kwitek.pl\r\nSubject: Terminal nie drukuje\r\nMessage-ID: <held1@klient.pl>\r\n\r\nDrukarka nie działa.\r\n".as_bytes();
    let (held, _) =
        app.store.put_raw_inbound(ws, rapport_domain::Channel::Email, &format!("mailbox:{}/v1/uid:7", mailbox.id), raw).await.unwrap();
    app.store.mark_raw_inbound(ws, held, Some("rate limited: too many mails")).await.unwrap();
    let page = app
        .send(Request::get("/admin/held-mail").header("cookie", format!("rapport_session={session}")).body(Body::empty()).unwrap())
        .await;
    assert!(page.text().contains("rate limited: too many mails"));
    let again = app.send(form_post(&format!("/admin/held-mail/{held}/reprocess"), &session, format!("csrf_token={csrf}"))).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let location = again.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/tickets/"), "{location}");
    let ticket =
        app.send(Request::get(&location).header("cookie", format!("rapport_session={session}")).body(Body::empty()).unwrap()).await;
    assert!(ticket.text().contains("Terminal nie drukuje") && ticket.text().contains("Drukarka nie działa."));
}

/// A customer's HTML mail with an inline logo and a tracking pixel: the logo
/// is served from Rapport, the pixel is not loaded until an admin allows
/// remote images for the mailbox in its settings.
async fn mail_images_wait_until_the_mailbox_allows_them(backend: Backend) {
    let app = app(backend).await;
    let agent_id = user_with_password(&app, "agent@rapport.test").await;
    let admin_id = user_with_password(&app, "admin@rapport.test").await;
    let ws = app.store.workspace_by_slug("pages").await.unwrap().id;
    let system = Actor::system(ws);
    app.store
        .update_user(&system, admin_id, &rapport_store::model::UserPatch { role: Some(Role::Admin), ..Default::default() }, None)
        .await
        .unwrap();
    let seal = common::test_secrets();
    let input = rapport_store::mail::MailboxInput {
        brand_id: None,
        name: "Hỗ trợ".into(),
        address: "hotro@saomai.vn".into(),
        imap_host: "imap.saomai.vn".into(),
        imap_port: 993,
        imap_security: rapport_store::mail::Security::Tls,
        imap_username: "hotro".into(),
        imap_password_enc: Some(seal.seal("x")),
        imap_folder: "INBOX".into(),
        smtp_host: "smtp.saomai.vn".into(),
        smtp_port: 587,
        smtp_security: rapport_store::mail::Security::StartTls,
        smtp_username: "hotro".into(),
        smtp_password_enc: Some(seal.seal("x")),
        from_name: "Sao Mai".into(),
        reply_to: None,
        max_message_bytes: 1_000_000,
        active: true,
        allow_remote_images: false,
    };
    let mailbox = app.store.create_mailbox(&system, &input).await.unwrap();
    let logo: &[u8] = b"\x89PNG\r\n\x1a\nlogo";
    let raw = format!(
        "From: Lan <lan@khach.vn>\r\nTo: hotro@saomai.vn\r\nSubject: Bảo hành\r\nMessage-ID: <img1@khach.vn>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/related; boundary=\"r\"\r\n\r\n--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
         <p>Máy lỗi <img src=\"cid:logo@khach.vn\" alt=\"logo\"> <img src=\"https://track.example/open.gif?u=lan\"></p>\r\n\
         --r\r\nContent-Type: image/png\r\nContent-ID: <logo@khach.vn>\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--r--\r\n",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, logo)
    );
    let blobs = rapport_store::BlobStore::new(app.dir.join("blobs"));
    let ingestor = rapport_channels::email::ingest::Ingestor::new(app.store.clone(), blobs, 100);
    let secrets = app.store.mailbox_secrets(mailbox.id).await.unwrap();
    let outcome = ingestor.receive(&secrets, "mailbox:1/v1/uid:1", raw.as_bytes()).await.unwrap();
    let rapport_channels::email::ingest::Outcome::NewTicket { ticket_id } = outcome else { panic!("{outcome:?}") };
    let message = app.store.list_messages(&system, ticket_id, None, 10).await.unwrap().items.remove(0);
    let attachment = message.attachments[0].id;

    let (session, _) = signed_in(&app, "agent@rapport.test").await;
    let get = |path: String| Request::get(path).header("cookie", format!("rapport_session={session}")).body(Body::empty()).unwrap();
    let page = app.send(get(format!("/tickets/{ticket_id}"))).await.text();
    assert!(page.contains(&format!("src=\"/api/v1/attachments/{attachment}\"")), "the inline logo comes from Rapport: {page}");
    assert!(!page.contains(" src=\"https://track.example"), "the pixel is not loaded");
    assert!(page.contains("data-remote-src=\"https://track.example/open.gif?u=lan\"") && page.contains("Remote images are not shown"));
    let image = app.send(get(format!("/api/v1/attachments/{attachment}"))).await;
    assert_eq!(
        (image.status, image.headers[header::CONTENT_TYPE].to_str().unwrap(), image.body.as_slice()),
        (StatusCode::OK, "image/png", logo)
    );

    // The admin allows remote images for the mailbox in its settings page (and puts it under a brand).
    let brand = rapport_store::model::NewBrand { name: "Sao Mai".into(), slug: "sao-mai".into(), default_locale: None };
    let brand = app.store.create_brand(&system, &brand).await.unwrap().id;
    let (admin_session, csrf) = signed_in(&app, "admin@rapport.test").await;
    let edit_url = format!("/admin/mailboxes/{}", mailbox.id);
    let edit =
        app.send(Request::get(&edit_url).header("cookie", format!("rapport_session={admin_session}")).body(Body::empty()).unwrap()).await;
    assert!(edit.text().contains("name=\"allow_remote_images\">"), "offered, not ticked");
    let form = format!(
        "csrf_token={csrf}&name=Hotro&address=hotro%40saomai.vn&from_name=Sao+Mai&reply_to=&imap_host=imap.saomai.vn&imap_port=993&imap_security=tls\
         &imap_username=hotro&imap_password=&imap_folder=INBOX&smtp_host=smtp.saomai.vn&smtp_port=587&smtp_security=starttls\
         &smtp_username=hotro&smtp_password=&max_message_bytes=1000000&active=on&allow_remote_images=on&brand_id={brand}"
    );
    let saved = app.send(form_post(&edit_url, &admin_session, form)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    assert!(app.store.get_mailbox(&system, mailbox.id).await.unwrap().allow_remote_images);
    let edit =
        app.send(Request::get(&edit_url).header("cookie", format!("rapport_session={admin_session}")).body(Body::empty()).unwrap()).await;
    assert!(edit.text().contains("name=\"allow_remote_images\" checked"));

    let page = app.send(get(format!("/tickets/{ticket_id}"))).await.text();
    assert!(page.contains("<img src=\"https://track.example/open.gif?u=lan\">"), "{page}");
    assert!(!page.contains("Remote images are not shown"));

    // An agent's reply by mail shows its delivery state on the page: queued, then sent.
    let agent = Actor { workspace_id: ws, user_id: agent_id, role: Role::Agent, team_ids: vec![] };
    let reply = rapport_store::model::NewMessage {
        kind: rapport_domain::MessageKind::Public,
        author_contact_id: None,
        body_text: "Chúng tôi sẽ đổi máy mới.".into(),
        body_html: "Chúng tôi sẽ đổi máy mới.".into(),
        attachments: vec![],
    };
    let reply = app.store.add_message(&agent, ticket_id, &reply).await.unwrap();
    let ticket = app.store.get_ticket(&agent, ticket_id).await.unwrap();
    let blobs = rapport_store::BlobStore::new(app.dir.join("blobs"));
    let queued = rapport_channels::email::outbound::queue_reply(app.store.as_ref(), &blobs, ws, &ticket, &reply).await.unwrap().unwrap();
    let page = app.send(get(format!("/tickets/{ticket_id}"))).await.text();
    assert!(page.contains("<span class=\"badge queued\">queued</span>"), "{page}");
    app.store.finish_outbound(queued.id, &rapport_store::mail::DeliveryResult::Sent).await.unwrap();
    let page = app.send(get(format!("/tickets/{ticket_id}"))).await.text();
    assert!(page.contains("<span class=\"badge sent\">sent</span>") && !page.contains("badge queued"), "{page}");
}
