//! Demo history for the dashboards: business hours (Ho Chi Minh City, with
//! Vietnamese public holidays), CSAT / CES / NPS surveys, and three months of
//! past tickets imported with their timelines (replies after minutes or
//! hours, pending stretches, reopens), time logged on them, and survey
//! answers given when they happened. The live demo tickets are all "now";
//! these give the trends something to show.

use super::setup::Directory;
use super::text::{self, for_scenario, pick, BrandKind};
use super::tickets::Customer;
use rand::Rng;
use rapport_domain::{Actor, Channel, Locale, MessageKind, TicketStatus, Timestamp};
use rapport_store::metrics::{BusinessHours, ImportedAuthor, ImportedEvent, ImportedTicket, NewTimeEntry, OpeningWindow};
use rapport_store::surveys::{Answer, SurveyInput, SurveyKind};
use rapport_store::Store;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// How many past tickets the demo imports.
pub const HISTORY: usize = 360;

#[derive(Debug, Default)]
pub struct Measured {
    pub tickets: usize,
    pub answers: usize,
}

fn hours() -> BusinessHours {
    let window = |day: &str, from: &str, to: &str| OpeningWindow { day: day.into(), from: from.into(), to: to.into() };
    let mut week: Vec<OpeningWindow> = ["mon", "tue", "wed", "thu", "fri"].iter().map(|d| window(d, "08:00", "17:30")).collect();
    week.push(window("sat", "08:00", "12:00"));
    BusinessHours {
        time_zone: "Asia/Ho_Chi_Minh".into(),
        week,
        holidays: [
            "2026-01-01",
            "2026-02-16",
            "2026-02-17",
            "2026-02-18",
            "2026-02-19",
            "2026-04-27",
            "2026-04-30",
            "2026-05-01",
            "2026-09-01",
            "2026-09-02",
        ]
        .iter()
        .map(|d| d.to_string())
        .collect(),
    }
}

fn score<R: Rng>(rng: &mut R, weights: &[(i64, u32)]) -> i64 {
    let total: u32 = weights.iter().map(|w| w.1).sum();
    let mut roll = rng.gen_range(0..total);
    for (s, w) in weights {
        if roll < *w {
            return *s;
        }
        roll -= w;
    }
    weights[0].0
}

pub async fn seed<R: Rng>(
    store: &dyn Store,
    sys: &Actor,
    rng: &mut R,
    dir: &Directory,
    customers: &[Customer],
) -> anyhow::Result<Measured> {
    store.set_business_hours(sys, Some(&hours())).await?;
    // Throttles are off while history is written (it is all "sent" now); the usual policy is set after.
    let csat_input = |throttle| SurveyInput {
        delay_minutes: Some(30),
        throttle_days: Some(throttle),
        ..SurveyInput::new(SurveyKind::Csat, "CSAT sau khi giải quyết / po rozwiązaniu / after solving")
    };
    let ces_input =
        |throttle| SurveyInput { delay_minutes: Some(30), throttle_days: Some(throttle), ..SurveyInput::new(SurveyKind::Ces, "CES") };
    let nps_input = |throttle| SurveyInput { throttle_days: Some(throttle), ..SurveyInput::new(SurveyKind::Nps, "NPS") };
    let csat = store.create_survey(sys, &csat_input(0)).await?;
    let ces = store.create_survey(sys, &ces_input(0)).await?;
    let nps = store.create_survey(sys, &nps_input(0)).await?;

    let now = Timestamp::now().millis();
    let mut out = Measured::default();
    for i in 0..HISTORY {
        let locale = [Locale::Vi, Locale::Pl, Locale::En][i % 3];
        let pack = super::pack(locale);
        let topic = &pack.topics[rng.gen_range(0..pack.topics.len())];
        let n = topic.openings.len();
        let v = rng.gen_range(0..n);
        let team = if topic.billing { dir.billing_team } else { dir.language_team(locale) };
        let agent = pick(rng, &dir.assignable(team, locale));
        let pool: Vec<&Customer> = customers.iter().filter(|c| c.person.locale == locale).collect();
        let customer = pick(rng, &pool);
        let (mut vars, _) = text::ticket_vars(rng, locale, topic.brand, topic.device);
        vars.female = customer.person.female;
        vars.set("name", customer.person.name.as_str());
        vars.set("first", customer.person.first.as_str());
        vars.set("addr", customer.person.addr.as_str());
        vars.set("agent", agent.user.name.as_str());
        vars.set("agent_first", agent.first.as_str());
        let brand_id = match topic.brand {
            BrandKind::Phones => dir.phones_brand,
            BrandKind::Saas => dir.saas_brand,
        };
        vars.set("brand", if brand_id == dir.phones_brand { "Sao Mai Mobile" } else { "Kwitek" });

        // Created during the last 90 days, mostly in working hours (Vietnam time, UTC+7).
        let day = rng.gen_range(1..90);
        let created = now - day * DAY - (now % DAY) + rng.gen_range(1..10) * HOUR + rng.gen_range(0..60) * MINUTE;
        let (c, a) = (ImportedAuthor::Customer(customer.id), ImportedAuthor::Agent(agent.user.id));
        let msg = |at: i64, kind, author, body: &str| ImportedEvent::Message { at: Timestamp(at), kind, author, body: vars.fill(body) };
        let to = |at: i64, s| ImportedEvent::Status { at: Timestamp(at), to: s };
        let mut t = created;
        let mut events = vec![msg(t, MessageKind::Public, c, topic.openings[v])];
        // First reply after minutes, sometimes hours.
        t += if rng.gen_bool(0.7) { rng.gen_range(4..90) * MINUTE } else { rng.gen_range(2..20) * HOUR };
        let path = rng.gen_range(0..100);
        let solved = path < 92 && t + DAY < now;
        if rng.gen_bool(0.3) {
            events.push(msg(t - 2 * MINUTE, MessageKind::Note, a, pick(rng, pack.notes)));
        }
        if path < 30 {
            // Asks for details and waits on the customer.
            let (asked, ask) = for_scenario(rng, topic.asks, v, n);
            events.push(msg(t, MessageKind::Public, a, ask));
            events.push(to(t, TicketStatus::Pending));
            t += rng.gen_range(2..40) * HOUR;
            events.push(msg(t, MessageKind::Public, c, topic.answers[asked]));
            t += rng.gen_range(10..240) * MINUTE;
        }
        if solved {
            events.push(msg(t, MessageKind::Public, a, for_scenario(rng, topic.fixes, v, n).1));
            events.push(to(t, TicketStatus::Solved));
            if path >= 84 {
                // Reopened by the customer a day later, solved again.
                t += rng.gen_range(12..36) * HOUR;
                events.push(msg(t, MessageKind::Public, c, pick(rng, pack.nudges)));
                t += rng.gen_range(1..6) * HOUR;
                events.push(msg(t, MessageKind::Public, a, for_scenario(rng, topic.fixes, v, n).1));
                events.push(to(t, TicketStatus::Solved));
            }
        } else if t < now {
            events.push(msg(t, MessageKind::Public, a, pick(rng, pack.updates)));
        }
        let solved_at = t;
        let input = ImportedTicket {
            subject: vars.fill(pick(rng, topic.subjects[v])),
            created_at: Timestamp(created),
            brand_id: Some(brand_id),
            channel: [Channel::Email, Channel::Chat, Channel::Web, Channel::Phone, Channel::Social][rng.gen_range(0..5)],
            language: Some(locale),
            priority: None,
            requester_id: Some(customer.id),
            assignee_id: Some(agent.user.id),
            team_id: Some(team),
            tags: topic.tags.iter().map(|t| t.to_string()).collect(),
            events: events
                .into_iter()
                .filter(|e| match e {
                    ImportedEvent::Message { at, .. } | ImportedEvent::Status { at, .. } => at.millis() < now,
                })
                .collect(),
        };
        let ticket = store.import_ticket(sys, &input).await?;
        out.tickets += 1;
        if rng.gen_bool(0.6) {
            let entry = NewTimeEntry {
                duration_seconds: rng.gen_range(5..45) * 60,
                started_at: Some(Timestamp(created + 10 * MINUTE)),
                source: None,
                note: None,
            };
            store.add_time_entry(&agent.actor, ticket.id, &entry).await?;
        }
        if solved && rng.gen_bool(0.45) {
            let survey = if rng.gen_bool(0.8) { &csat } else { &ces };
            let inv = store.invite_for_ticket(sys, survey.id, ticket.id).await?;
            let weights: &[(i64, u32)] = if survey.kind == SurveyKind::Csat {
                &[(1, 4), (2, 5), (3, 10), (4, 30), (5, 51)]
            } else {
                &[(2, 4), (3, 8), (4, 12), (5, 25), (6, 30), (7, 21)]
            };
            let s = score(rng, weights);
            let comment = (s >= 4 && rng.gen_bool(0.3)).then(|| vars.fill(pick(rng, pack.thanks)));
            let at = (solved_at + rng.gen_range(1..30) * HOUR).min(now - MINUTE);
            store.answer_survey(inv.id, &Answer { score: s, comment, answers: Default::default() }, Timestamp(at)).await?;
            out.answers += 1;
        }
    }

    // NPS: every contact with an address is asked; about half answer over the last two months.
    store.plan_survey_invitations(Timestamp(now), 1000).await?;
    for p in store.pending_invitations(1000).await? {
        if p.invitation.survey_id != nps.id {
            continue;
        }
        store.mark_invitation_sent(p.workspace_id, p.invitation.id, None).await?;
        if rng.gen_bool(0.5) {
            let s = score(rng, &[(10, 28), (9, 24), (8, 14), (7, 10), (6, 8), (5, 6), (4, 4), (3, 3), (2, 2), (0, 1)]);
            let at = now - rng.gen_range(1..60) * DAY - rng.gen_range(0..12) * HOUR;
            store.answer_survey(p.invitation.id, &Answer { score: s, comment: None, answers: Default::default() }, Timestamp(at)).await?;
            out.answers += 1;
        }
    }
    store.update_survey(sys, csat.id, &csat_input(3)).await?;
    store.update_survey(sys, ces.id, &SurveyInput { active: Some(false), ..ces_input(3) }).await?;
    store.update_survey(sys, nps.id, &nps_input(90)).await?;
    loop {
        if store.refresh_ticket_facts(Some(sys.workspace_id), 5_000).await?.remaining == 0 {
            break;
        }
    }
    Ok(out)
}
