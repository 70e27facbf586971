//! What `cluster.handle()` takes and returns in JS: the HTTP entry of the Node server
//! (`servicecidr-sim apiserver`), a thin envelope around the apiserver crate's Request/Response.

use crate::apiserver::{Request, UserInfo, WatchPoll};
use serde::{Deserialize, Serialize, Serializer};

/// One HTTP request, already read (`body` is taken from the JS object separately).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct HttpRequest {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query, percent-encoded, without the `?`.
    pub query: Option<String>,
    pub headers: Option<Vec<(String, String)>>,
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(type = "Uint8Array | string", optional = nullable))]
    pub body: Vec<u8>,
    /// Who is asking, as the server authenticated them (none: anonymous).
    pub user: Option<HttpUser>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HttpUser {
    pub username: String,
    pub groups: Vec<String>,
}

impl From<HttpRequest> for Request {
    fn from(r: HttpRequest) -> Request {
        Request {
            method: r.method,
            path: r.path,
            query: r.query.unwrap_or_default(),
            headers: r.headers.unwrap_or_default(),
            body: r.body,
            user: r.user.map(|u| UserInfo {
                username: u.username,
                uid: String::new(),
                groups: u.groups,
            }),
        }
    }
}

/// Bytes that reach JS as a `Uint8Array`.
#[derive(Clone, Debug, Default)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

/// The answer; `watch` names an open watch stream to poll with `watchPoll(id)`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    #[cfg_attr(feature = "ts", ts(type = "Uint8Array"))]
    pub body: Bytes,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub watch: Option<u32>,
}

/// More of an open watch: complete JSON lines; `done` once the stream has ended.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HttpWatchPoll {
    #[cfg_attr(feature = "ts", ts(type = "Uint8Array[]"))]
    pub chunks: Vec<Bytes>,
    pub done: bool,
}

impl From<WatchPoll> for HttpWatchPoll {
    fn from(p: WatchPoll) -> HttpWatchPoll {
        HttpWatchPoll {
            chunks: p.chunks.into_iter().map(Bytes).collect(),
            done: p.done,
        }
    }
}
