//! `exauth exposure | guardrails | report`: thin doors onto the `exposure`, `guardrails` and
//! `report` operations (src/ops/report.rs), with table / JSON / NDJSON / CSV output.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde_json::{Value, json};

use super::output::{Format, write_rows};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, finish_output};
use crate::exposure::Recommendation;
use crate::messages::{Lang, format, text};
use crate::ops::report::{TenantParams, build_report, run_exposure, run_guardrails};

/// Exchange Online inputs (files written by Export-Csv or ConvertTo-Json).
#[derive(Debug, Args, Clone, Default)]
pub struct ExchangeArgs {
    /// Get-EXOCASMailbox -PropertySets All -Properties SmtpClientAuthenticationDisabled (or Get-CASMailbox) output.
    #[arg(long, value_name = "FILE")]
    pub mailboxes: Option<PathBuf>,
    /// Get-AuthenticationPolicy output.
    #[arg(long, value_name = "FILE")]
    pub auth_policies: Option<PathBuf>,
    /// Get-User output (UserPrincipalName, AuthenticationPolicy) for policy assignments.
    #[arg(long, value_name = "FILE")]
    pub users: Option<PathBuf>,
    /// Get-TransportConfig output (SmtpClientAuthenticationDisabled).
    #[arg(long, value_name = "FILE")]
    pub transport_config: Option<PathBuf>,
    /// Get-OrganizationConfig output (OAuth2ClientProfileEnabled, DefaultAuthenticationPolicy, EwsEnabled).
    #[arg(long, value_name = "FILE")]
    pub org_config: Option<PathBuf>,
    /// Days without legacy sign-ins after which an enabled protocol is called unused.
    #[arg(long, value_name = "N", default_value_t = crate::ops::report::DEFAULT_UNUSED_DAYS)]
    pub unused_days: u32,
}

/// Entra ID inputs.
#[derive(Debug, Args, Clone, Default)]
pub struct EntraArgs {
    /// Conditional Access policies JSON (Graph identity/conditionalAccess/policies; {"value":[…]} or an array).
    #[arg(long, value_name = "FILE")]
    pub policies: Option<PathBuf>,
    /// Graph policies/identitySecurityDefaultsEnforcementPolicy JSON (isEnabled).
    #[arg(long, value_name = "FILE")]
    pub security_defaults: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExposureArgs {
    #[command(flatten)]
    pub exchange: ExchangeArgs,
    /// Usage: sign-in files or folders, or summary JSON (exauth summary --format json).
    #[arg(long, value_name = "PATH", num_args = 1.., required_unless_present = "demo")]
    pub usage: Vec<PathBuf>,
    /// Graph identitySecurityDefaultsEnforcementPolicy JSON: when enabled, Basic is blocked everywhere.
    #[arg(long, value_name = "FILE")]
    pub security_defaults: Option<PathBuf>,
    /// Write the reviewable remediation script (every command with -WhatIf).
    #[arg(long, value_name = "OUT.ps1")]
    pub script: Option<PathBuf>,
    /// Use the embedded demo tenant for every input not given.
    #[arg(long)]
    pub demo: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct GuardrailsArgs {
    #[command(flatten)]
    pub entra: EntraArgs,
    /// Get-OrganizationConfig output.
    #[arg(long, value_name = "FILE")]
    pub org_config: Option<PathBuf>,
    /// Get-TransportConfig output.
    #[arg(long, value_name = "FILE")]
    pub transport_config: Option<PathBuf>,
    /// Usage: sign-in files or folders, or summary JSON.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub usage: Vec<PathBuf>,
    #[arg(long)]
    pub demo: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Sign-in files or folders, or summary JSON.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE.html")]
    pub out: PathBuf,
    /// Report language: ja-JP or en-US (default: --lang, then the environment).
    #[arg(long, value_name = "CULTURE")]
    pub culture: Option<String>,
    #[command(flatten)]
    pub exchange: ExchangeArgs,
    #[command(flatten)]
    pub entra: EntraArgs,
    /// Findings JSON files (client / EXO PowerShell readiness): arrays of {id, severity, target, …}.
    #[arg(long, value_name = "F.json", num_args = 1..)]
    pub findings: Vec<PathBuf>,
    /// Also write the data as CSV (UTF-8 with BOM).
    #[arg(long, value_name = "FILE.csv")]
    pub csv: Option<PathBuf>,
    /// Also write the data as JSON.
    #[arg(long, value_name = "FILE.json")]
    pub json: Option<PathBuf>,
    /// Build the report from the embedded demo tenant (plus any input given).
    #[arg(long)]
    pub demo: bool,
    /// With --demo: also write the generated demo inputs (sign-ins, CAS mailboxes, policies…) here.
    #[arg(long, value_name = "DIR", requires = "demo")]
    pub demo_inputs: Option<PathBuf>,
}

fn path_value(p: &Option<PathBuf>) -> Option<Value> {
    p.as_ref().map(|p| Value::String(p.display().to_string()))
}

fn exchange_params(p: &mut TenantParams, a: &ExchangeArgs) {
    p.mailboxes = path_value(&a.mailboxes);
    p.auth_policies = path_value(&a.auth_policies);
    p.users = path_value(&a.users);
    p.transport_config = path_value(&a.transport_config);
    p.org_config = path_value(&a.org_config);
    p.unused_days = Some(a.unused_days);
}

fn fail(e: &crate::Error) -> u8 {
    eprintln!("exauth: {e}");
    EXIT_FAILED
}

pub fn exposure(ctx: &Ctx, a: ExposureArgs) -> u8 {
    let mut p = TenantParams {
        usage: a.usage,
        script: a.script.clone(),
        demo: a.demo,
        security_defaults: path_value(&a.security_defaults),
        ..Default::default()
    };
    exchange_params(&mut p, &a.exchange);
    let (r, _, (stats, problems)) = match run_exposure(&p, ctx.lang) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let lang = ctx.lang;
    let rows: Vec<Value> = r
        .mailboxes
        .iter()
        .flat_map(|m| {
            m.protocols.iter().filter(|p| p.recommendation != Recommendation::NoAction).map(move |p| {
                let u = p.usage.as_ref();
                json!({
                    "identity": m.identity, "protocol": p.protocol, "setting": p.setting,
                    "enabled": p.enabled, "enabledSource": format!("{:?}", p.enabled_source),
                    "basicBlockedByPolicy": p.basic_blocked_by_policy,
                    "recommendation": p.recommendation.name(), "recommendationText": p.recommendation.label(lang),
                    "severity": p.severity.as_str(),
                    "succeeded": u.map_or(0, |u| u.succeeded), "failed": u.map_or(0, |u| u.failed),
                    "lastSeen": u.and_then(|u| u.last_seen),
                    "client": p.client.as_ref().map(|c| format!("{:?}", c.kind)).unwrap_or_default(),
                    "evidence": p.client.as_ref().map(|c| c.evidence.clone()).unwrap_or_default(),
                    "reason": p.reason, "migrateTo": p.migrate_to,
                    "commands": m.commands.iter().map(|c| c.command.clone()).collect::<Vec<_>>(),
                })
            })
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let written = match a.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &r).map_err(std::io::Error::other).and_then(|_| writeln!(out))
        }
        Format::Table => {
            let cols = [
                ("identity", text("report.col.mailbox", lang)),
                ("protocol", text("report.col.protocol", lang)),
                ("recommendationText", text("report.col.recommendation", lang)),
                ("severity", text("report.col.severity", lang)),
                ("succeeded", text("report.col.succeeded", lang)),
                ("client", text("report.col.client", lang)),
                ("reason", text("report.col.reason", lang)),
            ];
            write_rows(&mut out, Format::Table, &rows, &cols).and_then(|_| {
                let c = &r.counts;
                writeln!(
                    out,
                    "\n{}",
                    format(
                        "cli.exposure_summary",
                        lang,
                        &[
                            ("mailboxes", &c.mailboxes),
                            ("disable", &c.disable),
                            ("migrate", &c.migrate_first),
                            ("investigate", &c.investigate),
                            ("unknown", &c.unknown)
                        ]
                    )
                )?;
                for f in &r.tenant_findings {
                    writeln!(out, "[{}] {}", f.severity.as_str(), f.message)?;
                }
                Ok(())
            })
        }
        f => {
            let keys = [
                "identity",
                "protocol",
                "setting",
                "enabled",
                "enabledSource",
                "basicBlockedByPolicy",
                "recommendation",
                "severity",
                "succeeded",
                "failed",
                "lastSeen",
                "client",
                "evidence",
                "reason",
                "migrateTo",
                "commands",
            ];
            let cols: Vec<(&str, &str)> = keys.iter().map(|k| (*k, *k)).collect();
            write_rows(&mut out, f, &rows, &cols)
        }
    };
    if let Err(code) = finish_output(written) {
        return code;
    }
    if let Some(s) = &a.script {
        eprintln!("{}", format("cli.script_written", lang, &[("path", &s.display())]));
    }
    for w in &r.warnings {
        eprintln!("exauth: {w}");
    }
    super::signin::report_problems(ctx, &problems, &stats, false);
    if r.warnings.is_empty() && problems.total == 0 { EXIT_OK } else { EXIT_PROBLEMS }
}

pub fn guardrails(ctx: &Ctx, a: GuardrailsArgs) -> u8 {
    let p = TenantParams {
        usage: a.usage,
        policies: path_value(&a.entra.policies),
        security_defaults: path_value(&a.entra.security_defaults),
        org_config: path_value(&a.org_config),
        transport_config: path_value(&a.transport_config),
        demo: a.demo,
        ..Default::default()
    };
    let (g, (stats, problems)) = match run_guardrails(&p, ctx.lang) {
        Ok(g) => g,
        Err(e) => return fail(&e),
    };
    let lang = ctx.lang;
    let mut out = std::io::stdout().lock();
    let rows: Vec<Value> = g.findings.iter().map(|f| serde_json::to_value(f).unwrap_or(Value::Null)).collect();
    let written = match a.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &g).map_err(std::io::Error::other).and_then(|_| writeln!(out))
        }
        Format::Table => writeln!(out, "{}\n", g.verdict.label(lang)).and_then(|_| {
            let cols = [
                ("severity", text("report.col.severity", lang)),
                ("target", text("report.col.target", lang)),
                ("message", text("report.col.finding", lang)),
                ("verified", "verified"),
            ];
            write_rows(&mut out, Format::Table, &rows, &cols)
        }),
        f => {
            let keys = [
                "id", "severity", "target", "setting", "current", "expected", "message", "why", "fix", "source",
                "verified",
            ];
            let cols: Vec<(&str, &str)> = keys.iter().map(|k| (*k, *k)).collect();
            write_rows(&mut out, f, &rows, &cols)
        }
    };
    if let Err(c) = finish_output(written) {
        return c;
    }
    super::signin::report_problems(ctx, &problems, &stats, false);
    if problems.total == 0 { EXIT_OK } else { EXIT_PROBLEMS }
}

pub fn report(ctx: &Ctx, a: ReportArgs) -> u8 {
    let lang = a.culture.as_deref().map_or(ctx.lang, Lang::from_culture);
    let mut p = TenantParams {
        usage: a.paths,
        policies: path_value(&a.entra.policies),
        security_defaults: path_value(&a.entra.security_defaults),
        findings: (!a.findings.is_empty())
            .then(|| Value::Array(a.findings.iter().map(|f| Value::String(f.display().to_string())).collect())),
        demo: a.demo,
        ..Default::default()
    };
    exchange_params(&mut p, &a.exchange);
    if let Some(dir) = &a.demo_inputs
        && let Err(e) = write_demo_inputs(dir)
    {
        return fail(&e);
    }
    let (data, (stats, problems)) = match build_report(&p, lang) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    let html = crate::report::html::page(&data, lang);
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = vec![(a.out.clone(), html.into_bytes())];
    if let Some(c) = a.csv {
        outputs.push((c, crate::report::csv(&data, lang)));
    }
    if let Some(j) = a.json {
        outputs.push((j, serde_json::to_vec_pretty(&data).unwrap_or_default()));
    }
    for (path, bytes) in &outputs {
        if let Err(e) = std::fs::write(path, bytes) {
            return fail(&crate::Error::io(path, e));
        }
        println!("{}", format("cli.report_written", lang, &[("path", &path.display()), ("bytes", &bytes.len())]));
    }
    for c in &data.cards {
        println!("  {}: {}", c.label, crate::report::html::num(c.value));
    }
    super::signin::report_problems(ctx, &problems, &stats, false);
    if problems.total == 0 { EXIT_OK } else { EXIT_PROBLEMS }
}

fn write_demo_inputs(dir: &std::path::Path) -> crate::Result<()> {
    let d = crate::report::demo::DemoTenant::generate()?;
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
    let w = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).map_err(|e| crate::Error::io(p, e))
    };
    w("signins.ndjson", &d.signins)?;
    for (name, v) in &d.files {
        w(name, serde_json::to_string_pretty(v).unwrap_or_default().as_bytes())?;
    }
    Ok(())
}
