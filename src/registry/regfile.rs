//! `.reg` files: the reader (regedit 5 exports in UTF-16LE with BOM and CRLF, `REGEDIT4`, and
//! UTF-8/ASCII files like Microsoft's documentation samples) and the writer (always what
//! regedit writes: UTF-16LE, BOM, CRLF, `Windows Registry Editor Version 5.00`).
//!
//! The file is kept as it is written, a list of [`Section`]s (`[key]` / `[-key]` with its value
//! lines), so writing what we read gives the same sections back (the round-trip tests rely on
//! it). [`RegDocument::from_sections`] applies the sections to in-memory hives for the rules.
//!
//! A malformed line is a [`Problem`] naming file and line; the rest of the file is still read.

use std::collections::BTreeMap;

use super::model::{MemHive, RegValue};
use crate::messages::{self, Lang};
use crate::signin::Problem;

/// The root of a key as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Root {
    CurrentUser,
    LocalMachine,
    /// `HKEY_USERS`; the first path component is the profile (a SID or `.DEFAULT`).
    Users,
    ClassesRoot,
    CurrentConfig,
}

impl Root {
    pub fn long_name(self) -> &'static str {
        match self {
            Root::CurrentUser => "HKEY_CURRENT_USER",
            Root::LocalMachine => "HKEY_LOCAL_MACHINE",
            Root::Users => "HKEY_USERS",
            Root::ClassesRoot => "HKEY_CLASSES_ROOT",
            Root::CurrentConfig => "HKEY_CURRENT_CONFIG",
        }
    }

    fn parse(s: &str) -> Option<Root> {
        Some(match s.to_ascii_uppercase().as_str() {
            "HKEY_CURRENT_USER" | "HKCU" => Root::CurrentUser,
            "HKEY_LOCAL_MACHINE" | "HKLM" => Root::LocalMachine,
            "HKEY_USERS" | "HKU" => Root::Users,
            "HKEY_CLASSES_ROOT" | "HKCR" => Root::ClassesRoot,
            "HKEY_CURRENT_CONFIG" | "HKCC" => Root::CurrentConfig,
            _ => return None,
        })
    }
}

/// A key: its root and the path below it (no leading or trailing `\`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyRef {
    pub root: Root,
    pub path: String,
}

impl KeyRef {
    pub fn new(root: Root, path: &str) -> KeyRef {
        KeyRef { root, path: path.trim_matches('\\').to_owned() }
    }
}

impl std::fmt::Display for KeyRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(self.root.long_name())
        } else {
            write!(f, "{}\\{}", self.root.long_name(), self.path)
        }
    }
}

/// One `[key]` (or `[-key]`) section and its value lines. A `None` value is a deletion (`"x"=-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub key: KeyRef,
    pub delete: bool,
    /// (name, value); the default value's name is "" (`@=`).
    pub values: Vec<(String, Option<RegValue>)>,
}

/// Which header the file had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegFormat {
    /// `Windows Registry Editor Version 5.00` (strings in hex(…) are UTF-16LE).
    V5,
    /// `REGEDIT4` (strings in hex(…) are single-byte).
    Regedit4,
}

/// A parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegFile {
    pub format: RegFormat,
    pub sections: Vec<Section>,
    pub problems: Vec<Problem>,
}

const HEADER_V5: &str = "Windows Registry Editor Version 5.00";
const HEADER_V4: &str = "REGEDIT4";

fn problem(code: &'static str, file: &str, line: u64, message: String, lang: Lang) -> Problem {
    Problem { code, file: file.to_owned(), line, record: 0, message, lang }
}

/// Why a line of a .reg file could not be read, worded by the catalogue (`reg.parse.*`).
#[derive(Debug)]
enum LineError {
    KeyLine(String),
    UnknownRoot(String),
    ExpectedQuote,
    Unterminated,
    ExpectedEquals(String),
    TextAfterString(String),
    DwordDigits(String),
    DwordNotHex(String),
    HexTypeMissing,
    HexTypeNotHex(String),
    UnknownData(String),
    NotHexByte(String),
    WrongSize {
        what: &'static str,
        need: usize,
        found: usize,
    },
    ValueUnderDeletion,
    ValueBeforeKey,
    /// In the value's name.
    InName(Box<LineError>),
    /// In the data of the value named.
    InValue(String, Box<LineError>),
}

impl LineError {
    fn message(&self, lang: Lang) -> String {
        use LineError as E;
        let say = |key: &str, args: &[(&str, &dyn std::fmt::Display)]| messages::format(key, lang, args);
        match self {
            E::KeyLine(found) => say("reg.parse.key_line", &[("found", found)]),
            E::UnknownRoot(root) => say("reg.parse.unknown_root", &[("root", root)]),
            E::ExpectedQuote => say("reg.parse.expected_quote", &[]),
            E::Unterminated => say("reg.parse.unterminated", &[]),
            E::ExpectedEquals(name) => say("reg.parse.expected_equals", &[("name", name)]),
            E::TextAfterString(rest) => say("reg.parse.text_after_string", &[("rest", rest)]),
            E::DwordDigits(hex) => say("reg.parse.dword_digits", &[("hex", hex)]),
            E::DwordNotHex(hex) => say("reg.parse.dword_not_hex", &[("hex", hex)]),
            E::HexTypeMissing => say("reg.parse.hex_type_missing", &[]),
            E::HexTypeNotHex(kind) => say("reg.parse.hex_type_not_hex", &[("kind", kind)]),
            E::UnknownData(data) => say("reg.parse.unknown_data", &[("data", data)]),
            E::NotHexByte(byte) => say("reg.parse.not_hex_byte", &[("byte", byte)]),
            E::WrongSize { what, need, found } => {
                say("reg.parse.wrong_size", &[("what", what), ("need", need), ("found", found)])
            }
            E::ValueUnderDeletion => say("reg.parse.value_under_deletion", &[]),
            E::ValueBeforeKey => say("reg.parse.value_before_key", &[]),
            E::InName(e) => say("reg.parse.in_name", &[("error", &e.message(lang))]),
            E::InValue(name, e) => say("reg.parse.in_value", &[("name", name), ("error", &e.message(lang))]),
        }
    }
}

/// Decode the bytes of a .reg file: UTF-16LE/BE by BOM, UTF-8 (BOM optional), and for anything
/// that is not UTF-8 the ANSI code page regedit 4 used (Windows-1252).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Whether the bytes look like a .reg file (header after an optional BOM).
pub fn looks_like_reg(bytes: &[u8]) -> bool {
    let head = decode(&bytes[..bytes.len().min(160)]);
    let first = head.trim_start_matches('\u{feff}').lines().next().unwrap_or("").trim();
    first.eq_ignore_ascii_case(HEADER_V5) || first.eq_ignore_ascii_case(HEADER_V4)
}

/// Parse a .reg file. `Err` only when the file is not a .reg file at all (no header); every
/// other problem is reported in [`RegFile::problems`] and the rest of the file is read.
/// Problems in English; [`parse_in`] for another language.
pub fn parse(bytes: &[u8], file: &str) -> Result<RegFile, Problem> {
    parse_in(bytes, file, Lang::En)
}

/// [`parse`] with problem messages in `lang`.
pub fn parse_in(bytes: &[u8], file: &str, lang: Lang) -> Result<RegFile, Problem> {
    let text = decode(bytes);
    let mut lines = text.split('\n').enumerate().map(|(i, l)| (i as u64 + 1, l.trim_end_matches('\r')));
    let format = loop {
        match lines.next() {
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((_, l)) if l.trim().eq_ignore_ascii_case(HEADER_V5) => break RegFormat::V5,
            Some((_, l)) if l.trim().eq_ignore_ascii_case(HEADER_V4) => break RegFormat::Regedit4,
            Some((n, l)) => {
                let got: String = l.chars().take(40).collect();
                let m = messages::format(
                    "reg.parse.not_a_reg_file",
                    lang,
                    &[("v5", &HEADER_V5), ("v4", &HEADER_V4), ("found", &got)],
                );
                return Err(problem("not_a_reg_file", file, n, m, lang));
            }
            None => {
                return Err(problem("empty_file", file, 0, messages::format("reg.parse.empty_file", lang, &[]), lang));
            }
        }
    };
    let mut out = RegFile { format, sections: Vec::new(), problems: Vec::new() };
    // `Some(false)` after a key line we could not read: its values are skipped quietly.
    let mut in_bad_key = false;
    while let Some((n, first)) = lines.next() {
        let mut line = first.trim().to_owned();
        // A trailing backslash continues a value line (regedit wraps long hex data).
        while (line.starts_with('"') || line.starts_with('@')) && line.ends_with('\\') {
            match lines.next() {
                Some((_, next)) => {
                    line.pop();
                    line.push_str(next.trim());
                }
                None => break,
            }
        }
        if line.is_empty() || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            in_bad_key = false;
            match parse_key_line(&line) {
                Ok((key, delete)) => out.sections.push(Section { key, delete, values: Vec::new() }),
                Err(e) => {
                    in_bad_key = true;
                    out.problems.push(problem("bad_reg_key", file, n, e.message(lang), lang));
                }
            }
            continue;
        }
        if in_bad_key {
            continue;
        }
        let misplaced = match parse_value_line(&line, format) {
            Ok((name, value)) => match out.sections.last_mut() {
                Some(s) if !s.delete => {
                    s.values.push((name, value));
                    None
                }
                Some(_) => Some(LineError::ValueUnderDeletion),
                None => Some(LineError::ValueBeforeKey),
            },
            Err(e) => Some(e),
        };
        if let Some(e) = misplaced {
            out.problems.push(problem("bad_reg_value", file, n, e.message(lang), lang));
        }
    }
    Ok(out)
}

fn parse_key_line(line: &str) -> Result<(KeyRef, bool), LineError> {
    let inner =
        line.strip_prefix('[').and_then(|l| l.strip_suffix(']')).ok_or_else(|| LineError::KeyLine(line.to_owned()))?;
    let (delete, inner) = match inner.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let (root, path) = inner.split_once('\\').unwrap_or((inner, ""));
    let root = Root::parse(root.trim()).ok_or_else(|| LineError::UnknownRoot(root.to_owned()))?;
    Ok((KeyRef::new(root, path), delete))
}

/// Parse a quoted string with regedit's escapes (`\\`, `\"`); returns the string and the rest.
fn parse_quoted(s: &str) -> Result<(String, &str), LineError> {
    let body = s.strip_prefix('"').ok_or(LineError::ExpectedQuote)?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &body[i + 1..])),
            '\\' => match chars.next() {
                Some((_, e @ ('\\' | '"'))) => out.push(e),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => break,
            },
            c => out.push(c),
        }
    }
    Err(LineError::Unterminated)
}

fn parse_value_line(line: &str, format: RegFormat) -> Result<(String, Option<RegValue>), LineError> {
    let (name, rest) = if let Some(rest) = line.strip_prefix('@') {
        (String::new(), rest)
    } else {
        parse_quoted(line).map_err(|e| LineError::InName(Box::new(e)))?
    };
    let data = rest.trim_start().strip_prefix('=').ok_or_else(|| LineError::ExpectedEquals(name.clone()))?.trim();
    let value = parse_data(data, format).map_err(|e| LineError::InValue(name.clone(), Box::new(e)))?;
    Ok((name, value))
}

fn parse_data(data: &str, format: RegFormat) -> Result<Option<RegValue>, LineError> {
    if data == "-" {
        return Ok(None);
    }
    if data.starts_with('"') {
        let (s, rest) = parse_quoted(data)?;
        let rest = rest.trim();
        if !rest.is_empty() && !rest.starts_with(';') {
            return Err(LineError::TextAfterString(rest.to_owned()));
        }
        return Ok(Some(RegValue::Sz(s)));
    }
    let lower = data.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("dword:") {
        let hex = hex.trim();
        if hex.is_empty() || hex.len() > 8 {
            return Err(LineError::DwordDigits(hex.to_owned()));
        }
        return u32::from_str_radix(hex, 16)
            .map(|d| Some(RegValue::Dword(d)))
            .map_err(|_| LineError::DwordNotHex(hex.to_owned()));
    }
    let (kind, list) = if let Some(list) = lower.strip_prefix("hex:") {
        (RegValue::REG_BINARY, list)
    } else if let Some(rest) = lower.strip_prefix("hex(") {
        let (k, list) = rest.split_once("):").ok_or(LineError::HexTypeMissing)?;
        let kind = u32::from_str_radix(k.trim(), 16).map_err(|_| LineError::HexTypeNotHex(k.to_owned()))?;
        (kind, list)
    } else {
        return Err(LineError::UnknownData(data.chars().take(30).collect()));
    };
    let bytes = parse_hex_list(list)?;
    Ok(Some(typed_from_hex(kind, &bytes, format)?))
}

fn parse_hex_list(list: &str) -> Result<Vec<u8>, LineError> {
    let list = list.split(';').next().unwrap_or("").trim().trim_end_matches(',');
    if list.is_empty() {
        return Ok(Vec::new());
    }
    list.split(',')
        .map(|b| {
            let b = b.trim();
            if b.len() > 2 || b.is_empty() {
                return Err(LineError::NotHexByte(b.to_owned()));
            }
            u8::from_str_radix(b, 16).map_err(|_| LineError::NotHexByte(b.to_owned()))
        })
        .collect()
}

fn typed_from_hex(kind: u32, bytes: &[u8], format: RegFormat) -> Result<RegValue, LineError> {
    let need = |need: usize, what: &'static str| {
        if bytes.len() == need { Ok(()) } else { Err(LineError::WrongSize { what, need, found: bytes.len() }) }
    };
    match kind {
        RegValue::REG_DWORD => need(4, "hex(4) (REG_DWORD)")?,
        RegValue::REG_QWORD => need(8, "hex(b) (REG_QWORD)")?,
        _ => {}
    }
    if format == RegFormat::Regedit4
        && matches!(kind, RegValue::REG_SZ | RegValue::REG_EXPAND_SZ | RegValue::REG_MULTI_SZ)
    {
        // REGEDIT4 stores these strings in the ANSI code page, one byte per character.
        let text = decode(bytes);
        let mut parts: Vec<String> = text.split('\0').map(str::to_owned).collect();
        while parts.last().is_some_and(|s| s.is_empty()) {
            parts.pop();
        }
        return Ok(match kind {
            RegValue::REG_MULTI_SZ => RegValue::MultiSz(parts),
            RegValue::REG_SZ => RegValue::Sz(parts.into_iter().next().unwrap_or_default()),
            _ => RegValue::ExpandSz(parts.into_iter().next().unwrap_or_default()),
        });
    }
    Ok(RegValue::from_raw(kind, bytes))
}

// ---------------------------------------------------------------------------------------------
// Writer

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `hex…:` data wrapped the way regedit wraps it: lines of at most 80 characters ending in `,\`,
/// continuation lines indented by two spaces.
fn hex_data(prefix_len: usize, tag: &str, bytes: &[u8]) -> String {
    let mut out = String::from(tag);
    let mut col = prefix_len + tag.len();
    for (i, b) in bytes.iter().enumerate() {
        let last = i + 1 == bytes.len();
        let item = if last { format!("{b:02x}") } else { format!("{b:02x},") };
        if col + item.len() > 79 && !last {
            out.push_str("\\\r\n  ");
            col = 2;
        }
        out.push_str(&item);
        col += item.len();
    }
    out
}

fn value_line(name: &str, value: Option<&RegValue>) -> String {
    let lhs = if name.is_empty() { "@".to_owned() } else { format!("\"{}\"", escape(name)) };
    let prefix = lhs.len() + 1;
    let rhs = match value {
        None => "-".to_owned(),
        // Strings with line breaks or NULs cannot be written as "…" by regedit either.
        Some(RegValue::Sz(s)) if !s.contains(['\r', '\n', '\0']) => format!("\"{}\"", escape(s)),
        Some(RegValue::Dword(d)) => format!("dword:{d:08x}"),
        Some(RegValue::Binary(b)) => hex_data(prefix, "hex:", b),
        Some(v) => hex_data(prefix, &format!("hex({:x}):", v.kind()), &v.to_raw()),
    };
    format!("{lhs}={rhs}")
}

/// The text of a .reg file (without encoding).
pub fn render(sections: &[Section]) -> String {
    let mut s = String::from(HEADER_V5);
    s.push_str("\r\n\r\n");
    for sec in sections {
        s.push_str(if sec.delete { "[-" } else { "[" });
        s.push_str(&sec.key.to_string());
        s.push_str("]\r\n");
        for (name, value) in &sec.values {
            s.push_str(&value_line(name, value.as_ref()));
            s.push_str("\r\n");
        }
        s.push_str("\r\n");
    }
    s
}

/// The bytes of a .reg file exactly as regedit writes them: UTF-16LE with BOM, CRLF.
pub fn write(sections: &[Section]) -> Vec<u8> {
    let text = render(sections);
    let mut out = Vec::with_capacity(2 + text.len() * 2);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

// ---------------------------------------------------------------------------------------------
// Applying a file to hives

/// The profile name used for `HKEY_CURRENT_USER` keys (a fleet scan renames it from the file
/// or folder name when it can).
pub const CURRENT_USER_PROFILE: &str = "HKCU";

/// The state a .reg file describes: the machine's HKLM and each profile's HKCU.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegDocument {
    pub machine: MemHive,
    /// Profile (`HKCU`, or the SID under `HKEY_USERS`) → that profile's hive.
    pub users: BTreeMap<String, MemHive>,
}

impl RegDocument {
    /// Apply the sections in order (later lines win, deletions remove), as importing would.
    /// `HKEY_USERS\<SID>_Classes` (the per-user classes hive) and HKCR/HKCC hold no settings we
    /// check and are ignored.
    pub fn from_sections(sections: &[Section]) -> RegDocument {
        let mut doc = RegDocument::default();
        for sec in sections {
            let Some((hive, path)) = doc.hive_for(&sec.key) else { continue };
            if sec.delete {
                hive.delete_key(&path);
                continue;
            }
            hive.create_key(&path);
            for (name, value) in &sec.values {
                match value {
                    Some(v) => hive.set_value(&path, name, v.clone()),
                    None => hive.delete_value(&path, name),
                }
            }
        }
        doc
    }

    fn hive_for(&mut self, key: &KeyRef) -> Option<(&mut MemHive, String)> {
        match key.root {
            Root::CurrentUser => {
                Some((self.users.entry(CURRENT_USER_PROFILE.to_owned()).or_default(), key.path.clone()))
            }
            Root::LocalMachine => Some((&mut self.machine, key.path.clone())),
            Root::Users => {
                let (sid, rest) = key.path.split_once('\\').unwrap_or((&key.path, ""));
                if sid.is_empty() || sid.to_ascii_lowercase().ends_with("_classes") {
                    return None;
                }
                Some((self.users.entry(sid.to_owned()).or_default(), rest.to_owned()))
            }
            Root::ClassesRoot | Root::CurrentConfig => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_default_values() {
        let f = parse(b"REGEDIT4\n[HKEY_CURRENT_USER\\x]\n@=\"d\"\n\"a\\\"b\"=\"c:\\\\p\\\"q\"\n", "t").unwrap();
        assert_eq!(f.format, RegFormat::Regedit4);
        assert_eq!(f.sections[0].values[0], (String::new(), Some(RegValue::Sz("d".into()))));
        assert_eq!(f.sections[0].values[1], ("a\"b".into(), Some(RegValue::Sz("c:\\p\"q".into()))));
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }

    #[test]
    fn not_a_reg_file() {
        let e = parse(b"hello\n", "x.reg").unwrap_err();
        assert_eq!((e.code, e.line), ("not_a_reg_file", 1));
        assert_eq!(parse(b"", "x.reg").unwrap_err().code, "empty_file");
    }

    #[test]
    fn long_hex_wraps_and_reads_back() {
        let v = RegValue::Binary((0..=255).collect());
        let secs = vec![Section {
            key: KeyRef::new(Root::LocalMachine, "Software\\T"),
            delete: false,
            values: vec![("Blob".into(), Some(v))],
        }];
        let text = render(&secs);
        assert!(text.lines().all(|l| l.len() <= 80), "{text}");
        assert!(text.contains(",\\\r\n  "));
        assert_eq!(parse(&write(&secs), "t").unwrap().sections, secs);
    }
}
