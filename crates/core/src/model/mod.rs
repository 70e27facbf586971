//! Kubernetes objects in their exact JSON shape, and the table of resources
//! the simulated apiserver serves (kind, group, plural, short names).

pub mod event;
pub mod ipaddress;
pub mod meta;
pub mod service;
pub mod servicecidr;
pub mod status;

pub use event::{Event, ObjectReference};
pub use ipaddress::{IPAddress, IPAddressSpec, ParentReference};
pub use meta::{Condition, ObjectMeta, Time};
pub use service::{Service, ServicePort, ServiceSpec, ServiceStatus};
pub use servicecidr::{ServiceCIDR, ServiceCIDRSpec, ServiceCIDRStatus};
pub use status::{ApiError, FieldError, FieldErrorType, Status, StatusCause, StatusDetails};

/// The resources this apiserver serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    Services,
    ServiceCIDRs,
    IPAddresses,
    Events,
}

/// Discovery facts about one resource, as `kubectl api-resources` lists them.
#[derive(Clone, Copy, Debug)]
pub struct ResourceInfo {
    pub resource: Resource,
    pub kind: &'static str,
    pub group: &'static str,
    /// The preferred (stored and returned) version.
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
}

pub const RESOURCES: &[ResourceInfo] = &[
    ResourceInfo {
        resource: Resource::Services,
        kind: "Service",
        group: "",
        version: "v1",
        plural: "services",
        singular: "service",
        short_names: &["svc"],
        namespaced: true,
    },
    ResourceInfo {
        resource: Resource::ServiceCIDRs,
        kind: "ServiceCIDR",
        group: "networking.k8s.io",
        version: "v1",
        plural: "servicecidrs",
        singular: "servicecidr",
        short_names: &[],
        namespaced: false,
    },
    ResourceInfo {
        resource: Resource::IPAddresses,
        kind: "IPAddress",
        group: "networking.k8s.io",
        version: "v1",
        plural: "ipaddresses",
        singular: "ipaddress",
        short_names: &["ip"],
        namespaced: false,
    },
    ResourceInfo {
        resource: Resource::Events,
        kind: "Event",
        group: "events.k8s.io",
        version: "v1",
        plural: "events",
        singular: "event",
        short_names: &["ev"],
        namespaced: true,
    },
];

impl Resource {
    pub fn info(self) -> &'static ResourceInfo {
        // RESOURCES lists every variant exactly once, in declaration order.
        &RESOURCES[self as usize]
    }

    /// Resolves what a user may type: kind (any case), plural, singular, short name,
    /// or `plural.group` / `kind.group` fully qualified.
    pub fn lookup(name: &str) -> Option<Resource> {
        let lower = name.to_ascii_lowercase();
        let (base, group) = match lower.split_once('.') {
            Some((b, g)) => (b.to_string(), Some(g.to_string())),
            None => (lower.clone(), None),
        };
        RESOURCES
            .iter()
            .find(|r| {
                let name_ok = base == r.plural
                    || base == r.singular
                    || base == r.kind.to_ascii_lowercase()
                    || r.short_names.contains(&base.as_str());
                let group_ok = match &group {
                    None => true,
                    Some(g) => g == r.group || (r.group.is_empty() && g.is_empty()),
                };
                name_ok && group_ok
            })
            .map(|r| r.resource)
    }

    /// `apiVersion` as stored/returned: `v1` or `networking.k8s.io/v1`.
    pub fn api_version(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.version.to_string()
        } else {
            format!("{}/{}", i.group, i.version)
        }
    }
}
