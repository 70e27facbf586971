//! The JS boundary of `Cluster` (src/wasm.rs), run in Node by wasm-bindgen-test-runner:
//! thrown errors, options, object conversion, snapshot/restore, determinism.
//! `cargo test --target wasm32-unknown-unknown --test wasm_node`
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use servicecidr_sim::wasm::Cluster;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

mod wasm_common;
use wasm_common::*;

fn ns(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[wasm_bindgen_test]
fn errors_are_js_errors_carrying_the_whole_status() {
    let mut c = small();
    let t = thrown(c.get("servicecidr", "nope", None));
    let code = t.code.as_f64().expect("code is a number");
    let reason = t.reason.as_string().expect("reason is a string");
    assert!(t.status.is_object(), "status is an object");
    let status = to_json(&t.status);
    let message = String::from(t.error.message());
    assert_eq!(status["kind"], "Status");
    assert_eq!(status["status"], "Failure");
    assert_eq!(status["code"].as_f64(), Some(code));
    assert_eq!(status["reason"].as_str(), Some(reason.as_str()));
    assert_eq!(status["message"].as_str(), Some(message.as_str()));
    assert_eq!(String::from(t.error.name()), "Error");
}

#[wasm_bindgen_test]
fn get_of_a_missing_servicecidr_is_404_not_found() {
    let mut c = small();
    let t = thrown(c.get("servicecidr", "nope", None));
    assert_eq!(t.code.as_f64(), Some(404.0));
    assert_eq!(t.reason.as_string().as_deref(), Some("NotFound"));
    assert_eq!(
        String::from(t.error.message()),
        r#"servicecidrs.networking.k8s.io "nope" not found"#
    );
    let status = to_json(&t.status);
    assert_eq!(
        status["details"],
        json!({"name": "nope", "group": "networking.k8s.io", "kind": "servicecidrs"})
    );
}

#[wasm_bindgen_test]
fn option_of_the_wrong_type_throws_400_bad_request() {
    let t = thrown(Cluster::new(Some(js(r#"{"seed":"seven"}"#))));
    assert_eq!(t.code.as_f64(), Some(400.0));
    assert_eq!(t.reason.as_string().as_deref(), Some("BadRequest"));
    let msg = String::from(t.error.message());
    assert!(msg.starts_with("invalid Cluster options: "), "{msg}");
    assert!(msg.contains("seven"), "{msg}");
    assert_eq!(to_json(&t.status)["code"], 400);
}

#[wasm_bindgen_test]
fn unknown_option_throws_400_naming_it() {
    let t = thrown(Cluster::new(Some(js(
        r#"{"serviceClusterIpRanges":"10.0.0.0/24"}"#,
    ))));
    assert_eq!(t.code.as_f64(), Some(400.0));
    let msg = String::from(t.error.message());
    assert!(msg.contains("serviceClusterIpRanges"), "{msg}");
}

#[wasm_bindgen_test]
fn options_object_that_is_not_an_object_throws_400() {
    let t = thrown(Cluster::new(Some(JsValue::from_str("10.96.0.0/12").into())));
    assert_eq!(t.code.as_f64(), Some(400.0));
}

#[wasm_bindgen_test]
fn missing_or_undefined_options_mean_defaults() {
    assert!(Cluster::new(None).is_ok());
    assert!(Cluster::new(Some(JsValue::UNDEFINED.into())).is_ok());
    assert!(Cluster::new(Some(JsValue::NULL.into())).is_ok());
    // An undefined property is "not given", as after a JSON round trip.
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"seed".into(), &JsValue::UNDEFINED).expect("set");
    assert!(Cluster::new(Some(o.unchecked_into())).is_ok());
}

#[wasm_bindgen_test]
fn garbage_service_cluster_ip_range_throws_a_client_error() {
    let t = thrown(Cluster::new(Some(js(
        r#"{"serviceClusterIPRange":"garbage"}"#,
    ))));
    let code = t.code.as_f64().expect("numeric code");
    assert!((400.0..500.0).contains(&code), "code {code}");
    assert!(!String::from(t.error.message()).is_empty());
    assert_eq!(to_json(&t.status)["code"].as_f64(), Some(code));
}

#[wasm_bindgen_test]
fn service_cluster_ip_range_and_now_shape_the_default_objects() {
    let mut c = small();
    let sc = to_json(
        &c.get("servicecidr", "kubernetes", None)
            .expect("kubernetes ServiceCIDR"),
    );
    assert_eq!(sc["spec"]["cidrs"], json!(["10.96.0.0/28"]));
    assert_eq!(sc["metadata"]["creationTimestamp"], NOW);
    let svc = to_json(
        &c.get("service", "kubernetes", ns("default"))
            .expect("default/kubernetes"),
    );
    assert_eq!(svc["spec"]["clusterIP"], "10.96.0.1");
    let dns = to_json(
        &c.get("svc", "kube-dns", ns("kube-system"))
            .expect("kube-dns"),
    );
    assert_eq!(dns["spec"]["clusterIP"], "10.96.0.10");
}

#[wasm_bindgen_test]
fn kube_dns_false_leaves_kube_dns_out() {
    let mut c = cluster(&format!(
        r#"{{"serviceClusterIPRange":"10.96.0.0/28","kubeDNS":false,"now":"{NOW}"}}"#
    ));
    let t = thrown(c.get("service", "kube-dns", ns("kube-system")));
    assert_eq!(t.code.as_f64(), Some(404.0));
}

#[wasm_bindgen_test]
fn now_as_epoch_milliseconds_equals_the_rfc3339_form() {
    // 2023-10-12T15:00:00Z
    let mut c = cluster(r#"{"now":1697122800000}"#);
    let sc = to_json(
        &c.get("servicecidr", "kubernetes", None)
            .expect("kubernetes"),
    );
    assert_eq!(sc["metadata"]["creationTimestamp"], NOW);
}

#[wasm_bindgen_test]
fn auto_reconcile_false_waits_for_reconcile() {
    let mut c = cluster(&format!(
        r#"{{"autoReconcile":false,"seed":3,"now":"{NOW}"}}"#
    ));
    let created = to_json(
        &c.create(service_cidr("extra", "10.200.0.0/24"))
            .expect("create"),
    );
    assert!(created["metadata"].get("finalizers").is_none());
    c.reconcile();
    let got = to_json(&c.get("servicecidr", "extra", None).expect("get"));
    assert_eq!(
        got["metadata"]["finalizers"],
        json!(["networking.k8s.io/service-cidr-finalizer"])
    );
    assert_eq!(got["status"]["conditions"][0]["type"], "Ready");
    assert_eq!(got["status"]["conditions"][0]["status"], "True");
}

#[wasm_bindgen_test]
fn objects_come_back_as_plain_json_objects() {
    let mut c = small();
    let input = js(
        r#"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR",
        "metadata":{"name":"extra","labels":{"team":"net"}},"spec":{"cidrs":["10.200.0.0/24"]}}"#,
    );
    let out = c.create(input).expect("create");
    // Plain objects, not Maps, all the way down.
    let object_prototype = JsValue::from(js_sys::Object::get_prototype_of(&js_sys::Object::new()));
    assert_eq!(
        JsValue::from(js_sys::Object::get_prototype_of(&out)),
        object_prototype
    );
    let labels = js_sys::Reflect::get(
        &js_sys::Reflect::get(&out, &"metadata".into()).expect("metadata"),
        &"labels".into(),
    )
    .expect("labels");
    assert!(!labels.is_instance_of::<js_sys::Map>());
    assert_eq!(
        js_sys::Reflect::get(&labels, &"team".into())
            .expect("team")
            .as_string()
            .as_deref(),
        Some("net")
    );
    let out = to_json(&out);
    assert_eq!(out["apiVersion"], "networking.k8s.io/v1");
    assert_eq!(out["kind"], "ServiceCIDR");
    assert_eq!(out["spec"]["cidrs"], json!(["10.200.0.0/24"]));
    assert!(out["metadata"]["uid"]
        .as_str()
        .is_some_and(|u| u.len() == 36));
    assert!(out["metadata"]["resourceVersion"].is_string());
    // get() sees what create() stored (the controller has since added its finalizer/status).
    let got = to_json(&c.get("ServiceCIDR", "extra", None).expect("get"));
    assert_eq!(got["metadata"]["uid"], out["metadata"]["uid"]);
    assert_eq!(got["metadata"]["labels"], json!({"team": "net"}));
}

#[wasm_bindgen_test]
fn undefined_fields_in_objects_are_ignored() {
    let mut c = small();
    let svc = service("undef");
    let spec = js_sys::Reflect::get(&svc, &"spec".into()).expect("spec");
    js_sys::Reflect::set(&spec, &"clusterIP".into(), &JsValue::UNDEFINED).expect("set");
    let out = to_json(
        &c.create(svc.into())
            .expect("create with clusterIP: undefined"),
    );
    let ip = out["spec"]["clusterIP"]
        .as_str()
        .expect("allocated clusterIP");
    assert!(ip.starts_with("10.96.0."), "{ip}");
}

#[wasm_bindgen_test]
fn invalid_servicecidr_is_422_with_causes() {
    let mut c = small();
    let t = thrown(c.create(service_cidr("bad", "garbage")));
    assert_eq!(t.code.as_f64(), Some(422.0));
    assert_eq!(t.reason.as_string().as_deref(), Some("Invalid"));
    assert_eq!(
        String::from(t.error.message()),
        r#"ServiceCIDR.networking.k8s.io "bad" is invalid: spec.cidrs[0]: Invalid value: "garbage": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#
    );
    assert_eq!(
        to_json(&t.status)["details"]["causes"],
        json!([{"reason": "FieldValueInvalid", "field": "spec.cidrs[0]",
                "message": r#"Invalid value: "garbage": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#}])
    );
}

#[wasm_bindgen_test]
fn snapshot_survives_json_and_restores_the_same_future() {
    let mut a = small();
    a.create(service("before")).expect("create before");
    let snap = a.snapshot(None).expect("snapshot");
    let text: String = js_sys::JSON::stringify(&snap)
        .expect("snapshot is JSON-safe")
        .into();
    let mut b = match Cluster::restore(js(&text)) {
        Ok(b) => b,
        Err(e) => panic!("restore threw {:?}", to_json(&e)),
    };
    let after = |c: &mut Cluster| {
        let out = to_json(&c.create(service("after")).expect("create after"));
        (
            out["spec"]["clusterIP"].clone(),
            out["metadata"]["uid"].clone(),
        )
    };
    assert_eq!(after(&mut a), after(&mut b));
    assert_eq!(
        to_json(&a.list("services", None).expect("list a")),
        to_json(&b.list("services", None).expect("list b"))
    );
    assert_eq!(
        to_json(&a.snapshot(None).expect("snap a")),
        to_json(&b.snapshot(None).expect("snap b"))
    );
}

#[wasm_bindgen_test]
fn restore_of_garbage_throws_a_client_error() {
    let t = thrown(Cluster::restore(js(r#"{"not":"a snapshot"}"#)));
    let code = t.code.as_f64().expect("numeric code");
    assert!((400.0..500.0).contains(&code), "code {code}");
}

#[wasm_bindgen_test]
fn same_seed_same_ips_uids_and_output() {
    let run = || {
        let mut c = cluster(&format!(r#"{{"seed":42,"now":"{NOW}"}}"#));
        let mut created = Vec::new();
        for i in 0..5 {
            created.push(to_json(
                &c.create(service(&format!("s{i}"))).expect("create"),
            ));
        }
        let table = to_json(&c.kubectl("get services -A", None).expect("kubectl"));
        (created, table)
    };
    let (a, ta) = run();
    let (b, tb) = run();
    assert_eq!(a, b);
    assert_eq!(ta, tb);
    assert!(ta["stdout"].as_str().is_some_and(|s| s.contains("s4")));
    // A different seed picks different addresses (5 random picks out of 4094 colliding
    // in every position would be a broken PRNG, not chance).
    let mut c = cluster(&format!(r#"{{"seed":43,"now":"{NOW}"}}"#));
    let other: Vec<Value> = (0..5)
        .map(|i| {
            to_json(&c.create(service(&format!("s{i}"))).expect("create"))["spec"]["clusterIP"]
                .clone()
        })
        .collect();
    let first: Vec<Value> = a.iter().map(|o| o["spec"]["clusterIP"].clone()).collect();
    assert_ne!(first, other);
}

#[wasm_bindgen_test]
fn kubectl_returns_a_command_result() {
    let mut c = small();
    let r = to_json(&c.kubectl("get servicecidr", None).expect("kubectl"));
    assert_eq!(
        r,
        json!({
            "stdout": "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   0s\n",
            "stderr": "", "exitCode": 0,
            "output": "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   0s\n"
        })
    );
    let r = to_json(&c.kubectl("get widgets", None).expect("kubectl"));
    assert_eq!(r["exitCode"], 1);
    assert_eq!(
        r["stderr"],
        "error: the server doesn't have a resource type \"widgets\"\n"
    );
}

#[wasm_bindgen_test]
fn kubectl_reads_stdin() {
    let mut c = small();
    let manifest = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\n";
    let r = to_json(
        &c.kubectl("apply -f -", Some(manifest.into()))
            .expect("kubectl"),
    );
    assert_eq!(
        r["stdout"],
        "servicecidr.networking.k8s.io/newcidr1 created\n"
    );
    assert_eq!(r["exitCode"], 0);
}

#[wasm_bindgen_test]
fn run_returns_a_command_result() {
    let mut c = small();
    let r = to_json(&c.run("kubectl get ipaddress 10.96.0.1", None).expect("run"));
    assert_eq!(
        r["stdout"],
        "NAME        PARENTREF\n10.96.0.1   services/default/kubernetes\n"
    );
    assert_eq!(r["exitCode"], 0);
}

#[wasm_bindgen_test]
fn run_settles_between_commands_unless_told_not_to() {
    let mut c = small();
    c.create(service_cidr("spare", "10.100.0.0/24"))
        .expect("create");
    let r = to_json(
        &c.run(
            "kubectl delete servicecidr spare --wait=false",
            Some(js(r#"{"settle":false}"#)),
        )
        .expect("run"),
    );
    assert_eq!(r["exitCode"], 0);
    // Without settling, the 10 s deletion grace has not passed.
    let r = to_json(
        &c.run(
            "kubectl get servicecidr spare -o name",
            Some(js(r#"{"settle":false}"#)),
        )
        .expect("run"),
    );
    assert_eq!(r["stdout"], "servicecidr.networking.k8s.io/spare\n");
    // The default settles first: the grace period passes and the object is gone.
    let r = to_json(&c.run("kubectl get servicecidr spare", None).expect("run"));
    assert_eq!(r["exitCode"], 1);
    let msg: String = thrown(c.run("true", Some(js(r#"{"settle":"yes"}"#))))
        .error
        .message()
        .into();
    assert!(
        msg.starts_with("invalid run options: ") && msg.contains("expected a boolean"),
        "{msg}"
    );
}

#[wasm_bindgen_test]
fn set_auto_reconcile_pauses_and_resumes_the_controllers() {
    let mut c = small();
    c.set_auto_reconcile(false);
    assert!(!c.auto_reconcile());
    let sc = to_json(
        &c.create(service_cidr("paused", "10.100.0.0/24"))
            .expect("create"),
    );
    assert!(
        sc["metadata"]["finalizers"].is_null(),
        "no controller ran yet: {sc}"
    );
    c.set_auto_reconcile(true);
    let sc = to_json(&c.get("servicecidr", "paused", None).expect("get"));
    assert_eq!(
        sc["metadata"]["finalizers"][0],
        "networking.k8s.io/service-cidr-finalizer"
    );
}

#[wasm_bindgen_test]
fn watch_since_a_resource_version_returns_only_later_changes() {
    let mut c = small();
    let first = to_json(&c.create(service("w1")).expect("create"));
    let rv = first["metadata"]["resourceVersion"]
        .as_str()
        .expect("resourceVersion")
        .to_string();
    let all = to_json(&c.watch(None).expect("watch"));
    assert!(all
        .as_array()
        .expect("array")
        .iter()
        .any(|e| e["type"] == "ADDED" && e["object"]["metadata"]["name"] == "w1"));
    c.create(service("w2")).expect("create");
    let later = to_json(
        &c.watch(Some(JsValue::from_str(&rv).into()))
            .expect("watch since"),
    );
    let later = later.as_array().expect("array");
    assert!(!later.is_empty());
    assert!(later
        .iter()
        .all(|e| e["object"]["metadata"]["name"] != "w1" || e["type"] != "ADDED"));
    assert!(later
        .iter()
        .any(|e| e["type"] == "ADDED" && e["object"]["metadata"]["name"] == "w2"));
    // A numeric resourceVersion is accepted as its decimal string.
    let numeric: f64 = rv.parse().expect("numeric resourceVersion");
    assert_eq!(
        to_json(
            &c.watch(Some(JsValue::from_f64(numeric).into()))
                .expect("watch since number")
        ),
        Value::Array(later.clone())
    );
}

#[wasm_bindgen_test]
fn watch_rejects_a_non_string_resource_version() {
    let c = small();
    let t = thrown(c.watch(Some(js_sys::Object::new().unchecked_into())));
    assert_eq!(t.code.as_f64(), Some(400.0));
}

#[wasm_bindgen_test]
fn trace_since_seq_returns_later_records() {
    let mut c = small();
    for name in ["t1", "t2", "t3"] {
        c.create(service(name)).expect("create");
    }
    let all = to_json(&c.trace(None, None).expect("trace"));
    let all = all.as_array().expect("array");
    assert!(!all.is_empty(), "allocating an IP leaves a trace");
    for r in all {
        assert!(r["seq"].is_number() && r["source"].is_string() && r["message"].is_string());
    }
    let mid = all[all.len() / 2]["seq"].as_f64().expect("seq");
    let later = to_json(&c.trace(Some(mid), None).expect("trace since"));
    let later = later.as_array().expect("array");
    assert!(later
        .iter()
        .all(|r| r["seq"].as_f64().is_some_and(|s| s > mid)));
    // With a limit, the newest that many of them (a page that fell behind skips ahead).
    let tail = to_json(&c.trace(Some(mid), Some(2.0)).expect("trace tail"));
    assert_eq!(
        tail.as_array().expect("array")[..],
        later[later.len() - 2..]
    );
    let none = to_json(&c.trace(None, Some(0.0)).expect("trace none"));
    assert_eq!(none.as_array().map(Vec::len), Some(0));
}

#[wasm_bindgen_test]
fn trace_rejects_negative_and_nan_since_seq() {
    let c = small();
    for bad in [-1.0, f64::NAN, f64::NEG_INFINITY] {
        let t = thrown(c.trace(Some(bad), None));
        assert_eq!(t.code.as_f64(), Some(400.0));
        let t = thrown(c.trace(None, Some(bad)));
        assert_eq!(t.code.as_f64(), Some(400.0));
        assert_eq!(t.reason.as_string().as_deref(), Some("BadRequest"));
    }
}

#[wasm_bindgen_test]
fn events_are_events_k8s_io_v1() {
    let mut c = small();
    // An IPAddress the allocator never made, pointing at no Service: the repair loop
    // reports it as leaked once it is 60 s old.
    c.create(js(r#"{"apiVersion":"networking.k8s.io/v1","kind":"IPAddress",
        "metadata":{"name":"10.96.0.7","labels":{"ipaddress.kubernetes.io/managed-by":"ipallocator.k8s.io",
        "ipaddress.kubernetes.io/ip-family":"IPv4"}},
        "spec":{"parentRef":{"resource":"services","namespace":"default","name":"ghost"}}}"#))
        .expect("create IPAddress");
    c.settle();
    let events = to_json(&c.events().expect("events"));
    let leaked = events
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["reason"] == "IPAddressNotAllocated")
        .expect("a leaked-IP event");
    assert_eq!(leaked["apiVersion"], "events.k8s.io/v1");
    assert_eq!(leaked["type"], "Warning");
    assert_eq!(
        leaked["note"],
        "IPAddress: 10.96.0.7 for Service default/ghost appears to have leaked: cleaning up"
    );
}

#[wasm_bindgen_test]
fn advance_rejects_negative_time() {
    let mut c = small();
    let t = thrown(c.advance(-5.0));
    assert!(t.code.as_f64().is_some_and(|c| (400.0..500.0).contains(&c)));
}

#[wasm_bindgen_test]
fn system_clock_reads_js_date_without_panicking() {
    // No `now`: the cluster follows the system clock, which on wasm32 must be Date.now()
    // (std::time panics there).
    let before = js_sys::Date::now();
    let mut c = cluster(r#"{"seed":5}"#);
    c.reconcile();
    let sc = to_json(
        &c.get("servicecidr", "kubernetes", None)
            .expect("kubernetes"),
    );
    let ts = sc["metadata"]["creationTimestamp"]
        .as_str()
        .expect("timestamp");
    let ms = js_sys::Date::parse(ts);
    assert!(
        ms >= (before / 1000.0).floor() * 1000.0 - 1000.0 && ms <= js_sys::Date::now() + 1000.0,
        "{ts}"
    );
}

#[wasm_bindgen_test]
fn cyclic_object_throws_400_and_the_cluster_stays_usable() {
    let mut c = small();
    let svc = service("loop");
    js_sys::Reflect::set(&svc, &"self".into(), &svc).expect("set");
    let t = thrown(c.create(svc.into()));
    assert_eq!(t.code.as_f64(), Some(400.0));
    assert!(String::from(t.error.message()).contains("cyclic"));
    // The module did not trap: the same cluster answers the next call.
    c.create(service("after-loop"))
        .expect("create after the failed call");
}

/// `new Cluster({ version })` and the `version` getter; an unknown release
/// throws a 400 naming the modelled ones.
#[wasm_bindgen_test]
fn version_option_and_getter() {
    assert_eq!(cluster(r#"{"version":"1.33"}"#).version(), "1.33.11");
    assert_eq!(cluster(r#"{"version":"1.34.2"}"#).version(), "1.34.2");
    assert_eq!(cluster("{}").version(), "1.37.0");
    let t = thrown(Cluster::new(Some(js(r#"{"version":"1.28"}"#))));
    assert_eq!(t.code.as_f64(), Some(400.0));
    let msg = String::from(t.error.message());
    assert!(msg.contains("1.29, 1.30"), "{msg}");
}
