//! The email channel end to end against real servers (Dovecot IMAP and LMTP,
//! an SMTP sink; `scripts/mailservers.sh`) and a real store (SQLite and
//! PostgreSQL): mail in, tickets and threading, replies and notices out.

use rapport_channels::email::fetch::fetch_new;
use rapport_channels::email::ingest::Ingestor;
use rapport_channels::email::lmtp;
use rapport_channels::email::outbound::{deliver_due, queue_reply};
use rapport_channels::email::parse::{parse, ParsedMail};
use rapport_domain::crypto::SecretBox;
use rapport_domain::{Actor, Channel, MessageKind, Role, TicketStatus};
use rapport_store::mail::{MailboxInput, MailboxSecrets, OutboundStatus, Security};
use rapport_store::model::{NewMessage, NewUser, TicketQuery};
use rapport_store::{BlobStore, Store};
use std::sync::Arc;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: start the mail servers with `eval \"$(bash scripts/mailservers.sh)\"` (scripts/test.sh does)")
    })
}

struct Rig {
    store: Arc<dyn Store>,
    ingestor: Ingestor,
    secrets: SecretBox,
    mailbox: MailboxSecrets,
    agent: Actor,
    ws: i64,
    /// Makes this run's subjects and addresses unique on the shared servers.
    token: String,
    blobs: BlobStore,
}

fn unique() -> String {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{:x}{:x}", n, std::process::id())
}

async fn rig(store: Arc<dyn Store>, imap_user: &str, max_message_bytes: i64) -> Rig {
    store.migrate().await.unwrap();
    let token = unique();
    let ws = store.create_workspace("Mail", &format!("mail-{token}")).await.unwrap().id;
    let system = Actor::system(ws);
    let secrets = SecretBox::new(b"email flow test key");
    let imap = env("RAPPORT_TEST_IMAP");
    let smtp = env("RAPPORT_TEST_SMTP");
    let (imap_host, imap_port) = imap.split_once(':').unwrap();
    let (smtp_host, smtp_port) = smtp.split_once(':').unwrap();
    let input = MailboxInput {
        brand_id: None,
        name: "Hỗ trợ".into(),
        address: format!("{imap_user}@sao-mai.test"),
        imap_host: imap_host.into(),
        imap_port: imap_port.parse().unwrap(),
        imap_security: Security::Plain,
        imap_username: imap_user.into(),
        imap_password_enc: Some(secrets.seal("secret")),
        imap_folder: "INBOX".into(),
        smtp_host: smtp_host.into(),
        smtp_port: smtp_port.parse().unwrap(),
        smtp_security: Security::Plain,
        smtp_username: String::new(),
        smtp_password_enc: Some(secrets.seal("")),
        from_name: "Sao Mai Mobile".into(),
        reply_to: None,
        max_message_bytes,
        active: true,
        allow_remote_images: false,
    };
    let m = store.create_mailbox(&system, &input).await.unwrap();
    let mailbox = store.mailbox_secrets(m.id).await.unwrap();
    let agent_user = store
        .create_user(
            &system,
            &NewUser { email: format!("agent-{token}@sao-mai.test"), name: "Lan".into(), role: Role::Agent, locale: None, password: None },
            None,
        )
        .await
        .unwrap();
    let agent = Actor { workspace_id: ws, user_id: agent_user.id, role: Role::Agent, team_ids: vec![] };
    let blobs = BlobStore::new(tempfile::tempdir().unwrap().keep());
    let ingestor = Ingestor::new(store.clone(), blobs.clone(), 1000);
    Rig { store, ingestor, secrets, mailbox, agent, ws, token, blobs }
}

impl Rig {
    async fn deliver(&self, raw: String) {
        let to = self.mailbox.mailbox.address.clone();
        lmtp::deliver(&env("RAPPORT_TEST_LMTP"), "sender@example.net", &to, raw.as_bytes()).await.unwrap();
    }

    async fn fetch(&self) -> usize {
        let mailbox = self.store.mailbox_secrets(self.mailbox.mailbox.id).await.unwrap();
        let (session, n) = fetch_new(self.store.as_ref(), &self.ingestor, &self.secrets, &mailbox).await.unwrap();
        session.logout().await;
        n
    }

    /// The ticket whose subject holds `needle`, among this run's tickets.
    async fn tickets_with(&self, needle: &str) -> Vec<rapport_store::model::Ticket> {
        let page = self.store.list_tickets(&self.agent, &TicketQuery { limit: 100, ..Default::default() }).await.unwrap();
        page.items.into_iter().filter(|t| t.subject.contains(needle)).collect()
    }

    async fn send_queue(&self) {
        while deliver_due(self.store.as_ref(), &self.secrets, 50).await.unwrap() > 0 {}
    }
}

/// Messages the SMTP sink received that contain `needle`, parsed.
fn sink_mails(needle: &str) -> Vec<(ParsedMail, String)> {
    let dir = env("RAPPORT_TEST_SMTP_SINK_DIR");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "eml") {
            let raw = std::fs::read(&path).unwrap();
            let parsed = parse(&raw).unwrap();
            if parsed.subject.contains(needle) || parsed.text.contains(needle) {
                out.push((parsed, String::from_utf8_lossy(&raw).into_owned()));
            }
        }
    }
    out
}

fn mail(from: &str, to: &str, subject: &str, message_id: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0700\r\n\
         MIME-Version: 1.0\r\n{extra_headers}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
}

async fn threading_and_replies(store: Arc<dyn Store>, user: &str) {
    let r = rig(store, user, 5_000_000).await;
    let t = &r.token;
    let support = r.mailbox.mailbox.address.clone();
    let customer = format!("huong.{t}@khach.test");
    let first_id = format!("first.{t}@khach.test");

    // 1. A customer writes in, with a colleague in Cc: a new ticket, an acknowledgement.
    r.deliver(mail(
        &format!("=?UTF-8?B?{}?= <{customer}>", "Tmd1eeG7hW4gVGjhu4sgSMawxqFuZw=="),
        &support,
        &format!("Đơn hàng chưa giao {t}"),
        &first_id,
        &format!("Cc: Kế toán <ketoan.{t}@khach.test>\r\n"),
        "Chào anh chị, đơn hàng của tôi vẫn chưa được giao. Xin hãy kiểm tra giúp tôi.",
    ))
    .await;
    assert!(r.fetch().await >= 1);
    let tickets = r.tickets_with(&format!("Đơn hàng chưa giao {t}")).await;
    assert_eq!(tickets.len(), 1, "one ticket");
    let ticket = tickets[0].clone();
    assert_eq!((ticket.channel, ticket.status), (Channel::Email, TicketStatus::New));
    assert_eq!(ticket.language, Some(rapport_domain::Locale::Vi), "language detected");
    let requester = r.store.get_contact(&r.agent, ticket.requester_id.unwrap()).await.unwrap();
    assert_eq!(requester.name, "Nguyễn Thị Hương");
    assert_eq!(r.fetch().await, 0, "nothing new the second time");

    r.send_queue().await;
    let acks = sink_mails(&format!("Đơn hàng chưa giao {t}"));
    let (ack, ack_raw) = acks.iter().find(|(p, _)| p.auto_submitted).expect("acknowledgement sent");
    assert_eq!(ack.in_reply_to, vec![first_id.clone()]);
    assert!(ack_raw.contains("Auto-Submitted: auto-replied"));
    assert!(ack.text.contains(&format!("#{}", ticket.id)), "{}", ack.text);

    // 2. The agent replies: it goes to the customer with the colleague in Cc, threaded.
    let reply = r
        .store
        .add_message(
            &r.agent,
            ticket.id,
            &NewMessage {
                kind: MessageKind::Public,
                author_contact_id: None,
                body_text: format!("Dạ, đơn hàng đã được gửi đi hôm nay. {t}"),
                body_html: "<p>Dạ</p>".into(),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    let ticket = r.store.get_ticket(&r.agent, ticket.id).await.unwrap();
    let queued = queue_reply(r.store.as_ref(), &r.blobs, r.ws, &ticket, &reply).await.unwrap().expect("queued");
    r.send_queue().await;
    assert_eq!(r.store.get_message(&r.agent, reply.id).await.unwrap().delivery_status.as_deref(), Some("sent"));
    let sent = sink_mails(&format!("Dạ, đơn hàng đã được gửi đi hôm nay. {t}"));
    assert_eq!(sent.len(), 1);
    let (out, out_raw) = &sent[0];
    assert_eq!(out.subject, format!("Re: Đơn hàng chưa giao {t} [#{}]", ticket.id));
    assert_eq!(out.to[0].email, customer);
    assert_eq!(out.cc.iter().map(|a| a.email.clone()).collect::<Vec<_>>(), vec![format!("ketoan.{t}@khach.test")]);
    assert_eq!(out.message_id.as_deref(), Some(queued.message_id_header.as_str()));
    assert!(out.references.contains(&first_id), "{out_raw}");
    assert!(out.in_reply_to.iter().all(|i| out.references.contains(i)));
    let reply_to = out.reply_to.as_ref().unwrap().email.clone();
    assert!(reply_to.starts_with(&format!("{user}+t{}-", ticket.id)), "{reply_to}");
    let ours = queued.message_id_header.clone();

    // 3. The customer answers our mail: same ticket.
    r.deliver(mail(
        &customer,
        &support,
        &format!("Re: Đơn hàng chưa giao {t}"),
        &format!("a3.{t}@khach.test"),
        &format!("In-Reply-To: <{ours}>\r\nReferences: <{first_id}> <{ours}>\r\n"),
        "Cảm ơn!",
    ))
    .await;
    // 4. Headers stripped, subject token kept, from the requester: same ticket.
    r.deliver(mail(&customer, &support, &format!("Odp: [#{}] tiếp", ticket.id), &format!("a4.{t}@khach.test"), "", "Thêm thông tin."))
        .await;
    // 5. A stranger quoting the thread (headers and token): a new ticket, never the customer's.
    r.deliver(mail(
        &format!("stranger.{t}@evil.test"),
        &support,
        &format!("Re: [#{}] Đơn hàng chưa giao {t} stranger", ticket.id),
        &format!("a5.{t}@evil.test"),
        &format!("In-Reply-To: <{ours}>\r\nReferences: <{ours}>\r\n"),
        "Tôi cũng muốn xem đơn này.",
    ))
    .await;
    // 6. Someone else answering through the ticket's reply address (its secret): same ticket.
    r.deliver(mail(
        &format!("giamdoc.{t}@khach.test"),
        &reply_to,
        "Ý kiến của giám đốc",
        &format!("a6.{t}@khach.test"),
        "",
        "Xin xử lý gấp.",
    ))
    .await;
    // 7. A long References chain with our id deep inside, from the Cc'd colleague: same ticket.
    let chain: String = (0..60).map(|i| format!("<x{i}.{t}@elsewhere.test> ")).collect::<String>() + &format!("<{ours}>");
    r.deliver(mail(
        &format!("ketoan.{t}@khach.test"),
        &support,
        "Re: chain",
        &format!("a7.{t}@khach.test"),
        &format!("References: {chain}\r\n"),
        "Đã thanh toán.",
    ))
    .await;
    // 8. An out-of-office answer to our mail: on the ticket, but never acknowledged.
    r.deliver(mail(
        &customer,
        &support,
        &format!("Tự động trả lời {t}"),
        &format!("a8.{t}@khach.test"),
        &format!("Auto-Submitted: auto-replied\r\nIn-Reply-To: <{ours}>\r\n"),
        "Tôi đang nghỉ phép.",
    ))
    .await;
    // 9. A forwarded mail from a new sender: a new ticket with the original attached.
    let fwd_boundary = format!("fwd{t}");
    let forwarded = format!(
        "From: boss.{t}@partner.test\r\nTo: {support}\r\nSubject: Fwd: Khiếu nại {t}\r\nMessage-ID: <a9.{t}@partner.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"{fwd_boundary}\"\r\n\r\n--{fwd_boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nXem thư dưới đây.\r\n\
         --{fwd_boundary}\r\nContent-Type: message/rfc822\r\n\r\nFrom: khach@x.test\r\nSubject: Khiếu nại\r\n\r\nHàng bị lỗi.\r\n--{fwd_boundary}--\r\n"
    );
    r.deliver(forwarded).await;
    // 10. A bounce: no ticket.
    r.deliver(format!(
        "From: MAILER-DAEMON@khach.test\r\nTo: {support}\r\nSubject: Undelivered Mail Returned to Sender {t}\r\nMessage-ID: <a10.{t}@khach.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b{t}\"\r\n\r\n--b{t}\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n\
         --b{t}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; khach.test\r\n\r\nFinal-Recipient: rfc822; gone@khach.test\r\nAction: failed\r\nStatus: 5.1.1\r\n--b{t}--\r\n"
    ))
    .await;
    r.fetch().await;

    // Every mail up to the sync point was flagged \Seen once stored (held and bounced ones too);
    // anything unseen came after it (another run on the shared server).
    let synced = r.store.mailbox_secrets(r.mailbox.mailbox.id).await.unwrap().last_uid.unwrap();
    let cfg = rapport_channels::email::fetch::imap_config(&r.mailbox, &r.secrets).unwrap();
    let mut session = rapport_channels::email::imap::ImapSession::connect(&cfg).await.unwrap();
    let unseen = session.unseen_uids().await.unwrap();
    assert!(unseen.iter().all(|&u| i64::from(u) > synced), "unseen at or below the sync point {synced}: {unseen:?}");
    session.logout().await;

    let msgs = r.store.list_messages(&r.agent, ticket.id, None, 100).await.unwrap().items;
    let public: Vec<&str> = msgs.iter().filter(|m| m.kind == MessageKind::Public).map(|m| m.body_text.as_str()).collect();
    for expected in ["Cảm ơn!", "Thêm thông tin.", "Xin xử lý gấp.", "Đã thanh toán.", "Tôi đang nghỉ phép."] {
        assert!(public.iter().any(|b| b.contains(expected)), "{expected} missing from the ticket: {public:?}");
    }
    assert!(!public.iter().any(|b| b.contains("Tôi cũng muốn xem đơn này.")), "a stranger's mail must not land on the ticket");
    let stranger = r.tickets_with(&format!("Đơn hàng chưa giao {t} stranger")).await;
    assert_eq!(stranger.len(), 1, "the stranger got a ticket of their own");
    assert_ne!(stranger[0].id, ticket.id);
    let fwd = r.tickets_with(&format!("Khiếu nại {t}")).await;
    assert_eq!(fwd.len(), 1);
    let fwd_msgs = r.store.list_messages(&r.agent, fwd[0].id, None, 10).await.unwrap().items;
    assert!(fwd_msgs.iter().any(|m| !m.attachments.is_empty()), "the forwarded mail is attached");
    assert!(r.tickets_with(&format!("Undelivered Mail Returned to Sender {t}")).await.is_empty(), "bounces make no ticket");
    assert!(sink_mails(&format!("Tự động trả lời {t}")).is_empty(), "no auto-reply to an auto-reply");
    let ticket = r.store.get_ticket(&r.agent, ticket.id).await.unwrap();
    assert_eq!((ticket.status, ticket.reopened_count), (TicketStatus::Open, 0), "opened by the agent's reply; customer mail keeps it open");
}

async fn size_limit_and_delivery_failures(store: Arc<dyn Store>, user: &str) {
    let r = rig(store, user, 20_000).await;
    let t = &r.token;
    let support = r.mailbox.mailbox.address.clone();
    let big = "Zażółć gęślą jaźń. ".repeat(2_000);
    r.deliver(mail(&format!("duzy.{t}@klient.test"), &support, &format!("Duży załącznik {t}"), &format!("big.{t}@klient.test"), "", &big))
        .await;
    r.fetch().await;
    assert!(r.tickets_with(&format!("Duży załącznik {t}")).await.is_empty(), "oversized mail makes no ticket");
    let held = r.store.list_raw_inbound(&Actor::system(r.ws), Some("failed"), 100).await.unwrap();
    assert!(held.iter().any(|h| h.error.as_deref().is_some_and(|e| e.starts_with("too large"))), "kept as raw, with the reason");
    r.send_queue().await;
    let notices = sink_mails(&format!("Duży załącznik {t}"));
    assert_eq!(notices.len(), 1, "a polite notice");
    assert!(notices[0].0.auto_submitted);

    // Replies to addresses the server refuses: temporary → retried later; permanent → failed.
    for (who, expected) in [("tempfail", OutboundStatus::Queued), ("reject", OutboundStatus::Failed)] {
        r.deliver(mail(
            &format!("{who}.{t}@klient.test"),
            &support,
            &format!("{who} {t}"),
            &format!("{who}.{t}@klient.test"),
            "",
            "Krótko.",
        ))
        .await;
        r.fetch().await;
        let ticket = r.tickets_with(&format!("{who} {t}")).await.remove(0);
        let m = r
            .store
            .add_message(
                &r.agent,
                ticket.id,
                &NewMessage {
                    kind: MessageKind::Public,
                    author_contact_id: None,
                    body_text: "Odpowiedź".into(),
                    body_html: "Odpowiedź".into(),
                    attachments: vec![],
                },
            )
            .await
            .unwrap();
        let ticket = r.store.get_ticket(&r.agent, ticket.id).await.unwrap();
        queue_reply(r.store.as_ref(), &r.blobs, r.ws, &ticket, &m).await.unwrap().unwrap();
        r.send_queue().await;
        let outs = r.store.list_outbound(&r.agent, Some(ticket.id), 10).await.unwrap();
        let reply = outs.iter().find(|o| o.message_id == Some(m.id)).unwrap();
        assert_eq!(reply.status, expected, "{who}: {:?}", reply.last_error);
        assert!(reply.last_error.is_some());
        let shown = r.store.get_message(&r.agent, m.id).await.unwrap().delivery_status;
        assert_eq!(shown.as_deref(), Some(if who == "reject" { "failed" } else { "retrying" }));
    }
}

async fn sqlite() -> Arc<dyn Store> {
    let dir = tempfile::tempdir().unwrap().keep();
    Arc::new(rapport_store_sqlite::SqliteStore::open(dir.join("mail.db")).await.unwrap())
}

async fn postgres() -> Arc<dyn Store> {
    Arc::new(rapport_store_postgres::testing::fresh_store().await)
}

// Each test reads its own Dovecot user's INBOX, so parallel tests never see each other's mail.

#[tokio::test]
async fn threading_and_replies_sqlite() {
    threading_and_replies(sqlite().await, "flow1").await;
}

#[tokio::test]
async fn threading_and_replies_postgres() {
    threading_and_replies(postgres().await, "flow2").await;
}

#[tokio::test]
async fn size_limit_and_delivery_failures_sqlite() {
    size_limit_and_delivery_failures(sqlite().await, "limits1").await;
}

#[tokio::test]
async fn size_limit_and_delivery_failures_postgres() {
    size_limit_and_delivery_failures(postgres().await, "limits2").await;
}
