//! Registry keys and values as every source sees them: typed values (REG_DWORD, REG_SZ, …),
//! roots, the [`RegistrySource`] trait the rules read through, and an in-memory hive
//! ([`MemHive`]) that `.reg` files, offline hives and the tests' fake registry fill.
//!
//! Key paths are relative to their hive (`Software\Microsoft\Office\15.0\Common\Identity`) and
//! compared case-insensitively, as Windows does; names keep the spelling first seen.

use std::collections::BTreeMap;

/// A typed registry value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegValue {
    /// REG_SZ.
    Sz(String),
    /// REG_EXPAND_SZ.
    ExpandSz(String),
    /// REG_MULTI_SZ.
    MultiSz(Vec<String>),
    /// REG_DWORD (little-endian).
    Dword(u32),
    /// REG_QWORD.
    Qword(u64),
    /// REG_BINARY.
    Binary(Vec<u8>),
    /// REG_NONE and every other type, kept as raw bytes with its type number.
    Other { kind: u32, data: Vec<u8> },
}

impl RegValue {
    pub const REG_NONE: u32 = 0;
    pub const REG_SZ: u32 = 1;
    pub const REG_EXPAND_SZ: u32 = 2;
    pub const REG_BINARY: u32 = 3;
    pub const REG_DWORD: u32 = 4;
    pub const REG_MULTI_SZ: u32 = 7;
    pub const REG_QWORD: u32 = 11;

    /// The numeric type (REG_SZ = 1, REG_DWORD = 4, …).
    pub fn kind(&self) -> u32 {
        match self {
            RegValue::Sz(_) => Self::REG_SZ,
            RegValue::ExpandSz(_) => Self::REG_EXPAND_SZ,
            RegValue::MultiSz(_) => Self::REG_MULTI_SZ,
            RegValue::Dword(_) => Self::REG_DWORD,
            RegValue::Qword(_) => Self::REG_QWORD,
            RegValue::Binary(_) => Self::REG_BINARY,
            RegValue::Other { kind, .. } => *kind,
        }
    }

    /// The type's name as regedit shows it.
    pub fn type_name(&self) -> String {
        match self.kind() {
            Self::REG_NONE => "REG_NONE".into(),
            Self::REG_SZ => "REG_SZ".into(),
            Self::REG_EXPAND_SZ => "REG_EXPAND_SZ".into(),
            Self::REG_BINARY => "REG_BINARY".into(),
            Self::REG_DWORD => "REG_DWORD".into(),
            5 => "REG_DWORD_BIG_ENDIAN".into(),
            6 => "REG_LINK".into(),
            Self::REG_MULTI_SZ => "REG_MULTI_SZ".into(),
            Self::REG_QWORD => "REG_QWORD".into(),
            k => format!("REG_TYPE_{k:#x}"),
        }
    }

    /// Build a value from its type number and raw bytes (as hives and `RegQueryValueExW`
    /// return them: strings UTF-16LE, NUL-terminated).
    pub fn from_raw(kind: u32, data: &[u8]) -> RegValue {
        match kind {
            Self::REG_SZ => RegValue::Sz(utf16_string(data)),
            Self::REG_EXPAND_SZ => RegValue::ExpandSz(utf16_string(data)),
            Self::REG_MULTI_SZ => RegValue::MultiSz(utf16_multi(data)),
            Self::REG_DWORD if data.len() == 4 => {
                RegValue::Dword(u32::from_le_bytes([data[0], data[1], data[2], data[3]]))
            }
            Self::REG_QWORD if data.len() == 8 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(data);
                RegValue::Qword(u64::from_le_bytes(b))
            }
            Self::REG_BINARY => RegValue::Binary(data.to_vec()),
            _ => RegValue::Other { kind, data: data.to_vec() },
        }
    }

    /// The raw bytes as the registry stores them (inverse of [`RegValue::from_raw`]).
    pub fn to_raw(&self) -> Vec<u8> {
        match self {
            RegValue::Sz(s) | RegValue::ExpandSz(s) => utf16z(s),
            RegValue::MultiSz(v) => {
                let mut out: Vec<u8> = v.iter().flat_map(|s| utf16z(s)).collect();
                out.extend_from_slice(&[0, 0]);
                out
            }
            RegValue::Dword(d) => d.to_le_bytes().to_vec(),
            RegValue::Qword(q) => q.to_le_bytes().to_vec(),
            RegValue::Binary(b) | RegValue::Other { data: b, .. } => b.clone(),
        }
    }

    /// A short human form: `REG_DWORD 1`, `REG_SZ "1"`.
    pub fn display(&self) -> String {
        match self {
            RegValue::Dword(d) => format!("REG_DWORD {d}"),
            RegValue::Qword(q) => format!("REG_QWORD {q}"),
            RegValue::Sz(s) | RegValue::ExpandSz(s) => format!("{} \"{s}\"", self.type_name()),
            RegValue::MultiSz(v) => format!("REG_MULTI_SZ {v:?}"),
            RegValue::Binary(b) | RegValue::Other { data: b, .. } => {
                let hex: Vec<String> = b.iter().take(16).map(|x| format!("{x:02x}")).collect();
                let more = if b.len() > 16 { ",…" } else { "" };
                format!("{} {}{more}", self.type_name(), hex.join(","))
            }
        }
    }
}

fn utf16_units(data: &[u8]) -> Vec<u16> {
    data.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect()
}

fn utf16_string(data: &[u8]) -> String {
    let units = utf16_units(data);
    let end = units.iter().position(|&u| u == 0).unwrap_or(units.len());
    String::from_utf16_lossy(&units[..end])
}

fn utf16_multi(data: &[u8]) -> Vec<String> {
    let units = utf16_units(data);
    let mut out: Vec<String> = units.split(|&u| u == 0).map(String::from_utf16_lossy).collect();
    // A well-formed MULTI_SZ ends with two NULs: drop the empty tail strings they produce.
    while out.last().is_some_and(|s| s.is_empty()) {
        out.pop();
    }
    out
}

/// UTF-16LE with a terminating NUL.
pub fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect()
}

/// Which hive a rule reads: the user's (`HKCU`, or `HKEY_USERS\<SID>` for another profile) or
/// the machine's (`HKLM`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hive {
    CurrentUser,
    LocalMachine,
}

impl Hive {
    pub fn prefix(self) -> &'static str {
        match self {
            Hive::CurrentUser => "HKCU",
            Hive::LocalMachine => "HKLM",
        }
    }
}

/// Read access to one machine/profile view of the registry. Implemented by the in-memory
/// [`MemView`] (`.reg` files, offline hives, the tests' fake) and by the live Windows registry.
pub trait RegistrySource {
    /// The value, or `None` when the value (or its key) does not exist.
    fn value(&self, hive: Hive, key: &str, name: &str) -> Option<RegValue>;
    /// Whether the key exists.
    fn key_exists(&self, hive: Hive, key: &str) -> bool;
    /// Names of the key's direct subkeys (empty when the key does not exist).
    fn subkeys(&self, hive: Hive, key: &str) -> Vec<String>;
}

/// One key of a [`MemHive`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemKey {
    /// The path as first written (case kept).
    pub path: String,
    /// Lower-cased value name → (name as written, value). The default value's name is "".
    pub values: BTreeMap<String, (String, RegValue)>,
}

/// An in-memory hive: lower-cased key path → key. Parent keys are implied by their children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemHive {
    keys: BTreeMap<String, MemKey>,
}

/// Normalise a key path for lookups: trim separators, lower-case.
pub fn norm_key(path: &str) -> String {
    path.trim_matches('\\').to_lowercase()
}

impl MemHive {
    /// Create the key if needed and return it.
    pub fn create_key(&mut self, path: &str) -> &mut MemKey {
        let path = path.trim_matches('\\');
        self.keys.entry(norm_key(path)).or_insert_with(|| MemKey { path: path.to_owned(), values: BTreeMap::new() })
    }

    pub fn set_value(&mut self, key: &str, name: &str, value: RegValue) {
        self.create_key(key).values.insert(name.to_lowercase(), (name.to_owned(), value));
    }

    pub fn delete_value(&mut self, key: &str, name: &str) {
        if let Some(k) = self.keys.get_mut(&norm_key(key)) {
            k.values.remove(&name.to_lowercase());
        }
    }

    /// Delete the key and everything below it (as `[-key]` in a .reg file does).
    pub fn delete_key(&mut self, path: &str) {
        let k = norm_key(path);
        let below = format!("{k}\\");
        self.keys.retain(|p, _| p != &k && !p.starts_with(&below));
    }

    pub fn key(&self, path: &str) -> Option<&MemKey> {
        self.keys.get(&norm_key(path))
    }

    pub fn get(&self, key: &str, name: &str) -> Option<&RegValue> {
        self.key(key)?.values.get(&name.to_lowercase()).map(|(_, v)| v)
    }

    pub fn exists(&self, path: &str) -> bool {
        let k = norm_key(path);
        if k.is_empty() {
            return !self.keys.is_empty();
        }
        let below = format!("{k}\\");
        self.keys.contains_key(&k)
            || self.keys.range(below.clone()..).next().is_some_and(|(p, _)| p.starts_with(&below))
    }

    /// Direct subkey names below `path` (including keys only implied by deeper ones).
    pub fn subkey_names(&self, path: &str) -> Vec<String> {
        let k = norm_key(path);
        let prefix = if k.is_empty() { String::new() } else { format!("{k}\\") };
        let mut out: Vec<String> = Vec::new();
        for (p, key) in self.keys.range(prefix.clone()..) {
            let Some(rest) = p.strip_prefix(&prefix) else { break };
            let depth = k.matches('\\').count() + usize::from(!k.is_empty());
            let name_lower = rest.split('\\').next().unwrap_or_default();
            // Keep the written spelling when the key itself is present.
            let written = key.path.split('\\').nth(depth).unwrap_or(name_lower);
            if !out.iter().any(|n| n.eq_ignore_ascii_case(written)) && !name_lower.is_empty() {
                out.push(written.to_owned());
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Copy every key and value of `other` into this hive (`other` wins on conflicts).
    pub fn merge_from(&mut self, other: &MemHive) {
        for k in other.keys.values() {
            let dest = self.create_key(&k.path);
            for (lower, v) in &k.values {
                dest.values.insert(lower.clone(), v.clone());
            }
        }
    }

    /// Every key, in path order.
    pub fn keys(&self) -> impl Iterator<Item = &MemKey> {
        self.keys.values()
    }
}

/// One machine/profile view over in-memory hives: the profile's HKCU and the machine's HKLM.
#[derive(Debug, Clone, Copy)]
pub struct MemView<'a> {
    pub user: &'a MemHive,
    pub machine: &'a MemHive,
}

impl MemView<'_> {
    fn hive(&self, h: Hive) -> &MemHive {
        match h {
            Hive::CurrentUser => self.user,
            Hive::LocalMachine => self.machine,
        }
    }
}

impl RegistrySource for MemView<'_> {
    fn value(&self, hive: Hive, key: &str, name: &str) -> Option<RegValue> {
        self.hive(hive).get(key, name).cloned()
    }
    fn key_exists(&self, hive: Hive, key: &str) -> bool {
        self.hive(hive).exists(key)
    }
    fn subkeys(&self, hive: Hive, key: &str) -> Vec<String> {
        self.hive(hive).subkey_names(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_round_trip_every_type() {
        for v in [
            RegValue::Sz("a\"b\\c 日本".into()),
            RegValue::ExpandSz("%USERPROFILE%\\x".into()),
            RegValue::MultiSz(vec!["one".into(), "two".into()]),
            RegValue::Dword(0xdead_beef),
            RegValue::Qword(u64::MAX - 1),
            RegValue::Binary(vec![0, 1, 255]),
            RegValue::Other { kind: 0, data: vec![] },
        ] {
            assert_eq!(RegValue::from_raw(v.kind(), &v.to_raw()), v);
        }
        // A DWORD of the wrong length is not a DWORD.
        assert!(matches!(RegValue::from_raw(4, &[1, 0]), RegValue::Other { kind: 4, .. }));
    }

    #[test]
    fn mem_hive_is_case_insensitive_and_implies_parents() {
        let mut h = MemHive::default();
        h.set_value("Software\\Microsoft\\Office\\15.0\\Common\\Identity", "EnableADAL", RegValue::Dword(1));
        h.create_key("Software\\Microsoft\\Office\\16.0");
        assert_eq!(
            h.get("software\\microsoft\\office\\15.0\\common\\identity", "enableadal"),
            Some(&RegValue::Dword(1))
        );
        assert!(h.exists("SOFTWARE\\Microsoft\\Office\\15.0"));
        assert!(!h.exists("Software\\Microsoft\\Office\\15"));
        assert_eq!(h.subkey_names("Software\\Microsoft\\Office"), ["15.0", "16.0"]);
        h.delete_key("Software\\Microsoft\\Office\\15.0");
        assert!(!h.exists("Software\\Microsoft\\Office\\15.0\\Common"));
        assert!(h.exists("Software\\Microsoft\\Office\\16.0"));
    }
}
