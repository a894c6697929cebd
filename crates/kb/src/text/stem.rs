//! A light stemmer, so that `faktura`, `faktury` and `fakturę`, or `invoice`
//! and `invoices`, meet. It strips one common Polish or English ending from
//! a token of at least five letters, never leaving fewer than four. It is
//! used only to widen a query term to indexed words with the same stem; the
//! index holds the words themselves. Vietnamese syllables are short and
//! rarely end in these letters, and exact matches always rank first.

const SUFFIXES: &[&str] = &[
    // Polish (folded: ą→a, ę→e, ó→o).
    "owania", "owanie", "ami", "ze", "ach", "ego", "emu", "ych", "ymi", "ich", "imi", "owi", "ow", "om", "em", "ie", "ej", "ym", "a", "e",
    "i", "o", "u", "y", // English.
    "ing", "ed", "es", "s",
];

/// The stem of a folded token (itself when nothing is stripped).
pub fn stem(token: &str) -> &str {
    let len = token.len();
    if len < 5 || !token.bytes().all(|b| b.is_ascii_lowercase()) {
        return token;
    }
    let mut best = token;
    for s in SUFFIXES {
        if token.ends_with(s) && len - s.len() >= 4 && len - s.len() < best.len() {
            best = &token[..len - s.len()];
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_meet() {
        for w in ["faktura", "faktury", "fakture", "fakturze", "fakturami", "fakturach"] {
            assert_eq!(stem(w), "faktur", "{w}");
        }
        assert_eq!(stem("invoices"), stem("invoice"));
        assert_eq!(stem("passwords"), "password");
        assert_eq!(stem("zwrotu"), stem("zwrot"));
    }

    #[test]
    fn short_and_non_ascii_tokens_stay() {
        for w in ["khach", "hang", "dang", "nhap", "kasa", "日本"] {
            assert_eq!(stem(w), w);
        }
        assert_eq!(stem("nguoi"), "nguo");
        assert_ne!(stem("nguoi"), stem("nguon"));
    }
}
