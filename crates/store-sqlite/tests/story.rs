//! The shared story tests, against a fresh SQLite file per test.

use rapport_store::Store;
use rapport_store_sqlite::SqliteStore;

async fn fresh_store() -> Box<dyn Store> {
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let store = SqliteStore::open(dir.join("story.db")).await.expect("open sqlite");
    store.migrate().await.expect("migrate");
    Box::new(store)
}

rapport_store::story_tests!(fresh_store);
