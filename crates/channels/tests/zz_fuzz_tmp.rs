use rapport_channels::email::parse::parse;
use std::sync::atomic::{AtomicUsize, Ordering};
static PANICS: AtomicUsize = AtomicUsize::new(0);
#[test]
fn fuzz_big() {
    std::panic::set_hook(Box::new(|i| { PANICS.fetch_add(1, Ordering::SeqCst); let l = i.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default(); if !l.contains("message.rs:485") { eprintln!("PANIC {i}"); } }));
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; seed };
    let dir = format!("{}/tests/fixtures/mail", env!("CARGO_MANIFEST_DIR"));
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(dir).unwrap().map(|e| std::fs::read(e.unwrap().path()).unwrap()).collect();
    const TOKENS: &[&[u8]] = &[b"\r\n", b"\n", b"\r\n\r\n", b"--", b"=?utf-8?B?", b"=?iso-2022-jp?Q?=1B", b"?=", b"=\r\n", b"boundary=", b"charset=", b"*0*=", b"*1=", b"\0", b"<", b">", b":", b";", b"\"", b"Content-Type: message/rfc822\r\n\r\n", b"Content-Type: multipart/mixed; boundary=files\r\n\r\n--files\r\n", b"Content-Transfer-Encoding: base64\r\n", b"Content-Transfer-Encoding: quoted-printable\r\n", b"--files--", b"--files\r\n", b"=\xff", b"\xc3"];
    let n: usize = std::env::var("N").ok().and_then(|n| n.parse().ok()).unwrap_or(200000);
    let mut by_seed_panic = 0;
    for round in 0..n {
        let mut raw = seeds[round % seeds.len()].clone();
        for _ in 0..1 + next() % 16 {
            let at = if raw.is_empty() { 0 } else { (next() as usize) % raw.len() };
            match next() % 5 {
                0 => raw.truncate(at),
                1 if !raw.is_empty() => raw[at] = next() as u8,
                2 | 4 => raw.splice(at..at, TOKENS[(next() as usize) % TOKENS.len()].iter().copied()).for_each(drop),
                _ => raw.drain(at..(at + (next() as usize) % 40).min(raw.len())).for_each(drop),
            }
        }
        let before = PANICS.load(Ordering::SeqCst);
        let _ = parse(&raw);
        if PANICS.load(Ordering::SeqCst) > before && by_seed_panic < 3 { by_seed_panic += 1; std::fs::write(format!("/tmp/panic-{round}.eml"), &raw).unwrap(); }
    }
    eprintln!("rounds {n} panics {}", PANICS.load(Ordering::SeqCst));
}
