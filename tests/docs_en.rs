#![cfg(not(target_arch = "wasm32"))]
//! THE acceptance test: every shell block of the "Extend Service IP Ranges" task
//! page (English), run through `cluster.run()` on the page's cluster, prints what
//! the page shows.
//!
//! The page was produced on a real cluster, so addresses picked at random differ
//! from run to run; there the test checks the shape (how many, which range).
//! Everything deterministic is compared byte for byte. Where the page is not
//! what a real cluster prints, the test asserts the real output and says why.
//!
//! The page runs on every modelled release (`RELEASES`); what differs between
//! them is written out per release, with the upstream change it follows.

mod common;

use common::{
    ipv4, run_ok as ok, CREATE_13_16, CREATE_1_13, DELETE_SERVICES, GET_IPADDRESS, GET_NEWCIDR,
    GET_SERVICE, GET_SERVICECIDR, GET_YAML, NOT_FOUND, RANGE_FULL,
};
use serde_json::Value;
use servicecidr_sim::Kubectl;
use servicecidr_sim::{Cluster, Release};
use std::collections::BTreeSet;

/// The page's cluster: `--service-cluster-ip-range=10.96.0.0/28`, 17 days old
/// when the walk-through starts (its ServiceCIDR was created at the page's
/// `creationTimestamp` minus 17 days), emulating `version`.
fn page_cluster(seed: u64, version: &str) -> Cluster {
    let mut c = common::cluster_release_at(seed as f64, "2023-09-25T15:11:07Z", version);
    c.advance(17.0 * 86400.0).expect("advance");
    c
}

/// How a release meets this page.
struct PageRelease {
    version: &'static str,
    /// The page's manifest says `networking.k8s.io/v1`, GA in 1.33 (PR #128971);
    /// before, kubectl finds no mapping for it and the new range never exists.
    serves_v1: bool,
    /// kubectl 1.34 names the namespace in its delete line (PR #126619).
    delete_names_namespace: bool,
}

const fn rel(version: &'static str, serves_v1: bool, delete_names_namespace: bool) -> PageRelease {
    PageRelease {
        version,
        serves_v1,
        delete_names_namespace,
    }
}

/// Every modelled release (test `every_modelled_release_is_listed`).
const RELEASES: &[PageRelease] = &[
    rel("1.29.0", false, false),
    rel("1.30.0", false, false),
    rel("1.31.0", false, false),
    rel("1.32.0", false, false),
    rel("1.33.0", true, false),
    rel("1.33.6", true, false),
    rel("1.33.11", true, false),
    rel("1.34.0", true, true),
    rel("1.34.8", true, true),
    rel("1.35.0", true, true),
    rel("1.36.0", true, true),
    rel("1.37.0", true, true),
];

/// kubectl's answer to a manifest in a version discovery does not list.
const NO_V1_MAPPING: &str = "error: resource mapping not found for name: \"newcidr1\" namespace: \"\" from \"STDIN\": no matches for kind \"ServiceCIDR\" in version \"networking.k8s.io/v1\"\nensure CRDs are installed first\n";

// The page's shell blocks, verbatim.
const APPLY: &str = "cat <<EOF | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\nEOF\n";
const DELETE_NO_WAIT: &str = "kubectl delete servicecidr newcidr1 --wait=false\n";

// What the page shows for them.
const TABLE_SERVICECIDR: &str =
    "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n";
const TABLE_SERVICE: &str = "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   17d\n";
const TABLE_IPADDRESS: &str = "NAME        PARENTREF\n10.96.0.1   services/default/kubernetes\n";
const CREATED: &str = "servicecidr.networking.k8s.io/newcidr1 created\n";
const DELETED: &str = "servicecidr.networking.k8s.io \"newcidr1\" deleted\n";

/// The four delete lines, in the release's kubectl's words.
fn services_deleted(r: &PageRelease) -> String {
    let from = if r.delete_names_namespace {
        " from default namespace"
    } else {
        ""
    };
    (13..=16)
        .map(|i| format!("service \"test-{i}\" deleted{from}\n"))
        .collect()
}

/// The `-o yaml` document of the terminating ServiceCIDR, as kubectl prints it.
/// The page differs in three ways, all because it is not what a 1.33+ cluster
/// prints: its `reason: OrphanIPAddress` never existed in any API version (the
/// controller writes `Terminating`); it lacks the last-applied annotation that
/// the `kubectl apply` two steps earlier always writes; and its timestamps,
/// uid and resourceVersion are those of another cluster.
fn terminating_yaml(live: &Value) -> String {
    let s = |p: &str| {
        live.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    format!(
        "apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"ServiceCIDR\",\"metadata\":{{\"annotations\":{{}},\"name\":\"newcidr1\"}},\"spec\":{{\"cidrs\":[\"10.96.0.0/24\"]}}}}
  creationTimestamp: \"2023-10-12T15:11:07Z\"
  deletionGracePeriodSeconds: 0
  deletionTimestamp: \"{deleted}\"
  finalizers:
  - networking.k8s.io/service-cidr-finalizer
  name: newcidr1
  resourceVersion: \"{rv}\"
  uid: {uid}
spec:
  cidrs:
  - 10.96.0.0/24
status:
  conditions:
  - lastTransitionTime: \"{deleted}\"
    message: There are still IPAddresses referencing the ServiceCIDR, please remove
      them or create a new ServiceCIDR
    reason: Terminating
    status: \"False\"
    type: Ready
",
        deleted = s("/metadata/deletionTimestamp"),
        rv = s("/metadata/resourceVersion"),
        uid = s("/metadata/uid"),
    )
}

fn walk_through(seed: u64, r: &PageRelease) {
    let mut c = page_cluster(seed, r.version);
    assert_eq!(c.version(), r.version);

    ok(&c.run(GET_SERVICECIDR), TABLE_SERVICECIDR);
    ok(&c.run(GET_SERVICE), TABLE_SERVICE);
    ok(&c.run(GET_IPADDRESS), TABLE_IPADDRESS);

    // 14 usable addresses, minus the kubernetes Service's .1 and kube-dns's .10:
    // twelve Services get one each, in random order, and the thirteenth fails.
    let o = c.run(CREATE_1_13);
    let (ips, rest) = o
        .output
        .split_at(o.output.find("error:").expect("the range-full error"));
    assert_eq!(rest, RANGE_FULL);
    assert_eq!(o.stderr, RANGE_FULL);
    let got: Vec<u32> = ips.lines().map(ipv4).collect();
    let want: BTreeSet<u32> = (2..=14)
        .filter(|i| *i != 10)
        .map(|i| ipv4("10.96.0.0") + i)
        .collect();
    assert_eq!(got.len(), 12, "{}", o.output);
    assert_eq!(got.iter().copied().collect::<BTreeSet<u32>>(), want);
    assert_eq!(o.stdout, ips);
    assert_eq!(o.exit_code, 0, "the loop's status is the last jq's");

    if !r.serves_v1 {
        return without_the_new_range(&mut c);
    }
    ok(&c.run(APPLY), CREATED);

    // The new /24 is the only range with room; dynamic allocation takes its upper
    // band, 10.96.0.17-10.96.0.254 (the first 16 addresses are the static band).
    let o = c.run(CREATE_13_16);
    let got: Vec<u32> = o.stdout.lines().map(ipv4).collect();
    assert_eq!(got.len(), 4, "{}", o.output);
    assert_eq!(got.iter().collect::<BTreeSet<_>>().len(), 4);
    for ip in &got {
        assert!(
            (ipv4("10.96.0.17")..=ipv4("10.96.0.254")).contains(ip),
            "{}",
            o.stdout
        );
    }
    assert_eq!((o.stderr.as_str(), o.exit_code), ("", 0));

    ok(&c.run(DELETE_NO_WAIT), DELETED);

    let live = c.get("servicecidr", "newcidr1", None).expect("still there");
    ok(&c.run(GET_YAML), &terminating_yaml(&live));
    assert_eq!(
        live["metadata"]["deletionTimestamp"],
        "2023-10-12T15:11:07Z"
    );

    ok(&c.run(DELETE_SERVICES), &services_deleted(r));

    // With the last dependent IPAddress gone the controller drops its finalizer
    // (10 s after the deletion request), and the ServiceCIDR is gone.
    let o = c.run(GET_NEWCIDR);
    assert_eq!(
        (
            o.stdout.as_str(),
            o.stderr.as_str(),
            o.output.as_str(),
            o.exit_code
        ),
        ("", NOT_FOUND, NOT_FOUND, 1)
    );
}

/// Before 1.33 the page's v1 manifest maps to nothing: the /28 stays full and
/// every later step finds nothing to act on.
fn without_the_new_range(c: &mut Cluster) {
    let o = c.run(APPLY);
    common::run_fails(&o, NO_V1_MAPPING);
    assert!(c.get("servicecidr", "newcidr1", None).is_err());
    let o = c.run(CREATE_13_16);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
        ("", RANGE_FULL.repeat(4).as_str(), 0)
    );
    common::run_fails(&c.run(DELETE_NO_WAIT), NOT_FOUND);
    common::run_fails(&c.run(GET_YAML), NOT_FOUND);
    let o = c.run(DELETE_SERVICES);
    let not_found: String = (13..=16)
        .map(|i| format!("Error from server (NotFound): services \"test-{i}\" not found\n"))
        .collect();
    assert_eq!((o.stderr.as_str(), o.exit_code), (not_found.as_str(), 1));
    common::run_fails(&c.run(GET_NEWCIDR), NOT_FOUND);
}

#[test]
fn extend_service_ip_ranges_en() {
    let newest = RELEASES.last().expect("releases");
    assert_eq!(Release::newest().version.to_string(), newest.version);
    walk_through(1, newest);
}

#[test]
fn the_page_on_every_modelled_release() {
    for r in RELEASES {
        walk_through(1, r);
    }
}

#[test]
fn every_modelled_release_is_listed() {
    let listed: Vec<String> = RELEASES.iter().map(|r| r.version.to_string()).collect();
    let modelled: Vec<String> = Release::modelled().iter().map(|v| v.to_string()).collect();
    assert_eq!(listed, modelled);
}

#[test]
fn the_walk_through_holds_for_other_seeds() {
    for seed in [2, 3, 42, 2023] {
        walk_through(seed, RELEASES.last().expect("releases"));
    }
}

#[test]
fn same_seed_same_transcript() {
    let transcript = |seed: u64| {
        let mut c = page_cluster(seed, "1.37");
        [CREATE_1_13, APPLY, CREATE_13_16]
            .iter()
            .map(|b| c.run(b).output)
            .collect::<Vec<_>>()
    };
    assert_eq!(transcript(5), transcript(5));
    assert_ne!(transcript(5), transcript(6));
}
