use super::parse_cursor;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use rapport_domain::{html, MessageKind};
use rapport_store::model::{Message, NewAttachment, NewMessage};
use rapport_store::page::clamp_limit;
use rapport_store::Page;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MessageListParams {
    cursor: Option<String>,
    limit: Option<u32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentUpload {
    pub filename: String,
    pub content_type: Option<String>,
    /// The file, base64-encoded.
    pub data_base64: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessageBody {
    /// `public` (default) or `note`.
    pub kind: Option<MessageKind>,
    /// Plain text; at least one of `body`, `html` or an attachment.
    pub body: Option<String>,
    /// HTML, sanitised before it is stored.
    pub html: Option<String>,
    /// Set when relaying a customer's message (e.g. from another system).
    pub author_contact_id: Option<i64>,
    #[serde(default)]
    pub attachments: Vec<AttachmentUpload>,
}

/// The conversation of a ticket, oldest first.
#[utoipa::path(get, path = "/tickets/{id}/messages", tag = "messages", params(("id" = i64, Path), MessageListParams),
    responses((status = 200, body = Page<Message>), (status = 404, body = ErrorBody)))]
pub async fn list_messages(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiQuery(p): ApiQuery<MessageListParams>,
) -> ApiResult<Json<Page<Message>>> {
    let cursor = parse_cursor(p.cursor.as_deref())?;
    Ok(Json(s.store.list_messages(&a.actor, id, cursor, clamp_limit(p.limit)).await?))
}

/// Add a public reply or an internal note, with optional attachments.
#[utoipa::path(post, path = "/tickets/{id}/messages", tag = "messages", params(("id" = i64, Path)), request_body = NewMessageBody,
    responses((status = 201, body = Message), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_message(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(b): ApiJson<NewMessageBody>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let kind = b.kind.unwrap_or(MessageKind::Public);
    let (body_text, body_html) =
        if b.body.as_deref().is_some_and(|t| !t.trim().is_empty()) || b.html.as_deref().is_some_and(|h| !h.trim().is_empty()) {
            html::message_content(b.body.as_deref(), b.html.as_deref())?
        } else if b.attachments.is_empty() {
            return Err(ApiError::invalid("body", "a message needs a body, html or an attachment"));
        } else {
            (String::new(), String::new())
        };
    // Check everything before the first blob is written.
    let mut decoded = Vec::with_capacity(b.attachments.len());
    for (i, up) in b.attachments.iter().enumerate() {
        let filename = up.filename.trim();
        if filename.is_empty() || filename.chars().count() > 255 || filename.contains(['/', '\\', '\0']) {
            return Err(ApiError::invalid("attachments", format!("attachment {i}: the filename must be 1-255 characters without slashes")));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(up.data_base64.trim())
            .map_err(|e| ApiError::invalid("attachments", format!("attachment {i}: data_base64 is not base64: {e}")))?;
        let content_type =
            up.content_type.clone().filter(|c| c.len() <= 255 && c.contains('/')).unwrap_or_else(|| "application/octet-stream".into());
        decoded.push((filename.to_string(), content_type, bytes));
    }
    let mut attachments = Vec::with_capacity(decoded.len());
    for (filename, content_type, bytes) in decoded {
        let sha256 = s.blobs.put(&bytes).await.map_err(ApiError::internal)?;
        attachments.push(NewAttachment { filename, content_type, size: bytes.len() as i64, sha256 });
    }
    let input = NewMessage { kind, author_contact_id: b.author_contact_id, body_text, body_html, attachments };
    let message = send_message(&s, &a.actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(message)))
}

/// Adds a message to a ticket; an agent's public reply on an email ticket is
/// queued for delivery by mail. Shared by the API and the ticket page.
pub(crate) async fn send_message(s: &AppState, actor: &rapport_domain::Actor, id: i64, input: &NewMessage) -> Result<Message, ApiError> {
    let mut message = s.store.add_message(actor, id, input).await?;
    if message.kind == MessageKind::Public && message.author_contact_id.is_none() {
        let ticket = s.store.get_ticket(actor, id).await?;
        if let Some(out) =
            rapport_channels::email::outbound::queue_reply(s.store.as_ref(), &s.blobs, actor.workspace_id, &ticket, &message).await?
        {
            tracing::debug!(outbound = out.id, "reply queued for delivery");
            message.delivery_status = Some("queued".into());
        }
    }
    Ok(message)
}

#[utoipa::path(get, path = "/messages/{id}", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, body = Message), (status = 404, body = ErrorBody)))]
pub async fn get_message(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Message>> {
    Ok(Json(s.store.get_message(&a.actor, id).await?))
}

/// Redact a message: its text and attachments are removed, the event stays (admins only).
#[utoipa::path(delete, path = "/messages/{id}", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, body = Message), (status = 403, body = ErrorBody)))]
pub async fn redact_message(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Message>> {
    Ok(Json(s.store.redact_message(&a.actor, id).await?))
}

/// Content types shown inline; everything else is a download.
const INLINE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"];

/// Download an attachment.
#[utoipa::path(get, path = "/attachments/{id}", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, description = "The file"), (status = 404, body = ErrorBody)))]
pub async fn download_attachment(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Response> {
    let att = s.store.get_attachment(&a.actor, id).await?;
    let bytes = s
        .blobs
        .get(&att.sha256)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::internal(format!("blob {} is missing", att.sha256)))?;
    let inline = INLINE_TYPES.contains(&att.content_type.as_str());
    let content_type = if inline { att.content_type.as_str() } else { "application/octet-stream" };
    let encoded: String = att
        .filename
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    let disposition = format!("{}; filename*=UTF-8''{encoded}", if inline { "inline" } else { "attachment" });
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(ApiError::internal)?);
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok(resp)
}
