//! Storage for the email channel: mailboxes, threading lookups, the one
//! transaction that turns a parsed inbound mail into a ticket or a reply, and
//! the durable outbound queue.

use crate::model::NewAttachment;
use crate::Result;
use async_trait::async_trait;
use rapport_domain::{Actor, Id, Locale, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

rapport_domain::string_enum!(
    /// How a mail connection is secured: implicit TLS, STARTTLS, or none (tests, local relays).
    Security, "security" { Tls = "tls", StartTls = "starttls", Plain = "plain" }
);

/// A mailbox as the API shows it: no secrets.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mailbox {
    pub id: Id,
    pub brand_id: Option<Id>,
    pub name: String,
    /// The support address customers write to, e.g. `support@example.com`.
    pub address: String,
    pub imap_host: String,
    pub imap_port: i64,
    pub imap_security: Security,
    pub imap_username: String,
    pub imap_folder: String,
    pub smtp_host: String,
    pub smtp_port: i64,
    pub smtp_security: Security,
    pub smtp_username: String,
    pub from_name: String,
    pub reply_to: Option<String>,
    /// Larger mails are kept as raw, not turned into tickets, and answered with a notice.
    pub max_message_bytes: i64,
    pub active: bool,
    /// Show remote images in this mailbox's mail (default: blocked, so
    /// senders cannot see who reads their mail and when).
    pub allow_remote_images: bool,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A mailbox with its encrypted credentials, for the fetcher and the sender.
#[derive(Debug, Clone)]
pub struct MailboxSecrets {
    pub mailbox: Mailbox,
    pub workspace_id: Id,
    pub imap_password_enc: String,
    pub smtp_password_enc: String,
    pub uid_validity: Option<i64>,
    pub last_uid: Option<i64>,
}

/// Mailbox input; passwords are already encrypted by the caller.
#[derive(Debug, Clone)]
pub struct MailboxInput {
    pub brand_id: Option<Id>,
    pub name: String,
    pub address: String,
    pub imap_host: String,
    pub imap_port: i64,
    pub imap_security: Security,
    pub imap_username: String,
    /// `None` on update: keep the stored one.
    pub imap_password_enc: Option<String>,
    pub imap_folder: String,
    pub smtp_host: String,
    pub smtp_port: i64,
    pub smtp_security: Security,
    pub smtp_username: String,
    pub smtp_password_enc: Option<String>,
    pub from_name: String,
    pub reply_to: Option<String>,
    pub max_message_bytes: i64,
    pub active: bool,
    pub allow_remote_images: bool,
}

/// What threading needs to know about a candidate ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadCandidate {
    pub ticket_id: Id,
    pub closed: bool,
    /// Lowercased emails of the requester and followers.
    pub participants: Vec<String>,
    pub email_secret: Option<String>,
}

/// A person on a mail: lowercased address and display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailPerson {
    pub email: String,
    pub name: Option<String>,
}

/// A parsed inbound mail, ready to be stored in one transaction.
#[derive(Debug, Clone)]
pub struct InboundEmail {
    pub raw_inbound_id: Id,
    pub mailbox_id: Id,
    pub brand_id: Option<Id>,
    /// Append to this ticket; `None`: open a new ticket.
    pub ticket_id: Option<Id>,
    pub from: MailPerson,
    /// CC (and other To) recipients who become followers of the ticket.
    pub followers: Vec<MailPerson>,
    pub subject: String,
    pub message_id_header: String,
    pub body_text: String,
    pub body_html: String,
    pub display_text: String,
    pub language: Option<Locale>,
    pub attachments: Vec<InboundAttachment>,
    pub received_at: Timestamp,
}

/// An attachment of an inbound mail, its bytes already in blob storage.
#[derive(Debug, Clone)]
pub struct InboundAttachment {
    pub file: NewAttachment,
    /// For an inline image: the Content-ID the HTML names it by (`cid:<id>`).
    pub content_id: Option<String>,
}

/// What showing a ticket's mail needs beyond the messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailDisplay {
    /// The ticket's mailbox allows remote images.
    pub allow_remote_images: bool,
    pub inline_images: Vec<InlineImage>,
}

/// An inline image of a message: the attachment its `cid:` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineImage {
    pub message_id: Id,
    pub content_id: String,
    pub attachment_id: Id,
}

/// A raw mail as [`MailStore::put_raw_mails`] left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMail {
    pub id: Id,
    /// Still to be processed: stored just now, or stored earlier and not
    /// processed yet (a crash in between). Processed and held mails are not.
    pub pending: bool,
}

/// The lookups threading makes. [`MailStore::store_inbound_batch`] answers
/// them inside its transaction, so they see the mails stored before in the batch.
#[async_trait]
pub trait ThreadLookup: Send {
    /// The ticket that owns any of these Message-IDs (ours or customers'), first match in order.
    async fn by_message_ids(&mut self, ids: &[String]) -> Result<Option<ThreadCandidate>>;
    async fn by_ticket(&mut self, ticket_id: Id) -> Result<Option<ThreadCandidate>>;
}

/// The email channel's rules for a batch of inbound mails, asked by
/// [`MailStore::store_inbound_batch`] while it stores them.
#[async_trait]
pub trait InboundRules: Send + Sync {
    /// The ticket the `index`th mail of the batch belongs to; `None`: a new ticket.
    async fn ticket_for(&self, index: usize, lookup: &mut dyn ThreadLookup) -> Result<Option<Id>>;
    /// What to send once the `index`th mail is stored (not for a duplicate):
    /// the acknowledgement of a new ticket. It is queued in the same
    /// transaction, so it is sent once, whatever crashes.
    fn reply_to_stored(&self, index: usize, stored: &InboundResult) -> Option<StoredReply>;
}

/// An automatic answer to a stored mail.
#[derive(Debug, Clone)]
pub struct StoredReply {
    /// Given to the ticket unless it has a reply secret already (the answer's Reply-To names it).
    pub ticket_secret: String,
    pub mail: NewOutbound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundResult {
    pub ticket_id: Id,
    pub message_id: Id,
    pub new_ticket: bool,
    /// The raw message was already stored as a message (a redelivery), or its
    /// Message-ID was already received in this workspace (the same mail
    /// reached us twice): nothing was written but the raw message marked
    /// processed. The ids are those of the earlier message.
    pub duplicate: bool,
    pub requester_id: Id,
}

rapport_domain::string_enum!(OutboundStatus, "status" { Queued = "queued", Sending = "sending", Sent = "sent", Failed = "failed" });

rapport_domain::string_enum!(
    /// Why a mail is sent.
    OutboundKind, "kind" { Reply = "reply", Acknowledgement = "acknowledgement", Notice = "notice", Notification = "notification" }
);

#[derive(Debug, Clone)]
pub struct NewOutbound {
    pub mailbox_id: Id,
    pub ticket_id: Option<Id>,
    pub message_id: Option<Id>,
    pub kind: OutboundKind,
    pub recipients: Vec<String>,
    pub message_id_header: String,
    /// The rendered RFC 5322 message, sent as is.
    pub raw: Vec<u8>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Outbound {
    pub id: Id,
    pub workspace_id: Id,
    pub mailbox_id: Id,
    pub ticket_id: Option<Id>,
    pub message_id: Option<Id>,
    pub kind: OutboundKind,
    pub recipients: Vec<String>,
    pub message_id_header: String,
    #[serde(skip)]
    pub raw: Vec<u8>,
    pub status: OutboundStatus,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// How one delivery attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryResult {
    Sent,
    Retry { at: Timestamp, error: String },
    Failed { error: String },
}

#[async_trait]
pub trait MailStore: Send + Sync {
    async fn create_mailbox(&self, actor: &Actor, input: &MailboxInput) -> Result<Mailbox>;
    async fn update_mailbox(&self, actor: &Actor, id: Id, input: &MailboxInput) -> Result<Mailbox>;
    async fn get_mailbox(&self, actor: &Actor, id: Id) -> Result<Mailbox>;
    async fn list_mailboxes(&self, actor: &Actor) -> Result<Vec<Mailbox>>;
    async fn delete_mailbox(&self, actor: &Actor, id: Id) -> Result<()>;
    /// Every active mailbox of every workspace, with credentials (for the fetcher).
    async fn active_mailboxes(&self) -> Result<Vec<MailboxSecrets>>;
    async fn mailbox_secrets(&self, mailbox_id: Id) -> Result<MailboxSecrets>;
    /// Records IMAP progress: the folder's UIDVALIDITY and the highest UID fully ingested.
    async fn set_mailbox_sync(&self, mailbox_id: Id, uid_validity: i64, last_uid: i64, error: Option<&str>) -> Result<()>;
    /// Records (or clears) the mailbox's last connection error, leaving its sync point alone.
    async fn set_mailbox_error(&self, mailbox_id: Id, error: Option<&str>) -> Result<()>;

    /// The ticket that owns any of these Message-IDs (ours or customers'), first match in order.
    async fn thread_by_message_ids(&self, workspace_id: Id, ids: &[String]) -> Result<Option<ThreadCandidate>>;
    async fn thread_candidate(&self, workspace_id: Id, ticket_id: Id) -> Result<Option<ThreadCandidate>>;
    /// For showing a ticket's messages (to anyone who may read the ticket):
    /// whether its mailbox allows remote images, and its inline images.
    async fn mail_display(&self, actor: &Actor, ticket_id: Id) -> Result<MailDisplay>;
    /// The Message-IDs of a ticket's mails, oldest first, for `References`.
    async fn thread_message_ids(&self, workspace_id: Id, ticket_id: Id) -> Result<Vec<String>>;
    /// The message made from a raw inbound mail, if there is one.
    async fn message_for_raw_inbound(&self, workspace_id: Id, raw_inbound_id: Id) -> Result<Option<Id>>;
    /// Whether a Message-ID was already received in this workspace.
    async fn inbound_message_id_seen(&self, workspace_id: Id, message_id_header: &str) -> Result<bool>;

    /// In one transaction: finds or creates the sender and followers as
    /// contacts, creates the ticket or appends to it (reopening it when
    /// solved), stores the message and its attachments, records the
    /// Message-ID, and marks the raw message processed. A second call for the
    /// same raw message, or a call for another raw message whose Message-ID
    /// was already received in the workspace, only marks the raw message
    /// processed and reports `duplicate`.
    async fn store_inbound_email(&self, workspace_id: Id, mail: &InboundEmail) -> Result<InboundResult>;

    /// Stores raw mails (`(source key, bytes)`) in one transaction, each once:
    /// a source key stored before keeps its first bytes. Returns them in order.
    async fn put_raw_mails(&self, workspace_id: Id, mails: &[(&str, &[u8])]) -> Result<Vec<RawMail>>;

    /// [`MailStore::store_inbound_email`] for each mail in order, all in one
    /// transaction (one commit for the batch). With `rules`, each mail's
    /// ticket is the one they choose, from lookups that see the mails stored
    /// before it in the batch, and their replies are queued; without, it is
    /// the mail's `ticket_id`.
    async fn store_inbound_batch(
        &self,
        workspace_id: Id,
        mails: &[InboundEmail],
        rules: Option<&dyn InboundRules>,
    ) -> Result<Vec<InboundResult>>;

    /// Gives a ticket its reply secret (for plus-addressing) if it has none, and returns it.
    async fn ticket_email_secret(&self, workspace_id: Id, ticket_id: Id, fresh: &str) -> Result<String>;
    async fn enqueue_outbound(&self, workspace_id: Id, mail: &NewOutbound) -> Result<Outbound>;
    /// Claims up to `limit` due mails (status queued, due now): they become
    /// `sending` with a lease until `lease_until`, after which an unfinished claim is due again.
    async fn claim_outbound(&self, now: Timestamp, lease_until: Timestamp, limit: i64) -> Result<Vec<Outbound>>;
    async fn finish_outbound(&self, id: Id, result: &DeliveryResult) -> Result<()>;
    async fn list_outbound(&self, actor: &Actor, ticket_id: Option<Id>, limit: i64) -> Result<Vec<Outbound>>;
}
