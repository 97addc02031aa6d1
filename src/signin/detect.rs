//! The format of a text input, decided from its content (never from its file name).

use super::json_doc::Scan;

/// A text format the readers know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// One or more JSON values spread over lines: a Graph page, an array, an object, a
    /// `{"records":[…]}` blob, a Log Analytics query result, a `ConvertTo-Json` dump.
    JsonDocument,
    /// One JSON value per line (records, or whole pages one per line).
    Ndjson,
    /// Delimited text with a header row (portal download, Log Analytics export).
    Csv,
}

/// JSON when the text starts with `{` or `[`; NDJSON when its first line is one complete
/// value, or when the first line is broken (more than a bare `{`/`[` opener, yet not complete)
/// and the next line is one complete value (an NDJSON file whose first record is damaged);
/// CSV otherwise.
pub fn detect(text: &[u8]) -> Format {
    let body = text.trim_ascii_start();
    match body.first() {
        Some(b'{' | b'[') => {
            let mut lines = body.split(|&b| b == b'\n').map(<[u8]>::trim_ascii).filter(|l| !l.is_empty());
            let first = lines.next().unwrap_or_default();
            let bare_opener = first.len() == 1 || first.ends_with(b"[") || first.ends_with(b"{");
            if is_one_value(first) || (!bare_opener && lines.next().is_some_and(is_one_value)) {
                Format::Ndjson
            } else {
                Format::JsonDocument
            }
        }
        _ => Format::Csv,
    }
}

/// Whether the line is exactly one complete JSON object or array.
fn is_one_value(line: &[u8]) -> bool {
    if !matches!(line.first(), Some(b'{' | b'[')) {
        return false;
    }
    let mut sc = Scan::new(line, 1);
    matches!(sc.skip_value(), Ok((_, end)) if line[end..].trim_ascii().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_content() {
        assert_eq!(detect(b"{\"a\":1}\n{\"a\":2}\n"), Format::Ndjson);
        assert_eq!(detect(b"  {\"value\":[{\"a\":1}]}"), Format::Ndjson);
        assert_eq!(detect(b"{\n  \"value\": []\n}"), Format::JsonDocument);
        assert_eq!(detect(b"[\r\n  {\"a\":1}\r\n]"), Format::JsonDocument);
        assert_eq!(detect(b"{\"a\":\"unterminated\n"), Format::JsonDocument);
        assert_eq!(detect(b"{not json\n{\"a\":1}\n"), Format::Ndjson, "a damaged first record");
        assert_eq!(detect(b"[\n  {\"a\":1}\n]"), Format::JsonDocument);
        assert_eq!(detect(b"{\"value\": [\n  {\"a\":1}\n]}"), Format::JsonDocument);
        assert_eq!(detect(b"[{\"a\":1},\n{\"a\":2}]"), Format::JsonDocument);
        assert_eq!(detect(b"Date (UTC),Request ID\n"), Format::Csv);
    }
}
