//! Crash safety of mail ingest: 1,000 mails wait in a real IMAP mailbox;
//! `rapport serve` is killed (SIGKILL) in the middle of ingesting them and
//! started again; in the end exactly 1,000 tickets exist, none duplicated.

use rapport_domain::crypto::SecretBox;
use rapport_domain::Actor;
use rapport_store::mail::{MailStore, MailboxInput, Security};
use rapport_store::model::TicketQuery;
use rapport_store::Store;
use rapport_store_sqlite::SqliteStore;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

const MAILS: usize = 1000;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: start the mail servers with `eval \"$(bash scripts/mailservers.sh)\"` (scripts/test.sh does)")
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn serve(dir: &Path) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .current_dir(dir)
        .arg("serve")
        .env("RAPPORT_LISTEN", format!("127.0.0.1:{}", free_port()))
        .env("RAPPORT_OPS_LISTEN", format!("127.0.0.1:{}", free_port()))
        .env("RAPPORT_EMAIL__POLL_SECONDS", "1")
        .env("RAPPORT_EMAIL__ACKNOWLEDGE", "false")
        .env("RAPPORT_LOG__FILTER", "warn")
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

/// The indices of this run's mails that are tickets now (with repeats, if any).
async fn ingested(store: &dyn Store, actor: &Actor, token: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut q = TicketQuery { limit: 100, sort: rapport_store::model::TicketSortField::Id, ..Default::default() };
    loop {
        let page = store.list_tickets(actor, &q).await.unwrap();
        for t in &page.items {
            if let Some(rest) = t.subject.strip_prefix(&format!("Crash {token} #")) {
                out.push(rest.parse().unwrap());
            }
        }
        match page.next_cursor {
            Some(c) => q.cursor = rapport_store::Cursor::decode(&c),
            None => return out,
        }
    }
}

#[tokio::test]
async fn killing_serve_mid_ingest_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let key = [7u8; 32];
    std::fs::write(data.join("secret.key"), key).unwrap();
    let seal = SecretBox::new(&key);
    let store = SqliteStore::open(data.join("rapport.db")).await.unwrap();
    store.migrate().await.unwrap();
    let ws = store.create_workspace("Crash", "crash").await.unwrap().id;
    let system = Actor::system(ws);
    let imap = env("RAPPORT_TEST_IMAP");
    let (host, port) = imap.split_once(':').unwrap();
    let smtp = env("RAPPORT_TEST_SMTP");
    let (smtp_host, smtp_port) = smtp.split_once(':').unwrap();
    let input = MailboxInput {
        brand_id: None,
        name: "Crash".into(),
        address: "crash@rapport.test".into(),
        imap_host: host.into(),
        imap_port: port.parse().unwrap(),
        imap_security: Security::Plain,
        imap_username: "crash".into(),
        imap_password_enc: Some(seal.seal("secret")),
        imap_folder: "INBOX".into(),
        smtp_host: smtp_host.into(),
        smtp_port: smtp_port.parse().unwrap(),
        smtp_security: Security::Plain,
        smtp_username: String::new(),
        smtp_password_enc: Some(seal.seal("")),
        from_name: "Crash".into(),
        reply_to: None,
        max_message_bytes: 1_000_000,
        active: true,
        allow_remote_images: false,
    };
    store.create_mailbox(&system, &input).await.unwrap();

    let token = format!("{:x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
    let lmtp = env("RAPPORT_TEST_LMTP");
    for i in 0..MAILS {
        let raw = format!(
            "From: Klient {i} <klient{i}.{token}@example.pl>\r\nTo: crash@rapport.test\r\nSubject: Crash {token} #{i}\r\n\
             Message-ID: <crash.{token}.{i}@example.pl>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             Zamówienie numer {i} nie dotarło. Proszę o pomoc.\r\n"
        );
        rapport_channels::email::lmtp::deliver(&lmtp, "sender@example.pl", "crash@rapport.test", raw.as_bytes()).await.unwrap();
    }

    // First run: kill it as soon as ingest is under way.
    let mut child = serve(dir.path());
    let started = Instant::now();
    let at_kill = loop {
        let n = ingested(&store, &system, &token).await.len();
        if n >= 50 {
            child.kill().await.unwrap();
            break ingested(&store, &system, &token).await.len();
        }
        assert!(started.elapsed() < Duration::from_secs(120), "ingest did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(at_kill < MAILS, "the kill must land mid-ingest (had {at_kill})");
    println!("killed with {at_kill} of {MAILS} mails ingested");

    // Second run: it finishes the job.
    let mut child = serve(dir.path());
    let started = Instant::now();
    loop {
        if ingested(&store, &system, &token).await.len() >= MAILS {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "ingest did not finish");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Give a duplicate the chance to appear before counting.
    tokio::time::sleep(Duration::from_secs(3)).await;
    child.kill().await.unwrap();
    let seen = ingested(&store, &system, &token).await;
    let distinct: BTreeSet<usize> = seen.iter().copied().collect();
    assert_eq!(seen.len(), MAILS, "exactly {MAILS} tickets (killed at {at_kill})");
    assert_eq!(distinct, (0..MAILS).collect::<BTreeSet<_>>(), "each mail once");
    let pending = store.list_raw_inbound(&system, Some("pending"), 10).await.unwrap();
    assert!(pending.is_empty(), "nothing left half-done: {pending:?}");
}
