//! `exauth exo readiness FACTS.json`: Exchange Online PowerShell readiness findings.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::Value;

use super::output::{Format, write_rows};
use super::registry::{FindingOutput, finding_row};
use super::{Ctx, EXIT_FAILED, EXIT_OK, finish_output};
use crate::exo::{Facts, evaluate};

#[derive(Debug, Subcommand)]
pub enum ExoCommand {
    /// Findings with fix commands from the facts JSON that Test-ExoPowerShellReadiness gathers (`-` reads stdin).
    Readiness(ReadinessArgs),
}

#[derive(Debug, Args)]
pub struct ReadinessArgs {
    /// The facts JSON file (UTF-8 or UTF-16), or `-` for stdin.
    #[arg(value_name = "FACTS.json")]
    pub facts: PathBuf,
    #[command(flatten)]
    pub output: FindingOutput,
}

const COLUMNS: &[(&str, &str)] = &[
    ("severity", "Severity"),
    ("id", "Rule"),
    ("setting", "Setting"),
    ("current", "Current"),
    ("expected", "Expected"),
    ("message", "Message"),
    ("fix", "Fix"),
    ("source", "Source"),
    ("verified", "Verified"),
];

const TABLE_COLUMNS: &[(&str, &str)] =
    &[("severity", "Severity"), ("id", "Rule"), ("current", "Current"), ("expected", "Expected"), ("fix", "Fix")];

pub fn run(ctx: &Ctx, cmd: ExoCommand) -> u8 {
    match cmd {
        ExoCommand::Readiness(a) => readiness(ctx, a),
    }
}

fn readiness(ctx: &Ctx, a: ReadinessArgs) -> u8 {
    let name = a.facts.display().to_string();
    let bytes = if name == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map(|_| b)
    } else {
        std::fs::read(&a.facts)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            eprintln!("exauth: {name}: {e}");
            return EXIT_FAILED;
        }
    };
    let facts = match Facts::parse(&bytes, &name) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("exauth: {e}");
            return EXIT_FAILED;
        }
    };
    let min = a.output.min_severity.severity();
    let found: Vec<_> = evaluate(&facts, ctx.lang).into_iter().filter(|f| f.severity <= min).collect();
    let rows: Vec<Value> = found.iter().map(|f| finding_row(f, a.output.format)).collect();
    let columns = if a.output.format == Format::Table { TABLE_COLUMNS } else { COLUMNS };
    let mut out = std::io::stdout().lock();
    if let Err(code) = finish_output(write_rows(&mut out, a.output.format, &rows, columns).and_then(|_| out.flush())) {
        return code;
    }
    a.output.exit_code(&found, EXIT_OK)
}
