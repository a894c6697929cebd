//! Storage for SLA targets: per workspace and priority, minutes to the first
//! agent reply and to resolution (see `rapport_domain::sla` for the rules).

use crate::Result;
use async_trait::async_trait;
use rapport_domain::sla::SlaTargets;
use rapport_domain::{Actor, Priority, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlaPolicy {
    pub priority: Priority,
    pub first_response_minutes: Option<i64>,
    pub resolution_minutes: Option<i64>,
    pub updated_at: Timestamp,
}

impl SlaPolicy {
    pub fn targets(&self) -> SlaTargets {
        SlaTargets { first_response_minutes: self.first_response_minutes, resolution_minutes: self.resolution_minutes }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicyInput {
    /// Minutes from creation to the first agent reply; `null`: no target.
    pub first_response_minutes: Option<i64>,
    /// Minutes from creation to solved; `null`: no target.
    pub resolution_minutes: Option<i64>,
}

#[async_trait]
pub trait SlaStore: Send + Sync {
    /// The workspace's targets, one per priority that has any.
    async fn list_sla_policies(&self, actor: &Actor) -> Result<Vec<SlaPolicy>>;
    /// Sets (or, with both targets `null`, removes) a priority's targets. Admins only.
    async fn set_sla_policy(&self, actor: &Actor, priority: Priority, input: &SlaPolicyInput) -> Result<Option<SlaPolicy>>;
}
