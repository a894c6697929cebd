//! The answer bot. It answers only from articles that search found, and only
//! when the best one covers enough of the question; otherwise it says it has
//! no answer and offers a human. Without a language model it replies with the
//! best passage of the best article; with one, the model writes the reply from
//! the retrieved passages and must answer `NO_ANSWER` when they do not hold it.
//! Either way the reply cites the article it came from.

use crate::text::{is_stopword, stem, tokens};
use serde::Serialize;

/// An article search found, with what the bot needs from it.
#[derive(Debug, Clone)]
pub struct Source {
    pub article_id: i64,
    pub translation_id: i64,
    pub title: String,
    /// Where readers open it.
    pub url: String,
    pub body_text: String,
    /// Required query terms the article contains, of `required`.
    pub matched: usize,
    pub required: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Citation {
    pub article_id: i64,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Answer { text: String, citation: Citation, translation_id: i64, written_by_model: bool },
    NoAnswer,
}

/// Whether an article covers enough of the question to answer from it: all
/// required terms when there are one or two, else at least two thirds.
pub fn confident(s: &Source) -> bool {
    if s.required == 0 {
        return false;
    }
    if s.required <= 2 {
        return s.matched == s.required;
    }
    s.matched * 3 >= s.required * 2
}

/// The question's content words, as stems.
fn question_stems(question: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tokens(question) {
        if is_stopword(&t) {
            continue;
        }
        let s = stem(&t).to_string();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The paragraph of `body` that holds most of the question's words (with
/// the paragraph after it when it is short), at most about 700 characters.
pub fn best_passage(body: &str, question: &str) -> String {
    let wanted = question_stems(question);
    let paragraphs: Vec<&str> = body.split("\n\n").flat_map(|p| p.split('\n')).map(str::trim).filter(|p| !p.is_empty()).collect();
    if paragraphs.is_empty() {
        return String::new();
    }
    let score = |p: &str| -> usize {
        let stems: Vec<String> = tokens(p).iter().map(|t| stem(t).to_string()).collect();
        wanted.iter().filter(|w| stems.iter().any(|s| s == *w || (w.len() >= 4 && s.starts_with(w.as_str())))).count()
    };
    let mut best = 0;
    let mut best_score = 0;
    for (i, p) in paragraphs.iter().enumerate() {
        let s = score(p);
        if s > best_score {
            best = i;
            best_score = s;
        }
    }
    let mut text = paragraphs[best].to_string();
    // A heading-like or very short paragraph reads better with what follows it.
    let mut next = best + 1;
    while text.chars().count() < 280 && next < paragraphs.len() {
        text.push('\n');
        text.push_str(paragraphs[next]);
        next += 1;
    }
    if text.chars().count() > 700 {
        let cut: String = text.chars().take(700).collect();
        let end = cut.rfind(['.', '!', '?', '。']).map(|i| i + 1).unwrap_or(cut.len());
        text = format!("{}…", cut[..end].trim_end());
    }
    text
}

/// The reply without a language model: the best passage of the first confident source.
pub fn answer_from_passages(question: &str, sources: &[Source]) -> Reply {
    let Some(s) = sources.first().filter(|s| confident(s)) else { return Reply::NoAnswer };
    let text = best_passage(&s.body_text, question);
    if text.is_empty() {
        return Reply::NoAnswer;
    }
    Reply::Answer {
        text,
        citation: Citation { article_id: s.article_id, title: s.title.clone(), url: s.url.clone() },
        translation_id: s.translation_id,
        written_by_model: false,
    }
}

/// What the model must say when the articles do not answer the question.
pub const NO_ANSWER: &str = "NO_ANSWER";

/// The system prompt and user message for a model, from the confident sources.
pub fn prompt(question: &str, language: &str, sources: &[&Source]) -> (String, String) {
    let system = format!(
        "You answer customer questions for a help center. Use only the numbered articles below. \
         If they do not contain the answer, reply with exactly {NO_ANSWER} and nothing else. \
         Never invent steps, prices, dates or policies. Reply in the language with code '{language}', \
         in at most five sentences, and end with the number of the article you used in brackets, like [1]."
    );
    let mut user = String::new();
    for (i, s) in sources.iter().enumerate() {
        let body: String = s.body_text.chars().take(3000).collect();
        user.push_str(&format!("[{}] {}\n{}\n\n", i + 1, s.title, body));
    }
    user.push_str(&format!("Question: {question}"));
    (system, user)
}

/// Turns a model's reply into the bot's: `NO_ANSWER`, an empty reply or a
/// citation of an article it was not given all count as no answer.
pub fn reply_from_model(model_text: &str, sources: &[&Source]) -> Reply {
    let text = model_text.trim();
    if text.is_empty() || text.contains(NO_ANSWER) {
        return Reply::NoAnswer;
    }
    let cited = text
        .match_indices('[')
        .filter_map(|(i, _)| text[i + 1..].split(']').next().and_then(|n| n.trim().parse::<usize>().ok()))
        .next_back()
        .unwrap_or(1);
    let Some(s) = cited.checked_sub(1).and_then(|i| sources.get(i)) else { return Reply::NoAnswer };
    let clean: String = {
        let mut t = text.to_string();
        for i in 1..=sources.len() {
            t = t.replace(&format!("[{i}]"), "");
        }
        t.trim().to_string()
    };
    Reply::Answer {
        text: clean,
        citation: Citation { article_id: s.article_id, title: s.title.clone(), url: s.url.clone() },
        translation_id: s.translation_id,
        written_by_model: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(body: &str, matched: usize, required: usize) -> Source {
        Source {
            article_id: 7,
            translation_id: 70,
            title: "Quên mật khẩu".into(),
            url: "/help/demo/sao-mai/vi/articles/7-quen-mat-khau".into(),
            body_text: body.into(),
            matched,
            required,
        }
    }

    #[test]
    fn confidence_needs_coverage() {
        assert!(confident(&source("x", 2, 2)));
        assert!(!confident(&source("x", 1, 2)));
        assert!(confident(&source("x", 2, 3)));
        assert!(!confident(&source("x", 1, 3)));
        assert!(!confident(&source("x", 0, 0)));
    }

    #[test]
    fn passage_is_the_paragraph_that_answers() {
        let body = "Giới thiệu chung về tài khoản và các tiện ích đi kèm dành cho khách hàng thân thiết của cửa hàng.\n\n\
                    Nếu bạn quên mật khẩu, chọn Quên mật khẩu trên màn hình đăng nhập. Chúng tôi gửi đường dẫn đặt lại qua email, có hiệu lực trong 30 phút và chỉ dùng được một lần cho mỗi yêu cầu đặt lại.\n\n\
                    Mật khẩu mới cần ít nhất 10 ký tự.";
        let p = best_passage(body, "tôi quên mật khẩu thì làm sao?");
        assert!(p.starts_with("Nếu bạn quên mật khẩu"), "{p}");
        assert!(p.contains("10 ký tự"), "a short answer brings the next paragraph: {p}");
        assert!(!p.contains("Giới thiệu"));
    }

    #[test]
    fn no_confident_source_no_answer() {
        assert_eq!(answer_from_passages("máy bay", &[source("Nội dung.", 0, 2)]), Reply::NoAnswer);
        assert_eq!(answer_from_passages("máy bay", &[]), Reply::NoAnswer);
        let r = answer_from_passages("quên mật khẩu", &[source("Nếu bạn quên mật khẩu, chọn Quên mật khẩu.", 3, 3)]);
        let Reply::Answer { citation, written_by_model, .. } = r else { panic!("expected an answer") };
        assert_eq!(citation.article_id, 7);
        assert!(!written_by_model);
    }

    #[test]
    fn model_replies_are_checked() {
        let s = source("Body", 2, 2);
        let sources = vec![&s];
        assert_eq!(reply_from_model("NO_ANSWER", &sources), Reply::NoAnswer);
        assert_eq!(reply_from_model("  ", &sources), Reply::NoAnswer);
        assert_eq!(reply_from_model("Chọn Quên mật khẩu. [3]", &sources), Reply::NoAnswer, "cites an article it was not given");
        let Reply::Answer { text, citation, written_by_model, .. } = reply_from_model("Chọn Quên mật khẩu. [1]", &sources) else {
            panic!("expected an answer")
        };
        assert_eq!((text.as_str(), citation.article_id, written_by_model), ("Chọn Quên mật khẩu.", 7, true));
        let (system, user) = prompt("quên mật khẩu?", "vi", &sources);
        assert!(system.contains(NO_ANSWER) && user.contains("[1] Quên mật khẩu") && user.ends_with("quên mật khẩu?"));
    }
}
