//! The report: one model ([`ReportData`]) built from usage, exposure, guard rails and readiness
//! findings, rendered as a self-contained HTML file (inline CSS, inline SVG charts, a little
//! vanilla JS for sorting, filtering and copying; no external scripts, fonts or network — a
//! Content-Security-Policy in the page forbids them), as JSON (the model itself) and as CSV
//! (UTF-8 with BOM: the per-mailbox × protocol plan joined with usage, for Excel).
//!
//! Every string that came from input (UPNs, user agents, app names, policy names) goes through
//! [`html::esc`]; a test renders hostile values and checks none survives as markup.

pub mod demo;
pub mod html;
mod svg;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::analysis::{Assessment, GroupBy, SummaryRow};
use crate::exposure::usage::{DayProtocol, Usage};
use crate::exposure::{ExposureReport, Recommendation};
use crate::findings::Finding;
use crate::guardrails::GuardrailsReport;
use crate::messages::{Lang, text};
use crate::signin::ReadStats;
use crate::time::Timestamp;

/// How many rows a top-N chart shows.
pub const TOP_N: usize = 10;

/// A headline number.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    /// Stable id (`total`, `succeeded`, …); the HTML carries it as `data-metric`.
    pub id: &'static str,
    pub label: String,
    pub value: u64,
    /// `bad`, `warn`, `good` or `info`: the card's colour.
    pub tone: &'static str,
}

/// One bar of a top-N chart.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopItem {
    pub label: String,
    pub total: u64,
    pub succeeded: u64,
    pub failed: u64,
}

/// Legacy sign-ins split by what they are (sums of sign-ins, not of accounts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttackSplit {
    pub real: u64,
    pub attack: u64,
    pub stale: u64,
    pub compromise: u64,
}

/// Everything the report shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportData {
    pub culture: &'static str,
    pub generated: Timestamp,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    pub cards: Vec<Card>,
    pub timeline: Vec<DayProtocol>,
    pub top_users: Vec<TopItem>,
    pub top_apps: Vec<TopItem>,
    pub top_ips: Vec<TopItem>,
    pub top_countries: Vec<TopItem>,
    pub attack_split: AttackSplit,
    pub guardrails: Option<GuardrailsReport>,
    pub readiness: Vec<Finding>,
    pub exposure: Option<ExposureReport>,
    pub usage: Vec<SummaryRow>,
    pub stats: ReadStats,
}

/// What a report is made from.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub usage: Usage,
    pub exposure: Option<ExposureReport>,
    pub guardrails: Option<GuardrailsReport>,
    pub readiness: Vec<Finding>,
    pub generated: Timestamp,
}

fn top(rows: &[SummaryRow], label: impl Fn(&SummaryRow) -> String) -> Vec<TopItem> {
    let mut v: Vec<TopItem> = rows
        .iter()
        .map(|r| TopItem { label: label(r), total: r.total, succeeded: r.succeeded, failed: r.failed })
        .collect();
    v.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.label.cmp(&b.label)));
    v.truncate(TOP_N);
    v
}

/// Per-day totals by protocol; from Day rows (one "all" series) when raw data was not given.
fn timeline(usage: &Usage) -> Vec<DayProtocol> {
    if !usage.day_protocol.is_empty() {
        return usage.day_protocol.clone();
    }
    let mut by_day: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for r in usage.rows(GroupBy::Day) {
        let e = by_day.entry(r.key.clone()).or_default();
        e.0 += r.total;
        e.1 += r.succeeded;
    }
    by_day
        .into_iter()
        .map(|(day, (total, succeeded))| DayProtocol { day, protocol: "All".into(), total, succeeded })
        .collect()
}

/// The rows that describe every sign-in once, finest first.
fn base_rows(usage: &Usage) -> &[SummaryRow] {
    [GroupBy::UserProtocol, GroupBy::User, GroupBy::Protocol, GroupBy::Day, GroupBy::App, GroupBy::IP, GroupBy::Country]
        .iter()
        .map(|b| usage.rows(*b))
        .find(|r| !r.is_empty())
        .unwrap_or(&[])
}

fn attack_split(rows: &[SummaryRow]) -> AttackSplit {
    let mut s = AttackSplit::default();
    for r in rows {
        match r.assessment {
            Assessment::Migrate => {
                s.real += r.succeeded;
                s.stale += r.failed;
            }
            Assessment::CompromiseSuspected => {
                s.compromise += r.succeeded;
                s.attack += r.failed;
            }
            Assessment::PasswordSpray | Assessment::BruteForce => s.attack += r.failed,
            Assessment::FailuresOnly => s.stale += r.failed,
        }
    }
    s
}

fn card(id: &'static str, key: &str, value: u64, tone: &'static str, lang: Lang) -> Card {
    Card { id, label: text(key, lang).to_owned(), value, tone }
}

/// Build the model.
pub fn build(input: ReportInput, lang: Lang) -> ReportData {
    let u = &input.usage;
    let base = base_rows(u);
    let total: u64 = base.iter().map(|r| r.total).sum();
    let succeeded: u64 = base.iter().map(|r| r.succeeded).sum();
    let per_user = if u.has(GroupBy::UserProtocol) { u.user_protocol() } else { u.rows(GroupBy::User) };
    let users: BTreeSet<String> =
        per_user.iter().filter(|r| r.succeeded > 0).map(|r| r.user_principal_name.to_lowercase()).collect();
    let compromised: BTreeSet<String> = per_user
        .iter()
        .filter(|r| r.assessment == Assessment::CompromiseSuspected)
        .map(|r| r.user_principal_name.to_lowercase())
        .collect();
    let spray_ips = u.rows(GroupBy::IP).iter().filter(|r| r.spray_ip_count > 0).count() as u64;
    let mut cards = vec![
        card("total", "report.card.total", total, "info", lang),
        card("succeeded", "report.card.succeeded", succeeded, if succeeded > 0 { "warn" } else { "good" }, lang),
        card("failed", "report.card.failed", total - succeeded, "info", lang),
        card("users", "report.card.users", users.len() as u64, if users.is_empty() { "good" } else { "warn" }, lang),
    ];
    if u.has(GroupBy::IP) {
        cards.push(card(
            "sprayIps",
            "report.card.spray_ips",
            spray_ips,
            if spray_ips > 0 { "bad" } else { "good" },
            lang,
        ));
    }
    let n = compromised.len() as u64;
    cards.push(card("compromise", "report.card.compromise", n, if n > 0 { "bad" } else { "good" }, lang));
    if let Some(e) = &input.exposure {
        let c = &e.counts;
        cards.push(card("mailboxes", "report.card.mailboxes", c.mailboxes, "info", lang));
        cards.push(card(
            "disable",
            "report.card.disable",
            c.disable,
            if c.disable > 0 { "warn" } else { "good" },
            lang,
        ));
        cards.push(card("migrate", "report.card.migrate", c.migrate_first, "warn", lang));
        let tone = if c.investigate > 0 { "bad" } else { "good" };
        cards.push(card("investigate", "report.card.investigate", c.investigate, tone, lang));
    }
    let (first_seen, last_seen) = u.period();
    let mut usage_rows = per_user.to_vec();
    usage_rows.sort_by(|a, b| b.succeeded.cmp(&a.succeeded).then(b.total.cmp(&a.total)));
    ReportData {
        culture: lang.culture(),
        generated: input.generated,
        first_seen,
        last_seen,
        cards,
        timeline: timeline(u),
        top_users: top(per_user_totals(u).as_slice(), |r| r.user_principal_name.clone()),
        top_apps: top(u.rows(GroupBy::App), |r| r.key.clone()),
        top_ips: top(u.rows(GroupBy::IP), |r| r.key.clone()),
        top_countries: top(u.rows(GroupBy::Country), |r| r.key.clone()),
        attack_split: attack_split(if u.has(GroupBy::UserProtocol) { u.user_protocol() } else { base }),
        guardrails: input.guardrails,
        readiness: input.readiness,
        exposure: input.exposure,
        usage: usage_rows,
        stats: u.stats.clone(),
    }
}

/// Rows per user (the User grouping, or user × protocol rows added up per user).
fn per_user_totals(u: &Usage) -> Vec<SummaryRow> {
    if u.has(GroupBy::User) {
        return u.rows(GroupBy::User).to_vec();
    }
    let mut by: BTreeMap<String, SummaryRow> = BTreeMap::new();
    for r in u.user_protocol() {
        by.entry(r.user_principal_name.to_lowercase())
            .and_modify(|e| {
                e.total += r.total;
                e.succeeded += r.succeeded;
                e.failed += r.failed;
            })
            .or_insert_with(|| r.clone());
    }
    by.into_values().collect()
}

/// CSV of the plan joined with usage: one row per mailbox × protocol needing attention, then
/// legacy usage by accounts with no mailbox in the export. UTF-8 with BOM, CRLF.
pub fn csv(data: &ReportData, lang: Lang) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let _ = w.write_record([
            "identity",
            "protocol",
            "enabled",
            "recommendation",
            "severity",
            "total",
            "succeeded",
            "failed",
            "lastSeen",
            "client",
            "reason",
            "migrateTo",
            "commands",
        ]);
        let n = |v: u64| v.to_string();
        let mut planned: BTreeSet<(String, String)> = BTreeSet::new();
        if let Some(e) = &data.exposure {
            for m in &e.mailboxes {
                let commands = m.commands.iter().map(|c| c.command.as_str()).collect::<Vec<_>>().join("\n");
                for p in m.protocols.iter().filter(|p| p.recommendation != Recommendation::NoAction) {
                    planned.insert((m.identity.to_lowercase(), p.protocol.clone()));
                    let u = p.usage.as_ref();
                    let _ = w.write_record([
                        m.identity.as_str(),
                        &p.protocol,
                        p.enabled.map_or("", |b| if b { "True" } else { "False" }),
                        &p.recommendation.label(lang),
                        p.severity.as_str(),
                        &n(u.map_or(0, |u| u.total)),
                        &n(u.map_or(0, |u| u.succeeded)),
                        &n(u.map_or(0, |u| u.failed)),
                        &u.and_then(|u| u.last_seen).map(|t| t.to_string()).unwrap_or_default(),
                        &p.client.as_ref().map(|c| format!("{:?}", c.kind)).unwrap_or_default(),
                        &p.reason,
                        &p.migrate_to,
                        &commands,
                    ]);
                }
            }
        }
        for r in &data.usage {
            if planned.contains(&(r.user_principal_name.to_lowercase(), r.protocol.clone())) {
                continue;
            }
            let _ = w.write_record([
                r.user_principal_name.as_str(),
                &r.protocol,
                "",
                "",
                "",
                &n(r.total),
                &n(r.succeeded),
                &n(r.failed),
                &r.last_seen.map(|t| t.to_string()).unwrap_or_default(),
                "",
                text(&format!("assessment.{:?}", r.assessment), lang),
                "",
                "",
            ]);
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests;
