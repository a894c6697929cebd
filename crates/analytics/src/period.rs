//! The time range a report covers: `[from, to)`, in UTC milliseconds.

use crate::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Millis,
    pub to: Millis,
}

impl Period {
    /// `None` when `to` is not after `from`.
    pub fn new(from: Millis, to: Millis) -> Option<Period> {
        (to > from).then_some(Period { from, to })
    }

    /// Whether an instant falls in the period (start included, end excluded).
    pub fn contains(&self, at: Millis) -> bool {
        at >= self.from && at < self.to
    }

    pub fn contains_opt(&self, at: Option<Millis>) -> bool {
        at.is_some_and(|t| self.contains(t))
    }

    pub fn length(&self) -> Millis {
        self.to - self.from
    }

    /// The period of the same length just before this one (for comparisons).
    pub fn previous(&self) -> Period {
        Period { from: self.from - self.length(), to: self.from }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_open() {
        let p = Period::new(10, 20).unwrap();
        assert!(p.contains(10) && p.contains(19) && !p.contains(20) && !p.contains(9));
        assert!(!p.contains_opt(None));
        assert_eq!(p.previous(), Period { from: 0, to: 10 });
        assert!(Period::new(5, 5).is_none());
    }
}
