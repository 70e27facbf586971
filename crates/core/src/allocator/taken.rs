//! Which addresses are taken, per family.
//!
//! Upstream answers "is this IP taken?" by looking the IP up by name in the
//! IPAddress informer cache, whatever the object's labels or owner. The cluster
//! mirrors that cache here: one [`TakenSet`] per family, updated on every
//! IPAddress create and delete. Addresses are kept as maximal runs of
//! consecutive values, so memory grows with the number of runs, not with the
//! size of the CIDR: a full IPv6 /64 costs one entry. Because runs are maximal,
//! the address right after a run is always free, which is what makes
//! [`TakenSet::first_free_in`] a single ordered-map lookup.

use crate::net::{Addr, Family};
use std::collections::BTreeMap;
use std::ops::Bound;

/// The taken addresses of one family as disjoint, non-adjacent inclusive runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TakenSet {
    /// run start -> run end (inclusive); runs never touch or overlap.
    runs: BTreeMap<u128, u128>,
    /// Number of addresses in all runs, kept so `len` is O(1).
    count: u128,
}

impl TakenSet {
    pub fn new() -> TakenSet {
        TakenSet::default()
    }

    /// The run holding `v`, if any.
    fn run_containing(&self, v: u128) -> Option<(u128, u128)> {
        self.runs
            .range(..=v)
            .next_back()
            .filter(|(_, &e)| e >= v)
            .map(|(&s, &e)| (s, e))
    }

    /// Marks `v` taken; false if it already was.
    pub fn insert(&mut self, v: u128) -> bool {
        if self.contains(v) {
            return false;
        }
        // A run ending right before v, and one starting right after it.
        let left = v
            .checked_sub(1)
            .and_then(|p| self.run_containing(p))
            .map(|(s, _)| s);
        let right = v
            .checked_add(1)
            .and_then(|n| self.runs.get(&n).map(|&e| (n, e)));
        match (left, right) {
            (Some(ls), Some((rs, re))) => {
                self.runs.remove(&rs);
                self.runs.insert(ls, re);
            }
            (Some(ls), None) => {
                self.runs.insert(ls, v);
            }
            (None, Some((rs, re))) => {
                self.runs.remove(&rs);
                self.runs.insert(v, re);
            }
            (None, None) => {
                self.runs.insert(v, v);
            }
        }
        self.count = self.count.saturating_add(1);
        true
    }

    /// Marks `v` free; false if it was not taken.
    pub fn remove(&mut self, v: u128) -> bool {
        let Some((s, e)) = self.run_containing(v) else {
            return false;
        };
        self.runs.remove(&s);
        if s < v {
            self.runs.insert(s, v - 1);
        }
        if v < e {
            self.runs.insert(v + 1, e);
        }
        self.count = self.count.saturating_sub(1);
        true
    }

    pub fn contains(&self, v: u128) -> bool {
        self.run_containing(v).is_some()
    }

    /// Number of taken addresses.
    pub fn len(&self) -> u128 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Number of runs (the memory cost of the set).
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// The runs in ascending order, as inclusive (start, end) pairs.
    pub fn runs(&self) -> impl Iterator<Item = (u128, u128)> + '_ {
        self.runs.iter().map(|(&s, &e)| (s, e))
    }

    /// Taken addresses in [lo, hi]. Costs O(log n + k) for k runs overlapping
    /// the interval (O(1) when the interval covers every run); a plain ordered
    /// map keeps no prefix sums, and the callers (usage counters) are not on
    /// the allocation path.
    pub fn count_in(&self, lo: u128, hi: u128) -> u128 {
        if lo > hi || self.runs.is_empty() {
            return 0;
        }
        let covers_all = matches!(
            (self.runs.first_key_value(), self.runs.last_key_value()),
            (Some((&s, _)), Some((_, &e))) if lo <= s && e <= hi
        );
        if covers_all {
            return self.count;
        }
        let mut total: u128 = 0;
        // A run starting before lo may still reach into the interval; runs
        // starting at lo or later are counted by the range walk below.
        if let Some((s, e)) = self.run_containing(lo) {
            if s < lo {
                total = (e.min(hi) - lo).saturating_add(1);
            }
        }
        for (&s, &e) in self.runs.range((Bound::Included(lo), Bound::Included(hi))) {
            // Saturating: a run covering the whole 128-bit space has 2^128 members.
            total = total.saturating_add((e.min(hi) - s).saturating_add(1));
        }
        total
    }

    /// Smallest free v with max(from, lo) <= v <= hi. `lo` is the bottom of
    /// the band being searched; `from` may lie below it. O(log n): because runs
    /// are maximal, the only taken stretch to skip is the run holding the
    /// starting point, and the address after it is free.
    pub fn first_free_in(&self, from: u128, lo: u128, hi: u128) -> Option<u128> {
        let start = from.max(lo);
        if start > hi {
            return None;
        }
        match self.run_containing(start) {
            None => Some(start),
            Some((_, e)) if e < hi => Some(e + 1),
            Some(_) => None,
        }
    }

    /// Smallest taken v with from <= v <= hi, in O(log n): the run holding
    /// `from`, or else the first run starting after it.
    pub fn first_taken_in(&self, from: u128, hi: u128) -> Option<u128> {
        if from > hi {
            return None;
        }
        if self.run_containing(from).is_some() {
            return Some(from);
        }
        self.runs
            .range((Bound::Excluded(from), Bound::Included(hi)))
            .next()
            .map(|(&s, _)| s)
    }

    /// Largest taken v with lo <= v <= hi, in O(log n): the last run starting at
    /// or below `hi`, if it reaches `lo`.
    pub fn last_taken_in(&self, lo: u128, hi: u128) -> Option<u128> {
        if lo > hi {
            return None;
        }
        self.runs
            .range(..=hi)
            .next_back()
            .filter(|(_, &e)| e >= lo)
            .map(|(_, &e)| e.min(hi))
    }

    /// Every taken address in ascending order (beware: may be huge).
    pub fn iter(&self) -> impl Iterator<Item = u128> + '_ {
        self.runs.iter().flat_map(|(&s, &e)| s..=e)
    }
}

/// The cluster's taken addresses, one set per family, kept in step with the
/// IPAddress objects in the store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TakenIndex {
    pub v4: TakenSet,
    pub v6: TakenSet,
}

impl TakenIndex {
    pub fn new() -> TakenIndex {
        TakenIndex::default()
    }

    pub fn set(&self, family: Family) -> &TakenSet {
        match family {
            Family::IPv4 => &self.v4,
            Family::IPv6 => &self.v6,
        }
    }

    pub fn set_mut(&mut self, family: Family) -> &mut TakenSet {
        match family {
            Family::IPv4 => &mut self.v4,
            Family::IPv6 => &mut self.v6,
        }
    }

    pub fn insert(&mut self, a: Addr) -> bool {
        self.set_mut(a.family).insert(a.value)
    }

    pub fn remove(&mut self, a: Addr) -> bool {
        self.set_mut(a.family).remove(a.value)
    }

    pub fn contains(&self, a: Addr) -> bool {
        self.set(a.family).contains(a.value)
    }
}

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn set_of(vals: &[u128]) -> TakenSet {
        let mut t = TakenSet::new();
        for &v in vals {
            t.insert(v);
        }
        t
    }

    #[test]
    fn insert_merges_neighbours_and_remove_splits() {
        let mut t = set_of(&[1, 3]);
        assert_eq!(t.run_count(), 2);
        assert!(t.insert(2));
        assert_eq!(t.runs().collect::<Vec<_>>(), vec![(1, 3)]);
        assert!(!t.insert(2));
        assert_eq!(t.len(), 3);
        assert!(t.remove(2));
        assert_eq!(t.runs().collect::<Vec<_>>(), vec![(1, 1), (3, 3)]);
        assert!(!t.remove(2));
        assert!(t.remove(1) && t.remove(3));
        assert!(t.is_empty() && t.run_count() == 0);
    }

    #[test]
    fn extremes_of_the_value_space_do_not_overflow() {
        let mut t = set_of(&[0, u128::MAX, u128::MAX - 1]);
        assert_eq!(
            t.runs().collect::<Vec<_>>(),
            vec![(0, 0), (u128::MAX - 1, u128::MAX)]
        );
        assert_eq!(t.first_free_in(u128::MAX - 1, 0, u128::MAX), None);
        assert_eq!(t.first_free_in(0, 0, u128::MAX), Some(1));
        assert_eq!(t.count_in(0, u128::MAX), 3);
        assert_eq!(t.count_in(1, u128::MAX), 2);
        assert!(t.remove(u128::MAX));
        assert_eq!(
            t.first_free_in(u128::MAX - 1, 0, u128::MAX),
            Some(u128::MAX)
        );
    }

    #[test]
    fn counting_a_run_over_the_whole_space_saturates() {
        let t = TakenSet {
            runs: BTreeMap::from([(0, u128::MAX)]),
            count: u128::MAX,
        };
        assert_eq!(t.count_in(0, u128::MAX - 1), u128::MAX);
        assert_eq!(t.count_in(1, u128::MAX), u128::MAX);
        assert_eq!(t.count_in(5, 9), 5);
        assert_eq!(t.first_free_in(0, 0, u128::MAX), None);
    }

    #[test]
    fn last_taken_is_the_highest_taken_in_the_interval() {
        let t = set_of(&[10, 11, 12, 20]);
        assert_eq!(t.last_taken_in(0, 30), Some(20));
        assert_eq!(t.last_taken_in(0, 19), Some(12));
        assert_eq!(t.last_taken_in(11, 11), Some(11), "inside a run");
        assert_eq!(t.last_taken_in(13, 19), None);
        assert_eq!(t.last_taken_in(21, 5), None);
        assert_eq!(
            set_of(&[u128::MAX]).last_taken_in(0, u128::MAX),
            Some(u128::MAX)
        );
    }

    #[test]
    fn first_free_respects_lo_and_hi() {
        let t = set_of(&[10, 11, 12, 20]);
        assert_eq!(t.first_free_in(10, 10, 12), None);
        assert_eq!(t.first_free_in(10, 10, 13), Some(13));
        assert_eq!(t.first_free_in(5, 11, 30), Some(13));
        assert_eq!(t.first_free_in(20, 0, 30), Some(21));
        assert_eq!(t.first_free_in(31, 0, 30), None);
    }

    #[test]
    fn index_keeps_families_apart() {
        let mut idx = TakenIndex::new();
        let a4 = Addr::new(Family::IPv4, 5);
        let a6 = Addr::new(Family::IPv6, 5);
        assert!(idx.insert(a4));
        assert!(idx.contains(a4) && !idx.contains(a6));
        assert!(idx.insert(a6) && idx.remove(a4));
        assert!(!idx.contains(a4) && idx.set(Family::IPv6).len() == 1);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u128),
        Remove(u128),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u128..64).prop_map(Op::Insert),
            (0u128..64).prop_map(Op::Remove),
        ]
    }

    proptest! {
        /// The run representation behaves exactly like a plain set.
        #[test]
        fn behaves_like_a_plain_set(ops in proptest::collection::vec(op(), 0..200),
                                    lo in 0u128..70, span in 0u128..70, from in 0u128..70) {
            let mut t = TakenSet::new();
            let mut model = BTreeSet::new();
            for o in ops {
                match o {
                    Op::Insert(v) => prop_assert_eq!(t.insert(v), model.insert(v)),
                    Op::Remove(v) => prop_assert_eq!(t.remove(v), model.remove(&v)),
                }
            }
            let hi = lo + span;
            prop_assert_eq!(t.len(), model.len() as u128);
            prop_assert_eq!(t.iter().collect::<Vec<_>>(), model.iter().copied().collect::<Vec<_>>());
            prop_assert_eq!(t.count_in(lo, hi), model.range(lo..=hi).count() as u128);
            let want = (from.max(lo)..=hi).find(|v| !model.contains(v));
            prop_assert_eq!(t.first_free_in(from, lo, hi), want);
            // Runs are maximal: never adjacent, never overlapping.
            let runs: Vec<_> = t.runs().collect();
            for w in runs.windows(2) {
                prop_assert!(w[0].1 + 1 < w[1].0);
            }
            for v in 0..70 {
                prop_assert_eq!(t.contains(v), model.contains(&v));
            }
        }
    }
}
