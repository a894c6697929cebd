//! The signed-in user of a page, from the session cookie; anyone else is sent to `/login`.

use crate::auth::middleware::{authenticate, AuthContext, Via};
use crate::auth::secret::constant_time_eq;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// A form post without the session's CSRF token: 403.
pub struct CsrfRejected;

impl IntoResponse for CsrfRejected {
    fn into_response(self) -> Response {
        (StatusCode::FORBIDDEN, "csrf_token_invalid").into_response()
    }
}

pub struct PageUser {
    pub ctx: AuthContext,
    pub csrf_token: String,
}

impl PageUser {
    /// Form posts must carry the session's CSRF token.
    pub fn check_csrf(&self, sent: &str) -> Result<(), CsrfRejected> {
        if constant_time_eq(sent, &self.csrf_token) {
            Ok(())
        } else {
            Err(CsrfRejected)
        }
    }

    pub fn texts(&self) -> &'static super::i18n::Texts {
        super::i18n::texts(self.ctx.user.locale)
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match authenticate(state, &parts.headers).await {
            Ok(Some(ctx)) => match ctx.via.clone() {
                Via::Session { csrf_token } => Ok(PageUser { ctx, csrf_token }),
                Via::Token => Err(Redirect::to("/login").into_response()),
            },
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}
