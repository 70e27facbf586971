//! kube-apiserver's ipallocator-repair-controller (RepairIPAddress): makes
//! every Service ClusterIP have an IPAddress naming that Service, and removes
//! IPAddresses that no Service uses (after a 60 s grace, so an allocation in
//! flight is not mistaken for a leak).

use crate::cluster::{Cluster, Reporter, Task, UserInfo};
use crate::model::event::EVENT_TYPE_WARNING;
use crate::model::ipaddress::{IPALLOCATOR_CONTROLLER_NAME, LABEL_IP_FAMILY, LABEL_MANAGED_BY};
use crate::model::{
    ApiError, IPAddress, ObjectReference, ParentReference, Resource, Service, Time,
};
use crate::net::{parse_service_ip, Addr};
use serde_json::Value;

pub const REPAIR_CONTROLLER: &str = "ipallocator-repair-controller";
/// An IPAddress whose Service is missing is a leak only once it is this old.
pub const LEAK_GRACE_MS: i64 = 60_000;
/// An IPAddress newer than its Service that the Service does not list yet is
/// given this long before it is called a wrong reference (fix for a race, PR
/// #132906): the value of the releases that have it (`Release::wrong_reference_delay_ms`).
pub const WRONG_REFERENCE_DELAY_MS: i64 = 5_000;

fn service_ref(svc: &Service) -> ObjectReference {
    ObjectReference {
        kind: "Service".into(),
        namespace: svc.metadata.namespace.clone(),
        name: svc.metadata.name.clone(),
        uid: svc.metadata.uid.clone(),
        api_version: "v1".into(),
        resource_version: svc.metadata.resource_version.clone(),
    }
}

fn ip_ref(ip: &IPAddress) -> ObjectReference {
    ObjectReference {
        kind: "IPAddress".into(),
        name: ip.metadata.name.clone(),
        uid: ip.metadata.uid.clone(),
        api_version: ip.api_version.clone(),
        resource_version: ip.metadata.resource_version.clone(),
        ..Default::default()
    }
}

/// Go's %v of a *ParentReference (UNVERIFIED that upstream prints the pointer this way).
fn parent_ref_text(p: Option<&ParentReference>) -> String {
    match p {
        Some(p) => format!("&{{{} {} {} {}}}", p.group, p.resource, p.namespace, p.name),
        None => "<nil>".into(),
    }
}

fn created_ms(t: Option<Time>) -> i64 {
    t.map(|t| t.seconds().saturating_mul(1000)).unwrap_or(0)
}

impl Cluster {
    fn event(&mut self, r: ObjectReference, reason: &str, action: &str, note: String) {
        self.record_event(
            r,
            EVENT_TYPE_WARNING,
            reason,
            action,
            note,
            &Reporter {
                controller: REPAIR_CONTROLLER,
                user: UserInfo::apiserver(),
            },
        );
    }

    /// Deletes the IPAddress of `addr` (if any) and creates it anew for `svc`,
    /// as the loop's client does (system:apiserver).
    /// Errors are returned as well as traced: the first pass stops at the
    /// first one (upstream's doRunOnce returns it), later passes carry on.
    fn recreate_ip_address(&mut self, addr: Addr, svc: &Service) -> Result<(), ApiError> {
        let name = addr.to_string();
        if self.listers().ip_address(&name).is_some() {
            self.remove_ip_address(&name)?;
        }
        let ip = self.allocator_ip_address(addr, &svc.metadata.namespace, &svc.metadata.name);
        if let Err(e) = self.client_create(UserInfo::apiserver(), &ip) {
            self.client_failed(
                REPAIR_CONTROLLER,
                &format!("recreating IPAddress {name}"),
                &e,
            );
            return Err(e);
        }
        Ok(())
    }

    fn remove_ip_address(&mut self, name: &str) -> Result<(), ApiError> {
        if let Err(e) = self.client_delete(UserInfo::apiserver(), Resource::IPAddresses, "", name) {
            self.client_failed(REPAIR_CONTROLLER, &format!("deleting IPAddress {name}"), &e);
            return Err(e);
        }
        Ok(())
    }

    /// Whether the Service worker would find nothing to do for this key: the
    /// Service is gone or has no ClusterIP, or every ClusterIP is in a ServiceCIDR
    /// and has an IPAddress with the allocator's labels naming this Service.
    /// Checked on borrowed objects first, since that is every write's case.
    fn service_needs_no_repair(&self, ns: &str, name: &str) -> bool {
        let l = self.listers();
        let Some(svc) = l.service(ns, name) else {
            return true;
        };
        if svc.spec.cluster_ip.is_empty() || svc.spec.cluster_ip == "None" {
            return true;
        }
        svc.spec.cluster_ips.iter().all(|ip_text| {
            let Some(addr) = parse_service_ip(ip_text) else {
                return false;
            };
            if !l.service_cidrs().any(|sc| sc.contains_service_ip(addr)) {
                return false;
            }
            let Some(ip) = l.ip_address(&addr.to_string()) else {
                return false;
            };
            ip.spec
                .parent_ref
                .as_ref()
                .is_some_and(|p| p.is_core_service() && p.namespace == ns && p.name == name)
                && ip.metadata.labels.get(LABEL_IP_FAMILY).map(String::as_str)
                    == Some(addr.family.as_str())
                && ip.metadata.labels.get(LABEL_MANAGED_BY).map(String::as_str)
                    == Some(IPALLOCATOR_CONTROLLER_NAME)
        })
    }

    /// Whether the IPAddress worker would find nothing to do: the IPAddress is
    /// gone, not the allocator's, or its Service exists and lists it.
    fn ip_address_needs_no_repair(&self, name: &str) -> bool {
        let l = self.listers();
        let Some(ip) = l.ip_address(name) else {
            return true;
        };
        if ip.metadata.labels.get(LABEL_MANAGED_BY).map(String::as_str)
            != Some(IPALLOCATOR_CONTROLLER_NAME)
        {
            return true;
        }
        let Some(p) = ip.spec.parent_ref.as_ref().filter(|p| p.is_core_service()) else {
            return false;
        };
        l.service(&p.namespace, &p.name).is_some_and(|svc| {
            svc.spec
                .cluster_ips
                .iter()
                .any(|c| parse_service_ip(c).map(|a| a.to_string()).as_deref() == Some(name))
        })
    }

    /// The Service worker.
    pub(crate) fn repair_service(&mut self, key: &str) -> Result<(), ApiError> {
        let Some((ns, name)) = key.split_once('/') else {
            return Ok(());
        };
        if self.service_needs_no_repair(ns, name) {
            return Ok(());
        }
        let Some(svc) = self.listers().service(ns, name).cloned() else {
            return Ok(());
        };
        if svc.spec.cluster_ip.is_empty() || svc.spec.cluster_ip == "None" {
            return Ok(());
        }
        for ip_text in svc.spec.cluster_ips.clone() {
            let Some(addr) = parse_service_ip(&ip_text) else {
                self.event(
                    service_ref(&svc),
                    "ClusterIPNotValid",
                    "ClusterIPValidation",
                    format!("Cluster IP {ip_text} is not a valid IP; please recreate Service"),
                );
                continue;
            };
            let family = addr.family;
            // Events print the parsed net.IP: `::ffff:10.96.0.3` reads 10.96.0.3 (IPv4).
            let ip_text = addr.to_string();
            let in_some_cidr = self
                .listers()
                .service_cidrs()
                .any(|sc| sc.contains_service_ip(addr));
            if !in_some_cidr {
                self.event(
                    service_ref(&svc),
                    "ClusterIPOutOfRange",
                    "ClusterIPAllocation",
                    format!("Cluster IP [{family}]: {ip_text} is not within any configured Service CIDR; please recreate service"),
                );
                continue;
            }
            let Some(ip) = self.listers().ip_address(&addr.to_string()).cloned() else {
                self.event(
                    service_ref(&svc),
                    "ClusterIPNotAllocated",
                    "ClusterIPAllocation",
                    format!("Cluster IP [{family}]: {ip_text} is not allocated; repairing"),
                );
                self.recreate_ip_address(addr, &svc)?;
                continue;
            };
            let parent = ip.spec.parent_ref.clone();
            let core_service = parent.as_ref().is_some_and(|p| p.is_core_service());
            if !core_service {
                self.event(
                    service_ref(&svc),
                    "ClusterIPNotAllocated",
                    "ClusterIPAllocation",
                    format!("the ClusterIP [{family}]: {ip_text} for Service {ns}/{name} has a wrong reference; repairing"),
                );
                self.recreate_ip_address(addr, &svc)?;
                continue;
            }
            let p = parent.unwrap_or_default();
            if p.namespace != ns || p.name != name {
                match self.listers().service(&p.namespace, &p.name).cloned() {
                    None => {
                        self.event(
                            service_ref(&svc),
                            "ClusterIPNotAllocated",
                            "ClusterIPAllocation",
                            format!("the ClusterIP [{family}]: {ip_text} for Service {ns}/{name} has a wrong reference; repairing"),
                        );
                        self.recreate_ip_address(addr, &svc)?;
                    }
                    Some(other)
                        if other
                            .spec
                            .cluster_ips
                            .iter()
                            .any(|c| parse_service_ip(c) == Some(addr)) =>
                    {
                        self.event(
                            service_ref(&svc),
                            "ClusterIPAlreadyAllocated",
                            "ClusterIPAllocation",
                            format!("Cluster IP [{family}]:{ip_text} was assigned to multiple services; please recreate service"),
                        );
                    }
                    // The IPAddress pass deletes it; the next Service pass recreates it for us.
                    Some(_) => {}
                }
                continue;
            }
            let labels_ok = ip.metadata.labels.get(LABEL_IP_FAMILY).map(String::as_str)
                == Some(family.as_str())
                && ip.metadata.labels.get(LABEL_MANAGED_BY).map(String::as_str)
                    == Some(IPALLOCATOR_CONTROLLER_NAME);
            if !labels_ok {
                self.trace_push(
                    REPAIR_CONTROLLER,
                    format!(
                        "IPAddress {} has wrong labels: recreating it",
                        ip.metadata.name
                    ),
                    Value::Null,
                );
                self.recreate_ip_address(addr, &svc)?;
            }
        }
        Ok(())
    }

    /// The IPAddress worker (managed IPAddresses only).
    pub(crate) fn repair_ip_address(&mut self, name: &str) -> Result<(), ApiError> {
        if self.ip_address_needs_no_repair(name) {
            return Ok(());
        }
        let Some(ip) = self.listers().ip_address(name).cloned() else {
            return Ok(());
        };
        if ip.metadata.labels.get(LABEL_MANAGED_BY).map(String::as_str)
            != Some(IPALLOCATOR_CONTROLLER_NAME)
        {
            return Ok(());
        }
        let parent = ip.spec.parent_ref.clone();
        let Some(p) = parent.filter(|p| p.is_core_service()) else {
            self.event(
                ip_ref(&ip),
                "IPAddressNotAllocated",
                "IPAddressAllocation",
                format!(
                    "IPAddress {name} appears to have been modified, not referencing a Service {}: cleaning up",
                    parent_ref_text(ip.spec.parent_ref.as_ref())
                ),
            );
            self.remove_ip_address(name)?;
            return Ok(());
        };
        let now = self.now_ms();
        let ip_created = created_ms(ip.metadata.creation_timestamp);
        let Some(svc) = self.listers().service(&p.namespace, &p.name).cloned() else {
            let age = now.saturating_sub(ip_created);
            // At exactly 60 s it counts as leaked: a virtual clock does not move on its
            // own, so "requeue after 0" at that instant would spin forever.
            if age >= LEAK_GRACE_MS {
                self.event(
                    ip_ref(&ip),
                    "IPAddressNotAllocated",
                    "IPAddressAllocation",
                    format!(
                        "IPAddress: {name} for Service {}/{} appears to have leaked: cleaning up",
                        p.namespace, p.name
                    ),
                );
                self.remove_ip_address(name)?;
            } else {
                self.trace_push(
                    REPAIR_CONTROLLER,
                    format!("IPAddress {name}: Service {}/{} not found; leaked unless it appears within {} ms", p.namespace, p.name, LEAK_GRACE_MS - age),
                    Value::Null,
                );
                self.enqueue(Task::RepairIPAddress(name.to_string()), LEAK_GRACE_MS - age);
            }
            return Ok(());
        };
        let listed = svc
            .spec
            .cluster_ips
            .iter()
            .any(|c| parse_service_ip(c).map(|a| a.to_string()).as_deref() == Some(name));
        if listed {
            return Ok(());
        }
        let svc_created = created_ms(svc.metadata.creation_timestamp);
        let age = now.saturating_sub(ip_created);
        // 0 before the fix (1.33.0–1.33.5): judged at once.
        let delay = self.release.wrong_reference_delay_ms;
        if ip_created > svc_created && age < delay {
            self.enqueue(Task::RepairIPAddress(name.to_string()), delay - age);
            return Ok(());
        }
        self.event(
            ip_ref(&ip),
            "IPAddressWrongReference",
            "IPAddressAllocation",
            format!(
                "IPAddress: {name} for Service {}/{} has a wrong reference; cleaning up",
                p.namespace, p.name
            ),
        );
        self.remove_ip_address(name)?;
        Ok(())
    }

    /// The resync: every Service, then every IPAddress. Later passes carry on
    /// past a failed write (the queue retries it).
    pub(crate) fn repair_full_pass(&mut self) {
        let _ = self.repair_pass(false);
    }

    /// One pass; with `stop_at_error` it ends at the first failed write and
    /// returns it, as upstream's runOnce does on the first pass after start-up
    /// (repairip.go doRunOnce: `if err != nil { return err }` per object).
    pub(crate) fn repair_pass(&mut self, stop_at_error: bool) -> Result<(), ApiError> {
        let keys: Vec<String> = self
            .listers()
            .services()
            .map(|s| format!("{}/{}", s.metadata.namespace, s.metadata.name))
            .collect();
        for k in keys {
            let r = self.repair_service(&k);
            if stop_at_error {
                r?;
            }
        }
        let names: Vec<String> = self
            .listers()
            .ip_addresses()
            .map(|ip| ip.metadata.name.clone())
            .collect();
        for n in names {
            let r = self.repair_ip_address(&n);
            if stop_at_error {
                r?;
            }
        }
        Ok(())
    }
}
