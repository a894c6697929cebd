//! Storage for canned replies and macros.
//!
//! - A canned reply is a text in one or more languages with placeholders. It
//!   is shared (managed by admins, seen by everyone in the workspace) or
//!   personal (seen and managed only by its owner).
//! - A macro is a named list of actions applied to a ticket at once: a reply
//!   or note, status, priority, tags, assignee and team.

use crate::model::{Message, Ticket};
use crate::Result;
use async_trait::async_trait;
use rapport_domain::canned::LocalizedText;
use rapport_domain::{Actor, Id, Locale, MessageKind, Priority, TicketStatus, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CannedReply {
    pub id: Id,
    pub name: String,
    /// Typed in the reply box to insert the reply, e.g. `thanks`.
    pub shortcut: Option<String>,
    /// The text per language (`vi`, `pl`, `en`); at least one.
    #[schema(value_type = Object)]
    pub bodies: LocalizedText,
    /// `None`: shared with the workspace. `Some`: the one user who owns it.
    pub owner_user_id: Option<Id>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CannedReplyInput {
    pub name: String,
    pub shortcut: Option<String>,
    /// The text per language (`vi`, `pl`, `en`); at least one must be non-empty.
    #[schema(value_type = Object)]
    pub bodies: LocalizedText,
    /// Shared with the workspace (admins only), or personal to its author (the default).
    #[serde(default)]
    pub shared: bool,
}

/// A canned reply filled in for one ticket.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RenderedReply {
    pub canned_reply_id: Id,
    pub ticket_id: Id,
    /// The language variant that was used.
    pub locale: Locale,
    /// Plain text with the placeholders replaced.
    pub text: String,
    /// The text as safe HTML.
    pub html: String,
}

/// One thing a macro does to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum MacroAction {
    /// Adds a public reply or an internal note; the variant is picked by the
    /// ticket's language and placeholders are filled in as for canned replies.
    Reply {
        /// `public` or `note`.
        kind: MessageKind,
        #[schema(value_type = Object)]
        bodies: LocalizedText,
    },
    SetStatus {
        status: TicketStatus,
    },
    SetPriority {
        priority: Priority,
    },
    AddTags {
        tags: Vec<String>,
    },
    RemoveTags {
        tags: Vec<String>,
    },
    /// Assigns to a user; `null` unassigns.
    AssignUser {
        user_id: Option<Id>,
    },
    /// Assigns to a team; `null` removes the team.
    AssignTeam {
        team_id: Option<Id>,
    },
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Macro {
    pub id: Id,
    pub name: String,
    pub actions: Vec<MacroAction>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MacroInput {
    pub name: String,
    pub actions: Vec<MacroAction>,
}

/// What applying a macro did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MacroApplied {
    /// The ticket after every action.
    pub ticket: Ticket,
    /// The replies and notes the macro added, in order.
    pub messages: Vec<Message>,
}

#[async_trait]
pub trait RepliesStore: Send + Sync {
    /// Shared canned replies, or personal ones of the actor; viewers may not create any.
    async fn create_canned_reply(&self, actor: &Actor, input: &CannedReplyInput) -> Result<CannedReply>;
    /// A shared reply, or one of the actor's own; anything else is not found.
    async fn get_canned_reply(&self, actor: &Actor, id: Id) -> Result<CannedReply>;
    /// The shared replies and the actor's own, by name.
    async fn list_canned_replies(&self, actor: &Actor) -> Result<Vec<CannedReply>>;
    /// Shared replies are changed by admins, personal ones by their owner.
    async fn update_canned_reply(&self, actor: &Actor, id: Id, input: &CannedReplyInput) -> Result<CannedReply>;
    async fn delete_canned_reply(&self, actor: &Actor, id: Id) -> Result<()>;
    /// The reply filled in for a ticket the actor may see, in the ticket's
    /// language (else the actor's, else any).
    async fn render_canned_reply(&self, actor: &Actor, ticket_id: Id, canned_reply_id: Id) -> Result<RenderedReply>;

    /// Macros are managed by admins and seen by everyone who reads tickets.
    async fn create_macro(&self, actor: &Actor, input: &MacroInput) -> Result<Macro>;
    async fn get_macro(&self, actor: &Actor, id: Id) -> Result<Macro>;
    async fn list_macros(&self, actor: &Actor) -> Result<Vec<Macro>>;
    async fn update_macro(&self, actor: &Actor, id: Id, input: &MacroInput) -> Result<Macro>;
    async fn delete_macro(&self, actor: &Actor, id: Id) -> Result<()>;
    /// Applies every action of a macro to a ticket in one transaction: the
    /// replies first (as `add_message` would), then the ticket changes (as
    /// `update_ticket` would, with their audit entries and system events).
    /// Either all of it happens or none.
    async fn apply_macro(&self, actor: &Actor, ticket_id: Id, macro_id: Id) -> Result<MacroApplied>;
}
