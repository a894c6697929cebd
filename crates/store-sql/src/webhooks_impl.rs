/// Events and outbound webhooks in SQL. Expanded inside `impl_sql_store!`'s
/// scope; `record_event_in` is also used by the survey store to fire events
/// in the same transaction as the answer that caused them.
#[macro_export]
#[doc(hidden)]
macro_rules! impl_sql_webhooks_store {
    ($store:ty, $db:ty, $skip_locked:literal) => {
        use $crate::__private::rapport_store::webhooks::*;

        const WEBHOOK_COLUMNS: &str = "id, url, events, active, created_at, updated_at";
        const MAX_WEBHOOKS: i64 = 50;

        fn webhook_of(row: &<$db as sqlx::Database>::Row) -> Result<Webhook> {
            let events: String = row.try_get(2).map_err(map_err)?;
            Ok(Webhook {
                id: row.try_get(0).map_err(map_err)?,
                url: row.try_get(1).map_err(map_err)?,
                events: serde_json::from_str(&events).map_err(|e| StoreError::Other(format!("corrupt webhook events: {e}")))?,
                active: row.try_get(3).map_err(map_err)?,
                created_at: Timestamp(row.try_get(4).map_err(map_err)?),
                updated_at: Timestamp(row.try_get(5).map_err(map_err)?),
            })
        }

        /// Validates a subscription: an http(s) URL and known-looking event names.
        fn check_webhook(input: &WebhookInput) -> Result<(String, Vec<String>)> {
            let url = input.url.trim();
            let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !url.contains(char::is_whitespace) && url.len() <= 2000 => {}
                _ => return Err(invalid("url", "must be an http:// or https:// URL")),
            }
            let mut events: Vec<String> = Vec::new();
            for e in &input.events {
                let e = e.trim();
                let ok = e == "*" || (!e.is_empty() && e.len() <= 100 && e.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'));
                if !ok {
                    return Err(invalid("events", format!("'{e}' is not an event name like survey.low_score (or * for all)")));
                }
                if !events.iter().any(|x| x == e) {
                    events.push(e.to_string());
                }
            }
            if events.is_empty() {
                return Err(invalid("events", "name at least one event (or * for all)"));
            }
            Ok((url.to_string(), events))
        }

        fn app_event_of(id: Id, name: String, payload: String, created_at: i64) -> Result<AppEvent> {
            Ok(AppEvent {
                id,
                name,
                payload: serde_json::from_str(&payload).map_err(|e| StoreError::Other(format!("corrupt event payload: {e}")))?,
                created_at: Timestamp(created_at),
            })
        }

        /// Records an event and queues a delivery for every active subscription that wants it.
        async fn record_event_in(conn: &mut Conn, ws: Id, name: &str, payload: &Value, at: i64) -> Result<AppEvent> {
            let id: i64 = sqlx::query("INSERT INTO app_event (workspace_id, name, payload, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(ws)
                .bind(name)
                .bind(payload.to_string())
                .bind(at)
                .fetch_one(&mut *conn)
                .await
                .map_err(map_err)?
                .try_get(0)
                .map_err(map_err)?;
            let subs = sqlx::query("SELECT id, events FROM webhook_subscription WHERE workspace_id = $1 AND active = TRUE")
                .bind(ws)
                .fetch_all(&mut *conn)
                .await
                .map_err(map_err)?;
            for s in subs {
                let sub: i64 = s.try_get(0).map_err(map_err)?;
                let events: String = s.try_get(1).map_err(map_err)?;
                let events: Vec<String> = serde_json::from_str(&events).unwrap_or_default();
                if events.iter().any(|e| e == "*" || e == name) {
                    sqlx::query(
                        "INSERT INTO webhook_delivery (workspace_id, subscription_id, event_id, status, attempts, next_attempt_at, created_at) \
                         VALUES ($1, $2, $3, 'queued', 0, $4, $4)",
                    )
                    .bind(ws)
                    .bind(sub)
                    .bind(id)
                    .bind(at)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
                }
            }
            app_event_of(id, name.to_string(), payload.to_string(), at)
        }

        async fn load_webhook(conn: &mut Conn, ws: Id, id: Id) -> Result<Webhook> {
            let sql = format!("SELECT {WEBHOOK_COLUMNS} FROM webhook_subscription WHERE id = $1 AND workspace_id = $2");
            let row = sqlx::query(&sql).bind(id).bind(ws).fetch_optional(&mut *conn).await.map_err(map_err)?.ok_or(StoreError::NotFound("webhook"))?;
            webhook_of(&row)
        }

        #[async_trait]
        impl WebhookStore for $store {
            async fn create_webhook(&self, actor: &Actor, input: &WebhookInput, secret_enc: &str) -> Result<Webhook> {
                require(actor, Permission::ManageDirectory)?;
                let (url, events) = check_webhook(input)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let n: i64 = sqlx::query("SELECT COUNT(*) FROM webhook_subscription WHERE workspace_id = $1")
                    .bind(actor.workspace_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .try_get(0)
                    .map_err(map_err)?;
                if n >= MAX_WEBHOOKS {
                    return Err(StoreError::Conflict(format!("a workspace has at most {MAX_WEBHOOKS} webhooks")));
                }
                let t = now();
                let sql = format!(
                    "INSERT INTO webhook_subscription (workspace_id, url, events, secret_enc, active, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {WEBHOOK_COLUMNS}"
                );
                let row = sqlx::query(&sql)
                    .bind(actor.workspace_id)
                    .bind(&url)
                    .bind(serde_json::to_string(&events).expect("strings serialise"))
                    .bind(secret_enc)
                    .bind(input.active.unwrap_or(true))
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let hook = webhook_of(&row)?;
                audit(&mut tx, actor, "webhook.created", "webhook", hook.id, json!({ "url": url, "events": events })).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(hook)
            }

            async fn update_webhook(&self, actor: &Actor, id: Id, input: &WebhookInput) -> Result<Webhook> {
                require(actor, Permission::ManageDirectory)?;
                let (url, events) = check_webhook(input)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let before = load_webhook(&mut tx, actor.workspace_id, id).await?;
                sqlx::query("UPDATE webhook_subscription SET url = $1, events = $2, active = $3, updated_at = $4 WHERE id = $5")
                    .bind(&url)
                    .bind(serde_json::to_string(&events).expect("strings serialise"))
                    .bind(input.active.unwrap_or(before.active))
                    .bind(now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let hook = load_webhook(&mut tx, actor.workspace_id, id).await?;
                audit(&mut tx, actor, "webhook.updated", "webhook", id, json!({ "url": url, "events": events, "active": hook.active })).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(hook)
            }

            async fn list_webhooks(&self, actor: &Actor) -> Result<Vec<Webhook>> {
                require(actor, Permission::ManageDirectory)?;
                let sql = format!("SELECT {WEBHOOK_COLUMNS} FROM webhook_subscription WHERE workspace_id = $1 ORDER BY id");
                let rows = sqlx::query(&sql).bind(actor.workspace_id).fetch_all(&self.read).await.map_err(map_err)?;
                rows.iter().map(webhook_of).collect()
            }

            async fn delete_webhook(&self, actor: &Actor, id: Id) -> Result<()> {
                require(actor, Permission::ManageDirectory)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let hook = load_webhook(&mut tx, actor.workspace_id, id).await?;
                sqlx::query("DELETE FROM webhook_subscription WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                audit(&mut tx, actor, "webhook.deleted", "webhook", id, json!({ "url": hook.url })).await?;
                tx.commit().await.map_err(map_err)
            }

            async fn list_webhook_deliveries(&self, actor: &Actor, webhook_id: Id, limit: usize) -> Result<Vec<WebhookDelivery>> {
                require(actor, Permission::ManageDirectory)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                load_webhook(&mut conn, actor.workspace_id, webhook_id).await?;
                let rows = sqlx::query(
                    "SELECT d.id, d.subscription_id, d.event_id, e.name, d.status, d.attempts, d.next_attempt_at, d.last_status_code, \
                     d.last_error, d.last_duration_ms, d.created_at, d.delivered_at \
                     FROM webhook_delivery d JOIN app_event e ON e.id = d.event_id WHERE d.subscription_id = $1 ORDER BY d.id DESC LIMIT $2",
                )
                .bind(webhook_id)
                .bind(limit.clamp(1, 500) as i64)
                .fetch_all(&mut *conn)
                .await
                .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        let status: String = r.try_get(4).map_err(map_err)?;
                        Ok(WebhookDelivery {
                            id: r.try_get(0).map_err(map_err)?,
                            webhook_id: r.try_get(1).map_err(map_err)?,
                            event_id: r.try_get(2).map_err(map_err)?,
                            event_name: r.try_get(3).map_err(map_err)?,
                            status: DeliveryStatus::parse(&status).map_err(|e| StoreError::Other(format!("corrupt delivery: {e}")))?,
                            attempts: r.try_get(5).map_err(map_err)?,
                            next_attempt_at: Timestamp(r.try_get(6).map_err(map_err)?),
                            last_status_code: r.try_get(7).map_err(map_err)?,
                            last_error: r.try_get(8).map_err(map_err)?,
                            last_duration_ms: r.try_get(9).map_err(map_err)?,
                            created_at: Timestamp(r.try_get(10).map_err(map_err)?),
                            delivered_at: r.try_get::<Option<i64>, _>(11).map_err(map_err)?.map(Timestamp),
                        })
                    })
                    .collect()
            }

            async fn record_event(&self, actor: &Actor, name: &str, payload: &Value) -> Result<AppEvent> {
                ticket_writable(actor)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let event = record_event_in(&mut tx, actor.workspace_id, name, payload, now()).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(event)
            }

            async fn list_events(&self, actor: &Actor, limit: usize) -> Result<Vec<AppEvent>> {
                require(actor, Permission::ReadAudit)?;
                let rows = sqlx::query("SELECT id, name, payload, created_at FROM app_event WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2")
                    .bind(actor.workspace_id)
                    .bind(limit.clamp(1, 500) as i64)
                    .fetch_all(&self.read)
                    .await
                    .map_err(map_err)?;
                rows.iter()
                    .map(|r| app_event_of(r.try_get(0).map_err(map_err)?, r.try_get(1).map_err(map_err)?, r.try_get(2).map_err(map_err)?, r.try_get(3).map_err(map_err)?))
                    .collect()
            }

            async fn claim_webhook_deliveries(&self, now_ts: Timestamp, lease_until: Timestamp, limit: usize) -> Result<Vec<DeliveryJob>> {
                let sql = format!(
                    "UPDATE webhook_delivery SET status = 'sending', attempts = attempts + 1, next_attempt_at = $1 \
                     WHERE id IN (SELECT id FROM webhook_delivery WHERE status IN ('queued', 'sending') AND next_attempt_at <= $2 \
                     ORDER BY next_attempt_at, id LIMIT $3 {}) RETURNING id",
                    $skip_locked
                );
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let claimed: Vec<i64> = sqlx::query(&sql)
                    .bind(lease_until.millis())
                    .bind(now_ts.millis())
                    .bind(limit.clamp(1, 1000) as i64)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .iter()
                    .map(|r| r.try_get::<i64, _>(0))
                    .collect::<std::result::Result<_, _>>()
                    .map_err(map_err)?;
                let mut jobs = Vec::with_capacity(claimed.len());
                for id in claimed {
                    let r = sqlx::query(
                        "SELECT d.workspace_id, s.url, s.secret_enc, e.id, e.name, e.payload, e.created_at, d.attempts \
                         FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id JOIN app_event e ON e.id = d.event_id \
                         WHERE d.id = $1",
                    )
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    jobs.push(DeliveryJob {
                        delivery_id: id,
                        workspace_id: r.try_get(0).map_err(map_err)?,
                        url: r.try_get(1).map_err(map_err)?,
                        secret_enc: r.try_get(2).map_err(map_err)?,
                        event: app_event_of(r.try_get(3).map_err(map_err)?, r.try_get(4).map_err(map_err)?, r.try_get(5).map_err(map_err)?, r.try_get(6).map_err(map_err)?)?,
                        attempts: r.try_get(7).map_err(map_err)?,
                    });
                }
                tx.commit().await.map_err(map_err)?;
                Ok(jobs)
            }

            async fn finish_webhook_delivery(&self, delivery_id: Id, outcome: &AttemptOutcome) -> Result<()> {
                let t = now();
                let (status, next, delivered) = match outcome.retry {
                    None => ("delivered", t, Some(t)),
                    Some(Some(at)) => ("queued", at.millis(), None),
                    Some(None) => ("failed", t, None),
                };
                let done = sqlx::query(
                    "UPDATE webhook_delivery SET status = $1, next_attempt_at = $2, delivered_at = $3, last_status_code = $4, last_error = $5, \
                     last_duration_ms = $6 WHERE id = $7",
                )
                .bind(status)
                .bind(next)
                .bind(delivered)
                .bind(outcome.status_code)
                .bind(outcome.error.as_deref())
                .bind(outcome.duration_ms)
                .bind(delivery_id)
                .execute(&mut *self.writer().await?)
                .await
                .map_err(map_err)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("webhook delivery"));
                }
                Ok(())
            }
        }
    };
}
