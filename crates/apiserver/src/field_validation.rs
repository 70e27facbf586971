//! `fieldValidation=Strict|Warn|Ignore`: unknown and duplicate fields, checked
//! against the served OpenAPI schemas (openapi.rs), with upstream's texts.
//!
//! API for the router:
//! - `Directive::from_query(param, "CreateOptions"|"UpdateOptions"|"PatchOptions")`:
//!   absent/empty → Warn (the default since 1.23); an unknown value → 422.
//! - POST/PUT JSON bodies: `check_body(body, directive, url_kind)` → `Ok(warnings)` or
//!   `Err(400 "<Kind> in version \"v1\" cannot be handled as a <Kind>: strict decoding error: …")`.
//! - PATCH (json/merge/strategic): `check_patched(patch_type, body, &current, &patched, directive)`
//!   after `patch::apply` → `Ok(warnings)` or `Err(422 "patch: Invalid value: …")`.
//! - Each warning goes out as a `Warning` header: `warning_header(text)`.
//!
//! The checks are sigs.k8s.io/json's strict mode: case-sensitive field names, paths
//! like `spec.ports[0].foo`, duplicates per object (map keys too), errors in
//! document order, deduplicated, at most 100.

use crate::gofmt::{go_quote, go_v};
use crate::openapi;
use crate::patch::PatchType;
use serde_json::{Map, Value};
use servicecidr_core::model::{ApiError, FieldError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Directive {
    Ignore,
    Warn,
    Strict,
}

impl Directive {
    /// The `fieldValidation` query parameter. `options_kind` names the options
    /// type the apiserver validates it as (its error says so).
    pub fn from_query(param: Option<&str>, options_kind: &str) -> Result<Directive, ApiError> {
        match param.unwrap_or("") {
            "" | "Warn" => Ok(Directive::Warn),
            "Ignore" => Ok(Directive::Ignore),
            "Strict" => Ok(Directive::Strict),
            other => Err(ApiError::invalid(
                options_kind,
                "meta.k8s.io",
                "",
                &[FieldError::not_supported(
                    "fieldValidation",
                    other,
                    &["", "Ignore", "Strict", "Warn"],
                )],
            )),
        }
    }
}

/// `Warning` header value for one warning (RFC 7234 warn-code 299, agent "-").
pub fn warning_header(text: &str) -> String {
    format!("299 - {}", go_quote(text))
}

// ---------------------------------------------------------------- ordered JSON

/// JSON with objects as ordered key lists, duplicates kept (serde_json keeps the last).
#[derive(Debug, Clone)]
enum Node {
    Scalar,
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Option<Node> {
        self.ws();
        self.depth += 1;
        if self.depth > 512 {
            return None;
        }
        let out = match *self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut fields = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let k = self.string()?;
                        self.ws();
                        if self.b.get(self.i) != Some(&b':') {
                            return None;
                        }
                        self.i += 1;
                        let v = self.value()?;
                        fields.push((k, v));
                        self.ws();
                        match self.b.get(self.i)? {
                            b',' => self.i += 1,
                            b'}' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Node::Object(fields)
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        self.ws();
                        match self.b.get(self.i)? {
                            b',' => self.i += 1,
                            b']' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Node::Array(items)
            }
            b'"' => {
                self.string()?;
                Node::Scalar
            }
            _ => {
                // Numbers and literals: serde_json already vouched for the syntax.
                while self.i < self.b.len()
                    && !matches!(
                        self.b[self.i],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.i += 1;
                }
                Node::Scalar
            }
        };
        self.depth -= 1;
        Some(out)
    }

    fn string(&mut self) -> Option<String> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return serde_json::from_slice(&self.b[start..self.i]).ok();
                }
                _ => self.i += 1,
            }
        }
        None
    }
}

fn parse_ordered(body: &[u8]) -> Option<Node> {
    // Only well-formed JSON gets here (the caller's decode vouches for it).
    serde_json::from_slice::<serde::de::IgnoredAny>(body).ok()?;
    Parser {
        b: body,
        i: 0,
        depth: 0,
    }
    .value()
}

fn from_value(v: &Value) -> Node {
    match v {
        Value::Object(m) => {
            Node::Object(m.iter().map(|(k, v)| (k.clone(), from_value(v))).collect())
        }
        Value::Array(a) => Node::Array(a.iter().map(from_value).collect()),
        _ => Node::Scalar,
    }
}

// ---------------------------------------------------------------- the walk

const MAX_ERRORS: usize = 100;

struct Walk<'s> {
    schemas: Option<&'s Map<String, Value>>,
    errors: Vec<String>,
    check_unknown: bool,
}

impl Walk<'_> {
    fn save(&mut self, e: String) {
        if self.errors.len() < MAX_ERRORS && !self.errors.contains(&e) {
            self.errors.push(e);
        }
    }

    fn resolve<'a>(&self, s: Option<&'a Value>) -> Option<&'a Value>
    where
        Self: 'a,
    {
        let s = s?;
        Some(match self.schemas {
            Some(all) => openapi::resolve_ref(all, s),
            None => s,
        })
    }

    fn node(&mut self, n: &Node, schema: Option<&Value>, path: &str) {
        let schema = self.resolve(schema);
        match n {
            Node::Scalar => {}
            Node::Array(items) => {
                let item_schema = schema.and_then(|s| s.get("items"));
                for (i, it) in items.iter().enumerate() {
                    self.node(it, item_schema, &format!("{path}[{i}]"));
                }
            }
            Node::Object(fields) => {
                // An empty `properties` is a type with its own JSON decoding
                // (FieldsV1): free-form, like no schema.
                let props = schema
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .filter(|p| !p.is_empty());
                let additional = schema.and_then(|s| s.get("additionalProperties"));
                let mut seen: Vec<&str> = Vec::new();
                for (k, v) in fields {
                    let child = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    if seen.contains(&k.as_str()) {
                        self.save(format!("duplicate field {}", go_quote(&child)));
                    }
                    seen.push(k);
                    if let Some(props) = props {
                        match props.get(k) {
                            Some(ps) => self.node(v, Some(ps), &child),
                            None => {
                                if self.check_unknown {
                                    self.save(format!("unknown field {}", go_quote(&child)));
                                }
                            }
                        }
                    } else if let Some(a) = additional {
                        self.node(v, Some(a), &child);
                    } else {
                        // Free-form (FieldsV1, RawExtension) or no schema: only duplicates.
                        self.node(v, None, &child);
                    }
                }
            }
        }
    }
}

/// The strict decoding errors of a document for a kind (`unknown field "spec.foo"`,
/// `duplicate field "metadata.name"`), in upstream's order.
pub fn strict_errors(body: &[u8], api_version: &str, kind: &str) -> Vec<String> {
    match parse_ordered(body) {
        Some(n) => strict_errors_of(&n, api_version, kind, true),
        None => Vec::new(),
    }
}

fn strict_errors_of(n: &Node, api_version: &str, kind: &str, check_unknown: bool) -> Vec<String> {
    let schema = openapi::schema_of(api_version, kind);
    let mut w = Walk {
        schemas: openapi::schemas(api_version),
        errors: Vec::new(),
        // Without a schema (a kind not served) only duplicates can be told.
        check_unknown: check_unknown && schema.is_some(),
    };
    w.node(n, schema, "");
    w.errors
}

fn strict_decoding_error(errs: &[String]) -> String {
    format!("strict decoding error: {}", errs.join(", "))
}

/// POST/PUT with a JSON body of kind `body_kind` (apiVersion/kind from the body)
/// sent to a resource of kind `url_kind`.
pub fn check_body(
    body: &[u8],
    directive: Directive,
    url_kind: &str,
) -> Result<Vec<String>, ApiError> {
    if directive == Directive::Ignore {
        return Ok(Vec::new());
    }
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return Ok(Vec::new());
    };
    let api_version = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or(url_kind);
    let errs = strict_errors(body, api_version, kind);
    if errs.is_empty() {
        return Ok(Vec::new());
    }
    match directive {
        Directive::Warn => Ok(errs),
        _ => {
            let version = api_version.rsplit('/').next().unwrap_or("");
            Err(ApiError::bad_request(format!(
                "{kind} in version {version:?} cannot be handled as a {url_kind}: {}",
                strict_decoding_error(&errs)
            )))
        }
    }
}

/// PATCH: strict errors of the patch body itself (duplicates; for JSON patch also
/// unknown operation fields) followed by the patched object's unknown fields.
pub fn check_patched(
    patch_type: PatchType,
    body: &[u8],
    current: &Value,
    patched: &Value,
    directive: Directive,
) -> Result<Vec<String>, ApiError> {
    if directive == Directive::Ignore {
        return Ok(Vec::new());
    }
    let mut errs = Vec::new();
    if let Some(n) = parse_ordered(body) {
        match patch_type {
            PatchType::Json => {
                // Unmarshalled into []jsonPatchOp{op, path, from, value}.
                let mut w = Walk {
                    schemas: None,
                    errors: Vec::new(),
                    check_unknown: true,
                };
                let op_schema = serde_json::json!({"items": {"properties": {
                    "op": {}, "path": {}, "from": {}, "value": {"type": "object"}}}});
                w.node(&n, Some(&op_schema), "");
                errs.extend(w.errors.into_iter().map(|e| format!("json patch {e}")));
            }
            _ => {
                // Unmarshalled into map[string]interface{}: duplicates only.
                let mut w = Walk {
                    schemas: None,
                    errors: Vec::new(),
                    check_unknown: false,
                };
                w.node(&n, None, "");
                errs.extend(w.errors);
            }
        }
    }
    let api_version = patched
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = patched.get("kind").and_then(Value::as_str).unwrap_or("");
    errs.extend(
        strict_errors_of(&from_value(patched), api_version, kind, true)
            .into_iter()
            .filter(|e| e.starts_with("unknown")),
    );
    if errs.is_empty() {
        return Ok(Vec::new());
    }
    if directive == Directive::Warn {
        return Ok(errs);
    }
    // The rejected value: the patched JSON (json/merge) or the patch map as %+v (SMP).
    let value = match patch_type {
        PatchType::StrategicMerge => {
            let p = serde_json::from_slice::<Value>(body).unwrap_or_default();
            match crate::schema::lookup(api_version, kind) {
                Some(k) => go_v(&crate::patch::smp_consumed_patch(current, &p, k)),
                None => go_v(&p),
            }
        }
        _ => crate::gofmt::go_json(patched),
    };
    Err(ApiError::invalid(
        "",
        "",
        "",
        &[FieldError::invalid(
            "patch",
            value,
            strict_decoding_error(&errs),
        )],
    ))
}

#[cfg(test)]
mod tests;
