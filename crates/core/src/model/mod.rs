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
    /// admissionregistration.k8s.io/v1, kept as plain JSON (generic kinds: the
    /// core stores and versions them; their meaning lives in an admission plugin).
    ValidatingAdmissionPolicies,
    ValidatingAdmissionPolicyBindings,
    /// core/v1 ConfigMaps: the `paramKind` policies are usually given.
    ConfigMaps,
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
    ResourceInfo {
        resource: Resource::ValidatingAdmissionPolicies,
        kind: "ValidatingAdmissionPolicy",
        group: "admissionregistration.k8s.io",
        version: "v1",
        plural: "validatingadmissionpolicies",
        singular: "validatingadmissionpolicy",
        short_names: &[],
        namespaced: false,
    },
    ResourceInfo {
        resource: Resource::ValidatingAdmissionPolicyBindings,
        kind: "ValidatingAdmissionPolicyBinding",
        group: "admissionregistration.k8s.io",
        version: "v1",
        plural: "validatingadmissionpolicybindings",
        singular: "validatingadmissionpolicybinding",
        short_names: &[],
        namespaced: false,
    },
    ResourceInfo {
        resource: Resource::ConfigMaps,
        kind: "ConfigMap",
        group: "",
        version: "v1",
        plural: "configmaps",
        singular: "configmap",
        short_names: &["cm"],
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

    /// Kinds stored as plain JSON by the generic store (no typed model).
    pub fn is_generic(self) -> bool {
        matches!(
            self,
            Resource::ValidatingAdmissionPolicies
                | Resource::ValidatingAdmissionPolicyBindings
                | Resource::ConfigMaps
        )
    }

    /// Whether objects of this kind carry metadata.generation (spec changes bump it).
    pub fn has_generation(self) -> bool {
        matches!(
            self,
            Resource::ValidatingAdmissionPolicies | Resource::ValidatingAdmissionPolicyBindings
        )
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
