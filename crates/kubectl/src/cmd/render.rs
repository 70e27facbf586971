//! The one place the commands reach the printers (YAML/JSON, List wrapping,
//! manifests, jsonpath, tables, ages). Commands never format objects
//! themselves; keeping the calls here means a printer change touches one file.
//!
//! Also here: the one format the printers do not cover, the JSON kubectl prints
//! for objects it holds as Go structs (`kubectl create service … -o json`),
//! whose keys follow the struct's field order instead of being sorted.

use super::resources::Kind;
use crate::table::TableRow;
use crate::{jsonpath as jp, manifest, printers, yaml};
use serde_json::Value;
use servicecidr_apiserver::tables::Printer;

/// Options of the table printer: kubectl's table flags, as the printers take them.
pub use crate::printers::TableOptions as TableOpts;

pub fn to_yaml(v: &Value) -> String {
    yaml::to_yaml(v)
}

pub fn to_json(v: &Value) -> String {
    yaml::to_json(v)
}

pub fn list_object(items: Vec<Value>) -> Value {
    yaml::list_object(items)
}

/// The documents of a manifest read from stdin, in order, each an object or
/// the error kubectl reports for it (a syntax error ends the stream).
pub fn manifest_stream(text: &str) -> Vec<Result<Value, String>> {
    manifest::parse_manifest_stream(text, manifest::STDIN)
}

pub fn jsonpath(template: &str, v: &Value) -> Result<String, String> {
    jp::eval(template, v)
}

/// Several types' tables from one `get`, separated as kubectl does.
pub fn join_tables(tables: &[String], no_headers: bool) -> String {
    printers::join_tables(tables, no_headers)
}

/// The server's printer for a kind.
pub fn printer(kind: Kind) -> Printer {
    match kind {
        Kind::Service => Printer::Service,
        Kind::ServiceCIDR => Printer::ServiceCIDR,
        Kind::IPAddress => Printer::IPAddress,
        Kind::CoreEvent | Kind::Event => Printer::Event,
        Kind::ConfigMap => Printer::ConfigMap,
        Kind::ValidatingAdmissionPolicy => Printer::ValidatingAdmissionPolicy,
        Kind::ValidatingAdmissionPolicyBinding => Printer::ValidatingAdmissionPolicyBinding,
    }
}

/// A server-side Table of `kind` as kubectl prints it.
pub fn print_table(kind: Kind, table: &Value, opts: &TableOpts) -> String {
    printers::print_table(table, opts, &kind.kind_prefix())
}

/// Rows of a server-side Table of `kind` (its column definitions and some of its rows)
/// as kubectl prints them.
pub fn print_rows(kind: Kind, columns: &Value, rows: &[&TableRow], opts: &TableOpts) -> String {
    printers::print_rows(columns, rows, opts, &kind.kind_prefix())
}

/// The table kubectl prints for `get` of objects it already holds (`--sort-by`
/// reads whole objects): the server's printer over them, decorated as usual.
pub fn table(kind: Kind, items: &[Value], opts: &TableOpts, now_ms: i64) -> String {
    let t =
        servicecidr_apiserver::tables::table(printer(kind), "v1", items, now_ms, Some(""), true);
    print_table(kind, &t, opts)
}

/// Go struct field order of the core/v1 Service and the ObjectMeta inside it,
/// by JSON path (array indices dropped). Maps (labels, selector …) are sorted.
fn struct_order(path: &str) -> Option<&'static [&'static str]> {
    Some(match path {
        "" => &["kind", "apiVersion", "metadata", "spec", "status"],
        "metadata" => &[
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "ownerReferences",
            "finalizers",
            "managedFields",
        ],
        "spec" => &[
            "ports",
            "selector",
            "clusterIP",
            "clusterIPs",
            "type",
            "externalIPs",
            "sessionAffinity",
            "loadBalancerIP",
            "loadBalancerSourceRanges",
            "externalName",
            "externalTrafficPolicy",
            "healthCheckNodePort",
            "publishNotReadyAddresses",
            "sessionAffinityConfig",
            "ipFamilies",
            "ipFamilyPolicy",
            "allocateLoadBalancerNodePorts",
            "loadBalancerClass",
            "internalTrafficPolicy",
            "trafficDistribution",
        ],
        "spec.ports" => &[
            "name",
            "protocol",
            "appProtocol",
            "port",
            "targetPort",
            "nodePort",
        ],
        "status" => &["loadBalancer", "conditions"],
        "status.conditions" => &[
            "type",
            "status",
            "observedGeneration",
            "lastTransitionTime",
            "reason",
            "message",
        ],
        _ => return None,
    })
}

fn write_typed(out: &mut String, v: &Value, path: &str, indent: usize) {
    let pad = |n: usize| "    ".repeat(n);
    match v {
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Object(m) => {
            let keys: Vec<&String> = match struct_order(path) {
                Some(order) => {
                    let mut ks: Vec<&String> = order
                        .iter()
                        .filter_map(|k| m.get_key_value(*k).map(|(k, _)| k))
                        .collect();
                    // Fields the table does not know go last, sorted.
                    ks.extend(m.keys().filter(|k| !order.contains(&k.as_str())));
                    ks
                }
                None => m.keys().collect(),
            };
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                yaml::json_string(out, k);
                out.push_str(": ");
                let child = if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                };
                write_typed(out, &m[k.as_str()], &child, indent + 1);
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_typed(out, x, path, indent + 1);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::String(s) => yaml::json_string(out, s),
        other => out.push_str(&other.to_string()),
    }
}

/// `-o json` of a Service that kubectl holds as a typed Go object.
pub fn typed_service_json(v: &Value) -> String {
    let mut out = String::new();
    write_typed(&mut out, v, "", 0);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_json_keeps_go_field_order() {
        let svc = json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "x", "labels": {"app": "x"}, "creationTimestamp": null},
            "spec": {"type": "ClusterIP", "selector": {"app": "x"},
                "ports": [{"targetPort": 8080, "port": 80, "protocol": "TCP", "name": "80-8080"}]},
            "status": {"loadBalancer": {}}
        });
        assert_eq!(
            typed_service_json(&svc),
            r#"{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "x",
        "creationTimestamp": null,
        "labels": {
            "app": "x"
        }
    },
    "spec": {
        "ports": [
            {
                "name": "80-8080",
                "protocol": "TCP",
                "port": 80,
                "targetPort": 8080
            }
        ],
        "selector": {
            "app": "x"
        },
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#
        );
    }

    #[test]
    fn event_tables() {
        let now = 1_795_776_353_000; // 2026-11-27T10:45:53Z
        let e = json!({"metadata": {"name": "web.18ebe13e09729200", "namespace": "default"},
            "eventTime": "2026-11-27T10:45:33.000000Z", "type": "Warning",
            "reason": "ClusterIPNotAllocated", "reportingController": "ipallocator-repair-controller",
            "reportingInstance": "ipallocator-repair-controller-x",
            "regarding": {"kind": "Service", "namespace": "default", "name": "web"},
            "note": "Cluster IP [IPv4]: 10.96.0.14 is not allocated; repairing"});
        assert_eq!(
            table(Kind::CoreEvent, std::slice::from_ref(&e), &TableOpts::default(), now),
            "LAST SEEN   TYPE      REASON                  OBJECT        MESSAGE\n\
             20s         Warning   ClusterIPNotAllocated   service/web   Cluster IP [IPv4]: 10.96.0.14 is not allocated; repairing\n"
        );
        let wide = TableOpts {
            wide: true,
            with_namespace: true,
            ..Default::default()
        };
        assert_eq!(
            table(Kind::Event, &[e], &wide, now),
            "NAMESPACE   LAST SEEN   TYPE      REASON                  OBJECT        SUBOBJECT   SOURCE                                                           MESSAGE                                                     FIRST SEEN   COUNT   NAME\n\
             default     20s         Warning   ClusterIPNotAllocated   service/web               ipallocator-repair-controller, ipallocator-repair-controller-x   Cluster IP [IPv4]: 10.96.0.14 is not allocated; repairing   20s          1       web.18ebe13e09729200\n"
        );
        assert_eq!(table(Kind::CoreEvent, &[], &TableOpts::default(), now), "");
    }

    #[test]
    fn event_table_show_labels_and_with_kind() {
        let now = 1_795_776_353_000; // 2026-11-27T10:45:53Z
        let mut e = json!({"metadata": {"name": "web.1", "namespace": "default",
                "labels": {"b": "2", "a": "1"}},
            "eventTime": "2026-11-27T10:45:33.000000Z", "type": "Normal",
            "reason": "R", "regarding": {"kind": "Service", "name": "web"}, "note": "n"});
        let o = TableOpts {
            show_labels: true,
            ..Default::default()
        };
        // Labels sorted by key, comma-joined, in a trailing LABELS column.
        assert_eq!(
            table(Kind::CoreEvent, std::slice::from_ref(&e), &o, now),
            "LAST SEEN   TYPE     REASON   OBJECT        MESSAGE   LABELS\n\
             20s         Normal   R        service/web   n         a=1,b=2\n"
        );
        e["metadata"]["labels"] = json!({});
        let o = TableOpts {
            show_labels: true,
            no_headers: true,
            wide: true,
            with_kind: true,
            ..Default::default()
        };
        // No labels print <none>; with_kind prefixes the wide NAME column.
        assert_eq!(
            table(Kind::Event, &[e], &o, now),
            "20s   Normal   R     service/web               n     20s   1     event.events.k8s.io/web.1   <none>\n"
        );
    }

    #[test]
    fn typed_json_escapes_like_go() {
        // The struct-ordered printer escapes strings through yaml::json_string,
        // the same HTML-safe encoding json.Marshal applies.
        assert_eq!(
            typed_service_json(&serde_json::json!({"metadata": {"name": "<a&b>"}})),
            "{\n    \"metadata\": {\n        \"name\": \"\\u003ca\\u0026b\\u003e\"\n    }\n}\n"
        );
    }
}
