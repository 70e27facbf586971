//! ValidatingAdmissionPolicy in the request path, with the CEL outside the core.
//!
//! [`PolicyAdmission`] is the admission plugin the core installs for policies:
//! it reads the stored policies, bindings and params through the listers and
//! hands one JSON request to a [`PolicyEvaluator`] — the admission crate's
//! JSON entry points, linked natively or reached in a second wasm module that
//! a browser loads on first use — then turns the evaluator's JSON answer into
//! the apiserver's (a denial Status, `Warning:` texts, audit records).

use super::{
    AdmissionAttributes, AdmissionVerdict, Cluster, PolicyDecisionRecord, ValidatingAdmission,
    NAMESPACES,
};
use crate::model::{ApiError, FieldError, FieldErrorType, Resource};
use serde_json::{json, Value};

/// The JSON entry points of a ValidatingAdmissionPolicy evaluator (the
/// admission crate's `json_api`): request in, answer out, both JSON text.
pub trait PolicyEvaluator {
    /// `{"policies","bindings","attributes","cluster"}` → `{"denial","warnings","auditAnnotations","evaluations"}`.
    fn admit(&self, request: &str) -> String;
    /// A policy → its field errors `[{"type","field","value","detail"}]`.
    fn validate_policy(&self, policy: &str) -> String;
    /// A binding → its field errors.
    fn validate_binding(&self, binding: &str) -> String;
    /// A policy or binding with upstream's defaults filled in (SetDefaults_*).
    fn default_object(&self, object: &str) -> String;
}

/// Four functions are an evaluator: (admit, validatePolicy, validateBinding,
/// defaultObject) — the admission crate's `json_api` natively, the CEL
/// module's exports in JS.
impl<A, P, B, D> PolicyEvaluator for (A, P, B, D)
where
    A: Fn(&str) -> String,
    P: Fn(&str) -> String,
    B: Fn(&str) -> String,
    D: Fn(&str) -> String,
{
    fn admit(&self, request: &str) -> String {
        (self.0)(request)
    }
    fn validate_policy(&self, policy: &str) -> String {
        (self.1)(policy)
    }
    fn validate_binding(&self, binding: &str) -> String {
        (self.2)(binding)
    }
    fn default_object(&self, object: &str) -> String {
        (self.3)(object)
    }
}

pub struct PolicyAdmission<E: PolicyEvaluator> {
    evaluator: E,
}

impl<E: PolicyEvaluator> PolicyAdmission<E> {
    pub fn new(evaluator: E) -> Self {
        PolicyAdmission { evaluator }
    }
}

/// The Namespace objects admission sees (namespaces are not stored objects
/// here; each carries the label the NamespaceLifecycle controller sets).
fn namespace_objects() -> Vec<Value> {
    NAMESPACES
        .iter()
        .map(|ns| {
            json!({"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns}},
                   "status": {"phase": "Active"}})
        })
        .collect()
}

fn attributes_json(a: &AdmissionAttributes) -> Value {
    let info = a.resource.info();
    json!({
        "operation": a.operation.as_str(),
        "resource": {"group": info.group, "version": info.version, "resource": info.plural},
        "subResource": a.subresource,
        "kind": {"group": info.group, "version": info.version, "kind": info.kind},
        "name": a.name,
        "namespace": a.namespace,
        "object": a.object,
        "oldObject": a.old_object,
        "userInfo": {"username": a.user.username, "uid": a.user.uid, "groups": a.user.groups},
        "dryRun": a.dry_run,
        "options": options_json(a),
    })
}

/// The request's options object, as admission.Attributes.GetOperationOptions.
fn options_json(a: &AdmissionAttributes) -> Value {
    let kind = match a.operation.as_str() {
        "CREATE" => "CreateOptions",
        "UPDATE" => "UpdateOptions",
        _ => "DeleteOptions",
    };
    json!({"kind": kind, "apiVersion": "meta.k8s.io/v1"})
}

/// The evaluator's denial Status as the request's error.
fn denial_error(status: &Value) -> ApiError {
    let code = status
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(422);
    let reason = status.get("reason").and_then(Value::as_str).unwrap_or("");
    let message = status.get("message").and_then(Value::as_str).unwrap_or("");
    let mut e = ApiError::new(code, reason, message);
    e.details = status.get("details").cloned();
    e
}

fn field_errors(answer: &str) -> Result<Vec<FieldError>, String> {
    let v: Value = serde_json::from_str(answer).map_err(|e| e.to_string())?;
    if let Some(err) = v.get("error").and_then(Value::as_str) {
        return Err(err.to_string());
    }
    let items = v.as_array().cloned().unwrap_or_default();
    Ok(items
        .iter()
        .map(|e| {
            let type_ = match e.get("type").and_then(Value::as_str).unwrap_or("") {
                "FieldValueRequired" => FieldErrorType::Required,
                "FieldValueForbidden" => FieldErrorType::Forbidden,
                "FieldValueNotSupported" => FieldErrorType::NotSupported,
                "FieldValueDuplicate" => FieldErrorType::Duplicate,
                "FieldValueTooMany" => FieldErrorType::TooMany,
                "FieldValueTooLong" => FieldErrorType::TooLong,
                "InternalError" => FieldErrorType::Internal,
                _ => FieldErrorType::Invalid,
            };
            FieldError {
                type_,
                field: e.get("field").and_then(Value::as_str).unwrap_or("").into(),
                bad_value: match type_ {
                    FieldErrorType::Required
                    | FieldErrorType::Forbidden
                    | FieldErrorType::Internal => None,
                    _ => e.get("value").cloned(),
                },
                detail: e.get("detail").and_then(Value::as_str).unwrap_or("").into(),
                go_value: None,
            }
        })
        .collect())
}

/// The evaluator's `evaluations` as typed records, each with the binding's
/// validationActions and the request it judged.
fn decision_records(
    answer: &Value,
    bindings: &[Value],
    a: &AdmissionAttributes,
    refused: bool,
) -> Vec<PolicyDecisionRecord> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let info = a.resource.info();
    let resource = if a.subresource.is_empty() {
        info.plural.to_string()
    } else {
        format!("{}/{}", info.plural, a.subresource)
    };
    let mut out = Vec::new();
    for e in answer
        .get("evaluations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let binding = e.get("binding").and_then(Value::as_str);
        let validation_actions: Vec<String> = binding
            .and_then(|name| {
                bindings
                    .iter()
                    .find(|b| b.pointer("/metadata/name").and_then(Value::as_str) == Some(name))
            })
            .and_then(|b| b.pointer("/spec/validationActions"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        for d in e
            .get("decisions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push(PolicyDecisionRecord {
                policy: text(e, "policy"),
                binding: binding.map(str::to_string),
                param: e.get("param").and_then(Value::as_str).map(str::to_string),
                validation_actions: validation_actions.clone(),
                evaluation: text(d, "evaluation"),
                action: text(d, "action"),
                message: text(d, "message"),
                reason: text(d, "reason"),
                validation: d
                    .get("validation")
                    .and_then(Value::as_u64)
                    .and_then(|i| u32::try_from(i).ok()),
                user: a.user.username.clone(),
                groups: a.user.groups.clone(),
                operation: a.operation.as_str().to_string(),
                group: info.group.to_string(),
                resource: resource.clone(),
                namespace: a.namespace.clone(),
                name: a.name.clone(),
                refused,
            });
        }
    }
    out
}

impl<E: PolicyEvaluator> ValidatingAdmission for PolicyAdmission<E> {
    fn validate(&mut self, cluster: &Cluster, a: &AdmissionAttributes) -> AdmissionVerdict {
        let listers = cluster.listers();
        let bindings: Vec<Value> = listers
            .generic(Resource::ValidatingAdmissionPolicyBindings)
            .cloned()
            .collect();
        if bindings.is_empty() {
            return AdmissionVerdict::default();
        }
        let policies: Vec<Value> = listers
            .generic(Resource::ValidatingAdmissionPolicies)
            .cloned()
            .collect();
        let params: Vec<Value> = listers.generic(Resource::ConfigMaps).cloned().collect();
        let request = json!({
            "policies": policies,
            "bindings": bindings,
            "attributes": attributes_json(a),
            "cluster": {
                "paramKinds": [{"apiVersion": "v1", "kind": "ConfigMap", "scope": "Namespaced"}],
                "params": params,
                "namespaces": namespace_objects(),
            },
        });
        let answer: Value = match serde_json::from_str(&self.evaluator.admit(&request.to_string()))
        {
            Ok(v) => v,
            Err(e) => Value::String(format!("the policy evaluator answered no JSON: {e}")),
        };
        if let Some(err) = answer
            .get("error")
            .and_then(Value::as_str)
            .or_else(|| answer.as_str())
        {
            // The evaluator could not read its input: a bug here, not a policy
            // decision; fail closed as a webhook that cannot be called does.
            return AdmissionVerdict {
                denied: Some(ApiError::internal(format!(
                    "ValidatingAdmissionPolicy: {err}"
                ))),
                ..Default::default()
            };
        }
        let denied = answer
            .get("denial")
            .filter(|d| d.is_object())
            .map(denial_error);
        let decisions = decision_records(&answer, &bindings, a, denied.is_some());
        let mut audit = Vec::new();
        for an in answer
            .get("auditAnnotations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            audit.push(format!(
                "audit annotation {}={}",
                an.get("key").and_then(Value::as_str).unwrap_or(""),
                an.get("value").and_then(Value::as_str).unwrap_or("")
            ));
        }
        AdmissionVerdict {
            denied,
            decisions,
            warnings: answer
                .get("warnings")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            audit,
        }
    }

    fn default_object(&self, r: Resource, object: &mut Value) {
        if matches!(
            r,
            Resource::ValidatingAdmissionPolicies | Resource::ValidatingAdmissionPolicyBindings
        ) {
            if let Ok(v) =
                serde_json::from_str::<Value>(&self.evaluator.default_object(&object.to_string()))
            {
                if v.is_object() && v.get("error").is_none() {
                    *object = v;
                }
            }
        }
    }

    fn validate_object(
        &self,
        r: Resource,
        object: &Value,
        _old: Option<&Value>,
    ) -> Vec<FieldError> {
        let text = object.to_string();
        let answer = match r {
            Resource::ValidatingAdmissionPolicies => self.evaluator.validate_policy(&text),
            Resource::ValidatingAdmissionPolicyBindings => self.evaluator.validate_binding(&text),
            _ => return Vec::new(),
        };
        field_errors(&answer).unwrap_or_else(|e| {
            vec![FieldError {
                type_: FieldErrorType::Internal,
                field: String::new(),
                bad_value: None,
                detail: format!("the policy evaluator could not validate this object: {e}"),
                go_value: None,
            }]
        })
    }
}
