//! What the metrics API and the report pages share: the scope of a report
//! (period in the workspace's time zone, filters) read from a query string,
//! loading the rows (after folding in late changes), drill-down lists, and
//! tables that render as HTML or CSV. The KPI definitions themselves live in
//! `rapport-analytics`.

pub mod drill;
pub mod load;
pub mod scope;
pub mod table;

pub use scope::{ReportParams, Scope};
