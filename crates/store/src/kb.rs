//! Storage for the knowledge base: categories, articles with a translation
//! per language, their versions and workflow, article files, reader feedback,
//! search (articles and ticket messages), the search log behind the
//! deflection report, and the answer bot's turns.
//!
//! Staff methods take an [`Actor`] and check its permission and workspace.
//! Public methods (the help center, the widget) take the workspace and brand
//! the public URL named, and only ever see published public articles.

use crate::model::double_option;
use crate::{Page, Result};
use async_trait::async_trait;
use rapport_domain::{Actor, Id, Locale, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

rapport_domain::string_enum!(
    /// `draft` → `review` → `published`; `archived` takes an article out of use.
    ArticleStatus, "status" { Draft = "draft", Review = "review", Published = "published", Archived = "archived" }
);

rapport_domain::string_enum!(
    /// `public`: in the help center once published; `internal`: staff only (knowledge cards).
    Visibility, "visibility" { Public = "public", Internal = "internal" }
);

rapport_domain::string_enum!(
    /// How the body is written; either way it is stored sanitised.
    BodyFormat, "format" { Markdown = "markdown", Html = "html" }
);

rapport_domain::string_enum!(
    /// A step of the workflow: `submit` (draft → review), `publish` (admins:
    /// draft or review → published, making the latest version live),
    /// `reject` (review → draft), `unpublish` (→ draft), `archive`.
    WorkflowAction, "action" { Submit = "submit", Publish = "publish", Reject = "reject", Unpublish = "unpublish", Archive = "archive" }
);

rapport_domain::string_enum!(
    /// Where a search came from.
    SearchSource, "source" { Help = "help", Widget = "widget", Bot = "bot", Agent = "agent" }
);

// ---------------------------------------------------------------- categories

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Category {
    pub id: Id,
    pub brand_id: Id,
    /// A section's category; `None` for a top-level category.
    pub parent_id: Option<Id>,
    /// Name per locale code.
    pub names: BTreeMap<String, String>,
    pub position: i64,
    pub created_at: Timestamp,
}

impl Category {
    /// The name in `locale`, else in any language.
    pub fn name(&self, locale: Locale) -> &str {
        self.names.get(locale.as_str()).or_else(|| self.names.values().next()).map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    pub brand_id: Id,
    #[serde(default)]
    pub parent_id: Option<Id>,
    /// Name per locale code (`vi`, `pl`, `en`); at least one.
    pub names: BTreeMap<Locale, String>,
    #[serde(default)]
    pub position: i64,
}

// ---------------------------------------------------------------- articles

/// An article: what all its languages share.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Article {
    pub id: Id,
    pub brand_id: Id,
    pub category_id: Option<Id>,
    pub visibility: Visibility,
    /// Who vouches for an internal card's content.
    pub verifier_id: Option<Id>,
    /// Days a verification lasts.
    pub verify_interval_days: Option<i64>,
    pub verified_at: Option<Timestamp>,
    pub verified_by: Option<Id>,
    /// After this, the card is stale until verified again.
    pub verify_before: Option<Timestamp>,
    /// `verify_before` has passed.
    pub stale: bool,
    pub created_by: Option<Id>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub translations: Vec<TranslationSummary>,
    /// Languages with no translation yet.
    pub missing_locales: Vec<Locale>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TranslationSummary {
    pub id: Id,
    pub locale: Locale,
    pub status: ArticleStatus,
    pub title: String,
    pub slug: String,
    /// The latest saved version.
    pub version: i64,
    /// The version readers see, once published.
    pub published_version: Option<i64>,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub updated_at: Timestamp,
}

/// One language of an article, as its editors see it: the latest version's
/// content, and what is live.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Translation {
    pub id: Id,
    pub article_id: Id,
    pub locale: Locale,
    pub status: ArticleStatus,
    /// The latest version's title and body source.
    pub title: String,
    pub format: BodyFormat,
    pub body: String,
    pub version: i64,
    pub published_version: Option<i64>,
    pub published_at: Option<Timestamp>,
    /// The version readers see has a later draft.
    pub has_unpublished_changes: bool,
    pub slug: String,
    /// What readers see (the published version, or the draft before that): sanitised.
    pub live_title: String,
    pub live_html: String,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub updated_by: Option<Id>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticle {
    pub brand_id: Id,
    #[serde(default)]
    pub category_id: Option<Id>,
    pub visibility: Visibility,
    #[serde(default)]
    pub verifier_id: Option<Id>,
    #[serde(default)]
    pub verify_interval_days: Option<i64>,
    /// The first translation.
    pub locale: Locale,
    pub title: String,
    pub body: String,
    #[serde(default = "markdown")]
    pub format: BodyFormat,
}

fn markdown() -> BodyFormat {
    BodyFormat::Markdown
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticlePatch {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Id>)]
    pub category_id: Option<Option<Id>>,
    pub visibility: Option<Visibility>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Id>)]
    pub verifier_id: Option<Option<Id>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub verify_interval_days: Option<Option<i64>>,
}

/// A new version of one language of an article (creating the translation if needed).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationInput {
    pub title: String,
    pub body: String,
    #[serde(default = "markdown")]
    pub format: BodyFormat,
    /// What changed, for the history.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleVersion {
    pub version: i64,
    pub title: String,
    pub format: BodyFormat,
    pub body: String,
    pub note: Option<String>,
    pub created_by: Option<Id>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    pub brand_id: Option<Id>,
    pub category_id: Option<Id>,
    pub visibility: Option<Visibility>,
    /// Articles with a translation in this status.
    pub status: Option<ArticleStatus>,
    /// Articles with no translation in this language.
    pub missing_locale: Option<Locale>,
    /// Internal cards past their verify-before date.
    pub stale: bool,
    pub cursor: Option<crate::Cursor>,
    pub limit: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleFile {
    pub id: Id,
    pub article_id: Id,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewArticleFile {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

// ---------------------------------------------------------------- public

/// A brand's help center, found from its public URL.
#[derive(Debug, Clone, Serialize)]
pub struct HelpCenter {
    pub workspace_id: Id,
    pub workspace_slug: String,
    pub brand: crate::model::Brand,
}

/// A published public article in one language, as readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicArticle {
    pub article_id: Id,
    pub translation_id: Id,
    pub category_id: Option<Id>,
    pub locale: Locale,
    pub title: String,
    pub slug: String,
    pub body_html: String,
    pub body_text: String,
    pub updated_at: Timestamp,
    /// The same article's other published languages: (locale, slug).
    pub other_locales: Vec<(Locale, String)>,
}

/// A line of a help center's article list or sitemap.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicArticleRef {
    pub article_id: Id,
    pub category_id: Option<Id>,
    pub locale: Locale,
    pub title: String,
    pub slug: String,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewFeedback {
    pub article_id: Id,
    pub locale: Locale,
    pub helpful: bool,
    pub comment: Option<String>,
    pub session_id: Option<String>,
}

// ---------------------------------------------------------------- search

/// Who is searching: the public (published public articles of one brand) or staff.
#[derive(Debug, Clone)]
pub enum SearchScope {
    Public { workspace_id: Id, brand_id: Id },
    Staff(Actor),
}

impl SearchScope {
    pub fn workspace_id(&self) -> Id {
        match self {
            SearchScope::Public { workspace_id, .. } => *workspace_id,
            SearchScope::Staff(a) => a.workspace_id,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ArticleSearch {
    pub query: String,
    /// Only these languages; empty: all.
    pub locales: Vec<Locale>,
    /// Rank this language a little higher.
    pub prefer_locale: Option<Locale>,
    /// Staff: only this brand's articles.
    pub brand_id: Option<Id>,
    /// Staff: also drafts and articles in review (public search never sees them).
    pub include_unpublished: bool,
    /// Staff: only this visibility.
    pub visibility: Option<Visibility>,
    /// The last word is still being typed.
    pub as_you_type: bool,
    pub limit: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleHit {
    pub article_id: Id,
    pub translation_id: Id,
    pub brand_id: Id,
    pub category_id: Option<Id>,
    pub locale: Locale,
    pub title: String,
    pub slug: String,
    pub visibility: Visibility,
    pub status: ArticleStatus,
    /// The title, HTML-escaped, hits in `<mark>`.
    pub title_html: String,
    /// An excerpt around the hits, HTML-escaped, hits in `<mark>`.
    pub snippet_html: String,
    pub score: f64,
    /// How many of the query's required words it contains (of `SearchResults::required`).
    pub matched: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    pub hits: Vec<ArticleHit>,
    /// `all`: every required word matched; `any`: nothing matched them all, so
    /// these match some; `none`: nothing matched.
    pub mode: String,
    /// The query's required words (stopwords excluded).
    pub required: usize,
}

#[derive(Debug, Clone)]
pub struct MessageSearch {
    pub query: String,
    pub as_you_type: bool,
    pub limit: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageHit {
    pub message_id: Id,
    pub ticket_id: Id,
    pub ticket_subject: String,
    pub snippet_html: String,
    pub created_at: Timestamp,
}

// ---------------------------------------------------------------- logs

#[derive(Debug, Clone)]
pub struct SearchLogEntry {
    pub brand_id: Option<Id>,
    pub locale: Option<Locale>,
    pub source: SearchSource,
    /// The visitor's anonymous session, to link a later ticket.
    pub session_id: String,
    pub query: String,
    pub hits: i64,
    pub top_article_id: Option<Id>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueryCount {
    pub query: String,
    pub searches: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeflectingArticle {
    pub article_id: Id,
    pub title: String,
    /// Searches that opened this article and were not followed by a ticket within 24 h.
    pub deflected: i64,
    /// Searches that opened it and were followed by a ticket.
    pub followed_by_ticket: i64,
}

/// Help-center and bot searches over a period. A search counts as deflected
/// when no ticket followed from the same session within 24 hours; searches
/// younger than 24 hours are `pending`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeflectionReport {
    pub searches: i64,
    pub sessions: i64,
    pub sessions_with_ticket: i64,
    pub sessions_pending: i64,
    /// Sessions that ended without a ticket ÷ settled sessions (`None` when none settled).
    pub deflection_rate: Option<f64>,
    pub no_result_queries: Vec<QueryCount>,
    pub top_deflecting_articles: Vec<DeflectingArticle>,
}

#[derive(Debug, Clone)]
pub struct NewBotTurn {
    pub brand_id: Option<Id>,
    pub session_id: String,
    pub locale: Option<Locale>,
    pub question: String,
    /// `None`: the bot had no answer.
    pub answer: Option<String>,
    pub article_id: Option<Id>,
    pub translation_id: Option<Id>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BotTurn {
    pub id: Id,
    pub session_id: String,
    pub locale: Option<Locale>,
    pub question: String,
    pub answer: Option<String>,
    pub article_id: Option<Id>,
    pub solved: Option<bool>,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait KbStore: Send + Sync {
    // ---- categories (staff)
    async fn create_kb_category(&self, actor: &Actor, input: &NewCategory) -> Result<Category>;
    async fn list_kb_categories(&self, actor: &Actor, brand_id: Option<Id>) -> Result<Vec<Category>>;
    async fn delete_kb_category(&self, actor: &Actor, id: Id) -> Result<()>;

    // ---- articles (staff)
    async fn create_article(&self, actor: &Actor, input: &NewArticle) -> Result<Article>;
    async fn get_article(&self, actor: &Actor, id: Id) -> Result<Article>;
    async fn list_articles(&self, actor: &Actor, q: &ArticleQuery) -> Result<Page<Article>>;
    async fn update_article(&self, actor: &Actor, id: Id, patch: &ArticlePatch) -> Result<Article>;
    async fn delete_article(&self, actor: &Actor, id: Id) -> Result<()>;
    /// Marks an internal card verified now, by the actor (its verifier or an admin).
    async fn verify_article(&self, actor: &Actor, id: Id) -> Result<Article>;

    async fn get_translation(&self, actor: &Actor, article_id: Id, locale: Locale) -> Result<Translation>;
    /// Saves a new version (creating the translation as a draft if it has none).
    async fn save_translation(&self, actor: &Actor, article_id: Id, locale: Locale, input: &TranslationInput) -> Result<Translation>;
    async fn translation_workflow(&self, actor: &Actor, article_id: Id, locale: Locale, action: WorkflowAction) -> Result<Translation>;
    async fn list_versions(&self, actor: &Actor, article_id: Id, locale: Locale) -> Result<Vec<ArticleVersion>>;
    /// Saves a copy of an old version as the newest one.
    async fn restore_version(&self, actor: &Actor, article_id: Id, locale: Locale, version: i64) -> Result<Translation>;

    async fn add_article_file(&self, actor: &Actor, article_id: Id, file: &NewArticleFile) -> Result<ArticleFile>;
    async fn list_article_files(&self, actor: &Actor, article_id: Id) -> Result<Vec<ArticleFile>>;
    /// A file of a public article with a published translation (for the help center).
    async fn public_article_file(&self, workspace_id: Id, brand_id: Id, file_id: Id) -> Result<ArticleFile>;
    async fn staff_article_file(&self, actor: &Actor, file_id: Id) -> Result<ArticleFile>;

    // ---- search
    async fn search_articles(&self, scope: &SearchScope, q: &ArticleSearch) -> Result<SearchResults>;
    /// Ticket messages the actor may see, newest first.
    async fn search_messages(&self, actor: &Actor, q: &MessageSearch) -> Result<Vec<MessageHit>>;
    /// Indexes up to `batch` queued messages (new or edited); returns how many.
    async fn index_messages(&self, batch: i64) -> Result<usize>;

    // ---- the public help center
    async fn help_center(&self, workspace_slug: &str, brand_slug: &str) -> Result<HelpCenter>;
    /// The help center of one of the actor's brands (for links to public articles).
    async fn help_center_of(&self, actor: &Actor, brand_id: Id) -> Result<HelpCenter>;
    async fn public_categories(&self, workspace_id: Id, brand_id: Id) -> Result<Vec<Category>>;
    /// Published public articles of a brand in one language (all languages when `None`), newest first.
    async fn public_articles(
        &self,
        workspace_id: Id,
        brand_id: Id,
        locale: Option<Locale>,
        category_id: Option<Id>,
    ) -> Result<Vec<PublicArticleRef>>;
    async fn public_article(&self, workspace_id: Id, brand_id: Id, article_id: Id, locale: Locale) -> Result<PublicArticle>;
    /// "Was this helpful?" on a published public article.
    async fn article_feedback(&self, workspace_id: Id, brand_id: Id, feedback: &NewFeedback) -> Result<()>;

    // ---- deflection
    async fn log_search(&self, workspace_id: Id, entry: &SearchLogEntry) -> Result<Id>;
    /// Records that the search's visitor opened an article from its results.
    async fn log_search_click(&self, workspace_id: Id, session_id: &str, search_id: Id, article_id: Id) -> Result<()>;
    /// Links the session's searches of the 24 hours before `at` to a ticket it opened.
    async fn link_searches_to_ticket(&self, workspace_id: Id, session_id: &str, ticket_id: Id, at: Timestamp) -> Result<u64>;
    async fn deflection_report(&self, actor: &Actor, brand_id: Option<Id>, from: Timestamp, to: Timestamp) -> Result<DeflectionReport>;

    // ---- the answer bot
    async fn add_bot_turn(&self, workspace_id: Id, turn: &NewBotTurn) -> Result<BotTurn>;
    async fn set_bot_turn_solved(&self, workspace_id: Id, session_id: &str, turn_id: Id, solved: bool) -> Result<BotTurn>;
    async fn bot_transcript(&self, workspace_id: Id, session_id: &str) -> Result<Vec<BotTurn>>;
}
