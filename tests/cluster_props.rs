#![cfg(not(target_arch = "wasm32"))]
// Native tests: the wasm build runs tests/wasm_*.rs instead.
//! Random sequences of API calls and clock moves (10,000 of them, each
//! reproducible from its index) against small single- and dual-stack ranges,
//! with the allocator's safety properties checked after every step.

use serde_json::{json, Value};
use servicecidr_sim::net::{parse_cidr, parse_ip, Addr, Prefix};
use servicecidr_sim::rng::Rng;
use servicecidr_sim::{Cluster, ClusterOptions};
use std::collections::{BTreeMap, BTreeSet};

const SEQUENCES: u64 = 10_000;
const STEPS: usize = 14;

const CIDRS: &[&[&str]] = &[
    &["10.96.0.0/27"],
    &["10.96.0.0/26"],
    &["10.96.0.16/28"],
    &["10.96.1.0/29"],
    &["10.96.0.0/28"],
    &["fd00::/123"],
    &["10.96.2.0/28", "fd00::1:0/124"],
];

fn service(name: &str, dual: bool, ip: Option<String>) -> Value {
    let mut s = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
        "spec": {"ports": [{"port": 80}], "selector": {"app": name}}});
    if dual {
        s["spec"]["ipFamilyPolicy"] = json!("PreferDualStack");
    }
    if let Some(ip) = ip {
        s["spec"]["clusterIP"] = json!(ip);
    }
    s
}

struct View {
    /// ip → (namespace/name) of every Service ClusterIP in use
    in_use: BTreeMap<String, Vec<String>>,
    /// ServiceCIDR name → (prefixes, usable for new allocations)
    cidrs: BTreeMap<String, (Vec<Prefix>, bool)>,
    ipaddresses: BTreeMap<String, Value>,
}

fn view(c: &mut Cluster) -> View {
    let mut in_use: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in c.list("services", None).unwrap() {
        let key = format!(
            "{}/{}",
            s["metadata"]["namespace"].as_str().unwrap(),
            s["metadata"]["name"].as_str().unwrap()
        );
        for ip in s["spec"]["clusterIPs"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let ip = ip.as_str().unwrap().to_string();
            if ip != "None" {
                in_use.entry(ip).or_default().push(key.clone());
            }
        }
    }
    let mut cidrs = BTreeMap::new();
    for sc in c.list("servicecidrs", None).unwrap() {
        let name = sc["metadata"]["name"].as_str().unwrap().to_string();
        let ps: Vec<Prefix> = sc["spec"]["cidrs"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| parse_cidr(x.as_str().unwrap()))
            .map(|p| p.masked())
            .collect();
        let deleting = sc["metadata"]["deletionTimestamp"].is_string();
        let not_ready = sc["status"]["conditions"]
            .as_array()
            .map(|cs| {
                cs.iter()
                    .any(|c| c["type"] == "Ready" && c["status"] != "True")
            })
            .unwrap_or(false);
        cidrs.insert(name, (ps, !deleting && !not_ready));
    }
    let ipaddresses = c
        .list("ipaddresses", None)
        .unwrap()
        .into_iter()
        .map(|ip| (ip["metadata"]["name"].as_str().unwrap().to_string(), ip))
        .collect();
    View {
        in_use,
        cidrs,
        ipaddresses,
    }
}

fn containers(v: &View, a: Addr) -> BTreeSet<String> {
    v.cidrs
        .iter()
        .filter(|(_, (ps, _))| ps.iter().any(|p| p.contains_service_ip(a)))
        .map(|(n, _)| n.clone())
        .collect()
}

fn check(seq: u64, step: usize, op: &str, before: &View, after: &View) {
    let ctx = format!("sequence {seq} step {step} ({op})");
    for (ip, owners) in &after.in_use {
        assert_eq!(owners.len(), 1, "{ctx}: {ip} held by {owners:?}");
        let ipa = after
            .ipaddresses
            .get(ip)
            .unwrap_or_else(|| panic!("{ctx}: {ip} has no IPAddress"));
        let parent = &ipa["spec"]["parentRef"];
        assert_eq!(
            format!(
                "{}/{}",
                parent["namespace"].as_str().unwrap(),
                parent["name"].as_str().unwrap()
            ),
            owners[0],
            "{ctx}: {ip} parentRef"
        );
        let a = parse_ip(ip).unwrap();
        if let Some(prev_owner) = before.in_use.get(ip) {
            // A ServiceCIDR never disappears while an IP only it contains is in use.
            let was = containers(before, a);
            if was.len() == 1 && prev_owner == owners {
                let only = was.iter().next().unwrap();
                // It may go once another ServiceCIDR covers the IP (the "has parent" rule).
                assert!(
                    after.cidrs.contains_key(only) || !containers(after, a).is_empty(),
                    "{ctx}: {only} went away while {ip} (only it contained) was in use"
                );
            }
        } else {
            // Nothing new comes from a ServiceCIDR that was terminating or not ready.
            let usable = before
                .cidrs
                .values()
                .any(|(ps, ok)| *ok && ps.iter().any(|p| p.contains_service_ip(a)));
            // Upstream quirk (reference §4.1): an allocator shared by several ServiceCIDRs
            // with the identical CIDR is only marked not ready by a sync of its *only*
            // referrer, so when all of them terminate it keeps allocating.
            let shared = before
                .cidrs
                .values()
                .flat_map(|(ps, _)| ps.iter())
                .filter(|p| p.contains_service_ip(a))
                .fold(BTreeMap::<String, usize>::new(), |mut m, p| {
                    *m.entry(p.to_string()).or_default() += 1;
                    m
                });
            let quirk = shared.values().any(|n| *n >= 2);
            assert!(
                usable || quirk,
                "{ctx}: new IP {ip} is not inside a usable ServiceCIDR"
            );
        }
    }
}

#[test]
fn random_sequences_keep_the_allocator_invariants() {
    for seq in 0..SEQUENCES {
        let mut g = Rng::from_seed(seq ^ 0x5eed);
        let range = if g.below_u64(3) == 0 {
            "10.96.0.0/28,fd00::/124"
        } else {
            "10.96.0.0/28"
        };
        let mut c = Cluster::new(ClusterOptions {
            service_cluster_ip_range: Some(range.into()),
            seed: Some(seq as f64),
            now: Some(json!("2026-01-01T00:00:00Z")),
            kube_dns: Some(g.below_u64(2) == 0),
            ..Default::default()
        })
        .unwrap();
        let mut before = view(&mut c);
        let mut names: Vec<String> = Vec::new();
        for step in 0..STEPS {
            let (op, result): (String, Result<Value, _>) = match g.below_u64(10) {
                0..=3 => {
                    let n = format!("s{step}");
                    let dual = g.below_u64(3) == 0;
                    let ip = if g.below_u64(4) == 0 {
                        Some(if g.below_u64(4) == 0 {
                            format!("fd00::{:x}", g.below_u64(40))
                        } else {
                            format!("10.96.0.{}", g.below_u64(70))
                        })
                    } else {
                        None
                    };
                    names.push(n.clone());
                    (
                        format!("create {n} dual={dual} ip={ip:?}"),
                        c.create(service(&n, dual, ip)),
                    )
                }
                4 | 5 => {
                    if names.is_empty() {
                        continue;
                    }
                    let n = names[g.below_u64(names.len() as u64) as usize].clone();
                    (format!("delete svc {n}"), c.delete("svc", &n, None))
                }
                6 => {
                    let cidrs = CIDRS[g.below_u64(CIDRS.len() as u64) as usize];
                    let n = format!("sc{}", g.below_u64(4));
                    (format!("create sc {n} {cidrs:?}"), c.create(json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR", "metadata": {"name": n}, "spec": {"cidrs": cidrs}})))
                }
                7 => {
                    let pick = ["kubernetes", "sc0", "sc1", "sc2", "sc3"][g.below_u64(5) as usize];
                    (
                        format!("delete sc {pick}"),
                        c.delete("servicecidr", pick, None),
                    )
                }
                _ => {
                    let secs = g.below_u64(30) as f64;
                    (
                        format!("advance {secs}"),
                        c.advance(secs).map(|_| Value::Null),
                    )
                }
            };
            if std::env::var("TRACE_SEQ")
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                == Some(seq)
            {
                eprintln!(
                    "step {step}: {op} -> {:?}",
                    result.as_ref().map(|_| ()).map_err(|e| e.message.clone())
                );
                for sc in c.list("servicecidrs", None).unwrap() {
                    eprintln!(
                        "   sc {} {} del={} cond={}",
                        sc["metadata"]["name"],
                        sc["spec"]["cidrs"],
                        sc["metadata"]["deletionTimestamp"],
                        sc["status"]["conditions"]
                    );
                }
            }
            if result.is_err() {
                let snap_after = c.snapshot();
                // Failed calls leave state as it was: compare the objects we can see.
                let again = view(&mut c);
                assert_eq!(
                    again.in_use, before.in_use,
                    "sequence {seq} step {step} ({op}) failed but changed Services"
                );
                assert_eq!(
                    again.ipaddresses, before.ipaddresses,
                    "sequence {seq} step {step} ({op}) failed but changed IPAddresses"
                );
                let _ = snap_after;
            }
            let after = view(&mut c);
            check(seq, step, &op, &before, &after);
            before = after;
        }
    }
}
