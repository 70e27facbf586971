//! admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and
//! ValidatingAdmissionPolicyBinding, read from their JSON, and upstream's
//! defaulting (pkg/apis/admissionregistration/v1/defaults.go).
//!
//! Reading is tolerant: a field of the wrong JSON type reads as absent, so that
//! evaluation never fails on a malformed stored object; `validation` is where
//! malformed objects are refused.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn strings_at(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn items<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// metav1.LabelSelector.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

impl LabelSelector {
    pub fn from_json(v: &Value) -> LabelSelector {
        let match_labels = v
            .get("matchLabels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, x)| x.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let match_expressions = items(v, "matchExpressions")
            .map(|r| LabelSelectorRequirement {
                key: str_at(r, "key").unwrap_or_default().to_string(),
                operator: str_at(r, "operator").unwrap_or_default().to_string(),
                values: strings_at(r, "values"),
            })
            .collect();
        LabelSelector {
            match_labels,
            match_expressions,
        }
    }

    /// labels.Selector.Empty(): selects everything.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// metav1.LabelSelectorAsSelector(...).Matches(labels). An unknown
    /// operator is a conversion error upstream; it matches nothing here.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| {
                let got = labels.get(&r.key);
                match r.operator.as_str() {
                    "In" => got.is_some_and(|g| r.values.contains(g)),
                    "NotIn" => got.is_none_or(|g| !r.values.contains(g)),
                    "Exists" => got.is_some(),
                    "DoesNotExist" => got.is_none(),
                    _ => false,
                }
            })
    }
}

/// The labels of an object's metadata.
pub fn labels_of(object: &Value) -> BTreeMap<String, String> {
    object
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// NamedRuleWithOperations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NamedRule {
    pub resource_names: Vec<String>,
    pub operations: Vec<String>,
    pub api_groups: Vec<String>,
    pub api_versions: Vec<String>,
    pub resources: Vec<String>,
    /// None is "*" (the default).
    pub scope: Option<String>,
}

impl NamedRule {
    pub fn from_json(v: &Value) -> NamedRule {
        NamedRule {
            resource_names: strings_at(v, "resourceNames"),
            operations: strings_at(v, "operations"),
            api_groups: strings_at(v, "apiGroups"),
            api_versions: strings_at(v, "apiVersions"),
            resources: strings_at(v, "resources"),
            scope: str_at(v, "scope").map(str::to_string),
        }
    }
}

/// MatchResources (policy matchConstraints, binding matchResources).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatchResources {
    /// None (never after defaulting) selects nothing, as labels.Nothing().
    pub namespace_selector: Option<LabelSelector>,
    pub object_selector: Option<LabelSelector>,
    pub resource_rules: Vec<NamedRule>,
    pub exclude_resource_rules: Vec<NamedRule>,
    /// None behaves as Exact (upstream's matcher); defaulting sets Equivalent.
    pub match_policy: Option<String>,
}

impl MatchResources {
    pub fn from_json(v: &Value) -> MatchResources {
        MatchResources {
            namespace_selector: v
                .get("namespaceSelector")
                .filter(|s| s.is_object())
                .map(LabelSelector::from_json),
            object_selector: v
                .get("objectSelector")
                .filter(|s| s.is_object())
                .map(LabelSelector::from_json),
            resource_rules: items(v, "resourceRules")
                .map(NamedRule::from_json)
                .collect(),
            exclude_resource_rules: items(v, "excludeResourceRules")
                .map(NamedRule::from_json)
                .collect(),
            match_policy: str_at(v, "matchPolicy").map(str::to_string),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamKind {
    pub api_version: String,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NamedExpression {
    pub name: String,
    pub expression: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Validation {
    pub expression: String,
    pub message: String,
    pub message_expression: String,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AuditAnnotation {
    pub key: String,
    pub value_expression: String,
}

/// A ValidatingAdmissionPolicy as admission reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub name: String,
    /// "Fail" when absent (the API default).
    pub failure_policy: String,
    pub param_kind: Option<ParamKind>,
    pub match_constraints: Option<MatchResources>,
    pub validations: Vec<Validation>,
    pub audit_annotations: Vec<AuditAnnotation>,
    pub match_conditions: Vec<NamedExpression>,
    pub variables: Vec<NamedExpression>,
}

impl Policy {
    pub fn from_json(v: &Value) -> Policy {
        let spec = v.get("spec").unwrap_or(&Value::Null);
        let named = |key: &str| {
            items(spec, key)
                .map(|x| NamedExpression {
                    name: str_at(x, "name").unwrap_or_default().to_string(),
                    expression: str_at(x, "expression").unwrap_or_default().to_string(),
                })
                .collect()
        };
        Policy {
            name: v
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            failure_policy: str_at(spec, "failurePolicy").unwrap_or("Fail").to_string(),
            param_kind: spec
                .get("paramKind")
                .filter(|p| p.is_object())
                .map(|p| ParamKind {
                    api_version: str_at(p, "apiVersion").unwrap_or_default().to_string(),
                    kind: str_at(p, "kind").unwrap_or_default().to_string(),
                }),
            match_constraints: spec
                .get("matchConstraints")
                .filter(|m| m.is_object())
                .map(MatchResources::from_json),
            validations: items(spec, "validations")
                .map(|x| Validation {
                    expression: str_at(x, "expression").unwrap_or_default().to_string(),
                    message: str_at(x, "message").unwrap_or_default().to_string(),
                    message_expression: str_at(x, "messageExpression")
                        .unwrap_or_default()
                        .to_string(),
                    reason: str_at(x, "reason").map(str::to_string),
                })
                .collect(),
            audit_annotations: items(spec, "auditAnnotations")
                .map(|x| AuditAnnotation {
                    key: str_at(x, "key").unwrap_or_default().to_string(),
                    value_expression: str_at(x, "valueExpression").unwrap_or_default().to_string(),
                })
                .collect(),
            match_conditions: named("matchConditions"),
            variables: named("variables"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamRef {
    pub name: String,
    pub namespace: String,
    pub selector: Option<LabelSelector>,
    /// "Deny" when absent (the API default).
    pub parameter_not_found_action: String,
}

/// A ValidatingAdmissionPolicyBinding as admission reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub name: String,
    pub policy_name: String,
    pub param_ref: Option<ParamRef>,
    pub match_resources: Option<MatchResources>,
    pub validation_actions: Vec<String>,
}

impl Binding {
    pub fn from_json(v: &Value) -> Binding {
        let spec = v.get("spec").unwrap_or(&Value::Null);
        Binding {
            name: v
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            policy_name: str_at(spec, "policyName").unwrap_or_default().to_string(),
            param_ref: spec
                .get("paramRef")
                .filter(|p| p.is_object())
                .map(|p| ParamRef {
                    name: str_at(p, "name").unwrap_or_default().to_string(),
                    namespace: str_at(p, "namespace").unwrap_or_default().to_string(),
                    selector: p
                        .get("selector")
                        .filter(|s| s.is_object())
                        .map(LabelSelector::from_json),
                    parameter_not_found_action: str_at(p, "parameterNotFoundAction")
                        .unwrap_or("Deny")
                        .to_string(),
                }),
            match_resources: spec
                .get("matchResources")
                .filter(|m| m.is_object())
                .map(MatchResources::from_json),
            validation_actions: strings_at(spec, "validationActions"),
        }
    }
}

fn object_mut<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Map<String, Value>> {
    v.get_mut(key).and_then(Value::as_object_mut)
}

/// SetDefaults_MatchResources and SetDefaults_Rule for each rule.
fn default_match_resources(m: &mut Map<String, Value>) {
    m.entry("matchPolicy")
        .or_insert_with(|| json!("Equivalent"));
    m.entry("namespaceSelector").or_insert_with(|| json!({}));
    m.entry("objectSelector").or_insert_with(|| json!({}));
    for key in ["resourceRules", "excludeResourceRules"] {
        if let Some(rules) = m.get_mut(key).and_then(Value::as_array_mut) {
            for rule in rules.iter_mut().filter_map(Value::as_object_mut) {
                rule.entry("scope").or_insert_with(|| json!("*"));
            }
        }
    }
}

/// Applies the API defaults a stored ValidatingAdmissionPolicy gets:
/// failurePolicy Fail; matchConstraints' matchPolicy Equivalent, empty
/// namespace/object selectors, rule scope "*".
pub fn set_policy_defaults(policy: &mut Value) {
    let Some(spec) = object_mut(policy, "spec") else {
        return;
    };
    spec.entry("failurePolicy").or_insert_with(|| json!("Fail"));
    if let Some(m) = spec
        .get_mut("matchConstraints")
        .and_then(Value::as_object_mut)
    {
        default_match_resources(m);
    }
}

/// Applies the API defaults a stored ValidatingAdmissionPolicyBinding gets:
/// matchResources as for a policy; paramRef.parameterNotFoundAction Deny.
pub fn set_binding_defaults(binding: &mut Value) {
    let Some(spec) = object_mut(binding, "spec") else {
        return;
    };
    if let Some(m) = spec
        .get_mut("matchResources")
        .and_then(Value::as_object_mut)
    {
        default_match_resources(m);
    }
    if let Some(p) = spec.get_mut("paramRef").and_then(Value::as_object_mut) {
        p.entry("parameterNotFoundAction")
            .or_insert_with(|| json!("Deny"));
    }
}

/// The status the type-checking controller
/// (pkg/controller/validatingadmissionpolicystatus) writes after a policy's
/// create or spec change: `observedGeneration` and `typeChecking`. Without a
/// type checker there are never `expressionWarnings`, so `typeChecking` is
/// `{}`, which is what upstream writes for a policy whose expressions check.
pub fn type_checking_status(policy: &Value) -> Value {
    let generation = policy
        .pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    json!({"observedGeneration": generation, "typeChecking": {}})
}
