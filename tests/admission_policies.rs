//! The en page's ValidatingAdmissionPolicy samples, end to end through the
//! request path with the CEL evaluator linked natively (issue #13).

mod common;

use common::cluster;
use serde_json::{json, Value};
use servicecidr_sim::cel::cel_admission;
use servicecidr_sim::cluster::{PolicyDecisionRecord, UserInfo, WriteOptions};
use servicecidr_sim::Cluster;

const DEFAULT_SAMPLE: &str =
    include_str!("../crates/admission/tests/data/vap-servicecidr-default.yaml");
const DENY_SAMPLE: &str = include_str!("../crates/admission/tests/data/vap-servicecidr-deny.yaml");

fn cidr(name: &str, cidrs: &[&str]) -> Value {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
           "metadata": {"name": name}, "spec": {"cidrs": cidrs}})
}

fn with_policy(seed: f64, yaml: &str) -> Cluster {
    with_policy_after(seed, yaml, &[])
}

/// A cluster that holds `before` (created with no policy in place), then the sample.
fn with_policy_after(seed: f64, yaml: &str, before: &[Value]) -> Cluster {
    let mut c = cluster(seed);
    for o in before {
        c.create(o.clone()).expect("created before the policy");
    }
    c.set_validating_admission(Some(cel_admission()));
    for doc in servicecidr_sim::kubectl::manifest::parse_manifests(yaml).expect("yaml") {
        c.create(doc).expect("policy objects are admitted");
    }
    c
}

#[test]
fn allowed_ranges_policy_admits_and_denies_as_the_page_says() {
    let mut c = with_policy(1.0, DEFAULT_SAMPLE);
    let p = c
        .get("validatingadmissionpolicy", "servicecidrs.default", None)
        .unwrap();
    assert_eq!(p["metadata"]["generation"], 1);
    assert_eq!(
        p["spec"]["matchConstraints"]["matchPolicy"], "Equivalent",
        "defaulted"
    );
    c.create(cidr("newcidr1", &["10.96.1.0/24"])).unwrap();
    c.create(cidr("dual", &["2001:db8:0:0:ffff::/80", "10.96.0.0/20"]))
        .unwrap();
    let err = c.create(cidr("outside", &["172.20.0.0/16"])).unwrap_err();
    assert_eq!(err.code, 422);
    assert_eq!(err.reason, "Invalid");
    assert_eq!(
        err.message,
        "servicecidrs.networking.k8s.io \"outside\" is forbidden: ValidatingAdmissionPolicy 'servicecidrs.default' with binding 'servicecidrs-default-binding' denied request: failed expression: object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))"
    );
    assert!(
        c.get("servicecidr", "outside", None).is_err(),
        "nothing stored"
    );
}

#[test]
fn deny_policy_refuses_everyone_but_the_apiservers_own_write() {
    // A wider range, made before the policy, covers `kubernetes`' IPs so it may go.
    let mut c = with_policy_after(2.0, DENY_SAMPLE, &[cidr("cover", &["10.96.0.0/24"])]);
    let err = c.create(cidr("newcidr1", &["10.96.1.0/24"])).unwrap_err();
    assert!(
        err.message
            .ends_with("denied request: you can only create or update the default ServiceCIDR"),
        "{}",
        err.message
    );
    // `kubernetes` itself: the admin's update fails the second validation, the
    // apiserver's own identity (system:apiserver in system:masters) passes both.
    let mut live = c.get("servicecidr", "kubernetes", None).unwrap();
    live["metadata"]["labels"] = json!({"touched": "yes"});
    let err = c.update(live.clone()).unwrap_err();
    assert!(
        err.message
            .ends_with("denied request: you can not create or update ServiceCIDR objects"),
        "{}",
        err.message
    );
    let as_apiserver = WriteOptions {
        user: UserInfo::apiserver(),
        ..Default::default()
    };
    c.update_with(live, &as_apiserver).unwrap();
    // Faithful consequence: kube-controller-manager's ServiceCIDR controller
    // removes the finalizer with an UPDATE under its own service account, which
    // this policy refuses, so a deleted `kubernetes` stays Terminating. (Its
    // status writes go to servicecidrs/status, which the rule does not match.)
    c.delete("servicecidr", "kubernetes", None).unwrap();
    c.advance(20.0).unwrap();
    let sc = c.get("servicecidr", "kubernetes", None).unwrap();
    assert!(sc["metadata"]["deletionTimestamp"].is_string(), "{sc}");
    let refused = c
        .trace(None)
        .into_iter()
        .map(|t| t.message)
        .any(|m| {
            m == "system:serviceaccount:kube-system:service-cidrs-controller update servicecidrs kubernetes: 422"
        });
    assert!(refused, "the controller's finalizer removal is refused");
}

#[test]
fn the_samples_apply_with_the_in_box_kubectl() {
    use servicecidr_sim::Kubectl;
    let mut c = cluster(3.0);
    c.set_validating_admission(Some(cel_admission()));
    let o = c.kubectl("apply -f -", Some(DEFAULT_SAMPLE));
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
        (
            "validatingadmissionpolicy.admissionregistration.k8s.io/servicecidrs.default created\nvalidatingadmissionpolicybinding.admissionregistration.k8s.io/servicecidrs-default-binding created\n",
            "",
            0
        )
    );
    let o = c.kubectl("get validatingadmissionpolicy", None);
    assert_eq!(o.stdout, "NAME                   VALIDATIONS   PARAMKIND   AGE\nservicecidrs.default   1             <unset>     0s\n", "{o:?}");
    let m = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: outside\nspec:\n  cidrs:\n  - 172.20.0.0/16\n";
    let o = c.kubectl("apply -f -", Some(m));
    assert_eq!(o.exit_code, 1);
    assert_eq!(
        o.stderr,
        "The servicecidrs \"outside\" is invalid: : ValidatingAdmissionPolicy 'servicecidrs.default' with binding 'servicecidrs-default-binding' denied request: failed expression: object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))\n"
    );
}

#[test]
fn a_refused_request_is_traced_with_its_policy_binding_and_requester() {
    let mut c = with_policy(4.0, DEFAULT_SAMPLE);
    c.create(cidr("outside", &["172.20.0.0/16"])).unwrap_err();
    let records: Vec<_> = c
        .trace(None)
        .into_iter()
        .filter_map(|t| PolicyDecisionRecord::from_trace(&t))
        .collect();
    let refused: Vec<_> = records.iter().filter(|r| r.refused).collect();
    assert_eq!(refused.len(), 1, "{records:?}");
    let r = refused[0];
    assert_eq!(
        (
            r.policy.as_str(),
            r.binding.as_deref(),
            r.validation_actions.clone()
        ),
        (
            "servicecidrs.default",
            Some("servicecidrs-default-binding"),
            vec!["Deny".to_string(), "Audit".to_string()]
        )
    );
    assert_eq!((r.evaluation.as_str(), r.action.as_str()), ("deny", "Deny"));
    assert_eq!(r.message, "failed expression: object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))");
    assert_eq!((r.reason.as_str(), r.validation), ("Invalid", Some(0)));
    assert_eq!(
        (
            r.user.as_str(),
            r.operation.as_str(),
            r.group.as_str(),
            r.resource.as_str(),
            r.name.as_str()
        ),
        (
            "kubernetes-admin",
            "CREATE",
            "networking.k8s.io",
            "servicecidrs",
            "outside"
        )
    );
    assert_eq!(r.groups, vec!["system:masters", "system:authenticated"]);
    // An admitted request's decision is recorded too, not refused.
    c.create(cidr("inside", &["10.96.1.0/24"])).unwrap();
    let last = c
        .trace(None)
        .iter()
        .filter_map(PolicyDecisionRecord::from_trace)
        .next_back()
        .unwrap();
    assert_eq!(
        (last.name.as_str(), last.evaluation.as_str(), last.refused),
        ("inside", "admit", false)
    );
}

/// A restored cluster holds its policies but not the evaluator (a function
/// cannot be snapshotted). Until one is set, every write — a controller's too —
/// is refused with a 503 naming the call, instead of passing unjudged; once it
/// is set, the policies judge again.
#[test]
fn bound_policies_without_an_evaluator_refuse_writes_instead_of_skipping_them() {
    let c = with_policy(7.0, DEFAULT_SAMPLE);
    let mut r = Cluster::restore(c.snapshot()).unwrap();
    let before = r.resource_version();
    let err = r.create(cidr("newcidr1", &["10.96.1.0/24"])).unwrap_err();
    assert_eq!((err.code, err.reason.as_str()), (503, "ServiceUnavailable"));
    assert!(
        err.message.starts_with(
            "a write under the cluster's ValidatingAdmissionPolicyBindings needs the CEL admission module"
        ),
        "{}",
        err.message
    );
    assert!(err.message.contains("cluster.setPolicyEvaluator("));
    // A failed call changes nothing (the trace records the refused request); reads work.
    assert_eq!(r.resource_version(), before);
    assert!(r.get("servicecidr", "newcidr1", None).is_err());
    assert!(r.get("servicecidr", "kubernetes", None).is_ok());
    r.set_validating_admission(Some(cel_admission()));
    r.create(cidr("newcidr1", &["10.96.1.0/24"])).unwrap();
    assert_eq!(
        r.create(cidr("outside", &["172.20.0.0/16"]))
            .unwrap_err()
            .code,
        422
    );
}
