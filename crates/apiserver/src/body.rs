//! Request bodies: the 3 MiB limit, and decoding by Content-Type (JSON, YAML;
//! protobuf is the `protobuf` module's job once it lands) with the apiserver's
//! decode error texts (handlers/rest.go transformDecodeError).

use serde_json::{Map, Number, Value};
use servicecidr_core::model::ApiError;
use yaml_rust2::{Yaml, YamlLoader};

/// kube-apiserver's --max-request-body-bytes default (3 MiB).
pub const MAX_REQUEST_BODY_BYTES: usize = 3 * 1024 * 1024;

/// The media types a create or update body may have.
pub const BODY_MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/yaml",
    "application/vnd.kubernetes.protobuf",
];

/// limitedReadBody's answer for a body over the limit.
pub fn check_size(body: &[u8]) -> Result<(), ApiError> {
    if body.len() > MAX_REQUEST_BODY_BYTES {
        return Err(ApiError::new(
            413,
            "RequestEntityTooLarge",
            format!("Request entity too large: limit is {MAX_REQUEST_BODY_BYTES}"),
        ));
    }
    Ok(())
}

/// errors.NewUnsupportedMediaTypeError.
pub fn unsupported_media_type(accepted: &[&str]) -> ApiError {
    ApiError::new(
        415,
        "UnsupportedMediaType",
        format!(
            "the body of the request was in an unknown format - accepted media types include: {}",
            accepted.join(", ")
        ),
    )
}

/// handlers' summarizeData: the start of the body for a decode error.
fn summarize(data: &[u8], max: usize) -> String {
    if data.is_empty() {
        return "<empty>".into();
    }
    let cut = &data[..data.len().min(max)];
    let more = if data.len() > max { " ..." } else { "" };
    if data[0] == b'{' {
        format!("{}{more}", String::from_utf8_lossy(cut))
    } else {
        let hex: String = cut.iter().map(|b| format!("{b:02x}")).collect();
        format!("{hex}{more}")
    }
}

/// A body that is not an object of any kind: transformDecodeError without a kind.
fn unrecognized(kind: &str, err: &str, body: &[u8]) -> ApiError {
    ApiError::bad_request(format!(
        "the object provided is unrecognized (must be of type {kind}): {err} ({})",
        summarize(body, 30)
    ))
}

/// encoding/json's texts for the syntax errors serde_json reports.
fn go_json_error(e: &serde_json::Error, body: &[u8]) -> String {
    if e.is_eof() {
        return "unexpected end of JSON input".into();
    }
    // serde_json counts lines and columns from 1; find the byte it stopped at.
    let mut line = 1;
    let mut col = 0;
    let mut at = None;
    for b in body {
        if *b == b'\n' {
            line += 1;
            col = 0;
            continue;
        }
        col += 1;
        if line == e.line() && col == e.column() {
            at = Some(*b);
            break;
        }
    }
    match at {
        Some(c) if c.is_ascii_graphic() => {
            format!(
                "invalid character '{}' looking for beginning of value",
                c as char
            )
        }
        _ => e.to_string(),
    }
}

/// Decodes a create/update body into JSON. `kind` is the endpoint's kind
/// (for the error text).
pub fn decode(content_type: &str, body: &[u8], kind: &str) -> Result<Value, ApiError> {
    check_size(body)?;
    let value = match content_type {
        "application/json" => serde_json::from_slice::<Value>(body).map_err(|e| {
            unrecognized(
                kind,
                &format!(
                    "couldn't get version/kind; json parse error: {}",
                    go_json_error(&e, body)
                ),
                body,
            )
        })?,
        "application/yaml" => yaml_to_json(body).map_err(|e| {
            unrecognized(
                kind,
                &format!("couldn't get version/kind; json parse error: {e}"),
                body,
            )
        })?,
        _ => return Err(unsupported_media_type(BODY_MEDIA_TYPES)),
    };
    if !value.is_object() {
        let what = match &value {
            Value::Array(_) => "array",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            _ => "null",
        };
        if value.is_null() {
            return Ok(Value::Object(Map::new()));
        }
        return Err(unrecognized(
            kind,
            &format!("couldn't get version/kind; json parse error: json: cannot unmarshal {what} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}"),
            body,
        ));
    }
    Ok(value)
}

/// sigs.k8s.io/yaml's YAMLToJSON for one document: mappings with scalar keys,
/// sequences, and YAML 1.1 scalars (yaml-rust2 resolves the core schema).
pub fn yaml_to_json(body: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("yaml: invalid UTF-8: {e}"))?;
    check_yaml_shape(text)?;
    let docs = YamlLoader::load_from_str(text).map_err(|e| format!("yaml: {e}"))?;
    match docs.into_iter().next() {
        None => Ok(Value::Null),
        Some(doc) => convert(doc, 0),
    }
}

/// Nesting and alias expansion are bounded before a tree is built (a deep or
/// alias-bombed body must not exhaust the stack or memory of a wasm module).
const MAX_YAML_DEPTH: usize = 100;
const MAX_YAML_NODES: usize = 1_000_000;

fn check_yaml_shape(text: &str) -> Result<(), String> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    // Per open collection: (nodes counted when it opened, its anchor id).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut sizes: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut nodes = 0usize;
    loop {
        let (ev, _) = parser.next_token().map_err(|e| format!("yaml: {e}"))?;
        match ev {
            Event::StreamEnd => return Ok(()),
            Event::Scalar(_, _, anchor, _) => {
                nodes += 1;
                if anchor > 0 {
                    sizes.insert(anchor, 1);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                nodes += 1;
                open.push((nodes, anchor));
                if open.len() > MAX_YAML_DEPTH {
                    return Err("yaml: exceeded max depth".into());
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((start, anchor)) = open.pop() {
                    if anchor > 0 {
                        sizes.insert(anchor, nodes - start + 1);
                    }
                }
            }
            Event::Alias(id) => {
                nodes = nodes.saturating_add(sizes.get(&id).copied().unwrap_or(1));
            }
            _ => {}
        }
        if nodes > MAX_YAML_NODES {
            return Err("yaml: document contains excessive aliasing".into());
        }
    }
}

fn convert(y: Yaml, depth: usize) -> Result<Value, String> {
    if depth > 100 {
        return Err("yaml: exceeded max depth".into());
    }
    Ok(match y {
        Yaml::Null | Yaml::BadValue => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(s) => {
            let f: f64 = s
                .parse()
                .map_err(|_| format!("yaml: cannot convert {s:?} to a number"))?;
            Number::from_f64(f)
                .map(Value::Number)
                .ok_or_else(|| format!("json: unsupported value: {s}"))?
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Array(a) => Value::Array(
            a.into_iter()
                .map(|x| convert(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Hash(h) => {
            let mut m = Map::new();
            for (k, v) in h {
                let key = match k {
                    Yaml::String(s) => s,
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    Yaml::Real(s) => s,
                    Yaml::Null => "null".into(),
                    _ => return Err("yaml: unsupported map key".into()),
                };
                m.insert(key, convert(v, depth + 1)?);
            }
            Value::Object(m)
        }
        Yaml::Alias(_) => return Err("yaml: unknown anchor".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_follow_upstream() {
        assert_eq!(summarize(b"", 30), "<empty>");
        assert_eq!(summarize(b"{\"a\":1}", 30), "{\"a\":1}");
        assert_eq!(summarize(b"xy", 30), "7879");
        assert_eq!(
            summarize(&[b'{'; 40], 30),
            format!("{} ...", "{".repeat(30))
        );
    }

    #[test]
    fn malformed_json_gets_the_decoders_text() {
        let e = decode("application/json", b"{", "ServiceCIDR").unwrap_err();
        assert_eq!(e.code, 400);
        assert_eq!(
            e.message,
            "the object provided is unrecognized (must be of type ServiceCIDR): couldn't get version/kind; json parse error: unexpected end of JSON input ({)"
        );
        let e = decode("application/json", b"x", "Service").unwrap_err();
        assert_eq!(
            e.message,
            "the object provided is unrecognized (must be of type Service): couldn't get version/kind; json parse error: invalid character 'x' looking for beginning of value (78)"
        );
    }

    #[test]
    fn yaml_bodies_decode_to_json() {
        let v = decode(
            "application/yaml",
            b"apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: a\nspec:\n  cidrs: [10.0.0.0/24]\n  n: 3\n  f: 1.5\n  t: true\n",
            "ServiceCIDR",
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                "metadata": {"name": "a"}, "spec": {"cidrs": ["10.0.0.0/24"], "n": 3, "f": 1.5, "t": true}})
        );
        assert_eq!(
            decode("application/yaml", b"a: [", "X").unwrap_err().code,
            400
        );
    }

    #[test]
    fn size_and_media_type_limits() {
        let big = vec![b' '; MAX_REQUEST_BODY_BYTES + 1];
        let e = decode("application/json", &big, "Service").unwrap_err();
        assert_eq!((e.code, e.reason.as_str()), (413, "RequestEntityTooLarge"));
        assert_eq!(e.message, "Request entity too large: limit is 3145728");
        let e = decode("text/plain", b"{}", "Service").unwrap_err();
        assert_eq!(e.code, 415);
        assert_eq!(
            e.message,
            "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"
        );
    }
}
