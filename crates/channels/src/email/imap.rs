//! The IMAP client that pulls inbound mail from a mailbox's folder.
//!
//! One [`ImapSession`] is one logged-in connection with one folder selected. The
//! ingest worker uses it as: [`ImapSession::connect`], then in a loop
//! [`ImapSession::fetch_since`] the last stored UID, store each mail durably,
//! [`ImapSession::mark_seen`] it, and [`ImapSession::idle_wait`] for more.
//!
//! Every network step has a timeout, so a dead server never hangs a worker.
//! After any error the connection may be in an unknown state: drop the session
//! and connect again.

use std::collections::HashSet;
use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use async_imap::imap_proto::{MailboxDatum, Response, Status};
use async_imap::types::UnsolicitedResponse;
use async_imap::{Client, Session};
use base64::Engine as _;
use futures_util::StreamExt as _;
use rapport_store::mail::Security;
use tokio::net::TcpStream;
use tokio::time::{timeout, Instant};

use super::tls::{self, MailStream};

/// How long to wait for the TCP connection (with DNS) and for the TLS handshake.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to wait for the greeting, STARTTLS, LOGIN, SELECT and other short commands.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a fetch may stay silent between two messages (not for the whole batch,
/// so a large batch on a slow link still completes).
const FETCH_STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long LOGOUT may take before the connection is just dropped.
const LOGOUT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest single IDLE: RFC 2177 asks clients to re-issue IDLE at least every 29 minutes.
const MAX_IDLE: Duration = Duration::from_secs(25 * 60);

/// Where and how to read a mailbox's inbound mail.
#[derive(Debug, Clone)]
pub struct ImapConfig {
    /// Server host name (also the name its TLS certificate must be valid for).
    pub host: String,
    /// Server port: usually 993 for implicit TLS, 143 for STARTTLS or plain.
    pub port: u16,
    /// Implicit TLS, STARTTLS, or no encryption (tests and local servers only).
    pub security: Security,
    /// Login name.
    pub username: String,
    /// Login password.
    pub password: String,
    /// Folder to read, e.g. `INBOX`. Non-ASCII names are sent in IMAP's modified UTF-7.
    pub folder: String,
}

/// One message as fetched from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedMail {
    /// The message's UID in the selected folder (meaningful with its UIDVALIDITY).
    pub uid: u32,
    /// The whole message, byte for byte as the server holds it (`BODY[]`).
    pub raw: Vec<u8>,
}

/// What went wrong talking to an IMAP server. The messages are meant for an
/// administrator (they end up in a mailbox's `last_error`), and name the server,
/// user or folder involved.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The TCP connection could not be made (DNS failure, connection refused, unreachable...).
    #[error("cannot connect to IMAP server {addr}: {source}")]
    Connect {
        /// `host:port`.
        addr: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// TLS failed: handshake, certificate verification, or the server refused STARTTLS.
    #[error("TLS with IMAP server {host} failed: {message}")]
    Tls {
        /// The server's host name.
        host: String,
        /// What failed.
        message: String,
    },
    /// The server refused the login (wrong user name or password, account disabled...).
    #[error("IMAP login as {username:?} failed: {message}")]
    Login {
        /// The user name that was tried.
        username: String,
        /// The server's answer.
        message: String,
    },
    /// The folder does not exist or cannot be selected.
    #[error("IMAP folder {folder:?} cannot be opened: {message}")]
    Folder {
        /// The folder as configured.
        folder: String,
        /// The server's answer.
        message: String,
    },
    /// A step took longer than its time limit.
    #[error("IMAP server timed out while {step} (no answer within {limit:?})")]
    Timeout {
        /// What was being done, e.g. `fetching messages`.
        step: &'static str,
        /// The limit that was exceeded.
        limit: Duration,
    },
    /// Any other failure during a step: the server said NO or BAD, closed the
    /// connection, or sent something unparseable.
    #[error("IMAP error while {step}: {message}")]
    Protocol {
        /// What was being done.
        step: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl MailError {
    /// True for errors that need an administrator to fix the mailbox settings
    /// (credentials, folder) rather than waiting for the server to come back.
    pub fn is_config(&self) -> bool {
        matches!(self, MailError::Login { .. } | MailError::Folder { .. })
    }
}

/// Runs one network step under a time limit, turning its error into [`MailError::Protocol`].
async fn step<T, E: Display>(what: &'static str, limit: Duration, fut: impl Future<Output = Result<T, E>>) -> Result<T, MailError> {
    match timeout(limit, fut).await {
        Err(_) => Err(MailError::Timeout { step: what, limit }),
        Ok(Err(e)) => Err(MailError::Protocol { step: what, message: tidy(&e.to_string()) }),
        Ok(Ok(v)) => Ok(v),
    }
}

/// async-imap shows a server's NO / BAD answer as `... code: None, info:
/// Some("text")`, and a line it could not parse (e.g. 8-bit text in a NO) as
/// `... during parsing of "A0002 NO text\r\n"`: keep the server's text, which
/// is what an administrator needs.
fn tidy(message: &str) -> String {
    let unescape = |s: &str| s.replace("\\\"", "\"").replace("\\\\", "\\");
    const INFO: &str = "info: Some(\"";
    if let (Some(i), Some(j)) = (message.find(INFO), message.rfind("\")")) {
        if i + INFO.len() <= j {
            return unescape(&message[i + INFO.len()..j]);
        }
    }
    const LINE: &str = "during parsing of \"";
    if let (Some(i), Some(j)) = (message.find(LINE), message.rfind('"')) {
        if i + LINE.len() <= j {
            let line = message[i + LINE.len()..j].trim_end_matches("\\r\\n");
            // Drop the command tag: `A0002 NO ...` -> `NO ...`.
            let line = match line.split_once(' ') {
                Some((tag, rest)) if tag.chars().all(|c| c.is_ascii_alphanumeric()) => rest,
                _ => line,
            };
            return unescape(line);
        }
    }
    message.to_owned()
}

/// A logged-in IMAP connection with one folder selected.
#[derive(Debug)]
pub struct ImapSession {
    session: Session<MailStream>,
    uid_validity: u32,
    uid_next: Option<u32>,
    /// The folder's message count as last reported by the server (EXISTS).
    exists: u32,
    /// The count grew since the last search for new mail: the next
    /// [`ImapSession::idle_wait`] returns at once.
    new_mail: bool,
    has_idle: bool,
}

impl ImapSession {
    /// Connects (implicit TLS, STARTTLS, or plain), logs in, selects the folder.
    ///
    /// TLS certificates are verified against the webpki (Mozilla) roots for `cfg.host`.
    pub async fn connect(cfg: &ImapConfig) -> Result<Self, MailError> {
        let addr = format!("{}:{}", cfg.host, cfg.port);
        let tcp = match timeout(CONNECT_TIMEOUT, TcpStream::connect((cfg.host.as_str(), cfg.port))).await {
            Err(_) => return Err(MailError::Timeout { step: "connecting", limit: CONNECT_TIMEOUT }),
            Ok(Err(source)) => return Err(MailError::Connect { addr, source }),
            Ok(Ok(tcp)) => tcp,
        };
        let _ = tcp.set_nodelay(true);

        let stream = match cfg.security {
            Security::Tls => MailStream::Tls(Box::new(tls_handshake(&cfg.host, tcp).await?)),
            Security::StartTls | Security::Plain => MailStream::Plain(tcp),
        };
        let mut client = Client::new(stream);
        read_greeting(&mut client).await?;

        if cfg.security == Security::StartTls {
            match timeout(COMMAND_TIMEOUT, client.run_command_and_check_ok("STARTTLS", None)).await {
                Err(_) => return Err(MailError::Timeout { step: "starting TLS (STARTTLS)", limit: COMMAND_TIMEOUT }),
                Ok(Err(e)) => {
                    return Err(MailError::Tls {
                        host: cfg.host.clone(),
                        message: format!("the server refused STARTTLS: {}", server_text(&e)),
                    })
                }
                Ok(Ok(())) => {}
            }
            // Anything the server sent after its OK is dropped with the old
            // client: only what arrives over TLS counts (RFC 3501, 11.1).
            let MailStream::Plain(tcp) = client.into_inner() else { unreachable!("STARTTLS starts from a plain stream") };
            client = Client::new(MailStream::Tls(Box::new(tls_handshake(&cfg.host, tcp).await?)));
        }

        let (mut session, capabilities) = match timeout(COMMAND_TIMEOUT, client.login_with_capabilities(&cfg.username, &cfg.password)).await
        {
            Err(_) => return Err(MailError::Timeout { step: "logging in", limit: COMMAND_TIMEOUT }),
            Ok(Err((e, _client))) => return Err(MailError::Login { username: cfg.username.clone(), message: server_text(&e) }),
            Ok(Ok(v)) => v,
        };

        let has_idle = match capabilities {
            Some(caps) => caps.has_str("IDLE"),
            None => step("asking for capabilities", COMMAND_TIMEOUT, session.capabilities()).await?.has_str("IDLE"),
        };

        let folder = encode_folder_name(&cfg.folder);
        let mailbox = match timeout(COMMAND_TIMEOUT, session.select(&folder)).await {
            Err(_) => return Err(MailError::Timeout { step: "selecting the folder", limit: COMMAND_TIMEOUT }),
            Ok(Err(e)) => return Err(MailError::Folder { folder: cfg.folder.clone(), message: server_text(&e) }),
            Ok(Ok(m)) => m,
        };
        let uid_validity = mailbox.uid_validity.unwrap_or_else(|| {
            tracing::warn!(host = %cfg.host, folder = %cfg.folder, "IMAP server sent no UIDVALIDITY");
            0
        });
        Ok(ImapSession { session, uid_validity, uid_next: mailbox.uid_next, exists: mailbox.exists, new_mail: false, has_idle })
    }

    /// The selected folder's UIDVALIDITY. When it changes between sessions, the
    /// folder's UIDs were renumbered and stored "last UID" positions are void.
    pub fn uid_validity(&self) -> u32 {
        self.uid_validity
    }

    /// The folder's UIDNEXT when it was selected (None if the server did not
    /// say): every message delivered later has a UID at least this high, so a
    /// newly configured mailbox can start from `uid_next - 1` instead of
    /// importing the folder's history.
    pub fn uid_next(&self) -> Option<u32> {
        self.uid_next
    }

    /// Full raw bytes (BODY.PEEK[] so nothing is marked seen) of up to `max` messages with UID > last_uid, ascending by UID.
    ///
    /// Finds the UIDs first (UID SEARCH) and fetches only the `max` lowest, so a
    /// folder with a large backlog is drained in bounded batches. When it returns
    /// `max` mails, call it again before [`ImapSession::idle_wait`]: mail that was
    /// already there when this searched does not wake an IDLE.
    pub async fn fetch_since(&mut self, last_uid: u32, max: usize) -> Result<Vec<FetchedMail>, MailError> {
        if max == 0 || last_uid == u32::MAX {
            return Ok(Vec::new());
        }
        self.sync().await?;
        // The search below sees everything announced so far.
        self.new_mail = false;
        let found = step("searching for new messages", COMMAND_TIMEOUT, self.session.uid_search(format!("UID {}:*", last_uid + 1))).await?;
        // `n:*` also matches the highest UID when it is below n: filter.
        let mut uids: Vec<u32> = found.into_iter().filter(|&u| u > last_uid).collect();
        uids.sort_unstable();
        uids.truncate(max);
        if uids.is_empty() {
            self.note_unsolicited();
            return Ok(Vec::new());
        }
        let wanted: HashSet<u32> = uids.iter().copied().collect();

        let mut mails = Vec::with_capacity(uids.len());
        {
            let mut stream =
                step("fetching messages", FETCH_STEP_TIMEOUT, self.session.uid_fetch(uid_set(&uids), "(UID BODY.PEEK[])")).await?;
            loop {
                let item = match timeout(FETCH_STEP_TIMEOUT, stream.next()).await {
                    Err(_) => return Err(MailError::Timeout { step: "fetching messages", limit: FETCH_STEP_TIMEOUT }),
                    Ok(None) => break,
                    Ok(Some(item)) => item,
                };
                let fetch = item.map_err(|e| MailError::Protocol { step: "fetching messages", message: e.to_string() })?;
                // A message expunged meanwhile comes back without a body; flag
                // updates for other messages may be interleaved: skip both.
                let (Some(uid), Some(body)) = (fetch.uid, fetch.body()) else {
                    continue;
                };
                if wanted.contains(&uid) {
                    mails.push(FetchedMail { uid, raw: body.to_vec() });
                }
            }
        }
        mails.sort_by_key(|m| m.uid);
        mails.dedup_by_key(|m| m.uid);
        self.note_unsolicited();
        Ok(mails)
    }

    /// Adds \Seen to messages (after they are durably stored), in one command.
    pub async fn mark_seen(&mut self, uids: &[u32]) -> Result<(), MailError> {
        let what = "marking messages seen";
        if uids.is_empty() {
            return Ok(());
        }
        {
            let mut stream = step(what, COMMAND_TIMEOUT, self.session.uid_store(uid_set(uids), "+FLAGS.SILENT (\\Seen)")).await?;
            loop {
                match timeout(COMMAND_TIMEOUT, stream.next()).await {
                    Err(_) => return Err(MailError::Timeout { step: what, limit: COMMAND_TIMEOUT }),
                    Ok(None) => break,
                    Ok(Some(Err(e))) => return Err(MailError::Protocol { step: what, message: e.to_string() }),
                    Ok(Some(Ok(_))) => {}
                }
            }
        }
        self.note_unsolicited();
        Ok(())
    }

    /// UIDs of the folder's messages that do not have \Seen, ascending.
    /// For checks and diagnostics; ingest itself goes by UID, not by flags.
    pub async fn unseen_uids(&mut self) -> Result<Vec<u32>, MailError> {
        self.sync().await?;
        let found = step("searching for unseen messages", COMMAND_TIMEOUT, self.session.uid_search("UNSEEN")).await?;
        let mut uids: Vec<u32> = found.into_iter().collect();
        uids.sort_unstable();
        self.note_unsolicited();
        Ok(uids)
    }

    /// IMAP IDLE: returns Ok(true) when the server reports new mail, Ok(false) on timeout. Falls back to sleeping for `timeout` if the server lacks IDLE.
    ///
    /// "New mail" means the folder's message count (EXISTS) grew. Growth the
    /// server reported during other commands since the last
    /// [`ImapSession::fetch_since`] counts too, and then this returns at once,
    /// so mail arriving between a fetch and the wait is never missed. Flag
    /// changes and expunges by other
    /// clients do not end the wait. Without IDLE, it sleeps and then returns
    /// `true` so the caller polls. `timeout` is capped at 25 minutes (RFC 2177).
    pub async fn idle_wait(mut self, timeout: Duration) -> Result<(Self, bool), MailError> {
        self.note_unsolicited();
        if self.new_mail {
            self.new_mail = false;
            return Ok((self, true));
        }
        let limit = timeout.min(MAX_IDLE);
        if !self.has_idle {
            tokio::time::sleep(limit).await;
            return Ok((self, true));
        }
        let ImapSession { session, uid_validity, uid_next, mut exists, new_mail: _, has_idle } = self;
        let mut handle = session.idle();
        step("starting IDLE", COMMAND_TIMEOUT, handle.init()).await?;

        let deadline = Instant::now() + limit;
        let mut new_mail = false;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                break;
            }
            let (wait, _stop) = handle.wait_with_timeout(remaining);
            match tokio::time::timeout(remaining, wait).await {
                Err(_) => break,
                Ok(Ok(IdleResponse::Timeout | IdleResponse::ManualInterrupt)) => break,
                Ok(Ok(IdleResponse::NewData(data))) => match data.parsed() {
                    Response::MailboxData(MailboxDatum::Exists(n)) => {
                        let grew = *n > exists;
                        exists = *n;
                        if grew {
                            new_mail = true;
                            break;
                        }
                    }
                    Response::Expunge(_) => exists = exists.saturating_sub(1),
                    Response::Data { status: Status::Bye, information, .. } => {
                        return Err(MailError::Protocol {
                            step: "waiting in IDLE",
                            message: format!("the server closed the connection: {}", information.as_deref().unwrap_or("BYE")),
                        })
                    }
                    _ => {}
                },
                Ok(Err(e)) => return Err(MailError::Protocol { step: "waiting in IDLE", message: e.to_string() }),
            }
        }
        let session = step("ending IDLE", COMMAND_TIMEOUT, handle.done()).await?;
        let mut this = ImapSession { session, uid_validity, uid_next, exists, new_mail: false, has_idle };
        // EXISTS that arrived while ending IDLE counts too.
        this.note_unsolicited();
        let new_mail = new_mail || this.new_mail;
        this.new_mail = false;
        Ok((this, new_mail))
    }

    /// Logs out politely (bounded by a short timeout); errors are ignored.
    pub async fn logout(mut self) {
        let _ = timeout(LOGOUT_TIMEOUT, self.session.logout()).await;
    }

    /// NOOP: lets the server announce what changed since the last command
    /// (Dovecot, for one, updates a session's view only between commands).
    async fn sync(&mut self) -> Result<(), MailError> {
        step("checking for changes", COMMAND_TIMEOUT, self.session.noop()).await?;
        self.note_unsolicited();
        Ok(())
    }

    /// Drains the responses the server sent on its own during earlier commands,
    /// keeping the message count up to date and noting when it grew (new mail).
    fn note_unsolicited(&mut self) {
        while let Ok(resp) = self.session.unsolicited_responses.try_recv() {
            match resp {
                UnsolicitedResponse::Exists(n) => {
                    self.new_mail |= n > self.exists;
                    self.exists = n;
                }
                UnsolicitedResponse::Expunge(_) => self.exists = self.exists.saturating_sub(1),
                _ => {}
            }
        }
    }
}

/// TLS handshake for `host` under the connect timeout.
async fn tls_handshake(host: &str, tcp: TcpStream) -> Result<tokio_rustls::client::TlsStream<TcpStream>, MailError> {
    match timeout(CONNECT_TIMEOUT, tls::connect(host, tcp)).await {
        Err(_) => Err(MailError::Timeout { step: "negotiating TLS", limit: CONNECT_TIMEOUT }),
        Ok(Err(e)) => Err(MailError::Tls { host: host.to_owned(), message: e.to_string() }),
        Ok(Ok(s)) => Ok(s),
    }
}

/// Reads the server greeting: `* OK` (or `* PREAUTH`) is fine, `* BYE` is a refusal.
async fn read_greeting(client: &mut Client<MailStream>) -> Result<(), MailError> {
    let what = "reading the server greeting";
    let greeting = step(what, COMMAND_TIMEOUT, client.read_response())
        .await?
        .ok_or(MailError::Protocol { step: what, message: "the server closed the connection".into() })?;
    match greeting.parsed() {
        Response::Data { status: Status::Ok | Status::PreAuth, .. } => Ok(()),
        Response::Data { status, information, .. } => Err(MailError::Protocol {
            step: what,
            message: format!("the server refused the connection ({status:?}): {}", information.as_deref().unwrap_or("")),
        }),
        other => Err(MailError::Protocol { step: what, message: format!("unexpected greeting {other:?}") }),
    }
}

/// The server's own words for NO / BAD answers, the error otherwise.
fn server_text(e: &async_imap::error::Error) -> String {
    match e {
        async_imap::error::Error::No(text) | async_imap::error::Error::Bad(text) => tidy(text),
        other => tidy(&other.to_string()),
    }
}

/// A UID set for a command: ascending UIDs with consecutive runs as ranges, e.g. `1:3,7,9:10`.
fn uid_set(sorted: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

/// Encodes a folder name in IMAP's modified UTF-7 (RFC 3501, 5.1.3): printable
/// ASCII as is (`&` as `&-`), other characters as `&` + base64 of UTF-16BE + `-`.
fn encode_folder_name(name: &str) -> String {
    let engine = base64::engine::GeneralPurpose::new(&base64::alphabet::IMAP_MUTF7, base64::engine::general_purpose::NO_PAD);
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    let flush = |pending: &mut Vec<u16>, out: &mut String| {
        if !pending.is_empty() {
            let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
            out.push('&');
            out.push_str(&engine.encode(bytes));
            out.push('-');
            pending.clear();
        }
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut pending, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut pending, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_sets_compress_runs() {
        assert_eq!(uid_set(&[]), "");
        assert_eq!(uid_set(&[5]), "5");
        assert_eq!(uid_set(&[1, 2, 3, 7, 9, 10]), "1:3,7,9:10");
        assert_eq!(uid_set(&[4, 6, 8]), "4,6,8");
    }

    #[test]
    fn folder_names_use_modified_utf7() {
        assert_eq!(encode_folder_name("INBOX"), "INBOX");
        assert_eq!(encode_folder_name("Entwürfe"), "Entw&APw-rfe");
        assert_eq!(encode_folder_name("A&B"), "A&-B");
        assert_eq!(encode_folder_name("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assert_eq!(encode_folder_name("Hộp thư"), "H&Htk-p th&AbA-");
        // Outside the BMP: a surrogate pair.
        assert_eq!(encode_folder_name("📧"), "&2D3c5w-");
    }

    #[test]
    fn server_text_is_kept_and_debug_noise_dropped() {
        assert_eq!(
            tidy(r#"no response: code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#),
            "[AUTHENTICATIONFAILED] Authentication failed."
        );
        assert_eq!(tidy(r#"code: None, info: Some("say \"hi\"")"#), r#"say "hi""#);
        assert_eq!(tidy("connection lost"), "connection lost");
        assert_eq!(
            tidy(
                r#"io: Error(Error { input: [1, 2], code: Tag }) during parsing of "A0002 NO Mailbox doesn't exist: Không có (0.001 + 0.000 secs).\r\n""#
            ),
            "NO Mailbox doesn't exist: Không có (0.001 + 0.000 secs)."
        );
    }

    #[test]
    fn errors_read_well() {
        let e = MailError::Login { username: "support".into(), message: "[AUTHENTICATIONFAILED] Authentication failed.".into() };
        assert_eq!(e.to_string(), "IMAP login as \"support\" failed: [AUTHENTICATIONFAILED] Authentication failed.");
        assert!(e.is_config());
        let e = MailError::Timeout { step: "logging in", limit: COMMAND_TIMEOUT };
        assert_eq!(e.to_string(), "IMAP server timed out while logging in (no answer within 30s)");
        assert!(!e.is_config());
    }
}
