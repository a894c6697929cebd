/// The email part of the SQL store. Expanded inside `impl_sql_store!`'s
/// scope, so it shares that macro's helpers (`check_ref`, `audit`, `now`...).
#[macro_export]
#[doc(hidden)]
macro_rules! impl_sql_mail_store {
    ($store:ty, $db:ty, $backend:literal, $skip_locked:literal) => {
        use $crate::__private::rapport_store::mail::*;
        use $crate::mail_rows::*;

        const MAILBOX_COLUMNS: &str = "id, workspace_id, brand_id, name, address, imap_host, imap_port, imap_security, imap_username, \
            imap_password_enc, imap_folder, smtp_host, smtp_port, smtp_security, smtp_username, smtp_password_enc, from_name, reply_to, \
            max_message_bytes, active, allow_remote_images, uid_validity, last_uid, last_error, created_at, updated_at";

        const OUTBOUND_COLUMNS: &str = "id, workspace_id, mailbox_id, ticket_id, message_id, kind, recipients, message_id_header, raw, \
            status, attempts, next_attempt_at, last_error, created_at, sent_at";

        fn check_mailbox_input(input: &MailboxInput) -> Result<(String, String)> {
            let name = non_empty("name", &input.name, 200)?;
            let address = Email::parse(&input.address)?.as_str().to_string();
            non_empty("imap_host", &input.imap_host, 253)?;
            non_empty("smtp_host", &input.smtp_host, 253)?;
            for (field, port) in [("imap_port", input.imap_port), ("smtp_port", input.smtp_port)] {
                if !(1..=65535).contains(&port) {
                    return Err(invalid(field, "must be a port number, 1-65535"));
                }
            }
            if input.max_message_bytes < 1024 {
                return Err(invalid("max_message_bytes", "must be at least 1024"));
            }
            if let Some(r) = input.reply_to.as_deref().filter(|r| !r.trim().is_empty()) {
                Email::parse(r)?;
            }
            Ok((name, address))
        }

        /// Independent statements sent to the database as one: none may read
        /// what another writes, and only the last may return rows. SQLite runs
        /// a `;`-separated list in one call; PostgreSQL takes all but the last
        /// as data-modifying `WITH` clauses of the last.
        fn one_round_trip(statements: &[&str]) -> String {
            let Some((last, others)) = statements.split_last() else { return String::new() };
            if let "sqlite" = $backend {
                return statements.join(";\n");
            }
            let clauses: Vec<String> = others.iter().enumerate().map(|(i, s)| format!("s{i} AS ({s})")).collect();
            if clauses.is_empty() {
                last.to_string()
            } else {
                format!("WITH {} {last}", clauses.join(", "))
            }
        }

        /// What ends the storing of an inbound mail, in one round trip: its
        /// Message-ID recorded for threading, the audit entry, and the raw mail
        /// marked processed.
        static FINISH_INBOUND: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            one_round_trip(&[
                "INSERT INTO email_thread (workspace_id, message_id_header, ticket_id, message_id, direction, created_at) \
                 VALUES ($1, $2, $3, $4, 'in', $5) ON CONFLICT DO NOTHING",
                "INSERT INTO audit_log (workspace_id, actor_user_id, action, entity_type, entity_id, details, created_at) \
                 VALUES ($1, NULL, $6, 'ticket', $3, $7, $9)",
                "UPDATE raw_inbound SET status = 'processed', error = NULL, processed_at = $5 WHERE id = $8 AND workspace_id = $1",
            ])
        });

        /// What is there already for an inbound mail, in one round trip: a
        /// message made from this raw mail (a redelivery), the same Message-ID
        /// received before (the mail reached us twice: another folder, a resend
        /// by the server), the sender as a contact, and the status of the ticket
        /// to append to. The raw mail of a duplicate is marked processed on the way.
        static INBOUND_KNOWN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            one_round_trip(&[
                "UPDATE raw_inbound SET status = 'processed', error = NULL, processed_at = $6 WHERE id = $1 AND workspace_id = $2 \
                 AND (EXISTS (SELECT 1 FROM message WHERE raw_inbound_id = $1) \
                 OR EXISTS (SELECT 1 FROM email_thread WHERE workspace_id = $2 AND message_id_header = $3 AND direction = 'in'))",
                "SELECT m.id, m.ticket_id, m.author_contact_id, \
                 (SELECT e.ticket_id FROM email_thread e WHERE e.workspace_id = $2 AND e.message_id_header = $3 AND e.direction = 'in'), \
                 (SELECT e.message_id FROM email_thread e WHERE e.workspace_id = $2 AND e.message_id_header = $3 AND e.direction = 'in'), \
                 (SELECT c.id FROM contact c WHERE c.workspace_id = $2 AND c.email = $4), \
                 (SELECT s.status FROM ticket s WHERE s.id = $5 AND s.workspace_id = $2) \
                 FROM (SELECT 1 AS one) AS probe LEFT JOIN message m ON m.raw_inbound_id = $1",
            ])
        });

        /// An inbound mail's message; returns its id and its ticket's.
        const INSERT_INBOUND_MESSAGE: &str = "INSERT INTO message (workspace_id, ticket_id, kind, author_contact_id, body_text, body_html, \
            display_text, raw_inbound_id, created_at) VALUES ($1, $2, 'public', $3, $4, $5, $6, $7, $8) RETURNING id, ticket_id";

        /// The same, and the ticket's `updated_at` set, in one round trip.
        static INSERT_INBOUND_MESSAGE_TOUCHING_TICKET: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            one_round_trip(&["UPDATE ticket SET updated_at = $8 WHERE id = $2", INSERT_INBOUND_MESSAGE])
        });

        /// A new ticket and its first message, in one round trip (the message
        /// needs the ticket's id, so each backend says it its own way); returns
        /// the message's id and the ticket's.
        fn insert_inbound_ticket() -> &'static str {
            match $backend {
                "sqlite" => concat!(
                    "INSERT INTO ticket (workspace_id, brand_id, subject, status, priority, priority_rank, channel, language, ",
                    "requester_id, mailbox_id, followup_of, created_at, updated_at) ",
                    "VALUES ($1, $2, $3, 'new', $4, $5, 'email', $6, $7, $8, $9, $10, $10);\n",
                    "INSERT INTO message (workspace_id, ticket_id, kind, author_contact_id, body_text, body_html, display_text, ",
                    "raw_inbound_id, created_at) VALUES ($1, last_insert_rowid(), 'public', $7, $11, $12, $13, $14, $10) RETURNING id, ticket_id"
                ),
                _ => concat!(
                    "WITH new_ticket AS (",
                    "INSERT INTO ticket (workspace_id, brand_id, subject, status, priority, priority_rank, channel, language, ",
                    "requester_id, mailbox_id, followup_of, created_at, updated_at) ",
                    "VALUES ($1, $2, $3, 'new', $4, $5, 'email', $6, $7, $8, $9, $10, $10) RETURNING id) ",
                    "INSERT INTO message (workspace_id, ticket_id, kind, author_contact_id, body_text, body_html, display_text, ",
                    "raw_inbound_id, created_at) SELECT $1, new_ticket.id, 'public', $7, $11, $12, $13, $14, $10 FROM new_ticket ",
                    "RETURNING id, ticket_id"
                ),
            }
        }

        async fn load_mailbox(conn: &mut Conn, ws: Id, id: Id) -> Result<MailboxRow> {
            let sql = format!("SELECT {MAILBOX_COLUMNS} FROM mailbox WHERE id = $1 AND workspace_id = $2");
            sqlx::query_as(&sql).bind(id).bind(ws).fetch_one(&mut *conn).await.map_err(not_found("mailbox"))
        }

        /// Finds a contact by email or creates one; returns its id.
        async fn contact_for(conn: &mut Conn, ws: Id, person: &MailPerson, locale: Option<domain::Locale>, at: i64) -> Result<Id> {
            let found = sqlx::query("SELECT id FROM contact WHERE workspace_id = $1 AND email = $2")
                .bind(ws)
                .bind(&person.email)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?;
            if let Some(row) = found {
                return row.try_get(0).map_err(map_err);
            }
            new_contact(conn, ws, person, locale, at).await
        }

        /// Creates the contact for a person not found by email (or finds the
        /// one created meanwhile); returns its id.
        async fn new_contact(conn: &mut Conn, ws: Id, person: &MailPerson, locale: Option<domain::Locale>, at: i64) -> Result<Id> {
            let name = person
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| n.chars().take(200).collect::<String>())
                .unwrap_or_else(|| person.email.split('@').next().unwrap_or(&person.email).to_string());
            // Mail from a new person can be stored by two mailboxes at once:
            // the second to insert finds the first's row instead of failing.
            let inserted = sqlx::query(
                "INSERT INTO contact (workspace_id, name, email, locale, search_text, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (workspace_id, email) WHERE email IS NOT NULL DO NOTHING RETURNING id",
            )
            .bind(ws)
            .bind(&name)
            .bind(&person.email)
            .bind(locale.map(|l| l.as_str()))
            .bind(search_text(&[Some(&name), Some(&person.email)]))
            .bind(at)
            .fetch_optional(&mut *conn)
            .await
            .map_err(map_err)?;
            let row = match inserted {
                Some(row) => row,
                None => sqlx::query("SELECT id FROM contact WHERE workspace_id = $1 AND email = $2")
                    .bind(ws)
                    .bind(&person.email)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(map_err)?,
            };
            row.try_get(0).map_err(map_err)
        }

        /// The ticket with its requester and followers, in one query: the
        /// ticket's row (status is never NULL) comes first, then one row per follower.
        async fn candidate(conn: &mut Conn, ws: Id, ticket_id: Id) -> Result<Option<ThreadCandidate>> {
            let rows = sqlx::query(
                "SELECT 0 AS follower, t.status, t.email_secret, c.email FROM ticket t LEFT JOIN contact c ON c.id = t.requester_id \
                 WHERE t.id = $1 AND t.workspace_id = $2 \
                 UNION ALL \
                 SELECT 1, NULL, NULL, c.email FROM ticket_follower f JOIN contact c ON c.id = f.contact_id \
                 WHERE f.ticket_id = $1 AND c.email IS NOT NULL \
                 ORDER BY follower",
            )
            .bind(ticket_id)
            .bind(ws)
            .fetch_all(&mut *conn)
            .await
            .map_err(map_err)?;
            let Some(first) = rows.first() else { return Ok(None) };
            let Some(status) = first.try_get::<Option<String>, _>(1).map_err(map_err)? else { return Ok(None) };
            let secret: Option<String> = first.try_get(2).map_err(map_err)?;
            let mut participants = Vec::with_capacity(rows.len());
            for row in &rows {
                if let Some(email) = row.try_get::<Option<String>, _>(3).map_err(map_err)? {
                    participants.push(email);
                }
            }
            Ok(Some(ThreadCandidate { ticket_id, closed: status == TicketStatus::Closed.as_str(), participants, email_secret: secret }))
        }

        /// The ticket that owns any of these Message-IDs, first match in order, with its people.
        async fn by_message_ids(conn: &mut Conn, workspace_id: Id, ids: &[String]) -> Result<Option<ThreadCandidate>> {
            let mut wanted: Vec<&str> = Vec::new();
            for id in ids.iter().take(100) {
                if !wanted.contains(&id.as_str()) {
                    wanted.push(id);
                }
            }
            let Some(&last) = wanted.last() else { return Ok(None) };
            // All ids and the candidates they lead to in one query: per id
            // found, its ticket's row (status is never NULL) and one row per
            // follower. The list is padded (with the last id) to one of a few
            // lengths, so only a few statements are ever prepared.
            let slots = [1, 4, 16, 100].into_iter().find(|&n| n >= wanted.len()).unwrap_or(100);
            let list = (0..slots).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT e.message_id_header, e.ticket_id, 0 AS follower, t.status, t.email_secret, c.email FROM email_thread e \
                 JOIN ticket t ON t.id = e.ticket_id AND t.workspace_id = $1 LEFT JOIN contact c ON c.id = t.requester_id \
                 WHERE e.workspace_id = $1 AND e.message_id_header IN ({list}) \
                 UNION ALL \
                 SELECT e.message_id_header, e.ticket_id, 1, NULL, NULL, c.email FROM email_thread e \
                 JOIN ticket_follower f ON f.ticket_id = e.ticket_id JOIN contact c ON c.id = f.contact_id \
                 WHERE e.workspace_id = $1 AND e.message_id_header IN ({list}) AND c.email IS NOT NULL \
                 ORDER BY follower"
            );
            let mut query = sqlx::query(&sql).bind(workspace_id);
            for i in 0..slots {
                query = query.bind(wanted.get(i).copied().unwrap_or(last));
            }
            let rows = query.fetch_all(&mut *conn).await.map_err(map_err)?;
            // (Message-ID, ticket, status: only on the ticket's row, secret, a participant's email)
            let mut found: Vec<(String, i64, Option<String>, Option<String>, Option<String>)> = Vec::with_capacity(rows.len());
            for row in &rows {
                found.push((
                    row.try_get(0).map_err(map_err)?,
                    row.try_get(1).map_err(map_err)?,
                    row.try_get(3).map_err(map_err)?,
                    row.try_get(4).map_err(map_err)?,
                    row.try_get(5).map_err(map_err)?,
                ));
            }
            // The first id in the caller's order that a ticket owns, and that ticket's people.
            let Some(hit) = wanted.iter().find_map(|w| found.iter().find(|f| f.0 == *w && f.2.is_some())) else {
                return Ok(None);
            };
            Ok(Some(ThreadCandidate {
                ticket_id: hit.1,
                closed: hit.2.as_deref() == Some(TicketStatus::Closed.as_str()),
                participants: found.iter().filter(|f| f.0 == hit.0).filter_map(|f| f.4.clone()).collect(),
                email_secret: hit.3.clone(),
            }))
        }

        /// Stores one inbound mail on `conn`, inside the caller's transaction:
        /// appended to `append_to` (unless that ticket is closed), else as a new
        /// ticket. See `MailStore::store_inbound_email`.
        async fn store_inbound(conn: &mut Conn, ws: Id, mail: &InboundEmail, append_to: Option<Id>) -> Result<InboundResult> {
            let system = Actor::system(ws);
            let t = now();
            // One look at what is there already (see `INBOUND_KNOWN`).
            let known = sqlx::query(INBOUND_KNOWN.as_str())
                .bind(mail.raw_inbound_id)
                .bind(ws)
                .bind(&mail.message_id_header)
                .bind(&mail.from.email)
                .bind(append_to)
                .bind(t)
                .fetch_one(&mut *conn)
                .await
                .map_err(map_err)?;
            let existing: Option<i64> = known.try_get(0).map_err(map_err)?;
            let seen_ticket: Option<i64> = known.try_get(3).map_err(map_err)?;
            let known_sender: Option<i64> = known.try_get(5).map_err(map_err)?;
            let status: Option<String> = known.try_get(6).map_err(map_err)?;
            if let Some(message_id) = existing {
                let author: Option<i64> = known.try_get(2).map_err(map_err)?;
                return Ok(InboundResult {
                    message_id,
                    ticket_id: known.try_get(1).map_err(map_err)?,
                    new_ticket: false,
                    duplicate: true,
                    requester_id: author.unwrap_or_default(),
                });
            }
            if let Some(ticket_id) = seen_ticket {
                let message_id: Option<i64> = known.try_get(4).map_err(map_err)?;
                return Ok(InboundResult {
                    message_id: message_id.unwrap_or_default(),
                    ticket_id,
                    new_ticket: false,
                    duplicate: true,
                    requester_id: known_sender.unwrap_or_default(),
                });
            }
            let sender = match known_sender {
                Some(id) => id,
                None => new_contact(&mut *conn, ws, &mail.from, mail.language, t).await?,
            };
            let mut ticket_id = None;
            let mut reopened = false;
            // Set with the message's insert: a reply that does not change the status.
            let mut touch_ticket = false;
            if let (Some(id), Some(status)) = (append_to, status) {
                let status = TicketStatus::parse(&status)?;
                // A closed ticket takes no more mail: the reply becomes a follow-up ticket.
                if status != TicketStatus::Closed {
                    ticket_id = Some(id);
                    if matches!(status, TicketStatus::Solved | TicketStatus::Pending) {
                        reopened = status == TicketStatus::Solved;
                        sqlx::query("UPDATE ticket SET status = 'open', reopened_count = reopened_count + $1, updated_at = $2 WHERE id = $3")
                            .bind(i64::from(reopened))
                            .bind(t)
                            .bind(id)
                            .execute(&mut *conn)
                            .await
                            .map_err(map_err)?;
                        let line = format!("status: {status} → open");
                        insert_message(&mut *conn, &system, id, MessageKind::System, None, (&line, &html::text_to_html(&line)), t).await?;
                    } else {
                        touch_ticket = true;
                    }
                }
            }
            let new_ticket = ticket_id.is_none();
            let row = match ticket_id {
                Some(id) => {
                    let sql = if touch_ticket { INSERT_INBOUND_MESSAGE_TOUCHING_TICKET.as_str() } else { INSERT_INBOUND_MESSAGE };
                    sqlx::query(sql)
                        .bind(ws)
                        .bind(id)
                        .bind(sender)
                        .bind(&mail.body_text)
                        .bind(&mail.body_html)
                        .bind(&mail.display_text)
                        .bind(mail.raw_inbound_id)
                        .bind(t)
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(map_err)?
                }
                None => {
                    let subject = {
                        let s: String = mail.subject.trim().chars().take(500).collect();
                        if s.is_empty() { "(no subject)".to_string() } else { s }
                    };
                    sqlx::query(insert_inbound_ticket())
                        .bind(ws)
                        .bind(mail.brand_id)
                        .bind(&subject)
                        .bind(Priority::Normal.as_str())
                        .bind(Priority::Normal.rank())
                        .bind(mail.language.map(|l| l.as_str()))
                        .bind(sender)
                        .bind(mail.mailbox_id)
                        .bind(append_to)
                        .bind(t)
                        .bind(&mail.body_text)
                        .bind(&mail.body_html)
                        .bind(&mail.display_text)
                        .bind(mail.raw_inbound_id)
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(map_err)?
                }
            };
            let message_id: i64 = row.try_get(0).map_err(map_err)?;
            let ticket_id: i64 = row.try_get(1).map_err(map_err)?;
            for a in &mail.attachments {
                sqlx::query(
                    "INSERT INTO attachment (workspace_id, message_id, filename, content_type, size, sha256, content_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(ws)
                .bind(message_id)
                .bind(&a.file.filename)
                .bind(&a.file.content_type)
                .bind(a.file.size)
                .bind(&a.file.sha256)
                .bind(&a.content_id)
                .bind(t)
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            }
            for f in mail.followers.iter().filter(|f| f.email != mail.from.email) {
                let contact = contact_for(&mut *conn, ws, f, None, t).await?;
                sqlx::query("INSERT INTO ticket_follower (ticket_id, contact_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(ticket_id)
                    .bind(contact)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
            }
            let action = if new_ticket { "ticket.created" } else { "message.created" };
            let details = json!({ "channel": "email", "message_id": message_id, "from": mail.from.email, "reopened": reopened });
            sqlx::query(FINISH_INBOUND.as_str())
                .bind(ws)
                .bind(&mail.message_id_header)
                .bind(ticket_id)
                .bind(message_id)
                .bind(t)
                .bind(action)
                .bind(details.to_string())
                .bind(mail.raw_inbound_id)
                .bind(now())
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            Ok(InboundResult { ticket_id, message_id, new_ticket, duplicate: false, requester_id: sender })
        }


        /// Threading's lookups on the connection of a storing transaction.
        struct TxLookup<'a> {
            conn: &'a mut Conn,
            ws: Id,
        }

        #[async_trait]
        impl ThreadLookup for TxLookup<'_> {
            async fn by_message_ids(&mut self, ids: &[String]) -> Result<Option<ThreadCandidate>> {
                by_message_ids(self.conn, self.ws, ids).await
            }

            async fn by_ticket(&mut self, ticket_id: Id) -> Result<Option<ThreadCandidate>> {
                candidate(self.conn, self.ws, ticket_id).await
            }
        }

        #[async_trait]
        impl MailStore for $store {
            async fn create_mailbox(&self, actor: &Actor, input: &MailboxInput) -> Result<Mailbox> {
                require(actor, Permission::ManageDirectory)?;
                let (name, address) = check_mailbox_input(input)?;
                let (Some(imap_pw), Some(smtp_pw)) = (&input.imap_password_enc, &input.smtp_password_enc) else {
                    return Err(invalid("password", "a new mailbox needs its IMAP and SMTP passwords"));
                };
                let t = now();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                if let Some(b) = input.brand_id {
                    check_ref(&mut tx, actor.workspace_id, Ref::Brand, "brand_id", b).await?;
                }
                let id: i64 = sqlx::query(
                    "INSERT INTO mailbox (workspace_id, brand_id, name, address, imap_host, imap_port, imap_security, imap_username, \
                     imap_password_enc, imap_folder, smtp_host, smtp_port, smtp_security, smtp_username, smtp_password_enc, from_name, \
                     reply_to, max_message_bytes, active, created_at, updated_at, allow_remote_images) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, $21) RETURNING id",
                )
                .bind(actor.workspace_id)
                .bind(input.brand_id)
                .bind(&name)
                .bind(&address)
                .bind(input.imap_host.trim())
                .bind(input.imap_port)
                .bind(input.imap_security.as_str())
                .bind(&input.imap_username)
                .bind(imap_pw)
                .bind(&input.imap_folder)
                .bind(input.smtp_host.trim())
                .bind(input.smtp_port)
                .bind(input.smtp_security.as_str())
                .bind(&input.smtp_username)
                .bind(smtp_pw)
                .bind(&input.from_name)
                .bind(input.reply_to.as_deref().filter(|r| !r.trim().is_empty()))
                .bind(input.max_message_bytes)
                .bind(input.active)
                .bind(t)
                .bind(input.allow_remote_images)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| match map_err(e) {
                    StoreError::Conflict(_) => StoreError::Conflict(format!("a mailbox for {address} already exists")),
                    other => other,
                })?
                .try_get(0)
                .map_err(map_err)?;
                audit(&mut tx, actor, "mailbox.created", "mailbox", id, json!({ "address": address })).await?;
                let row = load_mailbox(&mut tx, actor.workspace_id, id).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(row.into_secrets()?.mailbox)
            }

            async fn update_mailbox(&self, actor: &Actor, id: Id, input: &MailboxInput) -> Result<Mailbox> {
                require(actor, Permission::ManageDirectory)?;
                let (name, address) = check_mailbox_input(input)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let before = load_mailbox(&mut tx, actor.workspace_id, id).await?;
                if let Some(b) = input.brand_id {
                    check_ref(&mut tx, actor.workspace_id, Ref::Brand, "brand_id", b).await?;
                }
                sqlx::query(
                    "UPDATE mailbox SET brand_id = $1, name = $2, address = $3, imap_host = $4, imap_port = $5, imap_security = $6, \
                     imap_username = $7, imap_password_enc = $8, imap_folder = $9, smtp_host = $10, smtp_port = $11, smtp_security = $12, \
                     smtp_username = $13, smtp_password_enc = $14, from_name = $15, reply_to = $16, max_message_bytes = $17, active = $18, \
                     updated_at = $19, allow_remote_images = $21 WHERE id = $20",
                )
                .bind(input.brand_id)
                .bind(&name)
                .bind(&address)
                .bind(input.imap_host.trim())
                .bind(input.imap_port)
                .bind(input.imap_security.as_str())
                .bind(&input.imap_username)
                .bind(input.imap_password_enc.as_ref().unwrap_or(&before.imap_password_enc))
                .bind(&input.imap_folder)
                .bind(input.smtp_host.trim())
                .bind(input.smtp_port)
                .bind(input.smtp_security.as_str())
                .bind(&input.smtp_username)
                .bind(input.smtp_password_enc.as_ref().unwrap_or(&before.smtp_password_enc))
                .bind(&input.from_name)
                .bind(input.reply_to.as_deref().filter(|r| !r.trim().is_empty()))
                .bind(input.max_message_bytes)
                .bind(input.active)
                .bind(now())
                .bind(id)
                .bind(input.allow_remote_images)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                let changed_secrets = input.imap_password_enc.is_some() || input.smtp_password_enc.is_some();
                audit(&mut tx, actor, "mailbox.updated", "mailbox", id, json!({ "address": [before.address, address], "credentials_changed": changed_secrets, "allow_remote_images": [before.allow_remote_images, input.allow_remote_images] })).await?;
                let row = load_mailbox(&mut tx, actor.workspace_id, id).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(row.into_secrets()?.mailbox)
            }

            async fn get_mailbox(&self, actor: &Actor, id: Id) -> Result<Mailbox> {
                require(actor, Permission::ManageDirectory)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                Ok(load_mailbox(&mut conn, actor.workspace_id, id).await?.into_secrets()?.mailbox)
            }

            async fn list_mailboxes(&self, actor: &Actor) -> Result<Vec<Mailbox>> {
                require(actor, Permission::ManageDirectory)?;
                let sql = format!("SELECT {MAILBOX_COLUMNS} FROM mailbox WHERE workspace_id = $1 ORDER BY id");
                let rows: Vec<MailboxRow> = sqlx::query_as(&sql).bind(actor.workspace_id).fetch_all(&self.read).await.map_err(map_err)?;
                rows.into_iter().map(|r| Ok(r.into_secrets()?.mailbox)).collect()
            }

            async fn delete_mailbox(&self, actor: &Actor, id: Id) -> Result<()> {
                require(actor, Permission::ManageDirectory)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let row = load_mailbox(&mut tx, actor.workspace_id, id).await?;
                sqlx::query("DELETE FROM mailbox WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                audit(&mut tx, actor, "mailbox.deleted", "mailbox", id, json!({ "address": row.address })).await?;
                tx.commit().await.map_err(map_err)
            }

            async fn active_mailboxes(&self) -> Result<Vec<MailboxSecrets>> {
                let sql = format!("SELECT {MAILBOX_COLUMNS} FROM mailbox WHERE active = TRUE ORDER BY id");
                let rows: Vec<MailboxRow> = sqlx::query_as(&sql).fetch_all(&self.read).await.map_err(map_err)?;
                rows.into_iter().map(MailboxRow::into_secrets).collect()
            }

            async fn mailbox_secrets(&self, mailbox_id: Id) -> Result<MailboxSecrets> {
                let sql = format!("SELECT {MAILBOX_COLUMNS} FROM mailbox WHERE id = $1");
                let row: MailboxRow = sqlx::query_as(&sql).bind(mailbox_id).fetch_one(&self.read).await.map_err(not_found("mailbox"))?;
                row.into_secrets()
            }

            async fn set_mailbox_sync(&self, mailbox_id: Id, uid_validity: i64, last_uid: i64, error: Option<&str>) -> Result<()> {
                sqlx::query("UPDATE mailbox SET uid_validity = $1, last_uid = $2, last_error = $3 WHERE id = $4")
                    .bind(uid_validity)
                    .bind(last_uid)
                    .bind(error)
                    .bind(mailbox_id)
                    .execute(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                Ok(())
            }

            async fn set_mailbox_error(&self, mailbox_id: Id, error: Option<&str>) -> Result<()> {
                sqlx::query("UPDATE mailbox SET last_error = $1 WHERE id = $2")
                    .bind(error)
                    .bind(mailbox_id)
                    .execute(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                Ok(())
            }

            async fn thread_by_message_ids(&self, workspace_id: Id, ids: &[String]) -> Result<Option<ThreadCandidate>> {
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                by_message_ids(&mut conn, workspace_id, ids).await
            }

            async fn thread_candidate(&self, workspace_id: Id, ticket_id: Id) -> Result<Option<ThreadCandidate>> {
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                candidate(&mut conn, workspace_id, ticket_id).await
            }

            async fn mail_display(&self, actor: &Actor, ticket_id: Id) -> Result<MailDisplay> {
                ticket_readable(actor)?;
                let ws = actor.workspace_id;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                let ticket = visible_ticket(&mut conn, actor, ticket_id).await?;
                let allow_remote_images = match ticket.mailbox_id {
                    Some(m) => sqlx::query("SELECT allow_remote_images FROM mailbox WHERE id = $1 AND workspace_id = $2")
                        .bind(m)
                        .bind(ws)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(map_err)?
                        .map(|r| r.try_get::<bool, _>(0))
                        .transpose()
                        .map_err(map_err)?
                        .unwrap_or(false),
                    None => false,
                };
                let rows = sqlx::query(
                    "SELECT a.message_id, a.content_id, a.id FROM attachment a JOIN message m ON m.id = a.message_id \
                     WHERE m.ticket_id = $1 AND a.workspace_id = $2 AND a.content_id IS NOT NULL ORDER BY a.id",
                )
                .bind(ticket_id)
                .bind(ws)
                .fetch_all(&mut *conn)
                .await
                .map_err(map_err)?;
                let mut inline_images = Vec::with_capacity(rows.len());
                for r in &rows {
                    inline_images.push(InlineImage {
                        message_id: r.try_get(0).map_err(map_err)?,
                        content_id: r.try_get(1).map_err(map_err)?,
                        attachment_id: r.try_get(2).map_err(map_err)?,
                    });
                }
                Ok(MailDisplay { allow_remote_images, inline_images })
            }

            async fn thread_message_ids(&self, workspace_id: Id, ticket_id: Id) -> Result<Vec<String>> {
                let rows = sqlx::query(
                    "SELECT message_id_header FROM email_thread WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY created_at, message_id_header",
                )
                .bind(workspace_id)
                .bind(ticket_id)
                .fetch_all(&self.read)
                .await
                .map_err(map_err)?;
                rows.iter().map(|r| r.try_get::<String, _>(0).map_err(map_err)).collect()
            }

            async fn message_for_raw_inbound(&self, workspace_id: Id, raw_inbound_id: Id) -> Result<Option<Id>> {
                let row = sqlx::query("SELECT id FROM message WHERE raw_inbound_id = $1 AND workspace_id = $2")
                    .bind(raw_inbound_id)
                    .bind(workspace_id)
                    .fetch_optional(&self.read)
                    .await
                    .map_err(map_err)?;
                row.map(|r| r.try_get::<i64, _>(0).map_err(map_err)).transpose()
            }

            async fn inbound_message_id_seen(&self, workspace_id: Id, message_id_header: &str) -> Result<bool> {
                let row = sqlx::query("SELECT 1 FROM email_thread WHERE workspace_id = $1 AND message_id_header = $2 AND direction = 'in'")
                    .bind(workspace_id)
                    .bind(message_id_header)
                    .fetch_optional(&self.read)
                    .await
                    .map_err(map_err)?;
                Ok(row.is_some())
            }

            async fn store_inbound_email(&self, ws: Id, mail: &InboundEmail) -> Result<InboundResult> {
                let mut stored = self.store_inbound_batch(ws, std::slice::from_ref(mail), None).await?;
                stored.pop().ok_or_else(|| StoreError::Other("a batch of one stored nothing".into()))
            }

            async fn put_raw_mails(&self, ws: Id, mails: &[(&str, &[u8])]) -> Result<Vec<RawMail>> {
                let t = now();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let mut out = Vec::with_capacity(mails.len());
                for (key, bytes) in mails {
                    let inserted = sqlx::query(
                        "INSERT INTO raw_inbound (workspace_id, channel, source_key, bytes, size, status, received_at) \
                         VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT DO NOTHING RETURNING id, status",
                    )
                    .bind(ws)
                    .bind(Channel::Email.as_str())
                    .bind(*key)
                    .bind(*bytes)
                    .bind(bytes.len() as i64)
                    .bind(t)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    // Stored before (fetched again after a crash or a lost flag): as it is.
                    let row = match inserted {
                        Some(row) => row,
                        None => sqlx::query("SELECT id, status FROM raw_inbound WHERE workspace_id = $1 AND channel = $2 AND source_key = $3")
                            .bind(ws)
                            .bind(Channel::Email.as_str())
                            .bind(*key)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?,
                    };
                    let status: String = row.try_get(1).map_err(map_err)?;
                    out.push(RawMail { id: row.try_get(0).map_err(map_err)?, pending: status == "pending" });
                }
                tx.commit().await.map_err(map_err)?;
                Ok(out)
            }

            async fn store_inbound_batch(&self, ws: Id, mails: &[InboundEmail], rules: Option<&dyn InboundRules>) -> Result<Vec<InboundResult>> {
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let mut out = Vec::with_capacity(mails.len());
                for (i, mail) in mails.iter().enumerate() {
                    let ticket_id = match rules {
                        Some(rules) => rules.ticket_for(i, &mut TxLookup { conn: &mut tx, ws }).await?,
                        None => mail.ticket_id,
                    };
                    let stored = store_inbound(&mut tx, ws, mail, ticket_id).await?;
                    if let Some(reply) = rules.filter(|_| !stored.duplicate).and_then(|r| r.reply_to_stored(i, &stored)) {
                        sqlx::query("UPDATE ticket SET email_secret = $1 WHERE id = $2 AND workspace_id = $3 AND email_secret IS NULL")
                            .bind(&reply.ticket_secret)
                            .bind(stored.ticket_id)
                            .bind(ws)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        enqueue(&mut tx, ws, &reply.mail, now()).await?;
                    }
                    out.push(stored);
                }
                tx.commit().await.map_err(map_err)?;
                Ok(out)
            }

            async fn ticket_email_secret(&self, ws: Id, ticket_id: Id, fresh: &str) -> Result<String> {
                sqlx::query("UPDATE ticket SET email_secret = $1 WHERE id = $2 AND workspace_id = $3 AND email_secret IS NULL")
                    .bind(fresh)
                    .bind(ticket_id)
                    .bind(ws)
                    .execute(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                sqlx::query("SELECT email_secret FROM ticket WHERE id = $1 AND workspace_id = $2")
                    .bind(ticket_id)
                    .bind(ws)
                    .fetch_one(&mut *self.writer().await?)
                    .await
                    .map_err(not_found("ticket"))?
                    .try_get(0)
                    .map_err(map_err)
            }

            async fn enqueue_outbound(&self, ws: Id, mail: &NewOutbound) -> Result<Outbound> {
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let queued = enqueue(&mut tx, ws, mail, now()).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(queued)
            }

            async fn claim_outbound(&self, now_ts: Timestamp, lease_until: Timestamp, limit: i64) -> Result<Vec<Outbound>> {
                let sql = format!(
                    "UPDATE outbound_email SET status = 'sending', attempts = attempts + 1, next_attempt_at = $1 \
                     WHERE id IN (SELECT id FROM outbound_email WHERE status IN ('queued', 'sending') AND next_attempt_at <= $2 \
                     ORDER BY next_attempt_at, id LIMIT $3 {}) RETURNING {OUTBOUND_COLUMNS}",
                    $skip_locked
                );
                let rows: Vec<OutboundRow> = sqlx::query_as(&sql)
                    .bind(lease_until.millis())
                    .bind(now_ts.millis())
                    .bind(limit)
                    .fetch_all(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                rows.into_iter().map(OutboundRow::into_model).collect()
            }

            async fn finish_outbound(&self, id: Id, result: &DeliveryResult) -> Result<()> {
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let message: Option<i64> = sqlx::query("SELECT message_id FROM outbound_email WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(not_found("outbound email"))?
                    .try_get(0)
                    .map_err(map_err)?;
                let t = now();
                let (status, next, error, sent_at, shown) = match result {
                    DeliveryResult::Sent => ("sent", t, None, Some(t), "sent"),
                    DeliveryResult::Retry { at, error } => ("queued", at.millis(), Some(error.as_str()), None, "retrying"),
                    DeliveryResult::Failed { error } => ("failed", t, Some(error.as_str()), None, "failed"),
                };
                sqlx::query("UPDATE outbound_email SET status = $1, next_attempt_at = $2, last_error = COALESCE($3, last_error), sent_at = $4 WHERE id = $5")
                    .bind(status)
                    .bind(next)
                    .bind(error)
                    .bind(sent_at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if let Some(m) = message {
                    set_delivery_status(&mut tx, m, shown).await?;
                }
                tx.commit().await.map_err(map_err)
            }

            async fn list_outbound(&self, actor: &Actor, ticket_id: Option<Id>, limit: i64) -> Result<Vec<Outbound>> {
                match ticket_id {
                    Some(t) => {
                        ticket_readable(actor)?;
                        let mut conn = self.read.acquire().await.map_err(map_err)?;
                        visible_ticket(&mut conn, actor, t).await?;
                    }
                    None => require(actor, Permission::ReadAudit)?,
                }
                let sql = format!(
                    "SELECT {OUTBOUND_COLUMNS} FROM outbound_email WHERE workspace_id = $1 AND ($2 IS NULL OR ticket_id = $2) ORDER BY id DESC LIMIT $3"
                );
                let rows: Vec<OutboundRow> = sqlx::query_as(&sql)
                    .bind(actor.workspace_id)
                    .bind(ticket_id)
                    .bind(limit)
                    .fetch_all(&self.read)
                    .await
                    .map_err(map_err)?;
                rows.into_iter().map(OutboundRow::into_model).collect()
            }
        }

        /// Puts a mail in the outbound queue, and its Message-ID on its ticket's thread.
        async fn enqueue(conn: &mut Conn, ws: Id, mail: &NewOutbound, t: i64) -> Result<Outbound> {
            let sql = format!(
                "INSERT INTO outbound_email (workspace_id, mailbox_id, ticket_id, message_id, kind, recipients, message_id_header, raw, \
                 status, attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', 0, $9, $9) \
                 RETURNING {OUTBOUND_COLUMNS}"
            );
            let row: OutboundRow = sqlx::query_as(&sql)
                .bind(ws)
                .bind(mail.mailbox_id)
                .bind(mail.ticket_id)
                .bind(mail.message_id)
                .bind(mail.kind.as_str())
                .bind(serde_json::to_string(&mail.recipients).expect("strings serialise"))
                .bind(&mail.message_id_header)
                .bind(&mail.raw)
                .bind(t)
                .fetch_one(&mut *conn)
                .await
                .map_err(map_err)?;
            if let Some(ticket) = mail.ticket_id {
                sqlx::query(
                    "INSERT INTO email_thread (workspace_id, message_id_header, ticket_id, message_id, direction, created_at) \
                     VALUES ($1, $2, $3, $4, 'out', $5) ON CONFLICT DO NOTHING",
                )
                .bind(ws)
                .bind(&mail.message_id_header)
                .bind(ticket)
                .bind(mail.message_id)
                .bind(t)
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            }
            if let Some(m) = mail.message_id {
                set_delivery_status(&mut *conn, m, "queued").await?;
            }
            row.into_model()
        }

        async fn set_delivery_status(conn: &mut Conn, message_id: Id, status: &str) -> Result<()> {
            sqlx::query("UPDATE message SET delivery_status = $1 WHERE id = $2")
                .bind(status)
                .bind(message_id)
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            Ok(())
        }

    };
}
