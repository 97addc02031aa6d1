//! The Outlook / Office modern-authentication rules, as versioned data with sources and dates
//! (DOMAIN.md §5, §5.1, §8), and their evaluation over any [`RegistrySource`] → [`Finding`]s.
//!
//! To update the rules, edit [`OFFICE_VERSIONS`] / [`VALUE_RULES`] and bump [`RULESET_VERSION`];
//! every source (live registry, .reg, hives, fleets) and the fix writer read these tables.
//!
//! Decisions where DOMAIN.md is silent (written down here so they are reviewable):
//! - Policy keys (`HKCU\Software\Policies\Microsoft\Office\<v>\Common\Identity`) win over the
//!   user keys when present. DOMAIN.md marks these policy equivalents UNVERIFIED, so a finding
//!   whose value came from the policy key has `verified: false` and says so.
//! - Which Office versions are present: a `Software\Microsoft\Office\<n>.0` key in HKCU or HKLM,
//!   a policy key of that version, or HKLM `ClickToRun\Configuration\ClientVersionToReport`.
//!   A key left behind by an uninstalled Office also counts (the registry cannot tell).
//! - Office 16.0: modern auth is the default, so only what turns it off is flagged.
//!   `AlwaysUseMSOAuthForAutoDiscover` is required (Medium) with Office 2013, as Microsoft's
//!   own enable .reg sets it, and only an explicit 0 is flagged (Low) for 16.0.

use super::model::{Hive, RegValue, RegistrySource};
use super::regfile::{KeyRef, Root, Section};
use crate::findings::{Finding, Severity};
use crate::messages::{Lang, format, text};

/// Version of the rule data; bump on any change to the tables below.
pub const RULESET_VERSION: &str = "2026.11.1";
/// The DOMAIN.md research snapshot the rules were written from.
pub const RULESET_FACTS_AS_OF: &str = "2026-09";

/// Can this Office version do modern authentication, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModernAuth {
    /// On by default (16.0): flag only what turns it off.
    Default,
    /// Off by default; needs the EnableADAL/Version keys (15.0).
    NeedsKeys,
    /// Not possible (14.0 and older).
    Impossible,
}

/// One Office registry version (`<n>.0`).
#[derive(Debug)]
pub struct OfficeVersion {
    pub key: &'static str,
    pub product: &'static str,
    pub modern: ModernAuth,
    /// Message key of the support-status sentence (DOMAIN §5.1 dates).
    pub support_key: &'static str,
    pub source: &'static str,
}

pub static OFFICE_VERSIONS: &[OfficeVersion] = &[
    OfficeVersion {
        key: "16.0",
        product: "Office 2016/2019/LTSC 2021/LTSC 2024/Microsoft 365 Apps",
        modern: ModernAuth::Default,
        support_key: "office.support.16",
        source: "S26, S34",
    },
    OfficeVersion {
        key: "15.0",
        product: "Office 2013",
        modern: ModernAuth::NeedsKeys,
        support_key: "office.support.15",
        source: "S25, S26, S34",
    },
    OfficeVersion {
        key: "14.0",
        product: "Office 2010",
        modern: ModernAuth::Impossible,
        support_key: "office.support.old",
        source: "S26, S27",
    },
    OfficeVersion {
        key: "12.0",
        product: "Office 2007",
        modern: ModernAuth::Impossible,
        support_key: "office.support.old",
        source: "S26, S27",
    },
    OfficeVersion {
        key: "11.0",
        product: "Office 2003",
        modern: ModernAuth::Impossible,
        support_key: "office.support.old",
        source: "S26, S27",
    },
];

pub fn office_version(key: &str) -> Option<&'static OfficeVersion> {
    OFFICE_VERSIONS.iter().find(|v| v.key == key)
}

/// What a value rule wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The value must be this REG_DWORD; absent is a finding.
    Require(u32),
    /// This REG_DWORD is a finding; absent or anything else is fine.
    Forbid(u32),
}

/// What the fix file does with the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAction {
    Set(u32),
    Delete,
}

/// One registry value rule.
#[derive(Debug)]
pub struct ValueRule {
    pub id: &'static str,
    /// The Office version (`15.0`, `16.0`) whose presence activates the rule.
    pub office: &'static str,
    /// HKCU key; `{v}` is replaced by the Office version.
    pub key: &'static str,
    /// Policy key that wins over `key` when it holds the value (UNVERIFIED, DOMAIN §5).
    pub policy_key: Option<&'static str>,
    pub name: &'static str,
    pub want: Want,
    pub severity: Severity,
    pub fix: FixAction,
    /// Message keys: what is wrong, and why it matters.
    pub message_key: &'static str,
    pub why_key: &'static str,
    pub source: &'static str,
    /// False when DOMAIN.md marks the path or value only partially verified / UNVERIFIED.
    pub verified: bool,
}

const IDENTITY: &str = "Software\\Microsoft\\Office\\{v}\\Common\\Identity";
const POLICY_IDENTITY: &str = "Software\\Policies\\Microsoft\\Office\\{v}\\Common\\Identity";
const EXCHANGE: &str = "Software\\Microsoft\\Exchange";

pub static VALUE_RULES: &[ValueRule] = &[
    ValueRule {
        id: "outlook.2013.enable_adal",
        office: "15.0",
        key: IDENTITY,
        policy_key: Some(POLICY_IDENTITY),
        name: "EnableADAL",
        want: Want::Require(1),
        severity: Severity::High,
        fix: FixAction::Set(1),
        message_key: "reg.2013.enable_adal",
        why_key: "reg.why.2013",
        source: "S25, S26",
        verified: true,
    },
    ValueRule {
        id: "outlook.2013.version",
        office: "15.0",
        key: IDENTITY,
        policy_key: Some(POLICY_IDENTITY),
        name: "Version",
        want: Want::Require(1),
        severity: Severity::High,
        fix: FixAction::Set(1),
        message_key: "reg.2013.version",
        why_key: "reg.why.2013",
        source: "S25, S26",
        verified: true,
    },
    ValueRule {
        id: "outlook.2013.autodiscover",
        office: "15.0",
        key: EXCHANGE,
        policy_key: None,
        name: "AlwaysUseMSOAuthForAutoDiscover",
        want: Want::Require(1),
        severity: Severity::Medium,
        fix: FixAction::Set(1),
        message_key: "reg.autodiscover",
        why_key: "reg.why.autodiscover",
        source: "S26",
        verified: false,
    },
    ValueRule {
        id: "outlook.16.enable_adal_off",
        office: "16.0",
        key: IDENTITY,
        policy_key: Some(POLICY_IDENTITY),
        name: "EnableADAL",
        want: Want::Forbid(0),
        severity: Severity::High,
        fix: FixAction::Set(1),
        message_key: "reg.16.enable_adal_off",
        why_key: "reg.why.16_basic",
        source: "S26",
        verified: true,
    },
    ValueRule {
        id: "outlook.16.wam_override",
        office: "16.0",
        key: IDENTITY,
        policy_key: Some(POLICY_IDENTITY),
        name: "DisableADALatopWAMOverride",
        want: Want::Forbid(1),
        severity: Severity::Medium,
        fix: FixAction::Delete,
        message_key: "reg.16.wam",
        why_key: "reg.why.wam",
        source: "S30, S31",
        verified: false,
    },
    ValueRule {
        id: "outlook.16.aad_wam",
        office: "16.0",
        key: IDENTITY,
        policy_key: Some(POLICY_IDENTITY),
        name: "DisableAADWAM",
        want: Want::Forbid(1),
        severity: Severity::Medium,
        fix: FixAction::Delete,
        message_key: "reg.16.wam",
        why_key: "reg.why.wam",
        source: "S30, S31",
        verified: false,
    },
    ValueRule {
        id: "outlook.16.autodiscover_off",
        office: "16.0",
        key: EXCHANGE,
        policy_key: None,
        name: "AlwaysUseMSOAuthForAutoDiscover",
        want: Want::Forbid(0),
        severity: Severity::Low,
        fix: FixAction::Set(1),
        message_key: "reg.autodiscover",
        why_key: "reg.why.autodiscover",
        source: "S26",
        verified: false,
    },
];

const OFFICE_ROOT: &str = "Software\\Microsoft\\Office";
const POLICY_OFFICE_ROOT: &str = "Software\\Policies\\Microsoft\\Office";
const C2R_CONFIG: &str = "SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration";

/// Where a view came from, for the findings' `target` and `context`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub machine: String,
    pub profile: String,
    /// The file read (empty for the live registry).
    pub file: String,
}

impl Origin {
    pub fn target(&self) -> String {
        if self.profile.is_empty() { self.machine.clone() } else { format!("{}\\{}", self.machine, self.profile) }
    }
}

/// Office versions found in the view, newest first, with the C2R version when reported.
pub fn detect_office(src: &dyn RegistrySource) -> (Vec<&'static OfficeVersion>, Option<String>) {
    let mut names = src.subkeys(Hive::CurrentUser, OFFICE_ROOT);
    names.extend(src.subkeys(Hive::LocalMachine, OFFICE_ROOT));
    names.extend(src.subkeys(Hive::CurrentUser, POLICY_OFFICE_ROOT));
    let c2r = match src.value(Hive::LocalMachine, C2R_CONFIG, "ClientVersionToReport") {
        Some(RegValue::Sz(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    };
    if let Some(v) = &c2r {
        // "16.0.17928.20156" → "16.0".
        names.push(v.split('.').take(2).collect::<Vec<_>>().join("."));
    }
    let found = OFFICE_VERSIONS.iter().filter(|v| names.iter().any(|n| n.eq_ignore_ascii_case(v.key))).collect();
    (found, c2r)
}

/// The registry path of a rule for one Office version and hive, `HKCU\…` form.
fn full(hive: Hive, key: &str) -> String {
    format!("{}\\{key}", hive.prefix())
}

/// The PowerShell path of a key in this profile (`HKCU:\…`, or `Registry::HKEY_USERS\<SID>\…`).
fn ps_path(origin: &Origin, key: &str) -> String {
    if origin.profile.starts_with("S-1-") || origin.profile == ".DEFAULT" {
        format!("Registry::HKEY_USERS\\{}\\{key}", origin.profile)
    } else {
        format!("HKCU:\\{key}")
    }
}

fn fix_command(origin: &Origin, key: &str, name: &str, action: FixAction) -> String {
    let p = ps_path(origin, key);
    match action {
        FixAction::Set(d) => format!(
            "New-Item -Path '{p}' -Force | Out-Null; New-ItemProperty -Path '{p}' -Name '{name}' -PropertyType DWord -Value {d} -Force | Out-Null"
        ),
        FixAction::Delete => format!("Remove-ItemProperty -Path '{p}' -Name '{name}'"),
    }
}

fn base_finding(origin: &Origin, id: &str, severity: Severity, setting: String) -> Finding {
    Finding {
        id: id.to_owned(),
        severity,
        target: origin.target(),
        setting,
        current: None,
        expected: None,
        message: String::new(),
        why: String::new(),
        fix: String::new(),
        source: String::new(),
        verified: true,
        context: Default::default(),
    }
    .with("machine", origin.machine.clone())
    .with("profile", origin.profile.clone())
    .with("ruleSetVersion", RULESET_VERSION)
    .with_file(&origin.file)
}

trait WithFile {
    fn with_file(self, file: &str) -> Self;
}

impl WithFile for Finding {
    fn with_file(self, file: &str) -> Self {
        if file.is_empty() { self } else { self.with("file", file) }
    }
}

/// Evaluate every rule on one machine/profile view.
pub fn evaluate(src: &dyn RegistrySource, origin: &Origin, lang: Lang) -> Vec<Finding> {
    let (versions, c2r) = detect_office(src);
    let mut out = Vec::new();
    if versions.is_empty() {
        let mut f = base_finding(origin, "office.none_found", Severity::Info, full(Hive::CurrentUser, OFFICE_ROOT));
        f.message = text("reg.office.none", lang).to_owned();
        f.source = "S26".into();
        out.push(f);
        return out;
    }
    for v in versions {
        out.extend(evaluate_version(src, origin, v, c2r.as_deref(), lang));
    }
    out
}

fn evaluate_version(
    src: &dyn RegistrySource,
    origin: &Origin,
    v: &'static OfficeVersion,
    c2r: Option<&str>,
    lang: Lang,
) -> Vec<Finding> {
    let product = v.product;
    let support = text(v.support_key, lang);
    let version_key = format!("{OFFICE_ROOT}\\{}", v.key);
    let mut out = Vec::new();
    let version_finding = |id: &str, sev: Severity, msg: &str| {
        let mut f = base_finding(origin, id, sev, full(Hive::CurrentUser, &version_key)).with("officeVersion", v.key);
        f.current = Some(match (v.key, c2r) {
            ("16.0", Some(c)) => format!("{product} (Click-to-Run {c})"),
            _ => product.to_owned(),
        });
        f.message = format(msg, lang, &[("product", &product), ("version", &v.key)]);
        f.why = support.to_owned();
        f.source = v.source.to_owned();
        f
    };
    match v.modern {
        ModernAuth::Impossible => {
            let mut f = version_finding("office.no_modern_auth", Severity::High, "reg.office.impossible");
            f.expected = Some("Microsoft 365 Apps / Office LTSC 2024".into());
            f.fix = text("reg.fix.upgrade", lang).to_owned();
            return vec![f];
        }
        ModernAuth::NeedsKeys => {
            let mut f = version_finding("office.2013.out_of_support", Severity::Medium, "reg.office.2013");
            f.expected = Some("Microsoft 365 Apps / Office LTSC 2024".into());
            f.fix = text("reg.fix.upgrade", lang).to_owned();
            out.push(f);
        }
        ModernAuth::Default => {}
    }
    let mut bad = 0;
    for rule in VALUE_RULES.iter().filter(|r| r.office == v.key) {
        if let Some(f) = evaluate_rule(src, origin, v, rule, lang) {
            bad += 1;
            out.push(f);
        }
    }
    if bad == 0 {
        let mut f =
            version_finding(&format!("outlook.{}.ok", v.key.trim_end_matches(".0")), Severity::Info, "reg.office.ok");
        if v.modern == ModernAuth::Default {
            f.why = support.to_owned();
        }
        out.push(f);
    }
    out
}

/// The effective value of a rule: the policy key's when present (it wins), else the user key's.
/// Returns (value, key it came from, from policy).
fn effective(src: &dyn RegistrySource, rule: &ValueRule, version: &str) -> (Option<RegValue>, String, bool) {
    let user_key = rule.key.replace("{v}", version);
    if let Some(pk) = rule.policy_key.map(|k| k.replace("{v}", version))
        && let Some(val) = src.value(Hive::CurrentUser, &pk, rule.name)
    {
        return (Some(val), pk, true);
    }
    (src.value(Hive::CurrentUser, &user_key, rule.name), user_key, false)
}

fn expected_text(rule: &ValueRule) -> String {
    match (rule.want, rule.fix) {
        (Want::Require(d), _) => format!("REG_DWORD {d}"),
        (Want::Forbid(_), FixAction::Set(d)) => format!("REG_DWORD {d}"),
        (Want::Forbid(d), FixAction::Delete) => format!("≠ REG_DWORD {d}"),
    }
}

fn evaluate_rule(
    src: &dyn RegistrySource,
    origin: &Origin,
    v: &OfficeVersion,
    rule: &ValueRule,
    lang: Lang,
) -> Option<Finding> {
    let (value, key, from_policy) = effective(src, rule, v.key);
    let wrong_type = value.as_ref().is_some_and(|x| !matches!(x, RegValue::Dword(_)));
    let is_bad = match (rule.want, &value) {
        (_, Some(_)) if wrong_type => true,
        (Want::Require(want), Some(RegValue::Dword(d))) => *d != want,
        (Want::Require(_), _) => true,
        (Want::Forbid(bad), Some(RegValue::Dword(d))) => *d == bad,
        (Want::Forbid(_), _) => false,
    };
    if !is_bad {
        return None;
    }
    // A wrong type under a "forbid" rule is only noise (Office reads DWORDs): Low.
    let severity = if wrong_type && matches!(rule.want, Want::Forbid(_)) { Severity::Low } else { rule.severity };
    let setting = format!("{}\\{}", full(Hive::CurrentUser, &key), rule.name);
    let mut f = base_finding(origin, rule.id, severity, setting).with("officeVersion", v.key);
    f.current = value.as_ref().map(RegValue::display);
    f.expected = Some(expected_text(rule));
    let mut msg = format(rule.message_key, lang, &[("name", &rule.name), ("product", &v.product)]);
    if wrong_type {
        let found = value.as_ref().map(RegValue::type_name).unwrap_or_default();
        msg.push(' ');
        msg.push_str(&format("reg.wrong_type", lang, &[("name", &rule.name), ("type", &found)]));
    }
    if from_policy {
        msg.push(' ');
        msg.push_str(text("reg.policy_unverified", lang));
    } else if !rule.verified {
        msg.push(' ');
        msg.push_str(text("reg.path_unverified", lang));
    }
    f.message = msg;
    f.why = text(rule.why_key, lang).to_owned();
    f.fix = if from_policy {
        format!("{} {}", text("reg.fix.policy", lang), fix_command(origin, &key, rule.name, rule.fix))
    } else {
        fix_command(origin, &key, rule.name, rule.fix)
    };
    f.source = rule.source.to_owned();
    f.verified = rule.verified && !from_policy;
    Some(f)
}

/// The fix for one Office version as .reg sections under `root` (HKCU by default): every value
/// rule's fix action, grouped by key in rule order.
pub fn fix_sections(office: &str, root: Root, profile_prefix: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for rule in VALUE_RULES.iter().filter(|r| r.office == office) {
        let path = format!("{profile_prefix}{}", rule.key.replace("{v}", office));
        let key = KeyRef::new(root, &path);
        let value = match rule.fix {
            FixAction::Set(d) => Some(RegValue::Dword(d)),
            FixAction::Delete => None,
        };
        match out.iter_mut().find(|s| s.key == key) {
            Some(s) => s.values.push((rule.name.to_owned(), value)),
            None => out.push(Section { key, delete: false, values: vec![(rule.name.to_owned(), value)] }),
        }
    }
    out
}

/// The Office versions `registry fix` can write a fix for.
pub fn fixable_versions() -> Vec<&'static str> {
    let mut v: Vec<&str> = VALUE_RULES.iter().map(|r| r.office).collect();
    v.dedup();
    v
}

/// The revert file for [`fix_sections`]: every value the fix touches is restored to what
/// `before` (the state read from the user's .reg export, hive or live registry) holds, and
/// deleted when it did not exist there. Keys the fix created are left in place (empty keys
/// change nothing).
pub fn revert_sections(office: &str, root: Root, profile_prefix: &str, before: &dyn RegistrySource) -> Vec<Section> {
    let mut out = fix_sections(office, root, profile_prefix);
    for sec in &mut out {
        let key = sec.key.path.strip_prefix(profile_prefix).unwrap_or(&sec.key.path).to_owned();
        for (name, value) in &mut sec.values {
            *value = before.value(Hive::CurrentUser, &key, name);
        }
    }
    out
}
