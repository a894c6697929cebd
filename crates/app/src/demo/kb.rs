//! The demo's knowledge base: the sample help-center articles of both brands
//! (written for Rapport in Vietnamese, Polish and English), their categories,
//! every translation published, and the internal cards with a verifier.

use anyhow::Context;
use rapport_domain::{Actor, Id};
use rapport_store::kb::{BodyFormat, NewArticle, NewCategory, TranslationInput, Visibility, WorkflowAction};
use rapport_store::Store;
use std::collections::HashMap;

/// Seeds the articles; returns how many translations were published.
pub async fn create(store: &dyn Store, sys: &Actor, brands: &[(&str, Id)], verifier: Option<Id>) -> anyhow::Result<usize> {
    let brand = |slug: &str| brands.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id).with_context(|| format!("no demo brand {slug}"));
    let mut categories: HashMap<&str, Id> = HashMap::new();
    for (i, c) in rapport_kb::sample::categories().enumerate() {
        let input = NewCategory {
            brand_id: brand(c.brand)?,
            parent_id: None,
            names: c.names.iter().map(|(l, n)| (*l, n.to_string())).collect(),
            position: i as i64,
        };
        categories.insert(c.key, store.create_kb_category(sys, &input).await.with_context(|| format!("category {}", c.key))?.id);
    }
    let mut published = 0;
    for a in rapport_kb::sample::articles() {
        let Some(((locale, title, body), rest)) = a.translations.split_first() else { continue };
        let input = NewArticle {
            brand_id: brand(a.brand)?,
            category_id: categories.get(a.category).copied(),
            visibility: if a.internal { Visibility::Internal } else { Visibility::Public },
            verifier_id: if a.internal { verifier } else { None },
            verify_interval_days: a.internal.then_some(90),
            locale: *locale,
            title: title.to_string(),
            body: body.to_string(),
            format: BodyFormat::Markdown,
        };
        let article = store.create_article(sys, &input).await.with_context(|| format!("article {}", a.key))?;
        for (l, t, b) in rest {
            let input = TranslationInput { title: t.to_string(), body: b.to_string(), format: BodyFormat::Markdown, note: None };
            store.save_translation(sys, article.id, *l, &input).await?;
        }
        for (l, _, _) in a.translations {
            store.translation_workflow(sys, article.id, *l, WorkflowAction::Publish).await?;
            published += 1;
        }
    }
    Ok(published)
}
