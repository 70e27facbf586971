//! Helpers both wasm-bindgen-test suites (Node and browser) use.
#![allow(dead_code)]

use serde_json::{json, Value};
use servicecidr_sim::wasm::Cluster;
use wasm_bindgen::{JsCast, JsValue};

pub const NOW: &str = "2023-10-12T15:00:00Z";

/// Parsed JSON as whichever argument type the binding names (`Obj`, `Options`, `JsValue` …).
pub fn js<T: JsCast>(text: &str) -> T {
    js_sys::JSON::parse(text)
        .expect("test JSON parses")
        .unchecked_into()
}

/// JSON.stringify then parse: also proves the value is JSON-safe (a BigInt would throw).
pub fn to_json(v: &JsValue) -> Value {
    let s: String = js_sys::JSON::stringify(v)
        .expect("JSON.stringify accepts every returned value")
        .into();
    serde_json::from_str(&s).expect("stringified JSON parses")
}

pub fn cluster(opts: &str) -> Cluster {
    match Cluster::new(Some(js(opts))) {
        Ok(c) => c,
        Err(e) => panic!("new Cluster({opts}) threw {:?}", to_json(&e)),
    }
}

pub fn small() -> Cluster {
    cluster(&format!(
        r#"{{"serviceClusterIPRange":"10.96.0.0/28","seed":1,"now":"{NOW}"}}"#
    ))
}

pub struct Thrown {
    pub error: js_sys::Error,
    pub code: JsValue,
    pub reason: JsValue,
    pub status: JsValue,
}

pub fn thrown<T>(r: Result<T, JsValue>) -> Thrown {
    let e = match r {
        Ok(_) => panic!("expected the call to throw"),
        Err(e) => e,
    };
    assert!(
        e.is_instance_of::<js_sys::Error>(),
        "thrown value is an Error"
    );
    let get = |k: &str| js_sys::Reflect::get(&e, &JsValue::from_str(k)).expect("property read");
    Thrown {
        code: get("code"),
        reason: get("reason"),
        status: get("status"),
        error: e.unchecked_into(),
    }
}

pub fn service<T: JsCast>(name: &str) -> T {
    // What `kubectl create service clusterip NAME --tcp 80` sends.
    js(&json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {"ports": [{"name": "80", "protocol": "TCP", "port": 80, "targetPort": 80}],
                 "selector": {"app": name}, "type": "ClusterIP"}
    })
    .to_string())
}

pub fn service_cidr<T: JsCast>(name: &str, cidr: &str) -> T {
    js(&json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
        "metadata": {"name": name}, "spec": {"cidrs": [cidr]}
    })
    .to_string())
}
