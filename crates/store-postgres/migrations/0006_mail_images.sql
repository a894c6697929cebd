-- Images in mail: remote ones are shown only for mailboxes whose admin allows
-- them; inline ones (cid:) are found by the Content-ID of their attachment.
-- Keep in step with crates/store-sqlite/migrations/0006_mail_images.sql.

ALTER TABLE mailbox ADD COLUMN allow_remote_images BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE attachment ADD COLUMN content_id TEXT;
