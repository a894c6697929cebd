//! The embedded default store: one SQLite file in WAL mode.
//!
//! Writes go through one connection, taken in turn (SQLite has one writer at
//! a time; queueing for it is cheaper than retrying on `SQLITE_BUSY`), reads
//! through a pool that WAL lets run beside the writer.

use rapport_store::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::ConnectOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct SqliteStore {
    read: SqlitePool,
    /// The writing connection, `None` once closed. A lock and not a pool of
    /// one: a pool pings each connection given back to it, a round trip to
    /// the connection's thread that costs as much as a statement, and writes
    /// (two or three per inbound mail) wait for it. The lock is fair, so
    /// writers queue in order.
    write: Mutex<Option<SqliteConnection>>,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and its directory.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Other(format!("cannot create {}: {e}", dir.display())))?;
        }
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-32000")
            .pragma("temp_store", "memory");
        let write = options.connect().await.map_err(|e| StoreError::Other(format!("cannot open {}: {e}", path.display())))?;
        // A local file does not drop connections: no ping (a round trip to
        // the connection's thread) before each use.
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .connect_with(options.read_only(false))
            .await
            .map_err(rapport_store_sql::map_err)?;
        Ok(SqliteStore { read, write: Mutex::new(Some(write)), path })
    }

    /// The writing connection, for as long as the guard lives.
    async fn writer(&self) -> Result<MappedMutexGuard<'_, SqliteConnection>, StoreError> {
        MutexGuard::try_map(self.write.lock().await, Option::as_mut).map_err(|_| StoreError::Other("the database is closed".into()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn run_migrations(&self) -> Result<(), StoreError> {
        MIGRATOR.run_direct(&mut *self.writer().await?).await.map_err(|e| StoreError::Other(format!("migration failed: {e}")))
    }

    /// Writes a consistent copy of the live database to `dest` (`VACUUM INTO`),
    /// while readers and writers carry on.
    pub async fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        if dest.exists() {
            return Err(StoreError::Conflict(format!("{} already exists", dest.display())));
        }
        let dest = dest.to_str().ok_or_else(|| StoreError::Other("backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1").bind(dest).execute(&self.read).await.map_err(rapport_store_sql::map_err)?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `"ok"` or SQLite's list of problems.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("PRAGMA integrity_check").fetch_all(&self.read).await.map_err(rapport_store_sql::map_err)?;
        Ok(rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("; "))
    }

    pub async fn close(&self) {
        self.read.close().await;
        if let Some(write) = self.write.lock().await.take() {
            // As a pool's close does: a connection that fails to close cleanly is gone all the same.
            sqlx::Connection::close(write).await.ok();
        }
    }
}

rapport_store_sql::impl_sql_store!(SqliteStore, sqlx::Sqlite, "sqlite", skip_locked = "");
rapport_store_sql::impl_sql_kb_store!(SqliteStore, sqlx::Sqlite, postgres = false);
