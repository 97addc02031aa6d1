//! Benchmark: our concurrent Graph fetch against sequential `@odata.nextLink` paging of the
//! same records, both against the loopback fake with the documented throttle (5 requests per
//! 10 s) and a page latency of 2–4 s per 1,000 records. `--scale N` divides every duration (the
//! fake's window and latency and our clocks alike) so a quick run takes seconds; the ratio and
//! the share of the throttle ceiling do not depend on the scale.
//!
//! Usage: cargo run --release --example fetch_bench -- [--scale 10] [--users 1000] [--days 7]

#[path = "../tests/support/fake_graph.rs"]
mod fake_graph;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use exchange_auth_tools::fetch::auth::{Credential, Secret, TokenProvider};
use exchange_auth_tools::fetch::graph::{self, Delivered, GraphQuery, GraphSink, RunOptions};
use exchange_auth_tools::fetch::throttle::ThrottleConfig;
use exchange_auth_tools::fetch::{Requester, throttle::RetryPolicy};
use exchange_auth_tools::messages::Lang;
use exchange_auth_tools::time::Timestamp;

#[derive(Default)]
struct Ids(Vec<String>);

impl GraphSink for Ids {
    fn deliver(&mut self, r: Vec<Delivered>) -> exchange_auth_tools::Result<u64> {
        self.0.extend(r.into_iter().map(|d| d.signin.id));
        Ok(0)
    }
}

fn arg(name: &str, default: f64) -> f64 {
    let a: Vec<String> = std::env::args().collect();
    a.iter().position(|x| x == name).and_then(|i| a.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Run {
    secs: f64,
    ids: Vec<String>,
    requests: u64,
    throttled: u64,
}

async fn run(fake: &fake_graph::Fake, q: &GraphQuery, scale: f64, concurrency: usize, split: bool) -> Run {
    let throttle = ThrottleConfig { time_scale: scale, ..ThrottleConfig::default() };
    let mut req = Requester::new(
        TokenProvider::new(Credential::Token(Secret::new("bench-token")), "https://graph.microsoft.com"),
        throttle,
        Lang::En,
    )
    .unwrap();
    req.retry = RetryPolicy::default();
    let mut q = q.clone();
    if !split {
        q.initial_slices = 1;
        q.min_split = Duration::from_secs(u64::MAX / 4);
    }
    let mut ckpt = q.plan();
    let mut sink = Ids::default();
    let r0 = fake.requests.load(Ordering::SeqCst);
    let t0 = fake.throttled.load(Ordering::SeqCst);
    let start = Instant::now();
    graph::run(&req, &q, &RunOptions { concurrency }, &mut ckpt, None, &AtomicBool::new(false), &mut sink)
        .await
        .unwrap();
    Run {
        secs: start.elapsed().as_secs_f64(),
        ids: sink.0,
        requests: fake.requests.load(Ordering::SeqCst) - r0,
        throttled: fake.throttled.load(Ordering::SeqCst) - t0,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let scale = arg("--scale", 10.0);
    let users = arg("--users", 1000.0) as u32;
    let days = arg("--days", 7.0) as u32;
    let recs = fake_graph::demo_records(users, days, 5);
    let min = recs.iter().map(|r| r.time).min().unwrap();
    let max = recs.iter().map(|r| r.time).max().unwrap();
    let cfg = fake_graph::Config {
        token: "bench-token".into(),
        throttle_requests: 5,
        throttle_window: Duration::from_secs(10).div_f64(scale),
        latency: (Duration::from_secs(2).div_f64(scale), Duration::from_secs(4).div_f64(scale)),
        ..Default::default()
    };
    let fake = fake_graph::start(cfg, recs.clone()).await;
    let mut q = GraphQuery::new(min, Timestamp(max.0 + 1));
    q.base_url = fake.url.clone();
    q.legacy_only = false;
    q.initial_slices = 4;
    q.min_split = Duration::from_secs(60);
    let pages_min = recs.len().div_ceil(1000);
    println!(
        "records: {} ({} pages of 1,000 at least), throttle 5 per 10 s, page latency 2-4 s, time scale 1/{scale}",
        recs.len(),
        pages_min
    );

    let seq = run(&fake, &q, scale, 1, false).await;
    // Let the fake's throttle window empty so the second run starts as fresh as the first.
    tokio::time::sleep(Duration::from_secs(10).div_f64(scale)).await;
    let ours = run(&fake, &q, scale, 8, true).await;
    let real = |s: f64| s * scale;
    let ceiling_rps = 5.0 / 10.0;
    // Share of the throttle ceiling used: answered requests per second against 5 per 10 s; and
    // the stricter figure, records per second against 1,000 records per allowed request.
    let pct = |r: &Run| 100.0 * (r.requests - r.throttled) as f64 / real(r.secs) / ceiling_rps;
    let rec_pct = |r: &Run| 100.0 * r.ids.len() as f64 / real(r.secs) / (ceiling_rps * 1000.0);
    let same = {
        let a: HashSet<&String> = seq.ids.iter().collect();
        let b: HashSet<&String> = ours.ids.iter().collect();
        a == b && a.len() == recs.len() && seq.ids.len() == recs.len() && ours.ids.len() == recs.len()
    };
    for (name, r) in [("sequential nextLink paging", &seq), ("exauth concurrent slices  ", &ours)] {
        println!(
            "{name}: {:>6.1} s (real-time equivalent; {:.2} s measured), {} requests, {} throttled, \
             {:.0} % of the throttle ceiling in requests, {:.0} % in records (1,000 per request)",
            real(r.secs),
            r.secs,
            r.requests,
            r.throttled,
            pct(r),
            rec_pct(r)
        );
    }
    println!(
        "ratio (sequential / ours): {:.2}x; same records, each exactly once: {}",
        seq.secs / ours.secs,
        if same { "yes" } else { "NO" }
    );
    if !same {
        std::process::exit(1);
    }
}
