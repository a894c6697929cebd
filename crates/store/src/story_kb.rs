//! Story tests for the knowledge base, run against both backends: articles,
//! workflow and versions, roles and tenancy, search relevance over the sample
//! articles in three languages, feedback and deflection, the bot's turns, and
//! ticket-message search.

use crate::kb::*;
use crate::model::*;
use crate::story::{world, World};
use crate::{Store, StoreError};
use rapport_domain::{Actor, DomainError, Id, Locale, Timestamp};
use std::collections::HashMap;

/// The sample articles, seeded into a workspace.
pub struct Sample {
    pub brands: HashMap<&'static str, Id>,
    /// Article id by sample key.
    pub ids: HashMap<&'static str, Id>,
}

impl Sample {
    pub fn key_of(&self, article_id: Id) -> &'static str {
        self.ids.iter().find(|(_, id)| **id == article_id).map(|(k, _)| *k).unwrap_or("?")
    }
}

/// Creates the two sample brands (unless they exist), their categories and
/// articles, every translation published.
pub async fn seed_sample(store: &dyn Store, admin: &Actor) -> Sample {
    let existing = store.list_brands(admin).await.unwrap();
    let mut brands = HashMap::new();
    for (slug, name, locale) in [("sao-mai", "Sao Mai Mobile", Locale::Vi), ("kwitek", "Kwitek", Locale::Pl)] {
        let id = match existing.iter().find(|b| b.slug == slug) {
            Some(b) => b.id,
            None => {
                store
                    .create_brand(admin, &NewBrand { name: name.into(), slug: slug.into(), default_locale: Some(locale) })
                    .await
                    .unwrap()
                    .id
            }
        };
        brands.insert(slug, id);
    }
    let mut categories = HashMap::new();
    for (i, c) in rapport_kb::sample::categories().enumerate() {
        let input = NewCategory {
            brand_id: brands[c.brand],
            parent_id: None,
            names: c.names.iter().map(|(l, n)| (*l, n.to_string())).collect(),
            position: i as i64,
        };
        categories.insert(c.key, store.create_kb_category(admin, &input).await.unwrap().id);
    }
    let mut ids = HashMap::new();
    for a in rapport_kb::sample::articles() {
        let (first, rest) = a.translations.split_first().unwrap();
        let input = NewArticle {
            brand_id: brands[a.brand],
            category_id: Some(categories[a.category]),
            visibility: if a.internal { Visibility::Internal } else { Visibility::Public },
            verifier_id: None,
            verify_interval_days: a.internal.then_some(90),
            locale: first.0,
            title: first.1.into(),
            body: first.2.into(),
            format: BodyFormat::Markdown,
        };
        let article = store.create_article(admin, &input).await.unwrap();
        for (locale, title, body) in rest {
            let t = TranslationInput { title: title.to_string(), body: body.to_string(), format: BodyFormat::Markdown, note: None };
            store.save_translation(admin, article.id, *locale, &t).await.unwrap();
        }
        for (locale, _, _) in a.translations {
            store.translation_workflow(admin, article.id, *locale, WorkflowAction::Publish).await.unwrap();
        }
        ids.insert(a.key, article.id);
    }
    Sample { brands, ids }
}

/// A relevance case: the query, an optional language filter, and the article
/// (and language) expected first.
pub struct Case {
    pub query: &'static str,
    pub locales: &'static [Locale],
    pub top: &'static str,
    pub top_locale: Option<Locale>,
}

const fn case(query: &'static str, top: &'static str, top_locale: Option<Locale>) -> Case {
    Case { query, locales: &[], top, top_locale }
}

const VI: Option<Locale> = Some(Locale::Vi);
const PL: Option<Locale> = Some(Locale::Pl);
const EN: Option<Locale> = Some(Locale::En);

/// Queries as customers type them: without diacritics, with typos, in mixed languages.
pub static RELEVANCE: &[Case] = &[
    // Vietnamese, with and without marks.
    case("dich vu khach hang", "sm-hotline", VI),
    case("dịch vụ khách hàng", "sm-hotline", VI),
    case("dang nhap", "sm-login", VI),
    case("đăng nhập", "sm-login", VI),
    case("ĐĂNG NHẬP tài khoản", "sm-login", VI),
    case("quen mat khau", "sm-password", VI),
    case("bao hanh dien thoai", "sm-warranty", VI),
    case("tra gop the tin dung", "sm-installment", VI),
    case("phi giao hang", "sm-delivery", VI),
    case("theo doi don hang", "sm-track", VI),
    case("doi tra san pham", "sm-return", VI),
    case("pin hao nhanh", "sm-battery", VI),
    case("hoa don dien tu", "sm-einvoice", VI),
    case("tổng đài miễn phí", "sm-hotline", VI),
    // Polish, with and without its letters, and inflected.
    case("zolty", "kw-printer-yellow", PL),
    case("żółty", "kw-printer-yellow", PL),
    case("zolta lampka", "kw-printer-yellow", PL),
    case("lodz", "kw-lodz", None),
    case("łódź", "kw-lodz", None),
    case("Łodzi serwis", "kw-lodz", PL),
    case("fakture korygujaca", "kw-correction", PL),
    case("wystawic fakture vat", "kw-invoice", PL),
    case("paragon z nip", "kw-receipt", PL),
    case("logowanie dwuetapowe", "kw-2fa", PL),
    case("abonament blik", "kw-plan", PL),
    case("ksef token", "kw-ksef", PL),
    // English.
    case("forgot password", "sm-password", EN),
    case("credit card instalments", "sm-installment", EN),
    case("delivery shipping fee", "sm-delivery", EN),
    case("two step sign in", "kw-2fa", EN),
    case("jpk accountant", "kw-jpk", EN),
    case("fiscal printer yellow light", "kw-printer-yellow", EN),
    // Typos.
    case("pasword reset", "sm-password", EN),
    case("warrenty", "sm-warranty", EN),
    case("khach hnag", "sm-hotline", VI),
    case("dwuetapowe logwanie", "kw-2fa", PL),
    case("korekta faktury", "kw-correction", None),
    // Mixed languages: no article has all the words; the best partial match wins.
    case("hotline tổng đài", "sm-hotline", None),
    case("ksef e-faktur invoices", "kw-ksef", None),
    case("warranty bảo hành", "sm-warranty", None),
    // A language filter.
    Case { query: "gwarancja", locales: &[Locale::Pl], top: "sm-warranty", top_locale: PL },
    Case { query: "sign in to my account", locales: &[Locale::En], top: "sm-login", top_locale: EN },
    Case { query: "hoa don", locales: &[Locale::Vi], top: "sm-einvoice", top_locale: VI },
];

fn search(query: &str) -> ArticleSearch {
    ArticleSearch { query: query.into(), limit: 10, ..Default::default() }
}

/// Runs every relevance case as staff of the workspace (published articles only).
pub async fn run_relevance(store: &dyn Store, admin: &Actor, sample: &Sample) -> Vec<String> {
    let mut failures = Vec::new();
    for c in RELEVANCE {
        let q = ArticleSearch { locales: c.locales.to_vec(), ..search(c.query) };
        let r = store.search_articles(&SearchScope::Staff(admin.clone()), &q).await.unwrap();
        let got: Vec<String> = r.hits.iter().take(3).map(|h| format!("{}/{}", sample.key_of(h.article_id), h.locale)).collect();
        let ok = r.hits.first().is_some_and(|h| sample.key_of(h.article_id) == c.top && c.top_locale.is_none_or(|l| l == h.locale));
        if !ok {
            failures.push(format!("{:?} (locales {:?}): expected {} {:?}, got {got:?}", c.query, c.locales, c.top, c.top_locale));
        }
        for h in &r.hits {
            assert!(c.locales.is_empty() || c.locales.contains(&h.locale), "{}: locale filter broken", c.query);
        }
    }
    failures
}

pub async fn kb_search_relevance(store: &dyn Store) {
    let w = world(store).await;
    let sample = seed_sample(store, &w.admin).await;
    assert!(RELEVANCE.len() >= 30);
    let failures = run_relevance(store, &w.admin, &sample).await;
    assert!(failures.is_empty(), "{} of {} relevance cases failed:\n{}", failures.len(), RELEVANCE.len(), failures.join("\n"));

    // Snippets mark the words as written, whatever the query's spelling.
    let r = store.search_articles(&SearchScope::Staff(w.admin.clone()), &search("dang nhap")).await.unwrap();
    let top = &r.hits[0];
    assert_eq!(r.mode, "all");
    assert!(top.title_html.contains("<mark>đăng</mark> <mark>nhập</mark>"), "{}", top.title_html);
    assert!(top.snippet_html.contains("<mark>"), "{}", top.snippet_html);
    let polish = ArticleSearch { locales: vec![Locale::Pl], ..search("lodz") };
    let r = store.search_articles(&SearchScope::Staff(w.admin.clone()), &polish).await.unwrap();
    assert!(r.hits[0].snippet_html.contains("<mark>Łodzi</mark>"), "{}", r.hits[0].snippet_html);

    // Search as you type: the last word is a prefix.
    let typing = ArticleSearch { as_you_type: true, ..search("dang nh") };
    let r = store.search_articles(&SearchScope::Staff(w.admin.clone()), &typing).await.unwrap();
    assert_eq!(sample.key_of(r.hits[0].article_id), "sm-login");
    let r = store.search_articles(&SearchScope::Staff(w.admin.clone()), &search("dang nh")).await.unwrap();
    assert_ne!(r.mode, "all", "without as-you-type, `nh` is a whole word");

    // Nothing matches: no hits, never an error.
    let r = store.search_articles(&SearchScope::Staff(w.admin.clone()), &search("xylophone zebra")).await.unwrap();
    assert!(r.hits.is_empty() && r.mode == "none");
    let r = store.search_articles(&SearchScope::Staff(w.admin.clone()), &search("  ?! ")).await.unwrap();
    assert!(r.hits.is_empty());
}

pub async fn kb_search_scope(store: &dyn Store) {
    let w = world(store).await;
    let sample = seed_sample(store, &w.admin).await;
    let public = |brand: &str| SearchScope::Public { workspace_id: w.ws, brand_id: sample.brands[brand] };

    // Internal cards: staff find them, the public never does.
    let staff = store.search_articles(&SearchScope::Staff(w.viewer.clone()), &search("quy trinh hoan tien")).await.unwrap();
    assert_eq!(sample.key_of(staff.hits[0].article_id), "sm-refund-staff");
    assert_eq!(staff.hits[0].visibility, Visibility::Internal);
    let open = store.search_articles(&public("sao-mai"), &search("quy trinh hoan tien")).await.unwrap();
    assert!(open.hits.iter().all(|h| h.visibility == Visibility::Public && sample.key_of(h.article_id) != "sm-refund-staff"));

    // A brand's help center shows only its own articles.
    let r = store.search_articles(&public("sao-mai"), &search("faktura ksef")).await.unwrap();
    assert!(r.hits.iter().all(|h| h.brand_id == sample.brands["sao-mai"]), "kwitek articles leaked");
    let r = store.search_articles(&public("kwitek"), &search("ksef")).await.unwrap();
    assert_eq!(sample.key_of(r.hits[0].article_id), "kw-ksef");

    // Drafts: staff may ask for them; the public never sees them.
    let draft = store
        .create_article(
            &w.agent,
            &NewArticle {
                brand_id: sample.brands["kwitek"],
                category_id: None,
                visibility: Visibility::Public,
                verifier_id: None,
                verify_interval_days: None,
                locale: Locale::Pl,
                title: "Szkic o kasie samoobsługowej".into(),
                body: "Kasa samoobsługowa w sklepie: konfiguracja skanera i wagi.".into(),
                format: BodyFormat::Markdown,
            },
        )
        .await
        .unwrap();
    let staff_q = ArticleSearch { include_unpublished: true, ..search("samoobslugowa") };
    let r = store.search_articles(&SearchScope::Staff(w.agent.clone()), &staff_q).await.unwrap();
    assert_eq!(r.hits[0].article_id, draft.id);
    assert_eq!(r.hits[0].status, ArticleStatus::Draft);
    assert!(store.search_articles(&SearchScope::Staff(w.agent.clone()), &search("samoobslugowa")).await.unwrap().hits.is_empty());
    assert!(store.search_articles(&public("kwitek"), &search("samoobslugowa")).await.unwrap().hits.is_empty());

    // Another workspace sees none of it.
    let other = world(store).await;
    let r = store.search_articles(&SearchScope::Staff(other.admin.clone()), &search("dang nhap")).await.unwrap();
    assert!(r.hits.is_empty());
    let r = store
        .search_articles(&SearchScope::Public { workspace_id: other.ws, brand_id: sample.brands["sao-mai"] }, &search("dang nhap"))
        .await
        .unwrap();
    assert!(r.hits.is_empty(), "a brand id of another workspace finds nothing");
}

fn new_article(brand_id: Id, title: &str, body: &str) -> NewArticle {
    NewArticle {
        brand_id,
        category_id: None,
        visibility: Visibility::Public,
        verifier_id: None,
        verify_interval_days: None,
        locale: Locale::Vi,
        title: title.into(),
        body: body.into(),
        format: BodyFormat::Markdown,
    }
}

async fn brand(store: &dyn Store, w: &World) -> Id {
    store
        .create_brand(&w.admin, &NewBrand { name: "Sao Mai".into(), slug: "sao-mai".into(), default_locale: Some(Locale::Vi) })
        .await
        .unwrap()
        .id
}

pub async fn kb_workflow_and_versions(store: &dyn Store) {
    let w = world(store).await;
    let b = brand(store, &w).await;
    let public = SearchScope::Public { workspace_id: w.ws, brand_id: b };
    let a = store.create_article(&w.agent, &new_article(b, "Cài đặt eSIM", "Quét mã QR eSIM trong phần **Cài đặt**.")).await.unwrap();
    assert_eq!(a.missing_locales, [Locale::En, Locale::Pl]);
    assert_eq!(a.translations[0].status, ArticleStatus::Draft);

    // draft → review (an agent may submit) → published (only a publisher may).
    let t = store.translation_workflow(&w.agent, a.id, Locale::Vi, WorkflowAction::Submit).await.unwrap();
    assert_eq!(t.status, ArticleStatus::Review);
    assert!(matches!(
        store.translation_workflow(&w.agent, a.id, Locale::Vi, WorkflowAction::Publish).await,
        Err(StoreError::Domain(DomainError::Forbidden))
    ));
    assert!(store.search_articles(&public, &search("esim")).await.unwrap().hits.is_empty(), "not public before publishing");
    let t = store.translation_workflow(&w.admin, a.id, Locale::Vi, WorkflowAction::Publish).await.unwrap();
    assert_eq!((t.status, t.published_version, t.has_unpublished_changes), (ArticleStatus::Published, Some(1), false));
    assert!(t.live_html.contains("<strong>Cài đặt</strong>"));
    assert_eq!(store.search_articles(&public, &search("esim")).await.unwrap().hits.len(), 1);
    assert!(matches!(store.translation_workflow(&w.admin, a.id, Locale::Vi, WorkflowAction::Publish).await, Err(StoreError::Conflict(_))));

    // Editing a published article: readers keep the published version until the edit is published.
    let edit = TranslationInput {
        title: "Cài đặt eSIM và chuyển vùng".into(),
        body: "Bật chuyển vùng quốc tế trước khi bay.".into(),
        format: BodyFormat::Markdown,
        note: Some("roaming".into()),
    };
    let t = store.save_translation(&w.agent, a.id, Locale::Vi, &edit).await.unwrap();
    assert_eq!((t.version, t.published_version, t.has_unpublished_changes), (2, Some(1), true));
    assert_eq!(t.title, "Cài đặt eSIM và chuyển vùng");
    assert_eq!(t.live_title, "Cài đặt eSIM");
    assert!(store.search_articles(&public, &search("chuyen vung")).await.unwrap().hits.is_empty(), "unpublished edit is not searchable");
    let live = store.public_article(w.ws, b, a.id, Locale::Vi).await.unwrap();
    assert!(live.body_html.contains("Quét mã QR"));
    store.translation_workflow(&w.admin, a.id, Locale::Vi, WorkflowAction::Publish).await.unwrap();
    assert_eq!(store.search_articles(&public, &search("chuyen vung")).await.unwrap().hits.len(), 1);
    assert!(store.search_articles(&public, &search("quet ma qr")).await.unwrap().hits.is_empty(), "old words left the index");

    // Versions and restore: restoring makes a new version with the old content.
    let versions = store.list_versions(&w.viewer, a.id, Locale::Vi).await.unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(versions[0].note.as_deref(), Some("roaming"));
    let t = store.restore_version(&w.agent, a.id, Locale::Vi, 1).await.unwrap();
    assert_eq!((t.version, t.title.as_str()), (3, "Cài đặt eSIM"));
    assert!(t.has_unpublished_changes);
    let t = store.translation_workflow(&w.admin, a.id, Locale::Vi, WorkflowAction::Publish).await.unwrap();
    assert_eq!(t.published_version, Some(3));
    assert_eq!(store.search_articles(&public, &search("quet ma qr")).await.unwrap().hits.len(), 1);
    assert!(matches!(store.restore_version(&w.agent, a.id, Locale::Vi, 99).await, Err(StoreError::NotFound(_))));

    // A second language, the missing list, and unpublish.
    let en = TranslationInput {
        title: "Setting up an eSIM".into(),
        body: "Scan the eSIM QR code in **Settings**.".into(),
        format: BodyFormat::Markdown,
        note: None,
    };
    store.save_translation(&w.agent, a.id, Locale::En, &en).await.unwrap();
    let missing_pl =
        store.list_articles(&w.viewer, &ArticleQuery { missing_locale: Some(Locale::Pl), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(missing_pl.items.iter().map(|a| a.id).collect::<Vec<_>>(), [a.id]);
    let missing_en =
        store.list_articles(&w.viewer, &ArticleQuery { missing_locale: Some(Locale::En), limit: 10, ..Default::default() }).await.unwrap();
    assert!(missing_en.items.is_empty());
    store.translation_workflow(&w.admin, a.id, Locale::Vi, WorkflowAction::Unpublish).await.unwrap();
    assert!(store.search_articles(&public, &search("esim")).await.unwrap().hits.is_empty());
    assert!(matches!(store.public_article(w.ws, b, a.id, Locale::Vi).await, Err(StoreError::NotFound(_))));

    // Bad input is refused and nothing is written.
    let bad = TranslationInput { title: "  ".into(), body: "x".into(), format: BodyFormat::Markdown, note: None };
    assert!(matches!(store.save_translation(&w.agent, a.id, Locale::Pl, &bad).await, Err(StoreError::Domain(DomainError::Invalid { .. }))));
    assert!(matches!(store.get_translation(&w.agent, a.id, Locale::Pl).await, Err(StoreError::NotFound(_))));
    let html = TranslationInput {
        title: "XSS".into(),
        body: "<p onclick=\"x()\">Hi</p><script>alert(1)</script>".into(),
        format: BodyFormat::Html,
        note: None,
    };
    let t = store.save_translation(&w.agent, a.id, Locale::Pl, &html).await.unwrap();
    assert!(!t.live_html.contains("script") && !t.live_html.contains("onclick"), "{}", t.live_html);

    // Deleting an article removes its words from the vocabulary: no typo suggestions from it.
    store.delete_article(&w.admin, a.id).await.unwrap();
    let staff = ArticleSearch { include_unpublished: true, ..search("esmi") };
    assert!(store.search_articles(&SearchScope::Staff(w.admin.clone()), &staff).await.unwrap().hits.is_empty());
}

pub async fn kb_roles_and_tenancy(store: &dyn Store) {
    let w = world(store).await;
    let b = brand(store, &w).await;
    let other = world(store).await;
    let a = store.create_article(&w.csm, &new_article(b, "Sạc không dây", "Đặt điện thoại lên đế sạc.")).await.unwrap();

    // The viewer reads but never writes.
    assert!(store.get_article(&w.viewer, a.id).await.is_ok());
    assert!(matches!(store.create_article(&w.viewer, &new_article(b, "x", "y")).await, Err(StoreError::Domain(DomainError::Forbidden))));
    let input = TranslationInput { title: "x".into(), body: "y".into(), format: BodyFormat::Markdown, note: None };
    assert!(matches!(store.save_translation(&w.viewer, a.id, Locale::En, &input).await, Err(StoreError::Domain(DomainError::Forbidden))));
    assert!(matches!(
        store.translation_workflow(&w.viewer, a.id, Locale::Vi, WorkflowAction::Submit).await,
        Err(StoreError::Domain(DomainError::Forbidden))
    ));
    // Agents write but do not delete, publish or change visibility.
    assert!(matches!(store.delete_article(&w.agent, a.id).await, Err(StoreError::Domain(DomainError::Forbidden))));
    let to_internal = ArticlePatch { visibility: Some(Visibility::Internal), ..Default::default() };
    assert!(matches!(store.update_article(&w.agent, a.id, &to_internal).await, Err(StoreError::Domain(DomainError::Forbidden))));
    assert_eq!(store.get_article(&w.admin, a.id).await.unwrap().visibility, Visibility::Public);
    let cat = NewCategory { brand_id: b, parent_id: None, names: [(Locale::Vi, "Phụ kiện".to_string())].into(), position: 0 };
    assert!(matches!(store.create_kb_category(&w.agent, &cat).await, Err(StoreError::Domain(DomainError::Forbidden))));

    // Another workspace: every read and write answers "not found".
    assert!(matches!(store.get_article(&other.admin, a.id).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.get_translation(&other.admin, a.id, Locale::Vi).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.save_translation(&other.admin, a.id, Locale::Vi, &input).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.delete_article(&other.admin, a.id).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.list_versions(&other.admin, a.id, Locale::Vi).await, Err(StoreError::NotFound(_))));
    assert!(store.list_articles(&other.admin, &ArticleQuery { limit: 10, ..Default::default() }).await.unwrap().items.is_empty());
    // ...nor may it use this workspace's brand.
    assert!(matches!(
        store.create_article(&other.admin, &new_article(b, "x", "y")).await,
        Err(StoreError::Domain(DomainError::Invalid { .. }))
    ));
    assert!(store.get_translation(&w.admin, a.id, Locale::Vi).await.unwrap().title == "Sạc không dây");
}

pub async fn kb_verification_of_internal_cards(store: &dyn Store) {
    let w = world(store).await;
    let b = brand(store, &w).await;
    let card = NewArticle {
        visibility: Visibility::Internal,
        verifier_id: Some(w.csm.user_id),
        verify_interval_days: Some(30),
        ..new_article(b, "Mã giảm giá nội bộ", "Mã NHANVIEN10 chỉ dành cho nhân viên.")
    };
    let a = store.create_article(&w.agent, &card).await.unwrap();
    assert!(!a.stale);
    let days = (a.verify_before.unwrap().millis() - a.created_at.millis()) / 86_400_000;
    assert_eq!(days, 30);
    // An interval of zero days makes the card stale at once... through a patch that is refused.
    assert!(store
        .update_article(&w.agent, a.id, &ArticlePatch { verify_interval_days: Some(Some(0)), ..Default::default() })
        .await
        .is_err());
    // Only the verifier (or an admin) may verify.
    assert!(matches!(store.verify_article(&w.agent, a.id).await, Err(StoreError::Domain(DomainError::Forbidden))));
    let v = store.verify_article(&w.csm, a.id).await.unwrap();
    assert_eq!(v.verified_by, Some(w.csm.user_id));
    assert!(v.verified_at.is_some());
    let stale = store.list_articles(&w.viewer, &ArticleQuery { stale: true, limit: 10, ..Default::default() }).await.unwrap();
    assert!(stale.items.is_empty());
}

pub async fn kb_help_center_feedback_and_deflection(store: &dyn Store) {
    let w = world(store).await;
    let sample = seed_sample(store, &w.admin).await;
    let ws_slug = store.list_workspaces().await.unwrap().into_iter().find(|x| x.id == w.ws).unwrap().slug;
    let hc = store.help_center(&ws_slug, "sao-mai").await.unwrap();
    assert_eq!((hc.workspace_id, hc.brand.id), (w.ws, sample.brands["sao-mai"]));
    assert!(matches!(store.help_center(&ws_slug, "nope").await, Err(StoreError::NotFound(_))));
    let b = hc.brand.id;

    let list = store.public_articles(w.ws, b, Some(Locale::Pl), None).await.unwrap();
    assert!(list.iter().all(|r| r.locale == Locale::Pl));
    assert!(list.iter().any(|r| sample.key_of(r.article_id) == "sm-login"));
    let all = store.public_articles(w.ws, b, None, None).await.unwrap();
    assert!(all.iter().all(|r| sample.key_of(r.article_id) != "sm-refund-staff"), "internal cards are never public");
    let login = store.public_article(w.ws, b, sample.ids["sm-login"], Locale::Vi).await.unwrap();
    assert_eq!(login.other_locales.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [Locale::En, Locale::Pl]);
    assert!(matches!(store.public_article(w.ws, b, sample.ids["sm-refund-staff"], Locale::Vi).await, Err(StoreError::NotFound(_))));
    assert!(matches!(
        store.public_article(w.ws, sample.brands["kwitek"], sample.ids["sm-login"], Locale::Vi).await,
        Err(StoreError::NotFound(_))
    ));

    // Feedback counts on the translation.
    let feedback = |key: &str, helpful: bool, comment: Option<&str>| NewFeedback {
        article_id: sample.ids[key],
        locale: Locale::Vi,
        helpful,
        comment: comment.map(str::to_string),
        session_id: Some("s1".into()),
    };
    store.article_feedback(w.ws, b, &feedback("sm-login", true, None)).await.unwrap();
    store.article_feedback(w.ws, b, &feedback("sm-login", false, Some("Không nhận được mã OTP"))).await.unwrap();
    let t = store.get_translation(&w.viewer, sample.ids["sm-login"], Locale::Vi).await.unwrap();
    assert_eq!((t.helpful_yes, t.helpful_no), (1, 1));
    assert!(store.article_feedback(w.ws, b, &feedback("sm-refund-staff", true, None)).await.is_err());
    assert!(store.article_feedback(w.ws, b, &feedback("sm-login", true, Some(&"x".repeat(2001)))).await.is_err());
    let t = store.get_translation(&w.viewer, sample.ids["sm-login"], Locale::Vi).await.unwrap();
    assert_eq!((t.helpful_yes, t.helpful_no), (1, 1), "refused feedback is not counted");

    // Searches: logged, clicked, and linked to a ticket that followed within 24 h.
    let entry = |session: &str, query: &str, hits: i64| SearchLogEntry {
        brand_id: Some(b),
        locale: Some(Locale::Vi),
        source: SearchSource::Help,
        session_id: session.into(),
        query: query.into(),
        hits,
        top_article_id: None,
    };
    let s1 = store.log_search(w.ws, &entry("sess-a", "dang nhap", 3)).await.unwrap();
    store.log_search_click(w.ws, "sess-a", s1, sample.ids["sm-login"]).await.unwrap();
    let s2 = store.log_search(w.ws, &entry("sess-b", "doi tra", 2)).await.unwrap();
    store.log_search_click(w.ws, "sess-b", s2, sample.ids["sm-return"]).await.unwrap();
    store.log_search(w.ws, &entry("sess-c", "Máy bay không người lái", 0)).await.unwrap();
    store.log_search(w.ws, &entry("sess-d", "may bay khong nguoi lai", 0)).await.unwrap();
    assert!(
        matches!(store.log_search_click(w.ws, "someone-else", s1, 1).await, Err(StoreError::NotFound(_))),
        "clicks belong to the session"
    );
    let linked = store.link_searches_to_ticket(w.ws, "sess-b", 4242, Timestamp::now()).await.unwrap();
    assert_eq!(linked, 1);
    assert_eq!(
        store.link_searches_to_ticket(w.ws, "sess-b", 4243, Timestamp::now().plus_seconds(2 * 86_400)).await.unwrap(),
        0,
        "only within 24 h"
    );

    let from = Timestamp::now().plus_seconds(-3600);
    let to = Timestamp::now().plus_seconds(3600);
    let r = store.deflection_report(&w.viewer, Some(b), from, to).await.unwrap();
    assert_eq!((r.searches, r.sessions, r.sessions_with_ticket), (4, 4, 1));
    assert_eq!(r.sessions_pending, 3, "sessions younger than 24 h without a ticket are pending");
    assert_eq!(r.no_result_queries.len(), 1, "{:?}", r.no_result_queries);
    assert_eq!(r.no_result_queries[0].searches, 2, "the same words, with or without marks, count together");
    let top: Vec<(Id, i64, i64)> = r.top_deflecting_articles.iter().map(|a| (a.article_id, a.deflected, a.followed_by_ticket)).collect();
    assert!(top.contains(&(sample.ids["sm-return"], 0, 1)), "{top:?}");
    assert!(top.contains(&(sample.ids["sm-login"], 0, 0)), "not settled yet: {top:?}");
    let other = world(store).await;
    let r = store.deflection_report(&other.admin, None, from, to).await.unwrap();
    assert_eq!(r.searches, 0, "another workspace's report is empty");
}

pub async fn kb_bot_turns(store: &dyn Store) {
    let w = world(store).await;
    let t = store
        .add_bot_turn(
            w.ws,
            &NewBotTurn {
                brand_id: None,
                session_id: "chat-1".into(),
                locale: Some(Locale::Pl),
                question: "Jak wystawić fakturę?".into(),
                answer: Some("Wybierz Sprzedaż → Nowa faktura.".into()),
                article_id: None,
                translation_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(t.solved, None);
    let t = store.set_bot_turn_solved(w.ws, "chat-1", t.id, false).await.unwrap();
    assert_eq!(t.solved, Some(false));
    assert!(matches!(store.set_bot_turn_solved(w.ws, "chat-2", t.id, true).await, Err(StoreError::NotFound(_))));
    let other = world(store).await;
    assert!(matches!(store.set_bot_turn_solved(other.ws, "chat-1", t.id, true).await, Err(StoreError::NotFound(_))));
    assert!(store.bot_transcript(other.ws, "chat-1").await.unwrap().is_empty());
    let transcript = store.bot_transcript(w.ws, "chat-1").await.unwrap();
    assert_eq!(transcript.len(), 1);
    assert_eq!(transcript[0].question, "Jak wystawić fakturę?");
}

pub async fn kb_message_search(store: &dyn Store) {
    let w = world(store).await;
    let mut t = NewTicket::new("Không đăng nhập được");
    t.requester_id = Some(w.contact.id);
    t.message = Some(FirstMessage { body: Some("Tôi không nhận được mã OTP khi đăng nhập.".into()), html: None, kind: None });
    let ticket = store.create_ticket(&w.agent, &t).await.unwrap();
    let restricted = store.create_team(&w.admin, &NewTeam { name: "VIP".into(), restricted: true, member_ids: vec![] }).await.unwrap();
    let mut t = NewTicket::new("Faktura");
    t.team_id = Some(restricted.id);
    t.message = Some(FirstMessage { body: Some("Żółta lampka na drukarce, mã OTP".into()), html: None, kind: None });
    let hidden = store.create_ticket(&w.admin, &t).await.unwrap();
    while store.index_messages(100).await.unwrap() > 0 {}

    let q = |query: &str| MessageSearch { query: query.into(), as_you_type: false, limit: 20 };
    let hits = store.search_messages(&w.agent, &q("dang nhap otp")).await.unwrap();
    assert_eq!(hits.iter().map(|h| h.ticket_id).collect::<Vec<_>>(), [ticket.id]);
    assert!(hits[0].snippet_html.contains("<mark>đăng</mark> <mark>nhập</mark>"), "{}", hits[0].snippet_html);
    assert!(store.search_messages(&w.agent, &q("zolta lampka")).await.unwrap().is_empty(), "restricted team's ticket hidden");
    assert_eq!(store.search_messages(&w.admin, &q("zolta lampka")).await.unwrap()[0].ticket_id, hidden.id);
    let typing = MessageSearch { as_you_type: true, ..q("nhan duoc ma ot") };
    assert_eq!(store.search_messages(&w.agent, &typing).await.unwrap().len(), 1);

    // A redacted message leaves the index once re-indexed.
    let first = store.list_messages(&w.admin, ticket.id, None, 10).await.unwrap().items[0].id;
    store.redact_message(&w.admin, first).await.unwrap();
    while store.index_messages(100).await.unwrap() > 0 {}
    assert!(store.search_messages(&w.agent, &q("otp dang nhap")).await.unwrap().iter().all(|h| h.ticket_id != ticket.id));
    let other = world(store).await;
    assert!(store.search_messages(&other.admin, &q("zolta")).await.unwrap().is_empty());
}
