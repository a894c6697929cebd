//! Storage for surveys: CSAT and CES after a ticket is solved, NPS for
//! contacts in a segment; invitations with throttling, answers that can be
//! changed within a window, and the follow-up loop (a task for the owner, an
//! event, webhook deliveries) when an answer is low.

use crate::mail::NewOutbound;
use crate::metrics::MetricsFilter;
use crate::{Page, Result};
use async_trait::async_trait;
use rapport_analytics::experience::ResponseRow;
use rapport_domain::{Actor, Channel, Id, Locale, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub use rapport_analytics::experience::SurveyKind;

/// Text in several languages: `{"en": "...", "vi": "...", "pl": "..."}`.
pub type Localized = BTreeMap<Locale, String>;

/// A question beyond the score: free text, or one of `choices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtraQuestion {
    /// `a-z0-9_`, unique in the survey; the answer's key.
    pub key: String,
    #[schema(value_type = Object)]
    pub label: Localized,
    /// Empty: free text.
    #[serde(default)]
    pub choices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyQuestions {
    /// Replaces the standard question of the kind, per language.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub question: Localized,
    /// The optional open follow-up ("What could we do better?"); standard text when empty.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub follow_up: Localized,
    #[serde(default)]
    pub extra: Vec<ExtraQuestion>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Survey {
    pub id: Id,
    pub kind: SurveyKind,
    pub name: String,
    pub active: bool,
    /// Only tickets (or, for NPS, sent in the name) of this brand.
    pub brand_id: Option<Id>,
    /// CSAT / CES: minutes after the solve before the survey goes out (a reopen in between cancels it).
    pub delay_minutes: i64,
    /// No contact gets this kind of survey more than once in this many days.
    pub throttle_days: i64,
    /// Hours after the first answer during which it may be changed.
    pub change_window_hours: i64,
    /// Days after sending until the link stops accepting a first answer.
    pub expires_after_days: i64,
    /// Answers at or below this score create a follow-up task and fire `survey.low_score`.
    pub alert_at_or_below: i64,
    /// Owner of follow-up tasks when the ticket has no assignee (and for NPS).
    pub follow_up_user_id: Option<Id>,
    /// NPS: contacts of these organizations; empty for every contact.
    pub segment_organization_ids: Vec<Id>,
    pub questions: SurveyQuestions,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Creates or replaces a survey's settings; unset numbers take the kind's defaults.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    pub kind: SurveyKind,
    pub name: String,
    pub active: Option<bool>,
    pub brand_id: Option<Id>,
    pub delay_minutes: Option<i64>,
    pub throttle_days: Option<i64>,
    pub change_window_hours: Option<i64>,
    pub expires_after_days: Option<i64>,
    pub alert_at_or_below: Option<i64>,
    pub follow_up_user_id: Option<Id>,
    #[serde(default)]
    pub segment_organization_ids: Vec<Id>,
    #[serde(default)]
    pub questions: SurveyQuestions,
}

impl SurveyInput {
    pub fn new(kind: SurveyKind, name: &str) -> Self {
        SurveyInput {
            kind,
            name: name.into(),
            active: None,
            brand_id: None,
            delay_minutes: None,
            throttle_days: None,
            change_window_hours: None,
            expires_after_days: None,
            alert_at_or_below: None,
            follow_up_user_id: None,
            segment_organization_ids: vec![],
            questions: SurveyQuestions::default(),
        }
    }
}

rapport_domain::string_enum!(
    /// - `pending`: planned, not sent yet;
    /// - `sent`: the email is queued (or the link handed to the widget);
    /// - `skipped`: deliberately not sent (`skip_reason`: throttled, no_email, no_mailbox, no_requester).
    InvitationStatus, "status" { Pending = "pending", Sent = "sent", Skipped = "skipped" }
);

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Invitation {
    pub id: Id,
    pub survey_id: Id,
    pub kind: SurveyKind,
    pub contact_id: Option<Id>,
    pub ticket_id: Option<Id>,
    pub locale: Locale,
    pub brand_id: Option<Id>,
    pub team_id: Option<Id>,
    pub agent_id: Option<Id>,
    pub channel: Option<Channel>,
    pub language: Option<Locale>,
    pub status: InvitationStatus,
    pub skip_reason: Option<String>,
    /// `email` or `link`.
    pub delivery: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SurveyResponse {
    pub id: Id,
    pub invitation_id: Id,
    pub survey_id: Id,
    pub kind: SurveyKind,
    pub contact_id: Option<Id>,
    pub ticket_id: Option<Id>,
    /// Who handled the ticket when the survey was sent.
    pub agent_id: Option<Id>,
    pub team_id: Option<Id>,
    pub brand_id: Option<Id>,
    pub channel: Option<Channel>,
    pub language: Option<Locale>,
    pub score: i64,
    pub comment: Option<String>,
    pub answers: BTreeMap<String, String>,
    /// The first answer: the response counts in the period of this instant.
    pub answered_at: Timestamp,
    pub updated_at: Timestamp,
    /// 1 for the first answer, +1 per change.
    pub revision: i64,
}

/// What the respondent submits.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub score: i64,
    pub comment: Option<String>,
    /// Extra questions' answers by key.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

rapport_domain::string_enum!(TaskStatus, "status" { Open = "open", Done = "done" });

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Task {
    pub id: Id,
    pub owner_user_id: Option<Id>,
    pub title: String,
    pub body: String,
    pub ticket_id: Option<Id>,
    pub contact_id: Option<Id>,
    pub survey_response_id: Option<Id>,
    pub status: TaskStatus,
    pub due_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub done_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct AnswerResult {
    pub response: SurveyResponse,
    /// The answer replaced an earlier one.
    pub changed: bool,
    /// Created by this answer (a low score that had no task yet).
    pub task: Option<Task>,
}

/// What the public response page needs; found by an invitation id whose
/// signed token the caller has verified.
#[derive(Debug, Clone)]
pub struct InvitationView {
    pub workspace_id: Id,
    pub invitation: Invitation,
    pub survey: Survey,
    pub response: Option<SurveyResponse>,
    pub contact_name: Option<String>,
    pub ticket_subject: Option<String>,
    pub brand_name: Option<String>,
}

/// A pending invitation with what its email needs.
#[derive(Debug, Clone)]
pub struct InvitationToSend {
    pub workspace_id: Id,
    pub invitation: Invitation,
    pub survey: Survey,
    pub contact_name: String,
    pub contact_email: Option<String>,
    pub ticket_subject: Option<String>,
    /// The mailbox to send from: the ticket's, else the brand's, else the workspace's first active one.
    pub mailbox_id: Option<Id>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOutcome {
    pub planned: usize,
    pub skipped: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ResponseQuery {
    pub ticket_id: Option<Id>,
    pub contact_id: Option<Id>,
    pub survey_id: Option<Id>,
    pub cursor: Option<crate::Cursor>,
    pub limit: usize,
}

#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    pub owner_user_id: Option<Id>,
    pub ticket_id: Option<Id>,
    pub open_only: bool,
    pub limit: usize,
}

#[async_trait]
pub trait SurveyStore: Send + Sync {
    /// Admins only.
    async fn create_survey(&self, actor: &Actor, input: &SurveyInput) -> Result<Survey>;
    /// Replaces the settings; the kind cannot change. Admins only.
    async fn update_survey(&self, actor: &Actor, id: Id, input: &SurveyInput) -> Result<Survey>;
    async fn get_survey(&self, actor: &Actor, id: Id) -> Result<Survey>;
    async fn list_surveys(&self, actor: &Actor) -> Result<Vec<Survey>>;

    /// Background job, all workspaces: plans CSAT / CES invitations for
    /// tickets solved at least `delay_minutes` ago (and still solved or
    /// closed), and NPS invitations for contacts of each NPS survey's
    /// segment, at most `limit` per survey. Throttled or unreachable contacts
    /// get a `skipped` invitation saying why.
    async fn plan_survey_invitations(&self, now: Timestamp, limit: usize) -> Result<PlanOutcome>;
    /// Invites the ticket's requester now (for the chat widget, or an agent),
    /// as a link (no email), subject to the throttle. Returns the existing
    /// invitation if the ticket has one for this survey.
    async fn invite_for_ticket(&self, actor: &Actor, survey_id: Id, ticket_id: Id) -> Result<Invitation>;
    /// Pending invitations to send, oldest first, across workspaces.
    async fn pending_invitations(&self, limit: usize) -> Result<Vec<InvitationToSend>>;
    /// Marks a pending invitation sent and queues its mail, in one transaction;
    /// `false` if it was not pending any more (sent by someone else).
    async fn mark_invitation_sent(&self, workspace_id: Id, invitation_id: Id, mail: Option<&NewOutbound>) -> Result<bool>;
    async fn skip_invitation(&self, workspace_id: Id, invitation_id: Id, reason: &str) -> Result<()>;
    async fn list_invitations(&self, actor: &Actor, ticket_id: Option<Id>, limit: usize) -> Result<Vec<Invitation>>;

    /// For the public page (no actor: the caller verified the signed token).
    async fn invitation_view(&self, invitation_id: Id) -> Result<InvitationView>;
    /// Records the answer, or changes it within the survey's window. A low
    /// score creates one follow-up task (per response) and fires
    /// `survey.low_score`; every answer fires `survey.answered`.
    async fn answer_survey(&self, invitation_id: Id, answer: &Answer, now: Timestamp) -> Result<AnswerResult>;

    async fn list_responses(&self, actor: &Actor, q: &ResponseQuery) -> Result<Page<SurveyResponse>>;
    /// Responses first answered in the period, after the filters, as KPI rows.
    async fn response_rows(&self, actor: &Actor, filter: &MetricsFilter) -> Result<Vec<ResponseRow>>;
    /// Invitations sent in the period per kind (for response rates).
    async fn invitations_sent(&self, actor: &Actor, filter: &MetricsFilter) -> Result<Vec<(SurveyKind, i64)>>;
    async fn responses_by_id(&self, actor: &Actor, ids: &[Id]) -> Result<Vec<SurveyResponse>>;

    async fn list_tasks(&self, actor: &Actor, q: &TaskQuery) -> Result<Vec<Task>>;
    async fn complete_task(&self, actor: &Actor, id: Id) -> Result<Task>;
}
