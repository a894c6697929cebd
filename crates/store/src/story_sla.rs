//! Story tests for SLA targets and the SLA-state filter.

use crate::model::*;
use crate::sla::*;
use crate::story::{customer_ticket, is_forbidden, is_invalid, status, text_message, world};
use crate::Store;
use rapport_domain::sla::{SlaClock, SlaState};
use rapport_domain::{MessageKind, Priority, TicketStatus, Timestamp};

pub async fn sla_states_filter_the_inbox(store: &dyn Store) {
    let w = world(store).await;
    let targets = SlaPolicyInput { first_response_minutes: Some(60), resolution_minutes: Some(480) };
    assert!(is_forbidden(store.set_sla_policy(&w.agent, Priority::Urgent, &targets).await));
    let bad = SlaPolicyInput { first_response_minutes: Some(0), resolution_minutes: None };
    assert!(is_invalid(store.set_sla_policy(&w.admin, Priority::Urgent, &bad).await));
    store.set_sla_policy(&w.admin, Priority::Urgent, &targets).await.unwrap();
    let policies = store.list_sla_policies(&w.agent).await.unwrap();
    assert_eq!(policies.len(), 1);
    let other = world(store).await;
    assert!(store.list_sla_policies(&other.admin).await.unwrap().is_empty(), "targets are per workspace");

    let mut urgent = customer_ticket(&w, "Pilne");
    urgent.priority = Some(Priority::Urgent);
    let waiting = store.create_ticket(&w.agent, &urgent).await.unwrap();
    let answered = store.create_ticket(&w.agent, &urgent).await.unwrap();
    store.add_message(&w.agent, answered.id, &text_message(MessageKind::Public, None, "Już sprawdzamy.")).await.unwrap();
    let solved = store.create_ticket(&w.agent, &urgent).await.unwrap();
    store.add_message(&w.agent, solved.id, &text_message(MessageKind::Public, None, "Gotowe.")).await.unwrap();
    store.update_ticket(&w.agent, solved.id, &status(TicketStatus::Solved)).await.unwrap();
    let untargeted = store.create_ticket(&w.agent, &customer_ticket(&w, "Zwykłe")).await.unwrap();

    let created = waiting.created_at.millis();
    let at = |minutes: i64| Timestamp(created + minutes * 60_000);
    let agent = &w.agent;
    let ids = |state: SlaState, when: Timestamp| async move {
        let q = TicketQuery { sla: Some((state, when)), limit: 100, ..Default::default() };
        let mut ids: Vec<i64> = store.list_tickets(agent, &q).await.unwrap().items.into_iter().map(|t| t.id).collect();
        ids.sort();
        ids
    };
    // Ten minutes in: everything is fine.
    assert_eq!(ids(SlaState::Ok, at(10)).await, vec![waiting.id, answered.id, solved.id]);
    // 50 minutes: the unanswered one is at risk (last quarter of 60).
    assert_eq!(ids(SlaState::AtRisk, at(50)).await, vec![waiting.id]);
    // Two hours: it is breached; the answered one is fine until 6 h (3/4 of 8 h).
    assert_eq!(ids(SlaState::Breached, at(120)).await, vec![waiting.id]);
    assert_eq!(ids(SlaState::AtRisk, at(400)).await, vec![answered.id]);
    // Nine hours: the unsolved answered one breached resolution; the solved one never does.
    assert_eq!(ids(SlaState::Breached, at(540)).await, vec![waiting.id, answered.id]);
    assert_eq!(ids(SlaState::Ok, at(10_000)).await, vec![solved.id]);
    // The ticket without targets is in no SLA view; the domain rules agree with the filter.
    for s in [SlaState::Ok, SlaState::AtRisk, SlaState::Breached] {
        assert!(!ids(s, at(540)).await.contains(&untargeted.id));
    }
    for t in [&waiting, &answered, &solved] {
        let t = store.get_ticket(&w.agent, t.id).await.unwrap();
        let clock = SlaClock { created_at: t.created_at, first_response_at: t.first_response_at, resolved_at: t.solved_at.or(t.closed_at) };
        let expected = policies[0].targets().state(&clock, at(540)).unwrap();
        assert!(ids(expected, at(540)).await.contains(&t.id), "ticket {} is {expected} by the rules", t.id);
    }
    // Removing the targets empties the SLA views.
    store
        .set_sla_policy(&w.admin, Priority::Urgent, &SlaPolicyInput { first_response_minutes: None, resolution_minutes: None })
        .await
        .unwrap();
    assert!(ids(SlaState::Breached, at(540)).await.is_empty());
}
