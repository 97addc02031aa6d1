//! Arbitrary bytes as one input file: compression, encoding and format detection, every reader.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::replay("read_bytes", data));
