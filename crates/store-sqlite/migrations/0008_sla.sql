-- SLA targets per workspace and priority (minutes from creation, calendar
-- time). A ticket's SLA state is computed from these and its own times.
-- Keep in step with crates/store-postgres/migrations/0008_sla.sql.
CREATE TABLE sla_policy (
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    priority TEXT NOT NULL,
    priority_rank INTEGER NOT NULL,
    first_response_minutes INTEGER,
    resolution_minutes INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, priority)
);
