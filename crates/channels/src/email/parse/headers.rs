//! Header fields: ids, addresses, subject, date, and the flags loop
//! protection needs (auto-submitted, bounce).

use mail_parser::{HeaderValue, Message, MimeHeaders};

use super::{body::clean, Address};

/// Longest subject kept, in characters (RFC 5322 lines stop at 998 bytes).
const MAX_SUBJECT_CHARS: usize = 998;

/// `Message-ID` without angle brackets.
pub(super) fn message_id(m: &Message) -> Option<String> {
    // mail-parser strips the brackets; a malformed id is kept as written.
    let id = m.message_id().map(|id| strip_id(id).to_string())?;
    (!id.is_empty()).then_some(id)
}

/// The ids of an `In-Reply-To` or `References` value, in order, without
/// brackets or duplicates. Past `cap`, keeps the first id (the thread root)
/// and the last `cap - 1` (the nearest ancestors).
pub(super) fn ids(value: &HeaderValue, cap: usize) -> Vec<String> {
    let raw: Vec<&str> = match value {
        HeaderValue::Text(t) => vec![t.as_ref()],
        HeaderValue::TextList(list) => list.iter().map(|t| t.as_ref()).collect(),
        _ => Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for id in raw.iter().flat_map(|t| t.split(|c: char| c.is_whitespace() || c == ',')) {
        let id = strip_id(id);
        if !id.is_empty() && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    if out.len() > cap && cap > 0 {
        out.drain(1..out.len() - (cap - 1));
    }
    out
}

fn strip_id(id: &str) -> &str {
    id.trim().trim_start_matches('<').trim_end_matches('>').trim()
}

/// The addresses of one address header (groups flattened), skipping entries
/// without an address.
pub(super) fn addresses(value: &mail_parser::Address) -> Vec<Address> {
    value.iter().filter_map(|a| address(a.address.as_deref()?, a.name.as_deref())).collect()
}

fn address(email: &str, name: Option<&str>) -> Option<Address> {
    let email = clean(email.to_string()).trim().trim_start_matches('<').trim_end_matches('>').trim().to_lowercase();
    if email.is_empty() {
        return None;
    }
    let name = name
        .map(|n| clean(n.to_string()).trim().trim_matches(['"', '\'']).trim().to_string())
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(&email));
    Some(Address { email, name })
}

/// The sender: `From`, else `Sender`, else `Return-Path` (unless it is `<>`).
pub(super) fn sender(m: &Message) -> Option<Address> {
    let first = |a: Option<&mail_parser::Address>| a.and_then(|a| addresses(a).into_iter().next());
    first(m.from()).or_else(|| first(m.sender())).or_else(|| address(&raw_header(m, "Return-Path")?, None))
}

/// Decoded (RFC 2047, any charset), NFC-normalised, one line, trimmed.
pub(super) fn subject(m: &Message) -> String {
    let Some(subject) = m.subject() else {
        return String::new();
    };
    let subject = clean(subject.to_string());
    let mut out = String::with_capacity(subject.len());
    for word in subject.split(|c: char| c.is_whitespace() || c.is_control()) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    match out.char_indices().nth(MAX_SUBJECT_CHARS) {
        Some((cut, _)) => out[..cut].trim_end().to_string(),
        None => out,
    }
}

/// `Date` as Unix milliseconds, if the header parsed as a valid date.
pub(super) fn date_ms(m: &Message) -> Option<i64> {
    let date = m.date().filter(|d| d.is_valid())?;
    date.to_timestamp().checked_mul(1000)
}

/// Whether a program rather than a person sent the message, so Rapport must
/// not answer it automatically (RFC 3834, plus the de-facto headers of
/// Exchange, mailing lists and vacation responders):
/// - `Auto-Submitted` with any value but `no`;
/// - `Precedence: bulk | junk | list | auto_reply`;
/// - `X-Autoreply` or `X-Autorespond` present;
/// - `X-Auto-Response-Suppress` naming `All`, `OOF` or `AutoReply`;
/// - `List-Id` or `List-Unsubscribe` present (mailing-list traffic);
/// - `Return-Path: <>` (the null sender of notifications and bounces).
pub(super) fn auto_submitted(m: &Message) -> bool {
    let value = |name: &str| raw_header(m, name).map(|v| v.to_ascii_lowercase());
    let first_token = |v: &str| v.split(';').next().unwrap_or("").trim().to_string();
    if value("Auto-Submitted").is_some_and(|v| first_token(&v) != "no") {
        return true;
    }
    if value("Precedence").is_some_and(|v| matches!(first_token(&v).as_str(), "bulk" | "junk" | "list" | "auto_reply")) {
        return true;
    }
    if ["X-Autoreply", "X-Autorespond", "List-Id", "List-Unsubscribe"].iter().any(|h| has_header(m, h)) {
        return true;
    }
    if value("X-Auto-Response-Suppress").is_some_and(|v| v.split([',', ' ', ';']).any(|t| matches!(t.trim(), "all" | "oof" | "autoreply")))
    {
        return true;
    }
    raw_header(m, "Return-Path").is_some_and(|v| v.trim() == "<>")
}

/// A delivery status notification: `multipart/report;
/// report-type=delivery-status`, or mail from `MAILER-DAEMON@` / `postmaster@`.
pub(super) fn is_bounce(m: &Message, from: Option<&Address>) -> bool {
    let report = m.root_part().content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct.attribute("report-type").is_some_and(|r| r.trim().eq_ignore_ascii_case("delivery-status"))
    });
    let daemon = |email: &str| {
        let local = email.split('@').next().unwrap_or("");
        matches!(local, "mailer-daemon" | "postmaster")
    };
    // "From: MAILER-DAEMON" without a domain is common and has no address to resolve.
    let bare_from = raw_header(m, "From").is_some_and(|f| daemon(f.trim().to_lowercase().as_str()));
    report || bare_from || from.is_some_and(|f| daemon(&f.email))
}

fn has_header(m: &Message, name: &str) -> bool {
    m.headers().iter().any(|h| h.name().eq_ignore_ascii_case(name))
}

/// The raw value of the first header named `name` (any case), unfolded, lossy UTF-8.
pub(super) fn raw_header(m: &Message, name: &str) -> Option<String> {
    let h = m.headers().iter().find(|h| h.name().eq_ignore_ascii_case(name))?;
    let bytes = m.raw_message.get(h.offset_start as usize..h.offset_end as usize)?;
    let value = String::from_utf8_lossy(bytes);
    Some(value.split(['\r', '\n']).map(str::trim).collect::<Vec<_>>().join(" ").trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn list(ids: &[&'static str]) -> HeaderValue<'static> {
        HeaderValue::TextList(ids.iter().map(|i| Cow::Borrowed(*i)).collect())
    }

    #[test]
    fn ids_are_unbracketed_split_and_deduplicated() {
        let value = list(&["<a@x>", " b@x  c@x ", "<a@x>", "", "d@x,e@x"]);
        assert_eq!(ids(&value, 100), ["a@x", "b@x", "c@x", "d@x", "e@x"]);
        assert_eq!(ids(&HeaderValue::Text(Cow::Borrowed("<only@x>")), 100), ["only@x"]);
        assert!(ids(&HeaderValue::Empty, 100).is_empty());
    }

    #[test]
    fn ids_past_the_cap_keep_the_root_and_the_nearest() {
        let value = list(&["1", "2", "3", "4", "5"]);
        assert_eq!(ids(&value, 3), ["1", "4", "5"]);
        assert_eq!(ids(&value, 5).len(), 5);
    }

    #[test]
    fn addresses_are_lowercased_and_names_tidied() {
        let a = address(" <Anna@Example.PL> ", Some(" \"Anna Kowalska\" ")).unwrap();
        assert_eq!((a.email.as_str(), a.name.as_deref()), ("anna@example.pl", Some("Anna Kowalska")));
        // A name that repeats the address, or is empty, is no name.
        assert_eq!(address("a@x.pl", Some("A@x.pl")).unwrap().name, None);
        assert_eq!(address("a@x.pl", Some("  ")).unwrap().name, None);
        assert!(address("  ", Some("Nobody")).is_none());
    }
}
