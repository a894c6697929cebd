use super::MAX_QUERY_TERMS;
use crate::text::{deletes, distance, is_stopword, max_typos, stem, tokens};
use serde::Serialize;

/// A term of the user's query, folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    pub token: String,
    /// A stopword: it scores, but a document need not contain it.
    pub optional: bool,
    /// The word being typed: words starting with it match too.
    pub prefix: bool,
}

/// Folds and splits a query. `as_you_type`: the last term is unfinished
/// unless the query ends with a space.
pub fn parse_query(q: &str, as_you_type: bool) -> Vec<QueryTerm> {
    let mut terms: Vec<QueryTerm> = Vec::new();
    for t in tokens(q) {
        if terms.len() == MAX_QUERY_TERMS {
            break;
        }
        if !terms.iter().any(|x| x.token == t) {
            terms.push(QueryTerm { optional: is_stopword(&t), token: t, prefix: false });
        }
    }
    if terms.iter().all(|t| t.optional) {
        terms.iter_mut().for_each(|t| t.optional = false);
    }
    if as_you_type && !q.ends_with(char::is_whitespace) {
        if let Some(last) = terms.last_mut() {
            last.prefix = true;
            last.optional = false;
        }
    }
    terms
}

/// Whole query words of five letters or more also match longer words that
/// start with them (`serwis` → `serwisowy`, `invoice` → `invoices`).
/// Vietnamese syllables are complete words and rarely prefix another.
pub fn widens_by_prefix(token: &str) -> bool {
    token.chars().count() >= 5
}

/// What the store must look up in the vocabulary for a query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lookup {
    /// Exact words (with `""`, whose count is the number of indexed documents).
    pub terms: Vec<String>,
    /// Stems: rows whose `stem` is one of these.
    pub stems: Vec<String>,
    /// Deletion variants, for typo candidates of words not in the vocabulary.
    pub variants: Vec<String>,
    /// Prefixes: rows whose word starts with one of these.
    pub prefixes: Vec<String>,
}

impl Lookup {
    pub fn new(terms: &[QueryTerm]) -> Lookup {
        let mut l = Lookup { terms: vec![String::new()], ..Default::default() };
        for t in terms {
            l.terms.push(t.token.clone());
            let s = stem(&t.token);
            if !l.stems.iter().any(|x| x == s) {
                l.stems.push(s.to_string());
            }
            if t.prefix || widens_by_prefix(&t.token) {
                l.prefixes.push(t.token.clone());
            }
        }
        l
    }

    /// The variants to look up for the terms the vocabulary did not know.
    pub fn variants_for(terms: &[QueryTerm], known: &[VocabRow]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in terms {
            if max_typos(&t.token) == 0 || known.iter().any(|r| r.term == t.token && r.doc_count > 0) {
                continue;
            }
            for v in deletes(&t.token) {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        out
    }
}

/// A word of the vocabulary: how many indexed documents contain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabRow {
    pub term: String,
    pub stem: String,
    pub doc_count: i64,
}

/// `[start, end)` bounds of the words that start with `prefix` (bytewise, as
/// both backends compare with a binary collation).
pub fn prefix_range(prefix: &str) -> (String, String) {
    let mut end = prefix.to_string();
    match end.pop() {
        Some(c) => {
            let next = char::from_u32(c as u32 + 1).unwrap_or(char::MAX);
            end.push(next);
        }
        None => end.push(char::MAX),
    }
    (prefix.to_string(), end)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    Stem,
    Prefix,
    Typo,
}

impl MatchKind {
    /// How much a hit through this kind of widening counts, against an exact hit.
    pub fn weight(self) -> f64 {
        match self {
            MatchKind::Exact => 1.0,
            MatchKind::Stem => 0.85,
            MatchKind::Prefix => 0.75,
            MatchKind::Typo => 0.6,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    pub term: String,
    pub kind: MatchKind,
    pub doc_count: i64,
}

/// One query term and the indexed words it matches.
#[derive(Debug, Clone, PartialEq)]
pub struct TermGroup {
    pub query: String,
    pub optional: bool,
    pub expansions: Vec<Expansion>,
}

impl TermGroup {
    pub fn doc_count(&self) -> i64 {
        self.expansions.iter().map(|e| e.doc_count).max().unwrap_or(0)
    }
}

/// A query resolved against the vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub groups: Vec<TermGroup>,
    /// Documents in the index (for term weights).
    pub total_docs: i64,
}

const MAX_STEM_WORDS: usize = 8;
const MAX_PREFIX_WORDS: usize = 8;
const MAX_TYPO_WORDS: usize = 5;

/// Resolves the query terms against what the store found: `rows` for
/// [`Lookup::terms`], [`Lookup::stems`] and [`Lookup::prefixes`], `typo_rows`
/// for the variants.
pub fn build_plan(terms: &[QueryTerm], rows: &[VocabRow], typo_rows: &[VocabRow]) -> Plan {
    let total_docs = rows.iter().find(|r| r.term.is_empty()).map(|r| r.doc_count).unwrap_or(0);
    let live = |r: &&VocabRow| r.doc_count > 0 && !r.term.is_empty();
    let mut groups = Vec::with_capacity(terms.len());
    for t in terms {
        let mut ex: Vec<Expansion> = Vec::new();
        let push = |ex: &mut Vec<Expansion>, r: &VocabRow, kind: MatchKind| {
            if !ex.iter().any(|e| e.term == r.term) {
                ex.push(Expansion { term: r.term.clone(), kind, doc_count: r.doc_count });
            }
        };
        let exact = rows.iter().filter(live).find(|r| r.term == t.token);
        if let Some(r) = exact {
            push(&mut ex, r, MatchKind::Exact);
        }
        let s = stem(&t.token);
        let mut same_stem: Vec<&VocabRow> = rows.iter().filter(live).filter(|r| r.stem == s && r.term != t.token).collect();
        same_stem.sort_by(|a, b| b.doc_count.cmp(&a.doc_count).then_with(|| a.term.cmp(&b.term)));
        for r in same_stem.into_iter().take(MAX_STEM_WORDS) {
            push(&mut ex, r, MatchKind::Stem);
        }
        if t.prefix || widens_by_prefix(&t.token) {
            let mut starting: Vec<&VocabRow> =
                rows.iter().filter(live).filter(|r| r.term.starts_with(&t.token) && r.term != t.token).collect();
            starting.sort_by(|a, b| b.doc_count.cmp(&a.doc_count).then_with(|| a.term.cmp(&b.term)));
            for r in starting.into_iter().take(MAX_PREFIX_WORDS) {
                push(&mut ex, r, MatchKind::Prefix);
            }
        }
        if exact.is_none() {
            let budget = max_typos(&t.token);
            let mut close: Vec<(usize, &VocabRow)> = typo_rows
                .iter()
                .filter(live)
                .filter(|r| r.term != t.token)
                .map(|r| (distance(&t.token, &r.term), r))
                .filter(|(d, _)| *d <= budget)
                .collect();
            close.sort_by(|(da, a), (db, b)| da.cmp(db).then_with(|| b.doc_count.cmp(&a.doc_count)).then_with(|| a.term.cmp(&b.term)));
            for (_, r) in close.into_iter().take(MAX_TYPO_WORDS) {
                push(&mut ex, r, MatchKind::Typo);
            }
        }
        groups.push(TermGroup { query: t.token.clone(), optional: t.optional, expansions: ex });
    }
    Plan { groups, total_docs }
}

impl Plan {
    /// Whether requiring every term can match anything at all.
    pub fn all_required_resolvable(&self) -> bool {
        self.groups.iter().filter(|g| !g.optional).all(|g| !g.expansions.is_empty()) && self.groups.iter().any(|g| !g.optional)
    }

    /// Whether any term matches some indexed word.
    pub fn any_resolvable(&self) -> bool {
        self.groups.iter().any(|g| !g.expansions.is_empty())
    }

    /// Every indexed word a hit may be, for highlighting.
    pub fn hit_words(&self) -> Vec<&str> {
        self.groups.iter().flat_map(|g| g.expansions.iter().map(|e| e.term.as_str())).collect()
    }
}

fn groups_for(plan: &Plan, all: bool) -> Vec<&TermGroup> {
    plan.groups.iter().filter(|g| !g.expansions.is_empty() && (!all || !g.optional)).collect()
}

/// An FTS5 MATCH expression: every required term (`all`) or any term.
/// `None` when nothing can match.
pub fn fts5_match(plan: &Plan, all: bool) -> Option<String> {
    let groups = groups_for(plan, all);
    if groups.is_empty() || (all && !plan.all_required_resolvable()) {
        return None;
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|g| {
            let words: Vec<String> = g.expansions.iter().map(|e| format!("\"{}\"", e.term.replace('"', "\"\""))).collect();
            format!("({})", words.join(" OR "))
        })
        .collect();
    Some(parts.join(if all { " AND " } else { " OR " }))
}

/// A PostgreSQL `tsquery` literal for the same selection as [`fts5_match`].
pub fn tsquery(plan: &Plan, all: bool) -> Option<String> {
    let groups = groups_for(plan, all);
    if groups.is_empty() || (all && !plan.all_required_resolvable()) {
        return None;
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|g| {
            let words: Vec<String> =
                g.expansions.iter().map(|e| format!("'{}'", e.term.replace('\\', "\\\\").replace('\'', "''"))).collect();
            format!("({})", words.join(" | "))
        })
        .collect();
    Some(parts.join(if all { " & " } else { " | " }))
}

/// The `tsvector` literal of a normalised text: each word with its positions.
pub fn tsvector_literal(normalized: &str, weight: char) -> String {
    let mut positions: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, w) in normalized.split(' ').filter(|w| !w.is_empty()).enumerate() {
        // tsvector positions run 1..=16383; later ones share the last.
        positions.entry(w).or_default().push((i + 1).min(16383));
    }
    let mut out = String::new();
    for (w, ps) in positions {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('\'');
        out.push_str(&w.replace('\\', "\\\\").replace('\'', "''"));
        out.push_str("':");
        let mut ps = ps;
        ps.dedup();
        // At most 256 positions per word are kept by PostgreSQL.
        let list: Vec<String> = ps.iter().take(256).map(|p| format!("{p}{weight}")).collect();
        out.push_str(&list.join(","));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(term: &str, n: i64) -> VocabRow {
        VocabRow { term: term.into(), stem: stem(term).into(), doc_count: n }
    }

    #[test]
    fn query_terms() {
        let t = parse_query("Làm sao để đăng nhập", false);
        let toks: Vec<(&str, bool)> = t.iter().map(|t| (t.token.as_str(), t.optional)).collect();
        assert_eq!(toks, [("lam", true), ("sao", true), ("de", true), ("dang", false), ("nhap", false)]);
        let t = parse_query("how to", false);
        assert!(t.iter().all(|t| !t.optional), "all-stopword queries require their words");
        let t = parse_query("reset pass", true);
        assert!(t[1].prefix && !t[0].prefix);
        assert!(!parse_query("reset pass ", true)[1].prefix);
        assert_eq!(parse_query("a a a", false).len(), 1);
    }

    #[test]
    fn plan_widens_terms() {
        let terms = parse_query("faktury pasword", false);
        let rows = vec![row("", 40), row("faktura", 5), row("fakturze", 2), row("faktury", 1)];
        let typo_rows = vec![row("password", 7), row("passport", 3)];
        let plan = build_plan(&terms, &rows, &typo_rows);
        assert_eq!(plan.total_docs, 40);
        let f = &plan.groups[0];
        assert_eq!(f.expansions[0], Expansion { term: "faktury".into(), kind: MatchKind::Exact, doc_count: 1 });
        assert!(f.expansions.iter().any(|e| e.term == "faktura" && e.kind == MatchKind::Stem));
        let p = &plan.groups[1];
        assert_eq!(p.expansions.iter().map(|e| e.term.as_str()).collect::<Vec<_>>(), ["password"]);
        assert_eq!(p.expansions[0].kind, MatchKind::Typo);
        assert_eq!(fts5_match(&plan, true).unwrap(), "(\"faktury\" OR \"faktura\" OR \"fakturze\") AND (\"password\")");
        assert_eq!(tsquery(&plan, false).unwrap(), "('faktury' | 'faktura' | 'fakturze') | ('password')");
    }

    #[test]
    fn unknown_required_term_blocks_all_but_not_any() {
        let terms = parse_query("faktura zzzzqqq", false);
        let plan = build_plan(&terms, &[row("", 3), row("faktura", 1)], &[]);
        assert!(fts5_match(&plan, true).is_none());
        assert_eq!(fts5_match(&plan, false).unwrap(), "(\"faktura\")");
    }

    #[test]
    fn tsvector_literals() {
        assert_eq!(tsvector_literal("dich vu khach hang dich", 'A'), "'dich':1A,5A 'hang':4A 'khach':3A 'vu':2A");
        assert_eq!(prefix_range("pas"), ("pas".to_string(), "pat".to_string()));
    }
}
