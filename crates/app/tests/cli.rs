//! The `rapport` binary end to end: configuration, migrations, serving with
//! the ops listener, demo seeding, and backup/restore round trips on both backends.

use rapport_domain::Actor;
use rapport_store::model::{FirstMessage, NewTicket};
use rapport_store::{BlobStore, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rapport(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    cmd.current_dir(dir).args(args).env("RAPPORT_LOG__FILTER", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run rapport")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn print_config_layers_and_hides_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rapport.toml"), "listen = \"0.0.0.0:8181\"\n").unwrap();
    std::fs::write(dir.path().join("db"), "postgres://rapport:hunter22@db.internal/rapport\n").unwrap();
    let secret = dir.path().join("db");
    let out = ok(&rapport(
        dir.path(),
        &[("RAPPORT_DATABASE__URL_FILE", secret.to_str().unwrap()), ("RAPPORT_OPS_LISTEN", "127.0.0.1:9999")],
        &["print-config"],
    ));
    assert!(out.contains("listen = \"0.0.0.0:8181\""), "{out}");
    assert!(out.contains("ops_listen = \"127.0.0.1:9999\""), "{out}");
    assert!(out.contains("url = \"[hidden]\""), "{out}");
    assert!(!out.contains("hunter22"), "{out}");

    let bad = rapport(dir.path(), &[("RAPPORT_HTTP__MAX_BODY_BYTES", "lots")], &["print-config"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("max_body_bytes"));
}

#[test]
fn migrate_creates_the_embedded_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&rapport(dir.path(), &[], &["migrate"]));
    assert!(out.contains("sqlite"), "{out}");
    assert!(dir.path().join("data/rapport.db").exists());
    ok(&rapport(dir.path(), &[], &["migrate"]));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn serve_answers_and_exposes_metrics_on_the_ops_listener() {
    let dir = tempfile::tempdir().unwrap();
    let (web, ops) = (free_port(), free_port());
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .current_dir(dir.path())
        .arg("serve")
        .env("RAPPORT_LISTEN", format!("127.0.0.1:{web}"))
        .env("RAPPORT_OPS_LISTEN", format!("127.0.0.1:{ops}"))
        .env("RAPPORT_LOG__FILTER", "warn")
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client.get(format!("http://127.0.0.1:{web}/healthz")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "server did not start");
    assert_eq!(client.get(format!("http://127.0.0.1:{web}/readyz")).send().await.unwrap().text().await.unwrap(), "ready");
    let login = client.get(format!("http://127.0.0.1:{web}/login")).send().await.unwrap();
    assert!(login.text().await.unwrap().contains("<meta charset=\"utf-8\">"));
    let api = client.get(format!("http://127.0.0.1:{web}/api/v1/tickets")).send().await.unwrap();
    assert_eq!(api.status(), 401);
    let metrics = client.get(format!("http://127.0.0.1:{ops}/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("rapport_http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/api/v1/tickets\""), "{metrics}");
    assert_eq!(client.get(format!("http://127.0.0.1:{ops}/healthz")).send().await.unwrap().text().await.unwrap(), "ok");
    assert_eq!(
        client.get(format!("http://127.0.0.1:{web}/metrics")).send().await.unwrap().status(),
        404,
        "metrics stay off the public port"
    );
    child.kill().await.unwrap();
}

#[test]
fn demo_seeds_once_in_three_languages() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&rapport(dir.path(), &[], &["demo", "--seed-only"]));
    assert!(out.contains("Seeded"), "{out}");
    let again = ok(&rapport(dir.path(), &[], &["demo", "--seed-only"]));
    assert!(!again.contains("Seeded"), "second run must not seed again: {again}");
}

/// Writes a ticket with an attachment, backs up, deletes the ticket, restores, and finds it again.
async fn round_trip(
    dir: &Path,
    env: &[(&str, &str)],
    open: impl Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Box<dyn Store>>>>,
) {
    let store = open().await;
    store.migrate().await.unwrap();
    let ws = store.create_workspace("Backup", "backup").await.unwrap().id;
    let actor = Actor::system(ws);
    let mut t = NewTicket::new("Phiếu bảo hành số 9");
    t.message = Some(FirstMessage { body: Some("Żółty ekran".into()), html: None, kind: None });
    let ticket = store.create_ticket(&actor, &t).await.unwrap();
    let blobs = BlobStore::new(dir.join("data/blobs"));
    let sha = blobs.put(b"attachment bytes").await.unwrap();

    let backup_dir = dir.join("backup-1");
    let out = ok(&rapport(dir, env, &["backup", backup_dir.to_str().unwrap()]));
    assert!(out.contains("1 blobs"), "{out}");
    assert!(!rapport(dir, env, &["backup", backup_dir.to_str().unwrap()]).status.success(), "never overwrites a backup");

    store.delete_ticket(&actor, ticket.id).await.unwrap();
    std::fs::remove_dir_all(dir.join("data/blobs")).unwrap();
    drop(store);

    let refused = rapport(dir, env, &["restore", backup_dir.to_str().unwrap()]);
    assert!(!refused.status.success(), "restore over live data needs --force");
    ok(&rapport(dir, env, &["restore", "--force", backup_dir.to_str().unwrap()]));

    let store = open().await;
    let back = store.get_ticket(&actor, ticket.id).await.unwrap();
    assert_eq!(back.subject, "Phiếu bảo hành số 9");
    assert_eq!(store.list_messages(&actor, ticket.id, None, 10).await.unwrap().items[0].body_text, "Żółty ekran");
    assert_eq!(blobs.get(&sha).await.unwrap().unwrap(), b"attachment bytes");
}

#[tokio::test]
async fn backup_and_restore_round_trip_sqlite() {
    let dir = tempfile::tempdir().unwrap().keep();
    let db: PathBuf = dir.join("data/rapport.db");
    round_trip(&dir, &[], move || {
        let db = db.clone();
        Box::pin(async move { Box::new(rapport_store_sqlite::SqliteStore::open(&db).await.unwrap()) as Box<dyn Store> })
    })
    .await;
}

#[tokio::test]
async fn backup_and_restore_round_trip_postgres() {
    let dir = tempfile::tempdir().unwrap().keep();
    let url = rapport_store_postgres::testing::fresh_database_url().await;
    let env_url = url.clone();
    round_trip(&dir, &[("RAPPORT_DATABASE__URL", &env_url)], move || {
        let url = url.clone();
        Box::pin(async move { Box::new(rapport_store_postgres::PostgresStore::connect(&url, 2).await.unwrap()) as Box<dyn Store> })
    })
    .await;
}
