//! Ingest's rules on a real store (SQLite and PostgreSQL), without the mail
//! servers: what is answered and what is not, the per-sender limit, held
//! mail, brands, and threading inside one fetch batch (forwarded mail,
//! strangers, reply addresses, followers, headers stripped but the token kept).

use rapport_channels::email::ingest::{Ingestor, Outcome};
use rapport_channels::email::parse::parse;
use rapport_channels::email::threading::reply_address;
use rapport_domain::crypto::SecretBox;
use rapport_domain::{Actor, Locale, Role};
use rapport_store::mail::{MailboxInput, MailboxSecrets, OutboundKind, Security};
use rapport_store::model::{NewBrand, NewUser};
use rapport_store::{BlobStore, Store};
use std::sync::Arc;

struct Rig {
    store: Arc<dyn Store>,
    mailbox: MailboxSecrets,
    agent: Actor,
    system: Actor,
    brand: i64,
    blobs: BlobStore,
}

async fn rig(store: Arc<dyn Store>, max_message_bytes: i64) -> Rig {
    store.migrate().await.unwrap();
    let ws = store.create_workspace("Ingest", "ingest").await.unwrap().id;
    let system = Actor::system(ws);
    let brand =
        store.create_brand(&system, &NewBrand { name: "Kwitek".into(), slug: "kwitek".into(), default_locale: Some(Locale::Pl) }).await;
    let brand = brand.unwrap().id;
    let seal = SecretBox::new(b"ingest rules");
    let input = MailboxInput {
        brand_id: Some(brand),
        name: "Pomoc".into(),
        address: "pomoc@kwitek.pl".into(),
        imap_host: "127.0.0.1".into(),
        imap_port: 1,
        imap_security: Security::Plain,
        imap_username: "pomoc".into(),
        imap_password_enc: Some(seal.seal("x")),
        imap_folder: "INBOX".into(),
        smtp_host: "127.0.0.1".into(),
        smtp_port: 1,
        smtp_security: Security::Plain,
        smtp_username: String::new(),
        smtp_password_enc: Some(seal.seal("")),
        from_name: "Kwitek".into(),
        reply_to: None,
        max_message_bytes,
        active: true,
        allow_remote_images: false,
    };
    let m = store.create_mailbox(&system, &input).await.unwrap();
    let mailbox = store.mailbox_secrets(m.id).await.unwrap();
    let user = NewUser { email: "agent@kwitek.pl".into(), name: "Ola".into(), role: Role::Agent, locale: None, password: None };
    let user = store.create_user(&system, &user, None).await.unwrap();
    let agent = Actor { workspace_id: ws, user_id: user.id, role: Role::Agent, team_ids: vec![] };
    let blobs = BlobStore::new(tempfile::tempdir().unwrap().keep());
    Rig { store, mailbox, agent, system, brand, blobs }
}

fn mail(from: &str, subject: &str, message_id: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: pomoc@kwitek.pl\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\n\
         MIME-Version: 1.0\r\n{extra_headers}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
}

impl Rig {
    fn ingestor(&self, per_sender_per_hour: u32) -> Ingestor {
        Ingestor::new(self.store.clone(), self.blobs.clone(), per_sender_per_hour)
    }

    /// What is queued to go out for a ticket (`None`: the mails with no ticket).
    async fn outbound(&self, ticket: Option<i64>) -> Vec<rapport_store::mail::Outbound> {
        let all = self.store.list_outbound(&self.system, None, 1000).await.unwrap();
        all.into_iter().filter(|o| o.ticket_id == ticket).collect()
    }

    async fn bodies(&self, ticket: i64) -> Vec<String> {
        let msgs = self.store.list_messages(&self.agent, ticket, None, 100).await.unwrap().items;
        msgs.into_iter().filter(|m| m.author_contact_id.is_some()).map(|m| m.body_text).collect()
    }
}

fn new_ticket(o: &Outcome) -> i64 {
    match o {
        Outcome::NewTicket { ticket_id } => *ticket_id,
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

async fn loops_noise_and_limits(store: Arc<dyn Store>) {
    let r = rig(store, 4096).await;
    let ingest = r.ingestor(3);
    let mb = &r.mailbox;

    // A person's mail opens a ticket of the mailbox's brand, and is acknowledged in their language.
    let first = ingest
        .receive(
            mb,
            "k/1",
            mail("Jan <jan@klient.pl>", "Faktura", "j1@klient.pl", "", "Dzień dobry, proszę o fakturę za zamówienie.").as_bytes(),
        )
        .await;
    let t = new_ticket(&first.unwrap());
    assert_eq!(r.store.get_ticket(&r.agent, t).await.unwrap().brand_id, Some(r.brand));
    let acks = r.outbound(Some(t)).await;
    assert_eq!((acks.len(), acks[0].kind), (1, OutboundKind::Acknowledgement));
    let ack = parse(&acks[0].raw).unwrap();
    assert!(ack.auto_submitted && ack.subject.starts_with("Otrzymaliśmy"), "{}", ack.subject);

    // Automatic mail is stored but never answered: no mail loop with another robot.
    for (i, header) in ["Auto-Submitted: auto-replied\r\n", "Precedence: bulk\r\n", "X-Autoreply: yes\r\n", "List-Id: <news.sklep.pl>\r\n"]
        .iter()
        .enumerate()
    {
        let raw = mail(&format!("robot{i}@sklep.pl"), &format!("Automat {i}"), &format!("auto{i}@sklep.pl"), header, "Nieobecność.");
        let t = new_ticket(&ingest.receive(mb, &format!("k/auto{i}"), raw.as_bytes()).await.unwrap());
        assert!(r.outbound(Some(t)).await.is_empty(), "{header} answered");
    }
    // A bounce makes no ticket.
    let bounce = "From: MAILER-DAEMON@klient.pl\r\nTo: pomoc@kwitek.pl\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b1@klient.pl>\r\n\
        MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n\
        --b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; klient.pl\r\n\r\nFinal-Recipient: rfc822; x@klient.pl\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n";
    assert_eq!(ingest.receive(mb, "k/bounce", bounce.as_bytes()).await.unwrap(), Outcome::Bounce);

    // Per sender and mailbox: three an hour, the fourth is held; others are not held back.
    for n in 2..=3 {
        let raw = mail("jan@klient.pl", &format!("Pytanie {n}"), &format!("j{n}@klient.pl"), "", "Kolejne pytanie.");
        assert!(matches!(ingest.receive(mb, &format!("k/{n}"), raw.as_bytes()).await.unwrap(), Outcome::NewTicket { .. }));
    }
    let flood = mail("jan@klient.pl", "Pytanie 4", "j4@klient.pl", "", "Jeszcze jedno.");
    let held = ingest.receive(mb, "k/4", flood.as_bytes()).await.unwrap();
    let Outcome::Held { reason } = held else { panic!("{held:?}") };
    assert!(reason.starts_with("rate limited"), "{reason}");
    let other = mail("ewa@klient.pl", "Inna sprawa", "e1@klient.pl", "", "Pytanie od Ewy.");
    assert!(matches!(ingest.receive(mb, "k/e1", other.as_bytes()).await.unwrap(), Outcome::NewTicket { .. }));

    // Unusable input is kept with its reason, for admins.
    let garbage: Vec<u8> = (0..600u32).map(|i| (i * 7 % 256) as u8).filter(|b| !b.is_ascii_alphanumeric()).collect();
    let Outcome::Held { reason } = ingest.receive(mb, "k/garbage", &garbage).await.unwrap() else { panic!("garbage was not held") };
    assert!(reason.starts_with("cannot parse"), "{reason}");
    let failed = r.store.list_raw_inbound(&r.system, Some("failed"), 100).await.unwrap();
    let held_rows: Vec<&str> = failed.iter().filter_map(|f| f.error.as_deref()).collect();
    assert_eq!(held_rows.len(), 2, "{held_rows:?}");
    assert!(r.store.list_raw_inbound(&r.system, Some("pending"), 100).await.unwrap().is_empty());

    // Processed again by an admin (no limit then): a ticket after all.
    let flooded = failed.iter().find(|f| f.error.as_deref().is_some_and(|e| e.starts_with("rate limited"))).unwrap();
    assert!(matches!(r.ingestor(u32::MAX).reprocess(mb, flooded.id).await.unwrap(), Outcome::NewTicket { .. }));

    // Over the size limit: kept as raw, held, and answered politely once, in the sender's language;
    // an automatic oversized mail gets no answer.
    let big = mail("zofia@klient.pl", "Skany", "z1@klient.pl", "", &"Zażółć gęślą jaźń, przesyłam skany dokumentów. ".repeat(100));
    let Outcome::Held { reason } = ingest.receive(mb, "k/big", big.as_bytes()).await.unwrap() else { panic!("not held") };
    assert!(reason.starts_with("too large"), "{reason}");
    let kept = r.store.list_raw_inbound(&r.system, Some("failed"), 100).await.unwrap();
    let row = kept.iter().find(|f| f.error.as_deref() == Some(reason.as_str())).unwrap();
    assert_eq!(r.store.raw_inbound_bytes(r.system.workspace_id, row.id).await.unwrap(), big.as_bytes());
    let notices: Vec<_> = r.outbound(None).await.into_iter().filter(|o| o.kind == OutboundKind::Notice).collect();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].recipients, vec!["zofia@klient.pl"]);
    let notice = parse(&notices[0].raw).unwrap();
    assert!(notice.auto_submitted && notice.subject.starts_with("Twoja wiadomość była za duża"), "{}", notice.subject);
    let big_robot = mail("robot@sklep.pl", "Raport", "rb@sklep.pl", "Auto-Submitted: auto-generated\r\n", &"x".repeat(5000));
    assert!(matches!(ingest.receive(mb, "k/bigrobot", big_robot.as_bytes()).await.unwrap(), Outcome::Held { .. }));
    assert_eq!(r.outbound(None).await.iter().filter(|o| o.kind == OutboundKind::Notice).count(), 1, "no answer to a robot");
}

async fn threading_inside_a_batch(store: Arc<dyn Store>) {
    let r = rig(store, 1_000_000).await;
    let ingest = r.ingestor(1000);
    let mb = &r.mailbox;

    // Anna writes with her colleague Piotr in Cc: a ticket, Piotr follows it.
    let a1 = mail("Anna <anna@klient.pl>", "Zwrot towaru", "a1@klient.pl", "Cc: Piotr <piotr@klient.pl>\r\n", "Chcę zwrócić towar.");
    let t = new_ticket(&ingest.receive(mb, "f/1", a1.as_bytes()).await.unwrap());
    let secret = r.store.ticket_email_secret(r.system.workspace_id, t, "unused").await.unwrap();
    assert_ne!(secret, "unused", "the acknowledgement gave the ticket its reply secret");
    let ack_id = r.outbound(Some(t)).await[0].message_id_header.clone();

    // One fetch brings all of these at once.
    let batch = [
        // Anna answers our acknowledgement: the ticket.
        mail(
            "anna@klient.pl",
            "Re: Zwrot towaru",
            "a2@klient.pl",
            &format!("In-Reply-To: <{ack_id}>\r\nReferences: <a1@klient.pl> <{ack_id}>\r\n"),
            "Numer zamówienia 77.",
        ),
        // Someone new writes, and answers their own mail in the same fetch: one ticket for both.
        mail("marek@firma.pl", "Reklamacja", "m1@firma.pl", "", "Towar uszkodzony."),
        mail(
            "marek@firma.pl",
            "Re: Reklamacja",
            "m2@firma.pl",
            "In-Reply-To: <m1@firma.pl>\r\nReferences: <m1@firma.pl>\r\n",
            "Zdjęcia w załączeniu.",
        ),
        // Anna's thread forwarded to a stranger, who writes in with its headers and tag: not Anna's ticket.
        mail(
            "obcy@inny.pl",
            &format!("Fwd: Zwrot towaru [#{t}]"),
            "x1@inny.pl",
            &format!("References: <a1@klient.pl> <{ack_id}>\r\n"),
            "Co z moim zwrotem?",
        ),
        // A guessed reply address (wrong secret): not Anna's ticket either.
        mail(
            "obcy@inny.pl",
            "Re: Zwrot",
            "x2@inny.pl",
            &format!("Cc: {}\r\n", reply_address("pomoc@kwitek.pl", t, "zgadniete")),
            "Pokażcie mi to.",
        ),
        // Piotr, a follower, with the headers stripped but the tag kept: the ticket.
        mail("piotr@klient.pl", &format!("RE: [#{t}] Zwrot towaru"), "p1@klient.pl", "", "Potwierdzam zwrot."),
        // Anna's manager answers through the ticket's reply address (its secret proves it): the ticket.
        mail(
            "szefowa@klient.pl",
            "Zwrot",
            "s1@klient.pl",
            &format!("Cc: {}\r\n", reply_address("pomoc@kwitek.pl", t, &secret)),
            "Proszę o szybki zwrot.",
        ),
        // Anna forwards the thread herself (Fwd:, tag kept, no In-Reply-To): the ticket.
        mail("anna@klient.pl", &format!("Fwd: Zwrot towaru [#{t}]"), "a3@klient.pl", "", "Przesyłam jeszcze raz."),
        // The same mail twice (another folder): stored once.
        mail("marek@firma.pl", "Reklamacja", "m1@firma.pl", "", "Towar uszkodzony."),
    ];
    let keys: Vec<String> = (0..batch.len()).map(|i| format!("f/batch/{i}")).collect();
    let raws: Vec<(&str, &[u8])> = keys.iter().zip(&batch).map(|(k, m)| (k.as_str(), m.as_bytes())).collect();
    let out = ingest.receive_batch(mb, &raws).await.unwrap();
    assert_eq!(out[0], Outcome::Reply { ticket_id: t });
    let marek = new_ticket(&out[1]);
    assert_eq!(out[2], Outcome::Reply { ticket_id: marek }, "a reply to a mail of the same fetch");
    let forwarded = new_ticket(&out[3]);
    let guessed = new_ticket(&out[4]);
    assert!(forwarded != t && guessed != t);
    assert_eq!(&out[5..8], &[Outcome::Reply { ticket_id: t }, Outcome::Reply { ticket_id: t }, Outcome::Reply { ticket_id: t }]);
    assert_eq!(out[8], Outcome::Duplicate);

    let on_t = r.bodies(t).await;
    for expected in
        ["Chcę zwrócić towar.", "Numer zamówienia 77.", "Potwierdzam zwrot.", "Proszę o szybki zwrot.", "Przesyłam jeszcze raz."]
    {
        assert!(on_t.iter().any(|b| b.contains(expected)), "{expected} missing: {on_t:?}");
    }
    assert!(!on_t.iter().any(|b| b.contains("Co z moim zwrotem?") || b.contains("Pokażcie mi to.")), "a stranger's mail on Anna's ticket");
    assert_eq!(r.bodies(marek).await.len(), 2);
    // New tickets are acknowledged once each; replies are not.
    for (ticket, acks) in [(t, 1), (marek, 1), (forwarded, 1), (guessed, 1)] {
        assert_eq!(r.outbound(Some(ticket)).await.len(), acks, "ticket {ticket}");
    }

    // The whole fetch again (flags lost in a crash): nothing new.
    let again = ingest.receive_batch(mb, &raws).await.unwrap();
    assert!(again.iter().all(|o| *o == Outcome::Duplicate), "{again:?}");
    assert_eq!(r.bodies(t).await.len(), on_t.len());
    assert_eq!(r.outbound(Some(marek)).await.len(), 1);
}

/// Two mailboxes store mail from the same new people at the same moment:
/// every mail becomes a ticket, and each person one contact.
async fn same_new_senders_in_two_mailboxes_at_once(store: Arc<dyn Store>) {
    let r = rig(store.clone(), 1_000_000).await;
    let system = r.system.clone();
    let seal = SecretBox::new(b"ingest rules");
    let input = MailboxInput {
        brand_id: None,
        name: "Sklep".into(),
        address: "sklep@kwitek.pl".into(),
        imap_host: "127.0.0.1".into(),
        imap_port: 1,
        imap_security: Security::Plain,
        imap_username: "sklep".into(),
        imap_password_enc: Some(seal.seal("x")),
        imap_folder: "INBOX".into(),
        smtp_host: "127.0.0.1".into(),
        smtp_port: 1,
        smtp_security: Security::Plain,
        smtp_username: String::new(),
        smtp_password_enc: Some(seal.seal("")),
        from_name: "Sklep".into(),
        reply_to: None,
        max_message_bytes: 1_000_000,
        active: true,
        allow_remote_images: false,
    };
    let second = store.mailbox_secrets(store.create_mailbox(&system, &input).await.unwrap().id).await.unwrap();
    let batch = |tag: &str| -> Vec<(String, String)> {
        (0..40)
            .map(|i| {
                (
                    format!("{tag}/{i}"),
                    mail(&format!("osoba{i}@nowi.pl"), &format!("{tag} {i}"), &format!("{tag}{i}@nowi.pl"), "", "Pytanie."),
                )
            })
            .collect()
    };
    let (a, b) = (batch("a"), batch("b"));
    let as_raws =
        |v: &[(String, String)]| -> Vec<(String, Vec<u8>)> { v.iter().map(|(k, m)| (k.clone(), m.clone().into_bytes())).collect() };
    let (a, b) = (as_raws(&a), as_raws(&b));
    let (ia, ib) = (r.ingestor(1000), r.ingestor(1000));
    let ra: Vec<(&str, &[u8])> = a.iter().map(|(k, m)| (k.as_str(), m.as_slice())).collect();
    let rb: Vec<(&str, &[u8])> = b.iter().map(|(k, m)| (k.as_str(), m.as_slice())).collect();
    let (oa, ob) = tokio::join!(ia.receive_batch(&r.mailbox, &ra), ib.receive_batch(&second, &rb));
    let (oa, ob) = (oa.unwrap(), ob.unwrap());
    assert!(oa.iter().chain(&ob).all(|o| matches!(o, Outcome::NewTicket { .. })), "{oa:?} {ob:?}");
    let q = rapport_store::model::ListQuery { q: Some("@nowi.pl".into()), limit: 100, ..Default::default() };
    assert_eq!(store.list_contacts(&r.agent, &q).await.unwrap().items.len(), 40, "one contact per person");
}

async fn sqlite() -> Arc<dyn Store> {
    let dir = tempfile::tempdir().unwrap().keep();
    Arc::new(rapport_store_sqlite::SqliteStore::open(dir.join("ingest.db")).await.unwrap())
}

async fn postgres() -> Arc<dyn Store> {
    Arc::new(rapport_store_postgres::testing::fresh_store().await)
}

#[tokio::test]
async fn loops_noise_and_limits_sqlite() {
    loops_noise_and_limits(sqlite().await).await;
}

#[tokio::test]
async fn loops_noise_and_limits_postgres() {
    loops_noise_and_limits(postgres().await).await;
}

#[tokio::test]
async fn threading_inside_a_batch_sqlite() {
    threading_inside_a_batch(sqlite().await).await;
}

#[tokio::test]
async fn threading_inside_a_batch_postgres() {
    threading_inside_a_batch(postgres().await).await;
}

#[tokio::test]
async fn same_new_senders_in_two_mailboxes_at_once_sqlite() {
    same_new_senders_in_two_mailboxes_at_once(sqlite().await).await;
}

#[tokio::test]
async fn same_new_senders_in_two_mailboxes_at_once_postgres() {
    same_new_senders_in_two_mailboxes_at_once(postgres().await).await;
}
