//! Saving and deleting inbox views.

use crate::error::ApiError;
use crate::extract::IdPath;
use crate::pages::session::PageUser;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rapport_store::desk::NewSavedView;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SaveForm {
    csrf_token: String,
    name: String,
    filters: String,
    shared: Option<String>,
}

pub async fn create(State(s): State<AppState>, user: PageUser, Form(f): Form<SaveForm>) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    let input = NewSavedView { name: f.name, filters: f.filters, shared: f.shared.is_some() };
    match s.store.create_saved_view(&user.ctx.actor, &input).await {
        Ok(v) => Redirect::to(&format!("/?view=saved-{}", v.id)).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf_token: String,
}

pub async fn delete(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, Form(f): Form<CsrfForm>) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    match s.store.delete_saved_view(&user.ctx.actor, id).await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
