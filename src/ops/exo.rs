//! `exo.readiness`: Exchange Online PowerShell readiness findings from the facts PowerShell
//! gathers (schema in `crate::exo`).
//!
//! Params: `{"facts": {…}}` (the facts object) or `{"factsPath": "facts.json"}`, optional
//! `"minSeverity"`. Result: `{"findings":[Finding…], "counts":{"Critical":0,…},
//! "ruleSetVersion":"…", "module":{"name","guid","author","latest"}}`.

use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{Value, json};

use super::params;
use crate::error::Error;
use crate::exo::{Facts, RULES, evaluate};
use crate::findings::{self, Finding, Severity};
use crate::messages::Lang;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ReadinessParams {
    pub facts: Option<Value>,
    pub facts_path: Option<PathBuf>,
    pub min_severity: Option<String>,
}

/// Load the facts from the params and evaluate; shared by the op and the CLI.
pub fn readiness_findings(p: &ReadinessParams, lang: Lang) -> crate::Result<Vec<Finding>> {
    let facts: Facts = match (&p.facts, &p.facts_path) {
        (Some(v), None) => serde_json::from_value(v.clone())
            .map_err(|e| Error::InvalidRequest(format!("exo.readiness: 'facts' is not a facts object: {e}")))?,
        (None, Some(path)) => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            Facts::parse(&bytes, &path.display().to_string())?
        }
        _ => return Err(Error::InvalidRequest("exo.readiness: give exactly one of 'facts' or 'factsPath'".into())),
    };
    let mut found = evaluate(&facts, lang);
    if let Some(s) = &p.min_severity {
        let min = Severity::parse(s).ok_or_else(|| {
            Error::InvalidRequest(format!(
                "exo.readiness: minSeverity '{s}' is not Critical, High, Medium, Low or Info"
            ))
        })?;
        found.retain(|f| f.severity <= min);
    }
    Ok(found)
}

pub fn readiness(v: &Value, lang: Lang) -> crate::Result<Value> {
    let p: ReadinessParams = params("exo.readiness", v)?;
    let found = readiness_findings(&p, lang)?;
    let counts: serde_json::Map<String, Value> =
        findings::count_by_severity(&found).into_iter().map(|(s, n)| (s.to_string(), json!(n))).collect();
    Ok(json!({
        "findings": found,
        "counts": counts,
        "ruleSetVersion": RULES.version,
        "module": {"name": RULES.module, "guid": RULES.guid, "author": RULES.author, "latest": RULES.latest},
    }))
}
