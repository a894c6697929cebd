//! `rapport backup DEST` / `rapport restore SRC`.
//!
//! A backup is a directory:
//! - `rapport.db`: a consistent SQLite snapshot taken online (`VACUUM INTO`),
//!   or `rapport.pgdump`: `pg_dump --format=custom` of the PostgreSQL database;
//! - `secret.key`: the key that seals stored credentials, when it lives in the data directory;
//! - `blobs/`: the content-addressed attachment store. Blobs are immutable and
//!   written before the rows that name them, so copying them after the
//!   snapshot captures every blob the snapshot refers to.

use crate::config::Config;
use crate::stores::{self, Opened};
use anyhow::{bail, Context};
use std::path::Path;

const SQLITE_FILE: &str = "rapport.db";
const PG_FILE: &str = "rapport.pgdump";
const SECRET_KEY_FILE: &str = "secret.key";

pub async fn backup(cfg: &Config, dest: &Path) -> anyhow::Result<()> {
    if dest.exists() && std::fs::read_dir(dest)?.next().is_some() {
        bail!("{} exists and is not empty; choose a new directory", dest.display());
    }
    std::fs::create_dir_all(dest)?;
    match stores::open_backend(cfg).await? {
        Opened::Sqlite(store) => {
            store.backup_to(&dest.join(SQLITE_FILE)).await?;
            store.close().await;
        }
        Opened::Postgres(store, url) => {
            store.close().await;
            let out = tokio::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(dest.join(PG_FILE))
                .arg(&url)
                .output()
                .await
                .context("running pg_dump (install the PostgreSQL client tools)")?;
            if !out.status.success() {
                bail!("pg_dump failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
    }
    let key = cfg.data_dir.join(SECRET_KEY_FILE);
    if key.exists() {
        std::fs::copy(&key, dest.join(SECRET_KEY_FILE))?;
    }
    let copied = copy_tree(&cfg.blob_dir(), &dest.join("blobs"))?;
    println!("backup written to {} ({copied} blobs)", dest.display());
    Ok(())
}

pub async fn restore(cfg: &Config, src: &Path, force: bool) -> anyhow::Result<()> {
    match stores::open_backend(cfg).await? {
        Opened::Sqlite(store) => {
            let snapshot = src.join(SQLITE_FILE);
            if !snapshot.exists() {
                bail!("{} has no {SQLITE_FILE}; is it a backup of a SQLite installation?", src.display());
            }
            let target = store.path().to_path_buf();
            store.close().await;
            check_sqlite(&snapshot).await?;
            let has_data = std::fs::metadata(&target).map(|m| m.len() > 0).unwrap_or(false);
            if has_data && !force {
                bail!("{} already holds data; pass --force to replace it (stop the server first)", target.display());
            }
            let tmp = target.with_extension("db.restoring");
            std::fs::copy(&snapshot, &tmp)?;
            for suffix in ["-wal", "-shm"] {
                let side = format!("{}{suffix}", target.display());
                if Path::new(&side).exists() {
                    std::fs::remove_file(&side)?;
                }
            }
            std::fs::rename(&tmp, &target)?;
        }
        Opened::Postgres(store, url) => {
            store.close().await;
            let dump = src.join(PG_FILE);
            if !dump.exists() {
                bail!("{} has no {PG_FILE}; is it a backup of a PostgreSQL installation?", src.display());
            }
            if !force {
                bail!("restoring replaces the database's contents; pass --force (stop the servers first)");
            }
            let out = tokio::process::Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname"])
                .arg(&url)
                .arg(&dump)
                .output()
                .await
                .context("running pg_restore (install the PostgreSQL client tools)")?;
            if !out.status.success() {
                bail!("pg_restore failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
    }
    let key = src.join(SECRET_KEY_FILE);
    if key.exists() {
        std::fs::create_dir_all(&cfg.data_dir)?;
        std::fs::copy(&key, cfg.data_dir.join(SECRET_KEY_FILE))?;
    }
    let copied = copy_tree(&src.join("blobs"), &cfg.blob_dir())?;
    println!("restored from {} ({copied} blobs)", src.display());
    Ok(())
}

/// Refuses a snapshot that SQLite does not consider intact.
async fn check_sqlite(path: &Path) -> anyhow::Result<()> {
    let store = rapport_store_sqlite::SqliteStore::open(path).await?;
    let verdict = store.integrity_check().await?;
    store.close().await;
    if verdict != "ok" {
        bail!("{} failed SQLite's integrity check: {verdict}", path.display());
    }
    Ok(())
}

/// Copies files that are missing at the destination; returns how many files exist there afterwards.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<usize> {
    if !from.exists() {
        return Ok(0);
    }
    let mut count = 0;
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            count += copy_tree(&entry.path(), &target)?;
        } else if !entry.file_name().to_string_lossy().starts_with('.') {
            if !target.exists() {
                std::fs::copy(entry.path(), &target)?;
            }
            count += 1;
        }
    }
    Ok(count)
}
