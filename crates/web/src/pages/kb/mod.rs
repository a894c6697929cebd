//! The agent-side knowledge base: the article list (filters for status,
//! missing translations and stale internal cards, and search), a new-article
//! form, and the editor of one translation: Markdown or sanitised HTML, the
//! other languages (and the missing ones), the workflow buttons the user's
//! role allows, versions with restore, and an internal card's verification.
//! Also the "suggested articles" partial for the ticket view.
//!
//! Every form carries the session's CSRF token; the store checks role and workspace.

mod texts;

use super::desk::frame::Frame;
use super::session::PageUser;
use crate::api::kb::{suggestions_for_ticket, SuggestedArticle};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use rapport_domain::{Id, Locale, Permission, Timestamp};
use rapport_store::kb::*;
use rapport_store::model::Brand;
use serde::Deserialize;
pub use texts::{kb_texts, KbTexts};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kb", get(list))
        .route("/kb/new", get(new_form).post(create))
        .route("/kb/articles/{id}/{locale}", get(editor).post(save))
        .route("/kb/articles/{id}/{locale}/workflow", post(workflow))
        .route("/kb/articles/{id}/{locale}/restore", post(restore))
        .route("/kb/articles/{id}/verify", post(verify))
        .route("/kb/suggested/{ticket}", get(suggested))
}

fn fail(e: impl Into<ApiError>) -> Response {
    e.into().into_response()
}

fn date(t: Option<Timestamp>) -> String {
    t.map(|t| t.to_rfc3339()[..10].to_string()).unwrap_or_default()
}

struct ListRow {
    id: Id,
    /// (locale, title, status word, editor URL)
    translations: Vec<(&'static str, String, &'static str, String)>,
    missing: Vec<(&'static str, String)>,
    internal: bool,
    stale: bool,
}

struct Hit {
    title_html: String,
    snippet_html: String,
    url: String,
    locale: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "kb/list.html")]
struct ListPage {
    frame: Frame,
    k: &'static KbTexts,
    rows: Vec<ListRow>,
    hits: Vec<Hit>,
    q: String,
    status: String,
    missing: String,
    stale: bool,
    statuses: Vec<(&'static str, &'static str)>,
    locales: Vec<&'static str>,
    can_write: bool,
}

#[derive(Deserialize, Default)]
struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    missing: String,
    stale: Option<String>,
}

fn editor_url(id: Id, locale: Locale) -> String {
    format!("/kb/articles/{id}/{locale}")
}

async fn list(State(s): State<AppState>, user: PageUser, Query(p): Query<ListParams>) -> Response {
    let k = kb_texts(user.ctx.user.locale);
    let actor = &user.ctx.actor;
    let q = ArticleQuery {
        status: ArticleStatus::parse(&p.status).ok(),
        missing_locale: Locale::parse(&p.missing).ok(),
        stale: p.stale.is_some(),
        limit: 100,
        ..Default::default()
    };
    let page = match s.store.list_articles(actor, &q).await {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let rows = page
        .items
        .into_iter()
        .map(|a| ListRow {
            id: a.id,
            translations: a
                .translations
                .iter()
                .map(|t| (t.locale.as_str(), t.title.clone(), k.status(t.status), editor_url(a.id, t.locale)))
                .collect(),
            missing: a.missing_locales.iter().map(|l| (l.as_str(), editor_url(a.id, *l))).collect(),
            internal: a.visibility == Visibility::Internal,
            stale: a.stale,
        })
        .collect();
    let mut hits = Vec::new();
    if !p.q.trim().is_empty() {
        let search = ArticleSearch { query: p.q.clone(), include_unpublished: true, limit: 20, ..Default::default() };
        match s.store.search_articles(&SearchScope::Staff(actor.clone()), &search).await {
            Ok(r) => {
                hits = r
                    .hits
                    .into_iter()
                    .map(|h| Hit {
                        url: editor_url(h.article_id, h.locale),
                        title_html: h.title_html,
                        snippet_html: h.snippet_html,
                        locale: h.locale.as_str(),
                    })
                    .collect()
            }
            Err(e) => return fail(e),
        }
    }
    let statuses = ArticleStatus::ALL.iter().map(|st| (st.as_str(), k.status(*st))).collect();
    let can_write = actor.require(Permission::WriteKnowledge).is_ok();
    ListPage {
        frame: Frame::new(&s, &user).await,
        k,
        rows,
        hits,
        q: p.q,
        status: p.status,
        missing: p.missing,
        stale: p.stale.is_some(),
        statuses,
        locales: Locale::ALL.iter().map(|l| l.as_str()).collect(),
        can_write,
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "kb/new.html")]
struct NewPage {
    frame: Frame,
    k: &'static KbTexts,
    brands: Vec<Brand>,
    /// (id, brand id, name)
    categories: Vec<(Id, Id, String)>,
    locales: Vec<&'static str>,
    error: Option<String>,
}

async fn new_page(s: &AppState, user: &PageUser, error: Option<String>) -> Response {
    let actor = &user.ctx.actor;
    let locale = user.ctx.user.locale;
    let (brands, categories) = match (s.store.list_brands(actor).await, s.store.list_kb_categories(actor, None).await) {
        (Ok(b), Ok(c)) => (b, c),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    NewPage {
        frame: Frame::new(s, user).await,
        k: kb_texts(locale),
        brands,
        categories: categories.iter().map(|c| (c.id, c.brand_id, c.name(locale).to_string())).collect(),
        locales: Locale::ALL.iter().map(|l| l.as_str()).collect(),
        error,
    }
    .into_response()
}

async fn new_form(State(s): State<AppState>, user: PageUser) -> Response {
    new_page(&s, &user, None).await
}

#[derive(Deserialize)]
struct NewForm {
    csrf_token: String,
    brand_id: Id,
    #[serde(default)]
    category_id: String,
    visibility: String,
    locale: String,
    title: String,
    format: String,
    body: String,
}

async fn create(State(s): State<AppState>, user: PageUser, Form(f): Form<NewForm>) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    let parsed = (|| {
        Ok::<_, rapport_domain::DomainError>(NewArticle {
            brand_id: f.brand_id,
            category_id: f.category_id.parse().ok(),
            visibility: Visibility::parse(&f.visibility)?,
            verifier_id: None,
            verify_interval_days: None,
            locale: Locale::parse(&f.locale)?,
            title: f.title.clone(),
            body: f.body.clone(),
            format: BodyFormat::parse(&f.format)?,
        })
    })();
    let input = match parsed {
        Ok(i) => i,
        Err(e) => return new_page(&s, &user, Some(e.to_string())).await,
    };
    match s.store.create_article(&user.ctx.actor, &input).await {
        Ok(a) => Redirect::to(&editor_url(a.id, input.locale)).into_response(),
        Err(StoreError::Domain(e @ rapport_domain::DomainError::Invalid { .. })) => new_page(&s, &user, Some(e.to_string())).await,
        Err(e) => fail(e),
    }
}

use rapport_store::StoreError;

struct VersionRow {
    version: i64,
    date: String,
    note: String,
    live: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "kb/editor.html")]
struct EditorPage {
    frame: Frame,
    k: &'static KbTexts,
    article_id: Id,
    locale: &'static str,
    /// (locale, status word or "", URL, current)
    tabs: Vec<(&'static str, &'static str, String, bool)>,
    exists: bool,
    title: String,
    body: String,
    markdown: bool,
    status: &'static str,
    status_code: &'static str,
    live_title: String,
    live_html: String,
    unpublished_changes: bool,
    versions: Vec<VersionRow>,
    /// (action, label)
    actions: Vec<(&'static str, &'static str)>,
    internal: bool,
    stale: bool,
    verifier: String,
    verify_before: String,
    verified_at: String,
    can_verify: bool,
    can_write: bool,
    helpful: String,
    public_url: Option<String>,
    error: Option<String>,
}

async fn editor_page(
    s: &AppState,
    user: &PageUser,
    id: Id,
    locale: Locale,
    error: Option<String>,
    draft: Option<(String, String, bool)>,
) -> Response {
    let actor = &user.ctx.actor;
    let k = kb_texts(user.ctx.user.locale);
    let article = match s.store.get_article(actor, id).await {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let tr = match s.store.get_translation(actor, id, locale).await {
        Ok(t) => Some(t),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return fail(e),
    };
    let versions = match &tr {
        Some(_) => match s.store.list_versions(actor, id, locale).await {
            Ok(v) => v,
            Err(e) => return fail(e),
        },
        None => vec![],
    };
    let tabs = Locale::ALL
        .iter()
        .map(|l| {
            let status = article.translations.iter().find(|t| t.locale == *l).map(|t| k.status(t.status)).unwrap_or("");
            (l.as_str(), status, editor_url(id, *l), *l == locale)
        })
        .collect();
    let can_write = actor.require(Permission::WriteKnowledge).is_ok();
    let can_publish = actor.require(Permission::PublishKnowledge).is_ok();
    let mut actions = Vec::new();
    if let Some(t) = &tr {
        use ArticleStatus as S;
        let pending = t.has_unpublished_changes;
        if can_write && t.status == S::Draft {
            actions.push(("submit", k.submit));
        }
        if can_publish {
            if t.status != S::Published || pending {
                actions.push(("publish", k.publish));
            }
            if t.status == S::Review {
                actions.push(("reject", k.reject));
            }
            if t.status == S::Published {
                actions.push(("unpublish", k.unpublish));
            }
            if t.status != S::Archived {
                actions.push(("archive", k.archive));
            }
        }
    }
    let verifier = match article.verifier_id {
        Some(v) => s.store.get_user(actor, v).await.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let public_url = match (&tr, article.visibility) {
        (Some(t), Visibility::Public) if t.published_version.is_some() => s
            .store
            .help_center_of(actor, article.brand_id)
            .await
            .ok()
            .map(|hc| crate::api::kb::article_url(&hc.workspace_slug, &hc.brand.slug, locale, id, &t.slug)),
        _ => None,
    };
    let (title, body, markdown) = match (draft, &tr) {
        (Some(d), _) => d,
        (None, Some(t)) => (t.title.clone(), t.body.clone(), t.format == BodyFormat::Markdown),
        (None, None) => (String::new(), String::new(), true),
    };
    EditorPage {
        frame: Frame::new(s, user).await,
        k,
        article_id: id,
        locale: locale.as_str(),
        tabs,
        exists: tr.is_some(),
        title,
        body,
        markdown,
        status: tr.as_ref().map(|t| k.status(t.status)).unwrap_or(""),
        status_code: tr.as_ref().map(|t| t.status.as_str()).unwrap_or(""),
        live_title: tr.as_ref().map(|t| t.live_title.clone()).unwrap_or_default(),
        live_html: tr.as_ref().map(|t| t.live_html.clone()).unwrap_or_default(),
        unpublished_changes: tr.as_ref().is_some_and(|t| t.has_unpublished_changes),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                date: date(Some(v.created_at)),
                note: v.note.clone().unwrap_or_default(),
                live: tr.as_ref().and_then(|t| t.published_version) == Some(v.version),
            })
            .collect(),
        actions,
        internal: article.visibility == Visibility::Internal,
        stale: article.stale,
        verifier,
        verify_before: date(article.verify_before),
        verified_at: date(article.verified_at),
        can_verify: article.visibility == Visibility::Internal && (article.verifier_id == Some(actor.user_id) || can_publish),
        can_write,
        helpful: tr.as_ref().map(|t| format!("{} / {}", t.helpful_yes, t.helpful_yes + t.helpful_no)).unwrap_or_default(),
        public_url,
        error,
    }
    .into_response()
}

fn path_locale(raw: &str) -> Option<Locale> {
    Locale::parse(raw).ok()
}

fn no_language() -> Response {
    ApiError::new(axum::http::StatusCode::NOT_FOUND, "not_found", "no such language").into_response()
}

async fn editor(State(s): State<AppState>, user: PageUser, Path((id, locale)): Path<(Id, String)>) -> Response {
    match path_locale(&locale) {
        Some(l) => editor_page(&s, &user, id, l, None, None).await,
        None => no_language(),
    }
}

#[derive(Deserialize)]
struct SaveForm {
    csrf_token: String,
    title: String,
    body: String,
    format: String,
    #[serde(default)]
    note: String,
}

async fn save(State(s): State<AppState>, user: PageUser, Path((id, locale)): Path<(Id, String)>, Form(f): Form<SaveForm>) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    let Some(locale) = path_locale(&locale) else { return no_language() };
    let markdown = f.format != "html";
    let input = TranslationInput {
        title: f.title.clone(),
        body: f.body.clone(),
        format: if markdown { BodyFormat::Markdown } else { BodyFormat::Html },
        note: Some(f.note.clone()),
    };
    match s.store.save_translation(&user.ctx.actor, id, locale, &input).await {
        Ok(_) => Redirect::to(&editor_url(id, locale)).into_response(),
        Err(StoreError::Domain(e @ rapport_domain::DomainError::Invalid { .. })) => {
            editor_page(&s, &user, id, locale, Some(e.to_string()), Some((f.title, f.body, markdown))).await
        }
        Err(e) => fail(e),
    }
}

#[derive(Deserialize)]
struct ActionForm {
    csrf_token: String,
    action: String,
}

async fn workflow(
    State(s): State<AppState>,
    user: PageUser,
    Path((id, locale)): Path<(Id, String)>,
    Form(f): Form<ActionForm>,
) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    let Some(locale) = path_locale(&locale) else { return no_language() };
    let action = match WorkflowAction::parse(&f.action) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    match s.store.translation_workflow(&user.ctx.actor, id, locale, action).await {
        Ok(_) => Redirect::to(&editor_url(id, locale)).into_response(),
        Err(StoreError::Conflict(m)) => editor_page(&s, &user, id, locale, Some(m), None).await,
        Err(e) => fail(e),
    }
}

#[derive(Deserialize)]
struct RestoreForm {
    csrf_token: String,
    version: i64,
}

async fn restore(
    State(s): State<AppState>,
    user: PageUser,
    Path((id, locale)): Path<(Id, String)>,
    Form(f): Form<RestoreForm>,
) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    let Some(locale) = path_locale(&locale) else { return no_language() };
    match s.store.restore_version(&user.ctx.actor, id, locale, f.version).await {
        Ok(_) => Redirect::to(&editor_url(id, locale)).into_response(),
        Err(e) => fail(e),
    }
}

#[derive(Deserialize)]
struct VerifyForm {
    csrf_token: String,
    locale: String,
}

async fn verify(State(s): State<AppState>, user: PageUser, Path(id): Path<Id>, Form(f): Form<VerifyForm>) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    let Some(locale) = path_locale(&f.locale) else { return no_language() };
    match s.store.verify_article(&user.ctx.actor, id).await {
        Ok(_) => Redirect::to(&editor_url(id, locale)).into_response(),
        Err(e) => fail(e),
    }
}

/// The ticket view's "suggested articles" box: articles matching the
/// conversation, each with its link and an excerpt to insert into the reply.
/// Include it in a page with `{% include "kb/suggested.html" %}` given a
/// `suggested: SuggestedBox`, or load it from `/kb/suggested/{ticket}`.
#[derive(Template, WebTemplate)]
#[template(path = "kb/suggested.html")]
pub struct SuggestedPartial {
    pub suggested: SuggestedBox,
}

pub struct SuggestedBox {
    pub k: &'static KbTexts,
    pub items: Vec<SuggestedArticle>,
}

impl SuggestedBox {
    pub async fn for_ticket(s: &AppState, user: &PageUser, ticket_id: Id) -> Result<SuggestedBox, ApiError> {
        let items = suggestions_for_ticket(s, &user.ctx.actor, ticket_id, 5).await?;
        Ok(SuggestedBox { k: kb_texts(user.ctx.user.locale), items })
    }
}

async fn suggested(State(s): State<AppState>, user: PageUser, Path(ticket): Path<Id>) -> Response {
    match SuggestedBox::for_ticket(&s, &user, ticket).await {
        Ok(b) => SuggestedPartial { suggested: b }.into_response(),
        Err(e) => e.into_response(),
    }
}
