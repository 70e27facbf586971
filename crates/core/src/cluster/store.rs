//! The object store (what etcd holds), the cluster-wide resourceVersion
//! counter, the watch log, and the "informer" hooks: every write updates the
//! allocator indexes and enqueues the controllers that watch that kind, in the
//! same step, so no one rescans the world.

use super::generic::GenericObject;
use super::{Cluster, Task, EVENT_LIMIT, WATCH_LOG_LIMIT};
use crate::model::ipaddress::{IPALLOCATOR_CONTROLLER_NAME, LABEL_IP_FAMILY, LABEL_MANAGED_BY};
use crate::model::servicecidr::DEFAULT_SERVICE_CIDR_NAME;
use crate::model::{ApiError, Event, IPAddress, Resource, Service, ServiceCIDR};
use crate::net::{parse_cidr, parse_ip, Addr};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WatchEvent {
    pub rv: u64,
    #[serde(rename = "type")]
    pub type_: String,
    pub object: WatchObject,
}

/// The object of a watch event, kept typed: turning every write into a JSON tree
/// up front cost about half of a write, and most events are never read.
/// Serialises as the object itself, so snapshots hold plain Kubernetes JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "KubeObject"))]
pub enum WatchObject {
    Service(Box<Service>),
    ServiceCIDR(Box<ServiceCIDR>),
    IPAddress(Box<IPAddress>),
    /// An object of a generic kind (admission policies, ConfigMaps), as stored.
    Generic(
        // Kept as JSON: only its type and object metadata are known (model::RESOURCES).
        #[cfg_attr(
            feature = "ts",
            ts(
                type = r#"{ apiVersion: string, kind: "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding" | "ConfigMap", metadata: ObjectMeta } & { [key in string]: JsonValue }"#
            )
        )]
        Box<Value>,
    ),
}

impl<'de> Deserialize<'de> for WatchObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let v = Value::deserialize(d)?;
        let kind = v
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match kind.as_str() {
            "Service" => serde_json::from_value(v).map(|o| WatchObject::Service(Box::new(o))),
            "ServiceCIDR" => {
                serde_json::from_value(v).map(|o| WatchObject::ServiceCIDR(Box::new(o)))
            }
            "IPAddress" => serde_json::from_value(v).map(|o| WatchObject::IPAddress(Box::new(o))),
            k if crate::model::RESOURCES
                .iter()
                .any(|r| r.kind == k && r.resource.is_generic()) =>
            {
                Ok(WatchObject::Generic(Box::new(v)))
            }
            _ => {
                return Err(D::Error::custom(format!(
                    "watch event of unknown kind {kind:?}"
                )))
            }
        }
        .map_err(D::Error::custom)
    }
}

/// A watch-log entry as kept. While the store still holds the object of an
/// ADDED or MODIFIED event at that resourceVersion, the entry names where it is
/// stored instead of holding a copy; the write that replaces or removes the
/// object hands the old one to the entry ([`Store::detach`]). Copying every
/// written Service and IPAddress into the log cost about a tenth of a create.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LogEntry {
    pub rv: u64,
    pub type_: std::borrow::Cow<'static, str>,
    pub object: LogObject,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum LogObject {
    Owned(WatchObject),
    /// The Service stored under (namespace, name), whose resourceVersion is the entry's.
    Service(String, String),
    /// The IPAddress stored under this name, whose resourceVersion is the entry's.
    IPAddress(String),
}

/// A watch object borrowed from the log or the store; serialises as [`WatchObject`] does.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum WatchObjectRef<'a> {
    Service(&'a Service),
    ServiceCIDR(&'a ServiceCIDR),
    IPAddress(&'a IPAddress),
    Generic(&'a Value),
}

impl<'a> WatchObjectRef<'a> {
    pub(crate) fn of(o: &'a WatchObject) -> WatchObjectRef<'a> {
        match o {
            WatchObject::Service(s) => WatchObjectRef::Service(s),
            WatchObject::ServiceCIDR(s) => WatchObjectRef::ServiceCIDR(s),
            WatchObject::IPAddress(s) => WatchObjectRef::IPAddress(s),
            WatchObject::Generic(v) => WatchObjectRef::Generic(v),
        }
    }

    pub(crate) fn to_owned(self) -> WatchObject {
        match self {
            WatchObjectRef::Service(s) => WatchObject::Service(Box::new(s.clone())),
            WatchObjectRef::ServiceCIDR(s) => WatchObject::ServiceCIDR(Box::new(s.clone())),
            WatchObjectRef::IPAddress(s) => WatchObject::IPAddress(Box::new(s.clone())),
            WatchObjectRef::Generic(v) => WatchObject::Generic(Box::new(v.clone())),
        }
    }
}

/// A watch event borrowed from the log; serialises as [`WatchEvent`] does.
#[derive(Serialize)]
pub(crate) struct WatchEventRef<'a> {
    pub rv: u64,
    #[serde(rename = "type")]
    pub type_: &'a str,
    pub object: WatchObjectRef<'a>,
}

/// One change as `watch()` shows it (no rv); serialises as views::WatchEvent does.
#[derive(Serialize)]
struct WatchChange<'a> {
    #[serde(rename = "type")]
    type_: &'a str,
    object: WatchObjectRef<'a>,
}

fn event_type(t: String) -> std::borrow::Cow<'static, str> {
    match t.as_str() {
        "ADDED" => "ADDED".into(),
        "MODIFIED" => "MODIFIED".into(),
        "DELETED" => "DELETED".into(),
        _ => t.into(),
    }
}

impl From<WatchEvent> for LogEntry {
    fn from(e: WatchEvent) -> LogEntry {
        LogEntry {
            rv: e.rv,
            type_: event_type(e.type_),
            object: LogObject::Owned(e.object),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Store {
    /// The last resourceVersion handed out (etcd's revision).
    pub rv: u64,
    /// namespace → name → Service: iteration order is kubectl's list order.
    pub services: BTreeMap<String, BTreeMap<String, Service>>,
    pub service_cidrs: BTreeMap<String, ServiceCIDR>,
    pub ip_addresses: BTreeMap<String, IPAddress>,
    pub events: VecDeque<Event>,
    pub(crate) watch_log: VecDeque<LogEntry>,
    /// Objects of the generic kinds: resource → (namespace, name) → object.
    pub generic: BTreeMap<Resource, BTreeMap<(String, String), Value>>,
}

/// One listed object, borrowed from the store; serialises as the object.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(untagged)]
pub enum ListedObject<'a> {
    Service(&'a Service),
    ServiceCIDR(&'a ServiceCIDR),
    IPAddress(&'a IPAddress),
    Event(&'a Event),
    Generic(&'a Value),
}

/// What a list read: the objects (borrowed), and the clock and resourceVersion at the read.
#[derive(Clone, Debug)]
pub struct Listing<'a> {
    pub items: Vec<ListedObject<'a>>,
    pub now_ms: i64,
    pub resource_version: String,
}

/// Namespaces a fresh kubeadm/kind cluster has. Namespaces are not simulated as
/// objects; writes into any other namespace fail as NamespaceLifecycle makes them.
pub const NAMESPACES: &[&str] = &["default", "kube-node-lease", "kube-public", "kube-system"];

impl Store {
    pub fn mark(&self) -> u64 {
        self.rv
    }

    pub fn changed_since(&self, mark: &u64) -> bool {
        self.rv != *mark
    }

    pub fn service(&self, ns: &str, name: &str) -> Option<&Service> {
        self.services.get(ns).and_then(|m| m.get(name))
    }

    pub fn services_iter(&self) -> impl Iterator<Item = &Service> {
        self.services.values().flat_map(|m| m.values())
    }

    pub fn service_count(&self) -> usize {
        self.services.values().map(|m| m.len()).sum()
    }

    pub fn get_value(&self, r: Resource, ns: &str, name: &str) -> Result<Value, ApiError> {
        let info = r.info();
        let v = match r {
            Resource::Services => self.service(ns, name).map(serde_json::to_value),
            Resource::ServiceCIDRs => self.service_cidrs.get(name).map(serde_json::to_value),
            Resource::IPAddresses => self.ip_addresses.get(name).map(serde_json::to_value),
            Resource::Events => self
                .events
                .iter()
                .find(|e| e.metadata.name == name && e.metadata.namespace == ns)
                .map(serde_json::to_value),
            r => self.generic_object(r, ns, name).cloned().map(Ok),
        };
        match v {
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(ApiError::internal(e)),
            None => Err(ApiError::not_found(info.plural, info.group, name)),
        }
    }

    /// Objects of one resource, sorted as the apiserver lists them (namespace, then name).
    /// `namespace` None lists all namespaces.
    pub fn list_values(&self, r: Resource, namespace: Option<&str>) -> Vec<Value> {
        self.listed(r, namespace)
            .into_iter()
            .filter_map(|o| serde_json::to_value(o).ok())
            .collect()
    }

    /// [`Store::list_values`] as JSON text (an array), the same bytes as that list's
    /// `serde_json::to_string`, written from the typed objects without the `Value` trees
    /// (5–10× cheaper; issue #14).
    pub fn list_json(&self, r: Resource, namespace: Option<&str>) -> String {
        let items = self.listed(r, namespace);
        let mut w = crate::sorted_json::Writer::with_capacity(items.len() * 1024 + 2);
        w.raw("[");
        for o in items {
            let mark = w.len();
            if mark > 1 {
                w.raw(",");
            }
            // As list_values' filter_map: an object that cannot be written is left out.
            if w.push(&o).is_err() {
                w.truncate(mark);
            }
        }
        w.raw("]");
        w.into_string()
    }

    /// The objects [`Store::list_values`] lists, in its order.
    pub(crate) fn listed(&self, r: Resource, namespace: Option<&str>) -> Vec<ListedObject<'_>> {
        let ns_ok = |ns: &str| namespace.is_none_or(|n| n == ns);
        match r {
            Resource::Services => self
                .services
                .iter()
                .filter(|(ns, _)| ns_ok(ns))
                .flat_map(|(_, m)| m.values())
                .map(ListedObject::Service)
                .collect(),
            Resource::ServiceCIDRs => self
                .service_cidrs
                .values()
                .map(ListedObject::ServiceCIDR)
                .collect(),
            Resource::IPAddresses => self
                .ip_addresses
                .values()
                .map(ListedObject::IPAddress)
                .collect(),
            Resource::ValidatingAdmissionPolicies
            | Resource::ValidatingAdmissionPolicyBindings
            | Resource::ConfigMaps => self
                .generic
                .get(&r)
                .into_iter()
                .flat_map(|m| m.iter())
                .filter(|((ns, _), _)| ns_ok(ns))
                .map(|(_, v)| ListedObject::Generic(v))
                .collect(),
            Resource::Events => {
                let mut evs: Vec<&Event> = self
                    .events
                    .iter()
                    .filter(|e| ns_ok(&e.metadata.namespace))
                    .collect();
                crate::sort::sort_by(&mut evs, |a, b| {
                    (&a.metadata.namespace, &a.metadata.name)
                        .cmp(&(&b.metadata.namespace, &b.metadata.name))
                });
                evs.into_iter().map(ListedObject::Event).collect()
            }
        }
    }

    /// One object of a generic kind (`ns` is "" for cluster-scoped kinds).
    pub fn generic_object(&self, r: Resource, ns: &str, name: &str) -> Option<&Value> {
        let ns = if r.info().namespaced { ns } else { "" };
        self.generic
            .get(&r)
            .and_then(|m| m.get(&(ns.to_string(), name.to_string())))
    }

    /// Every object of a generic kind, ordered by namespace and name.
    pub fn generic_objects(&self, r: Resource) -> impl Iterator<Item = &Value> {
        self.generic.get(&r).into_iter().flat_map(|m| m.values())
    }

    pub fn watch_since(&self, since: u64) -> Result<Vec<Value>, ApiError> {
        if let Some(first) = self.watch_log.front() {
            // The log no longer holds every event after `since`.
            if since + 1 < first.rv && since < self.rv {
                return Err(ApiError::new(
                    410,
                    "Expired",
                    format!("too old resource version: {since} ({})", first.rv - 1),
                ));
            }
        }
        let start = self.watch_log.partition_point(|e| e.rv <= since);
        Ok(self
            .watch_log
            .iter()
            .skip(start)
            .filter_map(|e| {
                serde_json::to_value(WatchChange {
                    type_: &e.type_,
                    object: self.watch_object(e)?,
                })
                .ok()
            })
            .collect())
    }

    /// The object of a log entry (None only if the store lost a referenced object,
    /// which every write path prevents).
    pub(crate) fn watch_object<'a>(&'a self, e: &'a LogEntry) -> Option<WatchObjectRef<'a>> {
        match &e.object {
            LogObject::Owned(o) => Some(WatchObjectRef::of(o)),
            LogObject::Service(ns, name) => self.service(ns, name).map(WatchObjectRef::Service),
            LogObject::IPAddress(name) => {
                self.ip_addresses.get(name).map(WatchObjectRef::IPAddress)
            }
        }
    }

    /// Every entry of the log as a borrowed event.
    pub(crate) fn watch_events(&self) -> impl Iterator<Item = WatchEventRef<'_>> {
        self.watch_log.iter().filter_map(|e| {
            Some(WatchEventRef {
                rv: e.rv,
                type_: &e.type_,
                object: self.watch_object(e)?,
            })
        })
    }

    /// Hands `old` — the object just replaced or removed, stored at `old_rv` — to
    /// the log entry that references it, if that entry is still in the log.
    fn detach(&mut self, old_rv: &str, old: impl FnOnce() -> WatchObject) {
        let Ok(rv) = old_rv.parse::<u64>() else {
            return;
        };
        let i = self.watch_log.partition_point(|e| e.rv < rv);
        if let Some(e) = self.watch_log.get_mut(i) {
            if e.rv == rv && !matches!(e.object, LogObject::Owned(_)) {
                e.object = LogObject::Owned(old());
            }
        }
    }

    /// Gives every log entry that references a stored object its own copy (before
    /// the stored objects change without a write of their own).
    pub(crate) fn detach_all(&mut self) {
        for i in 0..self.watch_log.len() {
            let e = &self.watch_log[i];
            if matches!(e.object, LogObject::Owned(_)) {
                continue;
            }
            if let Some(o) = self.watch_object(e).map(WatchObjectRef::to_owned) {
                self.watch_log[i].object = LogObject::Owned(o);
            }
        }
    }

    fn next_rv(&mut self) -> u64 {
        self.rv += 1;
        self.rv
    }

    fn log(&mut self, rv: u64, type_: &'static str, object: WatchObject) {
        self.log_entry(rv, type_, LogObject::Owned(object));
    }

    fn log_entry(&mut self, rv: u64, type_: &'static str, object: LogObject) {
        self.watch_log.push_back(LogEntry {
            rv,
            type_: type_.into(),
            object,
        });
        while self.watch_log.len() > WATCH_LOG_LIMIT {
            self.watch_log.pop_front();
        }
    }

    pub fn add_event(&mut self, mut ev: Event) {
        let rv = self.next_rv();
        ev.metadata.resource_version = rv.to_string();
        self.events.push_back(ev);
        while self.events.len() > EVENT_LIMIT {
            self.events.pop_front();
        }
    }
}

/// The family an IPAddress name stands for, when it is an IP.
pub(crate) fn ip_of_name(name: &str) -> Option<Addr> {
    parse_ip(name)
}

/// IPAddresses the ServiceCIDR controller and repair loop look at: managed by the
/// ClusterIP allocator, with a family label that matches the address.
pub(crate) fn is_managed(ip: &IPAddress, addr: Addr) -> bool {
    ip.metadata.labels.get(LABEL_MANAGED_BY).map(String::as_str)
        == Some(IPALLOCATOR_CONTROLLER_NAME)
        && ip.metadata.labels.get(LABEL_IP_FAMILY).map(String::as_str) == Some(addr.family.as_str())
}

impl Cluster {
    // ----- Services -----

    pub(crate) fn store_put_service(&mut self, svc: Service) -> Service {
        self.store_put_service_ref(svc).clone()
    }

    /// Stores a Service at a new resourceVersion; the answer is the stored object.
    pub(crate) fn store_put_service_ref(&mut self, mut svc: Service) -> &Service {
        let rv = self.store.next_rv();
        svc.metadata.resource_version = rv.to_string();
        let ns = svc.metadata.namespace.clone();
        let name = svc.metadata.name.clone();
        self.enqueue(Task::RepairService(format!("{ns}/{name}")), 0);
        let old = self
            .store
            .services
            .entry(ns.clone())
            .or_default()
            .insert(name.clone(), svc);
        let type_ = match old {
            Some(old) => {
                let old_rv = old.metadata.resource_version.clone();
                self.store
                    .detach(&old_rv, || WatchObject::Service(Box::new(old)));
                "MODIFIED"
            }
            None => "ADDED",
        };
        self.store
            .log_entry(rv, type_, LogObject::Service(ns.clone(), name.clone()));
        &self.store.services[&ns][&name]
    }

    pub(crate) fn store_remove_service(&mut self, ns: &str, name: &str) -> Option<Service> {
        let mut svc = self.store.services.get_mut(ns)?.remove(name)?;
        if self.store.services.get(ns).is_some_and(|m| m.is_empty()) {
            self.store.services.remove(ns);
        }
        self.store.detach(&svc.metadata.resource_version, || {
            WatchObject::Service(Box::new(svc.clone()))
        });
        let rv = self.store.next_rv();
        svc.metadata.resource_version = rv.to_string();
        let value = WatchObject::Service(Box::new(svc.clone()));
        self.store.log(rv, "DELETED", value);
        self.enqueue(Task::RepairService(format!("{ns}/{name}")), 0);
        if ns == "default" && name == "kubernetes" {
            let delay = self.next_periodic_delay(super::bootstrap::KUBERNETES_SERVICE_SYNC_MS);
            self.enqueue(Task::KubernetesService, delay);
        }
        Some(svc)
    }

    // ----- ServiceCIDRs -----

    pub(crate) fn store_put_service_cidr(&mut self, mut sc: ServiceCIDR) -> ServiceCIDR {
        // Stored and returned in the release's preferred version.
        sc.api_version = self.release.networking_api_version();
        let rv = self.store.next_rv();
        sc.metadata.resource_version = rv.to_string();
        let name = sc.metadata.name.clone();
        let existed = self.store.service_cidrs.contains_key(&name);
        let value = WatchObject::ServiceCIDR(Box::new(sc.clone()));
        self.store
            .log(rv, if existed { "MODIFIED" } else { "ADDED" }, value);
        self.store.service_cidrs.insert(name.clone(), sc.clone());
        self.sync_meta_allocators(&sc);
        // service-cidr-controller: add → itself and every overlapping ServiceCIDR; update → itself.
        self.enqueue(Task::ServiceCidr(name.clone()), 0);
        if !existed {
            for other in self.overlapping_service_cidrs(&sc) {
                self.enqueue(Task::ServiceCidr(other), 0);
            }
        }
        sc
    }

    pub(crate) fn store_remove_service_cidr(&mut self, name: &str) -> Option<ServiceCIDR> {
        let mut sc = self.store.service_cidrs.remove(name)?;
        let rv = self.store.next_rv();
        sc.metadata.resource_version = rv.to_string();
        let value = WatchObject::ServiceCIDR(Box::new(sc.clone()));
        self.store.log(rv, "DELETED", value);
        for meta in self.allocators.values_mut() {
            meta.remove(name);
        }
        self.trace_push(
            "allocator",
            format!("ServiceCIDR {name} is gone: its CIDRs no longer back an allocator unless another ServiceCIDR holds them"),
            Value::Null,
        );
        self.enqueue(Task::ServiceCidr(name.to_string()), 0);
        if name == DEFAULT_SERVICE_CIDR_NAME {
            let delay = self.next_periodic_delay(super::bootstrap::DEFAULT_SERVICE_CIDR_SYNC_MS);
            self.enqueue(Task::DefaultServiceCidr, delay);
        }
        Some(sc)
    }

    // ----- generic kinds -----

    pub(crate) fn store_put_generic(&mut self, mut o: GenericObject) -> GenericObject {
        let rv = self.store.next_rv();
        o.metadata.resource_version = rv.to_string();
        let key = (o.metadata.namespace.clone(), o.metadata.name.clone());
        let value = o.to_value();
        let map = self.store.generic.entry(o.resource).or_default();
        let existed = map.insert(key, value.clone()).is_some();
        self.store.log(
            rv,
            if existed { "MODIFIED" } else { "ADDED" },
            WatchObject::Generic(Box::new(value)),
        );
        // The policy status controller's informer: every add and update.
        if o.resource == Resource::ValidatingAdmissionPolicies {
            self.enqueue(Task::PolicyStatus(o.metadata.name.clone()), 0);
        }
        o
    }

    pub(crate) fn store_remove_generic(
        &mut self,
        r: Resource,
        ns: &str,
        name: &str,
    ) -> Option<GenericObject> {
        let v = self
            .store
            .generic
            .get_mut(&r)?
            .remove(&(ns.to_string(), name.to_string()))?;
        let mut o = GenericObject::decode(r, v).ok()?;
        let rv = self.store.next_rv();
        o.metadata.resource_version = rv.to_string();
        self.store
            .log(rv, "DELETED", WatchObject::Generic(Box::new(o.to_value())));
        Some(o)
    }

    fn overlapping_service_cidrs(&self, sc: &ServiceCIDR) -> Vec<String> {
        let mine = sc.prefixes();
        self.store
            .service_cidrs
            .values()
            .filter(|o| o.metadata.name != sc.metadata.name)
            .filter(|o| {
                o.prefixes()
                    .iter()
                    .any(|p| mine.iter().any(|m| m.overlaps(*p)))
            })
            .map(|o| o.metadata.name.clone())
            .collect()
    }

    /// The MetaAllocators' own informer: each family's allocator syncs this ServiceCIDR.
    pub(crate) fn sync_meta_allocators(&mut self, sc: &ServiceCIDR) {
        let ready = crate::allocator::meta::service_cidr_ready(sc);
        let name = sc.metadata.name.clone();
        let mut notes = Vec::new();
        for (family, meta) in self.allocators.iter_mut() {
            let cidrs: Vec<String> = sc
                .spec
                .cidrs
                .iter()
                .filter(|c| parse_cidr(c).is_some_and(|p| p.family() == *family))
                .cloned()
                .collect();
            if cidrs.is_empty() {
                continue;
            }
            if let Err(e) = meta.sync(&name, &cidrs, ready) {
                notes.push(format!("ServiceCIDR {name}: {e}"));
            }
        }
        for n in notes {
            self.trace_push("allocator", n, Value::Null);
        }
    }

    // ----- IPAddresses -----

    pub(crate) fn store_put_ip_address(&mut self, ip: IPAddress) -> IPAddress {
        let name = ip.metadata.name.clone();
        self.store_put_ip_address_only(ip);
        self.store.ip_addresses[&name].clone()
    }

    /// Stores an IPAddress at a new resourceVersion (the allocator's writes, which need no answer).
    pub(crate) fn store_put_ip_address_only(&mut self, mut ip: IPAddress) {
        ip.api_version = self.release.networking_api_version();
        let rv = self.store.next_rv();
        ip.metadata.resource_version = rv.to_string();
        let name = ip.metadata.name.clone();
        let addr = ip_of_name(&name);
        let now_managed = addr.is_some_and(|a| is_managed(&ip, a));
        let old = self.store.ip_addresses.insert(name.clone(), ip);
        let existed = old.is_some();
        if let Some(old) = old {
            let old_rv = old.metadata.resource_version.clone();
            self.store
                .detach(&old_rv, || WatchObject::IPAddress(Box::new(old)));
        }
        self.store.log_entry(
            rv,
            if existed { "MODIFIED" } else { "ADDED" },
            LogObject::IPAddress(name.clone()),
        );
        if let Some(addr) = addr {
            self.taken.insert(addr);
            if now_managed {
                self.managed.insert(addr);
            } else {
                self.managed.remove(addr);
            }
            // The service-cidr-controller watches only adds and deletes of managed IPAddresses.
            if !existed && now_managed {
                self.enqueue_containing_service_cidrs(addr);
            }
        }
        self.enqueue(Task::RepairIPAddress(name), 0);
    }

    pub(crate) fn store_remove_ip_address(&mut self, name: &str) -> Option<IPAddress> {
        let mut ip = self.store.ip_addresses.remove(name)?;
        self.store.detach(&ip.metadata.resource_version, || {
            WatchObject::IPAddress(Box::new(ip.clone()))
        });
        let rv = self.store.next_rv();
        ip.metadata.resource_version = rv.to_string();
        let value = WatchObject::IPAddress(Box::new(ip.clone()));
        self.store.log(rv, "DELETED", value);
        if let Some(addr) = ip_of_name(name) {
            self.taken.remove(addr);
            let was_managed = self.managed.remove(addr);
            if was_managed && is_managed(&ip, addr) {
                self.enqueue_containing_service_cidrs(addr);
            }
        }
        self.enqueue(Task::RepairIPAddress(name.to_string()), 0);
        Some(ip)
    }

    fn enqueue_containing_service_cidrs(&mut self, addr: Addr) {
        let names: Vec<String> = self
            .store
            .service_cidrs
            .values()
            .filter(|sc| sc.contains_service_ip(addr))
            .map(|sc| sc.metadata.name.clone())
            .collect();
        for n in names {
            self.enqueue(Task::ServiceCidr(n), 0);
        }
    }

    /// Delay until the next tick of a periodic loop started at cluster creation
    /// (wait.Until-style loops run every `period`; ≥ 1 ms so it is "later").
    pub(crate) fn next_periodic_delay(&self, period_ms: i64) -> i64 {
        let since = self
            .clock
            .now_ms()
            .saturating_sub(self.config.started_ms)
            .max(0);
        let rem = period_ms - since.rem_euclid(period_ms);
        rem.clamp(1, period_ms)
    }
}

#[cfg(test)]
mod tests {
    use crate::cluster::{Cluster, ClusterOptions};
    use serde_json::{json, Value};

    fn cluster(version: &str) -> Cluster {
        Cluster::new(ClusterOptions {
            seed: Some(1.0),
            now: Some(json!("2024-01-01T00:00:00Z")),
            version: Some(version.into()),
            ..Default::default()
        })
        .expect("cluster")
    }

    /// The events of one object, as watch() shows them: (type, resourceVersion, labels).
    fn history(c: &Cluster, kind: &str, name: &str) -> Vec<(String, String, Value)> {
        c.watch(None)
            .expect("watch")
            .into_iter()
            .filter(|e| e["object"]["kind"] == kind && e["object"]["metadata"]["name"] == name)
            .map(|e| {
                let m = &e["object"]["metadata"];
                (
                    e["type"].as_str().unwrap_or("").to_string(),
                    m["resourceVersion"].as_str().unwrap_or("").to_string(),
                    m["labels"].clone(),
                )
            })
            .collect()
    }

    /// A watch-log entry that references the stored object keeps showing the object
    /// as it was written once a later write replaces or removes it.
    #[test]
    fn watch_events_keep_the_object_as_written() {
        let mut c = cluster("1.33");
        let svc = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":"default"},"spec":{"ports":[{"port":80}]}});
        let created = c.create(svc).expect("create");
        let mut changed = created.clone();
        changed["metadata"]["labels"] = json!({"x": "1"});
        let updated = c.update(changed).expect("update");
        let rv = |v: &Value| {
            v["metadata"]["resourceVersion"]
                .as_str()
                .unwrap_or("")
                .to_string()
        };
        let (rv1, rv2) = (rv(&created), rv(&updated));
        assert_eq!(
            history(&c, "Service", "a"),
            vec![
                ("ADDED".into(), rv1.clone(), Value::Null),
                ("MODIFIED".into(), rv2.clone(), json!({"x": "1"})),
            ]
        );
        c.delete("services", "a", Some("default")).expect("delete");
        let h = history(&c, "Service", "a");
        assert_eq!(h.len(), 3);
        assert_eq!(h[0], ("ADDED".into(), rv1, Value::Null));
        assert_eq!(h[1], ("MODIFIED".into(), rv2, json!({"x": "1"})));
        assert_eq!(h[2].0, "DELETED");
        // The IPAddress the create wrote, then released.
        let ip = created["spec"]["clusterIP"]
            .as_str()
            .expect("clusterIP")
            .to_string();
        let types: Vec<String> = history(&c, "IPAddress", &ip)
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(types, ["ADDED", "DELETED"]);
    }

    /// A restart into a release that stores networking objects in another version
    /// rewrites the stored objects, not the events already written.
    #[test]
    fn a_restart_does_not_rewrite_past_watch_events() {
        let mut c = cluster("1.33");
        let svc = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":"default"},"spec":{"ports":[{"port":80}]}});
        let created = c.create(svc).expect("create");
        let ip = created["spec"]["clusterIP"]
            .as_str()
            .expect("clusterIP")
            .to_string();
        let before = c.release().networking_api_version();
        let range = c.config().service_cluster_ip_range.clone();
        c.restart_apiserver(&range, Some("1.31")).expect("restart");
        let after = c.release().networking_api_version();
        assert_ne!(
            before, after,
            "1.31 must store networking objects in another version"
        );
        let stored = c.get("ipaddresses", &ip, None).expect("get");
        assert_eq!(stored["apiVersion"], json!(after));
        let added: Vec<Value> = c
            .watch(None)
            .expect("watch")
            .into_iter()
            .filter(|e| {
                e["object"]["kind"] == "IPAddress" && e["object"]["metadata"]["name"] == ip.as_str()
            })
            .collect();
        assert_eq!(added[0]["type"], "ADDED");
        assert_eq!(added[0]["object"]["apiVersion"], json!(before));
    }
}
