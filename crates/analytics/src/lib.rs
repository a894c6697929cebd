//! What Rapport measures, and how: every KPI is a documented, pure function
//! over plain rows (see `docs/kpi.md` for the definitions in prose).
//!
//! - [`calendar`]: business hours in a time zone, with holidays;
//! - [`stats`]: median, percentiles, means, rates;
//! - [`ticket`]: one ticket's facts (FRT, TTR net of pauses, FCR...) from its history;
//! - [`service`]: the service KPIs over many tickets' facts, and which tickets each figure counts;
//! - [`experience`]: CSAT, NPS and CES over survey responses, and which responses each figure counts;
//! - [`scorecard`]: the same figures per agent and per team;
//! - [`trend`]: bucketing by local day or week;
//! - [`chart`]: server-side SVG charts (lines, bars, the NPS breakdown).
//!
//! Nothing here does IO; the store fetches the rows and the web layer shows the results.

pub mod calendar;
pub mod chart;
pub mod experience;
pub mod period;
pub mod scorecard;
pub mod service;
pub mod stats;
pub mod ticket;
pub mod trend;

pub use calendar::BusinessCalendar;
pub use period::Period;

/// Milliseconds, as everywhere in Rapport.
pub type Millis = i64;

pub const MINUTE: Millis = 60_000;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;
