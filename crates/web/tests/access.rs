//! The access matrix: no role and no workspace reads or changes what it must not.
//! Every denied write is followed by a check that nothing changed.

mod common;

use axum::http::{Method, StatusCode};
use common::{app, member, Backend, Member, TestApp};
use rapport_domain::{Actor, Role};
use rapport_store::model::*;
use serde_json::{json, Value};

struct World {
    app: TestApp,
    admin: Member,
    agent_a: Member,
    agent_b: Member,
    csm: Member,
    viewer: Member,
    other_admin: Member,
    ticket_a: i64,
    ticket_b: i64,
    team_a: i64,
    contact: i64,
    org: i64,
    message_b: i64,
}

async fn world(backend: Backend) -> World {
    let app = app(backend).await;
    let s = app.store.as_ref();
    let x = s.create_workspace("X", "x").await.unwrap().id;
    let y = s.create_workspace("Y", "y").await.unwrap().id;
    let sys = Actor::system(x);
    let team_a = s.create_team(&sys, &NewTeam { name: "Billing".into(), restricted: true, member_ids: vec![] }).await.unwrap().id;
    let team_b = s.create_team(&sys, &NewTeam { name: "Support".into(), restricted: false, member_ids: vec![] }).await.unwrap().id;
    let admin = member(s, x, Role::Admin, "admin@x.test", &[]).await;
    let agent_a = member(s, x, Role::Agent, "a@x.test", &[team_a]).await;
    let agent_b = member(s, x, Role::Agent, "b@x.test", &[team_b]).await;
    let csm = member(s, x, Role::Csm, "csm@x.test", &[]).await;
    let viewer = member(s, x, Role::Viewer, "viewer@x.test", &[]).await;
    let other_admin = member(s, y, Role::Admin, "admin@y.test", &[]).await;
    let org = s.create_organization(&sys, &NewOrganization { name: "Khách hàng A".into(), domain: None, notes: None }).await.unwrap().id;
    let contact = s
        .create_contact(
            &sys,
            &NewContact { name: "Anna".into(), email: Some("anna@k.pl".into()), phone: None, locale: None, organization_ids: vec![org] },
        )
        .await
        .unwrap()
        .id;
    let mut t = NewTicket::new("Restricted billing question");
    t.team_id = Some(team_a);
    t.requester_id = Some(contact);
    t.message = Some(FirstMessage { body: Some("Faktura".into()), html: None, kind: None });
    let ticket_a = s.create_ticket(&sys, &t).await.unwrap().id;
    let mut t = NewTicket::new("Open support question");
    t.team_id = Some(team_b);
    t.requester_id = Some(contact);
    t.message = Some(FirstMessage { body: Some("Pomocy".into()), html: None, kind: None });
    let ticket_b = s.create_ticket(&sys, &t).await.unwrap().id;
    let message_b = s.list_messages(&sys, ticket_b, None, 10).await.unwrap().items[0].id;
    World { app, admin, agent_a, agent_b, csm, viewer, other_admin, ticket_a, ticket_b, team_a, contact, org, message_b }
}

/// Snapshot of what the admin sees, to prove denied requests changed nothing.
async fn snapshot(w: &World) -> Value {
    let t = &w.admin.token;
    json!([
        w.app.get(&format!("/api/v1/tickets/{}", w.ticket_a), t).await.json(),
        w.app.get(&format!("/api/v1/tickets/{}", w.ticket_b), t).await.json(),
        w.app.get(&format!("/api/v1/tickets/{}/messages", w.ticket_b), t).await.json(),
        w.app.get(&format!("/api/v1/contacts/{}", w.contact), t).await.json(),
        w.app.get(&format!("/api/v1/organizations/{}", w.org), t).await.json(),
        w.app.get("/api/v1/users?limit=100", t).await.json(),
        w.app.get("/api/v1/teams", t).await.json(),
        w.app.get("/api/v1/tickets?limit=100", t).await.json(),
    ])
}

async fn expect(w: &World, who: &Member, method: Method, path: &str, body: Option<Value>, status: StatusCode, code: &str) {
    let r = w.app.call(method.clone(), path, Some(&who.token), body).await;
    assert_eq!(r.status, status, "{} {method} {path}: {}", who.user.email, r.text());
    if !code.is_empty() {
        assert_eq!(r.code(), code, "{} {method} {path}", who.user.email);
    }
}

async fn access_matrix(backend: Backend) {
    let w = world(backend).await;
    let before = snapshot(&w).await;
    let (ta, tb) = (w.ticket_a, w.ticket_b);
    let forbidden = StatusCode::FORBIDDEN;
    let not_found = StatusCode::NOT_FOUND;
    let ticket_path = |id: i64| format!("/api/v1/tickets/{id}");

    // A viewer reads but never writes.
    expect(&w, &w.viewer, Method::GET, &ticket_path(tb), None, StatusCode::OK, "").await;
    expect(&w, &w.viewer, Method::POST, "/api/v1/tickets", Some(json!({"subject": "x"})), forbidden, "forbidden").await;
    expect(&w, &w.viewer, Method::PATCH, &ticket_path(tb), Some(json!({"status": "solved"})), forbidden, "forbidden").await;
    expect(&w, &w.viewer, Method::DELETE, &ticket_path(tb), None, forbidden, "forbidden").await;
    expect(&w, &w.viewer, Method::POST, &format!("{}/messages", ticket_path(tb)), Some(json!({"body": "x"})), forbidden, "forbidden").await;
    expect(&w, &w.viewer, Method::POST, "/api/v1/contacts", Some(json!({"name": "x"})), forbidden, "forbidden").await;
    expect(&w, &w.viewer, Method::PATCH, &format!("/api/v1/contacts/{}", w.contact), Some(json!({"name": "x"})), forbidden, "forbidden")
        .await;
    expect(&w, &w.viewer, Method::POST, "/api/v1/organizations", Some(json!({"name": "x"})), forbidden, "forbidden").await;
    expect(&w, &w.viewer, Method::POST, "/api/v1/tags", Some(json!({"name": "x"})), forbidden, "forbidden").await;
    expect(&w, &w.viewer, Method::GET, &ticket_path(ta), None, not_found, "ticket_not_found").await;

    // An agent of team B cannot read or touch team A's restricted ticket, and does not see it listed.
    expect(&w, &w.agent_b, Method::GET, &ticket_path(ta), None, not_found, "ticket_not_found").await;
    expect(&w, &w.agent_b, Method::GET, &format!("{}/messages", ticket_path(ta)), None, not_found, "").await;
    expect(&w, &w.agent_b, Method::PATCH, &ticket_path(ta), Some(json!({"priority": "urgent"})), not_found, "").await;
    expect(&w, &w.agent_b, Method::POST, &format!("{}/messages", ticket_path(ta)), Some(json!({"body": "x"})), not_found, "").await;
    let listed = w.app.get("/api/v1/tickets?limit=100", &w.agent_b.token).await.json();
    let ids: Vec<i64> = listed["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![tb]);
    let team_filter = w.app.get(&format!("/api/v1/tickets?team={}", w.team_a), &w.agent_b.token).await.json();
    assert!(team_filter["items"].as_array().unwrap().is_empty(), "filtering by the team does not reveal it");
    // Team A's agent and the admin do see it.
    expect(&w, &w.agent_a, Method::GET, &ticket_path(ta), None, StatusCode::OK, "").await;
    expect(&w, &w.admin, Method::GET, &ticket_path(ta), None, StatusCode::OK, "").await;

    // Agents and CSMs do not manage the directory, read the audit log, or delete.
    for who in [&w.agent_b, &w.csm] {
        expect(
            &w,
            who,
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "n@x.test", "name": "n", "role": "admin"})),
            forbidden,
            "forbidden",
        )
        .await;
        expect(
            &w,
            who,
            Method::PATCH,
            &format!("/api/v1/users/{}", w.viewer.user.id),
            Some(json!({"role": "admin"})),
            forbidden,
            "forbidden",
        )
        .await;
        expect(&w, who, Method::PATCH, &format!("/api/v1/users/{}", who.user.id), Some(json!({"role": "admin"})), forbidden, "forbidden")
            .await;
        expect(&w, who, Method::POST, "/api/v1/teams", Some(json!({"name": "t"})), forbidden, "forbidden").await;
        expect(
            &w,
            who,
            Method::PATCH,
            &format!("/api/v1/teams/{}", w.team_a),
            Some(json!({"member_ids": [who.user.id]})),
            forbidden,
            "forbidden",
        )
        .await;
        expect(&w, who, Method::GET, "/api/v1/audit", None, forbidden, "forbidden").await;
        expect(&w, who, Method::GET, "/api/v1/raw-inbound", None, forbidden, "forbidden").await;
        expect(&w, who, Method::DELETE, &ticket_path(tb), None, forbidden, "forbidden").await;
        expect(&w, who, Method::DELETE, &format!("/api/v1/contacts/{}", w.contact), None, forbidden, "forbidden").await;
        expect(&w, who, Method::DELETE, &format!("/api/v1/messages/{}", w.message_b), None, forbidden, "forbidden").await;
        expect(&w, who, Method::GET, &format!("/api/v1/users/{}/tokens", w.admin.user.id), None, forbidden, "forbidden").await;
        expect(
            &w,
            who,
            Method::POST,
            &format!("/api/v1/users/{}/tokens", w.admin.user.id),
            Some(json!({"name": "steal"})),
            forbidden,
            "forbidden",
        )
        .await;
    }

    // Workspace Y's admin sees nothing of X by id, and cannot change it.
    let y = &w.other_admin;
    for path in [
        ticket_path(tb),
        ticket_path(ta),
        format!("{}/messages", ticket_path(tb)),
        format!("/api/v1/messages/{}", w.message_b),
        format!("/api/v1/contacts/{}", w.contact),
        format!("/api/v1/organizations/{}", w.org),
        format!("/api/v1/users/{}", w.agent_a.user.id),
        format!("/api/v1/teams/{}", w.team_a),
    ] {
        expect(&w, y, Method::GET, &path, None, not_found, "").await;
    }
    expect(&w, y, Method::PATCH, &ticket_path(tb), Some(json!({"status": "solved"})), not_found, "ticket_not_found").await;
    expect(&w, y, Method::DELETE, &ticket_path(tb), None, not_found, "").await;
    expect(&w, y, Method::PATCH, &format!("/api/v1/contacts/{}", w.contact), Some(json!({"name": "x"})), not_found, "").await;
    expect(&w, y, Method::DELETE, &format!("/api/v1/organizations/{}", w.org), None, not_found, "").await;
    expect(&w, y, Method::PATCH, &format!("/api/v1/users/{}", w.agent_a.user.id), Some(json!({"role": "viewer"})), not_found, "").await;
    expect(&w, y, Method::DELETE, &format!("/api/v1/users/{}", w.agent_a.user.id), None, not_found, "").await;
    expect(
        &w,
        y,
        Method::POST,
        &format!("/api/v1/users/{}/tokens", w.agent_a.user.id),
        Some(json!({"name": "x"})),
        not_found,
        "user_not_found",
    )
    .await;
    expect(
        &w,
        y,
        Method::POST,
        "/api/v1/tickets",
        Some(json!({"subject": "x", "requester_id": w.contact})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    for list in ["/api/v1/tickets", "/api/v1/contacts", "/api/v1/organizations", "/api/v1/teams", "/api/v1/tags"] {
        let r = w.app.get(list, &y.token).await.json();
        let items = r.get("items").unwrap_or(&r).as_array().unwrap().clone();
        assert!(items.is_empty(), "{list} leaks: {items:?}");
    }
    let users = w.app.get("/api/v1/users", &y.token).await.json();
    assert_eq!(users["items"].as_array().unwrap().len(), 1, "only Y's own admin");

    assert_eq!(snapshot(&w).await, before, "denied requests changed nothing");

    // The admin may do what others may not.
    expect(&w, &w.admin, Method::DELETE, &ticket_path(tb), None, StatusCode::NO_CONTENT, "").await;
}

async fn anonymous_and_bad_tokens(backend: Backend) {
    let w = world(backend).await;
    let r = w.app.call(Method::GET, "/api/v1/tickets", None, None).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    let r = w.app.call(Method::POST, "/api/v1/tickets", None, Some(json!({"subject": "x"}))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = w.app.call(Method::GET, "/api/v1/tickets", Some("rpt_not-a-real-token"), None).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::UNAUTHORIZED, "invalid_token"));
    let req = axum::http::Request::get("/api/v1/me").header("authorization", "Basic Zm9vOmJhcg==").body(axum::body::Body::empty()).unwrap();
    assert_eq!(w.app.send(req).await.status, StatusCode::UNAUTHORIZED);

    // A revoked token, and the token of a deactivated user, stop working at once.
    let created = w.app.post(&format!("/api/v1/users/{}/tokens", w.csm.user.id), &w.csm.token, json!({"name": "laptop"})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let fresh = created.json()["token"].as_str().unwrap().to_string();
    assert_eq!(w.app.get("/api/v1/me", &fresh).await.json()["id"], w.csm.user.id);
    let id = created.json()["id"].as_i64().unwrap();
    assert_eq!(w.app.delete(&format!("/api/v1/tokens/{id}"), &w.csm.token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(w.app.get("/api/v1/me", &fresh).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(w.app.delete(&format!("/api/v1/users/{}", w.viewer.user.id), &w.admin.token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(w.app.get("/api/v1/me", &w.viewer.token).await.code(), "invalid_token");
}

both_backends!(access_matrix, anonymous_and_bad_tokens);
