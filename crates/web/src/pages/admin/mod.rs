//! Admin pages: the workspace's people and settings. Every handler takes an
//! [`Admin`] (a signed-in admin; anyone else gets 403), the store checks the
//! role again, and every form carries the session's CSRF token.

mod brands;
mod canned;
mod fields;
mod held_mail;
mod hub;
mod macros;
mod mailboxes;
mod tags;
mod teams;
mod users;

use crate::error::ApiError;
use crate::pages::desk_i18n::{desk_texts, DeskTexts};
use crate::pages::i18n::Texts;
use crate::pages::session::PageUser;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use rapport_domain::{Actor, DomainError, Locale, Role};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(hub::show))
        .route("/assets/admin.css", get(style))
        .route("/admin/users", get(users::list))
        .route("/admin/users/new", get(users::new_form).post(users::create))
        .route("/admin/users/{id}", get(users::edit_form).post(users::update))
        .route("/admin/teams", get(teams::list).post(teams::create))
        .route("/admin/teams/{id}", get(teams::edit_form).post(teams::update))
        .route("/admin/teams/{id}/delete", post(teams::delete))
        .route("/admin/brands", get(brands::list).post(brands::create))
        .route("/admin/brands/{id}", get(brands::edit_form).post(brands::update))
        .route("/admin/tags", get(tags::list).post(tags::create))
        .route("/admin/tags/{id}", post(tags::rename))
        .route("/admin/tags/{id}/delete", post(tags::delete))
        .route("/admin/custom-fields", get(fields::list).post(fields::create))
        .route("/admin/canned-replies", get(canned::list))
        .route("/admin/canned-replies/new", get(canned::new_form).post(canned::create))
        .route("/admin/canned-replies/{id}", get(canned::edit_form).post(canned::update))
        .route("/admin/canned-replies/{id}/delete", post(canned::delete))
        .route("/admin/macros", get(macros::list))
        .route("/admin/macros/new", get(macros::new_form).post(macros::create))
        .route("/admin/macros/{id}", get(macros::edit_form).post(macros::update))
        .route("/admin/macros/{id}/delete", post(macros::delete))
        .route("/admin/mailboxes", get(mailboxes::list))
        .route("/admin/mailboxes/new", get(mailboxes::new_form).post(mailboxes::create))
        .route("/admin/mailboxes/{id}", get(mailboxes::edit_form).post(mailboxes::update))
        .route("/admin/mailboxes/{id}/delete", post(mailboxes::delete))
        .route("/admin/held-mail", get(held_mail::list))
        .route("/admin/held-mail/{id}/reprocess", post(held_mail::reprocess))
}

/// The admin pages' style sheet: responsive tables and form details.
async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], include_str!("../../../assets/admin.css"))
}

/// A signed-in admin. Anyone else signed in gets 403; nobody signed in goes to `/login`.
pub struct Admin(pub PageUser);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = PageUser::from_request_parts(parts, state).await?;
        if user.ctx.actor.role != Role::Admin {
            return Err(ApiError::from(DomainError::Forbidden).into_response());
        }
        Ok(Admin(user))
    }
}

impl Admin {
    pub fn actor(&self) -> &Actor {
        &self.0.ctx.actor
    }

    pub fn locale(&self) -> Locale {
        self.0.ctx.user.locale
    }

    pub fn chrome(&self) -> Chrome {
        let locale = self.locale();
        Chrome {
            lang: locale.as_str(),
            t: super::i18n::texts(locale),
            d: desk_texts(locale),
            user_name: self.0.ctx.user.name.clone(),
            csrf_token: self.0.csrf_token.clone(),
        }
    }

    /// `Err` becomes the 403 to answer when the form's token is wrong.
    pub fn check_csrf(&self, fields: &Fields) -> Result<(), crate::pages::session::CsrfRejected> {
        self.0.check_csrf(fields.get("csrf_token"))
    }
}

/// What every admin page shows around its content (see `templates/admin/layout.html`).
pub struct Chrome {
    pub lang: &'static str,
    pub t: &'static Texts,
    /// Names of statuses, priorities and languages.
    pub d: &'static DeskTexts,
    pub user_name: String,
    pub csrf_token: String,
}

impl Chrome {
    /// A status, priority or language in the user's words.
    pub fn value<'a>(&self, v: &'a str) -> &'a str {
        self.d.value(v)
    }

    pub fn role_name(&self, role: Role) -> &'static str {
        match role {
            Role::Admin => self.t.role_admin,
            Role::Agent => self.t.role_agent,
            Role::Csm => self.t.role_csm,
            Role::Viewer => self.t.role_viewer,
        }
    }
}

/// The languages, each named in itself, for pickers and labels.
pub const LANGUAGES: [(Locale, &str); 3] = [(Locale::Vi, "Tiếng Việt"), (Locale::Pl, "Polski"), (Locale::En, "English")];

/// A submitted form as name/value pairs, in order; repeated names (checkbox
/// lists) are kept. Missing fields read as empty.
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// A checkbox: present when ticked.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Every value of a repeated field that is an id.
    pub fn ids(&self, name: &str) -> Vec<i64> {
        self.0.iter().filter(|(k, _)| k == name).filter_map(|(_, v)| v.trim().parse().ok()).collect()
    }
}

/// After a successful form: back to the list, which says "Saved."
pub fn saved(to: &str) -> Response {
    Redirect::to(&format!("{to}?saved=1")).into_response()
}

/// A refused form, shown again with what was typed and why.
pub fn refused(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// The message of a store error, for showing on a form.
pub fn reason(e: rapport_store::StoreError) -> String {
    ApiError::from(e).message
}

/// A store error on saving a form: what to show on the form, or, when the
/// record is not there (or not the admin's), the 404 to answer instead.
pub fn form_error(e: rapport_store::StoreError) -> Result<String, ApiError> {
    match e {
        rapport_store::StoreError::NotFound(_) => Err(ApiError::from(e)),
        e => Ok(reason(e)),
    }
}

/// Comma- or line-separated values, trimmed, blanks dropped.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', '\n']).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect()
}

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    pub saved: Option<String>,
}
