//! The KPI dashboards over a large SQLite store: by default 1,000,000 tickets
//! over three years (with replies, pending stretches, solves and reopens) and
//! 200,000 survey answers.
//!
//! Loading goes around the API with bulk SQL (the database triggers still
//! record every status change and mark every ticket's facts out of date, as
//! live writes do); the facts are then computed by the store's own refresh,
//! whose throughput is reported. Then the store is closed and opened again,
//! and each dashboard is requested through the full router: the first
//! request is cold (empty SQLite cache), the next ones warm.

use axum::body::Body;
use axum::http::Request;
use rapport_domain::{Actor, Locale, Role, Timestamp};
use rapport_store::metrics::MetricsStore;
use rapport_store::model::NewUser;
use rapport_store::{BlobStore, Store};
use rapport_web::{AppState, WebConfig};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Executor;
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

pub async fn run(dir: &std::path::Path, tickets: usize, responses: usize, requests: usize) -> anyhow::Result<()> {
    let path = dir.join("kpi.db");
    let store = rapport_store_sqlite::SqliteStore::open(&path).await?;
    store.migrate().await?;
    let ws = store.create_workspace("KPI bench", "kpi-bench").await?.id;
    let system = Actor::system(ws);
    let mut agents = Vec::new();
    for i in 0..20 {
        let u = store
            .create_user(
                &system,
                &NewUser {
                    email: format!("agent{i}@kpi.test"),
                    name: format!("Agent {i}"),
                    role: Role::Agent,
                    locale: Some(Locale::Pl),
                    password: None,
                },
                None,
            )
            .await?;
        agents.push(u.id);
    }
    let viewer = agents[0];
    let contact = store
        .create_contact(
            &system,
            &rapport_store::model::NewContact {
                name: "Klient".into(),
                email: Some("klient@kpi.test".into()),
                phone: None,
                locale: None,
                organization_ids: vec![],
            },
        )
        .await?
        .id;
    store.close().await;

    // ---- bulk load (bench only: no fsync while loading)
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Off)
        .foreign_keys(true)
        .pragma("cache_size", "-200000");
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    let now = Timestamp::now().millis();
    let start = now - 3 * 365 * DAY;
    let step = (3 * 365 * DAY) / tickets.max(1) as i64;
    let first_agent = agents[0];
    let loading = Instant::now();
    let chunk = 100_000usize;
    let mut done = 0usize;
    while done < tickets {
        let n = chunk.min(tickets - done);
        let (lo, hi) = (done as i64 + 1, (done + n) as i64);
        let mut tx = pool.begin().await?;
        // Tickets, created at a steady pace; channel, language, priority and agent vary with the number.
        tx.execute(sqlx::query(&format!(
            "WITH RECURSIVE seq(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM seq WHERE n < {hi}) \
             INSERT INTO ticket (workspace_id, subject, status, priority, priority_rank, channel, language, requester_id, assignee_id, created_at, updated_at) \
             SELECT {ws}, 'Zgłoszenie ' || n, 'new', CASE n % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'normal' WHEN 2 THEN 'high' ELSE 'urgent' END, 1 + n % 4, \
             CASE n % 5 WHEN 0 THEN 'email' WHEN 1 THEN 'chat' WHEN 2 THEN 'web' WHEN 3 THEN 'phone' ELSE 'api' END, \
             CASE n % 3 WHEN 0 THEN 'vi' WHEN 1 THEN 'pl' ELSE 'en' END, {contact}, {first_agent} + n % 20, {start} + n * {step}, {start} + n * {step} FROM seq"
        )))
        .await?;
        let range = format!("workspace_id = {ws} AND id IN (SELECT id FROM ticket WHERE workspace_id = {ws} ORDER BY id DESC LIMIT {n})");
        // The customer's message, and (for 97%) an agent's reply 5 minutes to 10 hours later.
        tx.execute(sqlx::query(&format!(
            "INSERT INTO message (workspace_id, ticket_id, kind, author_contact_id, body_text, body_html, created_at) \
             SELECT workspace_id, id, 'public', {contact}, 'Dzień dobry', '<p>Dzień dobry</p>', created_at FROM ticket WHERE {range}"
        )))
        .await?;
        tx.execute(sqlx::query(&format!(
            "INSERT INTO message (workspace_id, ticket_id, kind, author_user_id, body_text, body_html, created_at) \
             SELECT workspace_id, id, 'public', assignee_id, 'Sprawdzamy', '<p>Sprawdzamy</p>', created_at + 300000 + (id * 7919) % (10 * {HOUR}) \
             FROM ticket WHERE {range} AND id % 33 <> 0"
        )))
        .await?;
        tx.execute(sqlx::query(&format!(
            "UPDATE ticket SET status = 'open', first_response_at = created_at + 300000 + (id * 7919) % (10 * {HOUR}), \
             updated_at = created_at + 300000 + (id * 7919) % (10 * {HOUR}) WHERE {range} AND id % 33 <> 0"
        )))
        .await?;
        // A fifth wait on the customer for a day.
        tx.execute(sqlx::query(&format!(
            "UPDATE ticket SET status = 'pending', updated_at = first_response_at + 1000 WHERE {range} AND id % 5 = 2 AND status = 'open'"
        )))
        .await?;
        tx.execute(sqlx::query(&format!(
            "UPDATE ticket SET status = 'open', updated_at = updated_at + {DAY} WHERE {range} AND status = 'pending'"
        )))
        .await?;
        // Solved (all but the newest few and every 50th), some reopened once and solved again.
        tx.execute(sqlx::query(&format!(
            "UPDATE ticket SET status = 'solved', solved_at = updated_at + (id * 104729) % (2 * {DAY}), updated_at = updated_at + (id * 104729) % (2 * {DAY}) \
             WHERE {range} AND status = 'open' AND (id % 50 <> 0 OR created_at < {now} - 60 * {DAY}) AND created_at < {now} - 2 * {DAY}"
        )))
        .await?;
        // Never answered (every 33rd): closed out without a reply after three days, unless recent.
        tx.execute(sqlx::query(&format!(
            "UPDATE ticket SET status = 'solved', solved_at = created_at + 3 * {DAY}, updated_at = created_at + 3 * {DAY} \
             WHERE {range} AND status = 'new' AND created_at < {now} - 30 * {DAY}"
        )))
        .await?;
        tx.execute(sqlx::query(&format!(
            "UPDATE ticket SET status = 'open', reopened_count = 1, updated_at = solved_at + {HOUR} WHERE {range} AND status = 'solved' AND id % 17 = 3"
        )))
        .await?;
        tx.execute(sqlx::query(&format!(
            "UPDATE ticket SET status = 'solved', solved_at = updated_at + 4 * {HOUR}, updated_at = updated_at + 4 * {HOUR} WHERE {range} AND reopened_count = 1 AND status = 'open'"
        )))
        .await?;
        tx.commit().await?;
        done += n;
        println!("kpi: loaded {done} tickets ({:.0} s)", loading.elapsed().as_secs_f64());
    }
    // Survey answers: CSAT on solved tickets (every few), answered within two days of the solve.
    let survey: i64 = sqlx::query_scalar(
        "INSERT INTO survey (workspace_id, kind, name, active, delay_minutes, throttle_days, change_window_hours, expires_after_days, \
         alert_at_or_below, segment_organization_ids, questions, created_at, updated_at) \
         VALUES ($1, 'csat', 'CSAT', TRUE, 30, 0, 72, 14, 2, '[]', '{}', $2, $2) RETURNING id",
    )
    .bind(ws)
    .bind(now)
    .fetch_one(&pool)
    .await?;
    let every = (tickets / responses.max(1)).max(1);
    pool.execute(sqlx::query(&format!(
        "INSERT INTO survey_invitation (workspace_id, survey_id, kind, contact_id, ticket_id, locale, agent_id, channel, language, status, delivery, \
         created_at, sent_at, expires_at) SELECT workspace_id, {survey}, 'csat', requester_id, id, 'pl', assignee_id, channel, language, 'sent', 'email', \
         solved_at, solved_at, solved_at + 14 * {DAY} FROM ticket WHERE workspace_id = {ws} AND status = 'solved' AND id % {every} = 0 ORDER BY id LIMIT {responses}"
    )))
    .await?;
    pool.execute(sqlx::query(&format!(
        "INSERT INTO survey_response (workspace_id, invitation_id, survey_id, kind, contact_id, ticket_id, agent_id, channel, language, score, answers, \
         answered_at, updated_at, revision) SELECT workspace_id, id, survey_id, 'csat', contact_id, ticket_id, agent_id, channel, language, \
         1 + (id * 31) % 5, '{{}}', sent_at + (id * 13) % (2 * {DAY}), sent_at + (id * 13) % (2 * {DAY}), 1 FROM survey_invitation WHERE survey_id = {survey}"
    )))
    .await?;
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_response").fetch_one(&pool).await?;
    println!("kpi: {tickets} tickets and {answers} survey answers loaded in {:.0} s", loading.elapsed().as_secs_f64());
    pool.close().await;

    // ---- facts, computed by the store from each ticket's history
    let store = rapport_store_sqlite::SqliteStore::open(&path).await?;
    let refreshing = Instant::now();
    let mut refreshed = 0;
    loop {
        let r = store.refresh_ticket_facts(Some(ws), 5_000).await?;
        refreshed += r.refreshed;
        if r.remaining == 0 {
            break;
        }
    }
    let secs = refreshing.elapsed().as_secs_f64();
    println!("kpi: facts of {refreshed} tickets computed in {secs:.1} s ({:.0} tickets/s)", refreshed as f64 / secs);
    store.close().await;
    let size = std::fs::metadata(&path)?.len() + std::fs::metadata(dir.join("kpi.db-wal")).map(|m| m.len()).unwrap_or(0);
    println!("kpi: database {:.0} MB", size as f64 / 1e6);

    // ---- dashboards: each first request on a freshly opened store (cold SQLite cache), then warm ones
    let store = rapport_store_sqlite::SqliteStore::open(&path).await?;
    let token = rapport_web::auth::secret::random_token("");
    let csrf = rapport_web::auth::secret::random_token("");
    store.create_session(viewer, &rapport_web::auth::secret::sha256_hex(&token), &csrf, Timestamp::now().plus_seconds(3600)).await?;
    store.close().await;
    let cookie = format!("rapport_session={token}");
    let today = Timestamp(now).to_datetime().date_naive();
    let range = |days: u64| format!("from={}&to={today}", today - chrono::Days::new(days - 1));
    let pages = [
        ("service dashboard, last 30 days", format!("/reports?{}", range(30))),
        ("experience dashboard, last 30 days", format!("/reports/experience?{}", range(30))),
        ("agent scorecards, last 30 days", format!("/reports/agents?{}", range(30))),
        ("API /metrics/service, last 30 days", format!("/api/v1/metrics/service?{}", range(30))),
        ("drill-down: reopened, last 30 days", format!("/reports/tickets?{}&figure=reopened", range(30))),
        ("service dashboard, last 90 days", format!("/reports?{}", range(90))),
        ("experience dashboard, last 90 days", format!("/reports/experience?{}", range(90))),
        ("service dashboard, last 365 days", format!("/reports?{}", range(365))),
        ("experience dashboard, last 365 days", format!("/reports/experience?{}", range(365))),
    ];
    for (name, page) in &pages {
        let sqlite = Arc::new(rapport_store_sqlite::SqliteStore::open(&path).await?);
        let store: Arc<dyn Store> = sqlite.clone();
        let state = AppState::new(
            store,
            BlobStore::new(dir.join("kpi-blobs")),
            WebConfig::default(),
            rapport_domain::crypto::SecretBox::new(b"bench"),
        );
        let router = rapport_web::router(state);
        let mut times = Vec::with_capacity(requests);
        for _ in 0..requests.max(1) {
            let req = Request::get(page).header("cookie", &cookie).body(Body::empty())?;
            let t = Instant::now();
            let resp = router.clone().oneshot(req).await?;
            let status = resp.status();
            axum::body::to_bytes(resp.into_body(), usize::MAX).await?;
            times.push(t.elapsed());
            anyhow::ensure!(status.is_success(), "{name}: HTTP {status}");
        }
        drop(router);
        sqlite.close().await;
        let cold = times[0].as_secs_f64() * 1000.0;
        let mut warm: Vec<_> = times[1..].to_vec();
        warm.sort();
        let p50 = warm.get(warm.len() / 2).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(cold);
        println!("kpi: {name:<38} cold {cold:>8.1} ms   warm p50 {p50:>8.1} ms");
    }
    Ok(())
}
