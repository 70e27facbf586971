//! The en page's two ValidatingAdmissionPolicy samples
//! (/work/shared/reference/vap-servicecidr-default.yaml, vap-servicecidr-deny.yaml),
//! applied verbatim, with the outcomes issue #13's "Done when" lists.

mod common;
use common::*;
use serde_json::json;
use servicecidr_admission::*;

const DIR: &str = "/work/shared/reference";

fn samples_dir() -> Option<String> {
    // The samples live outside the repository; a copy is kept in tests/data.
    let local = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    if std::path::Path::new(local).exists() {
        Some(local.to_string())
    } else if std::path::Path::new(DIR).exists() {
        Some(DIR.to_string())
    } else {
        None
    }
}

fn load(file: &str) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let dir = samples_dir().expect("samples present");
    sample(&format!("{dir}/{file}"))
}

#[test]
fn samples_validate_cleanly() {
    for file in ["vap-servicecidr-default.yaml", "vap-servicecidr-deny.yaml"] {
        let (policies, bindings) = load(file);
        assert_eq!(policies.len(), 1);
        assert_eq!(bindings.len(), 1);
        assert_eq!(validate_policy(&policies[0]), vec![], "{file}");
        assert_eq!(validate_binding(&bindings[0]), vec![], "{file}");
    }
}

#[test]
fn default_sample_admits_subranges_and_denies_others() {
    let (policies, bindings) = load("vap-servicecidr-default.yaml");
    let set = PolicySet::new(&policies, &bindings);
    for cidrs in [
        vec!["10.96.1.0/24"],
        vec!["2001:db8:0:0:ffff::/80", "10.96.0.0/20"],
    ] {
        let out = set.evaluate(&create_service_cidr("newcidr1", &cidrs, admin()), &NoParams);
        assert_eq!(out.denial, None, "{cidrs:?}");
        assert_eq!(out.evaluations.len(), 1);
        assert_eq!(out.audit_annotations, vec![]);
    }
    let out = set.evaluate(
        &create_service_cidr("newcidr1", &["172.20.0.0/16"], admin()),
        &NoParams,
    );
    let message = "ValidatingAdmissionPolicy 'servicecidrs.default' with binding 'servicecidrs-default-binding' denied request: failed expression: object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))";
    assert_eq!(
        out.denial,
        Some(json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": format!("servicecidrs.networking.k8s.io \"newcidr1\" is forbidden: {message}"),
            "reason": "Invalid",
            "details": {
                "name": "newcidr1",
                "group": "networking.k8s.io",
                "kind": "servicecidrs",
                "causes": [{"message": message}],
            },
            "code": 422,
        }))
    );
    // validationActions [Deny, Audit]: the Audit record.
    assert_eq!(out.audit_annotations.len(), 1);
    assert_eq!(
        out.audit_annotations[0].key,
        "validation.policy.admission.k8s.io/validation_failure"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out.audit_annotations[0].value).unwrap(),
        json!([{
            "message": "failed expression: object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))",
            "policy": "servicecidrs.default",
            "binding": "servicecidrs-default-binding",
            "expressionIndex": 0,
            "validationActions": ["Deny", "Audit"],
        }])
    );
    // The exclusion clause: the default ServiceCIDR is never evaluated.
    let out = set.evaluate(
        &create_service_cidr("kubernetes", &["172.20.0.0/16"], apiserver()),
        &NoParams,
    );
    assert_eq!(out.denial, None);
    assert_eq!(out.evaluations[0].decisions, vec![]);
}

#[test]
fn default_sample_without_the_exclusion_refuses_the_default_servicecidr() {
    let (mut policies, bindings) = load("vap-servicecidr-default.yaml");
    policies[0]["spec"]
        .as_object_mut()
        .unwrap()
        .remove("matchConditions");
    let out = evaluate(
        &policies,
        &bindings,
        &create_service_cidr("kubernetes", &["10.0.0.0/16"], apiserver()),
        &NoParams,
    );
    let status = out.denial.expect("denied");
    assert_eq!(status["code"], 422);
    assert!(status["message"].as_str().unwrap().starts_with(
        "servicecidrs.networking.k8s.io \"kubernetes\" is forbidden: ValidatingAdmissionPolicy 'servicecidrs.default' with binding 'servicecidrs-default-binding' denied request: failed expression: "
    ));
}

#[test]
fn deny_sample_refuses_every_new_servicecidr_but_kubernetes() {
    let (policies, bindings) = load("vap-servicecidr-deny.yaml");
    let set = PolicySet::new(&policies, &bindings);
    let out = set.evaluate(
        &create_service_cidr("newcidr1", &["10.96.1.0/24"], admin()),
        &NoParams,
    );
    let status = out.denial.expect("denied");
    // The first failing validation's message decides.
    assert_eq!(
        status["details"]["causes"][0]["message"],
        "ValidatingAdmissionPolicy 'servicecidrs.deny' with binding 'servicecidrs-deny-binding' denied request: you can only create or update the default ServiceCIDR"
    );
    assert_eq!(out.evaluations[0].decisions.len(), 2);
    assert_eq!(
        out.evaluations[0].decisions[1].message,
        "you can not create or update ServiceCIDR objects"
    );
    // Named kubernetes but written by a user: the second validation refuses.
    let out = set.evaluate(
        &create_service_cidr("kubernetes", &["10.96.0.0/12"], admin()),
        &NoParams,
    );
    assert_eq!(
        out.denial.expect("denied")["details"]["causes"][0]["message"],
        "ValidatingAdmissionPolicy 'servicecidrs.deny' with binding 'servicecidrs-deny-binding' denied request: you can not create or update ServiceCIDR objects"
    );
    // The default-ServiceCIDR controller's write (system:apiserver in system:masters) passes.
    let out = set.evaluate(
        &create_service_cidr("kubernetes", &["10.96.0.0/12"], apiserver()),
        &NoParams,
    );
    assert_eq!(out.denial, None);
}

#[test]
fn type_checking_status_is_empty_for_the_samples() {
    let (mut policies, _) = load("vap-servicecidr-default.yaml");
    policies[0]["metadata"]["generation"] = json!(1);
    assert_eq!(
        type_checking_status(&policies[0]),
        json!({"observedGeneration": 1, "typeChecking": {}})
    );
}
