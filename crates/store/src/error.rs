use rapport_domain::DomainError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// The thing does not exist, or exists in another workspace, or the
    /// caller may not see it: the three are indistinguishable on purpose.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness rule or a concurrent change got in the way.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("storage error: {0}")]
    Other(String),
}

impl StoreError {
    pub fn other(e: impl std::fmt::Display) -> Self {
        StoreError::Other(e.to_string())
    }
}
