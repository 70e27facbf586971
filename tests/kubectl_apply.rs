#![cfg(not(target_arch = "wasm32"))]
//! `kubectl apply -f -` against the simulated cluster.

mod common;

use common::{cidr, out};
use serde_json::{json, Value};
use servicecidr_sim::Kubectl;
use servicecidr_sim::{Cluster, CommandOutput};

fn cluster() -> Cluster {
    common::cluster(3.0)
}

fn apply(c: &mut Cluster, flags: &str, stdin: &str) -> CommandOutput {
    c.kubectl(&format!("kubectl apply -f - {flags}"), Some(stdin))
}

#[test]
fn created_then_unchanged_then_configured() {
    let mut c = cluster();
    let m = cidr("newcidr1", "10.96.0.0/24");
    assert_eq!(
        out(&apply(&mut c, "", &m)),
        ("servicecidr.networking.k8s.io/newcidr1 created\n", "", 0)
    );
    assert_eq!(
        out(&apply(&mut c, "", &m)),
        ("servicecidr.networking.k8s.io/newcidr1 unchanged\n", "", 0)
    );
    let labelled = m.replace(
        "  name: newcidr1\n",
        "  name: newcidr1\n  labels:\n    team: net\n",
    );
    assert_eq!(
        out(&apply(&mut c, "", &labelled)),
        ("servicecidr.networking.k8s.io/newcidr1 configured\n", "", 0)
    );
    let v = c.get("servicecidr", "newcidr1", None).unwrap();
    assert_eq!(v["metadata"]["labels"], json!({"team": "net"}));
    // Dropping the label from the manifest removes it (three-way merge).
    assert_eq!(
        out(&apply(&mut c, "", &m)),
        ("servicecidr.networking.k8s.io/newcidr1 configured\n", "", 0)
    );
    let v = c.get("servicecidr", "newcidr1", None).unwrap();
    assert!(v["metadata"].get("labels").is_none(), "{v}");
}

#[test]
fn the_last_applied_annotation_is_kubectls() {
    let mut c = cluster();
    apply(&mut c, "", &cidr("two", "10.97.0.0/24"));
    let v: Value = c.get("servicecidr", "two", None).unwrap();
    assert_eq!(
        v["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"],
        "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"ServiceCIDR\",\"metadata\":{\"annotations\":{},\"name\":\"two\"},\"spec\":{\"cidrs\":[\"10.97.0.0/24\"]}}\n"
    );
    let o = c.kubectl("get servicecidr two -o yaml", None);
    assert!(o.stdout.contains(
        "  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"ServiceCIDR\",\"metadata\":{\"annotations\":{},\"name\":\"two\"},\"spec\":{\"cidrs\":[\"10.97.0.0/24\"]}}\n  creationTimestamp:"
    ), "{}", o.stdout);
}

#[test]
fn dry_runs_change_nothing() {
    let mut c = cluster();
    assert_eq!(
        out(&apply(
            &mut c,
            "--dry-run=server",
            &cidr("x7", "10.97.0.0/24")
        )),
        (
            "servicecidr.networking.k8s.io/x7 created (server dry run)\n",
            "",
            0
        )
    );
    assert_eq!(
        out(&apply(
            &mut c,
            "--dry-run=client",
            &cidr("x8", "10.97.0.0/24")
        )),
        (
            "servicecidr.networking.k8s.io/x8 created (dry run)\n",
            "",
            0
        )
    );
    assert!(c.get("servicecidr", "x7", None).is_err());
    assert!(c.get("servicecidr", "x8", None).is_err());
}

#[test]
fn applying_to_a_created_object_warns_about_the_annotation() {
    let mut c = cluster();
    c.kubectl("create -f -", Some(&cidr("m1", "10.97.0.0/24")));
    let o = apply(&mut c, "", &cidr("m1", "10.97.0.0/24"));
    assert_eq!(
        out(&o),
        (
            "servicecidr.networking.k8s.io/m1 configured\n",
            "Warning: resource servicecidrs/m1 is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
            0
        )
    );
    assert_eq!(o.output, format!("{}{}", o.stderr, o.stdout));
}

#[test]
fn invalid_creates_and_updates() {
    let mut c = cluster();
    assert_eq!(
        out(&apply(&mut c, "", &cidr("bad", "garbage"))),
        ("", "The ServiceCIDR \"bad\" is invalid: spec.cidrs[0]: Invalid value: \"garbage\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)\n", 1)
    );
    apply(&mut c, "", &cidr("fixed", "10.97.0.0/24"));
    assert_eq!(
        out(&apply(&mut c, "", &cidr("fixed", "10.98.0.0/24"))),
        ("", "The ServiceCIDR \"fixed\" is invalid: spec.cidrs[0]: Invalid value: \"10.98.0.0/24\": field is immutable\n", 1)
    );
}

#[test]
fn other_server_errors_on_create_name_the_source() {
    let mut c = cluster();
    for i in 0..12 {
        c.kubectl(&format!("create service clusterip s{i} --tcp 80"), None);
    }
    let svc =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n";
    assert_eq!(
        out(&apply(&mut c, "", svc)),
        ("", "Error from server (InternalError): error when creating \"STDIN\": Internal error occurred: failed to allocate a serviceIP: range is full\n", 1)
    );
}

#[test]
fn several_documents() {
    let mut c = cluster();
    let stream = format!(
        "{}---\n{}",
        cidr("a", "10.97.0.0/24"),
        cidr("b", "10.98.0.0/24")
    );
    assert_eq!(
        out(&apply(&mut c, "", &stream)),
        (
            "servicecidr.networking.k8s.io/a created\nservicecidr.networking.k8s.io/b created\n",
            "",
            0
        )
    );
    let stream = format!(
        "{}---\n{}",
        cidr("a", "10.97.0.0/24"),
        cidr("c", "10.99.0.0/24")
    );
    assert_eq!(
        out(&apply(&mut c, "", &stream)),
        (
            "servicecidr.networking.k8s.io/a unchanged\nservicecidr.networking.k8s.io/c created\n",
            "",
            0
        )
    );
}

#[test]
fn input_errors() {
    let mut c = cluster();
    assert_eq!(
        out(&apply(&mut c, "", "")),
        ("", "error: no objects passed to apply\n", 1)
    );
    let o = c.kubectl("apply", None);
    assert_eq!(out(&o), ("", "error: must specify one of -f and -k\n", 1));
    let o = c.kubectl("apply -f x.yaml", None);
    assert_eq!(
        out(&o),
        ("", "error: the path \"x.yaml\" does not exist\n", 1)
    );
}
