//! Service KPIs over tickets' facts: FRT, TTR, reopen rate, FCR, AHT, backlog
//! and volume, each with the cohort of tickets it counts (a [`TicketFigure`]),
//! so every number can be drilled into the exact tickets behind it.
//!
//! Cohorts, for a period `P = [from, to)`:
//! - **created**: created in P (merged-away tickets are counted apart, as `merged`);
//! - **responded** (FRT): first agent public reply in P, customer-started, not merged;
//! - **resolved** (TTR): last solve in P, solved or closed now, not merged;
//! - **solved** (reopen rate and FCR denominator): *first* solve in P, not merged;
//! - **backlog**: unresolved now (P does not apply), not merged;
//! - **handled** (AHT): tickets with time logged in P;
//! - **SLA**: tickets whose target's outcome fell in P (see [`sla_outcome`]).

use crate::stats::{rate, summary, Summary};
use crate::ticket::TicketFacts;
use crate::{Millis, Period, DAY};
use rapport_domain::sla::SlaTargets;
use rapport_domain::{Channel, Id, Locale, Priority, TicketStatus};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One ticket as the KPIs see it: its dimensions (for filters and breakdowns) and its facts.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRow {
    pub ticket_id: Id,
    pub created_at: Millis,
    pub brand_id: Option<Id>,
    pub team_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub channel: Channel,
    pub language: Option<Locale>,
    pub priority: Priority,
    pub status: TicketStatus,
    pub merged: bool,
    pub tags: Vec<String>,
    pub facts: TicketFacts,
}

/// What deciding whether a figure counts a ticket needs besides the ticket.
#[derive(Debug, Clone)]
pub struct FigureContext {
    pub period: Period,
    pub now: Millis,
    /// Tickets with time logged in the period (the AHT cohort).
    pub handled: BTreeSet<Id>,
    /// The workspace's SLA targets per priority.
    pub sla: BTreeMap<Priority, SlaTargets>,
}

impl FigureContext {
    pub fn new(period: Period, now: Millis) -> Self {
        FigureContext { period, now, handled: BTreeSet::new(), sla: BTreeMap::new() }
    }
}

/// The two SLA targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaKind {
    FirstResponse,
    Resolution,
}

impl SlaKind {
    pub fn key(self) -> &'static str {
        match self {
            SlaKind::FirstResponse => "first_response",
            SlaKind::Resolution => "resolution",
        }
    }

    pub fn parse(s: &str) -> Option<SlaKind> {
        [SlaKind::FirstResponse, SlaKind::Resolution].into_iter().find(|k| k.key() == s)
    }
}

/// How one SLA target of a ticket ended: `(when, met)`, or `None` while it
/// runs or when it does not apply. A target ends when its event happens (met
/// if at or before the due time, else breached), or at its due time while
/// the event has not happened and the ticket is unresolved (breached). A
/// breach therefore counts once, at one instant: if the late event comes
/// after all, the breach moves to the time of the event.
///
/// - The first-response target does not apply to outreach (an agent started
///   the conversation), nor to tickets resolved without any public reply.
/// - Merged-away tickets have no outcomes; targets are the current ones.
pub fn sla_outcome(row: &FactRow, kind: SlaKind, sla: &BTreeMap<Priority, SlaTargets>, now: Millis) -> Option<(Millis, bool)> {
    if row.merged {
        return None;
    }
    let t = sla.get(&row.priority)?;
    let minutes = match kind {
        SlaKind::FirstResponse => t.first_response_minutes?,
        SlaKind::Resolution => t.resolution_minutes?,
    };
    let due = row.created_at + minutes * 60_000;
    let event = match kind {
        SlaKind::FirstResponse if !row.facts.customer_initiated => return None,
        SlaKind::FirstResponse => row.facts.first_response_at,
        SlaKind::Resolution => row.facts.resolved_at,
    };
    match event {
        Some(at) => Some((at, at <= due)),
        None if kind == SlaKind::FirstResponse && !row.facts.unresolved => None,
        None if now > due => Some((due, false)),
        None => None,
    }
}

/// Time an agent logged on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeEntryRow {
    pub ticket_id: Id,
    pub user_id: Id,
    /// The ticket's team (for team scorecards).
    pub team_id: Option<Id>,
    pub started_at: Millis,
    pub duration_ms: Millis,
}

/// How old a backlog ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBucket {
    UnderOneDay,
    OneToThreeDays,
    ThreeToSevenDays,
    SevenToThirtyDays,
    OverThirtyDays,
}

impl AgeBucket {
    pub const ALL: [AgeBucket; 5] = [
        AgeBucket::UnderOneDay,
        AgeBucket::OneToThreeDays,
        AgeBucket::ThreeToSevenDays,
        AgeBucket::SevenToThirtyDays,
        AgeBucket::OverThirtyDays,
    ];

    /// Lower bound included, upper bound excluded: exactly one day old is "1–3 days".
    pub fn of(age: Millis) -> AgeBucket {
        match age {
            a if a < DAY => AgeBucket::UnderOneDay,
            a if a < 3 * DAY => AgeBucket::OneToThreeDays,
            a if a < 7 * DAY => AgeBucket::ThreeToSevenDays,
            a if a < 30 * DAY => AgeBucket::SevenToThirtyDays,
            _ => AgeBucket::OverThirtyDays,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            AgeBucket::UnderOneDay => "lt1d",
            AgeBucket::OneToThreeDays => "1to3d",
            AgeBucket::ThreeToSevenDays => "3to7d",
            AgeBucket::SevenToThirtyDays => "7to30d",
            AgeBucket::OverThirtyDays => "gt30d",
        }
    }

    pub fn parse(s: &str) -> Option<AgeBucket> {
        AgeBucket::ALL.into_iter().find(|b| b.key() == s)
    }
}

/// A number on a dashboard, as the set of tickets it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketFigure {
    Created,
    Merged,
    /// The FRT cohort.
    Responded,
    /// Created in P, started by the customer, not answered yet, still unresolved.
    AwaitingResponse,
    /// The TTR cohort.
    Resolved,
    /// First solved in P: the reopen-rate and FCR denominator.
    Solved,
    Reopened,
    Fcr,
    Backlog,
    BacklogStatus(TicketStatus),
    BacklogAge(AgeBucket),
    Channel(Channel),
    Language(Option<Locale>),
    Brand(Option<Id>),
    Tag(String),
    /// Tickets with time logged in P (the AHT denominator); needs the time entries.
    Handled,
    /// SLA target met, its outcome in P.
    SlaMet(SlaKind),
    /// SLA target breached, its outcome in P.
    SlaBreached(SlaKind),
}

impl TicketFigure {
    /// The figure as a URL value: `created`, `channel:email`, `tag:refund`, `backlog_age:gt30d`...
    pub fn key(&self) -> String {
        match self {
            TicketFigure::Created => "created".into(),
            TicketFigure::Merged => "merged".into(),
            TicketFigure::Responded => "responded".into(),
            TicketFigure::AwaitingResponse => "awaiting_response".into(),
            TicketFigure::Resolved => "resolved".into(),
            TicketFigure::Solved => "solved".into(),
            TicketFigure::Reopened => "reopened".into(),
            TicketFigure::Fcr => "fcr".into(),
            TicketFigure::Backlog => "backlog".into(),
            TicketFigure::BacklogStatus(s) => format!("backlog_status:{}", s.as_str()),
            TicketFigure::BacklogAge(b) => format!("backlog_age:{}", b.key()),
            TicketFigure::Channel(c) => format!("channel:{}", c.as_str()),
            TicketFigure::Language(l) => format!("language:{}", l.map_or("none", |l| l.as_str())),
            TicketFigure::Brand(b) => format!("brand:{}", b.map_or("none".to_string(), |b| b.to_string())),
            TicketFigure::Tag(t) => format!("tag:{t}"),
            TicketFigure::Handled => "handled".into(),
            TicketFigure::SlaMet(k) => format!("sla_met:{}", k.key()),
            TicketFigure::SlaBreached(k) => format!("sla_breached:{}", k.key()),
        }
    }

    pub fn parse(s: &str) -> Option<TicketFigure> {
        let (head, arg) = match s.split_once(':') {
            Some((h, a)) => (h, Some(a)),
            None => (s, None),
        };
        let f = match (head, arg) {
            ("created", None) => TicketFigure::Created,
            ("merged", None) => TicketFigure::Merged,
            ("responded", None) => TicketFigure::Responded,
            ("awaiting_response", None) => TicketFigure::AwaitingResponse,
            ("resolved", None) => TicketFigure::Resolved,
            ("solved", None) => TicketFigure::Solved,
            ("reopened", None) => TicketFigure::Reopened,
            ("fcr", None) => TicketFigure::Fcr,
            ("backlog", None) => TicketFigure::Backlog,
            ("handled", None) => TicketFigure::Handled,
            ("backlog_status", Some(a)) => TicketFigure::BacklogStatus(TicketStatus::parse(a).ok().filter(|s| s.is_unresolved())?),
            ("backlog_age", Some(a)) => TicketFigure::BacklogAge(AgeBucket::parse(a)?),
            ("channel", Some(a)) => TicketFigure::Channel(Channel::parse(a).ok()?),
            ("language", Some("none")) => TicketFigure::Language(None),
            ("language", Some(a)) => TicketFigure::Language(Some(Locale::parse(a).ok()?)),
            ("brand", Some("none")) => TicketFigure::Brand(None),
            ("brand", Some(a)) => TicketFigure::Brand(Some(a.parse().ok()?)),
            ("tag", Some(a)) if !a.is_empty() => TicketFigure::Tag(a.to_string()),
            ("sla_met", Some(a)) => TicketFigure::SlaMet(SlaKind::parse(a)?),
            ("sla_breached", Some(a)) => TicketFigure::SlaBreached(SlaKind::parse(a)?),
            _ => return None,
        };
        Some(f)
    }

    /// Whether this figure counts the ticket.
    pub fn counts(&self, row: &FactRow, ctx: &FigureContext) -> bool {
        let (period, now) = (&ctx.period, ctx.now);
        let f = &row.facts;
        let created = period.contains(row.created_at) && !row.merged;
        match self {
            TicketFigure::Created => created,
            TicketFigure::Merged => period.contains(row.created_at) && row.merged,
            TicketFigure::Responded => !row.merged && period.contains_opt(f.first_response_at),
            TicketFigure::AwaitingResponse => created && f.customer_initiated && f.first_response_at.is_none() && f.unresolved,
            TicketFigure::Resolved => !row.merged && period.contains_opt(f.resolved_at),
            TicketFigure::Solved => !row.merged && period.contains_opt(f.first_solved_at),
            TicketFigure::Reopened => !row.merged && period.contains_opt(f.first_solved_at) && f.reopen_count > 0,
            TicketFigure::Fcr => !row.merged && period.contains_opt(f.first_solved_at) && f.fcr,
            TicketFigure::Backlog => f.unresolved,
            TicketFigure::BacklogStatus(s) => f.unresolved && row.status == *s,
            TicketFigure::BacklogAge(b) => f.unresolved && AgeBucket::of(now - row.created_at) == *b,
            TicketFigure::Channel(c) => created && row.channel == *c,
            TicketFigure::Language(l) => created && row.language == *l,
            TicketFigure::Brand(b) => created && row.brand_id == *b,
            TicketFigure::Tag(t) => created && row.tags.iter().any(|g| g == t),
            TicketFigure::Handled => ctx.handled.contains(&row.ticket_id),
            TicketFigure::SlaMet(k) => sla_outcome(row, *k, &ctx.sla, now).is_some_and(|(at, met)| met && period.contains(at)),
            TicketFigure::SlaBreached(k) => sla_outcome(row, *k, &ctx.sla, now).is_some_and(|(at, met)| !met && period.contains(at)),
        }
    }

    /// The measure shown beside each ticket of a drill-down, if the figure has one.
    pub fn measure(&self, row: &FactRow, now: Millis) -> Option<Millis> {
        let f = &row.facts;
        match self {
            TicketFigure::Responded => f.frt_ms,
            TicketFigure::Resolved => f.ttr_net_ms,
            TicketFigure::Backlog | TicketFigure::BacklogStatus(_) | TicketFigure::BacklogAge(_) => Some(now - row.created_at),
            _ => None,
        }
    }
}

/// The tickets with time logged in the period.
pub fn handled_tickets(entries: &[TimeEntryRow], period: &Period) -> BTreeSet<Id> {
    entries.iter().filter(|e| period.contains(e.started_at)).map(|e| e.ticket_id).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Frt {
    /// Calendar time.
    pub calendar: Summary,
    /// Business time; `None` without business hours.
    pub business: Option<Summary>,
    pub awaiting: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Ttr {
    /// Last solve − creation.
    pub gross: Summary,
    /// Minus time pending or on hold.
    pub net: Summary,
    /// Net, in business time; `None` without business hours.
    pub business: Option<Summary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Resolution {
    /// Tickets first solved in the period.
    pub solved: i64,
    pub reopened: i64,
    pub reopen_rate: Option<f64>,
    pub fcr: i64,
    pub fcr_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Backlog {
    pub total: i64,
    pub by_status: Vec<(TicketStatus, i64)>,
    pub by_age: Vec<(AgeBucket, i64)>,
    pub median_age_ms: Option<Millis>,
    pub oldest_created_at: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Volume {
    pub created: i64,
    pub merged: i64,
    pub by_channel: Vec<(Channel, i64)>,
    pub by_language: Vec<(Option<Locale>, i64)>,
    pub by_brand: Vec<(Option<Id>, i64)>,
    /// Most used first, at most 20.
    pub by_tag: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Aht {
    /// Tickets with time logged in the period.
    pub handled: i64,
    pub entries: i64,
    pub total_ms: Millis,
    /// `total_ms / handled`, rounded down.
    pub aht_ms: Option<Millis>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct SlaCount {
    pub met: i64,
    pub breached: i64,
    /// `met / (met + breached)`, in percent.
    pub met_percent: Option<f64>,
}

/// SLA met %, per target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Sla {
    /// No SLA targets are set in this workspace: there is nothing to be met.
    NotConfigured,
    /// Next-response targets do not exist in Rapport's SLA policies, so they are not measured.
    Measured { first_response: SlaCount, resolution: SlaCount },
}

pub fn sla(rows: &[FactRow], ctx: &FigureContext) -> Sla {
    if ctx.sla.values().all(|t| t.is_empty()) {
        return Sla::NotConfigured;
    }
    let count = |k: SlaKind| {
        let met = rows.iter().filter(|r| TicketFigure::SlaMet(k).counts(r, ctx)).count() as i64;
        let breached = rows.iter().filter(|r| TicketFigure::SlaBreached(k).counts(r, ctx)).count() as i64;
        SlaCount { met, breached, met_percent: rate(met, met + breached).map(crate::stats::round1) }
    };
    Sla::Measured { first_response: count(SlaKind::FirstResponse), resolution: count(SlaKind::Resolution) }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceReport {
    pub frt: Frt,
    pub ttr: Ttr,
    pub resolution: Resolution,
    pub backlog: Backlog,
    pub volume: Volume,
    pub aht: Aht,
    pub sla: Sla,
}

fn counted<K: Ord + Clone>(items: impl Iterator<Item = K>) -> Vec<(K, i64)> {
    let mut m: BTreeMap<K, i64> = BTreeMap::new();
    for k in items {
        *m.entry(k).or_default() += 1;
    }
    let mut v: Vec<(K, i64)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

pub fn frt(rows: &[FactRow], period: &Period, now: Millis, business_hours: bool) -> Frt {
    let ctx = FigureContext::new(*period, now);
    let cohort: Vec<&FactRow> = rows.iter().filter(|r| TicketFigure::Responded.counts(r, &ctx)).collect();
    let mut cal: Vec<i64> = cohort.iter().filter_map(|r| r.facts.frt_ms).collect();
    let mut bus: Vec<i64> = cohort.iter().filter_map(|r| r.facts.frt_business_ms).collect();
    Frt {
        calendar: summary(&mut cal),
        business: business_hours.then(|| summary(&mut bus)),
        awaiting: rows.iter().filter(|r| TicketFigure::AwaitingResponse.counts(r, &ctx)).count() as i64,
    }
}

pub fn ttr(rows: &[FactRow], period: &Period, now: Millis, business_hours: bool) -> Ttr {
    let ctx = FigureContext::new(*period, now);
    let cohort: Vec<&FactRow> = rows.iter().filter(|r| TicketFigure::Resolved.counts(r, &ctx)).collect();
    let mut gross: Vec<i64> = cohort.iter().filter_map(|r| r.facts.ttr_ms).collect();
    let mut net: Vec<i64> = cohort.iter().filter_map(|r| r.facts.ttr_net_ms).collect();
    let mut bus: Vec<i64> = cohort.iter().filter_map(|r| r.facts.ttr_business_ms).collect();
    Ttr { gross: summary(&mut gross), net: summary(&mut net), business: business_hours.then(|| summary(&mut bus)) }
}

pub fn resolution(rows: &[FactRow], period: &Period, now: Millis) -> Resolution {
    let ctx = FigureContext::new(*period, now);
    let n = |f: TicketFigure| rows.iter().filter(|r| f.counts(r, &ctx)).count() as i64;
    let (solved, reopened, fcr) = (n(TicketFigure::Solved), n(TicketFigure::Reopened), n(TicketFigure::Fcr));
    Resolution { solved, reopened, reopen_rate: rate(reopened, solved), fcr, fcr_rate: rate(fcr, solved) }
}

pub fn backlog(rows: &[FactRow], now: Millis) -> Backlog {
    let open: Vec<&FactRow> = rows.iter().filter(|r| r.facts.unresolved).collect();
    let mut ages: Vec<i64> = open.iter().map(|r| (now - r.created_at).max(0)).collect();
    let by_status = TicketStatus::ALL
        .iter()
        .filter(|s| s.is_unresolved())
        .map(|s| (*s, open.iter().filter(|r| r.status == *s).count() as i64))
        .collect();
    let by_age = AgeBucket::ALL.iter().map(|b| (*b, ages.iter().filter(|a| AgeBucket::of(**a) == *b).count() as i64)).collect();
    Backlog {
        total: open.len() as i64,
        by_status,
        by_age,
        median_age_ms: summary(&mut ages).median,
        oldest_created_at: open.iter().map(|r| r.created_at).min(),
    }
}

pub fn volume(rows: &[FactRow], period: &Period) -> Volume {
    let created: Vec<&FactRow> = rows.iter().filter(|r| period.contains(r.created_at) && !r.merged).collect();
    let mut by_tag = counted(created.iter().flat_map(|r| r.tags.iter().cloned()));
    by_tag.truncate(20);
    Volume {
        created: created.len() as i64,
        merged: rows.iter().filter(|r| period.contains(r.created_at) && r.merged).count() as i64,
        by_channel: counted(created.iter().map(|r| r.channel)),
        by_language: counted(created.iter().map(|r| r.language)),
        by_brand: counted(created.iter().map(|r| r.brand_id)),
        by_tag,
    }
}

/// AHT: the time logged in the period ÷ the tickets it was logged on.
pub fn aht(entries: &[TimeEntryRow], period: &Period) -> Aht {
    let inside: Vec<&TimeEntryRow> = entries.iter().filter(|e| period.contains(e.started_at)).collect();
    let handled = inside.iter().map(|e| e.ticket_id).collect::<BTreeSet<_>>().len() as i64;
    let total_ms: Millis = inside.iter().map(|e| e.duration_ms).sum();
    Aht { handled, entries: inside.len() as i64, total_ms, aht_ms: (handled > 0).then(|| total_ms / handled) }
}

/// Every service KPI of the period at once (`ctx.handled` is filled here).
pub fn report(rows: &[FactRow], entries: &[TimeEntryRow], ctx: &FigureContext, business_hours: bool) -> ServiceReport {
    let (period, now) = (&ctx.period, ctx.now);
    ServiceReport {
        frt: frt(rows, period, now, business_hours),
        ttr: ttr(rows, period, now, business_hours),
        resolution: resolution(rows, period, now),
        backlog: backlog(rows, now),
        volume: volume(rows, period),
        aht: aht(entries, period),
        sla: sla(rows, ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HOUR, MINUTE};

    const P0: Millis = 1_772_323_200_000; // 2026-03-01 00:00 UTC
    const NOW: Millis = P0 + 40 * DAY;

    fn period() -> Period {
        Period::new(P0, P0 + 31 * DAY).unwrap()
    }

    fn row(id: Id, created: Millis) -> FactRow {
        FactRow {
            ticket_id: id,
            created_at: created,
            brand_id: None,
            team_id: None,
            assignee_id: None,
            channel: Channel::Email,
            language: Some(Locale::Vi),
            priority: Priority::Normal,
            status: TicketStatus::Open,
            merged: false,
            tags: vec![],
            facts: TicketFacts { customer_initiated: true, unresolved: true, ..Default::default() },
        }
    }

    fn solved(mut r: FactRow, first: Millis, last: Millis, replies: i64, reopens: i64) -> FactRow {
        r.status = TicketStatus::Solved;
        r.facts.unresolved = false;
        r.facts.first_solved_at = Some(first);
        r.facts.resolved_at = Some(last);
        r.facts.ttr_ms = Some(last - r.created_at);
        r.facts.ttr_net_ms = Some(last - r.created_at);
        r.facts.agent_replies = replies;
        r.facts.reopen_count = reopens;
        r.facts.fcr = replies == 1 && reopens == 0;
        r
    }

    #[test]
    fn frt_counts_first_responses_in_the_period_only() {
        let mut a = row(1, P0 + DAY);
        a.facts.first_response_at = Some(P0 + DAY + 10 * MINUTE);
        a.facts.frt_ms = Some(10 * MINUTE);
        let mut b = row(2, P0 + DAY);
        b.facts.first_response_at = Some(P0 + DAY + 2 * HOUR);
        b.facts.frt_ms = Some(2 * HOUR);
        // Created before the period, answered inside it: counts (FRT goes by the response).
        let mut c = row(3, P0 - HOUR);
        c.facts.first_response_at = Some(P0 + 30 * MINUTE);
        c.facts.frt_ms = Some(90 * MINUTE);
        // Created inside, answered after the period: not in this period's FRT; not awaiting either.
        let mut d = row(4, P0 + 30 * DAY);
        d.facts.first_response_at = Some(P0 + 32 * DAY);
        d.facts.frt_ms = Some(2 * DAY);
        // Still unanswered: awaiting.
        let e = row(5, P0 + 2 * DAY);
        let f = frt(&[a, b, c, d, e], &period(), NOW, false);
        // Values 10 min, 90 min, 120 min: median 90 min; p90 rank ceil(2.7) = 3 → 120 min.
        assert_eq!((f.calendar.count, f.calendar.median, f.calendar.p90), (3, Some(90 * MINUTE), Some(2 * HOUR)));
        assert_eq!(f.awaiting, 1);
        assert_eq!(f.business, None);
    }

    #[test]
    fn reopen_rate_and_fcr_share_the_first_solved_cohort() {
        let rows = vec![
            solved(row(1, P0), P0 + HOUR, P0 + HOUR, 1, 0),         // FCR
            solved(row(2, P0), P0 + HOUR, P0 + 3 * DAY, 2, 1),      // reopened, solved again
            solved(row(3, P0), P0 + 2 * HOUR, P0 + 2 * HOUR, 0, 0), // solved without a public reply: not FCR
            solved(row(4, P0 - 5 * DAY), P0 - DAY, P0 + DAY, 1, 1), // first solved before P: not in this cohort
            {
                // Solved in P, reopened and open again: still counts as solved-then-reopened.
                let mut r = solved(row(5, P0), P0 + DAY, P0 + DAY, 1, 1);
                r.status = TicketStatus::Open;
                r.facts.unresolved = true;
                r.facts.resolved_at = None;
                r
            },
        ];
        let r = resolution(&rows, &period(), NOW);
        assert_eq!((r.solved, r.reopened, r.fcr), (4, 2, 1));
        assert_eq!((r.reopen_rate, r.fcr_rate), (Some(50.0), Some(25.0)));
        // TTR goes by the last solve: tickets 1, 2, 3 and 4 (4 resolved in P although first solved before it).
        let t = ttr(&rows, &period(), NOW, false);
        assert_eq!(t.net.count, 4);
    }

    #[test]
    fn merged_tickets_are_counted_apart() {
        let mut m = row(9, P0 + DAY);
        m.merged = true;
        m.status = TicketStatus::Closed;
        m.facts.unresolved = false;
        let v = volume(&[row(1, P0 + DAY), m.clone()], &period());
        assert_eq!((v.created, v.merged), (1, 1));
        assert!(!TicketFigure::Backlog.counts(&m, &FigureContext::new(period(), NOW)));
    }

    #[test]
    fn backlog_ages_and_statuses() {
        let mut pending = row(2, NOW - 2 * DAY);
        pending.status = TicketStatus::Pending;
        let rows = vec![row(1, NOW - HOUR), pending, row(3, NOW - 40 * DAY), solved(row(4, NOW - 3 * DAY), NOW - DAY, NOW - DAY, 1, 0)];
        let b = backlog(&rows, NOW);
        assert_eq!(b.total, 3);
        assert_eq!(b.median_age_ms, Some(2 * DAY));
        assert_eq!(b.oldest_created_at, Some(NOW - 40 * DAY));
        let ages: Vec<i64> = b.by_age.iter().map(|x| x.1).collect();
        assert_eq!(ages, vec![1, 1, 0, 0, 1]);
        assert!(b.by_status.contains(&(TicketStatus::Pending, 1)) && b.by_status.contains(&(TicketStatus::Open, 2)));
        assert_eq!(AgeBucket::of(DAY), AgeBucket::OneToThreeDays);
    }

    #[test]
    fn aht_divides_logged_time_by_tickets_handled() {
        let e = |t, u, at, d| TimeEntryRow { ticket_id: t, user_id: u, team_id: None, started_at: at, duration_ms: d };
        // Ticket 1: 10 + 5 minutes by two agents; ticket 2: 30 minutes; one entry outside P.
        let entries =
            vec![e(1, 7, P0 + HOUR, 10 * MINUTE), e(1, 8, P0 + DAY, 5 * MINUTE), e(2, 7, P0 + DAY, 30 * MINUTE), e(3, 7, P0 - HOUR, HOUR)];
        let a = aht(&entries, &period());
        assert_eq!((a.handled, a.entries, a.total_ms, a.aht_ms), (2, 3, 45 * MINUTE, Some(22 * MINUTE + 30_000)));
    }

    #[test]
    fn sla_met_counts_each_outcome_once_in_its_period() {
        let targets = SlaTargets { first_response_minutes: Some(60), resolution_minutes: Some(8 * 60) };
        let mut ctx = FigureContext::new(period(), NOW);
        assert_eq!(sla(&[], &ctx), Sla::NotConfigured);
        ctx.sla.insert(Priority::Normal, targets);
        let answered = |id: Id, after: Millis| {
            let mut r = row(id, P0 + DAY);
            r.facts.first_response_at = Some(P0 + DAY + after);
            r
        };
        // 1: answered in 30 min (met); 2: in 2 h (breached); 3: never, still open,
        // due long ago (breached at its due time); 4: outreach (no target).
        let mut outreach = row(4, P0 + DAY);
        outreach.facts.customer_initiated = false;
        // 5: solved in 2 h (resolution met); 6: solved after 10 h (breached).
        let five = solved(answered(5, 10 * MINUTE), P0 + DAY + 2 * HOUR, P0 + DAY + 2 * HOUR, 1, 0);
        let six = solved(answered(6, 10 * MINUTE), P0 + DAY + 10 * HOUR, P0 + DAY + 10 * HOUR, 1, 0);
        // 7: solved without any reply: no first-response outcome; resolution met.
        let seven = solved(row(7, P0 + DAY), P0 + DAY + HOUR, P0 + DAY + HOUR, 0, 0);
        // 8: a priority without targets.
        let mut eight = answered(8, 5 * HOUR);
        eight.priority = Priority::Low;
        let rows = vec![answered(1, 30 * MINUTE), answered(2, 2 * HOUR), row(3, P0 + DAY), outreach, five, six, seven, eight];
        let Sla::Measured { first_response, resolution } = sla(&rows, &ctx) else { panic!("targets are set") };
        // First response: met 1, 5, 6; breached 2, 3.
        assert_eq!((first_response.met, first_response.breached, first_response.met_percent), (3, 2, Some(60.0)));
        // Resolution: met 5, 7; breached 6 and every unresolved ticket past its due time (1, 2, 3, 4).
        assert_eq!((resolution.met, resolution.breached), (2, 5));
        // A breach falls in the period of its due time, not later.
        let later = FigureContext { period: Period::new(P0 + 40 * DAY, P0 + 50 * DAY).unwrap(), ..ctx.clone() };
        assert!(rows.iter().all(|r| !TicketFigure::SlaBreached(SlaKind::FirstResponse).counts(r, &later)));
    }

    #[test]
    fn figures_round_trip_as_url_values() {
        for f in [
            TicketFigure::Created,
            TicketFigure::Reopened,
            TicketFigure::BacklogAge(AgeBucket::OverThirtyDays),
            TicketFigure::BacklogStatus(TicketStatus::OnHold),
            TicketFigure::Channel(Channel::Chat),
            TicketFigure::Language(None),
            TicketFigure::Brand(Some(12)),
            TicketFigure::Tag("hoan-tien".into()),
            TicketFigure::SlaBreached(SlaKind::Resolution),
        ] {
            assert_eq!(TicketFigure::parse(&f.key()), Some(f.clone()), "{}", f.key());
        }
        assert_eq!(TicketFigure::parse("backlog_status:solved"), None);
        assert_eq!(TicketFigure::parse("tag:"), None);
        assert_eq!(TicketFigure::parse("everything"), None);
    }
}
