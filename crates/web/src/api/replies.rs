//! Canned replies and macros: CRUD, a canned reply filled in for a ticket, and
//! applying a macro to a ticket. The store decides who may do what: admins
//! manage shared replies and macros, everyone who writes tickets manages their
//! personal replies and applies macros, viewers only read.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use rapport_domain::MessageKind;
use rapport_store::replies::*;

/// Two ids in the path (`/tickets/{id}/macros/{macro_id}/...`): 404 unless both are positive integers.
pub struct IdPair(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPair {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<(i64, i64)>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path((a, b))) if a > 0 && b > 0 => Ok(IdPair(a, b)),
            _ => Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such record")),
        }
    }
}

/// The shared canned replies and your own, by name.
#[utoipa::path(get, path = "/canned-replies", tag = "canned replies", responses((status = 200, body = Vec<CannedReply>)))]
pub async fn list_canned_replies(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<CannedReply>>> {
    Ok(Json(s.store.list_canned_replies(&a.actor).await?))
}

/// Create a canned reply: personal (the default), or shared with the workspace (admins only).
#[utoipa::path(post, path = "/canned-replies", tag = "canned replies", request_body = CannedReplyInput,
    responses((status = 201, body = CannedReply), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_canned_reply(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<CannedReplyInput>,
) -> ApiResult<(StatusCode, Json<CannedReply>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_canned_reply(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/canned-replies/{id}", tag = "canned replies", params(("id" = i64, Path)),
    responses((status = 200, body = CannedReply), (status = 404, body = ErrorBody)))]
pub async fn get_canned_reply(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<CannedReply>> {
    Ok(Json(s.store.get_canned_reply(&a.actor, id).await?))
}

/// Replace a canned reply (shared ones: admins; personal ones: their owner).
#[utoipa::path(put, path = "/canned-replies/{id}", tag = "canned replies", params(("id" = i64, Path)), request_body = CannedReplyInput,
    responses((status = 200, body = CannedReply), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_canned_reply(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<CannedReplyInput>,
) -> ApiResult<Json<CannedReply>> {
    Ok(Json(s.store.update_canned_reply(&a.actor, id, &input).await?))
}

#[utoipa::path(delete, path = "/canned-replies/{id}", tag = "canned replies", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_canned_reply(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_canned_reply(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A canned reply filled in for a ticket: the ticket's language (else yours,
/// else any), with `{{contact.first_name}}`, `{{ticket.id}}`, `{{agent.name}}`... replaced.
#[utoipa::path(get, path = "/tickets/{id}/canned-replies/{cid}/render", tag = "canned replies",
    params(("id" = i64, Path, description = "ticket"), ("cid" = i64, Path, description = "canned reply")),
    responses((status = 200, body = RenderedReply), (status = 404, body = ErrorBody)))]
pub async fn render_canned_reply(State(s): State<AppState>, Auth(a): Auth, IdPair(ticket, cid): IdPair) -> ApiResult<Json<RenderedReply>> {
    Ok(Json(s.store.render_canned_reply(&a.actor, ticket, cid).await?))
}

#[utoipa::path(get, path = "/macros", tag = "macros", responses((status = 200, body = Vec<Macro>)))]
pub async fn list_macros(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<Macro>>> {
    Ok(Json(s.store.list_macros(&a.actor).await?))
}

/// Create a macro (admins only).
#[utoipa::path(post, path = "/macros", tag = "macros", request_body = MacroInput,
    responses((status = 201, body = Macro), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_macro(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<MacroInput>,
) -> ApiResult<(StatusCode, Json<Macro>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_macro(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/macros/{id}", tag = "macros", params(("id" = i64, Path)),
    responses((status = 200, body = Macro), (status = 404, body = ErrorBody)))]
pub async fn get_macro(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Macro>> {
    Ok(Json(s.store.get_macro(&a.actor, id).await?))
}

/// Replace a macro (admins only).
#[utoipa::path(put, path = "/macros/{id}", tag = "macros", params(("id" = i64, Path)), request_body = MacroInput,
    responses((status = 200, body = Macro), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_macro(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<MacroInput>,
) -> ApiResult<Json<Macro>> {
    Ok(Json(s.store.update_macro(&a.actor, id, &input).await?))
}

#[utoipa::path(delete, path = "/macros/{id}", tag = "macros", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_macro(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_macro(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Apply a macro to a ticket: its replies and changes happen together, or
/// not at all. A public reply on an email ticket goes out by mail.
#[utoipa::path(post, path = "/tickets/{id}/macros/{macro_id}/apply", tag = "macros",
    params(("id" = i64, Path, description = "ticket"), ("macro_id" = i64, Path)),
    responses((status = 200, body = MacroApplied), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply_macro(State(s): State<AppState>, Auth(a): Auth, IdPair(ticket, macro_id): IdPair) -> ApiResult<Json<MacroApplied>> {
    let mut applied = s.store.apply_macro(&a.actor, ticket, macro_id).await?;
    for message in applied.messages.iter_mut().filter(|m| m.kind == MessageKind::Public) {
        let queued =
            rapport_channels::email::outbound::queue_reply(s.store.as_ref(), &s.blobs, a.actor.workspace_id, &applied.ticket, message)
                .await?;
        if queued.is_some() {
            message.delivery_status = Some("queued".into());
        }
    }
    Ok(Json(applied))
}
