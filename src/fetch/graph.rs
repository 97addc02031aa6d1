//! Microsoft Graph `auditLogs/signIns` (beta, for the `signInEventTypes` filter; DOMAIN.md §1.3):
//! query building with escaped `$filter` values, time slices fetched concurrently under the
//! throttle, dense slices split further, and exactly-once delivery.
//!
//! How exactly-once holds:
//! - Slices are disjoint: `createdDateTime ge since and createdDateTime le until` on the server
//!   (the documented operators are `eq`, `le`, `ge`: no `lt`), and records at or after `until` are
//!   dropped on our side, so a record on a boundary belongs to the later slice only.
//! - Pages are atomic: a page's records are written, then the checkpoint is saved.
//! - A dense slice (its first page is full and has a `nextLink`) is split: the page is delivered,
//!   and the rest of its window, `[since, oldest record on the page]` (Graph returns newest first),
//!   becomes two new slices that run concurrently. The upper child re-queries `le <oldest>` with
//!   the exact text Graph returned (7 fractional digits) and skips the ids already delivered at
//!   that instant.
//! - An expired skip token restarts that slice the same way: from its oldest delivered record.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::checkpoint::{Checkpoint, SliceState, VERSION};
use super::{Body, FetchError, Requester};
use crate::analysis::filter::wildcard_match;
use crate::catalogue::CATALOGUE;
use crate::signin::{SignIn, SourcePos, json::parse_record};
use crate::time::Timestamp;

pub const DEFAULT_GRAPH_URL: &str = "https://graph.microsoft.com";
/// "The maximum and default page size is 1,000 objects" (DOMAIN.md §1.3 [S7]).
pub const MAX_PAGE_SIZE: u32 = 1000;
/// Most children one dense slice is split into at once (they split again if still dense).
const MAX_CHILDREN: i64 = 64;
pub const EVENT_TYPES: [&str; 2] = ["interactiveUser", "nonInteractiveUser"];

/// What to fetch.
#[derive(Debug, Clone)]
pub struct GraphQuery {
    pub base_url: String,
    pub since: Timestamp,
    pub until: Timestamp,
    /// UPN patterns: exact values and `prefix*` go to the server (`eq`, `startswith`); other
    /// globs are applied to the records on our side.
    pub users: Vec<String>,
    /// One query per legacy `clientAppUsed` value (Microsoft's advice for narrow queries) instead
    /// of every sign-in. A legacy value not in the catalogue is then not fetched; `false`
    /// fetches everything (modern included) and lets the caller filter.
    pub legacy_only: bool,
    pub page_size: u32,
    /// Initial slices per (event type, client app); dense ones split further on their own.
    pub initial_slices: u32,
    /// Slices shorter than this are paged sequentially instead of split.
    pub min_split: Duration,
}

impl GraphQuery {
    pub fn new(since: Timestamp, until: Timestamp) -> Self {
        GraphQuery {
            base_url: DEFAULT_GRAPH_URL.into(),
            since,
            until,
            users: Vec::new(),
            legacy_only: true,
            page_size: MAX_PAGE_SIZE,
            initial_slices: 1,
            min_split: Duration::from_secs(60),
        }
    }

    /// The identity of the request, stored in the checkpoint (no secrets: URL and filter only).
    /// The window is not part of it: a resume continues the checkpoint's own slices, so
    /// `--since 7d` (a different instant on every run) can be resumed.
    pub fn fingerprint(&self) -> String {
        format!(
            "{} users={:?} legacyOnly={} top={}",
            self.base_url.trim_end_matches('/'),
            self.users,
            self.legacy_only,
            self.page_size
        )
    }

    /// The slices of a fresh run.
    pub fn plan(&self) -> Checkpoint {
        let apps: Vec<Option<String>> = if self.legacy_only {
            CATALOGUE.iter().filter(|a| a.is_legacy).map(|a| Some(a.client_app_used.to_owned())).collect()
        } else {
            vec![None]
        };
        let n = self.initial_slices.max(1) as i64;
        let span = (self.until.0 - self.since.0).max(0);
        let mut slices = Vec::new();
        for et in EVENT_TYPES {
            for app in &apps {
                for i in 0..n {
                    let since = Timestamp(self.since.0 + span * i / n);
                    let until = Timestamp(self.since.0 + span * (i + 1) / n);
                    if until > since {
                        slices.push(new_slice(slices.len() as u64, since, until, et, app.clone()));
                    }
                }
            }
        }
        let next_id = slices.len() as u64;
        Checkpoint { version: VERSION, request: self.fingerprint(), slices, output_len: 0, next_id }
    }
}

fn new_slice(id: u64, since: Timestamp, until: Timestamp, et: &str, app: Option<String>) -> SliceState {
    SliceState {
        id,
        since,
        until,
        event_type: et.to_owned(),
        client_app: app,
        done: false,
        next_link: None,
        upper: None,
        boundary_ids: Vec::new(),
        oldest: None,
        records: 0,
        pages: 0,
    }
}

/// An OData string literal: single quotes doubled (OData ABNF), so `o'brien` cannot end it.
pub fn odata_string(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A UPN pattern as a server-side predicate, when Graph can express it.
fn user_predicate(p: &str) -> Option<String> {
    let p = p.trim();
    match p.find('*') {
        None => Some(format!("userPrincipalName eq {}", odata_string(p))),
        Some(i) if i == p.len() - 1 && i > 0 => {
            Some(format!("startswith(userPrincipalName,{})", odata_string(&p[..i])))
        }
        _ => None,
    }
}

/// The `$filter` of a slice's first page.
pub fn slice_filter(s: &SliceState, users: &[String]) -> String {
    let upper = s.upper.clone().unwrap_or_else(|| s.until.to_string());
    let mut f = format!("createdDateTime ge {} and createdDateTime le {upper}", s.since);
    f.push_str(&format!(" and signInEventTypes/any(t: t eq {})", odata_string(&s.event_type)));
    if let Some(app) = &s.client_app {
        f.push_str(&format!(" and clientAppUsed eq {}", odata_string(app)));
    }
    let preds: Option<Vec<String>> = users.iter().map(|u| user_predicate(u)).collect();
    if let Some(preds) = preds.filter(|p| !p.is_empty()) {
        f.push_str(&format!(" and ({})", preds.join(" or ")));
    }
    f
}

/// The URL of a slice's first page. Values are percent-encoded with `%20` for spaces (not the
/// form encoding's `+`, which an OData parser may keep as a plus sign).
pub fn first_page_url(base: &str, s: &SliceState, users: &[String], top: u32) -> Result<String, FetchError> {
    let url = super::join(base, "beta/auditLogs/signIns");
    reqwest::Url::parse(&url).map_err(|e| FetchError::BadRequest(format!("invalid Graph URL '{base}': {e}")))?;
    Ok(format!("{url}?$filter={}&$top={}", super::percent_encode(&slice_filter(s, users)), top.min(MAX_PAGE_SIZE)))
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    value: Vec<Value>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

/// One delivered record: the typed sign-in and the Graph JSON object it came from.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub signin: SignIn,
    pub raw: String,
}

/// Where delivered records go. Returns the output's length after the write (0 when there is
/// no output file), which the checkpoint keeps.
pub trait GraphSink {
    fn deliver(&mut self, records: Vec<Delivered>) -> crate::Result<u64>;
    /// The page as received (for `--save-raw`).
    fn raw_page(&mut self, _slice: &SliceState, _body: &[u8]) -> crate::Result<()> {
        Ok(())
    }
    fn progress(&mut self, _p: &FetchProgress) {}
}

/// Progress and the end-of-run report.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchProgress {
    pub pages: u64,
    pub records: u64,
    pub slices_left: u64,
    pub slices_total: u64,
    pub splits: u64,
    pub restarts: u64,
    pub requests: u64,
    pub retries: u64,
    pub throttle_waits: u64,
    /// Records Graph returned that could not be read (not sign-ins, bad times).
    pub skipped: u64,
}

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Page requests in flight at once (the limiter keeps the rate within the throttle).
    pub concurrency: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions { concurrency: 8 }
    }
}

/// In-memory state of a slice beyond what the checkpoint keeps.
#[derive(Default)]
struct Live {
    delivered: HashSet<String>,
    oldest: Option<(Timestamp, String)>,
}

impl Live {
    /// A slice that re-queries its upper boundary skips what was delivered there already.
    fn starting(s: &SliceState) -> Live {
        Live { delivered: s.boundary_ids.iter().cloned().collect(), oldest: None }
    }
}

/// Fetch every slice of `ckpt` that is not done. The checkpoint is updated (and saved to
/// `ckpt_path` after every page); on error or cancel it holds where to resume.
pub async fn run(
    req: &Requester,
    q: &GraphQuery,
    opts: &RunOptions,
    ckpt: &mut Checkpoint,
    ckpt_path: Option<&Path>,
    cancel: &AtomicBool,
    sink: &mut dyn GraphSink,
) -> crate::Result<FetchProgress> {
    let mut progress = FetchProgress { slices_total: ckpt.slices.len() as u64, ..Default::default() };
    let mut live: HashMap<u64, Live> = HashMap::new();
    let mut ready: VecDeque<u64> = ckpt.slices.iter().filter(|s| !s.done).map(|s| s.id).collect();
    let mut tasks: tokio::task::JoinSet<(u64, PageResult)> = tokio::task::JoinSet::new();
    let result = loop {
        if cancel.load(Ordering::Relaxed) {
            break Err(crate::Error::Cancelled);
        }
        while tasks.len() < opts.concurrency.max(1) {
            let Some(id) = ready.pop_front() else { break };
            let Some(s) = ckpt.slices.iter().find(|s| s.id == id) else { continue };
            let url = match &s.next_link {
                Some(l) => l.clone(),
                None => first_page_url(&q.base_url, s, &q.users, q.page_size)?,
            };
            let r = req.clone();
            tasks.spawn(async move { (id, fetch_page(&r, &url).await) });
        }
        let joined = tokio::select! {
            j = tasks.join_next() => j,
            _ = tokio::time::sleep(Duration::from_millis(200)) => continue,
        };
        let Some(joined) = joined else { break Ok(()) };
        let (id, page) = joined.map_err(|e| crate::Error::Internal(format!("a fetch task failed: {e}")))?;
        let Some(idx) = ckpt.slices.iter().position(|s| s.id == id) else { continue };
        match page {
            Ok((page, body)) => {
                sink.raw_page(&ckpt.slices[idx], &body)?;
                let l = live.entry(id).or_insert_with(|| Live::starting(&ckpt.slices[idx]));
                let more = accept_page(q, ckpt, idx, page, l, sink, &mut progress)?;
                ready.extend(more);
                if let Some(p) = ckpt_path {
                    ckpt.save(p)?;
                }
            }
            Err(FetchError::SkipTokenExpired) => {
                let s = &mut ckpt.slices[idx];
                s.next_link = None;
                if s.oldest.is_some() {
                    s.upper = s.oldest.clone();
                }
                progress.restarts += 1;
                ready.push_back(id);
            }
            Err(FetchError::BadRequest(m)) => {
                // Show what was rejected: the filter of this slice (values as sent).
                let f = slice_filter(&ckpt.slices[idx], &q.users);
                break Err(FetchError::BadRequest(format!("{m} [$filter={f}]")).into());
            }
            Err(e) => break Err(e.into()),
        }
        progress.slices_left = ckpt.remaining() as u64;
        progress.slices_total = ckpt.slices.len() as u64;
        progress.requests = req.stats.requests.load(Ordering::Relaxed);
        progress.retries = req.stats.retries.load(Ordering::Relaxed);
        progress.throttle_waits = req.limiter.throttle_waits.load(Ordering::Relaxed);
        sink.progress(&progress);
    };
    tasks.abort_all();
    if let Some(p) = ckpt_path {
        ckpt.save(p)?;
    }
    result.map(|()| progress)
}

/// A page and its body as received.
type PageResult = Result<(Page, Vec<u8>), FetchError>;

async fn fetch_page(req: &Requester, url: &str) -> PageResult {
    // A truncated body (connection dropped mid-page) is retried like a reset.
    let mut attempt = 0;
    loop {
        let body = req.send(url, Body::Get).await?;
        match serde_json::from_slice::<Page>(&body) {
            Ok(p) => return Ok((p, body)),
            Err(e) if attempt < req.retry.max_retries => {
                attempt += 1;
                req.stats.retries.fetch_add(1, Ordering::Relaxed);
                let _ = e;
                tokio::time::sleep(req.limiter.config().scaled(req.retry.backoff(attempt))).await;
            }
            Err(e) => return Err(FetchError::Failed(format!("Graph returned a page that is not JSON: {e}"))),
        }
    }
}

/// Deliver a page's new records, advance or split the slice; returns slices ready to request.
fn accept_page(
    q: &GraphQuery,
    ckpt: &mut Checkpoint,
    idx: usize,
    page: Page,
    live: &mut Live,
    sink: &mut dyn GraphSink,
    progress: &mut FetchProgress,
) -> crate::Result<Vec<u64>> {
    let full = page.value.len() as u32 >= q.page_size.min(MAX_PAGE_SIZE);
    let (since, until) = (ckpt.slices[idx].since, ckpt.slices[idx].until);
    let mut out = Vec::with_capacity(page.value.len());
    for (n, v) in page.value.iter().enumerate() {
        let raw = v.to_string();
        let pos = SourcePos { file: "graph".into(), line: 0, record: n as u64 + 1 };
        let Some(signin) = parse_record(raw.as_bytes()).ok().and_then(|r| r.into_signin(&pos).ok()) else {
            progress.skipped += 1;
            continue;
        };
        let t = signin.created_date_time;
        let time_text = v.get("createdDateTime").and_then(Value::as_str).unwrap_or_default();
        if live.oldest.as_ref().is_none_or(|(o, _)| t < *o) {
            live.oldest = Some((t, time_text.to_owned()));
        }
        if t >= until || t < since || (!signin.id.is_empty() && !live.delivered.insert(signin.id.clone())) {
            continue;
        }
        if !q.users.is_empty() && !q.users.iter().any(|p| wildcard_match(p, &signin.user_principal_name)) {
            continue;
        }
        out.push(Delivered { signin, raw });
    }
    let delivered = out.len() as u64;
    let boundary: Vec<String> = match &live.oldest {
        Some((_, raw)) => page
            .value
            .iter()
            .filter(|v| v.get("createdDateTime").and_then(Value::as_str) == Some(raw))
            .filter_map(|v| v.get("id").and_then(Value::as_str).map(str::to_owned))
            .collect(),
        None => Vec::new(),
    };
    ckpt.output_len = sink.deliver(out)?;
    progress.pages += 1;
    progress.records += delivered;

    let first_page = ckpt.slices[idx].pages == 0 && ckpt.slices[idx].next_link.is_none();
    let s = &mut ckpt.slices[idx];
    s.pages += 1;
    s.records += delivered;
    s.boundary_ids = boundary.clone();
    // Kept so a restart after an expired skip token (even in a resumed run) knows where to go.
    s.oldest = live.oldest.as_ref().map(|(_, raw)| raw.clone());
    s.next_link = page.next_link;
    if s.next_link.is_none() {
        s.done = true;
        return Ok(Vec::new());
    }
    let oldest = live.oldest.clone();
    let min_split = i64::try_from(q.min_split.as_micros()).unwrap_or(i64::MAX).max(1);
    if let (true, true, Some((t_old, raw_old))) = (first_page, full, oldest)
        && t_old.0 - s.since.0 > min_split
    {
        // Dense: hand the rest of the window to concurrent children, sized from the density of
        // the first page so each is expected to fit in about one page (no wasted requests).
        let top = s.upper.as_deref().and_then(Timestamp::parse).unwrap_or(until);
        let rest = t_old.0 - s.since.0;
        let covered = (top.0 - t_old.0).max(1) as f64;
        let expected_pages = page.value.len() as f64 * rest as f64 / covered / q.page_size.max(1) as f64;
        let k = ((expected_pages * 1.15).ceil() as i64).clamp(2, MAX_CHILDREN).min((rest / min_split).max(2));
        s.done = true;
        s.next_link = None;
        let (et, app, since) = (s.event_type.clone(), s.client_app.clone(), s.since);
        let mut ids = Vec::with_capacity(k as usize);
        for i in 0..k {
            let a = Timestamp(since.0 + rest * i / k);
            let last = i == k - 1;
            let b = if last { until } else { Timestamp(since.0 + rest * (i + 1) / k) };
            let mut child = new_slice(ckpt.next_id, a, b, &et, app.clone());
            if last {
                child.upper = Some(raw_old.clone());
                child.boundary_ids = boundary.clone();
            }
            ckpt.next_id += 1;
            ids.push(child.id);
            ckpt.slices.push(child);
        }
        progress.splits += 1;
        return Ok(ids);
    }
    Ok(vec![s.id])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_are_escaped_and_encoded() {
        let q = GraphQuery::new(
            Timestamp::from_civil(2026, 11, 1, 0, 0, 0, 0),
            Timestamp::from_civil(2026, 11, 2, 0, 0, 0, 0),
        );
        let c = q.plan();
        let s = &c.slices[0];
        let users = vec!["o'brien' or userPrincipalName eq 'x@y.jp".to_owned(), "svc-*".to_owned()];
        let f = slice_filter(s, &users);
        assert!(f.contains("userPrincipalName eq 'o''brien'' or userPrincipalName eq ''x@y.jp'"), "{f}");
        assert!(f.contains("startswith(userPrincipalName,'svc-')"), "{f}");
        assert!(f.starts_with("createdDateTime ge 2026-11-01T00:00:00Z and createdDateTime le 2026-11-02T00:00:00Z"));
        assert!(f.contains("signInEventTypes/any(t: t eq 'interactiveUser')"));
        // A glob Graph cannot express leaves the user predicate out entirely (the patterns are
        // OR-ed, so all of them are then applied locally).
        assert!(!slice_filter(s, &["a@x.jp".into(), "*@z.jp".into()]).contains("userPrincipalName"));
        let url = first_page_url("http://127.0.0.1:1/", s, &["a&b=c#d@x.jp".into()], 5000).unwrap();
        assert!(url.starts_with("http://127.0.0.1:1/beta/auditLogs/signIns?$filter=createdDateTime%20ge%20"), "{url}");
        assert!(url.contains("%27a%26b%3Dc%23d%40x.jp%27") && url.ends_with("&$top=1000"), "{url}");
    }

    #[test]
    fn plan_covers_window_without_gaps() {
        let mut q = GraphQuery::new(Timestamp(0), Timestamp(1_000_003));
        q.legacy_only = false;
        q.initial_slices = 4;
        let c = q.plan();
        assert_eq!(c.slices.len(), 8);
        for et in EVENT_TYPES {
            let s: Vec<_> = c.slices.iter().filter(|s| s.event_type == et).collect();
            assert_eq!(s[0].since, Timestamp(0));
            assert_eq!(s[3].until, Timestamp(1_000_003));
            for w in s.windows(2) {
                assert_eq!(w[0].until, w[1].since);
            }
        }
        q.legacy_only = true;
        q.initial_slices = 1;
        assert_eq!(q.plan().slices.len(), 2 * CATALOGUE.iter().filter(|a| a.is_legacy).count());
    }
}
