//! Users: list, add (with an optional first password), and edit name, role,
//! language, active flag, password and team membership.

use super::{reason, refused, saved, Admin, Chrome, Fields, SavedQuery, LANGUAGES};
use crate::auth::password;
use crate::error::ApiError;
use crate::extract::IdPath;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rapport_domain::{Locale, Role};
use rapport_store::model::{ListQuery, NewUser, Team, User, UserPatch};
use rapport_store::{Store, StoreError};

use crate::state::AppState;

struct Row {
    user: User,
    role: &'static str,
    teams: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    saved: bool,
}

/// Every user of the workspace, by id (a workspace has hundreds at most).
async fn all_users(store: &dyn Store, admin: &Admin) -> Result<Vec<User>, StoreError> {
    let mut out = Vec::new();
    let mut q = ListQuery { limit: 200, ..Default::default() };
    loop {
        let page = store.list_users(admin.actor(), &q).await?;
        out.extend(page.items);
        match page.next_cursor.as_deref().and_then(rapport_store::Cursor::decode) {
            Some(c) => q.cursor = Some(c),
            None => return Ok(out),
        }
    }
}

pub async fn list(State(s): State<AppState>, admin: Admin, Query(q): Query<SavedQuery>) -> Response {
    let (users, teams) = match tokio::try_join!(all_users(s.store.as_ref(), &admin), s.store.list_teams(admin.actor())) {
        Ok(v) => v,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let c = admin.chrome();
    let rows = users
        .into_iter()
        .map(|user| {
            let names: Vec<&str> = teams.iter().filter(|t| user.team_ids.contains(&t.id)).map(|t| t.name.as_str()).collect();
            Row { role: c.role_name(user.role), teams: names.join(", "), user }
        })
        .collect();
    ListPage { c, rows, saved: q.saved.is_some() }.into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/user_form.html")]
struct FormPage {
    c: Chrome,
    /// `None`: a new user.
    id: Option<i64>,
    is_self: bool,
    email: String,
    name: String,
    role: Role,
    locale: Locale,
    active: bool,
    team_ids: Vec<i64>,
    teams: Vec<Team>,
    roles: Vec<(Role, &'static str)>,
    languages: [(Locale, &'static str); 3],
    error: Option<String>,
}

impl FormPage {
    fn new(admin: &Admin, id: Option<i64>, teams: Vec<Team>) -> FormPage {
        let c = admin.chrome();
        let roles = Role::ALL.iter().map(|r| (*r, c.role_name(*r))).collect();
        FormPage {
            c,
            id,
            is_self: id == Some(admin.actor().user_id),
            email: String::new(),
            name: String::new(),
            role: Role::Agent,
            locale: admin.locale(),
            active: true,
            team_ids: vec![],
            teams,
            roles,
            languages: LANGUAGES,
            error: None,
        }
    }

    /// Takes what was typed, so a refused form comes back as it was.
    fn typed(mut self, f: &Fields) -> FormPage {
        self.email = f.get("email").to_string();
        self.name = f.get("name").to_string();
        self.role = Role::parse(f.get("role")).unwrap_or(self.role);
        self.locale = Locale::parse(f.get("locale")).unwrap_or(self.locale);
        self.active = f.has("active");
        self.team_ids = f.ids("team_ids");
        self
    }
}

pub async fn new_form(State(s): State<AppState>, admin: Admin) -> Response {
    match s.store.list_teams(admin.actor()).await {
        Ok(teams) => FormPage::new(&admin, None, teams).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn edit_form(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath) -> Response {
    let (user, teams) = match tokio::try_join!(s.store.get_user(admin.actor(), id), s.store.list_teams(admin.actor())) {
        Ok(v) => v,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let mut page = FormPage::new(&admin, Some(id), teams);
    page.email = user.email;
    page.name = user.name;
    page.role = user.role;
    page.locale = user.locale;
    page.active = user.active;
    page.team_ids = user.team_ids;
    page.into_response()
}

/// The password typed, hashed; `Ok(None)` when left empty.
async fn new_password(admin: &Admin, f: &Fields) -> Result<Option<String>, String> {
    let typed = f.get("password");
    if typed.is_empty() {
        return Ok(None);
    }
    password::check_strength(typed).map_err(|_| admin.chrome().t.password_too_short.to_string())?;
    Ok(Some(password::hash(typed.to_string()).await))
}

pub async fn create(State(s): State<AppState>, admin: Admin, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    let result = async {
        let hash = new_password(&admin, &f).await?;
        let input = NewUser {
            email: f.get("email").to_string(),
            name: f.get("name").to_string(),
            role: Role::parse(f.get("role")).map_err(|e| e.to_string())?,
            locale: Some(Locale::parse(f.get("locale")).map_err(|e| e.to_string())?),
            password: None,
        };
        let user = s.store.create_user(admin.actor(), &input, hash.as_deref()).await.map_err(reason)?;
        let teams = f.ids("team_ids");
        if !teams.is_empty() {
            s.store.set_user_teams(admin.actor(), user.id, &teams).await.map_err(reason)?;
        }
        Ok::<_, String>(())
    }
    .await;
    match result {
        Ok(()) => saved("/admin/users"),
        Err(error) => form_again(&s, &admin, None, &f, error).await,
    }
}

pub async fn update(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    let before = match s.store.get_user(admin.actor(), id).await {
        Ok(u) => u,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let result = async {
        let active = f.has("active");
        if id == admin.actor().user_id && !active {
            return Err(admin.chrome().t.cannot_deactivate_self.to_string());
        }
        let hash = new_password(&admin, &f).await?;
        let patch = UserPatch {
            name: Some(f.get("name").to_string()),
            role: Some(Role::parse(f.get("role")).map_err(|e| e.to_string())?).filter(|r| *r != before.role),
            locale: Some(Locale::parse(f.get("locale")).map_err(|e| e.to_string())?),
            active: Some(active),
            password: None,
        };
        s.store.update_user(admin.actor(), id, &patch, hash.as_deref()).await.map_err(reason)?;
        let mut teams = f.ids("team_ids");
        teams.sort_unstable();
        teams.dedup();
        if teams != before.team_ids {
            s.store.set_user_teams(admin.actor(), id, &teams).await.map_err(reason)?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => saved("/admin/users"),
        Err(error) => form_again(&s, &admin, Some(id), &f, error).await,
    }
}

async fn form_again(s: &AppState, admin: &Admin, id: Option<i64>, f: &Fields, error: String) -> Response {
    let teams = s.store.list_teams(admin.actor()).await.unwrap_or_default();
    let mut page = FormPage::new(admin, id, teams).typed(f);
    if let Some(id) = id {
        // The address cannot be changed; show the stored one.
        page.email = s.store.get_user(admin.actor(), id).await.map(|u| u.email).unwrap_or_default();
    }
    page.error = Some(error);
    refused(page)
}
