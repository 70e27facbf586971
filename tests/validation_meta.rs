#![cfg(not(target_arch = "wasm32"))]
// Native tests: the wasm build runs tests/wasm_*.rs instead.
//! ObjectMeta rules and name checkers (apimachinery texts).

mod common;

use common::strings;
use servicecidr_sim::model::{ObjectMeta, Time};
use servicecidr_sim::validation::meta::{prepare_meta_for_update, validate_common_update};
use servicecidr_sim::validation::names::{
    is_path_segment_name, is_qualified_name, is_valid_label_value, is_valid_port_name,
    mask_trailing_dash,
};
use servicecidr_sim::validation::{
    is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, validate_object_meta,
    validate_object_meta_update,
};

const DNS1035: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const QNAME_PART: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

fn meta(name: &str, ns: &str) -> ObjectMeta {
    ObjectMeta {
        name: name.into(),
        namespace: ns.into(),
        resource_version: "5".into(),
        ..ObjectMeta::default()
    }
}

#[test]
fn dns1035_text_has_the_double_space() {
    assert_eq!(is_dns1035_label("1abc"), vec![DNS1035]);
    assert!(is_dns1035_label("abc-123").is_empty());
    assert_eq!(is_dns1035_label("abc-"), vec![DNS1035]);
}

#[test]
fn dns1035_max_length_63() {
    assert!(is_dns1035_label(&"a".repeat(63)).is_empty());
    assert_eq!(
        is_dns1035_label(&"a".repeat(64)),
        vec!["must be no more than 63 characters"]
    );
}

#[test]
fn dns1123_subdomain_text_and_length() {
    assert_eq!(is_dns1123_subdomain("a..b"), vec![DNS1123_SUBDOMAIN]);
    assert_eq!(is_dns1123_subdomain(""), vec![DNS1123_SUBDOMAIN]);
    assert!(is_dns1123_subdomain("kubernetes.default.svc").is_empty());
    assert_eq!(
        is_dns1123_subdomain(&format!("{}-", "a".repeat(253))),
        vec![
            "must be no more than 253 characters".to_string(),
            DNS1123_SUBDOMAIN.to_string()
        ]
    );
}

#[test]
fn dns1123_label_text_and_dot_special_case() {
    assert_eq!(is_dns1123_label("Foo"), vec![DNS1123_LABEL]);
    assert_eq!(is_dns1123_label("a.b"), vec!["must not contain dots"]);
    assert!(is_dns1123_label("80").is_empty());
}

#[test]
fn qualified_name_messages() {
    assert_eq!(is_qualified_name("-x"), vec![QNAME_PART]);
    assert_eq!(
        is_qualified_name("/x"),
        vec!["prefix part must be non-empty"]
    );
    assert_eq!(
        is_qualified_name("example.com/"),
        vec![
            "name part must be non-empty".to_string(),
            QNAME_PART.to_string()
        ]
    );
    assert_eq!(
        is_qualified_name("Ex.com/x")[0],
        format!("prefix part {DNS1123_SUBDOMAIN}")
    );
    assert!(is_qualified_name("a/b/c")[0].starts_with("a valid label key must consist of"));
    assert!(is_qualified_name("a/b/c")[0]
        .ends_with(" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
    assert!(is_qualified_name("app.kubernetes.io/name").is_empty());
}

#[test]
fn label_value_messages() {
    assert!(is_valid_label_value("").is_empty());
    assert_eq!(
        is_valid_label_value("-bad"),
        vec!["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]
    );
    assert_eq!(
        is_valid_label_value(&"v".repeat(64)),
        vec!["must be no more than 63 characters"]
    );
}

#[test]
fn path_segment_messages() {
    assert_eq!(is_path_segment_name("."), vec!["may not be '.'"]);
    assert_eq!(is_path_segment_name(".."), vec!["may not be '..'"]);
    assert_eq!(is_path_segment_name("a/b"), vec!["may not contain '/'"]);
    assert_eq!(is_path_segment_name("a%b"), vec!["may not contain '%'"]);
    assert!(is_path_segment_name("...").is_empty());
}

#[test]
fn port_name_messages() {
    assert_eq!(
        is_valid_port_name("8080"),
        vec!["must contain at least one letter (a-z)"]
    );
    assert_eq!(
        is_valid_port_name("http-"),
        vec!["must not begin or end with a hyphen"]
    );
    assert_eq!(
        is_valid_port_name("a--b"),
        vec!["must not contain consecutive hyphens"]
    );
    assert_eq!(
        is_valid_port_name("abcdefghijklmnop"),
        vec!["must be no more than 15 characters"]
    );
    assert!(is_valid_port_name("http").is_empty());
}

#[test]
fn trailing_dash_mask_drops_two_characters() {
    assert_eq!(mask_trailing_dash("abc-"), "aba");
    assert_eq!(mask_trailing_dash("-"), "-");
    assert_eq!(mask_trailing_dash("abc"), "abc");
}

#[test]
fn name_required() {
    assert_eq!(
        strings(&validate_object_meta(
            &meta("", ""),
            false,
            is_dns1123_subdomain
        )),
        vec!["metadata.name: Required value: name or generateName is required"]
    );
}

#[test]
fn service_name_rule_message_on_metadata_name() {
    assert_eq!(
        strings(&validate_object_meta(
            &meta("1abc", "default"),
            true,
            is_dns1035_label
        )),
        vec![format!(
            r#"metadata.name: Invalid value: "1abc": {DNS1035}"#
        )]
    );
}

#[test]
fn service_name_too_long() {
    let n = "a".repeat(64);
    assert_eq!(
        strings(&validate_object_meta(
            &meta(&n, "default"),
            true,
            is_dns1035_label
        )),
        vec![format!(
            r#"metadata.name: Invalid value: "{n}": must be no more than 63 characters"#
        )]
    );
}

#[test]
fn generate_name_with_trailing_dash_is_fine() {
    let mut m = meta("web-abcde", "default");
    m.generate_name = "web-".into();
    assert!(validate_object_meta(&m, true, is_dns1035_label).is_empty());
}

#[test]
fn namespaced_object_needs_a_namespace() {
    assert_eq!(
        strings(&validate_object_meta(
            &meta("a", ""),
            true,
            is_dns1035_label
        )),
        vec!["metadata.namespace: Required value"]
    );
}

#[test]
fn namespace_must_be_a_dns_label() {
    assert_eq!(
        strings(&validate_object_meta(
            &meta("a", "Kube"),
            true,
            is_dns1035_label
        )),
        vec![format!(
            r#"metadata.namespace: Invalid value: "Kube": {DNS1123_LABEL}"#
        )]
    );
}

#[test]
fn cluster_scoped_forbids_namespace() {
    assert_eq!(
        strings(&validate_object_meta(
            &meta("a", "default"),
            false,
            is_dns1123_subdomain
        )),
        vec!["metadata.namespace: Forbidden: not allowed on this type"]
    );
}

#[test]
fn negative_generation() {
    let mut m = meta("a", "");
    m.generation = Some(-1);
    assert_eq!(
        strings(&validate_object_meta(&m, false, is_dns1123_subdomain)),
        vec!["metadata.generation: Invalid value: -1: must be greater than or equal to 0"]
    );
}

#[test]
fn label_key_and_value_errors_use_the_map_path() {
    let mut m = meta("a", "");
    m.labels.insert("-k".into(), "ok".into());
    m.labels.insert("k".into(), "-v".into());
    let got = strings(&validate_object_meta(&m, false, is_dns1123_subdomain));
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[0],
        format!(r#"metadata.labels: Invalid value: "-k": {QNAME_PART}"#)
    );
    assert!(got[1].starts_with(r#"metadata.labels: Invalid value: "-v": a valid label must be"#));
}

#[test]
fn annotation_keys_are_case_insensitive_qualified_names() {
    let mut m = meta("a", "");
    m.annotations.insert("Example.COM/Key".into(), "v".into());
    assert!(validate_object_meta(&m, false, is_dns1123_subdomain).is_empty());
    m.annotations.insert("bad key".into(), "v".into());
    let got = strings(&validate_object_meta(&m, false, is_dns1123_subdomain));
    assert_eq!(got.len(), 1);
    assert!(got[0].starts_with(
        r#"metadata.annotations: Invalid value: "bad key": name part must consist of"#
    ));
}

#[test]
fn annotations_total_size_is_limited() {
    let mut m = meta("a", "");
    m.annotations.insert("k".into(), "v".repeat(256 * 1024 - 1));
    assert!(validate_object_meta(&m, false, is_dns1123_subdomain).is_empty());
    m.annotations.insert("k".into(), "v".repeat(256 * 1024));
    assert_eq!(
        strings(&validate_object_meta(&m, false, is_dns1123_subdomain)),
        vec!["metadata.annotations: Too long: may not be more than 262144 bytes"]
    );
}

#[test]
fn finalizer_names() {
    let mut m = meta("a", "");
    m.finalizers = vec![
        "networking.k8s.io/service-cidr-finalizer".into(),
        "kubernetes".into(),
        "custom".into(),
    ];
    assert_eq!(
        strings(&validate_object_meta(&m, false, is_dns1123_subdomain)),
        vec![
            r#"metadata.finalizers[2]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified"#
        ]
    );
}

#[test]
fn owner_reference_fields_required() {
    let mut m = meta("a", "");
    m.owner_references = vec![serde_json::json!({"apiVersion": "v1", "kind": "Service"})];
    assert_eq!(
        strings(&validate_object_meta(&m, false, is_dns1123_subdomain)),
        vec![
            r#"metadata.ownerReferences.name: Invalid value: "": name must not be empty"#,
            r#"metadata.ownerReferences.uid: Invalid value: "": uid must not be empty"#,
        ]
    );
}

#[test]
fn update_immutable_name() {
    assert_eq!(
        strings(&validate_object_meta_update(&meta("x", ""), &meta("y", ""))),
        vec![r#"metadata.name: Invalid value: "x": field is immutable"#]
    );
}

#[test]
fn update_immutable_namespace_uid_and_creation_timestamp() {
    let mut old = meta("a", "ns1");
    old.uid = "u1".into();
    old.creation_timestamp = Some(Time(1_700_000_000));
    let mut new = meta("a", "ns2");
    new.uid = "u2".into();
    new.creation_timestamp = Some(Time(1_700_000_001));
    assert_eq!(
        strings(&validate_object_meta_update(&new, &old)),
        vec![
            r#"metadata.namespace: Invalid value: "ns2": field is immutable"#,
            r#"metadata.uid: Invalid value: "u2": field is immutable"#,
            r#"metadata.creationTimestamp: Invalid value: "2023-11-14T22:13:21Z": field is immutable"#,
        ]
    );
}

#[test]
fn update_needs_resource_version_and_no_generation_decrement() {
    let mut old = meta("a", "");
    old.generation = Some(3);
    let mut new = meta("a", "");
    new.resource_version.clear();
    new.generation = Some(2);
    assert_eq!(
        strings(&validate_object_meta_update(&new, &old)),
        vec![
            r#"metadata.resourceVersion: Invalid value: "": must be specified for an update"#,
            "metadata.generation: Invalid value: 2: must not be decremented",
        ]
    );
}

#[test]
fn prepare_for_update_carries_system_fields_over() {
    let mut old = meta("a", "");
    old.generation = Some(3);
    old.uid = "u".into();
    old.creation_timestamp = Some(Time(10));
    old.deletion_timestamp = Some(Time(20));
    let mut new = meta("a", "");
    new.resource_version.clear();
    prepare_meta_for_update(&mut new, &old);
    assert!(validate_object_meta_update(&new, &old).is_empty());
    assert_eq!(new.resource_version, "5");
    assert_eq!(new.deletion_timestamp, Some(Time(20)));
}

#[test]
fn no_new_finalizers_while_deleting() {
    let mut old = meta("a", "");
    old.deletion_timestamp = Some(Time(20));
    old.finalizers = vec!["kubernetes".into()];
    let mut new = old.clone();
    new.finalizers.push("example.com/b".into());
    new.finalizers.push("example.com/a".into());
    assert_eq!(
        strings(&validate_object_meta_update(&new, &old)),
        vec![
            r#"metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/a", "example.com/b"}"#
        ]
    );
}

#[test]
fn common_update_check_uses_path_segment_names() {
    let old = meta("a", "");
    assert!(validate_common_update(&old.clone(), &old, false).is_empty());
    let mut bad = old.clone();
    bad.labels.insert("-x".into(), "v".into());
    // the label error appears once from the create-style and once from the update-style check
    assert_eq!(validate_common_update(&bad, &old, false).len(), 2);
}
