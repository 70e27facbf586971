//! What this apiserver serves: groups, versions and resources, in one place.
//! Discovery (legacy and aggregated), routing and the Table printers all read
//! [`served`], so serving another version for a release profile (issue #12)
//! or another kind (ValidatingAdmissionPolicy, issue #13) is one change here.

use servicecidr_core::model::Resource;
use servicecidr_core::Cluster;

/// How the stored objects of a resource are shown on this endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// Objects the core stores, returned as they are (apiVersion rewritten to
    /// the requested version).
    Core(Resource),
    /// The core group's view of the stored events.k8s.io Events.
    CoreEvents,
    /// The four namespaces of a fresh cluster (not objects in the core).
    Namespaces,
}

/// One served resource of one group-version.
#[derive(Clone, Debug, PartialEq)]
pub struct ServedResource {
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    pub verbs: &'static [&'static str],
    /// Whether `/status` is served (PUT only: the core's status strategy).
    pub status: bool,
    pub storage: Storage,
}

/// A group-version and its resources; the first version of a group listed is the
/// preferred one.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupVersion {
    pub group: &'static str,
    pub version: &'static str,
    pub resources: Vec<ServedResource>,
}

impl GroupVersion {
    /// `v1` or `networking.k8s.io/v1`.
    pub fn group_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    pub fn resource(&self, plural: &str) -> Option<&ServedResource> {
        self.resources.iter().find(|r| r.plural == plural)
    }
}

/// Verbs of the stored kinds; `deletecollection` included because it is served.
pub const VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
/// Events are written by the controllers only; clients read and delete them.
const EVENT_VERBS: &[&str] = &["delete", "get", "list"];
const NAMESPACE_VERBS: &[&str] = &["get", "list"];

fn core(resource: Resource, categories: &'static [&'static str], status: bool) -> ServedResource {
    let i = resource.info();
    ServedResource {
        plural: i.plural,
        singular: i.singular,
        kind: i.kind,
        namespaced: i.namespaced,
        short_names: i.short_names,
        categories,
        verbs: VERBS,
        status,
        storage: Storage::Core(resource),
    }
}

fn events(storage: Storage) -> ServedResource {
    ServedResource {
        verbs: EVENT_VERBS,
        storage,
        ..core(Resource::Events, &[], false)
    }
}

/// Every served group-version, in discovery order: the core group first, then
/// the named groups by kube-apiserver's group priority (events.k8s.io 17750,
/// admissionregistration.k8s.io 16700... networking.k8s.io 17200 sorts before
/// it). Which networking.k8s.io versions exist is the emulated release's
/// answer (v1alpha1 1.29–1.30, v1beta1 1.31–1.36, v1 from 1.33), preferred first.
pub fn served(cluster: &Cluster) -> Vec<GroupVersion> {
    let networking = || {
        vec![
            core(Resource::IPAddresses, &[], false),
            core(Resource::ServiceCIDRs, &[], true),
        ]
    };
    let mut out = vec![
        GroupVersion {
            group: "",
            version: "v1",
            resources: vec![
                core(Resource::ConfigMaps, &[], false),
                events(Storage::CoreEvents),
                ServedResource {
                    plural: "namespaces",
                    singular: "namespace",
                    kind: "Namespace",
                    namespaced: false,
                    short_names: &["ns"],
                    categories: &[],
                    verbs: NAMESPACE_VERBS,
                    status: false,
                    storage: Storage::Namespaces,
                },
                core(Resource::Services, &["all"], false),
            ],
        },
        GroupVersion {
            group: "events.k8s.io",
            version: "v1",
            resources: vec![events(Storage::Core(Resource::Events))],
        },
    ];
    for gv in cluster.release().served_group_versions("servicecidrs") {
        let version = gv.rsplit('/').next().unwrap_or("v1");
        let Some(version) = NETWORKING_VERSIONS.iter().find(|v| **v == version) else {
            continue;
        };
        out.push(GroupVersion {
            group: "networking.k8s.io",
            version,
            resources: networking(),
        });
    }
    out.push(GroupVersion {
        group: "admissionregistration.k8s.io",
        version: "v1",
        resources: vec![
            core(
                Resource::ValidatingAdmissionPolicies,
                &["api-extensions"],
                true,
            ),
            core(
                Resource::ValidatingAdmissionPolicyBindings,
                &["api-extensions"],
                false,
            ),
        ],
    });
    out
}

/// The networking.k8s.io versions any modelled release serves (as 'static names).
const NETWORKING_VERSIONS: &[&str] = &["v1", "v1beta1", "v1alpha1"];

/// The served group-version `group`/`version`, if any.
pub fn find(cluster: &Cluster, group: &str, version: &str) -> Option<GroupVersion> {
    served(cluster)
        .into_iter()
        .find(|gv| gv.group == group && gv.version == version)
}
