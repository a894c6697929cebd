//! Story tests: filled in below.
