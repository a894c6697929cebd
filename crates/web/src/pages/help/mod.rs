//! The public help center of each brand, server-rendered:
//! `/help/{workspace}/{brand}/{locale}/` with its categories and articles, a
//! search page (search as you type with `assets/help.js`), article pages with
//! SEO metadata, a language switcher and "Was this helpful?", a contact form
//! that opens a ticket, `sitemap.xml`, and article files.
//!
//! Visitors get an anonymous session cookie so that a ticket opened after a
//! search can be linked to it (the deflection report). Every form and search
//! counts against the public rate limit of the client's address.

mod texts;

use crate::api::kb::public::{self as api, ClientAddr, Visitor};
use crate::api::kb::{article_url, file_response};
use crate::auth::{cookie, secret, set_cookie};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use rapport_domain::{Channel, Id, Locale};
use rapport_store::kb::{Category, HelpCenter, NewFeedback, PublicArticleRef, SearchSource};
use rapport_store::StoreError;
use serde::Deserialize;
use texts::{language_name, texts, HelpTexts};

pub const SESSION_COOKIE: &str = "rapport_help";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/help/assets/help.js", get(script))
        .route("/help/assets/help.css", get(style))
        .route("/help/{ws}/{brand}", get(entry))
        .route("/help/{ws}/{brand}/sitemap.xml", get(sitemap))
        .route("/help/{ws}/{brand}/files/{id}/{name}", get(file))
        .route("/help/{ws}/{brand}/{locale}", get(home))
        .route("/help/{ws}/{brand}/{locale}/search", get(search_page))
        .route("/help/{ws}/{brand}/{locale}/articles/{article}", get(article_page))
        .route("/help/{ws}/{brand}/{locale}/articles/{article}/feedback", post(feedback))
        .route("/help/{ws}/{brand}/{locale}/contact", get(contact_page).post(contact))
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../../assets/help.js"),
    )
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../../assets/help.css"),
    )
}

/// A brand's accent colour, derived from its slug so each help center looks its own.
fn accent(slug: &str) -> String {
    let hue = slug.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 360;
    format!("hsl({hue}, 60%, 32%)")
}

/// The visitor's session id, and the cookie to set when it is new.
fn session(headers: &HeaderMap, s: &AppState) -> (String, Option<String>) {
    match cookie(headers, SESSION_COOKIE).filter(|c| !c.is_empty() && c.len() <= 64) {
        Some(c) => (c, None),
        None => {
            let id = secret::random_token("");
            let id: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(40).collect();
            let set = set_cookie(SESSION_COOKIE, &id, 30 * 86_400, s.config.secure_cookies);
            (id, Some(set))
        }
    }
}

fn with_cookie(mut resp: Response, set: Option<String>) -> Response {
    if let Some(v) = set.and_then(|c| c.parse().ok()) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// `https://host` of the request, for absolute links (sitemap, canonical).
fn base_url(headers: &HeaderMap, s: &AppState) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    let forwarded = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok());
    let scheme = match forwarded {
        Some("https") => "https",
        Some(_) => "http",
        None if s.config.secure_cookies => "https",
        None => "http",
    };
    format!("{scheme}://{host}")
}

/// What every help page shows: the brand, the language, and the switcher.
struct Frame {
    lang: &'static str,
    t: &'static HelpTexts,
    brand_name: String,
    accent: String,
    home_url: String,
    search_url: String,
    contact_url: String,
    /// (locale code, language name, URL, current)
    languages: Vec<(&'static str, &'static str, String, bool)>,
    /// The API endpoint the search-as-you-type script calls.
    suggest_url: String,
}

fn frame(hc: &HelpCenter, locale: Locale, switch: impl Fn(Locale) -> String) -> Frame {
    let base = format!("/help/{}/{}", hc.workspace_slug, hc.brand.slug);
    Frame {
        lang: locale.as_str(),
        t: texts(locale),
        brand_name: hc.brand.name.clone(),
        accent: accent(&hc.brand.slug),
        home_url: format!("{base}/{locale}"),
        search_url: format!("{base}/{locale}/search"),
        contact_url: format!("{base}/{locale}/contact"),
        languages: Locale::ALL.iter().map(|l| (l.as_str(), language_name(*l), switch(*l), *l == locale)).collect(),
        suggest_url: format!("/api/v1/help/{}/{}/search", hc.workspace_slug, hc.brand.slug),
    }
}

fn home_switch(hc: &HelpCenter) -> impl Fn(Locale) -> String + '_ {
    move |l| format!("/help/{}/{}/{l}", hc.workspace_slug, hc.brand.slug)
}

/// A page-level failure: 404 for an unknown help center or article, 429 when rate-limited.
fn error_page(e: ApiError, locale: Locale) -> Response {
    let t = texts(locale);
    let msg = match e.status {
        StatusCode::NOT_FOUND => t.not_found,
        StatusCode::TOO_MANY_REQUESTS => t.too_many,
        _ => return e.into_response(),
    };
    let page = ErrorPage { lang: locale.as_str(), t, message: msg };
    (e.status, page).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "help/error.html")]
struct ErrorPage {
    lang: &'static str,
    t: &'static HelpTexts,
    message: &'static str,
}

fn parse_locale(raw: &str) -> Option<Locale> {
    Locale::parse(raw).ok()
}

async fn load(s: &AppState, ws: &str, brand: &str) -> Result<HelpCenter, ApiError> {
    Ok(s.store.help_center(ws, brand).await?)
}

/// `/help/{ws}/{brand}`: to the visitor's language, else the brand's.
async fn entry(State(s): State<AppState>, Path((ws, brand)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let accepted = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language);
    match load(&s, &ws, &brand).await {
        Ok(hc) => Redirect::to(&format!("/help/{ws}/{brand}/{}", accepted.unwrap_or(hc.brand.default_locale))).into_response(),
        Err(e) => error_page(e, accepted.unwrap_or(Locale::En)),
    }
}

struct CategoryBlock {
    name: String,
    articles: Vec<ArticleLink>,
}

struct ArticleLink {
    title: String,
    url: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "help/home.html")]
struct HomePage {
    f: Frame,
    title: String,
    description: String,
    categories: Vec<CategoryBlock>,
}

fn link(hc: &HelpCenter, a: &PublicArticleRef) -> ArticleLink {
    ArticleLink { title: a.title.clone(), url: article_url(&hc.workspace_slug, &hc.brand.slug, a.locale, a.article_id, &a.slug) }
}

fn group_by_category(hc: &HelpCenter, locale: Locale, categories: &[Category], articles: &[PublicArticleRef]) -> Vec<CategoryBlock> {
    let mut blocks: Vec<CategoryBlock> = categories
        .iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| CategoryBlock {
            name: c.name(locale).to_string(),
            articles: articles
                .iter()
                .filter(|a| {
                    a.category_id == Some(c.id) || categories.iter().any(|sub| sub.parent_id == Some(c.id) && a.category_id == Some(sub.id))
                })
                .map(|a| link(hc, a))
                .collect(),
        })
        .filter(|b| !b.articles.is_empty())
        .collect();
    let loose: Vec<ArticleLink> =
        articles.iter().filter(|a| a.category_id.is_none_or(|id| !categories.iter().any(|c| c.id == id))).map(|a| link(hc, a)).collect();
    if !loose.is_empty() {
        blocks.push(CategoryBlock { name: texts(locale).other_articles.to_string(), articles: loose });
    }
    blocks
}

async fn home(State(s): State<AppState>, Path((ws, brand, locale)): Path<(String, String, String)>, headers: HeaderMap) -> Response {
    let Some(locale) = parse_locale(&locale) else { return error_page(ApiError::new(StatusCode::NOT_FOUND, "not_found", ""), Locale::En) };
    let render = async {
        let hc = load(&s, &ws, &brand).await?;
        let categories = s.store.public_categories(hc.workspace_id, hc.brand.id).await?;
        let articles = s.store.public_articles(hc.workspace_id, hc.brand.id, Some(locale), None).await?;
        let t = texts(locale);
        let page = HomePage {
            title: format!("{} – {}", t.help_center, hc.brand.name),
            description: format!("{} {}", hc.brand.name, t.help_center),
            categories: group_by_category(&hc, locale, &categories, &articles),
            f: frame(&hc, locale, home_switch(&hc)),
        };
        Ok::<_, ApiError>(page.into_response())
    };
    let (_, set) = session(&headers, &s);
    match render.await {
        Ok(resp) => with_cookie(resp, set),
        Err(e) => error_page(e, locale),
    }
}

#[derive(Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
}

struct ResultItem {
    title_html: String,
    snippet_html: String,
    url: String,
    language: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "help/search.html")]
struct SearchPage {
    f: Frame,
    query: String,
    results: Vec<ResultItem>,
}

async fn search_page(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand, locale)): Path<(String, String, String)>,
    Query(p): Query<SearchParams>,
    headers: HeaderMap,
) -> Response {
    let Some(locale) = parse_locale(&locale) else { return error_page(ApiError::new(StatusCode::NOT_FOUND, "not_found", ""), Locale::En) };
    let (session_id, set) = session(&headers, &s);
    let query: String = p.q.trim().chars().take(300).collect();
    let render = async {
        api::rate_limit(&s, &client)?;
        let hc = load(&s, &ws, &brand).await?;
        let mut results = Vec::new();
        if !query.is_empty() {
            let r = api::public_search(&s, &hc, &query, Some(locale), false, 20).await?;
            let search_id = api::log(&s, &hc, SearchSource::Help, &session_id, &query, Some(locale), &r).await?;
            for h in r.hits {
                let url = article_url(&hc.workspace_slug, &hc.brand.slug, h.locale, h.article_id, &h.slug);
                results.push(ResultItem {
                    title_html: h.title_html,
                    snippet_html: h.snippet_html,
                    url: format!("{url}?s={search_id}"),
                    language: if h.locale == locale { "" } else { language_name(h.locale) },
                });
            }
        }
        let switch = |l: Locale| format!("/help/{}/{}/{l}/search?q={}", hc.workspace_slug, hc.brand.slug, urlencode(&query));
        let page = SearchPage { f: frame(&hc, locale, switch), query: query.clone(), results };
        Ok::<_, ApiError>(page.into_response())
    };
    match render.await {
        Ok(resp) => with_cookie(resp, set),
        Err(e) => error_page(e, locale),
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(Deserialize)]
struct ArticleParams {
    /// The search this visit came from.
    s: Option<Id>,
    /// Feedback was just sent.
    thanks: Option<u8>,
}

#[derive(Template, WebTemplate)]
#[template(path = "help/article.html")]
struct ArticlePage {
    f: Frame,
    title: String,
    description: String,
    canonical: String,
    /// (hreflang, absolute URL)
    alternates: Vec<(&'static str, String)>,
    body_html: String,
    updated: String,
    category: Option<String>,
    /// (language name, URL) of the other published translations.
    also_in: Vec<(&'static str, String)>,
    feedback_url: String,
    thanks: bool,
    article_id: Id,
}

/// `{id}-{slug}`: the id is what counts; a wrong slug redirects to the right one.
fn article_id(raw: &str) -> Option<Id> {
    raw.split('-').next().and_then(|id| id.parse().ok()).filter(|id: &Id| *id > 0)
}

async fn article_page(
    State(s): State<AppState>,
    Path((ws, brand, locale, raw)): Path<(String, String, String, String)>,
    Query(p): Query<ArticleParams>,
    headers: HeaderMap,
) -> Response {
    let Some(locale) = parse_locale(&locale) else { return error_page(ApiError::new(StatusCode::NOT_FOUND, "not_found", ""), Locale::En) };
    let (session_id, set) = session(&headers, &s);
    let render = async {
        let hc = load(&s, &ws, &brand).await?;
        let id = article_id(&raw).ok_or(StoreError::NotFound("article"))?;
        let a = s.store.public_article(hc.workspace_id, hc.brand.id, id, locale).await?;
        let url = article_url(&hc.workspace_slug, &hc.brand.slug, locale, id, &a.slug);
        if raw != format!("{id}-{}", a.slug) {
            return Ok(Redirect::permanent(&url).into_response());
        }
        if let Some(search_id) = p.s {
            // A click from a search result; a stale or foreign search id is ignored.
            let _ = s.store.log_search_click(hc.workspace_id, &session_id, search_id, id).await;
        }
        let base = base_url(&headers, &s);
        let mut alternates = vec![(locale.as_str(), format!("{base}{url}"))];
        let mut also_in = Vec::new();
        for (l, slug) in &a.other_locales {
            let u = article_url(&hc.workspace_slug, &hc.brand.slug, *l, id, slug);
            alternates.push((l.as_str(), format!("{base}{u}")));
            also_in.push((language_name(*l), u));
        }
        let others = a.other_locales.clone();
        let switch = |l: Locale| match others.iter().find(|(x, _)| *x == l) {
            Some((_, slug)) => article_url(&hc.workspace_slug, &hc.brand.slug, l, id, slug),
            None if l == locale => url.clone(),
            None => format!("/help/{}/{}/{l}", hc.workspace_slug, hc.brand.slug),
        };
        let category = match a.category_id {
            Some(c) => s
                .store
                .public_categories(hc.workspace_id, hc.brand.id)
                .await?
                .into_iter()
                .find(|x| x.id == c)
                .map(|x| x.name(locale).to_string()),
            None => None,
        };
        let description: String = a.body_text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(160).collect();
        let page = ArticlePage {
            title: format!("{} – {}", a.title, hc.brand.name),
            description,
            canonical: format!("{base}{url}"),
            alternates,
            body_html: a.body_html,
            updated: a.updated_at.to_rfc3339()[..10].to_string(),
            category,
            also_in,
            feedback_url: format!("{url}/feedback"),
            thanks: p.thanks.is_some(),
            article_id: id,
            f: frame(&hc, locale, switch),
        };
        Ok::<_, ApiError>(page.into_response())
    };
    match render.await {
        Ok(resp) => with_cookie(resp, set),
        Err(e) => error_page(e, locale),
    }
}

#[derive(Deserialize)]
struct FeedbackForm {
    helpful: String,
    #[serde(default)]
    comment: String,
}

async fn feedback(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand, locale, raw)): Path<(String, String, String, String)>,
    headers: HeaderMap,
    Form(f): Form<FeedbackForm>,
) -> Response {
    let Some(locale) = parse_locale(&locale) else { return error_page(ApiError::new(StatusCode::NOT_FOUND, "not_found", ""), Locale::En) };
    let (session_id, set) = session(&headers, &s);
    let done = async {
        api::rate_limit(&s, &client)?;
        let hc = load(&s, &ws, &brand).await?;
        let id = article_id(&raw).ok_or(StoreError::NotFound("article"))?;
        let fb = NewFeedback {
            article_id: id,
            locale,
            helpful: f.helpful == "yes",
            comment: Some(f.comment.clone()).filter(|c| !c.trim().is_empty()),
            session_id: Some(session_id.clone()),
        };
        s.store.article_feedback(hc.workspace_id, hc.brand.id, &fb).await?;
        Ok::<_, ApiError>(Redirect::to(&format!("/help/{ws}/{brand}/{locale}/articles/{raw}?thanks=1#feedback")).into_response())
    };
    match done.await {
        Ok(resp) => with_cookie(resp, set),
        Err(e) => error_page(e, locale),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "help/contact.html")]
struct ContactPage {
    f: Frame,
    error: Option<&'static str>,
    name: String,
    email: String,
    subject: String,
    message: String,
    ticket_id: Option<Id>,
}

async fn contact_page(
    State(s): State<AppState>,
    Path((ws, brand, locale)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(locale) = parse_locale(&locale) else { return error_page(ApiError::new(StatusCode::NOT_FOUND, "not_found", ""), Locale::En) };
    let (_, set) = session(&headers, &s);
    match load(&s, &ws, &brand).await {
        Ok(hc) => {
            let switch = |l: Locale| format!("/help/{}/{}/{l}/contact", hc.workspace_slug, hc.brand.slug);
            let page = ContactPage {
                f: frame(&hc, locale, switch),
                error: None,
                name: String::new(),
                email: String::new(),
                subject: String::new(),
                message: String::new(),
                ticket_id: None,
            };
            with_cookie(page.into_response(), set)
        }
        Err(e) => error_page(e, locale),
    }
}

#[derive(Deserialize)]
struct ContactForm {
    #[serde(default)]
    name: String,
    email: String,
    subject: String,
    message: String,
    /// A field people never see: bots fill it in.
    #[serde(default)]
    website: String,
}

async fn contact(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand, locale)): Path<(String, String, String)>,
    headers: HeaderMap,
    Form(f): Form<ContactForm>,
) -> Response {
    let Some(locale) = parse_locale(&locale) else { return error_page(ApiError::new(StatusCode::NOT_FOUND, "not_found", ""), Locale::En) };
    let (session_id, set) = session(&headers, &s);
    if let Err(e) = api::rate_limit(&s, &client) {
        return error_page(e, locale);
    }
    let hc = match load(&s, &ws, &brand).await {
        Ok(hc) => hc,
        Err(e) => return error_page(e, locale),
    };
    let t = texts(locale);
    let switch = |l: Locale| format!("/help/{}/{}/{l}/contact", hc.workspace_slug, hc.brand.slug);
    let mut page = ContactPage {
        f: frame(&hc, locale, switch),
        error: None,
        name: f.name.clone(),
        email: f.email.clone(),
        subject: f.subject.clone(),
        message: f.message.clone(),
        ticket_id: None,
    };
    if !f.website.is_empty() {
        // Pretend success to the bot; nothing is stored.
        page.ticket_id = Some(0);
        return with_cookie(page.into_response(), set);
    }
    if f.subject.trim().is_empty() || f.message.trim().is_empty() {
        page.error = Some(t.error_required);
        return with_cookie((StatusCode::UNPROCESSABLE_ENTITY, page).into_response(), set);
    }
    let visitor = Visitor { name: Some(&f.name), email: &f.email, locale: Some(locale), session_id: &session_id };
    match api::visitor_ticket(&s, &hc, &visitor, &f.subject, &f.message, Channel::Web).await {
        Ok(ticket) => {
            page.ticket_id = Some(ticket.id);
            with_cookie(page.into_response(), set)
        }
        Err(e) if e.field.as_deref() == Some("email") => {
            page.error = Some(t.error_email);
            with_cookie((StatusCode::UNPROCESSABLE_ENTITY, page).into_response(), set)
        }
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            page.error = Some(t.error_required);
            with_cookie((StatusCode::UNPROCESSABLE_ENTITY, page).into_response(), set)
        }
        Err(e) => error_page(e, locale),
    }
}

/// Every published article of the brand, each language with its alternates.
async fn sitemap(State(s): State<AppState>, Path((ws, brand)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let hc = match load(&s, &ws, &brand).await {
        Ok(hc) => hc,
        Err(e) => return e.into_response(),
    };
    let articles = match s.store.public_articles(hc.workspace_id, hc.brand.id, None, None).await {
        Ok(a) => a,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let base = base_url(&headers, &s);
    let esc = |u: &str| u.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for l in Locale::ALL {
        xml.push_str(&format!("<url><loc>{}</loc></url>\n", esc(&format!("{base}/help/{}/{}/{l}", hc.workspace_slug, hc.brand.slug))));
    }
    for a in &articles {
        let loc = format!("{base}{}", article_url(&hc.workspace_slug, &hc.brand.slug, a.locale, a.article_id, &a.slug));
        xml.push_str(&format!("<url><loc>{}</loc><lastmod>{}</lastmod>", esc(&loc), &a.updated_at.to_rfc3339()[..10]));
        for other in articles.iter().filter(|o| o.article_id == a.article_id) {
            let href = format!("{base}{}", article_url(&hc.workspace_slug, &hc.brand.slug, other.locale, other.article_id, &other.slug));
            xml.push_str(&format!("<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>", other.locale, esc(&href)));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response()
}

async fn file(State(s): State<AppState>, Path((ws, brand, id, _name)): Path<(String, String, Id, String)>) -> Response {
    let hc = match load(&s, &ws, &brand).await {
        Ok(hc) => hc,
        Err(e) => return e.into_response(),
    };
    match s.store.public_article_file(hc.workspace_id, hc.brand.id, id).await {
        Ok(f) => file_response(&s, &f).await,
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_ids_and_accents() {
        assert_eq!(article_id("12-dang-nhap"), Some(12));
        assert_eq!(article_id("12"), Some(12));
        assert_eq!(article_id("x-12"), None);
        assert_eq!(article_id("-5"), None);
        assert_ne!(accent("sao-mai"), accent("kwitek"));
        assert_eq!(urlencode("đăng nhập"), "%C4%91%C4%83ng%20nh%E1%BA%ADp");
    }
}
