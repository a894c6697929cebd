//! The desk's pages at the HTML level, on both backends: every page declares
//! UTF-8 and escapes what users typed; every page and action checks the
//! role, the workspace and team visibility.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app, Backend, TestApp};
use rapport_domain::{Actor, MessageKind, Role, Timestamp};
use rapport_store::desk::NewSavedView;
use rapport_store::model::*;
use rapport_web::auth::secret;

const HOSTILE: &str = "<script>alert('x')</script>";

/// A signed-in browser session for a user: (cookie header, CSRF token).
async fn session(app: &TestApp, user_id: i64) -> (String, String) {
    let token = secret::random_token("");
    let csrf = secret::random_token("");
    app.store.create_session(user_id, &secret::sha256_hex(&token), &csrf, Timestamp::now().plus_seconds(3600)).await.unwrap();
    (format!("rapport_session={token}"), csrf)
}

async fn get(app: &TestApp, path: &str, cookie: &str) -> common::Reply {
    app.send(Request::get(path).header("cookie", cookie).body(Body::empty()).unwrap()).await
}

async fn post_form(app: &TestApp, path: &str, cookie: &str, body: &str) -> common::Reply {
    let req = Request::post(path)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(req).await
}

async fn member(app: &TestApp, ws: i64, role: Role, name: &str) -> Actor {
    let local: String = name.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let input = NewUser { email: format!("{local}@desk.test"), name: name.into(), role, locale: None, password: None };
    let u = app.store.create_user(&Actor::system(ws), &input, None).await.unwrap();
    Actor { workspace_id: ws, user_id: u.id, role, team_ids: vec![] }
}

async fn every_page_is_utf8_and_escaped(backend: Backend) {
    let app = app(backend).await;
    let ws = app.store.create_workspace("Desk", "desk").await.unwrap().id;
    let agent = member(&app, ws, Role::Agent, &format!("Agent {HOSTILE}")).await;
    let contact = app
        .store
        .create_contact(
            &agent,
            &NewContact { name: format!("Klient {HOSTILE}"), email: None, phone: None, locale: None, organization_ids: vec![] },
        )
        .await
        .unwrap();
    let mut t = NewTicket::new(format!("Temat {HOSTILE} żółty"));
    t.requester_id = Some(contact.id);
    t.tags = vec!["pilne".into()];
    t.message = Some(FirstMessage { body: None, html: Some(format!("<p>Treść{HOSTILE}<img src=x onerror=alert(1)></p>")), kind: None });
    let ticket = app.store.create_ticket(&agent, &t).await.unwrap();
    let note = NewMessage {
        kind: MessageKind::Note,
        author_contact_id: None,
        body_text: HOSTILE.into(),
        body_html: HOSTILE.into(),
        attachments: vec![],
    };
    app.store.add_message(&agent, ticket.id, &note).await.unwrap();
    let view = app
        .store
        .create_saved_view(&agent, &NewSavedView { name: format!("Widok {HOSTILE}"), filters: format!("tag={HOSTILE}"), shared: false })
        .await
        .unwrap();
    let (cookie, _) = session(&app, agent.user_id).await;

    for path in [
        "/".to_string(),
        "/?view=open".into(),
        "/?view=unassigned".into(),
        format!("/?view=saved-{}", view.id),
        format!("/?view=open&tag={}", urlencode(HOSTILE)),
        format!("/tickets/{}", ticket.id),
        "/notifications".into(),
    ] {
        let page = get(&app, &path, &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.text();
        assert!(html.contains("<meta charset=\"utf-8\">"), "{path} declares UTF-8");
        assert!(page.headers[header::CONTENT_TYPE].to_str().unwrap().contains("charset=utf-8"), "{path}");
        assert!(!html.contains("<script>alert"), "{path} renders a user's <script> unescaped");
        assert!(!html.contains("onerror"), "{path} keeps an event handler");
    }
    let ticket_page = get(&app, &format!("/tickets/{}", ticket.id), &cookie).await.text();
    assert!(ticket_page.contains("&#60;script&#62;") || ticket_page.contains("&lt;script&gt;"), "shown, escaped");
    assert!(ticket_page.contains("żółty"));
    let inbox = get(&app, "/?view=open", &cookie).await.text();
    assert!(inbox.contains("żółty") && inbox.contains("Klient &"), "subject and requester are listed, escaped");
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn desk_reads_and_writes_check_role_workspace_and_team(backend: Backend) {
    let app = app(backend).await;
    let ws = app.store.create_workspace("Desk", "desk").await.unwrap().id;
    let admin = member(&app, ws, Role::Admin, "Admin").await;
    let agent = member(&app, ws, Role::Agent, "Agent").await;
    let outsider_agent = member(&app, ws, Role::Agent, "Outsider").await;
    let viewer = member(&app, ws, Role::Viewer, "Viewer").await;
    let billing = app
        .store
        .create_team(&admin, &NewTeam { name: "Billing".into(), restricted: true, member_ids: vec![agent.user_id] })
        .await
        .unwrap();
    let agent = Actor { team_ids: vec![billing.id], ..agent };
    let mut n = NewTicket::new("Zwrot pieniędzy");
    n.team_id = Some(billing.id);
    n.message = Some(FirstMessage { body: Some("Proszę o zwrot.".into()), html: None, kind: None });
    let secret_ticket = app.store.create_ticket(&agent, &n).await.unwrap();
    let open_ticket = app.store.create_ticket(&agent, &NewTicket::new("Pytanie")).await.unwrap();
    let other_ws = app.store.create_workspace("Other", "other").await.unwrap().id;
    let stranger = member(&app, other_ws, Role::Admin, "Stranger").await;

    let (agent_c, agent_csrf) = session(&app, agent.user_id).await;
    let (out_c, out_csrf) = session(&app, outsider_agent.user_id).await;
    let (viewer_c, viewer_csrf) = session(&app, viewer.user_id).await;
    let (stranger_c, stranger_csrf) = session(&app, stranger.user_id).await;

    // Anonymous: sent to the login page, for pages and actions alike.
    for path in ["/", "/notifications", "/live"] {
        let r = get(&app, path, "").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.headers[header::LOCATION], "/login");
    }
    // The ticket page: the team member sees it; another agent (restricted team), another workspace: not found.
    assert_eq!(get(&app, &format!("/tickets/{}", secret_ticket.id), &agent_c).await.status, StatusCode::OK);
    for cookie in [&out_c, &stranger_c] {
        assert_eq!(get(&app, &format!("/tickets/{}", secret_ticket.id), cookie).await.status, StatusCode::NOT_FOUND);
        assert_eq!(get(&app, &format!("/live?ticket={}", secret_ticket.id), cookie).await.status, StatusCode::NOT_FOUND);
    }
    // Inbox lists and counts: the restricted ticket is not in the outsider's, nothing of X in Y's.
    let outsider_inbox = get(&app, "/?view=open", &out_c).await.text();
    assert!(outsider_inbox.contains("Pytanie") && !outsider_inbox.contains("Zwrot pieniędzy"));
    assert!(!get(&app, "/?view=open", &stranger_c).await.text().contains("Pytanie"));
    assert!(get(&app, "/?view=open", &agent_c).await.text().contains("Zwrot pieniędzy"));

    // Writes: a viewer may read but not reply, edit, merge or split; nothing changes.
    assert_eq!(get(&app, &format!("/tickets/{}", open_ticket.id), &viewer_c).await.status, StatusCode::OK);
    let r =
        post_form(&app, &format!("/tickets/{}/properties", open_ticket.id), &viewer_c, &format!("csrf_token={viewer_csrf}&status=solved"))
            .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_form(
        &app,
        &format!("/tickets/{}/merge", open_ticket.id),
        &viewer_c,
        &format!("csrf_token={viewer_csrf}&into={}", secret_ticket.id),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let bulk = format!("csrf_token={viewer_csrf}&id={}&status=solved&return_to=%2F", open_ticket.id);
    assert_eq!(post_form(&app, "/inbox/bulk", &viewer_c, &bulk).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another workspace cannot touch X's tickets by id; the outsider not the restricted one.
    let r = post_form(
        &app,
        &format!("/tickets/{}/properties", open_ticket.id),
        &stranger_c,
        &format!("csrf_token={stranger_csrf}&status=solved"),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let bulk = format!("csrf_token={out_csrf}&id={}&status=solved&return_to=%2F", secret_ticket.id);
    assert_eq!(post_form(&app, "/inbox/bulk", &out_c, &bulk).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    for t in [&open_ticket, &secret_ticket] {
        assert_eq!(app.store.get_ticket(&admin, t.id).await.unwrap().status, t.status, "nothing changed");
    }

    // Without the session's CSRF token, a form post is refused even for the agent.
    let r = post_form(&app, &format!("/tickets/{}/properties", open_ticket.id), &agent_c, "csrf_token=forged&status=solved").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let presence = Request::post(format!("/tickets/{}/presence", open_ticket.id))
        .header("cookie", &agent_c)
        .header("content-type", "application/json")
        .body(Body::from(r#"{"state":"viewing"}"#))
        .unwrap();
    assert_eq!(app.send(presence).await.status, StatusCode::FORBIDDEN);
    let presence = Request::post(format!("/tickets/{}/presence", secret_ticket.id))
        .header("cookie", &out_c)
        .header("x-csrf-token", &out_csrf)
        .header("content-type", "application/json")
        .body(Body::from(r#"{"state":"viewing"}"#))
        .unwrap();
    assert_eq!(app.send(presence).await.status, StatusCode::NOT_FOUND, "no presence on a ticket one cannot see");

    // With the token, the agent's edit lands, with an audit entry and a system event.
    let r = post_form(
        &app,
        &format!("/tickets/{}/properties", open_ticket.id),
        &agent_c,
        &format!("csrf_token={agent_csrf}&status=pending&tags=vip%2C+zwrot"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let t = app.store.get_ticket(&agent, open_ticket.id).await.unwrap();
    assert_eq!(t.status, rapport_domain::TicketStatus::Pending);
    assert_eq!(t.tags, vec!["vip".to_string(), "zwrot".to_string()]);
    let events = app.store.list_messages(&agent, open_ticket.id, None, 50).await.unwrap().items;
    assert!(events.iter().any(|m| m.kind == MessageKind::System && m.body_text.contains("pending")));
}

both_backends!(every_page_is_utf8_and_escaped, desk_reads_and_writes_check_role_workspace_and_team);

async fn sla_targets_through_api_and_pages(backend: Backend) {
    let app = app(backend).await;
    let ws = app.store.create_workspace("Desk", "desk").await.unwrap().id;
    let admin = common::member(app.store.as_ref(), ws, Role::Admin, "sla-admin@desk.test", &[]).await;
    let agent = common::member(app.store.as_ref(), ws, Role::Agent, "sla-agent@desk.test", &[]).await;
    let other_ws = app.store.create_workspace("Other", "other").await.unwrap().id;
    let stranger = common::member(app.store.as_ref(), other_ws, Role::Admin, "sla-stranger@desk.test", &[]).await;

    let targets = serde_json::json!({ "first_response_minutes": 60, "resolution_minutes": 480 });
    assert_eq!(
        app.call(axum::http::Method::PUT, "/api/v1/sla-policies/urgent", Some(&agent.token), Some(targets.clone())).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.call(axum::http::Method::PUT, "/api/v1/sla-policies/urgent", Some(&admin.token), Some(targets)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let bad = serde_json::json!({ "first_response_minutes": -5, "resolution_minutes": null });
    assert_eq!(
        app.call(axum::http::Method::PUT, "/api/v1/sla-policies/urgent", Some(&admin.token), Some(bad)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(app.get("/api/v1/sla-policies", &agent.token).await.json().as_array().unwrap().len(), 1);
    assert!(app.get("/api/v1/sla-policies", &stranger.token).await.json().as_array().unwrap().is_empty());

    let mut t = NewTicket::new("Pilne");
    t.priority = Some(rapport_domain::Priority::Urgent);
    let urgent = app.store.create_ticket(&agent.actor, &t).await.unwrap();
    let plain = app.store.create_ticket(&agent.actor, &NewTicket::new("Zwykłe")).await.unwrap();
    let ids = |r: common::Reply| r.json()["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(app.get("/api/v1/tickets?sla=ok", &agent.token).await), vec![urgent.id], "only tickets with targets have a state");
    assert!(ids(app.get("/api/v1/tickets?sla=breached", &agent.token).await).is_empty());
    assert!(!ids(app.get("/api/v1/tickets?sla=ok", &agent.token).await).contains(&plain.id));
    assert_eq!(app.get("/api/v1/tickets?sla=late", &agent.token).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Pages: the SLA column and the breached view; the settings page is for admins.
    let (agent_c, agent_csrf) = session(&app, agent.user.id).await;
    let inbox = get(&app, "/?view=open", &agent_c).await.text();
    assert!(inbox.contains("sla sla-ok"), "the urgent ticket shows its SLA state");
    assert_eq!(get(&app, "/?view=breached", &agent_c).await.status, StatusCode::OK);
    let ticket_page = get(&app, &format!("/tickets/{}", urgent.id), &agent_c).await.text();
    assert!(ticket_page.contains("sla-line"));
    assert_eq!(get(&app, "/admin/sla", &agent_c).await.status, StatusCode::FORBIDDEN);
    let r = post_form(&app, "/admin/sla", &agent_c, &format!("csrf_token={agent_csrf}&frt_high=30")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (admin_c, admin_csrf) = session(&app, admin.user.id).await;
    assert_eq!(get(&app, "/admin/sla", &admin_c).await.status, StatusCode::OK);
    let r = post_form(&app, "/admin/sla", &admin_c, &format!("csrf_token={admin_csrf}&frt_high=30&res_high=600&frt_urgent=15&res_urgent="))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let policies = app.store.list_sla_policies(&admin.actor).await.unwrap();
    let summary: Vec<(String, Option<i64>, Option<i64>)> =
        policies.iter().map(|p| (p.priority.to_string(), p.first_response_minutes, p.resolution_minutes)).collect();
    assert_eq!(summary, vec![("urgent".to_string(), Some(15), None), ("high".to_string(), Some(30), Some(600))]);
}

mod sla {
    use super::*;
    #[tokio::test]
    async fn sqlite() {
        sla_targets_through_api_and_pages(Backend::Sqlite).await
    }
    #[tokio::test]
    async fn postgres() {
        sla_targets_through_api_and_pages(Backend::Postgres).await
    }
}
