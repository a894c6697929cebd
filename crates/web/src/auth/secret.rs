//! Random tokens and their stored hashes.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes as URL-safe base64, with a prefix that says what it is.
pub fn random_token(prefix: &str) -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

pub use rapport_domain::crypto::constant_time_eq;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_prefixed() {
        let a = random_token("rpt_");
        assert!(a.starts_with("rpt_") && a.len() == 4 + 43);
        assert_ne!(a, random_token("rpt_"));
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &random_token("rpt_")));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
