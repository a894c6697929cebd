//! Help-center articles written for Rapport's demo brands: Sao Mai Mobile
//! (a Vietnamese phone shop) and Kwitek (a Polish invoicing and
//! point-of-sale service). The demo seeds them, and the search relevance
//! tests run their queries against them, so each article's words are chosen
//! to be told apart: `dich vu khach hang`, `dang nhap`, `zolty`, `lodz`...
//!
//! Some articles lack a language on purpose, so the "missing translation"
//! list has something to show, and two are internal knowledge cards.

mod kwitek;
mod sao_mai;

use rapport_domain::Locale;

pub struct SampleCategory {
    pub key: &'static str,
    pub brand: &'static str,
    pub names: &'static [(Locale, &'static str)],
}

pub struct SampleArticle {
    /// A stable name for tests: `sm-login`, `kw-ksef`...
    pub key: &'static str,
    /// The brand's slug.
    pub brand: &'static str,
    pub category: &'static str,
    pub internal: bool,
    /// (language, title, Markdown body)
    pub translations: &'static [(Locale, &'static str, &'static str)],
}

pub fn categories() -> impl Iterator<Item = &'static SampleCategory> {
    sao_mai::CATEGORIES.iter().chain(kwitek::CATEGORIES.iter())
}

pub fn articles() -> impl Iterator<Item = &'static SampleArticle> {
    sao_mai::ARTICLES.iter().chain(kwitek::ARTICLES.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_large_enough_and_consistent() {
        let texts: usize = articles().map(|a| a.translations.len()).sum();
        assert!(texts >= 30, "{texts} texts");
        for l in [Locale::Vi, Locale::Pl, Locale::En] {
            assert!(articles().filter(|a| a.translations.iter().any(|t| t.0 == l)).count() >= 6, "{l}");
        }
        let mut keys: Vec<&str> = articles().map(|a| a.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), articles().count(), "keys are unique");
        for a in articles() {
            assert!(categories().any(|c| c.key == a.category && c.brand == a.brand), "{}", a.key);
            for (_, title, body) in a.translations {
                assert!(!title.is_empty() && body.len() > 200, "{}: {title}", a.key);
            }
        }
        assert!(articles().any(|a| a.internal));
        assert!(articles().any(|a| a.translations.len() < 3), "some translations are missing");
    }
}
