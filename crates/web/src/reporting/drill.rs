//! Drill-downs: the records behind a figure, chosen by the same predicate
//! that counted them (`TicketFigure::counts`, `ResponseFigure::counts`), so
//! the list always has exactly as many entries as the number said.

use super::load;
use super::scope::Scope;
use crate::error::ApiError;
use crate::state::AppState;
use rapport_analytics::experience::ResponseFigure;
use rapport_analytics::service::TicketFigure;
use rapport_domain::Actor;
use rapport_store::metrics::TicketBrief;
use rapport_store::surveys::SurveyResponse;

pub const PAGE_SIZE: usize = 50;

pub struct TicketList {
    pub figure: TicketFigure,
    /// How many tickets the figure counts (all pages).
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// The page's tickets with the figure's measure (FRT, net TTR, age), if it has one.
    pub items: Vec<(TicketBrief, Option<i64>)>,
    pub pending: usize,
}

pub fn parse_ticket_figure(raw: Option<&str>) -> Result<TicketFigure, ApiError> {
    let raw = raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::invalid("figure", "say which figure to list, e.g. figure=reopened"))?;
    TicketFigure::parse(raw).ok_or_else(|| ApiError::invalid("figure", format!("'{raw}' is not a ticket figure")))
}

pub fn parse_response_figure(raw: Option<&str>) -> Result<ResponseFigure, ApiError> {
    let raw = raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::invalid("figure", "say which figure to list, e.g. figure=detractors"))?;
    ResponseFigure::parse(raw).ok_or_else(|| ApiError::invalid("figure", format!("'{raw}' is not a survey figure")))
}

/// `page` is 1-based; `None` for every ticket on one page (CSV).
pub async fn tickets(
    s: &AppState,
    actor: &Actor,
    scope: &Scope,
    figure: TicketFigure,
    page: Option<usize>,
) -> Result<TicketList, ApiError> {
    let data = load::ticket_data(s, actor, scope).await?;
    let mut chosen: Vec<(i64, Option<i64>)> =
        data.rows.iter().filter(|r| figure.counts(r, &data.ctx)).map(|r| (r.ticket_id, figure.measure(r, scope.now))).collect();
    // The longest waits first when there is a measure; otherwise the newest tickets.
    chosen.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let total = chosen.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let (page, slice) = match page {
        Some(n) => {
            let n = n.clamp(1, pages);
            (n, chosen.iter().skip((n - 1) * PAGE_SIZE).take(PAGE_SIZE).cloned().collect::<Vec<_>>())
        }
        None => (1, chosen),
    };
    let ids: Vec<i64> = slice.iter().map(|c| c.0).collect();
    let briefs = s.store.ticket_briefs(actor, &ids).await?;
    let items = briefs.into_iter().map(|b| {
        let m = slice.iter().find(|c| c.0 == b.id).and_then(|c| c.1);
        (b, m)
    });
    Ok(TicketList { figure, total, page, pages, items: items.collect(), pending: data.pending })
}

pub struct ResponseList {
    pub figure: ResponseFigure,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub items: Vec<SurveyResponse>,
}

pub async fn responses(
    s: &AppState,
    actor: &Actor,
    scope: &Scope,
    figure: ResponseFigure,
    page: Option<usize>,
) -> Result<ResponseList, ApiError> {
    let rows = load::response_rows(s, actor, scope).await?;
    let p = scope.period();
    let mut ids: Vec<i64> = rows.iter().filter(|r| figure.counts(r, &p)).map(|r| r.id).collect();
    ids.reverse();
    let total = ids.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let (page, slice) = match page {
        Some(n) => {
            let n = n.clamp(1, pages);
            (n, ids.iter().skip((n - 1) * PAGE_SIZE).take(PAGE_SIZE).copied().collect::<Vec<_>>())
        }
        None => (1, ids),
    };
    let items = s.store.responses_by_id(actor, &slice).await?;
    Ok(ResponseList { figure, total, page, pages, items })
}
