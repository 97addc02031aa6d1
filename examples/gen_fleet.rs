//! Generate a fleet folder of .reg exports for `bench/fleet.sh` (deterministic):
//! `cargo run --release --example gen_fleet -- DIR COUNT`.
//!
//! Machine i gets one of ten situations (Office 16.0 fine / EnableADAL=0, Office 2013 fixed or
//! missing Version, two profiles under HKEY_USERS, Office 2010, a malformed line and a wrong
//! type); every 1000th file has no header (a problem that must not stop the scan). Files are
//! UTF-16LE with BOM and CRLF like regedit's, every third one UTF-8, each with ~40 unrelated
//! values so their size is that of a real `Office\<v>.0\Common` export (~6 KB).

use exchange_auth_tools::registry::RegValue;
use exchange_auth_tools::registry::regfile::{self, KeyRef, Root, Section};

fn sec(root: Root, path: &str, values: Vec<(&str, Option<RegValue>)>) -> Section {
    Section {
        key: KeyRef::new(root, path),
        delete: false,
        values: values.into_iter().map(|(n, v)| (n.to_owned(), v)).collect(),
    }
}

fn filler(i: usize, ver: &str) -> Section {
    let values = (0..40)
        .map(|k| {
            let v = match k % 4 {
                0 => RegValue::Dword((i * 7 + k) as u32),
                1 => RegValue::Sz(format!("C:\\Users\\user{i}\\AppData\\Roaming\\Microsoft\\Templates\\{k}")),
                2 => RegValue::Binary((0..24).map(|b| (b * k + i) as u8).collect()),
                _ => RegValue::ExpandSz(format!("%LOCALAPPDATA%\\Microsoft\\Office\\{ver}\\cache{k}")),
            };
            (format!("Setting{k:02}"), Some(v))
        })
        .collect();
    Section {
        key: KeyRef::new(Root::CurrentUser, &format!("Software\\Microsoft\\Office\\{ver}\\Common\\General")),
        delete: false,
        values,
    }
}

fn machine(i: usize) -> Vec<Section> {
    let id = |v: &str| format!("Software\\Microsoft\\Office\\{v}\\Common\\Identity");
    let dw = |d: u32| Some(RegValue::Dword(d));
    let mut s = match i % 10 {
        0..=3 => vec![filler(i, "16.0"), sec(Root::CurrentUser, &id("16.0"), vec![("EnableADAL", dw(1))])],
        4 => vec![filler(i, "16.0"), sec(Root::CurrentUser, &id("16.0"), vec![("EnableADAL", dw(0))])],
        5 => vec![
            filler(i, "15.0"),
            sec(Root::CurrentUser, &id("15.0"), vec![("EnableADAL", dw(1)), ("Version", dw(1))]),
            sec(Root::CurrentUser, "Software\\Microsoft\\Exchange", vec![("AlwaysUseMSOAuthForAutoDiscover", dw(1))]),
        ],
        6 => vec![filler(i, "15.0"), sec(Root::CurrentUser, &id("15.0"), vec![("EnableADAL", dw(1))])],
        7 => vec![
            sec(
                Root::Users,
                &format!("S-1-5-21-100-200-300-{}\\{}", 1000 + i, id("16.0")),
                vec![("EnableADAL", dw(1))],
            ),
            sec(
                Root::Users,
                &format!("S-1-5-21-100-200-300-{}\\{}", 2000 + i, id("16.0")),
                vec![("DisableAADWAM", dw(1))],
            ),
        ],
        8 => vec![filler(i, "14.0")],
        _ => vec![
            filler(i, "16.0"),
            sec(Root::CurrentUser, &id("16.0"), vec![("EnableADAL", Some(RegValue::Sz("0".into())))]),
        ],
    };
    s.push(sec(
        Root::LocalMachine,
        "SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration",
        vec![("ClientVersionToReport", Some(RegValue::Sz(format!("16.0.{}.20156", 17000 + i % 900))))],
    ));
    s
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: gen_fleet DIR COUNT"));
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    std::fs::create_dir_all(&dir).expect("create the folder");
    for i in 0..count {
        let secs = machine(i);
        let path = dir.join(format!("PC{i:05}.reg"));
        let bytes = if i % 1000 == 999 {
            b"[HKEY_CURRENT_USER\\no header]\r\n".to_vec()
        } else if i % 3 == 2 {
            let mut t = regfile::render(&secs);
            if i % 10 == 9 {
                t.push_str("\"Broken\"=dword:nothex\r\n");
            }
            t.into_bytes()
        } else {
            regfile::write(&secs)
        };
        std::fs::write(&path, bytes).expect("write a file");
    }
    eprintln!("wrote {count} files to {}", dir.display());
}
