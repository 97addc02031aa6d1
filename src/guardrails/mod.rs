//! The tenant's guard rails against legacy authentication: Conditional Access policies (Graph
//! `identity/conditionalAccess/policies`, live or exported), Security Defaults
//! (`policies/identitySecurityDefaultsEnforcementPolicy`) and Exchange organisation settings,
//! joined with observed usage — which Maester and ScubaGear do not do: excluded accounts that
//! still sign in with legacy clients, and legacy successes although a block should apply.
//!
//! A policy blocks legacy authentication when its grant controls contain `block` and its
//! `conditions.clientAppTypes` contain `exchangeActiveSync` and `other` (or `all`). Those two
//! value names come from third-party baseline JSON, **UNVERIFIED** against Microsoft's
//! `conditionalAccessClientApp` enum docs (DOMAIN.md §1.1): findings that depend on them say
//! `verified: false`.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;

use crate::analysis::SummaryRow;
use crate::catalogue::{CaClientAppType, Protocol};
use crate::exposure::objects::{Flag, Object};
use crate::exposure::usage::Usage;
use crate::findings::{Finding, Severity};
use crate::messages::{Lang, format, text};
use crate::time::Timestamp;

/// Policy state as Graph spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyState {
    Enabled,
    EnabledForReportingButNotEnforced,
    Disabled,
    Unknown,
}

impl PolicyState {
    fn parse(s: &str) -> PolicyState {
        match s.trim().to_ascii_lowercase().as_str() {
            "enabled" => PolicyState::Enabled,
            "enabledforreportingbutnotenforced" => PolicyState::EnabledForReportingButNotEnforced,
            "disabled" => PolicyState::Disabled,
            _ => PolicyState::Unknown,
        }
    }
}

/// One Conditional Access policy, read for what matters to legacy authentication.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaPolicy {
    pub id: String,
    pub display_name: String,
    pub state: PolicyState,
    pub blocks: bool,
    pub covers_exchange_active_sync: bool,
    pub covers_other: bool,
    pub all_users: bool,
    pub all_apps: bool,
    /// Conditions that narrow the policy (locations, platforms, devices, risk, …).
    pub narrowing: Vec<String>,
    pub include_users: Vec<String>,
    pub exclude_users: Vec<String>,
    pub exclude_groups: Vec<String>,
    pub exclude_roles: Vec<String>,
    pub modified: Option<Timestamp>,
}

impl CaPolicy {
    /// A policy that blocks at least one legacy client type.
    pub fn is_legacy_block(&self) -> bool {
        self.blocks && (self.covers_exchange_active_sync || self.covers_other)
    }

    /// Blocks both legacy client types for all users and apps with nothing narrowing it.
    pub fn is_complete(&self) -> bool {
        self.is_legacy_block()
            && self.covers_exchange_active_sync
            && self.covers_other
            && self.all_users
            && self.all_apps
            && self.narrowing.is_empty()
    }

    /// Does this policy's client-app condition cover a protocol?
    pub fn covers(&self, p: Protocol) -> bool {
        match p.entry().conditional_access_bucket {
            CaClientAppType::ExchangeActiveSync => self.covers_exchange_active_sync,
            CaClientAppType::Other => self.covers_other,
            _ => false,
        }
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

fn has(list: &[String], v: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(v))
}

/// Read one policy from a Graph object.
pub fn parse_policy(o: &Object) -> CaPolicy {
    let cond = o.get("conditions").cloned().unwrap_or(Value::Null);
    let users = cond.get("users");
    let apps = strings(cond.get("clientAppTypes"));
    let include_apps = strings(cond.get("applications").and_then(|a| a.get("includeApplications")));
    let include_users = strings(users.and_then(|u| u.get("includeUsers")));
    let grant = strings(o.get("grantControls").and_then(|g| g.get("builtInControls")));
    let all_types = has(&apps, "all");
    let mut narrowing = Vec::new();
    for (key, name) in [
        ("locations", "locations"),
        ("platforms", "platforms"),
        ("devices", "devices"),
        ("clientApplications", "clientApplications"),
    ] {
        if cond.get(key).is_some_and(|v| !v.is_null()) {
            narrowing.push(name.to_owned());
        }
    }
    for key in ["userRiskLevels", "signInRiskLevels", "servicePrincipalRiskLevels"] {
        if !strings(cond.get(key)).is_empty() {
            narrowing.push(key.to_owned());
        }
    }
    if !strings(users.and_then(|u| u.get("includeGroups"))).is_empty()
        || !strings(users.and_then(|u| u.get("includeRoles"))).is_empty()
    {
        narrowing.push("includeGroups/includeRoles".into());
    }
    CaPolicy {
        id: o.text("id").unwrap_or_default(),
        display_name: o.text("displayName").unwrap_or_default(),
        state: PolicyState::parse(&o.text("state").unwrap_or_default()),
        blocks: has(&grant, "block"),
        covers_exchange_active_sync: all_types || has(&apps, "exchangeActiveSync"),
        covers_other: all_types || has(&apps, "other"),
        all_users: has(&include_users, "All"),
        all_apps: has(&include_apps, "All"),
        narrowing,
        include_users,
        exclude_users: strings(users.and_then(|u| u.get("excludeUsers"))),
        exclude_groups: strings(users.and_then(|u| u.get("excludeGroups"))),
        exclude_roles: strings(users.and_then(|u| u.get("excludeRoles"))),
        modified: o.first_text(&["modifiedDateTime", "createdDateTime"]).and_then(|t| Timestamp::parse(&t)),
    }
}

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    Enforced,
    SecurityDefaults,
    ReportOnly,
    Partial,
    None,
}

impl Verdict {
    pub fn label(self, lang: Lang) -> String {
        text(&format!("gr.verdict.{self:?}"), lang).to_owned()
    }
}

/// Inputs.
#[derive(Debug, Clone, Default)]
pub struct GuardrailsInput {
    pub policies: Vec<Object>,
    pub security_defaults: Option<Object>,
    pub org: Option<Object>,
    pub transport: Option<Object>,
}

/// A legacy sign-in that a guard rail should have stopped, or an exclusion in use.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageHit {
    pub user_principal_name: String,
    pub protocol: String,
    pub policy: String,
    pub succeeded: u64,
    pub last_success: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardrailsReport {
    pub verdict: Verdict,
    pub security_defaults_enabled: Option<bool>,
    pub policies: Vec<CaPolicy>,
    pub excluded_still_using: Vec<UsageHit>,
    pub success_despite_block: Vec<UsageHit>,
    pub findings: Vec<Finding>,
}

fn finding(
    id: &str,
    severity: Severity,
    target: &str,
    message: String,
    fix: &str,
    verified: bool,
    lang: Lang,
) -> Finding {
    Finding {
        id: format!("guardrails.{id}"),
        severity,
        target: target.to_owned(),
        setting: "conditions.clientAppTypes".into(),
        current: None,
        expected: None,
        message,
        why: text(&format!("gr.{id}.why"), lang).to_owned(),
        fix: fix.to_owned(),
        source: "identity/conditionalAccess/policies; DOMAIN.md S2, S3, S44".into(),
        verified,
        context: Default::default(),
    }
}

/// Evaluate the guard rails and join them with usage.
pub fn evaluate(input: &GuardrailsInput, usage: &Usage, lang: Lang) -> GuardrailsReport {
    let policies: Vec<CaPolicy> = input.policies.iter().map(parse_policy).collect();
    let sd = input.security_defaults.as_ref().and_then(|o| o.flag("isEnabled").ok().and_then(Flag::value));
    let fix = text("gr.fix_policy", lang);
    let mut findings = Vec::new();
    let blocking: Vec<&CaPolicy> = policies.iter().filter(|p| p.is_legacy_block()).collect();
    let enforced: Vec<&CaPolicy> = blocking.iter().copied().filter(|p| p.state == PolicyState::Enabled).collect();
    let verdict = if enforced.iter().any(|p| p.is_complete()) {
        Verdict::Enforced
    } else if sd == Some(true) {
        Verdict::SecurityDefaults
    } else if !enforced.is_empty() {
        Verdict::Partial
    } else if blocking.iter().any(|p| p.state == PolicyState::EnabledForReportingButNotEnforced) {
        Verdict::ReportOnly
    } else {
        Verdict::None
    };
    if sd == Some(true) {
        findings.push(finding(
            "security_defaults",
            Severity::Info,
            "Security Defaults",
            text("gr.security_defaults", lang).to_owned(),
            "",
            true,
            lang,
        ));
    }
    if blocking.is_empty() && sd != Some(true) {
        findings.push(finding(
            "no_block",
            Severity::High,
            "Tenant",
            text("gr.no_block", lang).to_owned(),
            fix,
            false,
            lang,
        ));
    }
    for p in &blocking {
        let name = p.display_name.as_str();
        if p.state == PolicyState::EnabledForReportingButNotEnforced {
            let m = format("gr.report_only", lang, &[("policy", &name)]);
            findings.push(finding("report_only", Severity::Medium, name, m, fix, true, lang));
        }
        if p.state == PolicyState::Disabled {
            continue;
        }
        if !(p.covers_exchange_active_sync && p.covers_other) {
            let b = if p.covers_other { "Other clients" } else { "Exchange ActiveSync clients" };
            let m = format("gr.partial_buckets", lang, &[("policy", &name), ("buckets", &b)]);
            findings.push(finding("partial_buckets", Severity::Medium, name, m, fix, false, lang));
        }
        let mut scope = Vec::new();
        if !p.all_users {
            scope.push("includeUsers ≠ All".to_owned());
        }
        if !p.all_apps {
            scope.push("includeApplications ≠ All".to_owned());
        }
        scope.extend(p.narrowing.iter().cloned());
        if !scope.is_empty() {
            let m = format("gr.scoped", lang, &[("policy", &name), ("scope", &scope.join(", "))]);
            findings.push(finding("scoped", Severity::Medium, name, m, fix, true, lang));
        }
        let (u, g, r) = (p.exclude_users.len(), p.exclude_groups.len(), p.exclude_roles.len());
        if u + g + r > 0 {
            let m = format("gr.exclusions", lang, &[("policy", &name), ("users", &u), ("groups", &g), ("roles", &r)]);
            findings.push(finding("exclusions", Severity::Low, name, m, "", true, lang));
        }
    }
    let (excluded_still_using, success_despite_block) = join_usage(&blocking, usage);
    for h in &excluded_still_using {
        let m = hit_message("gr.excluded_user_legacy", h, lang);
        findings.push(finding("excluded_user_legacy", Severity::High, &h.user_principal_name, m, "", true, lang));
    }
    for h in &success_despite_block {
        let m = hit_message("gr.success_despite_block", h, lang);
        findings.push(finding("success_despite_block", Severity::High, &h.user_principal_name, m, "", false, lang));
    }
    findings.extend(org_findings(input, lang));
    findings.sort_by_key(|f| f.severity);
    GuardrailsReport {
        verdict,
        security_defaults_enabled: sd,
        policies,
        excluded_still_using,
        success_despite_block,
        findings,
    }
}

fn hit_message(key: &str, h: &UsageHit, lang: Lang) -> String {
    let last = h.last_success.map(|t| t.date_string()).unwrap_or_default();
    format(
        key,
        lang,
        &[
            ("user", &h.user_principal_name),
            ("policy", &h.policy),
            ("protocol", &h.protocol),
            ("succeeded", &h.succeeded),
            ("last", &last),
        ],
    )
}

/// Excluded users still signing in with legacy clients; legacy successes under an enforced block.
fn join_usage(blocking: &[&CaPolicy], usage: &Usage) -> (Vec<UsageHit>, Vec<UsageHit>) {
    let mut excluded = Vec::new();
    let mut despite = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for r in usage.user_protocol().iter().filter(|r| r.succeeded > 0) {
        let Some(proto) = Protocol::from_name(&r.protocol) else { continue };
        let upn = r.user_principal_name.to_lowercase();
        let id = usage.user_ids.get(&upn).map(|s| s.to_lowercase());
        for p in blocking.iter().filter(|p| p.state != PolicyState::Disabled && p.covers(proto)) {
            let is_excluded =
                p.exclude_users.iter().any(|e| e.to_lowercase() == upn || id.as_deref() == Some(&e.to_lowercase()));
            let hit = |r: &SummaryRow| UsageHit {
                user_principal_name: r.user_principal_name.clone(),
                protocol: r.protocol.clone(),
                policy: p.display_name.clone(),
                succeeded: r.succeeded,
                last_success: r.last_success,
            };
            if !seen.insert((upn.clone() + "|" + &r.protocol, p.id.clone() + &p.display_name)) {
                continue;
            }
            if is_excluded {
                excluded.push(hit(r));
            } else if p.state == PolicyState::Enabled
                && p.all_users
                && p.narrowing.is_empty()
                && r.last_success.zip(p.modified).is_none_or(|(l, m)| l > m)
            {
                despite.push(hit(r));
            }
        }
    }
    (excluded, despite)
}

fn org_findings(input: &GuardrailsInput, lang: Lang) -> Vec<Finding> {
    // The exposure evaluator owns the organisation rules; run it without mailboxes for them.
    let ex = crate::exposure::ExposureInput {
        transport: input.transport.clone(),
        org: input.org.clone(),
        unused_days: 30,
        ..Default::default()
    };
    if ex.org.is_none() && ex.transport.is_none() {
        return Vec::new();
    }
    let r = crate::exposure::evaluate(&ex, &Usage::default(), lang);
    r.tenant_findings.into_iter().filter(|f| f.id != "exposure.transport_missing" || input.org.is_none()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposure::objects::parse_objects;

    const POLICIES: &str = r#"{"value":[
      {"id":"p1","displayName":"Block legacy authentication","state":"enabled","modifiedDateTime":"2026-10-01T00:00:00Z",
       "conditions":{"clientAppTypes":["exchangeActiveSync","other"],"users":{"includeUsers":["All"],
         "excludeUsers":["11111111-1111-1111-1111-111111111111"],"excludeGroups":["g1"],"excludeRoles":[]},
         "applications":{"includeApplications":["All"]},"locations":null},
       "grantControls":{"operator":"OR","builtInControls":["block"]}},
      {"id":"p2","displayName":"Block EAS (pilot)","state":"enabledForReportingButNotEnforced",
       "conditions":{"clientAppTypes":["exchangeActiveSync"],"users":{"includeUsers":["All"]},
         "applications":{"includeApplications":["Office365"]}},
       "grantControls":{"builtInControls":["block"]}},
      {"id":"p3","displayName":"Require MFA","state":"enabled",
       "conditions":{"clientAppTypes":["all"],"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]}},
       "grantControls":{"builtInControls":["mfa"]}}
    ]}"#;

    fn row(upn: &str, protocol: &str, ok: u64) -> SummaryRow {
        let mut r = crate::exposure::usage::test_row(upn, protocol, ok, 0);
        r.first_seen = Timestamp::parse("2026-11-01T00:00:00Z");
        r.last_seen = Timestamp::parse("2026-11-10T00:00:00Z");
        r.last_success = r.last_seen;
        r
    }

    #[test]
    fn enforced_block_with_exclusion_in_use_and_success_despite_block() {
        let input = GuardrailsInput {
            policies: parse_objects("ca.json", POLICIES.as_bytes()).unwrap(),
            security_defaults: parse_objects("sd.json", br#"{"isEnabled":false}"#).unwrap().pop(),
            ..Default::default()
        };
        let mut usage = Usage::default();
        usage.add_rows(vec![row("svc-scan@c.jp", "SMTP", 40), row("yui@c.jp", "IMAP", 3)]);
        usage.user_ids.insert("svc-scan@c.jp".into(), "11111111-1111-1111-1111-111111111111".into());
        let r = evaluate(&input, &usage, Lang::En);
        assert_eq!(r.verdict, Verdict::Enforced);
        assert!(!r.policies[2].is_legacy_block(), "an MFA policy is not a block");
        assert_eq!(r.excluded_still_using.len(), 1);
        assert_eq!(r.excluded_still_using[0].user_principal_name, "svc-scan@c.jp");
        assert_eq!(r.success_despite_block.len(), 1);
        assert_eq!(r.success_despite_block[0].user_principal_name, "yui@c.jp");
        let ids: Vec<&str> = r.findings.iter().map(|f| f.id.as_str()).collect();
        for id in ["guardrails.report_only", "guardrails.partial_buckets", "guardrails.scoped", "guardrails.exclusions"]
        {
            assert!(ids.contains(&id), "{id} in {ids:?}");
        }
        assert_eq!(r.findings[0].severity, Severity::High);
    }

    #[test]
    fn nothing_blocks_and_security_defaults() {
        let none = evaluate(&GuardrailsInput::default(), &Usage::default(), Lang::Ja);
        assert_eq!(none.verdict, Verdict::None);
        assert_eq!(none.findings[0].id, "guardrails.no_block");
        assert!(!none.findings[0].verified, "depends on the UNVERIFIED clientAppTypes names");
        let sd = GuardrailsInput {
            security_defaults: parse_objects("sd.json", br#"{"isEnabled":true}"#).unwrap().pop(),
            ..Default::default()
        };
        assert_eq!(evaluate(&sd, &Usage::default(), Lang::En).verdict, Verdict::SecurityDefaults);
    }
}
