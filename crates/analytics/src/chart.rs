//! Charts as SVG text, rendered on the server: trend lines, bar
//! distributions and the NPS breakdown. No script, no charting library; the
//! words come from the caller (already translated), every text is escaped,
//! and bars and segments can link to the records they count.
//!
//! Each chart is `role="img"` with a `<title>` and a `<desc>` that states the
//! numbers, so it reads in a screen reader as well as it looks. Colours come
//! from classes (`series-0`, `nps-promoters`...) with inline defaults.

use std::fmt::Write;

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;
const PALETTE: [&str; 4] = ["#2563eb", "#16a34a", "#d97706", "#9333ea"];

/// Escapes text for SVG/XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number for people: at most one decimal, no trailing `.0`.
pub fn fmt_num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Round axis steps (1, 2, 5 × 10ⁿ) covering `[lo, hi]`.
fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| span / s <= 5.0).unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut t = start;
    while t <= hi + step * 0.5 && ticks.len() < 12 {
        ticks.push(t);
        t += step;
    }
    ticks
}

pub struct LineSeries<'a> {
    pub name: &'a str,
    pub values: &'a [Option<f64>],
}

pub struct LineChart<'a> {
    pub title: &'a str,
    /// One label per point (dates).
    pub labels: &'a [String],
    pub series: Vec<LineSeries<'a>>,
    /// Appended to values in the description (`%`, ` h`).
    pub unit: &'a str,
    /// Fixed axis bounds (e.g. 0–100 for CSAT, −100–100 for NPS); otherwise from the data.
    pub y_range: Option<(f64, f64)>,
    /// Shown when there is no value at all.
    pub empty: &'a str,
}

/// A line chart: one polyline per series, gaps where a bucket has no value.
pub fn line_chart(c: &LineChart<'_>) -> String {
    let n = c.labels.len();
    let all: Vec<f64> = c.series.iter().flat_map(|s| s.values.iter().flatten().copied()).collect();
    let mut svg = open(c.title, &describe_lines(c));
    if all.is_empty() || n == 0 {
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="middle" class="chart-empty" fill="dimgray">{}</text>"#,
            W / 2.0,
            H / 2.0,
            escape(c.empty)
        );
        svg.push_str("</svg>");
        return svg;
    }
    let (lo, hi) = c.y_range.unwrap_or_else(|| {
        let max = all.iter().copied().fold(f64::MIN, f64::max);
        let min = all.iter().copied().fold(f64::MAX, f64::min).min(0.0);
        (min, if max > min { max } else { min + 1.0 })
    });
    let ticks = nice_ticks(lo, hi);
    let (y_lo, y_hi) = (ticks.first().copied().unwrap_or(lo).min(lo), ticks.last().copied().unwrap_or(hi).max(hi));
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = |i: usize| if n == 1 { LEFT + plot_w / 2.0 } else { LEFT + plot_w * i as f64 / (n - 1) as f64 };
    let y = |v: f64| TOP + plot_h * (1.0 - (v - y_lo) / (y_hi - y_lo).max(1e-9));
    axes(&mut svg, &ticks, &y, c.labels, &x);
    for (si, s) in c.series.iter().enumerate() {
        let color = PALETTE[si % PALETTE.len()];
        let mut path = String::new();
        let mut pen_down = false;
        for (i, v) in s.values.iter().enumerate().take(n) {
            match v {
                Some(v) => {
                    let _ = write!(path, "{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, x(i), y(*v));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(svg, r#"<path class="series series-{si}" d="{}" fill="none" stroke="{color}" stroke-width="2"/>"#, path.trim_end());
        for (i, v) in s.values.iter().enumerate().take(n) {
            if let Some(v) = v {
                let _ = write!(
                    svg,
                    r#"<circle class="series-{si}" cx="{:.1}" cy="{:.1}" r="2.5" fill="{color}"><title>{} · {}: {}{}</title></circle>"#,
                    x(i),
                    y(*v),
                    escape(&c.labels[i]),
                    escape(s.name),
                    fmt_num(*v),
                    escape(c.unit)
                );
            }
        }
    }
    if c.series.len() > 1 {
        for (si, s) in c.series.iter().enumerate() {
            let lx = LEFT + 8.0 + si as f64 * 140.0;
            let _ = write!(
                svg,
                r#"<rect x="{lx}" y="2" width="10" height="10" fill="{}"/><text x="{}" y="11" font-size="11">{}</text>"#,
                PALETTE[si % PALETTE.len()],
                lx + 14.0,
                escape(s.name)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn describe_lines(c: &LineChart<'_>) -> String {
    let mut d = String::new();
    for s in &c.series {
        let points: Vec<String> =
            s.values.iter().zip(c.labels).filter_map(|(v, l)| v.map(|v| format!("{l}: {}{}", fmt_num(v), c.unit))).collect();
        let _ = write!(d, "{}: {}. ", s.name, if points.is_empty() { "—".to_string() } else { points.join(", ") });
    }
    d.trim_end().to_string()
}

fn open(title: &str, desc: &str) -> String {
    let id = format!("c{:x}", fxhash(title) ^ fxhash(desc));
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {W} {H}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" font-family="system-ui, sans-serif" font-size="11"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    )
}

/// A small stable hash for element ids (two charts on a page need distinct ids).
fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}

fn axes(svg: &mut String, ticks: &[f64], y: &dyn Fn(f64) -> f64, labels: &[String], x: &dyn Fn(usize) -> f64) {
    for t in ticks {
        let yy = y(*t);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            fmt_num(*t)
        );
    }
    let n = labels.len();
    let every = n.div_ceil(8).max(1);
    for (i, l) in labels.iter().enumerate() {
        if i % every == 0 || i + 1 == n {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#555">{}</text>"##,
                x(i),
                H - BOTTOM + 16.0,
                escape(short_label(l))
            );
        }
    }
}

/// `2026-03-02` → `03-02`; months stay `2026-03`.
fn short_label(l: &str) -> &str {
    if l.len() == 10 {
        &l[5..]
    } else {
        l
    }
}

pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Where the bar leads (the records it counts).
    pub href: Option<String>,
}

/// Vertical bars with their values on top, each optionally a link.
pub fn bar_chart(title: &str, bars: &[Bar], empty: &str) -> String {
    let desc = bars.iter().map(|b| format!("{}: {}", b.label, fmt_num(b.value))).collect::<Vec<_>>().join(", ");
    let mut svg = open(title, &desc);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    if bars.is_empty() || max <= 0.0 {
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="middle" class="chart-empty" fill="dimgray">{}</text></svg>"#,
            W / 2.0,
            H / 2.0,
            escape(empty)
        );
        return svg;
    }
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let slot = plot_w / bars.len() as f64;
    let bw = (slot * 0.7).min(60.0);
    let _ = write!(svg, r##"<line x1="{LEFT}" x2="{}" y1="{}" y2="{}" stroke="#999"/>"##, W - RIGHT, TOP + plot_h, TOP + plot_h);
    for (i, b) in bars.iter().enumerate() {
        let h = plot_h * b.value / max;
        let x = LEFT + slot * i as f64 + (slot - bw) / 2.0;
        let y = TOP + plot_h - h;
        let rect = format!(
            r#"<rect class="bar" x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{h:.1}" fill="{}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            PALETTE[0],
            escape(&b.label),
            fmt_num(b.value),
            x + bw / 2.0,
            y - 4.0,
            fmt_num(b.value)
        );
        match &b.href {
            Some(href) => {
                let _ = write!(svg, r#"<a href="{}">{rect}</a>"#, escape(href));
            }
            None => svg.push_str(&rect),
        }
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#333">{}</text>"##,
            x + bw / 2.0,
            H - BOTTOM + 16.0,
            escape(&b.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One segment of the NPS bar.
pub struct Segment<'a> {
    pub label: &'a str,
    pub count: i64,
    pub href: Option<String>,
}

/// The NPS breakdown: one horizontal bar split into detractors, passives and
/// promoters (in that order), each segment sized by its share and linked to
/// its responses, with the score written above.
pub fn nps_breakdown(title: &str, score_text: &str, segments: [Segment<'_>; 3], empty: &str) -> String {
    let total: i64 = segments.iter().map(|s| s.count).sum();
    let desc = format!(
        "{score_text}. {}",
        segments
            .iter()
            .map(|s| format!(
                "{}: {} ({}%)",
                s.label,
                s.count,
                fmt_num(if total > 0 { s.count as f64 * 100.0 / total as f64 } else { 0.0 })
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut svg = open(title, &desc);
    if total == 0 {
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="middle" class="chart-empty" fill="dimgray">{}</text></svg>"#,
            W / 2.0,
            H / 2.0,
            escape(empty)
        );
        return svg;
    }
    let colors = ["#dc2626", "#a3a3a3", "#16a34a"];
    let classes = ["nps-detractors", "nps-passives", "nps-promoters"];
    let _ =
        write!(svg, r#"<text x="{}" y="60" text-anchor="middle" font-size="22" font-weight="bold">{}</text>"#, W / 2.0, escape(score_text));
    let (x0, width, y0, h) = (LEFT, W - LEFT - RIGHT, 90.0, 48.0);
    let mut x = x0;
    for (i, s) in segments.iter().enumerate() {
        let w = width * s.count as f64 / total as f64;
        let share = fmt_num(s.count as f64 * 100.0 / total as f64);
        let mut part = format!(
            r#"<rect class="{}" x="{x:.1}" y="{y0}" width="{w:.1}" height="{h}" fill="{}"><title>{}: {} ({share}%)</title></rect>"#,
            classes[i],
            colors[i],
            escape(s.label),
            s.count
        );
        if w >= 40.0 {
            let _ = write!(
                part,
                r#"<text x="{:.1}" y="{}" text-anchor="middle" fill="white" font-weight="bold">{share}%</text>"#,
                x + w / 2.0,
                y0 + h / 2.0 + 4.0
            );
        }
        match &s.href {
            Some(href) if s.count > 0 => {
                let _ = write!(svg, r#"<a href="{}">{part}</a>"#, escape(href));
            }
            _ => svg.push_str(&part),
        }
        // The legend under the bar, with counts.
        let lx = x0 + i as f64 * (width / 3.0);
        let _ = write!(
            svg,
            r#"<rect x="{lx:.1}" y="{}" width="10" height="10" fill="{}"/><text x="{:.1}" y="{}">{} · {} ({share}%)</text>"#,
            y0 + h + 22.0,
            colors[i],
            lx + 14.0,
            y0 + h + 31.0,
            escape(s.label),
            s.count
        );
        x += w;
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_at_gaps_and_text_is_escaped() {
        let labels: Vec<String> = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"].iter().map(|s| s.to_string()).collect();
        let values = [Some(80.0), None, Some(60.0), Some(75.0)];
        let svg = line_chart(&LineChart {
            title: "CSAT <ngày>",
            labels: &labels,
            series: vec![LineSeries { name: "Zadowolenie & co", values: &values }],
            unit: "%",
            y_range: Some((0.0, 100.0)),
            empty: "—",
        });
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("CSAT &lt;ngày&gt;") && svg.contains("Zadowolenie &amp; co"));
        assert!(!svg.contains("<ngày>"));
        // Two pen-down moves: the gap at 03-02 starts a new stroke.
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(svg.matches("<circle").count(), 3);
        // The description reads the numbers.
        assert!(svg.contains("03-01") || svg.contains("2026-03-01: 80%"));
        assert!(svg.contains("2026-03-04: 75%"));
    }

    #[test]
    fn bars_link_to_their_records() {
        let bars = vec![
            Bar { label: "1".into(), value: 2.0, href: Some("/reports/responses?figure=csat:1&a=1".into()) },
            Bar { label: "5".into(), value: 8.0, href: None },
        ];
        let svg = bar_chart("CSAT", &bars, "no data");
        assert!(svg.contains(r#"<a href="/reports/responses?figure=csat:1&amp;a=1">"#));
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 2);
        assert!(bar_chart("CSAT", &[], "no data").contains("no data"));
    }

    #[test]
    fn nps_segments_are_sized_by_share() {
        let svg = nps_breakdown(
            "NPS",
            "NPS 50",
            [
                Segment { label: "Detractors", count: 1, href: Some("/d".into()) },
                Segment { label: "Passives", count: 0, href: Some("/p".into()) },
                Segment { label: "Promoters", count: 3, href: Some("/q".into()) },
            ],
            "—",
        );
        assert!(svg.contains("Detractors: 1 (25%)") && svg.contains("Promoters: 3 (75%)"));
        // An empty segment is not a link to nothing.
        assert!(!svg.contains(r#"href="/p""#) && svg.contains(r#"href="/q""#));
        assert_eq!(nice_ticks(0.0, 100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(fmt_num(66.66), "66.7");
        assert_eq!(fmt_num(50.0), "50");
    }
}
