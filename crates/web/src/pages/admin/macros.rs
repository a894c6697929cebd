//! Macros: the list with a summary of each macro's actions, and a form with
//! one field per kind of action (a public reply and a note in each language,
//! status, priority, tags, assignee, team).

use super::canned::{boxes, typed_bodies, LanguageBoxes};
use super::{form_error, refused, saved, split_list, Admin, Chrome, Fields, SavedQuery};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rapport_domain::canned::{LocalizedText, PLACEHOLDERS};
use rapport_domain::{MessageKind, Priority, Role, TicketStatus};
use rapport_store::model::{ListQuery, Team, User};
use rapport_store::replies::{Macro, MacroAction, MacroInput};

/// The statuses a macro may set.
const STATUSES: [TicketStatus; 4] = [TicketStatus::Open, TicketStatus::Pending, TicketStatus::OnHold, TicketStatus::Solved];

/// Who a macro can assign to and which teams it can move to.
struct Directory {
    users: Vec<User>,
    teams: Vec<Team>,
}

async fn directory(s: &AppState, admin: &Admin) -> Result<Directory, ApiError> {
    let mut users = Vec::new();
    let mut q = ListQuery { limit: 200, ..Default::default() };
    loop {
        let page = s.store.list_users(admin.actor(), &q).await?;
        users.extend(page.items.into_iter().filter(|u| u.active && u.role != Role::Viewer));
        match page.next_cursor.as_deref().and_then(rapport_store::Cursor::decode) {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    let teams = s.store.list_teams(admin.actor()).await?;
    Ok(Directory { users, teams })
}

/// One line per action, in the reader's words.
fn summary(c: &Chrome, dir: &Directory, m: &Macro) -> Vec<String> {
    let t = c.t;
    m.actions
        .iter()
        .map(|a| match a {
            MacroAction::Reply { kind, bodies } => {
                let what = if *kind == MessageKind::Note { t.macro_note } else { t.macro_public_reply };
                format!("{what} ({})", super::canned::language_names(bodies))
            }
            MacroAction::SetStatus { status } => format!("{}: {}", t.set_status, c.value(status.as_str())),
            MacroAction::SetPriority { priority } => format!("{}: {}", t.set_priority, c.value(priority.as_str())),
            MacroAction::AddTags { tags } => format!("{}: {}", t.tags, tags.iter().map(|g| format!("+{g}")).collect::<Vec<_>>().join(" ")),
            MacroAction::RemoveTags { tags } => {
                format!("{}: {}", t.tags, tags.iter().map(|g| format!("−{g}")).collect::<Vec<_>>().join(" "))
            }
            MacroAction::AssignUser { user_id } => {
                let who = match user_id {
                    None => t.unassign.to_string(),
                    Some(id) => dir.users.iter().find(|u| u.id == *id).map(|u| u.name.clone()).unwrap_or_else(|| format!("#{id}")),
                };
                format!("{}: {who}", t.assign_to)
            }
            MacroAction::AssignTeam { team_id } => {
                let team = match team_id {
                    None => t.no_team.to_string(),
                    Some(id) => dir.teams.iter().find(|x| x.id == *id).map(|x| x.name.clone()).unwrap_or_else(|| format!("#{id}")),
                };
                format!("{}: {team}", t.move_to_team)
            }
        })
        .collect()
}

struct Row {
    id: i64,
    name: String,
    actions: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/macros.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    saved: bool,
}

pub async fn list(State(s): State<AppState>, admin: Admin, Query(q): Query<SavedQuery>) -> Response {
    let macros = match s.store.list_macros(admin.actor()).await {
        Ok(m) => m,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let dir = match directory(&s, &admin).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let c = admin.chrome();
    let rows = macros.iter().map(|m| Row { id: m.id, name: m.name.clone(), actions: summary(&c, &dir, m) }).collect();
    ListPage { c, rows, saved: q.saved.is_some() }.into_response()
}

/// The form's values: `""` means "no change", `"none"` unassign / no team.
#[derive(Default)]
struct Values {
    name: String,
    reply: LocalizedText,
    note: LocalizedText,
    status: String,
    priority: String,
    add_tags: String,
    remove_tags: String,
    assignee: String,
    team: String,
    /// The macro has more replies or notes than the form can show.
    drops: bool,
}

impl Values {
    fn of(m: &Macro) -> Values {
        let mut v = Values { name: m.name.clone(), ..Default::default() };
        let (mut replies, mut notes) = (0, 0);
        let mut added = Vec::new();
        let mut removed = Vec::new();
        for a in &m.actions {
            match a {
                MacroAction::Reply { kind: MessageKind::Note, bodies } => {
                    notes += 1;
                    if notes == 1 {
                        v.note = bodies.clone();
                    }
                }
                MacroAction::Reply { bodies, .. } => {
                    replies += 1;
                    if replies == 1 {
                        v.reply = bodies.clone();
                    }
                }
                MacroAction::SetStatus { status } => v.status = status.to_string(),
                MacroAction::SetPriority { priority } => v.priority = priority.to_string(),
                MacroAction::AddTags { tags } => added.extend(tags.iter().cloned()),
                MacroAction::RemoveTags { tags } => removed.extend(tags.iter().cloned()),
                MacroAction::AssignUser { user_id } => v.assignee = user_id.map(|i| i.to_string()).unwrap_or_else(|| "none".into()),
                MacroAction::AssignTeam { team_id } => v.team = team_id.map(|i| i.to_string()).unwrap_or_else(|| "none".into()),
            }
        }
        v.add_tags = added.join(", ");
        v.remove_tags = removed.join(", ");
        v.drops = replies > 1 || notes > 1;
        v
    }

    fn typed(f: &Fields) -> Values {
        Values {
            name: f.get("name").to_string(),
            reply: typed_bodies(f, "reply_"),
            note: typed_bodies(f, "note_"),
            status: f.get("status").to_string(),
            priority: f.get("priority").to_string(),
            add_tags: f.get("add_tags").to_string(),
            remove_tags: f.get("remove_tags").to_string(),
            assignee: f.get("assignee").to_string(),
            team: f.get("team").to_string(),
            drops: false,
        }
    }

    /// The macro these values describe, actions in a fixed order.
    fn to_input(&self) -> Result<MacroInput, String> {
        let mut actions = Vec::new();
        if !self.reply.is_empty() {
            actions.push(MacroAction::Reply { kind: MessageKind::Public, bodies: self.reply.clone() });
        }
        if !self.note.is_empty() {
            actions.push(MacroAction::Reply { kind: MessageKind::Note, bodies: self.note.clone() });
        }
        if !self.status.is_empty() {
            actions.push(MacroAction::SetStatus { status: TicketStatus::parse(&self.status).map_err(|e| e.to_string())? });
        }
        if !self.priority.is_empty() {
            actions.push(MacroAction::SetPriority { priority: Priority::parse(&self.priority).map_err(|e| e.to_string())? });
        }
        let add = split_list(&self.add_tags);
        if !add.is_empty() {
            actions.push(MacroAction::AddTags { tags: add });
        }
        let remove = split_list(&self.remove_tags);
        if !remove.is_empty() {
            actions.push(MacroAction::RemoveTags { tags: remove });
        }
        let id = |field: &str, v: &str| -> Result<Option<i64>, String> {
            match v {
                "none" => Ok(None),
                v => v.parse().map(Some).map_err(|_| format!("{field}: '{v}' is not a choice")),
            }
        };
        if !self.assignee.is_empty() {
            actions.push(MacroAction::AssignUser { user_id: id("assignee", &self.assignee)? });
        }
        if !self.team.is_empty() {
            actions.push(MacroAction::AssignTeam { team_id: id("team", &self.team)? });
        }
        Ok(MacroInput { name: self.name.clone(), actions })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/macro_form.html")]
struct FormPage {
    c: Chrome,
    id: Option<i64>,
    v: Values,
    reply: LanguageBoxes,
    note: LanguageBoxes,
    /// (value, name)
    statuses: Vec<(&'static str, &'static str)>,
    priorities: Vec<(&'static str, &'static str)>,
    users: Vec<(String, String)>,
    teams: Vec<(String, String)>,
    placeholders: &'static [&'static str],
    error: Option<String>,
}

fn form_page(admin: &Admin, dir: Directory, id: Option<i64>, v: Values, error: Option<String>) -> FormPage {
    let c = admin.chrome();
    let statuses = STATUSES.iter().map(|s| (s.as_str(), c.value(s.as_str()))).collect();
    let priorities = Priority::ALL.iter().map(|p| (p.as_str(), c.value(p.as_str()))).collect();
    FormPage {
        reply: boxes(&v.reply),
        note: boxes(&v.note),
        c,
        id,
        v,
        statuses,
        priorities,
        users: dir.users.into_iter().map(|u| (u.id.to_string(), u.name)).collect(),
        teams: dir.teams.into_iter().map(|t| (t.id.to_string(), t.name)).collect(),
        placeholders: PLACEHOLDERS,
        error,
    }
}

pub async fn new_form(State(s): State<AppState>, admin: Admin) -> Response {
    match directory(&s, &admin).await {
        Ok(dir) => form_page(&admin, dir, None, Values::default(), None).into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn edit_form(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath) -> Response {
    let m = match s.store.get_macro(admin.actor(), id).await {
        Ok(m) => m,
        Err(e) => return ApiError::from(e).into_response(),
    };
    match directory(&s, &admin).await {
        Ok(dir) => form_page(&admin, dir, Some(id), Values::of(&m), None).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn save(s: &AppState, admin: &Admin, id: Option<i64>, f: Fields) -> Response {
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    let v = Values::typed(&f);
    let result = match v.to_input() {
        Err(e) => Err(e),
        Ok(input) => {
            let stored = match id {
                None => s.store.create_macro(admin.actor(), &input).await,
                Some(id) => s.store.update_macro(admin.actor(), id, &input).await,
            };
            match stored.map_err(form_error) {
                Ok(m) => Ok(m),
                Err(Ok(message)) => Err(message),
                Err(Err(not_found)) => return not_found.into_response(),
            }
        }
    };
    match result {
        Ok(_) => saved("/admin/macros"),
        Err(error) => match directory(s, admin).await {
            Ok(dir) => refused(form_page(admin, dir, id, v, Some(error))),
            Err(e) => e.into_response(),
        },
    }
}

pub async fn create(State(s): State<AppState>, admin: Admin, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    save(&s, &admin, None, Fields(pairs)).await
}

pub async fn update(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    save(&s, &admin, Some(id), Fields(pairs)).await
}

pub async fn delete(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    match s.store.delete_macro(admin.actor(), id).await {
        Ok(()) => saved("/admin/macros"),
        Err(e) => ApiError::from(e).into_response(),
    }
}
