//! The Log Analytics query API (DOMAIN.md §2.3): `POST {workspace-url}/v1/workspaces/{id}/query`
//! with `{"query": …}`, answered `{"tables":[{"name","columns":[{"name","type"}],"rows":[[…]]}]}`.
//! Also the result tables of the Kusto REST API (v1 `{"Tables":[…]}` and v2 frames), so the
//! same conversion serves [`super::adx`].
//!
//! The pushed-down summary comes back as [`SummaryRow`]s in the same shape as the local
//! summary. What differs, by design: `assessment` is `Migrate` for groups with a success and
//! `FailuresOnly` otherwise (spray / brute-force detection needs per-IP-hour data that the
//! summary does not fetch); `userAgents`, `apps` and `errorCodes` are not fetched (empty).

use serde_json::Value;

use super::kql;
use super::{Body, FetchError, Requester};
use crate::analysis::{Assessment, Filter, GroupBy, SummaryRow};
use crate::catalogue::Protocol;
use crate::signin::{SignIn, SourcePos};
use crate::time::Timestamp;

pub const DEFAULT_WORKSPACE_URL: &str = "https://api.loganalytics.azure.com";
pub const RESOURCE: &str = "https://api.loganalytics.azure.com";
/// "Max records per query: 500,000" (DOMAIN.md §2.3); slices aim well below it.
pub const MAX_ROWS: u64 = 500_000;
pub const SLICE_TARGET_ROWS: u64 = 400_000;

/// One result table, column names and rows of JSON values.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    pub fn col(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.eq_ignore_ascii_case(name))
    }
}

/// The primary result table of any of the three response shapes.
pub fn primary_table(v: &Value) -> Result<Table, FetchError> {
    let bad = || FetchError::Failed("the query response has no result table".into());
    let (cols, rows, name_key, type_key) = if let Some(frames) = v.as_array() {
        // Kusto v2: frames; the DataTable with TableKind PrimaryResult.
        let t = frames
            .iter()
            .find(|f| {
                f.get("FrameType").and_then(Value::as_str) == Some("DataTable")
                    && f.get("TableKind").and_then(Value::as_str) == Some("PrimaryResult")
            })
            .ok_or_else(bad)?;
        (t.get("Columns"), t.get("Rows"), "ColumnName", "ColumnType")
    } else if let Some(ts) = v.get("tables").and_then(Value::as_array) {
        let t = ts.first().ok_or_else(bad)?;
        (t.get("columns"), t.get("rows"), "name", "type")
    } else if let Some(ts) = v.get("Tables").and_then(Value::as_array) {
        let t = ts.first().ok_or_else(bad)?;
        (t.get("Columns"), t.get("Rows"), "ColumnName", "DataType")
    } else {
        return Err(bad());
    };
    let _ = type_key;
    let columns = cols
        .and_then(Value::as_array)
        .ok_or_else(bad)?
        .iter()
        .map(|c| c.get(name_key).and_then(Value::as_str).unwrap_or_default().to_owned())
        .collect();
    let rows = rows.and_then(Value::as_array).ok_or_else(bad)?.iter().filter_map(|r| r.as_array().cloned()).collect();
    Ok(Table { columns, rows })
}

/// Run a query against a workspace.
pub async fn query(req: &Requester, workspace_url: &str, workspace_id: &str, kql: &str) -> Result<Table, FetchError> {
    let url = super::join(workspace_url, &format!("v1/workspaces/{}/query", super::percent_encode(workspace_id)));
    let body = serde_json::json!({ "query": kql });
    let bytes = req.send(&url, Body::Json(&body)).await?;
    let v: Value = serde_json::from_slice(&bytes)
        .map_err(|e| FetchError::Failed(format!("the query response is not JSON: {e}")))?;
    if let Some(e) = v.get("error").filter(|e| e.get("code").and_then(Value::as_str) == Some("PartialError")) {
        // A partial result must not pass as a whole one: the summary would silently undercount.
        return Err(FetchError::Failed(format!(
            "the workspace returned a partial result: {}",
            e.get("message").and_then(Value::as_str).unwrap_or("")
        )));
    }
    primary_table(&v)
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

fn number(v: Option<&Value>) -> u64 {
    match v {
        Some(Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)).unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

fn time(v: Option<&Value>) -> Option<Timestamp> {
    v.and_then(Value::as_str).and_then(Timestamp::parse)
}

/// A dynamic array, given as an array or as JSON text (engines differ).
fn string_set(v: Option<&Value>) -> Vec<String> {
    let arr = match v {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::String(s)) => serde_json::from_str::<Vec<Value>>(s).unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut out: Vec<String> = arr.iter().map(|x| text(Some(x))).filter(|s| !s.is_empty()).collect();
    out.sort();
    out.dedup();
    out
}

/// Protocol names in the local summary's order (the catalogue's), not alphabetical.
fn protocol_set(v: Option<&Value>) -> Vec<String> {
    let mut ps: Vec<Protocol> = string_set(v).iter().filter_map(|n| Protocol::from_name(n)).collect();
    ps.sort();
    ps.dedup();
    ps.into_iter().map(|p| p.name().to_owned()).collect()
}

/// Convert the rows of [`kql::summary_query`] into summary rows (sorted like the local summary).
pub fn summary_rows(t: &Table, by: GroupBy) -> Vec<SummaryRow> {
    let get = |r: &Vec<Value>, name: &str| t.col(name).and_then(|i| r.get(i)).cloned();
    let mut rows: Vec<SummaryRow> = t
        .rows
        .iter()
        .map(|r| {
            let key = text(get(r, "Key").as_ref());
            let display = text(get(r, "Display").as_ref());
            let proto_name = text(get(r, "Protocol").as_ref());
            let unknown_app = text(get(r, "UnknownApp").as_ref());
            let per_protocol = matches!(by, GroupBy::UserProtocol | GroupBy::Protocol);
            let protocol = if per_protocol { proto_name.clone() } else { String::new() };
            let client_app_used = if !per_protocol {
                String::new()
            } else if !unknown_app.is_empty() {
                unknown_app
            } else {
                Protocol::from_name(&proto_name).map(|p| p.entry().client_app_used.to_owned()).unwrap_or_default()
            };
            let total = number(get(r, "Total").as_ref());
            let succeeded = number(get(r, "Succeeded").as_ref());
            let day = if by == GroupBy::Day {
                time(get(r, "Key").as_ref()).map(|t| t.date_string()).unwrap_or_default()
            } else {
                String::new()
            };
            let shown_key = match by {
                GroupBy::Protocol => protocol.clone(),
                GroupBy::Day => day.clone(),
                GroupBy::Country => key.clone(),
                GroupBy::UserProtocol | GroupBy::User | GroupBy::App => display.clone(),
                GroupBy::IP => key.clone(),
            };
            SummaryRow {
                group_by: by,
                user_principal_name: if matches!(by, GroupBy::UserProtocol | GroupBy::User) {
                    display.clone()
                } else {
                    String::new()
                },
                app_display_name: if by == GroupBy::App { display.clone() } else { String::new() },
                ip_address: if by == GroupBy::IP { key.clone() } else { String::new() },
                country_or_region: if by == GroupBy::Country { key.clone() } else { String::new() },
                day,
                key: shown_key,
                client_app_used,
                protocols: protocol_set(get(r, "Protocols").as_ref()),
                protocol,
                total,
                succeeded,
                failed: total.saturating_sub(succeeded),
                first_seen: time(get(r, "FirstSeen").as_ref()),
                last_seen: time(get(r, "LastSeen").as_ref()),
                last_success: time(get(r, "LastSuccess").as_ref()),
                distinct_ip_count: number(get(r, "DistinctIps").as_ref()),
                distinct_user_count: number(get(r, "DistinctUsers").as_ref()),
                interactive: number(get(r, "Interactive").as_ref()),
                non_interactive: number(get(r, "NonInteractive").as_ref()),
                ropc: number(get(r, "Ropc").as_ref()),
                countries: string_set(get(r, "Countries").as_ref()),
                user_agents: Vec::new(),
                apps: Vec::new(),
                error_codes: Vec::new(),
                spray_ip_count: 0,
                assessment: if succeeded > 0 { Assessment::Migrate } else { Assessment::FailuresOnly },
            }
        })
        .collect();
    crate::analysis::summary::sort_rows(&mut rows, by);
    rows
}

/// Rows of [`kql::records_query`] as sign-in records (through the same record reader as files).
pub fn records(t: &Table, problems: &mut u64) -> Vec<SignIn> {
    t.rows
        .iter()
        .enumerate()
        .filter_map(|(n, r)| {
            let obj: serde_json::Map<String, Value> =
                t.columns.iter().cloned().zip(r.iter().cloned()).filter(|(_, v)| !v.is_null()).collect();
            let bytes = serde_json::to_vec(&Value::Object(obj)).ok()?;
            let pos = SourcePos { file: "query".into(), line: 0, record: n as u64 + 1 };
            let s = crate::signin::json::parse_record(&bytes).ok().and_then(|raw| raw.into_signin(&pos).ok());
            if s.is_none() {
                *problems += 1;
            }
            s
        })
        .collect()
}

/// A query target: Log Analytics workspace or ADX database.
#[derive(Debug, Clone)]
pub enum Target {
    Workspace { url: String, id: String },
    Adx { cluster: String, database: String },
}

impl Target {
    pub async fn run(&self, req: &Requester, kql: &str) -> Result<Table, FetchError> {
        match self {
            Target::Workspace { url, id } => query(req, url, id, kql).await,
            Target::Adx { cluster, database } => super::adx::query(req, cluster, database, kql).await,
        }
    }
}

/// The pushed-down summary.
pub async fn summary(
    req: &Requester,
    target: &Target,
    filter: &Filter,
    by: GroupBy,
) -> Result<Vec<SummaryRow>, FetchError> {
    let t = target.run(req, &kql::summary_query(filter, by)).await?;
    Ok(summary_rows(&t, by))
}

/// Raw records in time slices, each under the row limit (a slice above it is halved first).
/// `emit` gets each slice's records in time order.
pub async fn records_sliced(
    req: &Requester,
    target: &Target,
    filter: &Filter,
    emit: &mut dyn FnMut(Vec<SignIn>) -> crate::Result<()>,
) -> crate::Result<u64> {
    let (Some(since), Some(until)) = (filter.since, filter.until) else {
        return Err(crate::Error::InvalidRequest("raw records need both --since and --until".into()));
    };
    let mut stack = vec![(since, until)];
    let mut problems = 0u64;
    while let Some((a, b)) = stack.pop() {
        let f = Filter { since: Some(a), until: Some(b), ..filter.clone() };
        let n = target.run(req, &kql::count_query(&f)).await?;
        let count = n.rows.first().and_then(|r| r.first()).map(|v| number(Some(v))).unwrap_or(0);
        if count > SLICE_TARGET_ROWS && b.0 - a.0 > 1_000_000 {
            let mid = Timestamp(a.0 + (b.0 - a.0) / 2);
            // Later half pushed first so the earlier half is fetched first (time order).
            stack.push((mid, b));
            stack.push((a, mid));
            continue;
        }
        if count == 0 {
            continue;
        }
        let t = target.run(req, &kql::records_query(&f)).await?;
        emit(records(&t, &mut problems))?;
    }
    Ok(problems)
}
