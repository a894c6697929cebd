//! Business hours: opening windows per weekday in a time zone, minus holidays.
//!
//! A window is given in local wall-clock minutes (`09:00`–`17:30`, several per
//! day for a lunch break, `24:00` for the end of the day). Windows are turned
//! into UTC instants day by day with the zone's rules, so a day on which the
//! clocks change still opens at 09:00 local time. A local time that does not
//! exist (skipped by a spring-forward change) moves to the first instant that
//! does; an ambiguous one (repeated in autumn) takes the earlier instant.

use crate::Millis;
use chrono::{Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// Why a business-hours setting was refused: which part, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError {
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for CalendarError {}

fn err(field: &'static str, message: impl Into<String>) -> CalendarError {
    CalendarError { field, message: message.into() }
}

/// One opening window, in minutes after local midnight (`0..=1440`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: u32,
    pub to: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BusinessCalendar {
    tz: Tz,
    /// Monday first.
    week: [Vec<Window>; 7],
    holidays: BTreeSet<NaiveDate>,
}

/// `mon`..`sun` (also full English names), case-insensitive.
pub fn parse_weekday(s: &str) -> Result<Weekday, CalendarError> {
    let day = match s.trim().to_ascii_lowercase().as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        other => return Err(err("week.day", format!("'{other}' is not a weekday (mon, tue, wed, thu, fri, sat, sun)"))),
    };
    Ok(day)
}

pub fn weekday_key(d: Weekday) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][d.num_days_from_monday() as usize]
}

/// `HH:MM` (24-hour clock; `24:00` is the end of the day) into minutes after midnight.
pub fn parse_clock(s: &str) -> Result<u32, CalendarError> {
    let bad = || err("week.time", format!("'{s}' is not a time of day like 09:00 or 17:30"));
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

pub fn format_clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

pub fn parse_time_zone(s: &str) -> Result<Tz, CalendarError> {
    s.trim()
        .parse::<Tz>()
        .map_err(|_| err("time_zone", format!("'{s}' is not an IANA time zone such as Europe/Warsaw or Asia/Ho_Chi_Minh")))
}

impl BusinessCalendar {
    /// Builds a calendar from its parts as people write them: a time zone name,
    /// `(weekday, from, to)` windows, and holiday dates (`YYYY-MM-DD`).
    /// Windows of one day must not overlap; a day without windows is closed.
    pub fn parse(time_zone: &str, windows: &[(&str, &str, &str)], holidays: &[&str]) -> Result<Self, CalendarError> {
        let tz = parse_time_zone(time_zone)?;
        let mut week: [Vec<Window>; 7] = Default::default();
        for (day, from, to) in windows {
            let day = parse_weekday(day)?;
            let (from, to) = (parse_clock(from)?, parse_clock(to)?);
            if from >= to {
                return Err(err(
                    "week.time",
                    format!(
                        "{} opens at {} and closes at {}: the end must be later",
                        weekday_key(day),
                        format_clock(from),
                        format_clock(to)
                    ),
                ));
            }
            week[day.num_days_from_monday() as usize].push(Window { from, to });
        }
        for (i, day) in week.iter_mut().enumerate() {
            day.sort_by_key(|w| w.from);
            if let Some(pair) = day.windows(2).find(|p| p[1].from < p[0].to) {
                let name = weekday_key(Weekday::try_from(i as u8).expect("0..7 is a weekday"));
                return Err(err(
                    "week.time",
                    format!(
                        "{name}: {}–{} overlaps {}–{}",
                        format_clock(pair[0].from),
                        format_clock(pair[0].to),
                        format_clock(pair[1].from),
                        format_clock(pair[1].to)
                    ),
                ));
            }
        }
        if week.iter().all(Vec::is_empty) {
            return Err(err("week", "at least one opening window is needed"));
        }
        let mut days = BTreeSet::new();
        for h in holidays {
            let d = NaiveDate::parse_from_str(h.trim(), "%Y-%m-%d")
                .map_err(|_| err("holidays", format!("'{h}' is not a date like 2026-01-01")))?;
            days.insert(d);
        }
        Ok(BusinessCalendar { tz, week, holidays: days })
    }

    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    pub fn windows(&self, day: Weekday) -> &[Window] {
        &self.week[day.num_days_from_monday() as usize]
    }

    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.contains(&d)
    }

    /// The local date of an instant.
    pub fn local_date(&self, at: Millis) -> NaiveDate {
        local_date(self.tz, at)
    }

    /// Business time between two instants, in milliseconds: the overlap of
    /// `[from, to)` with the opening windows of every non-holiday day. Zero
    /// when `to <= from`.
    pub fn business_millis(&self, from: Millis, to: Millis) -> Millis {
        if to <= from {
            return 0;
        }
        let mut day = self.local_date(from).pred_opt().unwrap_or(NaiveDate::MIN);
        let last = self.local_date(to);
        let mut total = 0;
        while day <= last {
            if !self.holidays.contains(&day) {
                for w in self.windows(day.weekday()) {
                    let open = local_instant(self.tz, day, w.from);
                    let close = local_instant(self.tz, day, w.to);
                    total += (close.min(to) - open.max(from)).max(0);
                }
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        total
    }
}

fn utc(at: Millis) -> chrono::DateTime<Utc> {
    Utc.timestamp_millis_opt(at).single().unwrap_or_default()
}

/// The date an instant falls on in `tz`.
pub fn local_date(tz: Tz, at: Millis) -> NaiveDate {
    tz.from_utc_datetime(&utc(at).naive_utc()).date_naive()
}

/// The instant of `minutes` after local midnight of `day` (wall clock), in UTC ms.
pub fn local_instant(tz: Tz, day: NaiveDate, minutes: u32) -> Millis {
    let wall: NaiveDateTime = day.and_hms_opt(0, 0, 0).expect("midnight") + Duration::minutes(i64::from(minutes));
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => t.timestamp_millis(),
        LocalResult::Ambiguous(a, _) => a.timestamp_millis(),
        // Skipped by a clock change: the first existing minute after it.
        LocalResult::None => {
            let mut probe = wall;
            for _ in 0..(24 * 60) {
                probe += Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.timestamp_millis();
                }
            }
            wall.and_utc().timestamp_millis()
        }
    }
}

/// Local midnight of `day` in `tz`, as UTC ms.
pub fn local_midnight(tz: Tz, day: NaiveDate) -> Millis {
    local_instant(tz, day, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HOUR, MINUTE};

    fn at(tz: &str, s: &str) -> Millis {
        let tz: Tz = tz.parse().unwrap();
        let wall = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        tz.from_local_datetime(&wall).earliest().unwrap().timestamp_millis()
    }

    fn office(tz: &str) -> BusinessCalendar {
        let days = ["mon", "tue", "wed", "thu", "fri"];
        let windows: Vec<(&str, &str, &str)> = days.iter().flat_map(|d| [(*d, "08:00", "12:00"), (*d, "13:00", "17:00")]).collect();
        BusinessCalendar::parse(tz, &windows, &["2026-04-30", "2026-05-01"]).unwrap()
    }

    #[test]
    fn counts_only_open_hours() {
        let c = office("Asia/Ho_Chi_Minh");
        let z = "Asia/Ho_Chi_Minh";
        // Monday 2026-03-02. 07:00 → 09:30: opens at 08:00, so 1 h 30.
        assert_eq!(c.business_millis(at(z, "2026-03-02 07:00"), at(z, "2026-03-02 09:30")), 90 * MINUTE);
        // Across the lunch break: 11:30 → 13:30 is 30 + 30 minutes.
        assert_eq!(c.business_millis(at(z, "2026-03-02 11:30"), at(z, "2026-03-02 13:30")), HOUR);
        // Friday 16:00 → Monday 09:00: 1 h on Friday, 1 h on Monday, nothing at the weekend.
        assert_eq!(c.business_millis(at(z, "2026-03-06 16:00"), at(z, "2026-03-09 09:00")), 2 * HOUR);
        // Entirely outside hours.
        assert_eq!(c.business_millis(at(z, "2026-03-07 10:00"), at(z, "2026-03-08 18:00")), 0);
        // Backwards or empty.
        assert_eq!(c.business_millis(at(z, "2026-03-02 10:00"), at(z, "2026-03-02 10:00")), 0);
        assert_eq!(c.business_millis(at(z, "2026-03-02 11:00"), at(z, "2026-03-02 10:00")), 0);
    }

    #[test]
    fn holidays_are_closed() {
        let c = office("Asia/Ho_Chi_Minh");
        let z = "Asia/Ho_Chi_Minh";
        // Wed 29 April 16:00 → Mon 4 May 09:00: Thu 30 April and Fri 1 May are holidays.
        assert_eq!(c.business_millis(at(z, "2026-04-29 16:00"), at(z, "2026-05-04 09:00")), 2 * HOUR);
    }

    #[test]
    fn clock_changes_keep_local_opening_hours() {
        let c = BusinessCalendar::parse("Europe/Warsaw", &[("sun", "00:00", "24:00"), ("mon", "09:00", "17:00")], &[]).unwrap();
        let z = "Europe/Warsaw";
        // 29 March 2026: clocks jump from 02:00 to 03:00, so that Sunday has 23 hours.
        assert_eq!(c.business_millis(at(z, "2026-03-29 00:00"), at(z, "2026-03-30 00:00")), 23 * HOUR);
        // 25 October 2026: 02:00–03:00 happens twice, so that Sunday has 25 hours.
        assert_eq!(c.business_millis(at(z, "2026-10-25 00:00"), at(z, "2026-10-26 00:00")), 25 * HOUR);
        // The Monday after still opens at 09:00 local (08:00 UTC in winter time).
        let monday = c.business_millis(at(z, "2026-10-26 08:00"), at(z, "2026-10-26 10:00"));
        assert_eq!(monday, HOUR);
    }

    #[test]
    fn refuses_bad_settings_with_the_reason() {
        assert_eq!(BusinessCalendar::parse("Mars/Base", &[("mon", "09:00", "17:00")], &[]).unwrap_err().field, "time_zone");
        assert_eq!(BusinessCalendar::parse("UTC", &[("funday", "09:00", "17:00")], &[]).unwrap_err().field, "week.day");
        assert_eq!(BusinessCalendar::parse("UTC", &[("mon", "9h", "17:00")], &[]).unwrap_err().field, "week.time");
        assert_eq!(BusinessCalendar::parse("UTC", &[("mon", "17:00", "09:00")], &[]).unwrap_err().field, "week.time");
        let overlap = BusinessCalendar::parse("UTC", &[("mon", "09:00", "13:00"), ("mon", "12:00", "17:00")], &[]).unwrap_err();
        assert!(overlap.message.contains("overlaps"), "{overlap}");
        assert_eq!(BusinessCalendar::parse("UTC", &[], &[]).unwrap_err().field, "week");
        assert_eq!(BusinessCalendar::parse("UTC", &[("mon", "09:00", "17:00")], &["1 May"]).unwrap_err().field, "holidays");
        assert_eq!(parse_clock("24:00"), Ok(1440));
        assert!(parse_clock("24:30").is_err());
    }
}
