//! The crate's entry points as JSON in, JSON out: what the separate CEL wasm
//! module (crates/admission-wasm) exports to the browser, so that the main
//! module can hand it a request without linking CEL.
//!
//! `admit` input:
//! ```json
//! {"policies": [...], "bindings": [...],
//!  "attributes": {"operation": "CREATE", "resource": {"group","version","resource"},
//!                 "subResource": "", "kind": {"group","version","kind"}, "name": "",
//!                 "namespace": "", "object": {...}, "oldObject": null,
//!                 "userInfo": {"username","uid","groups","extra"}, "dryRun": false,
//!                 "options": {...}},
//!  "cluster": {"paramKinds": [{"apiVersion": "v1", "kind": "ConfigMap", "scope": "Namespaced"}],
//!              "params": [objects of those kinds], "namespaces": [Namespace objects]}}
//! ```
//! output: `{"denial": Status|null, "warnings": [...], "auditAnnotations": [{"key","value"}],
//! "evaluations": [{"policy","binding","param","decisions":[{"action","evaluation","message","reason","validation"}]}]}`,
//! or `{"error": "..."}` when the input is not JSON of that shape.

use crate::attributes::{
    Attributes, GroupVersionKind, GroupVersionResource, Operation, ParamScope, ParamSource,
    UserInfo,
};
use crate::evaluate::{evaluate, Outcome};
use crate::types::{labels_of, LabelSelector, ParamKind};
use crate::validation::{validate_binding, validate_policy, FieldError};
use serde_json::{json, Value};

fn s(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn opt_object(v: &Value, key: &str) -> Option<Value> {
    v.get(key).filter(|x| !x.is_null()).cloned()
}

/// Attributes from the JSON shape above.
pub fn attributes_from_json(v: &Value) -> Result<Attributes, String> {
    let operation = match v.get("operation").and_then(Value::as_str) {
        Some("CREATE") => Operation::Create,
        Some("UPDATE") => Operation::Update,
        Some("DELETE") => Operation::Delete,
        Some("CONNECT") => Operation::Connect,
        other => return Err(format!("attributes.operation: unknown operation {other:?}")),
    };
    let r = v.get("resource").unwrap_or(&Value::Null);
    let k = v.get("kind").unwrap_or(&Value::Null);
    let u = v.get("userInfo").unwrap_or(&Value::Null);
    let groups = u
        .get("groups")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|g| g.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let extra = u
        .get("extra")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(key, vals)| {
                    let vals = vals
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    (key.clone(), vals)
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Attributes {
        operation,
        resource: GroupVersionResource::new(&s(r, "group"), &s(r, "version"), &s(r, "resource")),
        subresource: s(v, "subResource"),
        kind: GroupVersionKind::new(&s(k, "group"), &s(k, "version"), &s(k, "kind")),
        name: s(v, "name"),
        namespace: s(v, "namespace"),
        object: opt_object(v, "object"),
        old_object: opt_object(v, "oldObject"),
        user_info: UserInfo {
            username: s(u, "username"),
            uid: s(u, "uid"),
            groups,
            extra,
        },
        dry_run: v.get("dryRun").and_then(Value::as_bool).unwrap_or(false),
        options: opt_object(v, "options"),
    })
}

/// A ParamSource over a snapshot of objects.
pub struct SnapshotParams {
    kinds: Vec<(ParamKind, ParamScope)>,
    params: Vec<Value>,
    namespaces: Vec<Value>,
}

impl SnapshotParams {
    pub fn from_json(v: &Value) -> SnapshotParams {
        let list = |key: &str| {
            v.get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        SnapshotParams {
            kinds: list("paramKinds")
                .iter()
                .map(|k| {
                    let scope = if s(k, "scope") == "Cluster" {
                        ParamScope::Cluster
                    } else {
                        ParamScope::Namespaced
                    };
                    (
                        ParamKind {
                            api_version: s(k, "apiVersion"),
                            kind: s(k, "kind"),
                        },
                        scope,
                    )
                })
                .collect(),
            params: list("params"),
            namespaces: list("namespaces"),
        }
    }

    fn of_kind<'a>(
        &'a self,
        kind: &'a ParamKind,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a Value> + 'a {
        self.params.iter().filter(move |p| {
            s(p, "apiVersion") == kind.api_version
                && s(p, "kind") == kind.kind
                && p.pointer("/metadata/namespace")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    == namespace
        })
    }
}

impl ParamSource for SnapshotParams {
    fn param_scope(&self, kind: &ParamKind) -> Option<ParamScope> {
        self.kinds.iter().find(|(k, _)| k == kind).map(|(_, s)| *s)
    }
    fn get_param(&self, kind: &ParamKind, namespace: &str, name: &str) -> Option<Value> {
        self.of_kind(kind, namespace)
            .find(|p| p.pointer("/metadata/name").and_then(Value::as_str) == Some(name))
            .cloned()
    }
    fn list_params(
        &self,
        kind: &ParamKind,
        namespace: &str,
        selector: &LabelSelector,
    ) -> Vec<Value> {
        self.of_kind(kind, namespace)
            .filter(|p| selector.matches(&labels_of(p)))
            .cloned()
            .collect()
    }
    fn namespace(&self, name: &str) -> Option<Value> {
        self.namespaces
            .iter()
            .find(|n| n.pointer("/metadata/name").and_then(Value::as_str) == Some(name))
            .cloned()
    }
}

/// The Outcome as JSON (the shape documented above).
pub fn outcome_json(o: &Outcome) -> Value {
    json!({
        "denial": o.denial,
        "warnings": o.warnings,
        "auditAnnotations": o.audit_annotations.iter().map(|a| json!({"key": a.key, "value": a.value})).collect::<Vec<_>>(),
        "evaluations": o.evaluations.iter().map(|e| json!({
            "policy": e.policy,
            "binding": e.binding,
            "param": e.param,
            "decisions": e.decisions.iter().map(|d| json!({
                "action": d.action,
                "evaluation": d.evaluation,
                "message": d.message,
                "reason": d.reason,
                "validation": d.validation,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// `admit(requestJson) -> outcomeJson`.
pub fn admit(request: &str) -> String {
    let v: Value = match serde_json::from_str(request) {
        Ok(v) => v,
        Err(e) => return json!({"error": format!("request is not JSON: {e}")}).to_string(),
    };
    let attrs = match attributes_from_json(v.get("attributes").unwrap_or(&Value::Null)) {
        Ok(a) => a,
        Err(e) => return json!({"error": e}).to_string(),
    };
    let list = |key: &str| {
        v.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let params = SnapshotParams::from_json(v.get("cluster").unwrap_or(&Value::Null));
    outcome_json(&evaluate(
        &list("policies"),
        &list("bindings"),
        &attrs,
        &params,
    ))
    .to_string()
}

fn field_errors_json(errs: &[FieldError]) -> String {
    Value::Array(
        errs.iter()
            .map(|e| {
                json!({
                    "type": e.type_.cause_type(),
                    "field": e.field,
                    "value": e.bad_value,
                    "detail": e.detail,
                    "message": e.message(),
                })
            })
            .collect(),
    )
    .to_string()
}

/// `validatePolicy(json) -> [fieldError]` (`{"error"}` if not JSON).
pub fn validate_policy_json(policy: &str) -> String {
    match serde_json::from_str::<Value>(policy) {
        Ok(v) => field_errors_json(&validate_policy(&v)),
        Err(e) => json!({"error": format!("policy is not JSON: {e}")}).to_string(),
    }
}

/// `validateBinding(json) -> [fieldError]`.
pub fn validate_binding_json(binding: &str) -> String {
    match serde_json::from_str::<Value>(binding) {
        Ok(v) => field_errors_json(&validate_binding(&v)),
        Err(e) => json!({"error": format!("binding is not JSON: {e}")}).to_string(),
    }
}

/// `evalExpression(expr, varsJson) -> {"value"}|{"error"}`: a playground helper
/// evaluating one expression with the given top-level variables.
pub fn eval_expression_json(expr: &str, vars: &str) -> String {
    let vars: Value = serde_json::from_str(vars).unwrap_or(Value::Null);
    let bindings: Vec<(&str, &Value)> = vars
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default();
    match crate::cel::evaluate_expression(expr, &bindings) {
        Ok(crate::cel::Outcome::Bool(b)) => json!({"value": b}),
        Ok(crate::cel::Outcome::String(s)) => json!({"value": s}),
        Ok(crate::cel::Outcome::Null) => json!({"value": null}),
        Ok(crate::cel::Outcome::Other(t)) => json!({"type": t}),
        Err(e) => json!({"error": e}),
    }
    .to_string()
}

/// `defaultObject(json) -> json`: a ValidatingAdmissionPolicy or binding with
/// the API defaults filled in (other kinds come back unchanged).
pub fn default_object_json(object: &str) -> String {
    match serde_json::from_str::<Value>(object) {
        Ok(mut v) => {
            match v.get("kind").and_then(Value::as_str) {
                Some("ValidatingAdmissionPolicy") => crate::types::set_policy_defaults(&mut v),
                Some("ValidatingAdmissionPolicyBinding") => {
                    crate::types::set_binding_defaults(&mut v)
                }
                _ => {}
            }
            v.to_string()
        }
        Err(e) => json!({"error": format!("object is not JSON: {e}")}).to_string(),
    }
}
