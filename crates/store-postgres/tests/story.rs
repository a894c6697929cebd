//! The shared story tests, against a fresh PostgreSQL database per test.

use rapport_store::Store;

async fn fresh_store() -> Box<dyn Store> {
    Box::new(rapport_store_postgres::testing::fresh_store().await)
}

rapport_store::story_tests!(fresh_store);
