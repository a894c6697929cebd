//! Text as search sees it. The same functions run when an article is indexed
//! and when a query arrives, on both store backends.

mod normalize;
mod stem;
mod stopwords;
mod typo;

pub use normalize::{fold_word, normalize, tokens, word_spans, WordSpan, MAX_TOKEN_CHARS};
pub use stem::stem;
pub use stopwords::is_stopword;
pub use typo::{deletes, distance, max_typos};
