//! networking.k8s.io/v1 IPAddress.

use super::meta::ObjectMeta;
use serde::{Deserialize, Serialize};

pub const LABEL_IP_FAMILY: &str = "ipaddress.kubernetes.io/ip-family";
pub const LABEL_MANAGED_BY: &str = "ipaddress.kubernetes.io/managed-by";
/// Value of the managed-by label on IPAddresses the ClusterIP allocator and repair loop own.
pub const IPALLOCATOR_CONTROLLER_NAME: &str = "ipallocator.k8s.io";

fn is_empty_str(s: &str) -> bool {
    s.is_empty()
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IPAddress {
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = r#""networking.k8s.io/v1" | "networking.k8s.io/v1beta1""#, optional = nullable))]
    pub api_version: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = r#""IPAddress""#, optional = nullable))]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub spec: IPAddressSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IPAddressSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub parent_ref: Option<ParentReference>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ParentReference {
    #[serde(default, skip_serializing_if = "is_empty_str")]
    pub group: String,
    #[serde(default)]
    pub resource: String,
    #[serde(default, skip_serializing_if = "is_empty_str")]
    pub namespace: String,
    #[serde(default)]
    pub name: String,
}

impl ParentReference {
    pub fn service(namespace: &str, name: &str) -> ParentReference {
        ParentReference {
            group: String::new(),
            resource: "services".into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }
    pub fn is_core_service(&self) -> bool {
        self.group.is_empty() && self.resource == "services"
    }
}
