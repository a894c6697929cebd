//! Loading a report's rows and computing its figures. Before reading, the
//! workspace's out-of-date ticket facts are folded in (a bounded amount; a
//! background job does the rest and the page says how many are still waiting).

use super::scope::Scope;
use crate::error::ApiError;
use crate::state::AppState;
use rapport_analytics::experience::{self, ExperienceReport, ResponseRow, SurveyKind};
use rapport_analytics::scorecard::{self, By, Scorecard};
use rapport_analytics::service::{self, FactRow, FigureContext, ServiceReport, TimeEntryRow};
use rapport_analytics::trend::{self, Buckets, Granularity, Series};
use rapport_domain::Actor;

/// Tickets recomputed on a report's request at most; more waits for the background job.
pub const REFRESH_ON_READ: usize = 2_000;

pub struct TicketData {
    pub rows: Vec<FactRow>,
    pub entries: Vec<TimeEntryRow>,
    /// Period, now, tickets with time logged, SLA targets: what figures need besides the rows.
    pub ctx: FigureContext,
    /// Tickets whose facts were still out of date after the read-time refresh.
    pub pending: usize,
}

pub async fn ticket_data(s: &AppState, actor: &Actor, scope: &Scope) -> Result<TicketData, ApiError> {
    let refreshed = s.store.refresh_ticket_facts(Some(actor.workspace_id), REFRESH_ON_READ).await?;
    let rows = s.store.fact_rows(actor, &scope.filter).await?;
    let entries = s.store.time_entry_rows(actor, &scope.filter).await?;
    let sla = s.store.list_sla_policies(actor).await?.into_iter().map(|p| (p.priority, p.targets())).collect();
    let period = scope.period();
    let ctx = FigureContext { period, now: scope.now, handled: service::handled_tickets(&entries, &period), sla };
    Ok(TicketData { rows, entries, ctx, pending: refreshed.remaining })
}

pub async fn response_rows(s: &AppState, actor: &Actor, scope: &Scope) -> Result<Vec<ResponseRow>, ApiError> {
    Ok(s.store.response_rows(actor, &scope.filter).await?)
}

pub struct ServiceView {
    pub report: ServiceReport,
    pub buckets: Buckets,
    /// created, resolved
    pub volume: Vec<Series>,
    pub frt_median_hours: Series,
    pub pending: usize,
}

pub async fn service(s: &AppState, actor: &Actor, scope: &Scope) -> Result<(ServiceView, TicketData), ApiError> {
    let data = ticket_data(s, actor, scope).await?;
    let p = scope.period();
    let buckets = trend::buckets(&p, scope.tz, Granularity::for_period(&p));
    let view = ServiceView {
        report: service::report(&data.rows, &data.entries, &data.ctx, scope.business_hours),
        volume: trend::volume(&buckets, &data.rows),
        frt_median_hours: trend::frt_median_hours(&buckets, &data.rows),
        buckets,
        pending: data.pending,
    };
    Ok((view, data))
}

pub struct ExperienceView {
    pub report: ExperienceReport,
    pub buckets: Buckets,
    /// csat, nps, ces
    pub trend: Vec<Series>,
    /// Invitations sent in the period, per kind.
    pub sent: Vec<(SurveyKind, i64)>,
    pub rows: Vec<ResponseRow>,
}

impl ExperienceView {
    /// Responses ÷ invitations sent, in percent, for a kind.
    pub fn response_rate(&self, kind: SurveyKind) -> Option<f64> {
        let sent = self.sent.iter().find(|(k, _)| *k == kind).map(|(_, n)| *n).unwrap_or(0);
        let answered = match kind {
            SurveyKind::Csat => self.report.csat.responses,
            SurveyKind::Nps => self.report.nps.responses,
            SurveyKind::Ces => self.report.ces.responses,
        };
        rapport_analytics::stats::rate(answered, sent).map(|r| rapport_analytics::stats::round1(r.min(100.0)))
    }
}

pub async fn experience(s: &AppState, actor: &Actor, scope: &Scope) -> Result<ExperienceView, ApiError> {
    let rows = response_rows(s, actor, scope).await?;
    let sent = s.store.invitations_sent(actor, &scope.filter).await?;
    let p = scope.period();
    let buckets = trend::buckets(&p, scope.tz, Granularity::for_period(&p));
    Ok(ExperienceView { report: experience::report(&rows, &p), trend: trend::experience(&buckets, &rows), buckets, sent, rows })
}

pub async fn scorecards(s: &AppState, actor: &Actor, scope: &Scope, by: By) -> Result<(Vec<Scorecard>, usize), ApiError> {
    let data = ticket_data(s, actor, scope).await?;
    let responses = response_rows(s, actor, scope).await?;
    Ok((scorecard::scorecards(by, &data.rows, &data.entries, &responses, &scope.period(), scope.now), data.pending))
}
