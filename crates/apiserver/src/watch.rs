//! `watch=true`: a stream of `{"type":…,"object":…}` JSON lines from the
//! core's bounded watch log, filtered by namespace and selectors, with
//! `allowWatchBookmarks` bookmarks, `timeoutSeconds` on the cluster clock, and
//! 410 Expired as an ERROR event when the position has left the log.
//!
//! The stream is pull-based: [`start`] answers the request with what is there
//! now and a [`WatchCursor`] (plain data), and [`watch_poll`] yields what has
//! happened since. A transport polls after each write or tick.

use crate::fields::FieldSelector;
use crate::http::{base_headers, error_response, Query};
use crate::labels::Selector;
use crate::negotiate::table_version;
use crate::objects::present;
use crate::rest::{list_objects, selectors, Target};
use crate::served::{self, GroupVersion, ServedResource};
use crate::tables::{self, Printer};
use crate::{Request, Response};
use serde_json::{json, Value};
use servicecidr_core::model::ApiError;
use servicecidr_core::Cluster;

/// kube-apiserver's --min-request-timeout (1800 s): a watch without
/// timeoutSeconds ends after it. (Upstream adds a random 0–100 %; this
/// simulator stays deterministic.)
pub const DEFAULT_WATCH_TIMEOUT_MS: i64 = 1_800_000;
/// How often an idle watch that allows bookmarks gets one (the watch cache's
/// one-minute bookmark frequency).
pub const BOOKMARK_INTERVAL_MS: i64 = 60_000;

/// Where an open watch stands. Plain data, so a transport can keep it anywhere.
#[derive(Clone, Debug, PartialEq)]
pub struct WatchCursor {
    pub group: String,
    pub version: String,
    /// The resource's plural.
    pub resource: String,
    pub namespace: Option<String>,
    pub label_selector: String,
    pub field_selector: String,
    /// The last resourceVersion the stream has covered.
    pub resource_version: u64,
    /// When the stream ends, in cluster milliseconds.
    pub deadline_ms: i64,
    /// The Table version when Table rows were asked for (`kubectl get -w`).
    pub table: Option<String>,
    /// Whether the Table column definitions were sent (only the first row has them).
    pub headers_sent: bool,
    pub bookmarks: bool,
    pub next_bookmark_ms: i64,
    /// The stream has ended (timeout or an ERROR event).
    pub done: bool,
}

/// More of an open watch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WatchPoll {
    /// Complete JSON lines, each ending in `\n`.
    pub chunks: Vec<Vec<u8>>,
    pub done: bool,
}

fn line(v: &Value) -> Vec<u8> {
    let mut b = serde_json::to_vec(v).unwrap_or_default();
    b.push(b'\n');
    b
}

fn event_object(cursor: &mut WatchCursor, r: &ServedResource, obj: Value, now_ms: i64) -> Value {
    match &cursor.table {
        None => obj,
        Some(v) => {
            let t = tables::table(
                Printer::of(r.storage),
                v,
                std::slice::from_ref(&obj),
                now_ms,
                None,
                !cursor.headers_sent,
            );
            cursor.headers_sent = true;
            t
        }
    }
}

/// Answers a `watch=true` request: 200 and the events already due, or the
/// error of a bad request (bad selector, bad resourceVersion).
pub fn start(cluster: &mut Cluster, req: &Request, t: &Target, q: &Query) -> Response {
    match start_inner(cluster, req, t, q) {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

fn start_inner(
    cluster: &mut Cluster,
    req: &Request,
    t: &Target,
    q: &Query,
) -> Result<Response, ApiError> {
    let mut field_selector = q.str_or("fieldSelector", "").to_string();
    if let Some(name) = t.name {
        // A watch on a named path is a watch filtered to that name.
        if !field_selector.is_empty() {
            field_selector.push(',');
        }
        field_selector.push_str(&format!("metadata.name={name}"));
    }
    let (labels, fields) = selectors(
        &Query(vec![
            ("labelSelector".into(), q.str_or("labelSelector", "").into()),
            ("fieldSelector".into(), field_selector.clone()),
        ]),
        t.resource.storage,
    )?;
    let timeout_ms = match q.get("timeoutSeconds") {
        None | Some("") => DEFAULT_WATCH_TIMEOUT_MS,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .map(|v| v.saturating_mul(1000))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "timeoutSeconds: Invalid value: {s:?}: must be a non-negative integer"
                ))
            })?,
    };
    let now = cluster.now_ms();
    let mut cursor = WatchCursor {
        group: t.gv.group.into(),
        version: t.gv.version.into(),
        resource: t.resource.plural.into(),
        namespace: t.namespace.map(str::to_string),
        label_selector: q.str_or("labelSelector", "").into(),
        field_selector,
        resource_version: 0,
        deadline_ms: now.saturating_add(timeout_ms),
        table: table_version(req).map(str::to_string),
        headers_sent: false,
        bookmarks: q.flag("allowWatchBookmarks"),
        next_bookmark_ms: now.saturating_add(BOOKMARK_INTERVAL_MS),
        done: false,
    };
    let mut body = Vec::new();
    match q.get("resourceVersion") {
        // No position (or "0", any position): the current state first, as
        // synthetic ADDED events.
        None | Some("") | Some("0") => {
            let items = list_objects(cluster, t, t.namespace)?;
            cursor.resource_version = cluster.resource_version().parse().unwrap_or(0);
            for obj in items
                .into_iter()
                .filter(|o| labels.matches(o) && fields.matches(o))
            {
                let o = event_object(&mut cursor, t.resource, obj, now);
                body.extend(line(&json!({"type": "ADDED", "object": o})));
            }
        }
        Some(rv) => {
            cursor.resource_version = rv
                .parse()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version {rv:?}")))?;
        }
    }
    let first = watch_poll(cluster, &mut cursor);
    for c in first.chunks {
        body.extend(c);
    }
    let mut headers = base_headers("application/json");
    headers.push(("Transfer-Encoding".into(), "chunked".into()));
    Ok(Response {
        status: 200,
        headers,
        body,
        watch: Some(cursor),
    })
}

fn resolve(cluster: &Cluster, cursor: &WatchCursor) -> Option<(GroupVersion, ServedResource)> {
    let gv = served::find(cluster, &cursor.group, &cursor.version)?;
    let r = gv.resource(&cursor.resource)?.clone();
    Some((gv, r))
}

/// More of an open watch: the matching events since the cursor, a bookmark
/// when one is due, and whether the stream has ended.
pub fn watch_poll(cluster: &Cluster, cursor: &mut WatchCursor) -> WatchPoll {
    let mut out = WatchPoll::default();
    if cursor.done {
        out.done = true;
        return out;
    }
    let Some((gv, r)) = resolve(cluster, cursor) else {
        cursor.done = true;
        out.done = true;
        return out;
    };
    let now = cluster.now_ms();
    let events = match cluster.watch(Some(&cursor.resource_version.to_string())) {
        Ok(evs) => evs,
        Err(e) => {
            out.chunks
                .push(line(&json!({"type": "ERROR", "object": e.status()})));
            cursor.done = true;
            out.done = true;
            return out;
        }
    };
    let labels = Selector::parse(&cursor.label_selector).unwrap_or_default();
    let fields = FieldSelector::parse(&cursor.field_selector, r.storage).unwrap_or_default();
    for ev in events {
        let type_ = ev
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let obj = ev.get("object").cloned().unwrap_or(Value::Null);
        let rv: u64 = obj
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .unwrap_or(cursor.resource_version);
        cursor.resource_version = cursor.resource_version.max(rv);
        if obj.get("kind").and_then(Value::as_str) != Some(r.kind) {
            continue;
        }
        if let Some(ns) = &cursor.namespace {
            if obj.pointer("/metadata/namespace").and_then(Value::as_str) != Some(ns) {
                continue;
            }
        }
        let obj = present(&r, &gv, obj);
        if !(labels.matches(&obj) && fields.matches(&obj)) {
            continue;
        }
        let o = event_object(cursor, &r, obj, now);
        out.chunks.push(line(&json!({"type": type_, "object": o})));
    }
    // Everything up to the store's current revision has been looked at.
    if let Ok(rv) = cluster.resource_version().parse::<u64>() {
        cursor.resource_version = cursor.resource_version.max(rv);
    }
    if cursor.bookmarks && now >= cursor.next_bookmark_ms {
        out.chunks.push(line(&json!({"type": "BOOKMARK", "object": {
            "kind": r.kind, "apiVersion": gv.group_version(),
            "metadata": {"resourceVersion": cursor.resource_version.to_string(), "creationTimestamp": null},
        }})));
        cursor.next_bookmark_ms = now.saturating_add(BOOKMARK_INTERVAL_MS);
    }
    if now >= cursor.deadline_ms {
        cursor.done = true;
        out.done = true;
    }
    out
}
