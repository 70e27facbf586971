//! Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`),
//! decoded into the JSON object the apiserver would have decoded from JSON.
//!
//! API for the router:
//! - `is_protobuf(content_type)`
//! - `decode(body, default_api_version, into_kind)` → `Ok(object)` with
//!   `apiVersion`/`kind` from the envelope (defaulted from the URL like
//!   upstream's copyKindDefaults) or `Err(ApiError)` 400 with upstream's text
//!   (transformDecodeError over gogo-protobuf's errors). `into_kind` is the kind
//!   the URL serves (`Service`); the router still checks apiVersion/kind as for JSON.
//!
//! Body: `k8s\0` + runtime.Unknown{1 typeMeta{1 apiVersion, 2 kind}, 2 raw,
//! 3 contentEncoding, 4 contentType}; raw is the typed message. Kinds: core/v1
//! Service, networking.k8s.io v1/v1beta1 ServiceCIDR and IPAddress, DeleteOptions.
//! Field numbers are facts from k8s.io/api and apimachinery v0.33 generated.proto.
//!
//! Zero values: gogo-protobuf writes empty strings and zeros for non-pointer
//! fields; they are dropped (as `omitempty` would), pointer fields keep what was
//! sent (`allocateLoadBalancerNodePorts: false` means something), required
//! fields (`port`, ownerReference names, condition fields) are always present.
//! A zero `targetPort` (IntOrString 0) is dropped too: defaulting treats it as unset.
//!
//! Hand-written rather than `k8s-pb` + `prost`: docs/DESIGN-NOTES.md § Protocol
//! modules has the measured wasm cost.

use serde_json::{Map, Value};
use servicecidr_core::model::ApiError;

/// The protobuf serializer's prefix ("k8s\0").
pub const MAGIC: [u8; 4] = [0x6b, 0x38, 0x73, 0x00];

pub const CONTENT_TYPE: &str = "application/vnd.kubernetes.protobuf";

pub fn is_protobuf(content_type: &str) -> bool {
    content_type.split(';').next().unwrap_or("").trim() == CONTENT_TYPE
}

// ---------------------------------------------------------------- schema

#[derive(Clone, Copy, Debug)]
enum Kind {
    Str,
    Int32,
    Int64,
    Bool,
    Msg(&'static Message),
    /// map<string, string>
    StrMap,
    /// metav1.Time (Timestamp on the wire, seconds only in JSON).
    Time,
    IntOrString,
    /// metav1.FieldsV1: raw JSON bytes.
    FieldsV1,
}

/// How the Go field serializes to JSON.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Presence {
    /// Value type with `omitempty`: zero values are dropped.
    OmitEmpty,
    /// Pointer: present on the wire means present in JSON, zero or not.
    Pointer,
    /// No `omitempty`: always in JSON, zero value when absent.
    Required,
}

#[derive(Debug)]
struct Field {
    num: u64,
    json: &'static str,
    /// Go field name, as gogo's error texts use it.
    go: &'static str,
    kind: Kind,
    repeated: bool,
    presence: Presence,
}

#[derive(Debug)]
struct Message {
    name: &'static str,
    fields: &'static [Field],
}

use Presence::{OmitEmpty as O, Pointer as P, Required as R};

const fn f(
    num: u64,
    json: &'static str,
    go: &'static str,
    kind: Kind,
    presence: Presence,
) -> Field {
    Field {
        num,
        json,
        go,
        kind,
        repeated: false,
        presence,
    }
}

const fn rep(num: u64, json: &'static str, go: &'static str, kind: Kind) -> Field {
    Field {
        num,
        json,
        go,
        kind,
        repeated: true,
        presence: O,
    }
}

static TYPE_META: Message = Message {
    name: "TypeMeta",
    fields: &[
        f(1, "apiVersion", "APIVersion", Kind::Str, O),
        f(2, "kind", "Kind", Kind::Str, O),
    ],
};

static UNKNOWN: Message = Message {
    name: "Unknown",
    fields: &[
        f(1, "typeMeta", "TypeMeta", Kind::Msg(&TYPE_META), O),
        // raw is read separately (bytes); listed for wire-type checks.
        f(2, "raw", "Raw", Kind::FieldsV1, O),
        f(3, "contentEncoding", "ContentEncoding", Kind::Str, O),
        f(4, "contentType", "ContentType", Kind::Str, O),
    ],
};

static TIMESTAMP: Message = Message {
    name: "Timestamp",
    fields: &[
        f(1, "seconds", "Seconds", Kind::Int64, O),
        f(2, "nanos", "Nanos", Kind::Int32, O),
    ],
};

static INT_OR_STRING: Message = Message {
    name: "IntOrString",
    fields: &[
        f(1, "type", "Type", Kind::Int64, O),
        f(2, "intVal", "IntVal", Kind::Int32, O),
        f(3, "strVal", "StrVal", Kind::Str, O),
    ],
};

static FIELDS_V1: Message = Message {
    name: "FieldsV1",
    fields: &[f(1, "Raw", "Raw", Kind::FieldsV1, O)],
};

static OWNER_REFERENCE: Message = Message {
    name: "OwnerReference",
    fields: &[
        f(5, "apiVersion", "APIVersion", Kind::Str, R),
        f(1, "kind", "Kind", Kind::Str, R),
        f(3, "name", "Name", Kind::Str, R),
        f(4, "uid", "UID", Kind::Str, R),
        f(6, "controller", "Controller", Kind::Bool, P),
        f(7, "blockOwnerDeletion", "BlockOwnerDeletion", Kind::Bool, P),
    ],
};

static MANAGED_FIELDS_ENTRY: Message = Message {
    name: "ManagedFieldsEntry",
    fields: &[
        f(1, "manager", "Manager", Kind::Str, O),
        f(2, "operation", "Operation", Kind::Str, O),
        f(3, "apiVersion", "APIVersion", Kind::Str, O),
        f(4, "time", "Time", Kind::Time, P),
        f(6, "fieldsType", "FieldsType", Kind::Str, O),
        f(7, "fieldsV1", "FieldsV1", Kind::Msg(&FIELDS_V1), P),
        f(8, "subresource", "Subresource", Kind::Str, O),
    ],
};

static OBJECT_META: Message = Message {
    name: "ObjectMeta",
    fields: &[
        f(1, "name", "Name", Kind::Str, O),
        f(2, "generateName", "GenerateName", Kind::Str, O),
        f(3, "namespace", "Namespace", Kind::Str, O),
        f(4, "selfLink", "SelfLink", Kind::Str, O),
        f(5, "uid", "UID", Kind::Str, O),
        f(6, "resourceVersion", "ResourceVersion", Kind::Str, O),
        f(7, "generation", "Generation", Kind::Int64, O),
        f(8, "creationTimestamp", "CreationTimestamp", Kind::Time, O),
        f(9, "deletionTimestamp", "DeletionTimestamp", Kind::Time, P),
        f(
            10,
            "deletionGracePeriodSeconds",
            "DeletionGracePeriodSeconds",
            Kind::Int64,
            P,
        ),
        f(11, "labels", "Labels", Kind::StrMap, O),
        f(12, "annotations", "Annotations", Kind::StrMap, O),
        rep(
            13,
            "ownerReferences",
            "OwnerReferences",
            Kind::Msg(&OWNER_REFERENCE),
        ),
        rep(14, "finalizers", "Finalizers", Kind::Str),
        rep(
            17,
            "managedFields",
            "ManagedFields",
            Kind::Msg(&MANAGED_FIELDS_ENTRY),
        ),
    ],
};

static CONDITION: Message = Message {
    name: "Condition",
    fields: &[
        f(1, "type", "Type", Kind::Str, R),
        f(2, "status", "Status", Kind::Str, R),
        f(
            3,
            "observedGeneration",
            "ObservedGeneration",
            Kind::Int64,
            O,
        ),
        f(4, "lastTransitionTime", "LastTransitionTime", Kind::Time, R),
        f(5, "reason", "Reason", Kind::Str, R),
        f(6, "message", "Message", Kind::Str, R),
    ],
};

static CLIENT_IP_CONFIG: Message = Message {
    name: "ClientIPConfig",
    fields: &[f(1, "timeoutSeconds", "TimeoutSeconds", Kind::Int32, P)],
};

static SESSION_AFFINITY_CONFIG: Message = Message {
    name: "SessionAffinityConfig",
    fields: &[f(
        1,
        "clientIP",
        "ClientIP",
        Kind::Msg(&CLIENT_IP_CONFIG),
        P,
    )],
};

static SERVICE_PORT: Message = Message {
    name: "ServicePort",
    fields: &[
        f(1, "name", "Name", Kind::Str, O),
        f(2, "protocol", "Protocol", Kind::Str, O),
        f(6, "appProtocol", "AppProtocol", Kind::Str, P),
        f(3, "port", "Port", Kind::Int32, R),
        f(4, "targetPort", "TargetPort", Kind::IntOrString, O),
        f(5, "nodePort", "NodePort", Kind::Int32, O),
    ],
};

static SERVICE_SPEC: Message = Message {
    name: "ServiceSpec",
    fields: &[
        rep(1, "ports", "Ports", Kind::Msg(&SERVICE_PORT)),
        f(2, "selector", "Selector", Kind::StrMap, O),
        f(3, "clusterIP", "ClusterIP", Kind::Str, O),
        rep(18, "clusterIPs", "ClusterIPs", Kind::Str),
        f(4, "type", "Type", Kind::Str, O),
        rep(5, "externalIPs", "ExternalIPs", Kind::Str),
        f(7, "sessionAffinity", "SessionAffinity", Kind::Str, O),
        f(8, "loadBalancerIP", "LoadBalancerIP", Kind::Str, O),
        rep(
            9,
            "loadBalancerSourceRanges",
            "LoadBalancerSourceRanges",
            Kind::Str,
        ),
        f(10, "externalName", "ExternalName", Kind::Str, O),
        f(
            11,
            "externalTrafficPolicy",
            "ExternalTrafficPolicy",
            Kind::Str,
            O,
        ),
        f(
            12,
            "healthCheckNodePort",
            "HealthCheckNodePort",
            Kind::Int32,
            O,
        ),
        f(
            13,
            "publishNotReadyAddresses",
            "PublishNotReadyAddresses",
            Kind::Bool,
            O,
        ),
        f(
            14,
            "sessionAffinityConfig",
            "SessionAffinityConfig",
            Kind::Msg(&SESSION_AFFINITY_CONFIG),
            P,
        ),
        rep(19, "ipFamilies", "IPFamilies", Kind::Str),
        f(17, "ipFamilyPolicy", "IPFamilyPolicy", Kind::Str, P),
        f(
            20,
            "allocateLoadBalancerNodePorts",
            "AllocateLoadBalancerNodePorts",
            Kind::Bool,
            P,
        ),
        f(21, "loadBalancerClass", "LoadBalancerClass", Kind::Str, P),
        f(
            22,
            "internalTrafficPolicy",
            "InternalTrafficPolicy",
            Kind::Str,
            P,
        ),
        f(
            23,
            "trafficDistribution",
            "TrafficDistribution",
            Kind::Str,
            P,
        ),
    ],
};

static PORT_STATUS: Message = Message {
    name: "PortStatus",
    fields: &[
        f(1, "port", "Port", Kind::Int32, R),
        f(2, "protocol", "Protocol", Kind::Str, R),
        f(3, "error", "Error", Kind::Str, P),
    ],
};

static LOAD_BALANCER_INGRESS: Message = Message {
    name: "LoadBalancerIngress",
    fields: &[
        f(1, "ip", "IP", Kind::Str, O),
        f(2, "hostname", "Hostname", Kind::Str, O),
        f(3, "ipMode", "IPMode", Kind::Str, P),
        rep(4, "ports", "Ports", Kind::Msg(&PORT_STATUS)),
    ],
};

static LOAD_BALANCER_STATUS: Message = Message {
    name: "LoadBalancerStatus",
    fields: &[rep(
        1,
        "ingress",
        "Ingress",
        Kind::Msg(&LOAD_BALANCER_INGRESS),
    )],
};

static SERVICE_STATUS: Message = Message {
    name: "ServiceStatus",
    fields: &[
        f(
            1,
            "loadBalancer",
            "LoadBalancer",
            Kind::Msg(&LOAD_BALANCER_STATUS),
            O,
        ),
        rep(2, "conditions", "Conditions", Kind::Msg(&CONDITION)),
    ],
};

static SERVICE: Message = Message {
    name: "Service",
    fields: &[
        f(1, "metadata", "Metadata", Kind::Msg(&OBJECT_META), O),
        f(2, "spec", "Spec", Kind::Msg(&SERVICE_SPEC), O),
        f(3, "status", "Status", Kind::Msg(&SERVICE_STATUS), O),
    ],
};

static SERVICE_CIDR_SPEC: Message = Message {
    name: "ServiceCIDRSpec",
    fields: &[rep(1, "cidrs", "CIDRs", Kind::Str)],
};

static SERVICE_CIDR_STATUS: Message = Message {
    name: "ServiceCIDRStatus",
    fields: &[rep(1, "conditions", "Conditions", Kind::Msg(&CONDITION))],
};

static SERVICE_CIDR: Message = Message {
    name: "ServiceCIDR",
    fields: &[
        f(1, "metadata", "Metadata", Kind::Msg(&OBJECT_META), O),
        f(2, "spec", "Spec", Kind::Msg(&SERVICE_CIDR_SPEC), O),
        f(3, "status", "Status", Kind::Msg(&SERVICE_CIDR_STATUS), O),
    ],
};

static PARENT_REFERENCE: Message = Message {
    name: "ParentReference",
    fields: &[
        f(1, "group", "Group", Kind::Str, O),
        f(2, "resource", "Resource", Kind::Str, O),
        f(3, "namespace", "Namespace", Kind::Str, O),
        f(4, "name", "Name", Kind::Str, O),
    ],
};

static IP_ADDRESS_SPEC: Message = Message {
    name: "IPAddressSpec",
    fields: &[f(
        1,
        "parentRef",
        "ParentRef",
        Kind::Msg(&PARENT_REFERENCE),
        P,
    )],
};

static IP_ADDRESS: Message = Message {
    name: "IPAddress",
    fields: &[
        f(1, "metadata", "Metadata", Kind::Msg(&OBJECT_META), O),
        f(2, "spec", "Spec", Kind::Msg(&IP_ADDRESS_SPEC), O),
    ],
};

static PRECONDITIONS: Message = Message {
    name: "Preconditions",
    fields: &[
        f(1, "uid", "UID", Kind::Str, P),
        f(2, "resourceVersion", "ResourceVersion", Kind::Str, P),
    ],
};

static DELETE_OPTIONS: Message = Message {
    name: "DeleteOptions",
    fields: &[
        f(
            1,
            "gracePeriodSeconds",
            "GracePeriodSeconds",
            Kind::Int64,
            P,
        ),
        f(
            2,
            "preconditions",
            "Preconditions",
            Kind::Msg(&PRECONDITIONS),
            P,
        ),
        f(3, "orphanDependents", "OrphanDependents", Kind::Bool, P),
        f(4, "propagationPolicy", "PropagationPolicy", Kind::Str, P),
        rep(5, "dryRun", "DryRun", Kind::Str),
        f(
            6,
            "ignoreStoreReadErrorWithClusterBreakingPotential",
            "IgnoreStoreReadErrorWithClusterBreakingPotential",
            Kind::Bool,
            P,
        ),
    ],
};

/// (group, kind) → top-level message. One entry per decodable kind.
static KINDS: &[(&str, &str, &Message)] = &[
    ("", "Service", &SERVICE),
    ("networking.k8s.io", "ServiceCIDR", &SERVICE_CIDR),
    ("networking.k8s.io", "IPAddress", &IP_ADDRESS),
    ("", "DeleteOptions", &DELETE_OPTIONS),
    ("meta.k8s.io", "DeleteOptions", &DELETE_OPTIONS),
    ("networking.k8s.io", "DeleteOptions", &DELETE_OPTIONS),
];

// ---------------------------------------------------------------- wire reader

const ERR_EOF: &str = "unexpected EOF";
const ERR_INT_OVERFLOW: &str = "proto: integer overflow";
const ERR_INVALID_LENGTH: &str = "proto: negative length found during unmarshaling";

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// gogo's inline varint loop: EOF and >64-bit shifts are errors.
    fn varint(&mut self) -> Result<u64, String> {
        let mut v: u64 = 0;
        let mut shift = 0u32;
        loop {
            if shift >= 64 {
                return Err(ERR_INT_OVERFLOW.into());
            }
            let Some(&b) = self.data.get(self.pos) else {
                return Err(ERR_EOF.into());
            };
            self.pos += 1;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
            shift += 7;
        }
    }

    /// A length-delimited payload.
    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let len = self.varint()? as i64;
        if len < 0 {
            return Err(ERR_INVALID_LENGTH.into());
        }
        let end = (self.pos as i64)
            .checked_add(len)
            .ok_or(ERR_INVALID_LENGTH)?;
        if end as u64 > self.data.len() as u64 {
            return Err(ERR_EOF.into());
        }
        let out = &self.data[self.pos..end as usize];
        self.pos = end as usize;
        Ok(out)
    }

    /// skipGenerated from the field's key onwards.
    fn skip(&mut self, first_wire_type: u64) -> Result<(), String> {
        let mut depth = 0i32;
        let mut wire_type = first_wire_type;
        loop {
            match wire_type {
                0 => {
                    self.varint()?;
                }
                1 => self.advance(8)?,
                2 => {
                    self.bytes()?;
                }
                3 => depth += 1,
                4 => {
                    if depth == 0 {
                        return Err("proto: unexpected end of group".into());
                    }
                    depth -= 1;
                }
                5 => self.advance(4)?,
                other => return Err(format!("proto: illegal wireType {other}")),
            }
            if depth == 0 {
                return Ok(());
            }
            wire_type = self.varint()? & 7;
        }
    }

    fn advance(&mut self, n: usize) -> Result<(), String> {
        if self.pos + n > self.data.len() {
            return Err(ERR_EOF.into());
        }
        self.pos += n;
        Ok(())
    }
}

// ---------------------------------------------------------------- decoding

/// Raw field values of one message, by field number (last one wins for scalars).
fn decode_message(data: &[u8], msg: &Message, depth: u32) -> Result<Map<String, Value>, String> {
    if depth > 32 {
        // gogo has no limit, but our messages nest at most 6 deep; deeper is garbage.
        return Err(ERR_INVALID_LENGTH.into());
    }
    let mut r = Reader::new(data);
    let mut out = Map::new();
    // Which pointer/required fields were seen (zero values kept for them).
    while !r.done() {
        let wire = r.varint()?;
        let field_num = (wire >> 3) as i32;
        let wire_type = wire & 7;
        if wire_type == 4 {
            return Err(format!(
                "proto: {}: wiretype end group for non-group",
                msg.name
            ));
        }
        if field_num <= 0 {
            return Err(format!(
                "proto: {}: illegal tag {} (wire type {})",
                msg.name, field_num, wire
            ));
        }
        let Some(field) = msg.fields.iter().find(|f| f.num == field_num as u64) else {
            r.skip(wire_type)?;
            continue;
        };
        let want_wire = match field.kind {
            Kind::Int32 | Kind::Int64 | Kind::Bool => 0,
            _ => 2,
        };
        if wire_type != want_wire {
            return Err(format!(
                "proto: wrong wireType = {} for field {}",
                wire_type, field.go
            ));
        }
        let value = match field.kind {
            Kind::Int32 => Value::from(r.varint()? as i32),
            Kind::Int64 => Value::from(r.varint()? as i64),
            Kind::Bool => Value::Bool(r.varint()? != 0),
            Kind::Str => Value::String(String::from_utf8_lossy(r.bytes()?).into_owned()),
            Kind::FieldsV1 => {
                let b = r.bytes()?;
                // Raw JSON of FieldsV1; anything else is unusable as managedFields.
                serde_json::from_slice(b).unwrap_or(Value::Null)
            }
            Kind::Msg(m) => {
                let b = r.bytes()?;
                let mut v = decode_message(b, m, depth + 1)?;
                if std::ptr::eq(m, &FIELDS_V1) {
                    // FieldsV1 is its raw JSON in the JSON form.
                    v.remove("Raw").unwrap_or(Value::Null)
                } else {
                    Value::Object(v)
                }
            }
            Kind::Time => {
                let b = r.bytes()?;
                time_value(b, depth)?
            }
            Kind::IntOrString => {
                let b = r.bytes()?;
                let m = decode_message(b, &INT_OR_STRING, depth + 1)?;
                int_or_string(&m)
            }
            Kind::StrMap => {
                let b = r.bytes()?;
                let (k, v) = map_entry(b)?;
                let entry = out
                    .entry(field.json)
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(m) = entry {
                    m.insert(k, Value::String(v));
                }
                continue;
            }
        };
        if field.repeated {
            let entry = out
                .entry(field.json)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(a) = entry {
                a.push(value);
            }
        } else {
            out.insert(field.json.to_string(), value);
        }
    }
    // Go JSON view: drop omitempty zeros, add required zeros.
    for field in msg.fields {
        match (field.presence, out.get(field.json)) {
            (Presence::OmitEmpty, Some(v)) if is_zero(v, field.kind) => {
                out.remove(field.json);
            }
            (Presence::Required, None) => {
                out.insert(field.json.to_string(), zero_of(field.kind));
            }
            _ => {}
        }
    }
    Ok(out)
}

fn is_zero(v: &Value, kind: Kind) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(b) => !b,
        Value::Array(a) => a.is_empty(),
        // An empty struct (omitempty does not drop structs in Go, but an empty
        // one decodes to the same object as an absent one).
        Value::Object(m) => m.is_empty() && !matches!(kind, Kind::FieldsV1),
    }
}

fn zero_of(kind: Kind) -> Value {
    match kind {
        Kind::Str => Value::String(String::new()),
        Kind::Int32 | Kind::Int64 => Value::from(0),
        Kind::Bool => Value::Bool(false),
        _ => Value::Null,
    }
}

/// metav1.Time.Unmarshal: empty → zero time (null); else seconds only.
fn time_value(b: &[u8], depth: u32) -> Result<Value, String> {
    if b.is_empty() {
        return Ok(Value::Null);
    }
    let m = decode_message(b, &TIMESTAMP, depth + 1)?;
    let secs = m.get("seconds").and_then(Value::as_i64).unwrap_or(0);
    Ok(Value::String(servicecidr_core::clock::format_rfc3339(secs)))
}

/// intstr.IntOrString's JSON: a string when type is String (1), else the int.
fn int_or_string(m: &Map<String, Value>) -> Value {
    if m.get("type").and_then(Value::as_i64) == Some(1) {
        m.get("strVal")
            .cloned()
            .unwrap_or(Value::String(String::new()))
    } else {
        m.get("intVal").cloned().unwrap_or(Value::from(0))
    }
}

/// A map<string,string> entry: fields 1 and 2 are read as strings whatever their
/// wire type (gogo's map code does not check), others skipped.
fn map_entry(b: &[u8]) -> Result<(String, String), String> {
    let mut r = Reader::new(b);
    let (mut k, mut v) = (String::new(), String::new());
    while !r.done() {
        let wire = r.varint()?;
        match wire >> 3 {
            1 => k = String::from_utf8_lossy(r.bytes()?).into_owned(),
            2 => v = String::from_utf8_lossy(r.bytes()?).into_owned(),
            _ => r.skip(wire & 7)?,
        }
    }
    Ok((k, v))
}

/// handlers/rest.go summarizeData(body, 30).
fn summarize(data: &[u8]) -> String {
    const MAX: usize = 30;
    if data.is_empty() {
        return "<empty>".into();
    }
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    if data[0] == b'{' {
        if data.len() > MAX {
            return format!("{} ...", String::from_utf8_lossy(&data[..MAX]));
        }
        return String::from_utf8_lossy(data).into_owned();
    }
    if data.len() > MAX {
        return format!("{} ...", hex(&data[..MAX]));
    }
    hex(data)
}

fn split_api_version(av: &str) -> (&str, &str) {
    match av.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", av),
    }
}

/// Decode a protobuf request body meant for a resource of kind `into_kind`
/// served at `default_api_version`.
pub fn decode(body: &[u8], default_api_version: &str, into_kind: &str) -> Result<Value, ApiError> {
    let unrecognized = |err: &str| {
        ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {into_kind}): {err} ({})",
            summarize(body)
        ))
    };
    if body.is_empty() {
        return Err(unrecognized("empty data"));
    }
    if body.len() < MAGIC.len() || body[..MAGIC.len()] != MAGIC {
        return Err(unrecognized(
            "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
        ));
    }
    if body.len() == MAGIC.len() {
        return Err(unrecognized("empty body"));
    }
    let (type_meta, raw) = decode_unknown(&body[MAGIC.len()..]).map_err(|e| unrecognized(&e))?;

    // copyKindDefaults(actual, request default).
    let (mut group, mut version) = split_api_version(&type_meta.0);
    let mut kind = type_meta.1.as_str();
    let (dg, dv) = split_api_version(default_api_version);
    if kind.is_empty() {
        kind = into_kind;
    }
    if version.is_empty() && !dv.is_empty() {
        group = dg;
        version = dv;
    }
    let cannot = |err: &str| {
        ApiError::bad_request(format!(
            "{kind} in version {version:?} cannot be handled as a {into_kind}: {err}"
        ))
    };
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let Some((_, _, msg)) = KINDS.iter().find(|(g, k, _)| *g == group && *k == kind) else {
        return Err(cannot(&format!(
            "no kind {kind:?} is registered for version {gv:?} in scheme \"k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30\""
        )));
    };
    let mut obj = decode_message(&raw, msg, 0).map_err(|e| cannot(&e))?;
    obj.insert("apiVersion".into(), Value::String(gv.clone()));
    obj.insert("kind".into(), Value::String(kind.to_string()));
    Ok(Value::Object(obj))
}

/// runtime.Unknown → ((apiVersion, kind), raw).
fn decode_unknown(data: &[u8]) -> Result<((String, String), Vec<u8>), String> {
    let mut r = Reader::new(data);
    let mut api_version = String::new();
    let mut kind = String::new();
    let mut raw = Vec::new();
    while !r.done() {
        let wire = r.varint()?;
        let field_num = (wire >> 3) as i32;
        let wire_type = wire & 7;
        if wire_type == 4 {
            return Err("proto: Unknown: wiretype end group for non-group".into());
        }
        if field_num <= 0 {
            return Err(format!(
                "proto: Unknown: illegal tag {field_num} (wire type {wire})"
            ));
        }
        match UNKNOWN.fields.iter().find(|f| f.num == field_num as u64) {
            None => r.skip(wire_type)?,
            Some(f) if wire_type != 2 => {
                return Err(format!(
                    "proto: wrong wireType = {wire_type} for field {}",
                    f.go
                ))
            }
            Some(f) => {
                let b = r.bytes()?;
                match f.num {
                    1 => {
                        let tm = decode_message(b, &TYPE_META, 1)?;
                        api_version = tm
                            .get("apiVersion")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string();
                        kind = tm
                            .get("kind")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string();
                    }
                    2 => raw = b.to_vec(),
                    _ => {}
                }
            }
        }
    }
    Ok(((api_version, kind), raw))
}

#[cfg(test)]
mod tests;
