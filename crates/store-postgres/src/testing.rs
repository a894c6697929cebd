//! A fresh, migrated database per test on the PostgreSQL server named by
//! `RAPPORT_TEST_DATABASE_URL` (`scripts/test.sh` starts one and sets it).

use crate::PostgresStore;
use rapport_store::Store;
use sqlx::Connection;

pub const URL_VAR: &str = "RAPPORT_TEST_DATABASE_URL";

/// The server URL; panics with instructions when it is not set, so a missing
/// server is a failure, never a silent skip.
pub fn server_url() -> String {
    std::env::var(URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{URL_VAR} is not set: run the test suite with `bash scripts/test.sh`, which starts PostgreSQL, or point {URL_VAR} at a server"
        )
    })
}

/// Creates an empty database with a unique name and returns its URL.
pub async fn fresh_database_url() -> String {
    let server = server_url();
    let name = format!(
        "rapport_test_{}_{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    );
    let mut conn = sqlx::PgConnection::connect(&server).await.expect("connect to the PostgreSQL test server");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
    conn.close().await.ok();
    match server.rfind('/') {
        Some(i) if !server[..i].ends_with('/') => format!("{}/{name}", &server[..i]),
        _ => format!("{}/{name}", server.trim_end_matches('/')),
    }
}

pub async fn fresh_store() -> PostgresStore {
    let store = PostgresStore::connect(&fresh_database_url().await, 5).await.expect("connect");
    store.migrate().await.expect("migrate");
    store
}
