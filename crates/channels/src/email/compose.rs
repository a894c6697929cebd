//! Renders outbound mail as RFC 5322 bytes: UTF-8 headers as RFC 2047
//! encoded-words, `multipart/alternative` text + HTML (base64), optional
//! attachments, and the threading headers customers' clients need.

use base64::{engine::general_purpose::STANDARD, Engine};
use rand::RngCore;

pub struct Part<'a> {
    pub filename: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

pub struct Outgoing<'a> {
    pub from_name: &'a str,
    pub from_address: &'a str,
    pub reply_to: Option<&'a str>,
    pub to: &'a [String],
    pub cc: &'a [String],
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// The Message-ID this answers, without angle brackets.
    pub in_reply_to: Option<&'a str>,
    /// The thread's Message-IDs, oldest first, without angle brackets.
    pub references: &'a [String],
    /// Marks automatic mail (acknowledgements, notices) so other systems do not answer it.
    pub auto_submitted: bool,
    pub attachments: &'a [Part<'a>],
    /// `Date`, as Unix milliseconds.
    pub date_ms: i64,
}

pub struct Composed {
    /// Without angle brackets.
    pub message_id: String,
    pub raw: Vec<u8>,
}

/// A new Message-ID in the mailbox's domain: `rapport.<ticket>.<random>@<domain>`.
pub fn new_message_id(from_address: &str, ticket_id: Option<i64>) -> String {
    let mut r = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut r);
    let domain = from_address.split_once('@').map(|(_, d)| d).filter(|d| !d.is_empty()).unwrap_or("rapport.invalid");
    format!("rapport.{}.{}@{domain}", ticket_id.unwrap_or(0), hex(&r))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An RFC 2047 encoded-word when the text is not plain printable ASCII.
pub fn encode_header_text(s: &str) -> String {
    let plain = s.bytes().all(|b| (0x20..0x7f).contains(&b)) && !s.contains("=?");
    if plain {
        return s.to_string();
    }
    // Split into chunks that keep each encoded word under 75 characters, on char boundaries.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if (chunk.len() + c.len_utf8()) * 4 / 3 > 45 {
            words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(&chunk)));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(&chunk)));
    }
    words.join("\r\n ")
}

fn mailbox(name: &str, address: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return address.to_string();
    }
    let plain = name.bytes().all(|b| b.is_ascii_alphanumeric() || b" .-_'".contains(&b));
    if plain {
        format!("\"{name}\" <{address}>")
    } else {
        format!("{} <{address}>", encode_header_text(name))
    }
}

fn base64_lines(bytes: &[u8]) -> String {
    let encoded = STANDARD.encode(bytes);
    encoded.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).expect("base64 is ascii")).collect::<Vec<_>>().join("\r\n")
}

fn boundary() -> String {
    let mut r = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut r);
    format!("=_rapport_{}", hex(&r))
}

/// Strips CR and LF so header values cannot inject headers.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }).collect()
}

pub fn compose(m: &Outgoing<'_>, message_id: &str) -> Composed {
    let mut h = String::new();
    let date = chrono::DateTime::from_timestamp_millis(m.date_ms).unwrap_or_default();
    h.push_str(&format!("Date: {}\r\n", date.to_rfc2822()));
    h.push_str(&format!("From: {}\r\n", mailbox(&one_line(m.from_name), &one_line(m.from_address))));
    if let Some(r) = m.reply_to {
        h.push_str(&format!("Reply-To: {}\r\n", one_line(r)));
    }
    h.push_str(&format!("To: {}\r\n", m.to.iter().map(|a| one_line(a)).collect::<Vec<_>>().join(", ")));
    if !m.cc.is_empty() {
        h.push_str(&format!("Cc: {}\r\n", m.cc.iter().map(|a| one_line(a)).collect::<Vec<_>>().join(", ")));
    }
    h.push_str(&format!("Subject: {}\r\n", encode_header_text(&one_line(m.subject))));
    h.push_str(&format!("Message-ID: <{}>\r\n", one_line(message_id)));
    if let Some(irt) = m.in_reply_to {
        h.push_str(&format!("In-Reply-To: <{}>\r\n", one_line(irt)));
    }
    if !m.references.is_empty() {
        let refs = m.references.iter().map(|r| format!("<{}>", one_line(r))).collect::<Vec<_>>().join("\r\n ");
        h.push_str(&format!("References: {refs}\r\n"));
    }
    if m.auto_submitted {
        h.push_str("Auto-Submitted: auto-replied\r\nX-Auto-Response-Suppress: All\r\n");
    }
    h.push_str("MIME-Version: 1.0\r\n");

    let alt = boundary();
    let alternative = format!(
        "--{alt}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --{alt}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--{alt}--\r\n",
        base64_lines(m.text.as_bytes()),
        base64_lines(m.html.as_bytes())
    );
    let body = if m.attachments.is_empty() {
        h.push_str(&format!("Content-Type: multipart/alternative; boundary=\"{alt}\"\r\n\r\n"));
        alternative
    } else {
        let mixed = boundary();
        h.push_str(&format!("Content-Type: multipart/mixed; boundary=\"{mixed}\"\r\n\r\n"));
        let mut b = format!("--{mixed}\r\nContent-Type: multipart/alternative; boundary=\"{alt}\"\r\n\r\n{alternative}");
        for a in m.attachments {
            let name = encode_header_text(&one_line(a.filename)).replace('"', "");
            b.push_str(&format!(
                "--{mixed}\r\nContent-Type: {}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n{}\r\n",
                one_line(a.content_type),
                base64_lines(a.bytes)
            ));
        }
        b.push_str(&format!("--{mixed}--\r\n"));
        b
    };
    h.push_str(&body);
    Composed { message_id: message_id.to_string(), raw: h.into_bytes() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample<'a>(to: &'a [String], refs: &'a [String], parts: &'a [Part<'a>]) -> Outgoing<'a> {
        Outgoing {
            from_name: "Sao Mai Mobile",
            from_address: "support@sao-mai.vn",
            reply_to: Some("support+t7-abc@sao-mai.vn"),
            to,
            cc: &[],
            subject: "Re: Đơn hàng chưa giao [#7]",
            text: "Xin chào chị Hương,\nĐơn hàng đã được gửi.",
            html: "<p>Xin chào chị Hương,</p>",
            in_reply_to: Some("abc@khach.vn"),
            references: refs,
            auto_submitted: false,
            attachments: parts,
            date_ms: 1_790_000_000_000,
        }
    }

    #[test]
    fn composes_a_threaded_reply_that_parses_back() {
        let to = vec!["huong@khach.vn".to_string()];
        let refs = vec!["first@khach.vn".to_string(), "abc@khach.vn".to_string()];
        let parts = [Part { filename: "hóa đơn.pdf", content_type: "application/pdf", bytes: b"%PDF-1.4 test" }];
        let id = new_message_id("support@sao-mai.vn", Some(7));
        assert!(id.starts_with("rapport.7.") && id.ends_with("@sao-mai.vn"));
        let c = compose(&sample(&to, &refs, &parts), &id);
        let text = String::from_utf8(c.raw.clone()).unwrap();
        assert!(text.is_ascii(), "7-bit clean");
        assert!(text.contains(&format!("Message-ID: <{id}>\r\n")));
        assert!(text.contains("In-Reply-To: <abc@khach.vn>\r\n"));
        assert!(text.contains("References: <first@khach.vn>\r\n <abc@khach.vn>\r\n"));

        let parsed = crate::email::parse::parse(&c.raw).unwrap();
        assert_eq!(parsed.subject, "Re: Đơn hàng chưa giao [#7]");
        assert_eq!(parsed.message_id.as_deref(), Some(id.as_str()));
        assert_eq!(parsed.in_reply_to, vec!["abc@khach.vn".to_string()]);
        assert_eq!(parsed.references, refs);
        assert!(parsed.text.contains("Đơn hàng đã được gửi."));
        assert_eq!(parsed.attachments.len(), 1);
        assert_eq!(parsed.attachments[0].filename, "hóa đơn.pdf");
        assert_eq!(parsed.attachments[0].bytes, b"%PDF-1.4 test");
        assert_eq!(parsed.from.unwrap().email, "support@sao-mai.vn");
        assert!(!parsed.auto_submitted);
    }

    #[test]
    fn automatic_mail_says_so_and_headers_cannot_be_injected() {
        let to = vec!["a@b.pl".to_string()];
        let mut m = sample(&to, &[], &[]);
        m.auto_submitted = true;
        m.subject = "Hello\r\nBcc: victim@example.com";
        let c = compose(&m, "x@y");
        let parsed = crate::email::parse::parse(&c.raw).unwrap();
        assert!(parsed.auto_submitted);
        assert!(!String::from_utf8_lossy(&c.raw).contains("\r\nBcc:"));
    }
}
