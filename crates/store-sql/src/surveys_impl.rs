/// Surveys in SQL: settings, invitation planning with the throttle, sending
/// through the outbound mail queue, answers with their change window, the
/// low-score loop, and the rows the experience KPIs read. Expanded inside
/// `impl_sql_store!`'s scope (helpers: `audit`, `check_ref`, `visible_ticket`,
/// `record_event_in`, `metrics_conditions`...).
#[macro_export]
#[doc(hidden)]
macro_rules! impl_sql_surveys_store {
    ($store:ty, $db:ty) => {
        use $crate::__private::rapport_analytics::experience::ResponseRow;
        use $crate::__private::rapport_store::surveys::*;

        const SURVEY_COLUMNS: &str = "id, kind, name, active, brand_id, delay_minutes, throttle_days, change_window_hours, expires_after_days, \
            alert_at_or_below, follow_up_user_id, segment_organization_ids, questions, created_at, updated_at";
        const INVITATION_COLUMNS: &str = "id, survey_id, kind, contact_id, ticket_id, locale, brand_id, team_id, agent_id, channel, language, \
            status, skip_reason, delivery, created_at, sent_at, expires_at";
        const RESPONSE_COLUMNS: &str = "id, invitation_id, survey_id, kind, contact_id, ticket_id, agent_id, team_id, brand_id, channel, language, \
            score, comment, answers, answered_at, updated_at, revision";
        const SURVEY_DAY: i64 = 24 * 3600 * 1000;
        /// How far back planning looks for solved tickets not yet surveyed.
        const SOLVE_LOOKBACK: i64 = 7 * SURVEY_DAY;
        const MAX_COMMENT: usize = 2000;
        const MAX_EXTRA_ANSWER: usize = 1000;

        /// `i.id, i.survey_id, ...` for a joined query.
        fn prefixed(alias: &str, columns: &str) -> String {
            columns.split(',').map(|c| format!("{alias}.{}", c.trim())).collect::<Vec<_>>().join(", ")
        }

        fn corrupt(what: &'static str) -> impl Fn(domain::DomainError) -> StoreError {
            move |e| StoreError::Other(format!("corrupt {what}: {e}"))
        }

        fn survey_at(row: &<$db as sqlx::Database>::Row, o: usize) -> Result<Survey> {
            let kind: String = row.try_get(o + 1).map_err(map_err)?;
            let segment: String = row.try_get(o + 11).map_err(map_err)?;
            let questions: String = row.try_get(o + 12).map_err(map_err)?;
            Ok(Survey {
                id: row.try_get(o).map_err(map_err)?,
                kind: SurveyKind::parse(&kind).map_err(corrupt("survey"))?,
                name: row.try_get(o + 2).map_err(map_err)?,
                active: row.try_get(o + 3).map_err(map_err)?,
                brand_id: row.try_get(o + 4).map_err(map_err)?,
                delay_minutes: row.try_get(o + 5).map_err(map_err)?,
                throttle_days: row.try_get(o + 6).map_err(map_err)?,
                change_window_hours: row.try_get(o + 7).map_err(map_err)?,
                expires_after_days: row.try_get(o + 8).map_err(map_err)?,
                alert_at_or_below: row.try_get(o + 9).map_err(map_err)?,
                follow_up_user_id: row.try_get(o + 10).map_err(map_err)?,
                segment_organization_ids: serde_json::from_str(&segment).map_err(|e| StoreError::Other(format!("corrupt survey: {e}")))?,
                questions: serde_json::from_str(&questions).map_err(|e| StoreError::Other(format!("corrupt survey: {e}")))?,
                created_at: Timestamp(row.try_get(o + 13).map_err(map_err)?),
                updated_at: Timestamp(row.try_get(o + 14).map_err(map_err)?),
            })
        }

        fn invitation_at(row: &<$db as sqlx::Database>::Row, o: usize) -> Result<Invitation> {
            let kind: String = row.try_get(o + 2).map_err(map_err)?;
            let locale: String = row.try_get(o + 5).map_err(map_err)?;
            let channel: Option<String> = row.try_get(o + 9).map_err(map_err)?;
            let language: Option<String> = row.try_get(o + 10).map_err(map_err)?;
            let status: String = row.try_get(o + 11).map_err(map_err)?;
            Ok(Invitation {
                id: row.try_get(o).map_err(map_err)?,
                survey_id: row.try_get(o + 1).map_err(map_err)?,
                kind: SurveyKind::parse(&kind).map_err(corrupt("invitation"))?,
                contact_id: row.try_get(o + 3).map_err(map_err)?,
                ticket_id: row.try_get(o + 4).map_err(map_err)?,
                locale: domain::Locale::parse(&locale).map_err(corrupt("invitation"))?,
                brand_id: row.try_get(o + 6).map_err(map_err)?,
                team_id: row.try_get(o + 7).map_err(map_err)?,
                agent_id: row.try_get(o + 8).map_err(map_err)?,
                channel: channel.as_deref().map(Channel::parse).transpose().map_err(corrupt("invitation"))?,
                language: language.as_deref().map(domain::Locale::parse).transpose().map_err(corrupt("invitation"))?,
                status: InvitationStatus::parse(&status).map_err(corrupt("invitation"))?,
                skip_reason: row.try_get(o + 12).map_err(map_err)?,
                delivery: row.try_get(o + 13).map_err(map_err)?,
                created_at: Timestamp(row.try_get(o + 14).map_err(map_err)?),
                sent_at: row.try_get::<Option<i64>, _>(o + 15).map_err(map_err)?.map(Timestamp),
                expires_at: Timestamp(row.try_get(o + 16).map_err(map_err)?),
            })
        }

        fn response_at(row: &<$db as sqlx::Database>::Row, o: usize) -> Result<SurveyResponse> {
            let kind: String = row.try_get(o + 3).map_err(map_err)?;
            let channel: Option<String> = row.try_get(o + 9).map_err(map_err)?;
            let language: Option<String> = row.try_get(o + 10).map_err(map_err)?;
            let answers: String = row.try_get(o + 13).map_err(map_err)?;
            Ok(SurveyResponse {
                id: row.try_get(o).map_err(map_err)?,
                invitation_id: row.try_get(o + 1).map_err(map_err)?,
                survey_id: row.try_get(o + 2).map_err(map_err)?,
                kind: SurveyKind::parse(&kind).map_err(corrupt("response"))?,
                contact_id: row.try_get(o + 4).map_err(map_err)?,
                ticket_id: row.try_get(o + 5).map_err(map_err)?,
                agent_id: row.try_get(o + 6).map_err(map_err)?,
                team_id: row.try_get(o + 7).map_err(map_err)?,
                brand_id: row.try_get(o + 8).map_err(map_err)?,
                channel: channel.as_deref().map(Channel::parse).transpose().map_err(corrupt("response"))?,
                language: language.as_deref().map(domain::Locale::parse).transpose().map_err(corrupt("response"))?,
                score: row.try_get(o + 11).map_err(map_err)?,
                comment: row.try_get(o + 12).map_err(map_err)?,
                answers: serde_json::from_str(&answers).map_err(|e| StoreError::Other(format!("corrupt response: {e}")))?,
                answered_at: Timestamp(row.try_get(o + 14).map_err(map_err)?),
                updated_at: Timestamp(row.try_get(o + 15).map_err(map_err)?),
                revision: row.try_get(o + 16).map_err(map_err)?,
            })
        }

        const TASK_COLUMNS: &str = "id, owner_user_id, title, body, ticket_id, contact_id, survey_response_id, status, due_at, created_at, done_at";

        fn task_of(row: &<$db as sqlx::Database>::Row) -> Result<Task> {
            let status: String = row.try_get(7).map_err(map_err)?;
            Ok(Task {
                id: row.try_get(0).map_err(map_err)?,
                owner_user_id: row.try_get(1).map_err(map_err)?,
                title: row.try_get(2).map_err(map_err)?,
                body: row.try_get(3).map_err(map_err)?,
                ticket_id: row.try_get(4).map_err(map_err)?,
                contact_id: row.try_get(5).map_err(map_err)?,
                survey_response_id: row.try_get(6).map_err(map_err)?,
                status: TaskStatus::parse(&status).map_err(corrupt("task"))?,
                due_at: row.try_get::<Option<i64>, _>(8).map_err(map_err)?.map(Timestamp),
                created_at: Timestamp(row.try_get(9).map_err(map_err)?),
                done_at: row.try_get::<Option<i64>, _>(10).map_err(map_err)?.map(Timestamp),
            })
        }

        /// A survey's settings, checked and with the kind's defaults filled in.
        struct CheckedSurvey {
            name: String,
            delay_minutes: i64,
            throttle_days: i64,
            change_window_hours: i64,
            expires_after_days: i64,
            alert_at_or_below: i64,
            questions: SurveyQuestions,
        }

        fn in_range(field: &'static str, v: Option<i64>, default: i64, lo: i64, hi: i64) -> Result<i64> {
            let v = v.unwrap_or(default);
            if v < lo || v > hi {
                return Err(invalid(field, format!("must be between {lo} and {hi}")));
            }
            Ok(v)
        }

        fn check_localized(field: &'static str, text: &Localized, max: usize) -> Result<Localized> {
            let mut out = Localized::new();
            for (l, t) in text {
                let t = t.trim();
                if t.chars().count() > max {
                    return Err(invalid(field, format!("the {l} text must be at most {max} characters")));
                }
                if !t.is_empty() {
                    out.insert(*l, t.to_string());
                }
            }
            Ok(out)
        }

        fn check_survey(input: &SurveyInput) -> Result<CheckedSurvey> {
            let kind = input.kind;
            let name = non_empty("name", &input.name, 200)?;
            let (lo, hi) = kind.scale();
            let follows = kind.follows_tickets();
            if !follows && input.delay_minutes.is_some_and(|d| d != 0) {
                return Err(invalid("delay_minutes", "NPS surveys follow a schedule, not a solved ticket"));
            }
            if follows && !input.segment_organization_ids.is_empty() {
                return Err(invalid("segment_organization_ids", "only NPS surveys go to a segment; CSAT and CES follow solved tickets"));
            }
            let mut extra = Vec::new();
            if input.questions.extra.len() > 5 {
                return Err(invalid("questions.extra", "at most 5 extra questions"));
            }
            for q in &input.questions.extra {
                let key = q.key.trim().to_string();
                if key.is_empty() || key.len() > 40 || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                    return Err(invalid("questions.extra.key", format!("'{key}' must be 1-40 of a-z, 0-9 and _")));
                }
                if extra.iter().any(|e: &ExtraQuestion| e.key == key) {
                    return Err(invalid("questions.extra.key", format!("'{key}' is used twice")));
                }
                let label = check_localized("questions.extra.label", &q.label, 300)?;
                if label.is_empty() {
                    return Err(invalid("questions.extra.label", format!("question '{key}' needs a label in at least one language")));
                }
                if q.choices.len() > 10 || q.choices.iter().any(|c| c.trim().is_empty() || c.chars().count() > 100) {
                    return Err(invalid("questions.extra.choices", "at most 10 choices of 1 to 100 characters"));
                }
                extra.push(ExtraQuestion { key, label, choices: q.choices.iter().map(|c| c.trim().to_string()).collect() });
            }
            Ok(CheckedSurvey {
                name,
                delay_minutes: in_range("delay_minutes", input.delay_minutes, if follows { 30 } else { 0 }, 0, 30 * 24 * 60)?,
                throttle_days: in_range("throttle_days", input.throttle_days, if follows { 3 } else { 90 }, 0, 730)?,
                change_window_hours: in_range("change_window_hours", input.change_window_hours, 72, 0, 720)?,
                expires_after_days: in_range("expires_after_days", input.expires_after_days, if follows { 14 } else { 30 }, 1, 365)?,
                alert_at_or_below: in_range("alert_at_or_below", input.alert_at_or_below, kind.default_alert_at_or_below(), lo, hi)?,
                questions: SurveyQuestions {
                    question: check_localized("questions.question", &input.questions.question, 300)?,
                    follow_up: check_localized("questions.follow_up", &input.questions.follow_up, 300)?,
                    extra,
                },
            })
        }

        async fn check_survey_refs(conn: &mut Conn, ws: Id, input: &SurveyInput) -> Result<()> {
            if let Some(b) = input.brand_id {
                check_ref(conn, ws, Ref::Brand, "brand_id", b).await?;
            }
            if let Some(u) = input.follow_up_user_id {
                check_ref(conn, ws, Ref::User, "follow_up_user_id", u).await?;
            }
            for o in &input.segment_organization_ids {
                check_ref(conn, ws, Ref::Organization, "segment_organization_ids", *o).await?;
            }
            Ok(())
        }

        async fn load_survey(conn: &mut Conn, ws: Id, id: Id) -> Result<Survey> {
            let sql = format!("SELECT {SURVEY_COLUMNS} FROM survey WHERE id = $1 AND workspace_id = $2");
            let row = sqlx::query(&sql).bind(id).bind(ws).fetch_optional(&mut *conn).await.map_err(map_err)?.ok_or(StoreError::NotFound("survey"))?;
            survey_at(&row, 0)
        }

        async fn load_invitation(conn: &mut Conn, id: Id) -> Result<(Id, Invitation)> {
            let sql = format!("SELECT workspace_id, {INVITATION_COLUMNS} FROM survey_invitation WHERE id = $1");
            let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await.map_err(map_err)?.ok_or(StoreError::NotFound("survey invitation"))?;
            Ok((row.try_get(0).map_err(map_err)?, invitation_at(&row, 1)?))
        }

        /// Takes the contact's turn for a survey of this kind: `true` (and the
        /// turn recorded) unless one was sent within `throttle_days`.
        async fn take_survey_turn(conn: &mut Conn, ws: Id, contact: Id, kind: SurveyKind, throttle_days: i64, at: i64) -> Result<bool> {
            let row = sqlx::query(
                "INSERT INTO survey_throttle (workspace_id, contact_id, kind, last_invited_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (workspace_id, contact_id, kind) DO UPDATE SET last_invited_at = excluded.last_invited_at \
                 WHERE survey_throttle.last_invited_at <= $5 RETURNING contact_id",
            )
            .bind(ws)
            .bind(contact)
            .bind(kind.as_str())
            .bind(at)
            .bind(at - throttle_days * SURVEY_DAY)
            .fetch_optional(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(row.is_some())
        }

        /// The ticket (if any) and contact a new invitation is about.
        struct InviteTarget {
            ticket_id: Option<Id>,
            contact_id: Option<Id>,
            contact_email: Option<String>,
            locale: domain::Locale,
            brand_id: Option<Id>,
            team_id: Option<Id>,
            agent_id: Option<Id>,
            channel: Option<String>,
            language: Option<String>,
        }

        /// The requester of a ticket as an invitation target, in the contact's language
        /// (else the ticket's, else the brand's, else English).
        async fn ticket_target(conn: &mut Conn, ws: Id, ticket_id: Id) -> Result<InviteTarget> {
            let row = sqlx::query(
                "SELECT t.requester_id, t.brand_id, t.team_id, t.assignee_id, t.channel, t.language, c.email, c.locale, b.default_locale \
                 FROM ticket t LEFT JOIN contact c ON c.id = t.requester_id LEFT JOIN brand b ON b.id = t.brand_id \
                 WHERE t.id = $1 AND t.workspace_id = $2",
            )
            .bind(ticket_id)
            .bind(ws)
            .fetch_optional(&mut *conn)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound("ticket"))?;
            let language: Option<String> = row.try_get(5).map_err(map_err)?;
            let contact_locale: Option<String> = row.try_get(7).map_err(map_err)?;
            let brand_locale: Option<String> = row.try_get(8).map_err(map_err)?;
            let locale = [contact_locale, language.clone(), brand_locale]
                .into_iter()
                .flatten()
                .find_map(|l| domain::Locale::parse(&l).ok())
                .unwrap_or(domain::Locale::En);
            Ok(InviteTarget {
                ticket_id: Some(ticket_id),
                contact_id: row.try_get(0).map_err(map_err)?,
                contact_email: row.try_get(6).map_err(map_err)?,
                locale,
                brand_id: row.try_get(1).map_err(map_err)?,
                team_id: row.try_get(2).map_err(map_err)?,
                agent_id: row.try_get(3).map_err(map_err)?,
                channel: row.try_get(4).map_err(map_err)?,
                language,
            })
        }

        async fn insert_invitation(
            conn: &mut Conn,
            ws: Id,
            survey: &Survey,
            target: &InviteTarget,
            (status, skip_reason, delivery): (InvitationStatus, Option<&str>, Option<&str>),
            at: i64,
        ) -> Result<Invitation> {
            let sql = format!(
                "INSERT INTO survey_invitation (workspace_id, survey_id, kind, contact_id, ticket_id, locale, brand_id, team_id, agent_id, channel, \
                 language, status, skip_reason, delivery, created_at, sent_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING {INVITATION_COLUMNS}"
            );
            let row = sqlx::query(&sql)
                .bind(ws)
                .bind(survey.id)
                .bind(survey.kind.as_str())
                .bind(target.contact_id)
                .bind(target.ticket_id)
                .bind(target.locale.as_str())
                .bind(target.brand_id.or(survey.brand_id))
                .bind(target.team_id)
                .bind(target.agent_id)
                .bind(target.channel.as_deref())
                .bind(target.language.as_deref())
                .bind(status.as_str())
                .bind(skip_reason)
                .bind(delivery)
                .bind(at)
                .bind((status == InvitationStatus::Sent).then_some(at))
                .bind(at + survey.expires_after_days * SURVEY_DAY)
                .fetch_one(&mut *conn)
                .await
                .map_err(map_err)?;
            invitation_at(&row, 0)
        }

        /// Plans one ticket's survey: skipped (with the reason) or pending.
        async fn plan_for_ticket(conn: &mut Conn, ws: Id, survey: &Survey, ticket_id: Id, at: i64) -> Result<Invitation> {
            let target = ticket_target(conn, ws, ticket_id).await?;
            let skip = match (target.contact_id, target.contact_email.as_deref()) {
                (None, _) => Some("no_requester"),
                (Some(_), None) => Some("no_email"),
                (Some(c), Some(_)) => (!take_survey_turn(conn, ws, c, survey.kind, survey.throttle_days, at).await?).then_some("throttled"),
            };
            match skip {
                Some(reason) => insert_invitation(conn, ws, survey, &target, (InvitationStatus::Skipped, Some(reason), None), at).await,
                None => insert_invitation(conn, ws, survey, &target, (InvitationStatus::Pending, None, Some("email")), at).await,
            }
        }

        /// Plans the invitations of one survey; returns (planned, skipped).
        async fn plan_survey(conn: &mut Conn, ws: Id, survey: &Survey, now_ms: i64, limit: i64) -> Result<(usize, usize)> {
            let (mut planned, mut skipped) = (0, 0);
            let mut count = |inv: &Invitation| {
                if inv.status == InvitationStatus::Skipped {
                    skipped += 1;
                } else {
                    planned += 1;
                }
            };
            if survey.kind.follows_tickets() {
                let until = now_ms - survey.delay_minutes * 60_000;
                let brand = survey.brand_id.map(|b| format!(" AND t.brand_id = {b}")).unwrap_or_default();
                // A reopen cancels: only tickets still solved (or closed) whose last solve is old enough.
                let sql = format!(
                    "SELECT t.id FROM ticket t WHERE t.id IN (SELECT sc.ticket_id FROM ticket_status_change sc WHERE sc.workspace_id = $1 \
                     AND sc.to_status = 'solved' AND sc.changed_at >= $2 AND sc.changed_at <= $3) \
                     AND t.status IN ('solved', 'closed') AND t.merged_into_id IS NULL AND t.solved_at <= $3{brand} \
                     AND NOT EXISTS (SELECT 1 FROM survey_invitation i WHERE i.survey_id = $4 AND i.ticket_id = t.id) \
                     ORDER BY t.solved_at, t.id LIMIT $5"
                );
                let ids: Vec<i64> = sqlx::query(&sql)
                    .bind(ws)
                    .bind(until - SOLVE_LOOKBACK)
                    .bind(until)
                    .bind(survey.id)
                    .bind(limit)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?
                    .iter()
                    .map(|r| r.try_get::<i64, _>(0))
                    .collect::<std::result::Result<_, _>>()
                    .map_err(map_err)?;
                for id in ids {
                    let inv = plan_for_ticket(conn, ws, survey, id, now_ms).await?;
                    count(&inv);
                }
            } else {
                let segment = if survey.segment_organization_ids.is_empty() {
                    String::new()
                } else {
                    let orgs: Vec<String> = survey.segment_organization_ids.iter().map(|o| o.to_string()).collect();
                    format!(" AND c.id IN (SELECT contact_id FROM contact_organization WHERE organization_id IN ({}))", orgs.join(", "))
                };
                let sql = format!(
                    "SELECT c.id, c.locale FROM contact c WHERE c.workspace_id = $1 AND c.email IS NOT NULL{segment} \
                     AND NOT EXISTS (SELECT 1 FROM survey_throttle st WHERE st.workspace_id = $1 AND st.contact_id = c.id \
                     AND st.kind = $2 AND st.last_invited_at > $3) ORDER BY c.id LIMIT $4"
                );
                let rows = sqlx::query(&sql)
                    .bind(ws)
                    .bind(survey.kind.as_str())
                    .bind(now_ms - survey.throttle_days * SURVEY_DAY)
                    .bind(limit)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?;
                for r in rows {
                    let contact: i64 = r.try_get(0).map_err(map_err)?;
                    let locale: Option<String> = r.try_get(1).map_err(map_err)?;
                    if !take_survey_turn(conn, ws, contact, survey.kind, survey.throttle_days, now_ms).await? {
                        continue;
                    }
                    let target = InviteTarget {
                        ticket_id: None,
                        contact_id: Some(contact),
                        contact_email: None,
                        locale: locale.as_deref().and_then(|l| domain::Locale::parse(l).ok()).unwrap_or(domain::Locale::En),
                        brand_id: survey.brand_id,
                        team_id: None,
                        agent_id: None,
                        channel: None,
                        language: None,
                    };
                    let inv = insert_invitation(conn, ws, survey, &target, (InvitationStatus::Pending, None, Some("email")), now_ms).await?;
                    count(&inv);
                }
            }
            Ok((planned, skipped))
        }

        /// Validates an answer against the survey: the score on the kind's scale, text lengths, extra keys and choices.
        fn check_answer(survey: &Survey, answer: &Answer) -> Result<(Option<String>, std::collections::BTreeMap<String, String>)> {
            if !survey.kind.accepts(answer.score) {
                let (lo, hi) = survey.kind.scale();
                return Err(invalid("score", format!("must be from {lo} to {hi}")));
            }
            let comment = opt_text("comment", answer.comment.as_deref(), MAX_COMMENT)?;
            let mut answers = std::collections::BTreeMap::new();
            for (key, value) in &answer.answers {
                let Some(q) = survey.questions.extra.iter().find(|q| q.key == *key) else {
                    return Err(invalid("answers", format!("'{key}' is not a question of this survey")));
                };
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                if value.chars().count() > MAX_EXTRA_ANSWER {
                    return Err(invalid("answers", format!("the answer to '{key}' must be at most {MAX_EXTRA_ANSWER} characters")));
                }
                if !q.choices.is_empty() && !q.choices.iter().any(|c| c == value) {
                    return Err(invalid("answers", format!("'{value}' is not one of the choices of '{key}'")));
                }
                answers.insert(key.clone(), value.to_string());
            }
            Ok((comment, answers))
        }

        #[async_trait]
        impl SurveyStore for $store {
            async fn create_survey(&self, actor: &Actor, input: &SurveyInput) -> Result<Survey> {
                require(actor, Permission::ManageDirectory)?;
                let c = check_survey(input)?;
                let ws = actor.workspace_id;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                check_survey_refs(&mut tx, ws, input).await?;
                let t = now();
                let sql = format!(
                    "INSERT INTO survey (workspace_id, kind, name, active, brand_id, delay_minutes, throttle_days, change_window_hours, \
                     expires_after_days, alert_at_or_below, follow_up_user_id, segment_organization_ids, questions, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING {SURVEY_COLUMNS}"
                );
                let row = sqlx::query(&sql)
                    .bind(ws)
                    .bind(input.kind.as_str())
                    .bind(&c.name)
                    .bind(input.active.unwrap_or(true))
                    .bind(input.brand_id)
                    .bind(c.delay_minutes)
                    .bind(c.throttle_days)
                    .bind(c.change_window_hours)
                    .bind(c.expires_after_days)
                    .bind(c.alert_at_or_below)
                    .bind(input.follow_up_user_id)
                    .bind(serde_json::to_string(&input.segment_organization_ids).expect("ids serialise"))
                    .bind(serde_json::to_string(&c.questions).expect("questions serialise"))
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let survey = survey_at(&row, 0)?;
                audit(&mut tx, actor, "survey.created", "survey", survey.id, json!({ "kind": survey.kind, "name": survey.name })).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(survey)
            }

            async fn update_survey(&self, actor: &Actor, id: Id, input: &SurveyInput) -> Result<Survey> {
                require(actor, Permission::ManageDirectory)?;
                let c = check_survey(input)?;
                let ws = actor.workspace_id;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let before = load_survey(&mut tx, ws, id).await?;
                if before.kind != input.kind {
                    return Err(invalid("kind", "a survey's kind cannot change; create another survey"));
                }
                check_survey_refs(&mut tx, ws, input).await?;
                sqlx::query(
                    "UPDATE survey SET name = $1, active = $2, brand_id = $3, delay_minutes = $4, throttle_days = $5, change_window_hours = $6, \
                     expires_after_days = $7, alert_at_or_below = $8, follow_up_user_id = $9, segment_organization_ids = $10, questions = $11, \
                     updated_at = $12 WHERE id = $13",
                )
                .bind(&c.name)
                .bind(input.active.unwrap_or(before.active))
                .bind(input.brand_id)
                .bind(c.delay_minutes)
                .bind(c.throttle_days)
                .bind(c.change_window_hours)
                .bind(c.expires_after_days)
                .bind(c.alert_at_or_below)
                .bind(input.follow_up_user_id)
                .bind(serde_json::to_string(&input.segment_organization_ids).expect("ids serialise"))
                .bind(serde_json::to_string(&c.questions).expect("questions serialise"))
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                let survey = load_survey(&mut tx, ws, id).await?;
                audit(&mut tx, actor, "survey.updated", "survey", id, json!({ "name": survey.name, "active": survey.active })).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(survey)
            }

            async fn get_survey(&self, actor: &Actor, id: Id) -> Result<Survey> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                load_survey(&mut conn, actor.workspace_id, id).await
            }

            async fn list_surveys(&self, actor: &Actor) -> Result<Vec<Survey>> {
                ticket_readable(actor)?;
                let sql = format!("SELECT {SURVEY_COLUMNS} FROM survey WHERE workspace_id = $1 ORDER BY id");
                let rows = sqlx::query(&sql).bind(actor.workspace_id).fetch_all(&self.read).await.map_err(map_err)?;
                rows.iter().map(|r| survey_at(r, 0)).collect()
            }

            async fn plan_survey_invitations(&self, now_ts: Timestamp, limit: usize) -> Result<PlanOutcome> {
                let sql = format!("SELECT workspace_id, {SURVEY_COLUMNS} FROM survey WHERE active = TRUE ORDER BY id");
                let rows = sqlx::query(&sql).fetch_all(&self.read).await.map_err(map_err)?;
                let mut out = PlanOutcome::default();
                for r in rows {
                    let ws: i64 = r.try_get(0).map_err(map_err)?;
                    let survey = survey_at(&r, 1)?;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let (planned, skipped) = plan_survey(&mut tx, ws, &survey, now_ts.millis(), limit.clamp(1, 10_000) as i64).await?;
                    tx.commit().await.map_err(map_err)?;
                    out.planned += planned;
                    out.skipped += skipped;
                }
                Ok(out)
            }

            async fn invite_for_ticket(&self, actor: &Actor, survey_id: Id, ticket_id: Id) -> Result<Invitation> {
                ticket_writable(actor)?;
                let ws = actor.workspace_id;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let survey = load_survey(&mut tx, ws, survey_id).await?;
                if !survey.kind.follows_tickets() {
                    return Err(invalid("survey_id", "NPS surveys are not about a ticket"));
                }
                if !survey.active {
                    return Err(invalid("survey_id", "the survey is not active"));
                }
                visible_ticket(&mut tx, actor, ticket_id).await?;
                let sql = format!("SELECT {INVITATION_COLUMNS} FROM survey_invitation WHERE survey_id = $1 AND ticket_id = $2");
                if let Some(row) = sqlx::query(&sql).bind(survey_id).bind(ticket_id).fetch_optional(&mut *tx).await.map_err(map_err)? {
                    let existing = invitation_at(&row, 0)?;
                    tx.commit().await.map_err(map_err)?;
                    return Ok(existing);
                }
                let t = now();
                let target = ticket_target(&mut tx, ws, ticket_id).await?;
                let inv = match target.contact_id {
                    None => insert_invitation(&mut tx, ws, &survey, &target, (InvitationStatus::Skipped, Some("no_requester"), None), t).await?,
                    Some(c) if !take_survey_turn(&mut tx, ws, c, survey.kind, survey.throttle_days, t).await? => {
                        insert_invitation(&mut tx, ws, &survey, &target, (InvitationStatus::Skipped, Some("throttled"), None), t).await?
                    }
                    Some(_) => insert_invitation(&mut tx, ws, &survey, &target, (InvitationStatus::Sent, None, Some("link")), t).await?,
                };
                audit(&mut tx, actor, "survey.invited", "ticket", ticket_id, json!({ "survey_id": survey_id, "status": inv.status })).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(inv)
            }

            async fn pending_invitations(&self, limit: usize) -> Result<Vec<InvitationToSend>> {
                let sql = format!(
                    "SELECT i.workspace_id, {}, {}, c.name, c.email, t.subject, t.mailbox_id FROM survey_invitation i \
                     JOIN survey s ON s.id = i.survey_id LEFT JOIN contact c ON c.id = i.contact_id LEFT JOIN ticket t ON t.id = i.ticket_id \
                     WHERE i.status = 'pending' ORDER BY i.id LIMIT $1",
                    prefixed("i", INVITATION_COLUMNS),
                    prefixed("s", SURVEY_COLUMNS)
                );
                let rows = sqlx::query(&sql).bind(limit.clamp(1, 1000) as i64).fetch_all(&self.read).await.map_err(map_err)?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    let ws: i64 = r.try_get(0).map_err(map_err)?;
                    let invitation = invitation_at(&r, 1)?;
                    let survey = survey_at(&r, 18)?;
                    let ticket_mailbox: Option<i64> = r.try_get(36).map_err(map_err)?;
                    let mailbox_id = match ticket_mailbox {
                        Some(m) => Some(m),
                        None => sqlx::query(
                            "SELECT id FROM mailbox WHERE workspace_id = $1 AND active = TRUE \
                             ORDER BY CASE WHEN brand_id = $2 THEN 0 ELSE 1 END, id LIMIT 1",
                        )
                        .bind(ws)
                        .bind(invitation.brand_id)
                        .fetch_optional(&self.read)
                        .await
                        .map_err(map_err)?
                        .map(|m| m.try_get::<i64, _>(0))
                        .transpose()
                        .map_err(map_err)?,
                    };
                    out.push(InvitationToSend {
                        workspace_id: ws,
                        invitation,
                        survey,
                        contact_name: r.try_get::<Option<String>, _>(33).map_err(map_err)?.unwrap_or_default(),
                        contact_email: r.try_get(34).map_err(map_err)?,
                        ticket_subject: r.try_get(35).map_err(map_err)?,
                        mailbox_id,
                    });
                }
                Ok(out)
            }

            async fn mark_invitation_sent(&self, workspace_id: Id, invitation_id: Id, mail: Option<&NewOutbound>) -> Result<bool> {
                let t = now();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let done = sqlx::query(
                    "UPDATE survey_invitation SET status = 'sent', sent_at = $1, delivery = $2 WHERE id = $3 AND workspace_id = $4 AND status = 'pending'",
                )
                .bind(t)
                .bind(if mail.is_some() { "email" } else { "link" })
                .bind(invitation_id)
                .bind(workspace_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                if done.rows_affected() == 0 {
                    tx.commit().await.map_err(map_err)?;
                    return Ok(false);
                }
                if let Some(mail) = mail {
                    let id: i64 = sqlx::query(
                        "INSERT INTO outbound_email (workspace_id, mailbox_id, ticket_id, message_id, kind, recipients, message_id_header, raw, \
                         status, attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, 'queued', 0, $8, $8) RETURNING id",
                    )
                    .bind(workspace_id)
                    .bind(mail.mailbox_id)
                    .bind(mail.ticket_id)
                    .bind(mail.kind.as_str())
                    .bind(serde_json::to_string(&mail.recipients).expect("strings serialise"))
                    .bind(&mail.message_id_header)
                    .bind(&mail.raw)
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .try_get(0)
                    .map_err(map_err)?;
                    sqlx::query("UPDATE survey_invitation SET outbound_email_id = $1 WHERE id = $2")
                        .bind(id)
                        .bind(invitation_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                }
                tx.commit().await.map_err(map_err)?;
                Ok(true)
            }

            async fn skip_invitation(&self, workspace_id: Id, invitation_id: Id, reason: &str) -> Result<()> {
                sqlx::query("UPDATE survey_invitation SET status = 'skipped', skip_reason = $1 WHERE id = $2 AND workspace_id = $3 AND status = 'pending'")
                    .bind(reason)
                    .bind(invitation_id)
                    .bind(workspace_id)
                    .execute(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                Ok(())
            }

            async fn list_invitations(&self, actor: &Actor, ticket_id: Option<Id>, limit: usize) -> Result<Vec<Invitation>> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                if let Some(t) = ticket_id {
                    visible_ticket(&mut conn, actor, t).await?;
                } else {
                    require(actor, Permission::ManageDirectory)?;
                }
                let sql = format!(
                    "SELECT {INVITATION_COLUMNS} FROM survey_invitation WHERE workspace_id = $1 AND ($2 IS NULL OR ticket_id = $2) ORDER BY id DESC LIMIT $3"
                );
                let rows = sqlx::query(&sql)
                    .bind(actor.workspace_id)
                    .bind(ticket_id)
                    .bind(limit.clamp(1, 500) as i64)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?;
                rows.iter().map(|r| invitation_at(r, 0)).collect()
            }

            async fn invitation_view(&self, invitation_id: Id) -> Result<InvitationView> {
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                let (ws, invitation) = load_invitation(&mut conn, invitation_id).await?;
                if invitation.status == InvitationStatus::Skipped {
                    return Err(StoreError::NotFound("survey invitation"));
                }
                let survey = load_survey(&mut conn, ws, invitation.survey_id).await?;
                let sql = format!("SELECT {RESPONSE_COLUMNS} FROM survey_response WHERE invitation_id = $1");
                let response = match sqlx::query(&sql).bind(invitation_id).fetch_optional(&mut *conn).await.map_err(map_err)? {
                    Some(r) => Some(response_at(&r, 0)?),
                    None => None,
                };
                let names = sqlx::query(
                    "SELECT (SELECT name FROM contact WHERE id = $1), (SELECT subject FROM ticket WHERE id = $2), (SELECT name FROM brand WHERE id = $3)",
                )
                .bind(invitation.contact_id)
                .bind(invitation.ticket_id)
                .bind(invitation.brand_id)
                .fetch_one(&mut *conn)
                .await
                .map_err(map_err)?;
                Ok(InvitationView {
                    workspace_id: ws,
                    contact_name: names.try_get(0).map_err(map_err)?,
                    ticket_subject: names.try_get(1).map_err(map_err)?,
                    brand_name: names.try_get(2).map_err(map_err)?,
                    invitation,
                    survey,
                    response,
                })
            }

            async fn answer_survey(&self, invitation_id: Id, answer: &Answer, now_ts: Timestamp) -> Result<AnswerResult> {
                let at = now_ts.millis();
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let (ws, inv) = load_invitation(&mut tx, invitation_id).await?;
                if inv.status == InvitationStatus::Skipped {
                    return Err(StoreError::NotFound("survey invitation"));
                }
                let survey = load_survey(&mut tx, ws, inv.survey_id).await?;
                let (comment, answers) = check_answer(&survey, answer)?;
                let answers_json = serde_json::to_string(&answers).expect("strings serialise");
                let sql = format!("SELECT {RESPONSE_COLUMNS} FROM survey_response WHERE invitation_id = $1");
                let existing = match sqlx::query(&sql).bind(invitation_id).fetch_optional(&mut *tx).await.map_err(map_err)? {
                    Some(r) => Some(response_at(&r, 0)?),
                    None => None,
                };
                let (response_id, changed) = match existing {
                    None => {
                        if at > inv.expires_at.millis() {
                            return Err(StoreError::Conflict("this survey has expired".into()));
                        }
                        let id: i64 = sqlx::query(
                            "INSERT INTO survey_response (workspace_id, invitation_id, survey_id, kind, contact_id, ticket_id, brand_id, team_id, agent_id, \
                             channel, language, score, comment, answers, answered_at, updated_at, revision) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, 1) RETURNING id",
                        )
                        .bind(ws)
                        .bind(invitation_id)
                        .bind(inv.survey_id)
                        .bind(inv.kind.as_str())
                        .bind(inv.contact_id)
                        .bind(inv.ticket_id)
                        .bind(inv.brand_id)
                        .bind(inv.team_id)
                        .bind(inv.agent_id)
                        .bind(inv.channel.map(|c| c.as_str()))
                        .bind(inv.language.map(|l| l.as_str()))
                        .bind(answer.score)
                        .bind(comment.as_deref())
                        .bind(&answers_json)
                        .bind(at)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .try_get(0)
                        .map_err(map_err)?;
                        (id, false)
                    }
                    Some(prev) => {
                        if at > prev.answered_at.millis() + survey.change_window_hours * 3_600_000 {
                            return Err(StoreError::Conflict("this answer can no longer be changed".into()));
                        }
                        sqlx::query("UPDATE survey_response SET score = $1, comment = $2, answers = $3, updated_at = $4, revision = revision + 1 WHERE id = $5")
                            .bind(answer.score)
                            .bind(comment.as_deref())
                            .bind(&answers_json)
                            .bind(at)
                            .bind(prev.id)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        (prev.id, true)
                    }
                };
                sqlx::query("INSERT INTO survey_answer_change (response_id, score, comment, answers, changed_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(response_id)
                    .bind(answer.score)
                    .bind(comment.as_deref())
                    .bind(&answers_json)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let sql = format!("SELECT {RESPONSE_COLUMNS} FROM survey_response WHERE id = $1");
                let response = response_at(&sqlx::query(&sql).bind(response_id).fetch_one(&mut *tx).await.map_err(map_err)?, 0)?;

                // The low-score loop: one follow-up task per response, for whoever owns the customer now.
                let mut task = None;
                let low = answer.score <= survey.alert_at_or_below;
                if low {
                    let has_task: Option<i64> = sqlx::query("SELECT id FROM task WHERE survey_response_id = $1")
                        .bind(response_id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .map(|r| r.try_get(0))
                        .transpose()
                        .map_err(map_err)?;
                    if has_task.is_none() {
                        let assignee: Option<i64> = match inv.ticket_id {
                            Some(t) => sqlx::query("SELECT assignee_id FROM ticket WHERE id = $1")
                                .bind(t)
                                .fetch_optional(&mut *tx)
                                .await
                                .map_err(map_err)?
                                .map(|r| r.try_get::<Option<i64>, _>(0))
                                .transpose()
                                .map_err(map_err)?
                                .flatten(),
                            None => None,
                        };
                        let owner = assignee.or(inv.agent_id).or(survey.follow_up_user_id);
                        let (_, hi) = survey.kind.scale();
                        let who: Option<String> = match inv.contact_id {
                            Some(c) => sqlx::query("SELECT name FROM contact WHERE id = $1")
                                .bind(c)
                                .fetch_optional(&mut *tx)
                                .await
                                .map_err(map_err)?
                                .map(|r| r.try_get(0))
                                .transpose()
                                .map_err(map_err)?,
                            None => None,
                        };
                        let mut title = format!("{} {}/{}", survey.kind.as_str().to_uppercase(), answer.score, hi);
                        if let Some(n) = &who {
                            title.push_str(&format!(" · {n}"));
                        }
                        if let Some(t) = inv.ticket_id {
                            title.push_str(&format!(" · #{t}"));
                        }
                        let sql = format!(
                            "INSERT INTO task (workspace_id, owner_user_id, title, body, ticket_id, contact_id, survey_response_id, status, due_at, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9) RETURNING {TASK_COLUMNS}"
                        );
                        let row = sqlx::query(&sql)
                            .bind(ws)
                            .bind(owner)
                            .bind(&title)
                            .bind(comment.clone().unwrap_or_default())
                            .bind(inv.ticket_id)
                            .bind(inv.contact_id)
                            .bind(response_id)
                            .bind(at + 2 * SURVEY_DAY)
                            .bind(at)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        task = Some(task_of(&row)?);
                    }
                }
                let payload = json!({
                    "response_id": response.id,
                    "survey_id": response.survey_id,
                    "kind": response.kind,
                    "score": response.score,
                    "comment": response.comment,
                    "ticket_id": response.ticket_id,
                    "contact_id": response.contact_id,
                    "agent_id": response.agent_id,
                    "changed": changed,
                    "revision": response.revision,
                    "answered_at": response.answered_at,
                });
                record_event_in(&mut tx, ws, "survey.answered", &payload, at).await?;
                if low {
                    let mut low_payload = payload.clone();
                    low_payload["task_id"] = json!(task.as_ref().map(|t| t.id));
                    record_event_in(&mut tx, ws, "survey.low_score", &low_payload, at).await?;
                }
                tx.commit().await.map_err(map_err)?;
                Ok(AnswerResult { response, changed, task })
            }

            async fn list_responses(&self, actor: &Actor, q: &ResponseQuery) -> Result<Page<SurveyResponse>> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                if let Some(t) = q.ticket_id {
                    visible_ticket(&mut conn, actor, t).await?;
                }
                let mut binds = vec![Bind::Int(actor.workspace_id)];
                let mut sql = format!("SELECT {} FROM survey_response r WHERE r.workspace_id = $1", prefixed("r", RESPONSE_COLUMNS));
                let everything = MetricsFilter::new(rapport_analytics_period_all());
                sql.push_str(&metrics_conditions(actor, &everything, &DimColumns::SURVEY_RESPONSE, &mut binds));
                for (col, v) in [("r.ticket_id", q.ticket_id), ("r.contact_id", q.contact_id), ("r.survey_id", q.survey_id)] {
                    if let Some(v) = v {
                        binds.push(Bind::Int(v));
                        sql.push_str(&format!(" AND {col} = ${}", binds.len()));
                    }
                }
                if let Some(c) = &q.cursor {
                    binds.push(Bind::Int(c.id));
                    sql.push_str(&format!(" AND r.id < ${}", binds.len()));
                }
                let limit = q.limit.clamp(1, 200);
                sql.push_str(&format!(" ORDER BY r.id DESC LIMIT {}", limit + 1));
                let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&mut *conn).await.map_err(map_err)?;
                let items = rows.iter().map(|r| response_at(r, 0)).collect::<Result<Vec<_>>>()?;
                Ok(Page::from_rows(items, limit, |r| Cursor { k: r.id, id: r.id }))
            }

            async fn response_rows(&self, actor: &Actor, filter: &MetricsFilter) -> Result<Vec<ResponseRow>> {
                ticket_readable(actor)?;
                let mut binds = vec![Bind::Int(actor.workspace_id), Bind::Int(filter.period.from), Bind::Int(filter.period.to)];
                let cond = metrics_conditions(actor, filter, &DimColumns::SURVEY_RESPONSE, &mut binds);
                let sql = format!(
                    "SELECT r.id, r.survey_id, r.kind, r.score, r.answered_at, r.contact_id, r.ticket_id, r.agent_id, r.team_id, r.brand_id, \
                     r.channel, r.language, r.comment FROM survey_response r \
                     WHERE r.workspace_id = $1 AND r.answered_at >= $2 AND r.answered_at < $3{cond} ORDER BY r.answered_at, r.id"
                );
                let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&self.read).await.map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        let kind: String = r.try_get(2).map_err(map_err)?;
                        let channel: Option<String> = r.try_get(10).map_err(map_err)?;
                        let language: Option<String> = r.try_get(11).map_err(map_err)?;
                        let comment: Option<String> = r.try_get(12).map_err(map_err)?;
                        Ok(ResponseRow {
                            id: r.try_get(0).map_err(map_err)?,
                            survey_id: r.try_get(1).map_err(map_err)?,
                            kind: SurveyKind::parse(&kind).map_err(corrupt("response"))?,
                            score: r.try_get(3).map_err(map_err)?,
                            answered_at: r.try_get(4).map_err(map_err)?,
                            contact_id: r.try_get(5).map_err(map_err)?,
                            ticket_id: r.try_get(6).map_err(map_err)?,
                            agent_id: r.try_get(7).map_err(map_err)?,
                            team_id: r.try_get(8).map_err(map_err)?,
                            brand_id: r.try_get(9).map_err(map_err)?,
                            channel: channel.as_deref().map(Channel::parse).transpose().map_err(corrupt("response"))?,
                            language: language.as_deref().map(domain::Locale::parse).transpose().map_err(corrupt("response"))?,
                            has_comment: comment.is_some_and(|c| !c.is_empty()),
                        })
                    })
                    .collect()
            }

            async fn invitations_sent(&self, actor: &Actor, filter: &MetricsFilter) -> Result<Vec<(SurveyKind, i64)>> {
                ticket_readable(actor)?;
                let mut binds = vec![Bind::Int(actor.workspace_id), Bind::Int(filter.period.from), Bind::Int(filter.period.to)];
                let cond = metrics_conditions(actor, filter, &DimColumns::SURVEY_INVITATION, &mut binds);
                let sql = format!(
                    "SELECT i.kind, COUNT(*) FROM survey_invitation i WHERE i.workspace_id = $1 AND i.status = 'sent' \
                     AND i.sent_at >= $2 AND i.sent_at < $3{cond} GROUP BY i.kind ORDER BY i.kind"
                );
                let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&self.read).await.map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        let kind: String = r.try_get(0).map_err(map_err)?;
                        Ok((SurveyKind::parse(&kind).map_err(corrupt("invitation"))?, r.try_get(1).map_err(map_err)?))
                    })
                    .collect()
            }

            async fn responses_by_id(&self, actor: &Actor, ids: &[Id]) -> Result<Vec<SurveyResponse>> {
                ticket_readable(actor)?;
                if ids.is_empty() {
                    return Ok(vec![]);
                }
                let mut found: std::collections::HashMap<Id, SurveyResponse> = std::collections::HashMap::new();
                let everything = MetricsFilter::new(rapport_analytics_period_all());
                for chunk in ids.chunks(400) {
                    let mut binds = vec![Bind::Int(actor.workspace_id)];
                    let cond = metrics_conditions(actor, &everything, &DimColumns::SURVEY_RESPONSE, &mut binds);
                    let sql = format!(
                        "SELECT {} FROM survey_response r WHERE r.workspace_id = $1 AND r.id IN ({}){cond}",
                        prefixed("r", RESPONSE_COLUMNS),
                        in_list(chunk)
                    );
                    for r in bind_all(sqlx::query(&sql), &binds).fetch_all(&self.read).await.map_err(map_err)? {
                        let resp = response_at(&r, 0)?;
                        found.insert(resp.id, resp);
                    }
                }
                Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
            }

            async fn list_tasks(&self, actor: &Actor, q: &TaskQuery) -> Result<Vec<Task>> {
                ticket_readable(actor)?;
                let mut conn = self.read.acquire().await.map_err(map_err)?;
                if let Some(t) = q.ticket_id {
                    visible_ticket(&mut conn, actor, t).await?;
                }
                let sql = format!(
                    "SELECT {TASK_COLUMNS} FROM task WHERE workspace_id = $1 AND ($2 IS NULL OR owner_user_id = $2) AND ($3 IS NULL OR ticket_id = $3) \
                     AND ($4 = FALSE OR status = 'open') ORDER BY id DESC LIMIT $5"
                );
                let rows = sqlx::query(&sql)
                    .bind(actor.workspace_id)
                    .bind(q.owner_user_id)
                    .bind(q.ticket_id)
                    .bind(q.open_only)
                    .bind(q.limit.clamp(1, 500) as i64)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map_err)?;
                let mut tasks = Vec::with_capacity(rows.len());
                for r in &rows {
                    let task = task_of(r)?;
                    // A task about a ticket the actor may not see stays hidden.
                    if let (Some(t), None) = (task.ticket_id, q.ticket_id) {
                        if visible_ticket(&mut conn, actor, t).await.is_err() {
                            continue;
                        }
                    }
                    tasks.push(task);
                }
                Ok(tasks)
            }

            async fn complete_task(&self, actor: &Actor, id: Id) -> Result<Task> {
                ticket_writable(actor)?;
                let mut writer = self.writer().await?;
                let mut tx = begin(&mut writer).await?;
                let sql = format!("SELECT {TASK_COLUMNS} FROM task WHERE id = $1 AND workspace_id = $2");
                let row = sqlx::query(&sql).bind(id).bind(actor.workspace_id).fetch_optional(&mut *tx).await.map_err(map_err)?.ok_or(StoreError::NotFound("task"))?;
                let task = task_of(&row)?;
                if let Some(t) = task.ticket_id {
                    visible_ticket(&mut tx, actor, t).await.map_err(|_| StoreError::NotFound("task"))?;
                }
                sqlx::query("UPDATE task SET status = 'done', done_at = $1 WHERE id = $2 AND status = 'open'")
                    .bind(now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let sql = format!("SELECT {TASK_COLUMNS} FROM task WHERE id = $1");
                let done = task_of(&sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await.map_err(map_err)?)?;
                audit(&mut tx, actor, "task.done", "task", id, json!({ "title": done.title })).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(done)
            }
        }

        /// A period covering all time, for filters that only need visibility.
        fn rapport_analytics_period_all() -> $crate::__private::rapport_analytics::Period {
            $crate::__private::rapport_analytics::Period { from: i64::MIN / 4, to: i64::MAX / 4 }
        }
    };
}
