//! Canned replies and macros over the API: who may manage, see and apply
//! them, rendering for a ticket, applying a macro (also on an email ticket,
//! whose public reply is queued for delivery), and other workspaces.

mod common;

use axum::http::{Method, StatusCode};
use common::{app, member, Backend, Member, TestApp};
use rapport_domain::{Actor, Channel, Locale, Role, Timestamp};
use rapport_store::mail::{InboundEmail, MailPerson, MailboxInput, Security};
use rapport_store::model::NewTeam;
use serde_json::{json, Value};

struct World {
    app: TestApp,
    admin: Member,
    agent: Member,
    csm: Member,
    viewer: Member,
    stranger: Member,
    team: i64,
}

async fn world(backend: Backend) -> World {
    let app = app(backend).await;
    let s = app.store.as_ref();
    let ws = s.create_workspace("Kwitek", "kwitek").await.unwrap().id;
    let other = s.create_workspace("Other", "other").await.unwrap().id;
    let team = s
        .create_team(&Actor::system(ws), &NewTeam { name: "Fakturowanie".into(), restricted: false, member_ids: vec![] })
        .await
        .unwrap()
        .id;
    let admin = member(s, ws, Role::Admin, "admin@kwitek.test", &[]).await;
    let agent = member(s, ws, Role::Agent, "agent@kwitek.test", &[]).await;
    let csm = member(s, ws, Role::Csm, "csm@kwitek.test", &[]).await;
    let viewer = member(s, ws, Role::Viewer, "viewer@kwitek.test", &[]).await;
    let stranger = member(s, other, Role::Admin, "admin@other.test", &[]).await;
    World { app, admin, agent, csm, viewer, stranger, team }
}

fn reply_body(name: &str, shared: bool) -> Value {
    json!({
        "name": name,
        "shortcut": "dzieki",
        "shared": shared,
        "bodies": {
            "pl": "Dzień dobry {{contact.first_name}},\ndziękujemy za zgłoszenie nr {{ticket.id}} ({{ticket.subject}}).\n{{agent.name}}, {{brand.name}}",
            "vi": "Chào anh/chị {{contact.first_name}}, cảm ơn đã liên hệ về yêu cầu #{{ticket.id}}.",
            "en": "Hi {{contact.first_name}}, thanks for request #{{ticket.id}}."
        }
    })
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

async fn status(w: &World, who: &Member, method: Method, path: &str, body: Option<Value>) -> (StatusCode, String) {
    let r = w.app.call(method, path, Some(&who.token), body).await;
    let code = if r.status.is_success() { String::new() } else { r.code() };
    (r.status, code)
}

async fn canned_replies_over_the_api(backend: Backend) {
    let w = world(backend).await;
    let shared = w.app.post("/api/v1/canned-replies", &w.admin.token, reply_body("Podziękowanie", true)).await;
    assert_eq!(shared.status, StatusCode::CREATED, "{}", shared.text());
    let shared_id = shared.json()["id"].as_i64().unwrap();
    assert_eq!(shared.json()["owner_user_id"], Value::Null);
    let personal = w.app.post("/api/v1/canned-replies", &w.agent.token, reply_body("Moje podziękowanie", false)).await;
    assert_eq!(personal.status, StatusCode::CREATED, "{}", personal.text());
    let personal_id = personal.json()["id"].as_i64().unwrap();
    assert_eq!(personal.json()["owner_user_id"], w.agent.user.id);

    // Role checks: agents and CSMs manage only their own; viewers create nothing.
    let forbidden = (StatusCode::FORBIDDEN, "forbidden".to_string());
    let not_found = (StatusCode::NOT_FOUND, "canned_reply_not_found".to_string());
    assert_eq!(status(&w, &w.agent, Method::POST, "/api/v1/canned-replies", Some(reply_body("x", true))).await, forbidden);
    assert_eq!(status(&w, &w.viewer, Method::POST, "/api/v1/canned-replies", Some(reply_body("x", false))).await, forbidden);
    let shared_path = format!("/api/v1/canned-replies/{shared_id}");
    let personal_path = format!("/api/v1/canned-replies/{personal_id}");
    assert_eq!(status(&w, &w.csm, Method::PUT, &shared_path, Some(reply_body("x", true))).await, forbidden);
    assert_eq!(status(&w, &w.agent, Method::DELETE, &shared_path, None).await, forbidden);
    assert_eq!(status(&w, &w.csm, Method::GET, &personal_path, None).await, not_found);
    assert_eq!(status(&w, &w.admin, Method::DELETE, &personal_path, None).await, not_found, "personal means personal");
    assert_eq!(ids(&w.app.get("/api/v1/canned-replies", &w.agent.token).await.json()), vec![personal_id, shared_id]);
    assert_eq!(ids(&w.app.get("/api/v1/canned-replies", &w.viewer.token).await.json()), vec![shared_id]);

    // Other workspaces see nothing, even by id.
    assert_eq!(ids(&w.app.get("/api/v1/canned-replies", &w.stranger.token).await.json()), Vec::<i64>::new());
    assert_eq!(status(&w, &w.stranger, Method::GET, &shared_path, None).await, not_found);
    assert_eq!(status(&w, &w.stranger, Method::PUT, &shared_path, Some(reply_body("mine", true))).await, not_found);
    assert_eq!(status(&w, &w.stranger, Method::DELETE, &shared_path, None).await, not_found);

    // Bad input: a clear error naming the field.
    let dup = w.app.post("/api/v1/canned-replies", &w.admin.token, reply_body("Again", true)).await;
    assert_eq!((dup.status, dup.code().as_str()), (StatusCode::CONFLICT, "conflict"));
    let empty = w.app.post("/api/v1/canned-replies", &w.admin.token, json!({"name": "x", "bodies": {"pl": " "}})).await;
    assert_eq!((empty.status, empty.json()["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("bodies")));
    let lang = w.app.post("/api/v1/canned-replies", &w.admin.token, json!({"name": "x", "bodies": {"de": "Hallo"}})).await;
    assert_eq!((lang.status, lang.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"), "{}", lang.text());
    let typo = w.app.post("/api/v1/canned-replies", &w.admin.token, json!({"name": "x", "body": {"pl": "x"}})).await;
    assert_eq!(typo.code(), "invalid_body");

    // The owner edits, the admin edits shared ones.
    let mut edit = reply_body("Moje (nowe)", false);
    edit["shortcut"] = json!("moje");
    let edited = w.app.call(Method::PUT, &personal_path, Some(&w.agent.token), Some(edit)).await;
    assert_eq!((edited.status, edited.json()["name"].as_str()), (StatusCode::OK, Some("Moje (nowe)")));
    let edited = w.app.call(Method::PUT, &shared_path, Some(&w.admin.token), Some(reply_body("Podziękowanie (PL/VI/EN)", true))).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text());

    // Rendered for a Polish ticket: the Polish text, placeholders filled in.
    let contact = w
        .app
        .post("/api/v1/contacts", &w.agent.token, json!({"name": "Małgorzata Wójcik", "email": "m.wojcik@firma.pl", "locale": "pl"}))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let ticket = w
        .app
        .post(
            "/api/v1/tickets",
            &w.agent.token,
            json!({"subject": "Kasa fiskalna", "requester_id": contact, "language": "pl", "message": {"body": "Nie działa."}}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let render_path = |cid: i64| format!("/api/v1/tickets/{ticket}/canned-replies/{cid}/render");
    let rendered = w.app.get(&render_path(shared_id), &w.viewer.token).await;
    assert_eq!(rendered.status, StatusCode::OK, "{}", rendered.text());
    let r = rendered.json();
    assert_eq!(r["locale"], "pl");
    assert_eq!(
        r["text"],
        format!("Dzień dobry Małgorzata,\ndziękujemy za zgłoszenie nr {ticket} (Kasa fiskalna).\nviewer viewer@kwitek.test, Kwitek")
    );
    assert!(r["html"].as_str().unwrap().contains("Małgorzata,<br>"));
    assert_eq!(w.app.get(&render_path(personal_id), &w.agent.token).await.status, StatusCode::OK);
    assert_eq!(w.app.get(&render_path(personal_id), &w.csm.token).await.status, StatusCode::NOT_FOUND, "someone else's personal reply");
    assert_eq!(w.app.get(&render_path(shared_id), &w.stranger.token).await.status, StatusCode::NOT_FOUND);
    let bad_path = w.app.get(&format!("/api/v1/tickets/{ticket}/canned-replies/abc/render"), &w.agent.token).await;
    assert_eq!(bad_path.status, StatusCode::NOT_FOUND);

    assert_eq!(w.app.delete(&personal_path, &w.agent.token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(w.app.get(&personal_path, &w.agent.token).await.status, StatusCode::NOT_FOUND);
}

fn macro_body(w: &World) -> Value {
    json!({
        "name": "Prośba o paragon",
        "actions": [
            {"type": "reply", "kind": "public", "bodies": {
                "pl": "Dzień dobry {{contact.first_name}}, prosimy o zdjęcie paragonu.",
                "en": "Hi {{contact.first_name}}, please send a photo of the receipt."}},
            {"type": "reply", "kind": "note", "bodies": {"pl": "Poproszono o paragon."}},
            {"type": "set_status", "status": "pending"},
            {"type": "set_priority", "priority": "high"},
            {"type": "add_tags", "tags": ["paragon", "reklamacja"]},
            {"type": "remove_tags", "tags": ["nowe"]},
            {"type": "assign_user", "user_id": w.agent.user.id},
            {"type": "assign_team", "team_id": w.team}
        ]
    })
}

async fn macros_over_the_api(backend: Backend) {
    let w = world(backend).await;
    let forbidden = (StatusCode::FORBIDDEN, "forbidden".to_string());
    assert_eq!(status(&w, &w.agent, Method::POST, "/api/v1/macros", Some(macro_body(&w))).await, forbidden);
    let created = w.app.post("/api/v1/macros", &w.admin.token, macro_body(&w)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let macro_id = created.json()["id"].as_i64().unwrap();
    let macro_path = format!("/api/v1/macros/{macro_id}");
    assert_eq!(created.json()["actions"].as_array().unwrap().len(), 8);
    assert_eq!(ids(&w.app.get("/api/v1/macros", &w.viewer.token).await.json()), vec![macro_id]);
    assert_eq!(status(&w, &w.agent, Method::PUT, &macro_path, Some(macro_body(&w))).await, forbidden);
    assert_eq!(status(&w, &w.csm, Method::DELETE, &macro_path, None).await, forbidden);

    // Validation: unknown action types and fields, and actions the store refuses.
    let bad_type = w.app.post("/api/v1/macros", &w.admin.token, json!({"name": "x", "actions": [{"type": "explode"}]})).await;
    assert_eq!((bad_type.status, bad_type.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"));
    let extra = json!({"name": "x", "actions": [{"type": "set_status", "status": "open", "colour": "red"}]});
    assert_eq!(w.app.post("/api/v1/macros", &w.admin.token, extra).await.code(), "invalid_body");
    let viewer_assignee = json!({"name": "x", "actions": [{"type": "assign_user", "user_id": w.viewer.user.id}]});
    let r = w.app.post("/api/v1/macros", &w.admin.token, viewer_assignee).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("actions")));
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("action 1"), "{}", r.text());
    let closes = json!({"name": "x", "actions": [{"type": "set_status", "status": "closed"}]});
    assert_eq!(w.app.post("/api/v1/macros", &w.admin.token, closes).await.code(), "validation_failed");

    let contact = w.app.post("/api/v1/contacts", &w.agent.token, json!({"name": "Piotr Zieliński", "locale": "pl"})).await.json()["id"]
        .as_i64()
        .unwrap();
    let ticket = w
        .app
        .post(
            "/api/v1/tickets",
            &w.agent.token,
            json!({"subject": "Zwrot towaru", "requester_id": contact, "language": "pl", "tags": ["nowe"], "message": {"body": "Chcę zwrócić."}}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let apply_path = format!("/api/v1/tickets/{ticket}/macros/{macro_id}/apply");
    let before = w.app.get(&format!("/api/v1/tickets/{ticket}"), &w.admin.token).await.json();

    // Viewers cannot apply macros; other workspaces do not find them.
    assert_eq!(status(&w, &w.viewer, Method::POST, &apply_path, Some(json!({}))).await, forbidden);
    assert_eq!(status(&w, &w.stranger, Method::POST, &apply_path, Some(json!({}))).await.0, StatusCode::NOT_FOUND);
    assert_eq!(status(&w, &w.stranger, Method::GET, &macro_path, None).await, (StatusCode::NOT_FOUND, "macro_not_found".to_string()));
    assert_eq!(w.app.get(&format!("/api/v1/tickets/{ticket}"), &w.admin.token).await.json(), before, "nothing changed");

    let applied = w.app.post(&apply_path, &w.csm.token, json!({})).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.text());
    let a = applied.json();
    assert_eq!(a["ticket"]["status"], "pending");
    assert_eq!(a["ticket"]["priority"], "high");
    assert_eq!(a["ticket"]["tags"], json!(["paragon", "reklamacja"]));
    assert_eq!((a["ticket"]["assignee_id"].as_i64(), a["ticket"]["team_id"].as_i64()), (Some(w.agent.user.id), Some(w.team)));
    assert_eq!(a["messages"][0]["body_text"], "Dzień dobry Piotr, prosimy o zdjęcie paragonu.");
    assert_eq!((a["messages"][0]["kind"].as_str(), a["messages"][1]["kind"].as_str()), (Some("public"), Some("note")));
    assert_eq!(a["messages"][0]["delivery_status"], Value::Null, "an API ticket has no mail to send");
    let messages = w.app.get(&format!("/api/v1/tickets/{ticket}/messages"), &w.agent.token).await.json();
    let kinds: Vec<&str> = messages["items"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["public", "public", "system", "note", "system"], "customer, reply, new → open, note, the macro's changes");
    let audit = w.app.get(&format!("/api/v1/audit?entity_type=ticket&entity_id={ticket}"), &w.admin.token).await.json();
    assert_eq!(audit["items"][0]["action"], "macro.applied");

    // Applying to a closed ticket is refused whole.
    for s in ["solved", "closed"] {
        assert_eq!(w.app.patch(&format!("/api/v1/tickets/{ticket}"), &w.admin.token, json!({"status": s})).await.status, StatusCode::OK);
    }
    let closed = w.app.post(&apply_path, &w.agent.token, json!({})).await;
    assert_eq!((closed.status, closed.code().as_str()), (StatusCode::CONFLICT, "ticket_closed"));

    // Edit and delete.
    let renamed = w
        .app
        .call(
            Method::PUT,
            &macro_path,
            Some(&w.admin.token),
            Some(json!({"name": "Tylko priorytet", "actions": [{"type": "set_priority", "priority": "low"}]})),
        )
        .await;
    assert_eq!((renamed.status, renamed.json()["name"].as_str()), (StatusCode::OK, Some("Tylko priorytet")));
    assert_eq!(w.app.delete(&macro_path, &w.stranger.token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.app.delete(&macro_path, &w.admin.token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(w.app.get(&macro_path, &w.admin.token).await.status, StatusCode::NOT_FOUND);
}

async fn a_macro_reply_on_an_email_ticket_is_mailed(backend: Backend) {
    let w = world(backend).await;
    let ws = w.admin.actor.workspace_id;
    let mailbox = w
        .app
        .store
        .create_mailbox(
            &w.admin.actor,
            &MailboxInput {
                brand_id: None,
                name: "Hỗ trợ".into(),
                address: "hotro@saomai.test".into(),
                imap_host: "127.0.0.1".into(),
                imap_port: 1143,
                imap_security: Security::Plain,
                imap_username: "hotro".into(),
                imap_password_enc: Some(common::test_secrets().seal("x")),
                imap_folder: "INBOX".into(),
                smtp_host: "127.0.0.1".into(),
                smtp_port: 2525,
                smtp_security: Security::Plain,
                smtp_username: String::new(),
                smtp_password_enc: Some(common::test_secrets().seal("")),
                from_name: "Sao Mai".into(),
                reply_to: None,
                max_message_bytes: 1_000_000,
                active: true,
                allow_remote_images: false,
            },
        )
        .await
        .unwrap();
    let (raw, _) = w.app.store.put_raw_inbound(ws, Channel::Email, "mailbox:1/v1/uid:9", b"raw").await.unwrap();
    let inbound = InboundEmail {
        raw_inbound_id: raw,
        mailbox_id: mailbox.id,
        brand_id: None,
        ticket_id: None,
        from: MailPerson { email: "lan@khach.vn".into(), name: Some("Lê Thị Lan".into()) },
        followers: vec![],
        subject: "Đổi máy".into(),
        message_id_header: "lan1@khach.vn".into(),
        body_text: "Tôi muốn đổi máy.".into(),
        body_html: "Tôi muốn đổi máy.".into(),
        display_text: "Tôi muốn đổi máy.".into(),
        language: Some(Locale::Vi),
        attachments: vec![],
        received_at: Timestamp::now(),
    };
    let ticket = w.app.store.store_inbound_email(ws, &inbound).await.unwrap().ticket_id;
    let body = json!({"name": "Xin thêm thông tin", "actions": [
        {"type": "reply", "kind": "public", "bodies": {"vi": "Chào chị {{contact.first_name}}, chị vui lòng cho biết số IMEI của máy.", "en": "Hi, please send the IMEI."}},
        {"type": "set_status", "status": "pending"}]});
    let macro_id = w.app.post("/api/v1/macros", &w.admin.token, body).await.json()["id"].as_i64().unwrap();
    let applied = w.app.post(&format!("/api/v1/tickets/{ticket}/macros/{macro_id}/apply"), &w.agent.token, json!({})).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.text());
    assert_eq!(applied.json()["messages"][0]["delivery_status"], "queued");
    let queued = w.app.store.list_outbound(&w.agent.actor, Some(ticket), 10).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].recipients, vec!["lan@khach.vn".to_string()]);
    let raw = String::from_utf8_lossy(&queued[0].raw).into_owned();
    assert!(raw.contains("In-Reply-To: <lan1@khach.vn>"), "{raw}");
}

async fn openapi_describes_replies_and_macros(backend: Backend) {
    let w = world(backend).await;
    let doc = w.app.call(Method::GET, "/api/v1/openapi.json", None, None).await.json();
    for path in [
        "/canned-replies",
        "/canned-replies/{id}",
        "/tickets/{id}/canned-replies/{cid}/render",
        "/macros",
        "/macros/{id}",
        "/tickets/{id}/macros/{macro_id}/apply",
    ] {
        let p = doc["paths"].get(path).or_else(|| doc["paths"].get(format!("/api/v1{path}").as_str()));
        assert!(p.is_some(), "{path} missing from {:?}", doc["paths"].as_object().unwrap().keys().collect::<Vec<_>>());
    }
    assert!(doc["components"]["schemas"]["MacroAction"].is_object());
}

both_backends!(
    canned_replies_over_the_api,
    macros_over_the_api,
    a_macro_reply_on_an_email_ticket_is_mailed,
    openapi_describes_replies_and_macros
);
