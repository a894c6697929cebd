//! The email channel.

pub mod lang;
pub mod parse;
pub mod quote;
pub mod threading;
pub mod compose;
pub mod templates;
pub mod ingest;
pub mod outbound;
pub mod fetch;
pub mod worker;
pub mod imap;
pub mod lmtp;
pub mod smtp;
pub mod tls;
