/// SLA targets in SQL. Expanded inside `impl_sql_store!`'s scope, so it
/// shares that macro's helpers (`require`, `audit`, `now`...).
#[macro_export]
#[doc(hidden)]
macro_rules! impl_sql_sla_store {
    ($store:ty, $db:ty) => {
        use $crate::__private::rapport_store::sla::*;

        /// A week of minutes is plenty for a first reply; a year for resolution.
        fn check_minutes(field: &'static str, v: Option<i64>, max: i64) -> Result<Option<i64>> {
            match v {
                Some(m) if !(1..=max).contains(&m) => Err(invalid(field, format!("must be between 1 and {max} minutes"))),
                other => Ok(other),
            }
        }

        #[async_trait]
        impl SlaStore for $store {
            async fn list_sla_policies(&self, actor: &Actor) -> Result<Vec<SlaPolicy>> {
                require(actor, Permission::ReadTickets)?;
                let rows = sqlx::query(
                    "SELECT priority, first_response_minutes, resolution_minutes, updated_at FROM sla_policy \
                     WHERE workspace_id = $1 ORDER BY priority_rank DESC",
                )
                .bind(actor.workspace_id)
                .fetch_all(&self.read)
                .await
                .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        let p: String = r.try_get(0).map_err(map_err)?;
                        Ok(SlaPolicy {
                            priority: Priority::parse(&p)?,
                            first_response_minutes: r.try_get(1).map_err(map_err)?,
                            resolution_minutes: r.try_get(2).map_err(map_err)?,
                            updated_at: Timestamp(r.try_get(3).map_err(map_err)?),
                        })
                    })
                    .collect()
            }

            async fn set_sla_policy(&self, actor: &Actor, priority: Priority, input: &SlaPolicyInput) -> Result<Option<SlaPolicy>> {
                require(actor, Permission::ManageDirectory)?;
                let frt = check_minutes("first_response_minutes", input.first_response_minutes, 7 * 24 * 60)?;
                let res = check_minutes("resolution_minutes", input.resolution_minutes, 365 * 24 * 60)?;
                let t = now();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                sqlx::query("DELETE FROM sla_policy WHERE workspace_id = $1 AND priority = $2")
                    .bind(actor.workspace_id)
                    .bind(priority.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let policy = if frt.is_none() && res.is_none() {
                    None
                } else {
                    sqlx::query(
                        "INSERT INTO sla_policy (workspace_id, priority, priority_rank, first_response_minutes, resolution_minutes, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(actor.workspace_id)
                    .bind(priority.as_str())
                    .bind(priority.rank())
                    .bind(frt)
                    .bind(res)
                    .bind(t)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    Some(SlaPolicy { priority, first_response_minutes: frt, resolution_minutes: res, updated_at: Timestamp(t) })
                };
                audit(&mut tx, actor, "sla.set", "sla_policy", priority.rank(), json!({ "priority": priority, "first_response_minutes": frt, "resolution_minutes": res }))
                    .await?;
                tx.commit().await.map_err(map_err)?;
                Ok(policy)
            }
        }
    };
}
