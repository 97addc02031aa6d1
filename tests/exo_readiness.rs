//! Exchange Online PowerShell readiness: every fact fixture in tests/fixtures/exo gives the
//! findings an admin needs, with exact fix commands; the op, the CLI and UTF-16 facts files.

use std::path::{Path, PathBuf};
use std::process::Command;

use exchange_auth_tools::exo::rules::{edit_distance, is_lookalike};
use exchange_auth_tools::exo::{Facts, RULES, evaluate};
use exchange_auth_tools::findings::{Finding, Severity};
use exchange_auth_tools::messages::Lang;
use exchange_auth_tools::ops;
use serde_json::json;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exo").join(name)
}

fn run(name: &str) -> Vec<Finding> {
    let bytes = std::fs::read(fixture(name)).unwrap();
    evaluate(&Facts::parse(&bytes, name).unwrap(), Lang::En)
}

/// (id, severity) of the findings above Info, in display order.
fn actionable(f: &[Finding]) -> Vec<(&str, Severity)> {
    f.iter().filter(|f| f.severity != Severity::Info).map(|f| (f.id.as_str(), f.severity)).collect()
}

fn get<'a>(f: &'a [Finding], id: &str) -> &'a Finding {
    f.iter().find(|x| x.id == id).unwrap_or_else(|| panic!("{id} missing: {:?}", actionable(f)))
}

#[test]
fn ps51_with_an_old_v2_module() {
    let f = run("ps51-old-v2-module.json");
    assert_eq!(actionable(&f), [("exo.module.v2", Severity::High), ("exo.winrm.basic_enabled", Severity::Low)]);
    let v2 = get(&f, "exo.module.v2");
    assert_eq!((v2.current.as_deref(), v2.expected.as_deref()), (Some("2.0.5"), Some("3.10.1")));
    assert!(v2.fix.contains("Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser"), "{}", v2.fix);
    assert!(v2.why.contains("Oct 1, 2023"), "{}", v2.why);
    assert_eq!(v2.target, "PowerShell");
    assert_eq!(v2.context["computer"], "ADMIN-PC01");
    let howto = get(&f, "exo.connect.howto");
    assert!(howto.fix.contains("Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com"));
    assert!(howto.fix.contains("-ManagedIdentity -Organization"));
    assert!(howto.fix.contains("-CertificateThumbprint"));
    assert!(howto.fix.contains("Get-ConnectionInformation"));
    assert!(howto.fix.contains("Get-Module ExchangeOnlineManagement -ListAvailable"));
    assert!(get(&f, "exo.winrm.basic_enabled").fix.contains("winrm set winrm/config/client/auth @{Basic=\"false\"}"));
}

#[test]
fn ps74_with_module_3_10_needs_powershell_7_6() {
    let f = run("ps74-eom-3.10.json");
    assert_eq!(actionable(&f), [("exo.module.needs_newer_powershell", Severity::High)]);
    let e = get(&f, "exo.module.needs_newer_powershell");
    assert_eq!((e.current.as_deref(), e.expected.as_deref()), (Some("7.4.6"), Some(">= 7.6.0")));
    assert!(e.message.contains("3.10.1") && e.message.contains("7.6.0"), "{}", e.message);
    assert!(e.fix.contains("-RequiredVersion 3.9.2"), "pins the newest module for 7.4: {}", e.fix);
}

#[test]
fn no_module_installed() {
    let f = run("no-module.json");
    assert_eq!(actionable(&f), [("exo.module.missing", Severity::High), ("exo.execution_policy", Severity::Medium)]);
    assert_eq!(get(&f, "exo.module.missing").fix, "Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser");
    assert!(!get(&f, "exo.execution_policy").verified, "not a DOMAIN.md fact");
}

#[test]
fn lookalike_modules_are_critical() {
    let f = run("lookalike-module.json");
    let look: Vec<&Finding> = f.iter().filter(|x| x.id == "exo.module.lookalike").collect();
    assert_eq!(look.len(), 2, "installed+loaded duplicates fold; the homoglyph one is found too");
    assert!(look.iter().all(|x| x.severity == Severity::Critical));
    let known = look.iter().find(|x| x.setting == "ExchangeOnlineManagment").unwrap();
    assert!(
        known.fix.starts_with("Uninstall-Module -Name 'ExchangeOnlineManagment' -AllVersions -Force"),
        "{}",
        known.fix
    );
    assert!(known.fix.contains("Remove-Item -LiteralPath"), "{}", known.fix);
    assert!(known.why.contains("B5ECED50-AFA4-455B-847A-D8FB64140A22"));
    // The genuine module alongside is fine.
    assert!(!f.iter().any(|x| x.id == "exo.module.missing"));
}

#[test]
fn right_name_wrong_guid_is_critical_and_does_not_count_as_installed() {
    let f = run("right-name-wrong-guid.json");
    assert_eq!(
        actionable(&f),
        [("exo.module.wrong_publisher", Severity::Critical), ("exo.module.missing", Severity::High)]
    );
    let e = get(&f, "exo.module.wrong_publisher");
    assert!(e.current.as_deref().unwrap().contains("11111111-2222"));
    let mut author = Facts::parse(&std::fs::read(fixture("ready.json")).unwrap(), "r").unwrap();
    author.modules.installed[0].author = Some("Contoso Ltd".into());
    let f = evaluate(&author, Lang::En);
    assert!(f.iter().any(|x| x.id == "exo.module.wrong_publisher"));
}

#[test]
fn proxy_present_maps_v2_proxy_advice_to_rest() {
    let f = run("proxy-present.json");
    assert_eq!(
        actionable(&f),
        [("exo.script.pssessionoption", Severity::Medium), ("exo.script.pssessionoption", Severity::Medium)]
    );
    let p = get(&f, "exo.proxy");
    assert_eq!(p.severity, Severity::Info);
    assert!(!p.verified, "how REST follows the system proxy is UNVERIFIED");
    assert!(p.message.contains("-PSSessionOption") && p.message.contains("UNVERIFIED"), "{}", p.message);
    assert!(p.current.as_deref().unwrap().contains("WinHTTP: proxy.fabrikam.local:8080"));
    let s = f.iter().find(|x| x.id == "exo.script.pssessionoption").unwrap();
    assert!(s.setting.ends_with("Microsoft.PowerShell_profile.ps1:1"), "{}", s.setting);
    assert_eq!(s.fix, "Connect-ExchangeOnline -UserPrincipalName ops@fabrikam.onmicrosoft.com");
    assert!(!f.iter().any(|x| x.id == "exo.script.v1"), "commented-out lines are ignored");
}

#[test]
fn tls12_missing_on_windows_powershell() {
    let f = run("tls12-missing.json");
    assert_eq!(
        actionable(&f),
        [
            ("exo.dotnet.too_old", Severity::High),
            ("exo.module.missing", Severity::High),
            ("exo.tls12.missing", Severity::High),
            ("exo.execution_policy", Severity::Medium),
        ]
    );
    let t = get(&f, "exo.tls12.missing");
    assert!(t.fix.contains("[Net.SecurityProtocolType]::Tls12"), "{}", t.fix);
    assert!(t.why.contains("Oct 15, 2020"), "{}", t.why);
}

#[test]
fn linux_pwsh_says_what_does_not_apply() {
    let f = run("linux-pwsh.json");
    assert!(actionable(&f).is_empty(), "{:?}", actionable(&f));
    let p = get(&f, "exo.platform.not_windows");
    assert!(p.message.contains("Connect-IPPSSession") && p.message.contains("WinRM"), "{}", p.message);
    assert!(get(&f, "exo.connect.howto").fix.contains("-CertificateFilePath"), "no thumbprint off Windows");
    assert!(!get(&f, "exo.connect.howto").fix.contains("-CertificateThumbprint"));
    assert!(get(&f, "exo.proxy").message.contains("3.0.0"));
    // Same facts with a V2 module: behind a proxy on Linux that is High.
    let mut old = Facts::parse(&std::fs::read(fixture("linux-pwsh.json")).unwrap(), "l").unwrap();
    old.modules.installed[0].version = "2.0.5".into();
    let f = evaluate(&old, Lang::En);
    assert_eq!(get(&f, "exo.proxy").severity, Severity::High);
}

#[test]
fn rps_sessions_and_scripts() {
    let f = run("rps-session-and-scripts.json");
    assert_eq!(
        actionable(&f),
        [
            ("exo.script.rps", Severity::High),
            ("exo.script.use_rps", Severity::High),
            ("exo.session.rps", Severity::High),
            ("exo.powershellget.preview", Severity::Medium),
            ("exo.module.outdated", Severity::Low),
        ]
    );
    assert!(get(&f, "exo.session.rps").fix.contains("Remove-PSSession"));
    assert_eq!(get(&f, "exo.module.outdated").fix, "Update-Module -Name ExchangeOnlineManagement");
}

#[test]
fn ready_has_only_info() {
    let f = run("ready.json");
    assert!(actionable(&f).is_empty(), "{:?}", actionable(&f));
}

#[test]
fn lookalike_names() {
    assert_eq!(edit_distance("ExchangeOnlineManagment", "ExchangeOnlineManagement"), 1);
    assert_eq!(edit_distance("ab", "ba"), 1);
    for n in RULES.lookalikes {
        assert!(is_lookalike(n), "{n}");
    }
    assert!(is_lookalike("Exchange.Online.Management"));
    assert!(is_lookalike("ExchangeOnlineManagemnet"));
    assert!(!is_lookalike("ExchangeOnlineManagement"));
    assert!(!is_lookalike("exchangeonlinemanagement"));
    assert!(!is_lookalike("ExchangePowerShell"));
    assert!(!is_lookalike("Microsoft.Graph.Authentication"));
}

#[test]
fn utf16_facts_file_and_japanese() {
    let text = std::fs::read_to_string(fixture("ps74-eom-3.10.json")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let f = evaluate(&Facts::parse(&utf16, "facts.json").unwrap(), Lang::Ja);
    let e = get(&f, "exo.module.needs_newer_powershell");
    assert!(e.message.contains("PowerShell 7.6.0 以降が必要"), "{}", e.message);
}

#[test]
fn op_and_errors() {
    let facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("no-module.json")).unwrap()).unwrap();
    let req = json!({"op":"exo.readiness","params":{"facts": facts, "minSeverity":"medium"},"lang":"ja-JP"});
    let v = ops::call(&ops::parse_request(req.to_string().as_bytes()).unwrap()).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 2);
    assert_eq!(v["counts"]["High"], 1);
    assert_eq!(v["module"]["latest"], RULES.latest);
    assert!(v["findings"][0]["message"].as_str().unwrap().contains("インストールされていません"));
    let by_path = json!({"op":"exo.readiness","params":{"factsPath": fixture("ready.json")}});
    assert!(ops::call(&ops::parse_request(by_path.to_string().as_bytes()).unwrap()).is_ok());
    let none = json!({"op":"exo.readiness","params":{}});
    assert_eq!(
        ops::call(&ops::parse_request(none.to_string().as_bytes()).unwrap()).unwrap_err().code(),
        "invalid_request"
    );
    let bad = json!({"op":"exo.readiness","params":{"facts": {"powerShell": 3}}});
    assert_eq!(
        ops::call(&ops::parse_request(bad.to_string().as_bytes()).unwrap()).unwrap_err().code(),
        "invalid_request"
    );
}

#[test]
fn cli_readiness() {
    let exe = env!("CARGO_BIN_EXE_exauth");
    let o = Command::new(exe)
        .args(["exo", "readiness", "--format", "json", "--fail-on", "high"])
        .arg(fixture("ps74-eom-3.10.json"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["id"], "exo.module.needs_newer_powershell");
    let o = Command::new(exe).args(["exo", "readiness"]).arg(fixture("ready.json")).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let o = Command::new(exe).args(["exo", "readiness"]).arg(&bad).output().unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.json"));
}

#[test]
fn every_fixture_gives_localized_texts_in_both_languages() {
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        let facts = Facts::parse(&std::fs::read(&path).unwrap(), "f").unwrap();
        for lang in [Lang::En, Lang::Ja] {
            for f in evaluate(&facts, lang) {
                for t in [&f.message, &f.why] {
                    assert!(
                        !t.starts_with("exo.") && !has_placeholder(t),
                        "{}: {} untranslated: {t}",
                        path.display(),
                        f.id
                    );
                }
                assert!(!f.source.is_empty(), "{}", f.id);
                assert!(f.severity == Severity::Info || !f.fix.is_empty(), "{} has no fix", f.id);
            }
        }
    }
}

/// A `{name}` placeholder left in a text (GUIDs in braces are not placeholders).
fn has_placeholder(t: &str) -> bool {
    t.split('{').skip(1).any(|rest| {
        rest.split_once('}').is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase()))
    })
}
