//! A test harness: the full router over a real store (a fresh SQLite file or
//! PostgreSQL database), called in-process request by request.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use rapport_domain::{Actor, Role};
use rapport_store::model::*;
use rapport_store::{BlobStore, Store};
use rapport_web::auth::secret;
use rapport_web::{AppState, WebConfig};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub store: Arc<dyn Store>,
    pub dir: std::path::PathBuf,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The API error code, for error replies.
    pub fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_string()
    }
}

pub enum Backend {
    Sqlite,
    Postgres,
}

pub async fn app(backend: Backend) -> TestApp {
    app_with(backend, WebConfig::default()).await
}

pub async fn app_with(backend: Backend, config: WebConfig) -> TestApp {
    let dir = tempfile::tempdir().unwrap().keep();
    let store: Arc<dyn Store> = match backend {
        Backend::Sqlite => Arc::new(rapport_store_sqlite::SqliteStore::open(dir.join("t.db")).await.unwrap()),
        Backend::Postgres => Arc::new(rapport_store_postgres::testing::fresh_store().await),
    };
    store.migrate().await.unwrap();
    let state = AppState::new(store.clone(), BlobStore::new(dir.join("blobs")), config, test_secrets());
    TestApp { router: rapport_web::router(state), store, dir }
}

impl TestApp {
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap().to_vec();
        Reply { status, headers, body }
    }

    /// A JSON API call with a Bearer token.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())).unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }
}

/// A user of a workspace with an API token.
#[derive(Clone)]
pub struct Member {
    pub user: User,
    pub actor: Actor,
    pub token: String,
}

pub async fn member(store: &dyn Store, ws: i64, role: Role, email: &str, team_ids: &[i64]) -> Member {
    let system = Actor::system(ws);
    let user = store
        .create_user(&system, &NewUser { email: email.into(), name: format!("{role} {email}"), role, locale: None, password: None }, None)
        .await
        .unwrap();
    for t in team_ids {
        let team = store.get_team(&system, *t).await.unwrap();
        let mut members = team.member_ids.clone();
        members.push(user.id);
        store.update_team(&system, *t, &TeamPatch { member_ids: Some(members), ..Default::default() }).await.unwrap();
    }
    let user = store.get_user(&system, user.id).await.unwrap();
    let token = secret::random_token("rpt_");
    store.create_api_token(&system, user.id, "test", &secret::sha256_hex(&token), &token[..10]).await.unwrap();
    let actor = Actor { workspace_id: ws, user_id: user.id, role: user.role, team_ids: user.team_ids.clone() };
    Member { user, actor, token }
}

/// Generates the same tests for SQLite and PostgreSQL: each listed async fn
/// takes a `Backend`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $( #[tokio::test] async fn $name() { super::$name(super::common::Backend::Sqlite).await } )+
        }
        mod postgres {
            $( #[tokio::test] async fn $name() { super::$name(super::common::Backend::Postgres).await } )+
        }
    };
}

/// The key tests seal credentials with.
pub fn test_secrets() -> rapport_domain::crypto::SecretBox {
    rapport_domain::crypto::SecretBox::new(b"rapport test key")
}
