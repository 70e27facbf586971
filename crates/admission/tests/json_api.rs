//! The JSON surface the CEL wasm module exports: the default sample through
//! `admit`, params from the snapshot, field errors, and malformed input.

mod common;
use common::*;
use serde_json::{json, Value};
use servicecidr_admission::json_api::{
    admit, eval_expression_json, validate_binding_json, validate_policy_json,
};

fn request(name: &str, cidrs: &[&str], user: &str, groups: &[&str]) -> Value {
    json!({
        "operation": "CREATE",
        "resource": {"group": "networking.k8s.io", "version": "v1", "resource": "servicecidrs"},
        "kind": {"group": "networking.k8s.io", "version": "v1", "kind": "ServiceCIDR"},
        "name": name,
        "object": service_cidr(name, cidrs),
        "userInfo": {"username": user, "groups": groups},
    })
}

#[test]
fn admit_the_default_sample() {
    let (policies, bindings) = sample(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/vap-servicecidr-default.yaml"
    ));
    let call = |cidrs: &[&str]| -> Value {
        let input = json!({"policies": policies, "bindings": bindings,
            "attributes": request("newcidr1", cidrs, "kubernetes-admin", &["system:masters"])});
        serde_json::from_str(&admit(&input.to_string())).unwrap()
    };
    let ok = call(&["10.96.1.0/24"]);
    assert_eq!(ok["denial"], Value::Null);
    assert_eq!(ok["evaluations"][0]["policy"], "servicecidrs.default");
    assert_eq!(
        ok["evaluations"][0]["binding"],
        "servicecidrs-default-binding"
    );
    assert_eq!(ok["evaluations"][0]["decisions"][0]["evaluation"], "admit");
    let refused = call(&["172.20.0.0/16"]);
    assert_eq!(refused["denial"]["code"], 422);
    assert_eq!(refused["evaluations"][0]["decisions"][0]["action"], "Deny");
    assert_eq!(
        refused["auditAnnotations"][0]["key"],
        "validation.policy.admission.k8s.io/validation_failure"
    );
}

#[test]
fn admit_with_snapshot_params() {
    let policy = json!({"metadata": {"name": "p"}, "spec": {"failurePolicy": "Fail",
        "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
        "matchConstraints": {"namespaceSelector": {}, "objectSelector": {}, "resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"], "operations": ["*"], "resources": ["*"]}]},
        "validations": [{"expression": "object.spec.cidrs.all(c, cidr(params.data.allowed).containsCIDR(c))"}]}});
    let binding = json!({"metadata": {"name": "b"}, "spec": {"policyName": "p", "validationActions": ["Deny"],
        "paramRef": {"name": "ranges", "namespace": "kube-system", "parameterNotFoundAction": "Deny"}}});
    let cluster = json!({"paramKinds": [{"apiVersion": "v1", "kind": "ConfigMap", "scope": "Namespaced"}],
        "params": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ranges", "namespace": "kube-system"}, "data": {"allowed": "10.0.0.0/8"}}]});
    let call = |cidrs: &[&str]| -> Value {
        let input = json!({"policies": [policy], "bindings": [binding], "cluster": cluster,
            "attributes": request("x", cidrs, "u", &[])});
        serde_json::from_str(&admit(&input.to_string())).unwrap()
    };
    assert_eq!(call(&["10.1.0.0/16"])["denial"], Value::Null);
    assert_eq!(call(&["192.168.0.0/16"])["denial"]["reason"], "Invalid");
    assert_eq!(
        call(&["10.1.0.0/16"])["evaluations"][0]["param"],
        "kube-system/ranges"
    );
}

#[test]
fn field_errors_and_malformed_input() {
    let errs: Value =
        serde_json::from_str(&validate_binding_json(r#"{"spec": {"policyName": "p"}}"#)).unwrap();
    assert_eq!(
        errs,
        json!([{"type": "FieldValueRequired", "field": "spec.validationActions", "value": null,
            "detail": "at least one validation action is required",
            "message": "spec.validationActions: Required value: at least one validation action is required"}])
    );
    let errs: Value = serde_json::from_str(&validate_policy_json("{}")).unwrap();
    assert_eq!(errs.as_array().unwrap().len(), 4);
    for bad in [
        "",
        "nope",
        "[]",
        "{\"attributes\": 1}",
        "{\"attributes\": {\"operation\": \"PATCH\"}}",
    ] {
        let out: Value = serde_json::from_str(&admit(bad)).unwrap();
        assert!(out["error"].is_string(), "{bad}: {out}");
    }
    assert!(
        serde_json::from_str::<Value>(&validate_policy_json("{")).unwrap()["error"].is_string()
    );
    assert_eq!(
        eval_expression_json("ip('10.0.0.1').family() == 4", "{}"),
        r#"{"value":true}"#
    );
    assert_eq!(
        eval_expression_json("object.a", r#"{"object": {"a": "b"}}"#),
        r#"{"value":"b"}"#
    );
    assert_eq!(
        eval_expression_json("1 +", "{}"),
        json!({"error": servicecidr_admission::cel::compile("1 +").unwrap_err()}).to_string()
    );
}
