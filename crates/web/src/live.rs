//! Live updates for the agent desk.
//!
//! - **Changes** come from the store's change feed ([`DeskStore::ticket_changes`]),
//!   polled by one task per node, so every write shows up whoever made it: the
//!   API, a page, the mail worker, another node sharing the database.
//! - **Presence** (who is viewing or typing on a ticket) and **notification
//!   pings** are in memory on the node that received them.
//!
//! Everything goes out on one broadcast channel; each subscriber (an SSE
//! connection) filters by workspace and visibility before sending.

use rapport_domain::{Id, Timestamp};
use rapport_store::desk::TicketChange;
use rapport_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// How often the change feed is read.
const POLL: Duration = Duration::from_millis(300);
/// How far back each read looks again, for transactions that committed late
/// with an earlier timestamp.
const LOOKBACK_MS: i64 = 3_000;
/// A viewer who stops sending heartbeats is gone after this.
const VIEWER_TTL: Duration = Duration::from_secs(30);
/// "Typing" lapses without a fresh keystroke ping.
const TYPING_TTL: Duration = Duration::from_secs(6);

#[derive(Debug, Clone)]
pub enum LiveEvent {
    Ticket(TicketChange),
    /// The people on a ticket changed.
    Presence {
        workspace_id: Id,
        ticket_id: Id,
        viewers: Vec<Viewer>,
    },
    /// A user has a new notification.
    Notify {
        workspace_id: Id,
        user_id: Id,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Viewer {
    pub user_id: Id,
    pub name: String,
    pub typing: bool,
}

struct Presence {
    name: String,
    seen: Instant,
    typing_until: Option<Instant>,
}

pub struct Live {
    tx: broadcast::Sender<LiveEvent>,
    /// ticket → user → presence.
    presence: Mutex<HashMap<Id, HashMap<Id, Presence>>>,
    feed: OnceLock<()>,
}

impl Default for Live {
    fn default() -> Self {
        Live { tx: broadcast::channel(4096).0, presence: Mutex::new(HashMap::new()), feed: OnceLock::new() }
    }
}

impl Live {
    /// A receiver of everything; starts the change feed on first use.
    pub fn subscribe(&self, store: &Arc<dyn Store>) -> broadcast::Receiver<LiveEvent> {
        let rx = self.tx.subscribe();
        self.feed.get_or_init(|| {
            tokio::spawn(run_feed(store.clone(), self.tx.clone()));
        });
        rx
    }

    pub fn notify(&self, workspace_id: Id, user_id: Id) {
        let _ = self.tx.send(LiveEvent::Notify { workspace_id, user_id });
    }

    /// Records a viewer's heartbeat (`typing` or not), or their leaving, and
    /// tells the ticket's other viewers when the picture changed.
    pub fn presence(&self, workspace_id: Id, ticket_id: Id, user_id: Id, name: &str, state: PresenceState) {
        let now = Instant::now();
        let before;
        let after;
        {
            let mut all = self.presence.lock().unwrap_or_else(|e| e.into_inner());
            let viewers = all.entry(ticket_id).or_default();
            before = snapshot(viewers, now);
            match state {
                PresenceState::Left => {
                    viewers.remove(&user_id);
                }
                PresenceState::Viewing | PresenceState::Typing => {
                    let entry = viewers.entry(user_id).or_insert(Presence { name: name.to_string(), seen: now, typing_until: None });
                    entry.seen = now;
                    entry.typing_until = match state {
                        PresenceState::Typing => Some(now + TYPING_TTL),
                        _ => None,
                    };
                }
            }
            viewers.retain(|_, p| now.duration_since(p.seen) < VIEWER_TTL);
            after = snapshot(viewers, now);
            if viewers.is_empty() {
                all.remove(&ticket_id);
            }
        }
        if before != after {
            let _ = self.tx.send(LiveEvent::Presence { workspace_id, ticket_id, viewers: after });
        }
    }

    /// Who is on a ticket now.
    pub fn viewers(&self, ticket_id: Id) -> Vec<Viewer> {
        let all = self.presence.lock().unwrap_or_else(|e| e.into_inner());
        all.get(&ticket_id).map(|v| snapshot(v, Instant::now())).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceState {
    Viewing,
    Typing,
    Left,
}

fn snapshot(viewers: &HashMap<Id, Presence>, now: Instant) -> Vec<Viewer> {
    let mut out: Vec<Viewer> = viewers
        .iter()
        .filter(|(_, p)| now.duration_since(p.seen) < VIEWER_TTL)
        .map(|(id, p)| Viewer { user_id: *id, name: p.name.clone(), typing: p.typing_until.is_some_and(|t| t > now) })
        .collect();
    out.sort_by_key(|v| v.user_id);
    out
}

/// Reads the change feed and broadcasts each ticket change once per update.
async fn run_feed(store: Arc<dyn Store>, tx: broadcast::Sender<LiveEvent>) {
    let mut high = Timestamp::now().millis();
    // ticket → the updated_at already sent.
    let mut sent: HashMap<Id, i64> = HashMap::new();
    loop {
        tokio::time::sleep(POLL).await;
        if tx.receiver_count() == 0 {
            continue;
        }
        let changes = match store.ticket_changes((Timestamp(high - LOOKBACK_MS), i64::MAX), 2_000).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "live change feed read failed");
                continue;
            }
        };
        for change in changes {
            let ts = change.updated_at.millis();
            if sent.get(&change.ticket_id).is_some_and(|&s| s >= ts) {
                continue;
            }
            sent.insert(change.ticket_id, ts);
            high = high.max(ts);
            let _ = tx.send(LiveEvent::Ticket(change));
        }
        sent.retain(|_, ts| *ts >= high - 2 * LOOKBACK_MS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn presence_reports_changes_only() {
        let live = Live::default();
        let mut rx = live.tx.subscribe();
        live.presence(1, 10, 7, "Anna", PresenceState::Viewing);
        match rx.try_recv() {
            Ok(LiveEvent::Presence { ticket_id: 10, viewers, .. }) => {
                assert_eq!(viewers, vec![Viewer { user_id: 7, name: "Anna".into(), typing: false }])
            }
            other => panic!("expected presence, got {other:?}"),
        }
        // A heartbeat that changes nothing is not broadcast.
        live.presence(1, 10, 7, "Anna", PresenceState::Viewing);
        assert!(rx.try_recv().is_err());
        live.presence(1, 10, 8, "Minh", PresenceState::Typing);
        match rx.try_recv() {
            Ok(LiveEvent::Presence { viewers, .. }) => assert_eq!(viewers.iter().filter(|v| v.typing).count(), 1),
            other => panic!("expected presence, got {other:?}"),
        }
        live.presence(1, 10, 8, "Minh", PresenceState::Left);
        assert_eq!(live.viewers(10).len(), 1);
        assert!(live.viewers(11).is_empty());
    }
}
