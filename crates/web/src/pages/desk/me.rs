//! The signed-in user's own things: notifications and interface language.

use super::frame::Frame;
use crate::error::ApiError;
use crate::pages::session::PageUser;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rapport_domain::{Actor, Locale};
use rapport_store::model::UserPatch;
use serde::Deserialize;

pub struct NotificationRow {
    pub ticket_id: i64,
    pub who: String,
    pub when: String,
    pub unread: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/notifications.html")]
pub struct NotificationsPage {
    pub frame: Frame,
    pub rows: Vec<NotificationRow>,
}

pub async fn notifications(State(s): State<AppState>, user: PageUser) -> Response {
    let actor = &user.ctx.actor;
    let list = match s.store.list_notifications(actor, false, 100).await {
        Ok(l) => l,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let mut rows = Vec::with_capacity(list.len());
    for n in list {
        let who = match n.actor_user_id {
            Some(u) => s.store.get_user(actor, u).await.map(|u| u.name).unwrap_or_else(|_| format!("#{u}")),
            None => "Rapport".into(),
        };
        rows.push(NotificationRow {
            ticket_id: n.ticket_id.unwrap_or_default(),
            who,
            when: n.created_at.to_datetime().format("%Y-%m-%d %H:%M").to_string(),
            unread: n.read_at.is_none(),
        });
    }
    NotificationsPage { frame: Frame::new(&s, &user).await, rows }.into_response()
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf_token: String,
}

pub async fn mark_read(State(s): State<AppState>, user: PageUser, Form(f): Form<CsrfForm>) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    match s.store.mark_notifications_read(&user.ctx.actor, None).await {
        Ok(()) => Redirect::to("/notifications").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    csrf_token: String,
    language: String,
}

/// Sets the interface language, then goes back where the user was.
pub async fn language(State(s): State<AppState>, user: PageUser, headers: HeaderMap, Form(f): Form<LanguageForm>) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    let locale = match Locale::parse(&f.language) {
        Ok(l) => l,
        Err(e) => return ApiError::from(rapport_store::StoreError::from(e)).into_response(),
    };
    // One's own language needs no directory rights; only that field is written.
    let me = &user.ctx.user;
    let own = Actor::system(me.workspace_id);
    if let Err(e) = s.store.update_user(&own, me.id, &UserPatch { locale: Some(locale), ..Default::default() }, None).await {
        return ApiError::from(e).into_response();
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.find("://").map(|i| &r[i + 3..]).and_then(|rest| rest.find('/').map(|j| rest[j..].to_string())))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    Redirect::to(&back).into_response()
}
