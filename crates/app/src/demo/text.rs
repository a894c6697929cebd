//! The shapes of the demo conversation templates, and how they are filled in.
//!
//! Templates are plain text with `{placeholders}`:
//! - `{key}` is replaced by a value of [`Vars`]; `{Key}` by the same value
//!   with its first letter capitalised (for Vietnamese `{Addr}`: "Anh Minh");
//! - `{male|female}` picks a form by the customer's gender (Polish verbs:
//!   `{zamówiłem|zamówiłam}`).

use rand::Rng;
use rapport_domain::Locale;

/// Which demo brand a topic belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrandKind {
    /// Sao Mai Mobile: a Vietnamese phone shop.
    Phones,
    /// Kwitek: Polish invoicing and point-of-sale software, with hardware.
    Saas,
}

/// The custom fields a topic fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Order,
    Device,
    Plan,
}

/// What `{device}` stands for in a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dev {
    Phone,
    Terminal,
    Printer,
    Scanner,
    /// Any Kwitek hardware.
    Hardware,
}

/// One kind of customer problem, with the pieces of its conversation.
///
/// Each opening is a scenario. A list of replies (asks, fixes, updates,
/// notes) as long as `openings` is aligned with them: entry `i` belongs to
/// opening `i`. A list of another length holds generic texts that fit every
/// scenario. `answers[i]` always answers `asks[i]`.
pub struct Topic {
    pub brand: BrandKind,
    pub tags: &'static [&'static str],
    /// Billing matters go to the restricted Billing team.
    pub billing: bool,
    /// 0 (can wait) to 2 (business is stuck).
    pub urgency: u8,
    pub fields: &'static [Field],
    pub device: Dev,
    /// Subjects per opening (a few alternatives each).
    pub subjects: &'static [&'static [&'static str]],
    /// The customer's first message.
    pub openings: &'static [&'static str],
    /// Agent asks for details.
    pub asks: &'static [&'static str],
    /// Customer gives the details.
    pub answers: &'static [&'static str],
    /// Agent says the matter is in progress (empty: the pack's generic ones).
    pub updates: &'static [&'static str],
    /// Agent solves the matter.
    pub fixes: &'static [&'static str],
    /// Internal notes.
    pub notes: &'static [&'static str],
}

/// Everything written in one language.
pub struct Pack {
    pub locale: Locale,
    pub topics: &'static [Topic],
    pub hello: &'static [&'static str],
    pub bye: &'static [&'static str],
    pub agent_hello: &'static [&'static str],
    pub agent_bye: &'static [&'static str],
    pub nudges: &'static [&'static str],
    pub thanks: &'static [&'static str],
    pub updates: &'static [&'static str],
    pub notes: &'static [&'static str],
}

pub fn pick<T: Copy, R: Rng>(rng: &mut R, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

/// Picks from a list of replies for scenario `v` of `n` (see [`Topic`]):
/// the aligned entry if the list is aligned, any entry otherwise. Returns the index too.
pub fn for_scenario<R: Rng>(rng: &mut R, items: &'static [&'static str], v: usize, n: usize) -> (usize, &'static str) {
    let i = if items.len() == n { v } else { rng.gen_range(0..items.len()) };
    (i, items[i])
}

/// Values for the placeholders of one ticket.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    pub female: bool,
    values: Vec<(&'static str, String)>,
}

impl Vars {
    pub fn set(&mut self, key: &'static str, value: impl Into<String>) {
        let value = value.into();
        match self.values.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.values.push((key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    }

    /// Fills a template. An unknown placeholder is left as it is (the
    /// template test catches those).
    pub fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let key = &after[..end];
            match self.resolve(key) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push('{');
                    out.push_str(key);
                    out.push('}');
                }
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    fn resolve(&self, key: &str) -> Option<String> {
        if let Some((male, female)) = key.split_once('|') {
            return Some(if self.female { female } else { male }.to_string());
        }
        if let Some(v) = self.get(key) {
            return Some(v.to_string());
        }
        let mut chars = key.chars();
        let first = chars.next()?;
        if !first.is_uppercase() {
            return None;
        }
        let lower: String = first.to_lowercase().chain(chars).collect();
        self.get(&lower).map(capitalize)
    }
}

pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins the non-empty parts of a message with blank lines.
pub fn paragraphs(parts: &[&str]) -> String {
    parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

// ---------------------------------------------------------------- values

const PHONES: &[&str] = &[
    "iPhone 15 Pro Max 256GB",
    "iPhone 15 128GB",
    "iPhone 14 128GB",
    "Samsung Galaxy S24 Ultra",
    "Samsung Galaxy A55 5G",
    "Samsung Galaxy Z Flip5",
    "Xiaomi Redmi Note 13 Pro",
    "Xiaomi 14T",
    "OPPO Reno11 F",
    "vivo V30",
    "realme C67",
];
const TERMINALS: &[&str] = &["Kwitek T2", "Kwitek T2 Mini", "Kwitek T3 Pro"];
const PRINTERS: &[&str] = &["Kwitek Print 58", "Kwitek Print 80"];
const SCANNERS: &[&str] = &["Kwitek Skan 1D", "Kwitek Skan 2D"];

const VND: &[u64] = &[490_000, 890_000, 1_290_000, 2_490_000, 4_990_000, 7_990_000, 12_490_000, 22_990_000, 31_990_000];
const PLN: &[u64] = &[49, 99, 149, 249, 399, 1_299];
const EUR: &[u64] = &[19, 49, 79, 129, 249];

pub const PLANS: &[&str] = &["basic", "pro", "enterprise"];

/// `1290000` → `1.290.000` (sep `.`), `1,290,000` (sep `,`), `1 290 000` (sep ` `).
fn thousands(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn digits<R: Rng>(rng: &mut R, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

fn letters<R: Rng>(rng: &mut R, n: usize) -> String {
    const SET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..n).map(|_| char::from(SET[rng.gen_range(0..SET.len())])).collect()
}

/// The ticket-specific placeholders: order numbers, devices, amounts, ...
/// People (`name`, `first`, `addr`, `agent`, ...) are set by the caller.
pub fn ticket_vars<R: Rng>(rng: &mut R, locale: Locale, brand: BrandKind, dev: Dev) -> (Vars, &'static str) {
    let mut v = Vars::default();
    let plan = pick(rng, PLANS);
    v.set("plan", capitalize(plan));
    let device: &'static str = match dev {
        Dev::Phone => pick(rng, PHONES),
        Dev::Terminal => pick(rng, TERMINALS),
        Dev::Printer => pick(rng, PRINTERS),
        Dev::Scanner => pick(rng, SCANNERS),
        Dev::Hardware => pick(rng, &[TERMINALS, PRINTERS, SCANNERS].concat()),
    };
    v.set("device", device);
    v.set("days", rng.gen_range(2..=6).to_string());
    v.set("last4", digits(rng, 4));
    v.set("imei", format!("35{}", digits(rng, 13)));
    v.set("code", letters(rng, 8));
    v.set("err", format!("E{}", rng.gen_range(1000..9999)));
    match brand {
        BrandKind::Phones => {
            v.set("order", format!("SM{}", digits(rng, 6)));
            v.set("tracking", format!("{}VN", digits(rng, 11)));
            v.set("invoice", format!("HD{}", digits(rng, 7)));
            let amount = pick(rng, VND);
            v.set(
                "amount",
                if locale == Locale::Vi { format!("{}đ", thousands(amount, '.')) } else { format!("{} VND", thousands(amount, ',')) },
            );
        }
        BrandKind::Saas => {
            v.set("order", format!("KW-{}", digits(rng, 5)));
            v.set("tracking", digits(rng, 12));
            if locale == Locale::Pl {
                v.set("invoice", format!("FV/{}/{}/KW", rng.gen_range(100..999), rng.gen_range(1..12)));
                v.set("amount", format!("{},00 zł", thousands(pick(rng, PLN), ' ')));
            } else {
                v.set("invoice", format!("INV-{}", digits(rng, 6)));
                v.set("amount", format!("€{}.00", pick(rng, EUR)));
            }
        }
    }
    let (couriers, cities): (&[&str], &[&str]) = match (locale, brand) {
        (Locale::Vi, _) => (
            &["Giao Hàng Nhanh", "Giao Hàng Tiết Kiệm", "Viettel Post", "J&T Express"],
            &["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Nha Trang", "Huế", "Biên Hòa"],
        ),
        (_, BrandKind::Phones) => {
            (&["GHN", "Viettel Post", "J&T Express"], &["Hanoi", "Ho Chi Minh City", "Da Nang", "Hoi An", "Nha Trang"])
        }
        (Locale::Pl, _) => (&["InPost", "DPD", "DHL", "Pocztex"], &["Warszawa", "Kraków", "Gdańsk", "Wrocław", "Poznań"]),
        _ => (&["DHL", "UPS", "DPD"], &["Berlin", "Dublin", "Vienna", "Prague", "Amsterdam"]),
    };
    v.set("courier", pick(rng, couriers));
    v.set("city", pick(rng, cities));
    (v, plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn fills_keys_capitals_and_gender() {
        let mut v = Vars { female: true, ..Default::default() };
        v.set("addr", "chị Hương");
        assert_eq!(v.fill("{Addr} ơi, {addr}!"), "Chị Hương ơi, chị Hương!");
        assert_eq!(v.fill("{Zamówiłem|Zamówiłam} {x} i {"), "Zamówiłam {x} i {");
        assert_eq!(thousands(1_290_000, '.'), "1.290.000");
        assert_eq!(thousands(490, ','), "490");
    }

    /// Every template of every pack fills without a leftover placeholder.
    #[test]
    fn every_template_fills() {
        let mut rng = StdRng::seed_from_u64(1);
        for pack in super::super::packs() {
            for topic in pack.topics {
                let (mut v, _) = ticket_vars(&mut rng, pack.locale, topic.brand, topic.device);
                for (k, val) in [("name", "N"), ("first", "F"), ("addr", "a"), ("agent", "A"), ("agent_first", "AF"), ("brand", "B")] {
                    v.set(k, val);
                }
                let subjects: Vec<&str> = topic.subjects.iter().flat_map(|s| s.iter().copied()).collect();
                let all = [
                    subjects.as_slice(),
                    topic.openings,
                    topic.asks,
                    topic.answers,
                    topic.updates,
                    topic.fixes,
                    topic.notes,
                    pack.hello,
                    pack.bye,
                    pack.agent_hello,
                    pack.agent_bye,
                    pack.nudges,
                    pack.thanks,
                    pack.updates,
                    pack.notes,
                ];
                for t in all.iter().flat_map(|s| s.iter()) {
                    let out = v.fill(t);
                    assert!(!out.contains('{') && !out.contains('}'), "{:?}: {t}", pack.locale);
                }
                let first = topic.openings[0];
                assert_eq!(topic.subjects.len(), topic.openings.len(), "subjects per opening: {first}");
                assert!(topic.subjects.iter().all(|s| !s.is_empty()), "{first}");
                assert_eq!(topic.answers.len(), topic.asks.len(), "an answer per ask: {first}");
                assert!(!topic.asks.is_empty() && !topic.fixes.is_empty() && !topic.notes.is_empty(), "{first}");
            }
        }
    }
}
