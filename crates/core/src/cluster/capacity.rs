//! `cluster.capacity()`: per ServiceCIDR and CIDR, how big it is, how its
//! KEP-3070 bands split it (calculateRangeOffset), what is used and free in
//! each band, whether it can allocate, and which other ServiceCIDRs overlap it.
//! Counts come from the taken index's interval counts (O(runs), no walk over
//! addresses), so a /12 costs what a /28 costs.

use super::Cluster;
use crate::allocator::meta::service_cidr_ready;
use crate::allocator::range::Range;
use crate::net::{parse_cidr_sloppy, Family};
use serde::Serialize;

/// One CIDR of one ServiceCIDR. Address counts are decimal strings: an IPv6
/// range holds more than a JSON number can carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CidrCapacity {
    /// The ServiceCIDR's name.
    pub name: String,
    /// The CIDR as written in spec.cidrs.
    pub cidr: String,
    #[cfg_attr(feature = "ts", ts(type = r#""IPv4" | "IPv6""#))]
    pub family: Family,
    /// Ready for allocation (Ready condition True or absent, not being deleted).
    pub ready: bool,
    pub terminating: bool,
    /// Whether a running allocator serves this CIDR: false when the flags do
    /// not configure its family, or the allocator cannot be built (IPv6
    /// shorter than /64).
    pub allocator: bool,
    /// Usable addresses (network and, for IPv4, broadcast excluded).
    pub size: String,
    pub static_size: String,
    pub dynamic_size: String,
    pub static_used: String,
    pub static_free: String,
    pub dynamic_used: String,
    pub dynamic_free: String,
    /// Other ServiceCIDRs with a CIDR overlapping this one, by name.
    pub overlaps: Vec<String>,
}

impl Cluster {
    /// Every ServiceCIDR's CIDRs, by ServiceCIDR name, in spec order. Used
    /// counts every IPAddress in the band, as the allocator sees it taken.
    pub fn capacity(&self) -> Vec<CidrCapacity> {
        let cidrs: Vec<_> = self.store.service_cidrs.values().collect();
        let mut out = Vec::new();
        for sc in &cidrs {
            let ready = service_cidr_ready(sc);
            for cidr in &sc.spec.cidrs {
                let Some(prefix) = parse_cidr_sloppy(cidr) else {
                    continue;
                };
                let family = prefix.family();
                let served = self
                    .allocators
                    .get(&family)
                    .and_then(|m| m.get(cidr))
                    .map(|a| a.range);
                let Some(range) = served.or_else(|| Range::new(prefix).ok()) else {
                    continue;
                };
                let taken = self.taken.set(family);
                let (s_used, s_size) = match range.static_band() {
                    Some((lo, hi)) => (taken.count_in(lo.value, hi.value), range.offset()),
                    None => (0, 0),
                };
                let (d_used, d_size) = match range.dynamic_band() {
                    Some((lo, hi)) => (
                        taken.count_in(lo.value, hi.value),
                        range.size() - range.offset(),
                    ),
                    None => (0, 0),
                };
                let overlaps = cidrs
                    .iter()
                    .filter(|o| o.metadata.name != sc.metadata.name)
                    .filter(|o| o.prefixes().iter().any(|p| p.overlaps(prefix)))
                    .map(|o| o.metadata.name.clone())
                    .collect();
                out.push(CidrCapacity {
                    name: sc.metadata.name.clone(),
                    cidr: cidr.clone(),
                    family,
                    ready,
                    terminating: sc.metadata.deletion_timestamp.is_some(),
                    allocator: served.is_some(),
                    size: range.size().to_string(),
                    static_size: s_size.to_string(),
                    dynamic_size: d_size.to_string(),
                    static_used: s_used.to_string(),
                    static_free: s_size.saturating_sub(s_used).to_string(),
                    dynamic_used: d_used.to_string(),
                    dynamic_free: d_size.saturating_sub(d_used).to_string(),
                    overlaps,
                });
            }
        }
        out
    }
}
