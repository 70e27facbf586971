//! The `trace()` ring as it is kept: the records every write makes (its request
//! line, the allocator's pick) are small typed entries, and their text and JSON
//! details are made only when `trace()` or a snapshot reads them. Formatting
//! them on every write was about a quarter of a Service create (issue #14).

use super::{Cluster, TraceRecord, UserInfo, TRACE_LIMIT};
use crate::allocator::range::Pick;
use crate::clock::format_rfc3339_micro;
use crate::model::Resource;
use serde_json::{json, Value};

/// One record of the ring.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TraceEntry {
    /// Made whole when pushed (rare records, and every record a snapshot restored).
    Done(TraceRecord),
    /// A finished request ([`Cluster::trace_request`]).
    Request {
        seq: u64,
        time_ms: i64,
        /// Index into [`Cluster::trace_users`].
        user: u32,
        verb: &'static str,
        resource: Resource,
        subresource: &'static str,
        namespace: String,
        name: String,
        code: u16,
    },
    /// A dynamic ClusterIP pick of the allocator.
    Pick {
        seq: u64,
        time_ms: i64,
        namespace: String,
        name: String,
        pick: Pick,
    },
}

/// An allocator note of the request in flight, traced only if the request commits.
#[derive(Clone, Debug)]
pub(crate) enum PendingTrace {
    Pick {
        namespace: String,
        name: String,
        pick: Pick,
    },
    Text(String),
}

impl TraceEntry {
    pub(crate) fn seq(&self) -> u64 {
        match self {
            TraceEntry::Done(r) => r.seq,
            TraceEntry::Request { seq, .. } | TraceEntry::Pick { seq, .. } => *seq,
        }
    }

    /// The record as `trace()` shows it.
    pub(crate) fn record(&self, users: &[UserInfo]) -> TraceRecord {
        match self {
            TraceEntry::Done(r) => r.clone(),
            TraceEntry::Request {
                seq,
                time_ms,
                user,
                verb,
                resource,
                subresource,
                namespace,
                name,
                code,
            } => {
                let fallback = UserInfo::new("", &[]);
                let user = users.get(*user as usize).unwrap_or(&fallback);
                let (message, details) =
                    request_text(user, verb, *resource, subresource, namespace, name, *code);
                TraceRecord {
                    seq: *seq,
                    time: format_rfc3339_micro(*time_ms),
                    source: "apiserver".into(),
                    message,
                    details,
                    admission: None,
                }
            }
            TraceEntry::Pick {
                seq,
                time_ms,
                namespace,
                name,
                pick: p,
            } => TraceRecord {
                seq: *seq,
                time: format_rfc3339_micro(*time_ms),
                source: "allocator".into(),
                message: format!(
                    "{namespace}/{name}: {} from {} ({} band, random start {})",
                    p.addr,
                    p.cidr,
                    p.band.as_str(),
                    p.start
                ),
                details: json!({"ip": p.addr.to_string(), "cidr": p.cidr.to_string(), "band": p.band.as_str(), "randomStart": p.start.to_string()}),
                admission: None,
            },
        }
    }
}

/// The message and details of a request record.
fn request_text(
    user: &UserInfo,
    verb: &str,
    r: Resource,
    subresource: &str,
    namespace: &str,
    name: &str,
    code: u16,
) -> (String, Value) {
    let info = r.info();
    let mut resource = info.plural.to_string();
    if !subresource.is_empty() {
        resource = format!("{resource}/{subresource}");
    }
    let target = if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    };
    (
        format!("{} {verb} {resource} {target}: {code}", user.username),
        json!({
            "request": {
                "user": user.username,
                "groups": user.groups,
                "verb": verb,
                "resource": info.plural,
                "group": info.group,
                "subresource": subresource,
                "namespace": namespace,
                "name": name,
                "code": code,
            }
        }),
    )
}

impl Cluster {
    /// Appends to the ring, dropping the oldest record past TRACE_LIMIT.
    pub(crate) fn trace_push_entry(&mut self, make: impl FnOnce(u64, i64) -> TraceEntry) {
        self.trace_seq += 1;
        let entry = make(self.trace_seq, self.clock.now_ms());
        self.trace.push_back(entry);
        while self.trace.len() > TRACE_LIMIT {
            self.trace.pop_front();
        }
    }

    /// The index of `user` in the table request records point into.
    fn trace_user(&mut self, user: &UserInfo) -> u32 {
        if let Some(i) = self.trace_users.iter().position(|u| u == user) {
            return i as u32;
        }
        self.trace_users.push(user.clone());
        (self.trace_users.len() - 1) as u32
    }

    /// Records one finished request in `trace()`: who asked what, and the answer.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn trace_request(
        &mut self,
        user: &UserInfo,
        verb: &'static str,
        resource: Resource,
        subresource: &'static str,
        namespace: &str,
        name: &str,
        code: u16,
    ) {
        let user = self.trace_user(user);
        self.trace_push_entry(|seq, time_ms| TraceEntry::Request {
            seq,
            time_ms,
            user,
            verb,
            resource,
            subresource,
            namespace: namespace.to_string(),
            name: name.to_string(),
            code,
        });
    }

    /// Traces the allocator notes of the request that just committed.
    pub(crate) fn flush_trace_buffer(&mut self) {
        let buf = std::mem::take(&mut self.trace_buffer);
        for note in buf {
            match note {
                PendingTrace::Pick {
                    namespace,
                    name,
                    pick,
                } => self.trace_push_entry(|seq, time_ms| TraceEntry::Pick {
                    seq,
                    time_ms,
                    namespace,
                    name,
                    pick,
                }),
                PendingTrace::Text(msg) => self.trace_push("allocator", msg, Value::Null),
            }
        }
    }

    /// The newest `limit` records after `since`, as `trace()` shows them (the
    /// text of the ones left out is never made).
    pub(crate) fn trace_records(&self, since: u64, limit: usize) -> Vec<TraceRecord> {
        let start = self.trace.partition_point(|r| r.seq() <= since);
        let start = start.max(self.trace.len().saturating_sub(limit));
        self.trace
            .range(start..)
            .map(|e| e.record(&self.trace_users))
            .collect()
    }
}
