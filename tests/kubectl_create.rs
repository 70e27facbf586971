#![cfg(not(target_arch = "wasm32"))]
//! `kubectl create service …` and `kubectl create -f -` against the simulated
//! cluster: the objects kubectl sends, its output lines and its error wrapping.

mod common;

use common::{cidr, k, kin, RANGE_FULL};
use serde_json::{json, Value};
use servicecidr_sim::{Cluster, CommandOutput};

fn cluster() -> Cluster {
    common::cluster(11.0)
}

fn json_of(o: &CommandOutput) -> Value {
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {:?}", o))
}

#[test]
fn create_service_clusterip_prints_created() {
    let mut c = cluster();
    let o = k(&mut c, "kubectl create service clusterip test-1 --tcp 80");
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
        ("service/test-1 created\n", "", 0)
    );
    let svc = c.get("service", "test-1", Some("default")).unwrap();
    assert_eq!(svc["metadata"]["labels"], json!({"app": "test-1"}));
    assert_eq!(svc["spec"]["selector"], json!({"app": "test-1"}));
    assert_eq!(
        svc["spec"]["ports"],
        json!([{"name": "80", "port": 80, "protocol": "TCP", "targetPort": 80}])
    );
    assert_eq!(svc["spec"]["type"], "ClusterIP");
}

#[test]
fn json_output_is_the_typed_object_in_struct_order() {
    let mut c = cluster();
    let o = k(
        &mut c,
        "create service clusterip test-1 --tcp 80:8080 -o json",
    );
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    let v = json_of(&o);
    let ip = v["spec"]["clusterIP"].as_str().unwrap().to_string();
    assert_eq!(v["spec"]["clusterIPs"], json!([ip]));
    let meta = &v["metadata"];
    let want = format!(
        "{{\n    \"kind\": \"Service\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {{\n        \"name\": \"test-1\",\n        \"namespace\": \"default\",\n        \"uid\": \"{uid}\",\n        \"resourceVersion\": \"{rv}\",\n        \"creationTimestamp\": \"2026-11-27T10:45:53Z\",\n        \"labels\": {{\n            \"app\": \"test-1\"\n        }}\n    }},\n    \"spec\": {{\n        \"ports\": [\n            {{\n                \"name\": \"80-8080\",\n                \"protocol\": \"TCP\",\n                \"port\": 80,\n                \"targetPort\": 8080\n            }}\n        ],\n        \"selector\": {{\n            \"app\": \"test-1\"\n        }},\n        \"clusterIP\": \"{ip}\",\n        \"clusterIPs\": [\n            \"{ip}\"\n        ],\n        \"type\": \"ClusterIP\",\n        \"sessionAffinity\": \"None\",\n        \"ipFamilies\": [\n            \"IPv4\"\n        ],\n        \"ipFamilyPolicy\": \"SingleStack\",\n        \"internalTrafficPolicy\": \"Cluster\"\n    }},\n    \"status\": {{\n        \"loadBalancer\": {{}}\n    }}\n}}\n",
        uid = meta["uid"].as_str().unwrap(),
        rv = meta["resourceVersion"].as_str().unwrap(),
    );
    assert_eq!(o.stdout, want);
}

#[test]
fn client_dry_run_shows_what_kubectl_would_send() {
    let mut c = cluster();
    let o = k(
        &mut c,
        "create service clusterip x --tcp 80 --dry-run=client -o json",
    );
    assert_eq!(
        json_of(&o),
        json!({"kind": "Service", "apiVersion": "v1",
            "metadata": {"name": "x", "creationTimestamp": null, "labels": {"app": "x"}},
            "spec": {"ports": [{"name": "80", "protocol": "TCP", "port": 80, "targetPort": 80}],
                "selector": {"app": "x"}, "type": "ClusterIP"},
            "status": {"loadBalancer": {}}})
    );
    let o = k(
        &mut c,
        "create service clusterip x --tcp 80,443 --dry-run=client -o yaml",
    );
    assert_eq!(
        o.stdout,
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: x\n  name: x\nspec:\n  ports:\n  - name: \"80\"\n    port: 80\n    protocol: TCP\n    targetPort: 80\n  - name: \"443\"\n    port: 443\n    protocol: TCP\n    targetPort: 443\n  selector:\n    app: x\n  type: ClusterIP\nstatus:\n  loadBalancer: {}\n"
    );
    let o = k(
        &mut c,
        "create service clusterip x --clusterip None --dry-run=client -o json",
    );
    assert_eq!(
        json_of(&o)["spec"],
        json!({"clusterIP": "None", "selector": {"app": "x"}, "type": "ClusterIP"})
    );
    let o = k(
        &mut c,
        "create service nodeport x --tcp 80 --node-port 30001 --dry-run=client -o json",
    );
    assert_eq!(
        json_of(&o)["spec"]["ports"],
        json!([{"name": "80", "protocol": "TCP", "port": 80, "targetPort": 80, "nodePort": 30001}])
    );
    let o = k(
        &mut c,
        "create service loadbalancer x --tcp 80:8080 --dry-run=client -o json",
    );
    assert_eq!(json_of(&o)["spec"]["type"], "LoadBalancer");
    assert_eq!(json_of(&o)["spec"]["ports"][0]["name"], "80-8080");
    let o = k(
        &mut c,
        "create service externalname x --external-name foo.com --dry-run=client -o json",
    );
    assert_eq!(
        json_of(&o)["spec"],
        json!({"externalName": "foo.com", "selector": {"app": "x"}, "type": "ExternalName"})
    );
    let o = k(
        &mut c,
        "create service clusterip x --tcp 80 --dry-run=client",
    );
    assert_eq!(o.stdout, "service/x created (dry run)\n");
    // Nothing reached the cluster.
    assert!(c.get("service", "x", Some("default")).is_err());
}

#[test]
fn server_dry_run_allocates_nothing() {
    let mut c = cluster();
    let o = k(
        &mut c,
        "create service clusterip x --tcp 80 --dry-run=server",
    );
    assert_eq!(
        (o.stdout.as_str(), o.exit_code),
        ("service/x created (server dry run)\n", 0)
    );
    assert!(c.get("service", "x", Some("default")).is_err());
    let o = k(&mut c, "get ip -o name");
    assert_eq!(o.stdout.lines().count(), 2, "{}", o.stdout);
}

#[test]
fn every_server_error_is_wrapped() {
    let mut c = cluster();
    k(&mut c, "create service clusterip s0 --tcp 80");
    let o = k(&mut c, "create service nodeport s0 --tcp 80");
    assert_eq!(
        o.stderr,
        "error: failed to create NodePort service: services \"s0\" already exists\n"
    );
    for i in 1..12 {
        let o = k(&mut c, &format!("create service clusterip s{i} --tcp 80"));
        assert_eq!(o.exit_code, 0, "{}", o.stderr);
    }
    let o = k(&mut c, "create service clusterip s12 --tcp 80 -o json");
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
        ("", RANGE_FULL, 1)
    );
    // Allocation comes before the storage write, so a full range answers first.
    let o = k(&mut c, "create service nodeport s0 --tcp 80");
    assert_eq!(
        o.stderr,
        RANGE_FULL.replace("ClusterIP service", "NodePort service")
    );
    let o = k(
        &mut c,
        "create service clusterip pinned --tcp 80 --clusterip 10.96.0.1",
    );
    assert_eq!(
        o.stderr,
        "error: failed to create ClusterIP service: Service \"pinned\" is invalid: spec.clusterIPs: Invalid value: [\"10.96.0.1\"]: failed to allocate IP 10.96.0.1: provided IP is already allocated\n"
    );
    let o = k(
        &mut c,
        "create service clusterip out --tcp 80 --clusterip 10.100.0.1",
    );
    assert_eq!(
        o.stderr,
        "error: failed to create ClusterIP service: Service \"out\" is invalid: spec.clusterIPs: Invalid value: [\"10.100.0.1\"]: failed to allocate IP 10.100.0.1: the provided network does not match the current range\n"
    );
    assert_eq!(o.exit_code, 1);
}

#[test]
fn generator_usage_errors() {
    let mut c = cluster();
    for (line, want) in [
        ("create service clusterip", "error: exactly one NAME is required, got 0\nSee 'kubectl create service clusterip -h' for help and examples\n"),
        ("create service clusterip x", "error: at least one tcp port specifier must be provided\n"),
        ("create service foo x", "error: unknown command \"foo x\"\nSee 'kubectl create service -h' for help and examples\n"),
        ("create service clusterip x --tcp=abc", "error: strconv.ParseUint: parsing \"abc\": invalid syntax\n"),
        ("create service externalname x", "error: required flag(s) \"external-name\" not set\n"),
        ("create service loadbalancer x --tcp 80 --clusterip None", "error: unknown flag: --clusterip\nSee 'kubectl create service loadbalancer --help' for usage.\n"),
        ("create service clusterip x --tcp 80 --dry-run=bogus", "error: Invalid dry-run value (bogus). Must be \"none\", \"server\", or \"client\".\n"),
        ("create", "error: must specify one of -f and -k\n"),
    ] {
        let o = k(&mut c, line);
        assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.exit_code), ("", want, 1), "{line}");
    }
}

#[test]
fn create_from_stdin() {
    let mut c = cluster();
    let o = kin(&mut c, "create -f -", &cidr("newcidr1", "10.96.0.0/24"));
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
        ("servicecidr.networking.k8s.io/newcidr1 created\n", "", 0)
    );
    let o = kin(&mut c, "create -f -", &cidr("newcidr1", "10.96.0.0/24"));
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
        ("", "Error from server (AlreadyExists): error when creating \"STDIN\": servicecidrs.networking.k8s.io \"newcidr1\" already exists\n", 1)
    );
    // JSON works too, and an -o format prints the stored object.
    let o = kin(
        &mut c,
        "create -f - -o jsonpath={.spec.cidrs[0]}",
        r#"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"j"},"spec":{"cidrs":["10.97.0.0/24"]}}"#,
    );
    assert_eq!(o.stdout, "10.97.0.0/24");
    let o = kin(
        &mut c,
        "create -f - -o name --dry-run=server",
        &cidr("dry", "10.98.0.0/24"),
    );
    assert_eq!(o.stdout, "servicecidr.networking.k8s.io/dry\n");
    assert!(c.get("servicecidr", "dry", None).is_err());
}

#[test]
fn invalid_objects_print_their_causes() {
    let mut c = cluster();
    let o = kin(&mut c, "create -f -", &cidr("bad", "garbage"));
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
        ("", "The ServiceCIDR \"bad\" is invalid: spec.cidrs[0]: Invalid value: \"garbage\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)\n", 1)
    );
    let o = kin(
        &mut c,
        "create -f -",
        "apiVersion: networking.k8s.io/v1\nkind: IPAddress\nmetadata:\n  name: 10.96.0.300\nspec: {}\n",
    );
    assert_eq!(
        o.stderr,
        "The IPAddress \"10.96.0.300\" is invalid: \n\
         * metadata.name: Invalid value: \"10.96.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)\n\
         * spec.parentRef: Required value\n"
    );
}

#[test]
fn several_documents_report_every_failure_in_the_server_form() {
    let mut c = cluster();
    kin(&mut c, "create -f -", &cidr("taken", "10.97.0.0/24"));
    let stream = format!(
        "{}---\n{}---\n{}",
        cidr("good", "10.98.0.0/24"),
        cidr("bad", "garbage"),
        cidr("taken", "10.97.0.0/24")
    );
    let o = kin(&mut c, "create -f -", &stream);
    assert_eq!(o.stdout, "servicecidr.networking.k8s.io/good created\n");
    assert_eq!(
        o.stderr,
        "Error from server (Invalid): error when creating \"STDIN\": ServiceCIDR.networking.k8s.io \"bad\" is invalid: spec.cidrs[0]: Invalid value: \"garbage\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)\n\
         Error from server (AlreadyExists): error when creating \"STDIN\": servicecidrs.networking.k8s.io \"taken\" already exists\n"
    );
    assert_eq!(o.exit_code, 1);
}

#[test]
fn manifest_errors() {
    let mut c = cluster();
    let o = kin(&mut c, "create -f -", "");
    assert_eq!(o.stderr, "error: no objects passed to create\n");
    let o = kin(&mut c, "create -f manifest.yaml", "");
    assert_eq!(
        o.stderr,
        "error: the path \"manifest.yaml\" does not exist\n"
    );
    let o = kin(
        &mut c,
        "create -f -",
        "kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: x\n",
    );
    assert_eq!(
        o.stderr,
        "error: resource mapping not found for name: \"x\" namespace: \"\" from \"STDIN\": no matches for kind \"Deployment\" in version \"apps/v1\"\nensure CRDs are installed first\n"
    );
    let o = kin(
        &mut c,
        "create -f - -n bar",
        "kind: Service\napiVersion: v1\nmetadata:\n  name: x\n  namespace: foo\nspec:\n  ports: [{port: 80}]\n",
    );
    assert_eq!(
        o.stderr,
        "error: the namespace from the provided object \"foo\" does not match the namespace \"bar\". You must pass '--namespace=foo' to perform this operation.\n"
    );
    assert_eq!(o.exit_code, 1);
}

#[test]
fn manifests_may_say_v1beta1() {
    // Served 1.31 to 1.36; 1.37 removed it (PR #139820), see tests/release_api.rs.
    let mut c = common::cluster_release(1.0, "1.36");
    let m =
        cidr("old", "10.97.0.0/24").replace("networking.k8s.io/v1", "networking.k8s.io/v1beta1");
    let o = kin(&mut c, "create -f -", &m);
    assert_eq!(
        o.stdout, "servicecidr.networking.k8s.io/old created\n",
        "{}",
        o.stderr
    );
    let v = c.get("servicecidr", "old", None).unwrap();
    assert_eq!(v["apiVersion"], "networking.k8s.io/v1");
}
