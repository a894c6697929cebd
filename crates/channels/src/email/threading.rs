//! Which ticket an inbound mail belongs to. In order:
//! 1. `In-Reply-To` / `References` naming a Message-ID we know (ours or the customer's);
//! 2. a ticket token: our reply address `support+t123-secret@...` in To/Cc, or `[#123]` in the subject;
//! 3. otherwise a new ticket.
//!
//! Headers and subject tags are easy to forge or to carry along when a mail is
//! forwarded, so a match by them counts only when the sender is the ticket's
//! requester or a follower. Only the reply address's secret proves by itself
//! that the mail belongs to the ticket. This stops one customer's mail from
//! landing on another customer's ticket.

use super::parse::ParsedMail;
use rapport_store::mail::{ThreadCandidate, ThreadLookup};
use rapport_store::Result;

/// A reply address token: ticket id and its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyToken {
    pub ticket_id: i64,
    pub secret: String,
}

/// `support@example.com` → `support+t123-k3x9q@example.com`.
pub fn reply_address(mailbox_address: &str, ticket_id: i64, secret: &str) -> String {
    match mailbox_address.split_once('@') {
        Some((local, domain)) => format!("{local}+t{ticket_id}-{secret}@{domain}"),
        None => mailbox_address.to_string(),
    }
}

/// Reads a reply token from an address of this mailbox (`local+t<id>-<secret>@domain`).
pub fn parse_reply_address(mailbox_address: &str, address: &str) -> Option<ReplyToken> {
    let (m_local, m_domain) = mailbox_address.split_once('@')?;
    let (local, domain) = address.split_once('@')?;
    if !domain.eq_ignore_ascii_case(m_domain) {
        return None;
    }
    let tag = local.strip_prefix(m_local)?.strip_prefix('+')?.strip_prefix('t')?;
    let (id, secret) = tag.split_once('-')?;
    let ticket_id = id.parse().ok().filter(|n: &i64| *n > 0)?;
    (!secret.is_empty()).then(|| ReplyToken { ticket_id, secret: secret.to_string() })
}

/// The ticket number in a subject tag `[#123]`.
pub fn subject_ticket_id(subject: &str) -> Option<i64> {
    let start = subject.find("[#")? + 2;
    let rest = &subject[start..];
    let end = rest.find(']')?;
    rest[..end].trim().parse().ok().filter(|n: &i64| *n > 0)
}

/// `Re: <subject> [#123]`, without piling up prefixes or tags.
pub fn reply_subject(subject: &str, ticket_id: i64) -> String {
    let mut s = subject.trim();
    loop {
        let lower = s.to_lowercase();
        match ["re:", "aw:", "odp:", "tr:", "fwd:", "fw:"].iter().find(|p| lower.starts_with(*p)) {
            Some(p) => s = s[p.len()..].trim_start(),
            None => break,
        }
    }
    let tag = format!("[#{ticket_id}]");
    if s.contains(&tag) {
        format!("Re: {s}")
    } else {
        format!("Re: {s} {tag}")
    }
}

fn sender_takes_part(sender: &str, c: &ThreadCandidate) -> bool {
    c.participants.iter().any(|p| p.eq_ignore_ascii_case(sender))
}

/// The decision itself, given what the store found for each clue.
pub fn decide(
    sender: &str,
    by_headers: Option<&ThreadCandidate>,
    by_address: Option<(&ThreadCandidate, &str)>,
    by_subject: Option<&ThreadCandidate>,
) -> Option<i64> {
    if let Some(c) = by_headers.filter(|c| sender_takes_part(sender, c)) {
        return Some(c.ticket_id);
    }
    if let Some((c, secret)) = by_address {
        if c.email_secret.as_deref().is_some_and(|s| rapport_domain::crypto::constant_time_eq(s, secret)) {
            return Some(c.ticket_id);
        }
    }
    by_subject.filter(|c| sender_takes_part(sender, c)).map(|c| c.ticket_id)
}

/// Looks the clues up and decides. `None`: a new ticket.
///
/// The same decision as [`decide`] with every clue looked up, but a clue is
/// looked up only when the ones before it did not decide, and a ticket found
/// by one clue is not looked up again for the next.
pub async fn resolve(lookup: &mut dyn ThreadLookup, mailbox_address: &str, mail: &ParsedMail) -> Result<Option<i64>> {
    let Some(sender) = mail.from.as_ref().map(|a| a.email.as_str()) else { return Ok(None) };
    let mut seen: Vec<ThreadCandidate> = Vec::new();
    let mut ids: Vec<String> = mail.in_reply_to.clone();
    ids.extend(mail.references.iter().rev().cloned());
    if !ids.is_empty() {
        if let Some(c) = lookup.by_message_ids(&ids).await? {
            if let Some(ticket) = decide(sender, Some(&c), None, None) {
                return Ok(Some(ticket));
            }
            seen.push(c);
        }
    }
    if let Some(token) = mail.to.iter().chain(mail.cc.iter()).find_map(|a| parse_reply_address(mailbox_address, &a.email)) {
        if let Some(c) = candidate(lookup, token.ticket_id, &mut seen).await? {
            if let Some(ticket) = decide(sender, None, Some((c, token.secret.as_str())), None) {
                return Ok(Some(ticket));
            }
        }
    }
    match subject_ticket_id(&mail.subject) {
        Some(id) => Ok(candidate(lookup, id, &mut seen).await?.and_then(|c| decide(sender, None, None, Some(c)))),
        None => Ok(None),
    }
}

/// A ticket's candidate, from those already looked up or from the store.
async fn candidate<'a>(
    lookup: &mut dyn ThreadLookup,
    ticket_id: i64,
    seen: &'a mut Vec<ThreadCandidate>,
) -> Result<Option<&'a ThreadCandidate>> {
    if let Some(at) = seen.iter().position(|c| c.ticket_id == ticket_id) {
        return Ok(seen.get(at));
    }
    match lookup.by_ticket(ticket_id).await? {
        Some(c) => {
            seen.push(c);
            Ok(seen.last())
        }
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: i64, people: &[&str], secret: Option<&str>) -> ThreadCandidate {
        ThreadCandidate {
            ticket_id: id,
            closed: false,
            participants: people.iter().map(|p| p.to_string()).collect(),
            email_secret: secret.map(String::from),
        }
    }

    #[test]
    fn reply_addresses_round_trip() {
        let a = reply_address("support@sao-mai.vn", 42, "k3x9q");
        assert_eq!(a, "support+t42-k3x9q@sao-mai.vn");
        assert_eq!(parse_reply_address("support@sao-mai.vn", &a), Some(ReplyToken { ticket_id: 42, secret: "k3x9q".into() }));
        assert_eq!(parse_reply_address("support@sao-mai.vn", "support+t42-k3x9q@evil.example"), None);
        assert_eq!(parse_reply_address("support@sao-mai.vn", "sales+t42-k3x9q@sao-mai.vn"), None);
        assert_eq!(parse_reply_address("support@sao-mai.vn", "support+t42@sao-mai.vn"), None);
        assert_eq!(parse_reply_address("support@sao-mai.vn", "support@sao-mai.vn"), None);
    }

    #[test]
    fn subject_tags() {
        assert_eq!(subject_ticket_id("Re: Zamówienie [#123] nie dotarło"), Some(123));
        assert_eq!(subject_ticket_id("[# 7]"), Some(7));
        assert_eq!(subject_ticket_id("[#abc]"), None);
        assert_eq!(subject_ticket_id("no tag"), None);
        assert_eq!(reply_subject("Re: RE: Odp: Faktura", 9), "Re: Faktura [#9]");
        assert_eq!(reply_subject("Faktura [#9]", 9), "Re: Faktura [#9]");
    }

    #[test]
    fn headers_need_a_known_sender() {
        let t = cand(1, &["anna@k.pl", "cc@k.pl"], Some("s"));
        assert_eq!(decide("anna@k.pl", Some(&t), None, None), Some(1));
        assert_eq!(decide("CC@k.pl", Some(&t), None, None), Some(1));
        // A stranger replying to a forwarded thread: new ticket, not a leak.
        assert_eq!(decide("stranger@x.com", Some(&t), None, None), None);
    }

    #[test]
    fn a_valid_reply_address_proves_the_ticket() {
        let t = cand(1, &["anna@k.pl"], Some("right"));
        assert_eq!(decide("colleague@k.pl", None, Some((&t, "right")), None), Some(1));
        assert_eq!(decide("colleague@k.pl", None, Some((&t, "wrong")), None), None);
        let no_secret = cand(1, &["anna@k.pl"], None);
        assert_eq!(decide("colleague@k.pl", None, Some((&no_secret, "")), None), None);
    }

    #[test]
    fn subject_tags_need_a_known_sender() {
        let t = cand(5, &["anna@k.pl"], None);
        assert_eq!(decide("anna@k.pl", None, None, Some(&t)), Some(5));
        assert_eq!(decide("guess@x.com", None, None, Some(&t)), None);
    }

    #[test]
    fn headers_come_first() {
        let a = cand(1, &["anna@k.pl"], None);
        let b = cand(2, &["anna@k.pl"], None);
        assert_eq!(decide("anna@k.pl", Some(&a), None, Some(&b)), Some(1));
    }
}
