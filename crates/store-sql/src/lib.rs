//! One SQL implementation of [`rapport_store::Store`], written once and
//! instantiated for each backend with [`impl_sql_store!`].
//!
//! The SQL here is the common subset of SQLite and PostgreSQL: `$N`
//! placeholders (numbered in order of first use, which both accept),
//! `RETURNING`, `ON CONFLICT`, row-value comparisons, partial indexes.
//! What differs between the backends lives in their own crates.
//!
//! Why a macro and not generics: sqlx's executor bounds over a generic
//! `Database` need higher-ranked where-clauses on every function; a macro
//! gives each backend plain, concrete code with the same text.

mod desk_impl;
mod kb_impl;
pub mod kb_rows;
mod mail_impl;
pub mod mail_rows;
mod metrics_impl;
pub mod metrics_rows;
mod password_reset_impl;
mod replies_impl;
pub mod replies_rows;
pub mod rows;
mod sla_impl;
mod store_impl;
mod surveys_impl;
mod webhooks_impl;

pub use rows::*;

#[doc(hidden)]
pub mod __private {
    pub use async_trait;
    pub use rapport_analytics;
    pub use rapport_domain;
    pub use rapport_kb;
    pub use rapport_store;
    pub use serde_json;
    pub use sqlx;
}

/// Maps a sqlx error onto the store's error kinds.
pub fn map_err(e: sqlx::Error) -> rapport_store::StoreError {
    use rapport_store::StoreError;
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound("record"),
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict("already exists".into()),
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            StoreError::Conflict("it is still referenced, or refers to something that does not exist".into())
        }
        _ => StoreError::other(e),
    }
}
