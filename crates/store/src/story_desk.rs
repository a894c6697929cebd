//! Story tests for the agent desk: view counts, saved views, mentions,
//! merging and splitting, and the live change feed.

use crate::desk::*;
use crate::model::*;
use crate::story::{customer_ticket, is_forbidden, is_invalid, is_not_found, text_message, world};
use crate::Store;
use rapport_domain::{Locale, MessageKind, Priority, TicketStatus, Timestamp};

pub async fn view_counts_are_capped_and_filtered(store: &dyn Store) {
    let w = world(store).await;
    for i in 0..7 {
        let mut t = customer_ticket(&w, &format!("Zamówienie {i}"));
        t.priority = Some(if i < 3 { Priority::High } else { Priority::Normal });
        t.language = Some(if i % 2 == 0 { Locale::Pl } else { Locale::Vi });
        store.create_ticket(&w.agent, &t).await.unwrap();
    }
    let all = TicketQuery { limit: 25, ..Default::default() };
    assert_eq!(store.count_tickets(&w.agent, &all, 100).await.unwrap(), 7);
    // The cap: 7 tickets counted no further than 5 reads as "more than 5".
    assert_eq!(store.count_tickets(&w.agent, &all, 5).await.unwrap(), 6);
    let high = TicketQuery { priorities: vec![Priority::High], ..all.clone() };
    assert_eq!(store.count_tickets(&w.agent, &high, 100).await.unwrap(), 3);
    let polish_high = TicketQuery { language: Some(Locale::Pl), ..high.clone() };
    // High: 0, 1, 2; Polish: 0, 2, 4, 6.
    assert_eq!(store.count_tickets(&w.agent, &polish_high, 100).await.unwrap(), 2);
    let listed = store.list_tickets(&w.agent, &polish_high).await.unwrap().items;
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|t| t.priority == Priority::High && t.language == Some(Locale::Pl)));
    // Another workspace counts none of them.
    let other = world(store).await;
    assert_eq!(store.count_tickets(&other.agent, &all, 100).await.unwrap(), 0);
}

pub async fn saved_views_are_personal_or_shared(store: &dyn Store) {
    let w = world(store).await;
    let mine = store
        .create_saved_view(
            &w.agent,
            &NewSavedView { name: "Pilne po polsku".into(), filters: "priority=urgent&language=pl".into(), shared: false },
        )
        .await
        .unwrap();
    assert_eq!(mine.user_id, Some(w.agent.user_id));
    // Only admins share views with everyone.
    let shared = NewSavedView { name: "Chưa giao".into(), filters: "status=open&tag=giao-hang".into(), shared: true };
    assert!(is_forbidden(store.create_saved_view(&w.agent, &shared).await));
    let team_view = store.create_saved_view(&w.admin, &shared).await.unwrap();
    assert_eq!(team_view.user_id, None);
    assert!(is_invalid(store.create_saved_view(&w.agent, &NewSavedView { name: " ".into(), filters: String::new(), shared: false }).await));

    let names = |views: Vec<SavedView>| views.into_iter().map(|v| v.name).collect::<Vec<_>>();
    assert_eq!(names(store.list_saved_views(&w.agent).await.unwrap()), vec!["Chưa giao", "Pilne po polsku"]);
    // Someone else's personal view is neither listed nor deletable.
    assert_eq!(names(store.list_saved_views(&w.csm).await.unwrap()), vec!["Chưa giao"]);
    assert!(is_not_found(store.delete_saved_view(&w.csm, mine.id).await));
    assert!(is_forbidden(store.delete_saved_view(&w.agent, team_view.id).await));
    let other = world(store).await;
    assert!(store.list_saved_views(&other.admin).await.unwrap().is_empty());
    assert!(is_not_found(store.delete_saved_view(&other.admin, team_view.id).await));

    store.delete_saved_view(&w.agent, mine.id).await.unwrap();
    store.delete_saved_view(&w.admin, team_view.id).await.unwrap();
    assert!(store.list_saved_views(&w.agent).await.unwrap().is_empty());
}

pub async fn mentions_notify_only_who_may_see(store: &dyn Store) {
    let w = world(store).await;
    let secret_team = store
        .create_team(&w.admin, &NewTeam { name: "Billing".into(), restricted: true, member_ids: vec![w.agent.user_id] })
        .await
        .unwrap();
    let agent = crate::story::reload_actor(store, &w, w.agent.user_id).await;
    let mut t = customer_ticket(&w, "Hoàn tiền");
    t.team_id = Some(secret_team.id);
    let ticket = store.create_ticket(&agent, &t).await.unwrap();
    let note =
        store.add_message(&agent, ticket.id, &text_message(MessageKind::Note, None, "@admin user @csm user xem giúp")).await.unwrap();
    // The CSM is not in the restricted team: not notified; the admin sees every team.
    let notified = store
        .notify(&agent, NotificationKind::Mention, ticket.id, Some(note.id), &[w.admin.user_id, w.csm.user_id, agent.user_id])
        .await
        .unwrap();
    assert_eq!(notified, vec![w.admin.user_id]);
    assert_eq!(store.unread_notification_count(&w.admin).await.unwrap(), 1);
    assert_eq!(store.unread_notification_count(&w.csm).await.unwrap(), 0);
    let list = store.list_notifications(&w.admin, true, 10).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].ticket_id, list[0].message_id, list[0].actor_user_id), (Some(ticket.id), Some(note.id), Some(agent.user_id)));
    // Users of another workspace are never notified, even by id.
    let other = world(store).await;
    assert!(store.notify(&agent, NotificationKind::Mention, ticket.id, None, &[other.admin.user_id]).await.unwrap().is_empty());
    // Nor can a viewer notify anyone.
    assert!(is_forbidden(store.notify(&w.viewer, NotificationKind::Mention, ticket.id, None, &[w.admin.user_id]).await));

    store.mark_notifications_read(&w.admin, Some(&[list[0].id])).await.unwrap();
    assert_eq!(store.unread_notification_count(&w.admin).await.unwrap(), 0);
    assert_eq!(store.list_notifications(&w.admin, false, 10).await.unwrap().len(), 1);
}

pub async fn merge_moves_the_conversation(store: &dyn Store) {
    let w = world(store).await;
    let a = store.create_ticket(&w.agent, &customer_ticket(&w, "Nie mogę się zalogować")).await.unwrap();
    let b = store.create_ticket(&w.agent, &customer_ticket(&w, "Logowanie nie działa")).await.unwrap();
    store.add_message(&w.agent, b.id, &text_message(MessageKind::Public, None, "Proszę spróbować ponownie.")).await.unwrap();
    assert!(is_invalid(store.merge_tickets(&w.agent, a.id, a.id).await));
    assert!(is_forbidden(store.merge_tickets(&w.viewer, b.id, a.id).await));
    let other = world(store).await;
    assert!(is_not_found(store.merge_tickets(&other.admin, b.id, a.id).await));

    let merged = store.merge_tickets(&w.agent, b.id, a.id).await.unwrap();
    assert_eq!(merged.id, a.id);
    let source = store.get_ticket(&w.agent, b.id).await.unwrap();
    assert_eq!((source.status, source.merged_into), (TicketStatus::Closed, Some(a.id)));
    let texts: Vec<(MessageKind, String)> =
        store.list_messages(&w.agent, a.id, None, 100).await.unwrap().items.into_iter().map(|m| (m.kind, m.body_text)).collect();
    let public: Vec<&str> = texts.iter().filter(|(k, _)| *k == MessageKind::Public).map(|(_, t)| t.as_str()).collect();
    assert_eq!(public.len(), 3, "both first messages and the reply: {texts:?}");
    assert!(public.contains(&"Proszę spróbować ponownie."));
    assert!(texts.iter().any(|(k, t)| *k == MessageKind::System && t.contains(&format!("#{}", b.id))));
    let left: Vec<MessageKind> = store.list_messages(&w.agent, b.id, None, 100).await.unwrap().items.into_iter().map(|m| m.kind).collect();
    assert!(left.iter().all(|k| *k == MessageKind::System), "only change events stay behind: {left:?}");
    // Merging twice is refused.
    assert!(store.merge_tickets(&w.agent, b.id, a.id).await.is_err());
}

pub async fn split_makes_a_new_ticket(store: &dyn Store) {
    let w = world(store).await;
    let t = store.create_ticket(&w.agent, &customer_ticket(&w, "Giao hàng chậm")).await.unwrap();
    let first = store.list_messages(&w.agent, t.id, None, 10).await.unwrap().items[0].clone();
    let second = store
        .add_message(&w.agent, t.id, &text_message(MessageKind::Public, Some(w.contact.id), "Còn một câu hỏi về hóa đơn."))
        .await
        .unwrap();
    assert!(is_invalid(store.split_message(&w.agent, first.id).await), "the first message is the ticket");
    assert!(is_forbidden(store.split_message(&w.viewer, second.id).await));
    let other = world(store).await;
    assert!(is_not_found(store.split_message(&other.admin, second.id).await));

    let new = store.split_message(&w.agent, second.id).await.unwrap();
    assert_ne!(new.id, t.id);
    assert_eq!((new.requester_id, new.channel, new.status), (t.requester_id, t.channel, TicketStatus::Open));
    let moved = store.get_message(&w.agent, second.id).await.unwrap();
    assert_eq!(moved.ticket_id, new.id);
    let old: Vec<_> = store.list_messages(&w.agent, t.id, None, 10).await.unwrap().items;
    assert!(old.iter().all(|m| m.id != second.id));
    assert!(old.iter().any(|m| m.kind == MessageKind::System && m.body_text.contains(&format!("#{}", new.id))));
}

pub async fn change_feed_sees_every_write(store: &dyn Store) {
    let start = (Timestamp(Timestamp::now().millis() - 1), i64::MAX);
    let w = world(store).await;
    let t = store.create_ticket(&w.agent, &customer_ticket(&w, "Feed")).await.unwrap();
    let seen = |changes: Vec<TicketChange>| changes.into_iter().filter(|c| c.workspace_id == w.ws).map(|c| c.ticket_id).collect::<Vec<_>>();
    let first = store.ticket_changes(start, 10_000).await.unwrap();
    let last = first.last().map(|c| (c.updated_at, c.ticket_id)).unwrap();
    assert_eq!(seen(first), vec![t.id]);
    // A reply moves the ticket past the cursor again.
    std::thread::sleep(std::time::Duration::from_millis(3));
    store.add_message(&w.agent, t.id, &text_message(MessageKind::Public, None, "OK")).await.unwrap();
    let next = store.ticket_changes(last, 10_000).await.unwrap();
    assert_eq!(seen(next.clone()), vec![t.id]);
    let after = next.last().map(|c| (c.updated_at, c.ticket_id)).unwrap();
    assert!(seen(store.ticket_changes(after, 10_000).await.unwrap()).is_empty());
}
