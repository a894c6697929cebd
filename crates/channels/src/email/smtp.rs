//! The SMTP client that delivers outbound mail (agent replies, notifications).
//!
//! [`send_raw`] opens one connection per call, sends one already-rendered
//! message to its recipients, and reports failures as [`SendError`], split into
//! permanent (don't retry) and transient (retry later) so the outbound queue
//! knows what to do. Every network step has a timeout.

use std::borrow::Cow;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, CertificateStore, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::Address;
use rapport_store::mail::Security;
use tokio::time::timeout;

/// How long to wait for the TCP connection, TLS, the greeting and EHLO; also
/// for STARTTLS and AUTH.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Base time for the MAIL / RCPT / DATA exchange; one more second is allowed
/// per 64 KiB of message so large mails on slow links still get through.
const SEND_BASE_TIMEOUT: Duration = Duration::from_secs(60);

/// Where and how to send a mailbox's outbound mail.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// Server host name (also the name its TLS certificate must be valid for).
    pub host: String,
    /// Server port: usually 465 for implicit TLS, 587 for STARTTLS, 25 for relays.
    pub port: u16,
    /// Implicit TLS, STARTTLS, or no encryption (tests and local relays only).
    pub security: Security,
    /// Login name; empty means no AUTH.
    pub username: String,
    /// Login password.
    pub password: String,
}

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// `true` when the server rejected the message or a recipient with a 5xx
    /// reply, or the addresses are invalid: retrying the same message cannot
    /// succeed. `false` for 4xx replies, connection, timeout and TLS errors, and
    /// failed logins (fixing the mailbox settings lets the queued mail go out).
    pub permanent: bool,
    /// What happened, naming the server, for logs and the outbound queue.
    pub message: String,
}

impl SendError {
    fn transient(message: String) -> Self {
        SendError { permanent: false, message }
    }

    fn permanent(message: String) -> Self {
        SendError { permanent: true, message }
    }
}

/// Sends an already-rendered RFC 5322 message as is. Empty username: no AUTH.
///
/// `envelope_from` is the SMTP MAIL FROM (return path); empty sends the null
/// sender `<>` (for bounces and auto-replies). Bare LF line endings in `raw` are
/// sent as CRLF, as SMTP requires; nothing else is changed (dot-stuffing is done
/// on the wire). The message goes to all `recipients` or to none: a refused
/// recipient fails the whole send.
pub async fn send_raw(cfg: &SmtpConfig, envelope_from: &str, recipients: &[String], raw: &[u8]) -> Result<(), SendError> {
    let envelope = envelope(envelope_from, recipients)?;
    let addr = format!("{}:{}", cfg.host, cfg.port);
    let hello = hello_name(envelope_from);
    let tls_parameters = || {
        TlsParameters::builder(cfg.host.clone())
            .certificate_store(CertificateStore::WebpkiRoots)
            .build_rustls()
            .map_err(|e| SendError::transient(format!("TLS setup for SMTP server {addr} failed: {e}")))
    };

    let implicit_tls = match cfg.security {
        Security::Tls => Some(tls_parameters()?),
        Security::StartTls | Security::Plain => None,
    };
    let mut conn = match timeout(
        CONNECT_TIMEOUT,
        AsyncSmtpConnection::connect_tokio1((cfg.host.as_str(), cfg.port), Some(CONNECT_TIMEOUT), &hello, implicit_tls, None),
    )
    .await
    {
        Err(_) => {
            return Err(SendError::transient(format!(
                "SMTP server {addr} timed out while connecting (no answer within {CONNECT_TIMEOUT:?})"
            )))
        }
        Ok(Err(e)) => return Err(SendError::transient(format!("cannot connect to SMTP server {addr}: {e}"))),
        Ok(Ok(conn)) => conn,
    };

    if cfg.security == Security::StartTls {
        if !conn.can_starttls() {
            conn.abort().await;
            return Err(SendError::transient(format!("SMTP server {addr} does not offer STARTTLS")));
        }
        let params = tls_parameters()?;
        match timeout(CONNECT_TIMEOUT, conn.starttls(params, &hello)).await {
            Err(_) => return Err(SendError::transient(format!("SMTP server {addr} timed out during STARTTLS"))),
            Ok(Err(e)) => return Err(SendError::transient(format!("STARTTLS with SMTP server {addr} failed: {e}"))),
            Ok(Ok(())) => {}
        }
    }

    if !cfg.username.is_empty() {
        let credentials = Credentials::new(cfg.username.clone(), cfg.password.clone());
        match timeout(CONNECT_TIMEOUT, conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)).await {
            Err(_) => return Err(SendError::transient(format!("SMTP server {addr} timed out during login"))),
            Ok(Err(e)) => {
                conn.abort().await;
                return Err(SendError::transient(format!("SMTP login as {:?} at {addr} failed: {e}", cfg.username)));
            }
            Ok(Ok(_)) => {}
        }
    }

    let data = crlf(raw);
    let limit = SEND_BASE_TIMEOUT + Duration::from_secs((data.len() / 65536) as u64);
    // lettre always writes CRLF before the final dot: drop the message's own
    // last CRLF so the message arrives byte for byte as given.
    let body = data.strip_suffix(b"\r\n").unwrap_or(&data);
    match timeout(limit, conn.send(&envelope, body)).await {
        Err(_) => Err(SendError::transient(format!("SMTP server {addr} timed out while sending (no answer within {limit:?})"))),
        Ok(Err(e)) => {
            conn.abort().await;
            let message = format!("SMTP server {addr} did not accept the message: {e}");
            Err(if e.is_permanent() { SendError::permanent(message) } else { SendError::transient(message) })
        }
        Ok(Ok(_)) => {
            // Accepted: a failed QUIT changes nothing.
            let _ = timeout(Duration::from_secs(5), conn.quit()).await;
            Ok(())
        }
    }
}

/// The SMTP envelope; invalid addresses are permanent errors.
fn envelope(from: &str, recipients: &[String]) -> Result<Envelope, SendError> {
    let from = if from.is_empty() {
        None
    } else {
        Some(from.parse::<Address>().map_err(|e| SendError::permanent(format!("invalid envelope sender {from:?}: {e}")))?)
    };
    let to = recipients
        .iter()
        .map(|r| r.parse::<Address>().map_err(|e| SendError::permanent(format!("invalid recipient {r:?}: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    if to.is_empty() {
        return Err(SendError::permanent("no recipients".into()));
    }
    Envelope::new(from, to).map_err(|e| SendError::permanent(format!("invalid envelope: {e}")))
}

/// The EHLO name: the sender's domain, which is ours, else `localhost`.
fn hello_name(envelope_from: &str) -> ClientId {
    match envelope_from.rsplit_once('@') {
        Some((_, domain)) if !domain.is_empty() => ClientId::Domain(domain.to_owned()),
        _ => ClientId::Domain("localhost".to_owned()),
    }
}

/// `raw` with every bare LF turned into CRLF (borrowed when there is none).
fn crlf(raw: &[u8]) -> Cow<'_, [u8]> {
    let bare_lf = raw.iter().enumerate().any(|(i, &b)| b == b'\n' && (i == 0 || raw[i - 1] != b'\r'));
    if !bare_lf {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32);
    for (i, &b) in raw.iter().enumerate() {
        if b == b'\n' && (i == 0 || raw[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_become_crlf() {
        assert!(matches!(crlf(b"a\r\nb\r\n"), Cow::Borrowed(_)));
        assert_eq!(&*crlf(b"a\nb\r\nc\n"), b"a\r\nb\r\nc\r\n");
        assert_eq!(&*crlf(b"\n.\n"), b"\r\n.\r\n");
    }

    #[test]
    fn envelope_checks_addresses() {
        assert!(envelope("", &["a@example.com".into()]).is_ok());
        assert!(envelope("me@example.com", &["a@example.com".into()]).is_ok());
        let e = envelope("me@example.com", &[]).unwrap_err();
        assert!(e.permanent);
        let e = envelope("me@example.com", &["not an address".into()]).unwrap_err();
        assert!(e.permanent);
        assert!(e.message.contains("not an address"));
    }

    #[test]
    fn hello_uses_sender_domain() {
        assert_eq!(hello_name("support@example.com"), ClientId::Domain("example.com".into()));
        assert_eq!(hello_name(""), ClientId::Domain("localhost".into()));
    }

    #[test]
    fn tls_parameters_build_with_ring_and_webpki_roots() {
        TlsParameters::builder("smtp.example.com".into()).certificate_store(CertificateStore::WebpkiRoots).build_rustls().unwrap();
    }
}
