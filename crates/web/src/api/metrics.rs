//! `/api/v1/metrics/...`: the dashboards' numbers as JSON, with the same
//! definitions (docs/kpi.md) and a drill-down link for every figure; business
//! hours, time entries and status history.

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::reporting::drill::{self, parse_response_figure, parse_ticket_figure};
use crate::reporting::load;
use crate::reporting::{ReportParams, Scope};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_analytics::experience::{ResponseFigure, SurveyKind};
use rapport_analytics::scorecard::{By, Scorecard};
use rapport_analytics::service::{AgeBucket, Sla, SlaKind, TicketFigure};
use rapport_analytics::trend::{Buckets, Series};
use rapport_domain::{Actor, TicketStatus};
use rapport_store::metrics::{BusinessHours, NewTimeEntry, StatusChange, TimeEntry};
use rapport_store::model::ListQuery;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const TICKETS: &str = "/api/v1/metrics/tickets";
const RESPONSES: &str = "/api/v1/metrics/responses";

fn scope_json(scope: &Scope) -> Value {
    let f = &scope.filter;
    json!({
        "from": scope.from_date.to_string(),
        "to": scope.to_date.to_string(),
        "time_zone": scope.tz.name(),
        "from_ts": rapport_domain::Timestamp(f.period.from),
        "to_ts": rapport_domain::Timestamp(f.period.to),
        "business_hours": scope.business_hours,
        "filters": {
            "brand": f.brand_id, "team": f.team_id, "agent": f.agent_id, "channel": f.channel,
            "language": f.language, "organization": f.organization_id,
        },
    })
}

fn trend_json(b: &Buckets, series: &[&Series]) -> Value {
    json!({ "granularity": b.granularity, "labels": b.labels, "series": series })
}

/// Every ticket figure of a service report, with its drill-down URL.
pub fn service_figures(report: &rapport_analytics::service::ServiceReport) -> Vec<TicketFigure> {
    let mut f = vec![
        TicketFigure::Created,
        TicketFigure::Merged,
        TicketFigure::Responded,
        TicketFigure::AwaitingResponse,
        TicketFigure::Resolved,
        TicketFigure::Solved,
        TicketFigure::Reopened,
        TicketFigure::Fcr,
        TicketFigure::Backlog,
        TicketFigure::Handled,
    ];
    f.extend(TicketStatus::ALL.iter().filter(|s| s.is_unresolved()).map(|s| TicketFigure::BacklogStatus(*s)));
    f.extend(AgeBucket::ALL.iter().map(|b| TicketFigure::BacklogAge(*b)));
    f.extend(report.volume.by_channel.iter().map(|(c, _)| TicketFigure::Channel(*c)));
    f.extend(report.volume.by_language.iter().map(|(l, _)| TicketFigure::Language(*l)));
    f.extend(report.volume.by_brand.iter().map(|(b, _)| TicketFigure::Brand(*b)));
    f.extend(report.volume.by_tag.iter().map(|(t, _)| TicketFigure::Tag(t.clone())));
    if matches!(report.sla, Sla::Measured { .. }) {
        for k in [SlaKind::FirstResponse, SlaKind::Resolution] {
            f.push(TicketFigure::SlaMet(k));
            f.push(TicketFigure::SlaBreached(k));
        }
    }
    f
}

pub fn experience_figures() -> Vec<ResponseFigure> {
    let mut f = vec![
        ResponseFigure::All(SurveyKind::Csat),
        ResponseFigure::Satisfied,
        ResponseFigure::NotSatisfied,
        ResponseFigure::All(SurveyKind::Nps),
        ResponseFigure::Promoters,
        ResponseFigure::Passives,
        ResponseFigure::Detractors,
        ResponseFigure::All(SurveyKind::Ces),
    ];
    for kind in SurveyKind::ALL {
        let (lo, hi) = kind.scale();
        f.extend((lo..=hi).map(|n| ResponseFigure::Score(*kind, n)));
    }
    f
}

/// Service KPIs: FRT, TTR, reopen rate, FCR, AHT, backlog, volume, SLA met %, trends.
#[utoipa::path(get, path = "/metrics/service", tag = "metrics", params(ReportParams),
    responses((status = 200, body = Object, description = "scope, report, drilldown (figure → URL), trend"), (status = 422, body = ErrorBody)))]
pub async fn service(State(s): State<AppState>, Auth(a): Auth, ApiQuery(p): ApiQuery<ReportParams>) -> ApiResult<Json<Value>> {
    let scope = Scope::resolve(&s, &a.actor, &p).await?;
    let (view, _) = load::service(&s, &a.actor, &scope).await?;
    let drilldown: Map<String, Value> =
        service_figures(&view.report).into_iter().map(|f| (f.key(), json!(scope.drill(TICKETS, &f.key())))).collect();
    let mut series: Vec<&Series> = view.volume.iter().collect();
    series.push(&view.frt_median_hours);
    Ok(Json(json!({
        "scope": scope_json(&scope),
        "pending_recomputation": view.pending,
        "report": view.report,
        "drilldown": drilldown,
        "trend": trend_json(&view.buckets, &series),
    })))
}

/// Experience KPIs: CSAT, NPS, CES, their distributions, response rates and trends.
#[utoipa::path(get, path = "/metrics/experience", tag = "metrics", params(ReportParams),
    responses((status = 200, body = Object, description = "scope, report, response_rate, drilldown, trend"), (status = 422, body = ErrorBody)))]
pub async fn experience(State(s): State<AppState>, Auth(a): Auth, ApiQuery(p): ApiQuery<ReportParams>) -> ApiResult<Json<Value>> {
    let scope = Scope::resolve(&s, &a.actor, &p).await?;
    let view = load::experience(&s, &a.actor, &scope).await?;
    let drilldown: Map<String, Value> =
        experience_figures().into_iter().map(|f| (f.key(), json!(scope.drill(RESPONSES, &f.key())))).collect();
    let rates: Map<String, Value> = SurveyKind::ALL.iter().map(|k| (k.as_str().to_string(), json!(view.response_rate(*k)))).collect();
    let sent: Map<String, Value> = view.sent.iter().map(|(k, n)| (k.as_str().to_string(), json!(n))).collect();
    let series: Vec<&Series> = view.trend.iter().collect();
    Ok(Json(json!({
        "scope": scope_json(&scope),
        "report": view.report,
        "invitations_sent": sent,
        "response_rate": rates,
        "drilldown": drilldown,
        "trend": trend_json(&view.buckets, &series),
    })))
}

/// Names of users and teams, for scorecards.
pub async fn names(s: &AppState, actor: &Actor, by: By) -> HashMap<i64, String> {
    match by {
        By::Agent => {
            let mut out = HashMap::new();
            let mut q = ListQuery { limit: 100, ..Default::default() };
            while let Ok(page) = s.store.list_users(actor, &q).await {
                out.extend(page.items.into_iter().map(|u| (u.id, u.name)));
                match page.next_cursor.as_deref().and_then(rapport_store::Cursor::decode) {
                    Some(c) => q.cursor = Some(c),
                    None => break,
                }
            }
            out
        }
        By::Team => s.store.list_teams(actor).await.unwrap_or_default().into_iter().map(|t| (t.id, t.name)).collect(),
    }
}

fn scorecards_json(scope: &Scope, by: By, cards: &[Scorecard], names: &HashMap<i64, String>) -> Value {
    let param = if by == By::Agent { "agent" } else { "team" };
    let items: Vec<Value> = cards
        .iter()
        .map(|c| {
            let mut v = serde_json::to_value(c).unwrap_or_default();
            v["name"] = json!(c.key.and_then(|k| names.get(&k).cloned()));
            if let Some(k) = c.key {
                let narrowed = |f: &str| format!("{TICKETS}?{}", scope.query_with(&[(param, k.to_string()), ("figure", f.to_string())]));
                v["drilldown"] = json!({
                    "solved": narrowed("solved"), "reopened": narrowed("reopened"), "fcr": narrowed("fcr"),
                    "resolved": narrowed("resolved"), "handled": narrowed("handled"),
                    "csat": format!("{RESPONSES}?{}", scope.query_with(&[(param, k.to_string()), ("figure", "csat".to_string())])),
                });
            }
            v
        })
        .collect();
    json!({ "scope": scope_json(scope), "scorecards": items })
}

/// Per-agent scorecards (FRT goes to the first responder, AHT to who logged the time, the rest to the assignee).
#[utoipa::path(get, path = "/metrics/agents", tag = "metrics", params(ReportParams), responses((status = 200, body = Object), (status = 422, body = ErrorBody)))]
pub async fn agents(State(s): State<AppState>, Auth(a): Auth, ApiQuery(p): ApiQuery<ReportParams>) -> ApiResult<Json<Value>> {
    let scope = Scope::resolve(&s, &a.actor, &p).await?;
    let (cards, _) = load::scorecards(&s, &a.actor, &scope, By::Agent).await?;
    Ok(Json(scorecards_json(&scope, By::Agent, &cards, &names(&s, &a.actor, By::Agent).await)))
}

/// Per-team scorecards.
#[utoipa::path(get, path = "/metrics/teams", tag = "metrics", params(ReportParams), responses((status = 200, body = Object), (status = 422, body = ErrorBody)))]
pub async fn teams(State(s): State<AppState>, Auth(a): Auth, ApiQuery(p): ApiQuery<ReportParams>) -> ApiResult<Json<Value>> {
    let scope = Scope::resolve(&s, &a.actor, &p).await?;
    let (cards, _) = load::scorecards(&s, &a.actor, &scope, By::Team).await?;
    Ok(Json(scorecards_json(&scope, By::Team, &cards, &names(&s, &a.actor, By::Team).await)))
}

/// The tickets a figure counts (`figure=reopened`, `channel:email`, `backlog_age:gt30d`...), 50 a page.
#[utoipa::path(get, path = "/metrics/tickets", tag = "metrics", params(ReportParams),
    responses((status = 200, body = Object, description = "figure, total, page, pages, items"), (status = 422, body = ErrorBody)))]
pub async fn tickets(State(s): State<AppState>, Auth(a): Auth, ApiQuery(p): ApiQuery<ReportParams>) -> ApiResult<Response> {
    let scope = Scope::resolve(&s, &a.actor, &p).await?;
    let figure = parse_ticket_figure(p.figure.as_deref())?;
    let csv = p.format.as_deref() == Some("csv");
    let list = drill::tickets(&s, &a.actor, &scope, figure, (!csv).then(|| p.page.unwrap_or(1) as usize)).await?;
    if csv {
        let table = crate::pages::reports::tables::ticket_list_table(&list, rapport_domain::Locale::En, "");
        return Ok(table.csv_response(&format!("tickets-{}", list.figure.key())));
    }
    let items: Vec<Value> =
        list.items.iter().map(|(t, m)| json!({ "ticket": t, "measure_ms": m, "href": format!("/api/v1/tickets/{}", t.id) })).collect();
    let next = (list.page < list.pages)
        .then(|| format!("{TICKETS}?{}", scope.query_with(&[("figure", list.figure.key()), ("page", (list.page + 1).to_string())])));
    Ok(Json(json!({
        "scope": scope_json(&scope), "figure": list.figure.key(), "total": list.total, "page": list.page, "pages": list.pages,
        "items": items, "next": next, "pending_recomputation": list.pending,
    }))
    .into_response())
}

/// The survey answers a figure counts (`figure=detractors`, `csat:1`...), 50 a page.
#[utoipa::path(get, path = "/metrics/responses", tag = "metrics", params(ReportParams),
    responses((status = 200, body = Object), (status = 422, body = ErrorBody)))]
pub async fn responses(State(s): State<AppState>, Auth(a): Auth, ApiQuery(p): ApiQuery<ReportParams>) -> ApiResult<Response> {
    let scope = Scope::resolve(&s, &a.actor, &p).await?;
    let figure = parse_response_figure(p.figure.as_deref())?;
    let csv = p.format.as_deref() == Some("csv");
    let list = drill::responses(&s, &a.actor, &scope, figure, (!csv).then(|| p.page.unwrap_or(1) as usize)).await?;
    if csv {
        let table = crate::pages::reports::tables::response_list_table(&list, rapport_domain::Locale::En, "");
        return Ok(table.csv_response(&format!("responses-{}", list.figure.key())));
    }
    let next = (list.page < list.pages)
        .then(|| format!("{RESPONSES}?{}", scope.query_with(&[("figure", list.figure.key()), ("page", (list.page + 1).to_string())])));
    Ok(Json(json!({
        "scope": scope_json(&scope), "figure": list.figure.key(), "total": list.total, "page": list.page, "pages": list.pages,
        "items": list.items, "next": next,
    }))
    .into_response())
}

#[utoipa::path(get, path = "/metrics/business-hours", tag = "metrics",
    responses((status = 200, body = BusinessHours), (status = 204, description = "none set")))]
pub async fn get_business_hours(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Response> {
    Ok(match s.store.business_hours(&a.actor).await? {
        Some(h) => Json(h).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// Set the business hours (admins only); business-time figures are recomputed.
#[utoipa::path(put, path = "/metrics/business-hours", tag = "metrics", request_body = BusinessHours,
    responses((status = 200, body = BusinessHours), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_business_hours(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(h): ApiJson<BusinessHours>,
) -> ApiResult<Json<Option<BusinessHours>>> {
    Ok(Json(s.store.set_business_hours(&a.actor, Some(&h)).await?))
}

/// Remove the business hours (admins only).
#[utoipa::path(delete, path = "/metrics/business-hours", tag = "metrics", responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn clear_business_hours(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<StatusCode> {
    s.store.set_business_hours(&a.actor, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/tickets/{id}/time-entries", tag = "metrics", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TimeEntry>), (status = 404, body = ErrorBody)))]
pub async fn list_time_entries(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Vec<TimeEntry>>> {
    Ok(Json(s.store.list_time_entries(&a.actor, id).await?))
}

/// Log working time on a ticket (counts in AHT).
#[utoipa::path(post, path = "/tickets/{id}/time-entries", tag = "metrics", params(("id" = i64, Path)), request_body = NewTimeEntry,
    responses((status = 201, body = TimeEntry), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_time_entry(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<NewTimeEntry>,
) -> ApiResult<(StatusCode, Json<TimeEntry>)> {
    Ok((StatusCode::CREATED, Json(s.store.add_time_entry(&a.actor, id, &input).await?)))
}

#[utoipa::path(delete, path = "/time-entries/{id}", tag = "metrics", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_time_entry(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_time_entry(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every status the ticket entered, oldest first.
#[utoipa::path(get, path = "/tickets/{id}/status-history", tag = "metrics", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<StatusChange>), (status = 404, body = ErrorBody)))]
pub async fn status_history(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Vec<StatusChange>>> {
    Ok(Json(s.store.ticket_status_history(&a.actor, id).await?))
}
