//! Mailboxes (admins), deliveries of a ticket's mail, and reprocessing of held inbound mail.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_channels::email::ingest::{Ingestor, Outcome};
use rapport_domain::Permission;
use rapport_store::mail::{Mailbox, MailboxInput, Outbound, Security};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A mailbox's settings. Passwords are write-only: stored sealed, never returned;
/// on update, leave them out to keep the stored ones.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxBody {
    pub brand_id: Option<i64>,
    pub name: String,
    pub address: String,
    pub imap_host: String,
    pub imap_port: i64,
    pub imap_security: Security,
    pub imap_username: String,
    pub imap_password: Option<String>,
    #[serde(default = "inbox")]
    pub imap_folder: String,
    pub smtp_host: String,
    pub smtp_port: i64,
    pub smtp_security: Security,
    #[serde(default)]
    pub smtp_username: String,
    pub smtp_password: Option<String>,
    pub from_name: String,
    pub reply_to: Option<String>,
    /// Default 25 MB.
    pub max_message_bytes: Option<i64>,
    #[serde(default = "yes")]
    pub active: bool,
    /// Show remote images in this mailbox's mail; default false (blocked).
    #[serde(default)]
    pub allow_remote_images: bool,
}

fn inbox() -> String {
    "INBOX".into()
}

fn yes() -> bool {
    true
}

impl MailboxBody {
    fn into_input(self, s: &AppState) -> MailboxInput {
        MailboxInput {
            brand_id: self.brand_id,
            name: self.name,
            address: self.address,
            imap_host: self.imap_host,
            imap_port: self.imap_port,
            imap_security: self.imap_security,
            imap_username: self.imap_username,
            imap_password_enc: self.imap_password.map(|p| s.secrets.seal(&p)),
            imap_folder: self.imap_folder,
            smtp_host: self.smtp_host,
            smtp_port: self.smtp_port,
            smtp_security: self.smtp_security,
            smtp_username: self.smtp_username,
            smtp_password_enc: self.smtp_password.map(|p| s.secrets.seal(&p)),
            from_name: self.from_name,
            reply_to: self.reply_to,
            max_message_bytes: self.max_message_bytes.unwrap_or(25 * 1024 * 1024),
            active: self.active,
            allow_remote_images: self.allow_remote_images,
        }
    }
}

#[utoipa::path(get, path = "/mailboxes", tag = "email", responses((status = 200, body = Vec<Mailbox>), (status = 403, body = ErrorBody)))]
pub async fn list_mailboxes(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<Mailbox>>> {
    Ok(Json(s.store.list_mailboxes(&a.actor).await?))
}

/// Add a mailbox: IMAP for inbound, SMTP for outbound (admins only).
#[utoipa::path(post, path = "/mailboxes", tag = "email", request_body = MailboxBody,
    responses((status = 201, body = Mailbox), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_mailbox(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(b): ApiJson<MailboxBody>,
) -> ApiResult<(StatusCode, Json<Mailbox>)> {
    a.actor.require(Permission::ManageDirectory)?;
    let input = b.into_input(&s);
    Ok((StatusCode::CREATED, Json(s.store.create_mailbox(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/mailboxes/{id}", tag = "email", params(("id" = i64, Path)), responses((status = 200, body = Mailbox), (status = 404, body = ErrorBody)))]
pub async fn get_mailbox(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Mailbox>> {
    Ok(Json(s.store.get_mailbox(&a.actor, id).await?))
}

/// Replace a mailbox's settings.
#[utoipa::path(put, path = "/mailboxes/{id}", tag = "email", params(("id" = i64, Path)), request_body = MailboxBody,
    responses((status = 200, body = Mailbox), (status = 422, body = ErrorBody)))]
pub async fn update_mailbox(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(b): ApiJson<MailboxBody>,
) -> ApiResult<Json<Mailbox>> {
    a.actor.require(Permission::ManageDirectory)?;
    let input = b.into_input(&s);
    Ok(Json(s.store.update_mailbox(&a.actor, id, &input).await?))
}

#[utoipa::path(delete, path = "/mailboxes/{id}", tag = "email", params(("id" = i64, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_mailbox(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_mailbox(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The mail sent for a ticket, with its delivery state.
#[utoipa::path(get, path = "/tickets/{id}/deliveries", tag = "email", params(("id" = i64, Path)), responses((status = 200, body = Vec<Outbound>)))]
pub async fn list_deliveries(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Vec<Outbound>>> {
    Ok(Json(s.store.list_outbound(&a.actor, Some(id), 100).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReprocessResult {
    /// `new_ticket`, `reply`, `duplicate`, `bounce` or `held`.
    pub outcome: String,
    pub ticket_id: Option<i64>,
    /// Why the mail is held again, if it is.
    pub reason: Option<String>,
}

/// Process a held (or any) raw inbound mail again (admins only).
#[utoipa::path(post, path = "/raw-inbound/{id}/reprocess", tag = "email", params(("id" = i64, Path)),
    responses((status = 200, body = ReprocessResult), (status = 404, body = ErrorBody)))]
pub async fn reprocess_raw(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<ReprocessResult>> {
    Ok(Json(reprocess(&s, &a.actor, id).await?))
}

/// Processes a raw inbound mail again, for the API and the admin page.
pub(crate) async fn reprocess(s: &AppState, actor: &rapport_domain::Actor, id: i64) -> ApiResult<ReprocessResult> {
    actor.require(Permission::ReadAudit)?;
    let raw = s.store.raw_inbound(actor.workspace_id, id).await?;
    let mailbox_id = raw
        .source_key
        .strip_prefix("mailbox:")
        .and_then(|r| r.split('/').next())
        .and_then(|m| m.parse::<i64>().ok())
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "not_email", "this raw message did not come from a mailbox"))?;
    let mailbox = s.store.mailbox_secrets(mailbox_id).await?;
    if mailbox.workspace_id != actor.workspace_id {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "raw_inbound_not_found", "raw inbound not found"));
    }
    let ingestor = Ingestor::new(s.store.clone(), s.blobs.clone(), u32::MAX);
    let (name, ticket_id, reason) = match ingestor.reprocess(&mailbox, id).await? {
        Outcome::NewTicket { ticket_id } => ("new_ticket", Some(ticket_id), None),
        Outcome::Reply { ticket_id } => ("reply", Some(ticket_id), None),
        Outcome::Duplicate => ("duplicate", None, None),
        Outcome::Bounce => ("bounce", None, None),
        Outcome::Held { reason } => ("held", None, Some(reason)),
    };
    Ok(ReprocessResult { outcome: name.into(), ticket_id, reason })
}
