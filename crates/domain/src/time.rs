//! Timestamps are stored as milliseconds since the Unix epoch (UTC) in both
//! backends, so ordering, cursors and arithmetic behave identically on SQLite
//! and PostgreSQL. See docs/decisions.md.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        Timestamp(Utc::now().timestamp_millis())
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn to_datetime(self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.0).single().unwrap_or_default()
    }

    pub fn to_rfc3339(self) -> String {
        self.to_datetime().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }

    /// Parses RFC 3339 (`2026-01-31T09:00:00Z`) or a plain date (`2026-01-31`, midnight UTC).
    pub fn parse(s: &str) -> Result<Self, crate::DomainError> {
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Ok(Timestamp(dt.timestamp_millis()));
        }
        if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            let dt = d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
            return Ok(Timestamp(dt.timestamp_millis()));
        }
        Err(crate::DomainError::invalid("timestamp", format!("'{s}' is not an RFC 3339 date-time")))
    }

    pub fn plus_seconds(self, secs: i64) -> Self {
        Timestamp(self.0 + secs * 1000)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::DateTime)))
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc3339() {
        let t = Timestamp::parse("2026-03-01T10:20:30.123Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-01T10:20:30.123Z");
        assert_eq!(Timestamp::parse("2026-03-01").unwrap().to_rfc3339(), "2026-03-01T00:00:00.000Z");
        assert!(Timestamp::parse("yesterday").is_err());
    }
}
