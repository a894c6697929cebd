//! Experience KPIs over survey responses: CSAT, NPS and CES, their score
//! distributions, and which responses each figure counts.
//!
//! A response counts in the period in which it was *first* answered, with its
//! *current* score: changing an answer (allowed within the survey's window)
//! moves it between bands but never counts it twice or moves it in time.

use crate::stats::{rate, round1};
use crate::{Millis, Period};
use rapport_domain::{Channel, Id, Locale};
use serde::Serialize;

rapport_domain::string_enum!(
    /// - `csat`: satisfaction with a solved ticket, 1–5;
    /// - `ces`: customer effort ("it was easy to get my issue handled"), 1–7, higher is easier;
    /// - `nps`: likelihood to recommend, 0–10, a relationship survey.
    SurveyKind, "kind" { Csat = "csat", Ces = "ces", Nps = "nps" }
);

impl SurveyKind {
    /// The lowest and highest score.
    pub fn scale(self) -> (i64, i64) {
        match self {
            SurveyKind::Csat => (1, 5),
            SurveyKind::Ces => (1, 7),
            SurveyKind::Nps => (0, 10),
        }
    }

    pub fn accepts(self, score: i64) -> bool {
        let (lo, hi) = self.scale();
        (lo..=hi).contains(&score)
    }

    /// The default "this needs a follow-up" threshold: CSAT 1–2, CES 1–3, NPS detractors 0–6.
    pub fn default_alert_at_or_below(self) -> i64 {
        match self {
            SurveyKind::Csat => 2,
            SurveyKind::Ces => 3,
            SurveyKind::Nps => 6,
        }
    }

    /// Whether the survey follows a ticket (CSAT, CES) or a relationship (NPS).
    pub fn follows_tickets(self) -> bool {
        !matches!(self, SurveyKind::Nps)
    }
}

/// An NPS answer's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsBand {
    /// 0–6.
    Detractor,
    /// 7–8.
    Passive,
    /// 9–10.
    Promoter,
}

pub fn nps_band(score: i64) -> NpsBand {
    match score {
        9.. => NpsBand::Promoter,
        7 | 8 => NpsBand::Passive,
        _ => NpsBand::Detractor,
    }
}

/// One answered survey as the KPIs see it. The ticket's dimensions are those
/// it had when the survey was sent (who handled it then is who is rated).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRow {
    pub id: Id,
    pub survey_id: Id,
    pub kind: SurveyKind,
    pub score: i64,
    pub answered_at: Millis,
    pub contact_id: Option<Id>,
    pub ticket_id: Option<Id>,
    pub agent_id: Option<Id>,
    pub team_id: Option<Id>,
    pub brand_id: Option<Id>,
    pub channel: Option<Channel>,
    pub language: Option<Locale>,
    pub has_comment: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Csat {
    pub responses: i64,
    /// Answers 4 or 5.
    pub satisfied: i64,
    /// `satisfied / responses`, in percent.
    pub percent: Option<f64>,
    /// Answers per score, 1 to 5.
    pub distribution: Vec<(i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Nps {
    pub responses: i64,
    pub promoters: i64,
    pub passives: i64,
    pub detractors: i64,
    /// `% promoters − % detractors`, from −100 to 100.
    pub score: Option<f64>,
    /// Answers per score, 0 to 10.
    pub distribution: Vec<(i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Ces {
    pub responses: i64,
    /// The mean score (1–7).
    pub mean: Option<f64>,
    /// Answers per score, 1 to 7.
    pub distribution: Vec<(i64, i64)>,
}

fn in_period<'a>(rows: &'a [ResponseRow], kind: SurveyKind, period: &'a Period) -> impl Iterator<Item = &'a ResponseRow> + 'a {
    rows.iter().filter(move |r| r.kind == kind && period.contains(r.answered_at))
}

fn distribution<'a>(kind: SurveyKind, scores: impl Iterator<Item = &'a ResponseRow>) -> Vec<(i64, i64)> {
    let (lo, hi) = kind.scale();
    let mut counts = vec![0i64; (hi - lo + 1) as usize];
    for r in scores {
        if kind.accepts(r.score) {
            counts[(r.score - lo) as usize] += 1;
        }
    }
    (lo..=hi).zip(counts).collect()
}

/// CSAT: the share of answers that are 4 or 5 on the 1–5 scale.
pub fn csat(rows: &[ResponseRow], period: &Period) -> Csat {
    let responses = in_period(rows, SurveyKind::Csat, period).count() as i64;
    let satisfied = in_period(rows, SurveyKind::Csat, period).filter(|r| r.score >= 4).count() as i64;
    Csat {
        responses,
        satisfied,
        percent: rate(satisfied, responses).map(round1),
        distribution: distribution(SurveyKind::Csat, in_period(rows, SurveyKind::Csat, period)),
    }
}

/// NPS: % promoters (9–10) − % detractors (0–6). Passives (7–8) count in the
/// total only.
pub fn nps(rows: &[ResponseRow], period: &Period) -> Nps {
    let mut n = Nps { distribution: distribution(SurveyKind::Nps, in_period(rows, SurveyKind::Nps, period)), ..Default::default() };
    for r in in_period(rows, SurveyKind::Nps, period) {
        n.responses += 1;
        match nps_band(r.score) {
            NpsBand::Promoter => n.promoters += 1,
            NpsBand::Passive => n.passives += 1,
            NpsBand::Detractor => n.detractors += 1,
        }
    }
    if n.responses > 0 {
        n.score = Some(round1((n.promoters - n.detractors) as f64 * 100.0 / n.responses as f64));
    }
    n
}

/// CES: the mean answer on the 1–7 scale.
pub fn ces(rows: &[ResponseRow], period: &Period) -> Ces {
    let scores: Vec<i64> = in_period(rows, SurveyKind::Ces, period).map(|r| r.score).collect();
    Ces {
        responses: scores.len() as i64,
        mean: crate::stats::mean(&scores).map(|m| (m * 100.0).round() / 100.0),
        distribution: distribution(SurveyKind::Ces, in_period(rows, SurveyKind::Ces, period)),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExperienceReport {
    pub csat: Csat,
    pub nps: Nps,
    pub ces: Ces,
}

pub fn report(rows: &[ResponseRow], period: &Period) -> ExperienceReport {
    ExperienceReport { csat: csat(rows, period), nps: nps(rows, period), ces: ces(rows, period) }
}

/// A number on the experience dashboard, as the responses it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseFigure {
    All(SurveyKind),
    /// CSAT 4–5.
    Satisfied,
    /// CSAT 1–3.
    NotSatisfied,
    Promoters,
    Passives,
    Detractors,
    Score(SurveyKind, i64),
}

impl ResponseFigure {
    pub fn key(&self) -> String {
        match self {
            ResponseFigure::All(k) => k.as_str().to_string(),
            ResponseFigure::Satisfied => "satisfied".into(),
            ResponseFigure::NotSatisfied => "not_satisfied".into(),
            ResponseFigure::Promoters => "promoters".into(),
            ResponseFigure::Passives => "passives".into(),
            ResponseFigure::Detractors => "detractors".into(),
            ResponseFigure::Score(k, s) => format!("{}:{s}", k.as_str()),
        }
    }

    pub fn parse(s: &str) -> Option<ResponseFigure> {
        let f = match s.split_once(':') {
            Some((k, n)) => {
                let kind = SurveyKind::parse(k).ok()?;
                let n: i64 = n.parse().ok()?;
                if !kind.accepts(n) {
                    return None;
                }
                ResponseFigure::Score(kind, n)
            }
            None => match s {
                "satisfied" => ResponseFigure::Satisfied,
                "not_satisfied" => ResponseFigure::NotSatisfied,
                "promoters" => ResponseFigure::Promoters,
                "passives" => ResponseFigure::Passives,
                "detractors" => ResponseFigure::Detractors,
                other => ResponseFigure::All(SurveyKind::parse(other).ok()?),
            },
        };
        Some(f)
    }

    pub fn kind(&self) -> SurveyKind {
        match self {
            ResponseFigure::All(k) | ResponseFigure::Score(k, _) => *k,
            ResponseFigure::Satisfied | ResponseFigure::NotSatisfied => SurveyKind::Csat,
            ResponseFigure::Promoters | ResponseFigure::Passives | ResponseFigure::Detractors => SurveyKind::Nps,
        }
    }

    pub fn counts(&self, r: &ResponseRow, period: &Period) -> bool {
        if r.kind != self.kind() || !period.contains(r.answered_at) {
            return false;
        }
        match self {
            ResponseFigure::All(_) => true,
            ResponseFigure::Satisfied => r.score >= 4,
            ResponseFigure::NotSatisfied => r.score < 4,
            ResponseFigure::Promoters => nps_band(r.score) == NpsBand::Promoter,
            ResponseFigure::Passives => nps_band(r.score) == NpsBand::Passive,
            ResponseFigure::Detractors => nps_band(r.score) == NpsBand::Detractor,
            ResponseFigure::Score(_, s) => r.score == *s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P0: Millis = 1_772_323_200_000;

    fn period() -> Period {
        Period::new(P0, P0 + 1_000_000).unwrap()
    }

    fn resp(id: Id, kind: SurveyKind, score: i64) -> ResponseRow {
        ResponseRow {
            id,
            survey_id: 1,
            kind,
            score,
            answered_at: P0 + id,
            contact_id: None,
            ticket_id: None,
            agent_id: None,
            team_id: None,
            brand_id: None,
            channel: None,
            language: None,
            has_comment: false,
        }
    }

    #[test]
    fn csat_is_the_share_of_fours_and_fives() {
        // 5, 4, 3, 1 → 2 satisfied of 4 = 50%.
        let rows =
            vec![resp(1, SurveyKind::Csat, 5), resp(2, SurveyKind::Csat, 4), resp(3, SurveyKind::Csat, 3), resp(4, SurveyKind::Csat, 1)];
        let c = csat(&rows, &period());
        assert_eq!((c.responses, c.satisfied, c.percent), (4, 2, Some(50.0)));
        assert_eq!(c.distribution, vec![(1, 1), (2, 0), (3, 1), (4, 1), (5, 1)]);
        // A response answered outside the period does not count, however recent its change.
        let mut late = resp(5, SurveyKind::Csat, 5);
        late.answered_at = P0 - 1;
        assert_eq!(csat(&[late], &period()).responses, 0);
    }

    #[test]
    fn nps_without_passives() {
        // Three promoters (10, 9, 9), one detractor (6), no passives:
        // 75% − 25% = 50.
        let rows =
            vec![resp(1, SurveyKind::Nps, 10), resp(2, SurveyKind::Nps, 9), resp(3, SurveyKind::Nps, 9), resp(4, SurveyKind::Nps, 6)];
        let n = nps(&rows, &period());
        assert_eq!((n.promoters, n.passives, n.detractors, n.score), (3, 0, 1, Some(50.0)));
        // Only detractors: −100. Only passives: 0, not "no score".
        assert_eq!(nps(&[resp(1, SurveyKind::Nps, 0)], &period()).score, Some(-100.0));
        assert_eq!(nps(&[resp(1, SurveyKind::Nps, 7), resp(2, SurveyKind::Nps, 8)], &period()).score, Some(0.0));
        assert_eq!(nps(&[], &period()).score, None);
    }

    #[test]
    fn ces_is_a_mean() {
        let rows = vec![resp(1, SurveyKind::Ces, 7), resp(2, SurveyKind::Ces, 5), resp(3, SurveyKind::Ces, 2)];
        let c = ces(&rows, &period());
        assert_eq!((c.responses, c.mean), (3, Some(4.67)));
    }

    #[test]
    fn figures_pick_their_responses() {
        let rows = [resp(1, SurveyKind::Nps, 10), resp(2, SurveyKind::Nps, 7), resp(3, SurveyKind::Csat, 4)];
        let picked = |f: ResponseFigure| rows.iter().filter(|r| f.counts(r, &period())).map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(picked(ResponseFigure::Promoters), vec![1]);
        assert_eq!(picked(ResponseFigure::Passives), vec![2]);
        assert_eq!(picked(ResponseFigure::Satisfied), vec![3]);
        assert_eq!(picked(ResponseFigure::All(SurveyKind::Nps)), vec![1, 2]);
        for f in [ResponseFigure::Detractors, ResponseFigure::Score(SurveyKind::Ces, 7), ResponseFigure::All(SurveyKind::Csat)] {
            assert_eq!(ResponseFigure::parse(&f.key()), Some(f));
        }
        assert_eq!(ResponseFigure::parse("csat:6"), None);
        assert_eq!(ResponseFigure::parse("nps:0"), Some(ResponseFigure::Score(SurveyKind::Nps, 0)));
    }
}
