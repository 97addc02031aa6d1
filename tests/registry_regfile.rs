//! The .reg reader and writer: every syntax regedit writes, both encodings, problems with file
//! and line, and the round trip (our writer → our reader gives exactly the intended values).

mod support;

use exchange_auth_tools::messages::Lang;
use exchange_auth_tools::registry::RegValue;
use exchange_auth_tools::registry::regfile::{self, KeyRef, RegDocument, RegFormat, Root, Section};
use support::{hkcu, samples, utf8_reg};

fn utf16le_crlf(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.replace('\n', "\r\n").encode_utf16().flat_map(u16::to_le_bytes));
    out
}

const EXPORT: &str = r#"Windows Registry Editor Version 5.00

; exported by regedit
[HKEY_CURRENT_USER\Software\Microsoft\Office\15.0\Common\Identity]
"EnableADAL"=dword:00000001
"Version"=dword:00000001
@="default \"quoted\" C:\\path"
"Qword"=hex(b):08,07,06,05,04,03,02,01
"Expand"=hex(2):25,00,41,00,50,00,50,00,44,00,41,00,54,00,41,00,25,00,5c,00,\
  78,00,00,00
"Multi"=hex(7):61,00,00,00,e5,65,2c,67,00,00,00,00
"Bin"=hex:de,ad,be,ef
"Gone"=-

[-HKEY_CURRENT_USER\Software\Microsoft\Office\15.0\Common\Old]

[HKEY_USERS\S-1-5-21-1111-2222-3333-1001\Software\Microsoft\Exchange]
"AlwaysUseMSOAuthForAutoDiscover"=dword:00000001

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Office\ClickToRun\Configuration]
"ClientVersionToReport"="16.0.17928.20156"
"#;

fn check_export(f: &regfile::RegFile) {
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    assert_eq!(f.format, RegFormat::V5);
    let id = &f.sections[0];
    assert_eq!(id.key, KeyRef::new(Root::CurrentUser, "Software\\Microsoft\\Office\\15.0\\Common\\Identity"));
    let get = |n: &str| id.values.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap();
    assert_eq!(get("EnableADAL"), Some(RegValue::Dword(1)));
    assert_eq!(get(""), Some(RegValue::Sz("default \"quoted\" C:\\path".into())));
    assert_eq!(get("Qword"), Some(RegValue::Qword(0x0102_0304_0506_0708)));
    assert_eq!(get("Expand"), Some(RegValue::ExpandSz("%APPDATA%\\x".into())));
    assert_eq!(get("Multi"), Some(RegValue::MultiSz(vec!["a".into(), "日本".into()])));
    assert_eq!(get("Bin"), Some(RegValue::Binary(vec![0xde, 0xad, 0xbe, 0xef])));
    assert_eq!(get("Gone"), None);
    assert!(f.sections[1].delete);
    let doc = RegDocument::from_sections(&f.sections);
    assert_eq!(doc.users.keys().collect::<Vec<_>>(), ["HKCU", "S-1-5-21-1111-2222-3333-1001"]);
    assert_eq!(
        doc.machine.get("SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration", "ClientVersionToReport"),
        Some(&RegValue::Sz("16.0.17928.20156".into()))
    );
}

#[test]
fn regedit_export_utf16le_bom_crlf() {
    check_export(&regfile::parse(&utf16le_crlf(EXPORT), "export.reg").unwrap());
}

#[test]
fn same_export_utf8_with_and_without_bom() {
    check_export(&regfile::parse(EXPORT.as_bytes(), "export.reg").unwrap());
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(EXPORT.as_bytes());
    check_export(&regfile::parse(&bom, "export.reg").unwrap());
}

#[test]
fn regedit4_strings_are_single_byte() {
    let text = "REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\T]\r\n\"E\"=hex(2):25,54,45,4d,50,25,00\r\n\"M\"=hex(7):61,00,62,00,00\r\n";
    let f = regfile::parse(text.as_bytes(), "old.reg").unwrap();
    assert_eq!(f.format, RegFormat::Regedit4);
    assert_eq!(f.sections[0].values[0].1, Some(RegValue::ExpandSz("%TEMP%".into())));
    assert_eq!(f.sections[0].values[1].1, Some(RegValue::MultiSz(vec!["a".into(), "b".into()])));
}

#[test]
fn key_deletion_removes_the_subtree_and_value_deletion_the_value() {
    let text = "Windows Registry Editor Version 5.00\n[HKEY_CURRENT_USER\\A\\B]\n\"x\"=dword:1\n\"y\"=dword:2\n[HKEY_CURRENT_USER\\A\\B\\C]\n\"z\"=\"1\"\n[-HKEY_CURRENT_USER\\A\\B\\C]\n[HKEY_CURRENT_USER\\A\\B]\n\"y\"=-\n";
    let f = regfile::parse(text.as_bytes(), "t.reg").unwrap();
    let doc = RegDocument::from_sections(&f.sections);
    let h = &doc.users["HKCU"];
    assert_eq!(h.get("A\\B", "x"), Some(&RegValue::Dword(1)));
    assert_eq!(h.get("A\\B", "y"), None);
    assert!(!h.exists("A\\B\\C"));
}

#[test]
fn malformed_lines_are_problems_with_line_numbers_and_the_rest_is_read() {
    let text = "Windows Registry Editor Version 5.00\n\
        \"orphan\"=dword:1\n\
        [HKEY_CURRENT_USER\\Software\\T]\n\
        \"a\"=dword:xyz\n\
        \"b\"=dword:000000001\n\
        \"c\"=hex(b):01,02\n\
        \"d\"=\"unterminated\n\
        \"e\"=hex:zz\n\
        \"f\"=wat:1\n\
        [HKEY_NOWHERE\\x]\n\
        \"g\"=dword:1\n\
        [HKEY_CURRENT_USER\\Software\\T]\n\
        \"ok\"=dword:00000001\n";
    let f = regfile::parse(&utf16le_crlf(text), "bad.reg").unwrap();
    let lines: Vec<u64> = f.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 4, 5, 6, 7, 8, 9, 10], "{:#?}", f.problems);
    assert!(f.problems.iter().all(|p| p.file == "bad.reg"));
    assert!(f.problems[1].message.contains("\"a\""), "{}", f.problems[1].message);
    let doc = RegDocument::from_sections(&f.sections);
    assert_eq!(doc.users["HKCU"].get("Software\\T", "ok"), Some(&RegValue::Dword(1)));
    // The same problems in Japanese, from the catalogue: same codes and lines, other words.
    let ja = regfile::parse_in(&utf16le_crlf(text), "bad.reg", Lang::Ja).unwrap();
    let codes = |f: &regfile::RegFile| f.problems.iter().map(|p| (p.code, p.line)).collect::<Vec<_>>();
    assert_eq!(codes(&ja), codes(&f));
    let messages: Vec<&str> = ja.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages[0], "[キー] の行より前の値の行は無視されます");
    assert_eq!(messages[1], "値 \"a\": dword: 'xyz' は 16 進数ではありません");
    assert!(messages.iter().zip(&f.problems).all(|(j, e)| *j != e.message), "{messages:?}");
    let not_reg = regfile::parse_in(b"hello", "x.reg", Lang::Ja).unwrap_err();
    assert!(not_reg.message.contains("1 行目に"), "{}", not_reg.message);
}

#[test]
fn microsoft_samples_parse() {
    for name in ["msdocs_Office2013_Enable_ModernAuth.reg", "msdocs_Office2013_Disable_ModernAuth.reg"] {
        let bytes = std::fs::read(samples().join(name)).unwrap();
        let f = regfile::parse(&bytes, name).unwrap();
        assert!(f.problems.is_empty(), "{name}: {:?}", f.problems);
        assert_eq!(f.sections.len(), 3, "{name}");
    }
}

fn every_type_sections() -> Vec<Section> {
    vec![
        hkcu(
            "Software\\Microsoft\\Office\\15.0\\Common\\Identity",
            &[
                ("EnableADAL", Some(RegValue::Dword(1))),
                ("Version", Some(RegValue::Dword(1))),
                ("", Some(RegValue::Sz("quote \" and \\ backslash; 日本語".into()))),
                ("Q", Some(RegValue::Qword(u64::MAX))),
                ("E", Some(RegValue::ExpandSz("%USERPROFILE%\\AppData".into()))),
                ("M", Some(RegValue::MultiSz(vec!["one".into(), "two".into(), "三".into()]))),
                ("B", Some(RegValue::Binary((0..200).map(|i| i as u8).collect()))),
                ("N", Some(RegValue::Other { kind: 0, data: vec![] })),
                ("Multi Line", Some(RegValue::Sz("line1\r\nline2".into()))),
                ("Removed", None),
            ],
        ),
        Section { key: KeyRef::new(Root::Users, "S-1-5-21-9-9-9-1001\\Software\\X"), delete: true, values: vec![] },
    ]
}

#[test]
fn round_trip_writer_to_reader_gives_exactly_the_intended_values() {
    let secs = every_type_sections();
    let bytes = regfile::write(&secs);
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "UTF-16LE BOM");
    let text = String::from_utf16(&bytes[2..].chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect::<Vec<_>>())
        .unwrap();
    assert!(text.starts_with("Windows Registry Editor Version 5.00\r\n\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
    let back = regfile::parse(&bytes, "rt.reg").unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.sections, secs);
    // And through UTF-8/LF text, as the samples are written.
    assert_eq!(regfile::parse(&utf8_reg(&secs), "rt8.reg").unwrap().sections, secs);
}
