//! Story tests for measurement: hand-built fixtures in which every service
//! KPI is worked out by hand in the comments, the live write paths feeding
//! the same facts, filters, roles and tenancy. Run unchanged on SQLite and
//! PostgreSQL, so both give the same numbers.

use crate::metrics::*;
use crate::model::*;
use crate::sla::SlaPolicyInput;
use crate::story::{customer_ticket, is_forbidden, is_invalid, is_not_found, status, text_message, world, World};
use crate::Store;
use rapport_analytics::service::{self, FigureContext, Sla, SlaKind, TicketFigure};
use rapport_analytics::{Period, DAY, HOUR, MINUTE};
use rapport_domain::{Actor, Channel, Locale, MessageKind, Priority, TicketStatus, Timestamp};

/// Monday 2 March 2026, 08:00 UTC: 09:00 in Warsaw (winter time, UTC+1).
pub const T: i64 = 1_772_438_400_000;
/// March 2026 in UTC.
pub const MARCH: Period = Period { from: 1_772_323_200_000, to: 1_775_001_600_000 };

fn at(ms: i64) -> Timestamp {
    Timestamp(ms)
}

fn msg(ms: i64, kind: MessageKind, author: ImportedAuthor, body: &str) -> ImportedEvent {
    ImportedEvent::Message { at: at(ms), kind, author, body: body.into() }
}

fn to(ms: i64, s: TicketStatus) -> ImportedEvent {
    ImportedEvent::Status { at: at(ms), to: s }
}

pub fn imported(w: &World, subject: &str, created: i64, events: Vec<ImportedEvent>) -> ImportedTicket {
    ImportedTicket {
        subject: subject.into(),
        created_at: at(created),
        brand_id: None,
        channel: Channel::Email,
        language: Some(Locale::Vi),
        priority: None,
        requester_id: Some(w.contact.id),
        assignee_id: Some(w.agent.user_id),
        team_id: None,
        tags: vec![],
        events,
    }
}

pub fn office_hours() -> BusinessHours {
    let day = |d: &str| OpeningWindow { day: d.into(), from: "09:00".into(), to: "17:00".into() };
    BusinessHours {
        time_zone: "Europe/Warsaw".into(),
        week: ["mon", "tue", "wed", "thu", "fri"].into_iter().map(day).collect(),
        holidays: vec![],
    }
}

/// Recomputes every out-of-date fact of the workspace.
pub async fn refresh_all(store: &dyn Store, ws: i64) {
    loop {
        let r = store.refresh_ticket_facts(Some(ws), 1000).await.unwrap();
        if r.remaining == 0 {
            break;
        }
    }
}

fn ids(rows: &[service::FactRow], f: TicketFigure, ctx: &FigureContext) -> Vec<i64> {
    rows.iter().filter(|r| f.counts(r, ctx)).map(|r| r.ticket_id).collect()
}

/// The workspace's SLA targets, as the KPIs take them.
pub async fn sla_targets(store: &dyn Store, actor: &Actor) -> std::collections::BTreeMap<Priority, rapport_domain::sla::SlaTargets> {
    store.list_sla_policies(actor).await.unwrap().into_iter().map(|p| (p.priority, p.targets())).collect()
}

/// Seven tickets with known histories; every figure below is computed by hand.
pub async fn service_kpis_by_hand(store: &dyn Store) {
    let w = world(store).await;
    store.set_business_hours(&w.admin, Some(&office_hours())).await.unwrap();
    // SLA for normal priority: first reply within 60 min, solved within 8 h (calendar time).
    let targets = SlaPolicyInput { first_response_minutes: Some(60), resolution_minutes: Some(480) };
    store.set_sla_policy(&w.admin, Priority::Normal, &targets).await.unwrap();
    let (c, a, csm) =
        (ImportedAuthor::Customer(w.contact.id), ImportedAuthor::Agent(w.agent.user_id), ImportedAuthor::Agent(w.csm.user_id));
    use MessageKind::{Note, Public};
    use TicketStatus::*;

    // 1. An internal note at 10 minutes must not count as the first response;
    //    the public reply at 2 h does. Solved at 3 h with that one reply: FCR.
    //    FRT 2 h (business 09:00→11:00 Warsaw: 2 h). TTR 3 h, nothing paused.
    let t1 = store
        .import_ticket(
            &w.admin,
            &imported(
                &w,
                "Máy không lên nguồn",
                T,
                vec![
                    msg(T, Public, c, "Điện thoại của tôi không bật được."),
                    msg(T + 10 * MINUTE, Note, a, "Kiểm tra bảo hành trước."),
                    msg(T + 2 * HOUR, Public, a, "Anh/chị thử sạc 30 phút rồi bật lại nhé."),
                    to(T + 3 * HOUR, Solved),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(t1.first_response_at, Some(at(T + 2 * HOUR)), "the note did not stamp the first response");

    // 2. Pending time: answered at 1 h 30 (FRT 30 min) and set pending until the
    //    customer writes back on Tuesday 09:00 UTC (10:00 local); answered and
    //    solved at 26 h. TTR gross 25 h; pending 23 h 30; net 1 h 30.
    //    Business net: 10:00–10:30 Monday + 10:00–11:00 Tuesday local = 1 h 30.
    //    Two agent replies: not FCR.
    let t2 = store
        .import_ticket(
            &w.admin,
            &imported(
                &w,
                "Hoá đơn sai địa chỉ",
                T + HOUR,
                vec![
                    msg(T + HOUR, Public, c, "Hoá đơn ghi sai địa chỉ công ty."),
                    msg(T + 90 * MINUTE, Public, csm, "Anh/chị gửi giúp mã số thuế nhé?"),
                    to(T + 90 * MINUTE, Pending),
                    msg(T + 25 * HOUR, Public, c, "Mã số thuế: 0312345678."),
                    msg(T + 26 * HOUR, Public, csm, "Đã xuất lại hoá đơn."),
                    to(T + 26 * HOUR, Solved),
                ],
            ),
        )
        .await
        .unwrap();

    // 3. Reopened: answered at 15 min, solved at 1 h after creation (T + 3 h),
    //    the customer writes again (reopen), solved again at T + 5 h.
    //    First solve T + 3 h (in March), TTR to the last solve: 3 h.
    //    Business net: 11:00–14:00 local = 3 h (the hour it sat solved counts).
    let t3 = store
        .import_ticket(
            &w.admin,
            &imported(
                &w,
                "Đổi máy",
                T + 2 * HOUR,
                vec![
                    msg(T + 2 * HOUR, Public, c, "Tôi muốn đổi máy khác màu."),
                    msg(T + 2 * HOUR + 15 * MINUTE, Public, a, "Được ạ, anh/chị mang máy ra cửa hàng nhé."),
                    to(T + 3 * HOUR, Solved),
                    msg(T + 4 * HOUR, Public, c, "Cửa hàng nào gần nhất?"),
                    msg(T + 5 * HOUR, Public, a, "Cửa hàng Quận 1."),
                    to(T + 5 * HOUR, Solved),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(t3.reopened_count, 1);

    // 4. A duplicate, merged into ticket 1: counted apart as merged, in no KPI.
    let t4 = store
        .import_ticket(
            &w.admin,
            &imported(&w, "Máy không lên nguồn (gửi lại)", T + 3 * HOUR, vec![msg(T + 3 * HOUR, Public, c, "Tôi gửi lại câu hỏi.")]),
        )
        .await
        .unwrap();
    store.merge_tickets(&w.agent, t4.id, t1.id).await.unwrap();

    // 5. Outreach: the agent wrote first. No first response time; in the backlog (open).
    let t5 = store
        .import_ticket(
            &w.admin,
            &imported(&w, "Khuyến mãi tháng 3", T + 4 * HOUR, vec![msg(T + 4 * HOUR, Public, a, "Chào anh/chị, có ưu đãi mới.")]),
        )
        .await
        .unwrap();

    // 6. Not answered yet: awaiting a first response, in the backlog (new).
    let t6 = store
        .import_ticket(&w.admin, &imported(&w, "Chưa ai trả lời", T + 5 * HOUR, vec![msg(T + 5 * HOUR, Public, c, "Có ai không?")]))
        .await
        .unwrap();

    // 7. Created Friday 27 February 10:00 UTC (11:00 local), before the period,
    //    answered Monday 08:30 UTC (09:30 local), inside it; then on hold.
    //    FRT calendar 70 h 30; business: Friday 11:00–17:00 + Monday 09:00–09:30 = 6 h 30.
    let friday = T - 3 * DAY + 2 * HOUR;
    let t7 = store
        .import_ticket(
            &w.admin,
            &imported(
                &w,
                "Bảo hành pin",
                friday,
                vec![
                    msg(friday, Public, c, "Pin chai nhanh."),
                    msg(T + 30 * MINUTE, Public, a, "Chúng tôi đã đặt pin mới."),
                    to(T + 30 * MINUTE, OnHold),
                ],
            ),
        )
        .await
        .unwrap();

    // Time logged: 10 min on #1, 20 + 30 min on #2. AHT = 60 min / 2 tickets = 30 min.
    let log = |secs: i64, start: i64| NewTimeEntry { duration_seconds: secs, started_at: Some(at(start)), source: None, note: None };
    store.add_time_entry(&w.agent, t1.id, &log(600, T + HOUR)).await.unwrap();
    store.add_time_entry(&w.csm, t2.id, &log(1200, T + 2 * HOUR)).await.unwrap();
    store.add_time_entry(&w.agent, t2.id, &log(1800, T + 25 * HOUR)).await.unwrap();

    refresh_all(store, w.ws).await;
    let filter = MetricsFilter::new(MARCH);
    let rows = store.fact_rows(&w.agent, &filter).await.unwrap();
    let entries = store.time_entry_rows(&w.agent, &filter).await.unwrap();
    let now = Timestamp::now().millis();
    let ctx = FigureContext { sla: sla_targets(store, &w.agent).await, ..FigureContext::new(MARCH, now) };
    let r = service::report(&rows, &entries, &ctx, true);

    // Volume: 1, 2, 3, 5, 6 created in March (7 in February); 4 counted as merged.
    assert_eq!((r.volume.created, r.volume.merged), (5, 1));
    assert_eq!(r.volume.by_channel, vec![(Channel::Email, 5)]);
    // FRT: 1 (2 h), 2 (30 min), 3 (15 min), 7 (70 h 30). Not 5 (outreach), not 6 (none yet).
    // Sorted 15 m, 30 m, 2 h, 70 h 30: median (30 m + 2 h) / 2 = 75 min; p90 rank ceil(3.6) = 4.
    assert_eq!(ids(&rows, TicketFigure::Responded, &ctx), vec![t1.id, t2.id, t3.id, t7.id]);
    assert_eq!((r.frt.calendar.count, r.frt.calendar.median, r.frt.calendar.p90), (4, Some(75 * MINUTE), Some(70 * HOUR + 30 * MINUTE)));
    // Business: 15 m, 30 m, 2 h, 6 h 30: median 75 min, p90 6 h 30.
    let b = r.frt.business.expect("business hours are set");
    assert_eq!((b.median, b.p90), (Some(75 * MINUTE), Some(6 * HOUR + 30 * MINUTE)));
    assert_eq!(r.frt.awaiting, 1);
    assert_eq!(ids(&rows, TicketFigure::AwaitingResponse, &ctx), vec![t6.id]);
    // TTR: resolved 1 (3 h), 2 (25 h gross / 1 h 30 net), 3 (3 h).
    assert_eq!((r.ttr.gross.count, r.ttr.gross.median, r.ttr.gross.p90), (3, Some(3 * HOUR), Some(25 * HOUR)));
    assert_eq!((r.ttr.net.median, r.ttr.net.p90), (Some(3 * HOUR), Some(3 * HOUR)));
    let net_by_ticket: Vec<(i64, Option<i64>)> =
        rows.iter().filter(|x| x.facts.resolved_at.is_some()).map(|x| (x.ticket_id, x.facts.ttr_net_ms)).collect();
    assert!(net_by_ticket.contains(&(t2.id, Some(90 * MINUTE))), "{net_by_ticket:?}");
    let bt = r.ttr.business.expect("business hours are set");
    assert_eq!((bt.count, bt.median), (3, Some(3 * HOUR)));
    let t2_business = rows.iter().find(|x| x.ticket_id == t2.id).unwrap().facts.ttr_business_ms;
    assert_eq!(t2_business, Some(90 * MINUTE));
    // Reopen rate and FCR: first solved in March 1, 2, 3; 3 reopened; only 1 is FCR.
    assert_eq!((r.resolution.solved, r.resolution.reopened, r.resolution.fcr), (3, 1, 1));
    assert_eq!(ids(&rows, TicketFigure::Reopened, &ctx), vec![t3.id]);
    assert_eq!(ids(&rows, TicketFigure::Fcr, &ctx), vec![t1.id]);
    // Backlog now: 5 (open), 6 (new), 7 (on hold); not the merged 4.
    assert_eq!(r.backlog.total, 3);
    assert_eq!(ids(&rows, TicketFigure::Backlog, &ctx), vec![t5.id, t6.id, t7.id]);
    assert!(
        r.backlog.by_status.contains(&(OnHold, 1)) && r.backlog.by_status.contains(&(New, 1)) && r.backlog.by_status.contains(&(Open, 1))
    );
    // AHT: 60 min over 2 tickets.
    assert_eq!((r.aht.handled, r.aht.total_ms, r.aht.aht_ms), (2, 60 * MINUTE, Some(30 * MINUTE)));
    // SLA, first reply within 60 min: met by 2 (30 min) and 3 (15 min); breached by 1 (2 h),
    // 6 (no reply, due at T + 6 h) and 7 (70 h 30); 5 is outreach, 4 merged. 2 of 5 = 40%.
    // Solved within 8 h: met by 1 (3 h) and 3 (3 h); breached by 2 (25 h), and by 5 and 6, still
    // open past their due times in March. 7's resolution was due on 27 February: not March's. 40%.
    let Sla::Measured { first_response, resolution } = r.sla else { panic!("SLA targets are set") };
    assert_eq!((first_response.met, first_response.breached, first_response.met_percent), (2, 3, Some(40.0)));
    assert_eq!((resolution.met, resolution.breached, resolution.met_percent), (2, 3, Some(40.0)));
    assert_eq!(ids(&rows, TicketFigure::SlaBreached(SlaKind::FirstResponse), &ctx), vec![t1.id, t6.id, t7.id]);
    assert_eq!(ids(&rows, TicketFigure::SlaBreached(SlaKind::Resolution), &ctx), vec![t2.id, t5.id, t6.id]);

    // The agent filter: tickets assigned to the agent (all of them here), time the agent logged (40 min, 2 tickets).
    let mine = MetricsFilter { agent_id: Some(w.agent.user_id), ..filter.clone() };
    let e = store.time_entry_rows(&w.agent, &mine).await.unwrap();
    assert_eq!(service::aht(&e, &MARCH).total_ms, 40 * MINUTE);
    // Nothing in February's FRT but ticket 7 was created then.
    let feb = Period { from: MARCH.from - 28 * DAY, to: MARCH.from };
    let feb_rows = store.fact_rows(&w.agent, &MetricsFilter::new(feb)).await.unwrap();
    let f = service::report(&feb_rows, &[], &FigureContext { sla: ctx.sla.clone(), ..FigureContext::new(feb, now) }, true);
    assert_eq!((f.volume.created, f.frt.calendar.count), (1, 0));
    let Sla::Measured { resolution, .. } = f.sla else { panic!("SLA targets are set") };
    assert_eq!((resolution.met, resolution.breached), (0, 1), "7 breached its resolution target in February");
}

/// The live write paths (replies, notes, status edits, customer mail) feed the
/// same facts as imports: expectations are computed from the stored records.
pub async fn facts_follow_live_writes(store: &dyn Store) {
    let w = world(store).await;
    let ticket = store.create_ticket(&w.agent, &customer_ticket(&w, "Zamówienie nie dotarło")).await.unwrap();
    store.add_message(&w.agent, ticket.id, &text_message(MessageKind::Note, None, "Sprawdzam u kuriera.")).await.unwrap();
    let reply = store.add_message(&w.agent, ticket.id, &text_message(MessageKind::Public, None, "Paczka jest w drodze.")).await.unwrap();
    store.update_ticket(&w.agent, ticket.id, &status(TicketStatus::Pending)).await.unwrap();
    store.add_message(&w.agent, ticket.id, &text_message(MessageKind::Public, Some(w.contact.id), "Nadal nic.")).await.unwrap();
    store.update_ticket(&w.agent, ticket.id, &status(TicketStatus::Solved)).await.unwrap();
    store
        .add_message(&w.agent, ticket.id, &text_message(MessageKind::Public, Some(w.contact.id), "Jednak brakuje jednej rzeczy."))
        .await
        .unwrap();
    let solved = store.update_ticket(&w.agent, ticket.id, &status(TicketStatus::Solved)).await.unwrap();

    // The triggers recorded every status, whichever path changed it.
    let history = store.ticket_status_history(&w.agent, ticket.id).await.unwrap();
    let statuses: Vec<TicketStatus> = history.iter().map(|h| h.to).collect();
    use TicketStatus::*;
    assert_eq!(statuses, vec![New, Open, Pending, Open, Solved, Open, Solved]);
    assert_eq!(history[0].at, ticket.created_at);
    assert_eq!(history[1].at, reply.created_at, "the reply opened the ticket");

    refresh_all(store, w.ws).await;
    let window = Period { from: ticket.created_at.millis() - HOUR, to: Timestamp::now().millis() + HOUR };
    let rows = store.fact_rows(&w.agent, &MetricsFilter::new(window)).await.unwrap();
    let f = &rows.iter().find(|r| r.ticket_id == ticket.id).unwrap().facts;
    // FRT: the public reply, not the note before it.
    assert_eq!(f.frt_ms, Some(reply.created_at.millis() - ticket.created_at.millis()));
    assert_eq!(f.first_responder_id, Some(w.agent.user_id));
    // Net TTR: last solve − creation − the pending stretch (history[2] → history[3]).
    let pending = history[3].at.millis() - history[2].at.millis();
    let gross = solved.solved_at.unwrap().millis() - ticket.created_at.millis();
    assert_eq!((f.ttr_ms, f.ttr_net_ms, f.paused_ms), (Some(gross), Some(gross - pending), pending));
    assert_eq!((f.reopen_count, f.agent_replies, f.fcr), (1, 1, false));
    assert_eq!(f.first_solved_at, Some(history[4].at.millis()));
    assert_eq!(f.frt_business_ms, None, "no business hours set: no business figures");

    // A late change is never missed: the trigger marks the ticket, the refresh folds it in.
    let team = store.create_team(&w.admin, &NewTeam { name: "Reklamacje".into(), restricted: false, member_ids: vec![] }).await.unwrap();
    let patch = TicketPatch { team_id: Some(Some(team.id)), ..Default::default() };
    store.update_ticket(&w.agent, ticket.id, &patch).await.unwrap();
    let by_team = MetricsFilter { team_id: Some(team.id), ..MetricsFilter::new(window) };
    assert!(store.fact_rows(&w.agent, &by_team).await.unwrap().is_empty(), "facts are stale until refreshed");
    let r = store.refresh_ticket_facts(Some(w.ws), 100).await.unwrap();
    assert_eq!((r.refreshed, r.remaining), (1, 0));
    assert_eq!(store.fact_rows(&w.agent, &by_team).await.unwrap().len(), 1);

    // Setting business hours recomputes business time for every ticket.
    store.set_business_hours(&w.admin, Some(&BusinessHours { time_zone: "UTC".into(), week: all_week(), holidays: vec![] })).await.unwrap();
    refresh_all(store, w.ws).await;
    let rows = store.fact_rows(&w.agent, &MetricsFilter::new(window)).await.unwrap();
    let f = &rows.iter().find(|r| r.ticket_id == ticket.id).unwrap().facts;
    assert_eq!(f.frt_business_ms, f.frt_ms, "round-the-clock hours: business time equals calendar time");

    // Merging moves the messages: the target's facts count the moved agent reply.
    let other = store.create_ticket(&w.agent, &customer_ticket(&w, "Druga sprawa")).await.unwrap();
    store.add_message(&w.csm, other.id, &text_message(MessageKind::Public, None, "Odpowiedź w drugiej sprawie.")).await.unwrap();
    let target = store.create_ticket(&w.agent, &customer_ticket(&w, "Trzecia sprawa")).await.unwrap();
    store.merge_tickets(&w.agent, other.id, target.id).await.unwrap();
    refresh_all(store, w.ws).await;
    let rows = store.fact_rows(&w.agent, &MetricsFilter::new(window)).await.unwrap();
    let merged = rows.iter().find(|r| r.ticket_id == other.id).unwrap();
    assert!(merged.merged && !merged.facts.unresolved);
    assert_eq!(rows.iter().find(|r| r.ticket_id == target.id).unwrap().facts.agent_replies, 1);
}

fn all_week() -> Vec<OpeningWindow> {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| OpeningWindow { day: d.to_string(), from: "00:00".into(), to: "24:00".into() })
        .collect()
}

/// Filters, roles and workspaces: who sees which facts.
pub async fn metrics_filters_roles_and_tenancy(store: &dyn Store) {
    let w = world(store).await;
    let brand = store
        .create_brand(&w.admin, &NewBrand { name: "Sklep".into(), slug: format!("sklep-{}", w.ws), default_locale: Some(Locale::Pl) })
        .await
        .unwrap();
    let org = store.create_organization(&w.agent, &NewOrganization { name: "Hurtownia".into(), domain: None, notes: None }).await.unwrap();
    let member = store
        .create_contact(
            &w.agent,
            &NewContact {
                name: "Anna Kowalska".into(),
                email: None,
                phone: None,
                locale: Some(Locale::Pl),
                organization_ids: vec![org.id],
            },
        )
        .await
        .unwrap();
    let secret =
        store.create_team(&w.admin, &NewTeam { name: "VIP".into(), restricted: true, member_ids: vec![w.csm.user_id] }).await.unwrap();
    let csm = Actor { team_ids: vec![secret.id], ..w.csm.clone() };

    let mut a = imported(&w, "Faktura", T, vec![]);
    a.brand_id = Some(brand.id);
    a.channel = Channel::Chat;
    a.language = Some(Locale::Pl);
    a.requester_id = Some(member.id);
    let a = store.import_ticket(&w.admin, &a).await.unwrap();
    let mut b = imported(&w, "Tajne", T + HOUR, vec![]);
    b.team_id = Some(secret.id);
    b.assignee_id = Some(w.csm.user_id);
    let b = store.import_ticket(&w.admin, &b).await.unwrap();
    let c = store.import_ticket(&w.admin, &imported(&w, "Zwykłe", T + 2 * HOUR, vec![])).await.unwrap();
    refresh_all(store, w.ws).await;

    let all = MetricsFilter::new(MARCH);
    let got = |rows: Vec<service::FactRow>| rows.into_iter().map(|r| r.ticket_id).collect::<Vec<_>>();
    // The restricted team's ticket is hidden from the agent, shown to its member and to admins.
    assert_eq!(got(store.fact_rows(&w.agent, &all).await.unwrap()), vec![a.id, c.id]);
    assert_eq!(got(store.fact_rows(&csm, &all).await.unwrap()), vec![a.id, b.id, c.id]);
    assert_eq!(got(store.fact_rows(&w.admin, &all).await.unwrap()), vec![a.id, b.id, c.id]);
    // Viewers read reports too.
    assert_eq!(got(store.fact_rows(&w.viewer, &all).await.unwrap()), vec![a.id, c.id]);
    // Each filter.
    for (f, expected) in [
        (MetricsFilter { brand_id: Some(brand.id), ..all.clone() }, vec![a.id]),
        (MetricsFilter { channel: Some(Channel::Chat), ..all.clone() }, vec![a.id]),
        (MetricsFilter { language: Some(Locale::Vi), ..all.clone() }, vec![b.id, c.id]),
        (MetricsFilter { organization_id: Some(org.id), ..all.clone() }, vec![a.id]),
        (MetricsFilter { agent_id: Some(w.csm.user_id), ..all.clone() }, vec![b.id]),
        (MetricsFilter { team_id: Some(secret.id), ..all.clone() }, vec![b.id]),
    ] {
        assert_eq!(got(store.fact_rows(&w.admin, &f).await.unwrap()), expected, "{f:?}");
    }
    // Another workspace sees none of it, and cannot reach the tickets.
    let other = world(store).await;
    assert!(store.fact_rows(&other.admin, &all).await.unwrap().is_empty());
    assert!(store.ticket_briefs(&other.admin, &[a.id, b.id]).await.unwrap().is_empty());
    assert!(is_not_found(store.ticket_status_history(&other.admin, a.id).await));
    // Briefs keep the order asked for and drop what the actor may not see.
    let briefs: Vec<i64> = store.ticket_briefs(&w.agent, &[c.id, b.id, a.id]).await.unwrap().into_iter().map(|t| t.id).collect();
    assert_eq!(briefs, vec![c.id, a.id]);
}

/// Business hours and time entries: validation and who may change what.
pub async fn business_hours_and_time_entries(store: &dyn Store) {
    let w = world(store).await;
    assert_eq!(store.business_hours(&w.agent).await.unwrap(), None);
    assert!(is_forbidden(store.set_business_hours(&w.agent, Some(&office_hours())).await));
    let bad_zone = BusinessHours { time_zone: "Europe/Atlantis".into(), ..office_hours() };
    assert!(is_invalid(store.set_business_hours(&w.admin, Some(&bad_zone)).await));
    let mut overlapping = office_hours();
    overlapping.week.push(OpeningWindow { day: "mon".into(), from: "16:00".into(), to: "18:00".into() });
    assert!(is_invalid(store.set_business_hours(&w.admin, Some(&overlapping)).await));
    let mut with_holiday = office_hours();
    with_holiday.holidays = vec!["2026-05-03".into(), "2026-05-01".into(), "2026-05-01".into()];
    let saved = store.set_business_hours(&w.admin, Some(&with_holiday)).await.unwrap().unwrap();
    assert_eq!(saved.holidays, vec!["2026-05-01", "2026-05-03"]);
    assert_eq!(store.business_hours(&w.viewer).await.unwrap(), Some(saved));
    assert_eq!(store.set_business_hours(&w.admin, None).await.unwrap(), None);

    let ticket = store.create_ticket(&w.agent, &customer_ticket(&w, "Czas pracy")).await.unwrap();
    let entry = NewTimeEntry { duration_seconds: 900, started_at: None, source: None, note: Some("Rozmowa telefoniczna".into()) };
    let mine = store.add_time_entry(&w.agent, ticket.id, &entry).await.unwrap();
    assert_eq!((mine.duration_seconds, mine.source, mine.user_id), (900, TimeSource::Manual, w.agent.user_id));
    assert!(is_invalid(store.add_time_entry(&w.agent, ticket.id, &NewTimeEntry { duration_seconds: 0, ..entry.clone() }).await));
    assert!(is_invalid(store.add_time_entry(&w.agent, ticket.id, &NewTimeEntry { duration_seconds: 13 * 3600, ..entry.clone() }).await));
    let future = NewTimeEntry { started_at: Some(Timestamp::now().plus_seconds(3600)), ..entry.clone() };
    assert!(is_invalid(store.add_time_entry(&w.agent, ticket.id, &future).await));
    assert!(is_forbidden(store.add_time_entry(&w.viewer, ticket.id, &entry).await));
    let theirs = store.add_time_entry(&w.csm, ticket.id, &entry).await.unwrap();
    assert_eq!(store.list_time_entries(&w.viewer, ticket.id).await.unwrap().len(), 2);
    // One's own entries only; admins any.
    assert!(is_forbidden(store.delete_time_entry(&w.agent, theirs.id).await));
    store.delete_time_entry(&w.agent, mine.id).await.unwrap();
    store.delete_time_entry(&w.admin, theirs.id).await.unwrap();
    assert!(store.list_time_entries(&w.agent, ticket.id).await.unwrap().is_empty());
    let other = world(store).await;
    assert!(is_not_found(store.add_time_entry(&other.agent, ticket.id, &entry).await));

    // Imports: admins only, events in order, allowed transitions.
    let bad_order = imported(&w, "Zła kolejność", T, vec![to(T + HOUR, TicketStatus::Open), to(T, TicketStatus::Solved)]);
    assert!(is_invalid(store.import_ticket(&w.admin, &bad_order).await));
    let bad_move = imported(&w, "Zły status", T, vec![to(T + HOUR, TicketStatus::Closed)]);
    assert!(store.import_ticket(&w.admin, &bad_move).await.is_err());
    assert!(is_forbidden(store.import_ticket(&w.agent, &imported(&w, "Agent", T, vec![])).await));
}
