-- Core data model. Timestamps are INTEGER milliseconds since the Unix epoch (UTC).
-- Keep in step with crates/store-postgres/migrations/0001_core.sql.

CREATE TABLE workspace (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE brand (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    default_locale TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, slug)
);

CREATE TABLE app_user (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    locale TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX app_user_ws ON app_user (workspace_id, id);

CREATE TABLE team (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    name TEXT NOT NULL,
    restricted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE team_member (
    team_id INTEGER NOT NULL REFERENCES team(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_member_user ON team_member (user_id);

CREATE TABLE login_session (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);

CREATE TABLE tag (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE custom_field (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, key)
);

CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    locale TEXT,
    search_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX contact_email ON contact (workspace_id, email) WHERE email IS NOT NULL;
CREATE INDEX contact_ws ON contact (workspace_id, id);

CREATE TABLE organization (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    name TEXT NOT NULL,
    domain TEXT,
    notes TEXT,
    search_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX organization_ws ON organization (workspace_id, id);

CREATE TABLE contact_organization (
    contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, organization_id)
);
CREATE INDEX contact_organization_org ON contact_organization (organization_id, contact_id);

CREATE TABLE ticket (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    brand_id INTEGER REFERENCES brand(id),
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    priority_rank INTEGER NOT NULL,
    channel TEXT NOT NULL,
    language TEXT,
    requester_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
    assignee_id INTEGER REFERENCES app_user(id),
    team_id INTEGER REFERENCES team(id) ON DELETE SET NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    custom_fields TEXT NOT NULL DEFAULT '{}',
    followup_of INTEGER REFERENCES ticket(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    first_response_at INTEGER,
    solved_at INTEGER,
    closed_at INTEGER,
    reopened_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ticket_ws_updated ON ticket (workspace_id, updated_at, id);
CREATE INDEX ticket_ws_created ON ticket (workspace_id, created_at, id);
CREATE INDEX ticket_ws_status ON ticket (workspace_id, status, updated_at, id);
CREATE INDEX ticket_ws_assignee ON ticket (workspace_id, assignee_id, updated_at, id);
CREATE INDEX ticket_ws_team ON ticket (workspace_id, team_id, updated_at, id);
CREATE INDEX ticket_requester ON ticket (requester_id);

CREATE TABLE ticket_tag (
    ticket_id INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
    PRIMARY KEY (ticket_id, tag_id)
);
CREATE INDEX ticket_tag_tag ON ticket_tag (tag_id, ticket_id);

CREATE TABLE message (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    ticket_id INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    author_user_id INTEGER REFERENCES app_user(id),
    author_contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX message_ticket ON message (ticket_id, id);

CREATE TABLE attachment (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    message_id INTEGER NOT NULL REFERENCES message(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachment_message ON attachment (message_id);

CREATE TABLE raw_inbound (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    channel TEXT NOT NULL,
    source_key TEXT NOT NULL,
    bytes BLOB NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    error TEXT,
    received_at INTEGER NOT NULL,
    processed_at INTEGER,
    UNIQUE (workspace_id, channel, source_key)
);
CREATE INDEX raw_inbound_status ON raw_inbound (workspace_id, status, id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    actor_user_id INTEGER,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    details TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (workspace_id, entity_type, entity_id, id);
CREATE INDEX audit_log_ws ON audit_log (workspace_id, id);

CREATE TABLE idempotency_key (
    workspace_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, user_id, key)
);
