//! The simulated cluster as the commands' apiserver.

use super::api::{Api, Applied};
use super::resources::Kind;
use crate::cluster::Cluster;
use crate::model::ApiError;
use serde_json::Value;

fn ns_arg(kind: Kind, ns: &str) -> Option<&str> {
    (kind.info().namespaced && !ns.is_empty()).then_some(ns)
}

/// Puts the request's namespace on a namespaced object that names none, as the
/// REST client does by posting to /namespaces/<ns>/...
fn with_namespace(mut obj: Value, ns: &str) -> Value {
    if ns.is_empty() {
        return obj;
    }
    let namespaced = Kind::from_object(
        obj.get("apiVersion").and_then(Value::as_str).unwrap_or(""),
        obj.get("kind").and_then(Value::as_str).unwrap_or(""),
    )
    .is_some_and(|k| k.info().namespaced);
    if namespaced {
        if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            m.insert("namespace".into(), Value::String(ns.to_string()));
        }
    }
    obj
}

impl Api for Cluster {
    fn get(&mut self, kind: Kind, ns: &str, name: &str) -> Result<Value, ApiError> {
        Cluster::get(self, kind.info().cluster_resource, name, ns_arg(kind, ns))
    }

    fn list(&mut self, kind: Kind, ns: Option<&str>) -> Result<Vec<Value>, ApiError> {
        let ns = if kind.info().namespaced { ns } else { None };
        Cluster::list(self, kind.info().cluster_resource, ns)
    }

    fn create(&mut self, obj: Value, _dry_run: bool, ns: &str) -> Result<Value, ApiError> {
        Cluster::create(self, with_namespace(obj, ns))
    }

    fn apply(
        &mut self,
        obj: Value,
        _dry_run: bool,
        ns: &str,
    ) -> Result<(Value, Applied), ApiError> {
        let obj = with_namespace(obj, ns);
        let kind = Kind::from_object(
            obj.get("apiVersion").and_then(Value::as_str).unwrap_or(""),
            obj.get("kind").and_then(Value::as_str).unwrap_or(""),
        );
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let before = kind.and_then(|k| Api::get(self, k, ns, &name).ok());
        let after = Cluster::apply(self, obj)?;
        let outcome = match before {
            None => Applied::Created,
            Some(b) if b == after => Applied::Unchanged,
            Some(_) => Applied::Configured,
        };
        Ok((after, outcome))
    }

    fn delete(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        _dry_run: bool,
    ) -> Result<Value, ApiError> {
        Cluster::delete(self, kind.info().cluster_resource, name, ns_arg(kind, ns))
    }

    fn now_ms(&self) -> i64 {
        Cluster::now_ms(self)
    }

    fn advance_ms(&mut self, ms: i64) {
        let _ = Cluster::advance(self, ms as f64 / 1000.0);
    }

    fn next_due_ms(&self) -> Option<i64> {
        None
    }
}
