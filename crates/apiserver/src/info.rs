//! `/version`, the health endpoints and the root path list.

use crate::http::{json_response, text_response};
use crate::served::served;
use crate::Response;
use serde_json::{json, Value};
use servicecidr_core::Cluster;

/// `/version` as the emulated release's kube-apiserver answers it: major,
/// minor and gitVersion are the release's (the kubectl dispatcher (G1) picks
/// its kubectl from `minor`); the build facts (commit, date, Go version) are
/// those of the real 1.34.0 build, one set for every release.
pub fn version_info(cluster: &Cluster) -> Value {
    release_info(cluster.release())
}

/// `/version` of a kube-apiserver of release `r`.
pub fn release_info(r: &servicecidr_core::Release) -> Value {
    let v = r.version_info();
    let min_compat = r.version.minor.saturating_sub(1).to_string();
    json!({
        "major": v.major, "minor": v.minor, "emulationMajor": v.major, "emulationMinor": v.minor,
        "minCompatibilityMajor": "1", "minCompatibilityMinor": min_compat,
        "gitVersion": v.git_version, "gitCommit": "f28b4c9efbca5c5c0af716d9f2d5702667ee8a45",
        "gitTreeState": "clean", "buildDate": "2025-08-27T10:09:04Z",
        "goVersion": "go1.24.6", "compiler": "gc", "platform": "linux/amd64"
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
    servicecidr_core::sort::sort(&mut paths);
    paths.dedup();
    json_response(200, &json!({ "paths": paths }))
}
