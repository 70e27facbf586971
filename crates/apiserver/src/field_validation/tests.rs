use super::*;
use crate::{patch, schema};
use serde_json::json;

#[test]
fn directive_parsing() {
    assert_eq!(
        Directive::from_query(None, "CreateOptions").unwrap(),
        Directive::Warn
    );
    assert_eq!(
        Directive::from_query(Some(""), "CreateOptions").unwrap(),
        Directive::Warn
    );
    assert_eq!(
        Directive::from_query(Some("Strict"), "PatchOptions").unwrap(),
        Directive::Strict
    );
    assert_eq!(
        Directive::from_query(Some("Ignore"), "PatchOptions").unwrap(),
        Directive::Ignore
    );
    let e = Directive::from_query(Some("strict"), "CreateOptions").unwrap_err();
    assert_eq!(e.code, 422);
    assert_eq!(
        e.message,
        "CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\""
    );
}

/// sigs.k8s.io/json strict mode: paths, order, duplicates (struct fields and map keys).
#[test]
fn unknown_and_duplicate_fields_in_document_order() {
    let body = br#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"a","name":"b","labels":{"x":"1","x":"2"},"bogus":1},
        "spec":{"ports":[{"port":80},{"port":81,"foo":true}],"selector":{"any":"thing"},"Type":"ClusterIP","foo":{"bar":1}},"extra":[]}"#;
    assert_eq!(
        strict_errors(body, "v1", "Service"),
        vec![
            "duplicate field \"metadata.name\"",
            "duplicate field \"metadata.labels.x\"",
            "unknown field \"metadata.bogus\"",
            "unknown field \"spec.ports[1].foo\"",
            "unknown field \"spec.Type\"",
            "unknown field \"spec.foo\"",
            "unknown field \"extra\"",
        ]
    );
    // Known free-form and special fields are not unknown.
    let ok = br#"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"x","managedFields":[{"manager":"m","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:cidrs":{}}},"time":"2024-01-01T00:00:00Z"}],"creationTimestamp":null},"spec":{"cidrs":["10.0.0.0/24"]},"status":{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z","reason":"","message":""}]}}"#;
    assert!(strict_errors(ok, "networking.k8s.io/v1", "ServiceCIDR").is_empty());
    let ok = br#"{"apiVersion":"v1","kind":"Service","spec":{"ports":[{"port":80,"targetPort":"http"}],"trafficDistribution":"PreferClose"}}"#;
    assert!(strict_errors(ok, "v1", "Service").is_empty());
}

#[test]
fn errors_are_deduplicated_and_capped() {
    let mut items = Vec::new();
    for i in 0..150 {
        items.push(format!("{{\"port\":{i},\"x{i}\":1}}"));
    }
    let body = format!(
        r#"{{"apiVersion":"v1","kind":"Service","spec":{{"ports":[{}]}},"a":1,"a":2,"a":3}}"#,
        items.join(",")
    );
    let errs = strict_errors(body.as_bytes(), "v1", "Service");
    assert_eq!(errs.len(), 100);
    let body = br#"{"apiVersion":"v1","kind":"Service","a":1,"a":2,"a":3}"#;
    assert_eq!(
        strict_errors(body, "v1", "Service"),
        vec!["unknown field \"a\"", "duplicate field \"a\""]
    );
}

/// create.go: Strict → 400 via transformDecodeError; Warn → warnings; Ignore → nothing.
#[test]
fn create_and_update_bodies() {
    let body = br#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"x"},"spec":{"foo":1,"ports":[{"port":80,"bar":2}]}}"#;
    let e = check_body(body, Directive::Strict, "Service").unwrap_err();
    assert_eq!((e.code, e.reason.as_str()), (400, "BadRequest"));
    assert_eq!(
        e.message,
        "Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.foo\", unknown field \"spec.ports[0].bar\""
    );
    assert_eq!(
        check_body(body, Directive::Warn, "Service").unwrap(),
        vec![
            "unknown field \"spec.foo\"",
            "unknown field \"spec.ports[0].bar\""
        ]
    );
    assert!(check_body(body, Directive::Ignore, "Service")
        .unwrap()
        .is_empty());
    let e = check_body(
        br#"{"apiVersion":"networking.k8s.io/v1beta1","kind":"ServiceCIDR","spec":{"cidr":"x"}}"#,
        Directive::Strict,
        "ServiceCIDR",
    )
    .unwrap_err();
    assert_eq!(e.message, "ServiceCIDR in version \"v1beta1\" cannot be handled as a ServiceCIDR: strict decoding error: unknown field \"spec.cidr\"");
    assert_eq!(
        warning_header("unknown field \"spec.foo\""),
        "299 - \"unknown field \\\"spec.foo\\\"\""
    );
}

/// patch.go: strict errors of the patch body, then of the patched object; Strict
/// answers 422 `patch: Invalid value`.
#[test]
fn patches() {
    let current = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"x"},"spec":{"ports":[{"port":80}]}});
    let svc = schema::lookup("v1", "Service");
    let body = br#"{"spec":{"foo":1,"foo":2}}"#;
    let patched = patch::apply(PatchType::Merge, svc, &current, body).unwrap();
    assert_eq!(
        check_patched(PatchType::Merge, body, &current, &patched, Directive::Warn).unwrap(),
        vec!["duplicate field \"spec.foo\"", "unknown field \"spec.foo\""]
    );
    let e = check_patched(
        PatchType::Merge,
        body,
        &current,
        &patched,
        Directive::Strict,
    )
    .unwrap_err();
    assert_eq!(e.code, 422);
    assert_eq!(
        e.message,
        format!(" \"\" is invalid: patch: Invalid value: {}: strict decoding error: duplicate field \"spec.foo\", unknown field \"spec.foo\"",
            serde_json::to_string(&serde_json::to_string(&patched).unwrap()).unwrap())
    );
    // SMP shows the patch map as Go's %+v.
    let body = br#"{"spec":{"bar":"x"}}"#;
    let patched = patch::apply(PatchType::StrategicMerge, svc, &current, body).unwrap();
    let e = check_patched(
        PatchType::StrategicMerge,
        body,
        &current,
        &patched,
        Directive::Strict,
    )
    .unwrap_err();
    assert_eq!(e.message, " \"\" is invalid: patch: Invalid value: \"map[spec:map[bar:x]]\": strict decoding error: unknown field \"spec.bar\"");
    // The map as the merge left it: $setElementOrder and the list it ordered are consumed.
    let body = br#"{"metadata":{"annotations":{"a":"b"}},"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"targetPort":9090}],"foo":1}}"#;
    let patched = patch::apply(PatchType::StrategicMerge, svc, &current, body).unwrap();
    let e = check_patched(
        PatchType::StrategicMerge,
        body,
        &current,
        &patched,
        Directive::Strict,
    )
    .unwrap_err();
    assert_eq!(e.message, " \"\" is invalid: patch: Invalid value: \"map[metadata:map[annotations:map[a:b]] spec:map[foo:1]]\": strict decoding error: unknown field \"spec.foo\"");
    // JSON patch: unknown operation fields are prefixed.
    let body = br#"[{"op":"add","path":"/spec/baz","value":{"a":1,"a":2},"extra":1}]"#;
    let patched = patch::apply(PatchType::Json, svc, &current, body).unwrap();
    assert_eq!(
        check_patched(PatchType::Json, body, &current, &patched, Directive::Warn).unwrap(),
        vec![
            "json patch duplicate field \"[0].value.a\"",
            "json patch unknown field \"[0].extra\"",
            "unknown field \"spec.baz\""
        ]
    );
    assert!(
        check_patched(PatchType::Json, body, &current, &patched, Directive::Ignore)
            .unwrap()
            .is_empty()
    );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn no_panics(body in prop::collection::vec(any::<u8>(), 0..120), s in "[{}\\[\\]\",:a-z0-9 ]{0,80}") {
            let _ = strict_errors(&body, "v1", "Service");
            let _ = strict_errors(s.as_bytes(), "v1", "Service");
            let _ = check_body(s.as_bytes(), Directive::Strict, "Service");
            let _ = check_patched(PatchType::Json, s.as_bytes(), &json!({}), &json!({}), Directive::Strict);
        }

        #[test]
        fn deep_nesting_is_bounded(depth in 1usize..3000) {
            let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let _ = strict_errors(body.as_bytes(), "v1", "Service");
        }
    }
}
