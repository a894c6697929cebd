//! Custom fields: the list, and a form to add one (key, label, type, options).

use super::{reason, refused, saved, Admin, Chrome, Fields, SavedQuery};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rapport_domain::CustomFieldKind;
use rapport_store::model::{CustomFieldDef, NewCustomField};

#[derive(Template, WebTemplate)]
#[template(path = "admin/custom_fields.html")]
struct ListPage {
    c: Chrome,
    fields: Vec<CustomFieldDef>,
    saved: bool,
    kinds: Vec<(CustomFieldKind, &'static str)>,
    /// The add form, as typed.
    key: String,
    label: String,
    kind: CustomFieldKind,
    options: String,
    error: Option<String>,
}

impl ListPage {
    fn kind_name(&self, k: &CustomFieldKind) -> &'static str {
        self.kinds.iter().find(|(x, _)| x == k).map(|(_, n)| *n).unwrap_or_default()
    }
}

fn kinds(c: &Chrome) -> Vec<(CustomFieldKind, &'static str)> {
    let t = c.t;
    vec![
        (CustomFieldKind::Text, t.kind_text),
        (CustomFieldKind::Number, t.kind_number),
        (CustomFieldKind::Boolean, t.kind_boolean),
        (CustomFieldKind::Date, t.kind_date),
        (CustomFieldKind::Select, t.kind_select),
    ]
}

async fn page(s: &AppState, admin: &Admin, saved: bool, f: Option<&Fields>, error: Option<String>) -> Response {
    let fields = match s.store.list_custom_fields(admin.actor()).await {
        Ok(v) => v,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let c = admin.chrome();
    let typed = |k: &str| f.map(|f| f.get(k).to_string()).unwrap_or_default();
    let p = ListPage {
        kinds: kinds(&c),
        c,
        fields,
        saved,
        key: typed("key"),
        label: typed("label"),
        kind: f.and_then(|f| CustomFieldKind::parse(f.get("kind")).ok()).unwrap_or(CustomFieldKind::Text),
        options: typed("options"),
        error,
    };
    if p.error.is_some() {
        refused(p)
    } else {
        p.into_response()
    }
}

pub async fn list(State(s): State<AppState>, admin: Admin, Query(q): Query<SavedQuery>) -> Response {
    page(&s, &admin, q.saved.is_some(), None, None).await
}

pub async fn create(State(s): State<AppState>, admin: Admin, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    let kind = match CustomFieldKind::parse(f.get("kind")) {
        Ok(k) => k,
        Err(e) => return page(&s, &admin, false, Some(&f), Some(e.to_string())).await,
    };
    let options: Vec<String> = if kind == CustomFieldKind::Select {
        f.get("options").lines().map(str::trim).filter(|o| !o.is_empty()).map(str::to_string).collect()
    } else {
        vec![]
    };
    let input = NewCustomField { key: f.get("key").to_string(), label: f.get("label").to_string(), kind, options };
    match s.store.create_custom_field(admin.actor(), &input).await {
        Ok(_) => saved("/admin/custom-fields"),
        Err(e) => page(&s, &admin, false, Some(&f), Some(reason(e))).await,
    }
}
