//! The commands' apiserver: REST requests through the apiserver crate's
//! `handle()`, the same requests the real kubectl sends (Table `Accept` for
//! `get`, `fieldManager=kubectl-create` / `kubectl-client-side-apply`, DELETE
//! bodies with `propagationPolicy`). Only the clock is read and moved directly:
//! it is the terminal's time passing, not a request.

use super::api::{Api, Applied};
use super::resources::Kind;
use crate::table::Table;
use serde_json::{json, Map, Value};
use servicecidr_apiserver::{handle, watch_poll, Request, Response, WatchCursor};
use servicecidr_core::cluster::{three_way_merge, with_last_applied};
use servicecidr_core::model::ApiError;
use servicecidr_core::{Cluster, Release};

/// kubectl's Accept for `get`: a v1 Table, a v1beta1 Table, or the object.
pub const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub struct Client<'a> {
    cluster: &'a mut Cluster,
    /// The server's release, read from `/version` (the in-box kubectl matches it).
    release: Release,
    /// `Warning:` headers of the responses so far, unquoted.
    warnings: Vec<String>,
    /// group → preferred version, from discovery (`/apis`), as kubectl maps kinds.
    preferred: std::collections::BTreeMap<String, String>,
    /// The open watch of a delete wait, and whether it has seen the deletion.
    watch: Option<(WatchCursor, bool)>,
    /// `METHOD target` of every request sent, in order.
    requests: Vec<String>,
}

impl<'a> Client<'a> {
    pub fn new(cluster: &'a mut Cluster) -> Client<'a> {
        let mut c = Client {
            cluster,
            release: Release::newest(),
            warnings: Vec::new(),
            preferred: Default::default(),
            watch: None,
            requests: Vec::new(),
        };
        let v = c.send("GET", "/version", "application/json", "", Vec::new());
        if let Some(r) = serde_json::from_slice::<Value>(&v.body)
            .ok()
            .and_then(|v| {
                v.get("gitVersion")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .and_then(|g| Release::parse(&g).ok())
        {
            c.release = r;
        }
        let apis = c.send("GET", "/apis", "application/json", "", Vec::new());
        if let Ok(v) = serde_json::from_slice::<Value>(&apis.body) {
            for g in v
                .get("groups")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (Some(name), Some(version)) = (
                    g.get("name").and_then(Value::as_str),
                    g.pointer("/preferredVersion/version")
                        .and_then(Value::as_str),
                ) {
                    c.preferred.insert(name.to_string(), version.to_string());
                }
            }
        }
        c
    }

    /// The requests sent so far, as `METHOD path?query` (the constructor's
    /// `/version` and `/apis` discovery first).
    pub fn requests(&self) -> &[String] {
        &self.requests
    }

    fn send(
        &mut self,
        method: &str,
        target: &str,
        accept: &str,
        ct: &str,
        body: Vec<u8>,
    ) -> Response {
        self.requests.push(format!("{method} {target}"));
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut headers = vec![("Accept".to_string(), accept.to_string())];
        if !body.is_empty() {
            headers.push(("Content-Type".to_string(), ct.to_string()));
        }
        let r = handle(
            self.cluster,
            &Request {
                method: method.into(),
                path: path.into(),
                query: query.into(),
                headers,
                body,
                user: None,
            },
        );
        for (k, v) in &r.headers {
            if k.eq_ignore_ascii_case("Warning") {
                self.warnings.push(warning_text(v));
            }
        }
        r
    }

    /// The version kubectl's discovery prefers for the kind's group (the
    /// server's `preferredVersion`), else the kind's own.
    fn version_of(&self, kind: Kind) -> String {
        let i = kind.info();
        self.preferred
            .get(i.group)
            .cloned()
            .unwrap_or_else(|| i.version.to_string())
    }

    fn item(&self, kind: Kind, ns: &str, name: &str) -> String {
        item_at(kind, &self.version_of(kind), ns, name)
    }

    fn list_target(
        &self,
        kind: Kind,
        ns: Option<&str>,
        label_selector: &str,
        field_selector: &str,
    ) -> String {
        list_target_at(
            kind,
            &self.version_of(kind),
            ns,
            label_selector,
            field_selector,
        )
    }

    /// The JSON answer, or the Status of a failure as the error.
    fn call(
        &mut self,
        method: &str,
        target: &str,
        accept: &str,
        ct: &str,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let bytes = body
            .map(|b| serde_json::to_vec(b).unwrap_or_default())
            .unwrap_or_default();
        let r = self.send(method, target, accept, ct, bytes);
        let v: Option<Value> = serde_json::from_slice(&r.body).ok();
        if r.status >= 400 {
            return Err(status_error(r.status, v.as_ref()));
        }
        v.ok_or_else(|| ApiError::internal("the server's answer was not JSON"))
    }
}

/// The text of a `Warning` header (`299 - "text"`, the text Go-quoted), as
/// client-go's warning handler extracts it.
fn warning_text(header: &str) -> String {
    let rest = header.splitn(3, ' ').nth(2).unwrap_or(header).trim();
    serde_json::from_str::<String>(rest).unwrap_or_else(|_| rest.trim_matches('"').to_string())
}

/// client-go's reading of a failed response: the Status when there is one,
/// else the generic text for the code.
fn status_error(code: u16, body: Option<&Value>) -> ApiError {
    match body.filter(|b| b.get("kind").and_then(Value::as_str) == Some("Status")) {
        Some(s) => ApiError {
            code: s
                .get("code")
                .and_then(Value::as_u64)
                .map_or(code, |c| c as u16),
            reason: s
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            message: s
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            details: s.get("details").cloned(),
        },
        None if code == 404 => ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ),
        None => ApiError::new(
            code,
            "InternalError",
            format!(
                "an error on the server has prevented the request from succeeding (code {code})"
            ),
        ),
    }
}

/// Whether a watch chunk carries a DELETED event (kubectl's wait ends on any).
fn saw_deleted(chunk: &[u8]) -> bool {
    String::from_utf8_lossy(chunk).lines().any(|l| {
        serde_json::from_str::<Value>(l)
            .ok()
            .is_some_and(|e| e.get("type").and_then(Value::as_str) == Some("DELETED"))
    })
}

/// A path segment, percent-encoded like Go's url.PathEscape.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query value, percent-encoded like Go's url.QueryEscape.
fn escape_query(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `/api/v1[/namespaces/{ns}]/{plural}` or `/apis/{group}/{version}[…]`.
fn collection(
    group: &str,
    version: &str,
    plural: &str,
    namespaced: bool,
    ns: Option<&str>,
) -> String {
    let mut p = if group.is_empty() {
        format!("/api/{version}")
    } else {
        format!("/apis/{group}/{version}")
    };
    if let (true, Some(ns)) = (namespaced, ns) {
        p.push_str(&format!("/namespaces/{}", escape(ns)));
    }
    p.push('/');
    p.push_str(plural);
    p
}

#[cfg(test)]
fn kind_collection(kind: Kind, ns: Option<&str>) -> String {
    let i = kind.info();
    collection(i.group, i.version, i.plural, i.namespaced, ns)
}

/// As [`kind_collection`] at the group's preferred version the server named.
fn kind_collection_at(kind: Kind, version: &str, ns: Option<&str>) -> String {
    let i = kind.info();
    collection(i.group, version, i.plural, i.namespaced, ns)
}

/// A LIST as kubectl sends it: selectors, then `limit=500`.
fn list_target_at(
    kind: Kind,
    version: &str,
    ns: Option<&str>,
    label_selector: &str,
    field_selector: &str,
) -> String {
    let mut q = Vec::new();
    if !field_selector.is_empty() {
        q.push(format!("fieldSelector={}", escape_query(field_selector)));
    }
    if !label_selector.is_empty() {
        q.push(format!("labelSelector={}", escape_query(label_selector)));
    }
    q.push("limit=500".to_string());
    format!("{}?{}", kind_collection_at(kind, version, ns), q.join("&"))
}

#[cfg(test)]
fn item(kind: Kind, ns: &str, name: &str) -> String {
    item_at(kind, kind.info().version, ns, name)
}

fn item_at(kind: Kind, version: &str, ns: &str, name: &str) -> String {
    let ns = (!ns.is_empty()).then_some(ns).or(Some("default"));
    format!("{}/{}", kind_collection_at(kind, version, ns), escape(name))
}

/// The endpoint a manifest is written to: its own group-version, in the
/// request's namespace (the manifest's own, else default).
fn manifest_collection(obj: &Value, ns: &str) -> Result<(Kind, String, String), ApiError> {
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind_name = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let kind = Kind::from_object(api_version, kind_name).ok_or_else(|| {
        ApiError::new(
            404,
            "NotFound",
            format!("no matches for kind {kind_name:?} in version {api_version:?}"),
        )
    })?;
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let i = kind.info();
    let ns = if !ns.is_empty() {
        ns.to_string()
    } else {
        match obj.pointer("/metadata/namespace").and_then(Value::as_str) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => "default".to_string(),
        }
    };
    Ok((
        kind,
        collection(group, version, i.plural, i.namespaced, Some(&ns)),
        ns,
    ))
}

fn query(base: &str, dry_run: bool) -> String {
    if dry_run {
        format!("{base}&dryRun=All")
    } else {
        base.to_string()
    }
}

/// A JSON merge patch (RFC 7386) that turns `from` into `to`.
pub(crate) fn merge_diff(from: &Value, to: &Value) -> Value {
    match (from, to) {
        (Value::Object(f), Value::Object(t)) => {
            let mut out = Map::new();
            for k in f.keys() {
                if !t.contains_key(k) {
                    out.insert(k.clone(), Value::Null);
                }
            }
            for (k, tv) in t {
                match f.get(k) {
                    Some(fv) if fv == tv => {}
                    Some(fv) if fv.is_object() && tv.is_object() => {
                        out.insert(k.clone(), merge_diff(fv, tv));
                    }
                    _ => {
                        out.insert(k.clone(), tv.clone());
                    }
                }
            }
            Value::Object(out)
        }
        _ => to.clone(),
    }
}

impl Api for Client<'_> {
    fn release(&self) -> Release {
        self.release.clone()
    }

    fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn get(&mut self, kind: Kind, ns: &str, name: &str) -> Result<Value, ApiError> {
        self.call(
            "GET",
            &self.item(kind, ns, name),
            "application/json",
            "",
            None,
        )
    }

    fn list(&mut self, kind: Kind, ns: Option<&str>) -> Result<Vec<Value>, ApiError> {
        self.list_selected(kind, ns, "", "")
    }

    fn list_selected(
        &mut self,
        kind: Kind,
        ns: Option<&str>,
        label_selector: &str,
        field_selector: &str,
    ) -> Result<Vec<Value>, ApiError> {
        let v = self.call(
            "GET",
            &self.list_target(kind, ns, label_selector, field_selector),
            "application/json",
            "",
            None,
        )?;
        Ok(v.get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }

    fn table(
        &mut self,
        kind: Kind,
        ns: Option<&str>,
        name: Option<&str>,
        label_selector: &str,
        field_selector: &str,
        whole_objects: bool,
    ) -> Result<Table, ApiError> {
        let mut target = match name {
            Some(n) => self.item(kind, ns.unwrap_or(""), n),
            None => self.list_target(kind, ns, label_selector, field_selector),
        };
        if whole_objects {
            target.push(if target.contains('?') { '&' } else { '?' });
            target.push_str("includeObject=Object");
        }
        // As `call`, with the answer decoded as a Table (no JSON tree per row).
        let r = self.send("GET", &target, TABLE_ACCEPT, "", Vec::new());
        if r.status >= 400 {
            let v: Option<Value> = serde_json::from_slice(&r.body).ok();
            return Err(status_error(r.status, v.as_ref()));
        }
        Table::from_slice(&r.body, whole_objects)
            .map_err(|_| ApiError::internal("the server's answer was not JSON"))
    }

    fn create(&mut self, obj: Value, dry_run: bool, ns: &str) -> Result<Value, ApiError> {
        let (_, path, _) = manifest_collection(&obj, ns)?;
        self.call(
            "POST",
            &format!(
                "{path}?{}",
                query(
                    "fieldManager=kubectl-create&fieldValidation=Strict",
                    dry_run
                )
            ),
            "application/json",
            "application/json",
            Some(&obj),
        )
    }

    /// Client-side apply as kubectl does it: GET; absent → POST the manifest
    /// with its last-applied annotation; present → the three-way merge of
    /// live, last-applied and manifest, sent as a merge patch when it changes
    /// anything.
    fn apply(&mut self, obj: Value, dry_run: bool, ns: &str) -> Result<(Value, Applied), ApiError> {
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if name.is_empty() {
            return Err(ApiError::bad_request(
                "error when retrieving current configuration: resource name may not be empty",
            ));
        }
        let (_, path, _) = manifest_collection(&obj, ns)?;
        let target = format!("{path}/{}", escape(&name));
        let annotated = with_last_applied(&obj);
        let q = query(
            "fieldManager=kubectl-client-side-apply&fieldValidation=Strict",
            dry_run,
        );
        let live = match self.call("GET", &target, "application/json", "", None) {
            Ok(v) => v,
            Err(e) if e.code == 404 => {
                let created = self.call(
                    "POST",
                    &format!("{path}?{q}"),
                    "application/json",
                    "application/json",
                    Some(&annotated),
                )?;
                return Ok((created, Applied::Created));
            }
            Err(e) => return Err(e),
        };
        let last = live
            .pointer(&format!(
                "/metadata/annotations/{}",
                LAST_APPLIED.replace('/', "~1")
            ))
            .and_then(Value::as_str)
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .unwrap_or(Value::Null);
        let merged = three_way_merge(&live, &last, &annotated);
        if merged == live || patch_is_empty(&live, &last, &annotated) {
            return Ok((live, Applied::Unchanged));
        }
        let patch = merge_diff(&live, &merged);
        let v = self.call(
            "PATCH",
            &format!("{target}?{q}"),
            "application/json",
            "application/merge-patch+json",
            Some(&patch),
        )?;
        Ok((v, Applied::Configured))
    }

    fn delete(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let mut target = self.item(kind, ns, name);
        if dry_run {
            target.push_str("?dryRun=All");
        }
        let v = self.call(
            "DELETE",
            &target,
            "application/json",
            "application/json",
            Some(&json!({"propagationPolicy": "Background"})),
        )?;
        if v.get("kind").and_then(Value::as_str) == Some("Status") {
            // Removed at once: the Status names what went.
            let mut meta = json!({"name": name});
            if kind.info().namespaced {
                meta["namespace"] = json!(ns);
            }
            if let Some(uid) = v.pointer("/details/uid") {
                meta["uid"] = uid.clone();
            }
            return Ok(json!({"metadata": meta}));
        }
        Ok(v)
    }

    fn patch(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        status: bool,
        content_type: &str,
        body: &[u8],
        query: &str,
    ) -> Result<Value, ApiError> {
        let mut target = self.item(kind, ns, name);
        if status {
            target.push_str("/status");
        }
        if !query.is_empty() {
            target = format!("{target}?{query}");
        }
        let r = self.send(
            "PATCH",
            &target,
            "application/json",
            content_type,
            body.to_vec(),
        );
        let v: Option<Value> = serde_json::from_slice(&r.body).ok();
        if r.status >= 400 {
            return Err(status_error(r.status, v.as_ref()));
        }
        v.ok_or_else(|| ApiError::internal("the server's answer was not JSON"))
    }

    fn get_path(&mut self, path: &str) -> Result<Value, ApiError> {
        self.call("GET", path, "application/json", "", None)
    }

    fn server_version(&mut self) -> Result<Value, ApiError> {
        self.call(
            "GET",
            "/version?timeout=32s",
            "application/json, */*",
            "",
            None,
        )
    }

    fn begin_delete_watch(&mut self, kind: Kind, ns: &str, name: &str, timeout_ms: i64) -> bool {
        self.watch = None;
        let ns = (!ns.is_empty()).then_some(ns);
        let by_name = format!(
            "fieldSelector={}",
            escape_query(&format!("metadata.name={name}"))
        );
        let version = self.version_of(kind);
        let base = kind_collection_at(
            kind,
            &version,
            ns.or(Some("default")).filter(|_| kind.info().namespaced),
        );
        let Ok(list) = self.call(
            "GET",
            &format!("{base}?{by_name}&limit=500&resourceVersion=0"),
            "application/json",
            "",
            None,
        ) else {
            return false;
        };
        let rv = list
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let gone = list
            .get("items")
            .and_then(Value::as_array)
            .is_none_or(|i| i.is_empty());
        let timeout_s = (timeout_ms.max(0) + 999) / 1000;
        let r = self.send(
            "GET",
            &format!("{base}?allowWatchBookmarks=true&{by_name}&resourceVersion={rv}&timeoutSeconds={timeout_s}&watch=true"),
            "application/json",
            "",
            Vec::new(),
        );
        match r.watch {
            Some(cursor) => {
                let seen = gone || saw_deleted(&r.body);
                self.watch = Some((cursor, seen));
                true
            }
            None => false,
        }
    }

    fn delete_seen(&mut self) -> Option<bool> {
        let (cursor, seen) = self.watch.as_mut()?;
        if !*seen {
            let poll = watch_poll(self.cluster, cursor);
            *seen = poll.chunks.iter().any(|c| saw_deleted(c));
        }
        Some(*seen)
    }

    fn end_delete_watch(&mut self) {
        self.watch = None;
    }

    fn now_ms(&self) -> i64 {
        self.cluster.now_ms()
    }

    fn advance_ms(&mut self, ms: i64) {
        // advance() only refuses negative or absurd spans, which callers never pass.
        let _ = self.cluster.advance(ms.max(0) as f64 / 1000.0);
    }

    fn next_due_ms(&self) -> Option<i64> {
        self.cluster.pending_work().iter().map(|w| w.due_ms).min()
    }
}

/// Whether kubectl's three-way strategic merge patch from (`last`, `new`, `live`)
/// is empty, so that it prints `unchanged`: nothing `new` says differs from
/// `live` (lists of objects matched item by item, as their merge keys match
/// them when the lengths agree, so defaulted fields such as a port's
/// `protocol` and `targetPort` are no change), and nothing `last` had and
/// `new` dropped is still live.
fn patch_is_empty(live: &Value, last: &Value, new: &Value) -> bool {
    fn within(new: &Value, live: &Value) -> bool {
        match (new, live) {
            (Value::Object(n), Value::Object(l)) => n
                .iter()
                .all(|(k, v)| l.get(k).is_some_and(|lv| within(v, lv))),
            (Value::Array(n), Value::Array(l)) => {
                n.len() == l.len() && n.iter().zip(l).all(|(a, b)| within(a, b))
            }
            _ => new == live,
        }
    }
    fn nothing_dropped(live: &Value, last: &Value, new: &Value) -> bool {
        let (Value::Object(la), Value::Object(l)) = (last, live) else {
            return true;
        };
        la.iter().all(|(k, lav)| match new.get(k) {
            None => !l.contains_key(k),
            Some(nv) => l.get(k).is_none_or(|lv| nothing_dropped(lv, lav, nv)),
        })
    }
    within(new, live) && nothing_dropped(live, last, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_diffs_round_trip() {
        let from = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [1]});
        let to = json!({"a": 1, "b": {"c": 5}, "e": [2], "f": "x"});
        assert_eq!(
            merge_diff(&from, &to),
            json!({"b": {"c": 5, "d": null}, "e": [2], "f": "x"})
        );
    }

    #[test]
    fn paths_and_escaping() {
        assert_eq!(
            item(Kind::Service, "", "web"),
            "/api/v1/namespaces/default/services/web"
        );
        assert_eq!(
            item(Kind::ServiceCIDR, "ns", "a b"),
            "/apis/networking.k8s.io/v1/servicecidrs/a%20b"
        );
        assert_eq!(kind_collection(Kind::Service, None), "/api/v1/services");
        assert_eq!(
            kind_collection(Kind::Event, Some("default")),
            "/apis/events.k8s.io/v1/namespaces/default/events"
        );
    }
}
