//! `kubectl get` tables for Services, ServiceCIDRs and IPAddresses, `-o name`,
//! and the small stderr texts around them.
//!
//! Two halves of upstream meet here. The apiserver builds a Table (columns
//! and cell strings, pkg/printers/internalversion/printers.go); it always
//! renders with `Wide: true`, so e.g. a LoadBalancer's EXTERNAL-IP is never
//! shortened. kubectl then decorates it (NAMESPACE first for `-A`, LABELS
//! last for `--show-labels`, `kind/` name prefixes), drops wide-only columns
//! unless `-o wide`, upper-cases the headers and aligns with its tabwriter.
//! Both halves are modelled (goldens recorded with kubectl 1.33 against a
//! stub apiserver serving these tables), including a visible upstream quirk: the
//! IPAddress printer emits an AGE cell for which no column is declared, so
//! with `--show-labels` the LABELS column shows that age.

use super::duration::age_of;
use super::tabwriter::format_table;
use serde_json::{Map, Value};

/// kubectl's table flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// `-o wide`: include priority columns (SELECTOR for services).
    pub wide: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// `--show-labels`: a LABELS column last.
    pub show_labels: bool,
    /// A NAMESPACE column first (`-A`). kubectl asks for it only for
    /// namespaced resources, but in a multi-type `get -A` the setting sticks
    /// once a namespaced table has been printed (its flags are shared by
    /// pointer), so later cluster-scoped tables get an empty NAMESPACE
    /// column: `all_namespaces && (is_namespaced(r) || an earlier table of
    /// the same command was namespaced)`. Cells are the object namespace.
    pub with_namespace: bool,
    /// Several resource types in one `get`: names print as `kind.group/name`.
    pub with_kind: bool,
}

struct Column {
    name: &'static str,
    /// Priority-1 columns only show with `-o wide`.
    wide_only: bool,
}

const SERVICE_COLUMNS: &[Column] = &[
    Column {
        name: "Name",
        wide_only: false,
    },
    Column {
        name: "Type",
        wide_only: false,
    },
    Column {
        name: "Cluster-IP",
        wide_only: false,
    },
    Column {
        name: "External-IP",
        wide_only: false,
    },
    Column {
        name: "Port(s)",
        wide_only: false,
    },
    Column {
        name: "Age",
        wide_only: false,
    },
    Column {
        name: "Selector",
        wide_only: true,
    },
];

const SERVICECIDR_COLUMNS: &[Column] = &[
    Column {
        name: "Name",
        wide_only: false,
    },
    Column {
        name: "CIDRs",
        wide_only: false,
    },
    Column {
        name: "Age",
        wide_only: false,
    },
];

const IPADDRESS_COLUMNS: &[Column] = &[
    Column {
        name: "Name",
        wide_only: false,
    },
    Column {
        name: "ParentRef",
        wide_only: false,
    },
];

/// Upstream `loadBalancerWidth`; unused on the wire because the apiserver
/// always prints wide, kept to document why nothing is truncated.
pub const LOAD_BALANCER_WIDTH: usize = 16;

/// The string at a JSON pointer, or "" (absent fields print empty).
pub(crate) fn str_at<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

/// The strings of the array at a JSON pointer (none when absent).
pub(crate) fn strings_at(v: &Value, ptr: &str) -> Vec<String> {
    v.pointer(ptr)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// apimachinery `labels.FormatLabels`: `k=v` sorted by key, `,`-joined,
/// `<none>` when empty.
pub fn format_labels(m: Option<&Map<String, Value>>) -> String {
    let Some(m) = m.filter(|m| !m.is_empty()) else {
        return "<none>".into();
    };
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    keys.into_iter()
        .map(|k| {
            let v = m.get(k).and_then(Value::as_str).unwrap_or("");
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn labels_of(obj: &Value) -> String {
    format_labels(obj.pointer("/metadata/labels").and_then(Value::as_object))
}

/// LoadBalancer ingress points: IP, else hostname, de-duplicated and sorted.
fn load_balancer_ips(svc: &Value) -> String {
    let mut set: Vec<String> = Vec::new();
    if let Some(ing) = svc
        .pointer("/status/loadBalancer/ingress")
        .and_then(Value::as_array)
    {
        for i in ing {
            let ip = str_at(i, "/ip");
            let host = str_at(i, "/hostname");
            let v = if !ip.is_empty() { ip } else { host };
            if !v.is_empty() {
                set.push(v.to_string());
            }
        }
    }
    set.sort();
    set.dedup();
    set.join(",")
}

fn service_external_ip(svc: &Value) -> String {
    let external = strings_at(svc, "/spec/externalIPs");
    match str_at(svc, "/spec/type") {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".into()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_ips(svc);
            if !external.is_empty() {
                let mut all: Vec<String> = Vec::new();
                if !lb.is_empty() {
                    all.extend(lb.split(',').map(str::to_string));
                }
                all.extend(external);
                all.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".into()
            }
        }
        "ExternalName" => str_at(svc, "/spec/externalName").to_string(),
        _ => "<unknown>".into(),
    }
}

fn int_at(v: &Value, ptr: &str) -> i64 {
    v.pointer(ptr).and_then(Value::as_i64).unwrap_or(0)
}

/// `80/TCP`, `80:30080/TCP`, `,`-joined; `<none>` without ports.
fn service_ports(svc: &Value) -> String {
    let Some(ports) = svc.pointer("/spec/ports").and_then(Value::as_array) else {
        return "<none>".into();
    };
    let s = ports
        .iter()
        .map(|p| {
            let port = int_at(p, "/port");
            let proto = str_at(p, "/protocol");
            let node_port = int_at(p, "/nodePort");
            if node_port > 0 {
                format!("{port}:{node_port}/{proto}")
            } else {
                format!("{port}/{proto}")
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

fn service_cells(svc: &Value, now_ms: i64) -> Vec<String> {
    let cluster_ip = strings_at(svc, "/spec/clusterIPs")
        .into_iter()
        .next()
        .unwrap_or_else(|| "<none>".into());
    vec![
        str_at(svc, "/metadata/name").to_string(),
        str_at(svc, "/spec/type").to_string(),
        cluster_ip,
        service_external_ip(svc),
        service_ports(svc),
        age_of(svc, now_ms),
        format_labels(svc.pointer("/spec/selector").and_then(Value::as_object)),
    ]
}

fn servicecidr_cells(obj: &Value, now_ms: i64) -> Vec<String> {
    vec![
        str_at(obj, "/metadata/name").to_string(),
        strings_at(obj, "/spec/cidrs").join(","),
        age_of(obj, now_ms),
    ]
}

/// `resource[.group]` lower-cased, `/namespace` when set, `/name`.
pub fn parent_ref_text(ip: &Value) -> String {
    let Some(p) = ip.pointer("/spec/parentRef").filter(|p| p.is_object()) else {
        return "<none>".into();
    };
    let group = str_at(p, "/group");
    let resource = str_at(p, "/resource");
    let mut s = if group.is_empty() {
        resource.to_lowercase()
    } else {
        format!("{resource}.{group}").to_lowercase()
    };
    let ns = str_at(p, "/namespace");
    if !ns.is_empty() {
        s.push('/');
        s.push_str(ns);
    }
    s.push('/');
    s.push_str(str_at(p, "/name"));
    s
}

fn ipaddress_cells(obj: &Value, now_ms: i64) -> Vec<String> {
    vec![
        str_at(obj, "/metadata/name").to_string(),
        parent_ref_text(obj),
        age_of(obj, now_ms),
    ]
}

/// kubectl's `kind.group` for `-o name` and `with_kind` prefixes, from the
/// model's resource table (lower-cased kind, `.group` unless core).
fn kind_prefix(resource: &str) -> String {
    let Some(r) = servicecidr_core::model::Resource::lookup(resource) else {
        return String::new();
    };
    let i = r.info();
    let kind = i.kind.to_ascii_lowercase();
    if i.group.is_empty() {
        kind
    } else {
        format!("{kind}.{}", i.group)
    }
}

/// Truncates a cell at its first newline, marking the cut with `...`.
fn cell_text(s: &str) -> String {
    match s.find('\n') {
        Some(i) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

/// The table `kubectl get <resource>` prints for `items` (already in the
/// order to print them). `resource` is the plural: `services`,
/// `servicecidrs` or `ipaddresses`. Empty when there are no items (kubectl
/// then prints [`no_resources_found`] on stderr instead).
pub fn table(resource: &str, items: &[Value], opts: &TableOptions, now_ms: i64) -> String {
    let columns: &[Column] = match resource {
        "services" => SERVICE_COLUMNS,
        "servicecidrs" => SERVICECIDR_COLUMNS,
        "ipaddresses" => IPADDRESS_COLUMNS,
        _ => return String::new(),
    };
    if items.is_empty() {
        return String::new();
    }
    let with_namespace = opts.with_namespace;

    // Decorated column list, as kubectl's decorateTable builds it.
    let mut headers: Vec<(String, bool)> = Vec::new();
    if with_namespace {
        headers.push(("NAMESPACE".into(), false));
    }
    for c in columns {
        headers.push((c.name.to_uppercase(), c.wide_only));
    }
    if opts.show_labels {
        headers.push(("LABELS".into(), false));
    }

    let mut rows: Vec<Vec<String>> = Vec::new();
    if !opts.no_headers {
        rows.push(
            headers
                .iter()
                .filter(|(_, wide_only)| opts.wide || !wide_only)
                .map(|(h, _)| h.clone())
                .collect(),
        );
    }
    for obj in items {
        let mut cells = match resource {
            "services" => service_cells(obj, now_ms),
            "servicecidrs" => servicecidr_cells(obj, now_ms),
            _ => ipaddress_cells(obj, now_ms),
        };
        if opts.with_kind {
            if let Some(name) = cells.first_mut() {
                *name = format!("{}/{}", kind_prefix(resource), name);
            }
        }
        if with_namespace {
            cells.insert(0, str_at(obj, "/metadata/namespace").to_string());
        }
        if opts.show_labels {
            cells.push(labels_of(obj));
        }
        // Cells beyond the declared columns are dropped, by position.
        let row: Vec<String> = cells
            .iter()
            .zip(headers.iter())
            .filter(|(_, (_, wide_only))| opts.wide || !wide_only)
            .map(|(c, _)| cell_text(c))
            .collect();
        rows.push(row);
    }
    format_table(&rows)
}

/// Whether a resource (plural) lives in namespaces, per model::RESOURCES.
pub fn is_namespaced(resource: &str) -> bool {
    servicecidr_core::model::Resource::lookup(resource).is_some_and(|r| r.info().namespaced)
}

/// Several tables from one `kubectl get a,b`: each table is aligned on its
/// own, and with headers on a blank line separates consecutive tables.
pub fn join_tables(tables: &[String], no_headers: bool) -> String {
    let mut out = String::new();
    for t in tables.iter().filter(|t| !t.is_empty()) {
        if !out.is_empty() && !no_headers {
            out.push('\n');
        }
        out.push_str(t);
    }
    out
}

/// One `-o name` line (without the newline): `servicecidr.networking.k8s.io/newcidr1`,
/// `service/test-1`. The first argument is kubectl's lower-cased `Kind.group`,
/// which for these resources equals the singular resource name.
pub fn name_output(resource_singular_qualified: &str, name: &str) -> String {
    format!("{resource_singular_qualified}/{name}")
}

/// `-o name` for an object in JSON shape: lower-cased `Kind.group/name`
/// from its apiVersion and kind.
pub fn name_output_for(obj: &Value) -> String {
    let kind = str_at(obj, "/kind").to_lowercase();
    let api_version = str_at(obj, "/apiVersion");
    let qualified = match api_version.split_once('/') {
        Some((group, _)) => format!("{kind}.{group}"),
        None => kind,
    };
    name_output(&qualified, str_at(obj, "/metadata/name"))
}

/// The stderr line `kubectl get` prints when a table would be empty:
/// with a namespace for namespaced resources (unless `-A`), bare otherwise.
pub fn no_resources_found(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace.\n"),
        None => "No resources found\n".into(),
    }
}

/// How kubectl's error handler prints a message on stderr: `error: ` in
/// front, and a newline unless the message already ends with one.
pub fn error_output(msg: &str) -> String {
    if msg.ends_with('\n') {
        format!("error: {msg}")
    } else {
        format!("error: {msg}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// 2023-10-29T16:11:07Z: 17 days and an hour after the objects below.
    const NOW: i64 = 1_698_595_867_000;

    fn servicecidrs() -> Vec<Value> {
        vec![
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                "metadata": {"name": "kubernetes", "creationTimestamp": "2023-10-12T15:11:07Z", "labels": {"b": "2", "a": "1"}},
                "spec": {"cidrs": ["10.96.0.0/28"]}}),
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                "metadata": {"name": "newcidr1", "creationTimestamp": "2023-10-29T16:06:05Z"},
                "spec": {"cidrs": ["10.96.0.0/24", "fd00::/112"]}}),
        ]
    }

    fn ipaddresses() -> Vec<Value> {
        vec![
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
            "metadata": {"name": "10.96.0.1", "creationTimestamp": "2023-10-12T15:11:07Z",
                "labels": {"ipaddress.kubernetes.io/ip-family": "IPv4", "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"}},
            "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "kubernetes"}}}),
        ]
    }

    fn services() -> Vec<Value> {
        vec![
            json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "kubernetes", "namespace": "default", "creationTimestamp": "2023-10-12T15:11:07Z"},
                "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                    "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}}),
            json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "a-very-long-service-name", "namespace": "kube-system", "creationTimestamp": "2023-10-29T13:10:37Z"},
                "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"], "selector": {"k8s-app": "kube-dns"},
                    "ports": [{"port": 53, "nodePort": 30053, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}}),
        ]
    }

    fn opts() -> TableOptions {
        TableOptions::default()
    }

    // Goldens: kubectl 1.33 `get` against a stub apiserver serving these rows.
    #[test]
    fn golden_get_servicecidr() {
        assert_eq!(
            table("servicecidrs", &servicecidrs(), &opts(), NOW),
            "NAME         CIDRS                     AGE\n\
             kubernetes   10.96.0.0/28              17d\n\
             newcidr1     10.96.0.0/24,fd00::/112   5m2s\n"
        );
        let one = &servicecidrs()[..1];
        assert_eq!(
            table("servicecidrs", one, &opts(), NOW),
            "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n"
        );
    }

    #[test]
    fn golden_get_servicecidr_show_labels_and_kind() {
        let o = TableOptions {
            show_labels: true,
            ..opts()
        };
        assert_eq!(
            table("servicecidrs", &servicecidrs(), &o, NOW),
            "NAME         CIDRS                     AGE    LABELS\n\
             kubernetes   10.96.0.0/28              17d    a=1,b=2\n\
             newcidr1     10.96.0.0/24,fd00::/112   5m2s   <none>\n"
        );
        let o = TableOptions {
            with_kind: true,
            ..opts()
        };
        assert_eq!(
            table("servicecidrs", &servicecidrs(), &o, NOW),
            "NAME                                       CIDRS                     AGE\n\
             servicecidr.networking.k8s.io/kubernetes   10.96.0.0/28              17d\n\
             servicecidr.networking.k8s.io/newcidr1     10.96.0.0/24,fd00::/112   5m2s\n"
        );
    }

    #[test]
    fn golden_get_ipaddress_has_no_age_column() {
        assert_eq!(
            table("ipaddresses", &ipaddresses(), &opts(), NOW),
            "NAME        PARENTREF\n10.96.0.1   services/default/kubernetes\n"
        );
    }

    /// Upstream quirk: the undeclared AGE cell lands under LABELS.
    #[test]
    fn golden_get_ipaddress_show_labels_shows_the_age() {
        let o = TableOptions {
            show_labels: true,
            ..opts()
        };
        assert_eq!(
            table("ipaddresses", &ipaddresses(), &o, NOW),
            "NAME        PARENTREF                     LABELS\n10.96.0.1   services/default/kubernetes   17d\n"
        );
        let o = TableOptions {
            show_labels: true,
            wide: true,
            with_kind: true,
            ..opts()
        };
        assert_eq!(
            table("ipaddresses", &ipaddresses(), &o, NOW),
            "NAME                                    PARENTREF                     LABELS\n\
             ipaddress.networking.k8s.io/10.96.0.1   services/default/kubernetes   17d\n"
        );
    }

    #[test]
    fn golden_get_service() {
        assert_eq!(
            table("services", &services()[..1], &opts(), NOW),
            "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n\
             kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   17d\n"
        );
        let o = TableOptions {
            no_headers: true,
            ..opts()
        };
        assert_eq!(
            table("services", &services()[..1], &o, NOW),
            "kubernetes   ClusterIP   10.96.0.1   <none>   443/TCP   17d\n"
        );
    }

    #[test]
    fn golden_get_service_all_namespaces() {
        let o = TableOptions {
            with_namespace: true,
            ..opts()
        };
        assert_eq!(
            table("services", &services(), &o, NOW),
            "NAMESPACE     NAME                       TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)               AGE\n\
             default       kubernetes                 ClusterIP      10.96.0.1    <none>        443/TCP               17d\n\
             kube-system   a-very-long-service-name   LoadBalancer   10.96.0.10   <pending>     53:30053/UDP,53/TCP   3h\n"
        );
        let o = TableOptions {
            with_namespace: true,
            wide: true,
            show_labels: true,
            ..opts()
        };
        assert_eq!(
            table("services", &services(), &o, NOW),
            "NAMESPACE     NAME                       TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)               AGE   SELECTOR           LABELS\n\
             default       kubernetes                 ClusterIP      10.96.0.1    <none>        443/TCP               17d   <none>             <none>\n\
             kube-system   a-very-long-service-name   LoadBalancer   10.96.0.10   <pending>     53:30053/UDP,53/TCP   3h    k8s-app=kube-dns   <none>\n"
        );
    }

    #[test]
    fn kind_prefixes_come_from_the_resource_table() {
        assert_eq!(kind_prefix("services"), "service");
        assert_eq!(kind_prefix("servicecidrs"), "servicecidr.networking.k8s.io");
        assert_eq!(kind_prefix("ipaddresses"), "ipaddress.networking.k8s.io");
        assert_eq!(kind_prefix("pods"), "");
    }

    #[test]
    fn golden_multi_type_get_all_namespaces() {
        // kubectl get svc,servicecidr -A
        let svc = table(
            "services",
            &services(),
            &TableOptions {
                with_namespace: true,
                with_kind: true,
                ..opts()
            },
            NOW,
        );
        let sc = table(
            "servicecidrs",
            &servicecidrs(),
            &TableOptions {
                with_namespace: true,
                with_kind: true,
                ..opts()
            },
            NOW,
        );
        assert_eq!(
            join_tables(&[svc, sc], false),
            "NAMESPACE     NAME                               TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)               AGE\n\
             default       service/kubernetes                 ClusterIP      10.96.0.1    <none>        443/TCP               17d\n\
             kube-system   service/a-very-long-service-name   LoadBalancer   10.96.0.10   <pending>     53:30053/UDP,53/TCP   3h\n\
             \n\
             NAMESPACE   NAME                                       CIDRS                     AGE\n            servicecidr.networking.k8s.io/kubernetes   10.96.0.0/28              17d\n            servicecidr.networking.k8s.io/newcidr1     10.96.0.0/24,fd00::/112   5m2s\n"
        );
        assert!(
            is_namespaced("services")
                && !is_namespaced("servicecidrs")
                && !is_namespaced("ipaddresses")
        );
    }

    #[test]
    fn service_column_rules() {
        let svc = |spec: Value, status: Value| json!({"metadata": {"name": "s"}, "spec": spec, "status": status});
        let cells = |v: &Value| service_cells(v, NOW);
        // Headless and ExternalName.
        let v = svc(
            json!({"type": "ClusterIP", "clusterIPs": ["None"]}),
            json!({}),
        );
        assert_eq!(cells(&v)[2..5], ["None", "<none>", "<none>"]);
        let v = svc(
            json!({"type": "ExternalName", "externalName": "db.example.com"}),
            json!({}),
        );
        assert_eq!(cells(&v)[2..4], ["<none>", "db.example.com"]);
        // Dual-stack shows only the primary IP; external IPs; NodePort.
        let v = svc(
            json!({"type": "NodePort", "clusterIPs": ["10.96.0.5", "fd00::5"], "externalIPs": ["1.2.3.4", "5.6.7.8"],
                "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}]}),
            json!({}),
        );
        assert_eq!(
            cells(&v)[2..5],
            ["10.96.0.5", "1.2.3.4,5.6.7.8", "80:30080/TCP,443/TCP"]
        );
        // LoadBalancer: ingress IPs/hostnames sorted and de-duplicated, never
        // shortened (the apiserver prints wide), then external IPs.
        let lb = json!({"loadBalancer": {"ingress": [{"hostname": "lb.example.com"}, {"ip": "203.0.113.10"}, {"ip": "203.0.113.10"}, {"ip": "198.51.100.7", "hostname": "x"}]}});
        let v = svc(json!({"type": "LoadBalancer"}), lb.clone());
        assert_eq!(cells(&v)[3], "198.51.100.7,203.0.113.10,lb.example.com");
        let v = svc(
            json!({"type": "LoadBalancer", "externalIPs": ["1.1.1.1"]}),
            lb,
        );
        assert_eq!(
            cells(&v)[3],
            "198.51.100.7,203.0.113.10,lb.example.com,1.1.1.1"
        );
        let v = svc(
            json!({"type": "LoadBalancer", "externalIPs": ["1.1.1.1"]}),
            json!({}),
        );
        assert_eq!(cells(&v)[3], "1.1.1.1");
        // Unknown type, no ports, selector formatting, no creation time.
        let v = svc(
            json!({"type": "Weird", "selector": {"b": "2", "a": "1"}}),
            json!({}),
        );
        assert_eq!(
            cells(&v)[3..7],
            ["<unknown>", "<none>", "<unknown>", "a=1,b=2"]
        );
    }

    #[test]
    fn parent_ref_rules() {
        let ip = |p: Value| json!({"spec": {"parentRef": p}});
        assert_eq!(
            parent_ref_text(&ip(
                json!({"resource": "services", "namespace": "default", "name": "kubernetes"})
            )),
            "services/default/kubernetes"
        );
        assert_eq!(
            parent_ref_text(&ip(
                json!({"group": "Gateway.Networking.k8s.io", "resource": "Gateways", "namespace": "ns", "name": "Gw"})
            )),
            "gateways.gateway.networking.k8s.io/ns/Gw"
        );
        assert_eq!(
            parent_ref_text(&ip(json!({"resource": "nodes", "name": "n1"}))),
            "nodes/n1"
        );
        assert_eq!(parent_ref_text(&json!({"spec": {}})), "<none>");
    }

    #[test]
    fn cells_are_cut_at_the_first_newline() {
        assert_eq!(cell_text("a\nb"), "a...");
        assert_eq!(cell_text("ab"), "ab");
    }

    #[test]
    fn empty_tables_print_nothing() {
        assert_eq!(table("services", &[], &opts(), NOW), "");
        assert_eq!(table("widgets", &services(), &opts(), NOW), "");
        assert_eq!(
            no_resources_found(Some("default")),
            "No resources found in default namespace.\n"
        );
        assert_eq!(no_resources_found(None), "No resources found\n");
    }

    #[test]
    fn names_and_errors() {
        assert_eq!(
            name_output("servicecidr.networking.k8s.io", "newcidr1"),
            "servicecidr.networking.k8s.io/newcidr1"
        );
        assert_eq!(name_output_for(&services()[0]), "service/kubernetes");
        assert_eq!(
            name_output_for(&servicecidrs()[1]),
            "servicecidr.networking.k8s.io/newcidr1"
        );
        assert_eq!(
            name_output_for(&ipaddresses()[0]),
            "ipaddress.networking.k8s.io/10.96.0.1"
        );
        assert_eq!(error_output("boom"), "error: boom\n");
        assert_eq!(error_output("boom\n\n"), "error: boom\n\n");
    }
}
