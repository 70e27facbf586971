#![cfg(not(target_arch = "wasm32"))]
//! No input may panic the core (a panic kills the wasm module): arbitrary
//! manifests, names, resources and options go through every public entry point.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use servicecidr_sim::{Cluster, ClusterOptions};

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[ -~]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("10.96.0.0/28"),
            Just("10.96.0.5"),
            Just("None"),
            Just("fd00::/64"),
            Just("::ffff:1.2.3.4"),
            Just("10.96.0.0/08"),
            Just("IPv4"),
            Just("IPv6"),
            Just("PreferDualStack"),
            Just("RequireDualStack"),
            Just("SingleStack"),
            Just("ExternalName"),
            Just("NodePort"),
            Just("LoadBalancer"),
            Just("services"),
            Just("255.255.255.255"),
            Just("0.0.0.0/0"),
            Just("2001:db8::/32"),
            Just("networking.k8s.io/service-cidr-finalizer")
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("name".to_string()),
                    Just("namespace".to_string()),
                    Just("cidrs".to_string()),
                    Just("clusterIP".to_string()),
                    Just("clusterIPs".to_string()),
                    Just("ipFamilies".to_string()),
                    Just("ipFamilyPolicy".to_string()),
                    Just("type".to_string()),
                    Just("ports".to_string()),
                    Just("port".to_string()),
                    Just("parentRef".to_string()),
                    Just("resource".to_string()),
                    Just("finalizers".to_string()),
                    Just("labels".to_string()),
                    Just("resourceVersion".to_string()),
                    Just("externalName".to_string()),
                    Just("nodePort".to_string()),
                    Just("targetPort".to_string()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

fn manifest() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just("v1"), Just("networking.k8s.io/v1"), Just("networking.k8s.io/v1beta1"), Just("x/y"), Just("")],
        prop_oneof![Just("Service"), Just("ServiceCIDR"), Just("IPAddress"), Just("Event"), Just("Pod")],
        value(),
        value(),
        value(),
    )
        .prop_map(|(api, kind, meta, spec, status)| {
            json!({"apiVersion": api, "kind": kind, "metadata": meta, "spec": spec, "status": status})
        })
}

fn small_cluster() -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.96.0.0/28,fd00::/120".into()),
        seed: Some(1.0),
        now: Some(json!("2026-01-01T00:00:00Z")),
        ..Default::default()
    })
    .expect("cluster")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_manifests_never_panic(objs in prop::collection::vec(manifest(), 1..6), raw in value()) {
        let mut c = small_cluster();
        for o in objs {
            let _ = c.create(o.clone());
            let _ = c.update(o.clone());
            let _ = c.apply(o.clone());
            let _ = c.update_status(o);
        }
        let _ = c.create(raw.clone());
        let _ = c.apply(raw);
        c.settle();
        let _ = c.advance(61.0);
        let snap = c.snapshot();
        prop_assert!(Cluster::restore(snap).is_ok());
    }

    #[test]
    fn arbitrary_names_and_resources_never_panic(res in "[ -~]{0,20}", name in "[ -~]{0,40}", ns in "[ -~]{0,10}") {
        let mut c = small_cluster();
        let _ = c.get(&res, &name, Some(&ns));
        let _ = c.list(&res, Some(&ns));
        let _ = c.delete(&res, &name, Some(&ns));
        let _ = c.watch(Some(&name));
        let _ = c.advance(f64::NAN);
        let _ = c.advance(-1.0);
    }

    #[test]
    fn arbitrary_options_never_panic(range in "[ -~]{0,30}", seed in any::<f64>(), now in leaf(), dns in any::<bool>(), version in "[ -~]{0,12}") {
        let _ = Cluster::new(ClusterOptions { service_cluster_ip_range: Some(range), seed: Some(seed), now: Some(now), kube_dns: Some(dns), auto_reconcile: None, version: Some(version) });
    }

    #[test]
    fn arbitrary_snapshots_never_panic(v in value()) {
        let _ = Cluster::restore(v.clone());
        let mut snap = small_cluster().snapshot();
        if let Some(m) = snap.as_object_mut() {
            m.insert("queue".into(), v);
        }
        let _ = Cluster::restore(snap);
    }
}

#[test]
fn extreme_ranges_work_or_fail_cleanly() {
    for range in [
        "0.0.0.0/0",
        "255.255.255.248/29",
        "::/0",
        "fd00::/64",
        "fd00::/48",
        "10.0.0.0/29,::/0",
        "2001:db8::/125",
    ] {
        if let Ok(mut c) = Cluster::new(ClusterOptions {
            service_cluster_ip_range: Some(range.into()),
            seed: Some(2.0),
            now: Some(json!(0)),
            ..Default::default()
        }) {
            for i in 0..5 {
                let _ = c.create(json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": format!("s{i}")}, "spec": {"ports": [{"port": 80}], "ipFamilyPolicy": "PreferDualStack"}}));
            }
            c.settle();
        }
    }
}
