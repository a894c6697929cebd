-- SLA targets per workspace and priority (minutes from creation, calendar
-- time). A ticket's SLA state is computed from these and its own times.
-- Keep in step with crates/store-sqlite/migrations/0008_sla.sql.
CREATE TABLE sla_policy (
    workspace_id BIGINT NOT NULL REFERENCES workspace(id),
    priority TEXT NOT NULL,
    priority_rank BIGINT NOT NULL,
    first_response_minutes BIGINT,
    resolution_minutes BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, priority)
);
