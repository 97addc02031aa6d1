//! Every sign-in input format and every kind of bad input, through the public reader API
//! (`read_paths` / `read_bytes`). Real-format samples live in `tests/fixtures/` (see its
//! SOURCES.md); edge cases (UTF-16, archives, portal CSV headers, truncation…) are generated here.

use std::io::Write;
use std::path::{Path, PathBuf};

use exchange_auth_tools::catalogue::Protocol;
use exchange_auth_tools::messages::Lang;
use exchange_auth_tools::signin::{Collect, Problem, ReadOptions, ReadStats, SignIn, read_bytes, read_paths};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn read(paths: &[PathBuf]) -> (Collect, ReadStats) {
    let mut c = Collect::default();
    let stats = read_paths(paths, &ReadOptions::default(), &mut c).unwrap();
    (c, stats)
}

fn read_mem(name: &str, bytes: &[u8]) -> (Collect, ReadStats) {
    let mut c = Collect::default();
    let mut stats = ReadStats::default();
    let flow = read_bytes(name, bytes, &ReadOptions::default(), &mut c, &mut stats);
    assert!(flow.is_continue());
    (c, stats)
}

fn codes(c: &Collect) -> Vec<&'static str> {
    c.problems.iter().map(|p| p.code).collect()
}

fn only_problem(c: &Collect) -> &Problem {
    assert_eq!(c.problems.len(), 1, "expected one problem, got {:#?}", c.problems);
    &c.problems[0]
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    v.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    v
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A Graph record with a legacy client, as one JSON object text.
fn graph_record(upn: &str, app: &str, code: i64, ip: &str) -> String {
    format!(
        r#"{{"id":"{upn}-{ip}","createdDateTime":"2024-05-01T08:00:00.1234567Z","userPrincipalName":"{upn}","clientAppUsed":"{app}","ipAddress":"{ip}","status":{{"errorCode":{code},"failureReason":"x"}},"location":{{"city":"Tokyo","state":"Tokyo","countryOrRegion":"JP"}}}}"#
    )
}

fn page(records: &[String]) -> String {
    format!(
        "{{\n  \"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns\",\n  \"value\": [\n    {}\n  ]\n}}\n",
        records.join(",\n    ")
    )
}

// ---------------------------------------------------------------- Graph responses

#[test]
fn graph_v1_page_fixture() {
    let (c, stats) = read(&[fixture("graph_v1.0_signin-list_docs_example1.json")]);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!((stats.files, stats.records, stats.skipped, stats.failed_files), (1, 1, 0, 0));
    let s = &c.signins[0];
    assert_eq!(s.user_principal_name, "testaccount1@contoso.com");
    assert_eq!(s.created_date_time.to_string(), "2020-03-13T19:15:41.619583Z");
    assert_eq!(s.protocol, Protocol::Browser);
    assert!(s.succeeded);
    assert_eq!(s.source_line, 5, "the element starts on line 5 of the page");
    assert_eq!(s.source_record, 1);
    assert!(s.source_file.ends_with("graph_v1.0_signin-list_docs_example1.json"));
}

#[test]
fn graph_beta_pages_and_single_object_fixtures() {
    let (c, _) = read(&[
        fixture("graph_beta_signin-list_docs_example1_failed_password.json"),
        fixture("graph_beta_signin-list_docs_example3_noninteractive.json"),
        fixture("graph_beta_signin-get_docs_single_object.json"),
    ]);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.signins.len(), 3);
    let failed = &c.signins[0];
    assert_eq!((failed.error_code, failed.succeeded), (50126, false));
    let non_interactive = &c.signins[1];
    assert_eq!(non_interactive.is_interactive, Some(false));
    assert_eq!(non_interactive.sign_in_event_type, "nonInteractiveUser");
    assert_eq!(non_interactive.failure_reason, "", "'Other.' with error 0 is no failure reason");
    let single = &c.signins[2];
    assert_eq!((single.source_line, single.source_record), (1, 1));
    assert_eq!(single.user_principal_name, "testaccount1@contoso.com");
}

#[test]
fn graph_pages_concatenated_one_per_line() {
    let one: serde_json::Value =
        serde_json::from_slice(&read_fixture("graph_v1.0_signin-list_docs_example1.json")).unwrap();
    let mut second = one.clone();
    second["value"][0]["clientAppUsed"] = "IMAP4".into();
    let text = format!("{}\n{}\n", one, second);
    let (c, stats) = read_mem("pages.ndjson", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(stats.records, 2);
    assert_eq!(c.signins.iter().map(|s| s.source_line).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(c.signins[1].protocol, Protocol::Imap4);
}

#[test]
fn bare_array_pretty_printed_with_element_lines() {
    let recs = [
        graph_record("a@contoso.com", "IMAP4", 0, "203.0.113.1"),
        graph_record("b@contoso.com", "POP3", 50126, "203.0.113.2"),
    ];
    let text = format!("[\n  {},\n\n  {}\n]\n", recs[0], recs[1]);
    let (c, _) = read_mem("array.json", text.as_bytes());
    assert!(c.problems.is_empty());
    assert_eq!(c.signins.iter().map(|s| (s.source_line, s.source_record)).collect::<Vec<_>>(), [(2, 1), (4, 2)]);
    assert_eq!(c.signins[1].protocol, Protocol::Pop3);
    assert_eq!(c.signins[1].error_code, 50126);
    assert_eq!(c.signins[0].country_or_region, "JP");
}

#[test]
fn several_pretty_pages_in_one_document() {
    let text = format!(
        "{}{}",
        page(&[graph_record("a@contoso.com", "IMAP4", 0, "1.1.1.1")]),
        page(&[graph_record("b@contoso.com", "Exchange ActiveSync", 0, "1.1.1.2")])
    );
    let (c, _) = read_mem("two-pages.json", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.signins.iter().map(|s| s.source_line).collect::<Vec<_>>(), [4, 10]);
    assert_eq!(c.signins[1].protocol, Protocol::ExchangeActiveSync);
}

// ---------------------------------------------------------------- diagnostic settings

#[test]
fn diagnostic_settings_ndjson_fixture() {
    let (c, stats) = read(&[fixture("azure_diagnostic_settings_signinlogs_elastic_test.ndjson")]);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(stats.records, 5);
    assert_eq!(c.signins.iter().map(|s| s.source_line).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    let types: Vec<&str> = c.signins.iter().map(|s| s.sign_in_event_type.as_str()).collect();
    assert_eq!(
        types,
        ["interactiveUser", "nonInteractiveUser", "servicePrincipal", "servicePrincipal", "managedIdentity"]
    );
    // properties.createdDateTime has a -05:00 offset: normalised to UTC.
    assert_eq!(c.signins[0].created_date_time.to_string(), "2019-10-18T09:45:48.072989Z");
    assert_eq!(c.signins[0].error_code, 50140);
}

#[test]
fn diagnostic_records_blob() {
    let lines = String::from_utf8(read_fixture("azure_diagnostic_settings_signinlogs_elastic_test.ndjson")).unwrap();
    let blob = format!("{{\"records\": [\n{}\n]}}", lines.trim_end().replace('\n', ",\n"));
    let (c, stats) = read_mem("PT1H.json", blob.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(stats.records, 5);
    assert_eq!(c.signins.iter().map(|s| s.source_line).collect::<Vec<_>>(), [2, 3, 4, 5, 6]);
}

// ---------------------------------------------------------------- PowerShell dumps

/// `Get-MgAuditLogSignIn | ConvertTo-Json` in Windows PowerShell 5.1, saved with Out-File
/// (UTF-16LE + BOM, CRLF, its odd two-space-after-colon indentation), default -Depth 2.
const PS51_DUMP: &str = "[\r\n    {\r\n        \"AppDisplayName\":  \"Outlook\",\r\n        \"ClientAppUsed\":  \"Exchange ActiveSync\",\r\n        \"CreatedDateTime\":  {\r\n                                \"value\":  \"\\/Date(1714550400000)\\/\",\r\n                                \"DisplayHint\":  2,\r\n                                \"DateTime\":  \"Wednesday, May 1, 2024 8:00:00 AM\"\r\n                            },\r\n        \"IPAddress\":  \"198.51.100.7\",\r\n        \"Location\":  \"Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInLocation\",\r\n        \"Status\":  \"Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInStatus\",\r\n        \"UserPrincipalName\":  \"yamada@contoso.co.jp\"\r\n    },\r\n    {\r\n        \"AppDisplayName\":  \"Outlook\",\r\n        \"ClientAppUsed\":  \"IMAP4\",\r\n        \"CreatedDateTime\":  \"\\/Date(1714554000000)\\/\",\r\n        \"IPAddress\":  \"198.51.100.8\",\r\n        \"Location\":  \"@{City=Osaka; State=Osaka; CountryOrRegion=JP}\",\r\n        \"Status\":  \"Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInStatus\",\r\n        \"UserPrincipalName\":  \"suzuki@contoso.co.jp\"\r\n    }\r\n]\r\n";

#[test]
fn powershell_convertto_json_dump_utf16_with_shallow_depth() {
    let (c, stats) = read_mem("signins.json", &utf16le_bom(PS51_DUMP));
    assert_eq!(c.signins.len(), 2, "the records are kept: {:?}", c.problems);
    assert_eq!(c.signins[0].created_date_time.to_string(), "2024-05-01T08:00:00Z");
    assert_eq!(c.signins[0].protocol, Protocol::ExchangeActiveSync);
    assert_eq!(c.signins[0].source_line, 2);
    assert_eq!(c.signins[1].source_line, 15);
    assert_eq!(c.signins[1].city, "Osaka", "PSCustomObject text @{{…}} is read");
    let p = only_problem(&c);
    assert_eq!((p.code, p.record), ("shallow_dump", 0));
    assert!(p.message.contains("-Depth"), "{}", p.message);
    assert!(p.message.contains("status (errorCode, failureReason)"), "{}", p.message);
    assert!(p.message.contains("location"), "{}", p.message);
    assert!(p.message.contains("in 2 records"), "{}", p.message);
    assert_eq!((stats.skipped, stats.failed_files, stats.problems), (0, 0, 1));
}

#[test]
fn powershell_pascal_case_deep_dump_utf8_bom() {
    let text = "\u{feff}{\r\n    \"value\":  [\r\n                  {\r\n                      \"CreatedDateTime\":  \"2024-05-01T17:00:00+09:00\",\r\n                      \"UserPrincipalName\":  \"sato@contoso.co.jp\",\r\n                      \"ClientAppUsed\":  \"Authenticated SMTP\",\r\n                      \"Status\":  {\r\n                                     \"ErrorCode\":  50126,\r\n                                     \"FailureReason\":  \"Invalid username or password.\"\r\n                                 }\r\n                  }\r\n              ],\r\n    \"Count\":  1\r\n}\r\n";
    let (c, _) = read_mem("dump.json", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let s = &c.signins[0];
    assert_eq!(s.created_date_time.to_string(), "2024-05-01T08:00:00Z");
    assert_eq!((s.protocol, s.error_code), (Protocol::AuthenticatedSmtp, 50126));
    assert_eq!(s.source_line, 3);
}

#[test]
fn powershell_51_export_csv_with_type_line() {
    let text = "#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignIn\r\n\"CreatedDateTime\",\"UserPrincipalName\",\"ClientAppUsed\",\"Status\",\"IPAddress\"\r\n\"5/1/2024 8:00:00 AM\",\"ito@contoso.co.jp\",\"POP3\",\"Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInStatus\",\"192.0.2.1\"\r\n";
    let (c, _) = read_mem("Export-Csv.csv", text.as_bytes());
    assert_eq!(c.signins.len(), 1);
    let s = &c.signins[0];
    assert_eq!((s.created_date_time.to_string().as_str(), s.source_line), ("2024-05-01T08:00:00Z", 3));
    assert_eq!(s.protocol, Protocol::Pop3);
    let p = only_problem(&c);
    assert_eq!(p.code, "shallow_dump");
    assert!(p.message.starts_with("PowerShell Export-Csv wrote nested objects"), "{}", p.message);
}

// ---------------------------------------------------------------- portal downloads

/// The interactive/non-interactive header of DOMAIN.md §3 (UNVERIFIED third-party capture):
/// trailing spaces, a double space, `Incoming token type` twice.
const PORTAL_HEADER: &str = "Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,User type,Cross tenant access type,Incoming token type,Authentication Protocol,Unique token identifier,Original transfer method,Client credential type,Token Protection - Sign In Session,Token Protection - Sign In Session StatusCode,Application,Application ID ,App owner tenant ID,Resource,Resource ID ,Resource tenant ID,Resource owner tenant ID,Home tenant ID,Home tenant name,IP address,Location,Status,Sign-in error code,Failure reason,Client app,Device ID,Browser,Operating System,Compliant,Managed,Join Type,Multifactor authentication result,Multifactor authentication auth method,Multifactor authentication auth detail,Authentication requirement,Sign-in identifier,Session ID,IP address (seen by resource),Through Global Secure Access,Global Secure Access IP address,Autonomous system  number,Flagged for review,Token issuer type,Incoming token type,Token issuer name,Latency,Conditional Access,Managed Identity type,Associated Resource Id,Federated Token Id,Federated Token Issuer";

/// One portal row: the given (header, value) cells, plus the columns every legacy row has.
fn portal_row(given: &[(&str, &str)]) -> String {
    let headers: Vec<&str> = PORTAL_HEADER.split(',').collect();
    let mut cells = vec![String::new(); headers.len()];
    let common = [
        ("Application", "Office 365 Exchange Online"),
        ("Application ID ", "00000002-0000-0ff1-ce00-000000000000"),
        ("User agent", "BAV2ROPC"),
        ("Authentication Protocol", "ROPC"),
        ("Incoming token type", "none"),
    ];
    for (h, v) in common.iter().chain(given) {
        let i = headers.iter().position(|x| x == h).unwrap();
        cells[i] = if v.contains(',') { format!("\"{v}\"") } else { (*v).to_owned() };
    }
    cells.join(",")
}

#[test]
fn portal_interactive_csv_with_the_odd_header() {
    let text = format!(
        "{PORTAL_HEADER}\r\n{}\r\n{}\r\n",
        portal_row(&[
            ("Date (UTC)", "2024-05-01T08:00:00Z"),
            ("User", "山田 太郎"),
            ("Username", "yamada@contoso.co.jp"),
            ("Location", "Osaka, Osaka, JP"),
            ("Status", "Failure"),
            ("Sign-in error code", "50126"),
            ("Client app", "IMAP4"),
            ("IP address", "203.0.113.5"),
        ]),
        portal_row(&[
            ("Date (UTC)", "2024-05-01T09:30:00Z"),
            ("User", "Sato"),
            ("Username", "sato@contoso.co.jp"),
            ("Location", "Sapporo, Hokkaido, JP"),
            ("Status", "Success"),
            ("Sign-in error code", "0"),
            ("Client app", "Authenticated SMTP"),
            ("IP address", "203.0.113.6"),
        ]),
    );
    let (c, stats) = read_mem("InteractiveSignIns_2024-05-01_2024-05-02.csv", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(stats.records, 2);
    let s = &c.signins[0];
    assert_eq!(s.user_display_name, "山田 太郎");
    assert_eq!(s.user_principal_name, "yamada@contoso.co.jp");
    assert_eq!((s.protocol, s.error_code, s.succeeded), (Protocol::Imap4, 50126, false));
    assert_eq!((s.city.as_str(), s.state.as_str(), s.country_or_region.as_str()), ("Osaka", "Osaka", "JP"));
    assert_eq!(s.app_id, "00000002-0000-0ff1-ce00-000000000000", "`Application ID ` with its trailing space");
    assert!(s.is_ropc);
    assert_eq!((s.source_line, s.source_record), (2, 1));
    assert_eq!((c.signins[1].protocol, c.signins[1].succeeded), (Protocol::AuthenticatedSmtp, true));
}

#[test]
fn duplicated_columns_first_non_empty_cell_wins() {
    let text = "Date (UTC),Username,Client app,Client  app ,IP address\n\
                2024-05-01T08:00:00Z,a@contoso.com,,POP3,1.1.1.1\n\
                2024-05-01T08:00:00Z,b@contoso.com,IMAP4,POP3,1.1.1.2\n";
    let (c, _) = read_mem("dup.csv", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.signins[0].protocol, Protocol::Pop3, "the empty first duplicate does not hide the second");
    assert_eq!(c.signins[1].protocol, Protocol::Imap4, "the first non-empty duplicate wins");
}

/// With `legacy_only`, CSV rows whose client app is modern are counted but not normalised; the
/// legacy rows, their line numbers and the record count are exactly those of a full read.
#[test]
fn csv_legacy_only_passes_over_modern_rows() {
    let text = "Date (UTC),Username,Client app,Client  app ,IP address\n\
                2024-05-01T08:00:00Z,a@contoso.com,Browser,,1.1.1.1\n\
                not a time,b@contoso.com, mobile apps and desktop clients ,IMAP4,1.1.1.2\n\
                2024-05-01T08:00:00Z,c@contoso.com,,POP3,1.1.1.3\n\
                2024-05-01T08:00:00Z,d@contoso.com,,browser,1.1.1.4\n\
                2024-05-01T08:00:00Z,e@contoso.com,,,1.1.1.5\n\
                2024-05-01T08:00:00Z,f@contoso.com,IMAP4,Browser,1.1.1.6\n";
    let read_with = |legacy_only: bool| {
        let (mut c, mut stats) = (Collect::default(), ReadStats::default());
        let opts = ReadOptions { legacy_only, ..ReadOptions::default() };
        assert!(read_bytes("mixed.csv", text.as_bytes(), &opts, &mut c, &mut stats).is_continue());
        (c, stats)
    };
    let (full, full_stats) = read_with(false);
    let (fast, fast_stats) = read_with(true);
    // A row without a client app is read in full (the caller's filter drops it).
    let not_modern: Vec<&SignIn> =
        full.signins.iter().filter(|s| s.is_legacy || s.client_app_used.is_empty()).collect();
    assert_eq!(fast.signins.iter().collect::<Vec<_>>(), not_modern);
    let read: Vec<(&str, u64, u64)> =
        fast.signins.iter().map(|s| (s.user_principal_name.as_str(), s.source_line, s.source_record)).collect();
    assert_eq!(read, [("c@contoso.com", 4, 3), ("e@contoso.com", 6, 5), ("f@contoso.com", 7, 6)]);
    assert_eq!(fast_stats.records, full_stats.records);
    assert_eq!(full.signins.len(), 5, "the bad time is a problem in a full read");
    assert_eq!(codes(&full), ["bad_time"]);
    assert!(fast.problems.is_empty(), "a modern row is not checked further: {:?}", fast.problems);
}

/// With `legacy_only`, JSON records (Graph pages, arrays, diagnostic-settings blobs, pages one
/// per line) whose one client-app value is plainly modern or blank are counted but not parsed:
/// the legacy records, their lines and record numbers and the record count are a full read's.
#[test]
fn json_legacy_only_passes_over_modern_records() {
    let bad_time = graph_record("m@contoso.com", "Browser", 0, "1.1.1.9").replace("2024-05-01T08", "not a time");
    let records = [
        graph_record("a@contoso.com", "Browser", 0, "1.1.1.1"),
        bad_time,
        graph_record("b@contoso.com", "IMAP4", 50126, "1.1.1.2"),
        graph_record("c@contoso.com", "", 0, "1.1.1.3"),
        graph_record("d@contoso.com", "Mobile Apps and Desktop clients", 0, "1.1.1.4"),
        graph_record("e@contoso.com", "Brow\\u0073er", 0, "1.1.1.5"),
        graph_record("f@contoso.com", "Authenticated SMTP", 0, "1.1.1.6"),
    ];
    let blob = |r: &String| format!("{{\"records\":[{{\"time\":\"2024-05-01T08:00:00Z\",\"properties\":{r}}}]}}");
    let inputs = [
        ("page.json", page(&records)),
        ("array.json", format!("[\n{}\n]", records.join(",\n"))),
        (
            "pages.ndjson",
            format!("{}\n{}", page(&records[..3]).replace('\n', ""), page(&records[3..]).replace('\n', "")),
        ),
        ("blobs.ndjson", records.iter().map(blob).collect::<Vec<_>>().join("\n")),
    ];
    for (name, text) in inputs {
        let read_with = |legacy_only: bool| {
            let (mut c, mut stats) = (Collect::default(), ReadStats::default());
            let opts = ReadOptions { legacy_only, ..ReadOptions::default() };
            assert!(read_bytes(name, text.as_bytes(), &opts, &mut c, &mut stats).is_continue());
            (c, stats)
        };
        let (full, full_stats) = read_with(false);
        let (fast, fast_stats) = read_with(true);
        let legacy = |c: &Collect| -> Vec<SignIn> { c.signins.iter().filter(|s| s.is_legacy).cloned().collect() };
        assert_eq!(legacy(&fast), legacy(&full), "{name}");
        assert_eq!(legacy(&full).len(), 2, "{name}");
        assert_eq!(fast_stats.records, full_stats.records, "{name}");
        assert_eq!(full_stats.records, 7, "{name}");
        assert_eq!(codes(&full), ["bad_time"], "{name}");
        assert!(fast.problems.is_empty(), "{name}: a modern record is not checked further: {:?}", fast.problems);
        // The escaped value is parsed in full either way (and is modern once unescaped).
        assert!(fast.signins.iter().any(|s| s.user_principal_name == "e@contoso.com"), "{name}");
    }
}

#[test]
fn portal_json_download_camel_case_array() {
    let text = format!(
        "[{},{}]",
        graph_record("a@contoso.com", "Exchange Web Services", 0, "1.1.1.1"),
        graph_record("b@contoso.com", "MAPI Over HTTP", 0, "1.1.1.2")
    );
    let (c, _) = read_mem("InteractiveSignIns.json", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(
        c.signins.iter().map(|s| s.protocol).collect::<Vec<_>>(),
        [Protocol::ExchangeWebServices, Protocol::MapiOverHttp]
    );
}

// ---------------------------------------------------------------- Log Analytics / Sentinel

#[test]
fn log_analytics_csv_export_fixture() {
    let (c, stats) = read(&[fixture("sentinel_SigninLogs_LogAnalytics_export.csv")]);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!((stats.records, stats.skipped), (56, 0));
    let first = &c.signins[0];
    assert_eq!(first.created_date_time.to_string(), "2021-04-28T14:08:45.221Z");
    assert_eq!(first.user_principal_name, "adelev@m365x816222.onmicrosoft.com");
    assert_eq!(first.city, "Azor", "from the multi-line LocationDetails_dynamic JSON cell");
    assert_eq!(first.is_interactive, Some(true), "TRUE");
    assert_eq!(first.sign_in_event_type, "interactiveUser");
    // Records start after multi-line quoted cells: lines as a text editor shows them.
    assert_eq!(c.signins.iter().take(3).map(|s| s.source_line).collect::<Vec<_>>(), [2, 18, 34]);
    assert_eq!(c.signins[55].source_line, 1150);
    let mut codes: Vec<i64> = c.signins.iter().map(|s| s.error_code).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes, [0, 16000, 50058]);
}

#[test]
fn log_analytics_query_api_tables() {
    let text = r#"{
  "tables": [
    {
      "name": "PrimaryResult",
      "columns": [
        {"name": "TimeGenerated", "type": "datetime"},
        {"name": "UserPrincipalName", "type": "string"},
        {"name": "ClientAppUsed", "type": "string"},
        {"name": "ResultType", "type": "string"},
        {"name": "LocationDetails", "type": "string"},
        {"name": "IPAddress", "type": "string"},
        {"name": "Type", "type": "string"}
      ],
      "rows": [
        ["2024-05-01T08:00:00Z", "a@contoso.com", "POP3", "0", "{\"city\":\"Nagoya\",\"countryOrRegion\":\"JP\"}", "203.0.113.1", "AADNonInteractiveUserSignInLogs"],
        ["2024-05-01T08:05:00Z", "b@contoso.com", "IMAP4", "50126", null, "203.0.113.2", "AADNonInteractiveUserSignInLogs"]
      ]
    }
  ]
}"#;
    let (c, _) = read_mem("query.json", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.signins.len(), 2);
    assert_eq!((c.signins[0].city.as_str(), c.signins[0].protocol), ("Nagoya", Protocol::Pop3));
    assert_eq!(c.signins[0].sign_in_event_type, "nonInteractiveUser");
    assert_eq!((c.signins[1].error_code, c.signins[1].source_line), (50126, 16));
}

#[test]
fn log_analytics_rows_before_columns_and_a_malformed_table() {
    let text = r#"{"tables":[{"rows":[["2024-05-01T08:00:00Z","a@contoso.com"]],"columns":[{"name":"TimeGenerated"},{"name":"UserPrincipalName"}]},
{"name":"broken","rows":[["2024-05-01T08:00:00Z","b@contoso.com"]]}]}"#;
    let (c, _) = read_mem("query.json", text.as_bytes());
    assert_eq!(c.signins.len(), 1);
    assert_eq!(c.signins[0].user_principal_name, "a@contoso.com");
    let p = only_problem(&c);
    assert_eq!((p.code, p.line), ("bad_json", 2));
    assert!(p.message.starts_with("malformed Log Analytics table"), "{}", p.message);
}

#[test]
fn service_error_responses_saved_as_files() {
    let text = r#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license","innerError":{"date":"2024-05-01T08:00:00"}}}"#;
    let (c, stats) = read_mem("signins.json", text.as_bytes());
    let p = only_problem(&c);
    assert_eq!(p.code, "service_error");
    assert!(p.message.ends_with("Authentication_RequestFromNonPremiumTenantOrB2CTenant: Neither tenant is B2C or tenant doesn't have premium license"), "{}", p.message);
    assert_eq!(stats.failed_files, 1);

    let partial = r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"UserPrincipalName","type":"string"}],"rows":[["2024-05-01T08:00:00Z","a@contoso.com"]]}],"error":{"code":"PartialError","message":"There were some errors when processing your query."}}"#;
    let (c, stats) = read_mem("query.json", partial.as_bytes());
    assert_eq!(c.signins.len(), 1);
    assert_eq!(only_problem(&c).code, "service_error");
    assert_eq!(stats.failed_files, 0);
}

#[test]
fn log_analytics_json_array_of_pascal_case_objects() {
    let text = r#"[{"TimeGenerated":"2024-05-01T08:00:00.123456789Z","UserPrincipalName":"a@contoso.com","ClientAppUsed":"Exchange ActiveSync","ResultType":"53003","Status":"{\"errorCode\":53003}","IPAddress":"1.2.3.4","Type":"SigninLogs"}]"#;
    let (c, _) = read_mem("export.json", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let s = &c.signins[0];
    assert_eq!(s.created_date_time.to_string(), "2024-05-01T08:00:00.123456Z");
    assert_eq!((s.protocol, s.error_code), (Protocol::ExchangeActiveSync, 53003));
}

// ---------------------------------------------------------------- archives, folders, stdin

#[test]
fn gzip_and_zip_members_read_as_files() {
    let ndjson = read_fixture("azure_diagnostic_settings_signinlogs_elastic_test.ndjson");
    let csv = read_fixture("sentinel_SigninLogs_LogAnalytics_export.csv");
    let gz = gzip(&ndjson);
    let (c, stats) = read_mem("PT1H.json.gz", &gz);
    assert!(c.problems.is_empty());
    assert_eq!((stats.files, stats.records, stats.bytes), (1, 5, gz.len() as u64));
    assert_eq!(c.signins[0].source_file, "PT1H.json.gz");

    let zip = zip_of(&[
        ("logs/diag.ndjson", &ndjson),
        ("__MACOSX/logs/._diag.ndjson", b"\0\x05\x16\x07 AppleDouble junk"),
        ("logs/", b""),
        ("logs/la.csv", &csv),
        ("logs/diag.ndjson.gz", &gz),
    ]);
    let (c, stats) = read_mem("export.zip", &zip);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!((stats.files, stats.records), (3, 66));
    assert_eq!(c.signins[0].source_file, "export.zip!logs/diag.ndjson");
    assert_eq!(c.signins[5].source_file, "export.zip!logs/la.csv");
    assert_eq!(c.signins[5].source_line, 2);
    assert_eq!(c.signins[65].source_file, "export.zip!logs/diag.ndjson.gz");
}

#[test]
fn directory_recursive_sorted_with_mixed_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("b-nested");
    std::fs::create_dir(&sub).unwrap();
    let page_text = page(&[graph_record("utf16@contoso.com", "IMAP4", 0, "1.1.1.1")]);
    std::fs::write(dir.path().join("a-utf16.json"), utf16le_bom(&page_text)).unwrap();
    std::fs::write(sub.join("c.ndjson"), graph_record("nested@contoso.com", "POP3", 0, "1.1.1.2")).unwrap();
    std::fs::write(dir.path().join("c-utf8.json"), page(&[graph_record("utf8@contoso.com", "POP3", 0, "1.1.1.3")]))
        .unwrap();
    std::fs::write(dir.path().join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    let (c, stats) = read(&[dir.path().to_path_buf()]);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(stats.files, 3, "the hidden file is not an input");
    let upns: Vec<&str> = c.signins.iter().map(|s| s.user_principal_name.as_str()).collect();
    assert_eq!(upns, ["utf16@contoso.com", "nested@contoso.com", "utf8@contoso.com"]);
    assert_eq!(c.signins[0].source_line, 4);
}

#[test]
fn shift_jis_csv_resaved_by_japanese_excel() {
    let text = "Date (UTC),User,Username,Client app\r\n2024-05-01T08:00:00Z,山田 太郎,yamada@contoso.co.jp,POP3\r\n";
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!bad);
    let (c, _) = read_mem("sjis.csv", &sjis);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.signins[0].user_display_name, "山田 太郎");
}

#[test]
fn stdin_through_the_cli_with_exit_codes() {
    let exe = env!("CARGO_BIN_EXE_exauth");
    let run = |input: &[u8]| {
        let mut child = std::process::Command::new(exe)
            .args(["scan", "--quiet", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    let good = gzip(graph_record("a@contoso.com", "IMAP4", 0, "1.1.1.1").as_bytes());
    let out = run(&good);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["sourceFile"], "<stdin>");
    assert_eq!(line["clientAppUsed"], "IMAP4");
    let out = run(b"{\"createdDateTime\":\"2024-05-01T08:00:00Z\",\"clientAppUsed\":\"POP3\"\n");
    assert_eq!(out.status.code(), Some(1), "problems give exit code 1");
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>:1: record 1: truncated JSON"));
}

// ---------------------------------------------------------------- bad input

#[test]
fn truncated_page_keeps_the_complete_records() {
    let recs: Vec<String> =
        (1..=5).map(|i| graph_record(&format!("u{i}@contoso.com"), "IMAP4", 0, "1.1.1.1")).collect();
    let full = page(&recs);
    let cut_at = full.find("u3@contoso.com").unwrap();
    let (c, stats) = read_mem("cut.json", &full.as_bytes()[..cut_at]);
    assert_eq!(c.signins.len(), 2);
    let p = only_problem(&c);
    assert_eq!((p.code, p.line, p.record), ("truncated_json", 6, 3));
    assert!(p.message.starts_with("truncated JSON: the input ends inside this record"), "{}", p.message);
    assert_eq!((stats.records, stats.skipped, stats.failed_files), (3, 1, 0));
}

#[test]
fn malformed_element_is_skipped_and_the_next_is_read() {
    let text = format!(
        "[\n{},\n{{\"createdDateTime\": \"2024-05-01T08:00:00Z\", \"userPrincipalName\": tru}},\n{}\n]",
        graph_record("a@contoso.com", "IMAP4", 0, "1.1.1.1"),
        graph_record("c@contoso.com", "POP3", 0, "1.1.1.3")
    );
    let (c, stats) = read_mem("bad-element.json", text.as_bytes());
    assert_eq!(c.signins.iter().map(|s| s.source_record).collect::<Vec<_>>(), [1, 3]);
    let p = only_problem(&c);
    assert_eq!((p.code, p.line, p.record), ("bad_json", 3, 2));
    assert!(p.message.starts_with("invalid JSON at column 69 (expected ident)"), "{}", p.message);
    assert_eq!(stats.skipped, 1);
    // An element over several lines: the line of the error inside it is named.
    let text = text.replace("\"userPrincipalName\": tru", "\n\n\"userPrincipalName\": tru");
    let (c, _) = read_mem("bad-element.json", text.as_bytes());
    let p = only_problem(&c);
    assert_eq!((p.code, p.line, p.record), ("bad_json", 3, 2));
    assert!(p.message.starts_with("invalid JSON at line 5, column 25 (expected ident)"), "{}", p.message);
}

#[test]
fn ndjson_bad_lines_are_problems_between_good_lines() {
    let text = format!(
        "{}\nnot json at all\n{{\"createdDateTime\":\"yesterday\",\"userPrincipalName\":\"x@contoso.com\"}}\n{}\n",
        graph_record("a@contoso.com", "IMAP4", 0, "1.1.1.1"),
        graph_record("d@contoso.com", "POP3", 0, "1.1.1.4")
    );
    let (c, stats) = read_mem("mixed.ndjson", text.as_bytes());
    assert_eq!(c.signins.iter().map(|s| s.source_line).collect::<Vec<_>>(), [1, 4]);
    assert_eq!(codes(&c), ["bad_json", "bad_time"]);
    assert_eq!(c.problems[0].line, 2);
    assert!(c.problems[1].message.contains("'yesterday' is not a timestamp"));
    assert_eq!((stats.records, stats.skipped), (4, 2));
}

#[test]
fn conditional_access_export_is_one_not_a_signin_problem() {
    let policies: Vec<String> = (0..150)
        .map(|i| {
            format!(
                r#"{{"id":"{i}","templateId":null,"displayName":"Block legacy authentication {i}","createdDateTime":"2021-01-01T00:00:00Z","modifiedDateTime":null,"state":"enabled","conditions":{{"clientAppTypes":["exchangeActiveSync","other"]}}}}"#
            )
        })
        .collect();
    let text = format!(
        "{{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies\",\"value\":[{}]}}",
        policies.join(",")
    );
    let (c, stats) = read_mem("ca-policies.json", text.as_bytes());
    assert!(c.signins.is_empty());
    let p = only_problem(&c);
    assert_eq!((p.code, p.record), ("not_a_signin", 0));
    assert!(p.message.starts_with("not a sign-in log: 100 object(s)"), "{}", p.message);
    assert!(p.message.contains("keys: id, templateId, displayName, createdDateTime"), "{}", p.message);
    assert_eq!((stats.failed_files, stats.problems), (1, 1));

    // A small one is judged at its end.
    let text = format!("[{}]", policies[..3].join(",\n"));
    let (c, _) = read_mem("three.json", text.as_bytes());
    assert!(only_problem(&c).message.starts_with("not a sign-in log: 3 object(s)"));
}

#[test]
fn odd_objects_before_sign_ins_are_reported_one_by_one() {
    let text = format!("{{\"hello\":1}}\n{}\n", graph_record("a@contoso.com", "IMAP4", 0, "1.1.1.1"));
    let (c, stats) = read_mem("odd.ndjson", text.as_bytes());
    assert_eq!(c.signins.len(), 1);
    let p = only_problem(&c);
    assert_eq!((p.code, p.line, p.record), ("not_a_signin", 1, 1));
    assert_eq!((stats.skipped, stats.failed_files), (1, 0));
}

#[test]
fn csv_missing_time_column_names_expected_and_found() {
    let text = "Request ID,Username,Client app\n1,a@contoso.com,IMAP4\n";
    let (c, stats) = read_mem("no-date.csv", text.as_bytes());
    assert!(c.signins.is_empty());
    let p = only_problem(&c);
    assert_eq!(p.code, "missing_column");
    assert_eq!(
        p.message,
        "missing column for the time: expected `createdDateTime`, `CreatedDateTime [UTC]`, `TimeGenerated` or `Date (UTC)`; found: `Request ID`, `Username`, `Client app`"
    );
    assert_eq!((stats.failed_files, stats.records), (1, 0));
}

#[test]
fn csv_renamed_columns_fill_nothing_and_warn_once() {
    let text = "Date (UTC),Username,Client application\n2024-05-01T08:00:00Z,a@contoso.com,IMAP4\n2024-05-01T08:00:00Z,b@contoso.com,POP3\n";
    let (c, stats) = read_mem("renamed.csv", text.as_bytes());
    assert_eq!(c.signins.len(), 2, "the records are still read");
    assert_eq!(c.signins[0].client_app_used, "");
    let p = only_problem(&c);
    assert_eq!((p.code, p.line), ("missing_column", 1));
    assert!(p.message.starts_with("no client app column"), "{}", p.message);
    assert_eq!((stats.failed_files, stats.skipped), (0, 0));
}

#[test]
fn csv_that_is_not_a_signin_log() {
    let (c, stats) = read_mem("users.csv", b"DisplayName,Department\nYamada,Sales\n");
    let p = only_problem(&c);
    assert_eq!(p.code, "not_a_signin");
    assert!(p.message.contains("found: `DisplayName`, `Department`"), "{}", p.message);
    assert_eq!(stats.failed_files, 1);
}

#[test]
fn binary_junk_is_one_file_problem() {
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let (c, stats) = read_mem("photo.jpg", &[&b"\xff\xd8\xff\xe0"[..], &junk].concat());
    let p = only_problem(&c);
    assert_eq!((p.code, p.message.as_str()), ("binary", "binary data: expected text (JSON or CSV)"));
    assert_eq!((stats.files, stats.failed_files), (1, 1));
}

#[test]
fn invalid_utf8_inside_a_utf8_file_is_a_record_problem() {
    let mut csv = b"Date (UTC),Username,Client app\n2024-05-01T08:00:00Z,a@contoso.com,IMAP4\n".to_vec();
    csv.extend(b"2024-05-01T08:00:00Z,b\xff\xfe@contoso.com,POP3\n2024-05-01T08:00:00Z,c@contoso.com,POP3\n");
    let (c, stats) = read_mem("latin1.csv", &csv);
    assert_eq!(c.signins.len(), 2);
    let p = only_problem(&c);
    assert_eq!((p.code, p.line, p.record), ("bad_encoding", 3, 2));
    assert!(p.message.contains("column `Username`"), "{}", p.message);
    assert_eq!(stats.skipped, 1);

    let mut nd = graph_record("a@contoso.com", "IMAP4", 0, "1.1.1.1").into_bytes();
    nd.extend(b"\n{\"userPrincipalName\":\"\xff\"}\n");
    let (c, _) = read_mem("bad.ndjson", &nd);
    assert_eq!(c.signins.len(), 1);
    assert_eq!((only_problem(&c).code, only_problem(&c).line), ("bad_encoding", 2));
}

#[test]
fn empty_files() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b" \r\n\t", b"\xFF\xFE"] {
        let (c, stats) = read_mem("empty.csv", bytes);
        let p = only_problem(&c);
        assert_eq!((p.code, p.message.as_str()), ("empty_file", "empty file: expected sign-in records (JSON or CSV)"));
        assert_eq!((stats.files, stats.failed_files), (1, 1));
    }
}

#[test]
fn unreadable_entries_in_a_directory_do_not_stop_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.ndjson"), graph_record("a@contoso.com", "IMAP4", 0, "1.1.1.1")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone.json"), dir.path().join("b-dangling.json")).unwrap();
    let locked = dir.path().join("c-locked.json");
    std::fs::write(&locked, graph_record("c@contoso.com", "IMAP4", 0, "1.1.1.1")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    // Root reads a mode-000 file anyway: then only the dangling link can fail.
    let locked_fails = std::fs::read(&locked).is_err();
    let (c, stats) = read(&[dir.path().to_path_buf()]);
    let unreadable: Vec<&Problem> = c.problems.iter().filter(|p| p.code == "unreadable").collect();
    assert_eq!(unreadable.len(), 1 + usize::from(locked_fails), "{:?}", c.problems);
    assert!(unreadable[0].file.ends_with("b-dangling.json"));
    assert!(unreadable[0].message.starts_with("cannot read file: "), "{}", unreadable[0].message);
    assert_eq!(c.signins.len(), 2 - usize::from(locked_fails));
    assert_eq!(stats.failed_files, 1 + u64::from(locked_fails));
}

#[test]
fn bad_archives() {
    let (c, stats) = read_mem("broken.zip", b"PK\x03\x04 this is not really a zip archive at all");
    let p = only_problem(&c);
    assert_eq!(p.code, "bad_archive");
    assert!(p.message.starts_with("not a readable archive: "), "{}", p.message);
    assert_eq!(stats.failed_files, 1);

    // A .gz cut in the middle: the records decompressed before the cut are read.
    let lines: String =
        (0..2000).map(|i| graph_record(&format!("u{i}@contoso.com"), "IMAP4", 0, "1.1.1.1") + "\n").collect();
    let gz = gzip(lines.as_bytes());
    let (c, stats) = read_mem("cut.json.gz", &gz[..gz.len() / 2]);
    assert!(!c.signins.is_empty() && c.signins.len() < 2000);
    assert_eq!(c.problems[0].code, "bad_archive");
    assert!(c.problems[0].message.starts_with("archive is corrupt or cut off"), "{}", c.problems[0].message);
    assert!(codes(&c).iter().skip(1).all(|&k| k == "truncated_json"), "{:?}", c.problems);
    assert_eq!(stats.failed_files, 0);

    let (c, stats) = read_mem("junk.gz", b"\x1f\x8b\x08\x00garbage");
    assert_eq!(only_problem(&c).code, "bad_archive");
    assert_eq!(stats.failed_files, 1);
}

#[test]
fn problems_speak_japanese_when_asked() {
    let mut c = Collect::default();
    let mut stats = ReadStats::default();
    let opts = ReadOptions { lang: Lang::Ja, ..ReadOptions::default() };
    let _ = read_bytes("x.bin", b"\0\0\0\0binary", &opts, &mut c, &mut stats);
    assert_eq!(only_problem(&c).message, "バイナリ データです: テキスト(JSON または CSV)が必要です");
}

#[test]
fn cancel_from_the_sink_stops_reading() {
    struct StopAfterOne(Vec<SignIn>);
    impl exchange_auth_tools::signin::Sink for StopAfterOne {
        fn signin(&mut self, s: SignIn) -> std::ops::ControlFlow<()> {
            self.0.push(s);
            std::ops::ControlFlow::Break(())
        }
        fn problem(&mut self, _: Problem) {}
    }
    let text = format!("{}\n{}\n", graph_record("a@x", "IMAP4", 0, "1"), graph_record("b@x", "IMAP4", 0, "2"));
    let mut sink = StopAfterOne(Vec::new());
    let mut stats = ReadStats::default();
    assert!(read_bytes("x", text.as_bytes(), &ReadOptions::default(), &mut sink, &mut stats).is_break());
    assert_eq!(sink.0.len(), 1);
}

/// A large file is read through its mapping, whose pages are given back behind the reader
/// (`signin::input::PageRelease`): the result is exactly that of the same bytes in memory.
#[test]
fn large_mapped_files_read_like_the_same_bytes_in_memory() {
    use exchange_auth_tools::demo::formats::{GenFormat, sized_scenario, write};
    let dir = tempfile::tempdir().unwrap();
    for format in [GenFormat::GraphPages, GenFormat::LaCsv, GenFormat::GraphNdjson] {
        let mut bytes = Vec::new();
        write(format, &sized_scenario(11, 24 << 20, format, 400), &mut bytes).unwrap();
        let path = dir.path().join("big.dat");
        std::fs::write(&path, &bytes).unwrap();
        let opts = ReadOptions { legacy_only: true, ..ReadOptions::default() };
        let mut mapped = Collect::default();
        let mapped_stats = read_paths(std::slice::from_ref(&path), &opts, &mut mapped).unwrap();
        let (mut memory, mut memory_stats) = (Collect::default(), ReadStats::default());
        let name = path.display().to_string();
        assert!(read_bytes(&name, &bytes, &opts, &mut memory, &mut memory_stats).is_continue());
        assert_eq!(mapped_stats, memory_stats, "{format:?}");
        assert!(mapped_stats.records > 10_000 && !mapped.signins.is_empty(), "{format:?} {mapped_stats:?}");
        assert_eq!(mapped.signins, memory.signins, "{format:?}");
        assert_eq!(mapped.problems, memory.problems, "{format:?}");
    }
}
