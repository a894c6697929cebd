//! `Idempotency-Key` on POST: the first request with a key runs and its
//! response is stored; a repeat with the same key and body gets that same
//! response (marked `Idempotent-Replayed: true`) without running again.
//! Keys are per user. A server error frees the key so the client can retry.

use crate::auth::AuthContext;
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rapport_store::IdempotencyBegin;
use sha2::{Digest, Sha256};

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";

pub async fn idempotency(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER).map(|v| v.to_str().map(str::to_string)) else {
        return next.run(req).await;
    };
    let key = match key {
        Ok(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => k,
        _ => {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_idempotency_key",
                "Idempotency-Key must be 1-255 visible ASCII characters",
            )
            .into_response()
        }
    };
    let Some(ctx) = req.extensions().get::<AuthContext>().cloned() else {
        return ApiError::unauthenticated().into_response();
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, state.config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => {
            return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is larger than the server accepts")
                .into_response()
        }
    };
    let mut h = Sha256::new();
    h.update(parts.method.as_str());
    h.update(b" ");
    h.update(parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("").as_bytes());
    h.update(b"\n");
    h.update(&bytes);
    let request_hash = hex::encode(h.finalize());

    match state.store.idempotency_begin(&ctx.actor, &key, &request_hash).await {
        Err(e) => ApiError::from(e).into_response(),
        Ok(IdempotencyBegin::Mismatch) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different request",
        )
        .into_response(),
        Ok(IdempotencyBegin::InProgress) => ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_request_in_progress",
            "the first request with this Idempotency-Key is still running; retry shortly",
        )
        .into_response(),
        Ok(IdempotencyBegin::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut resp = (status, body).into_response();
            resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            resp.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
            resp
        }
        Ok(IdempotencyBegin::Claimed) => {
            let resp = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            let (resp_parts, resp_body) = resp.into_parts();
            let out = match axum::body::to_bytes(resp_body, usize::MAX).await {
                Ok(b) => b,
                Err(e) => {
                    let _ = state.store.idempotency_abandon(&ctx.actor, &key).await;
                    return ApiError::internal(e).into_response();
                }
            };
            let saved = if resp_parts.status.is_server_error() {
                state.store.idempotency_abandon(&ctx.actor, &key).await
            } else {
                state.store.idempotency_finish(&ctx.actor, &key, resp_parts.status.as_u16(), &String::from_utf8_lossy(&out)).await
            };
            if let Err(e) = saved {
                tracing::error!(error = %e, "could not record idempotency key");
            }
            Response::from_parts(resp_parts, Body::from(out))
        }
    }
}
