use super::*;
use serde_json::json;

const T0: &str = "2026-01-01T00:00:00Z";
const T1: &str = "2026-01-01T00:01:00Z";

fn created_service() -> Value {
    // kubectl create service clusterip test-1 --tcp 80, after decoding and defaulting.
    json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"test-1","namespace":"default","labels":{"app":"test-1"}},
           "spec":{"ports":[{"name":"80","protocol":"TCP","port":80,"targetPort":80}],"selector":{"app":"test-1"},"type":"ClusterIP",
                   "sessionAffinity":"None","internalTrafficPolicy":"Cluster"}})
}

#[test]
fn create_records_an_update_entry_like_upstream() {
    let mut obj = created_service();
    update(None, &mut obj, "kubectl-create", "v1", "", T0);
    assert_eq!(
        obj["metadata"]["managedFields"],
        json!([{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":T0,"fieldsType":"FieldsV1",
                "fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                            "f:spec":{"f:internalTrafficPolicy":{},
                                      "f:ports":{".":{},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:name":{},"f:port":{},"f:protocol":{},"f:targetPort":{}}},
                                      "f:selector":{},"f:sessionAffinity":{},"f:type":{}}}}])
    );
}

#[test]
fn fields_v1_round_trip() {
    // TestFieldsRoundTrip: decode(encode(x)) == x.
    let v = json!({"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:ports":{".":{},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}},"f:cidrs":{}}});
    let set = decode_fields_v1(&v).unwrap();
    assert_eq!(encode_fields_v1(&set), v);
    assert!(decode_fields_v1(&json!({"x:bad":{}})).is_none());
}

#[test]
fn path_strings() {
    let p: Path = vec![
        "f:spec".into(),
        "f:ports".into(),
        "k:{\"port\":80,\"protocol\":\"TCP\"}".into(),
        "f:targetPort".into(),
    ];
    assert_eq!(
        path_string(&p),
        ".spec.ports[port=80,protocol=\"TCP\"].targetPort"
    );
    let p: Path = vec!["f:metadata".into(), "f:finalizers".into(), "v:\"a\"".into()];
    assert_eq!(path_string(&p), ".metadata.finalizers[=\"a\"]");
}

/// TestUpdateApplyConflict: an applier changing a field an updater owns conflicts;
/// force takes it over.
#[test]
fn apply_conflicts_with_an_updater_and_force_takes_over() {
    let mut live = created_service();
    update(None, &mut live, "kubectl-create", "v1", "", T0);
    let cfg = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"test-1","namespace":"default"},
                     "spec":{"ports":[{"port":80,"protocol":"TCP","targetPort":9090}]}});
    let e = apply(Some(&live), &cfg, "kubectl", false, "v1", "", T1).unwrap_err();
    assert_eq!((e.code, e.reason.as_str()), (409, "Conflict"));
    assert_eq!(e.message, "Apply failed with 1 conflict: conflict with \"kubectl-create\" using v1: .spec.ports[port=80,protocol=\"TCP\"].targetPort");
    assert_eq!(
        e.details,
        Some(
            json!({"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"kubectl-create\" using v1","field":".spec.ports[port=80,protocol=\"TCP\"].targetPort"}]})
        )
    );

    let got = apply(Some(&live), &cfg, "kubectl", true, "v1", "", T1).unwrap();
    assert_eq!(got["spec"]["ports"][0]["targetPort"], 9090);
    assert_eq!(got["spec"]["ports"][0]["name"], "80");
    let mf = got["metadata"]["managedFields"].as_array().unwrap();
    assert_eq!(mf[0]["manager"], "kubectl");
    assert_eq!(mf[0]["operation"], "Apply");
    assert_eq!(
        mf[0]["fieldsV1"],
        json!({"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:protocol":{},"f:targetPort":{}}}}})
    );
    // The updater lost targetPort but kept the rest.
    let creator = &mf[1]["fieldsV1"]["f:spec"]["f:ports"]["k:{\"port\":80,\"protocol\":\"TCP\"}"];
    assert!(creator.get("f:targetPort").is_none());
    assert!(creator.get("f:name").is_some());
}

/// Applying the value already there shares ownership, no conflict.
#[test]
fn same_value_is_shared_not_a_conflict() {
    let mut live = created_service();
    update(None, &mut live, "kubectl-create", "v1", "", T0);
    let cfg = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"test-1","namespace":"default"},"spec":{"type":"ClusterIP"}});
    let got = apply(Some(&live), &cfg, "mgr", false, "v1", "", T1).unwrap();
    let mf = got["metadata"]["managedFields"].as_array().unwrap();
    assert_eq!(mf.len(), 2);
    assert_eq!(mf[1]["fieldsV1"]["f:spec"]["f:type"], json!({}));
}

#[test]
fn two_managers_conflict_message_sorted_by_manager() {
    let mut live = created_service();
    update(None, &mut live, "zeta", "v1", "", T0);
    let cfg = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"test-1","namespace":"default","labels":{"app":"other"}},"spec":{"type":"NodePort"}});
    let mut live2 = live.clone();
    live2["metadata"]["labels"]["app"] = json!("x");
    update(Some(&live), &mut live2, "alpha", "v1", "", T1);
    let e = apply(Some(&live2), &cfg, "applier", false, "v1", "", T1).unwrap_err();
    assert_eq!(e.message, "Apply failed with 2 conflicts: conflicts with \"alpha\" using v1:\n- .metadata.labels.app\nconflicts with \"zeta\" using v1:\n- .spec.type");
}

/// Apply removes what the applier set before and no longer sets (prune), unless
/// someone else owns it.
#[test]
fn apply_prunes_fields_dropped_from_the_configuration() {
    let cfg1 = json!({"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"newcidr1","labels":{"a":"1","b":"2"}},"spec":{"cidrs":["10.96.100.0/24"]}});
    let created = apply(
        None,
        &cfg1,
        "kubectl",
        false,
        "networking.k8s.io/v1",
        "",
        T0,
    )
    .unwrap();
    assert_eq!(created["metadata"]["labels"], json!({"a":"1","b":"2"}));
    assert_eq!(
        created["metadata"]["managedFields"][0]["fieldsV1"],
        json!({"f:metadata":{"f:labels":{"f:a":{},"f:b":{}}},"f:spec":{"f:cidrs":{}}})
    );
    let cfg2 = json!({"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"newcidr1","labels":{"a":"1"}},"spec":{"cidrs":["10.96.100.0/24"]}});
    let got = apply(
        Some(&created),
        &cfg2,
        "kubectl",
        false,
        "networking.k8s.io/v1",
        "",
        T1,
    )
    .unwrap();
    assert_eq!(got["metadata"]["labels"], json!({"a":"1"}));
    // TestNoOpChanges / TestManagedFieldsApplyWithoutChangesDoesNotModifyTime.
    let again = apply(
        Some(&got),
        &cfg2,
        "kubectl",
        false,
        "networking.k8s.io/v1",
        "",
        "2026-01-01T09:00:00Z",
    )
    .unwrap();
    assert_eq!(again, got);
}

/// TestApplyStripsFields: identity fields are never owned.
#[test]
fn stripped_fields_are_not_tracked() {
    let cfg = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"x","namespace":"default","uid":"u","resourceVersion":"1","generation":2,"creationTimestamp":"2020-01-01T00:00:00Z","labels":{"a":"b"}}});
    let got = apply(None, &cfg, "m", false, "v1", "", T0).unwrap();
    assert_eq!(
        got["metadata"]["managedFields"][0]["fieldsV1"],
        json!({"f:metadata":{"f:labels":{"f:a":{}}}})
    );
    // Status is reset on the main resource: not owned.
    let cfg = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"x"},"status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"}]}}});
    let got = apply(None, &cfg, "m", false, "v1", "", T0).unwrap();
    assert!(got["metadata"].get("managedFields").is_none());
}

/// TestVersionCheck, TestApplyFailsWithManagedFields, unknown fields.
#[test]
fn apply_errors() {
    let e = apply(
        None,
        &json!({"apiVersion":"v1beta1","kind":"Service","metadata":{"name":"x"}}),
        "m",
        false,
        "v1",
        "",
        T0,
    )
    .unwrap_err();
    assert_eq!((e.code, e.message.as_str()), (400, "Incorrect version specified in apply patch. Specified patch version: v1beta1, expected: v1"));
    let e = apply(
        None,
        &json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"x","managedFields":[]}}),
        "m",
        false,
        "v1",
        "",
        T0,
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (400, "metadata.managedFields must be nil")
    );
    let e = apply(None, &json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"x","namespace":"default"},"spec":{"foo":1}}), "m", false, "v1", "", T0).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), (500, "failed to create typed patch object (default/x; /v1, Kind=Service): .spec.foo: field not declared in schema"));
    let e = apply(None, &json!({"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"x"},"spec":{"cidr":"a"}}), "m", false, "networking.k8s.io/v1", "", T0).unwrap_err();
    assert_eq!(e.message, "failed to create typed patch object (/x; networking.k8s.io/v1, Kind=ServiceCIDR): .spec.cidr: field not declared in schema");
}

/// A port without protocol is keyed with the schema default (TCP).
#[test]
fn list_map_keys_use_schema_defaults() {
    let cfg = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"x","namespace":"default"},"spec":{"ports":[{"port":80}]}});
    let got = apply(None, &cfg, "m", false, "v1", "", T0).unwrap();
    assert!(
        got["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"]["f:ports"]
            .get("k:{\"port\":80,\"protocol\":\"TCP\"}")
            .is_some()
    );
}

/// TestUpdateDoesNotChangeManagedFields / TestManagedFieldsUpdateWithoutChangesDoesNotModifyTime,
/// TestResetManagedFieldsEmptyList.
#[test]
fn updates_without_changes_and_resets() {
    let mut live = created_service();
    update(None, &mut live, "kubectl-create", "v1", "", T0);
    let mut same = live.clone();
    update(Some(&live), &mut same, "kubectl-create", "v1", "", T1);
    assert_eq!(
        same["metadata"]["managedFields"],
        live["metadata"]["managedFields"]
    );
    let mut reset = live.clone();
    reset["metadata"]["managedFields"] = json!([]);
    update(Some(&live), &mut reset, "x", "v1", "", T1);
    assert!(reset["metadata"].get("managedFields").is_none());
    // Another updater changing a field takes it over.
    let mut changed = live.clone();
    changed["spec"]["type"] = json!("NodePort");
    update(Some(&live), &mut changed, "kubectl-edit", "v1", "", T1);
    let mf = changed["metadata"]["managedFields"].as_array().unwrap();
    assert_eq!(mf.len(), 2);
    assert!(mf[0]["fieldsV1"]["f:spec"].get("f:type").is_none());
    assert_eq!(mf[1]["manager"], "kubectl-edit");
    assert_eq!(mf[1]["fieldsV1"], json!({"f:spec":{"f:type":{}}}));
}

#[test]
fn request_helpers() {
    assert_eq!(
        manager_or_user_agent(
            None,
            "kubectl.1.33/v1.33.1 (linux/amd64) kubernetes/8adc0f0"
        ),
        "kubectl.1.33"
    );
    assert_eq!(manager_or_user_agent(Some("x"), "ua"), "x");
    assert_eq!(
        manager_or_user_agent(Some(""), "Go-http-client/1.1"),
        "Go-http-client"
    );
    let e = validate_patch_options(PatchType::Apply, None, None).unwrap_err();
    assert_eq!(e.message, "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    let e = validate_patch_options(PatchType::Merge, Some("m"), Some(false)).unwrap_err();
    assert_eq!(e.message, "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
    assert!(validate_patch_options(PatchType::Apply, Some("kubectl"), Some(false)).is_ok());
    assert_eq!(
        decode_apply_body(
            b"apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: 80\n"
        )
        .unwrap(),
        json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"x"},"spec":{"ports":[{"port":80}]}})
    );
    assert_eq!(decode_apply_body(b"{\"a\":1}").unwrap(), json!({"a":1}));
    assert_eq!(decode_apply_body(b"a: [").unwrap_err().code, 400);
    // Deep nesting never reaches the recursive walks (the parser's limit, or ours).
    let deep = format!("a: {}{}", "[".repeat(5000), "]".repeat(5000));
    let e = decode_apply_body(deep.as_bytes()).unwrap_err();
    assert!(
        e.message
            .starts_with("error encoding patch: error converting YAML to JSON: yaml: "),
        "{}",
        e.message
    );
    let mut block = String::new();
    for i in 0..140 {
        block.push_str(&format!("{}k:\n", " ".repeat(i)));
    }
    block.push_str(&format!("{}v: 1\n", " ".repeat(140)));
    assert_eq!(decode_apply_body(block.as_bytes()).unwrap_err().code, 400);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn arb() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0i64..100).prop_map(|n| json!(n)),
            "[a-z]{0,3}".prop_map(Value::String)
        ];
        leaf.prop_recursive(4, 30, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("spec".to_string()),
                        Just("ports".to_string()),
                        Just("port".to_string()),
                        Just("protocol".to_string()),
                        Just("metadata".to_string()),
                        Just("labels".to_string()),
                        Just("finalizers".to_string()),
                        Just("selector".to_string()),
                        Just("managedFields".to_string()),
                        "[a-z]{1,2}"
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]
        #[test]
        fn no_panics(live in arb(), cfg in arb(), bytes in prop::collection::vec(any::<u8>(), 0..60)) {
            let mut c = cfg.clone();
            if let Some(m) = c.as_object_mut() { m.insert("apiVersion".into(), json!("v1")); m.insert("kind".into(), json!("Service")); }
            let _ = apply(Some(&live), &c, "m", false, "v1", "", T0);
            let _ = apply(None, &c, "m", true, "v1", "", T0);
            let mut n = c.clone();
            update(Some(&live), &mut n, "u", "v1", "", T0);
            let _ = decode_apply_body(&bytes);
        }
    }
}

/// Sets own their values (`v:`), map lists their keys (`k:`), as in live clusters'
/// managedFields for finalizers and ownerReferences.
#[test]
fn sets_and_owner_references() {
    let mut obj = json!({"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"c","finalizers":["networking.k8s.io/service-cidr-finalizer"],
        "ownerReferences":[{"apiVersion":"v1","kind":"X","name":"n","uid":"u1"}]},"spec":{"cidrs":["10.0.0.0/24"]}});
    update(None, &mut obj, "m", "networking.k8s.io/v1", "", T0);
    assert_eq!(
        obj["metadata"]["managedFields"][0]["fieldsV1"],
        json!({"f:metadata":{"f:finalizers":{".":{},"v:\"networking.k8s.io/service-cidr-finalizer\"":{}},
                              "f:ownerReferences":{".":{},"k:{\"uid\":\"u1\"}":{".":{},"f:apiVersion":{},"f:kind":{},"f:name":{},"f:uid":{}}}},
               "f:spec":{"f:cidrs":{}}})
    );
}
