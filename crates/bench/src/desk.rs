//! Server time to render the agent desk's pages with many tickets in the
//! store: the inbox (views with capped counts, first page) and a ticket page.
//! Requests go through the full router in process, so the figures are the
//! server's own time (no network, no browser).

use axum::body::Body;
use axum::http::Request;
use rapport_domain::{Actor, Channel, Locale, Priority, Role, TicketStatus, Timestamp};
use rapport_store::model::{FirstMessage, NewContact, NewTicket, NewUser};
use rapport_store::{BlobStore, Store};
use rapport_web::{AppState, WebConfig};
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

pub async fn run(store: Arc<dyn Store>, dir: &std::path::Path, tickets: usize, requests: usize) -> anyhow::Result<()> {
    let ws = store.create_workspace("Desk bench", "desk-bench").await?.id;
    let system = Actor::system(ws);
    let user = store
        .create_user(
            &system,
            &NewUser {
                email: "desk@rapport.test".into(),
                name: "Desk".into(),
                role: Role::Agent,
                locale: Some(Locale::Pl),
                password: None,
            },
            None,
        )
        .await?;
    let actor = Actor { workspace_id: ws, user_id: user.id, role: Role::Agent, team_ids: vec![] };
    let mut contacts = Vec::new();
    for i in 0..500 {
        let c = NewContact {
            name: format!("Klient {i}"),
            email: Some(format!("klient{i}@example.com")),
            phone: None,
            locale: None,
            organization_ids: vec![],
        };
        contacts.push(store.create_contact(&actor, &c).await?.id);
    }
    let started = Instant::now();
    let mut ids = Vec::with_capacity(tickets);
    for i in 0..tickets {
        let mut t = NewTicket::new(format!("Zgłoszenie {i}"));
        t.requester_id = Some(contacts[i % contacts.len()]);
        t.priority = Some(Priority::ALL[i % 4]);
        t.language = Some(Locale::ALL[i % 3]);
        t.channel = Some(Channel::ALL[i % 4]);
        t.status = Some([TicketStatus::New, TicketStatus::Open, TicketStatus::Pending, TicketStatus::Solved][i % 4]);
        t.assignee_id = (i % 5 == 0).then_some(user.id);
        t.message = Some(FirstMessage { body: Some("Dzień dobry, mam pytanie o zamówienie.".into()), html: None, kind: None });
        ids.push(store.create_ticket(&actor, &t).await?.id);
    }
    println!("desk: {tickets} tickets loaded in {:.1} s", started.elapsed().as_secs_f64());

    let token = rapport_web::auth::secret::random_token("");
    let csrf = rapport_web::auth::secret::random_token("");
    store.create_session(user.id, &rapport_web::auth::secret::sha256_hex(&token), &csrf, Timestamp::now().plus_seconds(3600)).await?;
    let state = AppState::new(
        store.clone(),
        BlobStore::new(dir.join("desk-blobs")),
        WebConfig::default(),
        rapport_domain::crypto::SecretBox::new(b"bench"),
    );
    let router = rapport_web::router(state);
    let cookie = format!("rapport_session={token}");

    type PathOf = Box<dyn Fn(usize) -> String>;
    let pages: [(&str, PathOf); 4] = [
        ("inbox: all open", Box::new(|_| "/?view=open".to_string())),
        ("inbox: mine", Box::new(|_| "/?view=mine".to_string())),
        ("inbox: urgent Polish filter", Box::new(|_| "/?view=open&priority=urgent&language=pl".to_string())),
        ("ticket page", Box::new(move |i| format!("/tickets/{}", ids[(i * 7919) % ids.len()]))),
    ];
    for (name, path) in pages.iter() {
        let mut times = Vec::with_capacity(requests);
        for i in 0..requests {
            let req = Request::get(path(i)).header("cookie", &cookie).body(Body::empty())?;
            let t = Instant::now();
            let resp = router.clone().oneshot(req).await?;
            let status = resp.status();
            axum::body::to_bytes(resp.into_body(), usize::MAX).await?;
            times.push(t.elapsed());
            anyhow::ensure!(status.is_success(), "{name}: HTTP {status}");
        }
        times.sort();
        let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;
        println!("desk: {name:<28} {requests} requests  p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms", p(0.50), p(0.95), p(0.99));
    }
    Ok(())
}
