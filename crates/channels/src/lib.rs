//! Rapport's channels. Each turns the outside world's messages into tickets
//! and messages, and delivers replies back.
//!
//! - `email/`: MIME parsing, threading, loop protection, IMAP ingest, SMTP delivery.

pub mod email;
