//! Bulk actions on the inbox's selected tickets: assign, set status, add a
//! tag, merge into one ticket. Each ticket goes through the same store call
//! as a single edit, so permissions, audit and system events are the same.

use super::inbox::{pairs, render};
use crate::pages::session::PageUser;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_domain::TicketStatus;
use rapport_store::model::TicketPatch;

pub async fn apply(State(s): State<AppState>, user: PageUser, body: Bytes) -> Response {
    let form = pairs(&String::from_utf8_lossy(&body));
    let get = |k: &str| form.iter().find(|(fk, _)| fk == k).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty());
    if let Err(e) = user.check_csrf(&get("csrf_token").unwrap_or_default()) {
        return e.into_response();
    }
    let ids: Vec<i64> = form.iter().filter(|(k, _)| k == "id").filter_map(|(_, v)| v.parse().ok()).collect();
    let return_to = get("return_to").filter(|r| r.starts_with('/') && !r.starts_with("//")).unwrap_or_else(|| "/".into());
    let query = return_to.split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default();
    let d = crate::pages::desk_i18n::desk_texts(user.ctx.user.locale);

    let mut patch = TicketPatch::default();
    let mut error: Option<String> = None;
    if let Some(a) = get("assign") {
        patch.assignee_id = Some(if a == "none" { None } else { a.parse().ok() });
    }
    if let Some(st) = get("status") {
        match TicketStatus::parse(&st) {
            Ok(st) => patch.status = Some(st),
            Err(e) => error = Some(e.to_string()),
        }
    }
    if let Some(tag) = get("tag") {
        patch.add_tags = vec![tag];
    }
    let merge_into: Option<i64> = get("merge_into").and_then(|m| m.parse().ok());
    let actor = &user.ctx.actor;
    let mut changed = 0;
    if error.is_none() && !ids.is_empty() {
        let has_patch = patch.assignee_id.is_some() || patch.status.is_some() || !patch.add_tags.is_empty();
        for id in &ids {
            let mut result = Ok(());
            if has_patch {
                result = s.store.update_ticket(actor, *id, &patch).await.map(|_| ());
            }
            if let (Ok(()), Some(target)) = (&result, merge_into) {
                if *id != target {
                    result = s.store.merge_tickets(actor, *id, target).await.map(|_| ());
                }
            }
            match result {
                Ok(()) => changed += 1,
                Err(e) => {
                    error = Some(format!("#{id}: {e}"));
                    break;
                }
            }
        }
    }
    match error {
        None => Redirect::to(&return_to).into_response(),
        Some(e) => {
            let mut page = render(&s, &user, &query, Some(format!("{}: {changed}", d.bulk_done))).await;
            page.error = Some(e);
            (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
    }
}
