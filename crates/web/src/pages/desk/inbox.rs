//! The unified inbox: built-in and saved views with capped counts, filters
//! over every channel, sorting, cursor paging and bulk actions.
//!
//! A view is nothing but a set of filters (the same query parameters as
//! `GET /api/v1/tickets`); filters in the URL override the view's.

use super::frame::Frame;
use crate::api::tickets::{parse_query, TicketListParams};
use crate::pages::session::PageUser;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use rapport_domain::sla::{SlaClock, SlaState, SlaTargets};
use rapport_domain::{Channel, Locale, Priority, TicketStatus, Timestamp};
use rapport_store::model::{ListQuery, Ticket, TicketQuery};
use std::collections::HashMap;

/// Counts stop here; more shows as "more than 1000".
pub const COUNT_CAP: usize = 1000;

pub struct ViewLink {
    pub key: String,
    pub label: String,
    pub filters: String,
    pub count: String,
    pub active: bool,
    /// A saved view's id, for deleting it.
    pub saved_id: Option<i64>,
    pub deletable: bool,
}

pub struct Row {
    pub id: i64,
    pub subject: String,
    pub requester: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub channel: &'static str,
    pub language: &'static str,
    pub assignee: String,
    pub updated: String,
    /// `ok`, `at_risk`, `breached`, or empty without targets.
    pub sla: &'static str,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/inbox.html")]
pub struct InboxPage {
    pub frame: Frame,
    pub views: Vec<ViewLink>,
    pub view_key: String,
    pub view_label: String,
    /// The effective filters, by parameter name.
    pub current: HashMap<String, String>,
    pub rows: Vec<Row>,
    pub error: Option<String>,
    pub next_url: Option<String>,
    pub first_url: Option<String>,
    pub statuses: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub slas: Vec<Choice>,
    pub assignees: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub brands: Vec<Choice>,
    pub organizations: Vec<Choice>,
    pub notice: Option<String>,
    /// This page's URL, to come back to after a bulk action.
    pub here: String,
    /// The effective filters, for saving as a view.
    pub save_filters: String,
}

impl InboxPage {
    fn cur(&self, key: &str) -> &str {
        self.current.get(key).map(String::as_str).unwrap_or("")
    }
}

/// The times a ticket's SLA targets are measured on.
pub fn sla_clock(t: &Ticket) -> SlaClock {
    let resolved = matches!(t.status, TicketStatus::Solved | TicketStatus::Closed);
    SlaClock {
        created_at: t.created_at,
        first_response_at: t.first_response_at,
        resolved_at: if resolved { t.solved_at.or(t.closed_at) } else { None },
    }
}

/// Parses `a=1&b=2` into pairs; bad input yields nothing rather than an error.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

fn encode(pairs: &[(String, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// The built-in views, then the user's teams, then saved views.
async fn view_links(s: &AppState, user: &PageUser, f: &Frame) -> Vec<ViewLink> {
    let d = f.d;
    let link = |key: &str, label: &str, filters: &str| ViewLink {
        key: key.into(),
        label: label.into(),
        filters: filters.into(),
        count: String::new(),
        active: false,
        saved_id: None,
        deletable: false,
    };
    let mut views = vec![
        link("mine", d.view_mine, "assignee=me&status=new,open,pending,on_hold"),
        link("unassigned", d.view_unassigned, "assignee=none&status=new,open"),
    ];
    let actor = &user.ctx.actor;
    if let Ok(teams) = s.store.list_teams(actor).await {
        for team in teams.into_iter().filter(|t| actor.team_ids.contains(&t.id)) {
            views.push(link(
                &format!("team-{}", team.id),
                &format!("{}: {}", d.team, team.name),
                &format!("team={}&status=new,open,pending,on_hold", team.id),
            ));
        }
    }
    views.push(link("open", d.view_open, "status=new,open"));
    // Only where targets are set: counting breaches reads every open ticket.
    if !s.store.list_sla_policies(actor).await.unwrap_or_default().is_empty() {
        views.push(link("breached", d.view_breached, "sla=breached&status=new,open,pending,on_hold"));
    }
    views.push(link("pending", d.view_pending, "status=pending,on_hold"));
    views.push(link("solved", d.view_solved, "status=solved"));
    if let Ok(saved) = s.store.list_saved_views(actor).await {
        for v in saved {
            let mut l = link(&format!("saved-{}", v.id), &v.name, &v.filters);
            l.saved_id = Some(v.id);
            l.deletable = v.user_id.is_some() || f.is_admin;
            views.push(l);
        }
    }
    views
}

/// The ticket query for a filter string, as the API would run it.
pub fn query_of(filters: &[(String, String)], me: i64) -> Result<TicketQuery, String> {
    let params: TicketListParams = serde_urlencoded::from_str(&encode(filters)).map_err(|e| e.to_string())?;
    parse_query(&params, me).map_err(|e| e.message)
}

pub async fn show(State(s): State<AppState>, user: PageUser, RawQuery(raw): RawQuery) -> Response {
    render(&s, &user, raw.as_deref().unwrap_or(""), None).await.into_response()
}

pub async fn render(s: &AppState, user: &PageUser, raw: &str, notice: Option<String>) -> InboxPage {
    let frame = Frame::new(s, user).await;
    let actor = &user.ctx.actor;
    let me = user.ctx.user.id;
    let url_pairs = pairs(raw);
    let view_key = url_pairs.iter().find(|(k, _)| k == "view").map(|(_, v)| v.clone()).unwrap_or_else(|| "mine".into());
    let mut views = view_links(s, user, &frame).await;
    let base = views.iter().find(|v| v.key == view_key).map(|v| v.filters.clone()).unwrap_or_default();

    // The view's filters, overridden by the URL's; an empty value clears one.
    let mut effective: Vec<(String, String)> = pairs(&base);
    for (k, v) in url_pairs.iter().filter(|(k, _)| k != "view") {
        effective.retain(|(ek, _)| ek != k);
        if !v.is_empty() {
            effective.push((k.clone(), v.clone()));
        }
    }
    let current: HashMap<String, String> = effective.iter().cloned().collect();

    for v in views.iter_mut() {
        v.active = v.key == view_key;
        let q = query_of(&pairs(&v.filters), me);
        v.count = match q {
            Ok(q) => match s.store.count_tickets(actor, &q, COUNT_CAP).await {
                Ok(n) if n > COUNT_CAP => format!("{COUNT_CAP}+"),
                Ok(n) => n.to_string(),
                Err(_) => "–".into(),
            },
            Err(_) => "–".into(),
        };
    }

    let mut error = None;
    let mut tickets: Vec<Ticket> = Vec::new();
    let mut next_url = None;
    match query_of(&effective, me) {
        Ok(q) => match s.store.list_tickets(actor, &q).await {
            Ok(page) => {
                tickets = page.items;
                if let Some(c) = page.next_cursor {
                    let mut p: Vec<(String, String)> = url_pairs.iter().filter(|(k, _)| k != "cursor").cloned().collect();
                    p.push(("cursor".into(), c));
                    next_url = Some(format!("/?{}", encode(&p)));
                }
            }
            Err(e) => error = Some(e.to_string()),
        },
        Err(e) => error = Some(e),
    }
    let first_url = current.contains_key("cursor").then(|| {
        let p: Vec<(String, String)> = url_pairs.iter().filter(|(k, _)| k != "cursor").cloned().collect();
        format!("/?{}", encode(&p))
    });

    let users: HashMap<i64, String> = match s.store.list_users(actor, &ListQuery { limit: 100, ..Default::default() }).await {
        Ok(p) => p.items.into_iter().filter(|u| u.active).map(|u| (u.id, u.name)).collect(),
        Err(_) => HashMap::new(),
    };
    let mut contacts: HashMap<i64, String> = HashMap::new();
    for id in tickets.iter().filter_map(|t| t.requester_id) {
        if let std::collections::hash_map::Entry::Vacant(e) = contacts.entry(id) {
            e.insert(s.store.get_contact(actor, id).await.map(|c| c.name).unwrap_or_else(|_| format!("#{id}")));
        }
    }
    let targets: HashMap<Priority, SlaTargets> =
        s.store.list_sla_policies(actor).await.unwrap_or_default().into_iter().map(|p| (p.priority, p.targets())).collect();
    let now = Timestamp::now();
    let rows = tickets
        .into_iter()
        .map(|t| Row {
            sla: targets.get(&t.priority).and_then(|tg| tg.state(&sla_clock(&t), now)).map(|s| s.as_str()).unwrap_or(""),
            id: t.id,
            requester: t.requester_id.and_then(|r| contacts.get(&r).cloned()).unwrap_or_default(),
            subject: t.subject,
            status: t.status.as_str(),
            priority: t.priority.as_str(),
            channel: t.channel.as_str(),
            language: t.language.map(|l| l.as_str()).unwrap_or(""),
            assignee: t.assignee_id.map(|a| users.get(&a).cloned().unwrap_or_else(|| format!("#{a}"))).unwrap_or_default(),
            updated: t.updated_at.to_datetime().format("%Y-%m-%d %H:%M").to_string(),
        })
        .collect();

    let choice = |value: &str, label: &str| Choice { value: value.into(), label: label.into() };
    let statuses = ["new,open", "new,open,pending,on_hold"]
        .iter()
        .map(|v| choice(v, &v.split(',').map(|x| frame.value(x)).collect::<Vec<_>>().join(" + ")))
        .chain(TicketStatus::ALL.iter().map(|st| choice(st.as_str(), frame.value(st.as_str()))))
        .collect();
    let priorities = Priority::ALL.iter().rev().map(|p| choice(p.as_str(), frame.value(p.as_str()))).collect();
    let channels = Channel::ALL.iter().map(|c| choice(c.as_str(), frame.value(c.as_str()))).collect();
    let slas = SlaState::ALL.iter().map(|st| choice(st.as_str(), frame.value(st.as_str()))).collect();
    let languages = Locale::ALL.iter().map(|l| choice(l.as_str(), frame.value(l.as_str()))).collect();
    let mut assignees = vec![choice("me", frame.d.me), choice("none", frame.d.nobody)];
    let mut by_name: Vec<(&i64, &String)> = users.iter().collect();
    by_name.sort_by(|a, b| a.1.cmp(b.1));
    assignees.extend(by_name.into_iter().map(|(id, name)| choice(&id.to_string(), name)));
    let teams = s.store.list_teams(actor).await.unwrap_or_default().into_iter().map(|t| choice(&t.id.to_string(), &t.name)).collect();
    let brands = s.store.list_brands(actor).await.unwrap_or_default().into_iter().map(|b| choice(&b.id.to_string(), &b.name)).collect();
    let organizations = s
        .store
        .list_organizations(actor, &ListQuery { limit: 100, ..Default::default() })
        .await
        .map(|p| p.items)
        .unwrap_or_default()
        .into_iter()
        .map(|o| choice(&o.id.to_string(), &o.name))
        .collect();
    let view_label = views.iter().find(|v| v.active).map(|v| v.label.clone()).unwrap_or_else(|| frame.d.inbox.to_string());
    let save_filters = encode(&effective.iter().filter(|(k, _)| k != "cursor").cloned().collect::<Vec<_>>());
    InboxPage {
        save_filters,
        here: if raw.is_empty() { "/".into() } else { format!("/?{raw}") },
        frame,
        views,
        view_key,
        view_label,
        current,
        rows,
        error,
        next_url,
        first_url,
        statuses,
        priorities,
        channels,
        languages,
        slas,
        assignees,
        teams,
        brands,
        organizations,
        notice,
    }
}
