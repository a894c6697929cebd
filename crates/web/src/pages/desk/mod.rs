//! The agent desk: the unified inbox, the ticket view with the customer
//! panel, live updates (SSE), notifications and the user's language.
//!
//! Pages are whole server-rendered documents. Live updates re-fetch the
//! current page and swap the parts marked `data-live` (see `assets/desk.js`),
//! so there is one template per page and no second rendering path.

mod bulk;
pub(crate) mod frame;
mod inbox;
mod live_sse;
mod me;
mod sla_settings;
mod ticket;
mod ticket_actions;
mod views;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(inbox::show))
        .route("/inbox/bulk", post(bulk::apply))
        .route("/views", post(views::create))
        .route("/views/{id}/delete", post(views::delete))
        .route("/tickets/{id}", get(ticket::show))
        .route("/tickets/{id}/reply", post(ticket_actions::reply))
        .route("/tickets/{id}/properties", post(ticket_actions::properties))
        .route("/tickets/{id}/canned", post(ticket_actions::canned))
        .route("/tickets/{id}/macro", post(ticket_actions::apply_macro))
        .route("/tickets/{id}/merge", post(ticket_actions::merge))
        .route("/tickets/{id}/split", post(ticket_actions::split))
        .route("/tickets/{id}/presence", post(live_sse::presence))
        .route("/live", get(live_sse::stream))
        .route("/notifications", get(me::notifications))
        .route("/notifications/read", post(me::mark_read))
        .route("/me/language", post(me::language))
        .route("/admin/sla", get(sla_settings::show).post(sla_settings::save))
        .route("/assets/desk.js", get(frame::script))
        .route("/assets/desk.css", get(frame::style))
}
