//! The desk's live channel: one Server-Sent Events stream per open page, and
//! the presence heartbeats a ticket page sends.

use crate::error::ApiError;
use crate::extract::IdPath;
use crate::live::{LiveEvent, PresenceState};
use crate::pages::session::PageUser;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_domain::Actor;
use rapport_store::desk::TicketChange;
use serde::Deserialize;
use serde_json::json;
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

#[derive(Deserialize)]
pub struct StreamParams {
    /// The ticket the page shows, for presence.
    ticket: Option<i64>,
}

struct Subscriber {
    s: AppState,
    actor: Actor,
    ticket: Option<i64>,
    rx: tokio::sync::broadcast::Receiver<LiveEvent>,
}

impl Subscriber {
    async fn may_see(&self, c: &TicketChange) -> bool {
        let a = &self.actor;
        if c.workspace_id != a.workspace_id {
            return false;
        }
        if a.sees_all_teams() || c.team_id.is_none_or(|t| a.team_ids.contains(&t)) {
            return true;
        }
        // Another team's ticket: visible unless the team is restricted.
        self.s.store.get_ticket(a, c.ticket_id).await.is_ok()
    }

    /// The next event for this page, or `None` when the node shuts the channel.
    async fn next(&mut self) -> Option<Event> {
        loop {
            let ev = match self.rx.recv().await {
                Ok(ev) => ev,
                Err(RecvError::Lagged(_)) => return Some(Event::default().event("resync").data("{}")),
                Err(RecvError::Closed) => return None,
            };
            match ev {
                LiveEvent::Ticket(c) if self.may_see(&c).await => {
                    let data = json!({ "id": c.ticket_id, "updated_at": c.updated_at.millis(), "assignee": c.assignee_id });
                    return Some(Event::default().event("ticket").data(data.to_string()));
                }
                LiveEvent::Presence { workspace_id, ticket_id, viewers }
                    if workspace_id == self.actor.workspace_id && Some(ticket_id) == self.ticket =>
                {
                    let others: Vec<_> = viewers.into_iter().filter(|v| v.user_id != self.actor.user_id).collect();
                    return Some(Event::default().event("presence").data(json!({ "ticket": ticket_id, "viewers": others }).to_string()));
                }
                LiveEvent::Notify { workspace_id, user_id } if workspace_id == self.actor.workspace_id && user_id == self.actor.user_id => {
                    let unread = self.s.store.unread_notification_count(&self.actor).await.unwrap_or(0);
                    return Some(Event::default().event("notify").data(json!({ "unread": unread }).to_string()));
                }
                _ => continue,
            }
        }
    }
}

pub async fn stream(State(s): State<AppState>, user: PageUser, Query(p): Query<StreamParams>) -> Response {
    let actor = user.ctx.actor.clone();
    if let Some(t) = p.ticket {
        if let Err(e) = s.store.get_ticket(&actor, t).await {
            return ApiError::from(e).into_response();
        }
    }
    let rx = s.live.subscribe(&s.store);
    let sub = Subscriber { s, actor, ticket: p.ticket, rx };
    let events = futures_util::stream::unfold(sub, |mut sub| async move { sub.next().await.map(|e| (Ok::<_, Infallible>(e), sub)) });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}

#[derive(Deserialize)]
pub struct PresenceBody {
    state: PresenceState,
}

/// A ticket page's heartbeat: viewing, typing, or left. JSON, with the
/// session's CSRF token in `X-CSRF-Token`.
pub async fn presence(
    State(s): State<AppState>,
    user: PageUser,
    IdPath(id): IdPath,
    headers: HeaderMap,
    Json(b): Json<PresenceBody>,
) -> Response {
    let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if let Err(e) = user.check_csrf(sent) {
        return e.into_response();
    }
    let actor = &user.ctx.actor;
    if let Err(e) = s.store.get_ticket(actor, id).await {
        return ApiError::from(e).into_response();
    }
    s.live.presence(actor.workspace_id, id, actor.user_id, &user.ctx.user.name, b.state);
    let viewers: Vec<_> = s.live.viewers(id).into_iter().filter(|v| v.user_id != actor.user_id).collect();
    (StatusCode::OK, Json(json!({ "viewers": viewers }))).into_response()
}
