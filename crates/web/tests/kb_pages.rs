//! The agent-side knowledge base pages, signed in with a session: the list
//! with missing translations, creating and editing with versions, workflow
//! by role, restore, verification of internal cards, CSRF, the "suggested
//! articles" partial, and another workspace's articles staying out of reach.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app, Backend, Reply, TestApp};
use rapport_domain::{Actor, Role};
use rapport_store::model::{FirstMessage, NewTicket, NewUser};
use rapport_store::story_kb::seed_sample;

const PASSWORD: &str = "mật-khẩu-đủ-dài-1";

async fn user(app: &TestApp, ws: i64, email: &str, role: Role) {
    let hash = rapport_web::auth::password::hash(PASSWORD.into()).await;
    let input =
        NewUser { email: email.into(), name: format!("{role} user"), role, locale: Some(rapport_domain::Locale::Pl), password: None };
    app.store.create_user(&Actor::system(ws), &input, Some(&hash)).await.unwrap();
}

fn cookie_of(r: &Reply, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{name}=")).map(|v| v.split(';').next().unwrap().to_string()))
}

fn csrf(html: &str) -> String {
    let at = html.find("name=\"csrf_token\" value=\"").expect("a csrf field") + "name=\"csrf_token\" value=\"".len();
    html[at..].split('"').next().unwrap().to_string()
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Signs in and returns the session cookie header value.
async fn sign_in(app: &TestApp, email: &str) -> String {
    let form = app.send(Request::get("/login").body(Body::empty()).unwrap()).await;
    let login_csrf = cookie_of(&form, "rapport_login_csrf").unwrap();
    let body = format!("email={}&password={}&csrf_token={}", enc(email), enc(PASSWORD), csrf(&form.text()));
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("rapport_login_csrf={login_csrf}"))
        .body(Body::from(body))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    format!("rapport_session={}", cookie_of(&r, "rapport_session").unwrap())
}

async fn get(app: &TestApp, path: &str, cookie: &str) -> Reply {
    app.send(Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
}

async fn post(app: &TestApp, path: &str, cookie: &str, body: String) -> Reply {
    let req = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

async fn editor_pages(backend: Backend) {
    let app = app(backend).await;
    let ws = app.store.create_workspace("Demo", "demo").await.unwrap().id;
    let other = app.store.create_workspace("Other", "other").await.unwrap().id;
    user(&app, ws, "marta@kwitek.test", Role::Agent).await;
    user(&app, ws, "admin@kwitek.test", Role::Admin).await;
    user(&app, ws, "viewer@kwitek.test", Role::Viewer).await;
    user(&app, other, "obcy@other.test", Role::Admin).await;
    let sample = seed_sample(app.store.as_ref(), &Actor::system(ws)).await;
    let agent = sign_in(&app, "marta@kwitek.test").await;

    // The list shows languages, statuses and the missing translations.
    let list = get(&app, "/kb?missing=vi", &agent).await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.text();
    assert!(html.contains("Baza wiedzy") && html.contains("Wysyłka faktur do KSeF") && html.contains("+ vi"), "{html}");
    assert!(!html.contains("Cách đăng nhập"), "articles with a Vietnamese translation are filtered out");
    let found = get(&app, "/kb?q=zolta%20lampka", &agent).await.text();
    assert!(found.contains("<mark>Żółta</mark>"));

    // Create an article through the form, then add a translation.
    let token = csrf(&html);
    let brand = sample.brands["kwitek"];
    let body = format!(
        "csrf_token={token}&brand_id={brand}&category_id=&visibility=public&locale=pl&title={}&format=markdown&body={}",
        enc("Kasa samoobsługowa"),
        enc("Skaner i **waga** przy kasie.")
    );
    let r = post(&app, "/kb/new", &agent, body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let editor = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let page = get(&app, &editor, &agent).await.text();
    assert!(page.contains("value=\"Kasa samoobsługowa\"") && page.contains("<strong>waga</strong>") && page.contains("Szkic"));
    assert!(page.contains("value=\"submit\"") && !page.contains("value=\"publish\""), "agents submit, admins publish");
    let en = editor.replace("/pl", "/en");
    let r = post(
        &app,
        &en,
        &agent,
        format!("csrf_token={token}&title={}&format=markdown&body={}&note=en", enc("Self-service till"), enc("Scanner and scale.")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = post(&app, &en, &agent, format!("csrf_token={token}&title=&format=markdown&body=x")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("role=\"alert\""), "a bad save shows its error and keeps the form");
    assert_eq!(post(&app, &en, &agent, "csrf_token=wrong&title=x&format=markdown&body=y".to_string()).await.status, StatusCode::FORBIDDEN);

    // Workflow: submit as the agent; the admin publishes; a new version, then restore.
    let wf = format!("{editor}/workflow");
    assert_eq!(post(&app, &wf, &agent, format!("csrf_token={token}&action=submit")).await.status, StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &wf, &agent, format!("csrf_token={token}&action=publish")).await.status, StatusCode::FORBIDDEN);
    let admin = sign_in(&app, "admin@kwitek.test").await;
    let admin_token = csrf(&get(&app, "/kb", &admin).await.text());
    assert_eq!(post(&app, &wf, &admin, format!("csrf_token={admin_token}&action=publish")).await.status, StatusCode::SEE_OTHER);
    post(
        &app,
        &editor,
        &agent,
        format!("csrf_token={token}&title={}&format=markdown&body={}", enc("Kasa samoobsługowa 2"), enc("Nowa treść.")),
    )
    .await;
    let page = get(&app, &editor, &agent).await.text();
    assert!(page.contains("Opublikowany") && page.contains("nieopublikowane zmiany") && page.contains("Wersja opublikowana"));
    assert!(page.contains("/help/demo/kwitek/pl/articles/"), "a link to the published article");
    let r = post(&app, &format!("{editor}/restore"), &agent, format!("csrf_token={token}&version=1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(get(&app, &editor, &agent).await.text().contains("value=\"Kasa samoobsługowa\""));

    // Internal cards: the verification panel, and who may verify.
    let card = format!("/kb/articles/{}/pl", sample.ids["kw-printer-escalation"]);
    let page = get(&app, &card, &agent).await.text();
    assert!(page.contains("Weryfikacja") && !page.contains("Oznacz jako zweryfikowaną"));
    let verify = format!("/kb/articles/{}/verify", sample.ids["kw-printer-escalation"]);
    assert_eq!(post(&app, &verify, &agent, format!("csrf_token={token}&locale=pl")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(post(&app, &verify, &admin, format!("csrf_token={admin_token}&locale=pl")).await.status, StatusCode::SEE_OTHER);

    // The viewer reads but has no forms; another workspace sees nothing.
    let viewer = sign_in(&app, "viewer@kwitek.test").await;
    let page = get(&app, &editor, &viewer).await.text();
    assert!(!page.contains("name=\"body\"") && !page.contains("value=\"submit\""));
    let outsider = sign_in(&app, "obcy@other.test").await;
    assert_eq!(get(&app, &editor, &outsider).await.status, StatusCode::NOT_FOUND);
    assert!(!get(&app, "/kb", &outsider).await.text().contains("KSeF"));
    assert_eq!(get(&app, "/kb", "rapport_session=nope").await.status, StatusCode::SEE_OTHER, "signed out: to the login page");

    // The suggested-articles partial for a ticket.
    let mut t = NewTicket::new("KSeF nie przyjmuje faktury");
    t.brand_id = Some(brand);
    t.language = Some(rapport_domain::Locale::Pl);
    t.message = Some(FirstMessage { body: Some("Token KSeF wygasł?".into()), html: None, kind: None });
    let ticket = app.store.create_ticket(&Actor::system(ws), &t).await.unwrap().id;
    let partial = get(&app, &format!("/kb/suggested/{ticket}"), &agent).await;
    assert_eq!(partial.status, StatusCode::OK);
    let html = partial.text();
    assert!(
        html.contains("Proponowane artykuły")
            && html.contains("<mark>KSeF</mark>")
            && html.contains("data-insert=\"/help/demo/kwitek/pl/articles/"),
        "{html}"
    );
    assert_eq!(get(&app, &format!("/kb/suggested/{ticket}"), &outsider).await.status, StatusCode::NOT_FOUND);
}

both_backends!(editor_pages);
