//! Inputs the fuzz targets (`fuzz/`) once failed on, kept as regression tests: each file in
//! `tests/fuzz_regressions/` is read with the same invariants the targets check.

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        // Files are named `<target>-<what>`: replay them the way that target feeds its input.
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = name.split('-').next().unwrap_or("read_bytes");
        common::replay(target, &data);
        n += 1;
    }
    assert!(n > 0, "the regression inputs are in {}", dir.display());
}
