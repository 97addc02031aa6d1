//! Per-mailbox exposure and remediation: CAS mailbox settings, authentication policies and
//! their assignments, transport and organisation config, joined with observed legacy usage →
//! for every mailbox and Basic-capable protocol, whether it is open, whether it was used (by
//! whom or what, and when last), and what to do: disable, migrate first, or investigate, with
//! the exact commands (DOMAIN.md §1.2, §7).
//!
//! Semantics (DOMAIN.md §7.1–§7.2):
//! - effective SMTP AUTH = the mailbox's `SmtpClientAuthenticationDisabled` unless `$null`,
//!   else the organisation's `Get-TransportConfig` value. The property is in no
//!   `Get-EXOCasMailbox` property set: when the export lacks it, SMTP is "unknown", not
//!   "inherited", and a tenant finding says how to request it;
//! - an authentication policy (the user's, else the organisation default) blocks Basic per
//!   protocol even where the protocol is enabled (`AllowBasicAuth*` false or absent);
//! - other protocol switches default to `$true`; org `EwsEnabled = $false` turns EWS off for all.
//!
//! "Unused" is measured back from the end of the usage data (the last sign-in seen), so an
//! export analysed weeks later gives the same answer; when the data covers fewer days than
//! `unused_days`, a tenant finding says so.

pub mod device;
pub mod objects;
pub mod remediation;
pub mod usage;

use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::{Assessment, SummaryRow};
use crate::catalogue::Protocol;
use crate::findings::{Finding, Severity};
use crate::messages::{Lang, format, text};
use crate::time::Timestamp;
pub use device::{ClientKind, Recognition};
pub use objects::{Flag, Object};
use remediation::{Parameter, Phase, RemediationCommand, bool_param, expr_param, str_param, switch_param};
pub use usage::Usage;

/// The Basic-capable protocols with a per-mailbox switch, in display order.
pub const MAILBOX_PROTOCOLS: [Protocol; 6] = [
    Protocol::AuthenticatedSmtp,
    Protocol::Imap4,
    Protocol::Pop3,
    Protocol::ExchangeActiveSync,
    Protocol::ExchangeWebServices,
    Protocol::MapiOverHttp,
];

const DAY_MICROS: i64 = 86_400_000_000;
/// The policy the plan proposes as the organisation default (no switches: Basic blocked for all).
pub const BLOCK_POLICY: &str = "Block Basic Auth";
/// The policy the plan proposes for mailboxes that still need Basic SMTP AUTH until migrated.
pub const SMTP_EXCEPTION_POLICY: &str = "Allow Basic SMTP AUTH (temporary)";

/// What to do about one protocol of one mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Recommendation {
    Investigate,
    MigrateFirst,
    Disable,
    Unknown,
    BlockedByPolicy,
    NoAction,
}

impl Recommendation {
    pub const ALL: [Recommendation; 6] = [
        Recommendation::Investigate,
        Recommendation::MigrateFirst,
        Recommendation::Disable,
        Recommendation::Unknown,
        Recommendation::BlockedByPolicy,
        Recommendation::NoAction,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Recommendation::Investigate => "Investigate",
            Recommendation::MigrateFirst => "MigrateFirst",
            Recommendation::Disable => "Disable",
            Recommendation::Unknown => "Unknown",
            Recommendation::BlockedByPolicy => "BlockedByPolicy",
            Recommendation::NoAction => "NoAction",
        }
    }

    pub fn label(self, lang: Lang) -> String {
        text(&format!("rec.{}", self.name()), lang).to_owned()
    }
}

/// Where an effective setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SettingSource {
    Mailbox,
    Organization,
    Default,
    Unknown,
}

/// Observed legacy usage of one protocol by one mailbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageFacts {
    pub total: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub last_seen: Option<Timestamp>,
    pub last_success: Option<Timestamp>,
    pub distinct_ip_count: u64,
    pub user_agents: Vec<String>,
    pub countries: Vec<String>,
    pub assessment: Assessment,
    /// Seen within the last `unused_days` of the data.
    pub recent: bool,
}

/// One protocol of one mailbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolExposure {
    pub protocol: String,
    /// The setting that controls it (`PopEnabled`, `SmtpClientAuthenticationDisabled`, …).
    pub setting: &'static str,
    /// Effective: is the protocol open for this mailbox? `None`: cannot tell from the inputs.
    pub enabled: Option<bool>,
    pub enabled_source: SettingSource,
    /// The authentication policy that applies, and whether it blocks Basic for this protocol.
    pub basic_blocked_by_policy: Option<bool>,
    pub usage: Option<UsageFacts>,
    pub client: Option<Recognition>,
    pub recommendation: Recommendation,
    pub severity: Severity,
    pub reason: String,
    pub migrate_to: String,
    /// The protocol's retirement dates (DOMAIN.md §8), from the catalogue.
    pub deadlines: String,
    /// True when the tenant-wide SMTP change in the plan already covers this mailbox.
    pub covered_by_tenant: bool,
}

/// One mailbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailboxExposure {
    pub identity: String,
    pub display_name: String,
    pub user_principal_name: String,
    pub authentication_policy: Option<String>,
    pub protocols: Vec<ProtocolExposure>,
    /// The most urgent recommendation over its protocols.
    pub recommendation: Recommendation,
    pub severity: Severity,
    pub commands: Vec<RemediationCommand>,
}

/// Inputs of an exposure evaluation.
#[derive(Debug, Clone, Default)]
pub struct ExposureInput {
    pub mailboxes: Vec<Object>,
    pub auth_policies: Vec<Object>,
    pub users: Vec<Object>,
    pub transport: Option<Object>,
    pub org: Option<Object>,
    pub unused_days: u32,
    /// Security Defaults on: Basic authentication is blocked for every protocol (DOMAIN.md §7.1, S36).
    pub security_defaults: bool,
}

/// Counts per recommendation, for cards and summaries.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExposureCounts {
    pub mailboxes: u64,
    pub disable: u64,
    pub migrate_first: u64,
    pub investigate: u64,
    pub unknown: u64,
    pub open_protocols: u64,
}

/// The result.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExposureReport {
    pub as_of: Option<Timestamp>,
    pub unused_days: u32,
    /// Days between the first and last sign-in in the usage data.
    pub coverage_days: Option<i64>,
    pub mailboxes: Vec<MailboxExposure>,
    pub tenant_findings: Vec<Finding>,
    pub tenant_commands: Vec<RemediationCommand>,
    /// Accounts with legacy usage that match no mailbox in the export.
    pub unmatched_usage: Vec<String>,
    pub counts: ExposureCounts,
    /// Input values that could not be read (file, object, property).
    pub warnings: Vec<String>,
}

impl ExposureReport {
    /// Every command of the plan, tenant-wide first.
    pub fn all_commands(&self) -> Vec<RemediationCommand> {
        let mut v = self.tenant_commands.clone();
        v.extend(self.mailboxes.iter().flat_map(|m| m.commands.iter().cloned()));
        v.sort_by_key(|c| c.phase);
        v
    }

    /// One row per mailbox × protocol needing attention, as common findings.
    pub fn findings(&self, lang: Lang) -> Vec<Finding> {
        let mut out = self.tenant_findings.clone();
        for m in &self.mailboxes {
            for p in &m.protocols {
                if matches!(p.recommendation, Recommendation::NoAction | Recommendation::BlockedByPolicy) {
                    continue;
                }
                out.push(Finding {
                    id: format!("exposure.{}", p.recommendation.name()),
                    severity: p.severity,
                    target: m.identity.clone(),
                    setting: p.setting.to_owned(),
                    current: flag_text(p.enabled.map(|e| e ^ (p.setting == SMTP_SETTING))),
                    expected: Some(if p.setting == SMTP_SETTING { "True".into() } else { "False".into() }),
                    message: format!("{} {}: {}", p.protocol, p.recommendation.label(lang), p.reason),
                    why: if p.deadlines.is_empty() {
                        p.migrate_to.clone()
                    } else {
                        format!("{} ({})", p.migrate_to, p.deadlines)
                    },
                    fix: m.commands.iter().map(|c| c.command.as_str()).collect::<Vec<_>>().join("\n"),
                    source: "Get-CASMailbox; DOMAIN.md S21".into(),
                    verified: true,
                    context: [("protocol".to_owned(), p.protocol.clone())].into(),
                });
            }
        }
        out
    }
}

const SMTP_SETTING: &str = "SmtpClientAuthenticationDisabled";

fn flag_text(v: Option<bool>) -> Option<String> {
    v.map(|b| if b { "True".into() } else { "False".into() })
}

fn some_text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Lower-cased names a policy can be referred to by: Name, Identity, and the first CN of a DN.
fn policy_names(o: &Object) -> Vec<String> {
    let mut v: Vec<String> = ["Name", "Identity", "DistinguishedName"].iter().filter_map(|k| o.text(k)).collect();
    v.extend(v.clone().iter().filter_map(|n| first_cn(n)));
    v.into_iter().map(|s| s.to_lowercase()).collect()
}

fn first_cn(dn: &str) -> Option<String> {
    dn.strip_prefix("CN=").or_else(|| dn.strip_prefix("cn=")).map(|r| r.split(',').next().unwrap_or(r).to_owned())
}

struct Tenant<'a> {
    policies: HashMap<String, &'a Object>,
    default_policy: Option<String>,
    users: HashMap<String, &'a Object>,
    org_smtp_disabled: Flag,
    org_ews: Flag,
}

impl<'a> Tenant<'a> {
    fn new(input: &'a ExposureInput) -> Self {
        let mut policies = HashMap::new();
        for p in &input.auth_policies {
            for n in policy_names(p) {
                policies.insert(n, p);
            }
        }
        let mut users = HashMap::new();
        for u in &input.users {
            for k in
                ["Guid", "ExternalDirectoryObjectId", "Identity", "Name", "UserPrincipalName", "WindowsEmailAddress"]
            {
                if let Some(v) = u.text(k) {
                    users.insert(v.to_lowercase(), u);
                }
            }
        }
        let org = input.org.as_ref();
        Tenant {
            policies,
            default_policy: org.and_then(|o| o.text("DefaultAuthenticationPolicy")),
            users,
            org_smtp_disabled: input
                .transport
                .as_ref()
                .map_or(Flag::Absent, |t| t.flag(SMTP_SETTING).unwrap_or(Flag::Absent)),
            org_ews: org.map_or(Flag::Absent, |o| o.flag("EwsEnabled").unwrap_or(Flag::Absent)),
        }
    }

    /// A policy by name, identity or distinguished name (Get-User may show any of them).
    fn policy(&self, name: &str) -> Option<&'a Object> {
        let lower = name.to_lowercase();
        self.policies
            .get(&lower)
            .or_else(|| first_cn(name).and_then(|cn| self.policies.get(&cn.to_lowercase())))
            .copied()
    }

    fn user_of(&self, m: &Object) -> Option<&'a Object> {
        ["ExternalDirectoryObjectId", "Guid", "Identity", "UserPrincipalName", "PrimarySmtpAddress", "Name"]
            .iter()
            .filter_map(|k| m.text(k))
            .find_map(|v| self.users.get(&v.to_lowercase()).copied())
    }
}

/// Lower-cased addresses a mailbox is known by (to match sign-in UPNs).
fn mailbox_keys(m: &Object, user: Option<&Object>) -> Vec<String> {
    let mut keys: Vec<String> =
        ["UserPrincipalName", "PrimarySmtpAddress", "WindowsEmailAddress"].iter().filter_map(|k| m.text(k)).collect();
    if let Some(u) = user {
        keys.extend(["UserPrincipalName", "WindowsEmailAddress"].iter().filter_map(|k| u.text(k)));
    }
    for a in m.list("EmailAddresses") {
        if let Some(addr) = a.strip_prefix("smtp:").or_else(|| a.strip_prefix("SMTP:")) {
            keys.push(addr.to_owned());
        }
    }
    keys.iter().map(|k| k.trim().to_lowercase()).filter(|k| !k.is_empty()).collect()
}

/// Evaluate every mailbox.
pub fn evaluate(input: &ExposureInput, usage: &Usage, lang: Lang) -> ExposureReport {
    let tenant = Tenant::new(input);
    let (first, last) = usage.period();
    let as_of = last;
    let window_start = as_of.map(|t| Timestamp(t.0 - input.unused_days as i64 * DAY_MICROS));
    let mut by_user: HashMap<String, Vec<&SummaryRow>> = HashMap::new();
    for r in usage.user_protocol() {
        by_user.entry(r.user_principal_name.to_lowercase()).or_default().push(r);
    }
    let mut report = ExposureReport {
        as_of,
        unused_days: input.unused_days,
        coverage_days: first.zip(last).map(|(f, l)| (l.0 - f.0).div_euclid(DAY_MICROS) + 1),
        ..Default::default()
    };
    let smtp_org_open = tenant.org_smtp_disabled == Flag::Set(false);
    let mut matched: std::collections::HashSet<String> = Default::default();
    let mut smtp_exceptions: Vec<String> = Vec::new();
    for m in &input.mailboxes {
        let user = tenant.user_of(m);
        let keys = mailbox_keys(m, user);
        let rows: Vec<&SummaryRow> = keys.iter().filter_map(|k| by_user.get(k)).flatten().copied().collect();
        matched.extend(keys.iter().filter(|k| by_user.contains_key(*k)).cloned());
        let identity = m
            .first_text(&["PrimarySmtpAddress", "UserPrincipalName", "Identity", "Name"])
            .unwrap_or_else(|| format!("{} #{}", m.file, m.record));
        let upn = user.and_then(|u| u.text("UserPrincipalName")).or_else(|| m.text("UserPrincipalName"));
        let (policy_name, policy) = match user.and_then(|u| u.text("AuthenticationPolicy")) {
            Some(p) => (Some(p.clone()), tenant.policy(&p).map(Some)),
            None => match &tenant.default_policy {
                Some(p) => (Some(p.clone()), tenant.policy(p).map(Some)),
                None => (None, Some(None)),
            },
        };
        let mut protocols = Vec::new();
        for proto in MAILBOX_PROTOCOLS {
            let entry = proto.entry();
            let setting = entry.mailbox_switch.unwrap_or("");
            let (enabled, source) = effective(m, proto, setting, &tenant, &mut report.warnings);
            // Some(None): no policy applies; None: a named policy that was not in the input.
            let blocked = match policy {
                _ if input.security_defaults => Some(true),
                Some(Some(p)) => Some(
                    entry.auth_policy_switch.is_some_and(|sw| p.flag(sw).unwrap_or(Flag::Absent) != Flag::Set(true)),
                ),
                Some(None) => Some(false),
                None => None,
            };
            let row = rows.iter().find(|r| r.protocol == proto.name()).copied();
            let facts = row.map(|r| usage_facts(r, window_start));
            let client = row.filter(|r| r.succeeded > 0).map(device::recognise);
            let mut pe = ProtocolExposure {
                protocol: proto.name().to_owned(),
                setting: if setting.is_empty() { "-" } else { setting },
                enabled,
                enabled_source: source,
                basic_blocked_by_policy: blocked,
                usage: facts,
                client,
                recommendation: Recommendation::NoAction,
                severity: Severity::Info,
                reason: String::new(),
                migrate_to: String::new(),
                deadlines: crate::catalogue::retirement::timeline_text(proto, lang),
                covered_by_tenant: false,
            };
            let blocker = if input.security_defaults { Some("Security Defaults") } else { policy_name.as_deref() };
            decide(&mut pe, proto, blocker, input.unused_days, lang);
            if proto == Protocol::AuthenticatedSmtp && smtp_org_open && source == SettingSource::Organization {
                if pe.recommendation == Recommendation::Disable {
                    pe.covered_by_tenant = true;
                }
                if pe.recommendation == Recommendation::MigrateFirst {
                    smtp_exceptions.push(identity.clone());
                }
            }
            protocols.push(pe);
        }
        let recommendation = protocols.iter().map(|p| p.recommendation).min().unwrap_or(Recommendation::NoAction);
        let severity = protocols.iter().map(|p| p.severity).min().unwrap_or(Severity::Info);
        let commands = mailbox_commands(&identity, &protocols, lang);
        report.mailboxes.push(MailboxExposure {
            identity,
            display_name: m.text("DisplayName").or_else(|| m.text("Name")).unwrap_or_default(),
            user_principal_name: upn.unwrap_or_default(),
            authentication_policy: policy_name,
            protocols,
            recommendation,
            severity,
            commands,
        });
    }
    report.mailboxes.sort_by(|a, b| {
        a.severity.cmp(&b.severity).then(a.recommendation.cmp(&b.recommendation)).then(a.identity.cmp(&b.identity))
    });
    let mut unmatched: Vec<String> = by_user
        .iter()
        .filter(|(k, rows)| !matched.contains(*k) && rows.iter().any(|r| r.succeeded > 0))
        .map(|(_, rows)| rows[0].user_principal_name.clone())
        .collect();
    unmatched.sort();
    report.unmatched_usage = unmatched;
    tenant_plan(&mut report, input, &tenant, smtp_org_open, &smtp_exceptions, lang);
    report.counts = count(&report.mailboxes);
    report
}

fn effective(
    m: &Object,
    proto: Protocol,
    setting: &str,
    t: &Tenant,
    warnings: &mut Vec<String>,
) -> (Option<bool>, SettingSource) {
    let flag = m.flag(setting).unwrap_or_else(|e| {
        warnings.push(e);
        Flag::Absent
    });
    match proto {
        Protocol::AuthenticatedSmtp => match flag {
            Flag::Set(disabled) => (Some(!disabled), SettingSource::Mailbox),
            Flag::Null => match t.org_smtp_disabled {
                Flag::Set(disabled) => (Some(!disabled), SettingSource::Organization),
                _ => (None, SettingSource::Unknown),
            },
            Flag::Absent => (None, SettingSource::Unknown),
        },
        _ => {
            if proto == Protocol::ExchangeWebServices && t.org_ews == Flag::Set(false) {
                return (Some(false), SettingSource::Organization);
            }
            match flag {
                Flag::Set(b) => (Some(b), SettingSource::Mailbox),
                Flag::Null => (Some(true), SettingSource::Default),
                Flag::Absent => (None, SettingSource::Unknown),
            }
        }
    }
}

fn usage_facts(r: &SummaryRow, window_start: Option<Timestamp>) -> UsageFacts {
    UsageFacts {
        total: r.total,
        succeeded: r.succeeded,
        failed: r.failed,
        last_seen: r.last_seen,
        last_success: r.last_success,
        distinct_ip_count: r.distinct_ip_count,
        user_agents: r.user_agents.clone(),
        countries: r.countries.clone(),
        assessment: r.assessment,
        recent: match (r.last_seen, window_start) {
            (Some(l), Some(w)) => l >= w,
            _ => true,
        },
    }
}

fn date(t: Option<Timestamp>) -> String {
    t.map(|t| t.date_string()).unwrap_or_default()
}

fn decide(pe: &mut ProtocolExposure, proto: Protocol, policy: Option<&str>, days: u32, lang: Lang) {
    let name = proto.name();
    let recent = pe.usage.as_ref().filter(|u| u.recent);
    let kind = pe.client.as_ref().map_or(ClientKind::Unknown, |c| c.kind);
    pe.migrate_to = text(device::migration_key(proto, kind), lang).to_owned();
    let (rec, sev, reason) = match pe.enabled {
        None => {
            let key = if pe.enabled_source == SettingSource::Unknown && proto == Protocol::AuthenticatedSmtp {
                "reason.unknown_smtp"
            } else {
                "reason.unknown"
            };
            (Recommendation::Unknown, Severity::Low, format(key, lang, &[("setting", &pe.setting)]))
        }
        Some(false) => match recent.filter(|u| u.succeeded > 0) {
            Some(u) => (
                Recommendation::Investigate,
                Severity::Medium,
                format("reason.disabled_but_used", lang, &[("protocol", &name), ("succeeded", &u.succeeded)]),
            ),
            None => (Recommendation::NoAction, Severity::Info, format("reason.off", lang, &[("protocol", &name)])),
        },
        Some(true) if pe.basic_blocked_by_policy == Some(true) => match recent.filter(|u| u.succeeded > 0) {
            Some(u) => (
                Recommendation::Investigate,
                Severity::Medium,
                format(
                    "reason.blocked_but_used",
                    lang,
                    &[("protocol", &name), ("policy", &policy.unwrap_or("")), ("succeeded", &u.succeeded)],
                ),
            ),
            None => (
                Recommendation::BlockedByPolicy,
                Severity::Info,
                format("reason.blocked_by_policy", lang, &[("protocol", &name), ("policy", &policy.unwrap_or(""))]),
            ),
        },
        Some(true) => {
            let open_sev = if proto == Protocol::AuthenticatedSmtp { Severity::Medium } else { Severity::Low };
            match recent {
                None => match pe.usage.as_ref() {
                    Some(u) => (
                        Recommendation::Disable,
                        open_sev,
                        format(
                            "reason.disable_stale",
                            lang,
                            &[("protocol", &name), ("last", &date(u.last_seen)), ("days", &days)],
                        ),
                    ),
                    None => (
                        Recommendation::Disable,
                        open_sev,
                        format("reason.disable_unused", lang, &[("protocol", &name), ("days", &days)]),
                    ),
                },
                Some(u) => match u.assessment {
                    Assessment::Migrate => (
                        Recommendation::MigrateFirst,
                        Severity::High,
                        format(
                            "reason.migrate",
                            lang,
                            &[
                                ("protocol", &name),
                                ("succeeded", &u.succeeded),
                                ("last", &date(u.last_success)),
                                ("client", &text(&format!("kind.{kind:?}"), lang)),
                            ],
                        ),
                    ),
                    Assessment::CompromiseSuspected => (
                        Recommendation::Investigate,
                        Severity::Critical,
                        text("assessment.CompromiseSuspected", lang).to_owned(),
                    ),
                    a => (
                        Recommendation::Investigate,
                        Severity::Medium,
                        format(
                            "reason.failures",
                            lang,
                            &[
                                ("protocol", &name),
                                ("failed", &u.failed),
                                ("assessment", &text(&format!("assessment.{a:?}"), lang)),
                            ],
                        ),
                    ),
                },
            }
        }
    };
    pe.recommendation = rec;
    pe.severity = sev;
    pe.reason = reason;
}

/// The `Set-CASMailbox` parameter that turns a protocol off.
fn off_param(setting: &str) -> Parameter {
    bool_param(setting, setting == SMTP_SETTING)
}

fn mailbox_commands(identity: &str, protocols: &[ProtocolExposure], lang: Lang) -> Vec<RemediationCommand> {
    let mut out = Vec::new();
    let no_success = |p: &ProtocolExposure| p.usage.as_ref().is_none_or(|u| !u.recent || u.succeeded == 0);
    let now: Vec<&ProtocolExposure> = protocols
        .iter()
        .filter(|p| p.enabled == Some(true) && !p.covered_by_tenant && p.setting != "-")
        .filter(|p| match p.recommendation {
            Recommendation::Disable => true,
            // A success from a spray IP is the attacker's: shut the door now as well.
            Recommendation::Investigate => no_success(p) || p.severity == Severity::Critical,
            _ => false,
        })
        .collect();
    let later: Vec<&ProtocolExposure> =
        protocols.iter().filter(|p| p.recommendation == Recommendation::MigrateFirst && !p.covered_by_tenant).collect();
    for (phase, set, key) in [(Phase::Now, now, "cmd.disable"), (Phase::AfterMigration, later, "cmd.disable_after")] {
        if set.is_empty() {
            continue;
        }
        let mut params = vec![str_param("Identity", identity)];
        params.extend(set.iter().map(|p| off_param(p.setting)));
        let names = set.iter().map(|p| p.protocol.as_str()).collect::<Vec<_>>().join(", ");
        out.push(RemediationCommand::new(
            phase,
            identity,
            "Set-CASMailbox",
            params,
            format(key, lang, &[("protocols", &names)]),
        ));
    }
    if protocols.iter().any(|p| p.severity == Severity::Critical) {
        out.push(RemediationCommand::new(
            Phase::Now,
            identity,
            "Set-User",
            vec![str_param("Identity", identity), expr_param("STSRefreshTokensValidFrom", "([DateTime]::UtcNow)")],
            text("cmd.revoke", lang).to_owned(),
        ));
    }
    out
}

fn tenant_finding(
    id: &str,
    severity: Severity,
    setting: &str,
    current: &str,
    expected: &str,
    fix: &str,
    lang: Lang,
) -> Finding {
    Finding {
        id: format!("exposure.{id}"),
        severity,
        target: "Organization".into(),
        setting: setting.into(),
        current: some_text(current),
        expected: some_text(expected),
        message: text(&format!("tenant.{id}"), lang).to_owned(),
        why: text(&format!("tenant.{id}.why"), lang).to_owned(),
        fix: fix.into(),
        source: "Get-TransportConfig / Get-OrganizationConfig / Get-CASMailbox; DOMAIN.md S21, S22t, S24, S20a".into(),
        verified: true,
        context: Default::default(),
    }
}

fn tenant_plan(
    report: &mut ExposureReport,
    input: &ExposureInput,
    t: &Tenant,
    smtp_org_open: bool,
    smtp_exceptions: &[String],
    lang: Lang,
) {
    let org = "Organization";
    if let Some(o) = &input.org
        && o.flag("OAuth2ClientProfileEnabled").unwrap_or(Flag::Absent) == Flag::Set(false)
    {
        let c = RemediationCommand::new(
            Phase::Now,
            org,
            "Set-OrganizationConfig",
            vec![bool_param("OAuth2ClientProfileEnabled", true)],
            text("tenant.oauth_off", lang).to_owned(),
        );
        report.tenant_findings.push(tenant_finding(
            "oauth_off",
            Severity::Critical,
            "OAuth2ClientProfileEnabled",
            "False",
            "True",
            &c.command,
            lang,
        ));
        report.tenant_commands.push(c);
    }
    if smtp_org_open {
        // DOMAIN.md §7.1: org $true, the mailboxes still in use $false, everyone else $null.
        for id in smtp_exceptions {
            report.tenant_commands.push(RemediationCommand::new(
                Phase::Now,
                id,
                "Set-CASMailbox",
                vec![str_param("Identity", id), bool_param(SMTP_SETTING, false)],
                text("cmd.keep_smtp", lang).to_owned(),
            ));
        }
        let c = RemediationCommand::new(
            Phase::Now,
            org,
            "Set-TransportConfig",
            vec![bool_param(SMTP_SETTING, true)],
            text("cmd.smtp_org_off", lang).to_owned(),
        );
        report.tenant_findings.push(tenant_finding(
            "smtp_org_open",
            Severity::High,
            SMTP_SETTING,
            "False",
            "True",
            &c.command,
            lang,
        ));
        report.tenant_commands.push(c);
    } else if input.transport.is_none() {
        report.tenant_findings.push(tenant_finding(
            "transport_missing",
            Severity::Low,
            SMTP_SETTING,
            "",
            "",
            "Get-TransportConfig | Select-Object SmtpClientAuthenticationDisabled | ConvertTo-Json",
            lang,
        ));
    }
    if !input.mailboxes.is_empty() && input.mailboxes.iter().all(|m| !m.has(SMTP_SETTING)) {
        report.tenant_findings.push(tenant_finding(
            "smtp_not_exported",
            Severity::Medium,
            SMTP_SETTING,
            "",
            "",
            "Get-EXOCASMailbox -ResultSize Unlimited -PropertySets All -Properties SmtpClientAuthenticationDisabled | Export-Csv -NoTypeInformation -Encoding UTF8 cas.csv",
            lang,
        ));
    }
    if input.org.is_some() && t.default_policy.is_none() {
        let smtp_users: Vec<&MailboxExposure> = report
            .mailboxes
            .iter()
            .filter(|m| {
                m.authentication_policy.is_none()
                    && m.protocols.iter().any(|p| {
                        p.protocol == Protocol::AuthenticatedSmtp.name()
                            && p.recommendation == Recommendation::MigrateFirst
                    })
            })
            .collect();
        let mut cmds = vec![RemediationCommand::new(
            Phase::Now,
            org,
            "New-AuthenticationPolicy",
            vec![str_param("Name", BLOCK_POLICY)],
            text("cmd.block_policy", lang).to_owned(),
        )];
        if !smtp_users.is_empty() {
            cmds.push(RemediationCommand::new(
                Phase::Now,
                org,
                "New-AuthenticationPolicy",
                vec![str_param("Name", SMTP_EXCEPTION_POLICY), switch_param("AllowBasicAuthSmtp")],
                text("cmd.smtp_policy", lang).to_owned(),
            ));
            for m in &smtp_users {
                cmds.push(RemediationCommand::new(
                    Phase::Now,
                    &m.identity,
                    "Set-User",
                    vec![str_param("Identity", &m.identity), str_param("AuthenticationPolicy", SMTP_EXCEPTION_POLICY)],
                    text("cmd.assign_smtp_policy", lang).to_owned(),
                ));
            }
        }
        // Making the block the default waits while any mailbox still needs Basic for a protocol
        // the temporary SMTP exception does not cover.
        let others_in_use = report.mailboxes.iter().any(|m| {
            m.protocols.iter().any(|p| {
                p.recommendation == Recommendation::MigrateFirst && p.protocol != Protocol::AuthenticatedSmtp.name()
            })
        });
        cmds.push(RemediationCommand::new(
            if others_in_use { Phase::AfterMigration } else { Phase::Now },
            org,
            "Set-OrganizationConfig",
            vec![str_param("DefaultAuthenticationPolicy", BLOCK_POLICY)],
            text("cmd.default_policy", lang).to_owned(),
        ));
        let fix = cmds.iter().map(|c| c.command.as_str()).collect::<Vec<_>>().join("\n");
        report.tenant_findings.push(tenant_finding(
            "no_default_policy",
            Severity::Medium,
            "DefaultAuthenticationPolicy",
            "$null",
            BLOCK_POLICY,
            &fix,
            lang,
        ));
        report.tenant_commands.extend(cmds);
    }
    if let Some(days) = report.coverage_days
        && days < input.unused_days as i64
    {
        let mut f = tenant_finding(
            "coverage_short",
            Severity::Medium,
            "unusedDays",
            &days.to_string(),
            &input.unused_days.to_string(),
            "",
            lang,
        );
        f.message = format("tenant.coverage_short", lang, &[("days", &days), ("unused", &input.unused_days)]);
        report.tenant_findings.push(f);
    }
}

fn count(mailboxes: &[MailboxExposure]) -> ExposureCounts {
    let mut c = ExposureCounts { mailboxes: mailboxes.len() as u64, ..Default::default() };
    for m in mailboxes {
        match m.recommendation {
            Recommendation::Disable => c.disable += 1,
            Recommendation::MigrateFirst => c.migrate_first += 1,
            Recommendation::Investigate => c.investigate += 1,
            Recommendation::Unknown => c.unknown += 1,
            _ => {}
        }
        c.open_protocols += m.protocols.iter().filter(|p| p.enabled == Some(true)).count() as u64;
    }
    c
}

#[cfg(test)]
mod tests;
