//! Timestamps: every format's date text normalised to one UTC instant.
//!
//! Accepted forms (what the sign-in sources really emit):
//! - ISO 8601 / RFC 3339 with `T` or a space, 0–9 fractional digits, `Z`, `±HH:MM`, `±HHMM`
//!   or no zone (taken as UTC: Graph, portal downloads and Log Analytics all write UTC);
//! - US-locale Log Analytics exports: `4/28/2021, 2:08:45.221 PM` (comma optional, 12- or 24-hour);
//! - Japanese-locale `2021/04/28 14:08:45`;
//! - Windows PowerShell 5.1 `ConvertTo-Json` dates: `/Date(1618000000000)/`, optionally with an offset
//!   suffix (`/Date(1618000000000+0900)/`, the instant is the milliseconds either way).
//!
//! The instant is kept as microseconds since the Unix epoch (Graph has 100 ns precision; the
//! 7th digit is dropped, which no summary can observe).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A UTC instant, microseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

const MICROS_PER_SEC: i64 = 1_000_000;
const SECS_PER_DAY: i64 = 86_400;

impl Timestamp {
    pub fn from_unix_seconds(s: i64) -> Self {
        Timestamp(s * MICROS_PER_SEC)
    }

    pub fn unix_seconds(self) -> i64 {
        self.0.div_euclid(MICROS_PER_SEC)
    }

    /// Days since the epoch (UTC), for per-day summaries.
    pub fn day_number(self) -> i64 {
        self.unix_seconds().div_euclid(SECS_PER_DAY)
    }

    /// The UTC calendar date as `YYYY-MM-DD`.
    pub fn date_string(self) -> String {
        let (y, m, d) = civil_from_days(self.day_number());
        format!("{y:04}-{m:02}-{d:02}")
    }

    pub fn from_civil(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, micros: i64) -> Self {
        let days = days_from_civil(y, mo, d);
        Timestamp((days * SECS_PER_DAY + h as i64 * 3600 + mi as i64 * 60 + s as i64) * MICROS_PER_SEC + micros)
    }

    /// Parse any of the forms in the module doc. `None` when the text is not a timestamp.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        if let Some(rest) = t.strip_prefix("/Date(").or_else(|| t.strip_prefix("\\/Date(")) {
            return parse_ms_json_date(rest);
        }
        let b = t.as_bytes();
        let year_first = b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit);
        if year_first && b[4] == b'-' {
            return parse_iso(b);
        }
        if year_first && b[4] == b'/' {
            return parse_ymd_slash(b);
        }
        parse_us_locale(b)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC: `2021-04-28T14:08:45Z`, with a millisecond or microsecond fraction only
    /// when there is one (so columns of times line up).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.unix_seconds();
        let micros = self.0.rem_euclid(MICROS_PER_SEC);
        let (y, m, d) = civil_from_days(secs.div_euclid(SECS_PER_DAY));
        let sod = secs.rem_euclid(SECS_PER_DAY);
        write!(f, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", sod / 3600, sod / 60 % 60, sod % 60)?;
        if micros % 1000 != 0 {
            write!(f, ".{micros:06}")?;
        } else if micros != 0 {
            write!(f, ".{:03}", micros / 1000)?;
        }
        f.write_str("Z")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        Timestamp::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("'{s}' is not a timestamp")))
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

fn valid(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> bool {
    let dim = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1..=dim).contains(&d) && h < 24 && mi < 60 && s < 61
}

/// Parse `HH:MM[:SS[.fffffffff]]` at the start of `b`; returns (h, m, s, micros, rest).
fn parse_clock(b: &[u8]) -> Option<(u32, u32, u32, i64, &[u8])> {
    let colon = b.iter().position(|&c| c == b':')?;
    let h = digits(&b[..colon])?;
    let b = &b[colon + 1..];
    if b.len() < 2 {
        return None;
    }
    let mi = digits(&b[..2])?;
    let mut b = &b[2..];
    let mut s = 0;
    let mut micros = 0i64;
    if b.first() == Some(&b':') {
        if b.len() < 3 {
            return None;
        }
        s = digits(&b[1..3])?;
        b = &b[3..];
        if matches!(b.first(), Some(b'.') | Some(b',')) {
            let n = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            let frac = &b[1..1 + n];
            let mut v = 0i64;
            for i in 0..6 {
                v = v * 10 + frac.get(i).map_or(0, |c| (c - b'0') as i64);
            }
            micros = v;
            b = &b[1 + n..];
        }
    }
    Some((h, mi, s, micros, b))
}

fn parse_iso(b: &[u8]) -> Option<Timestamp> {
    let y = digits(&b[0..4])? as i64;
    if b[7] != b'-' {
        return None;
    }
    let mo = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    let rest = &b[10..];
    let (h, mi, s, micros, zone) = if rest.is_empty() {
        (0, 0, 0, 0, rest)
    } else if rest[0] == b'T' || rest[0] == b't' || rest[0] == b' ' {
        parse_clock(&rest[1..])?
    } else {
        return None;
    };
    if !valid(y, mo, d, h, mi, s) {
        return None;
    }
    let offset_secs = parse_zone(zone)?;
    let t = Timestamp::from_civil(y, mo, d, h, mi, s, micros);
    Some(Timestamp(t.0 - offset_secs * MICROS_PER_SEC))
}

/// `Z`, `±HH:MM`, `±HHMM`, `±HH`, ` UTC` or nothing (UTC). Returns the offset in seconds.
fn parse_zone(z: &[u8]) -> Option<i64> {
    let z = z.trim_ascii();
    match z {
        b"" | b"Z" | b"z" | b"UTC" | b"GMT" => return Some(0),
        _ => {}
    }
    let sign = match z[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &z[1..];
    let (hh, mm) = match body.len() {
        2 => (digits(body)?, 0),
        4 => (digits(&body[..2])?, digits(&body[2..])?),
        5 if body[2] == b':' => (digits(&body[..2])?, digits(&body[3..])?),
        _ => return None,
    };
    if hh > 14 || mm > 59 {
        return None;
    }
    Some(sign * (hh as i64 * 3600 + mm as i64 * 60))
}

/// `2021/04/28 14:08:45` (Japanese locale), no zone: UTC.
fn parse_ymd_slash(b: &[u8]) -> Option<Timestamp> {
    let mut parts = b.splitn(3, |&c| c == b'/');
    let y = digits(parts.next()?)? as i64;
    let mo = digits(parts.next()?)?;
    let rest = parts.next()?;
    let sp = rest.iter().position(|&c| c == b' ').unwrap_or(rest.len());
    let d = digits(&rest[..sp])?;
    let (h, mi, s, micros, zone) =
        if sp == rest.len() { (0, 0, 0, 0, &rest[sp..]) } else { parse_clock(rest[sp..].trim_ascii_start())? };
    if !valid(y, mo, d, h, mi, s) {
        return None;
    }
    let off = parse_zone(zone)?;
    Some(Timestamp(Timestamp::from_civil(y, mo, d, h, mi, s, micros).0 - off * MICROS_PER_SEC))
}

/// `4/28/2021, 2:08:45.221 PM` / `4/28/2021 14:08:45` (US locale, UTC).
fn parse_us_locale(b: &[u8]) -> Option<Timestamp> {
    let mut parts = b.splitn(3, |&c| c == b'/');
    let mo = digits(parts.next()?)?;
    let d = digits(parts.next()?)?;
    let rest = parts.next()?;
    if rest.len() < 4 {
        return None;
    }
    let y = digits(&rest[..4])? as i64;
    let mut rest = &rest[4..];
    if rest.first() == Some(&b',') {
        rest = &rest[1..];
    }
    let rest = rest.trim_ascii();
    let (mut h, mi, s, micros, tail) = if rest.is_empty() { (0, 0, 0, 0, rest) } else { parse_clock(rest)? };
    let tail = tail.trim_ascii();
    let (ampm, zone) = if tail.len() >= 2 && tail[..2].eq_ignore_ascii_case(b"AM") {
        (Some(false), &tail[2..])
    } else if tail.len() >= 2 && tail[..2].eq_ignore_ascii_case(b"PM") {
        (Some(true), &tail[2..])
    } else {
        (None, tail)
    };
    if let Some(pm) = ampm {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    if !valid(y, mo, d, h, mi, s) {
        return None;
    }
    let off = parse_zone(zone)?;
    Some(Timestamp(Timestamp::from_civil(y, mo, d, h, mi, s, micros).0 - off * MICROS_PER_SEC))
}

/// The body of `/Date(1618000000000+0900)/` after `/Date(`.
fn parse_ms_json_date(rest: &str) -> Option<Timestamp> {
    let end = rest.find(')')?;
    let body = &rest[..end];
    // The offset's sign is any `+`/`-` after the first character (which may be the number's own sign).
    let offset_at = body.char_indices().skip(1).find(|&(_, c)| c == '+' || c == '-').map(|(i, _)| i);
    let num = offset_at.map_or(body, |i| &body[..i]);
    let ms: i64 = num.parse().ok()?;
    Some(Timestamp(ms.checked_mul(1000)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        Timestamp::parse(s).map(|t| t.to_string()).unwrap_or_default()
    }

    #[test]
    fn iso_forms_normalise_to_utc() {
        assert_eq!(p("2020-03-13T19:15:41.6195833Z"), "2020-03-13T19:15:41.619583Z");
        assert_eq!(p("2019-10-18T04:45:48.0729893-05:00"), "2019-10-18T09:45:48.072989Z");
        assert_eq!(p("2024-01-13 14:13:32"), "2024-01-13T14:13:32Z");
        assert_eq!(p("2024-01-13T14:13:32+0900"), "2024-01-13T05:13:32Z");
        assert_eq!(p("2024-01-13T14:13:32.123456789Z"), "2024-01-13T14:13:32.123456Z");
        assert_eq!(p("2024-02-29"), "2024-02-29T00:00:00Z");
        assert_eq!(p("2023-02-29T00:00:00Z"), "");
        assert_eq!(p("2024-01-13T25:00:00Z"), "");
        assert_eq!(p("not a date"), "");
    }

    #[test]
    fn locale_and_powershell_forms() {
        assert_eq!(p("4/28/2021, 2:08:45.221 PM"), "2021-04-28T14:08:45.221Z");
        assert_eq!(p("4/28/2021, 12:08:45.221 AM"), "2021-04-28T00:08:45.221Z");
        assert_eq!(p("4/28/2021 14:08:45"), "2021-04-28T14:08:45Z");
        assert_eq!(p("2021/04/28 14:08:45"), "2021-04-28T14:08:45Z");
        assert_eq!(p("/Date(1618000000000)/"), "2021-04-09T20:26:40Z");
        assert_eq!(p("\\/Date(1618000000000+0900)\\/"), "2021-04-09T20:26:40Z");
        assert_eq!(p("13/28/2021, 2:08:45 PM"), "");
        // Found by fuzzing: non-ASCII right after `/Date(`, and an overflowing millisecond count.
        assert_eq!(p("\\/Date(\u{80}\u{80})\\/"), "");
        assert_eq!(p("/Date(-1000+0900)/"), "1969-12-31T23:59:59Z");
        assert_eq!(p("/Date(9223372036854775807)/"), "");
    }

    #[test]
    fn civil_round_trip() {
        for days in [-719_468, -1, 0, 1, 11_016, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
