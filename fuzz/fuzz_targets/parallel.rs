//! Differential: the parallel NDJSON and CSV summaries (any chunking, any worker count) against
//! the sequential reader, wherever the parallel readers take the input.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::replay("parallel", data));
