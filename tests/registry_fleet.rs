//! A fleet folder: many machines and profiles, mixed .reg encodings and hives, a malformed file
//! and a non-registry file; one row per machine/profile; the ops and the CLI over it.

mod support;

use std::path::Path;
use std::process::Command;

use exchange_auth_tools::ops;
use exchange_auth_tools::registry::RegValue;
use exchange_auth_tools::registry::fleet;
use exchange_auth_tools::registry::regfile;
use serde_json::json;
use support::hive_writer::HiveBuilder;
use support::{hkcu, utf8_reg};

const ID15: &str = "Software\\Microsoft\\Office\\15.0\\Common\\Identity";
const ID16: &str = "Software\\Microsoft\\Office\\16.0\\Common\\Identity";

fn build_fleet(dir: &Path) {
    let good16 = [hkcu(ID16, &[("EnableADAL", Some(RegValue::Dword(1)))])];
    let bad15 = [hkcu(ID15, &[("EnableADAL", Some(RegValue::Dword(0)))])];
    std::fs::write(dir.join("PC001.reg"), regfile::write(&good16)).unwrap();
    std::fs::write(dir.join("PC002.reg"), utf8_reg(&bad15)).unwrap();
    // Two profiles of one machine in one export (HKEY_USERS\<SID>).
    let two = "Windows Registry Editor Version 5.00\r\n\r\n\
        [HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Office\\16.0\\Common\\Identity]\r\n\"EnableADAL\"=dword:00000000\r\n\r\n\
        [HKEY_USERS\\S-1-5-21-1-2-3-1002\\Software\\Microsoft\\Office\\16.0\\Common\\Identity]\r\n\"EnableADAL\"=dword:00000001\r\n";
    std::fs::write(dir.join("PC003.reg"), two).unwrap();
    // A machine folder with a profile hive and the machine's SOFTWARE hive.
    std::fs::create_dir_all(dir.join("PC004/alice")).unwrap();
    let ntuser = HiveBuilder::new().set(ID16, "DisableAADWAM", RegValue::Dword(1)).build();
    std::fs::write(dir.join("PC004/alice/NTUSER.DAT"), ntuser).unwrap();
    std::fs::write(dir.join("PC004/alice/NTUSER.DAT.LOG1"), b"regf-not-really").unwrap();
    let software = HiveBuilder::new()
        .set("Microsoft\\Office\\ClickToRun\\Configuration", "ClientVersionToReport", RegValue::Sz("16.0.1.2".into()))
        .build();
    std::fs::write(dir.join("PC004/SOFTWARE"), software).unwrap();
    // Broken inputs: a .reg without header, a truncated hive, a malformed line in a good file.
    std::fs::write(dir.join("PC005.reg"), "[HKEY_CURRENT_USER\\x]\n").unwrap();
    std::fs::write(dir.join("PC006.dat"), b"regf\x01\x00").unwrap();
    std::fs::write(
        dir.join("PC007.reg"),
        "Windows Registry Editor Version 5.00\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\15.0\\Common\\Identity]\n\"EnableADAL\"=dword:zz\n\"Version\"=dword:00000001\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "inventory notes").unwrap();
}

#[test]
fn one_row_per_machine_profile_and_bad_files_do_not_stop_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    build_fleet(dir.path());
    let r = fleet::scan(&[dir.path().to_owned()], exchange_auth_tools::messages::Lang::En);
    let rows: Vec<(String, String, String)> =
        r.rows.iter().map(|x| (x.machine.clone(), x.profile.clone(), x.status.clone())).collect();
    let s = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    assert_eq!(
        rows,
        [
            s("PC001", "HKCU", "OK"),
            s("PC002", "HKCU", "High"),
            s("PC003", "S-1-5-21-1-2-3-1001", "High"),
            s("PC003", "S-1-5-21-1-2-3-1002", "OK"),
            s("PC004", "alice", "Medium"),
            s("PC007", "HKCU", "High"),
        ]
    );
    // PC004's SOFTWARE hive is shared with alice's profile.
    let alice = r.rows.iter().find(|x| x.profile == "alice").unwrap();
    assert_eq!(alice.office_versions, ["16.0"]);
    assert_eq!(alice.findings, ["outlook.16.aad_wam"]);
    let problems: Vec<(String, &str, u64)> = r
        .problems
        .iter()
        .map(|p| (Path::new(&p.file).file_name().unwrap().to_string_lossy().into_owned(), p.code, p.line))
        .collect();
    assert_eq!(
        problems,
        [
            ("PC005.reg".to_owned(), "not_a_reg_file", 1),
            ("PC006.dat".to_owned(), "bad_hive", 0),
            ("PC007.reg".to_owned(), "bad_reg_value", 3),
        ]
    );
    assert_eq!(r.stats.files, 10);
    assert_eq!((r.stats.reg_files, r.stats.hives, r.stats.failed_files, r.stats.ignored_files), (4, 2, 2, 2));
    assert_eq!((r.stats.machines, r.stats.profiles), (5, 6));
}

#[test]
fn naming_from_files_and_folders() {
    let root = Path::new("/f");
    assert_eq!(fleet::names_for(root, Path::new("/f/PC1.reg")), ("PC1".into(), None));
    assert_eq!(fleet::names_for(root, Path::new("/f/PC1/bob.reg")), ("PC1".into(), Some("bob".into())));
    assert_eq!(fleet::names_for(root, Path::new("/f/PC1/NTUSER.DAT")), ("PC1".into(), None));
    assert_eq!(fleet::names_for(root, Path::new("/f/PC1/Users/eve/NTUSER.DAT")), ("PC1".into(), Some("eve".into())));
}

#[test]
fn ops_check_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    build_fleet(dir.path());
    let req = json!({"op":"registry.check","params":{"paths":[dir.path()],"minSeverity":"high"}});
    let v = ops::call(&ops::parse_request(req.to_string().as_bytes()).unwrap()).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["severity"] == "High" || f["severity"] == "Critical"));
    assert_eq!(v["rows"].as_array().unwrap().len(), 6);
    assert_eq!(v["problems"].as_array().unwrap().len(), 3);
    assert_eq!(v["counts"]["High"], v["findings"].as_array().unwrap().len());
    let bad = json!({"op":"registry.check","params":{"paths":[],"minSeverity":"x"}});
    assert_eq!(
        ops::call(&ops::parse_request(bad.to_string().as_bytes()).unwrap()).unwrap_err().code(),
        "invalid_request"
    );

    let out = dir.path().join("fix.reg");
    let req =
        json!({"op":"registry.fix","params":{"office":"15.0","out":out,"revertFrom":dir.path().join("PC002.reg")}});
    let v = ops::call(&ops::parse_request(req.to_string().as_bytes()).unwrap()).unwrap();
    assert_eq!(v["written"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["changes"][0],
        json!({"key": format!("HKCU:\\{ID15}"), "name":"EnableADAL","type":"DWord","value":1,"action":"set"})
    );
    assert_eq!(v["revertChanges"][0]["value"], 0);
    assert_eq!(v["revertChanges"][1]["action"], "delete");
    let written = regfile::parse(&std::fs::read(&out).unwrap(), "fix.reg").unwrap();
    assert_eq!(regfile::render(&written.sections), v["regText"].as_str().unwrap());
    let bad = json!({"op":"registry.fix","params":{"office":"14.0"}});
    let e = ops::call(&ops::parse_request(bad.to_string().as_bytes()).unwrap()).unwrap_err();
    assert!(e.to_string().contains("upgrade"), "{e}");
    let sid = json!({"op":"registry.fix","params":{"office":"16.0","profile":"S-1-5-21-1-2-3-1001"}});
    let v = ops::call(&ops::parse_request(sid.to_string().as_bytes()).unwrap()).unwrap();
    assert!(
        v["regText"]
            .as_str()
            .unwrap()
            .contains("[HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Office\\16.0\\Common\\Identity]")
    );
    assert!(v["changes"][0]["key"].as_str().unwrap().starts_with("Registry::HKEY_USERS\\S-1-5-21-1-2-3-1001\\"));
}

#[test]
fn cli_check_fleet_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    build_fleet(dir.path());
    let exe = env!("CARGO_BIN_EXE_exauth");
    let o = Command::new(exe)
        .args(["registry", "check", "--format", "json", "--lang", "en-US"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "problems → exit 1");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "outlook.2013.enable_adal" && f["context"]["machine"] == "PC002")
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("PC005.reg:1"), "{stderr}");
    let o = Command::new(exe)
        .args(["registry", "fleet", "--fail-on", "high", "--format", "csv"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4));
    assert!(o.stdout.starts_with("\u{feff}machine,profile".as_bytes()));
    let out = dir.path().join("out16.reg");
    let o = Command::new(exe).args(["registry", "fix", "--office", "16.0", "--out"]).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
    let o = Command::new(exe).args(["registry", "fix", "--office", "13", "--out"]).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[cfg(not(windows))]
#[test]
fn live_registry_off_windows_is_a_clear_error() {
    let req = json!({"op":"registry.check","params":{"live":true}});
    let e = ops::call(&ops::parse_request(req.to_string().as_bytes()).unwrap()).unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.to_string().contains("only available on Windows"), "{e}");
}
