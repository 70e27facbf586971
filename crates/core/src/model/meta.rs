//! ObjectMeta and the time type shared by every object.
//!
//! Field names and omission rules follow `k8s.io/apimachinery/pkg/apis/meta/v1`:
//! strings and collections tagged `omitempty` upstream are skipped when empty,
//! so a stored object serialises to the same JSON the apiserver would return.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// metav1.Time: whole seconds since the Unix epoch, written as RFC 3339 UTC
/// ("2023-10-12T15:11:07Z") because that is the only form the apiserver emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub i64);

impl Time {
    pub fn from_millis(ms: i64) -> Time {
        Time(ms.div_euclid(1000))
    }
    pub fn seconds(self) -> i64 {
        self.0
    }
    pub fn rfc3339(self) -> String {
        crate::clock::format_rfc3339(self.0)
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let s = String::deserialize(d)?;
        crate::clock::parse_rfc3339_millis(&s)
            .map(Time::from_millis)
            .ok_or_else(|| serde::de::Error::custom(format!("parsing time {s:?}: not RFC 3339")))
    }
}

fn is_empty_str(s: &str) -> bool {
    s.is_empty()
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ObjectMeta {
    #[serde(default, skip_serializing_if = "is_empty_str")]
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty_str")]
    pub generate_name: String,
    #[serde(default, skip_serializing_if = "is_empty_str")]
    pub namespace: String,
    #[serde(default, skip_serializing_if = "is_empty_str")]
    pub uid: String,
    #[serde(default, skip_serializing_if = "is_empty_str")]
    pub resource_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub generation: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional))]
    pub creation_timestamp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional))]
    pub deletion_timestamp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub deletion_grace_period_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner_references: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub finalizers: Vec<String>,
}

impl ObjectMeta {
    pub fn is_deleting(&self) -> bool {
        self.deletion_timestamp.is_some()
    }
}

/// metav1.Condition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Condition {
    #[serde(rename = "type")]
    pub type_: String,
    #[cfg_attr(feature = "ts", ts(type = r#""True" | "False" | "Unknown""#))]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub observed_generation: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub last_transition_time: Time,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub message: String,
}
