//! HTML that came from outside (mail, chat, API) is sanitised before it is
//! stored for display; plain text is derived from it for search and previews.

/// The sanitiser's rules, built once: a builder holds a dozen sets of tag and
/// attribute names, and building it took longer than cleaning a short mail.
static SANITIZER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto", "tel", "cid"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(|element, attribute, value| {
            // Remote images are tracking pixels until the agent allows them.
            if element == "img" && attribute == "src" && !value.starts_with("cid:") {
                return None;
            }
            Some(value.into())
        });
    builder
});

/// Removes scripts, event handlers, styles that load things, and remote
/// images; keeps formatting and links (which get `rel="noopener noreferrer nofollow"`).
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Largest message body accepted, text or HTML.
pub const MAX_BODY_BYTES: usize = 1_000_000;

/// Turns submitted message content (plain text and/or HTML) into the stored
/// pair: (plain text, sanitised HTML). Text is derived from HTML when absent.
pub fn message_content(body: Option<&str>, html: Option<&str>) -> Result<(String, String), crate::DomainError> {
    use crate::DomainError;
    let body = body.filter(|b| !b.trim().is_empty());
    let html = html.filter(|h| !h.trim().is_empty());
    if body.is_some_and(|b| b.len() > MAX_BODY_BYTES) {
        return Err(DomainError::invalid("body", "is larger than 1 MB"));
    }
    if html.is_some_and(|h| h.len() > MAX_BODY_BYTES) {
        return Err(DomainError::invalid("html", "is larger than 1 MB"));
    }
    match (body, html) {
        (text, Some(h)) => {
            let clean = sanitize(h);
            let text = text.map(str::to_string).unwrap_or_else(|| html_to_text(&clean));
            Ok((text, clean))
        }
        (Some(b), None) => Ok((b.to_string(), text_to_html(b))),
        (None, None) => Err(DomainError::invalid("body", "a message needs a body or html")),
    }
}

/// Escapes plain text and keeps its line breaks, for showing text as HTML.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A plain-text rendering of (sanitised) HTML: tags dropped, block ends as
/// line breaks, common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' {
            let mut tag = String::new();
            for t in chars.by_ref() {
                if t == '>' {
                    break;
                }
                tag.push(t);
            }
            let name: String =
                tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
            if matches!(name.as_str(), "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "blockquote") && !out.ends_with('\n')
            {
                out.push('\n');
            }
        } else if c == '&' {
            let mut ent = String::new();
            while let Some(&n) = chars.peek() {
                if n == ';' || ent.len() > 8 {
                    break;
                }
                ent.push(n);
                chars.next();
            }
            if chars.peek() == Some(&';') {
                chars.next();
                out.push_str(&decode_entity(&ent).unwrap_or_else(|| format!("&{ent};")));
            } else {
                out.push('&');
                out.push_str(&ent);
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

fn decode_entity(e: &str) -> Option<String> {
    let s = match e {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" | "#39" => "'",
        "nbsp" => " ",
        _ => {
            let n = e
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))?;
            return char::from_u32(n).map(String::from);
        }
    };
    Some(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_script_and_handlers() {
        let out =
            sanitize(r#"<p onclick="x()">Hi<script>alert(1)</script><img src="https://t.example/p.gif"><a href="javascript:x">y</a></p>"#);
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("t.example"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains("Hi"));
    }

    #[test]
    fn keeps_inline_cid_images_and_links() {
        let out = sanitize(r#"<img src="cid:logo@x"><a href="https://rapport.example">r</a>"#);
        assert!(out.contains("cid:logo@x"), "{out}");
        assert!(out.contains("noopener"), "{out}");
    }

    #[test]
    fn message_content_sanitises_and_derives_text() {
        let (text, html) = message_content(None, Some("<p>Xin chào<script>steal()</script></p>")).unwrap();
        assert_eq!(text, "Xin chào");
        assert!(!html.contains("script"));
        let (text, html) = message_content(Some("a < b"), None).unwrap();
        assert_eq!((text.as_str(), html.as_str()), ("a < b", "a &lt; b"));
        assert!(message_content(Some("  "), None).is_err());
        assert!(message_content(Some(&"x".repeat(MAX_BODY_BYTES + 1)), None).is_err());
    }

    #[test]
    fn text_from_html() {
        assert_eq!(html_to_text("<p>Dzień dobry</p><p>Ż&oacute;łty &amp; zielony&#33;</p>"), "Dzień dobry\nŻ&oacute;łty & zielony!");
        assert_eq!(text_to_html("a<b>\nc"), "a&lt;b&gt;<br>c");
    }
}
