//! What a page needs to draw one allocator CIDR as a grid: per cell its first
//! address, its role (network, broadcast, static or dynamic band), the IPAddress
//! objects in it and the other ServiceCIDRs that also contain it. Pages draw these
//! answers and compute nothing about addresses themselves, so the picture cannot
//! disagree with the allocator.

use super::{ApiError, Cluster};
use crate::allocator::range::Range;
use crate::net::{Addr, Family, Prefix};
use serde::Serialize;

/// Up to this many addresses, a view draws one cell per address.
pub const CELL_LIMIT: u128 = 4096;
/// Larger views are drawn as this many equal buckets (a heat map).
pub const BUCKETS: u128 = 256;
/// How many IPAddress names a cell lists (its count says how many there are).
const NAMES_PER_CELL: usize = 3;

/// One view of a CIDR: the whole of it, or a zoomed-in aligned block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RangeView {
    /// The allocator's CIDR, as written in the ServiceCIDR.
    pub cidr: String,
    #[cfg_attr(feature = "ts", ts(type = r#""IPv4" | "IPv6""#))]
    pub family: Family,
    /// The view as a CIDR ("10.96.0.0/28").
    pub prefix: String,
    /// Offset of the view's first address from the CIDR's network address (decimal).
    pub start: String,
    /// Host bits of the view: it spans 2^hostBits addresses.
    pub host_bits: u32,
    /// Cells are buckets of 2^cellHostBits addresses (0: one address per cell).
    pub cell_host_bits: u32,
    pub cells: Vec<RangeCell>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RangeCell {
    /// The cell's first address.
    pub ip: String,
    /// The cell as a CIDR (equal to `ip`/bits for a one-address cell).
    pub prefix: String,
    /// Offset of the cell from the CIDR's network address (decimal): what a page
    /// passes back as `start` to zoom into it.
    pub start: String,
    /// "network", "broadcast", "static", "dynamic": every role an address of the cell has.
    #[cfg_attr(
        feature = "ts",
        ts(type = r#"("network" | "broadcast" | "static" | "dynamic")[]"#)
    )]
    pub roles: Vec<&'static str>,
    /// IPAddress objects in the cell.
    pub taken: u64,
    /// The first of them (at most three).
    pub names: Vec<String>,
    /// Other ServiceCIDRs overlapping the cell, as "name (cidr)".
    pub shared: Vec<String>,
}

impl Cluster {
    /// The view of `cidr` (an allocator CIDR of ServiceCIDR `name`) that starts `start`
    /// addresses after the network address and spans 2^`host_bits` addresses (None:
    /// the whole CIDR). The block must be aligned and inside the CIDR.
    pub fn range_view(
        &self,
        name: &str,
        cidr: &str,
        start: Option<&str>,
        host_bits: Option<u32>,
    ) -> Result<RangeView, ApiError> {
        let range = self
            .allocators
            .values()
            .find_map(|m| m.get(cidr))
            .filter(|a| a.names.contains(name))
            .map(|a| a.range)
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    "NotFound",
                    format!("no allocator serves {cidr} for ServiceCIDR {name}"),
                )
            })?;
        let prefix = range.prefix();
        let family = prefix.family();
        let bits = prefix.host_bits();
        let view_bits = host_bits.unwrap_or(bits);
        let start: u128 = match start {
            None => 0,
            Some(s) => s.parse().map_err(|_| {
                ApiError::bad_request(format!("start must be a decimal offset, got {s:?}"))
            })?,
        };
        let aligned = view_bits <= bits
            && (view_bits >= 128 || start % (1u128 << view_bits) == 0)
            && (bits >= 128 || start < (1u128 << bits));
        if !aligned {
            return Err(ApiError::bad_request(format!(
                "no block of 2^{view_bits} addresses starts at offset {start} of {cidr}"
            )));
        }
        let view = block(prefix, start, view_bits);
        // One address per cell up to CELL_LIMIT, else BUCKETS buckets.
        let cell_bits = if view_bits <= CELL_LIMIT.trailing_zeros() {
            0
        } else {
            view_bits - BUCKETS.trailing_zeros()
        };
        let count = 1u128 << (view_bits - cell_bits);
        let others: Vec<(String, Prefix)> = self
            .store
            .service_cidrs
            .values()
            .flat_map(|sc| {
                sc.spec
                    .cidrs
                    .iter()
                    .filter(move |c| !(sc.metadata.name == name && c.as_str() == cidr))
                    .filter_map(move |c| {
                        crate::net::parse_cidr(c)
                            .map(|p| (format!("{} ({c})", sc.metadata.name), p.masked()))
                    })
            })
            .filter(|(_, p)| p.family() == family)
            .collect();
        let taken = self.taken.set(family);
        let cells = (0..count)
            .map(|i| {
                let offset = start + (i << cell_bits);
                let cell = block(prefix, offset, cell_bits);
                let (lo, hi) = (cell.network(), cell.last());
                let mut names = Vec::new();
                let mut from = lo;
                while names.len() < NAMES_PER_CELL {
                    let Some(v) = taken.first_taken_in(from, hi) else {
                        break;
                    };
                    names.push(Addr::new(family, v).to_string());
                    match v.checked_add(1) {
                        Some(n) => from = n,
                        None => break,
                    }
                }
                RangeCell {
                    ip: Addr::new(family, lo).to_string(),
                    prefix: cell.to_string(),
                    start: offset.to_string(),
                    roles: roles(&range, lo, hi),
                    taken: u64::try_from(taken.count_in(lo, hi)).unwrap_or(u64::MAX),
                    names,
                    shared: others
                        .iter()
                        .filter(|(_, p)| p.network() <= hi && lo <= p.last())
                        .map(|(label, _)| label.clone())
                        .collect(),
                }
            })
            .collect();
        Ok(RangeView {
            cidr: cidr.to_string(),
            family,
            prefix: view.to_string(),
            start: start.to_string(),
            host_bits: view_bits,
            cell_host_bits: cell_bits,
            cells,
        })
    }
}

/// The aligned block of 2^`host_bits` addresses `offset` after `prefix`'s network address.
fn block(prefix: Prefix, offset: u128, host_bits: u32) -> Prefix {
    let family = prefix.family();
    Prefix {
        addr: Addr::new(family, prefix.network() + offset),
        len: family.bits() - host_bits as u8,
    }
}

/// Every role an address in [lo, hi] has in `range`.
fn roles(range: &Range, lo: u128, hi: u128) -> Vec<&'static str> {
    let prefix = range.prefix();
    let mut out = Vec::new();
    if lo <= prefix.network() && prefix.network() <= hi {
        out.push("network");
    }
    if prefix.family() == Family::IPv4 && lo <= prefix.last() && prefix.last() <= hi {
        out.push("broadcast");
    }
    let band = |b: Option<(Addr, Addr)>| b.is_some_and(|(a, z)| a.value <= hi && lo <= z.value);
    if band(range.static_band()) {
        out.push("static");
    }
    if band(range.dynamic_band()) {
        out.push("dynamic");
    }
    out
}
