//! Offline hives built in the test (tests/support/hive_writer.rs) and read through notatin:
//! values of every type, Office version detection, SOFTWARE hives, damaged hives, and the same
//! rules as the .reg path.

mod support;

use exchange_auth_tools::messages::Lang;
use exchange_auth_tools::registry::hive::{self, HiveKind};
use exchange_auth_tools::registry::rules::{self, Origin};
use exchange_auth_tools::registry::{MemHive, MemView, RegValue};
use support::hive_writer::HiveBuilder;

const ID15: &str = "Software\\Microsoft\\Office\\15.0\\Common\\Identity";
const ID16: &str = "Software\\Microsoft\\Office\\16.0\\Common\\Identity";

fn user(h: HiveKind) -> MemHive {
    match h {
        HiveKind::User(h) => h,
        other => panic!("expected a user hive, got {other:?}"),
    }
}

#[test]
fn ntuser_values_of_every_type_read_back() {
    let long = "x".repeat(40);
    let bytes = HiveBuilder::new()
        .set(ID15, "EnableADAL", RegValue::Dword(1))
        .set(ID15, "Version", RegValue::Sz("1".into()))
        .set(ID15, "Big", RegValue::Qword(0x0102_0304_0506_0708))
        .set(ID15, "Path", RegValue::ExpandSz(format!("%APPDATA%\\{long}")))
        .set(ID15, "Multi", RegValue::MultiSz(vec!["a".into(), "日本".into()]))
        .set(ID15, "Blob", RegValue::Binary(vec![1, 2, 3, 4, 5, 6]))
        .set("Software\\Microsoft\\Exchange", "AlwaysUseMSOAuthForAutoDiscover", RegValue::Dword(1))
        .key("Software\\Microsoft\\Office\\16.0\\Outlook")
        .key("Software\\Classes")
        .build();
    assert!(hive::looks_like_hive(&bytes));
    let h = user(hive::read(&bytes).expect("hive reads"));
    assert_eq!(h.get(ID15, "EnableADAL"), Some(&RegValue::Dword(1)));
    assert_eq!(h.get(ID15, "version"), Some(&RegValue::Sz("1".into())));
    assert_eq!(h.get(ID15, "Big"), Some(&RegValue::Qword(0x0102_0304_0506_0708)));
    assert_eq!(h.get(ID15, "Path"), Some(&RegValue::ExpandSz(format!("%APPDATA%\\{long}"))));
    assert_eq!(h.get(ID15, "Multi"), Some(&RegValue::MultiSz(vec!["a".into(), "日本".into()])));
    assert_eq!(h.get(ID15, "Blob"), Some(&RegValue::Binary(vec![1, 2, 3, 4, 5, 6])));
    assert_eq!(h.get("Software\\Microsoft\\Exchange", "AlwaysUseMSOAuthForAutoDiscover"), Some(&RegValue::Dword(1)));
    assert_eq!(h.subkey_names("Software\\Microsoft\\Office"), ["15.0", "16.0"]);
}

#[test]
fn hive_feeds_the_same_rules_as_reg_files() {
    let bytes = HiveBuilder::new()
        .set(ID15, "EnableADAL", RegValue::Sz("1".into())) // wrong type: a finding, not a crash
        .set(ID16, "EnableADAL", RegValue::Dword(0))
        .set("Software\\Policies\\Microsoft\\Office\\16.0\\Common\\Identity", "DisableAADWAM", RegValue::Dword(1))
        .build();
    let h = user(hive::read(&bytes).unwrap());
    let empty = MemHive::default();
    let origin = Origin { machine: "PC9".into(), profile: "alice".into(), file: "PC9/alice/NTUSER.DAT".into() };
    let f = rules::evaluate(&MemView { user: &h, machine: &empty }, &origin, Lang::En);
    let ids: Vec<&str> = f.iter().map(|f| f.id.as_str()).collect();
    for want in ["outlook.2013.enable_adal", "outlook.2013.version", "outlook.16.enable_adal_off", "outlook.16.aad_wam"]
    {
        assert!(ids.contains(&want), "{want} missing from {ids:?}");
    }
    let wrong = f.iter().find(|f| f.id == "outlook.2013.enable_adal").unwrap();
    assert_eq!(wrong.current.as_deref(), Some("REG_SZ \"1\""));
    assert!(wrong.message.contains("REG_SZ"), "{}", wrong.message);
    let policy = f.iter().find(|f| f.id == "outlook.16.aad_wam").unwrap();
    assert!(!policy.verified);
    assert!(policy.setting.starts_with("HKCU\\Software\\Policies\\"), "{}", policy.setting);
    assert_eq!(policy.target, "PC9\\alice");
}

#[test]
fn software_hive_gives_click_to_run_version() {
    let bytes = HiveBuilder::new()
        .set(
            "Microsoft\\Office\\ClickToRun\\Configuration",
            "ClientVersionToReport",
            RegValue::Sz("16.0.17928.20156".into()),
        )
        .key("Microsoft\\Windows")
        .build();
    let HiveKind::Software(m) = hive::read(&bytes).unwrap() else { panic!("expected a SOFTWARE hive") };
    let empty = MemHive::default();
    let (versions, c2r) = rules::detect_office(&MemView { user: &empty, machine: &m });
    assert_eq!(versions.iter().map(|v| v.key).collect::<Vec<_>>(), ["16.0"]);
    assert_eq!(c2r.as_deref(), Some("16.0.17928.20156"));
}

#[test]
fn damaged_hives_are_errors_not_panics() {
    let good = HiveBuilder::new().set(ID15, "EnableADAL", RegValue::Dword(1)).build();
    // Truncated, and with the root cell offset pointing outside the file.
    assert!(hive::read(&good[..4096 + 16]).is_err());
    let mut bad = good.clone();
    bad[0x24..0x28].copy_from_slice(&0x00FF_FFF0u32.to_le_bytes());
    assert!(hive::read(&bad).is_err());
    assert!(hive::read(b"regf").is_err());
}

#[test]
fn revert_file_from_an_offline_hive() {
    let dir = tempfile::tempdir().unwrap();
    let hive_path = dir.path().join("NTUSER.DAT");
    std::fs::write(&hive_path, HiveBuilder::new().set(ID16, "DisableAADWAM", RegValue::Dword(1)).build()).unwrap();
    let out = dir.path().join("fix16.reg");
    let req = serde_json::json!({"op":"registry.fix","params":{"office":"16.0","out":out,"revertFrom":hive_path}});
    let v =
        exchange_auth_tools::ops::call(&exchange_auth_tools::ops::parse_request(req.to_string().as_bytes()).unwrap())
            .unwrap();
    let rev: Vec<(String, String)> = v["revertChanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_owned(), c["action"].as_str().unwrap().to_owned()))
        .collect();
    assert!(rev.contains(&("DisableAADWAM".into(), "set".into())), "{rev:?}");
    assert!(rev.contains(&("EnableADAL".into(), "delete".into())), "{rev:?}");
    let revert = exchange_auth_tools::registry::regfile::parse(
        &std::fs::read(dir.path().join("fix16.revert.reg")).unwrap(),
        "r",
    )
    .unwrap();
    let doc = exchange_auth_tools::registry::regfile::RegDocument::from_sections(&revert.sections);
    assert_eq!(doc.users["HKCU"].get(ID16, "DisableAADWAM"), Some(&RegValue::Dword(1)));
}
