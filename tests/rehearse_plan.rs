#![cfg(not(target_arch = "wasm32"))]
//! Issue #15: `plan_range_change` on each of the task page's four categories,
//! and each plan run step by step ends in the state it predicted: every
//! Service inside a ServiceCIDR of the new flags' families and `kubernetes`
//! holding exactly the new flags.

use serde_json::{json, Value};
use servicecidr_sim::cluster::plan::{Plan, PlanAction, PlanCategory};
use servicecidr_sim::net::{parse_cidr, parse_service_ip};
use servicecidr_sim::{Cluster, ClusterOptions};

fn cluster(range: &str) -> Cluster {
    let mut c = Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some(range.into()),
        seed: Some(3.0),
        now: Some(json!("2026-11-01T08:00:00Z")),
        ..Default::default()
    })
    .expect("cluster");
    for i in 0..6 {
        let mut svc = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": format!("s{i}"), "namespace": "default"},
            "spec": {"ports": [{"port": 80}], "selector": {"app": "x"}}});
        if range.contains(',') && i % 2 == 0 {
            svc["spec"]["ipFamilyPolicy"] = json!("PreferDualStack");
        }
        c.create(svc).expect("service");
    }
    c
}

fn run(c: &mut Cluster, plan: &Plan) {
    for s in &plan.steps {
        c.run_plan_step(s)
            .unwrap_or_else(|e| panic!("{}: {}", s.description, e.message));
    }
}

/// The state the plan promises.
fn assert_reached(c: &mut Cluster, plan: &Plan) {
    let want: Vec<Value> = plan.proposed.split(',').map(|s| json!(s)).collect();
    let got = c.get("servicecidr", "kubernetes", None).unwrap();
    assert_eq!(
        got["spec"]["cidrs"],
        Value::Array(want),
        "{:?}",
        plan.category
    );
    let ranges: Vec<_> = plan
        .proposed
        .split(',')
        .map(|s| parse_cidr(s).unwrap())
        .collect();
    for svc in c.list("services", None).unwrap() {
        for ip in svc["spec"]["clusterIPs"].as_array().unwrap() {
            let a = parse_service_ip(ip.as_str().unwrap()).unwrap();
            assert!(
                ranges.iter().any(|p| p.family() == a.family),
                "{:?}: {} keeps {a}",
                plan.category,
                svc["metadata"]["name"]
            );
        }
    }
    for r in &plan.recreate {
        let svc = c.get("services", &r.name, Some(&r.namespace)).unwrap();
        for ip in svc["spec"]["clusterIPs"].as_array().unwrap() {
            let a = parse_service_ip(ip.as_str().unwrap()).unwrap();
            assert!(ranges.iter().any(|p| p.contains_service_ip(a)), "{a}");
        }
    }
    let repair_warnings = c
        .events()
        .iter()
        .filter(|e| e.reporting_controller == "ipallocator-repair-controller")
        .count();
    assert_eq!(repair_warnings, 0, "no IP was ever held twice or leaked");
}

#[test]
fn extend() {
    let mut c = cluster("10.96.0.0/28");
    let plan = c.plan_range_change("10.96.0.0/24").unwrap();
    assert_eq!(plan.category, PlanCategory::Extend);
    assert!(plan.recreate.is_empty());
    assert_eq!(plan.steps.len(), 1, "one ServiceCIDR, no restart");
    run(&mut c, &plan);
    let sc = c.get("servicecidr", "reconfigure-target", None).unwrap();
    assert_eq!(sc["spec"]["cidrs"], json!(["10.96.0.0/24"]));
}

#[test]
fn single_to_dual() {
    let mut c = cluster("10.96.0.0/28");
    let plan = c.plan_range_change("10.96.0.0/28,fd00::/120").unwrap();
    assert_eq!(plan.category, PlanCategory::SingleToDual);
    assert!(plan.recreate.is_empty());
    run(&mut c, &plan);
    assert_reached(&mut c, &plan);
}

#[test]
fn dual_to_single() {
    let mut c = cluster("10.96.0.0/28,fd00::/120");
    let plan = c.plan_range_change("10.96.0.0/28").unwrap();
    assert_eq!(plan.category, PlanCategory::DualToSingle);
    let names: Vec<_> = plan.recreate.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["s0", "s2", "s4"], "the PreferDualStack ones");
    assert!(plan.recreate[0]
        .reason
        .ends_with("is IPv6, a family the new flags drop"));
    assert_eq!(plan.blocked.len(), 1, "`kubernetes` is blocked now");
    run(&mut c, &plan);
    assert_reached(&mut c, &plan);
}

#[test]
fn replace_primary() {
    let mut c = cluster("10.96.0.0/28");
    let plan = c.plan_range_change("10.97.0.0/28").unwrap();
    assert_eq!(plan.category, PlanCategory::ReplacePrimary);
    // Six Services and kube-dns; kubernetes.default is step 7's.
    assert_eq!(plan.recreate.len(), 7);
    assert!(plan.recreate.iter().all(|r| r.name != "kubernetes"));
    run(&mut c, &plan);
    assert_reached(&mut c, &plan);
    let svc = c.get("services", "kubernetes", Some("default")).unwrap();
    assert_eq!(svc["spec"]["clusterIP"], "10.97.0.1");
    assert!(c.get("servicecidr", "reconfigure-target", None).is_err());
}

#[test]
fn unchanged_and_refused() {
    let c = cluster("10.96.0.0/28");
    let plan = c.plan_range_change("10.96.0.0/28").unwrap();
    assert_eq!(plan.category, PlanCategory::Unchanged);
    assert!(plan.steps.is_empty());
    assert!(c.plan_range_change("nonsense").is_err());
}

/// A recreate step whose create would be refused (here by a policy) fails before
/// its delete: the Service keeps its object and its address. A full new range is not
/// caught this way: a dry-run allocation always succeeds, as upstream's does.
#[test]
fn a_refused_recreate_leaves_the_service_alone() {
    let mut c = cluster("10.96.0.0/24");
    c.set_validating_admission(Some(servicecidr_sim::cel::cel_admission()));
    let policy = json!({"apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicy", "metadata": {"name": "keep-s3"},
        "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": [""],
            "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["services"]}]},
            "validations": [{"expression": "object.metadata.name != 's3'", "message": "s3 stays"}]}});
    let binding = json!({"apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": "keep-s3"},
        "spec": {"policyName": "keep-s3", "validationActions": ["Deny"]}});
    c.create(policy).unwrap();
    c.create(binding).unwrap();
    let before = c.get("service", "s3", Some("default")).unwrap();
    let plan = c.plan_range_change("10.100.0.0/24").unwrap();
    let mut failed = None;
    for s in &plan.steps {
        if let Err(e) = c.run_plan_step(s) {
            failed = Some((s.clone(), e));
            break;
        }
    }
    let (step, err) = failed.expect("the recreate of s3 is refused");
    assert!(
        err.message.ends_with("denied request: s3 stays"),
        "{}",
        err.message
    );
    assert!(
        matches!(&step.action, PlanAction::RecreateService { name, .. } if name == "s3"),
        "{step:?}"
    );
    assert_eq!(c.get("service", "s3", Some("default")).unwrap(), before);
}
