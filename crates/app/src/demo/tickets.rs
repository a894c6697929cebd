//! Tickets and their conversations.

use super::people::Person;
use super::setup::{Directory, Staff};
use super::text::{self, for_scenario, paragraphs, pick, BrandKind, Field, Pack, Vars};
use rand::seq::SliceRandom;
use rand::Rng;
use rapport_domain::{html::text_to_html, Actor, Channel, Id, Locale, MessageKind, Priority, TicketStatus};
use rapport_store::model::{FirstMessage, NewMessage, NewTicket, TicketPatch};
use rapport_store::Store;
use serde_json::{Map, Value};

/// A stored contact and what the demo knows about them.
pub struct Customer {
    pub id: Id,
    pub person: Person,
    pub vip: bool,
}

#[derive(Debug, Default)]
pub struct Counts {
    pub tickets: usize,
    pub messages: usize,
}

/// One message after the customer's first.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Agent asks for details.
    Ask,
    /// Customer gives them.
    Answer,
    /// Agent: in progress.
    Update,
    /// Agent: solved.
    Fix,
    /// Customer: any news?
    Nudge,
    /// Customer: thank you.
    Thanks,
    /// Internal note.
    Note,
}

use Step::*;

/// Conversations that leave a ticket in each status (before the final status change).
fn flows(status: TicketStatus) -> &'static [&'static [Step]] {
    match status {
        TicketStatus::New => &[&[], &[Nudge], &[Note], &[Note, Nudge]],
        TicketStatus::Open => {
            &[&[Ask, Answer], &[Update], &[Ask, Answer, Note], &[Update, Nudge], &[Note, Ask, Answer], &[Ask, Answer, Update, Nudge]]
        }
        TicketStatus::Pending => &[&[Ask], &[Note, Ask], &[Ask, Answer, Fix], &[Fix]],
        TicketStatus::OnHold => &[&[Update, Note], &[Ask, Answer, Note, Update], &[Note, Update]],
        TicketStatus::Solved | TicketStatus::Closed => &[
            &[Fix],
            &[Ask, Answer, Fix],
            &[Fix, Thanks],
            &[Ask, Answer, Note, Fix, Thanks],
            &[Note, Fix],
            &[Update, Nudge, Fix],
            &[Ask, Answer, Fix, Thanks],
        ],
    }
}

fn weighted<T: Copy, R: Rng>(rng: &mut R, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total);
    for (item, w) in items {
        if roll < *w {
            return *item;
        }
        roll -= w;
    }
    items[items.len() - 1].0
}

const STATUSES: &[(TicketStatus, u32)] = &[
    (TicketStatus::New, 12),
    (TicketStatus::Open, 18),
    (TicketStatus::Pending, 14),
    (TicketStatus::OnHold, 6),
    (TicketStatus::Solved, 26),
    (TicketStatus::Closed, 24),
];

fn priority<R: Rng>(rng: &mut R, urgency: u8, vip: bool) -> Priority {
    use Priority::*;
    let weights: &[(Priority, u32)] = match urgency {
        0 => &[(Low, 40), (Normal, 50), (High, 9), (Urgent, 1)],
        1 => &[(Low, 15), (Normal, 60), (High, 20), (Urgent, 5)],
        _ => &[(Low, 5), (Normal, 35), (High, 40), (Urgent, 20)],
    };
    let p = weighted(rng, weights);
    match (vip, p) {
        (true, Low) => Normal,
        (true, Normal) if rng.gen_bool(0.5) => High,
        _ => p,
    }
}

fn channel<R: Rng>(rng: &mut R, locale: Locale, tags: &[&str]) -> Channel {
    use Channel::*;
    if tags.contains(&"api") && rng.gen_bool(0.4) {
        return Api;
    }
    let weights: &[(Channel, u32)] = match locale {
        // Vietnamese shoppers write on Zalo and Facebook more than by email.
        Locale::Vi => &[(Chat, 25), (Social, 25), (Phone, 15), (Email, 15), (Web, 15), (Api, 5)],
        Locale::Pl => &[(Email, 35), (Web, 20), (Chat, 15), (Phone, 15), (Social, 5), (Api, 10)],
        Locale::En => &[(Email, 40), (Chat, 20), (Web, 20), (Api, 10), (Phone, 5), (Social, 5)],
    };
    weighted(rng, weights)
}

fn social_tag<R: Rng>(rng: &mut R, locale: Locale) -> &'static str {
    match locale {
        Locale::Vi => pick(rng, &["zalo", "facebook"]),
        Locale::Pl => "facebook",
        Locale::En => pick(rng, &["facebook", "instagram"]),
    }
}

/// Short channels (chat, social, phone) get no greeting or signature.
fn formal(channel: Channel) -> bool {
    matches!(channel, Channel::Email | Channel::Web | Channel::Api)
}

struct Writer<'a> {
    pack: &'static Pack,
    vars: Vars,
    channel: Channel,
    store: &'a dyn Store,
    sys: &'a Actor,
    ticket: Id,
    customer: Id,
    agent: &'a Staff,
}

impl Writer<'_> {
    /// A customer's follow-up: signed with their name, at most.
    async fn customer<R: Rng>(&self, rng: &mut R, text: &str) -> anyhow::Result<()> {
        let bye = if formal(self.channel) { pick(rng, &["{first}", "{name}", ""]) } else { "" };
        let body = self.vars.fill(&paragraphs(&[text, bye]));
        self.send(self.sys, MessageKind::Public, Some(self.customer), body).await
    }

    async fn agent<R: Rng>(&self, rng: &mut R, text: &str) -> anyhow::Result<()> {
        let hello = pick(rng, self.pack.agent_hello);
        let bye = if formal(self.channel) { pick(rng, self.pack.agent_bye) } else { "" };
        let body = self.vars.fill(&paragraphs(&[hello, text, bye]));
        self.send(&self.agent.actor, MessageKind::Public, None, body).await
    }

    async fn note(&self, text: &str) -> anyhow::Result<()> {
        self.send(&self.agent.actor, MessageKind::Note, None, self.vars.fill(text)).await
    }

    async fn send(&self, actor: &Actor, kind: MessageKind, author: Option<Id>, body: String) -> anyhow::Result<()> {
        let input = NewMessage { kind, author_contact_id: author, body_html: text_to_html(&body), body_text: body, attachments: vec![] };
        self.store.add_message(actor, self.ticket, &input).await?;
        Ok(())
    }
}

/// Index of a language in per-language arrays: vi, pl, en.
fn slot(locale: Locale) -> usize {
    match locale {
        Locale::Vi => 0,
        Locale::Pl => 1,
        Locale::En => 2,
    }
}

pub async fn create<R: Rng>(
    store: &dyn Store,
    sys: &Actor,
    rng: &mut R,
    dir: &Directory,
    customers: &[Customer],
    count: usize,
) -> anyhow::Result<Counts> {
    // A third per language, in shuffled order.
    let mut languages: Vec<Locale> = (0..count).map(|i| [Locale::Vi, Locale::Pl, Locale::En][i % 3]).collect();
    languages.shuffle(rng);
    let by_locale = |l: Locale| customers.iter().filter(|c| c.person.locale == l).collect::<Vec<_>>();
    let pools = [by_locale(Locale::Vi), by_locale(Locale::Pl), by_locale(Locale::En)];

    let mut counts = Counts::default();
    for locale in languages {
        let pack = super::pack(locale);
        let topic = &pack.topics[rng.gen_range(0..pack.topics.len())];
        // The scenario: which opening, and the subjects and replies that go with it.
        let n = topic.openings.len();
        let v = rng.gen_range(0..n);
        let team = if topic.billing { dir.billing_team } else { dir.language_team(locale) };
        let agent = pick(rng, &dir.assignable(team, locale));
        let customer = pick(rng, &pools[slot(locale)]);
        let status = weighted(rng, STATUSES);

        let (mut vars, plan) = text::ticket_vars(rng, locale, topic.brand, topic.device);
        let p = &customer.person;
        vars.female = p.female;
        vars.set("name", p.name.as_str());
        vars.set("first", p.first.as_str());
        vars.set("addr", p.addr.as_str());
        vars.set("agent", agent.user.name.as_str());
        vars.set("agent_first", agent.first.as_str());
        let (brand_id, brand_name) = match topic.brand {
            BrandKind::Phones => (dir.phones_brand, "Sao Mai Mobile"),
            BrandKind::Saas => (dir.saas_brand, "Kwitek"),
        };
        vars.set("brand", brand_name);

        let channel = channel(rng, locale, topic.tags);
        let mut tags: Vec<String> = topic.tags.iter().map(|t| t.to_string()).collect();
        if customer.vip {
            tags.push("vip".into());
        }
        if channel == Channel::Social {
            tags.push(social_tag(rng, locale).into());
        }
        let mut custom_fields = Map::new();
        for field in topic.fields {
            let (key, value) = match field {
                Field::Order => ("order_number", vars.get("order").unwrap_or_default().to_string()),
                Field::Device => ("device", vars.get("device").unwrap_or_default().to_string()),
                Field::Plan => ("plan", plan.to_string()),
            };
            custom_fields.insert(key.into(), Value::String(value));
        }

        let opening = topic.openings[v];
        let first = if formal(channel) { paragraphs(&[pick(rng, pack.hello), opening, pick(rng, pack.bye)]) } else { opening.to_string() };
        let assigned = status != TicketStatus::New || rng.gen_bool(0.5);
        let input = NewTicket {
            brand_id: Some(brand_id),
            priority: Some(priority(rng, topic.urgency, customer.vip)),
            channel: Some(channel),
            language: Some(locale),
            requester_id: Some(customer.id),
            assignee_id: assigned.then_some(agent.user.id),
            team_id: Some(team),
            tags,
            custom_fields,
            message: Some(FirstMessage { body: Some(vars.fill(&first)), html: None, kind: None }),
            ..NewTicket::new(vars.fill(pick(rng, topic.subjects[v])))
        };
        let ticket = store.create_ticket(sys, &input).await?;
        counts.tickets += 1;
        counts.messages += 1;

        let w = Writer { pack, vars, channel, store, sys, ticket: ticket.id, customer: customer.id, agent };
        // Every flow asks before the customer answers; the answer matches the ask.
        let mut asked = 0;
        for step in pick(rng, flows(status)) {
            let text = match step {
                Ask => {
                    let (i, ask) = for_scenario(rng, topic.asks, v, n);
                    asked = i;
                    ask
                }
                Answer => topic.answers[asked],
                Update if !topic.updates.is_empty() && rng.gen_bool(0.7) => for_scenario(rng, topic.updates, v, n).1,
                Update => pick(rng, pack.updates),
                Fix => for_scenario(rng, topic.fixes, v, n).1,
                Nudge => pick(rng, pack.nudges),
                Thanks => pick(rng, pack.thanks),
                // Nobody has worked a new ticket yet: only triage notes fit.
                Note if status != TicketStatus::New && rng.gen_bool(0.75) => for_scenario(rng, topic.notes, v, n).1,
                Note => pick(rng, pack.notes),
            };
            match step {
                Ask | Update | Fix => w.agent(rng, text).await?,
                Answer | Nudge | Thanks => w.customer(rng, text).await?,
                Note => w.note(text).await?,
            }
            counts.messages += 1;
        }

        let set = |s: TicketStatus| TicketPatch { status: Some(s), ..Default::default() };
        match status {
            TicketStatus::New | TicketStatus::Open => {}
            TicketStatus::Pending | TicketStatus::OnHold | TicketStatus::Solved => {
                store.update_ticket(&agent.actor, ticket.id, &set(status)).await?;
            }
            TicketStatus::Closed => {
                store.update_ticket(&agent.actor, ticket.id, &set(TicketStatus::Solved)).await?;
                // Solved tickets close on their own after a while: the system does it.
                store.update_ticket(sys, ticket.id, &set(TicketStatus::Closed)).await?;
            }
        }
    }
    Ok(counts)
}
