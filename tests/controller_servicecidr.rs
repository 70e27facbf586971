#![cfg(not(target_arch = "wasm32"))]
//! The service-cidr-controller's canDelete matrix (ported from upstream's
//! controller test cases) and its finalizer / Ready condition state machine.

use serde_json::{json, Value};
use servicecidr_sim::model::ServiceCIDR;
use servicecidr_sim::{Cluster, ClusterOptions};

fn cluster() -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.0.0.0/24,fd00::/112".into()),
        seed: Some(1.0),
        now: Some(json!("2026-01-01T00:00:00Z")),
        kube_dns: Some(false),
        ..Default::default()
    })
    .unwrap()
}

fn sc(c: &mut Cluster, name: &str, cidrs: &[&str]) {
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                    "metadata": {"name": name}, "spec": {"cidrs": cidrs}}),
    )
    .unwrap();
}

fn ip(c: &mut Cluster, addr: &str, managed: bool) {
    let family = if addr.contains(':') { "IPv6" } else { "IPv4" };
    let mut labels = json!({"ipaddress.kubernetes.io/ip-family": family});
    if managed {
        labels["ipaddress.kubernetes.io/managed-by"] = json!("ipallocator.k8s.io");
    }
    c.create(json!({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
                    "metadata": {"name": addr, "labels": labels},
                    "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "x"}}}))
        .unwrap();
}

fn can_delete(c: &mut Cluster, name: &str) -> bool {
    let v = c.get("servicecidr", name, None).unwrap();
    let sc: ServiceCIDR = serde_json::from_value(v).unwrap();
    c.service_cidr_blocking_ips(&sc, 10).is_empty()
}

#[test]
fn can_delete_cidr_and_no_ips() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    assert!(can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_false_cidr_with_ips() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    ip(&mut c, "192.168.0.24", true);
    assert!(!can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_cidr_without_its_ips() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    ip(&mut c, "192.168.1.24", true);
    assert!(can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_ipv4_address_is_the_subnet_address() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    ip(&mut c, "192.168.0.0", true);
    assert!(can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_ipv4_address_is_the_broadcast_address() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    ip(&mut c, "192.168.0.255", true);
    assert!(can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_false_ipv6_all_ones_is_a_host() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["2001:db2::/64"]);
    ip(&mut c, "2001:db2::ffff:ffff:ffff:ffff", true);
    assert!(!can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_same_range_overlapping_and_ips() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    sc(&mut c, "overlap", &["192.168.0.0/24"]);
    ip(&mut c, "192.168.0.23", true);
    assert!(can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_smaller_range_overlapping_and_ips() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    sc(&mut c, "overlap", &["192.168.0.16/28"]);
    ip(&mut c, "192.168.0.23", true);
    assert!(can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_false_smaller_range_overlapping_but_ips_orphan() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    sc(&mut c, "overlap", &["192.168.0.0/28"]);
    ip(&mut c, "192.168.0.23", true);
    assert!(!can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_larger_range_overlapping_and_ips() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    sc(&mut c, "overlap", &["192.168.0.0/16"]);
    ip(&mut c, "192.168.0.23", true);
    assert!(can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_ips_of_other_managers_never_block() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24"]);
    ip(&mut c, "192.168.0.23", false);
    assert!(can_delete(&mut c, "mysc"));
}

#[test]
fn can_delete_false_dual_stack_blocked_by_either_family() {
    let mut c = cluster();
    sc(&mut c, "mysc", &["192.168.0.0/24", "2001:db2::/64"]);
    sc(&mut c, "v4parent", &["192.168.0.0/16"]);
    ip(&mut c, "2001:db2::5", true);
    assert!(
        !can_delete(&mut c, "mysc"),
        "the v4 CIDR has a parent but the v6 IP is orphaned"
    );
}

fn ready(v: &Value) -> (String, String, String) {
    let cnd = &v["status"]["conditions"][0];
    (
        cnd["status"].as_str().unwrap_or_default().into(),
        cnd["reason"].as_str().unwrap_or_default().into(),
        cnd["message"].as_str().unwrap_or_default().into(),
    )
}

#[test]
fn sync_adds_finalizer_and_ready_condition_once() {
    let mut c = cluster();
    sc(&mut c, "a", &["192.168.0.0/24"]);
    let v = c.get("servicecidr", "a", None).unwrap();
    assert_eq!(
        v["metadata"]["finalizers"],
        json!(["networking.k8s.io/service-cidr-finalizer"])
    );
    assert_eq!(
        ready(&v),
        (
            "True".into(),
            "".into(),
            "Kubernetes Service CIDR is ready".into()
        )
    );
    let ltt = v["status"]["conditions"][0]["lastTransitionTime"].clone();
    let rv = v["metadata"]["resourceVersion"].clone();
    // Another sync (an overlapping ServiceCIDR arrives) writes nothing: the condition is equal.
    c.advance(30.0).unwrap();
    sc(&mut c, "b", &["192.168.0.0/16"]);
    let v = c.get("servicecidr", "a", None).unwrap();
    assert_eq!(v["status"]["conditions"][0]["lastTransitionTime"], ltt);
    assert_eq!(v["metadata"]["resourceVersion"], rv);
}

#[test]
fn blocked_deletion_is_terminating_until_the_ip_goes_then_waits_the_grace_period() {
    let mut c = cluster();
    sc(&mut c, "a", &["192.168.0.0/24"]);
    ip(&mut c, "192.168.0.9", true);
    c.advance(5.0).unwrap();
    c.delete("servicecidr", "a", None).unwrap();
    let v = c.get("servicecidr", "a", None).unwrap();
    assert_eq!(
        ready(&v),
        (
            "False".into(),
            "Terminating".into(),
            "There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR".into()
        )
    );
    c.advance(30.0).unwrap();
    assert!(
        c.get("servicecidr", "a", None).is_ok(),
        "no timed requeue while blocked"
    );
    c.delete("ip", "192.168.0.9", None).unwrap();
    // Deleted more than 10 s ago: the IPAddress deletion event frees it at once.
    assert_eq!(c.get("servicecidr", "a", None).unwrap_err().code, 404);
}

#[test]
fn a_new_parent_unblocks_a_terminating_servicecidr() {
    let mut c = cluster();
    sc(&mut c, "a", &["192.168.0.0/24"]);
    ip(&mut c, "192.168.0.9", true);
    c.delete("servicecidr", "a", None).unwrap();
    sc(&mut c, "parent", &["192.168.0.0/23"]);
    assert!(
        c.get("servicecidr", "a", None).is_ok(),
        "the 10 s grace still applies"
    );
    c.advance(10.0).unwrap();
    assert_eq!(c.get("servicecidr", "a", None).unwrap_err().code, 404);
    assert!(
        c.get("ip", "192.168.0.9", None).is_ok(),
        "its IPAddress lives on under the parent"
    );
}

#[test]
fn terminating_servicecidr_allocates_nothing_static_or_dynamic() {
    let mut c = cluster();
    sc(&mut c, "extra", &["10.1.0.0/24"]);
    ip(&mut c, "10.1.0.9", true);
    c.delete("servicecidr", "extra", None).unwrap();
    let e = c
        .create(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                       "spec": {"clusterIP": "10.1.0.50", "ports": [{"port": 80}]}}),
        )
        .unwrap_err();
    assert!(e.message.ends_with("failed to allocate IP 10.1.0.50: the provided network does not match the current range"), "{}", e.message);
}

#[test]
fn blocking_ips_lists_what_can_delete_looks_at() {
    let mut c = cluster();
    sc(&mut c, "small", &["10.96.0.0/28"]);
    sc(&mut c, "newcidr1", &["10.96.0.0/24"]);
    ip(&mut c, "10.96.0.2", true); // also in the /28: does not block
    ip(&mut c, "10.96.0.48", true); // only in the /24: blocks
    ip(&mut c, "10.96.0.0", true); // network address of the /24: never blocks
    ip(&mut c, "10.96.0.255", true); // IPv4 broadcast: never blocks
    ip(&mut c, "10.96.0.99", false); // not managed by the allocator
    assert_eq!(c.blocking_ips("newcidr1", 10).unwrap(), vec!["10.96.0.48"]);
    assert!(
        c.blocking_ips("small", 10).unwrap().is_empty(),
        "the /24 contains every IP of the /28"
    );
    assert_eq!(c.blocking_ips("nope", 10).unwrap_err().code, 404);
}

#[test]
fn blocking_report_counts_every_ip_and_covers_all_of_them() {
    let mut c = cluster();
    sc(&mut c, "big", &["10.1.0.0/20"]);
    // 300 managed IPs only the /20 contains, more than the listed limit.
    for i in 0..300u32 {
        ip(
            &mut c,
            &format!("10.1.{}.{}", 1 + i / 200, 10 + i % 200),
            true,
        );
    }
    ip(&mut c, "10.1.0.0", true); // network address: never blocks
    ip(&mut c, "10.1.9.9", false); // not managed: never blocks
    let r = c.blocking_ips_report("big", 5).unwrap();
    assert_eq!(r.total, 300, "the true count, not the listed one");
    assert_eq!(
        r.ips,
        vec![
            "10.1.1.10",
            "10.1.1.11",
            "10.1.1.12",
            "10.1.1.13",
            "10.1.1.14"
        ]
    );
    assert_eq!(
        r.ips,
        c.blocking_ips("big", 5).unwrap(),
        "same list as blockingIPs"
    );
    // Lowest 10.1.1.10, highest 10.1.2.109: the smallest range holding both is a /22.
    assert_eq!(r.covering, vec!["10.1.0.0/22"]);
    // Once a ServiceCIDR covers that suggestion, nothing blocks any more.
    sc(&mut c, "cover", &["10.1.0.0/22"]);
    let r = c.blocking_ips_report("big", 5).unwrap();
    assert_eq!((r.total, r.ips.len(), r.covering.len()), (0, 0, 0));
}

#[test]
fn blocking_report_covers_each_family_apart() {
    let mut c = cluster();
    sc(&mut c, "dual", &["10.2.0.0/24", "fd01::/112"]);
    ip(&mut c, "10.2.0.5", true);
    ip(&mut c, "fd01::1", true);
    ip(&mut c, "fd01::ff", true);
    let r = c.blocking_ips_report("dual", 256).unwrap();
    assert_eq!(r.total, 3);
    // One IPv4 address needs a /30 (not the network, not the broadcast); IPv6 keeps
    // its all-ones address, so fd01::1..fd01::ff fit a /120.
    assert_eq!(r.covering, vec!["10.2.0.4/30", "fd01::/120"]);
    assert_eq!(c.blocking_ips_report("nope", 1).unwrap_err().code, 404);
}
