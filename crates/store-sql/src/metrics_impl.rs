/// Measurement in SQL: business hours, time entries, status history, ticket
/// imports, and the per-ticket facts. Expanded inside `impl_sql_store!`'s
/// scope, so it shares that macro's helpers (`visible_ticket`, `audit`,
/// `check_ref`, `set_ticket_tags`...).
#[macro_export]
#[doc(hidden)]
macro_rules! impl_sql_metrics_store {
    ($store:ty, $db:ty) => {
        use $crate::__private::rapport_analytics::service::{FactRow, TimeEntryRow};
        use $crate::__private::rapport_analytics::ticket::{facts as ticket_facts, PublicMessage, StatusEvent, TicketFacts, TicketHistory};
        use $crate::__private::rapport_analytics::BusinessCalendar;
        use $crate::__private::rapport_store::metrics::*;
        use $crate::metrics_rows::{Bind, DimColumns};

        /// Longest single time entry.
        const MAX_ENTRY_SECONDS: i64 = 12 * 3600;
        /// Tickets per statement when loading or writing facts.
        const FACT_CHUNK: usize = 400;

        fn bind_all<'q>(
            mut q: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>>,
            binds: &'q [Bind],
        ) -> sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>> {
            for b in binds {
                q = match b {
                    Bind::Int(v) => q.bind(*v),
                    Bind::Text(v) => q.bind(v.as_str()),
                };
            }
            q
        }

        /// `AND ...` for the actor's team visibility and the filter's dimensions.
        fn metrics_conditions(actor: &Actor, filter: &MetricsFilter, cols: &DimColumns, binds: &mut Vec<Bind>) -> String {
            let mut sql = String::new();
            let mut next = |b: Bind, binds: &mut Vec<Bind>| {
                binds.push(b);
                format!("${}", binds.len())
            };
            if !actor.sees_all_teams() {
                let ws = next(Bind::Int(actor.workspace_id), binds);
                let mine: Vec<String> = actor.team_ids.iter().map(|t| t.to_string()).collect();
                sql.push_str(&format!(
                    " AND ({team} IS NULL OR {team} NOT IN (SELECT id FROM team WHERE workspace_id = {ws} AND restricted = TRUE){})",
                    if mine.is_empty() { String::new() } else { format!(" OR {} IN ({})", cols.team, mine.join(", ")) },
                    team = cols.team
                ));
            }
            if let Some(b) = filter.brand_id {
                sql.push_str(&format!(" AND {} = {}", cols.brand, next(Bind::Int(b), binds)));
            }
            if let Some(t) = filter.team_id {
                sql.push_str(&format!(" AND {} = {}", cols.team, next(Bind::Int(t), binds)));
            }
            if let Some(a) = filter.agent_id {
                sql.push_str(&format!(" AND {} = {}", cols.agent, next(Bind::Int(a), binds)));
            }
            if let Some(c) = filter.channel {
                sql.push_str(&format!(" AND {} = {}", cols.channel, next(Bind::Text(c.as_str().into()), binds)));
            }
            if let Some(l) = filter.language {
                sql.push_str(&format!(" AND {} = {}", cols.language, next(Bind::Text(l.as_str().into()), binds)));
            }
            if let Some(o) = filter.organization_id {
                sql.push_str(&format!(
                    " AND {} IN (SELECT contact_id FROM contact_organization WHERE organization_id = {})",
                    cols.contact,
                    next(Bind::Int(o), binds)
                ));
            }
            sql
        }

        fn in_list(ids: &[Id]) -> String {
            ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
        }

        async fn load_business_hours(conn: &mut Conn, ws: Id) -> Result<Option<BusinessHours>> {
            let row = sqlx::query("SELECT time_zone, week, holidays FROM business_hours WHERE workspace_id = $1")
                .bind(ws)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?;
            let Some(row) = row else { return Ok(None) };
            let week: String = row.try_get(1).map_err(map_err)?;
            let holidays: String = row.try_get(2).map_err(map_err)?;
            Ok(Some(BusinessHours {
                time_zone: row.try_get(0).map_err(map_err)?,
                week: serde_json::from_str(&week).map_err(|e| StoreError::Other(format!("corrupt business hours: {e}")))?,
                holidays: serde_json::from_str(&holidays).map_err(|e| StoreError::Other(format!("corrupt business hours: {e}")))?,
            }))
        }

        /// Marks every ticket of the workspace for recomputation.
        async fn mark_all_facts_dirty(conn: &mut Conn, ws: Id) -> Result<()> {
            sqlx::query(
                "INSERT INTO ticket_fact_dirty (ticket_id, workspace_id, version) SELECT id, workspace_id, 1 FROM ticket WHERE workspace_id = $1 \
                 ON CONFLICT (ticket_id) DO UPDATE SET version = ticket_fact_dirty.version + 1",
            )
            .bind(ws)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(())
        }

        const TIME_ENTRY_COLUMNS: &str = "id, ticket_id, user_id, started_at, duration_ms, source, note, created_at";

        fn time_entry_of(row: &<$db as sqlx::Database>::Row) -> Result<TimeEntry> {
            let source: String = row.try_get(5).map_err(map_err)?;
            let ms: i64 = row.try_get(4).map_err(map_err)?;
            Ok(TimeEntry {
                id: row.try_get(0).map_err(map_err)?,
                ticket_id: row.try_get(1).map_err(map_err)?,
                user_id: row.try_get(2).map_err(map_err)?,
                started_at: Timestamp(row.try_get(3).map_err(map_err)?),
                duration_seconds: ms / 1000,
                source: TimeSource::parse(&source).map_err(|e| StoreError::Other(format!("corrupt time entry: {e}")))?,
                note: row.try_get(6).map_err(map_err)?,
                created_at: Timestamp(row.try_get(7).map_err(map_err)?),
            })
        }

        /// Inserts an imported message with its own author and time.
        async fn insert_imported_message(
            conn: &mut Conn,
            ws: Id,
            ticket_id: Id,
            kind: MessageKind,
            author: ImportedAuthor,
            body: &str,
            at: i64,
        ) -> Result<()> {
            let (user, contact) = match author {
                ImportedAuthor::Agent(u) => (Some(u), None),
                ImportedAuthor::Customer(c) => (None, Some(c)),
            };
            sqlx::query(
                "INSERT INTO message (workspace_id, ticket_id, kind, author_user_id, author_contact_id, body_text, body_html, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(ws)
            .bind(ticket_id)
            .bind(kind.as_str())
            .bind(user)
            .bind(contact)
            .bind(body)
            .bind(html::text_to_html(body))
            .bind(at)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(())
        }

        async fn set_imported_status(conn: &mut Conn, ticket_id: Id, status: TicketStatus, at: i64) -> Result<()> {
            sqlx::query("UPDATE ticket SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(status.as_str())
                .bind(at)
                .bind(ticket_id)
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            Ok(())
        }

        /// What the facts of one ticket are computed from, as loaded.
        struct FactSource {
            ws: Id,
            row: FactRow,
            requester_id: Option<Id>,
            history: TicketHistory,
        }

        /// Loads tickets with their status history and public messages.
        async fn load_fact_sources(conn: &mut Conn, ids: &[Id]) -> Result<Vec<FactSource>> {
            let list = in_list(ids);
            let sql = format!(
                "SELECT id, workspace_id, created_at, brand_id, team_id, assignee_id, requester_id, channel, language, status, \
                 merged_into_id, tags, first_response_at, solved_at, reopened_count, priority FROM ticket WHERE id IN ({list})"
            );
            let rows = sqlx::query(&sql).fetch_all(&mut *conn).await.map_err(map_err)?;
            let mut out: Vec<FactSource> = Vec::with_capacity(rows.len());
            let mut index: std::collections::HashMap<Id, usize> = std::collections::HashMap::new();
            for r in &rows {
                let status: String = r.try_get(9).map_err(map_err)?;
                let status = TicketStatus::parse(&status).map_err(|e| StoreError::Other(format!("corrupt ticket: {e}")))?;
                let channel: String = r.try_get(7).map_err(map_err)?;
                let language: Option<String> = r.try_get(8).map_err(map_err)?;
                let merged: Option<i64> = r.try_get(10).map_err(map_err)?;
                let tags: String = r.try_get(11).map_err(map_err)?;
                let created_at: i64 = r.try_get(2).map_err(map_err)?;
                let id: i64 = r.try_get(0).map_err(map_err)?;
                let priority: String = r.try_get(15).map_err(map_err)?;
                index.insert(id, out.len());
                out.push(FactSource {
                    ws: r.try_get(1).map_err(map_err)?,
                    requester_id: r.try_get(6).map_err(map_err)?,
                    row: FactRow {
                        ticket_id: id,
                        created_at,
                        brand_id: r.try_get(3).map_err(map_err)?,
                        team_id: r.try_get(4).map_err(map_err)?,
                        assignee_id: r.try_get(5).map_err(map_err)?,
                        channel: Channel::parse(&channel).map_err(|e| StoreError::Other(format!("corrupt ticket: {e}")))?,
                        language: language.as_deref().map(domain::Locale::parse).transpose().map_err(|e| StoreError::Other(format!("corrupt ticket: {e}")))?,
                        priority: Priority::parse(&priority).map_err(|e| StoreError::Other(format!("corrupt ticket: {e}")))?,
                        status,
                        merged: merged.is_some(),
                        tags: serde_json::from_str(&tags).unwrap_or_default(),
                        facts: TicketFacts::default(),
                    },
                    history: TicketHistory {
                        created_at,
                        statuses: Vec::new(),
                        status,
                        first_response_at: r.try_get(12).map_err(map_err)?,
                        solved_at: r.try_get(13).map_err(map_err)?,
                        reopened_count: r.try_get(14).map_err(map_err)?,
                        merged: merged.is_some(),
                        public_messages: Vec::new(),
                    },
                });
            }
            let sql = format!("SELECT ticket_id, to_status, changed_at FROM ticket_status_change WHERE ticket_id IN ({list}) ORDER BY ticket_id, id");
            for r in sqlx::query(&sql).fetch_all(&mut *conn).await.map_err(map_err)? {
                let tid: i64 = r.try_get(0).map_err(map_err)?;
                let to: String = r.try_get(1).map_err(map_err)?;
                if let (Some(&i), Ok(to)) = (index.get(&tid), TicketStatus::parse(&to)) {
                    out[i].history.statuses.push(StatusEvent { at: r.try_get(2).map_err(map_err)?, to });
                }
            }
            let sql = format!(
                "SELECT ticket_id, created_at, author_user_id, author_contact_id FROM message \
                 WHERE ticket_id IN ({list}) AND kind = 'public' ORDER BY ticket_id, created_at, id"
            );
            for r in sqlx::query(&sql).fetch_all(&mut *conn).await.map_err(map_err)? {
                let tid: i64 = r.try_get(0).map_err(map_err)?;
                let user: Option<i64> = r.try_get(2).map_err(map_err)?;
                let contact: Option<i64> = r.try_get(3).map_err(map_err)?;
                let Some(&i) = index.get(&tid) else { continue };
                // Written by neither an agent nor a customer (Rapport itself): not part of the conversation's measures.
                let agent = match (user, contact) {
                    (_, Some(_)) => None,
                    (Some(u), None) => Some(u),
                    (None, None) => continue,
                };
                out[i].history.public_messages.push(PublicMessage { at: r.try_get(1).map_err(map_err)?, agent });
            }
            Ok(out)
        }

        async fn write_facts(conn: &mut Conn, sources: &[FactSource], at: i64) -> Result<()> {
            if sources.is_empty() {
                return Ok(());
            }
            let mut qb = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO ticket_fact (ticket_id, workspace_id, created_at, brand_id, team_id, assignee_id, requester_id, channel, language, \
                 priority, status, merged, tags, customer_initiated, first_response_at, first_responder_id, frt_ms, frt_business_ms, first_solved_at, \
                 resolved_at, ttr_ms, ttr_net_ms, ttr_business_ms, paused_ms, reopen_count, agent_replies, fcr, unresolved, computed_at) ",
            );
            qb.push_values(sources, |mut b, s| {
                let f = &s.row.facts;
                b.push_bind(s.row.ticket_id)
                    .push_bind(s.ws)
                    .push_bind(s.row.created_at)
                    .push_bind(s.row.brand_id)
                    .push_bind(s.row.team_id)
                    .push_bind(s.row.assignee_id)
                    .push_bind(s.requester_id)
                    .push_bind(s.row.channel.as_str())
                    .push_bind(s.row.language.map(|l| l.as_str()))
                    .push_bind(s.row.priority.as_str())
                    .push_bind(s.row.status.as_str())
                    .push_bind(s.row.merged)
                    .push_bind(serde_json::to_string(&s.row.tags).unwrap_or_else(|_| "[]".into()))
                    .push_bind(f.customer_initiated)
                    .push_bind(f.first_response_at)
                    .push_bind(f.first_responder_id)
                    .push_bind(f.frt_ms)
                    .push_bind(f.frt_business_ms)
                    .push_bind(f.first_solved_at)
                    .push_bind(f.resolved_at)
                    .push_bind(f.ttr_ms)
                    .push_bind(f.ttr_net_ms)
                    .push_bind(f.ttr_business_ms)
                    .push_bind(f.paused_ms)
                    .push_bind(f.reopen_count)
                    .push_bind(f.agent_replies)
                    .push_bind(f.fcr)
                    .push_bind(f.unresolved)
                    .push_bind(at);
            });
            qb.push(
                " ON CONFLICT (ticket_id) DO UPDATE SET workspace_id = excluded.workspace_id, created_at = excluded.created_at, \
                 brand_id = excluded.brand_id, team_id = excluded.team_id, assignee_id = excluded.assignee_id, requester_id = excluded.requester_id, \
                 channel = excluded.channel, language = excluded.language, priority = excluded.priority, status = excluded.status, merged = excluded.merged, tags = excluded.tags, \
                 customer_initiated = excluded.customer_initiated, first_response_at = excluded.first_response_at, \
                 first_responder_id = excluded.first_responder_id, frt_ms = excluded.frt_ms, frt_business_ms = excluded.frt_business_ms, \
                 first_solved_at = excluded.first_solved_at, resolved_at = excluded.resolved_at, ttr_ms = excluded.ttr_ms, \
                 ttr_net_ms = excluded.ttr_net_ms, ttr_business_ms = excluded.ttr_business_ms, paused_ms = excluded.paused_ms, \
                 reopen_count = excluded.reopen_count, agent_replies = excluded.agent_replies, fcr = excluded.fcr, \
                 unresolved = excluded.unresolved, computed_at = excluded.computed_at",
            );
            qb.build().execute(&mut *conn).await.map_err(map_err)?;
            Ok(())
        }

        fn fact_row_of(r: &<$db as sqlx::Database>::Row) -> Result<FactRow> {
            let corrupt = |e: domain::DomainError| StoreError::Other(format!("corrupt ticket fact: {e}"));
            let channel: String = r.try_get(5).map_err(map_err)?;
            let language: Option<String> = r.try_get(6).map_err(map_err)?;
            let status: String = r.try_get(7).map_err(map_err)?;
            let tags: String = r.try_get(9).map_err(map_err)?;
            let priority: String = r.try_get(25).map_err(map_err)?;
            Ok(FactRow {
                ticket_id: r.try_get(0).map_err(map_err)?,
                created_at: r.try_get(1).map_err(map_err)?,
                brand_id: r.try_get(2).map_err(map_err)?,
                team_id: r.try_get(3).map_err(map_err)?,
                assignee_id: r.try_get(4).map_err(map_err)?,
                channel: Channel::parse(&channel).map_err(corrupt)?,
                language: language.as_deref().map(domain::Locale::parse).transpose().map_err(corrupt)?,
                priority: Priority::parse(&priority).map_err(corrupt)?,
                status: TicketStatus::parse(&status).map_err(corrupt)?,
                merged: r.try_get(8).map_err(map_err)?,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
                facts: TicketFacts {
                    customer_initiated: r.try_get(10).map_err(map_err)?,
                    first_response_at: r.try_get(11).map_err(map_err)?,
                    first_responder_id: r.try_get(12).map_err(map_err)?,
                    frt_ms: r.try_get(13).map_err(map_err)?,
                    frt_business_ms: r.try_get(14).map_err(map_err)?,
                    first_solved_at: r.try_get(15).map_err(map_err)?,
                    resolved_at: r.try_get(16).map_err(map_err)?,
                    ttr_ms: r.try_get(17).map_err(map_err)?,
                    ttr_net_ms: r.try_get(18).map_err(map_err)?,
                    ttr_business_ms: r.try_get(19).map_err(map_err)?,
                    paused_ms: r.try_get(20).map_err(map_err)?,
                    reopen_count: r.try_get(21).map_err(map_err)?,
                    agent_replies: r.try_get(22).map_err(map_err)?,
                    fcr: r.try_get(23).map_err(map_err)?,
                    unresolved: r.try_get(24).map_err(map_err)?,
                },
            })
        }

        #[async_trait]
        impl MetricsStore for $store {
            async fn business_hours(&self, actor: &Actor) -> Result<Option<BusinessHours>> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                load_business_hours(&mut conn, actor.workspace_id).await
            }

            async fn set_business_hours(&self, actor: &Actor, hours: Option<&BusinessHours>) -> Result<Option<BusinessHours>> {
                require(actor, Permission::ManageDirectory)?;
                let ws = actor.workspace_id;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                match hours {
                    Some(h) => {
                        if let Err(e) = h.calendar() {
                            return Err(invalid(e.field, e.message));
                        }
                        let mut clean = h.clone();
                        clean.time_zone = h.time_zone.trim().to_string();
                        for w in &mut clean.week {
                            w.day = w.day.trim().to_ascii_lowercase();
                        }
                        clean.holidays.sort();
                        clean.holidays.dedup();
                        sqlx::query(
                            "INSERT INTO business_hours (workspace_id, time_zone, week, holidays, updated_at) VALUES ($1, $2, $3, $4, $5) \
                             ON CONFLICT (workspace_id) DO UPDATE SET time_zone = excluded.time_zone, week = excluded.week, \
                             holidays = excluded.holidays, updated_at = excluded.updated_at",
                        )
                        .bind(ws)
                        .bind(&clean.time_zone)
                        .bind(serde_json::to_string(&clean.week).expect("serialisable"))
                        .bind(serde_json::to_string(&clean.holidays).expect("serialisable"))
                        .bind(now())
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                        audit(&mut tx, actor, "business_hours.set", "workspace", ws, json!({ "time_zone": clean.time_zone })).await?;
                    }
                    None => {
                        sqlx::query("DELETE FROM business_hours WHERE workspace_id = $1").bind(ws).execute(&mut *tx).await.map_err(map_err)?;
                        audit(&mut tx, actor, "business_hours.cleared", "workspace", ws, json!({})).await?;
                    }
                }
                mark_all_facts_dirty(&mut tx, ws).await?;
                let stored = load_business_hours(&mut tx, ws).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(stored)
            }

            async fn add_time_entry(&self, actor: &Actor, ticket_id: Id, input: &NewTimeEntry) -> Result<TimeEntry> {
                ticket_writable(actor)?;
                let Some(user_id) = actor.user() else { return Err(invalid("user", "time is logged by a user")) };
                if input.duration_seconds < 1 || input.duration_seconds > MAX_ENTRY_SECONDS {
                    return Err(invalid("duration_seconds", format!("must be between 1 and {MAX_ENTRY_SECONDS}")));
                }
                let note = opt_text("note", input.note.as_deref(), 500)?;
                let t = now();
                let started = input.started_at.map(|s| s.millis()).unwrap_or(t - input.duration_seconds * 1000);
                if started > t + 60_000 {
                    return Err(invalid("started_at", "must not be in the future"));
                }
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                visible_ticket(&mut tx, actor, ticket_id).await?;
                let sql = format!(
                    "INSERT INTO time_entry (workspace_id, ticket_id, user_id, started_at, duration_ms, source, note, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {TIME_ENTRY_COLUMNS}"
                );
                let row = sqlx::query(&sql)
                    .bind(actor.workspace_id)
                    .bind(ticket_id)
                    .bind(user_id)
                    .bind(started)
                    .bind(input.duration_seconds * 1000)
                    .bind(input.source.unwrap_or(TimeSource::Manual).as_str())
                    .bind(note)
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let entry = time_entry_of(&row)?;
                audit(&mut tx, actor, "time_entry.created", "ticket", ticket_id, json!({ "seconds": input.duration_seconds })).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(entry)
            }

            async fn list_time_entries(&self, actor: &Actor, ticket_id: Id) -> Result<Vec<TimeEntry>> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                visible_ticket(&mut conn, actor, ticket_id).await?;
                let sql = format!("SELECT {TIME_ENTRY_COLUMNS} FROM time_entry WHERE ticket_id = $1 AND workspace_id = $2 ORDER BY started_at, id");
                let rows = sqlx::query(&sql).bind(ticket_id).bind(actor.workspace_id).fetch_all(&mut *conn).await.map_err(map_err)?;
                rows.iter().map(time_entry_of).collect()
            }

            async fn delete_time_entry(&self, actor: &Actor, id: Id) -> Result<()> {
                ticket_writable(actor)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let sql = format!("SELECT {TIME_ENTRY_COLUMNS} FROM time_entry WHERE id = $1 AND workspace_id = $2");
                let row = sqlx::query(&sql)
                    .bind(id)
                    .bind(actor.workspace_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .ok_or(StoreError::NotFound("time entry"))?;
                let entry = time_entry_of(&row)?;
                visible_ticket(&mut tx, actor, entry.ticket_id).await.map_err(|_| StoreError::NotFound("time entry"))?;
                if Some(entry.user_id) != actor.user() && actor.role != domain::Role::Admin {
                    return Err(StoreError::Domain(domain::DomainError::Forbidden));
                }
                sqlx::query("DELETE FROM time_entry WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                audit(&mut tx, actor, "time_entry.deleted", "ticket", entry.ticket_id, json!({ "seconds": entry.duration_seconds })).await?;
                tx.commit().await.map_err(map_err)
            }

            async fn ticket_status_history(&self, actor: &Actor, ticket_id: Id) -> Result<Vec<StatusChange>> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                visible_ticket(&mut conn, actor, ticket_id).await?;
                let rows = sqlx::query("SELECT from_status, to_status, changed_at FROM ticket_status_change WHERE ticket_id = $1 ORDER BY id")
                    .bind(ticket_id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?;
                let corrupt = |e: domain::DomainError| StoreError::Other(format!("corrupt status history: {e}"));
                rows.iter()
                    .map(|r| {
                        let from: Option<String> = r.try_get(0).map_err(map_err)?;
                        let to: String = r.try_get(1).map_err(map_err)?;
                        Ok(StatusChange {
                            from: from.as_deref().map(TicketStatus::parse).transpose().map_err(corrupt)?,
                            to: TicketStatus::parse(&to).map_err(corrupt)?,
                            at: Timestamp(r.try_get(2).map_err(map_err)?),
                        })
                    })
                    .collect()
            }

            async fn import_ticket(&self, actor: &Actor, input: &ImportedTicket) -> Result<Ticket> {
                require(actor, Permission::ManageDirectory)?;
                let ws = actor.workspace_id;
                let subject = parse_subject(&input.subject)?;
                let created = input.created_at.millis();
                let mut last = created;
                for e in &input.events {
                    let at = match e {
                        ImportedEvent::Message { at, .. } | ImportedEvent::Status { at, .. } => at.millis(),
                    };
                    if at < last {
                        return Err(invalid("events", "events must be in time order, none before the ticket was created"));
                    }
                    last = at;
                }
                let priority = input.priority.unwrap_or(Priority::Normal);
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                if let Some(id) = input.brand_id {
                    check_ref(&mut tx, ws, Ref::Brand, "brand_id", id).await?;
                }
                if let Some(id) = input.requester_id {
                    check_ref(&mut tx, ws, Ref::Contact, "requester_id", id).await?;
                }
                if let Some(id) = input.assignee_id {
                    check_assignee(&mut tx, ws, id).await?;
                }
                if let Some(id) = input.team_id {
                    check_ref(&mut tx, ws, Ref::Team, "team_id", id).await?;
                }
                let id: i64 = sqlx::query(
                    "INSERT INTO ticket (workspace_id, brand_id, subject, status, priority, priority_rank, channel, language, \
                     requester_id, assignee_id, team_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, 'new', $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                )
                .bind(ws)
                .bind(input.brand_id)
                .bind(&subject)
                .bind(priority.as_str())
                .bind(priority.rank())
                .bind(input.channel.as_str())
                .bind(input.language.map(|l| l.as_str()))
                .bind(input.requester_id)
                .bind(input.assignee_id)
                .bind(input.team_id)
                .bind(created)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?
                .try_get(0)
                .map_err(map_err)?;
                if !input.tags.is_empty() {
                    set_ticket_tags(&mut tx, ws, id, &input.tags).await?;
                }
                // The same rules as live work, replayed in order.
                let mut status = TicketStatus::New;
                let (mut first_response, mut solved_at, mut closed_at, mut reopened) = (None::<i64>, None::<i64>, None::<i64>, 0i64);
                for e in &input.events {
                    match e {
                        ImportedEvent::Message { at, kind, author, body } => {
                            let at = at.millis();
                            if *kind == MessageKind::System {
                                return Err(invalid("events.kind", "system messages are written by Rapport itself"));
                            }
                            status.ensure_editable()?;
                            match author {
                                ImportedAuthor::Agent(u) => check_ref(&mut tx, ws, Ref::User, "events.author", *u).await?,
                                ImportedAuthor::Customer(c) => check_ref(&mut tx, ws, Ref::Contact, "events.author", *c).await?,
                            }
                            if body.trim().is_empty() {
                                return Err(invalid("events.body", "a message needs text"));
                            }
                            insert_imported_message(&mut tx, ws, id, *kind, *author, body, at).await?;
                            if *kind == MessageKind::Public {
                                let next = match author {
                                    ImportedAuthor::Agent(_) => {
                                        first_response = first_response.or(Some(at));
                                        (status == TicketStatus::New).then_some(TicketStatus::Open)
                                    }
                                    ImportedAuthor::Customer(_) => {
                                        matches!(status, TicketStatus::Solved | TicketStatus::Pending).then_some(TicketStatus::Open)
                                    }
                                };
                                if let Some(next) = next {
                                    reopened += i64::from(status.transition(next)?.reopened);
                                    status = next;
                                    set_imported_status(&mut tx, id, status, at).await?;
                                }
                            }
                        }
                        ImportedEvent::Status { at, to } => {
                            let at = at.millis();
                            let effect = status.transition(*to)?;
                            if effect.solved {
                                solved_at = Some(at);
                            }
                            if effect.closed {
                                closed_at = Some(at);
                            }
                            reopened += i64::from(effect.reopened);
                            if *to != status {
                                status = *to;
                                set_imported_status(&mut tx, id, status, at).await?;
                            }
                        }
                    }
                }
                sqlx::query(
                    "UPDATE ticket SET first_response_at = $1, solved_at = $2, closed_at = $3, reopened_count = $4, updated_at = $5 WHERE id = $6",
                )
                .bind(first_response)
                .bind(solved_at)
                .bind(closed_at)
                .bind(reopened)
                .bind(last)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                audit(&mut tx, actor, "ticket.imported", "ticket", id, json!({ "subject": subject, "events": input.events.len() })).await?;
                let row = visible_ticket(&mut tx, &Actor::system(ws), id).await?;
                tx.commit().await.map_err(map_err)?;
                row.into_model()
            }

            async fn refresh_ticket_facts(&self, workspace_id: Option<Id>, limit: usize) -> Result<RefreshOutcome> {
                let limit = limit.clamp(1, 20_000) as i64;
                let t = now();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let dirty = match workspace_id {
                    Some(ws) => sqlx::query("SELECT ticket_id, workspace_id, version FROM ticket_fact_dirty WHERE workspace_id = $1 ORDER BY ticket_id LIMIT $2")
                        .bind(ws)
                        .bind(limit)
                        .fetch_all(&mut *tx)
                        .await,
                    None => sqlx::query("SELECT ticket_id, workspace_id, version FROM ticket_fact_dirty ORDER BY ticket_id LIMIT $1").bind(limit).fetch_all(&mut *tx).await,
                }
                .map_err(map_err)?;
                if dirty.is_empty() {
                    tx.commit().await.map_err(map_err)?;
                    return Ok(RefreshOutcome { refreshed: 0, remaining: 0 });
                }
                let mut marks: Vec<(i64, i64, i64)> = Vec::with_capacity(dirty.len());
                for r in &dirty {
                    marks.push((r.try_get(0).map_err(map_err)?, r.try_get(1).map_err(map_err)?, r.try_get(2).map_err(map_err)?));
                }
                let mut calendars: std::collections::HashMap<Id, Option<BusinessCalendar>> = std::collections::HashMap::new();
                for (_, ws, _) in &marks {
                    if !calendars.contains_key(ws) {
                        let cal = load_business_hours(&mut tx, *ws).await?.and_then(|h| h.calendar().ok());
                        calendars.insert(*ws, cal);
                    }
                }
                let mut refreshed = 0;
                for chunk in marks.chunks(FACT_CHUNK) {
                    let ids: Vec<Id> = chunk.iter().map(|m| m.0).collect();
                    let mut sources = load_fact_sources(&mut tx, &ids).await?;
                    for s in &mut sources {
                        let cal = calendars.get(&s.ws).and_then(|c| c.as_ref());
                        s.row.facts = ticket_facts(&s.history, cal, t);
                    }
                    write_facts(&mut tx, &sources, t).await?;
                    refreshed += sources.len();
                    let pairs: Vec<String> = chunk.iter().map(|(id, _, v)| format!("({id}, {v})")).collect();
                    let sql = format!("DELETE FROM ticket_fact_dirty WHERE (ticket_id, version) IN (VALUES {})", pairs.join(", "));
                    sqlx::query(&sql).execute(&mut *tx).await.map_err(map_err)?;
                }
                let remaining: i64 = match workspace_id {
                    Some(ws) => sqlx::query("SELECT COUNT(*) FROM (SELECT 1 FROM ticket_fact_dirty WHERE workspace_id = $1 LIMIT 10001) AS d")
                        .bind(ws)
                        .fetch_one(&mut *tx)
                        .await,
                    None => sqlx::query("SELECT COUNT(*) FROM (SELECT 1 FROM ticket_fact_dirty LIMIT 10001) AS d").fetch_one(&mut *tx).await,
                }
                .map_err(map_err)?
                .try_get(0)
                .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(RefreshOutcome { refreshed, remaining: remaining as usize })
            }

            async fn fact_rows(&self, actor: &Actor, filter: &MetricsFilter) -> Result<Vec<FactRow>> {
                ticket_readable(actor)?;
                let mut binds = vec![Bind::Int(actor.workspace_id), Bind::Int(filter.period.from), Bind::Int(filter.period.to)];
                let range = |col: &str| format!("SELECT ticket_id FROM ticket_fact WHERE workspace_id = $1 AND {col} >= $2 AND {col} < $3");
                let cond = metrics_conditions(actor, filter, &DimColumns::TICKET_FACT, &mut binds);
                let sql = format!(
                    "SELECT f.ticket_id, f.created_at, f.brand_id, f.team_id, f.assignee_id, f.channel, f.language, f.status, f.merged, f.tags, \
                     f.customer_initiated, f.first_response_at, f.first_responder_id, f.frt_ms, f.frt_business_ms, f.first_solved_at, \
                     f.resolved_at, f.ttr_ms, f.ttr_net_ms, f.ttr_business_ms, f.paused_ms, f.reopen_count, f.agent_replies, f.fcr, f.unresolved, f.priority \
                     FROM ticket_fact f WHERE f.ticket_id IN ({} UNION {} UNION {} UNION {} \
                     UNION SELECT ticket_id FROM ticket_fact WHERE workspace_id = $1 AND unresolved = TRUE \
                     UNION SELECT ticket_id FROM time_entry WHERE workspace_id = $1 AND started_at >= $2 AND started_at < $3) \
                     AND f.workspace_id = $1{cond} ORDER BY f.ticket_id",
                    range("created_at"),
                    range("first_response_at"),
                    range("resolved_at"),
                    range("first_solved_at"),
                );
                let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&self.read).await.map_err(map_err)?;
                rows.iter().map(fact_row_of).collect()
            }

            async fn time_entry_rows(&self, actor: &Actor, filter: &MetricsFilter) -> Result<Vec<TimeEntryRow>> {
                ticket_readable(actor)?;
                let mut binds = vec![Bind::Int(actor.workspace_id), Bind::Int(filter.period.from), Bind::Int(filter.period.to)];
                let cond = metrics_conditions(actor, filter, &DimColumns::TIME_ENTRY, &mut binds);
                let sql = format!(
                    "SELECT te.ticket_id, te.user_id, t.team_id, te.started_at, te.duration_ms FROM time_entry te JOIN ticket t ON t.id = te.ticket_id \
                     WHERE te.workspace_id = $1 AND te.started_at >= $2 AND te.started_at < $3{cond} ORDER BY te.started_at, te.id"
                );
                let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&self.read).await.map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok(TimeEntryRow {
                            ticket_id: r.try_get(0).map_err(map_err)?,
                            user_id: r.try_get(1).map_err(map_err)?,
                            team_id: r.try_get(2).map_err(map_err)?,
                            started_at: r.try_get(3).map_err(map_err)?,
                            duration_ms: r.try_get(4).map_err(map_err)?,
                        })
                    })
                    .collect()
            }

            async fn ticket_briefs(&self, actor: &Actor, ids: &[Id]) -> Result<Vec<TicketBrief>> {
                ticket_readable(actor)?;
                if ids.is_empty() {
                    return Ok(vec![]);
                }
                let mut found: std::collections::HashMap<Id, TicketBrief> = std::collections::HashMap::new();
                for chunk in ids.chunks(FACT_CHUNK) {
                    let sql = format!(
                        "SELECT t.id, t.subject, t.status, t.channel, t.assignee_id, t.created_at, t.team_id, tm.restricted FROM ticket t \
                         LEFT JOIN team tm ON tm.id = t.team_id WHERE t.workspace_id = $1 AND t.id IN ({})",
                        in_list(chunk)
                    );
                    for r in sqlx::query(&sql).bind(actor.workspace_id).fetch_all(&self.read).await.map_err(map_err)? {
                        let team: Option<i64> = r.try_get(6).map_err(map_err)?;
                        let restricted: Option<bool> = r.try_get(7).map_err(map_err)?;
                        if !actor.may_see_ticket(team, restricted.unwrap_or(false)) {
                            continue;
                        }
                        let status: String = r.try_get(2).map_err(map_err)?;
                        let channel: String = r.try_get(3).map_err(map_err)?;
                        let corrupt = |e: domain::DomainError| StoreError::Other(format!("corrupt ticket: {e}"));
                        let brief = TicketBrief {
                            id: r.try_get(0).map_err(map_err)?,
                            subject: r.try_get(1).map_err(map_err)?,
                            status: TicketStatus::parse(&status).map_err(corrupt)?,
                            channel: Channel::parse(&channel).map_err(corrupt)?,
                            assignee_id: r.try_get(4).map_err(map_err)?,
                            created_at: Timestamp(r.try_get(5).map_err(map_err)?),
                        };
                        found.insert(brief.id, brief);
                    }
                }
                Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
            }
        }
    };
}
