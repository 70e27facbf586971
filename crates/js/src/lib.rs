//! How values cross between JS and the simulator, for the binding (`src/wasm.rs`):
//! JS -> Rust goes through `JSON.stringify` (a value means what it means after a JSON round
//! trip) and drops `null` properties, as a Go apiserver decoding into typed structs ignores
//! them; Rust -> JS gives plain objects and numbers (JSON text through `JSON.parse`; HTTP
//! envelopes with `json_compatible` serde-wasm-bindgen, never Map or BigInt);
//! an error is a JS `Error` carrying the apiserver's Status. Nothing here knows `Cluster`.

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use servicecidr_core::cluster::{PolicyAdmission, ValidatingAdmission};
use servicecidr_core::model::ApiError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub type JsResult<T = JsValue> = Result<T, JsValue>;

/// Throws the apiserver's answer as a JS `Error` with `code`, `reason` and `status` on it.
pub fn js_error(err: ApiError) -> JsValue {
    let e = js_sys::Error::new(&err.message);
    let status = to_js(&err.status_object()).unwrap_or(JsValue::NULL);
    // Reflect::set on a fresh, unfrozen Error cannot fail.
    let _ = js_sys::Reflect::set(&e, &"code".into(), &f64::from(err.code).into());
    let _ = js_sys::Reflect::set(&e, &"reason".into(), &err.reason.as_str().into());
    let _ = js_sys::Reflect::set(&e, &"status".into(), &status);
    e.into()
}

pub fn bad_request(msg: String) -> JsValue {
    js_error(ApiError::bad_request(msg))
}

pub fn result<T: Serialize>(r: Result<T, ApiError>) -> JsResult {
    to_js(&r.map_err(js_error)?)
}

/// An answer already written as JSON text, as one `JSON.parse`.
pub fn text_result(r: Result<String, ApiError>) -> JsResult {
    js_sys::JSON::parse(&r.map_err(js_error)?)
}

/// Plain objects and numbers, through JSON text and one `JSON.parse`: serde-wasm-bindgen
/// makes a JS call per property, 2-3x slower for a Service and for lists (issue #14).
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsResult {
    let text = serde_json::to_string(v).map_err(|e| js_error(ApiError::internal(e)))?;
    js_sys::JSON::parse(&text)
}

/// As `to_js`, for a value of a few long strings (kubectl's and run()'s output, 2 MB for a
/// 10^4-row table): each string crosses as a string, instead of being escaped into JSON
/// text and parsed back (that was a sixth of `kubectl get svc -A` in wasm, issue #14).
/// The same plain object, keys in the struct's order as `to_js` gives them.
pub fn to_js_strings<T: Serialize + ?Sized>(v: &T) -> JsResult {
    to_js_bytes(v)
}

/// As `to_js`, with bytes (HTTP bodies) as Uint8Arrays, which JSON cannot carry.
pub fn to_js_bytes<T: Serialize + ?Sized>(v: &T) -> JsResult {
    let ser = serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false);
    v.serialize(&ser)
        .map_err(|e| js_error(ApiError::internal(e)))
}

/// Removes `null` members of objects, at any depth.
pub fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// JS -> T, with `what` naming the argument in the 400 error.
pub fn from_js<T: DeserializeOwned + 'static>(v: &JsValue, what: &str) -> JsResult<T> {
    let text = js_sys::JSON::stringify(v).map_err(|e| {
        let msg = js_sys::Error::from(e).message();
        bad_request(format!("{what}: not JSON (a cyclic object?): {msg}"))
    })?;
    let value = match text.as_string() {
        Some(t) => {
            let mut v =
                serde_json::from_str(&t).map_err(|e| bad_request(format!("{what}: {e}")))?;
            // Text without "null" has no null to drop (the walk is a tenth of the parse).
            if t.contains("null") {
                drop_nulls(&mut v);
            }
            v
        }
        None => Value::Null, // undefined, a function, a symbol
    };
    // A Value wanted as a Value is taken as it is (from_value would rebuild the tree).
    let mut slot = Some(value);
    if let Some(v) = (&mut slot as &mut dyn std::any::Any).downcast_mut::<Option<T>>() {
        if let Some(v) = v.take() {
            return Ok(v);
        }
    }
    let value = slot.unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|e| bad_request(format!("{what}: {e}")))
}

/// An optional argument (`undefined` and `null` mean "not given").
pub fn opt<T: DeserializeOwned + 'static, J: AsRef<JsValue>>(
    v: Option<J>,
    what: &str,
) -> JsResult<Option<T>> {
    v.map_or(Ok(None), |v| from_js(v.as_ref(), what))
}

/// A count or sequence number from JS: whole and non-negative (`blockingIPs`' limit: default
/// 256, at most 10^6).
pub fn count(v: Option<f64>, what: &str) -> JsResult<Option<u64>> {
    match v {
        Some(x) if !(x.is_finite() && x >= 0.0) => Err(bad_request(format!(
            "{what} must be a non-negative number, got {x}"
        ))),
        v => Ok(v.map(|x| x.floor() as u64)),
    }
}
pub fn max_ips(v: Option<f64>) -> JsResult<usize> {
    Ok(count(v, "limit")?.map_or(256, |l| l.min(1_000_000) as usize))
}

/// The CEL module's four exports as the core's evaluator: JSON text in, JSON text out.
pub fn policy_admission(e: &JsValue) -> JsResult<Box<dyn ValidatingAdmission>> {
    let f = |n: &str| {
        let f = js_sys::Reflect::get(e, &n.into()).ok();
        let f = f.and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let f = f.ok_or_else(|| bad_request(format!("setPolicyEvaluator: no function {n}")))?;
        Ok::<_, JsValue>(move |arg: &str| {
            let answer = f.call1(&JsValue::NULL, &arg.into()).ok();
            let answer = answer.and_then(|v| v.as_string());
            answer.unwrap_or_else(|| r#"{"error":"the policy evaluator failed"}"#.into())
        })
    };
    let fs = (f("admit")?, f("validatePolicy")?, f("validateBinding")?);
    let plugin = PolicyAdmission::new((fs.0, fs.1, fs.2, f("defaultObject")?));
    Ok(Box::new(plugin))
}
