//! Static checks of the PowerShell module, run by `cargo test` on a machine without PowerShell
//! (Pester on machines with pwsh does the dynamic part: tests/pester/).
//!
//! - every .ps1/.psm1/.psd1 parses with tree-sitter-powershell (no ERROR/MISSING node; our code
//!   stays inside the grammar's subset, see shared STYLE.md), is UTF-8 with a BOM and has no
//!   typographic quotes (PowerShell reads them as quote characters);
//! - the manifest matches the files: FunctionsToExport == Public/*.ps1 base names, nothing private
//!   exported, one function per public file, FormatsToProcess and RootModule exist,
//!   ModuleVersion == the crate version, the psm1's ABI constant == `ops::ABI_VERSION`;
//! - approved verbs on every function; comment-based help on every public function (.SYNOPSIS,
//!   .DESCRIPTION, a .PARAMETER per parameter, a non-empty .EXAMPLE, .OUTPUTS, an online .LINK first);
//! - strings: the en-US and ja-JP tables and the psm1's en-US `data` block equal what the message
//!   catalogue generates, every key the scripts use exists and every key is used;
//! - every op the scripts send exists in `ops::OPS` with the right kind (one-shot / streaming), every
//!   native function the C# looks up is declared in include/exchange_auth_tools.h, and every output
//!   type has a format view.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use exchange_auth_tools::messages::{Lang, psd1};
use exchange_auth_tools::ops::{self, Handler};
use tree_sitter::{Node, Parser, Tree};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `Get-Verb` of PowerShell 7.4 (a superset of Windows PowerShell 5.1's list).
const APPROVED_VERBS: &[&str] = &[
    "Add",
    "Approve",
    "Assert",
    "Backup",
    "Block",
    "Build",
    "Checkpoint",
    "Clear",
    "Close",
    "Compare",
    "Complete",
    "Compress",
    "Confirm",
    "Connect",
    "Convert",
    "ConvertFrom",
    "ConvertTo",
    "Copy",
    "Debug",
    "Deny",
    "Deploy",
    "Disable",
    "Disconnect",
    "Dismount",
    "Edit",
    "Enable",
    "Enter",
    "Exit",
    "Expand",
    "Export",
    "Find",
    "Format",
    "Get",
    "Grant",
    "Group",
    "Hide",
    "Import",
    "Initialize",
    "Install",
    "Invoke",
    "Join",
    "Limit",
    "Lock",
    "Measure",
    "Merge",
    "Mount",
    "Move",
    "New",
    "Open",
    "Optimize",
    "Out",
    "Ping",
    "Pop",
    "Protect",
    "Publish",
    "Push",
    "Read",
    "Receive",
    "Redo",
    "Register",
    "Remove",
    "Rename",
    "Repair",
    "Request",
    "Reset",
    "Resize",
    "Resolve",
    "Restart",
    "Restore",
    "Resume",
    "Revoke",
    "Save",
    "Search",
    "Select",
    "Send",
    "Set",
    "Show",
    "Skip",
    "Split",
    "Start",
    "Step",
    "Stop",
    "Submit",
    "Suspend",
    "Switch",
    "Sync",
    "Test",
    "Trace",
    "Unblock",
    "Undo",
    "Uninstall",
    "Unlock",
    "Unprotect",
    "Unpublish",
    "Unregister",
    "Update",
    "Use",
    "Wait",
    "Watch",
    "Write",
];

fn root() -> &'static Path {
    Path::new(ROOT)
}

/// Every PowerShell script file of the repository (not target/ or out/).
fn script_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if !matches!(name.as_str(), "target" | "out" | ".git" | "fuzz" | "node_modules") {
                    walk(&p, out);
                }
            } else if [".ps1", ".psm1", ".psd1"].iter().any(|x| name.ends_with(x)) {
                out.push(p);
            }
        }
    }
    let mut v = Vec::new();
    walk(root(), &mut v);
    v.sort();
    assert!(v.len() >= 10, "found only {v:?}");
    v
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

fn read(p: &Path) -> String {
    let s = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    s.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(s)
}

fn parse(src: &str) -> Tree {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_powershell::LANGUAGE.into()).expect("PowerShell grammar");
    parser.parse(src, None).expect("a tree")
}

fn descendants(n: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        out.push(n);
        let mut c = n.walk();
        let children: Vec<Node<'_>> = n.children(&mut c).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

fn text<'a>(n: Node<'_>, src: &'a str) -> &'a str {
    &src[n.byte_range()]
}

#[test]
fn every_script_parses_has_a_bom_and_no_typographic_quotes() {
    let mut failures = Vec::new();
    for p in script_files() {
        let bytes = std::fs::read(&p).expect("read");
        if !bytes.starts_with(b"\xef\xbb\xbf") {
            failures.push(format!("{}: no UTF-8 BOM (Windows PowerShell 5.1 would read it as ANSI)", rel(&p)));
        }
        let src = read(&p);
        for (i, line) in src.lines().enumerate() {
            if line.contains(['\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}']) {
                failures.push(format!("{}:{}: typographic quote", rel(&p), i + 1));
            }
        }
        let tree = parse(&src);
        for n in descendants(tree.root_node()) {
            if n.is_error() || n.is_missing() {
                let pos = n.start_position();
                let what = if n.is_missing() { format!("MISSING {}", n.kind()) } else { "ERROR".to_owned() };
                let line = src.lines().nth(pos.row).unwrap_or("").trim();
                failures.push(format!("{}:{}:{}: {what}: {line}", rel(&p), pos.row + 1, pos.column + 1));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_parse_check_catches_broken_code() {
    for bad in ["function f {\n  if ($x {\n}\n", "$h = @{ b = }\n", "Write-Output \"unclosed\n"] {
        let tree = parse(bad);
        assert!(descendants(tree.root_node()).iter().any(|n| n.is_error() || n.is_missing()), "not flagged: {bad}");
    }
}

/// A function defined in a file: name, comment-based help (if any), parameter names.
struct Function {
    name: String,
    help: String,
    params: Vec<String>,
}

fn functions(p: &Path) -> Vec<Function> {
    let src = read(p);
    let tree = parse(&src);
    descendants(tree.root_node())
        .into_iter()
        .filter(|n| n.kind() == "function_statement")
        .map(|f| {
            let all = descendants(f);
            let name = all.iter().find(|n| n.kind() == "function_name").map(|n| text(*n, &src).to_owned());
            let param_block = all.iter().find(|n| n.kind() == "param_block");
            let help = all
                .iter()
                .filter(|n| n.kind() == "comment" && text(**n, &src).starts_with("<#"))
                .find(|n| param_block.is_none_or(|b| n.end_byte() <= b.start_byte()))
                .map(|n| text(*n, &src).to_owned())
                .unwrap_or_default();
            let params = param_block
                .map(|b| {
                    descendants(*b)
                        .into_iter()
                        .filter(|n| n.kind() == "script_parameter")
                        .filter_map(|sp| {
                            let mut c = sp.walk();
                            let var = sp.children(&mut c).find(|n| n.kind() == "variable");
                            var.map(|v| text(v, &src).trim_start_matches('$').to_owned())
                        })
                        .collect()
                })
                .unwrap_or_default();
            Function { name: name.expect("function name"), help, params }
        })
        .collect()
}

fn ps_files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ps1"))
        .collect();
    v.sort();
    v
}

/// `Key = 'value'` / `Key = @('a', 'b')` entries of the manifest (top level and PSData).
fn manifest() -> String {
    read(&root().join("ExchangeAuthTools.psd1"))
}

fn manifest_value(m: &str, key: &str) -> String {
    let start = m
        .lines()
        .position(|l| l.trim_start().starts_with(&format!("{key} ")) || l.trim_start().starts_with(&format!("{key}=")))
        .unwrap_or_else(|| panic!("manifest has no {key}"));
    let mut out = String::new();
    let mut depth = 0i32;
    for l in m.lines().skip(start) {
        out.push_str(l);
        out.push('\n');
        depth += l.matches('(').count() as i32 - l.matches(')').count() as i32;
        if depth <= 0 {
            break;
        }
    }
    out.split_once('=').map(|x| x.1.trim().to_owned()).unwrap_or_default()
}

fn quoted(s: &str) -> Vec<String> {
    s.split('\'').skip(1).step_by(2).map(str::to_owned).collect()
}

#[test]
fn manifest_matches_the_files() {
    let m = manifest();
    let exported: BTreeSet<String> = quoted(&manifest_value(&m, "FunctionsToExport")).into_iter().collect();
    let mut public = BTreeSet::new();
    for p in ps_files("powershell/Public") {
        let base = p.file_stem().expect("stem").to_string_lossy().into_owned();
        let fns = functions(&p);
        assert_eq!(fns.len(), 1, "{}: one public function per file", rel(&p));
        assert_eq!(fns[0].name, base, "{}: the function is named after its file", rel(&p));
        public.insert(base);
    }
    assert_eq!(exported, public, "FunctionsToExport must list exactly the Public/*.ps1 base names");
    for p in ps_files("powershell/Private") {
        for f in functions(&p) {
            assert!(!exported.contains(&f.name), "{} from Private/ is exported", f.name);
        }
    }
    for key in ["CmdletsToExport", "VariablesToExport", "AliasesToExport"] {
        assert_eq!(manifest_value(&m, key), "@()", "{key} must be an explicit empty list");
    }
    assert_eq!(
        quoted(&manifest_value(&m, "ModuleVersion")),
        [env!("CARGO_PKG_VERSION")],
        "ModuleVersion != Cargo version"
    );
    for f in
        quoted(&manifest_value(&m, "FormatsToProcess")).into_iter().chain(quoted(&manifest_value(&m, "RootModule")))
    {
        assert!(root().join(&f).is_file(), "manifest names {f}, which does not exist");
    }
    assert_eq!(quoted(&manifest_value(&m, "CompatiblePSEditions")), ["Desktop", "Core"]);
    assert_eq!(quoted(&manifest_value(&m, "PowerShellVersion")), ["5.1"]);
    let tags = quoted(&manifest_value(&m, "Tags"));
    for t in ["PSEdition_Desktop", "PSEdition_Core", "Windows", "Linux", "MacOS", "ExchangeOnline", "BasicAuth"] {
        assert!(tags.iter().any(|x| x == t), "tag {t} missing");
    }
    for key in ["GUID", "LicenseUri", "ProjectUri", "ReleaseNotes", "Description", "Author", "DotNetFrameworkVersion"] {
        assert!(!quoted(&manifest_value(&m, key)).is_empty(), "{key} missing");
    }
    let psm1 = read(&root().join("powershell/ExchangeAuthTools.psm1"));
    assert!(
        psm1.contains(&format!("$script:EatAbiVersion = {}\n", ops::ABI_VERSION)),
        "the psm1's ABI constant must equal ops::ABI_VERSION ({})",
        ops::ABI_VERSION
    );
}

#[test]
fn functions_use_approved_verbs() {
    for p in ps_files("powershell/Public").into_iter().chain(ps_files("powershell/Private")) {
        for f in functions(&p) {
            let verb = f.name.split_once('-').map(|x| x.0).unwrap_or("");
            assert!(APPROVED_VERBS.contains(&verb), "{}: {} does not use an approved verb", rel(&p), f.name);
        }
    }
}

/// Sections of a comment-based help block: keyword (upper case) → bodies.
fn help_sections(help: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in help.trim_start_matches("<#").trim_end_matches("#>").lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix('.')
            && rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        {
            if let Some((k, body)) = current.take() {
                out.entry(k).or_default().push(body);
            }
            let (kw, arg) = rest.split_once(' ').unwrap_or((rest, ""));
            current = Some((kw.to_ascii_uppercase(), format!("{arg}\n")));
            continue;
        }
        if let Some((_, body)) = current.as_mut() {
            body.push_str(t);
            body.push('\n');
        }
    }
    if let Some((k, body)) = current {
        out.entry(k).or_default().push(body);
    }
    out
}

#[test]
fn public_functions_have_complete_help() {
    for p in ps_files("powershell/Public") {
        for f in functions(&p) {
            let s = help_sections(&f.help);
            let ctx = format!("{} ({})", f.name, rel(&p));
            for kw in ["SYNOPSIS", "DESCRIPTION", "OUTPUTS"] {
                assert!(s.get(kw).is_some_and(|v| v.iter().any(|b| !b.trim().is_empty())), "{ctx}: no .{kw}");
            }
            let examples = s.get("EXAMPLE").cloned().unwrap_or_default();
            assert!(!examples.is_empty(), "{ctx}: no .EXAMPLE");
            for e in &examples {
                assert!(e.lines().any(|l| l.contains(&f.name)), "{ctx}: an .EXAMPLE does not use {}", f.name);
                assert!(
                    e.lines().filter(|l| !l.trim().is_empty()).count() >= 2,
                    "{ctx}: an .EXAMPLE has no explanation"
                );
            }
            let documented: BTreeSet<String> = s
                .get("PARAMETER")
                .map(|v| {
                    v.iter()
                        .map(|b| {
                            let (name, body) = b.split_once('\n').unwrap_or((b, ""));
                            assert!(!body.trim().is_empty(), "{ctx}: .PARAMETER {name} has no description");
                            name.trim().to_owned()
                        })
                        .collect()
                })
                .unwrap_or_default();
            let params: BTreeSet<String> = f.params.iter().cloned().collect();
            assert!(!params.is_empty(), "{ctx}: no parameters found");
            assert_eq!(documented, params, "{ctx}: .PARAMETER sections must match the param block");
            let first_link = s.get("LINK").and_then(|v| v.first()).map(|b| b.trim().to_owned()).unwrap_or_default();
            assert!(first_link.starts_with("https://"), "{ctx}: the first .LINK must be the online help URL");
        }
    }
}

/// `Key = '…'` lines of a generated hashtable / psd1.
fn table_keys(s: &str) -> BTreeSet<String> {
    s.lines()
        .filter_map(|l| l.trim().split_once(" = '").map(|x| x.0.to_owned()))
        .filter(|k| k.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect()
}

#[test]
fn string_tables_are_generated_from_the_catalogue_and_used() {
    for lang in [Lang::En, Lang::Ja] {
        let path = root().join(format!("powershell/{}/ExchangeAuthTools.Strings.psd1", lang.culture()));
        let on_disk = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            on_disk == psd1::file_bytes(lang),
            "{} is stale: run `cargo run -- messages --psd1 --culture {} --output {}`",
            rel(&path),
            lang.culture(),
            rel(&path)
        );
    }
    let psm1 = read(&root().join("powershell/ExchangeAuthTools.psm1"));
    let defaults = psd1::ps_hashtable(Lang::En);
    assert!(
        psm1.contains(&format!("data EatDefaultStrings {{\n{defaults}\n}}")),
        "the psm1's en-US data block is stale: paste `cargo run -- messages --psd1 --culture en-US` (the @{{…}} part)"
    );
    let keys = table_keys(&defaults);
    assert_eq!(keys, table_keys(&psd1::ps_hashtable(Lang::Ja)));
    let mut used = BTreeSet::new();
    for p in script_files() {
        let src = read(&p);
        for part in src.split("Get-EatString -Key '").skip(1) {
            let key = part.split('\'').next().unwrap_or("").to_owned();
            assert!(keys.contains(&key), "{}: string key '{key}' is not in the catalogue (add ps.{key})", rel(&p));
            used.insert(key);
        }
    }
    let unused: Vec<_> = keys.difference(&used).collect();
    assert!(unused.is_empty(), "ps.* messages no script uses: {unused:?}");
}

#[test]
fn ops_and_native_functions_the_scripts_use_exist() {
    let mut seen = 0;
    for p in script_files() {
        let src = read(&p);
        for line in src.lines() {
            let Some(rest) = line.split("-Operation '").nth(1) else { continue };
            let op = rest.split('\'').next().unwrap_or("");
            let spec = ops::find(op).unwrap_or_else(|| panic!("{}: op '{op}' is not in ops::OPS", rel(&p)));
            if line.contains("Invoke-EatJob") {
                assert!(matches!(spec.handler, Handler::Stream(_)), "{}: '{op}' is not a streaming op", rel(&p));
            } else if line.contains("Invoke-EatOperation") || line.contains("Invoke-EatTenantOperation") {
                assert!(matches!(spec.handler, Handler::OneShot(_)), "{}: '{op}' is a streaming op", rel(&p));
            }
            seen += 1;
        }
    }
    assert!(seen >= 3, "found only {seen} op uses");

    let cs = std::fs::read_to_string(root().join("powershell/Private/ExchangeAuthTools.Native.cs")).expect("C#");
    let natives: Vec<&str> = cs
        .split("Function<")
        .skip(1)
        .filter_map(|s| s.split_once("(\"").and_then(|(_, r)| r.split_once('"')).map(|x| x.0))
        .collect();
    assert!(natives.len() >= 11, "{natives:?}");
    let header = root().join("include/exchange_auth_tools.h");
    match std::fs::read_to_string(&header) {
        Ok(h) => {
            for n in natives {
                assert!(
                    h.contains(&format!("{n}(")),
                    "{n} is looked up by the C# but not declared in {}",
                    rel(&header)
                );
            }
        }
        Err(_) => eprintln!("SKIPPED: {} is not there yet (the ffi work): native names not checked", rel(&header)),
    }
}

#[test]
fn every_output_type_has_a_format_view() {
    let formats = read(&root().join("powershell/ExchangeAuthTools.Format.ps1xml"));
    let mut types = BTreeSet::new();
    for p in script_files() {
        let src = read(&p);
        for part in src.split("OutputType('").skip(1) {
            for t in part.split(')').next().unwrap_or("").split(',') {
                let t = t.trim().trim_matches('\'');
                if t.starts_with("ExchangeAuthTools.") {
                    types.insert(t.to_owned());
                }
            }
        }
    }
    assert!(types.len() >= 4, "{types:?}");
    for t in types {
        assert!(formats.contains(&format!("<TypeName>{t}</TypeName>")), "no format view for {t}");
    }
}

/// `@('Property', 'jsonName', 'kind')` rows of a schema in ConvertTo-EatObject.ps1.
fn schema(name: &str) -> Vec<(String, String, String)> {
    let src = read(&root().join("powershell/Private/ConvertTo-EatObject.ps1"));
    let start = src.find(&format!("$script:{name} = @(")).unwrap_or_else(|| panic!("no {name}"));
    let body = &src[start..];
    let body = &body[..body.find("\n)").expect("end of schema")];
    body.lines()
        .filter_map(|l| l.trim().strip_prefix(", @(").and_then(|r| r.strip_suffix(')')))
        .map(|r| {
            let q = quoted(r);
            assert_eq!(q.len(), 3, "{r}");
            (q[0].clone(), q[1].clone(), q[2].clone())
        })
        .collect()
}

fn call(op: &str, params: serde_json::Value) -> serde_json::Value {
    let req = ops::Request { op: op.into(), params, lang: Lang::En };
    ops::call(&req).unwrap_or_else(|e| panic!("{op}: {e}"))
}

fn object_keys(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_object().expect("a JSON object").keys().cloned().collect()
}

/// The PowerShell objects read every field the library sends under the library's own name, and
/// nothing it does not send (a renamed Rust field would otherwise become an empty property).
#[test]
fn output_schemas_match_the_library_json() {
    let sample = root().join("tests/fixtures/azure_diagnostic_settings_signinlogs_elastic_test.ndjson");
    let params = serde_json::json!({ "paths": [sample], "includeModern": true });
    let job = ops::start(
        &ops::Request { op: "scan".into(), params: params.clone(), lang: Lang::En },
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    )
    .expect("scan starts");
    let batch = job.next_batch(1).expect("a batch");
    let signin = batch.first().map(|i| i["value"].clone()).expect("a sign-in from the sample");
    let mut summary_params = params;
    summary_params["by"] = "User".into();
    // Measure-LegacyAuthUsage reads the one `summary` item of the streaming summaryJob.
    let summary_job = ops::start(
        &ops::Request { op: "summaryJob".into(), params: summary_params, lang: Lang::En },
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    )
    .expect("summaryJob starts");
    let mut summary = serde_json::Value::Null;
    loop {
        let batch = summary_job.next_batch(16).expect("a batch");
        if batch.is_empty() {
            break;
        }
        for item in batch {
            if item["kind"] == "summary" {
                summary = item["value"].clone();
            }
        }
    }
    // The keys Measure-LegacyAuthUsage and Invoke-EatJob read besides the row objects.
    assert!(summary["problems"]["kept"].is_array() && summary["problems"]["total"].is_u64(), "{summary}");
    assert!(summary["attacks"]["sprayIps"].is_array(), "{summary}");
    for k in ["files", "records", "skipped", "problems"] {
        assert!(summary["stats"][k].is_u64(), "stats.{k}: {summary}");
    }
    let row = summary["rows"][0].clone();
    let app = call("catalogue", serde_json::Value::Null)[0].clone();
    let spray = serde_json::to_value(exchange_auth_tools::analysis::spray::SprayIp::default()).expect("json");
    let (mailbox, protocol, command, finding) = exposure_items();
    let fix = call("registry.fix", serde_json::json!({ "office": "16.0" }));
    let change = fix["changes"].as_array().expect("changes").iter().find(|c| c["action"] == "set").cloned();
    let readiness =
        call("exo.readiness", serde_json::json!({ "factsPath": root().join("tests/fixtures/exo/no-module.json") }));
    let readiness_finding = readiness["findings"][0].clone();
    let registry = call(
        "registry.check",
        serde_json::json!({ "paths": [root().join("tests/fixtures/msdocs_Office2013_Disable_ModernAuth.reg")] }),
    );
    let registry_finding = registry["findings"][0].clone();
    for (name, f) in [("exo.readiness", &readiness_finding), ("registry.check", &registry_finding)] {
        assert_finding_keys(name, f);
    }
    let guardrails = call("guardrails", serde_json::json!({ "policies": [] }));
    assert_finding_keys("guardrails", &guardrails["findings"][0]);
    for (name, json) in [
        ("EatSignInSchema", signin),
        ("EatUsageSummarySchema", row),
        ("EatClientAppSchema", app),
        ("EatSprayIpSchema", spray),
        ("EatMailboxExposureSchema", mailbox),
        ("EatProtocolExposureSchema", protocol),
        ("EatRemediationCommandSchema", command),
        ("EatFindingSchema", finding),
        ("EatRegistryChangeSchema", change.expect("a set change")),
    ] {
        let rows = schema(name);
        let names: BTreeSet<String> = rows.iter().map(|r| r.1.clone()).collect();
        let keys = object_keys(&json);
        let ignored: BTreeSet<String> = ["migrateToKey"].iter().map(|s| (*s).to_owned()).collect();
        let keys: BTreeSet<String> = keys.difference(&ignored).cloned().collect();
        assert_eq!(names, keys, "{name} (ConvertTo-EatObject.ps1) vs the library's JSON: {json}");
        for (prop, key, kind) in rows {
            let v = &json[&key];
            let ok = match kind.as_str() {
                "string" => v.is_string() || v.is_null(),
                "int" | "long" => v.is_i64() || v.is_u64(),
                "bool" => v.is_boolean(),
                "nullablebool" => v.is_boolean() || v.is_null(),
                "datetime" | "date" => v.is_string() || v.is_null(),
                "strings" | "ints" | "objects" => v.is_array(),
                "object" => v.is_object() || v.is_null(),
                "scalar" => !v.is_object() && !v.is_array(),
                _ => false,
            };
            assert!(ok, "{name}.{prop}: kind {kind} does not fit {key} = {v}");
        }
    }
}

/// The findings of every op the module turns into ExchangeAuthTools.Finding have the schema's keys
/// (context only when there is some).
fn assert_finding_keys(name: &str, f: &serde_json::Value) {
    let names: BTreeSet<String> = schema("EatFindingSchema").into_iter().map(|r| r.1).collect();
    let mut keys = object_keys(f);
    keys.insert("context".into());
    assert_eq!(names, keys, "{name}: {f}");
}

/// One mailbox, one of its protocols (with usage), one command and one finding (with context) of
/// the `exposure` op, fed inline as Get-LegacyProtocolExposure feeds it.
fn exposure_items() -> (serde_json::Value, serde_json::Value, serde_json::Value, serde_json::Value) {
    let mailbox = serde_json::json!({"PrimarySmtpAddress":"a@c.jp","DisplayName":"A","PopEnabled":true,"ImapEnabled":true,
        "ActiveSyncEnabled":false,"EwsEnabled":false,"MAPIEnabled":false,"SmtpClientAuthenticationDisabled":null});
    let row = call("summary", serde_json::json!({"paths": [root().join("tests/fixtures/azure_diagnostic_settings_signinlogs_elastic_test.ndjson")], "includeModern": true}))["rows"][0].clone();
    let mut row = row;
    row["userPrincipalName"] = "a@c.jp".into();
    row["key"] = "a@c.jp / IMAP".into();
    row["protocol"] = "IMAP".into();
    row["clientAppUsed"] = "IMAP4".into();
    let v = call("exposure", serde_json::json!({"mailboxes": [mailbox], "usageRows": [row], "unusedDays": 1}));
    let m = v["report"]["mailboxes"][0].clone();
    let protocol = m["protocols"].as_array().expect("protocols").iter().find(|p| !p["usage"].is_null()).cloned();
    let command = m["commands"][0].clone();
    let finding = v["findings"].as_array().expect("findings").iter().find(|f| f.get("context").is_some()).cloned();
    (
        m,
        protocol.unwrap_or_else(|| panic!("a protocol with usage: {v}")),
        command,
        finding.expect("a finding with context"),
    )
}

/// -Usage sends UsageSummary objects back as the library's rows (ConvertFrom-EatTypedObject: every
/// schema property under its JSON name, times as `yyyy-MM-ddTHH:mm:ss.fffZ`, days as `yyyy-MM-dd` or
/// empty). Rows in exactly that form are accepted and give the same exposure as the sign-in file.
#[test]
fn usage_rows_written_back_by_the_module_are_accepted() {
    let subset = root().join("tests/fixtures/demo_tenant_subset.ndjson");
    let rows = call("summary", serde_json::json!({ "paths": [&subset], "by": "UserProtocol" }))["rows"].clone();
    let schema = schema("EatUsageSummarySchema");
    let written: Vec<serde_json::Value> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let mut out = serde_json::Map::new();
            for (_, key, kind) in &schema {
                let v = &row[key];
                let v = match (kind.as_str(), v.as_str()) {
                    ("datetime", Some(t)) => {
                        // [datetime] keeps milliseconds exactly; .NET writes them always.
                        let ts = exchange_auth_tools::time::Timestamp::parse(t).expect("a time");
                        let whole = exchange_auth_tools::time::Timestamp::from_unix_seconds(ts.unix_seconds());
                        let millis = (ts.0 - whole.0) / 1000;
                        serde_json::Value::String(format!("{}.{millis:03}Z", whole.to_string().trim_end_matches('Z')))
                    }
                    ("date", None) => serde_json::Value::String(String::new()),
                    _ => v.clone(),
                };
                out.insert(key.clone(), v);
            }
            serde_json::Value::Object(out)
        })
        .collect();
    let mailboxes = root().join("tests/fixtures/pscmdlets_cas_mailboxes.json");
    let key = |v: &serde_json::Value| -> Vec<String> {
        v["report"]["mailboxes"]
            .as_array()
            .expect("mailboxes")
            .iter()
            .map(|m| format!("{}={}", m["identity"], m["recommendation"]))
            .collect()
    };
    let from_rows = call("exposure", serde_json::json!({ "mailboxes": &mailboxes, "usageRows": written }));
    let from_file = call("exposure", serde_json::json!({ "mailboxes": &mailboxes, "usage": [&subset] }));
    assert_eq!(key(&from_rows), key(&from_file));
    assert_eq!(from_rows["report"]["counts"], from_file["report"]["counts"]);
}

/// Every protocol switch of the catalogue passes the property patterns ConvertTo-EatTenantParameter
/// keeps (a switch the pattern missed would reach the library as "not exported").
#[test]
fn tenant_property_patterns_keep_every_catalogue_switch() {
    let src = read(&root().join("powershell/Private/ConvertTo-EatTenantParameter.ps1"));
    let patterns = |input: &str| -> Vec<String> {
        let line = src.lines().find(|l| l.contains(&format!(", @('{input}', @("))).unwrap_or_else(|| panic!("{input}"));
        quoted(line).into_iter().skip(1).collect()
    };
    let like = |name: &str, pattern: &str| match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(suffix), _) => name.ends_with(suffix),
        (_, Some(prefix)) => name.starts_with(prefix),
        _ => name == pattern,
    };
    let (mailbox, policy) = (patterns("mailboxes"), patterns("authPolicies"));
    let mut checked = 0;
    for app in call("catalogue", serde_json::Value::Null).as_array().expect("rows") {
        if let Some(s) = app["mailboxSwitch"].as_str().filter(|s| !s.is_empty()) {
            assert!(mailbox.iter().any(|p| like(s, p)), "mailbox switch {s} is not kept by {mailbox:?}");
            checked += 1;
        }
        if let Some(s) = app["authPolicySwitch"].as_str().filter(|s| !s.is_empty()) {
            assert!(policy.iter().any(|p| like(s, p)), "policy switch {s} is not kept by {policy:?}");
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked}");
    for (input, kept) in [("transportConfig", "SmtpClientAuthenticationDisabled"), ("users", "AuthenticationPolicy")] {
        assert!(patterns(input).iter().any(|p| like(kept, p)), "{input} must keep {kept}");
    }
    assert!(patterns("orgConfig").iter().any(|p| like("DefaultAuthenticationPolicy", p)));
}

/// The documented regeneration command writes exactly the checked-in bytes (BOM included).
#[test]
fn exauth_messages_psd1_writes_the_checked_in_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    for lang in [Lang::En, Lang::Ja] {
        let out = dir.path().join(format!("{}.psd1", lang.culture()));
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_exauth"))
            .args(["messages", "--psd1", "--culture", lang.culture(), "--output"])
            .arg(&out)
            .status()
            .expect("run exauth");
        assert!(status.success());
        assert!(std::fs::read(&out).expect("written") == psd1::file_bytes(lang), "{}", lang.culture());
    }
    let json = std::process::Command::new(env!("CARGO_BIN_EXE_exauth"))
        .args(["messages", "--culture", "ja-JP"])
        .output()
        .expect("run exauth");
    let map: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON catalogue");
    assert!(map["ps.LoaderAbiMismatch"].as_str().is_some_and(|s| s.contains("ABI")), "{map}");
}

/// Each table view: as many headers as items, a label on every computed column, and every
/// property it names exists on the objects of that type (the schema in ConvertTo-EatObject.ps1).
#[test]
fn format_views_name_real_properties() {
    let formats = read(&root().join("powershell/ExchangeAuthTools.Format.ps1xml"));
    let schemas = [
        ("ExchangeAuthTools.SignIn", "EatSignInSchema"),
        ("ExchangeAuthTools.UsageSummary", "EatUsageSummarySchema"),
        ("ExchangeAuthTools.ClientApp", "EatClientAppSchema"),
        ("ExchangeAuthTools.SprayIp", "EatSprayIpSchema"),
        ("ExchangeAuthTools.MailboxExposure", "EatMailboxExposureSchema"),
        ("ExchangeAuthTools.ProtocolExposure", "EatProtocolExposureSchema"),
        ("ExchangeAuthTools.RemediationCommand", "EatRemediationCommandSchema"),
        ("ExchangeAuthTools.Finding", "EatFindingSchema"),
        ("ExchangeAuthTools.RegistryChange", "EatRegistryChangeSchema"),
    ];
    let views: Vec<&str> = formats.split("<View>").skip(1).collect();
    assert_eq!(views.len(), schemas.len());
    for view in views {
        let type_name = view.split("<TypeName>").nth(1).and_then(|t| t.split('<').next()).expect("TypeName");
        let schema_name = schemas.iter().find(|s| s.0 == type_name).map(|s| s.1).expect("a schema for the view");
        let mut props: BTreeSet<String> = schema(schema_name).into_iter().map(|r| r.0).collect();
        props.extend(added_properties(type_name));
        let headers: Vec<&str> = view.split("<TableColumnHeader>").skip(1).collect();
        let items: Vec<&str> = view.split("<TableColumnItem>").skip(1).collect();
        assert_eq!(headers.len(), items.len(), "{type_name}: headers vs items");
        for (h, i) in headers.iter().zip(&items) {
            let h = h.split("</TableColumnHeader>").next().unwrap_or("");
            let i = i.split("</TableColumnItem>").next().unwrap_or("");
            if let Some(p) = i.split("<PropertyName>").nth(1).and_then(|x| x.split('<').next()) {
                assert!(props.contains(p), "{type_name}: no property {p}");
            } else {
                assert!(h.contains("<Label>"), "{type_name}: a computed column without a label: {i}");
                for part in i.split("$_.").skip(1) {
                    let p: String = part.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                    assert!(props.contains(&p), "{type_name}: no property {p}");
                }
            }
        }
    }
}

/// Properties the scripts add after the schema (Add-Member), each checked to be added somewhere.
fn added_properties(type_name: &str) -> Vec<String> {
    let added: &[(&str, &[&str])] = &[
        ("ExchangeAuthTools.UsageSummary", &["IsAttack"]),
        ("ExchangeAuthTools.MailboxExposure", &["OpenProtocols", "UsedProtocols"]),
        ("ExchangeAuthTools.ProtocolExposure", &["Identity"]),
        ("ExchangeAuthTools.RegistryChange", &["Before", "After", "Status"]),
    ];
    let src: String = script_files().iter().map(|p| read(p)).collect();
    let names: Vec<String> =
        added.iter().filter(|a| a.0 == type_name).flat_map(|a| a.1.iter().map(|n| (*n).to_owned())).collect();
    for n in &names {
        assert!(src.contains(&format!("-Name '{n}'")), "{type_name}: no script adds {n}");
    }
    names
}

/// The request text carries the access token (from a SecureString) once the live sources are used:
/// nothing writes it to a stream; debug output goes through Hide-EatSecret.
#[test]
fn requests_are_never_written_with_their_secrets() {
    let mut debug_lines = 0;
    for p in script_files() {
        for (i, line) in read(&p).lines().enumerate() {
            let writes = ["Write-Debug", "Write-Verbose", "Write-Information", "Write-Host", "Write-Warning"]
                .iter()
                .any(|w| line.contains(w));
            if writes && (line.contains("$request") || line.contains("ConvertTo-EatRequest")) {
                assert!(line.contains("Hide-EatSecret"), "{}:{}: {line}", rel(&p), i + 1);
                debug_lines += 1;
            }
            assert!(!(writes && line.contains("AccessToken")), "{}:{}: {line}", rel(&p), i + 1);
        }
    }
    assert!(debug_lines >= 2, "{debug_lines}");
}

/// PowerShell variables are case-insensitive: `$configuration = …` in a script with a
/// `-Configuration` parameter overwrites the parameter (and trips its validation attributes). An
/// assignment that spells a parameter's name in another case is almost always that mistake.
#[test]
fn no_assignment_shadows_a_parameter_in_another_case() {
    let mut failures = Vec::new();
    for p in script_files() {
        let src = read(&p);
        let tree = parse(&src);
        for block in descendants(tree.root_node()).into_iter().filter(|n| n.kind() == "param_block") {
            let params: Vec<String> = descendants(block)
                .into_iter()
                .filter(|n| n.kind() == "script_parameter")
                .filter_map(|sp| {
                    let mut c = sp.walk();
                    let v = sp.children(&mut c).find(|n| n.kind() == "variable");
                    v.map(|v| text(v, &src).trim_start_matches('$').to_owned())
                })
                .collect();
            let scope = block.parent().unwrap_or(tree.root_node());
            for n in descendants(scope).into_iter().filter(|n| n.kind() == "left_assignment_expression") {
                let target = text(n, &src).trim().trim_start_matches('$');
                for param in &params {
                    if target.eq_ignore_ascii_case(param) && target != param {
                        let row = n.start_position().row + 1;
                        failures.push(format!("{}:{row}: ${target} overwrites the parameter ${param}", rel(&p)));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
