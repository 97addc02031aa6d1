//! `exauth fetch graph | loganalytics | adx`: live sources. Tokens come from the environment
//! (`EXAUTH_ACCESS_TOKEN`, client-credential variables, managed identity) or one line on stdin
//! (`--token-stdin`), never from an argument a process list would show.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::{Args, Subcommand};
use serde_json::Value;

use super::output::{Format, write_rows};
use super::signin::{By, FilterArgs, parse_time_arg, summary_columns};
use super::{Ctx, EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, finish_output};
use crate::fetch::auth::{Secret, token_from_reader};
use crate::fetch::graph::FetchProgress;
use crate::fetch::session::{self, GraphParams, KqlParams};
use crate::messages;

#[derive(Debug, Subcommand)]
pub enum FetchCommand {
    /// Microsoft Graph sign-ins (beta auditLogs/signIns; interactive and non-interactive).
    Graph(GraphArgs),
    /// The legacy-auth summary (or raw records) computed inside a Log Analytics / Sentinel workspace.
    Loganalytics(KqlArgs),
    /// The same KQL against an Azure Data Explorer cluster.
    Adx(KqlArgs),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum OrderArg {
    Arrival,
    Time,
}

#[derive(Debug, Args)]
pub struct AuthArgs {
    /// Read the access token from one line of stdin (instead of EXAUTH_ACCESS_TOKEN).
    #[arg(long)]
    pub token_stdin: bool,
    /// Use the managed identity (App Service / Automation IDENTITY_ENDPOINT, or VM IMDS).
    #[arg(long)]
    pub managed_identity: bool,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Start of the window (ISO 8601 or an age like 7d; default: 30 days ago).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// End of the window, exclusive (default: now).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only these users (UPN; `prefix*` filters on the server, other `*` patterns locally; repeatable).
    #[arg(long = "user", value_name = "UPN")]
    pub users: Vec<String>,
    /// Fetch every sign-in, modern too (default: one query per legacy client app).
    #[arg(long)]
    pub include_modern: bool,
    /// Write the sign-ins as Graph NDJSON here (`.gz` compresses); default: stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Checkpoint file: resume from it when it exists, create it otherwise.
    #[arg(long, value_name = "CHECKPOINT")]
    pub resume: Option<PathBuf>,
    /// Also keep every page as received (gzip JSON) in this folder, for offline analysis.
    #[arg(long, value_name = "DIR")]
    pub save_raw: Option<PathBuf>,
    /// Graph endpoint (sovereign clouds, tests).
    #[arg(long, value_name = "URL")]
    pub graph_url: Option<String>,
    /// Page requests in flight (the throttle limiter keeps the rate at 5 per 10 s regardless).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Order of the records on stdout: as they arrive (streaming), or by time (held until the end).
    #[arg(long, value_enum, default_value_t = OrderArg::Arrival)]
    pub order: OrderArg,
    /// Print the request (URL with $filter) of every initial slice and exit without fetching.
    #[arg(long)]
    pub show_query: bool,
    #[command(flatten)]
    pub auth: AuthArgs,
    /// Throttle override: requests per window (default 5, the documented Graph limit).
    #[arg(long, hide = true)]
    pub throttle_requests: Option<usize>,
    /// Throttle override: window in milliseconds (default 10000).
    #[arg(long, hide = true)]
    pub throttle_window_ms: Option<u64>,
    /// Records per page (default and maximum 1000).
    #[arg(long, hide = true)]
    pub page_size: Option<u32>,
}

#[derive(Debug, Args)]
pub struct KqlArgs {
    /// Log Analytics workspace id (loganalytics).
    #[arg(long, value_name = "GUID")]
    pub workspace_id: Option<String>,
    /// Log Analytics query endpoint (default https://api.loganalytics.azure.com).
    #[arg(long, value_name = "URL")]
    pub workspace_url: Option<String>,
    /// ADX cluster URL (adx), e.g. https://mycluster.westeurope.kusto.windows.net.
    #[arg(long, value_name = "URL")]
    pub cluster_url: Option<String>,
    /// ADX database (adx).
    #[arg(long, value_name = "NAME")]
    pub database: Option<String>,
    #[arg(long, value_enum, default_value_t = By::UserProtocol)]
    pub by: By,
    /// Raw sign-in records (paged in time slices under the 500,000-row limit) instead of the summary.
    #[arg(long)]
    pub records: bool,
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print the KQL (to paste into the portal) and exit without running it.
    #[arg(long)]
    pub show_query: bool,
    #[command(flatten)]
    pub auth: AuthArgs,
}

/// Set by Ctrl+C during `exauth fetch graph`: the fetch stops after the pages in flight, saves
/// its checkpoint and exits with 130. (Without the handler, e.g. on Windows, a kill is still
/// safe: the checkpoint is saved after every page and a resume cuts any half-written page.)
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
fn on_ctrl_c() {
    extern "C" fn handler(_: libc::c_int) {
        INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, handler as *const () as libc::sighandler_t);
    }
}

#[cfg(not(unix))]
fn on_ctrl_c() {}

fn stdin_token(auth: &AuthArgs) -> Result<Option<Secret>, u8> {
    if !auth.token_stdin {
        return Ok(None);
    }
    match token_from_reader(&mut std::io::stdin().lock()) {
        Ok(Some(t)) => Ok(Some(t)),
        Ok(None) => {
            eprintln!("exauth: --token-stdin: stdin had no token");
            Err(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("exauth: --token-stdin: {e}");
            Err(EXIT_USAGE)
        }
    }
}

fn fail(e: &crate::Error) -> u8 {
    eprintln!("exauth: {e}");
    match e {
        crate::Error::Cancelled => EXIT_CANCELLED,
        crate::Error::InvalidRequest(_) => EXIT_USAGE,
        _ => EXIT_FAILED,
    }
}

pub fn run(ctx: &Ctx, cmd: FetchCommand) -> u8 {
    match cmd {
        FetchCommand::Graph(a) => graph(ctx, a),
        FetchCommand::Loganalytics(a) => kql(ctx, a, false),
        FetchCommand::Adx(a) => kql(ctx, a, true),
    }
}

fn progress_line(ctx: &Ctx, p: &FetchProgress) -> String {
    messages::format(
        "fetch.progress",
        ctx.lang,
        &[
            ("pages", &p.pages),
            ("records", &p.records),
            ("slices", &p.slices_left),
            ("retries", &p.retries),
            ("waits", &p.throttle_waits),
        ],
    )
}

fn graph(ctx: &Ctx, a: GraphArgs) -> u8 {
    let time = |s: &Option<String>| s.as_deref().map(parse_time_arg).transpose();
    let (since, until) = match (time(&a.since), time(&a.until)) {
        (Ok(s), Ok(u)) => (s, u),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("exauth: {e}");
            return EXIT_USAGE;
        }
    };
    let token = match stdin_token(&a.auth) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let p = GraphParams {
        since,
        until,
        graph_url: a.graph_url,
        users: a.users,
        include_modern: a.include_modern,
        out: a.out,
        resume: a.resume,
        save_raw: a.save_raw,
        concurrency: a.concurrency,
        access_token: token,
        managed_identity: a.auth.managed_identity,
        throttle_requests: a.throttle_requests,
        throttle_window_ms: a.throttle_window_ms,
        page_size: a.page_size,
        order: match a.order {
            OrderArg::Arrival => session::Order::Arrival,
            OrderArg::Time => session::Order::Time,
        },
        ..Default::default()
    };
    if a.show_query {
        let q = match p.query() {
            Ok(q) => q,
            Err(e) => return fail(&e),
        };
        let mut out = std::io::stdout().lock();
        for s in q.plan().slices {
            let url = crate::fetch::graph::first_page_url(&q.base_url, &s, &q.users, q.page_size);
            let line = url.unwrap_or_else(|e| e.to_string());
            match finish_output(writeln!(out, "GET {line}")) {
                Ok(()) => {}
                Err(c) => return c,
            }
        }
        return EXIT_OK;
    }
    on_ctrl_c();
    let to_stdout = p.out.is_none();
    let mut stdout = std::io::stdout().lock();
    let mut write_err: Option<u8> = None;
    let mut on_records = |recs: Vec<crate::signin::SignIn>| -> crate::Result<()> {
        if to_stdout {
            for r in &recs {
                let line = serde_json::to_string(r).unwrap_or_default();
                if let Err(code) = finish_output(writeln!(stdout, "{line}")) {
                    write_err = Some(code);
                    return Err(crate::Error::Cancelled);
                }
            }
        }
        Ok(())
    };
    let mut on_progress = |pr: &FetchProgress| ctx.progress(&progress_line(ctx, pr));
    let r = session::fetch_graph(&p, ctx.lang, &INTERRUPTED, &mut on_records, &mut on_progress);
    ctx.progress_done();
    if let Some(code) = write_err {
        return code;
    }
    match r {
        Ok(pr) => {
            eprintln!("{}", progress_line(ctx, &pr));
            if pr.skipped > 0 { EXIT_PROBLEMS } else { EXIT_OK }
        }
        Err(e) => fail(&e),
    }
}

fn kql(ctx: &Ctx, a: KqlArgs, adx: bool) -> u8 {
    let filter = match a.filter.to_filter() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("exauth: {e}");
            return EXIT_USAGE;
        }
    };
    let p = KqlParams {
        workspace_id: if adx { None } else { a.workspace_id },
        workspace_url: a.workspace_url,
        cluster_url: if adx { a.cluster_url } else { None },
        database: a.database,
        filter,
        by: a.by.into(),
        access_token: None,
        managed_identity: a.auth.managed_identity,
        show_query: a.show_query,
    };
    if a.show_query {
        let q = if a.records { crate::fetch::kql::records_query(&p.filter) } else { p.summary_query() };
        return match finish_output(writeln!(std::io::stdout(), "{q}")) {
            Ok(()) | Err(EXIT_OK) => EXIT_OK,
            Err(c) => c,
        };
    }
    let p = match stdin_token(&a.auth) {
        Ok(t) => KqlParams { access_token: t, ..p },
        Err(code) => return code,
    };
    let mut out = std::io::stdout().lock();
    if a.records {
        let format = a.format;
        let r = session::kql_records(&p, ctx.lang, &mut |recs| {
            let rows: Vec<Value> = recs.iter().filter_map(|s| serde_json::to_value(s).ok()).collect();
            let cols = [
                ("createdDateTime", "Time"),
                ("userPrincipalName", "User"),
                ("clientAppUsed", "Client app"),
                ("ipAddress", "IP"),
                ("errorCode", "Error"),
            ];
            finish_output(write_rows(&mut out, format, &rows, &cols)).map_err(|_| crate::Error::Cancelled)
        });
        return match r {
            Ok(0) => EXIT_OK,
            Ok(_) => EXIT_PROBLEMS,
            Err(e) => fail(&e),
        };
    }
    match session::kql_summary(&p, ctx.lang) {
        Ok(rows) => {
            if rows.is_empty() && a.format == Format::Table {
                eprintln!("{}", messages::text("cli.no_rows", ctx.lang));
                return EXIT_OK;
            }
            let values: Vec<Value> = rows.iter().filter_map(|r| serde_json::to_value(r).ok()).collect();
            let cols = summary_columns(p.by, ctx.lang);
            match finish_output(write_rows(&mut out, a.format, &values, &cols)) {
                Ok(()) | Err(EXIT_OK) => EXIT_OK,
                Err(c) => c,
            }
        }
        Err(e) => fail(&e),
    }
}
