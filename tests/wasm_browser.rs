//! The JS boundary of `Cluster` in headless Chromium (wasm-bindgen-test-runner drives
//! /usr/bin/chromedriver; flags in webdriver.json). The Node suite covers more; this one
//! proves the same module behaves the same in a browser, including the system clock.
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm_browser`
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use servicecidr_sim::wasm::Cluster;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod wasm_common;
use wasm_common::{cluster, js, service, small, to_json};

fn thrown<T>(r: Result<T, JsValue>) -> (js_sys::Error, Value) {
    let e = match r {
        Ok(_) => panic!("expected the call to throw"),
        Err(e) => e,
    };
    assert!(
        e.is_instance_of::<js_sys::Error>(),
        "thrown value is an Error"
    );
    let get = |k: &str| js_sys::Reflect::get(&e, &JsValue::from_str(k)).expect("property read");
    let props = json!({
        "code": get("code").as_f64(),
        "reason": get("reason").as_string(),
        "status": to_json(&get("status")),
    });
    (e.unchecked_into(), props)
}

#[wasm_bindgen_test]
fn errors_are_js_errors_carrying_the_whole_status() {
    let mut c = small();
    let (e, p) = thrown(c.get("servicecidr", "nope", None));
    assert!(p["code"].is_number());
    assert!(p["reason"].is_string());
    assert_eq!(p["status"]["kind"], "Status");
    assert_eq!(p["status"]["code"].as_f64(), p["code"].as_f64());
    assert_eq!(p["status"]["reason"], p["reason"]);
    assert_eq!(p["status"]["message"], String::from(e.message()));
}

#[wasm_bindgen_test]
fn get_of_a_missing_servicecidr_is_404_not_found() {
    let mut c = small();
    let (e, p) = thrown(c.get("servicecidr", "nope", None));
    assert_eq!(p["code"], 404.0);
    assert_eq!(p["reason"], "NotFound");
    assert_eq!(
        String::from(e.message()),
        r#"servicecidrs.networking.k8s.io "nope" not found"#
    );
}

#[wasm_bindgen_test]
fn bad_options_throw_400_bad_request() {
    let (e, p) = thrown(Cluster::new(Some(js(r#"{"seed":"seven"}"#))));
    assert_eq!(p["code"], 400.0);
    assert_eq!(p["reason"], "BadRequest");
    assert!(String::from(e.message()).starts_with("invalid Cluster options: "));
}

#[wasm_bindgen_test]
fn range_full_is_500_internal_error() {
    let mut c = small();
    for i in 1..=12 {
        c.create(service(&format!("test-{i}")))
            .expect("12 addresses are free");
    }
    let (e, p) = thrown(c.create(service("test-13")));
    assert_eq!(p["code"], 500.0);
    assert_eq!(p["reason"], "InternalError");
    assert_eq!(
        String::from(e.message()),
        "Internal error occurred: failed to allocate a serviceIP: range is full"
    );
}

#[wasm_bindgen_test]
fn snapshot_restore_and_same_seed_agree() {
    let mut a = small();
    a.create(service("one")).expect("create");
    let text: String = js_sys::JSON::stringify(&a.snapshot(None).expect("snapshot"))
        .expect("JSON-safe")
        .into();
    let mut b = match Cluster::restore(js(&text)) {
        Ok(b) => b,
        Err(e) => panic!("restore threw {:?}", to_json(&e)),
    };
    let mut c = small();
    c.create(service("one")).expect("create");
    let next = |x: &mut Cluster| to_json(&x.create(service("two")).expect("create two"));
    let (na, nb, nc) = (next(&mut a), next(&mut b), next(&mut c));
    assert_eq!(na, nb);
    assert_eq!(na, nc);
}

#[wasm_bindgen_test]
fn system_clock_reads_js_date_without_panicking() {
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
fn kubectl_prints_the_servicecidr_table() {
    let mut c = small();
    let r = to_json(&c.kubectl("get servicecidr", None).expect("kubectl"));
    assert_eq!(
        r["stdout"],
        "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   0s\n"
    );
}
