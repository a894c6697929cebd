//! Parsing real-world shaped mail: charsets, MIME structures, attachments,
//! loop-protection flags, and damaged input. Non-UTF-8 messages are built
//! here with encoding_rs; the rest are in `fixtures/mail/`.

use encoding_rs::{Encoding, ISO_2022_JP, ISO_8859_2, KOI8_R, WINDOWS_1250, WINDOWS_1258};
use rapport_channels::email::parse::{parse, ParseError, ParsedMail};
use unicode_normalization::UnicodeNormalization;

fn fixture(name: &str) -> ParsedMail {
    let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    parse(&std::fs::read(&path).unwrap()).unwrap()
}

/// A message from headers (ASCII, one per line) and body bytes.
fn mail(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut raw = headers.trim().replace('\n', "\r\n").into_bytes();
    raw.extend_from_slice(b"\r\n\r\n");
    raw.extend_from_slice(body);
    raw
}

fn encode(enc: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, errors) = enc.encode(text);
    assert!(!errors, "{text} is not encodable in {}", enc.name());
    bytes.into_owned()
}

/// Windows-1258 has few precomposed Vietnamese letters: tone marks follow
/// the letter as combining characters, which is what real senders produce.
fn windows_1258(text: &str) -> Vec<u8> {
    let fits = |s: &str| !WINDOWS_1258.encode(s).2;
    let mut out = String::new();
    for c in text.chars() {
        let s = c.to_string();
        if fits(&s) {
            out.push(c);
            continue;
        }
        let nfd: Vec<char> = s.nfd().collect();
        let (base, marks) = nfd.split_first().unwrap();
        let composed = (0..marks.len()).find_map(|j| {
            let pair: String = [*base, marks[j]].iter().collect::<String>().nfc().collect();
            fits(&pair).then_some((pair, j))
        });
        match composed {
            Some((pair, j)) => {
                out.push_str(&pair);
                out.extend(marks.iter().enumerate().filter(|(k, _)| *k != j).map(|(_, m)| m));
            }
            None => out.extend(nfd),
        }
    }
    encode(WINDOWS_1258, &out)
}

/// An RFC 2047 encoded word, Q encoding.
fn q_word(charset: &str, bytes: &[u8]) -> String {
    let mut out = format!("=?{charset}?Q?");
    for &b in bytes {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => out.push(b as char),
            b' ' => out.push('_'),
            _ => out.push_str(&format!("={b:02X}")),
        }
    }
    out + "?="
}

/// A message whose subject and body are `text` in `charset`.
fn in_charset(charset: &str, bytes: &[u8]) -> ParsedMail {
    let headers = format!(
        "From: a@example.com\nSubject: {}\nContent-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 8bit",
        q_word(charset, bytes)
    );
    parse(&mail(&headers, bytes)).unwrap()
}

#[test]
fn vietnamese_windows_1258_is_recomposed() {
    let text = "Đơn hàng của tôi chưa được giao";
    let m = in_charset("windows-1258", &windows_1258(text));
    assert_eq!(m.subject, text);
    assert_eq!(m.text, text);
    assert_eq!(m.language, Some("vi"));
}

#[test]
fn polish_latin2_and_windows_1250() {
    let text = "Zażółć gęślą jaźń";
    for (charset, enc) in [("ISO-8859-2", ISO_8859_2), ("windows-1250", WINDOWS_1250)] {
        let m = in_charset(charset, &encode(enc, text));
        assert_eq!((m.subject.as_str(), m.text.as_str()), (text, text), "{charset}");
        assert_eq!(m.language, Some("pl"));
    }
}

#[test]
fn koi8_r_and_iso_2022_jp() {
    let russian = "Мой заказ до сих пор не пришёл";
    let m = in_charset("KOI8-R", &encode(KOI8_R, russian));
    assert_eq!((m.subject.as_str(), m.text.as_str()), (russian, russian));
    assert_eq!(m.language, None);

    let japanese = "注文がまだ届いていません";
    let m = in_charset("ISO-2022-JP", &encode(ISO_2022_JP, japanese));
    assert_eq!((m.subject.as_str(), m.text.as_str()), (japanese, japanese));
}

#[test]
fn utf8_base64_subject_and_body() {
    let raw = mail(
        "From: a@example.com\nSubject: =?utf-8?B?WmHFvMOzxYLEhyBnxJnFm2zEhSBqYcW6xYQ=?=\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64",
        b"WmHFvMOzxYLEhyBnxJnFm2zEhQ==",
    );
    let m = parse(&raw).unwrap();
    assert_eq!(m.subject, "Zażółć gęślą jaźń");
    assert_eq!(m.text, "Zażółć gęślą");
}

#[test]
fn mislabelled_charsets_never_fail() {
    let latin2 = encode(ISO_8859_2, "Zażółć gęślą jaźń");
    // Latin-2 bytes under a UTF-8 label: the invalid bytes become U+FFFD.
    let m = in_charset("utf-8", &latin2);
    assert!(m.text.starts_with("Za") && m.text.contains('\u{FFFD}'), "{}", m.text);
    // Under us-ascii: one character per byte (mail-parser reads windows-1252), never an error.
    let m = in_charset("us-ascii", &latin2);
    assert!(m.text.starts_with("Za") && m.text.chars().count() == latin2.len(), "{}", m.text);
    // UTF-8 under us-ascii (a common misconfiguration) is read as UTF-8.
    let m = in_charset("us-ascii", "Cảm ơn bạn".as_bytes());
    assert_eq!(m.text, "Cảm ơn bạn");
    // ...also inside a multipart, and base64-encoded under iso-8859-1.
    let raw = "Subject: x\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain; charset=us-ascii\n\nCảm ơn\n\n--b\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\nPHA+Q+G6o20gxqFuPC9wPg==\n--b--\n";
    let m = parse(raw.as_bytes()).unwrap();
    assert_eq!((m.text.as_str(), m.html.as_str()), ("Cảm ơn", "<p>Cảm ơn</p>"));
    // An unknown charset name: read as UTF-8, lossily.
    let m = in_charset("x-unknown-charset", "Dziękuję".as_bytes());
    assert_eq!((m.subject.as_str(), m.text.as_str()), ("Dziękuję", "Dziękuję"));
    let m = in_charset("x-unknown-charset", &latin2);
    assert!(m.text.contains('\u{FFFD}'));
}

#[test]
fn alternative_with_script_and_headers() {
    let m = fixture("alternative-script.eml");
    assert_eq!(m.message_id.as_deref(), Some("CAF1234@mail.example.pl"));
    assert_eq!(m.in_reply_to, ["ticket-42@rapport.example"]);
    assert_eq!(m.references, ["first@rapport.example", "ticket-42@rapport.example"]);
    let from = m.from.unwrap();
    assert_eq!((from.email.as_str(), from.name.as_deref()), ("anna.kowalska@example.pl", Some("Anna Kowalska")));
    assert_eq!(m.reply_to.unwrap().email, "anna.private@example.pl");
    let to: Vec<_> = m.to.iter().map(|a| (a.email.as_str(), a.name.as_deref())).collect();
    assert_eq!(to, [("support@rapport.example", Some("Support")), ("hotro@example.vn", Some("Bộ phận hỗ trợ"))]);
    assert_eq!(m.cc[0].email, "manager@example.pl");
    assert_eq!(m.subject, "Zamówienie nr 1234");
    assert_eq!(m.date_ms, Some(1_717_402_500_000));
    assert!(m.text.starts_with("Dzień dobry, zamówienie nadal nie dotarło. Proszę o sprawdzenie."));
    assert_eq!(m.display_text, "Dzień dobry, zamówienie nadal nie dotarło. Proszę o sprawdzenie.");
    assert_eq!(m.language, Some("pl"));
    for gone in ["script", "alert", "onclick", " src=\"https://tracker.example"] {
        assert!(!m.html.contains(gone), "{gone} in {}", m.html);
    }
    assert_eq!(rapport_domain::html::blocked_remote_images(&m.html), 1, "the tracking pixel waits, not loaded: {}", m.html);
    assert!(m.html.contains("Dzień dobry"));
    assert!(m.attachments.is_empty());
    assert!(!m.auto_submitted && !m.is_bounce);
}

#[test]
fn related_cid_image_is_inline() {
    let m = fixture("related-cid.eml");
    assert_eq!(m.subject, "Ảnh chụp màn hình");
    assert_eq!(m.from.as_ref().unwrap().name.as_deref(), Some("Nguyễn Văn An"));
    assert!(m.html.contains("cid:screen@example.vn"), "{}", m.html);
    assert!(!m.html.contains(" src=\"http://remote.example") && !m.html.contains(" src=\"https://remote.example"), "{}", m.html);
    assert_eq!(rapport_domain::html::blocked_remote_images(&m.html), 1, "{}", m.html);
    // No text/plain: the text comes from the HTML.
    assert_eq!(m.text, "Tôi không đăng nhập được, xem ảnh:");
    assert_eq!(m.language, Some("vi"));
    let image = m.attachments.iter().find(|a| a.content_type == "image/png").unwrap();
    assert!(image.inline);
    assert_eq!(image.content_id.as_deref(), Some("screen@example.vn"));
    assert!(image.bytes.starts_with(b"\x89PNG"));
    assert_eq!(image.filename, "attachment-1.png");
    // A Content-ID nothing shows is an ordinary attachment.
    let pdf = m.attachments.iter().find(|a| a.filename == "invoice.pdf").unwrap();
    assert!(!pdf.inline && pdf.bytes.starts_with(b"%PDF"));
}

#[test]
fn attachment_names_tnef_and_forwarded_mail() {
    let m = fixture("attachments.eml");
    assert_eq!(m.text, "See the files.");
    let names: Vec<_> = m.attachments.iter().map(|a| (a.filename.as_str(), a.content_type.as_str())).collect();
    assert_eq!(
        names,
        [
            ("hóa đơn.pdf", "application/pdf"),
            ("Zażółć gęślą jaźń.pdf", "application/pdf"),
            ("winmail.dat", "application/ms-tnef"),
            ("attachment-4.png", "image/png"),
            ("forwarded.eml", "message/rfc822"),
        ]
    );
    assert!(m.attachments.iter().all(|a| !a.inline && !a.bytes.is_empty()));
    let forwarded = String::from_utf8(m.attachments[4].bytes.clone()).unwrap();
    assert!(forwarded.starts_with("From: Customer <customer@example.com>"), "{forwarded}");
    assert!(forwarded.trim_end().ends_with("The parcel arrived broken."), "{forwarded}");
}

#[test]
fn delivery_status_notification_is_a_bounce() {
    let m = fixture("dsn.eml");
    assert!(m.is_bounce && m.auto_submitted);
    assert!(m.text.contains("could not be delivered"));
    // A bare MAILER-DAEMON / postmaster sender is enough.
    for from in ["MAILER-DAEMON", "postmaster@example.com", "Mail System <Mailer-Daemon@example.com>"] {
        let m = parse(&mail(&format!("From: {from}\nSubject: failure"), b"Delivery failed.")).unwrap();
        assert!(m.is_bounce, "{from}");
    }
    assert!(!parse(&mail("From: anna@example.com", b"hi")).unwrap().is_bounce);
}

#[test]
fn auto_reply_headers() {
    let auto = [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated; owner-email=a@example.com",
        "Precedence: bulk",
        "Precedence: junk",
        "Precedence: list",
        "Precedence: auto_reply",
        "X-Autoreply: yes",
        "X-Autorespond: Out of office",
        "X-Auto-Response-Suppress: All",
        "X-Auto-Response-Suppress: DR, OOF",
        "X-Auto-Response-Suppress: AutoReply",
        "List-Id: Customers <customers.example.com>",
        "List-Unsubscribe: <mailto:leave@example.com>",
        "Return-Path: <>",
    ];
    for header in auto {
        let m = parse(&mail(&format!("From: a@example.com\n{header}\nSubject: Away"), b"I am away.")).unwrap();
        assert!(m.auto_submitted, "{header}");
    }
    for header in ["Auto-Submitted: no", "Precedence: first-class", "X-Auto-Response-Suppress: DR", "Return-Path: <a@example.com>"] {
        let m = parse(&mail(&format!("From: a@example.com\n{header}\nSubject: Hi"), b"Hello.")).unwrap();
        assert!(!m.auto_submitted, "{header}");
    }
}

#[test]
fn sender_falls_back_to_sender_then_return_path() {
    let m = parse(&mail("Sender: Desk <Desk@Example.com>\nReturn-Path: <bounce@example.com>", b"x")).unwrap();
    assert_eq!(m.from.unwrap().email, "desk@example.com");
    let m = parse(&mail("Return-Path: <Bounce@Example.com>\nSubject: x", b"x")).unwrap();
    assert_eq!(m.from.unwrap().email, "bounce@example.com");
}

#[test]
fn references_are_capped_keeping_root_and_nearest() {
    let ids: Vec<String> = (0..150).map(|i| format!("<id{i}@example.com>")).collect();
    let m = parse(&mail(&format!("From: a@example.com\nReferences: {}", ids.join("\n ")), b"x")).unwrap();
    assert_eq!(m.references.len(), 100);
    assert_eq!(m.references[0], "id0@example.com");
    assert_eq!(m.references[1], "id51@example.com");
    assert_eq!(m.references[99], "id149@example.com");
}

#[test]
fn message_without_the_usual_headers() {
    let m = parse(b"X-Note: nothing else\r\n\r\nJust a body.").unwrap();
    assert_eq!((m.message_id, m.from, m.date_ms), (None, None, None));
    assert_eq!(m.subject, "");
    assert_eq!(m.text, "Just a body.");
    assert_eq!(m.html, "Just a body.");
    let m = parse(b"Subject: only headers\r\n").unwrap();
    assert_eq!((m.subject.as_str(), m.text.as_str()), ("only headers", ""));
}

#[test]
fn empty_and_garbage_input() {
    for empty in [&b""[..], b"   \r\n\r\n", b"\0\0\0"] {
        assert!(matches!(parse(empty), Err(ParseError::NotMail(_))), "{empty:?}");
    }
    for garbage in [
        &b"\xff\xfe\x00\x01\x02"[..],
        b"::::\r\n\r\n",
        b"--\r\n--boundary--",
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x",
    ] {
        let _ = parse(garbage);
    }
    // Text without headers is kept as a body rather than lost; binary is not mail.
    let m = parse(b"hello, no headers here at all\nsecond line").unwrap();
    assert_eq!(m.text, "hello, no headers here at all\nsecond line");
    assert!(matches!(parse(b"\xff\xfe\x00\x01\x02binary\x03\x04"), Err(ParseError::NotMail(_))));
}

#[test]
fn truncated_and_malformed_mime_is_recovered() {
    // The closing boundary never comes: mail-parser gives up on the base64.
    let raw = "From: a@example.com\nContent-Type: multipart/mixed; boundary=cut\n\n--cut\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nWmHFvMOzxYLEhyBnxJnFm2zEhSBqYcW6xYQ=\n";
    let m = parse(raw.as_bytes()).unwrap();
    assert_eq!(m.text, "Zażółć gęślą jaźń");
    assert!(m.attachments.is_empty());
    // ...and a cut attachment keeps what arrived, decoded.
    let raw = "From: a@example.com\nContent-Type: multipart/mixed; boundary=cut\n\n--cut\nContent-Type: text/plain\n\nSee file.\n--cut\nContent-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\nJVBER";
    let m = parse(raw.as_bytes()).unwrap();
    assert_eq!(m.text, "See file.");
    assert_eq!(m.attachments[0].filename, "a.pdf");
    assert!(m.attachments[0].bytes.starts_with(b"%PDF-1.4\n%PD"), "{:?}", m.attachments[0].bytes);
    // A Content-Type missing its ';' still gives a body.
    let m = parse(b"From: a@example.com\nContent-Type: TEXT/PLAIN charset=US-ASCII\n\nHello there.").unwrap();
    assert_eq!(m.text, "Hello there.");
    // A multipart whose boundary never appears: its raw text is kept.
    let m =
        parse(b"From: a@example.com\nContent-Type: multipart/alternative; boundary=\"x y\"\n\n--other\nContent-Type: text/plain\n\nHello.")
            .unwrap();
    assert!(m.text.contains("Hello."), "{m:?}");
}

/// mail-parser 0.11 trips a `debug_assert!` on a message/rfc822 directly
/// inside another inside a multipart: debug builds fall back to the headers
/// and the raw body, release builds parse on. Either way nothing is lost.
#[test]
fn forward_of_a_forward_keeps_headers_and_text() {
    let m = fixture("nested-forward.eml");
    assert_eq!(m.subject, "Fwd: Fwd: parcel");
    assert_eq!(m.message_id.as_deref(), Some("nested-1@example.pl"));
    assert_eq!(m.from.unwrap().email, "jan@example.pl");
    assert!(m.text.contains("Forwarding the whole thread."), "{}", m.text);
}

#[test]
fn huge_headers() {
    let to: Vec<String> = (0..10_000).map(|i| format!("user{i}@example.com")).collect();
    let raw = format!("From: a@example.com\nTo: {}\nSubject: {}\n\nbody", to.join(",\n "), "Zamówienie ".repeat(100_000));
    let m = parse(raw.as_bytes()).unwrap();
    assert_eq!(m.to.len(), 10_000);
    assert!(m.subject.starts_with("Zamówienie Zamówienie") && m.subject.chars().count() <= 998);
    assert_eq!(m.text, "body");
}

#[test]
fn nul_byte_and_raw_8bit_header() {
    let raw = "From: Łukasz Żółw <lukasz@example.pl>\r\nSubject: Zamówienie\0 nr 7\r\n\r\nTreść\0 wiadomości".as_bytes();
    let m = parse(raw).unwrap();
    assert_eq!(m.subject, "Zamówienie nr 7");
    assert_eq!(m.from.unwrap().name.as_deref(), Some("Łukasz Żółw"));
    assert_eq!(m.text, "Treść wiadomości");
    // Latin-2 bytes straight in a header: kept lossily.
    let mut raw = b"From: a@example.com\r\nSubject: ".to_vec();
    raw.extend(encode(ISO_8859_2, "Zażółć"));
    raw.extend(b"\r\n\r\nbody");
    assert!(parse(&raw).unwrap().subject.starts_with("Za"));
}

#[test]
fn five_megabyte_attachment() {
    let data: Vec<u8> = (0..5 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let mut raw = b"From: a@example.com\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nBig file attached.\r\n--b\r\nContent-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n".to_vec();
    raw.extend(base64_lines(&data));
    raw.extend(b"\r\n--b--\r\n");
    let m = parse(&raw).unwrap();
    assert_eq!(m.text, "Big file attached.");
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].filename, "big.bin");
    assert!(m.attachments[0].bytes == data);
}

/// Base64 in 76-character lines (kept here so the test needs no extra crate).
fn base64_lines(data: &[u8]) -> Vec<u8> {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(data.len() * 14 / 10);
    for (i, chunk) in data.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.extend(b"\r\n");
        }
        let n = chunk.iter().enumerate().fold(0u32, |n, (k, &b)| n | (b as u32) << (16 - 8 * k));
        for k in 0..4 {
            out.push(if k <= chunk.len() { ABC[(n >> (18 - 6 * k) & 63) as usize] } else { b'=' });
        }
    }
    out
}

/// Random and mutated messages: parsing may fail, never panic.
#[test]
fn fuzz_never_panics() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let dir = format!("{}/tests/fixtures/mail", env!("CARGO_MANIFEST_DIR"));
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(dir).unwrap().map(|e| std::fs::read(e.unwrap().path()).unwrap()).collect();
    const TOKENS: &[&[u8]] = &[
        b"\r\n",
        b"\r\n\r\n",
        b"--",
        b"=?utf-8?B?",
        b"?=",
        b"=\r\n",
        b"boundary=",
        b"charset=",
        b"*0*=",
        b"\0",
        b"<",
        b">",
        b":",
        b";",
        b"\"",
        b"Content-Type: message/rfc822\r\n\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
    ];
    for round in 0..3000 {
        let mut raw = if round % 4 == 0 { (0..next() % 600).map(|_| next() as u8).collect() } else { seeds[round % seeds.len()].clone() };
        for _ in 0..1 + next() % 8 {
            let at = if raw.is_empty() { 0 } else { (next() as usize) % raw.len() };
            match next() % 4 {
                0 => raw.truncate(at),
                1 if !raw.is_empty() => raw[at] = next() as u8,
                2 => raw.splice(at..at, TOKENS[(next() as usize) % TOKENS.len()].iter().copied()).for_each(drop),
                _ => raw.drain(at..(at + (next() as usize) % 40).min(raw.len())).for_each(drop),
            }
        }
        let _ = parse(&raw);
    }
}
