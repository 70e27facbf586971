//! networking.k8s.io/v1 ServiceCIDR.

use super::meta::{Condition, ObjectMeta};
use serde::{Deserialize, Serialize};

/// Finalizer kube-controller-manager's service-cidr-controller keeps on every ServiceCIDR.
pub const SERVICE_CIDR_PROTECTION_FINALIZER: &str = "networking.k8s.io/service-cidr-finalizer";
pub const CONDITION_READY: &str = "Ready";
pub const REASON_TERMINATING: &str = "Terminating";
/// Name of the ServiceCIDR kube-apiserver builds from --service-cluster-ip-range.
pub const DEFAULT_SERVICE_CIDR_NAME: &str = "kubernetes";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceCIDR {
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = r#""networking.k8s.io/v1" | "networking.k8s.io/v1beta1""#, optional = nullable))]
    pub api_version: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = r#""ServiceCIDR""#, optional = nullable))]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Go serialises the (non-pointer) spec and status structs even when empty.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub spec: ServiceCIDRSpec,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub status: ServiceCIDRStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceCIDRSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cidrs: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceCIDRStatus {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

impl ServiceCIDR {
    /// spec.cidrs as masked prefixes (entries that do not parse are skipped;
    /// validation keeps them out of stored objects).
    pub fn prefixes(&self) -> Vec<crate::net::Prefix> {
        self.spec
            .cidrs
            .iter()
            .filter_map(|c| crate::net::parse_cidr(c))
            .map(|p| p.masked())
            .collect()
    }

    /// Whether one of its CIDRs contains `a` as a Service IP (PrefixContainsIP).
    pub fn contains_service_ip(&self, a: crate::net::Addr) -> bool {
        // Asked for every managed IPAddress write: no Vec of prefixes.
        self.spec
            .cidrs
            .iter()
            .filter_map(|c| crate::net::parse_cidr(c))
            .any(|p| p.masked().contains_service_ip(a))
    }

    pub fn ready_condition(&self) -> Option<&Condition> {
        self.status
            .conditions
            .iter()
            .find(|c| c.type_ == CONDITION_READY)
    }
}
