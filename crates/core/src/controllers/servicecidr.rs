//! kube-controller-manager's service-cidr-controller: keeps the protection
//! finalizer and the Ready condition on every ServiceCIDR, and lets a deleted
//! ServiceCIDR go only when no IPAddress would be orphaned, and never sooner
//! than 10 s after its deletionTimestamp.

use super::SERVICE_CIDRS_CONTROLLER_ACCOUNT;
use crate::cluster::{Cluster, Task, UserInfo};
use crate::model::servicecidr::{
    CONDITION_READY, REASON_TERMINATING, SERVICE_CIDR_PROTECTION_FINALIZER,
};
use crate::model::{ApiError, Condition, ServiceCIDR, Time};
use crate::net::{covering_service_prefix, Addr, Family};
use serde_json::{json, Value};

pub const CONTROLLER_NAME: &str = "service-cidr-controller";
/// deletionGracePeriod: how long after deletionTimestamp the finalizer may go.
pub const DELETION_GRACE_PERIOD_MS: i64 = 10_000;
pub const MESSAGE_READY: &str = "Kubernetes Service CIDR is ready";
pub const MESSAGE_TERMINATING: &str =
    "There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR";

/// What keeps a ServiceCIDR from being deleted, for pages (`blockingIPs` with totals).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BlockingIPs {
    /// Every blocking IP, however many `ips` lists.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    /// The first blocking IPs, ascending per CIDR, at most the caller's limit.
    pub ips: Vec<String>,
    /// Per family (IPv4 first), the smallest CIDR whose service range holds every
    /// blocking IP; empty when nothing blocks.
    pub covering: Vec<String>,
}

fn user() -> UserInfo {
    UserInfo::controller_service_account(SERVICE_CIDRS_CONTROLLER_ACCOUNT)
}

impl Cluster {
    /// The IPs that keep a ServiceCIDR from being deleted (the controller's canDelete,
    /// as a list; empty = it may go), at most `limit`, ascending per CIDR.
    pub fn blocking_ips(&self, name: &str, limit: usize) -> Result<Vec<String>, ApiError> {
        let sc = self
            .listers()
            .service_cidr(name)
            .ok_or_else(|| ApiError::not_found("servicecidrs", "networking.k8s.io", name))?;
        Ok(self.service_cidr_blocking_ips(sc, limit))
    }

    /// [`Cluster::blocking_ips`] with the true total and, per family, the smallest
    /// CIDR covering every blocking IP (not only the `limit` listed).
    pub fn blocking_ips_report(&self, name: &str, limit: usize) -> Result<BlockingIPs, ApiError> {
        let sc = self
            .listers()
            .service_cidr(name)
            .ok_or_else(|| ApiError::not_found("servicecidrs", "networking.k8s.io", name))?;
        Ok(self.service_cidr_blocking_report(sc, limit))
    }

    pub(crate) fn sync_service_cidr(&mut self, name: &str) {
        let Some(sc) = self.listers().service_cidr(name) else {
            return;
        };
        // Every managed IPAddress write queues its ServiceCIDR: the common case, a
        // ready ServiceCIDR with its finalizer, is decided without a copy.
        let settled = sc.metadata.deletion_timestamp.is_none()
            && sc
                .metadata
                .finalizers
                .iter()
                .any(|f| f == SERVICE_CIDR_PROTECTION_FINALIZER)
            && sc
                .status
                .conditions
                .iter()
                .find(|c| c.type_ == CONDITION_READY)
                .is_some_and(|c| {
                    c.status == "True" && c.reason.is_empty() && c.message == MESSAGE_READY
                });
        if settled {
            return;
        }
        let sc = sc.clone();
        if sc.metadata.deletion_timestamp.is_some() {
            self.sync_deleting_service_cidr(sc);
            return;
        }
        let mut updated = sc;
        if !updated
            .metadata
            .finalizers
            .iter()
            .any(|f| f == SERVICE_CIDR_PROTECTION_FINALIZER)
        {
            updated
                .metadata
                .finalizers
                .push(SERVICE_CIDR_PROTECTION_FINALIZER.to_string());
            self.trace_push(
                CONTROLLER_NAME,
                format!("ServiceCIDR {name}: adding finalizer {SERVICE_CIDR_PROTECTION_FINALIZER}"),
                Value::Null,
            );
            if let Err(e) = self.client_update(user(), &updated) {
                self.client_failed(CONTROLLER_NAME, "adding the finalizer", &e);
                return;
            }
            // Continue from what the write stored (its new resourceVersion).
            match self.listers().service_cidr(name) {
                Some(sc) => updated = sc.clone(),
                None => return,
            }
        }
        // Written only when status, reason or message differ, so lastTransitionTime is stable.
        if set_condition(&mut updated, "True", "", MESSAGE_READY, self.now_ms()) {
            self.trace_push(
                CONTROLLER_NAME,
                format!("ServiceCIDR {name}: Ready=True"),
                Value::Null,
            );
            if let Err(e) = self.client_update_status(user(), &updated) {
                self.client_failed(CONTROLLER_NAME, "setting Ready=True", &e);
            }
        }
    }

    fn sync_deleting_service_cidr(&mut self, sc: ServiceCIDR) {
        let name = sc.metadata.name.clone();
        let blocking = self.service_cidr_blocking_ips(&sc, 5);
        if !blocking.is_empty() {
            let mut updated = sc.clone();
            if set_condition(
                &mut updated,
                "False",
                REASON_TERMINATING,
                MESSAGE_TERMINATING,
                self.now_ms(),
            ) {
                if let Err(e) = self.client_update_status(user(), &updated) {
                    self.client_failed(CONTROLLER_NAME, "setting Ready=False", &e);
                }
            }
            self.trace_push(
                CONTROLLER_NAME,
                format!(
                    "ServiceCIDR {name} is terminating but cannot be deleted: {} only it contains (e.g. {})",
                    if blocking.len() == 1 { "an IPAddress" } else { "IPAddresses" },
                    blocking.join(", ")
                ),
                json!({"blockingIPs": blocking}),
            );
            // No timed requeue: IPAddress deletions and ServiceCIDR adds wake it up.
            return;
        }
        if !sc
            .metadata
            .finalizers
            .iter()
            .any(|f| f == SERVICE_CIDR_PROTECTION_FINALIZER)
        {
            return;
        }
        let deleted_ms = sc
            .metadata
            .deletion_timestamp
            .map(|t| t.seconds().saturating_mul(1000))
            .unwrap_or(0);
        let wait = deleted_ms
            .saturating_add(DELETION_GRACE_PERIOD_MS)
            .saturating_sub(self.now_ms());
        if wait > 0 {
            self.trace_push(
                CONTROLLER_NAME,
                format!(
                    "ServiceCIDR {name} can be deleted; waiting {} ms for the 10 s grace period",
                    wait
                ),
                Value::Null,
            );
            self.enqueue(Task::ServiceCidr(name), wait);
            return;
        }
        let mut updated = sc;
        updated
            .metadata
            .finalizers
            .retain(|f| f != SERVICE_CIDR_PROTECTION_FINALIZER);
        self.trace_push(
            CONTROLLER_NAME,
            format!("ServiceCIDR {name}: removing finalizer"),
            Value::Null,
        );
        // The apiserver deletes the object once its last finalizer is gone.
        if let Err(e) = self.client_update(user(), &updated) {
            self.client_failed(CONTROLLER_NAME, "removing the finalizer", &e);
        }
    }

    /// canDelete, answered as "which IPs block it" (empty = can delete), at most `limit`.
    pub fn service_cidr_blocking_ips(&self, sc: &ServiceCIDR, limit: usize) -> Vec<String> {
        let mut out = Vec::new();
        for (family, lo, hi) in self.blocking_intervals(sc) {
            let set = self.listers().managed_ips(family);
            let mut from = lo;
            while out.len() < limit {
                let Some(v) = set.first_taken_in(from, hi) else {
                    break;
                };
                out.push(Addr::new(family, v).to_string());
                match v.checked_add(1) {
                    Some(n) if n <= hi => from = n,
                    _ => break,
                }
            }
        }
        out
    }

    /// The whole canDelete answer for a page: how many IPs block (all of them, not
    /// just the listed ones), the first `limit` of them, and per family the smallest
    /// CIDR whose service range holds every blocking IP (a ServiceCIDR there would
    /// let this one go).
    pub fn service_cidr_blocking_report(&self, sc: &ServiceCIDR, limit: usize) -> BlockingIPs {
        let intervals = self.blocking_intervals(sc);
        let mut total: u128 = 0;
        // Per family: the lowest and the highest blocking value.
        let mut spans: Vec<(Family, u128, u128)> = Vec::new();
        for &(family, lo, hi) in &intervals {
            let set = self.listers().managed_ips(family);
            total = total.saturating_add(set.count_in(lo, hi));
            let (Some(min), Some(max)) = (set.first_taken_in(lo, hi), set.last_taken_in(lo, hi))
            else {
                continue;
            };
            match spans.iter_mut().find(|(f, _, _)| *f == family) {
                Some(span) => {
                    span.1 = span.1.min(min);
                    span.2 = span.2.max(max);
                }
                None => spans.push((family, min, max)),
            }
        }
        BlockingIPs {
            total: u64::try_from(total).unwrap_or(u64::MAX),
            ips: self.service_cidr_blocking_ips(sc, limit),
            covering: spans
                .into_iter()
                .filter_map(|(family, min, max)| {
                    covering_service_prefix(Addr::new(family, min), Addr::new(family, max))
                })
                .map(|p| p.to_string())
                .collect(),
        }
    }

    /// Where blocking IPs can lie: per CIDR of `sc`, its service interval minus the
    /// service intervals of every other ServiceCIDR (ascending, per CIDR; empty when
    /// each CIDR has a parent).
    ///
    /// Upstream lists every managed IPAddress of the family and, per IP, every
    /// ServiceCIDR containing it. Equivalent and O(#ServiceCIDRs · log n): an IP
    /// blocks iff it is managed, contained by this ServiceCIDR, and contained by
    /// no other one — i.e. it lies in this CIDR's service interval minus the union
    /// of the other ServiceCIDRs' service intervals. So query the managed-IP index
    /// over those uncovered gaps only.
    fn blocking_intervals(&self, sc: &ServiceCIDR) -> Vec<(Family, u128, u128)> {
        let mine = sc.prefixes();
        // 1. Every CIDR has a parent (another ServiceCIDR with a containing prefix) → can delete.
        let all_have_parent = !mine.is_empty()
            && mine.iter().all(|p| {
                self.listers()
                    .service_cidrs()
                    .filter(|o| o.metadata.name != sc.metadata.name)
                    .any(|o| o.prefixes().iter().any(|op| op.contains_prefix(*p)))
            });
        if all_have_parent {
            return Vec::new();
        }
        let mut gaps = Vec::new();
        for p in &mine {
            let Some((lo, hi)) = p.service_range() else {
                continue;
            };
            let mut covers: Vec<(u128, u128)> = self
                .listers()
                .service_cidrs()
                .filter(|o| o.metadata.name != sc.metadata.name)
                .flat_map(|o| o.prefixes())
                .filter(|op| op.family() == p.family())
                .filter_map(|p| p.service_range())
                .filter(|(a, b)| *b >= lo && *a <= hi)
                .collect();
            crate::sort::sort(&mut covers);
            let mut cursor = lo;
            for (a, b) in covers {
                if a > cursor {
                    gaps.push((p.family(), cursor, a - 1));
                }
                if b >= cursor {
                    match b.checked_add(1) {
                        Some(n) => cursor = n,
                        None => {
                            cursor = hi.saturating_add(1);
                            break;
                        }
                    }
                }
                if cursor > hi {
                    break;
                }
            }
            if cursor <= hi && cursor >= lo {
                gaps.push((p.family(), cursor, hi));
            }
        }
        // Every gap lies within its CIDR's [lo, hi]: covers start at or below hi.
        gaps
    }
}

/// Sets the Ready condition; true when something changed (status, reason or message).
fn set_condition(
    sc: &mut ServiceCIDR,
    status: &str,
    reason: &str,
    message: &str,
    now_ms: i64,
) -> bool {
    let now = Time::from_millis(now_ms);
    match sc
        .status
        .conditions
        .iter_mut()
        .find(|c| c.type_ == CONDITION_READY)
    {
        Some(c) if c.status == status && c.reason == reason && c.message == message => false,
        Some(c) => {
            // The controller applies the whole condition with lastTransitionTime = now.
            c.last_transition_time = now;
            c.status = status.into();
            c.reason = reason.into();
            c.message = message.into();
            true
        }
        None => {
            sc.status.conditions.push(Condition {
                type_: CONDITION_READY.into(),
                status: status.into(),
                observed_generation: None,
                last_transition_time: now,
                reason: reason.into(),
                message: message.into(),
            });
            true
        }
    }
}
