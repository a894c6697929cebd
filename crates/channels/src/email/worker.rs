//! The email background work inside `rapport serve` (or `rapport worker`):
//! one task per active mailbox (fetch, then IMAP IDLE or poll), all mailboxes
//! in parallel, and one task that delivers the outbound queue.

use super::fetch::fetch_new;
use super::ingest::Ingestor;
use super::outbound::deliver_due;
use rapport_domain::crypto::SecretBox;
use rapport_store::Store;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

#[derive(Clone)]
pub struct EmailWorker {
    pub store: Arc<dyn Store>,
    pub ingestor: Arc<Ingestor>,
    pub secrets: SecretBox,
    /// Longest wait between checks of a mailbox (IDLE usually wakes sooner).
    pub poll_interval: Duration,
    /// How often the outbound queue is checked.
    pub send_interval: Duration,
}

impl EmailWorker {
    /// Starts the supervisor (mailbox tasks follow the configured mailboxes) and the sender.
    pub fn spawn(self) -> Vec<JoinHandle<()>> {
        let sender = {
            let w = self.clone();
            tokio::spawn(async move {
                loop {
                    match deliver_due(w.store.as_ref(), &w.secrets, 50).await {
                        Ok(n) if n > 0 => continue,
                        Ok(_) => {}
                        Err(e) => tracing::error!(error = %e, "outbound delivery pass failed"),
                    }
                    tokio::time::sleep(w.send_interval).await;
                }
            })
        };
        let supervisor = tokio::spawn(async move { self.supervise().await });
        vec![sender, supervisor]
    }

    async fn supervise(self) {
        let mut tasks: HashMap<i64, JoinHandle<()>> = HashMap::new();
        loop {
            match self.store.active_mailboxes().await {
                Ok(list) => {
                    let ids: Vec<i64> = list.iter().map(|m| m.mailbox.id).collect();
                    tasks.retain(|id, task| {
                        let keep = ids.contains(id) && !task.is_finished();
                        if !keep {
                            task.abort();
                        }
                        keep
                    });
                    for id in ids {
                        tasks.entry(id).or_insert_with(|| {
                            let w = self.clone();
                            tokio::spawn(async move { w.run_mailbox(id).await })
                        });
                    }
                }
                Err(e) => tracing::error!(error = %e, "cannot list mailboxes"),
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    }

    async fn run_mailbox(&self, mailbox_id: i64) {
        let mut failures = 0u32;
        loop {
            let mailbox = match self.store.mailbox_secrets(mailbox_id).await {
                Ok(m) if m.mailbox.active => m,
                _ => return,
            };
            match fetch_new(self.store.as_ref(), &self.ingestor, &self.secrets, &mailbox).await {
                Ok((session, n)) => {
                    failures = 0;
                    if n > 0 {
                        tracing::info!(mailbox = mailbox_id, count = n, "mail fetched");
                    }
                    match session.idle_wait(self.poll_interval).await {
                        Ok((s, _)) => s.logout().await,
                        Err(e) => tracing::debug!(mailbox = mailbox_id, error = %e, "idle ended"),
                    }
                }
                Err(e) => {
                    failures += 1;
                    tracing::warn!(mailbox = mailbox_id, error = %e, "fetching mail failed");
                    let _ = self.store.set_mailbox_error(mailbox_id, Some(&e)).await;
                    let wait = Duration::from_secs(5u64 << failures.min(6)).min(self.poll_interval.max(Duration::from_secs(5)));
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}
