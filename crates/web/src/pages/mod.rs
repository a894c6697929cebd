//! Server-rendered pages: sign in and out, the latest tickets, a ticket's
//! conversation, and the admin pages for mailboxes and held inbound mail. The
//! agent workspace builds on these.

mod admin;
mod desk;
pub mod desk_i18n;
mod help;
mod i18n;
pub mod kb;
pub mod reports;
mod reset;
mod session;
pub mod surveys;

use crate::auth::middleware::{authenticate, Via};
use crate::auth::{cookie, password, secret, set_cookie, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use i18n::Texts;
use rapport_domain::{Locale, Timestamp};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .merge(desk::router())
        .merge(admin::router())
        .merge(reset::router())
        .merge(help::router())
        .merge(kb::router())
        .merge(reports::router())
        .merge(surveys::router())
}

fn locale_of(headers: &HeaderMap) -> Locale {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language).unwrap_or(Locale::En)
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    lang: &'static str,
    t: &'static Texts,
    csrf_token: String,
    email: String,
    error: Option<&'static str>,
}

/// The login form. Its CSRF token is a double-submit cookie: the form field
/// must match the cookie, which another site can neither read nor set.
fn render_login(locale: Locale, email: String, error: Option<&'static str>, status: StatusCode, secure: bool) -> Response {
    let csrf_token = secret::random_token("");
    let page = LoginPage { lang: locale.as_str(), t: i18n::texts(locale), csrf_token: csrf_token.clone(), email, error };
    let mut resp = (status, page).into_response();
    if let Ok(v) = set_cookie(LOGIN_CSRF_COOKIE, &csrf_token, 3600, secure).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

async fn login_page(State(s): State<AppState>, headers: HeaderMap) -> Response {
    render_login(locale_of(&headers), String::new(), None, StatusCode::OK, s.config.secure_cookies)
}

/// The client's IP address as the listener saw it ("local" when there is none, as in tests).
struct ClientAddr(String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip().to_string());
        Ok(ClientAddr(addr.unwrap_or_else(|| "local".into())))
    }
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    csrf_token: String,
}

async fn login(State(s): State<AppState>, ClientAddr(client): ClientAddr, headers: HeaderMap, Form(f): Form<LoginForm>) -> Response {
    let locale = locale_of(&headers);
    let t = i18n::texts(locale);
    let secure = s.config.secure_cookies;
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !secret::constant_time_eq(&expected, &f.csrf_token) {
        return render_login(locale, f.email, Some(t.form_expired), StatusCode::FORBIDDEN, secure);
    }
    if let Err(wait) = s.login_limiter.check(&client) {
        let mut resp = render_login(locale, f.email, Some(t.too_many_attempts), StatusCode::TOO_MANY_REQUESTS, secure);
        if let Ok(v) = wait.as_secs().max(1).to_string().parse() {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return resp;
    }
    let (user, hash) = match s.store.user_for_login(&f.email).await {
        Ok((u, h)) => (Some(u), h),
        Err(_) => (None, None),
    };
    let ok = password::verify(f.password, hash).await;
    let Some(user) = user.filter(|_| ok) else {
        return render_login(locale, f.email, Some(t.bad_credentials), StatusCode::UNAUTHORIZED, secure);
    };
    let token = secret::random_token("");
    let csrf = secret::random_token("");
    let ttl = s.config.session_ttl;
    let expires = Timestamp::now().plus_seconds(ttl.as_secs() as i64);
    if let Err(e) = s.store.create_session(user.id, &secret::sha256_hex(&token), &csrf, expires).await {
        return crate::error::ApiError::from(e).into_response();
    }
    let mut resp = Redirect::to("/").into_response();
    let h = resp.headers_mut();
    if let Ok(v) = set_cookie(SESSION_COOKIE, &token, ttl.as_secs(), secure).parse() {
        h.append(header::SET_COOKIE, v);
    }
    if let Ok(v) = set_cookie(LOGIN_CSRF_COOKIE, "", 0, secure).parse() {
        h.append(header::SET_COOKIE, v);
    }
    resp
}

#[derive(Deserialize)]
struct LogoutForm {
    csrf_token: String,
}

async fn logout(State(s): State<AppState>, headers: HeaderMap, Form(f): Form<LogoutForm>) -> Response {
    if let Ok(Some(ctx)) = authenticate(&s, &headers).await {
        if let Via::Session { csrf_token } = &ctx.via {
            if !secret::constant_time_eq(csrf_token, &f.csrf_token) {
                return (StatusCode::FORBIDDEN, "csrf_token_invalid").into_response();
            }
        }
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let _ = s.store.delete_session(&secret::sha256_hex(&token)).await;
    }
    let mut resp = Redirect::to("/login").into_response();
    if let Ok(v) = set_cookie(SESSION_COOKIE, "", 0, s.config.secure_cookies).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}
