//! Surveys (CSAT, CES, NPS): settings, answers on tickets and contacts,
//! invitations for the chat widget, follow-up tasks; and the public answer
//! endpoints (signed token, no sign-in, rate-limited).

use crate::api::kb::public::ClientAddr;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::pages::surveys::{self as public, token};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rapport_domain::{Id, Timestamp};
use rapport_store::page::clamp_limit;
use rapport_store::surveys::{Answer, Invitation, ResponseQuery, Survey, SurveyInput, SurveyResponse, Task, TaskQuery};
use rapport_store::Page;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

#[utoipa::path(get, path = "/surveys", tag = "surveys", responses((status = 200, body = Vec<Survey>)))]
pub async fn list_surveys(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<Survey>>> {
    Ok(Json(s.store.list_surveys(&a.actor).await?))
}

/// Create a survey (admins only). Unset numbers take the kind's defaults.
#[utoipa::path(post, path = "/surveys", tag = "surveys", request_body = SurveyInput,
    responses((status = 201, body = Survey), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_survey(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<SurveyInput>,
) -> ApiResult<(StatusCode, Json<Survey>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_survey(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/surveys/{id}", tag = "surveys", params(("id" = i64, Path)), responses((status = 200, body = Survey), (status = 404, body = ErrorBody)))]
pub async fn get_survey(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Survey>> {
    Ok(Json(s.store.get_survey(&a.actor, id).await?))
}

/// Replace a survey's settings (admins only); its kind cannot change.
#[utoipa::path(put, path = "/surveys/{id}", tag = "surveys", params(("id" = i64, Path)), request_body = SurveyInput,
    responses((status = 200, body = Survey), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_survey(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<SurveyInput>,
) -> ApiResult<Json<Survey>> {
    Ok(Json(s.store.update_survey(&a.actor, id, &input).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ResponseParams {
    ticket: Option<Id>,
    contact: Option<Id>,
    survey: Option<Id>,
    cursor: Option<String>,
    limit: Option<u32>,
}

/// Survey answers, newest first: of a ticket, of a contact (their timeline), of a survey.
#[utoipa::path(get, path = "/survey-responses", tag = "surveys", params(ResponseParams),
    responses((status = 200, body = Page<SurveyResponse>), (status = 404, body = ErrorBody)))]
pub async fn list_responses(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<ResponseParams>,
) -> ApiResult<Json<Page<SurveyResponse>>> {
    let q = ResponseQuery {
        ticket_id: p.ticket,
        contact_id: p.contact,
        survey_id: p.survey,
        cursor: super::parse_cursor(p.cursor.as_deref())?,
        limit: clamp_limit(p.limit),
    };
    Ok(Json(s.store.list_responses(&a.actor, &q).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteInput {
    pub survey_id: Id,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationLink {
    pub invitation: Invitation,
    /// The public answer page; `None` when the invitation was skipped (see its `skip_reason`).
    pub url: Option<String>,
    /// For the widget: `GET`/`POST /api/v1/public/surveys/{token}`.
    pub token: Option<String>,
}

/// Invite the ticket's requester now and get the answer link (the chat widget
/// shows it in the conversation). One invitation per ticket and survey; the
/// contact's throttle applies.
#[utoipa::path(post, path = "/tickets/{id}/survey-invitations", tag = "surveys", params(("id" = i64, Path)), request_body = InviteInput,
    responses((status = 200, body = InvitationLink), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn invite(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<InviteInput>,
) -> ApiResult<Json<InvitationLink>> {
    let invitation = s.store.invite_for_ticket(&a.actor, input.survey_id, id).await?;
    let sent = invitation.status != rapport_store::surveys::InvitationStatus::Skipped;
    let tok = sent.then(|| token::sign(&s.secrets, invitation.id));
    Ok(Json(InvitationLink { url: tok.as_ref().map(|t| token::url(&s.config.public_url, t)), token: tok, invitation }))
}

#[utoipa::path(get, path = "/tickets/{id}/survey-invitations", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Invitation>), (status = 404, body = ErrorBody)))]
pub async fn list_invitations(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Vec<Invitation>>> {
    Ok(Json(s.store.list_invitations(&a.actor, Some(id), 50).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TaskParams {
    /// `me`, or a user id.
    owner: Option<String>,
    ticket: Option<Id>,
    /// Only open tasks (default true).
    open: Option<bool>,
    limit: Option<u32>,
}

/// Follow-up tasks (for example, call back a detractor).
#[utoipa::path(get, path = "/tasks", tag = "surveys", params(TaskParams), responses((status = 200, body = Vec<Task>), (status = 422, body = ErrorBody)))]
pub async fn list_tasks(State(s): State<AppState>, Auth(a): Auth, ApiQuery(p): ApiQuery<TaskParams>) -> ApiResult<Json<Vec<Task>>> {
    let owner = match p.owner.as_deref() {
        None | Some("") => None,
        Some("me") => Some(a.actor.user_id),
        Some(id) => Some(id.parse().map_err(|_| ApiError::invalid("owner", "use `me` or a user id"))?),
    };
    let q = TaskQuery { owner_user_id: owner, ticket_id: p.ticket, open_only: p.open.unwrap_or(true), limit: clamp_limit(p.limit) };
    Ok(Json(s.store.list_tasks(&a.actor, &q).await?))
}

#[utoipa::path(post, path = "/tasks/{id}/done", tag = "surveys", params(("id" = i64, Path)), responses((status = 200, body = Task), (status = 404, body = ErrorBody)))]
pub async fn complete_task(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Task>> {
    Ok(Json(s.store.complete_task(&a.actor, id).await?))
}

/// A survey as the respondent sees it: questions in their language, the current answer, whether it may still change.
#[utoipa::path(get, path = "/public/surveys/{token}", tag = "surveys", security(()), params(("token" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn public_survey(State(s): State<AppState>, ClientAddr(client): ClientAddr, Path(tok): Path<String>) -> ApiResult<Json<Value>> {
    public::rate_limit(&s, &client)?;
    let id = token::verify(&s.secrets, &tok).ok_or_else(public::not_found)?;
    let view = s.store.invitation_view(id).await.map_err(|_| public::not_found())?;
    let page = public::SurveyForm::of(&view, Timestamp::now());
    Ok(Json(json!({
        "kind": view.survey.kind,
        "locale": page.locale,
        "scale": view.survey.kind.scale(),
        "question": page.question,
        "follow_up": page.follow_up,
        "extra": view.survey.questions.extra,
        "answer": view.response,
        "can_answer": page.can_answer,
    })))
}

/// Answer (or, within the window, change the answer to) a survey.
#[utoipa::path(post, path = "/public/surveys/{token}", tag = "surveys", security(()), params(("token" = String, Path)), request_body = Answer,
    responses((status = 200, body = SurveyResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn public_answer(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path(tok): Path<String>,
    ApiJson(answer): ApiJson<Answer>,
) -> ApiResult<Json<SurveyResponse>> {
    public::rate_limit(&s, &client)?;
    let id = token::verify(&s.secrets, &tok).ok_or_else(public::not_found)?;
    Ok(Json(s.store.answer_survey(id, &answer, Timestamp::now()).await?.response))
}
