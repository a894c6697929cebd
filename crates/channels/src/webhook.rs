//! Outbound webhooks: each event goes to every subscribed URL as a JSON POST,
//! signed with the subscription's secret, retried with exponential backoff,
//! every attempt logged in the store.
//!
//! Body: `{"id": <event id>, "event": "<name>", "created_at": "<RFC 3339>", "data": {...}}`.
//! Headers:
//! - `Rapport-Event: <name>`, `Rapport-Delivery: <delivery id>`;
//! - `Rapport-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
//!   A receiver recomputes the HMAC with its secret, compares in constant
//!   time, and rejects old timestamps to stop replays.

use rapport_domain::crypto::{hmac_sha256, SecretBox};
use rapport_domain::Timestamp;
use rapport_store::webhooks::{AttemptOutcome, DeliveryJob};
use rapport_store::{Result, Store};
use std::time::{Duration, Instant};

/// Attempts before a delivery is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;

/// The HTTP client deliveries go through.
pub use reqwest::Client as HttpClient;
/// How long a claimed delivery is ours before another worker may retry it.
const LEASE: Duration = Duration::from_secs(120);

/// Wait before the next attempt after `attempts`: 30 s, 1 min, 2 min, ... capped at an hour.
pub fn backoff_seconds(attempts: i64) -> i64 {
    (30i64 << (attempts - 1).clamp(0, 7)).min(3600)
}

/// The `Rapport-Signature` header value for a body sent at `unix_seconds`.
pub fn signature(secret: &str, unix_seconds: i64, body: &str) -> String {
    let mac = hmac_sha256(secret.as_bytes(), format!("{unix_seconds}.{body}").as_bytes());
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={unix_seconds},v1={hex}")
}

pub fn body(job: &DeliveryJob) -> String {
    serde_json::json!({ "id": job.event.id, "event": job.event.name, "created_at": job.event.created_at, "data": job.event.payload })
        .to_string()
}

/// One attempt: what happened, and when to try again.
pub async fn attempt(http: &reqwest::Client, secrets: &SecretBox, job: &DeliveryJob) -> AttemptOutcome {
    let started = Instant::now();
    let retry_or_give_up = || {
        if job.attempts >= MAX_ATTEMPTS {
            Some(None)
        } else {
            Some(Some(Timestamp::now().plus_seconds(backoff_seconds(job.attempts))))
        }
    };
    let secret = match secrets.open(&job.secret_enc) {
        Ok(s) => s,
        Err(e) => {
            return AttemptOutcome {
                status_code: None,
                error: Some(format!("cannot open the signing secret: {e}")),
                duration_ms: 0,
                retry: Some(None),
            }
        }
    };
    let payload = body(job);
    let sig = signature(&secret, Timestamp::now().millis() / 1000, &payload);
    let sent = http
        .post(&job.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Rapport-Event", &job.event.name)
        .header("Rapport-Delivery", job.delivery_id.to_string())
        .header("Rapport-Signature", sig)
        .body(payload)
        .send()
        .await;
    let duration_ms = started.elapsed().as_millis() as i64;
    match sent {
        Ok(r) if r.status().is_success() => {
            AttemptOutcome { status_code: Some(i64::from(r.status().as_u16())), error: None, duration_ms, retry: None }
        }
        Ok(r) => AttemptOutcome {
            status_code: Some(i64::from(r.status().as_u16())),
            error: Some(format!("HTTP {}", r.status())),
            duration_ms,
            retry: retry_or_give_up(),
        },
        Err(e) => AttemptOutcome { status_code: None, error: Some(e.to_string()), duration_ms, retry: retry_or_give_up() },
    }
}

/// A client for deliveries: short timeouts, no redirects (a redirect could
/// move a signed body somewhere the admin did not subscribe).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Rapport-Webhooks/1")
        .build()
        .expect("a client with these settings builds")
}

/// Sends every due delivery once (up to `batch`) and records each outcome. Returns how many were attempted.
pub async fn deliver_due(store: &dyn Store, secrets: &SecretBox, http: &reqwest::Client, batch: usize) -> Result<usize> {
    let now = Timestamp::now();
    let jobs = store.claim_webhook_deliveries(now, Timestamp(now.millis() + LEASE.as_millis() as i64), batch).await?;
    for job in &jobs {
        let outcome = attempt(http, secrets, job).await;
        if let Some(e) = &outcome.error {
            tracing::warn!(delivery = job.delivery_id, url = %job.url, error = %e, "webhook delivery failed");
        }
        store.finish_webhook_delivery(job.delivery_id, &outcome).await?;
    }
    Ok(jobs.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_store::story::world;
    use rapport_store::webhooks::{DeliveryStatus, WebhookInput, WebhookStore};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn signature_is_hmac_of_timestamp_and_body() {
        let s = signature("whsec_test", 1_700_000_000, r#"{"a":1}"#);
        let mac = hmac_sha256(b"whsec_test", br#"1700000000.{"a":1}"#);
        assert_eq!(s, format!("t=1700000000,v1={}", mac.iter().map(|b| format!("{b:02x}")).collect::<String>()));
        assert_eq!((backoff_seconds(1), backoff_seconds(2), backoff_seconds(20)), (30, 60, 3600));
    }

    /// A receiver that answers 503 to the first request and 200 after, and keeps what it got.
    async fn receiver() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut n = 0;
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                let mut buf = vec![0u8; 65536];
                let mut got = 0;
                // Read the head and the declared body.
                loop {
                    let k = sock.read(&mut buf[got..]).await.unwrap_or(0);
                    got += k;
                    let text = String::from_utf8_lossy(&buf[..got]).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if got >= end + 4 + len || k == 0 {
                            break;
                        }
                    } else if k == 0 {
                        break;
                    }
                }
                n += 1;
                let _ = tx.send(String::from_utf8_lossy(&buf[..got]).to_string());
                let status = if n == 1 { "503 Service Unavailable" } else { "200 OK" };
                let _ = sock.write_all(format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").as_bytes()).await;
            }
        });
        (url, rx)
    }

    #[tokio::test]
    async fn deliveries_are_signed_retried_and_logged() {
        let dir = tempfile::tempdir().unwrap();
        let store = rapport_store_sqlite::SqliteStore::open(dir.path().join("t.db")).await.unwrap();
        store.migrate().await.unwrap();
        let w = world(&store).await;
        let secrets = SecretBox::new(b"test key");
        let (url, mut got) = receiver().await;
        let secret = "whsec_abc";
        let hook = store
            .create_webhook(&w.admin, &WebhookInput { url, events: vec!["survey.low_score".into()], active: None }, &secrets.seal(secret))
            .await
            .unwrap();
        let event = store.record_event(&w.agent, "survey.low_score", &serde_json::json!({ "score": 1 })).await.unwrap();
        let http = client();

        // First attempt: the receiver says 503; the delivery waits for a retry.
        assert_eq!(deliver_due(&store, &secrets, &http, 10).await.unwrap(), 1);
        let request = got.recv().await.unwrap();
        let log = &store.list_webhook_deliveries(&w.admin, hook.id, 10).await.unwrap()[0];
        assert_eq!((log.status, log.attempts, log.last_status_code), (DeliveryStatus::Queued, 1, Some(503)));
        assert!(log.next_attempt_at.millis() > Timestamp::now().millis() + 20_000, "backs off");
        // The request was signed over its body with the subscription's secret.
        let (head, body_text) = request.split_once("\r\n\r\n").unwrap();
        let sig =
            head.lines().find_map(|l| l.strip_prefix("rapport-signature: ").or_else(|| l.strip_prefix("Rapport-Signature: "))).unwrap();
        let t: i64 = sig.trim_start_matches("t=").split(',').next().unwrap().parse().unwrap();
        assert_eq!(sig, signature(secret, t, body_text));
        let sent: serde_json::Value = serde_json::from_str(body_text).unwrap();
        assert_eq!(
            (sent["id"].as_i64(), sent["event"].as_str(), sent["data"]["score"].as_i64()),
            (Some(event.id), Some("survey.low_score"), Some(1))
        );
        // Nothing is due yet; when it is, the second attempt is delivered.
        assert_eq!(deliver_due(&store, &secrets, &http, 10).await.unwrap(), 0);
        let later = Timestamp(log.next_attempt_at.millis() + 1);
        let jobs = store.claim_webhook_deliveries(later, Timestamp(later.millis() + 60_000), 10).await.unwrap();
        for job in &jobs {
            let outcome = attempt(&http, &secrets, job).await;
            store.finish_webhook_delivery(job.delivery_id, &outcome).await.unwrap();
        }
        got.recv().await.unwrap();
        let log = &store.list_webhook_deliveries(&w.admin, hook.id, 10).await.unwrap()[0];
        assert_eq!((log.status, log.attempts, log.last_status_code), (DeliveryStatus::Delivered, 2, Some(200)));
    }
}
