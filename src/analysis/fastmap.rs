//! The hash maps of the aggregates ([`super::Summary`], [`super::Detector`]): hashbrown with its
//! default foldhash hasher (SipHash showed up at ~6 % of the NDJSON summary profile), looked up
//! by borrowed keys so a record that lands in an existing group allocates nothing.
//!
//! foldhash is not DoS-resistant the way SipHash is; the keys here are UPNs, IPs and app names
//! from the admin's own tenant logs, and a crafted flood of colliding keys would only slow one
//! local run down. That trade is the same one rustc and DuckDB make.

use std::hash::BuildHasher;

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

/// Names (lower-case UPNs, IPs) numbered in the order first seen, so the spray detector's
/// per-hour state holds 4-byte ids instead of strings: its memory then grows with the number of
/// (name, hour) entries, each a few dozen bytes, and every name is stored once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interner {
    ids: hashbrown::HashTable<u32>,
    names: Vec<Box<str>>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Interner {
    /// The id of `name`, numbering it if new (allocating only then).
    pub fn id(&mut self, name: &str) -> u32 {
        let hash = self.hasher.hash_one(name);
        let (names, hasher) = (&self.names, &self.hasher);
        let entry = self.ids.entry(hash, |&i| &*names[i as usize] == name, |&i| hasher.hash_one(&*names[i as usize]));
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => *e.get(),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let id = u32::try_from(self.names.len()).expect("fewer than 2^32 distinct names");
                e.insert(id);
                self.names.push(name.into());
                id
            }
        }
    }

    /// The name numbered `id` (an id this interner gave out).
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every name, by id.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|n| &**n)
    }
}

/// A set of interned ids, sorted. Most of the detector's per-hour sets hold none or one, so
/// one id is kept inline and only larger sets allocate (boxed: the set stays 16 bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum IdSet {
    #[default]
    Empty,
    One(u32),
    #[expect(clippy::box_collection, reason = "boxed, the set is 16 bytes instead of 24; most sets never grow")]
    Many(Box<Vec<u32>>),
}

impl IdSet {
    pub fn insert(&mut self, id: u32) {
        match self {
            IdSet::Empty => *self = IdSet::One(id),
            IdSet::One(a) if *a == id => {}
            IdSet::One(a) => *self = IdSet::Many(Box::new(if *a < id { vec![*a, id] } else { vec![id, *a] })),
            IdSet::Many(v) => {
                if let Err(i) = v.binary_search(&id) {
                    v.insert(i, id);
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        match self {
            IdSet::Empty => 0,
            IdSet::One(_) => 1,
            IdSet::Many(v) => v.len(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let (one, many): (Option<u32>, &[u32]) = match self {
            IdSet::Empty => (None, &[]),
            IdSet::One(a) => (Some(*a), &[]),
            IdSet::Many(v) => (None, v.as_slice()),
        };
        one.into_iter().chain(many.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_numbers_each_name_once() {
        let mut names = Interner::default();
        let ids: Vec<u32> = ["a", "b", "a", "", "b", "c"].iter().map(|n| names.id(n)).collect();
        assert_eq!(ids, [0, 1, 0, 2, 1, 3]);
        assert_eq!(names.names().collect::<Vec<_>>(), ["a", "b", "", "c"]);
        assert_eq!(names.name(3), "c");
        // Survives growth (rehashing uses the stored names).
        for i in 0..10_000 {
            assert_eq!(names.id(&format!("n{i}")), 4 + i);
        }
        assert_eq!(names.id("b"), 1);
        assert_eq!(names.id("n9999"), 10_003);
    }

    #[test]
    fn id_set_is_a_sorted_set() {
        let mut set = IdSet::default();
        assert_eq!(set.len(), 0);
        for id in [5, 5, 3, 9, 3, 1, 9] {
            set.insert(id);
        }
        assert_eq!(set.iter().collect::<Vec<_>>(), [1, 3, 5, 9]);
        assert_eq!(set.len(), 4);
        let mut one = IdSet::default();
        one.insert(7);
        one.insert(7);
        assert_eq!((one.len(), one.iter().collect::<Vec<_>>()), (1, vec![7]));
        assert_eq!(std::mem::size_of::<IdSet>(), 16);
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
