//! Secrets at rest (mailbox passwords, signing secrets) are sealed with
//! XChaCha20-Poly1305 under a key from configuration. A sealed value is
//! `v1:` + base64(24-byte nonce ‖ ciphertext+tag); the version prefix leaves
//! room for key rotation.

use base64::{engine::general_purpose::STANDARD, Engine};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
    /// A second key from the same secret, for signatures (never used to encrypt).
    mac_key: [u8; 32],
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot open the sealed secret: {0}")]
pub struct OpenError(&'static str);

impl SecretBox {
    /// Derives the 256-bit key from the configured secret (any length; use 32+ random bytes).
    pub fn new(key_material: &[u8]) -> Self {
        let key = Sha256::digest(key_material);
        let mut mac = Sha256::new();
        mac.update(b"rapport signing key\0");
        mac.update(key_material);
        SecretBox { cipher: XChaCha20Poly1305::new(&key), mac_key: mac.finalize().into() }
    }

    pub fn seal(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ct = self.cipher.encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes()).expect("encryption cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("v1:{}", STANDARD.encode(out))
    }

    pub fn open(&self, sealed: &str) -> Result<String, OpenError> {
        let data = sealed.strip_prefix("v1:").ok_or(OpenError("unknown format"))?;
        let bytes = STANDARD.decode(data).map_err(|_| OpenError("not base64"))?;
        if bytes.len() < 24 + 16 {
            return Err(OpenError("too short"));
        }
        let (nonce, ct) = bytes.split_at(24);
        let plain = self.cipher.decrypt(XNonce::from_slice(nonce), ct).map_err(|_| OpenError("wrong key or tampered"))?;
        String::from_utf8(plain).map_err(|_| OpenError("not UTF-8"))
    }
}

impl SecretBox {
    /// HMAC-SHA256 of `data` under the signing key, separated by `purpose`
    /// (so a signature made for one use is worthless for another).
    pub fn sign(&self, purpose: &str, data: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(data);
        mac.finalize().into_bytes().into()
    }
}

/// HMAC-SHA256 with an explicit key (webhook signatures use each subscription's own secret).
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Compares secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens() {
        let b = SecretBox::new(b"a key from configuration");
        let sealed = b.seal("mật khẩu-hasło");
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("hasło"));
        assert_ne!(sealed, b.seal("mật khẩu-hasło"), "fresh nonce each time");
        assert_eq!(b.open(&sealed).unwrap(), "mật khẩu-hasło");
        assert!(SecretBox::new(b"another key").open(&sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(b.open(&tampered).is_err());
        assert!(b.open("plain text").is_err());
    }

    #[test]
    fn signatures_depend_on_key_purpose_and_data() {
        let b = SecretBox::new(b"a key from configuration");
        assert_eq!(b.sign("survey", b"42"), b.sign("survey", b"42"));
        assert_ne!(b.sign("survey", b"42"), b.sign("survey", b"43"));
        assert_ne!(b.sign("survey", b"42"), b.sign("other", b"42"));
        assert_ne!(b.sign("survey", b"42"), SecretBox::new(b"another key").sign("survey", b"42"));
        // RFC 4231 test case 2.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(mac[..4], [0x5b, 0xdc, 0xc1, 0x46]);
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
