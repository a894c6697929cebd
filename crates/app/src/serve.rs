//! Running the server: listeners, state, logging, graceful shutdown.

use crate::config::{Config, LogConfig};
use crate::{demo, stores};
use rapport_channels::email::ingest::Ingestor;
use rapport_channels::email::worker::EmailWorker;
use rapport_domain::crypto::SecretBox;
use rapport_store::{BlobStore, Store};
use rapport_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The demo seeder's workspace slug and admin login.
const DEMO_WORKSPACE: &str = "demo";
const DEMO_ADMIN: &str = "admin@rapport.demo";

pub fn init_logging(cfg: &LogConfig) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&cfg.filter));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if cfg.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn web_config(cfg: &Config) -> anyhow::Result<WebConfig> {
    Ok(WebConfig {
        max_body_bytes: cfg.http.max_body_bytes,
        secure_cookies: cfg.http.secure_cookies,
        session_ttl: Duration::from_secs(cfg.http.session_ttl_hours * 3600),
        login_attempts_per_minute: cfg.http.login_attempts_per_minute,
        public_url: cfg.public_url.clone(),
        system_mail: cfg.system_mail()?,
    })
}

async fn prepare(cfg: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let store = stores::open(cfg).await?;
    if cfg.database.migrate_on_start {
        store.migrate().await?;
    }
    Ok(store)
}

pub async fn serve(cfg: Config) -> anyhow::Result<()> {
    let store = prepare(&cfg).await?;
    run(cfg, store, None).await
}

pub async fn demo(cfg: Config, seed_only: bool) -> anyhow::Result<()> {
    let store = prepare(&cfg).await?;
    let summary = match store.workspace_by_slug(DEMO_WORKSPACE).await {
        Ok(_) => {
            tracing::info!("demo workspace already present; not seeding again");
            None
        }
        Err(_) => {
            let started = std::time::Instant::now();
            println!("Seeding the demo workspace (vi / pl / en)...");
            let hash = rapport_web::auth::password::hash(demo::DEMO_PASSWORD.to_string()).await;
            let s = demo::seed(store.as_ref(), &hash, 2026).await?;
            println!(
                "Seeded {} tickets with {} messages, {} contacts, {} organizations in {:.1}s.",
                s.tickets,
                s.messages,
                s.contacts,
                s.organizations,
                started.elapsed().as_secs_f64()
            );
            Some(s)
        }
    };
    if seed_only {
        return Ok(());
    }
    let banner = demo_banner(&cfg, summary.as_ref());
    run(cfg, store, Some(banner)).await
}

fn demo_banner(cfg: &Config, summary: Option<&demo::DemoSummary>) -> String {
    let mut out =
        format!("\nRapport demo is running at {}\n\nSign in with any of these (password: {}):\n", cfg.public_url, demo::DEMO_PASSWORD);
    match summary {
        Some(s) => {
            for l in &s.logins {
                out.push_str(&format!("  {:<8} {:<32} {}\n", l.role.as_str(), l.email, l.name));
            }
        }
        None => out.push_str(&format!("  {}\n", DEMO_ADMIN)),
    }
    out.push_str(&format!("\nAPI description: {}/api/v1/openapi.json\nMetrics: http://{}/metrics\n", cfg.public_url, cfg.ops_listen));
    out
}

/// The knowledge base's public rate limit and, when configured, the answer bot's language model.
fn kb_services(cfg: &Config) -> anyhow::Result<rapport_web::api::kb::KbServices> {
    let limiter = rapport_domain::rate_limit::RateLimiter::new(cfg.kb.public_requests_per_minute, Duration::from_secs(60));
    let llm = &cfg.kb.llm;
    let client = if llm.url.trim().is_empty() {
        None
    } else {
        anyhow::ensure!(!llm.model.trim().is_empty(), "kb.llm.model is required when kb.llm.url is set");
        let config = rapport_kb::llm::LlmConfig {
            url: llm.url.trim().to_string(),
            model: llm.model.trim().to_string(),
            api_key: llm.api_key.clone(),
            timeout: Duration::from_secs(llm.timeout_seconds.max(1)),
        };
        tracing::info!(model = %config.model, "the answer bot words its answers with a language model");
        Some(rapport_kb::llm::LlmClient::new(config)?)
    };
    Ok(rapport_web::api::kb::KbServices { public_limiter: limiter, llm: client })
}

/// Keeps the ticket-message search index up to date: drains the queue of new
/// and edited messages every second (searches also drain it first).
fn spawn_message_indexer(store: Arc<dyn Store>) {
    tokio::spawn(async move {
        loop {
            match store.index_messages(2_000).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "indexing messages for search failed; retrying"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

async fn run(cfg: Config, store: Arc<dyn Store>, banner: Option<String>) -> anyhow::Result<()> {
    let blobs = BlobStore::new(cfg.blob_dir());
    let secrets = SecretBox::new(&cfg.secret_key_material()?);
    if cfg.email.enabled {
        let mut ingestor = Ingestor::new(store.clone(), blobs.clone(), cfg.email.mails_per_sender_per_hour);
        ingestor.acknowledge = cfg.email.acknowledge;
        EmailWorker {
            store: store.clone(),
            ingestor: Arc::new(ingestor),
            secrets: secrets.clone(),
            poll_interval: Duration::from_secs(cfg.email.poll_seconds.max(1)),
            send_interval: Duration::from_secs(2),
        }
        .spawn();
    }
    spawn_message_indexer(store.clone());
    crate::jobs::spawn(store.clone(), secrets.clone(), cfg.public_url.clone(), &cfg.measurement);
    let mut state = AppState::new(store, blobs, web_config(&cfg)?, secrets);
    state.kb = Arc::new(kb_services(&cfg)?);
    state.surveys = Arc::new(rapport_web::pages::surveys::SurveyLimits::per_minute(cfg.measurement.survey_requests_per_minute));
    let prometheus = metrics_exporter_prometheus::PrometheusBuilder::new().install_recorder()?;

    let app = rapport_web::router(state.clone());
    let ops = rapport_web::ops::ops_router(state, prometheus);
    let listener = tokio::net::TcpListener::bind(&cfg.listen).await.map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", cfg.listen))?;
    let ops_listener =
        tokio::net::TcpListener::bind(&cfg.ops_listen).await.map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", cfg.ops_listen))?;
    tracing::info!(listen = %cfg.listen, ops = %cfg.ops_listen, "rapport is serving");
    if let Some(b) = banner {
        println!("{b}");
    }
    let main = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown_signal());
    let ops = axum::serve(ops_listener, ops).with_graceful_shutdown(shutdown_signal());
    tokio::try_join!(main, ops)?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
