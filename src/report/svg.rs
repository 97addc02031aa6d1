//! Inline SVG charts: stacked bars over time, horizontal top-N bars, a 100 % split bar. Plain
//! shapes and `<title>` tooltips, so they render without script and print crisply.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::html::{esc, num};
use super::{AttackSplit, TopItem};
use crate::exposure::usage::DayProtocol;
use crate::messages::{Lang, text};

/// Colours for protocol series (colour-blind-friendly Okabe–Ito, then greys).
const PALETTE: &[&str] =
    &["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999", "#666666"];

/// Stacked bars: one bar per day, one segment per protocol.
pub fn timeline(days: &[DayProtocol], lang: Lang) -> String {
    if days.is_empty() {
        return format!("<p class=\"empty\">{}</p>", esc(text("report.none", lang)));
    }
    let mut by_day: BTreeMap<&str, Vec<&DayProtocol>> = BTreeMap::new();
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for d in days {
        by_day.entry(d.day.as_str()).or_default().push(d);
        *totals.entry(d.protocol.as_str()).or_default() += d.total;
    }
    // Series ordered by volume so the biggest sits at the bottom and keeps its colour.
    let mut series: Vec<(&str, u64)> = totals.into_iter().collect();
    series.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let colour = |p: &str| PALETTE[series.iter().position(|s| s.0 == p).unwrap_or(0) % PALETTE.len()];
    let max = by_day.values().map(|v| v.iter().map(|d| d.total).sum::<u64>()).max().unwrap_or(1).max(1);
    let (w, h, left, bottom, top) = (960.0, 280.0, 56.0, 40.0, 12.0);
    let plot_h = h - bottom - top;
    let n = by_day.len() as f64;
    let slot = (w - left - 8.0) / n;
    let bar = (slot * 0.8).max(1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" data-chart=\"timeline\">",
        esc(text("report.section.timeline", lang))
    );
    for frac in [0.0, 0.5, 1.0] {
        let y = top + plot_h * (1.0 - frac);
        let v = (max as f64 * frac).round() as u64;
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{}</text>",
            w - 8.0,
            left - 6.0,
            y + 4.0,
            num(v)
        );
    }
    let label_every = (n / 10.0).ceil().max(1.0) as usize;
    for (i, (day, items)) in by_day.iter().enumerate() {
        let x = left + i as f64 * slot + (slot - bar) / 2.0;
        let mut y = top + plot_h;
        let day_total: u64 = items.iter().map(|d| d.total).sum();
        let _ = write!(s, "<g data-day=\"{}\" data-total=\"{day_total}\">", esc(day));
        for (p, _) in &series {
            if let Some(d) = items.iter().find(|d| d.protocol == *p) {
                let bh = plot_h * d.total as f64 / max as f64;
                y -= bh;
                let _ = write!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{} {}: {}</title></rect>",
                    colour(p),
                    esc(day),
                    esc(p),
                    num(d.total)
                );
            }
        }
        s.push_str("</g>");
        if i % label_every == 0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>",
                x + bar / 2.0,
                h - bottom + 16.0,
                esc(day.get(5..).unwrap_or(day))
            );
        }
    }
    s.push_str("</svg><div class=\"legend\">");
    for (p, t) in &series {
        let _ = write!(s, "<span><i style=\"background:{}\"></i>{} ({})</span>", colour(p), esc(p), num(*t));
    }
    s.push_str("</div>");
    s
}

/// Horizontal bars: successes and failures of each item.
pub fn top_bars(id: &str, title: &str, items: &[TopItem], lang: Lang) -> String {
    let mut s = format!("<figure class=\"top\"><figcaption>{}</figcaption>", esc(title));
    if items.is_empty() {
        let _ = write!(s, "<p class=\"empty\">{}</p></figure>", esc(text("report.none", lang)));
        return s;
    }
    let max = items.iter().map(|i| i.total).max().unwrap_or(1).max(1) as f64;
    let (w, row) = (440.0, 22.0);
    let h = row * items.len() as f64 + 4.0;
    let (label_w, bar_w) = (190.0, 180.0);
    let _ = write!(s, "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" data-chart=\"{}\">", esc(id));
    for (i, it) in items.iter().enumerate() {
        let y = i as f64 * row + 2.0;
        let ok = bar_w * it.succeeded as f64 / max;
        let bad = bar_w * it.failed as f64 / max;
        let label: String = if it.label.chars().count() > 28 {
            it.label.chars().take(27).chain(['…']).collect()
        } else {
            it.label.clone()
        };
        let _ = write!(
            s,
            "<g data-label=\"{}\" data-total=\"{}\"><title>{}: {} ({} / {})</title>\
             <text x=\"0\" y=\"{:.1}\" class=\"lbl\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{ok:.1}\" height=\"{:.1}\" class=\"ok\"/>\
             <rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{bad:.1}\" height=\"{:.1}\" class=\"bad\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"val\">{}</text></g>",
            esc(&it.label),
            it.total,
            esc(&it.label),
            num(it.total),
            num(it.succeeded),
            num(it.failed),
            y + 14.0,
            esc(&label),
            row - 6.0,
            label_w + ok,
            row - 6.0,
            label_w + ok + bad + 4.0,
            y + 14.0,
            num(it.total)
        );
    }
    s.push_str("</svg></figure>");
    s
}

/// One 100 % bar: real use, attacks, stale failures, compromises.
pub fn split(a: &AttackSplit, lang: Lang) -> String {
    let parts = [
        ("real", "report.attack.real", a.real, "#0072B2"),
        ("attack", "report.attack.spray", a.attack, "#D55E00"),
        ("stale", "report.attack.stale", a.stale, "#999999"),
        ("compromise", "report.attack.compromise", a.compromise, "#CC0000"),
    ];
    let total: u64 = parts.iter().map(|p| p.2).sum::<u64>().max(1);
    let w = 960.0;
    let mut s = format!("<svg class=\"chart\" viewBox=\"0 0 {w} 36\" data-chart=\"split\">");
    let mut x = 0.0;
    for (id, key, v, c) in parts {
        let pw = w * v as f64 / total as f64;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"4\" width=\"{pw:.1}\" height=\"28\" fill=\"{c}\" data-part=\"{id}\"><title>{}: {}</title></rect>",
            esc(text(key, lang)),
            num(v)
        );
        x += pw;
    }
    s.push_str("</svg><div class=\"legend\">");
    for (id, key, v, c) in parts {
        let pct = 100.0 * v as f64 / total as f64;
        let _ = write!(
            s,
            "<span data-part=\"{id}\" data-value=\"{v}\"><i style=\"background:{c}\"></i>{} <b>{}</b> ({pct:.1}%)</span>",
            esc(text(key, lang)),
            num(v)
        );
    }
    s.push_str("</div>");
    s
}
