//! What an agent does on the ticket page: reply or note (with attachments,
//! @mentions and the collision check), edit properties, merge, split.

use super::ticket::{render, Draft};
use crate::api::messages::send_message;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::pages::session::PageUser;
use crate::state::AppState;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rapport_domain::{html, CustomFieldKind, Locale, MessageKind, Priority, TicketStatus};
use rapport_store::desk::NotificationKind;
use rapport_store::model::{ListQuery, NewAttachment, NewMessage, TicketPatch};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The users a note mentions: `@` followed by a user's full name (any case).
/// Longer names win, so `@Anna Nowak` is not also `@Anna`.
pub fn mentioned(text: &str, users: &[(i64, String)]) -> Vec<i64> {
    let lower = text.to_lowercase();
    let mut by_length: Vec<&(i64, String)> = users.iter().collect();
    by_length.sort_by_key(|(_, name)| std::cmp::Reverse(name.chars().count()));
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut found = Vec::new();
    for (id, name) in by_length {
        let needle = format!("@{}", name.to_lowercase());
        let mut from = 0;
        while let Some(pos) = lower[from..].find(&needle).map(|p| p + from) {
            let end = pos + needle.len();
            let boundary = lower[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if boundary && !taken.iter().any(|(s, e)| pos < *e && end > *s) {
                taken.push((pos, end));
                if !found.contains(id) {
                    found.push(*id);
                }
            }
            from = end;
        }
    }
    found
}

struct ReplyForm {
    csrf: String,
    kind: String,
    body: String,
    seen_last: i64,
    force: bool,
    then_status: Option<String>,
    canned_id: Option<i64>,
    files: Vec<(String, String, Vec<u8>)>,
}

async fn read_reply(mut mp: Multipart) -> Result<ReplyForm, ApiError> {
    let mut f = ReplyForm {
        csrf: String::new(),
        kind: "public".into(),
        body: String::new(),
        seen_last: 0,
        force: false,
        then_status: None,
        canned_id: None,
        files: vec![],
    };
    while let Some(field) = mp.next_field().await.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_form", e.to_string()))? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let filename = field.file_name().unwrap_or_default().to_string();
            let content_type = field.content_type().unwrap_or("application/octet-stream").to_string();
            let bytes = field.bytes().await.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_form", e.to_string()))?;
            if !filename.is_empty() && !bytes.is_empty() {
                f.files.push((filename, content_type, bytes.to_vec()));
            }
            continue;
        }
        let value = field.text().await.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_form", e.to_string()))?;
        match name.as_str() {
            "csrf_token" => f.csrf = value,
            "kind" => f.kind = value,
            "body" => f.body = value,
            "seen_last" => f.seen_last = value.trim().parse().unwrap_or(0),
            "force" => f.force = !value.is_empty(),
            "then_status" if !value.is_empty() => f.then_status = Some(value),
            "canned_id" => f.canned_id = value.trim().parse().ok(),
            _ => {}
        }
    }
    Ok(f)
}

pub async fn reply(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, mp: Multipart) -> Response {
    let f = match read_reply(mp).await {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = user.check_csrf(&f.csrf) {
        return e.into_response();
    }
    let actor = &user.ctx.actor;
    let kind = if f.kind == "note" { MessageKind::Note } else { MessageKind::Public };
    // Someone else wrote on the ticket since the page was loaded: show it first.
    if !f.force {
        match s.store.list_messages(actor, id, Some(rapport_store::Cursor { k: f.seen_last, id: f.seen_last }), 100).await {
            Ok(newer) => {
                if newer.items.iter().any(|m| m.kind != MessageKind::System && m.author_user_id != Some(actor.user_id)) {
                    let draft = Draft { kind: f.kind.clone(), body: f.body.clone(), collision: true };
                    return match render(&s, &user, id, draft, None).await {
                        Ok(page) => (StatusCode::CONFLICT, page).into_response(),
                        Err(e) => e.into_response(),
                    };
                }
            }
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    let mut attachments = Vec::with_capacity(f.files.len());
    for (filename, content_type, bytes) in &f.files {
        match s.blobs.put(bytes).await {
            Ok(sha256) => attachments.push(NewAttachment {
                filename: filename.clone(),
                content_type: content_type.clone(),
                size: bytes.len() as i64,
                sha256,
            }),
            Err(e) => return ApiError::internal(e).into_response(),
        }
    }
    let input =
        NewMessage { kind, author_contact_id: None, body_html: html::text_to_html(&f.body), body_text: f.body.clone(), attachments };
    let message = match send_message(&s, actor, id, &input).await {
        Ok(m) => m,
        Err(e) => {
            let draft = Draft { kind: f.kind.clone(), body: f.body.clone(), collision: false };
            return match render(&s, &user, id, draft, Some(e.message.clone())).await {
                Ok(page) => (e.status, page).into_response(),
                Err(e) => e.into_response(),
            };
        }
    };
    if kind == MessageKind::Note {
        let users: Vec<(i64, String)> = s
            .store
            .list_users(actor, &ListQuery { limit: 100, ..Default::default() })
            .await
            .map(|p| p.items.into_iter().filter(|u| u.active).map(|u| (u.id, u.name)).collect())
            .unwrap_or_default();
        let who = mentioned(&f.body, &users);
        if !who.is_empty() {
            match s.store.notify(actor, NotificationKind::Mention, id, Some(message.id), &who).await {
                Ok(notified) => notified.into_iter().for_each(|u| s.live.notify(actor.workspace_id, u)),
                Err(e) => tracing::warn!(error = %e, "mention notifications failed"),
            }
        }
    }
    if let Some(st) = f.then_status {
        let patch = match TicketStatus::parse(&st) {
            Ok(st) => TicketPatch { status: Some(st), ..Default::default() },
            Err(e) => return ApiError::from(rapport_store::StoreError::from(e)).into_response(),
        };
        if let Err(e) = s.store.update_ticket(actor, id, &patch).await {
            return ApiError::from(e).into_response();
        }
    }
    Redirect::to(&format!("/tickets/{id}#m{}", message.id)).into_response()
}

/// Fills a canned reply, in the ticket's language, into the reply box
/// (after what is already typed), and shows the page again to edit and send.
pub async fn canned(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, mp: Multipart) -> Response {
    let f = match read_reply(mp).await {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = user.check_csrf(&f.csrf) {
        return e.into_response();
    }
    let Some(cid) = f.canned_id else { return ApiError::invalid("canned_id", "pick a canned reply").into_response() };
    let rendered = match s.store.render_canned_reply(&user.ctx.actor, id, cid).await {
        Ok(r) => r,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let body = if f.body.trim().is_empty() { rendered.text } else { format!("{}\n\n{}", f.body.trim_end(), rendered.text) };
    match render(&s, &user, id, Draft { kind: f.kind, body, collision: false }, None).await {
        Ok(page) => page.into_response(),
        Err(e) => e.into_response(),
    }
}

/// Applies a macro: its reply or note, status, priority, tags and assignment at once.
pub async fn apply_macro(
    State(s): State<AppState>,
    user: PageUser,
    IdPath(id): IdPath,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(e) = user.check_csrf(form.get("csrf_token").map(String::as_str).unwrap_or_default()) {
        return e.into_response();
    }
    let Some(macro_id) = form.get("macro_id").and_then(|v| v.parse::<i64>().ok()) else {
        return ApiError::invalid("macro_id", "pick a macro").into_response();
    };
    match s.store.apply_macro(&user.ctx.actor, id, macro_id).await {
        Ok(_) => Redirect::to(&format!("/tickets/{id}")).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            match render(&s, &user, id, Draft::default(), Some(e.message.clone())).await {
                Ok(page) => (e.status, page).into_response(),
                Err(e) => e.into_response(),
            }
        }
    }
}

pub async fn properties(
    State(s): State<AppState>,
    user: PageUser,
    IdPath(id): IdPath,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_string());
    if let Err(e) = user.check_csrf(&get("csrf_token").unwrap_or_default()) {
        return e.into_response();
    }
    let actor = &user.ctx.actor;
    let result = async {
        let opt_id = |k: &str| -> Result<Option<Option<i64>>, ApiError> {
            match get(k) {
                None => Ok(None),
                Some(v) if v.is_empty() => Ok(Some(None)),
                Some(v) => v.parse().map(|n| Some(Some(n))).map_err(|_| ApiError::invalid(k, "must be an id")),
            }
        };
        let mut patch = TicketPatch {
            status: get("status")
                .filter(|v| !v.is_empty())
                .map(|v| TicketStatus::parse(&v))
                .transpose()
                .map_err(rapport_store::StoreError::from)?,
            priority: get("priority")
                .filter(|v| !v.is_empty())
                .map(|v| Priority::parse(&v))
                .transpose()
                .map_err(rapport_store::StoreError::from)?,
            assignee_id: opt_id("assignee_id")?,
            team_id: opt_id("team_id")?,
            ..Default::default()
        };
        if let Some(l) = get("language") {
            patch.language = Some(if l.is_empty() { None } else { Some(Locale::parse(&l).map_err(rapport_store::StoreError::from)?) });
        }
        if let Some(tags) = get("tags") {
            patch.tags = Some(tags.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect());
        }
        let defs = s.store.list_custom_fields(actor).await?;
        let mut custom = Map::new();
        for def in defs {
            let Some(raw) = get(&format!("cf_{}", def.key)) else { continue };
            let value = if raw.is_empty() {
                Value::Null
            } else {
                match def.kind {
                    CustomFieldKind::Number => raw
                        .parse::<f64>()
                        .map(Value::from)
                        .map_err(|_| ApiError::invalid("custom_fields", format!("{} must be a number", def.label)))?,
                    CustomFieldKind::Boolean => Value::Bool(raw == "true"),
                    _ => Value::String(raw),
                }
            };
            custom.insert(def.key, value);
        }
        if !custom.is_empty() {
            patch.custom_fields = Some(custom);
        }
        s.store.update_ticket(actor, id, &patch).await.map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/tickets/{id}")).into_response(),
        Err(e) => match render(&s, &user, id, Draft::default(), Some(e.message.clone())).await {
            Ok(page) => (e.status, page).into_response(),
            Err(e) => e.into_response(),
        },
    }
}

pub async fn merge(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Err(e) = user.check_csrf(form.get("csrf_token").map(String::as_str).unwrap_or_default()) {
        return e.into_response();
    }
    let target = form.get("into").and_then(|v| v.trim().trim_start_matches('#').parse::<i64>().ok());
    let result = match target {
        Some(t) => s.store.merge_tickets(&user.ctx.actor, id, t).await.map_err(ApiError::from),
        None => Err(ApiError::invalid("into", "give the number of the ticket to merge into")),
    };
    match result {
        Ok(t) => Redirect::to(&format!("/tickets/{}", t.id)).into_response(),
        Err(e) => match render(&s, &user, id, Draft::default(), Some(e.message.clone())).await {
            Ok(page) => (e.status, page).into_response(),
            Err(e) => e.into_response(),
        },
    }
}

pub async fn split(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Err(e) = user.check_csrf(form.get("csrf_token").map(String::as_str).unwrap_or_default()) {
        return e.into_response();
    }
    let Some(message_id) = form.get("message_id").and_then(|v| v.parse::<i64>().ok()) else {
        return ApiError::invalid("message_id", "missing").into_response();
    };
    match s.store.split_message(&user.ctx.actor, message_id).await {
        Ok(t) => Redirect::to(&format!("/tickets/{}", t.id)).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            match render(&s, &user, id, Draft::default(), Some(e.message.clone())).await {
                Ok(page) => (e.status, page).into_response(),
                Err(e) => e.into_response(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mentioned;

    #[test]
    fn mentions_match_whole_names_longest_first() {
        let users = vec![(1, "Anna".to_string()), (2, "Anna Nowak".to_string()), (3, "Trần Văn Minh".to_string()), (4, "Ola".to_string())];
        assert_eq!(mentioned("@anna nowak, zobacz proszę", &users), vec![2]);
        assert_eq!(mentioned("@Anna i @Trần Văn Minh xem giúp", &users), vec![3, 1]);
        // Not a mention: part of a longer word, or no @.
        assert!(mentioned("@Olaf pisze; Anna też", &users).is_empty());
        assert_eq!(mentioned("@Ola.", &users), vec![4]);
    }
}
