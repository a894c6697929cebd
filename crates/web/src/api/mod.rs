//! The JSON REST API under `/api/v1`. Handlers are thin: parse, call the
//! store (which checks permissions and tenancy), serialise. The OpenAPI
//! document is generated from the handlers' annotations.

pub mod directory;
pub mod kb;
pub mod mail;
pub mod messages;
pub mod metrics;
pub mod people;
pub mod replies;
pub mod sla;
pub mod surveys;
pub mod tickets;
pub mod webhooks;

use crate::auth::require_auth;
use crate::error::ApiError;
use crate::idempotency::idempotency;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Rapport API", version = "1", description = "Tickets, messages, contacts, organizations and the directory of a Rapport workspace. \
        Authenticate with `Authorization: Bearer <token>` (create tokens at POST /api/v1/users/{id}/tokens). \
        POST requests accept an `Idempotency-Key` header. Errors are `{\"error\": {\"code\", \"message\", \"field\"}}` with stable codes."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(crate::error::ErrorBody))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api_routes().split_for_parts().1;
    doc.merge(public_routes().split_for_parts().1);
    doc
}

fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(tickets::list_tickets, tickets::create_ticket))
        .routes(routes!(tickets::get_ticket, tickets::update_ticket, tickets::delete_ticket))
        .routes(routes!(messages::list_messages, messages::create_message))
        .routes(routes!(messages::get_message, messages::redact_message))
        .routes(routes!(messages::download_attachment))
        .routes(routes!(people::list_contacts, people::create_contact))
        .routes(routes!(people::get_contact, people::update_contact, people::delete_contact))
        .routes(routes!(people::list_organizations, people::create_organization))
        .routes(routes!(people::get_organization, people::update_organization, people::delete_organization))
        .routes(routes!(directory::me))
        .routes(routes!(directory::list_users, directory::create_user))
        .routes(routes!(directory::get_user, directory::update_user, directory::deactivate_user))
        .routes(routes!(directory::list_tokens, directory::create_token))
        .routes(routes!(directory::revoke_token))
        .routes(routes!(directory::list_teams, directory::create_team))
        .routes(routes!(directory::get_team, directory::update_team, directory::delete_team))
        .routes(routes!(directory::list_tags, directory::create_tag))
        .routes(routes!(directory::rename_tag, directory::delete_tag))
        .routes(routes!(directory::list_custom_fields, directory::create_custom_field))
        .routes(routes!(directory::list_brands, directory::create_brand))
        .routes(routes!(directory::list_audit))
        .routes(routes!(directory::list_raw_inbound))
        .routes(routes!(mail::list_mailboxes, mail::create_mailbox))
        .routes(routes!(mail::get_mailbox, mail::update_mailbox, mail::delete_mailbox))
        .routes(routes!(mail::list_deliveries))
        .routes(routes!(mail::reprocess_raw))
        .routes(routes!(replies::list_canned_replies, replies::create_canned_reply))
        .routes(routes!(replies::get_canned_reply, replies::update_canned_reply, replies::delete_canned_reply))
        .routes(routes!(replies::render_canned_reply))
        .routes(routes!(replies::list_macros, replies::create_macro))
        .routes(routes!(replies::get_macro, replies::update_macro, replies::delete_macro))
        .routes(routes!(replies::apply_macro))
        .routes(routes!(sla::list_sla_policies))
        .routes(routes!(sla::set_sla_policy))
        .routes(routes!(kb::list_categories, kb::create_category))
        .routes(routes!(kb::delete_category))
        .routes(routes!(kb::list_articles, kb::create_article))
        .routes(routes!(kb::get_article, kb::update_article, kb::delete_article))
        .routes(routes!(kb::verify_article))
        .routes(routes!(kb::get_translation, kb::save_translation))
        .routes(routes!(kb::translation_workflow))
        .routes(routes!(kb::list_versions))
        .routes(routes!(kb::restore_version))
        .routes(routes!(kb::list_files, kb::upload_file))
        .routes(routes!(kb::download_file))
        .routes(routes!(kb::search_articles))
        .routes(routes!(kb::search_messages))
        .routes(routes!(kb::deflection_report))
        .routes(routes!(kb::suggested_articles))
        .routes(routes!(metrics::service))
        .routes(routes!(metrics::experience))
        .routes(routes!(metrics::agents))
        .routes(routes!(metrics::teams))
        .routes(routes!(metrics::tickets))
        .routes(routes!(metrics::responses))
        .routes(routes!(metrics::get_business_hours, metrics::set_business_hours, metrics::clear_business_hours))
        .routes(routes!(metrics::list_time_entries, metrics::add_time_entry))
        .routes(routes!(metrics::delete_time_entry))
        .routes(routes!(metrics::status_history))
        .routes(routes!(surveys::list_surveys, surveys::create_survey))
        .routes(routes!(surveys::get_survey, surveys::update_survey))
        .routes(routes!(surveys::list_responses))
        .routes(routes!(surveys::invite, surveys::list_invitations))
        .routes(routes!(surveys::list_tasks))
        .routes(routes!(surveys::complete_task))
        .routes(routes!(webhooks::list_webhooks, webhooks::create_webhook))
        .routes(routes!(webhooks::update_webhook, webhooks::delete_webhook))
        .routes(routes!(webhooks::list_deliveries))
        .routes(routes!(webhooks::list_events))
}

/// Endpoints that need no sign-in (the help center and the chat widget); rate-limited per client.
fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(kb::public::search))
        .routes(routes!(kb::public::click))
        .routes(routes!(kb::public::feedback))
        .routes(routes!(kb::public::answer))
        .routes(routes!(kb::public::solved))
        .routes(routes!(kb::public::handoff))
        .routes(routes!(kb::public::contact))
        .routes(routes!(surveys::public_survey, surveys::public_answer))
}

pub fn router(state: AppState) -> Router<AppState> {
    let (router, mut doc) = api_routes().split_for_parts();
    let (public, public_doc) = public_routes().split_for_parts();
    doc.merge(public_doc);
    let doc = Arc::new(doc);
    router
        .layer(from_fn_with_state(state.clone(), idempotency))
        .layer(from_fn_with_state(state, require_auth))
        .merge(public)
        // Public: the API's description.
        .route("/openapi.json", get(move || async move { Json(doc.as_ref().clone()) }))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "route_not_found", "no such API endpoint") })
}

/// Parses a comma-separated list of values with `parse`.
pub(crate) fn parse_list<T>(
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, rapport_domain::DomainError>,
) -> Result<Vec<T>, ApiError> {
    raw.map(|s| {
        s.split(',').filter(|p| !p.trim().is_empty()).map(|p| parse(p).map_err(|e| ApiError::invalid(field, e.to_string()))).collect()
    })
    .unwrap_or(Ok(vec![]))
}

pub(crate) fn parse_cursor(raw: Option<&str>) -> Result<Option<rapport_store::Cursor>, ApiError> {
    match raw {
        None | Some("") => Ok(None),
        Some(c) => rapport_store::Cursor::decode(c)
            .map(Some)
            .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_cursor", "the cursor is not one this API returned")),
    }
}

pub(crate) fn parse_since(raw: Option<&str>) -> Result<Option<rapport_domain::Timestamp>, ApiError> {
    raw.map(|s| rapport_domain::Timestamp::parse(s).map_err(|e| ApiError::invalid("updated_since", e.to_string()))).transpose()
}
