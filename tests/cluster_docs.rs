#![cfg(not(target_arch = "wasm32"))]
// Native tests: the wasm build runs tests/wasm_*.rs instead.
//! The "Extend Service IP Ranges" walk-through through the core API, on the
//! docs page's 10.96.0.0/28 cluster (kube-dns at .10, as kubeadm and kind have it).

use serde_json::{json, Value};
use servicecidr_sim::{Cluster, ClusterOptions};

const T0: &str = "2026-01-01T00:00:00Z";

pub fn cluster(range: &str, seed: u64) -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some(range.into()),
        seed: Some(seed as f64),
        now: Some(json!(T0)),
        ..Default::default()
    })
    .expect("cluster")
}

fn svc(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": name, "labels": {"app": name}},
           "spec": {"ports": [{"name": "80", "port": 80, "protocol": "TCP", "targetPort": 80}],
                    "selector": {"app": name}, "type": "ClusterIP"}})
}

fn ip_value(ip: &str) -> u32 {
    ip.parse::<std::net::Ipv4Addr>()
        .map(u32::from)
        .expect("ipv4")
}

#[test]
fn bootstrap_has_default_servicecidr_kubernetes_service_and_kube_dns() {
    let mut c = cluster("10.96.0.0/28", 1);
    let sc = c.get("servicecidr", "kubernetes", None).unwrap();
    assert_eq!(sc["spec"]["cidrs"], json!(["10.96.0.0/28"]));
    assert_eq!(
        sc["metadata"]["finalizers"],
        json!(["networking.k8s.io/service-cidr-finalizer"])
    );
    let cond = &sc["status"]["conditions"][0];
    assert_eq!(cond["type"], "Ready");
    assert_eq!(cond["status"], "True");
    assert_eq!(cond["reason"], "");
    assert_eq!(cond["message"], "Kubernetes Service CIDR is ready");

    let k = c.get("svc", "kubernetes", Some("default")).unwrap();
    assert_eq!(k["spec"]["clusterIP"], "10.96.0.1");
    assert_eq!(k["spec"]["ipFamilyPolicy"], "SingleStack");
    assert_eq!(
        k["spec"]["ports"][0],
        json!({"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443})
    );
    assert_eq!(
        k["metadata"]["labels"],
        json!({"component": "apiserver", "provider": "kubernetes"})
    );

    let dns = c.get("services", "kube-dns", Some("kube-system")).unwrap();
    assert_eq!(dns["spec"]["clusterIP"], "10.96.0.10");

    let ip = c.get("ip", "10.96.0.1", None).unwrap();
    assert_eq!(ip["apiVersion"], "networking.k8s.io/v1");
    assert_eq!(
        ip["spec"]["parentRef"],
        json!({"resource": "services", "namespace": "default", "name": "kubernetes"})
    );
    assert_eq!(
        ip["metadata"]["labels"],
        json!({"ipaddress.kubernetes.io/ip-family": "IPv4", "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"})
    );
    assert!(
        c.events().is_empty(),
        "a healthy start emits no Events: {:?}",
        c.events()
    );
}

#[test]
fn without_kube_dns_the_tenth_address_is_free() {
    let mut c = Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.96.0.0/28".into()),
        seed: Some(3.0),
        now: Some(json!(T0)),
        kube_dns: Some(false),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(c.get("ip", "10.96.0.10", None).unwrap_err().code, 404);
    for i in 0..13 {
        c.create(svc(&format!("s{i}"))).unwrap();
    }
    assert_eq!(c.create(svc("s13")).unwrap_err().code, 500);
}

#[test]
fn docs_walkthrough_exhaust_extend_and_delete() {
    let mut c = cluster("10.96.0.0/28", 7);
    for i in 1..=12 {
        let s = c.create(svc(&format!("test-{i}"))).unwrap();
        let ip = s["spec"]["clusterIP"].as_str().unwrap().to_string();
        let v = ip_value(&ip);
        assert!(
            (ip_value("10.96.0.2")..=ip_value("10.96.0.14")).contains(&v),
            "{ip}"
        );
        assert_eq!(s["spec"]["clusterIPs"], json!([ip]));
        assert_eq!(
            c.get("ipaddress", &ip, None).unwrap()["spec"]["parentRef"]["name"],
            format!("test-{i}")
        );
    }
    let err = c.create(svc("test-13")).unwrap_err();
    assert_eq!(err.code, 500);
    assert_eq!(err.reason, "InternalError");
    assert_eq!(
        err.message,
        "Internal error occurred: failed to allocate a serviceIP: range is full"
    );

    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                    "metadata": {"name": "newcidr1"}, "spec": {"cidrs": ["10.96.0.0/24"]}}),
    )
    .unwrap();
    let sc = c.get("servicecidr", "newcidr1", None).unwrap();
    assert_eq!(
        sc["metadata"]["finalizers"],
        json!(["networking.k8s.io/service-cidr-finalizer"])
    );
    assert_eq!(sc["status"]["conditions"][0]["status"], "True");

    let mut new_ips = Vec::new();
    for i in 13..=16 {
        let s = c.create(svc(&format!("test-{i}"))).unwrap();
        let ip = s["spec"]["clusterIP"].as_str().unwrap().to_string();
        let v = ip_value(&ip);
        // Only the /24 has room, and its dynamic band starts after the 16-address static band.
        assert!(
            (ip_value("10.96.0.17")..=ip_value("10.96.0.254")).contains(&v),
            "{ip}"
        );
        new_ips.push(ip);
    }

    let deleted = c.delete("servicecidr", "newcidr1", None).unwrap();
    assert!(deleted["metadata"]["deletionTimestamp"].is_string());
    let sc = c.get("servicecidr", "newcidr1", None).unwrap();
    assert_eq!(sc["metadata"]["deletionGracePeriodSeconds"], 0);
    assert_eq!(
        sc["metadata"]["finalizers"],
        json!(["networking.k8s.io/service-cidr-finalizer"])
    );
    let cond = &sc["status"]["conditions"][0];
    assert_eq!(cond["status"], "False");
    assert_eq!(cond["reason"], "Terminating");
    assert_eq!(
        cond["message"],
        "There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR"
    );
    assert_eq!(
        cond["lastTransitionTime"],
        sc["metadata"]["deletionTimestamp"]
    );

    // Nothing new comes from a terminating ServiceCIDR: both ranges are full or unusable.
    assert_eq!(c.create(svc("extra")).unwrap_err().code, 500);
    c.settle();
    assert!(
        c.get("servicecidr", "newcidr1", None).is_ok(),
        "blocked while its IPs are in use"
    );

    for i in 13..=16 {
        c.delete("service", &format!("test-{i}"), None).unwrap();
    }
    for ip in &new_ips {
        assert_eq!(
            c.get("ip", ip, None).unwrap_err().code,
            404,
            "{ip} released"
        );
    }
    c.settle();
    let err = c.get("servicecidr", "newcidr1", None).unwrap_err();
    assert_eq!(err.code, 404);
    assert_eq!(
        err.message,
        "servicecidrs.networking.k8s.io \"newcidr1\" not found"
    );
}

#[test]
fn deletion_waits_ten_seconds_after_deletion_timestamp() {
    let mut c = cluster("10.96.0.0/28", 1);
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                    "metadata": {"name": "spare"}, "spec": {"cidrs": ["10.100.0.0/24"]}}),
    )
    .unwrap();
    c.delete("servicecidr", "spare", None).unwrap();
    c.advance(9.0).unwrap();
    let sc = c.get("servicecidr", "spare", None).unwrap();
    assert_eq!(
        sc["status"]["conditions"][0]["status"], "True",
        "the Ready condition is not touched on this path"
    );
    c.advance(1.0).unwrap();
    assert_eq!(c.get("servicecidr", "spare", None).unwrap_err().code, 404);
}

#[test]
fn the_default_servicecidr_is_blocked_by_the_kubernetes_service_and_comes_back() {
    let mut c = cluster("10.96.0.0/28", 1);
    c.delete("servicecidr", "kubernetes", None).unwrap();
    c.settle();
    let sc = c.get("servicecidr", "kubernetes", None).unwrap();
    assert_eq!(sc["status"]["conditions"][0]["reason"], "Terminating");
    // A bigger ServiceCIDR that contains it lets it go, and the apiserver recreates it.
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                    "metadata": {"name": "big"}, "spec": {"cidrs": ["10.96.0.0/16"]}}),
    )
    .unwrap();
    c.advance(10.0).unwrap();
    c.settle();
    let sc = c.get("servicecidr", "kubernetes", None).unwrap();
    assert!(
        sc["metadata"]["deletionTimestamp"].is_null(),
        "recreated: {sc}"
    );
    assert_eq!(sc["spec"]["cidrs"], json!(["10.96.0.0/28"]));
}

#[test]
fn a_failed_call_changes_nothing() {
    let mut c = cluster("10.96.0.0/28", 5);
    for i in 0..12 {
        c.create(svc(&format!("s{i}"))).unwrap();
    }
    let before = c.snapshot();
    assert!(c.create(svc("s12")).is_err());
    assert!(c.create(svc("s0")).is_err(), "AlreadyExists");
    assert!(c
        .create(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                            "metadata": {"name": "bad"}, "spec": {"cidrs": ["garbage"]}})
        )
        .is_err());
    assert!(c.delete("svc", "nope", None).is_err());
    // The trace is an audit log: it records the refused requests too (who asked,
    // what, the answer). Everything else is exactly as before.
    let without_trace = |mut s: serde_json::Value| {
        let m = s.as_object_mut().unwrap();
        m.remove("trace");
        m.remove("traceSeq");
        s
    };
    assert_eq!(without_trace(c.snapshot()), without_trace(before));
    let refused: Vec<_> = c
        .trace(None)
        .into_iter()
        .filter(|t| {
            t.details["request"]["code"]
                .as_u64()
                .is_some_and(|code| code >= 400)
        })
        .map(|t| t.message)
        .collect();
    assert_eq!(
        refused,
        [
            "kubernetes-admin create services default/s12: 500",
            // The range is full: allocation (BeginCreate) fails before the store
            // could say AlreadyExists, as upstream's registry orders it.
            "kubernetes-admin create services default/s0: 500",
            "kubernetes-admin create servicecidrs bad: 422",
            "kubernetes-admin delete services default/nope: 404",
        ]
    );
}

#[test]
fn snapshot_restore_continues_identically() {
    let mut a = cluster("10.96.0.0/24", 11);
    for i in 0..5 {
        a.create(svc(&format!("a{i}"))).unwrap();
    }
    let snap = a.snapshot();
    let text = serde_json::to_string(&snap).unwrap();
    let mut b = Cluster::restore(serde_json::from_str(&text).unwrap()).unwrap();
    assert_eq!(b.snapshot(), snap);
    for i in 5..10 {
        let x = a.create(svc(&format!("a{i}"))).unwrap();
        let y = b.create(svc(&format!("a{i}"))).unwrap();
        assert_eq!(x, y);
    }
    assert_eq!(a.snapshot(), b.snapshot());
}

#[test]
fn same_seed_same_addresses() {
    let mut a = cluster("10.96.0.0/16", 99);
    let mut b = cluster("10.96.0.0/16", 99);
    for i in 0..20 {
        assert_eq!(
            a.create(svc(&format!("x{i}"))).unwrap(),
            b.create(svc(&format!("x{i}"))).unwrap()
        );
    }
}

#[test]
fn leaked_ipaddress_is_cleaned_up_after_sixty_seconds() {
    let mut c = cluster("10.96.0.0/24", 2);
    c.create(json!({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
                    "metadata": {"name": "10.96.0.77", "labels": {
                        "ipaddress.kubernetes.io/ip-family": "IPv4",
                        "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"}},
                    "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "ghost"}}}))
        .unwrap();
    c.advance(59.0).unwrap();
    assert!(c.get("ip", "10.96.0.77", None).is_ok());
    c.advance(2.0).unwrap();
    assert_eq!(c.get("ip", "10.96.0.77", None).unwrap_err().code, 404);
    let ev = serde_json::to_value(c.events()).unwrap();
    let last = ev.as_array().unwrap().last().unwrap();
    assert_eq!(last["reason"], "IPAddressNotAllocated");
    assert_eq!(last["action"], "IPAddressAllocation");
    assert_eq!(
        last["note"],
        "IPAddress: 10.96.0.77 for Service default/ghost appears to have leaked: cleaning up"
    );
    assert_eq!(last["type"], "Warning");
    assert_eq!(last["reportingController"], "ipallocator-repair-controller");
}

#[test]
fn deleted_ipaddress_of_a_live_service_is_repaired_on_resync() {
    let mut c = cluster("10.96.0.0/24", 2);
    let s = c.create(svc("web")).unwrap();
    let ip = s["spec"]["clusterIP"].as_str().unwrap().to_string();
    c.delete("ip", &ip, None).unwrap();
    c.advance(180.0).unwrap();
    assert!(
        c.get("ip", &ip, None).is_ok(),
        "recreated by the repair loop"
    );
    let last = serde_json::to_value(c.events().last().unwrap()).unwrap();
    assert_eq!(last["reason"], "ClusterIPNotAllocated");
    assert_eq!(
        last["note"],
        format!("Cluster IP [IPv4]: {ip} is not allocated; repairing")
    );
}

#[test]
fn static_allocation_errors_are_invalid_with_upstream_texts() {
    let mut c = cluster("10.96.0.0/24", 2);
    let mut s = svc("pinned");
    s["spec"]["clusterIP"] = json!("10.96.0.1");
    let e = c.create(s).unwrap_err();
    assert_eq!(e.code, 422);
    assert_eq!(
        e.message,
        "Service \"pinned\" is invalid: spec.clusterIPs: Invalid value: [\"10.96.0.1\"]: failed to allocate IP 10.96.0.1: provided IP is already allocated"
    );
    let mut s = svc("outside");
    s["spec"]["clusterIP"] = json!("10.200.0.5");
    let e = c.create(s).unwrap_err();
    assert_eq!(
        e.message,
        "Service \"outside\" is invalid: spec.clusterIPs: Invalid value: [\"10.200.0.5\"]: failed to allocate IP 10.200.0.5: the provided network does not match the current range"
    );
    let mut s = svc("lower");
    s["spec"]["clusterIP"] = json!("10.96.0.5");
    assert_eq!(
        c.create(s).unwrap()["spec"]["clusterIPs"],
        json!(["10.96.0.5"])
    );
}

#[test]
fn dual_stack_cluster_allocates_both_families() {
    let mut c = cluster("10.96.0.0/24,fd00::/112", 4);
    let mut s = svc("dual");
    s["spec"]["ipFamilyPolicy"] = json!("PreferDualStack");
    let out = c.create(s).unwrap();
    assert_eq!(out["spec"]["ipFamilies"], json!(["IPv4", "IPv6"]));
    let ips = out["spec"]["clusterIPs"].as_array().unwrap();
    assert_eq!(ips.len(), 2);
    assert!(ips[1].as_str().unwrap().starts_with("fd00::"));
    let sc = c.get("servicecidr", "kubernetes", None).unwrap();
    assert_eq!(sc["spec"]["cidrs"], json!(["10.96.0.0/24", "fd00::/112"]));
    // Downgrade releases the secondary.
    let mut cur = out.clone();
    cur["spec"]["ipFamilyPolicy"] = json!("SingleStack");
    cur["spec"]["ipFamilies"] = json!(["IPv4"]);
    cur["spec"]["clusterIPs"] = json!([ips[0]]);
    let down = c.update(cur).unwrap();
    assert_eq!(down["spec"]["clusterIPs"].as_array().unwrap().len(), 1);
    assert_eq!(
        c.get("ip", ips[1].as_str().unwrap(), None)
            .unwrap_err()
            .code,
        404
    );
}

#[test]
fn require_dual_stack_on_single_stack_cluster_is_refused() {
    let mut c = cluster("10.96.0.0/24", 4);
    let mut s = svc("dual");
    s["spec"]["ipFamilyPolicy"] = json!("RequireDualStack");
    let e = c.create(s).unwrap_err();
    assert_eq!(e.code, 422);
    assert!(
        e.message
            .contains("this cluster is not configured for dual-stack services"),
        "{}",
        e.message
    );
}

#[test]
fn watch_reports_changes_in_order() {
    let mut c = cluster("10.96.0.0/24", 4);
    let rv = c.resource_version();
    c.create(svc("w")).unwrap();
    let evs = c.watch(Some(&rv)).unwrap();
    let kinds: Vec<(String, String)> = evs
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_string(),
                e["object"]["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(kinds[0], ("ADDED".to_string(), "IPAddress".to_string()));
    assert_eq!(kinds[1], ("ADDED".to_string(), "Service".to_string()));
}

#[test]
fn bad_options_are_refused_with_apiserver_texts() {
    let e = Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.0.0.0/24,10.1.0.0/24".into()),
        ..Default::default()
    })
    .err()
    .unwrap();
    assert_eq!(e.message, "--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family");
    let e = Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.0.0.0/30".into()),
        ..Default::default()
    })
    .err()
    .unwrap();
    assert_eq!(
        e.message,
        "the service cluster IP range must be at least 8 IP addresses"
    );
}

#[test]
fn allocator_state_reports_bands_and_usage_from_the_allocator() {
    let mut c = cluster("10.96.0.0/24", 1);
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                    "metadata": {"name": "tiny"}, "spec": {"cidrs": ["10.200.0.0/31"]}}),
    )
    .unwrap();
    let state = serde_json::to_value(c.allocator_state()).unwrap();
    let by_cidr = |cidr: &str| {
        state
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["cidr"] == cidr)
            .cloned()
            .unwrap()
    };
    let k = by_cidr("10.96.0.0/24");
    assert_eq!(k["serviceCIDRs"], json!(["kubernetes"]));
    assert_eq!(k["ready"], true);
    assert_eq!(
        (k["first"].as_str(), k["last"].as_str()),
        (Some("10.96.0.1"), Some("10.96.0.254"))
    );
    assert_eq!(
        (k["size"].as_str(), k["offset"].as_str()),
        (Some("254"), Some("16"))
    );
    assert_eq!(k["staticBand"], json!(["10.96.0.1", "10.96.0.16"]));
    assert_eq!(k["dynamicBand"], json!(["10.96.0.17", "10.96.0.254"]));
    assert_eq!(k["used"], "2", "kubernetes and kube-dns");
    let t = by_cidr("10.200.0.0/31");
    assert_eq!(
        (t["staticBand"].clone(), t["dynamicBand"].clone()),
        (Value::Null, Value::Null),
        "a /31 has no usable address"
    );
}

#[test]
fn pending_work_lists_timers_in_due_order() {
    let mut c = cluster("10.96.0.0/24", 1);
    c.create(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                    "metadata": {"name": "spare"}, "spec": {"cidrs": ["10.100.0.0/24"]}}),
    )
    .unwrap();
    c.delete("servicecidr", "spare", None).unwrap();
    let work = serde_json::to_value(c.pending_work()).unwrap();
    assert_eq!(work[0]["controller"], "service-cidr-controller");
    assert_eq!(work[0]["key"], "spare");
    assert_eq!(
        work[0]["due"], "2026-01-01T00:00:10.000000Z",
        "the 10 s deletion grace"
    );
    assert_eq!(
        work.as_array().unwrap().last().unwrap()["key"],
        "resync",
        "the repair loop's periodic resync"
    );
}

#[test]
fn the_kubernetes_service_comes_back_at_the_next_reconcile_tick() {
    let mut c = cluster("10.96.0.0/24", 1);
    c.advance(3.0).unwrap();
    c.delete("svc", "kubernetes", Some("default")).unwrap();
    assert_eq!(
        c.get("svc", "kubernetes", Some("default"))
            .unwrap_err()
            .code,
        404
    );
    c.advance(6.0).unwrap();
    assert_eq!(
        c.get("svc", "kubernetes", Some("default"))
            .unwrap_err()
            .code,
        404,
        "9 s after start: not yet"
    );
    c.advance(1.0).unwrap();
    let k = c.get("svc", "kubernetes", Some("default")).unwrap();
    assert_eq!(k["spec"]["clusterIP"], "10.96.0.1");
    assert_eq!(k["metadata"]["creationTimestamp"], "2026-01-01T00:00:10Z");
}

#[test]
fn watch_from_a_compacted_position_is_410_expired() {
    let mut c = cluster("10.96.0.0/16", 1);
    for i in 0..(servicecidr_sim::cluster::WATCH_LOG_LIMIT / 2 + 10) {
        c.create(svc(&format!("w{i}"))).unwrap();
    }
    let e = c.watch(Some("1")).unwrap_err();
    assert_eq!((e.code, e.reason.as_str()), (410, "Expired"));
    assert!(
        e.message.starts_with("too old resource version: 1 ("),
        "{}",
        e.message
    );
    let rv = c.resource_version();
    assert!(
        c.watch(Some(&rv)).unwrap().is_empty(),
        "nothing after the newest position"
    );
}

#[test]
fn status_update_changes_only_status() {
    let mut c = cluster("10.96.0.0/24", 1);
    let mut sc = c.get("servicecidr", "kubernetes", None).unwrap();
    sc["spec"]["cidrs"] = json!(["10.1.0.0/24"]);
    sc["metadata"]["labels"] = json!({"x": "y"});
    sc["status"]["conditions"][0]["message"] = json!("edited through /status");
    let out = c.update_status(sc).unwrap();
    assert_eq!(
        out["spec"]["cidrs"],
        json!(["10.96.0.0/24"]),
        "spec is kept from the stored object"
    );
    assert!(out["metadata"]["labels"].is_null(), "metadata is kept too");
    assert_eq!(
        out["status"]["conditions"][0]["message"],
        "edited through /status"
    );
    // The controller owns the condition and puts it back on its next sync.
    let now = c.get("servicecidr", "kubernetes", None).unwrap();
    assert_eq!(
        now["status"]["conditions"][0]["message"],
        "Kubernetes Service CIDR is ready"
    );
}

#[test]
fn deleting_a_terminating_object_again_changes_nothing() {
    let mut c = cluster("10.96.0.0/28", 1);
    let first = c.delete("servicecidr", "kubernetes", None).unwrap();
    let again = c.delete("servicecidr", "kubernetes", None).unwrap();
    assert_eq!(
        first["metadata"]["deletionTimestamp"],
        again["metadata"]["deletionTimestamp"]
    );
    let now = c.get("servicecidr", "kubernetes", None).unwrap();
    let rv = now["metadata"]["resourceVersion"].clone();
    c.delete("servicecidr", "kubernetes", None).unwrap();
    assert_eq!(
        c.get("servicecidr", "kubernetes", None).unwrap()["metadata"]["resourceVersion"],
        rv
    );
}
