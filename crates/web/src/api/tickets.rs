use super::{parse_cursor, parse_list, parse_since};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_domain::sla::SlaState;
use rapport_domain::{Channel, Locale, Priority, TicketStatus};
use rapport_store::model::{AssigneeFilter, NewTicket, Ticket, TicketPatch, TicketQuery, TicketSortField};
use rapport_store::page::clamp_limit;
use rapport_store::Page;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TicketListParams {
    /// Comma-separated statuses, e.g. `new,open`.
    status: Option<String>,
    /// `me`, `none`, or a user id.
    assignee: Option<String>,
    team: Option<i64>,
    tag: Option<String>,
    channel: Option<Channel>,
    brand: Option<i64>,
    requester: Option<i64>,
    organization: Option<i64>,
    /// Comma-separated priorities, e.g. `high,urgent`.
    priority: Option<String>,
    /// The ticket's language: `vi`, `pl` or `en`.
    language: Option<Locale>,
    /// SLA state now: `ok`, `at_risk` or `breached` (tickets whose priority has targets).
    sla: Option<SlaState>,
    /// RFC 3339; only tickets changed at or after this time.
    updated_since: Option<String>,
    /// `updated_at`, `created_at`, `priority` or `id`; prefix `-` for descending. Default `-updated_at`.
    sort: Option<String>,
    cursor: Option<String>,
    /// 1–100, default 25.
    limit: Option<u32>,
}

pub(crate) fn parse_query(p: &TicketListParams, me: i64) -> Result<TicketQuery, ApiError> {
    let assignee = match p.assignee.as_deref() {
        None | Some("") => None,
        Some("me") => Some(AssigneeFilter::User(me)),
        Some("none") => Some(AssigneeFilter::Nobody),
        Some(id) => Some(AssigneeFilter::User(id.parse().map_err(|_| ApiError::invalid("assignee", "use `me`, `none` or a user id"))?)),
    };
    let sort_raw = p.sort.as_deref().unwrap_or("-updated_at");
    let (descending, field) = match sort_raw.strip_prefix('-') {
        Some(f) => (true, f),
        None => (false, sort_raw),
    };
    let sort = match field {
        "updated_at" => TicketSortField::UpdatedAt,
        "created_at" => TicketSortField::CreatedAt,
        "priority" => TicketSortField::Priority,
        "id" => TicketSortField::Id,
        other => return Err(ApiError::invalid("sort", format!("cannot sort by '{other}'"))),
    };
    Ok(TicketQuery {
        statuses: parse_list("status", p.status.as_deref(), TicketStatus::parse)?,
        assignee,
        team_id: p.team,
        tag: p.tag.clone(),
        channel: p.channel,
        brand_id: p.brand,
        requester_id: p.requester,
        organization_id: p.organization,
        updated_since: parse_since(p.updated_since.as_deref())?,
        priorities: parse_list("priority", p.priority.as_deref(), Priority::parse)?,
        language: p.language,
        sla: p.sla.map(|s| (s, rapport_domain::Timestamp::now())),
        sort,
        descending,
        cursor: parse_cursor(p.cursor.as_deref())?,
        limit: clamp_limit(p.limit),
    })
}

/// List tickets, filtered and sorted, a page at a time.
#[utoipa::path(get, path = "/tickets", tag = "tickets", params(TicketListParams),
    responses((status = 200, body = Page<Ticket>), (status = 422, body = ErrorBody)))]
pub async fn list_tickets(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<TicketListParams>,
) -> ApiResult<Json<Page<Ticket>>> {
    let q = parse_query(&p, a.actor.user_id)?;
    Ok(Json(s.store.list_tickets(&a.actor, &q).await?))
}

/// Create a ticket, optionally with its first message.
#[utoipa::path(post, path = "/tickets", tag = "tickets", request_body = NewTicket,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key")),
    responses((status = 201, body = Ticket), (status = 422, body = ErrorBody)))]
pub async fn create_ticket(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<NewTicket>,
) -> ApiResult<(StatusCode, Json<Ticket>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_ticket(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/tickets/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = Ticket), (status = 404, body = ErrorBody)))]
pub async fn get_ticket(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Ticket>> {
    Ok(Json(s.store.get_ticket(&a.actor, id).await?))
}

/// Change a ticket. Each change is audited and shown on the ticket as a system event.
#[utoipa::path(patch, path = "/tickets/{id}", tag = "tickets", params(("id" = i64, Path)), request_body = TicketPatch,
    responses((status = 200, body = Ticket), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_ticket(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(p): ApiJson<TicketPatch>,
) -> ApiResult<Json<Ticket>> {
    Ok(Json(s.store.update_ticket(&a.actor, id, &p).await?))
}

/// Delete a ticket and its messages (admins only).
#[utoipa::path(delete, path = "/tickets/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_ticket(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_ticket(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
