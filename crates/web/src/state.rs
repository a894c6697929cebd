use rapport_domain::crypto::SecretBox;
use rapport_domain::rate_limit::RateLimiter;
use rapport_store::{BlobStore, Store};
use std::sync::Arc;
use std::time::Duration;

/// The settings the HTTP layer needs (a slice of the app's configuration).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Mark cookies `Secure` (serve over HTTPS in production).
    pub secure_cookies: bool,
    pub session_ttl: Duration,
    /// Login attempts allowed per client address per minute (password reset requests count too).
    pub login_attempts_per_minute: u32,
    /// How people reach Rapport, for links in mail (`https://support.example.com`).
    pub public_url: String,
    /// The SMTP server for mail to users (reset links); `None`: a workspace mailbox's.
    pub system_mail: Option<crate::system_mail::SystemMail>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            max_body_bytes: 10 * 1024 * 1024,
            secure_cookies: false,
            session_ttl: Duration::from_secs(12 * 3600),
            login_attempts_per_minute: 10,
            public_url: "http://127.0.0.1:8080".into(),
            system_mail: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub blobs: BlobStore,
    pub config: Arc<WebConfig>,
    pub login_limiter: Arc<RateLimiter>,
    /// Seals and opens credentials stored in the database (mailbox passwords).
    pub secrets: SecretBox,
    /// Live updates for the agent desk: change feed, presence, pings.
    pub live: Arc<crate::live::Live>,
    /// Knowledge base: the public rate limit and the answer bot's optional language model.
    pub kb: Arc<crate::api::kb::KbServices>,
    /// Public survey pages: the rate limit per client address.
    pub surveys: Arc<crate::pages::surveys::SurveyLimits>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, blobs: BlobStore, config: WebConfig, secrets: SecretBox) -> Self {
        let limiter = RateLimiter::new(config.login_attempts_per_minute, Duration::from_secs(60));
        AppState {
            store,
            blobs,
            config: Arc::new(config),
            login_limiter: Arc::new(limiter),
            secrets,
            live: Arc::default(),
            kb: Arc::default(),
            surveys: Arc::default(),
        }
    }
}
