//! Parsing raw RFC 5322 mail into what Rapport needs. (Being written.)

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
