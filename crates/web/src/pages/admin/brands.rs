//! Brands: list and add on one page; rename and change the default language on the brand's page.

use super::{form_error, reason, refused, saved, Admin, Chrome, Fields, SavedQuery, LANGUAGES};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rapport_domain::Locale;
use rapport_store::model::{Brand, BrandPatch, NewBrand};

#[derive(Template, WebTemplate)]
#[template(path = "admin/brands.html")]
struct ListPage {
    c: Chrome,
    brands: Vec<Brand>,
    saved: bool,
    languages: [(Locale, &'static str); 3],
    /// The add form, as typed.
    name: String,
    slug: String,
    locale: Locale,
    error: Option<String>,
}

fn language_name(l: Locale) -> &'static str {
    LANGUAGES.iter().find(|(x, _)| *x == l).map(|(_, n)| *n).unwrap_or_default()
}

pub async fn list(State(s): State<AppState>, admin: Admin, Query(q): Query<SavedQuery>) -> Response {
    match s.store.list_brands(admin.actor()).await {
        Ok(brands) => ListPage {
            c: admin.chrome(),
            brands,
            saved: q.saved.is_some(),
            languages: LANGUAGES,
            name: String::new(),
            slug: String::new(),
            locale: admin.locale(),
            error: None,
        }
        .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn create(State(s): State<AppState>, admin: Admin, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    let locale = Locale::parse(f.get("default_locale")).unwrap_or(admin.locale());
    let input = NewBrand { name: f.get("name").to_string(), slug: f.get("slug").to_string(), default_locale: Some(locale) };
    match s.store.create_brand(admin.actor(), &input).await {
        Ok(_) => saved("/admin/brands"),
        Err(e) => {
            let error = reason(e);
            let brands = s.store.list_brands(admin.actor()).await.unwrap_or_default();
            refused(ListPage {
                c: admin.chrome(),
                brands,
                saved: false,
                languages: LANGUAGES,
                name: input.name,
                slug: input.slug,
                locale,
                error: Some(error),
            })
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/brand_form.html")]
struct FormPage {
    c: Chrome,
    id: i64,
    slug: String,
    name: String,
    locale: Locale,
    languages: [(Locale, &'static str); 3],
    error: Option<String>,
}

pub async fn edit_form(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath) -> Response {
    let brand = match s.store.list_brands(admin.actor()).await {
        Ok(list) => list.into_iter().find(|b| b.id == id),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let Some(b) = brand else { return ApiError::from(rapport_store::StoreError::NotFound("brand")).into_response() };
    FormPage { c: admin.chrome(), id, slug: b.slug, name: b.name, locale: b.default_locale, languages: LANGUAGES, error: None }
        .into_response()
}

pub async fn update(State(s): State<AppState>, admin: Admin, IdPath(id): IdPath, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    if let Err(r) = admin.check_csrf(&f) {
        return r.into_response();
    }
    let locale = Locale::parse(f.get("default_locale")).ok();
    let patch = BrandPatch { name: Some(f.get("name").to_string()), default_locale: locale };
    match s.store.update_brand(admin.actor(), id, &patch).await {
        Ok(_) => saved("/admin/brands"),
        Err(e) => {
            let error = match form_error(e) {
                Ok(m) => m,
                Err(r) => return r.into_response(),
            };
            let slug = s.store.list_brands(admin.actor()).await.ok().and_then(|l| l.into_iter().find(|b| b.id == id)).map(|b| b.slug);
            refused(FormPage {
                c: admin.chrome(),
                id,
                slug: slug.unwrap_or_default(),
                name: f.get("name").to_string(),
                locale: locale.unwrap_or(admin.locale()),
                languages: LANGUAGES,
                error: Some(error),
            })
        }
    }
}

impl ListPage {
    fn language(&self, l: &Locale) -> &'static str {
        language_name(*l)
    }
}
