//! KQL for Log Analytics / Microsoft Sentinel / Azure Data Explorer: the legacy-auth summary
//! pushed down into the service (DOMAIN.md §2.2, with the same classification and measures as
//! the local [`Summary`](crate::analysis::Summary)), and raw-records queries for drill-down.
//!
//! Decisions, each forced by a real engine difference:
//! - Each table is normalised in its own leg *before* the `union` (`LocationDetails` is
//!   `dynamic` in `SigninLogs` but `string` in `AADNonInteractiveUserSignInLogs`, DOMAIN.md §2.1;
//!   a `union` of differently typed columns splits them into `LocationDetails_dynamic` /
//!   `LocationDetails_string`). Each leg tags its rows with `Src` instead of relying on
//!   `withsource`, which names parenthesised legs `union_arg0`… rather than the table.
//! - Distinct IP and user counts are exact: `array_length(make_set(…))` minus the empty value,
//!   not `dcount` (an estimate in Kusto). `make_set` keeps up to 1,048,576 values per group by
//!   default, far above any user×protocol group; beyond that the count would be a lower bound.
//! - `maxif`/`make_set_if` are avoided (`max(iff(…, datetime(null)))` instead) so the very
//!   same text runs in Log Analytics, ADX and the independent engine the tests use.
//! - The client-app classification is generated from [`CLIENT_APP_ALIASES`], the table the
//!   local classifier uses, so the two cannot drift.
//! - The time window filters `CreatedDateTime` (what the local filter uses) and also
//!   `TimeGenerated >= since`: ingestion is never earlier than the sign-in, so the extra
//!   predicate loses nothing and lets the service prune partitions.

use std::fmt::Write as _;

use crate::analysis::{Filter, GroupBy, Outcome};
use crate::catalogue::{CLIENT_APP_ALIASES, Protocol};
use crate::time::Timestamp;

/// The two sign-in tables (DOMAIN.md §2).
pub const INTERACTIVE_TABLE: &str = "SigninLogs";
pub const NON_INTERACTIVE_TABLE: &str = "AADNonInteractiveUserSignInLogs";

/// A KQL string literal: double-quoted with backslash escapes, so no user value (quotes,
/// `|`, newlines, backslashes) can end the literal or add an operator.
pub fn string_literal(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 2);
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `datetime(…)` literal in UTC.
pub fn datetime_literal(t: Timestamp) -> String {
    format!("datetime({t})")
}

/// A UPN glob (`*` only, case-insensitive, as [`crate::analysis::filter::wildcard_match`]) as
/// a KQL predicate on `UserPrincipalName`.
fn user_predicate(pattern: &str) -> String {
    let p = pattern.trim();
    if !p.contains('*') {
        return format!("UserPrincipalName =~ {}", string_literal(p));
    }
    let mut re = String::from("(?i)^");
    for (i, part) in p.split('*').enumerate() {
        if i > 0 {
            re.push_str(".*");
        }
        for c in part.chars() {
            if c.is_ascii_alphanumeric() || !c.is_ascii() {
                re.push(c);
            } else {
                re.push('\\');
                re.push(c);
            }
        }
    }
    re.push('$');
    format!("UserPrincipalName matches regex {}", string_literal(&re))
}

/// `case(…)` mapping the trimmed, lower-cased client app (`App`) to [`Protocol::name`].
fn protocol_case() -> String {
    let mut out = String::from("case(isempty(App), \"NotReported\"");
    let mut protocols: Vec<Protocol> = Vec::new();
    for &(_, p) in CLIENT_APP_ALIASES {
        if !protocols.contains(&p) {
            protocols.push(p);
        }
    }
    for p in protocols {
        let values: Vec<String> = CLIENT_APP_ALIASES
            .iter()
            .filter(|(_, q)| *q == p)
            .map(|(v, _)| string_literal(&v.to_lowercase()))
            .collect();
        let _ = write!(out, ", App in ({}), {}", values.join(", "), string_literal(p.name()));
    }
    out.push_str(", \"Unknown\")");
    out
}

/// One table's leg: window, user filter, and the columns every later stage needs, typed the
/// same way in both tables.
fn leg(table: &str, filter: &Filter) -> String {
    let mut q = String::from(table);
    let mut preds: Vec<String> = Vec::new();
    if let Some(s) = filter.since {
        preds.push(format!("TimeGenerated >= {}", datetime_literal(s)));
        preds.push(format!("CreatedDateTime >= {}", datetime_literal(s)));
    }
    if let Some(u) = filter.until {
        preds.push(format!("CreatedDateTime < {}", datetime_literal(u)));
    }
    if !filter.users.is_empty() {
        let ors: Vec<String> = filter.users.iter().map(|u| user_predicate(u)).collect();
        preds.push(format!("({})", ors.join(" or ")));
    }
    if !preds.is_empty() {
        let _ = write!(q, " | where {}", preds.join(" and "));
    }
    let loc = if table == INTERACTIVE_TABLE { "LocationDetails" } else { "parse_json(tostring(LocationDetails))" };
    let _ = write!(
        q,
        " | extend Src = {src}, Country = toupper(tostring({loc}.countryOrRegion)) \
         | extend Country = iff(isempty(Country), toupper(tostring(Location)), Country)",
        src = string_literal(table)
    );
    q
}

/// The shared head of every query: both tables, classified, legacy only unless the filter
/// includes modern, filtered by outcome and protocol.
fn classified(filter: &Filter) -> String {
    let mut q = format!("union\n  ({}),\n  ({})\n", leg(INTERACTIVE_TABLE, filter), leg(NON_INTERACTIVE_TABLE, filter));
    q.push_str("| extend App = tolower(trim(@\"\\s+\", tostring(ClientAppUsed)))\n");
    let _ = writeln!(q, "| extend Protocol = {}", protocol_case());
    if !filter.include_modern {
        q.push_str("| where Protocol !in (\"Browser\", \"ModernClient\", \"NotReported\")\n");
    }
    if !filter.protocols.is_empty() {
        let names: Vec<String> = filter.protocols.iter().map(|p| string_literal(p.name())).collect();
        let _ = writeln!(q, "| where Protocol in ({})", names.join(", "));
    }
    q.push_str("| extend Ok = tostring(ResultType) == \"0\"\n");
    match filter.outcome {
        Outcome::Any => {}
        Outcome::Success => q.push_str("| where Ok\n"),
        Outcome::Failure => q.push_str("| where not(Ok)\n"),
    }
    q
}

/// The `by` clause of the summary per grouping; `Key` is what the local summary groups on.
fn group_clause(by: GroupBy) -> &'static str {
    match by {
        GroupBy::UserProtocol => "Key = tolower(UserPrincipalName), Protocol, UnknownApp",
        GroupBy::User => "Key = tolower(UserPrincipalName)",
        GroupBy::Protocol => "Protocol, UnknownApp",
        GroupBy::App => "Key = tolower(AppDisplayName)",
        GroupBy::IP => "Key = IPAddress",
        GroupBy::Country => "Key = Country",
        GroupBy::Day => "Key = startofday(CreatedDateTime)",
    }
}

fn display_column(by: GroupBy) -> &'static str {
    match by {
        GroupBy::UserProtocol | GroupBy::User => "UserPrincipalName",
        GroupBy::App => "AppDisplayName",
        _ => "ClientAppUsed",
    }
}

/// The pushed-down summary. Columns: the group columns, `Display`, `Total`, `Succeeded`,
/// `FirstSeen`, `LastSeen`, `LastSuccess`, `DistinctIps`, `DistinctUsers`, `Interactive`,
/// `NonInteractive`, `Ropc`, `Countries` (see [`super::loganalytics::summary_rows`]).
pub fn summary_query(filter: &Filter, by: GroupBy) -> String {
    let mut q = classified(filter);
    q.push_str(
        "| extend UnknownApp = iff(Protocol == \"Unknown\", trim(@\"\\s+\", tostring(ClientAppUsed)), \"\"),\n\
         \x20        Ropc = tolower(tostring(AuthenticationProtocol)) == \"ropc\" or toupper(tostring(UserAgent)) contains \"BAV2ROPC\"\n",
    );
    let _ = write!(
        q,
        "| summarize Display = take_any({display}), Total = count(), Succeeded = countif(Ok),\n\
         \x20           FirstSeen = min(CreatedDateTime), LastSeen = max(CreatedDateTime),\n\
         \x20           LastSuccess = max(iff(Ok, CreatedDateTime, datetime(null))),\n\
         \x20           IpSet = make_set(IPAddress), UserSet = make_set(tolower(UserPrincipalName)),\n\
         \x20           Countries = make_set(Country), Protocols = make_set(Protocol),\n\
         \x20           Interactive = countif(Src == \"{it}\"), NonInteractive = countif(Src != \"{it}\"), Ropc = countif(Ropc)\n\
         \x20   by {by}\n",
        display = display_column(by),
        it = INTERACTIVE_TABLE,
        by = group_clause(by)
    );
    q.push_str(
        "| extend DistinctIps = array_length(IpSet) - iff(set_has_element(IpSet, \"\"), 1, 0),\n\
         \x20        DistinctUsers = array_length(UserSet) - iff(set_has_element(UserSet, \"\"), 1, 0)\n\
         | project-away IpSet, UserSet\n\
         | order by Succeeded desc, Total desc",
    );
    q
}

/// Raw records of one time slice, with the columns the record reader understands.
pub fn records_query(filter: &Filter) -> String {
    let mut q = classified(filter);
    q.push_str(
        "| project CreatedDateTime, Id, UserPrincipalName, UserId, UserDisplayName, ClientAppUsed, AppDisplayName,\n\
         \x20         AppId, ResourceDisplayName, IPAddress, Location = Country, ResultType, ResultDescription,\n\
         \x20         IsInteractive = Src == \"SigninLogs\",\n\
         \x20         AuthenticationProtocol, UserAgent, CorrelationId\n\
         | order by CreatedDateTime asc",
    );
    q
}

/// How many rows [`records_query`] would return: the slicer splits windows above the limit.
pub fn count_query(filter: &Filter) -> String {
    let mut q = classified(filter);
    q.push_str("| count");
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_cannot_break_out() {
        assert_eq!(string_literal(r#"a"b"#), r#""a\"b""#);
        assert_eq!(string_literal("x\\\" | take 1"), r#""x\\\" | take 1""#);
        assert_eq!(string_literal("line\nbreak"), r#""line\nbreak""#);
        let q = summary_query(
            &Filter { users: vec!["o'brien\" | where 1==1 | take 1 //@x.jp".into()], ..Default::default() },
            GroupBy::UserProtocol,
        );
        assert!(q.contains(r#"UserPrincipalName =~ "o'brien\" | where 1==1 | take 1 //@x.jp""#), "{q}");
    }

    #[test]
    fn wildcards_become_anchored_regexes() {
        assert_eq!(user_predicate("*@contoso.com"), r#"UserPrincipalName matches regex "(?i)^.*\\@contoso\\.com$""#);
        assert_eq!(user_predicate("a|b*"), r#"UserPrincipalName matches regex "(?i)^a\\|b.*$""#);
    }

    #[test]
    fn classification_covers_every_alias() {
        let c = protocol_case();
        for (v, p) in CLIENT_APP_ALIASES {
            assert!(c.contains(&string_literal(&v.to_lowercase())), "{v}");
            assert!(c.contains(&string_literal(p.name())), "{p:?}");
        }
    }
}
