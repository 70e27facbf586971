//! How stored objects are presented on an endpoint: the requested version's
//! apiVersion, the core group's view of events.k8s.io Events, and the
//! namespaces of a fresh cluster (which the core does not keep as objects).

use crate::served::{GroupVersion, ServedResource, Storage};
use serde_json::{json, Map, Value};
use servicecidr_core::clock::format_rfc3339;
use servicecidr_core::cluster::NAMESPACES;
use servicecidr_core::Cluster;

/// An object as this endpoint returns it.
pub fn present(r: &ServedResource, gv: &GroupVersion, mut obj: Value) -> Value {
    match r.storage {
        Storage::CoreEvents => to_core_event(&obj),
        Storage::Core(_) => {
            if let Some(m) = obj.as_object_mut() {
                m.insert("apiVersion".into(), json!(gv.group_version()));
            }
            obj
        }
        Storage::Namespaces => obj,
    }
}

/// The core v1 view of a stored events.k8s.io/v1 Event (the conversion the
/// apiserver applies when a client asks the core group for events).
pub fn to_core_event(e: &Value) -> Value {
    let mut m = Map::new();
    m.insert("apiVersion".into(), json!("v1"));
    m.insert("kind".into(), json!("Event"));
    let pick = |k: &str| e.get(k).cloned();
    if let Some(v) = pick("metadata") {
        m.insert("metadata".into(), v);
    }
    m.insert(
        "involvedObject".into(),
        pick("regarding").unwrap_or_else(|| json!({})),
    );
    if let Some(v) = pick("related") {
        m.insert("related".into(), v);
    }
    m.insert("reason".into(), pick("reason").unwrap_or(json!("")));
    m.insert("message".into(), pick("note").unwrap_or(json!("")));
    m.insert(
        "source".into(),
        pick("deprecatedSource").unwrap_or_else(|| json!({})),
    );
    m.insert(
        "firstTimestamp".into(),
        pick("deprecatedFirstTimestamp").unwrap_or(Value::Null),
    );
    m.insert(
        "lastTimestamp".into(),
        pick("deprecatedLastTimestamp").unwrap_or(Value::Null),
    );
    if let Some(c) = pick("deprecatedCount").filter(|c| c.as_i64().unwrap_or(0) != 0) {
        m.insert("count".into(), c);
    }
    m.insert("type".into(), pick("type").unwrap_or(json!("")));
    if let Some(v) = pick("eventTime").filter(|v| !v.is_null()) {
        m.insert("eventTime".into(), v);
    }
    if let Some(v) = pick("series") {
        m.insert("series".into(), v);
    }
    if let Some(v) = pick("action") {
        m.insert("action".into(), v);
    }
    m.insert(
        "reportingComponent".into(),
        pick("reportingController").unwrap_or(json!("")),
    );
    m.insert(
        "reportingInstance".into(),
        pick("reportingInstance").unwrap_or(json!("")),
    );
    Value::Object(m)
}

/// One of the four namespaces of a kubeadm/kind cluster, created with it.
pub fn namespace(cluster: &Cluster, name: &str) -> Option<Value> {
    if !NAMESPACES.contains(&name) {
        return None;
    }
    Some(json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": name,
            "creationTimestamp": format_rfc3339(cluster.config().started_ms.div_euclid(1000)),
            "labels": {"kubernetes.io/metadata.name": name},
        },
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }))
}

pub fn namespaces(cluster: &Cluster) -> Vec<Value> {
    NAMESPACES
        .iter()
        .filter_map(|n| namespace(cluster, n))
        .collect()
}
