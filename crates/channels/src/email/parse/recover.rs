//! Recovering parts mail-parser gave up on.
//!
//! When a base64 or quoted-printable part is damaged (a truncated message
//! whose closing boundary never comes, stray characters in base64),
//! mail-parser flags it `is_encoding_problem` and hands back the raw,
//! still-encoded text as an unnamed text attachment. Spam aside, this is
//! how a customer's message gets cut by a flaky relay: decode it leniently
//! instead, so the body is read and the file keeps its bytes.

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Message, MessagePart, MimeHeaders};

/// The decoded bytes of a part mail-parser could not decode, if it declares
/// base64 or quoted-printable.
pub(super) fn bytes(m: &Message, part: &MessagePart) -> Option<Vec<u8>> {
    if !part.is_encoding_problem {
        return None;
    }
    let raw = m.raw_message.get(part.offset_body as usize..part.offset_end as usize)?;
    let cte = part.content_transfer_encoding()?.trim().to_ascii_lowercase();
    match cte.as_str() {
        "base64" => lenient_base64(raw),
        // Invalid escapes make the strict decoder give up; the raw text is closer than nothing.
        "quoted-printable" => Some(quoted_printable_decode(raw).unwrap_or_else(|| raw.to_vec())),
        _ => None,
    }
}

/// The text of a recovered part, in its declared charset (UTF-8, lossily,
/// when the charset is absent or unknown).
pub(super) fn text(part: &MessagePart, bytes: &[u8]) -> String {
    let decoder = part.content_type().and_then(|ct| ct.attribute("charset")).and_then(|c| charset_decoder(c.as_bytes()));
    match decoder {
        Some(decode) => decode(bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Base64 ignoring everything outside the alphabet and stopping at the first
/// padding; a dangling last character is dropped.
fn lenient_base64(raw: &[u8]) -> Option<Vec<u8>> {
    let mut clean: Vec<u8> =
        raw.iter().copied().take_while(|&b| b != b'=').filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/').collect();
    match clean.len() % 4 {
        1 => {
            clean.pop();
        }
        2 => clean.extend(b"=="),
        3 => clean.push(b'='),
        _ => {}
    }
    base64_decode(&clean)
}

#[cfg(test)]
mod tests {
    use super::lenient_base64;

    #[test]
    fn base64_survives_noise_and_truncation() {
        assert_eq!(lenient_base64(b"SGVs\r\nbG8g!d29y\nbGQ=\n--").unwrap(), b"Hello world");
        assert_eq!(lenient_base64(b"SGVsbG8gd29ybG").unwrap(), b"Hello worl");
        assert_eq!(lenient_base64(b"SGVsbG8gd29ybGQx").unwrap(), b"Hello world1");
        assert_eq!(lenient_base64(b"").unwrap(), b"");
    }
}
