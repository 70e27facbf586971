//! The compact snapshot (`snapshot({ compact: true })`): the same state as the full form,
//! small enough for localStorage and share links (issue #14: ≤ 40 B per Service gzip).
//!
//! What makes it small, and why each step is lossless:
//! - Each Service is written as a JSON merge patch against the Service before it: Services
//!   made by one script differ in name, uid, resourceVersion and ClusterIP only.
//! - A `metadata.uid` the cluster's own PRNG drew is written as the index of that draw in
//!   the stream of `config.seed` (a small number instead of 122 random bits); the reader
//!   draws the stream again. Any other uid stays as written.
//! - An IPAddress the allocator wrote for a Service (named by one of its ClusterIPs, with a
//!   parentRef to it) is written relative to that Service: name, parentRef, timestamp,
//!   uid index and resourceVersion come from the Service, the rest is a patch against the
//!   IPAddress before it. Every other IPAddress (imported, orphaned, inconsistent) is kept
//!   whole.
//! - A watch-log entry whose object is the stored object of that resourceVersion is
//!   written as its resourceVersion and type only.
//! - The trace (why things happened) is left out; its sequence number continues.
//!
//! The writer checks each patch by applying it and falls back to the whole object when the
//! patch would not give it back (e.g. an object holding a `null`), so any state round-trips.

use super::snapshot::SNAPSHOT_FORMAT;
use super::store::WatchObject;
use super::Cluster;
use crate::model::ApiError;
use crate::rng::Rng;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const COMPACT_FORMAT: &str = "servicecidr-sim/snapshot-compact/v1";

/// How many PRNG draws the writer replays to find uids, and the most a reader accepts:
/// 5-6 draws per Service create, so about 10^7 Services (a few seconds natively).
const MAX_DRAWS: u64 = 1 << 26;

fn bad(msg: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("not a servicecidr-sim compact snapshot: {msg}"))
}

/// Where a patch lists the members it removes. A JSON merge patch (RFC 7386) says `null`
/// instead, but the JS binding drops `null` members on the way in; no member of a
/// Service or IPAddress (struct fields, label and annotation keys) can be named this.
const UNSET: &str = "$unset";

/// A merge patch from `a` to `b` (objects member by member; anything else replaced whole).
fn diff(a: &Value, b: &Value) -> Value {
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return b.clone();
    };
    let mut out = Map::new();
    for (k, bv) in b {
        match a.get(k) {
            Some(av) if av == bv => {}
            Some(av @ Value::Object(_)) if bv.is_object() => {
                out.insert(k.clone(), diff(av, bv));
            }
            _ => {
                out.insert(k.clone(), bv.clone());
            }
        }
    }
    let gone: Vec<Value> = a
        .keys()
        .filter(|k| !b.contains_key(*k))
        .map(|k| json!(k))
        .collect();
    if !gone.is_empty() {
        out.insert(UNSET.into(), Value::Array(gone));
    }
    Value::Object(out)
}

/// Applies a patch from [`diff`].
fn apply(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(t) = target {
        for (k, pv) in p {
            if k == UNSET {
                for gone in pv.as_array().into_iter().flatten() {
                    if let Some(g) = gone.as_str() {
                        t.remove(g);
                    }
                }
            } else {
                apply(t.entry(k.clone()).or_insert(Value::Null), pv);
            }
        }
    }
}

/// A patch against `prev`, or `[whole]` when the patch would not give `cur` back.
fn encode_against(prev: &Value, cur: &Value) -> Value {
    let d = diff(prev, cur);
    let mut check = prev.clone();
    apply(&mut check, &d);
    if check == *cur {
        d
    } else {
        json!([cur])
    }
}

fn decode_against(prev: &Value, enc: &Value) -> Result<Value, ApiError> {
    match enc {
        Value::Array(a) if a.len() == 1 => Ok(a[0].clone()),
        Value::Object(_) => {
            let mut v = prev.clone();
            apply(&mut v, enc);
            Ok(v)
        }
        _ => Err(bad("an object entry is neither a patch nor [object]")),
    }
}

/// A v4 uuid as `Rng::uuid` writes it, from the two words drawn at `k` and `k + 1`.
fn uuid_of(a: u64, b: u64) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The uuid's 128 bits without the version and variant bits (what the two words decide).
fn uuid_key(uid: &str) -> Option<u128> {
    if uid.len() != 36 {
        return None;
    }
    let hex: String = uid.chars().filter(|c| *c != '-').collect();
    let v = u128::from_str_radix(&hex, 16).ok()?;
    Some(v & !(0xf << 76) & !(0x3 << 62))
}

fn key_of(a: u64, b: u64) -> u128 {
    let v = ((a as u128) << 64) | b as u128;
    v & !(0xf << 76) & !(0x3 << 62)
}

/// Draw indexes of the uids in `wanted` that the seed's stream produced (up to the
/// cluster's current PRNG state, at most MAX_DRAWS draws).
fn find_uid_draws(seed: u64, current: &Rng, wanted: &[&str]) -> HashMap<String, u64> {
    let mut keys: HashMap<u128, Vec<&str>> = HashMap::with_capacity(wanted.len());
    for u in wanted {
        if let Some(k) = uuid_key(u) {
            keys.entry(k).or_default().push(u);
        }
    }
    let mut found = HashMap::with_capacity(wanted.len());
    if keys.is_empty() {
        return found;
    }
    let mut r = Rng::from_seed(seed);
    let mut prev = r.next_u64();
    for k in 0..MAX_DRAWS {
        if r == *current {
            break;
        }
        let next = r.next_u64();
        if let Some(uids) = keys.get(&key_of(prev, next)) {
            let s = uuid_of(prev, next);
            for u in uids {
                if *u == s {
                    found.insert(s.clone(), k);
                }
            }
        }
        prev = next;
    }
    found
}

/// The uuids at the draw indexes in `wanted` of the seed's stream.
fn uids_at(seed: u64, wanted: &BTreeSet<u64>) -> Result<HashMap<u64, String>, ApiError> {
    let mut out = HashMap::with_capacity(wanted.len());
    let Some(&last) = wanted.iter().next_back() else {
        return Ok(out);
    };
    if last >= MAX_DRAWS {
        return Err(bad(format!("uid draw index {last} is out of range")));
    }
    let mut r = Rng::from_seed(seed);
    let mut prev = r.next_u64();
    for k in 0..=last {
        let next = r.next_u64();
        if wanted.contains(&k) {
            out.insert(k, uuid_of(prev, next));
        }
        prev = next;
    }
    Ok(out)
}

fn meta_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get("metadata")?.get(key)?.as_str()
}

fn meta_mut(v: &mut Value) -> Option<&mut Map<String, Value>> {
    v.get_mut("metadata")?.as_object_mut()
}

/// Replaces a uid the stream drew by its draw index (a number: a real uid is a string).
fn index_uid(v: &mut Value, draws: &HashMap<String, u64>) -> Option<u64> {
    let k = *draws.get(meta_str(v, "uid")?)?;
    meta_mut(v)?.insert("uid".into(), json!(k));
    Some(k)
}

/// The Service an IPAddress's parentRef names (core group, resource services).
fn parent_of(ip: &Value) -> Option<(&str, &str)> {
    let p = ip.get("spec")?.get("parentRef")?;
    let s = |k: &str| p.get(k).and_then(Value::as_str);
    let core = s("group").unwrap_or("").is_empty();
    (core && s("resource") == Some("services")).then_some((s("namespace")?, s("name")?))
}

fn rv_of(v: &Value) -> Option<u64> {
    meta_str(v, "resourceVersion")?.parse().ok()
}

/// An IPAddress relative to its Service: name and parentRef names dropped (the reader
/// puts them back), uid and resourceVersion as differences from the Service's,
/// creationTimestamp dropped when equal (`false` when the IPAddress has none).
fn relative_ip(ip: &Value, svc: &Value, svc_uid: Option<u64>) -> Value {
    let mut r = ip.clone();
    let svc_rv = rv_of(svc);
    let svc_ts = svc.get("metadata").and_then(|m| m.get("creationTimestamp"));
    if let Some(p) = r
        .get_mut("spec")
        .and_then(|s| s.get_mut("parentRef"))
        .and_then(Value::as_object_mut)
    {
        p.remove("name");
        p.remove("namespace");
    }
    let ip_rv = rv_of(ip);
    if let Some(m) = meta_mut(&mut r) {
        m.remove("name");
        if let (Some(Value::Number(k)), Some(s)) = (m.get("uid"), svc_uid) {
            if let Some(k) = k.as_u64() {
                m.insert("uid".into(), json!(k as i64 - s as i64));
            }
        }
        if let (Some(a), Some(b)) = (ip_rv, svc_rv) {
            if a.to_string() == meta_str(ip, "resourceVersion").unwrap_or("") {
                m.insert("resourceVersion".into(), json!(a as i64 - b as i64));
            }
        }
        match (m.get("creationTimestamp"), svc_ts) {
            (Some(a), Some(b)) if a == b => {
                m.remove("creationTimestamp");
            }
            (None, _) => {
                m.insert("creationTimestamp".into(), json!(false));
            }
            _ => {}
        }
    }
    r
}

/// The inverse of [`relative_ip`]; `svc` has its uid already decoded to a string and
/// `svc_uid` is its draw index.
fn absolute_ip(
    mut r: Value,
    ip_name: &str,
    svc: &Value,
    svc_uid: Option<u64>,
) -> Result<Value, ApiError> {
    let ns = meta_str(svc, "namespace").unwrap_or("").to_string();
    let name = meta_str(svc, "name").unwrap_or("").to_string();
    let svc_rv = rv_of(svc);
    let svc_ts = svc
        .get("metadata")
        .and_then(|m| m.get("creationTimestamp"))
        .cloned();
    if let Some(p) = r
        .get_mut("spec")
        .and_then(|s| s.get_mut("parentRef"))
        .and_then(Value::as_object_mut)
    {
        p.insert("name".into(), json!(name));
        p.insert("namespace".into(), json!(ns));
    }
    let m = meta_mut(&mut r).ok_or_else(|| bad("an IPAddress without metadata"))?;
    m.insert("name".into(), json!(ip_name));
    // A draw index relative to the Service's (absolute when the Service has none).
    if let (Some(Value::Number(d)), Some(s)) = (m.get("uid"), svc_uid) {
        let d = d
            .as_i64()
            .ok_or_else(|| bad("an IPAddress uid is not a whole number"))?;
        let k = u64::try_from(s as i64 + d).map_err(bad)?;
        m.insert("uid".into(), json!(k));
    }
    if let Some(Value::Number(d)) = m.get("resourceVersion") {
        let (Some(d), Some(s)) = (d.as_i64(), svc_rv) else {
            return Err(bad("an IPAddress resourceVersion relative to nothing"));
        };
        m.insert("resourceVersion".into(), json!((s as i64 + d).to_string()));
    }
    match m.get("creationTimestamp") {
        Some(Value::Bool(false)) => {
            m.remove("creationTimestamp");
        }
        None => {
            if let Some(ts) = svc_ts {
                m.insert("creationTimestamp".into(), ts);
            }
        }
        _ => {}
    }
    Ok(r)
}

pub(crate) fn snapshot_compact(c: &Cluster) -> Value {
    // The header: everything but the objects, the watch log and the trace.
    let mut full = super::snapshot::snapshot_parts(c, false);
    let seed: u64 = c.config.seed.parse().unwrap_or(0);

    let mut services: Vec<Value> = c
        .store
        .services_iter()
        .filter_map(|s| serde_json::to_value(s).ok())
        .collect();
    let ips: BTreeMap<&str, Value> = c
        .store
        .ip_addresses
        .iter()
        .filter_map(|(n, ip)| serde_json::to_value(ip).ok().map(|v| (n.as_str(), v)))
        .collect();
    let wanted: Vec<&str> = services
        .iter()
        .chain(ips.values())
        .filter_map(|v| meta_str(v, "uid"))
        .collect();
    let draws = find_uid_draws(seed, &c.rng, &wanted);

    // Services, each a patch against the one before.
    let mut svc_uids = Vec::with_capacity(services.len());
    for s in services.iter_mut() {
        svc_uids.push(index_uid(s, &draws));
    }
    let mut enc_services = Vec::with_capacity(services.len());
    let mut prev = Value::Object(Map::new());
    for s in &services {
        enc_services.push(encode_against(&prev, s));
        prev = s.clone();
    }

    // IPAddresses: one slot per (Service, ClusterIP), in order; 0 = not derived.
    let mut derived_names: BTreeSet<&str> = BTreeSet::new();
    let mut slots = Vec::new();
    let mut prev = Value::Object(Map::new());
    for (s, svc_uid) in services.iter().zip(&svc_uids) {
        let (ns, name) = (
            meta_str(s, "namespace").unwrap_or(""),
            meta_str(s, "name").unwrap_or(""),
        );
        let cluster_ips = s
            .get("spec")
            .and_then(|sp| sp.get("clusterIPs"))
            .and_then(Value::as_array);
        for ip in cluster_ips.into_iter().flatten() {
            let Some(ip) = ip.as_str() else {
                slots.push(json!(0));
                continue;
            };
            match ips.get_key_value(ip) {
                Some((k, v))
                    if !derived_names.contains(k)
                        && meta_str(v, "name") == Some(ip)
                        && parent_of(v) == Some((ns, name)) =>
                {
                    let mut v = v.clone();
                    index_uid(&mut v, &draws);
                    let r = relative_ip(&v, s, *svc_uid);
                    slots.push(encode_against(&prev, &r));
                    prev = r;
                    derived_names.insert(k);
                }
                _ => slots.push(json!(0)),
            }
        }
    }
    let other_ips: Vec<Value> = ips
        .iter()
        .filter(|(k, _)| !derived_names.contains(*k))
        .map(|(_, v)| v.clone())
        .collect();

    // The watch log: entries whose object is stored at that resourceVersion by reference.
    let watch_log: Vec<Value> = c
        .store
        .watch_log
        .iter()
        .map(|e| {
            let stored = match &e.object {
                WatchObject::Service(s) => c
                    .store
                    .service(&s.metadata.namespace, &s.metadata.name)
                    .is_some_and(|x| x == &**s),
                WatchObject::IPAddress(ip) => c
                    .store
                    .ip_addresses
                    .get(&ip.metadata.name)
                    .is_some_and(|x| x == &**ip),
                WatchObject::ServiceCIDR(sc) => c
                    .store
                    .service_cidrs
                    .get(&sc.metadata.name)
                    .is_some_and(|x| x == &**sc),
                WatchObject::Generic(_) => false,
            };
            if stored && e.rv.to_string() == watch_object_rv(&e.object) {
                json!([e.rv, e.type_])
            } else {
                serde_json::to_value(e).unwrap_or(Value::Null)
            }
        })
        .collect();

    if let Some(m) = full.as_object_mut() {
        m.insert("format".into(), json!(COMPACT_FORMAT));
        m.insert("services".into(), Value::Array(enc_services));
        m.insert("ipAddressSlots".into(), Value::Array(slots));
        m.insert("ipAddresses".into(), Value::Array(other_ips));
        m.insert("watchLog".into(), Value::Array(watch_log));
    }
    full
}

fn watch_object_rv(o: &WatchObject) -> String {
    match o {
        WatchObject::Service(s) => s.metadata.resource_version.clone(),
        WatchObject::IPAddress(ip) => ip.metadata.resource_version.clone(),
        WatchObject::ServiceCIDR(sc) => sc.metadata.resource_version.clone(),
        WatchObject::Generic(v) => meta_str(v, "resourceVersion").unwrap_or("").to_string(),
    }
}

/// The full snapshot a compact one stands for.
pub(crate) fn expand(mut v: Value) -> Result<Value, ApiError> {
    let m = v.as_object_mut().ok_or_else(|| bad("not an object"))?;
    let seed: u64 = m
        .get("config")
        .and_then(|c| c.get("seed"))
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("config.seed is missing"))?;
    let take_array = |m: &mut Map<String, Value>, k: &str| match m.remove(k) {
        Some(Value::Array(a)) => Ok(a),
        None => Ok(Vec::new()),
        Some(_) => Err(bad(format!("{k} is not an array"))),
    };
    let enc_services = take_array(m, "services")?;
    let slots = take_array(m, "ipAddressSlots")?;
    let mut ip_addresses = take_array(m, "ipAddresses")?;
    let watch_log = take_array(m, "watchLog")?;

    // Services (uids still as draw indexes).
    let mut services = Vec::with_capacity(enc_services.len());
    let mut prev = Value::Object(Map::new());
    for e in &enc_services {
        let s = decode_against(&prev, e)?;
        prev = s.clone();
        services.push(s);
    }
    // IPAddresses derived from the Services' ClusterIPs.
    let mut slot = slots.iter();
    let mut prev = Value::Object(Map::new());
    let mut derived = Vec::new();
    for s in &services {
        let svc_uid = s
            .get("metadata")
            .and_then(|m| m.get("uid"))
            .and_then(Value::as_u64);
        let cluster_ips = s
            .get("spec")
            .and_then(|sp| sp.get("clusterIPs"))
            .and_then(Value::as_array);
        for ip in cluster_ips.into_iter().flatten() {
            let e = slot
                .next()
                .ok_or_else(|| bad("fewer ipAddressSlots than ClusterIPs"))?;
            if e == &json!(0) {
                continue;
            }
            let r = decode_against(&prev, e)?;
            prev = r.clone();
            let ip = ip
                .as_str()
                .ok_or_else(|| bad("a ClusterIP is not a string"))?;
            derived.push(absolute_ip(r, ip, s, svc_uid)?);
        }
    }
    if slot.next().is_some() {
        return Err(bad("more ipAddressSlots than ClusterIPs"));
    }
    ip_addresses.extend(derived);

    // uids: draw indexes back to the stream's uuids.
    let mut wanted = BTreeSet::new();
    for o in services.iter().chain(ip_addresses.iter()) {
        if let Some(k) = o
            .get("metadata")
            .and_then(|m| m.get("uid"))
            .and_then(Value::as_u64)
        {
            wanted.insert(k);
        }
    }
    let uids = uids_at(seed, &wanted)?;
    for o in services.iter_mut().chain(ip_addresses.iter_mut()) {
        let k = o
            .get("metadata")
            .and_then(|m| m.get("uid"))
            .and_then(Value::as_u64);
        if let (Some(k), Some(m)) = (k, meta_mut(o)) {
            let u = uids.get(&k).cloned().unwrap_or_default();
            m.insert("uid".into(), json!(u));
        }
    }

    // The watch log, references resolved against the stored objects.
    let mut by_rv: HashMap<String, &Value> = HashMap::new();
    let cidrs = m.get("serviceCidrs").and_then(Value::as_array);
    for o in services
        .iter()
        .chain(ip_addresses.iter())
        .chain(cidrs.into_iter().flatten())
    {
        if let Some(rv) = meta_str(o, "resourceVersion") {
            by_rv.insert(rv.to_string(), o);
        }
    }
    let mut log = Vec::with_capacity(watch_log.len());
    for e in watch_log {
        match &e {
            Value::Array(a) if a.len() == 2 => {
                let rv = a[0]
                    .as_u64()
                    .ok_or_else(|| bad("a watch reference without rv"))?;
                let o = by_rv
                    .get(&rv.to_string())
                    .ok_or_else(|| bad(format!("watch reference {rv} names no object")))?;
                log.push(json!({"rv": rv, "type": a[1], "object": o}));
            }
            _ => log.push(e),
        }
    }

    let m = v.as_object_mut().ok_or_else(|| bad("not an object"))?;
    m.insert("format".into(), json!(SNAPSHOT_FORMAT));
    m.insert("services".into(), Value::Array(services));
    m.insert("ipAddresses".into(), Value::Array(ip_addresses));
    m.insert("watchLog".into(), Value::Array(log));
    m.entry("trace").or_insert_with(|| json!([]));
    Ok(v)
}
