//! The compact snapshot (`snapshot({ compact: true })`): the same state as the full form,
//! small enough for localStorage and share links (issue #14: ≤ 40 B per Service gzip), and
//! written and read from the typed objects without a JSON tree per object.
//!
//! What makes it small, and why each step is lossless:
//! - A Service that differs from the Service before it only in name, uid, resourceVersion,
//!   creationTimestamp and ClusterIPs is written as a row of those values
//!   `[name, uid, rv, msSincePrevious, ...clusterIPs]`; any other Service whole.
//! - A `metadata.uid` the cluster's own PRNG drew is written as the index of that draw in
//!   the stream of `config.seed` (a small number instead of 122 random bits); the reader
//!   draws the stream again. Any other uid is written as it is.
//! - The IPAddress the allocator wrote for each ClusterIP of a Service (named by the IP,
//!   parentRef naming that Service) is written as `[uid, rv, ms]` relative to the Service,
//!   when it differs from the IPAddress before it only in those and its name and parentRef;
//!   whole otherwise, and `0` for a ClusterIP without one. Every IPAddress that is not a
//!   Service's (imported, orphaned, inconsistent) is kept whole in `ipAddresses`.
//! - A watch-log entry whose object is the stored object of that resourceVersion is
//!   written as `[rv, type]`.
//! - The trace (why things happened) is left out; its sequence number continues.

use super::snapshot::{header, snapshot_parts, Snapshot};
use super::store::{LogObject, WatchEvent, WatchEventRef, WatchObject};
use super::Cluster;
use crate::model::{ApiError, IPAddress, Service, Time};
use crate::rng::{uuid_from_words as uuid_of, Rng};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

pub const COMPACT_FORMAT: &str = "servicecidr-sim/snapshot-compact/v1";

/// How many PRNG draws the writer replays to find uids, and the most a reader accepts:
/// 5-6 draws per Service create, so about 10^7 Services (a few seconds natively).
const MAX_DRAWS: u64 = 1 << 26;

fn bad(msg: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("not a servicecidr-sim compact snapshot: {msg}"))
}

/// The uuid's 128 bits without the version and variant bits (what the two words decide).
fn uuid_key(uid: &str) -> Option<u128> {
    let b = uid.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    let mut v: u128 = 0;
    for (i, c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            continue;
        }
        v = (v << 4) | u128::from((*c as char).to_digit(16)?);
    }
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

/// A uid as the snapshot writes it: the draw index, or the uid itself.
fn uid_out(uid: &str, draws: &HashMap<String, u64>) -> Value {
    match draws.get(uid) {
        Some(k) => json!(k),
        None => json!(uid),
    }
}

fn ms(t: Option<Time>) -> Option<i64> {
    t.map(|t| t.0)
}

/// The row of `s` against `prev`, if `s` is `prev` but for the row's fields.
fn service_row(prev: &Service, s: &Service, draws: &HashMap<String, u64>) -> Option<Value> {
    let rv: u64 = s.metadata.resource_version.parse().ok()?;
    let delta =
        ms(s.metadata.creation_timestamp)?.checked_sub(ms(prev.metadata.creation_timestamp)?)?;
    if rv.to_string() != s.metadata.resource_version
        || s.spec.cluster_ips.first() != Some(&s.spec.cluster_ip)
    {
        return None;
    }
    let mut p = prev.clone();
    p.metadata.name.clone_from(&s.metadata.name);
    p.metadata.uid.clone_from(&s.metadata.uid);
    p.metadata
        .resource_version
        .clone_from(&s.metadata.resource_version);
    p.metadata.creation_timestamp = s.metadata.creation_timestamp;
    p.spec.cluster_ip.clone_from(&s.spec.cluster_ip);
    p.spec.cluster_ips.clone_from(&s.spec.cluster_ips);
    if p != *s {
        return None;
    }
    let mut row = vec![
        json!(s.metadata.name),
        uid_out(&s.metadata.uid, draws),
        json!(rv),
        json!(delta),
    ];
    row.extend(s.spec.cluster_ips.iter().map(|ip| json!(ip)));
    Some(Value::Array(row))
}

/// The IPAddress the allocator wrote for ClusterIP `ip` of `svc`, if it is there.
fn is_services(ip: &IPAddress, name: &str, svc: &Service) -> bool {
    ip.metadata.name == name
        && ip.spec.parent_ref.as_ref().is_some_and(|p| {
            p.is_core_service()
                && p.namespace == svc.metadata.namespace
                && p.name == svc.metadata.name
        })
}

/// `prev` (the IPAddress before) turned into the one of ClusterIP `name` of `svc`.
fn predict_ip(prev: &IPAddress, name: &str, svc: &Service) -> IPAddress {
    let mut p = prev.clone();
    p.metadata.name = name.to_string();
    if let Some(r) = p.spec.parent_ref.as_mut() {
        r.namespace.clone_from(&svc.metadata.namespace);
        r.name.clone_from(&svc.metadata.name);
    }
    p
}

/// `[uid, rv - svc rv, ms - svc ms]` of `ip` against `prev`, if that is all that differs.
/// `svc_draw`: the Service's uid draw index when its row carries one.
fn ip_row(
    prev: &IPAddress,
    ip: &IPAddress,
    svc: &Service,
    svc_draw: Option<u64>,
    draws: &HashMap<String, u64>,
) -> Option<Value> {
    let rv: i64 = ip.metadata.resource_version.parse().ok()?;
    let svc_rv: i64 = svc.metadata.resource_version.parse().ok()?;
    let delta =
        ms(ip.metadata.creation_timestamp)?.checked_sub(ms(svc.metadata.creation_timestamp)?)?;
    if rv.to_string() != ip.metadata.resource_version {
        return None;
    }
    let mut p = predict_ip(prev, &ip.metadata.name, svc);
    p.metadata.uid.clone_from(&ip.metadata.uid);
    p.metadata
        .resource_version
        .clone_from(&ip.metadata.resource_version);
    p.metadata.creation_timestamp = ip.metadata.creation_timestamp;
    if p != *ip {
        return None;
    }
    // The uid as a draw index relative to the Service's when both are indexes.
    let uid = match (draws.get(&ip.metadata.uid), svc_draw) {
        (Some(k), Some(s)) => json!(*k as i64 - s as i64),
        _ => json!(ip.metadata.uid),
    };
    Some(json!([uid, rv.checked_sub(svc_rv)?, delta]))
}

pub(crate) fn snapshot_compact(c: &Cluster) -> Value {
    let mut out = snapshot_parts(c, false);
    let seed: u64 = c.config.seed.parse().unwrap_or(0);
    let wanted: Vec<&str> = c
        .store
        .services_iter()
        .map(|s| s.metadata.uid.as_str())
        .chain(
            c.store
                .ip_addresses
                .values()
                .map(|i| i.metadata.uid.as_str()),
        )
        .collect();
    let draws = find_uid_draws(seed, &c.rng, &wanted);
    let whole = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);

    let mut services = Vec::with_capacity(c.store.service_count());
    let mut slots = Vec::with_capacity(c.store.service_count());
    let mut derived: BTreeSet<&str> = BTreeSet::new();
    let mut prev_svc: Option<&Service> = None;
    let mut prev_ip: Option<&IPAddress> = None;
    for s in c.store.services_iter() {
        let row = prev_svc.and_then(|p| service_row(p, s, &draws));
        let svc_draw = row.as_ref().and_then(|r| r.get(1)).and_then(Value::as_u64);
        services.push(row.unwrap_or_else(|| whole(serde_json::to_value(s))));
        prev_svc = Some(s);
        for name in &s.spec.cluster_ips {
            match c.store.ip_addresses.get_key_value(name) {
                Some((k, ip)) if !derived.contains(k.as_str()) && is_services(ip, name, s) => {
                    let row = prev_ip.and_then(|p| ip_row(p, ip, s, svc_draw, &draws));
                    slots.push(row.unwrap_or_else(|| whole(serde_json::to_value(ip))));
                    prev_ip = Some(ip);
                    derived.insert(k);
                }
                _ => slots.push(json!(0)),
            }
        }
    }
    let others: Vec<Value> = c
        .store
        .ip_addresses
        .iter()
        .filter(|(k, _)| !derived.contains(k.as_str()))
        .map(|(_, ip)| whole(serde_json::to_value(ip)))
        .collect();

    // The watch log: entries whose object is stored at that resourceVersion by reference.
    let watch_log: Vec<Value> = c
        .store
        .watch_log
        .iter()
        .filter_map(|e| {
            let stored = match &e.object {
                // References are to the object stored at the entry's resourceVersion.
                LogObject::Service(..) | LogObject::IPAddress(_) => true,
                LogObject::Owned(o) => {
                    let stored = match o {
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
                    stored && e.rv.to_string() == rv_of(o)
                }
            };
            if stored {
                Some(json!([e.rv, e.type_]))
            } else {
                let object = c.store.watch_object(e)?;
                Some(whole(serde_json::to_value(WatchEventRef {
                    rv: e.rv,
                    type_: &e.type_,
                    object,
                })))
            }
        })
        .collect();

    if let Some(m) = out.as_object_mut() {
        m.insert("format".into(), json!(COMPACT_FORMAT));
        m.insert("services".into(), Value::Array(services));
        m.insert("ipAddressSlots".into(), Value::Array(slots));
        m.insert("ipAddresses".into(), Value::Array(others));
        m.insert("watchLog".into(), Value::Array(watch_log));
        m.remove("trace");
    }
    out
}

fn rv_of(o: &WatchObject) -> String {
    match o {
        WatchObject::Service(s) => s.metadata.resource_version.clone(),
        WatchObject::IPAddress(ip) => ip.metadata.resource_version.clone(),
        WatchObject::ServiceCIDR(sc) => sc.metadata.resource_version.clone(),
        WatchObject::Generic(v) => v
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    }
}

fn take_array(m: &mut serde_json::Map<String, Value>, k: &str) -> Result<Vec<Value>, ApiError> {
    match m.remove(k) {
        Some(Value::Array(a)) => Ok(a),
        None => Ok(Vec::new()),
        Some(_) => Err(bad(format!("{k} is not an array"))),
    }
}

/// A uid from the snapshot: a string as is, a number as a draw index (resolved later).
enum Uid {
    Literal(String),
    Draw(u64),
}

fn uid_in(v: &Value) -> Result<Uid, ApiError> {
    match v {
        Value::String(s) => Ok(Uid::Literal(s.clone())),
        v => v
            .as_u64()
            .filter(|k| *k < MAX_DRAWS)
            .map(Uid::Draw)
            .ok_or_else(|| bad(format!("uid {v} is neither a string nor a draw index"))),
    }
}

fn int(v: Option<&Value>, what: &str) -> Result<i64, ApiError> {
    v.and_then(Value::as_i64)
        .ok_or_else(|| bad(format!("{what} is not a whole number")))
}

fn str_of<'a>(v: Option<&'a Value>, what: &str) -> Result<&'a str, ApiError> {
    v.and_then(Value::as_str)
        .ok_or_else(|| bad(format!("{what} is not a string")))
}

/// Where a watch-log reference points: an index into the decoded objects.
enum WatchObjectRef {
    Service(usize),
    IPAddress(usize),
    ServiceCIDR(usize),
}

/// The full snapshot (typed) a compact one stands for.
pub(crate) fn expand(mut v: Value) -> Result<Snapshot, ApiError> {
    let m = v.as_object_mut().ok_or_else(|| bad("not an object"))?;
    let enc_services = take_array(m, "services")?;
    let slots = take_array(m, "ipAddressSlots")?;
    let others = take_array(m, "ipAddresses")?;
    let watch_log = take_array(m, "watchLog")?;
    let mut s = header(v)?;
    let seed: u64 = s.config.seed.parse().map_err(bad)?;

    // Objects, with uids that are draw indexes kept aside until the stream is drawn.
    let mut services: Vec<Service> = Vec::with_capacity(enc_services.len());
    let mut uids: Vec<(bool, usize, u64)> = Vec::new(); // (is a Service, index, draw)
    let mut ips: Vec<IPAddress> = Vec::with_capacity(slots.len());
    let mut slot = slots.iter();
    for e in &enc_services {
        let mut svc_draw = None;
        let svc = match (e, services.last()) {
            (Value::Array(row), Some(prev)) if row.len() >= 4 => {
                let mut p = prev.clone();
                p.metadata.name = str_of(row.first(), "a Service name")?.to_string();
                match uid_in(&row[1])? {
                    Uid::Literal(u) => p.metadata.uid = u,
                    Uid::Draw(k) => {
                        svc_draw = Some(k);
                        uids.push((true, services.len(), k));
                    }
                }
                p.metadata.resource_version = int(row.get(2), "a resourceVersion")?.to_string();
                let t = ms(prev.metadata.creation_timestamp).unwrap_or(0);
                let t = t
                    .checked_add(int(row.get(3), "a timestamp")?)
                    .ok_or_else(|| bad("time"))?;
                p.metadata.creation_timestamp = Some(Time(t));
                p.spec.cluster_ips = row[4..]
                    .iter()
                    .map(|ip| str_of(Some(ip), "a ClusterIP").map(str::to_string))
                    .collect::<Result<_, _>>()?;
                p.spec.cluster_ip = p.spec.cluster_ips.first().cloned().unwrap_or_default();
                p
            }
            (Value::Object(_), _) => serde_json::from_value(e.clone()).map_err(bad)?,
            _ => return Err(bad("a Service entry is neither a row nor an object")),
        };
        for name in &svc.spec.cluster_ips {
            let e = slot
                .next()
                .ok_or_else(|| bad("fewer ipAddressSlots than ClusterIPs"))?;
            let ip = match (e, ips.last()) {
                (Value::Number(n), _) if n.as_u64() == Some(0) => continue,
                (Value::Array(row), Some(prev)) if row.len() == 3 => {
                    let mut p = predict_ip(prev, name, &svc);
                    match &row[0] {
                        Value::String(u) => p.metadata.uid = u.clone(),
                        d => {
                            let Some(k) = svc_draw else {
                                return Err(bad(
                                    "an IPAddress uid relative to a Service without one",
                                ));
                            };
                            let k = (k as i64)
                                .checked_add(int(Some(d), "a uid")?)
                                .and_then(|k| u64::try_from(k).ok())
                                .ok_or_else(|| bad("a uid draw index is out of range"))?;
                            if k >= MAX_DRAWS {
                                return Err(bad("a uid draw index is out of range"));
                            }
                            uids.push((false, ips.len(), k));
                        }
                    }
                    let rv: i64 = svc.metadata.resource_version.parse().map_err(bad)?;
                    p.metadata.resource_version = rv
                        .checked_add(int(row.get(1), "a resourceVersion")?)
                        .ok_or_else(|| bad("a resourceVersion is out of range"))?
                        .to_string();
                    let t = ms(svc.metadata.creation_timestamp).unwrap_or(0);
                    p.metadata.creation_timestamp = Some(Time(
                        t.checked_add(int(row.get(2), "a timestamp")?)
                            .ok_or_else(|| bad("a timestamp is out of range"))?,
                    ));
                    p
                }
                (Value::Object(_), _) => serde_json::from_value(e.clone()).map_err(bad)?,
                _ => {
                    return Err(bad(
                        "an ipAddressSlots entry is neither 0, a row nor an object",
                    ))
                }
            };
            ips.push(ip);
        }
        services.push(svc);
    }
    if slot.next().is_some() {
        return Err(bad("more ipAddressSlots than ClusterIPs"));
    }
    let wanted: BTreeSet<u64> = uids.iter().map(|u| u.2).collect();
    let drawn = uids_at(seed, &wanted)?;
    for (is_service, i, k) in uids {
        let u = drawn.get(&k).cloned().unwrap_or_default();
        match is_service {
            true => services[i].metadata.uid = u,
            false => ips[i].metadata.uid = u,
        }
    }
    for o in others {
        ips.push(serde_json::from_value(o).map_err(bad)?);
    }

    // The watch log, references resolved against the stored objects (cloned only when named).
    let mut by_rv: HashMap<&str, WatchObjectRef> = HashMap::new();
    for (i, x) in services.iter().enumerate() {
        by_rv.insert(&x.metadata.resource_version, WatchObjectRef::Service(i));
    }
    for (i, x) in ips.iter().enumerate() {
        by_rv.insert(&x.metadata.resource_version, WatchObjectRef::IPAddress(i));
    }
    for (i, x) in s.service_cidrs_ref().iter().enumerate() {
        by_rv.insert(&x.metadata.resource_version, WatchObjectRef::ServiceCIDR(i));
    }
    let mut log = Vec::with_capacity(watch_log.len());
    for e in watch_log {
        match &e {
            Value::Array(a) if a.len() == 2 => {
                let rv = a[0]
                    .as_u64()
                    .ok_or_else(|| bad("a watch reference without rv"))?;
                let object = match by_rv.get(rv.to_string().as_str()) {
                    Some(WatchObjectRef::Service(i)) => {
                        WatchObject::Service(Box::new(services[*i].clone()))
                    }
                    Some(WatchObjectRef::IPAddress(i)) => {
                        WatchObject::IPAddress(Box::new(ips[*i].clone()))
                    }
                    Some(WatchObjectRef::ServiceCIDR(i)) => {
                        WatchObject::ServiceCIDR(Box::new(s.service_cidrs_ref()[*i].clone()))
                    }
                    None => return Err(bad(format!("watch reference {rv} names no object"))),
                };
                let type_ = str_of(a.get(1), "a watch event type")?.to_string();
                log.push(WatchEvent { rv, type_, object });
            }
            _ => log.push(serde_json::from_value(e).map_err(bad)?),
        }
    }
    drop(by_rv);
    s.services = services;
    s.ip_addresses = ips;
    s.watch_log = log;
    Ok(s)
}
