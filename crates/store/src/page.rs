//! Keyset (cursor) pagination. A cursor is the sort key and id of the last
//! row of a page, encoded as opaque URL-safe base64.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The value of the sort column in the last row seen.
    pub k: i64,
    /// The id of the last row seen (tie-breaker).
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("cursor serialises"))
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(s).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows: the extra row only says that
    /// there is more.
    pub fn from_rows(mut rows: Vec<T>, limit: usize, key: impl Fn(&T) -> Cursor) -> Self {
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more { rows.last().map(|r| key(r).encode()) } else { None };
        Page { items: rows, next_cursor }
    }
}

/// Page size: default 25, at most 100.
pub fn clamp_limit(limit: Option<u32>) -> usize {
    limit.unwrap_or(25).clamp(1, 100) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_garbage() {
        let c = Cursor { k: 1_700_000_000_000, id: 42 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("not a cursor!"), None);
    }

    #[test]
    fn page_knows_when_there_is_more() {
        let p = Page::from_rows(vec![1, 2, 3], 2, |i| Cursor { k: *i, id: *i });
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(Cursor::decode(p.next_cursor.as_deref().unwrap()).unwrap().id, 2);
        assert!(Page::from_rows(vec![1, 2], 2, |i| Cursor { k: *i, id: *i }).next_cursor.is_none());
    }
}
