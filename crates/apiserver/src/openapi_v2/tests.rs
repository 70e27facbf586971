use super::*;
use crate::openapi::ALL;

/// One decoded protobuf field: number and payload (varint value, or bytes).
#[derive(Debug, PartialEq)]
enum F {
    V(u64, u64),
    B(u64, Vec<u8>),
    D(u64, f64),
}

/// A minimal wire-format reader for the assertions (independent of the writer).
fn fields(mut b: &[u8]) -> Vec<F> {
    fn varint(b: &mut &[u8]) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let byte = b[0];
            *b = &b[1..];
            v |= ((byte & 0x7f) as u64) << shift;
            if byte < 0x80 {
                return v;
            }
            shift += 7;
        }
    }
    let mut out = Vec::new();
    while !b.is_empty() {
        let key = varint(&mut b);
        let (num, wire) = (key >> 3, key & 7);
        match wire {
            0 => out.push(F::V(num, varint(&mut b))),
            1 => {
                let (x, rest) = b.split_at(8);
                out.push(F::D(num, f64::from_le_bytes(x.try_into().unwrap())));
                b = rest;
            }
            2 => {
                let n = varint(&mut b) as usize;
                out.push(F::B(num, b[..n].to_vec()));
                b = &b[n..];
            }
            w => panic!("wire type {w}"),
        }
    }
    out
}

fn bytes_of(fs: &[F], num: u64) -> Vec<&[u8]> {
    fs.iter()
        .filter_map(|f| match f {
            F::B(n, b) if *n == num => Some(b.as_slice()),
            _ => None,
        })
        .collect()
}

fn str_of(fs: &[F], num: u64) -> Vec<String> {
    bytes_of(fs, num)
        .into_iter()
        .map(|b| String::from_utf8(b.to_vec()).unwrap())
        .collect()
}

/// The exact bytes of a small document, field by field from OpenAPIv2.proto.
#[test]
fn encodes_gnostic_field_numbers() {
    let doc = json!({
        "swagger": "2.0",
        "info": {"title": "K", "version": "v1"},
        "paths": {"/p": {"patch": {
            "parameters": [{"name": "fieldValidation", "in": "query", "type": "string", "uniqueItems": true}],
            "x-kubernetes-group-version-kind": {"group": "", "kind": "S", "version": "v1"}}}},
        "definitions": {"T": {"type": "object", "required": ["a"],
            "properties": {"a": {"$ref": "#/definitions/U"}},
            "additionalProperties": false}},
    });
    let d = fields(&encode(&doc));
    assert_eq!(str_of(&d, 1), ["2.0"]);
    let info = fields(bytes_of(&d, 2)[0]);
    assert_eq!(info, [F::B(1, b"K".to_vec()), F::B(2, b"v1".to_vec())]);
    // Paths.path = 2 -> NamedPathItem{name 1, value 2} -> PathItem.patch = 8.
    let paths = fields(bytes_of(&d, 8)[0]);
    let named = fields(bytes_of(&paths, 2)[0]);
    assert_eq!(str_of(&named, 1), ["/p"]);
    let item = fields(bytes_of(&named, 2)[0]);
    let op = fields(bytes_of(&item, 8)[0]);
    // ParametersItem.parameter 1 -> Parameter.non_body_parameter 2 ->
    // NonBodyParameter.query_parameter_sub_schema 3 -> {in 2, name 4, type 6, unique 20}.
    let q = fields(bytes_of(&fields(bytes_of(&fields(bytes_of(&op, 8)[0]), 1)[0]), 2)[0]);
    let q = fields(bytes_of(&q, 3)[0]);
    assert_eq!(
        q,
        [
            F::B(2, b"query".to_vec()),
            F::B(4, b"fieldValidation".to_vec()),
            F::B(6, b"string".to_vec()),
            F::V(20, 1),
        ]
    );
    // Operation.vendor_extension = 13: NamedAny{name 1, value 2 = Any{yaml 2}}.
    let ext = fields(bytes_of(&op, 13)[0]);
    assert_eq!(str_of(&ext, 1), ["x-kubernetes-group-version-kind"]);
    let yaml = str_of(&fields(bytes_of(&ext, 2)[0]), 2);
    assert_eq!(
        serde_json::from_str::<Value>(&yaml[0]).unwrap(),
        json!({"group": "", "kind": "S", "version": "v1"})
    );
    // Definitions.additional_properties = 1 -> NamedSchema -> Schema.
    let defs = fields(bytes_of(&d, 9)[0]);
    let t = fields(bytes_of(&defs, 1)[0]);
    assert_eq!(str_of(&t, 1), ["T"]);
    let s = fields(bytes_of(&t, 2)[0]);
    assert_eq!(str_of(&s, 19), ["a"]); // required
    assert_eq!(fields(bytes_of(&s, 21)[0]), [F::V(2, 0)]); // additionalProperties: false
    assert_eq!(str_of(&fields(bytes_of(&s, 22)[0]), 1), ["object"]); // TypeItem.value
    let props = fields(bytes_of(&s, 25)[0]);
    let a = fields(bytes_of(&props, 1)[0]);
    assert_eq!(str_of(&a, 1), ["a"]);
    assert_eq!(
        fields(bytes_of(&a, 2)[0]),
        [F::B(1, b"#/definitions/U".to_vec())]
    );
}

#[test]
fn numbers_and_items_encode() {
    let s = json!({"type": "array", "maxItems": 3, "minimum": 1.5, "items": {"type": "string"},
        "enum": ["A"], "default": 7});
    let mut m = Pb::default();
    write_schema(&mut m, &s);
    let f = fields(&m.0);
    assert!(f.contains(&F::V(14, 3)));
    assert!(f.contains(&F::D(9, 1.5)));
    assert_eq!(str_of(&fields(bytes_of(&f, 20)[0]), 2), ["\"A\""]);
    assert_eq!(str_of(&fields(bytes_of(&f, 5)[0]), 2), ["7"]);
    let items = fields(bytes_of(&f, 23)[0]);
    assert_eq!(bytes_of(&items, 1).len(), 1);
}

/// Upstream's v2 shape: definitions keyed by the Go package path with their
/// GVKs, refs into `#/definitions/`, body parameters, patch content types.
#[test]
fn document_is_swagger_2_of_the_v3_schemas() {
    let doc = document(ALL);
    assert_eq!(doc["swagger"], "2.0");
    let text = doc.to_string();
    assert!(!text.contains("#/components/"));
    assert!(!text.contains("\"allOf\""));
    let scidr = &doc["definitions"]["io.k8s.api.networking.v1.ServiceCIDR"];
    assert_eq!(
        scidr["x-kubernetes-group-version-kind"],
        json!([{"group": "networking.k8s.io", "kind": "ServiceCIDR", "version": "v1"}])
    );
    assert_eq!(
        scidr["properties"]["metadata"]["$ref"],
        "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    );
    assert!(scidr["properties"]["metadata"]["description"].is_string());
    assert_eq!(
        doc["definitions"]["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["type"],
        "string"
    );
    let patch = &doc["paths"]["/apis/networking.k8s.io/v1/servicecidrs/{name}"]["patch"];
    assert_eq!(patch["parameters"][0]["in"], "body");
    assert!(patch["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "fieldValidation" && p["in"] == "query" && p["type"] == "string"));
    assert!(patch["consumes"]
        .as_array()
        .unwrap()
        .contains(&json!("application/strategic-merge-patch+json")));
    assert_eq!(
        patch["responses"]["200"]["schema"]["$ref"],
        "#/definitions/io.k8s.api.networking.v1.ServiceCIDR"
    );
    // Only the served group-versions.
    let doc = document(&["api/v1"]);
    assert!(doc["definitions"]
        .get("io.k8s.api.networking.v1.ServiceCIDR")
        .is_none());
    assert!(doc["definitions"]
        .get("io.k8s.api.core.v1.Service")
        .is_some());
}

#[test]
fn negotiates_like_kube_openapi() {
    let r = reply(PROTOBUF_ASKED, ALL);
    assert_eq!((r.status, r.content_type), (200, PROTOBUF));
    assert_eq!(
        PROTOBUF,
        "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
    );
    assert_eq!(str_of(&fields(&r.body), 1), ["2.0"]);
    let r = reply("application/json", ALL);
    assert_eq!(r.content_type, "application/json");
    assert!(serde_json::from_slice::<Value>(&r.body).is_ok());
    assert_eq!(reply("", ALL).content_type, "application/json");
    assert_eq!(reply("text/html", ALL).status, 406);
    assert_eq!(
        reply(&format!("text/html, {PROTOBUF}"), ALL).content_type,
        PROTOBUF
    );
}

#[test]
fn odd_schemas_do_not_panic() {
    for s in [
        json!(null),
        json!(3),
        json!({"allOf": 1, "properties": [], "items": "x", "enum": {}, "type": 5}),
        json!({"additionalProperties": true, "maximum": "big", "required": [1, "a"]}),
    ] {
        let v2 = schema(&s);
        let mut m = Pb::default();
        write_schema(&mut m, &v2);
        fields(&m.0);
    }
    encode(&json!({"paths": 1, "definitions": [], "security": {}}));
    operation(&json!({"responses": [], "requestBody": {"content": 1}}));
}
