//! events.k8s.io/v1 Event, as the controllers' event recorders write them.

use serde::{Deserialize, Serialize};

use super::meta::ObjectMeta;

pub const EVENT_TYPE_NORMAL: &str = "Normal";
pub const EVENT_TYPE_WARNING: &str = "Warning";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Event {
    #[cfg_attr(feature = "ts", ts(type = r#""events.k8s.io/v1""#))]
    pub api_version: String,
    #[cfg_attr(feature = "ts", ts(type = r#""Event""#))]
    pub kind: String,
    pub metadata: ObjectMeta,
    /// MicroTime: RFC 3339 with six fractional digits.
    pub event_time: String,
    pub reporting_controller: String,
    pub reporting_instance: String,
    pub action: String,
    pub reason: String,
    pub regarding: ObjectReference,
    pub note: String,
    #[serde(rename = "type")]
    #[cfg_attr(feature = "ts", ts(type = r#""Normal" | "Warning""#))]
    pub type_: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ObjectReference {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
}
