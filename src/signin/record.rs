//! The one typed sign-in record every format is turned into, and the normalisation from the raw
//! field texts ([`RawFields`]) that each reader fills.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::catalogue::{Protocol, classify};
use crate::time::Timestamp;

/// Where a record came from: file, 1-based line of its first byte (0 when unknown, e.g. inside a
/// zip member read as one JSON document) and 1-based record number within the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourcePos {
    pub file: String,
    pub line: u64,
    pub record: u64,
}

impl SourcePos {
    /// `file`, `file:line`, then `record N` (in `lang`) when the position is one record.
    pub fn text(&self, lang: crate::messages::Lang) -> String {
        let at = match self.line {
            0 => self.file.clone(),
            l => format!("{}:{l}", self.file),
        };
        match self.record {
            0 => at,
            r => crate::messages::format("read.position_record", lang, &[("at", &at), ("record", &r)]),
        }
    }
}

impl std::fmt::Display for SourcePos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(crate::messages::Lang::En))
    }
}

/// One sign-in, whatever format it came from. Field names are Graph's (camelCase) so JSON
/// output reads like Graph and PowerShell objects get familiar property names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignIn {
    pub created_date_time: Timestamp,
    pub user_principal_name: String,
    pub user_id: String,
    pub user_display_name: String,
    /// The raw value, trimmed; kept even when unknown.
    pub client_app_used: String,
    pub protocol: Protocol,
    pub is_legacy: bool,
    pub app_display_name: String,
    pub app_id: String,
    pub resource_display_name: String,
    pub ip_address: String,
    pub city: String,
    pub state: String,
    pub country_or_region: String,
    /// `status.errorCode` / `ResultType`; 0 is success (DOMAIN.md §4). -1 when the source only
    /// says "Failure" without a code.
    pub error_code: i64,
    pub failure_reason: String,
    pub succeeded: bool,
    pub is_interactive: Option<bool>,
    /// `interactiveUser`, `nonInteractiveUser`, `servicePrincipal`, `managedIdentity` or empty.
    pub sign_in_event_type: String,
    pub authentication_protocol: String,
    pub user_agent: String,
    pub correlation_id: String,
    pub id: String,
    /// Resource Owner Password Credentials: a password posted by a client (authentication
    /// protocol `ropc`, or the `BAV2ROPC` user agent of Basic-to-ROPC conversion).
    pub is_ropc: bool,
    pub source_file: String,
    pub source_line: u64,
    pub source_record: u64,
}

impl SignIn {
    /// A record with every field empty: the buffer [`RawFields::fill_signin`] fills.
    pub fn empty() -> SignIn {
        SignIn {
            created_date_time: Timestamp::default(),
            user_principal_name: String::new(),
            user_id: String::new(),
            user_display_name: String::new(),
            client_app_used: String::new(),
            protocol: Protocol::NotReported,
            is_legacy: false,
            app_display_name: String::new(),
            app_id: String::new(),
            resource_display_name: String::new(),
            ip_address: String::new(),
            city: String::new(),
            state: String::new(),
            country_or_region: String::new(),
            error_code: 0,
            failure_reason: String::new(),
            succeeded: true,
            is_interactive: None,
            sign_in_event_type: String::new(),
            authentication_protocol: String::new(),
            user_agent: String::new(),
            correlation_id: String::new(),
            id: String::new(),
            is_ropc: false,
            source_file: String::new(),
            source_line: 0,
            source_record: 0,
        }
    }
}

/// Which record field a source's column or key feeds. One mapping for every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Time,
    TimeFallback,
    Upn,
    UserId,
    UserDisplayName,
    ClientApp,
    App,
    AppId,
    Resource,
    Ip,
    IpFallback,
    /// Graph `location` object, LA 2-letter `Location`, portal `City, State, CC`.
    Location,
    /// LA `LocationDetails` (dynamic, or JSON text in the non-interactive table / CSV).
    LocationDetails,
    City,
    State,
    Country,
    /// Graph `status` object, LA `Status` (dynamic or JSON text), portal `Success`/`Failure`.
    Status,
    ErrorCode,
    /// `ResultType` (string): used when there is no `status.errorCode`.
    ResultType,
    FailureReason,
    ResultDescription,
    IsInteractive,
    EventType,
    /// Diagnostic-settings `category` / Log Analytics `Type`: tells interactive from not.
    Category,
    AuthProtocol,
    UserAgent,
    CorrelationId,
    Id,
    /// Diagnostic-settings / Event Hub records nest the sign-in under `properties`.
    Properties,
}

/// Normalise a key or header for matching: trimmed, lower case, inner runs of white space
/// folded to one space, a trailing unit suffix like ` [UTC]` and the Log Analytics CSV
/// `_dynamic` / `_string` suffixes removed.
pub fn normalise_name(name: &str, buf: &mut String) {
    buf.clear();
    let mut t = name.trim().trim_start_matches('\u{feff}').trim();
    if let Some(i) = t.rfind(" [")
        && t.ends_with(']')
    {
        t = t[..i].trim_end();
    }
    let mut last_space = false;
    for c in t.chars() {
        if c.is_whitespace() {
            if !last_space {
                buf.push(' ');
            }
            last_space = true;
        } else {
            buf.extend(c.to_lowercase());
            last_space = false;
        }
    }
    for suffix in ["_dynamic", "_string"] {
        if buf.ends_with(suffix) {
            buf.truncate(buf.len() - suffix.len());
        }
    }
}

impl Field {
    /// Map a key (JSON) or header (CSV), already normalised by [`normalise_name`].
    pub fn from_normalised(n: &str) -> Option<Field> {
        Field::from_normalised_bytes(n.as_bytes())
    }

    /// [`Field::from_normalised`] of the bytes of a normalised name.
    pub fn from_normalised_bytes(n: &[u8]) -> Option<Field> {
        Some(match n {
            b"createddatetime" | b"date (utc)" | b"date" | b"createdat" => Field::Time,
            b"timegenerated" | b"time" => Field::TimeFallback,
            b"userprincipalname" | b"username" | b"upn" => Field::Upn,
            b"userid" | b"user id" => Field::UserId,
            b"userdisplayname" | b"user" => Field::UserDisplayName,
            b"clientappused" | b"client app" => Field::ClientApp,
            b"appdisplayname" | b"application" => Field::App,
            b"appid" | b"application id" => Field::AppId,
            b"resourcedisplayname" | b"resource" => Field::Resource,
            b"ipaddress" | b"ip address" => Field::Ip,
            b"calleripaddress" => Field::IpFallback,
            b"location" => Field::Location,
            b"locationdetails" => Field::LocationDetails,
            b"city" => Field::City,
            b"state" => Field::State,
            b"countryorregion" => Field::Country,
            b"status" => Field::Status,
            b"errorcode" | b"sign-in error code" => Field::ErrorCode,
            b"resulttype" => Field::ResultType,
            b"failurereason" | b"failure reason" => Field::FailureReason,
            b"resultdescription" => Field::ResultDescription,
            b"isinteractive" => Field::IsInteractive,
            b"signineventtypes" | b"signineventtype" => Field::EventType,
            b"category" | b"type" => Field::Category,
            b"authenticationprotocol" | b"authentication protocol" => Field::AuthProtocol,
            b"useragent" | b"user agent" => Field::UserAgent,
            b"correlationid" | b"correlation id" => Field::CorrelationId,
            b"id" | b"request id" => Field::Id,
            b"properties" => Field::Properties,
            _ => return None,
        })
    }

    pub fn from_name(name: &str) -> Option<Field> {
        let mut buf = String::with_capacity(name.len());
        normalise_name(name, &mut buf);
        Field::from_normalised(&buf)
    }
}

/// The texts of one record as a reader found them, before normalisation. Later values of the
/// same field replace earlier ones (JSON duplicate keys: last wins, as Python and .NET do).
#[derive(Debug, Default, Clone)]
pub struct RawFields<'a> {
    pub time: Option<Cow<'a, str>>,
    pub time_fallback: Option<Cow<'a, str>>,
    pub upn: Option<Cow<'a, str>>,
    pub user_id: Option<Cow<'a, str>>,
    pub user_display_name: Option<Cow<'a, str>>,
    pub client_app: Option<Cow<'a, str>>,
    pub app: Option<Cow<'a, str>>,
    pub app_id: Option<Cow<'a, str>>,
    pub resource: Option<Cow<'a, str>>,
    pub ip: Option<Cow<'a, str>>,
    pub ip_fallback: Option<Cow<'a, str>>,
    pub city: Option<Cow<'a, str>>,
    pub state: Option<Cow<'a, str>>,
    pub country: Option<Cow<'a, str>>,
    /// 2-letter `Location` of Log Analytics / diagnostic records, used when no details exist.
    pub country_fallback: Option<Cow<'a, str>>,
    pub error_code: Option<Cow<'a, str>>,
    pub result_type: Option<Cow<'a, str>>,
    /// Portal CSV `Status`: `Success`, `Failure`, `Interrupted`.
    pub status_text: Option<Cow<'a, str>>,
    pub failure_reason: Option<Cow<'a, str>>,
    pub result_description: Option<Cow<'a, str>>,
    pub is_interactive: Option<Cow<'a, str>>,
    pub event_type: Option<Cow<'a, str>>,
    pub category: Option<Cow<'a, str>>,
    pub auth_protocol: Option<Cow<'a, str>>,
    pub user_agent: Option<Cow<'a, str>>,
    pub correlation_id: Option<Cow<'a, str>>,
    pub id: Option<Cow<'a, str>>,
    /// How many recognised sign-in fields were seen: 0 means "this is not a sign-in".
    pub recognised: u32,
    /// Structured fields that a PowerShell `ConvertTo-Json` dump with too small `-Depth`
    /// replaced by a .NET type name (bits of [`Lost`]); reported once per file by the readers.
    pub lost: u8,
}

/// Bits of [`RawFields::lost`].
pub struct Lost;

impl Lost {
    pub const STATUS: u8 = 1;
    pub const LOCATION: u8 = 2;
    pub const PROPERTIES: u8 = 4;

    /// The field names lost, for the warning (`status (error code, failure reason)`, …).
    pub fn names(bits: u8) -> Vec<&'static str> {
        let mut v = Vec::new();
        if bits & Lost::STATUS != 0 {
            v.push("status (errorCode, failureReason)");
        }
        if bits & Lost::LOCATION != 0 {
            v.push("location (city, state, countryOrRegion)");
        }
        if bits & Lost::PROPERTIES != 0 {
            v.push("properties");
        }
        v
    }
}

/// Why a record could not become a [`SignIn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    NotASignIn,
    MissingTime,
    BadTime(String),
    BadErrorCode(String),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::NotASignIn => f.write_str(
                "not a sign-in record: expected fields such as createdDateTime, userPrincipalName, clientAppUsed",
            ),
            RecordError::MissingTime => f.write_str("missing createdDateTime (or TimeGenerated / Date (UTC))"),
            RecordError::BadTime(t) => write!(
                f,
                "'{t}' is not a timestamp: expected ISO 8601 (2024-01-31T12:00:00Z) or a locale date (1/31/2024, 12:00:00 PM)"
            ),
            RecordError::BadErrorCode(t) => {
                write!(f, "'{t}' is not a sign-in error code: expected an integer such as 0 or 50126")
            }
        }
    }
}

/// The trimmed text of `v`, or `None` when it is missing or blank.
fn non_blank<'v>(v: &'v Option<Cow<'_, str>>) -> Option<&'v str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Set `dst` to the trimmed text of `v` (empty when missing), reusing its buffer.
fn put(dst: &mut String, v: &Option<Cow<'_, str>>) {
    dst.clear();
    if let Some(v) = v {
        dst.push_str(v.trim());
    }
}

/// [`put`] of `v`, or of `fallback` when `v` is missing or blank.
fn put_first(dst: &mut String, v: &Option<Cow<'_, str>>, fallback: &Option<Cow<'_, str>>) {
    put(dst, v);
    if dst.is_empty() {
        put(dst, fallback);
    }
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn event_type_from_category(c: &str) -> Option<&'static str> {
    let c = c.trim();
    if c.eq_ignore_ascii_case("SignInLogs") {
        Some("interactiveUser")
    } else if c.eq_ignore_ascii_case("NonInteractiveUserSignInLogs")
        || c.eq_ignore_ascii_case("AADNonInteractiveUserSignInLogs")
    {
        Some("nonInteractiveUser")
    } else if c.eq_ignore_ascii_case("ServicePrincipalSignInLogs")
        || c.eq_ignore_ascii_case("MicrosoftServicePrincipalSignInLogs")
        || c.eq_ignore_ascii_case("AADServicePrincipalSignInLogs")
    {
        Some("servicePrincipal")
    } else if c.eq_ignore_ascii_case("ManagedIdentitySignInLogs")
        || c.eq_ignore_ascii_case("AADManagedIdentitySignInLogs")
    {
        Some("managedIdentity")
    } else {
        None
    }
}

/// Parse the first sign-in event type out of a value that may be a plain word, a JSON array
/// text (`["nonInteractiveUser"]`) or a comma list.
fn first_event_type(v: &str) -> &str {
    v.trim()
        .trim_start_matches('[')
        .split(',')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches(|c| c == '"' || c == ']' || c == '[')
        .trim()
}

fn parse_bool(v: &str) -> Option<bool> {
    let v = v.trim();
    if v.eq_ignore_ascii_case("true") || v == "1" {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") || v == "0" {
        Some(false)
    } else {
        None
    }
}

fn parse_code(v: &str) -> Option<i64> {
    let v = v.trim();
    v.parse::<i64>().ok().or_else(|| v.parse::<f64>().ok().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

impl<'a> RawFields<'a> {
    /// Whether the fields read identify a sign-in: at least one of the user, client app,
    /// application, IP address or result. A time and an `id` alone do not (a Conditional Access
    /// policy or a directory audit record has those too).
    pub fn is_signin_like(&self) -> bool {
        self.recognised > 0
            && [
                &self.upn,
                &self.user_id,
                &self.user_display_name,
                &self.client_app,
                &self.app,
                &self.app_id,
                &self.ip,
                &self.ip_fallback,
                &self.error_code,
                &self.result_type,
                &self.status_text,
                &self.user_agent,
                &self.auth_protocol,
            ]
            .iter()
            .any(|v| v.as_deref().is_some_and(|t| !t.trim().is_empty()))
    }

    /// Normalise into a [`SignIn`].
    pub fn into_signin(self, pos: &SourcePos) -> Result<SignIn, RecordError> {
        let mut s = SignIn::empty();
        self.fill_signin(&pos.file, pos.line, pos.record, &mut s)?;
        Ok(s)
    }

    /// [`RawFields::into_signin`] into an existing record, reusing the buffers of its strings:
    /// the parallel NDJSON reader keeps one record per worker, so a parsed line allocates
    /// nothing once the buffers have grown. On an error `out` is unchanged.
    pub fn fill_signin(&self, file: &str, line: u64, record: u64, out: &mut SignIn) -> Result<(), RecordError> {
        if !self.is_signin_like() {
            return Err(RecordError::NotASignIn);
        }
        let time_text = non_blank(&self.time).or(non_blank(&self.time_fallback)).ok_or(RecordError::MissingTime)?;
        let created_date_time =
            Timestamp::parse(time_text).ok_or_else(|| RecordError::BadTime(time_text.to_owned()))?;

        let status_text = self.status_text.as_deref().map(str::trim).unwrap_or("");
        let error_code = match non_blank(&self.error_code).or(non_blank(&self.result_type)) {
            Some(c) => parse_code(c).ok_or_else(|| RecordError::BadErrorCode(c.to_owned()))?,
            None if status_text.eq_ignore_ascii_case("success") || status_text.is_empty() => 0,
            None => -1,
        };

        out.created_date_time = created_date_time;
        put(&mut out.client_app_used, &self.client_app);
        out.protocol = classify(&out.client_app_used);
        out.is_legacy = out.protocol.is_legacy();
        put(&mut out.authentication_protocol, &self.auth_protocol);
        put(&mut out.user_agent, &self.user_agent);
        out.is_ropc = out.authentication_protocol.eq_ignore_ascii_case("ropc")
            || contains_ignore_ascii_case(&out.user_agent, "BAV2ROPC");

        let category_type = self.category.as_deref().and_then(event_type_from_category);
        let mut event_type = self.event_type.as_deref().map(first_event_type).unwrap_or_default();
        if event_type.is_empty() {
            event_type = category_type.unwrap_or("");
        }
        let mut is_interactive = self.is_interactive.as_deref().and_then(parse_bool);
        if is_interactive.is_none() {
            is_interactive = match event_type {
                "interactiveUser" => Some(true),
                "" => None,
                _ => Some(false),
            };
        }
        if event_type.is_empty() {
            event_type = match is_interactive {
                Some(true) => "interactiveUser",
                Some(false) => "nonInteractiveUser",
                None => "",
            };
        }
        out.is_interactive = is_interactive;
        out.sign_in_event_type.clear();
        out.sign_in_event_type.push_str(event_type);

        put_first(&mut out.failure_reason, &self.failure_reason, &self.result_description);
        if error_code == 0 && out.failure_reason.eq_ignore_ascii_case("other.") {
            out.failure_reason.clear();
        }
        put_first(&mut out.ip_address, &self.ip, &self.ip_fallback);
        put_first(&mut out.country_or_region, &self.country, &self.country_fallback);
        put(&mut out.user_principal_name, &self.upn);
        put(&mut out.user_id, &self.user_id);
        put(&mut out.user_display_name, &self.user_display_name);
        put(&mut out.app_display_name, &self.app);
        put(&mut out.app_id, &self.app_id);
        put(&mut out.resource_display_name, &self.resource);
        put(&mut out.city, &self.city);
        put(&mut out.state, &self.state);
        out.error_code = error_code;
        out.succeeded = error_code == 0;
        put(&mut out.correlation_id, &self.correlation_id);
        put(&mut out.id, &self.id);
        if out.source_file != file {
            out.source_file.clear();
            out.source_file.push_str(file);
        }
        out.source_line = line;
        out.source_record = record;
        Ok(())
    }

    /// Store a scalar text for a field. Structured fields (location, status, properties)
    /// given as text are interpreted here too: JSON text is parsed, other text is read the way
    /// the portal and Log Analytics write it.
    pub fn set_text(&mut self, field: Field, v: Cow<'a, str>) {
        self.recognised += 1;
        let slot = match field {
            Field::Time => &mut self.time,
            Field::TimeFallback => &mut self.time_fallback,
            Field::Upn => &mut self.upn,
            Field::UserId => &mut self.user_id,
            Field::UserDisplayName => &mut self.user_display_name,
            Field::ClientApp => &mut self.client_app,
            Field::App => &mut self.app,
            Field::AppId => &mut self.app_id,
            Field::Resource => &mut self.resource,
            Field::Ip => &mut self.ip,
            Field::IpFallback => &mut self.ip_fallback,
            Field::City => &mut self.city,
            Field::State => &mut self.state,
            Field::Country => &mut self.country,
            Field::ErrorCode => &mut self.error_code,
            Field::ResultType => &mut self.result_type,
            Field::FailureReason => &mut self.failure_reason,
            Field::ResultDescription => &mut self.result_description,
            Field::IsInteractive => &mut self.is_interactive,
            Field::EventType => &mut self.event_type,
            Field::Category => &mut self.category,
            Field::AuthProtocol => &mut self.auth_protocol,
            Field::UserAgent => &mut self.user_agent,
            Field::CorrelationId => &mut self.correlation_id,
            Field::Id => &mut self.id,
            Field::Location | Field::LocationDetails | Field::Status | Field::Properties => {
                self.recognised -= 1;
                return self.set_structured_text(field, v);
            }
        };
        *slot = Some(v);
    }

    fn set_structured_text(&mut self, field: Field, v: Cow<'a, str>) {
        let t = v.trim();
        if t.is_empty() {
            return;
        }
        if looks_like_dotnet_type_name(t) {
            // `ConvertTo-Json` ran out of -Depth: the object is gone, only its type name is left.
            self.lost |= match field {
                Field::Status => Lost::STATUS,
                Field::Properties => Lost::PROPERTIES,
                _ => Lost::LOCATION,
            };
            return;
        }
        self.recognised += 1;
        if t.starts_with('{') {
            // JSON inside a string (Log Analytics non-interactive table, CSV cells).
            if let Ok(owned) = super::json::parse_nested_object(t, field) {
                owned.merge_into(self);
            }
            return;
        }
        if let Some(body) = t.strip_prefix("@{").and_then(|b| b.strip_suffix('}')) {
            // A PSCustomObject stringified by `ConvertTo-Json` past its -Depth, or by
            // `Export-Csv`: `@{City=Tokyo; State=Tokyo; CountryOrRegion=JP}`.
            for (k, val) in body.split("; ").filter_map(|kv| kv.split_once('=')) {
                if let Some(f) = super::json::nested_field(k, field)
                    && !val.trim().is_empty()
                {
                    self.set_text(f, Cow::Owned(val.trim().to_owned()));
                }
            }
            return;
        }
        match field {
            Field::Status => self.status_text = Some(Cow::Owned(t.to_owned())),
            Field::Location | Field::LocationDetails => {
                let parts: Vec<&str> = t.split(',').map(str::trim).collect();
                if parts.len() >= 2 {
                    // Portal download: "City, State, CC".
                    let n = parts.len();
                    self.country = Some(Cow::Owned(parts[n - 1].to_owned()));
                    self.city = Some(Cow::Owned(parts[0].to_owned()));
                    if n >= 3 {
                        self.state = Some(Cow::Owned(parts[1..n - 1].join(", ")));
                    }
                } else {
                    self.country_fallback = Some(Cow::Owned(t.to_owned()));
                }
            }
            _ => {}
        }
    }
}

/// `ConvertTo-Json` at its default depth writes nested objects as their .NET type name
/// (`Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInLocation`): not a location.
pub fn looks_like_dotnet_type_name(t: &str) -> bool {
    (t.starts_with("Microsoft.") || t.starts_with("System.")) && !t.contains(' ')
}

impl RawFields<'_> {
    /// Copy every set field of `self` into `into` (later wins), detaching from the input buffer.
    pub fn merge_into<'b>(self, into: &mut RawFields<'b>) {
        fn m<'b>(from: Option<Cow<'_, str>>, to: &mut Option<Cow<'b, str>>) {
            if let Some(v) = from {
                *to = Some(Cow::Owned(v.into_owned()));
            }
        }
        m(self.time, &mut into.time);
        m(self.time_fallback, &mut into.time_fallback);
        m(self.upn, &mut into.upn);
        m(self.user_id, &mut into.user_id);
        m(self.user_display_name, &mut into.user_display_name);
        m(self.client_app, &mut into.client_app);
        m(self.app, &mut into.app);
        m(self.app_id, &mut into.app_id);
        m(self.resource, &mut into.resource);
        m(self.ip, &mut into.ip);
        m(self.ip_fallback, &mut into.ip_fallback);
        m(self.city, &mut into.city);
        m(self.state, &mut into.state);
        m(self.country, &mut into.country);
        m(self.country_fallback, &mut into.country_fallback);
        m(self.error_code, &mut into.error_code);
        m(self.result_type, &mut into.result_type);
        m(self.status_text, &mut into.status_text);
        m(self.failure_reason, &mut into.failure_reason);
        m(self.result_description, &mut into.result_description);
        m(self.is_interactive, &mut into.is_interactive);
        m(self.event_type, &mut into.event_type);
        m(self.category, &mut into.category);
        m(self.auth_protocol, &mut into.auth_protocol);
        m(self.user_agent, &mut into.user_agent);
        m(self.correlation_id, &mut into.correlation_id);
        m(self.id, &mut into.id);
        into.recognised += self.recognised;
        into.lost |= self.lost;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_match_every_service_spelling() {
        assert_eq!(Field::from_name("CreatedDateTime [UTC]"), Some(Field::Time));
        assert_eq!(Field::from_name("Date (UTC)"), Some(Field::Time));
        assert_eq!(Field::from_name("Application ID "), Some(Field::AppId));
        assert_eq!(Field::from_name("clientAppUsed"), Some(Field::ClientApp));
        assert_eq!(Field::from_name("CLIENTAPPUSED"), Some(Field::ClientApp));
        assert_eq!(Field::from_name("Client  app"), Some(Field::ClientApp));
        assert_eq!(Field::from_name("LocationDetails_dynamic"), Some(Field::LocationDetails));
        assert_eq!(Field::from_name("Status_string"), Some(Field::Status));
        assert_eq!(Field::from_name("\u{feff}TenantId"), None);
    }

    #[test]
    fn portal_status_and_location_texts() {
        let mut r = RawFields::default();
        r.set_text(Field::Time, "2024-01-01T00:00:00Z".into());
        r.set_text(Field::Status, "Failure".into());
        r.set_text(Field::Location, "Osaka, Osaka, JP".into());
        r.set_text(Field::ClientApp, " IMAP4 ".into());
        let s = r.into_signin(&SourcePos::default()).unwrap();
        assert_eq!(s.error_code, -1);
        assert!(!s.succeeded);
        assert_eq!((s.city.as_str(), s.state.as_str(), s.country_or_region.as_str()), ("Osaka", "Osaka", "JP"));
        assert_eq!(s.protocol, Protocol::Imap4);
        assert_eq!(s.client_app_used, "IMAP4");
    }

    #[test]
    fn time_and_id_alone_are_not_a_signin() {
        // A Conditional Access policy or an audit record has these too.
        let mut r = RawFields::default();
        r.set_text(Field::Time, "2024-01-01T00:00:00Z".into());
        r.set_text(Field::Id, "5f1c…".into());
        assert_eq!(r.into_signin(&SourcePos::default()), Err(RecordError::NotASignIn));
    }

    #[test]
    fn shallow_powershell_dumps_lose_structured_fields_visibly() {
        let mut r = RawFields::default();
        r.set_text(Field::Time, "2024-01-01T00:00:00Z".into());
        r.set_text(Field::Upn, "a@b".into());
        r.set_text(Field::Status, "Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInStatus".into());
        r.set_text(Field::Location, "@{City=Sapporo; State=Hokkaido; CountryOrRegion=JP}".into());
        assert_eq!(r.lost, Lost::STATUS);
        let s = r.into_signin(&SourcePos::default()).unwrap();
        assert_eq!(s.error_code, 0, "a lost status is not a failure");
        assert_eq!((s.city.as_str(), s.state.as_str(), s.country_or_region.as_str()), ("Sapporo", "Hokkaido", "JP"));
    }

    #[test]
    fn record_errors_are_specific() {
        let r = RawFields::default();
        assert_eq!(r.into_signin(&SourcePos::default()), Err(RecordError::NotASignIn));
        let mut r = RawFields::default();
        r.set_text(Field::Upn, "a@b".into());
        assert_eq!(r.into_signin(&SourcePos::default()), Err(RecordError::MissingTime));
        let mut r = RawFields::default();
        r.set_text(Field::Upn, "a@b".into());
        r.set_text(Field::Time, "yesterday".into());
        assert!(matches!(r.into_signin(&SourcePos::default()), Err(RecordError::BadTime(_))));
    }
}
