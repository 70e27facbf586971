#![cfg(not(target_arch = "wasm32"))]
//! `kubectl delete` against the simulated cluster, including kubectl's wait for
//! finalizers on the cluster clock.

mod common;

use common::{k, out};
use servicecidr_sim::Cluster;
use servicecidr_sim::Kubectl;

fn cluster() -> Cluster {
    common::cluster(5.0)
}

const NEWCIDR: &str = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\n";

/// A new /24 that holds one Service's address, with the /28 full: deleting it
/// leaves it terminating for as long as that Service exists.
fn cluster_with_a_held_cidr() -> Cluster {
    let mut c = cluster();
    for i in 0..12 {
        assert_eq!(
            k(&mut c, &format!("create service clusterip s{i} --tcp 80")).exit_code,
            0
        );
    }
    c.kubectl("apply -f -", Some(NEWCIDR));
    let o = k(&mut c, "create service clusterip holder --tcp 80");
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    c
}

#[test]
fn deleted_lines() {
    let mut c = cluster();
    k(&mut c, "create service clusterip test-13 --tcp 80");
    k(&mut c, "create service clusterip test-14 --tcp 80");
    assert_eq!(
        out(&k(&mut c, "kubectl delete service test-13")),
        (
            "service \"test-13\" deleted from default namespace\n",
            "",
            0
        )
    );
    assert_eq!(
        out(&k(&mut c, "delete svc/test-14 -o name")),
        ("service/test-14\n", "", 0)
    );
    assert!(c.get("service", "test-14", Some("default")).is_err());
    c.kubectl("apply -f -", Some(NEWCIDR));
    // Nothing depends on it: the finalizer comes off after the 10 s grace, and
    // kubectl's wait lasts exactly that long on the cluster clock.
    let before = c.now_ms();
    assert_eq!(
        out(&k(&mut c, "delete servicecidr newcidr1")),
        (
            "servicecidr.networking.k8s.io \"newcidr1\" deleted\n",
            "",
            0
        )
    );
    assert_eq!(c.now_ms() - before, 10_000);
    assert!(c.get("servicecidr", "newcidr1", None).is_err());
}

#[test]
fn not_found() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "delete service x")),
        (
            "",
            "Error from server (NotFound): services \"x\" not found\n",
            1
        )
    );
    assert_eq!(
        out(&k(&mut c, "delete servicecidr newcidr1")),
        (
            "",
            "Error from server (NotFound): servicecidrs.networking.k8s.io \"newcidr1\" not found\n",
            1
        )
    );
    k(&mut c, "create service clusterip a --tcp 80");
    assert_eq!(
        out(&k(&mut c, "delete svc a b")),
        (
            "service \"a\" deleted from default namespace\n",
            "Error from server (NotFound): services \"b\" not found\n",
            1
        )
    );
    assert_eq!(
        out(&k(&mut c, "delete svc b --ignore-not-found")),
        ("", "", 0)
    );
}

#[test]
fn wait_false_returns_at_once() {
    let mut c = cluster_with_a_held_cidr();
    let before = c.now_ms();
    assert_eq!(
        out(&k(&mut c, "delete servicecidr newcidr1 --wait=false")),
        (
            "servicecidr.networking.k8s.io \"newcidr1\" deleted\n",
            "",
            0
        )
    );
    assert_eq!(c.now_ms(), before);
    let v = c.get("servicecidr", "newcidr1", None).unwrap();
    assert_eq!(v["metadata"]["deletionGracePeriodSeconds"], 0);
    assert_eq!(v["status"]["conditions"][0]["reason"], "Terminating");
}

#[test]
fn the_wait_ends_with_kubectls_timeout() {
    let mut c = cluster_with_a_held_cidr();
    let before = c.now_ms();
    assert_eq!(
        out(&k(&mut c, "delete servicecidr newcidr1 --timeout=45s")),
        (
            "servicecidr.networking.k8s.io \"newcidr1\" deleted\n",
            "error: timed out waiting for the condition on servicecidrs/newcidr1\n",
            1
        )
    );
    assert_eq!(c.now_ms() - before, 45_000);
    // Without --timeout kubectl waits a week.
    let before = c.now_ms();
    let o = k(&mut c, "delete servicecidr newcidr1");
    assert_eq!(
        o.stderr,
        "error: timed out waiting for the condition on servicecidrs/newcidr1\n"
    );
    assert_eq!(c.now_ms() - before, 168 * 3600 * 1000);
}

#[test]
fn the_wait_ends_when_the_finalizer_lifts() {
    let mut c = cluster_with_a_held_cidr();
    k(&mut c, "delete servicecidr newcidr1 --wait=false");
    k(&mut c, "delete service holder");
    let before = c.now_ms();
    let o = k(
        &mut c,
        "wait --for=delete servicecidr/newcidr1 --timeout=60s",
    );
    assert_eq!(
        out(&o),
        (
            "servicecidr.networking.k8s.io/newcidr1 condition met\n",
            "",
            0
        )
    );
    assert_eq!(c.now_ms() - before, 10_000);
}

#[test]
fn dry_runs() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "delete svc kubernetes --dry-run=client")),
        (
            "service \"kubernetes\" deleted from default namespace (dry run)\n",
            "",
            0
        )
    );
    assert_eq!(
        out(&k(&mut c, "delete svc kubernetes --dry-run=server")),
        (
            "service \"kubernetes\" deleted from default namespace (server dry run)\n",
            "",
            0
        )
    );
    assert!(c.get("service", "kubernetes", Some("default")).is_ok());
}

#[test]
fn selectors_and_files() {
    let mut c = cluster();
    k(&mut c, "create service clusterip a --tcp 80");
    k(&mut c, "create service clusterip b --tcp 80");
    assert_eq!(
        out(&k(&mut c, "delete svc -l 'app in (a,b)'")),
        ("service \"a\" deleted from default namespace\nservice \"b\" deleted from default namespace\n", "", 0)
    );
    assert_eq!(
        out(&k(&mut c, "delete svc -l app=a")),
        ("No resources found\n", "", 0)
    );
    c.kubectl("apply -f -", Some(NEWCIDR));
    let o = c.kubectl("delete -f - --wait=false", Some(NEWCIDR));
    assert_eq!(
        out(&o),
        (
            "servicecidr.networking.k8s.io \"newcidr1\" deleted\n",
            "",
            0
        )
    );
    c.settle();
    let o = c.kubectl("delete -f -", Some(NEWCIDR));
    assert_eq!(
        out(&o),
        ("", "Error from server (NotFound): error when deleting \"STDIN\": servicecidrs.networking.k8s.io \"newcidr1\" not found\n", 1)
    );
}

#[test]
fn usage_errors() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "delete servicecidr")),
        (
            "",
            "error: resource(s) were provided, but no name was specified\n",
            1
        )
    );
    let o = k(&mut c, "delete");
    assert_eq!(
        o.stderr,
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"
    );
    assert_eq!(
        out(&k(&mut c, "delete servicecidr/x nope")),
        ("", "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n", 1)
    );
    assert_eq!(
        out(&k(&mut c, "delete svc x --wait=maybe")),
        ("", "error: invalid argument \"maybe\" for \"--wait\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl delete --help' for usage.\n", 1)
    );
}
