#![cfg(not(target_arch = "wasm32"))]
//! The in-box kubectl per release: it is the server's release, so its delete
//! line follows kubectl's (PR #126619, 1.34), and it prints the server's API
//! warnings as kubectl's warning handler does (`Warning: …` on stderr, once).

mod common;

use common::{cluster_release, kin, out};
use servicecidr_sim::Kubectl;

const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: mapped\nspec:\n  clusterIP: \"::ffff:10.96.0.3\"\n  ports:\n  - port: 80\n";

#[test]
fn delete_line_per_release() {
    for (v, want) in [
        ("1.29", "service \"a\" deleted\n"),
        ("1.33", "service \"a\" deleted\n"),
        ("1.34", "service \"a\" deleted from default namespace\n"),
        ("1.37", "service \"a\" deleted from default namespace\n"),
    ] {
        let mut c = cluster_release(1.0, v);
        c.kubectl("create service clusterip a --tcp 80", None);
        assert_eq!(
            out(&c.kubectl("delete service a", None)),
            (want, "", 0),
            "{v}"
        );
    }
}

/// The IPv4-mapped clusterIP through kubectl: accepted with PR #128786's
/// warning on 1.35 (the IPAddress is 10.96.0.3), refused on 1.36 (PR #137053).
#[test]
fn service_ip_warnings_and_refusals_through_kubectl() {
    let mut c = cluster_release(1.0, "1.35");
    let o = kin(&mut c, "apply -f -", SVC);
    assert_eq!(
        out(&o),
        (
            "service/mapped created\n",
            "Warning: spec.clusterIPs[0]: non-standard IP address \"::ffff:10.96.0.3\" will be considered invalid in a future Kubernetes release: use \"10.96.0.3\"\n",
            0
        )
    );
    assert_eq!(
        o.output,
        format!("{}{}", o.stderr, o.stdout),
        "warning first"
    );
    assert!(c.get("ipaddress", "10.96.0.3", None).is_ok());
    let o = c.kubectl("get ipaddress 10.96.0.3", None);
    assert_eq!(
        o.stdout,
        "NAME        PARENTREF\n10.96.0.3   services/default/mapped\n"
    );

    let mut c = cluster_release(1.0, "1.36");
    let o = kin(&mut c, "apply -f -", SVC);
    assert_eq!(
        out(&o),
        (
            "",
            "The Service \"mapped\" is invalid: spec.clusterIPs[0]: Invalid value: \"::ffff:10.96.0.3\": must not be an IPv4-mapped IPv6 address\n",
            1
        )
    );
}

/// A warning is printed once per invocation even when several requests earn it.
#[test]
fn deprecation_warning_once_per_invocation() {
    let two = "apiVersion: networking.k8s.io/v1beta1\nkind: ServiceCIDR\nmetadata:\n  name: a\nspec:\n  cidrs:\n  - 10.20.0.0/24\n---\napiVersion: networking.k8s.io/v1beta1\nkind: ServiceCIDR\nmetadata:\n  name: b\nspec:\n  cidrs:\n  - 10.21.0.0/24\n";
    let mut c = cluster_release(1.0, "1.35");
    let o = kin(&mut c, "apply -f -", two);
    assert_eq!(
        out(&o),
        (
            "servicecidr.networking.k8s.io/a created\nservicecidr.networking.k8s.io/b created\n",
            "Warning: networking.k8s.io/v1beta1 ServiceCIDR is deprecated in v1.34+, unavailable in v1.37+\n",
            0
        )
    );
    let mut c = cluster_release(1.0, "1.33");
    let o = kin(&mut c, "apply -f -", two);
    assert_eq!(o.stderr, "");
}
