//! Request and Response as plain data for a transport that lives outside Rust (the wasm
//! binding's `cluster.handle()`, under the Node server `servicecidr-sim apiserver`), and the
//! open watch streams it keeps by id. The TypeScript declarations are generated from these.

use crate::{handle, watch_poll, Request, UserInfo, WatchCursor, WatchPoll};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use servicecidr_core::Cluster;
use std::collections::BTreeMap;
use std::fmt;

/// One HTTP request, already read.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct HttpRequest {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query, percent-encoded, without the `?`.
    pub query: Option<String>,
    pub headers: Option<Vec<(String, String)>>,
    #[serde(default, deserialize_with = "body_bytes")]
    #[cfg_attr(feature = "ts", ts(type = "Uint8Array | string", optional = nullable))]
    pub body: Vec<u8>,
    /// Who is asking, as the server authenticated them (none: anonymous).
    #[cfg_attr(
        feature = "ts",
        ts(type = "{ username: string, uid?: string, groups?: string[] }", optional = nullable)
    )]
    pub user: Option<UserInfo>,
}

/// A body as a transport hands it: bytes (a JS Uint8Array or Buffer), text
/// (sent as its UTF-8), or nothing.
fn body_bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    struct Body;
    impl<'de> Visitor<'de> for Body {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a Uint8Array or a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
            Ok(v.as_bytes().to_vec())
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<u8>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<u8>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(Body)
}

impl From<HttpRequest> for Request {
    fn from(r: HttpRequest) -> Request {
        Request {
            method: r.method,
            path: r.path,
            query: r.query.unwrap_or_default(),
            headers: r.headers.unwrap_or_default(),
            body: r.body,
            user: r.user,
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

/// Open watch streams by id: `serve` opens one when a response streams, `poll` reads it.
#[derive(Clone, Debug, Default)]
pub struct Watches {
    open: BTreeMap<u32, WatchCursor>,
    last: u32,
}

impl Watches {
    /// Serves one request; a watch response's stream is kept under the returned `watch` id.
    pub fn serve(&mut self, cluster: &mut Cluster, req: HttpRequest) -> HttpResponse {
        let resp = handle(cluster, &req.into());
        let watch = resp.watch.map(|cursor| {
            self.last = self.last.wrapping_add(1);
            self.open.insert(self.last, cursor);
            self.last
        });
        let (status, headers, body) = (resp.status, resp.headers, Bytes(resp.body));
        HttpResponse {
            status,
            headers,
            body,
            watch,
        }
    }

    /// What the stream has to say since the last poll; an ended, closed or unknown id is done.
    pub fn poll(&mut self, cluster: &Cluster, id: u32) -> HttpWatchPoll {
        let poll = match self.open.get_mut(&id) {
            Some(cursor) => watch_poll(cluster, cursor),
            None => WatchPoll {
                chunks: Vec::new(),
                done: true,
            },
        };
        if poll.done {
            self.open.remove(&id);
        }
        poll.into()
    }

    /// Forgets a stream (its client went away).
    pub fn close(&mut self, id: u32) {
        self.open.remove(&id);
    }
}
