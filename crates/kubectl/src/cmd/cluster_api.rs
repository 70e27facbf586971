//! The simulated cluster as the commands' apiserver.

use super::api::{Api, Applied};
use super::resources::Kind;
use serde_json::Value;
use servicecidr_core::cluster::{ApplyOutcome, Cluster, WriteOptions};
use servicecidr_core::model::ApiError;

fn ns_arg(kind: Kind, ns: &str) -> Option<&str> {
    (kind.info().namespaced && !ns.is_empty()).then_some(ns)
}

fn opts(dry_run: bool, ns: &str) -> WriteOptions {
    WriteOptions {
        dry_run,
        namespace: ns.to_string(),
        ..Default::default()
    }
}

impl Api for Cluster {
    fn get(&mut self, kind: Kind, ns: &str, name: &str) -> Result<Value, ApiError> {
        Cluster::get(self, kind.info().cluster_resource, name, ns_arg(kind, ns))
    }

    fn list(&mut self, kind: Kind, ns: Option<&str>) -> Result<Vec<Value>, ApiError> {
        let ns = if kind.info().namespaced { ns } else { None };
        Cluster::list(self, kind.info().cluster_resource, ns)
    }

    fn create(&mut self, obj: Value, dry_run: bool, ns: &str) -> Result<Value, ApiError> {
        self.create_with(obj, &opts(dry_run, ns))
    }

    fn apply(&mut self, obj: Value, dry_run: bool, ns: &str) -> Result<(Value, Applied), ApiError> {
        let (v, outcome) = self.apply_with(obj, &opts(dry_run, ns))?;
        let applied = match outcome {
            ApplyOutcome::Created => Applied::Created,
            ApplyOutcome::Configured => Applied::Configured,
            ApplyOutcome::Unchanged => Applied::Unchanged,
        };
        Ok((v, applied))
    }

    fn delete(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        self.delete_with(
            kind.info().cluster_resource,
            name,
            ns_arg(kind, ns),
            &opts(dry_run, ns),
        )
    }

    fn now_ms(&self) -> i64 {
        Cluster::now_ms(self)
    }

    fn advance_ms(&mut self, ms: i64) {
        // advance() only refuses negative or absurd spans, which callers never pass.
        let _ = Cluster::advance(self, ms.max(0) as f64 / 1000.0);
    }

    fn next_due_ms(&self) -> Option<i64> {
        self.pending_work().iter().map(|w| w.due_ms).min()
    }
}
