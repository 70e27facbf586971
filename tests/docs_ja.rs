#![cfg(not(target_arch = "wasm32"))]
//! The Japanese "Extend Service IP Ranges" page (ja translation), its shell
//! blocks run through `cluster.run()`.
//!
//! The translation is older than the English page and differs from what a
//! real cluster and shell print in several places; the tests assert the real
//! behaviour and say why at each place:
//! - its heredoc is written `cat <EOF` (redirect from a file named EOF), so in a
//!   real shell nothing reaches `kubectl apply` and every later step changes;
//!   `page_as_written` runs that, `page_with_the_heredoc_fixed` runs the
//!   evident intent;
//! - it deletes the ServiceCIDR without `--wait=false`: kubectl then waits for
//!   the finalizer, which cannot lift while Services hold its IPs, until its
//!   one-week timeout;
//! - its `-o yaml` shows `apiVersion: networking.k8s.io/v1beta1` and
//!   `reason: OrphanIPAddress`: kubectl reads the preferred version (v1), and
//!   the controller's reason is `Terminating`.
//!
//! The page runs on 1.33 (a release that serves its v1beta1 manifest); the
//! 1.36 run differs from it exactly where upstream does (see the last tests).

mod common;

use common::{
    ipv4, run_fails as fails, run_ok as ok, CREATE_13_16, CREATE_1_13, DELETE_SERVICES,
    GET_IPADDRESS, GET_NEWCIDR, GET_SERVICE, GET_SERVICECIDR, GET_YAML, NOT_FOUND, RANGE_FULL,
};
use serde_json::Value;
use servicecidr_sim::Cluster;
use servicecidr_sim::Kubectl;
use std::collections::BTreeSet;

/// The page's v1beta1 manifest needs a release that serves v1beta1 (1.31–1.36).
fn page_cluster(seed: u64) -> Cluster {
    page_cluster_at(seed, "1.33")
}

fn page_cluster_at(seed: u64, version: &str) -> Cluster {
    let mut c = common::cluster_release_at(seed as f64, "2023-09-25T15:11:07Z", version);
    c.advance(17.0 * 86400.0).expect("advance");
    c
}

// The page's shell blocks, verbatim.
const APPLY: &str = "cat <EOF | kubectl apply -f -\napiVersion: networking.k8s.io/v1beta1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\nEOF\n";
const DELETE: &str = "kubectl delete servicecidr newcidr1\n";

/// The blocks the two runs share: the tables and the twelve Services that fill
/// the /28 (same as the English page).
fn first_steps(c: &mut Cluster) {
    ok(
        &c.run(GET_SERVICECIDR),
        "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n",
    );
    ok(
        &c.run(GET_SERVICE),
        "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   17d\n",
    );
    ok(
        &c.run(GET_IPADDRESS),
        "NAME        PARENTREF\n10.96.0.1   services/default/kubernetes\n",
    );
    let o = c.run(CREATE_1_13);
    assert_eq!(o.stdout.lines().count(), 12);
    assert!(o.output.ends_with(RANGE_FULL));
    assert_eq!(o.stderr, RANGE_FULL);
}

#[test]
fn page_as_written() {
    let mut c = page_cluster(1);
    first_steps(&mut c);

    // `cat <EOF` reads a file named EOF: there is none, so kubectl gets an empty
    // stdin, and bash then runs the manifest lines as commands.
    let o = c.run(APPLY);
    assert_eq!(
        o.output,
        "bash: line 1: EOF: No such file or directory\n\
         error: no objects passed to apply\n\
         bash: line 2: apiVersion:: command not found\n\
         bash: line 3: kind:: command not found\n\
         bash: line 4: metadata:: command not found\n\
         bash: line 5: name:: command not found\n\
         bash: line 6: spec:: command not found\n\
         bash: line 7: cidrs:: command not found\n\
         bash: line 8: -: command not found\n\
         bash: line 9: EOF: command not found\n"
    );
    assert_eq!(o.stdout, "");
    assert_eq!(o.exit_code, 127);
    assert!(c.get("servicecidr", "newcidr1", None).is_err());

    // Without the new range, the /28 stays full.
    let o = c.run(CREATE_13_16);
    assert_eq!(o.output, RANGE_FULL.repeat(4));
    assert_eq!(o.exit_code, 0);

    fails(&c.run(DELETE), NOT_FOUND);
    fails(&c.run(GET_YAML), NOT_FOUND);
    let o = c.run(DELETE_SERVICES);
    assert_eq!(
        o.output,
        (13..=16)
            .map(|i| format!("Error from server (NotFound): services \"test-{i}\" not found\n"))
            .collect::<String>()
    );
    assert_eq!(o.exit_code, 1);
    fails(&c.run(GET_NEWCIDR), NOT_FOUND);
}

#[test]
fn page_with_the_heredoc_fixed() {
    let mut c = page_cluster(1);
    first_steps(&mut c);

    // Older manifests say v1beta1; the server takes them.
    let fixed = APPLY.replace("cat <EOF", "cat <<EOF");
    ok(
        &c.run(&fixed),
        "servicecidr.networking.k8s.io/newcidr1 created\n",
    );

    let o = c.run(CREATE_13_16);
    let got: BTreeSet<u32> = o.stdout.lines().map(ipv4).collect();
    assert_eq!(got.len(), 4, "{}", o.output);
    assert!(got
        .iter()
        .all(|ip| (ipv4("10.96.0.17")..=ipv4("10.96.0.254")).contains(ip)));

    // Without --wait=false kubectl waits for the object to go; its finalizer
    // stays while the four Services hold addresses only this range contains, so
    // the wait ends at kubectl's one-week limit.
    let before = c.now_ms();
    let o = c.run(DELETE);
    assert_eq!(
        o.stdout,
        "servicecidr.networking.k8s.io \"newcidr1\" deleted\n"
    );
    assert_eq!(
        o.stderr,
        "error: timed out waiting for the condition on servicecidrs/newcidr1\n"
    );
    assert_eq!(o.output, format!("{}{}", o.stdout, o.stderr));
    assert_eq!(o.exit_code, 1);
    assert_eq!(c.now_ms() - before, 168 * 3600 * 1000);

    let live: Value = c.get("servicecidr", "newcidr1", None).expect("still there");
    let o = c.run(GET_YAML);
    assert_eq!(o.exit_code, 0);
    let s = |p: &str| {
        live.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    // v1, not the page's v1beta1; Terminating, not OrphanIPAddress. The
    // last-applied annotation keeps the manifest as it was applied (v1beta1).
    assert_eq!(
        o.stdout,
        format!(
            "apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {{\"apiVersion\":\"networking.k8s.io/v1beta1\",\"kind\":\"ServiceCIDR\",\"metadata\":{{\"annotations\":{{}},\"name\":\"newcidr1\"}},\"spec\":{{\"cidrs\":[\"10.96.0.0/24\"]}}}}
  creationTimestamp: \"2023-10-12T15:11:07Z\"
  deletionGracePeriodSeconds: 0
  deletionTimestamp: \"2023-10-12T15:11:07Z\"
  finalizers:
  - networking.k8s.io/service-cidr-finalizer
  name: newcidr1
  resourceVersion: \"{}\"
  uid: {}
spec:
  cidrs:
  - 10.96.0.0/24
status:
  conditions:
  - lastTransitionTime: \"2023-10-12T15:11:07Z\"
    message: There are still IPAddresses referencing the ServiceCIDR, please remove
      them or create a new ServiceCIDR
    reason: Terminating
    status: \"False\"
    type: Ready
",
            s("/metadata/resourceVersion"),
            s("/metadata/uid")
        )
    );

    ok(
        &c.run(DELETE_SERVICES),
        "service \"test-13\" deleted\nservice \"test-14\" deleted\nservice \"test-15\" deleted\nservice \"test-16\" deleted\n",
    );
    fails(&c.run(GET_NEWCIDR), NOT_FOUND);
}

/// The page (heredoc fixed) on 1.33 and on 1.36, same seed: the transcripts
/// differ exactly where upstream does, and nowhere else:
/// - applying the v1beta1 manifest: 1.36 sends the deprecation warning
///   (v1beta1 deprecated in 1.34, removed in 1.37, k8s.io/api prerelease
///   lifecycle), which kubectl prints on stderr before the `created` line;
/// - deleting the Services: kubectl 1.34+ names the namespace (PR #126619).
#[test]
fn the_1_33_and_1_36_runs_differ_where_upstream_does() {
    let fixed = APPLY.replace("cat <EOF", "cat <<EOF");
    let blocks = [
        GET_SERVICECIDR,
        GET_SERVICE,
        GET_IPADDRESS,
        CREATE_1_13,
        fixed.as_str(),
        CREATE_13_16,
        DELETE,
        GET_YAML,
        DELETE_SERVICES,
        GET_NEWCIDR,
    ];
    let run = |version: &str| {
        let mut c = page_cluster_at(7, version);
        blocks.iter().map(|b| c.run(b)).collect::<Vec<_>>()
    };
    let (old, new) = (run("1.33"), run("1.36"));
    let warning = "Warning: networking.k8s.io/v1beta1 ServiceCIDR is deprecated in v1.34+, unavailable in v1.37+\n";
    for (i, block) in blocks.iter().enumerate() {
        let (o, n) = (&old[i], &new[i]);
        if *block == fixed.as_str() {
            assert_eq!(o.output, "servicecidr.networking.k8s.io/newcidr1 created\n");
            assert_eq!(n.stderr, warning);
            assert_eq!(n.output, format!("{warning}{}", o.output));
            assert_eq!(
                (n.stdout.as_str(), n.exit_code),
                (o.stdout.as_str(), o.exit_code)
            );
        } else if *block == DELETE_SERVICES {
            assert_eq!(
                n.output,
                o.output
                    .replace(" deleted\n", " deleted from default namespace\n")
            );
            assert_ne!(n.output, o.output);
        } else {
            assert_eq!(
                (&n.stdout, &n.stderr, &n.output, n.exit_code),
                (&o.stdout, &o.stderr, &o.output, o.exit_code),
                "block {i}: {block}"
            );
        }
    }
}

/// 1.37 removed networking.k8s.io/v1beta1 (PR #139820): the page's manifest
/// no longer maps to anything.
#[test]
fn the_v1beta1_manifest_on_1_37() {
    let mut c = page_cluster_at(1, "1.37");
    first_steps(&mut c);
    let o = c.run(&APPLY.replace("cat <EOF", "cat <<EOF"));
    fails(
        &o,
        "error: resource mapping not found for name: \"newcidr1\" namespace: \"\" from \"STDIN\": no matches for kind \"ServiceCIDR\" in version \"networking.k8s.io/v1beta1\"\nensure CRDs are installed first\n",
    );
}
