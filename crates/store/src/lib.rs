//! The storage boundary. [`Store`] is one trait with two real implementations
//! (`rapport-store-sqlite`, `rapport-store-postgres`); [`story`] holds the
//! behaviour both must show, run unchanged against each.

pub mod blob;
pub mod desk;
pub mod error;
pub mod kb;
pub mod mail;
pub mod metrics;
pub mod model;
pub mod page;
pub mod password_reset;
pub mod replies;
pub mod sla;
mod store;
pub mod story;
pub mod story_desk;
pub mod story_kb;
pub mod story_mail;
pub mod story_metrics;
pub mod story_replies;
pub mod story_sla;
pub mod story_surveys;
pub mod surveys;
pub mod webhooks;

pub use blob::BlobStore;
pub use error::StoreError;
pub use page::{Cursor, Page};
pub use store::{IdempotencyBegin, Store};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
