/// Canned replies and macros in SQL. Expanded inside `impl_sql_store!`'s
/// scope, so it shares that macro's helpers (`check_ref`, `audit`,
/// `visible_ticket`, `add_message_in`, `update_ticket_in`...).
#[macro_export]
#[doc(hidden)]
macro_rules! impl_sql_replies_store {
    ($store:ty, $db:ty) => {
        use $crate::__private::rapport_domain::canned::{self, LocalizedText, PlaceholderValues};
        use $crate::__private::rapport_store::replies::*;
        use $crate::replies_rows::*;

        const CANNED_COLUMNS: &str = "id, owner_user_id, name, shortcut, bodies, created_at, updated_at";
        const MACRO_COLUMNS: &str = "id, name, actions, created_at, updated_at";
        /// Longest text of one language variant, in characters.
        const MAX_VARIANT_CHARS: usize = 20_000;
        const MAX_MACRO_ACTIONS: usize = 20;

        /// Drops blank variants, trims the others, and requires at least one.
        fn check_bodies(field: &'static str, bodies: &LocalizedText) -> Result<LocalizedText> {
            let mut out = LocalizedText::new();
            for (locale, body) in bodies {
                let body = body.trim();
                if body.is_empty() {
                    continue;
                }
                if body.chars().count() > MAX_VARIANT_CHARS {
                    return Err(invalid(field, format!("the {locale} text must be at most {MAX_VARIANT_CHARS} characters")));
                }
                out.insert(*locale, body.to_string());
            }
            if out.is_empty() {
                return Err(invalid(field, "needs a text in at least one language (vi, pl or en)"));
            }
            Ok(out)
        }

        /// Shortcuts are 1-32 lowercase letters, digits, `-` and `_`; empty means none.
        fn parse_shortcut(s: Option<&str>) -> Result<Option<String>> {
            let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
            let s = s.to_lowercase();
            let ok = s.chars().count() <= 32 && s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
            if ok {
                Ok(Some(s))
            } else {
                Err(invalid("shortcut", format!("'{s}' must be 1-32 letters, digits, '-' or '_'")))
            }
        }

        /// A canned reply the actor may see: shared, or their own.
        async fn load_canned(conn: &mut Conn, actor: &Actor, id: Id) -> Result<CannedReply> {
            let sql = format!(
                "SELECT {CANNED_COLUMNS} FROM canned_reply WHERE id = $1 AND workspace_id = $2 AND (owner_user_id IS NULL OR owner_user_id = $3)"
            );
            let row: CannedReplyRow = sqlx::query_as(&sql)
                .bind(id)
                .bind(actor.workspace_id)
                .bind(actor.user_id)
                .fetch_one(&mut *conn)
                .await
                .map_err(not_found("canned reply"))?;
            row.into_model()
        }

        /// Who may change a canned reply: admins the shared ones, owners their own.
        fn may_manage_canned(actor: &Actor, shared: bool) -> Result<()> {
            if shared {
                require(actor, Permission::ManageDirectory)
            } else {
                ticket_writable(actor)
            }
        }

        fn shortcut_conflict(shortcut: &Option<String>) -> impl Fn(sqlx::Error) -> StoreError + '_ {
            move |e| match map_err(e) {
                StoreError::Conflict(_) => {
                    StoreError::Conflict(format!("the shortcut '{}' is already used", shortcut.as_deref().unwrap_or_default()))
                }
                other => other,
            }
        }

        async fn load_macro(conn: &mut Conn, ws: Id, id: Id) -> Result<Macro> {
            let sql = format!("SELECT {MACRO_COLUMNS} FROM ticket_macro WHERE id = $1 AND workspace_id = $2");
            let row: MacroRow = sqlx::query_as(&sql).bind(id).bind(ws).fetch_one(&mut *conn).await.map_err(not_found("macro"))?;
            row.into_model()
        }

        /// Re-labels a validation error as one of the macro's actions.
        fn in_action(i: usize) -> impl Fn(StoreError) -> StoreError {
            move |e| match e {
                StoreError::Domain(domain::DomainError::Invalid { reason, .. }) => invalid("actions", format!("action {}: {reason}", i + 1)),
                other => other,
            }
        }

        /// Checks a macro's actions against the workspace and normalises them
        /// (tags lowercased, blank reply variants dropped).
        async fn check_actions(conn: &mut Conn, ws: Id, actions: &[MacroAction]) -> Result<Vec<MacroAction>> {
            if actions.is_empty() {
                return Err(invalid("actions", "a macro needs at least one action"));
            }
            if actions.len() > MAX_MACRO_ACTIONS {
                return Err(invalid("actions", format!("a macro may have at most {MAX_MACRO_ACTIONS} actions")));
            }
            let mut seen: Vec<&'static str> = Vec::new();
            let mut once = |kind: &'static str, i: usize| {
                if seen.contains(&kind) {
                    Err(invalid("actions", format!("action {}: only one {kind} action is allowed", i + 1)))
                } else {
                    seen.push(kind);
                    Ok(())
                }
            };
            let tags = |list: &[String], i: usize| -> Result<Vec<String>> {
                if list.is_empty() {
                    return Err(invalid("actions", format!("action {}: name at least one tag", i + 1)));
                }
                list.iter().map(|t| parse_tag(t).map_err(|e| in_action(i)(e.into()))).collect()
            };
            let mut out = Vec::with_capacity(actions.len());
            let (mut added, mut removed) = (Vec::new(), Vec::new());
            for (i, action) in actions.iter().enumerate() {
                out.push(match action {
                    MacroAction::Reply { kind, bodies } => {
                        if *kind == MessageKind::System {
                            return Err(invalid("actions", format!("action {}: a reply is `public` or `note`", i + 1)));
                        }
                        MacroAction::Reply { kind: *kind, bodies: check_bodies("actions", bodies).map_err(in_action(i))? }
                    }
                    MacroAction::SetStatus { status } => {
                        once("set_status", i)?;
                        if matches!(status, TicketStatus::New | TicketStatus::Closed) {
                            return Err(invalid("actions", format!("action {}: a macro cannot set the status to {status}", i + 1)));
                        }
                        MacroAction::SetStatus { status: *status }
                    }
                    MacroAction::SetPriority { priority } => {
                        once("set_priority", i)?;
                        MacroAction::SetPriority { priority: *priority }
                    }
                    MacroAction::AddTags { tags: list } => {
                        let list = tags(list, i)?;
                        added.extend(list.iter().cloned());
                        MacroAction::AddTags { tags: list }
                    }
                    MacroAction::RemoveTags { tags: list } => {
                        let list = tags(list, i)?;
                        removed.extend(list.iter().cloned());
                        MacroAction::RemoveTags { tags: list }
                    }
                    MacroAction::AssignUser { user_id } => {
                        once("assign_user", i)?;
                        if let Some(u) = user_id {
                            check_assignee(conn, ws, *u).await.map_err(in_action(i))?;
                        }
                        MacroAction::AssignUser { user_id: *user_id }
                    }
                    MacroAction::AssignTeam { team_id } => {
                        once("assign_team", i)?;
                        if let Some(t) = team_id {
                            check_ref(conn, ws, Ref::Team, "team_id", *t).await.map_err(in_action(i))?;
                        }
                        MacroAction::AssignTeam { team_id: *team_id }
                    }
                });
            }
            if let Some(both) = added.iter().find(|t| removed.contains(t)) {
                return Err(invalid("actions", format!("the tag '{both}' is both added and removed")));
            }
            Ok(out)
        }

        /// What the placeholders of a reply on this ticket stand for, and the
        /// acting user's language (the second choice of variant).
        async fn placeholder_values(conn: &mut Conn, actor: &Actor, ticket: &Ticket) -> Result<(PlaceholderValues, domain::Locale)> {
            let ws = actor.workspace_id;
            let mut values = PlaceholderValues {
                ticket_id: Some(ticket.id),
                ticket_subject: Some(ticket.subject.clone()),
                ..Default::default()
            };
            if let Some(cid) = ticket.requester_id {
                let row = sqlx::query("SELECT name, locale FROM contact WHERE id = $1 AND workspace_id = $2")
                    .bind(cid)
                    .bind(ws)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_err)?;
                if let Some(row) = row {
                    let name: String = row.try_get(0).map_err(map_err)?;
                    let locale: Option<String> = row.try_get(1).map_err(map_err)?;
                    let locale = locale.and_then(|l| domain::Locale::parse(&l).ok()).or(ticket.language);
                    values.contact_first_name = Some(canned::first_name(&name, locale));
                    values.contact_name = Some(name);
                }
            }
            let mut agent_locale = domain::Locale::En;
            if let Some(uid) = actor.user() {
                let row = sqlx::query("SELECT name, locale FROM app_user WHERE id = $1 AND workspace_id = $2")
                    .bind(uid)
                    .bind(ws)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_err)?;
                if let Some(row) = row {
                    let name: String = row.try_get(0).map_err(map_err)?;
                    let locale: String = row.try_get(1).map_err(map_err)?;
                    agent_locale = domain::Locale::parse(&locale).unwrap_or(domain::Locale::En);
                    values.agent_first_name = Some(canned::first_name(&name, Some(agent_locale)));
                    values.agent_name = Some(name);
                }
            }
            // A ticket without a brand speaks for the workspace.
            let brand = match ticket.brand_id {
                Some(b) => sqlx::query("SELECT name FROM brand WHERE id = $1 AND workspace_id = $2").bind(b).bind(ws),
                None => sqlx::query("SELECT name FROM workspace WHERE id = $1").bind(ws),
            };
            if let Some(row) = brand.fetch_optional(&mut *conn).await.map_err(map_err)? {
                values.brand_name = Some(row.try_get(0).map_err(map_err)?);
            }
            Ok((values, agent_locale))
        }

        /// A localized text filled in for a ticket: (language used, plain text).
        fn fill_in(bodies: &LocalizedText, ticket: &Ticket, values: &PlaceholderValues, agent_locale: domain::Locale) -> Result<(domain::Locale, String)> {
            let (locale, template) = canned::pick_variant(bodies, ticket.language, agent_locale)
                .ok_or_else(|| invalid("bodies", "there is no text in any language"))?;
            Ok((locale, canned::render_placeholders(template, values)))
        }

        #[async_trait]
        impl RepliesStore for $store {
            async fn create_canned_reply(&self, actor: &Actor, input: &CannedReplyInput) -> Result<CannedReply> {
                may_manage_canned(actor, input.shared)?;
                let owner = if input.shared {
                    None
                } else {
                    Some(actor.user().ok_or_else(|| invalid("shared", "only a user can own a personal canned reply"))?)
                };
                let name = non_empty("name", &input.name, 200)?;
                let shortcut = parse_shortcut(input.shortcut.as_deref())?;
                let bodies = check_bodies("bodies", &input.bodies)?;
                let t = now();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let sql = format!(
                    "INSERT INTO canned_reply (workspace_id, owner_user_id, name, shortcut, bodies, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {CANNED_COLUMNS}"
                );
                let row: CannedReplyRow = sqlx::query_as(&sql)
                    .bind(actor.workspace_id)
                    .bind(owner)
                    .bind(&name)
                    .bind(&shortcut)
                    .bind(serde_json::to_string(&bodies).expect("text maps serialise"))
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(shortcut_conflict(&shortcut))?;
                audit(&mut tx, actor, "canned_reply.created", "canned_reply", row.id, json!({ "name": name, "shared": owner.is_none() })).await?;
                tx.commit().await.map_err(map_err)?;
                row.into_model()
            }

            async fn get_canned_reply(&self, actor: &Actor, id: Id) -> Result<CannedReply> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                load_canned(&mut conn, actor, id).await
            }

            async fn list_canned_replies(&self, actor: &Actor) -> Result<Vec<CannedReply>> {
                ticket_readable(actor)?;
                let sql = format!(
                    "SELECT {CANNED_COLUMNS} FROM canned_reply WHERE workspace_id = $1 AND (owner_user_id IS NULL OR owner_user_id = $2) \
                     ORDER BY name, id"
                );
                let rows: Vec<CannedReplyRow> =
                    sqlx::query_as(&sql).bind(actor.workspace_id).bind(actor.user_id).fetch_all(&self.read).await.map_err(map_err)?;
                rows.into_iter().map(CannedReplyRow::into_model).collect()
            }

            async fn update_canned_reply(&self, actor: &Actor, id: Id, input: &CannedReplyInput) -> Result<CannedReply> {
                ticket_readable(actor)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let before = load_canned(&mut tx, actor, id).await?;
                may_manage_canned(actor, before.owner_user_id.is_none() || input.shared)?;
                let owner = if input.shared {
                    None
                } else {
                    Some(before.owner_user_id.or(actor.user()).ok_or_else(|| invalid("shared", "only a user can own a personal canned reply"))?)
                };
                let name = non_empty("name", &input.name, 200)?;
                let shortcut = parse_shortcut(input.shortcut.as_deref())?;
                let bodies = check_bodies("bodies", &input.bodies)?;
                sqlx::query(
                    "UPDATE canned_reply SET owner_user_id = $1, name = $2, shortcut = $3, bodies = $4, updated_at = $5 WHERE id = $6",
                )
                .bind(owner)
                .bind(&name)
                .bind(&shortcut)
                .bind(serde_json::to_string(&bodies).expect("text maps serialise"))
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(shortcut_conflict(&shortcut))?;
                let details = json!({
                    "name": [before.name, name],
                    "shared": [before.owner_user_id.is_none(), owner.is_none()],
                    "shortcut": [before.shortcut, shortcut],
                });
                audit(&mut tx, actor, "canned_reply.updated", "canned_reply", id, details).await?;
                let after = load_canned(&mut tx, actor, id).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(after)
            }

            async fn delete_canned_reply(&self, actor: &Actor, id: Id) -> Result<()> {
                ticket_readable(actor)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let before = load_canned(&mut tx, actor, id).await?;
                may_manage_canned(actor, before.owner_user_id.is_none())?;
                sqlx::query("DELETE FROM canned_reply WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                audit(&mut tx, actor, "canned_reply.deleted", "canned_reply", id, json!({ "name": before.name })).await?;
                tx.commit().await.map_err(map_err)
            }

            async fn render_canned_reply(&self, actor: &Actor, ticket_id: Id, canned_reply_id: Id) -> Result<RenderedReply> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                let reply = load_canned(&mut conn, actor, canned_reply_id).await?;
                let ticket = visible_ticket(&mut conn, actor, ticket_id).await?.into_model()?;
                let (values, agent_locale) = placeholder_values(&mut conn, actor, &ticket).await?;
                let (locale, text) = fill_in(&reply.bodies, &ticket, &values, agent_locale)?;
                let html = html::text_to_html(&text);
                Ok(RenderedReply { canned_reply_id, ticket_id, locale, text, html })
            }

            async fn create_macro(&self, actor: &Actor, input: &MacroInput) -> Result<Macro> {
                require(actor, Permission::ManageDirectory)?;
                let name = non_empty("name", &input.name, 200)?;
                let t = now();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let actions = check_actions(&mut tx, actor.workspace_id, &input.actions).await?;
                let sql = format!(
                    "INSERT INTO ticket_macro (workspace_id, name, actions, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING {MACRO_COLUMNS}"
                );
                let row: MacroRow = sqlx::query_as(&sql)
                    .bind(actor.workspace_id)
                    .bind(&name)
                    .bind(serde_json::to_string(&actions).expect("actions serialise"))
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                audit(&mut tx, actor, "macro.created", "macro", row.id, json!({ "name": name, "actions": actions })).await?;
                tx.commit().await.map_err(map_err)?;
                row.into_model()
            }

            async fn get_macro(&self, actor: &Actor, id: Id) -> Result<Macro> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                load_macro(&mut conn, actor.workspace_id, id).await
            }

            async fn list_macros(&self, actor: &Actor) -> Result<Vec<Macro>> {
                ticket_readable(actor)?;
                let sql = format!("SELECT {MACRO_COLUMNS} FROM ticket_macro WHERE workspace_id = $1 ORDER BY name, id");
                let rows: Vec<MacroRow> = sqlx::query_as(&sql).bind(actor.workspace_id).fetch_all(&self.read).await.map_err(map_err)?;
                rows.into_iter().map(MacroRow::into_model).collect()
            }

            async fn update_macro(&self, actor: &Actor, id: Id, input: &MacroInput) -> Result<Macro> {
                require(actor, Permission::ManageDirectory)?;
                let name = non_empty("name", &input.name, 200)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let before = load_macro(&mut tx, actor.workspace_id, id).await?;
                let actions = check_actions(&mut tx, actor.workspace_id, &input.actions).await?;
                sqlx::query("UPDATE ticket_macro SET name = $1, actions = $2, updated_at = $3 WHERE id = $4")
                    .bind(&name)
                    .bind(serde_json::to_string(&actions).expect("actions serialise"))
                    .bind(now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let details = json!({ "name": [before.name, name], "actions": [before.actions, actions] });
                audit(&mut tx, actor, "macro.updated", "macro", id, details).await?;
                let after = load_macro(&mut tx, actor.workspace_id, id).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(after)
            }

            async fn delete_macro(&self, actor: &Actor, id: Id) -> Result<()> {
                require(actor, Permission::ManageDirectory)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let before = load_macro(&mut tx, actor.workspace_id, id).await?;
                sqlx::query("DELETE FROM ticket_macro WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                audit(&mut tx, actor, "macro.deleted", "macro", id, json!({ "name": before.name })).await?;
                tx.commit().await.map_err(map_err)
            }

            async fn apply_macro(&self, actor: &Actor, ticket_id: Id, macro_id: Id) -> Result<MacroApplied> {
                ticket_writable(actor)?;
                let ws = actor.workspace_id;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let mac = load_macro(&mut tx, ws, macro_id).await?;
                let ticket = visible_ticket(&mut tx, actor, ticket_id).await?.into_model()?;
                let (values, agent_locale) = placeholder_values(&mut tx, actor, &ticket).await?;
                let mut patch = TicketPatch::default();
                let mut message_ids = Vec::new();
                for action in &mac.actions {
                    match action {
                        MacroAction::Reply { kind, bodies } => {
                            let (_, text) = fill_in(bodies, &ticket, &values, agent_locale)?;
                            let input = NewMessage {
                                kind: *kind,
                                author_contact_id: None,
                                body_html: html::text_to_html(&text),
                                body_text: text,
                                attachments: vec![],
                            };
                            message_ids.push(add_message_in(&mut tx, actor, ticket_id, &input).await?);
                        }
                        MacroAction::SetStatus { status } => patch.status = Some(*status),
                        MacroAction::SetPriority { priority } => patch.priority = Some(*priority),
                        MacroAction::AddTags { tags } => patch.add_tags.extend(tags.iter().cloned()),
                        MacroAction::RemoveTags { tags } => patch.remove_tags.extend(tags.iter().cloned()),
                        MacroAction::AssignUser { user_id } => patch.assignee_id = Some(*user_id),
                        MacroAction::AssignTeam { team_id } => patch.team_id = Some(*team_id),
                    }
                }
                update_ticket_in(&mut tx, actor, ticket_id, &patch).await?;
                audit(&mut tx, actor, "macro.applied", "ticket", ticket_id, json!({ "macro_id": mac.id, "name": mac.name, "message_ids": message_ids }))
                    .await?;
                let ticket = visible_ticket(&mut tx, &Actor::system(ws), ticket_id).await?.into_model()?;
                let mut messages = Vec::with_capacity(message_ids.len());
                for id in message_ids {
                    messages.push(load_message(&mut tx, ws, id).await?);
                }
                tx.commit().await.map_err(map_err)?;
                Ok(MacroApplied { ticket, messages })
            }
        }
    };
}
