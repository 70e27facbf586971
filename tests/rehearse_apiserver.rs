#![cfg(not(target_arch = "wasm32"))]
//! Issue #15: kube-apiserver as a process (restart with new flags, a second
//! instance beside the first) and `capacity()`, checked against the website's
//! "Kubernetes Default Service CIDR Reconfiguration" task and reference §3.2,
//! §5.1, §5.2, §7.

use serde_json::{json, Value};
use servicecidr_sim::cluster::capacity::CidrCapacity;
use servicecidr_sim::cluster::ApiserverState;
use servicecidr_sim::{Cluster, ClusterOptions};

fn cluster(range: &str) -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some(range.into()),
        seed: Some(7.0),
        now: Some(json!("2026-11-01T08:00:00Z")),
        kube_dns: Some(false),
        ..Default::default()
    })
    .expect("cluster")
}

fn service(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"ports": [{"port": 80}], "selector": {"app": name}}})
}

fn ip_of(c: &mut Cluster, name: &str) -> String {
    c.get("service", name, Some("default")).unwrap()["spec"]["clusterIP"]
        .as_str()
        .unwrap()
        .to_string()
}

fn cidrs(c: &mut Cluster, name: &str) -> Value {
    c.get("servicecidr", name, None).unwrap()["spec"]["cidrs"].clone()
}

const NAMESPACES: [&str; 4] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/// Replays a watch history (Services and IPAddresses in resourceVersion order)
/// and answers every moment two live Services held one IP, an IPAddress was
/// added while one of that IP was live, or an IPAddress named one Service
/// while another held its IP; and how many events it checked.
fn ips_held_twice(history: &[Value]) -> (Vec<String>, usize) {
    use std::collections::BTreeMap;
    let s = |v: &Value, p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut services: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut addresses: BTreeMap<String, String> = BTreeMap::new();
    let (mut problems, mut checked) = (Vec::new(), 0);
    for e in history {
        let (kind, o) = (s(e, "/object/kind"), &e["object"]);
        let (deleted, rv) = (e["type"] == "DELETED", s(o, "/metadata/resourceVersion"));
        match kind.as_str() {
            "Service" => {
                let key = format!("{}/{}", s(o, "/metadata/namespace"), s(o, "/metadata/name"));
                if deleted {
                    services.remove(&key);
                } else {
                    let ips = o["spec"]["clusterIPs"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    let ips = ips.iter().filter_map(Value::as_str);
                    services.insert(
                        key,
                        ips.filter(|ip| *ip != "None").map(String::from).collect(),
                    );
                }
            }
            "IPAddress" => {
                let ip = s(o, "/metadata/name");
                if deleted {
                    addresses.remove(&ip);
                } else {
                    if e["type"] == "ADDED" && addresses.contains_key(&ip) {
                        problems.push(format!("rv {rv}: IPAddress {ip} added while one was live"));
                    }
                    let parent = format!(
                        "{}/{}",
                        s(o, "/spec/parentRef/namespace"),
                        s(o, "/spec/parentRef/name")
                    );
                    addresses.insert(ip, parent);
                }
            }
            _ => continue,
        }
        checked += 1;
        let mut holder: BTreeMap<&str, &str> = BTreeMap::new();
        for (key, ips) in &services {
            for ip in ips {
                if let Some(other) = holder.insert(ip, key) {
                    problems.push(format!("rv {rv}: {ip} held by {other} and {key}"));
                }
            }
        }
        for (ip, parent) in &addresses {
            match holder.get(ip.as_str()) {
                Some(h) if h != parent => problems.push(format!(
                    "rv {rv}: IPAddress {ip} names {parent} while {h} holds it"
                )),
                _ => {}
            }
        }
    }
    (problems, checked)
}

/// The check above fails on a history that holds one IP twice.
#[test]
fn the_held_twice_check_can_fail() {
    let svc = |name: &str, rv: &str| {
        json!({"type": "ADDED", "object": {"kind": "Service",
            "metadata": {"name": name, "namespace": "default", "resourceVersion": rv},
            "spec": {"clusterIPs": ["10.0.0.1"]}}})
    };
    let (problems, checked) = ips_held_twice(&[svc("a", "1"), svc("b", "2")]);
    assert_eq!(problems, ["rv 2: 10.0.0.1 held by default/a and default/b"]);
    assert_eq!(checked, 2);
}

/// The task's seven illustrative steps on the core API, with 36 Services over
/// four namespaces: after step 7 every Service holds an address in the new
/// range, the old `kubernetes` ServiceCIDR was deleted (a new one of that name
/// is built from the new flags), and at no resourceVersion of the whole watch
/// history was an IP held twice.
#[test]
fn the_seven_illustrative_steps() {
    // 1. kube-apiserver with the initial range; 2. Services in it.
    let mut c = cluster("10.96.0.0/24");
    for i in 0..36 {
        let mut svc = service(&format!("app-{i}"));
        svc["metadata"]["namespace"] = json!(NAMESPACES[i % 4]);
        c.create(svc).unwrap();
    }
    let old_uid = c.get("servicecidr", "kubernetes", None).unwrap()["metadata"]["uid"].clone();
    let services = c.list("services", None).unwrap();
    assert_eq!(services.len(), 37, "36 and kubernetes");
    // 3. A new ServiceCIDR as the temporary target.
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
        "metadata": {"name": "new-cidr"}, "spec": {"cidrs": ["10.97.0.0/24"]}}),
    )
    .unwrap();
    // 4. Delete the default ServiceCIDR: it stays, terminating, while IPs are in it.
    c.delete("servicecidr", "kubernetes", None).unwrap();
    c.settle();
    assert!(
        c.get("servicecidr", "kubernetes", None).unwrap()["metadata"]["deletionTimestamp"]
            .is_string()
    );
    // 5. Recreate the Services: they land in the new range.
    for s in services
        .iter()
        .filter(|s| s["metadata"]["name"] != "kubernetes")
    {
        let (name, ns) = (
            s["metadata"]["name"].as_str().unwrap(),
            s["metadata"]["namespace"].as_str().unwrap(),
        );
        c.delete("service", name, Some(ns)).unwrap();
        let mut svc = service(name);
        svc["metadata"]["namespace"] = json!(ns);
        let got = c.create(svc).unwrap();
        assert!(
            got["spec"]["clusterIP"]
                .as_str()
                .unwrap()
                .starts_with("10.97.0."),
            "{ns}/{name}"
        );
    }
    // 6. A kube-apiserver with the new flags, then the old one stops.
    let new = c
        .start_apiserver("kube-apiserver-new", "10.97.0.0/24")
        .unwrap();
    assert_eq!(new.state, ApiserverState::Running);
    let names: Vec<_> = c
        .apiservers()
        .iter()
        .map(|a| (a.name.clone(), a.state))
        .collect();
    assert_eq!(
        names,
        [
            ("kube-apiserver".to_string(), ApiserverState::Running),
            ("kube-apiserver-new".to_string(), ApiserverState::Running)
        ]
    );
    c.stop_apiserver("kube-apiserver").unwrap();
    assert_eq!(c.config().service_cluster_ip_range, "10.97.0.0/24");
    assert_eq!(c.apiservers()[0].name, "kube-apiserver-new");
    // 7. Delete kubernetes.default: the new apiserver recreates it in the new range.
    c.delete("service", "kubernetes", Some("default")).unwrap();
    c.settle();
    assert_eq!(ip_of(&mut c, "kubernetes"), "10.97.0.1");
    let after = c.list("services", None).unwrap();
    assert_eq!(after.len(), 37);
    for s in &after {
        for ip in s["spec"]["clusterIPs"].as_array().unwrap() {
            assert!(
                ip.as_str().unwrap().starts_with("10.97.0."),
                "{}: {ip}",
                s["metadata"]["name"]
            );
        }
    }
    // The old `kubernetes` ServiceCIDR lost its last IP and was deleted; the one
    // of that name now is new, recreated from the new flags (reference §5.1).
    let history = c.watch(None).unwrap();
    assert!(history.iter().any(|e| e["type"] == "DELETED"
        && e["object"]["kind"] == "ServiceCIDR"
        && e["object"]["metadata"]["uid"] == old_uid));
    let now = c.get("servicecidr", "kubernetes", None).unwrap();
    assert_ne!(now["metadata"]["uid"], old_uid);
    assert_eq!(now["spec"]["cidrs"], json!(["10.97.0.0/24"]));
    let (problems, checked) = ips_held_twice(&history);
    assert_eq!(problems, Vec::<String>::new());
    assert!(
        checked > 4 * 37,
        "the history holds every change ({checked})"
    );
}

/// Reference §5.1 (PR #131263, 1.33+): restarting with a secondary range
/// appended upgrades `kubernetes` to dual-stack, and the new family allocates.
#[test]
fn restart_single_to_dual_upgrades_the_default_service_cidr() {
    let mut c = cluster("10.96.0.0/28");
    let a = c
        .restart_apiserver("10.96.0.0/28,fd00::/120", None)
        .unwrap();
    assert_eq!(a.state, ApiserverState::Running);
    assert_eq!(a.service_cluster_ip_range, "10.96.0.0/28,fd00::/120");
    assert_eq!(
        cidrs(&mut c, "kubernetes"),
        json!(["10.96.0.0/28", "fd00::/120"])
    );
    let mut svc = service("dual");
    svc["spec"]["ipFamilyPolicy"] = json!("RequireDualStack");
    let got = c.create(svc).unwrap();
    assert_eq!(got["spec"]["clusterIPs"].as_array().unwrap().len(), 2);
}

/// Reference §5.1: a different primary is not applied; each new process
/// reports the mismatch once (the guard is per process, so a restart resets it).
#[test]
fn restart_with_another_primary_only_reports_the_inconsistency() {
    let mut c = cluster("10.96.0.0/28");
    let inconsistent = |c: &Cluster| {
        c.events()
            .iter()
            .filter(|e| e.reason == "KubernetesDefaultServiceCIDRInconsistent")
            .map(|e| e.note.clone())
            .collect::<Vec<_>>()
    };
    c.restart_apiserver("10.98.0.0/28", None).unwrap();
    c.restart_apiserver("10.98.0.0/28", None).unwrap();
    assert_eq!(cidrs(&mut c, "kubernetes"), json!(["10.96.0.0/28"]));
    let note = "The default ServiceCIDR [\"10.96.0.0/28\"] does not match the controller flag configurations [\"10.98.0.0/28\"]";
    assert_eq!(inconsistent(&c), [note, note]);
}

/// Reference §5.2: flags kube-apiserver refuses leave the running process as it was.
#[test]
fn refused_flags_change_nothing() {
    let mut c = cluster("10.96.0.0/28");
    let before = c.snapshot();
    let e = c
        .restart_apiserver("10.96.0.0/28,10.97.0.0/28", None)
        .unwrap_err();
    assert_eq!(
        e.message,
        "--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family"
    );
    let e = c.restart_apiserver("10.0.0.0/8", Some("1.33")).unwrap_err();
    assert_eq!(
        e.message,
        "specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12"
    );
    assert_eq!(c.snapshot(), before);
    assert!(c.stop_apiserver("kube-apiserver").is_err(), "the last one");
}

/// Reference §3.2: bands of /28 (no split), /24 (16 static), and usage per band.
#[test]
fn capacity_per_service_cidr_and_band() {
    let mut c = cluster("10.96.0.0/28");
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
        "metadata": {"name": "wide"}, "spec": {"cidrs": ["10.96.0.0/24"]}}),
    )
    .unwrap();
    let mut pinned = service("pinned");
    pinned["spec"]["clusterIP"] = json!("10.96.0.200");
    c.create(pinned).unwrap();
    let rows = c.capacity();
    let row = |n: &str| -> &CidrCapacity { rows.iter().find(|r| r.name == n).unwrap() };
    let k = row("kubernetes");
    assert_eq!(
        (
            k.size.as_str(),
            k.static_size.as_str(),
            k.dynamic_size.as_str()
        ),
        ("14", "0", "14")
    );
    // 10.96.0.1 (kubernetes) is the only address in the /28.
    assert_eq!(
        (k.dynamic_used.as_str(), k.dynamic_free.as_str()),
        ("1", "13")
    );
    assert_eq!(k.overlaps, ["wide"]);
    let w = row("wide");
    assert_eq!(
        (
            w.size.as_str(),
            w.static_size.as_str(),
            w.dynamic_size.as_str()
        ),
        ("254", "16", "238")
    );
    // Static band 10.96.0.1-16 holds kubernetes; 10.96.0.200 is in the dynamic band.
    assert_eq!(
        (
            w.static_used.as_str(),
            w.static_free.as_str(),
            w.dynamic_used.as_str()
        ),
        ("1", "15", "1")
    );
    assert!(w.ready && k.ready && w.allocator);
    let j = serde_json::to_value(w).unwrap();
    assert_eq!(j["staticFree"], "15");
}

/// The shell's simulated `kube-apiserver` pseudo-command: step 6 and 7 typed
/// into the docs shell.
#[test]
fn the_shell_restarts_and_runs_a_second_apiserver() {
    use servicecidr_sim::Kubectl;
    let mut c = cluster("10.96.0.0/28");
    let o = c.run("kube-apiserver --service-cluster-ip-range=10.96.0.0/28,fd00::/120");
    let want = format!(
        "kube-apiserver (simulated): kube-apiserver v{} running with --service-cluster-ip-range=10.96.0.0/28,fd00::/120\n",
        c.version()
    );
    assert_eq!((o.stdout.as_str(), o.exit_code), (want.as_str(), 0));
    let o = c.run("kube-apiserver --name=new --service-cluster-ip-range 10.97.0.0/28,fd00::/120 && kube-apiserver --stop=kube-apiserver");
    assert_eq!(o.exit_code, 0, "{}", o.output);
    assert_eq!(c.apiservers()[0].name, "new");
    let o = c.run("kube-apiserver --service-cluster-ip-range=10.96.0.0/28,10.97.0.0/28");
    assert_eq!(
        (o.stderr.as_str(), o.exit_code),
        ("kube-apiserver (simulated): --service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family\n", 1)
    );
}

/// Instances survive snapshot/restore, and a restored cluster keeps running both.
#[test]
fn apiserver_instances_survive_snapshot_and_restore() {
    let mut c = cluster("10.96.0.0/28");
    c.start_apiserver("second", "10.97.0.0/28").unwrap();
    let back = Cluster::restore(c.snapshot()).unwrap();
    assert_eq!(back.apiservers(), c.apiservers());
    assert_eq!(back.apiservers().len(), 2);
}

/// An upgrade by restart: the new release serves the stored objects in its
/// preferred version (v1beta1 on 1.32, v1 from 1.33, reference §10).
#[test]
fn restart_with_a_newer_version_serves_its_api_version() {
    let mut c = Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.96.0.0/28".into()),
        seed: Some(7.0),
        now: Some(json!("2026-11-01T08:00:00Z")),
        version: Some("1.32".into()),
        ..Default::default()
    })
    .unwrap();
    let v =
        |c: &mut Cluster| c.get("servicecidr", "kubernetes", None).unwrap()["apiVersion"].clone();
    assert_eq!(v(&mut c), "networking.k8s.io/v1beta1");
    let a = c.restart_apiserver("10.96.0.0/28", Some("1.33")).unwrap();
    assert!(a.version.starts_with("1.33."));
    assert_eq!(v(&mut c), "networking.k8s.io/v1");
    let ip = c.get("ipaddress", "10.96.0.1", None).unwrap();
    assert_eq!(ip["apiVersion"], "networking.k8s.io/v1");
}
