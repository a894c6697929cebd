//! The words Rapport puts around mail it sends, in vi / pl / en, picked by the
//! ticket's (or contact's) language.

use rapport_domain::Locale;

pub struct MailTexts {
    /// Under an agent's reply: how to continue.
    pub reply_footer: &'static str,
    /// Subject prefix and body of the acknowledgement of a new request.
    pub ack_subject: &'static str,
    pub ack_body: &'static str,
    /// Answer to a mail over the size limit.
    pub too_large_subject: &'static str,
    pub too_large_body: &'static str,
}

static EN: MailTexts = MailTexts {
    reply_footer: "Reply to this email to continue the conversation.",
    ack_subject: "We received your request",
    ack_body: "Thank you for writing to us. Your request has number {ticket} and a member of our team will answer soon. \
               To add anything, simply reply to this email.",
    too_large_subject: "Your message was too large",
    too_large_body: "We could not accept your message because it is larger than {limit}. \
                     Please send it again with smaller attachments, or share large files through a link.",
};

static VI: MailTexts = MailTexts {
    reply_footer: "Trả lời email này để tiếp tục cuộc trò chuyện.",
    ack_subject: "Chúng tôi đã nhận được yêu cầu của bạn",
    ack_body: "Cảm ơn bạn đã liên hệ. Yêu cầu của bạn có mã số {ticket} và nhân viên của chúng tôi sẽ sớm phản hồi. \
               Nếu muốn bổ sung thông tin, bạn chỉ cần trả lời email này.",
    too_large_subject: "Thư của bạn quá lớn",
    too_large_body: "Chúng tôi không thể nhận thư của bạn vì dung lượng vượt quá {limit}. \
                     Vui lòng gửi lại với tệp đính kèm nhỏ hơn, hoặc chia sẻ tệp lớn qua đường liên kết.",
};

static PL: MailTexts = MailTexts {
    reply_footer: "Odpowiedz na tę wiadomość, aby kontynuować rozmowę.",
    ack_subject: "Otrzymaliśmy Twoje zgłoszenie",
    ack_body: "Dziękujemy za wiadomość. Twoje zgłoszenie ma numer {ticket}, a ktoś z naszego zespołu wkrótce odpowie. \
               Aby coś dodać, po prostu odpowiedz na tę wiadomość.",
    too_large_subject: "Twoja wiadomość była za duża",
    too_large_body: "Nie mogliśmy przyjąć Twojej wiadomości, ponieważ jest większa niż {limit}. \
                     Wyślij ją ponownie z mniejszymi załącznikami albo udostępnij duże pliki przez link.",
};

pub fn texts(locale: Locale) -> &'static MailTexts {
    match locale {
        Locale::En => &EN,
        Locale::Vi => &VI,
        Locale::Pl => &PL,
    }
}

/// `12345678` → `11.8 MB`.
pub fn human_size(bytes: i64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_text() {
        for l in Locale::ALL {
            let t = texts(*l);
            assert!(t.ack_body.contains("{ticket}"));
            assert!(t.too_large_body.contains("{limit}"));
            assert!(!t.reply_footer.is_empty() && !t.ack_subject.is_empty() && !t.too_large_subject.is_empty());
        }
        assert_eq!(human_size(10 * 1024 * 1024), "10.0 MB");
    }
}
