//! Mail as agents see it: inline (`cid:`) images from Rapport's own storage,
//! remote images only where the ticket's mailbox allows them.

use rapport_domain::{html, Id};
use rapport_store::mail::MailDisplay;

/// A message's HTML, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownHtml {
    pub html: String,
    /// Remote images held back (the mailbox does not allow them).
    pub blocked_images: usize,
}

/// Sanitises a message's stored HTML again, points its inline images at
/// `attachment_url(attachment id)`, and shows or holds back its remote
/// images as `display` says.
pub fn message_html(stored_html: &str, message_id: Id, display: &MailDisplay, attachment_url: impl Fn(Id) -> String) -> ShownHtml {
    let clean = html::sanitize(stored_html);
    let linked = html::link_inline_images(&clean, |cid| {
        display
            .inline_images
            .iter()
            .find(|i| i.message_id == message_id && i.content_id.eq_ignore_ascii_case(cid))
            .map(|i| attachment_url(i.attachment_id))
    });
    if display.allow_remote_images {
        ShownHtml { html: html::show_remote_images(&linked), blocked_images: 0 }
    } else {
        ShownHtml { blocked_images: html::blocked_remote_images(&linked), html: linked }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_store::mail::InlineImage;

    const MAIL: &str = r#"<p>Xem ảnh <img src="cid:Logo@Shop.VN"> và <img src="https://track.example/o.gif?u=7"></p><script>x()</script>"#;

    fn display(allow: bool) -> MailDisplay {
        MailDisplay {
            allow_remote_images: allow,
            inline_images: vec![
                InlineImage { message_id: 9, content_id: "logo@shop.vn".into(), attachment_id: 41 },
                InlineImage { message_id: 8, content_id: "logo@shop.vn".into(), attachment_id: 40 },
            ],
        }
    }

    #[test]
    fn inline_images_come_from_us_and_remote_ones_wait() {
        let shown = message_html(MAIL, 9, &display(false), |a| format!("/files/{a}"));
        assert!(shown.html.contains(r#"<img src="/files/41">"#), "{}", shown.html);
        assert!(!shown.html.contains(" src=\"https://track.example"), "{}", shown.html);
        assert!(!shown.html.contains("script"));
        assert_eq!(shown.blocked_images, 1);
    }

    #[test]
    fn remote_images_show_where_allowed() {
        let shown = message_html(MAIL, 9, &display(true), |a| format!("/files/{a}"));
        assert!(shown.html.contains(r#"<img src="https://track.example/o.gif?u=7">"#), "{}", shown.html);
        assert!(shown.html.contains(r#"<img src="/files/41">"#));
        assert_eq!(shown.blocked_images, 0);
    }

    #[test]
    fn another_messages_image_is_not_borrowed() {
        let shown = message_html(MAIL, 10, &display(false), |a| format!("/files/{a}"));
        assert!(shown.html.contains(r#"src="cid:Logo@Shop.VN""#), "{}", shown.html);
    }
}
