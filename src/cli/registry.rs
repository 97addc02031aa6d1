//! `exauth registry check | fleet | fix`: Outlook modern-auth registry findings and fix files.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::Value;

use super::output::{Format, write_rows};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, finish_output};
use crate::findings::{Finding, Severity};
use crate::messages;
use crate::ops::registry::{CheckParams, FixParams, check_report, default_revert_path, fix_plan};
use crate::registry::regfile;
use crate::signin::Problem;

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Check .reg files, offline hives (NTUSER.DAT, SOFTWARE) or folders of them: one finding per row.
    Check(CheckArgs),
    /// Scan a folder of many machines: one row per machine/profile with its worst finding.
    Fleet(CheckArgs),
    /// Write the fix for an Office version as a .reg file (UTF-16LE, as regedit writes), and a revert file.
    Fix(FixArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SeverityArg {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl SeverityArg {
    pub fn severity(self) -> Severity {
        match self {
            SeverityArg::Critical => Severity::Critical,
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// .reg files, hives or folders (searched recursively; the machine is named from the file or folder).
    #[arg(value_name = "PATH", required_unless_present = "live")]
    pub paths: Vec<PathBuf>,
    /// Read the live registry of this machine (Windows only).
    #[arg(long)]
    pub live: bool,
    /// With --live: every loaded profile under HKEY_USERS (run elevated).
    #[arg(long, requires = "live")]
    pub all_profiles: bool,
    #[command(flatten)]
    pub output: FindingOutput,
}

/// Output options shared by every command that prints findings (`registry`, `exo`).
#[derive(Debug, Args)]
pub struct FindingOutput {
    /// Only findings at least this severe.
    #[arg(long, value_enum, default_value_t = SeverityArg::Info)]
    pub min_severity: SeverityArg,
    /// Exit with 4 when a finding at least this severe exists (for scripts and CI).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

impl FindingOutput {
    /// `EXIT_FINDINGS` when `--fail-on` matches one of `findings`, else `otherwise`.
    pub fn exit_code(&self, findings: &[Finding], otherwise: u8) -> u8 {
        match self.fail_on {
            Some(fail) if findings.iter().any(|f| f.severity <= fail.severity()) => EXIT_FINDINGS,
            _ => otherwise,
        }
    }
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// The Office version to fix: 15.0 (Office 2013) or 16.0 (2016 and later).
    #[arg(long, value_name = "VERSION")]
    pub office: String,
    /// Write the fix here (UTF-16LE with BOM, CRLF, `Windows Registry Editor Version 5.00`).
    #[arg(long, value_name = "FILE.reg")]
    pub out: PathBuf,
    /// Read the values before the fix from this .reg export or hive, and write a revert file.
    #[arg(long, value_name = "PATH")]
    pub revert_from: Option<PathBuf>,
    /// Where the revert file goes (default: <out>.revert.reg).
    #[arg(long, value_name = "FILE.reg", requires = "revert_from")]
    pub revert_out: Option<PathBuf>,
    /// Write under HKEY_USERS\<SID> instead of HKEY_CURRENT_USER.
    #[arg(long, value_name = "SID")]
    pub profile: Option<String>,
}

/// Exit code when `--fail-on` matched.
pub const EXIT_FINDINGS: u8 = 4;

const FINDING_COLUMNS: &[(&str, &str)] = &[
    ("severity", "Severity"),
    ("target", "Target"),
    ("officeVersion", "Office"),
    ("id", "Rule"),
    ("setting", "Setting"),
    ("current", "Current"),
    ("expected", "Expected"),
    ("message", "Message"),
    ("fix", "Fix"),
];

/// The terminal table leaves out the long fix text (JSON and CSV carry it).
const FINDING_TABLE_COLUMNS: &[(&str, &str)] = &[
    ("severity", "Severity"),
    ("target", "Target"),
    ("officeVersion", "Office"),
    ("id", "Rule"),
    ("current", "Current"),
    ("expected", "Expected"),
    ("message", "Message"),
];

const ROW_COLUMNS: &[(&str, &str)] = &[
    ("machine", "Machine"),
    ("profile", "Profile"),
    ("officeVersions", "Office"),
    ("status", "Status"),
    ("critical", "Critical"),
    ("high", "High"),
    ("medium", "Medium"),
    ("low", "Low"),
    ("findings", "Findings"),
];

/// A finding as a row: for tables and CSV the context keys are lifted up into columns; JSON
/// and NDJSON keep the `Finding` shape exactly.
pub fn finding_row(f: &Finding, format: Format) -> Value {
    let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
    if matches!(format, Format::Json | Format::Ndjson) {
        return v;
    }
    if let Some(obj) = v.as_object_mut() {
        for (k, val) in &f.context {
            obj.entry(k.clone()).or_insert_with(|| Value::String(val.clone()));
        }
    }
    v
}

pub fn report_problems(ctx: &Ctx, problems: &[Problem]) {
    let shown = 20;
    for p in problems.iter().take(shown) {
        eprintln!("exauth: {}", p.text(ctx.lang));
    }
    if problems.len() > shown {
        eprintln!(
            "exauth: {}",
            messages::format("read.problems_hidden", ctx.lang, &[("count", &(problems.len() - shown))])
        );
    }
}

pub fn run(ctx: &Ctx, cmd: RegistryCommand) -> u8 {
    match cmd {
        RegistryCommand::Check(a) => check(ctx, a, false),
        RegistryCommand::Fleet(a) => check(ctx, a, true),
        RegistryCommand::Fix(a) => fix(ctx, a),
    }
}

fn check(ctx: &Ctx, a: CheckArgs, fleet: bool) -> u8 {
    let p = CheckParams {
        paths: a.paths,
        live: a.live,
        all_profiles: a.all_profiles,
        min_severity: Some(a.output.min_severity.severity().to_string()),
    };
    ctx.progress("reading registry files…");
    let report = match check_report(&p, ctx.lang) {
        Ok(r) => r,
        Err(e) => {
            ctx.progress_done();
            eprintln!("exauth: {e}");
            return EXIT_FAILED;
        }
    };
    ctx.progress_done();
    let rows: Vec<Value> = if fleet {
        report.rows.iter().map(|r| serde_json::to_value(r).unwrap_or(Value::Null)).collect()
    } else {
        report.findings.iter().map(|f| finding_row(f, a.output.format)).collect()
    };
    let columns = match (fleet, a.output.format) {
        (true, _) => ROW_COLUMNS,
        (false, Format::Table) => FINDING_TABLE_COLUMNS,
        (false, _) => FINDING_COLUMNS,
    };
    let mut out = std::io::stdout().lock();
    if let Err(code) = finish_output(write_rows(&mut out, a.output.format, &rows, columns).and_then(|_| out.flush())) {
        return code;
    }
    report_problems(ctx, &report.problems);
    {
        let s = &report.stats;
        eprintln!(
            "{}",
            messages::format(
                "reg.summary",
                ctx.lang,
                &[
                    ("files", &s.files),
                    ("machines", &s.machines),
                    ("profiles", &s.profiles),
                    ("findings", &report.findings.iter().filter(|f| f.severity != Severity::Info).count()),
                    ("problems", &s.problems),
                ]
            )
        );
    }
    a.output.exit_code(&report.findings, if report.problems.is_empty() { EXIT_OK } else { EXIT_PROBLEMS })
}

fn fix(ctx: &Ctx, a: FixArgs) -> u8 {
    let p = FixParams {
        office: a.office,
        profile: a.profile,
        out: Some(a.out.clone()),
        revert_from: a.revert_from,
        revert_out: a.revert_out,
    };
    let plan = match fix_plan(&p, ctx.lang) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("exauth: {e}");
            return if matches!(e, crate::Error::InvalidRequest(_)) { super::EXIT_USAGE } else { EXIT_FAILED };
        }
    };
    let mut targets = vec![(a.out.clone(), plan.fix)];
    if let Some(rev) = plan.revert {
        targets.push((p.revert_out.clone().unwrap_or_else(|| default_revert_path(&a.out)), rev));
    }
    for (path, sections) in &targets {
        if let Err(e) = std::fs::write(path, regfile::write(sections)) {
            eprintln!("exauth: {}: {e}", path.display());
            return EXIT_FAILED;
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", messages::format("reg.fix.written", ctx.lang, &[("path", &path.display())]));
    }
    EXIT_OK
}
