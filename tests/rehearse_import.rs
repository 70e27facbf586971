#![cfg(not(target_arch = "wasm32"))]
//! Issue #15: import a real cluster's export, restart kube-apiserver with new
//! flags, read capacity. The export is produced by the in-box kubectl from a
//! cluster built here, then edited into states a real cluster can reach and the
//! request path never writes (reference §6's repair cases).

use serde_json::{json, Value};
use servicecidr_sim::cluster::{
    AdmissionAttributes, AdmissionVerdict, ApiserverState, Operation, ValidatingAdmission,
    REPAIR_HOOK_FAILURE,
};
use servicecidr_sim::model::{ApiError, FieldError, Resource};
use servicecidr_sim::Kubectl;
use servicecidr_sim::{Cluster, ClusterOptions};

const START: &str = "2026-11-01T08:00:00Z";
/// The import happens a day later: every IPAddress is older than the 60 s leak grace.
const LATER: &str = "2026-11-02T08:00:00Z";
const NAMESPACES: [&str; 4] = ["default", "kube-system", "kube-public", "kube-node-lease"];

fn opts(now: &str) -> ClusterOptions {
    ClusterOptions {
        service_cluster_ip_range: Some("10.96.0.0/20".into()),
        seed: Some(15.0),
        now: Some(json!(now)),
        ..Default::default()
    }
}

fn kubectl_json(c: &mut Cluster, line: &str) -> Value {
    let o = c.kubectl(line, None);
    assert_eq!(o.exit_code, 0, "{line}: {}", o.stderr);
    serde_json::from_str(&o.stdout).expect("json")
}

fn export(c: &mut Cluster) -> Value {
    kubectl_json(
        c,
        "kubectl get services,servicecidrs,ipaddresses -A -o json",
    )
}

fn items(v: &mut Value) -> &mut Vec<Value> {
    v["items"].as_array_mut().expect("items")
}

fn key(o: &Value) -> (String, String, String) {
    let s = |p: &str| {
        o.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (s("/kind"), s("/metadata/namespace"), s("/metadata/name"))
}

/// 212 Services over four namespaces and four ServiceCIDRs, one of them
/// terminating (it still holds 10.102.0.5), exported by kubectl.
fn source_export() -> Value {
    let mut c = Cluster::new(opts(START)).expect("cluster");
    for (name, cidr) in [
        ("extra-a", "10.100.0.0/24"),
        ("extra-b", "10.101.0.0/25"),
        ("old-range", "10.102.0.0/28"),
    ] {
        c.create(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
            "metadata": {"name": name}, "spec": {"cidrs": [cidr]}}),
        )
        .expect("servicecidr");
    }
    c.create(json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "legacy", "namespace": "default"},
        "spec": {"clusterIP": "10.102.0.5", "ports": [{"port": 443}]}}))
        .expect("legacy");
    // Pinned ones first, so dynamic picks cannot take their addresses.
    let pinned = |i: &usize| i % 3 == 1 || (i % 3 == 2 && *i < 150);
    let order: Vec<usize> = (0..210)
        .filter(pinned)
        .chain((0..210).filter(|i| !pinned(i)))
        .collect();
    for i in order {
        let ns = NAMESPACES[i % 4];
        let mut svc = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": format!("app-{i:03}"), "namespace": ns, "labels": {"app": format!("app-{i:03}")}},
            "spec": {"ports": [{"port": 80, "targetPort": 8080}], "selector": {"app": format!("app-{i:03}")}}});
        // A third of them pinned in the extension ranges, the rest dynamic.
        if i % 3 == 1 {
            svc["spec"]["clusterIP"] = json!(format!("10.100.0.{}", 10 + i / 3));
        } else if i % 3 == 2 && i < 150 {
            svc["spec"]["clusterIP"] = json!(format!("10.101.0.{}", 10 + i / 3));
        }
        c.create(svc).expect("service");
    }
    c.delete("servicecidr", "old-range", None).expect("delete");
    c.advance(60.0).expect("advance");
    export(&mut c)
}

/// The edited export and what the first repair pass must say about it.
struct Case {
    export: Value,
    missing_ip: String,
    leaked_ip: String,
}

fn edited_export() -> Case {
    let mut e = source_export();
    let list = items(&mut e);
    // A leaked IPAddress: its Service was deleted while the apiserver was down.
    let gone = list
        .iter()
        .position(|o| key(o) == ("Service".into(), "kube-public".into(), "app-002".into()))
        .expect("app-002");
    let leaked_ip = list[gone]["spec"]["clusterIP"]
        .as_str()
        .unwrap()
        .to_string();
    list.remove(gone);
    // A Service IP whose IPAddress is missing (a pre-1.33 bitmap-era Service).
    let svc = list
        .iter()
        .find(|o| key(o) == ("Service".into(), "default".into(), "app-004".into()))
        .expect("app-004");
    let missing_ip = svc["spec"]["clusterIP"].as_str().unwrap().to_string();
    list.retain(|o| key(o) != ("IPAddress".into(), String::new(), missing_ip.clone()));
    // A Service whose IP is in no ServiceCIDR (its range was removed by hand).
    let mut outside = list
        .iter()
        .find(|o| key(o) == ("Service".into(), "kube-system".into(), "app-001".into()))
        .cloned()
        .expect("app-001");
    outside["metadata"]["name"] = json!("outside");
    outside["metadata"]["uid"] = json!("0c3f7d0e-15aa-4c3e-9a4e-000000000015");
    outside["spec"]["clusterIP"] = json!("10.200.0.7");
    outside["spec"]["clusterIPs"] = json!(["10.200.0.7"]);
    list.push(outside);
    assert!(list.iter().filter(|o| o["kind"] == "Service").count() >= 200);
    Case {
        export: e,
        missing_ip,
        leaked_ip,
    }
}

fn sorted(mut v: Value) -> Value {
    items(&mut v).sort_by_key(|o| {
        let order = match o["kind"].as_str() {
            Some("Service") => 0,
            Some("ServiceCIDR") => 1,
            _ => 2,
        };
        (order, key(o))
    });
    v
}

fn repair_events(c: &Cluster) -> Vec<(String, String, String, String)> {
    let mut v: Vec<_> = c
        .events()
        .iter()
        .filter(|e| e.reporting_controller == "ipallocator-repair-controller")
        .map(|e| {
            (
                e.reason.clone(),
                e.action.clone(),
                e.regarding.name.clone(),
                e.note.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

fn max_rv(e: &Value) -> u64 {
    e["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["metadata"]["resourceVersion"].as_str()?.parse().ok())
        .max()
        .unwrap()
}

#[test]
fn an_export_round_trips_through_kubectl_get_exactly() {
    let case = edited_export();
    let (mut c, report) = Cluster::from_objects(case.export.clone(), opts(LATER)).expect("import");
    assert_eq!(
        (report.services, report.service_cidrs, report.skipped.len()),
        (213, 4, 0)
    );
    assert_eq!(report.resource_version, max_rv(&case.export).to_string());
    assert_eq!(c.resource_version(), report.resource_version);
    assert_eq!(sorted(export(&mut c)), sorted(case.export));
    // The terminating ServiceCIDR is still terminating and allocates nothing.
    let old = c.get("servicecidr", "old-range", None).unwrap();
    assert!(old["metadata"]["deletionTimestamp"].is_string());
    assert_eq!(
        old["metadata"]["finalizers"],
        json!(["networking.k8s.io/service-cidr-finalizer"])
    );
}

/// Reference §6: the first pass after start-up judges every Service, then every
/// managed IPAddress; this export earns exactly three Warnings.
#[test]
fn the_first_repair_pass_emits_upstreams_events() {
    let case = edited_export();
    let (mut c, _) = Cluster::from_objects(case.export, opts(LATER)).expect("import");
    assert_eq!(c.apiservers()[0].state, ApiserverState::Starting);
    c.reconcile();
    assert_eq!(c.apiservers()[0].state, ApiserverState::Running);
    let want = vec![
        (
            "ClusterIPNotAllocated".to_string(),
            "ClusterIPAllocation".to_string(),
            "app-004".to_string(),
            format!("Cluster IP [IPv4]: {} is not allocated; repairing", case.missing_ip),
        ),
        (
            "ClusterIPOutOfRange".into(),
            "ClusterIPAllocation".into(),
            "outside".into(),
            "Cluster IP [IPv4]: 10.200.0.7 is not within any configured Service CIDR; please recreate service".into(),
        ),
        (
            "IPAddressNotAllocated".into(),
            "IPAddressAllocation".into(),
            case.leaked_ip.clone(),
            format!(
                "IPAddress: {} for Service kube-public/app-002 appears to have leaked: cleaning up",
                case.leaked_ip
            ),
        ),
    ];
    assert_eq!(repair_events(&c), want);
    // Repaired: the missing IPAddress exists for its Service, the leak is gone,
    // the out-of-range address is left alone.
    let ip = c
        .get("ipaddress", &case.missing_ip, None)
        .expect("recreated");
    assert_eq!(ip["spec"]["parentRef"]["name"], "app-004");
    assert!(c.get("ipaddress", &case.leaked_ip, None).is_err());
    assert!(c.get("ipaddress", "10.200.0.7", None).is_err());
}

/// A cluster upgraded to 1.33 from the bitmap era has no IPAddresses: the first
/// pass creates one per in-range ClusterIP, each with ClusterIPNotAllocated.
#[test]
fn a_pre_1_33_export_gets_an_ipaddress_per_service() {
    let mut e = source_export();
    items(&mut e).retain(|o| o["kind"] != "IPAddress");
    let services = e["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "Service")
        .count();
    let (mut c, report) = Cluster::from_objects(e, opts(LATER)).expect("import");
    assert_eq!(report.ip_addresses, 0);
    c.reconcile();
    let ev = repair_events(&c);
    assert_eq!(ev.len(), services);
    assert!(ev.iter().all(|e| e.0 == "ClusterIPNotAllocated"));
    assert_eq!(c.list("ipaddresses", None).unwrap().len(), services);
}

#[test]
fn unknown_kinds_are_reported_not_dropped_silently() {
    let input = json!([
        {"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"}}
        ]},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"namespace": "default"}}
    ]);
    let (_, report) = Cluster::from_objects(input, opts(LATER)).expect("import");
    let kinds: Vec<_> = report
        .skipped
        .iter()
        .map(|s| (s.kind.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Deployment", "a kind this simulator does not model"),
            ("Service", "metadata.name is missing")
        ]
    );
    assert!(Cluster::from_objects(json!("nope"), opts(LATER)).is_err());
}

/// Namespaces the model does not create are kept for Services read from an export.
#[test]
fn services_of_any_namespace_are_kept() {
    let input = json!({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop",
            "uid": "5f0c0b5e-1111-4c3e-9a4e-000000000001", "resourceVersion": "912",
            "creationTimestamp": "2026-10-01T00:00:00Z"},
         "spec": {"clusterIP": "10.96.3.4", "clusterIPs": ["10.96.3.4"], "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack", "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
            "sessionAffinity": "None", "type": "ClusterIP"},
         "status": {"loadBalancer": {}}}
    ]});
    let (mut c, report) = Cluster::from_objects(input.clone(), opts(LATER)).expect("import");
    assert_eq!(
        (report.services, report.resource_version.as_str()),
        (1, "912")
    );
    let got = kubectl_json(&mut c, "kubectl get services -A -o json");
    assert_eq!(got["items"], input["items"]);
}

/// An admission plugin that is not ready yet (kubernetes#136288): every write
/// of system:apiserver to IPAddresses is Forbidden.
struct NotReady;

impl ValidatingAdmission for NotReady {
    fn validate(&mut self, _: &Cluster, a: &AdmissionAttributes) -> AdmissionVerdict {
        let denied = (a.resource == Resource::IPAddresses && a.operation == Operation::Create)
            .then(|| {
                ApiError::new(
                    403,
                    "Forbidden",
                    format!("ipaddresses.networking.k8s.io {:?} is forbidden: not yet ready to handle request", a.name),
                )
            });
        AdmissionVerdict {
            denied,
            ..Default::default()
        }
    }
    fn default_object(&self, _: Resource, _: &mut Value) {}
    fn validate_object(&self, _: Resource, _: &Value, _: Option<&Value>) -> Vec<FieldError> {
        Vec::new()
    }
}

/// Reference §6 / kubernetes#136288: a first pass that cannot create an
/// IPAddress never succeeds, and the post-start hook fails the apiserver.
#[test]
fn a_first_pass_that_cannot_write_fails_the_start_with_upstreams_message() {
    let mut e = source_export();
    items(&mut e).retain(|o| o["kind"] != "IPAddress");
    let (mut c, _) = Cluster::from_objects(e, opts(LATER)).expect("import");
    c.set_validating_admission(Some(Box::new(NotReady)));
    let err = c.restart_apiserver("10.96.0.0/20", None).unwrap_err();
    assert_eq!(err.message, REPAIR_HOOK_FAILURE);
    assert_eq!(
        REPAIR_HOOK_FAILURE,
        "PostStartHook \"start-service-ip-repair-controllers\" failed: unable to perform initial IP and Port allocation check"
    );
    let a = &c.apiservers()[0];
    assert_eq!(a.state, ApiserverState::Failed);
    // Once the plugin is ready the same restart succeeds.
    c.set_validating_admission(None);
    assert_eq!(
        c.restart_apiserver("10.96.0.0/20", None).unwrap().state,
        ApiserverState::Running
    );
}
