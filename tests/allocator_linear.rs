#![cfg(not(target_arch = "wasm32"))]
// Native tests: the wasm build runs tests/wasm_*.rs instead.
//! The textbook upstream loop as a baseline, and the property that the
//! allocator's O(log n) pick equals it for every range, taken set and seed.
//! benches/allocator.rs includes this file for the same baseline.

use servicecidr_sim::allocator::{AllocError, Band, Range, TakenSet};
use servicecidr_sim::net::{Addr, Family};
use servicecidr_sim::rng::Rng;

/// Upstream's `ipIterator`: every address of [first, last] once, starting at
/// first+offset (first when that is past last), stepping up and wrapping. It
/// models netip semantics: an offset that overflows the family gives an empty
/// walk, and Next() of the all-ones address is invalid, which ends the walk.
pub fn ip_iterator(
    family: Family,
    first: u128,
    last: u128,
    offset: u128,
) -> impl Iterator<Item = u128> {
    let max = family.max_value();
    let start =
        first
            .checked_add(offset)
            .filter(|s| *s <= max)
            .map(|s| if s > last { first } else { s });
    let mut ip = start;
    let mut seen = false;
    std::iter::from_fn(move || {
        let start = start?;
        let value = ip?;
        if value == start {
            if seen {
                return None;
            }
            seen = true;
        }
        ip = if value == max {
            None
        } else if value + 1 > last {
            Some(first)
        } else {
            Some(value + 1)
        };
        Some(value)
    })
}

/// Upstream's allocateNextService as a plain linear scan, drawing the same
/// random numbers in the same order.
pub fn linear_allocate_next(
    range: &Range,
    taken: &TakenSet,
    rng: &mut Rng,
) -> Result<(Addr, Band), AllocError> {
    let family = range.family();
    let first = range.first().value;
    let last = range.last().value;
    let offset = range.offset();
    let upper = range.size().saturating_sub(offset);
    if upper == 0 {
        return Err(AllocError::Full);
    }
    let r = if upper >= i64::MAX as u128 {
        let mut r = rng.next_u64() as u128;
        if u64::MAX as u128 - r < offset {
            r -= offset;
        }
        r
    } else {
        rng.below_u128(upper)
    };
    for v in ip_iterator(family, first + offset, last, r) {
        if !taken.contains(v) {
            return Ok((Addr::new(family, v), Band::Dynamic));
        }
    }
    if offset != 0 {
        let r = rng.below_u128(offset);
        for v in ip_iterator(family, first, first + offset - 1, r) {
            if !taken.contains(v) {
                return Ok((Addr::new(family, v), Band::Static));
            }
        }
    }
    Err(AllocError::Full)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use servicecidr_sim::net::{parse_ip, Prefix};
    use servicecidr_sim::rng::Rng;

    fn v4(s: &str) -> u128 {
        parse_ip(s).unwrap().value
    }

    fn walk(first: &str, last: &str, offset: u128) -> Vec<String> {
        let f = parse_ip(first).unwrap();
        ip_iterator(f.family, f.value, parse_ip(last).unwrap().value, offset)
            .map(|v| Addr::new(f.family, v).to_string())
            .collect()
    }

    // Test_ipIterator cases.
    #[test]
    fn ip_iterator_start_from_first_address_small_range() {
        assert_eq!(
            walk("192.168.0.1", "192.168.0.2", 0),
            ["192.168.0.1", "192.168.0.2"]
        );
    }

    #[test]
    fn ip_iterator_start_from_last_address_small_range() {
        assert_eq!(
            walk("192.168.0.1", "192.168.0.2", 1),
            ["192.168.0.2", "192.168.0.1"]
        );
    }

    #[test]
    fn ip_iterator_start_from_offset_out_of_range_small_range() {
        assert_eq!(
            walk("192.168.0.1", "192.168.0.2", 10),
            ["192.168.0.1", "192.168.0.2"]
        );
    }

    #[test]
    fn ip_iterator_start_from_middle_address() {
        assert_eq!(
            walk("192.168.0.1", "192.168.0.7", 2),
            [
                "192.168.0.3",
                "192.168.0.4",
                "192.168.0.5",
                "192.168.0.6",
                "192.168.0.7",
                "192.168.0.1",
                "192.168.0.2"
            ]
        );
    }

    #[test]
    fn ip_iterator_start_from_last_address() {
        let w = walk("192.168.0.1", "192.168.0.7", 6);
        assert_eq!(w.first().map(String::as_str), Some("192.168.0.7"));
        assert_eq!(w.len(), 7);
    }

    // Test_ipIterator_Number cases on the IPv6 range.
    #[test]
    fn ip_iterator_number_large_range() {
        for off in [0, 255, 3838] {
            assert_eq!(walk("2001:db8:1::101", "2001:db8:1::fff", off).len(), 3839);
        }
    }

    #[test]
    fn ip_iterator_stops_at_the_all_ones_address() {
        let max = u128::MAX;
        let got: Vec<u128> = ip_iterator(Family::IPv6, max - 3, max, 2).collect();
        assert_eq!(got, vec![max - 1, max]);
    }

    /// A prefix for the property: IPv4 /20-/32 and IPv6 /116-/128 at a random
    /// network, at the bottom or at the very top of the address space, plus
    /// IPv6 /64 (the raw 64-bit draw path).
    fn prefix_strategy() -> impl Strategy<Value = Prefix> {
        let v4 = (20u8..=32, 0u8..3, any::<u32>()).prop_map(|(len, base, r)| {
            let value = match base {
                0 => r as u128,
                1 => 0,
                _ => u32::MAX as u128,
            };
            Prefix {
                addr: Addr::new(Family::IPv4, value),
                len,
            }
            .masked()
        });
        let v6 = (116u8..=128, 0u8..3, any::<u128>()).prop_map(|(len, base, r)| {
            let value = match base {
                0 => r,
                1 => 0,
                _ => u128::MAX,
            };
            Prefix {
                addr: Addr::new(Family::IPv6, value),
                len,
            }
            .masked()
        });
        let v6_64 = (0u8..3, any::<u128>()).prop_map(|(base, r)| {
            let value = match base {
                0 => r,
                1 => 0,
                _ => u128::MAX,
            };
            Prefix {
                addr: Addr::new(Family::IPv6, value),
                len: 64,
            }
            .masked()
        });
        prop_oneof![4 => v4, 3 => v6, 1 => v6_64]
    }

    /// Fills a taken set for a range: `mode` picks a pattern that exercises
    /// empty, random, nearly full, upper-band-full and top-of-band-full cases;
    /// a few neighbours outside the range are taken too (they must not matter).
    fn fill(range: &Range, mode: u8, seed: u64) -> TakenSet {
        let mut rng = Rng::from_seed(seed);
        let mut t = TakenSet::new();
        let first = range.first().value;
        let last = range.last().value;
        let offset = range.offset();
        let max = range.family().max_value();
        // Neighbours: network address, broadcast, just outside.
        for v in [
            first.wrapping_sub(1),
            first.wrapping_sub(2),
            last.wrapping_add(1),
        ] {
            if v <= max {
                t.insert(v);
            }
        }
        if first > last {
            return t;
        }
        let span = last - first + 1;
        if span > 1 << 16 {
            // The /64: sparse random addresses plus runs at both band edges.
            for _ in 0..200 {
                t.insert(first + rng.below_u128(span));
            }
            for v in 0..(mode as u128 * 40) {
                t.insert(first + offset + v);
                t.insert(last - v);
            }
            return t;
        }
        let density_per_mille = match mode {
            0 => 0,
            1 => 500,
            2 => 900,
            3 => 990,
            _ => 1000,
        };
        for v in first..=last {
            if rng.below_u64(1000) < density_per_mille {
                t.insert(v);
            }
        }
        match mode {
            // Upper band completely full, lower band random.
            5 => {
                for v in first + offset..=last {
                    t.insert(v);
                }
                for v in first..first + offset {
                    if rng.below_u64(2) == 0 {
                        t.remove(v);
                    }
                }
            }
            // Everything full except a few random holes.
            6 => {
                for _ in 0..3 {
                    t.remove(first + rng.below_u128(span));
                }
            }
            // The top half of the upper band full, the rest empty.
            7 => {
                for v in first..=last {
                    t.remove(v);
                }
                let upper = span - offset;
                for v in last - upper / 2..=last {
                    t.insert(v);
                }
            }
            _ => {}
        }
        t
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

        /// allocate_next (two range queries) returns exactly the address the
        /// linear scan returns, with the same band, the same error, and the
        /// same random draws (Rng state afterwards), over a run of successive
        /// allocations.
        #[test]
        fn allocate_next_equals_linear_scan(prefix in prefix_strategy(), mode in 0u8..8,
                                            fill_seed in any::<u64>(), seed in any::<u64>()) {
            let Ok(range) = Range::new(prefix) else {
                // Only the all-ones /32 and /128 cannot be built.
                prop_assert!(prefix.len == prefix.family().bits());
                return Ok(());
            };
            let mut taken = fill(&range, mode, fill_seed);
            let mut fast_rng = Rng::from_seed(seed);
            let mut slow_rng = Rng::from_seed(seed);
            let steps = if range.size() <= 64 { range.size() as usize + 2 } else { 12 };
            for _ in 0..steps {
                let fast = range.allocate_next(&taken, &mut fast_rng);
                let slow = linear_allocate_next(&range, &taken, &mut slow_rng);
                prop_assert_eq!(&fast_rng, &slow_rng);
                match (fast, slow) {
                    (Ok(pick), Ok((addr, band))) => {
                        prop_assert_eq!(pick.addr, addr);
                        prop_assert_eq!(pick.band, band);
                        prop_assert_eq!(pick.cidr, range.prefix());
                        prop_assert_eq!(range.band_of(addr), Some(band));
                        prop_assert!(taken.insert(addr.value));
                    }
                    (Err(a), Err(b)) => {
                        prop_assert_eq!(a, b);
                        break;
                    }
                    (a, b) => prop_assert!(false, "fast {:?} vs linear {:?}", a, b),
                }
            }
        }
    }

    #[test]
    fn baseline_and_fast_path_agree_on_a_slash_27_run_to_full() {
        let range = Range::new(Prefix {
            addr: Addr::new(Family::IPv4, v4("10.0.0.0")),
            len: 27,
        })
        .unwrap();
        let mut taken = TakenSet::new();
        let mut a = Rng::from_seed(11);
        let mut b = Rng::from_seed(11);
        let mut n = 0;
        while let Ok(pick) = range.allocate_next(&taken, &mut a) {
            let (addr, _) = linear_allocate_next(&range, &taken, &mut b).unwrap();
            assert_eq!(pick.addr, addr);
            taken.insert(addr.value);
            n += 1;
        }
        assert_eq!(n, 30);
        assert_eq!(
            linear_allocate_next(&range, &taken, &mut b),
            Err(AllocError::Full)
        );
    }
}
