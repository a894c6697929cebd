//! Canned replies: picking the language variant for a ticket, and filling in
//! placeholders such as `{{contact.first_name}}`.
//!
//! The result is plain text. Nothing here escapes anything: the caller turns
//! the text into HTML with [`crate::html::text_to_html`], which escapes once.

use crate::{Id, Locale};
use std::collections::BTreeMap;

/// A text in one or more languages (a canned reply's body, a macro's reply).
pub type LocalizedText = BTreeMap<Locale, String>;

/// The placeholders a canned reply may use, in the order they are documented.
pub const PLACEHOLDERS: &[&str] =
    &["contact.first_name", "contact.name", "ticket.id", "ticket.subject", "agent.name", "agent.first_name", "brand.name"];

/// Picks the variant to use: the ticket's language first, then `fallback`
/// (the agent's language), then any non-empty variant (in the order en, vi, pl).
/// Variants that are only whitespace do not count. `None` when there is none.
pub fn pick_variant(bodies: &LocalizedText, ticket_locale: Option<Locale>, fallback: Locale) -> Option<(Locale, &str)> {
    let usable = |l: Locale| bodies.get(&l).map(String::as_str).filter(|b| !b.trim().is_empty()).map(|b| (l, b));
    ticket_locale.and_then(usable).or_else(|| usable(fallback)).or_else(|| Locale::ALL.iter().find_map(|l| usable(*l)))
}

/// The values placeholders are replaced with. A known placeholder without a
/// value (a ticket with no requester, say) becomes empty text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceholderValues {
    pub contact_name: Option<String>,
    pub contact_first_name: Option<String>,
    pub ticket_id: Option<Id>,
    pub ticket_subject: Option<String>,
    pub agent_name: Option<String>,
    pub agent_first_name: Option<String>,
    pub brand_name: Option<String>,
}

impl PlaceholderValues {
    fn value(&self, key: &str) -> Option<String> {
        let text = |v: &Option<String>| Some(v.clone().unwrap_or_default());
        match key {
            "contact.first_name" => text(&self.contact_first_name),
            "contact.name" => text(&self.contact_name),
            "ticket.id" => Some(self.ticket_id.map(|i| i.to_string()).unwrap_or_default()),
            "ticket.subject" => text(&self.ticket_subject),
            "agent.name" => text(&self.agent_name),
            "agent.first_name" => text(&self.agent_first_name),
            "brand.name" => text(&self.brand_name),
            _ => None,
        }
    }
}

/// The name a person is greeted by. Vietnamese names put the family name
/// first and the given name last ("Nguyễn Thị Hương" is greeted as "Hương"),
/// so for people whose language is Vietnamese that is the last word; for
/// everyone else it is the first word ("Zofia Kowalska" → "Zofia").
pub fn first_name(full_name: &str, locale: Option<Locale>) -> String {
    let mut words = full_name.split_whitespace();
    let word = if locale == Some(Locale::Vi) { words.next_back() } else { words.next() };
    word.unwrap_or_default().to_string()
}

/// Replaces `{{name}}` (spaces inside the braces allowed) with its value.
/// Unknown names, and braces that do not close, are left exactly as written,
/// so a typo shows up in the text instead of vanishing.
pub fn render_placeholders(template: &str, values: &PlaceholderValues) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        match values.value(after[..end].trim()) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The placeholders in a text that are not known ones, for warning the author.
pub fn unknown_placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        if !PLACEHOLDERS.contains(&name) && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
        rest = &after[end + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(pairs: &[(Locale, &str)]) -> LocalizedText {
        pairs.iter().map(|(l, b)| (*l, b.to_string())).collect()
    }

    fn values() -> PlaceholderValues {
        PlaceholderValues {
            contact_name: Some("Nguyễn Thị Hương".into()),
            contact_first_name: Some(first_name("Nguyễn Thị Hương", Some(Locale::Vi))),
            ticket_id: Some(4711),
            ticket_subject: Some("Điện thoại không sạc được".into()),
            agent_name: Some("Zofia Kowalska".into()),
            agent_first_name: Some(first_name("Zofia Kowalska", Some(Locale::Pl))),
            brand_name: Some("Sao Mai Mobile".into()),
        }
    }

    #[test]
    fn the_tickets_language_wins() {
        let b = bodies(&[(Locale::En, "Hello"), (Locale::Pl, "Dzień dobry"), (Locale::Vi, "Xin chào")]);
        assert_eq!(pick_variant(&b, Some(Locale::Pl), Locale::En), Some((Locale::Pl, "Dzień dobry")));
        assert_eq!(pick_variant(&b, Some(Locale::Vi), Locale::Pl), Some((Locale::Vi, "Xin chào")));
    }

    #[test]
    fn then_the_agents_language_then_any() {
        let b = bodies(&[(Locale::Pl, "Dziękujemy za cierpliwość"), (Locale::Vi, "Cảm ơn anh chị đã kiên nhẫn")]);
        assert_eq!(pick_variant(&b, Some(Locale::En), Locale::Vi), Some((Locale::Vi, "Cảm ơn anh chị đã kiên nhẫn")));
        assert_eq!(pick_variant(&b, None, Locale::Pl), Some((Locale::Pl, "Dziękujemy za cierpliwość")));
        // Neither the ticket's nor the agent's language: the first there is, in a fixed order.
        assert_eq!(pick_variant(&b, Some(Locale::En), Locale::En), Some((Locale::Vi, "Cảm ơn anh chị đã kiên nhẫn")));
        let only_pl = bodies(&[(Locale::Pl, "Tylko po polsku")]);
        assert_eq!(pick_variant(&only_pl, Some(Locale::Vi), Locale::En), Some((Locale::Pl, "Tylko po polsku")));
    }

    #[test]
    fn blank_variants_do_not_count() {
        let b = bodies(&[(Locale::Vi, "  \n "), (Locale::En, "Hello")]);
        assert_eq!(pick_variant(&b, Some(Locale::Vi), Locale::Vi), Some((Locale::En, "Hello")));
        assert_eq!(pick_variant(&bodies(&[(Locale::Pl, " ")]), None, Locale::Pl), None);
        assert_eq!(pick_variant(&LocalizedText::new(), Some(Locale::En), Locale::En), None);
    }

    #[test]
    fn vietnamese_reply_is_filled_in() {
        let template = "Chào chị {{contact.first_name}},\n\nYêu cầu #{{ticket.id}} \"{{ticket.subject}}\" đã được tiếp nhận.\n\
                        Trân trọng,\n{{agent.name}} – {{brand.name}}";
        assert_eq!(
            render_placeholders(template, &values()),
            "Chào chị Hương,\n\nYêu cầu #4711 \"Điện thoại không sạc được\" đã được tiếp nhận.\nTrân trọng,\nZofia Kowalska – Sao Mai Mobile"
        );
    }

    #[test]
    fn polish_reply_is_filled_in() {
        let v = PlaceholderValues {
            contact_name: Some("Łukasz Wiśniewski".into()),
            contact_first_name: Some(first_name("Łukasz Wiśniewski", Some(Locale::Pl))),
            ticket_id: Some(12),
            ..values()
        };
        let template =
            "Dzień dobry {{ contact.first_name }},\ndziękujemy za zgłoszenie nr {{ticket.id}}.\nPozdrawiam, {{agent.first_name}}";
        assert_eq!(render_placeholders(template, &v), "Dzień dobry Łukasz,\ndziękujemy za zgłoszenie nr 12.\nPozdrawiam, Zofia");
    }

    #[test]
    fn unknown_and_unclosed_placeholders_stay_visible() {
        let v = values();
        assert_eq!(render_placeholders("Hi {{contact.nickname}}!", &v), "Hi {{contact.nickname}}!");
        assert_eq!(render_placeholders("Hi {{contact.name", &v), "Hi {{contact.name");
        assert_eq!(render_placeholders("{{}} and {{ticket.id}}", &v), "{{}} and 4711");
        assert_eq!(render_placeholders("no placeholders, {single} braces", &v), "no placeholders, {single} braces");
        assert_eq!(unknown_placeholders("{{contact.nickname}} {{ticket.id}} {{x}} {{x}}"), vec!["contact.nickname", "x"]);
    }

    #[test]
    fn missing_values_become_empty_and_nothing_is_escaped() {
        let v = PlaceholderValues { contact_name: Some("Ann <b>&</b>".into()), ..Default::default() };
        let text = render_placeholders("Dear {{contact.name}} ({{contact.first_name}}) #{{ticket.id}}", &v);
        assert_eq!(text, "Dear Ann <b>&</b> () #");
        // Escaping happens once, when the text becomes HTML.
        assert_eq!(crate::html::text_to_html(&text), "Dear Ann &lt;b&gt;&amp;&lt;/b&gt; () #");
        // A value that looks like a placeholder is not expanded again.
        let sneaky =
            PlaceholderValues { contact_name: Some("{{agent.name}}".into()), agent_name: Some("secret".into()), ..Default::default() };
        assert_eq!(render_placeholders("{{contact.name}}", &sneaky), "{{agent.name}}");
    }

    #[test]
    fn first_names_follow_the_naming_order() {
        assert_eq!(first_name("Nguyễn Thị Hương", Some(Locale::Vi)), "Hương");
        assert_eq!(first_name("Trần Minh Khoa", Some(Locale::Vi)), "Khoa");
        assert_eq!(first_name("Zofia Kowalska", Some(Locale::Pl)), "Zofia");
        assert_eq!(first_name("  Mary   Ann Smith ", None), "Mary");
        assert_eq!(first_name("", Some(Locale::Vi)), "");
    }
}
