//! Parsing raw RFC 5322 mail into what Rapport needs.
//!
//! [`parse`] is the single entry point. It sits on `mail-parser` (MIME
//! structure, transfer encodings, charsets, RFC 2047/2231) and adds what a
//! helpdesk needs: one text and one safe HTML body, attachment names that are
//! never empty, loop-protection flags, trimmed display text and a language.
//!
//! It never panics and keeps everything it can: a damaged message becomes a
//! message with less in it, not an error. Only input with nothing mail-like
//! in it at all is refused with [`ParseError::NotMail`].

mod attachments;
mod body;
mod headers;
mod recover;

use mail_parser::{Message, MessageParser};

use super::{lang, quote};

/// Everything the email channel needs from one raw message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedMail {
    /// `Message-ID` without angle brackets, if present.
    pub message_id: Option<String>,
    /// `In-Reply-To` ids, without angle brackets.
    pub in_reply_to: Vec<String>,
    /// `References` ids in order, without angle brackets.
    pub references: Vec<String>,
    /// The sender (From, else Sender, else Return-Path): lowercased address and display name.
    pub from: Option<Address>,
    pub reply_to: Option<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    /// Decoded subject, empty if none.
    pub subject: String,
    /// `Date` as Unix milliseconds, if present and valid.
    pub date_ms: Option<i64>,
    /// The full plain-text body (from text/plain, else derived from HTML).
    pub text: String,
    /// Sanitised HTML body (from text/html, else the text escaped), safe to show.
    pub html: String,
    /// The text for display: quoted history and signature trimmed.
    pub display_text: String,
    pub attachments: Vec<MailAttachment>,
    /// Auto-Submitted (not "no"), Precedence bulk/junk/list, X-Autoreply, X-Autorespond, List-Id...
    pub auto_submitted: bool,
    /// A delivery status notification (bounce): multipart/report; report-type=delivery-status, or from MAILER-DAEMON/postmaster.
    pub is_bounce: bool,
    /// Detected language of `display_text`: "vi", "pl", "en", or None when unsure or another language.
    pub language: Option<&'static str>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// Lowercased.
    pub email: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailAttachment {
    pub filename: String,
    pub content_type: String,
    /// `Content-ID` without angle brackets, for inline (cid:) images.
    pub content_id: Option<String>,
    pub inline: bool,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not an email message: {0}")]
    NotMail(String),
}

/// Most ids kept from `References`: the first (the thread root) and the 99
/// nearest ancestors, which are what threading looks up.
pub const MAX_REFERENCES: usize = 100;

/// Parses one raw message (as fetched by IMAP or read from an `.eml`).
///
/// Never panics, whatever the bytes. Returns [`ParseError::NotMail`] only when
/// the input has neither a header nor any text.
pub fn parse(raw: &[u8]) -> Result<ParsedMail, ParseError> {
    if raw.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        return Err(ParseError::NotMail("the input is empty".into()));
    }
    // mail-parser 0.11 has `debug_assert!(false)`s on paths damaged MIME
    // reaches (e.g. message/rfc822 directly inside message/rfc822 inside a
    // multipart): a panic there must not lose the mail, so fall back to the
    // headers and the raw body.
    std::panic::catch_unwind(|| parse_message(raw)).unwrap_or_else(|_| {
        tracing::warn!(bytes = raw.len(), "mail parser panicked; keeping the headers and the raw body");
        std::panic::catch_unwind(|| headers_and_raw_body(raw)).unwrap_or_else(|_| headerless(raw))
    })
}

fn parse_message(raw: &[u8]) -> Result<ParsedMail, ParseError> {
    let Some(message) = MessageParser::default().parse(raw) else {
        return headerless(raw);
    };
    if !has_headers(&message) {
        return headerless(raw);
    }
    let body = body::extract(&message);
    let mut mail = ParsedMail {
        attachments: attachments::collect(&message, &body.raw_html, &body.recovered),
        text: body.text,
        html: body.html,
        ..ParsedMail::default()
    };
    fill_headers(&mut mail, &message);
    finish(&mut mail);
    Ok(mail)
}

/// The header fields, from a message parsed whole or headers only.
fn fill_headers(mail: &mut ParsedMail, message: &Message) {
    let from = headers::sender(message);
    mail.message_id = headers::message_id(message);
    mail.in_reply_to = headers::ids(message.in_reply_to(), MAX_REFERENCES);
    mail.references = headers::ids(message.references(), MAX_REFERENCES);
    mail.reply_to = message.reply_to().and_then(|a| headers::addresses(a).into_iter().next());
    mail.to = message.all_to().flat_map(headers::addresses).collect();
    mail.cc = message.all_cc().flat_map(headers::addresses).collect();
    mail.subject = headers::subject(message);
    mail.date_ms = headers::date_ms(message);
    mail.auto_submitted = headers::auto_submitted(message);
    mail.is_bounce = headers::is_bounce(message, from.as_ref());
    mail.from = from;
}

/// Fills the fields derived from the text.
fn finish(mail: &mut ParsedMail) {
    mail.display_text = quote::trim(&mail.text);
    mail.language = lang::detect(&mail.display_text);
}

/// Whether mail-parser found a real header: it takes any first line for
/// one, but prose ("hello, no headers") has no RFC 5322 field name.
fn has_headers(message: &Message) -> bool {
    let is_field_name = |name: &str| !name.is_empty() && name.bytes().all(|b| (33..=126).contains(&b) && b != b':');
    !message.parts.is_empty() && message.headers().iter().any(|h| is_field_name(h.name()))
}

/// The fallback when MIME parsing panicked: headers parsed alone, and the
/// body (everything after the first blank line) kept as raw text.
fn headers_and_raw_body(raw: &[u8]) -> Result<ParsedMail, ParseError> {
    let Some(message) = MessageParser::default().parse_headers(raw).filter(has_headers) else {
        return headerless(raw);
    };
    let body_start = [&b"\r\n\r\n"[..], b"\n\n"]
        .iter()
        .filter_map(|sep| raw.windows(sep.len()).position(|w| w == *sep).map(|at| at + sep.len()))
        .min()
        .unwrap_or(raw.len());
    let text = body::clean(String::from_utf8_lossy(&raw[body_start..]).into_owned());
    let text = text.trim().to_string();
    let mut mail = ParsedMail { html: rapport_domain::html::text_to_html(&text), text, ..ParsedMail::default() };
    fill_headers(&mut mail, &message);
    finish(&mut mail);
    Ok(mail)
}

/// Input without a header: if it is text, keep it as the body of a message
/// without headers. Binary data (over a tenth undecodable or control
/// characters) is not mail.
fn headerless(raw: &[u8]) -> Result<ParsedMail, ParseError> {
    let text = body::clean(String::from_utf8_lossy(raw).into_owned());
    if !text.chars().any(|c| c.is_alphanumeric()) {
        return Err(ParseError::NotMail("no headers and no text".into()));
    }
    let total = text.chars().count();
    let bad = text.chars().filter(|&c| c == '\u{FFFD}' || c.is_control() && !c.is_whitespace()).count();
    if bad * 10 > total {
        return Err(ParseError::NotMail("binary data without headers".into()));
    }
    let text = text.trim().to_string();
    let mut mail = ParsedMail { html: rapport_domain::html::text_to_html(&text), text, ..ParsedMail::default() };
    finish(&mut mail);
    Ok(mail)
}
