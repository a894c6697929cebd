//! SQLite and PostgreSQL return the same search results: every relevance
//! query (plus the same queries typed as you type, and a few typos and
//! fragments) gives the same articles, languages, order, scores, titles and
//! snippets on both.

use rapport_store::kb::{ArticleSearch, SearchScope};
use rapport_store::story_kb::{seed_sample, Sample, RELEVANCE};
use rapport_store::Store;
use rapport_store_sqlite::SqliteStore;

async fn seeded(store: &dyn Store) -> (rapport_domain::Actor, Sample) {
    let ws = store.create_workspace("Parity", "parity").await.unwrap();
    let admin = rapport_domain::Actor::system(ws.id);
    let sample = seed_sample(store, &admin).await;
    (admin, sample)
}

async fn results(store: &dyn Store, admin: &rapport_domain::Actor, sample: &Sample, q: &ArticleSearch) -> Vec<String> {
    let r = store.search_articles(&SearchScope::Staff(admin.clone()), q).await.unwrap();
    let mut out = vec![format!("mode={}", r.mode)];
    out.extend(
        r.hits.iter().map(|h| format!("{} {} {:.3} {} | {}", sample.key_of(h.article_id), h.locale, h.score, h.title_html, h.snippet_html)),
    );
    out
}

#[tokio::test]
async fn both_backends_return_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("parity.db")).await.unwrap();
    sqlite.migrate().await.unwrap();
    let postgres = rapport_store_postgres::testing::fresh_store().await;
    let (a1, s1) = seeded(&sqlite).await;
    let (a2, s2) = seeded(&postgres).await;

    let extra = ["fak", "dich v", "zol", "instal", "xyzzy", "ksef faktura invoice", "the", "gwarancja telefon", "pasword"];
    let mut queries: Vec<(String, bool)> = RELEVANCE.iter().map(|c| (c.query.to_string(), false)).collect();
    queries.extend(RELEVANCE.iter().map(|c| (c.query.to_string(), true)));
    queries.extend(extra.iter().map(|q| (q.to_string(), true)));
    let mut compared = 0;
    for (query, as_you_type) in &queries {
        let q = ArticleSearch { query: query.clone(), as_you_type: *as_you_type, limit: 20, ..Default::default() };
        let left = results(&sqlite, &a1, &s1, &q).await;
        let right = results(&postgres, &a2, &s2, &q).await;
        assert_eq!(left, right, "{query:?} (as you type: {as_you_type}) differs between SQLite and PostgreSQL");
        compared += left.len() - 1;
    }
    assert!(compared > 200, "only {compared} hits compared");
}
