-- Knowledge base: categories, articles and their translations and versions,
-- feedback, search and answer-bot logs, and the search indexes (FTS5 over
-- text normalised in Rust; see docs/search.md).
-- Keep in step with crates/store-postgres/migrations/0004_kb.sql.

CREATE TABLE kb_category (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    brand_id INTEGER NOT NULL REFERENCES brand(id),
    parent_id INTEGER REFERENCES kb_category(id) ON DELETE CASCADE,
    names TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX kb_category_brand ON kb_category (workspace_id, brand_id, position, id);

CREATE TABLE kb_article (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    brand_id INTEGER NOT NULL REFERENCES brand(id),
    category_id INTEGER REFERENCES kb_category(id) ON DELETE SET NULL,
    visibility TEXT NOT NULL,
    verifier_id INTEGER REFERENCES app_user(id),
    verify_interval_days INTEGER,
    verified_at INTEGER,
    verified_by INTEGER REFERENCES app_user(id),
    verify_before INTEGER,
    created_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX kb_article_ws ON kb_article (workspace_id, updated_at, id);
CREATE INDEX kb_article_verify ON kb_article (workspace_id, verify_before) WHERE verify_before IS NOT NULL;

-- One row per language of an article. Its title and body columns hold what
-- readers and search see: the published version once there is one, else the
-- latest draft. Every saved version is in kb_article_version.
CREATE TABLE kb_translation (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    article_id INTEGER NOT NULL REFERENCES kb_article(id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    search_title TEXT NOT NULL,
    search_body TEXT NOT NULL,
    version INTEGER NOT NULL,
    published_version INTEGER,
    published_at INTEGER,
    helpful_yes INTEGER NOT NULL DEFAULT 0,
    helpful_no INTEGER NOT NULL DEFAULT 0,
    updated_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (article_id, locale)
);
CREATE INDEX kb_translation_ws ON kb_translation (workspace_id, locale, status);

CREATE TABLE kb_article_version (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    translation_id INTEGER NOT NULL REFERENCES kb_translation(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    body TEXT NOT NULL,
    note TEXT,
    created_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL,
    UNIQUE (translation_id, version)
);

CREATE TABLE kb_file (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    article_id INTEGER NOT NULL REFERENCES kb_article(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX kb_file_article ON kb_file (article_id, id);

CREATE TABLE kb_feedback (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    article_id INTEGER NOT NULL REFERENCES kb_article(id) ON DELETE CASCADE,
    translation_id INTEGER NOT NULL REFERENCES kb_translation(id) ON DELETE CASCADE,
    helpful BOOLEAN NOT NULL,
    comment TEXT,
    session_id TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX kb_feedback_article ON kb_feedback (workspace_id, article_id, id);

CREATE TABLE kb_search_log (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    brand_id INTEGER REFERENCES brand(id),
    locale TEXT,
    source TEXT NOT NULL,
    session_id TEXT NOT NULL,
    query TEXT NOT NULL,
    query_norm TEXT NOT NULL,
    hits INTEGER NOT NULL,
    top_article_id INTEGER,
    clicked_article_id INTEGER,
    clicked_at INTEGER,
    ticket_id INTEGER,
    ticket_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX kb_search_log_ws ON kb_search_log (workspace_id, created_at);
CREATE INDEX kb_search_log_session ON kb_search_log (workspace_id, session_id, created_at);

CREATE TABLE kb_bot_turn (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    brand_id INTEGER REFERENCES brand(id),
    session_id TEXT NOT NULL,
    locale TEXT,
    question TEXT NOT NULL,
    answer TEXT,
    article_id INTEGER,
    translation_id INTEGER,
    solved BOOLEAN,
    created_at INTEGER NOT NULL
);
CREATE INDEX kb_bot_turn_session ON kb_bot_turn (workspace_id, session_id, id);

-- The article index: FTS5 over the normalised title and body, kept in step
-- with kb_translation by triggers.
CREATE VIRTUAL TABLE kb_fts USING fts5(
    search_title, search_body,
    content = 'kb_translation', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER kb_translation_fts_insert AFTER INSERT ON kb_translation BEGIN
    INSERT INTO kb_fts (rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body);
END;
CREATE TRIGGER kb_translation_fts_delete AFTER DELETE ON kb_translation BEGIN
    INSERT INTO kb_fts (kb_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body);
END;
CREATE TRIGGER kb_translation_fts_update AFTER UPDATE OF search_title, search_body ON kb_translation BEGIN
    INSERT INTO kb_fts (kb_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body);
    INSERT INTO kb_fts (rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body);
END;

-- The vocabulary of each workspace's articles: how many translations hold
-- each word (the word '' counts the translations), its stem, and its
-- one-deletion variants for typo lookups.
CREATE TABLE kb_term (
    workspace_id INTEGER NOT NULL,
    term TEXT NOT NULL,
    stem TEXT NOT NULL,
    doc_count INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, term)
) WITHOUT ROWID;
CREATE INDEX kb_term_stem ON kb_term (workspace_id, stem);

CREATE TABLE kb_term_variant (
    workspace_id INTEGER NOT NULL,
    variant TEXT NOT NULL,
    term TEXT NOT NULL,
    PRIMARY KEY (workspace_id, variant, term)
) WITHOUT ROWID;

-- Ticket messages: a contentless FTS5 index over their normalised text.
-- Triggers queue every new or edited message in search_reindex; the indexer
-- (Rust, which normalises) drains the queue. Existing messages are queued here.
CREATE VIRTUAL TABLE message_fts USING fts5(
    body,
    content = '', contentless_delete = 1,
    prefix = '2 3',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE search_reindex (
    message_id INTEGER PRIMARY KEY
);
INSERT INTO search_reindex (message_id) SELECT id FROM message;
CREATE TRIGGER message_search_insert AFTER INSERT ON message BEGIN
    INSERT INTO search_reindex (message_id) VALUES (new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER message_search_update AFTER UPDATE OF body_text ON message BEGIN
    DELETE FROM message_fts WHERE rowid = old.id;
    INSERT INTO search_reindex (message_id) VALUES (new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER message_search_delete AFTER DELETE ON message BEGIN
    DELETE FROM message_fts WHERE rowid = old.id;
    DELETE FROM search_reindex WHERE message_id = old.id;
END;
