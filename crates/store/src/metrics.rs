//! Storage for measurement: business hours, time entries, ticket status
//! history, importing tickets with their past, and the per-ticket facts the
//! KPIs are computed from (`rapport-analytics` holds the definitions).
//!
//! Facts are kept per ticket and marked out of date by database triggers in
//! the same transaction as any change to the ticket or its messages;
//! [`MetricsStore::refresh_ticket_facts`] recomputes the marked ones. Readers
//! refresh before they read, so a figure never misses a late change.

use crate::model::Ticket;
use crate::Result;
use async_trait::async_trait;
use rapport_analytics::service::{FactRow, TimeEntryRow};
use rapport_analytics::Period;
use rapport_domain::{Actor, Channel, Id, Locale, MessageKind, Priority, TicketStatus, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One opening window of a weekday, in local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningWindow {
    /// `mon` … `sun`.
    pub day: String,
    /// `09:00`.
    pub from: String,
    /// `17:30`; `24:00` for the end of the day.
    pub to: String,
}

/// The workspace's business hours: when the clock of business-time figures runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// IANA time zone, e.g. `Asia/Ho_Chi_Minh`, `Europe/Warsaw`.
    pub time_zone: String,
    pub week: Vec<OpeningWindow>,
    /// Closed days, `YYYY-MM-DD`.
    #[serde(default)]
    pub holidays: Vec<String>,
}

impl BusinessHours {
    /// The calendar these hours describe, or why they are not valid.
    pub fn calendar(&self) -> std::result::Result<rapport_analytics::BusinessCalendar, rapport_analytics::calendar::CalendarError> {
        let windows: Vec<(&str, &str, &str)> = self.week.iter().map(|w| (w.day.as_str(), w.from.as_str(), w.to.as_str())).collect();
        let holidays: Vec<&str> = self.holidays.iter().map(String::as_str).collect();
        rapport_analytics::BusinessCalendar::parse(&self.time_zone, &windows, &holidays)
    }
}

rapport_domain::string_enum!(
    /// How a time entry was made: typed in by the agent, or measured by the desk.
    TimeSource, "source" { Manual = "manual", Tracked = "tracked" }
);

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimeEntry {
    pub id: Id,
    pub ticket_id: Id,
    pub user_id: Id,
    pub started_at: Timestamp,
    pub duration_seconds: i64,
    pub source: TimeSource,
    pub note: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTimeEntry {
    /// 1 second to 12 hours.
    pub duration_seconds: i64,
    /// When the work began; defaults to `duration_seconds` before now.
    pub started_at: Option<Timestamp>,
    pub source: Option<TimeSource>,
    pub note: Option<String>,
}

/// A status the ticket entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatusChange {
    pub from: Option<TicketStatus>,
    pub to: TicketStatus,
    pub at: Timestamp,
}

/// Who wrote an imported message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportedAuthor {
    Customer(Id),
    Agent(Id),
}

/// Something that happened to an imported ticket, in time order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ImportedEvent {
    Message { at: Timestamp, kind: MessageKind, author: ImportedAuthor, body: String },
    Status { at: Timestamp, to: TicketStatus },
}

/// A ticket with its past, as an importer (or the demo) brings it in. The
/// same rules as live work apply: an agent's public reply stamps the first
/// response and opens a new ticket, a customer's message reopens a solved one,
/// status changes must be allowed transitions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportedTicket {
    pub subject: String,
    pub created_at: Timestamp,
    pub brand_id: Option<Id>,
    pub channel: Channel,
    pub language: Option<Locale>,
    pub priority: Option<Priority>,
    pub requester_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub team_id: Option<Id>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub events: Vec<ImportedEvent>,
}

/// What a report covers: a period and optional filters. An agent filter
/// means tickets assigned to the agent (time entries they logged, survey
/// answers about them); an organization filter means tickets whose requester
/// belongs to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsFilter {
    pub period: Period,
    pub brand_id: Option<Id>,
    pub team_id: Option<Id>,
    pub agent_id: Option<Id>,
    pub channel: Option<Channel>,
    pub language: Option<Locale>,
    pub organization_id: Option<Id>,
}

impl MetricsFilter {
    pub fn new(period: Period) -> Self {
        MetricsFilter { period, brand_id: None, team_id: None, agent_id: None, channel: None, language: None, organization_id: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct RefreshOutcome {
    /// Tickets whose facts were recomputed.
    pub refreshed: usize,
    /// Tickets still waiting (capped at 10,001).
    pub remaining: usize,
}

/// A ticket as a drill-down list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TicketBrief {
    pub id: Id,
    pub subject: String,
    pub status: TicketStatus,
    pub channel: Channel,
    pub assignee_id: Option<Id>,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait MetricsStore: Send + Sync {
    /// The workspace's business hours, if set (any staff member may read them).
    async fn business_hours(&self, actor: &Actor) -> Result<Option<BusinessHours>>;
    /// Sets (or with `None` clears) the business hours; admins only. Every
    /// ticket's business-time facts are recomputed afterwards.
    async fn set_business_hours(&self, actor: &Actor, hours: Option<&BusinessHours>) -> Result<Option<BusinessHours>>;

    async fn add_time_entry(&self, actor: &Actor, ticket_id: Id, input: &NewTimeEntry) -> Result<TimeEntry>;
    async fn list_time_entries(&self, actor: &Actor, ticket_id: Id) -> Result<Vec<TimeEntry>>;
    /// One's own entries; admins any.
    async fn delete_time_entry(&self, actor: &Actor, id: Id) -> Result<()>;

    /// Every status the ticket entered, oldest first.
    async fn ticket_status_history(&self, actor: &Actor, ticket_id: Id) -> Result<Vec<StatusChange>>;

    /// Creates a ticket with its past (admins only).
    async fn import_ticket(&self, actor: &Actor, input: &ImportedTicket) -> Result<Ticket>;

    /// Recomputes up to `limit` out-of-date ticket facts, of one workspace or
    /// of all. No actor: a background job and the readers below call it.
    async fn refresh_ticket_facts(&self, workspace_id: Option<Id>, limit: usize) -> Result<RefreshOutcome>;

    /// The facts of every ticket the actor may see that falls in any cohort of
    /// the period (created, first answered, resolved or first solved in it, or
    /// with time logged in it) or is unresolved now, after the filters.
    async fn fact_rows(&self, actor: &Actor, filter: &MetricsFilter) -> Result<Vec<FactRow>>;
    /// Time logged in the period on tickets the actor may see, after the filters.
    async fn time_entry_rows(&self, actor: &Actor, filter: &MetricsFilter) -> Result<Vec<TimeEntryRow>>;
    /// Subjects and states of the given tickets, those the actor may see, in the given order.
    async fn ticket_briefs(&self, actor: &Actor, ids: &[Id]) -> Result<Vec<TicketBrief>>;
}
