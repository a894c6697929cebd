//! Per-agent and per-team scorecards: the service and experience figures of
//! the period, attributed as follows.
//!
//! | figure | agent | team |
//! |---|---|---|
//! | solved, reopen %, FCR %, TTR | the ticket's assignee now | the ticket's team now |
//! | FRT | who sent the first public reply | the ticket's team now |
//! | AHT | who logged the time | the ticket's team now |
//! | CSAT, CES | the assignee when the survey was sent | the team when the survey was sent |
//!
//! Tickets with no assignee (or no team) are gathered under "nobody" (`key: None`).

use crate::experience::{self, ResponseRow};
use crate::service::{self, FactRow, FigureContext, TicketFigure, TimeEntryRow};
use crate::stats::{summary, Summary};
use crate::{Millis, Period};
use rapport_domain::Id;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Scorecard {
    /// The agent's user id or the team id; `None` for unassigned work.
    pub key: Option<Id>,
    /// Tickets first solved in the period.
    pub solved: i64,
    pub reopen_rate: Option<f64>,
    pub fcr_rate: Option<f64>,
    pub frt: Summary,
    pub ttr_net: Summary,
    pub aht: service::Aht,
    pub csat: experience::Csat,
    pub ces: experience::Ces,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum By {
    Agent,
    Team,
}

pub fn scorecards(
    by: By,
    rows: &[FactRow],
    entries: &[TimeEntryRow],
    responses: &[ResponseRow],
    period: &Period,
    now: Millis,
) -> Vec<Scorecard> {
    let owner = |r: &FactRow| match by {
        By::Agent => r.assignee_id,
        By::Team => r.team_id,
    };
    let responder = |r: &FactRow| match by {
        By::Agent => r.facts.first_responder_id,
        By::Team => r.team_id,
    };
    let entry_key = |e: &TimeEntryRow| match by {
        By::Agent => Some(e.user_id),
        By::Team => e.team_id,
    };
    let response_key = |r: &ResponseRow| match by {
        By::Agent => r.agent_id,
        By::Team => r.team_id,
    };

    let ctx = FigureContext::new(*period, now);
    let mut keys: BTreeSet<Option<Id>> = BTreeSet::new();
    for r in rows {
        if TicketFigure::Solved.counts(r, &ctx) || TicketFigure::Resolved.counts(r, &ctx) {
            keys.insert(owner(r));
        }
        if TicketFigure::Responded.counts(r, &ctx) {
            keys.insert(responder(r));
        }
    }
    keys.extend(entries.iter().filter(|e| period.contains(e.started_at)).map(entry_key));
    keys.extend(responses.iter().filter(|r| period.contains(r.answered_at)).map(response_key));

    let mut by_key: BTreeMap<Option<Id>, Scorecard> = BTreeMap::new();
    for key in keys {
        let owned: Vec<FactRow> = rows.iter().filter(|r| owner(r) == key).cloned().collect();
        let res = service::resolution(&owned, period, now);
        let ttr = service::ttr(&owned, period, now, false);
        let mut frt: Vec<i64> =
            rows.iter().filter(|r| responder(r) == key && TicketFigure::Responded.counts(r, &ctx)).filter_map(|r| r.facts.frt_ms).collect();
        let mine: Vec<TimeEntryRow> = entries.iter().filter(|e| entry_key(e) == key).cloned().collect();
        let rated: Vec<ResponseRow> = responses.iter().filter(|r| response_key(r) == key).cloned().collect();
        by_key.insert(
            key,
            Scorecard {
                key,
                solved: res.solved,
                reopen_rate: res.reopen_rate,
                fcr_rate: res.fcr_rate,
                frt: summary(&mut frt),
                ttr_net: ttr.net,
                aht: service::aht(&mine, period),
                csat: experience::csat(&rated, period),
                ces: experience::ces(&rated, period),
            },
        );
    }
    // Busiest first; "nobody" last.
    let mut cards: Vec<Scorecard> = by_key.into_values().collect();
    cards.sort_by(|a, b| a.key.is_none().cmp(&b.key.is_none()).then(b.solved.cmp(&a.solved)).then(a.key.cmp(&b.key)));
    cards
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experience::SurveyKind;
    use crate::ticket::TicketFacts;
    use crate::{DAY, HOUR, MINUTE};
    use rapport_domain::{Channel, Priority, TicketStatus};

    const P0: Millis = 1_772_323_200_000;

    fn row(id: Id, assignee: Option<Id>, responder: Option<Id>, frt: Millis, solved: bool) -> FactRow {
        FactRow {
            ticket_id: id,
            created_at: P0 + HOUR,
            brand_id: None,
            team_id: Some(100),
            assignee_id: assignee,
            channel: Channel::Chat,
            language: None,
            priority: Priority::Normal,
            status: if solved { TicketStatus::Solved } else { TicketStatus::Open },
            merged: false,
            tags: vec![],
            facts: TicketFacts {
                customer_initiated: true,
                first_response_at: Some(P0 + HOUR + frt),
                first_responder_id: responder,
                frt_ms: Some(frt),
                first_solved_at: solved.then_some(P0 + 2 * HOUR),
                resolved_at: solved.then_some(P0 + 2 * HOUR),
                ttr_ms: solved.then_some(HOUR),
                ttr_net_ms: solved.then_some(HOUR),
                agent_replies: 1,
                fcr: solved,
                unresolved: !solved,
                ..Default::default()
            },
        }
    }

    #[test]
    fn frt_goes_to_the_first_responder_and_tickets_to_the_assignee() {
        // Ticket 1: Lan (7) answered first, but it now belongs to Piotr (8), who solved it.
        // Ticket 2: Lan answered and solved. Ticket 3: nobody's, answered by Piotr, solved.
        let rows = vec![
            row(1, Some(8), Some(7), 10 * MINUTE, true),
            row(2, Some(7), Some(7), 30 * MINUTE, true),
            row(3, None, Some(8), 5 * MINUTE, true),
        ];
        let responses = vec![ResponseRow {
            id: 1,
            survey_id: 1,
            kind: SurveyKind::Csat,
            score: 5,
            answered_at: P0 + DAY,
            contact_id: None,
            ticket_id: Some(1),
            agent_id: Some(8),
            team_id: Some(100),
            brand_id: None,
            channel: None,
            language: None,
            has_comment: false,
        }];
        let p = Period::new(P0, P0 + 7 * DAY).unwrap();
        let cards = scorecards(By::Agent, &rows, &[], &responses, &p, P0 + 8 * DAY);
        let card = |k: Option<Id>| cards.iter().find(|c| c.key == k).unwrap();
        assert_eq!((card(Some(7)).solved, card(Some(7)).frt.count, card(Some(7)).frt.median), (1, 2, Some(20 * MINUTE)));
        assert_eq!((card(Some(8)).solved, card(Some(8)).frt.count, card(Some(8)).csat.percent), (1, 1, Some(100.0)));
        assert_eq!((cards.last().unwrap().key, cards.last().unwrap().solved), (None, 1), "unassigned work comes last");
        let teams = scorecards(By::Team, &rows, &[], &responses, &p, P0 + 8 * DAY);
        assert_eq!((teams.len(), teams[0].solved, teams[0].frt.count), (1, 3, 3));
    }
}
