//! The Outlook modern-auth rules for every Office version and every combination that matters
//! (missing, 0, 1, wrong type, policy override, deletion), each run through four sources that
//! must agree: a UTF-16LE .reg file as regedit writes it, a UTF-8 .reg file, an offline hive
//! built in the test, and a fake registry behind the live-source trait.

mod support;

use std::collections::HashMap;

use exchange_auth_tools::findings::{Finding, Severity};
use exchange_auth_tools::messages::Lang;
use exchange_auth_tools::registry::hive::{self, HiveKind};
use exchange_auth_tools::registry::regfile::{self, KeyRef, RegDocument, Root, Section};
use exchange_auth_tools::registry::rules::{self, Origin};
use exchange_auth_tools::registry::{Hive, MemHive, MemView, RegValue, RegistrySource};
use support::hive_writer::HiveBuilder;

const ID15: &str = "Software\\Microsoft\\Office\\15.0\\Common\\Identity";
const ID16: &str = "Software\\Microsoft\\Office\\16.0\\Common\\Identity";
const POL15: &str = "Software\\Policies\\Microsoft\\Office\\15.0\\Common\\Identity";
const POL16: &str = "Software\\Policies\\Microsoft\\Office\\16.0\\Common\\Identity";
const EXCH: &str = "Software\\Microsoft\\Exchange";
const C2R: &str = "SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration";

/// (hive, key, value name or "" for key only, value)
type Entry = (Hive, &'static str, &'static str, Option<RegValue>);

fn dw(d: u32) -> Option<RegValue> {
    Some(RegValue::Dword(d))
}
fn sz(s: &str) -> Option<RegValue> {
    Some(RegValue::Sz(s.into()))
}

/// A fake registry behind the same trait as the live Windows registry: a flat map, nothing
/// shared with the in-memory hive the file sources use.
#[derive(Default)]
struct FakeRegistry {
    keys: Vec<(Hive, String)>,
    values: HashMap<(Hive, String, String), RegValue>,
}

impl FakeRegistry {
    fn from(entries: &[Entry]) -> Self {
        let mut f = FakeRegistry::default();
        for (h, k, n, v) in entries {
            f.keys.push((*h, k.to_lowercase()));
            if let Some(v) = v {
                f.values.insert((*h, k.to_lowercase(), n.to_lowercase()), v.clone());
            }
        }
        f
    }
}

impl RegistrySource for FakeRegistry {
    fn value(&self, hive: Hive, key: &str, name: &str) -> Option<RegValue> {
        self.values.get(&(hive, key.to_lowercase(), name.to_lowercase())).cloned()
    }
    fn key_exists(&self, hive: Hive, key: &str) -> bool {
        let k = key.to_lowercase();
        self.keys.iter().any(|(h, p)| *h == hive && (*p == k || p.starts_with(&format!("{k}\\"))))
    }
    fn subkeys(&self, hive: Hive, key: &str) -> Vec<String> {
        let prefix = format!("{}\\", key.to_lowercase());
        let mut out: Vec<String> = Vec::new();
        for (h, p) in &self.keys {
            if let Some(rest) = p.strip_prefix(&prefix).filter(|_| *h == hive) {
                let name = rest.split('\\').next().unwrap_or_default().to_owned();
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }
}

fn sections(entries: &[Entry]) -> Vec<Section> {
    entries
        .iter()
        .map(|(h, k, n, v)| Section {
            key: KeyRef::new(if *h == Hive::CurrentUser { Root::CurrentUser } else { Root::LocalMachine }, k),
            delete: false,
            values: if n.is_empty() { vec![] } else { vec![((*n).to_owned(), v.clone())] },
        })
        .collect()
}

fn origin() -> Origin {
    Origin { machine: "PC1".into(), profile: "alice".into(), file: String::new() }
}

fn summary(found: &[Finding]) -> Vec<(String, Severity, bool)> {
    let mut v: Vec<_> = found.iter().map(|f| (f.id.clone(), f.severity, f.verified)).collect();
    v.sort();
    v
}

fn eval_doc(doc: &RegDocument) -> Vec<Finding> {
    let empty = MemHive::default();
    let user = doc.users.get("HKCU").unwrap_or(&empty);
    rules::evaluate(&MemView { user, machine: &doc.machine }, &origin(), Lang::En)
}

/// Run the entries through all four sources; all must give the same findings. Returns them.
fn through_every_source(entries: &[Entry]) -> Vec<Finding> {
    let secs = sections(entries);
    // 1. UTF-16LE .reg as regedit writes it.
    let utf16 = regfile::parse(&regfile::write(&secs), "t.reg").unwrap();
    assert!(utf16.problems.is_empty());
    let a = eval_doc(&RegDocument::from_sections(&utf16.sections));
    // 2. UTF-8 .reg with LF endings.
    let utf8 = regfile::parse(&support::utf8_reg(&secs), "t8.reg").unwrap();
    let b = eval_doc(&RegDocument::from_sections(&utf8.sections));
    // 3. Offline hives: NTUSER.DAT for HKCU, a SOFTWARE hive for HKLM.
    let (mut user, mut soft) = (HiveBuilder::new(), HiveBuilder::new());
    soft.key("Microsoft\\Windows");
    user.key("Software\\Classes");
    for (h, k, n, v) in entries {
        let (builder, key) = match h {
            Hive::CurrentUser => (&mut user, k.to_string()),
            Hive::LocalMachine => (&mut soft, k.trim_start_matches("SOFTWARE\\").to_string()),
        };
        match v {
            Some(v) => builder.set(&key, n, v.clone()),
            None => builder.key(&key),
        };
    }
    let HiveKind::User(uh) = hive::read(&user.build()).unwrap() else { panic!("user hive") };
    let HiveKind::Software(sh) = hive::read(&soft.build()).unwrap() else { panic!("software hive") };
    let c = rules::evaluate(&MemView { user: &uh, machine: &sh }, &origin(), Lang::En);
    // 4. The fake registry behind the live-source trait.
    let d = rules::evaluate(&FakeRegistry::from(entries), &origin(), Lang::En);
    assert_eq!(summary(&a), summary(&b), "UTF-16 vs UTF-8");
    assert_eq!(summary(&a), summary(&c), "reg vs hive");
    assert_eq!(summary(&a), summary(&d), "reg vs fake registry");
    for f in &a {
        for t in [&f.message, &f.why] {
            assert!(!t.starts_with("reg.") && !t.starts_with("office.") && !t.contains('{'), "{}: {t}", f.id);
        }
        assert!(f.severity == Severity::Info || !f.fix.is_empty(), "{} has no fix", f.id);
    }
    a
}

fn ids(found: &[Finding]) -> Vec<&str> {
    let mut v: Vec<&str> = found.iter().filter(|f| f.severity != Severity::Info).map(|f| f.id.as_str()).collect();
    v.sort();
    v
}

fn get<'a>(found: &'a [Finding], id: &str) -> &'a Finding {
    found.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("{id} not in {:?}", summary(found)))
}

#[test]
fn office_2013_with_nothing_set_needs_every_key() {
    let f = through_every_source(&[(Hive::CurrentUser, "Software\\Microsoft\\Office\\15.0\\Common", "", None)]);
    assert_eq!(
        ids(&f),
        ["office.2013.out_of_support", "outlook.2013.autodiscover", "outlook.2013.enable_adal", "outlook.2013.version"]
    );
    let e = get(&f, "outlook.2013.enable_adal");
    assert_eq!((e.severity, e.current.as_deref(), e.expected.as_deref()), (Severity::High, None, Some("REG_DWORD 1")));
    assert_eq!(e.target, "PC1\\alice");
    assert_eq!(e.setting, format!("HKCU\\{ID15}\\EnableADAL"));
    assert!(e.why.contains("Oct 1, 2022"), "{}", e.why);
    assert!(e.fix.contains("-Name 'EnableADAL' -PropertyType DWord -Value 1"), "{}", e.fix);
    assert_eq!((e.source.as_str(), e.verified), ("S25, S26", true));
    assert_eq!(e.context["officeVersion"], "15.0");
    let oos = get(&f, "office.2013.out_of_support");
    assert!(oos.why.contains("Apr 11, 2023") && oos.why.contains("Oct 13, 2020"), "{}", oos.why);
    assert!(!get(&f, "outlook.2013.autodiscover").verified, "path only partially verified");
}

#[test]
fn office_2013_correctly_configured_is_only_out_of_support() {
    let f = through_every_source(&[
        (Hive::CurrentUser, ID15, "EnableADAL", dw(1)),
        (Hive::CurrentUser, ID15, "Version", dw(1)),
        (Hive::CurrentUser, EXCH, "AlwaysUseMSOAuthForAutoDiscover", dw(1)),
    ]);
    assert_eq!(ids(&f), ["office.2013.out_of_support"]);
    assert!(f.iter().any(|f| f.id == "outlook.15.ok" && f.severity == Severity::Info));
}

#[test]
fn office_2013_zero_and_wrong_type() {
    let f = through_every_source(&[
        (Hive::CurrentUser, ID15, "EnableADAL", dw(0)),
        (Hive::CurrentUser, ID15, "Version", sz("1")),
        (Hive::CurrentUser, EXCH, "AlwaysUseMSOAuthForAutoDiscover", dw(1)),
    ]);
    assert_eq!(ids(&f), ["office.2013.out_of_support", "outlook.2013.enable_adal", "outlook.2013.version"]);
    assert_eq!(get(&f, "outlook.2013.enable_adal").current.as_deref(), Some("REG_DWORD 0"));
    let v = get(&f, "outlook.2013.version");
    assert_eq!((v.severity, v.current.as_deref()), (Severity::High, Some("REG_SZ \"1\"")));
    assert!(v.message.contains("REG_SZ"), "{}", v.message);
}

#[test]
fn policy_keys_win_over_user_keys_and_say_they_are_unverified() {
    // Policy 1 over user 0: fixed by policy, no finding.
    let f = through_every_source(&[
        (Hive::CurrentUser, ID15, "EnableADAL", dw(0)),
        (Hive::CurrentUser, POL15, "EnableADAL", dw(1)),
        (Hive::CurrentUser, ID15, "Version", dw(1)),
        (Hive::CurrentUser, EXCH, "AlwaysUseMSOAuthForAutoDiscover", dw(1)),
    ]);
    assert_eq!(ids(&f), ["office.2013.out_of_support"]);
    // Policy 0 over user 1: the policy's 0 is the finding, marked unverified.
    let f = through_every_source(&[
        (Hive::CurrentUser, ID16, "EnableADAL", dw(1)),
        (Hive::CurrentUser, POL16, "EnableADAL", dw(0)),
    ]);
    let e = get(&f, "outlook.16.enable_adal_off");
    assert!(!e.verified);
    assert_eq!(e.setting, format!("HKCU\\{POL16}\\EnableADAL"));
    assert!(e.message.contains("UNVERIFIED"), "{}", e.message);
    assert!(e.fix.contains("Group Policy"), "{}", e.fix);
}

#[test]
fn office_16_is_modern_by_default() {
    let f = through_every_source(&[(Hive::CurrentUser, "Software\\Microsoft\\Office\\16.0\\Outlook", "", None)]);
    assert!(ids(&f).is_empty(), "{:?}", summary(&f));
    let ok = get(&f, "outlook.16.ok");
    assert!(ok.why.contains("Oct 14, 2025"), "{}", ok.why);
    let f = through_every_source(&[(Hive::CurrentUser, ID16, "EnableADAL", dw(1))]);
    assert!(ids(&f).is_empty());
}

#[test]
fn office_16_flags_only_what_turns_modern_auth_off() {
    let f = through_every_source(&[
        (Hive::CurrentUser, ID16, "EnableADAL", dw(0)),
        (Hive::CurrentUser, ID16, "DisableADALatopWAMOverride", dw(1)),
        (Hive::CurrentUser, ID16, "DisableAADWAM", sz("1")),
        (Hive::CurrentUser, EXCH, "AlwaysUseMSOAuthForAutoDiscover", dw(0)),
    ]);
    assert_eq!(
        summary(&f).into_iter().filter(|x| x.1 != Severity::Info).collect::<Vec<_>>(),
        [
            ("outlook.16.aad_wam".to_owned(), Severity::Low, false),
            ("outlook.16.autodiscover_off".to_owned(), Severity::Low, false),
            ("outlook.16.enable_adal_off".to_owned(), Severity::High, true),
            ("outlook.16.wam_override".to_owned(), Severity::Medium, false),
        ]
    );
    let wam = get(&f, "outlook.16.wam_override");
    assert!(wam.message.contains("partially verified"), "{}", wam.message);
    assert!(wam.fix.starts_with("Remove-ItemProperty"), "{}", wam.fix);
}

#[test]
fn office_2010_and_older_cannot_do_modern_auth() {
    for (key, product) in [("14.0", "Office 2010"), ("12.0", "Office 2007")] {
        let k: &'static str = Box::leak(format!("Software\\Microsoft\\Office\\{key}\\Outlook").into_boxed_str());
        let f = through_every_source(&[(Hive::CurrentUser, k, "", None)]);
        let e = get(&f, "office.no_modern_auth");
        assert_eq!(e.severity, Severity::High);
        assert!(e.message.contains(product) && e.message.contains("cannot"), "{}", e.message);
        assert!(e.fix.contains("Microsoft 365 Apps"), "{}", e.fix);
    }
}

#[test]
fn no_office_and_click_to_run_detection() {
    let f = through_every_source(&[(Hive::CurrentUser, "Software\\Microsoft\\Windows", "", None)]);
    assert_eq!(summary(&f), [("office.none_found".to_owned(), Severity::Info, true)]);
    let f = through_every_source(&[(Hive::LocalMachine, C2R, "ClientVersionToReport", sz("16.0.17928.20156"))]);
    let ok = get(&f, "outlook.16.ok");
    assert!(ok.current.as_deref().unwrap().contains("Click-to-Run 16.0.17928.20156"), "{:?}", ok.current);
}

#[test]
fn a_value_deleted_later_in_the_file_is_gone() {
    let text = "Windows Registry Editor Version 5.00\r\n\r\n\
        [HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity]\r\n\"EnableADAL\"=dword:00000000\r\n\r\n\
        [HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity]\r\n\"EnableADAL\"=-\r\n";
    let doc = RegDocument::from_sections(&regfile::parse(text.as_bytes(), "d.reg").unwrap().sections);
    assert!(ids(&eval_doc(&doc)).is_empty());
    let text = text.replace("\"EnableADAL\"=-", "").replace(
        "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity]\r\n\r\n",
        "[-HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common]\r\n",
    );
    let doc = RegDocument::from_sections(&regfile::parse(text.as_bytes(), "d.reg").unwrap().sections);
    assert!(ids(&eval_doc(&doc)).is_empty(), "key deletion removes the 0");
}

#[test]
fn japanese_messages() {
    let secs = sections(&[(Hive::CurrentUser, ID16, "EnableADAL", dw(0))]);
    let doc = RegDocument::from_sections(&secs);
    let user = &doc.users["HKCU"];
    let f = rules::evaluate(&MemView { user, machine: &doc.machine }, &origin(), Lang::Ja);
    let e = get(&f, "outlook.16.enable_adal_off");
    assert!(e.message.contains("先進認証"), "{}", e.message);
    assert!(e.why.contains("2022 年 10 月 1 日"), "{}", e.why);
}

#[test]
fn fix_files_round_trip_and_fix_the_findings() {
    for (office, tag) in [("15.0", ".2013."), ("16.0", ".16.")] {
        let fix = rules::fix_sections(office, Root::CurrentUser, "");
        let back = regfile::parse(&regfile::write(&fix), "fix.reg").unwrap();
        assert_eq!(back.sections, fix, "round trip {office}");
        // Applying the fix over a broken profile leaves no value finding.
        let broken = sections(&[
            (Hive::CurrentUser, ID15, "EnableADAL", dw(0)),
            (Hive::CurrentUser, ID16, "EnableADAL", dw(0)),
            (Hive::CurrentUser, ID16, "DisableAADWAM", dw(1)),
        ]);
        let mut all = broken.clone();
        all.extend(back.sections);
        let found = eval_doc(&RegDocument::from_sections(&all));
        let broken_found = eval_doc(&RegDocument::from_sections(&broken));
        let before: Vec<&str> =
            ids(&broken_found).into_iter().filter(|i| i.starts_with("outlook.") && i.contains(tag)).collect();
        assert!(!before.is_empty(), "{office}: the broken profile has findings");
        let left: Vec<&str> =
            ids(&found).into_iter().filter(|i| i.starts_with("outlook.") && i.contains(tag)).collect();
        assert!(left.is_empty(), "{office}: {left:?}");
    }
}

#[test]
fn revert_restores_what_was_there_and_deletes_what_was_not() {
    let before = RegDocument::from_sections(&sections(&[
        (Hive::CurrentUser, ID15, "EnableADAL", dw(0)),
        (Hive::CurrentUser, EXCH, "AlwaysUseMSOAuthForAutoDiscover", sz("0")),
    ]));
    let empty = MemHive::default();
    let view = MemView { user: &before.users["HKCU"], machine: &empty };
    let rev = rules::revert_sections("15.0", Root::CurrentUser, "", &view);
    let back = regfile::parse(&regfile::write(&rev), "rev.reg").unwrap().sections;
    let vals: Vec<(String, Option<RegValue>)> = back.iter().flat_map(|s| s.values.clone()).collect();
    assert_eq!(
        vals,
        [
            ("EnableADAL".to_owned(), dw(0)),
            ("Version".to_owned(), None),
            ("AlwaysUseMSOAuthForAutoDiscover".to_owned(), sz("0")),
        ]
    );
    // fix then revert over the before-state gives the before-state back.
    let mut seq = sections(&[
        (Hive::CurrentUser, ID15, "EnableADAL", dw(0)),
        (Hive::CurrentUser, EXCH, "AlwaysUseMSOAuthForAutoDiscover", sz("0")),
    ]);
    seq.extend(rules::fix_sections("15.0", Root::CurrentUser, ""));
    seq.extend(back);
    let after = RegDocument::from_sections(&seq);
    let a = &after.users["HKCU"];
    assert_eq!(a.get(ID15, "EnableADAL"), Some(&RegValue::Dword(0)));
    assert_eq!(a.get(ID15, "Version"), None);
    assert_eq!(a.get(EXCH, "AlwaysUseMSOAuthForAutoDiscover"), Some(&RegValue::Sz("0".into())));
}
