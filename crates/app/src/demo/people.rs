//! Customers: organizations and contacts with Vietnamese, Polish and English names.
//!
//! Email addresses use reserved domains (`.example`, `example.com`, ...) so
//! that a demo instance wired to a real mail server cannot write to anyone.

use super::text::pick;
use rand::Rng;
use rapport_domain::Locale;
use std::collections::HashSet;

pub struct OrgSeed {
    pub name: &'static str,
    pub domain: &'static str,
    pub locale: Locale,
    pub vip: bool,
    pub notes: Option<&'static str>,
}

const fn org(name: &'static str, domain: &'static str, locale: Locale) -> OrgSeed {
    OrgSeed { name, domain, locale, vip: false, notes: None }
}

const fn vip(name: &'static str, domain: &'static str, locale: Locale, notes: &'static str) -> OrgSeed {
    OrgSeed { name, domain, locale, vip: true, notes: Some(notes) }
}

pub static ORGS: &[OrgSeed] = &[
    org("Công ty TNHH Thương mại Minh Phát", "minhphat.example", Locale::Vi),
    vip(
        "Công ty Cổ phần Công nghệ Sao Việt",
        "saoviet.example",
        Locale::Vi,
        "Khách hàng doanh nghiệp: mua điện thoại cho toàn bộ nhân viên, ưu tiên hỗ trợ.",
    ),
    org("Nhà sách Phương Nam Xanh", "phuongnamxanh.example", Locale::Vi),
    org("Công ty TNHH Du lịch Biển Ngọc", "biengoc.example", Locale::Vi),
    org("Hợp tác xã Nông sản Đà Lạt Xanh", "dalatxanh.example", Locale::Vi),
    org("Trung tâm Anh ngữ Ánh Dương", "anhduong.example", Locale::Vi),
    org("Chuỗi cà phê Hạt Mộc", "hatmoc.example", Locale::Vi),
    org("Công ty Cổ phần Logistics Sông Hàn", "songhan.example", Locale::Vi),
    org("Nha khoa Nụ Cười Việt", "nucuoiviet.example", Locale::Vi),
    org("Công ty TNHH Nội thất Gỗ Đỏ", "godo.example", Locale::Vi),
    vip("Khách sạn Hoa Sen Hội An", "hoasenhoian.example", Locale::Vi, "Hợp đồng cung cấp thiết bị cho lễ tân, phản hồi trong 2 giờ."),
    org("Công ty TNHH Thời trang Lụa Hà Đông", "luahadong.example", Locale::Vi),
    org("Piekarnia Złoty Kłos sp. z o.o.", "zlotyklos.example", Locale::Pl),
    org("Kwiaciarnia Różany Zakątek", "rozanyzakatek.example", Locale::Pl),
    vip("Hurtownia Budowlana Dąb", "hurtowniadab.example", Locale::Pl, "Plan Enterprise, 12 stanowisk. Opiekun: Katarzyna Dąbrowska."),
    org("Kawiarnia Pod Żółtym Parasolem", "zoltyparasol.example", Locale::Pl),
    org("Apteka Zdrowie Plus", "zdrowieplus.example", Locale::Pl),
    org("Księgarnia Wędrowiec", "wedrowiec.example", Locale::Pl),
    org("Zakład Stolarski Górecki i Syn", "stolarniagorecki.example", Locale::Pl),
    org("Sklep Rowerowy Szprycha", "szprycha.example", Locale::Pl),
    vip(
        "Biuro Rachunkowe Bilans s.c.",
        "bilans.example",
        Locale::Pl,
        "Partner: poleca nas swoim klientom. Odpowiadać w pierwszej kolejności.",
    ),
    org("Pracownia Ceramiki Glina", "pracowniaglina.example", Locale::Pl),
    org("Pierogarnia u Zosi", "uzosi.example", Locale::Pl),
    org("Salon Fryzjerski Nożyczki", "nozyczki.example", Locale::Pl),
    org("Harbor Lane Coffee Co.", "harborlane.example", Locale::En),
    org("Brightwater Dental Clinic", "brightwater.example", Locale::En),
    org("Foxglove & Thyme Florists", "foxglove.example", Locale::En),
    org("Northgate Bicycle Works", "northgatebikes.example", Locale::En),
    org("Saigon Expat Services", "saigonexpat.example", Locale::En),
    org("Blue Lotus Yoga Studio", "bluelotus.example", Locale::En),
    vip("Kestrel Analytics", "kestrel.example", Locale::En, "Enterprise customer, 40 seats. Renewal due next quarter."),
    org("Maple & Stone Interiors", "maplestone.example", Locale::En),
    org("Riverside Community Library", "riversidelibrary.example", Locale::En),
    vip(
        "Pinecrest Veterinary Hospital",
        "pinecrestvet.example",
        Locale::En,
        "Three clinics; escalate outages straight to the on-call engineer.",
    ),
    org("Tidewater Marine Supply", "tidewater.example", Locale::En),
];

/// How many contacts of each language.
pub const CONTACTS_PER_LOCALE: [(Locale, usize); 3] = [(Locale::Vi, 80), (Locale::Pl, 80), (Locale::En, 76)];

/// A generated customer, before it is stored.
pub struct Person {
    pub name: String,
    /// What an agent calls them: "Hương" / "Łukasz" / "Emily".
    pub first: String,
    /// How a Vietnamese agent addresses them ("chị Hương"); the first name elsewhere.
    pub addr: String,
    pub female: bool,
    pub locale: Locale,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Indexes into [`ORGS`].
    pub orgs: Vec<usize>,
}

const VI_FAMILY: &[&str] = &[
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Trịnh", "Đinh",
];
const VI_MIDDLE_M: &[&str] = &["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Gia", "Anh", "Hoàng"];
const VI_MIDDLE_F: &[&str] = &["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bảo", "Mỹ", "Khánh", "Phương"];
const VI_GIVEN_M: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Minh", "Khoa", "Phúc", "Long", "Quân", "Nam", "Sơn", "Thắng", "Hiếu", "Đạt", "Trung", "Vinh", "Huy", "Khải",
    "Lộc", "Bình", "Tùng",
];
const VI_GIVEN_F: &[&str] = &[
    "Hương", "Lan", "Mai", "Linh", "Trang", "Thảo", "Hà", "Ngân", "Yến", "Phương", "Nhung", "Hạnh", "Quỳnh", "Vy", "Ánh", "Hằng", "Diệp",
    "Uyên", "Trâm", "Loan",
];

const PL_FIRST_M: &[&str] = &[
    "Łukasz",
    "Piotr",
    "Krzysztof",
    "Tomasz",
    "Paweł",
    "Michał",
    "Marcin",
    "Grzegorz",
    "Jakub",
    "Wojciech",
    "Mateusz",
    "Bartosz",
    "Andrzej",
    "Jarosław",
    "Szymon",
    "Kacper",
];
const PL_FIRST_F: &[&str] = &[
    "Anna",
    "Małgorzata",
    "Agnieszka",
    "Katarzyna",
    "Joanna",
    "Magdalena",
    "Zofia",
    "Ewa",
    "Aleksandra",
    "Beata",
    "Dorota",
    "Justyna",
    "Monika",
    "Barbara",
    "Urszula",
    "Jadwiga",
];
/// Surnames that change with gender: (his, hers).
const PL_LAST_GENDERED: &[(&str, &str)] = &[
    ("Kowalski", "Kowalska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Lewandowski", "Lewandowska"),
    ("Żółkiewski", "Żółkiewska"),
    ("Dąbrowski", "Dąbrowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Kamiński", "Kamińska"),
    ("Jabłoński", "Jabłońska"),
    ("Górecki", "Górecka"),
    ("Grabowski", "Grabowska"),
    ("Śliwiński", "Śliwińska"),
    ("Wróblewski", "Wróblewska"),
    ("Chmielewski", "Chmielewska"),
];
const PL_LAST: &[&str] = &[
    "Nowak",
    "Wójcik",
    "Kowalczyk",
    "Woźniak",
    "Mazur",
    "Krawczyk",
    "Zając",
    "Król",
    "Wróbel",
    "Dudek",
    "Kaczmarek",
    "Pawlak",
    "Sienkiewicz",
    "Błaszczyk",
    "Michalak",
];

const EN_FIRST_M: &[&str] =
    &["James", "Oliver", "Daniel", "Thomas", "Ethan", "Samuel", "Henry", "Lucas", "Ryan", "Michael", "Nathan", "George", "Arjun", "Marco"];
const EN_FIRST_F: &[&str] = &[
    "Emily",
    "Sophie",
    "Charlotte",
    "Grace",
    "Olivia",
    "Hannah",
    "Chloe",
    "Amelia",
    "Jessica",
    "Rachel",
    "Megan",
    "Lucy",
    "Aisha",
    "Nora",
];
const EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thompson", "Walker", "Robinson", "Wright", "Hughes", "Clarke",
    "Mitchell", "Turner", "Parker", "Collins", "Bennett", "Hayes", "Fletcher", "O'Brien", "Khan", "Rossi", "Murphy",
];

const PERSONAL_DOMAINS: &[&str] = &["example.com", "example.net", "example.org", "mail.example"];

/// Lowercase ASCII for email addresses: "Nguyễn Thị Hương" → "nguyen thi huong".
pub fn ascii_fold(s: &str) -> String {
    const TABLE: &[(&str, char)] = &[
        ("àáảãạăằắẳẵặâầấẩẫậą", 'a'),
        ("èéẻẽẹêềếểễệę", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
        ("ł", 'l'),
        ("ć", 'c'),
        ("ń", 'n'),
        ("ś", 's'),
        ("źż", 'z'),
    ];
    s.to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() || c == ' ' {
                return Some(c);
            }
            TABLE.iter().find(|(set, _)| set.contains(c)).map(|(_, to)| *to)
        })
        .collect()
}

fn digits<R: Rng>(rng: &mut R, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

fn phone<R: Rng>(rng: &mut R, locale: Locale) -> String {
    match locale {
        Locale::Vi => format!("+84 9{} {} {}", digits(rng, 2), digits(rng, 3), digits(rng, 3)),
        Locale::Pl => format!("+48 {}{} {} {}", pick(rng, &["5", "6", "7"]), digits(rng, 2), digits(rng, 3), digits(rng, 3)),
        // Ofcom's range for drama: never a real subscriber.
        Locale::En => format!("+44 7700 900{}", digits(rng, 3)),
    }
}

/// (full name, first name, address form, female)
fn name<R: Rng>(rng: &mut R, locale: Locale) -> (String, String, String, bool) {
    let female = rng.gen_bool(0.5);
    match locale {
        Locale::Vi => {
            let family = pick(rng, VI_FAMILY);
            let (middles, givens) = if female { (VI_MIDDLE_F, VI_GIVEN_F) } else { (VI_MIDDLE_M, VI_GIVEN_M) };
            let given = pick(rng, givens);
            let mut middle = pick(rng, middles);
            while middle == given {
                middle = pick(rng, middles);
            }
            let addr = format!("{} {given}", if female { "chị" } else { "anh" });
            (format!("{family} {middle} {given}"), given.to_string(), addr, female)
        }
        Locale::Pl => {
            let first = pick(rng, if female { PL_FIRST_F } else { PL_FIRST_M });
            let last = if rng.gen_bool(0.5) {
                let (his, hers) = pick(rng, PL_LAST_GENDERED);
                if female {
                    hers
                } else {
                    his
                }
            } else {
                pick(rng, PL_LAST)
            };
            (format!("{first} {last}"), first.to_string(), first.to_string(), female)
        }
        Locale::En => {
            let first = pick(rng, if female { EN_FIRST_F } else { EN_FIRST_M });
            let last = pick(rng, EN_LAST);
            (format!("{first} {last}"), first.to_string(), first.to_string(), female)
        }
    }
}

fn email<R: Rng>(rng: &mut R, locale: Locale, full: &str, org_domain: &str, taken: &mut HashSet<String>) -> String {
    let words: Vec<String> = ascii_fold(full).split_whitespace().map(str::to_string).collect();
    // Vietnamese names run family-first; the given name is the last word.
    let (first, last) = match locale {
        Locale::Vi => (words[words.len() - 1].clone(), words[0].clone()),
        _ => (words[0].clone(), words[words.len() - 1].clone()),
    };
    let work = rng.gen_bool(0.45);
    let domain = if work { org_domain } else { pick(rng, PERSONAL_DOMAINS) };
    let local = match rng.gen_range(0..4) {
        0 => format!("{first}.{last}"),
        1 => format!("{first}{last}{}", rng.gen_range(70..100)),
        2 => format!("{}{last}", &first[..1]),
        _ => format!("{last}.{first}"),
    };
    let mut candidate = format!("{local}@{domain}");
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{local}{n}@{domain}");
        n += 1;
    }
    candidate
}

/// Generates every demo contact, linked to organizations of their language
/// (some to two).
pub fn contacts<R: Rng>(rng: &mut R) -> Vec<Person> {
    let mut out = Vec::new();
    let mut names = HashSet::new();
    let mut emails = HashSet::new();
    for (locale, count) in CONTACTS_PER_LOCALE {
        let own: Vec<usize> = (0..ORGS.len()).filter(|&i| ORGS[i].locale == locale).collect();
        for _ in 0..count {
            let (full, first, addr, female) = loop {
                let n = name(rng, locale);
                if names.insert(n.0.clone()) {
                    break n;
                }
            };
            let main = pick(rng, &own);
            let mut orgs = vec![main];
            if rng.gen_bool(0.15) {
                let other = pick(rng, &own);
                if other != main {
                    orgs.push(other);
                }
            }
            // Everyone can be written to or called; most can both.
            let (has_email, has_phone) = match rng.gen_range(0..10) {
                0 => (false, true),
                1..=4 => (true, false),
                _ => (true, true),
            };
            let email = has_email.then(|| email(rng, locale, &full, ORGS[main].domain, &mut emails));
            let phone = has_phone.then(|| phone(rng, locale));
            out.push(Person { name: full, first, addr, female, locale, email, phone, orgs });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics() {
        assert_eq!(ascii_fold("Nguyễn Thị Hương"), "nguyen thi huong");
        assert_eq!(ascii_fold("Łukasz Żółkiewski"), "lukasz zolkiewski");
        assert_eq!(ascii_fold("Đặng O'Brien"), "dang obrien");
    }
}
