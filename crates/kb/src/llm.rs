//! A client for any OpenAI-compatible chat-completions endpoint (`POST
//! {url}/chat/completions`), configured by URL, model and key. It is used
//! only to word the answer bot's replies from retrieved articles; when it is
//! not configured, or fails, the bot falls back to quoting the best passage.

use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// The API base, e.g. `https://api.example.com/v1`.
    pub url: String,
    pub model: String,
    /// Sent as `Authorization: Bearer <key>` when not empty.
    pub api_key: String,
    pub timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("the language model could not be reached: {0}")]
    Transport(String),
    #[error("the language model answered {status}: {body}")]
    Status { status: u16, body: String },
    #[error("the language model's reply was not understood: {0}")]
    Format(String),
}

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: Vec<ChatMessage<'a>>,
    temperature: f32,
}

#[derive(Serialize)]
struct ChatMessage<'a> {
    role: &'a str,
    content: &'a str,
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: ReplyMessage,
}

#[derive(Deserialize)]
struct ReplyMessage {
    content: Option<String>,
}

#[derive(Clone)]
pub struct LlmClient {
    http: reqwest::Client,
    config: LlmConfig,
}

impl LlmClient {
    pub fn new(config: LlmConfig) -> Result<Self, LlmError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("rapport/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| LlmError::Transport(e.to_string()))?;
        Ok(LlmClient { http, config })
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// One chat completion: a system prompt and a user message; returns the reply's text.
    pub async fn complete(&self, system: &str, user: &str) -> Result<String, LlmError> {
        let url = format!("{}/chat/completions", self.config.url.trim_end_matches('/'));
        let body = ChatRequest {
            model: &self.config.model,
            messages: vec![ChatMessage { role: "system", content: system }, ChatMessage { role: "user", content: user }],
            temperature: 0.0,
        };
        let mut req = self.http.post(&url).json(&body);
        if !self.config.api_key.is_empty() {
            req = req.bearer_auth(&self.config.api_key);
        }
        let resp = req.send().await.map_err(|e| LlmError::Transport(e.to_string()))?;
        let status = resp.status();
        if !status.is_success() {
            let body: String = resp.text().await.unwrap_or_default().chars().take(500).collect();
            return Err(LlmError::Status { status: status.as_u16(), body });
        }
        let parsed: ChatResponse = resp.json().await.map_err(|e| LlmError::Format(e.to_string()))?;
        parsed.choices.into_iter().next().and_then(|c| c.message.content).ok_or_else(|| LlmError::Format("no choices in the reply".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    use axum::{Json, Router};
    use serde_json::{json, Value};

    /// A local stand-in for an OpenAI-compatible server: checks the request
    /// and answers like one.
    async fn stand_in() -> String {
        async fn chat(headers: HeaderMap, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
            if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer sk-test") {
                return (StatusCode::UNAUTHORIZED, Json(json!({"error": {"message": "bad key"}})));
            }
            let user = body["messages"][1]["content"].as_str().unwrap_or("");
            let reply = format!("model={} system={} user={user}", body["model"], body["messages"][0]["role"]);
            (StatusCode::OK, Json(json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": reply}}]})))
        }
        let app = Router::new().route("/v1/chat/completions", post(chat));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}/v1")
    }

    fn config(url: &str, key: &str) -> LlmConfig {
        LlmConfig { url: url.into(), model: "tiny-1".into(), api_key: key.into(), timeout: Duration::from_secs(5) }
    }

    #[tokio::test]
    async fn talks_to_an_openai_compatible_server() {
        let url = stand_in().await;
        let client = LlmClient::new(config(&url, "sk-test")).unwrap();
        let reply = client.complete("Be brief.", "Jak wystawić fakturę?").await.unwrap();
        assert_eq!(reply, "model=\"tiny-1\" system=\"system\" user=Jak wystawić fakturę?");

        let wrong_key = LlmClient::new(config(&url, "nope")).unwrap();
        assert!(matches!(wrong_key.complete("s", "u").await, Err(LlmError::Status { status: 401, .. })));
        let nowhere = LlmClient::new(config("http://127.0.0.1:9/v1", "sk-test")).unwrap();
        assert!(matches!(nowhere.complete("s", "u").await, Err(LlmError::Transport(_))));
    }
}
