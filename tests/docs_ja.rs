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
    let mut c = common::cluster_release_at(seed as f64, "2023-09-25T15:11:07Z", "1.33");
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
