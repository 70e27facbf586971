//! The REST surface of the simulated kube-apiserver over the core's request
//! path: `handle(Request) -> Response`. No sockets: the Node adapter, the wasm
//! binding and the in-box kubectl all call it.
//!
//! Routing is here; each concern has its module: [`served`] (what is served,
//! one function), [`discovery`], [`rest`] (the verbs), [`tables`] (server-side
//! printers), [`watch`], [`body`] (decoding), [`negotiate`] (Accept and
//! Content-Type), [`http`] (responses and Status), [`info`] (`/version`, health).

pub mod body;
pub mod discovery;
pub mod duration;
pub mod envelope;
pub mod field_validation;
pub mod fields;
pub mod gofmt;
pub mod http;
pub mod info;
pub mod labels;
pub mod managed_fields;
pub mod negotiate;
pub mod objects;
pub mod openapi;
pub mod openapi_v2;
pub mod patch;
pub mod protobuf;
pub mod rest;
pub mod schema;
pub mod served;
pub mod table_json;
pub mod tables;
pub mod watch;

pub use watch::{watch_poll, WatchCursor, WatchPoll};

use servicecidr_core::Cluster;

/// Who is asking (authentication's answer): the core's identity type, so the
/// request path records and admits the same user.
pub use servicecidr_core::cluster::UserInfo;

/// One HTTP request, already read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// The raw query, percent-encoded, without the `?`.
    pub query: String,
    /// Header names compare case-insensitively.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub user: Option<UserInfo>,
}

/// The answer. For `watch=true` the stream stays open: `body` holds what is
/// already there and [`watch_poll`] yields the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub watch: Option<WatchCursor>,
}

impl Response {
    /// A header's value (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Serves one request against the cluster. Never panics; a failed request
/// changes nothing (the core's request path is transactional). The API
/// warnings the request earned (deprecated versions, admission Warn actions,
/// Service IP notes) go out as `Warning:` headers, as kube-apiserver sends them.
pub fn handle(cluster: &mut Cluster, req: &Request) -> Response {
    // Warnings of calls that were not requests (the JS API) are not this one's.
    cluster.take_warnings();
    let mut response = route(cluster, req);
    for w in cluster.take_warnings() {
        response
            .headers
            .push(("Warning".into(), field_validation::warning_header(&w)));
    }
    response
}

fn route(cluster: &mut Cluster, req: &Request) -> Response {
    // Segments are matched decoded (`%2F` in a name stays inside its segment).
    let decoded: Vec<String> = req
        .path
        .split('/')
        .skip(1)
        .map(http::unescape_path)
        .collect();
    let segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let method = req.method.as_str();
    let get_only = |r: Response| {
        if method == "GET" || method == "HEAD" {
            r
        } else {
            http::method_not_allowed()
        }
    };
    match segments.as_slice() {
        [] | [""] => get_only(info::root(cluster)),
        ["version"] => get_only(info::version(cluster)),
        ["healthz"] | ["livez"] | ["readyz"] => get_only(info::health()),
        ["api"] => get_only(discovery::api(cluster, req)),
        ["apis"] => get_only(discovery::apis(cluster, req)),
        ["api", version] => match served::find(cluster, "", version) {
            Some(gv) => get_only(http::json_response(200, &discovery::resource_list(&gv))),
            None => http::not_found_page(),
        },
        ["apis", group] => match discovery::group(cluster, group) {
            Some(r) => get_only(r),
            None => http::not_found_page(),
        },
        ["apis", group, version] => match served::find(cluster, group, version) {
            Some(gv) => get_only(http::json_response(200, &discovery::resource_list(&gv))),
            None => http::not_found_page(),
        },
        ["openapi", ..] => openapi(cluster, req),
        ["api", version, rest @ ..] => resource_route(cluster, req, "", version, rest),
        ["apis", group, version, rest @ ..] => resource_route(cluster, req, group, version, rest),
        _ => http::not_found_page(),
    }
}

/// `/openapi/v3` (index and group-version documents) and `/openapi/v2`, for
/// the group-versions served.
fn openapi(cluster: &Cluster, req: &Request) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return http::method_not_allowed();
    }
    let keys: Vec<String> = served::served(cluster)
        .iter()
        .map(|gv| openapi::gv_key(&gv.group_version()))
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    if req.path.trim_end_matches('/') == "/openapi/v2" {
        let reply = openapi_v2::reply(http::header(req, "Accept").unwrap_or(""), &keys);
        let mut headers = http::base_headers(reply.content_type);
        headers.push(("Vary".into(), "Accept".into()));
        return Response {
            status: reply.status,
            headers,
            body: reply.body,
            watch: None,
        };
    }
    match openapi::handle(&req.path, &req.query, &keys) {
        Some(reply) => {
            let mut headers = http::base_headers(reply.content_type);
            for (k, v) in reply.headers {
                // A document fetched by its hash may be cached for good.
                headers.retain(|(h, _)| !h.eq_ignore_ascii_case(k));
                headers.push((k.to_string(), v));
            }
            Response {
                status: reply.status,
                headers,
                body: reply.body.into_bytes(),
                watch: None,
            }
        }
        None => http::not_found_page(),
    }
}

fn resource_route(
    cluster: &mut Cluster,
    req: &Request,
    group: &str,
    version: &str,
    rest: &[&str],
) -> Response {
    let Some(gv) = served::find(cluster, group, version) else {
        return http::not_found_page();
    };
    // /namespaces/{ns}/{resource}… addresses a namespaced resource; the
    // namespaces resource itself is /namespaces[/{name}].
    let (namespace, tail) = match rest {
        ["namespaces", ns, resource, tail @ ..]
            if gv.resource(resource).is_some_and(|r| r.namespaced) =>
        {
            (Some(*ns), {
                let mut t = vec![*resource];
                t.extend_from_slice(tail);
                t
            })
        }
        _ => (None, rest.to_vec()),
    };
    let (resource, name, sub) = match tail.as_slice() {
        [r] => (*r, None, None),
        [r, n] => (*r, Some(*n), None),
        [r, n, s] => (*r, Some(*n), Some(*s)),
        _ => return http::not_found_page(),
    };
    let Some(r) = gv.resource(resource).cloned() else {
        return http::not_found_page();
    };
    // A namespaced resource's objects live under /namespaces/{ns}/; without
    // one only the all-namespaces list (and watch) is served.
    if r.namespaced && namespace.is_none() && name.is_some() {
        return http::not_found_page();
    }
    if name.is_some_and(str::is_empty) {
        return http::not_found_page();
    }
    match sub {
        None => {}
        Some("status") if r.status => {}
        Some(_) => return http::not_found_page(),
    }
    let t = rest::Target {
        gv: &gv,
        resource: &r,
        namespace,
        name,
        status: sub.is_some(),
        user: req.user.clone().unwrap_or_default(),
    };
    let q = http::Query(http::parse_query(&req.query));
    match rest::verb_of(req, &t, &q) {
        Some("watch") => watch::start(cluster, req, &t, &q),
        Some(verb) => rest::serve(cluster, req, &t, &q, verb),
        None => http::method_not_allowed(),
    }
}
