//! Row shapes as both backends return them (plain integers, text and
//! booleans), and their conversion into the store's records.

use rapport_domain::{Channel, CustomFieldKind, Locale, MessageKind, Priority, Role, TicketStatus, Timestamp};
use rapport_store::model::*;
use rapport_store::{Result, StoreError};

/// Parses a column that holds one of the domain's string enums. A value the
/// domain does not know is data corruption, reported as a storage error.
fn col<T>(value: &str, parse: impl Fn(&str) -> std::result::Result<T, rapport_domain::DomainError>) -> Result<T> {
    parse(value).map_err(|e| StoreError::Other(format!("corrupt column value: {e}")))
}

fn opt_col<T>(value: Option<&str>, parse: impl Fn(&str) -> std::result::Result<T, rapport_domain::DomainError>) -> Result<Option<T>> {
    value.map(|v| col(v, parse)).transpose()
}

fn json_col<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Other(format!("corrupt JSON column: {e}")))
}

fn ts(v: Option<i64>) -> Option<Timestamp> {
    v.map(Timestamp)
}

#[derive(sqlx::FromRow)]
pub struct WorkspaceRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub created_at: i64,
}

impl WorkspaceRow {
    pub fn into_model(self) -> Workspace {
        Workspace { id: self.id, name: self.name, slug: self.slug, created_at: Timestamp(self.created_at) }
    }
}

#[derive(sqlx::FromRow)]
pub struct BrandRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub default_locale: String,
    pub created_at: i64,
}

impl BrandRow {
    pub fn into_model(self) -> Result<Brand> {
        Ok(Brand {
            id: self.id,
            name: self.name,
            slug: self.slug,
            default_locale: col(&self.default_locale, Locale::parse)?,
            created_at: Timestamp(self.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub locale: String,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRow {
    pub fn into_model(self, team_ids: Vec<i64>) -> Result<User> {
        Ok(User {
            id: self.id,
            workspace_id: self.workspace_id,
            email: self.email,
            name: self.name,
            role: col(&self.role, Role::parse)?,
            locale: col(&self.locale, Locale::parse)?,
            active: self.active,
            team_ids,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub restricted: bool,
    pub created_at: i64,
}

impl TeamRow {
    pub fn into_model(self, member_ids: Vec<i64>) -> Team {
        Team { id: self.id, name: self.name, restricted: self.restricted, member_ids, created_at: Timestamp(self.created_at) }
    }
}

#[derive(sqlx::FromRow)]
pub struct TagRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

impl TagRow {
    pub fn into_model(self) -> Tag {
        Tag { id: self.id, name: self.name, created_at: Timestamp(self.created_at) }
    }
}

#[derive(sqlx::FromRow)]
pub struct CustomFieldRow {
    pub id: i64,
    pub key: String,
    pub label: String,
    pub kind: String,
    pub options: String,
    pub created_at: i64,
}

impl CustomFieldRow {
    pub fn into_model(self) -> Result<CustomFieldDef> {
        Ok(CustomFieldDef {
            id: self.id,
            key: self.key,
            label: self.label,
            kind: col(&self.kind, CustomFieldKind::parse)?,
            options: json_col(&self.options)?,
            created_at: Timestamp(self.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ContactRow {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub locale: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ContactRow {
    pub fn into_model(self, organization_ids: Vec<i64>) -> Result<Contact> {
        Ok(Contact {
            id: self.id,
            name: self.name,
            email: self.email,
            phone: self.phone,
            locale: opt_col(self.locale.as_deref(), Locale::parse)?,
            organization_ids,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: i64,
    pub name: String,
    pub domain: Option<String>,
    pub notes: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl OrganizationRow {
    pub fn into_model(self) -> Organization {
        Organization {
            id: self.id,
            name: self.name,
            domain: self.domain,
            notes: self.notes,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        }
    }
}

pub const TICKET_COLUMNS: &str = "t.id, t.brand_id, t.subject, t.status, t.priority, t.channel, t.language, \
    t.requester_id, t.assignee_id, t.team_id, t.tags, t.custom_fields, t.followup_of, t.mailbox_id, t.merged_into_id, t.created_at, t.updated_at, \
    t.first_response_at, t.solved_at, t.closed_at, t.reopened_count";

#[derive(sqlx::FromRow, Clone)]
pub struct TicketRow {
    pub id: i64,
    pub brand_id: Option<i64>,
    pub subject: String,
    pub status: String,
    pub priority: String,
    pub channel: String,
    pub language: Option<String>,
    pub requester_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub team_id: Option<i64>,
    pub tags: String,
    pub custom_fields: String,
    pub followup_of: Option<i64>,
    pub mailbox_id: Option<i64>,
    pub merged_into_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub first_response_at: Option<i64>,
    pub solved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub reopened_count: i64,
}

impl TicketRow {
    pub fn into_model(self) -> Result<Ticket> {
        Ok(Ticket {
            id: self.id,
            brand_id: self.brand_id,
            subject: self.subject,
            status: col(&self.status, TicketStatus::parse)?,
            priority: col(&self.priority, Priority::parse)?,
            channel: col(&self.channel, Channel::parse)?,
            language: opt_col(self.language.as_deref(), Locale::parse)?,
            requester_id: self.requester_id,
            assignee_id: self.assignee_id,
            team_id: self.team_id,
            tags: json_col(&self.tags)?,
            custom_fields: json_col(&self.custom_fields)?,
            followup_of: self.followup_of,
            mailbox_id: self.mailbox_id,
            merged_into: self.merged_into_id,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
            first_response_at: ts(self.first_response_at),
            solved_at: ts(self.solved_at),
            closed_at: ts(self.closed_at),
            reopened_count: self.reopened_count,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub ticket_id: i64,
    pub kind: String,
    pub author_user_id: Option<i64>,
    pub author_contact_id: Option<i64>,
    pub body_text: String,
    pub body_html: String,
    pub display_text: Option<String>,
    pub delivery_status: Option<String>,
    pub created_at: i64,
}

impl MessageRow {
    pub fn into_model(self, attachments: Vec<Attachment>) -> Result<Message> {
        Ok(Message {
            id: self.id,
            ticket_id: self.ticket_id,
            kind: col(&self.kind, MessageKind::parse)?,
            author_user_id: self.author_user_id,
            author_contact_id: self.author_contact_id,
            body_text: self.body_text,
            body_html: self.body_html,
            display_text: self.display_text,
            delivery_status: self.delivery_status,
            attachments,
            created_at: Timestamp(self.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub message_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

impl AttachmentRow {
    pub fn into_model(self) -> Attachment {
        Attachment { id: self.id, filename: self.filename, content_type: self.content_type, size: self.size, sha256: self.sha256 }
    }
}

#[derive(sqlx::FromRow)]
pub struct RawInboundRow {
    pub id: i64,
    pub channel: String,
    pub source_key: String,
    pub size: i64,
    pub status: String,
    pub error: Option<String>,
    pub received_at: i64,
    pub processed_at: Option<i64>,
}

impl RawInboundRow {
    pub fn into_model(self) -> Result<RawInbound> {
        Ok(RawInbound {
            id: self.id,
            channel: col(&self.channel, Channel::parse)?,
            source_key: self.source_key,
            size: self.size,
            status: self.status,
            error: self.error,
            received_at: Timestamp(self.received_at),
            processed_at: ts(self.processed_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub actor_user_id: Option<i64>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: i64,
    pub details: String,
    pub created_at: i64,
}

impl AuditRow {
    pub fn into_model(self) -> Result<AuditEntry> {
        Ok(AuditEntry {
            id: self.id,
            actor_user_id: self.actor_user_id,
            action: self.action,
            entity_type: self.entity_type,
            entity_id: self.entity_id,
            details: json_col(&self.details)?,
            created_at: Timestamp(self.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl ApiTokenRow {
    pub fn into_model(self) -> ApiToken {
        ApiToken {
            id: self.id,
            user_id: self.user_id,
            name: self.name,
            prefix: self.prefix,
            created_at: Timestamp(self.created_at),
            last_used_at: ts(self.last_used_at),
        }
    }
}

/// Lowercased text that `ListQuery::q` matches against (name, email, phone, domain).
pub fn search_text(parts: &[Option<&str>]) -> String {
    parts.iter().flatten().map(|p| p.to_lowercase()).collect::<Vec<_>>().join(" ")
}
