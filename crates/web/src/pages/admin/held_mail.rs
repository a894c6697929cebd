//! Held inbound mail: raw messages kept with the reason they did not become
//! tickets, and a button to process one again.

use super::mailboxes::CsrfForm;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::pages::i18n::Texts;
use crate::pages::session::PageUser;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rapport_domain::Role;
use rapport_store::model::RawInbound;

#[derive(Template, WebTemplate)]
#[template(path = "admin/held_mail.html")]
struct HeldPage {
    lang: &'static str,
    t: &'static Texts,
    user_name: String,
    csrf_token: String,
    is_admin: bool,
    held: Vec<RawInbound>,
}

pub async fn list(State(s): State<AppState>, user: PageUser) -> Response {
    match s.store.list_raw_inbound(&user.ctx.actor, Some("failed"), 200).await {
        Ok(held) => HeldPage {
            lang: user.ctx.user.locale.as_str(),
            t: user.texts(),
            user_name: user.ctx.user.name.clone(),
            csrf_token: user.csrf_token.clone(),
            is_admin: user.ctx.actor.role == Role::Admin,
            held,
        }
        .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn reprocess(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, Form(f): Form<CsrfForm>) -> Response {
    if let Err(r) = user.check_csrf(&f.csrf_token) {
        return r.into_response();
    }
    match crate::api::mail::reprocess(&s, &user.ctx.actor, id).await {
        Ok(r) => match r.ticket_id {
            Some(t) => Redirect::to(&format!("/tickets/{t}")).into_response(),
            None => Redirect::to("/admin/held-mail").into_response(),
        },
        Err(e) => e.into_response(),
    }
}
