//! Admin pages. Every handler takes a [`PageUser`](super::session::PageUser);
//! the store refuses non-admins, and forms carry the session's CSRF token.

mod held_mail;
mod mailboxes;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/mailboxes", get(mailboxes::list))
        .route("/admin/mailboxes/new", get(mailboxes::new_form).post(mailboxes::create))
        .route("/admin/mailboxes/{id}", get(mailboxes::edit_form).post(mailboxes::update))
        .route("/admin/mailboxes/{id}/delete", post(mailboxes::delete))
        .route("/admin/held-mail", get(held_mail::list))
        .route("/admin/held-mail/{id}/reprocess", post(held_mail::reprocess))
}
