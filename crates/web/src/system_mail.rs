//! Mail Rapport sends to its own users (password reset links), as opposed to
//! the customer conversations that go out through mailboxes and the outbound
//! queue.
//!
//! It goes through the SMTP server of the `system_mail` settings; without
//! one, through the SMTP settings of the user's workspace's first active
//! mailbox. The SMTP client is the email channel's.

use crate::state::AppState;
use rapport_channels::email::compose::{compose, new_message_id, Outgoing};
use rapport_channels::email::smtp::{send_raw, SmtpConfig};
use rapport_domain::{Actor, Id, Timestamp};

/// The configured SMTP server for system mail, and the sender to use.
#[derive(Clone)]
pub struct SystemMail {
    pub smtp: SmtpConfig,
    pub from_address: String,
    pub from_name: String,
}

impl std::fmt::Debug for SystemMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SystemMail")
            .field("host", &self.smtp.host)
            .field("port", &self.smtp.port)
            .field("security", &self.smtp.security)
            .field("username", &self.smtp.username)
            .field("from_address", &self.from_address)
            .finish_non_exhaustive()
    }
}

/// One message to one user: plain text, and HTML made from it.
pub struct Letter<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
}

/// Where system mail for a workspace goes out: the configured server, else
/// the first active mailbox's SMTP settings (its password unsealed).
async fn route(state: &AppState, workspace_id: Id) -> Result<SystemMail, String> {
    if let Some(configured) = &state.config.system_mail {
        return Ok(configured.clone());
    }
    let mailboxes = state.store.list_mailboxes(&Actor::system(workspace_id)).await.map_err(|e| e.to_string())?;
    let mailbox = mailboxes
        .into_iter()
        .find(|m| m.active)
        .ok_or("no SMTP server for system mail: set [system_mail] in the configuration, or add an active mailbox")?;
    let secrets = state.store.mailbox_secrets(mailbox.id).await.map_err(|e| e.to_string())?;
    let password = state.secrets.open(&secrets.smtp_password_enc).map_err(|e| format!("mailbox {}: {e}", mailbox.address))?;
    let port = u16::try_from(mailbox.smtp_port).map_err(|_| format!("mailbox {}: bad SMTP port", mailbox.address))?;
    Ok(SystemMail {
        smtp: SmtpConfig { host: mailbox.smtp_host, port, security: mailbox.smtp_security, username: mailbox.smtp_username, password },
        from_address: mailbox.address,
        from_name: mailbox.from_name,
    })
}

/// Composes and sends one letter now; the error says what failed, for the log.
pub async fn send(state: &AppState, workspace_id: Id, letter: &Letter<'_>) -> Result<(), String> {
    let via = route(state, workspace_id).await?;
    let to = [letter.to.to_string()];
    let message_id = new_message_id(&via.from_address, None);
    let mail = compose(
        &Outgoing {
            from_name: &via.from_name,
            from_address: &via.from_address,
            reply_to: None,
            to: &to,
            cc: &[],
            subject: letter.subject,
            text: letter.text,
            html: letter.html,
            in_reply_to: None,
            references: &[],
            auto_submitted: false,
            attachments: &[],
            date_ms: Timestamp::now().millis(),
        },
        &message_id,
    );
    send_raw(&via.smtp, &via.from_address, &to, &mail.raw).await.map_err(|e| e.message)
}
