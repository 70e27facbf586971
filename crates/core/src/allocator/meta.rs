//! The MetaAllocator of one IP family: one [`Range`] per distinct CIDR string
//! found in the ServiceCIDRs, shared by every ServiceCIDR naming that exact
//! string. Overlapping but different CIDRs get separate allocators; they still
//! see each other's allocations because "taken" is the shared [`TakenSet`].

use super::range::{Pick, Range};
use super::taken::TakenSet;
use super::{AllocError, Quirks};
use crate::model::ServiceCIDR;
use crate::net::{parse_cidr_sloppy, Addr, Family, Prefix};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Upstream's readiness of a ServiceCIDR for allocation: the Ready condition
/// is True, or there is no Ready condition at all (so allocation works while
/// kube-controller-manager has not yet looked at it), and it is not being
/// deleted.
pub fn service_cidr_ready(sc: &ServiceCIDR) -> bool {
    let condition_ok = sc.ready_condition().is_none_or(|c| c.status == "True");
    condition_ok && sc.metadata.deletion_timestamp.is_none()
}

/// One CIDR's allocator and the ServiceCIDRs holding exactly that CIDR.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CidrAllocator {
    pub range: Range,
    pub names: BTreeSet<String>,
    pub ready: bool,
}

/// A row of [`MetaAllocator::cidrs`], for the playground.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CidrInfo {
    pub cidr: String,
    pub ready: bool,
    pub names: Vec<String>,
    pub range: Range,
}

/// What a dynamic allocation tried, for the cluster's trace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DynamicTrace {
    /// Every allocator key in the random order of this call.
    pub order: Vec<String>,
    /// Allocators passed over before the answer, with the reason (full or not ready).
    pub skipped: Vec<(String, AllocError)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaAllocator {
    family: Family,
    /// Keyed by the CIDR text exactly as written in spec.cidrs (upstream keys
    /// its map the same way; validation makes the text canonical).
    allocators: BTreeMap<String, CidrAllocator>,
}

impl MetaAllocator {
    pub fn new(family: Family) -> MetaAllocator {
        MetaAllocator {
            family,
            allocators: BTreeMap::new(),
        }
    }

    pub fn family(&self) -> Family {
        self.family
    }

    pub fn is_empty(&self) -> bool {
        self.allocators.is_empty()
    }

    pub fn get(&self, cidr: &str) -> Option<&CidrAllocator> {
        self.allocators.get(cidr)
    }

    /// One ServiceCIDR seen by the allocator's informer (add or update).
    ///
    /// For each CIDR of this family: an existing allocator gains the name; it
    /// becomes ready if this ServiceCIDR is ready, and becomes not ready only if
    /// this ServiceCIDR is its ONLY referrer (upstream quirk: with two
    /// referrers a not-ready one never clears the flag, even if the other is
    /// terminating too). Otherwise a new allocator is created with this
    /// ServiceCIDR's readiness; one that cannot be built (IPv6 shorter than
    /// /64) is skipped and the error returned for the trace, the other CIDRs
    /// are still processed. Allocators are never removed here.
    pub fn sync(&mut self, name: &str, cidrs: &[String], ready: bool) -> Result<(), AllocError> {
        let mut first_err = None;
        for cidr in cidrs {
            // CIDRs of the other family (or unparsable ones, whose family is
            // unknown) belong to the other MetaAllocator.
            let Some(prefix) = parse_cidr_sloppy(cidr) else {
                continue;
            };
            if prefix.family() != self.family {
                continue;
            }
            if let Some(item) = self.allocators.get_mut(cidr) {
                item.names.insert(name.to_string());
                if ready {
                    item.ready = true;
                } else if item.names.len() == 1 {
                    item.ready = false;
                }
                continue;
            }
            match Range::new(prefix) {
                Ok(range) => {
                    self.allocators.insert(
                        cidr.clone(),
                        CidrAllocator {
                            range,
                            names: BTreeSet::from([name.to_string()]),
                            ready,
                        },
                    );
                }
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        first_err.map_or(Ok(()), Err)
    }

    /// [`MetaAllocator::sync`] for a ServiceCIDR object.
    pub fn sync_service_cidr(&mut self, sc: &ServiceCIDR) -> Result<(), AllocError> {
        self.sync(&sc.metadata.name, &sc.spec.cidrs, service_cidr_ready(sc))
    }

    /// The ServiceCIDR object is gone (informer delete, after its finalizer
    /// was removed): drop its name everywhere and destroy allocators nobody
    /// references any more. Returns the CIDRs whose allocator was destroyed.
    pub fn remove(&mut self, name: &str) -> Vec<String> {
        let mut destroyed = Vec::new();
        for (cidr, item) in self.allocators.iter_mut() {
            if item.names.remove(name) && item.names.is_empty() {
                destroyed.push(cidr.clone());
            }
        }
        for cidr in &destroyed {
            self.allocators.remove(cidr);
        }
        destroyed
    }

    /// First allocator (in key order) containing `addr` per the service IP
    /// containment rule, optionally only ready ones.
    fn allocator_for(&self, addr: Addr, ready_only: bool) -> Option<&CidrAllocator> {
        self.allocators.values().find(|item| {
            (!ready_only || item.ready) && item.range.prefix().contains_service_ip(addr)
        })
    }

    /// Static allocation: any READY allocator whose CIDR contains the address
    /// (not its network address, not its IPv4 broadcast) decides; none ->
    /// ErrMismatchedNetwork. Upstream takes the first hit in Go map order,
    /// i.e. arbitrary; all candidates share the taken set, so only the
    /// reported CIDR can differ and we take the first in key order to stay
    /// deterministic without spending a random draw.
    pub fn allocate_service(&self, addr: Addr, taken: &TakenSet) -> Result<Prefix, AllocError> {
        let item = self
            .allocator_for(addr, true)
            .ok_or(AllocError::MismatchedNetwork)?;
        item.range.allocate(addr, taken)?;
        Ok(item.range.prefix())
    }

    /// Dynamic allocation: see [`MetaAllocator::allocate_next_service_traced`].
    pub fn allocate_next_service(
        &self,
        taken: &TakenSet,
        rng: &mut Rng,
    ) -> Result<Pick, AllocError> {
        self.allocate_next_service_traced(taken, rng).0
    }

    /// Dynamic allocation over all allocators of the family in a fresh random
    /// order per call (Go map iteration order: the sorted keys, all of them,
    /// shuffled). Not-ready and full allocators are passed over; the first
    /// success wins; none -> ErrFull. Random draws: the shuffle, then each
    /// ready allocator tried draws as [`Range::allocate_next`] does.
    pub fn allocate_next_service_traced(
        &self,
        taken: &TakenSet,
        rng: &mut Rng,
    ) -> (Result<Pick, AllocError>, DynamicTrace) {
        self.allocate_next_service_with(taken, rng, Quirks::default())
    }

    /// [`MetaAllocator::allocate_next_service_traced`] with a release's quirks.
    pub fn allocate_next_service_with(
        &self,
        taken: &TakenSet,
        rng: &mut Rng,
        quirks: Quirks,
    ) -> (Result<Pick, AllocError>, DynamicTrace) {
        let mut order: Vec<&String> = self.allocators.keys().collect();
        rng.shuffle(&mut order);
        let mut trace = DynamicTrace {
            order: order.iter().map(|k| (*k).clone()).collect(),
            skipped: Vec::new(),
        };
        for key in order {
            let Some(item) = self.allocators.get(key) else {
                continue;
            };
            if !item.ready {
                trace.skipped.push((key.clone(), AllocError::NotReady));
                continue;
            }
            match item.range.allocate_next_with(taken, rng, quirks) {
                Ok(pick) => return (Ok(pick), trace),
                Err(e @ (AllocError::Full | AllocError::NotReady)) => {
                    trace.skipped.push((key.clone(), e));
                }
                Err(e) if quirks.skip_all_errors => trace.skipped.push((key.clone(), e)),
                Err(e) => return (Err(e), trace),
            }
        }
        (Err(AllocError::Full), trace)
    }

    /// Where a release goes: any allocator (ready or not) containing the
    /// address; none -> ErrMismatchedNetwork (which the Service delete path
    /// ignores, leaving the IPAddress to the repair loop).
    pub fn release_target(&self, addr: Addr) -> Result<Prefix, AllocError> {
        self.allocator_for(addr, false)
            .map(|item| item.range.prefix())
            .ok_or(AllocError::MismatchedNetwork)
    }

    /// Whether a static request for `addr` would reach an allocator.
    pub fn is_ready_for(&self, addr: Addr) -> bool {
        self.allocator_for(addr, true).is_some()
    }

    /// Every allocator in key order.
    /// Server dry-run of a dynamic allocation: upstream delegates to an arbitrary
    /// allocator and returns its CIDR's network address without checking anything.
    /// None when no allocator exists (upstream's never-ready empty allocator).
    pub fn dry_run_address(&self) -> Option<Addr> {
        self.allocators
            .values()
            .next()
            .map(|item| Addr::new(self.family, item.range.prefix().network()))
    }

    pub fn cidrs(&self) -> Vec<CidrInfo> {
        self.allocators
            .iter()
            .map(|(cidr, item)| CidrInfo {
                cidr: cidr.clone(),
                ready: item.ready,
                names: item.names.iter().cloned().collect(),
                range: item.range,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Condition, Time};
    use crate::net::parse_ip;

    fn sc(name: &str, cidrs: &[&str], ready: Option<&str>, deleting: bool) -> ServiceCIDR {
        let mut s = ServiceCIDR::default();
        s.metadata.name = name.into();
        s.spec.cidrs = cidrs.iter().map(|c| c.to_string()).collect();
        if let Some(status) = ready {
            s.status.conditions.push(Condition {
                type_: "Ready".into(),
                status: status.into(),
                ..Default::default()
            });
        }
        if deleting {
            s.metadata.deletion_timestamp = Some(Time(10));
        }
        s
    }

    #[test]
    fn readiness_of_a_service_cidr() {
        assert!(service_cidr_ready(&sc("a", &[], None, false)));
        assert!(service_cidr_ready(&sc("a", &[], Some("True"), false)));
        assert!(!service_cidr_ready(&sc("a", &[], Some("False"), false)));
        assert!(!service_cidr_ready(&sc("a", &[], Some("Unknown"), false)));
        assert!(!service_cidr_ready(&sc("a", &[], Some("True"), true)));
        assert!(!service_cidr_ready(&sc("a", &[], None, true)));
    }

    #[test]
    fn sync_service_cidr_takes_only_its_family() {
        let mut m = MetaAllocator::new(Family::IPv6);
        let s = sc("d", &["10.0.0.0/24", "fd00::/120"], None, false);
        m.sync_service_cidr(&s).unwrap();
        let rows = m.cidrs();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].cidr, "fd00::/120");
        assert!(rows[0].ready);
    }

    #[test]
    fn short_ipv6_is_skipped_but_other_cidrs_are_kept() {
        let mut m = MetaAllocator::new(Family::IPv6);
        let err = m
            .sync("x", &["fd00::/48".into(), "fd01::/112".into()], true)
            .unwrap_err();
        assert_eq!(err, AllocError::PrefixTooShort(48));
        assert_eq!(m.cidrs().len(), 1);
        assert!(m.get("fd00::/48").is_none());
    }

    #[test]
    fn state_round_trips_through_serde() {
        let mut m = MetaAllocator::new(Family::IPv4);
        m.sync("a", &["10.0.0.0/24".into()], true).unwrap();
        m.sync("b", &["10.0.0.0/24".into()], false).unwrap();
        let j = serde_json::to_value(&m).unwrap();
        let back: MetaAllocator = serde_json::from_value(j).unwrap();
        assert_eq!(back, m);
        let mut rng = Rng::from_seed(1);
        let t = TakenSet::new();
        assert!(back.release_target(parse_ip("10.0.0.9").unwrap()).is_ok());
        assert!(back.allocate_next_service(&t, &mut rng).is_ok());
    }
}
