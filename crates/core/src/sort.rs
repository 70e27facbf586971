//! Stable sorting through one shared copy of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element type and the comparator, so every call
//! site with its own closure links its own copy of the sort (driftsort with its small-sort
//! and merge helpers): 3.2–4.4 KB of wasm each, ≈ 100 KB over the module's 25 sites
//! (BENCHMARKS.md, "Where the web module's bytes go"). These helpers sort a permutation
//! of indices with a `dyn` comparator instead, so the sort itself exists once, and then
//! move the elements into place with swaps (the only per-type code, a few dozen bytes).
//! Same result as `sort_by`: stable, O(n log n) comparisons. Use them outside hot paths
//! that sort large slices of cheap keys, where the dynamic call per comparison shows.

use std::cmp::Ordering;

/// `v.sort_by(cmp)`, stable.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let items: &[T] = v;
        sorted_indices(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
    };
    permute(v, order);
}

/// `v.sort_by_key(key)`, stable.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort()`, stable.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The one instantiation of the standard sort: 0..n ordered by `cmp` on indices.
fn sorted_indices(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Rearranges `v` so that position k holds what was at `order[k]` (`order` is a
/// permutation of 0..v.len()): each cycle of the permutation is walked once with swaps.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut k = start;
        loop {
            let src = order[k];
            // Mark position k done; a done position maps to itself.
            order[k] = k;
            if src == start || src == k {
                break;
            }
            v.swap(k, src);
            k = src;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sorts_like_the_standard_sort_and_keeps_ties_in_order() {
        let mut a = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key(&mut a, |p| p.0);
        assert_eq!(a, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut s = vec!["b".to_string(), "a".into(), "c".into()];
        sort(&mut s);
        assert_eq!(s, ["a", "b", "c"]);
        let mut empty: Vec<u8> = vec![];
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    proptest! {
        #[test]
        fn same_order_as_slice_sort_by(mut v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut want = v.clone();
            want.sort_by_key(|a| a.0);
            sort_by(&mut v, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(v, want);
        }
    }
}
