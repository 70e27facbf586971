//! Service IP allocators: one CIDR (range.rs) and many CIDRs per family (meta.rs),
//! reading "taken" from the per-family run sets in taken.rs.
//!
//! Pure functions of (ranges, taken set, Rng): nothing here knows about the
//! store, JSON or kubectl. The cluster creates/deletes the IPAddress objects
//! and keeps the [`TakenIndex`] in step with them; the allocators only decide
//! which address (or which error) upstream would produce.

pub mod meta;
pub mod range;
pub mod taken;

pub use meta::{service_cidr_ready, CidrAllocator, CidrInfo, DynamicTrace, MetaAllocator};
pub use range::{Band, Pick, Range};
pub use taken::{TakenIndex, TakenSet};

use crate::net::{Addr, Prefix};
use std::fmt;

/// The release-dependent parts of the allocator, read from the release
/// profile (`Release::allocator_quirks`). The default is the newest release.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quirks {
    /// 1.33.0–1.34.7 (kubernetes#138374, fixed by PR #134193): the dynamic
    /// scan's random offset is cast to int64, so on a /64 an offset of 2^63 or
    /// more starts the scan *below* the prefix and hands out that address.
    pub ipv6_offset_wraps: bool,
    /// Before PR #135499 (1.35): allocation errors other than full / not ready
    /// are skipped and the next allocator is tried.
    pub skip_all_errors: bool,
}

/// Which of the two ErrNotInRange texts found upstream is printed.
///
/// `true`: `the provided IP (<ip>) is not in the valid range. The range of valid IPs is <cidr>`;
/// `false`: `provided IP <ip> is not in the valid range`.
/// We print the first: the newest allocator builds the error from both the IP
/// and the prefix (two fields), and the interfaces.go version that also defines
/// `allocator not ready` carries this text. Through the MetaAllocator the error
/// is practically unreachable (§4.2 containment excludes it first).
pub const NOT_IN_RANGE_SHOWS_RANGE: bool = true;

/// Allocation errors, printing upstream's exact texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllocError {
    /// ErrFull.
    Full,
    /// ErrAllocated.
    Allocated,
    /// ErrMismatchedNetwork.
    MismatchedNetwork,
    /// ErrNotReady.
    NotReady,
    /// ErrNotInRange: `ip` outside [first, last] of `range`.
    NotInRange { ip: Addr, range: Prefix },
    /// An IPv6 service CIDR shorter than /64 (the prefix length).
    PrefixTooShort(u8),
    /// Upstream cannot compute the first address of the all-ones /32 or /128
    /// (its address arithmetic yields an empty byte slice and fails).
    InvalidAddress,
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AllocError::Full => f.write_str("range is full"),
            AllocError::Allocated => f.write_str("provided IP is already allocated"),
            AllocError::MismatchedNetwork => {
                f.write_str("the provided network does not match the current range")
            }
            AllocError::NotReady => f.write_str("allocator not ready"),
            AllocError::NotInRange { ip, range } => {
                if NOT_IN_RANGE_SHOWS_RANGE {
                    write!(
                        f,
                        "the provided IP ({ip}) is not in the valid range. The range of valid IPs is {range}"
                    )
                } else {
                    write!(f, "provided IP {ip} is not in the valid range")
                }
            }
            AllocError::PrefixTooShort(len) => write!(
                f,
                "shortest allowed prefix length for service CIDR is 64, got {len}"
            ),
            AllocError::InvalidAddress => f.write_str("invalid address []"),
        }
    }
}

impl std::error::Error for AllocError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{parse_cidr, parse_ip};

    #[test]
    fn error_texts_are_upstreams() {
        assert_eq!(AllocError::Full.to_string(), "range is full");
        assert_eq!(
            AllocError::Allocated.to_string(),
            "provided IP is already allocated"
        );
        assert_eq!(
            AllocError::MismatchedNetwork.to_string(),
            "the provided network does not match the current range"
        );
        assert_eq!(AllocError::NotReady.to_string(), "allocator not ready");
        assert_eq!(
            AllocError::PrefixTooShort(48).to_string(),
            "shortest allowed prefix length for service CIDR is 64, got 48"
        );
        let e = AllocError::NotInRange {
            ip: parse_ip("10.0.0.0").unwrap(),
            range: parse_cidr("10.0.0.0/24").unwrap(),
        };
        assert_eq!(
            e.to_string(),
            "the provided IP (10.0.0.0) is not in the valid range. The range of valid IPs is 10.0.0.0/24"
        );
        assert_eq!(AllocError::InvalidAddress.to_string(), "invalid address []");
    }
}
