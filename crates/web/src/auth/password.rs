//! argon2id password hashing (OWASP's parameters: 19 MiB, 2 passes, 1 lane),
//! run off the async threads because each hash takes tens of milliseconds.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

pub const MIN_LENGTH: usize = 10;

/// Checks a new password's length (at least 10 characters, at most 1,000).
pub fn check_strength(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Err(format!("must be at least {MIN_LENGTH} characters"));
    }
    if n > 1000 {
        return Err("must be at most 1000 characters".into());
    }
    Ok(())
}

pub fn hash_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashing cannot fail with default params").to_string()
}

pub fn verify_blocking(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

pub async fn hash(password: String) -> String {
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await.expect("hashing task")
}

/// Verifies against `phc`, or against a dummy hash when there is none, so a
/// wrong email takes as long as a wrong password.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match phc {
        Some(p) => verify_blocking(&password, &p),
        None => {
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let dummy = DUMMY.get_or_init(|| hash_blocking("not a real password"));
            verify_blocking(&password, dummy);
            false
        }
    })
    .await
    .expect("verify task")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash_blocking("correct horse battery");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_blocking("correct horse battery", &h));
        assert!(!verify_blocking("wrong horse battery", &h));
        assert!(!verify_blocking("x", "not a phc string"));
        assert_ne!(h, hash_blocking("correct horse battery"), "salted");
    }

    #[test]
    fn strength() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("długie hasło żółw").is_ok());
    }
}
