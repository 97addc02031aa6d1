//! `exauth fetch …` end to end against the loopback fake, and the `fetch.graph` op: records
//! land once in the output, the file reads back with `exauth summary`, `.gz` output is valid,
//! and the token appears nowhere (stdout, stderr, output, checkpoint, raw pages).
#![allow(clippy::field_reassign_with_default)]

#[path = "support/fake_graph.rs"]
mod fake_graph;

use std::collections::HashSet;
use std::io::Read;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use exchange_auth_tools::ops;

const TOKEN: &str = "eyJ0eXAi.CLI-SECRET-TOKEN.sig";

fn window(recs: &[fake_graph::Rec]) -> (String, String) {
    let min = recs.iter().map(|r| r.time).min().unwrap();
    let max = recs.iter().map(|r| r.time).max().unwrap();
    (min.to_string(), exchange_auth_tools::time::Timestamp(max.0 + 1000).to_string())
}

fn exauth(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_exauth"))
        .args(args)
        .env("EXAUTH_ACCESS_TOKEN", TOKEN)
        .env_remove("EXAUTH_CLIENT_SECRET")
        .output()
        .unwrap()
}

fn assert_no_secret_in_dir(dir: &std::path::Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            assert_no_secret_in_dir(&p);
            continue;
        }
        let mut bytes = std::fs::read(&p).unwrap();
        if p.extension().is_some_and(|x| x == "gz") {
            let mut s = Vec::new();
            flate2::read::MultiGzDecoder::new(&bytes[..]).read_to_end(&mut s).unwrap();
            bytes = s;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(TOKEN) && !text.contains("CLI-SECRET"), "token in {}", p.display());
    }
}

#[test]
fn fetch_graph_cli_writes_every_record_once_and_reads_back() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let recs = fake_graph::demo_records(40, 2, 2);
    let mut cfg = fake_graph::Config::default();
    cfg.token = TOKEN.into();
    cfg.faults = [(2, fake_graph::Fault::ServiceUnavailable), (5, fake_graph::Fault::Drop)].into_iter().collect();
    let fake = rt.block_on(fake_graph::start(cfg, recs.clone()));
    let (since, until) = window(&recs);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (out, gz, ckpt, raw) =
        (d.join("signins.ndjson"), d.join("signins.ndjson.gz"), d.join("fetch.ckpt"), d.join("raw"));
    let common = [
        "fetch",
        "graph",
        "--graph-url",
        &fake.url,
        "--since",
        &since,
        "--until",
        &until,
        "--include-modern",
        "--throttle-window-ms",
        "500",
        "--page-size",
        "200",
    ];
    let o = exauth(
        &[
            &common[..],
            &["--out", out.to_str().unwrap(), "--resume", ckpt.to_str().unwrap(), "--save-raw", raw.to_str().unwrap()],
        ]
        .concat(),
    );
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("records"), "{stderr}");
    let text = std::fs::read_to_string(&out).unwrap();
    let ids: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_owned())
        .collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), recs.len());
    assert_eq!(unique.len(), recs.len());
    assert!(std::fs::read_dir(&raw).unwrap().count() >= 2);

    // Running again with the finished checkpoint fetches nothing and keeps the file.
    let o = exauth(&[&common[..], &["--out", out.to_str().unwrap(), "--resume", ckpt.to_str().unwrap()]].concat());
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);

    // The output is an input: the local summary reads it (legacy sign-ins only).
    let o = exauth(&["summary", out.to_str().unwrap(), "--by", "protocol", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let legacy =
        recs.iter().filter(|r| exchange_auth_tools::catalogue::classify(&r.client_app).is_legacy()).count() as u64;
    let total: u64 = rows.as_array().unwrap().iter().map(|r| r["total"].as_u64().unwrap()).sum();
    let in_file = text
        .lines()
        .filter(|l| {
            exchange_auth_tools::catalogue::classify(
                serde_json::from_str::<serde_json::Value>(l).unwrap()["clientAppUsed"].as_str().unwrap(),
            )
            .is_legacy()
        })
        .count() as u64;
    if total != legacy {
        let _ = std::fs::copy(&out, std::env::temp_dir().join("exauth-fetch-cli-mismatch.ndjson"));
    }
    assert_eq!(total, legacy, "in file: {in_file}; rows: {rows:#}");

    // Gzip output: one member per page, the whole file decodes to every record.
    let o = exauth(&[&common[..], &["--out", gz.to_str().unwrap(), "--quiet"]].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut s = String::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&gz).unwrap()).read_to_string(&mut s).unwrap();
    assert_eq!(s.lines().count(), recs.len());
    let o = exauth(&["summary", gz.to_str().unwrap(), "--by", "protocol", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().iter().map(|r| r["total"].as_u64().unwrap()).sum::<u64>(), legacy);

    // No secret anywhere: process output and every file written.
    assert!(!String::from_utf8_lossy(&o.stdout).contains(TOKEN) && !String::from_utf8_lossy(&o.stderr).contains(TOKEN));
    assert!(!stderr.contains(TOKEN));
    assert_no_secret_in_dir(d);
}

#[test]
fn fetch_graph_cli_errors_are_clear_and_secret_free() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let recs = fake_graph::demo_records(5, 1, 1);
    let mut cfg = fake_graph::Config::default();
    cfg.token = "some-other-token".into();
    let fake = rt.block_on(fake_graph::start(cfg, recs.clone()));
    let (since, until) = window(&recs);
    let o = exauth(&[
        "fetch",
        "graph",
        "--graph-url",
        &fake.url,
        "--since",
        &since,
        "--until",
        &until,
        "--throttle-window-ms",
        "500",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("InvalidAuthenticationToken") && !err.contains(TOKEN), "{err}");
    // No credentials at all: a usage-level explanation, not a network attempt.
    let o = Command::new(env!("CARGO_BIN_EXE_exauth"))
        .args(["fetch", "graph", "--graph-url", &fake.url])
        .env_remove("EXAUTH_ACCESS_TOKEN")
        .env_remove("EXAUTH_CLIENT_SECRET")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("EXAUTH_ACCESS_TOKEN"));
}

#[test]
fn show_query_prints_escaped_kql_without_running() {
    let o = exauth(&[
        "fetch",
        "loganalytics",
        "--workspace-id",
        "00000000-0000-0000-0000-000000000000",
        "--user",
        "a\"b|take 1@x.jp",
        "--since",
        "2026-11-01",
        "--show-query",
    ]);
    assert!(o.status.success());
    let q = String::from_utf8_lossy(&o.stdout);
    assert!(q.contains("union") && q.contains("AADNonInteractiveUserSignInLogs"), "{q}");
    assert!(q.contains(r#"UserPrincipalName =~ "a\"b|take 1@x.jp""#), "{q}");
    assert!(q.contains("datetime(2026-11-01T00:00:00Z)"), "{q}");
}

#[test]
fn fetch_graph_op_streams_records_with_progress() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let recs = fake_graph::demo_records(30, 1, 2);
    let mut cfg = fake_graph::Config::default();
    cfg.token = TOKEN.into();
    let fake = rt.block_on(fake_graph::start(cfg, recs.clone()));
    let (since, until) = window(&recs);
    let req = ops::parse_request(
        serde_json::json!({"op": "fetch.graph", "params": {
            "graphUrl": fake.url, "since": since, "until": until, "accessToken": TOKEN, "throttleWindowMs": 500
        }})
        .to_string()
        .as_bytes(),
    )
    .unwrap();
    let job = ops::start(&req, Arc::new(AtomicBool::new(false))).unwrap();
    let mut n = 0;
    loop {
        let b = job.next_batch(100).unwrap();
        if b.is_empty() {
            break;
        }
        for item in &b {
            assert_eq!(item["kind"], "signIn");
            assert!(item["value"]["isLegacy"].as_bool().unwrap());
        }
        n += b.len();
    }
    let legacy = recs.iter().filter(|r| exchange_auth_tools::catalogue::classify(&r.client_app).is_legacy()).count();
    assert_eq!(n, legacy);
    let summary = job.summary().to_string();
    assert!(summary.contains("\"records\"") && !summary.contains(TOKEN), "{summary}");
    assert!(job.progress().done);
}

#[cfg(unix)]
#[test]
fn ctrl_c_saves_a_checkpoint_and_resume_completes_exactly_once() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let recs = fake_graph::demo_records(40, 2, 2);
    let cfg = fake_graph::Config {
        token: TOKEN.into(),
        latency: (std::time::Duration::from_millis(150), std::time::Duration::from_millis(250)),
        ..Default::default()
    };
    let fake = rt.block_on(fake_graph::start(cfg, recs.clone()));
    let (since, until) = window(&recs);
    let dir = tempfile::tempdir().unwrap();
    let (out, ckpt) = (dir.path().join("s.ndjson"), dir.path().join("s.ckpt"));
    let args = [
        "fetch",
        "graph",
        "--graph-url",
        &fake.url,
        "--since",
        &since,
        "--until",
        &until,
        "--include-modern",
        "--throttle-window-ms",
        "500",
        "--page-size",
        "50",
        "--out",
        out.to_str().unwrap(),
        "--resume",
        ckpt.to_str().unwrap(),
    ];
    let child = Command::new(env!("CARGO_BIN_EXE_exauth"))
        .args(args)
        .env("EXAUTH_ACCESS_TOKEN", TOKEN)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // SAFETY: sending SIGINT to our own child process.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", String::from_utf8_lossy(&o.stderr));
    let partial = std::fs::read_to_string(&out).unwrap().lines().count();
    assert!(partial > 0 && partial < recs.len(), "{partial} of {}", recs.len());
    let o = exauth(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ids: Vec<String> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), recs.len());
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), recs.len());
}

#[test]
fn fetch_graph_op_in_time_order() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let recs = fake_graph::demo_records(30, 2, 2);
    let cfg = fake_graph::Config { token: TOKEN.into(), ..Default::default() };
    let fake = rt.block_on(fake_graph::start(cfg, recs.clone()));
    let (since, until) = window(&recs);
    let body = serde_json::json!({"op": "fetch.graph", "params": {
        "graphUrl": fake.url, "since": since, "until": until, "accessToken": TOKEN, "throttleWindowMs": 500,
        "includeModern": true, "pageSize": 100, "order": "time"
    }});
    let job = ops::start(&ops::parse_request(body.to_string().as_bytes()).unwrap(), Arc::new(AtomicBool::new(false)))
        .unwrap();
    let mut times = Vec::new();
    loop {
        let b = job.next_batch(500).unwrap();
        if b.is_empty() {
            break;
        }
        times.extend(b.iter().map(|i| i["value"]["createdDateTime"].as_str().unwrap().to_owned()));
    }
    assert_eq!(times.len(), recs.len());
    let parsed: Vec<_> = times.iter().map(|t| exchange_auth_tools::time::Timestamp::parse(t).unwrap()).collect();
    assert!(parsed.windows(2).all(|w| w[0] <= w[1]), "not in time order");
}
