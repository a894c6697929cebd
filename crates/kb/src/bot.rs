//! The answer bot (filled in below).
