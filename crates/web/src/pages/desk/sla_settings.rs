//! Admin page for SLA targets: per priority, minutes to the first reply and to resolution.

use super::frame::Frame;
use crate::error::ApiError;
use crate::pages::session::PageUser;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rapport_domain::{Permission, Priority};
use rapport_store::sla::SlaPolicyInput;
use std::collections::HashMap;

pub struct Row {
    pub priority: &'static str,
    pub first_response: String,
    pub resolution: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/sla.html")]
pub struct SlaPage {
    pub frame: Frame,
    pub rows: Vec<Row>,
    pub error: Option<String>,
    pub saved: bool,
}

async fn page(s: &AppState, user: &PageUser, error: Option<String>, saved: bool) -> Result<SlaPage, ApiError> {
    user.ctx.actor.require(Permission::ManageDirectory).map_err(rapport_store::StoreError::from)?;
    let policies = s.store.list_sla_policies(&user.ctx.actor).await?;
    let rows = Priority::ALL
        .iter()
        .rev()
        .map(|p| {
            let policy = policies.iter().find(|x| x.priority == *p);
            let show = |v: Option<i64>| v.map(|m| m.to_string()).unwrap_or_default();
            Row {
                priority: p.as_str(),
                first_response: show(policy.and_then(|x| x.first_response_minutes)),
                resolution: show(policy.and_then(|x| x.resolution_minutes)),
            }
        })
        .collect();
    Ok(SlaPage { frame: Frame::new(s, user).await, rows, error, saved })
}

pub async fn show(State(s): State<AppState>, user: PageUser, axum::extract::RawQuery(q): axum::extract::RawQuery) -> Response {
    match page(&s, &user, None, q.as_deref() == Some("saved")).await {
        Ok(p) => p.into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn save(State(s): State<AppState>, user: PageUser, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Err(e) = user.check_csrf(form.get("csrf_token").map(String::as_str).unwrap_or_default()) {
        return e.into_response();
    }
    let minutes = |k: String| -> Result<Option<i64>, ApiError> {
        match form.get(&k).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| ApiError::invalid("minutes", format!("'{v}' is not a number of minutes"))),
        }
    };
    for p in Priority::ALL {
        let input = match (minutes(format!("frt_{p}")), minutes(format!("res_{p}"))) {
            (Ok(f), Ok(r)) => SlaPolicyInput { first_response_minutes: f, resolution_minutes: r },
            (Err(e), _) | (_, Err(e)) => return render_error(&s, &user, e).await,
        };
        if let Err(e) = s.store.set_sla_policy(&user.ctx.actor, *p, &input).await {
            return render_error(&s, &user, ApiError::from(e)).await;
        }
    }
    Redirect::to("/admin/sla?saved").into_response()
}

async fn render_error(s: &AppState, user: &PageUser, e: ApiError) -> Response {
    match page(s, user, Some(e.message.clone()), false).await {
        Ok(p) => (if e.status == StatusCode::FORBIDDEN { e.status } else { StatusCode::UNPROCESSABLE_ENTITY }, p).into_response(),
        Err(e) => e.into_response(),
    }
}
