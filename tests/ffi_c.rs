//! The C ABI from C: compiles tests/c/abi_test.c with `cc -Wall -Wextra -Werror -pedantic`
//! against include/exchange_auth_tools.h, links it to the built cdylib and runs it.
//!
//! `EXAUTH_C_TEST_WRAPPER` runs the program under a wrapper, e.g. valgrind (see .ci/run):
//! `EXAUTH_C_TEST_WRAPPER="valgrind --leak-check=full --error-exitcode=1" cargo test --test ffi_c`;
//! `EXAUTH_C_TEST_ROUNDS` repeats every check (default 3) so a per-call leak grows.
//! Unix only (the Windows CI job covers the ABI through tests/ffi_abi.rs and the C# harness).
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where cargo put the cdylib it built for this test run: next to this test binary
/// (`target/<profile>/deps/`; the copy in `target/<profile>/` is only refreshed by `cargo build`).
fn cdylib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().expect("target/<profile>/deps").to_path_buf();
    assert!(dir.join("libexchange_auth_tools.so").exists() || dir.join("libexchange_auth_tools.dylib").exists());
    dir
}

#[test]
fn c_program_drives_the_abi() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    if Command::new(&cc).arg("--version").output().is_err() {
        eprintln!("SKIPPED c_program_drives_the_abi: no C compiler ('{cc}') on PATH");
        return;
    }
    let lib_dir = cdylib_dir();
    let out_dir = tempfile::tempdir().unwrap();
    let exe = out_dir.path().join("abi_test");
    let compiled = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O1", "-g"])
        .arg("-I")
        .arg(root.join("include"))
        .arg(root.join("tests/c/abi_test.c"))
        .arg("-L")
        .arg(&lib_dir)
        .arg("-lexchange_auth_tools")
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("run the C compiler");
    assert!(compiled.status.success(), "cc failed:\n{}", String::from_utf8_lossy(&compiled.stderr));

    let rounds = std::env::var("EXAUTH_C_TEST_ROUNDS").unwrap_or_else(|_| "3".into());
    let sample = root.join("tests/fixtures/azure_diagnostic_settings_signinlogs_elastic_test.ndjson");
    let wrapper = std::env::var("EXAUTH_C_TEST_WRAPPER").unwrap_or_default();
    let mut words = wrapper.split_whitespace();
    let mut cmd = match words.next() {
        Some(program) => {
            let mut c = Command::new(program);
            c.args(words).arg(&exe);
            c
        }
        None => Command::new(&exe),
    };
    // cargo test puts target/<profile> on LD_LIBRARY_PATH, which beats the rpath: a stale copy
    // left there by an earlier `cargo build` would be loaded instead of the one just built.
    let run = cmd
        .env("LD_LIBRARY_PATH", &lib_dir)
        .env("DYLD_LIBRARY_PATH", &lib_dir)
        .arg(&sample)
        .arg(&rounds)
        .output()
        .expect("run the C test");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the C test failed ({}):\n{stdout}\n{stderr}", run.status);
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    println!("{}", stdout.trim());
}
