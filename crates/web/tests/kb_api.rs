//! The knowledge-base API end to end, on both backends: roles and tenancy,
//! workflow and versions, files, search and the deflection log, the answer
//! bot (with and without a language model, the model being a local stand-in
//! for an OpenAI-compatible server), agent assist, and message search.

mod common;

use axum::http::{Method, StatusCode};
use common::{member, Backend, Member, TestApp};
use rapport_domain::{Actor, Role};
use rapport_store::story_kb::{seed_sample, Sample};
use rapport_store::{BlobStore, Store};
use rapport_web::{AppState, WebConfig};
use serde_json::{json, Value};
use std::sync::Arc;

struct World {
    app: TestApp,
    admin: Member,
    agent: Member,
    viewer: Member,
    other_admin: Member,
    sample: Sample,
}

async fn world_with(backend: Backend, llm: Option<rapport_kb::llm::LlmClient>) -> World {
    let dir = tempfile::tempdir().unwrap().keep();
    let store: Arc<dyn Store> = match backend {
        Backend::Sqlite => Arc::new(rapport_store_sqlite::SqliteStore::open(dir.join("t.db")).await.unwrap()),
        Backend::Postgres => Arc::new(rapport_store_postgres::testing::fresh_store().await),
    };
    store.migrate().await.unwrap();
    let mut state = AppState::new(store.clone(), BlobStore::new(dir.join("blobs")), WebConfig::default(), common::test_secrets());
    state.kb = Arc::new(rapport_web::api::kb::KbServices { llm, ..Default::default() });
    let app = TestApp { router: rapport_web::router(state), store: store.clone(), dir };
    let s = store.as_ref();
    let x = s.create_workspace("X", "x").await.unwrap().id;
    let y = s.create_workspace("Y", "y").await.unwrap().id;
    let admin = member(s, x, Role::Admin, "admin@x.test", &[]).await;
    let agent = member(s, x, Role::Agent, "agent@x.test", &[]).await;
    let viewer = member(s, x, Role::Viewer, "viewer@x.test", &[]).await;
    let other_admin = member(s, y, Role::Admin, "admin@y.test", &[]).await;
    let sample = seed_sample(s, &Actor::system(x)).await;
    World { app, admin, agent, viewer, other_admin, sample }
}

async fn world(backend: Backend) -> World {
    world_with(backend, None).await
}

fn article(brand: i64, title: &str) -> Value {
    json!({"brand_id": brand, "visibility": "public", "locale": "pl", "title": title, "body": "Kasa **samoobsługowa**: skaner i waga."})
}

async fn roles_and_tenancy(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let brand = w.sample.brands["kwitek"];

    let r = app.post("/api/v1/kb/articles", &w.viewer.token, article(brand, "Kasa")).await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden".into()));
    let r = app.post("/api/v1/kb/articles", &w.agent.token, article(brand, "Kasa samoobsługowa")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["missing_locales"], json!(["en", "vi"]));

    // Viewers read, agents submit, only admins publish.
    assert_eq!(app.get(&format!("/api/v1/kb/articles/{id}"), &w.viewer.token).await.status, StatusCode::OK);
    let workflow = |action: &str| json!({ "action": action });
    let path = format!("/api/v1/kb/articles/{id}/translations/pl/workflow");
    assert_eq!(app.post(&path, &w.viewer.token, workflow("submit")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&path, &w.agent.token, workflow("submit")).await.json()["status"], "review");
    assert_eq!(app.post(&path, &w.agent.token, workflow("publish")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&path, &w.admin.token, workflow("publish")).await.json()["status"], "published");
    assert_eq!(app.post(&path, &w.admin.token, workflow("publish")).await.status, StatusCode::CONFLICT);
    assert_eq!(app.post(&path, &w.admin.token, workflow("fly")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.delete(&format!("/api/v1/kb/articles/{id}"), &w.agent.token).await.status, StatusCode::FORBIDDEN);

    // Workspace Y reads and changes nothing of workspace X.
    for path in [
        format!("/api/v1/kb/articles/{id}"),
        format!("/api/v1/kb/articles/{id}/translations/pl"),
        format!("/api/v1/kb/articles/{id}/translations/pl/versions"),
    ] {
        let r = app.get(&path, &w.other_admin.token).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text());
    }
    let put = app
        .call(
            Method::PUT,
            &format!("/api/v1/kb/articles/{id}/translations/en"),
            Some(&w.other_admin.token),
            Some(json!({"title": "x", "body": "y"})),
        )
        .await;
    assert_eq!(put.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&format!("/api/v1/kb/articles/{id}"), &w.other_admin.token).await.status, StatusCode::NOT_FOUND);
    let r = app.get("/api/v1/kb/search?q=dang%20nhap", &w.other_admin.token).await;
    assert_eq!(r.json()["hits"], json!([]));
    let r = app.post("/api/v1/kb/articles", &w.other_admin.token, article(brand, "Obca marka")).await;
    assert_eq!((r.status, r.json()["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("brand_id")));
    assert_eq!(
        app.get(&format!("/api/v1/kb/articles/{id}"), &w.admin.token).await.json()["translations"][0]["title"],
        "Kasa samoobsługowa"
    );

    // Internal cards: staff search finds them; the public search, the bot and the public pages never do.
    let r = app.get("/api/v1/kb/search?q=quy%20trinh%20hoan%20tien", &w.viewer.token).await;
    assert_eq!(r.json()["hits"][0]["visibility"], "internal");
    assert!(r.json()["hits"][0]["url"].is_null(), "internal cards have no public link");
    let r = app.call(Method::GET, "/api/v1/help/x/sao-mai/search?q=quy%20trinh%20hoan%20tien%20noi%20bo", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let internal = w.sample.ids["sm-refund-staff"];
    assert!(r.json()["hits"].as_array().unwrap().iter().all(|h| h["article_id"] != internal), "{}", r.text());
    let page = app.call(Method::GET, &format!("/help/x/sao-mai/vi/articles/{internal}-quy-trinh"), None, None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let r = app.call(Method::GET, "/api/v1/help/x/no-such-brand/search?q=x", None, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Staff endpoints need a sign-in.
    assert_eq!(app.call(Method::GET, "/api/v1/kb/articles", None, None).await.status, StatusCode::UNAUTHORIZED);
}

async fn workflow_versions_and_files(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let id = w.sample.ids["kw-2fa"];
    let path = format!("/api/v1/kb/articles/{id}/translations/pl");
    let body = json!({"title": "Logowanie dwuetapowe (2FA)", "body": "Nowa treść o **kodach zapasowych**.", "note": "2FA w tytule"});
    let r = app.call(Method::PUT, &path, Some(&w.agent.token), Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!((r.json()["version"].as_i64(), r.json()["has_unpublished_changes"].as_bool()), (Some(2), Some(true)));
    assert_eq!(r.json()["live_title"], "Logowanie dwuetapowe");
    let versions = app.get(&format!("{path}/versions"), &w.viewer.token).await.json();
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[0]["note"], "2FA w tytule");
    let r = app.post(&format!("{path}/versions/1/restore"), &w.agent.token, json!({})).await;
    assert_eq!((r.status, r.json()["version"].as_i64()), (StatusCode::OK, Some(3)));
    assert_eq!(r.json()["title"], "Logowanie dwuetapowe");
    let r = app.post(&format!("{path}/versions/42/restore"), &w.agent.token, json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.call(Method::PUT, &path, Some(&w.agent.token), Some(json!({"title": "", "body": "x"}))).await;
    assert_eq!((r.status, r.json()["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("title")));

    // Missing translations and stale cards.
    let r = app.get("/api/v1/kb/articles?missing_locale=vi&limit=100", &w.viewer.token).await;
    let missing: Vec<i64> = r.json()["items"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert!(missing.contains(&id) && !missing.contains(&w.sample.ids["sm-login"]));
    assert_eq!(app.get("/api/v1/kb/articles?stale=true", &w.viewer.token).await.json()["items"], json!([]));

    // Files: uploaded by writers, served to staff, and to the public for public articles.
    let png = b"\x89PNG\r\n\x1a\n fake image bytes";
    let req = axum::http::Request::post(format!("/api/v1/kb/articles/{id}/files?filename=qr.png"))
        .header("authorization", format!("Bearer {}", w.agent.token))
        .header("content-type", "image/png")
        .body(axum::body::Body::from(png.to_vec()))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let file_id = r.json()["id"].as_i64().unwrap();
    let got = app.get(&format!("/api/v1/kb/files/{file_id}"), &w.viewer.token).await;
    assert_eq!((got.status, got.body.as_slice()), (StatusCode::OK, png.as_slice()));
    assert_eq!(got.headers["content-type"], "image/png");
    assert_eq!(app.get(&format!("/api/v1/kb/files/{file_id}"), &w.other_admin.token).await.status, StatusCode::NOT_FOUND);
    let public = app.call(Method::GET, &format!("/help/x/kwitek/files/{file_id}/qr.png"), None, None).await;
    assert_eq!((public.status, public.body.as_slice()), (StatusCode::OK, png.as_slice()));
    let req = axum::http::Request::post(format!("/api/v1/kb/articles/{id}/files?filename=x.png"))
        .header("authorization", format!("Bearer {}", w.viewer.token))
        .body(axum::body::Body::from(png.to_vec()))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
}

async fn anon(app: &TestApp, path: &str) -> common::Reply {
    app.call(Method::GET, path, None, None).await
}

async fn search_log_contact_and_report(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;

    // While typing nothing is logged; a finished search is.
    let r = anon(app, "/api/v1/help/x/sao-mai/search?q=dang%20nh&as_you_type=true&locale=vi&session_id=s-1").await;
    assert_eq!(r.json()["hits"][0]["article_id"], w.sample.ids["sm-login"]);
    assert!(r.json()["search_id"].is_null());
    assert!(r.json()["hits"][0]["url"].as_str().unwrap().starts_with("/help/x/sao-mai/vi/articles/"));
    let r = anon(app, "/api/v1/help/x/sao-mai/search?q=doi%20tra&locale=vi&session_id=s-1").await;
    let search_id = r.json()["search_id"].as_i64().unwrap();
    let returned = w.sample.ids["sm-return"];
    assert_eq!(r.json()["hits"][0]["article_id"], returned);
    let click = app
        .call(
            Method::POST,
            &format!("/api/v1/help/x/sao-mai/searches/{search_id}/click"),
            None,
            Some(json!({"session_id": "s-1", "article_id": returned})),
        )
        .await;
    assert_eq!(click.status, StatusCode::NO_CONTENT, "{}", click.text());
    anon(app, "/api/v1/help/x/sao-mai/search?q=tau%20ngam&locale=vi&session_id=s-2").await;
    let other = anon(app, "/api/v1/help/x/sao-mai/search?q=dich%20vu%20khach%20hang&locale=vi&session_id=s-3").await;
    assert_eq!(other.json()["hits"][0]["article_id"], w.sample.ids["sm-hotline"]);
    // A language with no match falls back to all languages.
    let r = anon(app, "/api/v1/help/x/sao-mai/search?q=warranty&locale=vi").await;
    assert_eq!(r.json()["hits"][0]["locale"], "en");

    // The contact form opens a ticket and links the session's searches to it.
    let contact = json!({"name": "Lan", "email": "lan@khach.vn", "subject": "Đổi trả máy", "message": "Máy bị lỗi màn hình.", "locale": "vi", "session_id": "s-1"});
    let r = app.call(Method::POST, "/api/v1/help/x/sao-mai/tickets", None, Some(contact)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let ticket_id = r.json()["ticket_id"].as_i64().unwrap();
    let t = app.get(&format!("/api/v1/tickets/{ticket_id}"), &w.admin.token).await.json();
    assert_eq!(
        (t["channel"].as_str(), t["brand_id"].as_i64(), t["language"].as_str()),
        (Some("web"), Some(w.sample.brands["sao-mai"]), Some("vi"))
    );
    let bad = app
        .call(Method::POST, "/api/v1/help/x/sao-mai/tickets", None, Some(json!({"email": "not an email", "subject": "x", "message": "y"})))
        .await;
    assert_eq!((bad.status, bad.json()["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("email")));

    // Feedback.
    let fb = json!({"article_id": returned, "locale": "vi", "helpful": false, "comment": "Thiếu địa chỉ cửa hàng"});
    assert_eq!(app.call(Method::POST, "/api/v1/help/x/sao-mai/feedback", None, Some(fb)).await.status, StatusCode::NO_CONTENT);
    let t = app.get(&format!("/api/v1/kb/articles/{returned}/translations/vi"), &w.viewer.token).await.json();
    assert_eq!(t["helpful_no"], 1);

    let report = app.get(&format!("/api/v1/kb/reports/deflection?brand={}", w.sample.brands["sao-mai"]), &w.viewer.token).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text());
    let r = report.json();
    assert_eq!((r["searches"].as_i64(), r["sessions"].as_i64(), r["sessions_with_ticket"].as_i64()), (Some(4), Some(4), Some(1)), "{r}");
    assert_eq!(r["no_result_queries"][0]["query"], "tau ngam");
    assert_eq!(r["top_deflecting_articles"][0]["article_id"], returned);
    assert_eq!(r["top_deflecting_articles"][0]["followed_by_ticket"], 1);
    assert_eq!(app.get("/api/v1/kb/reports/deflection", &w.other_admin.token).await.json()["searches"], 0);
    assert_eq!(
        app.get("/api/v1/kb/reports/deflection?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", &w.viewer.token).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

async fn answer_bot_without_a_model(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let ask = |question: &str, locale: &str, session: &str| {
        app.call(
            Method::POST,
            "/api/v1/help/x/kwitek/answer",
            None,
            Some(json!({"question": question, "locale": locale, "session_id": session})),
        )
    };
    let r = ask("Jak wystawić fakturę korygującą?", "pl", "chat-1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let a = r.json();
    assert_eq!(a["citation"]["article_id"], w.sample.ids["kw-correction"]);
    assert!(a["answer"].as_str().unwrap().contains("Koryguj"), "{a}");
    assert_eq!(a["written_by_model"], false);
    assert!(a["citation"]["url"].as_str().unwrap().starts_with("/help/x/kwitek/pl/articles/"));
    let turn = a["turn_id"].as_i64().unwrap();

    // Never invents: a question the articles do not answer gets no answer.
    let r = ask("Czy sprzedajecie rowery elektryczne?", "pl", "chat-1").await.json();
    assert!(r["answer"].is_null() && r["citation"].is_null(), "{r}");

    let solved_path = format!("/api/v1/help/x/kwitek/answer/{turn}/solved");
    let r = app.call(Method::POST, &solved_path, None, Some(json!({"session_id": "chat-1", "solved": false}))).await;
    assert_eq!(r.json()["solved"], false);
    let r = app.call(Method::POST, &solved_path, None, Some(json!({"session_id": "someone-else", "solved": true}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Handoff: the transcript, and a ticket holding it.
    let r = app
        .call(
            Method::POST,
            "/api/v1/help/x/kwitek/handoff",
            None,
            Some(json!({"session_id": "chat-1", "email": "ola@firma.pl", "name": "Ola", "locale": "pl"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let h = r.json();
    assert_eq!(h["transcript"].as_array().unwrap().len(), 2);
    let text = h["transcript_text"].as_str().unwrap();
    assert!(
        text.contains("Jak wystawić fakturę korygującą?")
            && text.contains("no answer in the knowledge base")
            && text.contains("did not solve")
    );
    let ticket = h["ticket_id"].as_i64().unwrap();
    let messages = app.get(&format!("/api/v1/tickets/{ticket}/messages"), &w.admin.token).await.json();
    assert!(messages["items"][0]["body_text"].as_str().unwrap().contains("rowery elektryczne"), "{messages}");
    let r = app.call(Method::POST, "/api/v1/help/x/kwitek/handoff", None, Some(json!({"session_id": "chat-9"}))).await.json();
    assert!(r["transcript"].as_array().unwrap().is_empty() && r["ticket_id"].is_null());
    let bad = ask("   ", "pl", "chat-1").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A local stand-in for an OpenAI-compatible server. It answers from the
/// prompt: when the articles it was given mention `faktur`, it cites [1];
/// otherwise it says NO_ANSWER, as the prompt tells it to.
async fn model_stand_in() -> (String, Arc<std::sync::Mutex<Vec<Value>>>) {
    use axum::routing::post;
    let seen: Arc<std::sync::Mutex<Vec<Value>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        post(move |axum::Json(body): axum::Json<Value>| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push(body.clone());
                let user = body["messages"][1]["content"].as_str().unwrap_or("").to_string();
                let reply =
                    if user.contains("faktur") { "Otwórz fakturę i wybierz Koryguj. [1]".to_string() } else { "NO_ANSWER".to_string() };
                axum::Json(json!({"choices": [{"message": {"role": "assistant", "content": reply}}]}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v1"), seen)
}

async fn answer_bot_with_a_model(backend: Backend) {
    let (url, seen) = model_stand_in().await;
    let config =
        rapport_kb::llm::LlmConfig { url, model: "stand-in".into(), api_key: "k".into(), timeout: std::time::Duration::from_secs(5) };
    let w = world_with(backend, Some(rapport_kb::llm::LlmClient::new(config).unwrap())).await;
    let ask = |question: &str| {
        w.app.call(
            Method::POST,
            "/api/v1/help/x/kwitek/answer",
            None,
            Some(json!({"question": question, "locale": "pl", "session_id": "m-1"})),
        )
    };
    let a = ask("Jak wystawić fakturę korygującą?").await.json();
    assert_eq!((a["answer"].as_str(), a["written_by_model"].as_bool()), (Some("Otwórz fakturę i wybierz Koryguj."), Some(true)), "{a}");
    assert_eq!(a["citation"]["article_id"], w.sample.ids["kw-correction"]);
    let request = seen.lock().unwrap()[0].clone();
    assert_eq!(request["model"], "stand-in");
    assert!(request["messages"][0]["content"].as_str().unwrap().contains("NO_ANSWER"));
    assert!(request["messages"][1]["content"].as_str().unwrap().contains("Faktura korygująca"));

    // No article matches: the model is not even asked, and there is no answer.
    let before = seen.lock().unwrap().len();
    let r = ask("Czy sprzedajecie rowery elektryczne?").await.json();
    assert!(r["answer"].is_null());
    assert_eq!(seen.lock().unwrap().len(), before);
}

async fn agent_assist_and_message_search(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let mut t = json!({"subject": "Żółta lampka na drukarce", "brand_id": w.sample.brands["kwitek"], "language": "pl",
        "message": {"body": "Drukarka fiskalna świeci na żółto i nie drukuje paragonów."}});
    let contact =
        app.post("/api/v1/contacts", &w.agent.token, json!({"name": "Jan", "email": "jan@sklep.pl"})).await.json()["id"].as_i64().unwrap();
    t["requester_id"] = json!(contact);
    let ticket = app.post("/api/v1/tickets", &w.agent.token, t).await.json()["id"].as_i64().unwrap();
    let r = app.get(&format!("/api/v1/tickets/{ticket}/suggested-articles"), &w.agent.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let first = &r.json()[0];
    assert_eq!(first["article_id"], w.sample.ids["kw-printer-yellow"]);
    assert_eq!(first["locale"], "pl");
    assert!(first["url"].as_str().unwrap().starts_with("/help/x/kwitek/pl/articles/"));
    assert!(first["excerpt"].as_str().unwrap().contains("lampka"), "{first}");
    assert_eq!(app.get(&format!("/api/v1/tickets/{ticket}/suggested-articles"), &w.other_admin.token).await.status, StatusCode::NOT_FOUND);

    let r = app.get("/api/v1/search/messages?q=drukarka%20zolto", &w.viewer.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()[0]["ticket_id"], ticket);
    assert!(r.json()[0]["snippet_html"].as_str().unwrap().contains("<mark>żółto</mark>"));
    assert_eq!(app.get("/api/v1/search/messages?q=drukarka", &w.other_admin.token).await.json(), json!([]));
}

both_backends!(
    roles_and_tenancy,
    workflow_versions_and_files,
    search_log_contact_and_report,
    answer_bot_without_a_model,
    answer_bot_with_a_model,
    agent_assist_and_message_search
);
