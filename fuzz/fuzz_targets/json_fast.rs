//! Differential: sonic-rs and serde_json read the same fields from any record sonic-rs accepts
//! (the parallel NDJSON summary parses with sonic-rs, everything else with serde_json).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::replay("json_fast", data));
