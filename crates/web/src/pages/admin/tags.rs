//! Tags: add, rename and delete, all on one page.

use super::{form_error, reason, refused, saved, Admin, Chrome, Fields, SavedQuery};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rapport_store::model::Tag;

#[derive(Template, WebTemplate)]
#[template(path = "admin/tags.html")]
struct ListPage {
    c: Chrome,
    tags: Vec<Tag>,
    saved: bool,
    /// The add form, as typed.
    name: String,
    error: Option<String>,
}

async fn page(s: &AppState, admin: &Admin, saved: bool, name: String, error: Option<String>) -> Response {
    match s.store.list_tags(admin.actor()).await {
        Ok(tags) => {
            let p = ListPage { c: admin.chrome(), tags, saved, name, error };
            if p.error.is_some() {
                refused(p)
            } else {
                p.into_response()
            }
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn list(State(s): State<AppState>, admin: Admin, Query(q): Query<SavedQuery>) -> Response {
    page(&s, &admin, q.saved.is_some(), String::new(), None).await
}

pub async fn create(State(s): State<AppState>, admin: Admin, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    match s.store.create_tag(admin.actor(), f.get("name")).await {
        Ok(_) => saved("/admin/tags"),
        Err(e) => page(&s, &admin, false, f.get("name").to_string(), Some(reason(e))).await,
    }
}

pub async fn rename(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    match s.store.rename_tag(admin.actor(), id, f.get("name")).await {
        Ok(_) => saved("/admin/tags"),
        Err(e) => match form_error(e) {
            Ok(m) => page(&s, &admin, false, String::new(), Some(m)).await,
            Err(r) => r.into_response(),
        },
    }
}

pub async fn delete(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    match s.store.delete_tag(admin.actor(), id).await {
        Ok(()) => saved("/admin/tags"),
        Err(e) => ApiError::from(e).into_response(),
    }
}
