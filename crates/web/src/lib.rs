//! Rapport's HTTP surface.
//!
//! - `api/`: the JSON REST API under `/api/v1`, with its OpenAPI document;
//! - `auth/`: passwords, login sessions, CSRF, API tokens, and the actor of each request;
//! - `pages/`: server-rendered HTML (login, home);
//! - `ops`: `/healthz`, `/readyz` and Prometheus `/metrics` on their own listener.

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod layers;
pub mod live;
pub mod ops;
pub mod pages;
pub mod reporting;
pub mod state;
pub mod system_mail;

pub use state::{AppState, WebConfig};

use axum::Router;

/// The main application router: pages, API and health checks.
pub fn router(state: AppState) -> Router {
    let api = api::router(state.clone());
    Router::new()
        .merge(pages::router())
        .nest("/api/v1", api)
        .merge(ops::health_router())
        .layer(axum::middleware::from_fn(layers::security_headers))
        .layer(axum::middleware::from_fn(layers::track_metrics))
        .layer(axum::extract::DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}
