//! Content negotiation: which representation the client's `Accept` asks for
//! (a meta.k8s.io Table, aggregated discovery v2/v2beta1, or plain JSON), and
//! what a request body's `Content-Type` is.

use crate::http::header;
use crate::Request;

/// One media range of an Accept header: `type/subtype` plus its parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct MediaRange {
    pub mime: String,
    pub params: Vec<(String, String)>,
}

impl MediaRange {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// JSON without an `as=` conversion (or any type): the object itself.
    fn plain_json(&self) -> bool {
        self.param("as").is_none()
            && matches!(
                self.mime.as_str(),
                "application/json" | "*/*" | "application/*"
            )
    }
}

/// An Accept (or Content-Type) header, split into media ranges in the client's
/// order. The apiserver honours the first one it can serve.
pub fn media_ranges(value: &str) -> Vec<MediaRange> {
    value
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let mime = pieces.next()?.trim().to_ascii_lowercase();
            if mime.is_empty() {
                return None;
            }
            let params = pieces
                .filter_map(|p| {
                    let (k, v) = p.split_once('=')?;
                    Some((
                        k.trim().to_ascii_lowercase(),
                        v.trim().trim_matches('"').to_string(),
                    ))
                })
                .collect();
            Some(MediaRange { mime, params })
        })
        .collect()
}

fn accept(req: &Request) -> Vec<MediaRange> {
    media_ranges(header(req, "Accept").unwrap_or(""))
}

/// The Table version (`v1` or `v1beta1`) when the client's first servable
/// choice is a meta.k8s.io Table; None for the object itself.
pub fn table_version(req: &Request) -> Option<&'static str> {
    for m in accept(req) {
        if m.param("as") == Some("Table") && m.param("g") == Some("meta.k8s.io") {
            match m.param("v") {
                Some("v1") => return Some("v1"),
                Some("v1beta1") => return Some("v1beta1"),
                _ => continue,
            }
        }
        if m.plain_json() {
            return None;
        }
    }
    None
}

/// Aggregated discovery (`apidiscovery.k8s.io` v2 or v2beta1) when the client's
/// first servable choice asks for it; None for the legacy documents.
pub fn discovery_version(req: &Request) -> Option<&'static str> {
    for m in accept(req) {
        if m.param("as") == Some("APIGroupDiscoveryList")
            && m.param("g") == Some("apidiscovery.k8s.io")
        {
            match m.param("v") {
                Some("v2") => return Some("v2"),
                Some("v2beta1") => return Some("v2beta1"),
                _ => continue,
            }
        }
        if m.plain_json() {
            return None;
        }
    }
    None
}

/// The body's media type without parameters, lower-cased; JSON when absent.
pub fn content_type(req: &Request) -> String {
    let raw = header(req, "Content-Type").unwrap_or("");
    let base = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if base.is_empty() {
        "application/json".into()
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(accept: &str) -> Request {
        Request {
            method: "GET".into(),
            path: "/api".into(),
            query: String::new(),
            headers: vec![("accept".into(), accept.into())],
            body: Vec::new(),
            user: None,
        }
    }

    #[test]
    fn kubectl_get_asks_for_a_v1_table() {
        let r = req("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
        assert_eq!(table_version(&r), Some("v1"));
        assert_eq!(table_version(&req("application/json")), None);
        assert_eq!(
            table_version(&req("application/json;as=Table;v=v9;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io")),
            Some("v1beta1")
        );
        assert_eq!(table_version(&req("")), None);
    }

    #[test]
    fn discovery_follows_the_clients_order() {
        let both = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        assert_eq!(discovery_version(&req(both)), Some("v2"));
        let old = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        assert_eq!(discovery_version(&req(old)), Some("v2beta1"));
        assert_eq!(discovery_version(&req("application/json")), None);
        assert_eq!(discovery_version(&req("")), None);
    }
}
