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
/// value; CSV otherwise.
pub fn detect(text: &[u8]) -> Format {
    let body = text.trim_ascii_start();
    match body.first() {
        Some(b'{' | b'[') => {
            let line_end = memchr::memchr(b'\n', body).unwrap_or(body.len());
            let first_line = &body[..line_end];
            let mut sc = Scan::new(first_line, 1);
            match sc.skip_value() {
                Ok((_, end)) if first_line[end..].trim_ascii().is_empty() => Format::Ndjson,
                _ => Format::JsonDocument,
            }
        }
        _ => Format::Csv,
    }
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
        assert_eq!(detect(b"Date (UTC),Request ID\n"), Format::Csv);
    }
}
