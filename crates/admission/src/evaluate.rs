//! Evaluating policies against a request: the validating admission policy
//! plugin's dispatcher (plugin/policy/validating/dispatcher.go), validator
//! (validator.go), CEL filter (plugin/cel/filter.go), match conditions
//! (webhook/matchconditions/matcher.go) and params (policy/generic
//! CollectParams), with upstream's messages.

use crate::attributes::{namespace_object_json, request_json, Attributes, ParamScope, ParamSource};
use crate::cel::{self, Outcome as CelOutcome, Program};
use crate::matching::{self, Match};
use crate::types::{Binding, Policy};
use ::cel::common::traits::Indexer;
use ::cel::common::types::{CelString, Type};
use ::cel::common::value::{CowVal, Val};
use ::cel::{Context, ExecutionError};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// celconfig.MaxEvaluatedMessageExpressionSizeBytes.
const MAX_MESSAGE_EXPRESSION_BYTES: usize = 5 * 1024;
/// dispatcher.go maxAuditAnnotationValueLength.
const MAX_AUDIT_ANNOTATION_VALUE_LENGTH: usize = 10 * 1024;
/// The audit annotation an Audit action records.
pub const VALIDATION_FAILURE_ANNOTATION: &str =
    "validation.policy.admission.k8s.io/validation_failure";

/// How one validation (or a policy-wide error) came out.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// "Admit" or "Deny".
    pub action: &'static str,
    /// "admit", "deny" or "error".
    pub evaluation: &'static str,
    pub message: String,
    /// The validation's reason ("Invalid" by default) for a deny; empty otherwise.
    pub reason: String,
    /// Index in spec.validations, when the decision is a validation's.
    pub validation: Option<usize>,
}

/// One policy/binding (and param) pair that matched the request: what the
/// playground's policy pane shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub policy: String,
    /// None for a policy-level configuration error.
    pub binding: Option<String>,
    /// The param object's `namespace/name`, when the policy has params.
    pub param: Option<String>,
    pub decisions: Vec<Decision>,
}

/// A record of an Audit action (and of published audit annotations).
#[derive(Clone, Debug, PartialEq)]
pub struct AuditAnnotation {
    pub key: String,
    pub value: String,
}

/// What admission decided.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// The refusal as a metav1.Status, or None when the request is admitted.
    pub denial: Option<Value>,
    /// `Warning:` header texts (Warn action), in order.
    pub warnings: Vec<String>,
    /// Audit annotations the request would carry (Audit action records and
    /// the policies' auditAnnotations), in order.
    pub audit_annotations: Vec<AuditAnnotation>,
    /// Every policy/binding pair that applied to the request.
    pub evaluations: Vec<Evaluation>,
}

struct CompiledValidation {
    expression: String,
    program: Result<Program, String>,
    message: String,
    message_program: Option<Result<Program, String>>,
    reason: Option<String>,
}

struct CompiledPolicy {
    policy: Policy,
    bindings: Vec<Binding>,
    match_conditions: Vec<(String, Result<Program, String>)>,
    variables: Vec<(String, Result<Program, String>)>,
    validations: Vec<CompiledValidation>,
    audit_annotations: Vec<(String, String, Result<Program, String>)>,
}

/// Compiles with the declarations upstream gives the expression.
fn compile(expr: &str, params: bool, authorizer: bool) -> Result<Program, String> {
    cel::compile_with(expr, cel::Decls { params, authorizer })
}

/// The policies and bindings of a cluster, compiled once: build it when either
/// list changes, evaluate it per request.
pub struct PolicySet {
    policies: Vec<CompiledPolicy>,
}

impl PolicySet {
    /// Policies are evaluated in the order given (pass them sorted by name for
    /// a deterministic first denial); each gets the bindings naming it, in the
    /// order given. A policy no binding names has no effect.
    pub fn new(policies: &[Value], bindings: &[Value]) -> PolicySet {
        let bindings: Vec<Binding> = bindings.iter().map(Binding::from_json).collect();
        let policies = policies
            .iter()
            .map(Policy::from_json)
            .filter_map(|policy| {
                let own: Vec<Binding> = bindings
                    .iter()
                    .filter(|b| b.policy_name == policy.name)
                    .cloned()
                    .collect();
                if own.is_empty() {
                    return None;
                }
                let params = policy.param_kind.is_some();
                Some(CompiledPolicy {
                    match_conditions: policy
                        .match_conditions
                        .iter()
                        .map(|c| (c.expression.clone(), compile(&c.expression, params, true)))
                        .collect(),
                    variables: policy
                        .variables
                        .iter()
                        .map(|v| (v.name.clone(), compile(&v.expression, params, true)))
                        .collect(),
                    validations: policy
                        .validations
                        .iter()
                        .map(|v| CompiledValidation {
                            expression: v.expression.clone(),
                            program: compile(&v.expression, params, true),
                            message: v.message.clone(),
                            message_program: (!v.message_expression.trim().is_empty())
                                .then(|| compile(&v.message_expression, params, false)),
                            reason: v.reason.clone(),
                        })
                        .collect(),
                    audit_annotations: policy
                        .audit_annotations
                        .iter()
                        .map(|a| {
                            (
                                a.key.clone(),
                                a.value_expression.clone(),
                                compile(a.value_expression.trim(), params, true),
                            )
                        })
                        .collect(),
                    bindings: own,
                    policy,
                })
            })
            .collect();
        PolicySet { policies }
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Admission of one request.
    pub fn evaluate(&self, attrs: &Attributes, source: &dyn ParamSource) -> Outcome {
        let mut out = Outcome::default();
        // (policy, binding, decision) in upstream's order; the first is the answer.
        let mut denied: Vec<(String, Option<String>, Decision)> = Vec::new();
        let mut validation_failure_recorded = false;
        for cp in &self.policies {
            let policy = &cp.policy;
            let fail = policy.failure_policy != "Ignore";
            let Some(constraints) = &policy.match_constraints else {
                // "policy contained no match constraints": never matches.
                continue;
            };
            // A selector error makes the policy not apply (dispatcher.go
            // drops DefinitionMatches' error).
            let Ok(Some(matched)) = matching::matches(constraints, attrs, source) else {
                continue;
            };
            if let Some(err) = policy_configuration_error(policy, source) {
                if fail {
                    let d = error_decision(format!("failed to configure policy: {err}"));
                    out.evaluations.push(Evaluation {
                        policy: policy.name.clone(),
                        binding: None,
                        param: None,
                        decisions: vec![d.clone()],
                    });
                    denied.push((policy.name.clone(), None, d));
                }
                continue;
            }
            let mut annotations: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for binding in &cp.bindings {
                if let Some(mr) = &binding.match_resources {
                    match matching::matches(mr, attrs, source) {
                        Ok(Some(_)) => {}
                        Ok(None) => continue,
                        Err(e) => {
                            if fail {
                                let d = error_decision(format!("failed to configure binding: {e}"));
                                denied.push((policy.name.clone(), Some(binding.name.clone()), d));
                            }
                            continue;
                        }
                    }
                }
                let params = match collect_params(policy, binding, attrs, source) {
                    Ok(p) => p,
                    Err(e) => {
                        if fail {
                            let d = error_decision(format!("failed to configure binding: {e}"));
                            out.evaluations.push(Evaluation {
                                policy: policy.name.clone(),
                                binding: Some(binding.name.clone()),
                                param: None,
                                decisions: vec![d.clone()],
                            });
                            denied.push((policy.name.clone(), Some(binding.name.clone()), d));
                        }
                        continue;
                    }
                };
                let namespace = namespace_for(attrs, source);
                for param in &params {
                    let result = validate(
                        cp,
                        attrs,
                        &matched,
                        param.as_ref(),
                        namespace.as_ref(),
                        fail,
                    );
                    for (i, d) in result.decisions.iter().enumerate() {
                        if d.action != "Deny" {
                            continue;
                        }
                        for action in &binding.validation_actions {
                            match action.as_str() {
                                "Deny" => denied.push((
                                    policy.name.clone(),
                                    Some(binding.name.clone()),
                                    d.clone(),
                                )),
                                // attributes.AddAnnotation keeps the first value of a key.
                                "Audit" if !validation_failure_recorded => {
                                    validation_failure_recorded = true;
                                    out.audit_annotations.push(AuditAnnotation {
                                        key: VALIDATION_FAILURE_ANNOTATION.to_string(),
                                        value: validation_failure_value(binding, i, &d.message),
                                    });
                                }
                                "Warn" => out.warnings.push(format!(
                                    "Validation failed for ValidatingAdmissionPolicy '{}' with binding '{}': {}",
                                    policy.name, binding.name, d.message
                                )),
                                _ => {}
                            }
                        }
                    }
                    for a in &result.audit {
                        match a {
                            AuditResult::Publish(key, value) => {
                                let mut value = value.clone();
                                truncate_at_boundary(&mut value, MAX_AUDIT_ANNOTATION_VALUE_LENGTH);
                                let values = annotations.entry(key.clone()).or_default();
                                if !values.contains(&value) {
                                    values.push(value);
                                }
                            }
                            AuditResult::Error(message) => denied.push((
                                policy.name.clone(),
                                Some(binding.name.clone()),
                                error_decision(message.clone()),
                            )),
                        }
                    }
                    out.evaluations.push(Evaluation {
                        policy: policy.name.clone(),
                        binding: Some(binding.name.clone()),
                        param: param.as_ref().map(param_label),
                        decisions: result.decisions,
                    });
                }
            }
            for (key, values) in annotations {
                out.audit_annotations.push(AuditAnnotation {
                    key: format!("{}/{key}", policy.name),
                    value: values.join(", "),
                });
            }
        }
        if let Some((policy, binding, d)) = denied.into_iter().next() {
            out.denial = Some(denial_status(attrs, &policy, binding.as_deref(), &d));
        }
        out
    }
}

/// Compiles and evaluates in one go: `PolicySet::new(..).evaluate(..)`.
pub fn evaluate(
    policies: &[Value],
    bindings: &[Value],
    attrs: &Attributes,
    params: &dyn ParamSource,
) -> Outcome {
    PolicySet::new(policies, bindings).evaluate(attrs, params)
}

fn error_decision(message: String) -> Decision {
    Decision {
        action: "Deny",
        evaluation: "error",
        message,
        reason: String::new(),
        validation: None,
    }
}

fn truncate_at_boundary(s: &mut String, max: usize) {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

fn param_label(p: &Value) -> String {
    let ns = p
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = p
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if ns.is_empty() {
        name.to_string()
    } else {
        format!("{ns}/{name}")
    }
}

/// ValidationFailureValue, marshalled as a one-element list.
fn validation_failure_value(binding: &Binding, index: usize, message: &str) -> String {
    json!([{
        "message": message,
        "policy": binding.policy_name,
        "binding": binding.name,
        "expressionIndex": index,
        "validationActions": binding.validation_actions,
    }])
    .to_string()
}

/// policy_source.go: a paramKind no resource serves is a configuration error.
fn policy_configuration_error(policy: &Policy, source: &dyn ParamSource) -> Option<String> {
    let kind = policy.param_kind.as_ref()?;
    if source.param_scope(kind).is_some() {
        return None;
    }
    let (group, version) = kind
        .api_version
        .split_once('/')
        .unwrap_or(("", &kind.api_version));
    Some(format!(
        "failed to find resource referenced by paramKind: '{group}/{version}, Kind={}'",
        kind.kind
    ))
}

/// generic.CollectParams: the params a binding evaluates with ([None] when
/// the policy or binding uses none).
fn collect_params(
    policy: &Policy,
    binding: &Binding,
    attrs: &Attributes,
    source: &dyn ParamSource,
) -> Result<Vec<Option<Value>>, String> {
    let (Some(kind), Some(pref)) = (&policy.param_kind, &binding.param_ref) else {
        return Ok(vec![None]);
    };
    let Some(scope) = source.param_scope(kind) else {
        return Err(format!(
            "paramKind kind `{}/{}` not known",
            kind.api_version, kind.kind
        ));
    };
    let namespace = match scope {
        ParamScope::Namespaced if !pref.namespace.is_empty() => pref.namespace.clone(),
        ParamScope::Namespaced if attrs.namespace.is_empty() => {
            return Err(
                "cannot use namespaced paramRef in policy binding that matches cluster-scoped resources"
                    .to_string(),
            )
        }
        ParamScope::Namespaced => attrs.namespace.clone(),
        ParamScope::Cluster if !pref.namespace.is_empty() => {
            return Err("paramRef.namespace must not be provided for a cluster-scoped `paramKind`".to_string())
        }
        ParamScope::Cluster => String::new(),
    };
    let params: Vec<Value> = if !pref.name.is_empty() {
        if pref.selector.is_some() {
            return Err("paramRef.name and paramRef.selector are mutually exclusive".to_string());
        }
        source
            .get_param(kind, &namespace, &pref.name)
            .into_iter()
            .collect()
    } else if let Some(sel) = &pref.selector {
        source.list_params(kind, &namespace, sel)
    } else {
        return Err("one of name or selector must be provided".to_string());
    };
    if params.is_empty() && pref.parameter_not_found_action == "Deny" {
        return Err(
            "no params found for policy binding with `Deny` parameterNotFoundAction".to_string(),
        );
    }
    Ok(params.into_iter().map(Some).collect())
}

/// The request's namespace object: none for cluster-scoped requests and for
/// a Namespace itself (upstream's special case).
fn namespace_for(attrs: &Attributes, source: &dyn ParamSource) -> Option<Value> {
    let is_namespace_kind =
        attrs.kind.kind == "Namespace" && attrs.kind.version == "v1" && attrs.kind.group.is_empty();
    if attrs.namespace.is_empty() || is_namespace_kind {
        return None;
    }
    source
        .namespace(&attrs.namespace)
        .map(|ns| namespace_object_json(&ns))
}

enum AuditResult {
    Publish(String, String),
    Error(String),
}

struct ValidateResult {
    decisions: Vec<Decision>,
    audit: Vec<AuditResult>,
}

static VARIABLES_TYPE: Type = Type::new_unspecified_type("kubernetes.variables");

/// `variables`: each variable's value, or the error evaluating it gave, which
/// surfaces only when an expression reads it (upstream evaluates lazily; the
/// result differs only in cost).
#[derive(Debug)]
struct Variables<'v> {
    values: Vec<(String, VariableValue<'v>)>,
}

type VariableValue<'v> = Result<Box<dyn Val + 'v>, ExecutionError>;

impl Val for Variables<'_> {
    fn get_type(&self) -> &Type {
        &VARIABLES_TYPE
    }
    fn cel_type() -> &'static Type {
        &VARIABLES_TYPE
    }
    fn as_indexer<'b, 'v>(&'b self) -> Option<&'b (dyn Indexer + 'v)>
    where
        Self: 'v,
    {
        Some(self)
    }
    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v>
    where
        Self: 'v,
    {
        Box::new(Variables {
            values: self
                .values
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        match v {
                            Ok(v) => Ok(v.clone_as_boxed()),
                            Err(e) => Err(e.clone()),
                        },
                    )
                })
                .collect(),
        })
    }
}

impl Indexer for Variables<'_> {
    fn get<'b, 'v>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'v>, ExecutionError>
    where
        Self: 'v,
    {
        let Some(name) = idx.downcast_ref::<CelString>() else {
            return Err(ExecutionError::UnexpectedType {
                got: idx.get_type().name().to_string(),
                want: "string".to_string(),
            });
        };
        match self.values.iter().find(|(k, _)| k == name.inner()) {
            Some((_, Ok(v))) => Ok(CowVal::Borrowed(&**v)),
            Some((_, Err(e))) => Err(e.clone()),
            None => Err(ExecutionError::no_such_key(name.inner())),
        }
    }

    fn steal<'v>(self: Box<Self>, idx: &dyn Val) -> Result<Box<dyn Val + 'v>, ExecutionError>
    where
        Self: 'v,
    {
        self.get(idx).map(CowVal::into_owned)
    }
}

/// filter.go's evaluation error text.
fn eval_error(expression: &str, e: &str) -> String {
    format!("expression '{expression}' resulted in error: {e}")
}

fn run(
    program: &Result<Program, String>,
    expression: &str,
    ctx: &Context<'_, '_>,
) -> Result<CelOutcome, String> {
    match program {
        Err(issues) => Err(format!("compilation error: {issues}")),
        Ok(p) => p.eval(ctx).map_err(|e| eval_error(expression, &e)),
    }
}

/// validator.Validate for one (policy, binding, param).
fn validate(
    cp: &CompiledPolicy,
    attrs: &Attributes,
    matched: &Match,
    param: Option<&Value>,
    namespace: Option<&Value>,
    fail: bool,
) -> ValidateResult {
    let for_error = |message: String| ValidateResult {
        decisions: vec![Decision {
            action: if fail { "Deny" } else { "Admit" },
            evaluation: "error",
            message,
            reason: String::new(),
            validation: None,
        }],
        audit: Vec::new(),
    };
    let env = match cel::env() {
        Ok(env) => env,
        Err(e) => return for_error(e),
    };
    let request = request_json(attrs, &matched.resource, &matched.kind);
    let null = Value::Null;
    let mut root = Context::with_env(env);
    root.add_variable_as_val(
        "object",
        cel::json_to_val(attrs.object.as_ref().unwrap_or(&null)),
    );
    root.add_variable_as_val(
        "oldObject",
        cel::json_to_val(attrs.old_object.as_ref().unwrap_or(&null)),
    );
    root.add_variable_as_val("request", cel::json_to_val(&request));
    root.add_variable_as_val("params", cel::json_to_val(param.unwrap_or(&null)));
    root.add_variable_as_val(
        "namespaceObject",
        cel::json_to_val(namespace.unwrap_or(&null)),
    );

    // Variables, in order, each seeing the ones before it.
    let mut vars = Variables { values: Vec::new() };
    for (name, program) in &cp.variables {
        let value = {
            let mut scope = root.new_inner_scope();
            scope.add_variable_as_val("variables", vars.clone_as_boxed());
            match program {
                Ok(p) => p.eval_val(&scope),
                Err(issues) => Err(ExecutionError::function_error(
                    "variables",
                    format!("composited variable \"{name}\" fails to compile: {issues}"),
                )),
            }
        };
        vars.values.push((name.clone(), value));
    }
    let mut ctx = root.new_inner_scope();
    ctx.add_variable_as_val("variables", Box::new(vars));

    // matchConditions: any false → not applicable; errors follow failurePolicy.
    let mut errors = Vec::new();
    for (expression, program) in &cp.match_conditions {
        match run(program, expression, &ctx) {
            Ok(CelOutcome::Bool(false)) => {
                return ValidateResult {
                    decisions: Vec::new(),
                    audit: Vec::new(),
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        if !fail {
            return ValidateResult {
                decisions: Vec::new(),
                audit: Vec::new(),
            };
        }
        // utilerrors.NewAggregate: one error alone, several as [a, b].
        let message = if errors.len() == 1 {
            errors.remove(0)
        } else {
            format!("[{}]", errors.join(", "))
        };
        return for_error(message);
    }

    let mut decisions = Vec::new();
    for (i, v) in cp.validations.iter().enumerate() {
        let decision = match run(&v.program, &v.expression, &ctx) {
            Err(message) => Decision {
                action: if fail { "Deny" } else { "Admit" },
                evaluation: "error",
                message,
                reason: String::new(),
                validation: Some(i),
            },
            Ok(CelOutcome::Bool(true)) => Decision {
                action: "Admit",
                evaluation: "admit",
                message: String::new(),
                reason: String::new(),
                validation: Some(i),
            },
            Ok(_) => {
                let mut message = String::new();
                if let Some(Ok(mp)) = &v.message_program {
                    if let Ok(CelOutcome::String(s)) = mp.eval(&ctx) {
                        let s = s.trim();
                        if s.len() <= MAX_MESSAGE_EXPRESSION_BYTES && !s.contains('\n') {
                            message = s.to_string();
                        }
                    }
                }
                if message.is_empty() && !v.message.is_empty() {
                    message = v.message.trim().to_string();
                }
                if message.is_empty() {
                    message = format!("failed expression: {}", v.expression.trim());
                }
                Decision {
                    action: "Deny",
                    evaluation: "deny",
                    message,
                    reason: v.reason.clone().unwrap_or_else(|| "Invalid".to_string()),
                    validation: Some(i),
                }
            }
        };
        decisions.push(decision);
    }

    let mut audit = Vec::new();
    for (key, value_expression, program) in &cp.audit_annotations {
        match run(program, value_expression.trim(), &ctx) {
            Err(e) => {
                if fail {
                    audit.push(AuditResult::Error(e));
                }
            }
            Ok(CelOutcome::String(s)) => {
                let s = s.trim();
                if !s.is_empty() {
                    audit.push(AuditResult::Publish(key.clone(), s.to_string()));
                }
            }
            Ok(CelOutcome::Null) => {}
            Ok(other) => {
                let t = match other {
                    CelOutcome::Bool(_) => "bool".to_string(),
                    CelOutcome::Other(t) => t,
                    _ => String::new(),
                };
                audit.push(AuditResult::Error(format!(
                    "valueExpression '{value_expression}' resulted in unsupported return type: {t}. Return type must be either string or null."
                )));
            }
        }
    }
    ValidateResult { decisions, audit }
}

/// reasonToCode.
fn reason_to_code(reason: &str) -> u16 {
    match reason {
        "Forbidden" => 403,
        "Unauthorized" => 401,
        "RequestEntityTooLarge" => 413,
        _ => 422,
    }
}

/// dispatcher.go's refusal: admission.NewForbidden around the first denial,
/// then its reason (Invalid by default) and that reason's code, and the
/// message again as a cause.
fn denial_status(attrs: &Attributes, policy: &str, binding: Option<&str>, d: &Decision) -> Value {
    let message = match binding {
        Some(b) => format!(
            "ValidatingAdmissionPolicy '{policy}' with binding '{b}' denied request: {}",
            d.message
        ),
        None => format!(
            "ValidatingAdmissionPolicy '{policy}' denied request: {}",
            d.message
        ),
    };
    // extractResourceName: the request's name, else the object's name or
    // generateName, else "Unknown".
    let name = if !attrs.name.is_empty() {
        attrs.name.clone()
    } else {
        let meta = attrs.object.as_ref().and_then(|o| o.get("metadata"));
        let get = |k: &str| {
            meta.and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        if !get("name").is_empty() {
            get("name").to_string()
        } else if !get("generateName").is_empty() {
            get("generateName").to_string()
        } else {
            "Unknown".to_string()
        }
    };
    let resource = attrs.resource.group_resource();
    let reason = if d.reason.is_empty() {
        "Invalid"
    } else {
        d.reason.as_str()
    };
    let mut details =
        json!({"name": name, "kind": attrs.resource.resource, "causes": [{"message": message}]});
    if !attrs.resource.group.is_empty() {
        details["group"] = json!(attrs.resource.group);
    }
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": format!("{resource} \"{name}\" is forbidden: {message}"),
        "reason": reason,
        "details": details,
        "code": reason_to_code(reason),
    })
}
