//! Normalisation: NFKD, combining marks stripped, lowercase, and the letters
//! that carry no combining mark folded by hand (`đ→d`, `ł→l`, `ø→o`, `ß→ss`...).
//! Words are found with Unicode word boundaries (UAX #29) on the original
//! text, so each Vietnamese syllable is a word and positions map back to the
//! original for highlighting. Inside a word, anything but letters and digits
//! splits it (`e-mail` → `e`, `mail`; `3.5` → `3`, `5`).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Longer tokens (hashes, base64, URLs run together) are not indexed.
pub const MAX_TOKEN_CHARS: usize = 40;

/// Folds one word: the search form of its letters, with separators kept as spaces.
pub fn fold_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        for l in c.to_lowercase() {
            match l {
                'đ' | 'ð' => out.push('d'),
                'ł' => out.push('l'),
                'ø' => out.push('o'),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ß' => out.push_str("ss"),
                'þ' => out.push_str("th"),
                'ı' => out.push('i'),
                c if c.is_alphanumeric() => out.push(c),
                _ => out.push(' '),
            }
        }
    }
    out
}

/// A word of the original text and the tokens it yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordSpan {
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    pub tokens: Vec<String>,
}

/// The words of `text` with their byte ranges and tokens, in order.
pub fn word_spans(text: &str) -> Vec<WordSpan> {
    text.unicode_word_indices()
        .filter_map(|(start, w)| {
            let tokens: Vec<String> =
                fold_word(w).split(' ').filter(|t| !t.is_empty() && t.chars().count() <= MAX_TOKEN_CHARS).map(str::to_string).collect();
            (!tokens.is_empty()).then(|| WordSpan { start, end: start + w.len(), tokens })
        })
        .collect()
}

/// The tokens of `text`, in order (repeats kept).
pub fn tokens(text: &str) -> Vec<String> {
    word_spans(text).into_iter().flat_map(|w| w.tokens).collect()
}

/// The search form of `text`: its tokens joined by single spaces. This is
/// what both backends index (FTS5, tsvector) and what queries are made of.
pub fn normalize(text: &str) -> String {
    tokens(text).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_loses_its_marks_and_keeps_its_syllables() {
        assert_eq!(normalize("Dịch vụ khách hàng"), "dich vu khach hang");
        assert_eq!(normalize("ĐĂNG NHẬP"), "dang nhap");
        assert_eq!(normalize("Đăng nhập"), normalize("dang nhap"));
        // Decomposed input (NFD, as some keyboards send it) gives the same.
        let nfd: String = "Quên mật khẩu".nfd().collect();
        assert_eq!(normalize(&nfd), "quen mat khau");
        assert_eq!(tokens("Người dùng, tài khoản!"), ["nguoi", "dung", "tai", "khoan"]);
    }

    #[test]
    fn polish_letters_fold_as_a_polish_speaker_types_without_them() {
        assert_eq!(normalize("żółty"), "zolty");
        assert_eq!(normalize("Łódź"), "lodz");
        assert_eq!(normalize("ŁÓDŹ łódź lodz"), "lodz lodz lodz");
        assert_eq!(normalize("Zażółć gęślą jaźń"), "zazolc gesla jazn");
    }

    #[test]
    fn other_scripts_and_symbols() {
        assert_eq!(normalize("Straße, Ærø, ﬁle ²"), "strasse aero file 2");
        assert_eq!(normalize("e-mail: anna@example.com v3.5"), "e mail anna example com v3 5");
        assert_eq!(normalize("  ... --- !!! "), "");
        assert_eq!(normalize("日本語"), "日 本 語");
        let long = "x".repeat(MAX_TOKEN_CHARS + 1);
        assert_eq!(normalize(&format!("a {long} b")), "a b");
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "Mật khẩu: đổi nó!";
        let spans = word_spans(text);
        let words: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(words, ["Mật", "khẩu", "đổi", "nó"]);
        assert_eq!(spans[2].tokens, ["doi"]);
    }
}
