//! Test support shared by the registry tests.
#![allow(dead_code)]

pub mod hive_writer;

use std::path::Path;

use exchange_auth_tools::registry::RegValue;
use exchange_auth_tools::registry::regfile::{self, KeyRef, Root, Section};

/// The real-format samples copied into the repository (`tests/fixtures`, source notes in
/// `tests/fixtures/SOURCES.md`), so the tests need nothing outside the checkout.
pub fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// One section of HKCU values.
pub fn hkcu(path: &str, values: &[(&str, Option<RegValue>)]) -> Section {
    Section {
        key: KeyRef::new(Root::CurrentUser, path),
        delete: false,
        values: values.iter().map(|(n, v)| ((*n).to_owned(), v.clone())).collect(),
    }
}

/// The same sections as a UTF-8 .reg file with LF endings (like Microsoft's samples).
pub fn utf8_reg(sections: &[Section]) -> Vec<u8> {
    regfile::render(sections).replace("\r\n", "\n").into_bytes()
}
