//! Per-kind merge metadata: the Go struct tags (`patchStrategy`, `patchMergeKey`)
//! and the `+listType`/`+listMapKey`/`+mapType` markers of the served kinds, as
//! data. Strategic merge patch (patch.rs) and server-side apply
//! (managed_fields.rs) read it; a new kind is one `KindSchema` entry in `KINDS`.
//!
//! API: `schema::lookup(api_version, kind) -> Option<&'static KindSchema>`, then
//! `KindSchema::field(path)` with a dotted path from the object's root in which
//! list elements add no segment (`spec.ports.targetPort`).
//!
//! Facts from k8s.io/api v0.33 (core/v1, networking/v1, networking/v1beta1
//! types.go) and k8s.io/apimachinery v0.33 (meta/v1 types.go).

/// How a list is owned and merged (`+listType`). Lists without a marker are atomic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListType {
    Atomic,
    Set,
    /// `+listType=map` with its `+listMapKey`s, in declaration order.
    Map(&'static [&'static str]),
}

/// One field with non-default merge behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldRule {
    /// Dotted path from the object root; list elements add no segment.
    pub path: &'static str,
    /// `patchStrategy` tag: "merge", "replace", "retainKeys", "merge,retainKeys" or "".
    pub patch_strategy: &'static str,
    /// `patchMergeKey` tag, "" when none.
    pub patch_merge_key: &'static str,
    /// For lists: `+listType`. For maps: `Atomic` when `+mapType=atomic`.
    pub list_type: ListType,
}

/// The merge metadata of one kind in one group (all served versions share it).
#[derive(Debug)]
pub struct KindSchema {
    pub group: &'static str,
    pub kind: &'static str,
    pub fields: &'static [FieldRule],
}

impl KindSchema {
    /// The rule for a path, if the field has one.
    pub fn field(&self, path: &str) -> Option<&'static FieldRule> {
        self.fields
            .iter()
            .chain(OBJECT_META.iter())
            .find(|f| f.path == path)
    }

    /// The patch strategies of a field (`patchStrategy:"merge,retainKeys"` → two).
    pub fn patch_strategies(&self, path: &str) -> Vec<&'static str> {
        match self.field(path) {
            Some(f) if !f.patch_strategy.is_empty() => f.patch_strategy.split(',').collect(),
            _ => Vec::new(),
        }
    }

    /// The patchMergeKey of a list field, "" when none.
    pub fn patch_merge_key(&self, path: &str) -> &'static str {
        self.field(path).map(|f| f.patch_merge_key).unwrap_or("")
    }

    /// `+listType` of a list field (atomic when unmarked).
    pub fn list_type(&self, path: &str) -> ListType {
        self.field(path)
            .map(|f| f.list_type)
            .unwrap_or(ListType::Atomic)
    }

    /// Whether a map field is `+mapType=atomic`.
    pub fn map_is_atomic(&self, path: &str) -> bool {
        matches!(self.field(path), Some(f) if f.list_type == ListType::Atomic)
    }
}

const fn rule(
    path: &'static str,
    patch_strategy: &'static str,
    patch_merge_key: &'static str,
    list_type: ListType,
) -> FieldRule {
    FieldRule {
        path,
        patch_strategy,
        patch_merge_key,
        list_type,
    }
}

/// metav1.ObjectMeta, shared by every kind.
const OBJECT_META: &[FieldRule] = &[
    rule(
        "metadata.ownerReferences",
        "merge",
        "uid",
        ListType::Map(&["uid"]),
    ),
    rule("metadata.finalizers", "merge", "", ListType::Set),
    rule("metadata.managedFields", "", "", ListType::Atomic),
];

const SERVICE: &[FieldRule] = &[
    rule(
        "spec.ports",
        "merge",
        "port",
        ListType::Map(&["port", "protocol"]),
    ),
    rule("spec.selector", "", "", ListType::Atomic),
    rule(
        "status.conditions",
        "merge",
        "type",
        ListType::Map(&["type"]),
    ),
];

const SERVICE_CIDR: &[FieldRule] = &[rule(
    "status.conditions",
    "merge",
    "type",
    ListType::Map(&["type"]),
)];

const IP_ADDRESS: &[FieldRule] = &[];

/// Every kind the simulator serves.
pub static KINDS: &[KindSchema] = &[
    KindSchema {
        group: "",
        kind: "Service",
        fields: SERVICE,
    },
    KindSchema {
        group: "networking.k8s.io",
        kind: "ServiceCIDR",
        fields: SERVICE_CIDR,
    },
    KindSchema {
        group: "networking.k8s.io",
        kind: "IPAddress",
        fields: IP_ADDRESS,
    },
];

/// The group of an apiVersion (`networking.k8s.io/v1` → `networking.k8s.io`, `v1` → "").
pub fn group_of(api_version: &str) -> &str {
    match api_version.rsplit_once('/') {
        Some((g, _)) => g,
        None => "",
    }
}

/// The schema of a served kind, None for anything else (CRD-like content).
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static KindSchema> {
    let group = group_of(api_version);
    KINDS.iter().find(|k| k.group == group && k.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_ports_merge_by_port_and_own_by_port_protocol() {
        let s = lookup("v1", "Service").unwrap();
        assert_eq!(s.patch_merge_key("spec.ports"), "port");
        assert_eq!(s.patch_strategies("spec.ports"), vec!["merge"]);
        assert_eq!(
            s.list_type("spec.ports"),
            ListType::Map(&["port", "protocol"])
        );
        assert!(s.map_is_atomic("spec.selector"));
        assert_eq!(s.list_type("spec.clusterIPs"), ListType::Atomic);
        assert_eq!(s.list_type("metadata.finalizers"), ListType::Set);
        assert_eq!(s.patch_merge_key("metadata.ownerReferences"), "uid");
    }

    #[test]
    fn networking_kinds_share_every_version() {
        for v in ["networking.k8s.io/v1", "networking.k8s.io/v1beta1"] {
            let s = lookup(v, "ServiceCIDR").unwrap();
            assert_eq!(s.patch_merge_key("status.conditions"), "type");
            assert!(lookup(v, "IPAddress").is_some());
        }
        assert!(lookup("v1", "ServiceCIDR").is_none());
        assert!(lookup("example.com/v1", "Widget").is_none());
    }

    /// The table states the same facts as the served OpenAPI documents
    /// (x-kubernetes-patch-strategy/-merge-key, list-type/-map-keys, map-type).
    #[test]
    fn table_agrees_with_openapi() {
        use crate::openapi;
        let versions: &[(&str, &str)] = &[
            ("", "v1"),
            ("networking.k8s.io", "networking.k8s.io/v1"),
            ("networking.k8s.io", "networking.k8s.io/v1beta1"),
        ];
        for k in KINDS {
            for (g, av) in versions.iter().filter(|(g, _)| *g == k.group) {
                let _ = g;
                let all = openapi::schemas(av).unwrap();
                let root = openapi::schema_of(av, k.kind).unwrap();
                for rule in k.fields.iter().chain(OBJECT_META.iter()) {
                    let mut cur = root;
                    let mut prop = None;
                    for seg in rule.path.split('.') {
                        let s = openapi::resolve_ref(all, cur);
                        let s = s
                            .get("items")
                            .map(|i| openapi::resolve_ref(all, i))
                            .unwrap_or(s);
                        prop = s.pointer(&format!("/properties/{seg}"));
                        cur = prop.unwrap_or_else(|| panic!("{av} {} {}", k.kind, rule.path));
                    }
                    let p = prop.unwrap();
                    let st = p
                        .get("x-kubernetes-patch-strategy")
                        .and_then(|v| v.as_str())
                        .unwrap_or("");
                    let mk = p
                        .get("x-kubernetes-patch-merge-key")
                        .and_then(|v| v.as_str())
                        .unwrap_or("");
                    assert_eq!(
                        (st, mk),
                        (rule.patch_strategy, rule.patch_merge_key),
                        "{av} {}",
                        rule.path
                    );
                    let lt = p.get("x-kubernetes-list-type").and_then(|v| v.as_str());
                    let mt = p.get("x-kubernetes-map-type").and_then(|v| v.as_str());
                    match rule.list_type {
                        ListType::Map(keys) => {
                            assert_eq!(lt, Some("map"), "{}", rule.path);
                            let got: Vec<&str> = p["x-kubernetes-list-map-keys"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .filter_map(|v| v.as_str())
                                .collect();
                            assert_eq!(got, keys.to_vec());
                        }
                        ListType::Set => assert_eq!(lt, Some("set"), "{}", rule.path),
                        ListType::Atomic => assert!(
                            lt == Some("atomic") || mt == Some("atomic"),
                            "{}",
                            rule.path
                        ),
                    }
                }
            }
        }
    }
}
