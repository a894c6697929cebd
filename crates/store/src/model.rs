//! Records the store returns and the inputs it takes. Records serialise as the
//! API's JSON; inputs reject unknown fields so a typo is an error, not a no-op.

use rapport_domain::{Channel, CustomFieldKind, Id, Locale, MessageKind, Priority, Role, TicketStatus, Timestamp};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// Distinguishes "field absent" (`None`) from "field set to null" (`Some(None)`) in patches.
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

// ---------------------------------------------------------------- tenancy

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Workspace {
    pub id: Id,
    pub name: String,
    pub slug: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Brand {
    pub id: Id,
    pub name: String,
    pub slug: String,
    pub default_locale: Locale,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBrand {
    pub name: String,
    pub slug: String,
    pub default_locale: Option<Locale>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandPatch {
    pub name: Option<String>,
    pub default_locale: Option<Locale>,
}

// ---------------------------------------------------------------- directory

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: Id,
    pub workspace_id: Id,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    pub active: bool,
    pub team_ids: Vec<Id>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Option<Locale>,
    /// Plain-text password; hashed with argon2id before it reaches the store.
    pub password: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub locale: Option<Locale>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Team {
    pub id: Id,
    pub name: String,
    /// Tickets of a restricted team are visible only to its members and admins.
    pub restricted: bool,
    pub member_ids: Vec<Id>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub name: String,
    #[serde(default)]
    pub restricted: bool,
    #[serde(default)]
    pub member_ids: Vec<Id>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    pub name: Option<String>,
    pub restricted: Option<bool>,
    /// Replaces the member list.
    pub member_ids: Option<Vec<Id>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Tag {
    pub id: Id,
    pub name: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomFieldDef {
    pub id: Id,
    pub key: String,
    pub label: String,
    pub kind: CustomFieldKind,
    pub options: Vec<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomField {
    pub key: String,
    pub label: String,
    pub kind: CustomFieldKind,
    #[serde(default)]
    pub options: Vec<String>,
}

// ---------------------------------------------------------------- people

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contact {
    pub id: Id,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub locale: Option<Locale>,
    pub organization_ids: Vec<Id>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub locale: Option<Locale>,
    #[serde(default)]
    pub organization_ids: Vec<Id>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Locale>)]
    pub locale: Option<Option<Locale>>,
    /// Replaces the contact's organizations.
    pub organization_ids: Option<Vec<Id>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Organization {
    pub id: Id,
    pub name: String,
    pub domain: Option<String>,
    pub notes: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganization {
    pub name: String,
    pub domain: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub domain: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

// ---------------------------------------------------------------- tickets

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ticket {
    pub id: Id,
    pub brand_id: Option<Id>,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub channel: Channel,
    pub language: Option<Locale>,
    pub requester_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub team_id: Option<Id>,
    pub tags: Vec<String>,
    #[schema(value_type = Object)]
    pub custom_fields: Map<String, Value>,
    /// The closed ticket this one follows up, if any.
    pub followup_of: Option<Id>,
    /// For email tickets: the mailbox the conversation runs through.
    pub mailbox_id: Option<Id>,
    /// Set when this ticket was merged into another one.
    pub merged_into: Option<Id>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When an agent first replied publicly; never cleared once set.
    pub first_response_at: Option<Timestamp>,
    /// The last time the ticket was solved.
    pub solved_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub reopened_count: i64,
}

/// The first message of a new ticket.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstMessage {
    /// Plain text. At least one of `body` and `html` is required.
    pub body: Option<String>,
    /// HTML; sanitised before it is stored.
    pub html: Option<String>,
    /// Defaults to `public`.
    pub kind: Option<MessageKind>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    pub subject: String,
    pub brand_id: Option<Id>,
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
    pub language: Option<Locale>,
    pub requester_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub team_id: Option<Id>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom_fields: Map<String, Value>,
    /// Follow up a closed ticket.
    pub followup_of: Option<Id>,
    pub message: Option<FirstMessage>,
}

impl NewTicket {
    pub fn new(subject: impl Into<String>) -> Self {
        NewTicket {
            subject: subject.into(),
            brand_id: None,
            status: None,
            priority: None,
            channel: None,
            language: None,
            requester_id: None,
            assignee_id: None,
            team_id: None,
            tags: vec![],
            custom_fields: Map::new(),
            followup_of: None,
            message: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketPatch {
    pub subject: Option<String>,
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Locale>)]
    pub language: Option<Option<Locale>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub requester_id: Option<Option<Id>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<Id>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<Option<Id>>,
    /// Replaces all tags.
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub add_tags: Vec<String>,
    #[serde(default)]
    pub remove_tags: Vec<String>,
    /// Merged into the existing values; `null` removes a field.
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Nobody,
    User(Id),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TicketSortField {
    CreatedAt,
    #[default]
    UpdatedAt,
    Priority,
    Id,
}

#[derive(Debug, Clone, Default)]
pub struct TicketQuery {
    pub statuses: Vec<TicketStatus>,
    pub assignee: Option<AssigneeFilter>,
    pub team_id: Option<Id>,
    pub tag: Option<String>,
    pub channel: Option<Channel>,
    pub brand_id: Option<Id>,
    pub requester_id: Option<Id>,
    pub organization_id: Option<Id>,
    pub updated_since: Option<Timestamp>,
    pub priorities: Vec<Priority>,
    pub language: Option<Locale>,
    /// Tickets in this SLA state as of the given time (usually now).
    pub sla: Option<(rapport_domain::sla::SlaState, Timestamp)>,
    pub sort: TicketSortField,
    pub descending: bool,
    pub cursor: Option<crate::Cursor>,
    pub limit: usize,
}

// ---------------------------------------------------------------- messages

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attachment {
    pub id: Id,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// Content address in blob storage.
    pub sha256: String,
}

/// An attachment whose bytes are already in blob storage.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Message {
    pub id: Id,
    pub ticket_id: Id,
    pub kind: MessageKind,
    pub author_user_id: Option<Id>,
    pub author_contact_id: Option<Id>,
    pub body_text: String,
    /// Sanitised HTML, safe to show.
    pub body_html: String,
    /// For mail: the text with quoted history and signature trimmed (the full text is `body_text`).
    pub display_text: Option<String>,
    /// For mail replies: `queued`, `retrying`, `sent` or `failed`.
    pub delivery_status: Option<String>,
    pub attachments: Vec<Attachment>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub kind: MessageKind,
    /// `None`: written by the acting user. `Some`: written by this contact (a customer).
    pub author_contact_id: Option<Id>,
    pub body_text: String,
    /// Already sanitised.
    pub body_html: String,
    pub attachments: Vec<NewAttachment>,
}

// ---------------------------------------------------------------- inbound, audit, auth

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RawInbound {
    pub id: Id,
    pub channel: Channel,
    /// What makes this payload unique within its channel (mailbox + UID, Message-ID, external id).
    pub source_key: String,
    pub size: i64,
    pub status: String,
    pub error: Option<String>,
    pub received_at: Timestamp,
    pub processed_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: Id,
    pub actor_user_id: Option<Id>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Id,
    #[schema(value_type = Object)]
    pub details: Value,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiToken {
    pub id: Id,
    pub user_id: Id,
    pub name: String,
    /// The first characters of the token, to recognise it in a list.
    pub prefix: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A plain list query for people and directory records, newest id last.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Case-insensitive substring of name or email.
    pub q: Option<String>,
    pub organization_id: Option<Id>,
    pub updated_since: Option<Timestamp>,
    pub cursor: Option<crate::Cursor>,
    pub limit: usize,
}
