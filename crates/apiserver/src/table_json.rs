//! A list's Table written as JSON text straight from the stored objects, for the kinds the
//! core keeps typed (Services, ServiceCIDRs, IPAddresses): the same bytes as
//! [`tables::table_with`]'s `Value` serialised, without building a tree per row and
//! without copying each object's metadata into a `PartialObjectMetadata` (issue #14:
//! that was most of `kubectl get svc -A`). Keys go out in the order a `Value` sorts them.

use crate::fields::FieldSelector;
use crate::labels::Selector;
use crate::tables::{self, IncludeObject, Printer};
use servicecidr_core::cluster::{ListedObject, Listing};
use servicecidr_core::model::ObjectMeta;
use servicecidr_core::sorted_json::Writer;

fn metadata<'a>(o: &ListedObject<'a>) -> Option<&'a ObjectMeta> {
    match *o {
        ListedObject::Service(s) => Some(&s.metadata),
        ListedObject::ServiceCIDR(c) => Some(&c.metadata),
        ListedObject::IPAddress(ip) => Some(&ip.metadata),
        ListedObject::Event(_) | ListedObject::Generic(_) => None,
    }
}

/// The Table of the listed objects that pass the selectors, as the JSON body (without the
/// trailing newline). None when this writer does not cover the request: an object of
/// another kind, a field selector on other fields, rows with whole objects.
pub fn list_table(
    listing: &Listing,
    p: Printer,
    table_version: &str,
    (labels, fields): (&Selector, &FieldSelector),
    include: IncludeObject,
) -> Option<Vec<u8>> {
    if include == IncludeObject::Object {
        return None;
    }
    let mut w = Writer::with_capacity(512 + listing.items.len() * 400);
    let api_version = format!("meta.k8s.io/{table_version}");
    w.raw(r#"{"apiVersion":"#);
    w.push(&api_version).ok()?;
    w.raw(r#","columnDefinitions":"#);
    w.push(&tables::column_definitions(p)).ok()?;
    w.raw(r#","kind":"Table","metadata":{"resourceVersion":"#);
    w.push(&listing.resource_version).ok()?;
    w.raw(r#"},"rows":["#);
    let mut first = true;
    for o in &listing.items {
        let meta = metadata(o)?;
        if !labels.matches_labels(&meta.labels) || !fields.matches_meta(meta)? {
            continue;
        }
        let cells = tables::typed_cells(p, *o, listing.now_ms)?;
        if !first {
            w.raw(",");
        }
        first = false;
        w.raw(r#"{"cells":"#);
        w.push(&cells).ok()?;
        match include {
            IncludeObject::Metadata => {
                w.raw(r#","object":{"apiVersion":"#);
                w.push(&api_version).ok()?;
                w.raw(r#","kind":"PartialObjectMetadata","metadata":"#);
                w.push(meta).ok()?;
                w.raw("}}");
            }
            _ => w.raw(r#","object":null}"#),
        }
    }
    w.raw("]}");
    Some(w.into_bytes())
}

#[cfg(test)]
mod tests {
    use crate::tables::{table_with, IncludeObject, Printer};
    use crate::{handle, Request};
    use serde_json::{json, Value};
    use servicecidr_core::{Cluster, ClusterOptions};

    fn cluster() -> Cluster {
        let mut c = Cluster::new(ClusterOptions {
            seed: Some(7.0),
            now: Some(json!("2024-01-01T00:00:00Z")),
            service_cluster_ip_range: Some("10.96.0.0/16,fd00::/108".into()),
            ..Default::default()
        })
        .unwrap();
        let svc = |ns: &str, name: &str, spec: Value, labels: Value| {
            json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": name, "namespace": ns, "labels": labels}, "spec": spec})
        };
        let objs = [
            svc(
                "default",
                "web",
                json!({"selector": {"b": "2", "a": "1"}, "ports": [{"port": 80}]}),
                json!({"app": "web", "tier": "front"}),
            ),
            svc(
                "default",
                "np",
                json!({"type": "NodePort", "externalIPs": ["1.2.3.4", "5.6.7.8"],
                "ports": [{"port": 80, "nodePort": 30080, "name": "http"}, {"port": 53, "protocol": "UDP", "name": "dns"}]}),
                json!({"app": "np"}),
            ),
            svc(
                "kube-system",
                "lb",
                json!({"type": "LoadBalancer", "externalIPs": ["9.9.9.9"], "ipFamilyPolicy": "PreferDualStack",
                "ports": [{"port": 443}]}),
                json!({}),
            ),
            svc(
                "kube-system",
                "ext",
                json!({"type": "ExternalName", "externalName": "db.example.com"}),
                json!({"app": "web"}),
            ),
            svc(
                "kube-public",
                "headless",
                json!({"clusterIP": "None", "ports": [{"port": 1}]}),
                json!({"x": "y"}),
            ),
        ];
        for o in objs {
            c.create(o).unwrap();
        }
        let mut h = c.get("services", "headless", Some("kube-public")).unwrap();
        h["metadata"]["annotations"] = json!({"note": "\"quoted\"\n\u{1}é", "a": ""});
        c.update(h).unwrap();
        c.create(json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
            "metadata": {"name": "extra", "labels": {"a": "1"}}, "spec": {"cidrs": ["10.100.0.0/24"]}}))
            .unwrap();
        c.advance(3725.0).unwrap();
        c
    }

    /// What the `Value` path answers: the listed objects, filtered, as `table_with` prints.
    fn value_table(c: &mut Cluster, target: &str, v: &str, include: IncludeObject) -> Vec<u8> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let q = crate::http::Query(crate::http::parse_query(query));
        let (resource, ns, printer, storage) = match path {
            "/api/v1/services" => (
                "services",
                None,
                Printer::Service,
                servicecidr_core::model::Resource::Services,
            ),
            "/api/v1/namespaces/default/services" => (
                "services",
                Some("default"),
                Printer::Service,
                servicecidr_core::model::Resource::Services,
            ),
            "/apis/networking.k8s.io/v1/servicecidrs" => (
                "servicecidrs",
                None,
                Printer::ServiceCIDR,
                servicecidr_core::model::Resource::ServiceCIDRs,
            ),
            "/apis/networking.k8s.io/v1/ipaddresses" => (
                "ipaddresses",
                None,
                Printer::IPAddress,
                servicecidr_core::model::Resource::IPAddresses,
            ),
            p => panic!("{p}"),
        };
        let labels = crate::labels::Selector::parse(q.str_or("labelSelector", "")).unwrap();
        let fields = crate::fields::FieldSelector::parse(
            q.str_or("fieldSelector", ""),
            crate::served::Storage::Core(storage),
        )
        .unwrap();
        let items: Vec<Value> = c
            .list(resource, ns)
            .unwrap()
            .into_iter()
            .filter(|o| labels.matches(o) && fields.matches(o))
            .collect();
        let rv = c.resource_version();
        let t = table_with(printer, v, &items, c.now_ms(), Some(&rv), true, include);
        let mut b = serde_json::to_vec(&t).unwrap();
        b.push(b'\n');
        b
    }

    #[test]
    fn typed_tables_are_the_value_tables_byte_for_byte() {
        let mut c = cluster();
        let targets = [
            "/api/v1/services?limit=500",
            "/api/v1/namespaces/default/services?limit=500",
            "/api/v1/services?labelSelector=app%3Dweb&limit=500",
            "/api/v1/services?labelSelector=app+in+(web,np),tier!%3Dfront",
            "/api/v1/services?fieldSelector=metadata.namespace%3Dkube-system",
            "/api/v1/services?fieldSelector=metadata.name!%3Dweb,metadata.namespace%3Ddefault",
            "/api/v1/services?labelSelector=nothing",
            "/apis/networking.k8s.io/v1/servicecidrs",
            "/apis/networking.k8s.io/v1/ipaddresses",
        ];
        let accept_v1 = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        let accept_beta = "application/json;as=Table;v=v1beta1;g=meta.k8s.io";
        for target in targets {
            for (accept, v) in [(accept_v1, "v1"), (accept_beta, "v1beta1")] {
                for (param, include) in [
                    ("", IncludeObject::Metadata),
                    ("includeObject=None", IncludeObject::None),
                ] {
                    let full = match (target.contains('?'), param.is_empty()) {
                        (_, true) => target.to_string(),
                        (true, false) => format!("{target}&{param}"),
                        (false, false) => format!("{target}?{param}"),
                    };
                    let (path, query) = full.split_once('?').unwrap_or((&full, ""));
                    let r = handle(
                        &mut c,
                        &Request {
                            method: "GET".into(),
                            path: path.into(),
                            query: query.into(),
                            headers: vec![("Accept".into(), accept.into())],
                            body: Vec::new(),
                            user: None,
                        },
                    );
                    assert_eq!(r.status, 200, "{full}");
                    let want = value_table(&mut c, &full, v, include);
                    assert_eq!(
                        String::from_utf8(r.body).unwrap(),
                        String::from_utf8(want).unwrap(),
                        "{full} {accept}"
                    );
                }
            }
        }
    }
}
