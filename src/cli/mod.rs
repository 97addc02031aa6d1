//! The `exauth` command line: argument parsing, progress on stderr, output formats and exit
//! codes, over the same operations the PowerShell module calls (`crate::ops`).
//!
//! Exit codes (stable; scripts and runbooks may rely on them):
//! - 0: success;
//! - 1: finished, but some input was skipped or unreadable (each problem was reported);
//! - 2: usage error (bad arguments);
//! - 3: failed: nothing could be done (I/O error, invalid request, network);
//! - 4: `--fail-on SEVERITY` matched a finding (`registry check`, `exo readiness`);
//! - 130: cancelled (Ctrl+C).
//!
//! A closed stdout (`exauth … | head`) is not an error: the run ends quietly with 0.

mod exo;
mod exposure;
mod fetch;
mod generate;
mod messages;
pub mod output;
mod registry;
mod request;
mod signin;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::messages::Lang;

pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_FAILED: u8 = 3;
pub const EXIT_CANCELLED: u8 = 130;

#[derive(Debug, Parser)]
#[command(name = "exauth", version, about = "Find and remove Basic (legacy) authentication in Exchange Online / Entra ID.", long_about = None)]
pub struct Cli {
    /// Language of messages and advice: en-US or ja-JP (default: EXAUTH_LANG / LANG).
    #[arg(long, global = true, value_name = "CULTURE")]
    pub lang: Option<String>,
    /// No progress on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarise legacy sign-ins (by user × protocol unless --by says otherwise).
    Summary(signin::SummaryArgs),
    /// Print sign-in records (legacy only unless --include-modern).
    Scan(signin::ScanArgs),
    /// The client-app catalogue: legacy or not, protocol, Conditional Access bucket, what to migrate to.
    Catalogue(signin::CatalogueArgs),
    /// Run the summary on the embedded demo tenant (3,000 users, printers, a password spray).
    Demo(signin::DemoArgs),
    /// Send a raw ops request (JSON, as the PowerShell module does through the C ABI).
    Request(request::RequestArgs),
    /// Per-mailbox protocol exposure joined with usage: disable, migrate first or investigate, with -WhatIf commands.
    Exposure(exposure::ExposureArgs),
    /// Is legacy authentication blocked (Conditional Access, Security Defaults, org settings), and for whom not.
    Guardrails(exposure::GuardrailsArgs),
    /// Write the self-contained HTML report (and CSV / JSON of the same data).
    Report(exposure::ReportArgs),
    /// The message catalogue (JSON), or the PowerShell module's string table with --psd1.
    Messages(messages::MessagesArgs),
    /// Outlook modern-auth registry settings: check .reg files, hives, fleets or the live registry; write fixes.
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
    /// Exchange Online PowerShell readiness from the facts PowerShell gathers.
    #[command(subcommand)]
    Exo(exo::ExoCommand),
    /// Live sources: Microsoft Graph sign-ins, Log Analytics / Sentinel and ADX (KQL push-down).
    #[command(subcommand)]
    Fetch(fetch::FetchCommand),
    /// Write a large deterministic sign-in log (graph-ndjson, graph-pages, portal-csv, la-csv) for benchmarks.
    Generate(generate::GenerateArgs),
}

/// Context every subcommand gets.
pub struct Ctx {
    pub lang: Lang,
    pub progress: bool,
}

impl Ctx {
    /// A progress line on stderr (only on a terminal and without --quiet).
    pub fn progress(&self, msg: &str) {
        if self.progress {
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[2K{msg}");
            let _ = e.flush();
        }
    }

    pub fn progress_done(&self) {
        if self.progress {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

/// Map an I/O error on stdout: a closed pipe ends the run successfully.
pub fn finish_output(r: std::io::Result<()>) -> Result<(), u8> {
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(EXIT_OK),
        Err(e) => {
            eprintln!("exauth: cannot write output: {e}");
            Err(EXIT_FAILED)
        }
    }
}

pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let lang = cli.lang.as_deref().map_or_else(Lang::from_env, Lang::from_culture);
    let ctx = Ctx { lang, progress: !cli.quiet && std::io::stderr().is_terminal() };
    let code = match cli.command {
        Command::Summary(a) => signin::summary(&ctx, a),
        Command::Scan(a) => signin::scan(&ctx, a),
        Command::Catalogue(a) => signin::catalogue(&ctx, a),
        Command::Demo(a) => signin::demo(&ctx, a),
        Command::Request(a) => request::request(&ctx, a),
        Command::Exposure(a) => exposure::exposure(&ctx, a),
        Command::Guardrails(a) => exposure::guardrails(&ctx, a),
        Command::Report(a) => exposure::report(&ctx, a),
        Command::Messages(a) => messages::run(&ctx, a),
        Command::Registry(c) => registry::run(&ctx, c),
        Command::Exo(c) => exo::run(&ctx, c),
        Command::Fetch(c) => fetch::run(&ctx, c),
        Command::Generate(a) => generate::generate(&ctx, a),
    };
    ExitCode::from(code)
}
