-- Measurement: ticket status history, per-ticket KPI facts, business hours,
-- time entries, surveys (CSAT / CES / NPS) with invitations, responses and
-- throttling, follow-up tasks, events and outbound webhooks.
-- Keep in step with crates/store-postgres/migrations/0007_surveys.sql.

-- Every status a ticket enters, written by triggers so that every path that
-- changes a status (edits, replies, inbound mail, macros, merges, imports)
-- is recorded, including paths added later.
CREATE TABLE ticket_status_change (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX ticket_status_change_ticket ON ticket_status_change (ticket_id, id);
CREATE INDEX ticket_status_change_to ON ticket_status_change (workspace_id, to_status, changed_at);

CREATE TRIGGER ticket_status_on_insert AFTER INSERT ON ticket BEGIN
    INSERT INTO ticket_status_change (workspace_id, ticket_id, from_status, to_status, changed_at)
    VALUES (NEW.workspace_id, NEW.id, NULL, NEW.status, NEW.created_at);
END;

CREATE TRIGGER ticket_status_on_update AFTER UPDATE OF status ON ticket WHEN NEW.status <> OLD.status BEGIN
    INSERT INTO ticket_status_change (workspace_id, ticket_id, from_status, to_status, changed_at)
    VALUES (NEW.workspace_id, NEW.id, OLD.status, NEW.status, NEW.updated_at);
END;

-- Tickets that existed before the history: created as new, then their
-- current status since their last solve or update (an approximation).
INSERT INTO ticket_status_change (workspace_id, ticket_id, from_status, to_status, changed_at)
SELECT workspace_id, id, NULL, 'new', created_at FROM ticket;
INSERT INTO ticket_status_change (workspace_id, ticket_id, from_status, to_status, changed_at)
SELECT workspace_id, id, 'new', status,
       CASE WHEN status IN ('solved', 'closed') AND solved_at IS NOT NULL THEN solved_at ELSE updated_at END
FROM ticket WHERE status <> 'new';

-- Per-ticket KPI facts (see crates/analytics/src/ticket.rs), recomputed from
-- the ticket's history whenever it is marked dirty.
CREATE TABLE ticket_fact (
    ticket_id INTEGER PRIMARY KEY REFERENCES ticket(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    brand_id INTEGER,
    team_id INTEGER,
    assignee_id INTEGER,
    requester_id INTEGER,
    channel TEXT NOT NULL,
    language TEXT,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    merged BOOLEAN NOT NULL,
    tags TEXT NOT NULL,
    customer_initiated BOOLEAN NOT NULL,
    first_response_at INTEGER,
    first_responder_id INTEGER,
    frt_ms INTEGER,
    frt_business_ms INTEGER,
    first_solved_at INTEGER,
    resolved_at INTEGER,
    ttr_ms INTEGER,
    ttr_net_ms INTEGER,
    ttr_business_ms INTEGER,
    paused_ms INTEGER NOT NULL,
    reopen_count INTEGER NOT NULL,
    agent_replies INTEGER NOT NULL,
    fcr BOOLEAN NOT NULL,
    unresolved BOOLEAN NOT NULL,
    computed_at INTEGER NOT NULL
);
CREATE INDEX ticket_fact_created ON ticket_fact (workspace_id, created_at);
CREATE INDEX ticket_fact_responded ON ticket_fact (workspace_id, first_response_at);
CREATE INDEX ticket_fact_resolved ON ticket_fact (workspace_id, resolved_at);
CREATE INDEX ticket_fact_first_solved ON ticket_fact (workspace_id, first_solved_at);
CREATE INDEX ticket_fact_unresolved ON ticket_fact (workspace_id, unresolved, created_at);

-- Tickets whose facts are out of date. Written by triggers in the same
-- transaction as the change; `version` grows with each change so a refresh
-- only clears the rows it actually recomputed.
CREATE TABLE ticket_fact_dirty (
    ticket_id INTEGER PRIMARY KEY REFERENCES ticket(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ticket_fact_dirty_ws ON ticket_fact_dirty (workspace_id, ticket_id);

CREATE TRIGGER ticket_fact_on_insert AFTER INSERT ON ticket BEGIN
    INSERT INTO ticket_fact_dirty (ticket_id, workspace_id, version) VALUES (NEW.id, NEW.workspace_id, 1)
    ON CONFLICT (ticket_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ticket_fact_on_update AFTER UPDATE ON ticket BEGIN
    INSERT INTO ticket_fact_dirty (ticket_id, workspace_id, version) VALUES (NEW.id, NEW.workspace_id, 1)
    ON CONFLICT (ticket_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ticket_fact_on_message AFTER INSERT ON message BEGIN
    INSERT INTO ticket_fact_dirty (ticket_id, workspace_id, version) VALUES (NEW.ticket_id, NEW.workspace_id, 1)
    ON CONFLICT (ticket_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ticket_fact_on_message_move AFTER UPDATE OF ticket_id ON message WHEN NEW.ticket_id <> OLD.ticket_id BEGIN
    INSERT INTO ticket_fact_dirty (ticket_id, workspace_id, version) VALUES (NEW.ticket_id, NEW.workspace_id, 1)
    ON CONFLICT (ticket_id) DO UPDATE SET version = version + 1;
    INSERT INTO ticket_fact_dirty (ticket_id, workspace_id, version) VALUES (OLD.ticket_id, OLD.workspace_id, 1)
    ON CONFLICT (ticket_id) DO UPDATE SET version = version + 1;
END;

INSERT INTO ticket_fact_dirty (ticket_id, workspace_id, version) SELECT id, workspace_id, 1 FROM ticket;

-- One business-hours calendar per workspace. week: JSON array of
-- {"day": "mon", "from": "09:00", "to": "17:00"}; holidays: JSON array of dates.
CREATE TABLE business_hours (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspace(id),
    time_zone TEXT NOT NULL,
    week TEXT NOT NULL,
    holidays TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Agent working time on a ticket, for AHT.
CREATE TABLE time_entry (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    ticket_id INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES app_user(id),
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    source TEXT NOT NULL,
    note TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX time_entry_ws_started ON time_entry (workspace_id, started_at);
CREATE INDEX time_entry_ticket ON time_entry (ticket_id, id);

-- questions: JSON {"question": {locale: text}, "follow_up": {locale: text},
-- "extra": [{"key", "label": {locale: text}, "choices": [..]}]}.
-- segment_organization_ids: JSON array; empty means every contact (NPS).
CREATE TABLE survey (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    brand_id INTEGER REFERENCES brand(id) ON DELETE SET NULL,
    delay_minutes INTEGER NOT NULL,
    throttle_days INTEGER NOT NULL,
    change_window_hours INTEGER NOT NULL,
    expires_after_days INTEGER NOT NULL,
    alert_at_or_below INTEGER NOT NULL,
    follow_up_user_id INTEGER REFERENCES app_user(id) ON DELETE SET NULL,
    segment_organization_ids TEXT NOT NULL,
    questions TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX survey_ws ON survey (workspace_id, id);

-- One survey sent (or deliberately not sent) to one contact. The ticket's
-- brand, team, assignee, channel and language are kept as they were when the
-- survey went out: that is who and what the answer rates.
CREATE TABLE survey_invitation (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    contact_id INTEGER REFERENCES contact(id) ON DELETE CASCADE,
    ticket_id INTEGER REFERENCES ticket(id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    brand_id INTEGER,
    team_id INTEGER,
    agent_id INTEGER,
    channel TEXT,
    language TEXT,
    -- pending (to send), sent, skipped (throttled or unreachable; see skip_reason)
    status TEXT NOT NULL,
    skip_reason TEXT,
    delivery TEXT,
    outbound_email_id INTEGER REFERENCES outbound_email(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    expires_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX survey_invitation_ticket ON survey_invitation (survey_id, ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX survey_invitation_status ON survey_invitation (status, id);
CREATE INDEX survey_invitation_contact ON survey_invitation (workspace_id, contact_id, created_at);
CREATE INDEX survey_invitation_ticket_id ON survey_invitation (ticket_id);

-- When each contact was last sent a survey of each kind: the throttle.
CREATE TABLE survey_throttle (
    workspace_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    last_invited_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, contact_id, kind)
);

-- The current answer to an invitation; earlier answers are in survey_answer_change.
CREATE TABLE survey_response (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    invitation_id INTEGER NOT NULL UNIQUE REFERENCES survey_invitation(id) ON DELETE CASCADE,
    survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
    ticket_id INTEGER REFERENCES ticket(id) ON DELETE SET NULL,
    brand_id INTEGER,
    team_id INTEGER,
    agent_id INTEGER,
    channel TEXT,
    language TEXT,
    score INTEGER NOT NULL,
    comment TEXT,
    answers TEXT NOT NULL,
    answered_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    revision INTEGER NOT NULL
);
CREATE INDEX survey_response_answered ON survey_response (workspace_id, answered_at);
CREATE INDEX survey_response_ticket ON survey_response (ticket_id);
CREATE INDEX survey_response_contact ON survey_response (contact_id, answered_at);

CREATE TABLE survey_answer_change (
    id INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES survey_response(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    comment TEXT,
    answers TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX survey_answer_change_response ON survey_answer_change (response_id, id);

-- Follow-up work for a person (e.g. call back a detractor).
CREATE TABLE task (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    owner_user_id INTEGER REFERENCES app_user(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    ticket_id INTEGER REFERENCES ticket(id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contact(id) ON DELETE CASCADE,
    survey_response_id INTEGER UNIQUE REFERENCES survey_response(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    due_at INTEGER,
    created_at INTEGER NOT NULL,
    done_at INTEGER
);
CREATE INDEX task_owner ON task (workspace_id, owner_user_id, status, id);
CREATE INDEX task_ticket ON task (ticket_id);

-- Things that happened, for webhooks (and later automations).
CREATE TABLE app_event (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    name TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX app_event_ws ON app_event (workspace_id, id);

-- events: JSON array of event names ("*" for all). secret_enc: sealed with the app's key.
CREATE TABLE webhook_subscription (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret_enc TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_subscription_ws ON webhook_subscription (workspace_id, id);

-- One event to one subscription: queued, sending (leased), delivered or failed.
CREATE TABLE webhook_delivery (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscription(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES app_event(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status_code INTEGER,
    last_error TEXT,
    last_duration_ms INTEGER,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (status, next_attempt_at);
CREATE INDEX webhook_delivery_subscription ON webhook_delivery (subscription_id, id);
