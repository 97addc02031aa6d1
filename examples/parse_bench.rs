//! The legacy-line parse of the parallel NDJSON summary, serde_json against sonic-rs (the
//! figure behind the sonic-rs line of Cargo.toml): parses every line of FILE whose client app is
//! not modern with both, best of 5, and prints the times and the ratio.
//!
//! Usage: `cargo run --release --example parse_bench -- FILE` (e.g. `bench/data/graph-ndjson-100MB.dat`).

use std::time::{Duration, Instant};

use exchange_auth_tools::analysis::Filter;
use exchange_auth_tools::signin::fast::FastSkip;
use exchange_auth_tools::signin::json::{parse_record, parse_record_fast};

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_bench FILE");
        std::process::exit(2);
    };
    let text = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("parse_bench: {path}: {e}");
        std::process::exit(3);
    });
    let skip = FastSkip::for_filter(&Filter::default()).expect("legacy-only filter skips");
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').map(<[u8]>::trim_ascii).filter(|l| !l.is_empty()).collect();
    let legacy: Vec<&[u8]> = lines.iter().copied().filter(|l| !skip.skips(l)).collect();
    let bytes: usize = legacy.iter().map(|l| l.len()).sum();
    let serde = best_of(5, || {
        for l in &legacy {
            std::hint::black_box(parse_record(l).ok());
        }
    });
    let sonic = best_of(5, || {
        for l in &legacy {
            std::hint::black_box(parse_record_fast(l).or_else(|| parse_record(l).ok()));
        }
    });
    println!(
        "{} of {} lines parsed ({:.1} MB): serde_json {serde:?}, sonic-rs {sonic:?}, {:.2}x",
        legacy.len(),
        lines.len(),
        bytes as f64 / 1e6,
        serde.as_secs_f64() / sonic.as_secs_f64()
    );
}
