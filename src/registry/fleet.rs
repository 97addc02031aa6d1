//! Files and folders of registry data (`.reg` exports and offline hives, any mix) → findings
//! and one row per machine/profile. A file that cannot be read is a [`Problem`] with its path
//! (and line for .reg files); it never stops the scan.
//!
//! Naming (decided here, documented in the README): for a file directly inside a scanned
//! folder (or given on the command line), the machine is the file name without extension
//! (`PC042.reg` → `PC042`). For a file in a subfolder, the machine is the first subfolder
//! (`fleet\PC042\…`), and the profile is the file's folder when deeper
//! (`fleet\PC042\alice\NTUSER.DAT` → `alice`) or else the file name (`fleet\PC042\alice.reg`).
//! Profiles under `HKEY_USERS\<SID>` in a .reg file are named by their SID. HKLM data (.reg
//! `HKEY_LOCAL_MACHINE` sections, `SOFTWARE` hives) is shared by every profile of the machine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::hive::{self, HiveKind};
use super::model::{MemHive, MemView};
use super::regfile::{self, CURRENT_USER_PROFILE, RegDocument};
use super::rules::{self, Origin};
use crate::findings::{self, Finding, Severity};
use crate::messages::{self, Lang};
use crate::signin::Problem;

/// One machine/profile of a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetRow {
    pub machine: String,
    pub profile: String,
    pub file: String,
    /// Office versions found (`15.0`, `16.0`, …), newest first.
    pub office_versions: Vec<String>,
    /// The worst severity among the non-Info findings, or `OK`.
    pub status: String,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// Ids of the non-Info findings.
    pub findings: Vec<String>,
}

/// Counts for the end-of-run line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetStats {
    pub files: u64,
    pub reg_files: u64,
    pub hives: u64,
    /// Files that are not registry data (ignored, e.g. hive transaction logs).
    pub ignored_files: u64,
    /// Files that could not be read (each is a problem).
    pub failed_files: u64,
    pub machines: u64,
    pub profiles: u64,
    pub problems: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetReport {
    pub rows: Vec<FleetRow>,
    pub findings: Vec<Finding>,
    pub problems: Vec<Problem>,
    pub stats: FleetStats,
}

/// What one file contributed.
#[derive(Debug, Default)]
struct Loaded {
    machine: String,
    file: String,
    machine_hive: MemHive,
    users: Vec<(String, MemHive)>,
    problems: Vec<Problem>,
    kind: FileKind,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    #[default]
    Ignored,
    Reg,
    Hive,
    Failed,
}

/// Expand paths (files and folders, recursively, in name order) into (scan root, file) pairs.
fn expand(paths: &[PathBuf], problems: &mut Vec<Problem>, lang: Lang) -> Vec<(PathBuf, PathBuf)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, PathBuf)>, problems: &mut Vec<Problem>, lang: Lang) {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                problems.push(file_problem("unreadable", dir, 0, e.to_string(), lang));
                return;
            }
        };
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out, problems, lang);
            } else {
                out.push((root.to_owned(), p));
            }
        }
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, p, &mut out, problems, lang);
        } else {
            out.push((p.parent().map(Path::to_owned).unwrap_or_default(), p.clone()));
        }
    }
    out
}

fn file_problem(code: &'static str, path: &Path, line: u64, message: String, lang: Lang) -> Problem {
    Problem { code, file: path.display().to_string(), line, record: 0, message, lang }
}

/// Machine name and profile hint from the file's place under its scan root.
pub fn names_for(root: &Path, file: &Path) -> (String, Option<String>) {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let rel: Vec<String> = file
        .strip_prefix(root)
        .unwrap_or(file)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if rel.len() <= 1 {
        return (stem, None);
    }
    let hint = if rel.len() >= 3 {
        rel[rel.len() - 2].clone()
    } else if stem.eq_ignore_ascii_case("NTUSER") {
        return (rel[0].clone(), None);
    } else {
        stem
    };
    (rel[0].clone(), Some(hint))
}

/// Hive transaction logs and similar companions of NTUSER.DAT: not registry data to check.
fn is_companion(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "log" | "log1" | "log2" | "blf" | "regtrans-ms" | "ini")
}

fn load(root: &Path, path: &Path, lang: Lang) -> Loaded {
    let (machine, hint) = names_for(root, path);
    let file = path.display().to_string();
    let mut l = Loaded { machine, file: file.clone(), ..Default::default() };
    if is_companion(path) {
        return l;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            l.kind = FileKind::Failed;
            l.problems.push(file_problem("unreadable", path, 0, e.to_string(), lang));
            return l;
        }
    };
    let is_reg_name = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("reg"));
    if hive::looks_like_hive(&bytes) {
        match hive::read(&bytes) {
            Ok(HiveKind::User(h)) => {
                l.kind = FileKind::Hive;
                l.users.push((hint.unwrap_or_else(|| "NTUSER.DAT".into()), h));
            }
            Ok(HiveKind::Software(h)) => {
                l.kind = FileKind::Hive;
                l.machine_hive = h;
            }
            Err(e) => {
                l.kind = FileKind::Failed;
                l.problems.push(file_problem("bad_hive", path, 0, e.message(lang), lang));
            }
        }
    } else if is_reg_name || regfile::looks_like_reg(&bytes) {
        match regfile::parse_in(&bytes, &file, lang) {
            Ok(parsed) => {
                l.kind = FileKind::Reg;
                l.problems = parsed.problems;
                let doc = RegDocument::from_sections(&parsed.sections);
                l.machine_hive = doc.machine;
                for (profile, h) in doc.users {
                    let name = match (&hint, profile == CURRENT_USER_PROFILE) {
                        (Some(h), true) => h.clone(),
                        _ => profile,
                    };
                    l.users.push((name, h));
                }
            }
            Err(p) => {
                l.kind = FileKind::Failed;
                l.problems.push(p);
            }
        }
    }
    l
}

/// Load every file, using the available cores.
fn load_all(files: &[(PathBuf, PathBuf)], lang: Lang) -> Vec<Loaded> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    if threads == 1 || files.len() < 64 {
        return files.iter().map(|(r, f)| load(r, f, lang)).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(|(r, f)| load(r, f, lang)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

/// Scan files and folders; see the module doc for naming.
pub fn scan(paths: &[PathBuf], lang: Lang) -> FleetReport {
    let mut report = FleetReport::default();
    let files = expand(paths, &mut report.problems, lang);
    let loaded = load_all(&files, lang);
    let mut machines: BTreeMap<&str, MemHive> = BTreeMap::new();
    for l in &loaded {
        report.stats.files += 1;
        match l.kind {
            FileKind::Reg => report.stats.reg_files += 1,
            FileKind::Hive => report.stats.hives += 1,
            FileKind::Failed => report.stats.failed_files += 1,
            FileKind::Ignored => report.stats.ignored_files += 1,
        }
        if !l.machine_hive.is_empty() || !l.users.is_empty() {
            machines.entry(&l.machine).or_default().merge_from(&l.machine_hive);
        }
    }
    // A machine-only file (a SOFTWARE hive, an HKLM export) gets its own row only when no
    // file of that machine has a profile; otherwise it is folded into those profiles' rows.
    let with_profiles: std::collections::BTreeSet<&str> =
        loaded.iter().filter(|l| !l.users.is_empty()).map(|l| l.machine.as_str()).collect();
    let empty = MemHive::default();
    for l in &loaded {
        let machine_hive = machines.get(l.machine.as_str()).unwrap_or(&empty);
        let machine_only =
            l.users.is_empty() && !l.machine_hive.is_empty() && !with_profiles.contains(l.machine.as_str());
        let views: Vec<(&str, &MemHive)> =
            if machine_only { vec![("", &empty)] } else { l.users.iter().map(|(p, h)| (p.as_str(), h)).collect() };
        for (profile, user) in views {
            let origin = Origin { machine: l.machine.clone(), profile: profile.to_owned(), file: l.file.clone() };
            let mut found = rules::evaluate(&MemView { user, machine: machine_hive }, &origin, lang);
            findings::sort(&mut found);
            report.rows.push(row(&origin, &found));
            report.findings.extend(found);
        }
    }
    report.stats.machines = machines.len() as u64;
    drop(machines);
    for l in loaded {
        report.problems.extend(l.problems);
    }
    report.stats.profiles = report.rows.len() as u64;
    report.stats.problems = report.problems.len() as u64;
    report
}

fn row(origin: &Origin, found: &[Finding]) -> FleetRow {
    let count = |s: Severity| found.iter().filter(|f| f.severity == s).count();
    let mut office: Vec<String> = found.iter().filter_map(|f| f.context.get("officeVersion").cloned()).collect();
    office.sort_by(|a, b| b.cmp(a));
    office.dedup();
    let worst = found.iter().filter(|f| f.severity != Severity::Info).map(|f| f.severity).min();
    FleetRow {
        machine: origin.machine.clone(),
        profile: origin.profile.clone(),
        file: origin.file.clone(),
        office_versions: office,
        status: worst.map_or_else(|| "OK".to_owned(), |s| s.to_string()),
        critical: count(Severity::Critical),
        high: count(Severity::High),
        medium: count(Severity::Medium),
        low: count(Severity::Low),
        findings: found.iter().filter(|f| f.severity != Severity::Info).map(|f| f.id.clone()).collect(),
    }
}

/// The registry state of one profile read from one file (a .reg export or a hive), for the
/// revert file. `profile`: a SID under `HKEY_USERS`, or `None` for HKCU / the only profile.
pub fn load_profile(path: &Path, profile: Option<&str>, lang: Lang) -> Result<MemHive, Problem> {
    let l = load(path.parent().unwrap_or(Path::new("")), path, lang);
    if let Some(p) = l.problems.into_iter().find(|_| l.kind == FileKind::Failed) {
        return Err(p);
    }
    let fail = |msg: String| file_problem("no_profile", path, 0, msg, lang);
    let names = || l.users.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
    match profile {
        Some(want) => {
            l.users.iter().find(|(n, _)| n.eq_ignore_ascii_case(want)).map(|(_, h)| h.clone()).ok_or_else(|| {
                fail(messages::format("reg.profile.missing", lang, &[("profile", &want), ("found", &names())]))
            })
        }
        None if l.users.len() == 1 => Ok(l.users[0].1.clone()),
        None if l.users.is_empty() && l.kind != FileKind::Ignored => Ok(MemHive::default()),
        None => Err(fail(messages::format(
            "reg.profile.ambiguous",
            lang,
            &[("count", &l.users.len()), ("found", &names())],
        ))),
    }
}
