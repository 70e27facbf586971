//! The validating admission policy plugin's behaviour, after upstream's
//! staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating/admission_test.go
//! (TestWarnValidationAction, TestAuditValidationAction, TestAllValidationActions,
//! TestParamRef / TestNamespaceParamRefName / TestParamRefNotFound-style cases,
//! TestBasicPolicyDefinitionFailure, TestDefinitionDoesntMatch, TestAuditAnnotations-style
//! cases) and validator_test.go (message/messageExpression fallbacks, failure policies),
//! on a ServiceCIDR request.

mod common;
use common::*;
use serde_json::{json, Value};
use servicecidr_admission::*;

fn policy(spec_extra: Value) -> Value {
    let mut p = json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": "p"},
        "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": {"resourceRules": [{"apiGroups": ["networking.k8s.io"], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"], "resources": ["servicecidrs"]}]},
        },
    });
    for (k, v) in spec_extra.as_object().unwrap() {
        p["spec"][k] = v.clone();
    }
    set_policy_defaults(&mut p);
    p
}

fn binding(spec_extra: Value) -> Value {
    let mut b = json!({"metadata": {"name": "b"}, "spec": {"policyName": "p", "validationActions": ["Deny"]}});
    for (k, v) in spec_extra.as_object().unwrap() {
        b["spec"][k] = v.clone();
    }
    set_binding_defaults(&mut b);
    b
}

fn req() -> Attributes {
    create_service_cidr("x", &["10.0.0.0/16"], admin())
}

fn run(p: Value, b: Value) -> Outcome {
    evaluate(&[p], &[b], &req(), &Objects::default())
}

fn cause(o: &Outcome) -> String {
    o.denial.as_ref().expect("denied")["details"]["causes"][0]["message"]
        .as_str()
        .unwrap()
        .to_string()
}

const DENY_ALL: &str = "object.metadata.name == 'never'";

#[test]
fn warn_validation_action() {
    let o = run(
        policy(json!({"validations": [{"expression": DENY_ALL, "message": "I'm sorry Dave"}]})),
        binding(json!({"validationActions": ["Warn"]})),
    );
    assert_eq!(o.denial, None);
    assert_eq!(
        o.warnings,
        vec![
            "Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': I'm sorry Dave"
        ]
    );
    assert_eq!(o.audit_annotations, vec![]);
}

#[test]
fn audit_validation_action() {
    let o = run(
        policy(
            json!({"validations": [{"expression": "true"}, {"expression": DENY_ALL, "message": "I'm sorry Dave"}]}),
        ),
        binding(json!({"validationActions": ["Audit"]})),
    );
    assert_eq!(o.denial, None);
    assert_eq!(o.warnings, Vec::<String>::new());
    assert_eq!(
        o.audit_annotations,
        vec![AuditAnnotation {
            key: "validation.policy.admission.k8s.io/validation_failure".into(),
            value: r#"[{"binding":"b","expressionIndex":1,"message":"I'm sorry Dave","policy":"p","validationActions":["Audit"]}]"#.into(),
        }]
    );
}

#[test]
fn all_validation_actions() {
    // Deny with Warn is refused by validation, but the plugin applies whatever is stored.
    let b = binding(json!({"validationActions": ["Deny", "Warn", "Audit"]}));
    assert!(validate_binding(&b).iter().any(|e| e.message()
        == "spec.validationActions: Invalid value: [\"Deny\",\"Warn\",\"Audit\"]: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"));
    let o = run(
        policy(json!({"validations": [{"expression": DENY_ALL, "message": "I'm sorry Dave"}]})),
        b,
    );
    assert_eq!(
        cause(&o),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: I'm sorry Dave"
    );
    assert_eq!(o.warnings.len(), 1);
    assert_eq!(o.audit_annotations.len(), 1);
}

#[test]
fn default_message_reason_and_code() {
    let o = run(
        policy(json!({"validations": [{"expression": " object.spec.cidrs.size() > 5 "}]})),
        binding(json!({})),
    );
    let s = o.denial.unwrap();
    assert_eq!(s["reason"], "Invalid");
    assert_eq!(s["code"], 422);
    assert_eq!(
        s["message"],
        "servicecidrs.networking.k8s.io \"x\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed expression: object.spec.cidrs.size() > 5"
    );
    for (reason, code) in [
        ("Forbidden", 403),
        ("Unauthorized", 401),
        ("RequestEntityTooLarge", 413),
        ("Invalid", 422),
    ] {
        let o = run(
            policy(json!({"validations": [{"expression": DENY_ALL, "reason": reason}]})),
            binding(json!({})),
        );
        let s = o.denial.unwrap();
        assert_eq!(
            (s["reason"].as_str().unwrap(), s["code"].as_i64().unwrap()),
            (reason, code)
        );
    }
}

#[test]
fn message_expression_and_its_fallbacks() {
    let v = |me: &str| {
        run(
            policy(
                json!({"validations": [{"expression": DENY_ALL, "message": "static", "messageExpression": me}]}),
            ),
            binding(json!({})),
        )
    };
    assert_eq!(
        cause(&v("'name ' + object.metadata.name + ' refused '")),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: name x refused"
    );
    // An error, a non-string, a blank or a multi-line result falls back to message.
    for me in ["object.nope", "1", "'   '", "'a\\nb'"] {
        assert_eq!(
            cause(&v(me)),
            "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: static",
            "{me}"
        );
    }
}

#[test]
fn failure_policy_on_expression_errors() {
    let p = |fp: &str| {
        policy(
            json!({"failurePolicy": fp, "validations": [{"expression": "object.spec.nope == 1"}]}),
        )
    };
    let o = run(p("Fail"), binding(json!({})));
    assert_eq!(
        cause(&o),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: expression 'object.spec.nope == 1' resulted in error: no such key: nope"
    );
    // An error has no reason: Invalid, 422.
    assert_eq!(o.denial.as_ref().unwrap()["code"], 422);
    assert_eq!(run(p("Ignore"), binding(json!({}))).denial, None);
    // With Warn only, the error is a warning.
    let o = run(p("Fail"), binding(json!({"validationActions": ["Warn"]})));
    assert_eq!(o.denial, None);
    assert_eq!(
        o.warnings,
        vec!["Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': expression 'object.spec.nope == 1' resulted in error: no such key: nope"]
    );
}

#[test]
fn match_conditions() {
    let p = |conds: Value, fp: &str| {
        policy(
            json!({"failurePolicy": fp, "matchConditions": conds, "validations": [{"expression": DENY_ALL}]}),
        )
    };
    // All true: evaluated (and denied); one false: not applicable.
    let t = json!({"name": "t", "expression": "true"});
    let f = json!({"name": "f", "expression": "request.userInfo.username == 'nobody'"});
    let e = json!({"name": "e", "expression": "object.nope"});
    assert!(run(p(json!([t]), "Fail"), binding(json!({})))
        .denial
        .is_some());
    let o = run(p(json!([t, f]), "Fail"), binding(json!({})));
    assert_eq!(o.denial, None);
    assert_eq!(o.evaluations[0].decisions, vec![]);
    // A false wins over an error; an error alone follows failurePolicy.
    assert_eq!(
        run(p(json!([e, f]), "Fail"), binding(json!({}))).denial,
        None
    );
    assert_eq!(
        cause(&run(p(json!([e]), "Fail"), binding(json!({})))),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: expression 'object.nope' resulted in error: no such key: nope"
    );
    let e2 = json!({"name": "e2", "expression": "1/0 == 1"});
    assert_eq!(
        cause(&run(p(json!([e, e2]), "Fail"), binding(json!({})))),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: [expression 'object.nope' resulted in error: no such key: nope, expression '1/0 == 1' resulted in error: division by zero]"
    );
    assert_eq!(
        run(p(json!([e]), "Ignore"), binding(json!({}))).denial,
        None
    );
}

#[test]
fn variables_are_lazy_and_ordered() {
    let p = policy(json!({
        "variables": [
            {"name": "broken", "expression": "object.nope"},
            {"name": "first", "expression": "object.spec.cidrs[0]"},
            {"name": "net", "expression": "cidr(variables.first)"},
        ],
        "validations": [{"expression": "variables.net.prefixLength() >= 16", "messageExpression": "'too wide: ' + string(variables.net)"}],
    }));
    assert_eq!(run(p.clone(), binding(json!({}))).denial, None);
    let wide = create_service_cidr("x", &["10.0.0.0/8"], admin());
    let o = evaluate(&[p], &[binding(json!({}))], &wide, &Objects::default());
    assert_eq!(
        cause(&o),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: too wide: 10.0.0.0/8"
    );
    // Reading the broken variable is the reader's error.
    let p = policy(json!({
        "variables": [{"name": "broken", "expression": "object.nope"}],
        "validations": [{"expression": "variables.broken == 1"}],
    }));
    assert_eq!(
        cause(&run(p, binding(json!({})))),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: expression 'variables.broken == 1' resulted in error: no such key: nope"
    );
}

#[test]
fn request_and_object_bindings() {
    let mut a = req();
    a.user_info.extra.insert("scopes".into(), vec!["a".into()]);
    let p = policy(
        json!({"validations": [{"expression": "request.operation == 'CREATE' && request.name == 'x' && !has(request.namespace) && request.kind.kind == 'ServiceCIDR' && request.resource.resource == 'servicecidrs' && request.userInfo.username == 'kubernetes-admin' && 'system:authenticated' in request.userInfo.groups && request.userInfo.extra.scopes == ['a'] && request.dryRun == false && request.options.kind == 'CreateOptions' && oldObject == null && namespaceObject == null"}]}),
    );
    let o = evaluate(&[p], &[binding(json!({}))], &a, &Objects::default());
    assert_eq!(o.denial, None, "{:?}", o.evaluations);
}

#[test]
fn audit_annotations() {
    let p = policy(json!({
        "validations": [{"expression": "true"}],
        "auditAnnotations": [
            {"key": "cidrs", "valueExpression": "object.spec.cidrs.join(',')"},
            {"key": "blank", "valueExpression": "'  '"},
            {"key": "none", "valueExpression": "null"},
        ],
    }));
    let o = run(p, binding(json!({})));
    assert_eq!(
        o.audit_annotations,
        vec![AuditAnnotation {
            key: "p/cidrs".into(),
            value: "10.0.0.0/16".into()
        }]
    );
    let bad = policy(json!({"auditAnnotations": [{"key": "k", "valueExpression": "1"}]}));
    assert_eq!(
        cause(&run(bad, binding(json!({})))),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: valueExpression '1' resulted in unsupported return type: int. Return type must be either string or null."
    );
}

#[test]
fn binding_match_resources_narrow_the_policy() {
    let p = policy(json!({"validations": [{"expression": DENY_ALL}]}));
    let b =
        binding(json!({"matchResources": {"objectSelector": {"matchLabels": {"guarded": "yes"}}}}));
    let o = run(p.clone(), b.clone());
    assert_eq!(o.denial, None);
    assert_eq!(o.evaluations, vec![]);
    let mut a = req();
    a.object.as_mut().unwrap()["metadata"]["labels"] = json!({"guarded": "yes"});
    assert!(
        evaluate(std::slice::from_ref(&p), &[b], &a, &Objects::default())
            .denial
            .is_some()
    );
    // A policy no binding names does nothing; a binding naming no policy does nothing.
    assert_eq!(
        evaluate(&[p], &[], &req(), &Objects::default()),
        Outcome::default()
    );
}

fn config_map(ns: &str, name: &str, labels: Value, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns, "labels": labels}, "data": data})
}

#[test]
fn params() {
    let p = |kind: Value| {
        policy(json!({
            "paramKind": kind,
            "validations": [{"expression": "object.spec.cidrs.all(c, params.data.allowed.split(',').exists(a, cidr(a).containsCIDR(c)))", "messageExpression": "'not within ' + params.metadata.name"}],
        }))
    };
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap"});
    let mut objs = Objects::default();
    objs.config_maps.push(config_map(
        "kube-system",
        "ranges",
        json!({"set": "a"}),
        json!({"allowed": "10.0.0.0/8"}),
    ));
    objs.config_maps.push(config_map(
        "kube-system",
        "narrow",
        json!({"set": "a"}),
        json!({"allowed": "10.1.0.0/16"}),
    ));
    let by_name = |name: &str, action: &str| {
        binding(
            json!({"paramRef": {"name": name, "namespace": "kube-system", "parameterNotFoundAction": action}}),
        )
    };
    let go = |p: Value, b: Value| evaluate(&[p], &[b], &req(), &objs);
    assert_eq!(go(p(cm.clone()), by_name("ranges", "Deny")).denial, None);
    assert_eq!(
        cause(&go(p(cm.clone()), by_name("narrow", "Deny"))),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: not within narrow"
    );
    assert_eq!(
        cause(&go(p(cm.clone()), by_name("missing", "Deny"))),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction"
    );
    assert_eq!(go(p(cm.clone()), by_name("missing", "Allow")).denial, None);
    // A selector evaluates once per param: each refusal is a decision.
    let sel = binding(
        json!({"paramRef": {"selector": {"matchLabels": {"set": "a"}}, "namespace": "kube-system", "parameterNotFoundAction": "Deny"}}),
    );
    let o = go(p(cm.clone()), sel);
    assert_eq!(o.evaluations.len(), 2);
    assert_eq!(
        cause(&o),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: not within narrow"
    );
    // A namespaced param kind without a namespace, for a cluster-scoped request.
    let no_ns = binding(json!({"paramRef": {"name": "ranges", "parameterNotFoundAction": "Deny"}}));
    assert_eq!(
        cause(&go(p(cm.clone()), no_ns)),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed to configure binding: cannot use namespaced paramRef in policy binding that matches cluster-scoped resources"
    );
    // A cluster-scoped param kind with a namespace.
    let cluster = json!({"apiVersion": "example.com/v1", "kind": "ClusterParams"});
    assert_eq!(
        cause(&go(p(cluster), by_name("ranges", "Deny"))),
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed to configure binding: paramRef.namespace must not be provided for a cluster-scoped `paramKind`"
    );
    // A param kind nothing serves: the policy is misconfigured.
    let nope = json!({"apiVersion": "example.com/v1", "kind": "Nope"});
    assert_eq!(
        cause(&go(p(nope.clone()), by_name("ranges", "Deny"))),
        "ValidatingAdmissionPolicy 'p' denied request: failed to configure policy: failed to find resource referenced by paramKind: 'example.com/v1, Kind=Nope'"
    );
    let mut ignore = p(nope);
    ignore["spec"]["failurePolicy"] = json!("Ignore");
    assert_eq!(go(ignore, by_name("ranges", "Deny")).denial, None);
    // No paramRef on the binding: params is null.
    let o = go(
        policy(json!({"paramKind": cm, "validations": [{"expression": "params == null"}]})),
        binding(json!({})),
    );
    assert_eq!(o.denial, None);
}

#[test]
fn first_denial_wins_in_policy_order() {
    let p1 = {
        let mut p = policy(json!({"validations": [{"expression": DENY_ALL, "message": "one"}]}));
        p["metadata"]["name"] = json!("a");
        p
    };
    let p2 = policy(json!({"validations": [{"expression": DENY_ALL, "message": "two"}]}));
    let b1 = json!({"metadata": {"name": "ba"}, "spec": {"policyName": "a", "validationActions": ["Deny"]}});
    let o = evaluate(
        &[p1, p2],
        &[b1, binding(json!({}))],
        &req(),
        &Objects::default(),
    );
    assert_eq!(
        cause(&o),
        "ValidatingAdmissionPolicy 'a' with binding 'ba' denied request: one"
    );
    assert_eq!(o.evaluations.len(), 2);
}

#[test]
fn policy_validation_messages() {
    let mut p = json!({"metadata": {"name": "p"}, "spec": {
        "failurePolicy": "Sometimes",
        "matchConstraints": {"resourceRules": [{"apiGroups": ["*", "apps"], "apiVersions": ["v1"], "operations": ["CREATE", "PATCH"], "resources": []}]},
        "variables": [{"name": "in", "expression": "1"}],
        "validations": [{"expression": "object.x ==", "message": "a\nb", "reason": "Teapot"}],
    }});
    set_policy_defaults(&mut p);
    let msgs: Vec<String> = validate_policy(&p)
        .iter()
        .map(FieldError::message)
        .collect();
    assert_eq!(
        msgs,
        vec![
            "spec.failurePolicy: Unsupported value: \"Sometimes\": supported values: \"Fail\", \"Ignore\"".to_string(),
            "spec.matchConstraints.resourceRules[0].operations[1]: Unsupported value: \"PATCH\": supported values: \"*\", \"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\"".to_string(),
            "spec.matchConstraints.resourceRules[0].apiGroups: Invalid value: [\"*\",\"apps\"]: if '*' is present, must not specify other API groups".to_string(),
            "spec.matchConstraints.resourceRules[0].resources: Required value".to_string(),
            "spec.variables[0].name: Invalid value: \"in\": name is not a valid CEL identifier".to_string(),
            format!("spec.validations[0].expression: Invalid value: \"object.x ==\": compilation failed: {}", servicecidr_admission::cel::compile("object.x ==").unwrap_err()),
            "spec.validations[0].message: Invalid value: \"a\\nb\": message must not contain line breaks".to_string(),
            "spec.validations[0].reason: Unsupported value: \"Teapot\": supported values: \"Forbidden\", \"Invalid\", \"RequestEntityTooLarge\", \"Unauthorized\"".to_string(),
        ]
    );
    assert!(servicecidr_admission::cel::compile("object.x ==")
        .unwrap_err()
        .starts_with("ERROR: <input>:1:12: "));
    let empty = json!({"metadata": {"name": "p"}, "spec": {}});
    let msgs: Vec<String> = validate_policy(&empty)
        .iter()
        .map(FieldError::message)
        .collect();
    assert_eq!(
        msgs,
        vec![
            "spec.failurePolicy: Required value",
            "spec.matchConstraints: Required value",
            "spec.validations: Required value: validations or auditAnnotations must contain at least one item",
            "spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item",
        ]
    );
}

#[test]
fn binding_validation_messages() {
    let b = json!({"metadata": {"name": "b"}, "spec": {
        "policyName": "Bad_Name",
        "paramRef": {"name": "a/b", "selector": {}, "parameterNotFoundAction": "Maybe"},
        "validationActions": ["Deny", "Deny", "Shout"],
    }});
    let msgs: Vec<String> = validate_binding(&b)
        .iter()
        .map(FieldError::message)
        .collect();
    assert_eq!(
        msgs,
        vec![
            "spec.policyName: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "spec.paramRef.name: Invalid value: \"a/b\": may not contain '/'",
            "spec.paramRef.name: Forbidden: name and selector are mutually exclusive",
            "spec.paramRef.selector: Forbidden: name and selector are mutually exclusive",
            "spec.paramRef.parameterNotFoundAction: Unsupported value: \"Maybe\": supported values: \"Deny\", \"Allow\"",
            "spec.validationActions[1]: Duplicate value: \"Deny\"",
            "spec.validationActions[2]: Unsupported value: \"Shout\": supported values: \"Audit\", \"Deny\", \"Warn\"",
        ]
    );
    let none = json!({"metadata": {"name": "b"}, "spec": {"policyName": "p"}});
    assert_eq!(
        validate_binding(&none)
            .iter()
            .map(FieldError::message)
            .collect::<Vec<_>>(),
        vec!["spec.validationActions: Required value: at least one validation action is required"]
    );
}

#[test]
fn undeclared_references_are_compile_errors() {
    // cel-go's checker: `params` exists only with a paramKind; typos are refused at create.
    let p = policy(json!({"validations": [{"expression": "params.x == 1 && objet.y"}]}));
    let msgs: Vec<String> = validate_policy(&p)
        .iter()
        .map(FieldError::message)
        .collect();
    assert_eq!(
        msgs,
        vec![
            "spec.validations[0].expression: Invalid value: \"params.x == 1 && objet.y\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.x == 1 && objet.y\n | ^\nERROR: <input>:1:18: undeclared reference to 'objet' (in container '')\n | params.x == 1 && objet.y\n | .................^"
        ]
    );
    let with_params = policy(
        json!({"paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
        "validations": [{"expression": "params == null || [1].all(x, x > 0) && ip.isCanonical('::1') && type(1) == int && lists.range(2).size() == 2 && 'objet' != object.metadata.name"}]}),
    );
    assert_eq!(validate_policy(&with_params), vec![]);
    // authorizer is declared for validations but not for messageExpression.
    let p = policy(
        json!({"validations": [{"expression": "authorizer != null", "messageExpression": "string(authorizer)"}]}),
    );
    let msgs: Vec<String> = validate_policy(&p)
        .iter()
        .map(|e| e.field.clone())
        .collect();
    assert_eq!(msgs, vec!["spec.validations[0].messageExpression"]);
}
