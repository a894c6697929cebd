//! Outbound webhooks (admins): subscriptions to events such as
//! `survey.low_score`, each delivery signed with the subscription's secret
//! (`Rapport-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`),
//! retried with backoff, and logged.

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_store::webhooks::{AppEvent, Webhook, WebhookDelivery, WebhookInput};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    pub webhook: Webhook,
    /// The signing secret, shown once: keep it to verify `Rapport-Signature`.
    pub secret: String,
}

#[utoipa::path(get, path = "/webhooks", tag = "webhooks", responses((status = 200, body = Vec<Webhook>), (status = 403, body = ErrorBody)))]
pub async fn list_webhooks(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<Webhook>>> {
    Ok(Json(s.store.list_webhooks(&a.actor).await?))
}

/// Subscribe a URL to events (`*` for all). The response holds the signing secret, once.
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = WebhookInput,
    responses((status = 201, body = CreatedWebhook), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_webhook(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<WebhookInput>,
) -> ApiResult<(StatusCode, Json<CreatedWebhook>)> {
    let secret = crate::auth::secret::random_token("whsec_");
    let webhook = s.store.create_webhook(&a.actor, &input, &s.secrets.seal(&secret)).await?;
    Ok((StatusCode::CREATED, Json(CreatedWebhook { webhook, secret })))
}

#[utoipa::path(put, path = "/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)), request_body = WebhookInput,
    responses((status = 200, body = Webhook), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_webhook(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<WebhookInput>,
) -> ApiResult<Json<Webhook>> {
    Ok(Json(s.store.update_webhook(&a.actor, id, &input).await?))
}

#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_webhook(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_webhook(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The delivery log of a webhook, newest first.
#[utoipa::path(get, path = "/webhooks/{id}/deliveries", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<WebhookDelivery>), (status = 404, body = ErrorBody)))]
pub async fn list_deliveries(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Vec<WebhookDelivery>>> {
    Ok(Json(s.store.list_webhook_deliveries(&a.actor, id, 100).await?))
}

/// Recent events of the workspace (admins).
#[utoipa::path(get, path = "/events", tag = "webhooks", responses((status = 200, body = Vec<AppEvent>), (status = 403, body = ErrorBody)))]
pub async fn list_events(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<AppEvent>>> {
    Ok(Json(s.store.list_events(&a.actor, 100).await?))
}
