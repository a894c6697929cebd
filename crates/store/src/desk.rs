//! Storage for the agent desk: capped counts for inbox views, saved views,
//! notifications (mentions), merging tickets and splitting a message off, and
//! the change feed that live updates read.

use crate::model::{Ticket, TicketQuery};
use crate::Result;
use async_trait::async_trait;
use rapport_domain::{Actor, Id, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An inbox view someone saved: its filters as a query string.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SavedView {
    pub id: Id,
    /// `None`: shared with the workspace.
    pub user_id: Option<Id>,
    pub name: String,
    /// The inbox filters, e.g. `status=open&priority=high&language=pl`.
    pub filters: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSavedView {
    pub name: String,
    pub filters: String,
    /// Shared with the whole workspace (admins only) rather than personal.
    #[serde(default)]
    pub shared: bool,
}

rapport_domain::string_enum!(
    /// Why a user is notified.
    NotificationKind, "notification kind" { Mention = "mention", Assigned = "assigned" }
);

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notification {
    pub id: Id,
    pub kind: NotificationKind,
    pub ticket_id: Option<Id>,
    pub message_id: Option<Id>,
    /// Who caused it.
    pub actor_user_id: Option<Id>,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

/// A ticket that changed: what the live feed fans out. Readers check
/// visibility themselves before showing anything of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketChange {
    pub workspace_id: Id,
    pub ticket_id: Id,
    pub team_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub updated_at: Timestamp,
}

#[async_trait]
pub trait DeskStore: Send + Sync {
    /// How many tickets match, counting no further than `cap` (so a page load
    /// never counts a whole table); `cap + 1` means "more than cap".
    async fn count_tickets(&self, actor: &Actor, q: &TicketQuery, cap: usize) -> Result<usize>;

    /// The workspace's shared views and the actor's own.
    async fn list_saved_views(&self, actor: &Actor) -> Result<Vec<SavedView>>;
    async fn create_saved_view(&self, actor: &Actor, input: &NewSavedView) -> Result<SavedView>;
    /// One's own views; admins also shared ones.
    async fn delete_saved_view(&self, actor: &Actor, id: Id) -> Result<()>;

    /// Notifies users about a ticket. Users who may not see the ticket (a
    /// restricted team's) are skipped; returns who was notified.
    async fn notify(
        &self,
        actor: &Actor,
        kind: NotificationKind,
        ticket_id: Id,
        message_id: Option<Id>,
        user_ids: &[Id],
    ) -> Result<Vec<Id>>;
    /// The actor's notifications, newest first.
    async fn list_notifications(&self, actor: &Actor, unread_only: bool, limit: usize) -> Result<Vec<Notification>>;
    async fn unread_notification_count(&self, actor: &Actor) -> Result<i64>;
    /// Marks the actor's notifications read: the listed ones, or all.
    async fn mark_notifications_read(&self, actor: &Actor, ids: Option<&[Id]>) -> Result<()>;

    /// Merges `source` into `target`: its messages move over (in time order),
    /// mail replies to it thread into the target, it is closed and points at
    /// the target, and both get a system event. Returns the target.
    async fn merge_tickets(&self, actor: &Actor, source: Id, target: Id) -> Result<Ticket>;
    /// Moves one customer or agent message into a new ticket with the same
    /// requester, channel and brand; both tickets get a system event.
    /// Returns the new ticket.
    async fn split_message(&self, actor: &Actor, message_id: Id) -> Result<Ticket>;

    /// Tickets changed after `(updated_at, id)`, oldest first, across all
    /// workspaces (the caller filters). For the live feed only.
    async fn ticket_changes(&self, after: (Timestamp, Id), limit: usize) -> Result<Vec<TicketChange>>;
}
