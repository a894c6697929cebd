//! The email channel.

pub mod compose;
pub mod display;
pub mod fetch;
pub mod imap;
pub mod ingest;
pub mod lang;
pub mod lmtp;
pub mod outbound;
pub mod parse;
pub mod quote;
pub mod smtp;
pub mod templates;
pub mod threading;
pub mod tls;
pub mod worker;
