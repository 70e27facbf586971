use super::*;
use crate::schema::{self, FieldRule, KindSchema, ListType};
use serde_json::json;

fn service() -> &'static KindSchema {
    schema::lookup("v1", "Service").unwrap()
}

// ------------------------------------------------------------ content types

#[test]
fn content_types_and_415() {
    assert_eq!(
        PatchType::from_content_type("application/merge-patch+json; charset=utf-8"),
        Some(PatchType::Merge)
    );
    assert_eq!(PatchType::from_content_type("application/json"), None);
    let e = unsupported_media_type(Some(service()));
    assert_eq!(e.code, 415);
    assert_eq!(e.reason, "UnsupportedMediaType");
    assert_eq!(e.message, "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
    // Kinds without Go types take no strategic merge patch (upstream's CRD handler).
    let e = apply(PatchType::StrategicMerge, None, &json!({}), b"{}").unwrap_err();
    assert_eq!(e.message, "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
}

#[test]
fn invalid_json_body_is_400_for_every_type() {
    for t in [PatchType::Json, PatchType::Merge, PatchType::StrategicMerge] {
        let e = apply(t, Some(service()), &json!({}), b"{\"spec\":").unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (400, "invalid JSON patch"));
    }
}

// ------------------------------------------------------------ merge patch (RFC 7386)

/// RFC 7386 appendix A, the examples evanphx/json-patch's merge_test.go also runs.
#[test]
fn rfc7386_appendix_a() {
    let cases = [
        (json!({"a":"b"}), json!({"a":"c"}), json!({"a":"c"})),
        (json!({"a":"b"}), json!({"b":"c"}), json!({"a":"b","b":"c"})),
        (json!({"a":"b"}), json!({"a":null}), json!({})),
        (
            json!({"a":"b","b":"c"}),
            json!({"a":null}),
            json!({"b":"c"}),
        ),
        (json!({"a":["b"]}), json!({"a":"c"}), json!({"a":"c"})),
        (json!({"a":"c"}), json!({"a":["b"]}), json!({"a":["b"]})),
        (
            json!({"a":{"b":"c"}}),
            json!({"a":{"b":"d","c":null}}),
            json!({"a":{"b":"d"}}),
        ),
        (json!({"a":[{"b":"c"}]}), json!({"a":[1]}), json!({"a":[1]})),
        (json!({"e":null}), json!({"a":1}), json!({"e":null,"a":1})),
        (
            json!({}),
            json!({"a":{"bb":{"ccc":null}}}),
            json!({"a":{"bb":{}}}),
        ),
    ];
    for (doc, patch, want) in cases {
        assert_eq!(merge_patch(&doc, &patch).unwrap(), want, "{doc} + {patch}");
    }
}

/// merge_test.go TestMergePatchNilArray: nulls inside arrays survive.
#[test]
fn merge_patch_keeps_nulls_in_arrays() {
    let got = merge_patch(&json!({}), &json!({"a":[{"b":null}, null]})).unwrap();
    assert_eq!(got, json!({"a":[{}, null]}));
}

#[test]
fn merge_patch_bad_patches() {
    let e = merge_patch(&json!({}), &json!(null)).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), (400, "Invalid JSON Patch"));
    let e = merge_patch(&json!({}), &json!(5)).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), (400, "Invalid JSON Patch"));
    // An array replaces the document, which then fails to decode: 422.
    let e = merge_patch(&json!({}), &json!([1])).unwrap_err();
    assert_eq!(e.code, 422);
    assert!(
        e.message.starts_with(
            " \"\" is invalid: patch: Invalid value: \"[1]\": couldn't get version/kind"
        ),
        "{}",
        e.message
    );
}

// ------------------------------------------------------------ JSON patch (RFC 6902)

fn jp(doc: Value, ops: Value) -> Result<Value, String> {
    match json_patch(&doc, &ops) {
        Ok(v) => Ok(v),
        Err(e) => Err(json_patch_error_text(&doc, &ops).unwrap_or(e.message)),
    }
}

/// RFC 6902 appendix A examples (patch_test.go's Cases).
#[test]
fn rfc6902_appendix_a() {
    let ok = [
        (
            json!({"foo":"bar"}),
            json!([{"op":"add","path":"/baz","value":"qux"}]),
            json!({"baz":"qux","foo":"bar"}),
        ),
        (
            json!({"foo":["bar","baz"]}),
            json!([{"op":"add","path":"/foo/1","value":"qux"}]),
            json!({"foo":["bar","qux","baz"]}),
        ),
        (
            json!({"baz":"qux","foo":"bar"}),
            json!([{"op":"remove","path":"/baz"}]),
            json!({"foo":"bar"}),
        ),
        (
            json!({"foo":["bar","qux","baz"]}),
            json!([{"op":"remove","path":"/foo/1"}]),
            json!({"foo":["bar","baz"]}),
        ),
        (
            json!({"baz":"qux","foo":"bar"}),
            json!([{"op":"replace","path":"/baz","value":"boo"}]),
            json!({"baz":"boo","foo":"bar"}),
        ),
        (
            json!({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}),
            json!([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]),
            json!({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}),
        ),
        (
            json!({"foo":["all","grass","cows","eat"]}),
            json!([{"op":"move","from":"/foo/1","path":"/foo/3"}]),
            json!({"foo":["all","cows","eat","grass"]}),
        ),
        (
            json!({"baz":"qux","foo":["a",2,"c"]}),
            json!([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]),
            json!({"baz":"qux","foo":["a",2,"c"]}),
        ),
        (
            json!({"foo":"bar"}),
            json!([{"op":"add","path":"/child","value":{"grandchild":{}}}]),
            json!({"foo":"bar","child":{"grandchild":{}}}),
        ),
        (
            json!({"foo":["bar"]}),
            json!([{"op":"add","path":"/foo/-","value":["abc","def"]}]),
            json!({"foo":["bar",["abc","def"]]}),
        ),
        (
            json!({"/":9,"~1":10}),
            json!([{"op":"test","path":"/~01","value":10}]),
            json!({"/":9,"~1":10}),
        ),
        (
            json!({"foo":"bar"}),
            json!([{"op":"copy","from":"/foo","path":"/baz"}]),
            json!({"foo":"bar","baz":"bar"}),
        ),
        // v4 quirks kept: negative indices, replace of a missing key adds it.
        (
            json!({"foo":["a","b"]}),
            json!([{"op":"remove","path":"/foo/-1"}]),
            json!({"foo":["a"]}),
        ),
        (
            json!({"foo":1}),
            json!([{"op":"replace","path":"/bar","value":2}]),
            json!({"foo":1,"bar":2}),
        ),
        (json!({"foo":1}), json!(null), json!({"foo":1})),
    ];
    for (doc, ops, want) in ok {
        assert_eq!(jp(doc.clone(), ops.clone()), Ok(want), "{doc} {ops}");
    }
}

/// The library's texts (patch_test.go's MutationTestCases/error cases); clients
/// see the generic 422.
#[test]
fn rfc6902_errors() {
    let bad = [
        (json!({"baz":"qux"}), json!([{"op":"test","path":"/baz","value":"bar"}]), "testing value /baz failed: test failed"),
        (json!({"foo":"bar"}), json!([{"op":"add","path":"/baz/bat","value":"qux"}]), "add operation does not apply: doc is missing path: \"/baz/bat\": missing value"),
        (json!({"foo":"bar"}), json!([{"op":"remove","path":"/baz"}]), "error in remove for path: '/baz': Unable to remove nonexistent key: baz: missing value"),
        (json!({"foo":["bar"]}), json!([{"op":"add","path":"/foo/5","value":1}]), "error in add for path: '/foo/5': Unable to access invalid index: 5: invalid index referenced"),
        (json!({"foo":["bar"]}), json!([{"op":"add","path":"/foo/x","value":1}]), "error in add for path: '/foo/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax"),
        (json!({"foo":["bar"]}), json!([{"op":"replace","path":"/foo/3","value":1}]), "replace operation does not apply: doc is missing key: /foo/3: missing value"),
        (json!({"foo":1}), json!([{"op":"move","from":"/bar","path":"/baz"}]), "error in move for path: 'bar': Unable to remove nonexistent key: bar: missing value"),
        (json!({"foo":1}), json!([{"op":"bogus","path":"/foo"}]), "Unexpected kind: bogus"),
        (json!({"foo":1}), json!([{"path":"/foo"}]), "Unexpected kind: unknown"),
        (json!({"foo":1}), json!([{"op":"add","value":1}]), "add operation failed to decode path: missing value"),
        (json!({"foo":1}), json!([{"op":"add","path":"","value":1}]), "add operation does not apply: doc is missing path: \"\": missing value"),
    ];
    for (doc, ops, want) in bad {
        assert_eq!(
            jp(doc.clone(), ops.clone()),
            Err(want.to_string()),
            "{doc} {ops}"
        );
        let e = json_patch(&doc, &ops).unwrap_err();
        assert_eq!(e.code, 422);
        assert_eq!(e.reason, "Invalid");
        assert_eq!(
            e.message,
            "the server rejected our request due to an error in our request"
        );
    }
}

#[test]
fn json_patch_decode_errors_are_400() {
    let e = json_patch(&json!({}), &json!({"op":"add"})).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            400,
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
        )
    );
    let e = json_patch(&json!({}), &json!(["x"])).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            400,
            "json: cannot unmarshal string into Go value of type jsonpatch.Operation"
        )
    );
}

#[test]
fn json_patch_operation_limit_is_413() {
    let ops: Vec<Value> = (0..=MAX_JSON_PATCH_OPERATIONS)
        .map(|_| json!({"op":"test","path":"/a","value":1}))
        .collect();
    let e = json_patch(&json!({"a":1}), &Value::Array(ops)).unwrap_err();
    assert_eq!(e.code, 413);
    assert_eq!(e.message, "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001");
}

#[test]
fn failed_json_patch_changes_nothing() {
    let doc = json!({"a":1});
    let _ = json_patch(
        &doc,
        &json!([{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":9}]),
    );
    assert_eq!(doc, json!({"a":1}));
}

// ------------------------------------------------------------ strategic merge patch

/// Upstream's test type MergeItem (strategicpatch/patch_test.go), as merge rules.
/// The Go type is recursive; two levels cover the test data.
static MERGE_ITEM_RULES: &[FieldRule] = &[
    FieldRule {
        path: "mergingList",
        patch_strategy: "merge",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "mergingList.mergingList",
        patch_strategy: "merge",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "mergingList.mergingIntList",
        patch_strategy: "merge",
        patch_merge_key: "",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "mergingList.mergingList.mergingList",
        patch_strategy: "merge",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "mergingIntList",
        patch_strategy: "merge",
        patch_merge_key: "",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "mergeItemPtr",
        patch_strategy: "merge",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "mergeItemPtr.mergeItemPtr",
        patch_strategy: "merge",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "mergeItemPtr.mergingList",
        patch_strategy: "merge",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "replacingItem",
        patch_strategy: "replace",
        patch_merge_key: "",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "retainKeysMap",
        patch_strategy: "retainKeys",
        patch_merge_key: "",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "retainKeysMap.mergingIntList",
        patch_strategy: "merge",
        patch_merge_key: "",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "retainKeysMap.mergingList",
        patch_strategy: "merge",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "retainKeysMergingList",
        patch_strategy: "merge,retainKeys",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "retainKeysMergingList.mergingList",
        patch_strategy: "merge",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
    FieldRule {
        path: "nonMergingList.mergingList",
        patch_strategy: "merge",
        patch_merge_key: "name",
        list_type: ListType::Atomic,
    },
];

static MERGE_ITEM: KindSchema = KindSchema {
    group: "test",
    kind: "MergeItem",
    fields: MERGE_ITEM_RULES,
};

/// Sorts every array by its elements' JSON text, for upstream's order-insensitive
/// YAML cases (they compare after sortMergeListsByName).
fn canonical(v: &Value) -> Value {
    match v {
        Value::Array(a) => {
            let mut items: Vec<Value> = a.iter().map(canonical).collect();
            items.sort_by_key(|x| x.to_string());
            Value::Array(items)
        }
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, x)| (k.clone(), canonical(x))).collect())
        }
        other => other.clone(),
    }
}

/// Every applicable case of strategicpatch's patch_test.go: the YAML cases of
/// createStrategicMergePatchTestCaseData and the raw cases of
/// strategicMergePatchRawTestCases / customStrategicMergePatchRawTestCases
/// (TestStrategicMergePatch, TestCustomStrategicMergePatch): the two-way patch
/// applied to the original, and the three-way patch applied to current, give the
/// result; error cases give an error containing the expected text.
#[test]
fn upstream_strategic_merge_patch_cases() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("../../tests/fixtures/smp_upstream_cases.json")).unwrap();
    assert!(cases.len() > 200);
    let mut failures = Vec::new();
    for c in &cases {
        let name = c["name"].as_str().unwrap();
        let original = c["original"].as_object().cloned().unwrap_or_default();
        let patch = c["patch"].as_object().cloned().unwrap_or_default();
        let got = strategic_merge_map(original, patch, &MERGE_ITEM);
        match (c.get("error").and_then(Value::as_str), got) {
            (Some(want), Err(e)) if e.text().contains(want) => {}
            (Some(want), other) => {
                failures.push(format!("{name}: want error {want:?}, got {other:?}"))
            }
            (None, Ok(got)) => {
                let got = Value::Object(got);
                let want = &c["result"];
                let same = if c["unordered"] == json!(true) {
                    canonical(&got) == canonical(want)
                } else {
                    &got == want
                };
                if !same {
                    failures.push(format!("{name}:\n  want {want}\n  got  {got}"));
                }
            }
            (None, Err(e)) => failures.push(format!("{name}: error {e:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The Service patch kubectl 1.33 sends on re-apply (kubectl-over-http.md G8):
/// ports merge by `port`, protocol survives, selector replaced as a map merge.
#[test]
fn service_ports_merge_by_port_keeping_protocol() {
    let current = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","finalizers":["a"]},
        "spec":{"ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"port":443,"protocol":"TCP","targetPort":8443}],
                "selector":{"tier":"be"},"type":"ClusterIP","clusterIP":"10.96.0.5"}});
    let patch = br#"{"spec":{"$setElementOrder/ports":[{"port":443},{"port":80}],"ports":[{"port":80,"targetPort":9090}],"selector":{"tier":"fe"}}}"#;
    let got = apply(PatchType::StrategicMerge, Some(service()), &current, patch).unwrap();
    assert_eq!(
        got["spec"]["ports"],
        json!([{"port":443,"protocol":"TCP","targetPort":8443},{"name":"http","port":80,"protocol":"TCP","targetPort":9090}])
    );
    assert_eq!(got["spec"]["selector"], json!({"tier":"fe"}));
    assert_eq!(got["spec"]["clusterIP"], "10.96.0.5");
}

#[test]
fn service_directives() {
    let current = json!({"metadata":{"name":"web","finalizers":["a","b"],"labels":{"x":"1","y":"2"}},
        "spec":{"ports":[{"port":80,"protocol":"TCP"},{"port":81,"protocol":"TCP"}]}});
    // $patch: delete on a list element, $deleteFromPrimitiveList on finalizers.
    let p = br#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"labels":{"x":null}},"spec":{"ports":[{"port":81,"$patch":"delete"}]}}"#;
    let got = apply(PatchType::StrategicMerge, Some(service()), &current, p).unwrap();
    assert_eq!(got["metadata"]["finalizers"], json!(["b"]));
    assert_eq!(got["metadata"]["labels"], json!({"y":"2"}));
    assert_eq!(got["spec"]["ports"], json!([{"port":80,"protocol":"TCP"}]));
    // $patch: replace on a list.
    let p = br#"{"spec":{"ports":[{"port":90},{"$patch":"replace"}]}}"#;
    let got = apply(PatchType::StrategicMerge, Some(service()), &current, p).unwrap();
    assert_eq!(got["spec"]["ports"], json!([{"port":90}]));
    // $patch: replace on a map.
    let p = br#"{"metadata":{"labels":{"z":"3","$patch":"replace"}}}"#;
    let got = apply(PatchType::StrategicMerge, Some(service()), &current, p).unwrap();
    assert_eq!(got["metadata"]["labels"], json!({"z":"3"}));
    // finalizers merge as a set.
    let p = br#"{"metadata":{"finalizers":["c","a"]}}"#;
    let got = apply(PatchType::StrategicMerge, Some(service()), &current, p).unwrap();
    // deduplicateScalars then the order rules: patch items first, by patch order.
    assert_eq!(got["metadata"]["finalizers"], json!(["c", "a", "b"]));
    // The input is untouched.
    assert_eq!(current["metadata"]["finalizers"], json!(["a", "b"]));
}

#[test]
fn smp_errors_map_to_upstream_codes() {
    let current = json!({"spec":{"ports":[{"port":80}]}});
    let cases: [(&[u8], u16, &str); 5] = [
        (
            br#"{"spec":{"ports":[{"name":"x"}]}}"#,
            500,
            "map: map[name:x] does not contain declared merge key: port",
        ),
        (
            br#"{"spec":{"$setElementOrder":[]}}"#,
            400,
            "invalid patch format of setElementOrder list",
        ),
        (
            br#"{"spec":{"$retainKeys":"x"}}"#,
            400,
            "invalid patch format of retainKeys",
        ),
        (
            br#"{"spec":{"ports":[{"port":80,"$patch":"merge"}]}}"#,
            500,
            "merging lists cannot yet be specified in the patch",
        ),
        (
            br#"{"spec":{"$patch":"bogus"}}"#,
            500,
            "unknown patch type: bogus in map: map[$patch:bogus]",
        ),
    ];
    for (body, code, msg) in cases {
        let e = apply(PatchType::StrategicMerge, Some(service()), &current, body).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (code, msg),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    let e = apply(
        PatchType::StrategicMerge,
        Some(service()),
        &json!({"metadata":{"finalizers":[]}}),
        br#"{"metadata":{"finalizers":[["x"]]}}"#,
    )
    .unwrap_err();
    assert_eq!((e.code, e.reason.as_str()), (422, "Invalid"));
}

#[test]
fn go_slice_stable_is_stable_for_a_consistent_order() {
    let mut v: Vec<(u32, u32)> = (0..100).map(|i| ((i * 37) % 10, i)).collect();
    go_slice_stable(&mut v, &|a: &(u32, u32), b: &(u32, u32)| a.0 < b.0);
    let mut w: Vec<(u32, u32)> = (0..100).map(|i| ((i * 37) % 10, i)).collect();
    w.sort_by_key(|x| x.0);
    assert_eq!(v, w);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..300).prop_map(|n| json!(n)),
            "[a-z$/~0-9]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("$patch".to_string()),
                        Just("$setElementOrder/ports".to_string()),
                        Just("$deleteFromPrimitiveList/finalizers".to_string()),
                        Just("$retainKeys".to_string()),
                        Just("ports".to_string()),
                        Just("port".to_string()),
                        Just("spec".to_string()),
                        Just("metadata".to_string()),
                        Just("finalizers".to_string()),
                        Just("op".to_string()),
                        Just("path".to_string()),
                        Just("from".to_string()),
                        Just("value".to_string()),
                        "[a-z]{1,3}",
                    ],
                    inner,
                    0..5
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn no_patch_panics(doc in arb_json(), patch in arb_json()) {
            let body = serde_json::to_vec(&patch).unwrap();
            for t in [PatchType::Json, PatchType::Merge, PatchType::StrategicMerge] {
                let _ = apply(t, Some(service()), &doc, &body);
            }
            let _ = smp_consumed_patch(&doc, &patch, service());
        }

        #[test]
        fn no_panic_on_bytes(body in prop::collection::vec(any::<u8>(), 0..64)) {
            for t in [PatchType::Json, PatchType::Merge, PatchType::StrategicMerge] {
                let _ = apply(t, Some(service()), &json!({"spec":{"ports":[{"port":80}]}}), &body);
            }
        }
    }
}

/// The bodies kubectl 1.33 (and 1.32, once the v3 document advertises strategic
/// merge patch) sent on re-apply, recorded on a loopback server.
#[test]
fn kubectl_client_side_apply_patches() {
    let cidr = json!({"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"newcidr1","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},"finalizers":["networking.k8s.io/service-cidr-finalizer"]},"spec":{"cidrs":["10.96.100.0/24"]}});
    let body = br#"{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"ServiceCIDR\",\"metadata\":{\"annotations\":{},\"name\":\"newcidr1\"},\"spec\":{\"cidrs\":[\"10.96.100.0/24\",\"fd00::/112\"]}}\n"}},"spec":{"cidrs":["10.96.100.0/24","fd00::/112"]}}"#;
    let got = apply(
        PatchType::StrategicMerge,
        schema::lookup("networking.k8s.io/v1", "ServiceCIDR"),
        &cidr,
        body,
    )
    .unwrap();
    assert_eq!(
        got["spec"]["cidrs"],
        json!(["10.96.100.0/24", "fd00::/112"])
    );
    assert_eq!(
        got["metadata"]["finalizers"],
        json!(["networking.k8s.io/service-cidr-finalizer"])
    );
    assert!(
        got["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .as_str()
            .unwrap()
            .ends_with("}}\n")
    );

    let svc = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},"spec":{"ports":[{"port":80,"protocol":"TCP","targetPort":8080}],"selector":{"tier":"be"},"clusterIP":"10.96.0.9"}});
    let body = br#"{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"x"}},"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"targetPort":9090}],"selector":{"tier":"fe"}}}"#;
    let got = apply(PatchType::StrategicMerge, Some(service()), &svc, body).unwrap();
    assert_eq!(
        got["spec"]["ports"],
        json!([{"port":80,"protocol":"TCP","targetPort":9090}])
    );
    assert_eq!(got["spec"]["selector"], json!({"tier":"fe"}));
}
