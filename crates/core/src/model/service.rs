//! core/v1 Service, with the fields the ClusterIP allocator reads and writes
//! typed, and every other spec field kept verbatim in `extra` so nothing a user
//! sends is lost on the way through the store.

use super::meta::ObjectMeta;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

pub const SERVICE_TYPE_CLUSTER_IP: &str = "ClusterIP";
pub const SERVICE_TYPE_NODE_PORT: &str = "NodePort";
pub const SERVICE_TYPE_LOAD_BALANCER: &str = "LoadBalancer";
pub const SERVICE_TYPE_EXTERNAL_NAME: &str = "ExternalName";
pub const CLUSTER_IP_NONE: &str = "None";
pub const SINGLE_STACK: &str = "SingleStack";
pub const PREFER_DUAL_STACK: &str = "PreferDualStack";
pub const REQUIRE_DUAL_STACK: &str = "RequireDualStack";

fn is_empty_str(s: &str) -> bool {
    s.is_empty()
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Service {
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = r#""v1""#, optional = nullable))]
    pub api_version: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = r#""Service""#, optional = nullable))]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub spec: ServiceSpec,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub status: ServiceStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ServicePort>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    #[serde(default, rename = "clusterIP", skip_serializing_if = "is_empty_str")]
    pub cluster_ip: String,
    #[serde(default, rename = "clusterIPs", skip_serializing_if = "Vec::is_empty")]
    pub cluster_ips: Vec<String>,
    #[serde(default, rename = "type", skip_serializing_if = "is_empty_str")]
    #[cfg_attr(
        feature = "ts",
        ts(type = r#""ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName""#)
    )]
    pub type_: String,
    #[serde(default, rename = "externalIPs", skip_serializing_if = "Vec::is_empty")]
    pub external_ips: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty_str")]
    #[cfg_attr(feature = "ts", ts(type = r#""None" | "ClientIP""#))]
    pub session_affinity: String,
    #[serde(
        default,
        rename = "loadBalancerIP",
        skip_serializing_if = "is_empty_str"
    )]
    pub load_balancer_ip: String,
    #[serde(default, skip_serializing_if = "is_empty_str")]
    pub external_name: String,
    #[serde(default, skip_serializing_if = "is_empty_str")]
    #[cfg_attr(feature = "ts", ts(type = r#""Cluster" | "Local""#))]
    pub external_traffic_policy: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(type = r#"Array<"IPv4" | "IPv6">"#))]
    pub ip_families: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "ts",
        ts(type = r#""SingleStack" | "PreferDualStack" | "RequireDualStack""#)
    )]
    pub ip_family_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub allocate_load_balancer_node_ports: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = r#""Cluster" | "Local""#))]
    pub internal_traffic_policy: Option<String>,
    /// Fields this model does not interpret (sessionAffinityConfig, loadBalancerClass,
    /// trafficDistribution, …): stored and returned unchanged.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServicePort {
    #[serde(default, skip_serializing_if = "is_empty_str")]
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty_str")]
    #[cfg_attr(feature = "ts", ts(type = r#""TCP" | "UDP" | "SCTP""#))]
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub app_protocol: Option<String>,
    #[serde(default)]
    pub port: i32,
    /// IntOrString: a number or a named port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "number | string"))]
    pub target_port: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub node_port: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceStatus {
    /// Always present (`{}` when empty) because the Go field is a struct.
    #[serde(default = "empty_object")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub load_balancer: Value,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Value>,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

impl Default for ServiceStatus {
    fn default() -> Self {
        ServiceStatus {
            load_balancer: empty_object(),
            conditions: Vec::new(),
        }
    }
}

impl Service {
    pub fn type_or_default(&self) -> &str {
        if self.spec.type_.is_empty() {
            SERVICE_TYPE_CLUSTER_IP
        } else {
            &self.spec.type_
        }
    }
    pub fn is_external_name(&self) -> bool {
        self.type_or_default() == SERVICE_TYPE_EXTERNAL_NAME
    }
    pub fn is_headless(&self) -> bool {
        self.spec.cluster_ip == CLUSTER_IP_NONE
            || self.spec.cluster_ips.first().map(String::as_str) == Some(CLUSTER_IP_NONE)
    }
}
