//! Rendering rows for the terminal and for scripts: an aligned table (the default; East Asian
//! wide characters count as two columns so Japanese names line up), JSON (one array), NDJSON
//! (one object per line), CSV (UTF-8 with BOM, so Excel opens Japanese text correctly).

use std::io::{self, Write};

use clap::ValueEnum;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Ndjson,
    Csv,
}

/// Display width of a string in a terminal.
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF |
        0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 |
        0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// A cell's text: strings as they are, arrays joined with `; `, null empty.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if display_width(s) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = if is_wide(c) { 2 } else { 1 };
        if w + cw > max.saturating_sub(1) {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Write `rows` (JSON objects) in `format`. `columns` are (key, header) pairs for table and
/// CSV; JSON and NDJSON write every key.
pub fn write_rows(out: &mut dyn Write, format: Format, rows: &[Value], columns: &[(&str, &str)]) -> io::Result<()> {
    match format {
        Format::Json | Format::Ndjson => write_json_rows(out, format, rows),
        Format::Csv => write_csv(out, rows, columns),
        Format::Table => write_table(out, rows, columns),
    }
}

/// JSON (pretty array) or NDJSON of any serialisable rows; table and CSV write nothing here
/// (they need [`Value`]s: use [`write_rows`]).
pub fn write_json_rows<T: serde::Serialize>(out: &mut dyn Write, format: Format, rows: &[T]) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            writeln!(out)
        }
        Format::Ndjson => {
            for r in rows {
                serde_json::to_writer(&mut *out, r)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Csv | Format::Table => Ok(()),
    }
}

pub fn write_csv(out: &mut dyn Write, rows: &[Value], columns: &[(&str, &str)]) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(columns.iter().map(|(k, _)| *k)).map_err(io::Error::other)?;
    for r in rows {
        w.write_record(columns.iter().map(|(k, _)| cell(&r[*k]))).map_err(io::Error::other)?;
    }
    w.flush()
}

const MAX_CELL: usize = 48;

pub fn write_table(out: &mut dyn Write, rows: &[Value], columns: &[(&str, &str)]) -> io::Result<()> {
    let cells: Vec<Vec<String>> =
        rows.iter().map(|r| columns.iter().map(|(k, _)| truncate(&cell(&r[*k]), MAX_CELL)).collect()).collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, h))| cells.iter().map(|c| display_width(&c[i])).chain([display_width(h)]).max().unwrap_or(0))
        .collect();
    let numeric: Vec<bool> =
        columns.iter().map(|(k, _)| rows.iter().all(|r| r[*k].is_number() || r[*k].is_null())).collect();
    let line = |out: &mut dyn Write, vals: &[String]| -> io::Result<()> {
        let mut s = String::new();
        for (i, v) in vals.iter().enumerate() {
            let pad = widths[i] - display_width(v);
            if numeric[i] {
                s.push_str(&" ".repeat(pad));
                s.push_str(v);
            } else {
                s.push_str(v);
                if i + 1 < vals.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
            if i + 1 < vals.len() {
                s.push_str("  ");
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    let headers: Vec<String> = columns.iter().map(|(_, h)| (*h).to_owned()).collect();
    line(out, &headers)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule)?;
    for c in &cells {
        line(out, c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_align() {
        assert_eq!(display_width("佐藤"), 4);
        let rows = vec![serde_json::json!({"a":"佐藤","n":1}), serde_json::json!({"a":"abc","n":10})];
        let mut out = Vec::new();
        write_table(&mut out, &rows, &[("a", "Name"), ("n", "N")]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(display_width(lines[2]), display_width(lines[3]), "{text}");
    }

    #[test]
    fn csv_has_bom_and_crlf() {
        let rows = vec![serde_json::json!({"a":"x,y","b":["p","q"]})];
        let mut out = Vec::new();
        write_csv(&mut out, &rows, &[("a", "A"), ("b", "B")]).unwrap();
        assert_eq!(out, "\u{feff}a,b\r\n\"x,y\",p; q\r\n".as_bytes());
    }
}
