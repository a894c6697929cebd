/// Implements `rapport_store::kb::KbStore` for a backend struct (the same
/// struct as `impl_sql_store!`: a `read` pool of `$db` and a `writer()` accessor).
///
/// Search differs per backend only in how candidates are fetched (FTS5
/// `MATCH` or tsvector `@@`); the query plan, ranking and snippets come from
/// `rapport-kb`, so both backends return the same results.
#[macro_export]
macro_rules! impl_sql_kb_store {
    ($store:ty, $db:ty, postgres = $pg:literal) => {
        const _: () = {
            use $crate::__private::async_trait::async_trait;
            use $crate::__private::rapport_domain::{self as domain, Actor, Id, Locale, Permission, Timestamp};
            use $crate::__private::rapport_kb::{content, search, text};
            use $crate::__private::rapport_store::kb::*;
            use $crate::__private::rapport_store::model::Brand;
            use $crate::__private::rapport_store::{Cursor, Page, Result, StoreError};
            use $crate::__private::serde_json::{self, json, Value};
            use $crate::__private::sqlx::{self, Row};
            use $crate::kb_rows::*;
            use $crate::map_err;
            use std::collections::{BTreeMap, BTreeSet};

            type Conn = <$db as sqlx::Database>::Connection;
            const POSTGRES: bool = $pg;
            /// Rows per multi-row statement when maintaining the vocabulary.
            const CHUNK: usize = 400;
            const DAY_MS: i64 = 86_400_000;

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

            fn require(actor: &Actor, p: Permission) -> Result<()> {
                actor.require(p).map_err(StoreError::Domain)
            }

            /// Starts a transaction on the connection from `$store::writer`.
            async fn begin(conn: &mut Conn) -> Result<sqlx::Transaction<'_, $db>> {
                sqlx::Connection::begin(conn).await.map_err(map_err)
            }

            async fn audit(conn: &mut Conn, actor: &Actor, action: &str, entity_id: Id, details: Value) -> Result<()> {
                sqlx::query(
                    "INSERT INTO audit_log (workspace_id, actor_user_id, action, entity_type, entity_id, details, created_at) \
                     VALUES ($1, $2, $3, 'article', $4, $5, $6)",
                )
                .bind(actor.workspace_id)
                .bind(actor.user())
                .bind(action)
                .bind(entity_id)
                .bind(details.to_string())
                .bind(now())
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
                Ok(())
            }

            async fn check_brand(conn: &mut Conn, ws: Id, brand_id: Id) -> Result<()> {
                let found = sqlx::query("SELECT id FROM brand WHERE id = $1 AND workspace_id = $2")
                    .bind(brand_id)
                    .bind(ws)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_err)?;
                found.map(|_| ()).ok_or_else(|| invalid("brand_id", format!("{brand_id} does not exist")))
            }

            async fn check_category(conn: &mut Conn, ws: Id, brand_id: Id, category_id: Id) -> Result<()> {
                let found = sqlx::query("SELECT id FROM kb_category WHERE id = $1 AND workspace_id = $2 AND brand_id = $3")
                    .bind(category_id)
                    .bind(ws)
                    .bind(brand_id)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_err)?;
                found.map(|_| ()).ok_or_else(|| invalid("category_id", format!("{category_id} is not a category of this brand")))
            }

            async fn check_user(conn: &mut Conn, ws: Id, field: &'static str, user_id: Id) -> Result<()> {
                let found = sqlx::query("SELECT id FROM app_user WHERE id = $1 AND workspace_id = $2")
                    .bind(user_id)
                    .bind(ws)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_err)?;
                found.map(|_| ()).ok_or_else(|| invalid(field, format!("{user_id} does not exist")))
            }

            fn check_interval(days: Option<i64>) -> Result<()> {
                match days {
                    Some(d) if !(1..=3650).contains(&d) => Err(invalid("verify_interval_days", "must be 1-3650 days")),
                    _ => Ok(()),
                }
            }

            async fn load_article_row(conn: &mut Conn, ws: Id, id: Id) -> Result<ArticleRow> {
                let sql = format!("SELECT {ARTICLE_COLUMNS} FROM kb_article a WHERE a.id = $1 AND a.workspace_id = $2");
                sqlx::query_as(&sql).bind(id).bind(ws).fetch_one(&mut *conn).await.map_err(not_found("article"))
            }

            async fn translations_of(conn: &mut Conn, article_ids: &[Id]) -> Result<Vec<TranslationRow>> {
                if article_ids.is_empty() {
                    return Ok(vec![]);
                }
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {TRANSLATION_COLUMNS} FROM kb_translation t WHERE t.article_id IN ("));
                let mut sep = qb.separated(", ");
                for id in article_ids {
                    sep.push_bind(*id);
                }
                qb.push(") ORDER BY t.article_id, t.locale");
                qb.build_query_as::<TranslationRow>().fetch_all(&mut *conn).await.map_err(map_err)
            }

            async fn load_article(conn: &mut Conn, ws: Id, id: Id) -> Result<Article> {
                let row = load_article_row(conn, ws, id).await?;
                let translations = translations_of(conn, &[id]).await?.iter().map(TranslationRow::summary).collect::<Result<Vec<_>>>()?;
                row.into_model(translations, now())
            }

            async fn translation_row(conn: &mut Conn, ws: Id, article_id: Id, locale: Locale) -> Result<Option<TranslationRow>> {
                let sql = format!("SELECT {TRANSLATION_COLUMNS} FROM kb_translation t WHERE t.article_id = $1 AND t.locale = $2 AND t.workspace_id = $3");
                sqlx::query_as(&sql).bind(article_id).bind(locale.as_str()).bind(ws).fetch_optional(&mut *conn).await.map_err(map_err)
            }

            async fn version_row(conn: &mut Conn, translation_id: Id, version: i64) -> Result<VersionRow> {
                let sql = format!("SELECT {VERSION_COLUMNS} FROM kb_article_version WHERE translation_id = $1 AND version = $2");
                sqlx::query_as(&sql).bind(translation_id).bind(version).fetch_one(&mut *conn).await.map_err(not_found("version"))
            }

            async fn load_translation(conn: &mut Conn, ws: Id, article_id: Id, locale: Locale) -> Result<Translation> {
                let row = translation_row(conn, ws, article_id, locale).await?.ok_or(StoreError::NotFound("translation"))?;
                let latest = version_row(conn, row.id, row.version).await?;
                row.into_model(latest)
            }

            /// The distinct words of a normalised title and body.
            fn word_set(search_title: &str, search_body: &str) -> BTreeSet<String> {
                search_title.split(' ').chain(search_body.split(' ')).filter(|w| !w.is_empty()).map(str::to_string).collect()
            }

            /// Keeps the vocabulary in step when a translation's indexed text
            /// changes from `old` to `new` (either may be absent).
            async fn update_vocabulary(conn: &mut Conn, ws: Id, old: Option<BTreeSet<String>>, new: Option<BTreeSet<String>>) -> Result<()> {
                let empty = BTreeSet::new();
                let (old_set, new_set) = (old.as_ref().unwrap_or(&empty), new.as_ref().unwrap_or(&empty));
                let mut added: Vec<&String> = new_set.difference(old_set).collect();
                let mut removed: Vec<&String> = old_set.difference(new_set).collect();
                // The word '' counts the indexed translations.
                let blank = String::new();
                if old.is_none() && new.is_some() {
                    added.insert(0, &blank);
                }
                if old.is_some() && new.is_none() {
                    removed.insert(0, &blank);
                }
                for chunk in added.chunks(CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO kb_term (workspace_id, term, stem, doc_count) ");
                    qb.push_values(chunk.iter(), |mut b, term| {
                        b.push_bind(ws).push_bind(term.as_str()).push_bind(text::stem(term)).push_bind(1i64);
                    });
                    qb.push(" ON CONFLICT (workspace_id, term) DO UPDATE SET doc_count = kb_term.doc_count + 1 RETURNING term, doc_count");
                    let rows = qb.build().fetch_all(&mut *conn).await.map_err(map_err)?;
                    let mut fresh: Vec<String> = Vec::new();
                    for r in rows {
                        let term: String = r.try_get(0).map_err(map_err)?;
                        let count: i64 = r.try_get(1).map_err(map_err)?;
                        if count == 1 && !term.is_empty() {
                            fresh.push(term);
                        }
                    }
                    let variants: Vec<(String, String)> =
                        fresh.iter().flat_map(|t| text::deletes(t).into_iter().map(move |v| (v, t.clone()))).collect();
                    for vchunk in variants.chunks(CHUNK) {
                        let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO kb_term_variant (workspace_id, variant, term) ");
                        qb.push_values(vchunk.iter(), |mut b, (v, t)| {
                            b.push_bind(ws).push_bind(v.as_str()).push_bind(t.as_str());
                        });
                        qb.push(" ON CONFLICT DO NOTHING");
                        qb.build().execute(&mut *conn).await.map_err(map_err)?;
                    }
                }
                for chunk in removed.chunks(CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("UPDATE kb_term SET doc_count = doc_count - 1 WHERE workspace_id = ");
                    qb.push_bind(ws).push(" AND term IN (");
                    let mut sep = qb.separated(", ");
                    for t in chunk {
                        sep.push_bind(t.as_str());
                    }
                    qb.push(")");
                    qb.build().execute(&mut *conn).await.map_err(map_err)?;
                }
                Ok(())
            }

            /// What readers and search see of a translation.
            struct Live {
                title: String,
                slug: String,
                html: String,
                text: String,
            }

            fn live_from(title: &str, format: BodyFormat, body: &str) -> Result<Live> {
                let title = content::title(title)?;
                let (html, text) = content::render(body, format == BodyFormat::Markdown)?;
                Ok(Live { slug: content::slug(&title), title, html, text })
            }

            /// Writes the live columns (and the index) of a translation.
            async fn write_live(conn: &mut Conn, ws: Id, translation_id: Id, live: &Live) -> Result<()> {
                let old = sqlx::query("SELECT search_title, search_body FROM kb_translation WHERE id = $1")
                    .bind(translation_id)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(map_err)?;
                let (old_title, old_body): (String, String) = (old.try_get(0).map_err(map_err)?, old.try_get(1).map_err(map_err)?);
                let search_title = text::normalize(&live.title);
                let search_body = text::normalize(&live.text);
                let sql = if POSTGRES {
                    "UPDATE kb_translation SET title = $1, slug = $2, body_html = $3, body_text = $4, search_title = $5, search_body = $6, \
                     search_vector = $8::tsvector || $9::tsvector WHERE id = $7"
                } else {
                    "UPDATE kb_translation SET title = $1, slug = $2, body_html = $3, body_text = $4, search_title = $5, search_body = $6 \
                     WHERE id = $7"
                };
                let mut q = sqlx::query(sql)
                    .bind(&live.title)
                    .bind(&live.slug)
                    .bind(&live.html)
                    .bind(&live.text)
                    .bind(&search_title)
                    .bind(&search_body)
                    .bind(translation_id);
                if POSTGRES {
                    q = q.bind(search::tsvector_literal(&search_title, 'A')).bind(search::tsvector_literal(&search_body, 'D'));
                }
                q.execute(&mut *conn).await.map_err(map_err)?;
                if old_title != search_title || old_body != search_body {
                    update_vocabulary(conn, ws, Some(word_set(&old_title, &old_body)), Some(word_set(&search_title, &search_body))).await?;
                }
                Ok(())
            }

            /// Creates a translation with its first version; returns its id.
            async fn insert_translation(conn: &mut Conn, actor: &Actor, article_id: Id, locale: Locale, input: &TranslationInput) -> Result<Id> {
                let live = live_from(&input.title, input.format, &input.body)?;
                let t = now();
                let search_title = text::normalize(&live.title);
                let search_body = text::normalize(&live.text);
                let sql = if POSTGRES {
                    "INSERT INTO kb_translation (workspace_id, article_id, locale, status, title, slug, body_html, body_text, search_title, \
                     search_body, version, updated_by, created_at, updated_at, search_vector) \
                     VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, 1, $10, $11, $11, $12::tsvector || $13::tsvector) RETURNING id"
                } else {
                    "INSERT INTO kb_translation (workspace_id, article_id, locale, status, title, slug, body_html, body_text, search_title, \
                     search_body, version, updated_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, 1, $10, $11, $11) RETURNING id"
                };
                let mut q = sqlx::query(sql)
                    .bind(actor.workspace_id)
                    .bind(article_id)
                    .bind(locale.as_str())
                    .bind(&live.title)
                    .bind(&live.slug)
                    .bind(&live.html)
                    .bind(&live.text)
                    .bind(&search_title)
                    .bind(&search_body)
                    .bind(actor.user())
                    .bind(t);
                if POSTGRES {
                    q = q.bind(search::tsvector_literal(&search_title, 'A')).bind(search::tsvector_literal(&search_body, 'D'));
                }
                let id: i64 = q
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(map_err)?
                    .try_get(0)
                    .map_err(map_err)?;
                insert_version(conn, actor, id, 1, input).await?;
                update_vocabulary(conn, actor.workspace_id, None, Some(word_set(&search_title, &search_body))).await?;
                Ok(id)
            }

            async fn insert_version(conn: &mut Conn, actor: &Actor, translation_id: Id, version: i64, input: &TranslationInput) -> Result<()> {
                let note = input.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(|n| n.chars().take(500).collect::<String>());
                sqlx::query(
                    "INSERT INTO kb_article_version (workspace_id, translation_id, version, title, format, body, note, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(actor.workspace_id)
                .bind(translation_id)
                .bind(version)
                .bind(content::title(&input.title)?)
                .bind(input.format.as_str())
                .bind(&input.body)
                .bind(note)
                .bind(actor.user())
                .bind(now())
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
                Ok(())
            }

            async fn touch_article(conn: &mut Conn, article_id: Id) -> Result<()> {
                sqlx::query("UPDATE kb_article SET updated_at = $1 WHERE id = $2").bind(now()).bind(article_id).execute(&mut *conn).await.map_err(map_err)?;
                Ok(())
            }

            /// Saves a new version of an existing translation. The live
            /// columns follow the draft until the translation is published;
            /// after that they change only on publish.
            async fn save_version(conn: &mut Conn, actor: &Actor, row: &TranslationRow, input: &TranslationInput) -> Result<()> {
                let live = live_from(&input.title, input.format, &input.body)?;
                let version = row.version + 1;
                insert_version(conn, actor, row.id, version, input).await?;
                let status = ArticleStatus::parse(&row.status)?;
                // Editing an archived translation brings it back as a draft.
                let next_status = if status == ArticleStatus::Archived { ArticleStatus::Draft } else { status };
                sqlx::query("UPDATE kb_translation SET version = $1, status = $2, updated_by = $3, updated_at = $4 WHERE id = $5")
                    .bind(version)
                    .bind(next_status.as_str())
                    .bind(actor.user())
                    .bind(now())
                    .bind(row.id)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
                if status != ArticleStatus::Published {
                    write_live(conn, actor.workspace_id, row.id, &live).await?;
                }
                touch_article(conn, row.article_id).await
            }

            fn status_filter(include_unpublished: bool) -> &'static str {
                if include_unpublished {
                    "t.status IN ('draft', 'review', 'published')"
                } else {
                    "t.status = 'published'"
                }
            }

            /// A search candidate as fetched.
            struct Cand {
                id: Id,
                article_id: Id,
                brand_id: Id,
                category_id: Option<Id>,
                locale: String,
                status: String,
                visibility: String,
                title: String,
                slug: String,
                search_title: String,
                search_body: String,
            }

            async fn fetch_candidates(
                conn: &mut Conn,
                scope: &SearchScope,
                q: &ArticleSearch,
                plan: &search::Plan,
                all: bool,
            ) -> Result<Vec<Cand>> {
                let expr = if POSTGRES { search::tsquery(plan, all) } else { search::fts5_match(plan, all) };
                let Some(expr) = expr else { return Ok(vec![]) };
                let cols = "t.id, t.article_id, a.brand_id, a.category_id, t.locale, t.status, a.visibility, t.title, t.slug, \
                    t.search_title, t.search_body";
                let mut qb = if POSTGRES {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT {cols} FROM kb_translation t JOIN kb_article a ON a.id = t.article_id WHERE t.search_vector @@ "
                    ));
                    qb.push_bind(expr.clone()).push("::tsquery");
                    qb
                } else {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT {cols} FROM kb_fts JOIN kb_translation t ON t.id = kb_fts.rowid JOIN kb_article a ON a.id = t.article_id \
                         WHERE kb_fts MATCH "
                    ));
                    qb.push_bind(expr.clone());
                    qb
                };
                qb.push(" AND t.workspace_id = ").push_bind(scope.workspace_id());
                match scope {
                    SearchScope::Public { brand_id, .. } => {
                        qb.push(" AND a.brand_id = ").push_bind(*brand_id);
                        qb.push(" AND a.visibility = 'public' AND t.status = 'published'");
                    }
                    SearchScope::Staff(_) => {
                        if let Some(b) = q.brand_id {
                            qb.push(" AND a.brand_id = ").push_bind(b);
                        }
                        if let Some(v) = q.visibility {
                            qb.push(" AND a.visibility = ").push_bind(v.as_str());
                        }
                        qb.push(" AND ").push(status_filter(q.include_unpublished));
                    }
                }
                if !q.locales.is_empty() {
                    qb.push(" AND t.locale IN (");
                    let mut sep = qb.separated(", ");
                    for l in &q.locales {
                        sep.push_bind(l.as_str());
                    }
                    qb.push(")");
                }
                if POSTGRES {
                    qb.push(" ORDER BY ts_rank(t.search_vector, ").push_bind(expr).push("::tsquery) DESC, t.id");
                } else {
                    qb.push(" ORDER BY bm25(kb_fts, 2.5, 1.0), t.id");
                }
                qb.push(" LIMIT ").push_bind(search::MAX_CANDIDATES);
                let rows = qb.build().fetch_all(&mut *conn).await.map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok(Cand {
                            id: r.try_get(0)?,
                            article_id: r.try_get(1)?,
                            brand_id: r.try_get(2)?,
                            category_id: r.try_get(3)?,
                            locale: r.try_get(4)?,
                            status: r.try_get(5)?,
                            visibility: r.try_get(6)?,
                            title: r.try_get(7)?,
                            slug: r.try_get(8)?,
                            search_title: r.try_get(9)?,
                            search_body: r.try_get(10)?,
                        })
                    })
                    .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
                    .map_err(map_err)
            }

            async fn vocabulary(conn: &mut Conn, ws: Id, terms: &[search::QueryTerm]) -> Result<(Vec<search::VocabRow>, Vec<search::VocabRow>)> {
                let lookup = search::Lookup::new(terms);
                let read_rows = |rows: Vec<<$db as sqlx::Database>::Row>| -> Result<Vec<search::VocabRow>> {
                    rows.iter()
                        .map(|r| Ok(search::VocabRow { term: r.try_get(0)?, stem: r.try_get(1)?, doc_count: r.try_get(2)? }))
                        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
                        .map_err(map_err)
                };
                let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT term, stem, doc_count FROM kb_term WHERE workspace_id = ");
                qb.push_bind(ws).push(" AND (term IN (");
                let mut sep = qb.separated(", ");
                for t in &lookup.terms {
                    sep.push_bind(t.as_str());
                }
                qb.push(") OR stem IN (");
                let mut sep = qb.separated(", ");
                for s in &lookup.stems {
                    sep.push_bind(s.as_str());
                }
                qb.push("))");
                let mut rows = read_rows(qb.build().fetch_all(&mut *conn).await.map_err(map_err)?)?;
                if !lookup.prefixes.is_empty() {
                    // One statement: the most common words under each prefix.
                    let mut qb = sqlx::QueryBuilder::<$db>::new("");
                    for (i, p) in lookup.prefixes.iter().enumerate() {
                        let (from, to) = search::prefix_range(p);
                        if i > 0 {
                            qb.push(" UNION ALL ");
                        }
                        qb.push("SELECT * FROM (SELECT term, stem, doc_count FROM kb_term WHERE workspace_id = ").push_bind(ws);
                        qb.push(" AND term >= ").push_bind(from).push(" AND term < ").push_bind(to);
                        qb.push(" AND doc_count > 0 ORDER BY doc_count DESC, term LIMIT 8) AS p").push(i.to_string());
                    }
                    rows.extend(read_rows(qb.build().fetch_all(&mut *conn).await.map_err(map_err)?)?);
                }
                let variants = search::Lookup::variants_for(terms, &rows);
                let mut typo_rows = Vec::new();
                if !variants.is_empty() {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT DISTINCT t.term, t.stem, t.doc_count FROM kb_term_variant v JOIN kb_term t \
                         ON t.workspace_id = v.workspace_id AND t.term = v.term WHERE t.doc_count > 0 AND v.workspace_id = ",
                    );
                    qb.push_bind(ws).push(" AND v.variant IN (");
                    let mut sep = qb.separated(", ");
                    for v in &variants {
                        sep.push_bind(v.as_str());
                    }
                    qb.push(")");
                    typo_rows = read_rows(qb.build().fetch_all(&mut *conn).await.map_err(map_err)?)?;
                }
                Ok((rows, typo_rows))
            }

            /// The public articles a help center shows: published, public, this brand.
            const PUBLIC_FILTER: &str = "t.workspace_id = $1 AND a.brand_id = $2 AND a.visibility = 'public' AND t.status = 'published'";

            const HELP_CENTER_SELECT: &str =
                "SELECT w.id, w.slug, b.id, b.name, b.slug, b.default_locale, b.created_at FROM workspace w JOIN brand b ON b.workspace_id = w.id";

            fn help_center_from(row: &<$db as sqlx::Database>::Row) -> Result<HelpCenter> {
                let get = |i: usize| -> Result<i64> { row.try_get::<i64, _>(i).map_err(map_err) };
                let text = |i: usize| -> Result<String> { row.try_get::<String, _>(i).map_err(map_err) };
                Ok(HelpCenter {
                    workspace_id: get(0)?,
                    workspace_slug: text(1)?,
                    brand: Brand { id: get(2)?, name: text(3)?, slug: text(4)?, default_locale: Locale::parse(&text(5)?)?, created_at: Timestamp(get(6)?) },
                })
            }

            fn clean_session(s: &str) -> String {
                s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(64).collect()
            }

            #[async_trait]
            impl KbStore for $store {
                async fn create_kb_category(&self, actor: &Actor, input: &NewCategory) -> Result<Category> {
                    require(actor, Permission::PublishKnowledge)?;
                    let names: BTreeMap<&str, String> = input
                        .names
                        .iter()
                        .map(|(l, n)| (l.as_str(), n.split_whitespace().collect::<Vec<_>>().join(" ")))
                        .filter(|(_, n)| !n.is_empty())
                        .collect();
                    if names.is_empty() {
                        return Err(invalid("names", "give the category a name in at least one language"));
                    }
                    if names.values().any(|n| n.chars().count() > 120) {
                        return Err(invalid("names", "names must be at most 120 characters"));
                    }
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    check_brand(&mut tx, actor.workspace_id, input.brand_id).await?;
                    if let Some(p) = input.parent_id {
                        check_category(&mut tx, actor.workspace_id, input.brand_id, p).await?;
                    }
                    let sql = format!(
                        "INSERT INTO kb_category (workspace_id, brand_id, parent_id, names, position, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {CATEGORY_COLUMNS}"
                    );
                    let row: CategoryRow = sqlx::query_as(&sql)
                        .bind(actor.workspace_id)
                        .bind(input.brand_id)
                        .bind(input.parent_id)
                        .bind(serde_json::to_string(&names).map_err(StoreError::other)?)
                        .bind(input.position)
                        .bind(now())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    row.into_model()
                }

                async fn list_kb_categories(&self, actor: &Actor, brand_id: Option<Id>) -> Result<Vec<Category>> {
                    require(actor, Permission::ReadKnowledge)?;
                    let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {CATEGORY_COLUMNS} FROM kb_category WHERE workspace_id = "));
                    qb.push_bind(actor.workspace_id);
                    if let Some(b) = brand_id {
                        qb.push(" AND brand_id = ").push_bind(b);
                    }
                    qb.push(" ORDER BY brand_id, position, id");
                    let rows: Vec<CategoryRow> = qb.build_query_as().fetch_all(&self.read).await.map_err(map_err)?;
                    rows.into_iter().map(CategoryRow::into_model).collect()
                }

                async fn delete_kb_category(&self, actor: &Actor, id: Id) -> Result<()> {
                    require(actor, Permission::PublishKnowledge)?;
                    let done = sqlx::query("DELETE FROM kb_category WHERE id = $1 AND workspace_id = $2")
                        .bind(id)
                        .bind(actor.workspace_id)
                        .execute(&mut *self.writer().await?)
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("category"));
                    }
                    Ok(())
                }

                async fn create_article(&self, actor: &Actor, input: &NewArticle) -> Result<Article> {
                    require(actor, Permission::WriteKnowledge)?;
                    check_interval(input.verify_interval_days)?;
                    let ws = actor.workspace_id;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    check_brand(&mut tx, ws, input.brand_id).await?;
                    if let Some(c) = input.category_id {
                        check_category(&mut tx, ws, input.brand_id, c).await?;
                    }
                    if let Some(v) = input.verifier_id {
                        check_user(&mut tx, ws, "verifier_id", v).await?;
                    }
                    let t = now();
                    let verify_before = input.verify_interval_days.map(|d| t + d * DAY_MS);
                    let id: i64 = sqlx::query(
                        "INSERT INTO kb_article (workspace_id, brand_id, category_id, visibility, verifier_id, verify_interval_days, \
                         verify_before, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                    )
                    .bind(ws)
                    .bind(input.brand_id)
                    .bind(input.category_id)
                    .bind(input.visibility.as_str())
                    .bind(input.verifier_id)
                    .bind(input.verify_interval_days)
                    .bind(verify_before)
                    .bind(actor.user())
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .try_get(0)
                    .map_err(map_err)?;
                    let first = TranslationInput { title: input.title.clone(), body: input.body.clone(), format: input.format, note: None };
                    insert_translation(&mut tx, actor, id, input.locale, &first).await?;
                    audit(&mut tx, actor, "article.created", id, json!({ "locale": input.locale, "visibility": input.visibility })).await?;
                    let article = load_article(&mut tx, ws, id).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(article)
                }

                async fn get_article(&self, actor: &Actor, id: Id) -> Result<Article> {
                    require(actor, Permission::ReadKnowledge)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    load_article(&mut conn, actor.workspace_id, id).await
                }

                async fn list_articles(&self, actor: &Actor, q: &ArticleQuery) -> Result<Page<Article>> {
                    require(actor, Permission::ReadKnowledge)?;
                    let limit = q.limit.clamp(1, 100);
                    let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {ARTICLE_COLUMNS} FROM kb_article a WHERE a.workspace_id = "));
                    qb.push_bind(actor.workspace_id);
                    if let Some(b) = q.brand_id {
                        qb.push(" AND a.brand_id = ").push_bind(b);
                    }
                    if let Some(c) = q.category_id {
                        qb.push(" AND a.category_id = ").push_bind(c);
                    }
                    if let Some(v) = q.visibility {
                        qb.push(" AND a.visibility = ").push_bind(v.as_str());
                    }
                    if let Some(s) = q.status {
                        qb.push(" AND EXISTS (SELECT 1 FROM kb_translation t WHERE t.article_id = a.id AND t.status = ").push_bind(s.as_str()).push(")");
                    }
                    if let Some(l) = q.missing_locale {
                        qb.push(" AND NOT EXISTS (SELECT 1 FROM kb_translation t WHERE t.article_id = a.id AND t.locale = ")
                            .push_bind(l.as_str())
                            .push(")");
                    }
                    if q.stale {
                        qb.push(" AND a.verify_before < ").push_bind(now());
                    }
                    if let Some(c) = &q.cursor {
                        qb.push(" AND a.id < ").push_bind(c.id);
                    }
                    qb.push(" ORDER BY a.id DESC LIMIT ").push_bind(limit as i64 + 1);
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let rows: Vec<ArticleRow> = qb.build_query_as().fetch_all(&mut *conn).await.map_err(map_err)?;
                    let ids: Vec<Id> = rows.iter().map(|r| r.id).collect();
                    let mut translations = translations_of(&mut conn, &ids).await?;
                    let t = now();
                    let mut items = Vec::with_capacity(rows.len());
                    for row in rows {
                        let mine: Vec<TranslationSummary> = translations
                            .iter()
                            .filter(|tr| tr.article_id == row.id)
                            .map(TranslationRow::summary)
                            .collect::<Result<Vec<_>>>()?;
                        translations.retain(|tr| tr.article_id != row.id);
                        items.push(row.into_model(mine, t)?);
                    }
                    Ok(Page::from_rows(items, limit, |a: &Article| Cursor { k: a.id, id: a.id }))
                }

                async fn update_article(&self, actor: &Actor, id: Id, patch: &ArticlePatch) -> Result<Article> {
                    require(actor, Permission::WriteKnowledge)?;
                    let ws = actor.workspace_id;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let before = load_article_row(&mut tx, ws, id).await?;
                    let category_id = patch.category_id.unwrap_or(before.category_id);
                    if let Some(c) = category_id {
                        check_category(&mut tx, ws, before.brand_id, c).await?;
                    }
                    let verifier_id = patch.verifier_id.unwrap_or(before.verifier_id);
                    if let Some(v) = verifier_id {
                        check_user(&mut tx, ws, "verifier_id", v).await?;
                    }
                    let interval = patch.verify_interval_days.unwrap_or(before.verify_interval_days);
                    check_interval(interval)?;
                    let visibility = patch.visibility.map(|v| v.as_str().to_string()).unwrap_or(before.visibility.clone());
                    if visibility != before.visibility {
                        // Changing who may read an article is a publisher's decision.
                        require(actor, Permission::PublishKnowledge)?;
                    }
                    let verify_before = match interval {
                        None => None,
                        Some(d) => Some(before.verified_at.unwrap_or(before.created_at) + d * DAY_MS),
                    };
                    sqlx::query(
                        "UPDATE kb_article SET category_id = $1, visibility = $2, verifier_id = $3, verify_interval_days = $4, \
                         verify_before = $5, updated_at = $6 WHERE id = $7",
                    )
                    .bind(category_id)
                    .bind(&visibility)
                    .bind(verifier_id)
                    .bind(interval)
                    .bind(verify_before)
                    .bind(now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    audit(&mut tx, actor, "article.updated", id, json!({ "visibility": [before.visibility, visibility] })).await?;
                    let article = load_article(&mut tx, ws, id).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(article)
                }

                async fn delete_article(&self, actor: &Actor, id: Id) -> Result<()> {
                    require(actor, Permission::PublishKnowledge)?;
                    let ws = actor.workspace_id;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    load_article_row(&mut tx, ws, id).await?;
                    let rows = sqlx::query("SELECT search_title, search_body FROM kb_translation WHERE article_id = $1")
                        .bind(id)
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    for r in rows {
                        let (t, b): (String, String) = (r.try_get(0).map_err(map_err)?, r.try_get(1).map_err(map_err)?);
                        update_vocabulary(&mut tx, ws, Some(word_set(&t, &b)), None).await?;
                    }
                    sqlx::query("DELETE FROM kb_article WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    audit(&mut tx, actor, "article.deleted", id, json!({})).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(())
                }

                async fn verify_article(&self, actor: &Actor, id: Id) -> Result<Article> {
                    require(actor, Permission::WriteKnowledge)?;
                    let ws = actor.workspace_id;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let before = load_article_row(&mut tx, ws, id).await?;
                    let may = before.verifier_id == actor.user() || actor.require(Permission::PublishKnowledge).is_ok();
                    if !may {
                        return Err(StoreError::Domain(domain::DomainError::Forbidden));
                    }
                    let t = now();
                    let verify_before = before.verify_interval_days.map(|d| t + d * DAY_MS);
                    sqlx::query("UPDATE kb_article SET verified_at = $1, verified_by = $2, verify_before = $3, updated_at = $1 WHERE id = $4")
                        .bind(t)
                        .bind(actor.user())
                        .bind(verify_before)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    audit(&mut tx, actor, "article.verified", id, json!({})).await?;
                    let article = load_article(&mut tx, ws, id).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(article)
                }

                async fn get_translation(&self, actor: &Actor, article_id: Id, locale: Locale) -> Result<Translation> {
                    require(actor, Permission::ReadKnowledge)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    load_translation(&mut conn, actor.workspace_id, article_id, locale).await
                }

                async fn save_translation(&self, actor: &Actor, article_id: Id, locale: Locale, input: &TranslationInput) -> Result<Translation> {
                    require(actor, Permission::WriteKnowledge)?;
                    let ws = actor.workspace_id;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    load_article_row(&mut tx, ws, article_id).await?;
                    match translation_row(&mut tx, ws, article_id, locale).await? {
                        Some(row) => save_version(&mut tx, actor, &row, input).await?,
                        None => {
                            insert_translation(&mut tx, actor, article_id, locale, input).await?;
                            touch_article(&mut tx, article_id).await?;
                        }
                    }
                    let tr = load_translation(&mut tx, ws, article_id, locale).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(tr)
                }

                async fn translation_workflow(&self, actor: &Actor, article_id: Id, locale: Locale, action: WorkflowAction) -> Result<Translation> {
                    use ArticleStatus as S;
                    use WorkflowAction as A;
                    require(actor, Permission::WriteKnowledge)?;
                    if !matches!(action, A::Submit) {
                        require(actor, Permission::PublishKnowledge)?;
                    }
                    let ws = actor.workspace_id;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    load_article_row(&mut tx, ws, article_id).await?;
                    let row = translation_row(&mut tx, ws, article_id, locale).await?.ok_or(StoreError::NotFound("translation"))?;
                    let status = S::parse(&row.status)?;
                    let pending = row.published_version.is_some_and(|p| p < row.version);
                    let bad = || StoreError::Conflict(format!("cannot {} a translation that is {}", action.as_str(), status.as_str()));
                    let t = now();
                    match action {
                        A::Submit => {
                            if !(status == S::Draft || (status == S::Published && pending)) {
                                return Err(bad());
                            }
                            // A published article's pending changes go to review while the published version stays live.
                            if status == S::Draft {
                                sqlx::query("UPDATE kb_translation SET status = 'review', updated_at = $1 WHERE id = $2")
                                    .bind(t)
                                    .bind(row.id)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(map_err)?;
                            }
                        }
                        A::Reject => {
                            if status != S::Review {
                                return Err(bad());
                            }
                            sqlx::query("UPDATE kb_translation SET status = 'draft', updated_at = $1 WHERE id = $2")
                                .bind(t)
                                .bind(row.id)
                                .execute(&mut *tx)
                                .await
                                .map_err(map_err)?;
                        }
                        A::Publish => {
                            if status == S::Published && !pending {
                                return Err(bad());
                            }
                            let latest = version_row(&mut tx, row.id, row.version).await?;
                            let live = live_from(&latest.title, BodyFormat::parse(&latest.format)?, &latest.body)?;
                            write_live(&mut tx, ws, row.id, &live).await?;
                            sqlx::query(
                                "UPDATE kb_translation SET status = 'published', published_version = version, published_at = $1, \
                                 updated_at = $1 WHERE id = $2",
                            )
                            .bind(t)
                            .bind(row.id)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        }
                        A::Unpublish | A::Archive => {
                            if status == S::Archived || (action == A::Unpublish && status != S::Published) {
                                return Err(bad());
                            }
                            let next = if action == A::Archive { "archived" } else { "draft" };
                            // Readers no longer see it; the live columns follow the latest draft again.
                            let latest = version_row(&mut tx, row.id, row.version).await?;
                            let live = live_from(&latest.title, BodyFormat::parse(&latest.format)?, &latest.body)?;
                            write_live(&mut tx, ws, row.id, &live).await?;
                            sqlx::query("UPDATE kb_translation SET status = $1, published_version = NULL, updated_at = $2 WHERE id = $3")
                                .bind(next)
                                .bind(t)
                                .bind(row.id)
                                .execute(&mut *tx)
                                .await
                                .map_err(map_err)?;
                        }
                    }
                    touch_article(&mut tx, article_id).await?;
                    audit(&mut tx, actor, &format!("article.{}", action.as_str()), article_id, json!({ "locale": locale, "version": row.version }))
                        .await?;
                    let tr = load_translation(&mut tx, ws, article_id, locale).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(tr)
                }

                async fn list_versions(&self, actor: &Actor, article_id: Id, locale: Locale) -> Result<Vec<ArticleVersion>> {
                    require(actor, Permission::ReadKnowledge)?;
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let row = translation_row(&mut conn, actor.workspace_id, article_id, locale).await?.ok_or(StoreError::NotFound("translation"))?;
                    let sql = format!("SELECT {VERSION_COLUMNS} FROM kb_article_version WHERE translation_id = $1 ORDER BY version DESC");
                    let rows: Vec<VersionRow> = sqlx::query_as(&sql).bind(row.id).fetch_all(&mut *conn).await.map_err(map_err)?;
                    rows.into_iter().map(VersionRow::into_model).collect()
                }

                async fn restore_version(&self, actor: &Actor, article_id: Id, locale: Locale, version: i64) -> Result<Translation> {
                    require(actor, Permission::WriteKnowledge)?;
                    let ws = actor.workspace_id;
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let row = translation_row(&mut tx, ws, article_id, locale).await?.ok_or(StoreError::NotFound("translation"))?;
                    let old = version_row(&mut tx, row.id, version).await?;
                    let input = TranslationInput {
                        title: old.title,
                        body: old.body,
                        format: BodyFormat::parse(&old.format)?,
                        note: Some(format!("restored version {version}")),
                    };
                    save_version(&mut tx, actor, &row, &input).await?;
                    audit(&mut tx, actor, "article.restored", article_id, json!({ "locale": locale, "version": version })).await?;
                    let tr = load_translation(&mut tx, ws, article_id, locale).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(tr)
                }

                async fn add_article_file(&self, actor: &Actor, article_id: Id, file: &NewArticleFile) -> Result<ArticleFile> {
                    require(actor, Permission::WriteKnowledge)?;
                    let name = file.filename.trim();
                    if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\']) {
                        return Err(invalid("filename", "give a file name without slashes, up to 200 characters"));
                    }
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    load_article_row(&mut tx, actor.workspace_id, article_id).await?;
                    let sql = format!(
                        "INSERT INTO kb_file (workspace_id, article_id, filename, content_type, size, sha256, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {}",
                        FILE_COLUMNS.replace("f.", "")
                    );
                    let row: FileRow = sqlx::query_as(&sql)
                        .bind(actor.workspace_id)
                        .bind(article_id)
                        .bind(name)
                        .bind(&file.content_type)
                        .bind(file.size)
                        .bind(&file.sha256)
                        .bind(actor.user())
                        .bind(now())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(row.into_model())
                }

                async fn list_article_files(&self, actor: &Actor, article_id: Id) -> Result<Vec<ArticleFile>> {
                    require(actor, Permission::ReadKnowledge)?;
                    let sql = format!("SELECT {FILE_COLUMNS} FROM kb_file f WHERE f.article_id = $1 AND f.workspace_id = $2 ORDER BY f.id");
                    let rows: Vec<FileRow> =
                        sqlx::query_as(&sql).bind(article_id).bind(actor.workspace_id).fetch_all(&self.read).await.map_err(map_err)?;
                    Ok(rows.into_iter().map(FileRow::into_model).collect())
                }

                async fn public_article_file(&self, workspace_id: Id, brand_id: Id, file_id: Id) -> Result<ArticleFile> {
                    let sql = format!(
                        "SELECT {FILE_COLUMNS} FROM kb_file f JOIN kb_article a ON a.id = f.article_id WHERE f.id = $3 AND f.workspace_id = $1 \
                         AND a.brand_id = $2 AND a.visibility = 'public' AND EXISTS (SELECT 1 FROM kb_translation t WHERE t.article_id = a.id \
                         AND t.status = 'published')"
                    );
                    let row: FileRow = sqlx::query_as(&sql)
                        .bind(workspace_id)
                        .bind(brand_id)
                        .bind(file_id)
                        .fetch_one(&self.read)
                        .await
                        .map_err(not_found("file"))?;
                    Ok(row.into_model())
                }

                async fn staff_article_file(&self, actor: &Actor, file_id: Id) -> Result<ArticleFile> {
                    require(actor, Permission::ReadKnowledge)?;
                    let sql = format!("SELECT {FILE_COLUMNS} FROM kb_file f WHERE f.id = $1 AND f.workspace_id = $2");
                    let row: FileRow =
                        sqlx::query_as(&sql).bind(file_id).bind(actor.workspace_id).fetch_one(&self.read).await.map_err(not_found("file"))?;
                    Ok(row.into_model())
                }

                async fn search_articles(&self, scope: &SearchScope, q: &ArticleSearch) -> Result<SearchResults> {
                    if let SearchScope::Staff(actor) = scope {
                        require(actor, Permission::ReadKnowledge)?;
                    }
                    let none = || SearchResults { hits: vec![], mode: "none".into(), required: 0 };
                    let terms = search::parse_query(&q.query, q.as_you_type);
                    if terms.is_empty() {
                        return Ok(none());
                    }
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    let (rows, typo_rows) = vocabulary(&mut conn, scope.workspace_id(), &terms).await?;
                    let plan = search::build_plan(&terms, &rows, &typo_rows);
                    let limit = q.limit.clamp(1, 50);
                    let mut mode = "all";
                    let mut cands = fetch_candidates(&mut conn, scope, q, &plan, true).await?;
                    if cands.is_empty() {
                        mode = "any";
                        cands = fetch_candidates(&mut conn, scope, q, &plan, false).await?;
                    }
                    if cands.is_empty() {
                        return Ok(none());
                    }
                    let prefer = q.prefer_locale.map(|l| l.as_str());
                    let scored: Vec<search::Candidate> = cands
                        .iter()
                        .map(|c| search::Candidate {
                            id: c.id,
                            title: &c.search_title,
                            body: &c.search_body,
                            boost: if prefer == Some(c.locale.as_str()) { 1.15 } else { 1.0 },
                        })
                        .collect();
                    // When not every word matched, a hit must match some word as written (or by
                    // stem or prefix): typo corrections alone are not evidence enough.
                    let ranked: Vec<search::Ranked> =
                        search::rank(&plan, &scored).into_iter().filter(|r| mode == "all" || r.solid).take(limit).collect();
                    if ranked.is_empty() {
                        return Ok(none());
                    }
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT id, body_text FROM kb_translation WHERE id IN (");
                    let mut sep = qb.separated(", ");
                    for r in &ranked {
                        sep.push_bind(r.id);
                    }
                    qb.push(")");
                    let bodies: BTreeMap<i64, String> = qb
                        .build()
                        .fetch_all(&mut *conn)
                        .await
                        .map_err(map_err)?
                        .iter()
                        .map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?)))
                        .collect::<std::result::Result<_, sqlx::Error>>()
                        .map_err(map_err)?;
                    let mut hits = Vec::with_capacity(ranked.len());
                    for r in ranked {
                        let Some(c) = cands.iter().find(|c| c.id == r.id) else { continue };
                        let body = bodies.get(&c.id).map(String::as_str).unwrap_or("");
                        hits.push(ArticleHit {
                            article_id: c.article_id,
                            translation_id: c.id,
                            brand_id: c.brand_id,
                            category_id: c.category_id,
                            locale: Locale::parse(&c.locale)?,
                            title: c.title.clone(),
                            slug: c.slug.clone(),
                            visibility: Visibility::parse(&c.visibility)?,
                            status: ArticleStatus::parse(&c.status)?,
                            title_html: search::highlight(&c.title, &plan),
                            snippet_html: search::snippet(body, &plan, 30),
                            score: (r.score * 1000.0).round() / 1000.0,
                            matched: r.matched,
                        });
                    }
                    let required = plan.groups.iter().filter(|g| !g.optional).count();
                    Ok(SearchResults { hits, mode: mode.into(), required })
                }

                async fn search_messages(&self, actor: &Actor, q: &MessageSearch) -> Result<Vec<MessageHit>> {
                    require(actor, Permission::ReadTickets)?;
                    let terms = search::parse_query(&q.query, q.as_you_type);
                    let required: Vec<&search::QueryTerm> = terms.iter().filter(|t| !t.optional).collect();
                    if required.is_empty() {
                        return Ok(vec![]);
                    }
                    let expr = if POSTGRES {
                        required
                            .iter()
                            .map(|t| format!("'{}'{}", t.token.replace('\\', "\\\\").replace('\'', "''"), if t.prefix { ":*" } else { "" }))
                            .collect::<Vec<_>>()
                            .join(" & ")
                    } else {
                        required
                            .iter()
                            .map(|t| format!("\"{}\"{}", t.token.replace('"', "\"\""), if t.prefix { "*" } else { "" }))
                            .collect::<Vec<_>>()
                            .join(" AND ")
                    };
                    let cols = "m.id, m.ticket_id, tk.subject, m.body_text, m.created_at";
                    let mut qb = if POSTGRES {
                        let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                            "SELECT {cols} FROM message_search s JOIN message m ON m.id = s.message_id JOIN ticket tk ON tk.id = m.ticket_id \
                             WHERE s.search_vector @@ "
                        ));
                        qb.push_bind(expr).push("::tsquery AND s.workspace_id = ").push_bind(actor.workspace_id);
                        qb
                    } else {
                        let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                            "SELECT {cols} FROM message_fts JOIN message m ON m.id = message_fts.rowid JOIN ticket tk ON tk.id = m.ticket_id \
                             WHERE message_fts MATCH "
                        ));
                        qb.push_bind(expr);
                        qb
                    };
                    qb.push(" AND m.workspace_id = ").push_bind(actor.workspace_id);
                    if !actor.sees_all_teams() {
                        qb.push(" AND (tk.team_id IS NULL OR tk.team_id NOT IN (SELECT id FROM team WHERE workspace_id = ")
                            .push_bind(actor.workspace_id)
                            .push(" AND restricted = TRUE)");
                        for team in &actor.team_ids {
                            qb.push(" OR tk.team_id = ").push_bind(*team);
                        }
                        qb.push(")");
                    }
                    qb.push(if POSTGRES { " ORDER BY s.message_id DESC" } else { " ORDER BY message_fts.rowid DESC" });
                    qb.push(" LIMIT ").push_bind(q.limit.clamp(1, 100) as i64);
                    let rows = qb.build().fetch_all(&self.read).await.map_err(map_err)?;
                    let groups = terms
                        .iter()
                        .map(|t| search::TermGroup {
                            query: t.token.clone(),
                            optional: t.optional,
                            expansions: vec![search::Expansion { term: t.token.clone(), kind: search::MatchKind::Exact, doc_count: 1 }],
                        })
                        .collect();
                    let plan = search::Plan { groups, total_docs: 1 };
                    rows.iter()
                        .map(|r| {
                            let body: String = r.try_get(3)?;
                            Ok(MessageHit {
                                message_id: r.try_get(0)?,
                                ticket_id: r.try_get(1)?,
                                ticket_subject: r.try_get(2)?,
                                snippet_html: search::snippet(&body, &plan, 24),
                                created_at: Timestamp(r.try_get(4)?),
                            })
                        })
                        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
                        .map_err(map_err)
                }

                async fn index_messages(&self, batch: i64) -> Result<usize> {
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let rows = sqlx::query(
                        "SELECT r.message_id, m.workspace_id, m.body_text FROM search_reindex r JOIN message m ON m.id = r.message_id \
                         ORDER BY r.message_id LIMIT $1",
                    )
                    .bind(batch.max(1))
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    if rows.is_empty() {
                        return Ok(0);
                    }
                    let mut docs: Vec<(i64, i64, String)> = Vec::with_capacity(rows.len());
                    for r in &rows {
                        let body: String = r.try_get(2).map_err(map_err)?;
                        docs.push((r.try_get(0).map_err(map_err)?, r.try_get(1).map_err(map_err)?, text::normalize(&body)));
                    }
                    for chunk in docs.chunks(200) {
                        if POSTGRES {
                            let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO message_search (message_id, workspace_id, search_vector) ");
                            qb.push_values(chunk.iter(), |mut b, (id, ws, norm)| {
                                b.push_bind(*id).push_bind(*ws).push_bind(search::tsvector_literal(norm, 'D')).push_unseparated("::tsvector");
                            });
                            qb.push(" ON CONFLICT (message_id) DO UPDATE SET search_vector = excluded.search_vector");
                            qb.build().execute(&mut *tx).await.map_err(map_err)?;
                        } else {
                            let mut qb = sqlx::QueryBuilder::<$db>::new("DELETE FROM message_fts WHERE rowid IN (");
                            let mut sep = qb.separated(", ");
                            for (id, _, _) in chunk {
                                sep.push_bind(*id);
                            }
                            qb.push(")");
                            qb.build().execute(&mut *tx).await.map_err(map_err)?;
                            let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO message_fts (rowid, body) ");
                            qb.push_values(chunk.iter(), |mut b, (id, _, norm)| {
                                b.push_bind(*id).push_bind(norm.as_str());
                            });
                            qb.build().execute(&mut *tx).await.map_err(map_err)?;
                        }
                        let mut qb = sqlx::QueryBuilder::<$db>::new("DELETE FROM search_reindex WHERE message_id IN (");
                        let mut sep = qb.separated(", ");
                        for (id, _, _) in chunk {
                            sep.push_bind(*id);
                        }
                        qb.push(")");
                        qb.build().execute(&mut *tx).await.map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(docs.len())
                }

                async fn help_center(&self, workspace_slug: &str, brand_slug: &str) -> Result<HelpCenter> {
                    let sql = format!("{HELP_CENTER_SELECT} WHERE w.slug = $1 AND b.slug = $2");
                    let row = sqlx::query(&sql).bind(workspace_slug).bind(brand_slug).fetch_one(&self.read).await.map_err(not_found("help center"))?;
                    help_center_from(&row)
                }

                async fn help_center_of(&self, actor: &Actor, brand_id: Id) -> Result<HelpCenter> {
                    require(actor, Permission::ReadKnowledge)?;
                    let sql = format!("{HELP_CENTER_SELECT} WHERE w.id = $1 AND b.id = $2");
                    let row = sqlx::query(&sql).bind(actor.workspace_id).bind(brand_id).fetch_one(&self.read).await.map_err(not_found("brand"))?;
                    help_center_from(&row)
                }

                async fn public_categories(&self, workspace_id: Id, brand_id: Id) -> Result<Vec<Category>> {
                    let sql = format!("SELECT {CATEGORY_COLUMNS} FROM kb_category WHERE workspace_id = $1 AND brand_id = $2 ORDER BY position, id");
                    let rows: Vec<CategoryRow> = sqlx::query_as(&sql).bind(workspace_id).bind(brand_id).fetch_all(&self.read).await.map_err(map_err)?;
                    rows.into_iter().map(CategoryRow::into_model).collect()
                }

                async fn public_articles(&self, workspace_id: Id, brand_id: Id, locale: Option<Locale>, category_id: Option<Id>) -> Result<Vec<PublicArticleRef>> {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT t.article_id, a.category_id, t.locale, t.title, t.slug, t.updated_at FROM kb_translation t \
                         JOIN kb_article a ON a.id = t.article_id WHERE a.visibility = 'public' AND t.status = 'published' AND t.workspace_id = ",
                    );
                    qb.push_bind(workspace_id).push(" AND a.brand_id = ").push_bind(brand_id);
                    if let Some(l) = locale {
                        qb.push(" AND t.locale = ").push_bind(l.as_str());
                    }
                    if let Some(c) = category_id {
                        qb.push(" AND a.category_id = ").push_bind(c);
                    }
                    qb.push(" ORDER BY t.updated_at DESC, t.id DESC LIMIT 5000");
                    let rows = qb.build().fetch_all(&self.read).await.map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            let locale: String = r.try_get(2).map_err(map_err)?;
                            Ok(PublicArticleRef {
                                article_id: r.try_get(0).map_err(map_err)?,
                                category_id: r.try_get(1).map_err(map_err)?,
                                locale: Locale::parse(&locale)?,
                                title: r.try_get(3).map_err(map_err)?,
                                slug: r.try_get(4).map_err(map_err)?,
                                updated_at: Timestamp(r.try_get(5).map_err(map_err)?),
                            })
                        })
                        .collect()
                }

                async fn public_article(&self, workspace_id: Id, brand_id: Id, article_id: Id, locale: Locale) -> Result<PublicArticle> {
                    let sql = format!(
                        "SELECT t.id, a.category_id, t.locale, t.title, t.slug, t.body_html, t.body_text, t.updated_at FROM kb_translation t \
                         JOIN kb_article a ON a.id = t.article_id WHERE {PUBLIC_FILTER} AND t.article_id = $3"
                    );
                    let rows = sqlx::query(&sql).bind(workspace_id).bind(brand_id).bind(article_id).fetch_all(&self.read).await.map_err(map_err)?;
                    let mut found = None;
                    let mut others = Vec::new();
                    for r in &rows {
                        let l = Locale::parse(&r.try_get::<String, _>(2).map_err(map_err)?)?;
                        if l == locale {
                            found = Some(r);
                        } else {
                            others.push((l, r.try_get::<String, _>(4).map_err(map_err)?));
                        }
                    }
                    let r = found.ok_or(StoreError::NotFound("article"))?;
                    others.sort();
                    Ok(PublicArticle {
                        article_id,
                        translation_id: r.try_get(0).map_err(map_err)?,
                        category_id: r.try_get(1).map_err(map_err)?,
                        locale,
                        title: r.try_get(3).map_err(map_err)?,
                        slug: r.try_get(4).map_err(map_err)?,
                        body_html: r.try_get(5).map_err(map_err)?,
                        body_text: r.try_get(6).map_err(map_err)?,
                        updated_at: Timestamp(r.try_get(7).map_err(map_err)?),
                        other_locales: others,
                    })
                }

                async fn article_feedback(&self, workspace_id: Id, brand_id: Id, f: &NewFeedback) -> Result<()> {
                    let (article_id, locale, helpful) = (f.article_id, f.locale, f.helpful);
                    let comment = f.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
                    if comment.is_some_and(|c| c.chars().count() > 2000) {
                        return Err(invalid("comment", "must be at most 2000 characters"));
                    }
                    let mut writer = self.writer().await?;
                    let mut tx = begin(&mut writer).await?;
                    let sql = format!("SELECT t.id FROM kb_translation t JOIN kb_article a ON a.id = t.article_id WHERE {PUBLIC_FILTER} AND t.article_id = $3 AND t.locale = $4");
                    let tid: i64 = sqlx::query(&sql)
                        .bind(workspace_id)
                        .bind(brand_id)
                        .bind(article_id)
                        .bind(locale.as_str())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(not_found("article"))?
                        .try_get(0)
                        .map_err(map_err)?;
                    sqlx::query(
                        "INSERT INTO kb_feedback (workspace_id, article_id, translation_id, helpful, comment, session_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(workspace_id)
                    .bind(article_id)
                    .bind(tid)
                    .bind(helpful)
                    .bind(comment)
                    .bind(f.session_id.as_deref().map(clean_session))
                    .bind(now())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    let sql = if helpful {
                        "UPDATE kb_translation SET helpful_yes = helpful_yes + 1 WHERE id = $1"
                    } else {
                        "UPDATE kb_translation SET helpful_no = helpful_no + 1 WHERE id = $1"
                    };
                    sqlx::query(sql).bind(tid).execute(&mut *tx).await.map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(())
                }

                async fn log_search(&self, workspace_id: Id, e: &SearchLogEntry) -> Result<Id> {
                    let query: String = e.query.trim().chars().take(500).collect();
                    let id: i64 = sqlx::query(
                        "INSERT INTO kb_search_log (workspace_id, brand_id, locale, source, session_id, query, query_norm, hits, top_article_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    )
                    .bind(workspace_id)
                    .bind(e.brand_id)
                    .bind(e.locale.map(|l| l.as_str()))
                    .bind(e.source.as_str())
                    .bind(clean_session(&e.session_id))
                    .bind(&query)
                    .bind(text::normalize(&query))
                    .bind(e.hits)
                    .bind(e.top_article_id)
                    .bind(now())
                    .fetch_one(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?
                    .try_get(0)
                    .map_err(map_err)?;
                    Ok(id)
                }

                async fn log_search_click(&self, workspace_id: Id, session_id: &str, search_id: Id, article_id: Id) -> Result<()> {
                    let done = sqlx::query(
                        "UPDATE kb_search_log SET clicked_article_id = $1, clicked_at = $2 WHERE id = $3 AND workspace_id = $4 AND session_id = $5",
                    )
                    .bind(article_id)
                    .bind(now())
                    .bind(search_id)
                    .bind(workspace_id)
                    .bind(clean_session(session_id))
                    .execute(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("search"));
                    }
                    Ok(())
                }

                async fn link_searches_to_ticket(&self, workspace_id: Id, session_id: &str, ticket_id: Id, at: Timestamp) -> Result<u64> {
                    let session = clean_session(session_id);
                    if session.is_empty() {
                        return Ok(0);
                    }
                    let done = sqlx::query(
                        "UPDATE kb_search_log SET ticket_id = $1, ticket_at = $2 WHERE workspace_id = $3 AND session_id = $4 \
                         AND created_at >= $5 AND created_at <= $2 AND ticket_id IS NULL",
                    )
                    .bind(ticket_id)
                    .bind(at.millis())
                    .bind(workspace_id)
                    .bind(&session)
                    .bind(at.millis() - DAY_MS)
                    .execute(&mut *self.writer().await?)
                    .await
                    .map_err(map_err)?;
                    Ok(done.rows_affected())
                }

                async fn deflection_report(&self, actor: &Actor, brand_id: Option<Id>, from: Timestamp, to: Timestamp) -> Result<DeflectionReport> {
                    require(actor, Permission::ReadKnowledge)?;
                    let settled_before = now() - DAY_MS;
                    let scope = |qb: &mut sqlx::QueryBuilder<'_, $db>| {
                        qb.push(" WHERE workspace_id = ").push_bind(actor.workspace_id);
                        qb.push(" AND created_at >= ").push_bind(from.millis()).push(" AND created_at < ").push_bind(to.millis());
                        if let Some(b) = brand_id {
                            qb.push(" AND brand_id = ").push_bind(b);
                        }
                    };
                    let mut conn = self.read.acquire().await.map_err(map_err)?;
                    // One row per session: its searches, whether a ticket followed, and its last search.
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT COUNT(*), CAST(COALESCE(SUM(n), 0) AS BIGINT), \
                         CAST(COALESCE(SUM(CASE WHEN with_ticket > 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                         CAST(COALESCE(SUM(CASE WHEN with_ticket = 0 AND last_at > ",
                    );
                    qb.push_bind(settled_before);
                    qb.push(
                        " THEN 1 ELSE 0 END), 0) AS BIGINT) FROM (SELECT session_id, COUNT(*) AS n, \
                         SUM(CASE WHEN ticket_id IS NOT NULL THEN 1 ELSE 0 END) AS with_ticket, MAX(created_at) AS last_at FROM kb_search_log",
                    );
                    scope(&mut qb);
                    qb.push(" GROUP BY session_id) s");
                    let row = qb.build().fetch_one(&mut *conn).await.map_err(map_err)?;
                    let sessions: i64 = row.try_get(0).map_err(map_err)?;
                    let searches: i64 = row.try_get(1).map_err(map_err)?;
                    let with_ticket: i64 = row.try_get(2).map_err(map_err)?;
                    let pending: i64 = row.try_get(3).map_err(map_err)?;
                    let settled = sessions - pending;
                    let deflection_rate = (settled > 0).then(|| (settled - with_ticket) as f64 / settled as f64);

                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT MIN(query), COUNT(*) AS n FROM kb_search_log");
                    scope(&mut qb);
                    qb.push(" AND hits = 0 AND query_norm <> '' GROUP BY query_norm ORDER BY n DESC, MIN(query) LIMIT 20");
                    let no_result_queries = qb
                        .build()
                        .fetch_all(&mut *conn)
                        .await
                        .map_err(map_err)?
                        .iter()
                        .map(|r| Ok(QueryCount { query: r.try_get(0)?, searches: r.try_get(1)? }))
                        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
                        .map_err(map_err)?;

                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT clicked_article_id, CAST(SUM(CASE WHEN ticket_id IS NULL AND created_at < ",
                    );
                    qb.push_bind(settled_before);
                    qb.push(" THEN 1 ELSE 0 END) AS BIGINT) AS deflected, CAST(SUM(CASE WHEN ticket_id IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) \
                         FROM kb_search_log");
                    scope(&mut qb);
                    qb.push(" AND clicked_article_id IS NOT NULL GROUP BY clicked_article_id ORDER BY deflected DESC, clicked_article_id LIMIT 20");
                    let rows = qb.build().fetch_all(&mut *conn).await.map_err(map_err)?;
                    let mut top = Vec::with_capacity(rows.len());
                    for r in rows {
                        let article_id: i64 = r.try_get(0).map_err(map_err)?;
                        let title: Option<String> = sqlx::query("SELECT title FROM kb_translation WHERE article_id = $1 AND workspace_id = $2 ORDER BY id LIMIT 1")
                            .bind(article_id)
                            .bind(actor.workspace_id)
                            .fetch_optional(&mut *conn)
                            .await
                            .map_err(map_err)?
                            .map(|t| t.try_get(0))
                            .transpose()
                            .map_err(map_err)?;
                        top.push(DeflectingArticle {
                            article_id,
                            title: title.unwrap_or_default(),
                            deflected: r.try_get(1).map_err(map_err)?,
                            followed_by_ticket: r.try_get(2).map_err(map_err)?,
                        });
                    }
                    Ok(DeflectionReport {
                        searches,
                        sessions,
                        sessions_with_ticket: with_ticket,
                        sessions_pending: pending,
                        deflection_rate,
                        no_result_queries,
                        top_deflecting_articles: top,
                    })
                }

                async fn add_bot_turn(&self, workspace_id: Id, turn: &NewBotTurn) -> Result<BotTurn> {
                    let session = clean_session(&turn.session_id);
                    if session.is_empty() {
                        return Err(invalid("session_id", "must be letters, digits, '-' or '_'"));
                    }
                    let sql = format!(
                        "INSERT INTO kb_bot_turn (workspace_id, brand_id, session_id, locale, question, answer, article_id, translation_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {BOT_TURN_COLUMNS}"
                    );
                    let row: BotTurnRow = sqlx::query_as(&sql)
                        .bind(workspace_id)
                        .bind(turn.brand_id)
                        .bind(&session)
                        .bind(turn.locale.map(|l| l.as_str()))
                        .bind(turn.question.chars().take(2000).collect::<String>())
                        .bind(&turn.answer)
                        .bind(turn.article_id)
                        .bind(turn.translation_id)
                        .bind(now())
                        .fetch_one(&mut *self.writer().await?)
                        .await
                        .map_err(map_err)?;
                    row.into_model()
                }

                async fn set_bot_turn_solved(&self, workspace_id: Id, session_id: &str, turn_id: Id, solved: bool) -> Result<BotTurn> {
                    let sql = format!(
                        "UPDATE kb_bot_turn SET solved = $1 WHERE id = $2 AND workspace_id = $3 AND session_id = $4 RETURNING {BOT_TURN_COLUMNS}"
                    );
                    let row: BotTurnRow = sqlx::query_as(&sql)
                        .bind(solved)
                        .bind(turn_id)
                        .bind(workspace_id)
                        .bind(clean_session(session_id))
                        .fetch_one(&mut *self.writer().await?)
                        .await
                        .map_err(not_found("bot turn"))?;
                    row.into_model()
                }

                async fn bot_transcript(&self, workspace_id: Id, session_id: &str) -> Result<Vec<BotTurn>> {
                    let sql = format!("SELECT {BOT_TURN_COLUMNS} FROM kb_bot_turn WHERE workspace_id = $1 AND session_id = $2 ORDER BY id");
                    let rows: Vec<BotTurnRow> =
                        sqlx::query_as(&sql).bind(workspace_id).bind(clean_session(session_id)).fetch_all(&self.read).await.map_err(map_err)?;
                    rows.into_iter().map(BotTurnRow::into_model).collect()
                }
            }
        };
    };
}
