//! Real browsers for UI tests: the app served on a loopback port, Debian's
//! headless Chromium driven over the W3C WebDriver protocol by chromedriver.
//! A small client of our own: the few commands the journeys need.

use serde_json::{json, Value};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Serves a router on 127.0.0.1 and returns its base URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    format!("http://{addr}")
}

/// One chromedriver process; browsers are sessions of it.
pub struct Driver {
    child: Child,
    url: String,
    http: reqwest::Client,
    dirs: Vec<tempfile::TempDir>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    pub async fn start() -> Driver {
        let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let child =
            Command::new(&bin).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap_or_else(|e| {
                panic!("cannot start {bin} ({e}): install Debian's chromium and chromium-driver (scripts/test.sh does)")
            });
        let url = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{url}/status")).send().await {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Driver { child, url, http, dirs: Vec::new() }
    }

    /// A fresh browser (own profile) at the given window size.
    pub async fn browser(&mut self, width: u32, height: u32) -> Browser {
        let dir = tempfile::tempdir().unwrap();
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": binary,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    format!("--window-size={width},{height}"), format!("--user-data-dir={}", dir.path().display()),
                    "--lang=en-US",
                ]
            }
        }}});
        self.dirs.push(dir);
        let r: Value = self.http.post(format!("{}/session", self.url)).json(&caps).send().await.unwrap().json().await.unwrap();
        let id = r["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {r}")).to_string();
        Browser { base: format!("{}/session/{id}", self.url), http: self.http.clone() }
    }
}

pub struct Browser {
    base: String,
    http: reqwest::Client,
}

#[derive(Clone)]
pub struct Element(String);

impl Browser {
    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if let Some(err) = v["value"]["error"].as_str() {
            panic!("webdriver {path}: {err}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    async fn try_cmd(&self, path: &str, body: Value) -> Option<Value> {
        let v: Value = self.http.post(format!("{}{path}", self.base)).json(&body).send().await.ok()?.json().await.ok()?;
        if v["value"]["error"].is_string() {
            None
        } else {
            Some(v["value"].clone())
        }
    }

    pub async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    pub async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or_default().to_string()
    }

    pub async fn find(&self, css: &str) -> Option<Element> {
        let v = self.try_cmd("/element", json!({ "using": "css selector", "value": css })).await?;
        v[ELEMENT_KEY].as_str().map(|s| Element(s.to_string()))
    }

    /// Waits up to 10 s for an element to exist.
    pub async fn wait(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(e) = self.find(css).await {
                return e;
            }
            assert!(Instant::now() < deadline, "no element matches {css} on {}", self.url().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The visible text of the first element matching `css`, read in the page
    /// (so a live update replacing the element in between does no harm).
    pub async fn text_of(&self, css: &str) -> Option<String> {
        let script = "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;";
        let v = self.try_cmd("/execute/sync", json!({ "script": script, "args": [css] })).await?;
        v.as_str().map(str::to_string)
    }

    /// Waits up to 10 s for an element's text to contain `needle`.
    pub async fn wait_text(&self, css: &str, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let shown = self.text_of(css).await;
            if shown.as_deref().is_some_and(|t| t.contains(needle)) {
                return;
            }
            if Instant::now() > deadline {
                panic!("{css} never showed {needle:?}; it shows: {}", shown.unwrap_or_else(|| "(missing)".into()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, e: &Element) {
        self.cmd(reqwest::Method::POST, &format!("/element/{}/click", e.0), Some(json!({}))).await;
    }

    pub async fn click_css(&self, css: &str) {
        let e = self.wait(css).await;
        self.click(&e).await;
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.wait(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{}/value", e.0), Some(json!({ "text": text }))).await;
    }

    /// Sends keys to whatever has focus (shortcuts).
    pub async fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| [json!({"type": "keyDown", "value": c.to_string()}), json!({"type": "keyUp", "value": c.to_string()})])
            .collect();
        self.cmd(reqwest::Method::POST, "/actions", Some(json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })))
            .await;
    }

    pub async fn page_text(&self) -> String {
        self.text_of("body").await.unwrap_or_default()
    }

    pub async fn run(&self, script: &str) -> Value {
        self.cmd(reqwest::Method::POST, "/execute/sync", Some(json!({ "script": script, "args": [] }))).await
    }

    /// Picks an option of a `<select>` by its value.
    pub async fn select(&self, select_css: &str, value: &str) {
        self.click_css(&format!("{select_css} option[value=\"{value}\"]")).await;
    }

    /// The browser console's errors since the last call. Failed loads of
    /// pages the test expected to be refused (4xx form replies) can be allowed.
    pub async fn console_errors(&self, allowed: &[&str]) -> Vec<String> {
        let logs = self.cmd(reqwest::Method::POST, "/se/log", Some(json!({ "type": "browser" }))).await;
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|l| l["level"] == "SEVERE")
            .map(|l| l["message"].as_str().unwrap_or_default().to_string())
            .filter(|m| !allowed.iter().any(|a| m.contains(a)))
            .collect()
    }

    pub async fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        let png = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap_or_default()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    pub async fn quit(self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}
