//! Server-side Tables (meta.k8s.io Table): the upstream printers
//! (pkg/printers/internalversion/printers.go) for the served kinds — column
//! definitions with upstream's names, types, formats, descriptions and
//! priorities, and the cells, AGE computed when the request is served.
//!
//! The apiserver always prints with `Wide: true` (kubectl hides priority > 0
//! columns itself), so e.g. a LoadBalancer's EXTERNAL-IP is never shortened.
//! Kept on purpose, an upstream quirk: the IPAddress printer emits an AGE cell
//! for which no column is declared (3 cells, 2 columns).

use crate::duration::{age, age_of, since_rfc3339};
use crate::served::Storage;
use serde_json::{json, Map, Value};
use servicecidr_core::cluster::ListedObject;
use servicecidr_core::model::Resource;
use std::collections::BTreeMap;

/// Which printer a resource has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printer {
    Service,
    ServiceCIDR,
    IPAddress,
    Event,
    Namespace,
    ConfigMap,
    ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding,
}

impl Printer {
    pub fn of(storage: Storage) -> Printer {
        match storage {
            Storage::Core(Resource::Services) => Printer::Service,
            Storage::Core(Resource::ServiceCIDRs) => Printer::ServiceCIDR,
            Storage::Core(Resource::IPAddresses) => Printer::IPAddress,
            Storage::Core(Resource::Events) | Storage::CoreEvents => Printer::Event,
            Storage::Namespaces => Printer::Namespace,
            Storage::Core(Resource::ConfigMaps) => Printer::ConfigMap,
            Storage::Core(Resource::ValidatingAdmissionPolicies) => {
                Printer::ValidatingAdmissionPolicy
            }
            Storage::Core(Resource::ValidatingAdmissionPolicyBindings) => {
                Printer::ValidatingAdmissionPolicyBinding
            }
        }
    }
}

// Field descriptions are the API types' SwaggerDoc() texts, as upstream's
// column definitions reference them.
const DOC_NAME: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const DOC_CREATION_TIMESTAMP: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const DOC_SERVICE_TYPE: &str = "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types";
const DOC_CLUSTER_IP: &str = "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";
const DOC_EXTERNAL_IPS: &str = "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.";
const DOC_PORTS: &str = "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";
const DOC_SELECTOR: &str = "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/";
const DOC_CIDRS: &str = "cidrs defines the IP blocks in CIDR notation (e.g. \"192.168.0.0/24\" or \"2001:db8::/64\") from which to assign service cluster IPs. Max of two CIDRs is allowed, one of each IP family. This field is immutable.";
const DOC_PARENT_REF: &str = "parentRef references the resource that an IPAddress is attached to. An IPAddress must reference a parent object.";
const DOC_EVENT_LAST: &str =
    "The time at which the most recent occurrence of this event was recorded.";
const DOC_EVENT_TYPE: &str =
    "Type of this event (Normal, Warning), new types could be added in the future";
const DOC_EVENT_REASON: &str = "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.";
const DOC_EVENT_OBJECT: &str = "The object that this event is about.";
const DOC_FIELD_PATH: &str = "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.";
const DOC_EVENT_SOURCE: &str =
    "The component reporting this event. Should be a short machine understandable string.";
const DOC_EVENT_MESSAGE: &str = "A human-readable description of the status of this operation.";
const DOC_EVENT_FIRST: &str =
    "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)";
const DOC_EVENT_COUNT: &str = "The number of times this event has occurred.";

const DOC_CONFIGMAP_DATA: &str = "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.";

/// (name, type, format, description, priority).
type Column = (&'static str, &'static str, &'static str, &'static str, u8);

const SERVICE_COLUMNS: &[Column] = &[
    ("Name", "string", "name", DOC_NAME, 0),
    ("Type", "string", "", DOC_SERVICE_TYPE, 0),
    ("Cluster-IP", "string", "", DOC_CLUSTER_IP, 0),
    ("External-IP", "string", "", DOC_EXTERNAL_IPS, 0),
    ("Port(s)", "string", "", DOC_PORTS, 0),
    ("Age", "string", "", DOC_CREATION_TIMESTAMP, 0),
    ("Selector", "string", "", DOC_SELECTOR, 1),
];

const SERVICECIDR_COLUMNS: &[Column] = &[
    ("Name", "string", "name", DOC_NAME, 0),
    ("CIDRs", "string", "", DOC_CIDRS, 0),
    ("Age", "string", "", DOC_CREATION_TIMESTAMP, 0),
];

const IPADDRESS_COLUMNS: &[Column] = &[
    ("Name", "string", "name", DOC_NAME, 0),
    ("ParentRef", "string", "", DOC_PARENT_REF, 0),
];

const EVENT_COLUMNS: &[Column] = &[
    ("Last Seen", "string", "", DOC_EVENT_LAST, 0),
    ("Type", "string", "", DOC_EVENT_TYPE, 0),
    ("Reason", "string", "", DOC_EVENT_REASON, 0),
    ("Object", "string", "", DOC_EVENT_OBJECT, 0),
    ("Subobject", "string", "", DOC_FIELD_PATH, 1),
    ("Source", "string", "", DOC_EVENT_SOURCE, 1),
    ("Message", "string", "", DOC_EVENT_MESSAGE, 0),
    ("First Seen", "string", "", DOC_EVENT_FIRST, 1),
    ("Count", "string", "", DOC_EVENT_COUNT, 1),
    ("Name", "string", "name", DOC_NAME, 1),
];

const NAMESPACE_COLUMNS: &[Column] = &[
    ("Name", "string", "name", DOC_NAME, 0),
    ("Status", "string", "", "The status of the namespace", 0),
    ("Age", "string", "", DOC_CREATION_TIMESTAMP, 0),
];

const CONFIGMAP_COLUMNS: &[Column] = &[
    ("Name", "string", "name", DOC_NAME, 0),
    ("Data", "string", "", DOC_CONFIGMAP_DATA, 0),
    ("Age", "string", "", DOC_CREATION_TIMESTAMP, 0),
];

const VAP_COLUMNS: &[Column] = &[
    ("Name", "string", "name", DOC_NAME, 0),
    (
        "Validations",
        "integer",
        "",
        "Validations indicates the number of validation rules defined in this configuration",
        0,
    ),
    (
        "ParamKind",
        "string",
        "",
        "ParamKind specifies the kind of resources used to parameterize this policy",
        0,
    ),
    ("Age", "string", "", DOC_CREATION_TIMESTAMP, 0),
];

const VAPB_COLUMNS: &[Column] = &[
    ("Name", "string", "name", DOC_NAME, 0),
    (
        "PolicyName",
        "string",
        "",
        "PolicyName indicates the policy definition which the policy binding binded to",
        0,
    ),
    (
        "ParamRef",
        "string",
        "",
        "ParamRef indicates the param resource which sets the configration param",
        0,
    ),
    ("Age", "string", "", DOC_CREATION_TIMESTAMP, 0),
];

fn columns(p: Printer) -> &'static [Column] {
    match p {
        Printer::Service => SERVICE_COLUMNS,
        Printer::ServiceCIDR => SERVICECIDR_COLUMNS,
        Printer::IPAddress => IPADDRESS_COLUMNS,
        Printer::Event => EVENT_COLUMNS,
        Printer::Namespace => NAMESPACE_COLUMNS,
        Printer::ConfigMap => CONFIGMAP_COLUMNS,
        Printer::ValidatingAdmissionPolicy => VAP_COLUMNS,
        Printer::ValidatingAdmissionPolicyBinding => VAPB_COLUMNS,
    }
}

/// The Table's columnDefinitions.
pub fn column_definitions(p: Printer) -> Value {
    Value::Array(
        columns(p)
            .iter()
            .map(|(name, type_, format, description, priority)| {
                json!({"name": name, "type": type_, "format": format,
                       "description": description, "priority": priority})
            })
            .collect(),
    )
}

/// The string at a JSON pointer, or "" (absent fields print empty).
fn str_at<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

fn strings_at(v: &Value, ptr: &str) -> Vec<String> {
    v.pointer(ptr)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn int_at(v: &Value, ptr: &str) -> i64 {
    v.pointer(ptr).and_then(Value::as_i64).unwrap_or(0)
}

/// apimachinery `labels.FormatLabels`: `k=v` sorted by key, `,`-joined,
/// `<none>` when empty.
pub fn format_labels(m: Option<&Map<String, Value>>) -> String {
    let Some(m) = m.filter(|m| !m.is_empty()) else {
        return "<none>".into();
    };
    let mut keys: Vec<&String> = m.keys().collect();
    servicecidr_core::sort::sort(&mut keys);
    join_labels(
        keys.into_iter()
            .map(|k| (k.as_str(), m.get(k).and_then(Value::as_str).unwrap_or(""))),
    )
}

/// [`format_labels`] of a typed label map (already sorted by key).
pub fn format_label_map(m: &BTreeMap<String, String>) -> String {
    join_labels(m.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// `k=v,k=v` of pairs in key order; `<none>` when there are none.
fn join_labels<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut s = String::new();
    for (k, v) in pairs {
        if !s.is_empty() {
            s.push(',');
        }
        s.push_str(k);
        s.push('=');
        s.push_str(v);
    }
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

/// LoadBalancer ingress points of a Service's `status.loadBalancer`: IP, else
/// hostname, de-duplicated and sorted.
fn load_balancer_ips(lb: Option<&Value>) -> String {
    let mut set: Vec<String> = Vec::new();
    if let Some(ing) = lb
        .and_then(|lb| lb.get("ingress"))
        .and_then(Value::as_array)
    {
        for i in ing {
            let ip = str_at(i, "/ip");
            let v = if ip.is_empty() {
                str_at(i, "/hostname")
            } else {
                ip
            };
            if !v.is_empty() {
                set.push(v.to_string());
            }
        }
    }
    servicecidr_core::sort::sort(&mut set);
    set.dedup();
    set.join(",")
}

/// The EXTERNAL-IP cell from the fields it reads (`type_` as stored, "" when unset).
fn service_external_ip(
    type_: &str,
    external: &[&str],
    lb: Option<&Value>,
    external_name: &str,
) -> String {
    match type_ {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".into()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_ips(lb);
            if !external.is_empty() {
                let mut all: Vec<&str> = Vec::new();
                if !lb.is_empty() {
                    all.extend(lb.split(','));
                }
                all.extend(external);
                all.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".into()
            }
        }
        "ExternalName" => external_name.to_string(),
        _ => "<unknown>".into(),
    }
}

/// One port of the PORT(S) cell: `80/TCP`, `80:30080/TCP`.
fn push_port(s: &mut String, port: i64, node_port: i64, proto: &str) {
    use std::fmt::Write;
    if !s.is_empty() {
        s.push(',');
    }
    // Writing to a String cannot fail.
    let _ = if node_port > 0 {
        write!(s, "{port}:{node_port}/{proto}")
    } else {
        write!(s, "{port}/{proto}")
    };
}

fn none_if_empty(s: String) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

/// `80/TCP`, `80:30080/TCP`, `,`-joined; `<none>` without ports.
fn service_ports(svc: &Value) -> String {
    let Some(ports) = svc.pointer("/spec/ports").and_then(Value::as_array) else {
        return "<none>".into();
    };
    let mut s = String::new();
    for p in ports {
        push_port(
            &mut s,
            int_at(p, "/port"),
            int_at(p, "/nodePort"),
            str_at(p, "/protocol"),
        );
    }
    none_if_empty(s)
}

/// `resource[.group]` lower-cased, `/namespace` when set, `/name`.
pub fn parent_ref_text(ip: &Value) -> String {
    let Some(p) = ip.pointer("/spec/parentRef").filter(|p| p.is_object()) else {
        return "<none>".into();
    };
    parent_ref_parts(
        str_at(p, "/group"),
        str_at(p, "/resource"),
        str_at(p, "/namespace"),
        str_at(p, "/name"),
    )
}

fn parent_ref_parts(group: &str, resource: &str, ns: &str, name: &str) -> String {
    let mut s = if group.is_empty() {
        resource.to_lowercase()
    } else {
        format!("{resource}.{group}").to_lowercase()
    };
    if !ns.is_empty() {
        s.push('/');
        s.push_str(ns);
    }
    s.push('/');
    s.push_str(name);
    s
}

/// The binding's ParamRef cell: `ns/name`, `*/name` without a namespace, the
/// selector in Go's LabelSelector.String() form, or `<unset>`.
fn param_ref_text(obj: &Value) -> String {
    let Some(pr) = obj.pointer("/spec/paramRef").filter(|p| p.is_object()) else {
        return "<unset>".into();
    };
    let name = str_at(pr, "/name");
    if !name.is_empty() {
        let ns = str_at(pr, "/namespace");
        return if ns.is_empty() {
            format!("*/{name}")
        } else {
            format!("{ns}/{name}")
        };
    }
    let Some(sel) = pr.get("selector").filter(|s| s.is_object()) else {
        return "<unset>".into();
    };
    let mut labels: Vec<(String, String)> = sel
        .get("matchLabels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    servicecidr_core::sort::sort(&mut labels);
    let labels: String = labels.iter().map(|(k, v)| format!("{k}: {v},")).collect();
    let exprs: String = sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|e| {
                    let values: Vec<&str> = e
                        .get("values")
                        .and_then(Value::as_array)
                        .map(|v| v.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    format!(
                        "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},",
                        str_at(e, "/key"),
                        str_at(e, "/operator"),
                        values.join(" ")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}"
    )
}

fn first_non_empty(a: &str, b: &str) -> String {
    if a.is_empty() { b } else { a }.to_string()
}

/// printEvent over the core v1 view of an Event.
fn event_cells(e: &Value, now_ms: i64) -> Vec<Value> {
    let first = {
        let f = str_at(e, "/firstTimestamp");
        if f.is_empty() {
            since_rfc3339(str_at(e, "/eventTime"), now_ms)
        } else {
            since_rfc3339(f, now_ms)
        }
    };
    let mut last = {
        let l = str_at(e, "/lastTimestamp");
        if l.is_empty() {
            first.clone()
        } else {
            since_rfc3339(l, now_ms)
        }
    };
    let mut count = e.get("count").and_then(Value::as_i64).unwrap_or(0);
    if let Some(series) = e.get("series").filter(|s| s.is_object()) {
        last = since_rfc3339(str_at(series, "/lastObservedTime"), now_ms);
        count = series.get("count").and_then(Value::as_i64).unwrap_or(0);
    } else if count == 0 {
        // Singleton events do not set a count in the events.k8s.io API.
        count = 1;
    }
    let kind = str_at(e, "/involvedObject/kind").to_ascii_lowercase();
    let name = str_at(e, "/involvedObject/name");
    let object = if name.is_empty() {
        kind
    } else {
        format!("{kind}/{name}")
    };
    let component = first_non_empty(
        str_at(e, "/source/component"),
        str_at(e, "/reportingComponent"),
    );
    let instance = first_non_empty(str_at(e, "/source/host"), str_at(e, "/reportingInstance"));
    let source = match (component.is_empty(), instance.is_empty()) {
        (true, _) => String::new(),
        (false, true) => component,
        (false, false) => format!("{component}, {instance}"),
    };
    vec![
        json!(last),
        json!(str_at(e, "/type")),
        json!(str_at(e, "/reason")),
        json!(object),
        json!(str_at(e, "/involvedObject/fieldPath")),
        json!(source),
        json!(str_at(e, "/message").trim()),
        json!(first),
        json!(count),
        json!(str_at(e, "/metadata/name")),
    ]
}

/// One row's cells for an object (Events in their core v1 view).
pub fn cells(p: Printer, obj: &Value, now_ms: i64) -> Vec<Value> {
    let name = || json!(str_at(obj, "/metadata/name"));
    let age = || json!(age_of(obj, now_ms));
    match p {
        Printer::Service => {
            let cluster_ip = strings_at(obj, "/spec/clusterIPs")
                .into_iter()
                .next()
                .unwrap_or_else(|| "<none>".into());
            let external = strings_at(obj, "/spec/externalIPs");
            let external: Vec<&str> = external.iter().map(String::as_str).collect();
            vec![
                name(),
                json!(str_at(obj, "/spec/type")),
                json!(cluster_ip),
                json!(service_external_ip(
                    str_at(obj, "/spec/type"),
                    &external,
                    obj.pointer("/status/loadBalancer"),
                    str_at(obj, "/spec/externalName"),
                )),
                json!(service_ports(obj)),
                age(),
                json!(format_labels(
                    obj.pointer("/spec/selector").and_then(Value::as_object)
                )),
            ]
        }
        Printer::ServiceCIDR => vec![
            name(),
            json!(strings_at(obj, "/spec/cidrs").join(",")),
            age(),
        ],
        Printer::IPAddress => vec![name(), json!(parent_ref_text(obj)), age()],
        Printer::Event => event_cells(obj, now_ms),
        Printer::Namespace => vec![name(), json!(str_at(obj, "/status/phase")), age()],
        Printer::ConfigMap => {
            let count = |k: &str| obj.get(k).and_then(Value::as_object).map_or(0, |m| m.len());
            vec![name(), json!(count("data") + count("binaryData")), age()]
        }
        Printer::ValidatingAdmissionPolicy => {
            let validations = obj
                .pointer("/spec/validations")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let param_kind = match obj.pointer("/spec/paramKind").filter(|p| p.is_object()) {
                Some(p) => format!("{}/{}", str_at(p, "/apiVersion"), str_at(p, "/kind")),
                None => "<unset>".into(),
            };
            vec![name(), json!(validations), json!(param_kind), age()]
        }
        Printer::ValidatingAdmissionPolicyBinding => vec![
            name(),
            json!(str_at(obj, "/spec/policyName")),
            json!(param_ref_text(obj)),
            age(),
        ],
    }
}

/// [`cells`] read from a stored object's typed fields (the same rules, no JSON tree), for
/// the kinds the core keeps typed; None for the others and for a printer of another kind.
pub fn typed_cells(p: Printer, obj: ListedObject, now_ms: i64) -> Option<Vec<String>> {
    Some(match (p, obj) {
        (Printer::Service, ListedObject::Service(s)) => {
            let spec = &s.spec;
            let external: Vec<&str> = spec.external_ips.iter().map(String::as_str).collect();
            let mut ports = String::new();
            for p in &spec.ports {
                push_port(
                    &mut ports,
                    p.port.into(),
                    p.node_port.unwrap_or(0).into(),
                    &p.protocol,
                );
            }
            vec![
                s.metadata.name.clone(),
                spec.type_.clone(),
                spec.cluster_ips
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "<none>".into()),
                service_external_ip(
                    &spec.type_,
                    &external,
                    Some(&s.status.load_balancer),
                    &spec.external_name,
                ),
                none_if_empty(ports),
                age(s.metadata.creation_timestamp, now_ms),
                format_label_map(&spec.selector),
            ]
        }
        (Printer::ServiceCIDR, ListedObject::ServiceCIDR(c)) => vec![
            c.metadata.name.clone(),
            c.spec.cidrs.join(","),
            age(c.metadata.creation_timestamp, now_ms),
        ],
        (Printer::IPAddress, ListedObject::IPAddress(ip)) => vec![
            ip.metadata.name.clone(),
            ip.spec.parent_ref.as_ref().map_or_else(
                || "<none>".into(),
                |r| parent_ref_parts(&r.group, &r.resource, &r.namespace, &r.name),
            ),
            age(ip.metadata.creation_timestamp, now_ms),
        ],
        _ => return None,
    })
}

/// meta.AsPartialObjectMetadata: the row's object under the default
/// includeObject=Metadata.
pub fn partial_object_metadata(obj: &Value, table_version: &str) -> Value {
    json!({
        "kind": "PartialObjectMetadata",
        "apiVersion": format!("meta.k8s.io/{table_version}"),
        "metadata": obj.get("metadata").cloned().unwrap_or_else(|| json!({})),
    })
}

/// A Table of `objs`. `list_rv` is the list's resourceVersion (None for a
/// single object, whose Table carries empty list metadata); without headers
/// (later events of a watch) columnDefinitions is null, as with NoHeaders.
pub fn table(
    p: Printer,
    table_version: &str,
    objs: &[Value],
    now_ms: i64,
    list_rv: Option<&str>,
    headers: bool,
) -> Value {
    table_with(
        p,
        table_version,
        objs,
        now_ms,
        list_rv,
        headers,
        IncludeObject::Metadata,
    )
}

/// What each row's `object` holds (the `includeObject` query parameter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeObject {
    None,
    /// PartialObjectMetadata (the default).
    Metadata,
    /// The whole object (kubectl asks for it with `--sort-by`).
    Object,
}

impl IncludeObject {
    /// metav1.TableOptions' includeObject; unknown values fail its validation.
    pub fn from_query(v: Option<&str>) -> Result<IncludeObject, String> {
        match v.unwrap_or("") {
            "" | "Metadata" => Ok(IncludeObject::Metadata),
            "None" => Ok(IncludeObject::None),
            "Object" => Ok(IncludeObject::Object),
            other => Err(format!(
                "includeObject: Unsupported value: \"{other}\": supported values: \"Metadata\", \"None\", \"Object\""
            )),
        }
    }
}

/// [`table`] with the rows' objects as `include` says.
pub fn table_with(
    p: Printer,
    table_version: &str,
    objs: &[Value],
    now_ms: i64,
    list_rv: Option<&str>,
    headers: bool,
    include: IncludeObject,
) -> Value {
    let rows: Vec<Value> = objs
        .iter()
        .map(|o| {
            // events.k8s.io Events print through the core Event printer, as
            // upstream converts them to the internal type first.
            let cells = if p == Printer::Event && o.get("regarding").is_some() {
                cells(p, &crate::objects::to_core_event(o), now_ms)
            } else {
                cells(p, o, now_ms)
            };
            let object = match include {
                IncludeObject::None => Value::Null,
                IncludeObject::Metadata => partial_object_metadata(o, table_version),
                IncludeObject::Object => o.clone(),
            };
            json!({"cells": cells, "object": object})
        })
        .collect();
    let metadata = match list_rv {
        Some(rv) => json!({"resourceVersion": rv}),
        None => json!({}),
    };
    json!({
        "kind": "Table",
        "apiVersion": format!("meta.k8s.io/{table_version}"),
        "metadata": metadata,
        "columnDefinitions": if headers { column_definitions(p) } else { Value::Null },
        "rows": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_698_595_867_000; // 2023-10-29T16:11:07Z

    #[test]
    fn service_column_rules() {
        let svc = |spec: Value, status: Value| json!({"metadata": {"name": "s"}, "spec": spec, "status": status});
        let cells = |v: &Value| -> Vec<String> {
            cells(Printer::Service, v, NOW)
                .into_iter()
                .map(|c| c.as_str().unwrap_or("").to_string())
                .collect()
        };
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
        let v = svc(
            json!({"type": "NodePort", "clusterIPs": ["10.96.0.5", "fd00::5"], "externalIPs": ["1.2.3.4", "5.6.7.8"],
                "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}]}),
            json!({}),
        );
        assert_eq!(
            cells(&v)[2..5],
            ["10.96.0.5", "1.2.3.4,5.6.7.8", "80:30080/TCP,443/TCP"]
        );
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
        let v = svc(
            json!({"type": "Weird", "selector": {"b": "2", "a": "1"}}),
            json!({}),
        );
        assert_eq!(
            cells(&v)[3..7],
            ["<unknown>", "<none>", "<unknown>", "a=1,b=2"]
        );
    }

    /// The typed cells equal the JSON ones for every shape the column rules cover.
    #[test]
    fn typed_cells_equal_value_cells() {
        use servicecidr_core::model::{IPAddress, Service, ServiceCIDR};
        let meta =
            json!({"name": "s", "namespace": "ns", "creationTimestamp": "2023-10-29T15:11:07Z"});
        let lb = json!({"loadBalancer": {"ingress": [{"hostname": "lb.example.com"}, {"ip": "203.0.113.10"}, {"ip": "203.0.113.10"}, {"ip": "198.51.100.7", "hostname": "x"}]}});
        let specs = [
            (
                json!({"type": "ClusterIP", "clusterIPs": ["None"]}),
                json!({}),
            ),
            (
                json!({"type": "ExternalName", "externalName": "db.example.com"}),
                json!({}),
            ),
            (
                json!({"type": "NodePort", "clusterIPs": ["10.96.0.5", "fd00::5"], "externalIPs": ["1.2.3.4", "5.6.7.8"],
                "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}]}),
                json!({}),
            ),
            (json!({"type": "LoadBalancer"}), lb.clone()),
            (
                json!({"type": "LoadBalancer", "externalIPs": ["1.1.1.1"]}),
                lb,
            ),
            (
                json!({"type": "LoadBalancer", "externalIPs": ["1.1.1.1"]}),
                json!({}),
            ),
            (json!({"type": "LoadBalancer"}), json!({})),
            (
                json!({"type": "Weird", "selector": {"b": "2", "a": "1"}}),
                json!({}),
            ),
            (json!({}), json!({})),
        ];
        let strings = |v: Vec<Value>| -> Vec<String> {
            v.into_iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect()
        };
        for (spec, status) in specs {
            let v = json!({"metadata": meta, "spec": spec, "status": status});
            let typed: Service = serde_json::from_value(v.clone()).unwrap();
            let v = serde_json::to_value(&typed).unwrap();
            assert_eq!(
                typed_cells(Printer::Service, ListedObject::Service(&typed), NOW),
                Some(strings(cells(Printer::Service, &v, NOW))),
                "{v}"
            );
        }
        let cidr: ServiceCIDR = serde_json::from_value(
            json!({"metadata": meta, "spec": {"cidrs": ["10.0.0.0/24", "fd00::/64"]}}),
        )
        .unwrap();
        let v = serde_json::to_value(&cidr).unwrap();
        assert_eq!(
            typed_cells(Printer::ServiceCIDR, ListedObject::ServiceCIDR(&cidr), NOW),
            Some(strings(cells(Printer::ServiceCIDR, &v, NOW)))
        );
        for parent in [
            json!({"resource": "services", "namespace": "default", "name": "kubernetes"}),
            json!({"group": "Gateway.Networking.k8s.io", "resource": "Gateways", "namespace": "ns", "name": "Gw"}),
            json!(null),
        ] {
            let ip: IPAddress =
                serde_json::from_value(json!({"metadata": meta, "spec": {"parentRef": parent}}))
                    .unwrap();
            let v = serde_json::to_value(&ip).unwrap();
            assert_eq!(
                typed_cells(Printer::IPAddress, ListedObject::IPAddress(&ip), NOW),
                Some(strings(cells(Printer::IPAddress, &v, NOW)))
            );
        }
        assert_eq!(
            typed_cells(Printer::Service, ListedObject::ServiceCIDR(&cidr), NOW),
            None
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
    fn admission_policy_cells() {
        let vap = json!({"metadata": {"name": "p"},
            "spec": {"paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
                     "validations": [{"expression": "true"}, {"expression": "false"}]}});
        assert_eq!(
            cells(Printer::ValidatingAdmissionPolicy, &vap, NOW)[..3],
            [json!("p"), json!(2), json!("v1/ConfigMap")]
        );
        let bare = json!({"metadata": {"name": "q"}, "spec": {}});
        assert_eq!(
            cells(Printer::ValidatingAdmissionPolicy, &bare, NOW)[2],
            "<unset>"
        );
        let b = |pr: Value| json!({"metadata": {"name": "b"}, "spec": {"policyName": "p", "paramRef": pr}});
        let cell =
            |v: Value| cells(Printer::ValidatingAdmissionPolicyBinding, &b(v), NOW)[2].clone();
        assert_eq!(cell(json!({"name": "cfg", "namespace": "ns"})), "ns/cfg");
        assert_eq!(cell(json!({"name": "cfg"})), "*/cfg");
        assert_eq!(cell(Value::Null), "<unset>");
        assert_eq!(
            cell(json!({"selector": {"matchLabels": {"b": "2", "a": "1"},
                "matchExpressions": [{"key": "k", "operator": "In", "values": ["x", "y"]}]}})),
            "&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}"
        );
    }

    #[test]
    fn event_cells_follow_print_event() {
        let now = 1_795_776_353_000; // 2026-11-27T10:45:53Z
        let e = json!({"metadata": {"name": "web.1", "namespace": "default"},
            "eventTime": "2026-11-27T10:45:33.000000Z", "type": "Warning", "reason": "R",
            "involvedObject": {"kind": "Service", "name": "web"}, "message": " m \n",
            "source": {}, "reportingComponent": "c", "reportingInstance": "c-1"});
        assert_eq!(
            cells(Printer::Event, &e, now),
            vec![
                json!("20s"),
                json!("Warning"),
                json!("R"),
                json!("service/web"),
                json!(""),
                json!("c, c-1"),
                json!("m"),
                json!("20s"),
                json!(1),
                json!("web.1")
            ]
        );
    }
}
