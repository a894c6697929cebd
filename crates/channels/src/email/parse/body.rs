//! The text and HTML bodies, and the clean-up every decoded string gets.

use mail_parser::decoders::{base64::base64_decode, quoted_printable::quoted_printable_decode};
use mail_parser::{Encoding, Message, MessagePart, MimeHeaders, PartType};
use rapport_domain::html::{html_to_text, sanitize, text_to_html};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::recover;

pub(super) struct Body {
    /// text/plain parts joined, else text derived from the sanitised HTML.
    pub text: String,
    /// Sanitised HTML, else the text escaped.
    pub html: String,
    /// The HTML as sent, empty without an HTML part: it tells which `cid:`
    /// images the body shows (sanitising may drop some markup around them).
    pub raw_html: String,
    /// Damaged parts recovered as the body, which are not attachments then.
    pub recovered: Vec<u32>,
}

/// Takes the bodies mail-parser picked (for multipart/alternative the text
/// and the HTML alternative; for mixed/related the inline text parts in order).
pub(super) fn extract(m: &Message) -> Body {
    let mut texts: Vec<String> = m
        .text_bodies()
        .filter_map(|part| match &part.body {
            PartType::Text(t) => Some(clean(decoded(m, part, t))),
            _ => None,
        })
        .filter(|t| !t.trim().is_empty())
        .collect();
    let mut has_html = false;
    let mut pieces: Vec<String> = m
        .html_bodies()
        .filter_map(|part| match &part.body {
            PartType::Html(h) => {
                has_html = true;
                Some(clean(decoded(m, part, h)))
            }
            PartType::Text(t) => Some(text_to_html(&clean(decoded(m, part, t)))),
            _ => None,
        })
        .collect();
    let mut recovered = Vec::new();
    if texts.is_empty() && !has_html {
        // Damaged text (see `recover`), or a malformed Content-Type such as
        // "TEXT/PLAIN charset=US-ASCII", lands among the attachments: take
        // the first unnamed text and HTML part there as the body.
        for &id in &m.attachments {
            let Some(part) = m.parts.get(id as usize) else { continue };
            let Some(is_html) = body_kind(part) else { continue };
            if is_html && has_html || !is_html && !texts.is_empty() {
                continue;
            }
            let text = match (recover::bytes(m, part), &part.body) {
                (Some(bytes), _) => recover::text(part, &bytes),
                (None, PartType::Text(t) | PartType::Html(t)) => t.to_string(),
                _ => continue,
            };
            if is_html {
                has_html = true;
                pieces = vec![clean(text)];
            } else {
                texts.push(clean(text));
            }
            recovered.push(id);
        }
    }
    let raw_html = if has_html { pieces.join("\n") } else { String::new() };
    let safe_html = has_html.then(|| sanitize(&raw_html));
    let mut text = tidy(&texts.join("\n"));
    if text.is_empty() {
        if let Some(html) = &safe_html {
            text = tidy(&html_to_text(html));
        }
    }
    let html = safe_html.map(|h| h.trim().to_string()).unwrap_or_else(|| text_to_html(&text));
    Body { text, html, raw_html, recovered }
}

/// For an unnamed, non-attachment part typed text/plain, text/html (even
/// with a malformed type), untyped, or an unsplittable multipart: whether it
/// is HTML.
fn body_kind(part: &MessagePart) -> Option<bool> {
    if part.attachment_name().is_some() || part.content_disposition().is_some_and(|d| d.is_attachment()) {
        return None;
    }
    let Some(ct) = part.content_type() else { return Some(false) };
    let sub = ct.subtype().unwrap_or("plain").to_ascii_lowercase();
    match ct.ctype().to_ascii_lowercase().as_str() {
        "text" if sub.starts_with("html") => Some(true),
        "text" if sub.starts_with("plain") => Some(false),
        // A multipart whose boundary never appears: its raw text is all there is.
        "multipart" if matches!(part.body, PartType::Text(_)) => Some(false),
        _ => None,
    }
}

/// Drops blank lines at the start and whitespace at the end (indentation of
/// the first line is kept).
fn tidy(text: &str) -> String {
    let mut rest = text;
    while let Some((line, tail)) = rest.split_once('\n') {
        if !line.trim().is_empty() {
            break;
        }
        rest = tail;
    }
    rest.trim_end().to_string()
}

/// NUL removed (PostgreSQL text cannot hold it), line ends made `\n`, and
/// Unicode NFC: windows-1258 and some Mac mailers send Vietnamese tone marks
/// as combining characters, which would break search and display.
pub(super) fn clean(s: String) -> String {
    let s = if s.contains(['\0', '\r']) { s.replace("\r\n", "\n").replace('\r', "\n").replace('\0', "") } else { s };
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => s,
        _ => s.nfc().collect(),
    }
}

/// Charset labels under which mail-parser decodes 8-bit bytes as
/// windows-1252. Badly configured senders often send UTF-8 under them.
const LATIN_LABELS: &[&str] = &[
    "us-ascii",
    "ascii",
    "us",
    "ansi_x3.4-1968",
    "csascii",
    "iso-8859-1",
    "iso8859-1",
    "iso_8859-1",
    "latin1",
    "l1",
    "windows-1252",
    "cp1252",
];

/// The part's text: recovered when mail-parser could not decode it (see
/// [`recover`]), re-read as UTF-8 when it is labelled ASCII or Latin-1 but
/// its bytes are valid UTF-8 with non-ASCII characters: real Latin-1 text is
/// practically never valid UTF-8, so the label is what is wrong.
/// Other mislabelled bytes keep mail-parser's best effort (windows-1252 for
/// these labels, U+FFFD for invalid UTF-8 or an unknown charset).
fn decoded(m: &Message, part: &MessagePart, text: &str) -> String {
    if let Some(bytes) = recover::bytes(m, part) {
        return recover::text(part, &bytes);
    }
    if text.is_ascii() || part.is_encoding_problem {
        return text.to_string();
    }
    let latin = part
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .is_some_and(|label| LATIN_LABELS.iter().any(|l| label.trim().eq_ignore_ascii_case(l)));
    if !latin {
        return text.to_string();
    }
    let Some(raw) = m.raw_message.get(part.offset_body as usize..part.offset_end as usize) else {
        return text.to_string();
    };
    let bytes = match part.encoding {
        Encoding::Base64 => base64_decode(raw),
        Encoding::QuotedPrintable => quoted_printable_decode(raw),
        Encoding::None => Some(raw.to_vec()),
    };
    bytes.and_then(|b| String::from_utf8(b).ok()).unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_composes_and_strips_nul() {
        // "của" with the hook above as a combining mark, as windows-1258 decodes it.
        assert_eq!(clean("cu\u{309}a\0\r\nb".to_string()), "của\nb");
        assert_eq!(clean("plain".to_string()), "plain");
    }

    #[test]
    fn tidy_keeps_first_line_indent() {
        assert_eq!(tidy("\n \n  indented\nnext  \n\n"), "  indented\nnext");
        assert_eq!(tidy(""), "");
        assert_eq!(tidy("\n\n"), "");
    }
}
