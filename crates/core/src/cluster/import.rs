//! `Cluster::from_objects`: a cluster holding exactly the objects a real one
//! printed (`kubectl get services,servicecidrs,ipaddresses -A -o json`), as
//! its etcd would hold them, so a rehearsal starts from the user's own state.
//!
//! Objects are stored as they are, not through the request path: uids,
//! resourceVersions, timestamps, finalizers, conditions and labels stay, and
//! so does state a real cluster can hold that the request path would never
//! write (a ClusterIP without IPAddress, a leaked IPAddress, an IP outside
//! every ServiceCIDR, no IPAddresses at all before 1.33). The allocators are
//! rebuilt from the ServiceCIDRs and their taken sets from the IPAddresses.
//! The kube-apiserver's start-up (default ServiceCIDR controller, `kubernetes`
//! Service reconciler, the repair loop's first pass) is queued, not run: the
//! imported state can be read first, and the next reconcile shows what a real
//! start on this state does, events included.

use super::store::{ip_of_name, is_managed};
use super::{bootstrap, Cluster, ClusterOptions};
use crate::model::{ApiError, IPAddress, Resource, Service, ServiceCIDR, RESOURCES};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One object the import did not take, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkippedObject {
    pub api_version: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "ts", ts(type = "string", optional))]
    pub namespace: String,
    pub name: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    pub services: usize,
    #[serde(rename = "serviceCIDRs")]
    pub service_cidrs: usize,
    #[serde(rename = "ipAddresses")]
    pub ip_addresses: usize,
    /// Objects of the other kinds this model stores (ConfigMaps, admission policies).
    pub other: usize,
    /// Kinds this model does not know, and objects it could not read.
    pub skipped: Vec<SkippedObject>,
    /// The store's resourceVersion after the import: the highest imported one.
    pub resource_version: String,
}

fn text(o: &Value, ptr: &str) -> String {
    o.pointer(ptr)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// Every object of the input: a List (`kind` ending in "List" with `items`),
/// an array of objects or Lists, or one object.
fn flatten(input: Value, out: &mut Vec<Value>, depth: usize) -> Result<(), ApiError> {
    if depth > 4 {
        return Err(ApiError::bad_request("import: Lists nested too deep"));
    }
    match input {
        Value::Array(items) => {
            for i in items {
                flatten(i, out, depth + 1)?;
            }
            Ok(())
        }
        Value::Object(mut m) => {
            let is_list = m
                .get("kind")
                .and_then(Value::as_str)
                .is_some_and(|k| k.ends_with("List"));
            if is_list {
                match m.remove("items") {
                    Some(items @ Value::Array(_)) => flatten(items, out, depth + 1),
                    Some(Value::Null) | None => Ok(()),
                    Some(_) => Err(ApiError::bad_request(
                        "import: a List's items must be an array",
                    )),
                }
            } else {
                out.push(Value::Object(m));
                Ok(())
            }
        }
        _ => Err(ApiError::bad_request(
            "import: expected a List, an array of objects or an object",
        )),
    }
}

impl Cluster {
    /// `Cluster.fromObjects(input, options)`; see the module comment. Errors
    /// only for input that is not objects or flags the apiserver refuses;
    /// objects it cannot take are listed in the report.
    pub fn from_objects(
        input: Value,
        opts: ClusterOptions,
    ) -> Result<(Cluster, ImportReport), ApiError> {
        let mut objects = Vec::new();
        flatten(input, &mut objects, 0)?;
        let mut c = bootstrap::blank_cluster(opts)?;
        let mut report = ImportReport::default();
        let mut max_rv = 0u64;
        for o in objects {
            let kind = text(&o, "/kind");
            let api_version = text(&o, "/apiVersion");
            let namespace = text(&o, "/metadata/namespace");
            let name = text(&o, "/metadata/name");
            let rv = text(&o, "/metadata/resourceVersion");
            let skip = |reason: String| SkippedObject {
                api_version: api_version.clone(),
                kind: kind.clone(),
                namespace: namespace.clone(),
                name: name.clone(),
                reason,
            };
            if name.is_empty() {
                report.skipped.push(skip("metadata.name is missing".into()));
                continue;
            }
            let outcome = c.import_one(o, &kind, &api_version, &namespace, &name);
            match outcome {
                Ok(counter) => {
                    match counter {
                        Resource::Services => report.services += 1,
                        Resource::ServiceCIDRs => report.service_cidrs += 1,
                        Resource::IPAddresses => report.ip_addresses += 1,
                        _ => report.other += 1,
                    }
                    if let Ok(v) = rv.parse::<u64>() {
                        max_rv = max_rv.max(v);
                    }
                }
                Err(reason) => report.skipped.push(skip(reason)),
            }
        }
        c.store.rv = max_rv;
        c.rebuild_allocators();
        report.resource_version = c.store.rv.to_string();
        c.trace_push(
            "import",
            format!(
                "imported {} Services, {} ServiceCIDRs, {} IPAddresses; skipped {}",
                report.services,
                report.service_cidrs,
                report.ip_addresses,
                report.skipped.len()
            ),
            Value::Null,
        );
        c.queue_apiserver_starts();
        c.enqueue(super::Task::RepairResync, bootstrap::REPAIR_INTERVAL_MS);
        Ok((c, report))
    }

    /// Stores one object as it is. Err = why it was skipped.
    fn import_one(
        &mut self,
        o: Value,
        kind: &str,
        api_version: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Resource, String> {
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let duplicate = || format!("a second object named {name:?}");
        match (group, kind) {
            ("", "Service") => {
                if namespace.is_empty() {
                    return Err("a Service needs metadata.namespace".into());
                }
                let svc: Service = serde_json::from_value(o).map_err(|e| e.to_string())?;
                let m = self
                    .store
                    .services
                    .entry(namespace.to_string())
                    .or_default();
                if m.contains_key(name) {
                    return Err(duplicate());
                }
                m.insert(name.to_string(), svc);
                Ok(Resource::Services)
            }
            ("networking.k8s.io", "ServiceCIDR") => {
                let mut sc: ServiceCIDR = serde_json::from_value(o).map_err(|e| e.to_string())?;
                if self.store.service_cidrs.contains_key(name) {
                    return Err(duplicate());
                }
                // Served in the release's preferred version, whatever it was read as.
                sc.api_version = self.release.networking_api_version();
                self.store.service_cidrs.insert(name.to_string(), sc);
                Ok(Resource::ServiceCIDRs)
            }
            ("networking.k8s.io", "IPAddress") => {
                let mut ip: IPAddress = serde_json::from_value(o).map_err(|e| e.to_string())?;
                if self.store.ip_addresses.contains_key(name) {
                    return Err(duplicate());
                }
                ip.api_version = self.release.networking_api_version();
                // The name is the address; one that is not an IP takes nothing.
                if let Some(addr) = ip_of_name(name) {
                    self.taken.insert(addr);
                    if is_managed(&ip, addr) {
                        self.managed.insert(addr);
                    }
                }
                self.store.ip_addresses.insert(name.to_string(), ip);
                Ok(Resource::IPAddresses)
            }
            _ => {
                let info = RESOURCES
                    .iter()
                    .find(|r| r.kind == kind && r.group == group && r.resource.is_generic())
                    .ok_or_else(|| "a kind this simulator does not model".to_string())?;
                let ns = if info.namespaced {
                    namespace.to_string()
                } else {
                    String::new()
                };
                let m = self.store.generic.entry(info.resource).or_default();
                if m.contains_key(&(ns.clone(), name.to_string())) {
                    return Err(duplicate());
                }
                m.insert((ns, name.to_string()), o);
                Ok(info.resource)
            }
        }
    }
}
