#![cfg(not(target_arch = "wasm32"))]
//! `kubectl explain`, rendered from the server's /openapi/v3 documents.
//!
//! tests/fixtures/explain/goldens.json was recorded with kubectl 1.33.1 run
//! against a loopback python3 server (stopped by PID after a bounded number
//! of requests) that answered legacy discovery for services, servicecidrs and
//! ipaddresses and served /openapi/v3 plus the group-version documents from
//! crates/apiserver/openapi/ byte for byte:
//! `kubectl.1.33 --kubeconfig K --cache-dir D explain ARGS`.
//! Each case's stdout, stderr and exit code are compared exactly.

mod common;

use common::{k, out};
use serde_json::Value;

#[test]
fn every_recorded_case_matches_kubectl_1_33() {
    let goldens: Value =
        serde_json::from_str(include_str!("fixtures/explain/goldens.json")).expect("goldens");
    // The goldens were recorded against a server that serves networking.k8s.io
    // v1beta1 beside v1 (1.33–1.36; 1.37, the default release, removed it).
    let mut c = common::cluster_release(9.0, "1.34");
    let mut failures = Vec::new();
    for case in goldens.as_array().expect("a list") {
        let args = case["args"].as_str().unwrap_or("");
        let o = k(&mut c, &format!("explain {args}"));
        let got = out(&o);
        let want = (
            case["stdout"].as_str().unwrap_or(""),
            case["stderr"].as_str().unwrap_or(""),
            case["code"].as_i64().unwrap_or(-1) as i32,
        );
        if got != want {
            failures.push(format!("explain {args}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn argument_errors() {
    // Recorded offline: KUBECONFIG=/dev/null kubectl.1.33 explain …
    let mut c = common::cluster(9.0);
    assert_eq!(
        out(&k(&mut c, "explain")),
        ("", "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n", 1)
    );
    assert_eq!(
        out(&k(&mut c, "explain a b")),
        (
            "",
            "error: We accept only this format: explain RESOURCE\n",
            1
        )
    );
    assert_eq!(
        out(&k(&mut c, "explain svc -o foo")),
        (
            "",
            "error: unknown shorthand flag: 'o' in -o\nSee 'kubectl explain --help' for usage.\n",
            1
        )
    );
}
