//! `/version`, the health endpoints and the root path list.

use crate::http::{json_response, text_response};
use crate::served::served;
use crate::Response;
use serde_json::{json, Value};
use servicecidr_core::Cluster;

/// `/version` as the emulated release's kube-apiserver answers it. The
/// kubectl dispatcher (G1) picks its kubectl from `minor`; the build fields
/// (commit, date, Go version) are not modelled and say so.
pub fn version_info(cluster: &Cluster) -> Value {
    release_info(cluster.release())
}

/// The `/version` body of a kube-apiserver of release `r`.
pub fn release_info(r: &servicecidr_core::Release) -> Value {
    let v = r.version_info();
    json!({
        "major": v.major, "minor": v.minor,
        "emulationMajor": v.major, "emulationMinor": v.minor,
        "gitVersion": v.git_version, "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "1970-01-01T00:00:00Z",
        "goVersion": "go (servicecidr-sim)", "compiler": "gc", "platform": "wasm32/servicecidr-sim"
    })
}

pub fn version(cluster: &Cluster) -> Response {
    json_response(200, &version_info(cluster))
}

/// `/healthz`, `/livez`, `/readyz`: the simulated control plane is always up.
pub fn health() -> Response {
    text_response(200, "ok")
}

/// GET /: the paths this server answers, sorted, as the real root handler lists them.
pub fn root(cluster: &Cluster) -> Response {
    let mut paths: Vec<String> = [
        "/api", "/apis", "/apis/", "/healthz", "/livez", "/readyz", "/version",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for gv in served(cluster) {
        if gv.group.is_empty() {
            paths.push(format!("/api/{}", gv.version));
        } else {
            paths.push(format!("/apis/{}", gv.group));
            paths.push(format!("/apis/{}/{}", gv.group, gv.version));
        }
    }
    paths.sort();
    paths.dedup();
    json_response(200, &json!({ "paths": paths }))
}
