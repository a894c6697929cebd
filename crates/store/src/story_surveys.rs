//! Story tests for surveys: when invitations are planned (after a solve, with
//! a delay that a reopen cancels; NPS on a schedule), the throttle, answers
//! that change within their window, the low-score loop with its task, events
//! and webhook deliveries, and the experience KPIs worked out by hand.

use crate::mail::{MailboxInput, NewOutbound, OutboundKind, Security};
use crate::metrics::MetricsFilter;
use crate::model::*;
use crate::story::{customer_ticket, is_forbidden, is_invalid, is_not_found, status, text_message, world, World};
use crate::surveys::*;
use crate::webhooks::*;
use crate::{Store, StoreError};
use rapport_analytics::experience;
use rapport_analytics::{Period, DAY, HOUR, MINUTE};
use rapport_domain::{Locale, MessageKind, TicketStatus, Timestamp};
use serde_json::json;

fn later(ms: i64) -> Timestamp {
    Timestamp(Timestamp::now().millis() + ms)
}

async fn contact(store: &dyn Store, w: &World, name: &str, email: Option<&str>, locale: Locale, orgs: Vec<i64>) -> Contact {
    let email = email.map(|e| format!("{}-{e}", w.ws));
    store
        .create_contact(&w.agent, &NewContact { name: name.into(), email, phone: None, locale: Some(locale), organization_ids: orgs })
        .await
        .unwrap()
}

/// A ticket of `requester`, assigned to the agent, answered and solved now.
async fn solved_ticket(store: &dyn Store, w: &World, requester: i64, subject: &str) -> Ticket {
    let mut t = customer_ticket(w, subject);
    t.requester_id = Some(requester);
    t.assignee_id = Some(w.agent.user_id);
    let ticket = store.create_ticket(&w.agent, &t).await.unwrap();
    store.add_message(&w.agent, ticket.id, &text_message(MessageKind::Public, None, "Đã xử lý xong.")).await.unwrap();
    store.update_ticket(&w.agent, ticket.id, &status(TicketStatus::Solved)).await.unwrap()
}

fn csat(delay: i64, throttle: i64) -> SurveyInput {
    SurveyInput {
        delay_minutes: Some(delay), throttle_days: Some(throttle), ..SurveyInput::new(SurveyKind::Csat, "Sau khi giải quyết")
    }
}

async fn invitations(store: &dyn Store, w: &World, ticket: i64) -> Vec<Invitation> {
    store.list_invitations(&w.agent, Some(ticket), 10).await.unwrap()
}

pub async fn csat_follows_solves_with_delay_and_throttle(store: &dyn Store) {
    let w = world(store).await;
    let survey = store.create_survey(&w.admin, &csat(60, 1)).await.unwrap();
    let lan = contact(store, &w, "Trần Thị Lan", Some("lan@khach.vn"), Locale::Vi, vec![]).await;
    let no_email = contact(store, &w, "Khách vãng lai", None, Locale::Vi, vec![]).await;
    let piotr = contact(store, &w, "Piotr Nowak", Some("piotr@klient.pl"), Locale::Pl, vec![]).await;

    let a = solved_ticket(store, &w, lan.id, "Đơn hàng A").await;
    // Before the delay has passed nothing is planned.
    let early = store.plan_survey_invitations(later(30 * MINUTE), 100).await.unwrap();
    assert_eq!((early.planned, early.skipped), (0, 0));
    assert!(invitations(store, &w, a.id).await.is_empty());

    // A second ticket of the same contact, and one of a contact without email.
    let b = solved_ticket(store, &w, lan.id, "Đơn hàng B").await;
    let c = solved_ticket(store, &w, no_email.id, "Đơn hàng C").await;
    // D is solved, then reopened by the customer before the delay: no survey while open.
    let d = solved_ticket(store, &w, piotr.id, "Zamówienie D").await;
    store.add_message(&w.agent, d.id, &text_message(MessageKind::Public, Some(piotr.id), "Jednak nie działa.")).await.unwrap();

    let plan = store.plan_survey_invitations(later(61 * MINUTE), 100).await.unwrap();
    // A planned; B throttled (Lan was just invited); C unreachable; D open again.
    assert_eq!((plan.planned, plan.skipped), (1, 2));
    let inv_a = &invitations(store, &w, a.id).await[0];
    assert_eq!(
        (inv_a.status, inv_a.locale, inv_a.agent_id, inv_a.kind),
        (InvitationStatus::Pending, Locale::Vi, Some(w.agent.user_id), SurveyKind::Csat)
    );
    let inv_b = &invitations(store, &w, b.id).await[0];
    assert_eq!((inv_b.status, inv_b.skip_reason.as_deref()), (InvitationStatus::Skipped, Some("throttled")));
    assert_eq!(invitations(store, &w, c.id).await[0].skip_reason.as_deref(), Some("no_email"));
    assert!(invitations(store, &w, d.id).await.is_empty());

    // Planning again changes nothing: one invitation per ticket and survey.
    let again = store.plan_survey_invitations(later(62 * MINUTE), 100).await.unwrap();
    assert_eq!((again.planned, again.skipped), (0, 0));

    // D solved again: planned after its own delay, in the contact's language.
    store.update_ticket(&w.agent, d.id, &status(TicketStatus::Solved)).await.unwrap();
    assert_eq!(store.plan_survey_invitations(later(61 * MINUTE), 100).await.unwrap().planned, 1);
    assert_eq!(invitations(store, &w, d.id).await[0].locale, Locale::Pl);

    // Sending: no mailbox here, so the invitation goes out as a link.
    let pending = store.pending_invitations(100).await.unwrap();
    let mine: Vec<&InvitationToSend> = pending.iter().filter(|p| p.workspace_id == w.ws).collect();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|p| p.mailbox_id.is_none() && p.contact_email.is_some() && p.survey.id == survey.id));
    for p in &mine {
        assert!(store.mark_invitation_sent(w.ws, p.invitation.id, None).await.unwrap());
        assert!(!store.mark_invitation_sent(w.ws, p.invitation.id, None).await.unwrap(), "sent once");
    }
    let sent = &invitations(store, &w, a.id).await[0];
    assert_eq!((sent.status, sent.delivery.as_deref()), (InvitationStatus::Sent, Some("link")));
    // After the throttle window (a day) Lan may be asked again, about a later ticket.
    let e = solved_ticket(store, &w, lan.id, "Đơn hàng E").await;
    store.plan_survey_invitations(Timestamp(Timestamp::now().millis() + 2 * DAY), 100).await.unwrap();
    assert_eq!(invitations(store, &w, e.id).await[0].status, InvitationStatus::Pending);
}

pub async fn nps_is_scheduled_per_segment_at_most_once_per_interval(store: &dyn Store) {
    let w = world(store).await;
    let vip = store
        .create_organization(&w.agent, &NewOrganization { name: "Kowalski i Synowie".into(), domain: None, notes: None })
        .await
        .unwrap();
    let a = contact(store, &w, "Anna", Some("anna@kis.pl"), Locale::Pl, vec![vip.id]).await;
    let b = contact(store, &w, "Bartek", Some("bartek@kis.pl"), Locale::Pl, vec![vip.id]).await;
    contact(store, &w, "Outside", Some("x@else.com"), Locale::En, vec![]).await;
    contact(store, &w, "No mail", None, Locale::Pl, vec![vip.id]).await;
    let input = SurveyInput {
        segment_organization_ids: vec![vip.id],
        throttle_days: Some(90),
        ..SurveyInput::new(SurveyKind::Nps, "Kwartalne NPS")
    };
    let survey = store.create_survey(&w.admin, &input).await.unwrap();
    assert!(is_invalid(store.create_survey(&w.admin, &SurveyInput { delay_minutes: Some(5), ..input.clone() }).await));
    assert!(is_invalid(store.create_survey(&w.admin, &SurveyInput { segment_organization_ids: vec![vip.id], ..csat(0, 0) }).await));

    let now = Timestamp::now();
    let first = store.plan_survey_invitations(now, 100).await.unwrap();
    assert_eq!(first.planned, 2, "the two reachable contacts of the segment");
    let planned = store.pending_invitations(100).await.unwrap();
    let mut who: Vec<i64> =
        planned.iter().filter(|p| p.invitation.survey_id == survey.id).filter_map(|p| p.invitation.contact_id).collect();
    who.sort();
    assert_eq!(who, vec![a.id, b.id]);
    // The throttle: nobody again within 90 days...
    assert_eq!(store.plan_survey_invitations(Timestamp(now.millis() + 89 * DAY), 100).await.unwrap().planned, 0);
    // ...and both once the interval has passed.
    assert_eq!(store.plan_survey_invitations(Timestamp(now.millis() + 91 * DAY), 100).await.unwrap().planned, 2);
    // At most `limit` per run.
    assert_eq!(store.plan_survey_invitations(Timestamp(now.millis() + 200 * DAY), 1).await.unwrap().planned, 1);
}

pub async fn answers_change_within_their_window_and_low_scores_loop(store: &dyn Store) {
    let w = world(store).await;
    let hook = store
        .create_webhook(
            &w.admin,
            &WebhookInput { url: "https://hooks.example.com/rapport".into(), events: vec!["survey.low_score".into()], active: None },
            "v1:sealed",
        )
        .await
        .unwrap();
    let mut input = csat(0, 0);
    input.questions.extra = vec![ExtraQuestion {
        key: "channel_used".into(),
        label: [(Locale::En, "How did you reach us?".to_string())].into_iter().collect(),
        choices: vec!["email".into(), "phone".into()],
    }];
    let survey = store.create_survey(&w.admin, &input).await.unwrap();
    let ticket = solved_ticket(store, &w, w.contact.id, "Giao hàng chậm").await;
    store.plan_survey_invitations(Timestamp::now(), 100).await.unwrap();
    let inv = invitations(store, &w, ticket.id).await[0].clone();

    // Bad answers are refused with the reason, and nothing is stored.
    for bad in [
        Answer { score: 6, ..Default::default() },
        Answer { score: 0, ..Default::default() },
        Answer { score: 3, answers: [("unknown".to_string(), "x".to_string())].into_iter().collect(), ..Default::default() },
        Answer { score: 3, answers: [("channel_used".to_string(), "pigeon".to_string())].into_iter().collect(), ..Default::default() },
        Answer { score: 3, comment: Some("x".repeat(2001)), ..Default::default() },
    ] {
        assert!(is_invalid(store.answer_survey(inv.id, &bad, Timestamp::now()).await), "{bad:?}");
    }
    assert!(store.invitation_view(inv.id).await.unwrap().response.is_none());

    // A low score: a task for the ticket's owner, events, a webhook delivery.
    let low = Answer {
        score: 2,
        comment: Some("Giao hàng quá chậm".into()),
        answers: [("channel_used".to_string(), "phone".to_string())].into_iter().collect(),
    };
    let first = store.answer_survey(inv.id, &low, Timestamp::now()).await.unwrap();
    assert!(!first.changed);
    assert_eq!((first.response.score, first.response.revision, first.response.agent_id), (2, 1, Some(w.agent.user_id)));
    let task = first.task.expect("a follow-up task");
    assert_eq!((task.owner_user_id, task.ticket_id, task.status), (Some(w.agent.user_id), Some(ticket.id), TaskStatus::Open));
    assert!(task.title.starts_with("CSAT 2/5") && task.title.contains(&format!("#{}", ticket.id)), "{}", task.title);
    let events = store.list_events(&w.admin, 10).await.unwrap();
    let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["survey.low_score", "survey.answered"]);
    assert_eq!(events[0].payload["task_id"], json!(task.id));
    let deliveries = store.list_webhook_deliveries(&w.admin, hook.id, 10).await.unwrap();
    assert_eq!(deliveries.len(), 1, "the webhook wants low scores only");
    assert_eq!((deliveries[0].event_name.as_str(), deliveries[0].status), ("survey.low_score", DeliveryStatus::Queued));
    let open = store
        .list_tasks(&w.agent, &TaskQuery { owner_user_id: Some(w.agent.user_id), open_only: true, limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(open.iter().map(|t| t.id).collect::<Vec<_>>(), vec![task.id]);

    // The customer changes the answer within the window: same response, next revision, no second task.
    let changed = store.answer_survey(inv.id, &Answer { score: 5, ..Default::default() }, later(HOUR)).await.unwrap();
    assert!(changed.changed && changed.task.is_none());
    assert_eq!((changed.response.id, changed.response.score, changed.response.revision), (first.response.id, 5, 2));
    assert_eq!(changed.response.answered_at, first.response.answered_at, "it still counts when it was first answered");
    assert_eq!(store.list_webhook_deliveries(&w.admin, hook.id, 10).await.unwrap().len(), 1);
    // Too late to change (the window is 72 hours).
    let late = store.answer_survey(inv.id, &Answer { score: 1, ..Default::default() }, later(73 * HOUR)).await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");

    // The KPI counts the response once, with its current score.
    let window = Period { from: Timestamp::now().millis() - DAY, to: Timestamp::now().millis() + DAY };
    let rows = store.response_rows(&w.agent, &MetricsFilter::new(window)).await.unwrap();
    assert_eq!(rows.len(), 1);
    let c = experience::csat(&rows, &window);
    assert_eq!((c.responses, c.satisfied, c.percent), (1, 1, Some(100.0)));

    // The task is done by whoever works it; it then leaves the open list.
    let done = store.complete_task(&w.agent, task.id).await.unwrap();
    assert_eq!(done.status, TaskStatus::Done);
    assert!(store.list_tasks(&w.agent, &TaskQuery { open_only: true, limit: 10, ..Default::default() }).await.unwrap().is_empty());

    // A survey link that was never answered expires.
    let other = solved_ticket(store, &w, w.contact.id, "Khác").await;
    let inv2 = store.invite_for_ticket(&w.agent, survey.id, other.id).await.unwrap();
    assert_eq!((inv2.status, inv2.delivery.as_deref()), (InvitationStatus::Sent, Some("link")));
    assert_eq!(store.invite_for_ticket(&w.agent, survey.id, other.id).await.unwrap().id, inv2.id, "one per ticket");
    let expired = store.answer_survey(inv2.id, &Answer { score: 4, ..Default::default() }, later(15 * DAY)).await;
    assert!(matches!(expired, Err(StoreError::Conflict(_))), "{expired:?}");
}

/// CSAT, NPS (with no passives) and CES on answers given through the store,
/// with one changed answer; worked out by hand.
pub async fn experience_kpis_by_hand(store: &dyn Store) {
    let w = world(store).await;
    let csat_survey = store.create_survey(&w.admin, &csat(0, 0)).await.unwrap();
    let nps_survey =
        store.create_survey(&w.admin, &SurveyInput { throttle_days: Some(0), ..SurveyInput::new(SurveyKind::Nps, "NPS") }).await.unwrap();
    let ces_survey = store
        .create_survey(&w.admin, &SurveyInput { throttle_days: Some(0), ..SurveyInput::new(SurveyKind::Ces, "Effort") })
        .await
        .unwrap();

    let mut answered = Vec::new();
    // CSAT answers 5, 4, 2→3 (changed), 1: satisfied 2 of 4 = 50%.
    for (i, (score, change)) in [(5, None), (4, None), (2, Some(3)), (1, None)].into_iter().enumerate() {
        let ticket = solved_ticket(store, &w, w.contact.id, &format!("CSAT {i}")).await;
        let inv = store.invite_for_ticket(&w.agent, csat_survey.id, ticket.id).await.unwrap();
        store.answer_survey(inv.id, &Answer { score, ..Default::default() }, Timestamp::now()).await.unwrap();
        if let Some(s) = change {
            store.answer_survey(inv.id, &Answer { score: s, ..Default::default() }, Timestamp::now()).await.unwrap();
        }
        answered.push(ticket.id);
    }
    // CES answers 7, 5, 2: mean 14 / 3 = 4.67.
    for (i, score) in [7, 5, 2].into_iter().enumerate() {
        let ticket = solved_ticket(store, &w, w.contact.id, &format!("CES {i}")).await;
        let inv = store.invite_for_ticket(&w.agent, ces_survey.id, ticket.id).await.unwrap();
        store.answer_survey(inv.id, &Answer { score, ..Default::default() }, Timestamp::now()).await.unwrap();
    }
    // NPS answers 10, 9, 9, 6 from four contacts, no passives: 75% − 25% = 50.
    for (i, score) in [10, 9, 9, 6].into_iter().enumerate() {
        contact(store, &w, &format!("NPS {i}"), Some(&format!("nps{i}@khach.vn")), Locale::Vi, vec![]).await;
        let _ = score;
    }
    store.plan_survey_invitations(Timestamp::now(), 100).await.unwrap();
    let pending: Vec<InvitationToSend> =
        store.pending_invitations(1000).await.unwrap().into_iter().filter(|p| p.invitation.survey_id == nps_survey.id).collect();
    // The world's own contact has an email too: five invitations; the four new contacts answer.
    assert_eq!(pending.len(), 5);
    for p in &pending {
        store.mark_invitation_sent(w.ws, p.invitation.id, None).await.unwrap();
    }
    let answering = pending.iter().filter(|p| p.invitation.contact_id != Some(w.contact.id));
    for (p, score) in answering.zip([10, 9, 9, 6]) {
        store.answer_survey(p.invitation.id, &Answer { score, ..Default::default() }, Timestamp::now()).await.unwrap();
    }

    let window = Period { from: Timestamp::now().millis() - DAY, to: Timestamp::now().millis() + DAY };
    let rows = store.response_rows(&w.agent, &MetricsFilter::new(window)).await.unwrap();
    let r = experience::report(&rows, &window);
    assert_eq!((r.csat.responses, r.csat.satisfied, r.csat.percent), (4, 2, Some(50.0)));
    assert_eq!(r.csat.distribution, vec![(1, 1), (2, 0), (3, 1), (4, 1), (5, 1)], "the changed answer counts as 3, once");
    assert_eq!((r.nps.promoters, r.nps.passives, r.nps.detractors, r.nps.score), (3, 0, 1, Some(50.0)));
    assert_eq!((r.ces.responses, r.ces.mean), (3, Some(4.67)));
    // Sent invitations for the response rate: 4 CSAT + 3 CES links, 5 NPS.
    let sent = store.invitations_sent(&w.agent, &MetricsFilter::new(window)).await.unwrap();
    assert_eq!(sent, vec![(SurveyKind::Ces, 3), (SurveyKind::Csat, 4), (SurveyKind::Nps, 5)]);
    // Responses show on the ticket and on the customer's timeline.
    let on_ticket =
        store.list_responses(&w.agent, &ResponseQuery { ticket_id: Some(answered[2]), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!((on_ticket.items.len(), on_ticket.items[0].score, on_ticket.items[0].revision), (1, 3, 2));
    let timeline =
        store.list_responses(&w.agent, &ResponseQuery { contact_id: Some(w.contact.id), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(timeline.items.len(), 7, "4 CSAT and 3 CES about the world's contact");
    // A filter on the agent rated: every CSAT/CES answer was about the agent; NPS has nobody.
    let rated =
        store.response_rows(&w.agent, &MetricsFilter { agent_id: Some(w.agent.user_id), ..MetricsFilter::new(window) }).await.unwrap();
    assert_eq!(rated.len(), 7);
}

pub async fn survey_roles_tenancy_and_mail(store: &dyn Store) {
    let w = world(store).await;
    assert!(is_forbidden(store.create_survey(&w.agent, &csat(0, 0)).await));
    assert!(is_invalid(store.create_survey(&w.admin, &SurveyInput { name: " ".into(), ..csat(0, 0) }).await));
    assert!(is_invalid(store.create_survey(&w.admin, &SurveyInput { alert_at_or_below: Some(9), ..csat(0, 0) }).await));
    let survey = store.create_survey(&w.admin, &csat(0, 0)).await.unwrap();
    assert!(is_invalid(store.update_survey(&w.admin, survey.id, &SurveyInput::new(SurveyKind::Nps, "x")).await));
    let paused = store.update_survey(&w.admin, survey.id, &SurveyInput { active: Some(false), ..csat(0, 0) }).await.unwrap();
    assert!(!paused.active);
    let ticket = solved_ticket(store, &w, w.contact.id, "Paused").await;
    assert_eq!(store.plan_survey_invitations(later(MINUTE), 100).await.unwrap().planned, 0, "an inactive survey plans nothing");
    store.update_survey(&w.admin, survey.id, &SurveyInput { active: Some(true), ..csat(0, 0) }).await.unwrap();

    // A mailbox: the invitation's mail is queued with the sent mark, exactly once.
    let mailbox = store
        .create_mailbox(
            &w.admin,
            &MailboxInput {
                brand_id: None,
                name: "Hỗ trợ".into(),
                address: format!("cskh-{}@rapport.test", w.ws),
                imap_host: "127.0.0.1".into(),
                imap_port: 1143,
                imap_security: Security::Plain,
                imap_username: "cskh".into(),
                imap_password_enc: Some("v1:x".into()),
                imap_folder: "INBOX".into(),
                smtp_host: "127.0.0.1".into(),
                smtp_port: 2525,
                smtp_security: Security::Plain,
                smtp_username: "cskh".into(),
                smtp_password_enc: Some("v1:x".into()),
                from_name: "CSKH".into(),
                reply_to: None,
                max_message_bytes: 10_000_000,
                active: true,
                allow_remote_images: false,
            },
        )
        .await
        .unwrap();
    store.plan_survey_invitations(later(MINUTE), 100).await.unwrap();
    let p = store.pending_invitations(1000).await.unwrap().into_iter().find(|p| p.invitation.ticket_id == Some(ticket.id)).unwrap();
    assert_eq!(p.mailbox_id, Some(mailbox.id), "the workspace's mailbox when the ticket has none");
    let mail = NewOutbound {
        mailbox_id: mailbox.id,
        ticket_id: Some(ticket.id),
        message_id: None,
        kind: OutboundKind::Notification,
        recipients: vec![p.contact_email.clone().unwrap()],
        message_id_header: format!("<survey-{}@rapport.test>", p.invitation.id),
        raw: b"Subject: survey\r\n\r\nhello".to_vec(),
    };
    assert!(store.mark_invitation_sent(w.ws, p.invitation.id, Some(&mail)).await.unwrap());
    assert!(!store.mark_invitation_sent(w.ws, p.invitation.id, Some(&mail)).await.unwrap());
    let queued = store.list_outbound(&w.admin, Some(ticket.id), 10).await.unwrap();
    assert_eq!(queued.iter().filter(|o| o.message_id_header == mail.message_id_header).count(), 1);
    assert_eq!(invitations(store, &w, ticket.id).await[0].delivery.as_deref(), Some("email"));

    // Another workspace sees nothing of it.
    let other = world(store).await;
    assert!(is_not_found(store.get_survey(&other.admin, survey.id).await));
    assert!(is_not_found(store.invite_for_ticket(&other.agent, survey.id, ticket.id).await));
    assert!(is_not_found(store.list_invitations(&other.agent, Some(ticket.id), 10).await));
    store.answer_survey(p.invitation.id, &Answer { score: 1, ..Default::default() }, Timestamp::now()).await.unwrap();
    let window = Period { from: Timestamp::now().millis() - DAY, to: Timestamp::now().millis() + DAY };
    assert!(store.response_rows(&other.admin, &MetricsFilter::new(window)).await.unwrap().is_empty());
    assert!(store.list_tasks(&other.admin, &TaskQuery { limit: 10, ..Default::default() }).await.unwrap().is_empty());
    let task = store.list_tasks(&w.agent, &TaskQuery { limit: 10, ..Default::default() }).await.unwrap().remove(0);
    assert!(is_not_found(store.complete_task(&other.admin, task.id).await));
    assert!(is_forbidden(store.complete_task(&w.viewer, task.id).await));
    // A skipped invitation has no page.
    let skipped_ticket = solved_ticket(store, &w, w.contact.id, "Throttled").await;
    store.update_survey(&w.admin, survey.id, &csat(0, 30)).await.unwrap();
    store.plan_survey_invitations(later(MINUTE), 100).await.unwrap();
    let skipped = invitations(store, &w, skipped_ticket.id).await.remove(0);
    assert_eq!(skipped.status, InvitationStatus::Skipped);
    assert!(is_not_found(store.invitation_view(skipped.id).await));
}

pub async fn webhook_deliveries_are_leased_retried_and_logged(store: &dyn Store) {
    let w = world(store).await;
    let input = |url: &str, events: Vec<&str>| WebhookInput {
        url: url.into(),
        events: events.into_iter().map(String::from).collect(),
        active: None,
    };
    assert!(is_forbidden(store.create_webhook(&w.agent, &input("https://x.test/h", vec!["*"]), "v1:s").await));
    assert!(is_invalid(store.create_webhook(&w.admin, &input("ftp://x.test/h", vec!["*"]), "v1:s").await));
    assert!(is_invalid(store.create_webhook(&w.admin, &input("https://x.test/h", vec![]), "v1:s").await));
    assert!(is_invalid(store.create_webhook(&w.admin, &input("https://x.test/h", vec!["Survey Low"]), "v1:s").await));
    let all = store.create_webhook(&w.admin, &input("https://x.test/all", vec!["*"]), "v1:all").await.unwrap();
    let low = store.create_webhook(&w.admin, &input("https://x.test/low", vec!["survey.low_score"]), "v1:low").await.unwrap();
    let off = store.create_webhook(&w.admin, &input("https://x.test/off", vec!["*"]), "v1:off").await.unwrap();
    store.update_webhook(&w.admin, off.id, &WebhookInput { active: Some(false), ..input("https://x.test/off", vec!["*"]) }).await.unwrap();

    let event = store.record_event(&w.agent, "survey.answered", &json!({ "score": 9 })).await.unwrap();
    assert_eq!(store.list_webhook_deliveries(&w.admin, all.id, 10).await.unwrap().len(), 1);
    assert!(store.list_webhook_deliveries(&w.admin, low.id, 10).await.unwrap().is_empty());
    assert!(store.list_webhook_deliveries(&w.admin, off.id, 10).await.unwrap().is_empty());

    // Claimed with a lease: nobody else gets it meanwhile.
    let now = Timestamp::now();
    let jobs: Vec<DeliveryJob> = store
        .claim_webhook_deliveries(now, Timestamp(now.millis() + 60_000), 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.workspace_id == w.ws)
        .collect();
    assert_eq!(jobs.len(), 1);
    let job = &jobs[0];
    assert_eq!((job.url.as_str(), job.secret_enc.as_str(), job.event.id, job.attempts), ("https://x.test/all", "v1:all", event.id, 1));
    assert!(store
        .claim_webhook_deliveries(now, Timestamp(now.millis() + 60_000), 100)
        .await
        .unwrap()
        .iter()
        .all(|j| j.delivery_id != job.delivery_id));
    // A failed attempt is retried later, and its outcome logged.
    let retry_at = Timestamp(now.millis() + 30_000);
    store
        .finish_webhook_delivery(
            job.delivery_id,
            &AttemptOutcome { status_code: Some(503), error: Some("HTTP 503".into()), duration_ms: 12, retry: Some(Some(retry_at)) },
        )
        .await
        .unwrap();
    let logged = &store.list_webhook_deliveries(&w.admin, all.id, 10).await.unwrap()[0];
    assert_eq!(
        (logged.status, logged.attempts, logged.last_status_code, logged.next_attempt_at),
        (DeliveryStatus::Queued, 1, Some(503), retry_at)
    );
    assert!(store
        .claim_webhook_deliveries(now, Timestamp(now.millis() + 60_000), 100)
        .await
        .unwrap()
        .iter()
        .all(|j| j.delivery_id != job.delivery_id));
    let again = store.claim_webhook_deliveries(Timestamp(retry_at.millis() + 1), Timestamp(retry_at.millis() + 60_000), 100).await.unwrap();
    let again = again.iter().find(|j| j.delivery_id == job.delivery_id).expect("due again");
    assert_eq!(again.attempts, 2);
    store
        .finish_webhook_delivery(job.delivery_id, &AttemptOutcome { status_code: Some(200), error: None, duration_ms: 8, retry: None })
        .await
        .unwrap();
    let logged = &store.list_webhook_deliveries(&w.admin, all.id, 10).await.unwrap()[0];
    assert_eq!((logged.status, logged.attempts, logged.last_status_code), (DeliveryStatus::Delivered, 2, Some(200)));
    assert!(logged.delivered_at.is_some());

    let other = world(store).await;
    assert!(is_not_found(store.list_webhook_deliveries(&other.admin, all.id, 10).await));
    assert!(is_not_found(store.delete_webhook(&other.admin, all.id).await));
    assert!(store.list_webhooks(&other.admin).await.unwrap().is_empty());
    store.delete_webhook(&w.admin, all.id).await.unwrap();
    assert_eq!(store.list_webhooks(&w.admin).await.unwrap().len(), 2);
}
