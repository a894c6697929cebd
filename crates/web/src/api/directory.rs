//! The workspace's directory and settings: users, API tokens, teams, tags,
//! custom fields, brands, and the audit and raw-inbound logs.

use super::{parse_cursor, parse_since};
use crate::auth::{password, secret, Auth};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_store::model::*;
use rapport_store::page::clamp_limit;
use rapport_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The caller.
#[utoipa::path(get, path = "/me", tag = "users", responses((status = 200, body = User)))]
pub async fn me(Auth(a): Auth) -> Json<User> {
    Json(a.user)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UserListParams {
    q: Option<String>,
    updated_since: Option<String>,
    cursor: Option<String>,
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/users", tag = "users", params(UserListParams), responses((status = 200, body = Page<User>)))]
pub async fn list_users(State(s): State<AppState>, Auth(a): Auth, ApiQuery(p): ApiQuery<UserListParams>) -> ApiResult<Json<Page<User>>> {
    let q = ListQuery {
        q: p.q.filter(|q| !q.trim().is_empty()),
        organization_id: None,
        updated_since: parse_since(p.updated_since.as_deref())?,
        cursor: parse_cursor(p.cursor.as_deref())?,
        limit: clamp_limit(p.limit),
    };
    Ok(Json(s.store.list_users(&a.actor, &q).await?))
}

async fn hash_new_password(pw: Option<&String>) -> ApiResult<Option<String>> {
    match pw {
        None => Ok(None),
        Some(p) => {
            password::check_strength(p).map_err(|m| ApiError::invalid("password", m))?;
            Ok(Some(password::hash(p.clone()).await))
        }
    }
}

/// Create a user (admins only).
#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    a.actor.require(rapport_domain::Permission::ManageDirectory)?;
    let hash = hash_new_password(input.password.as_ref()).await?;
    Ok((StatusCode::CREATED, Json(s.store.create_user(&a.actor, &input, hash.as_deref()).await?)))
}

#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = i64, Path)), responses((status = 200, body = User), (status = 404, body = ErrorBody)))]
pub async fn get_user(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<User>> {
    Ok(Json(s.store.get_user(&a.actor, id).await?))
}

/// Change a user. Users may change their own name, locale and password.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = UserPatch,
    responses((status = 200, body = User), (status = 403, body = ErrorBody)))]
pub async fn update_user(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(p): ApiJson<UserPatch>,
) -> ApiResult<Json<User>> {
    let hash = hash_new_password(p.password.as_ref()).await?;
    Ok(Json(s.store.update_user(&a.actor, id, &p, hash.as_deref()).await?))
}

/// Deactivate a user: they can no longer log in, and their sessions and tokens end.
#[utoipa::path(delete, path = "/users/{id}", tag = "users", params(("id" = i64, Path)), responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn deactivate_user(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.deactivate_user(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenBody {
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    /// The secret, shown this once. Send it as `Authorization: Bearer <token>`.
    pub token: String,
    #[serde(flatten)]
    pub info: ApiToken,
}

#[utoipa::path(get, path = "/users/{id}/tokens", tag = "users", params(("id" = i64, Path)), responses((status = 200, body = Vec<ApiToken>)))]
pub async fn list_tokens(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Vec<ApiToken>>> {
    Ok(Json(s.store.list_api_tokens(&a.actor, id).await?))
}

/// Create an API token for a user (yourself, or anyone if you are an admin).
#[utoipa::path(post, path = "/users/{id}/tokens", tag = "users", params(("id" = i64, Path)), request_body = NewTokenBody,
    responses((status = 201, body = CreatedToken), (status = 403, body = ErrorBody)))]
pub async fn create_token(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(b): ApiJson<NewTokenBody>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let token = secret::random_token("rpt_");
    let prefix: String = token.chars().take(10).collect();
    let info = s.store.create_api_token(&a.actor, id, &b.name, &secret::sha256_hex(&token), &prefix).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token, info })))
}

#[utoipa::path(delete, path = "/tokens/{id}", tag = "users", params(("id" = i64, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.revoke_api_token(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/teams", tag = "teams", responses((status = 200, body = Vec<Team>)))]
pub async fn list_teams(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<Team>>> {
    Ok(Json(s.store.list_teams(&a.actor).await?))
}

#[utoipa::path(post, path = "/teams", tag = "teams", request_body = NewTeam, responses((status = 201, body = Team), (status = 403, body = ErrorBody)))]
pub async fn create_team(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<NewTeam>,
) -> ApiResult<(StatusCode, Json<Team>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_team(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/teams/{id}", tag = "teams", params(("id" = i64, Path)), responses((status = 200, body = Team), (status = 404, body = ErrorBody)))]
pub async fn get_team(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<Json<Team>> {
    Ok(Json(s.store.get_team(&a.actor, id).await?))
}

#[utoipa::path(patch, path = "/teams/{id}", tag = "teams", params(("id" = i64, Path)), request_body = TeamPatch, responses((status = 200, body = Team)))]
pub async fn update_team(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(p): ApiJson<TeamPatch>,
) -> ApiResult<Json<Team>> {
    Ok(Json(s.store.update_team(&a.actor, id, &p).await?))
}

#[utoipa::path(delete, path = "/teams/{id}", tag = "teams", params(("id" = i64, Path)), responses((status = 204)))]
pub async fn delete_team(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_team(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagBody {
    pub name: String,
}

#[utoipa::path(get, path = "/tags", tag = "tags", responses((status = 200, body = Vec<Tag>)))]
pub async fn list_tags(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<Tag>>> {
    Ok(Json(s.store.list_tags(&a.actor).await?))
}

#[utoipa::path(post, path = "/tags", tag = "tags", request_body = TagBody, responses((status = 201, body = Tag), (status = 409, body = ErrorBody)))]
pub async fn create_tag(State(s): State<AppState>, Auth(a): Auth, ApiJson(b): ApiJson<TagBody>) -> ApiResult<(StatusCode, Json<Tag>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_tag(&a.actor, &b.name).await?)))
}

/// Rename a tag everywhere it is used.
#[utoipa::path(patch, path = "/tags/{id}", tag = "tags", params(("id" = i64, Path)), request_body = TagBody, responses((status = 200, body = Tag)))]
pub async fn rename_tag(
    State(s): State<AppState>,
    Auth(a): Auth,
    IdPath(id): IdPath,
    ApiJson(b): ApiJson<TagBody>,
) -> ApiResult<Json<Tag>> {
    Ok(Json(s.store.rename_tag(&a.actor, id, &b.name).await?))
}

/// Delete a tag and remove it from every ticket.
#[utoipa::path(delete, path = "/tags/{id}", tag = "tags", params(("id" = i64, Path)), responses((status = 204)))]
pub async fn delete_tag(State(s): State<AppState>, Auth(a): Auth, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    s.store.delete_tag(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/custom-fields", tag = "settings", responses((status = 200, body = Vec<CustomFieldDef>)))]
pub async fn list_custom_fields(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<CustomFieldDef>>> {
    Ok(Json(s.store.list_custom_fields(&a.actor).await?))
}

#[utoipa::path(post, path = "/custom-fields", tag = "settings", request_body = NewCustomField, responses((status = 201, body = CustomFieldDef)))]
pub async fn create_custom_field(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<NewCustomField>,
) -> ApiResult<(StatusCode, Json<CustomFieldDef>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_custom_field(&a.actor, &input).await?)))
}

#[utoipa::path(get, path = "/brands", tag = "settings", responses((status = 200, body = Vec<Brand>)))]
pub async fn list_brands(State(s): State<AppState>, Auth(a): Auth) -> ApiResult<Json<Vec<Brand>>> {
    Ok(Json(s.store.list_brands(&a.actor).await?))
}

#[utoipa::path(post, path = "/brands", tag = "settings", request_body = NewBrand, responses((status = 201, body = Brand)))]
pub async fn create_brand(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiJson(input): ApiJson<NewBrand>,
) -> ApiResult<(StatusCode, Json<Brand>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_brand(&a.actor, &input).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// e.g. `ticket`, `user`, `contact`.
    entity_type: Option<String>,
    entity_id: Option<i64>,
    cursor: Option<String>,
    limit: Option<u32>,
}

/// The audit log, newest first (admins only).
#[utoipa::path(get, path = "/audit", tag = "settings", params(AuditParams), responses((status = 200, body = Page<AuditEntry>)))]
pub async fn list_audit(State(s): State<AppState>, Auth(a): Auth, ApiQuery(p): ApiQuery<AuditParams>) -> ApiResult<Json<Page<AuditEntry>>> {
    let cursor = parse_cursor(p.cursor.as_deref())?;
    Ok(Json(s.store.list_audit(&a.actor, p.entity_type.as_deref(), p.entity_id, cursor, clamp_limit(p.limit)).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RawInboundParams {
    /// `pending`, `processed` or `failed`.
    status: Option<String>,
    limit: Option<u32>,
}

/// Raw inbound payloads as received, with their processing state (admins only).
#[utoipa::path(get, path = "/raw-inbound", tag = "settings", params(RawInboundParams), responses((status = 200, body = Vec<RawInbound>)))]
pub async fn list_raw_inbound(
    State(s): State<AppState>,
    Auth(a): Auth,
    ApiQuery(p): ApiQuery<RawInboundParams>,
) -> ApiResult<Json<Vec<RawInbound>>> {
    Ok(Json(s.store.list_raw_inbound(&a.actor, p.status.as_deref(), clamp_limit(p.limit)).await?))
}
