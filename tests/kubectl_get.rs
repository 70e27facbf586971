#![cfg(not(target_arch = "wasm32"))]
//! `kubectl get` against the simulated cluster, with kubectl's exact output.

mod common;

use common::{k, ok};
use serde_json::{json, Value};
use servicecidr_sim::Kubectl;
use servicecidr_sim::{Cluster, CommandOutput};

/// The docs page's cluster: a 10.96.0.0/28 Service range, 17 days old.
fn cluster() -> Cluster {
    common::aged_cluster(7.0, "2023-10-12T15:11:07Z")
}

fn fails(o: &CommandOutput, stdout: &str, stderr: &str) {
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
        (stdout, stderr, 1)
    );
}

#[test]
fn the_docs_pages_three_tables() {
    let mut c = cluster();
    ok(
        &k(&mut c, "kubectl get servicecidr"),
        "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n",
    );
    ok(
        &k(&mut c, "kubectl get service kubernetes"),
        "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   17d\n",
    );
    ok(
        &k(&mut c, "kubectl get ipaddress 10.96.0.1"),
        "NAME        PARENTREF\n10.96.0.1   services/default/kubernetes\n",
    );
}

#[test]
fn the_line_may_omit_kubectl() {
    let mut c = cluster();
    assert_eq!(
        k(&mut c, "get servicecidr"),
        k(&mut c, "kubectl get servicecidr")
    );
}

#[test]
fn resource_spellings() {
    let mut c = cluster();
    for t in ["svc", "services", "Service", "service"] {
        ok(
            &k(&mut c, &format!("get {t} kubernetes -o name")),
            "service/kubernetes\n",
        );
    }
    for t in [
        "servicecidr",
        "servicecidrs",
        "ServiceCIDR",
        "servicecidrs.networking.k8s.io",
    ] {
        ok(
            &k(&mut c, &format!("get {t} kubernetes -o name")),
            "servicecidr.networking.k8s.io/kubernetes\n",
        );
    }
    for t in ["ip", "ipaddress", "ipaddresses"] {
        ok(
            &k(&mut c, &format!("get {t} 10.96.0.1 -o name")),
            "ipaddress.networking.k8s.io/10.96.0.1\n",
        );
    }
}

#[test]
fn all_namespaces_adds_the_namespace_column() {
    let mut c = cluster();
    ok(
        &k(&mut c, "get svc -A"),
        "NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n\
         default       kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP                  17d\n\
         kube-system   kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   17d\n",
    );
    ok(
        &k(&mut c, "get svc --namespace kube-system -o name"),
        "service/kube-dns\n",
    );
    // Cluster-scoped resources ignore -A and -n.
    ok(
        &k(&mut c, "get ip -A -n nowhere -o name"),
        "ipaddress.networking.k8s.io/10.96.0.1\nipaddress.networking.k8s.io/10.96.0.10\n",
    );
}

#[test]
fn lists_sort_names_as_strings() {
    let mut c = cluster();
    for i in 0..3 {
        let o = k(&mut c, &format!("create service clusterip s{i} --tcp 80"));
        assert_eq!(o.exit_code, 0, "{}", o.stderr);
    }
    let o = k(&mut c, "get ip -o name");
    let names: Vec<&str> = o.stdout.lines().collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names.len(), 5);
}

#[test]
fn several_names_and_not_found() {
    let mut c = cluster();
    fails(
        &k(&mut c, "get servicecidr kubernetes nope newcidr1"),
        "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n",
        "Error from server (NotFound): servicecidrs.networking.k8s.io \"nope\" not found\n\
         Error from server (NotFound): servicecidrs.networking.k8s.io \"newcidr1\" not found\n",
    );
    fails(
        &k(&mut c, "get servicecidr newcidr1"),
        "",
        "Error from server (NotFound): servicecidrs.networking.k8s.io \"newcidr1\" not found\n",
    );
    fails(
        &k(&mut c, "get svc x"),
        "",
        "Error from server (NotFound): services \"x\" not found\n",
    );
}

#[test]
fn type_slash_name_forms() {
    let mut c = cluster();
    ok(
        &k(&mut c, "get svc/kubernetes servicecidr/kubernetes ip/10.96.0.1 -o name"),
        "service/kubernetes\nservicecidr.networking.k8s.io/kubernetes\nipaddress.networking.k8s.io/10.96.0.1\n",
    );
    ok(
        &k(&mut c, "get servicecidr/kubernetes ipaddress/10.96.0.1"),
        "NAME                                       CIDRS          AGE\n\
         servicecidr.networking.k8s.io/kubernetes   10.96.0.0/28   17d\n\
         \n\
         NAME                                    PARENTREF\n\
         ipaddress.networking.k8s.io/10.96.0.1   services/default/kubernetes\n",
    );
    fails(
        &k(&mut c, "get servicecidr servicecidr/kubernetes"),
        "",
        "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n",
    );
}

#[test]
fn empty_results() {
    let mut c = cluster();
    let o = k(&mut c, "get svc -n kube-public");
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
        ("", "No resources found in kube-public namespace.\n", 0)
    );
    let o = k(&mut c, "get svc -l app=none");
    assert_eq!(o.stderr, "No resources found in default namespace.\n");
    let o = k(&mut c, "get svc -A -l app=none");
    assert_eq!(o.stderr, "No resources found\n");
    let o = k(&mut c, "get servicecidr -l app=none");
    assert_eq!(o.stderr, "No resources found\n");
    // Machine formats print the empty List instead.
    let o = k(&mut c, "get svc -l app=none -o json");
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v,
        json!({"apiVersion": "v1", "items": [], "kind": "List", "metadata": {"resourceVersion": ""}})
    );
    assert_eq!(o.stderr, "");
}

#[test]
fn label_selectors() {
    let mut c = cluster();
    ok(
        &k(&mut c, "get svc -A -l k8s-app=kube-dns -o name"),
        "service/kube-dns\n",
    );
    ok(
        &k(
            &mut c,
            "get svc -A -l 'component in (apiserver, other)' -o name",
        ),
        "service/kubernetes\n",
    );
    ok(
        &k(
            &mut c,
            "get svc -A --selector 'component notin (apiserver),!nothing' -o name",
        ),
        "service/kube-dns\n",
    );
    ok(
        &k(&mut c, "get svc -A -l component!=apiserver,k8s-app -o name"),
        "service/kube-dns\n",
    );
    ok(
        &k(
            &mut c,
            "get ip -l ipaddress.kubernetes.io/managed-by=ipallocator.k8s.io -o name",
        ),
        "ipaddress.networking.k8s.io/10.96.0.1\nipaddress.networking.k8s.io/10.96.0.10\n",
    );
    let o = k(&mut c, "get svc -l 'a in (b'");
    assert_eq!(o.exit_code, 1);
    assert!(
        o.stderr.starts_with("Error from server (BadRequest): "),
        "{}",
        o.stderr
    );
}

#[test]
fn json_of_one_object_and_of_several() {
    let mut c = cluster();
    let o = k(&mut c, "get servicecidr kubernetes -o json");
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["kind"], "ServiceCIDR");
    assert_eq!(v["apiVersion"], "networking.k8s.io/v1");
    assert!(o.stdout.starts_with(
        "{\n    \"apiVersion\": \"networking.k8s.io/v1\",\n    \"kind\": \"ServiceCIDR\",\n"
    ));
    assert!(o.stdout.ends_with("}\n"));
    for line in [
        "get servicecidr kubernetes kubernetes -o json",
        "get servicecidr -o json",
    ] {
        let v: Value = serde_json::from_str(&k(&mut c, line).stdout).unwrap();
        assert_eq!(v["kind"], "List", "{line}");
        assert_eq!(v["apiVersion"], "v1");
        assert_eq!(v["metadata"], json!({"resourceVersion": ""}));
        assert_eq!(v["items"][0]["kind"], "ServiceCIDR");
    }
    // A named object that is missing among several: the List holds what was found.
    let o = k(&mut c, "get servicecidr nope kubernetes -o yaml");
    assert!(
        o.stdout
            .starts_with("apiVersion: v1\nitems:\n- apiVersion: networking.k8s.io/v1\n"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"),
        "{}",
        o.stdout
    );
    assert_eq!(
        o.stderr,
        "Error from server (NotFound): servicecidrs.networking.k8s.io \"nope\" not found\n"
    );
    assert_eq!(o.exit_code, 1);
}

#[test]
fn jsonpath() {
    let mut c = cluster();
    ok(
        &k(&mut c, "get svc kubernetes -o jsonpath='{.spec.clusterIP}'"),
        "10.96.0.1",
    );
    ok(
        &k(
            &mut c,
            "get svc kubernetes -o jsonpath={.spec.ports[0].targetPort}",
        ),
        "6443",
    );
    ok(
        &k(&mut c, "get svc -A -o jsonpath='{.items[*].metadata.name}'"),
        "kubernetes kube-dns",
    );
    ok(
        &k(
            &mut c,
            "get servicecidr kubernetes -o=jsonpath='{.status.conditions[0].message}'",
        ),
        "Kubernetes Service CIDR is ready",
    );
}

#[test]
fn unknown_types_flags_and_watch() {
    let mut c = cluster();
    fails(
        &k(&mut c, "get widgets"),
        "",
        "error: the server doesn't have a resource type \"widgets\"\n",
    );
    fails(
        &k(&mut c, "get svc --bogus"),
        "",
        "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n",
    );
    fails(
        &k(&mut c, "get svc -z"),
        "",
        "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n",
    );
    fails(
        &k(&mut c, "get svc -n"),
        "",
        "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n",
    );
    fails(
        &k(&mut c, "get svc -o bogus"),
        "",
        "error: unable to match a printer suitable for the output format \"bogus\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n",
    );
    let o = k(&mut c, "get svc -w");
    assert_eq!(o.exit_code, 1);
    assert!(o
        .stderr
        .starts_with("error: watching (-w/--watch) is not available in this simulator"));
    let o = k(&mut c, "get");
    assert_eq!(o.exit_code, 1);
    assert_eq!(
        o.stderr,
        "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n\
         error: Required resource not specified.\n\
         Use \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\n\
         See 'kubectl get -h' for help and examples\n"
    );
}

#[test]
fn events_are_listed_through_the_core_group() {
    let mut c = cluster();
    // An IPAddress whose Service does not exist is cleaned up by the repair loop
    // after a minute, with a Warning event.
    let o = c.kubectl(
        "create -f -",
        Some("apiVersion: networking.k8s.io/v1\nkind: IPAddress\nmetadata:\n  name: 10.96.0.7\n  labels:\n    ipaddress.kubernetes.io/ip-family: IPv4\n    ipaddress.kubernetes.io/managed-by: ipallocator.k8s.io\nspec:\n  parentRef:\n    resource: services\n    namespace: default\n    name: ghost\n"),
    );
    assert_eq!(
        o.stdout, "ipaddress.networking.k8s.io/10.96.0.7 created\n",
        "{}",
        o.stderr
    );
    c.advance(240.0).unwrap();
    let o = k(&mut c, "get events -A -o json");
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let items = v["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{}", o.stdout);
    for e in items {
        assert_eq!(e["apiVersion"], "v1");
        assert!(e.get("involvedObject").is_some());
        assert!(e["firstTimestamp"].is_null());
    }
    let o = k(&mut c, "get ev -A -o name");
    assert!(o.stderr.starts_with(
        "Warning: short name \"ev\" could also match lower priority resource events.events.k8s.io\n"
    ));
    let o = k(&mut c, "get events.events.k8s.io -A -o json");
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["items"][0]["apiVersion"], "events.k8s.io/v1");
}
