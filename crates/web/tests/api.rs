//! The REST API end to end: CRUD, filters and cursors, idempotency, bad input, OpenAPI.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use base64::Engine;
use common::{app, app_with, member, Backend, Member, TestApp};
use rapport_domain::{Actor, Role};
use rapport_store::model::NewTeam;
use rapport_web::WebConfig;
use serde_json::{json, Value};

async fn setup(app: &TestApp) -> (Member, Member) {
    let ws = app.store.create_workspace("Demo", "demo").await.unwrap().id;
    let admin = member(app.store.as_ref(), ws, Role::Admin, "admin@demo.test", &[]).await;
    let agent = member(app.store.as_ref(), ws, Role::Agent, "agent@demo.test", &[]).await;
    (admin, agent)
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

async fn count_tickets(app: &TestApp, token: &str) -> usize {
    let mut n = 0;
    let mut path = "/api/v1/tickets?limit=100".to_string();
    loop {
        let page = app.get(&path, token).await.json();
        n += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/tickets?limit=100&cursor={c}"),
            None => return n,
        }
    }
}

async fn tickets_and_messages(backend: Backend) {
    let app = app(backend).await;
    let (admin, agent) = setup(&app).await;
    let t = &agent.token;
    let contact = app.post("/api/v1/contacts", t, json!({"name": "Trần Thị Mai", "email": "mai@example.vn", "locale": "vi"})).await;
    assert_eq!(contact.status, StatusCode::CREATED, "{}", contact.text());
    let contact_id = contact.json()["id"].as_i64().unwrap();

    let created = app
        .post(
            "/api/v1/tickets",
            t,
            json!({
                "subject": "Đơn hàng giao chậm",
                "requester_id": contact_id,
                "channel": "email",
                "language": "vi",
                "priority": "high",
                "tags": ["giao-hang", "VIP"],
                "message": {"html": "<p>Xin chào,<script>alert(1)</script> đơn hàng #123 chưa tới.</p>"}
            }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let ticket = created.json();
    let id = ticket["id"].as_i64().unwrap();
    assert_eq!(ticket["status"], "new");
    assert_eq!(ticket["tags"], json!(["giao-hang", "vip"]));
    assert_eq!(ticket["language"], "vi");

    let msgs = app.get(&format!("/api/v1/tickets/{id}/messages"), t).await.json();
    let first = &msgs["items"][0];
    assert!(!first["body_html"].as_str().unwrap().contains("<script"), "HTML is sanitised: {first}");
    assert!(first["body_text"].as_str().unwrap().contains("đơn hàng #123"));
    assert_eq!(first["author_contact_id"], contact_id);

    // A reply with an attachment; the file comes back byte for byte.
    let file = "Hóa đơn số 7\n".as_bytes();
    let reply = app
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            t,
            json!({"body": "Chúng tôi đã gửi lại hàng.", "attachments": [{"filename": "hóa đơn.txt", "content_type": "text/plain", "data_base64": base64::engine::general_purpose::STANDARD.encode(file)}]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let att = reply.json()["attachments"][0].clone();
    let dl = app.get(&format!("/api/v1/attachments/{}", att["id"]), t).await;
    assert_eq!(dl.status, StatusCode::OK);
    assert_eq!(dl.body, file);
    assert!(dl.headers["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''h%C3%B3a%20%C4%91%C6%A1n.txt"));
    let bad_att = app
        .post(&format!("/api/v1/tickets/{id}/messages"), t, json!({"body": "x", "attachments": [{"filename": "a", "data_base64": "%%%"}]}))
        .await;
    assert_eq!((bad_att.status, bad_att.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));

    let after = app.get(&format!("/api/v1/tickets/{id}"), t).await.json();
    assert_eq!(after["status"], "open", "an agent's reply opens a new ticket");
    assert!(after["first_response_at"].is_string());

    // Status changes follow the domain's rules.
    let bad = app.patch(&format!("/api/v1/tickets/{id}"), t, json!({"status": "closed"})).await;
    assert_eq!((bad.status, bad.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_status_transition"));
    assert_eq!(app.patch(&format!("/api/v1/tickets/{id}"), t, json!({"status": "solved"})).await.status, StatusCode::OK);
    assert_eq!(app.patch(&format!("/api/v1/tickets/{id}"), t, json!({"status": "closed"})).await.status, StatusCode::OK);
    let closed = app.patch(&format!("/api/v1/tickets/{id}"), t, json!({"priority": "low"})).await;
    assert_eq!((closed.status, closed.code().as_str()), (StatusCode::CONFLICT, "ticket_closed"));
    let follow = app.post("/api/v1/tickets", t, json!({"subject": "Follow-up", "followup_of": id})).await;
    assert_eq!(follow.json()["requester_id"], contact_id);

    // The audit log saw it all.
    let audit = app.get(&format!("/api/v1/audit?entity_type=ticket&entity_id={id}"), &admin.token).await.json();
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert!(
        actions.contains(&"ticket.created") && actions.contains(&"ticket.updated") && actions.contains(&"message.created"),
        "{actions:?}"
    );
}

async fn filters_sorting_and_cursors(backend: Backend) {
    let app = app(backend).await;
    let (admin, agent) = setup(&app).await;
    let team = app
        .store
        .create_team(&Actor::system(agent.user.workspace_id), &NewTeam { name: "Hỗ trợ".into(), restricted: false, member_ids: vec![] })
        .await
        .unwrap();
    let channels = ["email", "chat", "web", "api", "phone"];
    for i in 0..25 {
        let mut body = json!({"subject": format!("Zgłoszenie {i}"), "channel": channels[i % 5], "tags": if i % 4 == 0 { json!(["faktura"]) } else { json!([]) }});
        if i % 3 == 0 {
            body["assignee_id"] = json!(agent.user.id);
        }
        if i % 5 == 0 {
            body["team_id"] = json!(team.id);
        }
        if i % 2 == 0 {
            body["status"] = json!("pending");
        }
        assert_eq!(app.post("/api/v1/tickets", &admin.token, body).await.status, StatusCode::CREATED);
    }
    let t = &agent.token;
    let count = |path: String| {
        let app = &app;
        async move { app.get(&path, t).await.json()["items"].as_array().unwrap().len() }
    };
    assert_eq!(count("/api/v1/tickets?status=pending&limit=100".into()).await, 13);
    assert_eq!(count("/api/v1/tickets?status=new,pending&limit=100".into()).await, 25);
    assert_eq!(count("/api/v1/tickets?channel=chat&limit=100".into()).await, 5);
    assert_eq!(count("/api/v1/tickets?tag=faktura&limit=100".into()).await, 7);
    assert_eq!(count("/api/v1/tickets?assignee=me&limit=100".into()).await, 9);
    assert_eq!(count("/api/v1/tickets?assignee=none&limit=100".into()).await, 16);
    assert_eq!(count(format!("/api/v1/tickets?team={}&assignee=me&limit=100", team.id)).await, 2);
    assert_eq!(count("/api/v1/tickets?updated_since=2999-01-01T00:00:00Z".into()).await, 0);

    // Paging through with cursors, oldest id first, visits each ticket once.
    let mut seen = Vec::new();
    let mut path = "/api/v1/tickets?sort=id&limit=10".to_string();
    loop {
        let page = app.get(&path, t).await.json();
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/tickets?sort=id&limit=10&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    let desc = ids(&app.get("/api/v1/tickets?sort=-id&limit=3", t).await.json());
    assert_eq!(desc, vec![seen[24], seen[23], seen[22]]);

    for (path, code) in [
        ("/api/v1/tickets?status=done", "validation_failed"),
        ("/api/v1/tickets?sort=subject", "validation_failed"),
        ("/api/v1/tickets?cursor=garbage", "invalid_cursor"),
        ("/api/v1/tickets?colour=red", "invalid_query"),
        ("/api/v1/tickets?limit=lots", "invalid_query"),
        ("/api/v1/tickets?channel=fax", "invalid_query"),
        ("/api/v1/tickets?updated_since=yesterday", "validation_failed"),
    ] {
        let r = app.get(path, t).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, code), "{path}: {}", r.text());
    }
}

async fn people_and_directory(backend: Backend) {
    let app = app(backend).await;
    let (admin, agent) = setup(&app).await;
    let (a, t) = (&admin.token, &agent.token);
    let org = app.post("/api/v1/organizations", t, json!({"name": "Meble Łódź", "domain": "meble.pl"})).await.json();
    let org2 = app.post("/api/v1/organizations", t, json!({"name": "Gdańsk IT"})).await.json();
    let c = app
        .post(
            "/api/v1/contacts",
            t,
            json!({"name": "Łukasz Żółkiewski", "email": "lukasz@meble.pl", "organization_ids": [org["id"], org2["id"]]}),
        )
        .await
        .json();
    assert_eq!(c["organization_ids"].as_array().unwrap().len(), 2);
    let dup = app.post("/api/v1/contacts", t, json!({"name": "Dup", "email": "LUKASZ@meble.pl"})).await;
    assert_eq!((dup.status, dup.code().as_str()), (StatusCode::CONFLICT, "conflict"));
    let by_org = app.get(&format!("/api/v1/contacts?organization={}", org2["id"]), t).await.json();
    assert_eq!(ids(&by_org), vec![c["id"].as_i64().unwrap()]);
    let by_q = app.get("/api/v1/contacts?q=%C5%BC%C3%B3%C5%82kiewski", t).await.json();
    assert_eq!(by_q["items"].as_array().unwrap().len(), 1);
    let patched = app.patch(&format!("/api/v1/contacts/{}", c["id"]), t, json!({"phone": "+48 600 000 000", "email": null})).await.json();
    assert_eq!(patched["email"], Value::Null);
    assert_eq!(patched["phone"], "+48 600 000 000");
    let o = app.patch(&format!("/api/v1/organizations/{}", org["id"]), t, json!({"notes": "Klient od 2020"})).await.json();
    assert_eq!(o["notes"], "Klient od 2020");
    assert_eq!(app.delete(&format!("/api/v1/organizations/{}", org2["id"]), a).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/organizations/{}", org2["id"]), t).await.code(), "organization_not_found");
    assert_eq!(app.delete(&format!("/api/v1/contacts/{}", c["id"]), a).await.status, StatusCode::NO_CONTENT);

    // Users, teams, tags, custom fields, brands.
    let weak = app.post("/api/v1/users", a, json!({"email": "new@demo.test", "name": "New", "role": "agent", "password": "short"})).await;
    assert_eq!((weak.status, weak.json()["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("password")));
    let u = app
        .post(
            "/api/v1/users",
            a,
            json!({"email": "New@Demo.test", "name": "Nowa Agentka", "role": "agent", "locale": "pl", "password": "bardzo-dlugie-haslo"}),
        )
        .await;
    assert_eq!(u.status, StatusCode::CREATED, "{}", u.text());
    let u = u.json();
    assert_eq!(u["email"], "new@demo.test");
    assert!(u.get("password").is_none() && !u.to_string().contains("argon2"), "no password material in responses");
    let team = app.post("/api/v1/teams", a, json!({"name": "Wsparcie", "member_ids": [u["id"]]})).await.json();
    assert_eq!(app.get(&format!("/api/v1/users/{}", u["id"]), t).await.json()["team_ids"], json!([team["id"]]));
    let team = app.patch(&format!("/api/v1/teams/{}", team["id"]), a, json!({"restricted": true})).await.json();
    assert_eq!(team["restricted"], true);
    let me = app.patch(&format!("/api/v1/users/{}", agent.user.id), t, json!({"name": "Agent Smith", "locale": "vi"})).await.json();
    assert_eq!((me["name"].as_str(), me["locale"].as_str()), (Some("Agent Smith"), Some("vi")));
    assert_eq!(app.get("/api/v1/me", t).await.json()["name"], "Agent Smith");

    let tag = app.post("/api/v1/tags", t, json!({"name": "Reklamacja"})).await.json();
    assert_eq!(tag["name"], "reklamacja");
    assert_eq!(app.patch(&format!("/api/v1/tags/{}", tag["id"]), a, json!({"name": "zwrot"})).await.json()["name"], "zwrot");
    assert_eq!(app.get("/api/v1/tags", t).await.json().as_array().unwrap().len(), 1);
    assert_eq!(app.delete(&format!("/api/v1/tags/{}", tag["id"]), a).await.status, StatusCode::NO_CONTENT);

    let f =
        app.post("/api/v1/custom-fields", a, json!({"key": "plan", "label": "Plan", "kind": "select", "options": ["basic", "pro"]})).await;
    assert_eq!(f.status, StatusCode::CREATED, "{}", f.text());
    let ok = app.post("/api/v1/tickets", t, json!({"subject": "x", "custom_fields": {"plan": "pro"}})).await;
    assert_eq!(ok.json()["custom_fields"]["plan"], "pro");
    let bad = app.post("/api/v1/tickets", t, json!({"subject": "x", "custom_fields": {"plan": "gold"}})).await;
    assert_eq!((bad.status, bad.json()["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("custom_fields")));

    let b = app.post("/api/v1/brands", a, json!({"name": "Sklep Żółty", "slug": "zolty", "default_locale": "pl"})).await;
    assert_eq!(b.status, StatusCode::CREATED, "{}", b.text());
    assert_eq!(app.get("/api/v1/brands", t).await.json()[0]["slug"], "zolty");
}

async fn idempotency_keys(backend: Backend) {
    let app = app(backend).await;
    let (admin, agent) = setup(&app).await;
    let post = |token: &str, key: &str, body: Value| {
        let req = Request::post("/api/v1/tickets")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap();
        app.send(req)
    };
    let body = json!({"subject": "Zamówienie 42 nie dotarło"});
    let first = post(&agent.token, "order-42", body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert!(first.headers.get("idempotent-replayed").is_none());
    let again = post(&agent.token, "order-42", body.clone()).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.json(), first.json(), "the first result, byte for byte");
    assert_eq!(count_tickets(&app, &agent.token).await, 1);

    let other_body = post(&agent.token, "order-42", json!({"subject": "something else"})).await;
    assert_eq!((other_body.status, other_body.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"));
    let other_user = post(&admin.token, "order-42", body.clone()).await;
    assert_eq!(other_user.status, StatusCode::CREATED);
    assert_ne!(other_user.json()["id"], first.json()["id"]);
    // A failed request is stored too: the same key and body give the same error.
    let invalid = post(&agent.token, "bad-1", json!({"subject": ""})).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(post(&agent.token, "bad-1", json!({"subject": ""})).await.headers["idempotent-replayed"], "true");
    let bad_key = post(&agent.token, "", body.clone()).await;
    assert_eq!(bad_key.code(), "invalid_idempotency_key");
    assert_eq!(count_tickets(&app, &agent.token).await, 2);
}

async fn bad_input_is_rejected_without_writes(backend: Backend) {
    let app = app_with(backend, WebConfig { max_body_bytes: 64 * 1024, ..Default::default() }).await;
    let (_, agent) = setup(&app).await;
    let raw = |body: &str, content_type: Option<&str>| {
        let mut req = Request::post("/api/v1/tickets").header("authorization", format!("Bearer {}", agent.token));
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        app.send(req.body(Body::from(body.to_string())).unwrap())
    };
    let json_ct = Some("application/json");
    let cases: Vec<(String, Option<&str>, StatusCode, &str)> = vec![
        ("{\"subject\": \"x\"".into(), json_ct, StatusCode::BAD_REQUEST, "malformed_json"),
        ("not json at all".into(), json_ct, StatusCode::BAD_REQUEST, "malformed_json"),
        ("{\"subject\": \"x\", \"sbuject\": \"typo\"}".into(), json_ct, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("{\"subject\": 42}".into(), json_ct, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("{\"subject\": \"x\", \"status\": \"done\"}".into(), json_ct, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("{\"subject\": \"x\", \"priority\": null, \"tags\": \"vip\"}".into(), json_ct, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("{\"subject\": \"   \"}".into(), json_ct, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        ("{\"subject\": \"x\", \"tags\": [\"two words\"]}".into(), json_ct, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        ("{\"subject\": \"x\", \"assignee_id\": 999999}".into(), json_ct, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        ("{\"subject\": \"x\"}".into(), None, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("{\"subject\": \"x\"}".into(), Some("text/plain"), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        (
            format!("{{\"subject\": \"x\", \"message\": {{\"body\": \"{}\"}}}}", "ż".repeat(40_000)),
            json_ct,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (body, ct, status, code) in cases {
        let r = raw(&body, ct).await;
        let shown: String = body.chars().take(60).collect();
        assert_eq!((r.status, r.code().as_str()), (status, code), "{shown}: {}", r.text());
    }
    assert_eq!(count_tickets(&app, &agent.token).await, 0, "no partial writes");
    let r = app.get("/api/v1/tickets/not-a-number", &agent.token).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.get("/api/v1/no-such-endpoint", &agent.token).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::NOT_FOUND, "route_not_found"));
}

async fn openapi_is_public_and_complete(backend: Backend) {
    let app = app(backend).await;
    let r = app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/tickets",
        "/tickets/{id}",
        "/tickets/{id}/messages",
        "/messages/{id}",
        "/contacts",
        "/contacts/{id}",
        "/organizations/{id}",
        "/users/{id}",
        "/teams/{id}",
        "/tags/{id}",
        "/users/{id}/tokens",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing from OpenAPI");
    }
    assert!(doc["paths"]["/tickets"]["post"]["requestBody"].is_object());
    for schema in ["Ticket", "NewTicket", "TicketPatch", "Message", "Contact", "Organization", "User", "Team", "Tag", "ErrorBody"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "schema {schema} missing");
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(rapport_web::api::openapi().paths.paths.len(), doc["paths"].as_object().unwrap().len());
}

async fn health_endpoints(backend: Backend) {
    let app = app(backend).await;
    assert_eq!(app.call(Method::GET, "/healthz", None, None).await.text(), "ok");
    let ready = app.call(Method::GET, "/readyz", None, None).await;
    assert_eq!((ready.status, ready.text().as_str()), (StatusCode::OK, "ready"));
}

both_backends!(
    tickets_and_messages,
    filters_sorting_and_cursors,
    people_and_directory,
    idempotency_keys,
    bad_input_is_rejected_without_writes,
    openapi_is_public_and_complete,
    health_endpoints,
);
