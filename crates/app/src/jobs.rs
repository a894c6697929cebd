//! Background work for measurement, run inside `serve`: fold changed tickets
//! into their KPI facts, plan survey invitations (after solves, NPS
//! schedules), queue their mail, and deliver webhooks. Each step is safe to
//! run on several nodes at once (leases, versioned marks, the throttle).

use crate::config::MeasurementConfig;
use rapport_domain::crypto::SecretBox;
use rapport_domain::Timestamp;
use rapport_store::Store;
use std::sync::Arc;
use std::time::Duration;

/// One round of every step; errors are logged and the next round tries again.
pub async fn run_once(
    store: &dyn Store,
    secrets: &SecretBox,
    public_url: &str,
    surveys: bool,
    http: &rapport_channels::webhook::HttpClient,
) {
    for _ in 0..10 {
        match store.refresh_ticket_facts(None, 5_000).await {
            Ok(r) if r.remaining > 0 => continue,
            Ok(_) => break,
            Err(e) => {
                tracing::warn!(error = %e, "refreshing ticket facts failed");
                break;
            }
        }
    }
    if surveys {
        if let Err(e) = store.plan_survey_invitations(Timestamp::now(), 200).await {
            tracing::warn!(error = %e, "planning survey invitations failed");
        }
        if let Err(e) = rapport_web::pages::surveys::mail::send_pending(store, secrets, public_url, 200).await {
            tracing::warn!(error = %e, "queueing survey mail failed");
        }
    }
    if let Err(e) = rapport_channels::webhook::deliver_due(store, secrets, http, 100).await {
        tracing::warn!(error = %e, "delivering webhooks failed");
    }
}

pub fn spawn(store: Arc<dyn Store>, secrets: SecretBox, public_url: String, cfg: &MeasurementConfig) {
    let every = Duration::from_secs(cfg.jobs_seconds.max(1));
    let surveys = cfg.surveys;
    tokio::spawn(async move {
        let http = rapport_channels::webhook::client();
        loop {
            run_once(store.as_ref(), &secrets, &public_url, surveys, &http).await;
            tokio::time::sleep(every).await;
        }
    });
}
