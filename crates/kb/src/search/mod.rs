//! Search as both backends run it:
//!
//! 1. [`parse_query`] folds the query into terms (stopwords optional, the
//!    last term a prefix while the user is typing);
//! 2. the store looks the terms up in the workspace's vocabulary
//!    ([`Lookup`]) and [`build_plan`] widens each term to indexed words: the
//!    word itself, words with the same stem, words that start with it (as you
//!    type), and, for a word the index does not know, words within one or two
//!    typos;
//! 3. the store fetches candidates with its full-text index (FTS5 or
//!    tsvector), first requiring every term ([`fts5_match`], [`tsquery`]),
//!    then, when nothing matches, any term;
//! 4. [`rank`] scores the candidates and [`snippet`] highlights the hits.
//!
//! Steps 1, 2 and 4 are this crate's code, and step 3 selects the same rows
//! on both backends, so SQLite and PostgreSQL return the same results.

mod plan;
mod rank;
mod snippet;

pub use plan::{
    build_plan, fts5_match, parse_query, prefix_range, tsquery, tsvector_literal, Expansion, Lookup, MatchKind, Plan, QueryTerm, TermGroup,
    VocabRow,
};
pub use rank::{rank, Candidate, Ranked};
pub use snippet::{highlight, snippet};

/// At most this many query terms are used; the rest are ignored.
pub const MAX_QUERY_TERMS: usize = 10;
/// At most this many candidates per step are ranked.
pub const MAX_CANDIDATES: i64 = 300;
