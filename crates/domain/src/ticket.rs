use crate::DomainError;

crate::string_enum!(
    /// Where a ticket stands. Custom statuses (later) map onto one of these.
    TicketStatus, "status" {
        New = "new",
        Open = "open",
        Pending = "pending",
        OnHold = "on_hold",
        Solved = "solved",
        Closed = "closed",
    }
);

crate::string_enum!(Priority, "priority" { Low = "low", Normal = "normal", High = "high", Urgent = "urgent" });

crate::string_enum!(
    /// The channel a ticket arrived through.
    Channel, "channel" {
        Email = "email",
        Chat = "chat",
        Web = "web",
        Api = "api",
        Phone = "phone",
        Social = "social",
    }
);

impl Priority {
    /// Ordering weight, used for sorting (urgent first when descending).
    pub fn rank(self) -> i64 {
        match self {
            Priority::Low => 1,
            Priority::Normal => 2,
            Priority::High => 3,
            Priority::Urgent => 4,
        }
    }
}

/// What a status change does besides changing the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TransitionEffect {
    /// The ticket was solved and is being reopened: count it.
    pub reopened: bool,
    /// The ticket becomes solved now: stamp `solved_at`.
    pub solved: bool,
    /// The ticket becomes closed now: stamp `closed_at`.
    pub closed: bool,
}

impl TicketStatus {
    pub fn is_unresolved(self) -> bool {
        matches!(self, TicketStatus::New | TicketStatus::Open | TicketStatus::Pending | TicketStatus::OnHold)
    }

    /// Validates a status change and says what it implies.
    ///
    /// Rules:
    /// - nothing returns to `new`;
    /// - `closed` is final: a closed ticket is followed up by a new ticket;
    /// - only a `solved` ticket can be closed;
    /// - leaving `solved` for an unresolved status is a reopen.
    pub fn transition(self, to: TicketStatus) -> Result<TransitionEffect, DomainError> {
        use TicketStatus::*;
        if self == Closed {
            return Err(DomainError::TicketClosed);
        }
        if self == to {
            return Ok(TransitionEffect::default());
        }
        let bad = || DomainError::BadTransition { from: self.as_str(), to: to.as_str() };
        match (self, to) {
            (_, New) => Err(bad()),
            (Solved, Closed) => Ok(TransitionEffect { closed: true, ..Default::default() }),
            (_, Closed) => Err(bad()),
            (Solved, _) => Ok(TransitionEffect { reopened: true, ..Default::default() }),
            (_, Solved) => Ok(TransitionEffect { solved: true, ..Default::default() }),
            _ => Ok(TransitionEffect::default()),
        }
    }

    /// A closed ticket accepts no edits and no messages.
    pub fn ensure_editable(self) -> Result<(), DomainError> {
        if self == TicketStatus::Closed {
            Err(DomainError::TicketClosed)
        } else {
            Ok(())
        }
    }
}

/// Validates a ticket subject: trimmed, non-empty, at most 500 characters.
pub fn parse_subject(s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DomainError::invalid("subject", "must not be empty"));
    }
    if s.chars().count() > 500 {
        return Err(DomainError::invalid("subject", "must be at most 500 characters"));
    }
    Ok(s.to_string())
}

/// Validates a tag name: lowercased, 1–64 characters of letters, digits, `-`, `_`, `:`, `.`.
pub fn parse_tag(s: &str) -> Result<String, DomainError> {
    let t = s.trim().to_lowercase();
    if t.is_empty() || t.chars().count() > 64 {
        return Err(DomainError::invalid("tag", "must be 1 to 64 characters"));
    }
    if !t.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')) {
        return Err(DomainError::invalid("tag", format!("'{t}' may only hold letters, digits, '-', '_', ':' and '.'")));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::TicketStatus::*;
    use super::*;

    #[test]
    fn closed_is_final() {
        for to in TicketStatus::ALL {
            assert_eq!(Closed.transition(*to), Err(DomainError::TicketClosed));
        }
        assert!(Closed.ensure_editable().is_err());
        assert!(Solved.ensure_editable().is_ok());
    }

    #[test]
    fn only_solved_tickets_close() {
        assert!(Solved.transition(Closed).unwrap().closed);
        for from in [New, Open, Pending, OnHold] {
            assert!(matches!(from.transition(Closed), Err(DomainError::BadTransition { .. })));
        }
    }

    #[test]
    fn leaving_solved_is_a_reopen() {
        for to in [Open, Pending, OnHold] {
            assert!(Solved.transition(to).unwrap().reopened);
        }
        assert!(!Open.transition(Pending).unwrap().reopened);
        assert!(Open.transition(Solved).unwrap().solved);
        assert!(New.transition(Solved).unwrap().solved);
    }

    #[test]
    fn nothing_returns_to_new() {
        for from in [Open, Pending, OnHold, Solved] {
            assert!(from.transition(New).is_err());
        }
        assert_eq!(New.transition(New), Ok(TransitionEffect::default()));
    }

    #[test]
    fn parse_rejects_unknown() {
        assert_eq!(TicketStatus::parse("on_hold"), Ok(OnHold));
        let err = TicketStatus::parse("done").unwrap_err();
        assert_eq!(err.code(), "validation_failed");
        assert!(err.to_string().contains("done"));
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(parse_tag(" VIP ").unwrap(), "vip");
        assert_eq!(parse_tag("dịch-vụ").unwrap(), "dịch-vụ");
        assert!(parse_tag("two words").is_err());
        assert!(parse_tag("").is_err());
    }
}
