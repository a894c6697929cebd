//! Story tests for canned replies and macros, and for the directory changes
//! the admin screens need (a user's teams, brands) and password resets.

use crate::model::*;
use crate::replies::*;
use crate::story::{world, World};
use crate::{Store, StoreError};
use rapport_domain::canned::LocalizedText;
use rapport_domain::{DomainError, Locale, MessageKind, Priority, Role, TicketStatus, Timestamp};

fn texts(pairs: &[(Locale, &str)]) -> LocalizedText {
    pairs.iter().map(|(l, t)| (*l, t.to_string())).collect()
}

fn canned(name: &str, shortcut: Option<&str>, shared: bool) -> CannedReplyInput {
    CannedReplyInput {
        name: name.into(),
        shortcut: shortcut.map(str::to_string),
        bodies: texts(&[
            (Locale::Vi, "Chào chị {{contact.first_name}}, yêu cầu #{{ticket.id}} đã được tiếp nhận. {{agent.name}}, {{brand.name}}"),
            (
                Locale::Pl,
                "Dzień dobry {{contact.first_name}}, zgłoszenie nr {{ticket.id}} zostało przyjęte. {{agent.first_name}}, {{brand.name}}",
            ),
            (Locale::En, "Hello {{contact.first_name}}, request #{{ticket.id}} is in. {{agent.name}}, {{brand.name}}"),
        ]),
        shared,
    }
}

fn is_forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Domain(DomainError::Forbidden)))
}

fn is_invalid<T: std::fmt::Debug>(r: &Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Domain(DomainError::Invalid { .. })))
}

fn is_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::NotFound(_)))
}

async fn contact(store: &dyn Store, w: &World, name: &str, locale: Locale) -> Contact {
    let input = NewContact { name: name.into(), email: None, phone: None, locale: Some(locale), organization_ids: vec![] };
    store.create_contact(&w.agent, &input).await.unwrap()
}

async fn ticket(store: &dyn Store, w: &World, subject: &str, requester: i64, language: Option<Locale>) -> Ticket {
    let mut t = NewTicket::new(subject);
    t.requester_id = Some(requester);
    t.language = language;
    t.message = Some(FirstMessage { body: Some("…".into()), html: None, kind: None });
    store.create_ticket(&w.agent, &t).await.unwrap()
}

pub async fn canned_replies_are_shared_or_personal(store: &dyn Store) {
    let w = world(store).await;
    let shared = store.create_canned_reply(&w.admin, &canned("Xác nhận / Potwierdzenie", Some("Thanks"), true)).await.unwrap();
    assert_eq!((shared.owner_user_id, shared.shortcut.as_deref()), (None, Some("thanks")), "shortcuts are lowercased");
    assert_eq!(shared.bodies.len(), 3);
    let mine = store.create_canned_reply(&w.agent, &canned("Mój podpis", Some("thanks"), false)).await.unwrap();
    assert_eq!(mine.owner_user_id, Some(w.agent.user_id), "a personal reply may reuse a shared shortcut");

    // Agents make personal replies only; viewers none.
    assert!(is_forbidden(store.create_canned_reply(&w.agent, &canned("x", None, true)).await));
    assert!(is_forbidden(store.create_canned_reply(&w.viewer, &canned("x", None, false)).await));
    assert!(is_forbidden(store.update_canned_reply(&w.agent, shared.id, &canned("changed", None, true)).await));
    assert!(is_forbidden(store.update_canned_reply(&w.agent, shared.id, &canned("mine now", None, false)).await));
    assert!(is_forbidden(store.delete_canned_reply(&w.agent, shared.id).await));

    // Everyone sees the shared ones; a personal one only its owner, not even an admin.
    let names = |list: Vec<CannedReply>| list.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(names(store.list_canned_replies(&w.agent).await.unwrap()), vec![mine.id, shared.id]);
    assert_eq!(names(store.list_canned_replies(&w.viewer).await.unwrap()), vec![shared.id]);
    assert_eq!(names(store.list_canned_replies(&w.admin).await.unwrap()), vec![shared.id]);
    assert!(is_not_found(store.get_canned_reply(&w.csm, mine.id).await));
    assert!(is_not_found(store.update_canned_reply(&w.admin, mine.id, &canned("taken", None, true)).await));
    assert!(is_not_found(store.delete_canned_reply(&w.admin, mine.id).await));

    // Bad input is refused with the field at fault.
    let dup = store.create_canned_reply(&w.admin, &canned("Again", Some("THANKS"), true)).await;
    assert!(matches!(dup, Err(StoreError::Conflict(ref m)) if m.contains("thanks")), "{dup:?}");
    let mut blank = canned("Blank", None, true);
    blank.bodies = texts(&[(Locale::Vi, "  "), (Locale::Pl, "\n")]);
    let r = store.create_canned_reply(&w.admin, &blank).await;
    assert!(matches!(r, Err(StoreError::Domain(DomainError::Invalid { field: "bodies", .. }))), "{r:?}");
    assert!(is_invalid(&store.create_canned_reply(&w.admin, &canned("  ", None, true)).await));
    assert!(is_invalid(&store.create_canned_reply(&w.admin, &canned("Bad", Some("two words"), true)).await));

    // The owner edits their own; blank variants are dropped, text trimmed.
    let mut edit = canned("Mój podpis (nowy)", Some("podpis"), false);
    edit.bodies = texts(&[(Locale::Pl, "  Pozdrawiam serdecznie,\n{{agent.name}}  "), (Locale::En, " ")]);
    let edited = store.update_canned_reply(&w.agent, mine.id, &edit).await.unwrap();
    assert_eq!(edited.bodies, texts(&[(Locale::Pl, "Pozdrawiam serdecznie,\n{{agent.name}}")]));
    assert_eq!(edited.owner_user_id, Some(w.agent.user_id));
    assert_eq!(store.get_canned_reply(&w.agent, mine.id).await.unwrap().name, "Mój podpis (nowy)");
    store.delete_canned_reply(&w.agent, mine.id).await.unwrap();
    assert!(is_not_found(store.get_canned_reply(&w.agent, mine.id).await));

    // An admin may turn a shared reply into their own and back.
    let personal = store.update_canned_reply(&w.admin, shared.id, &canned("Admin's", Some("thanks"), false)).await.unwrap();
    assert_eq!(personal.owner_user_id, Some(w.admin.user_id));
    assert!(is_not_found(store.get_canned_reply(&w.agent, shared.id).await));
    let back = store.update_canned_reply(&w.admin, shared.id, &canned("Shared again", Some("thanks"), true)).await.unwrap();
    assert_eq!(back.owner_user_id, None);

    // Another workspace sees none of it.
    let other = world(store).await;
    assert!(store.list_canned_replies(&other.admin).await.unwrap().is_empty());
    assert!(is_not_found(store.get_canned_reply(&other.admin, shared.id).await));
    assert!(is_not_found(store.delete_canned_reply(&other.admin, shared.id).await));
    let audit = store.list_audit(&w.admin, Some("canned_reply"), Some(shared.id), None, 10).await.unwrap().items;
    assert_eq!(
        audit.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
        ["canned_reply.updated", "canned_reply.updated", "canned_reply.created"]
    );
}

pub async fn canned_replies_render_in_the_tickets_language(store: &dyn Store) {
    let w = world(store).await;
    let brand =
        store.create_brand(&w.admin, &NewBrand { name: "Kwitek POS".into(), slug: "kwitek".into(), default_locale: None }).await.unwrap();
    store
        .update_user(
            &w.agent,
            w.agent.user_id,
            &UserPatch { name: Some("Trần Minh Khoa".into()), locale: Some(Locale::Vi), ..Default::default() },
            None,
        )
        .await
        .unwrap();
    let reply = store.create_canned_reply(&w.admin, &canned("Ack", None, true)).await.unwrap();

    // A Polish ticket gets the Polish text, with the Polish first name.
    let lukasz = contact(store, &w, "Łukasz Wiśniewski", Locale::Pl).await;
    let mut pl = NewTicket::new("Drukarka fiskalna nie drukuje");
    pl.requester_id = Some(lukasz.id);
    pl.language = Some(Locale::Pl);
    pl.brand_id = Some(brand.id);
    let pl = store.create_ticket(&w.agent, &pl).await.unwrap();
    let r = store.render_canned_reply(&w.agent, pl.id, reply.id).await.unwrap();
    assert_eq!(r.locale, Locale::Pl);
    assert_eq!(r.text, format!("Dzień dobry Łukasz, zgłoszenie nr {} zostało przyjęte. Khoa, Kwitek POS", pl.id));

    // A Vietnamese ticket: the given name comes last.
    let vi = ticket(store, &w, "Máy không sạc được", w.contact.id, Some(Locale::Vi)).await;
    let r = store.render_canned_reply(&w.agent, vi.id, reply.id).await.unwrap();
    assert_eq!(r.locale, Locale::Vi);
    assert_eq!(r.text, format!("Chào chị Hương, yêu cầu #{} đã được tiếp nhận. Trần Minh Khoa, Story workspace", vi.id));

    // No language on the ticket: the agent's language. Missing requester: empty name.
    let mut none = NewTicket::new("No language");
    none.message = Some(FirstMessage { body: Some("?".into()), html: None, kind: None });
    let none = store.create_ticket(&w.agent, &none).await.unwrap();
    let r = store.render_canned_reply(&w.agent, none.id, reply.id).await.unwrap();
    assert_eq!(r.locale, Locale::Vi);
    assert!(r.text.starts_with("Chào chị , yêu cầu"), "{}", r.text);

    // Names are not escaped in the text, only in the HTML.
    let sneaky = contact(store, &w, "Ann <script>x</script>", Locale::En).await;
    let en = ticket(store, &w, "Hello", sneaky.id, Some(Locale::En)).await;
    let r = store.render_canned_reply(&w.agent, en.id, reply.id).await.unwrap();
    assert!(r.text.starts_with("Hello Ann,"), "{}", r.text);
    let mut full_name = canned("Full name", None, true);
    full_name.bodies = texts(&[(Locale::En, "Dear {{contact.name}}, {{unknown.thing}}")]);
    let full_name = store.create_canned_reply(&w.admin, &full_name).await.unwrap();
    let r = store.render_canned_reply(&w.agent, en.id, full_name.id).await.unwrap();
    assert_eq!(r.text, "Dear Ann <script>x</script>, {{unknown.thing}}");
    assert_eq!(r.html, "Dear Ann &lt;script&gt;x&lt;/script&gt;, {{unknown.thing}}");

    // Tickets the actor may not see, and other workspaces' replies, are not found.
    let team = store.create_team(&w.admin, &NewTeam { name: "VIP".into(), restricted: true, member_ids: vec![] }).await.unwrap();
    store.update_ticket(&w.admin, vi.id, &TicketPatch { team_id: Some(Some(team.id)), ..Default::default() }).await.unwrap();
    assert!(is_not_found(store.render_canned_reply(&w.agent, vi.id, reply.id).await));
    let other = world(store).await;
    assert!(is_not_found(store.render_canned_reply(&other.admin, pl.id, reply.id).await));
    let theirs = ticket(store, &other, "Theirs", other.contact.id, None).await;
    assert!(is_not_found(store.render_canned_reply(&other.agent, theirs.id, reply.id).await));
}

fn full_macro(w: &World, team_id: i64) -> MacroInput {
    MacroInput {
        name: "Chờ khách phản hồi / Czekamy na klienta".into(),
        actions: vec![
            MacroAction::Reply {
                kind: MessageKind::Public,
                bodies: texts(&[
                    (Locale::Pl, "Dzień dobry {{contact.first_name}}, czekamy na zdjęcie paragonu."),
                    (Locale::Vi, "Chào chị {{contact.first_name}}, vui lòng gửi ảnh hóa đơn."),
                ]),
            },
            MacroAction::Reply { kind: MessageKind::Note, bodies: texts(&[(Locale::En, "Asked for the receipt ({{agent.name}}).")]) },
            MacroAction::SetStatus { status: TicketStatus::Pending },
            MacroAction::SetPriority { priority: Priority::High },
            MacroAction::AddTags { tags: vec!["Cho-Hoa-Don".into(), "bảo-hành".into()] },
            MacroAction::RemoveTags { tags: vec!["moi".into()] },
            MacroAction::AssignUser { user_id: Some(w.agent.user_id) },
            MacroAction::AssignTeam { team_id: Some(team_id) },
        ],
    }
}

pub async fn macros_apply_every_action_at_once(store: &dyn Store) {
    let w = world(store).await;
    let team = store.create_team(&w.admin, &NewTeam { name: "Bảo hành".into(), restricted: false, member_ids: vec![] }).await.unwrap();
    assert!(is_forbidden(store.create_macro(&w.agent, &full_macro(&w, team.id)).await));
    let m = store.create_macro(&w.admin, &full_macro(&w, team.id)).await.unwrap();
    assert_eq!(m.actions.len(), 8);
    assert!(m.actions.contains(&MacroAction::AddTags { tags: vec!["cho-hoa-don".into(), "bảo-hành".into()] }), "tags normalised");
    assert_eq!(store.list_macros(&w.viewer).await.unwrap().len(), 1, "everyone who reads tickets sees macros");

    let mut t = NewTicket::new("Bảo hành máy");
    t.requester_id = Some(w.contact.id);
    t.language = Some(Locale::Vi);
    t.tags = vec!["moi".into(), "dien-thoai".into()];
    t.message = Some(FirstMessage { body: Some("Máy bị lỗi màn hình.".into()), html: None, kind: None });
    let t = store.create_ticket(&w.agent, &t).await.unwrap();
    assert_eq!(t.status, TicketStatus::New);

    // Viewers cannot apply; nothing changes.
    assert!(is_forbidden(store.apply_macro(&w.viewer, t.id, m.id).await));
    assert_eq!(store.list_messages(&w.admin, t.id, None, 50).await.unwrap().items.len(), 1);

    let applied = store.apply_macro(&w.agent, t.id, m.id).await.unwrap();
    let after = &applied.ticket;
    assert_eq!((after.status, after.priority), (TicketStatus::Pending, Priority::High));
    assert_eq!(after.tags, vec!["bảo-hành", "cho-hoa-don", "dien-thoai"]);
    assert_eq!((after.assignee_id, after.team_id), (Some(w.agent.user_id), Some(team.id)));
    assert!(after.first_response_at.is_some(), "the public reply is a first response");
    assert_eq!(applied.messages.len(), 2);
    assert_eq!(applied.messages[0].kind, MessageKind::Public);
    assert_eq!(applied.messages[0].body_text, "Chào chị Hương, vui lòng gửi ảnh hóa đơn.", "Vietnamese variant for a Vietnamese ticket");
    assert_eq!(applied.messages[1].kind, MessageKind::Note);
    assert_eq!(applied.messages[1].body_text, "Asked for the receipt (agent user).");
    assert_eq!(applied.messages[0].author_user_id, Some(w.agent.user_id));

    // The conversation shows the replies and the changes as system events.
    let msgs = store.list_messages(&w.agent, t.id, None, 50).await.unwrap().items;
    let system: Vec<&str> = msgs.iter().filter(|m| m.kind == MessageKind::System).map(|m| m.body_text.as_str()).collect();
    assert!(system.iter().any(|s| s.contains("status: new → open")), "{system:?}");
    let changes = system.iter().find(|s| s.contains("status: open → pending")).expect("one event for the macro's changes");
    for line in ["priority: normal → high", "tags:", "assignee_id:", "team_id:"] {
        assert!(changes.contains(line), "{line} in {changes}");
    }
    let audit = store.list_audit(&w.admin, Some("ticket"), Some(t.id), None, 20).await.unwrap().items;
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(&actions[..4], ["macro.applied", "ticket.updated", "message.created", "message.created"], "{actions:?}");
    assert_eq!(audit[0].details["macro_id"], m.id);

    // Another workspace can neither see nor apply it.
    let other = world(store).await;
    assert!(is_not_found(store.get_macro(&other.admin, m.id).await));
    assert!(is_not_found(store.apply_macro(&other.admin, t.id, m.id).await));
    let theirs = ticket(store, &other, "Theirs", other.contact.id, None).await;
    assert!(is_not_found(store.apply_macro(&other.admin, theirs.id, m.id).await));
    assert!(store.list_macros(&other.agent).await.unwrap().is_empty());
}

pub async fn macros_are_validated_and_all_or_nothing(store: &dyn Store) {
    let w = world(store).await;
    let other = world(store).await;
    let other_team =
        store.create_team(&other.admin, &NewTeam { name: "Theirs".into(), restricted: false, member_ids: vec![] }).await.unwrap();
    let one = |a: MacroAction| MacroInput { name: "m".into(), actions: vec![a] };
    let bad = [
        MacroInput { name: "empty".into(), actions: vec![] },
        MacroInput { name: " ".into(), actions: vec![MacroAction::SetPriority { priority: Priority::Low }] },
        one(MacroAction::SetStatus { status: TicketStatus::New }),
        one(MacroAction::SetStatus { status: TicketStatus::Closed }),
        one(MacroAction::AssignUser { user_id: Some(w.viewer.user_id) }),
        one(MacroAction::AssignUser { user_id: Some(other.agent.user_id) }),
        one(MacroAction::AssignTeam { team_id: Some(other_team.id) }),
        one(MacroAction::AddTags { tags: vec![] }),
        one(MacroAction::AddTags { tags: vec!["no spaces".into()] }),
        one(MacroAction::Reply { kind: MessageKind::System, bodies: texts(&[(Locale::En, "x")]) }),
        one(MacroAction::Reply { kind: MessageKind::Public, bodies: texts(&[(Locale::En, " ")]) }),
        MacroInput {
            name: "twice".into(),
            actions: vec![MacroAction::SetStatus { status: TicketStatus::Open }, MacroAction::SetStatus { status: TicketStatus::Solved }],
        },
        MacroInput {
            name: "both ways".into(),
            actions: vec![MacroAction::AddTags { tags: vec!["a".into()] }, MacroAction::RemoveTags { tags: vec!["A".into()] }],
        },
    ];
    for input in &bad {
        let r = store.create_macro(&w.admin, input).await;
        assert!(matches!(r, Err(StoreError::Domain(DomainError::Invalid { field: "name" | "actions", .. }))), "{input:?}: {r:?}");
    }
    assert!(store.list_macros(&w.admin).await.unwrap().is_empty());

    // Saved while valid, then the assignee is deactivated: applying fails and writes nothing, not even the reply before it.
    let helper = store
        .create_user(
            &w.admin,
            &NewUser {
                email: format!("helper-{}@rapport.test", w.ws),
                name: "Helper".into(),
                role: Role::Agent,
                locale: None,
                password: None,
            },
            None,
        )
        .await
        .unwrap();
    let input = MacroInput {
        name: "Hand over".into(),
        actions: vec![
            MacroAction::Reply { kind: MessageKind::Public, bodies: texts(&[(Locale::En, "A colleague will take over.")]) },
            MacroAction::AssignUser { user_id: Some(helper.id) },
        ],
    };
    let m = store.create_macro(&w.admin, &input).await.unwrap();
    store.deactivate_user(&w.admin, helper.id).await.unwrap();
    let t = ticket(store, &w, "Hand over", w.contact.id, None).await;
    let r = store.apply_macro(&w.agent, t.id, m.id).await;
    assert!(matches!(r, Err(StoreError::Domain(DomainError::Invalid { .. }))), "{r:?}");
    let unchanged = store.get_ticket(&w.agent, t.id).await.unwrap();
    assert_eq!((unchanged.status, unchanged.assignee_id, unchanged.first_response_at), (TicketStatus::New, None, None));
    assert_eq!(store.list_messages(&w.agent, t.id, None, 50).await.unwrap().items.len(), 1, "the reply was rolled back");

    // Editing: the same checks; deleting: admins only.
    assert!(is_invalid(&store.update_macro(&w.admin, m.id, &bad[2]).await));
    let fixed = MacroInput { name: "Hand over (fixed)".into(), actions: vec![MacroAction::AssignUser { user_id: None }] };
    assert!(is_forbidden(store.update_macro(&w.agent, m.id, &fixed).await));
    let updated = store.update_macro(&w.admin, m.id, &fixed).await.unwrap();
    assert_eq!((updated.name.as_str(), updated.actions.len()), ("Hand over (fixed)", 1));
    assert!(is_not_found(store.update_macro(&other.admin, m.id, &fixed).await));
    assert!(is_forbidden(store.delete_macro(&w.agent, m.id).await));
    assert!(is_not_found(store.delete_macro(&other.admin, m.id).await));
    store.delete_macro(&w.admin, m.id).await.unwrap();
    assert!(is_not_found(store.get_macro(&w.admin, m.id).await));

    // A closed ticket takes no macro.
    let status_only = store.create_macro(&w.admin, &one(MacroAction::SetPriority { priority: Priority::Urgent })).await.unwrap();
    for s in [TicketStatus::Solved, TicketStatus::Closed] {
        store.update_ticket(&w.admin, t.id, &TicketPatch { status: Some(s), ..Default::default() }).await.unwrap();
    }
    let r = store.apply_macro(&w.agent, t.id, status_only.id).await;
    assert!(matches!(r, Err(StoreError::Domain(DomainError::TicketClosed))), "{r:?}");
}

pub async fn user_teams_and_brands(store: &dyn Store) {
    let w = world(store).await;
    let a = store.create_team(&w.admin, &NewTeam { name: "Kasy".into(), restricted: false, member_ids: vec![] }).await.unwrap();
    let b =
        store.create_team(&w.admin, &NewTeam { name: "Faktury".into(), restricted: true, member_ids: vec![w.csm.user_id] }).await.unwrap();
    let u = store.set_user_teams(&w.admin, w.agent.user_id, &[b.id, a.id]).await.unwrap();
    assert_eq!(u.team_ids, {
        let mut v = vec![a.id, b.id];
        v.sort();
        v
    });
    assert_eq!(store.get_team(&w.admin, b.id).await.unwrap().member_ids.len(), 2, "other members stay");
    let u = store.set_user_teams(&w.admin, w.agent.user_id, &[a.id]).await.unwrap();
    assert_eq!(u.team_ids, vec![a.id]);
    assert!(is_forbidden(store.set_user_teams(&w.agent, w.agent.user_id, &[b.id]).await));
    let other = world(store).await;
    assert!(is_not_found(store.set_user_teams(&other.admin, w.agent.user_id, &[]).await));
    let theirs = store.create_team(&other.admin, &NewTeam { name: "Theirs".into(), restricted: false, member_ids: vec![] }).await.unwrap();
    assert!(is_invalid(&store.set_user_teams(&w.admin, w.agent.user_id, &[theirs.id]).await));
    assert_eq!(store.get_user(&w.admin, w.agent.user_id).await.unwrap().team_ids, vec![a.id], "a refused change leaves the teams alone");

    let brand = store
        .create_brand(&w.admin, &NewBrand { name: "Sao Mai".into(), slug: "sao-mai".into(), default_locale: Some(Locale::Vi) })
        .await
        .unwrap();
    let patch = BrandPatch { name: Some("Sao Mai Mobile".into()), default_locale: Some(Locale::En) };
    assert!(is_forbidden(store.update_brand(&w.agent, brand.id, &patch).await));
    assert!(is_not_found(store.update_brand(&other.admin, brand.id, &patch).await));
    assert!(is_invalid(&store.update_brand(&w.admin, brand.id, &BrandPatch { name: Some(" ".into()), default_locale: None }).await));
    let b2 = store.update_brand(&w.admin, brand.id, &patch).await.unwrap();
    assert_eq!((b2.name.as_str(), b2.default_locale, b2.slug.as_str()), ("Sao Mai Mobile", Locale::En, "sao-mai"));
}

pub async fn password_reset_tokens_work_once(store: &dyn Store) {
    let w = world(store).await;
    let user = store.get_user(&w.admin, w.agent.user_id).await.unwrap();
    let in_an_hour = Timestamp::now().plus_seconds(3600);
    assert!(store.create_password_reset("nobody@rapport.test", "h0", in_an_hour).await.unwrap().is_none());
    let first = store.create_password_reset(&user.email.to_uppercase(), "h1", in_an_hour).await.unwrap().expect("known user");
    assert!(first.issued);
    assert_eq!(first.user.id, user.id);
    let again = store.create_password_reset(&user.email, "h2", in_an_hour).await.unwrap().unwrap();
    assert!(!again.issued, "no second link within a minute");
    assert!(is_not_found(store.password_reset_user("h2").await), "the refused token was not stored");
    assert_eq!(store.password_reset_user("h1").await.unwrap().id, user.id);

    store.create_session(user.id, "session-hash", "csrf", in_an_hour).await.unwrap();
    let done = store.reset_password("h1", "$argon2id$new").await.unwrap();
    assert_eq!(done.id, user.id);
    assert_eq!(store.user_for_login(&user.email).await.unwrap().1.as_deref(), Some("$argon2id$new"));
    assert!(is_not_found(store.session("session-hash").await), "other sessions end");
    assert!(is_not_found(store.reset_password("h1", "$argon2id$again").await), "a token works once");
    assert!(is_not_found(store.password_reset_user("h1").await));
    assert!(is_not_found(store.reset_password("never-issued", "$argon2id$x").await));
    let audit = store.list_audit(&w.admin, Some("user"), Some(user.id), None, 5).await.unwrap().items;
    assert_eq!(audit[0].action, "user.password_reset");
    assert_eq!(audit[0].actor_user_id, Some(user.id));

    // Expired tokens, and tokens of deactivated users, do not work.
    let csm = store.get_user(&w.admin, w.csm.user_id).await.unwrap();
    let past = Timestamp(Timestamp::now().millis() - 1000);
    assert!(store.create_password_reset(&csm.email, "expired", past).await.unwrap().unwrap().issued);
    assert!(is_not_found(store.password_reset_user("expired").await));
    assert!(is_not_found(store.reset_password("expired", "$argon2id$x").await));
    let viewer = store.get_user(&w.admin, w.viewer.user_id).await.unwrap();
    assert!(store.create_password_reset(&viewer.email, "h3", in_an_hour).await.unwrap().unwrap().issued);
    store.deactivate_user(&w.admin, viewer.id).await.unwrap();
    assert!(is_not_found(store.password_reset_user("h3").await));
    assert!(is_not_found(store.reset_password("h3", "$argon2id$x").await));
    assert!(store.create_password_reset(&viewer.email, "h4", in_an_hour).await.unwrap().is_none(), "inactive users get no link");
}
