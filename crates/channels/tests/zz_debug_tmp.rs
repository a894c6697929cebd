use rapport_channels::email::parse::parse;
#[test]
fn show() {
    let f = std::env::var("F").unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
    let raw = json["text"].as_str().unwrap().as_bytes();
    let m = mail_parser::MessageParser::default().parse(raw).unwrap();
    eprintln!("text_body {:?} html_body {:?} att {:?}", m.text_body, m.html_body, m.attachments);
    for p in &m.parts { eprintln!("part enc_problem={} {:?}", p.is_encoding_problem, match &p.body { mail_parser::PartType::Html(h) => format!("HTML {}", &h[..h.len().min(200)]), mail_parser::PartType::Text(h) => format!("TEXT {}", &h[..h.len().min(200)]), o => format!("{:?}", std::mem::discriminant(o)) }); }
    let p = parse(raw).unwrap();
    eprintln!("TEXT {:?}\nHTML {:?}\nDISPLAY {:?}", &p.text, &p.html[..p.html.len().min(500)], p.display_text);
}
