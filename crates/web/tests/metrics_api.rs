//! KPIs and surveys over HTTP, on both backends: the metrics API's numbers
//! and their drill-downs agree, filters and roles apply, the public survey
//! endpoints and page take and change answers behind signed links, survey
//! mail carries a working link, and the report pages render, link and export.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{app, member, test_secrets, Backend, Member, TestApp};
use rapport_analytics::{DAY, HOUR, MINUTE};
use rapport_domain::{Actor, MessageKind, Role, TicketStatus, Timestamp};
use rapport_store::mail::{MailboxInput, Security};
use rapport_store::metrics::{ImportedAuthor, ImportedEvent, ImportedTicket};
use rapport_store::model::*;
use rapport_store::story_metrics::T;
use rapport_store::surveys::{SurveyInput, SurveyKind};
use rapport_store::{BlobStore, Store};
use rapport_web::auth::secret;
use rapport_web::{AppState, WebConfig};
use serde_json::{json, Value};
use std::sync::Arc;

const MARCH: &str = "from=2026-03-01&to=2026-03-31";

struct Fixture {
    ws: i64,
    admin: Member,
    agent: Member,
    viewer: Member,
    contact: Contact,
    /// Answered in 2 h after a note, solved: FCR.
    t1: Ticket,
    /// Answered in 30 min, pending a day, solved.
    t2: Ticket,
    /// Answered in 15 min, solved, reopened, solved.
    t3: Ticket,
    /// Unanswered.
    t6: Ticket,
}

fn msg(at: i64, kind: MessageKind, author: ImportedAuthor, body: &str) -> ImportedEvent {
    ImportedEvent::Message { at: Timestamp(at), kind, author, body: body.into() }
}

fn status(at: i64, to: TicketStatus) -> ImportedEvent {
    ImportedEvent::Status { at: Timestamp(at), to }
}

async fn fixture(app: &TestApp, slug: &str) -> Fixture {
    let store = app.store.as_ref();
    let ws = store.create_workspace("Metrics", slug).await.unwrap().id;
    let admin = member(store, ws, Role::Admin, &format!("admin@{slug}.test"), &[]).await;
    let agent = member(store, ws, Role::Agent, &format!("agent@{slug}.test"), &[]).await;
    let viewer = member(store, ws, Role::Viewer, &format!("viewer@{slug}.test"), &[]).await;
    let contact = store
        .create_contact(
            &agent.actor,
            &NewContact {
                name: "Lê Văn Tâm".into(),
                email: Some(format!("tam@{slug}.vn")),
                phone: None,
                locale: Some(rapport_domain::Locale::Vi),
                organization_ids: vec![],
            },
        )
        .await
        .unwrap();
    let (c, a) = (ImportedAuthor::Customer(contact.id), ImportedAuthor::Agent(agent.user.id));
    let import = |subject: &str, created: i64, events: Vec<ImportedEvent>| ImportedTicket {
        subject: subject.into(),
        created_at: Timestamp(created),
        brand_id: None,
        channel: rapport_domain::Channel::Email,
        language: Some(rapport_domain::Locale::Vi),
        priority: None,
        requester_id: Some(contact.id),
        assignee_id: Some(agent.user.id),
        team_id: None,
        tags: vec!["giao-hang".into()],
        events,
    };
    use MessageKind::{Note, Public};
    use TicketStatus::*;
    let t1 = store
        .import_ticket(
            &admin.actor,
            &import(
                "Máy không lên nguồn",
                T,
                vec![
                    msg(T, Public, c, "Không bật được máy."),
                    msg(T + 10 * MINUTE, Note, a, "Kiểm tra bảo hành."),
                    msg(T + 2 * HOUR, Public, a, "Anh thử sạc lại nhé."),
                    status(T + 3 * HOUR, Solved),
                ],
            ),
        )
        .await
        .unwrap();
    let t2 = store
        .import_ticket(
            &admin.actor,
            &import(
                "Hoá đơn",
                T + HOUR,
                vec![
                    msg(T + HOUR, Public, c, "Hoá đơn sai."),
                    msg(T + 90 * MINUTE, Public, a, "Gửi giúp mã số thuế?"),
                    status(T + 90 * MINUTE, Pending),
                    msg(T + 25 * HOUR, Public, c, "0312345678"),
                    status(T + 26 * HOUR, Solved),
                ],
            ),
        )
        .await
        .unwrap();
    let t3 = store
        .import_ticket(
            &admin.actor,
            &import(
                "Đổi máy",
                T + 2 * HOUR,
                vec![
                    msg(T + 2 * HOUR, Public, c, "Đổi máy được không?"),
                    msg(T + 2 * HOUR + 15 * MINUTE, Public, a, "Được ạ."),
                    status(T + 3 * HOUR, Solved),
                    msg(T + 4 * HOUR, Public, c, "Ở đâu?"),
                    msg(T + 5 * HOUR, Public, a, "Quận 1."),
                    status(T + 5 * HOUR, Solved),
                ],
            ),
        )
        .await
        .unwrap();
    let t6 = store
        .import_ticket(&admin.actor, &import("Chưa trả lời", T + 5 * HOUR, vec![msg(T + 5 * HOUR, Public, c, "Có ai không?")]))
        .await
        .unwrap();
    Fixture { ws, admin, agent, viewer, contact, t1, t2, t3, t6 }
}

fn path_of(url: &str) -> &str {
    url
}

async fn metrics_api_numbers_match_their_drill_downs(backend: Backend) {
    let app = app(backend).await;
    let f = fixture(&app, "metrics-api").await;
    let service = app.get(&format!("/api/v1/metrics/service?{MARCH}"), &f.agent.token).await;
    assert_eq!(service.status, StatusCode::OK, "{}", service.text());
    let v = service.json();
    let r = &v["report"];
    // FRT: 2 h, 30 min, 15 min: median 30 min. Reopen: 1 of 3 first solved (the third). FCR: the first and
    // the second (one agent reply each; a pending ticket the customer answers is not reopened). Backlog: the unanswered one.
    assert_eq!(r["frt"]["calendar"]["count"], json!(3));
    assert_eq!(r["frt"]["calendar"]["median"], json!(30 * MINUTE));
    assert_eq!(r["frt"]["business"], Value::Null, "no business hours yet");
    assert_eq!(
        (r["resolution"]["solved"].clone(), r["resolution"]["reopened"].clone(), r["resolution"]["fcr"].clone()),
        (json!(3), json!(1), json!(2))
    );
    assert_eq!(r["backlog"]["total"], json!(1));
    assert_eq!(r["volume"]["created"], json!(4));
    assert_eq!(r["sla"]["state"], json!("not_configured"));
    assert_eq!(v["scope"]["from"], json!("2026-03-01"));

    // Every figure's drill-down lists exactly what it counted.
    let drill = |key: &str| v["drilldown"][key].as_str().unwrap_or_else(|| panic!("no drill-down for {key}")).to_string();
    let reopened = app.get(path_of(&drill("reopened")), &f.agent.token).await.json();
    assert_eq!((reopened["total"].clone(), reopened["items"][0]["ticket"]["id"].clone()), (json!(1), json!(f.t3.id)));
    let responded = app.get(&drill("responded"), &f.agent.token).await.json();
    assert_eq!(responded["total"], r["frt"]["calendar"]["count"]);
    let backlog = app.get(&drill("backlog"), &f.agent.token).await.json();
    assert_eq!(backlog["items"][0]["ticket"]["id"], json!(f.t6.id));
    let tag = app.get(&drill("tag:giao-hang"), &f.agent.token).await.json();
    assert_eq!(tag["total"], json!(4));
    // As CSV.
    let csv = app.get(&format!("{}&format=csv", drill("fcr")), &f.agent.token).await;
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.text().contains(&format!("#{}", f.t1.id)) && csv.text().contains("Máy không lên nguồn"), "{}", csv.text());

    // Bad input is refused with the field at fault.
    let bad = app.get("/api/v1/metrics/service?from=March", &f.agent.token).await;
    assert_eq!((bad.status, bad.json()["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("from")));
    let bad = app.get(&format!("/api/v1/metrics/tickets?{MARCH}&figure=everything"), &f.agent.token).await;
    assert_eq!((bad.status, bad.json()["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("figure")));
    assert_eq!(app.get("/api/v1/metrics/service?colour=red", &f.agent.token).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Roles and workspaces.
    assert_eq!(app.call(Method::GET, "/api/v1/metrics/service", None, None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(&format!("/api/v1/metrics/service?{MARCH}"), &f.viewer.token).await.status, StatusCode::OK);
    let other = fixture_admin(&app, "metrics-other").await;
    let theirs = app.get(&format!("/api/v1/metrics/service?{MARCH}"), &other.token).await.json();
    assert_eq!(theirs["report"]["volume"]["created"], json!(0));
    let theirs = app.get(&format!("/api/v1/metrics/tickets?{MARCH}&figure=backlog"), &other.token).await.json();
    assert_eq!(theirs["total"], json!(0));

    // Business hours: admins only; then business-time figures appear.
    let hours = json!({"time_zone": "Europe/Warsaw", "week": [{"day": "mon", "from": "09:00", "to": "17:00"}, {"day": "tue", "from": "09:00", "to": "17:00"}]});
    assert_eq!(
        app.call(Method::PUT, "/api/v1/metrics/business-hours", Some(&f.agent.token), Some(hours.clone())).await.status,
        StatusCode::FORBIDDEN
    );
    let bad_hours = json!({"time_zone": "Mars/Olympus", "week": []});
    assert_eq!(
        app.call(Method::PUT, "/api/v1/metrics/business-hours", Some(&f.admin.token), Some(bad_hours)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(app.call(Method::PUT, "/api/v1/metrics/business-hours", Some(&f.admin.token), Some(hours)).await.status, StatusCode::OK);
    let v = app.get(&format!("/api/v1/metrics/service?{MARCH}"), &f.agent.token).await.json();
    assert_eq!(v["scope"]["time_zone"], json!("Europe/Warsaw"));
    // Business FRT: 2 h (09:00–11:00), 30 min, 15 min: median 30 min.
    assert_eq!(v["report"]["frt"]["business"]["median"], json!(30 * MINUTE));

    // Scorecards name the agent and drill into their tickets.
    let agents = app.get(&format!("/api/v1/metrics/agents?{MARCH}"), &f.agent.token).await.json();
    let card = agents["scorecards"].as_array().unwrap().iter().find(|c| c["key"] == json!(f.agent.user.id)).unwrap().clone();
    assert_eq!((card["solved"].clone(), card["name"].clone()), (json!(3), json!(f.agent.user.name)));
    let solved = app.get(card["drilldown"]["solved"].as_str().unwrap(), &f.agent.token).await.json();
    assert_eq!(solved["total"], json!(3));
    let _ = (f.ws, &f.contact, &f.t2);
}

async fn fixture_admin(app: &TestApp, slug: &str) -> Member {
    let ws = app.store.create_workspace("Other", slug).await.unwrap().id;
    member(app.store.as_ref(), ws, Role::Admin, &format!("admin@{slug}.test"), &[]).await
}

fn today() -> String {
    let d = Timestamp::now().to_datetime().date_naive();
    format!("from={}&to={}", d - chrono_days(1), d + chrono_days(1))
}

fn chrono_days(n: u64) -> chrono::Days {
    chrono::Days::new(n)
}

async fn surveys_api_public_answers_and_changes(backend: Backend) {
    let app = app(backend).await;
    let f = fixture(&app, "surveys-api").await;
    let input = json!({"kind": "csat", "name": "Sau hỗ trợ", "delay_minutes": 0, "throttle_days": 0});
    assert_eq!(app.post("/api/v1/surveys", &f.agent.token, input.clone()).await.status, StatusCode::FORBIDDEN);
    let survey = app.post("/api/v1/surveys", &f.admin.token, input).await;
    assert_eq!(survey.status, StatusCode::CREATED, "{}", survey.text());
    let survey_id = survey.json()["id"].as_i64().unwrap();

    // The widget's call: an invitation link for the ticket.
    let link = app.post(&format!("/api/v1/tickets/{}/survey-invitations", f.t1.id), &f.agent.token, json!({"survey_id": survey_id})).await;
    assert_eq!(link.status, StatusCode::OK, "{}", link.text());
    let link = link.json();
    let token = link["token"].as_str().unwrap().to_string();
    assert!(link["url"].as_str().unwrap().ends_with(&format!("/s/{token}")));

    // The public endpoints need no sign-in; the survey speaks the contact's language (Vietnamese).
    let public = app.call(Method::GET, &format!("/api/v1/public/surveys/{token}"), None, None).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.text());
    let p = public.json();
    assert_eq!((p["kind"].clone(), p["locale"].clone(), p["scale"].clone()), (json!("csat"), json!("vi"), json!([1, 5])));
    assert!(p["question"].as_str().unwrap().contains("hài lòng"));
    let forged = format!("{}.{}", f.t1.id + 1000, token.split_once('.').unwrap().1);
    assert_eq!(app.call(Method::GET, &format!("/api/v1/public/surveys/{forged}"), None, None).await.code(), "survey_not_found");

    let answer = |score: i64| json!({"score": score, "comment": "Giao hàng hơi chậm"});
    let first = app.call(Method::POST, &format!("/api/v1/public/surveys/{token}"), None, Some(answer(2))).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_eq!(
        app.call(Method::POST, &format!("/api/v1/public/surveys/{token}"), None, Some(answer(9))).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let exp = app.get(&format!("/api/v1/metrics/experience?{}", today()), &f.agent.token).await.json();
    assert_eq!((exp["report"]["csat"]["responses"].clone(), exp["report"]["csat"]["percent"].clone()), (json!(1), json!(0.0)));
    // The low score left a task for the ticket's assignee.
    let tasks = app.get("/api/v1/tasks?owner=me", &f.agent.token).await.json();
    assert_eq!((tasks.as_array().unwrap().len(), tasks[0]["ticket_id"].clone()), (1, json!(f.t1.id)));

    // Changed within the window: counted once, with the new score.
    let changed = app.call(Method::POST, &format!("/api/v1/public/surveys/{token}"), None, Some(answer(5))).await.json();
    assert_eq!((changed["score"].clone(), changed["revision"].clone()), (json!(5), json!(2)));
    let exp = app.get(&format!("/api/v1/metrics/experience?{}", today()), &f.agent.token).await.json();
    assert_eq!((exp["report"]["csat"]["responses"].clone(), exp["report"]["csat"]["percent"].clone()), (json!(1), json!(100.0)));
    assert_eq!(exp["response_rate"]["csat"], json!(100.0));
    let satisfied = app.get(exp["drilldown"]["satisfied"].as_str().unwrap(), &f.agent.token).await.json();
    assert_eq!((satisfied["total"].clone(), satisfied["items"][0]["ticket_id"].clone()), (json!(1), json!(f.t1.id)));
    // On the ticket and the customer's timeline.
    let on_ticket = app.get(&format!("/api/v1/survey-responses?ticket={}", f.t1.id), &f.agent.token).await.json();
    assert_eq!(on_ticket["items"][0]["score"], json!(5));
    let timeline = app.get(&format!("/api/v1/survey-responses?contact={}", f.contact.id), &f.viewer.token).await.json();
    assert_eq!(timeline["items"].as_array().unwrap().len(), 1);
    let other = fixture_admin(&app, "surveys-other").await;
    let theirs = app.get(&format!("/api/v1/survey-responses?contact={}", f.contact.id), &other.token).await.json();
    assert!(theirs["items"].as_array().unwrap().is_empty());
    assert_eq!(app.get(&format!("/api/v1/survey-responses?ticket={}", f.t1.id), &other.token).await.status, StatusCode::NOT_FOUND);

    // Webhooks: admins subscribe and get the secret once.
    let hook =
        app.post("/api/v1/webhooks", &f.admin.token, json!({"url": "https://hooks.example.com/x", "events": ["survey.low_score"]})).await;
    assert_eq!(hook.status, StatusCode::CREATED);
    assert!(hook.json()["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(app.get("/api/v1/webhooks", &f.agent.token).await.status, StatusCode::FORBIDDEN);
    let _ = f.ws;
}

/// A browser session for a user: (cookie header, CSRF token).
async fn session(app: &TestApp, user_id: i64) -> (String, String) {
    let token = secret::random_token("");
    let csrf = secret::random_token("");
    app.store.create_session(user_id, &secret::sha256_hex(&token), &csrf, Timestamp::now().plus_seconds(3600)).await.unwrap();
    (format!("rapport_session={token}"), csrf)
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> common::Reply {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

async fn form(app: &TestApp, path: &str, cookie: Option<&str>, body: &str) -> common::Reply {
    let mut req = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    app.send(req.body(Body::from(body.to_string())).unwrap()).await
}

async fn report_pages_render_link_and_export(backend: Backend) {
    let app = app(backend).await;
    let f = fixture(&app, "report-pages").await;
    let (cookie, csrf) = session(&app, f.agent.user.id).await;
    let service = page(&app, &format!("/reports?{MARCH}"), Some(&cookie)).await;
    assert_eq!(service.status, StatusCode::OK, "{}", service.text());
    let html = service.text();
    assert!(html.contains("<meta charset=\"utf-8\">") && html.contains("<svg"));
    // (Askama writes `&` in attributes as `&#38;`.)
    assert!(
        html.contains(&format!("/reports/tickets?{}&#38;figure=reopened", MARCH.replace('&', "&#38;"))),
        "the reopen rate links to its tickets"
    );
    assert!(html.contains("33.3%"), "reopen rate 1 of 3");
    let drill = page(&app, &format!("/reports/tickets?{MARCH}&figure=reopened"), Some(&cookie)).await.text();
    assert!(drill.contains(&format!("href=\"/tickets/{}\"", f.t3.id)) && drill.contains("id=\"drill-total\">1<"), "{drill}");
    let csv = page(&app, &format!("/reports?{MARCH}&format=csv&table=by_channel"), Some(&cookie)).await;
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.text().contains("Email,4") || csv.text().contains(",4\r\n"), "{}", csv.text());
    assert_eq!(
        page(&app, &format!("/reports?{MARCH}&format=csv&table=nope"), Some(&cookie)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    for path in ["/reports/experience", "/reports/agents", "/reports/teams"] {
        let p = page(&app, &format!("{path}?{MARCH}"), Some(&cookie)).await;
        assert_eq!(p.status, StatusCode::OK, "{path}: {}", p.text());
    }
    let agents_csv = page(&app, &format!("/reports/agents?{MARCH}&format=csv"), Some(&cookie)).await.text();
    assert!(agents_csv.contains(&f.agent.user.name), "{agents_csv}");
    // Signed out: to the login page. Viewers read reports.
    let anon = page(&app, "/reports", None).await;
    assert_eq!((anon.status, anon.headers[header::LOCATION].to_str().unwrap()), (StatusCode::SEE_OTHER, "/login"));
    let (viewer_cookie, _) = session(&app, f.viewer.user.id).await;
    assert_eq!(page(&app, &format!("/reports?{MARCH}"), Some(&viewer_cookie)).await.status, StatusCode::OK);
    // Another workspace's report counts none of these tickets.
    let other = fixture_admin(&app, "report-other").await;
    let (other_cookie, _) = session(&app, other.user.id).await;
    let theirs = page(&app, &format!("/reports/tickets?{MARCH}&figure=reopened"), Some(&other_cookie)).await.text();
    assert!(theirs.contains("id=\"drill-total\">0<") && !theirs.contains(&format!("/tickets/{}\"", f.t3.id)));

    // The ticket page's panel: time logged through its form (CSRF checked).
    let url = format!("/tickets/{}/time", f.t1.id);
    assert_eq!(form(&app, &url, Some(&cookie), "csrf_token=wrong&minutes=15").await.status, StatusCode::FORBIDDEN);
    let logged = form(&app, &url, Some(&cookie), &format!("csrf_token={csrf}&minutes=15&note=G%E1%BB%8Di+l%E1%BA%A1i")).await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER);
    let ticket_page = page(&app, &format!("/tickets/{}", f.t1.id), Some(&cookie)).await.text();
    assert!(
        ticket_page.contains("id=\"survey-panel\"") && ticket_page.contains("id=\"time-logged\">15 min<"),
        "panel with the time logged"
    );
    let entries = app.store.list_time_entries(&f.agent.actor, f.t1.id).await.unwrap();
    assert_eq!((entries.len(), entries[0].duration_seconds), (1, 900));
    let _ = f.t2;
}

async fn survey_page_and_mail(backend: Backend) {
    let app = app(backend).await;
    let f = fixture(&app, "survey-page").await;
    let store = app.store.as_ref();
    let secrets = test_secrets();
    let mailbox = store
        .create_mailbox(
            &f.admin.actor,
            &MailboxInput {
                brand_id: None,
                name: "CSKH".into(),
                address: "cskh@survey-page.test".into(),
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
                from_name: "CSKH".into(),
                reply_to: None,
                max_message_bytes: 10_000_000,
                active: true,
                allow_remote_images: false,
            },
        )
        .await
        .unwrap();
    let input = SurveyInput { delay_minutes: Some(0), throttle_days: Some(0), ..SurveyInput::new(SurveyKind::Csat, "CSAT") };
    store.create_survey(&f.admin.actor, &input).await.unwrap();
    // A ticket solved now is surveyed by mail, in the customer's language, with a signed link.
    let mut t = NewTicket::new("Bảo hành");
    t.requester_id = Some(f.contact.id);
    t.assignee_id = Some(f.agent.user.id);
    t.message = Some(FirstMessage { body: Some("Máy hỏng.".into()), html: None, kind: None });
    let ticket = store.create_ticket(&f.agent.actor, &t).await.unwrap();
    store
        .update_ticket(&f.agent.actor, ticket.id, &TicketPatch { status: Some(TicketStatus::Solved), ..Default::default() })
        .await
        .unwrap();
    store.plan_survey_invitations(Timestamp::now(), 100).await.unwrap();
    let queued = rapport_web::pages::surveys::mail::send_pending(store, &secrets, "http://rapport.test", 100).await.unwrap();
    assert!(queued >= 1);
    let out = store.list_outbound(&f.admin.actor, Some(ticket.id), 10).await.unwrap();
    let mail = out.iter().find(|o| o.mailbox_id == mailbox.id).expect("the survey mail is queued");
    let parsed = rapport_channels::email::parse::parse(&mail.raw).unwrap();
    assert!(parsed.subject.contains(&format!("#{}", ticket.id)) && parsed.subject.contains("Chúng tôi"), "{}", parsed.subject);
    let link = parsed.text.lines().find_map(|l| l.strip_prefix("5: ")).expect("a link per score").trim().to_string();
    let path = link.strip_prefix("http://rapport.test").unwrap().to_string();
    assert!(path.starts_with("/s/") && path.ends_with("?score=5"), "{path}");

    // The page: no sign-in, Vietnamese, the score from the mail chosen, nothing recorded yet.
    let shown = page(&app, &path, None).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text());
    assert_eq!(shown.headers[header::CACHE_CONTROL], "no-store");
    let html = shown.text();
    assert!(html.contains("lang=\"vi\"") && html.contains("hài lòng") && html.contains("id=\"score-5\" required checked"), "{html}");
    assert!(store
        .list_responses(
            &f.agent.actor,
            &rapport_store::surveys::ResponseQuery { ticket_id: Some(ticket.id), limit: 5, ..Default::default() }
        )
        .await
        .unwrap()
        .items
        .is_empty());
    let post_path = path.split('?').next().unwrap().to_string();
    let missing = form(&app, &post_path, None, "comment=x").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let saved = form(&app, &post_path, None, "score=4&comment=Nhanh+v%C3%A0+t%E1%BA%ADn+t%C3%ACnh").await;
    assert_eq!(saved.status, StatusCode::OK);
    assert!(saved.text().contains("id=\"survey-thanks\"") && saved.text().contains("Đổi câu trả lời"));
    let again = page(&app, &post_path, None).await.text();
    assert!(again.contains("id=\"score-4\" required checked") && again.contains("Nhanh và tận tình"));
    // The agent sees it on the ticket.
    let (cookie, _) = session(&app, f.agent.user.id).await;
    let ticket_page = page(&app, &format!("/tickets/{}", ticket.id), Some(&cookie)).await.text();
    assert!(ticket_page.contains("CSAT 4/5") && ticket_page.contains("Nhanh và tận tình"), "the answer is on the ticket");
    // A forged link.
    let bad = page(&app, "/s/1.AAAAAAAAAAAAAAAAAAAAAA", None).await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
}

async fn survey_pages_are_rate_limited(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = match backend {
        Backend::Sqlite => Arc::new(rapport_store_sqlite::SqliteStore::open(dir.path().join("t.db")).await.unwrap()),
        Backend::Postgres => Arc::new(rapport_store_postgres::testing::fresh_store().await),
    };
    store.migrate().await.unwrap();
    let mut state = AppState::new(store, BlobStore::new(dir.path().join("blobs")), WebConfig::default(), test_secrets());
    state.surveys = Arc::new(rapport_web::pages::surveys::SurveyLimits::per_minute(3));
    let router = rapport_web::router(state);
    let mut last = StatusCode::OK;
    for _ in 0..4 {
        let resp = tower::ServiceExt::oneshot(router.clone(), Request::get("/s/1.AAAAAAAAAAAAAAAAAAAAAA").body(Body::empty()).unwrap())
            .await
            .unwrap();
        last = resp.status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let api = tower::ServiceExt::oneshot(router, Request::get("/api/v1/public/surveys/1.AAAA").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    let _ = (DAY, Actor::system(0));
}

both_backends!(
    metrics_api_numbers_match_their_drill_downs,
    surveys_api_public_answers_and_changes,
    report_pages_render_link_and_export,
    survey_page_and_mail,
    survey_pages_are_rate_limited
);
