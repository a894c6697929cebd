//! Scoring, the same on both backends: BM25 over title and body (the title
//! counts more), each hit weighted by how it matched (exact, stem, prefix,
//! typo), times the share of required terms found, plus a bonus for query
//! terms found next to each other (so `dich vu khach hang` prefers the phrase
//! over scattered syllables). Ties go to the lower id.

use super::plan::{MatchKind, Plan};

/// A document as the store fetched it: its normalised title and body.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub id: i64,
    pub title: &'a str,
    pub body: &'a str,
    /// A small multiplier for a preferred language, feedback and the like (1.0: none).
    pub boost: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub id: i64,
    pub score: f64,
    /// How many of the query's required terms the document contains.
    pub matched: usize,
    /// Some hit is an exact, stem or prefix match, not only typo corrections.
    pub solid: bool,
}

const K1: f64 = 1.2;
const B: f64 = 0.75;
const AVG_TITLE: f64 = 8.0;
const AVG_BODY: f64 = 250.0;
const TITLE_WEIGHT: f64 = 2.5;
const OPTIONAL_WEIGHT: f64 = 0.2;

fn bm25(tf: f64, len: f64, avg: f64) -> f64 {
    if tf == 0.0 {
        return 0.0;
    }
    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg))
}

/// For each position of `words`, the index of the query group it matches and the hit's weight.
fn hits(plan: &Plan, words: &[&str]) -> Vec<Option<(usize, f64)>> {
    words
        .iter()
        .map(|w| {
            plan.groups.iter().enumerate().find_map(|(gi, g)| g.expansions.iter().find(|e| e.term == *w).map(|e| (gi, e.kind.weight())))
        })
        .collect()
}

fn score_one(plan: &Plan, c: &Candidate) -> Ranked {
    let title: Vec<&str> = c.title.split(' ').filter(|w| !w.is_empty()).collect();
    let body: Vec<&str> = c.body.split(' ').filter(|w| !w.is_empty()).collect();
    let th = hits(plan, &title);
    let bh = hits(plan, &body);
    let n = plan.total_docs.max(1) as f64;
    let mut score = 0.0;
    let mut matched = 0;
    let mut required = 0;
    let mut idfs = Vec::with_capacity(plan.groups.len());
    let typo = MatchKind::Typo.weight();
    let solid = th.iter().chain(bh.iter()).flatten().any(|(_, w)| *w != typo);
    for (gi, g) in plan.groups.iter().enumerate() {
        let df = (g.doc_count() as f64).min(n);
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        idfs.push(idf);
        let tf_t: f64 = th.iter().flatten().filter(|(i, _)| *i == gi).map(|(_, w)| w).sum();
        let tf_b: f64 = bh.iter().flatten().filter(|(i, _)| *i == gi).map(|(_, w)| w).sum();
        let s = idf * (TITLE_WEIGHT * bm25(tf_t, title.len() as f64, AVG_TITLE) + bm25(tf_b, body.len() as f64, AVG_BODY));
        if g.optional {
            score += OPTIONAL_WEIGHT * s;
        } else {
            required += 1;
            if tf_t + tf_b > 0.0 {
                matched += 1;
            }
            score += s;
        }
    }
    // Neighbours: query group i followed by group i+1, once per pair and field.
    let mut phrase = 0.0;
    for (field, weight) in [(&th, 1.5), (&bh, 0.75)] {
        for gi in 0..plan.groups.len().saturating_sub(1) {
            let found = field.windows(2).any(|w| matches!((w[0], w[1]), (Some((a, _)), Some((b, _))) if a == gi && b == gi + 1));
            if found {
                phrase += weight * (idfs[gi] + idfs[gi + 1]) / 2.0;
            }
        }
    }
    score += phrase;
    let coverage = if required == 0 { 1.0 } else { matched as f64 / required as f64 };
    Ranked { id: c.id, score: score * (0.25 + 0.75 * coverage) * c.boost, matched, solid }
}

/// The candidates, best first.
pub fn rank(plan: &Plan, candidates: &[Candidate]) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = candidates.iter().map(|c| score_one(plan, c)).filter(|r| r.score > 0.0).collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{build_plan, parse_query, VocabRow};
    use crate::text::{normalize, stem};

    fn plan_for(q: &str, docs: &[(&str, &str)]) -> Plan {
        let mut counts: std::collections::BTreeMap<String, i64> = Default::default();
        for (t, b) in docs {
            let mut seen: Vec<String> = normalize(&format!("{t} {b}")).split(' ').map(str::to_string).collect();
            seen.sort();
            seen.dedup();
            for w in seen {
                *counts.entry(w).or_default() += 1;
            }
        }
        let mut rows: Vec<VocabRow> = counts.into_iter().map(|(t, n)| VocabRow { stem: stem(&t).into(), term: t, doc_count: n }).collect();
        rows.push(VocabRow { term: String::new(), stem: String::new(), doc_count: docs.len() as i64 });
        build_plan(&parse_query(q, false), &rows, &[])
    }

    #[test]
    fn phrase_and_title_win() {
        let docs = [
            ("Giờ làm việc", "Bộ phận dịch vụ khách hàng làm việc từ 8 giờ."),
            ("Dịch vụ khách hàng", "Liên hệ tổng đài."),
            ("Hàng mới về", "Khách có thể đặt trước. Dịch thuật miễn phí, vụ việc khác."),
        ];
        let norm: Vec<(String, String)> = docs.iter().map(|(t, b)| (normalize(t), normalize(b))).collect();
        let cands: Vec<Candidate> =
            norm.iter().enumerate().map(|(i, (t, b))| Candidate { id: i as i64 + 1, title: t, body: b, boost: 1.0 }).collect();
        let ranked = rank(&plan_for("dich vu khach hang", &docs), &cands);
        assert_eq!(ranked.iter().map(|r| r.id).collect::<Vec<_>>(), [2, 1, 3]);
        assert!(ranked.iter().all(|r| r.matched == 4));
    }

    #[test]
    fn documents_without_hits_are_dropped_and_ties_go_to_the_lower_id() {
        let docs = [("a", "faktura"), ("b", "faktura"), ("c", "paragon")];
        let norm: Vec<(String, String)> = docs.iter().map(|(t, b)| (normalize(t), normalize(b))).collect();
        let cands: Vec<Candidate> =
            norm.iter().enumerate().map(|(i, (t, b))| Candidate { id: 10 - i as i64, title: t, body: b, boost: 1.0 }).collect();
        let ranked = rank(&plan_for("faktura", &docs), &cands);
        assert_eq!(ranked.iter().map(|r| r.id).collect::<Vec<_>>(), [9, 10]);
    }
}
