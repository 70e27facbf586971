#![cfg(not(target_arch = "wasm32"))]
//! The IPAddress repair loop (ipallocator-repair-controller): every case of the
//! Service pass and the IPAddress pass, with upstream's event reason, action and
//! note. States the API would refuse (an invalid ClusterIP, a Service outside
//! every ServiceCIDR) are made by editing a snapshot, as a real cluster gets
//! them from old versions or etcd edits.

use serde_json::{json, Value};
use servicecidr_sim::{Cluster, ClusterOptions};

/// One repair resync interval (the full pass runs on it).
const RESYNC: f64 = 180.0;

fn cluster() -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.0.0.0/24".into()),
        seed: Some(1.0),
        now: Some(json!("2026-01-01T00:00:00Z")),
        kube_dns: Some(false),
        ..Default::default()
    })
    .unwrap()
}

fn service(c: &mut Cluster, name: &str, ip: &str) -> Value {
    c.create(
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                    "spec": {"clusterIP": ip, "ports": [{"port": 80}]}}),
    )
    .unwrap()
}

fn ipaddress(c: &mut Cluster, addr: &str, parent: Value) {
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
                    "metadata": {"name": addr, "labels": {
                        "ipaddress.kubernetes.io/ip-family": "IPv4",
                        "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"}},
                    "spec": {"parentRef": parent}}),
    )
    .unwrap();
}

/// Rebuilds the cluster from its snapshot after `edit` changed it.
fn edited(c: &Cluster, edit: impl FnOnce(&mut Value)) -> Cluster {
    let mut snap = c.snapshot();
    edit(&mut snap);
    Cluster::restore(snap).unwrap()
}

fn find<'a>(list: &'a mut Value, key: &str, name: &str) -> &'a mut Value {
    list[key]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["metadata"]["name"] == name)
        .unwrap()
}

fn warnings(c: &Cluster) -> Vec<(String, String, String)> {
    c.events()
        .into_iter()
        .map(|e| {
            assert_eq!(e.type_, "Warning");
            assert_eq!(e.reporting_controller, "ipallocator-repair-controller");
            (e.reason, e.action, e.note)
        })
        .collect()
}

fn ev(reason: &str, action: &str, note: &str) -> (String, String, String) {
    (reason.into(), action.into(), note.into())
}

#[test]
fn service_with_an_invalid_cluster_ip_is_reported() {
    let mut c = cluster();
    service(&mut c, "bad", "10.0.0.5");
    let mut c = edited(&c, |s| {
        let svc = find(s, "services", "bad");
        svc["spec"]["clusterIP"] = json!("not-an-ip");
        svc["spec"]["clusterIPs"] = json!(["not-an-ip"]);
    });
    c.advance(RESYNC).unwrap();
    assert!(warnings(&c).contains(&ev(
        "ClusterIPNotValid",
        "ClusterIPValidation",
        "Cluster IP not-an-ip is not a valid IP; please recreate Service"
    )));
}

#[test]
fn service_outside_every_servicecidr_is_reported_and_left_alone() {
    let mut c = cluster();
    service(&mut c, "out", "10.0.0.5");
    let mut c = edited(&c, |s| {
        let svc = find(s, "services", "out");
        svc["spec"]["clusterIP"] = json!("10.9.0.5");
        svc["spec"]["clusterIPs"] = json!(["10.9.0.5"]);
    });
    c.advance(RESYNC).unwrap();
    assert!(warnings(&c).contains(&ev(
        "ClusterIPOutOfRange",
        "ClusterIPAllocation",
        "Cluster IP [IPv4]: 10.9.0.5 is not within any configured Service CIDR; please recreate service"
    )));
    assert_eq!(
        c.get("ip", "10.9.0.5", None).unwrap_err().code,
        404,
        "nothing is created for it"
    );
}

#[test]
fn missing_ipaddress_is_recreated() {
    let mut c = cluster();
    service(&mut c, "web", "10.0.0.7");
    c.delete("ip", "10.0.0.7", None).unwrap();
    c.advance(RESYNC).unwrap();
    assert_eq!(
        warnings(&c),
        vec![ev(
            "ClusterIPNotAllocated",
            "ClusterIPAllocation",
            "Cluster IP [IPv4]: 10.0.0.7 is not allocated; repairing"
        )]
    );
    assert_eq!(
        c.get("ip", "10.0.0.7", None).unwrap()["spec"]["parentRef"]["name"],
        "web"
    );
}

#[test]
fn ipaddress_pointing_at_another_kind_is_repaired_for_the_service() {
    let mut c = cluster();
    service(&mut c, "web", "10.0.0.7");
    let mut c = edited(&c, |s| {
        let ip = find(s, "ipAddresses", "10.0.0.7");
        ip["spec"]["parentRef"] = json!({"group": "gateway.networking.k8s.io", "resource": "gateways", "namespace": "default", "name": "gw"});
    });
    c.advance(RESYNC).unwrap();
    assert!(warnings(&c).contains(&ev(
        "ClusterIPNotAllocated",
        "ClusterIPAllocation",
        "the ClusterIP [IPv4]: 10.0.0.7 for Service default/web has a wrong reference; repairing"
    )));
    assert_eq!(
        c.get("ip", "10.0.0.7", None).unwrap()["spec"]["parentRef"],
        json!({"resource": "services", "namespace": "default", "name": "web"})
    );
}

#[test]
fn ipaddress_of_a_missing_other_service_is_taken_over() {
    let mut c = cluster();
    service(&mut c, "web", "10.0.0.7");
    let mut c = edited(&c, |s| {
        find(s, "ipAddresses", "10.0.0.7")["spec"]["parentRef"]["name"] = json!("gone");
    });
    c.advance(RESYNC).unwrap();
    assert!(warnings(&c).contains(&ev(
        "ClusterIPNotAllocated",
        "ClusterIPAllocation",
        "the ClusterIP [IPv4]: 10.0.0.7 for Service default/web has a wrong reference; repairing"
    )));
    assert_eq!(
        c.get("ip", "10.0.0.7", None).unwrap()["spec"]["parentRef"]["name"],
        "web"
    );
}

#[test]
fn one_ip_in_two_services_is_reported_not_changed() {
    let mut c = cluster();
    service(&mut c, "a", "10.0.0.7");
    service(&mut c, "b", "10.0.0.8");
    let mut c = edited(&c, |s| {
        let svc = find(s, "services", "b");
        svc["spec"]["clusterIP"] = json!("10.0.0.7");
        svc["spec"]["clusterIPs"] = json!(["10.0.0.7"]);
    });
    c.advance(RESYNC).unwrap();
    assert!(warnings(&c).contains(&ev(
        "ClusterIPAlreadyAllocated",
        "ClusterIPAllocation",
        "Cluster IP [IPv4]:10.0.0.7 was assigned to multiple services; please recreate service"
    )));
    assert_eq!(
        c.get("ip", "10.0.0.7", None).unwrap()["spec"]["parentRef"]["name"],
        "a"
    );
}

#[test]
fn wrong_labels_are_fixed_silently() {
    let mut c = cluster();
    service(&mut c, "web", "10.0.0.7");
    let mut c = edited(&c, |s| {
        find(s, "ipAddresses", "10.0.0.7")["metadata"]["labels"]
            ["ipaddress.kubernetes.io/ip-family"] = json!("IPv6");
    });
    c.advance(RESYNC).unwrap();
    assert!(warnings(&c).is_empty(), "{:?}", warnings(&c));
    assert_eq!(
        c.get("ip", "10.0.0.7", None).unwrap()["metadata"]["labels"]
            ["ipaddress.kubernetes.io/ip-family"],
        "IPv4"
    );
}

#[test]
fn managed_ipaddress_not_referencing_a_service_is_deleted() {
    let mut c = cluster();
    ipaddress(
        &mut c,
        "10.0.0.40",
        json!({"group": "gateway.networking.k8s.io", "resource": "gateways", "namespace": "ns", "name": "gw"}),
    );
    assert_eq!(c.get("ip", "10.0.0.40", None).unwrap_err().code, 404);
    assert_eq!(
        warnings(&c),
        vec![ev(
            "IPAddressNotAllocated",
            "IPAddressAllocation",
            "IPAddress 10.0.0.40 appears to have been modified, not referencing a Service &{gateway.networking.k8s.io gateways ns gw}: cleaning up"
        )]
    );
}

#[test]
fn ipaddress_of_a_service_that_does_not_list_it_is_a_wrong_reference() {
    let mut c = cluster();
    service(&mut c, "web", "10.0.0.7");
    // Older than the Service's creation: no race delay.
    let mut c = edited(&c, |s| {
        s["ipAddresses"].as_array_mut().unwrap().push(json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
            "metadata": {"name": "10.0.0.9", "uid": "u", "resourceVersion": "1", "creationTimestamp": "2025-12-31T00:00:00Z",
                "labels": {"ipaddress.kubernetes.io/ip-family": "IPv4", "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"}},
            "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "web"}}}));
    });
    c.advance(RESYNC).unwrap();
    assert!(warnings(&c).contains(&ev(
        "IPAddressWrongReference",
        "IPAddressAllocation",
        "IPAddress: 10.0.0.9 for Service default/web has a wrong reference; cleaning up"
    )));
    assert_eq!(c.get("ip", "10.0.0.9", None).unwrap_err().code, 404);
}

#[test]
fn wrong_reference_newer_than_its_service_waits_five_seconds() {
    let mut c = cluster();
    service(&mut c, "web", "10.0.0.7");
    c.advance(2.0).unwrap();
    ipaddress(
        &mut c,
        "10.0.0.9",
        json!({"resource": "services", "namespace": "default", "name": "web"}),
    );
    c.advance(3.0).unwrap();
    assert!(
        c.get("ip", "10.0.0.9", None).is_ok(),
        "3 s after it appeared: no action yet"
    );
    c.advance(7.0).unwrap();
    assert_eq!(c.get("ip", "10.0.0.9", None).unwrap_err().code, 404);
    assert_eq!(warnings(&c).last().unwrap().0, "IPAddressWrongReference");
}

#[test]
fn out_of_range_ipaddress_listed_by_its_service_is_kept() {
    let mut c = cluster();
    service(&mut c, "web", "10.0.0.7");
    let mut c = edited(&c, |s| {
        let svc = find(s, "services", "web");
        svc["spec"]["clusterIP"] = json!("10.9.0.5");
        svc["spec"]["clusterIPs"] = json!(["10.9.0.5"]);
        let ip = find(s, "ipAddresses", "10.0.0.7");
        ip["metadata"]["name"] = json!("10.9.0.5");
    });
    c.advance(RESYNC).unwrap();
    assert!(c.get("ip", "10.9.0.5", None).is_ok());
    assert!(
        warnings(&c).iter().all(|w| w.0 == "ClusterIPOutOfRange"),
        "{:?}",
        warnings(&c)
    );
}

#[test]
fn unmanaged_ipaddress_of_a_missing_service_is_never_collected() {
    let mut c = cluster();
    c.create(json!({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
                    "metadata": {"name": "10.0.0.50"},
                    "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "ghost"}}}))
        .unwrap();
    c.advance(RESYNC * 2.0).unwrap();
    assert!(c.get("ip", "10.0.0.50", None).is_ok());
    assert!(warnings(&c).is_empty());
}
