//! Configuration, layered (later wins):
//! 1. built-in defaults;
//! 2. a TOML file (`--config`, else `RAPPORT_CONFIG`, else `./rapport.toml` if present);
//! 3. environment variables `RAPPORT_<KEY>`, with `__` between nested keys
//!    (`RAPPORT_DATABASE__URL`, `RAPPORT_HTTP__MAX_BODY_BYTES`);
//! 4. secrets from files: `RAPPORT_<KEY>_FILE=/run/secrets/x` sets `<KEY>`
//!    to the file's content (for Docker/Kubernetes secrets).

use figment::providers::{Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address of the web UI and API.
    pub listen: String,
    /// Address of `/metrics`, `/healthz` and `/readyz`; keep it private.
    pub ops_listen: String,
    /// The URL people use to reach Rapport (for links in mail and pages).
    pub public_url: String,
    /// Where the SQLite database, blobs and backups live.
    pub data_dir: PathBuf,
    /// Seals credentials stored in the database (mailbox passwords). Empty: a
    /// random key is created in `<data_dir>/secret.key` on first use. Secret.
    pub secret_key: String,
    pub database: DatabaseConfig,
    pub http: HttpConfig,
    pub email: EmailConfig,
    pub system_mail: SystemMailConfig,
    pub kb: KbConfig,
    pub measurement: MeasurementConfig,
    pub log: LogConfig,
}

/// KPIs and surveys.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasurementConfig {
    /// How often changed tickets are folded into the KPI facts, survey
    /// invitations planned and mailed, and webhooks delivered.
    pub jobs_seconds: u64,
    /// Plan and send surveys (CSAT/CES after solves, NPS schedules) in this process.
    pub surveys: bool,
    /// Public survey page requests per client address per minute.
    pub survey_requests_per_minute: u32,
}

/// The knowledge base.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KbConfig {
    /// Help-center searches, feedback, bot questions and contact forms per client address per minute.
    pub public_requests_per_minute: u32,
    pub llm: LlmSettings,
}

/// An optional OpenAI-compatible endpoint the answer bot uses to word its
/// answers from the retrieved articles. Empty `url`: the bot quotes the best passage.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LlmSettings {
    /// The API base, e.g. `https://api.example.com/v1` (`/chat/completions` is appended).
    pub url: String,
    pub model: String,
    /// Sent as a Bearer token. Secret: hidden by `print-config`.
    pub api_key: String,
    pub timeout_seconds: u64,
}

/// The SMTP server for mail Rapport sends its own users (password reset
/// links). Empty `host`: the user's workspace's first active mailbox is used.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemMailConfig {
    pub host: String,
    pub port: u16,
    /// `tls` (implicit TLS, usually port 465), `starttls` (usually 587) or `plain` (local relays only).
    pub security: String,
    /// Empty: no login.
    pub username: String,
    /// Secret: hidden by `print-config`.
    pub password: String,
    /// The sender address, e.g. `no-reply@example.com`; required with `host`.
    pub from_address: String,
    pub from_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    /// Fetch mailboxes and send mail in this process.
    pub enabled: bool,
    /// Longest wait between checks of a mailbox; IMAP IDLE usually wakes sooner.
    pub poll_seconds: u64,
    /// Mails from one sender per mailbox per hour before further ones are held.
    pub mails_per_sender_per_hour: u32,
    /// Answer a mail that opens a ticket with an acknowledgement.
    pub acknowledge: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Empty: SQLite at `<data_dir>/rapport.db`. Or `sqlite:///path/file.db`, or
    /// `postgres://user:password@host:5432/db`. Secret: hidden by `print-config`.
    pub url: String,
    /// PostgreSQL pool size per node.
    pub max_connections: u32,
    /// Apply pending migrations when `serve` starts.
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Send cookies with `Secure` (set true behind HTTPS).
    pub secure_cookies: bool,
    pub session_ttl_hours: u64,
    /// Per client address, on the login form.
    pub login_attempts_per_minute: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// `text` or `json`.
    pub format: String,
    /// A tracing filter, e.g. `info` or `rapport=debug,sqlx=warn`.
    pub filter: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            ops_listen: "127.0.0.1:9090".into(),
            public_url: "http://127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            secret_key: String::new(),
            database: DatabaseConfig { url: String::new(), max_connections: 20, migrate_on_start: true },
            kb: KbConfig {
                public_requests_per_minute: 120,
                llm: LlmSettings { url: String::new(), model: String::new(), api_key: String::new(), timeout_seconds: 20 },
            },
            measurement: MeasurementConfig { jobs_seconds: 5, surveys: true, survey_requests_per_minute: 30 },
            email: EmailConfig { enabled: true, poll_seconds: 60, mails_per_sender_per_hour: 30, acknowledge: true },
            system_mail: SystemMailConfig {
                host: String::new(),
                port: 587,
                security: "starttls".into(),
                username: String::new(),
                password: String::new(),
                from_address: String::new(),
                from_name: "Rapport".into(),
            },
            http: HttpConfig {
                max_body_bytes: 10 * 1024 * 1024,
                secure_cookies: false,
                session_ttl_hours: 12,
                login_attempts_per_minute: 10,
            },
            log: LogConfig { format: "text".into(), filter: "info,sqlx=warn".into() },
        }
    }
}

/// Keys whose values are secrets.
const SECRET_KEYS: &[&str] = &["database.url", "secret_key", "system_mail.password", "kb.llm.api_key"];

impl Config {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        Self::load_from(file, std::env::vars())
    }

    /// Loads from defaults, `file`, and the given environment (a parameter so tests need not touch the process's).
    pub fn load_from(file: Option<&Path>, env: impl Iterator<Item = (String, String)>) -> anyhow::Result<Config> {
        let env: Vec<(String, String)> = env.collect();
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        let from_env = env.iter().find(|(k, _)| k == "RAPPORT_CONFIG").map(|(_, v)| PathBuf::from(v));
        match file.map(Path::to_path_buf).or(from_env) {
            Some(path) => {
                anyhow::ensure!(path.exists(), "config file {} does not exist", path.display());
                fig = fig.merge(Toml::file(path));
            }
            None if Path::new("rapport.toml").exists() => fig = fig.merge(Toml::file("rapport.toml")),
            None => {}
        }
        let plain: Vec<(String, String)> = env
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("RAPPORT_").map(|k| (k.to_string(), v.clone())))
            .filter(|(k, _)| k != "CONFIG" && !k.ends_with("_FILE") && !k.starts_with("TEST_"))
            .collect();
        for (key, value) in plain {
            fig = fig.merge((env_key(&key), parse_env_value(&value)));
        }
        for (k, path) in env.iter().filter_map(|(k, v)| k.strip_prefix("RAPPORT_").and_then(|k| k.strip_suffix("_FILE")).map(|k| (k, v))) {
            if k == "CONFIG" || k.starts_with("TEST_") {
                continue;
            }
            let secret = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("RAPPORT_{k}_FILE: cannot read {path}: {e}"))?;
            fig = fig.merge((env_key(k), secret.trim_end_matches(['\n', '\r']).to_string()));
        }
        Ok(fig.extract()?)
    }

    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let url = self.database.url.trim();
        if url.is_empty() {
            return Some(self.data_dir.join("rapport.db"));
        }
        url.strip_prefix("sqlite://").map(PathBuf::from)
    }

    /// The system mail server, checked; `None` when no host is set (mailboxes are used instead).
    pub fn system_mail(&self) -> anyhow::Result<Option<rapport_web::system_mail::SystemMail>> {
        let m = &self.system_mail;
        if m.host.trim().is_empty() {
            return Ok(None);
        }
        let security = rapport_store::mail::Security::parse(&m.security)
            .map_err(|_| anyhow::anyhow!("system_mail.security must be tls, starttls or plain, not {:?}", m.security))?;
        anyhow::ensure!(m.port > 0, "system_mail.port must be a port number, 1-65535");
        let from = rapport_domain::Email::parse(&m.from_address)
            .map_err(|e| anyhow::anyhow!("system_mail.from_address must be the sender's address ({e})"))?;
        Ok(Some(rapport_web::system_mail::SystemMail {
            smtp: rapport_channels::email::smtp::SmtpConfig {
                host: m.host.trim().to_string(),
                port: m.port,
                security,
                username: m.username.clone(),
                password: m.password.clone(),
            },
            from_address: from.as_str().to_string(),
            from_name: m.from_name.clone(),
        }))
    }

    pub fn blob_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }

    /// The key for sealed credentials: `secret_key`, else `<data_dir>/secret.key`,
    /// created with 32 random bytes (mode 0600) when missing.
    pub fn secret_key_material(&self) -> anyhow::Result<Vec<u8>> {
        if !self.secret_key.is_empty() {
            return Ok(self.secret_key.as_bytes().to_vec());
        }
        let path = self.data_dir.join("secret.key");
        if let Ok(bytes) = std::fs::read(&path) {
            anyhow::ensure!(bytes.len() >= 32, "{} is too short to be a key", path.display());
            return Ok(bytes);
        }
        std::fs::create_dir_all(&self.data_dir)?;
        let mut key = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut key);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        std::io::Write::write_all(&mut options.open(&path)?, &key)?;
        tracing::info!(path = %path.display(), "created a new secret key; back it up with the data");
        Ok(key.to_vec())
    }

    /// The configuration as TOML, with secrets replaced by `"[hidden]"`.
    pub fn to_redacted_toml(&self) -> anyhow::Result<String> {
        let mut value = toml::Value::try_from(self)?;
        for key in SECRET_KEYS {
            let mut node = &mut value;
            let parts: Vec<&str> = key.split('.').collect();
            for p in &parts[..parts.len() - 1] {
                node = node.get_mut(*p).expect("secret key path exists");
            }
            let leaf = parts[parts.len() - 1];
            if let Some(v) = node.get_mut(leaf) {
                if v.as_str().is_some_and(|s| !s.is_empty()) {
                    *v = toml::Value::String("[hidden]".into());
                }
            }
        }
        Ok(toml::to_string_pretty(&value)?)
    }
}

/// `DATABASE__MAX_CONNECTIONS` → `database.max_connections`.
fn env_key(k: &str) -> String {
    k.to_lowercase().replace("__", ".")
}

/// Environment values are strings; numbers and booleans are parsed so they fit typed fields.
fn parse_env_value(v: &str) -> figment::value::Value {
    use figment::value::Value;
    if let Ok(b) = v.parse::<bool>() {
        return Value::from(b);
    }
    if let Ok(n) = v.parse::<u64>() {
        return Value::from(n);
    }
    Value::from(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Iterator<Item = (String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rapport.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:80\"\nops_listen = \"127.0.0.1:1\"\n[http]\nmax_body_bytes = 1000\n").unwrap();
        let secret = dir.path().join("db-url");
        std::fs::write(&secret, "postgres://u:s3cret@db/rapport\n").unwrap();
        let secret_path = secret.to_str().unwrap().to_string();
        let cfg = Config::load_from(
            Some(&file),
            env(&[
                ("RAPPORT_OPS_LISTEN", "127.0.0.1:2"),
                ("RAPPORT_HTTP__SECURE_COOKIES", "true"),
                ("RAPPORT_DATABASE__MAX_CONNECTIONS", "7"),
                ("RAPPORT_DATABASE__URL_FILE", &secret_path),
                ("RAPPORT_TEST_DATABASE_URL", "ignored"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(cfg.listen, "0.0.0.0:80", "file over default");
        assert_eq!(cfg.ops_listen, "127.0.0.1:2", "env over file");
        assert_eq!(cfg.http.max_body_bytes, 1000);
        assert!(cfg.http.secure_cookies);
        assert_eq!(cfg.database.max_connections, 7);
        assert_eq!(cfg.database.url, "postgres://u:s3cret@db/rapport", "secret file, newline trimmed");
        assert_eq!(cfg.sqlite_path(), None);

        let shown = cfg.to_redacted_toml().unwrap();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("[hidden]"));
        assert!(shown.contains("max_connections = 7"));
    }

    #[test]
    fn answer_bot_model_settings() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("llm-key");
        std::fs::write(&key, "sk-very-secret\n").unwrap();
        let key_path = key.to_str().unwrap().to_string();
        let cfg = Config::load_from(
            None,
            env(&[
                ("RAPPORT_KB__LLM__URL", "http://127.0.0.1:8000/v1"),
                ("RAPPORT_KB__LLM__MODEL", "local-7b"),
                ("RAPPORT_KB__LLM__API_KEY_FILE", &key_path),
                ("RAPPORT_KB__PUBLIC_REQUESTS_PER_MINUTE", "30"),
            ]),
        )
        .unwrap();
        assert_eq!(
            (cfg.kb.llm.url.as_str(), cfg.kb.llm.model.as_str(), cfg.kb.llm.api_key.as_str()),
            ("http://127.0.0.1:8000/v1", "local-7b", "sk-very-secret")
        );
        assert_eq!((cfg.kb.public_requests_per_minute, cfg.kb.llm.timeout_seconds), (30, 20));
        let shown = cfg.to_redacted_toml().unwrap();
        assert!(!shown.contains("sk-very-secret") && shown.contains("[kb.llm]"), "{shown}");
        assert!(Config::load_from(None, env(&[])).unwrap().kb.llm.url.is_empty(), "no model unless configured");
    }

    #[test]
    fn bad_config_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "lissten = \"typo\"\n").unwrap();
        let err = Config::load_from(Some(&file), env(&[])).unwrap_err().to_string();
        assert!(err.contains("lissten"), "{err}");
        let err = Config::load_from(None, env(&[("RAPPORT_DATABASE__URL_FILE", "/nonexistent/secret")])).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/secret"), "{err}");
        assert!(Config::load_from(Some(Path::new("/nonexistent.toml")), env(&[])).is_err());
    }

    #[test]
    fn system_mail_settings() {
        let none = Config::load_from(None, env(&[])).unwrap();
        assert!(none.system_mail().unwrap().is_none(), "no host: mailboxes are used");
        let cfg = Config::load_from(
            None,
            env(&[
                ("RAPPORT_SYSTEM_MAIL__HOST", "smtp.example.com"),
                ("RAPPORT_SYSTEM_MAIL__PORT", "465"),
                ("RAPPORT_SYSTEM_MAIL__SECURITY", "tls"),
                ("RAPPORT_SYSTEM_MAIL__USERNAME", "rapport"),
                ("RAPPORT_SYSTEM_MAIL__PASSWORD", "smtp-s3cret"),
                ("RAPPORT_SYSTEM_MAIL__FROM_ADDRESS", "No-Reply@Example.com"),
            ]),
        )
        .unwrap();
        let m = cfg.system_mail().unwrap().expect("configured");
        assert_eq!((m.smtp.host.as_str(), m.smtp.port, m.smtp.security), ("smtp.example.com", 465, rapport_store::mail::Security::Tls));
        assert_eq!((m.from_address.as_str(), m.from_name.as_str()), ("no-reply@example.com", "Rapport"));
        assert!(!cfg.to_redacted_toml().unwrap().contains("smtp-s3cret"), "the password is a secret");
        assert!(!format!("{m:?}").contains("smtp-s3cret"));

        let mut bad = cfg.clone();
        bad.system_mail.security = "ssl".into();
        assert!(bad.system_mail().unwrap_err().to_string().contains("system_mail.security"));
        let mut bad = cfg.clone();
        bad.system_mail.from_address = String::new();
        assert!(bad.system_mail().unwrap_err().to_string().contains("system_mail.from_address"));
    }

    #[test]
    fn default_is_embedded_sqlite() {
        let cfg = Config::load_from(None, env(&[])).unwrap();
        assert_eq!(cfg.sqlite_path(), Some(PathBuf::from("data/rapport.db")));
        assert_eq!(cfg.to_redacted_toml().unwrap().matches("[hidden]").count(), 0, "empty secrets are not marked");
    }
}
