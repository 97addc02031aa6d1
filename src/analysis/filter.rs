//! Which sign-ins an analysis looks at: time window, users, client apps / protocols,
//! outcome, and legacy-only (the default) or all.

use serde::{Deserialize, Serialize};

use crate::catalogue::Protocol;
use crate::signin::SignIn;
use crate::time::Timestamp;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    #[default]
    Any,
    Success,
    Failure,
}

/// A filter over sign-ins. The default keeps every legacy sign-in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Filter {
    /// Inclusive lower bound.
    pub since: Option<Timestamp>,
    /// Exclusive upper bound.
    pub until: Option<Timestamp>,
    /// UPN patterns, case-insensitive; `*` matches any run of characters. Empty: everyone.
    pub users: Vec<String>,
    /// Protocols (display names or client-app values). Empty: all.
    pub protocols: Vec<Protocol>,
    pub outcome: Outcome,
    /// Keep modern sign-ins too (default: legacy only).
    pub include_modern: bool,
}

impl Filter {
    pub fn matches(&self, s: &SignIn) -> bool {
        if !self.include_modern && !s.is_legacy {
            return false;
        }
        if self.since.is_some_and(|t| s.created_date_time < t) || self.until.is_some_and(|t| s.created_date_time >= t) {
            return false;
        }
        match self.outcome {
            Outcome::Success if !s.succeeded => return false,
            Outcome::Failure if s.succeeded => return false,
            _ => {}
        }
        if !self.protocols.is_empty() && !self.protocols.contains(&s.protocol) {
            return false;
        }
        self.users.is_empty() || self.users.iter().any(|p| wildcard_match(p, &s.user_principal_name))
    }

    /// True when only the client app decides whether a modern record could match, i.e. the
    /// NDJSON fast path may skip records whose client app is modern without parsing them.
    pub fn excludes_modern(&self) -> bool {
        !self.include_modern
    }
}

/// Case-insensitive glob with `*` only (what admins type for UPNs: `*@contoso.com`).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.trim().to_lowercase().chars().collect();
    let t: Vec<char> = text.trim().to_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0usize, 0usize, None, 0usize);
    while ti < t.len() {
        if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*@contoso.com", "Printer@Contoso.com"));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
        assert!(!wildcard_match("a*b*c", "axxbyy"));
        assert!(wildcard_match("exact@x.jp", "EXACT@x.jp"));
        assert!(!wildcard_match("exact@x.jp", "exact@x.jpn"));
    }
}
