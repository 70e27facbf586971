//! Read-only views the playground and the JS API ask for (`allocatorState()`,
//! `pendingWork()`): typed, so the TypeScript declarations are generated from them.

use super::store::WatchObject;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One CIDR the ClusterIP allocator of a family serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AllocatorInfo {
    #[cfg_attr(feature = "ts", ts(type = r#""IPv4" | "IPv6""#))]
    pub family: String,
    pub cidr: String,
    /// The CIDR spans 2^hostBits addresses.
    pub host_bits: u32,
    /// False while every ServiceCIDR that owns it is being deleted.
    pub ready: bool,
    #[serde(rename = "serviceCIDRs")]
    pub service_cidrs: Vec<String>,
    pub first: String,
    pub last: String,
    /// Decimal strings: sizes of IPv6 ranges exceed 2^53.
    pub size: String,
    pub offset: String,
    pub used: String,
    /// None when the range has no static band.
    pub static_band: Option<(String, String)>,
    /// None when the range has no dynamic band (e.g. a /31).
    pub dynamic_band: Option<(String, String)>,
}

/// Controller work waiting for the clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PendingWork {
    /// RFC 3339 with microseconds.
    pub due: String,
    /// The same instant, epoch milliseconds.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub due_ms: i64,
    pub controller: String,
    pub key: String,
}

/// One change seen by `watch()`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WatchEvent<'a> {
    #[serde(rename = "type")]
    #[cfg_attr(feature = "ts", ts(type = r#""ADDED" | "MODIFIED" | "DELETED""#))]
    pub type_: &'a str,
    pub object: &'a WatchObject,
}

/// The JSON-safe state from `snapshot()`; `Cluster.restore()` rebuilds the cluster from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClusterSnapshot(pub Map<String, Value>);
