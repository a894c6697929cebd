/// Implements `rapport_store::Store` for a backend struct.
///
/// `skip_locked` is appended to the row-claiming subqueries of job queues:
/// `"FOR UPDATE SKIP LOCKED"` where the backend has it, `""` otherwise.
///
/// `$store` must have a field `read`, a `sqlx::Pool<$db>` for reads, and
/// inherent methods `async fn run_migrations(&self) -> Result<(), StoreError>`
/// and `async fn writer(&self) -> Result<W, StoreError>`, where `W` derefs
/// mutably to a connection that writes (a pooled connection, or the one
/// writing connection held while `W` lives).
#[macro_export]
macro_rules! impl_sql_store {
    ($store:ty, $db:ty, $backend:literal, skip_locked = $skip_locked:literal) => {
        const _: () = {
            use $crate::__private::async_trait::async_trait;
            use $crate::__private::rapport_domain::{
                self as domain, html, ticket::{parse_subject, parse_tag}, Actor, Channel, CustomFieldValue, Email, Id,
                MessageKind, Permission, Priority, TicketStatus, Timestamp,
            };
            use $crate::__private::rapport_store::{model::*, Cursor, IdempotencyBegin, Page, Result, Store, StoreError};
            use $crate::__private::serde_json::{self, json, Map, Value};
            use $crate::__private::sqlx::{self, FromRow, Row};
            use $crate::{map_err, rows::*};

            type Conn = <$db as sqlx::Database>::Connection;

            fn now() -> i64 {
                Timestamp::now().millis()
            }

            fn not_found(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
                move |e| match e {
                    sqlx::Error::RowNotFound => StoreError::NotFound(what),
                    e => map_err(e),
                }
            }

            fn invalid(field: &'static str, why: impl Into<String>) -> StoreError {
                StoreError::Domain(domain::DomainError::invalid(field, why))
            }

            fn non_empty(field: &'static str, s: &str, max: usize) -> Result<String> {
                let s = s.trim();
                if s.is_empty() {
                    return Err(invalid(field, "must not be empty"));
                }
                if s.chars().count() > max {
                    return Err(invalid(field, format!("must be at most {max} characters")));
                }
                Ok(s.to_string())
            }

            fn opt_email(s: Option<&str>) -> Result<Option<String>> {
                match s.map(str::trim).filter(|s| !s.is_empty()) {
                    Some(e) => Ok(Some(Email::parse(e)?.as_str().to_string())),
                    None => Ok(None),
                }
            }

            fn opt_text(field: &'static str, s: Option<&str>, max: usize) -> Result<Option<String>> {
                match s.map(str::trim).filter(|s| !s.is_empty()) {
                    Some(v) if v.chars().count() > max => Err(invalid(field, format!("must be at most {max} characters"))),
                    Some(v) => Ok(Some(v.to_string())),
                    None => Ok(None),
                }
            }

            /// Tables whose rows carry a workspace_id and may be referenced by id from input.
            #[derive(Clone, Copy)]
            enum Ref {
                Brand,
                User,
                Team,
                Contact,
                Organization,
            }

            impl Ref {
                fn table(self) -> &'static str {
                    match self {
                        Ref::Brand => "brand",
                        Ref::User => "app_user",
                        Ref::Team => "team",
                        Ref::Contact => "contact",
                        Ref::Organization => "organization",
                    }
                }
            }

            /// Checks that an id given in input names a row of the actor's
            /// workspace. Ids of other workspaces are reported exactly like ids
            /// that do not exist.
            async fn check_ref(conn: &mut Conn, ws: Id, what: Ref, field: &'static str, id: Id) -> Result<()> {
                let sql = format!("SELECT id FROM {} WHERE id = $1 AND workspace_id = $2", what.table());
                let found = sqlx::query(&sql).bind(id).bind(ws).fetch_optional(&mut *conn).await.map_err(map_err)?;
                match found {
                    Some(_) => Ok(()),
                    None => Err(invalid(field, format!("{id} does not exist"))),
                }
            }

            /// Starts a transaction on the connection from `$store::writer`.
            async fn begin(conn: &mut Conn) -> Result<sqlx::Transaction<'_, $db>> {
                sqlx::Connection::begin(conn).await.map_err(map_err)
            }

            async fn audit(conn: &mut Conn, actor: &Actor, action: &str, entity_type: &str, entity_id: Id, details: Value) -> Result<()> {
                sqlx::query(
                    "INSERT INTO audit_log (workspace_id, actor_user_id, action, entity_type, entity_id, details, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(actor.workspace_id)
                .bind(actor.user())
                .bind(action)
                .bind(entity_type)
                .bind(entity_id)
                .bind(details.to_string())
                .bind(now())
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
                Ok(())
            }

            async fn team_ids_of(conn: &mut Conn, user_id: Id) -> Result<Vec<Id>> {
                let rows = sqlx::query("SELECT team_id FROM team_member WHERE user_id = $1 ORDER BY team_id")
                    .bind(user_id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?;
                rows.iter().map(|r| r.try_get::<i64, _>(0).map_err(map_err)).collect()
            }

            async fn member_ids_of(conn: &mut Conn, team_id: Id) -> Result<Vec<Id>> {
                let rows = sqlx::query("SELECT user_id FROM team_member WHERE team_id = $1 ORDER BY user_id")
                    .bind(team_id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?;
                rows.iter().map(|r| r.try_get::<i64, _>(0).map_err(map_err)).collect()
            }

            async fn org_ids_of(conn: &mut Conn, contact_id: Id) -> Result<Vec<Id>> {
                let rows = sqlx::query("SELECT organization_id FROM contact_organization WHERE contact_id = $1 ORDER BY organization_id")
                    .bind(contact_id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?;
                rows.iter().map(|r| r.try_get::<i64, _>(0).map_err(map_err)).collect()
            }

            const USER_COLUMNS: &str = "id, workspace_id, email, name, role, locale, active, created_at, updated_at";

            async fn load_user(conn: &mut Conn, ws: Id, id: Id) -> Result<User> {
                let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE id = $1 AND workspace_id = $2");
                let row: UserRow = sqlx::query_as(&sql).bind(id).bind(ws).fetch_one(&mut *conn).await.map_err(not_found("user"))?;
                let teams = team_ids_of(conn, id).await?;
                row.into_model(teams)
            }

            async fn load_team(conn: &mut Conn, ws: Id, id: Id) -> Result<Team> {
                let row: TeamRow = sqlx::query_as("SELECT id, name, restricted, created_at FROM team WHERE id = $1 AND workspace_id = $2")
                    .bind(id)
                    .bind(ws)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(not_found("team"))?;
                let members = member_ids_of(conn, id).await?;
                Ok(row.into_model(members))
            }

            async fn load_contact(conn: &mut Conn, ws: Id, id: Id) -> Result<Contact> {
                let row: ContactRow = sqlx::query_as(
                    "SELECT id, name, email, phone, locale, created_at, updated_at FROM contact WHERE id = $1 AND workspace_id = $2",
                )
                .bind(id)
                .bind(ws)
                .fetch_one(&mut *conn)
                .await
                .map_err(not_found("contact"))?;
                let orgs = org_ids_of(conn, id).await?;
                row.into_model(orgs)
            }

            async fn load_organization(conn: &mut Conn, ws: Id, id: Id) -> Result<Organization> {
                let row: OrganizationRow = sqlx::query_as(
                    "SELECT id, name, domain, notes, created_at, updated_at FROM organization WHERE id = $1 AND workspace_id = $2",
                )
                .bind(id)
                .bind(ws)
                .fetch_one(&mut *conn)
                .await
                .map_err(not_found("organization"))?;
                Ok(row.into_model())
            }

            async fn set_members(conn: &mut Conn, ws: Id, team_id: Id, member_ids: &[Id]) -> Result<()> {
                sqlx::query("DELETE FROM team_member WHERE team_id = $1").bind(team_id).execute(&mut *conn).await.map_err(map_err)?;
                for uid in member_ids {
                    check_ref(conn, ws, Ref::User, "member_ids", *uid).await?;
                    sqlx::query("INSERT INTO team_member (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(team_id)
                        .bind(*uid)
                        .execute(&mut *conn)
                        .await
                        .map_err(map_err)?;
                }
                Ok(())
            }

            async fn set_contact_orgs(conn: &mut Conn, ws: Id, contact_id: Id, org_ids: &[Id]) -> Result<()> {
                sqlx::query("DELETE FROM contact_organization WHERE contact_id = $1")
                    .bind(contact_id)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
                for oid in org_ids {
                    check_ref(conn, ws, Ref::Organization, "organization_ids", *oid).await?;
                    sqlx::query("INSERT INTO contact_organization (contact_id, organization_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(contact_id)
                        .bind(*oid)
                        .execute(&mut *conn)
                        .await
                        .map_err(map_err)?;
                }
                Ok(())
            }

            /// Loads a ticket the actor may see, or `NotFound`.
            async fn visible_ticket(conn: &mut Conn, actor: &Actor, id: Id) -> Result<TicketRow> {
                let sql = format!(
                    "SELECT {TICKET_COLUMNS}, tm.restricted AS team_restricted FROM ticket t \
                     LEFT JOIN team tm ON tm.id = t.team_id WHERE t.id = $1 AND t.workspace_id = $2"
                );
                let row = sqlx::query(&sql)
                    .bind(id)
                    .bind(actor.workspace_id)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_err)?
                    .ok_or(StoreError::NotFound("ticket"))?;
                let restricted: Option<bool> = row.try_get("team_restricted").map_err(map_err)?;
                let ticket = TicketRow::from_row(&row).map_err(map_err)?;
                if actor.may_see_ticket(ticket.team_id, restricted.unwrap_or(false)) {
                    Ok(ticket)
                } else {
                    Err(StoreError::NotFound("ticket"))
                }
            }

            /// Finds or creates tags by name and returns their ids, names normalised.
            async fn ensure_tags(conn: &mut Conn, ws: Id, names: &[String]) -> Result<Vec<(Id, String)>> {
                let mut out: Vec<(Id, String)> = Vec::new();
                for raw in names {
                    let name = parse_tag(raw)?;
                    if out.iter().any(|(_, n)| *n == name) {
                        continue;
                    }
                    // The no-op update makes RETURNING yield the id of an existing tag too.
                    let id: i64 = sqlx::query(
                        "INSERT INTO tag (workspace_id, name, created_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (workspace_id, name) DO UPDATE SET name = excluded.name RETURNING id",
                    )
                    .bind(ws)
                    .bind(&name)
                    .bind(now())
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(map_err)?
                    .try_get(0)
                    .map_err(map_err)?;
                    out.push((id, name));
                }
                out.sort_by(|a, b| a.1.cmp(&b.1));
                Ok(out)
            }

            async fn set_ticket_tags(conn: &mut Conn, ws: Id, ticket_id: Id, names: &[String]) -> Result<Vec<String>> {
                let tags = ensure_tags(conn, ws, names).await?;
                sqlx::query("DELETE FROM ticket_tag WHERE ticket_id = $1").bind(ticket_id).execute(&mut *conn).await.map_err(map_err)?;
                for (tag_id, _) in &tags {
                    sqlx::query("INSERT INTO ticket_tag (ticket_id, tag_id) VALUES ($1, $2)")
                        .bind(ticket_id)
                        .bind(*tag_id)
                        .execute(&mut *conn)
                        .await
                        .map_err(map_err)?;
                }
                let names: Vec<String> = tags.into_iter().map(|(_, n)| n).collect();
                sqlx::query("UPDATE ticket SET tags = $1 WHERE id = $2")
                    .bind(serde_json::to_string(&names).expect("strings serialise"))
                    .bind(ticket_id)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
                Ok(names)
            }

            /// Validates custom-field values against the workspace's definitions and
            /// merges them into `current` (`null` removes a value).
            async fn merge_custom_fields(conn: &mut Conn, ws: Id, current: &mut Map<String, Value>, input: &Map<String, Value>) -> Result<()> {
                if input.is_empty() {
                    return Ok(());
                }
                let defs: Vec<CustomFieldRow> = sqlx::query_as(
                    "SELECT id, key, label, kind, options, created_at FROM custom_field WHERE workspace_id = $1",
                )
                .bind(ws)
                .fetch_all(&mut *conn)
                .await
                .map_err(map_err)?;
                for (key, value) in input {
                    let def = defs
                        .iter()
                        .find(|d| d.key == *key)
                        .ok_or_else(|| invalid("custom_fields", format!("'{key}' is not a defined custom field")))?;
                    if value.is_null() {
                        current.remove(key);
                        continue;
                    }
                    let kind = domain::CustomFieldKind::parse(&def.kind)?;
                    let options: Vec<String> = serde_json::from_str(&def.options).unwrap_or_default();
                    let parsed = CustomFieldValue::parse(kind, &options, value)?;
                    current.insert(key.clone(), parsed.to_json());
                }
                Ok(())
            }

            async fn attachments_of(conn: &mut Conn, message_ids: &[Id]) -> Result<Vec<AttachmentRow>> {
                if message_ids.is_empty() {
                    return Ok(vec![]);
                }
                let mut qb = sqlx::QueryBuilder::<$db>::new(
                    "SELECT id, message_id, filename, content_type, size, sha256 FROM attachment WHERE message_id IN (",
                );
                let mut sep = qb.separated(", ");
                for id in message_ids {
                    sep.push_bind(*id);
                }
                qb.push(") ORDER BY id");
                qb.build_query_as().fetch_all(&mut *conn).await.map_err(map_err)
            }

            async fn messages_with_attachments(conn: &mut Conn, rows: Vec<MessageRow>) -> Result<Vec<Message>> {
                let ids: Vec<Id> = rows.iter().map(|m| m.id).collect();
                let mut by_message: std::collections::HashMap<Id, Vec<Attachment>> = std::collections::HashMap::new();
                for a in attachments_of(conn, &ids).await? {
                    by_message.entry(a.message_id).or_default().push(a.into_model());
                }
                rows.into_iter().map(|m| {
                    let atts = by_message.remove(&m.id).unwrap_or_default();
                    m.into_model(atts)
                }).collect()
            }

            const MESSAGE_COLUMNS: &str = "id, ticket_id, kind, author_user_id, author_contact_id, body_text, body_html, display_text, delivery_status, created_at";

            async fn insert_message(
                conn: &mut Conn,
                actor: &Actor,
                ticket_id: Id,
                kind: MessageKind,
                author_contact_id: Option<Id>,
                (body_text, body_html): (&str, &str),
                at: i64,
            ) -> Result<Id> {
                let author_user = if author_contact_id.is_some() || kind == MessageKind::System { None } else { actor.user() };
                sqlx::query(
                    "INSERT INTO message (workspace_id, ticket_id, kind, author_user_id, author_contact_id, body_text, body_html, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(actor.workspace_id)
                .bind(ticket_id)
                .bind(kind.as_str())
                .bind(author_user)
                .bind(author_contact_id)
                .bind(body_text)
                .bind(body_html)
                .bind(at)
                .fetch_one(&mut *conn)
                .await
                .map_err(map_err)?
                .try_get(0)
                .map_err(map_err)
            }

            /// The WHERE conditions of a ticket list: the actor's workspace and
            /// team visibility, then the query's filters.
            fn push_ticket_filters<'a>(qb: &mut sqlx::QueryBuilder<'a, $db>, actor: &Actor, q: &'a TicketQuery) {
                let ws = actor.workspace_id;
                qb.push("t.workspace_id = ").push_bind(ws);
                if !actor.sees_all_teams() {
                    qb.push(" AND (t.team_id IS NULL OR t.team_id NOT IN (SELECT id FROM team WHERE workspace_id = ")
                        .push_bind(ws)
                        .push(" AND restricted = TRUE)");
                    for team in &actor.team_ids {
                        qb.push(" OR t.team_id = ").push_bind(*team);
                    }
                    qb.push(")");
                }
                if !q.statuses.is_empty() {
                    qb.push(" AND t.status IN (");
                    let mut sep = qb.separated(", ");
                    for s in &q.statuses {
                        sep.push_bind(s.as_str());
                    }
                    qb.push(")");
                }
                match q.assignee {
                    Some(AssigneeFilter::Nobody) => {
                        qb.push(" AND t.assignee_id IS NULL");
                    }
                    Some(AssigneeFilter::User(u)) => {
                        qb.push(" AND t.assignee_id = ").push_bind(u);
                    }
                    None => {}
                }
                if let Some(team) = q.team_id {
                    qb.push(" AND t.team_id = ").push_bind(team);
                }
                if let Some(channel) = q.channel {
                    qb.push(" AND t.channel = ").push_bind(channel.as_str());
                }
                if let Some(brand) = q.brand_id {
                    qb.push(" AND t.brand_id = ").push_bind(brand);
                }
                if let Some(req) = q.requester_id {
                    qb.push(" AND t.requester_id = ").push_bind(req);
                }
                if let Some(org) = q.organization_id {
                    qb.push(" AND t.requester_id IN (SELECT contact_id FROM contact_organization WHERE organization_id = ").push_bind(org).push(")");
                }
                if let Some(tag) = &q.tag {
                    qb.push(" AND t.id IN (SELECT tt.ticket_id FROM ticket_tag tt JOIN tag g ON g.id = tt.tag_id WHERE g.workspace_id = ")
                        .push_bind(ws)
                        .push(" AND g.name = ")
                        .push_bind(tag.trim().to_lowercase())
                        .push(")");
                }
                if let Some(since) = q.updated_since {
                    qb.push(" AND t.updated_at >= ").push_bind(since.millis());
                }
                if !q.priorities.is_empty() {
                    qb.push(" AND t.priority IN (");
                    let mut sep = qb.separated(", ");
                    for p in &q.priorities {
                        sep.push_bind(p.as_str());
                    }
                    qb.push(")");
                }
                if let Some(lang) = q.language {
                    qb.push(" AND t.language = ").push_bind(lang.as_str());
                }
                if let Some((state, at)) = q.sla {
                    push_sla_filter(qb, state, at.millis());
                }
            }

            /// Tickets in an SLA state, by the rules of `rapport_domain::sla`
            /// (calendar time, due = created + target, at risk in the last quarter).
            fn push_sla_filter(qb: &mut sqlx::QueryBuilder<'_, $db>, state: domain::sla::SlaState, now: i64) {
                use domain::sla::{SlaState, AT_RISK_DENOMINATOR as D, AT_RISK_NUMERATOR as N};
                const RESOLVED: &str = "t.status IN ('solved', 'closed')";
                let breached = format!(
                    "(p.first_response_minutes IS NOT NULL AND ((t.first_response_at IS NULL AND t.created_at + p.first_response_minutes * 60000 < {now}) \
                     OR t.first_response_at > t.created_at + p.first_response_minutes * 60000)) \
                     OR (p.resolution_minutes IS NOT NULL AND ((NOT {RESOLVED} AND t.created_at + p.resolution_minutes * 60000 < {now}) \
                     OR ({RESOLVED} AND COALESCE(t.solved_at, t.closed_at) > t.created_at + p.resolution_minutes * 60000)))"
                );
                let at_risk = format!(
                    "(p.first_response_minutes IS NOT NULL AND t.first_response_at IS NULL AND t.created_at + p.first_response_minutes * 60000 * {N} / {D} < {now}) \
                     OR (p.resolution_minutes IS NOT NULL AND NOT {RESOLVED} AND t.created_at + p.resolution_minutes * 60000 * {N} / {D} < {now})"
                );
                // Comparisons with a missing time are NULL, not false: fold them.
                let breached = format!("COALESCE(({breached}), FALSE)");
                let at_risk = format!("COALESCE(({at_risk}), FALSE)");
                let cond = match state {
                    SlaState::Breached => breached,
                    SlaState::AtRisk => format!("NOT {breached} AND {at_risk}"),
                    SlaState::Ok => format!("NOT {breached} AND NOT {at_risk}"),
                };
                qb.push(format!(
                    " AND EXISTS (SELECT 1 FROM sla_policy p WHERE p.workspace_id = t.workspace_id AND p.priority = t.priority AND {cond})"
                ));
            }

            fn cursor_key(t: &Ticket, sort: TicketSortField) -> Cursor {
                let k = match sort {
                    TicketSortField::CreatedAt => t.created_at.millis(),
                    TicketSortField::UpdatedAt => t.updated_at.millis(),
                    TicketSortField::Priority => t.priority.rank(),
                    TicketSortField::Id => t.id,
                };
                Cursor { k, id: t.id }
            }

            fn describe(v: &Option<i64>) -> Value {
                v.map(Value::from).unwrap_or(Value::Null)
            }

            fn ticket_readable(actor: &Actor) -> Result<()> {
                actor.require(Permission::ReadTickets).map_err(StoreError::from)
            }

            fn ticket_writable(actor: &Actor) -> Result<()> {
                actor.require(Permission::WriteTickets).map_err(StoreError::from)
            }

            fn require(actor: &Actor, p: Permission) -> Result<()> {
                actor.require(p).map_err(StoreError::from)
            }

            /// `update_ticket` inside the caller's transaction (applying a macro uses it too).
            async fn update_ticket_in(tx: &mut Conn, actor: &Actor, id: Id, patch: &TicketPatch) -> Result<()> {
                ticket_writable(actor)?;
                let ws = actor.workspace_id;
                let row = visible_ticket(tx, actor, id).await?;
                let before = row.clone().into_model()?;
                before.status.ensure_editable()?;
                let t = now();
                let mut changes = Map::new();
                let mut lines: Vec<String> = Vec::new();
                let mut note = |field: &str, old: Value, new: Value, lines: &mut Vec<String>| {
                    if old != new {
                        let show = |v: &Value| match v {
                            Value::Null => "—".to_string(),
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        lines.push(format!("{field}: {} → {}", show(&old), show(&new)));
                        changes.insert(field.to_string(), json!([old, new]));
                    }
                };

                let subject = match &patch.subject {
                    Some(s) => parse_subject(s)?,
                    None => before.subject.clone(),
                };
                note("subject", json!(before.subject), json!(subject), &mut lines);

                let status = patch.status.unwrap_or(before.status);
                let effect = before.status.transition(status)?;
                note("status", json!(before.status), json!(status), &mut lines);
                let solved_at = if effect.solved { Some(t) } else { row.solved_at };
                let closed_at = if effect.closed { Some(t) } else { row.closed_at };
                let reopened = row.reopened_count + i64::from(effect.reopened);

                let priority = patch.priority.unwrap_or(before.priority);
                note("priority", json!(before.priority), json!(priority), &mut lines);
                let language = patch.language.unwrap_or(before.language);
                note("language", json!(before.language), json!(language), &mut lines);

                let requester_id = patch.requester_id.unwrap_or(before.requester_id);
                if let (Some(new), true) = (requester_id, requester_id != before.requester_id) {
                    check_ref(tx, ws, Ref::Contact, "requester_id", new).await?;
                }
                note("requester_id", describe(&before.requester_id), describe(&requester_id), &mut lines);
                let assignee_id = patch.assignee_id.unwrap_or(before.assignee_id);
                if let (Some(new), true) = (assignee_id, assignee_id != before.assignee_id) {
                    check_assignee(tx, ws, new).await?;
                }
                note("assignee_id", describe(&before.assignee_id), describe(&assignee_id), &mut lines);
                let team_id = patch.team_id.unwrap_or(before.team_id);
                if let (Some(new), true) = (team_id, team_id != before.team_id) {
                    check_ref(tx, ws, Ref::Team, "team_id", new).await?;
                }
                note("team_id", describe(&before.team_id), describe(&team_id), &mut lines);

                let mut custom = before.custom_fields.clone();
                if let Some(input) = &patch.custom_fields {
                    merge_custom_fields(tx, ws, &mut custom, input).await?;
                }
                note("custom_fields", Value::Object(before.custom_fields.clone()), Value::Object(custom.clone()), &mut lines);

                sqlx::query(
                    "UPDATE ticket SET subject = $1, status = $2, priority = $3, priority_rank = $4, language = $5, requester_id = $6, \
                     assignee_id = $7, team_id = $8, custom_fields = $9, solved_at = $10, closed_at = $11, reopened_count = $12, \
                     updated_at = $13 WHERE id = $14",
                )
                .bind(&subject)
                .bind(status.as_str())
                .bind(priority.as_str())
                .bind(priority.rank())
                .bind(language.map(|l| l.as_str()))
                .bind(requester_id)
                .bind(assignee_id)
                .bind(team_id)
                .bind(Value::Object(custom).to_string())
                .bind(solved_at)
                .bind(closed_at)
                .bind(reopened)
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;

                let tags_changed = patch.tags.is_some() || !patch.add_tags.is_empty() || !patch.remove_tags.is_empty();
                if tags_changed {
                    let mut names: Vec<String> = patch.tags.clone().unwrap_or_else(|| before.tags.clone());
                    names.extend(patch.add_tags.iter().cloned());
                    let remove = patch.remove_tags.iter().map(|r| parse_tag(r)).collect::<std::result::Result<Vec<_>, _>>()?;
                    let mut kept = Vec::with_capacity(names.len());
                    for n in names {
                        let n = parse_tag(&n)?;
                        if !remove.contains(&n) {
                            kept.push(n);
                        }
                    }
                    let after = set_ticket_tags(tx, ws, id, &kept).await?;
                    note("tags", json!(before.tags), json!(after), &mut lines);
                }
                if !changes.is_empty() {
                    insert_message(tx, actor, id, MessageKind::System, None, (&lines.join("\n"), &html::text_to_html(&lines.join("\n"))), t).await?;
                    audit(tx, actor, "ticket.updated", "ticket", id, Value::Object(changes)).await?;
                }
                Ok(())
            }

            /// `add_message` inside the caller's transaction (applying a macro uses it too); returns the new id.
            async fn add_message_in(tx: &mut Conn, actor: &Actor, ticket_id: Id, input: &NewMessage) -> Result<Id> {
                ticket_writable(actor)?;
                if input.kind == MessageKind::System {
                    return Err(invalid("kind", "system messages are written by Rapport itself"));
                }
                if input.body_text.trim().is_empty() && input.attachments.is_empty() {
                    return Err(invalid("body", "a message needs text or an attachment"));
                }
                let ws = actor.workspace_id;
                let row = visible_ticket(tx, actor, ticket_id).await?;
                let status = TicketStatus::parse(&row.status)?;
                status.ensure_editable()?;
                if let Some(c) = input.author_contact_id {
                    check_ref(tx, ws, Ref::Contact, "author_contact_id", c).await?;
                }
                let t = now();
                let id = insert_message(tx, actor, ticket_id, input.kind, input.author_contact_id, (&input.body_text, &input.body_html), t).await?;
                insert_attachments(tx, ws, id, &input.attachments, t).await?;
                // What a message does to its ticket:
                // - an agent's public reply stamps the first response and opens a new ticket;
                // - a customer's message reopens a solved ticket and wakes a pending one.
                let from_agent = input.author_contact_id.is_none() && actor.user().is_some();
                let mut new_status = status;
                let mut reopened = row.reopened_count;
                let mut first_response = row.first_response_at;
                if input.kind == MessageKind::Public {
                    if from_agent {
                        first_response = first_response.or(Some(t));
                        if status == TicketStatus::New {
                            new_status = TicketStatus::Open;
                        }
                    } else if matches!(status, TicketStatus::Solved | TicketStatus::Pending) {
                        let effect = status.transition(TicketStatus::Open)?;
                        reopened += i64::from(effect.reopened);
                        new_status = TicketStatus::Open;
                    }
                }
                sqlx::query("UPDATE ticket SET status = $1, reopened_count = $2, first_response_at = $3, updated_at = $4 WHERE id = $5")
                    .bind(new_status.as_str())
                    .bind(reopened)
                    .bind(first_response)
                    .bind(t)
                    .bind(ticket_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if new_status != status {
                    let line = format!("status: {status} → {new_status}");
                    insert_message(tx, actor, ticket_id, MessageKind::System, None, (&line, &html::text_to_html(&line)), t).await?;
                }
                audit(tx, actor, "message.created", "ticket", ticket_id, json!({ "message_id": id, "kind": input.kind })).await?;
                Ok(id)
            }

            #[async_trait]
            impl Store for $store {
                fn backend(&self) -> &'static str {
                    $backend
                }

                async fn migrate(&self) -> Result<()> {
                    self.run_migrations().await
                }

                async fn ping(&self) -> Result<()> {
                    sqlx::query("SELECT 1").execute(&self.read).await.map_err(map_err)?;
                    Ok(())
                }

                // ------------------------------------------------------------ bootstrap

                async fn create_workspace(&self, name: &str, slug: &str) -> Result<Workspace> {
                    let name = non_empty("name", name, 200)?;
                    let slug = parse_slug(slug)?;
                    let row: WorkspaceRow = sqlx::query_as(
                        "INSERT INTO workspace (name, slug, created_at) VALUES ($1, $2, $3) RETURNING id, name, slug, created_at",
                    )
                    .bind(&name)
                    .bind(&slug)
                    .bind(now())
                    .fetch_one(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                    Ok(row.into_model())
                }

                async fn workspace_by_slug(&self, slug: &str) -> Result<Workspace> {
                    let row: WorkspaceRow = sqlx::query_as("SELECT id, name, slug, created_at FROM workspace WHERE slug = $1")
                        .bind(slug)
                        .fetch_one(&self.read)
                        .await
                        .map_err(not_found("workspace"))?;
                    Ok(row.into_model())
                }

                async fn list_workspaces(&self) -> Result<Vec<Workspace>> {
                    let rows: Vec<WorkspaceRow> = sqlx::query_as("SELECT id, name, slug, created_at FROM workspace ORDER BY id")
                        .fetch_all(&self.read)
                        .await
                        .map_err(map_err)?;
                    Ok(rows.into_iter().map(WorkspaceRow::into_model).collect())
                }

                // ------------------------------------------------------------ authentication

                async fn user_for_login(&self, email: &str) -> Result<(User, Option<String>)> {
                    let email = email.trim().to_lowercase();
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM app_user WHERE email = $1 AND active = TRUE");
                    let row = sqlx::query(&sql)
                        .bind(&email)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(map_err)?
                        .ok_or(StoreError::NotFound("user"))?;
                    let hash: Option<String> = row.try_get("password_hash").map_err(map_err)?;
                    let user = UserRow::from_row(&row).map_err(map_err)?;
                    let teams = team_ids_of(&mut conn, user.id).await?;
                    Ok((user.into_model(teams)?, hash))
                }

                async fn create_session(&self, user_id: Id, token_hash: &str, csrf_token: &str, expires_at: Timestamp) -> Result<()> {
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let t = now();
                    sqlx::query("DELETE FROM login_session WHERE expires_at < $1").bind(t).execute(&mut *tx).await.map_err(map_err)?;
                    sqlx::query("INSERT INTO login_session (token_hash, user_id, csrf_token, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)")
                        .bind(token_hash)
                        .bind(user_id)
                        .bind(csrf_token)
                        .bind(expires_at.millis())
                        .bind(t)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)
                }

                async fn session(&self, token_hash: &str) -> Result<SessionRecord> {
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let sql = "SELECT s.csrf_token, s.expires_at, u.workspace_id, u.id FROM login_session s \
                               JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE";
                    let row = sqlx::query(sql)
                        .bind(token_hash)
                        .bind(now())
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(map_err)?
                        .ok_or(StoreError::NotFound("session"))?;
                    let ws: i64 = row.try_get(2).map_err(map_err)?;
                    let uid: i64 = row.try_get(3).map_err(map_err)?;
                    Ok(SessionRecord {
                        csrf_token: row.try_get(0).map_err(map_err)?,
                        expires_at: Timestamp(row.try_get(1).map_err(map_err)?),
                        user: load_user(&mut conn, ws, uid).await?,
                    })
                }

                async fn delete_session(&self, token_hash: &str) -> Result<()> {
                    sqlx::query("DELETE FROM login_session WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(&mut *self.writer().await?)
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn user_for_api_token(&self, token_hash: &str) -> Result<User> {
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let sql = format!(
                        "SELECT k.id AS token_id, k.last_used_at, {} FROM api_token k JOIN app_user u ON u.id = k.user_id \
                         WHERE k.token_hash = $1 AND k.revoked_at IS NULL AND u.active = TRUE",
                        USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
                    );
                    let row = sqlx::query(&sql)
                        .bind(token_hash)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(map_err)?
                        .ok_or(StoreError::NotFound("api token"))?;
                    let token_id: i64 = row.try_get("token_id").map_err(map_err)?;
                    let last_used: Option<i64> = row.try_get("last_used_at").map_err(map_err)?;
                    let user_row = UserRow::from_row(&row).map_err(map_err)?;
                    let teams = team_ids_of(&mut conn, user_row.id).await?;
                    let user = user_row.into_model(teams)?;
                    drop(conn);
                    // Recording every use would make each API call a write; a minute's precision is enough.
                    let t = now();
                    if last_used.is_none_or(|l| t - l > 60_000) {
                        sqlx::query("UPDATE api_token SET last_used_at = $1 WHERE id = $2")
                            .bind(t)
                            .bind(token_id)
                            .execute(&mut *self.writer().await?)
                            .await
                            .map_err(map_err)?;
                    }
                    Ok(user)
                }

                async fn create_api_token(&self, actor: &Actor, user_id: Id, name: &str, token_hash: &str, prefix: &str) -> Result<ApiToken> {
                    if user_id != actor.user_id {
                        require(actor, Permission::ManageDirectory)?;
                    }
                    let name = non_empty("name", name, 200)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    check_ref(&mut tx, actor.workspace_id, Ref::User, "user_id", user_id).await.map_err(|_| StoreError::NotFound("user"))?;
                    let row: ApiTokenRow = sqlx::query_as(
                        "INSERT INTO api_token (workspace_id, user_id, name, prefix, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                         RETURNING id, user_id, name, prefix, created_at, last_used_at",
                    )
                    .bind(actor.workspace_id)
                    .bind(user_id)
                    .bind(&name)
                    .bind(prefix)
                    .bind(token_hash)
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    audit(&mut tx, actor, "api_token.created", "user", user_id, json!({ "token_id": row.id, "name": name })).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(row.into_model())
                }

                async fn list_api_tokens(&self, actor: &Actor, user_id: Id) -> Result<Vec<ApiToken>> {
                    if user_id != actor.user_id {
                        require(actor, Permission::ManageDirectory)?;
                    }
                    let rows: Vec<ApiTokenRow> = sqlx::query_as(
                        "SELECT id, user_id, name, prefix, created_at, last_used_at FROM api_token \
                         WHERE user_id = $1 AND workspace_id = $2 AND revoked_at IS NULL ORDER BY id",
                    )
                    .bind(user_id)
                    .bind(actor.workspace_id)
                    .fetch_all(&self.read)
                    .await
                    .map_err(map_err)?;
                    Ok(rows.into_iter().map(ApiTokenRow::into_model).collect())
                }

                async fn revoke_api_token(&self, actor: &Actor, token_id: Id) -> Result<()> {
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let owner: i64 = sqlx::query("SELECT user_id FROM api_token WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL")
                        .bind(token_id)
                        .bind(actor.workspace_id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(not_found("api token"))?
                        .try_get(0)
                        .map_err(map_err)?;
                    if owner != actor.user_id {
                        require(actor, Permission::ManageDirectory)?;
                    }
                    sqlx::query("UPDATE api_token SET revoked_at = $1 WHERE id = $2")
                        .bind(now())
                        .bind(token_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    audit(&mut tx, actor, "api_token.revoked", "user", owner, json!({ "token_id": token_id })).await?;
                    tx.commit().await.map_err(map_err)
                }

                // ------------------------------------------------------------ brands

                async fn create_brand(&self, actor: &Actor, input: &NewBrand) -> Result<Brand> {
                    require(actor, Permission::ManageDirectory)?;
                    let name = non_empty("name", &input.name, 200)?;
                    let slug = parse_slug(&input.slug)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let row: BrandRow = sqlx::query_as(
                        "INSERT INTO brand (workspace_id, name, slug, default_locale, created_at) VALUES ($1, $2, $3, $4, $5) \
                         RETURNING id, name, slug, default_locale, created_at",
                    )
                    .bind(actor.workspace_id)
                    .bind(&name)
                    .bind(&slug)
                    .bind(input.default_locale.unwrap_or(domain::Locale::En).as_str())
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    audit(&mut tx, actor, "brand.created", "brand", row.id, json!({ "name": name, "slug": slug })).await?;
                    tx.commit().await.map_err(map_err)?;
                    row.into_model()
                }

                async fn list_brands(&self, actor: &Actor) -> Result<Vec<Brand>> {
                    require(actor, Permission::ReadDirectory)?;
                    let rows: Vec<BrandRow> = sqlx::query_as(
                        "SELECT id, name, slug, default_locale, created_at FROM brand WHERE workspace_id = $1 ORDER BY id",
                    )
                    .bind(actor.workspace_id)
                    .fetch_all(&self.read)
                    .await
                    .map_err(map_err)?;
                    rows.into_iter().map(BrandRow::into_model).collect()
                }

                async fn update_brand(&self, actor: &Actor, id: Id, patch: &BrandPatch) -> Result<Brand> {
                    require(actor, Permission::ManageDirectory)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let before: BrandRow = sqlx::query_as("SELECT id, name, slug, default_locale, created_at FROM brand WHERE id = $1 AND workspace_id = $2")
                        .bind(id)
                        .bind(actor.workspace_id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(not_found("brand"))?;
                    let name = patch.name.as_deref().map(|n| non_empty("name", n, 200)).transpose()?.unwrap_or(before.name.clone());
                    let locale = patch.default_locale.map(|l| l.as_str().to_string()).unwrap_or(before.default_locale.clone());
                    let row: BrandRow = sqlx::query_as(
                        "UPDATE brand SET name = $1, default_locale = $2 WHERE id = $3 RETURNING id, name, slug, default_locale, created_at",
                    )
                    .bind(&name)
                    .bind(&locale)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    let details = json!({ "name": [before.name, name], "default_locale": [before.default_locale, locale] });
                    audit(&mut tx, actor, "brand.updated", "brand", id, details).await?;
                    tx.commit().await.map_err(map_err)?;
                    row.into_model()
                }

                // ------------------------------------------------------------ users

                async fn create_user(&self, actor: &Actor, input: &NewUser, password_hash: Option<&str>) -> Result<User> {
                    require(actor, Permission::ManageDirectory)?;
                    let email = Email::parse(&input.email)?;
                    let name = non_empty("name", &input.name, 200)?;
                    let t = now();
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let id: i64 = sqlx::query(
                        "INSERT INTO app_user (workspace_id, email, name, role, locale, active, password_hash, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7, $7) RETURNING id",
                    )
                    .bind(actor.workspace_id)
                    .bind(email.as_str())
                    .bind(&name)
                    .bind(input.role.as_str())
                    .bind(input.locale.unwrap_or(domain::Locale::En).as_str())
                    .bind(password_hash)
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| match map_err(e) {
                        StoreError::Conflict(_) => StoreError::Conflict(format!("a user with email {email} already exists")),
                        other => other,
                    })?
                    .try_get(0)
                    .map_err(map_err)?;
                    audit(&mut tx, actor, "user.created", "user", id, json!({ "email": email.as_str(), "role": input.role })).await?;
                    let user = load_user(&mut tx, actor.workspace_id, id).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(user)
                }

                async fn get_user(&self, actor: &Actor, id: Id) -> Result<User> {
                    require(actor, Permission::ReadDirectory)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    load_user(&mut conn, actor.workspace_id, id).await
                }

                async fn list_users(&self, actor: &Actor, q: &ListQuery) -> Result<Page<User>> {
                    require(actor, Permission::ReadDirectory)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {USER_COLUMNS} FROM app_user WHERE workspace_id = "));
                    qb.push_bind(actor.workspace_id);
                    if let Some(text) = q.q.as_deref().map(str::to_lowercase) {
                        qb.push(" AND (lower(name) LIKE ").push_bind(format!("%{text}%")).push(" OR email LIKE ").push_bind(format!("%{text}%")).push(")");
                    }
                    if let Some(since) = q.updated_since {
                        qb.push(" AND updated_at >= ").push_bind(since.millis());
                    }
                    if let Some(c) = &q.cursor {
                        qb.push(" AND id > ").push_bind(c.id);
                    }
                    qb.push(" ORDER BY id LIMIT ").push_bind((q.limit + 1) as i64);
                    let rows: Vec<UserRow> = qb.build_query_as().fetch_all(&mut *conn).await.map_err(map_err)?;
                    let mut users = Vec::with_capacity(rows.len());
                    for r in rows {
                        let teams = team_ids_of(&mut conn, r.id).await?;
                        users.push(r.into_model(teams)?);
                    }
                    Ok(Page::from_rows(users, q.limit, |u| Cursor { k: u.id, id: u.id }))
                }

                async fn update_user(&self, actor: &Actor, id: Id, patch: &UserPatch, password_hash: Option<&str>) -> Result<User> {
                    let self_service = id == actor.user_id && patch.role.is_none() && patch.active.is_none();
                    if !self_service {
                        require(actor, Permission::ManageDirectory)?;
                    }
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let before = load_user(&mut tx, actor.workspace_id, id).await?;
                    if id == actor.user_id && patch.role.is_some_and(|r| r != before.role) {
                        return Err(invalid("role", "you cannot change your own role"));
                    }
                    let name = patch.name.as_deref().map(|n| non_empty("name", n, 200)).transpose()?.unwrap_or(before.name.clone());
                    let role = patch.role.unwrap_or(before.role);
                    let locale = patch.locale.unwrap_or(before.locale);
                    let active = patch.active.unwrap_or(before.active);
                    sqlx::query("UPDATE app_user SET name = $1, role = $2, locale = $3, active = $4, updated_at = $5 WHERE id = $6")
                        .bind(&name)
                        .bind(role.as_str())
                        .bind(locale.as_str())
                        .bind(active)
                        .bind(now())
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    if let Some(hash) = password_hash {
                        sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2").bind(hash).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                        sqlx::query("DELETE FROM login_session WHERE user_id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    }
                    if !active {
                        sqlx::query("DELETE FROM login_session WHERE user_id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    }
                    let details = json!({
                        "name": [before.name, name],
                        "role": [before.role, role],
                        "locale": [before.locale, locale],
                        "active": [before.active, active],
                        "password_changed": password_hash.is_some(),
                    });
                    audit(&mut tx, actor, "user.updated", "user", id, details).await?;
                    let user = load_user(&mut tx, actor.workspace_id, id).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(user)
                }

                async fn deactivate_user(&self, actor: &Actor, id: Id) -> Result<()> {
                    require(actor, Permission::ManageDirectory)?;
                    if id == actor.user_id {
                        return Err(invalid("id", "you cannot deactivate yourself"));
                    }
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    check_ref(&mut tx, actor.workspace_id, Ref::User, "id", id).await.map_err(|_| StoreError::NotFound("user"))?;
                    let t = now();
                    sqlx::query("UPDATE app_user SET active = FALSE, updated_at = $1 WHERE id = $2").bind(t).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    sqlx::query("DELETE FROM login_session WHERE user_id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    sqlx::query("UPDATE api_token SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                        .bind(t)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    audit(&mut tx, actor, "user.deactivated", "user", id, json!({})).await?;
                    tx.commit().await.map_err(map_err)
                }

                async fn set_user_teams(&self, actor: &Actor, user_id: Id, team_ids: &[Id]) -> Result<User> {
                    require(actor, Permission::ManageDirectory)?;
                    let ws = actor.workspace_id;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let before = load_user(&mut tx, ws, user_id).await?;
                    sqlx::query("DELETE FROM team_member WHERE user_id = $1").bind(user_id).execute(&mut *tx).await.map_err(map_err)?;
                    for team in team_ids {
                        check_ref(&mut tx, ws, Ref::Team, "team_ids", *team).await?;
                        sqlx::query("INSERT INTO team_member (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                            .bind(*team)
                            .bind(user_id)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    let after = load_user(&mut tx, ws, user_id).await?;
                    audit(&mut tx, actor, "user.teams_changed", "user", user_id, json!({ "team_ids": [before.team_ids, after.team_ids] })).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(after)
                }

                // ------------------------------------------------------------ teams

                async fn create_team(&self, actor: &Actor, input: &NewTeam) -> Result<Team> {
                    require(actor, Permission::ManageDirectory)?;
                    let name = non_empty("name", &input.name, 200)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let id: i64 = sqlx::query("INSERT INTO team (workspace_id, name, restricted, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                        .bind(actor.workspace_id)
                        .bind(&name)
                        .bind(input.restricted)
                        .bind(now())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .try_get(0)
                        .map_err(map_err)?;
                    set_members(&mut tx, actor.workspace_id, id, &input.member_ids).await?;
                    audit(&mut tx, actor, "team.created", "team", id, json!({ "name": name, "restricted": input.restricted, "member_ids": input.member_ids })).await?;
                    let team = load_team(&mut tx, actor.workspace_id, id).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(team)
                }

                async fn get_team(&self, actor: &Actor, id: Id) -> Result<Team> {
                    require(actor, Permission::ReadDirectory)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    load_team(&mut conn, actor.workspace_id, id).await
                }

                async fn list_teams(&self, actor: &Actor) -> Result<Vec<Team>> {
                    require(actor, Permission::ReadDirectory)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let rows: Vec<TeamRow> = sqlx::query_as("SELECT id, name, restricted, created_at FROM team WHERE workspace_id = $1 ORDER BY name, id")
                        .bind(actor.workspace_id)
                        .fetch_all(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    let mut teams = Vec::with_capacity(rows.len());
                    for r in rows {
                        let members = member_ids_of(&mut conn, r.id).await?;
                        teams.push(r.into_model(members));
                    }
                    Ok(teams)
                }

                async fn update_team(&self, actor: &Actor, id: Id, patch: &TeamPatch) -> Result<Team> {
                    require(actor, Permission::ManageDirectory)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let before = load_team(&mut tx, actor.workspace_id, id).await?;
                    let name = patch.name.as_deref().map(|n| non_empty("name", n, 200)).transpose()?.unwrap_or(before.name.clone());
                    let restricted = patch.restricted.unwrap_or(before.restricted);
                    sqlx::query("UPDATE team SET name = $1, restricted = $2 WHERE id = $3")
                        .bind(&name)
                        .bind(restricted)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    if let Some(members) = &patch.member_ids {
                        set_members(&mut tx, actor.workspace_id, id, members).await?;
                    }
                    let team = load_team(&mut tx, actor.workspace_id, id).await?;
                    let details = json!({
                        "name": [before.name, team.name],
                        "restricted": [before.restricted, team.restricted],
                        "member_ids": [before.member_ids, team.member_ids],
                    });
                    audit(&mut tx, actor, "team.updated", "team", id, details).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(team)
                }

                async fn delete_team(&self, actor: &Actor, id: Id) -> Result<()> {
                    require(actor, Permission::ManageDirectory)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let team = load_team(&mut tx, actor.workspace_id, id).await?;
                    sqlx::query("UPDATE ticket SET team_id = NULL WHERE team_id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    sqlx::query("DELETE FROM team WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    audit(&mut tx, actor, "team.deleted", "team", id, json!({ "name": team.name })).await?;
                    tx.commit().await.map_err(map_err)
                }

                // ------------------------------------------------------------ tags and custom fields

                async fn create_tag(&self, actor: &Actor, name: &str) -> Result<Tag> {
                    require(actor, Permission::ManageTags)?;
                    let name = parse_tag(name)?;
                    let row: TagRow = sqlx::query_as("INSERT INTO tag (workspace_id, name, created_at) VALUES ($1, $2, $3) RETURNING id, name, created_at")
                        .bind(actor.workspace_id)
                        .bind(&name)
                        .bind(now())
                        .fetch_one(&mut *self.writer().await?)
                        .await
                        .map_err(|e| match map_err(e) {
                            StoreError::Conflict(_) => StoreError::Conflict(format!("tag '{name}' already exists")),
                            other => other,
                        })?;
                    Ok(row.into_model())
                }

                async fn list_tags(&self, actor: &Actor) -> Result<Vec<Tag>> {
                    ticket_readable(actor)?;
                    let rows: Vec<TagRow> = sqlx::query_as("SELECT id, name, created_at FROM tag WHERE workspace_id = $1 ORDER BY name")
                        .bind(actor.workspace_id)
                        .fetch_all(&self.read)
                        .await
                        .map_err(map_err)?;
                    Ok(rows.into_iter().map(TagRow::into_model).collect())
                }

                async fn rename_tag(&self, actor: &Actor, id: Id, name: &str) -> Result<Tag> {
                    require(actor, Permission::ManageDirectory)?;
                    let name = parse_tag(name)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let old: TagRow = sqlx::query_as("SELECT id, name, created_at FROM tag WHERE id = $1 AND workspace_id = $2")
                        .bind(id)
                        .bind(actor.workspace_id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(not_found("tag"))?;
                    sqlx::query("UPDATE tag SET name = $1 WHERE id = $2").bind(&name).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    refresh_tag_names(&mut tx, id).await?;
                    audit(&mut tx, actor, "tag.renamed", "tag", id, json!({ "name": [old.name, name] })).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(Tag { id, name, created_at: Timestamp(old.created_at) })
                }

                async fn delete_tag(&self, actor: &Actor, id: Id) -> Result<()> {
                    require(actor, Permission::ManageDirectory)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let old: TagRow = sqlx::query_as("SELECT id, name, created_at FROM tag WHERE id = $1 AND workspace_id = $2")
                        .bind(id)
                        .bind(actor.workspace_id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(not_found("tag"))?;
                    let tickets: Vec<i64> = sqlx::query("SELECT ticket_id FROM ticket_tag WHERE tag_id = $1")
                        .bind(id)
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .iter()
                        .map(|r| r.try_get::<i64, _>(0))
                        .collect::<std::result::Result<_, _>>()
                        .map_err(map_err)?;
                    sqlx::query("DELETE FROM tag WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    for ticket_id in tickets {
                        write_ticket_tag_names(&mut tx, ticket_id).await?;
                    }
                    audit(&mut tx, actor, "tag.deleted", "tag", id, json!({ "name": old.name })).await?;
                    tx.commit().await.map_err(map_err)
                }

                async fn create_custom_field(&self, actor: &Actor, input: &NewCustomField) -> Result<CustomFieldDef> {
                    require(actor, Permission::ManageDirectory)?;
                    let key = domain::custom_field::parse_key(&input.key)?;
                    let label = non_empty("label", &input.label, 200)?;
                    if input.kind == domain::CustomFieldKind::Select && input.options.is_empty() {
                        return Err(invalid("options", "a select field needs at least one option"));
                    }
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let row: CustomFieldRow = sqlx::query_as(
                        "INSERT INTO custom_field (workspace_id, key, label, kind, options, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                         RETURNING id, key, label, kind, options, created_at",
                    )
                    .bind(actor.workspace_id)
                    .bind(&key)
                    .bind(&label)
                    .bind(input.kind.as_str())
                    .bind(serde_json::to_string(&input.options).expect("strings serialise"))
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    audit(&mut tx, actor, "custom_field.created", "custom_field", row.id, json!({ "key": key, "kind": input.kind })).await?;
                    tx.commit().await.map_err(map_err)?;
                    row.into_model()
                }

                async fn list_custom_fields(&self, actor: &Actor) -> Result<Vec<CustomFieldDef>> {
                    require(actor, Permission::ReadDirectory)?;
                    let rows: Vec<CustomFieldRow> = sqlx::query_as(
                        "SELECT id, key, label, kind, options, created_at FROM custom_field WHERE workspace_id = $1 ORDER BY key",
                    )
                    .bind(actor.workspace_id)
                    .fetch_all(&self.read)
                    .await
                    .map_err(map_err)?;
                    rows.into_iter().map(CustomFieldRow::into_model).collect()
                }

                // ------------------------------------------------------------ contacts

                async fn create_contact(&self, actor: &Actor, input: &NewContact) -> Result<Contact> {
                    require(actor, Permission::WritePeople)?;
                    let name = non_empty("name", &input.name, 200)?;
                    let email = opt_email(input.email.as_deref())?;
                    let phone = opt_text("phone", input.phone.as_deref(), 50)?;
                    let t = now();
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let id: i64 = sqlx::query(
                        "INSERT INTO contact (workspace_id, name, email, phone, locale, search_text, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                    )
                    .bind(actor.workspace_id)
                    .bind(&name)
                    .bind(&email)
                    .bind(&phone)
                    .bind(input.locale.map(|l| l.as_str()))
                    .bind(search_text(&[Some(&name), email.as_deref(), phone.as_deref()]))
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| match map_err(e) {
                        StoreError::Conflict(_) => StoreError::Conflict("a contact with this email already exists".into()),
                        other => other,
                    })?
                    .try_get(0)
                    .map_err(map_err)?;
                    set_contact_orgs(&mut tx, actor.workspace_id, id, &input.organization_ids).await?;
                    audit(&mut tx, actor, "contact.created", "contact", id, json!({ "name": name, "email": email })).await?;
                    let contact = load_contact(&mut tx, actor.workspace_id, id).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(contact)
                }

                async fn get_contact(&self, actor: &Actor, id: Id) -> Result<Contact> {
                    require(actor, Permission::ReadPeople)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    load_contact(&mut conn, actor.workspace_id, id).await
                }

                async fn list_contacts(&self, actor: &Actor, q: &ListQuery) -> Result<Page<Contact>> {
                    require(actor, Permission::ReadPeople)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT c.id, c.name, c.email, c.phone, c.locale, c.created_at, c.updated_at FROM contact c WHERE c.workspace_id = ",
                    );
                    qb.push_bind(actor.workspace_id);
                    if let Some(text) = q.q.as_deref().map(str::to_lowercase) {
                        qb.push(" AND c.search_text LIKE ").push_bind(format!("%{text}%"));
                    }
                    if let Some(org) = q.organization_id {
                        qb.push(" AND c.id IN (SELECT contact_id FROM contact_organization WHERE organization_id = ").push_bind(org).push(")");
                    }
                    if let Some(since) = q.updated_since {
                        qb.push(" AND c.updated_at >= ").push_bind(since.millis());
                    }
                    if let Some(c) = &q.cursor {
                        qb.push(" AND c.id > ").push_bind(c.id);
                    }
                    qb.push(" ORDER BY c.id LIMIT ").push_bind((q.limit + 1) as i64);
                    let rows: Vec<ContactRow> = qb.build_query_as().fetch_all(&mut *conn).await.map_err(map_err)?;
                    let mut out = Vec::with_capacity(rows.len());
                    for r in rows {
                        let orgs = org_ids_of(&mut conn, r.id).await?;
                        out.push(r.into_model(orgs)?);
                    }
                    Ok(Page::from_rows(out, q.limit, |c| Cursor { k: c.id, id: c.id }))
                }

                async fn update_contact(&self, actor: &Actor, id: Id, patch: &ContactPatch) -> Result<Contact> {
                    require(actor, Permission::WritePeople)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let before = load_contact(&mut tx, actor.workspace_id, id).await?;
                    let name = patch.name.as_deref().map(|n| non_empty("name", n, 200)).transpose()?.unwrap_or(before.name.clone());
                    let email = match &patch.email {
                        Some(e) => opt_email(e.as_deref())?,
                        None => before.email.clone(),
                    };
                    let phone = match &patch.phone {
                        Some(p) => opt_text("phone", p.as_deref(), 50)?,
                        None => before.phone.clone(),
                    };
                    let locale = patch.locale.unwrap_or(before.locale);
                    sqlx::query("UPDATE contact SET name = $1, email = $2, phone = $3, locale = $4, search_text = $5, updated_at = $6 WHERE id = $7")
                        .bind(&name)
                        .bind(&email)
                        .bind(&phone)
                        .bind(locale.map(|l| l.as_str()))
                        .bind(search_text(&[Some(&name), email.as_deref(), phone.as_deref()]))
                        .bind(now())
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| match map_err(e) {
                            StoreError::Conflict(_) => StoreError::Conflict("a contact with this email already exists".into()),
                            other => other,
                        })?;
                    if let Some(orgs) = &patch.organization_ids {
                        set_contact_orgs(&mut tx, actor.workspace_id, id, orgs).await?;
                    }
                    let after = load_contact(&mut tx, actor.workspace_id, id).await?;
                    let details = json!({
                        "name": [before.name, after.name],
                        "email": [before.email, after.email],
                        "phone": [before.phone, after.phone],
                        "organization_ids": [before.organization_ids, after.organization_ids],
                    });
                    audit(&mut tx, actor, "contact.updated", "contact", id, details).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(after)
                }

                async fn delete_contact(&self, actor: &Actor, id: Id) -> Result<()> {
                    require(actor, Permission::DeleteRecords)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let c = load_contact(&mut tx, actor.workspace_id, id).await?;
                    sqlx::query("DELETE FROM contact WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    audit(&mut tx, actor, "contact.deleted", "contact", id, json!({ "name": c.name })).await?;
                    tx.commit().await.map_err(map_err)
                }

                // ------------------------------------------------------------ organizations

                async fn create_organization(&self, actor: &Actor, input: &NewOrganization) -> Result<Organization> {
                    require(actor, Permission::WritePeople)?;
                    let name = non_empty("name", &input.name, 200)?;
                    let domain_name = opt_text("domain", input.domain.as_deref(), 253)?.map(|d| d.to_lowercase());
                    let notes = opt_text("notes", input.notes.as_deref(), 20_000)?;
                    let t = now();
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let row: OrganizationRow = sqlx::query_as(
                        "INSERT INTO organization (workspace_id, name, domain, notes, search_text, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id, name, domain, notes, created_at, updated_at",
                    )
                    .bind(actor.workspace_id)
                    .bind(&name)
                    .bind(&domain_name)
                    .bind(&notes)
                    .bind(search_text(&[Some(&name), domain_name.as_deref()]))
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    audit(&mut tx, actor, "organization.created", "organization", row.id, json!({ "name": name })).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(row.into_model())
                }

                async fn get_organization(&self, actor: &Actor, id: Id) -> Result<Organization> {
                    require(actor, Permission::ReadPeople)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    load_organization(&mut conn, actor.workspace_id, id).await
                }

                async fn list_organizations(&self, actor: &Actor, q: &ListQuery) -> Result<Page<Organization>> {
                    require(actor, Permission::ReadPeople)?;
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT id, name, domain, notes, created_at, updated_at FROM organization WHERE workspace_id = ",
                    );
                    qb.push_bind(actor.workspace_id);
                    if let Some(text) = q.q.as_deref().map(str::to_lowercase) {
                        qb.push(" AND search_text LIKE ").push_bind(format!("%{text}%"));
                    }
                    if let Some(since) = q.updated_since {
                        qb.push(" AND updated_at >= ").push_bind(since.millis());
                    }
                    if let Some(c) = &q.cursor {
                        qb.push(" AND id > ").push_bind(c.id);
                    }
                    qb.push(" ORDER BY id LIMIT ").push_bind((q.limit + 1) as i64);
                    let rows: Vec<OrganizationRow> = qb.build_query_as().fetch_all(&self.read).await.map_err(map_err)?;
                    let orgs = rows.into_iter().map(OrganizationRow::into_model).collect();
                    Ok(Page::from_rows(orgs, q.limit, |o| Cursor { k: o.id, id: o.id }))
                }

                async fn update_organization(&self, actor: &Actor, id: Id, patch: &OrganizationPatch) -> Result<Organization> {
                    require(actor, Permission::WritePeople)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let before = load_organization(&mut tx, actor.workspace_id, id).await?;
                    let name = patch.name.as_deref().map(|n| non_empty("name", n, 200)).transpose()?.unwrap_or(before.name.clone());
                    let domain_name = match &patch.domain {
                        Some(d) => opt_text("domain", d.as_deref(), 253)?.map(|d| d.to_lowercase()),
                        None => before.domain.clone(),
                    };
                    let notes = match &patch.notes {
                        Some(n) => opt_text("notes", n.as_deref(), 20_000)?,
                        None => before.notes.clone(),
                    };
                    sqlx::query("UPDATE organization SET name = $1, domain = $2, notes = $3, search_text = $4, updated_at = $5 WHERE id = $6")
                        .bind(&name)
                        .bind(&domain_name)
                        .bind(&notes)
                        .bind(search_text(&[Some(&name), domain_name.as_deref()]))
                        .bind(now())
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let after = load_organization(&mut tx, actor.workspace_id, id).await?;
                    audit(&mut tx, actor, "organization.updated", "organization", id, json!({ "name": [before.name, after.name], "domain": [before.domain, after.domain] })).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(after)
                }

                async fn delete_organization(&self, actor: &Actor, id: Id) -> Result<()> {
                    require(actor, Permission::DeleteRecords)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let o = load_organization(&mut tx, actor.workspace_id, id).await?;
                    sqlx::query("DELETE FROM organization WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    audit(&mut tx, actor, "organization.deleted", "organization", id, json!({ "name": o.name })).await?;
                    tx.commit().await.map_err(map_err)
                }

                // ------------------------------------------------------------ tickets

                async fn create_ticket(&self, actor: &Actor, input: &NewTicket) -> Result<Ticket> {
                    ticket_writable(actor)?;
                    let ws = actor.workspace_id;
                    let subject = parse_subject(&input.subject)?;
                    let status = input.status.unwrap_or(TicketStatus::New);
                    let effect = TicketStatus::New.transition(status)?;
                    let priority = input.priority.unwrap_or(Priority::Normal);
                    let first = match &input.message {
                        Some(m) => Some(html::message_content(m.body.as_deref(), m.html.as_deref())?),
                        None => None,
                    };
                    let t = now();
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
                    let mut requester_id = input.requester_id;
                    let mut channel = input.channel.unwrap_or(Channel::Api);
                    let mut mailbox_id = None;
                    if let Some(prev) = input.followup_of {
                        let prev_row = visible_ticket(&mut tx, actor, prev).await.map_err(|_| invalid("followup_of", format!("{prev} does not exist")))?;
                        if prev_row.status != TicketStatus::Closed.as_str() {
                            return Err(invalid("followup_of", "only a closed ticket can be followed up; reopen it instead"));
                        }
                        // A follow-up continues where the conversation was: same requester, channel and mailbox.
                        requester_id = requester_id.or(prev_row.requester_id);
                        channel = input.channel.unwrap_or(Channel::parse(&prev_row.channel)?);
                        mailbox_id = prev_row.mailbox_id;
                    }
                    let mut custom = Map::new();
                    merge_custom_fields(&mut tx, ws, &mut custom, &input.custom_fields).await?;
                    let id: i64 = sqlx::query(
                        "INSERT INTO ticket (workspace_id, brand_id, subject, status, priority, priority_rank, channel, language, \
                         requester_id, assignee_id, team_id, custom_fields, followup_of, mailbox_id, created_at, updated_at, solved_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING id",
                    )
                    .bind(ws)
                    .bind(input.brand_id)
                    .bind(&subject)
                    .bind(status.as_str())
                    .bind(priority.as_str())
                    .bind(priority.rank())
                    .bind(channel.as_str())
                    .bind(input.language.map(|l| l.as_str()))
                    .bind(requester_id)
                    .bind(input.assignee_id)
                    .bind(input.team_id)
                    .bind(Value::Object(custom).to_string())
                    .bind(input.followup_of)
                    .bind(mailbox_id)
                    .bind(t)
                    .bind(effect.solved.then_some(t))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .try_get(0)
                    .map_err(map_err)?;
                    if !input.tags.is_empty() {
                        set_ticket_tags(&mut tx, ws, id, &input.tags).await?;
                    }
                    if let (Some((text, html)), Some(m)) = (first, &input.message) {
                        let kind = m.kind.unwrap_or(MessageKind::Public);
                        if kind == MessageKind::System {
                            return Err(invalid("message.kind", "system messages are written by Rapport itself"));
                        }
                        // A public first message comes from the requester when there is one
                        // (the customer wrote in); otherwise the acting user starts the conversation.
                        let author_contact = if kind == MessageKind::Public { requester_id } else { None };
                        insert_message(&mut tx, actor, id, kind, author_contact, (&text, &html), t).await?;
                        if kind == MessageKind::Public && author_contact.is_none() && actor.user().is_some() {
                            sqlx::query("UPDATE ticket SET first_response_at = $1 WHERE id = $2").bind(t).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                        }
                    }
                    audit(&mut tx, actor, "ticket.created", "ticket", id, json!({ "subject": subject, "status": status, "channel": channel })).await?;
                    let row = visible_ticket(&mut tx, &Actor::system(ws), id).await?;
                    tx.commit().await.map_err(map_err)?;
                    row.into_model()
                }

                async fn get_ticket(&self, actor: &Actor, id: Id) -> Result<Ticket> {
                    ticket_readable(actor)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    visible_ticket(&mut conn, actor, id).await?.into_model()
                }

                async fn list_tickets(&self, actor: &Actor, q: &TicketQuery) -> Result<Page<Ticket>> {
                    ticket_readable(actor)?;
                    let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {TICKET_COLUMNS} FROM ticket t WHERE "));
                    push_ticket_filters(&mut qb, actor, q);
                    let col = match q.sort {
                        TicketSortField::CreatedAt => "t.created_at",
                        TicketSortField::UpdatedAt => "t.updated_at",
                        TicketSortField::Priority => "t.priority_rank",
                        TicketSortField::Id => "t.id",
                    };
                    let (cmp, dir) = if q.descending { ("<", "DESC") } else { (">", "ASC") };
                    if let Some(c) = &q.cursor {
                        qb.push(format!(" AND ({col}, t.id) {cmp} (")).push_bind(c.k).push(", ").push_bind(c.id).push(")");
                    }
                    qb.push(format!(" ORDER BY {col} {dir}, t.id {dir} LIMIT ")).push_bind((q.limit + 1) as i64);
                    let rows: Vec<TicketRow> = qb.build_query_as().fetch_all(&self.read).await.map_err(map_err)?;
                    let tickets = rows.into_iter().map(TicketRow::into_model).collect::<Result<Vec<_>>>()?;
                    let sort = q.sort;
                    Ok(Page::from_rows(tickets, q.limit, |t| cursor_key(t, sort)))
                }

                async fn update_ticket(&self, actor: &Actor, id: Id, patch: &TicketPatch) -> Result<Ticket> {
                    ticket_writable(actor)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    update_ticket_in(&mut tx, actor, id, patch).await?;
                    let after = visible_ticket(&mut tx, &Actor::system(actor.workspace_id), id).await?;
                    tx.commit().await.map_err(map_err)?;
                    after.into_model()
                }

                async fn delete_ticket(&self, actor: &Actor, id: Id) -> Result<()> {
                    require(actor, Permission::DeleteRecords)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let row = visible_ticket(&mut tx, actor, id).await?;
                    sqlx::query("DELETE FROM ticket WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    audit(&mut tx, actor, "ticket.deleted", "ticket", id, json!({ "subject": row.subject })).await?;
                    tx.commit().await.map_err(map_err)
                }

                // ------------------------------------------------------------ messages

                async fn add_message(&self, actor: &Actor, ticket_id: Id, input: &NewMessage) -> Result<Message> {
                    ticket_writable(actor)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let id = add_message_in(&mut tx, actor, ticket_id, input).await?;
                    let msg = load_message(&mut tx, actor.workspace_id, id).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(msg)
                }

                async fn get_message(&self, actor: &Actor, id: Id) -> Result<Message> {
                    ticket_readable(actor)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let msg = load_message(&mut conn, actor.workspace_id, id).await?;
                    visible_ticket(&mut conn, actor, msg.ticket_id).await.map_err(|_| StoreError::NotFound("message"))?;
                    Ok(msg)
                }

                async fn list_messages(&self, actor: &Actor, ticket_id: Id, cursor: Option<Cursor>, limit: usize) -> Result<Page<Message>> {
                    ticket_readable(actor)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    visible_ticket(&mut conn, actor, ticket_id).await?;
                    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM message WHERE ticket_id = $1 AND workspace_id = $2 AND id > $3 ORDER BY id LIMIT $4");
                    let rows: Vec<MessageRow> = sqlx::query_as(&sql)
                        .bind(ticket_id)
                        .bind(actor.workspace_id)
                        .bind(cursor.map(|c| c.id).unwrap_or(0))
                        .bind((limit + 1) as i64)
                        .fetch_all(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    let msgs = messages_with_attachments(&mut conn, rows).await?;
                    Ok(Page::from_rows(msgs, limit, |m| Cursor { k: m.id, id: m.id }))
                }

                async fn redact_message(&self, actor: &Actor, id: Id) -> Result<Message> {
                    require(actor, Permission::DeleteRecords)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let msg = load_message(&mut tx, actor.workspace_id, id).await?;
                    visible_ticket(&mut tx, actor, msg.ticket_id).await.map_err(|_| StoreError::NotFound("message"))?;
                    let notice = "[redacted]";
                    sqlx::query("UPDATE message SET body_text = $1, body_html = $1 WHERE id = $2").bind(notice).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    sqlx::query("DELETE FROM attachment WHERE message_id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    audit(&mut tx, actor, "message.redacted", "ticket", msg.ticket_id, json!({ "message_id": id })).await?;
                    let after = load_message(&mut tx, actor.workspace_id, id).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(after)
                }

                async fn get_attachment(&self, actor: &Actor, id: Id) -> Result<Attachment> {
                    ticket_readable(actor)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let row: AttachmentRow = sqlx::query_as(
                        "SELECT id, message_id, filename, content_type, size, sha256 FROM attachment WHERE id = $1 AND workspace_id = $2",
                    )
                    .bind(id)
                    .bind(actor.workspace_id)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(not_found("attachment"))?;
                    let msg = load_message(&mut conn, actor.workspace_id, row.message_id).await?;
                    visible_ticket(&mut conn, actor, msg.ticket_id).await.map_err(|_| StoreError::NotFound("attachment"))?;
                    Ok(row.into_model())
                }

                // ------------------------------------------------------------ raw inbound

                async fn put_raw_inbound(&self, workspace_id: Id, channel: Channel, source_key: &str, bytes: &[u8]) -> Result<(Id, bool)> {
                    let inserted = sqlx::query(
                        "INSERT INTO raw_inbound (workspace_id, channel, source_key, bytes, size, status, received_at) \
                         VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT DO NOTHING RETURNING id",
                    )
                    .bind(workspace_id)
                    .bind(channel.as_str())
                    .bind(source_key)
                    .bind(bytes)
                    .bind(bytes.len() as i64)
                    .bind(now())
                    .fetch_optional(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                    if let Some(row) = inserted {
                        return Ok((row.try_get(0).map_err(map_err)?, true));
                    }
                    let id: i64 = sqlx::query("SELECT id FROM raw_inbound WHERE workspace_id = $1 AND channel = $2 AND source_key = $3")
                        .bind(workspace_id)
                        .bind(channel.as_str())
                        .bind(source_key)
                        .fetch_one(&mut *self.writer().await?)
                        .await
                        .map_err(map_err)?
                        .try_get(0)
                        .map_err(map_err)?;
                    Ok((id, false))
                }

                async fn raw_inbound(&self, workspace_id: Id, id: Id) -> Result<RawInbound> {
                    let row: RawInboundRow = sqlx::query_as(
                        "SELECT id, channel, source_key, size, status, error, received_at, processed_at FROM raw_inbound WHERE id = $1 AND workspace_id = $2",
                    )
                    .bind(id)
                    .bind(workspace_id)
                    .fetch_one(&self.read)
                    .await
                    .map_err(not_found("raw inbound"))?;
                    row.into_model()
                }

                async fn raw_inbound_bytes(&self, workspace_id: Id, id: Id) -> Result<Vec<u8>> {
                    sqlx::query("SELECT bytes FROM raw_inbound WHERE id = $1 AND workspace_id = $2")
                        .bind(id)
                        .bind(workspace_id)
                        .fetch_one(&self.read)
                        .await
                        .map_err(not_found("raw inbound"))?
                        .try_get(0)
                        .map_err(map_err)
                }

                async fn mark_raw_inbound(&self, workspace_id: Id, id: Id, error: Option<&str>) -> Result<()> {
                    let mut conn = self.writer().await?;
                    if !mark_raw(&mut conn, workspace_id, id, error, now()).await? {
                        return Err(StoreError::NotFound("raw inbound"));
                    }
                    Ok(())
                }

                async fn list_raw_inbound(&self, actor: &Actor, status: Option<&str>, limit: usize) -> Result<Vec<RawInbound>> {
                    require(actor, Permission::ReadAudit)?;
                    let rows: Vec<RawInboundRow> = sqlx::query_as(
                        "SELECT id, channel, source_key, size, status, error, received_at, processed_at FROM raw_inbound \
                         WHERE workspace_id = $1 AND ($2 IS NULL OR status = $2) ORDER BY id DESC LIMIT $3",
                    )
                    .bind(actor.workspace_id)
                    .bind(status)
                    .bind(limit as i64)
                    .fetch_all(&self.read)
                    .await
                    .map_err(map_err)?;
                    rows.into_iter().map(RawInboundRow::into_model).collect()
                }

                async fn list_audit(&self, actor: &Actor, entity_type: Option<&str>, entity_id: Option<Id>, cursor: Option<Cursor>, limit: usize) -> Result<Page<AuditEntry>> {
                    require(actor, Permission::ReadAudit)?;
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT id, actor_user_id, action, entity_type, entity_id, details, created_at FROM audit_log WHERE workspace_id = ",
                    );
                    qb.push_bind(actor.workspace_id);
                    if let Some(et) = entity_type {
                        qb.push(" AND entity_type = ").push_bind(et.to_string());
                    }
                    if let Some(eid) = entity_id {
                        qb.push(" AND entity_id = ").push_bind(eid);
                    }
                    if let Some(c) = cursor {
                        qb.push(" AND id < ").push_bind(c.id);
                    }
                    qb.push(" ORDER BY id DESC LIMIT ").push_bind((limit + 1) as i64);
                    let rows: Vec<AuditRow> = qb.build_query_as().fetch_all(&self.read).await.map_err(map_err)?;
                    let entries = rows.into_iter().map(AuditRow::into_model).collect::<Result<Vec<_>>>()?;
                    Ok(Page::from_rows(entries, limit, |e| Cursor { k: e.id, id: e.id }))
                }

                // ------------------------------------------------------------ idempotency

                async fn idempotency_begin(&self, actor: &Actor, key: &str, request_hash: &str) -> Result<IdempotencyBegin> {
                    let claimed = sqlx::query(
                        "INSERT INTO idempotency_key (workspace_id, user_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(actor.workspace_id)
                    .bind(actor.user_id)
                    .bind(key)
                    .bind(request_hash)
                    .bind(now())
                    .execute(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                    if claimed.rows_affected() == 1 {
                        return Ok(IdempotencyBegin::Claimed);
                    }
                    let row = sqlx::query("SELECT request_hash, status, body FROM idempotency_key WHERE workspace_id = $1 AND user_id = $2 AND key = $3")
                        .bind(actor.workspace_id)
                        .bind(actor.user_id)
                        .bind(key)
                        .fetch_one(&mut *self.writer().await?)
                        .await
                        .map_err(map_err)?;
                    let hash: String = row.try_get(0).map_err(map_err)?;
                    let status: Option<i64> = row.try_get(1).map_err(map_err)?;
                    let body: Option<String> = row.try_get(2).map_err(map_err)?;
                    Ok(match (hash == request_hash, status) {
                        (false, _) => IdempotencyBegin::Mismatch,
                        (true, Some(s)) => IdempotencyBegin::Replay { status: s as u16, body: body.unwrap_or_default() },
                        (true, None) => IdempotencyBegin::InProgress,
                    })
                }

                async fn idempotency_finish(&self, actor: &Actor, key: &str, status: u16, body: &str) -> Result<()> {
                    sqlx::query("UPDATE idempotency_key SET status = $1, body = $2 WHERE workspace_id = $3 AND user_id = $4 AND key = $5")
                        .bind(i64::from(status))
                        .bind(body)
                        .bind(actor.workspace_id)
                        .bind(actor.user_id)
                        .bind(key)
                        .execute(&mut *self.writer().await?)
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn idempotency_abandon(&self, actor: &Actor, key: &str) -> Result<()> {
                    sqlx::query("DELETE FROM idempotency_key WHERE workspace_id = $1 AND user_id = $2 AND key = $3 AND status IS NULL")
                        .bind(actor.workspace_id)
                        .bind(actor.user_id)
                        .bind(key)
                        .execute(&mut *self.writer().await?)
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }
            }

            fn parse_slug(s: &str) -> Result<String> {
                let s = s.trim().to_lowercase();
                let ok = !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if ok {
                    Ok(s)
                } else {
                    Err(invalid("slug", format!("'{s}' must be 1-64 of a-z, 0-9 and -")))
                }
            }

            async fn check_assignee(conn: &mut Conn, ws: Id, id: Id) -> Result<()> {
                let row = sqlx::query("SELECT role, active FROM app_user WHERE id = $1 AND workspace_id = $2")
                    .bind(id)
                    .bind(ws)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_err)?
                    .ok_or_else(|| invalid("assignee_id", format!("{id} does not exist")))?;
                let role: String = row.try_get(0).map_err(map_err)?;
                let active: bool = row.try_get(1).map_err(map_err)?;
                if !active {
                    return Err(invalid("assignee_id", format!("user {id} is deactivated")));
                }
                if role == domain::Role::Viewer.as_str() {
                    return Err(invalid("assignee_id", format!("user {id} is a viewer and cannot be assigned tickets")));
                }
                Ok(())
            }

            async fn insert_attachments(conn: &mut Conn, ws: Id, message_id: Id, attachments: &[NewAttachment], at: i64) -> Result<()> {
                for a in attachments {
                    sqlx::query(
                        "INSERT INTO attachment (workspace_id, message_id, filename, content_type, size, sha256, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(ws)
                    .bind(message_id)
                    .bind(&a.filename)
                    .bind(&a.content_type)
                    .bind(a.size)
                    .bind(&a.sha256)
                    .bind(at)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
                }
                Ok(())
            }

            /// Marks a raw inbound payload processed (no error) or failed (with the reason).
            async fn mark_raw(conn: &mut Conn, ws: Id, id: Id, error: Option<&str>, at: i64) -> Result<bool> {
                let status = if error.is_some() { "failed" } else { "processed" };
                let done = sqlx::query("UPDATE raw_inbound SET status = $1, error = $2, processed_at = $3 WHERE id = $4 AND workspace_id = $5")
                    .bind(status)
                    .bind(error)
                    .bind(at)
                    .bind(id)
                    .bind(ws)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
                Ok(done.rows_affected() > 0)
            }

            async fn load_message(conn: &mut Conn, ws: Id, id: Id) -> Result<Message> {
                let sql = format!("SELECT {MESSAGE_COLUMNS} FROM message WHERE id = $1 AND workspace_id = $2");
                let row: MessageRow = sqlx::query_as(&sql).bind(id).bind(ws).fetch_one(&mut *conn).await.map_err(not_found("message"))?;
                let mut msgs = messages_with_attachments(conn, vec![row]).await?;
                Ok(msgs.remove(0))
            }

            /// Rewrites the denormalised tag names of one ticket from `ticket_tag`.
            async fn write_ticket_tag_names(conn: &mut Conn, ticket_id: Id) -> Result<()> {
                let names: Vec<String> = sqlx::query("SELECT g.name FROM ticket_tag tt JOIN tag g ON g.id = tt.tag_id WHERE tt.ticket_id = $1 ORDER BY g.name")
                    .bind(ticket_id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?
                    .iter()
                    .map(|r| r.try_get::<String, _>(0))
                    .collect::<std::result::Result<_, _>>()
                    .map_err(map_err)?;
                sqlx::query("UPDATE ticket SET tags = $1 WHERE id = $2")
                    .bind(serde_json::to_string(&names).expect("strings serialise"))
                    .bind(ticket_id)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
                Ok(())
            }

            async fn refresh_tag_names(conn: &mut Conn, tag_id: Id) -> Result<()> {
                let tickets: Vec<i64> = sqlx::query("SELECT ticket_id FROM ticket_tag WHERE tag_id = $1")
                    .bind(tag_id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?
                    .iter()
                    .map(|r| r.try_get::<i64, _>(0))
                    .collect::<std::result::Result<_, _>>()
                    .map_err(map_err)?;
                for t in tickets {
                    write_ticket_tag_names(conn, t).await?;
                }
                Ok(())
            }
            $crate::impl_sql_mail_store!($store, $db, $backend, $skip_locked);
            $crate::impl_sql_desk_store!($store, $db);
            $crate::impl_sql_replies_store!($store, $db);
            $crate::impl_sql_sla_store!($store, $db);
            $crate::impl_sql_password_reset_store!($store, $db);
            $crate::impl_sql_metrics_store!($store, $db);
            $crate::impl_sql_surveys_store!($store, $db);
            $crate::impl_sql_webhooks_store!($store, $db, $skip_locked);
        };
    };
}
