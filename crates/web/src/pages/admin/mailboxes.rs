//! Mailboxes: list, add, edit, delete. Passwords are write-only.

use crate::error::ApiError;
use crate::extract::IdPath;
use crate::pages::i18n::Texts;
use crate::pages::session::PageUser;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rapport_domain::Role;
use rapport_store::mail::{Mailbox, MailboxInput, Security};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "admin/mailboxes.html")]
struct ListPage {
    lang: &'static str,
    t: &'static Texts,
    user_name: String,
    csrf_token: String,
    is_admin: bool,
    mailboxes: Vec<Mailbox>,
}

/// The form's values, as typed (so a refused form comes back as it was).
#[derive(Debug, Default, Deserialize)]
pub struct MailboxForm {
    #[serde(default)]
    csrf_token: String,
    /// A brand's id, or empty for none.
    #[serde(default)]
    brand_id: String,
    name: String,
    address: String,
    imap_host: String,
    imap_port: String,
    imap_security: String,
    imap_username: String,
    #[serde(default)]
    imap_password: String,
    imap_folder: String,
    smtp_host: String,
    smtp_port: String,
    smtp_security: String,
    #[serde(default)]
    smtp_username: String,
    #[serde(default)]
    smtp_password: String,
    from_name: String,
    #[serde(default)]
    reply_to: String,
    max_message_bytes: String,
    /// A checkbox: present when ticked.
    active: Option<String>,
    /// A checkbox: present when ticked.
    allow_remote_images: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/mailbox_form.html")]
struct FormPage {
    lang: &'static str,
    t: &'static Texts,
    user_name: String,
    csrf_token: String,
    is_admin: bool,
    /// `None`: a new mailbox.
    id: Option<i64>,
    f: MailboxForm,
    error: Option<String>,
    securities: &'static [Security],
    /// (id, name) of the workspace's brands.
    brands: Vec<(String, String)>,
}

fn page_basics(user: &PageUser) -> (&'static str, &'static Texts, String, String, bool) {
    (user.ctx.user.locale.as_str(), user.texts(), user.ctx.user.name.clone(), user.csrf_token.clone(), user.ctx.actor.role == Role::Admin)
}

pub async fn list(State(s): State<AppState>, user: PageUser) -> Response {
    match s.store.list_mailboxes(&user.ctx.actor).await {
        Ok(mailboxes) => {
            let (lang, t, user_name, csrf_token, is_admin) = page_basics(&user);
            ListPage { lang, t, user_name, csrf_token, is_admin, mailboxes }.into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn form_page(s: &AppState, user: &PageUser, id: Option<i64>, f: MailboxForm, error: Option<String>) -> FormPage {
    let (lang, t, user_name, csrf_token, is_admin) = page_basics(user);
    let brands = s.store.list_brands(&user.ctx.actor).await.unwrap_or_default().into_iter().map(|b| (b.id.to_string(), b.name)).collect();
    FormPage { lang, t, user_name, csrf_token, is_admin, id, f, error, securities: Security::ALL, brands }
}

pub async fn new_form(State(s): State<AppState>, user: PageUser) -> Response {
    let f = MailboxForm {
        imap_port: "993".into(),
        imap_security: "tls".into(),
        imap_folder: "INBOX".into(),
        smtp_port: "587".into(),
        smtp_security: "starttls".into(),
        max_message_bytes: (25 * 1024 * 1024).to_string(),
        active: Some("on".into()),
        ..Default::default()
    };
    if let Err(e) = user.ctx.actor.require(rapport_domain::Permission::ManageDirectory) {
        return ApiError::from(e).into_response();
    }
    form_page(&s, &user, None, f, None).await.into_response()
}

pub async fn edit_form(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath) -> Response {
    let m = match s.store.get_mailbox(&user.ctx.actor, id).await {
        Ok(m) => m,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let f = MailboxForm {
        csrf_token: String::new(),
        brand_id: m.brand_id.map(|b| b.to_string()).unwrap_or_default(),
        name: m.name,
        address: m.address,
        imap_host: m.imap_host,
        imap_port: m.imap_port.to_string(),
        imap_security: m.imap_security.as_str().into(),
        imap_username: m.imap_username,
        imap_password: String::new(),
        imap_folder: m.imap_folder,
        smtp_host: m.smtp_host,
        smtp_port: m.smtp_port.to_string(),
        smtp_security: m.smtp_security.as_str().into(),
        smtp_username: m.smtp_username,
        smtp_password: String::new(),
        from_name: m.from_name,
        reply_to: m.reply_to.unwrap_or_default(),
        max_message_bytes: m.max_message_bytes.to_string(),
        active: m.active.then(|| "on".into()),
        allow_remote_images: m.allow_remote_images.then(|| "on".into()),
    };
    form_page(&s, &user, Some(id), f, None).await.into_response()
}

/// Turns the form into store input; passwords left empty stay as they are.
fn to_input(s: &AppState, f: &MailboxForm) -> Result<MailboxInput, String> {
    let port = |field: &str, v: &str| v.trim().parse::<i64>().map_err(|_| format!("{field}: '{v}' is not a port number"));
    let security = |v: &str| Security::parse(v).map_err(|e| e.to_string());
    let seal = |p: &str| (!p.is_empty()).then(|| s.secrets.seal(p));
    let brand_id = match f.brand_id.trim() {
        "" => None,
        b => Some(b.parse::<i64>().map_err(|_| format!("brand_id: '{b}' is not a brand"))?),
    };
    Ok(MailboxInput {
        brand_id,
        name: f.name.clone(),
        address: f.address.clone(),
        imap_host: f.imap_host.clone(),
        imap_port: port("imap_port", &f.imap_port)?,
        imap_security: security(&f.imap_security)?,
        imap_username: f.imap_username.clone(),
        imap_password_enc: seal(&f.imap_password),
        imap_folder: f.imap_folder.clone(),
        smtp_host: f.smtp_host.clone(),
        smtp_port: port("smtp_port", &f.smtp_port)?,
        smtp_security: security(&f.smtp_security)?,
        smtp_username: f.smtp_username.clone(),
        smtp_password_enc: seal(&f.smtp_password),
        from_name: f.from_name.clone(),
        reply_to: Some(f.reply_to.clone()).filter(|r| !r.trim().is_empty()),
        max_message_bytes: f.max_message_bytes.trim().parse().map_err(|_| "max_message_bytes: not a number".to_string())?,
        active: f.active.is_some(),
        allow_remote_images: f.allow_remote_images.is_some(),
    })
}

async fn save(s: &AppState, user: &PageUser, id: Option<i64>, mut f: MailboxForm) -> Response {
    if let Err(r) = user.check_csrf(&f.csrf_token) {
        return r.into_response();
    }
    let result = match to_input(s, &f) {
        Err(e) => Err(e),
        Ok(input) => {
            let saved = match id {
                None => s.store.create_mailbox(&user.ctx.actor, &input).await,
                Some(id) => s.store.update_mailbox(&user.ctx.actor, id, &input).await,
            };
            saved.map_err(|e| ApiError::from(e).message)
        }
    };
    match result {
        Ok(_) => Redirect::to("/admin/mailboxes").into_response(),
        Err(error) => {
            f.imap_password.clear();
            f.smtp_password.clear();
            (StatusCode::UNPROCESSABLE_ENTITY, form_page(s, user, id, f, Some(error)).await).into_response()
        }
    }
}

pub async fn create(State(s): State<AppState>, user: PageUser, Form(f): Form<MailboxForm>) -> Response {
    save(&s, &user, None, f).await
}

pub async fn update(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, Form(f): Form<MailboxForm>) -> Response {
    save(&s, &user, Some(id), f).await
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf_token: String,
}

pub async fn delete(State(s): State<AppState>, user: PageUser, IdPath(id): IdPath, Form(f): Form<CsrfForm>) -> Response {
    if let Err(r) = user.check_csrf(&f.csrf_token) {
        return r.into_response();
    }
    match s.store.delete_mailbox(&user.ctx.actor, id).await {
        Ok(()) => Redirect::to("/admin/mailboxes").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
