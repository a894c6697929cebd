//! The knowledge base's API for staff: categories, articles, translations,
//! workflow, versions, files, search (articles and ticket messages), the
//! deflection report, and articles suggested for a ticket. The store checks
//! the role and workspace of every call. `public` holds the endpoints the
//! help center and the chat widget call without signing in.

pub mod public;

use super::parse_cursor;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_domain::rate_limit::RateLimiter;
use rapport_domain::{Id, Locale, MessageKind, Timestamp};
use rapport_kb::llm::LlmClient;
use rapport_store::kb::*;
use rapport_store::page::clamp_limit;
use rapport_store::Page;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::{IntoParams, ToSchema};

/// What the knowledge base adds to the app's state.
pub struct KbServices {
    /// Public search, feedback, bot and contact requests per client address.
    pub public_limiter: RateLimiter,
    /// Writes the bot's answers when configured; otherwise it quotes passages.
    pub llm: Option<LlmClient>,
}

impl Default for KbServices {
    fn default() -> Self {
        KbServices { public_limiter: RateLimiter::new(120, Duration::from_secs(60)), llm: None }
    }
}

/// The public address of an article in a help center.
pub fn article_url(workspace_slug: &str, brand_slug: &str, locale: Locale, article_id: Id, slug: &str) -> String {
    format!("/help/{workspace_slug}/{brand_slug}/{locale}/articles/{article_id}-{slug}")
}

fn parse_locale(field: &'static str, raw: &str) -> Result<Locale, ApiError> {
    Locale::parse(raw).map_err(|e| ApiError::invalid(field, e.to_string()))
}

// ---------------------------------------------------------------- categories

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CategoryParams {
    brand: Option<i64>,
}

#[utoipa::path(get, path = "/kb/categories", tag = "knowledge base", params(CategoryParams), responses((status = 200, body = Vec<Category>)))]
pub async fn list_categories(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<CategoryParams>,
) -> ApiResult<Json<Vec<Category>>> {
    Ok(Json(s.store.list_kb_categories(&a.actor, p.brand).await?))
}

/// Create a category, or a section inside one (`parent_id`). Admins only.
#[utoipa::path(post, path = "/kb/categories", tag = "knowledge base", request_body = NewCategory,
    responses((status = 201, body = Category), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_category(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<NewCategory>,
) -> ApiResult<(StatusCode, Json<Category>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_kb_category(&a.actor, &input).await?)))
}

#[utoipa::path(delete, path = "/kb/categories/{id}", tag = "knowledge base", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_category(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_kb_category(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- articles

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ArticleListParams {
    brand: Option<i64>,
    category: Option<i64>,
    visibility: Option<Visibility>,
    /// Articles with a translation in this status.
    status: Option<ArticleStatus>,
    /// Articles with no translation in this language (`vi`, `pl`, `en`).
    missing_locale: Option<Locale>,
    /// Internal cards past their verify-before date.
    stale: Option<bool>,
    cursor: Option<String>,
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/kb/articles", tag = "knowledge base", params(ArticleListParams),
    responses((status = 200, body = Page<Article>), (status = 422, body = ErrorBody)))]
pub async fn list_articles(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<ArticleListParams>,
) -> ApiResult<Json<Page<Article>>> {
    let q = ArticleQuery {
        brand_id: p.brand,
        category_id: p.category,
        visibility: p.visibility,
        status: p.status,
        missing_locale: p.missing_locale,
        stale: p.stale.unwrap_or(false),
        cursor: parse_cursor(p.cursor.as_deref())?,
        limit: clamp_limit(p.limit),
    };
    Ok(Json(s.store.list_articles(&a.actor, &q).await?))
}

/// Create an article with its first translation, as a draft.
#[utoipa::path(post, path = "/kb/articles", tag = "knowledge base", request_body = NewArticle,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key")),
    responses((status = 201, body = Article), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_article(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<NewArticle>,
) -> ApiResult<(StatusCode, Json<Article>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_article(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/kb/articles/{id}", tag = "knowledge base", params(("id" = i64, Path)),
    responses((status = 200, body = Article), (status = 404, body = ErrorBody)))]
pub async fn get_article(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Article>> {
    Ok(Json(s.store.get_article(&a.actor, id).await?))
}

/// Change an article's category, verifier or verification interval; admins may change its visibility.
#[utoipa::path(patch, path = "/kb/articles/{id}", tag = "knowledge base", params(("id" = i64, Path)), request_body = ArticlePatch,
    responses((status = 200, body = Article), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_article(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(p): ApiJson<ArticlePatch>,
) -> ApiResult<Json<Article>> {
    Ok(Json(s.store.update_article(&a.actor, id, &p).await?))
}

/// Delete an article, all its translations, versions and files (admins only).
#[utoipa::path(delete, path = "/kb/articles/{id}", tag = "knowledge base", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_article(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_article(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark an internal card verified (its verifier or an admin); restarts its verification interval.
#[utoipa::path(post, path = "/kb/articles/{id}/verify", tag = "knowledge base", params(("id" = i64, Path)),
    responses((status = 200, body = Article), (status = 403, body = ErrorBody)))]
pub async fn verify_article(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Article>> {
    Ok(Json(s.store.verify_article(&a.actor, id).await?))
}

// ---------------------------------------------------------------- translations

#[utoipa::path(get, path = "/kb/articles/{id}/translations/{locale}", tag = "knowledge base",
    params(("id" = i64, Path), ("locale" = String, Path)), responses((status = 200, body = Translation), (status = 404, body = ErrorBody)))]
pub async fn get_translation(
    State(s): State<AppState>,
    Auth(a): Auth,
    Path((id, locale)): Path<(i64, String)>,
) -> ApiResult<Json<Translation>> {
    Ok(Json(s.store.get_translation(&a.actor, id, parse_locale("locale", &locale)?).await?))
}

/// Save a new version of one language (creating the translation as a draft if needed).
#[utoipa::path(put, path = "/kb/articles/{id}/translations/{locale}", tag = "knowledge base",
    params(("id" = i64, Path), ("locale" = String, Path)), request_body = TranslationInput,
    responses((status = 200, body = Translation), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_translation(
    State(s): State<AppState>,
    Auth(a): Auth,
    Path((id, locale)): Path<(i64, String)>,
    ApiJson(input): ApiJson<TranslationInput>,
) -> ApiResult<Json<Translation>> {
    Ok(Json(s.store.save_translation(&a.actor, id, parse_locale("locale", &locale)?, &input).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowInput {
    pub action: WorkflowAction,
}

/// Move a translation through the workflow: `submit` (writers), `publish`, `reject`, `unpublish`, `archive` (admins).
#[utoipa::path(post, path = "/kb/articles/{id}/translations/{locale}/workflow", tag = "knowledge base",
    params(("id" = i64, Path), ("locale" = String, Path)), request_body = WorkflowInput,
    responses((status = 200, body = Translation), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn translation_workflow(
    State(s): State<AppState>,
    Auth(a): Auth,
    Path((id, locale)): Path<(i64, String)>,
    ApiJson(input): ApiJson<WorkflowInput>,
) -> ApiResult<Json<Translation>> {
    Ok(Json(s.store.translation_workflow(&a.actor, id, parse_locale("locale", &locale)?, input.action).await?))
}

#[utoipa::path(get, path = "/kb/articles/{id}/translations/{locale}/versions", tag = "knowledge base",
    params(("id" = i64, Path), ("locale" = String, Path)), responses((status = 200, body = Vec<ArticleVersion>), (status = 404, body = ErrorBody)))]
pub async fn list_versions(
    State(s): State<AppState>,
    Auth(a): Auth,
    Path((id, locale)): Path<(i64, String)>,
) -> ApiResult<Json<Vec<ArticleVersion>>> {
    Ok(Json(s.store.list_versions(&a.actor, id, parse_locale("locale", &locale)?).await?))
}

/// Copy an old version as the newest one (publish it to make it live).
#[utoipa::path(post, path = "/kb/articles/{id}/translations/{locale}/versions/{version}/restore", tag = "knowledge base",
    params(("id" = i64, Path), ("locale" = String, Path), ("version" = i64, Path)),
    responses((status = 200, body = Translation), (status = 404, body = ErrorBody)))]
pub async fn restore_version(
    State(s): State<AppState>,
    Auth(a): Auth,
    Path((id, locale, version)): Path<(i64, String, i64)>,
) -> ApiResult<Json<Translation>> {
    Ok(Json(s.store.restore_version(&a.actor, id, parse_locale("locale", &locale)?, version).await?))
}

// ---------------------------------------------------------------- files

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadParams {
    /// The file's name, e.g. `printer.png`.
    filename: String,
}

/// Largest article file (images, PDFs), in bytes.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Upload a file (an image or a document) for an article: the body is the file, its type the `Content-Type`.
#[utoipa::path(post, path = "/kb/articles/{id}/files", tag = "knowledge base", params(("id" = i64, Path), UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = ArticleFile), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_file(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiQuery(p): ApiQuery<UploadParams>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ArticleFile>)> {
    if body.is_empty() {
        return Err(ApiError::invalid("body", "the file is empty"));
    }
    if body.len() > MAX_FILE_BYTES {
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "article files are at most 5 MB"));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "application/octet-stream".into());
    // Check the article first, so nothing is written for an article the caller may not change.
    s.store.get_article(&a.actor, id).await?;
    let sha256 = s.blobs.put(&body).await.map_err(ApiError::internal)?;
    let file = NewArticleFile { filename: p.filename, content_type, size: body.len() as i64, sha256 };
    Ok((StatusCode::CREATED, Json(s.store.add_article_file(&a.actor, id, &file).await?)))
}

#[utoipa::path(get, path = "/kb/articles/{id}/files", tag = "knowledge base", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ArticleFile>)))]
pub async fn list_files(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Vec<ArticleFile>>> {
    Ok(Json(s.store.list_article_files(&a.actor, id).await?))
}

/// Serves a stored article file. Images and PDFs are shown inline; anything
/// else downloads, and nothing is sniffed.
pub async fn file_response(s: &AppState, file: &ArticleFile) -> Response {
    let bytes = match s.blobs.get(&file.sha256).await {
        Ok(Some(b)) => b,
        Ok(None) => return ApiError::internal(format!("blob {} of article file {} is missing", file.sha256, file.id)).into_response(),
        Err(e) => return ApiError::internal(e).into_response(),
    };
    let inline = file.content_type.starts_with("image/") && file.content_type != "image/svg+xml" || file.content_type == "application/pdf";
    let disposition = if inline { "inline" } else { "attachment" };
    let name: String = file.filename.chars().filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\').collect();
    (
        [
            (header::CONTENT_TYPE, file.content_type.clone()),
            (header::CONTENT_DISPOSITION, format!("{disposition}; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "public, max-age=86400".into()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        ],
        bytes,
    )
        .into_response()
}

#[utoipa::path(get, path = "/kb/files/{id}", tag = "knowledge base", params(("id" = i64, Path)),
    responses((status = 200, description = "The file"), (status = 404, body = ErrorBody)))]
pub async fn download_file(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Response> {
    let file = s.store.staff_article_file(&a.actor, id).await?;
    Ok(file_response(&s, &file).await)
}

// ---------------------------------------------------------------- search

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    q: String,
    /// Comma-separated languages to search in; default all.
    locale: Option<String>,
    /// Rank this language first.
    prefer: Option<Locale>,
    brand: Option<i64>,
    visibility: Option<Visibility>,
    /// Also drafts and articles in review.
    include_unpublished: Option<bool>,
    /// The last word is still being typed.
    as_you_type: Option<bool>,
    /// 1–50, default 10.
    limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffHit {
    #[serde(flatten)]
    pub hit: ArticleHit,
    /// The help-center address, for public published articles.
    pub url: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffSearchResults {
    pub hits: Vec<StaffHit>,
    pub mode: String,
}

/// Adds help-center links to hits that readers can open.
async fn with_urls(s: &AppState, actor: &rapport_domain::Actor, hits: Vec<ArticleHit>) -> ApiResult<Vec<StaffHit>> {
    let mut centers: Vec<HelpCenter> = Vec::new();
    let mut out = Vec::with_capacity(hits.len());
    for hit in hits {
        let public = hit.visibility == Visibility::Public && hit.status == ArticleStatus::Published;
        let url = if public {
            if !centers.iter().any(|c| c.brand.id == hit.brand_id) {
                centers.push(s.store.help_center_of(actor, hit.brand_id).await?);
            }
            let c = centers.iter().find(|c| c.brand.id == hit.brand_id).expect("just added");
            Some(article_url(&c.workspace_slug, &c.brand.slug, hit.locale, hit.article_id, &hit.slug))
        } else {
            None
        };
        out.push(StaffHit { hit, url });
    }
    Ok(out)
}

/// Search articles (staff: internal cards included). Diacritics-insensitive, typo-tolerant; hits carry highlighted titles and snippets.
#[utoipa::path(get, path = "/kb/search", tag = "knowledge base", params(SearchParams),
    responses((status = 200, body = StaffSearchResults), (status = 422, body = ErrorBody)))]
pub async fn search_articles(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> ApiResult<Json<StaffSearchResults>> {
    let q = ArticleSearch {
        query: p.q,
        locales: super::parse_list("locale", p.locale.as_deref(), Locale::parse)?,
        prefer_locale: p.prefer,
        brand_id: p.brand,
        include_unpublished: p.include_unpublished.unwrap_or(false),
        visibility: p.visibility,
        as_you_type: p.as_you_type.unwrap_or(false),
        limit: p.limit.unwrap_or(10).clamp(1, 50) as usize,
    };
    let r = s.store.search_articles(&SearchScope::Staff(a.actor.clone()), &q).await?;
    Ok(Json(StaffSearchResults { hits: with_urls(&s, &a.actor, r.hits).await?, mode: r.mode }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MessageSearchParams {
    q: String,
    as_you_type: Option<bool>,
    /// 1–100, default 20.
    limit: Option<u32>,
}

/// Search ticket messages the caller may see, newest first.
#[utoipa::path(get, path = "/search/messages", tag = "knowledge base", params(MessageSearchParams),
    responses((status = 200, body = Vec<MessageHit>)))]
pub async fn search_messages(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<MessageSearchParams>,
) -> ApiResult<Json<Vec<MessageHit>>> {
    // Index what is queued first, so a message written a moment ago is found.
    s.store.index_messages(5_000).await?;
    let q = MessageSearch { query: p.q, as_you_type: p.as_you_type.unwrap_or(false), limit: p.limit.unwrap_or(20).clamp(1, 100) as usize };
    Ok(Json(s.store.search_messages(&a.actor, &q).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    brand: Option<i64>,
    /// RFC 3339; default 30 days ago.
    from: Option<String>,
    /// RFC 3339; default now.
    to: Option<String>,
}

/// Help-center and bot searches: deflection rate, searches with no results, and the articles that deflect most.
#[utoipa::path(get, path = "/kb/reports/deflection", tag = "knowledge base", params(ReportParams),
    responses((status = 200, body = DeflectionReport), (status = 422, body = ErrorBody)))]
pub async fn deflection_report(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> ApiResult<Json<DeflectionReport>> {
    let parse = |field: &'static str, raw: Option<&str>, default: Timestamp| -> ApiResult<Timestamp> {
        raw.map(|r| Timestamp::parse(r).map_err(|e| ApiError::invalid(field, e.to_string()))).transpose().map(|t| t.unwrap_or(default))
    };
    let to = parse("to", p.to.as_deref(), Timestamp::now().plus_seconds(1))?;
    let from = parse("from", p.from.as_deref(), to.plus_seconds(-30 * 86_400))?;
    if from >= to {
        return Err(ApiError::invalid("from", "must be before `to`"));
    }
    Ok(Json(s.store.deflection_report(&a.actor, p.brand, from, to).await?))
}

// ---------------------------------------------------------------- agent assist

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedArticle {
    pub article_id: Id,
    pub locale: Locale,
    pub title: String,
    pub title_html: String,
    pub snippet_html: String,
    pub visibility: Visibility,
    /// The help-center link to insert into a reply (public articles only).
    pub url: Option<String>,
    /// Plain text to insert into a reply: the passage that best matches the conversation.
    pub excerpt: String,
}

/// The words of a conversation worth searching for: the subject and the
/// customer's latest messages, stopwords dropped, at most ten.
pub fn conversation_query(subject: &str, customer_texts: &[&str]) -> String {
    let mut words: Vec<String> = Vec::new();
    for text in std::iter::once(subject).chain(customer_texts.iter().copied()) {
        for w in text.split_whitespace() {
            let folded = rapport_kb::text::normalize(w);
            if folded.is_empty() || folded.split(' ').all(rapport_kb::text::is_stopword) {
                continue;
            }
            if !words.iter().any(|x| rapport_kb::text::normalize(x) == folded) {
                words.push(w.trim_matches(|c: char| !c.is_alphanumeric()).to_string());
            }
            if words.len() == 10 {
                return words.join(" ");
            }
        }
    }
    words.join(" ")
}

/// Knowledge-base articles relevant to a ticket's conversation, in the ticket's language first.
pub async fn suggestions_for_ticket(
    s: &AppState,
    actor: &rapport_domain::Actor,
    ticket_id: Id,
    limit: usize,
) -> ApiResult<Vec<SuggestedArticle>> {
    let ticket = s.store.get_ticket(actor, ticket_id).await?;
    let page = s.store.list_messages(actor, ticket_id, None, 100).await?;
    let customer: Vec<&str> = page
        .items
        .iter()
        .rev()
        .filter(|m| m.kind == MessageKind::Public && m.author_contact_id.is_some())
        .take(2)
        .map(|m| m.body_text.as_str())
        .collect();
    let query = conversation_query(&ticket.subject, &customer);
    let q = ArticleSearch { query: query.clone(), prefer_locale: ticket.language, brand_id: ticket.brand_id, limit, ..Default::default() };
    let r = s.store.search_articles(&SearchScope::Staff(actor.clone()), &q).await?;
    let mut out = Vec::with_capacity(r.hits.len());
    for h in with_urls(s, actor, r.hits).await? {
        let tr = s.store.get_translation(actor, h.hit.article_id, h.hit.locale).await?;
        let text = rapport_domain::html::html_to_text(&tr.live_html);
        out.push(SuggestedArticle {
            article_id: h.hit.article_id,
            locale: h.hit.locale,
            title: h.hit.title,
            title_html: h.hit.title_html,
            snippet_html: h.hit.snippet_html,
            visibility: h.hit.visibility,
            url: h.url,
            excerpt: rapport_kb::bot::best_passage(&text, &query),
        });
    }
    Ok(out)
}

/// Articles relevant to the ticket's conversation, with a link and an excerpt ready to insert into a reply.
#[utoipa::path(get, path = "/tickets/{id}/suggested-articles", tag = "knowledge base", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<SuggestedArticle>), (status = 404, body = ErrorBody)))]
pub async fn suggested_articles(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Vec<SuggestedArticle>>> {
    Ok(Json(suggestions_for_ticket(&s, &a.actor, id, 5).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversation_queries_keep_content_words() {
        let q = conversation_query("Không đăng nhập được", &["Tôi không nhận được mã OTP khi đăng nhập, làm sao bây giờ?"]);
        assert_eq!(q, "đăng nhập nhận mã OTP bây giờ");
        assert_eq!(conversation_query("the and of", &[]), "");
    }
}
