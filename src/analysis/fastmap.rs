//! The hash maps of the aggregates ([`super::Summary`], [`super::Detector`]): hashbrown with its
//! default foldhash hasher (SipHash showed up at ~6 % of the NDJSON summary profile), looked up
//! by borrowed keys so a record that lands in an existing group allocates nothing.
//!
//! foldhash is not DoS-resistant the way SipHash is; the keys here are UPNs, IPs and app names
//! from the admin's own tenant logs, and a crafted flood of colliding keys would only slow one
//! local run down. That trade is the same one rustc and DuckDB make.

pub(crate) use hashbrown::{Equivalent, HashMap, HashSet};

/// `s` in lower case, written into `buf` (reused across records: no allocation once warm).
pub(crate) fn lowercase_into<'b>(s: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        buf.push_str(&s.to_lowercase()); // rare; std handles final sigma
    }
    buf
}

/// `s` in upper case, written into `buf`.
pub(crate) fn uppercase_into<'b>(s: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_uppercase();
    } else {
        buf.push_str(&s.to_uppercase());
    }
    buf
}

/// A key of a name and a clock hour (the spray detector's per-hour maps).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct HourKey {
    pub name: String,
    pub hour: i64,
}

/// [`HourKey`] borrowed: same fields in the same order, so the derived hashes agree.
#[derive(Hash)]
pub(crate) struct HourKeyRef<'a> {
    pub name: &'a str,
    pub hour: i64,
}

impl Equivalent<HourKey> for HourKeyRef<'_> {
    fn equivalent(&self, k: &HourKey) -> bool {
        self.hour == k.hour && self.name == k.name
    }
}

impl HourKeyRef<'_> {
    pub fn to_owned(&self) -> HourKey {
        HourKey { name: self.name.to_owned(), hour: self.hour }
    }
}

/// Count in `set`, allocating only for a value not seen before.
pub(crate) fn insert_str(set: &mut HashSet<String>, v: &str) {
    if !set.contains(v) {
        set.insert(v.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn borrowed_keys_hash_and_compare_like_owned_ones() {
        let s = hashbrown::DefaultHashBuilder::default();
        let owned = HourKey { name: "a@b.c".into(), hour: 7 };
        let borrowed = HourKeyRef { name: "a@b.c", hour: 7 };
        assert_eq!(s.hash_one(&owned), s.hash_one(&borrowed));
        assert!(borrowed.equivalent(&owned));
        assert!(!HourKeyRef { name: "a@b.c", hour: 8 }.equivalent(&owned));
    }

    #[test]
    fn case_mapping_matches_std() {
        let mut buf = String::new();
        for s in ["Alice@Contoso.COM", "ÄÖÜ@ＥＸ.jp", "", "İstanbul", "ΟΔΟΣ"] {
            assert_eq!(lowercase_into(s, &mut buf), s.to_lowercase());
            assert_eq!(uppercase_into(s, &mut buf), s.to_uppercase());
        }
    }
}
