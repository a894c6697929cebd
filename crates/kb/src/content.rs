//! Article bodies. Writers use Markdown or HTML; either way what is stored
//! for display is sanitised HTML, and a plain-text copy feeds search and
//! snippets. Images may point at Rapport's own article files (relative URLs)
//! or at `https:` addresses; scripts, handlers and other schemes are removed.

use rapport_domain::DomainError;

/// Largest article body accepted.
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// Longest title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

static SANITIZER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("img", ["loading"])
        .attribute_filter(|element, attribute, value| {
            // Images: our own files (relative) or https only.
            if element == "img" && attribute == "src" && !(value.starts_with('/') || value.starts_with("https://")) {
                return None;
            }
            Some(value.into())
        });
    b
});

/// The stored form of an article body: (sanitised HTML, plain text).
pub fn render(source: &str, markdown: bool) -> Result<(String, String), DomainError> {
    if source.len() > MAX_BODY_BYTES {
        return Err(DomainError::invalid("body", format!("is larger than {} KiB", MAX_BODY_BYTES / 1024)));
    }
    if source.trim().is_empty() {
        return Err(DomainError::invalid("body", "must not be empty"));
    }
    let html = if markdown { markdown_to_html(source) } else { source.to_string() };
    let clean = SANITIZER.clean(&html).to_string();
    let text = rapport_domain::html::html_to_text(&clean);
    Ok((clean, text))
}

fn markdown_to_html(src: &str) -> String {
    use pulldown_cmark::{Options, Parser};
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    let mut out = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, Parser::new_ext(src, opts));
    out
}

/// Checks and trims a title.
pub fn title(raw: &str) -> Result<String, DomainError> {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(DomainError::invalid("title", "must not be empty"));
    }
    if t.chars().count() > MAX_TITLE_CHARS {
        return Err(DomainError::invalid("title", format!("must be at most {MAX_TITLE_CHARS} characters")));
    }
    Ok(t)
}

/// A URL slug from a title: folded words joined by `-` (`Đăng nhập` → `dang-nhap`).
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for t in crate::text::tokens(title) {
        if out.len() + t.len() + 1 > 80 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&t);
    }
    if out.is_empty() {
        out.push_str("article");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_sanitised() {
        let (html, text) =
            render("# Đăng nhập\n\nBấm **Đăng nhập**. <script>alert(1)</script>\n\n![logo](/help/files/1/logo.png)", true).unwrap();
        assert!(html.contains("<h1>Đăng nhập</h1>") && html.contains("<strong>Đăng nhập</strong>"), "{html}");
        assert!(!html.contains("script"), "{html}");
        assert!(html.contains("src=\"/help/files/1/logo.png\""), "{html}");
        assert!(text.contains("Bấm Đăng nhập."), "{text}");
    }

    #[test]
    fn html_is_sanitised() {
        let (html, _) =
            render("<p onclick=\"x()\">Hi <a href=\"javascript:alert(1)\">x</a><img src=\"http://tracker/p.gif\"><img src=\"https://cdn.example/a.png\"></p>", false)
                .unwrap();
        assert!(!html.contains("onclick") && !html.contains("javascript") && !html.contains("tracker"), "{html}");
        assert!(html.contains("https://cdn.example/a.png"), "{html}");
        assert!(render("   ", true).is_err());
        assert!(render(&"x".repeat(MAX_BODY_BYTES + 1), true).is_err());
    }

    #[test]
    fn slugs_and_titles() {
        assert_eq!(slug("Đăng nhập vào tài khoản"), "dang-nhap-vao-tai-khoan");
        assert_eq!(slug("Żółta lampka w Łodzi?"), "zolta-lampka-w-lodzi");
        assert_eq!(slug("!!!"), "article");
        assert_eq!(title("  Hello \n world ").unwrap(), "Hello world");
        assert!(title(" ").is_err());
    }
}
