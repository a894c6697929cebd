//! Canned replies: the shared ones and the admin's own, with a form that has
//! one text box per language and the list of placeholders.

use super::{form_error, refused, saved, Admin, Chrome, Fields, SavedQuery, LANGUAGES};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rapport_domain::canned::{LocalizedText, PLACEHOLDERS};
use rapport_domain::{Locale, Permission};
use rapport_store::replies::{CannedReply, CannedReplyInput};

struct Row {
    reply: CannedReply,
    languages: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/canned_replies.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    saved: bool,
}

/// The languages a text has, named in themselves.
pub fn language_names(bodies: &LocalizedText) -> String {
    LANGUAGES.iter().filter(|(l, _)| bodies.contains_key(l)).map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
}

pub async fn list(State(s): State<AppState>, admin: Admin, Query(q): Query<SavedQuery>) -> Response {
    match s.store.list_canned_replies(admin.actor()).await {
        Ok(list) => {
            let rows = list.into_iter().map(|reply| Row { languages: language_names(&reply.bodies), reply }).collect();
            ListPage { c: admin.chrome(), rows, saved: q.saved.is_some() }.into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// One text box per language: (locale, its name, the text).
pub type LanguageBoxes = Vec<(Locale, &'static str, String)>;

pub fn boxes(bodies: &LocalizedText) -> LanguageBoxes {
    LANGUAGES.iter().map(|(l, n)| (*l, *n, bodies.get(l).cloned().unwrap_or_default())).collect()
}

/// The texts typed into the boxes named `<prefix><locale>`.
pub fn typed_bodies(f: &Fields, prefix: &str) -> LocalizedText {
    LANGUAGES.iter().map(|(l, _)| (*l, f.get(&format!("{prefix}{l}")).to_string())).filter(|(_, t)| !t.trim().is_empty()).collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/canned_form.html")]
struct FormPage {
    c: Chrome,
    id: Option<i64>,
    name: String,
    shortcut: String,
    shared: bool,
    bodies: LanguageBoxes,
    placeholders: &'static [&'static str],
    error: Option<String>,
}

impl FormPage {
    fn new(c: Chrome, id: Option<i64>) -> FormPage {
        FormPage {
            c,
            id,
            name: String::new(),
            shortcut: String::new(),
            shared: true,
            bodies: boxes(&LocalizedText::new()),
            placeholders: PLACEHOLDERS,
            error: None,
        }
    }
}

pub async fn new_form(admin: Admin) -> Response {
    FormPage::new(admin.chrome(), None).into_response()
}

pub async fn edit_form(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath) -> Response {
    match s.store.get_canned_reply(admin.actor(), id).await {
        Ok(r) => {
            let mut page = FormPage::new(admin.chrome(), Some(id));
            page.name = r.name;
            page.shortcut = r.shortcut.unwrap_or_default();
            page.shared = r.owner_user_id.is_none();
            page.bodies = boxes(&r.bodies);
            page.into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn save(s: &AppState, admin: &Admin, id: Option<i64>, f: Fields) -> Response {
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    if let Err(e) = admin.actor().require(Permission::ManageDirectory) {
        return ApiError::from(e).into_response();
    }
    let input = CannedReplyInput {
        name: f.get("name").to_string(),
        shortcut: Some(f.get("shortcut").to_string()),
        bodies: typed_bodies(&f, "body_"),
        shared: f.has("shared"),
    };
    let result = match id {
        None => s.store.create_canned_reply(admin.actor(), &input).await,
        Some(id) => s.store.update_canned_reply(admin.actor(), id, &input).await,
    };
    match result {
        Ok(_) => saved("/admin/canned-replies"),
        Err(e) => {
            let error = match form_error(e) {
                Ok(m) => m,
                Err(r) => return r.into_response(),
            };
            let mut page = FormPage::new(admin.chrome(), id);
            page.name = input.name;
            page.shortcut = f.get("shortcut").to_string();
            page.shared = input.shared;
            page.bodies = LANGUAGES.iter().map(|(l, n)| (*l, *n, f.get(&format!("body_{l}")).to_string())).collect();
            page.error = Some(error);
            refused(page)
        }
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
    match s.store.delete_canned_reply(admin.actor(), id).await {
        Ok(()) => saved("/admin/canned-replies"),
        Err(e) => ApiError::from(e).into_response(),
    }
}
