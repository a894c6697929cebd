//! Fetching a mailbox over IMAP, a batch of messages at a time: raw bytes
//! stored, then processed, then flagged `\Seen`, then the mailbox's sync
//! point advanced.
//! A crash between any two steps is repaired by the next pass: the sync
//! point is behind, the mail is fetched again, and ingest recognises it.

use super::imap::{ImapConfig, ImapSession};
use super::ingest::Ingestor;
use rapport_domain::crypto::SecretBox;
use rapport_store::mail::MailboxSecrets;
use rapport_store::Store;

/// How many messages one fetch asks for at a time.
pub const BATCH: usize = 100;

pub fn imap_config(mailbox: &MailboxSecrets, secrets: &SecretBox) -> Result<ImapConfig, String> {
    let password = secrets.open(&mailbox.imap_password_enc).map_err(|e| e.to_string())?;
    Ok(ImapConfig {
        host: mailbox.mailbox.imap_host.clone(),
        port: u16::try_from(mailbox.mailbox.imap_port).map_err(|_| "bad IMAP port".to_string())?,
        security: mailbox.mailbox.imap_security,
        username: mailbox.mailbox.imap_username.clone(),
        password,
        folder: mailbox.mailbox.imap_folder.clone(),
    })
}

/// The key that makes a fetched mail unique: mailbox, folder UIDVALIDITY and UID.
pub fn source_key(mailbox_id: i64, uid_validity: u32, uid: u32) -> String {
    format!("mailbox:{mailbox_id}/v{uid_validity}/uid:{uid}")
}

/// Ingests every message newer than the mailbox's sync point. Returns the
/// open session (for IDLE) and how many messages were ingested.
pub async fn fetch_new(
    store: &dyn Store,
    ingestor: &Ingestor,
    secrets: &SecretBox,
    mailbox: &MailboxSecrets,
) -> Result<(ImapSession, usize), String> {
    let cfg = imap_config(mailbox, secrets)?;
    let mut session = ImapSession::connect(&cfg).await.map_err(|e| e.to_string())?;
    let validity = session.uid_validity();
    // A new UIDVALIDITY means the server renumbered the folder: start over;
    // Message-ID de-duplication keeps already stored mail from doubling.
    let mut last = match (mailbox.uid_validity, mailbox.last_uid) {
        (Some(v), Some(l)) if v == i64::from(validity) => u32::try_from(l).unwrap_or(0),
        _ => 0,
    };
    let mut count = 0;
    loop {
        let batch = session.fetch_since(last, BATCH).await.map_err(|e| e.to_string())?;
        if batch.is_empty() {
            break;
        }
        // The batch's raw bytes are committed, then it is processed, then
        // flagged: a crash in between leaves the sync point before the batch,
        // and the next pass finds what is already done.
        let keys: Vec<String> = batch.iter().map(|m| source_key(mailbox.mailbox.id, validity, m.uid)).collect();
        let mails: Vec<(&str, &[u8])> = keys.iter().zip(&batch).map(|(k, m)| (k.as_str(), m.raw.as_slice())).collect();
        let outcomes = ingestor.receive_batch(mailbox, &mails).await.map_err(|e| e.to_string())?;
        for (m, outcome) in batch.iter().zip(&outcomes) {
            tracing::debug!(mailbox = mailbox.mailbox.id, uid = m.uid, ?outcome, "ingested");
        }
        let uids: Vec<u32> = batch.iter().map(|m| m.uid).collect();
        session.mark_seen(&uids).await.map_err(|e| e.to_string())?;
        last = uids.iter().copied().max().unwrap_or(last);
        store.set_mailbox_sync(mailbox.mailbox.id, i64::from(validity), i64::from(last), None).await.map_err(|e| e.to_string())?;
        count += batch.len();
    }
    Ok((session, count))
}
