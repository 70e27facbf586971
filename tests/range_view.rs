#![cfg(not(target_arch = "wasm32"))]
//! The range maps' cells come from the core (Cluster::range_view): roles from the
//! allocator's own band split, IPAddresses from the taken index, overlaps from the
//! ServiceCIDRs. The pages compute nothing about addresses.

use serde_json::json;
use servicecidr_sim::{Cluster, ClusterOptions};

fn cluster(range: &str) -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some(range.into()),
        seed: Some(1.0),
        now: Some(json!("2026-01-01T00:00:00Z")),
        kube_dns: Some(false),
        ..Default::default()
    })
    .unwrap()
}

fn roles(v: &servicecidr_sim::cluster::range_view::RangeView) -> Vec<String> {
    v.cells.iter().map(|c| c.roles.join("+")).collect()
}

#[test]
fn a_small_ipv4_range_is_one_cell_per_address() {
    let c = cluster("10.96.0.0/28");
    let v = c
        .range_view("kubernetes", "10.96.0.0/28", None, None)
        .unwrap();
    assert_eq!(
        (v.prefix.as_str(), v.host_bits, v.cell_host_bits),
        ("10.96.0.0/28", 4, 0)
    );
    assert_eq!(v.cells.len(), 16);
    let r = roles(&v);
    // A /28 has no static band: 14 dynamic addresses between network and broadcast.
    assert_eq!(r[0], "network");
    assert_eq!(r[15], "broadcast");
    assert!(r[1..15].iter().all(|x| x == "dynamic"), "{r:?}");
    // The kubernetes Service holds the first address.
    assert_eq!((v.cells[1].ip.as_str(), v.cells[1].taken), ("10.96.0.1", 1));
    assert_eq!(v.cells[1].names, vec!["10.96.0.1"]);
    assert_eq!(v.cells[2].taken, 0);
}

#[test]
fn bands_and_overlaps_follow_the_allocator() {
    let mut c = cluster("10.96.0.0/28");
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
        "metadata": {"name": "big"}, "spec": {"cidrs": ["10.96.0.0/24"]}}),
    )
    .unwrap();
    let v = c.range_view("big", "10.96.0.0/24", None, None).unwrap();
    let r = roles(&v);
    // KEP-3070: a /24 has a static band of 16 addresses, .1 to .16.
    assert_eq!(r[1], "static");
    assert_eq!(r[16], "static");
    assert_eq!(r[17], "dynamic");
    assert_eq!(r[254], "dynamic");
    assert_eq!(r[255], "broadcast");
    assert_eq!(v.cells[5].shared, vec!["kubernetes (10.96.0.0/28)"]);
    assert!(v.cells[16].shared.is_empty());
    assert!(
        c.range_view("kubernetes", "10.96.0.0/24", None, None)
            .is_err(),
        "not its CIDR"
    );
}

#[test]
fn big_ranges_are_buckets_that_zoom_to_addresses() {
    let mut c = cluster("fd00::/108");
    let svc = c
        .create(json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a", "namespace": "default"},
            "spec": {"clusterIP": "fd00::5:0", "ports": [{"port": 80}]}}))
        .unwrap();
    assert_eq!(svc["spec"]["clusterIP"], "fd00::5:0");
    let v = c
        .range_view("kubernetes", "fd00::/108", None, None)
        .unwrap();
    // 2^20 addresses: 256 buckets of 2^12.
    assert_eq!(
        (v.host_bits, v.cell_host_bits, v.cells.len()),
        (20, 12, 256)
    );
    assert_eq!(v.cells[0].roles, vec!["network", "static", "dynamic"]);
    assert_eq!(v.cells[1].roles, vec!["dynamic"]);
    let b = &v.cells[80]; // fd00::5:0 is 0x50000 = 80 · 4096 after the network address
    assert_eq!(
        (b.prefix.as_str(), b.start.as_str(), b.taken),
        ("fd00::5:0/116", "327680", 1)
    );
    let z = c
        .range_view("kubernetes", "fd00::/108", Some(&b.start), Some(12))
        .unwrap();
    assert_eq!(
        (z.prefix.as_str(), z.cell_host_bits, z.cells.len()),
        ("fd00::5:0/116", 0, 4096)
    );
    assert_eq!((z.cells[0].ip.as_str(), z.cells[0].taken), ("fd00::5:0", 1));
    // IPv6 has no broadcast: its all-ones address is dynamic.
    let last = c
        .range_view("kubernetes", "fd00::/108", Some("1044480"), Some(12))
        .unwrap();
    assert_eq!(last.cells[4095].roles, vec!["dynamic"]);
    // Blocks must be aligned and inside the CIDR.
    for (start, bits) in [("5", 12), ("1048576", 0), ("0", 21), ("x", 0)] {
        assert_eq!(
            c.range_view("kubernetes", "fd00::/108", Some(start), Some(bits))
                .unwrap_err()
                .code,
            400,
            "{start}/{bits}"
        );
    }
}
