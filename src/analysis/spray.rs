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

use super::fastmap::{HashMap, HashSet, HourKey, HourKeyRef, insert_str, lowercase_into};
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

#[derive(Debug, Clone, Default)]
struct IpHour {
    failed_users: HashSet<String>,
    attempts: u32,
    failures: u32,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
}

#[derive(Debug, Clone, Default)]
struct UserHour {
    failed_ips: HashSet<String>,
    failures: u32,
    successes: u32,
}

/// Accumulates per-hour counts; [`Detector::finish`] applies the thresholds.
#[derive(Debug, Clone, Default)]
pub struct Detector {
    ip_hours: HashMap<HourKey, IpHour>,
    user_hours: HashMap<HourKey, UserHour>,
    ip_success_users: HashMap<String, BTreeSet<String>>,
    /// Reused lower-case UPN buffer (no allocation per record).
    user_buf: String,
}

/// The per-hour entry of `name`, created on first use (allocating only then).
fn entry<'m, V: Default>(map: &'m mut HashMap<HourKey, V>, name: &str, hour: i64) -> &'m mut V {
    let key = HourKeyRef { name, hour };
    match map.entry_ref(&key) {
        hashbrown::hash_map::EntryRef::Occupied(e) => e.into_mut(),
        hashbrown::hash_map::EntryRef::Vacant(e) => e.insert_with_key(key.to_owned(), V::default()),
    }
}

impl Detector {
    pub fn is_empty(&self) -> bool {
        self.ip_hours.is_empty() && self.user_hours.is_empty() && self.ip_success_users.is_empty()
    }

    pub fn add(&mut self, s: &SignIn) {
        let hour = s.created_date_time.unix_seconds().div_euclid(3600);
        let user = lowercase_into(&s.user_principal_name, &mut self.user_buf);
        let ip = s.ip_address.as_str();
        let ih = entry(&mut self.ip_hours, ip, hour);
        ih.attempts += 1;
        ih.first = Some(ih.first.map_or(s.created_date_time, |f| f.min(s.created_date_time)));
        ih.last = Some(ih.last.map_or(s.created_date_time, |l| l.max(s.created_date_time)));
        if !s.succeeded {
            ih.failures += 1;
            insert_str(&mut ih.failed_users, user);
        }
        let uh = entry(&mut self.user_hours, user, hour);
        if s.succeeded {
            uh.successes += 1;
            let users = match self.ip_success_users.get_mut(ip) {
                Some(u) => u,
                None => self.ip_success_users.entry(ip.to_owned()).or_default(),
            };
            if !users.contains(user) {
                users.insert(user.to_owned());
            }
        } else {
            uh.failures += 1;
            insert_str(&mut uh.failed_ips, ip);
        }
    }

    pub fn merge(&mut self, other: Detector) {
        for (k, o) in other.ip_hours {
            let e = self.ip_hours.entry(k).or_default();
            e.failed_users.extend(o.failed_users);
            e.attempts += o.attempts;
            e.failures += o.failures;
            e.first = match (e.first, o.first) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            e.last = match (e.last, o.last) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
        for (k, o) in other.user_hours {
            let e = self.user_hours.entry(k).or_default();
            e.failed_ips.extend(o.failed_ips);
            e.failures += o.failures;
            e.successes += o.successes;
        }
        for (ip, users) in other.ip_success_users {
            self.ip_success_users.entry(ip).or_default().extend(users);
        }
    }

    pub fn finish(self, t: &SprayThresholds) -> Attacks {
        let mut spray: HashMap<String, SprayIp> = HashMap::new();
        for (HourKey { name: ip, .. }, h) in &self.ip_hours {
            if ip.is_empty() {
                continue;
            }
            let ratio = h.failures as f64 / h.attempts.max(1) as f64;
            if h.failed_users.len() >= t.spray_min_users && ratio >= t.spray_min_failure_ratio {
                let e =
                    spray.entry(ip.clone()).or_insert_with(|| SprayIp { ip_address: ip.clone(), ..SprayIp::default() });
                e.failures += h.failures as u64;
                e.targeted.extend(h.failed_users.iter().cloned());
                e.first_seen =
                    Some(e.first_seen.map_or(h.first.unwrap_or_default(), |f| f.min(h.first.unwrap_or_default())));
                e.last_seen =
                    Some(e.last_seen.map_or(h.last.unwrap_or_default(), |l| l.max(h.last.unwrap_or_default())));
            }
        }
        for s in spray.values_mut() {
            s.targeted_user_count = s.targeted.len() as u64;
            if let Some(users) = self.ip_success_users.get(&s.ip_address) {
                s.compromised_users = users.iter().cloned().collect();
            }
        }
        let mut brute: HashMap<String, BruteForcedUser> = HashMap::new();
        for (HourKey { name: user, .. }, h) in &self.user_hours {
            let many_ips = h.failed_ips.len() >= t.brute_min_ips;
            let many_failures = h.failures >= t.brute_min_failures && h.successes == 0;
            if many_ips || many_failures {
                let e = brute
                    .entry(user.clone())
                    .or_insert_with(|| BruteForcedUser { user_principal_name: user.clone(), ..Default::default() });
                e.failures += h.failures as u64;
                e.ips.extend(h.failed_ips.iter().cloned());
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
