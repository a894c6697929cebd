//! The story tests: what every [`Store`] backend must do, written once and
//! run unchanged against SQLite and PostgreSQL (see [`story_tests!`]).
//!
//! Each story sets up its own workspace(s), so stories can share a database.

use crate::model::*;
use crate::{IdempotencyBegin, Store, StoreError};
use rapport_domain::{Actor, Channel, DomainError, Id, Locale, MessageKind, Priority, Role, TicketStatus, Timestamp};
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};

/// Generates one `#[tokio::test]` per story, each calling `$make().await`
/// for a fresh `Box<dyn Store>` (or `Arc`), already migrated.
#[macro_export]
macro_rules! story_tests {
    ($make:path) => {
        $crate::story_tests!(@each $make;
            ticket_lifecycle, invalid_transition_writes_nothing, workspaces_are_isolated,
            restricted_team_tickets_are_hidden, roles_are_enforced, ticket_filters_sorting_and_cursors,
            tags_and_custom_fields, changes_are_audited_and_shown, contacts_and_organizations,
            raw_inbound_is_durable_and_idempotent, idempotency_keys, sessions_and_api_tokens,
            messages_and_attachments, users_and_teams);
        $crate::story_tests!(@in story_mail, $make;
            mailboxes_keep_their_secrets, inbound_email_is_stored_exactly_once, outbound_queue_leases_and_retries,
            mail_batches_thread_inside_and_answer_once, mail_images_follow_the_mailbox, new_senders_stored_twice_at_once);
        $crate::story_tests!(@in story_sla, $make; sla_states_filter_the_inbox);
        $crate::story_tests!(@in story_desk, $make;
            view_counts_are_capped_and_filtered, saved_views_are_personal_or_shared, mentions_notify_only_who_may_see,
            merge_moves_the_conversation, split_makes_a_new_ticket, change_feed_sees_every_write);
        $crate::story_tests!(@in story_replies, $make;
            canned_replies_are_shared_or_personal, canned_replies_render_in_the_tickets_language,
            macros_apply_every_action_at_once, macros_are_validated_and_all_or_nothing, user_teams_and_brands, password_reset_tokens_work_once);
        $crate::story_tests!(@in story_kb, $make;
            kb_search_relevance, kb_search_scope, kb_workflow_and_versions, kb_roles_and_tenancy,
            kb_verification_of_internal_cards, kb_help_center_feedback_and_deflection, kb_bot_turns, kb_message_search);
        $crate::story_tests!(@in story_metrics, $make;
            service_kpis_by_hand, facts_follow_live_writes, metrics_filters_roles_and_tenancy, business_hours_and_time_entries);
        $crate::story_tests!(@in story_surveys, $make;
            csat_follows_solves_with_delay_and_throttle, nps_is_scheduled_per_segment_at_most_once_per_interval,
            answers_change_within_their_window_and_low_scores_loop, experience_kpis_by_hand, survey_roles_tenancy_and_mail,
            webhook_deliveries_are_leased_retried_and_logged);
    };
    // Stories kept in another module of this crate: `@in story_x, make; names...`.
    (@in $module:ident, $make:path; $($name:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let store = $make().await;
                $crate::$module::$name(&*store).await;
            }
        )+
    };
    (@each $make:path; $($name:ident),+) => {
        $(
            #[tokio::test]
            async fn $name() {
                let store = $make().await;
                $crate::story::$name(&*store).await;
            }
        )+
    };
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}-{}-{n}-{nanos}", std::process::id())
}

/// A workspace with an admin, an agent, a CSM, a viewer and one contact.
pub struct World {
    pub ws: Id,
    pub system: Actor,
    pub admin: Actor,
    pub agent: Actor,
    pub csm: Actor,
    pub viewer: Actor,
    pub contact: Contact,
}

fn actor_of(u: &User) -> Actor {
    Actor { workspace_id: u.workspace_id, user_id: u.id, role: u.role, team_ids: u.team_ids.clone() }
}

async fn user(store: &dyn Store, system: &Actor, role: Role) -> User {
    let email = format!("{}@rapport.test", unique(role.as_str()));
    store
        .create_user(system, &NewUser { email, name: format!("{role} user"), role, locale: Some(Locale::En), password: None }, None)
        .await
        .unwrap()
}

pub async fn world(store: &dyn Store) -> World {
    let slug = unique("ws");
    let ws = store.create_workspace("Story workspace", &slug).await.unwrap();
    let system = Actor::system(ws.id);
    let admin = actor_of(&user(store, &system, Role::Admin).await);
    let agent = actor_of(&user(store, &system, Role::Agent).await);
    let csm = actor_of(&user(store, &system, Role::Csm).await);
    let viewer = actor_of(&user(store, &system, Role::Viewer).await);
    let contact = store
        .create_contact(
            &agent,
            &NewContact {
                name: "Nguyễn Thị Hương".into(),
                email: Some(format!("{}@khach.vn", unique("huong"))),
                phone: None,
                locale: Some(Locale::Vi),
                organization_ids: vec![],
            },
        )
        .await
        .unwrap();
    World { ws: ws.id, system, admin, agent, csm, viewer, contact }
}

pub fn customer_ticket(w: &World, subject: &str) -> NewTicket {
    let mut t = NewTicket::new(subject);
    t.requester_id = Some(w.contact.id);
    t.channel = Some(Channel::Email);
    t.message = Some(FirstMessage { body: Some("Đơn hàng của tôi chưa được giao.".into()), html: None, kind: None });
    t
}

pub fn text_message(kind: MessageKind, author_contact_id: Option<Id>, text: &str) -> NewMessage {
    NewMessage { kind, author_contact_id, body_text: text.into(), body_html: rapport_domain::html::text_to_html(text), attachments: vec![] }
}

pub fn status(s: TicketStatus) -> TicketPatch {
    TicketPatch { status: Some(s), ..Default::default() }
}

pub fn is_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::NotFound(_)))
}

pub fn is_forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Domain(DomainError::Forbidden)))
}

pub fn is_invalid<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Domain(DomainError::Invalid { .. })))
}

pub async fn all_tickets(store: &dyn Store, actor: &Actor, mut q: TicketQuery) -> Vec<Ticket> {
    let mut out = Vec::new();
    q.limit = q.limit.max(1);
    loop {
        let page = store.list_tickets(actor, &q).await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => q.cursor = crate::Cursor::decode(&c),
            None => return out,
        }
    }
}

// ------------------------------------------------------------------ stories

pub async fn ticket_lifecycle(store: &dyn Store) {
    let w = world(store).await;
    let t = store.create_ticket(&w.agent, &customer_ticket(&w, "Chưa nhận được hàng")).await.unwrap();
    assert_eq!(t.status, TicketStatus::New);
    assert_eq!(t.requester_id, Some(w.contact.id));
    assert_eq!(t.first_response_at, None);
    let msgs = store.list_messages(&w.agent, t.id, None, 50).await.unwrap().items;
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].author_contact_id, Some(w.contact.id), "the customer wrote the first message");

    // An internal note is not a first response.
    store.add_message(&w.agent, t.id, &text_message(MessageKind::Note, None, "Kiểm tra kho")).await.unwrap();
    assert_eq!(store.get_ticket(&w.agent, t.id).await.unwrap().first_response_at, None);

    // The agent's public reply is, and it opens the ticket.
    store.add_message(&w.agent, t.id, &text_message(MessageKind::Public, None, "Chúng tôi đang kiểm tra.")).await.unwrap();
    let t1 = store.get_ticket(&w.agent, t.id).await.unwrap();
    assert_eq!(t1.status, TicketStatus::Open);
    let first_response = t1.first_response_at.expect("first response stamped");

    let solved = store.update_ticket(&w.agent, t.id, &status(TicketStatus::Solved)).await.unwrap();
    assert!(solved.solved_at.is_some());
    assert_eq!(solved.reopened_count, 0);

    // The customer writes again: the ticket reopens and the reopen is counted.
    store.add_message(&w.agent, t.id, &text_message(MessageKind::Public, Some(w.contact.id), "Vẫn chưa nhận được.")).await.unwrap();
    let reopened = store.get_ticket(&w.agent, t.id).await.unwrap();
    assert_eq!(reopened.status, TicketStatus::Open);
    assert_eq!(reopened.reopened_count, 1);
    assert_eq!(reopened.first_response_at, Some(first_response), "first response is never moved");

    store.update_ticket(&w.agent, t.id, &status(TicketStatus::Solved)).await.unwrap();
    let closed = store.update_ticket(&w.agent, t.id, &status(TicketStatus::Closed)).await.unwrap();
    assert_eq!(closed.status, TicketStatus::Closed);
    assert!(closed.closed_at.is_some());

    // Closed is final: no edits, no messages...
    let edit = store.update_ticket(&w.agent, t.id, &TicketPatch { priority: Some(Priority::High), ..Default::default() }).await;
    assert!(matches!(edit, Err(StoreError::Domain(DomainError::TicketClosed))), "{edit:?}");
    let reply = store.add_message(&w.agent, t.id, &text_message(MessageKind::Public, None, "x")).await;
    assert!(matches!(reply, Err(StoreError::Domain(DomainError::TicketClosed))), "{reply:?}");

    // ...but a follow-up is a new ticket that points back and keeps the requester.
    let mut f = NewTicket::new("Follow-up");
    f.followup_of = Some(t.id);
    let follow = store.create_ticket(&w.agent, &f).await.unwrap();
    assert_eq!(follow.followup_of, Some(t.id));
    assert_eq!(follow.requester_id, Some(w.contact.id));
    assert_eq!(follow.channel, Channel::Email, "the follow-up continues on the same channel");

    // Only closed tickets are followed up.
    let mut bad = NewTicket::new("Follow-up of an open ticket");
    bad.followup_of = Some(follow.id);
    assert!(is_invalid(store.create_ticket(&w.agent, &bad).await));
}

pub async fn invalid_transition_writes_nothing(store: &dyn Store) {
    let w = world(store).await;
    let t = store.create_ticket(&w.agent, &customer_ticket(&w, "Brak faktury")).await.unwrap();
    let audit_before = store.list_audit(&w.admin, Some("ticket"), Some(t.id), None, 100).await.unwrap().items.len();
    let patch = TicketPatch { status: Some(TicketStatus::Closed), priority: Some(Priority::Urgent), ..Default::default() };
    let r = store.update_ticket(&w.agent, t.id, &patch).await;
    assert!(matches!(r, Err(StoreError::Domain(DomainError::BadTransition { .. }))), "{r:?}");
    let after = store.get_ticket(&w.agent, t.id).await.unwrap();
    assert_eq!(after.status, TicketStatus::New);
    assert_eq!(after.priority, Priority::Normal, "no partial write");
    assert_eq!(store.list_audit(&w.admin, Some("ticket"), Some(t.id), None, 100).await.unwrap().items.len(), audit_before);

    // Creating a ticket straight into `closed` is refused too.
    let mut n = NewTicket::new("closed at birth");
    n.status = Some(TicketStatus::Closed);
    assert!(matches!(store.create_ticket(&w.agent, &n).await, Err(StoreError::Domain(DomainError::BadTransition { .. }))));

    // A bad reference rolls back the whole ticket.
    let before = all_tickets(store, &w.admin, TicketQuery { limit: 100, ..Default::default() }).await.len();
    let mut n = NewTicket::new("bad assignee");
    n.assignee_id = Some(i64::MAX);
    n.tags = vec!["should-not-exist".into()];
    assert!(is_invalid(store.create_ticket(&w.agent, &n).await));
    assert_eq!(all_tickets(store, &w.admin, TicketQuery { limit: 100, ..Default::default() }).await.len(), before);
    assert!(!store.list_tags(&w.admin).await.unwrap().iter().any(|t| t.name == "should-not-exist"));
}

pub async fn workspaces_are_isolated(store: &dyn Store) {
    let x = world(store).await;
    let y = world(store).await;
    let org = store.create_organization(&x.agent, &NewOrganization { name: "Công ty X".into(), domain: None, notes: None }).await.unwrap();
    let team = store.create_team(&x.admin, &NewTeam { name: "X team".into(), restricted: false, member_ids: vec![] }).await.unwrap();
    let t = store.create_ticket(&x.agent, &customer_ticket(&x, "X's ticket")).await.unwrap();
    let msg = store.list_messages(&x.agent, t.id, None, 10).await.unwrap().items.remove(0);

    // Y's admin, who sees everything in Y, sees nothing of X by id...
    assert!(is_not_found(store.get_ticket(&y.admin, t.id).await));
    assert!(is_not_found(store.get_contact(&y.admin, x.contact.id).await));
    assert!(is_not_found(store.get_organization(&y.admin, org.id).await));
    assert!(is_not_found(store.get_team(&y.admin, team.id).await));
    assert!(is_not_found(store.get_user(&y.admin, x.agent.user_id).await));
    assert!(is_not_found(store.get_message(&y.admin, msg.id).await));
    assert!(is_not_found(store.list_messages(&y.admin, t.id, None, 10).await));
    // ...cannot change or delete it...
    assert!(is_not_found(store.update_ticket(&y.admin, t.id, &status(TicketStatus::Solved)).await));
    assert!(is_not_found(store.add_message(&y.admin, t.id, &text_message(MessageKind::Note, None, "hi")).await));
    assert!(is_not_found(
        store.update_contact(&y.admin, x.contact.id, &ContactPatch { name: Some("Hacked".into()), ..Default::default() }).await
    ));
    assert!(is_not_found(store.delete_ticket(&y.admin, t.id).await));
    assert!(is_not_found(store.delete_organization(&y.admin, org.id).await));
    assert!(is_not_found(
        store.update_user(&y.admin, x.agent.user_id, &UserPatch { role: Some(Role::Viewer), ..Default::default() }, None).await
    ));
    // ...cannot point its own records at X's...
    let mut n = NewTicket::new("steal");
    n.requester_id = Some(x.contact.id);
    assert!(is_invalid(store.create_ticket(&y.agent, &n).await));
    let mut n = NewTicket::new("steal");
    n.assignee_id = Some(x.agent.user_id);
    assert!(is_invalid(store.create_ticket(&y.agent, &n).await));
    let c = NewContact { name: "c".into(), email: None, phone: None, locale: None, organization_ids: vec![org.id] };
    assert!(is_invalid(store.create_contact(&y.agent, &c).await));
    // ...and its lists hold only its own records.
    let y_tickets = all_tickets(store, &y.admin, TicketQuery { limit: 100, ..Default::default() }).await;
    assert!(y_tickets.iter().all(|yt| yt.id != t.id));
    let y_contacts = store.list_contacts(&y.admin, &ListQuery { limit: 100, ..Default::default() }).await.unwrap();
    assert!(y_contacts.items.iter().all(|c| c.id != x.contact.id));
    assert_eq!(store.get_ticket(&x.agent, t.id).await.unwrap().subject, "X's ticket", "X's data is untouched");
}

pub async fn restricted_team_tickets_are_hidden(store: &dyn Store) {
    let w = world(store).await;
    let a_member = actor_of(&user(store, &w.system, Role::Agent).await);
    let team_a = store
        .create_team(&w.admin, &NewTeam { name: "Billing".into(), restricted: true, member_ids: vec![a_member.user_id] })
        .await
        .unwrap();
    let team_b = store
        .create_team(&w.admin, &NewTeam { name: "Support".into(), restricted: false, member_ids: vec![w.agent.user_id] })
        .await
        .unwrap();
    // Actors carry their team ids, as authentication builds them.
    let a_member = actor_of(&store.get_user(&w.admin, a_member.user_id).await.unwrap());
    let b_agent = actor_of(&store.get_user(&w.admin, w.agent.user_id).await.unwrap());
    assert_eq!(b_agent.team_ids, vec![team_b.id]);

    let mut n = customer_ticket(&w, "Refund for invoice 7");
    n.team_id = Some(team_a.id);
    let restricted = store.create_ticket(&a_member, &n).await.unwrap();
    let mut n = customer_ticket(&w, "Open to all");
    n.team_id = Some(team_b.id);
    let open = store.create_ticket(&b_agent, &n).await.unwrap();

    assert!(is_not_found(store.get_ticket(&b_agent, restricted.id).await));
    assert!(is_not_found(store.list_messages(&b_agent, restricted.id, None, 10).await));
    assert!(is_not_found(store.update_ticket(&b_agent, restricted.id, &status(TicketStatus::Open)).await));
    assert!(is_not_found(store.get_ticket(&w.viewer, restricted.id).await));
    let b_list = all_tickets(store, &b_agent, TicketQuery { limit: 50, ..Default::default() }).await;
    assert!(b_list.iter().any(|t| t.id == open.id));
    assert!(!b_list.iter().any(|t| t.id == restricted.id));

    assert!(store.get_ticket(&a_member, restricted.id).await.is_ok());
    assert!(store.get_ticket(&a_member, open.id).await.is_ok(), "unrestricted teams are visible to all");
    assert!(store.get_ticket(&w.admin, restricted.id).await.is_ok());
    let admin_list = all_tickets(store, &w.admin, TicketQuery { limit: 50, ..Default::default() }).await;
    assert!(admin_list.iter().any(|t| t.id == restricted.id));
}

pub async fn roles_are_enforced(store: &dyn Store) {
    let w = world(store).await;
    let t = store.create_ticket(&w.agent, &customer_ticket(&w, "Reklamacja")).await.unwrap();
    // Viewers read but never write.
    assert!(store.get_ticket(&w.viewer, t.id).await.is_ok());
    assert!(store.get_contact(&w.viewer, w.contact.id).await.is_ok());
    assert!(is_forbidden(store.create_ticket(&w.viewer, &NewTicket::new("nope")).await));
    assert!(is_forbidden(store.update_ticket(&w.viewer, t.id, &status(TicketStatus::Solved)).await));
    assert!(is_forbidden(store.add_message(&w.viewer, t.id, &text_message(MessageKind::Note, None, "x")).await));
    assert!(is_forbidden(
        store
            .create_contact(&w.viewer, &NewContact { name: "x".into(), email: None, phone: None, locale: None, organization_ids: vec![] })
            .await
    ));
    assert!(is_forbidden(store.create_organization(&w.viewer, &NewOrganization { name: "x".into(), domain: None, notes: None }).await));
    assert!(is_forbidden(store.create_tag(&w.viewer, "x").await));
    assert!(store.get_ticket(&w.viewer, t.id).await.unwrap().status == TicketStatus::New);
    // Agents and CSMs work tickets and people, but do not manage the directory or delete.
    for worker in [&w.agent, &w.csm] {
        assert!(store.update_ticket(worker, t.id, &TicketPatch { priority: Some(Priority::High), ..Default::default() }).await.is_ok());
        let nu = NewUser { email: format!("{}@x.test", unique("u")), name: "x".into(), role: Role::Admin, locale: None, password: None };
        assert!(is_forbidden(store.create_user(worker, &nu, None).await));
        assert!(is_forbidden(store.create_team(worker, &NewTeam { name: "x".into(), restricted: false, member_ids: vec![] }).await));
        assert!(is_forbidden(store.delete_ticket(worker, t.id).await));
        assert!(is_forbidden(store.delete_contact(worker, w.contact.id).await));
        assert!(is_forbidden(store.list_audit(worker, None, None, None, 10).await));
        assert!(is_forbidden(
            store.update_user(worker, w.viewer.user_id, &UserPatch { name: Some("x".into()), ..Default::default() }, None).await
        ));
    }
    // Admins may.
    store.delete_ticket(&w.admin, t.id).await.unwrap();
    assert!(is_not_found(store.get_ticket(&w.admin, t.id).await));
}

pub async fn ticket_filters_sorting_and_cursors(store: &dyn Store) {
    let w = world(store).await;
    let team = store.create_team(&w.admin, &NewTeam { name: "Sprzedaż".into(), restricted: false, member_ids: vec![] }).await.unwrap();
    let channels = [Channel::Email, Channel::Chat, Channel::Api];
    let mut ids = Vec::new();
    for i in 0..30 {
        let mut n = NewTicket::new(format!("Ticket {i}"));
        n.channel = Some(channels[i % 3]);
        n.priority = Some([Priority::Low, Priority::Normal, Priority::High, Priority::Urgent][i % 4]);
        n.tags = if i % 5 == 0 { vec!["vip".into()] } else { vec![] };
        n.assignee_id = (i % 2 == 0).then_some(w.agent.user_id);
        n.team_id = (i % 3 == 0).then_some(team.id);
        n.status = Some(if i % 6 == 0 { TicketStatus::Pending } else { TicketStatus::Open });
        ids.push(store.create_ticket(&w.agent, &n).await.unwrap().id);
    }
    let q = |f: fn(&mut TicketQuery)| {
        let mut q = TicketQuery { limit: 7, ..Default::default() };
        f(&mut q);
        q
    };
    let everything = all_tickets(store, &w.agent, q(|_| {})).await;
    assert_eq!(everything.len(), 30);
    let mut seen: Vec<Id> = everything.iter().map(|t| t.id).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 30, "paging neither skips nor repeats");

    assert_eq!(all_tickets(store, &w.agent, q(|q| q.statuses = vec![TicketStatus::Pending])).await.len(), 5);
    assert_eq!(all_tickets(store, &w.agent, q(|q| q.statuses = vec![TicketStatus::Pending, TicketStatus::Open])).await.len(), 30);
    assert_eq!(all_tickets(store, &w.agent, q(|q| q.tag = Some("VIP".into()))).await.len(), 6);
    assert_eq!(all_tickets(store, &w.agent, q(|q| q.channel = Some(Channel::Chat))).await.len(), 10);
    assert_eq!(all_tickets(store, &w.agent, q(|q| q.assignee = Some(AssigneeFilter::Nobody))).await.len(), 15);
    let agent_id = w.agent.user_id;
    let mut mine = TicketQuery { limit: 4, assignee: Some(AssigneeFilter::User(agent_id)), ..Default::default() };
    assert_eq!(all_tickets(store, &w.agent, mine.clone()).await.len(), 15);
    mine.team_id = Some(team.id);
    assert_eq!(all_tickets(store, &w.agent, mine).await.len(), 5, "filters combine");

    // Sorting: created_at descending, ties broken by id.
    let newest_first = all_tickets(
        store,
        &w.agent,
        q(|q| {
            q.sort = TicketSortField::CreatedAt;
            q.descending = true;
        }),
    )
    .await;
    for pair in newest_first.windows(2) {
        assert!((pair[0].created_at, pair[0].id) > (pair[1].created_at, pair[1].id));
    }
    let by_priority = all_tickets(
        store,
        &w.agent,
        q(|q| {
            q.sort = TicketSortField::Priority;
            q.descending = true;
        }),
    )
    .await;
    assert_eq!(by_priority.len(), 30);
    assert_eq!(by_priority[0].priority, Priority::Urgent);
    assert_eq!(by_priority[29].priority, Priority::Low);
    for pair in by_priority.windows(2) {
        assert!(pair[0].priority.rank() >= pair[1].priority.rank());
    }

    // updated_since sees only what changed after the mark.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let mark = Timestamp::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    store.update_ticket(&w.agent, ids[3], &status(TicketStatus::Solved)).await.unwrap();
    let mut since = TicketQuery { limit: 10, updated_since: Some(mark), ..Default::default() };
    let changed = all_tickets(store, &w.agent, since.clone()).await;
    assert_eq!(changed.iter().map(|t| t.id).collect::<Vec<_>>(), vec![ids[3]]);
    since.statuses = vec![TicketStatus::Open];
    assert!(all_tickets(store, &w.agent, since).await.is_empty());
}

pub async fn tags_and_custom_fields(store: &dyn Store) {
    let w = world(store).await;
    store
        .create_custom_field(
            &w.admin,
            &NewCustomField {
                key: "plan".into(),
                label: "Plan".into(),
                kind: rapport_domain::CustomFieldKind::Select,
                options: vec!["basic".into(), "pro".into()],
            },
        )
        .await
        .unwrap();
    store
        .create_custom_field(
            &w.admin,
            &NewCustomField { key: "seats".into(), label: "Seats".into(), kind: rapport_domain::CustomFieldKind::Number, options: vec![] },
        )
        .await
        .unwrap();
    assert!(is_invalid(
        store
            .create_custom_field(
                &w.admin,
                &NewCustomField {
                    key: "empty_select".into(),
                    label: "x".into(),
                    kind: rapport_domain::CustomFieldKind::Select,
                    options: vec![]
                }
            )
            .await
    ));

    let mut n = NewTicket::new("Żółty ekran po aktualizacji");
    n.tags = vec!["Bug".into(), "vip".into(), "bug".into()];
    n.custom_fields = json!({ "plan": "pro", "seats": 12 }).as_object().unwrap().clone();
    let t = store.create_ticket(&w.agent, &n).await.unwrap();
    assert_eq!(t.tags, vec!["bug", "vip"]);
    assert_eq!(t.custom_fields["plan"], "pro");
    assert_eq!(t.custom_fields["seats"], json!(12.0));

    for bad in [json!({ "plan": "gold" }), json!({ "seats": "many" }), json!({ "unknown_field": 1 })] {
        let p = TicketPatch { custom_fields: Some(bad.as_object().unwrap().clone()), ..Default::default() };
        assert!(is_invalid(store.update_ticket(&w.agent, t.id, &p).await), "{bad}");
    }
    let p = TicketPatch { custom_fields: Some(json!({ "seats": null }).as_object().unwrap().clone()), ..Default::default() };
    let t = store.update_ticket(&w.agent, t.id, &p).await.unwrap();
    assert!(!t.custom_fields.contains_key("seats"));
    assert_eq!(t.custom_fields["plan"], "pro");

    let p = TicketPatch { add_tags: vec!["faktura".into()], remove_tags: vec!["VIP".into()], ..Default::default() };
    let t = store.update_ticket(&w.agent, t.id, &p).await.unwrap();
    assert_eq!(t.tags, vec!["bug", "faktura"]);
    assert!(is_invalid(
        store.update_ticket(&w.agent, t.id, &TicketPatch { add_tags: vec!["two words".into()], ..Default::default() }).await
    ));

    let tags = store.list_tags(&w.agent).await.unwrap();
    let bug = tags.iter().find(|g| g.name == "bug").unwrap();
    store.rename_tag(&w.admin, bug.id, "defect").await.unwrap();
    assert_eq!(store.get_ticket(&w.agent, t.id).await.unwrap().tags, vec!["defect", "faktura"]);
    let tags = store.list_tags(&w.agent).await.unwrap();
    let faktura = tags.iter().find(|g| g.name == "faktura").unwrap();
    store.delete_tag(&w.admin, faktura.id).await.unwrap();
    assert_eq!(store.get_ticket(&w.agent, t.id).await.unwrap().tags, vec!["defect"]);
    let q = TicketQuery { limit: 10, tag: Some("faktura".into()), ..Default::default() };
    assert!(store.list_tickets(&w.agent, &q).await.unwrap().items.is_empty());
    assert!(matches!(store.create_tag(&w.agent, "defect").await, Err(StoreError::Conflict(_))));
}

pub async fn changes_are_audited_and_shown(store: &dyn Store) {
    let w = world(store).await;
    let t = store.create_ticket(&w.agent, &customer_ticket(&w, "Không đăng nhập được")).await.unwrap();
    let p = TicketPatch {
        status: Some(TicketStatus::Pending),
        assignee_id: Some(Some(w.agent.user_id)),
        priority: Some(Priority::High),
        ..Default::default()
    };
    store.update_ticket(&w.agent, t.id, &p).await.unwrap();
    let audit = store.list_audit(&w.admin, Some("ticket"), Some(t.id), None, 10).await.unwrap().items;
    let upd = audit.iter().find(|a| a.action == "ticket.updated").expect("update audited");
    assert_eq!(upd.actor_user_id, Some(w.agent.user_id));
    assert_eq!(upd.details["status"], json!(["new", "pending"]));
    assert_eq!(upd.details["priority"], json!(["normal", "high"]));
    assert_eq!(upd.details["assignee_id"], json!([null, w.agent.user_id]));
    assert!(upd.details.get("subject").is_none(), "unchanged fields are not recorded");
    assert!(audit.iter().any(|a| a.action == "ticket.created"));

    let msgs = store.list_messages(&w.agent, t.id, None, 10).await.unwrap().items;
    let sys = msgs.iter().find(|m| m.kind == MessageKind::System).expect("system event shown");
    assert!(sys.body_text.contains("status: new → pending"), "{}", sys.body_text);
    assert!(sys.body_text.contains("priority: normal → high"), "{}", sys.body_text);

    // A patch that changes nothing leaves no trace.
    store.update_ticket(&w.agent, t.id, &TicketPatch { priority: Some(Priority::High), ..Default::default() }).await.unwrap();
    assert_eq!(store.list_audit(&w.admin, Some("ticket"), Some(t.id), None, 10).await.unwrap().items.len(), audit.len());
}

pub async fn contacts_and_organizations(store: &dyn Store) {
    let w = world(store).await;
    let a = store
        .create_organization(&w.agent, &NewOrganization { name: "Meble Łódź".into(), domain: Some("Meble-Lodz.PL".into()), notes: None })
        .await
        .unwrap();
    assert_eq!(a.domain.as_deref(), Some("meble-lodz.pl"));
    let b =
        store.create_organization(&w.agent, &NewOrganization { name: "Gdańsk Software".into(), domain: None, notes: None }).await.unwrap();
    let email = format!("{}@meble.pl", unique("lukasz"));
    let c = store
        .create_contact(
            &w.agent,
            &NewContact {
                name: "Łukasz Żółkiewski".into(),
                email: Some(email.to_uppercase()),
                phone: Some("+48 600 100 200".into()),
                locale: Some(Locale::Pl),
                organization_ids: vec![a.id, b.id],
            },
        )
        .await
        .unwrap();
    assert_eq!(c.email.as_deref(), Some(email.as_str()), "emails are lowercased");
    assert_eq!(c.organization_ids, vec![a.id, b.id], "a contact may belong to several organizations");

    // Same email again in the same workspace: conflict. In another workspace: fine.
    let dup = NewContact { name: "Dup".into(), email: Some(email.clone()), phone: None, locale: None, organization_ids: vec![] };
    assert!(matches!(store.create_contact(&w.agent, &dup).await, Err(StoreError::Conflict(_))));
    let other = world(store).await;
    assert!(store.create_contact(&other.agent, &dup).await.is_ok());
    assert!(is_invalid(
        store
            .create_contact(
                &w.agent,
                &NewContact { name: "Bad".into(), email: Some("not-an-email".into()), phone: None, locale: None, organization_ids: vec![] }
            )
            .await
    ));

    let in_b = store.list_contacts(&w.agent, &ListQuery { organization_id: Some(b.id), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(in_b.items.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c.id]);
    let found = store.list_contacts(&w.agent, &ListQuery { q: Some("ŻÓŁKIEWSKI".into()), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(found.items.len(), 1);

    // Organization tickets: the requester's organizations.
    let mut n = NewTicket::new("Dostawa mebli");
    n.requester_id = Some(c.id);
    let t = store.create_ticket(&w.agent, &n).await.unwrap();
    let org_tickets =
        store.list_tickets(&w.agent, &TicketQuery { organization_id: Some(a.id), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(org_tickets.items.iter().map(|t| t.id).collect::<Vec<_>>(), vec![t.id]);

    let patched = store
        .update_contact(&w.agent, c.id, &ContactPatch { email: Some(None), organization_ids: Some(vec![b.id]), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(patched.email, None);
    assert_eq!(patched.phone.as_deref(), Some("+48 600 100 200"), "absent fields are kept");
    assert_eq!(patched.organization_ids, vec![b.id]);

    store.delete_organization(&w.admin, b.id).await.unwrap();
    assert!(store.get_contact(&w.agent, c.id).await.unwrap().organization_ids.is_empty());
    store.delete_contact(&w.admin, c.id).await.unwrap();
    assert_eq!(store.get_ticket(&w.agent, t.id).await.unwrap().requester_id, None, "tickets outlive their requester");
}

pub async fn raw_inbound_is_durable_and_idempotent(store: &dyn Store) {
    let w = world(store).await;
    let bytes: Vec<u8> = b"From: a@b.c\r\nSubject: =?windows-1258?Q?x?=\r\n\r\n\xff\xfe broken \x00 bytes".to_vec();
    let (id, fresh) = store.put_raw_inbound(w.ws, Channel::Email, "mailbox:1/uid:42", &bytes).await.unwrap();
    assert!(fresh);
    let (again, fresh2) = store.put_raw_inbound(w.ws, Channel::Email, "mailbox:1/uid:42", b"other bytes").await.unwrap();
    assert_eq!((again, fresh2), (id, false), "a repeat is recognised, the first copy kept");
    assert_eq!(store.raw_inbound_bytes(w.ws, id).await.unwrap(), bytes);

    let other = world(store).await;
    assert!(is_not_found(store.raw_inbound_bytes(other.ws, id).await));
    let (other_id, other_fresh) = store.put_raw_inbound(other.ws, Channel::Email, "mailbox:1/uid:42", b"x").await.unwrap();
    assert!(other_fresh && other_id != id, "keys are per workspace");

    store.mark_raw_inbound(w.ws, id, Some("unknown charset")).await.unwrap();
    let failed = store.list_raw_inbound(&w.admin, Some("failed"), 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].error.as_deref(), Some("unknown charset"));
    assert_eq!(failed[0].size, bytes.len() as i64);
    store.mark_raw_inbound(w.ws, id, None).await.unwrap();
    assert!(store.list_raw_inbound(&w.admin, Some("failed"), 10).await.unwrap().is_empty());
    assert!(is_forbidden(store.list_raw_inbound(&w.agent, None, 10).await));
}

pub async fn idempotency_keys(store: &dyn Store) {
    let w = world(store).await;
    assert_eq!(store.idempotency_begin(&w.agent, "k1", "h1").await.unwrap(), IdempotencyBegin::Claimed);
    assert_eq!(store.idempotency_begin(&w.agent, "k1", "h1").await.unwrap(), IdempotencyBegin::InProgress);
    store.idempotency_finish(&w.agent, "k1", 201, "{\"id\":1}").await.unwrap();
    assert_eq!(
        store.idempotency_begin(&w.agent, "k1", "h1").await.unwrap(),
        IdempotencyBegin::Replay { status: 201, body: "{\"id\":1}".into() }
    );
    assert_eq!(store.idempotency_begin(&w.agent, "k1", "h2").await.unwrap(), IdempotencyBegin::Mismatch);
    // Keys are per user: another user's same key is a different request.
    assert_eq!(store.idempotency_begin(&w.csm, "k1", "h1").await.unwrap(), IdempotencyBegin::Claimed);
    // An abandoned claim can be retried; a finished one cannot be abandoned.
    store.idempotency_abandon(&w.csm, "k1").await.unwrap();
    assert_eq!(store.idempotency_begin(&w.csm, "k1", "h1").await.unwrap(), IdempotencyBegin::Claimed);
    store.idempotency_abandon(&w.agent, "k1").await.unwrap();
    assert!(matches!(store.idempotency_begin(&w.agent, "k1", "h1").await.unwrap(), IdempotencyBegin::Replay { .. }));
}

pub async fn sessions_and_api_tokens(store: &dyn Store) {
    let w = world(store).await;
    let agent = store.get_user(&w.admin, w.agent.user_id).await.unwrap();
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$c29tZWhhc2g";
    store.update_user(&w.admin, agent.id, &UserPatch::default(), Some(hash)).await.unwrap();
    let (u, h) = store.user_for_login(&agent.email.to_uppercase()).await.unwrap();
    assert_eq!((u.id, h.as_deref()), (agent.id, Some(hash)));

    let soon = Timestamp::now().plus_seconds(3600);
    store.create_session(agent.id, &unique("sess"), "csrf", soon).await.unwrap();
    let token = unique("sess");
    store.create_session(agent.id, &token, "csrf-1", soon).await.unwrap();
    let s = store.session(&token).await.unwrap();
    assert_eq!((s.user.id, s.csrf_token.as_str()), (agent.id, "csrf-1"));
    let expired = unique("old");
    store.create_session(agent.id, &expired, "c", Timestamp::now().plus_seconds(-1)).await.unwrap();
    assert!(is_not_found(store.session(&expired).await));
    store.delete_session(&token).await.unwrap();
    assert!(is_not_found(store.session(&token).await));

    let th = unique("tok");
    let t = store.create_api_token(&w.agent, agent.id, "CI", &th, "rpt_abcd").await.unwrap();
    assert_eq!(store.user_for_api_token(&th).await.unwrap().id, agent.id);
    assert_eq!(store.list_api_tokens(&w.agent, agent.id).await.unwrap().len(), 1);
    assert!(is_forbidden(store.list_api_tokens(&w.viewer, agent.id).await), "only admins see others' tokens");
    assert!(is_forbidden(store.create_api_token(&w.viewer, agent.id, "x", &unique("t"), "p").await));
    store.revoke_api_token(&w.agent, t.id).await.unwrap();
    assert!(is_not_found(store.user_for_api_token(&th).await));

    // Deactivation ends sessions and tokens and blocks login.
    let th2 = unique("tok");
    store.create_api_token(&w.admin, agent.id, "second", &th2, "rpt_efgh").await.unwrap();
    let live = unique("sess");
    store.create_session(agent.id, &live, "c", soon).await.unwrap();
    store.deactivate_user(&w.admin, agent.id).await.unwrap();
    assert!(is_not_found(store.user_for_api_token(&th2).await));
    assert!(is_not_found(store.session(&live).await));
    assert!(is_not_found(store.user_for_login(&agent.email).await));
}

pub async fn messages_and_attachments(store: &dyn Store) {
    let w = world(store).await;
    let t = store.create_ticket(&w.agent, &customer_ticket(&w, "Hóa đơn")).await.unwrap();
    let sha = "a".repeat(64);
    let mut m = text_message(MessageKind::Public, None, "Hóa đơn đính kèm.");
    m.attachments =
        vec![NewAttachment { filename: "hóa đơn.pdf".into(), content_type: "application/pdf".into(), size: 1234, sha256: sha.clone() }];
    let msg = store.add_message(&w.agent, t.id, &m).await.unwrap();
    assert_eq!(msg.attachments.len(), 1);
    assert_eq!(msg.attachments[0].filename, "hóa đơn.pdf");
    assert_eq!(msg.author_user_id, Some(w.agent.user_id));
    let att = store.get_attachment(&w.viewer, msg.attachments[0].id).await.unwrap();
    assert_eq!(att.sha256, sha);
    let other = world(store).await;
    assert!(is_not_found(store.get_attachment(&other.admin, att.id).await));

    assert!(is_invalid(store.add_message(&w.agent, t.id, &text_message(MessageKind::System, None, "fake")).await));
    assert!(is_invalid(store.add_message(&w.agent, t.id, &text_message(MessageKind::Note, None, "  ")).await));

    for i in 0..5 {
        store.add_message(&w.agent, t.id, &text_message(MessageKind::Note, None, &format!("note {i}"))).await.unwrap();
    }
    let mut cursor = None;
    let mut all = Vec::new();
    loop {
        let page = store.list_messages(&w.agent, t.id, cursor, 3).await.unwrap();
        all.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = crate::Cursor::decode(&c),
            None => break,
        }
    }
    // first message, status change (new → open), the reply, five notes
    assert_eq!(all.len(), 8, "{:?}", all.iter().map(|m| &m.body_text).collect::<Vec<_>>());
    assert!(all.windows(2).all(|p| p[0].id < p[1].id), "oldest first");

    assert!(is_forbidden(store.redact_message(&w.agent, msg.id).await));
    let red = store.redact_message(&w.admin, msg.id).await.unwrap();
    assert_eq!(red.body_text, "[redacted]");
    assert!(red.attachments.is_empty());
    assert!(is_not_found(store.get_attachment(&w.admin, att.id).await));
}

pub async fn users_and_teams(store: &dyn Store) {
    let w = world(store).await;
    let agent = store.get_user(&w.admin, w.agent.user_id).await.unwrap();
    let dup = NewUser { email: agent.email.clone(), name: "Dup".into(), role: Role::Agent, locale: None, password: None };
    assert!(matches!(store.create_user(&w.admin, &dup, None).await, Err(StoreError::Conflict(_))));

    // Users edit their own name and locale, never their own role.
    let me = store
        .update_user(
            &w.agent,
            agent.id,
            &UserPatch { name: Some("Trần Văn An".into()), locale: Some(Locale::Vi), ..Default::default() },
            None,
        )
        .await
        .unwrap();
    assert_eq!((me.name.as_str(), me.locale), ("Trần Văn An", Locale::Vi));
    assert!(is_forbidden(store.update_user(&w.agent, agent.id, &UserPatch { role: Some(Role::Admin), ..Default::default() }, None).await));
    assert!(is_invalid(
        store.update_user(&w.admin, w.admin.user_id, &UserPatch { role: Some(Role::Viewer), ..Default::default() }, None).await
    ));

    let team =
        store.create_team(&w.admin, &NewTeam { name: "Hỗ trợ".into(), restricted: false, member_ids: vec![agent.id] }).await.unwrap();
    assert_eq!(store.get_user(&w.admin, agent.id).await.unwrap().team_ids, vec![team.id]);
    let team = store
        .update_team(&w.admin, team.id, &TeamPatch { member_ids: Some(vec![w.csm.user_id]), restricted: Some(true), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(team.member_ids, vec![w.csm.user_id]);
    assert!(team.restricted);
    assert!(store.get_user(&w.admin, agent.id).await.unwrap().team_ids.is_empty());

    let mut n = NewTicket::new("team ticket");
    n.team_id = Some(team.id);
    let t = store.create_ticket(&w.admin, &n).await.unwrap();
    store.delete_team(&w.admin, team.id).await.unwrap();
    assert_eq!(store.get_ticket(&w.admin, t.id).await.unwrap().team_id, None);

    // Viewers cannot be assigned; the assignee must be active.
    let mut n = NewTicket::new("assign a viewer");
    n.assignee_id = Some(w.viewer.user_id);
    assert!(is_invalid(store.create_ticket(&w.admin, &n).await));

    let users = store.list_users(&w.viewer, &ListQuery { limit: 2, ..Default::default() }).await.unwrap();
    assert_eq!(users.items.len(), 2);
    assert!(users.next_cursor.is_some());
}

/// A user's actor as it is now (after team changes).
pub async fn reload_actor(store: &dyn Store, w: &World, user_id: Id) -> Actor {
    actor_of(&store.get_user(&w.system, user_id).await.unwrap())
}
