//! HTML that came from outside (mail, chat, API) is sanitised before it is
//! stored for display; plain text is derived from it for search and previews.

/// The sanitiser's rules, built once: a builder holds a dozen sets of tag and
/// attribute names, and building it took longer than cleaning a short mail.
static SANITIZER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto", "tel", "cid"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tag_attributes("img", [REMOTE_SRC])
        .attribute_filter(|element, attribute, value| {
            // An image shows inline parts (`cid:`) or a remote picture, which
            // `block_remote_images` then parks; a path would load from Rapport itself.
            if element == "img" && attribute == "src" && !value.starts_with("cid:") && !is_remote(value) {
                return None;
            }
            Some(value.into())
        });
    builder
});

/// Where a sanitised `<img>` keeps the address of a remote picture: not in
/// `src`, so nothing is loaded (no tracking pixel, no leak of who reads the
/// mail and when) until [`show_remote_images`] puts it back.
pub const REMOTE_SRC: &str = "data-remote-src";

/// `http:`, `https:` or scheme-relative (`//host/...`): loaded from elsewhere.
fn is_remote(url: &str) -> bool {
    let url = url.trim_start();
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    scheme.starts_with("http://") || scheme.starts_with("https://") || url.starts_with("//")
}

/// Removes scripts, event handlers, styles (and with them CSS `url()`), and
/// images that would load from anywhere; keeps formatting, links (which get
/// `rel="noopener noreferrer nofollow"`) and inline `cid:` images. Remote
/// images stay in the markup, blocked (see [`REMOTE_SRC`]).
pub fn sanitize(html: &str) -> String {
    block_remote_images(&SANITIZER.clean(html).to_string())
}

/// One `<img>` tag of sanitised HTML: its attributes, values as serialised (escaped).
type ImgAttributes = Vec<(String, String)>;

/// Rewrites every `<img>` tag of sanitised HTML with `change`. Relies on
/// the sanitiser's output: `<` starts a tag (text has `&lt;`), and every
/// attribute is `name="value"` with `"` escaped inside the value.
fn rewrite_images(html: &str, mut change: impl FnMut(&mut ImgAttributes)) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 4..];
        match img_attributes(after) {
            Some((mut attributes, tail)) => {
                change(&mut attributes);
                out.push_str("<img");
                for (name, value) in &attributes {
                    out.push_str(&format!(" {name}=\"{value}\""));
                }
                out.push('>');
                rest = tail;
            }
            None => {
                out.push_str("<img");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The attributes of an `<img` tag whose name was just read, and what follows
/// the tag; `None` when it is not a tag the sanitiser wrote.
fn img_attributes(mut tail: &str) -> Option<(ImgAttributes, &str)> {
    if !tail.starts_with([' ', '>', '/']) {
        return None;
    }
    let mut attributes = Vec::new();
    loop {
        tail = tail.trim_start_matches([' ', '/']);
        if let Some(t) = tail.strip_prefix('>') {
            return Some((attributes, t));
        }
        let name_end = tail.find(['=', ' ', '>', '/']).filter(|&n| n > 0)?;
        let name = &tail[..name_end];
        tail = &tail[name_end..];
        let value = match tail.strip_prefix("=\"") {
            Some(v) => {
                let end = v.find('"')?;
                tail = &v[end + 1..];
                &v[..end]
            }
            None => "",
        };
        attributes.push((name.to_string(), value.to_string()));
    }
}

/// Moves remote image addresses from `src` to [`REMOTE_SRC`].
fn block_remote_images(html: &str) -> String {
    rewrite_images(html, |attributes| {
        if let Some(src) = attributes.iter_mut().find(|(n, v)| n == "src" && is_remote(v)) {
            src.0 = REMOTE_SRC.to_string();
        }
    })
}

/// How many remote images sanitised HTML holds back.
pub fn blocked_remote_images(html: &str) -> usize {
    let mut count = 0;
    rewrite_images(html, |attributes| count += usize::from(attributes.iter().any(|(n, v)| n == REMOTE_SRC && is_remote(v))));
    count
}

/// Sanitised HTML with its remote images shown (where an admin allows them).
pub fn show_remote_images(html: &str) -> String {
    rewrite_images(html, |attributes| {
        if attributes.iter().any(|(n, v)| n == REMOTE_SRC && is_remote(v)) {
            attributes.retain(|(n, v)| n != "src" && (n != REMOTE_SRC || is_remote(v)));
            if let Some(remote) = attributes.iter_mut().find(|(n, _)| n == REMOTE_SRC) {
                remote.0 = "src".to_string();
            }
        }
    })
}

/// Sanitised HTML with its inline images (`cid:<id>`) pointed at the URLs
/// `url_of` gives for their Content-IDs; others stay as they are.
pub fn link_inline_images(html: &str, mut url_of: impl FnMut(&str) -> Option<String>) -> String {
    rewrite_images(html, |attributes| {
        if let Some(src) = attributes.iter_mut().find(|(n, v)| n == "src" && v.starts_with("cid:")) {
            let content_id = decode_attribute(&src.1["cid:".len()..]);
            if let Some(url) = url_of(&content_id) {
                src.1 = escape_attribute(&url);
            }
        }
    })
}

/// An attribute value as the sanitiser serialises it, decoded.
fn decode_attribute(v: &str) -> String {
    v.replace("&quot;", "\"").replace("&nbsp;", "\u{a0}").replace("&amp;", "&")
}

fn escape_attribute(v: &str) -> String {
    v.replace('&', "&amp;").replace('"', "&quot;").replace('\u{a0}', "&nbsp;")
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
        assert!(!out.contains(" src=\"https://t.example"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains("Hi"));
    }

    /// Every way HTML can make a browser fetch something by itself.
    const REMOTE_LOADS: &[&str] = &[
        r#"<img src="http://t.example/open.gif">"#,
        r#"<img src="HTTPS://t.example/open.gif" alt="logo">"#,
        r#"<img src="//t.example/open.gif">"#,
        r#"<img src="\\t.example/open.gif">"#,
        r#"<img src="/\t.example/open.gif">"#,
        r#"<img src="/api/v1/me">"#,
        r#"<img srcset="https://t.example/a.png 2x">"#,
        r#"<div style="background:url(https://t.example/bg.png)">x</div>"#,
        r#"<style>p { background: url('https://t.example/css.png') }</style><p>x</p>"#,
        r#"<link rel="stylesheet" href="https://t.example/s.css">"#,
        r#"<table background="https://t.example/t.png"><tr><td background="https://t.example/td.png">x</td></tr></table>"#,
        r#"<body background="https://t.example/body.png">x</body>"#,
        r#"<video poster="https://t.example/v.png" src="https://t.example/v.mp4"></video>"#,
        r#"<audio src="https://t.example/a.mp3"></audio>"#,
        r#"<iframe src="https://t.example/f"></iframe><object data="https://t.example/o"></object><embed src="https://t.example/e">"#,
        r#"<svg><image href="https://t.example/svg.png"/></svg>"#,
        r#"<input type="image" src="https://t.example/i.png">"#,
        r#"<meta http-equiv="refresh" content="0;url=https://t.example/">"#,
        r#"<a href="https://t.example/" ping="https://t.example/ping">link</a>"#,
    ];

    #[test]
    fn nothing_loads_from_anywhere_by_default() {
        for html in REMOTE_LOADS {
            let out = sanitize(html);
            for attr in [" src=", "srcset=", "style=", "background=", "poster=", "data=", "ping=", "http-equiv", "<style", "<link"] {
                assert!(!out.contains(attr), "{html} -> {out}");
            }
            // Twice sanitised (the pages sanitise stored HTML again): the same.
            assert_eq!(sanitize(&out), out, "{html}");
        }
    }

    #[test]
    fn remote_images_are_parked_and_shown_when_allowed() {
        let out = sanitize(
            r#"<p>Hi <img alt="a > b" src="https://t.example/logo.png?a=1&amp;b=2" width="20"><img src="//cdn.example/x.png"></p>"#,
        );
        assert_eq!(blocked_remote_images(&out), 2, "{out}");
        assert!(out.contains(r#"data-remote-src="https://t.example/logo.png?a=1&amp;b=2""#), "{out}");
        let shown = show_remote_images(&out);
        assert!(shown.contains(r#"src="https://t.example/logo.png?a=1&amp;b=2""#), "{shown}");
        assert!(shown.contains(r#"src="//cdn.example/x.png""#), "{shown}");
        assert!(shown.contains(r#"alt="a &gt; b""#) && shown.contains(r#"width="20""#), "{shown}");
        assert_eq!(blocked_remote_images(&shown), 0);
        // A parked address that is not a web address is never put back.
        let forged = sanitize(r#"<img data-remote-src="javascript:alert(1)"><img data-remote-src="/logout">"#);
        assert_eq!(blocked_remote_images(&forged), 0);
        let shown = show_remote_images(&forged);
        assert!(!shown.contains(" src="), "{shown}");
        // Text that looks like markup stays text.
        let text = sanitize(r#"<p>&lt;img src="https://t.example/x.png"&gt;</p>"#);
        assert_eq!(show_remote_images(&text), text);
    }

    #[test]
    fn keeps_inline_cid_images_and_links() {
        let out = sanitize(r#"<img src="cid:logo@x"><a href="https://rapport.example">r</a>"#);
        assert!(out.contains("cid:logo@x"), "{out}");
        assert!(out.contains("noopener"), "{out}");
        let linked = link_inline_images(&out, |cid| (cid == "logo@x").then(|| "/api/v1/attachments/7".to_string()));
        assert!(linked.contains(r#"<img src="/api/v1/attachments/7">"#), "{linked}");
        let unknown = link_inline_images(&out, |_| None);
        assert_eq!(unknown, out);
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
