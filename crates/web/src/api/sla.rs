//! SLA targets per priority. Tickets are filtered by SLA state with
//! `GET /tickets?sla=ok|at_risk|breached`.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_domain::Priority;
use rapport_store::sla::{SlaPolicy, SlaPolicyInput};

#[utoipa::path(get, path = "/sla-policies", tag = "sla", responses((status = 200, body = Vec<SlaPolicy>)))]
pub async fn list_sla_policies(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<SlaPolicy>>> {
    Ok(Json(s.store.list_sla_policies(&a.actor).await?))
}

/// Set a priority's targets (admins only); both `null` removes them (204).
#[utoipa::path(put, path = "/sla-policies/{priority}", tag = "sla", params(("priority" = String, Path, description = "low, normal, high or urgent")),
    request_body = SlaPolicyInput,
    responses((status = 200, body = SlaPolicy), (status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_sla_policy(
    State(s): State<AppState>,
    Auth(a): Auth,
    Path(priority): Path<String>,
    ApiJson(input): ApiJson<SlaPolicyInput>,
) -> Result<Response, ApiError> {
    let priority = Priority::parse(&priority).map_err(|e| ApiError::invalid("priority", e.to_string()))?;
    Ok(match s.store.set_sla_policy(&a.actor, priority, &input).await? {
        Some(p) => Json(p).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}
