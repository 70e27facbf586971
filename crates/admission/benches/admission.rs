//! Admission cost per request: a ServiceCIDR CREATE evaluated against 0, 1 and 10
//! ValidatingAdmissionPolicies (each the en page's allowed-ranges sample with its
//! binding, under distinct names), with the policies compiled once (`PolicySet`,
//! what the request path keeps between requests) and compiled per request
//! (`evaluate`). Admitted and refused requests both.
//!
//! Run: cargo bench -p servicecidr-admission --bench admission

use criterion::{BenchmarkId, Criterion};
use serde_json::{json, Value};
use servicecidr_admission::*;
use std::hint::black_box;
use std::time::Duration;

fn policy(i: usize) -> (Value, Value) {
    let mut p = json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": format!("servicecidrs.default-{i}")},
        "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": {"resourceRules": [{"apiGroups": ["networking.k8s.io"], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"], "resources": ["servicecidrs"]}]},
            "matchConditions": [{"name": "exclude-default-servicecidr", "expression": "object.metadata.name != 'kubernetes'"}],
            "variables": [{"name": "allowed", "expression": "['10.96.0.0/16','2001:db8::/64']"}],
            "validations": [{"expression": "object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))"}],
        },
    });
    set_policy_defaults(&mut p);
    let b = json!({"metadata": {"name": format!("servicecidrs-default-binding-{i}")},
        "spec": {"policyName": format!("servicecidrs.default-{i}"), "validationActions": ["Deny", "Audit"]}});
    (p, b)
}

fn request(cidrs: &[&str]) -> Attributes {
    Attributes {
        operation: Operation::Create,
        resource: GroupVersionResource::new("networking.k8s.io", "v1", "servicecidrs"),
        subresource: String::new(),
        kind: GroupVersionKind::new("networking.k8s.io", "v1", "ServiceCIDR"),
        name: "newcidr1".into(),
        namespace: String::new(),
        object: Some(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
            "metadata": {"name": "newcidr1"}, "spec": {"cidrs": cidrs}}),
        ),
        old_object: None,
        user_info: UserInfo {
            username: "kubernetes-admin".into(),
            groups: vec!["system:masters".into(), "system:authenticated".into()],
            ..Default::default()
        },
        dry_run: false,
        options: None,
    }
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    let admitted = request(&["2001:db8:0:0:ffff::/80", "10.96.0.0/20"]);
    let refused = request(&["172.20.0.0/16"]);
    let mut group = c.benchmark_group("admission");
    for n in [0usize, 1, 10] {
        let (policies, bindings): (Vec<Value>, Vec<Value>) = (0..n).map(policy).unzip();
        let set = PolicySet::new(&policies, &bindings);
        group.bench_with_input(BenchmarkId::new("compiled/admitted", n), &n, |b, _| {
            b.iter(|| black_box(set.evaluate(black_box(&admitted), &NoParams)))
        });
        group.bench_with_input(BenchmarkId::new("compiled/refused", n), &n, |b, _| {
            b.iter(|| black_box(set.evaluate(black_box(&refused), &NoParams)))
        });
        group.bench_with_input(
            BenchmarkId::new("per-request-compile/admitted", n),
            &n,
            |b, _| {
                b.iter(|| {
                    black_box(evaluate(
                        &policies,
                        &bindings,
                        black_box(&admitted),
                        &NoParams,
                    ))
                })
            },
        );
    }
    group.finish();
    c.final_summary();
}
