//! Large synthetic inputs for benchmarks and soak tests (`exauth generate`): the demo tenant's
//! generator ([`super::generate`]) scaled to a target size, rendered in each real format.
//!
//! - `graph-ndjson`: one Graph `signIn` object per line (what `Invoke-MgGraphRequest` loops and
//!   the `--save-raw` option write).
//! - `graph-pages`: Graph list responses, **one page per line** (1,000 records per page, the
//!   documented maximum page size, DOMAIN.md §1.3): `{"@odata.context":…,"value":[…],
//!   "@odata.nextLink":…}`, the last page without `@odata.nextLink` (what a paging script that
//!   appends each response body writes).
//! - `portal-csv`: the Entra portal "Download" CSV of interactive sign-ins: the 57-cell header
//!   of DOMAIN.md §3 (UNVERIFIED capture, kept with its trailing spaces, double space and
//!   duplicate `Incoming token type`), `Date (UTC)` in ISO 8601, `Status` Success/Failure,
//!   `Location` as `City, State, CC`, UTF-8 without BOM, LF.
//! - `la-csv`: a Log Analytics `SigninLogs` export: the 71 columns of the Sentinel sample's
//!   header (shared/samples/sentinel_SigninLogs_LogAnalytics_export.csv), the columns this tool
//!   reads filled and the others empty, US-locale dates (`4/28/2021, 2:08:45.221 PM`), dynamic
//!   columns as JSON text, UTF-8 BOM, CRLF.
//!
//! Same seed and size, same bytes.

use std::io::{self, Write};

use super::{Event, Scenario, graph};
use crate::time::Timestamp;

/// An output format of the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenFormat {
    GraphNdjson,
    GraphPages,
    PortalCsv,
    LaCsv,
}

impl GenFormat {
    pub const ALL: [GenFormat; 4] =
        [GenFormat::GraphNdjson, GenFormat::GraphPages, GenFormat::PortalCsv, GenFormat::LaCsv];

    pub fn name(self) -> &'static str {
        match self {
            GenFormat::GraphNdjson => "graph-ndjson",
            GenFormat::GraphPages => "graph-pages",
            GenFormat::PortalCsv => "portal-csv",
            GenFormat::LaCsv => "la-csv",
        }
    }

    pub fn parse(s: &str) -> Option<GenFormat> {
        GenFormat::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(s.trim()))
    }
}

/// Records per Graph page (the documented maximum and default page size).
pub const PAGE_SIZE: usize = 1000;

/// The default tenant size of [`sized_scenario`]: a mid-sized company.
pub const DEFAULT_USERS: u32 = 2000;

/// A tenant of `users` whose sign-ins in `format` come to about `bytes`: the *period* grows
/// with the size (so a 100 MB and a 1 GB file describe the same tenant, and the same groups,
/// over a shorter or longer time; Log Analytics keeps up to two years). Per day: ~2 modern
/// sign-ins per user, ~1 % of users on legacy clients, a printer per 1,000 users sending
/// SMTP AUTH; once, in the middle of the period, a password spray from 5 IPs against up to
/// 500 accounts over two days.
pub fn sized_scenario(seed: u64, bytes: u64, format: GenFormat, users: u32) -> Scenario {
    let users = users.max(20);
    let shape = |days: u32| Scenario {
        seed,
        domain: "contoso.co.jp",
        users,
        days,
        modern_per_user_day: 2,
        legacy_users: (users / 100).max(1),
        printers: users / 1000 + 1,
        spray_ips: 5,
        spray_targets: 500.min(users),
        start: Timestamp::from_civil(2026, 1, 1, 0, 0, 0, 0),
    };
    let per_event = bytes_per_event(format, &Scenario { users: 300, ..shape(3) });
    // Mean events per day: users × (2 modern + 2.5 × 1 % legacy + 14.5 per 1,000 printers),
    // plus the spray once (spray_ips × targets × 2 days).
    let events = bytes as f64 / per_event - (5 * 2 * 500.min(users)) as f64;
    let days = (events / (users as f64 * 2.04)).round().max(1.0) as u32;
    shape(days)
}

/// Average rendered size of an event in `format`, measured on a small tenant.
fn bytes_per_event(format: GenFormat, probe: &Scenario) -> f64 {
    let mut counter = Counter(0);
    let events = write(format, probe, &mut counter).unwrap_or(1).max(1);
    counter.0 as f64 / events as f64
}

struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Write every event of `scenario` in `format` to `w`; returns the number of events.
pub fn write(format: GenFormat, scenario: &Scenario, w: &mut dyn Write) -> io::Result<u64> {
    let mut writer: Box<dyn EventWriter + '_> = match format {
        GenFormat::GraphNdjson => Box::new(NdjsonWriter { w }),
        GenFormat::GraphPages => Box::new(PagesWriter { w, page: Vec::new(), in_page: 0, pages: 0 }),
        GenFormat::PortalCsv => Box::new(CsvWriter::new(w, Csv::Portal)?),
        GenFormat::LaCsv => Box::new(CsvWriter::new(w, Csv::LogAnalytics)?),
    };
    writer.start()?;
    let mut events = 0u64;
    let mut result = Ok(());
    super::generate(scenario, |e| {
        if result.is_ok() {
            events += 1;
            result = writer.event(e);
        }
    });
    result?;
    writer.finish()?;
    Ok(events)
}

trait EventWriter {
    fn start(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn event(&mut self, e: &Event) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
}

struct NdjsonWriter<'w> {
    w: &'w mut dyn Write,
}

impl EventWriter for NdjsonWriter<'_> {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        graph::write_event(&mut self.w, e)?;
        self.w.write_all(b"\n")
    }
    fn finish(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Holds one full page back until the next event shows whether it is the last.
struct PagesWriter<'w> {
    w: &'w mut dyn Write,
    page: Vec<u8>,
    in_page: usize,
    pages: u64,
}

const ODATA_CONTEXT: &str = "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns";

impl PagesWriter<'_> {
    fn flush_page(&mut self, last: bool) -> io::Result<()> {
        write!(self.w, "{{\"@odata.context\":\"{ODATA_CONTEXT}\",\"value\":[")?;
        self.w.write_all(&self.page)?;
        self.w.write_all(b"]")?;
        self.pages += 1;
        if !last {
            let token = super::Rng::new(self.pages).next_u64();
            write!(
                self.w,
                ",\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/auditLogs/signIns?$top={PAGE_SIZE}&$skiptoken={token:016x}\""
            )?;
        }
        self.w.write_all(b"}\n")?;
        self.page.clear();
        self.in_page = 0;
        Ok(())
    }
}

impl EventWriter for PagesWriter<'_> {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        if self.in_page == PAGE_SIZE {
            self.flush_page(false)?;
        }
        if self.in_page > 0 {
            self.page.push(b',');
        }
        graph::write_event(&mut self.page, e)?;
        self.in_page += 1;
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        if self.in_page > 0 || self.pages == 0 {
            self.flush_page(true)?;
        }
        self.w.flush()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Csv {
    Portal,
    LogAnalytics,
}

/// DOMAIN.md §3 (UNVERIFIED third-party capture, 57 cells): trailing spaces, a double space
/// and a duplicate header are part of the format.
pub const PORTAL_HEADER: &str = "Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,User type,Cross tenant access type,Incoming token type,Authentication Protocol,Unique token identifier,Original transfer method,Client credential type,Token Protection - Sign In Session,Token Protection - Sign In Session StatusCode,Application,Application ID ,App owner tenant ID,Resource,Resource ID ,Resource tenant ID,Resource owner tenant ID,Home tenant ID,Home tenant name,IP address,Location,Status,Sign-in error code,Failure reason,Client app,Device ID,Browser,Operating System,Compliant,Managed,Join Type,Multifactor authentication result,Multifactor authentication auth method,Multifactor authentication auth detail,Authentication requirement,Sign-in identifier,Session ID,IP address (seen by resource),Through Global Secure Access,Global Secure Access IP address,Autonomous system  number,Flagged for review,Token issuer type,Incoming token type,Token issuer name,Latency,Conditional Access,Managed Identity type,Associated Resource Id,Federated Token Id,Federated Token Issuer";

/// The header of shared/samples/sentinel_SigninLogs_LogAnalytics_export.csv (71 columns).
pub const LA_HEADER: &str = "TenantId,SourceSystem,ResourceId,OperationName,OperationVersion,Category,ResultType,ResultSignature,ResultDescription,DurationMs,CorrelationId,Resource,ResourceGroup,ResourceProvider,Identity,Level,Location,AlternateSignInName,AppDisplayName,AppId,AuthenticationDetails,AuthenticationMethodsUsed,AuthenticationProcessingDetails,AuthenticationRequirement,AuthenticationRequirementPolicies,ClientAppUsed,ConditionalAccessPolicies_dynamic,ConditionalAccessPolicies_string,ConditionalAccessStatus,CreatedDateTime [UTC],DeviceDetail_dynamic,DeviceDetail_string,IsInteractive,Id,IPAddress,IsRisky,LocationDetails_dynamic,LocationDetails_string,MfaDetail_dynamic,MfaDetail_string,NetworkLocationDetails,OriginalRequestId,ProcessingTimeInMilliseconds,RiskDetail,RiskEventTypes,RiskEventTypes_V2,RiskLevelAggregated,RiskLevelDuringSignIn,RiskState,ResourceDisplayName,ResourceIdentity,ServicePrincipalId,ServicePrincipalName,Status_dynamic,Status_string,TokenIssuerName,TokenIssuerType,UserAgent,UserDisplayName,UserId,UserPrincipalName,AADTenantId,UserType,FlaggedForReview,SignInIdentifier,SignInIdentifierType,ResourceTenantId,HomeTenantId,Type,AdditionalDetails,InitiatedBy";

const TENANT_ID: &str = "4f7a2c1e-9d3b-4c6a-8e21-5b0d7f3a9c10";
const EXCHANGE_RESOURCE_ID: &str = "00000002-0000-0ff1-ce00-000000000000";

struct CsvWriter<'w> {
    out: csv::Writer<&'w mut dyn Write>,
    kind: Csv,
    cells: Vec<String>,
}

impl<'w> CsvWriter<'w> {
    fn new(w: &'w mut dyn Write, kind: Csv) -> io::Result<Self> {
        if kind == Csv::LogAnalytics {
            w.write_all("\u{feff}".as_bytes())?;
        }
        let terminator = if kind == Csv::LogAnalytics { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
        let out = csv::WriterBuilder::new().terminator(terminator).flexible(true).from_writer(w);
        Ok(CsvWriter { out, kind, cells: Vec::new() })
    }

    fn header(&self) -> &'static str {
        match self.kind {
            Csv::Portal => PORTAL_HEADER,
            Csv::LogAnalytics => LA_HEADER,
        }
    }

    fn fill(&mut self, e: &Event) {
        let header = self.header();
        self.cells.clear();
        for name in header.split(',') {
            let v = match self.kind {
                Csv::Portal => portal_cell(name, e),
                Csv::LogAnalytics => la_cell(name, e),
            };
            self.cells.push(v);
        }
    }
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl EventWriter for CsvWriter<'_> {
    fn start(&mut self) -> io::Result<()> {
        let header: Vec<&str> = self.header().split(',').collect();
        self.out.write_record(&header).map_err(csv_error)
    }
    fn event(&mut self, e: &Event) -> io::Result<()> {
        self.fill(e);
        self.out.write_record(&self.cells).map_err(csv_error)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn succeeded_text(e: &Event) -> &'static str {
    if e.error_code == 0 { "Success" } else { "Failure" }
}

fn portal_cell(name: &str, e: &Event) -> String {
    let s = |v: &str| v.to_owned();
    match name {
        "Date (UTC)" => e.time.to_string(),
        "Request ID" => graph::id_of(e.id, 0x5151),
        "User agent" => s(e.user_agent),
        "Correlation ID" => graph::id_of(e.id, 0xC0C0),
        "User ID" => s(&e.user_id),
        "User" => s(&e.display_name),
        "Username" | "Sign-in identifier" => s(&e.upn),
        "User type" => s("Member"),
        "Cross tenant access type" | "Incoming token type" | "Original transfer method" | "Client credential type" => {
            s("none")
        }
        "Authentication Protocol" => s(e.auth_protocol),
        "Application" => s(e.app),
        "Application ID " => s(e.app_id),
        "Resource" => s(e.resource),
        "Resource ID " => s(EXCHANGE_RESOURCE_ID),
        "Resource tenant ID" | "Home tenant ID" => s(TENANT_ID),
        "IP address" | "IP address (seen by resource)" => s(&e.ip),
        "Location" => format!("{}, {}, {}", e.city, e.state, e.country),
        "Status" => s(succeeded_text(e)),
        "Sign-in error code" => e.error_code.to_string(),
        "Failure reason" => s(if e.error_code == 0 { "" } else { e.failure_reason }),
        "Client app" => s(e.client_app),
        "Browser" => s(e.browser),
        "Operating System" => s(e.os),
        "Compliant" | "Managed" | "Through Global Secure Access" | "Flagged for review" => s("No"),
        "Authentication requirement" => s("Single-factor authentication"),
        "Token issuer type" => s("AzureAD"),
        "Latency" => (40 + e.id % 400).to_string(),
        "Conditional Access" => s(if e.error_code == 0 { "Success" } else { "Not Applied" }),
        _ => String::new(),
    }
}

fn la_cell(name: &str, e: &Event) -> String {
    let s = |v: &str| v.to_owned();
    match name {
        "TenantId" | "AADTenantId" | "ResourceTenantId" | "HomeTenantId" => s(TENANT_ID),
        "SourceSystem" => s("Azure AD"),
        "ResourceId" => format!("/tenants/{TENANT_ID}/providers/Microsoft.aadiam"),
        "OperationName" => s("Sign-in activity"),
        "OperationVersion" => s("1.0"),
        "Category" => s(if e.interactive { "SignInLogs" } else { "NonInteractiveUserSignInLogs" }),
        "ResultType" => e.error_code.to_string(),
        "ResultSignature" => s("None"),
        "ResultDescription" => s(if e.error_code == 0 { "" } else { e.failure_reason }),
        "DurationMs" => s("0"),
        "CorrelationId" => graph::id_of(e.id, 0xC0C0),
        "Resource" | "ResourceGroup" => s("Microsoft.aadiam"),
        "Identity" | "UserDisplayName" => s(&e.display_name),
        "Level" => s("4"),
        "Location" => s(e.country),
        "AppDisplayName" => s(e.app),
        "AppId" => s(e.app_id),
        "AuthenticationRequirement" => s("singleFactorAuthentication"),
        "ClientAppUsed" => s(e.client_app),
        "ConditionalAccessPolicies_dynamic" | "NetworkLocationDetails" | "RiskEventTypes" | "RiskEventTypes_V2" => {
            s("[]")
        }
        "ConditionalAccessStatus" => s(if e.error_code == 0 { "success" } else { "notApplied" }),
        "CreatedDateTime [UTC]" => us_locale(e.time),
        "DeviceDetail_dynamic" => {
            format!(r#"{{"operatingSystem":"{}","deviceId":"","browser":"{}"}}"#, e.os, e.browser)
        }
        "IsInteractive" => s(if e.interactive { "TRUE" } else { "FALSE" }),
        "Id" | "OriginalRequestId" => graph::id_of(e.id, 0x5151),
        "IPAddress" => s(&e.ip),
        "LocationDetails_dynamic" => format!(
            r#"{{"countryOrRegion":"{}","geoCoordinates":{{"longitude":139.6917,"latitude":35.6895}},"state":"{}","city":"{}"}}"#,
            e.country, e.state, e.city
        ),
        "MfaDetail_dynamic" => s("{}"),
        "ProcessingTimeInMilliseconds" => (40 + e.id % 400).to_string(),
        "RiskDetail" | "RiskLevelAggregated" | "RiskLevelDuringSignIn" | "RiskState" => s("none"),
        "ResourceDisplayName" => s(e.resource),
        "ResourceIdentity" => s(EXCHANGE_RESOURCE_ID),
        "Status_dynamic" if e.error_code == 0 => s(r#"{"errorCode":0}"#),
        "Status_dynamic" => {
            format!(r#"{{"errorCode":{},"failureReason":"{}"}}"#, e.error_code, e.failure_reason.replace('"', "\\\""))
        }
        "TokenIssuerType" => s("AzureAD"),
        "UserAgent" => s(e.user_agent),
        "UserId" => s(&e.user_id),
        "UserPrincipalName" => s(&e.upn),
        "UserType" => s("Member"),
        "Type" => s("SigninLogs"),
        _ => String::new(),
    }
}

/// US-locale Log Analytics date: `4/28/2021, 2:08:45.221 PM`.
pub fn us_locale(t: Timestamp) -> String {
    let secs = t.unix_seconds();
    let (y, m, d) = crate::time::civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let (h, mi, s) = (sod / 3600, sod / 60 % 60, sod % 60);
    let ms = t.0.rem_euclid(1_000_000) / 1000;
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{m}/{d}/{y}, {h12}:{mi:02}:{s:02}.{ms:03} {ampm}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        Scenario {
            users: 200,
            days: 3,
            spray_targets: 50,
            legacy_users: 8,
            ..sized_scenario(7, 0, GenFormat::GraphNdjson, 200)
        }
    }

    fn render(f: GenFormat) -> Vec<u8> {
        let mut out = Vec::new();
        write(f, &small(), &mut out).unwrap();
        out
    }

    #[test]
    fn headers_have_the_documented_cells() {
        assert_eq!(PORTAL_HEADER.split(',').count(), 57);
        assert_eq!(LA_HEADER.split(',').count(), 71);
        assert_eq!(us_locale(Timestamp::from_civil(2021, 4, 28, 14, 8, 45, 221_000)), "4/28/2021, 2:08:45.221 PM");
        assert_eq!(us_locale(Timestamp::from_civil(2021, 1, 2, 0, 5, 0, 0)), "1/2/2021, 12:05:00.000 AM");
    }

    #[test]
    fn deterministic_and_sized() {
        assert_eq!(render(GenFormat::PortalCsv), render(GenFormat::PortalCsv));
        let s = sized_scenario(1, 20 << 20, GenFormat::GraphNdjson, 500);
        let mut c = Counter(0);
        write(GenFormat::GraphNdjson, &s, &mut c).unwrap();
        let ratio = c.0 as f64 / (20 << 20) as f64;
        assert!((0.8..1.25).contains(&ratio), "{ratio}");
    }

    #[test]
    fn every_format_reads_back_to_the_same_sign_ins() {
        let mut events = 0;
        crate::demo::generate(&small(), |_| events += 1);
        let ndjson = render(GenFormat::GraphNdjson);
        let mut n = 0;
        for (i, l) in ndjson.split(|&b| b == b'\n').filter(|l| !l.is_empty()).enumerate() {
            let parsed = crate::signin::fast::parse_line("g", l, i as u64 + 1, i as u64 + 1, Default::default());
            assert!(matches!(parsed, crate::signin::fast::Parsed::SignIn(_)), "{parsed:?}");
            n += 1;
        }
        assert_eq!(n, events);
        let pages = render(GenFormat::GraphPages);
        let lines: Vec<&[u8]> = pages.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), (events as usize).div_ceil(PAGE_SIZE));
        for (i, l) in lines.iter().enumerate() {
            let v: serde_json::Value = serde_json::from_slice(l).unwrap();
            let n = v["value"].as_array().unwrap().len();
            assert_eq!(v.get("@odata.nextLink").is_some(), i + 1 < lines.len());
            assert!(n == PAGE_SIZE || i + 1 == lines.len());
        }
        for f in [GenFormat::PortalCsv, GenFormat::LaCsv] {
            let bytes = render(f);
            let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(&bytes[..]);
            let width = r.headers().unwrap().len();
            assert_eq!(r.records().count(), events as usize, "{}", f.name());
            assert_eq!(width, if f == GenFormat::PortalCsv { 57 } else { 71 });
        }
        let la = render(GenFormat::LaCsv);
        assert!(la.starts_with("\u{feff}TenantId,".as_bytes()) && la.windows(2).any(|w| w == b"\r\n"));
    }
}
