//! Rapport's channels. Each turns the outside world's messages into tickets
//! and messages, and delivers replies back.
//!
//! - `email/`: MIME parsing, threading, loop protection, IMAP ingest, SMTP delivery.
//! - `webhook`: signed outbound webhooks with retries.

pub mod email;
pub mod webhook;
