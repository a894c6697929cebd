//! The workspace's directory: brands, staff, teams and custom fields.

use super::DemoLogin;
use super::DEMO_PASSWORD;
use anyhow::Context;
use rapport_domain::{Actor, CustomFieldKind, Id, Locale, Role};
use rapport_store::model::{NewBrand, NewCustomField, NewTeam, NewUser, User};
use rapport_store::Store;

/// A staff member who can be assigned tickets and write replies.
pub struct Staff {
    pub user: User,
    /// The name they sign with: "Trang", "Marta", "Emily".
    pub first: String,
    pub actor: Actor,
}

pub struct Directory {
    pub phones_brand: Id,
    pub saas_brand: Id,
    /// Team per language, in the order vi, pl, en.
    pub language_teams: [Id; 3],
    /// The restricted billing team.
    pub billing_team: Id,
    pub team_members: Vec<(Id, Vec<Id>)>,
    pub staff: Vec<Staff>,
    pub logins: Vec<DemoLogin>,
    pub users: usize,
    pub teams: usize,
}

impl Directory {
    pub fn language_team(&self, locale: Locale) -> Id {
        match locale {
            Locale::Vi => self.language_teams[0],
            Locale::Pl => self.language_teams[1],
            Locale::En => self.language_teams[2],
        }
    }

    /// Staff of a team who may be assigned tickets, preferring those who speak `locale`.
    pub fn assignable(&self, team: Id, locale: Locale) -> Vec<&Staff> {
        let members = self.team_members.iter().find(|(t, _)| *t == team).map(|(_, m)| m.as_slice()).unwrap_or(&[]);
        let workers: Vec<&Staff> =
            self.staff.iter().filter(|s| members.contains(&s.user.id) && matches!(s.user.role, Role::Agent | Role::Csm)).collect();
        let speakers: Vec<&Staff> = workers.iter().copied().filter(|s| s.user.locale == locale).collect();
        if speakers.is_empty() {
            workers
        } else {
            speakers
        }
    }
}

/// (email, name, role, locale)
const STAFF: &[(&str, &str, Role, Locale)] = &[
    ("admin@rapport.demo", "Alex Morgan", Role::Admin, Locale::En),
    ("agent.vi@rapport.demo", "Trần Thu Trang", Role::Agent, Locale::Vi),
    ("agent.vi2@rapport.demo", "Phạm Minh Tuấn", Role::Agent, Locale::Vi),
    ("agent.pl@rapport.demo", "Marta Kowalczyk", Role::Agent, Locale::Pl),
    ("agent.pl2@rapport.demo", "Piotr Zieliński", Role::Agent, Locale::Pl),
    ("agent.en@rapport.demo", "Emily Carter", Role::Agent, Locale::En),
    ("agent.en2@rapport.demo", "Daniel Brooks", Role::Agent, Locale::En),
    ("csm@rapport.demo", "Katarzyna Dąbrowska", Role::Csm, Locale::Pl),
    ("csm.vi@rapport.demo", "Lê Hoàng Nam", Role::Csm, Locale::Vi),
    ("viewer@rapport.demo", "Oliver Bennett", Role::Viewer, Locale::En),
];

/// (name, restricted, member emails)
const TEAMS: &[(&str, bool, &[&str])] = &[
    ("Hỗ trợ Việt Nam", false, &["agent.vi@rapport.demo", "agent.vi2@rapport.demo", "csm.vi@rapport.demo"]),
    ("Wsparcie Polska", false, &["agent.pl@rapport.demo", "agent.pl2@rapport.demo", "csm@rapport.demo"]),
    ("Global Support", false, &["agent.en@rapport.demo", "agent.en2@rapport.demo"]),
    ("Billing", true, &["agent.pl2@rapport.demo", "agent.en@rapport.demo", "csm@rapport.demo", "csm.vi@rapport.demo"]),
];

fn first_name(name: &str, locale: Locale) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let w = if locale == Locale::Vi { words.last() } else { words.first() };
    w.copied().unwrap_or(name).to_string()
}

pub async fn directory(store: &dyn Store, sys: &Actor, password_hash: &str) -> anyhow::Result<Directory> {
    let brand = |name: &str, slug: &str, locale| NewBrand { name: name.into(), slug: slug.into(), default_locale: Some(locale) };
    let phones = store.create_brand(sys, &brand("Sao Mai Mobile", "sao-mai", Locale::Vi)).await?;
    let saas = store.create_brand(sys, &brand("Kwitek", "kwitek", Locale::Pl)).await?;

    let mut users = Vec::new();
    for (email, name, role, locale) in STAFF {
        let input = NewUser { email: email.to_string(), name: name.to_string(), role: *role, locale: Some(*locale), password: None };
        let user = store.create_user(sys, &input, Some(password_hash)).await.with_context(|| format!("creating user {email}"))?;
        users.push(user);
    }
    let id_of = |email: &str| users.iter().find(|u| u.email == email).map(|u| u.id).expect("staff email");

    let mut team_members = Vec::new();
    for (name, restricted, members) in TEAMS {
        let member_ids: Vec<Id> = members.iter().map(|e| id_of(e)).collect();
        let team = store.create_team(sys, &NewTeam { name: name.to_string(), restricted: *restricted, member_ids }).await?;
        team_members.push((team.id, team.member_ids));
    }

    // Reload the users now that they belong to teams: their actors need the team ids.
    let mut staff = Vec::new();
    for u in &users {
        let user = store.get_user(sys, u.id).await?;
        let actor = Actor { workspace_id: sys.workspace_id, user_id: user.id, role: user.role, team_ids: user.team_ids.clone() };
        staff.push(Staff { first: first_name(&user.name, user.locale), user, actor });
    }

    let fields = [
        NewCustomField { key: "order_number".into(), label: "Order number".into(), kind: CustomFieldKind::Text, options: vec![] },
        NewCustomField {
            key: "plan".into(),
            label: "Plan".into(),
            kind: CustomFieldKind::Select,
            options: super::text::PLANS.iter().map(|p| p.to_string()).collect(),
        },
        NewCustomField { key: "device".into(), label: "Device".into(), kind: CustomFieldKind::Text, options: vec![] },
    ];
    for f in &fields {
        store.create_custom_field(sys, f).await?;
    }

    let logins = staff
        .iter()
        .map(|s| DemoLogin {
            email: s.user.email.clone(),
            password: DEMO_PASSWORD.to_string(),
            role: s.user.role,
            name: s.user.name.clone(),
        })
        .collect();
    Ok(Directory {
        phones_brand: phones.id,
        saas_brand: saas.id,
        language_teams: [team_members[0].0, team_members[1].0, team_members[2].0],
        billing_team: team_members[3].0,
        users: staff.len(),
        teams: team_members.len(),
        team_members,
        staff,
        logins,
    })
}
