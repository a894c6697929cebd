//! HTTP benchmarks against a real Rapport server on 127.0.0.1.
//!
//! ```text
//! cargo run --release -p rapport-bench -- [--suite http|email|desk|kpi|all] [--backend sqlite|postgres] [--clients 4] [--seconds 10]
//! ```
//! The server runs in this process on its own runtime threads, over a real
//! TCP socket; the clients are separate tasks with their own connections.
//! Each scenario prints throughput and latency percentiles.

mod desk;
mod email;
mod kpi;

use clap::Parser;
use rapport_domain::{Actor, Role};
use rapport_store::model::{FirstMessage, NewTicket, NewUser};
use rapport_store::{BlobStore, Store};
use rapport_web::{AppState, WebConfig};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// `sqlite` (a temporary file) or `postgres` (needs RAPPORT_TEST_DATABASE_URL).
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Concurrent clients, each with its own keep-alive connection.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Tickets created before the read scenarios run.
    #[arg(long, default_value_t = 10_000)]
    preload: usize,
    /// `http`, `email`, `desk` or `all`.
    #[arg(long, default_value = "all")]
    suite: String,
    /// Tickets in the store for the desk suite.
    #[arg(long, default_value_t = 100_000)]
    desk_tickets: usize,
    /// Mails for the email suite.
    #[arg(long, default_value_t = 20_000)]
    mails: usize,
    /// Tickets for the kpi suite (SQLite).
    #[arg(long, default_value_t = 1_000_000)]
    kpi_tickets: usize,
    /// Survey answers for the kpi suite.
    #[arg(long, default_value_t = 200_000)]
    kpi_responses: usize,
}

struct Server {
    base: String,
    token: String,
    store: Arc<dyn Store>,
    actor: Actor,
}

async fn start(args: &Args, dir: &std::path::Path) -> anyhow::Result<Server> {
    let store: Arc<dyn Store> = match args.backend.as_str() {
        "sqlite" => Arc::new(rapport_store_sqlite::SqliteStore::open(dir.join("bench.db")).await?),
        "postgres" => Arc::new(rapport_store_postgres::testing::fresh_store().await),
        other => anyhow::bail!("unknown backend {other}"),
    };
    store.migrate().await?;
    let ws = store.create_workspace("Bench", "bench").await?.id;
    let system = Actor::system(ws);
    let user = store
        .create_user(
            &system,
            &NewUser { email: "bench@rapport.test".into(), name: "Bench".into(), role: Role::Agent, locale: None, password: None },
            None,
        )
        .await?;
    let token = rapport_web::auth::secret::random_token("rpt_");
    store.create_api_token(&system, user.id, "bench", &rapport_web::auth::secret::sha256_hex(&token), "rpt_bench").await?;
    let actor = Actor { workspace_id: ws, user_id: user.id, role: Role::Agent, team_ids: vec![] };

    let state = AppState::new(
        store.clone(),
        BlobStore::new(dir.join("blobs")),
        WebConfig::default(),
        rapport_domain::crypto::SecretBox::new(b"bench"),
    );
    let app = rapport_web::router(state);
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let base = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    Ok(Server { base, token, store, actor })
}

#[derive(Clone, Copy)]
enum Scenario {
    CreateTicket,
    Reply,
    GetTicket,
    ListTickets,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::CreateTicket => "POST /tickets (create, with first message)",
            Scenario::Reply => "POST /tickets/{id}/messages (reply)",
            Scenario::GetTicket => "GET /tickets/{id}",
            Scenario::ListTickets => "GET /tickets?status=open,new (first page of 25)",
        }
    }
}

async fn run(server: &Server, scenario: Scenario, clients: usize, seconds: u64, ids: Arc<Vec<i64>>) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let client = reqwest::Client::builder().pool_max_idle_per_host(1).build()?;
        let base = server.base.clone();
        let auth = format!("Bearer {}", server.token);
        let ids = ids.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            let mut i = c;
            while Instant::now() < deadline {
                let id = ids[i % ids.len()];
                i += clients;
                let req = match scenario {
                    Scenario::CreateTicket => client.post(format!("{base}/api/v1/tickets")).json(&json!({
                        "subject": format!("Zamówienie {i} nie dotarło"),
                        "channel": "api",
                        "tags": ["bench"],
                        "message": {"body": "Dzień dobry, moje zamówienie jeszcze nie dotarło. Proszę o sprawdzenie."}
                    })),
                    Scenario::Reply => client
                        .post(format!("{base}/api/v1/tickets/{id}/messages"))
                        .json(&json!({"kind": "note", "body": "Sprawdzam status przesyłki u przewoźnika."})),
                    Scenario::GetTicket => client.get(format!("{base}/api/v1/tickets/{id}")),
                    Scenario::ListTickets => client.get(format!("{base}/api/v1/tickets?status=open,new")),
                };
                let started = Instant::now();
                match req.header("authorization", &auth).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(started.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        all.extend(l);
        errors += e;
    }
    all.sort();
    let pct = |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or_default();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{:<52} {:>8.0} req/s   p50 {:>6.2} ms   p95 {:>6.2} ms   p99 {:>6.2} ms   errors {}",
        scenario.name(),
        all.len() as f64 / seconds as f64,
        ms(pct(0.50)),
        ms(pct(0.95)),
        ms(pct(0.99)),
        errors
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    if args.suite == "kpi" {
        // Its own SQLite file, whatever the backend: the target is the embedded default.
        return kpi::run(dir.path(), args.kpi_tickets, args.kpi_responses, 5).await;
    }
    let server = start(&args, dir.path()).await?;
    println!(
        "rapport-bench: backend {}, {} clients, {} s per scenario, {} cores",
        args.backend,
        args.clients,
        args.seconds,
        std::thread::available_parallelism()?
    );
    if args.suite == "desk" || args.suite == "all" {
        desk::run(server.store.clone(), dir.path(), args.desk_tickets, 200).await?;
        if args.suite == "desk" {
            return Ok(());
        }
    }
    if args.suite == "email" || args.suite == "all" {
        for acknowledge in [false, true] {
            email::run(server.store.clone(), dir.path(), args.mails, 1, acknowledge).await?;
            email::run(server.store.clone(), dir.path(), args.mails, 4, acknowledge).await?;
        }
        if args.suite == "email" {
            return Ok(());
        }
    }

    run(&server, Scenario::CreateTicket, args.clients, args.seconds, Arc::new(vec![0])).await?;

    // Preload so reads and replies run against a realistic table.
    let mut ids = Vec::with_capacity(args.preload);
    for i in 0..args.preload {
        let mut t = NewTicket::new(format!("Preloaded ticket {i}"));
        t.message = Some(FirstMessage { body: Some("Xin chào, tôi cần hỗ trợ về đơn hàng.".into()), html: None, kind: None });
        if i % 2 == 0 {
            t.status = Some(rapport_domain::TicketStatus::Open);
        }
        ids.push(server.store.create_ticket(&server.actor, &t).await?.id);
    }
    let ids = Arc::new(ids);
    run(&server, Scenario::Reply, args.clients, args.seconds, ids.clone()).await?;
    run(&server, Scenario::GetTicket, args.clients, args.seconds, ids.clone()).await?;
    run(&server, Scenario::ListTickets, args.clients, args.seconds, ids).await?;
    Ok(())
}
