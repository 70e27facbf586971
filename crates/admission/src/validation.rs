//! Validation of ValidatingAdmissionPolicy / ValidatingAdmissionPolicyBinding
//! specs, with the field paths and messages of
//! pkg/apis/admissionregistration/validation/validation.go, CEL compile errors
//! included. Run it on the defaulted object (`types::set_*_defaults`), as the
//! apiserver does. `metadata` is not validated here: it is the store's generic
//! ObjectMeta validation (DNS-subdomain names), the same for every kind.

use crate::cel;
use crate::names;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// field.ErrorType; `cause_type` is the StatusCause reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldErrorType {
    Required,
    Invalid,
    Forbidden,
    NotSupported,
    Duplicate,
    TooMany,
    Internal,
}

impl FieldErrorType {
    pub fn cause_type(self) -> &'static str {
        match self {
            FieldErrorType::Required => "FieldValueRequired",
            FieldErrorType::Invalid => "FieldValueInvalid",
            FieldErrorType::Forbidden => "FieldValueForbidden",
            FieldErrorType::NotSupported => "FieldValueNotSupported",
            FieldErrorType::Duplicate => "FieldValueDuplicate",
            FieldErrorType::TooMany => "FieldValueTooMany",
            FieldErrorType::Internal => "InternalError",
        }
    }
}

/// One field.Error: the same shape as the core's `model::status::FieldError`
/// (type, field path, bad value as JSON, detail) so the lead maps it 1:1.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub type_: FieldErrorType,
    pub field: String,
    pub bad_value: Option<Value>,
    pub detail: String,
}

impl FieldError {
    fn new(type_: FieldErrorType, field: &str, bad_value: Option<Value>, detail: &str) -> Self {
        FieldError {
            type_,
            field: field.to_string(),
            bad_value,
            detail: detail.to_string(),
        }
    }
    fn required(field: &str, detail: &str) -> Self {
        Self::new(FieldErrorType::Required, field, None, detail)
    }
    fn invalid(field: &str, value: Value, detail: &str) -> Self {
        Self::new(FieldErrorType::Invalid, field, Some(value), detail)
    }
    fn forbidden(field: &str, detail: &str) -> Self {
        Self::new(FieldErrorType::Forbidden, field, None, detail)
    }
    fn duplicate(field: &str, value: Value) -> Self {
        Self::new(FieldErrorType::Duplicate, field, Some(value), "")
    }
    /// field.NotSupported: the detail lists the quoted supported values.
    fn not_supported(field: &str, value: Value, supported: &[&str]) -> Self {
        let list: Vec<String> = supported.iter().map(|s| format!("\"{s}\"")).collect();
        Self::new(
            FieldErrorType::NotSupported,
            field,
            Some(value),
            &format!("supported values: {}", list.join(", ")),
        )
    }

    /// field.Error.Error(): `<field>: <body>`.
    pub fn message(&self) -> String {
        let value = || match &self.bad_value {
            None | Some(Value::Null) => "null".to_string(),
            Some(Value::String(s)) => serde_json::to_string(s).unwrap_or_default(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(other) => serde_json::to_string(other).unwrap_or_default(),
        };
        let mut body = match self.type_ {
            FieldErrorType::Required => "Required value".to_string(),
            FieldErrorType::Forbidden => "Forbidden".to_string(),
            FieldErrorType::Internal => "Internal error".to_string(),
            FieldErrorType::TooMany => "Too many".to_string(),
            FieldErrorType::Invalid => format!("Invalid value: {}", value()),
            FieldErrorType::NotSupported => format!("Unsupported value: {}", value()),
            FieldErrorType::Duplicate => format!("Duplicate value: {}", value()),
        };
        if !self.detail.is_empty() {
            body.push_str(": ");
            body.push_str(&self.detail);
        }
        format!("{}: {}", self.field, body)
    }
}

const FAILURE_POLICIES: &[&str] = &["Fail", "Ignore"];
const MATCH_POLICIES: &[&str] = &["Equivalent", "Exact"];
const OPERATIONS: &[&str] = &["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];
const SCOPES: &[&str] = &["*", "Cluster", "Namespaced"];
const ACTIONS: &[&str] = &["Audit", "Deny", "Warn"];
const REASONS: &[&str] = &[
    "Forbidden",
    "Invalid",
    "RequestEntityTooLarge",
    "Unauthorized",
];
const MAX_AUDIT_ANNOTATIONS: usize = 20;
const MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH: usize = 5 * 1024;
const CEL_RESERVED: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn arr(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn is_cel_identifier(name: &str) -> bool {
    let b = name.as_bytes();
    matches!(b.first(), Some(c) if c.is_ascii_alphabetic() || *c == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        && !CEL_RESERVED.contains(&name)
}

fn has_newlines(s: &str) -> bool {
    s.contains('\n') || s.contains('\r')
}

/// validateCELCondition / convertCELErrorToValidationError: a compile error is
/// `Invalid value: "<expr>": compilation failed: <issues>`.
fn check_cel(field: &str, expression: &str, decls: cel::Decls, errs: &mut Vec<FieldError>) {
    if let Err(issues) = cel::compile_with(expression, decls) {
        errs.push(FieldError::invalid(
            field,
            json!(expression),
            &format!("compilation failed: {issues}"),
        ));
    }
}

/// metav1validation.ValidateLabelSelector (strict options).
fn validate_label_selector(sel: &Value, field: &str, errs: &mut Vec<FieldError>) {
    for (i, r) in arr(sel.get("matchExpressions")).iter().enumerate() {
        let f = format!("{field}.matchExpressions[{i}]");
        let values = arr(r.get("values"));
        match s(r, "operator").unwrap_or_default() {
            "In" | "NotIn" => {
                if values.is_empty() {
                    errs.push(FieldError::required(
                        &format!("{f}.values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    errs.push(FieldError::forbidden(
                        &format!("{f}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                &format!("{f}.operator"),
                json!(other),
                "not a valid selector operator",
            )),
        }
        let key = s(r, "key").unwrap_or_default();
        for msg in names::is_qualified_name(key) {
            errs.push(FieldError::invalid(&format!("{f}.key"), json!(key), &msg));
        }
        for (j, v) in values.iter().enumerate() {
            let v = v.as_str().unwrap_or_default();
            for msg in names::is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    &format!("{f}.values[{j}]"),
                    json!(v),
                    &msg,
                ));
            }
        }
    }
    if let Some(m) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in m {
            for msg in names::is_qualified_name(k) {
                errs.push(FieldError::invalid(
                    &format!("{field}.matchLabels"),
                    json!(k),
                    &msg,
                ));
            }
            let v = v.as_str().unwrap_or_default();
            for msg in names::is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    &format!("{field}.matchLabels"),
                    json!(v),
                    &msg,
                ));
            }
        }
    }
}

/// validateResources (subresources allowed).
fn validate_resources(resources: &[String], field: &str, errs: &mut Vec<FieldError>) {
    if resources.is_empty() {
        errs.push(FieldError::required(field, ""));
    }
    let mut res_with_wild_sub = BTreeSet::new();
    let mut sub_with_wild_res = BTreeSet::new();
    let (mut double_wild, mut single_wild, mut plain) = (false, false, false);
    for (i, res_sub) in resources.iter().enumerate() {
        if res_sub.is_empty() {
            errs.push(FieldError::required(&format!("{field}[{i}]"), ""));
            continue;
        }
        double_wild |= res_sub == "*/*";
        single_wild |= res_sub == "*";
        let Some((res, sub)) = res_sub.split_once('/') else {
            // Upstream assigns (not ORs) here: the last plain entry decides.
            plain = res_sub != "*";
            continue;
        };
        if res_with_wild_sub.contains(res) {
            errs.push(FieldError::invalid(
                &format!("{field}[{i}]"),
                json!(res_sub),
                &format!("if '{res}/*' is present, must not specify {res_sub}"),
            ));
        }
        if sub_with_wild_res.contains(sub) {
            errs.push(FieldError::invalid(
                &format!("{field}[{i}]"),
                json!(res_sub),
                &format!("if '*/{sub}' is present, must not specify {res_sub}"),
            ));
        }
        if sub == "*" {
            res_with_wild_sub.insert(res.to_string());
        }
        if res == "*" {
            sub_with_wild_res.insert(sub.to_string());
        }
    }
    if resources.len() > 1 && double_wild {
        errs.push(FieldError::invalid(
            field,
            json!(resources),
            "if '*/*' is present, must not specify other resources",
        ));
    }
    if single_wild && plain {
        errs.push(FieldError::invalid(
            field,
            json!(resources),
            "if '*' is present, must not specify other resources without subresources",
        ));
    }
}

/// validateNamedRuleWithOperations → validateRuleWithOperations → validateRule.
fn validate_named_rule(rule: &Value, field: &str, errs: &mut Vec<FieldError>) {
    let mut seen = BTreeSet::new();
    for (i, name) in str_list(rule.get("resourceNames")).iter().enumerate() {
        let f = format!("{field}.resourceNames[{i}]");
        for msg in names::validate_path_segment_name(name) {
            errs.push(FieldError::invalid(&f, json!(name), &msg));
        }
        if !seen.insert(name.clone()) {
            errs.push(FieldError::duplicate(&f, json!(name)));
        }
    }
    let ops = str_list(rule.get("operations"));
    if ops.is_empty() {
        errs.push(FieldError::required(&format!("{field}.operations"), ""));
    }
    if ops.len() > 1 && ops.iter().any(|o| o == "*") {
        errs.push(FieldError::invalid(
            &format!("{field}.operations"),
            json!(ops),
            "if '*' is present, must not specify other operations",
        ));
    }
    for (i, op) in ops.iter().enumerate() {
        if !OPERATIONS.contains(&op.as_str()) {
            errs.push(FieldError::not_supported(
                &format!("{field}.operations[{i}]"),
                json!(op),
                OPERATIONS,
            ));
        }
    }
    let groups = str_list(rule.get("apiGroups"));
    if groups.is_empty() {
        errs.push(FieldError::required(&format!("{field}.apiGroups"), ""));
    }
    if groups.len() > 1 && groups.iter().any(|g| g == "*") {
        errs.push(FieldError::invalid(
            &format!("{field}.apiGroups"),
            json!(groups),
            "if '*' is present, must not specify other API groups",
        ));
    }
    let versions = str_list(rule.get("apiVersions"));
    if versions.is_empty() {
        errs.push(FieldError::required(&format!("{field}.apiVersions"), ""));
    }
    if versions.len() > 1 && versions.iter().any(|g| g == "*") {
        errs.push(FieldError::invalid(
            &format!("{field}.apiVersions"),
            json!(versions),
            "if '*' is present, must not specify other API versions",
        ));
    }
    for (i, v) in versions.iter().enumerate() {
        if v.is_empty() {
            errs.push(FieldError::required(
                &format!("{field}.apiVersions[{i}]"),
                "",
            ));
        }
    }
    validate_resources(
        &str_list(rule.get("resources")),
        &format!("{field}.resources"),
        errs,
    );
    if let Some(scope) = s(rule, "scope") {
        if !SCOPES.contains(&scope) {
            errs.push(FieldError::not_supported(
                &format!("{field}.scope"),
                json!(scope),
                SCOPES,
            ));
        }
    }
}

/// validateMatchResources.
fn validate_match_resources(m: &Value, field: &str, errs: &mut Vec<FieldError>) {
    match m.get("matchPolicy") {
        None | Some(Value::Null) => {
            errs.push(FieldError::required(&format!("{field}.matchPolicy"), ""))
        }
        Some(p) => {
            let p = p.as_str().unwrap_or_default();
            if !MATCH_POLICIES.contains(&p) {
                errs.push(FieldError::not_supported(
                    &format!("{field}.matchPolicy"),
                    json!(p),
                    MATCH_POLICIES,
                ));
            }
        }
    }
    for key in ["namespaceSelector", "objectSelector"] {
        match m.get(key) {
            None | Some(Value::Null) => {
                errs.push(FieldError::required(&format!("{field}.{key}"), ""))
            }
            Some(sel) => validate_label_selector(sel, &format!("{field}.{key}"), errs),
        }
    }
    for key in ["resourceRules", "excludeResourceRules"] {
        for (i, r) in arr(m.get(key)).iter().enumerate() {
            validate_named_rule(r, &format!("{field}.{key}[{i}]"), errs);
        }
    }
}

/// validateParamKind.
fn validate_param_kind(pk: &Value, field: &str, errs: &mut Vec<FieldError>) {
    let api_version = s(pk, "apiVersion").unwrap_or_default();
    let f = format!("{field}.apiVersion");
    if api_version.is_empty() {
        errs.push(FieldError::required(&f, ""));
    } else if api_version.matches('/').count() > 1 {
        errs.push(FieldError::invalid(
            &f,
            json!(api_version),
            &format!("unexpected GroupVersion string: {api_version}"),
        ));
    } else if api_version != "/" {
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        if !group.is_empty() {
            let msgs = names::is_dns1123_subdomain(group);
            if !msgs.is_empty() {
                errs.push(FieldError::invalid(&f, json!(group), &msgs.join(",")));
            }
        }
        if version.is_empty() {
            errs.push(FieldError::invalid(
                &f,
                json!(api_version),
                "version must be specified",
            ));
        } else {
            let msgs = names::is_dns1035_label(version);
            if !msgs.is_empty() {
                errs.push(FieldError::invalid(&f, json!(version), &msgs.join(",")));
            }
        }
    }
    let kind = s(pk, "kind").unwrap_or_default();
    if kind.is_empty() {
        errs.push(FieldError::required(&format!("{field}.kind"), ""));
    } else {
        let msgs = names::is_dns1035_label(&kind.to_lowercase());
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(
                &format!("{field}.kind"),
                json!(kind),
                &format!(
                    "may have mixed case, but should otherwise match: {}",
                    msgs.join(",")
                ),
            ));
        }
    }
}

/// validateValidatingAdmissionPolicySpec, on the whole object.
pub fn validate_policy(policy: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let spec = policy.get("spec").unwrap_or(&Value::Null);
    let name = policy
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let params = spec.get("paramKind").is_some_and(|p| !p.is_null());
    let decls = cel::Decls {
        params,
        authorizer: true,
    };
    match spec.get("failurePolicy") {
        None | Some(Value::Null) => errs.push(FieldError::required("spec.failurePolicy", "")),
        Some(fp) => {
            let fp = fp.as_str().unwrap_or_default();
            if !FAILURE_POLICIES.contains(&fp) {
                errs.push(FieldError::not_supported(
                    "spec.failurePolicy",
                    json!(fp),
                    FAILURE_POLICIES,
                ));
            }
        }
    }
    if let Some(pk) = spec.get("paramKind").filter(|p| !p.is_null()) {
        validate_param_kind(pk, "spec.paramKind", &mut errs);
    }
    match spec.get("matchConstraints").filter(|m| !m.is_null()) {
        None => errs.push(FieldError::required("spec.matchConstraints", "")),
        Some(mc) => {
            validate_match_resources(mc, "spec.matchConstraints", &mut errs);
            if arr(mc.get("resourceRules")).is_empty() {
                errs.push(FieldError::required(
                    "spec.matchConstraints.resourceRules",
                    "",
                ));
            }
        }
    }
    let conditions = arr(spec.get("matchConditions"));
    if conditions.len() > 64 {
        errs.push(FieldError::new(
            FieldErrorType::TooMany,
            "spec.matchConditions",
            Some(json!(conditions.len())),
            "must have at most 64 items",
        ));
    }
    let mut condition_names = BTreeSet::new();
    for (i, c) in conditions.iter().enumerate() {
        let f = format!("spec.matchConditions[{i}]");
        let expr = s(c, "expression").unwrap_or_default();
        if expr.trim().is_empty() {
            errs.push(FieldError::required(&format!("{f}.expression"), ""));
        } else {
            check_cel(&format!("{f}.expression"), expr.trim(), decls, &mut errs);
        }
        let cname = s(c, "name").unwrap_or_default();
        if cname.is_empty() {
            errs.push(FieldError::required(&format!("{f}.name"), ""));
        } else {
            for msg in names::is_qualified_name(cname) {
                errs.push(FieldError::invalid(
                    &format!("{f}.name"),
                    json!(cname),
                    &msg,
                ));
            }
            if !condition_names.insert(cname.to_string()) {
                errs.push(FieldError::duplicate(&format!("{f}.name"), json!(cname)));
            }
        }
    }
    for (i, v) in arr(spec.get("variables")).iter().enumerate() {
        let f = format!("spec.variables[{i}]");
        let vname = s(v, "name").unwrap_or_default();
        if vname.trim().is_empty() {
            errs.push(FieldError::required(
                &format!("{f}.name"),
                "name is not specified",
            ));
        } else if !is_cel_identifier(vname) {
            errs.push(FieldError::invalid(
                &format!("{f}.name"),
                json!(vname),
                "name is not a valid CEL identifier",
            ));
        }
        let expr = s(v, "expression").unwrap_or_default();
        if expr.trim().is_empty() {
            errs.push(FieldError::required(
                &format!("{f}.expression"),
                "expression is not specified",
            ));
        } else {
            check_cel(&format!("{f}.expression"), expr, decls, &mut errs);
        }
    }
    let validations = arr(spec.get("validations"));
    let annotations = arr(spec.get("auditAnnotations"));
    if validations.is_empty() && annotations.is_empty() {
        let detail = "validations or auditAnnotations must contain at least one item";
        errs.push(FieldError::required("spec.validations", detail));
        errs.push(FieldError::required("spec.auditAnnotations", detail));
        return errs;
    }
    for (i, v) in validations.iter().enumerate() {
        validate_validation(v, &format!("spec.validations[{i}]"), params, &mut errs);
    }
    if annotations.len() > MAX_AUDIT_ANNOTATIONS {
        errs.push(FieldError::invalid(
            "spec.auditAnnotations",
            json!(annotations),
            &format!("must not have more than {MAX_AUDIT_ANNOTATIONS} auditAnnotations"),
        ));
    }
    let mut keys = BTreeSet::new();
    for (i, a) in annotations.iter().enumerate() {
        let f = format!("spec.auditAnnotations[{i}]");
        let key = s(a, "key").unwrap_or_default();
        if name.is_empty() {
            errs.push(FieldError::invalid(
                &format!("{f}.key"),
                json!(key),
                "requires metadata.name be non-empty",
            ));
        } else {
            let full = format!("{name}/{key}");
            for msg in names::is_qualified_name(&full) {
                errs.push(FieldError::invalid(&format!("{f}.key"), json!(full), &msg));
            }
        }
        let value_expr = s(a, "valueExpression").unwrap_or_default();
        let trimmed = value_expr.trim();
        if trimmed.is_empty() {
            errs.push(FieldError::required(
                &format!("{f}.valueExpression"),
                "valueExpression is not specified",
            ));
        } else if trimmed.len() > MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH {
            errs.push(FieldError::required(
                &format!("{f}.valueExpression"),
                &format!("must not exceed {MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH} bytes in length"),
            ));
        } else if let Err(issues) = cel::compile_with(trimmed, decls) {
            errs.push(FieldError::invalid(
                &format!("{f}.valueExpression"),
                json!(value_expr),
                &format!("compilation failed: {issues}"),
            ));
        }
        if !keys.insert(key.to_string()) {
            errs.push(FieldError::duplicate(&format!("{f}.key"), json!(key)));
        }
    }
    errs
}

/// validateValidation.
fn validate_validation(v: &Value, f: &str, params: bool, errs: &mut Vec<FieldError>) {
    let expr = s(v, "expression").unwrap_or_default();
    if expr.trim().is_empty() {
        errs.push(FieldError::required(
            &format!("{f}.expression"),
            "expression is not specified",
        ));
    } else {
        check_cel(
            &format!("{f}.expression"),
            expr,
            cel::Decls {
                params,
                authorizer: true,
            },
            errs,
        );
    }
    let message_expr = s(v, "messageExpression").unwrap_or_default();
    if !message_expr.is_empty() && message_expr.trim().is_empty() {
        errs.push(FieldError::invalid(
            &format!("{f}.messageExpression"),
            json!(message_expr),
            "must be non-empty if specified",
        ));
    } else if !message_expr.trim().is_empty() {
        check_cel(
            &format!("{f}.messageExpression"),
            message_expr,
            cel::Decls {
                params,
                authorizer: false,
            },
            errs,
        );
    }
    let message = s(v, "message").unwrap_or_default();
    if !message.is_empty() && message.trim().is_empty() {
        errs.push(FieldError::invalid(
            &format!("{f}.message"),
            json!(message),
            "message must be non-empty if specified",
        ));
    } else if has_newlines(message.trim()) {
        errs.push(FieldError::invalid(
            &format!("{f}.message"),
            json!(message),
            "message must not contain line breaks",
        ));
    }
    if let Some(reason) = v.get("reason").filter(|r| !r.is_null()) {
        let reason = reason.as_str().unwrap_or_default();
        if !REASONS.contains(&reason) {
            errs.push(FieldError::not_supported(
                &format!("{f}.reason"),
                json!(reason),
                REASONS,
            ));
        }
    }
}

/// validateValidatingAdmissionPolicyBindingSpec, on the whole object.
pub fn validate_binding(binding: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let spec = binding.get("spec").unwrap_or(&Value::Null);
    let policy_name = s(spec, "policyName").unwrap_or_default();
    if policy_name.is_empty() {
        errs.push(FieldError::required("spec.policyName", ""));
    } else {
        for msg in names::is_dns1123_subdomain(policy_name) {
            errs.push(FieldError::invalid(
                "spec.policyName",
                json!(policy_name),
                &msg,
            ));
        }
    }
    if let Some(pr) = spec.get("paramRef").filter(|p| !p.is_null()) {
        let name = s(pr, "name").unwrap_or_default();
        let selector = pr.get("selector").filter(|x| !x.is_null());
        if !name.is_empty() {
            for msg in names::validate_path_segment_name(name) {
                errs.push(FieldError::invalid("spec.paramRef.name", json!(name), &msg));
            }
            if selector.is_some() {
                errs.push(FieldError::forbidden(
                    "spec.paramRef.name",
                    "name and selector are mutually exclusive",
                ));
            }
        }
        if let Some(sel) = selector {
            validate_label_selector(sel, "spec.paramRef.selector", &mut errs);
            if !name.is_empty() {
                errs.push(FieldError::forbidden(
                    "spec.paramRef.selector",
                    "name and selector are mutually exclusive",
                ));
            }
        }
        if name.is_empty() && selector.is_none() {
            errs.push(FieldError::required(
                "spec.paramRef",
                "one of name or selector must be specified",
            ));
        }
        match s(pr, "parameterNotFoundAction").unwrap_or_default() {
            "" => errs.push(FieldError::required(
                "spec.paramRef.parameterNotFoundAction",
                "",
            )),
            "Deny" | "Allow" => {}
            other => errs.push(FieldError::not_supported(
                "spec.paramRef.parameterNotFoundAction",
                json!(other),
                &["Deny", "Allow"],
            )),
        }
    }
    if let Some(mr) = spec.get("matchResources").filter(|m| !m.is_null()) {
        validate_match_resources(mr, "spec.matchResources", &mut errs);
    }
    let actions = str_list(spec.get("validationActions"));
    let mut seen = BTreeSet::new();
    for (i, a) in actions.iter().enumerate() {
        let f = format!("spec.validationActions[{i}]");
        if !ACTIONS.contains(&a.as_str()) {
            errs.push(FieldError::not_supported(&f, json!(a), ACTIONS));
        }
        if !seen.insert(a.clone()) {
            errs.push(FieldError::duplicate(&f, json!(a)));
        }
    }
    if seen.contains("Deny") && seen.contains("Warn") {
        errs.push(FieldError::invalid(
            "spec.validationActions",
            json!(actions),
            "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)",
        ));
    }
    if seen.is_empty() {
        errs.push(FieldError::required(
            "spec.validationActions",
            "at least one validation action is required",
        ));
    }
    errs
}
