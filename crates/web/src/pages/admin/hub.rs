//! `/admin`: the list of admin sections, each with a line on what it is for.

use super::{Admin, Chrome};
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

#[derive(Template, WebTemplate)]
#[template(path = "admin/hub.html")]
struct HubPage {
    c: Chrome,
    /// (path, title, description)
    sections: Vec<(&'static str, &'static str, &'static str)>,
}

pub async fn show(admin: Admin) -> Response {
    let c = admin.chrome();
    let t = c.t;
    let mut sections = vec![
        ("/admin/users", t.users, t.users_intro),
        ("/admin/teams", t.teams, t.teams_intro),
        ("/admin/brands", t.brands, t.brands_intro),
        ("/admin/tags", t.tags, t.tags_intro),
        ("/admin/custom-fields", t.custom_fields, t.custom_fields_intro),
        ("/admin/canned-replies", t.canned_replies, t.canned_replies_intro),
        ("/admin/macros", t.macros, t.macros_intro),
        ("/admin/mailboxes", t.mailboxes, t.mailboxes_intro),
        ("/admin/held-mail", t.held_mail, t.held_mail_intro),
    ];
    sections.push(("/admin/sla", c.d.sla, c.d.sla_intro));
    HubPage { c, sections }.into_response()
}
