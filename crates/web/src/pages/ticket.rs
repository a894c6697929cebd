//! A ticket's conversation: replies, internal notes and system events,
//! each visibly different; mail shows its trimmed text with the full message
//! one click away, and its delivery state.

use super::i18n::Texts;
use super::session::PageUser;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use rapport_domain::{html, MessageKind, Role};
use std::collections::HashMap;

pub struct MessageView {
    kind: &'static str,
    kind_label: &'static str,
    author: String,
    created: String,
    /// Sanitised HTML (sanitised again here, whatever was stored).
    html: String,
    /// For mail: the trimmed text, escaped.
    display: Option<String>,
    delivery: Option<String>,
    attachments: Vec<(i64, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "ticket.html")]
struct TicketPage {
    lang: &'static str,
    t: &'static Texts,
    user_name: String,
    csrf_token: String,
    is_admin: bool,
    id: i64,
    subject: String,
    status: &'static str,
    priority: &'static str,
    channel: &'static str,
    language: Option<&'static str>,
    messages: Vec<MessageView>,
}

pub async fn show(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath) -> Response {
    match render(&s, &user, id).await {
        Ok(page) => page.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn render(s: &AppState, user: &PageUser, id: i64) -> Result<TicketPage, ApiError> {
    let actor = &user.ctx.actor;
    let t = user.texts();
    let ticket = s.store.get_ticket(actor, id).await?;
    let mut messages = Vec::new();
    let mut cursor = None;
    loop {
        let page = s.store.list_messages(actor, id, cursor, 100).await?;
        messages.extend(page.items);
        match page.next_cursor.and_then(|c| rapport_store::Cursor::decode(&c)) {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let mut names: HashMap<(bool, i64), String> = HashMap::new();
    let mut views = Vec::with_capacity(messages.len());
    for m in messages {
        let author = match (m.author_user_id, m.author_contact_id) {
            (Some(u), _) => name_of(s, actor, &mut names, true, u).await,
            (None, Some(c)) => name_of(s, actor, &mut names, false, c).await,
            (None, None) => "Rapport".to_string(),
        };
        let (kind, kind_label) = match m.kind {
            MessageKind::Public if m.author_contact_id.is_some() => ("public", t.customer),
            MessageKind::Public => ("public", t.public_reply),
            MessageKind::Note => ("note", t.internal_note),
            MessageKind::System => ("system", t.system_event),
        };
        let display = m.display_text.as_deref().filter(|d| d.trim() != m.body_text.trim()).map(html::text_to_html);
        views.push(MessageView {
            kind,
            kind_label,
            author,
            created: m.created_at.to_rfc3339(),
            html: html::sanitize(&m.body_html),
            display,
            delivery: m.delivery_status,
            attachments: m.attachments.into_iter().map(|a| (a.id, a.filename)).collect(),
        });
    }
    Ok(TicketPage {
        lang: user.ctx.user.locale.as_str(),
        t,
        user_name: user.ctx.user.name.clone(),
        csrf_token: user.csrf_token.clone(),
        is_admin: actor.role == Role::Admin,
        id: ticket.id,
        subject: ticket.subject,
        status: ticket.status.as_str(),
        priority: ticket.priority.as_str(),
        channel: ticket.channel.as_str(),
        language: ticket.language.map(|l| l.as_str()),
        messages: views,
    })
}

async fn name_of(s: &AppState, actor: &rapport_domain::Actor, cache: &mut HashMap<(bool, i64), String>, user: bool, id: i64) -> String {
    if let Some(n) = cache.get(&(user, id)) {
        return n.clone();
    }
    let name = if user {
        s.store.get_user(actor, id).await.map(|u| u.name).ok()
    } else {
        s.store.get_contact(actor, id).await.map(|c| c.name).ok()
    };
    let name = name.unwrap_or_else(|| format!("#{id}"));
    cache.insert((user, id), name.clone());
    name
}
