//! Kinds the core keeps as plain JSON (ConfigMaps, admission policies and
//! bindings): system metadata, generation, status subresource, finalizers,
//! watch, snapshots, and the policy kinds' validation by the admission plugin.

mod common;

use common::cluster;
use serde_json::{json, Value};
use servicecidr_sim::cluster::{AdmissionAttributes, AdmissionVerdict, ValidatingAdmission};
use servicecidr_sim::model::{FieldError, Resource};
use servicecidr_sim::Cluster;

fn config_map(name: &str, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data})
}

fn policy(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
           "metadata": {"name": name}, "spec": spec})
}

/// Admits everything; a policy must carry `spec.validations`.
struct Plain;

impl ValidatingAdmission for Plain {
    fn validate(&mut self, _c: &Cluster, _a: &AdmissionAttributes) -> AdmissionVerdict {
        AdmissionVerdict::default()
    }
    fn default_object(&self, _r: Resource, _o: &mut Value) {}

    fn validate_object(&self, r: Resource, o: &Value, _old: Option<&Value>) -> Vec<FieldError> {
        if r == Resource::ValidatingAdmissionPolicies && !o["spec"]["validations"].is_array() {
            return vec![FieldError::required("spec.validations", "")];
        }
        Vec::new()
    }
}

#[test]
fn config_maps_get_system_metadata_and_survive_snapshots() {
    let mut c = cluster(1.0);
    let rv0: u64 = c.resource_version().parse().unwrap();
    let cm = c
        .create(config_map("allowed", json!({"cidr": "10.96.0.0/16"})))
        .unwrap();
    assert_eq!(cm["metadata"]["namespace"], "default");
    assert_eq!(cm["metadata"]["resourceVersion"], (rv0 + 1).to_string());
    assert!(cm["metadata"]["uid"]
        .as_str()
        .is_some_and(|u| u.len() == 36));
    assert!(cm["metadata"]["creationTimestamp"].is_string());
    assert!(
        cm["metadata"].get("generation").is_none(),
        "ConfigMaps have no generation"
    );
    assert_eq!(c.get("cm", "allowed", Some("default")).unwrap(), cm);
    assert_eq!(c.list("configmaps", None).unwrap(), vec![cm.clone()]);
    let err = c
        .create(config_map("bad", json!({"no/slash": "x"})))
        .unwrap_err();
    assert_eq!(err.code, 422);
    assert_eq!(
        err.message,
        "ConfigMap \"bad\" is invalid: data[no/slash]: Invalid value: \"no/slash\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    );
    let restored = Cluster::restore(c.snapshot()).unwrap();
    assert_eq!(restored.snapshot(), c.snapshot());
    let mut restored = restored;
    assert_eq!(restored.get("configmap", "allowed", None).unwrap(), cm);
    let events = c.watch(Some(&rv0.to_string())).unwrap();
    assert_eq!(events[0]["type"], "ADDED");
    assert_eq!(events[0]["object"], cm);
}

#[test]
fn finalizers_hold_a_generic_delete() {
    let mut c = cluster(2.0);
    let mut cm = config_map("held", json!({}));
    cm["metadata"]["finalizers"] = json!(["example.com/hold"]);
    c.create(cm).unwrap();
    let d = c.delete("configmap", "held", None).unwrap();
    assert!(d["metadata"]["deletionTimestamp"].is_string(), "{d}");
    assert_eq!(d["metadata"]["deletionGracePeriodSeconds"], 0);
    let mut live = c.get("configmap", "held", None).unwrap();
    live["metadata"]["finalizers"] = json!([]);
    c.update(live).unwrap();
    let err = c.get("configmap", "held", None).unwrap_err();
    assert_eq!(err.message, "configmaps \"held\" not found");
}

#[test]
fn policies_need_the_admission_plugin_and_are_validated_by_it() {
    let mut c = cluster(3.0);
    let spec = json!({"validations": [{"expression": "true"}]});
    let err = c.create(policy("p", spec.clone())).unwrap_err();
    assert_eq!((err.code, err.reason.as_str()), (503, "ServiceUnavailable"));
    // The message names the call that installs the evaluator.
    assert!(
        err.message
            .contains("cluster.setPolicyEvaluator(require('servicecidr-sim/cel'))"),
        "{}",
        err.message
    );
    c.set_validating_admission(Some(Box::new(Plain)));
    let err = c.create(policy("p", json!({}))).unwrap_err();
    assert_eq!(
        err.message,
        "ValidatingAdmissionPolicy.admissionregistration.k8s.io \"p\" is invalid: spec.validations: Required value"
    );
    let p = c.create(policy("p", spec)).unwrap();
    assert_eq!(p["metadata"]["generation"], 1);
    assert_eq!(p["apiVersion"], "admissionregistration.k8s.io/v1");
    // kube-controller-manager's validatingadmissionpolicy-status-controller records
    // the generation it checked (pkg/controller/validatingadmissionpolicystatus).
    let p = c.get("validatingadmissionpolicy", "p", None).unwrap();
    assert_eq!(
        p["status"],
        json!({"observedGeneration": 1, "typeChecking": {}})
    );
    // Labels only: same generation. Spec: generation + 1, and the controller catches up.
    let mut labelled = p.clone();
    labelled["metadata"]["labels"] = json!({"a": "b"});
    let p = c.update(labelled).unwrap();
    assert_eq!(p["metadata"]["generation"], 1);
    let mut changed = p.clone();
    changed["spec"]["validations"] = json!([{"expression": "false"}]);
    let p = c.update(changed).unwrap();
    assert_eq!(p["metadata"]["generation"], 2);
    let p = c.get("validatingadmissionpolicy", "p", None).unwrap();
    assert_eq!(
        p["status"],
        json!({"observedGeneration": 2, "typeChecking": {}})
    );
    // The status subresource writes status only; the main resource keeps it.
    let mut with_status = p.clone();
    with_status["status"] = json!({"observedGeneration": 2});
    with_status["spec"] = json!({"validations": []});
    let p = c.update_status(with_status).unwrap();
    assert_eq!(p["status"], json!({"observedGeneration": 2}));
    assert_eq!(p["spec"]["validations"][0]["expression"], "false");
    let mut drop_status = p.clone();
    drop_status.as_object_mut().unwrap().remove("status");
    let p = c.update(drop_status).unwrap();
    assert_eq!(p["status"], json!({"observedGeneration": 2}));
    // A create may not set status.
    let mut created = policy("q", json!({"validations": []}));
    created["status"] = json!({"observedGeneration": 9});
    assert!(c.create(created).unwrap().get("status").is_none());
}
