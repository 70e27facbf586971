//! snapshot()/restore(): the whole state as plain JSON (no 64-bit numbers, so
//! it survives JSON.stringify), and a cluster rebuilt from it that continues
//! exactly as the original would: same clock, PRNG, queue, resourceVersions.
//! Derived indexes (taken/managed IPs) are rebuilt, not stored.

use super::{store::WatchEvent, Cluster, ClusterConfig, TraceRecord, WorkQueue};
use crate::allocator::meta::MetaAllocator;
use crate::allocator::taken::TakenIndex;
use crate::clock::Clock;
use crate::model::{ApiError, Event, IPAddress, Service, ServiceCIDR};
use crate::net::Family;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub const SNAPSHOT_FORMAT: &str = "servicecidr-sim/snapshot/v1";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Snapshot {
    format: String,
    pub(crate) config: ClusterConfig,
    clock: Clock,
    rng: Rng,
    /// Decimal string (64-bit).
    resource_version: String,
    queue: WorkQueue,
    allocators: BTreeMap<Family, MetaAllocator>,
    pub(crate) services: Vec<Service>,
    service_cidrs: Vec<ServiceCIDR>,
    pub(crate) ip_addresses: Vec<IPAddress>,
    /// Objects of the generic kinds (admission policies, bindings, ConfigMaps).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    objects: Vec<Value>,
    events: Vec<Event>,
    pub(crate) watch_log: Vec<WatchEvent>,
    trace: Vec<TraceRecord>,
    trace_seq: String,
    reported_once: BTreeSet<String>,
    /// Snapshots from before apiserver instances restore with one running instance.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    apiservers: Vec<super::ApiserverInstance>,
}

pub(crate) fn snapshot(c: &Cluster) -> Value {
    snapshot_parts(c, true)
}

/// The snapshot; without `objects` it leaves out the Services, IPAddresses, watch log and
/// trace (what the compact form writes its own way).
pub(crate) fn snapshot_parts(c: &Cluster, objects: bool) -> Value {
    let s = Snapshot {
        format: SNAPSHOT_FORMAT.into(),
        config: c.config.clone(),
        clock: c.clock.clone(),
        rng: c.rng.clone(),
        resource_version: c.store.rv.to_string(),
        queue: c.queue.clone(),
        allocators: c.allocators.clone(),
        services: if objects {
            c.store.services_iter().cloned().collect()
        } else {
            Vec::new()
        },
        service_cidrs: c.store.service_cidrs.values().cloned().collect(),
        ip_addresses: if objects {
            c.store.ip_addresses.values().cloned().collect()
        } else {
            Vec::new()
        },
        objects: c
            .store
            .generic
            .values()
            .flat_map(|m| m.values().cloned())
            .collect(),
        events: c.store.events.iter().cloned().collect(),
        watch_log: if objects {
            c.store
                .watch_events()
                .map(|e| WatchEvent {
                    rv: e.rv,
                    type_: e.type_.to_string(),
                    object: e.object.to_owned(),
                })
                .collect()
        } else {
            Vec::new()
        },
        trace: if objects {
            c.trace_records(0, usize::MAX)
        } else {
            Vec::new()
        },
        trace_seq: c.trace_seq.to_string(),
        reported_once: c.reported_once.clone(),
        apiservers: c.apiservers.clone(),
    };
    serde_json::to_value(&s).unwrap_or(Value::Null)
}

fn bad(msg: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("not a servicecidr-sim snapshot: {msg}"))
}

pub(crate) fn restore(v: Value) -> Result<Cluster, ApiError> {
    let format = v.get("format").and_then(Value::as_str).unwrap_or("");
    if format == super::snapshot_compact::COMPACT_FORMAT {
        return restore_snapshot(super::snapshot_compact::expand(v)?);
    }
    if format != SNAPSHOT_FORMAT {
        return Err(bad(format!(
            "format is {format:?}, expected {SNAPSHOT_FORMAT:?}"
        )));
    }
    restore_snapshot(serde_json::from_value(v).map_err(bad)?)
}

/// The snapshot's header (all but objects, watch log and trace) as the typed struct.
pub(crate) fn header(mut v: Value) -> Result<Snapshot, ApiError> {
    if let Some(m) = v.as_object_mut() {
        m.insert("format".into(), Value::String(SNAPSHOT_FORMAT.into()));
        for k in ["services", "ipAddresses", "watchLog", "trace"] {
            m.insert(k.into(), Value::Array(Vec::new()));
        }
    }
    serde_json::from_value(v).map_err(bad)
}

impl Snapshot {
    pub(crate) fn service_cidrs_ref(&self) -> &[ServiceCIDR] {
        &self.service_cidrs
    }
}

fn restore_snapshot(s: Snapshot) -> Result<Cluster, ApiError> {
    let mut queue = s.queue;
    queue.reindex();
    let release = crate::release::Release::parse(&s.config.version)?;
    let mut c = Cluster {
        release,
        config: s.config,
        store: Default::default(),
        clock: s.clock,
        rng: s.rng,
        queue,
        allocators: s.allocators,
        taken: TakenIndex::default(),
        managed: TakenIndex::default(),
        trace: s
            .trace
            .into_iter()
            .map(super::trace::TraceEntry::Done)
            .collect(),
        trace_seq: s.trace_seq.parse().map_err(bad)?,
        trace_users: Vec::new(),
        reported_once: s.reported_once,
        trace_buffer: Vec::new(),
        admission: None,
        warnings: Vec::new(),
        apiservers: s.apiservers,
    };
    if c.apiservers.is_empty() {
        c.apiservers = vec![c.serving_instance(super::apiservers::ApiserverState::Running)];
    }
    c.store.rv = s.resource_version.parse().map_err(bad)?;
    for svc in s.services {
        c.store
            .services
            .entry(svc.metadata.namespace.clone())
            .or_default()
            .insert(svc.metadata.name.clone(), svc);
    }
    for sc in s.service_cidrs {
        c.store.service_cidrs.insert(sc.metadata.name.clone(), sc);
    }
    for ip in s.ip_addresses {
        if let Some(addr) = super::store::ip_of_name(&ip.metadata.name) {
            c.taken.insert(addr);
            if super::store::is_managed(&ip, addr) {
                c.managed.insert(addr);
            }
        }
        c.store.ip_addresses.insert(ip.metadata.name.clone(), ip);
    }
    for o in s.objects {
        let kind = o.get("kind").and_then(Value::as_str).unwrap_or("");
        let Some(info) = crate::model::RESOURCES
            .iter()
            .find(|r| r.kind == kind && r.resource.is_generic())
        else {
            return Err(bad(format!("object of unknown kind {kind:?}")));
        };
        let meta = |k: &str| {
            o.pointer(&format!("/metadata/{k}"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let key = (meta("namespace"), meta("name"));
        c.store
            .generic
            .entry(info.resource)
            .or_default()
            .insert(key, o);
    }
    c.store.events = s.events.into();
    c.store.watch_log = s.watch_log.into_iter().map(Into::into).collect();
    for f in c.config.families() {
        c.allocators
            .entry(f)
            .or_insert_with(|| MetaAllocator::new(f));
    }
    Ok(c)
}
