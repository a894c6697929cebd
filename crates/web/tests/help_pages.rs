//! The public help center's pages, end to end on both backends: language
//! choice and switcher, SEO metadata, search with logging and clicks,
//! "Was this helpful?", the contact form and the deflection report it feeds,
//! the sitemap, article files, and the public rate limit.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{member, Backend, Member, Reply, TestApp};
use rapport_domain::rate_limit::RateLimiter;
use rapport_domain::{Actor, Role};
use rapport_store::story_kb::{seed_sample, Sample};
use rapport_store::{BlobStore, Store};
use rapport_web::{AppState, WebConfig};
use std::sync::Arc;
use std::time::Duration;

struct World {
    app: TestApp,
    admin: Member,
    sample: Sample,
}

async fn world_with_limit(backend: Backend, per_minute: u32) -> World {
    let dir = tempfile::tempdir().unwrap().keep();
    let store: Arc<dyn Store> = match backend {
        Backend::Sqlite => Arc::new(rapport_store_sqlite::SqliteStore::open(dir.join("t.db")).await.unwrap()),
        Backend::Postgres => Arc::new(rapport_store_postgres::testing::fresh_store().await),
    };
    store.migrate().await.unwrap();
    let mut state = AppState::new(store.clone(), BlobStore::new(dir.join("blobs")), WebConfig::default(), common::test_secrets());
    state.kb =
        Arc::new(rapport_web::api::kb::KbServices { public_limiter: RateLimiter::new(per_minute, Duration::from_secs(60)), llm: None });
    let app = TestApp { router: rapport_web::router(state), store: store.clone(), dir };
    let ws = store.create_workspace("Demo", "demo").await.unwrap().id;
    let admin = member(store.as_ref(), ws, Role::Admin, "admin@demo.test", &[]).await;
    let sample = seed_sample(store.as_ref(), &Actor::system(ws)).await;
    World { app, admin, sample }
}

async fn world(backend: Backend) -> World {
    world_with_limit(backend, 1000).await
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::get(path).header(header::HOST, "help.example.test").header(header::ACCEPT_LANGUAGE, "pl-PL,pl;q=0.9");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

async fn post_form(app: &TestApp, path: &str, body: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::from(body.to_string())).unwrap()).await
}

fn session_cookie(r: &Reply) -> String {
    let set =
        r.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).find(|c| c.starts_with("rapport_help="));
    set.expect("a help-center session cookie").split(';').next().unwrap().to_string()
}

fn article_path(w: &World, brand: &str, locale: &str, key: &str) -> String {
    format!("/help/demo/{brand}/{locale}/articles/{}", w.sample.ids[key])
}

async fn language_switcher_and_seo(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let r = get(app, "/help/demo/sao-mai", None).await;
    assert_eq!((r.status, r.headers[header::LOCATION].to_str().unwrap()), (StatusCode::SEE_OTHER, "/help/demo/sao-mai/pl"));

    let home = get(app, "/help/demo/sao-mai/vi", None).await;
    assert_eq!(home.status, StatusCode::OK);
    let html = home.text();
    assert!(html.contains("<meta charset=\"utf-8\">") && html.contains("<html lang=\"vi\">"));
    assert!(html.contains("Trung tâm trợ giúp") && html.contains("Tài khoản") && html.contains("Cách đăng nhập vào tài khoản Sao Mai"));
    assert!(!html.contains("Quy trình hoàn tiền"), "internal cards are not listed");
    assert!(!html.contains("KSeF"), "another brand's articles are not listed");
    assert!(html.contains("href=\"/help/demo/sao-mai/pl\"") && html.contains("href=\"/help/demo/sao-mai/en\""));
    let pl = get(app, "/help/demo/sao-mai/pl", None).await.text();
    assert!(pl.contains("Centrum pomocy") && pl.contains("Jak zalogować się do konta Sao Mai") && !pl.contains("Cách đăng nhập"));

    // An article: its metadata, its translations, and a slug that fixes itself.
    let path = article_path(&w, "sao-mai", "vi", "sm-login");
    let r = get(app, &path, None).await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT);
    let canonical = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(canonical, format!("{path}-cach-dang-nhap-vao-tai-khoan-sao-mai"));
    let page = get(app, &canonical, None).await;
    let html = page.text();
    assert!(html.contains("<title>Cách đăng nhập vào tài khoản Sao Mai – Sao Mai Mobile</title>"), "{html}");
    assert!(html.contains("<meta name=\"description\" content=\"Bạn có thể đăng nhập"));
    assert!(html.contains(&format!("<link rel=\"canonical\" href=\"http://help.example.test{canonical}\">")));
    assert!(html.contains("hreflang=\"pl\" href=\"http://help.example.test/help/demo/sao-mai/pl/articles/"));
    assert!(html.contains("<meta property=\"og:title\""));
    assert!(html.contains("<strong>đăng nhập</strong>"), "the body is rendered");
    assert!(html.contains("Polski") && html.contains("Bài viết này có hữu ích không?"));
    assert!(page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("script-src 'self'"));

    // Not public, not this brand, not this language: 404 pages.
    for path in [
        article_path(&w, "sao-mai", "vi", "sm-refund-staff"),
        article_path(&w, "kwitek", "vi", "sm-login"),
        article_path(&w, "sao-mai", "pl", "sm-track"),
        "/help/demo/sao-mai/de".to_string(),
        "/help/demo/nope/vi".to_string(),
        "/help/other/sao-mai/vi".to_string(),
    ] {
        let r = get(app, &path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }

    let sitemap = get(app, "/help/demo/kwitek/sitemap.xml", None).await;
    assert_eq!(sitemap.headers[header::CONTENT_TYPE], "application/xml; charset=utf-8");
    let xml = sitemap.text();
    assert!(xml.contains(&format!("<loc>http://help.example.test/help/demo/kwitek/pl/articles/{}-", w.sample.ids["kw-lodz"])));
    assert!(xml.contains("hreflang=\"en\""));
    assert!(!xml.contains(&format!("/articles/{}-", w.sample.ids["kw-printer-escalation"])), "internal cards stay out of the sitemap");
    assert!(!xml.contains("sao-mai/vi/articles"));
    let js = get(app, "/help/assets/help.js", None).await;
    assert!(js.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript") && js.text().contains("as_you_type=true"));
}

async fn search_feedback_contact_and_report(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let first = get(app, "/help/demo/kwitek/pl", None).await;
    let cookie = session_cookie(&first);

    let r = get(app, "/help/demo/kwitek/pl/search?q=zolta%20lampka", Some(&cookie)).await;
    let html = r.text();
    assert!(html.contains("<mark>Żółta</mark> <mark>lampka</mark>"), "{html}");
    let link_start = html.find("href=\"/help/demo/kwitek/pl/articles/").expect("a result link") + 6;
    let link = html[link_start..].split('"').next().unwrap().replace("&#x3f;", "?").replace("&#61;", "=").replace("&amp;", "&");
    assert!(link.contains("?s="), "{link}");
    let opened = get(app, &link, Some(&cookie)).await;
    assert_eq!(opened.status, StatusCode::OK, "{link}");

    let none = get(app, "/help/demo/kwitek/pl/search?q=rower%20elektryczny", Some(&cookie)).await.text();
    assert!(none.contains("Żaden artykuł nie pasuje") && none.contains("/help/demo/kwitek/pl/contact"));

    // Was this helpful?
    let article = format!("{}-zolta-lampka-na-drukarce-fiskalnej", article_path(&w, "kwitek", "pl", "kw-printer-yellow"));
    let r = post_form(app, &format!("{article}/feedback"), "helpful=no&comment=Brak+zdj%C4%99cia", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let back = get(app, r.headers[header::LOCATION].to_str().unwrap(), Some(&cookie)).await.text();
    assert!(back.contains("Dziękujemy za opinię."));
    let t = app.get(&format!("/api/v1/kb/articles/{}/translations/pl", w.sample.ids["kw-printer-yellow"]), &w.admin.token).await.json();
    assert_eq!((t["helpful_yes"].as_i64(), t["helpful_no"].as_i64()), (Some(0), Some(1)));

    // The contact form: errors are shown with the input kept; a good one opens a ticket.
    let bad =
        post_form(app, "/help/demo/kwitek/pl/contact", "name=Ola&email=nie-email&subject=Drukarka&message=Nie+dzia%C5%82a", Some(&cookie))
            .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("Podaj poprawny adres e-mail.") && bad.text().contains("value=\"Drukarka\""));
    let bot =
        post_form(app, "/help/demo/kwitek/pl/contact", "email=bot@spam.test&subject=x&message=y&website=http://spam", Some(&cookie)).await;
    assert_eq!(bot.status, StatusCode::OK);
    let ok = post_form(
        app,
        "/help/demo/kwitek/pl/contact",
        "name=Ola&email=ola%40firma.pl&subject=Drukarka&message=Lampka+nadal+%C5%BC%C3%B3%C5%82ta",
        Some(&cookie),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    let html = ok.text();
    assert!(html.contains("Dziękujemy, otrzymaliśmy wiadomość"));
    let id: i64 = html.split("<strong>#").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
    let ticket = app.get(&format!("/api/v1/tickets/{id}"), &w.admin.token).await.json();
    assert_eq!(
        (ticket["subject"].as_str(), ticket["channel"].as_str(), ticket["language"].as_str()),
        (Some("Drukarka"), Some("web"), Some("pl"))
    );
    let tickets = app.get("/api/v1/tickets?limit=100", &w.admin.token).await.json();
    assert_eq!(tickets["items"].as_array().unwrap().len(), 1, "the honeypot submission stored nothing");

    let report = app.get(&format!("/api/v1/kb/reports/deflection?brand={}", w.sample.brands["kwitek"]), &w.admin.token).await.json();
    assert_eq!((report["searches"].as_i64(), report["sessions_with_ticket"].as_i64()), (Some(2), Some(1)), "{report}");
    assert_eq!(report["no_result_queries"][0]["query"], "rower elektryczny");
    assert_eq!(report["top_deflecting_articles"][0]["article_id"], w.sample.ids["kw-printer-yellow"]);
    assert_eq!(report["top_deflecting_articles"][0]["followed_by_ticket"], 1);
}

async fn public_rate_limit(backend: Backend) {
    let w = world_with_limit(backend, 3).await;
    for _ in 0..3 {
        assert_eq!(get(&w.app, "/help/demo/kwitek/pl/search?q=ksef", None).await.status, StatusCode::OK);
    }
    let r = get(&w.app, "/help/demo/kwitek/pl/search?q=ksef", None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().contains("Zbyt wiele żądań"));
    let api = w.app.call(axum::http::Method::GET, "/api/v1/help/demo/kwitek/search?q=ksef", None, None).await;
    assert_eq!((api.status, api.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()));
}

both_backends!(language_switcher_and_seo, search_feedback_contact_and_report, public_rate_limit);
