//! The scale-out store: PostgreSQL, shared by any number of `rapport serve` nodes.

pub mod testing;

use rapport_store::StoreError;
use sqlx::postgres::{PgPool, PgPoolOptions};
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct PostgresStore {
    read: PgPool,
    write: PgPool,
}

impl PostgresStore {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| StoreError::Other(format!("cannot connect to PostgreSQL: {e}")))?;
        Ok(PostgresStore { read: pool.clone(), write: pool })
    }

    /// A connection for writing: any of the pool's.
    async fn writer(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, StoreError> {
        self.write.acquire().await.map_err(rapport_store_sql::map_err)
    }

    async fn run_migrations(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.write).await.map_err(|e| StoreError::Other(format!("migration failed: {e}")))
    }

    pub async fn close(&self) {
        self.write.close().await;
    }
}

rapport_store_sql::impl_sql_store!(PostgresStore, sqlx::Postgres, "postgres", skip_locked = "FOR UPDATE SKIP LOCKED");
rapport_store_sql::impl_sql_kb_store!(PostgresStore, sqlx::Postgres, postgres = true);
