use crate::model::*;
use crate::{Page, Result};
use async_trait::async_trait;
use rapport_domain::{Actor, Channel, Id, Timestamp};

/// Outcome of claiming an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyBegin {
    /// First use: go ahead, then call `idempotency_finish`.
    Claimed,
    /// Seen before with the same request: here is the first response.
    Replay { status: u16, body: String },
    /// Seen before with a different request body.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

/// Rapport's storage. Every method that reads or writes workspace data takes
/// the acting [`Actor`] and scopes the query by its workspace (and, for
/// tickets, by team visibility). Permission checks (`Actor::require`) are done
/// here too, so no caller can forget them.
///
/// Methods without an actor are for bootstrapping (CLI, demo) and for
/// authentication, which happens before there is an actor.
#[async_trait]
pub trait Store:
    crate::mail::MailStore
    + crate::desk::DeskStore
    + crate::replies::RepliesStore
    + crate::password_reset::PasswordResetStore
    + crate::kb::KbStore
    + crate::sla::SlaStore
    + crate::metrics::MetricsStore
    + crate::surveys::SurveyStore
    + crate::webhooks::WebhookStore
    + Send
    + Sync
    + 'static
{
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;
    async fn migrate(&self) -> Result<()>;
    async fn ping(&self) -> Result<()>;

    // ---- bootstrap
    async fn create_workspace(&self, name: &str, slug: &str) -> Result<Workspace>;
    async fn workspace_by_slug(&self, slug: &str) -> Result<Workspace>;
    async fn list_workspaces(&self) -> Result<Vec<Workspace>>;

    // ---- authentication (no actor yet)
    /// The active user with this email and their password hash.
    async fn user_for_login(&self, email: &str) -> Result<(User, Option<String>)>;
    async fn create_session(&self, user_id: Id, token_hash: &str, csrf_token: &str, expires_at: Timestamp) -> Result<()>;
    async fn session(&self, token_hash: &str) -> Result<SessionRecord>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn user_for_api_token(&self, token_hash: &str) -> Result<User>;

    async fn create_api_token(&self, actor: &Actor, user_id: Id, name: &str, token_hash: &str, prefix: &str) -> Result<ApiToken>;
    async fn list_api_tokens(&self, actor: &Actor, user_id: Id) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&self, actor: &Actor, token_id: Id) -> Result<()>;

    // ---- brands
    async fn create_brand(&self, actor: &Actor, input: &NewBrand) -> Result<Brand>;
    async fn list_brands(&self, actor: &Actor) -> Result<Vec<Brand>>;
    async fn update_brand(&self, actor: &Actor, id: Id, patch: &BrandPatch) -> Result<Brand>;

    // ---- users and teams
    /// `password_hash` is the argon2id PHC string, if the user may log in with a password.
    async fn create_user(&self, actor: &Actor, input: &NewUser, password_hash: Option<&str>) -> Result<User>;
    async fn get_user(&self, actor: &Actor, id: Id) -> Result<User>;
    async fn list_users(&self, actor: &Actor, q: &ListQuery) -> Result<Page<User>>;
    async fn update_user(&self, actor: &Actor, id: Id, patch: &UserPatch, password_hash: Option<&str>) -> Result<User>;
    /// Deactivates the user and ends their sessions and tokens; their history stays.
    async fn deactivate_user(&self, actor: &Actor, id: Id) -> Result<()>;
    /// Replaces the teams a user belongs to (admins only).
    async fn set_user_teams(&self, actor: &Actor, user_id: Id, team_ids: &[Id]) -> Result<User>;

    async fn create_team(&self, actor: &Actor, input: &NewTeam) -> Result<Team>;
    async fn get_team(&self, actor: &Actor, id: Id) -> Result<Team>;
    async fn list_teams(&self, actor: &Actor) -> Result<Vec<Team>>;
    async fn update_team(&self, actor: &Actor, id: Id, patch: &TeamPatch) -> Result<Team>;
    async fn delete_team(&self, actor: &Actor, id: Id) -> Result<()>;

    // ---- tags and custom fields
    async fn create_tag(&self, actor: &Actor, name: &str) -> Result<Tag>;
    async fn list_tags(&self, actor: &Actor) -> Result<Vec<Tag>>;
    async fn rename_tag(&self, actor: &Actor, id: Id, name: &str) -> Result<Tag>;
    /// Deletes the tag and removes it from every ticket.
    async fn delete_tag(&self, actor: &Actor, id: Id) -> Result<()>;

    async fn create_custom_field(&self, actor: &Actor, input: &NewCustomField) -> Result<CustomFieldDef>;
    async fn list_custom_fields(&self, actor: &Actor) -> Result<Vec<CustomFieldDef>>;

    // ---- contacts and organizations
    async fn create_contact(&self, actor: &Actor, input: &NewContact) -> Result<Contact>;
    async fn get_contact(&self, actor: &Actor, id: Id) -> Result<Contact>;
    async fn list_contacts(&self, actor: &Actor, q: &ListQuery) -> Result<Page<Contact>>;
    async fn update_contact(&self, actor: &Actor, id: Id, patch: &ContactPatch) -> Result<Contact>;
    async fn delete_contact(&self, actor: &Actor, id: Id) -> Result<()>;

    async fn create_organization(&self, actor: &Actor, input: &NewOrganization) -> Result<Organization>;
    async fn get_organization(&self, actor: &Actor, id: Id) -> Result<Organization>;
    async fn list_organizations(&self, actor: &Actor, q: &ListQuery) -> Result<Page<Organization>>;
    async fn update_organization(&self, actor: &Actor, id: Id, patch: &OrganizationPatch) -> Result<Organization>;
    async fn delete_organization(&self, actor: &Actor, id: Id) -> Result<()>;

    // ---- tickets and messages
    async fn create_ticket(&self, actor: &Actor, input: &NewTicket) -> Result<Ticket>;
    async fn get_ticket(&self, actor: &Actor, id: Id) -> Result<Ticket>;
    async fn list_tickets(&self, actor: &Actor, q: &TicketQuery) -> Result<Page<Ticket>>;
    /// Applies a patch: validates the status change, records each change in the
    /// audit log and as a system message.
    async fn update_ticket(&self, actor: &Actor, id: Id, patch: &TicketPatch) -> Result<Ticket>;
    async fn delete_ticket(&self, actor: &Actor, id: Id) -> Result<()>;

    async fn add_message(&self, actor: &Actor, ticket_id: Id, input: &NewMessage) -> Result<Message>;
    async fn get_message(&self, actor: &Actor, id: Id) -> Result<Message>;
    async fn list_messages(&self, actor: &Actor, ticket_id: Id, cursor: Option<crate::Cursor>, limit: usize) -> Result<Page<Message>>;
    /// Replaces a message's content with a redaction notice (for personal data removal).
    async fn redact_message(&self, actor: &Actor, id: Id) -> Result<Message>;
    /// An attachment's record, if the actor may see its message.
    async fn get_attachment(&self, actor: &Actor, id: Id) -> Result<Attachment>;

    // ---- raw inbound and audit
    /// Stores a raw payload before anything else happens to it. Idempotent on
    /// (workspace, channel, source_key): returns the existing row's id and `false` for a repeat.
    async fn put_raw_inbound(&self, workspace_id: Id, channel: Channel, source_key: &str, bytes: &[u8]) -> Result<(Id, bool)>;
    async fn raw_inbound(&self, workspace_id: Id, id: Id) -> Result<RawInbound>;
    async fn raw_inbound_bytes(&self, workspace_id: Id, id: Id) -> Result<Vec<u8>>;
    async fn mark_raw_inbound(&self, workspace_id: Id, id: Id, error: Option<&str>) -> Result<()>;
    async fn list_raw_inbound(&self, actor: &Actor, status: Option<&str>, limit: usize) -> Result<Vec<RawInbound>>;

    async fn list_audit(
        &self,
        actor: &Actor,
        entity_type: Option<&str>,
        entity_id: Option<Id>,
        cursor: Option<crate::Cursor>,
        limit: usize,
    ) -> Result<Page<AuditEntry>>;

    // ---- idempotency keys (scoped per user)
    async fn idempotency_begin(&self, actor: &Actor, key: &str, request_hash: &str) -> Result<IdempotencyBegin>;
    async fn idempotency_finish(&self, actor: &Actor, key: &str, status: u16, body: &str) -> Result<()>;
    /// Forgets a claimed key whose request failed on the server, so it can be retried.
    async fn idempotency_abandon(&self, actor: &Actor, key: &str) -> Result<()>;
}
