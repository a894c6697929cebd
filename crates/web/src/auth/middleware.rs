use super::{cookie, secret, CSRF_HEADER, SESSION_COOKIE};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rapport_domain::Actor;
use rapport_store::model::User;
use rapport_store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Session { csrf_token: String },
    Token,
}

/// The authenticated caller, put in the request's extensions by [`require_auth`].
#[derive(Debug, Clone)]
pub struct AuthContext {
    pub actor: Actor,
    pub user: User,
    pub via: Via,
}

impl AuthContext {
    fn from_user(user: User, via: Via) -> Self {
        let actor = Actor { workspace_id: user.workspace_id, user_id: user.id, role: user.role, team_ids: user.team_ids.clone() };
        AuthContext { actor, user, via }
    }
}

/// Finds the caller from a Bearer token or the session cookie. `Ok(None)`: anonymous.
pub async fn authenticate(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Option<AuthContext>, ApiError> {
    if let Some(auth) = headers.get(axum::http::header::AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "invalid_token", "use `Authorization: Bearer <token>`"))?;
        return match state.store.user_for_api_token(&secret::sha256_hex(token)).await {
            Ok(user) => Ok(Some(AuthContext::from_user(user, Via::Token))),
            Err(StoreError::NotFound(_)) => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "the API token is unknown, revoked, or its user is deactivated",
            )),
            Err(e) => Err(e.into()),
        };
    }
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        return match state.store.session(&secret::sha256_hex(&token)).await {
            Ok(s) => Ok(Some(AuthContext::from_user(s.user, Via::Session { csrf_token: s.csrf_token }))),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        };
    }
    Ok(None)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware for the API: 401 without credentials; for session callers,
/// unsafe methods must carry the session's CSRF token in `X-CSRF-Token`.
pub async fn require_auth(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let ctx = match authenticate(&state, req.headers()).await {
        Ok(Some(ctx)) => ctx,
        Ok(None) => return ApiError::unauthenticated().into_response(),
        Err(e) => return e.into_response(),
    };
    if let Via::Session { csrf_token } = &ctx.via {
        if !is_safe(req.method()) {
            let sent = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !secret::constant_time_eq(sent, csrf_token) {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf_token_invalid",
                    "send the session's CSRF token in the X-CSRF-Token header",
                )
                .into_response();
            }
        }
    }
    req.extensions_mut().insert(ctx);
    next.run(req).await
}

/// Extractor for handlers behind [`require_auth`].
pub struct Auth(pub AuthContext);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<AuthContext>().cloned().map(Auth).ok_or_else(ApiError::unauthenticated)
    }
}
