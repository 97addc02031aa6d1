//! `exauth generate`: write a large, deterministic, realistic sign-in log in one of the real
//! formats (benchmarks, soak tests, demos on a laptop without a tenant). See `demo::formats`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::demo::formats::{GenFormat, sized_scenario, write};
use crate::messages;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    GraphNdjson,
    GraphPages,
    PortalCsv,
    LaCsv,
}

impl From<FormatArg> for GenFormat {
    fn from(f: FormatArg) -> GenFormat {
        match f {
            FormatArg::GraphNdjson => GenFormat::GraphNdjson,
            FormatArg::GraphPages => GenFormat::GraphPages,
            FormatArg::PortalCsv => GenFormat::PortalCsv,
            FormatArg::LaCsv => GenFormat::LaCsv,
        }
    }
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::GraphNdjson)]
    pub format: FormatArg,
    /// Approximate size of the output: bytes, or with a unit (10MB, 1GB, 512MiB).
    #[arg(long, default_value = "100MB")]
    pub size: String,
    /// Output file.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Users of the synthetic tenant; the period covered grows with --size.
    #[arg(long, default_value_t = crate::demo::formats::DEFAULT_USERS)]
    pub users: u32,
    /// Seed: the same seed, size, users and format give the same bytes.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// Parse `10MB`, `1GB`, `512MiB`, `1.5GB`, `123456` (decimal units are powers of 1000).
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = n * mult;
    (bytes.is_finite() && bytes >= 1.0).then_some(bytes as u64)
}

pub fn generate(ctx: &Ctx, a: GenerateArgs) -> u8 {
    let Some(size) = parse_size(&a.size) else {
        eprintln!("exauth: {}", messages::format("generate.bad_size", ctx.lang, &[("size", &a.size)]));
        return EXIT_USAGE;
    };
    let format = GenFormat::from(a.format);
    let started = Instant::now();
    let scenario = sized_scenario(a.seed, size, format, a.users);
    let file = match std::fs::File::create(&a.out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("exauth: {}: {e}", a.out.display());
            return EXIT_FAILED;
        }
    };
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let written = write(format, &scenario, &mut w).and_then(|n| w.flush().map(|_| n));
    let events = match written {
        Ok(n) => n,
        Err(e) => {
            eprintln!("exauth: {}: {e}", a.out.display());
            return EXIT_FAILED;
        }
    };
    let bytes = std::fs::metadata(&a.out).map(|m| m.len()).unwrap_or(0);
    let seconds = format!("{:.1}", started.elapsed().as_secs_f64());
    eprintln!(
        "exauth: {}",
        messages::format(
            "generate.done",
            ctx.lang,
            &[
                ("events", &events),
                ("users", &scenario.users),
                ("days", &scenario.days),
                ("bytes", &bytes),
                ("format", &format.name()),
                ("path", &a.out.display()),
                ("seconds", &seconds),
            ],
        )
    );
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MB"), Some(10_000_000));
        assert_eq!(parse_size("1GB"), Some(1_000_000_000));
        assert_eq!(parse_size("512MiB"), Some(512 << 20));
        assert_eq!(parse_size(" 1.5 gb "), Some(1_500_000_000));
        assert_eq!(parse_size("123"), Some(123));
        assert_eq!(parse_size("ten"), None);
        assert_eq!(parse_size("5 parsecs"), None);
        assert_eq!(parse_size("0"), None);
    }
}
