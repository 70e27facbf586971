//! The simulated control plane. PUBLIC API SKELETON — internals being written.

use crate::model::ApiError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `new Cluster(options)`; every field optional.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterOptions {
    /// kube-apiserver --service-cluster-ip-range ("v4", "v6", "v4,v6" …); default "10.96.0.0/12".
    pub service_cluster_ip_range: Option<String>,
    pub seed: Option<f64>,
    /// RFC 3339 string or epoch milliseconds: starts a manual clock.
    pub now: Option<Value>,
    #[serde(rename = "kubeDNS")]
    pub kube_dns: Option<bool>,
    pub auto_reconcile: Option<bool>,
}

/// What kubectl() and run() return.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// stdout and stderr interleaved in the order they were written, as a terminal
    /// shows them (docs transcripts need the error line after the addresses).
    pub output: String,
}

pub struct Cluster {}

fn todo_err() -> ApiError {
    ApiError::internal("not implemented yet")
}

impl Cluster {
    pub fn new(_opts: ClusterOptions) -> Result<Cluster, ApiError> {
        Ok(Cluster {})
    }
    pub fn create(&mut self, _obj: Value) -> Result<Value, ApiError> {
        Err(todo_err())
    }
    pub fn update(&mut self, _obj: Value) -> Result<Value, ApiError> {
        Err(todo_err())
    }
    pub fn apply(&mut self, _obj: Value) -> Result<Value, ApiError> {
        Err(todo_err())
    }
    pub fn get(
        &mut self,
        _resource: &str,
        _name: &str,
        _namespace: Option<&str>,
    ) -> Result<Value, ApiError> {
        Err(todo_err())
    }
    pub fn list(
        &mut self,
        _resource: &str,
        _namespace: Option<&str>,
    ) -> Result<Vec<Value>, ApiError> {
        Err(todo_err())
    }
    pub fn delete(
        &mut self,
        _resource: &str,
        _name: &str,
        _namespace: Option<&str>,
    ) -> Result<Value, ApiError> {
        Err(todo_err())
    }
    pub fn reconcile(&mut self) {}
    pub fn advance(&mut self, _seconds: f64) -> Result<(), ApiError> {
        Err(todo_err())
    }
    pub fn settle(&mut self) {}
    pub fn events(&self) -> Vec<Value> {
        Vec::new()
    }
    pub fn kubectl(&mut self, _line: &str, _stdin: Option<&str>) -> CommandOutput {
        CommandOutput::default()
    }
    pub fn run(&mut self, _script: &str) -> CommandOutput {
        CommandOutput::default()
    }
    pub fn snapshot(&self) -> Value {
        Value::Null
    }
    pub fn restore(_snapshot: Value) -> Result<Cluster, ApiError> {
        Err(todo_err())
    }
    pub fn watch(&self, _since_resource_version: Option<&str>) -> Vec<Value> {
        Vec::new()
    }
    pub fn trace(&self, _since_seq: Option<u64>) -> Vec<Value> {
        Vec::new()
    }
    pub fn now_ms(&self) -> i64 {
        0
    }
}
