//! Storage for events and outbound webhooks: things that happened in a
//! workspace (`app_event`), the URLs that want to hear about them, and one
//! durable delivery per event and subscription, retried with backoff and
//! logged with each attempt's outcome.

use crate::Result;
use async_trait::async_trait;
use rapport_domain::{Actor, Id, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Webhook {
    pub id: Id,
    pub url: String,
    /// Event names, or `*` for every event.
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    /// `https://…` (plain `http://` is accepted for loopback and private test setups).
    pub url: String,
    pub events: Vec<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppEvent {
    pub id: Id,
    pub name: String,
    #[schema(value_type = Object)]
    pub payload: Value,
    pub created_at: Timestamp,
}

rapport_domain::string_enum!(
    DeliveryStatus, "status" { Queued = "queued", Sending = "sending", Delivered = "delivered", Failed = "failed" }
);

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookDelivery {
    pub id: Id,
    pub webhook_id: Id,
    pub event_id: Id,
    pub event_name: String,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub last_duration_ms: Option<i64>,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

/// A claimed delivery with what sending it needs.
#[derive(Debug, Clone)]
pub struct DeliveryJob {
    pub delivery_id: Id,
    pub workspace_id: Id,
    pub url: String,
    pub secret_enc: String,
    pub event: AppEvent,
    /// Including this one.
    pub attempts: i64,
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptOutcome {
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
    /// `None`: delivered. `Some(Some(at))`: try again at. `Some(None)`: give up.
    pub retry: Option<Option<Timestamp>>,
}

#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Admins only. `secret_enc` is the signing secret, sealed by the caller.
    async fn create_webhook(&self, actor: &Actor, input: &WebhookInput, secret_enc: &str) -> Result<Webhook>;
    async fn update_webhook(&self, actor: &Actor, id: Id, input: &WebhookInput) -> Result<Webhook>;
    async fn list_webhooks(&self, actor: &Actor) -> Result<Vec<Webhook>>;
    async fn delete_webhook(&self, actor: &Actor, id: Id) -> Result<()>;
    async fn list_webhook_deliveries(&self, actor: &Actor, webhook_id: Id, limit: usize) -> Result<Vec<WebhookDelivery>>;

    /// Records an event and queues a delivery to every active subscription
    /// that wants it, in one transaction.
    async fn record_event(&self, actor: &Actor, name: &str, payload: &Value) -> Result<AppEvent>;
    async fn list_events(&self, actor: &Actor, limit: usize) -> Result<Vec<AppEvent>>;

    /// Claims due deliveries (queued, or sending with an expired lease) until `lease_until`.
    async fn claim_webhook_deliveries(&self, now: Timestamp, lease_until: Timestamp, limit: usize) -> Result<Vec<DeliveryJob>>;
    async fn finish_webhook_delivery(&self, delivery_id: Id, outcome: &AttemptOutcome) -> Result<()>;
}
