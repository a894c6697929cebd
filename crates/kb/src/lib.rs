//! The knowledge base's logic that needs no database:
//!
//! - `text/`: search normalisation (NFKD, marks stripped, lowercase, `đ→d`,
//!   `ł→l`), tokenisation, a light stemmer, stopwords, typo distance;
//! - `search/`: the query plan, ranking and highlighted snippets, shared by
//!   both store backends so they return the same results;
//! - `content`: article bodies (Markdown or HTML) to sanitised HTML and text;
//! - `bot`: the answer bot, which answers only from retrieved articles;
//! - `llm`: an OpenAI-compatible chat client the bot may use to word its answer;
//! - `sample`: help-center articles in vi / pl / en, for the demo and the relevance tests.

pub mod bot;
pub mod content;
#[cfg(feature = "llm")]
pub mod llm;
pub mod sample;
pub mod search;
pub mod text;
