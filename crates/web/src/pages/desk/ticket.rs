//! The ticket view: the conversation (customer messages, public replies,
//! internal notes and change events, each visibly different), the reply box,
//! the properties, and the customer panel with the contact's other tickets.

use super::frame::Frame;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::pages::session::PageUser;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use rapport_domain::{html, Actor, CustomFieldKind, Locale, MessageKind, Priority, TicketStatus};
use rapport_store::model::{ListQuery, Ticket, TicketQuery};
use serde_json::Value;
use std::collections::HashMap;

pub struct MessageView {
    pub id: i64,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub author: String,
    pub created: String,
    /// Sanitised HTML (sanitised again here, whatever was stored), inline
    /// images linked, remote ones shown only where the mailbox allows them.
    pub html: String,
    /// Remote images held back.
    pub blocked_images: usize,
    /// For mail: the trimmed text, escaped.
    pub display: Option<String>,
    pub delivery: Option<String>,
    pub attachments: Vec<(i64, String)>,
    pub splittable: bool,
}

pub struct FieldView {
    pub key: String,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<String>,
}

pub struct OtherTicket {
    pub id: i64,
    pub subject: String,
    pub status: &'static str,
    pub channel: &'static str,
}

pub struct CustomerPanel {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organizations: Vec<String>,
    pub other_tickets: Vec<OtherTicket>,
}

/// What the reply box holds when the page is shown again (after a refused send).
#[derive(Default)]
pub struct Draft {
    pub kind: String,
    pub body: String,
    pub collision: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/ticket.html")]
pub struct TicketPage {
    pub frame: Frame,
    pub ticket: Ticket,
    pub status: &'static str,
    pub priority: &'static str,
    pub channel: &'static str,
    pub language: &'static str,
    pub messages: Vec<MessageView>,
    pub last_message_id: i64,
    pub statuses: Vec<&'static str>,
    pub priorities: Vec<&'static str>,
    pub languages: Vec<&'static str>,
    pub users: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
    pub tags: String,
    pub fields: Vec<FieldView>,
    pub customer: Option<CustomerPanel>,
    pub mention_names: String,
    pub draft: Draft,
    pub error: Option<String>,
    pub editable: bool,
    /// (id, name) of the canned replies the agent may use.
    pub canned: Vec<(i64, String)>,
    /// (id, name) of the workspace's macros.
    pub macros: Vec<(i64, String)>,
    /// SLA state and due times, when the ticket's priority has targets.
    pub sla: Option<SlaView>,
    /// Knowledge-base articles for this conversation, ready to insert.
    pub suggestions: Vec<Suggestion>,
    /// Survey answers, follow-up tasks and time logged (templates/surveys/ticket_panel.html).
    pub survey_panel: crate::pages::surveys::panel::SurveyPanel,
}

pub struct Suggestion {
    pub title: String,
    pub url: Option<String>,
    pub excerpt: String,
}

pub struct SlaView {
    pub state: &'static str,
    /// (label, due time, state of that target)
    pub targets: Vec<(&'static str, String, &'static str)>,
}

pub async fn show(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath) -> Response {
    match render(&s, &user, id, Draft::default(), None).await {
        Ok(page) => page.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn all_messages(s: &AppState, actor: &Actor, id: i64) -> Result<Vec<rapport_store::model::Message>, ApiError> {
    let mut messages = Vec::new();
    let mut cursor = None;
    loop {
        let page = s.store.list_messages(actor, id, cursor, 100).await?;
        messages.extend(page.items);
        match page.next_cursor.and_then(|c| rapport_store::Cursor::decode(&c)) {
            Some(c) => cursor = Some(c),
            None => return Ok(messages),
        }
    }
}

pub async fn render(s: &AppState, user: &PageUser, id: i64, draft: Draft, error: Option<String>) -> Result<TicketPage, ApiError> {
    let actor = &user.ctx.actor;
    let frame = Frame::new(s, user).await;
    let t = frame.t;
    let ticket = s.store.get_ticket(actor, id).await?;
    let messages = all_messages(s, actor, id).await?;
    let mail = s.store.mail_display(actor, id).await?;
    let users: Vec<(i64, String)> = s
        .store
        .list_users(actor, &ListQuery { limit: 100, ..Default::default() })
        .await
        .map(|p| p.items.into_iter().filter(|u| u.active).map(|u| (u.id, u.name)).collect())
        .unwrap_or_default();
    let user_names: HashMap<i64, String> = users.iter().cloned().collect();
    let mut contact_names: HashMap<i64, String> = HashMap::new();
    let first_real = messages.iter().find(|m| m.kind != MessageKind::System).map(|m| m.id);
    let editable = ticket.status.ensure_editable().is_ok() && actor.role.allows(rapport_domain::Permission::WriteTickets);
    let mut views = Vec::with_capacity(messages.len());
    for m in &messages {
        let author = match (m.author_user_id, m.author_contact_id) {
            (Some(u), _) => user_names.get(&u).cloned().unwrap_or_else(|| format!("#{u}")),
            (None, Some(c)) => {
                if let std::collections::hash_map::Entry::Vacant(e) = contact_names.entry(c) {
                    e.insert(s.store.get_contact(actor, c).await.map(|c| c.name).unwrap_or_else(|_| format!("#{c}")));
                }
                contact_names[&c].clone()
            }
            (None, None) => "Rapport".to_string(),
        };
        let (kind, kind_label) = match m.kind {
            MessageKind::Public if m.author_contact_id.is_some() => ("customer", t.customer),
            MessageKind::Public => ("public", t.public_reply),
            MessageKind::Note => ("note", t.internal_note),
            MessageKind::System => ("system", t.system_event),
        };
        let display = m.display_text.as_deref().filter(|d| d.trim() != m.body_text.trim()).map(html::text_to_html);
        let shown = rapport_channels::email::display::message_html(&m.body_html, m.id, &mail, |a| format!("/api/v1/attachments/{a}"));
        views.push(MessageView {
            id: m.id,
            kind,
            kind_label,
            author,
            created: m.created_at.to_datetime().format("%Y-%m-%d %H:%M").to_string(),
            html: shown.html,
            blocked_images: shown.blocked_images,
            display,
            delivery: m.delivery_status.clone(),
            attachments: m.attachments.iter().map(|a| (a.id, a.filename.clone())).collect(),
            splittable: editable && m.kind != MessageKind::System && Some(m.id) != first_real,
        });
    }
    let fields = s
        .store
        .list_custom_fields(actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|f| FieldView {
            value: match ticket.custom_fields.get(&f.key) {
                Some(Value::String(v)) => v.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            },
            key: f.key,
            label: f.label,
            kind: match f.kind {
                CustomFieldKind::Number => "number",
                CustomFieldKind::Boolean => "boolean",
                CustomFieldKind::Date => "date",
                CustomFieldKind::Select => "select",
                CustomFieldKind::Text => "text",
            },
            options: f.options,
        })
        .collect();
    let customer = match ticket.requester_id {
        Some(c) => customer_panel(s, actor, c, ticket.id).await,
        None => None,
    };
    let teams = s.store.list_teams(actor).await.unwrap_or_default().into_iter().map(|t| (t.id, t.name)).collect();
    let mention_names = serde_json::to_string(&users.iter().filter(|(uid, _)| *uid != frame.user_id).map(|(_, n)| n).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    let sla =
        s.store.list_sla_policies(actor).await.unwrap_or_default().into_iter().find(|p| p.priority == ticket.priority).and_then(|p| {
            let tg = p.targets();
            let clock = super::inbox::sla_clock(&ticket);
            let now = rapport_domain::Timestamp::now();
            let fmt = |t: rapport_domain::sla::TargetState| t.due.to_datetime().format("%Y-%m-%d %H:%M UTC").to_string();
            let mut targets = Vec::new();
            if let Some(t) = tg.first_response(&clock, now) {
                targets.push((frame.d.first_response_due, fmt(t), t.state.as_str()));
            }
            if let Some(t) = tg.resolution(&clock, now) {
                targets.push((frame.d.resolution_due, fmt(t), t.state.as_str()));
            }
            tg.state(&clock, now).map(|st| SlaView { state: st.as_str(), targets })
        });
    let suggestions = crate::api::kb::suggestions_for_ticket(s, actor, ticket.id, 3)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|a| Suggestion { title: a.title, url: a.url, excerpt: a.excerpt })
        .collect();
    let canned = s.store.list_canned_replies(actor).await.unwrap_or_default().into_iter().map(|c| (c.id, c.name)).collect();
    let macros = s.store.list_macros(actor).await.unwrap_or_default().into_iter().map(|m| (m.id, m.name)).collect();
    let survey_panel =
        crate::pages::surveys::panel::SurveyPanel::load(s, actor, ticket.id, ticket.requester_id, user.ctx.user.locale).await;
    Ok(TicketPage {
        survey_panel,
        suggestions,
        sla,
        canned,
        macros,
        status: ticket.status.as_str(),
        priority: ticket.priority.as_str(),
        channel: ticket.channel.as_str(),
        language: ticket.language.map(|l| l.as_str()).unwrap_or(""),
        last_message_id: messages.last().map(|m| m.id).unwrap_or(0),
        messages: views,
        statuses: TicketStatus::ALL
            .iter()
            .filter(|st| ticket.status == **st || ticket.status.transition(**st).is_ok())
            .map(|st| st.as_str())
            .collect(),
        priorities: Priority::ALL.iter().map(|p| p.as_str()).collect(),
        languages: Locale::ALL.iter().map(|l| l.as_str()).collect(),
        users,
        teams,
        tags: ticket.tags.join(", "),
        fields,
        customer,
        mention_names,
        draft,
        error,
        editable,
        ticket,
        frame,
    })
}

async fn customer_panel(s: &AppState, actor: &Actor, contact_id: i64, this_ticket: i64) -> Option<CustomerPanel> {
    let contact = s.store.get_contact(actor, contact_id).await.ok()?;
    let mut organizations = Vec::new();
    for o in &contact.organization_ids {
        if let Ok(org) = s.store.get_organization(actor, *o).await {
            organizations.push(org.name);
        }
    }
    let q = TicketQuery { requester_id: Some(contact_id), limit: 10, descending: true, ..Default::default() };
    let other_tickets = s
        .store
        .list_tickets(actor, &q)
        .await
        .map(|p| p.items)
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.id != this_ticket)
        .map(|t| OtherTicket { id: t.id, subject: t.subject, status: t.status.as_str(), channel: t.channel.as_str() })
        .collect();
    Some(CustomerPanel { name: contact.name, email: contact.email, phone: contact.phone, organizations, other_tickets })
}
