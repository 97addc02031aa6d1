//! Summaries of sign-ins grouped by user × protocol (the default: who to migrate off what),
//! user, protocol, app, IP, country or day.
//!
//! Counts are exact: distinct IPs and users are sets, not estimates. Memory is proportional to
//! the distinct (group, IP) and (group, user) pairs.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::fastmap::{Equivalent, HashMap, lowercase_into, uppercase_into};
use super::spray::{Assessment, Attacks};
use crate::catalogue::Protocol;
use crate::signin::SignIn;
use crate::time::Timestamp;

/// The grouping of a summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupBy {
    #[default]
    UserProtocol,
    User,
    Protocol,
    App,
    #[serde(alias = "Ip")]
    IP,
    Country,
    Day,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<GroupBy> {
        Some(match s.trim().to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
            "userprotocol" | "userxprotocol" | "default" => GroupBy::UserProtocol,
            "user" => GroupBy::User,
            "protocol" | "clientapp" => GroupBy::Protocol,
            "app" | "application" => GroupBy::App,
            "ip" | "ipaddress" => GroupBy::IP,
            "country" | "countryorregion" => GroupBy::Country,
            "day" | "date" => GroupBy::Day,
            _ => return None,
        })
    }

    pub const ALL: [GroupBy; 7] = [
        GroupBy::UserProtocol,
        GroupBy::User,
        GroupBy::Protocol,
        GroupBy::App,
        GroupBy::IP,
        GroupBy::Country,
        GroupBy::Day,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GroupBy::UserProtocol => "UserProtocol",
            GroupBy::User => "User",
            GroupBy::Protocol => "Protocol",
            GroupBy::App => "App",
            GroupBy::IP => "IP",
            GroupBy::Country => "Country",
            GroupBy::Day => "Day",
        }
    }

    fn per_user(self) -> bool {
        matches!(self, GroupBy::UserProtocol | GroupBy::User)
    }

    fn per_protocol(self) -> bool {
        matches!(self, GroupBy::UserProtocol | GroupBy::Protocol)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// Lower-cased UPN, app, IP, country or date, depending on the grouping.
    main: String,
    protocol: Option<Protocol>,
    /// For unknown legacy values, the raw client app (so distinct unknown values stay apart).
    unknown_app: String,
}

/// [`Key`] borrowed from a record (same fields, same order: the derived hashes agree), so a
/// record of a known group is counted without allocating its key.
#[derive(Hash)]
struct KeyRef<'a> {
    main: &'a str,
    protocol: Option<Protocol>,
    unknown_app: &'a str,
}

impl Equivalent<Key> for KeyRef<'_> {
    fn equivalent(&self, k: &Key) -> bool {
        self.protocol == k.protocol && self.main == k.main && self.unknown_app == k.unknown_app
    }
}

impl KeyRef<'_> {
    fn to_key(&self) -> Key {
        Key { main: self.main.to_owned(), protocol: self.protocol, unknown_app: self.unknown_app.to_owned() }
    }
}

#[derive(Debug, Clone, Default)]
struct Acc {
    display: String,
    client_app: String,
    total: u64,
    succeeded: u64,
    interactive: u64,
    non_interactive: u64,
    ropc: u64,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    last_success: Option<Timestamp>,
    ips: HashMap<String, (u64, u64)>,
    users: BTreeSet<String>,
    countries: BTreeSet<String>,
    user_agents: BTreeSet<String>,
    apps: BTreeSet<String>,
    protocols: BTreeSet<Protocol>,
    error_codes: BTreeSet<i64>,
}

/// Most distinct user agents / apps / error codes kept per group for display (counts stay
/// exact). The sample is the smallest values in sort order, not the first seen, so it does not
/// depend on the order records (or parallel chunks) arrive in.
const SAMPLE_LIMIT: usize = 10;

fn insert_capped(set: &mut BTreeSet<String>, v: &str) {
    let full = set.len() >= SAMPLE_LIMIT;
    if v.is_empty() || (full && set.last().is_some_and(|max| v >= max.as_str())) || set.contains(v) {
        return;
    }
    set.insert(v.to_owned());
    if full {
        set.pop_last();
    }
}

fn insert_capped_code(set: &mut BTreeSet<i64>, code: i64) {
    set.insert(code);
    if set.len() > SAMPLE_LIMIT {
        set.pop_last();
    }
}

/// Insert `v` upper-cased unless empty; allocates only for a new value (codes come upper-case).
fn insert_upper(set: &mut BTreeSet<String>, v: &str) {
    if v.is_empty() {
        return;
    }
    if v.bytes().all(|b| b.is_ascii() && !b.is_ascii_lowercase()) {
        if !set.contains(v) {
            set.insert(v.to_owned());
        }
    } else {
        set.insert(v.to_uppercase());
    }
}

impl Acc {
    /// Whether a spelling seen at `t` should be the group's display spelling: the spelling of
    /// its earliest sign-in (ties: the smaller text), so the result does not depend on the order
    /// records or parallel chunks arrive in.
    fn displays_instead(&self, t: Option<Timestamp>, display: &str) -> bool {
        match (t, self.first) {
            (Some(t), Some(first)) => t < first || (t == first && display < self.display.as_str()),
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// `user_lower`: the record's UPN in lower case (the caller has it already); `display`: the
    /// record's spelling of the group's key.
    fn add(&mut self, s: &SignIn, user_lower: &str, display: &str) {
        self.total += 1;
        let t = s.created_date_time;
        if self.displays_instead(Some(t), display) && self.display != display {
            self.display.clear();
            self.display.push_str(display);
        }
        self.first = Some(self.first.map_or(t, |f| f.min(t)));
        self.last = Some(self.last.map_or(t, |l| l.max(t)));
        let ip = match self.ips.get_mut(s.ip_address.as_str()) {
            Some(ip) => ip,
            None => self.ips.entry(s.ip_address.clone()).or_default(),
        };
        if s.succeeded {
            self.succeeded += 1;
            ip.0 += 1;
            self.last_success = Some(self.last_success.map_or(t, |l| l.max(t)));
        } else {
            ip.1 += 1;
            insert_capped_code(&mut self.error_codes, s.error_code);
        }
        match s.is_interactive {
            Some(true) => self.interactive += 1,
            Some(false) => self.non_interactive += 1,
            None => {}
        }
        if s.is_ropc {
            self.ropc += 1;
        }
        if !user_lower.is_empty() && !self.users.contains(user_lower) {
            self.users.insert(user_lower.to_owned());
        }
        insert_upper(&mut self.countries, &s.country_or_region);
        insert_capped(&mut self.user_agents, &s.user_agent);
        insert_capped(&mut self.apps, &s.app_display_name);
        self.protocols.insert(s.protocol);
    }

    fn merge(&mut self, o: Acc) {
        if self.displays_instead(o.first, &o.display) {
            self.display = o.display;
        }
        if self.client_app.is_empty() {
            self.client_app = o.client_app;
        }
        self.total += o.total;
        self.succeeded += o.succeeded;
        self.interactive += o.interactive;
        self.non_interactive += o.non_interactive;
        self.ropc += o.ropc;
        self.first = min_opt(self.first, o.first);
        self.last = max_opt(self.last, o.last);
        self.last_success = max_opt(self.last_success, o.last_success);
        for (ip, (a, b)) in o.ips {
            let e = self.ips.entry(ip).or_default();
            e.0 += a;
            e.1 += b;
        }
        self.users.extend(o.users);
        self.countries.extend(o.countries);
        for ua in o.user_agents {
            insert_capped(&mut self.user_agents, &ua);
        }
        for a in o.apps {
            insert_capped(&mut self.apps, &a);
        }
        self.protocols.extend(o.protocols);
        for c in o.error_codes {
            insert_capped_code(&mut self.error_codes, c);
        }
    }
}

fn min_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// A mergeable summary accumulator.
#[derive(Debug, Clone)]
pub struct Summary {
    by: GroupBy,
    groups: HashMap<Key, Acc>,
    /// Reused case-mapping buffers (no allocation per record).
    main_buf: String,
    user_buf: String,
}

/// One output row. Keys are Graph-style camelCase and stable: scripts rely on them.
/// Fields that do not apply to the grouping are empty strings (or omitted lists) so every row
/// of every grouping has the same columns for Export-Csv.
///
/// Fields are declared in the byte order of their JSON keys: serialising a row directly then
/// gives the same text as through `serde_json::Value` (sorted keys), which other paths print,
/// without building a map per row (test `direct_serialisation_has_sorted_keys`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryRow {
    pub app_display_name: String,
    pub apps: Vec<String>,
    pub assessment: Assessment,
    pub client_app_used: String,
    pub countries: Vec<String>,
    pub country_or_region: String,
    pub day: String,
    pub distinct_ip_count: u64,
    pub distinct_user_count: u64,
    pub error_codes: Vec<i64>,
    pub failed: u64,
    pub first_seen: Option<Timestamp>,
    pub group_by: GroupBy,
    pub interactive: u64,
    pub ip_address: String,
    /// The group's key as displayed (UPN, protocol, app, IP, country or date).
    pub key: String,
    pub last_seen: Option<Timestamp>,
    pub last_success: Option<Timestamp>,
    pub non_interactive: u64,
    pub protocol: String,
    pub protocols: Vec<String>,
    pub ropc: u64,
    pub spray_ip_count: u64,
    pub succeeded: u64,
    pub total: u64,
    pub user_agents: Vec<String>,
    pub user_principal_name: String,
}

impl Summary {
    pub fn new(by: GroupBy) -> Self {
        Summary { by, groups: HashMap::new(), main_buf: String::new(), user_buf: String::new() }
    }

    pub fn group_by(&self) -> GroupBy {
        self.by
    }

    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    pub fn add(&mut self, s: &SignIn) {
        let user_lower = lowercase_into(&s.user_principal_name, &mut self.user_buf);
        let (main, display): (&str, &String) = match self.by {
            GroupBy::UserProtocol | GroupBy::User => (user_lower, &s.user_principal_name),
            GroupBy::Protocol => ("", &s.client_app_used),
            GroupBy::App => (lowercase_into(&s.app_display_name, &mut self.main_buf), &s.app_display_name),
            GroupBy::IP => (&s.ip_address, &s.ip_address),
            GroupBy::Country => (uppercase_into(&s.country_or_region, &mut self.main_buf), &s.country_or_region),
            GroupBy::Day => {
                self.main_buf = s.created_date_time.date_string();
                (&self.main_buf, &s.client_app_used)
            }
        };
        let per_protocol = self.by.per_protocol();
        let unknown_app =
            if per_protocol && s.protocol == Protocol::UnknownLegacy { s.client_app_used.as_str() } else { "" };
        let key = KeyRef { main, protocol: per_protocol.then_some(s.protocol), unknown_app };
        let acc = match self.groups.entry_ref(&key) {
            hashbrown::hash_map::EntryRef::Occupied(e) => e.into_mut(),
            hashbrown::hash_map::EntryRef::Vacant(e) => e.insert_with_key(
                key.to_key(),
                Acc {
                    client_app: if s.protocol == Protocol::UnknownLegacy {
                        s.client_app_used.clone()
                    } else {
                        s.protocol.entry().client_app_used.to_owned()
                    },
                    ..Acc::default()
                },
            ),
        };
        acc.add(s, user_lower, display);
    }

    pub fn merge(&mut self, mut other: Summary) {
        debug_assert_eq!(self.by, other.by);
        // Move the smaller side's groups into the larger side's map (merging is symmetric).
        if other.groups.len() > self.groups.len() {
            std::mem::swap(&mut self.groups, &mut other.groups);
        }
        for (k, v) in other.groups {
            match self.groups.get_mut(&k) {
                Some(a) => a.merge(v),
                None => {
                    self.groups.insert(k, v);
                }
            }
        }
    }

    /// Rows sorted: most successes first (the users to migrate first), then most attempts,
    /// then key; per-day rows in date order.
    pub fn finish(self, attacks: &Attacks) -> Vec<SummaryRow> {
        let by = self.by;
        let mut rows: Vec<SummaryRow> = self
            .groups
            .into_iter()
            .map(|(k, a)| {
                let user_lower = if by.per_user() { k.main.as_str() } else { "" };
                let assessment = attacks.assess(user_lower, a.ips.iter().map(|(ip, c)| (ip.as_str(), *c)));
                let spray_ip_count = a.ips.keys().filter(|ip| attacks.is_spray_ip(ip)).count() as u64;
                let protocol = k.protocol.map(|p| p.name().to_owned()).unwrap_or_default();
                let client_app_used = if k.protocol.is_some() { a.client_app.clone() } else { String::new() };
                let key = match by {
                    GroupBy::Protocol => protocol.clone(),
                    GroupBy::Day => k.main.clone(),
                    GroupBy::Country => k.main.clone(),
                    _ => a.display.clone(),
                };
                SummaryRow {
                    group_by: by,
                    user_principal_name: if by.per_user() { a.display.clone() } else { String::new() },
                    app_display_name: if by == GroupBy::App { a.display.clone() } else { String::new() },
                    ip_address: if by == GroupBy::IP { a.display.clone() } else { String::new() },
                    country_or_region: if by == GroupBy::Country { k.main.clone() } else { String::new() },
                    day: if by == GroupBy::Day { k.main.clone() } else { String::new() },
                    key,
                    client_app_used,
                    protocol,
                    total: a.total,
                    succeeded: a.succeeded,
                    failed: a.total - a.succeeded,
                    first_seen: a.first,
                    last_seen: a.last,
                    last_success: a.last_success,
                    distinct_ip_count: a.ips.keys().filter(|ip| !ip.is_empty()).count() as u64,
                    distinct_user_count: a.users.len() as u64,
                    interactive: a.interactive,
                    non_interactive: a.non_interactive,
                    ropc: a.ropc,
                    countries: a.countries.into_iter().collect(),
                    user_agents: a.user_agents.into_iter().collect(),
                    apps: a.apps.into_iter().collect(),
                    protocols: a.protocols.into_iter().map(|p| p.name().to_owned()).collect(),
                    error_codes: a.error_codes.into_iter().collect(),
                    spray_ip_count,
                    assessment,
                }
            })
            .collect();
        sort_rows(&mut rows, by);
        rows
    }
}

/// The order of summary rows: most successes first (the users to migrate first), then most
/// attempts, then key; per-day rows in date order. Shared with the KQL push-down.
///
/// The order is total (ties broken by protocol, then by the raw client app that keeps unknown
/// values apart, then by the key's exact spelling), so rows never depend on the order records
/// came in or on how the parallel readers merged.
pub fn sort_rows(rows: &mut [SummaryRow], by: GroupBy) {
    if by == GroupBy::Day {
        rows.sort_by(|a, b| (&a.key, &a.protocol, &a.client_app_used).cmp(&(&b.key, &b.protocol, &b.client_app_used)));
    } else {
        // Each key lower-cased once, not once per comparison.
        rows.sort_by_cached_key(|r| {
            (
                std::cmp::Reverse(r.succeeded),
                std::cmp::Reverse(r.total),
                r.key.to_lowercase(),
                r.protocol.clone(),
                r.client_app_used.clone(),
                r.key.clone(),
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_serialisation_has_sorted_keys() {
        let t = Some(Timestamp::from_civil(2024, 5, 1, 8, 0, 0, 5));
        let text = |s: &str| s.to_owned();
        let row = SummaryRow {
            app_display_name: text("Office 365 Exchange Online"),
            apps: vec![text("a")],
            assessment: Assessment::CompromiseSuspected,
            client_app_used: text("IMAP4"),
            countries: vec![text("JP")],
            country_or_region: text("JP"),
            day: text("2024-05-01"),
            distinct_ip_count: 2,
            distinct_user_count: 3,
            error_codes: vec![50126],
            failed: 4,
            first_seen: t,
            group_by: GroupBy::UserProtocol,
            interactive: 5,
            ip_address: text("203.0.113.5"),
            key: text("k"),
            last_seen: t,
            last_success: None,
            non_interactive: 6,
            protocol: text("Imap4"),
            protocols: vec![text("Imap4")],
            ropc: 7,
            spray_ip_count: 8,
            succeeded: 9,
            total: 13,
            user_agents: vec![text("BAV2ROPC")],
            user_principal_name: text("a@contoso.com"),
        };
        let via_value = serde_json::to_value(&row).unwrap();
        assert_eq!(serde_json::to_string(&row).unwrap(), via_value.to_string());
        assert_eq!(serde_json::to_string_pretty(&row).unwrap(), serde_json::to_string_pretty(&via_value).unwrap());
    }

    fn imap(upn: &str, time: &str) -> SignIn {
        let json = format!(r#"{{"createdDateTime":"{time}","userPrincipalName":"{upn}","clientAppUsed":"IMAP4"}}"#);
        let raw = crate::signin::json::parse_record(json.as_bytes()).unwrap();
        raw.into_signin(&crate::signin::record::SourcePos::default()).unwrap()
    }

    #[test]
    fn display_spelling_does_not_depend_on_order_or_merge() {
        let log = [
            imap("Alice@Contoso.com", "2026-03-02T00:00:00Z"),
            imap("alice@contoso.com", "2026-03-01T00:00:00Z"),
            imap("ALICE@CONTOSO.COM", "2026-03-01T00:00:00Z"),
            imap("aLiCe@contoso.com", "2026-03-03T00:00:00Z"),
        ];
        let rows = |order: &[usize], split: usize| {
            let (mut a, mut b) = (Summary::new(GroupBy::UserProtocol), Summary::new(GroupBy::UserProtocol));
            for (n, &i) in order.iter().enumerate() {
                if n < split { a.add(&log[i]) } else { b.add(&log[i]) }
            }
            a.merge(b);
            a.finish(&Attacks::default())
        };
        // The earliest sign-in's spelling; of two at the same time, the smaller text.
        for (order, split) in
            [([0, 1, 2, 3], 4), ([3, 2, 1, 0], 4), ([0, 1, 2, 3], 1), ([3, 2, 1, 0], 2), ([2, 0, 3, 1], 3)]
        {
            let r = rows(&order, split);
            assert_eq!(r.len(), 1);
            assert_eq!(r[0].user_principal_name, "ALICE@CONTOSO.COM", "{order:?} split {split}");
            assert_eq!(r[0].total, 4);
        }
    }
}
