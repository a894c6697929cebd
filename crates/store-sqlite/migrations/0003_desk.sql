-- The agent desk: saved inbox views, notifications (mentions), merged tickets,
-- and the index the live change feed reads.

CREATE TABLE saved_view (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    -- NULL: shared with the whole workspace; otherwise the owner's own view.
    user_id INTEGER REFERENCES app_user(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The inbox filters as a query string (status=open&priority=high...).
    filters TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX saved_view_ws ON saved_view (workspace_id, user_id, id);

CREATE TABLE notification (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ticket_id INTEGER REFERENCES ticket(id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES message(id) ON DELETE CASCADE,
    actor_user_id INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notification_user ON notification (user_id, read_at, id);

ALTER TABLE ticket ADD COLUMN merged_into_id INTEGER REFERENCES ticket(id) ON DELETE SET NULL;
CREATE INDEX ticket_changes ON ticket (updated_at, id);
CREATE INDEX ticket_ws_priority ON ticket (workspace_id, priority, updated_at, id);
