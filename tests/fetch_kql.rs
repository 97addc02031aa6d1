//! The pushed-down summary equals the local summary: our generated KQL is executed by an
//! independent KQL engine (duckdb-kql, serving the Kusto REST API on 127.0.0.1) over
//! `SigninLogs` / `AADNonInteractiveUserSignInLogs` tables loaded from the very sign-ins the
//! local summary reads, through our own ADX client. Skipped, with the reason printed, only when
//! python3 or duckdb-kql is not installed (`.ci/run` installs it).

#[path = "support/fake_graph.rs"]
mod fake_graph;

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use exchange_auth_tools::analysis::run::{SummaryJob, run_summary};
use exchange_auth_tools::analysis::{Filter, GroupBy, SummaryRow};
use exchange_auth_tools::demo::{Scenario, generate, graph::write_event};
use exchange_auth_tools::fetch::auth::{Credential, Secret, TokenProvider};
use exchange_auth_tools::fetch::loganalytics::{self, Target};
use exchange_auth_tools::fetch::throttle::ThrottleConfig;
use exchange_auth_tools::fetch::{Requester, kql};
use exchange_auth_tools::messages::Lang;
use exchange_auth_tools::time::Timestamp;
use serde_json::{Value, json};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn duckdb_kql_available() -> Result<(), String> {
    match Command::new("python3").args(["-c", "import duckdb, duckdb_kql"]).output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!("python3 cannot import duckdb_kql: {}", String::from_utf8_lossy(&o.stderr).trim())),
        Err(e) => Err(format!("python3 is not available: {e}")),
    }
}

/// Write the same sign-ins as Graph NDJSON (for the local summary) and as the two Log Analytics
/// tables (NDJSON with the documented column types; `LocationDetails` dynamic in `SigninLogs`,
/// JSON text in the non-interactive table, DOMAIN.md §2.1).
fn write_data(dir: &Path) -> usize {
    let mut s = Scenario::demo();
    s.users = 400;
    s.days = 3;
    s.modern_per_user_day = 1;
    s.legacy_users = 40;
    s.spray_targets = 120;
    let mut graph = std::fs::File::create(dir.join("graph.ndjson")).unwrap();
    let mut inter = std::fs::File::create(dir.join("interactive.ndjson")).unwrap();
    let mut non = std::fs::File::create(dir.join("noninteractive.ndjson")).unwrap();
    let mut n = 0;
    generate(&s, |e| {
        let mut buf = Vec::new();
        write_event(&mut buf, e).unwrap();
        graph.write_all(&buf).unwrap();
        graph.write_all(b"\n").unwrap();
        let g: Value = serde_json::from_slice(&buf).unwrap();
        let loc = g["location"].clone();
        let row = json!({
            "TimeGenerated": g["createdDateTime"], "CreatedDateTime": g["createdDateTime"], "Id": g["id"],
            "UserPrincipalName": g["userPrincipalName"], "UserId": g["userId"], "UserDisplayName": g["userDisplayName"],
            "ClientAppUsed": g["clientAppUsed"], "AppDisplayName": g["appDisplayName"], "AppId": g["appId"],
            "ResourceDisplayName": g["resourceDisplayName"], "IPAddress": g["ipAddress"],
            "Location": loc["countryOrRegion"],
            "LocationDetails": if e.interactive { loc.clone() } else { Value::String(loc.to_string()) },
            "ResultType": g["status"]["errorCode"].to_string(),
            "ResultDescription": g["status"]["failureReason"],
            "AuthenticationProtocol": g["authenticationProtocol"], "UserAgent": g["userAgent"],
            "CorrelationId": g["correlationId"], "IsInteractive": e.interactive,
        });
        let f = if e.interactive { &mut inter } else { &mut non };
        writeln!(f, "{row}").unwrap();
        n += 1;
    });
    let cols = |loc: &str| {
        format!(
            "{{'TimeGenerated':'TIMESTAMP','CreatedDateTime':'TIMESTAMP','Id':'VARCHAR','UserPrincipalName':'VARCHAR',\
             'UserId':'VARCHAR','UserDisplayName':'VARCHAR','ClientAppUsed':'VARCHAR','AppDisplayName':'VARCHAR',\
             'AppId':'VARCHAR','ResourceDisplayName':'VARCHAR','IPAddress':'VARCHAR','Location':'VARCHAR',\
             'LocationDetails':'{loc}','ResultType':'VARCHAR','ResultDescription':'VARCHAR',\
             'AuthenticationProtocol':'VARCHAR','UserAgent':'VARCHAR','CorrelationId':'VARCHAR','IsInteractive':'BOOLEAN'}}"
        )
    };
    let init = format!(
        "CREATE TABLE SigninLogs AS SELECT * FROM read_json('{}', format='newline_delimited', columns={});\n\
         CREATE TABLE AADNonInteractiveUserSignInLogs AS SELECT * FROM read_json('{}', format='newline_delimited', columns={});\n",
        dir.join("interactive.ndjson").display(),
        cols("JSON"),
        dir.join("noninteractive.ndjson").display(),
        cols("VARCHAR")
    );
    std::fs::write(dir.join("init.sql"), init).unwrap();
    n
}

fn start_server(dir: &Path) -> (Server, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("python3")
        .args(["-m", "duckdb_kql", "serve", ":memory:", "--init"])
        .arg(dir.join("init.sql"))
        .args(["--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let t0 = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(t0.elapsed() < Duration::from_secs(60), "duckdb-kql did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (server, format!("http://127.0.0.1:{port}"))
}

/// A Log Analytics query API on loopback in front of the same engine: takes
/// `POST /v1/workspaces/{id}/query {"query"}`, runs it on duckdb-kql, answers in the Log
/// Analytics shape `{"tables":[{"name","columns":[{"name","type"}],"rows"}]}` (DOMAIN.md §2.3).
async fn log_analytics_proxy(kusto: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let (http, kusto) = (http.clone(), kusto.clone());
            tokio::spawn(async move {
                use tokio::io::AsyncWriteExt;
                let Some((head, body)) = fake_graph::read_request(&mut sock).await else { return };
                let ok_path = head.starts_with("POST /v1/workspaces/ws-1/query ");
                let q: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let (status, out) = if !ok_path || !q["query"].is_string() {
                    ("404 Not Found", json!({"error": {"code": "PathNotFound", "message": head}}))
                } else {
                    let r = http
                        .post(format!("{kusto}/v1/rest/query"))
                        .header("content-type", "application/json")
                        .body(json!({"db": "memory", "csl": q["query"]}).to_string())
                        .send()
                        .await
                        .unwrap();
                    let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
                    let t = &v["Tables"][0];
                    let cols: Vec<Value> = t["Columns"]
                        .as_array()
                        .map(|c| c.iter().map(|c| json!({"name": c["ColumnName"], "type": c["ColumnType"]})).collect())
                        .unwrap_or_default();
                    ("200 OK", json!({"tables": [{"name": "PrimaryResult", "columns": cols, "rows": t["Rows"]}]}))
                };
                let body = out.to_string();
                let resp = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    url
}

fn local(dir: &Path, filter: &Filter, by: GroupBy) -> Vec<SummaryRow> {
    let job = SummaryJob {
        paths: vec![dir.join("graph.ndjson")],
        filter: filter.clone(),
        by,
        thresholds: Default::default(),
        lang: Default::default(),
    };
    run_summary(&job, &mut |_, _| {}).unwrap().0.rows
}

/// The measures both summaries compute, keyed by the group.
fn comparable(rows: &[SummaryRow]) -> Vec<String> {
    let t = |x: Option<Timestamp>| x.map(|t| t.to_string()).unwrap_or_default();
    let mut v: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}|{}|{}|{}|{}|{}|{} total={} ok={} failed={} first={} last={} lastOk={} ips={} users={} inter={} non={} ropc={} countries={:?} protocols={:?}",
                r.key.to_lowercase(),
                r.user_principal_name.to_lowercase(),
                r.protocol,
                r.client_app_used,
                r.app_display_name.to_lowercase(),
                r.ip_address,
                r.day,
                r.total,
                r.succeeded,
                r.failed,
                t(r.first_seen),
                t(r.last_seen),
                t(r.last_success),
                r.distinct_ip_count,
                r.distinct_user_count,
                r.interactive,
                r.non_interactive,
                r.ropc,
                r.countries,
                r.protocols,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn pushed_down_summary_equals_local_summary_on_an_independent_kql_engine() {
    if let Err(why) = duckdb_kql_available() {
        eprintln!("SKIPPED pushed_down_summary_equals_local_summary: {why} (pip install duckdb duckdb-kql)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let n = write_data(dir.path());
    assert!(n > 2000, "{n}");
    let (_server, url) = start_server(dir.path());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let la_url = rt.block_on(log_analytics_proxy(url.clone()));
    let tokens = TokenProvider::new(Credential::Token(Secret::new("unused-by-loopback")), url.clone());
    let req = Requester::new(tokens, ThrottleConfig { requests: 1000, ..Default::default() }, Lang::En).unwrap();
    let target = Target::Adx { cluster: url, database: "memory".into() };

    let day2 = Timestamp::from_civil(2026, 11, 2, 0, 0, 0, 0);
    let day3 = Timestamp::from_civil(2026, 11, 3, 0, 0, 0, 0);
    let filters = [
        Filter::default(),
        Filter { since: Some(day2), until: Some(day3), ..Default::default() },
        Filter {
            users: vec!["*@contoso.co.jp".into()],
            outcome: exchange_auth_tools::analysis::Outcome::Success,
            ..Default::default()
        },
    ];
    for filter in &filters {
        for by in GroupBy::ALL {
            let kql_rows = rt.block_on(loganalytics::summary(&req, &target, filter, by)).unwrap_or_else(|e| {
                panic!("{by:?}: {e}\n{}", kql::summary_query(filter, by));
            });
            let local_rows = local(dir.path(), filter, by);
            assert!(!local_rows.is_empty(), "{by:?}");
            let (a, b) = (comparable(&local_rows), comparable(&kql_rows));
            let diff: Vec<_> = a.iter().filter(|x| !b.contains(x)).take(3).collect();
            let extra: Vec<_> = b.iter().filter(|x| !a.contains(x)).take(3).collect();
            assert!(
                diff.is_empty() && extra.is_empty() && a.len() == b.len(),
                "{by:?} {filter:?}\nlocal only: {diff:#?}\nKQL only: {extra:#?}"
            );
            // Same order too (most successes first), compared on the key and counts.
            let order = |r: &[SummaryRow]| r.iter().map(|x| (x.succeeded, x.total)).collect::<Vec<_>>();
            assert_eq!(order(&local_rows), order(&kql_rows), "{by:?}");
        }
    }

    // The Log Analytics query API path and response shape run the same KQL to the same rows.
    let workspace = Target::Workspace { url: la_url, id: "ws-1".into() };
    for by in [GroupBy::UserProtocol, GroupBy::Day] {
        let via_la = rt.block_on(loganalytics::summary(&req, &workspace, &Filter::default(), by)).unwrap();
        assert_eq!(comparable(&via_la), comparable(&local(dir.path(), &Filter::default(), by)), "{by:?}");
    }

    // Raw records, sliced: the same legacy sign-ins as the local reader keeps.
    let mut got = Vec::new();
    let f = Filter {
        since: Some(Timestamp::from_civil(2026, 11, 1, 0, 0, 0, 0)),
        until: Some(Timestamp::from_civil(2026, 11, 4, 0, 0, 0, 0)),
        ..Default::default()
    };
    let problems = rt
        .block_on(loganalytics::records_sliced(&req, &target, &f, &mut |r| {
            got.extend(r);
            Ok(())
        }))
        .unwrap();
    assert_eq!(problems, 0);
    let total_legacy: u64 = local(dir.path(), &f, GroupBy::Protocol).iter().map(|r| r.total).sum();
    assert_eq!(got.len() as u64, total_legacy);
    let mut ids: Vec<_> = got.iter().map(|s| s.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), got.len());

    // Hostile user values stay inside their string literals: the query runs and matches nobody.
    for evil in [r#"x" or 1==1 //"#, "a' | take 1", r#"\" | summarize count() //"#, "*\"|*"] {
        let f = Filter { users: vec![evil.into()], ..Default::default() };
        let rows = rt.block_on(loganalytics::summary(&req, &target, &f, GroupBy::User)).unwrap();
        assert!(rows.is_empty(), "{evil}: {rows:?}");
    }
}
