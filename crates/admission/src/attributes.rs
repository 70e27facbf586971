//! The request as admission sees it (admission.Attributes), what CEL sees of
//! it (`request`, an admission/v1 AdmissionRequest), and what admission asks
//! of the cluster (params, namespaces, equivalent resources).

use crate::types::{LabelSelector, ParamKind};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Connect,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Connect => "CONNECT",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupVersionResource {
    pub group: String,
    pub version: String,
    pub resource: String,
}

impl GroupVersionResource {
    pub fn new(group: &str, version: &str, resource: &str) -> Self {
        GroupVersionResource {
            group: group.to_string(),
            version: version.to_string(),
            resource: resource.to_string(),
        }
    }

    /// schema.GroupResource.String(): `resource.group`, or `resource`.
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupVersionKind {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl GroupVersionKind {
    pub fn new(group: &str, version: &str, kind: &str) -> Self {
        GroupVersionKind {
            group: group.to_string(),
            version: version.to_string(),
            kind: kind.to_string(),
        }
    }
}

/// authenticationv1.UserInfo.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserInfo {
    pub username: String,
    pub uid: String,
    pub groups: Vec<String>,
    pub extra: BTreeMap<String, Vec<String>>,
}

/// admission.Attributes of one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Attributes {
    pub operation: Operation,
    pub resource: GroupVersionResource,
    pub subresource: String,
    pub kind: GroupVersionKind,
    /// The object's name; empty on a create that relies on generateName.
    pub name: String,
    /// Empty for cluster-scoped resources.
    pub namespace: String,
    /// The new object (None for DELETE and CONNECT).
    pub object: Option<Value>,
    /// The stored object (None for CREATE and CONNECT).
    pub old_object: Option<Value>,
    pub user_info: UserInfo,
    pub dry_run: bool,
    /// The operation's options object (CreateOptions, UpdateOptions, DeleteOptions), if any.
    pub options: Option<Value>,
}

/// The scope of a param kind's resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamScope {
    Namespaced,
    Cluster,
}

/// What admission needs from the rest of the cluster. The core implements it
/// over its store; tests implement it over a few objects.
pub trait ParamSource {
    /// The scope of `kind`'s resource, or None if no resource serves that kind
    /// (upstream's REST mapping failure).
    fn param_scope(&self, kind: &ParamKind) -> Option<ParamScope>;
    /// The object of `kind` named `name` in `namespace` ("" when cluster-scoped).
    fn get_param(&self, kind: &ParamKind, namespace: &str, name: &str) -> Option<Value>;
    /// The objects of `kind` in `namespace` ("" when cluster-scoped, or all
    /// namespaces is never asked) whose labels match `selector`.
    fn list_params(
        &self,
        kind: &ParamKind,
        namespace: &str,
        selector: &LabelSelector,
    ) -> Vec<Value>;
    /// The Namespace object named `name`, for `namespaceObject` and namespaceSelector.
    fn namespace(&self, name: &str) -> Option<Value>;
    /// Other resources (and their kinds) serving the same objects as
    /// `resource` (e.g. another version), for matchPolicy Equivalent.
    fn equivalent_resources(
        &self,
        _resource: &GroupVersionResource,
        _subresource: &str,
    ) -> Vec<(GroupVersionResource, GroupVersionKind)> {
        Vec::new()
    }
}

/// A ParamSource with nothing in it.
pub struct NoParams;

impl ParamSource for NoParams {
    fn param_scope(&self, _: &ParamKind) -> Option<ParamScope> {
        None
    }
    fn get_param(&self, _: &ParamKind, _: &str, _: &str) -> Option<Value> {
        None
    }
    fn list_params(&self, _: &ParamKind, _: &str, _: &LabelSelector) -> Vec<Value> {
        Vec::new()
    }
    fn namespace(&self, _: &str) -> Option<Value> {
        None
    }
}

fn gvk_json(g: &GroupVersionKind) -> Value {
    json!({"group": g.group, "version": g.version, "kind": g.kind})
}

fn gvr_json(r: &GroupVersionResource) -> Value {
    json!({"group": r.group, "version": r.version, "resource": r.resource})
}

/// cel.CreateAdmissionRequest as unstructured: `kind`/`resource` are the
/// matched (possibly equivalent) ones, `requestKind`/`requestResource` the
/// request's; empty strings and empty userInfo fields are omitted as their
/// JSON tags say (`omitempty`), `uid` (not omitempty) is the empty string
/// since the simulator gives requests no UID.
pub fn request_json(
    attrs: &Attributes,
    matched_resource: &GroupVersionResource,
    matched_kind: &GroupVersionKind,
) -> Value {
    let mut m = Map::new();
    m.insert("uid".into(), json!(""));
    m.insert("kind".into(), gvk_json(matched_kind));
    m.insert("resource".into(), gvr_json(matched_resource));
    if !attrs.subresource.is_empty() {
        m.insert("subResource".into(), json!(attrs.subresource));
    }
    m.insert("requestKind".into(), gvk_json(&attrs.kind));
    m.insert("requestResource".into(), gvr_json(&attrs.resource));
    if !attrs.subresource.is_empty() {
        m.insert("requestSubResource".into(), json!(attrs.subresource));
    }
    if !attrs.name.is_empty() {
        m.insert("name".into(), json!(attrs.name));
    }
    if !attrs.namespace.is_empty() {
        m.insert("namespace".into(), json!(attrs.namespace));
    }
    m.insert("operation".into(), json!(attrs.operation.as_str()));
    let u = &attrs.user_info;
    let mut user = Map::new();
    if !u.username.is_empty() {
        user.insert("username".into(), json!(u.username));
    }
    if !u.uid.is_empty() {
        user.insert("uid".into(), json!(u.uid));
    }
    if !u.groups.is_empty() {
        user.insert("groups".into(), json!(u.groups));
    }
    if !u.extra.is_empty() {
        user.insert("extra".into(), json!(u.extra));
    }
    m.insert("userInfo".into(), Value::Object(user));
    m.insert("dryRun".into(), json!(attrs.dry_run));
    if let Some(o) = &attrs.options {
        m.insert("options".into(), o.clone());
    }
    Value::Object(m)
}

/// cel.CreateNamespaceObject: the metadata fields CEL may read, spec, status.
pub fn namespace_object_json(ns: &Value) -> Value {
    let mut meta = Map::new();
    if let Some(md) = ns.get("metadata").and_then(Value::as_object) {
        for key in [
            "name",
            "generateName",
            "namespace",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "ownerReferences",
            "finalizers",
            "managedFields",
        ] {
            if let Some(v) = md.get(key) {
                meta.insert(key.to_string(), v.clone());
            }
        }
    }
    let mut out = Map::new();
    out.insert("metadata".into(), Value::Object(meta));
    for key in ["spec", "status"] {
        if let Some(v) = ns.get(key) {
            out.insert(key.to_string(), v.clone());
        }
    }
    Value::Object(out)
}
