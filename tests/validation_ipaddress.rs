#![cfg(not(target_arch = "wasm32"))]
// Native tests: the wasm build runs tests/wasm_*.rs instead.
//! IPAddress validation (§2.5), including the validation_test.go evidence cases.

mod common;

use common::{assert_invalid, strings};
use serde_json::json;
use servicecidr_sim::model::{ApiError, FieldError, IPAddress, ParentReference};
use servicecidr_sim::validation::{
    is_valid_ip_name, validate_ip_address, validate_ip_address_update,
};

fn ip(name: &str, parent: Option<ParentReference>) -> IPAddress {
    let mut ip: IPAddress = serde_json::from_value(json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IPAddress",
        "metadata": {"name": name, "resourceVersion": "1"},
    }))
    .unwrap();
    ip.spec.parent_ref = parent;
    ip
}

fn svc_ref(ns: &str, name: &str) -> Option<ParentReference> {
    Some(ParentReference::service(ns, name))
}

fn pref(group: &str, resource: &str, namespace: &str, name: &str) -> Option<ParentReference> {
    Some(ParentReference {
        group: group.into(),
        resource: resource.into(),
        namespace: namespace.into(),
        name: name.into(),
    })
}

/// The errors as `field: body` strings and as the aggregated 422 message.
fn assert_errs(errs: &[FieldError], expected: &[&str]) {
    assert_invalid(
        errs,
        expected,
        ("IPAddress", "networking.k8s.io", "10.0.0.1"),
        "IPAddress.networking.k8s.io",
    );
}

fn assert_single(obj: &IPAddress, expected: &str) {
    let errs = validate_ip_address(obj);
    assert_eq!(strings(&errs), vec![expected.to_string()]);
    assert_eq!(
        ApiError::invalid("IPAddress", "networking.k8s.io", &obj.metadata.name, &errs).message,
        format!(
            "IPAddress.networking.k8s.io \"{}\" is invalid: {expected}",
            obj.metadata.name
        )
    );
}

#[test]
fn allocator_shaped_ipaddress_is_valid() {
    for name in ["10.96.0.1", "192.168.1.5", "2001:db8::1", "fd00::ffff"] {
        assert!(validate_ip_address(&ip(name, svc_ref("default", "kubernetes"))).is_empty());
    }
}

#[test]
fn special_addresses_are_not_rejected_by_the_api() {
    for name in [
        "0.0.0.0",
        "10.0.0.0",
        "10.0.0.255",
        "255.255.255.255",
        "::",
        "::1",
    ] {
        assert!(
            validate_ip_address(&ip(name, svc_ref("ns", "a"))).is_empty(),
            "{name}"
        );
    }
}

#[test]
fn upstream_case_name_not_an_ip_is_one_error() {
    assert_single(
        &ip("test-name", svc_ref("foo", "bar")),
        r#"metadata.name: Invalid value: "test-name": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#,
    );
}

#[test]
fn name_with_leading_zeros() {
    assert_single(
        &ip("10.01.2.3", svc_ref("foo", "bar")),
        r#"metadata.name: Invalid value: "10.01.2.3": must not have leading 0s"#,
    );
}

#[test]
fn name_ipv4_mapped() {
    assert_single(
        &ip("::ffff:1.2.3.4", svc_ref("foo", "bar")),
        r#"metadata.name: Invalid value: "::ffff:1.2.3.4": must not be an IPv4-mapped IPv6 address"#,
    );
}

#[test]
fn name_not_canonical() {
    assert_single(
        &ip("2001:db8:0:0:0::1", svc_ref("foo", "bar")),
        r#"metadata.name: Invalid value: "2001:db8:0:0:0::1": must be in canonical form ("2001:db8::1")"#,
    );
    assert_single(
        &ip("FD00::1", svc_ref("foo", "bar")),
        r#"metadata.name: Invalid value: "FD00::1": must be in canonical form ("fd00::1")"#,
    );
}

#[test]
fn ip_name_checker_gives_one_message_per_value() {
    assert_eq!(
        is_valid_ip_name("::ffff:01.2.3.4"),
        vec!["must not have leading 0s"]
    );
    assert_eq!(is_valid_ip_name("fe80::1%eth0").len(), 1);
    assert!(is_valid_ip_name("10.0.0.1").is_empty());
}

#[test]
fn missing_parent_ref_is_required() {
    assert_single(&ip("10.0.0.1", None), "spec.parentRef: Required value");
}

#[test]
fn upstream_case_bad_name_and_no_parent_ref_is_two_errors() {
    let errs = validate_ip_address(&ip("test-name", None));
    assert_eq!(errs.len(), 2);
    assert_eq!(errs[1].to_string(), "spec.parentRef: Required value");
}

#[test]
fn upstream_case_bad_parent_ref_fields_is_four_errors() {
    let errs = validate_ip_address(&ip(
        "10.0.0.1",
        pref(".cust@m.resource.com", "", "bar$$$$$%@", ""),
    ));
    assert_errs(
        &errs,
        &[
            r#"spec.parentRef.group: Invalid value: ".cust@m.resource.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            "spec.parentRef.resource: Required value",
            "spec.parentRef.name: Required value",
            r#"spec.parentRef.namespace: Invalid value: "bar$$$$$%@": may not contain '%'"#,
        ],
    );
}

#[test]
fn upstream_case_gateway_parent_ref_is_valid() {
    assert!(validate_ip_address(&ip(
        "10.0.0.1",
        pref("gateway.networking.k8s.io", "gateway", "foo", "bar")
    ))
    .is_empty());
}

#[test]
fn parent_ref_resource_may_not_be_dot() {
    assert_single(
        &ip("10.0.0.1", pref("", ".", "ns", "a")),
        r#"spec.parentRef.resource: Invalid value: ".": may not be '.'"#,
    );
}

#[test]
fn parent_ref_name_may_not_be_dot_dot() {
    assert_single(
        &ip("10.0.0.1", pref("", "services", "ns", "..")),
        r#"spec.parentRef.name: Invalid value: "..": may not be '..'"#,
    );
}

#[test]
fn parent_ref_namespace_may_not_contain_slash() {
    assert_single(
        &ip("10.0.0.1", pref("", "services", "a/b", "x")),
        r#"spec.parentRef.namespace: Invalid value: "a/b": may not contain '/'"#,
    );
}

#[test]
fn parent_ref_name_with_slash_and_percent_gives_both() {
    assert_errs(
        &validate_ip_address(&ip("10.0.0.1", pref("", "services", "", "a/%"))),
        &[
            r#"spec.parentRef.name: Invalid value: "a/%": may not contain '/'"#,
            r#"spec.parentRef.name: Invalid value: "a/%": may not contain '%'"#,
        ],
    );
}

#[test]
fn labels_are_not_restricted_beyond_label_syntax() {
    let mut obj = ip("10.0.0.1", svc_ref("ns", "a"));
    obj.metadata.labels.insert(
        "ipaddress.kubernetes.io/managed-by".into(),
        "someone-else".into(),
    );
    assert!(validate_ip_address(&obj).is_empty());
}

#[test]
fn update_keeping_parent_ref_is_valid() {
    let old = ip("10.0.0.1", svc_ref("ns", "a"));
    let mut new = old.clone();
    new.metadata.labels.insert("x".into(), "y".into());
    assert!(validate_ip_address_update(&new, &old).is_empty());
}

#[test]
fn update_changing_parent_ref_is_immutable() {
    let old = ip("10.0.0.1", svc_ref("default", "a"));
    let new = ip("10.0.0.1", svc_ref("default", "b"));
    let errs = validate_ip_address_update(&new, &old);
    let expected = r#"spec.parentRef: Invalid value: {"name":"b","namespace":"default","resource":"services"}: field is immutable"#;
    assert_errs(&errs, &[expected]);
    assert_eq!(
        ApiError::invalid("IPAddress", "networking.k8s.io", "10.0.0.1", &errs).message,
        format!(r#"IPAddress.networking.k8s.io "10.0.0.1" is invalid: {expected}"#)
    );
}

#[test]
fn update_removing_parent_ref_fails_twice() {
    let old = ip("10.0.0.1", svc_ref("default", "a"));
    let new = ip("10.0.0.1", None);
    assert_errs(
        &validate_ip_address_update(&new, &old),
        &[
            "spec.parentRef: Required value",
            "spec.parentRef: Invalid value: null: field is immutable",
        ],
    );
}

#[test]
fn update_reruns_create_rules_on_the_new_object() {
    let old = ip("10.0.0.1", pref("", "services", "ns", "a"));
    let mut new = old.clone();
    new.metadata.labels.insert("bad key".into(), "v".into());
    // label errors come from both the create rules and the meta update rules
    assert_eq!(validate_ip_address_update(&new, &old).len(), 2);
}
