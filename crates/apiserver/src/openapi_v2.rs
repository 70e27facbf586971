//! `/openapi/v2`: the Swagger 2.0 document, as JSON or as gnostic's protobuf
//! `openapi.v2.Document` (what kubectl ≤1.28 validates and patches against, and
//! what 1.29+ reads to validate the items of a `kind: List` file).
//!
//! API for the router:
//! - `document(served)`: the Swagger 2.0 JSON of the served group-versions,
//!   derived from the v3 documents (`openapi::document`) so both stay one
//!   source of truth: `components.schemas` become `definitions`, refs
//!   `#/definitions/…`, `requestBody` a `body` parameter, response and request
//!   content types `produces`/`consumes`.
//! - `encode(doc)`: that JSON as gnostic protobuf (field numbers are facts from
//!   gnostic openapiv2/OpenAPIv2.proto). Vendor extensions, defaults and enum
//!   values go in `Any.yaml` as JSON text (JSON is YAML; kube-openapi and
//!   cli-runtime read them with a YAML parser).
//! - `reply(accept, served)`: kube-openapi's v2 handler negotiation: the
//!   protobuf type when asked for, JSON for JSON/any, 406 otherwise.

use crate::openapi;
use serde_json::{json, Map, Value};

/// The protobuf media type kube-openapi answers with (and accepts). Not the
/// `@` spelling: Go's mime.ParseMediaType rejects `@`, and client-go fails
/// with "mime: unexpected content after media subtype" on that Content-Type.
pub const PROTOBUF: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
/// What client-go's `OpenAPISchema` asks for (kube-openapi: deprecated subtype).
const PROTOBUF_ASKED: &str = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

/// The answer: status, Content-Type, body.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// Negotiate on `Accept` (first servable media range wins, as goautoneg does
/// for equal weights) and answer.
pub fn reply(accept: &str, served: &[&str]) -> Reply {
    let ranges = crate::negotiate::media_ranges(accept);
    let mut proto = None;
    if ranges.is_empty() {
        proto = Some(false);
    }
    for m in &ranges {
        match m.mime.as_str() {
            PROTOBUF | PROTOBUF_ASKED => proto = Some(true),
            "application/json" | "*/*" | "application/*" => proto = Some(false),
            _ => continue,
        }
        break;
    }
    let doc = document(served);
    match proto {
        Some(true) => Reply {
            status: 200,
            content_type: PROTOBUF,
            body: encode(&doc),
        },
        Some(false) => Reply {
            status: 200,
            content_type: "application/json",
            body: doc.to_string().into_bytes(),
        },
        None => Reply {
            status: 406,
            content_type: "text/plain; charset=utf-8",
            body: b"406 Not Acceptable\n".to_vec(),
        },
    }
}

// ------------------------------------------------------------ v3 -> Swagger 2.0

/// The Swagger 2.0 document of the served group-versions.
pub fn document(served: &[&str]) -> Value {
    let mut paths = Map::new();
    let mut definitions = Map::new();
    let mut version = Value::from("unversioned");
    for gv in served {
        let Some(v3) = openapi::document(gv).and_then(|d| serde_json::from_str::<Value>(d).ok())
        else {
            continue;
        };
        if let Some(v) = v3.pointer("/info/version") {
            version = v.clone();
        }
        for (name, s) in v3
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            // Meta types repeat in every group-version's document; same text.
            definitions.entry(name.clone()).or_insert_with(|| schema(s));
        }
        for (p, item) in v3["paths"].as_object().into_iter().flatten() {
            paths.insert(p.clone(), path_item(item));
        }
    }
    json!({
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": version},
        "paths": paths,
        "definitions": definitions,
        "securityDefinitions": {"BearerToken": {
            "description": "Bearer Token authentication",
            "type": "apiKey", "name": "authorization", "in": "header"}},
        "security": [{"BearerToken": []}],
    })
}

fn rewrite_ref(r: &Value) -> Value {
    match r.as_str() {
        Some(s) => Value::from(s.replace("#/components/schemas/", "#/definitions/")),
        None => r.clone(),
    }
}

/// A v3 schema as Swagger 2.0 (a subset of JSON Schema without oneOf,
/// nullable, and with `$ref` siblings allowed where v3 wraps them in allOf).
fn schema(s: &Value) -> Value {
    let Some(obj) = s.as_object() else {
        return s.clone();
    };
    let mut out = Map::new();
    for (k, v) in obj {
        match k.as_str() {
            "$ref" => {
                out.insert(k.clone(), rewrite_ref(v));
            }
            // v3 `allOf: [{$ref}]` exists only to carry a description or
            // default next to a ref; Swagger 2.0 (upstream's v2) puts `$ref` there.
            "allOf" => match v.as_array().map(Vec::as_slice) {
                Some([one]) if one.get("$ref").is_some() => {
                    out.insert("$ref".into(), rewrite_ref(&one["$ref"]));
                }
                _ => {
                    out.insert(
                        k.clone(),
                        Value::Array(array(v).iter().map(schema).collect()),
                    );
                }
            },
            "properties" => {
                let props = v.as_object().into_iter().flatten();
                out.insert(
                    k.clone(),
                    Value::Object(props.map(|(n, p)| (n.clone(), schema(p))).collect()),
                );
            }
            "items" | "additionalProperties" => {
                out.insert(k.clone(), schema(v));
            }
            "oneOf" | "anyOf" | "not" | "nullable" => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    // IntOrString: v3 says oneOf integer/string; upstream's v2 says string.
    if out.get("format").and_then(Value::as_str) == Some("int-or-string")
        && !out.contains_key("type")
    {
        out.insert("type".into(), "string".into());
    }
    Value::Object(out)
}

fn array(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn parameter(p: &Value) -> Value {
    let mut out = Map::new();
    for k in ["description", "name", "in", "required"] {
        if let Some(v) = p.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    for (k, v) in p
        .get("schema")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        out.insert(k.clone(), v.clone());
    }
    Value::Object(out)
}

fn path_item(item: &Value) -> Value {
    let mut out = Map::new();
    for (k, v) in item.as_object().into_iter().flatten() {
        match k.as_str() {
            "parameters" => {
                out.insert(k.clone(), array(v).iter().map(parameter).collect());
            }
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                out.insert(k.clone(), operation(v));
            }
            _ if k.starts_with("x-") => {
                out.insert(k.clone(), v.clone());
            }
            _ => {}
        }
    }
    Value::Object(out)
}

fn push_unique(list: &mut Vec<Value>, s: &str) {
    if !list.iter().any(|x| x == s) {
        list.push(s.into());
    }
}

fn operation(op: &Value) -> Value {
    let mut out = Map::new();
    let mut consumes = Vec::new();
    let mut produces = Vec::new();
    let mut params: Vec<Value> = array(&op["parameters"]).iter().map(parameter).collect();
    if let Some(content) = op
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
    {
        let mut body = json!({"name": "body", "in": "body", "required": true});
        if let Some((_, media)) = content.iter().next() {
            body["schema"] = schema(&media["schema"]);
        }
        for mime in content.keys() {
            push_unique(&mut consumes, mime);
        }
        params.insert(0, body);
    }
    let mut responses = Map::new();
    for (code, r) in op["responses"].as_object().into_iter().flatten() {
        let mut resp = json!({"description": r.get("description").cloned().unwrap_or_default()});
        if let Some(content) = r.get("content").and_then(Value::as_object) {
            if let Some((_, media)) = content.iter().next() {
                resp["schema"] = schema(&media["schema"]);
            }
            for mime in content.keys() {
                push_unique(&mut produces, mime);
            }
        }
        responses.insert(code.clone(), resp);
    }
    for (k, v) in op.as_object().into_iter().flatten() {
        if matches!(k.as_str(), "description" | "operationId" | "tags") || k.starts_with("x-") {
            out.insert(k.clone(), v.clone());
        }
    }
    if !consumes.is_empty() {
        out.insert("consumes".into(), Value::Array(consumes));
    }
    if !produces.is_empty() {
        out.insert("produces".into(), Value::Array(produces));
    }
    out.insert("schemes".into(), json!(["https"]));
    if !params.is_empty() {
        out.insert("parameters".into(), Value::Array(params));
    }
    out.insert("responses".into(), Value::Object(responses));
    Value::Object(out)
}

// ------------------------------------------------------------ gnostic protobuf

/// A protobuf message being written.
#[derive(Default)]
struct Pb(Vec<u8>);

impl Pb {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn tag(&mut self, num: u64, wire: u64) {
        self.varint(num << 3 | wire);
    }
    fn bytes(&mut self, num: u64, b: &[u8]) {
        self.tag(num, 2);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    /// proto3: empty strings and false/zero are not written.
    fn string(&mut self, num: u64, v: Option<&Value>) {
        if let Some(s) = v.and_then(Value::as_str).filter(|s| !s.is_empty()) {
            self.bytes(num, s.as_bytes());
        }
    }
    fn strings(&mut self, num: u64, v: Option<&Value>) {
        for s in v.and_then(Value::as_array).into_iter().flatten() {
            if let Some(s) = s.as_str() {
                self.bytes(num, s.as_bytes());
            }
        }
    }
    fn boolean(&mut self, num: u64, v: Option<&Value>) {
        if v.and_then(Value::as_bool) == Some(true) {
            self.tag(num, 0);
            self.varint(1);
        }
    }
    fn int64(&mut self, num: u64, v: Option<&Value>) {
        if let Some(i) = v.and_then(Value::as_i64).filter(|i| *i != 0) {
            self.tag(num, 0);
            self.varint(i as u64);
        }
    }
    fn double(&mut self, num: u64, v: Option<&Value>) {
        if let Some(f) = v.and_then(Value::as_f64) {
            self.tag(num, 1);
            self.0.extend_from_slice(&f.to_le_bytes());
        }
    }
    fn message(&mut self, num: u64, f: impl FnOnce(&mut Pb)) {
        let mut m = Pb::default();
        f(&mut m);
        self.bytes(num, &m.0);
    }
    /// `Any{yaml = 2}` holding a JSON value's text.
    fn any(&mut self, num: u64, v: &Value) {
        self.message(num, |a| a.bytes(2, v.to_string().as_bytes()));
    }
    /// `repeated NamedAny vendor_extension = num` from an object's `x-` keys.
    fn extensions(&mut self, num: u64, obj: &Value) {
        for (k, v) in obj.as_object().into_iter().flatten() {
            if k.starts_with("x-") {
                self.message(num, |n| {
                    n.bytes(1, k.as_bytes());
                    n.any(2, v);
                });
            }
        }
    }
}

/// The gnostic `openapi.v2.Document` of a Swagger 2.0 JSON document.
pub fn encode(doc: &Value) -> Vec<u8> {
    let mut d = Pb::default();
    d.string(1, doc.get("swagger"));
    d.message(2, |i| {
        i.string(1, doc.pointer("/info/title"));
        i.string(2, doc.pointer("/info/version"));
    });
    d.message(8, |p| {
        for (name, item) in doc["paths"].as_object().into_iter().flatten() {
            p.message(2, |n| {
                n.bytes(1, name.as_bytes());
                n.message(2, |m| write_path_item(m, item));
            });
        }
    });
    d.message(9, |defs| {
        for (name, s) in doc["definitions"].as_object().into_iter().flatten() {
            defs.message(1, |n| {
                n.bytes(1, name.as_bytes());
                n.message(2, |m| write_schema(m, s));
            });
        }
    });
    for req in array(&doc["security"]) {
        d.message(12, |r| {
            for (name, scopes) in req.as_object().into_iter().flatten() {
                r.message(1, |n| {
                    n.bytes(1, name.as_bytes());
                    n.message(2, |a| a.strings(1, Some(scopes)));
                });
            }
        });
    }
    d.message(13, |defs| {
        for (name, s) in doc["securityDefinitions"].as_object().into_iter().flatten() {
            defs.message(1, |n| {
                n.bytes(1, name.as_bytes());
                // SecurityDefinitionsItem.api_key_security = 2: the only kind served.
                n.message(2, |item| {
                    item.message(2, |k| {
                        k.string(1, s.get("type"));
                        k.string(2, s.get("name"));
                        k.string(3, s.get("in"));
                        k.string(4, s.get("description"));
                    })
                });
            });
        }
    });
    d.0
}

fn write_path_item(m: &mut Pb, item: &Value) {
    for (num, method) in [
        (2, "get"),
        (3, "put"),
        (4, "post"),
        (5, "delete"),
        (6, "options"),
        (7, "head"),
        (8, "patch"),
    ] {
        if let Some(op) = item.get(method) {
            m.message(num, |o| write_operation(o, op));
        }
    }
    for p in array(&item["parameters"]) {
        m.message(9, |pi| write_parameter(pi, p));
    }
    m.extensions(10, item);
}

fn write_operation(o: &mut Pb, op: &Value) {
    o.strings(1, op.get("tags"));
    o.string(3, op.get("description"));
    o.string(5, op.get("operationId"));
    o.strings(6, op.get("produces"));
    o.strings(7, op.get("consumes"));
    for p in array(&op["parameters"]) {
        o.message(8, |pi| write_parameter(pi, p));
    }
    o.message(9, |rs| {
        for (code, r) in op["responses"].as_object().into_iter().flatten() {
            rs.message(1, |n| {
                n.bytes(1, code.as_bytes());
                // ResponseValue.response = 1 { description = 1, schema = 2 (SchemaItem.schema = 1) }
                n.message(2, |rv| {
                    rv.message(1, |resp| {
                        resp.string(1, r.get("description"));
                        if let Some(s) = r.get("schema") {
                            resp.message(2, |si| si.message(1, |m| write_schema(m, s)));
                        }
                    })
                });
            });
        }
    });
    o.strings(10, op.get("schemes"));
    o.extensions(13, op);
}

/// `ParametersItem.parameter = 1`: `Parameter.body_parameter = 1`, or
/// `Parameter.non_body_parameter = 2` with the sub-schema for its `in`.
fn write_parameter(pi: &mut Pb, p: &Value) {
    pi.message(1, |param| {
        if p["in"] == "body" {
            param.message(1, |b| {
                b.string(1, p.get("description"));
                b.string(2, p.get("name"));
                b.string(3, p.get("in"));
                b.boolean(4, p.get("required"));
                if let Some(s) = p.get("schema") {
                    b.message(5, |m| write_schema(m, s));
                }
            });
            return;
        }
        // (oneof field, type field, uniqueItems field) per sub-schema.
        let (which, ty, unique) = match p["in"].as_str() {
            Some("query") => (3, 6, 20),
            Some("path") => (4, 5, 19),
            Some("header") => (1, 5, 19),
            _ => (2, 6, 20), // formData
        };
        param.message(2, |nb| {
            nb.message(which, |q| {
                q.boolean(1, p.get("required"));
                q.string(2, p.get("in"));
                q.string(3, p.get("description"));
                q.string(4, p.get("name"));
                q.string(ty, p.get("type"));
                q.boolean(unique, p.get("uniqueItems"));
            })
        });
    });
}

fn write_schema(m: &mut Pb, s: &Value) {
    m.string(1, s.get("$ref"));
    m.string(2, s.get("format"));
    m.string(3, s.get("title"));
    m.string(4, s.get("description"));
    if let Some(v) = s.get("default") {
        m.any(5, v);
    }
    m.double(6, s.get("multipleOf"));
    m.double(7, s.get("maximum"));
    m.boolean(8, s.get("exclusiveMaximum"));
    m.double(9, s.get("minimum"));
    m.boolean(10, s.get("exclusiveMinimum"));
    m.int64(11, s.get("maxLength"));
    m.int64(12, s.get("minLength"));
    m.string(13, s.get("pattern"));
    m.int64(14, s.get("maxItems"));
    m.int64(15, s.get("minItems"));
    m.boolean(16, s.get("uniqueItems"));
    m.int64(17, s.get("maxProperties"));
    m.int64(18, s.get("minProperties"));
    m.strings(19, s.get("required"));
    for e in array(&s["enum"]) {
        m.any(20, e);
    }
    match s.get("additionalProperties") {
        Some(Value::Bool(b)) => m.message(21, |a| {
            a.tag(2, 0);
            a.varint(*b as u64);
        }),
        Some(sub @ Value::Object(_)) => m.message(21, |a| a.message(1, |x| write_schema(x, sub))),
        _ => {}
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        m.message(22, |ti| ti.bytes(1, t.as_bytes()));
    }
    if let Some(items) = s.get("items") {
        m.message(23, |ii| ii.message(1, |x| write_schema(x, items)));
    }
    for sub in array(&s["allOf"]) {
        m.message(24, |x| write_schema(x, sub));
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        m.message(25, |ps| {
            for (name, p) in props {
                ps.message(1, |n| {
                    n.bytes(1, name.as_bytes());
                    n.message(2, |x| write_schema(x, p));
                });
            }
        });
    }
    m.boolean(27, s.get("readOnly"));
    m.extensions(31, s);
}

#[cfg(test)]
mod tests;
