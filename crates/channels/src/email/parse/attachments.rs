//! Attachments and inline images, each with a usable file name.

use mail_parser::{Encoding, Message, MessagePart, MimeHeaders, PartType};

use super::{body::clean, recover, MailAttachment};

/// Longest file name kept, in characters (the extension is preserved).
const MAX_FILENAME_CHARS: usize = 200;

/// Every part mail-parser did not use as a body: files, inline images,
/// forwarded messages (`message/rfc822`), TNEF (`winmail.dat`), delivery
/// reports. A part is `inline` when it has a `Content-ID` that the HTML body
/// refers to as `cid:`; an image nothing shows is listed like any file.
/// Parts in `skip` were recovered as the body.
pub(super) fn collect(m: &Message, raw_html: &str, skip: &[u32]) -> Vec<MailAttachment> {
    let html = raw_html.to_ascii_lowercase();
    let mut out = Vec::new();
    for &id in m.attachments.iter().filter(|id| !skip.contains(id)) {
        let Some(part) = m.parts.get(id as usize) else { continue };
        let content_type = content_type(part);
        let bytes = contents(m, part);
        let name = part.attachment_name().map(filename).filter(|n| !n.is_empty());
        if bytes.is_empty() && name.is_none() && !content_type.starts_with("message/") {
            continue; // an empty unnamed part (often a stray empty text part) is noise
        }
        let content_id =
            part.content_id().map(|c| c.trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()).filter(|c| !c.is_empty());
        let inline = content_id.as_ref().is_some_and(|cid| html.contains(&format!("cid:{}", cid.to_ascii_lowercase())));
        let filename = name.unwrap_or_else(|| generated_name(&content_type, out.len() + 1));
        out.push(MailAttachment { filename, content_type, content_id, inline, bytes });
    }
    out
}

/// `type/subtype`, lowercased; guessed from the body kind when absent.
fn content_type(part: &MessagePart) -> String {
    if let Some(ct) = part.content_type() {
        if let Some(sub) = ct.subtype() {
            return format!("{}/{}", ct.ctype(), sub).to_ascii_lowercase();
        }
    }
    match &part.body {
        PartType::Text(_) => "text/plain",
        PartType::Html(_) => "text/html",
        PartType::Message(_) => "message/rfc822",
        _ => "application/octet-stream",
    }
    .to_string()
}

/// The decoded bytes. Text parts come as UTF-8 (mail-parser converted them
/// from their charset). A forwarded message is kept byte for byte as sent.
/// A damaged base64 part is decoded leniently (see [`recover`]).
fn contents(m: &Message, part: &MessagePart) -> Vec<u8> {
    if let Some(bytes) = recover::bytes(m, part) {
        return bytes;
    }
    if let PartType::Message(inner) = &part.body {
        // Unencoded, the nested message shares the outer buffer and is
        // delimited by the part's offsets; base64-encoded, it owns its bytes.
        if part.encoding == Encoding::None {
            if let Some(bytes) = m.raw_message.get(part.offset_body as usize..part.offset_end as usize) {
                return bytes.to_vec();
            }
        }
        return inner.raw_message.to_vec();
    }
    part.contents().to_vec()
}

/// A safe file name from a decoded (RFC 2231 / RFC 2047) one: no path, no
/// control characters, no leading dots, NFC, at most 200 characters.
fn filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base: String = clean(base.to_string()).chars().filter(|c| !c.is_control()).collect();
    let base = base.trim().trim_start_matches('.').trim();
    if base.chars().count() <= MAX_FILENAME_CHARS {
        return base.to_string();
    }
    let ext = base.rsplit_once('.').map(|(_, e)| e).filter(|e| e.len() <= 10 && !e.contains(' '));
    let keep = MAX_FILENAME_CHARS - ext.map_or(0, |e| e.chars().count() + 1);
    let stem: String = base.chars().take(keep).collect();
    match ext {
        Some(ext) => format!("{}.{ext}", stem.trim_end()),
        None => stem,
    }
}

/// A name for a part that has none: `forwarded.eml`, `winmail.dat`, else
/// `attachment-N.ext` with the extension of the content type.
fn generated_name(content_type: &str, n: usize) -> String {
    let ext = match content_type {
        "message/rfc822" | "message/global" => return "forwarded.eml".into(),
        "application/ms-tnef" | "application/vnd.ms-tnef" => return "winmail.dat".into(),
        "image/jpeg" | "image/jpg" | "image/pjpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        "image/bmp" => "bmp",
        "image/tiff" => "tif",
        "image/heic" => "heic",
        "application/pdf" => "pdf",
        "application/zip" => "zip",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/json" => "json",
        "text/plain" | "message/delivery-status" | "message/disposition-notification" => "txt",
        "text/html" => "html",
        "text/csv" => "csv",
        "text/calendar" => "ics",
        "text/rfc822-headers" | "message/rfc822-headers" => "txt",
        "audio/mpeg" => "mp3",
        "video/mp4" => "mp4",
        _ => "bin",
    };
    format!("attachment-{n}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_lose_paths_and_controls() {
        assert_eq!(filename("C:\\Users\\an\\hóa đơn.pdf"), "hóa đơn.pdf");
        assert_eq!(filename("../../etc/passwd"), "passwd");
        assert_eq!(filename("..hidden\u{0}\n.txt"), "hidden.txt");
        let long = format!("{}.pdf", "a".repeat(500));
        let cut = filename(&long);
        assert_eq!(cut.chars().count(), MAX_FILENAME_CHARS);
        assert!(cut.ends_with("a.pdf"));
    }

    #[test]
    fn generated_names_follow_the_type() {
        assert_eq!(generated_name("image/png", 2), "attachment-2.png");
        assert_eq!(generated_name("application/x-whatever", 1), "attachment-1.bin");
        assert_eq!(generated_name("message/rfc822", 3), "forwarded.eml");
        assert_eq!(generated_name("application/ms-tnef", 1), "winmail.dat");
    }
}
