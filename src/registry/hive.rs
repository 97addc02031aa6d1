//! Offline registry hives (`NTUSER.DAT` of a profile, or a machine's `SOFTWARE` hive) read with
//! the `notatin` crate. Only the keys the rules read are copied into a [`MemHive`], so a large
//! hive costs a few key lookups, not a full walk.
//!
//! Which hive it is comes from its content: a root with a `Software` key is a user hive
//! (→ HKCU); a root with `Microsoft` is a `SOFTWARE` hive (→ `HKLM\SOFTWARE`).

use crate::messages::{self, Lang};
use std::io::Cursor;

use notatin::cell_key_node::CellKeyNode;
use notatin::parser::Parser;
use notatin::parser_builder::ParserBuilder;

use super::model::{MemHive, RegValue};

/// The first four bytes of every hive file.
pub const HIVE_SIGNATURE: &[u8; 4] = b"regf";

pub fn looks_like_hive(bytes: &[u8]) -> bool {
    bytes.starts_with(HIVE_SIGNATURE)
}

/// What a hive file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HiveKind {
    /// A profile's `NTUSER.DAT`: becomes that profile's HKCU.
    User(MemHive),
    /// A machine's `SOFTWARE` hive: becomes `HKLM\SOFTWARE`.
    Software(MemHive),
}

/// Keys of a user hive whose values the rules read (besides the Office keys).
const USER_KEYS: &[&str] = &["Software\\Microsoft\\Exchange"];
const OFFICE: &str = "Microsoft\\Office";
const POLICY_OFFICE: &str = "Policies\\Microsoft\\Office";
const IDENTITY: &str = "Common\\Identity";

/// Why a hive could not be read (worded by the catalogue, `reg.hive.*`, for a
/// [`crate::signin::Problem`]).
#[derive(Debug)]
pub enum HiveError {
    /// The parser stopped on malformed cells.
    Damaged,
    /// Not a registry hive notatin can open (its reason).
    Unreadable(String),
    /// The root key cannot be read (the reason, empty when there is none).
    NoRoot(String),
    /// Neither a user hive nor a SOFTWARE hive.
    Unknown,
}

impl HiveError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            HiveError::Damaged => messages::format("reg.hive.damaged", lang, &[]),
            HiveError::Unreadable(e) => messages::format("reg.hive.unreadable", lang, &[("error", e)]),
            HiveError::NoRoot(e) => messages::format("reg.hive.no_root", lang, &[("error", e)]),
            HiveError::Unknown => messages::format("reg.hive.unknown", lang, &[]),
        }
    }
}

/// Read a hive from bytes; a malformed hive never panics out of here (notatin is guarded).
pub fn read(bytes: &[u8]) -> Result<HiveKind, HiveError> {
    let owned = bytes.to_vec();
    std::panic::catch_unwind(move || read_inner(owned)).unwrap_or(Err(HiveError::Damaged))
}

fn read_inner(bytes: Vec<u8>) -> Result<HiveKind, HiveError> {
    let mut builder = ParserBuilder::from_file(Cursor::new(bytes));
    builder.recover_deleted(false);
    let mut parser = builder.build().map_err(|e| HiveError::Unreadable(e.to_string()))?;
    let mut root =
        parser.get_root_key().map_err(|e| HiveError::NoRoot(e.to_string()))?.ok_or(HiveError::NoRoot(String::new()))?;
    let top: Vec<String> = root.read_sub_keys(&mut parser).into_iter().map(|k| k.key_name).collect();
    let has = |n: &str| top.iter().any(|t| t.eq_ignore_ascii_case(n));
    let mut hive = MemHive::default();
    if has("Software") {
        for office in [format!("Software\\{OFFICE}"), format!("Software\\{POLICY_OFFICE}")] {
            copy_office(&mut parser, &mut hive, &office, &office);
        }
        for k in USER_KEYS {
            copy_values(&mut parser, &mut hive, k, k);
        }
        Ok(HiveKind::User(hive))
    } else if has("Microsoft") {
        // A SOFTWARE hive: its root is HKLM\SOFTWARE.
        copy_office(&mut parser, &mut hive, OFFICE, &format!("SOFTWARE\\{OFFICE}"));
        copy_values(
            &mut parser,
            &mut hive,
            "Microsoft\\Office\\ClickToRun\\Configuration",
            "SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration",
        );
        Ok(HiveKind::Software(hive))
    } else {
        Err(HiveError::Unknown)
    }
}

fn key(parser: &mut Parser, path: &str) -> Option<CellKeyNode> {
    parser.get_key(path, false).ok().flatten()
}

/// Copy the version keys below an Office root (`…\Office\<n>.0`) and each version's
/// `Common\Identity` values from `src` (a path in the hive) to `dest` (the path in the view).
fn copy_office(parser: &mut Parser, hive: &mut MemHive, src: &str, dest: &str) {
    let Some(mut office_key) = key(parser, src) else { return };
    let versions: Vec<String> = office_key.read_sub_keys(parser).into_iter().map(|k| k.key_name).collect();
    for v in versions {
        hive.create_key(&format!("{dest}\\{v}"));
        copy_values(parser, hive, &format!("{src}\\{v}\\{IDENTITY}"), &format!("{dest}\\{v}\\{IDENTITY}"));
    }
}

fn copy_values(parser: &mut Parser, hive: &mut MemHive, src: &str, dest: &str) {
    let Some(k) = key(parser, src) else { return };
    hive.create_key(dest);
    for v in k.value_iter() {
        let bytes = v.detail.value_bytes().unwrap_or_default();
        let value = RegValue::from_raw(v.data_type as u32, &bytes);
        hive.set_value(dest, &v.get_pretty_name(), value);
    }
}
