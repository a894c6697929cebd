//! Opens the configured store: SQLite (embedded default) or PostgreSQL.

use crate::config::Config;
use rapport_store::Store;
use rapport_store_postgres::PostgresStore;
use rapport_store_sqlite::SqliteStore;
use std::sync::Arc;

pub enum Opened {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PostgresStore>, String),
}

impl Opened {
    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Opened::Sqlite(s) => s.clone(),
            Opened::Postgres(p, _) => p.clone(),
        }
    }
}

pub async fn open_backend(cfg: &Config) -> anyhow::Result<Opened> {
    let url = cfg.database.url.trim();
    if let Some(path) = cfg.sqlite_path() {
        return Ok(Opened::Sqlite(Arc::new(SqliteStore::open(&path).await?)));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PostgresStore::connect(url, cfg.database.max_connections).await?;
        return Ok(Opened::Postgres(Arc::new(store), url.to_string()));
    }
    anyhow::bail!("database.url must be empty (SQLite in data_dir), sqlite:///path or postgres://...")
}

pub async fn open(cfg: &Config) -> anyhow::Result<Arc<dyn Store>> {
    Ok(open_backend(cfg).await?.store())
}
