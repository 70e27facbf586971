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

/// The task's seven illustrative steps on the core API: after step 7 every
/// Service holds an address in the new range and `kubernetes` is rebuilt from
/// the new flags.
#[test]
fn the_seven_illustrative_steps() {
    // 1. kube-apiserver with the initial range; 2. Services in it.
    let mut c = cluster("10.96.0.0/28");
    for n in ["a", "b"] {
        c.create(service(n)).unwrap();
    }
    // 3. A new ServiceCIDR as the temporary target.
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
        "metadata": {"name": "new-cidr"}, "spec": {"cidrs": ["10.97.0.0/28"]}}),
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
    for n in ["a", "b"] {
        c.delete("service", n, Some("default")).unwrap();
        c.create(service(n)).unwrap();
        assert!(ip_of(&mut c, n).starts_with("10.97.0."), "{n}");
    }
    // 6. A kube-apiserver with the new flags, then the old one stops.
    let new = c
        .start_apiserver("kube-apiserver-new", "10.97.0.0/28")
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
    assert_eq!(c.config().service_cluster_ip_range, "10.97.0.0/28");
    assert_eq!(c.apiservers()[0].name, "kube-apiserver-new");
    // 7. Delete kubernetes.default: the new apiserver recreates it in the new range.
    c.delete("service", "kubernetes", Some("default")).unwrap();
    c.settle();
    assert_eq!(ip_of(&mut c, "kubernetes"), "10.97.0.1");
    // The old `kubernetes` ServiceCIDR lost its last IP, went away, and was
    // recreated from the new flags (reference §5.1).
    assert_eq!(cidrs(&mut c, "kubernetes"), json!(["10.97.0.0/28"]));
    for n in ["a", "b"] {
        assert!(ip_of(&mut c, n).starts_with("10.97.0."), "{n}");
    }
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
