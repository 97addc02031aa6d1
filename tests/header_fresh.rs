//! The checked-in C header must be what cbindgen generates from src/ffi/mod.rs today, and its
//! `EAT_ABI_VERSION` must be the library's ABI version. Regenerate with
//! `EXAUTH_REGENERATE_HEADER=1 cargo test --test header_fresh`.

use std::path::Path;

const HEADER: &str = "include/exchange_auth_tools.h";

fn generate() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml parses");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/ffi/mod.rs"))
        .generate()
        .expect("cbindgen generates the header from src/ffi/mod.rs");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("the header is UTF-8")
}

#[test]
fn header_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(HEADER);
    let fresh = generate();
    if std::env::var_os("EXAUTH_REGENERATE_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).expect("write the header");
        eprintln!("rewrote {HEADER}");
        return;
    }
    // A Windows checkout may have turned LF into CRLF: compare the text, not the line ends.
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default().replace("\r\n", "\n");
    assert!(
        checked_in == fresh,
        "{HEADER} is stale (the C ABI in src/ffi changed). Regenerate it with\n  \
         EXAUTH_REGENERATE_HEADER=1 cargo test --test header_fresh\nand commit it."
    );
}

#[test]
fn header_declares_the_abi_version_and_every_export() {
    let header = generate();
    let version = exchange_auth_tools::ops::ABI_VERSION;
    assert!(
        header.contains(&format!("#define EAT_ABI_VERSION {version}\n")),
        "the header must define EAT_ABI_VERSION {version}"
    );
    for f in [
        "uint32_t eat_abi_version(void);",
        "const uint8_t *eat_buffer_data(const eat_buffer *b);",
        "size_t eat_buffer_len(const eat_buffer *b);",
        "void eat_buffer_free(eat_buffer *b);",
        "eat_status eat_call(const uint8_t *request, size_t request_len, eat_buffer **out);",
        "eat_status eat_job_next(eat_job *job, size_t max_items, eat_buffer **out);",
        "eat_status eat_job_progress(const eat_job *job, eat_buffer **out);",
        "eat_status eat_job_cancel(const eat_job *job);",
        "eat_status eat_job_summary(const eat_job *job, eat_buffer **out);",
        "void eat_job_free(eat_job *job);",
        "typedef struct eat_buffer eat_buffer;",
        "typedef struct eat_job eat_job;",
        "typedef uint32_t eat_status;",
    ] {
        assert!(header.contains(f), "the header lacks `{f}` (the ABI contract):\n{header}");
    }
    let statuses = [
        ("EAT_OK", 0),
        ("EAT_ERROR", 1),
        ("EAT_NULL_ARGUMENT", 2),
        ("EAT_INVALID_UTF8", 3),
        ("EAT_INVALID_REQUEST", 4),
        ("EAT_CANCELLED", 5),
        ("EAT_PANIC", 6),
        ("EAT_JOB_DONE", 7),
    ];
    for (name, value) in statuses {
        assert!(header.contains(&format!("{name} = {value},")), "the header lacks {name} = {value}");
    }
}
