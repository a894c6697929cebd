use crate::DomainError;

/// An email address, trimmed and lowercased. Parsing checks the shape that
/// matters for routing (one `@`, a dotted domain, no spaces), not every RFC 5322 corner.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim().to_lowercase();
        let bad = |why: &str| DomainError::invalid("email", format!("'{s}' {why}"));
        if s.len() > 254 {
            return Err(bad("is longer than 254 characters"));
        }
        let (local, domain) = s.split_once('@').ok_or_else(|| bad("has no '@'"))?;
        if local.is_empty() || domain.contains('@') {
            return Err(bad("is not a valid address"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')) {
            return Err(bad("contains characters not allowed in an address"));
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
            return Err(bad("has no valid domain"));
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.split_once('@').map(|(_, d)| d).unwrap_or("")
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        let e = Email::parse("  Anna.Kowalska@Example.PL ").unwrap();
        assert_eq!(e.as_str(), "anna.kowalska@example.pl");
        assert_eq!(e.domain(), "example.pl");
    }

    #[test]
    fn rejects_bad_shapes() {
        for bad in ["", "no-at", "@example.com", "a@b", "a@@b.com", "a b@c.com", "a@.com", "a@c.com.", "<a@b.com>"] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
