//! Who is calling. Two ways in:
//! - a login session: an HttpOnly, SameSite=Lax cookie holding a random token
//!   (the store keeps only its SHA-256), plus a per-session CSRF token that
//!   every unsafe request must echo (form field or `X-CSRF-Token` header);
//! - an API token: `Authorization: Bearer rpt_...`, per user, revocable
//!   (stored as SHA-256; tokens are random, so a fast hash is enough).
//!
//! Passwords are hashed with argon2id.

pub mod middleware;
pub mod password;
pub mod secret;

pub use middleware::{require_auth, Auth, AuthContext, Via};

pub const SESSION_COOKIE: &str = "rapport_session";
pub const LOGIN_CSRF_COOKIE: &str = "rapport_login_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Reads one cookie's value from the request headers.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, and Secure when asked.
pub fn set_cookie(name: &str, value: &str, max_age_secs: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age_secs}{secure}")
}
