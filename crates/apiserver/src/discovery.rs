//! Discovery, built from [`crate::served::served`]: the legacy documents
//! (`/api`, `/apis`, `/apis/{group}`, `/api/v1`, `/apis/{group}/{version}`)
//! and aggregated discovery (`apidiscovery.k8s.io` v2 or v2beta1, chosen by
//! `Accept`, answered with the matching Content-Type; kubectl ≤ 1.29 offers
//! only v2beta1 and drops every resource from a v2 answer).

use crate::http::{header, json_response, json_response_typed};
use crate::negotiate::discovery_version;
use crate::served::{served, GroupVersion, ServedResource};
use crate::{Request, Response};
use serde_json::{json, Value};
use servicecidr_core::Cluster;

const STATUS_VERBS: &[&str] = &["get", "patch", "update"];

/// Named groups in served order, each with its versions (preferred first).
fn groups(all: &[GroupVersion]) -> Vec<(&'static str, Vec<&GroupVersion>)> {
    let mut out: Vec<(&'static str, Vec<&GroupVersion>)> = Vec::new();
    for gv in all.iter().filter(|gv| !gv.group.is_empty()) {
        match out.iter_mut().find(|(g, _)| *g == gv.group) {
            Some((_, vs)) => vs.push(gv),
            None => out.push((gv.group, vec![gv])),
        }
    }
    out
}

fn version_ref(gv: &GroupVersion) -> Value {
    json!({"groupVersion": gv.group_version(), "version": gv.version})
}

fn api_group(name: &str, versions: &[&GroupVersion]) -> Value {
    json!({
        "name": name,
        "versions": versions.iter().map(|gv| version_ref(gv)).collect::<Vec<_>>(),
        "preferredVersion": versions.first().map(|gv| version_ref(gv)).unwrap_or(Value::Null),
    })
}

fn api_resource(r: &ServedResource) -> Value {
    let mut v = json!({
        "name": r.plural,
        "singularName": r.singular,
        "namespaced": r.namespaced,
        "kind": r.kind,
        "verbs": r.verbs,
    });
    if !r.short_names.is_empty() {
        v["shortNames"] = json!(r.short_names);
    }
    if !r.categories.is_empty() {
        v["categories"] = json!(r.categories);
    }
    v
}

/// `APIResourceList` of one group-version.
pub fn resource_list(gv: &GroupVersion) -> Value {
    let mut resources = Vec::new();
    for r in &gv.resources {
        resources.push(api_resource(r));
        if r.status {
            resources.push(json!({
                "name": format!("{}/status", r.plural),
                "singularName": "",
                "namespaced": r.namespaced,
                "kind": r.kind,
                "verbs": STATUS_VERBS,
            }));
        }
    }
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": gv.group_version(),
        "resources": resources,
    })
}

fn discovery_resource(gv: &GroupVersion, r: &ServedResource) -> Value {
    let kind = json!({"group": gv.group, "version": gv.version, "kind": r.kind});
    let mut v = json!({
        "resource": r.plural,
        "responseKind": kind,
        "scope": if r.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": r.singular,
        "verbs": r.verbs,
    });
    if !r.short_names.is_empty() {
        v["shortNames"] = json!(r.short_names);
    }
    if !r.categories.is_empty() {
        v["categories"] = json!(r.categories);
    }
    if r.status {
        v["subresources"] = json!([{
            "subresource": "status",
            "responseKind": kind,
            "verbs": STATUS_VERBS,
        }]);
    }
    v
}

fn discovery_item(name: &str, versions: &[&GroupVersion]) -> Value {
    json!({
        "metadata": {"name": name, "creationTimestamp": null},
        "versions": versions.iter().map(|gv| json!({
            "version": gv.version,
            "resources": gv.resources.iter().map(|r| discovery_resource(gv, r)).collect::<Vec<_>>(),
            "freshness": "Current",
        })).collect::<Vec<_>>(),
    })
}

fn aggregated(version: &str, items: Vec<Value>) -> Response {
    let body = json!({
        "kind": "APIGroupDiscoveryList",
        "apiVersion": format!("apidiscovery.k8s.io/{version}"),
        "metadata": {},
        "items": items,
    });
    let mut r = json_response_typed(
        200,
        &body,
        &format!("application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList"),
    );
    r.headers.push(("Vary".into(), "Accept".into()));
    r
}

/// GET /api
pub fn api(cluster: &Cluster, req: &Request) -> Response {
    let all = served(cluster);
    let core: Vec<&GroupVersion> = all.iter().filter(|gv| gv.group.is_empty()).collect();
    if let Some(v) = discovery_version(req) {
        return aggregated(v, vec![discovery_item("", &core)]);
    }
    let address = header(req, "Host").unwrap_or("127.0.0.1:6443");
    json_response(
        200,
        &json!({
            "kind": "APIVersions",
            "versions": core.iter().map(|gv| gv.version).collect::<Vec<_>>(),
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": address}],
        }),
    )
}

/// GET /apis
pub fn apis(cluster: &Cluster, req: &Request) -> Response {
    let all = served(cluster);
    let named = groups(&all);
    if let Some(v) = discovery_version(req) {
        return aggregated(
            v,
            named.iter().map(|(g, vs)| discovery_item(g, vs)).collect(),
        );
    }
    json_response(
        200,
        &json!({
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": named.iter().map(|(g, vs)| api_group(g, vs)).collect::<Vec<_>>(),
        }),
    )
}

/// GET /apis/{group}
pub fn group(cluster: &Cluster, name: &str) -> Option<Response> {
    let all = served(cluster);
    let named = groups(&all);
    let (g, vs) = named.iter().find(|(g, _)| *g == name)?;
    let mut body = api_group(g, vs);
    if let Some(m) = body.as_object_mut() {
        m.insert("kind".into(), json!("APIGroup"));
        m.insert("apiVersion".into(), json!("v1"));
    }
    Some(json_response(200, &body))
}
