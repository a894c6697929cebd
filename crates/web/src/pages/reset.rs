//! "Forgot your password?": a form asks for the email; if it belongs to an
//! active user, a single-use link `<public_url>/reset/<token>` valid for one
//! hour is mailed to them (only the token's SHA-256 is stored). The link's
//! page sets a new password, which ends the user's sessions.
//!
//! The answer to the request is the same page whether the address is known or
//! not, and the mail is sent in the background, so neither the page nor its
//! timing tells who has an account. Requests count against the login rate
//! limit of the client's address. The forms use the login form's
//! double-submit CSRF cookie (there is no session yet).

use super::{i18n, locale_of, ClientAddr};
use crate::auth::{cookie, password, secret, set_cookie, LOGIN_CSRF_COOKIE};
use crate::state::AppState;
use crate::system_mail::{self, Letter};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use rapport_domain::{canned, html, Locale, Timestamp};
use rapport_store::model::User;
use serde::Deserialize;

/// How long a reset link works.
const LINK_TTL_SECONDS: i64 = 3600;

pub fn router() -> Router<AppState> {
    Router::new().route("/forgot", get(request_form).post(request)).route("/reset/{token}", get(choose_form).post(choose))
}

enum Stage {
    /// The form asking for the email.
    Request,
    /// "If that address has an account, a link is on its way."
    Sent,
    /// The form for the new password.
    Choose,
    /// The link is unknown, used or expired.
    Invalid,
    /// The password was changed.
    Done,
}

#[derive(Template, WebTemplate)]
#[template(path = "reset.html")]
struct ResetPage {
    lang: &'static str,
    t: &'static i18n::Texts,
    stage: Stage,
    csrf_token: String,
    email: String,
    error: Option<&'static str>,
}

/// Renders a stage; stages with a form get a fresh CSRF cookie.
fn render(locale: Locale, stage: Stage, status: StatusCode, error: Option<&'static str>, email: String, secure: bool) -> Response {
    let with_form = matches!(stage, Stage::Request | Stage::Choose);
    let csrf_token = if with_form { secret::random_token("") } else { String::new() };
    let page = ResetPage { lang: locale.as_str(), t: i18n::texts(locale), stage, csrf_token: csrf_token.clone(), email, error };
    let mut resp = (status, page).into_response();
    if with_form {
        if let Ok(v) = set_cookie(LOGIN_CSRF_COOKIE, &csrf_token, 3600, secure).parse() {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

fn csrf_ok(headers: &HeaderMap, sent: &str) -> bool {
    let expected = cookie(headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    !expected.is_empty() && secret::constant_time_eq(&expected, sent)
}

async fn request_form(State(s): State<AppState>, headers: HeaderMap) -> Response {
    render(locale_of(&headers), Stage::Request, StatusCode::OK, None, String::new(), s.config.secure_cookies)
}

#[derive(Deserialize)]
struct RequestForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf_token: String,
}

async fn request(State(s): State<AppState>, ClientAddr(client): ClientAddr, headers: HeaderMap, Form(f): Form<RequestForm>) -> Response {
    let locale = locale_of(&headers);
    let t = i18n::texts(locale);
    let secure = s.config.secure_cookies;
    if !csrf_ok(&headers, &f.csrf_token) {
        return render(locale, Stage::Request, StatusCode::FORBIDDEN, Some(t.form_expired), f.email, secure);
    }
    if let Err(wait) = s.login_limiter.check(&client) {
        let mut resp = render(locale, Stage::Request, StatusCode::TOO_MANY_REQUESTS, Some(t.too_many_attempts), f.email, secure);
        if let Ok(v) = wait.as_secs().max(1).to_string().parse() {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return resp;
    }
    let token = secret::random_token("");
    let expires = Timestamp::now().plus_seconds(LINK_TTL_SECONDS);
    match s.store.create_password_reset(&f.email, &secret::sha256_hex(&token), expires).await {
        Ok(Some(r)) if r.issued => {
            let link = format!("{}/reset/{token}", s.config.public_url.trim_end_matches('/'));
            let state = s.clone();
            tokio::spawn(async move { mail_link(&state, &r.user, &link).await });
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "storing a password reset failed"),
    }
    render(locale, Stage::Sent, StatusCode::OK, None, String::new(), secure)
}

/// Mails the link in the user's language; failures are logged (the page said nothing either way).
async fn mail_link(state: &AppState, user: &User, link: &str) {
    let t = i18n::texts(user.locale);
    let first_name = canned::first_name(&user.name, Some(user.locale));
    let body = t.reset_mail_body.replace("{name}", &first_name);
    let text = body.replace("{link}", link);
    // The HTML part: the same words, the link clickable.
    let (before, after) = body.split_once("{link}").unwrap_or((&body, ""));
    let escaped = html::text_to_html(link);
    let html = format!("{}<a href=\"{escaped}\">{escaped}</a>{}", html::text_to_html(before), html::text_to_html(after));
    let letter = Letter { to: &user.email, subject: t.reset_mail_subject, text: &text, html: &html };
    match system_mail::send(state, user.workspace_id, &letter).await {
        Ok(()) => tracing::info!(user = user.id, "password reset link sent"),
        Err(e) => tracing::error!(user = user.id, error = %e, "password reset mail failed"),
    }
}

async fn choose_form(State(s): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    let secure = s.config.secure_cookies;
    match s.store.password_reset_user(&secret::sha256_hex(&token)).await {
        // The user's own language: they may have followed the link from another browser.
        Ok(user) => render(user.locale, Stage::Choose, StatusCode::OK, None, String::new(), secure),
        Err(_) => render(locale_of(&headers), Stage::Invalid, StatusCode::NOT_FOUND, None, String::new(), secure),
    }
}

#[derive(Deserialize)]
struct ChooseForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    csrf_token: String,
}

async fn choose(State(s): State<AppState>, headers: HeaderMap, Path(token): Path<String>, Form(f): Form<ChooseForm>) -> Response {
    let secure = s.config.secure_cookies;
    let hash = secret::sha256_hex(&token);
    let user = match s.store.password_reset_user(&hash).await {
        Ok(u) => u,
        Err(_) => return render(locale_of(&headers), Stage::Invalid, StatusCode::NOT_FOUND, None, String::new(), secure),
    };
    let t = i18n::texts(user.locale);
    let again = |status, error| render(user.locale, Stage::Choose, status, Some(error), String::new(), secure);
    if !csrf_ok(&headers, &f.csrf_token) {
        return again(StatusCode::FORBIDDEN, t.form_expired);
    }
    if f.password != f.password_again {
        return again(StatusCode::UNPROCESSABLE_ENTITY, t.passwords_differ);
    }
    if password::check_strength(&f.password).is_err() {
        return again(StatusCode::UNPROCESSABLE_ENTITY, t.password_too_short);
    }
    let phc = password::hash(f.password).await;
    match s.store.reset_password(&hash, &phc).await {
        Ok(user) => {
            tracing::info!(user = user.id, "password reset");
            render(user.locale, Stage::Done, StatusCode::OK, None, String::new(), secure)
        }
        // Used or expired in the meantime.
        Err(_) => render(user.locale, Stage::Invalid, StatusCode::NOT_FOUND, None, String::new(), secure),
    }
}
