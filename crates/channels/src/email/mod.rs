//! The email channel.

pub mod parse;
