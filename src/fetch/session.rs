//! One fetch, end to end, for the CLI and the ops table alike: parameters (JSON-deserialisable,
//! so `ops` and `exauth fetch` cannot drift), credentials, the checkpoint (new or resumed),
//! the output file (`.ndjson`, or `.gz` with one gzip member per page so a resumed run can cut a
//! half-written page), `--save-raw` pages, and a tokio runtime around the async fetchers.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::Deserialize;

use super::auth::{Credential, Secret, TokenProvider};
use super::checkpoint::{Checkpoint, SliceState};
use super::graph::{self, Delivered, FetchProgress, GraphQuery, GraphSink, RunOptions};
use super::loganalytics::{self, Target};
use super::throttle::ThrottleConfig;
use super::{Requester, kql};
use crate::analysis::{Filter, GroupBy, SummaryRow};
use crate::messages::Lang;
use crate::signin::SignIn;
use crate::time::Timestamp;

/// Parameters of a Graph fetch (`fetch.graph` op, `exauth fetch graph`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GraphParams {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub graph_url: Option<String>,
    pub users: Vec<String>,
    /// Fetch every sign-in (modern too) instead of one query per legacy client app.
    pub include_modern: bool,
    /// NDJSON output (`.gz` compresses); appended to on resume.
    pub out: Option<PathBuf>,
    /// Checkpoint file: resumed from when it exists, created otherwise.
    pub resume: Option<PathBuf>,
    pub save_raw: Option<PathBuf>,
    pub concurrency: Option<usize>,
    pub page_size: Option<u32>,
    pub initial_slices: Option<u32>,
    /// A token from the caller (PowerShell passes its SecureString's value here; never logged).
    pub access_token: Option<Secret>,
    pub managed_identity: bool,
    /// Throttle overrides (tests, benchmarks, a tenant with a different documented limit).
    pub throttle_requests: Option<usize>,
    pub throttle_window_ms: Option<u64>,
    pub time_scale: Option<f64>,
    /// Order of the records handed to the caller (the `--out` file is always in arrival order,
    /// which is what makes it resumable).
    pub order: Order,
}

/// `arrival` streams records as pages come in; `time` holds them all and hands them over in
/// ascending `createdDateTime` at the end (memory grows with the records).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Order {
    #[default]
    Arrival,
    Time,
}

fn credential(token: &Option<Secret>, managed_identity: bool) -> crate::Result<Credential> {
    if let Some(t) = token.as_ref().filter(|t| !t.is_empty()) {
        return Ok(Credential::Token(t.clone()));
    }
    Credential::from_env(managed_identity).ok_or_else(|| {
        crate::Error::Auth(
            "no credentials: set EXAUTH_ACCESS_TOKEN (or pipe a token with --token-stdin), \
             EXAUTH_TENANT_ID + EXAUTH_CLIENT_ID + EXAUTH_CLIENT_SECRET (or \
             EXAUTH_CLIENT_CERTIFICATE_PATH), or use --managed-identity"
                .into(),
        )
    })
}

fn runtime() -> crate::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| crate::Error::Internal(format!("cannot start the async runtime: {e}")))
}

impl GraphParams {
    pub fn query(&self) -> crate::Result<GraphQuery> {
        let until = self.until.unwrap_or_else(now);
        // Sign-ins are kept 30 days with P1/P2 (DOMAIN.md §1.3): the default window.
        let since = self.since.unwrap_or(Timestamp(until.0 - 30 * 86_400_000_000));
        if since >= until {
            return Err(crate::Error::InvalidRequest(format!("--since ({since}) must be before --until ({until})")));
        }
        let mut q = GraphQuery::new(since, until);
        if let Some(u) = &self.graph_url {
            q.base_url = u.clone();
        }
        q.users = self.users.clone();
        q.legacy_only = !self.include_modern;
        if let Some(p) = self.page_size {
            q.page_size = p.clamp(1, graph::MAX_PAGE_SIZE);
        }
        q.initial_slices = self.initial_slices.unwrap_or(if q.legacy_only { 1 } else { 4 });
        Ok(q)
    }

    pub fn throttle(&self) -> ThrottleConfig {
        let d = ThrottleConfig::default();
        ThrottleConfig {
            requests: self.throttle_requests.unwrap_or(d.requests),
            window: self.throttle_window_ms.map_or(d.window, std::time::Duration::from_millis),
            time_scale: self.time_scale.unwrap_or(1.0),
        }
    }
}

pub fn now() -> Timestamp {
    let us = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as i64);
    Timestamp(us)
}

/// The NDJSON output of a fetch.
struct Output {
    file: File,
    path: PathBuf,
    gz: bool,
}

impl Output {
    fn open(path: &Path, keep: u64) -> crate::Result<Output> {
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(path)
            .map_err(|e| crate::Error::io(path, e))?;
        // Cut whatever a crash left after the last complete page.
        file.set_len(keep).map_err(|e| crate::Error::io(path, e))?;
        let mut o =
            Output { file, path: path.to_owned(), gz: path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) };
        o.file.seek(SeekFrom::End(0)).map_err(|e| crate::Error::io(path, e))?;
        Ok(o)
    }

    fn write_page(&mut self, records: &[Delivered]) -> crate::Result<u64> {
        let mut buf = Vec::with_capacity(records.iter().map(|r| r.raw.len() + 1).sum());
        for r in records {
            buf.extend_from_slice(r.raw.as_bytes());
            buf.push(b'\n');
        }
        let io = |e| crate::Error::io(&self.path, e);
        if self.gz {
            // One complete gzip member per page: concatenated members are one valid .gz file.
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&buf).map_err(io)?;
            buf = enc.finish().map_err(io)?;
        }
        self.file.write_all(&buf).map_err(io)?;
        self.file.sync_data().map_err(io)?;
        self.file.stream_position().map_err(io)
    }
}

/// The sink of a Graph fetch: output file, raw pages, the caller's records and progress.
struct SessionSink<'a> {
    out: Option<Output>,
    raw_dir: Option<PathBuf>,
    raw_pages: u64,
    on_records: &'a mut dyn FnMut(Vec<SignIn>) -> crate::Result<()>,
    on_progress: &'a mut dyn FnMut(&FetchProgress),
}

impl GraphSink for SessionSink<'_> {
    fn deliver(&mut self, records: Vec<Delivered>) -> crate::Result<u64> {
        let len = match &mut self.out {
            Some(o) if !records.is_empty() => o.write_page(&records)?,
            Some(o) => o.file.stream_position().map_err(|e| crate::Error::io(&o.path, e))?,
            None => 0,
        };
        (self.on_records)(records.into_iter().map(|d| d.signin).collect())?;
        Ok(len)
    }

    fn raw_page(&mut self, slice: &SliceState, body: &[u8]) -> crate::Result<()> {
        let Some(dir) = &self.raw_dir else { return Ok(()) };
        self.raw_pages += 1;
        let path = dir.join(format!("signins-s{:05}-p{:05}-{}.json.gz", slice.id, slice.pages + 1, self.raw_pages));
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let io = |e| crate::Error::io(&path, e);
        enc.write_all(body).map_err(io)?;
        std::fs::write(&path, enc.finish().map_err(io)?).map_err(io)
    }

    fn progress(&mut self, p: &FetchProgress) {
        (self.on_progress)(p);
    }
}

/// Run a Graph fetch to the end (or to the first fatal error, with the checkpoint saved).
pub fn fetch_graph(
    p: &GraphParams,
    lang: Lang,
    cancel: &AtomicBool,
    on_records: &mut dyn FnMut(Vec<SignIn>) -> crate::Result<()>,
    on_progress: &mut dyn FnMut(&FetchProgress),
) -> crate::Result<FetchProgress> {
    let q = p.query()?;
    let cred = credential(&p.access_token, p.managed_identity)?;
    let url =
        reqwest::Url::parse(&q.base_url).map_err(|e| crate::Error::InvalidRequest(format!("--graph-url: {e}")))?;
    // Sovereign clouds override the URL and the token's resource follows the host; a plain-http
    // URL is a local test server, which gets a token for the public cloud's resource.
    let resource =
        if url.scheme() == "https" { url.origin().ascii_serialization() } else { graph::DEFAULT_GRAPH_URL.to_owned() };
    let req = Requester::new(TokenProvider::new(cred, resource), p.throttle(), lang)?;
    let mut ckpt = match &p.resume {
        Some(path) if path.exists() => {
            let c = Checkpoint::load(path)?;
            if c.request != q.fingerprint() {
                return Err(crate::Error::InvalidInput {
                    target: path.display().to_string(),
                    message: format!(
                        "the checkpoint is for another fetch ({}); use the same --since/--until/--user/--graph-url or a new checkpoint file",
                        c.request
                    ),
                });
            }
            c
        }
        _ => q.plan(),
    };
    if p.out.is_some() && p.resume.is_none() {
        // Without a checkpoint an existing output would be overwritten from the start.
        ckpt.output_len = 0;
    }
    let out = p.out.as_deref().map(|o| Output::open(o, ckpt.output_len)).transpose()?;
    if let Some(d) = &p.save_raw {
        std::fs::create_dir_all(d).map_err(|e| crate::Error::io(d, e))?;
    }
    let opts = RunOptions { concurrency: p.concurrency.unwrap_or(RunOptions::default().concurrency) };
    if p.order == Order::Arrival {
        let mut sink = SessionSink { out, raw_dir: p.save_raw.clone(), raw_pages: 0, on_records, on_progress };
        return runtime()?.block_on(graph::run(&req, &q, &opts, &mut ckpt, p.resume.as_deref(), cancel, &mut sink));
    }
    let mut held: Vec<SignIn> = Vec::new();
    let mut hold = |recs: Vec<SignIn>| {
        held.extend(recs);
        Ok(())
    };
    let mut sink = SessionSink { out, raw_dir: p.save_raw.clone(), raw_pages: 0, on_records: &mut hold, on_progress };
    let done = runtime()?.block_on(graph::run(&req, &q, &opts, &mut ckpt, p.resume.as_deref(), cancel, &mut sink))?;
    held.sort_by(|a, b| a.created_date_time.cmp(&b.created_date_time).then_with(|| a.id.cmp(&b.id)));
    let mut rest = held.into_iter().peekable();
    while rest.peek().is_some() {
        on_records(rest.by_ref().take(1000).collect())?;
    }
    Ok(done)
}

/// Parameters of a KQL summary / records query (`fetch.loganalytics.summary`, `exauth fetch
/// loganalytics|adx`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KqlParams {
    pub workspace_id: Option<String>,
    pub workspace_url: Option<String>,
    pub cluster_url: Option<String>,
    pub database: Option<String>,
    #[serde(flatten)]
    pub filter: Filter,
    pub by: GroupBy,
    pub access_token: Option<Secret>,
    pub managed_identity: bool,
    /// Return the KQL instead of running it.
    pub show_query: bool,
}

impl KqlParams {
    pub fn target(&self) -> crate::Result<Target> {
        match (&self.workspace_id, &self.cluster_url) {
            (Some(id), None) => Ok(Target::Workspace {
                url: self.workspace_url.clone().unwrap_or_else(|| loganalytics::DEFAULT_WORKSPACE_URL.to_owned()),
                id: id.clone(),
            }),
            (None, Some(c)) => Ok(Target::Adx {
                cluster: c.clone(),
                database: self
                    .database
                    .clone()
                    .ok_or_else(|| crate::Error::InvalidRequest("an ADX query needs --database".into()))?,
            }),
            _ => Err(crate::Error::InvalidRequest(
                "give either a workspace id (Log Analytics) or a cluster URL (ADX)".into(),
            )),
        }
    }

    fn requester(&self, target: &Target, lang: Lang) -> crate::Result<Requester> {
        let cred = credential(&self.access_token, self.managed_identity)?;
        let resource = match target {
            Target::Workspace { .. } => loganalytics::RESOURCE.to_owned(),
            Target::Adx { cluster, .. } => cluster.trim_end_matches('/').to_owned(),
        };
        // Log Analytics: 200 requests per 30 s per user (DOMAIN.md §2.3).
        let throttle = ThrottleConfig { requests: 200, window: std::time::Duration::from_secs(30), time_scale: 1.0 };
        Ok(Requester::new(TokenProvider::new(cred, resource), throttle, lang)?)
    }

    pub fn summary_query(&self) -> String {
        kql::summary_query(&self.filter, self.by)
    }
}

/// Run the pushed-down summary.
pub fn kql_summary(p: &KqlParams, lang: Lang) -> crate::Result<Vec<SummaryRow>> {
    let target = p.target()?;
    let req = p.requester(&target, lang)?;
    Ok(runtime()?.block_on(loganalytics::summary(&req, &target, &p.filter, p.by))?)
}

/// Fetch raw records in slices under the row limit.
pub fn kql_records(
    p: &KqlParams,
    lang: Lang,
    emit: &mut dyn FnMut(Vec<SignIn>) -> crate::Result<()>,
) -> crate::Result<u64> {
    let target = p.target()?;
    let req = p.requester(&target, lang)?;
    let mut f = p.filter.clone();
    let until = f.until.unwrap_or_else(now);
    f.until = Some(until);
    f.since = Some(f.since.unwrap_or(Timestamp(until.0 - 30 * 86_400_000_000)));
    runtime()?.block_on(loganalytics::records_sliced(&req, &target, &f, emit))
}
