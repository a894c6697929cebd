//! Password resets by emailed link. The store keeps only the SHA-256 of each
//! token; a token works once, within its expiry, for an active user.
//!
//! These run before anyone is signed in, so they take no actor.

use crate::model::User;
use crate::Result;
use async_trait::async_trait;
use rapport_domain::Timestamp;

/// A reset link was asked for an existing, active user.
#[derive(Debug, Clone)]
pub struct ResetRequested {
    pub user: User,
    /// `false` when a link for this user was issued less than a minute ago:
    /// no new token was stored and no mail should be sent (this bounds the
    /// mail one address can be sent, whoever asks).
    pub issued: bool,
}

#[async_trait]
pub trait PasswordResetStore: Send + Sync {
    /// Stores a reset token for the active user with this email (any case),
    /// replacing that user's earlier unused tokens. `Ok(None)`: no such user.
    async fn create_password_reset(&self, email: &str, token_hash: &str, expires_at: Timestamp) -> Result<Option<ResetRequested>>;
    /// The user a token is for, if the token is unused, unexpired and the user active; else `NotFound`.
    async fn password_reset_user(&self, token_hash: &str) -> Result<User>;
    /// In one transaction: checks the token as above, sets the new password
    /// hash, marks the token used, and ends every session and reset token of the user.
    async fn reset_password(&self, token_hash: &str, password_hash: &str) -> Result<User>;
}
