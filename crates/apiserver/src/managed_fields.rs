//! Field ownership (`metadata.managedFields`) and server-side apply, after
//! structured-merge-diff and apimachinery's managedfields, over the served
//! OpenAPI schemas (struct vs map, `x-kubernetes-list-type`, list map keys).
//!
//! API for the router (`now` is the request time, RFC 3339):
//! - `manager_or_user_agent(fieldManager, User-Agent)`: the manager name of an update.
//! - `validate_patch_options(patch_type, fieldManager, force)`: 422 as PatchOptions validation.
//! - POST/PUT/non-apply PATCH: after decoding + defaulting, before the registry
//!   (allocation): `update(live, &mut new, manager, api_version, subresource, now)`
//!   records what `manager` changed (live None for a create).
//! - `application/apply-patch+yaml`: `decode_apply_body(body)`, then
//!   `apply(live, &config, manager, force, api_version, subresource, now)` → the
//!   object to store (then defaulting/validation as an update or create), or 409
//!   `Apply failed with N conflict(s): …` (details.causes FieldManagerConflict) /
//!   400 / 500 with upstream's texts.
//!
//! Not modelled: capping Update managers at 10 (`ancient-changes`), version
//! conversion of other managers' sets (all served versions share one schema),
//! the exact PathElement order of FieldsV1 keys (JSON objects here are sorted
//! by key text).

use crate::gofmt::go_quote;
use crate::openapi;
use crate::patch::PatchType;
use serde_json::{json, Map, Value};
use servicecidr_core::model::{ApiError, FieldError};
use std::collections::{BTreeMap, BTreeSet};

/// A path as FieldsV1 keys (`f:spec`, `k:{"port":80,"protocol":"TCP"}`, `v:"a"`, `i:0`).
pub type Path = Vec<String>;
pub type FieldSet = BTreeSet<Path>;

// ---------------------------------------------------------------- request helpers

/// managerOrUserAgent: the fieldManager, else the User-Agent up to its first `/`,
/// printable characters only, at most 128 bytes.
pub fn manager_or_user_agent(field_manager: Option<&str>, user_agent: &str) -> String {
    if let Some(m) = field_manager.filter(|m| !m.is_empty()) {
        return m.to_string();
    }
    let prefix = user_agent.split('/').next().unwrap_or("");
    let mut out = String::new();
    for c in prefix.chars() {
        if c.is_control() {
            continue;
        }
        if out.len() + c.len_utf8() > 128 {
            break;
        }
        out.push(c);
    }
    out
}

/// ValidatePatchOptions (fieldManager and force).
pub fn validate_patch_options(
    patch_type: PatchType,
    field_manager: Option<&str>,
    force: Option<bool>,
) -> Result<(), ApiError> {
    let mut errs = Vec::new();
    if patch_type == PatchType::Apply {
        if field_manager.unwrap_or("").is_empty() {
            errs.push(FieldError::required(
                "fieldManager",
                "is required for apply patch",
            ));
        }
    } else if force.is_some() {
        errs.push(FieldError::forbidden(
            "force",
            "may not be specified for non-apply patch",
        ));
    }
    if let Some(m) = field_manager {
        if m.len() > 128 {
            errs.push(FieldError {
                type_: servicecidr_core::model::FieldErrorType::TooLong,
                field: "fieldManager".into(),
                bad_value: None,
                detail: "may not be more than 128 bytes".into(),
                go_value: None,
            });
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid("PatchOptions", "meta.k8s.io", "", &errs))
    }
}

/// An apply body: YAML (JSON is YAML) into JSON.
pub fn decode_apply_body(body: &[u8]) -> Result<Value, ApiError> {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        return Ok(v);
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::bad_request(format!(
            "error encoding patch: error converting YAML to JSON: yaml: {e}"
        ))
    })?;
    let docs = yaml_rust2::YamlLoader::load_from_str(text).map_err(|e| {
        ApiError::bad_request(format!(
            "error encoding patch: error converting YAML to JSON: yaml: {e}"
        ))
    })?;
    let Some(doc) = docs.first() else {
        return Ok(Value::Null);
    };
    // The walks after this recurse; JSON bodies are capped at 128 levels by
    // serde_json, YAML ones here (iteratively, before any recursion).
    if yaml_depth(doc) > MAX_DEPTH {
        return Err(ApiError::bad_request(format!(
            "error encoding patch: error converting YAML to JSON: yaml: exceeded max depth of {MAX_DEPTH}"
        )));
    }
    Ok(yaml_to_json(doc))
}

const MAX_DEPTH: usize = 128;

fn yaml_depth(y: &yaml_rust2::Yaml) -> usize {
    use yaml_rust2::Yaml;
    let mut max = 0;
    let mut stack = vec![(y, 1usize)];
    while let Some((node, d)) = stack.pop() {
        max = max.max(d);
        if d > MAX_DEPTH {
            break;
        }
        match node {
            Yaml::Array(a) => stack.extend(a.iter().map(|x| (x, d + 1))),
            Yaml::Hash(h) => stack.extend(h.iter().flat_map(|(k, v)| [(k, d + 1), (v, d + 1)])),
            _ => {}
        }
    }
    max
}

fn yaml_to_json(y: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::String(s.clone())),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) => s.clone(),
                        other => match yaml_to_json(other) {
                            Value::String(s) => s,
                            v => v.to_string(),
                        },
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => Value::Null,
    }
}

// ---------------------------------------------------------------- schema shapes

#[derive(Clone, Debug)]
enum Shape<'s> {
    Leaf,
    Struct(&'s Map<String, Value>),
    Map {
        elem: Option<&'s Value>,
        atomic: bool,
    },
    List {
        items: Option<&'s Value>,
        kind: ListKind,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum ListKind {
    Atomic,
    Set,
    Map(Vec<String>),
}

struct Schema<'s> {
    all: Option<&'s Map<String, Value>>,
}

impl<'s> Schema<'s> {
    fn resolve(&self, s: Option<&'s Value>) -> Option<&'s Value> {
        let s = s?;
        Some(match self.all {
            Some(all) => openapi::resolve_ref(all, s),
            None => s,
        })
    }

    fn shape(&self, s: Option<&'s Value>) -> Shape<'s> {
        let Some(s) = self.resolve(s) else {
            return Shape::Leaf;
        };
        if let Some(p) = s
            .get("properties")
            .and_then(Value::as_object)
            .filter(|p| !p.is_empty())
        {
            return Shape::Struct(p);
        }
        if let Some(a) = s.get("additionalProperties") {
            return Shape::Map {
                elem: Some(a),
                atomic: s.get("x-kubernetes-map-type").and_then(Value::as_str) == Some("atomic"),
            };
        }
        if s.get("type").and_then(Value::as_str) == Some("array") {
            let kind = match s.get("x-kubernetes-list-type").and_then(Value::as_str) {
                Some("set") => ListKind::Set,
                Some("map") => ListKind::Map(
                    s.get("x-kubernetes-list-map-keys")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|k| k.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                ),
                _ => ListKind::Atomic,
            };
            return Shape::List {
                items: s.get("items"),
                kind,
            };
        }
        Shape::Leaf
    }

    /// The PathElement of a list item, as its FieldsV1 key.
    fn item_pe(
        &self,
        item: &Value,
        items: Option<&'s Value>,
        kind: &ListKind,
        index: usize,
    ) -> Result<String, String> {
        match kind {
            ListKind::Set => Ok(format!("v:{}", item)),
            ListKind::Map(keys) => {
                let props = self
                    .resolve(items)
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object);
                let mut km = Map::new();
                for k in keys {
                    match item.get(k).filter(|v| !v.is_null()) {
                        Some(v) => {
                            km.insert(k.clone(), v.clone());
                        }
                        None => match props.and_then(|p| p.get(k)).and_then(|p| p.get("default")) {
                            Some(d) => {
                                km.insert(k.clone(), d.clone());
                            }
                            None => {
                                return Err(format!(
                                    "associative list with keys has an element that omits key field {} (and doesn't have default value)",
                                    go_quote(k)
                                ))
                            }
                        },
                    }
                }
                Ok(format!("k:{}", Value::Object(km)))
            }
            ListKind::Atomic => Ok(format!("i:{index}")),
        }
    }
}

/// fieldpath.Path.String(): `.spec.ports[port=80,protocol="TCP"].targetPort`.
pub fn path_string(p: &[String]) -> String {
    let mut s = String::new();
    for pe in p {
        if let Some(f) = pe.strip_prefix("f:") {
            s.push('.');
            s.push_str(f);
        } else if let Some(k) = pe.strip_prefix("k:") {
            let m: Map<String, Value> = serde_json::from_str(k).unwrap_or_default();
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}={v}")).collect();
            s.push_str(&format!("[{}]", parts.join(",")));
        } else if let Some(v) = pe.strip_prefix("v:") {
            s.push_str(&format!("[={v}]"));
        } else if let Some(i) = pe.strip_prefix("i:") {
            s.push_str(&format!("[{i}]"));
        }
    }
    s
}

// ---------------------------------------------------------------- walks

fn child(path: &[String], pe: String) -> Path {
    let mut p = path.to_vec();
    p.push(pe);
    p
}

fn as_obj(v: Option<&Value>) -> Option<&Map<String, Value>> {
    v.and_then(Value::as_object)
}

fn as_list(v: Option<&Value>) -> Option<&Vec<Value>> {
    v.and_then(Value::as_array)
}

/// typed.ToFieldSet of an applied configuration; unknown fields are errors
/// (`.spec.foo: field not declared in schema`).
fn to_field_set(
    sc: &Schema,
    v: &Value,
    schema: Option<&Value>,
    path: &Path,
    set: &mut FieldSet,
    errs: &mut Vec<String>,
) {
    match (sc.shape(schema), v) {
        (Shape::Struct(props), Value::Object(m)) => {
            for (k, x) in m {
                let p = child(path, format!("f:{k}"));
                match props.get(k) {
                    None => errs.push(format!("{}: field not declared in schema", path_string(&p))),
                    Some(ps) => {
                        to_field_set(sc, x, Some(ps), &p, set, errs);
                        if x.is_null() || x.as_object().is_some_and(|o| o.is_empty()) {
                            set.insert(p);
                        }
                    }
                }
            }
        }
        (Shape::Map { atomic: true, .. }, _)
        | (
            Shape::List {
                kind: ListKind::Atomic,
                ..
            },
            _,
        ) => {
            set.insert(path.clone());
        }
        (Shape::Map { elem, .. }, Value::Object(m)) => {
            for (k, x) in m {
                let p = child(path, format!("f:{k}"));
                to_field_set(sc, x, elem, &p, set, errs);
                set.insert(p);
            }
        }
        (Shape::List { items, kind }, Value::Array(a)) => {
            for (i, x) in a.iter().enumerate() {
                match sc.item_pe(x, items, &kind, i) {
                    Ok(pe) => {
                        let p = child(path, pe);
                        to_field_set(sc, x, items, &p, set, errs);
                        set.insert(p);
                    }
                    Err(e) => errs.push(format!("{}: {e}", path_string(path))),
                }
            }
        }
        _ => {
            set.insert(path.clone());
        }
    }
}

#[derive(Default, Debug)]
struct Comparison {
    added: FieldSet,
    removed: FieldSet,
    modified: FieldSet,
}

/// typed.Compare: leaves by the rule, every non-leaf node by the post-item hook.
fn compare(
    sc: &Schema,
    lhs: Option<&Value>,
    rhs: Option<&Value>,
    schema: Option<&Value>,
    path: &Path,
    c: &mut Comparison,
) {
    let lhs = lhs.filter(|v| !v.is_null());
    let rhs = rhs.filter(|v| !v.is_null());
    let leaf = |c: &mut Comparison| match (lhs, rhs) {
        (None, Some(_)) => {
            c.added.insert(path.clone());
        }
        (Some(_), None) => {
            c.removed.insert(path.clone());
        }
        (Some(l), Some(r)) if l != r => {
            c.modified.insert(path.clone());
        }
        _ => {}
    };
    match sc.shape(schema) {
        Shape::Struct(_) | Shape::Map { .. } => {
            let shape = sc.shape(schema);
            let atomic = matches!(shape, Shape::Map { atomic: true, .. });
            let (lo, ro) = (as_obj(lhs), as_obj(rhs));
            let empty = lo.is_none_or(|m| m.is_empty()) && ro.is_none_or(|m| m.is_empty());
            if atomic || empty || (lhs.is_some() && lo.is_none()) || (rhs.is_some() && ro.is_none())
            {
                return leaf(c);
            }
            let mut keys: BTreeSet<&String> = BTreeSet::new();
            keys.extend(lo.into_iter().flat_map(|m| m.keys()));
            keys.extend(ro.into_iter().flat_map(|m| m.keys()));
            for k in keys {
                let sub = match &shape {
                    Shape::Struct(p) => p.get(k.as_str()),
                    Shape::Map { elem, .. } => *elem,
                    _ => None,
                };
                compare(
                    sc,
                    lo.and_then(|m| m.get(k.as_str())),
                    ro.and_then(|m| m.get(k.as_str())),
                    sub,
                    &child(path, format!("f:{k}")),
                    c,
                );
            }
        }
        Shape::List { items, kind } => {
            let (la, ra) = (as_list(lhs), as_list(rhs));
            let empty = la.is_none_or(|a| a.is_empty()) && ra.is_none_or(|a| a.is_empty());
            if kind == ListKind::Atomic
                || empty
                || (lhs.is_some() && la.is_none())
                || (rhs.is_some() && ra.is_none())
            {
                return leaf(c);
            }
            let index = |a: Option<&Vec<Value>>| -> BTreeMap<String, Value> {
                let mut m = BTreeMap::new();
                for (i, x) in a.into_iter().flatten().enumerate() {
                    if let Ok(pe) = sc.item_pe(x, items, &kind, i) {
                        m.entry(pe).or_insert_with(|| x.clone());
                    }
                }
                m
            };
            let (li, ri) = (index(la), index(ra));
            let mut pes: BTreeSet<&String> = li.keys().collect();
            pes.extend(ri.keys());
            for pe in pes {
                compare(
                    sc,
                    li.get(pe),
                    ri.get(pe),
                    items,
                    &child(path, pe.clone()),
                    c,
                );
            }
        }
        Shape::Leaf => return leaf(c),
    }
    // postItemHook on every non-leaf node.
    match (lhs, rhs) {
        (None, Some(_)) => {
            c.added.insert(path.clone());
        }
        (Some(_), None) => {
            c.removed.insert(path.clone());
        }
        _ => {}
    }
}

/// typed.Merge with the config winning at leaves; list items ordered as
/// structured-merge-diff's visitListItems does.
fn merge(
    sc: &Schema,
    lhs: Option<&Value>,
    rhs: Option<&Value>,
    schema: Option<&Value>,
) -> Option<Value> {
    let (Some(l), Some(r)) = (lhs, rhs) else {
        return rhs.or(lhs).cloned();
    };
    match sc.shape(schema) {
        Shape::Struct(_) | Shape::Map { atomic: false, .. } => {
            let (Some(lo), Some(ro)) = (l.as_object(), r.as_object()) else {
                return Some(r.clone());
            };
            let shape = sc.shape(schema);
            let mut out = lo.clone();
            for (k, rv) in ro {
                let sub = match &shape {
                    Shape::Struct(p) => p.get(k),
                    Shape::Map { elem, .. } => *elem,
                    _ => None,
                };
                if let Some(v) = merge(sc, lo.get(k), Some(rv), sub) {
                    out.insert(k.clone(), v);
                }
            }
            Some(Value::Object(out))
        }
        Shape::List { items, kind } if kind != ListKind::Atomic => {
            let (Some(la), Some(ra)) = (l.as_array(), r.as_array()) else {
                return Some(r.clone());
            };
            let pes = |a: &Vec<Value>| -> Vec<String> {
                a.iter()
                    .enumerate()
                    .map(|(i, x)| {
                        sc.item_pe(x, items, &kind, i)
                            .unwrap_or_else(|_| format!("i:{i}"))
                    })
                    .collect()
            };
            let (lp, rp) = (pes(la), pes(ra));
            let lget = |pe: &String| lp.iter().position(|p| p == pe).map(|i| &la[i]);
            let rget = |pe: &String| rp.iter().position(|p| p == pe).map(|i| &ra[i]);
            let mut shared: std::collections::VecDeque<&String> =
                rp.iter().filter(|pe| lp.contains(pe)).collect();
            let mut next_shared = shared.pop_front();
            let mut merged_rhs: BTreeSet<&String> = BTreeSet::new();
            let mut out = Vec::new();
            let (mut li, mut ri) = (0, 0);
            while li < lp.len() || ri < rp.len() {
                if li < lp.len() && ri < rp.len() {
                    let pe = &lp[li];
                    if *pe == rp[ri] {
                        merged_rhs.insert(pe);
                        if let Some(v) = merge(sc, lget(pe), rget(pe), items) {
                            out.push(v);
                        }
                        li += 1;
                        ri += 1;
                        next_shared = shared.pop_front();
                        continue;
                    }
                    if rp.contains(pe) && next_shared.is_some_and(|n| n != pe) {
                        li += 1;
                        continue;
                    }
                }
                if li < lp.len() {
                    let pe = &lp[li];
                    if !rp.contains(pe) {
                        if let Some(v) = merge(sc, Some(&la[li]), None, items) {
                            out.push(v);
                        }
                        li += 1;
                        continue;
                    } else if merged_rhs.contains(pe) {
                        li += 1;
                    }
                }
                if ri < rp.len() {
                    let pe = &rp[ri];
                    merged_rhs.insert(pe);
                    if let Some(v) = merge(sc, lget(pe), rget(pe), items) {
                        out.push(v);
                    }
                    ri += 1;
                    if next_shared.is_some_and(|n| n == pe) {
                        next_shared = shared.pop_front();
                    }
                }
            }
            Some(Value::Array(out))
        }
        _ => Some(r.clone()),
    }
}

/// Remove the value at a path (a field, a keyed item or a set member).
fn remove_path(sc: &Schema, v: &mut Value, schema: Option<&Value>, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match (sc.shape(schema), v) {
        (shape @ (Shape::Struct(_) | Shape::Map { .. }), Value::Object(m)) => {
            let Some(k) = first.strip_prefix("f:") else {
                return;
            };
            let sub = match shape {
                Shape::Struct(p) => p.get(k),
                Shape::Map { elem, .. } => elem,
                _ => None,
            };
            if rest.is_empty() {
                m.remove(k);
            } else if let Some(x) = m.get_mut(k) {
                remove_path(sc, x, sub, rest);
            }
        }
        (Shape::List { items, kind }, Value::Array(a)) => {
            let pos = a
                .iter()
                .enumerate()
                .position(|(i, x)| sc.item_pe(x, items, &kind, i).ok().as_ref() == Some(first));
            if let Some(i) = pos {
                if rest.is_empty() {
                    a.remove(i);
                } else {
                    remove_path(sc, &mut a[i], items, rest);
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- managers

/// One managedFields entry, decoded.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    manager: String,
    operation: String,
    api_version: String,
    time: Option<String>,
    subresource: String,
    set: FieldSet,
}

impl Entry {
    /// BuildManagerIdentifier: the entry without time and fields (and without
    /// apiVersion for appliers), as JSON in the Go struct's field order.
    fn identifier(&self) -> String {
        let mut s = format!(
            "{{\"manager\":{},\"operation\":{}",
            serde_json::to_string(&self.manager).unwrap_or_default(),
            serde_json::to_string(&self.operation).unwrap_or_default()
        );
        if self.operation != "Apply" && !self.api_version.is_empty() {
            s.push_str(&format!(
                ",\"apiVersion\":{}",
                serde_json::to_string(&self.api_version).unwrap_or_default()
            ));
        }
        if !self.subresource.is_empty() {
            s.push_str(&format!(
                ",\"subresource\":{}",
                serde_json::to_string(&self.subresource).unwrap_or_default()
            ));
        }
        s.push('}');
        s
    }

    /// printManager.
    fn printed(&self) -> String {
        let mut s = go_quote(&self.manager);
        if !self.subresource.is_empty() {
            s = format!("{s} with subresource {}", go_quote(&self.subresource));
        }
        if self.operation == "Update" {
            s = format!("{s} using {}", self.api_version);
        }
        s
    }
}

/// FieldsV1 JSON → set of paths.
fn decode_fields_v1(v: &Value) -> Option<FieldSet> {
    fn walk(m: &Map<String, Value>, path: &Path, set: &mut FieldSet) -> Option<()> {
        for (k, v) in m {
            if k == "." {
                set.insert(path.clone());
                continue;
            }
            if !(k.starts_with("f:")
                || k.starts_with("k:")
                || k.starts_with("v:")
                || k.starts_with("i:"))
            {
                return None;
            }
            let p = child(path, k.clone());
            let sub = v.as_object()?;
            if sub.is_empty() {
                set.insert(p);
            } else {
                walk(sub, &p, set)?;
            }
        }
        Some(())
    }
    let mut set = FieldSet::new();
    walk(v.as_object()?, &Vec::new(), &mut set)?;
    Some(set)
}

/// Set of paths → FieldsV1 JSON (members with children carry ".").
fn encode_fields_v1(set: &FieldSet) -> Value {
    let mut root = Map::new();
    for p in set {
        let mut cur = &mut root;
        for pe in p {
            let next = cur.entry(pe.clone()).or_insert_with(|| json!({}));
            let Value::Object(m) = next else { break };
            cur = m;
        }
    }
    fn mark(m: &mut Map<String, Value>, path: &Path, set: &FieldSet) {
        for (k, v) in m.iter_mut() {
            let p = child(path, k.clone());
            if let Value::Object(sub) = v {
                if !sub.is_empty() {
                    mark(sub, &p, set);
                    if set.contains(&p) {
                        sub.insert(".".into(), json!({}));
                    }
                }
            }
        }
    }
    mark(&mut root, &Vec::new(), set);
    Value::Object(root)
}

/// DecodeManagedFields; None when an entry is unusable (upstream then resets).
fn decode_entries(mf: &Value) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    for e in mf.as_array()? {
        let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        if e.get("fieldsType").and_then(Value::as_str) != Some("FieldsV1") {
            return None;
        }
        out.push(Entry {
            manager: s("manager"),
            operation: s("operation"),
            api_version: s("apiVersion"),
            time: e.get("time").and_then(Value::as_str).map(str::to_string),
            subresource: s("subresource"),
            set: decode_fields_v1(e.get("fieldsV1").unwrap_or(&Value::Null))?,
        });
    }
    Some(out)
}

fn time_seconds(t: &Option<String>) -> i64 {
    t.as_deref()
        .and_then(servicecidr_core::clock::parse_rfc3339_millis)
        .map(|ms| ms.div_euclid(1000))
        .unwrap_or(0)
}

/// Encode (sortEncodedManagedFields order) into the object; none → no key.
fn store_entries(obj: &mut Value, mut entries: Vec<Entry>) {
    entries.retain(|e| !e.set.is_empty());
    servicecidr_core::sort::sort_by(&mut entries, |p, q| {
        (
            p.operation.as_str(),
            time_seconds(&p.time),
            p.manager.as_str(),
            p.api_version.as_str(),
            p.subresource.as_str(),
        )
            .cmp(&(
                q.operation.as_str(),
                time_seconds(&q.time),
                q.manager.as_str(),
                q.api_version.as_str(),
                q.subresource.as_str(),
            ))
    });
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    if entries.is_empty() {
        meta.remove("managedFields");
        return;
    }
    let list: Vec<Value> = entries
        .iter()
        .map(|e| {
            let mut m = Map::new();
            m.insert("manager".into(), json!(e.manager));
            m.insert("operation".into(), json!(e.operation));
            m.insert("apiVersion".into(), json!(e.api_version));
            if let Some(t) = &e.time {
                m.insert("time".into(), json!(t));
            }
            m.insert("fieldsType".into(), json!("FieldsV1"));
            m.insert("fieldsV1".into(), encode_fields_v1(&e.set));
            if !e.subresource.is_empty() {
                m.insert("subresource".into(), json!(e.subresource));
            }
            Value::Object(m)
        })
        .collect();
    meta.insert("managedFields".into(), Value::Array(list));
}

/// Paths never tracked (stripmeta) plus the fields the subresource resets.
fn tracked(p: &Path, subresource: &str) -> bool {
    const STRIPPED: &[&[&str]] = &[
        &["f:apiVersion"],
        &["f:kind"],
        &["f:metadata"],
        &["f:metadata", "f:name"],
        &["f:metadata", "f:namespace"],
        &["f:metadata", "f:creationTimestamp"],
        &["f:metadata", "f:selfLink"],
        &["f:metadata", "f:uid"],
        &["f:metadata", "f:clusterName"],
        &["f:metadata", "f:generation"],
        &["f:metadata", "f:managedFields"],
        &["f:metadata", "f:resourceVersion"],
    ];
    if STRIPPED
        .iter()
        .any(|s| s.len() == p.len() && s.iter().zip(p).all(|(a, b)| a == b))
    {
        return false;
    }
    let reset = if subresource == "status" {
        "f:spec"
    } else {
        "f:status"
    };
    p.first().map(String::as_str) != Some(reset)
}

/// The object as the typed converter sees it: managedFields out, and the
/// non-pointer structs every object has (metadata, spec) present.
fn typed_view(obj: Option<&Value>) -> Value {
    let mut v = obj.cloned().unwrap_or_else(|| json!({}));
    if !v.is_object() {
        v = json!({});
    }
    if let Some(m) = v.as_object_mut() {
        for k in ["metadata", "spec"] {
            if !m.get(k).is_some_and(Value::is_object) {
                m.insert(k.into(), json!({}));
            }
        }
        if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("managedFields");
        }
    }
    v
}

fn current_entries(live: Option<&Value>, new: Option<&Value>) -> Vec<Entry> {
    fn from(o: Option<&Value>) -> Option<&Value> {
        o.and_then(|o| o.pointer("/metadata/managedFields"))
    }
    if let Some(n) = from(new) {
        // isResetManagedFields: [] or [{}] resets.
        let arr = n.as_array();
        if arr.is_some_and(|a| a.is_empty() || (a.len() == 1 && a[0] == json!({}))) {
            return Vec::new();
        }
        if let Some(e) = decode_entries(n).filter(|e| !e.is_empty()) {
            return e;
        }
    }
    from(live).and_then(decode_entries).unwrap_or_default()
}

struct Ctx<'s> {
    sc: Schema<'s>,
    root: Option<&'s Value>,
}

fn ctx(api_version: &str, kind: &str) -> Ctx<'static> {
    Ctx {
        sc: Schema {
            all: openapi::schemas(api_version),
        },
        root: openapi::schema_of(api_version, kind),
    }
}

/// Record an update by `manager` (POST, PUT, non-apply PATCH) in `new`'s managedFields.
pub fn update(
    live: Option<&Value>,
    new: &mut Value,
    manager: &str,
    api_version: &str,
    subresource: &str,
    now: &str,
) {
    let kind = new
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let cx = ctx(api_version, &kind);
    let mut entries = current_entries(live, Some(new));
    let (l, n) = (typed_view(live), typed_view(Some(new)));
    let mut c = Comparison::default();
    compare(&cx.sc, Some(&l), Some(&n), cx.root, &Vec::new(), &mut c);
    let keep = |s: &FieldSet| -> FieldSet {
        s.iter()
            .filter(|p| tracked(p, subresource))
            .cloned()
            .collect()
    };
    let (added, modified, removed) = (keep(&c.added), keep(&c.modified), keep(&c.removed));
    let me = Entry {
        manager: manager.into(),
        operation: "Update".into(),
        api_version: api_version.into(),
        time: None,
        subresource: subresource.into(),
        set: FieldSet::new(),
    };
    let my_id = me.identifier();
    // Other managers lose what this update changed (force) or removed.
    for e in entries.iter_mut().filter(|e| e.identifier() != my_id) {
        e.set
            .retain(|p| !modified.contains(p) && !added.contains(p) && !removed.contains(p));
    }
    let mine: FieldSet = added.union(&modified).cloned().collect();
    if !mine.is_empty() {
        match entries.iter_mut().find(|e| e.identifier() == my_id) {
            Some(e) => {
                e.set.retain(|p| !removed.contains(p));
                e.set.extend(mine);
                e.time = Some(now.into());
            }
            None => entries.push(Entry {
                set: mine,
                time: Some(now.into()),
                ..me
            }),
        }
    } else if let Some(e) = entries.iter_mut().find(|e| e.identifier() == my_id) {
        e.set.retain(|p| !removed.contains(p));
    }
    store_entries(new, entries);
}

fn gvknn(obj: &Value, api_version: &str, kind: &str) -> String {
    let ns = obj
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let (g, v) = match api_version.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    format!("{ns}/{name}; {g}/{v}, Kind={kind}")
}

/// Server-side apply of `config` by `manager` over `live` (None: the object does
/// not exist yet). Returns the object to store, managedFields included.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    live: Option<&Value>,
    config: &Value,
    manager: &str,
    force: bool,
    api_version: &str,
    subresource: &str,
    now: &str,
) -> Result<Value, ApiError> {
    let Some(cfg) = config.as_object() else {
        return Err(ApiError::bad_request(format!(
            "error decoding patch: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            match config {
                Value::Array(_) => "array",
                Value::String(_) => "string",
                Value::Number(_) => "number",
                Value::Bool(_) => "bool",
                _ => "null",
            }
        )));
    };
    let patch_gv = cfg.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if patch_gv != api_version {
        return Err(ApiError::bad_request(format!(
            "Incorrect version specified in apply patch. Specified patch version: {patch_gv}, expected: {api_version}"
        )));
    }
    if config
        .pointer("/metadata/managedFields")
        .is_some_and(|v| !v.is_null())
    {
        return Err(ApiError::bad_request("metadata.managedFields must be nil"));
    }
    let kind = cfg.get("kind").and_then(Value::as_str).unwrap_or("");
    let cx = ctx(api_version, kind);
    let plain = |msg: String| ApiError::new(500, "", msg);

    // The applier's set: the configuration's fields.
    let mut set = FieldSet::new();
    let mut errs = Vec::new();
    // The set comes from the configuration as sent (an explicit `spec: {}` is owned).
    to_field_set(&cx.sc, config, cx.root, &Vec::new(), &mut set, &mut errs);
    let cfg_view = typed_view(Some(config));
    if !errs.is_empty() {
        return Err(plain(format!(
            "failed to create typed patch object ({}): {}",
            gvknn(config, api_version, kind),
            errs.join("\n")
        )));
    }
    set.retain(|p| tracked(p, subresource));

    let mut entries = current_entries(live, None);
    let live_view = typed_view(live);
    let mut merged = merge(&cx.sc, Some(&live_view), Some(&cfg_view), cx.root).unwrap_or(json!({}));

    let me = Entry {
        manager: manager.into(),
        operation: "Apply".into(),
        api_version: api_version.into(),
        time: Some(now.into()),
        subresource: subresource.into(),
        set: set.clone(),
    };
    let my_id = me.identifier();
    let last = entries
        .iter()
        .find(|e| e.identifier() == my_id)
        .map(|e| e.set.clone())
        .unwrap_or_default();

    // prune: what this applier applied last time, no longer applies, and no one owns.
    let owned: FieldSet = entries
        .iter()
        .filter(|e| e.identifier() != my_id)
        .flat_map(|e| e.set.iter().cloned())
        .chain(set.iter().cloned())
        .collect();
    let owned_under = |p: &Path| {
        owned
            .iter()
            .any(|o| o.len() >= p.len() && o[..p.len()] == p[..])
    };
    let mut to_remove: Vec<&Path> = last.iter().filter(|p| !owned_under(p)).collect();
    // Deepest first, so list positions stay valid.
    servicecidr_core::sort::sort_by_key(&mut to_remove, |p| std::cmp::Reverse(p.len()));
    for p in to_remove {
        remove_path(&cx.sc, &mut merged, cx.root, p);
    }

    // update(): conflicts with other managers over what changes.
    let mut c = Comparison::default();
    compare(
        &cx.sc,
        Some(&live_view),
        Some(&merged),
        cx.root,
        &Vec::new(),
        &mut c,
    );
    let changed: FieldSet = c.modified.union(&c.added).cloned().collect();
    let mut conflicts: Vec<(&Entry, Path)> = Vec::new();
    for e in entries.iter().filter(|e| e.identifier() != my_id) {
        for p in e.set.intersection(&changed) {
            conflicts.push((e, p.clone()));
        }
    }
    if !force && !conflicts.is_empty() {
        return Err(conflict_error(&conflicts));
    }
    let (changed, removed) = (changed, c.removed.clone());
    for e in entries.iter_mut().filter(|e| e.identifier() != my_id) {
        e.set
            .retain(|p| !changed.contains(p) && !removed.contains(p));
    }
    let unchanged = live.is_some()
        && c.added.is_empty()
        && c.modified.is_empty()
        && c.removed.is_empty()
        && last == set;
    match entries.iter_mut().find(|e| e.identifier() == my_id) {
        Some(e) => {
            e.set = set;
            if !unchanged {
                e.time = Some(now.into());
            }
        }
        None => entries.push(me),
    }
    // Keep the live object's fields the typed view added only when they were there.
    if let Some(m) = merged.as_object_mut() {
        for k in ["metadata", "spec"] {
            let was = live.and_then(|l| l.get(k)).is_some() || config.get(k).is_some();
            if !was
                && m.get(k)
                    .is_some_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
            {
                m.remove(k);
            }
        }
        if !m.contains_key("metadata") {
            m.insert("metadata".into(), json!({}));
        }
    }
    store_entries(&mut merged, entries);
    Ok(merged)
}

/// NewConflictError.
fn conflict_error(conflicts: &[(&Entry, Path)]) -> ApiError {
    let causes: Vec<Value> = conflicts
        .iter()
        .map(|(e, p)| {
            json!({"reason": "FieldManagerConflict", "message": format!("conflict with {}", e.printed()), "field": path_string(p)})
        })
        .collect();
    let message = if conflicts.len() == 1 {
        let (e, p) = &conflicts[0];
        format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            e.printed(),
            path_string(p)
        )
    } else {
        let mut by: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
        for (e, p) in conflicts {
            by.entry(e.identifier())
                .or_insert_with(|| (e.printed(), Vec::new()))
                .1
                .push(path_string(p));
        }
        let mut lines = Vec::new();
        for (printed, paths) in by.values() {
            lines.push(format!("conflicts with {printed}:"));
            for p in paths {
                lines.push(format!("- {p}"));
            }
        }
        format!(
            "Apply failed with {} conflicts: {}",
            conflicts.len(),
            lines.join("\n")
        )
    };
    let mut e = ApiError::new(409, "Conflict", message);
    e.details = Some(json!({ "causes": causes }));
    e
}

#[cfg(test)]
mod tests;
