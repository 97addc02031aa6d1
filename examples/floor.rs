//! The physical floor of the NDJSON summary benchmark (bench/run.sh): count the newlines of a
//! file on N threads with memchr over the memory-mapped file. Nothing can summarise the file
//! faster than it can find its lines, so our speed is quoted against this.
//!
//! Usage: `cargo run --release --example floor -- FILE [THREADS]` (default 2 threads).
//! Prints `lines=<n> seconds=<s> gbps=<GB/s>`.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: floor FILE [THREADS]");
        std::process::exit(2);
    };
    let threads: usize = args.next().and_then(|t| t.parse().ok()).filter(|&t| t > 0).unwrap_or(2);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        eprintln!("floor: {path}: {e}");
        std::process::exit(3);
    });
    let started = Instant::now();
    // SAFETY: read-only map of a file nobody writes during the benchmark.
    let map = unsafe { memmap2::Mmap::map(&file) }.unwrap_or_else(|e| {
        eprintln!("floor: {path}: {e}");
        std::process::exit(3);
    });
    let part = map.len().div_ceil(threads).max(1);
    let lines: usize = std::thread::scope(|s| {
        let handles: Vec<_> =
            map.chunks(part).map(|c| s.spawn(move || memchr::memchr_iter(b'\n', c).count())).collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let seconds = started.elapsed().as_secs_f64();
    println!("lines={lines} seconds={seconds:.4} gbps={:.2}", map.len() as f64 / seconds / 1e9);
}
