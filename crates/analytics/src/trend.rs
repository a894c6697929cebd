//! Trends: a period cut into local days, weeks (starting Monday) or months in
//! the workspace's time zone, and series computed per bucket with the same
//! definitions as the headline figures.

use crate::calendar::{local_date, local_midnight};
use crate::experience::{self, ResponseRow};
use crate::service::FactRow;
use crate::stats::summary;
use crate::{Millis, Period, DAY};
use chrono::{Datelike, Days, Months, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Day,
    Week,
    Month,
}

impl Granularity {
    /// Days up to two months, weeks up to a year, months beyond.
    pub fn for_period(p: &Period) -> Granularity {
        match p.length() {
            l if l <= 62 * DAY => Granularity::Day,
            l if l <= 370 * DAY => Granularity::Week,
            _ => Granularity::Month,
        }
    }
}

/// The period's buckets: bucket `i` is `[starts[i], starts[i + 1])`, the last
/// one ends with the period. The first bucket may start before the period
/// (a week that began earlier); only instants inside the period are counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Buckets {
    pub granularity: Granularity,
    pub period: Period,
    pub starts: Vec<Millis>,
    /// `2026-03-02` for days and weeks (the first day), `2026-03` for months.
    pub labels: Vec<String>,
}

fn bucket_start(d: NaiveDate, g: Granularity) -> NaiveDate {
    match g {
        Granularity::Day => d,
        Granularity::Week => d - Days::new(u64::from(d.weekday().num_days_from_monday())),
        Granularity::Month => d.with_day(1).expect("day 1 exists"),
    }
}

fn next(d: NaiveDate, g: Granularity) -> NaiveDate {
    match g {
        Granularity::Day => d + Days::new(1),
        Granularity::Week => d + Days::new(7),
        Granularity::Month => d + Months::new(1),
    }
}

pub fn buckets(period: &Period, tz: Tz, g: Granularity) -> Buckets {
    let first = local_date(tz, period.from);
    let last = local_date(tz, period.to - 1);
    let mut day = bucket_start(first, g);
    let (mut starts, mut labels) = (Vec::new(), Vec::new());
    while day <= last {
        starts.push(local_midnight(tz, day));
        labels.push(match g {
            Granularity::Month => day.format("%Y-%m").to_string(),
            _ => day.format("%Y-%m-%d").to_string(),
        });
        day = next(day, g);
    }
    Buckets { granularity: g, period: *period, starts, labels }
}

impl Buckets {
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The bucket of an instant inside the period.
    pub fn index(&self, at: Millis) -> Option<usize> {
        if !self.period.contains(at) {
            return None;
        }
        match self.starts.binary_search(&at) {
            Ok(i) => Some(i),
            Err(0) => None,
            Err(i) => Some(i - 1),
        }
    }

    /// The sub-period of bucket `i`, clipped to the whole period (for drill-down links).
    pub fn period_of(&self, i: usize) -> Period {
        let from = self.starts[i].max(self.period.from);
        let to = self.starts.get(i + 1).copied().unwrap_or(self.period.to).min(self.period.to);
        Period { from, to: to.max(from + 1) }
    }
}

/// One line of a trend chart: a value per bucket (`None`: nothing to measure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub key: &'static str,
    pub values: Vec<Option<f64>>,
}

fn count_by(b: &Buckets, times: impl Iterator<Item = Millis>) -> Vec<Option<f64>> {
    let mut v = vec![0.0; b.len()];
    for t in times {
        if let Some(i) = b.index(t) {
            v[i] += 1.0;
        }
    }
    v.into_iter().map(Some).collect()
}

/// Tickets created and resolved per bucket (merged-away tickets excluded).
pub fn volume(b: &Buckets, rows: &[FactRow]) -> Vec<Series> {
    vec![
        Series { key: "created", values: count_by(b, rows.iter().filter(|r| !r.merged).map(|r| r.created_at)) },
        Series { key: "resolved", values: count_by(b, rows.iter().filter(|r| !r.merged).filter_map(|r| r.facts.resolved_at)) },
    ]
}

/// Median first response time per bucket (by the time of the response), in hours.
pub fn frt_median_hours(b: &Buckets, rows: &[FactRow]) -> Series {
    let mut per: Vec<Vec<i64>> = vec![Vec::new(); b.len()];
    for r in rows.iter().filter(|r| !r.merged) {
        if let (Some(at), Some(frt)) = (r.facts.first_response_at, r.facts.frt_ms) {
            if let Some(i) = b.index(at) {
                per[i].push(frt);
            }
        }
    }
    let values = per.iter_mut().map(|v| summary(v).median.map(|m| m as f64 / crate::HOUR as f64)).collect();
    Series { key: "frt_median_hours", values }
}

/// CSAT %, NPS and CES mean per bucket, each with the headline definition.
pub fn experience(b: &Buckets, rows: &[ResponseRow]) -> Vec<Series> {
    let periods: Vec<Period> = (0..b.len()).map(|i| b.period_of(i)).collect();
    vec![
        Series { key: "csat", values: periods.iter().map(|p| experience::csat(rows, p).percent).collect() },
        Series { key: "nps", values: periods.iter().map(|p| experience::nps(rows, p).score).collect() },
        Series { key: "ces", values: periods.iter().map(|p| experience::ces(rows, p).mean).collect() },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HOUR;

    #[test]
    fn local_days_follow_the_time_zone() {
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        // 2026-03-01 00:00 local is 2026-02-28 17:00 UTC.
        let from = local_midnight(tz, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        let p = Period::new(from, from + 3 * DAY).unwrap();
        let b = buckets(&p, tz, Granularity::Day);
        assert_eq!(b.labels, vec!["2026-03-01", "2026-03-02", "2026-03-03"]);
        // 23:30 local on 1 March is still the first day; 00:30 on the 2nd is the second.
        assert_eq!(b.index(from + 23 * HOUR + HOUR / 2), Some(0));
        assert_eq!(b.index(from + 24 * HOUR + HOUR / 2), Some(1));
        assert_eq!(b.index(from - 1), None);
        assert_eq!(b.index(from + 3 * DAY), None);
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        let tz: Tz = "Europe/Warsaw".parse().unwrap();
        let from = local_midnight(tz, NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()); // a Wednesday
        let p = Period::new(from, from + 14 * DAY).unwrap();
        let w = buckets(&p, tz, Granularity::Week);
        assert_eq!(w.labels, vec!["2026-03-02", "2026-03-09", "2026-03-16"]);
        assert_eq!(w.period_of(0).from, from, "the first week is clipped to the period");
        let m = buckets(&Period::new(from, from + 40 * DAY).unwrap(), tz, Granularity::Month);
        assert_eq!(m.labels, vec!["2026-03", "2026-04"]);
        assert_eq!(Granularity::for_period(&p), Granularity::Day);
        assert_eq!(Granularity::for_period(&Period::new(0, 100 * DAY).unwrap()), Granularity::Week);
    }
}
