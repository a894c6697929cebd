//! The scope of a report: `from` and `to` as local dates (both included) in
//! the workspace's time zone (its business hours' zone, else UTC), and the
//! filters. Every link a report makes carries the same scope, so a drill-down
//! lists exactly what the figure counted.

use crate::error::ApiError;
use crate::state::AppState;
use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use rapport_analytics::calendar::{local_date, local_midnight};
use rapport_analytics::Period;
use rapport_domain::{Actor, Channel, Id, Locale, Timestamp};
use rapport_store::metrics::MetricsFilter;
use serde::Deserialize;
use utoipa::IntoParams;

/// Longest period a report covers.
pub const MAX_DAYS: u64 = 3 * 366;
/// Default period: the last 30 days, today included.
pub const DEFAULT_DAYS: u64 = 30;

/// Query parameters of reports, API and pages alike. Empty values (as a form
/// sends for "any") mean "not set".
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    /// First day, `YYYY-MM-DD`, in the workspace's time zone. Default: 29 days before `to`.
    pub from: Option<String>,
    /// Last day (included), `YYYY-MM-DD`. Default: today.
    pub to: Option<String>,
    pub brand: Option<String>,
    pub team: Option<String>,
    /// A user id: tickets assigned to them, time they logged, answers about them.
    pub agent: Option<String>,
    pub channel: Option<String>,
    pub language: Option<String>,
    /// Tickets (and answers) of contacts in this organization.
    pub organization: Option<String>,
    /// Drill-downs: which figure's records to list (e.g. `reopened`, `channel:email`, `promoters`).
    pub figure: Option<String>,
    /// `csv` for a CSV download of a table (pages) or of the list.
    pub format: Option<String>,
    /// Pages: which table to download as CSV.
    pub table: Option<String>,
    /// Drill-downs: 1-based page of 50.
    pub page: Option<u32>,
}

fn set(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn id(field: &str, v: &Option<String>) -> Result<Option<Id>, ApiError> {
    set(v).map(|s| s.parse::<Id>().map_err(|_| ApiError::invalid(field, format!("'{s}' is not an id")))).transpose()
}

fn date(field: &str, v: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| ApiError::invalid(field, format!("'{v}' is not a date like 2026-03-31")))
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub filter: MetricsFilter,
    pub tz: Tz,
    /// Whether the workspace has business hours (else business-time figures are not shown).
    pub business_hours: bool,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    /// The normalised scope as query pairs (period first, then filters).
    pairs: Vec<(&'static str, String)>,
    pub now: i64,
}

impl Scope {
    /// Reads the scope for this actor: the period is resolved in the workspace's time zone.
    pub async fn resolve(s: &AppState, actor: &Actor, p: &ReportParams) -> Result<Scope, ApiError> {
        let hours = s.store.business_hours(actor).await?;
        let calendar = hours.as_ref().and_then(|h| h.calendar().ok());
        let tz = calendar.as_ref().map(|c| c.time_zone()).unwrap_or(chrono_tz::UTC);
        Scope::build(p, tz, calendar.is_some(), Timestamp::now().millis())
    }

    /// The scope in a given zone at a given instant (pure, for tests).
    pub fn build(p: &ReportParams, tz: Tz, business_hours: bool, now: i64) -> Result<Scope, ApiError> {
        let today = local_date(tz, now);
        let to_date = match set(&p.to) {
            Some(v) => date("to", v)?,
            None => today,
        };
        let from_date = match set(&p.from) {
            Some(v) => date("from", v)?,
            None => to_date - Days::new(DEFAULT_DAYS - 1),
        };
        if from_date > to_date {
            return Err(ApiError::invalid("from", "the first day must not be after the last day"));
        }
        if (to_date - from_date).num_days() as u64 >= MAX_DAYS {
            return Err(ApiError::invalid("from", format!("a report covers at most {MAX_DAYS} days")));
        }
        let period = Period { from: local_midnight(tz, from_date), to: local_midnight(tz, to_date + Days::new(1)) };
        let channel = set(&p.channel).map(Channel::parse).transpose().map_err(|e| ApiError::invalid("channel", e.to_string()))?;
        let language = set(&p.language).map(Locale::parse).transpose().map_err(|e| ApiError::invalid("language", e.to_string()))?;
        let filter = MetricsFilter {
            period,
            brand_id: id("brand", &p.brand)?,
            team_id: id("team", &p.team)?,
            agent_id: id("agent", &p.agent)?,
            channel,
            language,
            organization_id: id("organization", &p.organization)?,
        };
        let mut pairs = vec![("from", from_date.to_string()), ("to", to_date.to_string())];
        let ids =
            [("brand", filter.brand_id), ("team", filter.team_id), ("agent", filter.agent_id), ("organization", filter.organization_id)];
        for (k, v) in ids {
            if let Some(v) = v {
                pairs.push((k, v.to_string()));
            }
        }
        if let Some(c) = channel {
            pairs.push(("channel", c.as_str().to_string()));
        }
        if let Some(l) = language {
            pairs.push(("language", l.as_str().to_string()));
        }
        Ok(Scope { filter, tz, business_hours, from_date, to_date, pairs, now })
    }

    pub fn period(&self) -> Period {
        self.filter.period
    }

    /// `from=…&to=…&brand=…`, URL-encoded.
    pub fn query(&self) -> String {
        serde_urlencoded::to_string(&self.pairs).unwrap_or_default()
    }

    /// The same scope with one more (or replaced) parameter, e.g. a figure or a narrower period.
    pub fn query_with(&self, extra: &[(&'static str, String)]) -> String {
        let mut pairs: Vec<(&'static str, String)> =
            self.pairs.iter().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).cloned().collect();
        pairs.extend(extra.iter().cloned());
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// A link to the records a figure counts.
    pub fn drill(&self, base: &str, figure: &str) -> String {
        format!("{base}?{}", self.query_with(&[("figure", figure.to_string())]))
    }

    /// A link to a figure's records within a sub-period (a trend bucket).
    pub fn drill_in(&self, base: &str, figure: &str, p: &Period) -> String {
        let from = local_date(self.tz, p.from);
        let to = local_date(self.tz, p.to - 1);
        format!("{base}?{}", self.query_with(&[("from", from.to_string()), ("to", to.to_string()), ("figure", figure.to_string())]))
    }

    /// The filter values as pairs (for forms that keep them).
    pub fn value(&self, key: &str) -> String {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_772_438_400_000; // 2026-03-02 08:00 UTC

    #[test]
    fn defaults_to_the_last_thirty_local_days() {
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let s = Scope::build(&ReportParams::default(), tz, true, NOW).unwrap();
        assert_eq!((s.from_date.to_string(), s.to_date.to_string()), ("2026-02-01".to_string(), "2026-03-02".to_string()));
        // Local midnight in Ho Chi Minh City is 17:00 UTC the day before.
        assert_eq!(s.period().from, 1_769_878_800_000);
        assert_eq!(s.query(), "from=2026-02-01&to=2026-03-02");
    }

    #[test]
    fn filters_are_parsed_kept_in_links_and_refused_with_a_reason() {
        let p = ReportParams {
            from: Some("2026-03-01".into()),
            to: Some("2026-03-31".into()),
            brand: Some("".into()),
            channel: Some("email".into()),
            agent: Some("7".into()),
            ..Default::default()
        };
        let s = Scope::build(&p, chrono_tz::UTC, false, NOW).unwrap();
        assert_eq!((s.filter.brand_id, s.filter.agent_id, s.filter.channel), (None, Some(7), Some(Channel::Email)));
        assert_eq!(
            s.drill("/reports/tickets", "channel:email"),
            "/reports/tickets?from=2026-03-01&to=2026-03-31&agent=7&channel=email&figure=channel%3Aemail"
        );
        let bad = |p: ReportParams| Scope::build(&p, chrono_tz::UTC, false, NOW).unwrap_err().field;
        assert_eq!(bad(ReportParams { from: Some("March".into()), ..Default::default() }), Some("from".into()));
        assert_eq!(
            bad(ReportParams { from: Some("2026-04-01".into()), to: Some("2026-03-01".into()), ..Default::default() }),
            Some("from".into())
        );
        assert_eq!(bad(ReportParams { team: Some("x".into()), ..Default::default() }), Some("team".into()));
        assert_eq!(bad(ReportParams { language: Some("de".into()), ..Default::default() }), Some("language".into()));
        assert_eq!(
            bad(ReportParams { from: Some("2020-01-01".into()), to: Some("2026-01-01".into()), ..Default::default() }),
            Some("from".into())
        );
    }
}
