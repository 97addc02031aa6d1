//! Exchange Online objects as admins export them: `Export-Csv` (with or without the `#TYPE`
//! line of Windows PowerShell 5.1) or `ConvertTo-Json` (an array, one object, or a Graph-style
//! `{"value":[…]}`), UTF-8 with or without BOM or UTF-16 (PowerShell 5.1 `Out-File`).
//!
//! Property names are looked up case-insensitively, as EXO emits them (`PopEnabled`,
//! `SmtpClientAuthenticationDisabled`, …). Booleans arrive as JSON `true`/`false`/`null` or as
//! the text `True`/`False`/empty (Export-Csv writes `$null` as an empty cell).

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::error::Error;

/// One exported object: properties by lower-cased name, plus where it came from.
#[derive(Debug, Clone, Default)]
pub struct Object {
    pub file: String,
    /// 1-based object number in the file (CSV: data row; JSON: array element).
    pub record: u64,
    props: HashMap<String, Value>,
}

/// A boolean setting read from an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// The property is not in the object at all (not requested in the export).
    Absent,
    /// `$null`: "not configured"; for some settings that means "inherit".
    Null,
    Set(bool),
}

impl Flag {
    pub fn value(self) -> Option<bool> {
        match self {
            Flag::Set(b) => Some(b),
            _ => None,
        }
    }
}

impl Object {
    pub fn from_pairs(file: &str, record: u64, pairs: impl IntoIterator<Item = (String, Value)>) -> Self {
        Object { file: file.to_owned(), record, props: pairs.into_iter().map(|(k, v)| (k.to_lowercase(), v)).collect() }
    }

    pub fn has(&self, name: &str) -> bool {
        self.props.contains_key(&name.to_lowercase())
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.props.get(&name.to_lowercase())
    }

    /// Text of a property: strings trimmed, numbers as text, an object's `Name` (ConvertTo-Json
    /// writes ADObjectId values as objects); null and empty are `None`.
    pub fn text(&self, name: &str) -> Option<String> {
        value_text(self.get(name)?)
    }

    /// The first of several property names that has text.
    pub fn first_text(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| self.text(n))
    }

    /// A boolean setting. Unreadable text is an error naming the file, object and property.
    pub fn flag(&self, name: &str) -> Result<Flag, String> {
        let Some(v) = self.get(name) else { return Ok(Flag::Absent) };
        match v {
            Value::Null => Ok(Flag::Null),
            Value::Bool(b) => Ok(Flag::Set(*b)),
            Value::Number(n) => Ok(Flag::Set(n.as_i64() != Some(0))),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "" | "$null" | "null" => Ok(Flag::Null),
                "true" | "$true" | "1" => Ok(Flag::Set(true)),
                "false" | "$false" | "0" => Ok(Flag::Set(false)),
                other => Err(format!(
                    "{}: object {}: {name} is '{other}', expected True, False or empty",
                    self.file, self.record
                )),
            },
            _ => Err(format!("{}: object {}: {name} is not a boolean", self.file, self.record)),
        }
    }

    /// Every value of a multi-valued property (JSON array, or Export-Csv's space-separated text).
    pub fn list(&self, name: &str) -> Vec<String> {
        match self.get(name) {
            Some(Value::Array(a)) => a.iter().filter_map(value_text).collect(),
            Some(v) => value_text(v).map_or_else(Vec::new, |t| t.split_whitespace().map(str::to_owned).collect()),
            None => Vec::new(),
        }
    }
}

fn value_text(v: &Value) -> Option<String> {
    let t = match v {
        Value::Null => return None,
        Value::String(s) => s.trim().to_owned(),
        Value::Object(o) => {
            return ["Name", "name", "DistinguishedName"].iter().find_map(|k| o.get(*k).and_then(value_text));
        }
        other => other.to_string(),
    };
    (!t.is_empty()).then_some(t)
}

/// Read a file of exported objects.
pub fn read_objects(path: &Path) -> crate::Result<Vec<Object>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_objects(&path.display().to_string(), &bytes)
}

/// Parse exported objects from bytes (format detected from content).
pub fn parse_objects(name: &str, bytes: &[u8]) -> crate::Result<Vec<Object>> {
    let (text, _, malformed) = encoding_rs::UTF_8.decode(bytes);
    if malformed {
        return Err(invalid(name, "the file is not UTF-8 or UTF-16 text".into()));
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Ok(Vec::new());
    }
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        parse_json(name, trimmed)
    } else {
        parse_csv(name, trimmed)
    }
}

fn invalid(name: &str, message: String) -> Error {
    Error::InvalidInput { target: name.to_owned(), message }
}

fn parse_json(name: &str, text: &str) -> crate::Result<Vec<Object>> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| invalid(name, format!("line {}, column {}: not valid JSON: {e}", e.line(), e.column())))?;
    let items = match v {
        Value::Array(a) => a,
        Value::Object(mut o) => match o.remove("value") {
            Some(Value::Array(a)) => a,
            Some(other) => {
                o.insert("value".into(), other);
                vec![Value::Object(o)]
            }
            None => vec![Value::Object(o)],
        },
        _ => return Err(invalid(name, "expected a JSON array or object of exported objects".into())),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Object(o) => Ok(Object::from_pairs(name, i as u64 + 1, o)),
            _ => Err(invalid(name, format!("element {} is not an object", i + 1))),
        })
        .collect()
}

fn parse_csv(name: &str, text: &str) -> crate::Result<Vec<Object>> {
    // Windows PowerShell 5.1 Export-Csv writes `#TYPE Deserialized.…` first unless -NoTypeInformation.
    let (skipped, body) = match text.strip_prefix("#TYPE") {
        Some(rest) => (1, rest.split_once('\n').map_or("", |x| x.1)),
        None => (0, text),
    };
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(body.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| invalid(name, format!("cannot read the CSV header: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() + skipped);
            invalid(name, format!("line {line}: {e}"))
        })?;
        let pairs = headers.iter().zip(rec.iter()).map(|(h, v)| (h.clone(), Value::String(v.to_owned())));
        out.push(Object::from_pairs(name, i as u64 + 1, pairs));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_type_line_and_empty_null() {
        let csv = "#TYPE Deserialized.Microsoft.Exchange.Data.Directory.Management.CASMailbox\r\n\
                   \"PrimarySmtpAddress\",\"PopEnabled\",\"SmtpClientAuthenticationDisabled\"\r\n\
                   \"a@contoso.com\",\"True\",\"\"\r\n\"b@contoso.com\",\"False\",\"True\"\r\n";
        let o = parse_objects("m.csv", csv.as_bytes()).unwrap();
        assert_eq!(o.len(), 2);
        assert_eq!(o[0].text("primarysmtpaddress").as_deref(), Some("a@contoso.com"));
        assert_eq!(o[0].flag("PopEnabled").unwrap(), Flag::Set(true));
        assert_eq!(o[0].flag("SmtpClientAuthenticationDisabled").unwrap(), Flag::Null);
        assert_eq!(o[1].flag("SmtpClientAuthenticationDisabled").unwrap(), Flag::Set(true));
        assert_eq!(o[1].flag("ImapEnabled").unwrap(), Flag::Absent);
    }

    #[test]
    fn json_utf16_single_object_and_graph_value() {
        let json = "\u{feff}{\"PrimarySmtpAddress\":\"佐藤@contoso.co.jp\",\"ImapEnabled\":true,\"Smtp\":null}";
        let mut bytes = vec![0xFF, 0xFE];
        for u in json.trim_start_matches('\u{feff}').encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let o = parse_objects("m.json", &bytes).unwrap();
        assert_eq!(o[0].text("PrimarySmtpAddress").as_deref(), Some("佐藤@contoso.co.jp"));
        assert_eq!(o[0].flag("imapenabled").unwrap(), Flag::Set(true));
        let g = parse_objects("p.json", br#"{"value":[{"id":"1"},{"id":"2"}]}"#).unwrap();
        assert_eq!(g.len(), 2);
    }

    #[test]
    fn bad_values_name_the_file_and_object() {
        let o = parse_objects("m.csv", b"PopEnabled\nmaybe\n").unwrap();
        let e = o[0].flag("PopEnabled").unwrap_err();
        assert!(e.contains("m.csv") && e.contains("object 1") && e.contains("PopEnabled"), "{e}");
        let e = parse_objects("x.json", b"[{\"a\":1},").unwrap_err().to_string();
        assert!(e.contains("x.json") && e.contains("line 1"), "{e}");
    }
}
