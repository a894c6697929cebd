//! What every desk page shares: the signed-in user, the words, the unread
//! notification count, and the desk's own script and style sheet.

use crate::pages::desk_i18n::{desk_texts, DeskTexts};
use crate::pages::i18n::{texts, Texts};
use crate::pages::session::PageUser;
use crate::state::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use rapport_domain::{Locale, Role};

pub struct Frame {
    pub lang: &'static str,
    pub t: &'static Texts,
    pub d: &'static DeskTexts,
    pub user_id: i64,
    pub user_name: String,
    pub csrf_token: String,
    pub is_admin: bool,
    pub unread: i64,
    pub locales: Vec<(&'static str, &'static str, bool)>,
}

impl Frame {
    pub async fn new(s: &AppState, user: &PageUser) -> Frame {
        let locale = user.ctx.user.locale;
        let unread = s.store.unread_notification_count(&user.ctx.actor).await.unwrap_or(0);
        Frame {
            lang: locale.as_str(),
            t: texts(locale),
            d: desk_texts(locale),
            user_id: user.ctx.user.id,
            user_name: user.ctx.user.name.clone(),
            csrf_token: user.csrf_token.clone(),
            is_admin: user.ctx.actor.role == Role::Admin,
            unread,
            // Each language named in itself.
            locales: [(Locale::En, "English"), (Locale::Vi, "Tiếng Việt"), (Locale::Pl, "Polski")]
                .into_iter()
                .map(|(l, name)| (l.as_str(), name, l == locale))
                .collect(),
        }
    }

    /// A status, priority, channel or language in the user's words.
    pub fn value<'a>(&self, v: &'a str) -> &'a str {
        self.d.value(v)
    }
}

pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        include_str!("../../../assets/desk.js"),
    )
}

pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], include_str!("../../../assets/desk.css"))
}
