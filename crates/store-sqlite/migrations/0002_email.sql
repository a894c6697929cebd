-- The email channel: mailboxes, Message-ID threading, followers, the outbound queue.
-- Keep in step with crates/store-postgres/migrations/0002_email.sql.

CREATE TABLE mailbox (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    brand_id INTEGER REFERENCES brand(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    imap_host TEXT NOT NULL,
    imap_port INTEGER NOT NULL,
    imap_security TEXT NOT NULL,
    imap_username TEXT NOT NULL,
    imap_password_enc TEXT NOT NULL,
    imap_folder TEXT NOT NULL,
    smtp_host TEXT NOT NULL,
    smtp_port INTEGER NOT NULL,
    smtp_security TEXT NOT NULL,
    smtp_username TEXT NOT NULL,
    smtp_password_enc TEXT NOT NULL,
    from_name TEXT NOT NULL,
    reply_to TEXT,
    max_message_bytes INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    uid_validity INTEGER,
    last_uid INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, address)
);

-- Every Message-ID seen in or sent from a ticket, for threading replies.
CREATE TABLE email_thread (
    workspace_id INTEGER NOT NULL,
    message_id_header TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES message(id) ON DELETE SET NULL,
    direction TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, message_id_header)
);
CREATE INDEX email_thread_ticket ON email_thread (ticket_id);

CREATE TABLE ticket_follower (
    ticket_id INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
    PRIMARY KEY (ticket_id, contact_id)
);

CREATE TABLE outbound_email (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspace(id),
    mailbox_id INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
    ticket_id INTEGER REFERENCES ticket(id) ON DELETE SET NULL,
    message_id INTEGER REFERENCES message(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    recipients TEXT NOT NULL,
    message_id_header TEXT NOT NULL,
    raw BLOB NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX outbound_email_due ON outbound_email (status, next_attempt_at);
CREATE INDEX outbound_email_message ON outbound_email (message_id);

ALTER TABLE ticket ADD COLUMN mailbox_id INTEGER REFERENCES mailbox(id) ON DELETE SET NULL;
ALTER TABLE ticket ADD COLUMN email_secret TEXT;
ALTER TABLE message ADD COLUMN display_text TEXT;
ALTER TABLE message ADD COLUMN raw_inbound_id INTEGER REFERENCES raw_inbound(id) ON DELETE SET NULL;
ALTER TABLE message ADD COLUMN delivery_status TEXT;
CREATE UNIQUE INDEX message_raw_inbound ON message (raw_inbound_id) WHERE raw_inbound_id IS NOT NULL;
