//! Arbitrary bytes inside a Graph page's `value` array: the element scanner and its recovery.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::replay("json_page", data));
