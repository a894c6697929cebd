//! Words so common that a query need not contain them to match: they still
//! count towards the score, but a document without them is not excluded.
//! The lists are folded (no marks) and kept short on purpose, since folding
//! makes some Vietnamese function words collide with content words.

const EN: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in", "is", "it", "my", "of", "on",
    "or", "the", "to", "what", "when", "where", "why", "with", "you", "your", "me", "we", "our", "this", "that", "there", "get", "was",
];

const PL: &[&str] = &[
    "a", "aby", "ale", "bo", "by", "czy", "do", "gdzie", "i", "jak", "jest", "mam", "mi", "mnie", "moge", "na", "nie", "o", "od", "po",
    "przez", "sie", "so", "sa", "ta", "te", "to", "w", "we", "z", "za", "ze", "co", "jaki", "jakie", "kiedy", "moj", "moja", "moje",
];

const VI: &[&str] = &[
    "la", "cua", "va", "cac", "nhung", "duoc", "de", "toi", "thi", "co", "nay", "mot", "voi", "cho", "khi", "lam", "nhu", "the", "nao",
    "gi", "o", "tai", "sao", "ban", "minh", "a", "oi", "khong", "can", "muon", "bi", "ve",
];

/// Whether a folded token is a stopword in any of Rapport's languages.
pub fn is_stopword(token: &str) -> bool {
    EN.contains(&token) || PL.contains(&token) || VI.contains(&token)
}
