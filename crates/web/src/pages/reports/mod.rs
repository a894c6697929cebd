//! Dashboards in the agent UI: service (FRT, TTR, reopen rate, FCR, AHT,
//! backlog, volume, SLA), experience (CSAT, NPS, CES), per-agent and per-team
//! scorecards, and the drill-downs behind every number. Charts are SVG drawn
//! on the server; every table downloads as CSV (`?format=csv&table=…`).

pub mod tables;
pub mod texts;

use super::desk::frame::Frame;
use crate::api::metrics::names;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::pages::session::PageUser;
use crate::reporting::drill::{self, parse_response_figure, parse_ticket_figure};
use crate::reporting::load;
use crate::reporting::table::{csv_of, Table};
use crate::reporting::{ReportParams, Scope};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use rapport_analytics::chart::{self, fmt_num, Bar, LineChart, LineSeries, Segment};
use rapport_analytics::experience::{ResponseFigure, SurveyKind};
use rapport_analytics::scorecard::By;
use rapport_analytics::service::{Sla, SlaKind, TicketFigure};
use rapport_domain::{Channel, Locale};
use rapport_store::model::ListQuery;
use serde::Deserialize;
use std::collections::HashMap;
use tables::{RESPONSES, TICKETS};
use texts::ReportTexts;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(service))
        .route("/reports/experience", get(experience))
        .route("/reports/agents", get(agents))
        .route("/reports/teams", get(teams))
        .route("/reports/tickets", get(ticket_list))
        .route("/reports/responses", get(response_list))
        .route("/tickets/{id}/time", post(log_time))
        .route("/tasks/{id}/done", post(task_done))
        .route("/assets/reports.css", get(style))
}

async fn style() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"), (axum::http::header::CACHE_CONTROL, "no-cache")],
        include_str!("../../../assets/reports.css"),
    )
}

/// A number on a dashboard: its value, where it drills to, and the lines under it.
pub struct Kpi {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
    pub lines: Vec<(String, Option<String>)>,
}

/// The filter form's choices and current values.
pub struct Filters {
    pub from: String,
    pub to: String,
    pub brand: String,
    pub team: String,
    pub agent: String,
    pub channel: String,
    pub language: String,
    pub organization: String,
    pub brands: Vec<(String, String)>,
    pub teams: Vec<(String, String)>,
    pub agents: Vec<(String, String)>,
    pub channels: Vec<(String, String)>,
    pub languages: Vec<(String, String)>,
    pub organizations: Vec<(String, String)>,
}

/// What every report page shares.
pub struct ReportFrame {
    pub r: &'static ReportTexts,
    pub tab: &'static str,
    pub path: &'static str,
    pub filters: Filters,
    pub query: String,
    pub notes: Vec<String>,
}

impl ReportFrame {
    async fn new(s: &AppState, user: &PageUser, scope: &Scope, tab: &'static str, path: &'static str) -> (Frame, ReportFrame) {
        let frame = Frame::new(s, user).await;
        let locale = user.ctx.user.locale;
        let actor = &user.ctx.actor;
        let d = crate::pages::desk_i18n::desk_texts(locale);
        let pairs = |m: HashMap<i64, String>| {
            let mut v: Vec<(String, String)> = m.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
            v.sort_by(|a, b| a.1.cmp(&b.1));
            v
        };
        let brands = s.store.list_brands(actor).await.unwrap_or_default().into_iter().map(|b| (b.id, b.name)).collect();
        let orgs = s
            .store
            .list_organizations(actor, &ListQuery { limit: 100, ..Default::default() })
            .await
            .map(|p| p.items.into_iter().map(|o| (o.id, o.name)).collect())
            .unwrap_or_default();
        let filters = Filters {
            from: scope.from_date.to_string(),
            to: scope.to_date.to_string(),
            brand: scope.value("brand"),
            team: scope.value("team"),
            agent: scope.value("agent"),
            channel: scope.value("channel"),
            language: scope.value("language"),
            organization: scope.value("organization"),
            brands: pairs(brands),
            teams: pairs(names(s, actor, By::Team).await),
            agents: pairs(names(s, actor, By::Agent).await),
            channels: Channel::ALL.iter().map(|c| (c.as_str().to_string(), d.value(c.as_str()).to_string())).collect(),
            languages: Locale::ALL.iter().map(|l| (l.as_str().to_string(), d.value(l.as_str()).to_string())).collect(),
            organizations: pairs(orgs),
        };
        let r = texts::texts(locale);
        let mut notes = Vec::new();
        if !scope.business_hours && tab == "service" {
            notes.push(r.business_hours_missing.to_string());
        }
        (frame, ReportFrame { r, tab, path, filters, query: scope.query(), notes })
    }

    fn pending(&mut self, n: usize) {
        if n > 0 {
            self.notes.push(self.r.pending_recompute.replace("{n}", &n.to_string()));
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/service.html")]
pub struct ServicePage {
    pub frame: Frame,
    pub rf: ReportFrame,
    pub kpis: Vec<Kpi>,
    pub charts: Vec<(String, String)>,
    pub tables: Vec<Table>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/experience.html")]
pub struct ExperiencePage {
    pub frame: Frame,
    pub rf: ReportFrame,
    pub kpis: Vec<Kpi>,
    pub charts: Vec<(String, String)>,
    pub tables: Vec<Table>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/scorecards.html")]
pub struct ScorecardPage {
    pub frame: Frame,
    pub rf: ReportFrame,
    pub tables: Vec<Table>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/drill.html")]
pub struct DrillPage {
    pub frame: Frame,
    pub rf: ReportFrame,
    pub title: String,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub back: String,
    pub tables: Vec<Table>,
}

fn svg_link(scope: &Scope, base: &str, f: &str) -> Option<String> {
    Some(scope.drill(base, f))
}

fn kpi(label: impl Into<String>, value: impl Into<String>, href: Option<String>) -> Kpi {
    Kpi { label: label.into(), value: value.into(), href, lines: vec![] }
}

fn pct(p: Option<f64>) -> String {
    p.map(|v| format!("{}%", fmt_num(v))).unwrap_or_else(|| "—".into())
}

async fn scope_or_error(s: &AppState, user: &PageUser, p: &ReportParams) -> Result<Scope, Response> {
    Scope::resolve(s, &user.ctx.actor, p).await.map_err(|e| e.into_response())
}

async fn service(State(s): State<AppState>, user: PageUser, Query(p): Query<ReportParams>) -> Response {
    let scope = match scope_or_error(&s, &user, &p).await {
        Ok(sc) => sc,
        Err(e) => return e,
    };
    let (view, _) = match load::service(&s, &user.ctx.actor, &scope).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let locale = user.ctx.user.locale;
    let (frame, mut rf) = ReportFrame::new(&s, &user, &scope, "service", "/reports").await;
    rf.pending(view.pending);
    let r = rf.r;
    let rep = &view.report;
    let link = |f: TicketFigure| svg_link(&scope, TICKETS, &f.key());

    let mut kpis = Vec::new();
    let mut created = kpi(r.created, rep.volume.created.to_string(), link(TicketFigure::Created));
    created.lines.push((format!("{}: {}", r.merged, rep.volume.merged), link(TicketFigure::Merged)));
    kpis.push(created);
    let mut frt = kpi(format!("{} ({})", r.frt, r.median), r.duration_opt(rep.frt.calendar.median), link(TicketFigure::Responded));
    frt.lines.push((format!("{}: {}", r.p90, r.duration_opt(rep.frt.calendar.p90)), None));
    frt.lines.push((format!("{}: {}", r.count, rep.frt.calendar.count), link(TicketFigure::Responded)));
    if let Some(b) = &rep.frt.business {
        frt.lines.push((format!("{}: {} / {} {}", r.business_time, r.duration_opt(b.median), r.p90, r.duration_opt(b.p90)), None));
    }
    frt.lines.push((format!("{}: {}", r.awaiting_response, rep.frt.awaiting), link(TicketFigure::AwaitingResponse)));
    kpis.push(frt);
    let mut ttr = kpi(format!("{} ({}, {})", r.ttr, r.ttr_net, r.median), r.duration_opt(rep.ttr.net.median), link(TicketFigure::Resolved));
    ttr.lines.push((format!("{}: {}", r.p90, r.duration_opt(rep.ttr.net.p90)), None));
    ttr.lines.push((format!("{} ({}): {}", r.ttr_gross, r.median, r.duration_opt(rep.ttr.gross.median)), None));
    if let Some(b) = &rep.ttr.business {
        ttr.lines.push((format!("{}: {}", r.business_time, r.duration_opt(b.median)), None));
    }
    ttr.lines.push((format!("{}: {}", r.resolved, rep.ttr.net.count), link(TicketFigure::Resolved)));
    kpis.push(ttr);
    let mut reopen = kpi(r.reopen_rate, pct(rep.resolution.reopen_rate), link(TicketFigure::Reopened));
    reopen.lines.push((format!("{}: {}", r.reopened, rep.resolution.reopened), link(TicketFigure::Reopened)));
    reopen.lines.push((format!("{}: {}", r.solved_first, rep.resolution.solved), link(TicketFigure::Solved)));
    kpis.push(reopen);
    let mut fcr = kpi(r.fcr, pct(rep.resolution.fcr_rate), link(TicketFigure::Fcr));
    fcr.lines.push((format!("{}: {}", r.tickets, rep.resolution.fcr), link(TicketFigure::Fcr)));
    kpis.push(fcr);
    let mut aht = kpi(r.aht, r.duration_opt(rep.aht.aht_ms), link(TicketFigure::Handled));
    aht.lines.push((format!("{}: {}", r.handled, rep.aht.handled), link(TicketFigure::Handled)));
    kpis.push(aht);
    let mut backlog = kpi(r.backlog, rep.backlog.total.to_string(), link(TicketFigure::Backlog));
    backlog.lines.push((format!("{}: {}", r.median, r.duration_opt(rep.backlog.median_age_ms)), None));
    kpis.push(backlog);
    match &rep.sla {
        Sla::NotConfigured => kpis.push(kpi(r.sla_met, "—", None)),
        Sla::Measured { first_response, resolution } => {
            for (k, c) in [(SlaKind::FirstResponse, first_response), (SlaKind::Resolution, resolution)] {
                let mut card = kpi(format!("{} — {}", r.sla_met, r.sla_kind(k)), pct(c.met_percent), link(TicketFigure::SlaMet(k)));
                card.lines.push((format!("{}: {}", r.met, c.met), link(TicketFigure::SlaMet(k))));
                card.lines.push((format!("{}: {}", r.breached, c.breached), link(TicketFigure::SlaBreached(k))));
                kpis.push(card);
            }
        }
    }

    let labels = &view.buckets.labels;
    let names = [r.created, r.resolved];
    let volume = chart::line_chart(&LineChart {
        title: &format!("{} — {}", r.volume, r.trend),
        labels,
        series: view.volume.iter().zip(names).map(|(s, n)| LineSeries { name: n, values: &s.values }).collect(),
        unit: "",
        y_range: None,
        empty: r.no_data,
    });
    let frt_chart = chart::line_chart(&LineChart {
        title: r.trend_frt,
        labels,
        series: vec![LineSeries { name: r.median, values: &view.frt_median_hours.values }],
        unit: &format!(" {}", r.unit_hour),
        y_range: None,
        empty: r.no_data,
    });
    let ages: Vec<Bar> = rep
        .backlog
        .by_age
        .iter()
        .map(|(b, n)| Bar { label: r.age(*b).to_string(), value: *n as f64, href: link(TicketFigure::BacklogAge(*b)) })
        .collect();
    let backlog_chart = chart::bar_chart(&format!("{} {}", r.backlog, r.by_age), &ages, r.no_data);
    let charts = vec![
        (format!("{} — {}", r.volume, r.trend), volume),
        (r.trend_frt.to_string(), frt_chart),
        (format!("{} {}", r.backlog, r.by_age), backlog_chart),
    ];
    let brands: HashMap<i64, String> = rf.filters.brands.iter().filter_map(|(k, v)| k.parse().ok().map(|k| (k, v.clone()))).collect();
    let tables = tables::service_tables(rep, &scope, r, locale, &brands);
    if p.format.as_deref() == Some("csv") {
        return csv_of(&tables, p.table.as_deref(), "service")
            .unwrap_or_else(|| ApiError::invalid("table", "no such table").into_response());
    }
    ServicePage { frame, rf, kpis, charts, tables }.into_response()
}

async fn experience(State(s): State<AppState>, user: PageUser, Query(p): Query<ReportParams>) -> Response {
    let scope = match scope_or_error(&s, &user, &p).await {
        Ok(sc) => sc,
        Err(e) => return e,
    };
    let view = match load::experience(&s, &user.ctx.actor, &scope).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let (frame, rf) = ReportFrame::new(&s, &user, &scope, "experience", "/reports/experience").await;
    let r = rf.r;
    let rep = &view.report;
    let link = |f: ResponseFigure| svg_link(&scope, RESPONSES, &f.key());

    let mut csat = kpi(r.csat, pct(rep.csat.percent), link(ResponseFigure::All(SurveyKind::Csat)));
    csat.lines.push((format!("{}: {}", r.satisfied, rep.csat.satisfied), link(ResponseFigure::Satisfied)));
    csat.lines.push((format!("{}: {}", r.not_satisfied, rep.csat.responses - rep.csat.satisfied), link(ResponseFigure::NotSatisfied)));
    csat.lines.push((format!("{}: {}", r.answers, rep.csat.responses), link(ResponseFigure::All(SurveyKind::Csat))));
    csat.lines.push((format!("{}: {}", r.response_rate, pct(view.response_rate(SurveyKind::Csat))), None));
    let mut nps = kpi(r.nps, rep.nps.score.map(fmt_num).unwrap_or_else(|| "—".into()), link(ResponseFigure::All(SurveyKind::Nps)));
    nps.lines.push((format!("{}: {}", r.promoters, rep.nps.promoters), link(ResponseFigure::Promoters)));
    nps.lines.push((format!("{}: {}", r.passives, rep.nps.passives), link(ResponseFigure::Passives)));
    nps.lines.push((format!("{}: {}", r.detractors, rep.nps.detractors), link(ResponseFigure::Detractors)));
    nps.lines.push((format!("{}: {}", r.response_rate, pct(view.response_rate(SurveyKind::Nps))), None));
    let mut ces = kpi(
        format!("{} ({})", r.ces, r.mean),
        rep.ces.mean.map(fmt_num).unwrap_or_else(|| "—".into()),
        link(ResponseFigure::All(SurveyKind::Ces)),
    );
    ces.lines.push((format!("{}: {}", r.answers, rep.ces.responses), link(ResponseFigure::All(SurveyKind::Ces))));
    ces.lines.push((format!("{}: {}", r.response_rate, pct(view.response_rate(SurveyKind::Ces))), None));
    let kpis = vec![csat, nps, ces];

    let labels = &view.buckets.labels;
    let line = |title: &str, i: usize, range: (f64, f64), unit: &str| {
        chart::line_chart(&LineChart {
            title,
            labels,
            series: vec![LineSeries { name: title, values: &view.trend[i].values }],
            unit,
            y_range: Some(range),
            empty: r.no_data,
        })
    };
    let bars = |kind: SurveyKind, dist: &[(i64, i64)]| {
        let bars: Vec<Bar> = dist
            .iter()
            .map(|(score, n)| Bar { label: score.to_string(), value: *n as f64, href: link(ResponseFigure::Score(kind, *score)) })
            .collect();
        chart::bar_chart(&format!("{} — {}", r.kind(kind), r.distribution), &bars, r.no_data)
    };
    let nps_score = rep.nps.score.map(|v| format!("NPS {}", fmt_num(v))).unwrap_or_else(|| "NPS —".into());
    let breakdown = chart::nps_breakdown(
        r.nps,
        &nps_score,
        [
            Segment { label: r.detractors, count: rep.nps.detractors, href: link(ResponseFigure::Detractors) },
            Segment { label: r.passives, count: rep.nps.passives, href: link(ResponseFigure::Passives) },
            Segment { label: r.promoters, count: rep.nps.promoters, href: link(ResponseFigure::Promoters) },
        ],
        r.no_data,
    );
    let charts = vec![
        (format!("CSAT — {}", r.trend), line("CSAT %", 0, (0.0, 100.0), "%")),
        (format!("{} — {}", r.kind(SurveyKind::Csat), r.distribution), bars(SurveyKind::Csat, &rep.csat.distribution)),
        (r.nps.to_string(), breakdown),
        (format!("NPS — {}", r.trend), line("NPS", 1, (-100.0, 100.0), "")),
        (format!("CES — {}", r.trend), line("CES", 2, (1.0, 7.0), "")),
        (format!("{} — {}", r.kind(SurveyKind::Ces), r.distribution), bars(SurveyKind::Ces, &rep.ces.distribution)),
    ];
    let tables = tables::experience_tables(rep, &scope, r);
    if p.format.as_deref() == Some("csv") {
        return csv_of(&tables, p.table.as_deref(), "experience")
            .unwrap_or_else(|| ApiError::invalid("table", "no such table").into_response());
    }
    ExperiencePage { frame, rf, kpis, charts, tables }.into_response()
}

async fn scorecards(s: AppState, user: PageUser, p: ReportParams, by: By) -> Response {
    let scope = match scope_or_error(&s, &user, &p).await {
        Ok(sc) => sc,
        Err(e) => return e,
    };
    let (cards, pending) = match load::scorecards(&s, &user.ctx.actor, &scope, by).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let (tab, path, param) = if by == By::Agent { ("agents", "/reports/agents", "agent") } else { ("teams", "/reports/teams", "team") };
    let (frame, mut rf) = ReportFrame::new(&s, &user, &scope, tab, path).await;
    rf.pending(pending);
    let names = names(&s, &user.ctx.actor, by).await;
    let table = tables::scorecard_table(&cards, &names, &scope, rf.r, param, path);
    if p.format.as_deref() == Some("csv") {
        return table.csv_response(&format!("{tab}-scorecards"));
    }
    rf.notes.push(rf.r.scorecard_note.to_string());
    ScorecardPage { frame, rf, tables: vec![table] }.into_response()
}

async fn agents(State(s): State<AppState>, user: PageUser, Query(p): Query<ReportParams>) -> Response {
    scorecards(s, user, p, By::Agent).await
}

async fn teams(State(s): State<AppState>, user: PageUser, Query(p): Query<ReportParams>) -> Response {
    scorecards(s, user, p, By::Team).await
}

fn page_links(base: &str, scope: &Scope, figure: &str, page: usize, pages: usize) -> (Option<String>, Option<String>) {
    let at = |n: usize| format!("{base}?{}", scope.query_with(&[("figure", figure.to_string()), ("page", n.to_string())]));
    ((page > 1).then(|| at(page - 1)), (page < pages).then(|| at(page + 1)))
}

async fn ticket_list(State(s): State<AppState>, user: PageUser, Query(p): Query<ReportParams>) -> Response {
    let scope = match scope_or_error(&s, &user, &p).await {
        Ok(sc) => sc,
        Err(e) => return e,
    };
    let figure = match parse_ticket_figure(p.figure.as_deref()) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let csv = p.format.as_deref() == Some("csv");
    let list = match drill::tickets(&s, &user.ctx.actor, &scope, figure, (!csv).then(|| p.page.unwrap_or(1) as usize)).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let locale = user.ctx.user.locale;
    let key = list.figure.key();
    let query = scope.query_with(&[("figure", key.clone())]);
    let table = tables::ticket_list_table(&list, locale, &query);
    if csv {
        return table.csv_response(&format!("tickets-{key}"));
    }
    let (frame, mut rf) = ReportFrame::new(&s, &user, &scope, "service", "/reports/tickets").await;
    rf.pending(list.pending);
    let d = crate::pages::desk_i18n::desk_texts(locale);
    let title = rf.r.ticket_figure(&list.figure, &|v| d.value(v).to_string());
    let (prev, next) = page_links(TICKETS, &scope, &key, list.page, list.pages);
    let back = format!("/reports?{}", scope.query());
    DrillPage { title, total: list.total, page: list.page, pages: list.pages, prev, next, back, tables: vec![table], frame, rf }
        .into_response()
}

async fn response_list(State(s): State<AppState>, user: PageUser, Query(p): Query<ReportParams>) -> Response {
    let scope = match scope_or_error(&s, &user, &p).await {
        Ok(sc) => sc,
        Err(e) => return e,
    };
    let figure = match parse_response_figure(p.figure.as_deref()) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let csv = p.format.as_deref() == Some("csv");
    let list = match drill::responses(&s, &user.ctx.actor, &scope, figure, (!csv).then(|| p.page.unwrap_or(1) as usize)).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let key = list.figure.key();
    let query = scope.query_with(&[("figure", key.clone())]);
    let table = tables::response_list_table(&list, user.ctx.user.locale, &query);
    if csv {
        return table.csv_response(&format!("responses-{key}"));
    }
    let (frame, rf) = ReportFrame::new(&s, &user, &scope, "experience", "/reports/responses").await;
    let title = rf.r.response_figure(&list.figure);
    let (prev, next) = page_links(RESPONSES, &scope, &key, list.page, list.pages);
    let back = format!("/reports/experience?{}", scope.query());
    DrillPage { title, total: list.total, page: list.page, pages: list.pages, prev, next, back, tables: vec![table], frame, rf }
        .into_response()
}

#[derive(Deserialize)]
struct TimeForm {
    csrf_token: String,
    minutes: String,
    note: Option<String>,
}

/// The ticket page's "log time" form.
async fn log_time(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, Form(f): Form<TimeForm>) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    let minutes: i64 = match f.minutes.trim().parse() {
        Ok(m) => m,
        Err(_) => return ApiError::invalid("minutes", "a whole number of minutes").into_response(),
    };
    let input = rapport_store::metrics::NewTimeEntry {
        duration_seconds: minutes * 60,
        started_at: None,
        source: None,
        note: f.note.filter(|n| !n.trim().is_empty()),
    };
    match s.store.add_time_entry(&user.ctx.actor, id, &input).await {
        Ok(_) => Redirect::to(&format!("/tickets/{id}#survey-panel")).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf_token: String,
    back: Option<i64>,
}

async fn task_done(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, Form(f): Form<CsrfForm>) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    match s.store.complete_task(&user.ctx.actor, id).await {
        Ok(t) => Redirect::to(&match f.back.or(t.ticket_id) {
            Some(ticket) => format!("/tickets/{ticket}#survey-panel"),
            None => "/".to_string(),
        })
        .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
