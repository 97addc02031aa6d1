//! The PowerShell module's C# interop (`powershell/Private/ExchangeAuthTools.Native.cs`, the exact
//! file the module passes to Add-Type) compiled at the language level Windows PowerShell 5.1
//! accepts (`mcs -langversion:5`) and run by Mono against the real cdylib that `cargo test` built,
//! through `tests/mono/Harness.cs`: ABI version, one-shot calls, a streamed job over a real sample
//! in batches with progress, cancel mid-stream, errors in Japanese, freeing.
//!
//! Skips (with the reason printed) only when `mcs`/`mono` are not installed (`.ci/run` installs
//! them) or when the cdylib does not export the C ABI yet (detected with dlsym, not guessed).

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SAMPLE: &str = "tests/fixtures/azure_diagnostic_settings_signinlogs_elastic_test.ndjson";

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// The cdylib `cargo test` built next to this test binary (`target/<profile>/deps`), or
/// `EAT_CDYLIB` when set.
fn cdylib() -> PathBuf {
    if let Some(p) = std::env::var_os("EAT_CDYLIB") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("test binary path");
    let deps = exe.parent().expect("deps directory");
    let name = format!("{}exchange_auth_tools{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    [deps.join(&name), deps.parent().expect("profile directory").join(&name)]
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| deps.join(name))
}

/// The first of `symbols` the library does not export, using the platform loader itself.
#[cfg(unix)]
fn missing_symbol(lib: &Path, symbols: &[&str]) -> Option<String> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let path = CString::new(lib.as_os_str().as_bytes()).expect("path without NUL");
    // SAFETY: dlopen/dlsym/dlclose with valid NUL-terminated strings; the handle is closed once.
    unsafe {
        let h = libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
        assert!(!h.is_null(), "cannot dlopen {}", lib.display());
        let missing = symbols.iter().find(|s| {
            let name = CString::new(**s).expect("symbol without NUL");
            libc::dlsym(h, name.as_ptr()).is_null()
        });
        libc::dlclose(h);
        missing.map(|s| (*s).to_owned())
    }
}

/// The native functions the C# looks up (`lib.Function<…>("eat_…")`), read from the C# itself.
fn csharp_imports() -> Vec<String> {
    let cs = std::fs::read_to_string(Path::new(ROOT).join("powershell/Private/ExchangeAuthTools.Native.cs"))
        .expect("read the C# interop");
    cs.split("Function<")
        .skip(1)
        .filter_map(|s| s.split_once("(\"").and_then(|(_, rest)| rest.split_once('"')).map(|(n, _)| n.to_owned()))
        .collect()
}

/// A larger input for cancel and interleaving: the real sample's records repeated.
fn large_input(dir: &Path) -> PathBuf {
    let sample = std::fs::read_to_string(Path::new(ROOT).join(SAMPLE)).expect("read the sample");
    let lines: Vec<&str> = sample.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut out = String::new();
    for _ in 0..1500 {
        for l in &lines {
            out.push_str(l);
            out.push('\n');
        }
    }
    let p = dir.join("large.ndjson");
    std::fs::write(&p, out).expect("write the large input");
    p
}

#[test]
fn csharp_interop_drives_the_cdylib_under_mono() {
    if !have("mcs") || !Command::new("mono").arg("--version").output().is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: mcs/mono not installed (apt-get install -y mono-mcs mono-runtime; .ci/run does)");
        return;
    }
    let imports = csharp_imports();
    assert!(imports.len() >= 11 && imports.iter().any(|i| i == "eat_job_cancel"), "{imports:?}");
    let lib = cdylib();
    assert!(lib.exists(), "cdylib not found at {}", lib.display());
    #[cfg(unix)]
    if let Some(sym) = missing_symbol(&lib, &imports.iter().map(String::as_str).collect::<Vec<_>>()) {
        eprintln!("SKIPPED: {} does not export {sym}: the C ABI (src/ffi) is not in this build yet", lib.display());
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let exe = dir.path().join("Harness.exe");
    let out = Command::new("mcs")
        .args(["-langversion:5", "-warnaserror+", "-nologo"])
        .arg(format!("-out:{}", exe.display()))
        .arg(Path::new(ROOT).join("powershell/Private/ExchangeAuthTools.Native.cs"))
        .arg(Path::new(ROOT).join("tests/mono/Harness.cs"))
        .output()
        .expect("run mcs");
    assert!(
        out.status.success(),
        "mcs -langversion:5 rejected the interop:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let large = large_input(dir.path());
    let run = Command::new("mono")
        .arg(&exe)
        .arg(&lib)
        .arg(exchange_auth_tools::ops::ABI_VERSION.to_string())
        .arg(Path::new(ROOT).join(SAMPLE))
        .arg(&large)
        .output()
        .expect("run mono");
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "harness failed ({}):\n{stdout}", run.status);
    for step in [
        "ok abi_version",
        "ok call_catalogue_ja",
        "ok error_message_in_japanese",
        "ok scan_count_matches_summary_stats",
        "ok cancel_honoured_within_one_batch",
        "ok interleaved_jobs",
        "ok buffers_and_jobs_freed",
    ] {
        assert!(stdout.lines().any(|l| l == step), "missing '{step}' in:\n{stdout}");
    }
    assert!(stdout.lines().any(|l| l.starts_with("HARNESS PASS ")), "{stdout}");
}
