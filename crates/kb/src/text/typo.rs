//! Typo tolerance by deletion neighbourhoods: every indexed word is stored
//! with the strings made by deleting one of its characters. A query word's
//! own deletions, looked up there, find every indexed word within one edit
//! (and most within two); [`distance`] then keeps those that are really close.
//! Both backends do exactly the same lookups, so they agree on corrections.

/// How many edits a word of this length may have: none below four
/// characters, one up to seven, two from eight.
pub fn max_typos(token: &str) -> usize {
    match token.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The word and every string made by deleting one of its characters, deduplicated.
pub fn deletes(token: &str) -> Vec<String> {
    let chars: Vec<char> = token.chars().collect();
    let mut out = vec![token.to_string()];
    for i in 0..chars.len() {
        let v: String = chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| c).collect();
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Damerau–Levenshtein distance (optimal string alignment): insertions,
/// deletions, substitutions and swaps of neighbours each cost one.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("password", "pasword"), 1);
        assert_eq!(distance("password", "passwrod"), 1);
        assert_eq!(distance("faktura", "faktira"), 1);
        assert_eq!(distance("refund", "refudn"), 1);
        assert_eq!(distance("abc", "xyz"), 3);
        assert_eq!(distance("", "ab"), 2);
    }

    #[test]
    fn deletion_neighbourhoods_meet_within_one_edit() {
        let shared = |a: &str, b: &str| deletes(a).iter().any(|x| deletes(b).contains(x));
        assert!(shared("password", "pasword"));
        assert!(shared("password", "passwrod"));
        assert!(shared("faktura", "faktira"));
        assert!(!shared("faktura", "kasa"));
        assert_eq!(deletes("aab"), ["aab", "ab", "aa"]);
    }

    #[test]
    fn budgets() {
        assert_eq!(max_typos("vu"), 0);
        assert_eq!(max_typos("nhap"), 1);
        assert_eq!(max_typos("password"), 2);
    }
}
