//! Language detection for incoming mail: Rapport's languages (Vietnamese,
//! Polish, English) or nothing.

use whatlang::Lang;

/// Least whatlang confidence accepted when it does not call its own answer
/// reliable.
const MIN_CONFIDENCE: f64 = 0.5;

/// Only the start of long texts is looked at: it is enough, and fast.
const SAMPLE_CHARS: usize = 2000;

/// Letters of Polish that its neighbours (Czech, Slovak, Croatian...) lack.
const POLISH_LETTERS: &str = "ąęłśźżĄĘŁŚŹŻ";
/// Polish letters also found elsewhere (Croatian ć, Slovak/Czech ń is rare but exists).
const POLISH_SHARED_LETTERS: &str = "ćńĆŃ";
/// Vietnamese letters with horn that no other language uses.
const VIETNAMESE_LETTERS: &str = "ơưƠƯ";
/// English function words that are not also common Polish or German words
/// (so no "to", "a", "i", "do", "no", "on", "in", "was", "will").
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "is", "are", "were", "be", "been", "you", "we", "it", "my", "your", "our", "of", "for", "with", "not", "have", "has",
    "had", "does", "did", "please", "thanks", "thank", "can", "could", "would", "this", "that", "what", "at", "from", "yet", "hi", "hello",
    "me", "got", "there", "when", "how",
];

/// `Some("vi" | "pl" | "en")` when the text is in one of those with
/// reasonable confidence; `None` for other languages or when unsure.
///
/// whatlang decides first. Short texts, where its statistics are weak, fall
/// back to letters only one language uses: two Vietnamese tone-marked
/// letters (U+1EA0–U+1EF9) or horned `ơ ư`, or Polish `ą ę ł ś ź ż`; and
/// for plain-ASCII text, to English function words (two, and a quarter of
/// the words at least). A text whatlang reliably puts in another language
/// stays `None`.
pub fn detect(text: &str) -> Option<&'static str> {
    let sample: String = text.chars().take(SAMPLE_CHARS).collect();
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 3 {
        return None;
    }
    if let Some(info) = whatlang::detect(&sample) {
        match code(info.lang()) {
            Some(code) if info.is_reliable() || info.confidence() >= MIN_CONFIDENCE => return Some(code),
            None if info.is_reliable() => return None,
            _ => {}
        }
    }
    by_letters(&sample)
}

fn code(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Vie => Some("vi"),
        Lang::Pol => Some("pl"),
        Lang::Eng => Some("en"),
        _ => None,
    }
}

/// Language from letters unique to it; see [`detect`].
fn by_letters(text: &str) -> Option<&'static str> {
    let vietnamese = text.chars().filter(|&c| ('\u{1EA0}'..='\u{1EF9}').contains(&c) || VIETNAMESE_LETTERS.contains(c)).count();
    if vietnamese >= 2 {
        return Some("vi");
    }
    let polish = text.chars().filter(|&c| POLISH_LETTERS.contains(c)).count();
    let shared = text.chars().filter(|&c| POLISH_SHARED_LETTERS.contains(c)).count();
    if polish >= 1 && polish + shared >= 2 {
        return Some("pl");
    }
    if text.chars().any(|c| c.is_alphabetic() && !c.is_ascii()) {
        return None;
    }
    let words: Vec<String> =
        text.split(|c: char| !c.is_ascii_alphabetic() && c != '\'').filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect();
    let english = words.iter().filter(|w| ENGLISH_WORDS.contains(&w.as_str())).count();
    (english >= 2 && english * 4 >= words.len()).then_some("en")
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn vietnamese() {
        assert_eq!(detect("Tôi chưa nhận được đơn hàng của mình, xin vui lòng kiểm tra giúp tôi."), Some("vi"));
        assert_eq!(detect("Cảm ơn bạn nhiều"), Some("vi"));
        assert_eq!(detect("Đơn hàng của tôi"), Some("vi"));
    }

    #[test]
    fn polish() {
        assert_eq!(detect("Dzień dobry, moje zamówienie jeszcze nie dotarło. Proszę o sprawdzenie."), Some("pl"));
        assert_eq!(detect("Zażółć gęślą jaźń"), Some("pl"));
        assert_eq!(detect("Dziękuję bardzo"), Some("pl"));
    }

    #[test]
    fn english() {
        assert_eq!(detect("Hello, my order has not arrived yet. Could you please check what happened to it?"), Some("en"));
        assert_eq!(detect("Thank you, the problem is solved now."), Some("en"));
        assert_eq!(detect("Thanks, got it."), Some("en"));
        assert_eq!(detect("Please refund my order"), Some("en"));
    }

    #[test]
    fn other_languages_and_noise_give_none() {
        assert_eq!(detect("Guten Tag, meine Bestellung ist noch nicht angekommen. Können Sie bitte nachsehen?"), None);
        assert_eq!(detect("Здравствуйте, мой заказ до сих пор не пришёл. Проверьте, пожалуйста."), None);
        assert_eq!(detect("Bonjour, ma commande n'est toujours pas arrivée. Pouvez-vous vérifier, s'il vous plaît ?"), None);
        assert_eq!(detect(""), None);
        assert_eq!(detect("12345 !!! ..."), None);
        // Polish without diacritics shares short words with English: not English.
        assert_ne!(detect("No to jest dobre"), Some("en"));
    }
}
