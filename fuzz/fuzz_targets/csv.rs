//! Arbitrary rows under a real portal-style header, so every input reaches the CSV reader.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::replay("csv", data));
