//! The compact snapshot (`snapshot({ compact: true })`, issue #14): restores to exactly the
//! state of the full snapshot (the trace aside, which it leaves out), also for state a script
//! would not make (imported, orphaned and hand-edited IPAddresses, other namespaces, a
//! dual-stack Service, deleted objects in the watch log), and continues identically.

use serde_json::{json, Value};
use servicecidr_sim::{Cluster, ClusterOptions};

fn cluster(range: &str, seed: u64) -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some(range.into()),
        seed: Some(seed as f64),
        now: Some(json!("2024-01-01T00:00:00Z")),
        ..Default::default()
    })
    .unwrap()
}

fn svc(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": name, "namespace": "default"},
           "spec": {"ports": [{"port": 80}]}})
}

/// The full snapshot without its trace (the one part the compact form leaves out).
fn state(c: &Cluster) -> Value {
    let mut s = c.snapshot();
    s.as_object_mut().unwrap().remove("trace");
    s
}

/// Compact snapshot → JSON text → restore; the copy must hold the same state.
fn round_trip(a: &Cluster) -> Cluster {
    let text = serde_json::to_string(&a.snapshot_compact()).unwrap();
    let b = Cluster::restore(serde_json::from_str(&text).unwrap()).unwrap();
    assert_eq!(state(&b), state(a));
    assert!(b.trace(None).is_empty());
    b
}

fn continue_both(a: &mut Cluster, b: &mut Cluster, prefix: &str) {
    for i in 0..5 {
        let x = a.create(svc(&format!("{prefix}{i}"))).unwrap();
        let y = b.create(svc(&format!("{prefix}{i}"))).unwrap();
        assert_eq!(x, y);
    }
    a.advance(61.0).unwrap();
    b.advance(61.0).unwrap();
    assert_eq!(state(a), state(b));
}

#[test]
fn compact_snapshot_of_a_scripted_fill_restores_exactly_and_is_small() {
    let mut a = cluster("10.96.0.0/16", 7);
    for i in 0..10_000 {
        a.create(svc(&format!("s-{i}"))).unwrap();
    }
    let compact = serde_json::to_string(&a.snapshot_compact()).unwrap();
    let full = serde_json::to_string(&a.snapshot()).unwrap();
    // gzip is measured in the Node test; the text alone is already ≥ 10× smaller.
    assert!(
        compact.len() * 10 < full.len(),
        "compact {} B vs full {} B",
        compact.len(),
        full.len()
    );
    let mut b = round_trip(&a);
    continue_both(&mut a, &mut b, "next-");
}

#[test]
fn compact_snapshot_keeps_state_a_script_would_not_make() {
    let mut a = cluster("10.96.0.0/24,fd00:10:96::/112", 3);
    for i in 0..20 {
        a.create(svc(&format!("a{i}"))).unwrap();
    }
    a.create(json!({"apiVersion": "v1", "kind": "Service",
                    "metadata": {"name": "dual", "namespace": "kube-public", "labels": {"x": "y"}},
                    "spec": {"ipFamilyPolicy": "RequireDualStack", "ports": [{"port": 443}]}}))
        .unwrap();
    a.create(json!({"apiVersion": "v1", "kind": "Service",
                    "metadata": {"name": "fixed", "namespace": "default"},
                    "spec": {"clusterIP": "10.96.0.200", "ports": [{"port": 53, "protocol": "UDP"}]}}))
        .unwrap();
    // An orphan IPAddress (its Service does not exist) and one naming another Service.
    a.create(json!({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
                    "metadata": {"name": "10.96.0.77", "labels": {
                        "ipaddress.kubernetes.io/ip-family": "IPv4",
                        "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"}},
                    "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "ghost"}}}))
        .unwrap();
    // A Service relabelled after its IPAddress was written, and one deleted (its events
    // stay in the watch log with objects no longer stored).
    let mut s = a.get("svc", "a3", Some("default")).unwrap();
    s["metadata"]["labels"] = json!({"edited": "yes"});
    a.update(s).unwrap();
    a.delete("svc", "a4", Some("default")).unwrap();
    a.create(json!({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "cm", "namespace": "default"}, "data": {"k": "v"}}))
        .unwrap();
    a.advance(5.0).unwrap();
    let mut b = round_trip(&a);
    continue_both(&mut a, &mut b, "later-");
    // And a cluster restored from a compact snapshot snapshots the same way again.
    let again = round_trip(&b);
    assert_eq!(state(&again), state(&b));
}

#[test]
fn a_restored_cluster_from_another_seed_keeps_literal_uids() {
    // uids the seed's stream did not draw (here: from a cluster with another seed, moved
    // over by editing the snapshot) are kept as written.
    let mut a = cluster("10.96.0.0/24", 1);
    a.create(svc("x")).unwrap();
    let mut full = a.snapshot();
    full["config"]["seed"] = json!("2");
    let b = Cluster::restore(full).unwrap();
    let c = round_trip(&b);
    assert_eq!(
        c.snapshot()["services"],
        b.snapshot()["services"],
        "uids survive"
    );
}

#[test]
fn junk_compact_snapshots_are_refused() {
    let a = cluster("10.96.0.0/24", 1);
    let good = a.snapshot_compact();
    for (k, v) in [
        ("services", json!("x")),
        ("ipAddressSlots", json!([1, 2, 3])),
        ("watchLog", json!([[999999, "ADDED"]])),
        ("services", json!([{"metadata": {"uid": 1u64 << 40}}])),
    ] {
        let mut bad = good.clone();
        bad[k] = v;
        let e = Cluster::restore(bad).err().expect("refused");
        assert_eq!(e.code, 400, "{k}: {}", e.message);
    }
}
