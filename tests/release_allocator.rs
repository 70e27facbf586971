#![cfg(not(target_arch = "wasm32"))]
//! The allocator seam per release: the IPv6 /64 out-of-prefix bug of
//! 1.33.0–1.34.7 and the repair events it causes, and kube-apiserver's
//! --service-cluster-ip-range size cap while the legacy bitmap is written.

use serde_json::json;
use servicecidr_sim::{Cluster, ClusterOptions};
use std::net::Ipv6Addr;

fn cluster(range: &str, version: &str, seed: f64) -> Result<Cluster, String> {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some(range.into()),
        seed: Some(seed),
        now: Some(json!("2026-01-01T00:00:00Z")),
        kube_dns: Some(false),
        version: Some(version.into()),
        ..Default::default()
    })
    .map_err(|e| e.message)
}

fn in_fd00_64(ip: &str) -> bool {
    let a: Ipv6Addr = ip.parse().unwrap();
    u128::from(a) >> 64 == 0xfd00_0000_0000_0000
}

/// kubernetes#138374 (rke2#10060): on a /64 the dynamic scan's random offset
/// was cast to int64, so offsets of 2^63 and more land *below* the prefix
/// (`fcff:ffff:ffff:ffff:…`); the IPAddress is created anyway and the repair
/// loop then reports ClusterIPOutOfRange. Fixed by PR #134193 (1.35.0) and its
/// cherry-pick #138385 (1.34.8).
#[test]
fn ipv6_slash_64_out_of_prefix_bug_per_release() {
    for (version, buggy) in [
        ("1.34.0", true),
        ("1.34.7", true),
        ("1.34.8", false),
        ("1.35.0", false),
        ("1.37.0", false),
    ] {
        let mut c = cluster("fd00::/64", version, 7.0).unwrap();
        let mut outside = Vec::new();
        for i in 0..16 {
            let name = format!("s{i}");
            let svc = c
                .create(
                    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                               "spec": {"ports": [{"port": 80}]}}),
                )
                .unwrap();
            let ip = svc["spec"]["clusterIP"].as_str().unwrap().to_string();
            if !in_fd00_64(&ip) {
                outside.push((name, ip));
            }
        }
        if !buggy {
            assert!(outside.is_empty(), "{version}: {outside:?}");
            assert!(c.events().is_empty(), "{version}");
            continue;
        }
        // About half the offsets wrap; with 16 draws some do.
        assert!(!outside.is_empty(), "{version}");
        for (name, ip) in &outside {
            assert!(ip.starts_with("fcff:ffff:ffff:ffff:"), "{version}: {ip}");
            let obj = c
                .get("ipaddress", ip, None)
                .expect("the IPAddress is created anyway");
            assert_eq!(obj["spec"]["parentRef"]["name"], name.as_str());
            let note = format!(
                "Cluster IP [IPv6]: {ip} is not within any configured Service CIDR; please recreate service"
            );
            let ev = c
                .events()
                .into_iter()
                .find(|e| e.regarding.name == name.as_str())
                .unwrap_or_else(|| panic!("{version}: no event for {name}"));
            assert_eq!(
                (
                    Some(ev.reason.as_str()),
                    Some(ev.action.as_str()),
                    Some(ev.note.as_str())
                ),
                (
                    Some("ClusterIPOutOfRange"),
                    Some("ClusterIPAllocation"),
                    Some(note.as_str())
                )
            );
        }
        // The out-of-prefix addresses hold no ServiceCIDR: deleting the default
        // one is blocked only by its own addresses.
        let blocking = c.blocking_ips("kubernetes", 100).unwrap();
        assert!(blocking.iter().all(|ip| in_fd00_64(ip)), "{version}");
    }
}

/// cmd/kube-apiserver options validation: while DisableAllocatorDualWrite is
/// off (through 1.33; GA in 1.34) the flag range is capped at 2^20 addresses,
/// IPv4 /12 and IPv6 /108 (reference §5.2).
#[test]
fn flag_range_cap_while_dual_writing() {
    let too_large_v4 = "specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12";
    let too_large_v6 = "specified --service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108";
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("1.29", "10.0.0.0/11", Some(too_large_v4)),
        ("1.33", "10.0.0.0/11", Some(too_large_v4)),
        ("1.33", "10.96.0.0/12", None),
        ("1.33", "10.96.0.0/12,fd00::/107", Some(too_large_v6)),
        ("1.33", "fd00::/108", None),
        ("1.33", "fd00::/64", Some(too_large_v6)),
        ("1.34", "10.0.0.0/11", None),
        ("1.34", "fd00::/64", None),
        ("1.37", "10.0.0.0/8,fd00::/64", None),
    ];
    for (v, range, want) in cases {
        let got = cluster(range, v, 1.0).err();
        assert_eq!(got.as_deref(), *want, "{v} {range}");
    }
}

/// 1.33 caps the flag at /108, so there the bug bites through an added /64
/// ServiceCIDR: IPv6 Services allocated from it may land below fd01::/64.
#[test]
fn ipv6_slash_64_bug_through_an_added_service_cidr_on_1_33() {
    let mut c = cluster("10.96.0.0/24,fd00::/108", "1.33.0", 3.0).unwrap();
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                    "metadata": {"name": "wide"}, "spec": {"cidrs": ["fd01::/64"]}}),
    )
    .unwrap();
    let mut below = 0;
    for i in 0..24 {
        let svc = c
            .create(json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": format!("v6-{i}")},
                           "spec": {"ipFamilies": ["IPv6"], "ports": [{"port": 80}]}}))
            .unwrap();
        let ip: Ipv6Addr = svc["spec"]["clusterIP"].as_str().unwrap().parse().unwrap();
        let v = u128::from(ip);
        let in_flag = v >> 20 == 0xfd00u128 << 92;
        let in_wide = v >> 64 == 0xfd01_0000_0000_0000;
        if !in_flag && !in_wide {
            assert_eq!(v >> 64, 0xfd00_ffff_ffff_ffff, "{ip}: just below fd01::/64");
            below += 1;
        }
    }
    assert!(below > 0);
    let out_of_range = c
        .events()
        .iter()
        .filter(|e| e.reason == "ClusterIPOutOfRange")
        .count();
    assert_eq!(out_of_range, below);
}
