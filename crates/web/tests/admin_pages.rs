//! The admin pages end to end over HTTP: who may open them, CSRF on every
//! form, each form's effect in the store, refused input shown again with the
//! reason, escaping of user text, labels on every field, and the three languages.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app, Backend, Reply, TestApp};
use rapport_domain::{Actor, Locale, MessageKind, Priority, Role, TicketStatus, Timestamp};
use rapport_store::model::{NewTeam, NewTicket, NewUser};
use rapport_store::replies::MacroAction;
use rapport_web::auth::secret;

/// A signed-in browser: the session cookie and the session's CSRF token.
struct Browser<'a> {
    app: &'a TestApp,
    session: String,
    csrf: String,
}

impl Browser<'_> {
    async fn get(&self, path: &str) -> Reply {
        self.app.send(Request::get(path).header("cookie", format!("rapport_session={}", self.session)).body(Body::empty()).unwrap()).await
    }

    /// Posts a form with the session's CSRF token added.
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", &self.csrf)];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&");
        let req = Request::post(path)
            .header("cookie", format!("rapport_session={}", self.session))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.app.send(req).await
    }
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A user with a login session (made directly in the store; the login form has its own tests).
async fn signed_in<'a>(app: &'a TestApp, ws: i64, role: Role, email: &str, name: &str, locale: Locale) -> (Browser<'a>, i64) {
    let input = NewUser { email: email.into(), name: name.into(), role, locale: Some(locale), password: None };
    let user = app.store.create_user(&Actor::system(ws), &input, None).await.unwrap();
    let token = secret::random_token("");
    let csrf = secret::random_token("");
    app.store.create_session(user.id, &secret::sha256_hex(&token), &csrf, Timestamp::now().plus_seconds(3600)).await.unwrap();
    (Browser { app, session: token, csrf }, user.id)
}

fn saved_to(r: &Reply, path: &str) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.headers[header::LOCATION].to_str().unwrap(), format!("{path}?saved=1"));
}

fn refused(r: &Reply, why: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("role=\"alert\""), "the form says what is wrong");
    assert!(html.contains(why), "'{why}' in {html}");
}

const PAGES: &[&str] = &[
    "/admin",
    "/admin/users",
    "/admin/users/new",
    "/admin/teams",
    "/admin/brands",
    "/admin/tags",
    "/admin/custom-fields",
    "/admin/canned-replies",
    "/admin/canned-replies/new",
    "/admin/macros",
    "/admin/macros/new",
];

/// Every visible form field has a label: a `<label for>` naming its id, or a label around it.
fn every_field_is_labelled(path: &str, html: &str) -> usize {
    let mut checked = 0;
    let mut rest = html;
    let mut offset = 0;
    while let Some(i) = ["<input", "<select", "<textarea"].iter().filter_map(|t| rest.find(t)).min() {
        let tag_end = rest[i..].find('>').map(|e| i + e).unwrap();
        let tag = &rest[i..=tag_end];
        let at = offset + i;
        rest = &rest[tag_end + 1..];
        offset = at + tag.len();
        if tag.contains("type=\"hidden\"") {
            continue;
        }
        let id = tag.split("id=\"").nth(1).map(|s| s.split('"').next().unwrap());
        let labelled_by_for = id.is_some_and(|id| html.contains(&format!("for=\"{id}\"")));
        let before = &html[..at];
        let wrapped = before.rfind("<label").is_some_and(|l| before.rfind("</label>").is_none_or(|c| c < l));
        assert!(labelled_by_for || wrapped, "{path}: unlabelled field {tag}");
        checked += 1;
    }
    checked
}

async fn only_admins_open_admin_pages(backend: Backend) {
    let app = app(backend).await;
    let ws = app.store.create_workspace("Sao Mai", "sao-mai").await.unwrap().id;
    let (admin, _) = signed_in(&app, ws, Role::Admin, "admin@saomai.test", "Quản trị viên", Locale::Vi).await;
    let (agent, _) = signed_in(&app, ws, Role::Agent, "agent@saomai.test", "Nhân viên", Locale::Vi).await;
    let (viewer, _) = signed_in(&app, ws, Role::Viewer, "viewer@saomai.test", "Người xem", Locale::En).await;
    for path in PAGES {
        let ok = admin.get(path).await;
        assert_eq!(ok.status, StatusCode::OK, "{path}: {}", ok.text());
        let html = ok.text();
        assert!(html.contains("<meta charset=\"utf-8\">"), "{path}");
        assert!(html.contains("<html lang=\"vi\">"), "{path}");
        assert!(html.contains("href=\"/admin/macros\"") && html.contains("href=\"/admin/users\""), "{path}: the admin links");
        let fields = every_field_is_labelled(path, &html);
        if path.ends_with("/new") {
            assert!(fields >= 5, "{path}: {fields} fields checked");
        }
        for who in [&agent, &viewer] {
            assert_eq!(who.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        let anonymous = app.send(Request::get(*path).body(Body::empty()).unwrap()).await;
        assert_eq!((anonymous.status, anonymous.headers[header::LOCATION].to_str().unwrap()), (StatusCode::SEE_OTHER, "/login"), "{path}");
    }
    // Forms refuse a missing or forged token, and agents, before doing anything.
    assert_eq!(admin.post_raw("/admin/tags", &[("name", "khong-token")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(admin.post_raw("/admin/tags", &[("csrf_token", "forged"), ("name", "gia-mao")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(agent.post("/admin/tags", &[("name", "nhan-vien")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(agent.post("/admin/teams", &[("name", "Nhóm lạ")]).await.status, StatusCode::FORBIDDEN);
    assert!(app.store.list_tags(&Actor::system(ws)).await.unwrap().is_empty(), "nothing was created");
    assert!(app.store.list_teams(&Actor::system(ws)).await.unwrap().is_empty());

    // The agent's desk header does not offer the admin links; the admin's nav does, in their language.
    let hub = admin.get("/admin").await.text();
    for word in ["Quản trị", "Người dùng", "Câu trả lời mẫu", "Trường tùy chỉnh"] {
        assert!(hub.contains(word), "{word}");
    }
}

async fn admins_manage_users_and_teams(backend: Backend) {
    let app = app(backend).await;
    let ws = app.store.create_workspace("Kwitek", "kwitek").await.unwrap().id;
    let (admin, admin_id) = signed_in(&app, ws, Role::Admin, "admin@kwitek.test", "Anna Nowak", Locale::Pl).await;
    let sys = Actor::system(ws);

    // A team, then a user in it with a first password.
    let created = admin.post("/admin/teams", &[("name", "Rozliczenia"), ("restricted", "on")]).await;
    let team = app.store.list_teams(&sys).await.unwrap().remove(0);
    saved_to(&created, &format!("/admin/teams/{}", team.id));
    assert!(team.restricted);
    let short = admin
        .post(
            "/admin/users/new",
            &[("email", "jan@kwitek.test"), ("name", "Jan"), ("role", "agent"), ("locale", "pl"), ("password", "krótkie")],
        )
        .await;
    refused(&short, "Hasło musi mieć co najmniej 10 znaków.");
    assert!(short.text().contains("value=\"jan@kwitek.test\""), "the form keeps what was typed");
    let team_id = team.id.to_string();
    let created = admin
        .post(
            "/admin/users/new",
            &[
                ("email", "jan@kwitek.test"),
                ("name", "Jan <b>Kowalski</b>"),
                ("role", "agent"),
                ("locale", "pl"),
                ("password", "bardzo-długie-hasło"),
                ("team_ids", &team_id),
            ],
        )
        .await;
    saved_to(&created, "/admin/users");
    let (jan, hash) = app.store.user_for_login("jan@kwitek.test").await.unwrap();
    assert_eq!((jan.role, jan.locale, jan.team_ids.clone()), (Role::Agent, Locale::Pl, vec![team.id]));
    assert!(rapport_web::auth::password::verify("bardzo-długie-hasło".into(), hash).await, "the password is set");
    let dup = admin.post("/admin/users/new", &[("email", "JAN@kwitek.test"), ("name", "Jan 2"), ("role", "agent"), ("locale", "pl")]).await;
    refused(&dup, "already exists");

    let list = admin.get("/admin/users?saved=1").await.text();
    assert!(list.contains("Zapisano.") && list.contains("Konsultant") && list.contains("Rozliczenia"), "{list}");
    assert!(list.contains("Jan &lt;b&gt;Kowalski&lt;/b&gt;") || list.contains("Jan &#60;b&#62;Kowalski&#60;/b&#62;"), "names are escaped");
    assert!(!list.contains("<b>Kowalski</b>"));

    // Edit: role, language, active, teams, and a new password (which ends their sessions).
    let edit_path = format!("/admin/users/{}", jan.id);
    let form = admin.get(&edit_path).await.text();
    assert!(form.contains("checked") && form.contains("value=\"agent\" selected"), "the form shows the current values");
    app.store.create_session(jan.id, "jan-session", "c", Timestamp::now().plus_seconds(3600)).await.unwrap();
    let changed =
        admin.post(&edit_path, &[("name", "Jan Kowalski"), ("role", "viewer"), ("locale", "vi"), ("password", "nowe-długie-hasło")]).await;
    saved_to(&changed, "/admin/users");
    let jan = app.store.get_user(&sys, jan.id).await.unwrap();
    assert_eq!((jan.name.as_str(), jan.role, jan.locale, jan.active), ("Jan Kowalski", Role::Viewer, Locale::Vi, false));
    assert!(jan.team_ids.is_empty(), "no box ticked: no teams");
    assert!(app.store.session("jan-session").await.is_err(), "a new password ends the user's sessions");

    // An admin cannot lock themselves out.
    let me = admin.post(&format!("/admin/users/{admin_id}"), &[("name", "Anna"), ("role", "admin"), ("locale", "pl")]).await;
    refused(&me, "Nie możesz dezaktywować własnego konta.");
    assert!(app.store.get_user(&sys, admin_id).await.unwrap().active);

    // Team page: rename, unrestrict, members; then delete.
    let team_path = format!("/admin/teams/{}", team.id);
    let jan_id = jan.id.to_string();
    let admin_str = admin_id.to_string();
    saved_to(
        &admin.post(&team_path, &[("name", "Rozliczenia i faktury"), ("member_ids", &jan_id), ("member_ids", &admin_str)]).await,
        "/admin/teams",
    );
    let team = app.store.get_team(&sys, team.id).await.unwrap();
    assert_eq!((team.name.as_str(), team.restricted, team.member_ids.len()), ("Rozliczenia i faktury", false, 2));
    refused(&admin.post(&team_path, &[("name", "  ")]).await, "name");
    let form = admin.get(&team_path).await.text();
    assert!(form.contains("Jan Kowalski") && form.contains("dezaktywowane"), "inactive members can still be removed");
    saved_to(&admin.post(&format!("{team_path}/delete"), &[]).await, "/admin/teams");
    assert!(app.store.list_teams(&sys).await.unwrap().is_empty());

    // Another workspace's admin finds none of it.
    let other = app.store.create_workspace("Other", "other").await.unwrap().id;
    let (stranger, _) = signed_in(&app, other, Role::Admin, "admin@other.test", "Stranger", Locale::En).await;
    assert_eq!(stranger.get(&edit_path).await.status, StatusCode::NOT_FOUND);
    let r = stranger.post(&edit_path, &[("name", "Hijacked"), ("role", "admin"), ("locale", "en"), ("active", "on")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = stranger.post(&format!("/admin/teams/{}", team.id), &[("name", "Hijacked")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    assert_eq!(app.store.get_user(&sys, jan.id).await.unwrap().name, "Jan Kowalski");
    assert!(!stranger.get("/admin/users").await.text().contains("jan@kwitek.test"));
}

async fn admins_manage_brands_tags_and_fields(backend: Backend) {
    let app = app(backend).await;
    let ws = app.store.create_workspace("Sao Mai", "sao-mai").await.unwrap().id;
    let (admin, _) = signed_in(&app, ws, Role::Admin, "admin@saomai.test", "Alex", Locale::En).await;
    let sys = Actor::system(ws);

    saved_to(
        &admin.post("/admin/brands", &[("name", "Sao Mai Mobile"), ("slug", "sao-mai"), ("default_locale", "vi")]).await,
        "/admin/brands",
    );
    refused(&admin.post("/admin/brands", &[("name", "Bad"), ("slug", "Không hợp lệ"), ("default_locale", "vi")]).await, "slug");
    let brand = app.store.list_brands(&sys).await.unwrap().remove(0);
    assert_eq!(brand.default_locale, Locale::Vi);
    saved_to(&admin.post(&format!("/admin/brands/{}", brand.id), &[("name", "Sao Mai"), ("default_locale", "en")]).await, "/admin/brands");
    let brand = app.store.list_brands(&sys).await.unwrap().remove(0);
    assert_eq!((brand.name.as_str(), brand.default_locale), ("Sao Mai", Locale::En));
    assert!(admin.get("/admin/brands").await.text().contains("Sao Mai"));

    saved_to(&admin.post("/admin/tags", &[("name", "Bảo-Hành")]).await, "/admin/tags");
    refused(&admin.post("/admin/tags", &[("name", "two words")]).await, "may only hold");
    let tag = app.store.list_tags(&sys).await.unwrap().remove(0);
    assert_eq!(tag.name, "bảo-hành");
    let mut t = NewTicket::new("Máy hỏng");
    t.tags = vec!["bảo-hành".into()];
    let ticket = app.store.create_ticket(&sys, &t).await.unwrap();
    saved_to(&admin.post(&format!("/admin/tags/{}", tag.id), &[("name", "bao-hanh")]).await, "/admin/tags");
    assert_eq!(app.store.get_ticket(&sys, ticket.id).await.unwrap().tags, vec!["bao-hanh"], "renaming reaches the tickets");
    let page = admin.get("/admin/tags").await.text();
    assert_eq!(every_field_is_labelled("/admin/tags", &page), 2, "the new tag and the rename box");
    saved_to(&admin.post(&format!("/admin/tags/{}/delete", tag.id), &[]).await, "/admin/tags");
    assert!(app.store.get_ticket(&sys, ticket.id).await.unwrap().tags.is_empty());

    let select = [("label", "Gói dịch vụ"), ("key", "plan"), ("kind", "select"), ("options", "Cơ bản\r\nNâng cao, có bảo hành\r\n\r\n")];
    saved_to(&admin.post("/admin/custom-fields", &select).await, "/admin/custom-fields");
    let field = app.store.list_custom_fields(&sys).await.unwrap().remove(0);
    assert_eq!(field.options, vec!["Cơ bản", "Nâng cao, có bảo hành"], "one option per line");
    refused(&admin.post("/admin/custom-fields", &[("label", "X"), ("key", "Bad Key"), ("kind", "text")]).await, "key");
    refused(&admin.post("/admin/custom-fields", &[("label", "Empty list"), ("key", "empty"), ("kind", "select")]).await, "option");
    let page = admin.get("/admin/custom-fields").await.text();
    assert!(page.contains("Gói dịch vụ") && page.contains("List of options: Cơ bản, Nâng cao, có bảo hành"), "{page}");
}

async fn admins_manage_canned_replies_and_macros(backend: Backend) {
    let app = app(backend).await;
    let ws = app.store.create_workspace("Kwitek", "kwitek").await.unwrap().id;
    let (admin, admin_id) = signed_in(&app, ws, Role::Admin, "admin@kwitek.test", "Alex Morgan", Locale::En).await;
    let (_, agent_id) = signed_in(&app, ws, Role::Agent, "marta@kwitek.test", "Marta Kowalczyk", Locale::Pl).await;
    let sys = Actor::system(ws);
    let team = app.store.create_team(&sys, &NewTeam { name: "Rozliczenia".into(), restricted: false, member_ids: vec![] }).await.unwrap();

    let reply = [
        ("name", "Potwierdzenie <script>"),
        ("shortcut", "Dzieki"),
        ("shared", "on"),
        ("body_vi", "Chào anh/chị {{contact.first_name}}, cảm ơn anh/chị."),
        ("body_pl", "Dzień dobry,\ndziękujemy za zgłoszenie nr {{ticket.id}}."),
        ("body_en", ""),
    ];
    saved_to(&admin.post("/admin/canned-replies/new", &reply).await, "/admin/canned-replies");
    let canned = app.store.list_canned_replies(&sys).await.unwrap().remove(0);
    assert_eq!((canned.shortcut.as_deref(), canned.owner_user_id, canned.bodies.len()), (Some("dzieki"), None, 2));
    let list = admin.get("/admin/canned-replies").await.text();
    assert!(list.contains("Tiếng Việt, Polski") && !list.contains("Potwierdzenie <script>"), "{list}");
    let form = admin.get(&format!("/admin/canned-replies/{}", canned.id)).await.text();
    assert!(form.contains("{{contact.first_name}}") && form.contains("dziękujemy za zgłoszenie"), "{form}");
    let blank = [("name", "Pusta"), ("shortcut", ""), ("body_vi", " "), ("body_pl", ""), ("body_en", "")];
    refused(&admin.post("/admin/canned-replies/new", &blank).await, "at least one language");
    let mut personal = reply.to_vec();
    personal.retain(|(k, _)| *k != "shared");
    personal[0] = ("name", "Tylko moja");
    saved_to(&admin.post(&format!("/admin/canned-replies/{}", canned.id), &personal).await, "/admin/canned-replies");
    assert_eq!(
        app.store.get_canned_reply(&Actor { user_id: admin_id, ..sys.clone() }, canned.id).await.unwrap().owner_user_id,
        Some(admin_id)
    );
    saved_to(&admin.post(&format!("/admin/canned-replies/{}/delete", canned.id), &[]).await, "/admin/canned-replies");
    assert!(app.store.list_canned_replies(&Actor { user_id: admin_id, ..sys.clone() }).await.unwrap().is_empty());

    // A macro with every kind of action, made in the form.
    let agent = agent_id.to_string();
    let team_id = team.id.to_string();
    let form = [
        ("name", "Prośba o paragon"),
        ("reply_pl", "Dzień dobry,\nprosimy o zdjęcie paragonu."),
        ("reply_vi", "Anh/chị vui lòng gửi ảnh hóa đơn."),
        ("reply_en", ""),
        ("note_en", "Asked for the receipt."),
        ("status", "pending"),
        ("priority", "high"),
        ("add_tags", "paragon, Reklamacja"),
        ("remove_tags", "nowe"),
        ("assignee", &agent),
        ("team", &team_id),
    ];
    saved_to(&admin.post("/admin/macros/new", &form).await, "/admin/macros");
    let m = app.store.list_macros(&sys).await.unwrap().remove(0);
    let expected = vec![
        MacroAction::Reply {
            kind: MessageKind::Public,
            bodies: [(Locale::Vi, "Anh/chị vui lòng gửi ảnh hóa đơn."), (Locale::Pl, "Dzień dobry,\r\nprosimy o zdjęcie paragonu.")]
                .into_iter()
                .map(|(l, t)| (l, t.to_string()))
                .collect(),
        },
        MacroAction::Reply { kind: MessageKind::Note, bodies: [(Locale::En, "Asked for the receipt.".to_string())].into_iter().collect() },
        MacroAction::SetStatus { status: TicketStatus::Pending },
        MacroAction::SetPriority { priority: Priority::High },
        MacroAction::AddTags { tags: vec!["paragon".into(), "reklamacja".into()] },
        MacroAction::RemoveTags { tags: vec!["nowe".into()] },
        MacroAction::AssignUser { user_id: Some(agent_id) },
        MacroAction::AssignTeam { team_id: Some(team.id) },
    ];
    assert_eq!(m.actions.len(), expected.len());
    for (got, want) in m.actions.iter().zip(&expected) {
        match (got, want) {
            (MacroAction::Reply { kind: a, bodies: x }, MacroAction::Reply { kind: b, bodies: y }) => {
                assert_eq!(a, b);
                let norm =
                    |m: &rapport_domain::canned::LocalizedText| m.iter().map(|(l, t)| (*l, t.replace("\r\n", "\n"))).collect::<Vec<_>>();
                assert_eq!(norm(x), norm(y));
            }
            _ => assert_eq!(got, want),
        }
    }
    let list = admin.get("/admin/macros").await.text();
    for line in [
        "Set the status: Pending",
        "Set the priority: High",
        "+paragon",
        "−nowe",
        "Assign to: Marta Kowalczyk",
        "Move to team: Rozliczenia",
    ] {
        assert!(list.contains(line), "{line} in {list}");
    }
    // The edit form shows the macro as saved; saving it unchanged keeps it.
    let edit_path = format!("/admin/macros/{}", m.id);
    let page = admin.get(&edit_path).await.text();
    assert!(page.contains("value=\"pending\" selected") && page.contains(&format!("value=\"{agent_id}\" selected")), "{page}");
    assert!(page.contains("paragon, reklamacja") && page.contains("prosimy o zdjęcie paragonu"));
    assert_eq!(every_field_is_labelled(&edit_path, &page), 13, "name, 3 replies, 3 notes, status, priority, 2 tag fields, assignee, team");
    saved_to(&admin.post(&edit_path, &form).await, "/admin/macros");
    assert_eq!(app.store.get_macro(&sys, m.id).await.unwrap().actions.len(), 8);

    // Refused: a viewer as assignee; a tag both added and removed; nothing at all.
    let (_, viewer_id) = signed_in(&app, ws, Role::Viewer, "v@kwitek.test", "Viewer", Locale::En).await;
    let viewer = viewer_id.to_string();
    refused(&admin.post("/admin/macros/new", &[("name", "Viewer"), ("assignee", &viewer)]).await, "viewer");
    refused(&admin.post("/admin/macros/new", &[("name", "Both"), ("add_tags", "a"), ("remove_tags", "A")]).await, "both added and removed");
    refused(&admin.post("/admin/macros/new", &[("name", "Empty")]).await, "at least one action");
    assert_eq!(app.store.list_macros(&sys).await.unwrap().len(), 1);

    // The saved macro works on a ticket.
    let mut t = NewTicket::new("Zwrot");
    t.language = Some(Locale::Pl);
    t.tags = vec!["nowe".into()];
    t.message = Some(rapport_store::model::FirstMessage { body: Some("Chcę zwrócić towar.".into()), html: None, kind: None });
    let ticket = app.store.create_ticket(&sys, &t).await.unwrap();
    let marta = app.store.get_user(&sys, agent_id).await.unwrap();
    let marta = Actor { workspace_id: ws, user_id: marta.id, role: marta.role, team_ids: marta.team_ids };
    let applied = app.store.apply_macro(&marta, ticket.id, m.id).await.unwrap();
    assert_eq!(applied.messages[0].body_text.replace("\r\n", "\n"), "Dzień dobry,\nprosimy o zdjęcie paragonu.");
    assert_eq!((applied.ticket.status, applied.ticket.assignee_id), (TicketStatus::Pending, Some(agent_id)));

    saved_to(&admin.post(&format!("{edit_path}/delete"), &[]).await, "/admin/macros");
    assert!(app.store.list_macros(&sys).await.unwrap().is_empty());
}

both_backends!(
    only_admins_open_admin_pages,
    admins_manage_users_and_teams,
    admins_manage_brands_tags_and_fields,
    admins_manage_canned_replies_and_macros
);
