//! A table as reports show it: HTML on the page (cells may link to the
//! records they count) and CSV for download, from one definition.

use axum::http::header;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
}

impl Cell {
    pub fn text(t: impl Into<String>) -> Cell {
        Cell { text: t.into(), href: None }
    }

    pub fn link(t: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell { text: t.into(), href: Some(href.into()) }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Stable name, used in `?format=csv&table=<key>`.
    pub key: &'static str,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// The same page's URL with `format=csv&table=<key>`.
    pub csv_href: String,
}

/// One CSV field: quoted when needed, and defused when a spreadsheet would
/// read it as a formula (`=`, `+`, `-`, `@` at the start).
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

impl Table {
    /// RFC 4180 CSV, CRLF line ends, with a UTF-8 byte-order mark so
    /// spreadsheets read Vietnamese and Polish correctly.
    pub fn csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        out.push_str(&self.columns.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            out.push_str(&row.iter().map(|c| field(&c.text)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        out
    }

    pub fn csv_response(&self, name: &str) -> Response {
        let filename: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}.csv\"")),
            ],
            self.csv(),
        )
            .into_response()
    }
}

/// The table named by `?table=` among a page's tables, as CSV; `None` if there is no such table.
pub fn csv_of(tables: &[Table], key: Option<&str>, name: &str) -> Option<Response> {
    let key = key?;
    tables.iter().find(|t| t.key == key).map(|t| t.csv_response(&format!("{name}-{key}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses() {
        let t = Table {
            key: "t",
            title: "T".into(),
            columns: vec!["Tên".into(), "Wynik, %".into()],
            rows: vec![vec![Cell::text("Nguyễn \"Lan\""), Cell::text("-5")], vec![Cell::text("=HYPERLINK(\"x\")"), Cell::link("50", "/x")]],
            csv_href: String::new(),
        };
        assert_eq!(t.csv(), "\u{feff}Tên,\"Wynik, %\"\r\n\"Nguyễn \"\"Lan\"\"\",-5\r\n\"'=HYPERLINK(\"\"x\"\")\",50\r\n");
    }
}
