//! `/openapi/v3`.
//!
//! API for the router:
//! - `openapi::handle(path, query, served)` → `Some(OpenApiReply)` for any path
//!   under `/openapi/`, `None` otherwise. `served` lists the group-versions this
//!   release serves, as index keys (`"api/v1"`, `"apis/networking.k8s.io/v1"`);
//!   `openapi::ALL` is every one a document exists for.
//! - `openapi::document(gv)` (the JSON text) and `openapi::schema_of(api_version, kind)`
//!   (the parsed component schema of a kind, with `openapi::resolve_ref`) for
//!   field validation and apply.
//!
//! Documents are static JSON under crates/apiserver/openapi/ (only the types the
//! simulator serves, with upstream's descriptions and `x-kubernetes-*`
//! extensions; how they were made: docs/DESIGN-NOTES.md § Protocol modules).
//! The PATCH operations advertise all four patch content types as upstream does,
//! so kubectl computes strategic merge patches for these kinds.
//!
//! `/openapi/v2` is `openapi_v2.rs` (the router sends it there first), built
//! from these documents; `handle` answers it 404 only when called directly.

use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// (index key, document text). The index key is also the URL tail.
static DOCUMENTS: &[(&str, &str)] = &[
    ("api/v1", include_str!("../openapi/api__v1.json")),
    (
        "apis/networking.k8s.io/v1",
        include_str!("../openapi/apis__networking.k8s.io__v1.json"),
    ),
    (
        "apis/networking.k8s.io/v1beta1",
        include_str!("../openapi/apis__networking.k8s.io__v1beta1.json"),
    ),
    // The admission policy kinds' schemas are not modelled: their objects are
    // open (x-kubernetes-preserve-unknown-fields), so kubectl's client-side
    // validation passes them and the server's validation judges them.
    (
        "apis/admissionregistration.k8s.io/v1",
        include_str!("../openapi/apis__admissionregistration.k8s.io__v1.json"),
    ),
];

/// Every group-version a document exists for.
pub const ALL: &[&str] = &[
    "api/v1",
    "apis/networking.k8s.io/v1",
    "apis/networking.k8s.io/v1beta1",
    "apis/admissionregistration.k8s.io/v1",
];

/// What to send back.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenApiReply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// The index key of an apiVersion: `v1` → `api/v1`, `g/v` → `apis/g/v`.
pub fn gv_key(api_version: &str) -> String {
    if api_version.contains('/') {
        format!("apis/{api_version}")
    } else {
        format!("api/{api_version}")
    }
}

/// The JSON text of a group-version's document.
pub fn document(gv: &str) -> Option<&'static str> {
    DOCUMENTS.iter().find(|(k, _)| *k == gv).map(|(_, d)| *d)
}

/// A document's `?hash=`: FNV-1a 64 of its bytes, upper-case hex. Changes whenever
/// the document does, which is all clients rely on (they cache by URL).
pub fn hash(gv: &str) -> Option<String> {
    document(gv).map(|d| {
        let mut h: u64 = 0xcbf29ce484222325;
        for b in d.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("{h:016X}")
    })
}

/// GET /openapi/v3: the served group-versions with their hashed URLs.
pub fn index(served: &[&str]) -> Value {
    let mut paths = Map::new();
    for gv in served {
        if let Some(h) = hash(gv) {
            paths.insert(
                gv.to_string(),
                json!({"serverRelativeURL": format!("/openapi/v3/{gv}?hash={h}")}),
            );
        }
    }
    json!({ "paths": paths })
}

fn not_found() -> OpenApiReply {
    OpenApiReply {
        status: 404,
        content_type: "text/plain; charset=utf-8",
        headers: vec![("X-Content-Type-Options", "nosniff".into())],
        body: "404 page not found\n".into(),
    }
}

fn query_param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Answer a request under `/openapi/`. `query` is the raw query string (no `?`).
pub fn handle(path: &str, query: &str, served: &[&str]) -> Option<OpenApiReply> {
    let path = path.trim_end_matches('/');
    if path == "/openapi/v3" {
        return Some(OpenApiReply {
            status: 200,
            content_type: "application/json",
            headers: Vec::new(),
            body: index(served).to_string(),
        });
    }
    if let Some(gv) = path.strip_prefix("/openapi/v3/") {
        let (Some(doc), Some(h)) = (document(gv), hash(gv)) else {
            return Some(not_found());
        };
        if !served.contains(&gv) {
            return Some(not_found());
        }
        // kube-openapi handler3: a stale ?hash= redirects to the current one;
        // the right one may be cached forever.
        return Some(match query_param(query, "hash") {
            Some(q) if !q.is_empty() && q != h => OpenApiReply {
                status: 301,
                content_type: "text/html; charset=utf-8",
                headers: vec![("Location", format!("/openapi/v3/{gv}?hash={h}"))],
                body: String::new(),
            },
            Some(q) if !q.is_empty() => OpenApiReply {
                status: 200,
                content_type: "application/json",
                headers: vec![
                    ("Etag", format!("\"{h}\"")),
                    ("Cache-Control", "public, immutable".into()),
                ],
                body: doc.to_string(),
            },
            _ => OpenApiReply {
                status: 200,
                content_type: "application/json",
                headers: vec![
                    ("Etag", format!("\"{h}\"")),
                    ("Cache-Control", "no-cache, private".into()),
                ],
                body: doc.to_string(),
            },
        });
    }
    if path.starts_with("/openapi") {
        return Some(not_found());
    }
    None
}

/// Parsed documents, once.
fn parsed(gv: &str) -> Option<&'static Value> {
    static CACHE: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        DOCUMENTS
            .iter()
            .filter_map(|(k, d)| serde_json::from_str(d).ok().map(|v| (*k, v)))
            .collect()
    });
    all.iter().find(|(k, _)| *k == gv).map(|(_, v)| v)
}

/// The components.schemas of a group-version's document.
pub fn schemas(api_version: &str) -> Option<&'static Map<String, Value>> {
    parsed(&gv_key(api_version))?
        .pointer("/components/schemas")?
        .as_object()
}

/// The schema of a kind: the component whose x-kubernetes-group-version-kind names it.
pub fn schema_of(api_version: &str, kind: &str) -> Option<&'static Value> {
    let (group, version) = match api_version.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    schemas(api_version)?.values().find(|s| {
        s.get("x-kubernetes-group-version-kind")
            .and_then(Value::as_array)
            .is_some_and(|gvks| {
                gvks.iter()
                    .any(|g| g["group"] == group && g["version"] == version && g["kind"] == kind)
            })
    })
}

/// Follow `$ref` / single-element `allOf` to the schema it names.
pub fn resolve_ref<'a>(schemas: &'a Map<String, Value>, s: &'a Value) -> &'a Value {
    let mut cur = s;
    for _ in 0..8 {
        let r = cur
            .get("$ref")
            .or_else(|| cur.pointer("/allOf/0/$ref"))
            .and_then(Value::as_str);
        match r
            .and_then(|r| r.rsplit('/').next())
            .and_then(|n| schemas.get(n))
        {
            Some(next) => cur = next,
            None => break,
        }
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_lists_served_group_versions_with_hashes() {
        let idx = index(ALL);
        for gv in ALL {
            let url = idx["paths"][gv]["serverRelativeURL"].as_str().unwrap();
            assert_eq!(url, format!("/openapi/v3/{gv}?hash={}", hash(gv).unwrap()));
        }
        // Per-release serving: a group-version left out is not listed nor served.
        let idx = index(&["api/v1", "apis/networking.k8s.io/v1"]);
        assert!(idx["paths"].get("apis/networking.k8s.io/v1beta1").is_none());
        let r = handle(
            "/openapi/v3/apis/networking.k8s.io/v1beta1",
            "",
            &["api/v1"],
        )
        .unwrap();
        assert_eq!(r.status, 404);
    }

    #[test]
    fn documents_parse_and_hashes_differ() {
        let hs: Vec<String> = ALL.iter().map(|g| hash(g).unwrap()).collect();
        assert_ne!(hs[0], hs[1]);
        assert_ne!(hs[1], hs[2]);
        for gv in ALL {
            assert!(parsed(gv).is_some(), "{gv}");
        }
    }

    #[test]
    fn hashed_urls_are_immutable_and_stale_ones_redirect() {
        let h = hash("api/v1").unwrap();
        let r = handle("/openapi/v3/api/v1", &format!("hash={h}&timeout=32s"), ALL).unwrap();
        assert_eq!(r.status, 200);
        assert!(r
            .headers
            .contains(&("Cache-Control", "public, immutable".into())));
        let r = handle("/openapi/v3/api/v1", "hash=0", ALL).unwrap();
        assert_eq!(r.status, 301);
        assert_eq!(
            r.headers[0],
            ("Location", format!("/openapi/v3/api/v1?hash={h}"))
        );
        assert_eq!(handle("/openapi/v2", "", ALL).unwrap().status, 404);
        assert_eq!(
            handle("/openapi/v3/apis/apps/v1", "", ALL).unwrap().status,
            404
        );
        assert!(handle("/api/v1", "", ALL).is_none());
    }

    /// What `kubectl explain` and apply read: the kind's schema by GVK, upstream's
    /// descriptions, merge extensions, and the PATCH operation's fieldValidation
    /// parameter and content types.
    #[test]
    fn schemas_carry_upstream_facts() {
        let s = schema_of("networking.k8s.io/v1", "ServiceCIDR").unwrap();
        let all = schemas("networking.k8s.io/v1").unwrap();
        let spec = resolve_ref(all, &s["properties"]["spec"]);
        assert!(spec["properties"]["cidrs"]["description"]
            .as_str()
            .unwrap()
            .starts_with("CIDRs defines the IP blocks in CIDR notation (e.g. \"192.168.0.0/24\" or \"2001:db8::/64\") from which to assign service cluster IPs."));
        let svc = schema_of("v1", "Service").unwrap();
        let all = schemas("v1").unwrap();
        let ports = &resolve_ref(all, &svc["properties"]["spec"])["properties"]["ports"];
        assert_eq!(ports["x-kubernetes-patch-merge-key"], "port");
        assert_eq!(
            ports["x-kubernetes-list-map-keys"],
            json!(["port", "protocol"])
        );
        assert!(schema_of("networking.k8s.io/v1beta1", "IPAddress").is_some());
        assert!(schema_of("networking.k8s.io/v1", "Service").is_none());
        let doc: Value =
            serde_json::from_str(document("apis/networking.k8s.io/v1").unwrap()).unwrap();
        let patch = &doc["paths"]["/apis/networking.k8s.io/v1/servicecidrs/{name}"]["patch"];
        assert_eq!(
            patch["x-kubernetes-group-version-kind"]["kind"],
            "ServiceCIDR"
        );
        assert!(patch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "fieldValidation"));
        assert!(patch["requestBody"]["content"]
            .get("application/strategic-merge-patch+json")
            .is_some());
    }
}
