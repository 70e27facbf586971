#![cfg(not(target_arch = "wasm32"))]
//! The controllers' seam per release (the repair loop's IPAddressWrongReference
//! wait; the default-ServiceCIDR controller is covered by unit tests in
//! crates/core/src/controllers/defaults.rs, which need to change the flags).

use serde_json::json;
use servicecidr_sim::{Cluster, ClusterOptions};

fn cluster(version: &str) -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.0.0.0/24".into()),
        seed: Some(1.0),
        now: Some(json!("2026-01-01T00:00:00Z")),
        kube_dns: Some(false),
        version: Some(version.into()),
        ..Default::default()
    })
    .unwrap()
}

/// PR #132906 (1.34.0; cherry-pick #133954 in 1.33.6): an IPAddress newer than
/// the Service it names, which the Service does not list, is judged only 5 s
/// after it appeared; before, the IPAddress pass deleted it at once.
#[test]
fn wrong_reference_wait_per_release() {
    for (version, waits) in [
        ("1.32", false),
        ("1.33.5", false),
        ("1.33.6", true),
        ("1.34.0", true),
        ("1.37", true),
    ] {
        let mut c = cluster(version);
        c.create(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                        "spec": {"clusterIP": "10.0.0.7", "ports": [{"port": 80}]}}),
        )
        .unwrap();
        c.advance(2.0).unwrap();
        let api = c.release().networking_api_version();
        c.create(json!({"apiVersion": api, "kind": "IPAddress",
                        "metadata": {"name": "10.0.0.9", "labels": {
                            "ipaddress.kubernetes.io/ip-family": "IPv4",
                            "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"}},
                        "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "web"}}}))
            .unwrap();
        c.advance(3.0).unwrap();
        assert_eq!(
            c.get("ip", "10.0.0.9", None).is_ok(),
            waits,
            "{version} at +3 s"
        );
        c.advance(7.0).unwrap();
        assert!(c.get("ip", "10.0.0.9", None).is_err(), "{version} at +10 s");
        let ev = c.events().pop().unwrap();
        assert_eq!(ev.reason, "IPAddressWrongReference", "{version}");
        assert_eq!(
            ev.note,
            "IPAddress: 10.0.0.9 for Service default/web has a wrong reference; cleaning up"
        );
    }
}

/// snapshot()/restore() keep the release; a snapshot from before release
/// emulation (no `version`) restores as the newest modelled release.
#[test]
fn snapshots_keep_the_release() {
    let c = cluster("1.33.6");
    let snap = c.snapshot();
    assert_eq!(snap["config"]["version"], "1.33.6");
    let back = Cluster::restore(snap.clone()).unwrap();
    assert_eq!(back.version(), "1.33.6");
    assert_eq!(back.release().wrong_reference_delay_ms, 5_000);
    let mut old = snap;
    old["config"].as_object_mut().unwrap().remove("version");
    assert_eq!(Cluster::restore(old).unwrap().version(), "1.37.0");
    let mut bad = c.snapshot();
    bad["config"]["version"] = json!("1.99");
    assert_eq!(Cluster::restore(bad).err().map(|e| e.code), Some(400));
}
