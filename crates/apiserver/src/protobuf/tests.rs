use super::*;
use serde_json::json;

const FIXTURES: [&str; 6] = [
    "create-service-clusterip-test-1",
    "create-service-nodeport-np-1",
    "create-service-loadbalancer-lb-1",
    "create-service-externalname-ext-1",
    "create-service-clusterip-headless-1",
    "create-service-clusterip-multi-1",
];

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/protobuf/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).unwrap()
}

// A minimal protobuf writer for building test bodies.
fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}
fn field_bytes(num: u64, b: &[u8], out: &mut Vec<u8>) {
    varint(num << 3 | 2, out);
    varint(b.len() as u64, out);
    out.extend_from_slice(b);
}
fn field_str(num: u64, s: &str, out: &mut Vec<u8>) {
    field_bytes(num, s.as_bytes(), out)
}
fn field_varint(num: u64, v: u64, out: &mut Vec<u8>) {
    varint(num << 3, out);
    varint(v, out);
}
fn envelope(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
    let mut tm = Vec::new();
    field_str(1, api_version, &mut tm);
    field_str(2, kind, &mut tm);
    let mut unk = Vec::new();
    field_bytes(1, &tm, &mut unk);
    field_bytes(2, raw, &mut unk);
    field_str(3, "", &mut unk);
    field_str(4, "", &mut unk);
    let mut body = MAGIC.to_vec();
    body.extend(unk);
    body
}

/// kubectl-over-http.md §3.7: the decoded `create service clusterip test-1 --tcp 80`.
#[test]
fn kubectl_1_33_create_service_clusterip() {
    let got = decode(
        &fixture("create-service-clusterip-test-1.pb"),
        "v1",
        "Service",
    )
    .unwrap();
    assert_eq!(
        got,
        json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"test-1","labels":{"app":"test-1"}},
               "spec":{"ports":[{"name":"80","protocol":"TCP","port":80,"targetPort":80}],"selector":{"app":"test-1"},"type":"ClusterIP"}})
    );
}

/// Every recorded kubectl 1.33 protobuf body decodes to what kubectl 1.31 sends
/// as JSON for the same command, less the zero values Go's JSON writes
/// (`creationTimestamp: null`, `status: {loadBalancer: {}}`).
#[test]
fn protobuf_bodies_equal_the_json_bodies_of_kubectl_1_31() {
    for name in FIXTURES {
        let got = decode(&fixture(&format!("{name}.pb")), "v1", "Service").unwrap();
        let mut want: Value =
            serde_json::from_slice(&fixture(&format!("{name}.kubectl-1.31.json"))).unwrap();
        let m = want.as_object_mut().unwrap();
        assert_eq!(m.remove("status"), Some(json!({"loadBalancer":{}})));
        assert_eq!(
            m["metadata"]
                .as_object_mut()
                .unwrap()
                .remove("creationTimestamp"),
            Some(Value::Null)
        );
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn networking_kinds_and_pointer_fields() {
    // ServiceCIDR v1 with a condition (required fields kept even when empty).
    let mut meta = Vec::new();
    field_str(1, "newcidr1", &mut meta);
    field_str(14, "networking.k8s.io/service-cidr-finalizer", &mut meta);
    let mut ts = Vec::new();
    field_varint(1, 1_700_000_000, &mut ts);
    field_bytes(8, &ts, &mut meta);
    let mut spec = Vec::new();
    field_str(1, "10.96.100.0/24", &mut spec);
    field_str(1, "fd00:1::/112", &mut spec);
    let mut cond = Vec::new();
    field_str(1, "Ready", &mut cond);
    field_str(2, "True", &mut cond);
    let mut status = Vec::new();
    field_bytes(1, &cond, &mut status);
    let mut raw = Vec::new();
    field_bytes(1, &meta, &mut raw);
    field_bytes(2, &spec, &mut raw);
    field_bytes(3, &status, &mut raw);
    for v in ["networking.k8s.io/v1", "networking.k8s.io/v1beta1"] {
        let got = decode(
            &envelope(v, "ServiceCIDR", &raw),
            "networking.k8s.io/v1",
            "ServiceCIDR",
        )
        .unwrap();
        assert_eq!(
            got,
            json!({"apiVersion": v, "kind":"ServiceCIDR",
                   "metadata":{"name":"newcidr1","finalizers":["networking.k8s.io/service-cidr-finalizer"],"creationTimestamp":"2023-11-14T22:13:20Z"},
                   "spec":{"cidrs":["10.96.100.0/24","fd00:1::/112"]},
                   "status":{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":null,"reason":"","message":""}]}})
        );
    }
    // IPAddress: parentRef is a pointer, kept even when empty.
    let mut spec = Vec::new();
    field_bytes(1, &[], &mut spec);
    let mut raw = Vec::new();
    field_bytes(2, &spec, &mut raw);
    let got = decode(
        &envelope("networking.k8s.io/v1", "IPAddress", &raw),
        "networking.k8s.io/v1",
        "IPAddress",
    )
    .unwrap();
    assert_eq!(
        got,
        json!({"apiVersion":"networking.k8s.io/v1","kind":"IPAddress","spec":{"parentRef":{}}})
    );
    // Service pointer bools survive as false; value bools drop.
    let mut spec = Vec::new();
    field_varint(20, 0, &mut spec);
    field_varint(13, 0, &mut spec);
    field_str(17, "SingleStack", &mut spec);
    let mut raw = Vec::new();
    field_bytes(2, &spec, &mut raw);
    let got = decode(&envelope("v1", "Service", &raw), "v1", "Service").unwrap();
    assert_eq!(
        got["spec"],
        json!({"allocateLoadBalancerNodePorts":false,"ipFamilyPolicy":"SingleStack"})
    );
}

#[test]
fn delete_options() {
    let mut pre = Vec::new();
    field_str(1, "abc", &mut pre);
    let mut raw = Vec::new();
    field_varint(1, 0, &mut raw);
    field_bytes(2, &pre, &mut raw);
    field_str(4, "Background", &mut raw);
    field_str(5, "All", &mut raw);
    let got = decode(
        &envelope("meta.k8s.io/v1", "DeleteOptions", &raw),
        "meta.k8s.io/v1",
        "DeleteOptions",
    )
    .unwrap();
    assert_eq!(
        got,
        json!({"apiVersion":"meta.k8s.io/v1","kind":"DeleteOptions","gracePeriodSeconds":0,"preconditions":{"uid":"abc"},"propagationPolicy":"Background","dryRun":["All"]})
    );
}

#[test]
fn kind_and_version_default_from_the_url() {
    let raw = fixture("create-service-clusterip-test-1.pb");
    // Rebuild the envelope with an empty typeMeta.
    let start = 4 + 2 + 13; // magic, field 1 key+len, typeMeta
    let mut body = MAGIC.to_vec();
    body.extend_from_slice(&raw[start..]);
    let got = decode(&body, "v1", "Service").unwrap();
    assert_eq!(
        (got["apiVersion"].as_str(), got["kind"].as_str()),
        (Some("v1"), Some("Service"))
    );
}

/// transformDecodeError's two forms over the serializer's and gogo's texts.
#[test]
fn decode_errors_are_400_with_upstream_text() {
    let e = decode(b"", "v1", "Service").unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            400,
            "the object provided is unrecognized (must be of type Service): empty data (<empty>)"
        )
    );
    let e = decode(b"{\"kind\":\"Service\"}", "v1", "Service").unwrap_err();
    assert_eq!(e.message, "the object provided is unrecognized (must be of type Service): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({\"kind\":\"Service\"})");
    let e = decode(&MAGIC, "v1", "Service").unwrap_err();
    assert_eq!(
        e.message,
        "the object provided is unrecognized (must be of type Service): empty body (6b387300)"
    );
    let body = fixture("create-service-clusterip-test-1.pb");
    let e = decode(&body[..20], "v1", "Service").unwrap_err();
    assert_eq!(e.message, "the object provided is unrecognized (must be of type Service): unexpected EOF (6b3873000a0d0a02763112075365727669636512)");
    let e = decode(&body[..40], "v1", "Service").unwrap_err();
    assert_eq!(e.message, "the object provided is unrecognized (must be of type Service): unexpected EOF (6b3873000a0d0a027631120753657276696365126c0a250a06746573742d ...)");
    // Raw that is not a Service.
    let e = decode(&envelope("v1", "Service", &[0x08, 0x01]), "v1", "Service").unwrap_err();
    assert_eq!(e.message, "Service in version \"v1\" cannot be handled as a Service: proto: wrong wireType = 0 for field Metadata");
    let e = decode(&envelope("v1", "Service", &[0x00]), "v1", "Service").unwrap_err();
    assert_eq!(e.message, "Service in version \"v1\" cannot be handled as a Service: proto: Service: illegal tag 0 (wire type 0)");
    let e = decode(&envelope("v1", "Service", &[0x0c]), "v1", "Service").unwrap_err();
    assert_eq!(e.message, "Service in version \"v1\" cannot be handled as a Service: proto: Service: wiretype end group for non-group");
    let e = decode(
        &envelope(
            "v1",
            "Service",
            &[
                0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ],
        ),
        "v1",
        "Service",
    )
    .unwrap_err();
    assert_eq!(e.message, "Service in version \"v1\" cannot be handled as a Service: proto: negative length found during unmarshaling");
    let e = decode(
        &envelope(
            "v1",
            "Service",
            &[
                0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ],
        ),
        "v1",
        "Service",
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "Service in version \"v1\" cannot be handled as a Service: proto: integer overflow"
    );
    let e = decode(&envelope("v1", "Service", &[0x27]), "v1", "Service").unwrap_err();
    assert_eq!(
        e.message,
        "Service in version \"v1\" cannot be handled as a Service: proto: illegal wireType 7"
    );
    let e = decode(&envelope("v1", "Pod", &[]), "v1", "Service").unwrap_err();
    assert_eq!(e.message, "Pod in version \"v1\" cannot be handled as a Service: no kind \"Pod\" is registered for version \"v1\" in scheme \"k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30\"");
}

#[test]
fn unknown_fields_are_skipped() {
    let mut raw = Vec::new();
    field_varint(99, 5, &mut raw); // varint
    raw.extend_from_slice(&[0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8]); // field 99 fixed64
    raw.extend_from_slice(&[0x9d, 0x06, 1, 2, 3, 4]); // fixed32
    raw.extend_from_slice(&[0x9b, 0x06, 0x08, 0x01, 0x9c, 0x06]); // group
    let mut meta = Vec::new();
    field_str(1, "x", &mut meta);
    field_bytes(1, &meta, &mut raw);
    let got = decode(&envelope("v1", "Service", &raw), "v1", "Service").unwrap();
    assert_eq!(got["metadata"], json!({"name":"x"}));
}

#[test]
fn content_type() {
    assert!(is_protobuf("application/vnd.kubernetes.protobuf"));
    assert!(is_protobuf(
        "application/vnd.kubernetes.protobuf; charset=x"
    ));
    assert!(!is_protobuf("application/json"));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&body, "v1", "Service");
            let mut b = MAGIC.to_vec();
            b.extend(&body);
            if let Err(e) = decode(&b, "v1", "Service") {
                prop_assert_eq!(e.code, 400);
            }
        }

        #[test]
        fn mutated_fixtures_never_panic(i in 0usize..6, cut in 0usize..200, flips in prop::collection::vec((0usize..200, any::<u8>()), 0..4)) {
            let mut body = fixture(&format!("{}.pb", FIXTURES[i]));
            for (pos, byte) in flips {
                if pos < body.len() { body[pos] = byte; }
            }
            body.truncate(cut.min(body.len()));
            match decode(&body, "v1", "Service") {
                Ok(v) => prop_assert!(v.is_object()),
                Err(e) => prop_assert_eq!(e.code, 400),
            }
        }
    }
}
