//! Typed custom fields: an admin defines a field (key, kind, options); tickets
//! carry values that are validated against the definition.

use crate::DomainError;
use serde_json::Value;

crate::string_enum!(CustomFieldKind, "kind" {
    Text = "text",
    Number = "number",
    Boolean = "boolean",
    Date = "date",
    Select = "select",
});

/// A validated custom-field value.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomFieldValue {
    Text(String),
    Number(f64),
    Boolean(bool),
    Date(chrono::NaiveDate),
    Select(String),
}

impl CustomFieldValue {
    /// Checks a JSON value against a field's kind (and options, for `select`).
    pub fn parse(kind: CustomFieldKind, options: &[String], v: &Value) -> Result<Self, DomainError> {
        let bad = |why: String| DomainError::invalid("custom_fields", why);
        match (kind, v) {
            (CustomFieldKind::Text, Value::String(s)) if s.chars().count() <= 10_000 => Ok(Self::Text(s.clone())),
            (CustomFieldKind::Text, Value::String(_)) => Err(bad("text is longer than 10000 characters".into())),
            (CustomFieldKind::Number, Value::Number(n)) => n.as_f64().map(Self::Number).ok_or_else(|| bad("number out of range".into())),
            (CustomFieldKind::Boolean, Value::Bool(b)) => Ok(Self::Boolean(*b)),
            (CustomFieldKind::Date, Value::String(s)) => {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Self::Date).map_err(|_| bad(format!("'{s}' is not a YYYY-MM-DD date")))
            }
            (CustomFieldKind::Select, Value::String(s)) if options.iter().any(|o| o == s) => Ok(Self::Select(s.clone())),
            (CustomFieldKind::Select, Value::String(s)) => Err(bad(format!("'{s}' is not one of: {}", options.join(", ")))),
            (kind, other) => Err(bad(format!("expected a {kind} value, got {other}"))),
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Self::Text(s) | Self::Select(s) => Value::String(s.clone()),
            Self::Number(n) => serde_json::json!(n),
            Self::Boolean(b) => Value::Bool(*b),
            Self::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
        }
    }
}

/// Validates a field key: 1–64 of `a-z`, `0-9`, `_`, starting with a letter.
pub fn parse_key(s: &str) -> Result<String, DomainError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(s.to_string())
    } else {
        Err(DomainError::invalid("key", format!("'{s}' must be 1-64 of a-z, 0-9 and _, starting with a letter")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_follow_their_kind() {
        let opts = vec!["basic".to_string(), "pro".to_string()];
        assert_eq!(CustomFieldValue::parse(CustomFieldKind::Number, &[], &json!(3.5)).unwrap().to_json(), json!(3.5));
        assert!(CustomFieldValue::parse(CustomFieldKind::Number, &[], &json!("3")).is_err());
        assert!(CustomFieldValue::parse(CustomFieldKind::Date, &[], &json!("2026-02-30")).is_err());
        assert!(CustomFieldValue::parse(CustomFieldKind::Select, &opts, &json!("pro")).is_ok());
        assert!(CustomFieldValue::parse(CustomFieldKind::Select, &opts, &json!("gold")).is_err());
        assert!(CustomFieldValue::parse(CustomFieldKind::Boolean, &[], &json!(null)).is_err());
    }

    #[test]
    fn keys() {
        assert!(parse_key("order_id").is_ok());
        assert!(parse_key("Order").is_err());
        assert!(parse_key("1x").is_err());
    }
}
