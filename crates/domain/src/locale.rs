crate::string_enum!(
    /// The languages Rapport speaks, from the UI to search to surveys.
    Locale, "language" { En = "en", Vi = "vi", Pl = "pl" }
);

impl Locale {
    /// Picks the best supported locale from an HTTP `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut bits = part.trim().split(';');
            let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = bits.find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Ok(loc) = Locale::parse(primary) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, loc));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language() {
        assert_eq!(Locale::from_accept_language("pl-PL,pl;q=0.9,en;q=0.8"), Some(Locale::Pl));
        assert_eq!(Locale::from_accept_language("de-DE, vi;q=0.5, en;q=0.7"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("de"), None);
    }
}
