//! LLM client (filled in below).
