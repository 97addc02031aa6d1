//! Attack detection over legacy sign-ins: password spray (one IP, many users) and brute force
//! (one user, many IPs or many failures), so the summary can tell real users to migrate from
//! attackers to block.
//!
//! Rules (thresholds in [`SprayThresholds`], defaults chosen for Exchange Online tenants):
//! - **Password-spray IP**: in some clock hour, the IP failed for at least `spray_min_users`
//!   distinct users and at least `spray_min_failure_ratio` of its attempts that hour failed.
//!   The failure ratio keeps a busy NAT/office IP with a few typo'd passwords out.
//! - **Brute-forced user**: in some clock hour, failures from at least `brute_min_ips`
//!   distinct IPs, or at least `brute_min_failures` failures with no success that hour.
//! - A **success from a spray IP** is a suspected compromise: the sprayed password worked.
//!
//! Legacy protocols cannot do MFA, so AADSTS 50126 / 50034 / 50053 dominate these failures
//! (DOMAIN.md §4); every non-zero code counts as a failure here.

use std::collections::BTreeSet;

use serde::Serialize;

use super::fastmap::{HashMap, HashSet, IdSet, Interner, lowercase_into};
use crate::signin::SignIn;
use crate::time::Timestamp;

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SprayThresholds {
    pub spray_min_users: usize,
    pub spray_min_failure_ratio: f64,
    pub brute_min_ips: usize,
    pub brute_min_failures: u32,
}

impl Default for SprayThresholds {
    fn default() -> Self {
        SprayThresholds { spray_min_users: 10, spray_min_failure_ratio: 0.8, brute_min_ips: 5, brute_min_failures: 30 }
    }
}

/// What a group of sign-ins most likely is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Assessment {
    /// Successful legacy sign-ins: a real user, device or app to migrate.
    Migrate,
    /// A success from a password-spray IP: treat the account as compromised.
    CompromiseSuspected,
    /// Only failures, from spray IPs: an attack, not a user. Block, don't migrate.
    PasswordSpray,
    /// Only failures, the account is brute-forced from many IPs.
    BruteForce,
    /// Only failures, no attack pattern: a stale device with an old password, or a blocked client.
    FailuresOnly,
}

/// Microseconds in a clock hour (timestamps are microseconds since the Unix epoch).
const HOUR_US: i64 = 3_600_000_000;

/// A map key of an interned name and a clock hour. Hours are clamped to `i32` (years
/// ±245,000), far beyond any timestamp the readers accept.
fn hour_key(id: u32, hour: i64) -> u64 {
    let hour = hour.clamp(i32::MIN.into(), i32::MAX.into()) as i32;
    (u64::from(id) << 32) | u64::from(hour as u32)
}

fn split_key(key: u64) -> (u32, i64) {
    ((key >> 32) as u32, i64::from(key as u32 as i32))
}

/// One IP in one clock hour. `first` / `last` are microseconds into the hour (< 3.6e9, so
/// they fit a `u32`); they are meaningful once `attempts > 0`.
#[derive(Debug, Clone, Copy, Default)]
struct IpHour {
    attempts: u32,
    failures: u32,
    first: u32,
    last: u32,
}

impl IpHour {
    fn merge(&mut self, o: IpHour) {
        if o.attempts > 0 {
            if self.attempts == 0 {
                (self.first, self.last) = (o.first, o.last);
            } else {
                self.first = self.first.min(o.first);
                self.last = self.last.max(o.last);
            }
        }
        self.attempts += o.attempts;
        self.failures += o.failures;
    }
}

/// One user's failures in one clock hour.
#[derive(Debug, Clone, Default)]
struct UserHour {
    failures: u32,
    failed_ips: IdSet,
}

/// Accumulates per-hour counts; [`Detector::finish`] applies the thresholds.
///
/// Memory: UPNs and IPs are stored once each ([`Interner`]); the per-hour entries hold ids and
/// counters only, and what only failures need is kept for hours with failures: 24 bytes per
/// (IP, hour) with a legacy sign-in, 8 per (user, hour) with a success, 24–32 per (IP or user,
/// hour) with a failure, plus 4 per extra distinct failing user or IP. These entries are the
/// detector's groups, so a log spanning more hours needs a little more memory than a shorter
/// one of the same tenant (bench/RESULTS.md shows how little).
#[derive(Debug, Clone, Default)]
pub struct Detector {
    ips: Interner,
    users: Interner,
    ip_hours: HashMap<u64, IpHour>,
    /// Distinct users that failed, per (IP, hour) with failures.
    ip_failed_users: HashMap<u64, IdSet>,
    /// (user, hour) with failures.
    user_failures: HashMap<u64, UserHour>,
    /// (user, hour) with a success (brute force by failure count needs "no success that hour").
    user_success_hours: HashSet<u64>,
    /// Users with a successful legacy sign-in, per IP.
    ip_success_users: HashMap<u32, IdSet>,
    /// Reused lower-case UPN buffer (no allocation per record).
    user_buf: String,
}

impl Detector {
    pub fn is_empty(&self) -> bool {
        self.ips.is_empty() && self.users.is_empty()
    }

    /// Per-hour entries held (what the detector's memory grows with).
    pub fn entries(&self) -> usize {
        self.ip_hours.len() + self.ip_failed_users.len() + self.user_failures.len() + self.user_success_hours.len()
    }

    pub fn add(&mut self, s: &SignIn) {
        let hour = s.created_date_time.0.div_euclid(HOUR_US);
        let offset = s.created_date_time.0.rem_euclid(HOUR_US) as u32;
        let user = self.users.id(lowercase_into(&s.user_principal_name, &mut self.user_buf));
        let ip = self.ips.id(&s.ip_address);
        let (ip_hour, user_hour) = (hour_key(ip, hour), hour_key(user, hour));
        let failures = u32::from(!s.succeeded);
        self.ip_hours.entry(ip_hour).or_default().merge(IpHour { attempts: 1, failures, first: offset, last: offset });
        if s.succeeded {
            self.user_success_hours.insert(user_hour);
            self.ip_success_users.entry(ip).or_default().insert(user);
        } else {
            self.ip_failed_users.entry(ip_hour).or_default().insert(user);
            let uh = self.user_failures.entry(user_hour).or_default();
            uh.failures += 1;
            uh.failed_ips.insert(ip);
        }
    }

    pub fn merge(&mut self, mut other: Detector) {
        // Re-insert the smaller side's entries into the larger side's maps.
        if other.entries() > self.entries() {
            std::mem::swap(self, &mut other);
        }
        // The other detector numbered its names itself: map its ids to ours.
        let ip_ids: Vec<u32> = other.ips.names().map(|n| self.ips.id(n)).collect();
        let user_ids: Vec<u32> = other.users.names().map(|n| self.users.id(n)).collect();
        let remap = |key: u64, ids: &[u32]| {
            let (id, hour) = split_key(key);
            hour_key(ids[id as usize], hour)
        };
        for (k, o) in other.ip_hours {
            self.ip_hours.entry(remap(k, &ip_ids)).or_default().merge(o);
        }
        for (k, o) in other.ip_failed_users {
            let e = self.ip_failed_users.entry(remap(k, &ip_ids)).or_default();
            o.iter().for_each(|u| e.insert(user_ids[u as usize]));
        }
        for (k, o) in other.user_failures {
            let e = self.user_failures.entry(remap(k, &user_ids)).or_default();
            e.failures += o.failures;
            o.failed_ips.iter().for_each(|ip| e.failed_ips.insert(ip_ids[ip as usize]));
        }
        self.user_success_hours.extend(other.user_success_hours.into_iter().map(|k| remap(k, &user_ids)));
        for (ip, users) in other.ip_success_users {
            let e = self.ip_success_users.entry(ip_ids[ip as usize]).or_default();
            users.iter().for_each(|u| e.insert(user_ids[u as usize]));
        }
    }

    pub fn finish(self, t: &SprayThresholds) -> Attacks {
        let users = |set: &IdSet| set.iter().map(|u| self.users.name(u).to_owned()).collect::<Vec<_>>();
        let mut spray: HashMap<u32, SprayIp> = HashMap::new();
        for (&key, failed_users) in &self.ip_failed_users {
            let (ip, hour) = split_key(key);
            let ip_address = self.ips.name(ip);
            let Some(h) = self.ip_hours.get(&key) else { continue };
            if ip_address.is_empty() {
                continue;
            }
            let ratio = h.failures as f64 / h.attempts.max(1) as f64;
            if failed_users.len() >= t.spray_min_users && ratio >= t.spray_min_failure_ratio {
                let (first, last) = (hour * HOUR_US + i64::from(h.first), hour * HOUR_US + i64::from(h.last));
                let e = spray
                    .entry(ip)
                    .or_insert_with(|| SprayIp { ip_address: ip_address.to_owned(), ..SprayIp::default() });
                e.failures += u64::from(h.failures);
                e.targeted.extend(users(failed_users));
                e.first_seen = Some(e.first_seen.map_or(Timestamp(first), |f| f.min(Timestamp(first))));
                e.last_seen = Some(e.last_seen.map_or(Timestamp(last), |l| l.max(Timestamp(last))));
            }
        }
        for (ip, s) in spray.iter_mut() {
            s.targeted_user_count = s.targeted.len() as u64;
            if let Some(ok) = self.ip_success_users.get(ip) {
                let mut names = users(ok);
                names.sort();
                s.compromised_users = names;
            }
        }
        let mut brute: HashMap<u32, BruteForcedUser> = HashMap::new();
        for (&key, h) in &self.user_failures {
            let many_ips = h.failed_ips.len() >= t.brute_min_ips;
            let many_failures = h.failures >= t.brute_min_failures && !self.user_success_hours.contains(&key);
            if many_ips || many_failures {
                let (user, _) = split_key(key);
                let e = brute.entry(user).or_insert_with(|| BruteForcedUser {
                    user_principal_name: self.users.name(user).to_owned(),
                    ..Default::default()
                });
                e.failures += u64::from(h.failures);
                e.ips.extend(h.failed_ips.iter().map(|ip| self.ips.name(ip).to_owned()));
            }
        }
        for b in brute.values_mut() {
            b.distinct_ip_count = b.ips.len() as u64;
        }
        let mut spray_ips: Vec<SprayIp> = spray.into_values().collect();
        spray_ips.sort_by(|a, b| b.failures.cmp(&a.failures).then_with(|| a.ip_address.cmp(&b.ip_address)));
        let mut brute_forced_users: Vec<BruteForcedUser> = brute.into_values().collect();
        brute_forced_users.sort_by(|a, b| {
            b.failures.cmp(&a.failures).then_with(|| a.user_principal_name.cmp(&b.user_principal_name))
        });
        Attacks { spray_ips, brute_forced_users }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SprayIp {
    pub ip_address: String,
    pub targeted_user_count: u64,
    pub failures: u64,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    /// Users with a successful legacy sign-in from this IP: suspected compromises.
    pub compromised_users: Vec<String>,
    #[serde(skip)]
    pub targeted: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BruteForcedUser {
    pub user_principal_name: String,
    pub failures: u64,
    pub distinct_ip_count: u64,
    #[serde(skip)]
    pub ips: BTreeSet<String>,
}

/// Detected attacks.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attacks {
    pub spray_ips: Vec<SprayIp>,
    pub brute_forced_users: Vec<BruteForcedUser>,
}

impl Attacks {
    pub fn is_spray_ip(&self, ip: &str) -> bool {
        self.spray_ips.iter().any(|s| s.ip_address == ip)
    }

    pub fn is_brute_forced(&self, user_lower: &str) -> bool {
        self.brute_forced_users.iter().any(|b| b.user_principal_name == user_lower)
    }

    /// Assess a group of sign-ins from its user (lower case, empty when the group is not per
    /// user) and its per-IP (successes, failures).
    pub fn assess<'a>(&self, user_lower: &str, ips: impl Iterator<Item = (&'a str, (u64, u64))>) -> Assessment {
        let mut succeeded = 0;
        let mut failing_ips = 0;
        let mut spray_failing_ips = 0;
        for (ip, (ok, failed)) in ips {
            let spray = self.is_spray_ip(ip);
            if ok > 0 && spray {
                return Assessment::CompromiseSuspected;
            }
            succeeded += ok;
            if failed > 0 {
                failing_ips += 1;
                if spray {
                    spray_failing_ips += 1;
                }
            }
        }
        if succeeded > 0 {
            Assessment::Migrate
        } else if failing_ips > 0 && spray_failing_ips == failing_ips {
            Assessment::PasswordSpray
        } else if !user_lower.is_empty() && self.is_brute_forced(user_lower) {
            Assessment::BruteForce
        } else {
            Assessment::FailuresOnly
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signin::json::parse_record;
    use crate::signin::record::SourcePos;

    /// A legacy IMAP sign-in of `user` from `ip` at `time`, failed with 50126 unless `ok`.
    fn imap(user: &str, ip: &str, time: &str, ok: bool) -> SignIn {
        let code = if ok { 0 } else { 50126 };
        let json = format!(
            r#"{{"createdDateTime":"{time}","userPrincipalName":"{user}","clientAppUsed":"IMAP4","ipAddress":"{ip}","status":{{"errorCode":{code}}}}}"#
        );
        parse_record(json.as_bytes()).unwrap().into_signin(&SourcePos::default()).unwrap()
    }

    /// A spray from 203.0.113.9 (12 users in one hour, one of them succeeding), a brute force on
    /// bob (6 IPs in one hour), carol failing 30 times in one hour (with a success in another
    /// hour: still brute force) and dave failing 30 times in an hour he also succeeded in (not).
    fn attack_log() -> Vec<SignIn> {
        let mut log = Vec::new();
        for i in 0..12 {
            let ok = i == 3;
            log.push(imap(
                &format!("User{i}@Contoso.com"),
                "203.0.113.9",
                &format!("2026-03-01T10:{:02}:00Z", i * 4),
                ok,
            ));
        }
        for i in 0..6 {
            log.push(imap("bob@contoso.com", &format!("198.51.100.{i}"), "2026-03-01T11:30:00Z", false));
        }
        for i in 0..30 {
            log.push(imap("carol@contoso.com", "192.0.2.1", &format!("2026-03-02T09:{i:02}:00Z"), false));
            log.push(imap("dave@contoso.com", "192.0.2.2", &format!("2026-03-02T09:{i:02}:00Z"), false));
        }
        log.push(imap("carol@contoso.com", "192.0.2.1", "2026-03-02T10:00:00Z", true));
        log.push(imap("dave@contoso.com", "192.0.2.2", "2026-03-02T09:59:59Z", true));
        // The same IP busy but mostly successful in another hour: not a spray hour.
        for i in 0..20 {
            log.push(imap(&format!("user{i}@contoso.com"), "203.0.113.9", "2026-03-05T10:00:00Z", i % 2 == 0));
        }
        log
    }

    fn detect(log: &[SignIn]) -> Attacks {
        let mut d = Detector::default();
        log.iter().for_each(|s| d.add(s));
        d.finish(&SprayThresholds::default())
    }

    #[test]
    fn finds_spray_compromise_and_brute_force() {
        let attacks = detect(&attack_log());
        assert_eq!(attacks.spray_ips.len(), 1, "{attacks:?}");
        let spray = &attacks.spray_ips[0];
        assert_eq!((spray.ip_address.as_str(), spray.failures, spray.targeted_user_count), ("203.0.113.9", 11, 11));
        assert_eq!(spray.first_seen.unwrap().to_string(), "2026-03-01T10:00:00Z");
        assert_eq!(spray.last_seen.unwrap().to_string(), "2026-03-01T10:44:00Z");
        // Every success from a spray IP is listed, from any hour, by lower-case UPN.
        assert!(spray.compromised_users.contains(&"user3@contoso.com".to_owned()), "{spray:?}");
        assert_eq!(spray.compromised_users.len(), 11);
        assert!(spray.compromised_users.windows(2).all(|w| w[0] < w[1]));
        let brute: Vec<(&str, u64, u64)> = attacks
            .brute_forced_users
            .iter()
            .map(|b| (b.user_principal_name.as_str(), b.failures, b.distinct_ip_count))
            .collect();
        assert_eq!(brute, [("carol@contoso.com", 30, 1), ("bob@contoso.com", 6, 6)]);
        assert!(attacks.is_spray_ip("203.0.113.9") && !attacks.is_spray_ip("192.0.2.1"));
        assert_eq!(attacks.assess("", [("203.0.113.9", (0, 4))].into_iter()), Assessment::PasswordSpray);
        assert_eq!(attacks.assess("", [("203.0.113.9", (1, 4))].into_iter()), Assessment::CompromiseSuspected);
        assert_eq!(attacks.assess("bob@contoso.com", [("198.51.100.1", (0, 1))].into_iter()), Assessment::BruteForce);
        assert_eq!(attacks.assess("dave@contoso.com", [("192.0.2.2", (0, 30))].into_iter()), Assessment::FailuresOnly);
        assert_eq!(attacks.assess("dave@contoso.com", [("192.0.2.2", (1, 30))].into_iter()), Assessment::Migrate);
    }

    #[test]
    fn thresholds_decide() {
        let strict =
            SprayThresholds { spray_min_users: 13, brute_min_ips: 7, brute_min_failures: 31, ..Default::default() };
        let mut d = Detector::default();
        attack_log().iter().for_each(|s| d.add(s));
        let attacks = d.finish(&strict);
        assert!(attacks.spray_ips.is_empty() && attacks.brute_forced_users.is_empty(), "{attacks:?}");
    }

    #[test]
    fn merged_detectors_find_what_one_finds() {
        let log = attack_log();
        let whole = serde_json::to_value(detect(&log)).unwrap();
        // Split every way the parallel reader might: interleaved and in halves, merged both ways.
        for split in [2, 3, 7] {
            let (mut a, mut b) = (Detector::default(), Detector::default());
            for (i, s) in log.iter().enumerate() {
                if i % split == 0 { a.add(s) } else { b.add(s) }
            }
            let (a2, b2) = (a.clone(), b.clone());
            a.merge(b);
            assert_eq!(serde_json::to_value(a.finish(&SprayThresholds::default())).unwrap(), whole);
            let mut b2 = b2;
            b2.merge(a2);
            assert_eq!(serde_json::to_value(b2.finish(&SprayThresholds::default())).unwrap(), whole);
        }
        let mut empty = Detector::default();
        assert!(empty.is_empty());
        let mut full = Detector::default();
        log.iter().for_each(|s| full.add(s));
        empty.merge(full);
        assert_eq!(serde_json::to_value(empty.finish(&SprayThresholds::default())).unwrap(), whole);
    }

    #[test]
    fn hour_keys_round_trip() {
        for (id, hour) in [(0, 0), (7, 493_000), (u32::MAX, -1), (3, i64::from(i32::MIN)), (3, i64::from(i32::MAX))] {
            assert_eq!(split_key(hour_key(id, hour)), (id, hour));
        }
        assert_eq!(split_key(hour_key(1, i64::MAX)), (1, i64::from(i32::MAX)));
    }
}
