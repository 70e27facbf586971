//! Shared test helpers: YAML samples as JSON, request attributes, a param source.
#![allow(dead_code)]

use serde_json::{json, Map, Value};
use servicecidr_admission::types::{labels_of, LabelSelector, ParamKind};
use servicecidr_admission::*;
use yaml_rust2::{Yaml, YamlLoader};

fn to_json(y: &Yaml) -> Value {
    match y {
        Yaml::Real(r) => r.parse::<f64>().map(|f| json!(f)).unwrap_or(Value::Null),
        Yaml::Integer(i) => json!(i),
        Yaml::String(s) => json!(s),
        Yaml::Boolean(b) => json!(b),
        Yaml::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        Yaml::Hash(h) => {
            let mut m = Map::new();
            for (k, v) in h {
                if let Some(k) = k.as_str() {
                    m.insert(k.to_string(), to_json(v));
                }
            }
            Value::Object(m)
        }
        _ => Value::Null,
    }
}

/// The documents of a YAML file, as JSON.
pub fn yaml_docs(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("sample readable");
    YamlLoader::load_from_str(&text)
        .expect("sample parses")
        .iter()
        .map(to_json)
        .collect()
}

/// A sample file's policy and binding, defaulted as the apiserver stores them.
pub fn sample(path: &str) -> (Vec<Value>, Vec<Value>) {
    let (mut policies, mut bindings) = (Vec::new(), Vec::new());
    for mut doc in yaml_docs(path) {
        match doc["kind"].as_str() {
            Some("ValidatingAdmissionPolicy") => {
                set_policy_defaults(&mut doc);
                policies.push(doc)
            }
            Some("ValidatingAdmissionPolicyBinding") => {
                set_binding_defaults(&mut doc);
                bindings.push(doc)
            }
            _ => {}
        }
    }
    (policies, bindings)
}

pub fn admin() -> UserInfo {
    UserInfo {
        username: "kubernetes-admin".into(),
        groups: vec![
            "kubeadm:cluster-admins".into(),
            "system:authenticated".into(),
        ],
        ..Default::default()
    }
}

pub fn apiserver() -> UserInfo {
    UserInfo {
        username: "system:apiserver".into(),
        uid: "0b5ab04e-5ab4-4bfc-8a34-ce8d1bd4e0e6".into(),
        groups: vec!["system:authenticated".into(), "system:masters".into()],
        ..Default::default()
    }
}

pub fn service_cidr(name: &str, cidrs: &[&str]) -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "ServiceCIDR",
        "metadata": {"name": name},
        "spec": {"cidrs": cidrs},
    })
}

/// A CREATE of a cluster-scoped networking.k8s.io/v1 ServiceCIDR.
pub fn create_service_cidr(name: &str, cidrs: &[&str], user: UserInfo) -> Attributes {
    Attributes {
        operation: Operation::Create,
        resource: GroupVersionResource::new("networking.k8s.io", "v1", "servicecidrs"),
        subresource: String::new(),
        kind: GroupVersionKind::new("networking.k8s.io", "v1", "ServiceCIDR"),
        name: name.into(),
        namespace: String::new(),
        object: Some(service_cidr(name, cidrs)),
        old_object: None,
        user_info: user,
        dry_run: false,
        options: Some(json!({"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"})),
    }
}

/// A ParamSource over a few objects: ConfigMaps (namespaced) and a
/// cluster-scoped "example.com/v1 ClusterParams" kind; namespaces by name.
#[derive(Default)]
pub struct Objects {
    pub config_maps: Vec<Value>,
    pub cluster_params: Vec<Value>,
    pub namespaces: Vec<Value>,
    /// (subresource, equivalent resource, its kind for that subresource)
    pub equivalents: Vec<(&'static str, GroupVersionResource, GroupVersionKind)>,
}

fn ns_of(v: &Value) -> &str {
    v.pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
}
fn name_of(v: &Value) -> &str {
    v.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

impl Objects {
    fn of_kind(&self, kind: &ParamKind) -> Option<&Vec<Value>> {
        match (kind.api_version.as_str(), kind.kind.as_str()) {
            ("v1", "ConfigMap") => Some(&self.config_maps),
            ("example.com/v1", "ClusterParams") => Some(&self.cluster_params),
            _ => None,
        }
    }
}

impl ParamSource for Objects {
    fn param_scope(&self, kind: &ParamKind) -> Option<ParamScope> {
        match kind.kind.as_str() {
            "ConfigMap" if kind.api_version == "v1" => Some(ParamScope::Namespaced),
            "ClusterParams" if kind.api_version == "example.com/v1" => Some(ParamScope::Cluster),
            _ => None,
        }
    }
    fn get_param(&self, kind: &ParamKind, namespace: &str, name: &str) -> Option<Value> {
        self.of_kind(kind)?
            .iter()
            .find(|o| ns_of(o) == namespace && name_of(o) == name)
            .cloned()
    }
    fn list_params(
        &self,
        kind: &ParamKind,
        namespace: &str,
        selector: &LabelSelector,
    ) -> Vec<Value> {
        self.of_kind(kind)
            .map(|v| {
                v.iter()
                    .filter(|o| ns_of(o) == namespace && selector.matches(&labels_of(o)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
    fn namespace(&self, name: &str) -> Option<Value> {
        self.namespaces.iter().find(|n| name_of(n) == name).cloned()
    }
    fn equivalent_resources(
        &self,
        _resource: &GroupVersionResource,
        subresource: &str,
    ) -> Vec<(GroupVersionResource, GroupVersionKind)> {
        self.equivalents
            .iter()
            .filter(|(sub, _, _)| *sub == subresource)
            .map(|(_, r, k)| (r.clone(), k.clone()))
            .collect()
    }
}
