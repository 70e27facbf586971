//! kubectl over handle(): what the client-side views of the server's answers
//! look like end to end (events in the core group's view, server Tables).

use serde_json::{json, Value};
use servicecidr_core::{Cluster, ClusterOptions};
use servicecidr_kubectl::cmd::client::Client;
use servicecidr_kubectl::kubectl_line;

fn cluster() -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.96.0.0/28".into()),
        seed: Some(3.0),
        now: Some(json!("2026-11-10T10:34:06Z")),
        // 1.34 serves networking.k8s.io v1 and v1beta1, as these tests expect.
        version: Some("1.34".into()),
        ..Default::default()
    })
    .expect("cluster")
}

/// The server converts events.k8s.io Events to the core view once; the
/// client prints them as they come.
#[test]
fn core_events_keep_their_fields() {
    let mut c = cluster();
    let o = kubectl_line(
        &mut c,
        "create -f -",
        "apiVersion: networking.k8s.io/v1\nkind: IPAddress\nmetadata:\n  name: 10.96.0.7\n  labels:\n    ipaddress.kubernetes.io/ip-family: IPv4\n    ipaddress.kubernetes.io/managed-by: ipallocator.k8s.io\nspec:\n  parentRef:\n    resource: services\n    namespace: default\n    name: ghost\n",
    );
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    c.advance(240.0).unwrap();
    let o = kubectl_line(&mut c, "get events -A -o json", "");
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let e = &v["items"][0];
    assert_eq!(e["apiVersion"], "v1");
    assert!(
        !e["involvedObject"]["name"]
            .as_str()
            .unwrap_or("")
            .is_empty(),
        "{e}"
    );
    assert!(!e["message"].as_str().unwrap_or("").is_empty(), "{e}");
    let o = kubectl_line(
        &mut c,
        "get events -A --field-selector type=Warning -o name",
        "",
    );
    assert!(o.stdout.starts_with("event/"), "{}", o.stderr);
}

/// `get` prints the server's Table: AGE is the server's, the IPAddress quirk
/// (an undeclared third cell) shows under LABELS.
#[test]
fn get_prints_the_servers_tables() {
    let mut c = cluster();
    c.advance(17.0 * 86400.0).unwrap();
    let o = kubectl_line(&mut c, "get servicecidr", "");
    assert_eq!(
        o.stdout,
        "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n"
    );
    let o = kubectl_line(&mut c, "get ip 10.96.0.1 --show-labels", "");
    assert_eq!(
        o.stdout,
        "NAME        PARENTREF                     LABELS\n10.96.0.1   services/default/kubernetes   17d\n"
    );
    let o = kubectl_line(&mut c, "get svc -A -o wide", "");
    assert!(o.stdout.starts_with("NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE   SELECTOR\n"), "{}", o.stdout);
}

/// A v1beta1 manifest is applied to the v1beta1 endpoint and answered in v1beta1.
#[test]
fn manifests_go_to_their_own_version() {
    let mut c = cluster();
    let m = "apiVersion: networking.k8s.io/v1beta1\nkind: ServiceCIDR\nmetadata:\n  name: b\nspec:\n  cidrs:\n  - 10.97.0.0/24\n";
    let o = kubectl_line(&mut c, "apply -f - -o json", m);
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["apiVersion"], "networking.k8s.io/v1beta1");
    // Configured through a merge patch of the three-way merge.
    let o = kubectl_line(
        &mut c,
        "apply -f -",
        &m.replace("10.97.0.0/24", "10.97.0.0/24\n  - fd00::/112"),
    );
    assert_eq!(
        o.stdout, "servicecidr.networking.k8s.io/b configured\n",
        "{o:?}"
    );
    let o = kubectl_line(&mut c, "get servicecidr b -o jsonpath={.spec.cidrs}", "");
    assert_eq!(o.stdout, "[\"10.97.0.0/24\",\"fd00::/112\"]");
    let o = kubectl_line(&mut c, "apply -f -", m);
    assert_eq!(o.exit_code, 1);
    // 1.34 deprecates v1beta1: the response's Warning header comes first.
    assert!(
        o.stderr.starts_with(
            "Warning: networking.k8s.io/v1beta1 ServiceCIDR is deprecated in v1.34+, unavailable in v1.37+\nThe ServiceCIDR \"b\" is invalid: "
        ),
        "{o:?}"
    );
}

fn run(
    c: &mut Cluster,
    line: &str,
    stdin: &str,
) -> (servicecidr_kubectl::CommandOutput, Vec<String>) {
    let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    let mut client = Client::new(c);
    let o = servicecidr_kubectl::cmd::run(&mut client, &args, stdin);
    (o, client.requests().to_vec())
}

/// The requests kubectl sends (kubectl-over-http.md §4), in order.
#[test]
fn commands_send_kubectls_requests() {
    let mut c = cluster();
    // The server half is what /version answers: the emulated release's gitVersion.
    let server = format!(
        "Server Version: {}\n",
        c.release().version_info().git_version
    );
    let (o, reqs) = run(&mut c, "version", "");
    assert_eq!(reqs, ["GET /version?timeout=32s"]);
    assert!(o.stdout.ends_with(&server), "{}", o.stdout);
    let (_, reqs) = run(&mut c, "get servicecidr", "");
    assert_eq!(
        reqs,
        ["GET /apis/networking.k8s.io/v1/servicecidrs?limit=500"]
    );
    let (_, reqs) = run(&mut c, "create service clusterip test-1 --tcp 80", "");
    assert_eq!(
        reqs,
        ["POST /api/v1/namespaces/default/services?fieldManager=kubectl-create&fieldValidation=Strict"]
    );
    let m = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\n";
    let (o, reqs) = run(&mut c, "apply -f -", m);
    assert_eq!(o.stdout, "servicecidr.networking.k8s.io/newcidr1 created\n");
    assert_eq!(
        reqs.last().map(String::as_str),
        Some("POST /apis/networking.k8s.io/v1/servicecidrs?fieldManager=kubectl-client-side-apply&fieldValidation=Strict")
    );
    let (o, reqs) = run(
        &mut c,
        "apply -f -",
        &m.replace("name: newcidr1", "name: newcidr1\n  labels:\n    a: b"),
    );
    assert_eq!(
        o.stdout,
        "servicecidr.networking.k8s.io/newcidr1 configured\n"
    );
    assert_eq!(
        reqs.last().map(String::as_str),
        Some("PATCH /apis/networking.k8s.io/v1/servicecidrs/newcidr1?fieldManager=kubectl-client-side-apply&fieldValidation=Strict")
    );
    c.settle();
    // The blocking delete: DELETE, GET, then LIST and WATCH by name until DELETED.
    let (o, reqs) = run(&mut c, "delete servicecidr newcidr1", "");
    assert_eq!(
        o.stdout,
        "servicecidr.networking.k8s.io \"newcidr1\" deleted\n"
    );
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    assert_eq!(
        reqs[0],
        "DELETE /apis/networking.k8s.io/v1/servicecidrs/newcidr1"
    );
    assert_eq!(
        reqs[1],
        "GET /apis/networking.k8s.io/v1/servicecidrs/newcidr1"
    );
    assert_eq!(
        reqs[2],
        "GET /apis/networking.k8s.io/v1/servicecidrs?fieldSelector=metadata.name%3Dnewcidr1&limit=500&resourceVersion=0"
    );
    assert!(reqs[3].starts_with("GET /apis/networking.k8s.io/v1/servicecidrs?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dnewcidr1&resourceVersion="), "{reqs:?}");
    assert!(reqs[3].ends_with("&watch=true"));
    assert_eq!(reqs.len(), 4, "the watch saw DELETED: no more requests");
    let (o, _) = run(&mut c, "get servicecidr newcidr1", "");
    assert_eq!(
        o.stderr,
        "Error from server (NotFound): servicecidrs.networking.k8s.io \"newcidr1\" not found\n"
    );
}

/// kubectl's strategic merge patch matches list items by merge key, so fields
/// the server defaulted inside them (a port's protocol and targetPort) are no
/// change: re-applying a manifest whose port changed once prints `unchanged`
/// (seen with the real kubectl 1.33 over HTTP, tests/realclients).
#[test]
fn reapplying_after_a_list_change_is_unchanged() {
    let mut c = cluster();
    let svc = |port: u16| {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: app1\nspec:\n  ports:\n  - port: {port}\n")
    };
    let (o, _) = run(&mut c, "apply -f -", &svc(80));
    assert_eq!(o.stdout, "service/app1 created\n");
    let (o, _) = run(&mut c, "apply -f -", &svc(8080));
    assert_eq!(o.stdout, "service/app1 configured\n");
    let (o, reqs) = run(&mut c, "apply -f -", &svc(8080));
    assert_eq!(o.stdout, "service/app1 unchanged\n");
    assert!(reqs.iter().all(|r| !r.starts_with("PATCH")), "{reqs:?}");
    let (o, _) = run(&mut c, "apply -f -", &svc(81));
    assert_eq!(o.stdout, "service/app1 configured\n");
}

/// `apply --server-side` sends the manifest as an apply patch under kubectl's
/// field manager; the server creates or merges, and kubectl prints
/// `serverside-applied` either way (the real kubectl 1.33 over HTTP,
/// tests/realclients).
#[test]
fn server_side_apply_sends_an_apply_patch() {
    let mut c = cluster();
    let cidr = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: extra\nspec:\n  cidrs:\n  - 10.97.0.0/24\n";
    for _ in 0..2 {
        let (o, reqs) = run(&mut c, "apply --server-side -f -", cidr);
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
            (
                "servicecidr.networking.k8s.io/extra serverside-applied\n",
                "",
                0
            )
        );
        assert_eq!(
            reqs,
            ["PATCH /apis/networking.k8s.io/v1/servicecidrs/extra?fieldManager=kubectl&fieldValidation=Strict"]
        );
    }
    let (o, _) = run(
        &mut c,
        "get servicecidr extra -o jsonpath={.spec.cidrs[0]}",
        "",
    );
    assert_eq!(o.stdout, "10.97.0.0/24");
}
