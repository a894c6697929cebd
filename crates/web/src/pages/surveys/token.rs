//! The signed token in a survey link: the invitation id and an HMAC of it
//! under a key derived from the app's secret (`SecretBox::sign`), so each
//! recipient's link opens their own survey and nothing else, and no token is
//! stored. `42.` + 22 characters of URL-safe base64 (128 bits of the MAC).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rapport_domain::crypto::{constant_time_eq, SecretBox};
use rapport_domain::Id;

const PURPOSE: &str = "survey-invitation";

fn mac(secrets: &SecretBox, id: Id) -> String {
    URL_SAFE_NO_PAD.encode(&secrets.sign(PURPOSE, id.to_string().as_bytes())[..16])
}

pub fn sign(secrets: &SecretBox, invitation_id: Id) -> String {
    format!("{invitation_id}.{}", mac(secrets, invitation_id))
}

/// The invitation id of a valid token.
pub fn verify(secrets: &SecretBox, token: &str) -> Option<Id> {
    let (id, tag) = token.split_once('.')?;
    if id.is_empty() || id.len() > 19 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id: Id = id.parse().ok()?;
    constant_time_eq(&mac(secrets, id), tag).then_some(id)
}

/// The public answer page of a token.
pub fn url(public_url: &str, token: &str) -> String {
    format!("{}/s/{token}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_with_the_same_secret_and_id() {
        let s = SecretBox::new(b"app secret");
        let t = sign(&s, 42);
        assert_eq!(verify(&s, &t), Some(42));
        assert_eq!(verify(&SecretBox::new(b"other secret"), &t), None);
        // Another id with this MAC, a cut MAC, garbage.
        let (_, tag) = t.split_once('.').unwrap();
        assert_eq!(verify(&s, &format!("43.{tag}")), None);
        assert_eq!(verify(&s, &t[..t.len() - 1]), None);
        assert_eq!(verify(&s, "42"), None);
        assert_eq!(verify(&s, "-1.abc"), None);
        assert_eq!(url("https://help.example.com/", &t), format!("https://help.example.com/s/{t}"));
    }
}
