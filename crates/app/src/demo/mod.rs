//! Demo data: one workspace with two brands (a Vietnamese phone shop and a
//! Polish invoicing/point-of-sale product), staff in every role, teams,
//! custom fields, organizations, contacts, and a thousand-odd tickets with
//! conversations in Vietnamese, Polish and English.
//!
//! Everything goes through the [`Store`] trait, so it seeds either backend.
//! The texts are assembled from the templates in `text_*.rs`; the same seed
//! always gives the same data.

mod kb;
mod measure;
mod people;
mod replies;
mod setup;
mod text;
mod text_en;
mod text_pl;
mod text_vi;
mod tickets;

use anyhow::Context;
use rand::{rngs::StdRng, SeedableRng};
use rapport_domain::{Actor, Locale, Role};
use rapport_store::model::{NewContact, NewOrganization};
use rapport_store::Store;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "rapport-demo";

/// How many tickets the demo holds.
const TICKETS: usize = 1_080;

#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub email: String,
    pub password: String,
    pub role: Role,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub workspace_slug: String,
    pub logins: Vec<DemoLogin>,
    pub brands: usize,
    pub users: usize,
    pub teams: usize,
    pub contacts: usize,
    pub organizations: usize,
    pub tickets: usize,
    /// Conversation messages written (customer, agent and notes); the store
    /// adds its own system messages for status changes on top.
    pub messages: usize,
    /// CSAT, CES and NPS answers (for the experience dashboard).
    pub survey_answers: usize,
}

impl std::fmt::Display for DemoSummary {
    /// A few lines for a terminal: what was created, and how to sign in.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Workspace \"{}\": {} brands, {} users, {} teams, {} organizations, {} contacts, {} tickets, {} messages, {} survey answers.",
            self.workspace_slug,
            self.brands,
            self.users,
            self.teams,
            self.organizations,
            self.contacts,
            self.tickets,
            self.messages,
            self.survey_answers
        )?;
        for l in &self.logins {
            writeln!(f, "  {:<7} {:<26} {:<14} {}", l.role.as_str(), l.email, l.password, l.name)?;
        }
        Ok(())
    }
}

fn packs() -> [&'static text::Pack; 3] {
    [&text_vi::PACK, &text_pl::PACK, &text_en::PACK]
}

fn pack(locale: Locale) -> &'static text::Pack {
    packs().into_iter().find(|p| p.locale == locale).expect("a pack per locale")
}

/// Seeds one demo workspace. `password_hash` is an argon2id PHC string of
/// DEMO_PASSWORD, computed once by the caller and used for every demo user.
/// Deterministic for a given `seed`.
pub async fn seed(store: &dyn Store, password_hash: &str, seed: u64) -> anyhow::Result<DemoSummary> {
    let mut rng = StdRng::seed_from_u64(seed);
    let ws = store
        .create_workspace("Rapport Demo", "demo")
        .await
        .context("creating the demo workspace (does a workspace with slug \"demo\" exist already?)")?;
    let sys = Actor::system(ws.id);

    let dir = setup::directory(store, &sys, password_hash).await?;

    let mut org_ids = Vec::with_capacity(people::ORGS.len());
    for o in people::ORGS {
        let input = NewOrganization { name: o.name.into(), domain: Some(o.domain.into()), notes: o.notes.map(str::to_string) };
        org_ids.push(store.create_organization(&sys, &input).await?.id);
    }

    let mut customers = Vec::new();
    for person in people::contacts(&mut rng) {
        let input = NewContact {
            name: person.name.clone(),
            email: person.email.clone(),
            phone: person.phone.clone(),
            locale: Some(person.locale),
            organization_ids: person.orgs.iter().map(|&i| org_ids[i]).collect(),
        };
        let contact = store.create_contact(&sys, &input).await.with_context(|| format!("creating contact {}", person.name))?;
        let vip = person.orgs.iter().any(|&i| people::ORGS[i].vip);
        customers.push(tickets::Customer { id: contact.id, person, vip });
    }

    let counts = tickets::create(store, &sys, &mut rng, &dir, &customers, TICKETS).await?;
    replies::create(store, &sys, &dir).await.context("creating canned replies and macros")?;
    let measured = measure::seed(store, &sys, &mut rng, &dir, &customers).await.context("creating past tickets and survey answers")?;
    let verifier = dir.staff.iter().find(|s| s.user.role == Role::Csm).map(|s| s.user.id);
    kb::create(store, &sys, &[("sao-mai", dir.phones_brand), ("kwitek", dir.saas_brand)], verifier)
        .await
        .context("creating the help-center articles")?;

    Ok(DemoSummary {
        workspace_slug: ws.slug,
        logins: dir.logins,
        brands: 2,
        users: dir.users,
        teams: dir.teams,
        contacts: customers.len(),
        organizations: org_ids.len(),
        tickets: counts.tickets + measured.tickets,
        survey_answers: measured.answers,
        messages: counts.messages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_store::metrics::MetricsStore;
    use rapport_store::model::{ListQuery, TicketQuery};
    use rapport_store::replies::RepliesStore;
    use rapport_store::surveys::SurveyStore;
    use rapport_store::Cursor;
    use rapport_store_sqlite::SqliteStore;

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

    fn next(cursor: Option<String>) -> Option<Cursor> {
        cursor.as_deref().and_then(Cursor::decode)
    }

    #[tokio::test]
    async fn seeds_a_full_workspace() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let store = SqliteStore::open(dir.path().join("t.db")).await?;
        store.migrate().await?;

        let started = std::time::Instant::now();
        let summary = seed(&store, HASH, 42).await?;
        eprintln!("demo seed took {:?}\n{summary}", started.elapsed());

        let ws = store.workspace_by_slug("demo").await?;
        let sys = Actor::system(ws.id);

        let mut tickets = Vec::new();
        let mut q = TicketQuery { limit: 100, ..Default::default() };
        loop {
            let page = store.list_tickets(&sys, &q).await?;
            tickets.extend(page.items);
            match next(page.next_cursor) {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        assert!(tickets.len() >= 1000, "{} tickets", tickets.len());
        assert_eq!(tickets.len(), summary.tickets);
        let per_language: Vec<usize> =
            [Locale::Vi, Locale::Pl, Locale::En].iter().map(|l| tickets.iter().filter(|t| t.language == Some(*l)).count()).collect();
        assert!(per_language.iter().all(|&n| n >= 300), "per language: {per_language:?}");
        let brands: std::collections::HashSet<_> = tickets.iter().filter_map(|t| t.brand_id).collect();
        assert_eq!(brands.len(), 2);
        for status in rapport_domain::TicketStatus::ALL {
            assert!(tickets.iter().any(|t| t.status == *status), "no {status} ticket");
        }
        for channel in rapport_domain::Channel::ALL {
            assert!(tickets.iter().any(|t| t.channel == *channel), "no {channel} ticket");
        }
        assert!(tickets.iter().any(|t| t.tags.iter().any(|g| g == "hoan-tien")));
        assert!(tickets.iter().any(|t| t.tags.iter().any(|g| g == "reklamacja")));
        assert!(tickets.iter().any(|t| t.custom_fields.get("plan").is_some()));
        eprintln!("tickets per language (vi, pl, en): {per_language:?}");

        let mut contacts = Vec::new();
        let mut q = ListQuery { limit: 100, ..Default::default() };
        loop {
            let page = store.list_contacts(&sys, &q).await?;
            contacts.extend(page.items);
            match next(page.next_cursor) {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        assert!(contacts.len() >= 200, "{} contacts", contacts.len());
        assert!(contacts.iter().all(|c| !c.organization_ids.is_empty()));
        let two_orgs = contacts.iter().filter(|c| c.organization_ids.len() == 2).count();
        assert!(two_orgs > 0);
        assert!(contacts.iter().any(|c| c.name.contains('ễ') || c.name.contains('ư')));
        assert!(contacts.iter().any(|c| c.name.contains('ł') || c.name.contains('ż')));

        let mut orgs = 0;
        let mut q = ListQuery { limit: 100, ..Default::default() };
        loop {
            let page = store.list_organizations(&sys, &q).await?;
            orgs += page.items.len();
            match next(page.next_cursor) {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        assert!(orgs >= 30, "{orgs} organizations");

        let teams = store.list_teams(&sys).await?;
        assert!(teams.len() >= 3 && teams.iter().any(|t| t.restricted));
        assert_eq!(store.list_brands(&sys).await?.len(), 2);
        assert_eq!(store.list_custom_fields(&sys).await?.len(), 3);
        let canned = store.list_canned_replies(&sys).await?;
        assert_eq!((canned.len(), store.list_macros(&sys).await?.len()), (4, 3));
        let polish = tickets.iter().find(|t| t.language == Some(Locale::Pl) && t.status != rapport_domain::TicketStatus::Closed).unwrap();
        let solved = canned.iter().find(|c| c.shortcut.as_deref() == Some("solved")).unwrap();
        let rendered = store.render_canned_reply(&sys, polish.id, solved.id).await?;
        assert!(rendered.text.contains(&format!("zgłoszenie nr {} zostało rozwiązane", polish.id)), "{}", rendered.text);

        // A conversation: the customer's first message, then whatever followed.
        let mut messages = 0;
        for t in tickets.iter().take(50) {
            let page = store.list_messages(&sys, t.id, None, 100).await?;
            assert!(page.items[0].author_contact_id == t.requester_id);
            messages += page.items.len();
        }
        assert!(messages >= 100);

        // The help centers: articles in three languages, searchable without diacritics.
        use rapport_store::kb::{ArticleQuery, ArticleSearch, KbStore, SearchScope};
        let articles = store.list_articles(&sys, &ArticleQuery { limit: 100, ..Default::default() }).await?;
        assert!(articles.items.len() >= 20, "{} articles", articles.items.len());
        let texts: usize = articles.items.iter().map(|a| a.translations.len()).sum();
        assert!(texts >= 30, "{texts} translations");
        assert!(articles.items.iter().any(|a| !a.missing_locales.is_empty()));
        let q = ArticleSearch { query: "dang nhap".into(), limit: 3, ..Default::default() };
        let hits = store.search_articles(&SearchScope::Staff(sys.clone()), &q).await?;
        assert!(hits.hits[0].title.contains("đăng nhập"), "{:?}", hits.hits.first().map(|h| &h.title));
        // Dashboards have history: past tickets with timelines and survey answers of every kind.
        assert!(summary.survey_answers >= 100, "{} survey answers", summary.survey_answers);
        let window = rapport_analytics::Period {
            from: rapport_domain::Timestamp::now().millis() - 91 * 86_400_000,
            to: rapport_domain::Timestamp::now().millis() + 60_000,
        };
        let answers = store.response_rows(&sys, &rapport_store::metrics::MetricsFilter::new(window)).await?;
        let report = rapport_analytics::experience::report(&answers, &window);
        assert!(report.csat.responses > 50 && report.nps.responses > 30 && report.ces.responses > 5, "{report:?}");
        let facts = store.fact_rows(&sys, &rapport_store::metrics::MetricsFilter::new(window)).await?;
        assert!(
            facts.iter().filter(|f| f.facts.frt_ms.is_some_and(|ms| ms > 60_000)).count() > 200,
            "replies minutes or hours after the question"
        );
        assert!(facts.iter().any(|f| f.facts.reopen_count > 0) && facts.iter().any(|f| f.facts.paused_ms > 0));
        assert_eq!(summary.workspace_slug, "demo");
        assert_eq!((summary.brands, summary.users, summary.teams), (2, 10, teams.len()));
        assert!(summary.logins.iter().all(|l| l.password == DEMO_PASSWORD && !l.name.is_empty()));
        for role in [Role::Admin, Role::Agent, Role::Csm, Role::Viewer] {
            assert!(summary.logins.iter().any(|l| l.role == role), "no {role} login");
        }
        let (admin, hash) = store.user_for_login("admin@rapport.demo").await?;
        assert_eq!(admin.role, Role::Admin);
        assert_eq!(hash.as_deref(), Some(HASH));
        eprintln!(
            "store: {} tickets, {} contacts ({two_orgs} with two organizations), {orgs} organizations, {} teams; summary: {} messages",
            tickets.len(),
            contacts.len(),
            teams.len(),
            summary.messages
        );
        Ok(())
    }

    #[test]
    fn same_seed_same_people() {
        let people = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            people::contacts(&mut rng).into_iter().map(|p| format!("{} {:?} {:?}", p.name, p.email, p.phone)).collect::<Vec<_>>()
        };
        assert_eq!(people(7), people(7));
        assert_ne!(people(7), people(8));
    }
}
