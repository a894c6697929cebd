//! Operational endpoints. `/healthz` (alive) and `/readyz` (the store
//! answers) are served on the main listener for load balancers, and again on
//! the ops listener together with Prometheus `/metrics`, which is kept off the
//! public port.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready".to_string()),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, format!("store unavailable: {e}"))
        }
    }
}

pub fn health_router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// The ops listener's router.
pub fn ops_router(state: AppState, prometheus: PrometheusHandle) -> Router {
    let metrics = move || {
        let p = prometheus.clone();
        async move { ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], p.render()) }
    };
    health_router().route("/metrics", get(metrics)).with_state(state)
}
