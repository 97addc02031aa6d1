//! The HTML page. Everything from input goes through [`esc`]; numbers are printed with
//! thousands separators and also carried raw in `data-value` / `data-v` attributes so sorting
//! and the browser test read exact values.

use std::fmt::Write as _;

use super::{ReportData, svg};
use crate::exposure::{ExposureReport, MailboxExposure, Recommendation};
use crate::findings::Finding;
use crate::guardrails::{GuardrailsReport, Verdict};
use crate::messages::{Lang, format, text};
use crate::time::Timestamp;

/// Most rows an HTML table shows (the CSV and JSON have all).
pub const MAX_TABLE_ROWS: usize = 2000;

/// Escape text for HTML content and attribute values (also valid in inline SVG).
pub fn esc(s: &str) -> String {
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

/// A count with thousands separators (the same in en-US and ja-JP).
pub fn num(v: u64) -> String {
    let d = v.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn date(t: Option<Timestamp>) -> String {
    t.map(|t| t.date_string()).unwrap_or_default()
}

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");
/// Installed first so even an error in the main script is recorded (the browser test reads it).
const ERROR_HOOK: &str = "window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message));document.documentElement.setAttribute('data-errors',String(window.__errors.length));});";

/// Render the page.
pub fn page(d: &ReportData, lang: Lang) -> String {
    let mut s = String::with_capacity(256 * 1024);
    let title = text("report.title", lang);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{}\" data-errors=\"0\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
         <title>{}</title><script>{ERROR_HOOK}</script><style>{CSS}</style></head><body>",
        if lang == Lang::Ja { "ja" } else { "en" },
        esc(title)
    );
    let generated = format(
        "report.generated",
        lang,
        &[("date", &d.generated.to_string()), ("first", &date(d.first_seen)), ("last", &date(d.last_seen))],
    );
    let _ = write!(s, "<header><h1>{}</h1><p class=\"sub\">{}</p></header><main>", esc(title), esc(&generated));
    cards(&mut s, d);
    section(&mut s, "timeline", text("report.section.timeline", lang), &svg::timeline(&d.timeline, lang));
    let tops = [
        ("users", "report.top.users", &d.top_users),
        ("apps", "report.top.apps", &d.top_apps),
        ("ips", "report.top.ips", &d.top_ips),
        ("countries", "report.top.countries", &d.top_countries),
    ]
    .iter()
    .map(|(id, key, items)| svg::top_bars(id, text(key, lang), items, lang))
    .collect::<String>();
    section(&mut s, "top", text("report.section.top", lang), &format!("<div class=\"tops\">{tops}</div>"));
    section(&mut s, "attack", text("report.section.attack", lang), &svg::split(&d.attack_split, lang));
    if let Some(g) = &d.guardrails {
        section(&mut s, "guardrails", text("report.section.guardrails", lang), &guardrails(g, lang));
    }
    for (id, key, findings) in readiness_groups(&d.readiness) {
        let t = findings_table(&format!("{id}-table"), &findings, lang);
        section(&mut s, id, text(key, lang), &t);
    }
    if let Some(e) = &d.exposure {
        section(&mut s, "tenant-plan", text("report.section.tenant_plan", lang), &tenant_plan(e, lang));
        section(&mut s, "plan", text("report.section.plan", lang), &plan(e, lang));
    }
    section(&mut s, "usage", text("report.section.usage", lang), &usage_table(d, lang));
    let _ =
        write!(s, "</main><footer>{}</footer><script>{JS}</script></body></html>", esc(text("report.footer", lang)));
    s.push('\n');
    s
}

/// Readiness findings by area, from the rule id's first segment (`outlook.…`, `exo.…`).
fn readiness_groups(findings: &[Finding]) -> Vec<(&'static str, &'static str, Vec<Finding>)> {
    let area = |f: &Finding| match f.id.split('.').next().unwrap_or("").to_ascii_lowercase().as_str() {
        "outlook" | "office" | "registry" => 0,
        "exo" | "powershell" => 1,
        _ => 2,
    };
    let groups = [
        ("outlook", "report.section.outlook"),
        ("exo-powershell", "report.section.exo"),
        ("other-findings", "report.section.other_findings"),
    ];
    groups
        .iter()
        .enumerate()
        .map(|(i, (id, key))| {
            let mut v: Vec<Finding> = findings.iter().filter(|f| area(f) == i).cloned().collect();
            crate::findings::sort(&mut v);
            (*id, *key, v)
        })
        .filter(|g| !g.2.is_empty())
        .collect()
}

fn section(s: &mut String, id: &str, title: &str, body: &str) {
    let _ = write!(s, "<section id=\"{id}\"><h2>{}</h2>{body}</section>", esc(title));
}

fn cards(s: &mut String, d: &ReportData) {
    s.push_str("<section id=\"cards\" class=\"cards\">");
    for c in &d.cards {
        let _ = write!(
            s,
            "<div class=\"card {}\" data-metric=\"{}\" data-value=\"{}\"><div class=\"v\">{}</div><div class=\"l\">{}</div></div>",
            c.tone,
            c.id,
            c.value,
            num(c.value),
            esc(&c.label)
        );
    }
    s.push_str("</section>");
}

/// A table header cell; `numeric` columns sort as numbers.
fn th(label: &str, numeric: bool) -> String {
    format!("<th data-type=\"{}\" tabindex=\"0\">{}</th>", if numeric { "num" } else { "text" }, esc(label))
}

fn filter_box(table_id: &str, lang: Lang) -> String {
    format!(
        "<input type=\"search\" class=\"filter\" data-for=\"{table_id}\" placeholder=\"{}\" aria-label=\"{}\">",
        esc(text("report.filter", lang)),
        esc(text("report.filter", lang))
    )
}

fn copy_block(id: &str, code: &str, lang: Lang) -> String {
    format!(
        "<div class=\"code\"><button type=\"button\" class=\"copy\" data-target=\"{id}\" data-done=\"{}\">{}</button><pre id=\"{id}\">{}</pre></div>",
        esc(text("report.copied", lang)),
        esc(text("report.copy", lang)),
        esc(code)
    )
}

fn badge(class: &str, label: &str) -> String {
    format!("<span class=\"badge {}\">{}</span>", esc(class), esc(label))
}

fn more_rows_note(total: usize, lang: Lang) -> String {
    if total <= MAX_TABLE_ROWS {
        return String::new();
    }
    format!(
        "<p class=\"note\">{}</p>",
        esc(&format("report.more_rows", lang, &[("shown", &MAX_TABLE_ROWS), ("total", &total)]))
    )
}

/// A table of common findings (guard rails, exposure tenant findings, readiness).
pub fn findings_table(id: &str, findings: &[Finding], lang: Lang) -> String {
    if findings.is_empty() {
        return format!("<p class=\"empty\">{}</p>", esc(text("report.none", lang)));
    }
    let mut s = filter_box(id, lang);
    let _ = write!(
        s,
        "<table class=\"data\" id=\"{id}\"><thead><tr>{}{}{}{}{}</tr></thead><tbody>",
        th(text("report.col.severity", lang), false),
        th(text("report.col.target", lang), false),
        th(text("report.col.finding", lang), false),
        th(text("report.col.fix", lang), false),
        th(text("report.col.source", lang), false)
    );
    for (i, f) in findings.iter().enumerate().take(MAX_TABLE_ROWS) {
        let unverified = if f.verified {
            String::new()
        } else {
            format!(" {}", badge("unverified", text("report.unverified", lang)))
        };
        let fix = if f.fix.is_empty() { String::new() } else { copy_block(&format!("{id}-fix-{i}"), &f.fix, lang) };
        let setting = if f.setting.is_empty() || (f.current.is_none() && f.expected.is_none()) {
            String::new()
        } else {
            format!(
                "<div class=\"setting\"><code>{}</code> {} → {}</div>",
                esc(&f.setting),
                esc(f.current.as_deref().unwrap_or("—")),
                esc(f.expected.as_deref().unwrap_or("—"))
            )
        };
        let _ = write!(
            s,
            "<tr data-severity=\"{sev}\"><td data-v=\"{rank}\">{}</td><td>{}</td><td><b>{}</b>{unverified}{setting}<div class=\"why\">{}</div></td><td>{fix}</td><td>{}</td></tr>",
            badge(&format!("sev-{}", f.severity.as_str()), f.severity.as_str()),
            esc(&f.target),
            esc(&f.message),
            esc(&f.why),
            esc(&f.source),
            sev = f.severity.as_str(),
            rank = f.severity as u8,
        );
    }
    s.push_str("</tbody></table>");
    s.push_str(&more_rows_note(findings.len(), lang));
    s
}

fn guardrails(g: &GuardrailsReport, lang: Lang) -> String {
    let tone = match g.verdict {
        Verdict::Enforced | Verdict::SecurityDefaults => "good",
        Verdict::ReportOnly | Verdict::Partial => "warn",
        Verdict::None => "bad",
    };
    let mut s =
        format!("<p class=\"verdict {tone}\" data-verdict=\"{:?}\">{}</p>", g.verdict, esc(&g.verdict.label(lang)));
    if !g.policies.is_empty() {
        s.push_str("<table class=\"data small\" id=\"ca-policies\"><thead><tr>");
        for h in ["displayName", "state", "clientAppTypes", "includeUsers", "includeApplications", "exclude"] {
            s.push_str(&th(h, false));
        }
        s.push_str("</tr></thead><tbody>");
        for p in &g.policies {
            let mut types = Vec::new();
            if p.covers_exchange_active_sync {
                types.push("exchangeActiveSync");
            }
            if p.covers_other {
                types.push("other");
            }
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{:?}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{} / {} / {}</td></tr>",
                esc(&p.display_name),
                p.state,
                esc(&types.join(", ")),
                if p.blocks { " → block" } else { "" },
                if p.all_users { "All" } else { "—" },
                if p.all_apps { "All" } else { "—" },
                p.exclude_users.len(),
                p.exclude_groups.len(),
                p.exclude_roles.len()
            );
        }
        s.push_str("</tbody></table>");
    }
    s.push_str(&findings_table("guardrails-table", &g.findings, lang));
    s
}

fn tenant_plan(e: &ExposureReport, lang: Lang) -> String {
    let mut s = format!("<p class=\"note\">{}</p>", esc(text("report.note_oauth", lang)));
    s.push_str(&findings_table("tenant-findings", &e.tenant_findings, lang));
    if !e.tenant_commands.is_empty() {
        let code = e.tenant_commands.iter().map(|c| c.command.as_str()).collect::<Vec<_>>().join("\n");
        s.push_str(&copy_block("tenant-commands", &code, lang));
    }
    s
}

fn rec_class(r: Recommendation) -> String {
    format!("rec-{}", r.name())
}

fn plan(e: &ExposureReport, lang: Lang) -> String {
    let rows: Vec<&MailboxExposure> = e
        .mailboxes
        .iter()
        .filter(|m| !matches!(m.recommendation, Recommendation::NoAction | Recommendation::BlockedByPolicy))
        .collect();
    if rows.is_empty() {
        return format!("<p class=\"empty\">{}</p>", esc(text("report.none", lang)));
    }
    let mut s = String::new();
    if !e.unmatched_usage.is_empty() {
        let list = e.unmatched_usage.iter().take(50).map(|u| esc(u)).collect::<Vec<_>>().join(", ");
        let _ = write!(
            s,
            "<p class=\"note\" data-unmatched=\"{}\">{} {list}</p>",
            e.unmatched_usage.len(),
            esc(&format("report.unmatched", lang, &[("count", &e.unmatched_usage.len())]))
        );
    }
    s.push_str(&filter_box("plan-table", lang));
    let _ = write!(
        s,
        "<table class=\"data\" id=\"plan-table\"><thead><tr>{}{}{}{}{}</tr></thead><tbody>",
        th(text("report.col.mailbox", lang), false),
        th(text("report.col.open", lang), false),
        th(text("report.col.recommendation", lang), false),
        th(text("report.col.reason", lang), false),
        th(text("report.col.commands", lang), false)
    );
    for (i, m) in rows.iter().enumerate().take(MAX_TABLE_ROWS) {
        let open: String = m
            .protocols
            .iter()
            .filter(|p| p.enabled == Some(true) || p.recommendation == Recommendation::Unknown)
            .map(|p| badge(&rec_class(p.recommendation), &p.protocol))
            .collect::<Vec<_>>()
            .join(" ");
        let reasons: String = m
            .protocols
            .iter()
            .filter(|p| !matches!(p.recommendation, Recommendation::NoAction | Recommendation::BlockedByPolicy))
            .map(|p| {
                let client = p
                    .client
                    .as_ref()
                    .filter(|c| !c.evidence.is_empty())
                    .map(|c| format!(" <span class=\"ev\">[{}]</span>", esc(&c.evidence.join(", "))))
                    .unwrap_or_default();
                let agents = p
                    .usage
                    .as_ref()
                    .filter(|u| !u.user_agents.is_empty())
                    .map(|u| format!("<div class=\"ua\">{}</div>", esc(&u.user_agents.join(" · "))))
                    .unwrap_or_default();
                let migrate = if p.recommendation == Recommendation::MigrateFirst {
                    format!("<div class=\"migrate\">→ {}</div>", esc(&p.migrate_to))
                } else {
                    String::new()
                };
                let deadlines = if p.deadlines.is_empty() || p.recommendation != Recommendation::MigrateFirst {
                    String::new()
                } else {
                    format!("<div class=\"why\">{}</div>", esc(&p.deadlines))
                };
                let migrate = migrate + &deadlines;
                format!("<li><b>{}</b>: {}{client}{agents}{migrate}</li>", esc(&p.protocol), esc(&p.reason))
            })
            .collect();
        let code = m.commands.iter().map(|c| c.command.as_str()).collect::<Vec<_>>().join("\n");
        let cmds = if code.is_empty() { String::new() } else { copy_block(&format!("cmd-{i}"), &code, lang) };
        let name = if m.display_name.is_empty() || m.display_name == m.identity {
            String::new()
        } else {
            format!("<div class=\"dn\">{}</div>", esc(&m.display_name))
        };
        let _ = write!(
            s,
            "<tr data-recommendation=\"{}\"><td>{}{name}</td><td>{open}</td><td data-v=\"{}\">{} {}</td><td><ul>{reasons}</ul></td><td>{cmds}</td></tr>",
            m.recommendation.name(),
            esc(&m.identity),
            m.recommendation as u8,
            badge(&rec_class(m.recommendation), &m.recommendation.label(lang)),
            badge(&format!("sev-{}", m.severity.as_str()), m.severity.as_str()),
        );
    }
    s.push_str("</tbody></table>");
    s.push_str(&more_rows_note(rows.len(), lang));
    s
}

fn usage_table(d: &ReportData, lang: Lang) -> String {
    if d.usage.is_empty() {
        return format!("<p class=\"empty\">{}</p>", esc(text("report.none", lang)));
    }
    let mut s = filter_box("usage-table", lang);
    let _ = write!(
        s,
        "<table class=\"data\" id=\"usage-table\"><thead><tr>{}{}{}{}{}{}{}{}{}</tr></thead><tbody>",
        th(text("report.col.user", lang), false),
        th(text("report.col.protocol", lang), false),
        th(text("report.col.total", lang), true),
        th(text("report.col.succeeded", lang), true),
        th(text("report.col.failed", lang), true),
        th(text("report.col.ips", lang), true),
        th(text("report.col.last", lang), false),
        th(text("report.col.agents", lang), false),
        th(text("report.col.assessment", lang), false)
    );
    for r in d.usage.iter().take(MAX_TABLE_ROWS) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td><td class=\"ua\">{}</td><td>{}</td></tr>",
            esc(&r.user_principal_name),
            esc(&r.protocol),
            r.total,
            num(r.total),
            r.succeeded,
            num(r.succeeded),
            r.failed,
            num(r.failed),
            r.distinct_ip_count,
            num(r.distinct_ip_count),
            esc(&r.last_seen.map(|t| t.to_string()).unwrap_or_default()),
            esc(&r.user_agents.join(" · ")),
            badge(&format!("as-{:?}", r.assessment), &format!("{:?}", r.assessment)),
        );
    }
    s.push_str("</tbody></table>");
    s.push_str(&more_rows_note(d.usage.len(), lang));
    s
}
