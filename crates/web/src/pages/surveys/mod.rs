//! Surveys as respondents meet them: the public answer page behind a signed
//! link (no sign-in; rate-limited per client address), in the language the
//! invitation was sent in (the contact's), with the score, the optional
//! follow-up and extra questions, and changes allowed within the survey's
//! window. Also the invitation mail and the panel on the agent's ticket page.

pub mod mail;
pub mod panel;
pub mod texts;
pub mod token;

use crate::api::kb::public::ClientAddr;
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use rapport_domain::rate_limit::RateLimiter;
use rapport_domain::{Locale, Timestamp};
use rapport_store::surveys::{Answer, InvitationView};
use rapport_store::StoreError;
use serde::Deserialize;
use std::time::Duration;
use texts::SurveyTexts;

pub fn router() -> Router<AppState> {
    Router::new().route("/s/{token}", get(show).post(submit))
}

/// Public survey requests per client address.
pub struct SurveyLimits {
    pub limiter: RateLimiter,
}

impl SurveyLimits {
    pub fn per_minute(n: u32) -> Self {
        SurveyLimits { limiter: RateLimiter::new(n, Duration::from_secs(60)) }
    }
}

impl Default for SurveyLimits {
    fn default() -> Self {
        SurveyLimits::per_minute(30)
    }
}

pub fn rate_limit(s: &AppState, client: &str) -> Result<(), ApiError> {
    s.surveys.limiter.check(client).map_err(|wait| {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", format!("too many requests; try again in {}s", wait.as_secs().max(1)))
    })
}

/// Any bad or unknown link: one answer, so links cannot be probed.
pub fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "survey_not_found", "this survey link is not valid")
}

pub struct ExtraField {
    pub key: String,
    pub label: String,
    pub choices: Vec<String>,
    pub value: String,
}

/// A survey as the page (and the widget's JSON) shows it.
pub struct SurveyForm {
    pub locale: Locale,
    pub kind: &'static str,
    pub question: String,
    pub follow_up: String,
    pub low: &'static str,
    pub high: &'static str,
    pub scores: Vec<i64>,
    pub selected: Option<i64>,
    pub comment: String,
    pub extra: Vec<ExtraField>,
    pub answered: bool,
    /// A first answer, or a change, is still accepted.
    pub can_answer: bool,
    pub expired: bool,
    pub change_until: Option<String>,
    pub about: Option<String>,
    pub brand: String,
}

fn localized(map: &rapport_store::surveys::Localized, locale: Locale) -> Option<String> {
    map.get(&locale).or_else(|| map.get(&Locale::En)).or_else(|| map.values().next()).cloned()
}

fn when(ms: i64) -> String {
    Timestamp(ms).to_datetime().format("%Y-%m-%d %H:%M UTC").to_string()
}

impl SurveyForm {
    pub fn of(v: &InvitationView, now: Timestamp) -> SurveyForm {
        let locale = v.invitation.locale;
        let t = texts::texts(locale);
        let kind = v.survey.kind;
        let brand = v.brand_name.clone().unwrap_or_else(|| t.us.to_string());
        let question =
            localized(&v.survey.questions.question, locale).unwrap_or_else(|| t.question(kind).to_string()).replace("{brand}", &brand);
        let follow_up = localized(&v.survey.questions.follow_up, locale).unwrap_or_else(|| t.follow_up.to_string());
        let (low, high) = t.anchors(kind);
        let (lo, hi) = kind.scale();
        let change_deadline = v.response.as_ref().map(|r| r.answered_at.millis() + v.survey.change_window_hours * 3_600_000);
        let expired = v.response.is_none() && now.millis() > v.invitation.expires_at.millis();
        let can_answer = match change_deadline {
            Some(d) => now.millis() <= d,
            None => !expired,
        };
        let extra = v
            .survey
            .questions
            .extra
            .iter()
            .map(|q| ExtraField {
                key: q.key.clone(),
                label: localized(&q.label, locale).unwrap_or_else(|| q.key.clone()),
                choices: q.choices.clone(),
                value: v.response.as_ref().and_then(|r| r.answers.get(&q.key).cloned()).unwrap_or_default(),
            })
            .collect();
        SurveyForm {
            locale,
            kind: kind.as_str(),
            question,
            follow_up,
            low,
            high,
            scores: (lo..=hi).collect(),
            selected: v.response.as_ref().map(|r| r.score),
            comment: v.response.as_ref().and_then(|r| r.comment.clone()).unwrap_or_default(),
            extra,
            answered: v.response.is_some(),
            can_answer,
            expired,
            change_until: change_deadline.filter(|_| can_answer).map(|d| t.change_until.replace("{until}", &when(d))),
            about: match (v.invitation.ticket_id, &v.ticket_subject) {
                (Some(id), Some(subject)) => Some(t.about_ticket.replace("{id}", &id.to_string()).replace("{subject}", subject)),
                _ => None,
            },
            brand,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/respond.html")]
struct RespondPage {
    lang: &'static str,
    t: &'static SurveyTexts,
    token: String,
    form: SurveyForm,
    saved: bool,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/invalid.html")]
struct InvalidPage {
    lang: &'static str,
    t: &'static SurveyTexts,
    message: &'static str,
}

fn invalid(locale: Locale, status: StatusCode, message: impl Fn(&'static SurveyTexts) -> &'static str) -> Response {
    let t = texts::texts(locale);
    let mut resp = (status, InvalidPage { lang: locale.as_str(), t, message: message(t) }).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    resp
}

fn page_locale(headers: &axum::http::HeaderMap) -> Locale {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language).unwrap_or(Locale::En)
}

#[derive(Deserialize)]
struct ShowQuery {
    /// A score picked in the mail (preselected; nothing is recorded until sent).
    score: Option<i64>,
}

async fn load(s: &AppState, tok: &str) -> Option<InvitationView> {
    let id = token::verify(&s.secrets, tok)?;
    s.store.invitation_view(id).await.ok()
}

async fn show(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: axum::http::HeaderMap,
    Path(tok): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    if rate_limit(&s, &client).is_err() {
        return invalid(page_locale(&headers), StatusCode::TOO_MANY_REQUESTS, |t| t.too_many);
    }
    let Some(view) = load(&s, &tok).await else {
        return invalid(page_locale(&headers), StatusCode::NOT_FOUND, |t| t.invalid_link);
    };
    let mut form = SurveyForm::of(&view, Timestamp::now());
    if let Some(score) = q.score.filter(|n| view.survey.kind.accepts(*n) && form.can_answer) {
        form.selected = Some(score);
    }
    let t = texts::texts(form.locale);
    no_store(RespondPage { lang: form.locale.as_str(), t, token: tok, saved: false, error: None, form }.into_response())
}

fn no_store(mut resp: Response) -> Response {
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    resp.headers_mut().insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    resp
}

async fn submit(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: axum::http::HeaderMap,
    Path(tok): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    if rate_limit(&s, &client).is_err() {
        return invalid(page_locale(&headers), StatusCode::TOO_MANY_REQUESTS, |t| t.too_many);
    }
    let Some(id) = token::verify(&s.secrets, &tok) else {
        return invalid(page_locale(&headers), StatusCode::NOT_FOUND, |t| t.invalid_link);
    };
    let Some(view) = load(&s, &tok).await else {
        return invalid(page_locale(&headers), StatusCode::NOT_FOUND, |t| t.invalid_link);
    };
    let t = texts::texts(view.invitation.locale);
    let field = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string());
    let mut answer = Answer { score: 0, comment: field("comment").filter(|c| !c.is_empty()), answers: Default::default() };
    for (k, v) in &fields {
        if let Some(key) = k.strip_prefix("x_") {
            answer.answers.insert(key.to_string(), v.clone());
        }
    }
    let (status, saved, error) = match field("score").and_then(|v| v.parse::<i64>().ok()) {
        None => (StatusCode::UNPROCESSABLE_ENTITY, false, Some(t.choose_score.to_string())),
        Some(score) => {
            answer.score = score;
            match s.store.answer_survey(id, &answer, Timestamp::now()).await {
                Ok(_) => (StatusCode::OK, true, None),
                Err(StoreError::Conflict(_)) => {
                    let msg = if view.response.is_some() { t.closed } else { t.expired };
                    (StatusCode::CONFLICT, false, Some(msg.to_string()))
                }
                Err(StoreError::Domain(e)) => (StatusCode::UNPROCESSABLE_ENTITY, false, Some(e.to_string())),
                Err(e) => return ApiError::from(e).into_response(),
            }
        }
    };
    // Show the stored state (the new answer when it was saved); keep what was typed otherwise.
    let view = if saved { load(&s, &tok).await.unwrap_or(view) } else { view };
    let mut form = SurveyForm::of(&view, Timestamp::now());
    if !saved {
        form.selected = field("score").and_then(|v| v.parse().ok()).or(form.selected);
        form.comment = answer.comment.clone().unwrap_or_default();
    }
    let page = RespondPage { lang: form.locale.as_str(), t, token: tok, saved, error, form };
    no_store((status, page).into_response())
}
