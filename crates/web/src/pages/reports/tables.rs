//! The reports' tables, built once for the page and for CSV. Every count
//! links to the records it counts.

use super::texts::{texts, ReportTexts};
use crate::pages::desk_i18n::desk_texts;
use crate::reporting::drill::{ResponseList, TicketList};
use crate::reporting::table::{Cell, Table};
use crate::reporting::Scope;
use rapport_analytics::chart::fmt_num;
use rapport_analytics::experience::ResponseFigure;
use rapport_analytics::scorecard::Scorecard;
use rapport_analytics::service::{ServiceReport, TicketFigure};
use rapport_domain::Locale;
use std::collections::HashMap;

pub const TICKETS: &str = "/reports/tickets";
pub const RESPONSES: &str = "/reports/responses";

fn csv_href(base: &str, query: &str, key: &str) -> String {
    let sep = if query.is_empty() { "" } else { "&" };
    format!("{base}?{query}{sep}format=csv&table={key}")
}

fn num(n: i64) -> String {
    n.to_string()
}

fn pct(p: Option<f64>) -> String {
    p.map(|v| format!("{}%", fmt_num(v))).unwrap_or_else(|| "—".into())
}

/// The service dashboard's breakdown tables.
pub fn service_tables(r: &ServiceReport, scope: &Scope, t: &ReportTexts, locale: Locale, brands: &HashMap<i64, String>) -> Vec<Table> {
    let d = desk_texts(locale);
    let q = scope.query();
    let link = |n: i64, f: TicketFigure| Cell::link(num(n), scope.drill(TICKETS, &f.key()));
    let mut tables = Vec::new();
    tables.push(Table {
        key: "by_channel",
        title: format!("{} {}", t.volume, t.by_channel),
        columns: vec![t.channel.into(), t.tickets.into()],
        rows: r.volume.by_channel.iter().map(|(c, n)| vec![Cell::text(d.value(c.as_str())), link(*n, TicketFigure::Channel(*c))]).collect(),
        csv_href: csv_href("/reports", &q, "by_channel"),
    });
    tables.push(Table {
        key: "by_language",
        title: format!("{} {}", t.volume, t.by_language),
        columns: vec![t.language.into(), t.tickets.into()],
        rows: r
            .volume
            .by_language
            .iter()
            .map(|(l, n)| {
                vec![
                    Cell::text(l.map(|l| d.value(l.as_str()).to_string()).unwrap_or_else(|| t.none.into())),
                    link(*n, TicketFigure::Language(*l)),
                ]
            })
            .collect(),
        csv_href: csv_href("/reports", &q, "by_language"),
    });
    tables.push(Table {
        key: "by_brand",
        title: format!("{} {}", t.volume, t.by_brand),
        columns: vec![t.brand.into(), t.tickets.into()],
        rows: r
            .volume
            .by_brand
            .iter()
            .map(|(b, n)| {
                let name = b.map(|b| brands.get(&b).cloned().unwrap_or_else(|| format!("#{b}"))).unwrap_or_else(|| t.none.into());
                vec![Cell::text(name), link(*n, TicketFigure::Brand(*b))]
            })
            .collect(),
        csv_href: csv_href("/reports", &q, "by_brand"),
    });
    tables.push(Table {
        key: "by_tag",
        title: format!("{} {}", t.volume, t.by_tag),
        columns: vec!["Tag".into(), t.tickets.into()],
        rows: r.volume.by_tag.iter().map(|(g, n)| vec![Cell::text(g.clone()), link(*n, TicketFigure::Tag(g.clone()))]).collect(),
        csv_href: csv_href("/reports", &q, "by_tag"),
    });
    tables.push(Table {
        key: "backlog",
        title: format!("{} {}", t.backlog, t.by_status),
        columns: vec![t.status.into(), t.tickets.into()],
        rows: r
            .backlog
            .by_status
            .iter()
            .map(|(s, n)| vec![Cell::text(d.value(s.as_str())), link(*n, TicketFigure::BacklogStatus(*s))])
            .collect(),
        csv_href: csv_href("/reports", &q, "backlog"),
    });
    tables
}

/// A scorecard table: one row per agent or team.
pub fn scorecard_table(
    cards: &[Scorecard],
    names: &HashMap<i64, String>,
    scope: &Scope,
    t: &ReportTexts,
    param: &'static str,
    page: &str,
) -> Table {
    let rows = cards
        .iter()
        .map(|c| {
            let name = c.key.map(|k| names.get(&k).cloned().unwrap_or_else(|| format!("#{k}"))).unwrap_or_else(|| t.nobody.into());
            let narrowed =
                |f: &str| c.key.map(|k| format!("{TICKETS}?{}", scope.query_with(&[(param, k.to_string()), ("figure", f.to_string())])));
            let cell = |text: String, href: Option<String>| Cell { text, href };
            vec![
                Cell::text(name),
                cell(num(c.solved), narrowed("solved")),
                cell(pct(c.reopen_rate), narrowed("reopened")),
                cell(pct(c.fcr_rate), narrowed("fcr")),
                Cell::text(t.duration_opt(c.frt.median)),
                cell(t.duration_opt(c.ttr_net.median), narrowed("resolved")),
                cell(t.duration_opt(c.aht.aht_ms), narrowed("handled")),
                cell(
                    pct(c.csat.percent),
                    c.key.map(|k| format!("{RESPONSES}?{}", scope.query_with(&[(param, k.to_string()), ("figure", "csat".to_string())]))),
                ),
                Cell::text(c.ces.mean.map(fmt_num).unwrap_or_else(|| "—".into())),
            ]
        })
        .collect();
    Table {
        key: "scorecards",
        title: String::new(),
        columns: vec![
            if param == "agent" { t.agent.into() } else { t.team.into() },
            t.solved_first.into(),
            t.reopen_rate.into(),
            t.fcr.into(),
            format!("{} ({})", t.frt, t.median),
            format!("{} ({}, {})", t.ttr, t.ttr_net, t.median),
            t.aht.into(),
            "CSAT".into(),
            "CES".into(),
        ],
        rows,
        csv_href: csv_href(page, &scope.query(), "scorecards"),
    }
}

/// A drill-down's tickets.
pub fn ticket_list_table(list: &TicketList, locale: Locale, query: &str) -> Table {
    let t = texts(locale);
    let d = desk_texts(locale);
    let has_measure = list.items.iter().any(|(_, m)| m.is_some());
    let mut columns = vec![t.ticket.to_string(), t.subject.into(), t.status.into(), t.channel.into(), t.created.into()];
    if has_measure {
        columns.push(t.value.into());
    }
    let rows = list
        .items
        .iter()
        .map(|(b, m)| {
            let mut row = vec![
                Cell::link(format!("#{}", b.id), format!("/tickets/{}", b.id)),
                Cell::link(b.subject.clone(), format!("/tickets/{}", b.id)),
                Cell::text(d.value(b.status.as_str())),
                Cell::text(d.value(b.channel.as_str())),
                Cell::text(b.created_at.to_datetime().format("%Y-%m-%d %H:%M").to_string()),
            ];
            if has_measure {
                row.push(Cell::text(t.duration_opt(*m)));
            }
            row
        })
        .collect();
    Table { key: "tickets", title: String::new(), columns, rows, csv_href: csv_href(TICKETS, query, "tickets") }
}

/// A drill-down's survey answers.
pub fn response_list_table(list: &ResponseList, locale: Locale, query: &str) -> Table {
    let t = texts(locale);
    let rows = list
        .items
        .iter()
        .map(|r| {
            let changed = if r.revision > 1 { format!(" ({})", t.changed) } else { String::new() };
            vec![
                Cell::text(r.answered_at.to_datetime().format("%Y-%m-%d %H:%M").to_string()),
                Cell::text(r.kind.as_str().to_uppercase()),
                Cell::text(format!("{}{changed}", r.score)),
                Cell::text(r.comment.clone().unwrap_or_default()),
                match r.ticket_id {
                    Some(id) => Cell::link(format!("#{id}"), format!("/tickets/{id}")),
                    None => Cell::text("—"),
                },
            ]
        })
        .collect();
    Table {
        key: "responses",
        title: String::new(),
        columns: vec![t.answered.into(), "Survey".into(), t.score.into(), t.comment.into(), t.ticket.into()],
        rows,
        csv_href: csv_href(RESPONSES, query, "responses"),
    }
}

/// The experience dashboard's distribution tables, one per kind.
pub fn experience_tables(r: &rapport_analytics::experience::ExperienceReport, scope: &Scope, t: &ReportTexts) -> Vec<Table> {
    use rapport_analytics::experience::SurveyKind;
    let q = scope.query();
    [
        (SurveyKind::Csat, &r.csat.distribution, "csat"),
        (SurveyKind::Nps, &r.nps.distribution, "nps"),
        (SurveyKind::Ces, &r.ces.distribution, "ces"),
    ]
    .into_iter()
    .map(|(kind, dist, key)| Table {
        key,
        title: format!("{} — {}", t.kind(kind), t.distribution),
        columns: vec![t.score.into(), t.answers.into()],
        rows: dist
            .iter()
            .map(|(score, n)| {
                vec![Cell::text(score.to_string()), Cell::link(num(*n), scope.drill(RESPONSES, &ResponseFigure::Score(kind, *score).key()))]
            })
            .collect(),
        csv_href: csv_href("/reports/experience", &q, key),
    })
    .collect()
}
