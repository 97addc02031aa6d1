//! NDJSON: one JSON value per line (Graph records, diagnostic-settings / Event Hub records,
//! `--save-raw` output, or whole pages one per line). A bad line is one problem; the next line
//! is read as usual.

use std::ops::ControlFlow;

use super::file::FileReader;
use super::json_doc::{Scan, read_line_value};

pub(crate) fn read_ndjson(text: &[u8], r: &mut FileReader) -> ControlFlow<()> {
    let mut start = 0;
    let mut line_no = 0u64;
    while start < text.len() {
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
        line_no += 1;
        r.reached(&text[start..]);
        let line = text[start..end].trim_ascii();
        start = end + 1;
        if line.is_empty() {
            continue;
        }
        if matches!(line[0], b'{' | b'[') {
            let mut sub = Scan::new(line, line_no);
            // A `Break` here may only mean "this line was cut": the reader knows whether the
            // whole file has to stop.
            let _ = read_line_value(&mut sub, r);
            if r.stopped() {
                return ControlFlow::Break(());
            }
        } else {
            let m = r.msg("read.not_json_line", &[]);
            r.record_problem("bad_json", line_no, m);
        }
    }
    ControlFlow::Continue(())
}
