//! The invitation mail: the question with one link per score (each opens
//! the answer page with that score chosen; nothing is recorded until the
//! respondent sends it, so link checkers in mail filters record nothing),
//! queued in the durable outbound queue in the same transaction that marks
//! the invitation sent.

use super::{texts, token, SurveyForm};
use rapport_channels::email::compose::{compose, new_message_id, Outgoing};
use rapport_domain::crypto::SecretBox;
use rapport_domain::html::text_to_html;
use rapport_domain::Timestamp;
use rapport_store::mail::{MailboxSecrets, NewOutbound, OutboundKind};
use rapport_store::surveys::{InvitationToSend, InvitationView};
use rapport_store::{Store, StoreError};

/// Composes the mail for one invitation.
pub fn invitation_mail(p: &InvitationToSend, view: &InvitationView, mailbox: &MailboxSecrets, link: &str) -> Option<NewOutbound> {
    let to = p.contact_email.clone()?;
    let t = texts::texts(p.invitation.locale);
    let form = SurveyForm::of(view, Timestamp::now());
    let id = p.invitation.ticket_id.map(|i| i.to_string()).unwrap_or_default();
    let subject = match p.invitation.ticket_id {
        Some(_) => t.mail_subject_ticket.replace("{id}", &id),
        None => t.mail_subject_nps.replace("{brand}", &form.brand),
    };
    let name = if p.contact_name.trim().is_empty() { to.clone() } else { p.contact_name.clone() };
    let intro = match (p.invitation.ticket_id, &p.ticket_subject) {
        (Some(_), Some(s)) => t.mail_ticket_intro.replace("{id}", &id).replace("{subject}", s),
        _ => t.mail_nps_intro.to_string(),
    };
    let greeting = t.mail_greeting.replace("{name}", &name);
    let footer = t.mail_footer.replace("{hours}", &p.survey.change_window_hours.to_string());
    let score_link = |n: i64| format!("{link}?score={n}");

    let mut text = format!("{greeting}\n{intro}\n\n{}\n{}\n\n", form.question, t.mail_choose);
    for n in &form.scores {
        text.push_str(&format!("{n}: {}\n", score_link(*n)));
    }
    text.push_str(&format!("\n{} {link}\n\n{footer}\n", t.mail_open));

    let mut buttons = String::new();
    for n in &form.scores {
        buttons.push_str(&format!(
            "<a href=\"{}\" style=\"display:inline-block;min-width:2.2em;margin:0 .2em .4em 0;padding:.5em .6em;border:1px solid #0b5cad;\
             border-radius:6px;color:#0b5cad;text-decoration:none;text-align:center;font-weight:bold\">{n}</a>",
            score_link(*n)
        ));
    }
    let html = format!(
        "<p>{}<br>{}</p><p><strong>{}</strong></p><p>{}</p><p>{buttons}</p><p style=\"color:#555\">{} — {}</p>\
         <p><a href=\"{link}\">{}</a></p><p style=\"color:#666;font-size:small\">{}</p>",
        text_to_html(&greeting),
        text_to_html(&intro),
        text_to_html(&form.question),
        text_to_html(t.mail_choose),
        text_to_html(form.low),
        text_to_html(form.high),
        text_to_html(t.mail_open),
        text_to_html(&footer),
    );
    let recipients = [to];
    let out = Outgoing {
        from_name: &mailbox.mailbox.from_name,
        from_address: &mailbox.mailbox.address,
        reply_to: mailbox.mailbox.reply_to.as_deref(),
        to: &recipients,
        cc: &[],
        subject: &subject,
        text: &text,
        html: &html,
        in_reply_to: None,
        references: &[],
        auto_submitted: true,
        attachments: &[],
        date_ms: Timestamp::now().millis(),
    };
    let composed = compose(&out, &new_message_id(&mailbox.mailbox.address, None));
    Some(NewOutbound {
        mailbox_id: mailbox.mailbox.id,
        ticket_id: p.invitation.ticket_id,
        message_id: None,
        kind: OutboundKind::Notification,
        recipients: recipients.to_vec(),
        message_id_header: composed.message_id,
        raw: composed.raw,
    })
}

/// Sends every pending invitation (up to `limit`): queues its mail, or skips
/// it when there is no address or no mailbox to send from. Returns how many were queued.
pub async fn send_pending(store: &dyn Store, secrets: &SecretBox, public_url: &str, limit: usize) -> Result<usize, StoreError> {
    let mut queued = 0;
    for p in store.pending_invitations(limit).await? {
        let (ws, id) = (p.workspace_id, p.invitation.id);
        if p.contact_email.is_none() {
            store.skip_invitation(ws, id, "no_email").await?;
            continue;
        }
        let Some(mailbox_id) = p.mailbox_id else {
            store.skip_invitation(ws, id, "no_mailbox").await?;
            continue;
        };
        let mailbox = store.mailbox_secrets(mailbox_id).await?;
        let view = store.invitation_view(id).await?;
        let link = token::url(public_url, &token::sign(secrets, id));
        let Some(mail) = invitation_mail(&p, &view, &mailbox, &link) else { continue };
        if store.mark_invitation_sent(ws, id, Some(&mail)).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
