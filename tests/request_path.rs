//! The one request path (issue #10): every write, the controllers' included, is
//! a request under an identity, recorded in trace(), and passes validating
//! admission after validation and before storage.

mod common;

use common::cluster;
use serde_json::{json, Value};
use servicecidr_sim::cluster::{
    AdmissionAttributes, AdmissionVerdict, Operation, UserInfo, ValidatingAdmission,
};
use servicecidr_sim::model::{ApiError, FieldError, Resource};
use servicecidr_sim::Cluster;

/// The request records of trace(): "<user> <verb> <resource> <target>: <code>".
fn requests(c: &Cluster) -> Vec<String> {
    c.trace(None)
        .into_iter()
        .filter(|t| !t.details["request"].is_null())
        .map(|t| t.message)
        .collect()
}

fn service_cidr(name: &str, cidr: &str) -> Value {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
           "metadata": {"name": name}, "spec": {"cidrs": [cidr]}})
}

#[test]
fn bootstrap_writes_are_requests_of_the_apiserver_and_the_controller() {
    let c = cluster(1.0);
    let reqs = requests(&c);
    for want in [
        "system:apiserver create servicecidrs kubernetes: 201",
        "system:serviceaccount:kube-system:service-cidrs-controller update servicecidrs kubernetes: 200",
        "system:apiserver update servicecidrs/status kubernetes: 200",
        "system:apiserver create services default/kubernetes: 201",
    ] {
        assert!(reqs.iter().any(|r| r == want), "{want} missing in {reqs:#?}");
    }
    let rec = c
        .trace(None)
        .into_iter()
        .find(|t| t.message == "system:apiserver create servicecidrs kubernetes: 201")
        .unwrap();
    assert_eq!(
        rec.details["request"],
        json!({"user": "system:apiserver", "groups": ["system:masters", "system:authenticated"],
               "verb": "create", "resource": "servicecidrs", "group": "networking.k8s.io",
               "subresource": "", "namespace": "", "name": "kubernetes", "code": 201})
    );
}

#[test]
fn the_servicecidr_controller_finalizes_through_requests() {
    let mut c = cluster(2.0);
    c.create(service_cidr("extra", "10.100.0.0/24")).unwrap();
    c.delete("servicecidr", "extra", None).unwrap();
    c.advance(10.0).unwrap();
    c.settle();
    let reqs = requests(&c);
    let sa = "system:serviceaccount:kube-system:service-cidrs-controller";
    for want in [
        "kubernetes-admin create servicecidrs extra: 201".to_string(),
        format!("{sa} update servicecidrs extra: 200"),
        format!("{sa} update servicecidrs/status extra: 200"),
        "kubernetes-admin delete servicecidrs extra: 200".to_string(),
    ] {
        assert!(reqs.contains(&want), "{want} missing in {reqs:#?}");
    }
    // The finalizer's removal is the controller's last update; the apiserver then deletes.
    assert_eq!(
        reqs.iter()
            .filter(|r| r.starts_with(&format!("{sa} update servicecidrs extra")))
            .count(),
        2
    );
    assert!(c.get("servicecidr", "extra", None).is_err());
}

#[test]
fn the_repair_loop_recreates_through_requests_and_events_are_posted() {
    let mut c = cluster(3.0);
    let svc = c
        .create(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                       "spec": {"ports": [{"port": 80}]}}),
        )
        .unwrap();
    let ip = svc["spec"]["clusterIP"].as_str().unwrap().to_string();
    c.delete("ipaddress", &ip, None).unwrap();
    c.advance(180.0).unwrap();
    let reqs = requests(&c);
    assert!(
        reqs.contains(&format!("system:apiserver create ipaddresses {ip}: 201")),
        "{reqs:#?}"
    );
    assert!(
        reqs.iter()
            .any(|r| r.starts_with("system:apiserver create events default/web.")),
        "{reqs:#?}"
    );
    assert!(c.get("ipaddress", &ip, None).is_ok());
}

/// A plugin that refuses one operation on one resource, and warns on the rest:
/// enough to see where the seam sits.
struct Refuse {
    operation: Operation,
    resource: &'static str,
    seen: std::rc::Rc<std::cell::RefCell<Vec<(String, String, String)>>>,
}

impl ValidatingAdmission for Refuse {
    fn validate(&mut self, cluster: &Cluster, a: &AdmissionAttributes) -> AdmissionVerdict {
        // The plugin reads the cluster as it is before the write.
        let _ = cluster.listers().service_cidrs().count();
        self.seen.borrow_mut().push((
            a.operation.as_str().to_string(),
            a.resource.info().plural.to_string(),
            a.user.username.clone(),
        ));
        if a.operation == self.operation && a.resource.info().plural == self.resource {
            AdmissionVerdict {
                denied: Some(ApiError::new(422, "Invalid", "refused by the test plugin")),
                ..Default::default()
            }
        } else {
            AdmissionVerdict {
                warnings: vec![format!("seen {}", a.name)],
                ..Default::default()
            }
        }
    }

    /// The policy kinds' own validation: here, a policy must have a spec.
    fn default_object(&self, _r: Resource, _o: &mut Value) {}

    fn validate_object(
        &self,
        _r: Resource,
        object: &Value,
        _old: Option<&Value>,
    ) -> Vec<FieldError> {
        if object["spec"].is_object() {
            Vec::new()
        } else {
            vec![FieldError::required("spec", "")]
        }
    }
}

#[test]
fn admission_sees_every_writer_and_a_denial_writes_nothing() {
    let mut c = cluster(4.0);
    // A wider range covers every IP of `kubernetes`, so that one can go later.
    c.create(service_cidr("cover", "10.96.0.0/24")).unwrap();
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    c.set_validating_admission(Some(Box::new(Refuse {
        operation: Operation::Create,
        resource: "servicecidrs",
        seen: seen.clone(),
    })));
    let rv = c.resource_version();
    let err = c
        .create(service_cidr("denied", "10.200.0.0/24"))
        .unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (422, "refused by the test plugin")
    );
    assert_eq!(c.resource_version(), rv, "a denied request writes nothing");
    assert!(c.get("servicecidr", "denied", None).is_err());
    // Validation runs first: an invalid object never reaches admission.
    let before = seen.borrow().len();
    assert!(c.create(service_cidr("bad", "garbage")).is_err());
    assert_eq!(seen.borrow().len(), before);
    // A write that is admitted carries the plugin's warnings.
    c.take_warnings();
    c.create(
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                    "spec": {"ports": [{"port": 80}]}}),
    )
    .unwrap();
    assert_eq!(c.take_warnings(), vec!["seen web".to_string()]);
    // The default controller's recreation of `kubernetes` goes through admission
    // too (the en page's policy samples exclude it for this reason).
    c.delete("servicecidr", "kubernetes", None).unwrap();
    c.advance(20.0).unwrap();
    c.settle();
    assert!(seen
        .borrow()
        .iter()
        .any(|(op, r, u)| op == "CREATE" && r == "servicecidrs" && u == "system:apiserver"));
    let events = c.events();
    assert!(
        events
            .iter()
            .any(|e| e.reason == "KubernetesDefaultServiceCIDRError"
                && e.note.contains("refused by the test plugin")),
        "{events:#?}"
    );
    assert!(c.get("servicecidr", "kubernetes", None).is_err());
    let user = UserInfo::apiserver();
    assert_eq!(user.groups[0], "system:masters");
}

#[test]
fn the_allocators_ipaddress_writes_pass_admission_as_the_apiserver() {
    let mut c = cluster(5.0);
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    c.set_validating_admission(Some(Box::new(Refuse {
        operation: Operation::Create,
        resource: "ipaddresses",
        seen: seen.clone(),
    })));
    let rv = c.resource_version();
    let err = c
        .create(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                       "spec": {"ports": [{"port": 80}]}}),
        )
        .unwrap_err();
    assert_eq!(err.code, 500);
    assert_eq!(
        err.message,
        "Internal error occurred: failed to allocate a serviceIP: refused by the test plugin"
    );
    assert_eq!(c.resource_version(), rv, "nothing written");
    assert!(seen
        .borrow()
        .iter()
        .any(|(op, r, u)| op == "CREATE" && r == "ipaddresses" && u == "system:apiserver"));
    // Without the plugin the same create allocates, and the IPAddress write is a
    // request of system:apiserver.
    c.set_validating_admission(None);
    let svc = c
        .create(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                       "spec": {"ports": [{"port": 80}]}}),
        )
        .unwrap();
    let ip = svc["spec"]["clusterIP"].as_str().unwrap();
    assert!(requests(&c).contains(&format!("system:apiserver create ipaddresses {ip}: 201")));
}
