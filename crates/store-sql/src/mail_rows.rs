//! Row shapes of the email tables.

use rapport_domain::Timestamp;
use rapport_store::mail::{Mailbox, MailboxSecrets, Outbound, OutboundKind, OutboundStatus, Security};
use rapport_store::{Result, StoreError};

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt column value: {e}"))
}

#[derive(sqlx::FromRow)]
pub struct MailboxRow {
    pub id: i64,
    pub workspace_id: i64,
    pub brand_id: Option<i64>,
    pub name: String,
    pub address: String,
    pub imap_host: String,
    pub imap_port: i64,
    pub imap_security: String,
    pub imap_username: String,
    pub imap_password_enc: String,
    pub imap_folder: String,
    pub smtp_host: String,
    pub smtp_port: i64,
    pub smtp_security: String,
    pub smtp_username: String,
    pub smtp_password_enc: String,
    pub from_name: String,
    pub reply_to: Option<String>,
    pub max_message_bytes: i64,
    pub active: bool,
    pub allow_remote_images: bool,
    pub uid_validity: Option<i64>,
    pub last_uid: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl MailboxRow {
    pub fn into_secrets(self) -> Result<MailboxSecrets> {
        let mailbox = Mailbox {
            id: self.id,
            brand_id: self.brand_id,
            name: self.name,
            address: self.address,
            imap_host: self.imap_host,
            imap_port: self.imap_port,
            imap_security: Security::parse(&self.imap_security).map_err(corrupt)?,
            imap_username: self.imap_username,
            imap_folder: self.imap_folder,
            smtp_host: self.smtp_host,
            smtp_port: self.smtp_port,
            smtp_security: Security::parse(&self.smtp_security).map_err(corrupt)?,
            smtp_username: self.smtp_username,
            from_name: self.from_name,
            reply_to: self.reply_to,
            max_message_bytes: self.max_message_bytes,
            active: self.active,
            allow_remote_images: self.allow_remote_images,
            last_error: self.last_error,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        };
        Ok(MailboxSecrets {
            mailbox,
            workspace_id: self.workspace_id,
            imap_password_enc: self.imap_password_enc,
            smtp_password_enc: self.smtp_password_enc,
            uid_validity: self.uid_validity,
            last_uid: self.last_uid,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct OutboundRow {
    pub id: i64,
    pub workspace_id: i64,
    pub mailbox_id: i64,
    pub ticket_id: Option<i64>,
    pub message_id: Option<i64>,
    pub kind: String,
    pub recipients: String,
    pub message_id_header: String,
    pub raw: Vec<u8>,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

impl OutboundRow {
    pub fn into_model(self) -> Result<Outbound> {
        Ok(Outbound {
            id: self.id,
            workspace_id: self.workspace_id,
            mailbox_id: self.mailbox_id,
            ticket_id: self.ticket_id,
            message_id: self.message_id,
            kind: OutboundKind::parse(&self.kind).map_err(corrupt)?,
            recipients: serde_json::from_str(&self.recipients).map_err(corrupt)?,
            message_id_header: self.message_id_header,
            raw: self.raw,
            status: OutboundStatus::parse(&self.status).map_err(corrupt)?,
            attempts: self.attempts,
            next_attempt_at: Timestamp(self.next_attempt_at),
            last_error: self.last_error,
            created_at: Timestamp(self.created_at),
            sent_at: self.sent_at.map(Timestamp),
        })
    }
}
