//! Knowledge-base row shapes and their conversion into the store's records.

use rapport_domain::{Locale, Timestamp};
use rapport_store::kb::*;
use rapport_store::{Result, StoreError};

fn col<T>(value: &str, parse: impl Fn(&str) -> std::result::Result<T, rapport_domain::DomainError>) -> Result<T> {
    parse(value).map_err(|e| StoreError::Other(format!("corrupt column value: {e}")))
}

fn ts(v: Option<i64>) -> Option<Timestamp> {
    v.map(Timestamp)
}

pub const CATEGORY_COLUMNS: &str = "id, brand_id, parent_id, names, position, created_at";

#[derive(sqlx::FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub brand_id: i64,
    pub parent_id: Option<i64>,
    pub names: String,
    pub position: i64,
    pub created_at: i64,
}

impl CategoryRow {
    pub fn into_model(self) -> Result<Category> {
        let names = serde_json::from_str(&self.names).map_err(|e| StoreError::Other(format!("corrupt category names: {e}")))?;
        Ok(Category {
            id: self.id,
            brand_id: self.brand_id,
            parent_id: self.parent_id,
            names,
            position: self.position,
            created_at: Timestamp(self.created_at),
        })
    }
}

pub const ARTICLE_COLUMNS: &str = "a.id, a.brand_id, a.category_id, a.visibility, a.verifier_id, a.verify_interval_days, a.verified_at, \
    a.verified_by, a.verify_before, a.created_by, a.created_at, a.updated_at";

#[derive(sqlx::FromRow)]
pub struct ArticleRow {
    pub id: i64,
    pub brand_id: i64,
    pub category_id: Option<i64>,
    pub visibility: String,
    pub verifier_id: Option<i64>,
    pub verify_interval_days: Option<i64>,
    pub verified_at: Option<i64>,
    pub verified_by: Option<i64>,
    pub verify_before: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ArticleRow {
    pub fn into_model(self, translations: Vec<TranslationSummary>, now: i64) -> Result<Article> {
        let missing_locales = Locale::ALL.iter().copied().filter(|l| !translations.iter().any(|t| t.locale == *l)).collect();
        Ok(Article {
            id: self.id,
            brand_id: self.brand_id,
            category_id: self.category_id,
            visibility: col(&self.visibility, Visibility::parse)?,
            verifier_id: self.verifier_id,
            verify_interval_days: self.verify_interval_days,
            verified_at: ts(self.verified_at),
            verified_by: self.verified_by,
            verify_before: ts(self.verify_before),
            stale: self.verify_before.is_some_and(|v| v < now),
            created_by: self.created_by,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
            translations,
            missing_locales,
        })
    }
}

pub const TRANSLATION_COLUMNS: &str =
    "t.id, t.article_id, t.locale, t.status, t.title, t.slug, t.body_html, t.version, t.published_version, \
    t.published_at, t.helpful_yes, t.helpful_no, t.updated_by, t.created_at, t.updated_at";

#[derive(sqlx::FromRow)]
pub struct TranslationRow {
    pub id: i64,
    pub article_id: i64,
    pub locale: String,
    pub status: String,
    pub title: String,
    pub slug: String,
    pub body_html: String,
    pub version: i64,
    pub published_version: Option<i64>,
    pub published_at: Option<i64>,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub updated_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TranslationRow {
    pub fn summary(&self) -> Result<TranslationSummary> {
        Ok(TranslationSummary {
            id: self.id,
            locale: col(&self.locale, Locale::parse)?,
            status: col(&self.status, ArticleStatus::parse)?,
            title: self.title.clone(),
            slug: self.slug.clone(),
            version: self.version,
            published_version: self.published_version,
            helpful_yes: self.helpful_yes,
            helpful_no: self.helpful_no,
            updated_at: Timestamp(self.updated_at),
        })
    }

    /// With the latest version's content.
    pub fn into_model(self, latest: VersionRow) -> Result<Translation> {
        Ok(Translation {
            id: self.id,
            article_id: self.article_id,
            locale: col(&self.locale, Locale::parse)?,
            status: col(&self.status, ArticleStatus::parse)?,
            title: latest.title,
            format: col(&latest.format, BodyFormat::parse)?,
            body: latest.body,
            version: self.version,
            published_version: self.published_version,
            published_at: ts(self.published_at),
            has_unpublished_changes: self.published_version.is_some_and(|p| p < self.version),
            slug: self.slug,
            live_title: self.title,
            live_html: self.body_html,
            helpful_yes: self.helpful_yes,
            helpful_no: self.helpful_no,
            updated_by: self.updated_by,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

pub const VERSION_COLUMNS: &str = "version, title, format, body, note, created_by, created_at";

#[derive(sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub title: String,
    pub format: String,
    pub body: String,
    pub note: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

impl VersionRow {
    pub fn into_model(self) -> Result<ArticleVersion> {
        Ok(ArticleVersion {
            version: self.version,
            title: self.title,
            format: col(&self.format, BodyFormat::parse)?,
            body: self.body,
            note: self.note,
            created_by: self.created_by,
            created_at: Timestamp(self.created_at),
        })
    }
}

pub const FILE_COLUMNS: &str = "f.id, f.article_id, f.filename, f.content_type, f.size, f.sha256, f.created_at";

#[derive(sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub article_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
}

impl FileRow {
    pub fn into_model(self) -> ArticleFile {
        ArticleFile {
            id: self.id,
            article_id: self.article_id,
            filename: self.filename,
            content_type: self.content_type,
            size: self.size,
            sha256: self.sha256,
            created_at: Timestamp(self.created_at),
        }
    }
}

pub const BOT_TURN_COLUMNS: &str = "id, session_id, locale, question, answer, article_id, solved, created_at";

#[derive(sqlx::FromRow)]
pub struct BotTurnRow {
    pub id: i64,
    pub session_id: String,
    pub locale: Option<String>,
    pub question: String,
    pub answer: Option<String>,
    pub article_id: Option<i64>,
    pub solved: Option<bool>,
    pub created_at: i64,
}

impl BotTurnRow {
    pub fn into_model(self) -> Result<BotTurn> {
        Ok(BotTurn {
            id: self.id,
            session_id: self.session_id,
            locale: self.locale.as_deref().map(|l| col(l, Locale::parse)).transpose()?,
            question: self.question,
            answer: self.answer,
            article_id: self.article_id,
            solved: self.solved,
            created_at: Timestamp(self.created_at),
        })
    }
}
