//! Outlook modern-auth registry operations: `registry.check` (findings and one row per
//! machine/profile from .reg files, hives, folders, or the live registry on Windows) and
//! `registry.fix` (the values to set, as data for `Enable-OutlookModernAuth` and as `.reg`
//! text / files, plus the revert file).
//!
//! `registry.check` params: `{"paths":["fleet/"], "live":false, "allProfiles":false,
//! "minSeverity":"Info"}` → `{"findings":[Finding…], "rows":[FleetRow…], "problems":[…],
//! "stats":{…}, "ruleSetVersion":"…"}`.
//!
//! `registry.fix` params: `{"office":"15.0", "profile":null, "out":null, "revertFrom":null,
//! "revertOut":null}` → `{"office", "changes":[{"key","name","type","value","action"}],
//! "regText", "revertText"?, "written":[paths]}`. `key` is the PowerShell path
//! (`HKCU:\…` or `Registry::HKEY_USERS\<SID>\…`); `action` is `set` or `delete`.

use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{Value, json};

use super::params;
use crate::error::Error;
use crate::findings::{self, Finding, Severity};
use crate::messages::Lang;
use crate::registry::fleet::{self, FleetReport};
use crate::registry::model::{MemHive, MemView, RegValue};
use crate::registry::regfile::{self, Root, Section};
use crate::registry::rules::{self, RULESET_VERSION};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CheckParams {
    pub paths: Vec<PathBuf>,
    /// Read the live registry (Windows only).
    pub live: bool,
    /// With `live`: every loaded profile (needs elevation), not only the current user.
    pub all_profiles: bool,
    /// Drop findings less severe than this (default: keep all, including Info).
    pub min_severity: Option<String>,
}

/// Run a check; shared by the op and the CLI.
pub fn check_report(p: &CheckParams, lang: Lang) -> crate::Result<FleetReport> {
    if p.paths.is_empty() && !p.live {
        return Err(Error::InvalidRequest(
            "registry.check: give 'paths' (.reg files, hives or folders) or 'live': true".into(),
        ));
    }
    let min = match &p.min_severity {
        Some(s) => Some(Severity::parse(s).ok_or_else(|| {
            Error::InvalidRequest(format!(
                "registry.check: minSeverity '{s}' is not Critical, High, Medium, Low or Info"
            ))
        })?),
        None => None,
    };
    let mut report = if p.paths.is_empty() { FleetReport::default() } else { fleet::scan(&p.paths, lang) };
    if p.live {
        report.findings.extend(live_findings(p.all_profiles, lang)?);
    }
    if let Some(min) = min {
        report.findings.retain(|f| f.severity <= min);
    }
    Ok(report)
}

#[cfg(windows)]
fn live_findings(all: bool, lang: Lang) -> crate::Result<Vec<Finding>> {
    let profiles = crate::registry::live::profiles(all)
        .map_err(|m| Error::InvalidInput { target: "registry".into(), message: m })?;
    let mut out = Vec::new();
    for p in profiles {
        let mut f = rules::evaluate(&p.view, &p.origin, lang);
        findings::sort(&mut f);
        out.extend(f);
    }
    Ok(out)
}

#[cfg(not(windows))]
fn live_findings(all: bool, _lang: Lang) -> crate::Result<Vec<Finding>> {
    match crate::registry::live::profiles(all) {
        Ok(_) => Ok(Vec::new()),
        Err(m) => Err(Error::InvalidInput { target: "registry".into(), message: m }),
    }
}

pub fn check(v: &Value, lang: Lang) -> crate::Result<Value> {
    let p: CheckParams = params("registry.check", v)?;
    let r = check_report(&p, lang)?;
    let counts: serde_json::Map<String, Value> =
        findings::count_by_severity(&r.findings).into_iter().map(|(s, n)| (s.to_string(), json!(n))).collect();
    Ok(json!({
        "findings": r.findings,
        "rows": r.rows,
        "problems": r.problems,
        "stats": r.stats,
        "counts": counts,
        "ruleSetVersion": RULESET_VERSION,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FixParams {
    /// `15.0` or `16.0`.
    pub office: String,
    /// A SID: write the fix under `HKEY_USERS\<SID>` instead of `HKEY_CURRENT_USER`.
    pub profile: Option<String>,
    /// Write the fix .reg here.
    pub out: Option<PathBuf>,
    /// Read the current values from this .reg export or hive and make a revert file.
    pub revert_from: Option<PathBuf>,
    /// Where the revert file goes (default: `<out>` with `.revert.reg`).
    pub revert_out: Option<PathBuf>,
}

/// The fix and (optionally) revert sections; shared by the op and the CLI.
pub struct FixPlan {
    pub fix: Vec<Section>,
    pub revert: Option<Vec<Section>>,
}

pub fn fix_plan(p: &FixParams, lang: Lang) -> crate::Result<FixPlan> {
    let versions = rules::fixable_versions();
    if !versions.contains(&p.office.as_str()) {
        return Err(Error::InvalidRequest(format!(
            "registry.fix: office '{}' is not one of {} (Office 2010 and older cannot do modern authentication: upgrade)",
            p.office,
            versions.join(", ")
        )));
    }
    let (root, prefix) = match &p.profile {
        Some(sid) if !sid.trim().is_empty() => (Root::Users, format!("{}\\", sid.trim())),
        _ => (Root::CurrentUser, String::new()),
    };
    let fix = rules::fix_sections(&p.office, root, &prefix);
    let revert = match &p.revert_from {
        Some(path) => {
            let user = fleet::load_profile(path, p.profile.as_deref(), lang)
                .map_err(|pr| Error::InvalidInput { target: pr.file.clone(), message: pr.message.clone() })?;
            let machine = MemHive::default();
            Some(rules::revert_sections(&p.office, root, &prefix, &MemView { user: &user, machine: &machine }))
        }
        None => None,
    };
    Ok(FixPlan { fix, revert })
}

/// The default revert path next to the fix file: `fix.reg` → `fix.revert.reg`.
pub fn default_revert_path(out: &std::path::Path) -> PathBuf {
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "fix".into());
    out.with_file_name(format!("{stem}.revert.reg"))
}

fn write_file(path: &std::path::Path, sections: &[Section]) -> crate::Result<()> {
    std::fs::write(path, regfile::write(sections)).map_err(|e| Error::io(path, e))
}

/// The changes as data for PowerShell (`Set-ItemProperty` / `Remove-ItemProperty`).
fn changes(sections: &[Section]) -> Vec<Value> {
    sections
        .iter()
        .flat_map(|s| {
            let key = match s.key.root {
                Root::Users => format!("Registry::HKEY_USERS\\{}", s.key.path),
                _ => format!("HKCU:\\{}", s.key.path),
            };
            s.values.iter().map(move |(name, v)| match v {
                Some(RegValue::Dword(d)) => {
                    json!({"key": key, "name": name, "type": "DWord", "value": d, "action": "set"})
                }
                Some(other) => {
                    json!({"key": key, "name": name, "type": other.type_name(), "value": other.display(), "action": "set"})
                }
                None => json!({"key": key, "name": name, "type": null, "value": null, "action": "delete"}),
            })
        })
        .collect()
}

pub fn fix(v: &Value, lang: Lang) -> crate::Result<Value> {
    let p: FixParams = params("registry.fix", v)?;
    let plan = fix_plan(&p, lang)?;
    let mut written = Vec::new();
    if let Some(out) = &p.out {
        write_file(out, &plan.fix)?;
        written.push(out.display().to_string());
    }
    if let Some(rev) = &plan.revert {
        let path = p.revert_out.clone().or_else(|| p.out.as_deref().map(default_revert_path));
        if let Some(path) = path {
            write_file(&path, rev)?;
            written.push(path.display().to_string());
        }
    }
    Ok(json!({
        "office": p.office,
        "changes": changes(&plan.fix),
        "regText": regfile::render(&plan.fix),
        "revertChanges": plan.revert.as_deref().map(changes),
        "revertText": plan.revert.as_deref().map(regfile::render),
        "written": written,
        "ruleSetVersion": RULESET_VERSION,
    }))
}
