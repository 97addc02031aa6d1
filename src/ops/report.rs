//! Operations `exposure`, `guardrails` and `report`. Every Exchange / Entra input may be given
//! as a file path (Export-Csv or ConvertTo-Json output, detected from content) or inline as
//! objects (what the PowerShell module passes from the pipeline); usage as paths (summary JSON
//! or raw sign-ins) or inline summary rows.

use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{Value, json};

use super::params;
use crate::analysis::{Filter, SprayThresholds, SummaryRow};
use crate::error::Error;
use crate::exposure::objects::{Object, read_objects};
use crate::exposure::usage::{Usage, load_usage};
use crate::exposure::{ExposureInput, ExposureReport, remediation};
use crate::findings::{Finding, Severity};
use crate::guardrails::{GuardrailsInput, GuardrailsReport};
use crate::messages::Lang;
use crate::report::{self, ReportInput};
use crate::time::Timestamp;

/// Inputs shared by the three operations.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TenantParams {
    pub usage: Vec<PathBuf>,
    /// Summary rows passed inline (an empty array means "no legacy sign-ins", not "unknown").
    pub usage_rows: Option<Vec<SummaryRow>>,
    #[serde(flatten)]
    pub filter: Filter,
    pub mailboxes: Option<Value>,
    pub auth_policies: Option<Value>,
    pub users: Option<Value>,
    pub transport_config: Option<Value>,
    pub org_config: Option<Value>,
    pub policies: Option<Value>,
    pub security_defaults: Option<Value>,
    /// Readiness findings: paths of findings JSON files, or findings inline.
    pub findings: Option<Value>,
    pub unused_days: Option<u32>,
    /// Write the remediation script here (exposure).
    pub script: Option<PathBuf>,
    /// Report outputs.
    pub out: Option<PathBuf>,
    pub csv: Option<PathBuf>,
    pub json: Option<PathBuf>,
    /// Use the embedded demo tenant for everything not given.
    pub demo: bool,
}

/// Default for "unused": 30 days, what Entra ID P1/P2 keeps of sign-ins (DOMAIN.md §1.3).
pub const DEFAULT_UNUSED_DAYS: u32 = 30;

/// Objects from a path (string) or inline (array or object).
pub fn objects_param(name: &str, v: &Option<Value>) -> crate::Result<Vec<Object>> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(p)) => read_objects(std::path::Path::new(p)),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(o) => Ok(Object::from_pairs(name, i as u64 + 1, o.clone())),
                _ => Err(Error::InvalidRequest(format!("{name}: element {} is not an object", i + 1))),
            })
            .collect(),
        Some(Value::Object(o)) => Ok(vec![Object::from_pairs(name, 1, o.clone())]),
        Some(_) => Err(Error::InvalidRequest(format!("{name}: expected a path or objects"))),
    }
}

fn single(name: &str, v: &Option<Value>) -> crate::Result<Option<Object>> {
    Ok(objects_param(name, v)?.into_iter().next())
}

fn load(p: &TenantParams, demo: Option<&report::demo::DemoTenant>) -> crate::Result<Usage> {
    let mut usage = if !p.usage.is_empty() {
        load_usage(&p.usage, &p.filter, &SprayThresholds::default())?
    } else if let Some(d) = demo {
        d.usage.clone()
    } else {
        Usage::default()
    };
    usage.add_rows(p.usage_rows.clone().unwrap_or_default());
    Ok(usage)
}

/// Input `name` from the params, else from the demo tenant's file `demo_file`.
fn input(
    p: &Option<Value>,
    name: &str,
    demo: Option<&report::demo::DemoTenant>,
    demo_file: &str,
) -> crate::Result<Vec<Object>> {
    match (p, demo) {
        (None, Some(d)) => Ok(d.objects(demo_file)),
        _ => objects_param(name, p),
    }
}

fn exposure_input(p: &TenantParams, demo: Option<&report::demo::DemoTenant>) -> crate::Result<ExposureInput> {
    let sd = input(&p.security_defaults, "securityDefaults", demo, "security-defaults.json")?;
    Ok(ExposureInput {
        security_defaults: sd.first().and_then(|o| o.flag("isEnabled").ok()).and_then(|f| f.value()).unwrap_or(false),
        mailboxes: input(&p.mailboxes, "mailboxes", demo, "cas-mailboxes.json")?,
        auth_policies: input(&p.auth_policies, "authPolicies", demo, "auth-policies.json")?,
        users: input(&p.users, "users", demo, "users.json")?,
        transport: input(&p.transport_config, "transportConfig", demo, "transport-config.json")?.into_iter().next(),
        org: input(&p.org_config, "orgConfig", demo, "org-config.json")?.into_iter().next(),
        unused_days: p.unused_days.unwrap_or(DEFAULT_UNUSED_DAYS),
    })
}

fn guardrails_input(p: &TenantParams, demo: Option<&report::demo::DemoTenant>) -> crate::Result<GuardrailsInput> {
    Ok(GuardrailsInput {
        policies: input(&p.policies, "policies", demo, "ca-policies.json")?,
        security_defaults: input(&p.security_defaults, "securityDefaults", demo, "security-defaults.json")?
            .into_iter()
            .next(),
        org: match (&p.org_config, demo) {
            (None, Some(d)) => d.objects("org-config.json").into_iter().next(),
            _ => single("orgConfig", &p.org_config)?,
        },
        transport: match (&p.transport_config, demo) {
            (None, Some(d)) => d.objects("transport-config.json").into_iter().next(),
            _ => single("transportConfig", &p.transport_config)?,
        },
    })
}

/// Now, as the report's "generated" time.
pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Timestamp::from_unix_seconds(secs as i64)
}

/// What reading the usage skipped (each problem names file, line, record).
pub type ReadOutcome = (crate::signin::ReadStats, crate::analysis::run::ProblemLog);

fn read_outcome(u: &Usage) -> ReadOutcome {
    (u.stats.clone(), u.problems.clone())
}

/// Evaluate exposure (and write the script when asked).
pub fn run_exposure(p: &TenantParams, lang: Lang) -> crate::Result<(ExposureReport, String, ReadOutcome)> {
    let demo = if p.demo { Some(report::demo::DemoTenant::generate()?) } else { None };
    let ex = exposure_input(p, demo.as_ref())?;
    if ex.mailboxes.is_empty() {
        return Err(Error::InvalidRequest("exposure: 'mailboxes' must name a file of CAS mailbox objects".into()));
    }
    if p.usage.is_empty() && p.usage_rows.is_none() && demo.is_none() {
        return Err(Error::InvalidRequest(
            "exposure: give usage (sign-in files, summary JSON or summary rows): without it every enabled protocol would look unused".into(),
        ));
    }
    let usage = load(p, demo.as_ref())?;
    let r = crate::exposure::evaluate(&ex, &usage, lang);
    let script = remediation::script(&r.all_commands(), now(), lang);
    if let Some(path) = &p.script {
        std::fs::write(path, script.as_bytes()).map_err(|e| Error::io(path, e))?;
    }
    Ok((r, script, read_outcome(&usage)))
}

pub fn exposure(v: &Value, lang: Lang) -> crate::Result<Value> {
    let p: TenantParams = params("exposure", v)?;
    let (r, script, (stats, problems)) = run_exposure(&p, lang)?;
    let findings = r.findings(lang);
    Ok(json!({ "report": r, "findings": findings, "script": script, "stats": stats, "problems": problems }))
}

pub fn run_guardrails(p: &TenantParams, lang: Lang) -> crate::Result<(GuardrailsReport, ReadOutcome)> {
    let demo = if p.demo { Some(report::demo::DemoTenant::generate()?) } else { None };
    let g = guardrails_input(p, demo.as_ref())?;
    if g.policies.is_empty() && g.security_defaults.is_none() && demo.is_none() && p.policies.is_none() {
        return Err(Error::InvalidRequest(
            "guardrails: 'policies' must name a Conditional Access policies JSON file (or give 'securityDefaults')"
                .into(),
        ));
    }
    let usage = load(p, demo.as_ref())?;
    Ok((crate::guardrails::evaluate(&g, &usage, lang), read_outcome(&usage)))
}

pub fn guardrails(v: &Value, lang: Lang) -> crate::Result<Value> {
    let p: TenantParams = params("guardrails", v)?;
    let (g, (stats, problems)) = run_guardrails(&p, lang)?;
    let mut v = serde_json::to_value(g).map_err(|e| Error::Internal(e.to_string()))?;
    v["stats"] = json!(stats);
    v["problems"] = json!(problems);
    Ok(v)
}

/// Readiness findings from files (a JSON array of findings, or `{"findings":[…]}`) or inline.
pub fn load_findings(v: &Option<Value>) -> crate::Result<Vec<Finding>> {
    let items: Vec<Value> = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::String(s)) => file_findings(s)?,
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
            let mut all = Vec::new();
            for s in a.iter().filter_map(Value::as_str) {
                all.extend(file_findings(s)?);
            }
            all
        }
        Some(Value::Array(a)) => a.clone(),
        Some(other) => vec![other.clone()],
    };
    Ok(items.iter().map(lenient_finding).collect())
}

fn file_findings(path: &str) -> crate::Result<Vec<Value>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let (text, _, _) = encoding_rs::UTF_8.decode(&bytes);
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| Error::InvalidInput {
        target: path.to_owned(),
        message: format!("line {}: not valid JSON: {e}", e.line()),
    })?;
    Ok(match v {
        Value::Array(a) => a,
        Value::Object(mut o) => match o.remove("findings") {
            Some(Value::Array(a)) => a,
            _ => vec![Value::Object(o)],
        },
        _ => {
            return Err(Error::InvalidInput {
                target: path.to_owned(),
                message: "expected a JSON array of findings".into(),
            });
        }
    })
}

/// A finding written by another tool: any field may be missing or of another JSON type.
fn lenient_finding(v: &Value) -> Finding {
    let s = |k: &str| match v.get(k) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(a)) => {
            a.iter().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned)).collect::<Vec<_>>().join("\n")
        }
        Some(other) => other.to_string(),
    };
    Finding {
        id: s("id"),
        severity: Severity::parse(&s("severity")).unwrap_or(Severity::Info),
        target: s("target"),
        setting: s("setting"),
        current: Some(s("current")).filter(|t| !t.is_empty()),
        expected: Some(s("expected")).filter(|t| !t.is_empty()),
        message: s("message"),
        why: s("why"),
        fix: s("fix"),
        source: s("source"),
        verified: v.get("verified").and_then(Value::as_bool).unwrap_or(true),
        context: match v.get("context") {
            Some(Value::Object(o)) => {
                o.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned))).collect()
            }
            _ => Default::default(),
        },
    }
}

/// Build the report data from the params (the demo fills what is not given).
pub fn build_report(p: &TenantParams, lang: Lang) -> crate::Result<(report::ReportData, ReadOutcome)> {
    let demo = if p.demo { Some(report::demo::DemoTenant::generate()?) } else { None };
    let usage = load(p, demo.as_ref())?;
    if usage.is_empty() && !p.demo {
        return Err(Error::InvalidRequest("report: give sign-in files or summary JSON to report on".into()));
    }
    let ex = exposure_input(p, demo.as_ref())?;
    let exposure = (!ex.mailboxes.is_empty()).then(|| crate::exposure::evaluate(&ex, &usage, lang));
    let g = guardrails_input(p, demo.as_ref())?;
    let guardrails = (!g.policies.is_empty() || g.security_defaults.is_some())
        .then(|| crate::guardrails::evaluate(&g, &usage, lang));
    let readiness = load_findings(&p.findings)?;
    let outcome = read_outcome(&usage);
    Ok((report::build(ReportInput { usage, exposure, guardrails, readiness, generated: now() }, lang), outcome))
}

pub fn report(v: &Value, lang: Lang) -> crate::Result<Value> {
    let p: TenantParams = params("report", v)?;
    let (data, (_, problems)) = build_report(&p, lang)?;
    let html = report::html::page(&data, lang);
    let write = |path: &PathBuf, bytes: &[u8]| std::fs::write(path, bytes).map_err(|e| Error::io(path, e));
    if let Some(out) = &p.out {
        write(out, html.as_bytes())?;
    }
    if let Some(csv) = &p.csv {
        write(csv, &report::csv(&data, lang))?;
    }
    if let Some(j) = &p.json {
        write(j, &serde_json::to_vec_pretty(&data).map_err(|e| Error::Internal(e.to_string()))?)?;
    }
    let mut result = json!({ "cards": data.cards, "bytes": html.len(), "culture": lang.culture(), "stats": data.stats, "problems": problems });
    if p.out.is_none() {
        result["html"] = Value::String(html);
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{call, parse_request};

    #[test]
    fn exposure_op_takes_inline_objects_and_rows() {
        let req = br#"{"op":"exposure","lang":"ja-JP","params":{
            "mailboxes":[{"PrimarySmtpAddress":"a@c.jp","PopEnabled":true,"ImapEnabled":false,"ActiveSyncEnabled":false,
                          "EwsEnabled":false,"MAPIEnabled":false,"SmtpClientAuthenticationDisabled":true}],
            "usageRows":[],"unusedDays":30}}"#;
        let v = call(&parse_request(req).unwrap()).unwrap();
        let m = &v["report"]["mailboxes"][0];
        assert_eq!(m["recommendation"], "Disable");
        assert_eq!(m["commands"][0]["command"], "Set-CASMailbox -Identity 'a@c.jp' -PopEnabled $false -WhatIf");
        assert!(v["script"].as_str().unwrap().contains("-PopEnabled $false -WhatIf"));
        // Parameters as objects PowerShell can splat: raw values beside the literals.
        assert_eq!(m["commands"][0]["parameters"][0], json!({"name":"Identity","value":"a@c.jp","literal":"'a@c.jp'"}));
        assert_eq!(m["commands"][0]["parameters"][1], json!({"name":"PopEnabled","value":false,"literal":"$false"}));
        let f = v["findings"].as_array().unwrap().iter().find(|f| f["id"] == "exposure.Disable").unwrap();
        assert_eq!(f["setting"], "PopEnabled");
        let err = call(&parse_request(br#"{"op":"exposure","params":{}}"#).unwrap()).unwrap_err();
        assert_eq!(err.code(), "invalid_request");
        let no_usage = br#"{"op":"exposure","params":{"mailboxes":[{"PrimarySmtpAddress":"a@c.jp"}]}}"#;
        assert!(call(&parse_request(no_usage).unwrap()).unwrap_err().to_string().contains("usage"));
        let err = call(&parse_request(br#"{"op":"exposure","params":{"mailboxes":"/nonexistent/cas.csv"}}"#).unwrap())
            .unwrap_err();
        assert_eq!(err.code(), "io");
    }

    #[test]
    fn findings_from_other_tools_are_read_leniently() {
        let f = load_findings(&Some(serde_json::json!([{"id":"x","severity":"high","current":1,"fix":["a","b"]}])))
            .unwrap();
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!((f[0].current.as_deref(), f[0].fix.as_str()), (Some("1"), "a\nb"));
        assert!(f[0].verified);
    }

    #[test]
    fn catalogue_op_carries_retirement_dates() {
        let v = call(&parse_request(br#"{"op":"catalogue"}"#).unwrap()).unwrap();
        let smtp = v.as_array().unwrap().iter().find(|r| r["protocol"] == "SMTP").unwrap();
        assert_eq!(smtp["retirement"][0]["date"], "2026-12-31");
    }
}
