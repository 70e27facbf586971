//! PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic
//! merge patch, applied as kube-apiserver 1.33 applies them (evanphx/json-patch v4
//! semantics and apimachinery's strategicpatch), with its error codes and texts.
//!
//! API for the router:
//! - `PatchType::from_content_type(header)`; `None` or a type the kind does not
//!   accept (`accepts(kind_schema, t)`) → `unsupported_media_type(kind_schema)` (415).
//! - `apply(patch_type, schema::lookup(apiVersion, kind), &current_object, body)`
//!   → `Ok(patched object)` or `Err(ApiError)` (400/413/422/500 as upstream).
//!   Server-side apply (`PatchType::Apply`) is `managed_fields::apply`, not here.
//! - The patched object then goes through `field_validation::validate_patched`
//!   (unknown fields), defaulting and validation like an update.
//!
//! A failed patch returns an error and leaves the input untouched.

use crate::gofmt::{go_type, go_v};
use crate::schema::KindSchema;
use serde_json::{Map, Value};
use servicecidr_core::model::ApiError;

/// The content types of PATCH.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Json,
    Merge,
    StrategicMerge,
    Apply,
}

impl PatchType {
    /// From a Content-Type header (parameters after `;` are ignored, as upstream).
    pub fn from_content_type(content_type: &str) -> Option<PatchType> {
        let base = content_type.split(';').next().unwrap_or("").trim();
        match base {
            "application/json-patch+json" => Some(PatchType::Json),
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/strategic-merge-patch+json" => Some(PatchType::StrategicMerge),
            "application/apply-patch+yaml" => Some(PatchType::Apply),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            PatchType::Json => "application/json-patch+json",
            PatchType::Merge => "application/merge-patch+json",
            PatchType::StrategicMerge => "application/strategic-merge-patch+json",
            PatchType::Apply => "application/apply-patch+yaml",
        }
    }
}

/// The patch types a resource accepts: built-in kinds all four (installer.go's
/// order); kinds without Go types (CRD-like content) no strategic merge patch.
pub fn accepted(kind: Option<&KindSchema>) -> &'static [PatchType] {
    match kind {
        Some(_) => &[
            PatchType::Json,
            PatchType::Merge,
            PatchType::StrategicMerge,
            PatchType::Apply,
        ],
        None => &[PatchType::Json, PatchType::Merge, PatchType::Apply],
    }
}

pub fn accepts(kind: Option<&KindSchema>, t: PatchType) -> bool {
    accepted(kind).contains(&t)
}

/// 415 for a Content-Type the resource does not take (negotiation.NewUnsupportedMediaTypeError).
pub fn unsupported_media_type(kind: Option<&KindSchema>) -> ApiError {
    let list: Vec<&str> = accepted(kind).iter().map(|t| t.content_type()).collect();
    ApiError::new(
        415,
        "UnsupportedMediaType",
        format!(
            "the body of the request was in an unknown format - accepted media types include: {}",
            list.join(", ")
        ),
    )
}

/// handlers/patch.go maxJSONPatchOperations.
pub const MAX_JSON_PATCH_OPERATIONS: usize = 10000;

/// Apply a JSON, merge or strategic merge patch to `current`.
pub fn apply(
    patch_type: PatchType,
    kind: Option<&KindSchema>,
    current: &Value,
    body: &[u8],
) -> Result<Value, ApiError> {
    if !accepts(kind, patch_type) || patch_type == PatchType::Apply {
        return Err(unsupported_media_type(kind));
    }
    // validateAndTranscodePatch: every non-apply body must be valid JSON first.
    let patch: Value =
        serde_json::from_slice(body).map_err(|_| ApiError::bad_request("invalid JSON patch"))?;
    match patch_type {
        PatchType::Json => json_patch(current, &patch),
        PatchType::Merge => merge_patch(current, &patch),
        PatchType::StrategicMerge => match kind {
            Some(k) => strategic_merge_patch(current, &patch, k),
            None => Err(unsupported_media_type(None)),
        },
        PatchType::Apply => Err(unsupported_media_type(kind)),
    }
}

// ---------------------------------------------------------------- errors

/// NewGenericServerResponse(422, …): the json-patch library's text is dropped and
/// clients see only this generic message.
fn unprocessable() -> ApiError {
    let mut e = ApiError::new(
        422,
        "Invalid",
        "the server rejected our request due to an error in our request",
    );
    e.details = Some(Value::Object(Map::new()));
    e
}

/// A non-Status error reaching the handler: 500 with the error text and no reason
/// (responsewriters.ErrorToAPIStatus).
fn internal(msg: String) -> ApiError {
    ApiError::new(500, "", msg)
}

/// What the patched document decodes into when it is not an object (runtime.Decode
/// of a non-object fails before any field is looked at).
fn not_an_object(patched: &Value) -> ApiError {
    let what = match patched {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
        Value::Object(_) => "object",
    };
    let text = serde_json::to_string(patched).unwrap_or_default();
    let detail = format!(
        "couldn't get version/kind; json parse error: json: cannot unmarshal {what} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}"
    );
    let fe = servicecidr_core::model::FieldError::invalid("patch", Value::String(text), detail);
    ApiError::invalid("", "", "", &[fe])
}

// ---------------------------------------------------------------- merge patch

/// `application/merge-patch+json` with evanphx/json-patch v4's MergePatch.
pub fn merge_patch(current: &Value, patch: &Value) -> Result<Value, ApiError> {
    match patch {
        Value::Object(p) => {
            let mut doc = match current {
                Value::Object(m) => m.clone(),
                // The stored object is always an object; be total anyway.
                _ => Map::new(),
            };
            merge_docs(&mut doc, p);
            Ok(Value::Object(doc))
        }
        Value::Array(_) => {
            let mut a = patch.clone();
            prune_nulls(&mut a);
            Err(not_an_object(&a))
        }
        // `null` and scalars: ErrBadJSONPatch.
        _ => Err(ApiError::bad_request("Invalid JSON Patch")),
    }
}

fn merge_docs(doc: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (k, v) in patch {
        if v.is_null() {
            doc.remove(k);
            continue;
        }
        match doc.get_mut(k) {
            Some(cur) if !cur.is_null() => {
                let merged = merge_value(cur, v);
                *cur = merged;
            }
            _ => {
                let mut v = v.clone();
                prune_nulls(&mut v);
                doc.insert(k.clone(), v);
            }
        }
    }
}

fn merge_value(cur: &mut Value, patch: &Value) -> Value {
    let Value::Object(cur_doc) = cur else {
        let mut p = patch.clone();
        prune_nulls(&mut p);
        return p;
    };
    let Value::Object(patch_doc) = patch else {
        return patch.clone();
    };
    let mut out = std::mem::take(cur_doc);
    merge_docs(&mut out, patch_doc);
    Value::Object(out)
}

/// pruneNulls: drop null members of objects, recursively; arrays keep their nulls.
fn prune_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            for x in m.values_mut() {
                prune_nulls(x);
            }
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                prune_nulls(x);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- JSON patch

/// `application/json-patch+json`: decode errors are 400 with encoding/json's text,
/// more than 10000 operations 413, failures while applying 422.
pub fn json_patch(current: &Value, patch: &Value) -> Result<Value, ApiError> {
    let ops = decode_json_patch(patch).map_err(ApiError::bad_request)?;
    if ops.len() > MAX_JSON_PATCH_OPERATIONS {
        return Err(ApiError::new(
            413,
            "RequestEntityTooLarge",
            format!(
                "Request entity too large: The allowed maximum operations in a JSON patch is {}, got {}",
                MAX_JSON_PATCH_OPERATIONS,
                ops.len()
            ),
        ));
    }
    let mut doc = current.clone();
    for op in &ops {
        apply_op(&mut doc, op).map_err(|_| unprocessable())?;
    }
    if !doc.is_object() {
        return Err(not_an_object(&doc));
    }
    Ok(doc)
}

/// The json-patch library's error text for a patch failing on `current`
/// (upstream logs it; the client sees the generic 422).
pub fn json_patch_error_text(current: &Value, patch: &Value) -> Option<String> {
    let ops = match decode_json_patch(patch) {
        Ok(o) => o,
        Err(e) => return Some(e),
    };
    let mut doc = current.clone();
    for op in &ops {
        if let Err(e) = apply_op(&mut doc, op) {
            return Some(e);
        }
    }
    None
}

/// jsonpatch.DecodePatch: a JSON array of objects (`null` is an empty patch).
fn decode_json_patch(patch: &Value) -> Result<Vec<Option<Map<String, Value>>>, String> {
    match patch {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|it| match it {
                Value::Object(m) => Ok(Some(m.clone())),
                Value::Null => Ok(None),
                other => Err(format!(
                    "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                    json_kind(other)
                )),
            })
            .collect(),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
            json_kind(other)
        )),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
    }
}

const ERR_MISSING: &str = "missing value";
const ERR_INVALID_INDEX: &str = "invalid index referenced";
const ERR_TEST_FAILED: &str = "test failed";

/// Operation.Path()/From(): absent (or null) → missing; not a string → decode error.
fn op_str(op: &Map<String, Value>, field: &str) -> Result<String, String> {
    match op.get(field) {
        None | Some(Value::Null) => Err(if field == "path" {
            format!("operation missing path field: {ERR_MISSING}")
        } else {
            format!("operation, missing from field: {ERR_MISSING}")
        }),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!(
            "json: cannot unmarshal {} into Go value of type string",
            json_kind(other)
        )),
    }
}

/// The op's value; JSON null and an absent value are both Go's nil node.
fn op_value(op: &Map<String, Value>) -> Value {
    op.get("value").cloned().unwrap_or(Value::Null)
}

fn decode_key(k: &str) -> String {
    k.replace("~1", "/").replace("~0", "~")
}

/// strconv.Atoi.
fn atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            crate::gofmt::go_quote(s)
        ));
    }
    s.parse::<i64>().map_err(|_| {
        format!(
            "strconv.Atoi: parsing {}: value out of range",
            crate::gofmt::go_quote(s)
        )
    })
}

/// findObject: the container holding the last segment, and that segment decoded.
fn find_object<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let split: Vec<&str> = path.split('/').collect();
    if split.len() < 2 {
        return None;
    }
    let key = decode_key(split[split.len() - 1]);
    let mut cur = doc;
    for part in &split[1..split.len() - 1] {
        let part = decode_key(part);
        let next = match cur {
            Value::Object(m) => m.get_mut(&part)?,
            Value::Array(a) => {
                let i = array_get_index(a.len(), &part).ok()?;
                &mut a[i]
            }
            _ => return None,
        };
        if !(next.is_object() || next.is_array()) {
            return None;
        }
        cur = next;
    }
    Some((cur, key))
}

fn invalid_index(idx: i64) -> String {
    format!("Unable to access invalid index: {idx}: {ERR_INVALID_INDEX}")
}

/// partialArray.get's index rules (negative indices count from the end).
fn array_get_index(len: usize, key: &str) -> Result<usize, String> {
    let mut idx = atoi(key)?;
    let n = len as i64;
    if idx < 0 {
        if idx < -n {
            return Err(invalid_index(idx));
        }
        idx += n;
    }
    if idx >= n {
        return Err(invalid_index(idx));
    }
    Ok(idx as usize)
}

/// container.get: objects answer nil (None) for a missing key, arrays fail.
fn con_get(con: &Value, key: &str) -> Result<Option<Value>, String> {
    match con {
        Value::Object(m) => Ok(m.get(key).filter(|v| !v.is_null()).cloned()),
        Value::Array(a) => {
            let i = array_get_index(a.len(), key)?;
            Ok(Some(a[i].clone()).filter(|v| !v.is_null()))
        }
        _ => Err(ERR_MISSING.to_string()),
    }
}

fn con_add(con: &mut Value, key: &str, val: Value) -> Result<(), String> {
    match con {
        Value::Object(m) => {
            m.insert(key.to_string(), val);
            Ok(())
        }
        Value::Array(a) => {
            if key == "-" {
                a.push(val);
                return Ok(());
            }
            let idx = atoi(key)
                .map_err(|e| format!("value was not a proper array index: '{key}': {e}"))?;
            let sz = a.len() as i64 + 1;
            if idx >= sz {
                return Err(invalid_index(idx));
            }
            let mut i = idx;
            if i < 0 {
                if i < -sz {
                    return Err(invalid_index(idx));
                }
                i += sz;
            }
            a.insert(i as usize, val);
            Ok(())
        }
        _ => Err(ERR_MISSING.to_string()),
    }
}

fn con_remove(con: &mut Value, key: &str) -> Result<(), String> {
    match con {
        Value::Object(m) => match m.remove(key) {
            Some(_) => Ok(()),
            None => Err(format!(
                "Unable to remove nonexistent key: {key}: {ERR_MISSING}"
            )),
        },
        Value::Array(a) => {
            let mut idx = atoi(key)?;
            let n = a.len() as i64;
            if idx >= n {
                return Err(invalid_index(idx));
            }
            if idx < 0 {
                if idx < -n {
                    return Err(invalid_index(idx));
                }
                idx += n;
            }
            a.remove(idx as usize);
            Ok(())
        }
        _ => Err(ERR_MISSING.to_string()),
    }
}

fn con_set(con: &mut Value, key: &str, val: Value) -> Result<(), String> {
    match con {
        Value::Object(m) => {
            m.insert(key.to_string(), val);
            Ok(())
        }
        Value::Array(a) => {
            let i = array_get_index(a.len(), key)?;
            a[i] = val;
            Ok(())
        }
        _ => Err(ERR_MISSING.to_string()),
    }
}

/// lazyNode.equal: structural equality with numbers compared as float64 and
/// null members equal to absent ones.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => {
            let xs: Vec<_> = x.iter().filter(|(_, v)| !v.is_null()).collect();
            let ys: Vec<_> = y.iter().filter(|(_, v)| !v.is_null()).collect();
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(k, v)| y.get(*k).is_some_and(|w| json_equal(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| json_equal(v, w))
        }
        _ => a == b,
    }
}

fn apply_op(doc: &mut Value, op: &Option<Map<String, Value>>) -> Result<(), String> {
    let Some(op) = op else {
        return Err("Unexpected kind: unknown".into());
    };
    let kind = match op.get("op") {
        Some(Value::String(s)) => s.as_str(),
        _ => "unknown",
    };
    match kind {
        "add" => {
            let path = op_str(op, "path")
                .map_err(|_| format!("add operation failed to decode path: {ERR_MISSING}"))?;
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "add operation does not apply: doc is missing path: \"{path}\": {ERR_MISSING}"
                ));
            };
            con_add(con, &key, op_value(op))
                .map_err(|e| format!("error in add for path: '{path}': {e}"))
        }
        "remove" => {
            let path = op_str(op, "path")
                .map_err(|_| format!("remove operation failed to decode path: {ERR_MISSING}"))?;
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "remove operation does not apply: doc is missing path: \"{path}\": {ERR_MISSING}"
                ));
            };
            con_remove(con, &key).map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "replace" => {
            let path = op_str(op, "path")
                .map_err(|e| format!("replace operation failed to decode path: {e}"))?;
            if path.is_empty() {
                let v = op_value(op);
                if !(v.is_object() || v.is_array()) {
                    return Err(
                        "replace operation value must be object or array: %!w(<nil>)".into(),
                    );
                }
                *doc = v;
                return Ok(());
            }
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "replace operation does not apply: doc is missing path: {path}: {ERR_MISSING}"
                ));
            };
            if con_get(con, &key).is_err() {
                return Err(format!(
                    "replace operation does not apply: doc is missing key: {path}: {ERR_MISSING}"
                ));
            }
            con_set(con, &key, op_value(op))
                .map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "move" => {
            let from = op_str(op, "from")
                .map_err(|e| format!("move operation failed to decode from: {e}"))?;
            let val = {
                let Some((con, key)) = find_object(doc, &from) else {
                    return Err(format!(
                        "move operation does not apply: doc is missing from path: {from}: {ERR_MISSING}"
                    ));
                };
                let val = con_get(con, &key)
                    .map_err(|e| format!("error in move for path: '{key}': {e}"))?;
                con_remove(con, &key)
                    .map_err(|e| format!("error in move for path: '{key}': {e}"))?;
                val
            };
            let path = op_str(op, "path")
                .map_err(|e| format!("move operation failed to decode path: {e}"))?;
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "move operation does not apply: doc is missing destination path: {path}: {ERR_MISSING}"
                ));
            };
            con_add(con, &key, val.unwrap_or(Value::Null))
                .map_err(|e| format!("error in move for path: '{path}': {e}"))
        }
        "test" => {
            let path = op_str(op, "path")
                .map_err(|e| format!("test operation failed to decode path: {e}"))?;
            let failed = || format!("testing value {path} failed: {ERR_TEST_FAILED}");
            let want = op_value(op);
            if path.is_empty() {
                return if json_equal(doc, &want) {
                    Ok(())
                } else {
                    Err(failed())
                };
            }
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "test operation does not apply: is missing path: {path}: {ERR_MISSING}"
                ));
            };
            let got =
                con_get(con, &key).map_err(|e| format!("error in test for path: '{path}': {e}"))?;
            match got {
                None if want.is_null() => Ok(()),
                Some(g) if !want.is_null() && json_equal(&g, &want) => Ok(()),
                _ => Err(failed()),
            }
        }
        "copy" => {
            let from = op_str(op, "from")
                .map_err(|e| format!("copy operation failed to decode from: {e}"))?;
            let val = {
                let Some((con, key)) = find_object(doc, &from) else {
                    return Err(format!(
                        "copy operation does not apply: doc is missing from path: {from}: {ERR_MISSING}"
                    ));
                };
                con_get(con, &key).map_err(|e| format!("error in copy for from: '{from}': {e}"))?
            };
            let path = op_str(op, "path")
                .map_err(|_| format!("copy operation failed to decode path: {ERR_MISSING}"))?;
            let Some((con, key)) = find_object(doc, &path) else {
                return Err(format!(
                    "copy operation does not apply: doc is missing destination path: {path}: {ERR_MISSING}"
                ));
            };
            con_add(con, &key, val.unwrap_or(Value::Null))
                .map_err(|e| format!("error while adding value during copy: {e}"))
        }
        other => Err(format!("Unexpected kind: {other}")),
    }
}

// ---------------------------------------------------------------- strategic merge patch

const DIRECTIVE_MARKER: &str = "$patch";
const DELETE_DIRECTIVE: &str = "delete";
const REPLACE_DIRECTIVE: &str = "replace";
const MERGE_DIRECTIVE: &str = "merge";
const RETAIN_KEYS_STRATEGY: &str = "retainKeys";
const RETAIN_KEYS_DIRECTIVE: &str = "$retainKeys";
const DELETE_FROM_PRIMITIVE_LIST_PREFIX: &str = "$deleteFromPrimitiveList";
const SET_ELEMENT_ORDER_PREFIX: &str = "$setElementOrder";

/// Errors of strategicpatch, by how the apiserver answers them
/// (interpretStrategicMergePatchError).
#[derive(Debug, Clone, PartialEq)]
pub enum SmpError {
    /// mergepatch.ErrBadJSONDoc, ErrBadPatchFormatFor*, ErrUnsupportedStrategicMergePatchFormat → 400.
    BadRequest(&'static str),
    /// ErrNoListOfLists, ErrPatchContentNotMatchRetainKeys → 422 (generic message).
    Unprocessable(&'static str),
    /// Anything else reaches the handler as a plain error → 500.
    Other(String),
}

impl SmpError {
    pub fn text(&self) -> String {
        match self {
            SmpError::BadRequest(s) | SmpError::Unprocessable(s) => s.to_string(),
            SmpError::Other(s) => s.clone(),
        }
    }

    pub fn into_api_error(self) -> ApiError {
        match self {
            SmpError::BadRequest(s) => ApiError::bad_request(s),
            SmpError::Unprocessable(_) => unprocessable(),
            SmpError::Other(s) => internal(s),
        }
    }
}

const ERR_BAD_PATCH_FORMAT_PRIMITIVE_LIST: &str = "invalid patch format of primitive list";
const ERR_BAD_PATCH_FORMAT_RETAIN_KEYS: &str = "invalid patch format of retainKeys";
const ERR_BAD_PATCH_FORMAT_SET_ELEMENT_ORDER: &str = "invalid patch format of setElementOrder list";
const ERR_NO_LIST_OF_LISTS: &str = "lists of lists are not supported";

fn err_no_merge_key(m: &Map<String, Value>, k: &str) -> SmpError {
    SmpError::Other(format!(
        "map: {} does not contain declared merge key: {k}",
        go_v(&Value::Object(m.clone()))
    ))
}

fn err_bad_arg_type(expected: &str, actual: &Value) -> SmpError {
    SmpError::Other(format!(
        "expected a {expected}, but received a {}",
        go_type(actual)
    ))
}

/// `%s` of a directive value as Go prints it.
fn go_s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "%!s(<nil>)".into(),
        other => format!("%!s({}={})", go_type(other), go_v(other)),
    }
}

fn err_bad_patch_type(t: &Value, m: &Map<String, Value>) -> SmpError {
    SmpError::Other(format!(
        "unknown patch type: {} in map: {}",
        go_s(t),
        go_v(&Value::Object(m.clone()))
    ))
}

/// `application/strategic-merge-patch+json` on a built-in kind.
pub fn strategic_merge_patch(
    current: &Value,
    patch: &Value,
    kind: &KindSchema,
) -> Result<Value, ApiError> {
    let Value::Object(patch) = patch else {
        // kjson.Unmarshal into map[string]interface{} fails.
        return Err(ApiError::bad_request(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(patch)
        )));
    };
    let original = match current {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    strategic_merge_map(original, patch.clone(), kind)
        .map(Value::Object)
        .map_err(SmpError::into_api_error)
}

/// The patch map as strategicpatch leaves it after merging into `current`: Go
/// mutates it in place (directives consumed, ordered lists taken, nulls and
/// directive values dropped from added content). patch.go prints this map (`%+v`)
/// in its strict-decoding error.
pub fn smp_consumed_patch(current: &Value, patch: &Value, kind: &KindSchema) -> Value {
    let (Value::Object(o), Value::Object(p)) = (current, patch) else {
        return patch.clone();
    };
    let mut p = p.clone();
    consume_map(o, &mut p, kind, "");
    Value::Object(p)
}

fn consume_map(
    original: &Map<String, Value>,
    patch: &mut Map<String, Value>,
    kind: &KindSchema,
    path: &str,
) {
    if let Some(d) = patch.get(DIRECTIVE_MARKER) {
        if d.as_str() == Some(REPLACE_DIRECTIVE) {
            patch.remove(DIRECTIVE_MARKER);
        }
        return;
    }
    patch.remove(RETAIN_KEYS_DIRECTIVE);
    let orders: Vec<String> = patch
        .keys()
        .filter(|k| k.starts_with(SET_ELEMENT_ORDER_PREFIX))
        .cloned()
        .collect();
    for k in orders {
        patch.remove(&k);
        if let Ok(list_key) = extract_key(&k, SET_ELEMENT_ORDER_PREFIX) {
            if original.contains_key(&list_key) || patch.contains_key(&list_key) {
                patch.remove(&list_key);
            }
        }
    }
    let keys: Vec<String> = patch.keys().cloned().collect();
    for k in keys {
        if k.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX) {
            continue;
        }
        let Some(pv) = patch.get_mut(&k) else {
            continue;
        };
        if pv.is_null() {
            continue;
        }
        match original.get(&k) {
            Some(ov) if go_type(ov) == go_type(pv) => {
                let sub = child(path, &k);
                match (ov, pv) {
                    (Value::Object(om), Value::Object(pm)) => {
                        let strategy =
                            other_strategy(&kind.patch_strategies(&sub)).unwrap_or_default();
                        if strategy != REPLACE_DIRECTIVE {
                            consume_map(om, pm, kind, &sub);
                        }
                    }
                    (Value::Array(oa), Value::Array(pa)) => {
                        let strategy =
                            other_strategy(&kind.patch_strategies(&sub)).unwrap_or_default();
                        let key = kind.patch_merge_key(&sub);
                        if strategy == MERGE_DIRECTIVE && !key.is_empty() {
                            for item in pa.iter_mut() {
                                let Value::Object(pm) = item else { continue };
                                if pm.contains_key(DIRECTIVE_MARKER) {
                                    continue;
                                }
                                let Some(mv) = pm.get(key).cloned() else {
                                    continue;
                                };
                                if let Some(Value::Object(om)) =
                                    oa.iter().find(|x| x.get(key) == Some(&mv))
                                {
                                    consume_map(om, pm, kind, &sub);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {
                discard_null_values(pv);
                strip_directive_values(pv);
            }
        }
    }
}

/// removeDirectives' in-place part: keys whose value is a directive map go.
fn strip_directive_values(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !contains_directive_marker(x));
            for x in m.values_mut() {
                strip_directive_values(x);
            }
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                strip_directive_values(x);
            }
        }
        _ => {}
    }
}

/// StrategicMergeMapPatch with the server's options (merge parallel lists, ignore
/// unmatched nulls).
pub fn strategic_merge_map(
    original: Map<String, Value>,
    patch: Map<String, Value>,
    kind: &KindSchema,
) -> Result<Map<String, Value>, SmpError> {
    Smp { kind }.merge_map(original, patch, "")
}

struct Smp<'a> {
    kind: &'a KindSchema,
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// extractRetainKeysPatchStrategy: the non-retainKeys strategy.
fn other_strategy(strategies: &[&str]) -> Result<String, SmpError> {
    match strategies {
        [] => Ok(String::new()),
        [s] if *s == RETAIN_KEYS_STRATEGY => Ok(String::new()),
        [s] => Ok(s.to_string()),
        [a, b] if *a == RETAIN_KEYS_STRATEGY => Ok(b.to_string()),
        [a, b] if *b == RETAIN_KEYS_STRATEGY => Ok(a.to_string()),
        _ => Err(SmpError::Other(format!(
            "unexpected patch strategy: [{}]",
            strategies.join(" ")
        ))),
    }
}

/// Elements' kind for ordering: maps are compared by merge key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ElemKind {
    Map,
    Other,
}

impl Smp<'_> {
    fn strategy(&self, path: &str) -> Result<String, SmpError> {
        other_strategy(&self.kind.patch_strategies(path))
    }

    fn merge_map(
        &self,
        mut original: Map<String, Value>,
        mut patch: Map<String, Value>,
        path: &str,
    ) -> Result<Map<String, Value>, SmpError> {
        if let Some(v) = patch.get(DIRECTIVE_MARKER).cloned() {
            return handle_directive_in_merge_map(&v, patch);
        }
        apply_retain_keys_directive(&mut original, &mut patch)?;
        self.merge_patch_into_original(&mut original, &mut patch, path)?;

        for (k, patch_v) in patch {
            let mut key = k.clone();
            let mut is_delete_list = false;
            if k.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX) {
                key = extract_key(&k, DELETE_FROM_PRIMITIVE_LIST_PREFIX)?;
                is_delete_list = true;
            }
            if patch_v.is_null() {
                original.remove(&key);
                continue;
            }
            let Some(orig_v) = original.get(&key) else {
                if !is_delete_list {
                    let mut v = patch_v;
                    discard_null_values(&mut v);
                    match remove_directives(v) {
                        Some(v) => {
                            original.insert(key, v);
                        }
                        None => {
                            original.remove(&key);
                        }
                    }
                }
                continue;
            };
            if go_type(orig_v) != go_type(&patch_v) {
                if !is_delete_list {
                    let mut v = patch_v;
                    discard_null_values(&mut v);
                    match remove_directives(v) {
                        Some(v) => {
                            original.insert(key, v);
                        }
                        None => {
                            original.remove(&key);
                        }
                    }
                }
                continue;
            }
            let sub = child(path, &key);
            let merged = match (original.remove(&key), patch_v) {
                (Some(Value::Object(o)), Value::Object(p)) => {
                    let strategy = self.strategy(&sub)?;
                    if strategy != REPLACE_DIRECTIVE {
                        Some(Value::Object(self.merge_map(o, p, &sub)?))
                    } else {
                        Some(Value::Object(p))
                    }
                }
                (Some(Value::Array(o)), Value::Array(p)) => {
                    let strategy = self.strategy(&sub)?;
                    if strategy == MERGE_DIRECTIVE || is_delete_list {
                        let key_name = self.kind.patch_merge_key(&sub);
                        Some(Value::Array(
                            self.merge_slice(o, p, &sub, key_name, is_delete_list)?.0,
                        ))
                    } else {
                        Some(Value::Array(p))
                    }
                }
                (_, p) => remove_directives(p),
            };
            if let Some(m) = merged {
                original.insert(key, m);
            }
        }
        Ok(original)
    }

    /// mergePatchIntoOriginal: the `$setElementOrder/<list>` directives.
    fn merge_patch_into_original(
        &self,
        original: &mut Map<String, Value>,
        patch: &mut Map<String, Value>,
        path: &str,
    ) -> Result<(), SmpError> {
        let keys: Vec<String> = patch
            .keys()
            .filter(|k| k.starts_with(SET_ELEMENT_ORDER_PREFIX))
            .cloned()
            .collect();
        for key in keys {
            let Some(set_order) = patch.remove(&key) else {
                continue;
            };
            let Value::Array(set_order) = set_order else {
                return Err(err_bad_arg_type("[]interface {}", &set_order));
            };
            let original_key = extract_key(&key, SET_ELEMENT_ORDER_PREFIX)?;
            let original_list = original.get(&original_key).cloned();
            let patch_list = patch.get(&original_key).cloned();
            let original_field: Option<Vec<Value>> = match &original_list {
                None => None,
                Some(Value::Array(a)) => Some(a.clone()),
                Some(other) => return Err(err_bad_arg_type("[]interface {}", other)),
            };
            let patch_field: Option<Vec<Value>> = match &patch_list {
                None => None,
                Some(Value::Array(a)) => Some(a.clone()),
                Some(other) => return Err(err_bad_arg_type("[]interface {}", other)),
            };
            let sub = child(path, &original_key);
            let strategy = self.strategy(&sub)?;
            let merge_key = self.kind.patch_merge_key(&sub);
            validate_patch_with_set_order_list(
                patch_field.as_deref().unwrap_or(&[]),
                &set_order,
                merge_key,
            )?;
            // What upstream's originalFieldValue reads after the merge (see merge_slice).
            let mut original_view = original_field.clone();
            let merged: Vec<Value> = match (original_field.clone(), patch_field.clone()) {
                (Some(o), None) => o,
                (None, Some(p)) => match remove_directives(Value::Array(p)) {
                    Some(Value::Array(v)) => v,
                    _ => continue,
                },
                (Some(o), Some(p)) => {
                    if strategy == MERGE_DIRECTIVE {
                        let (merged, view) = self.merge_slice(o, p, &sub, merge_key, false)?;
                        original_view = Some(view);
                        merged
                    } else {
                        p
                    }
                }
                (None, None) => continue,
            };
            let (patch_items, server_only) = if merge_key.is_empty() {
                partition_primitives(&merged, &set_order)
            } else {
                partition_maps(&merged, &set_order, merge_key)?
            };
            let kind = slice_element_kind(&[
                original_view.as_deref().unwrap_or(&[]),
                patch_field.as_deref().unwrap_or(&[]),
            ])?;
            let both = normalize_element_order(
                patch_items,
                server_only,
                &set_order,
                original_view.as_deref().unwrap_or(&[]),
                merge_key,
                kind,
            )?;
            original.insert(original_key.clone(), Value::Array(both));
            patch.remove(&original_key);
        }
        Ok(())
    }

    /// mergeSlice. Returns the merged list and what the caller's `original` slice
    /// reads afterwards: upstream deletes and appends in place on the caller's
    /// backing array, and mergePatchIntoOriginal orders by that aliased view.
    fn merge_slice(
        &self,
        original: Vec<Value>,
        patch: Vec<Value>,
        path: &str,
        merge_key: &str,
        is_delete_list: bool,
    ) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
        if original.is_empty() && patch.is_empty() {
            return Ok((original.clone(), original));
        }
        let kind = slice_element_kind(&[&original, &patch])?;
        let mut view = original.clone();
        let (original, patch, merged) = if kind != ElemKind::Map {
            if is_delete_list {
                return Ok((delete_from_slice(&original, &patch), view));
            }
            let mut both = original.clone();
            both.extend(patch.iter().cloned());
            (original, patch, deduplicate_scalars(both))
        } else {
            if merge_key.is_empty() {
                return Err(SmpError::Other(format!(
                    "cannot merge lists without merge key for {path}"
                )));
            }
            let (mut items, patch, replaced) =
                merge_slice_with_special_elements(original, patch, merge_key, &mut view)?;
            let original = items.clone();
            let aliased = !replaced;
            self.merge_slice_without_special_elements(
                &mut items,
                &patch,
                merge_key,
                path,
                if aliased { Some(&mut view) } else { None },
            )?;
            (original, patch, items)
        };
        let (patch_items, server_only) = if merge_key.is_empty() {
            partition_primitives(&merged, &patch)
        } else {
            partition_maps(&merged, &patch, merge_key)?
        };
        let out =
            normalize_element_order(patch_items, server_only, &patch, &original, merge_key, kind)?;
        Ok((out, view))
    }

    fn merge_slice_without_special_elements(
        &self,
        items: &mut Vec<Value>,
        patch: &[Value],
        merge_key: &str,
        path: &str,
        mut view: Option<&mut Vec<Value>>,
    ) -> Result<(), SmpError> {
        for v in patch {
            let Value::Object(typed) = v else {
                return Err(err_bad_arg_type("map[string]interface {}", v));
            };
            let Some(merge_value) = typed.get(merge_key) else {
                return Err(err_no_merge_key(typed, merge_key));
            };
            match find_map_in_slice(items, merge_key, merge_value)? {
                Some(i) => {
                    let Value::Object(o) = std::mem::take(&mut items[i]) else {
                        return Err(SmpError::Other(format!("value for key {i} is not a map")));
                    };
                    items[i] = Value::Object(self.merge_map(o, typed.clone(), path)?);
                    if let Some(view) = view.as_deref_mut() {
                        if i < view.len() {
                            view[i] = items[i].clone();
                        }
                    }
                }
                None => {
                    // append writes into the shared backing array while it has room.
                    if let Some(view) = view.as_deref_mut() {
                        if items.len() < view.len() {
                            view[items.len()] = v.clone();
                        }
                    }
                    items.push(v.clone());
                }
            }
        }
        Ok(())
    }
}

fn handle_directive_in_merge_map(
    directive: &Value,
    mut patch: Map<String, Value>,
) -> Result<Map<String, Value>, SmpError> {
    match directive.as_str() {
        Some(REPLACE_DIRECTIVE) => {
            patch.remove(DIRECTIVE_MARKER);
            Ok(patch)
        }
        Some(DELETE_DIRECTIVE) => Ok(Map::new()),
        _ => Err(err_bad_patch_type(directive, &patch)),
    }
}

fn extract_key(s: &str, prefix: &str) -> Result<String, SmpError> {
    match s.split_once('/') {
        Some((p, rest)) if p == prefix => Ok(rest.to_string()),
        _ => Err(SmpError::BadRequest(
            if prefix == DELETE_FROM_PRIMITIVE_LIST_PREFIX {
                ERR_BAD_PATCH_FORMAT_PRIMITIVE_LIST
            } else {
                ERR_BAD_PATCH_FORMAT_SET_ELEMENT_ORDER
            },
        )),
    }
}

/// applyRetainKeysDirective: clear the original's keys missing from `$retainKeys`;
/// every non-null patch key must be listed.
fn apply_retain_keys_directive(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
) -> Result<(), SmpError> {
    let Some(retain) = patch.remove(RETAIN_KEYS_DIRECTIVE) else {
        return Ok(());
    };
    let Value::Array(list) = retain else {
        return Err(SmpError::BadRequest(ERR_BAD_PATCH_FORMAT_RETAIN_KEYS));
    };
    let listed = |k: &str| list.iter().any(|v| v.as_str() == Some(k));
    for (k, v) in patch.iter() {
        if v.is_null()
            || k.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
            || k.starts_with(SET_ELEMENT_ORDER_PREFIX)
        {
            continue;
        }
        if !listed(k) {
            return Err(SmpError::BadRequest(ERR_BAD_PATCH_FORMAT_RETAIN_KEYS));
        }
    }
    original.retain(|k, _| listed(k));
    Ok(())
}

/// The merge-key value of an element (Go's typedItem[mergeKey], nil when absent).
fn merge_value_of<'v>(item: &'v Value, merge_key: &str) -> Option<&'v Value> {
    item.as_object()
        .and_then(|m| m.get(merge_key))
        .filter(|v| !v.is_null())
}

fn merge_key_value_equal(left: &Value, right: &Value, merge_key: &str) -> Result<bool, SmpError> {
    if merge_key.is_empty() {
        return Ok(left == right);
    }
    let Value::Object(l) = left else {
        return Err(err_bad_arg_type("map[string]interface {}", left));
    };
    let Value::Object(r) = right else {
        return Err(err_bad_arg_type("map[string]interface {}", right));
    };
    let Some(lv) = l.get(merge_key) else {
        return Err(err_no_merge_key(l, merge_key));
    };
    let Some(rv) = r.get(merge_key) else {
        return Err(err_no_merge_key(r, merge_key));
    };
    Ok(lv == rv)
}

fn contains_directive_marker(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.contains_key(DIRECTIVE_MARKER))
}

fn is_delete_item(v: &Value) -> bool {
    v.as_object()
        .and_then(|m| m.get(DIRECTIVE_MARKER))
        .and_then(Value::as_str)
        == Some(DELETE_DIRECTIVE)
}

fn validate_patch_with_set_order_list(
    patch_list: &[Value],
    set_order: &[Value],
    merge_key: &str,
) -> Result<(), SmpError> {
    if set_order.is_empty() || patch_list.is_empty() {
        return Ok(());
    }
    let non_delete: Vec<&Value> = if merge_key.is_empty() {
        patch_list.iter().collect()
    } else {
        for v in patch_list {
            if !v.is_object() {
                return Err(err_bad_arg_type("map[string]interface {}", v));
            }
        }
        patch_list.iter().filter(|v| !is_delete_item(v)).collect()
    };
    let (mut pi, mut si) = (0, 0);
    while pi < non_delete.len() && si < set_order.len() {
        if contains_directive_marker(non_delete[pi]) {
            pi += 1;
            continue;
        }
        if merge_key_value_equal(non_delete[pi], &set_order[si], merge_key)? {
            pi += 1;
        }
        si += 1;
    }
    if pi < non_delete.len() && si >= set_order.len() {
        return Err(SmpError::Other(format!(
            "The order in patch list:\n{}\n doesn't match {} list:\n{}\n",
            go_v(&Value::Array(patch_list.to_vec())),
            SET_ELEMENT_ORDER_PREFIX,
            go_v(&Value::Array(set_order.to_vec()))
        )));
    }
    Ok(())
}

/// removeDirectives: None when the value itself is a directive map.
fn remove_directives(v: Value) -> Option<Value> {
    match v {
        Value::Object(m) => {
            if m.contains_key(DIRECTIVE_MARKER) {
                return None;
            }
            let mut out = Map::new();
            for (k, x) in m {
                if let Some(x) = remove_directives(x) {
                    out.insert(k, x);
                }
            }
            Some(Value::Object(out))
        }
        Value::Array(a) => Some(Value::Array(
            a.into_iter().filter_map(remove_directives).collect(),
        )),
        other => Some(other),
    }
}

fn discard_null_values(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            for x in m.values_mut() {
                discard_null_values(x);
            }
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                discard_null_values(x);
            }
        }
        _ => {}
    }
}

/// sliceElementType: all elements one type, not lists.
fn slice_element_kind(slices: &[&[Value]]) -> Result<ElemKind, SmpError> {
    let mut prev: Option<&'static str> = None;
    for s in slices {
        for v in s.iter() {
            let t = go_type(v);
            match prev {
                None => {
                    if v.is_array() {
                        return Err(SmpError::Unprocessable(ERR_NO_LIST_OF_LISTS));
                    }
                    prev = Some(t);
                }
                Some(p) if p != t => {
                    let all: Vec<Value> = slices.iter().map(|s| Value::Array(s.to_vec())).collect();
                    return Err(SmpError::Other(format!(
                        "list element types are not identical: {}",
                        go_v(&Value::Array(all))
                    )));
                }
                _ => {}
            }
        }
    }
    match prev {
        None => Err(SmpError::Other(
            "no elements in any of the given slices".into(),
        )),
        Some("map[string]interface {}") => Ok(ElemKind::Map),
        Some(_) => Ok(ElemKind::Other),
    }
}

/// mergeSliceWithSpecialElements; `view` mirrors the in-place deletions
/// (append(s[:i], s[i+1:]...) shifts left and leaves the old tail). The bool says
/// whether `$patch: replace` swapped in a new slice.
fn merge_slice_with_special_elements(
    mut original: Vec<Value>,
    patch: Vec<Value>,
    merge_key: &str,
    view: &mut [Value],
) -> Result<(Vec<Value>, Vec<Value>, bool), SmpError> {
    let mut without = Vec::new();
    let mut replace = false;
    for v in patch {
        let Value::Object(typed) = &v else {
            return Err(err_bad_arg_type("map[string]interface {}", &v));
        };
        match typed.get(DIRECTIVE_MARKER) {
            None => without.push(v),
            Some(d) => match d.as_str() {
                Some(DELETE_DIRECTIVE) => match typed.get(merge_key) {
                    Some(mv) => {
                        let mv = mv.clone();
                        while let Some(i) = find_map_in_slice(&original, merge_key, &mv)? {
                            for k in i..original.len() - 1 {
                                view[k] = view[k + 1].clone();
                            }
                            original.remove(i);
                        }
                    }
                    None => return Err(err_no_merge_key(typed, merge_key)),
                },
                Some(REPLACE_DIRECTIVE) => replace = true,
                Some(MERGE_DIRECTIVE) => {
                    return Err(SmpError::Other(
                        "merging lists cannot yet be specified in the patch".into(),
                    ))
                }
                _ => return Err(err_bad_patch_type(d, typed)),
            },
        }
    }
    if replace {
        return Ok((without, Vec::new(), true));
    }
    Ok((original, without, false))
}

fn find_map_in_slice(list: &[Value], key: &str, value: &Value) -> Result<Option<usize>, SmpError> {
    for (i, v) in list.iter().enumerate() {
        let Value::Object(m) = v else {
            return Err(SmpError::Other(format!("value for key {i} is not a map")));
        };
        if m.get(key) == Some(value) {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn delete_from_slice(current: &[Value], to_delete: &[Value]) -> Vec<Value> {
    current
        .iter()
        .filter(|v| !to_delete.contains(v))
        .cloned()
        .collect()
}

/// deduplicateScalars, including its swap-with-last reordering.
fn deduplicate_scalars(mut s: Vec<Value>) -> Vec<Value> {
    if s.is_empty() {
        return s;
    }
    let mut length = s.len() - 1;
    let mut i = 0;
    while i < length {
        let mut j = i + 1;
        while j <= length {
            if s[i] == s[j] {
                s[j] = s[length].clone();
                s.truncate(length);
                length -= 1;
                // Re-examine position j (Go's j-- before the loop's j++).
                continue;
            }
            j += 1;
        }
        i += 1;
    }
    s
}

fn partition_primitives(original: &[Value], by: &[Value]) -> (Vec<Value>, Vec<Value>) {
    let mut patch = Vec::new();
    let mut server = Vec::new();
    for v in original {
        if by.contains(v) {
            patch.push(v.clone());
        } else {
            server.push(v.clone());
        }
    }
    (patch, server)
}

fn partition_maps(
    original: &[Value],
    by: &[Value],
    merge_key: &str,
) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    let mut patch = Vec::new();
    let mut server = Vec::new();
    for v in original {
        let Value::Object(m) = v else {
            return Err(err_bad_arg_type("map[string]interface {}", v));
        };
        let Some(mv) = m.get(merge_key) else {
            return Err(err_no_merge_key(m, merge_key));
        };
        if find_map_in_slice(by, merge_key, mv)?.is_some() {
            patch.push(v.clone());
        } else {
            server.push(v.clone());
        }
    }
    Ok((patch, server))
}

/// index(): position of an item in `l`, by merge-key value for maps.
fn index_of(l: &[Value], item: &Value, merge_key: &str, kind: ElemKind) -> Option<usize> {
    match kind {
        ElemKind::Map => {
            let want = merge_value_of(item, merge_key);
            l.iter().position(|v| merge_value_of(v, merge_key) == want)
        }
        ElemKind::Other => l.iter().position(|v| v == item),
    }
}

fn normalize_element_order(
    patch: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    merge_key: &str,
    kind: ElemKind,
) -> Result<Vec<Value>, SmpError> {
    let patch = normalize_slice_order(patch, patch_order, merge_key, kind)?;
    let server_only = normalize_slice_order(server_only, server_order, merge_key, kind)?;
    Ok(merge_sorted_slice(
        server_only,
        patch,
        server_order,
        merge_key,
        kind,
    ))
}

fn normalize_slice_order(
    to_sort: Vec<Value>,
    order: &[Value],
    merge_key: &str,
    kind: ElemKind,
) -> Result<Vec<Value>, SmpError> {
    let (mut to_sort, to_delete) = if kind == ElemKind::Map {
        for list in [&to_sort[..], order] {
            for item in list {
                let Value::Object(m) = item else {
                    return Err(err_bad_arg_type("map[string]interface {}", item));
                };
                if !m.contains_key(merge_key) {
                    return Err(err_no_merge_key(m, merge_key));
                }
            }
        }
        let (del, keep): (Vec<Value>, Vec<Value>) = to_sort.into_iter().partition(is_delete_item);
        (keep, del)
    } else {
        (to_sort, Vec::new())
    };
    let less = |a: &Value, b: &Value| -> bool {
        if let Some(ia) = index_of(order, a, merge_key, kind) {
            if let Some(ib) = index_of(order, b, merge_key, kind) {
                return ia < ib;
            }
        }
        true
    };
    go_slice_stable(&mut to_sort, &less);
    to_sort.extend(to_delete);
    Ok(to_sort)
}

fn merge_sorted_slice(
    left: Vec<Value>,
    right: Vec<Value>,
    server_order: &[Value],
    merge_key: &str,
    kind: ElemKind,
) -> Vec<Value> {
    let size = left.len() + right.len();
    let (mut i, mut j) = (0, 0);
    let mut s = Vec::with_capacity(size);
    for _ in 0..size {
        if i >= left.len() && j < right.len() {
            s.push(right[j].clone());
            j += 1;
        } else if j >= right.len() && i < left.len() {
            s.push(left[i].clone());
            i += 1;
        } else {
            let li = index_of(server_order, &left[i], merge_key, kind);
            let ri = index_of(server_order, &right[j], merge_key, kind);
            match (li, ri) {
                (Some(l), Some(r)) if l < r => {
                    s.push(left[i].clone());
                    i += 1;
                }
                _ => {
                    s.push(right[j].clone());
                    j += 1;
                }
            }
        }
    }
    s
}

/// Go's sort.SliceStable (insertion sort in blocks of 20, then SymMerge), ported
/// step for step because strategicpatch's comparator is not a strict weak order
/// and the result depends on the algorithm.
fn go_slice_stable<T>(data: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = data.len();
    let mut block = 20;
    let (mut a, mut b) = (0, block);
    while b <= n {
        insertion_sort(data, a, b, less);
        a = b;
        b += block;
    }
    insertion_sort(data, a, n, less);
    while block < n {
        a = 0;
        b = 2 * block;
        while b <= n {
            sym_merge(data, a, a + block, b, less);
            a = b;
            b += 2 * block;
        }
        let m = a + block;
        if m < n {
            sym_merge(data, a, m, n, less);
        }
        block *= 2;
    }
}

fn insertion_sort<T>(data: &mut [T], a: usize, b: usize, less: &dyn Fn(&T, &T) -> bool) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && less(&data[j], &data[j - 1]) {
            data.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sym_merge<T>(data: &mut [T], a: usize, m: usize, b: usize, less: &dyn Fn(&T, &T) -> bool) {
    if m - a == 1 {
        let (mut i, mut j) = (m, b);
        while i < j {
            let h = (i + j) / 2;
            if less(&data[h], &data[a]) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        let mut k = a;
        while k + 1 < i {
            data.swap(k, k + 1);
            k += 1;
        }
        return;
    }
    if b - m == 1 {
        let (mut i, mut j) = (a, m);
        while i < j {
            let h = (i + j) / 2;
            if !less(&data[m], &data[h]) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        let mut k = m;
        while k > i {
            data.swap(k, k - 1);
            k -= 1;
        }
        return;
    }
    let mid = (a + b) / 2;
    let n = mid + m;
    let (mut start, mut r) = if m > mid { (n - b, mid) } else { (a, m) };
    let p = n - 1;
    while start < r {
        let c = (start + r) / 2;
        if !less(&data[p - c], &data[c]) {
            start = c + 1;
        } else {
            r = c;
        }
    }
    let end = n - start;
    if start < m && m < end {
        rotate(data, start, m, end);
    }
    if a < start && start < mid {
        sym_merge(data, a, start, mid, less);
    }
    if mid < end && end < b {
        sym_merge(data, mid, end, b, less);
    }
}

fn rotate<T>(data: &mut [T], a: usize, m: usize, b: usize) {
    let mut i = m - a;
    let mut j = b - m;
    while i != j {
        if i > j {
            swap_range(data, m - i, m, j);
            i -= j;
        } else {
            swap_range(data, m - i, m + j - i, i);
            j -= i;
        }
    }
    swap_range(data, m - i, m, i);
}

fn swap_range<T>(data: &mut [T], a: usize, b: usize, n: usize) {
    for i in 0..n {
        data.swap(a + i, b + i);
    }
}

#[cfg(test)]
mod tests;
