//! The survey and time panel of the agent's ticket page: the answers about
//! this ticket (changed ones marked), the customer's other answers (their
//! timeline), open follow-up tasks, and the time logged with a form to log more.

use crate::pages::reports::texts::{texts, ReportTexts};
use crate::state::AppState;
use rapport_domain::{Actor, Id, Locale};
use rapport_store::surveys::{ResponseQuery, SurveyResponse, TaskQuery};

pub struct AnswerView {
    pub kind: &'static str,
    pub score: i64,
    pub max: i64,
    pub low: bool,
    pub comment: Option<String>,
    pub when: String,
    pub changed: bool,
    pub ticket_id: Option<Id>,
}

pub struct TaskView {
    pub id: Id,
    pub title: String,
    pub body: String,
    pub due: Option<String>,
}

pub struct SurveyPanel {
    pub r: &'static ReportTexts,
    pub ticket_id: Id,
    pub answers: Vec<AnswerView>,
    pub others: Vec<AnswerView>,
    pub tasks: Vec<TaskView>,
    pub time_logged: String,
    pub entries: usize,
}

fn answer_view(r: &SurveyResponse, alert_at_or_below: i64) -> AnswerView {
    AnswerView {
        kind: match r.kind {
            rapport_analytics::experience::SurveyKind::Csat => "CSAT",
            rapport_analytics::experience::SurveyKind::Ces => "CES",
            rapport_analytics::experience::SurveyKind::Nps => "NPS",
        },
        score: r.score,
        max: r.kind.scale().1,
        low: r.score <= alert_at_or_below,
        comment: r.comment.clone().filter(|c| !c.is_empty()),
        when: r.answered_at.to_datetime().format("%Y-%m-%d %H:%M").to_string(),
        changed: r.revision > 1,
        ticket_id: r.ticket_id,
    }
}

impl SurveyPanel {
    /// Everything the panel shows, as the actor may see it; empty parts when something cannot be read.
    pub async fn load(s: &AppState, actor: &Actor, ticket_id: Id, requester_id: Option<Id>, locale: Locale) -> SurveyPanel {
        let thresholds: std::collections::HashMap<Id, i64> =
            s.store.list_surveys(actor).await.unwrap_or_default().into_iter().map(|sv| (sv.id, sv.alert_at_or_below)).collect();
        let view = |r: &SurveyResponse| {
            answer_view(r, thresholds.get(&r.survey_id).copied().unwrap_or_else(|| r.kind.default_alert_at_or_below()))
        };
        let answers = s
            .store
            .list_responses(actor, &ResponseQuery { ticket_id: Some(ticket_id), limit: 20, ..Default::default() })
            .await
            .map(|p| p.items.iter().map(view).collect())
            .unwrap_or_default();
        let others = match requester_id {
            Some(c) => s
                .store
                .list_responses(actor, &ResponseQuery { contact_id: Some(c), limit: 6, ..Default::default() })
                .await
                .map(|p| p.items.iter().filter(|r| r.ticket_id != Some(ticket_id)).take(5).map(view).collect())
                .unwrap_or_default(),
            None => vec![],
        };
        let tasks = s
            .store
            .list_tasks(actor, &TaskQuery { ticket_id: Some(ticket_id), open_only: true, limit: 20, ..Default::default() })
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|t| TaskView {
                id: t.id,
                title: t.title,
                body: t.body,
                due: t.due_at.map(|d| d.to_datetime().format("%Y-%m-%d").to_string()),
            })
            .collect();
        let entries = s.store.list_time_entries(actor, ticket_id).await.unwrap_or_default();
        let r = texts(locale);
        let total: i64 = entries.iter().map(|e| e.duration_seconds * 1000).sum();
        SurveyPanel { r, ticket_id, answers, others, tasks, time_logged: r.duration(total), entries: entries.len() }
    }
}
