/// Password reset tokens in SQL. Expanded inside `impl_sql_store!`'s scope,
/// so it shares that macro's helpers (`load_user`, `audit`, `now`...).
#[macro_export]
#[doc(hidden)]
macro_rules! impl_sql_password_reset_store {
    ($store:ty, $db:ty) => {
        use $crate::__private::rapport_store::password_reset::*;

        /// No second link for a user within this many milliseconds.
        const RESET_REISSUE_MS: i64 = 60_000;

        #[async_trait]
        impl PasswordResetStore for $store {
            async fn create_password_reset(&self, email: &str, token_hash: &str, expires_at: Timestamp) -> Result<Option<ResetRequested>> {
                let email = email.trim().to_lowercase();
                let t = now();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let found = sqlx::query("SELECT id, workspace_id FROM app_user WHERE email = $1 AND active = TRUE")
                    .bind(&email)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let Some(found) = found else { return Ok(None) };
                let uid: i64 = found.try_get(0).map_err(map_err)?;
                let ws: i64 = found.try_get(1).map_err(map_err)?;
                let user = load_user(&mut tx, ws, uid).await?;
                sqlx::query("DELETE FROM password_reset WHERE expires_at < $1").bind(t).execute(&mut *tx).await.map_err(map_err)?;
                let recent = sqlx::query("SELECT 1 FROM password_reset WHERE user_id = $1 AND used_at IS NULL AND created_at > $2")
                    .bind(uid)
                    .bind(t - RESET_REISSUE_MS)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if recent.is_some() {
                    tx.commit().await.map_err(map_err)?;
                    return Ok(Some(ResetRequested { user, issued: false }));
                }
                sqlx::query("DELETE FROM password_reset WHERE user_id = $1 AND used_at IS NULL").bind(uid).execute(&mut *tx).await.map_err(map_err)?;
                sqlx::query("INSERT INTO password_reset (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(uid)
                    .bind(expires_at.millis())
                    .bind(t)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                audit(&mut tx, &Actor::system(ws), "user.password_reset_requested", "user", uid, json!({})).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(Some(ResetRequested { user, issued: true }))
            }

            async fn password_reset_user(&self, token_hash: &str) -> Result<User> {
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                let row = sqlx::query(
                    "SELECT u.id, u.workspace_id FROM password_reset r JOIN app_user u ON u.id = r.user_id \
                     WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.active = TRUE",
                )
                .bind(token_hash)
                .bind(now())
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?
                .ok_or(StoreError::NotFound("password reset"))?;
                let uid: i64 = row.try_get(0).map_err(map_err)?;
                let ws: i64 = row.try_get(1).map_err(map_err)?;
                load_user(&mut conn, ws, uid).await
            }

            async fn reset_password(&self, token_hash: &str, password_hash: &str) -> Result<User> {
                let t = now();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                // Claiming the token is one statement, so two uses of one link cannot both pass.
                let claimed = sqlx::query(
                    "UPDATE password_reset SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
                )
                .bind(t)
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
                .ok_or(StoreError::NotFound("password reset"))?;
                let uid: i64 = claimed.try_get(0).map_err(map_err)?;
                let row = sqlx::query("SELECT workspace_id FROM app_user WHERE id = $1 AND active = TRUE")
                    .bind(uid)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .ok_or(StoreError::NotFound("password reset"))?;
                let ws: i64 = row.try_get(0).map_err(map_err)?;
                sqlx::query("UPDATE app_user SET password_hash = $1, updated_at = $2 WHERE id = $3")
                    .bind(password_hash)
                    .bind(t)
                    .bind(uid)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                sqlx::query("DELETE FROM login_session WHERE user_id = $1").bind(uid).execute(&mut *tx).await.map_err(map_err)?;
                sqlx::query("DELETE FROM password_reset WHERE user_id = $1 AND token_hash <> $2")
                    .bind(uid)
                    .bind(token_hash)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let user = load_user(&mut tx, ws, uid).await?;
                let me = Actor { workspace_id: ws, user_id: uid, role: user.role, team_ids: user.team_ids.clone() };
                audit(&mut tx, &me, "user.password_reset", "user", uid, json!({})).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(user)
            }
        }
    };
}
