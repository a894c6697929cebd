//! Story tests for the email part of the store.

use crate::mail::*;
use crate::model::*;
use crate::story::{world, World};
use crate::{Store, StoreError};
use rapport_domain::{Channel, DomainError, Locale, TicketStatus, Timestamp};

fn mailbox_input(address: &str) -> MailboxInput {
    MailboxInput {
        brand_id: None,
        name: "Hỗ trợ".into(),
        address: address.into(),
        imap_host: "127.0.0.1".into(),
        imap_port: 1143,
        imap_security: Security::Plain,
        imap_username: "support".into(),
        imap_password_enc: Some("enc:imap".into()),
        imap_folder: "INBOX".into(),
        smtp_host: "127.0.0.1".into(),
        smtp_port: 2525,
        smtp_security: Security::Plain,
        smtp_username: "support".into(),
        smtp_password_enc: Some("enc:smtp".into()),
        from_name: "Sao Mai".into(),
        reply_to: None,
        max_message_bytes: 10_000_000,
        active: true,
        allow_remote_images: false,
    }
}

async fn mailbox(store: &dyn Store, w: &World) -> Mailbox {
    let address = format!("support-{}@rapport.test", w.ws);
    store.create_mailbox(&w.admin, &mailbox_input(&address)).await.unwrap()
}

fn inbound(raw_id: i64, mailbox: &Mailbox, from: &str, message_id: &str, ticket: Option<i64>) -> InboundEmail {
    InboundEmail {
        raw_inbound_id: raw_id,
        mailbox_id: mailbox.id,
        brand_id: None,
        ticket_id: ticket,
        from: MailPerson { email: from.into(), name: Some("Phạm Minh Tuấn".into()) },
        followers: vec![],
        subject: "Bảo hành điện thoại".into(),
        message_id_header: message_id.into(),
        body_text: "Điện thoại của tôi bị lỗi.\n\n> quoted".into(),
        body_html: "<p>Điện thoại của tôi bị lỗi.</p>".into(),
        display_text: "Điện thoại của tôi bị lỗi.".into(),
        language: Some(Locale::Vi),
        attachments: vec![],
        received_at: Timestamp::now(),
    }
}

async fn raw(store: &dyn Store, w: &World, key: &str) -> i64 {
    store.put_raw_inbound(w.ws, Channel::Email, key, b"raw mail").await.unwrap().0
}

pub async fn mailboxes_keep_their_secrets(store: &dyn Store) {
    let w = world(store).await;
    let m = mailbox(store, &w).await;
    assert!(matches!(
        store.create_mailbox(&w.agent, &mailbox_input("x@rapport.test")).await,
        Err(StoreError::Domain(DomainError::Forbidden))
    ));
    assert!(matches!(store.list_mailboxes(&w.agent).await, Err(StoreError::Domain(DomainError::Forbidden))));
    let mut bad = mailbox_input("not an address");
    assert!(store.create_mailbox(&w.admin, &bad).await.is_err());
    bad = mailbox_input(&m.address);
    assert!(matches!(store.create_mailbox(&w.admin, &bad).await, Err(StoreError::Conflict(_))));

    let mut change = mailbox_input(&m.address);
    change.imap_password_enc = None;
    change.smtp_password_enc = Some("enc:new-smtp".into());
    change.from_name = "Sao Mai Mobile".into();
    let updated = store.update_mailbox(&w.admin, m.id, &change).await.unwrap();
    assert_eq!(updated.from_name, "Sao Mai Mobile");
    let secrets = store.mailbox_secrets(m.id).await.unwrap();
    assert_eq!((secrets.imap_password_enc.as_str(), secrets.smtp_password_enc.as_str()), ("enc:imap", "enc:new-smtp"));
    assert_eq!(secrets.workspace_id, w.ws);
    assert!(store.active_mailboxes().await.unwrap().iter().any(|s| s.mailbox.id == m.id));

    store.set_mailbox_sync(m.id, 77, 1234, None).await.unwrap();
    let synced = store.mailbox_secrets(m.id).await.unwrap();
    assert_eq!((synced.uid_validity, synced.last_uid), (Some(77), Some(1234)));
    store.set_mailbox_error(m.id, Some("connection refused")).await.unwrap();
    let failing = store.mailbox_secrets(m.id).await.unwrap();
    assert_eq!((failing.last_uid, failing.mailbox.last_error.as_deref()), (Some(1234), Some("connection refused")), "progress kept");

    let other = world(store).await;
    assert!(matches!(store.get_mailbox(&other.admin, m.id).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.delete_mailbox(&other.admin, m.id).await, Err(StoreError::NotFound(_))));
    store.delete_mailbox(&w.admin, m.id).await.unwrap();
    assert!(store.list_mailboxes(&w.admin).await.unwrap().is_empty());
}

pub async fn inbound_email_is_stored_exactly_once(store: &dyn Store) {
    let w = world(store).await;
    let m = mailbox(store, &w).await;
    let r1 = raw(store, &w, "m1/uid:1").await;
    let mut mail = inbound(r1, &m, "tuan@khach.vn", "first@khach.vn", None);
    mail.followers = vec![MailPerson { email: "vo@khach.vn".into(), name: None }, MailPerson { email: "tuan@khach.vn".into(), name: None }];
    let first = store.store_inbound_email(w.ws, &mail).await.unwrap();
    assert!(first.new_ticket && !first.duplicate);
    let t = store.get_ticket(&w.agent, first.ticket_id).await.unwrap();
    assert_eq!((t.channel, t.status, t.language), (Channel::Email, TicketStatus::New, Some(Locale::Vi)));
    let requester = store.get_contact(&w.agent, t.requester_id.unwrap()).await.unwrap();
    assert_eq!((requester.name.as_str(), requester.email.as_deref()), ("Phạm Minh Tuấn", Some("tuan@khach.vn")));
    let msgs = store.list_messages(&w.agent, t.id, None, 10).await.unwrap().items;
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].display_text.as_deref(), Some("Điện thoại của tôi bị lỗi."));
    assert!(msgs[0].body_text.contains("> quoted"), "the full text is kept");

    // The same raw message again (a crash before the IMAP flag was set): nothing new.
    let again = store.store_inbound_email(w.ws, &mail).await.unwrap();
    assert!(again.duplicate);
    assert_eq!((again.ticket_id, again.message_id), (first.ticket_id, first.message_id));
    assert_eq!(store.list_messages(&w.agent, t.id, None, 10).await.unwrap().items.len(), 1);
    assert_eq!(store.list_raw_inbound(&w.admin, Some("processed"), 10).await.unwrap().len(), 1);

    // Threading lookups see the Message-ID and the participants (requester and CC follower).
    let cand = store.thread_by_message_ids(w.ws, &["unknown@x".into(), "first@khach.vn".into()]).await.unwrap().unwrap();
    assert_eq!(cand.ticket_id, t.id);
    let mut people = cand.participants.clone();
    people.sort();
    assert_eq!(people, vec!["tuan@khach.vn", "vo@khach.vn"]);
    assert!(store.inbound_message_id_seen(w.ws, "first@khach.vn").await.unwrap());
    let other = world(store).await;
    assert!(store.thread_by_message_ids(other.ws, &["first@khach.vn".into()]).await.unwrap().is_none(), "per workspace");

    // A reply to a solved ticket reopens it.
    store.update_ticket(&w.agent, t.id, &TicketPatch { status: Some(TicketStatus::Solved), ..Default::default() }).await.unwrap();
    let r2 = raw(store, &w, "m1/uid:2").await;
    let reply = store.store_inbound_email(w.ws, &inbound(r2, &m, "tuan@khach.vn", "second@khach.vn", Some(t.id))).await.unwrap();
    assert_eq!((reply.ticket_id, reply.new_ticket), (t.id, false));
    let t2 = store.get_ticket(&w.agent, t.id).await.unwrap();
    assert_eq!((t2.status, t2.reopened_count), (TicketStatus::Open, 1));

    // A reply to a closed ticket becomes a follow-up ticket.
    store.update_ticket(&w.agent, t.id, &TicketPatch { status: Some(TicketStatus::Solved), ..Default::default() }).await.unwrap();
    store.update_ticket(&w.agent, t.id, &TicketPatch { status: Some(TicketStatus::Closed), ..Default::default() }).await.unwrap();
    let r3 = raw(store, &w, "m1/uid:3").await;
    let late = store.store_inbound_email(w.ws, &inbound(r3, &m, "tuan@khach.vn", "third@khach.vn", Some(t.id))).await.unwrap();
    assert!(late.new_ticket);
    assert_eq!(store.get_ticket(&w.agent, late.ticket_id).await.unwrap().followup_of, Some(t.id));
    assert_eq!(late.requester_id, requester.id, "the same contact, found by email");
}

pub async fn outbound_queue_leases_and_retries(store: &dyn Store) {
    let w = world(store).await;
    let m = mailbox(store, &w).await;
    let t = store.create_ticket(&w.agent, &NewTicket::new("Reply by mail")).await.unwrap();
    let msg = store
        .add_message(
            &w.agent,
            t.id,
            &NewMessage {
                kind: rapport_domain::MessageKind::Public,
                author_contact_id: None,
                body_text: "Xin chào".into(),
                body_html: "Xin chào".into(),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    let secret = store.ticket_email_secret(w.ws, t.id, "s3cr3t").await.unwrap();
    assert_eq!(secret, "s3cr3t");
    assert_eq!(store.ticket_email_secret(w.ws, t.id, "other").await.unwrap(), "s3cr3t", "set once");

    let out = store
        .enqueue_outbound(
            w.ws,
            &NewOutbound {
                mailbox_id: m.id,
                ticket_id: Some(t.id),
                message_id: Some(msg.id),
                kind: OutboundKind::Reply,
                recipients: vec!["a@k.vn".into()],
                message_id_header: format!("out-{}@rapport.test", t.id),
                raw: b"Subject: x\r\n\r\nbody".to_vec(),
            },
        )
        .await
        .unwrap();
    assert_eq!(out.status, OutboundStatus::Queued);
    assert_eq!(store.get_message(&w.agent, msg.id).await.unwrap().delivery_status.as_deref(), Some("queued"));
    assert_eq!(
        store.thread_by_message_ids(w.ws, std::slice::from_ref(&out.message_id_header)).await.unwrap().unwrap().ticket_id,
        t.id,
        "replies to our mail thread"
    );

    let now = Timestamp::now();
    let claimed = store.claim_outbound(now, now.plus_seconds(60), 10).await.unwrap();
    let mine: Vec<_> = claimed.iter().filter(|o| o.id == out.id).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].attempts, mine[0].raw.as_slice()), (1, b"Subject: x\r\n\r\nbody".as_slice()));
    assert!(store.claim_outbound(now, now.plus_seconds(60), 10).await.unwrap().iter().all(|o| o.id != out.id), "leased");
    // A worker that died mid-send: after the lease the mail is due again.
    let later = now.plus_seconds(61);
    assert!(store.claim_outbound(later, later.plus_seconds(60), 10).await.unwrap().iter().any(|o| o.id == out.id && o.attempts == 2));

    store.finish_outbound(out.id, &DeliveryResult::Retry { at: later.plus_seconds(300), error: "421 try later".into() }).await.unwrap();
    assert_eq!(store.get_message(&w.agent, msg.id).await.unwrap().delivery_status.as_deref(), Some("retrying"));
    assert!(
        store.claim_outbound(later, later.plus_seconds(60), 10).await.unwrap().iter().all(|o| o.id != out.id),
        "not before its retry time"
    );
    store.finish_outbound(out.id, &DeliveryResult::Sent).await.unwrap();
    assert_eq!(store.get_message(&w.agent, msg.id).await.unwrap().delivery_status.as_deref(), Some("sent"));
    let listed = store.list_outbound(&w.agent, Some(t.id), 10).await.unwrap();
    assert_eq!((listed.len(), listed[0].status, listed[0].last_error.as_deref()), (1, OutboundStatus::Sent, Some("421 try later")));
    let other = world(store).await;
    assert!(store.list_outbound(&other.admin, Some(t.id), 10).await.is_err());
    assert!(store.list_outbound(&w.agent, None, 10).await.is_err(), "the whole queue is for admins");
}

/// Rules for a batch as a test gives them: each mail's `References`, looked
/// up inside the storing transaction; an acknowledgement for each new ticket.
struct ReplyByReferences {
    references: Vec<Vec<String>>,
    mailbox_id: i64,
}

#[async_trait::async_trait]
impl InboundRules for ReplyByReferences {
    async fn ticket_for(&self, index: usize, lookup: &mut dyn ThreadLookup) -> crate::Result<Option<rapport_domain::Id>> {
        Ok(lookup.by_message_ids(&self.references[index]).await?.map(|c| c.ticket_id))
    }

    fn reply_to_stored(&self, index: usize, stored: &InboundResult) -> Option<StoredReply> {
        stored.new_ticket.then(|| StoredReply {
            ticket_secret: format!("ack{index}"),
            mail: NewOutbound {
                mailbox_id: self.mailbox_id,
                ticket_id: Some(stored.ticket_id),
                message_id: None,
                kind: OutboundKind::Acknowledgement,
                recipients: vec!["tuan@khach.vn".into()],
                message_id_header: format!("ack-{}@rapport.test", stored.ticket_id),
                raw: b"Subject: ack\r\n\r\nok".to_vec(),
            },
        })
    }
}

pub async fn mail_batches_thread_inside_and_answer_once(store: &dyn Store) {
    let w = world(store).await;
    let m = mailbox(store, &w).await;
    let keys = ["b/uid:1", "b/uid:2", "b/uid:3"];
    let raws = store.put_raw_mails(w.ws, &keys.map(|k| (k, b"raw mail".as_slice()))).await.unwrap();
    assert!(raws.iter().all(|r| r.pending));
    // Fetched again before processing (a crash): the same rows, still pending; a new one joins.
    let again = store.put_raw_mails(w.ws, &[(keys[0], b"other bytes".as_slice()), ("b/uid:4", b"raw mail".as_slice())]).await.unwrap();
    assert_eq!((again[0].id, again[0].pending), (raws[0].id, true));
    assert!(again[1].pending && again[1].id != raws[0].id);
    assert_eq!(store.raw_inbound_bytes(w.ws, raws[0].id).await.unwrap(), b"raw mail", "the first bytes are kept");

    // A new mail, a reply to it in the same batch, and the first one again under another raw row.
    let mails = vec![
        inbound(raws[0].id, &m, "tuan@khach.vn", "first@khach.vn", None),
        inbound(raws[1].id, &m, "tuan@khach.vn", "second@khach.vn", None),
        inbound(raws[2].id, &m, "tuan@khach.vn", "first@khach.vn", None),
    ];
    let rules = ReplyByReferences { references: vec![vec![], vec!["first@khach.vn".into()], vec![]], mailbox_id: m.id };
    let stored = store.store_inbound_batch(w.ws, &mails, Some(&rules)).await.unwrap();
    assert!(stored[0].new_ticket && !stored[0].duplicate);
    let t = stored[0].ticket_id;
    assert_eq!((stored[1].ticket_id, stored[1].new_ticket, stored[1].duplicate), (t, false, false), "threaded inside the batch");
    assert!(stored[2].duplicate && stored[2].ticket_id == t);
    assert_eq!(store.list_messages(&w.agent, t, None, 10).await.unwrap().items.len(), 2);

    // The acknowledgement was queued with the ticket, once, and its reply secret given to the ticket.
    let queued = store.list_outbound(&w.admin, Some(t), 10).await.unwrap();
    assert_eq!((queued.len(), queued[0].kind), (1, OutboundKind::Acknowledgement));
    assert_eq!(store.ticket_email_secret(w.ws, t, "later").await.unwrap(), "ack0");
    assert_eq!(store.thread_by_message_ids(w.ws, &[format!("ack-{t}@rapport.test")]).await.unwrap().unwrap().ticket_id, t);
    let done = store.put_raw_mails(w.ws, &keys.map(|k| (k, b"raw mail".as_slice()))).await.unwrap();
    assert!(done.iter().all(|r| !r.pending), "processed, duplicate included");

    // The whole batch once more (a crash before the IMAP flags): nothing new, no second answer.
    let replay = store.store_inbound_batch(w.ws, &mails, Some(&rules)).await.unwrap();
    assert!(replay.iter().all(|r| r.duplicate && r.ticket_id == t));
    assert_eq!(store.list_outbound(&w.admin, Some(t), 10).await.unwrap().len(), 1);
    assert_eq!(store.list_messages(&w.agent, t, None, 10).await.unwrap().items.len(), 2);
}

pub async fn mail_images_follow_the_mailbox(store: &dyn Store) {
    let w = world(store).await;
    let m = mailbox(store, &w).await;
    assert!(!m.allow_remote_images, "blocked unless an admin allows them");
    let r = raw(store, &w, "img/uid:1").await;
    let mut mail = inbound(r, &m, "tuan@khach.vn", "img@khach.vn", None);
    let file = |name: &str| NewAttachment { filename: name.into(), content_type: "image/png".into(), size: 3, sha256: "ab".repeat(32) };
    mail.attachments = vec![
        InboundAttachment { file: file("logo.png"), content_id: Some("logo@khach.vn".into()) },
        InboundAttachment { file: file("scan.png"), content_id: None },
    ];
    let t = store.store_inbound_email(w.ws, &mail).await.unwrap();
    let msg = store.get_message(&w.agent, t.message_id).await.unwrap();
    let logo = msg.attachments.iter().find(|a| a.filename == "logo.png").unwrap().id;
    let shown = store.mail_display(&w.agent, t.ticket_id).await.unwrap();
    assert_eq!(
        shown,
        MailDisplay {
            allow_remote_images: false,
            inline_images: vec![InlineImage { message_id: msg.id, content_id: "logo@khach.vn".into(), attachment_id: logo }]
        }
    );

    let mut allow = mailbox_input(&m.address);
    allow.imap_password_enc = None;
    allow.smtp_password_enc = None;
    allow.allow_remote_images = true;
    assert!(store.update_mailbox(&w.admin, m.id, &allow).await.unwrap().allow_remote_images);
    assert!(store.get_mailbox(&w.admin, m.id).await.unwrap().allow_remote_images);
    assert!(store.mail_display(&w.agent, t.ticket_id).await.unwrap().allow_remote_images);

    // Not a mail ticket: nothing to allow. Another workspace: no such ticket.
    let plain = store.create_ticket(&w.agent, &NewTicket::new("By phone")).await.unwrap();
    assert_eq!(store.mail_display(&w.agent, plain.id).await.unwrap(), MailDisplay::default());
    let other = world(store).await;
    assert!(matches!(store.mail_display(&other.admin, t.ticket_id).await, Err(StoreError::NotFound(_))));
}

/// Two transactions store mail from the same new people at the same moment
/// (two mailboxes, or two nodes): both succeed, each person is one contact.
pub async fn new_senders_stored_twice_at_once(store: &dyn Store) {
    let w = world(store).await;
    let m = mailbox(store, &w).await;
    let mut batches = Vec::new();
    for side in ["a", "b"] {
        let mut mails = Vec::new();
        for i in 0..30 {
            let r = raw(store, &w, &format!("{side}/uid:{i}")).await;
            mails.push(inbound(r, &m, &format!("moi{i}@khach.vn"), &format!("{side}{i}@khach.vn"), None));
        }
        batches.push(mails);
    }
    let (a, b) = tokio::join!(store.store_inbound_batch(w.ws, &batches[0], None), store.store_inbound_batch(w.ws, &batches[1], None));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.iter().chain(&b).all(|r| r.new_ticket && !r.duplicate));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.requester_id, y.requester_id, "one contact per person");
    }
}
