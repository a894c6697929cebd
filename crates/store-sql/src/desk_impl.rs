/// The agent-desk part of the SQL store. Expanded inside `impl_sql_store!`'s
/// scope, so it shares that macro's helpers (`visible_ticket`, `audit`, `now`...).
#[macro_export]
#[doc(hidden)]
macro_rules! impl_sql_desk_store {
    ($store:ty, $db:ty) => {
        use $crate::__private::rapport_store::desk::*;

        const SAVED_VIEW_COLUMNS: &str = "id, user_id, name, filters, created_at";

        fn saved_view_of(row: &<$db as sqlx::Database>::Row) -> Result<SavedView> {
            Ok(SavedView {
                id: row.try_get(0).map_err(map_err)?,
                user_id: row.try_get(1).map_err(map_err)?,
                name: row.try_get(2).map_err(map_err)?,
                filters: row.try_get(3).map_err(map_err)?,
                created_at: Timestamp(row.try_get(4).map_err(map_err)?),
            })
        }

        /// The actor a user acts as: what the user may see decides whether
        /// they may be notified about a ticket.
        async fn actor_of_user(conn: &mut Conn, ws: Id, user_id: Id) -> Result<Option<Actor>> {
            let user = match load_user(conn, ws, user_id).await {
                Ok(u) if u.active => u,
                Ok(_) | Err(StoreError::NotFound(_)) => return Ok(None),
                Err(e) => return Err(e),
            };
            Ok(Some(Actor { workspace_id: ws, user_id: user.id, role: user.role, team_ids: user.team_ids }))
        }

        async fn system_event(conn: &mut Conn, actor: &Actor, ticket_id: Id, line: &str, t: i64) -> Result<()> {
            insert_message(conn, actor, ticket_id, MessageKind::System, None, (line, &html::text_to_html(line)), t).await?;
            sqlx::query("UPDATE ticket SET updated_at = $1 WHERE id = $2").bind(t).bind(ticket_id).execute(&mut *conn).await.map_err(map_err)?;
            Ok(())
        }

        #[async_trait]
        impl DeskStore for $store {
            async fn count_tickets(&self, actor: &Actor, q: &TicketQuery, cap: usize) -> Result<usize> {
                ticket_readable(actor)?;
                let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*) FROM (SELECT 1 FROM ticket t WHERE ");
                push_ticket_filters(&mut qb, actor, q);
                qb.push(" LIMIT ").push_bind((cap + 1) as i64).push(") AS capped");
                let n: i64 = qb.build().fetch_one(&self.read).await.map_err(map_err)?.try_get(0).map_err(map_err)?;
                Ok(n as usize)
            }

            async fn list_saved_views(&self, actor: &Actor) -> Result<Vec<SavedView>> {
                ticket_readable(actor)?;
                let sql = format!(
                    "SELECT {SAVED_VIEW_COLUMNS} FROM saved_view WHERE workspace_id = $1 AND (user_id IS NULL OR user_id = $2) ORDER BY name, id"
                );
                let rows = sqlx::query(&sql).bind(actor.workspace_id).bind(actor.user_id).fetch_all(&self.read).await.map_err(map_err)?;
                rows.iter().map(saved_view_of).collect()
            }

            async fn create_saved_view(&self, actor: &Actor, input: &NewSavedView) -> Result<SavedView> {
                ticket_readable(actor)?;
                let Some(user_id) = actor.user() else { return Err(invalid("user", "saved views belong to a user")) };
                if input.shared {
                    require(actor, Permission::ManageDirectory)?;
                }
                let name = non_empty("name", &input.name, 100)?;
                if input.filters.len() > 2000 {
                    return Err(invalid("filters", "must be at most 2000 characters"));
                }
                let owner = if input.shared { None } else { Some(user_id) };
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let sql = format!(
                    "INSERT INTO saved_view (workspace_id, user_id, name, filters, created_at) VALUES ($1, $2, $3, $4, $5) \
                     RETURNING {SAVED_VIEW_COLUMNS}"
                );
                let row = sqlx::query(&sql)
                    .bind(actor.workspace_id)
                    .bind(owner)
                    .bind(&name)
                    .bind(input.filters.trim())
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let view = saved_view_of(&row)?;
                audit(&mut tx, actor, "view.created", "saved_view", view.id, json!({ "name": name, "shared": input.shared })).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(view)
            }

            async fn delete_saved_view(&self, actor: &Actor, id: Id) -> Result<()> {
                ticket_readable(actor)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let sql = format!("SELECT {SAVED_VIEW_COLUMNS} FROM saved_view WHERE id = $1 AND workspace_id = $2");
                let row = sqlx::query(&sql)
                    .bind(id)
                    .bind(actor.workspace_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .ok_or(StoreError::NotFound("saved_view"))?;
                let view = saved_view_of(&row)?;
                match view.user_id {
                    Some(owner) if Some(owner) != actor.user() => return Err(StoreError::NotFound("saved_view")),
                    None => require(actor, Permission::ManageDirectory)?,
                    Some(_) => {}
                }
                sqlx::query("DELETE FROM saved_view WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                audit(&mut tx, actor, "view.deleted", "saved_view", id, json!({ "name": view.name })).await?;
                tx.commit().await.map_err(map_err)
            }

            async fn notify(&self, actor: &Actor, kind: NotificationKind, ticket_id: Id, message_id: Option<Id>, user_ids: &[Id]) -> Result<Vec<Id>> {
                ticket_writable(actor)?;
                let ws = actor.workspace_id;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                visible_ticket(&mut tx, actor, ticket_id).await?;
                let t = now();
                let mut notified = Vec::new();
                for &user_id in user_ids {
                    if notified.contains(&user_id) || Some(user_id) == actor.user() {
                        continue;
                    }
                    let Some(who) = actor_of_user(&mut tx, ws, user_id).await? else { continue };
                    if visible_ticket(&mut tx, &who, ticket_id).await.is_err() {
                        continue;
                    }
                    sqlx::query(
                        "INSERT INTO notification (workspace_id, user_id, kind, ticket_id, message_id, actor_user_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(ws)
                    .bind(user_id)
                    .bind(kind.as_str())
                    .bind(ticket_id)
                    .bind(message_id)
                    .bind(actor.user())
                    .bind(t)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    notified.push(user_id);
                }
                tx.commit().await.map_err(map_err)?;
                Ok(notified)
            }

            async fn list_notifications(&self, actor: &Actor, unread_only: bool, limit: usize) -> Result<Vec<Notification>> {
                let Some(user_id) = actor.user() else { return Ok(Vec::new()) };
                let unread = if unread_only { " AND read_at IS NULL" } else { "" };
                let sql = format!(
                    "SELECT id, kind, ticket_id, message_id, actor_user_id, created_at, read_at FROM notification \
                     WHERE workspace_id = $1 AND user_id = $2{unread} ORDER BY id DESC LIMIT $3"
                );
                let rows = sqlx::query(&sql)
                    .bind(actor.workspace_id)
                    .bind(user_id)
                    .bind(limit.clamp(1, 200) as i64)
                    .fetch_all(&self.read)
                    .await
                    .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        let kind: String = r.try_get(1).map_err(map_err)?;
                        let read_at: Option<i64> = r.try_get(6).map_err(map_err)?;
                        Ok(Notification {
                            id: r.try_get(0).map_err(map_err)?,
                            kind: NotificationKind::parse(&kind)?,
                            ticket_id: r.try_get(2).map_err(map_err)?,
                            message_id: r.try_get(3).map_err(map_err)?,
                            actor_user_id: r.try_get(4).map_err(map_err)?,
                            created_at: Timestamp(r.try_get(5).map_err(map_err)?),
                            read_at: read_at.map(Timestamp),
                        })
                    })
                    .collect()
            }

            async fn unread_notification_count(&self, actor: &Actor) -> Result<i64> {
                let Some(user_id) = actor.user() else { return Ok(0) };
                sqlx::query("SELECT COUNT(*) FROM notification WHERE workspace_id = $1 AND user_id = $2 AND read_at IS NULL")
                    .bind(actor.workspace_id)
                    .bind(user_id)
                    .fetch_one(&self.read)
                    .await
                    .map_err(map_err)?
                    .try_get(0)
                    .map_err(map_err)
            }

            async fn mark_notifications_read(&self, actor: &Actor, ids: Option<&[Id]>) -> Result<()> {
                let Some(user_id) = actor.user() else { return Ok(()) };
                let mut qb = sqlx::QueryBuilder::<$db>::new("UPDATE notification SET read_at = ");
                qb.push_bind(now()).push(" WHERE workspace_id = ").push_bind(actor.workspace_id);
                qb.push(" AND user_id = ").push_bind(user_id).push(" AND read_at IS NULL");
                if let Some(ids) = ids {
                    if ids.is_empty() {
                        return Ok(());
                    }
                    qb.push(" AND id IN (");
                    let mut sep = qb.separated(", ");
                    for id in ids {
                        sep.push_bind(*id);
                    }
                    qb.push(")");
                }
                qb.build().execute(&mut *self.writer().await?).await.map_err(map_err)?;
                Ok(())
            }

            async fn merge_tickets(&self, actor: &Actor, source: Id, target: Id) -> Result<Ticket> {
                ticket_writable(actor)?;
                if source == target {
                    return Err(invalid("target", "a ticket cannot be merged into itself"));
                }
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let from = visible_ticket(&mut tx, actor, source).await?.into_model()?;
                let into = visible_ticket(&mut tx, actor, target).await.map_err(|_| StoreError::NotFound("target ticket"))?.into_model()?;
                if from.merged_into.is_some() {
                    return Err(StoreError::Conflict("the ticket was merged already".into()));
                }
                into.status.ensure_editable().map_err(|_| invalid("target", "a closed ticket cannot take more messages"))?;
                let t = now();
                // Customer and agent messages move over; the source keeps its own history of changes.
                sqlx::query("UPDATE message SET ticket_id = $1 WHERE ticket_id = $2 AND kind <> 'system'")
                    .bind(target)
                    .bind(source)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                // Mail replies to the source thread into the target from now on.
                sqlx::query("UPDATE email_thread SET ticket_id = $1 WHERE ticket_id = $2")
                    .bind(target)
                    .bind(source)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                // The source's requester and followers keep hearing about the conversation.
                sqlx::query(
                    "INSERT INTO ticket_follower (ticket_id, contact_id) SELECT $1, contact_id FROM ticket_follower WHERE ticket_id = $2 \
                     ON CONFLICT DO NOTHING",
                )
                .bind(target)
                .bind(source)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                if let (Some(req), true) = (from.requester_id, from.requester_id != into.requester_id) {
                    sqlx::query("INSERT INTO ticket_follower (ticket_id, contact_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(target)
                        .bind(req)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                }
                let closed = if from.status == TicketStatus::Closed { from.closed_at.map(|c| c.millis()) } else { Some(t) };
                sqlx::query("UPDATE ticket SET status = 'closed', closed_at = $1, merged_into_id = $2, updated_at = $3 WHERE id = $4")
                    .bind(closed)
                    .bind(target)
                    .bind(t)
                    .bind(source)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                system_event(&mut tx, actor, source, &format!("merged into #{target}"), t).await?;
                system_event(&mut tx, actor, target, &format!("#{source} merged into this ticket"), t).await?;
                audit(&mut tx, actor, "ticket.merged", "ticket", source, json!({ "into": target })).await?;
                let merged = visible_ticket(&mut tx, actor, target).await?.into_model()?;
                tx.commit().await.map_err(map_err)?;
                Ok(merged)
            }

            async fn split_message(&self, actor: &Actor, message_id: Id) -> Result<Ticket> {
                ticket_writable(actor)?;
                let ws = actor.workspace_id;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let msg = load_message(&mut tx, ws, message_id).await?;
                let from = visible_ticket(&mut tx, actor, msg.ticket_id).await.map_err(|_| StoreError::NotFound("message"))?.into_model()?;
                if msg.kind == MessageKind::System {
                    return Err(invalid("message_id", "a change event cannot become a ticket"));
                }
                from.status.ensure_editable()?;
                let first: Option<i64> = sqlx::query("SELECT MIN(id) FROM message WHERE ticket_id = $1 AND kind <> 'system'")
                    .bind(from.id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .try_get(0)
                    .map_err(map_err)?;
                if first == Some(message_id) {
                    return Err(invalid("message_id", "the first message is the ticket itself; nothing to split"));
                }
                let t = now();
                let subject = parse_subject(&format!("{} (#{})", from.subject, from.id)).unwrap_or_else(|_| from.subject.clone());
                let new_id: i64 = sqlx::query(
                    "INSERT INTO ticket (workspace_id, brand_id, subject, status, priority, priority_rank, channel, language, requester_id, \
                     team_id, mailbox_id, created_at, updated_at) \
                     SELECT workspace_id, brand_id, $1, 'open', priority, priority_rank, channel, language, requester_id, team_id, mailbox_id, $2, $2 \
                     FROM ticket WHERE id = $3 RETURNING id",
                )
                .bind(&subject)
                .bind(t)
                .bind(from.id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?
                .try_get(0)
                .map_err(map_err)?;
                sqlx::query("UPDATE message SET ticket_id = $1 WHERE id = $2").bind(new_id).bind(message_id).execute(&mut *tx).await.map_err(map_err)?;
                system_event(&mut tx, actor, from.id, &format!("a message was split off into #{new_id}"), t).await?;
                system_event(&mut tx, actor, new_id, &format!("split off from #{}", from.id), t).await?;
                audit(&mut tx, actor, "ticket.split", "ticket", from.id, json!({ "message_id": message_id, "new_ticket": new_id })).await?;
                let created = visible_ticket(&mut tx, actor, new_id).await?.into_model()?;
                tx.commit().await.map_err(map_err)?;
                Ok(created)
            }

            async fn ticket_changes(&self, after: (Timestamp, Id), limit: usize) -> Result<Vec<TicketChange>> {
                let rows = sqlx::query(
                    "SELECT workspace_id, id, team_id, assignee_id, updated_at FROM ticket \
                     WHERE (updated_at, id) > ($1, $2) ORDER BY updated_at, id LIMIT $3",
                )
                .bind(after.0.millis())
                .bind(after.1)
                .bind(limit.clamp(1, 10_000) as i64)
                .fetch_all(&self.read)
                .await
                .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok(TicketChange {
                            workspace_id: r.try_get(0).map_err(map_err)?,
                            ticket_id: r.try_get(1).map_err(map_err)?,
                            team_id: r.try_get(2).map_err(map_err)?,
                            assignee_id: r.try_get(3).map_err(map_err)?,
                            updated_at: Timestamp(r.try_get(4).map_err(map_err)?),
                        })
                    })
                    .collect()
            }
        }
    };
}
