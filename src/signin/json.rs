//! JSON sign-in objects: one serde visitor that fills [`RawFields`] from any service's spelling
//! (Graph camelCase, Log Analytics PascalCase, diagnostic-settings `properties.*`, PowerShell
//! `ConvertTo-Json` dumps), borrowing strings from the input where they need no unescaping.
//!
//! Value shapes tolerated per field: strings, numbers and booleans for scalars (`ResultType`
//! is a string in Log Analytics and `errorCode` a number in Graph); objects or JSON text for
//! `location`/`LocationDetails`/`status`; arrays or text for `signInEventTypes`; the Windows
//! PowerShell 5.1 date wrapper `{"value":"/Date(…)/","DateTime":"…"}` for timestamps.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::record::{Field, RawFields, normalise_name};

/// Which object we are inside: decides how keys map to fields.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Record,
    Location,
    Status,
}

/// Parse one JSON sign-in object from bytes (an NDJSON line, a test fixture).
pub fn parse_record(bytes: &[u8]) -> Result<RawFields<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let raw = RecordSeed.deserialize(&mut de)?;
    de.end()?;
    Ok(raw)
}

/// Parse JSON text found inside a string value or CSV cell (`LocationDetails`, `Status`).
pub fn parse_nested_object(text: &str, field: Field) -> Result<RawFields<'static>, serde_json::Error> {
    let ctx = match field {
        Field::Location | Field::LocationDetails => Ctx::Location,
        Field::Status => Ctx::Status,
        _ => Ctx::Record,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let raw = de.deserialize_map(MapVisitor { ctx })?;
    let mut owned = RawFields::default();
    raw.merge_into(&mut owned);
    Ok(owned)
}

/// The field a key of a nested object (`location`, `status`, `properties`) feeds, the same way
/// the JSON reader maps it (used for PowerShell's `@{k=v; …}` texts too).
pub fn nested_field(key: &str, parent: Field) -> Option<Field> {
    let ctx = match parent {
        Field::Location | Field::LocationDetails => Ctx::Location,
        Field::Status => Ctx::Status,
        _ => Ctx::Record,
    };
    field_for(key.trim(), ctx)
}

/// Parse one row of a Log Analytics query API table (`"rows":[[…],…]`): a JSON array whose
/// values map to `columns` by position (`None` for columns that feed no field).
pub fn parse_row<'a>(bytes: &'a [u8], columns: &[Option<Field>]) -> Result<RawFields<'a>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let raw = de.deserialize_seq(RowVisitor { columns })?;
    de.end()?;
    Ok(raw)
}

struct RowVisitor<'c> {
    columns: &'c [Option<Field>],
}

impl<'de> Visitor<'de> for RowVisitor<'_> {
    type Value = RawFields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row (an array of column values)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut raw = RawFields::default();
        let mut i = 0;
        loop {
            let more = match self.columns.get(i).copied().flatten() {
                None => seq.next_element::<IgnoredAny>()?.is_some(),
                Some(f @ (Field::Location | Field::LocationDetails | Field::Status | Field::Properties)) => {
                    let ctx = match f {
                        Field::Status => Ctx::Status,
                        Field::Properties => Ctx::Record,
                        _ => Ctx::Location,
                    };
                    seq.next_element_seed(NestedSeed { raw: &mut raw, ctx, field: f })?.is_some()
                }
                Some(f) => match seq.next_element_seed(FlexSeed)? {
                    Some(Some(v)) => {
                        raw.set_text(f, v);
                        true
                    }
                    Some(None) => true,
                    None => false,
                },
            };
            if !more {
                return Ok(raw);
            }
            i += 1;
        }
    }
}

/// A `DeserializeSeed` that reads one sign-in object: the building block of every JSON
/// container reader (Graph pages, arrays, `{"records":[…]}` blobs, NDJSON).
#[derive(Clone, Copy)]
pub struct RecordSeed;

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = RawFields<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(MapVisitor { ctx: Ctx::Record })
    }
}

struct MapVisitor {
    ctx: Ctx,
}

impl<'de> Visitor<'de> for MapVisitor {
    type Value = RawFields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sign-in object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut raw = RawFields::default();
        fill(&mut raw, &mut map, self.ctx)?;
        Ok(raw)
    }
}

fn field_for(key: &str, ctx: Ctx) -> Option<Field> {
    // Keys are nearly always identifiers: lower-case them on the stack and match the bytes
    // (the allocation-free case of `normalise_name`, same result: checked by a test).
    let mut stack = [0u8; 48];
    let f = match lower_identifier(key.as_bytes(), &mut stack) {
        Some(mut lower) => {
            for suffix in [b"_dynamic".as_slice(), b"_string"] {
                lower = lower.strip_suffix(suffix).unwrap_or(lower);
            }
            Field::from_normalised_bytes(lower)
        }
        None => {
            let mut buf = String::new();
            normalise_name(key, &mut buf);
            Field::from_normalised(&buf)
        }
    };
    match (ctx, f) {
        (Ctx::Record, f) => f,
        (Ctx::Location, Some(f @ (Field::City | Field::State | Field::Country))) => Some(f),
        (Ctx::Status, Some(f @ (Field::ErrorCode | Field::FailureReason))) => Some(f),
        _ => None,
    }
}

/// How many distinct keys per context [`remembered_field_for`] remembers: far more than any
/// service writes, few enough that a file of random keys cannot grow the memo without bound.
const KEY_MEMO_LIMIT: usize = 512;

thread_local! {
    /// The field of each key seen, per [`Ctx`]: the same few dozen keys repeat in every record,
    /// and one hash lookup costs less than lower-casing and matching a key again.
    static KEY_MEMO: RefCell<[hashbrown::HashMap<Box<str>, Option<Field>>; 3]> = RefCell::default();
}

/// [`field_for`], remembered per thread.
fn remembered_field_for(key: &str, ctx: Ctx) -> Option<Field> {
    KEY_MEMO.with_borrow_mut(|memo| {
        let memo = &mut memo[ctx as usize];
        if let Some(&f) = memo.get(key) {
            return f;
        }
        let f = field_for(key, ctx);
        if memo.len() < KEY_MEMO_LIMIT {
            memo.insert(key.into(), f);
        }
        f
    })
}

/// `key` in ASCII lower case in `buf` when it is a short identifier (ASCII letters, digits,
/// `_`), the spelling of every key the services write; `None` otherwise.
fn lower_identifier<'b>(key: &[u8], buf: &'b mut [u8; 48]) -> Option<&'b [u8]> {
    let out = buf.get_mut(..key.len())?;
    for (o, &b) in out.iter_mut().zip(key) {
        if !(b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        *o = b.to_ascii_lowercase();
    }
    Some(out)
}

struct Key(Option<Field>);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

#[derive(Clone, Copy)]
struct KeySeed(Ctx);

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(Key(remembered_field_for(v, self.0)))
    }
}

fn fill<'de, A: MapAccess<'de>>(raw: &mut RawFields<'de>, map: &mut A, ctx: Ctx) -> Result<(), A::Error> {
    while let Some(Key(field)) = map.next_key_seed(KeySeed(ctx))? {
        match field {
            None => {
                map.next_value::<IgnoredAny>()?;
            }
            Some(Field::Properties) => {
                map.next_value_seed(NestedSeed { raw, ctx: Ctx::Record, field: Field::Properties })?
            }
            Some(f @ (Field::Location | Field::LocationDetails)) => {
                map.next_value_seed(NestedSeed { raw, ctx: Ctx::Location, field: f })?
            }
            Some(Field::Status) => map.next_value_seed(NestedSeed { raw, ctx: Ctx::Status, field: Field::Status })?,
            Some(f) => {
                if let Some(v) = map.next_value_seed(FlexSeed)? {
                    raw.set_text(f, v);
                }
            }
        }
    }
    Ok(())
}

/// A value that is either an object to descend into or a text to interpret.
struct NestedSeed<'r, 'de> {
    raw: &'r mut RawFields<'de>,
    ctx: Ctx,
    field: Field,
}

impl<'de> DeserializeSeed<'de> for NestedSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NestedSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object or a text")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        fill(self.raw, &mut map, self.ctx)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.raw.set_text(self.field, Cow::Borrowed(v));
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.raw.set_text(self.field, Cow::Owned(v.to_owned()));
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// A scalar as text: strings (borrowed when unescaped), numbers, booleans; `null` and arrays of
/// nothing are absent; an array gives its first scalar (`signInEventTypes`); an object gives
/// its `value` / `DateTime` member (PowerShell 5.1's date wrapper).
struct FlexSeed;

impl<'de> DeserializeSeed<'de> for FlexSeed {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(FlexVisitor)
    }
}

struct FlexVisitor;

impl<'de> Visitor<'de> for FlexVisitor {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text, number or boolean")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(if v { "true" } else { "false" })))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // `-0` and `-0.0` read as 0 whichever parser saw them (one gives an integer, one a float).
        Ok(Some(if v == 0.0 { Cow::Borrowed("0") } else { Cow::Owned(v.to_string()) }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut first = None;
        while let Some(v) = seq.next_element_seed(FlexSeed)? {
            if first.is_none() {
                first = v;
            }
        }
        Ok(first)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut value = None;
        let mut date_time = None;
        while let Some(k) = map.next_key::<Cow<'_, str>>()? {
            if k.eq_ignore_ascii_case("value") {
                value = map.next_value_seed(FlexSeed)?;
            } else if k.eq_ignore_ascii_case("UtcDateTime") || k.eq_ignore_ascii_case("DateTime") {
                let v = map.next_value_seed(FlexSeed)?;
                if date_time.is_none() || k.eq_ignore_ascii_case("UtcDateTime") {
                    date_time = v;
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(value.or(date_time))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Protocol;
    use crate::signin::record::SourcePos;

    fn one(json: &str) -> crate::signin::SignIn {
        parse_record(json.as_bytes()).unwrap().into_signin(&SourcePos::default()).unwrap()
    }

    #[test]
    fn graph_camel_case_with_nested_status_and_location() {
        let s = one(
            r#"{"createdDateTime":"2024-05-01T08:00:00Z","userPrincipalName":"a@contoso.com","clientAppUsed":"IMAP4",
               "status":{"errorCode":50126,"failureReason":"Invalid username or password"},
               "location":{"city":"Tokyo","state":"Tokyo","countryOrRegion":"JP","geoCoordinates":{}},
               "signInEventTypes":["nonInteractiveUser"],"userAgent":"BAV2ROPC","ipAddress":"203.0.113.9"}"#,
        );
        assert_eq!(s.protocol, Protocol::Imap4);
        assert_eq!(s.error_code, 50126);
        assert!(!s.succeeded);
        assert_eq!(s.country_or_region, "JP");
        assert_eq!(s.sign_in_event_type, "nonInteractiveUser");
        assert_eq!(s.is_interactive, Some(false));
        assert!(s.is_ropc);
    }

    #[test]
    fn log_analytics_pascal_case_with_json_text_columns() {
        let s = one(
            r#"{"TimeGenerated":"2024-05-01T08:00:00Z","UserPrincipalName":"b@contoso.com","ClientAppUsed":"Authenticated SMTP",
               "ResultType":"0","LocationDetails":"{\"city\":\"Osaka\",\"countryOrRegion\":\"JP\"}",
               "Status":"{\"errorCode\":0}","Type":"AADNonInteractiveUserSignInLogs","Location":"JP"}"#,
        );
        assert_eq!(s.protocol, Protocol::AuthenticatedSmtp);
        assert!(s.succeeded);
        assert_eq!(s.city, "Osaka");
        assert_eq!(s.sign_in_event_type, "nonInteractiveUser");
    }

    #[test]
    fn powershell_51_date_wrapper_and_duplicate_keys() {
        let s = one(
            r#"{"CreatedDateTime":{"value":"\/Date(1618000000000)\/","DisplayHint":2,"DateTime":"Friday, April 9, 2021 8:26:40 PM"},
               "ClientAppUsed":"POP3","ClientAppUsed":"IMAP4","Status":{"ErrorCode":0}}"#,
        );
        assert_eq!(s.created_date_time.to_string(), "2021-04-09T20:26:40Z");
        assert_eq!(s.protocol, Protocol::Imap4, "last duplicate key wins");
    }

    #[test]
    fn key_lookup_matches_header_normalisation() {
        // The stack fast path of `field_for` gives what `normalise_name` + `from_normalised` give.
        for key in [
            "createdDateTime",
            "CreatedDateTime",
            "TimeGenerated",
            "userPrincipalName",
            "UserPrincipalName",
            "clientAppUsed",
            "ClientAppUsed_string",
            "Status_dynamic",
            "LocationDetails_dynamic",
            "ResultType",
            "IPAddress",
            "ipAddress",
            "id",
            "Id",
            "riskDetail",
            "x_string_dynamic",
            "resultType_string",
            "Client app",
            " clientAppUsed ",
            "CreatedDateTime [UTC]",
            "ｃｌｉｅｎｔ",
            "",
        ] {
            assert_eq!(field_for(key, Ctx::Record), Field::from_name(key), "{key:?}");
            assert_eq!(remembered_field_for(key, Ctx::Record), Field::from_name(key), "{key:?}");
        }
        let s = one(
            r#"{"TimeGenerated":"2024-05-01T08:00:00Z","UserPrincipalName":"a@b.c","ClientAppUsed_string":"IMAP4"}"#,
        );
        assert_eq!(s.protocol, Protocol::Imap4);
    }
}
