//! Inbound mail, durably: the raw bytes are stored (and committed) before
//! anything else; then the mail is parsed, threaded and stored as a ticket
//! or a reply, with its acknowledgement queued, in one transaction; only then
//! may the caller mark it seen on the server. Mail comes in batches (one IMAP
//! fetch): one commit for the batch's raw bytes, one for its processing. Each step is idempotent, so a crash anywhere loses nothing and
//! duplicates nothing: a redelivered raw message is recognised by its source
//! key, and a re-processed one by its raw id.

use super::outbound::{acknowledgement, queue_too_large_notice, ticket_secret, AutoReplyTo};
use super::parse::{parse, ParsedMail};
use super::threading;
use rapport_domain::rate_limit::RateLimiter;
use rapport_domain::{Id, Locale, Timestamp};
use rapport_store::mail::{
    InboundAttachment, InboundEmail, InboundResult, InboundRules, MailPerson, MailboxSecrets, StoredReply, ThreadLookup,
};
use rapport_store::model::NewAttachment;
use rapport_store::{BlobStore, Result, Store, StoreError};
use std::time::Duration;

/// What happened to one inbound mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    NewTicket {
        ticket_id: Id,
    },
    Reply {
        ticket_id: Id,
    },
    /// Already stored earlier (same raw message, or same Message-ID).
    Duplicate,
    /// A delivery status notification: recorded, no ticket.
    Bounce,
    /// Kept as raw and shown to admins, not turned into a ticket; can be reprocessed.
    Held {
        reason: String,
    },
}

pub struct Ingestor {
    store: std::sync::Arc<dyn Store>,
    blobs: BlobStore,
    /// Mails per sender (per mailbox) per hour before further ones are held.
    per_sender: RateLimiter,
    /// Send an acknowledgement when a mail opens a new ticket.
    pub acknowledge: bool,
}

/// A mail parsed and checked, to be stored with its batch.
struct Ready {
    mail: ParsedMail,
    inbound: InboundEmail,
    /// Never answered automatically.
    automatic: bool,
}

/// What the checks before storing decided for one mail.
enum Checked {
    Done(Outcome),
    Store(Box<Ready>),
}

impl Ingestor {
    pub fn new(store: std::sync::Arc<dyn Store>, blobs: BlobStore, mails_per_sender_per_hour: u32) -> Self {
        Ingestor { store, blobs, per_sender: RateLimiter::new(mails_per_sender_per_hour, Duration::from_secs(3600)), acknowledge: true }
    }

    /// Stores the raw bytes durably, then processes them. `source_key` names
    /// the mail at its source (mailbox, UIDVALIDITY and UID), so a mail fetched
    /// twice is stored once.
    pub async fn receive(&self, mailbox: &MailboxSecrets, source_key: &str, raw: &[u8]) -> Result<Outcome> {
        let mut outcomes = self.receive_batch(mailbox, &[(source_key, raw)]).await?;
        outcomes.pop().ok_or_else(|| StoreError::Other("a batch of one gave no outcome".into()))
    }

    /// [`Ingestor::receive`] for a batch of mails (`(source key, bytes)`, as
    /// one IMAP fetch brings them): all raw bytes are stored and committed in
    /// one transaction, then the mails are processed in order and stored in
    /// another. Returns each mail's outcome, in order.
    pub async fn receive_batch(&self, mailbox: &MailboxSecrets, mails: &[(&str, &[u8])]) -> Result<Vec<Outcome>> {
        let stored = self.store.put_raw_mails(mailbox.workspace_id, mails).await?;
        // A raw mail stored before is done unless it is still pending (a
        // crash before processing). Held mails wait for an admin to reprocess them.
        let todo: Vec<(Id, &[u8])> = stored.iter().zip(mails).filter(|(r, _)| r.pending).map(|(r, (_, raw))| (r.id, *raw)).collect();
        let mut processed = self.process_batch(mailbox, &todo).await?.into_iter();
        Ok(stored.iter().map(|r| if r.pending { processed.next().unwrap_or(Outcome::Duplicate) } else { Outcome::Duplicate }).collect())
    }

    /// Reprocesses a stored raw mail (after a fix, or when an admin asks).
    pub async fn reprocess(&self, mailbox: &MailboxSecrets, raw_id: Id) -> Result<Outcome> {
        let raw = self.store.raw_inbound_bytes(mailbox.workspace_id, raw_id).await?;
        self.process(mailbox, raw_id, &raw).await
    }

    /// Parses, threads and stores one raw mail.
    pub async fn process(&self, mailbox: &MailboxSecrets, raw_id: Id, raw: &[u8]) -> Result<Outcome> {
        let mut outcomes = self.process_batch(mailbox, &[(raw_id, raw)]).await?;
        outcomes.pop().ok_or_else(|| StoreError::Other("a batch of one gave no outcome".into()))
    }

    /// Parses and checks each stored raw mail, then threads and stores those
    /// that make tickets or replies, and queues acknowledgements of new
    /// tickets, in one transaction (threading inside it sees the mails before
    /// in the batch).
    async fn process_batch(&self, mailbox: &MailboxSecrets, raws: &[(Id, &[u8])]) -> Result<Vec<Outcome>> {
        let ws = mailbox.workspace_id;
        let mut outcomes: Vec<Option<Outcome>> = Vec::with_capacity(raws.len());
        // The mails to store: their place in the batch, what was parsed, what is stored.
        let (mut places, mut parsed, mut inbound) = (Vec::new(), Vec::new(), Vec::new());
        for (i, (raw_id, raw)) in raws.iter().enumerate() {
            match self.check(mailbox, *raw_id, raw).await? {
                Checked::Done(outcome) => outcomes.push(Some(outcome)),
                Checked::Store(r) => {
                    outcomes.push(None);
                    places.push(i);
                    parsed.push((r.mail, r.automatic));
                    inbound.push(r.inbound);
                }
            }
        }
        if !inbound.is_empty() {
            let rules = BatchRules { mailbox, mails: &parsed, inbound: &inbound, acknowledge: self.acknowledge };
            // The same raw mail processed before, or the same mail received
            // twice (another folder, a resend by the server), is caught there,
            // in the transaction that would store it.
            let stored = match self.store.store_inbound_batch(ws, &inbound, Some(&rules)).await {
                Ok(stored) => stored,
                // A batch fails as a whole (nothing of it is stored): for one
                // bad mail, or when another writer got in the way (PostgreSQL
                // ends one of two transactions that wait for each other). Mail
                // by mail, the others go in, and a bad one fails alone.
                Err(e) if inbound.len() > 1 => {
                    tracing::warn!(error = %e, mails = inbound.len(), "storing a batch of mail failed; storing its mails one by one");
                    let mut stored = Vec::with_capacity(inbound.len());
                    for i in 0..inbound.len() {
                        let one = BatchRules { mailbox, mails: &parsed[i..=i], inbound: &inbound[i..=i], acknowledge: self.acknowledge };
                        stored.extend(self.store.store_inbound_batch(ws, &inbound[i..=i], Some(&one)).await?);
                    }
                    stored
                }
                Err(e) => return Err(e),
            };
            for (i, stored) in places.into_iter().zip(&stored) {
                outcomes[i] = Some(match stored {
                    s if s.duplicate => Outcome::Duplicate,
                    s if s.new_ticket => Outcome::NewTicket { ticket_id: s.ticket_id },
                    s => Outcome::Reply { ticket_id: s.ticket_id },
                });
            }
        }
        Ok(outcomes.into_iter().map(|o| o.unwrap_or(Outcome::Duplicate)).collect())
    }

    async fn hold(&self, ws: Id, raw_id: Id, reason: String) -> Result<Checked> {
        tracing::warn!(raw_inbound = raw_id, %reason, "inbound mail held");
        self.store.mark_raw_inbound(ws, raw_id, Some(&reason)).await?;
        Ok(Checked::Done(Outcome::Held { reason }))
    }

    /// Parses one raw mail and decides whether it is stored: held (cannot be
    /// parsed, no sender, too large, rate limited), a bounce, or ready.
    async fn check(&self, mailbox: &MailboxSecrets, raw_id: Id, raw: &[u8]) -> Result<Checked> {
        let ws = mailbox.workspace_id;
        let limit = mailbox.mailbox.max_message_bytes;
        let mail = match parse(raw) {
            Ok(m) => m,
            Err(e) => return self.hold(ws, raw_id, format!("cannot parse: {e}")).await,
        };
        let Some(sender) = mail.from.clone().filter(|a| rapport_domain::Email::parse(&a.email).is_ok()) else {
            return self.hold(ws, raw_id, "no valid sender address".into()).await;
        };
        let automatic = mail.auto_submitted || mail.is_bounce;
        let language = mail.language.and_then(|l| Locale::parse(l).ok());
        if raw.len() as i64 > limit {
            let reason = format!("too large: {} bytes, the limit is {limit}", raw.len());
            if !automatic && self.per_sender.check(&format!("{}:{}", mailbox.mailbox.id, sender.email)).is_ok() {
                let r = AutoReplyTo {
                    to: &sender.email,
                    subject: &mail.subject,
                    in_reply_to: mail.message_id.as_deref(),
                    language: language.unwrap_or(Locale::En),
                };
                queue_too_large_notice(self.store.as_ref(), mailbox, &r).await?;
            }
            return self.hold(ws, raw_id, reason).await;
        }
        if mail.is_bounce {
            tracing::info!(raw_inbound = raw_id, "delivery status notification received");
            self.store.mark_raw_inbound(ws, raw_id, None).await?;
            return Ok(Checked::Done(Outcome::Bounce));
        }
        if self.per_sender.check(&format!("{}:{}", mailbox.mailbox.id, sender.email)).is_err() {
            return self.hold(ws, raw_id, format!("rate limited: too many mails from {} in the last hour", sender.email)).await;
        }
        // A Message-ID made up here is unique: raw rows are never deleted.
        let message_id = mail.message_id.clone().unwrap_or_else(|| format!("raw-{raw_id}@rapport.invalid"));
        let attachments = self.store_attachments(&mail).await?;
        let inbound = InboundEmail {
            raw_inbound_id: raw_id,
            mailbox_id: mailbox.mailbox.id,
            brand_id: mailbox.mailbox.brand_id,
            ticket_id: None,
            from: MailPerson { email: sender.email.clone(), name: sender.name.clone() },
            followers: followers(&mail, &mailbox.mailbox.address),
            subject: mail.subject.clone(),
            message_id_header: message_id,
            body_text: mail.text.clone(),
            body_html: mail.html.clone(),
            display_text: mail.display_text.clone(),
            language,
            attachments,
            received_at: Timestamp::now(),
        };
        Ok(Checked::Store(Box::new(Ready { mail, inbound, automatic })))
    }

    /// Writes attachment bytes to blob storage (before the rows that name them).
    async fn store_attachments(&self, mail: &ParsedMail) -> Result<Vec<InboundAttachment>> {
        let mut out = Vec::with_capacity(mail.attachments.len());
        for a in &mail.attachments {
            let sha256 = self.blobs.put(&a.bytes).await.map_err(StoreError::other)?;
            let file =
                NewAttachment { filename: a.filename.clone(), content_type: a.content_type.clone(), size: a.bytes.len() as i64, sha256 };
            out.push(InboundAttachment { file, content_id: a.content_id.clone().filter(|_| a.inline) });
        }
        Ok(out)
    }
}

/// The rules the store applies while it stores a batch: threading, and the
/// acknowledgement of each new ticket opened by a person.
struct BatchRules<'a> {
    mailbox: &'a MailboxSecrets,
    /// Each mail as parsed, and whether it is automatic (never answered).
    mails: &'a [(ParsedMail, bool)],
    inbound: &'a [InboundEmail],
    acknowledge: bool,
}

#[async_trait::async_trait]
impl InboundRules for BatchRules<'_> {
    async fn ticket_for(&self, index: usize, lookup: &mut dyn ThreadLookup) -> Result<Option<Id>> {
        match self.mails.get(index) {
            Some((mail, _)) => threading::resolve(lookup, &self.mailbox.mailbox.address, mail).await,
            None => Ok(None),
        }
    }

    fn reply_to_stored(&self, index: usize, stored: &InboundResult) -> Option<StoredReply> {
        let ((mail, automatic), inbound) = (self.mails.get(index)?, self.inbound.get(index)?);
        if !self.acknowledge || !stored.new_ticket || *automatic {
            return None;
        }
        let r = AutoReplyTo {
            to: &inbound.from.email,
            subject: &mail.subject,
            in_reply_to: mail.message_id.as_deref(),
            language: inbound.language.unwrap_or(Locale::En),
        };
        let secret = ticket_secret();
        let mail = acknowledgement(self.mailbox, stored.ticket_id, &secret, &inbound.message_id_header, &r);
        Some(StoredReply { ticket_secret: secret, mail })
    }
}

/// Everyone on To and Cc except our own addresses (the mailbox and its reply addresses).
fn followers(mail: &ParsedMail, mailbox_address: &str) -> Vec<MailPerson> {
    let (local, domain) = mailbox_address.split_once('@').unwrap_or((mailbox_address, ""));
    let ours = |email: &str| {
        email.eq_ignore_ascii_case(mailbox_address)
            || email.split_once('@').is_some_and(|(l, d)| d.eq_ignore_ascii_case(domain) && l.starts_with(&format!("{local}+")))
    };
    let mut out: Vec<MailPerson> = Vec::new();
    for a in mail.to.iter().chain(mail.cc.iter()) {
        if ours(&a.email) || rapport_domain::Email::parse(&a.email).is_err() || out.iter().any(|p| p.email == a.email) {
            continue;
        }
        out.push(MailPerson { email: a.email.clone(), name: a.name.clone() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::parse::Address;

    #[test]
    fn followers_exclude_our_addresses() {
        let mail = ParsedMail {
            to: vec![
                Address { email: "support@sao-mai.vn".into(), name: None },
                Address { email: "boss@khach.vn".into(), name: Some("Sếp".into()) },
            ],
            cc: vec![
                Address { email: "support+t9-abc@sao-mai.vn".into(), name: None },
                Address { email: "boss@khach.vn".into(), name: None },
                Address { email: "not an address".into(), name: None },
                Address { email: "ke.toan@khach.vn".into(), name: None },
            ],
            ..Default::default()
        };
        let f: Vec<String> = followers(&mail, "support@sao-mai.vn").into_iter().map(|p| p.email).collect();
        assert_eq!(f, vec!["boss@khach.vn", "ke.toan@khach.vn"]);
    }
}
