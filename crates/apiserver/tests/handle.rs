//! handle(): routes, verbs, Status bodies, Tables, discovery, watch, and the
//! transport-level answers (404 text, 405, 413, 400), each checked through the
//! public interface the HTTP adapter and kubectl use.

use serde_json::{json, Value};
use servicecidr_apiserver::{handle, watch_poll, Request, Response};
use servicecidr_core::{Cluster, ClusterOptions};

const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const AGG_ACCEPT: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

/// The docs page's cluster: 10.96.0.0/28, created 17 days before now.
fn cluster() -> Cluster {
    let mut c = Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.96.0.0/28".into()),
        seed: Some(7.0),
        now: Some(json!("2026-11-10T10:34:06Z")),
        // 1.34 serves networking.k8s.io v1 and v1beta1, as these tests expect.
        version: Some("1.34".into()),
        ..Default::default()
    })
    .expect("cluster");
    c.advance(17.0 * 86400.0).expect("advance");
    c
}

fn req(method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Request {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Request {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
        user: None,
    }
}

fn call(c: &mut Cluster, method: &str, target: &str, body: &str) -> Response {
    handle(c, &req(method, target, &[], body))
}

fn json_of(r: &Response) -> Value {
    serde_json::from_slice(&r.body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&r.body)))
}

fn cidr(name: &str, cidr: &str) -> String {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
           "metadata": {"name": name}, "spec": {"cidrs": [cidr]}})
    .to_string()
}

fn service(name: &str) -> String {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
           "spec": {"ports": [{"port": 80}]}})
    .to_string()
}

#[test]
fn every_response_says_no_cache_private() {
    let mut c = cluster();
    for target in ["/version", "/api", "/nope", "/healthz"] {
        let r = call(&mut c, "GET", target, "");
        assert_eq!(
            r.header("cache-control"),
            Some("no-cache, private"),
            "{target}"
        );
    }
}

#[test]
fn version_and_health() {
    let mut c = cluster();
    let r = call(&mut c, "GET", "/version", "");
    assert_eq!(r.status, 200);
    let v = json_of(&r);
    assert_eq!(
        (v["major"].as_str(), v["minor"].as_str()),
        (Some("1"), Some("34"))
    );
    // "1.34" is the newest modelled patch of 1.34.
    assert_eq!(v["gitVersion"], "v1.34.8");
    for p in ["/healthz", "/livez", "/readyz"] {
        let r = call(&mut c, "GET", p, "");
        assert_eq!(
            (r.status, r.body.as_slice()),
            (200, b"ok".as_slice()),
            "{p}"
        );
    }
}

#[test]
fn unknown_paths_answer_the_routers_404_text() {
    let mut c = cluster();
    for target in [
        "/nope",
        "/apis/apps/v1",
        "/apis/networking.k8s.io/v2/servicecidrs",
        "/apis/networking.k8s.io/v1/widgets",
        "/apis/networking.k8s.io/v1/namespaces/default/servicecidrs",
        "/api/v1/services/kubernetes",
        "/apis/networking.k8s.io/v1/ipaddresses/10.96.0.1/status",
        "/api/v1/namespaces/default/services/a/b/c",
    ] {
        let r = call(&mut c, "GET", target, "");
        assert_eq!(r.status, 404, "{target}");
        assert_eq!(r.body, b"404 page not found\n", "{target}");
        assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    }
}

#[test]
fn unsupported_verbs_answer_405_status() {
    let mut c = cluster();
    for (m, target) in [
        ("POST", "/apis/networking.k8s.io/v1/servicecidrs/kubernetes"),
        ("PUT", "/apis/networking.k8s.io/v1/servicecidrs"),
        ("POST", "/api/v1/services"),
        ("POST", "/api/v1/namespaces/default/events"),
        ("DELETE", "/version"),
        ("TRACE", "/api/v1/namespaces/default/services"),
    ] {
        let r = call(&mut c, m, target, "{}");
        assert_eq!(r.status, 405, "{m} {target}");
        assert_eq!(
            json_of(&r),
            json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                   "message": "the server does not allow this method on the requested resource",
                   "reason": "MethodNotAllowed",
                   "details": {"causes": [{"reason": "UnexpectedServerResponse", "message": "405: Method Not Allowed"}]},
                   "code": 405})
        );
    }
}

#[test]
fn not_found_status() {
    let mut c = cluster();
    let r = call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1/servicecidrs/newcidr1",
        "",
    );
    assert_eq!(r.status, 404);
    assert_eq!(
        json_of(&r),
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": "servicecidrs.networking.k8s.io \"newcidr1\" not found",
               "reason": "NotFound", "details": {"name": "newcidr1", "group": "networking.k8s.io",
               "kind": "servicecidrs"}, "code": 404})
    );
    let r = call(
        &mut c,
        "GET",
        "/api/v1/namespaces/default/services/nope",
        "",
    );
    assert_eq!(json_of(&r)["message"], "services \"nope\" not found");
}

#[test]
fn create_get_and_already_exists() {
    let mut c = cluster();
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs?fieldManager=kubectl-client-side-apply&fieldValidation=Strict",
        &cidr("newcidr1", "10.96.0.0/24"),
    );
    assert_eq!(r.status, 201);
    let v = json_of(&r);
    assert_eq!(v["apiVersion"], "networking.k8s.io/v1");
    assert_eq!(v["metadata"]["name"], "newcidr1");
    let r = call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1/servicecidrs/newcidr1",
        "",
    );
    assert_eq!(json_of(&r)["spec"]["cidrs"], json!(["10.96.0.0/24"]));
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &cidr("newcidr1", "10.96.0.0/24"),
    );
    assert_eq!(r.status, 409);
    assert_eq!(
        json_of(&r),
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": "servicecidrs.networking.k8s.io \"newcidr1\" already exists",
               "reason": "AlreadyExists", "details": {"name": "newcidr1",
               "group": "networking.k8s.io", "kind": "servicecidrs"}, "code": 409})
    );
}

#[test]
fn invalid_status_carries_causes() {
    let mut c = cluster();
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &cidr("bad", "garbage"),
    );
    assert_eq!(r.status, 422);
    let v = json_of(&r);
    assert_eq!(v["reason"], "Invalid");
    assert_eq!(v["details"]["kind"], "ServiceCIDR");
    assert_eq!(v["details"]["name"], "bad");
    assert_eq!(v["details"]["causes"][0]["field"], "spec.cidrs[0]");
    assert_eq!(v["details"]["causes"][0]["reason"], "FieldValueInvalid");
    assert!(v["message"]
        .as_str()
        .unwrap()
        .starts_with("ServiceCIDR.networking.k8s.io \"bad\" is invalid: spec.cidrs[0]: Invalid value: \"garbage\""));
}

#[test]
fn range_full_is_an_internal_error_and_changes_nothing() {
    let mut c = cluster();
    let mut last = None;
    for i in 1..=20 {
        let r = call(
            &mut c,
            "POST",
            "/api/v1/namespaces/default/services?fieldManager=kubectl-create&fieldValidation=Strict",
            &service(&format!("test-{i}")),
        );
        if r.status != 201 {
            last = Some((i, r));
            break;
        }
        assert!(json_of(&r)["spec"]["clusterIP"].is_string());
    }
    let (i, r) = last.expect("the /28 fills up");
    assert_eq!(i, 13, "12 Services fit beside kubernetes and kube-dns");
    assert_eq!(r.status, 500);
    assert_eq!(
        json_of(&r),
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": "Internal error occurred: failed to allocate a serviceIP: range is full",
               "reason": "InternalError",
               "details": {"causes": [{"message": "failed to allocate a serviceIP: range is full"}]},
               "code": 500})
    );
    let r = call(
        &mut c,
        "GET",
        "/api/v1/namespaces/default/services/test-13",
        "",
    );
    assert_eq!(r.status, 404);
}

#[test]
fn dry_run_all_writes_nothing() {
    let mut c = cluster();
    let rv = c.resource_version();
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs?dryRun=All",
        &cidr("dry", "10.97.0.0/24"),
    );
    assert_eq!(r.status, 201);
    assert_eq!(c.resource_version(), rv);
    let r = call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1/servicecidrs/dry",
        "",
    );
    assert_eq!(r.status, 404);
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs?dryRun=Some",
        &cidr("dry", "10.97.0.0/24"),
    );
    assert_eq!(r.status, 422);
    assert_eq!(
        json_of(&r)["message"],
        "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: [\"Some\"]: supported values: \"All\""
    );
    let r = call(
        &mut c,
        "DELETE",
        "/api/v1/namespaces/default/services/kubernetes",
        r#"{"propagationPolicy":"Background","dryRun":["All"]}"#,
    );
    assert_eq!(r.status, 200);
    assert_eq!(c.resource_version(), rv);
}

#[test]
fn bodies_in_yaml_and_bad_bodies() {
    let mut c = cluster();
    let yaml = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: y\nspec:\n  cidrs:\n  - 10.98.0.0/24\n";
    let r = handle(
        &mut c,
        &req(
            "POST",
            "/apis/networking.k8s.io/v1/servicecidrs",
            &[("Content-Type", "application/yaml")],
            yaml,
        ),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let rv = c.resource_version();
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        "{\"kind\":",
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        json_of(&r)["message"],
        "the object provided is unrecognized (must be of type ServiceCIDR): couldn't get version/kind; json parse error: unexpected end of JSON input ({\"kind\":)"
    );
    let big = format!("{{\"x\":\"{}\"}}", "a".repeat(3 * 1024 * 1024));
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &big,
    );
    assert_eq!(r.status, 413);
    assert_eq!(
        json_of(&r),
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": "Request entity too large: limit is 3145728",
               "reason": "RequestEntityTooLarge", "code": 413})
    );
    let r = handle(
        &mut c,
        &req(
            "POST",
            "/api/v1/namespaces/default/services",
            &[("Content-Type", "text/plain")],
            "x",
        ),
    );
    assert_eq!(r.status, 415);
    assert_eq!(json_of(&r)["reason"], "UnsupportedMediaType");
    // Another version or kind than the endpoint's.
    let v1beta1 =
        cidr("z", "10.99.0.0/24").replace("networking.k8s.io/v1", "networking.k8s.io/v1beta1");
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &v1beta1,
    );
    assert_eq!(
        json_of(&r)["message"],
        "the API version in the data (networking.k8s.io/v1beta1) does not match the expected API version (networking.k8s.io/v1)"
    );
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &service("s"),
    );
    assert_eq!(r.status, 400);
    assert_eq!(c.resource_version(), rv, "failed requests change nothing");
}

#[test]
fn v1beta1_answers_v1beta1_objects() {
    let mut c = cluster();
    let v1beta1 =
        cidr("b1", "10.99.0.0/24").replace("networking.k8s.io/v1", "networking.k8s.io/v1beta1");
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1beta1/servicecidrs",
        &v1beta1,
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(json_of(&r)["apiVersion"], "networking.k8s.io/v1beta1");
    let r = call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1beta1/servicecidrs",
        "",
    );
    let v = json_of(&r);
    assert_eq!(v["kind"], "ServiceCIDRList");
    assert_eq!(v["apiVersion"], "networking.k8s.io/v1beta1");
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["apiVersion"] == "networking.k8s.io/v1beta1"));
    let r = call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1/servicecidrs/b1",
        "",
    );
    assert_eq!(json_of(&r)["apiVersion"], "networking.k8s.io/v1");
}

#[test]
fn update_and_status_subresource() {
    let mut c = cluster();
    let r = call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1/servicecidrs/kubernetes",
        "",
    );
    let mut sc = json_of(&r);
    sc["metadata"]["labels"] = json!({"a": "b"});
    let r = call(
        &mut c,
        "PUT",
        "/apis/networking.k8s.io/v1/servicecidrs/kubernetes",
        &sc.to_string(),
    );
    assert_eq!(r.status, 200);
    assert_eq!(json_of(&r)["metadata"]["labels"], json!({"a": "b"}));
    // The name in the body must be the URL's.
    let r = call(
        &mut c,
        "PUT",
        "/apis/networking.k8s.io/v1/servicecidrs/other",
        &sc.to_string(),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        json_of(&r)["message"],
        "the name of the object (kubernetes) does not match the name on the URL (other)"
    );
    // A stale resourceVersion conflicts.
    let r = call(
        &mut c,
        "PUT",
        "/apis/networking.k8s.io/v1/servicecidrs/kubernetes",
        &sc.to_string(),
    );
    assert_eq!(r.status, 409);
    assert_eq!(json_of(&r)["reason"], "Conflict");
    // /status keeps the spec.
    let mut sc = json_of(&call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1/servicecidrs/kubernetes/status",
        "",
    ));
    sc["spec"]["cidrs"] = json!(["10.0.0.0/8"]);
    let r = call(
        &mut c,
        "PUT",
        "/apis/networking.k8s.io/v1/servicecidrs/kubernetes/status",
        &sc.to_string(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(json_of(&r)["spec"]["cidrs"], json!(["10.96.0.0/28"]));
}

fn patch_req(c: &mut Cluster, target: &str, ct: &str, body: &str) -> Response {
    handle(c, &req("PATCH", target, &[("Content-Type", ct)], body))
}

#[test]
fn patch_types_are_dispatched_by_content_type() {
    let mut c = cluster();
    let target = "/apis/networking.k8s.io/v1/servicecidrs/kubernetes?fieldManager=kubectl-client-side-apply&fieldValidation=Strict";
    let r = patch_req(
        &mut c,
        target,
        "application/merge-patch+json",
        r#"{"metadata":{"labels":{"a":"b"}}}"#,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(json_of(&r)["metadata"]["labels"], json!({"a": "b"}));
    let r = patch_req(
        &mut c,
        target,
        "application/json-patch+json",
        r#"[{"op":"add","path":"/metadata/labels/c","value":"d"}]"#,
    );
    assert_eq!(
        json_of(&r)["metadata"]["labels"],
        json!({"a": "b", "c": "d"})
    );
    // Strategic merge patch merges Service ports by port (kubectl 1.33's apply).
    call(
        &mut c,
        "POST",
        "/api/v1/namespaces/default/services",
        &service("web"),
    );
    let r = patch_req(
        &mut c,
        "/api/v1/namespaces/default/services/web",
        "application/strategic-merge-patch+json",
        r#"{"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"targetPort":9090}],"selector":{"tier":"fe"}}}"#,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = json_of(&r);
    assert_eq!(
        v["spec"]["ports"],
        json!([{"port": 80, "protocol": "TCP", "targetPort": 9090}])
    );
    assert_eq!(v["spec"]["selector"], json!({"tier": "fe"}));
    // A failed patch changes nothing.
    let rv = c.resource_version();
    let r = patch_req(&mut c, target, "application/merge-patch+json", "{");
    assert_eq!(r.status, 400);
    let r = patch_req(
        &mut c,
        target,
        "application/merge-patch+json",
        r#"{"spec":{"cidrs":["10.0.0.0/8"]}}"#,
    );
    assert_eq!(r.status, 422);
    assert_eq!(c.resource_version(), rv);
    let r = patch_req(&mut c, target, "application/json", "{}");
    assert_eq!(r.status, 415);
    assert_eq!(
        json_of(&r)["message"],
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml"
    );
    let r = patch_req(
        &mut c,
        "/apis/networking.k8s.io/v1/servicecidrs/nope",
        "application/merge-patch+json",
        "{}",
    );
    assert_eq!(r.status, 404);
}

/// kubectl 1.33's `create service clusterip test-1 --tcp 80`, recorded.
#[test]
fn protobuf_creates_are_decoded() {
    let mut c = cluster();
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/protobuf/create-service-clusterip-test-1.pb"
    ))
    .expect("fixture");
    let r = handle(
        &mut c,
        &Request {
            method: "POST".into(),
            path: "/api/v1/namespaces/default/services".into(),
            query: "fieldManager=kubectl-create&fieldValidation=Strict".into(),
            headers: vec![
                (
                    "Content-Type".into(),
                    "application/vnd.kubernetes.protobuf".into(),
                ),
                (
                    "Accept".into(),
                    "application/vnd.kubernetes.protobuf,application/json".into(),
                ),
            ],
            body,
            user: None,
        },
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let v = json_of(&r);
    assert_eq!(v["metadata"]["name"], "test-1");
    assert!(v["spec"]["clusterIP"]
        .as_str()
        .unwrap()
        .starts_with("10.96.0."));
}

#[test]
fn delete_answers_the_object_or_status_success() {
    let mut c = cluster();
    call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &cidr("gone", "10.97.0.0/24"),
    );
    call(
        &mut c,
        "POST",
        "/api/v1/namespaces/default/services",
        &service("web"),
    );
    c.reconcile();
    // Services: the registry returns the deleted object.
    let r = call(
        &mut c,
        "DELETE",
        "/api/v1/namespaces/default/services/web",
        r#"{"propagationPolicy":"Background"}"#,
    );
    assert_eq!(r.status, 200);
    assert_eq!(json_of(&r)["kind"], "Service");
    // A ServiceCIDR held by its finalizer stays, with deletionTimestamp.
    let r = call(
        &mut c,
        "DELETE",
        "/apis/networking.k8s.io/v1/servicecidrs/gone",
        r#"{"propagationPolicy":"Background"}"#,
    );
    let v = json_of(&r);
    assert_eq!(v["kind"], "ServiceCIDR");
    assert!(v["metadata"]["deletionTimestamp"].is_string());
    assert_eq!(v["metadata"]["deletionGracePeriodSeconds"], 0);
    // An IPAddress without finalizers goes at once: Status Success.
    let ip = json!({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
        "metadata": {"name": "192.168.7.7"},
        "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "x"}}});
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/ipaddresses",
        &ip.to_string(),
    );
    let uid = json_of(&r)["metadata"]["uid"].clone();
    let r = call(
        &mut c,
        "DELETE",
        "/apis/networking.k8s.io/v1/ipaddresses/192.168.7.7",
        "",
    );
    assert_eq!(
        json_of(&r),
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
               "details": {"name": "192.168.7.7", "group": "networking.k8s.io",
                           "kind": "ipaddresses", "uid": uid}})
    );
    // Preconditions.
    let r = call(
        &mut c,
        "DELETE",
        "/apis/networking.k8s.io/v1/servicecidrs/kubernetes",
        r#"{"preconditions":{"uid":"nope"}}"#,
    );
    assert_eq!(r.status, 409);
    assert!(json_of(&r)["message"]
        .as_str()
        .unwrap()
        .contains("Precondition failed: UID in precondition: nope, UID in object meta: "));
}

#[test]
fn deletecollection_deletes_what_matches() {
    let mut c = cluster();
    for n in ["a", "b"] {
        let mut s: Value = serde_json::from_str(&service(n)).unwrap();
        s["metadata"]["labels"] = json!({"app": n});
        call(
            &mut c,
            "POST",
            "/api/v1/namespaces/default/services",
            &s.to_string(),
        );
    }
    let r = call(
        &mut c,
        "DELETE",
        "/api/v1/namespaces/default/services?labelSelector=app%3Da",
        "",
    );
    assert_eq!(r.status, 200);
    assert_eq!(json_of(&r)["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        call(&mut c, "GET", "/api/v1/namespaces/default/services/a", "").status,
        404
    );
    assert_eq!(
        call(&mut c, "GET", "/api/v1/namespaces/default/services/b", "").status,
        200
    );
}

#[test]
fn lists_filter_by_namespace_and_selectors() {
    let mut c = cluster();
    let names = |r: &Response| -> Vec<String> {
        json_of(r)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["metadata"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    let r = call(&mut c, "GET", "/api/v1/services?limit=500", "");
    assert_eq!(names(&r), ["kubernetes", "kube-dns"]);
    let r = call(&mut c, "GET", "/api/v1/namespaces/kube-system/services", "");
    assert_eq!(names(&r), ["kube-dns"]);
    let r = call(
        &mut c,
        "GET",
        "/api/v1/services?fieldSelector=metadata.namespace%3Ddefault",
        "",
    );
    assert_eq!(names(&r), ["kubernetes"]);
    let r = call(
        &mut c,
        "GET",
        "/api/v1/services?labelSelector=component%3Dapiserver",
        "",
    );
    assert_eq!(names(&r), ["kubernetes"]);
    let r = call(
        &mut c,
        "GET",
        "/api/v1/services?fieldSelector=spec.type%3DClusterIP",
        "",
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        json_of(&r)["message"],
        "field label not supported: spec.type"
    );
    let r = call(&mut c, "GET", "/api/v1/services?labelSelector=a+in+(b", "");
    assert_eq!(
        json_of(&r)["message"],
        "unable to parse requirement: found '', expected: ',' or ')'"
    );
    let r = call(&mut c, "GET", "/apis/networking.k8s.io/v1/servicecidrs", "");
    let v = json_of(&r);
    assert_eq!(v["kind"], "ServiceCIDRList");
    assert_eq!(v["metadata"]["resourceVersion"], c.resource_version());
}

#[test]
fn namespaces_and_events_are_served() {
    let mut c = cluster();
    let r = call(&mut c, "GET", "/api/v1/namespaces", "");
    let v = json_of(&r);
    assert_eq!(v["kind"], "NamespaceList");
    assert_eq!(v["items"].as_array().map(Vec::len), Some(4));
    let r = call(&mut c, "GET", "/api/v1/namespaces/kube-system", "");
    assert_eq!(json_of(&r)["status"]["phase"], "Active");
    let r = call(&mut c, "GET", "/api/v1/namespaces/nope", "");
    assert_eq!(json_of(&r)["message"], "namespaces \"nope\" not found");
    for target in [
        "/api/v1/events",
        "/api/v1/namespaces/default/events",
        "/apis/events.k8s.io/v1/events",
        "/apis/events.k8s.io/v1/namespaces/default/events",
    ] {
        let r = call(&mut c, "GET", target, "");
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(json_of(&r)["kind"], "EventList", "{target}");
    }
}

/// The Table of each kind: upstream's column definitions, the cells, AGE
/// at request time, and PartialObjectMetadata rows.
#[test]
fn tables_for_each_kind() {
    let mut c = cluster();
    let get = |c: &mut Cluster, target: &str| {
        json_of(&handle(
            c,
            &req("GET", target, &[("Accept", TABLE_ACCEPT)], ""),
        ))
    };
    let t = get(&mut c, "/apis/networking.k8s.io/v1/servicecidrs?limit=500");
    assert_eq!(t["kind"], "Table");
    assert_eq!(t["apiVersion"], "meta.k8s.io/v1");
    assert_eq!(t["metadata"]["resourceVersion"], c.resource_version());
    let cols: Vec<(String, String, u64)> = t["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_string(),
                d["format"].as_str().unwrap().to_string(),
                d["priority"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cols,
        [
            ("Name".to_string(), "name".to_string(), 0),
            ("CIDRs".into(), "".into(), 0),
            ("Age".into(), "".into(), 0)
        ]
    );
    assert_eq!(t["columnDefinitions"][1]["type"], "string");
    assert_eq!(
        t["columnDefinitions"][1]["description"],
        "cidrs defines the IP blocks in CIDR notation (e.g. \"192.168.0.0/24\" or \"2001:db8::/64\") from which to assign service cluster IPs. Max of two CIDRs is allowed, one of each IP family. This field is immutable."
    );
    assert_eq!(
        t["rows"][0]["cells"],
        json!(["kubernetes", "10.96.0.0/28", "17d"])
    );
    assert_eq!(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    assert_eq!(t["rows"][0]["object"]["apiVersion"], "meta.k8s.io/v1");
    assert_eq!(
        t["rows"][0]["object"]["metadata"]["finalizers"],
        json!(["networking.k8s.io/service-cidr-finalizer"])
    );

    let t = get(&mut c, "/api/v1/namespaces/default/services/kubernetes");
    assert_eq!(t["metadata"], json!({}));
    let names: Vec<&str> = t["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Name",
            "Type",
            "Cluster-IP",
            "External-IP",
            "Port(s)",
            "Age",
            "Selector"
        ]
    );
    assert_eq!(t["columnDefinitions"][6]["priority"], 1);
    assert_eq!(
        t["rows"][0]["cells"],
        json!([
            "kubernetes",
            "ClusterIP",
            "10.96.0.1",
            "<none>",
            "443/TCP",
            "17d",
            "<none>"
        ])
    );
    assert_eq!(t["rows"][0]["object"]["metadata"]["namespace"], "default");

    // IPAddress: two columns, three cells (upstream's undeclared AGE cell).
    let t = get(&mut c, "/apis/networking.k8s.io/v1/ipaddresses/10.96.0.1");
    assert_eq!(t["columnDefinitions"].as_array().map(Vec::len), Some(2));
    assert_eq!(t["columnDefinitions"][1]["name"], "ParentRef");
    assert_eq!(
        t["rows"][0]["cells"],
        json!(["10.96.0.1", "services/default/kubernetes", "17d"])
    );

    // AGE is computed when the request is served.
    c.advance(2.0 * 86400.0).unwrap();
    let t = get(&mut c, "/apis/networking.k8s.io/v1/servicecidrs/kubernetes");
    assert_eq!(t["rows"][0]["cells"][2], "19d");

    // Events: ten columns, five of them wide-only.
    let t = get(&mut c, "/api/v1/events");
    let prio: Vec<u64> = t["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["priority"].as_u64().unwrap())
        .collect();
    assert_eq!(prio, [0, 0, 0, 0, 1, 1, 0, 1, 1, 1]);

    // A Table v1beta1 Accept gets a v1beta1 Table.
    let r = handle(
        &mut c,
        &req(
            "GET",
            "/apis/networking.k8s.io/v1/servicecidrs",
            &[(
                "Accept",
                "application/json;as=Table;v=v1beta1;g=meta.k8s.io",
            )],
            "",
        ),
    );
    assert_eq!(json_of(&r)["apiVersion"], "meta.k8s.io/v1beta1");
    // A 404 stays a Status.
    let t = get(&mut c, "/apis/networking.k8s.io/v1/servicecidrs/nope");
    assert_eq!(t["kind"], "Status");
}

#[test]
fn legacy_discovery() {
    let mut c = cluster();
    let r = handle(
        &mut c,
        &req("GET", "/api", &[("Host", "127.0.0.1:18080")], ""),
    );
    assert_eq!(
        json_of(&r),
        json!({"kind": "APIVersions", "versions": ["v1"],
               "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:18080"}]})
    );
    let v = json_of(&call(&mut c, "GET", "/apis", ""));
    assert_eq!(v["kind"], "APIGroupList");
    let net = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "networking.k8s.io")
        .unwrap()
        .clone();
    assert_eq!(
        net,
        json!({"name": "networking.k8s.io",
               "versions": [{"groupVersion": "networking.k8s.io/v1", "version": "v1"},
                            {"groupVersion": "networking.k8s.io/v1beta1", "version": "v1beta1"}],
               "preferredVersion": {"groupVersion": "networking.k8s.io/v1", "version": "v1"}})
    );
    let v = json_of(&call(&mut c, "GET", "/apis/networking.k8s.io/v1", ""));
    assert_eq!(v["kind"], "APIResourceList");
    assert_eq!(v["groupVersion"], "networking.k8s.io/v1");
    let ip = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "ipaddresses")
        .unwrap();
    assert_eq!(ip["shortNames"], json!(["ip"]));
    assert_eq!(ip["kind"], "IPAddress");
    assert_eq!(ip["namespaced"], false);
    assert!(v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "servicecidrs/status"));
    let v = json_of(&call(&mut c, "GET", "/api/v1", ""));
    let svc = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "services")
        .unwrap();
    assert_eq!(svc["shortNames"], json!(["svc"]));
    assert_eq!(svc["categories"], json!(["all"]));
    let v = json_of(&call(&mut c, "GET", "/apis/networking.k8s.io", ""));
    assert_eq!(v["kind"], "APIGroup");
}

#[test]
fn aggregated_discovery_negotiation() {
    let mut c = cluster();
    let r = handle(&mut c, &req("GET", "/apis", &[("Accept", AGG_ACCEPT)], ""));
    assert_eq!(
        r.header("content-type"),
        Some("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
    );
    let v = json_of(&r);
    assert_eq!(v["apiVersion"], "apidiscovery.k8s.io/v2");
    let net = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["metadata"]["name"] == "networking.k8s.io")
        .unwrap();
    assert_eq!(net["versions"][0]["version"], "v1");
    assert_eq!(net["versions"][1]["version"], "v1beta1");
    let sc = net["versions"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"] == "servicecidrs")
        .unwrap();
    assert_eq!(
        sc["responseKind"],
        json!({"group": "networking.k8s.io", "version": "v1", "kind": "ServiceCIDR"})
    );
    assert_eq!(sc["scope"], "Cluster");
    // kubectl <= 1.29 offers only v2beta1 and must get v2beta1 (G4).
    let old = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    let r = handle(&mut c, &req("GET", "/api", &[("Accept", old)], ""));
    assert_eq!(
        r.header("content-type"),
        Some("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList")
    );
    let v = json_of(&r);
    assert_eq!(v["apiVersion"], "apidiscovery.k8s.io/v2beta1");
    assert_eq!(v["items"][0]["metadata"]["name"], "");
    let svc = v["items"][0]["versions"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"] == "services")
        .unwrap();
    assert_eq!(svc["shortNames"], json!(["svc"]));
    assert_eq!(svc["scope"], "Namespaced");
    // Plain JSON gets the legacy document.
    let r = handle(
        &mut c,
        &req("GET", "/api", &[("Accept", "application/json")], ""),
    );
    assert_eq!(json_of(&r)["kind"], "APIVersions");
    assert_eq!(r.header("content-type"), Some("application/json"));
}

fn lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The blocking `kubectl delete`'s watch: filtered by name, ends on DELETED.
#[test]
fn watch_streams_events_after_the_resource_version() {
    let mut c = cluster();
    call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &cidr("newcidr1", "10.96.0.0/24"),
    );
    call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &cidr("other", "10.97.0.0/24"),
    );
    c.reconcile();
    let list = json_of(&call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1/servicecidrs?fieldSelector=metadata.name%3Dnewcidr1&limit=500&resourceVersion=0",
        "",
    ));
    let rv = list["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let r = call(
        &mut c,
        "GET",
        &format!("/apis/networking.k8s.io/v1/servicecidrs?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dnewcidr1&resourceVersion={rv}&timeoutSeconds=300&watch=true"),
        "",
    );
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    let mut cursor = r.watch.expect("a watch stays open");
    call(
        &mut c,
        "DELETE",
        "/apis/networking.k8s.io/v1/servicecidrs/other",
        "",
    );
    call(
        &mut c,
        "DELETE",
        "/apis/networking.k8s.io/v1/servicecidrs/newcidr1",
        "",
    );
    c.settle();
    let poll = watch_poll(&c, &mut cursor);
    let evs: Vec<Value> = poll.chunks.iter().flat_map(|ch| lines(ch)).collect();
    let types: Vec<&str> = evs.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["MODIFIED", "DELETED"]);
    assert!(evs
        .iter()
        .all(|e| e["object"]["metadata"]["name"] == "newcidr1"));
    assert!(!poll.done);
    // Nothing new: nothing sent; the timeout on the cluster clock ends it.
    assert_eq!(watch_poll(&c, &mut cursor).chunks.len(), 0);
    c.advance(301.0).unwrap();
    let poll = watch_poll(&c, &mut cursor);
    assert!(poll.done);
    let evs: Vec<Value> = poll.chunks.iter().flat_map(|ch| lines(ch)).collect();
    assert_eq!(evs.len(), 1, "a bookmark came due on the way");
    assert_eq!(evs[0]["type"], "BOOKMARK");
    assert_eq!(evs[0]["object"]["kind"], "ServiceCIDR");
    assert_eq!(
        evs[0]["object"]["metadata"]["resourceVersion"],
        c.resource_version()
    );
}

#[test]
fn watch_without_a_resource_version_starts_with_the_current_state() {
    let mut c = cluster();
    let r = call(
        &mut c,
        "GET",
        "/api/v1/namespaces/default/services/kubernetes?watch=true&timeoutSeconds=0",
        "",
    );
    let evs = lines(&r.body);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0]["type"], "ADDED");
    assert_eq!(evs[0]["object"]["metadata"]["name"], "kubernetes");
    let mut cursor = r.watch.unwrap();
    assert!(cursor.done, "timeoutSeconds=0 ends at once");
    assert!(watch_poll(&c, &mut cursor).done);
}

#[test]
fn watch_with_table_rows_for_get_w() {
    let mut c = cluster();
    let rv = c.resource_version();
    let r = handle(
        &mut c,
        &req(
            "GET",
            &format!("/apis/networking.k8s.io/v1/servicecidrs?resourceVersion={rv}&watch=true"),
            &[("Accept", TABLE_ACCEPT)],
            "",
        ),
    );
    let mut cursor = r.watch.unwrap();
    call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &cidr("a", "10.97.0.0/24"),
    );
    call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &cidr("b", "10.98.0.0/24"),
    );
    let evs: Vec<Value> = watch_poll(&c, &mut cursor)
        .chunks
        .iter()
        .flat_map(|ch| lines(ch))
        .collect();
    assert_eq!(evs[0]["type"], "ADDED");
    assert_eq!(evs[0]["object"]["kind"], "Table");
    assert_eq!(
        evs[0]["object"]["rows"][0]["cells"],
        json!(["a", "10.97.0.0/24", "0s"])
    );
    assert!(evs[0]["object"]["columnDefinitions"].is_array());
    let later = evs
        .iter()
        .find(|e| e["object"]["rows"][0]["cells"][0] == "b")
        .unwrap();
    assert!(later["object"]["columnDefinitions"].is_null());
}

#[test]
fn watch_from_a_compacted_position_is_an_error_event() {
    let mut c = cluster();
    // Push the first revisions out of the bounded log.
    let limit = servicecidr_core::cluster::WATCH_LOG_LIMIT;
    let mut sc: Value = json_of(&call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1/servicecidrs/kubernetes",
        "",
    ));
    for i in 0..=limit / 2 + 1 {
        sc["metadata"]["labels"] = json!({"i": i.to_string()});
        sc["metadata"]["resourceVersion"] = json!("");
        let r = call(
            &mut c,
            "PUT",
            "/apis/networking.k8s.io/v1/servicecidrs/kubernetes",
            &sc.to_string(),
        );
        sc = json_of(&r);
        sc["metadata"]["labels"] = json!({"j": i.to_string()});
        let r = call(
            &mut c,
            "PUT",
            "/apis/networking.k8s.io/v1/servicecidrs/kubernetes",
            &sc.to_string(),
        );
        sc = json_of(&r);
    }
    let r = call(
        &mut c,
        "GET",
        "/apis/networking.k8s.io/v1/servicecidrs?resourceVersion=1&watch=true",
        "",
    );
    assert_eq!(r.status, 200);
    let evs = lines(&r.body);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0]["type"], "ERROR");
    assert_eq!(evs[0]["object"]["code"], 410);
    assert_eq!(evs[0]["object"]["reason"], "Expired");
    assert!(evs[0]["object"]["message"]
        .as_str()
        .unwrap()
        .starts_with("too old resource version: 1 ("));
    assert!(r.watch.unwrap().done);
}

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    fn method() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("GET".to_string()),
            Just("POST".to_string()),
            Just("PUT".to_string()),
            Just("PATCH".to_string()),
            Just("DELETE".to_string()),
            "[A-Z]{0,7}",
        ]
    }

    fn path() -> impl Strategy<Value = String> {
        let seg = prop_oneof![
            Just("api".to_string()),
            Just("apis".to_string()),
            Just("v1".to_string()),
            Just("v1beta1".to_string()),
            Just("networking.k8s.io".to_string()),
            Just("events.k8s.io".to_string()),
            Just("namespaces".to_string()),
            Just("default".to_string()),
            Just("services".to_string()),
            Just("servicecidrs".to_string()),
            Just("ipaddresses".to_string()),
            Just("events".to_string()),
            Just("status".to_string()),
            Just("kubernetes".to_string()),
            Just("10.96.0.1".to_string()),
            Just("openapi".to_string()),
            Just("v3".to_string()),
            Just("admissionregistration.k8s.io".to_string()),
            Just("validatingadmissionpolicies".to_string()),
            Just("configmaps".to_string()),
            Just("".to_string()),
            "[a-z0-9.%-]{0,12}",
            "\\PC{0,6}",
        ];
        proptest::collection::vec(seg, 0..8).prop_map(|s| format!("/{}", s.join("/")))
    }

    fn query() -> impl Strategy<Value = String> {
        let kv = prop_oneof![
            Just("watch=true".to_string()),
            Just("watch=1".to_string()),
            Just("dryRun=All".to_string()),
            Just("dryRun=x".to_string()),
            Just("resourceVersion=0".to_string()),
            Just("resourceVersion=99999999999999999999".to_string()),
            Just("timeoutSeconds=-1".to_string()),
            Just("timeoutSeconds=0".to_string()),
            Just("labelSelector=a+in+(".to_string()),
            Just("fieldSelector=metadata.name%3D".to_string()),
            Just("allowWatchBookmarks=true".to_string()),
            Just("fieldManager=m&force=true".to_string()),
            Just("fieldValidation=Strict".to_string()),
            "[a-zA-Z%=&+]{0,16}",
        ];
        proptest::collection::vec(kv, 0..4).prop_map(|v| v.join("&"))
    }

    fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
        let h = prop_oneof![
            Just(("Accept".to_string(), TABLE_ACCEPT.to_string())),
            Just(("Accept".to_string(), AGG_ACCEPT.to_string())),
            Just(("accept".to_string(), ";;,,=;as=Table".to_string())),
            Just(("Content-Type".to_string(), "application/yaml".to_string())),
            Just((
                "Content-Type".to_string(),
                "application/vnd.kubernetes.protobuf".to_string()
            )),
            Just((
                "Content-Type".to_string(),
                "application/merge-patch+json".to_string()
            )),
            ("\\PC{0,8}", "\\PC{0,24}"),
        ];
        proptest::collection::vec(h, 0..3)
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(Vec::new()),
            Just(br#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"p"},"spec":{"ports":[{"port":80}]}}"#.to_vec()),
            Just(br#"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"kubernetes"},"spec":{"cidrs":["10.0.0.0/8"]}}"#.to_vec()),
            Just(br#"{"propagationPolicy":"Bogus","preconditions":{"uid":"x"}}"#.to_vec()),
            Just(b"a: [\n- &x *x".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..64),
        ]
    }

    /// Real resource paths, so the random bodies reach the verbs.
    fn served_path() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("/api/v1/namespaces/default/services".to_string()),
            Just("/api/v1/namespaces/default/services/kubernetes".to_string()),
            Just("/api/v1/services".to_string()),
            Just("/apis/networking.k8s.io/v1/servicecidrs".to_string()),
            Just("/apis/networking.k8s.io/v1/servicecidrs/kubernetes".to_string()),
            Just("/apis/networking.k8s.io/v1/servicecidrs/kubernetes/status".to_string()),
            Just("/apis/networking.k8s.io/v1beta1/servicecidrs/kubernetes".to_string()),
            Just("/apis/networking.k8s.io/v1/ipaddresses/10.96.0.1".to_string()),
            Just("/api/v1/namespaces/default/configmaps".to_string()),
            Just("/api/v1/events".to_string()),
            Just("/openapi/v3/api/v1".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, .. ProptestConfig::default() })]
        #[test]
        fn random_requests_on_served_paths_never_panic(
            m in method(), p in served_path(), q in query(), h in headers(), b in body()
        ) {
            let mut c = Cluster::new(ClusterOptions {
                service_cluster_ip_range: Some("10.96.0.0/28".into()),
                seed: Some(1.0),
                now: Some(json!("2026-11-10T10:34:06Z")),
                ..Default::default()
            }).expect("cluster");
            let r = handle(&mut c, &Request { method: m, path: p, query: q, headers: h, body: b, user: None });
            prop_assert!((200..600).contains(&r.status));
            if r.status >= 400 && r.header("content-type") == Some("application/json") {
                let v: Value = serde_json::from_slice(&r.body).expect("a Status");
                prop_assert_eq!(&v["kind"], "Status");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]
        #[test]
        fn random_requests_never_panic_and_answer_well_formed(
            m in method(), p in path(), q in query(), h in headers(), b in body()
        ) {
            // A fresh cluster without the 17-day advance: cheap enough for 1000 cases.
            let mut c = Cluster::new(ClusterOptions {
                service_cluster_ip_range: Some("10.96.0.0/28".into()),
                seed: Some(1.0),
                now: Some(json!("2026-11-10T10:34:06Z")),
                ..Default::default()
            }).expect("cluster");
            let r = handle(&mut c, &Request { method: m, path: p, query: q, headers: h, body: b, user: None });
            prop_assert!((200..600).contains(&r.status));
            prop_assert_eq!(r.header("cache-control"), Some("no-cache, private"));
            if r.header("content-type").is_some_and(|t| t.starts_with("application/json")) && r.watch.is_none() {
                prop_assert!(serde_json::from_slice::<Value>(&r.body).is_ok());
            }
            if let Some(mut cur) = r.watch {
                let _ = watch_poll(&c, &mut cur);
            }
        }
    }
}

#[test]
fn openapi_v3_index_and_documents() {
    let mut c = cluster();
    let r = call(&mut c, "GET", "/openapi/v3", "");
    assert_eq!(r.status, 200);
    let v = json_of(&r);
    let url = v["paths"]["apis/networking.k8s.io/v1"]["serverRelativeURL"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(url.starts_with("/openapi/v3/apis/networking.k8s.io/v1?hash="));
    assert!(v["paths"]["api/v1"].is_object());
    let r = call(&mut c, "GET", &url, "");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("public, immutable"));
    assert!(json_of(&r)["components"]["schemas"].is_object());
    // No Accept: the Swagger 2.0 JSON (kube-openapi's default), built from the v3 schemas.
    let r = call(&mut c, "GET", "/openapi/v2", "");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("vary"), Some("Accept"));
    let v2 = json_of(&r);
    assert_eq!(v2["swagger"], "2.0");
    assert!(v2["definitions"]["io.k8s.api.networking.v1.ServiceCIDR"].is_object());
}

#[test]
fn field_validation_strict_and_warn() {
    let mut c = cluster();
    let body = json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
        "metadata": {"name": "u"}, "spec": {"cidrs": ["10.97.0.0/24"], "bogus": 1}})
    .to_string();
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs?fieldValidation=Strict",
        &body,
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        json_of(&r)["message"],
        "ServiceCIDR in version \"v1\" cannot be handled as a ServiceCIDR: strict decoding error: unknown field \"spec.bogus\""
    );
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &body,
    );
    assert_eq!(r.status, 201);
    assert_eq!(
        r.header("warning"),
        Some("299 - \"unknown field \\\"spec.bogus\\\"\"")
    );
    let r = call(
        &mut c,
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs?fieldValidation=Sometimes",
        &body,
    );
    assert_eq!(r.status, 422);
}

#[test]
fn server_side_apply_creates_then_updates() {
    let mut c = cluster();
    let target =
        "/apis/networking.k8s.io/v1/servicecidrs/ssa?fieldManager=kubectl&fieldValidation=Strict&force=false";
    let body = json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
        "metadata": {"name": "ssa"}, "spec": {"cidrs": ["10.97.0.0/24"]}});
    let r = patch_req(
        &mut c,
        target,
        "application/apply-patch+yaml",
        &body.to_string(),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let mut body = body;
    body["metadata"]["labels"] = json!({"x": "y"});
    let r = patch_req(
        &mut c,
        target,
        "application/apply-patch+yaml",
        &body.to_string(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(json_of(&r)["metadata"]["labels"], json!({"x": "y"}));
    // fieldManager is required for apply.
    let r = patch_req(
        &mut c,
        "/apis/networking.k8s.io/v1/servicecidrs/ssa",
        "application/apply-patch+yaml",
        &body.to_string(),
    );
    assert_eq!(r.status, 422);
}

/// The generic kinds the core keeps are served with upstream's printers
/// (the policy printers' cells: tables.rs unit tests).
#[test]
fn configmaps_and_admission_policies_are_served_with_their_printers() {
    let mut c = cluster();
    let get = |c: &mut Cluster, target: &str| {
        json_of(&handle(
            c,
            &req("GET", target, &[("Accept", TABLE_ACCEPT)], ""),
        ))
    };
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"},
        "data": {"a": "1", "b": "2"}});
    let r = call(
        &mut c,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        &cm.to_string(),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let t = get(&mut c, "/api/v1/namespaces/default/configmaps/cfg");
    assert_eq!(t["rows"][0]["cells"], json!(["cfg", 2, "0s"]));
    // Policies need the CEL admission module to be created; their list is served.
    let t = get(
        &mut c,
        "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies",
    );
    assert_eq!(t["columnDefinitions"][1]["name"], "Validations");
    assert_eq!(t["columnDefinitions"][1]["type"], "integer");
    let v = json_of(&call(&mut c, "GET", "/apis", ""));
    let names: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "events.k8s.io",
            "networking.k8s.io",
            "admissionregistration.k8s.io"
        ]
    );
}

/// The request's user reaches the core's request path: the trace names who
/// asked (kubernetes-admin when the transport says nothing).
#[test]
fn the_requests_user_is_who_the_core_sees() {
    let mut c = cluster();
    let mut r = req(
        "POST",
        "/apis/networking.k8s.io/v1/servicecidrs",
        &[],
        &cidr("by-alice", "10.97.0.0/24"),
    );
    r.user = Some(servicecidr_apiserver::UserInfo::new(
        "alice",
        &["system:authenticated"],
    ));
    assert_eq!(handle(&mut c, &r).status, 201);
    call(
        &mut c,
        "DELETE",
        "/apis/networking.k8s.io/v1/servicecidrs/by-alice",
        "",
    );
    let users: Vec<String> = c
        .trace(None)
        .iter()
        .filter_map(|t| {
            t.details
                .pointer("/request/name")
                .filter(|n| *n == "by-alice")
                .and(t.details.pointer("/request/user"))
        })
        .filter_map(|u| u.as_str().map(str::to_string))
        .collect();
    // The create is alice's, the delete the default user's; the controller's
    // writes in between carry its own identity.
    assert_eq!(users.first().map(String::as_str), Some("alice"));
    assert_eq!(users.last().map(String::as_str), Some("kubernetes-admin"));
    assert!(users[1..users.len() - 1]
        .iter()
        .all(|u| u == "system:serviceaccount:kube-system:service-cidrs-controller"));
}

/// `includeObject` picks what Table rows carry (kubectl `--sort-by` asks for
/// whole objects).
#[test]
fn table_rows_carry_what_include_object_asks() {
    let mut c = cluster();
    let get = |c: &mut Cluster, q: &str| {
        handle(
            c,
            &req(
                "GET",
                &format!("/apis/networking.k8s.io/v1/servicecidrs?{q}"),
                &[("Accept", TABLE_ACCEPT)],
                "",
            ),
        )
    };
    let t = json_of(&get(&mut c, "includeObject=Object"));
    assert_eq!(t["rows"][0]["object"]["kind"], "ServiceCIDR");
    assert_eq!(
        t["rows"][0]["object"]["spec"]["cidrs"],
        json!(["10.96.0.0/28"])
    );
    let t = json_of(&get(&mut c, "includeObject=None"));
    assert!(t["rows"][0]["object"].is_null());
    let t = json_of(&get(&mut c, "includeObject=Metadata"));
    assert_eq!(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    let r = get(&mut c, "includeObject=Everything");
    assert_eq!(r.status, 400);
}
