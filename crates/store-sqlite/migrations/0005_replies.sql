-- Canned replies, macros, and password reset tokens.
-- Keep in step with crates/store-postgres/migrations/0005_replies.sql.

-- owner_user_id NULL: shared with the workspace; else personal to that user.
-- bodies: JSON object of locale -> text.
CREATE TABLE canned_reply (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    owner_user_id INTEGER REFERENCES app_user(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    shortcut TEXT,
    bodies TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX canned_reply_ws ON canned_reply (workspace_id, owner_user_id);
-- A shortcut is unique among the shared replies, and among each user's own.
CREATE UNIQUE INDEX canned_reply_shortcut ON canned_reply (workspace_id, COALESCE(owner_user_id, 0), shortcut)
    WHERE shortcut IS NOT NULL;

-- actions: JSON array of {"type": ..., ...} objects.
CREATE TABLE ticket_macro (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    name TEXT NOT NULL,
    actions TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ticket_macro_ws ON ticket_macro (workspace_id, name);

-- Only the SHA-256 of a reset token is kept.
CREATE TABLE password_reset (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX password_reset_user ON password_reset (user_id);
