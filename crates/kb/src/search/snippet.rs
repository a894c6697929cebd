//! Highlighted excerpts. Hits are found on the original text's words (folded
//! the same way as the index), so `dang nhap` marks `Đăng nhập` as written.
//! Output is HTML: the text escaped, hits in `<mark>`.

use super::plan::Plan;
use crate::text::{word_spans, WordSpan};

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// The query group each word hits, if any.
fn word_hits(plan: &Plan, spans: &[WordSpan]) -> Vec<Option<usize>> {
    spans.iter().map(|s| plan.groups.iter().position(|g| g.expansions.iter().any(|e| s.tokens.contains(&e.term)))).collect()
}

fn render(text: &str, spans: &[WordSpan], hits: &[Option<usize>], from: usize, to: usize) -> String {
    let mut out = String::with_capacity(text.len() / 2);
    let start = if from == 0 { 0 } else { spans[from].start };
    let end = if to == spans.len() { text.len() } else { spans[to - 1].end };
    let mut at = start;
    for i in from..to {
        let s = &spans[i];
        escape_into(&mut out, &text[at..s.start]);
        if hits[i].is_some() {
            out.push_str("<mark>");
            escape_into(&mut out, &text[s.start..s.end]);
            out.push_str("</mark>");
        } else {
            escape_into(&mut out, &text[s.start..s.end]);
        }
        at = s.end;
    }
    escape_into(&mut out, &text[at..end]);
    let mut out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if from > 0 {
        out.insert_str(0, "… ");
    }
    if to < spans.len() {
        out.push_str(" …");
    }
    out
}

/// The whole text, escaped, with hits marked (for titles).
pub fn highlight(text: &str, plan: &Plan) -> String {
    let spans = word_spans(text);
    let hits = word_hits(plan, &spans);
    render(text, &spans, &hits, 0, spans.len())
}

/// An excerpt of about `words` words around the densest cluster of hits
/// (most distinct query terms, then most hits, then earliest).
pub fn snippet(text: &str, plan: &Plan, words: usize) -> String {
    let spans = word_spans(text);
    let words = words.max(1);
    if spans.len() <= words {
        let hits = word_hits(plan, &spans);
        return render(text, &spans, &hits, 0, spans.len());
    }
    let hits = word_hits(plan, &spans);
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, start)
    for start in 0..=spans.len() - words {
        let window = &hits[start..start + words];
        let mut groups: Vec<usize> = window.iter().flatten().copied().collect();
        let count = groups.len();
        groups.sort_unstable();
        groups.dedup();
        if (groups.len(), count) > (best.0, best.1) {
            best = (groups.len(), count, start);
        }
    }
    // Start a little before the first hit, so it has some context.
    let mut from = best.2;
    if best.1 > 0 {
        let first_hit = (best.2..best.2 + words).find(|&i| hits[i].is_some()).unwrap_or(best.2);
        from = first_hit.saturating_sub(words / 4).min(spans.len() - words);
    }
    render(text, &spans, &hits, from, from + words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{build_plan, parse_query, VocabRow};
    use crate::text::{normalize, stem};

    fn plan(q: &str, text: &str) -> Plan {
        let mut rows: Vec<VocabRow> =
            normalize(text).split(' ').map(|t| VocabRow { term: t.into(), stem: stem(t).into(), doc_count: 1 }).collect();
        rows.dedup();
        build_plan(&parse_query(q, false), &rows, &[])
    }

    #[test]
    fn marks_words_as_written() {
        let text = "Cách đăng nhập: mở ứng dụng <b>và</b> bấm Đăng nhập.";
        let html = highlight(text, &plan("dang nhap", text));
        assert_eq!(
            html,
            "Cách <mark>đăng</mark> <mark>nhập</mark>: mở ứng dụng &lt;b&gt;và&lt;/b&gt; bấm <mark>Đăng</mark> <mark>nhập</mark>."
        );
    }

    #[test]
    fn excerpt_centres_on_the_hits() {
        let filler = "Lorem ipsum dolor sit amet. ".repeat(20);
        let text = format!("{filler}Kasa fiskalna drukuje żółty paragon w Łodzi. {filler}");
        let s = snippet(&text, &plan("zolty lodz", &text), 12);
        assert!(s.starts_with("… ") && s.ends_with(" …"), "{s}");
        // `lodz` reaches the inflected `Łodzi` through its stem.
        assert!(s.contains("<mark>żółty</mark>") && s.contains("<mark>Łodzi</mark>"), "{s}");
        assert_eq!(s.matches("<mark>").count(), 2, "{s}");
        let short = snippet("Brak wyników", &plan("zolty", "Brak wyników"), 12);
        assert_eq!(short, "Brak wyników");
    }
}
