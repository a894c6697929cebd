//! Every error the API returns has a stable snake_case code:
//! `{"error": {"code": "ticket_not_found", "message": "...", "field": "..."}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_domain::DomainError;
use rapport_store::StoreError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, snake_case; safe to match on.
    pub code: String,
    /// For humans; may change.
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError { status, code: code.into(), message: message.into(), field: None }
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "log in, or send an API token as `Authorization: Bearer <token>`")
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError { field: Some(field.to_string()), ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", message) }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "something went wrong on our side; it has been logged")
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let status = match &e {
            DomainError::Invalid { .. } | DomainError::BadTransition { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            DomainError::TicketClosed => StatusCode::CONFLICT,
            DomainError::Forbidden => StatusCode::FORBIDDEN,
        };
        let field = match &e {
            DomainError::Invalid { field, .. } => Some(field.to_string()),
            _ => None,
        };
        ApiError { status, code: e.code().to_string(), message: e.to_string(), field }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => {
                ApiError::new(StatusCode::NOT_FOUND, format!("{}_not_found", what.replace(' ', "_")), format!("{what} not found"))
            }
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            StoreError::Domain(d) => d.into(),
            StoreError::Other(m) => ApiError::internal(m),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code, message: self.message, field: self.field } };
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
