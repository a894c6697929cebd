//! Endpoints the public help center and the chat widget call without
//! signing in, under `/api/v1/help/{workspace}/{brand}/`: search (logged for
//! the deflection report), clicks, "was this helpful?", the answer bot with
//! "did this solve it?" and the handoff to a human, and the contact form.
//! They only ever see published public articles of that brand, and each
//! client address has a rate limit.

use super::article_url;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use rapport_domain::{Actor, Channel, Id, Locale, Timestamp};
use rapport_kb::bot::{self, Reply, Source};
use rapport_store::kb::*;
use rapport_store::model::{FirstMessage, ListQuery, NewContact, NewTicket, Ticket};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa::{IntoParams, ToSchema};

/// The client's address as the listener saw it ("local" in tests).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip().to_string());
        Ok(ClientAddr(addr.unwrap_or_else(|| "local".into())))
    }
}

/// Takes one request from the client's public allowance.
pub fn rate_limit(s: &AppState, client: &str) -> ApiResult<()> {
    s.kb.public_limiter.check(client).map_err(|wait| {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", format!("too many requests; try again in {}s", wait.as_secs().max(1)))
    })
}

async fn help_center(s: &AppState, ws: &str, brand: &str) -> ApiResult<HelpCenter> {
    Ok(s.store.help_center(ws, brand).await?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicHit {
    pub article_id: Id,
    pub locale: Locale,
    pub title: String,
    /// HTML-escaped, hits in `<mark>`.
    pub title_html: String,
    pub snippet_html: String,
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSearchResults {
    /// Pass back with a click, so the report knows which search led where. Absent while typing.
    pub search_id: Option<Id>,
    pub hits: Vec<PublicHit>,
    pub mode: String,
}

/// A public search: the reader's language first; when it has nothing, all languages.
pub async fn public_search(
    s: &AppState,
    hc: &HelpCenter,
    query: &str,
    locale: Option<Locale>,
    as_you_type: bool,
    limit: usize,
) -> ApiResult<SearchResults> {
    let scope = SearchScope::Public { workspace_id: hc.workspace_id, brand_id: hc.brand.id };
    let mut q = ArticleSearch {
        query: query.into(),
        locales: locale.into_iter().collect(),
        prefer_locale: locale,
        as_you_type,
        limit,
        ..Default::default()
    };
    let r = s.store.search_articles(&scope, &q).await?;
    if !r.hits.is_empty() || locale.is_none() {
        return Ok(r);
    }
    q.locales.clear();
    Ok(s.store.search_articles(&scope, &q).await?)
}

pub fn public_hits(hc: &HelpCenter, hits: Vec<ArticleHit>) -> Vec<PublicHit> {
    hits.into_iter()
        .map(|h| PublicHit {
            url: article_url(&hc.workspace_slug, &hc.brand.slug, h.locale, h.article_id, &h.slug),
            article_id: h.article_id,
            locale: h.locale,
            title: h.title,
            title_html: h.title_html,
            snippet_html: h.snippet_html,
        })
        .collect()
}

/// Logs a finished search (not the keystrokes of one being typed).
pub async fn log(
    s: &AppState,
    hc: &HelpCenter,
    source: SearchSource,
    session: &str,
    query: &str,
    locale: Option<Locale>,
    r: &SearchResults,
) -> ApiResult<Id> {
    let entry = SearchLogEntry {
        brand_id: Some(hc.brand.id),
        locale,
        source,
        session_id: session.into(),
        query: query.into(),
        hits: r.hits.len() as i64,
        top_article_id: r.hits.first().map(|h| h.article_id),
    };
    Ok(s.store.log_search(hc.workspace_id, &entry).await?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PublicSearchParams {
    q: String,
    locale: Option<Locale>,
    /// The visitor's anonymous session (letters, digits, `-`, `_`), to link a later ticket.
    session_id: Option<String>,
    /// Suggestions while typing: the last word is a prefix, and nothing is logged.
    as_you_type: Option<bool>,
    /// 1–20, default 8.
    limit: Option<u32>,
    /// `help` (default) or `widget`.
    source: Option<SearchSource>,
}

/// Search a help center's published articles.
#[utoipa::path(get, path = "/help/{workspace}/{brand}/search", tag = "help center", security(()),
    params(("workspace" = String, Path), ("brand" = String, Path), PublicSearchParams),
    responses((status = 200, body = PublicSearchResults), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn search(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand)): Path<(String, String)>,
    ApiQuery(p): ApiQuery<PublicSearchParams>,
) -> ApiResult<Json<PublicSearchResults>> {
    rate_limit(&s, &client)?;
    if p.q.chars().count() > 300 {
        return Err(ApiError::invalid("q", "must be at most 300 characters"));
    }
    let hc = help_center(&s, &ws, &brand).await?;
    let typing = p.as_you_type.unwrap_or(false);
    let r = public_search(&s, &hc, &p.q, p.locale, typing, p.limit.unwrap_or(8).clamp(1, 20) as usize).await?;
    let search_id = if typing || p.q.trim().is_empty() {
        None
    } else {
        let source = p.source.filter(|s| *s == SearchSource::Widget).unwrap_or(SearchSource::Help);
        Some(log(&s, &hc, source, p.session_id.as_deref().unwrap_or(""), &p.q, p.locale, &r).await?)
    };
    Ok(Json(PublicSearchResults { search_id, mode: r.mode.clone(), hits: public_hits(&hc, r.hits) }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClickInput {
    pub session_id: String,
    pub article_id: Id,
}

/// Record that the visitor opened an article from a search's results.
#[utoipa::path(post, path = "/help/{workspace}/{brand}/searches/{id}/click", tag = "help center", security(()),
    params(("workspace" = String, Path), ("brand" = String, Path), ("id" = i64, Path)), request_body = ClickInput,
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn click(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand, id)): Path<(String, String, i64)>,
    ApiJson(input): ApiJson<ClickInput>,
) -> ApiResult<StatusCode> {
    rate_limit(&s, &client)?;
    let hc = help_center(&s, &ws, &brand).await?;
    s.store.log_search_click(hc.workspace_id, &input.session_id, id, input.article_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackInput {
    pub article_id: Id,
    pub locale: Locale,
    pub helpful: bool,
    pub comment: Option<String>,
    pub session_id: Option<String>,
}

/// "Was this helpful?" for a published article, with an optional comment.
#[utoipa::path(post, path = "/help/{workspace}/{brand}/feedback", tag = "help center", security(()),
    params(("workspace" = String, Path), ("brand" = String, Path)), request_body = FeedbackInput,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn feedback(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand)): Path<(String, String)>,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> ApiResult<StatusCode> {
    rate_limit(&s, &client)?;
    let hc = help_center(&s, &ws, &brand).await?;
    let f = NewFeedback {
        article_id: input.article_id,
        locale: input.locale,
        helpful: input.helpful,
        comment: input.comment,
        session_id: input.session_id,
    };
    s.store.article_feedback(hc.workspace_id, hc.brand.id, &f).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- answer bot

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    pub question: String,
    pub locale: Option<Locale>,
    pub session_id: String,
}

/// The article an answer came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct Citation {
    pub article_id: Id,
    pub title: String,
    pub url: String,
}

impl From<bot::Citation> for Citation {
    fn from(c: bot::Citation) -> Self {
        Citation { article_id: c.article_id, title: c.title, url: c.url }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BotAnswer {
    /// Pass back with "did this solve it?".
    pub turn_id: Id,
    /// `None`: the knowledge base does not answer this; offer a human.
    pub answer: Option<String>,
    pub citation: Option<Citation>,
    /// The answer was worded by the configured language model (from the cited article).
    pub written_by_model: bool,
}

/// Answers a question from the help center's articles, or says it cannot.
pub async fn answer_question(
    s: &AppState,
    hc: &HelpCenter,
    question: &str,
    locale: Option<Locale>,
    session: &str,
) -> ApiResult<(BotTurn, Reply)> {
    let r = public_search(s, hc, question, locale, false, 3).await?;
    log(s, hc, SearchSource::Bot, session, question, locale, &r).await?;
    let mut sources = Vec::new();
    for h in &r.hits {
        let article = s.store.public_article(hc.workspace_id, hc.brand.id, h.article_id, h.locale).await?;
        sources.push(Source {
            article_id: h.article_id,
            translation_id: h.translation_id,
            title: h.title.clone(),
            url: article_url(&hc.workspace_slug, &hc.brand.slug, h.locale, h.article_id, &h.slug),
            body_text: article.body_text,
            matched: h.matched,
            required: r.required,
        });
    }
    let confident: Vec<&Source> = sources.iter().filter(|src| bot::confident(src)).collect();
    let mut reply = bot::answer_from_passages(question, &sources);
    if let (Some(llm), false) = (&s.kb.llm, confident.is_empty()) {
        let language = locale.unwrap_or(hc.brand.default_locale);
        let (system, user) = bot::prompt(question, language.as_str(), &confident);
        match llm.complete(&system, &user).await {
            Ok(text) => reply = bot::reply_from_model(&text, &confident),
            Err(e) => tracing::warn!(error = %e, "language model failed; answering with the best passage"),
        }
    }
    let (answer, article_id, translation_id) = match &reply {
        Reply::Answer { text, citation, translation_id, .. } => (Some(text.clone()), Some(citation.article_id), Some(*translation_id)),
        Reply::NoAnswer => (None, None, None),
    };
    let turn = NewBotTurn {
        brand_id: Some(hc.brand.id),
        session_id: session.into(),
        locale,
        question: question.into(),
        answer,
        article_id,
        translation_id,
    };
    Ok((s.store.add_bot_turn(hc.workspace_id, &turn).await?, reply))
}

/// Ask the answer bot. It answers only from published articles, citing one, or says it has no answer.
#[utoipa::path(post, path = "/help/{workspace}/{brand}/answer", tag = "help center", security(()),
    params(("workspace" = String, Path), ("brand" = String, Path)), request_body = QuestionInput,
    responses((status = 200, body = BotAnswer), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn answer(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand)): Path<(String, String)>,
    ApiJson(input): ApiJson<QuestionInput>,
) -> ApiResult<Json<BotAnswer>> {
    rate_limit(&s, &client)?;
    let question = input.question.trim();
    if question.is_empty() || question.chars().count() > 1000 {
        return Err(ApiError::invalid("question", "ask a question of 1 to 1000 characters"));
    }
    let hc = help_center(&s, &ws, &brand).await?;
    let (turn, reply) = answer_question(&s, &hc, question, input.locale, &input.session_id).await?;
    Ok(Json(match reply {
        Reply::Answer { text, citation, written_by_model, .. } => {
            BotAnswer { turn_id: turn.id, answer: Some(text), citation: Some(citation.into()), written_by_model }
        }
        Reply::NoAnswer => BotAnswer { turn_id: turn.id, answer: None, citation: None, written_by_model: false },
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolvedInput {
    pub session_id: String,
    pub solved: bool,
}

/// "Did this solve it?"
#[utoipa::path(post, path = "/help/{workspace}/{brand}/answer/{turn}/solved", tag = "help center", security(()),
    params(("workspace" = String, Path), ("brand" = String, Path), ("turn" = i64, Path)), request_body = SolvedInput,
    responses((status = 200, body = BotTurn), (status = 404, body = ErrorBody)))]
pub async fn solved(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand, turn)): Path<(String, String, i64)>,
    ApiJson(input): ApiJson<SolvedInput>,
) -> ApiResult<Json<BotTurn>> {
    rate_limit(&s, &client)?;
    let hc = help_center(&s, &ws, &brand).await?;
    Ok(Json(s.store.set_bot_turn_solved(hc.workspace_id, &input.session_id, turn, input.solved).await?))
}

/// A session's bot conversation as plain text, for the agent who takes over.
pub fn transcript_text(turns: &[BotTurn]) -> String {
    let mut out = String::new();
    for t in turns {
        out.push_str(&format!("Customer: {}\n", t.question));
        match &t.answer {
            Some(a) => out.push_str(&format!("Bot: {a}\n")),
            None => out.push_str("Bot: (no answer in the knowledge base)\n"),
        }
        match t.solved {
            Some(true) => out.push_str("Customer: this solved it\n"),
            Some(false) => out.push_str("Customer: this did not solve it\n"),
            None => {}
        }
    }
    out
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffInput {
    pub session_id: String,
    pub locale: Option<Locale>,
    /// With an email, a ticket is opened for an agent, holding the transcript.
    pub email: Option<String>,
    pub name: Option<String>,
    /// What the customer adds for the agent.
    pub message: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Handoff {
    pub transcript: Vec<BotTurn>,
    pub transcript_text: String,
    pub ticket_id: Option<Id>,
}

/// Hand the conversation to a human: returns the transcript, and opens a ticket with it when an email is given.
#[utoipa::path(post, path = "/help/{workspace}/{brand}/handoff", tag = "help center", security(()),
    params(("workspace" = String, Path), ("brand" = String, Path)), request_body = HandoffInput,
    responses((status = 200, body = Handoff), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn handoff(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand)): Path<(String, String)>,
    ApiJson(input): ApiJson<HandoffInput>,
) -> ApiResult<Json<Handoff>> {
    rate_limit(&s, &client)?;
    let hc = help_center(&s, &ws, &brand).await?;
    let transcript = s.store.bot_transcript(hc.workspace_id, &input.session_id).await?;
    let text = transcript_text(&transcript);
    let ticket_id = match input.email.as_deref().filter(|e| !e.trim().is_empty()) {
        Some(email) => {
            let first_question = transcript.first().map(|t| t.question.as_str()).unwrap_or("Chat with the answer bot");
            let mut body = text.clone();
            if let Some(m) = input.message.as_deref().filter(|m| !m.trim().is_empty()) {
                body = format!("{m}\n\n--- Conversation with the answer bot ---\n{text}");
            }
            let visitor = Visitor { name: input.name.as_deref(), email, locale: input.locale, session_id: &input.session_id };
            Some(visitor_ticket(&s, &hc, &visitor, first_question, &body, Channel::Chat).await?.id)
        }
        None => None,
    };
    Ok(Json(Handoff { transcript, transcript_text: text, ticket_id }))
}

// ---------------------------------------------------------------- contact form

pub struct Visitor<'a> {
    pub name: Option<&'a str>,
    pub email: &'a str,
    pub locale: Option<Locale>,
    pub session_id: &'a str,
}

/// Opens a ticket for a visitor of the help center or the widget (finding or
/// creating the contact by email), and links the session's recent searches to it.
pub async fn visitor_ticket(
    s: &AppState,
    hc: &HelpCenter,
    v: &Visitor<'_>,
    subject: &str,
    body: &str,
    channel: Channel,
) -> ApiResult<Ticket> {
    let email = rapport_domain::Email::parse(v.email).map_err(|e| ApiError::invalid("email", e.to_string()))?;
    if body.trim().is_empty() || body.len() > 50_000 {
        return Err(ApiError::invalid("message", "write a message of up to 50,000 characters"));
    }
    let system = Actor::system(hc.workspace_id);
    let found = s.store.list_contacts(&system, &ListQuery { q: Some(email.as_str().to_string()), limit: 10, ..Default::default() }).await?;
    let contact_id = match found.items.iter().find(|c| c.email.as_deref() == Some(email.as_str())) {
        Some(c) => c.id,
        None => {
            let name =
                v.name.map(str::trim).filter(|n| !n.is_empty()).unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("visitor"));
            let input = NewContact {
                name: name.chars().take(200).collect(),
                email: Some(email.as_str().to_string()),
                phone: None,
                locale: v.locale,
                organization_ids: vec![],
            };
            s.store.create_contact(&system, &input).await?.id
        }
    };
    let mut t = NewTicket::new(subject.trim().chars().take(200).collect::<String>());
    t.brand_id = Some(hc.brand.id);
    t.channel = Some(channel);
    t.language = v.locale;
    t.requester_id = Some(contact_id);
    t.message = Some(FirstMessage { body: Some(body.to_string()), html: None, kind: None });
    let ticket = s.store.create_ticket(&system, &t).await?;
    s.store.link_searches_to_ticket(hc.workspace_id, v.session_id, ticket.id, Timestamp::now()).await?;
    Ok(ticket)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    pub name: Option<String>,
    pub email: String,
    pub subject: String,
    pub message: String,
    pub locale: Option<Locale>,
    pub session_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactCreated {
    pub ticket_id: Id,
}

/// The help center's contact form: opens a ticket.
#[utoipa::path(post, path = "/help/{workspace}/{brand}/tickets", tag = "help center", security(()),
    params(("workspace" = String, Path), ("brand" = String, Path)), request_body = ContactInput,
    responses((status = 201, body = ContactCreated), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn contact(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((ws, brand)): Path<(String, String)>,
    ApiJson(input): ApiJson<ContactInput>,
) -> ApiResult<(StatusCode, Json<ContactCreated>)> {
    rate_limit(&s, &client)?;
    if input.subject.trim().is_empty() {
        return Err(ApiError::invalid("subject", "must not be empty"));
    }
    let hc = help_center(&s, &ws, &brand).await?;
    let visitor = Visitor {
        name: input.name.as_deref(),
        email: &input.email,
        locale: input.locale,
        session_id: input.session_id.as_deref().unwrap_or(""),
    };
    let ticket = visitor_ticket(&s, &hc, &visitor, &input.subject, &input.message, Channel::Web).await?;
    Ok((StatusCode::CREATED, Json(ContactCreated { ticket_id: ticket.id })))
}
