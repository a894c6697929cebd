//! Outbound mail: what to send (agent replies, acknowledgements, notices)
//! goes into the store's durable queue; [`deliver_due`] sends what is due,
//! with retries and exponential backoff.

use super::compose::{compose, new_message_id, Outgoing, Part};
use super::smtp::{send_raw, SmtpConfig};
use super::templates::{self, human_size};
use super::threading::{reply_address, reply_subject};
use rand::Rng;
use rapport_domain::crypto::SecretBox;
use rapport_domain::{Channel, Id, Locale, MessageKind, Timestamp};
use rapport_store::mail::{DeliveryResult, MailboxSecrets, NewOutbound, Outbound, OutboundKind};
use rapport_store::model::{Message, Ticket};
use rapport_store::{BlobStore, Result, Store, StoreError};

/// Deliveries are tried this many times before a mail is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;

/// Wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, ... capped at an hour.
pub fn backoff_seconds(attempts: i64) -> i64 {
    (30i64 << (attempts - 1).clamp(0, 7)).min(3600)
}

/// A fresh reply secret for a ticket (the `<secret>` of `support+t<ticket>-<secret>@...`).
pub fn ticket_secret() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// Queues an agent's public reply on an email ticket to the requester (To) and followers (Cc).
/// Returns `None` when the ticket is not an email conversation or has nobody to write to.
pub async fn queue_reply(store: &dyn Store, blobs: &BlobStore, ws: Id, ticket: &Ticket, message: &Message) -> Result<Option<Outbound>> {
    if ticket.channel != Channel::Email || message.kind != MessageKind::Public || message.author_contact_id.is_some() {
        return Ok(None);
    }
    let Some(mailbox_id) = ticket.mailbox_id else { return Ok(None) };
    let mailbox = store.mailbox_secrets(mailbox_id).await?;
    let Some(candidate) = store.thread_candidate(ws, ticket.id).await? else { return Ok(None) };
    let mut people = candidate.participants.into_iter();
    let Some(to) = people.next() else { return Ok(None) };
    let cc: Vec<String> = people.filter(|p| *p != to).collect();
    let secret = store.ticket_email_secret(ws, ticket.id, &ticket_secret()).await?;
    let references = store.thread_message_ids(ws, ticket.id).await?;
    let texts = templates::texts(ticket.language.unwrap_or(Locale::En));
    let mut files = Vec::with_capacity(message.attachments.len());
    for a in &message.attachments {
        let bytes = blobs
            .get(&a.sha256)
            .await
            .map_err(StoreError::other)?
            .ok_or_else(|| StoreError::Other(format!("blob {} missing", a.sha256)))?;
        files.push((a.filename.clone(), a.content_type.clone(), bytes));
    }
    let parts: Vec<Part<'_>> = files.iter().map(|(f, c, b)| Part { filename: f, content_type: c, bytes: b }).collect();
    let text = format!("{}\n\n-- \n{}", message.body_text, texts.reply_footer);
    let html = format!("{}<hr><p style=\"color:#666\">{}</p>", message.body_html, texts.reply_footer);
    // An explicit Reply-To set by the admin wins; otherwise the ticket's own reply address,
    // whose secret lets anyone the customer forwards to answer into the ticket.
    let reply_to = mailbox.mailbox.reply_to.clone().unwrap_or_else(|| reply_address(&mailbox.mailbox.address, ticket.id, &secret));
    let to = [to];
    let out = Outgoing {
        from_name: &mailbox.mailbox.from_name,
        from_address: &mailbox.mailbox.address,
        reply_to: Some(&reply_to),
        to: &to,
        cc: &cc,
        subject: &reply_subject(&ticket.subject, ticket.id),
        text: &text,
        html: &html,
        in_reply_to: references.last().map(String::as_str),
        references: &references,
        auto_submitted: false,
        attachments: &parts,
        date_ms: Timestamp::now().millis(),
    };
    let id = new_message_id(&mailbox.mailbox.address, Some(ticket.id));
    let composed = compose(&out, &id);
    let mut recipients = to.to_vec();
    recipients.extend(cc);
    let queued = NewOutbound {
        mailbox_id,
        ticket_id: Some(ticket.id),
        message_id: Some(message.id),
        kind: OutboundKind::Reply,
        recipients,
        message_id_header: composed.message_id,
        raw: composed.raw,
    };
    store.enqueue_outbound(ws, &queued).await.map(Some)
}

/// What an automatic answer replies to.
pub struct AutoReplyTo<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub in_reply_to: Option<&'a str>,
    pub language: Locale,
}

/// The acknowledgement of a new ticket opened by mail, to be queued with the
/// ticket: its Reply-To is the ticket's reply address with `secret`, and it
/// answers the customer's mail (`message_id_header`, the ticket's only one so far).
pub fn acknowledgement(mailbox: &MailboxSecrets, ticket_id: Id, secret: &str, message_id_header: &str, r: &AutoReplyTo<'_>) -> NewOutbound {
    let texts = templates::texts(r.language);
    let body = texts.ack_body.replace("{ticket}", &format!("#{ticket_id}"));
    let subject = format!("{} [#{ticket_id}]: {}", texts.ack_subject, r.subject);
    let reply_to = reply_address(&mailbox.mailbox.address, ticket_id, secret);
    automatic(
        mailbox,
        Some(ticket_id),
        OutboundKind::Acknowledgement,
        r,
        &subject,
        &body,
        Some(&reply_to),
        &[message_id_header.to_string()],
    )
}

/// Queues the polite refusal of a mail over the mailbox's size limit.
pub async fn queue_too_large_notice(store: &dyn Store, mailbox: &MailboxSecrets, r: &AutoReplyTo<'_>) -> Result<Outbound> {
    let texts = templates::texts(r.language);
    let body = texts.too_large_body.replace("{limit}", &human_size(mailbox.mailbox.max_message_bytes));
    let subject = format!("{}: {}", texts.too_large_subject, r.subject);
    store.enqueue_outbound(mailbox.workspace_id, &automatic(mailbox, None, OutboundKind::Notice, r, &subject, &body, None, &[])).await
}

/// An automatic mail (`Auto-Submitted: auto-replied`) answering `r`.
#[allow(clippy::too_many_arguments)]
fn automatic(
    mailbox: &MailboxSecrets,
    ticket_id: Option<Id>,
    kind: OutboundKind,
    r: &AutoReplyTo<'_>,
    subject: &str,
    body: &str,
    reply_to: Option<&str>,
    references: &[String],
) -> NewOutbound {
    let to = [r.to.to_string()];
    let html = format!("<p>{}</p>", rapport_domain::html::text_to_html(body));
    let out = Outgoing {
        from_name: &mailbox.mailbox.from_name,
        from_address: &mailbox.mailbox.address,
        reply_to,
        to: &to,
        cc: &[],
        subject,
        text: body,
        html: &html,
        in_reply_to: r.in_reply_to,
        references,
        auto_submitted: true,
        attachments: &[],
        date_ms: Timestamp::now().millis(),
    };
    let composed = compose(&out, &new_message_id(&mailbox.mailbox.address, ticket_id));
    NewOutbound {
        mailbox_id: mailbox.mailbox.id,
        ticket_id,
        message_id: None,
        kind,
        recipients: to.to_vec(),
        message_id_header: composed.message_id,
        raw: composed.raw,
    }
}

/// The SMTP settings of a mailbox, with its password unsealed.
pub fn smtp_config(mailbox: &MailboxSecrets, secrets: &SecretBox) -> std::result::Result<SmtpConfig, String> {
    let password = secrets.open(&mailbox.smtp_password_enc).map_err(|e| e.to_string())?;
    Ok(SmtpConfig {
        host: mailbox.mailbox.smtp_host.clone(),
        port: u16::try_from(mailbox.mailbox.smtp_port).map_err(|_| "bad SMTP port".to_string())?,
        security: mailbox.mailbox.smtp_security,
        username: mailbox.mailbox.smtp_username.clone(),
        password,
    })
}

/// Sends every due mail once (up to `batch`), recording each outcome.
/// Returns how many were attempted.
pub async fn deliver_due(store: &dyn Store, secrets: &SecretBox, batch: i64) -> Result<usize> {
    let now = Timestamp::now();
    // A sender that dies mid-send leaves its claim; after this lease the mail is due again.
    let due = store.claim_outbound(now, now.plus_seconds(300), batch).await?;
    for mail in &due {
        let result = match store.mailbox_secrets(mail.mailbox_id).await {
            Err(e) => DeliveryResult::Failed { error: format!("mailbox unavailable: {e}") },
            Ok(mailbox) => match smtp_config(&mailbox, secrets) {
                Err(e) => DeliveryResult::Failed { error: format!("cannot use the mailbox's SMTP password: {e}") },
                Ok(cfg) => match send_raw(&cfg, &mailbox.mailbox.address, &mail.recipients, &mail.raw).await {
                    Ok(()) => DeliveryResult::Sent,
                    Err(e) if e.permanent || mail.attempts >= MAX_ATTEMPTS => DeliveryResult::Failed { error: e.message },
                    Err(e) => DeliveryResult::Retry { at: Timestamp::now().plus_seconds(backoff_seconds(mail.attempts)), error: e.message },
                },
            },
        };
        match &result {
            DeliveryResult::Sent => tracing::info!(outbound = mail.id, "mail sent"),
            DeliveryResult::Retry { error, .. } => {
                tracing::warn!(outbound = mail.id, attempts = mail.attempts, %error, "mail delivery will be retried")
            }
            DeliveryResult::Failed { error } => tracing::error!(outbound = mail.id, %error, "mail delivery failed"),
        }
        store.finish_outbound(mail.id, &result).await?;
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff_seconds(1), 30);
        assert_eq!(backoff_seconds(2), 60);
        assert_eq!(backoff_seconds(4), 240);
        assert_eq!(backoff_seconds(20), 3600);
        let s = ticket_secret();
        assert_eq!(s.len(), 10);
        assert_ne!(s, ticket_secret());
    }
}
