//! Findings: the one shape every rule engine returns (Outlook registry checks, EXO PowerShell
//! readiness, and later protocol exposure and the legacy-auth block checks), so the CLI, the
//! PowerShell module and the HTML report render them all the same way.
//!
//! A finding says what is wrong (or, at `Info`, what was checked and is fine), where, why it
//! matters after the Basic-auth retirement (with dates from DOMAIN.md), and exactly how to fix it.
//! Texts (`message`, `why`) are already localized (en/ja from `crate::messages`) when a rule
//! builds the finding; `fix` is a command or `.reg` content and is not translated.
//!
//! JSON form (camelCase; `current`/`expected` are `null` when there is no value):
//! ```json
//! {"id":"outlook.2013.enable_adal","severity":"High","target":"PC042\\S-1-5-21-…-1001",
//!  "setting":"HKCU\\Software\\Microsoft\\Office\\15.0\\Common\\Identity\\EnableADAL",
//!  "current":null,"expected":"REG_DWORD 1","message":"…","why":"…","fix":"…",
//!  "source":"S25, S26","verified":true,"context":{"machine":"PC042","officeVersion":"15.0"}}
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How urgent a finding is. Ordered: `Critical` sorts first (`Critical < High < … < Info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Broken or dangerous now (e.g. a look-alike module that may steal credentials).
    Critical,
    /// Will break, or already does, because of the Basic-auth retirement.
    High,
    /// Works today but weakens modern auth or will need action soon.
    Medium,
    /// Hygiene; worth fixing when convenient.
    Low,
    /// Checked and fine, or context the admin should know.
    Info,
}

impl Severity {
    pub const ALL: [Severity; 5] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "Critical",
            Severity::High => "High",
            Severity::Medium => "Medium",
            Severity::Low => "Low",
            Severity::Info => "Info",
        }
    }

    /// Case-insensitive parse of the names above.
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding. See the module doc for the JSON form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable rule id (`area.rule`, e.g. `outlook.2013.enable_adal`, `exo.module.lookalike`);
    /// never reused for another meaning, so scripts and suppress lists can rely on it.
    pub id: String,
    pub severity: Severity,
    /// What the finding is about: `machine\profile` for registry findings, `PowerShell` for the
    /// admin's own shell, a mailbox or tenant for exposure findings.
    pub target: String,
    /// The setting checked (a full registry path + value name, a module, a parameter).
    pub setting: String,
    /// The value found; `None` when absent / not set.
    pub current: Option<String>,
    /// The value wanted; `None` when the fix is to remove the thing.
    pub expected: Option<String>,
    /// What is wrong, localized.
    pub message: String,
    /// Why it matters after the Basic-auth retirement, with dates; localized.
    pub why: String,
    /// The exact fix: a command, or `.reg` content. Empty for `Info` findings with nothing to do.
    pub fix: String,
    /// DOMAIN.md source keys behind the rule, comma-separated (e.g. `S25, S26`).
    pub source: String,
    /// False when the rule rests on a fact DOMAIN.md marks UNVERIFIED or partially verified;
    /// the message then says so too.
    pub verified: bool,
    /// Extra structured context (e.g. `machine`, `profile`, `officeVersion`, `file`,
    /// `ruleSetVersion`), for grouping and display. Omitted from JSON when empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, String>,
}

impl Finding {
    /// Add one context entry (builder style).
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.context.insert(key.to_owned(), value.into());
        self
    }
}

/// Sort findings for display: most severe first, then by target, id and setting (stable
/// output for diffs and tests).
pub fn sort(findings: &mut [Finding]) {
    findings
        .sort_by(|a, b| (a.severity, &a.target, &a.id, &a.setting).cmp(&(b.severity, &b.target, &b.id, &b.setting)));
}

/// Count of findings per severity, every severity present (zeros included), most severe first.
pub fn count_by_severity(findings: &[Finding]) -> Vec<(Severity, usize)> {
    Severity::ALL.into_iter().map(|s| (s, findings.iter().filter(|f| f.severity == s).count())).collect()
}

/// The most severe finding's severity, or `None` for no findings.
pub fn worst(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(id: &str, severity: Severity, target: &str) -> Finding {
        Finding {
            id: id.into(),
            severity,
            target: target.into(),
            setting: "s".into(),
            current: None,
            expected: Some("1".into()),
            message: "m".into(),
            why: "w".into(),
            fix: "x".into(),
            source: "S26".into(),
            verified: true,
            context: BTreeMap::new(),
        }
    }

    #[test]
    fn json_shape_is_camel_case_with_null_current_and_no_empty_context() {
        let v = serde_json::to_value(f("a.b", Severity::High, "PC1\\u1")).unwrap();
        assert_eq!(v["severity"], "High");
        assert!(v["current"].is_null());
        assert_eq!(v["expected"], "1");
        assert!(v.get("context").is_none());
        let with = serde_json::to_value(f("a.b", Severity::Low, "t").with("machine", "PC1")).unwrap();
        assert_eq!(with["context"]["machine"], "PC1");
        let back: Finding = serde_json::from_value(with).unwrap();
        assert_eq!(back.context["machine"], "PC1");
    }

    #[test]
    fn sorting_and_counts() {
        let mut v = vec![f("z", Severity::Info, "a"), f("y", Severity::Critical, "b"), f("x", Severity::High, "a")];
        sort(&mut v);
        assert_eq!(v.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["y", "x", "z"]);
        assert_eq!(worst(&v), Some(Severity::Critical));
        assert_eq!(worst(&[]), None);
        let c = count_by_severity(&v);
        assert_eq!(c[0], (Severity::Critical, 1));
        assert_eq!(c[3], (Severity::Low, 0));
        assert_eq!(Severity::parse(" medium "), Some(Severity::Medium));
        assert_eq!(Severity::parse("urgent"), None);
    }
}
