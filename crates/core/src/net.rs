//! IP addresses and prefixes as 128-bit integers, with Go's strict parsing
//! (netip) and Kubernetes' "sloppy" legacy parsing (leading zeros allowed),
//! because validation messages depend on which of the two accepts a string.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Family {
    IPv4,
    IPv6,
}

impl Family {
    pub fn bits(self) -> u8 {
        match self {
            Family::IPv4 => 32,
            Family::IPv6 => 128,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Family::IPv4 => "IPv4",
            Family::IPv6 => "IPv6",
        }
    }
    pub fn parse(s: &str) -> Option<Family> {
        match s {
            "IPv4" => Some(Family::IPv4),
            "IPv6" => Some(Family::IPv6),
            _ => None,
        }
    }
    pub fn max_value(self) -> u128 {
        match self {
            Family::IPv4 => u32::MAX as u128,
            Family::IPv6 => u128::MAX,
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An address: family plus its value as an integer (IPv4 in the low 32 bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Addr {
    pub family: Family,
    pub value: u128,
}

impl Addr {
    pub fn new(family: Family, value: u128) -> Addr {
        Addr {
            family,
            value: value & family.max_value(),
        }
    }
    pub fn from_std(ip: IpAddr) -> Addr {
        match ip {
            IpAddr::V4(v4) => Addr {
                family: Family::IPv4,
                value: u32::from(v4) as u128,
            },
            IpAddr::V6(v6) => Addr {
                family: Family::IPv6,
                value: u128::from(v6),
            },
        }
    }
    pub fn to_std(self) -> IpAddr {
        match self.family {
            Family::IPv4 => IpAddr::V4(Ipv4Addr::from(self.value as u32)),
            Family::IPv6 => IpAddr::V6(Ipv6Addr::from(self.value)),
        }
    }
    /// An IPv6 address of the form ::ffff:a.b.c.d.
    pub fn is_ipv4_mapped(self) -> bool {
        self.family == Family::IPv6 && (self.value >> 32) == 0xffff
    }
    /// The address as Go's net.IP sees it: an IPv4-mapped IPv6 address is the
    /// IPv4 address (To4() != nil), which is how Kubernetes before strict
    /// validation (1.36) allocates, names and repairs `::ffff:a.b.c.d`.
    pub fn unmap_ipv4(self) -> Addr {
        if self.is_ipv4_mapped() {
            Addr::new(Family::IPv4, self.value & 0xffff_ffff)
        } else {
            self
        }
    }
}

/// Canonical text: dotted decimal, or RFC 5952 for IPv6 (what Go's netip prints).
impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_std())
    }
}

/// Strict parse (Go's netip.ParseAddr): no leading zeros, no zones.
pub fn parse_ip(s: &str) -> Option<Addr> {
    s.parse::<IpAddr>().ok().map(Addr::from_std)
}

/// ParseIPSloppy as a Service IP: the address Kubernetes allocates, names the
/// IPAddress after and repairs (IPv4-mapped forms are IPv4).
pub fn parse_service_ip(s: &str) -> Option<Addr> {
    parse_ip_sloppy(s).map(Addr::unmap_ipv4)
}

/// Kubernetes' ParseIPSloppy: like the strict parser but IPv4 octets may carry
/// leading zeros, which are read as decimal (the behaviour of Go before 1.17).
pub fn parse_ip_sloppy(s: &str) -> Option<Addr> {
    if let Some(a) = parse_ip(s) {
        return Some(a);
    }
    if s.contains(':') {
        // IPv6 with an embedded IPv4 tail that has leading zeros.
        let idx = s.rfind(':')?;
        let (head, tail) = s.split_at(idx + 1);
        if tail.contains('.') {
            let v4 = parse_v4_sloppy(tail)?;
            return parse_ip(&format!("{head}{}", Ipv4Addr::from(v4)));
        }
        return None;
    }
    parse_v4_sloppy(s).map(|v| Addr {
        family: Family::IPv4,
        value: v as u128,
    })
}

fn parse_v4_sloppy(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut v = 0u32;
    for p in parts {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let n: u32 = p.parse().ok()?;
        if n > 255 {
            return None;
        }
        v = (v << 8) | n;
    }
    Some(v)
}

/// A prefix. `addr` keeps the address as written (host bits possibly set);
/// use [`Prefix::masked`] for the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Prefix {
    pub addr: Addr,
    pub len: u8,
}

fn split_prefix(s: &str) -> Option<(&str, &str)> {
    let (a, l) = s.split_once('/')?;
    if l.is_empty() || !l.bytes().all(|c| c.is_ascii_digit()) || l.len() > 3 {
        return None;
    }
    Some((a, l))
}

/// Strict (netip.ParsePrefix): strict address, decimal length without leading zeros.
pub fn parse_cidr(s: &str) -> Option<Prefix> {
    let (a, l) = split_prefix(s)?;
    if l.len() > 1 && l.starts_with('0') {
        return None;
    }
    let addr = parse_ip(a)?;
    let len: u8 = l.parse().ok()?;
    (len <= addr.family.bits()).then_some(Prefix { addr, len })
}

/// Sloppy (ParseCIDRSloppy): leading zeros allowed in octets and in the length.
pub fn parse_cidr_sloppy(s: &str) -> Option<Prefix> {
    let (a, l) = split_prefix(s)?;
    let addr = parse_ip_sloppy(a)?;
    let len: u8 = l.parse().ok()?;
    (len <= addr.family.bits()).then_some(Prefix { addr, len })
}

impl Prefix {
    pub fn family(self) -> Family {
        self.addr.family
    }
    pub fn host_bits(self) -> u32 {
        (self.addr.family.bits() - self.len) as u32
    }
    fn host_mask(self) -> u128 {
        let h = self.host_bits();
        if h >= 128 {
            u128::MAX
        } else {
            (1u128 << h) - 1
        }
    }
    /// Network address (host bits cleared).
    pub fn network(self) -> u128 {
        self.addr.value & !self.host_mask() & self.addr.family.max_value()
    }
    /// Highest address (all host bits set): the IPv4 broadcast.
    pub fn last(self) -> u128 {
        self.network() | self.host_mask()
    }
    pub fn masked(self) -> Prefix {
        Prefix {
            addr: Addr::new(self.addr.family, self.network()),
            len: self.len,
        }
    }
    pub fn has_host_bits(self) -> bool {
        self.addr.value & self.host_mask() != 0
    }
    /// Plain containment (netip.Prefix.Contains).
    pub fn contains(self, a: Addr) -> bool {
        a.family == self.family() && a.value >= self.network() && a.value <= self.last()
    }
    /// pkg/api/servicecidr PrefixContainsIP: inside the prefix, not its network
    /// address, and for IPv4 not its broadcast address.
    pub fn contains_service_ip(self, a: Addr) -> bool {
        a.family == self.family()
            && self
                .service_range()
                .is_some_and(|(lo, hi)| lo <= a.value && a.value <= hi)
    }
    /// The inclusive interval [`Prefix::contains_service_ip`] accepts: network + 1 up
    /// to the broadcast − 1 (IPv4) or the all-ones address (IPv6); None when empty.
    pub fn service_range(self) -> Option<(u128, u128)> {
        let lo = self.network().checked_add(1)?;
        let hi = match self.family() {
            Family::IPv4 => self.last().checked_sub(1)?,
            Family::IPv6 => self.last(),
        };
        (lo <= hi).then_some((lo, hi))
    }
    /// `other` lies within self (same or longer prefix).
    pub fn contains_prefix(self, other: Prefix) -> bool {
        other.family() == self.family()
            && other.len >= self.len
            && self.contains(Addr::new(other.family(), other.network()))
    }
    pub fn overlaps(self, other: Prefix) -> bool {
        self.contains_prefix(other) || other.contains_prefix(self)
    }
}

/// The smallest prefix whose service range ([`Prefix::service_range`]) holds both
/// `lo` and `hi` (so every address between them): the longest prefix containing
/// both in which neither is the network address nor the IPv4 broadcast. None for
/// mixed families, or when no prefix of the family qualifies.
pub fn covering_service_prefix(lo: Addr, hi: Addr) -> Option<Prefix> {
    if lo.family != hi.family {
        return None;
    }
    let (lo, hi) = if lo.value <= hi.value {
        (lo, hi)
    } else {
        (hi, lo)
    };
    (0..=lo.family.bits()).rev().find_map(|len| {
        let p = Prefix { addr: lo, len }.masked();
        (p.contains_service_ip(lo) && p.contains_service_ip(hi)).then_some(p)
    })
}

/// Canonical text of the masked prefix: "10.96.0.0/12", "fd00::/108".
impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covering_service_prefix_is_the_smallest_usable_range() {
        let cover = |a: &str, b: &str| {
            covering_service_prefix(parse_ip(a).unwrap(), parse_ip(b).unwrap())
                .map(|p| p.to_string())
        };
        assert_eq!(
            cover("10.96.0.21", "10.96.0.211").as_deref(),
            Some("10.96.0.0/24")
        );
        assert_eq!(
            cover("10.96.0.82", "10.96.0.21").as_deref(),
            Some("10.96.0.0/25"),
            "either order"
        );
        assert_eq!(
            cover("10.100.0.20", "10.100.0.21").as_deref(),
            Some("10.100.0.16/29")
        );
        // One address needs a /30: it may be neither the network nor the broadcast.
        assert_eq!(
            cover("10.96.0.5", "10.96.0.5").as_deref(),
            Some("10.96.0.4/30")
        );
        // An address on a boundary widens the range.
        assert_eq!(
            cover("10.96.0.127", "10.96.0.128").as_deref(),
            Some("10.96.0.0/24")
        );
        // IPv6 keeps its all-ones address, so a /127 holds ::1.
        assert_eq!(cover("fd00::1", "fd00::1").as_deref(), Some("fd00::/127"));
        assert_eq!(
            cover("0.0.0.0", "0.0.0.1"),
            None,
            "0.0.0.0 is every prefix's network"
        );
        assert_eq!(cover("10.0.0.1", "fd00::1"), None, "mixed families");
    }

    #[test]
    fn strict_and_sloppy_parsing() {
        assert!(parse_ip("10.01.2.3").is_none());
        assert_eq!(
            parse_ip_sloppy("10.01.2.3").unwrap().to_string(),
            "10.1.2.3"
        );
        assert_eq!(
            parse_ip("2001:db8:0:0:0::1").unwrap().to_string(),
            "2001:db8::1"
        );
        assert!(parse_cidr("10.0.0.0/08").is_none());
        assert!(parse_cidr_sloppy("10.0.0.0/08").is_some());
        assert!(parse_cidr("10.0.0.0/33").is_none());
        assert!(parse_ip("::ffff:1.2.3.4").unwrap().is_ipv4_mapped());
    }

    #[test]
    fn service_range_edges() {
        let r = |s: &str| parse_cidr(s).unwrap().masked().service_range();
        assert_eq!(r("10.0.0.0/30"), Some((0x0a00_0001, 0x0a00_0002)));
        assert_eq!(r("10.0.0.0/31"), None);
        assert_eq!(r("10.0.0.0/32"), None);
        assert_eq!(
            r("fd00::/127"),
            Some((0xfd00u128 << 112 | 1, 0xfd00u128 << 112 | 1))
        );
        assert_eq!(r("fd00::/128"), None);
        assert_eq!(
            r("::/0").map(|(lo, hi)| (lo, hi == u128::MAX)),
            Some((1, true))
        );
    }

    #[test]
    fn containment_excludes_network_and_ipv4_broadcast() {
        let p = parse_cidr("10.96.0.0/24").unwrap();
        assert!(!p.contains_service_ip(parse_ip("10.96.0.0").unwrap()));
        assert!(!p.contains_service_ip(parse_ip("10.96.0.255").unwrap()));
        assert!(p.contains_service_ip(parse_ip("10.96.0.254").unwrap()));
        let p6 = parse_cidr("fd00::/120").unwrap();
        assert!(p6.contains_service_ip(parse_ip("fd00::ff").unwrap()));
        assert!(!p6.contains_service_ip(parse_ip("fd00::").unwrap()));
        let big = parse_cidr("10.96.0.0/16").unwrap();
        assert!(big.contains_prefix(p) && !p.contains_prefix(big) && p.overlaps(big));
    }
}
