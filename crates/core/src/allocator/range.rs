//! One service CIDR: its usable addresses, the KEP-3070 static/dynamic bands,
//! and upstream's dynamic pick, computed with range queries on the taken set
//! instead of a walk over every address.

use super::taken::TakenSet;
use super::{AllocError, Quirks};
use crate::net::{parse_cidr_sloppy, Addr, Family, Prefix};
use crate::rng::Rng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// KEP-3070 band bounds: never less than MIN, never more than MAX, else size/STEP.
const RANGE_OFFSET_MIN: u128 = 16;
const RANGE_OFFSET_MAX: u128 = 256;
const RANGE_OFFSET_STEP: u128 = 16;

/// Upstream draws the upper-band start with Int63n unless the band holds at
/// least this many addresses, in which case it takes a raw 64-bit draw.
const INT63_MAX: u128 = i64::MAX as u128;

/// Which band an address was picked from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Band {
    /// The lower band (first .. first+offset-1), reserved for static requests
    /// and used dynamically only when the upper band is full.
    Static,
    /// The upper band (first+offset .. last), where dynamic allocation starts.
    Dynamic,
}

impl Band {
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Static => "static",
            Band::Dynamic => "dynamic",
        }
    }
}

/// A dynamic pick and why: the random start the scan began at and the band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pick {
    pub addr: Addr,
    pub band: Band,
    /// The randomly drawn address the band scan started from.
    pub start: Addr,
    /// The allocator's CIDR.
    pub cidr: Prefix,
}

/// `hostsPerNetwork`: usable addresses (no network address; no IPv4
/// broadcast), capped at 2^64-1 for 64 or more host bits.
pub fn hosts_per_network(prefix: Prefix) -> u128 {
    let h = prefix.host_bits();
    if h >= 64 {
        return u64::MAX as u128;
    }
    let mut n = (1u128 << h) - 1;
    if prefix.family() == Family::IPv4 {
        n = n.saturating_sub(1);
    }
    n
}

/// k8s.io/utils `RangeSize`: 2^h, except 0 for IPv4 with 31+ host bits and
/// IPv6 with 127+, and the int64 maximum from 63 host bits on. (So 0.0.0.0/1
/// and 0.0.0.0/0 get no static band at all.)
fn k8s_range_size(prefix: Prefix) -> u128 {
    let h = prefix.host_bits();
    let bits = prefix.family().bits() as u32;
    if h + 1 >= bits {
        return 0;
    }
    if h >= 63 {
        return INT63_MAX;
    }
    1u128 << h
}

/// `calculateRangeOffset` (KEP-3070): size of the static band.
pub fn calculate_range_offset(prefix: Prefix) -> u128 {
    let size = k8s_range_size(prefix);
    if size <= RANGE_OFFSET_MIN {
        return 0;
    }
    (size / RANGE_OFFSET_STEP).clamp(RANGE_OFFSET_MIN, RANGE_OFFSET_MAX)
}

/// One CIDR's allocator (upstream `Allocator` without its store side).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    prefix: Prefix,
    first: u128,
    /// Below `first` when the range has no usable address (/31, /32, /128).
    last: u128,
    size: u128,
    offset: u128,
}

impl Range {
    /// Builds the allocator for a CIDR (host bits are masked off first).
    pub fn new(prefix: Prefix) -> Result<Range, AllocError> {
        let prefix = prefix.masked();
        let family = prefix.family();
        if family == Family::IPv6 && prefix.len < 64 {
            return Err(AllocError::PrefixTooShort(prefix.len));
        }
        let max = family.max_value();
        let network = prefix.network();
        // The network address is never handed out.
        let first = match network.checked_add(1) {
            Some(f) if f <= max => f,
            _ => return Err(AllocError::InvalidAddress),
        };
        // IPv6 has no broadcast: the all-ones host is usable.
        let last = match family {
            Family::IPv6 => prefix.last(),
            Family::IPv4 => prefix.last().saturating_sub(1),
        };
        let size = hosts_per_network(prefix);
        let offset = calculate_range_offset(prefix);
        if first.checked_add(offset).is_none_or(|o| o > max) {
            return Err(AllocError::InvalidAddress);
        }
        Ok(Range {
            prefix,
            first,
            last,
            size,
            offset,
        })
    }

    pub fn prefix(&self) -> Prefix {
        self.prefix
    }
    pub fn family(&self) -> Family {
        self.prefix.family()
    }
    /// network + 1.
    pub fn first(&self) -> Addr {
        Addr::new(self.family(), self.first)
    }
    /// IPv4: broadcast - 1; IPv6: the all-ones address. Below `first()` when
    /// the range is empty.
    pub fn last(&self) -> Addr {
        Addr::new(self.family(), self.last)
    }
    /// Usable addresses (hostsPerNetwork).
    pub fn size(&self) -> u128 {
        self.size
    }
    /// Size of the static (lower) band (calculateRangeOffset).
    pub fn offset(&self) -> u128 {
        self.offset
    }

    /// (first, last) of the static band, if the range is split.
    pub fn static_band(&self) -> Option<(Addr, Addr)> {
        (self.offset != 0).then(|| {
            (
                self.first(),
                Addr::new(self.family(), self.first + self.offset - 1),
            )
        })
    }

    /// (first, last) of the dynamic band, if it holds any address.
    pub fn dynamic_band(&self) -> Option<(Addr, Addr)> {
        (self.upper_size() != 0).then(|| {
            (
                Addr::new(self.family(), self.first + self.offset),
                self.last(),
            )
        })
    }

    /// The band an address of [first, last] belongs to.
    pub fn band_of(&self, a: Addr) -> Option<Band> {
        if a.family != self.family() || a.value < self.first || a.value > self.last {
            return None;
        }
        Some(if a.value - self.first < self.offset {
            Band::Static
        } else {
            Band::Dynamic
        })
    }

    fn upper_size(&self) -> u128 {
        self.size.saturating_sub(self.offset)
    }

    /// Static allocation (upstream Allocate without the IPAddress create):
    /// outside [first, last] (or another family) -> ErrNotInRange; taken ->
    /// ErrAllocated. Readiness is the MetaAllocator's business.
    pub fn allocate(&self, addr: Addr, taken: &TakenSet) -> Result<(), AllocError> {
        if addr.family != self.family() || addr.value < self.first || addr.value > self.last {
            return Err(AllocError::NotInRange {
                ip: addr,
                range: self.prefix,
            });
        }
        if taken.contains(addr.value) {
            return Err(AllocError::Allocated);
        }
        Ok(())
    }

    /// Dynamic allocation: the address upstream's linear scan would return for
    /// the same random draws. One draw picks the start in the upper band; the
    /// scan walks up and wraps. Only if that band is full (and the range is
    /// split) does a second draw pick a start in the lower band.
    pub fn allocate_next(&self, taken: &TakenSet, rng: &mut Rng) -> Result<Pick, AllocError> {
        self.allocate_next_with(taken, rng, Quirks::default())
    }

    /// [`Range::allocate_next`] with a release's quirks.
    pub fn allocate_next_with(
        &self,
        taken: &TakenSet,
        rng: &mut Rng,
        quirks: Quirks,
    ) -> Result<Pick, AllocError> {
        let upper = self.upper_size();
        if upper == 0 {
            // Upstream returns here without looking at the lower band.
            return Err(AllocError::Full);
        }
        let r = if upper >= INT63_MAX {
            // Only an IPv6 /64 gets here: upstream takes a raw uint64 and
            // pulls it back by the offset if band start + r could pass 2^64.
            let mut r = rng.next_u64() as u128;
            if u64::MAX as u128 - r < self.offset {
                r -= self.offset;
            }
            r
        } else {
            rng.below_u128(upper)
        };
        let band_first = self.first + self.offset;
        if quirks.ipv6_offset_wraps && upper >= INT63_MAX && r > INT63_MAX {
            // big.NewInt(int64(offset)): the offset is negative, the scan starts
            // 2^64 - r below the band and walks up from there, so the first free
            // address below the prefix is handed out.
            let below = (1u128 << 64) - r;
            if let Some(start) = band_first.checked_sub(below) {
                let found = taken
                    .first_free_in(start, start, self.last)
                    .or_else(|| taken.first_free_in(band_first, band_first, self.last));
                return match found {
                    Some(v) => Ok(self.pick(v, Band::Dynamic, Some(start))),
                    None => Err(AllocError::Full),
                };
            }
        }
        let (start, found) = self.scan(taken, band_first, self.last, r);
        if let Some(v) = found {
            return Ok(self.pick(v, Band::Dynamic, start));
        }
        if self.offset != 0 {
            let r = rng.below_u128(self.offset);
            let (start, found) = self.scan(taken, self.first, band_first - 1, r);
            if let Some(v) = found {
                return Ok(self.pick(v, Band::Static, start));
            }
        }
        Err(AllocError::Full)
    }

    fn pick(&self, v: u128, band: Band, start: Option<u128>) -> Pick {
        let family = self.family();
        Pick {
            addr: Addr::new(family, v),
            band,
            start: Addr::new(family, start.unwrap_or(v)),
            cidr: self.prefix,
        }
    }

    /// The first free address in the order upstream's band iterator visits:
    /// from band_first + r (moved to band_first when past band_last) up to
    /// band_last, then from band_first up to just before the start. Returns
    /// (start, found). Two Go quirks kept: a start that overflows the family
    /// yields an empty walk; and when band_last is the family's all-ones
    /// address the walk ends there without wrapping (netip's Next() turns
    /// invalid, which ends the iteration).
    fn scan(
        &self,
        taken: &TakenSet,
        band_first: u128,
        band_last: u128,
        r: u128,
    ) -> (Option<u128>, Option<u128>) {
        let max = self.family().max_value();
        let start = match band_first.checked_add(r) {
            Some(s) if s <= max => {
                if s > band_last {
                    band_first
                } else {
                    s
                }
            }
            _ => return (None, None),
        };
        let found = taken
            .first_free_in(start, band_first, band_last)
            .or_else(|| {
                if band_last < max && start > band_first {
                    taken.first_free_in(band_first, band_first, start - 1)
                } else {
                    None
                }
            });
        (Some(start), found)
    }

    /// Taken addresses within [first, last] (upstream counts managed IPAddress
    /// objects inside the prefix; the simulator counts every taken address).
    pub fn used(&self, taken: &TakenSet) -> u128 {
        taken.count_in(self.first, self.last)
    }

    /// size - used, never below zero.
    pub fn free(&self, taken: &TakenSet) -> u128 {
        self.size.saturating_sub(self.used(taken))
    }
}

/// Snapshots carry only the CIDR text; everything else is derived again.
impl Serialize for Range {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.prefix.to_string())
    }
}

impl<'de> Deserialize<'de> for Range {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Range, D::Error> {
        let s = String::deserialize(d)?;
        let p = parse_cidr_sloppy(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid CIDR {s:?}")))?;
        Range::new(p).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{parse_cidr, parse_ip};

    fn p(s: &str) -> Prefix {
        parse_cidr(s).unwrap()
    }
    fn ip(s: &str) -> Addr {
        parse_ip(s).unwrap()
    }
    fn range(s: &str) -> Range {
        Range::new(p(s)).unwrap()
    }

    #[test]
    fn ipv6_shorter_than_64_is_refused_with_upstream_text() {
        let e = Range::new(p("fd00::/48")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "shortest allowed prefix length for service CIDR is 64, got 48"
        );
        assert!(Range::new(p("fd00::/64")).is_ok());
    }

    #[test]
    fn all_ones_single_host_cannot_be_built() {
        assert_eq!(
            Range::new(p("255.255.255.255/32")),
            Err(AllocError::InvalidAddress)
        );
        assert_eq!(
            Range::new(p("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")),
            Err(AllocError::InvalidAddress)
        );
        assert!(Range::new(p("255.255.255.254/31")).is_ok());
    }

    #[test]
    fn first_last_of_both_families() {
        let r = range("10.96.0.0/12");
        assert_eq!(r.first(), ip("10.96.0.1"));
        assert_eq!(r.last(), ip("10.111.255.254"));
        let r6 = range("fd00::/120");
        assert_eq!(r6.first(), ip("fd00::1"));
        assert_eq!(r6.last(), ip("fd00::ff"));
        // Host bits are masked before anything else.
        assert_eq!(range("10.0.0.7/24").prefix(), p("10.0.0.0/24"));
    }

    #[test]
    fn band_boundaries_of_10_96_0_0_slash_24() {
        let r = range("10.96.0.0/24");
        assert_eq!(r.offset(), 16);
        assert_eq!(r.static_band(), Some((ip("10.96.0.1"), ip("10.96.0.16"))));
        assert_eq!(
            r.dynamic_band(),
            Some((ip("10.96.0.17"), ip("10.96.0.254")))
        );
        assert_eq!(r.band_of(ip("10.96.0.16")), Some(Band::Static));
        assert_eq!(r.band_of(ip("10.96.0.17")), Some(Band::Dynamic));
        assert_eq!(r.band_of(ip("10.96.0.255")), None);
        assert_eq!(r.band_of(ip("10.96.0.0")), None);
    }

    #[test]
    fn serde_round_trip_is_the_cidr_text() {
        let r = range("10.96.0.0/24");
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(j, "\"10.96.0.0/24\"");
        let back: Range = serde_json::from_str(&j).unwrap();
        assert_eq!(back, r);
        assert!(serde_json::from_str::<Range>("\"fd00::/48\"").is_err());
        assert!(serde_json::from_str::<Range>("\"nonsense\"").is_err());
    }

    #[test]
    fn one_draw_when_the_upper_band_has_room_two_when_it_is_full() {
        let r = range("10.0.0.0/24");
        let mut taken = TakenSet::new();
        let mut a = Rng::from_seed(7);
        let mut b = Rng::from_seed(7);
        r.allocate_next(&taken, &mut a).unwrap();
        b.below_u128(254 - 16);
        assert_eq!(a, b);
        for v in 17..=254u128 {
            taken.insert((10 << 24) + v);
        }
        let pick = r.allocate_next(&taken, &mut a).unwrap();
        assert_eq!(pick.band, Band::Static);
        b.below_u128(254 - 16);
        b.below_u128(16);
        assert_eq!(a, b);
    }

    #[test]
    fn slash_64_uses_a_raw_64_bit_draw() {
        let r = range("fd00::/64");
        let mut a = Rng::from_seed(3);
        let mut b = Rng::from_seed(3);
        let pick = r.allocate_next(&TakenSet::new(), &mut a).unwrap();
        let raw = b.next_u64() as u128;
        assert_eq!(a, b);
        let want = if u64::MAX as u128 - raw < 256 {
            raw - 256
        } else {
            raw
        };
        let band_first = r.first().value + 256;
        let start = band_first + want;
        let start = if start > r.last().value {
            band_first
        } else {
            start
        };
        assert_eq!(pick.addr.value, start);
        assert_eq!(pick.start.value, start);
        assert_eq!(pick.band, Band::Dynamic);
    }

    #[test]
    fn all_ones_ipv6_band_does_not_wrap() {
        // Upper band ends at the family's highest address: upstream's walk
        // stops there, so with the top of the band taken it falls back to the
        // lower band even though the bottom of the upper band is free.
        let r = range("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120");
        let mut taken = TakenSet::new();
        let band_first = r.first().value + r.offset();
        for v in band_first + 100..=u128::MAX {
            taken.insert(v);
        }
        // Find a seed whose first draw lands in the taken top part.
        let mut seed = 0;
        loop {
            let mut probe = Rng::from_seed(seed);
            if probe.below_u128(r.size() - r.offset()) >= 100 {
                break;
            }
            seed += 1;
        }
        let pick = r.allocate_next(&taken, &mut Rng::from_seed(seed)).unwrap();
        assert_eq!(pick.band, Band::Static);
    }
}
