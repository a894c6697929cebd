//! One ticket's facts, computed from its history: when it was first answered
//! and by whom, how long it took to resolve net of waiting on the customer,
//! whether it was reopened, how many public replies it took.
//!
//! The store keeps these per ticket (recomputed whenever the ticket or its
//! messages change) so a dashboard never replays histories.

use crate::calendar::BusinessCalendar;
use crate::Millis;
use rapport_domain::{Id, TicketStatus};

/// A status the ticket entered, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusEvent {
    pub at: Millis,
    pub to: TicketStatus,
}

/// A public message (customer or agent). Internal notes and system events
/// never count as a response, so they are not part of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicMessage {
    pub at: Millis,
    /// The agent who wrote it; `None` for the customer.
    pub agent: Option<Id>,
}

/// Everything the facts are computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketHistory {
    pub created_at: Millis,
    /// Every status the ticket entered, in order, starting with the one it was
    /// created in (at `created_at`). Empty means "created as new, never changed".
    pub statuses: Vec<StatusEvent>,
    pub status: TicketStatus,
    /// As stored on the ticket: set by the first agent public reply, never cleared.
    pub first_response_at: Option<Millis>,
    /// As stored: the last time the ticket was solved.
    pub solved_at: Option<Millis>,
    pub reopened_count: i64,
    pub merged: bool,
    /// In time order.
    pub public_messages: Vec<PublicMessage>,
}

/// The per-ticket measures the KPIs aggregate. Durations are `None` when they
/// do not apply (no response yet, not resolved, no business hours set).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TicketFacts {
    /// The conversation was started by the customer (its first public message
    /// is theirs, or it has none yet). Tickets an agent opened with a public
    /// message (outreach) have no first response time.
    pub customer_initiated: bool,
    pub first_response_at: Option<Millis>,
    /// The agent whose public reply was the first one.
    pub first_responder_id: Option<Id>,
    pub frt_ms: Option<Millis>,
    pub frt_business_ms: Option<Millis>,
    /// The first time the ticket became solved.
    pub first_solved_at: Option<Millis>,
    /// The last solve, for tickets that are solved or closed now (not merged).
    pub resolved_at: Option<Millis>,
    /// `resolved_at − created_at`.
    pub ttr_ms: Option<Millis>,
    /// TTR minus the time spent pending or on hold before `resolved_at`.
    pub ttr_net_ms: Option<Millis>,
    /// TTR net of pauses, counting business hours only.
    pub ttr_business_ms: Option<Millis>,
    /// Time spent pending or on hold (up to `resolved_at`, or up to now for open tickets).
    pub paused_ms: Millis,
    pub reopen_count: i64,
    /// Public replies written by agents.
    pub agent_replies: i64,
    /// Solved at least once, with exactly one agent public reply, never reopened.
    pub fcr: bool,
    /// New, open, pending or on hold, and not merged away.
    pub unresolved: bool,
}

fn paused(s: TicketStatus) -> bool {
    matches!(s, TicketStatus::Pending | TicketStatus::OnHold)
}

/// The ticket's status timeline as `(from, to, status)` segments up to `until`.
fn segments(h: &TicketHistory, until: Millis) -> Vec<(Millis, Millis, TicketStatus)> {
    let mut events: Vec<StatusEvent> = h.statuses.clone();
    if events.is_empty() {
        events.push(StatusEvent { at: h.created_at, to: TicketStatus::New });
    }
    let mut out = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let start = e.at.max(h.created_at);
        let end = events.get(i + 1).map_or(until, |n| n.at).min(until);
        if end > start {
            out.push((start, end, e.to));
        }
    }
    out
}

/// Computes the facts. `now` bounds the paused time of tickets still open.
/// `calendar` is `None` when the workspace has no business hours: business
/// durations are then `None`, not calendar time in disguise.
pub fn facts(h: &TicketHistory, calendar: Option<&BusinessCalendar>, now: Millis) -> TicketFacts {
    let customer_initiated = h.public_messages.first().is_none_or(|m| m.agent.is_none());
    let first_responder_id = h.public_messages.iter().find(|m| m.agent.is_some()).and_then(|m| m.agent);
    let agent_replies = h.public_messages.iter().filter(|m| m.agent.is_some()).count() as i64;

    let first_response_at = h.first_response_at.filter(|_| customer_initiated);
    let frt_ms = first_response_at.map(|r| (r - h.created_at).max(0));
    let frt_business_ms = match (first_response_at, calendar) {
        (Some(r), Some(c)) => Some(c.business_millis(h.created_at, r)),
        _ => None,
    };

    let first_solved_at = if h.statuses.is_empty() {
        h.solved_at
    } else {
        h.statuses.iter().find(|e| e.to == TicketStatus::Solved).map(|e| e.at).or(h.solved_at)
    };
    let is_resolved = matches!(h.status, TicketStatus::Solved | TicketStatus::Closed) && !h.merged;
    let resolved_at = if is_resolved { h.solved_at.or(first_solved_at) } else { None };

    let until = resolved_at.unwrap_or(now.max(h.created_at));
    let segs = segments(h, until);
    let paused_ms: Millis = segs.iter().filter(|s| paused(s.2)).map(|s| s.1 - s.0).sum();
    let (ttr_ms, ttr_net_ms, ttr_business_ms) = match resolved_at {
        Some(r) => {
            let ttr = (r - h.created_at).max(0);
            let business = calendar.map(|c| segs.iter().filter(|s| !paused(s.2)).map(|s| c.business_millis(s.0, s.1)).sum());
            (Some(ttr), Some((ttr - paused_ms).max(0)), business)
        }
        None => (None, None, None),
    };

    TicketFacts {
        customer_initiated,
        first_response_at,
        first_responder_id,
        frt_ms,
        frt_business_ms,
        first_solved_at,
        resolved_at,
        ttr_ms,
        ttr_net_ms,
        ttr_business_ms,
        paused_ms,
        reopen_count: h.reopened_count,
        agent_replies,
        fcr: first_solved_at.is_some() && agent_replies == 1 && h.reopened_count == 0 && !h.merged,
        unresolved: h.status.is_unresolved() && !h.merged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HOUR, MINUTE};
    use TicketStatus::*;

    const T0: Millis = 1_772_438_400_000; // Monday 2026-03-02 08:00 UTC

    fn customer(at: Millis) -> PublicMessage {
        PublicMessage { at, agent: None }
    }

    fn agent(at: Millis, id: Id) -> PublicMessage {
        PublicMessage { at, agent: Some(id) }
    }

    fn ev(at: Millis, to: TicketStatus) -> StatusEvent {
        StatusEvent { at, to }
    }

    #[test]
    fn pending_time_is_taken_out_of_resolution_time() {
        // new at 0; the agent answers at 1 h and asks a question (pending) until
        // the customer answers at 5 h (open); solved at 6 h.
        // Gross TTR 6 h; 4 h pending; net 2 h.
        let h = TicketHistory {
            created_at: T0,
            statuses: vec![ev(T0, New), ev(T0 + HOUR, Pending), ev(T0 + 5 * HOUR, Open), ev(T0 + 6 * HOUR, Solved)],
            status: Solved,
            first_response_at: Some(T0 + HOUR),
            solved_at: Some(T0 + 6 * HOUR),
            reopened_count: 0,
            merged: false,
            public_messages: vec![customer(T0), agent(T0 + HOUR, 7), customer(T0 + 5 * HOUR)],
        };
        let f = facts(&h, None, T0 + 100 * HOUR);
        assert_eq!(f.frt_ms, Some(HOUR));
        assert_eq!(f.first_responder_id, Some(7));
        assert_eq!((f.ttr_ms, f.ttr_net_ms, f.paused_ms), (Some(6 * HOUR), Some(2 * HOUR), 4 * HOUR));
        assert_eq!(f.frt_business_ms, None, "no calendar, no business time");
        // One agent reply, solved, never reopened: first contact resolution.
        assert!(f.fcr && !f.unresolved && f.customer_initiated);
    }

    #[test]
    fn reopened_tickets_measure_to_their_last_solve() {
        // Solved at 2 h, reopened by the customer at 3 h, solved again at 4 h.
        // TTR runs to the last solve (4 h) and counts the hour it sat solved:
        // the customer's problem was not in fact solved then. Not FCR (reopened).
        let h = TicketHistory {
            created_at: T0,
            statuses: vec![
                ev(T0, New),
                ev(T0 + 30 * MINUTE, Open),
                ev(T0 + 2 * HOUR, Solved),
                ev(T0 + 3 * HOUR, Open),
                ev(T0 + 4 * HOUR, Solved),
            ],
            status: Solved,
            first_response_at: Some(T0 + 30 * MINUTE),
            solved_at: Some(T0 + 4 * HOUR),
            reopened_count: 1,
            merged: false,
            public_messages: vec![customer(T0), agent(T0 + 30 * MINUTE, 3), customer(T0 + 3 * HOUR), agent(T0 + 4 * HOUR, 3)],
        };
        let f = facts(&h, None, T0 + 10 * HOUR);
        assert_eq!(f.first_solved_at, Some(T0 + 2 * HOUR));
        assert_eq!(f.resolved_at, Some(T0 + 4 * HOUR));
        assert_eq!(f.ttr_net_ms, Some(4 * HOUR));
        assert_eq!((f.reopen_count, f.agent_replies, f.fcr), (1, 2, false));
    }

    #[test]
    fn a_reopened_ticket_that_is_open_again_is_not_resolved() {
        let h = TicketHistory {
            created_at: T0,
            statuses: vec![ev(T0, New), ev(T0 + HOUR, Solved), ev(T0 + 2 * HOUR, Open)],
            status: Open,
            first_response_at: Some(T0 + HOUR),
            solved_at: Some(T0 + HOUR),
            reopened_count: 1,
            merged: false,
            public_messages: vec![customer(T0), agent(T0 + HOUR, 3), customer(T0 + 2 * HOUR)],
        };
        let f = facts(&h, None, T0 + 3 * HOUR);
        assert_eq!((f.first_solved_at, f.resolved_at, f.ttr_ms), (Some(T0 + HOUR), None, None));
        assert!(f.unresolved && !f.fcr);
    }

    #[test]
    fn outreach_has_no_first_response_time_and_merged_tickets_count_for_nothing() {
        // An agent opened the conversation: there is nothing to respond to.
        let outreach = TicketHistory {
            created_at: T0,
            statuses: vec![ev(T0, Open)],
            status: Open,
            first_response_at: Some(T0),
            solved_at: None,
            reopened_count: 0,
            merged: false,
            public_messages: vec![agent(T0, 4), customer(T0 + HOUR)],
        };
        let f = facts(&outreach, None, T0 + 2 * HOUR);
        assert!(!f.customer_initiated);
        assert_eq!((f.first_response_at, f.frt_ms), (None, None));
        // A ticket merged into another is closed but neither resolved nor in the backlog.
        let merged = TicketHistory {
            created_at: T0,
            statuses: vec![ev(T0, New), ev(T0 + HOUR, Closed)],
            status: Closed,
            first_response_at: None,
            solved_at: None,
            reopened_count: 0,
            merged: true,
            public_messages: vec![],
        };
        let f = facts(&merged, None, T0 + 2 * HOUR);
        assert_eq!((f.resolved_at, f.unresolved, f.fcr), (None, false, false));
    }

    #[test]
    fn business_hours_apply_to_response_and_net_resolution() {
        // Office 09:00–17:00 Warsaw (UTC+1 in March), Monday to Friday.
        let cal = BusinessCalendar::parse(
            "Europe/Warsaw",
            &[
                ("mon", "09:00", "17:00"),
                ("tue", "09:00", "17:00"),
                ("wed", "09:00", "17:00"),
                ("thu", "09:00", "17:00"),
                ("fri", "09:00", "17:00"),
            ],
            &[],
        )
        .unwrap();
        // Created Monday 08:00 UTC (09:00 local). Answered at 15:00 UTC (16:00 local): 7 business hours.
        // Pending from then until Tuesday 09:00 UTC (10:00 local); solved Tuesday 10:00 UTC (11:00 local).
        // Net business TTR: Monday 09:00–16:00 local (7 h) + Tuesday 10:00–11:00 local (1 h) = 8 h;
        // the pending stretch (1 business hour on Monday, 1 on Tuesday) does not count.
        let h = TicketHistory {
            created_at: T0,
            statuses: vec![ev(T0, New), ev(T0 + 7 * HOUR, Pending), ev(T0 + 25 * HOUR, Open), ev(T0 + 26 * HOUR, Solved)],
            status: Solved,
            first_response_at: Some(T0 + 7 * HOUR),
            solved_at: Some(T0 + 26 * HOUR),
            reopened_count: 0,
            merged: false,
            public_messages: vec![customer(T0), agent(T0 + 7 * HOUR, 1)],
        };
        let f = facts(&h, Some(&cal), T0 + 30 * HOUR);
        assert_eq!(f.frt_business_ms, Some(7 * HOUR));
        assert_eq!(f.ttr_business_ms, Some(8 * HOUR));
        assert_eq!(f.ttr_net_ms, Some(8 * HOUR), "calendar net: 26 h − 18 h pending");
    }
}
