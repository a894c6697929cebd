//! Service-level targets and where a ticket stands against them.
//!
//! A workspace sets, per priority, how soon the first agent reply is due and
//! how soon the ticket should be solved, both counted from its creation in
//! calendar time. A target is
//! - **breached** once its due time passed without the event, or the event came late;
//! - **at risk** while it is still open and less than a quarter of its time is left;
//! - **ok** otherwise.
//!
//! A ticket's state is the worst of its targets; a ticket whose priority has
//! no targets has no state. The SQL filter in the store applies the same rules.

use crate::Timestamp;

crate::string_enum!(
    /// A ticket's standing against its SLA targets.
    SlaState, "sla" { Ok = "ok", AtRisk = "at_risk", Breached = "breached" }
);

/// The share of a target's time that must be left for it not to be "at risk": 1/4.
pub const AT_RISK_NUMERATOR: i64 = 3;
pub const AT_RISK_DENOMINATOR: i64 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlaTargets {
    pub first_response_minutes: Option<i64>,
    pub resolution_minutes: Option<i64>,
}

/// The times of one ticket that its targets are measured on.
#[derive(Debug, Clone, Copy)]
pub struct SlaClock {
    pub created_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    /// When it was solved (or closed without solving); `None` while open.
    pub resolved_at: Option<Timestamp>,
}

/// One target's standing, with its due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetState {
    pub state: SlaState,
    pub due: Timestamp,
    /// The target's event happened (met or late).
    pub done: bool,
}

fn target(created: Timestamp, minutes: i64, happened: Option<Timestamp>, now: Timestamp) -> TargetState {
    let span = minutes * 60_000;
    let due = Timestamp(created.millis() + span);
    let risk_from = created.millis() + span * AT_RISK_NUMERATOR / AT_RISK_DENOMINATOR;
    let state = match happened {
        Some(at) if at.millis() > due.millis() => SlaState::Breached,
        Some(_) => SlaState::Ok,
        None if now.millis() > due.millis() => SlaState::Breached,
        None if now.millis() > risk_from => SlaState::AtRisk,
        None => SlaState::Ok,
    };
    TargetState { state, due, done: happened.is_some() }
}

impl SlaTargets {
    pub fn is_empty(&self) -> bool {
        self.first_response_minutes.is_none() && self.resolution_minutes.is_none()
    }

    pub fn first_response(&self, c: &SlaClock, now: Timestamp) -> Option<TargetState> {
        self.first_response_minutes.map(|m| target(c.created_at, m, c.first_response_at, now))
    }

    pub fn resolution(&self, c: &SlaClock, now: Timestamp) -> Option<TargetState> {
        self.resolution_minutes.map(|m| target(c.created_at, m, c.resolved_at, now))
    }

    /// The worst state of the targets; `None` without targets.
    pub fn state(&self, c: &SlaClock, now: Timestamp) -> Option<SlaState> {
        let rank = |s: SlaState| match s {
            SlaState::Ok => 0,
            SlaState::AtRisk => 1,
            SlaState::Breached => 2,
        };
        [self.first_response(c, now), self.resolution(c, now)].into_iter().flatten().map(|t| t.state).max_by_key(|s| rank(*s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn clock(first: Option<i64>, resolved: Option<i64>) -> SlaClock {
        SlaClock {
            created_at: Timestamp(0),
            first_response_at: first.map(|m| Timestamp(m * MIN)),
            resolved_at: resolved.map(|m| Timestamp(m * MIN)),
        }
    }

    #[test]
    fn states_follow_the_rules() {
        let t = SlaTargets { first_response_minutes: Some(60), resolution_minutes: Some(480) };
        let at = |m: i64| Timestamp(m * MIN);
        // Waiting for a first reply: ok until 45 min (3/4 of 60), at risk until 60, breached after.
        assert_eq!(t.state(&clock(None, None), at(30)), Some(SlaState::Ok));
        assert_eq!(t.state(&clock(None, None), at(46)), Some(SlaState::AtRisk));
        assert_eq!(t.state(&clock(None, None), at(61)), Some(SlaState::Breached));
        // Answered in time; resolution still running.
        assert_eq!(t.state(&clock(Some(50), None), at(100)), Some(SlaState::Ok));
        assert_eq!(t.state(&clock(Some(50), None), at(400)), Some(SlaState::AtRisk));
        // A late first reply stays a breach, even after solving in time.
        assert_eq!(t.state(&clock(Some(70), Some(200)), at(1000)), Some(SlaState::Breached));
        // Solved in time: ok forever.
        assert_eq!(t.state(&clock(Some(10), Some(470)), at(100_000)), Some(SlaState::Ok));
        assert_eq!(t.resolution(&clock(Some(10), Some(470)), at(0)).unwrap().due, at(480));
        // No targets, no state.
        assert_eq!(SlaTargets::default().state(&clock(None, None), at(10_000)), None);
        // Only a resolution target.
        let r = SlaTargets { first_response_minutes: None, resolution_minutes: Some(100) };
        assert_eq!(r.state(&clock(None, None), at(80)), Some(SlaState::AtRisk));
    }
}
