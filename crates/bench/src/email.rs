//! Inbound mail throughput: parse + thread + store, as the IMAP fetcher
//! drives it (a batch per fetch: raw bytes stored first, then processed),
//! without the network.

use rapport_channels::email::fetch::BATCH as FETCH_BATCH;
use rapport_channels::email::ingest::{Ingestor, Outcome};
use rapport_domain::crypto::SecretBox;
use rapport_domain::Actor;
use rapport_store::mail::{MailboxInput, MailboxSecrets, Security};
use rapport_store::{BlobStore, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BODIES: &[&str] = &[
    "Chào anh chị, đơn hàng của tôi đặt từ tuần trước vẫn chưa được giao. Mong được kiểm tra giúp.",
    "Dzień dobry, faktura za zamówienie zawiera błędny NIP. Proszę o korektę i ponowne wysłanie.",
    "Hello, the invoice for last month shows two charges for the same subscription. Could you refund one?",
];

/// A realistic mail: plain or multipart with HTML, sometimes a small attachment, sometimes a reply.
/// Message-IDs are unique per mailbox `b`, so no mail is a duplicate of another.
fn mail(b: usize, i: usize, to: &str) -> Vec<u8> {
    let sender = i % 700;
    let body = BODIES[i % BODIES.len()];
    let reply = if i >= 700 && i.is_multiple_of(3) {
        format!("In-Reply-To: <m{b}-{}@bench.example>\r\nReferences: <m{b}-{}@bench.example>\r\n", i - 700, i - 700)
    } else {
        String::new()
    };
    let head = format!(
        "From: Khách {sender} <customer{sender}@bench.example>\r\nTo: {to}\r\nSubject: Yêu cầu {i}\r\nMessage-ID: <m{b}-{i}@bench.example>\r\n{reply}\
         Date: Mon, 23 Nov 2026 10:00:00 +0700\r\nMIME-Version: 1.0\r\n"
    );
    let raw = if i.is_multiple_of(2) {
        format!("{head}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n\r\n> earlier quoted text\r\n-- \r\nsignature\r\n")
    } else {
        let attachment = if i % 10 == 1 {
            "--b\r\nContent-Type: application/pdf; name=\"faktura.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfs\r\n"
        } else {
            ""
        };
        format!(
            "{head}Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n\
             --a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>{body}</p><script>x()</script>\r\n--a--\r\n{attachment}--b--\r\n"
        )
    };
    raw.into_bytes()
}

async fn mailbox(store: &Arc<dyn Store>, ws: i64, n: usize) -> MailboxSecrets {
    let seal = SecretBox::new(b"bench");
    let input = MailboxInput {
        brand_id: None,
        name: format!("Bench {n}"),
        address: format!("support{n}@bench.example"),
        imap_host: "127.0.0.1".into(),
        imap_port: 1,
        imap_security: Security::Plain,
        imap_username: "x".into(),
        imap_password_enc: Some(seal.seal("x")),
        imap_folder: "INBOX".into(),
        smtp_host: "127.0.0.1".into(),
        smtp_port: 1,
        smtp_security: Security::Plain,
        smtp_username: String::new(),
        smtp_password_enc: Some(seal.seal("")),
        from_name: "Bench".into(),
        reply_to: None,
        max_message_bytes: 25_000_000,
        active: true,
        allow_remote_images: false,
    };
    let m = store.create_mailbox(&Actor::system(ws), &input).await.unwrap();
    store.mailbox_secrets(m.id).await.unwrap()
}

/// Ingests `messages` mails into `mailboxes` mailboxes in parallel; with
/// `acknowledge`, each new ticket's acknowledgement is queued too (as `rapport serve` does).
pub async fn run(store: Arc<dyn Store>, dir: &std::path::Path, messages: usize, mailboxes: usize, acknowledge: bool) -> anyhow::Result<()> {
    let ws = store.create_workspace("Email bench", &format!("email-bench-{mailboxes}-{acknowledge}")).await?.id;
    let mut ingestor = Ingestor::new(store.clone(), BlobStore::new(dir.join("mail-blobs")), u32::MAX);
    ingestor.acknowledge = acknowledge;
    let ingestor = Arc::new(ingestor);
    let per_box = messages / mailboxes;
    let mut tasks = Vec::new();
    let mut boxes = Vec::new();
    for b in 0..mailboxes {
        boxes.push(mailbox(&store, ws, b).await);
    }
    let started = Instant::now();
    for (b, mb) in boxes.into_iter().enumerate() {
        let raws: Vec<(String, Vec<u8>)> = (0..per_box).map(|i| (format!("bench/{b}/{i}"), mail(b, i, &mb.mailbox.address))).collect();
        let ingestor = ingestor.clone();
        tasks.push(tokio::spawn(async move {
            // As the fetcher does: a batch per IMAP fetch.
            let mut lat = Vec::with_capacity(raws.len() / FETCH_BATCH + 1);
            for chunk in raws.chunks(FETCH_BATCH) {
                let t = Instant::now();
                let batch: Vec<(&str, &[u8])> = chunk.iter().map(|(k, r)| (k.as_str(), r.as_slice())).collect();
                let outcomes = ingestor.receive_batch(&mb, &batch).await.expect("ingest");
                assert!(outcomes.iter().all(|o| matches!(o, Outcome::NewTicket { .. } | Outcome::Reply { .. })), "{outcomes:?}");
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut lat: Vec<Duration> = Vec::new();
    for t in tasks {
        lat.extend(t.await?);
    }
    let elapsed = started.elapsed();
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "{:<52} {:>8.0} msg/s   batch of {FETCH_BATCH}: p50 {:>6.1} ms   p95 {:>6.1} ms   ({} mails, {} mailboxes in parallel)",
        if acknowledge { "inbound mail, + acknowledgement queued" } else { "inbound mail: store raw + parse + thread + store" },
        (per_box * mailboxes) as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.95),
        per_box * mailboxes,
        mailboxes
    );
    Ok(())
}
