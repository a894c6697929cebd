use super::{parse_cursor, parse_since};
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_store::model::{Contact, ContactPatch, ListQuery, NewContact, NewOrganization, Organization, OrganizationPatch};
use rapport_store::page::clamp_limit;
use rapport_store::Page;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PeopleListParams {
    /// Case-insensitive text in the name, email, phone or domain.
    q: Option<String>,
    /// Contacts only: members of this organization.
    organization: Option<i64>,
    updated_since: Option<String>,
    cursor: Option<String>,
    limit: Option<u32>,
}

impl PeopleListParams {
    fn query(&self) -> Result<ListQuery, crate::error::ApiError> {
        Ok(ListQuery {
            q: self.q.clone().filter(|q| !q.trim().is_empty()),
            organization_id: self.organization,
            updated_since: parse_since(self.updated_since.as_deref())?,
            cursor: parse_cursor(self.cursor.as_deref())?,
            limit: clamp_limit(self.limit),
        })
    }
}

#[utoipa::path(get, path = "/contacts", tag = "contacts", params(PeopleListParams), responses((status = 200, body = Page<Contact>)))]
pub async fn list_contacts(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<PeopleListParams>,
) -> ApiResult<Json<Page<Contact>>> {
    Ok(Json(s.store.list_contacts(&a.actor, &p.query()?).await?))
}

#[utoipa::path(post, path = "/contacts", tag = "contacts", request_body = NewContact,
    responses((status = 201, body = Contact), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_contact(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<NewContact>,
) -> ApiResult<(StatusCode, Json<Contact>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_contact(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, body = Contact), (status = 404, body = ErrorBody)))]
pub async fn get_contact(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Contact>> {
    Ok(Json(s.store.get_contact(&a.actor, id).await?))
}

#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)), request_body = ContactPatch,
    responses((status = 200, body = Contact), (status = 422, body = ErrorBody)))]
pub async fn update_contact(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(p): ApiJson<ContactPatch>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(s.store.update_contact(&a.actor, id, &p).await?))
}

#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)), responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_contact(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_contact(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/organizations", tag = "organizations", params(PeopleListParams), responses((status = 200, body = Page<Organization>)))]
pub async fn list_organizations(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<PeopleListParams>,
) -> ApiResult<Json<Page<Organization>>> {
    Ok(Json(s.store.list_organizations(&a.actor, &p.query()?).await?))
}

#[utoipa::path(post, path = "/organizations", tag = "organizations", request_body = NewOrganization,
    responses((status = 201, body = Organization), (status = 422, body = ErrorBody)))]
pub async fn create_organization(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<NewOrganization>,
) -> ApiResult<(StatusCode, Json<Organization>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_organization(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path)),
    responses((status = 200, body = Organization), (status = 404, body = ErrorBody)))]
pub async fn get_organization(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Organization>> {
    Ok(Json(s.store.get_organization(&a.actor, id).await?))
}

#[utoipa::path(patch, path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path)), request_body = OrganizationPatch,
    responses((status = 200, body = Organization), (status = 422, body = ErrorBody)))]
pub async fn update_organization(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(p): ApiJson<OrganizationPatch>,
) -> ApiResult<Json<Organization>> {
    Ok(Json(s.store.update_organization(&a.actor, id, &p).await?))
}

#[utoipa::path(delete, path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path)), responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_organization(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_organization(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
