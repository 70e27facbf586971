//! Request and response plumbing: query parameters, headers, and the
//! response shapes every handler returns (JSON, metav1.Status, plain text).

use crate::{Request, Response};
use serde_json::{json, Value};
use servicecidr_core::model::ApiError;

/// Query parameters decoded as Go's url.ParseQuery does (`+` is a space,
/// `%XX` escapes); a malformed escape keeps the text as it is.
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (unescape(k), unescape(v)),
            None => (unescape(p), String::new()),
        })
        .collect()
}

/// A path segment's `%XX` escapes decoded (a `+` stays a `+` in paths).
pub fn unescape_path(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    unescape(&s.replace('+', "%2B"))
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query of one request, looked up by name (the first value wins, as
/// Go's url.Values.Get does).
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn str_or<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        self.get(name).unwrap_or(default)
    }

    /// Go's strconv.ParseBool spellings; anything else is false.
    pub fn flag(&self, name: &str) -> bool {
        matches!(
            self.get(name),
            Some("1" | "t" | "T" | "true" | "TRUE" | "True")
        )
    }
}

/// A header's value (names compare case-insensitively; the first one wins).
pub fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Every response carries these, as kube-apiserver's filters add them.
pub fn base_headers(content_type: &str) -> Vec<(String, String)> {
    vec![
        ("Cache-Control".into(), "no-cache, private".into()),
        ("Content-Type".into(), content_type.into()),
    ]
}

pub fn json_response(status: u16, body: &Value) -> Response {
    json_response_typed(status, body, "application/json")
}

pub fn json_response_typed(status: u16, body: &Value, content_type: &str) -> Response {
    json_text_response(
        status,
        serde_json::to_vec(body).unwrap_or_default(),
        content_type,
    )
}

/// A JSON answer already written as text (`json_response_typed` of the same `Value`).
pub fn json_text_response(status: u16, mut bytes: Vec<u8>, content_type: &str) -> Response {
    bytes.push(b'\n');
    Response {
        status,
        headers: base_headers(content_type),
        body: bytes,
        watch: None,
    }
}

/// A failed request: metav1.Status with the error's HTTP code.
pub fn error_response(e: &ApiError) -> Response {
    json_response(e.code, &e.status())
}

pub fn text_response(status: u16, text: &str) -> Response {
    let mut r = Response {
        status,
        headers: base_headers("text/plain; charset=utf-8"),
        body: text.as_bytes().to_vec(),
        watch: None,
    };
    r.headers
        .push(("X-Content-Type-Options".into(), "nosniff".into()));
    r
}

/// What go-restful's router answers for a path nothing serves.
pub fn not_found_page() -> Response {
    text_response(404, "404 page not found\n")
}

/// go-restful's 405 through the apiserver's service error handler
/// (errors.NewGenericServerResponse with go-restful's message as the cause).
pub fn method_not_allowed() -> Response {
    let e = ApiError {
        code: 405,
        reason: "MethodNotAllowed".into(),
        message: "the server does not allow this method on the requested resource".into(),
        details: Some(json!({"causes": [
            {"reason": "UnexpectedServerResponse", "message": "405: Method Not Allowed"}
        ]})),
    };
    error_response(&e)
}

/// metav1.Status Success, as a DELETE of an immediately removed object answers
/// when the registry does not return the deleted object.
pub fn success_status(details: Value) -> Value {
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": details,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_decoding_matches_go() {
        let q = Query(parse_query(
            "fieldSelector=metadata.name%3Dnewcidr1&limit=500&a=b+c&bad=%zz&x&watch=true&watch=false&trail=%4",
        ));
        assert_eq!(q.get("fieldSelector"), Some("metadata.name=newcidr1"));
        assert_eq!(q.get("a"), Some("b c"));
        assert_eq!(q.get("bad"), Some("%zz"));
        assert_eq!(q.get("x"), Some(""));
        assert_eq!(q.get("trail"), Some("%4"));
        assert!(q.flag("watch"));
        assert!(!q.flag("limit"));
    }
}
