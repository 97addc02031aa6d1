//! `exauth messages`: the message catalogue as JSON, or the PowerShell module's string table
//! (`--psd1`) generated from it.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Ctx, EXIT_FAILED, EXIT_OK, finish_output};
use crate::messages::{Lang, psd1};

#[derive(Debug, Args)]
pub struct MessagesArgs {
    /// Write the PowerShell module's string table (.psd1) instead of the catalogue as JSON.
    #[arg(long)]
    pub psd1: bool,
    /// Culture of the texts: en-US or ja-JP (default: --lang, then the environment).
    #[arg(long, value_name = "CULTURE")]
    pub culture: Option<String>,
    /// Write to this file (a .psd1 gets the UTF-8 BOM Windows PowerShell 5.1 needs) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, a: MessagesArgs) -> u8 {
    let lang = a.culture.as_deref().map_or(ctx.lang, Lang::from_culture);
    let bytes = if a.psd1 {
        if a.output.is_some() { psd1::file_bytes(lang) } else { psd1::psd1(lang).into_bytes() }
    } else {
        let map = match crate::ops::call(&crate::ops::Request {
            op: "messages".into(),
            params: serde_json::Value::Null,
            lang,
        }) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("exauth: {e}");
                return EXIT_FAILED;
            }
        };
        let mut s = serde_json::to_string_pretty(&map).unwrap_or_default();
        s.push('\n');
        s.into_bytes()
    };
    match a.output {
        Some(path) => match std::fs::write(&path, &bytes) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("exauth: {}: {e}", path.display());
                EXIT_FAILED
            }
        },
        None => match finish_output(std::io::stdout().lock().write_all(&bytes)) {
            Ok(()) => EXIT_OK,
            Err(code) => code,
        },
    }
}
