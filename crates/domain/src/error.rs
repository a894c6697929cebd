use thiserror::Error;

/// A rule of the domain was broken. Each variant has a stable snake_case code
/// that the API returns unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("a ticket cannot go from {from} to {to}")]
    BadTransition { from: &'static str, to: &'static str },
    #[error("closed tickets cannot be changed; create a follow-up ticket instead")]
    TicketClosed,
    #[error("your role does not allow this")]
    Forbidden,
}

impl DomainError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        DomainError::Invalid { field, reason: reason.into() }
    }

    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid { .. } => "validation_failed",
            DomainError::BadTransition { .. } => "invalid_status_transition",
            DomainError::TicketClosed => "ticket_closed",
            DomainError::Forbidden => "forbidden",
        }
    }
}
