//! Teams: list and add on one page; rename, restrict and choose members on
//! the team's own page, where it can also be deleted.

use super::{form_error, reason, refused, saved, Admin, Chrome, Fields, SavedQuery};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rapport_store::model::{ListQuery, NewTeam, Team, TeamPatch, User};

#[derive(Template, WebTemplate)]
#[template(path = "admin/teams.html")]
struct ListPage {
    c: Chrome,
    teams: Vec<Team>,
    saved: bool,
    name: String,
    restricted: bool,
    error: Option<String>,
}

async fn list_page(s: &AppState, admin: &Admin, saved: bool) -> Result<ListPage, ApiError> {
    let teams = s.store.list_teams(admin.actor()).await?;
    Ok(ListPage { c: admin.chrome(), teams, saved, name: String::new(), restricted: false, error: None })
}

pub async fn list(State(s): State<AppState>, admin: Admin, Query(q): Query<SavedQuery>) -> Response {
    match list_page(&s, &admin, q.saved.is_some()).await {
        Ok(page) => page.into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn create(State(s): State<AppState>, admin: Admin, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    let input = NewTeam { name: f.get("name").to_string(), restricted: f.has("restricted"), member_ids: vec![] };
    match s.store.create_team(admin.actor(), &input).await {
        Ok(team) => saved(&format!("/admin/teams/{}", team.id)),
        Err(e) => match list_page(&s, &admin, false).await {
            Ok(mut page) => {
                page.name = input.name;
                page.restricted = input.restricted;
                page.error = Some(reason(e));
                refused(page)
            }
            Err(e) => e.into_response(),
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/team_form.html")]
struct FormPage {
    c: Chrome,
    id: i64,
    name: String,
    restricted: bool,
    member_ids: Vec<i64>,
    users: Vec<User>,
    saved: bool,
    error: Option<String>,
}

/// The users who can be members: everyone active, plus inactive current members (so they can be removed).
async fn candidates(s: &AppState, admin: &Admin, members: &[i64]) -> Result<Vec<User>, ApiError> {
    let mut out = Vec::new();
    let mut q = ListQuery { limit: 200, ..Default::default() };
    loop {
        let page = s.store.list_users(admin.actor(), &q).await?;
        out.extend(page.items.into_iter().filter(|u| u.active || members.contains(&u.id)));
        match page.next_cursor.as_deref().and_then(rapport_store::Cursor::decode) {
            Some(c) => q.cursor = Some(c),
            None => return Ok(out),
        }
    }
}

pub async fn edit_form(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath, Query(q): Query<SavedQuery>) -> Response {
    let team = match s.store.get_team(admin.actor(), id).await {
        Ok(t) => t,
        Err(e) => return ApiError::from(e).into_response(),
    };
    match candidates(&s, &admin, &team.member_ids).await {
        Ok(users) => FormPage {
            c: admin.chrome(),
            id,
            name: team.name,
            restricted: team.restricted,
            member_ids: team.member_ids,
            users,
            saved: q.saved.is_some(),
            error: None,
        }
        .into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn update(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    let patch =
        TeamPatch { name: Some(f.get("name").to_string()), restricted: Some(f.has("restricted")), member_ids: Some(f.ids("member_ids")) };
    match s.store.update_team(admin.actor(), id, &patch).await {
        Ok(_) => saved("/admin/teams"),
        Err(e) => {
            let error = match form_error(e) {
                Ok(m) => m,
                Err(r) => return r.into_response(),
            };
            let members = patch.member_ids.clone().unwrap_or_default();
            match candidates(&s, &admin, &members).await {
                Ok(users) => refused(FormPage {
                    c: admin.chrome(),
                    id,
                    name: f.get("name").to_string(),
                    restricted: f.has("restricted"),
                    member_ids: members,
                    users,
                    saved: false,
                    error: Some(error),
                }),
                Err(e) => e.into_response(),
            }
        }
    }
}

pub async fn delete(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    match s.store.delete_team(admin.actor(), id).await {
        Ok(()) => saved("/admin/teams"),
        Err(e) => ApiError::from(e).into_response(),
    }
}
