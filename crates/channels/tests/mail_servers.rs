//! The email channel's network clients against real mail servers: Dovecot
//! (IMAP + LMTP) and an SMTP sink, both started by `scripts/mailservers.sh`:
//!
//! ```sh
//! eval "$(bash scripts/mailservers.sh)"
//! cargo test -p rapport-channels --test mail_servers
//! ```
//!
//! Without the RAPPORT_TEST_* variables these tests fail (they never pass
//! silently). Each test uses unique tokens in subjects and Message-IDs and
//! looks only at its own mails, so they run in parallel and again and again
//! against the same long-running servers. Mailboxes: `support` (fetching,
//! flags), `idle` (IDLE: nothing else may deliver there while it runs).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rapport_channels::email::imap::{FetchedMail, ImapConfig, ImapSession, MailError};
use rapport_channels::email::lmtp;
use rapport_channels::email::smtp::{send_raw, SmtpConfig};
use rapport_store::mail::Security;

const PASSWORD: &str = "secret";

/// A required test variable; panics with how to get it.
fn env(name: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v,
        _ => panic!(
            "{name} is not set: start the test mail servers with \
             `eval \"$(bash scripts/mailservers.sh)\"` (from the repository root) and run the tests again"
        ),
    }
}

/// `host:port` from a variable, split.
fn host_port(name: &str) -> (String, u16) {
    let value = env(name);
    let (host, port) = value.rsplit_once(':').unwrap_or_else(|| panic!("{name}={value:?} is not host:port"));
    (host.to_owned(), port.parse().expect("port number"))
}

fn imap_config(user: &str, password: &str) -> ImapConfig {
    let (host, port) = host_port("RAPPORT_TEST_IMAP");
    ImapConfig { host, port, security: Security::Plain, username: user.into(), password: password.into(), folder: "INBOX".into() }
}

fn smtp_config() -> SmtpConfig {
    let (host, port) = host_port("RAPPORT_TEST_SMTP");
    SmtpConfig { host, port, security: Security::Plain, username: String::new(), password: String::new() }
}

/// A token no other test or run uses: goes into subjects, bodies and Message-IDs.
fn token(label: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{label}{}x{nanos}x{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A small mail with CRLF line endings, a line starting with a dot (LMTP and
/// SMTP must dot-stuff it) and 8-bit UTF-8 text.
fn message(tok: &str, n: u32) -> Vec<u8> {
    format!(
        "From: Khách hàng <customer@example.com>\r\n\
         To: support@example.com\r\n\
         Subject: {tok} #{n}\r\n\
         Message-ID: <{tok}.{n}@example.com>\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         Body {tok} number {n}.\r\n\
         .a line that starts with a dot\r\n\
         Xin chào, dzień dobry.\r\n"
    )
    .into_bytes()
}

async fn deliver(user: &str, raw: &[u8]) {
    let addr = env("RAPPORT_TEST_LMTP");
    lmtp::deliver(&addr, "customer@example.com", &format!("{user}@example.com"), raw)
        .await
        .unwrap_or_else(|e| panic!("LMTP delivery to {user} at {addr} failed: {e}"));
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The fetched mails that belong to this test.
fn mine<'a>(mails: &'a [FetchedMail], tok: &str) -> Vec<&'a FetchedMail> {
    mails.iter().filter(|m| contains(&m.raw, tok)).collect()
}

async fn connect(user: &str) -> ImapSession {
    ImapSession::connect(&imap_config(user, PASSWORD)).await.unwrap_or_else(|e| panic!("IMAP connect as {user}: {e}"))
}

/// Where new mail will get UIDs: everything above this is new.
fn last_uid_before(session: &ImapSession) -> u32 {
    session.uid_next().expect("Dovecot sends UIDNEXT") - 1
}

fn assert_ascending(mails: &[FetchedMail]) {
    assert!(
        mails.windows(2).all(|w| w[0].uid < w[1].uid),
        "UIDs not strictly ascending: {:?}",
        mails.iter().map(|m| m.uid).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn fetch_exact_bytes_peek_mark_seen_and_uid_validity() {
    let tok = token("fetch");
    let mut s = connect("support").await;
    let validity = s.uid_validity();
    assert_ne!(validity, 0);
    let base = last_uid_before(&s);

    let sent: Vec<Vec<u8>> = (1..=3).map(|n| message(&tok, n)).collect();
    for raw in &sent {
        deliver("support", raw).await;
    }

    let fetched = s.fetch_since(base, 1000).await.unwrap();
    assert_ascending(&fetched);
    assert!(fetched.iter().all(|m| m.uid > base));
    let ours = mine(&fetched, &tok);
    assert_eq!(ours.len(), 3, "our three mails");
    for (n, (got, raw)) in ours.iter().zip(&sent).enumerate() {
        // Dovecot prepends Return-Path / Delivered-To / Received; the rest is ours, byte for byte.
        assert!(got.raw.ends_with(raw), "mail {n} differs:\n{}", String::from_utf8_lossy(&got.raw));
        assert!(contains(&got.raw, &format!("Body {tok} number {}.", n + 1)));
    }

    // BODY.PEEK[]: nothing was marked seen.
    let unseen = s.unseen_uids().await.unwrap();
    for m in &ours {
        assert!(unseen.contains(&m.uid), "uid {} became seen by fetching", m.uid);
    }

    // mark_seen flags exactly that one.
    s.mark_seen(&[ours[0].uid]).await.unwrap();
    let unseen = s.unseen_uids().await.unwrap();
    assert!(!unseen.contains(&ours[0].uid));
    assert!(unseen.contains(&ours[1].uid) && unseen.contains(&ours[2].uid));

    // `max` bounds the batch and keeps the lowest UIDs.
    let two = s.fetch_since(base, 2).await.unwrap();
    assert_eq!(two.len(), 2);
    assert_ascending(&two);
    assert!(two[0].uid > base && two[1].uid <= ours[1].uid);
    assert!(s.fetch_since(base, 0).await.unwrap().is_empty());

    // Only newer mail after the last UID.
    let last = ours[2].uid;
    let newer = message(&tok, 4);
    deliver("support", &newer).await;
    let fetched = s.fetch_since(last, 1000).await.unwrap();
    assert!(fetched.iter().all(|m| m.uid > last));
    let ours_new = mine(&fetched, &tok);
    assert_eq!(ours_new.len(), 1);
    assert!(ours_new[0].raw.ends_with(&newer));
    // Past the highest UID: nothing (not the last message, as `n:*` would match).
    let highest = fetched.iter().map(|m| m.uid).max().unwrap();
    assert!(s.fetch_since(highest, 10).await.unwrap().is_empty());
    s.logout().await;

    // A new session: same UIDVALIDITY, same UIDs, \Seen kept.
    let mut s2 = connect("support").await;
    assert_eq!(s2.uid_validity(), validity);
    let again = s2.fetch_since(base, 1000).await.unwrap();
    let again_uids: Vec<u32> = mine(&again, &tok).iter().map(|m| m.uid).collect();
    let first_uids: Vec<u32> = ours.iter().map(|m| m.uid).chain([ours_new[0].uid]).collect();
    assert_eq!(again_uids, first_uids);
    let unseen = s2.unseen_uids().await.unwrap();
    assert!(!unseen.contains(&ours[0].uid));
    assert!(unseen.contains(&ours_new[0].uid));
    s2.logout().await;
}

#[tokio::test]
async fn idle_wakes_on_new_mail_and_times_out_without() {
    let tok = token("idle");
    let s = connect("idle").await;
    let base = last_uid_before(&s);

    let started = Instant::now();
    let (s, new_mail) = s.idle_wait(Duration::from_millis(800)).await.unwrap();
    assert!(!new_mail, "no mail arrived, yet idle_wait reported some");
    assert!(started.elapsed() >= Duration::from_millis(700));
    assert!(started.elapsed() < Duration::from_secs(10));

    let raw = message(&tok, 1);
    let delivery = {
        let raw = raw.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(500)).await;
            deliver("idle", &raw).await;
            Instant::now()
        })
    };
    let (mut s, new_mail) = s.idle_wait(Duration::from_secs(30)).await.unwrap();
    let woke = Instant::now();
    let delivered = delivery.await.unwrap();
    assert!(new_mail, "idle_wait timed out although mail arrived");
    assert!(woke.duration_since(delivered) < Duration::from_secs(5), "woke {:?} after the delivery", woke.duration_since(delivered));

    // The session is usable after IDLE, and the mail is there.
    let fetched = s.fetch_since(base, 100).await.unwrap();
    let ours = mine(&fetched, &tok);
    assert_eq!(ours.len(), 1);
    assert!(ours[0].raw.ends_with(&raw));

    // Mail that arrives between two waits (reported during a command) wakes the next wait at once.
    let raw2 = message(&tok, 2);
    deliver("idle", &raw2).await;
    let _ = s.unseen_uids().await.unwrap(); // the server reports the new EXISTS here
    let started = Instant::now();
    let (mut s, new_mail) = s.idle_wait(Duration::from_secs(30)).await.unwrap();
    assert!(new_mail);
    assert!(started.elapsed() < Duration::from_secs(5));
    let fetched = s.fetch_since(ours[0].uid, 100).await.unwrap();
    assert_eq!(mine(&fetched, &tok).len(), 1);
    s.logout().await;
}

#[tokio::test]
async fn wrong_password_is_a_clear_login_error() {
    let err = ImapSession::connect(&imap_config("support", "not-the-password")).await.expect_err("login must fail");
    eprintln!("{err}");
    assert!(matches!(err, MailError::Login { .. }), "{err:?}");
    assert!(err.is_config());
    let text = err.to_string();
    assert!(text.contains("login") && text.contains("support"), "{text}");
    assert!(text.to_lowercase().contains("authentication failed"), "{text}");
}

#[tokio::test]
async fn missing_folder_is_a_clear_folder_error() {
    let mut cfg = imap_config("support", PASSWORD);
    cfg.folder = "Không có".into();
    let err = ImapSession::connect(&cfg).await.expect_err("no such folder");
    eprintln!("{err}");
    assert!(matches!(err, MailError::Folder { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("Không có"), "{text}");
    assert!(text.contains("doesn't exist"), "{text}");
}

#[tokio::test]
async fn tls_modes_against_a_plain_imap_server_fail_as_tls_errors() {
    // Dovecot here has ssl=no: it offers no STARTTLS and speaks plain text on the port.
    let mut cfg = imap_config("support", PASSWORD);
    cfg.security = Security::StartTls;
    let err = ImapSession::connect(&cfg).await.expect_err("no STARTTLS");
    eprintln!("{err}");
    assert!(matches!(err, MailError::Tls { .. }), "{err:?}");
    assert!(err.to_string().contains("STARTTLS"), "{err}");

    cfg.security = Security::Tls;
    let err = ImapSession::connect(&cfg).await.expect_err("not TLS");
    eprintln!("{err}");
    assert!(matches!(err, MailError::Tls { .. }), "{err:?}");
}

/// A local port with nothing listening.
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn imap_connection_refused_is_a_connect_error() {
    let cfg = ImapConfig {
        host: "127.0.0.1".into(),
        port: closed_port().await,
        security: Security::Plain,
        username: "support".into(),
        password: PASSWORD.into(),
        folder: "INBOX".into(),
    };
    let err = ImapSession::connect(&cfg).await.expect_err("nothing listens");
    eprintln!("{err}");
    assert!(matches!(err, MailError::Connect { .. }), "{err:?}");
    assert!(!err.is_config());
    assert!(err.to_string().contains("cannot connect"), "{err}");
}

#[tokio::test]
async fn lmtp_unknown_user_is_refused() {
    let addr = env("RAPPORT_TEST_LMTP");
    let err = lmtp::deliver(&addr, "a@example.com", "nobody-here@example.com", b"Subject: x\r\n\r\nx\r\n").await.expect_err("no such user");
    eprintln!("{err}");
    assert!(err.to_string().contains("RCPT TO"), "{err}");
}

/// The sink's stored copy of the message with this Message-ID, and its envelope.
fn find_in_sink(message_id: &str) -> Option<(Vec<u8>, serde_json::Value)> {
    let dir = PathBuf::from(env("RAPPORT_TEST_SMTP_SINK_DIR"));
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "eml") {
            let raw = std::fs::read(&path).unwrap();
            if contains(&raw, message_id) {
                let meta = std::fs::read_to_string(path.with_extension("json")).unwrap();
                return Some((raw, serde_json::from_str(&meta).unwrap()));
            }
        }
    }
    None
}

#[tokio::test]
async fn send_raw_delivers_to_the_sink() {
    let tok = token("smtp");
    let message_id = format!("<{tok}@rapport.test>");
    let raw = format!(
        "From: Support <support@example.com>\r\n\
         To: customer@example.com, second@example.org\r\n\
         Subject: Re: {tok}\r\n\
         Message-ID: {message_id}\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         Reply body {tok}.\r\n\
         .leading dot\r\n\
         Zażółć gęślą jaźń, cảm ơn.\r\n"
    );
    let recipients = vec!["customer@example.com".to_string(), "second@example.org".to_string()];
    send_raw(&smtp_config(), "bounces@example.com", &recipients, raw.as_bytes()).await.unwrap();

    let (stored, envelope) = find_in_sink(&message_id).expect("the sink stored the message");
    assert_eq!(stored, raw.as_bytes(), "stored exactly as sent (dot-stuffing undone)");
    assert!(contains(&stored, &format!("Reply body {tok}.")));
    assert_eq!(envelope["mail_from"], "bounces@example.com");
    assert_eq!(envelope["rcpt_tos"], serde_json::json!(["customer@example.com", "second@example.org"]));
}

#[tokio::test]
async fn send_raw_sends_bare_lf_as_crlf_and_null_sender() {
    let tok = token("smtplf");
    let message_id = format!("<{tok}@rapport.test>");
    let raw = format!("Subject: {tok}\nMessage-ID: {message_id}\n\nline one\n.\nlast line\n");
    send_raw(&smtp_config(), "", &["customer@example.com".into()], raw.as_bytes()).await.unwrap();
    let (stored, envelope) = find_in_sink(&message_id).expect("stored");
    assert_eq!(stored, raw.replace('\n', "\r\n").as_bytes());
    assert_eq!(envelope["mail_from"], "<>");
}

#[tokio::test]
async fn send_raw_classifies_4xx_as_transient_and_5xx_as_permanent() {
    let raw = b"Subject: refused\r\n\r\nbody\r\n";
    let cfg = smtp_config();

    let err = send_raw(&cfg, "support@example.com", &["tempfail-1@example.com".into()], raw).await.expect_err("451");
    eprintln!("{err}");
    assert!(!err.permanent, "{err}");
    assert!(err.to_string().contains("451"), "{err}");

    let err = send_raw(&cfg, "support@example.com", &["reject-1@example.com".into()], raw).await.expect_err("550");
    eprintln!("{err}");
    assert!(err.permanent, "{err}");
    assert!(err.to_string().contains("550"), "{err}");

    // One refused recipient fails the whole send.
    let err = send_raw(&cfg, "support@example.com", &["ok@example.com".into(), "reject-2@example.com".into()], raw).await.expect_err("550");
    eprintln!("{err}");
    assert!(err.permanent, "{err}");
}

#[tokio::test]
async fn send_raw_tls_modes_against_a_plain_sink_are_transient() {
    let raw = b"Subject: tls\r\n\r\nbody\r\n";
    let mut cfg = smtp_config();
    cfg.security = Security::StartTls;
    let err = send_raw(&cfg, "support@example.com", &["a@example.com".into()], raw).await.expect_err("no STARTTLS");
    eprintln!("{err}");
    assert!(!err.permanent);
    assert!(err.to_string().contains("STARTTLS"), "{err}");

    cfg.security = Security::Tls;
    let err = send_raw(&cfg, "support@example.com", &["a@example.com".into()], raw).await.expect_err("not TLS");
    eprintln!("{err}");
    assert!(!err.permanent, "{err}");
}

#[tokio::test]
async fn send_raw_connection_refused_is_transient() {
    let cfg = SmtpConfig {
        host: "127.0.0.1".into(),
        port: closed_port().await,
        security: Security::Plain,
        username: String::new(),
        password: String::new(),
    };
    let err =
        send_raw(&cfg, "support@example.com", &["a@example.com".into()], b"Subject: x\r\n\r\nx\r\n").await.expect_err("nothing listens");
    eprintln!("{err}");
    assert!(!err.permanent, "{err}");
    assert!(err.to_string().contains("cannot connect"), "{err}");
}

/// A sink of this test's own that asks for AUTH (`scripts/smtp_sink.py --auth`), on a free port.
async fn sink_with_auth(dir: &std::path::Path) -> (tokio::process::Child, u16) {
    let port = closed_port().await;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp_sink.py");
    let child = tokio::process::Command::new("python3")
        .arg(script)
        .args(["--port", &port.to_string(), "--dir", dir.to_str().unwrap(), "--auth", "rapport:sink-secret"])
        .kill_on_drop(true)
        .spawn()
        .expect("python3 with aiosmtpd (scripts/mailservers.sh installs it)");
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "the sink did not start on port {port}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (child, port)
}

#[tokio::test]
async fn send_raw_authenticates_when_a_username_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let (mut sink, port) = sink_with_auth(dir.path()).await;
    let cfg = |user: &str, password: &str| SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: Security::Plain,
        username: user.into(),
        password: password.into(),
    };
    let raw = |tok: &str| {
        format!("From: support@example.com\r\nTo: c@example.com\r\nSubject: {tok}\r\nMessage-ID: <{tok}@rapport.test>\r\n\r\nHi.\r\n")
    };
    let to = vec!["c@example.com".to_string()];
    let envelope = |tok: &str| -> serde_json::Value {
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "eml") && contains(&std::fs::read(&path).unwrap(), tok) {
                return serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).unwrap()).unwrap();
            }
        }
        panic!("{tok} not in the sink")
    };

    let good = token("auth");
    send_raw(&cfg("rapport", "sink-secret"), "support@example.com", &to, raw(&good).as_bytes()).await.unwrap();
    assert_eq!(envelope(&good)["auth_user"], "rapport");

    let bad = send_raw(&cfg("rapport", "wrong"), "support@example.com", &to, raw(&token("authbad")).as_bytes()).await.unwrap_err();
    // Refused (535), and kept for later: fixing the mailbox's password lets the queued mail go out.
    assert!(!bad.permanent && bad.message.contains("535"), "{bad:?}");

    let anonymous = token("noauth");
    send_raw(&cfg("", ""), "support@example.com", &to, raw(&anonymous).as_bytes()).await.unwrap();
    assert_eq!(envelope(&anonymous)["auth_user"], serde_json::Value::Null, "no username: no AUTH");
    sink.kill().await.ok();
}
