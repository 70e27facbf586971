//! Reading manifests the way `kubectl apply|create -f` does.
//!
//! The stream is split and decoded like apimachinery's YAMLOrJSONDecoder:
//! input starting with `{` is read as a stream of JSON values (falling back
//! to YAML at the first value that is not valid JSON); YAML is cut into
//! documents at lines starting with `---`, and each document is converted to
//! JSON as sigs.k8s.io/yaml does with go-yaml v2, i.e. YAML 1.1 typing:
//! `yes/no/on/off/y/n` are booleans, ints in any Go base, quoted scalars are
//! strings, timestamps stay strings, non-string keys become strings
//! (`80:` → "80", `yes:` → "true"), and a float with an integral value
//! comes out of the JSON round trip as an integer. Empty documents are
//! skipped; a `List` (anything with an `items` array) expands to its items.
//!
//! Error texts follow kubectl (`error parsing STDIN: error converting YAML to
//! JSON: yaml: line 3: mapping values are not allowed in this context`,
//! `unable to decode "STDIN": Object 'Kind' is missing in '{"a":1}'`).
//! The YAML syntax check is yaml-rust2's, not go-yaml's: the problem texts
//! are mapped to go-yaml's wording for the common cases and the line number
//! follows go-yaml's convention (1-based for scanner errors, the 0-based
//! line for parser errors, counted from the start of the document), but an
//! exotic malformed input can get a different message or line, and a few
//! inputs one parser accepts the other rejects.

use super::jsonpath::go_quote;
use super::yaml::{go_json_float, resolve_plain, to_json_compact, Resolved};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{ScanError, TScalarStyle};

/// The source name kubectl prints for `-f -`.
pub const STDIN: &str = "STDIN";

/// Alias expansion budget (nodes produced per document), guarding against
/// "billion laughs" documents the way go-yaml's alias ratio check does.
const MAX_NODES: usize = 1_000_000;

/// Deepest collection nesting accepted, aliases expanded. go-yaml allows
/// 10000 (`yaml: exceeded max depth of 10000`); this keeps serde_json's 128,
/// the depth every later recursive step (printers, serde) is safe with on a
/// small wasm stack. No Kubernetes object comes near either.
pub const MAX_DEPTH: usize = 128;

/// All objects of a manifest read from stdin, or the first error.
pub fn parse_manifests(text: &str) -> Result<Vec<Value>, String> {
    parse_manifests_from(text, STDIN)
}

/// [`parse_manifests`] for a named source (kubectl prints file names).
pub fn parse_manifests_from(text: &str, source: &str) -> Result<Vec<Value>, String> {
    parse_manifest_stream(text, source).into_iter().collect()
}

/// The manifest as kubectl's builder visits it: each document in order as an
/// object or a per-document error (kubectl reports those and carries on);
/// a syntax error in the stream is the last entry (kubectl stops there, but
/// objects before it have already been handled).
pub fn parse_manifest_stream(text: &str, source: &str) -> Vec<Result<Value, String>> {
    let mut out = Vec::new();
    let trimmed = text.trim_start();
    let mut yaml_part = text;
    if trimmed.starts_with('{') {
        let offset0 = text.len() - trimmed.len();
        let mut stream = serde_json::Deserializer::from_str(trimmed).into_iter::<Value>();
        let mut last = 0;
        loop {
            match stream.next() {
                None => {
                    yaml_part = "";
                    break;
                }
                Some(Ok(v)) => {
                    let end = stream.byte_offset();
                    let raw = trimmed[last..end].trim();
                    last = end;
                    decode_document(v, raw, source, &mut out);
                }
                Some(Err(_)) => {
                    // Not JSON after all: this value and the rest are YAML.
                    yaml_part = &text[offset0 + last..];
                    break;
                }
            }
        }
    }
    for doc in split_documents(yaml_part) {
        match doc {
            Err(e) => {
                out.push(Err(format!("error parsing {source}: {e}")));
                return out;
            }
            Ok(chunk) => match yaml_to_json(chunk) {
                Err(e) => {
                    out.push(Err(format!(
                        "error parsing {source}: error converting YAML to JSON: {e}"
                    )));
                    return out;
                }
                Ok(None) | Ok(Some(Value::Null)) => {}
                Ok(Some(v)) => {
                    let raw = to_json_compact(&v);
                    decode_document(v, &raw, source, &mut out);
                }
            },
        }
    }
    out
}

/// The unstructured decode kubectl applies to each document's JSON.
fn decode_document(v: Value, raw: &str, source: &str, out: &mut Vec<Result<Value, String>>) {
    let type_name = match &v {
        Value::Object(_) => None,
        Value::Null => return,
        Value::String(_) => Some("string"),
        Value::Array(_) => Some("array"),
        Value::Number(_) => Some("number"),
        Value::Bool(_) => Some("bool"),
    };
    if let Some(t) = type_name {
        out.push(Err(format!(
            "unable to decode {}: json: cannot unmarshal {t} into Go value of type unstructured.detector",
            go_quote(source)
        )));
        return;
    }
    if let Some(items) = v.get("items").and_then(Value::as_array) {
        for item in items {
            let raw = to_json_compact(item);
            decode_document(item.clone(), &raw, source, out);
        }
        return;
    }
    if v.get("kind")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        out.push(Err(format!(
            "unable to decode {}: Object 'Kind' is missing in '{raw}'",
            go_quote(source)
        )));
        return;
    }
    out.push(Ok(v));
}

/// apimachinery's YAMLReader: documents end at lines beginning with `---`,
/// which may only be followed by spaces or a comment.
fn split_documents(text: &str) -> Vec<Result<&str, String>> {
    let mut docs = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = &text[pos..end];
        if let Some(rest) = line.strip_prefix("---") {
            let t = rest.trim();
            if !t.is_empty() && !t.starts_with('#') {
                docs.push(Err(format!("invalid Yaml document separator: {t}")));
                return docs;
            }
            if let Some(s) = start.take() {
                docs.push(Ok(&text[s..pos]));
            }
        } else if start.is_none() {
            start = Some(pos);
        }
        pos = end;
    }
    if let Some(s) = start {
        docs.push(Ok(&text[s..]));
    }
    docs
}

// ---------------------------------------------------------------------------
// One YAML document → JSON value, with go-yaml v2 typing.
// ---------------------------------------------------------------------------

/// A decoded YAML node before the JSON conversion (keys can be any scalar).
#[derive(Clone, Debug)]
enum Y {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    /// A plain `<<` (only meaningful as a mapping key).
    Merge,
    Seq(Vec<Y>),
    Map(Vec<(Y, Y)>),
}

const YAML_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// A tag's standard short name (`int`, `str` …) when it is one of YAML's.
fn std_tag(tag: &Option<Tag>) -> Option<String> {
    let t = tag.as_ref()?;
    if t.handle == "!!" || t.handle == YAML_TAG_PREFIX {
        Some(t.suffix.clone())
    } else if let Some(s) = t.suffix.strip_prefix(YAML_TAG_PREFIX) {
        Some(s.to_string())
    } else {
        Some(format!("{}{}", t.handle, t.suffix))
    }
}

fn resolved_to_y(r: Resolved, text: &str) -> Y {
    match r {
        Resolved::Null => Y::Null,
        Resolved::Bool(b) => Y::Bool(b),
        Resolved::Int(i) => Y::Int(i),
        Resolved::Uint(u) => Y::Uint(u),
        Resolved::Float(f) => Y::Float(f),
        Resolved::Timestamp | Resolved::Str => Y::Str(text.to_string()),
        Resolved::Merge => Y::Merge,
    }
}

fn short_tag_of(r: &Resolved) -> &'static str {
    match r {
        Resolved::Null => "!!null",
        Resolved::Bool(_) => "!!bool",
        Resolved::Int(_) | Resolved::Uint(_) => "!!int",
        Resolved::Float(_) => "!!float",
        Resolved::Timestamp => "!!timestamp",
        Resolved::Merge => "!!merge",
        Resolved::Str => "!!str",
    }
}

fn base64_decode(s: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        if c == '=' {
            break;
        }
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' => 62,
            '/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// go-yaml v2's decoding of one scalar into `interface{}`.
fn scalar(value: &str, style: TScalarStyle, tag: &Option<Tag>) -> Result<Y, String> {
    let tag = std_tag(tag);
    let quoted = style != TScalarStyle::Plain;
    match tag.as_deref() {
        // go-yaml recognises merge keys on the node itself: a plain `<<`.
        None if !quoted && value == "<<" => Ok(Y::Merge),
        Some("merge") => Ok(Y::Merge),
        None if quoted => Ok(Y::Str(value.to_string())),
        None => Ok(resolved_to_y(resolve_plain(value), value)),
        Some("str") => Ok(Y::Str(value.to_string())),
        Some("binary") => base64_decode(value)
            .map(Y::Str)
            .ok_or_else(|| "yaml: !!binary value contains invalid base64 data".to_string()),
        Some(t @ ("int" | "float" | "bool" | "null" | "timestamp")) => {
            let r = resolve_plain(value);
            let ok = matches!(
                (t, &r),
                ("int", Resolved::Int(_) | Resolved::Uint(_))
                    | ("float", Resolved::Float(_))
                    | ("bool", Resolved::Bool(_))
                    | ("null", Resolved::Null)
                    | ("timestamp", Resolved::Timestamp)
            );
            if ok {
                return Ok(resolved_to_y(r, value));
            }
            if t == "float" {
                match r {
                    Resolved::Int(i) => return Ok(Y::Float(i as f64)),
                    Resolved::Uint(u) => return Ok(Y::Float(u as f64)),
                    _ => {}
                }
            }
            Err(format!(
                "yaml: cannot decode {} `{}` as a !!{}",
                short_tag_of(&r),
                value,
                t
            ))
        }
        // Unknown tags (`!foo`) and collection tags on scalars keep the text.
        Some(_) => Ok(Y::Str(value.to_string())),
    }
}

/// go-yaml's problem text for a yaml-rust2 message, and whether libyaml
/// classes it as a parser error (which changes how the line is reported).
fn go_yaml_problem(info: &str) -> (String, bool) {
    let problem = if info.starts_with("while ") {
        info.split_once(", ").map_or(info, |(_, p)| p)
    } else {
        info
    };
    let parser_errors = [
        ("did not find expected key", "did not find expected key"),
        (
            "did not find expected node content",
            "did not find expected node content",
        ),
        (
            "did not find expected '-' indicator",
            "did not find expected '-' indicator",
        ),
        (
            "did not find expected ',' or '}'",
            "did not find expected ',' or '}'",
        ),
        ("expected ',' or ']'", "did not find expected ',' or ']'"),
        (
            "did not find expected <document start>",
            "did not find expected <document start>",
        ),
        (
            "did not find expected <document-start>",
            "did not find expected <document start>",
        ),
        ("the handle wasn't declared", "found undefined tag handle"),
        (
            "duplicate version directive",
            "found duplicate %YAML directive",
        ),
        // yaml-rust2 rejects these while scanning; libyaml reads on and its
        // parser then trips over the next token.
        (
            "invalid trailing content after double-quoted scalar",
            "did not find expected key",
        ),
        (
            "illegal placement of ':' indicator",
            "did not find expected ',' or ']'",
        ),
    ];
    for (from, to) in parser_errors {
        if problem == from {
            return (to.to_string(), true);
        }
    }
    let scanner = match problem {
        "simple key expect ':'" => "could not find expected ':'",
        // go-yaml's own spelling.
        "did not find expected hexadecimal number" => "did not find expected hexdecimal number",
        p if p.starts_with("unexpected character") => "found character that cannot start any token",
        p if p.contains("tab") && !p.contains("block scalar") => {
            "found character that cannot start any token"
        }
        p => p,
    };
    (scanner.to_string(), false)
}

/// go-yaml's `yaml: line N: problem`. It takes the problem's 0-based line,
/// adds one for scanner errors only, and leaves the line out altogether
/// when the problem is on the first line (its context mark is then on the
/// first line too for the cases modelled here).
fn scan_error(e: &ScanError, chunk: &str) -> String {
    let (problem, parser_error) = go_yaml_problem(e.info());
    // yaml-rust2 marks an unterminated scalar at its start; libyaml at the
    // end of the input, where it noticed.
    let line0 = if problem == "found unexpected end of stream" {
        chunk.matches('\n').count()
    } else {
        e.marker().line().saturating_sub(1)
    };
    if line0 == 0 {
        return format!("yaml: {problem}");
    }
    let line = if parser_error { line0 } else { line0 + 1 };
    format!("yaml: line {line}: {problem}")
}

/// The alias name at a marker (the text after `*`), for go-yaml's message.
fn alias_name_at(chunk: &str, char_index: usize) -> String {
    let rest: String = chunk.chars().skip(char_index).collect();
    let rest = rest.strip_prefix('*').unwrap_or(&rest);
    rest.chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect()
}

struct Composer {
    /// Anchored nodes with their collection depth.
    anchors: HashMap<usize, (Y, usize)>,
    open: HashSet<usize>,
    nodes: usize,
}

enum Frame {
    Seq(usize, Vec<Y>),
    Map(usize, Vec<(Y, Y)>, Option<Y>),
}

fn y_depth(y: &Y) -> usize {
    match y {
        Y::Seq(s) => 1 + s.iter().map(y_depth).max().unwrap_or(0),
        Y::Map(m) => {
            1 + m
                .iter()
                .map(|(k, v)| y_depth(k).max(y_depth(v)))
                .max()
                .unwrap_or(0)
        }
        _ => 0,
    }
}

fn depth_error() -> String {
    format!("yaml: exceeded max depth of {MAX_DEPTH}")
}

fn y_size(y: &Y) -> usize {
    match y {
        Y::Seq(s) => 1 + s.iter().map(y_size).sum::<usize>(),
        Y::Map(m) => 1 + m.iter().map(|(k, v)| y_size(k) + y_size(v)).sum::<usize>(),
        _ => 1,
    }
}

impl Composer {
    /// Places a finished node into the enclosing collection (or returns it
    /// when it is the document root).
    fn push(&mut self, stack: &mut [Frame], node: Y) -> Option<Y> {
        match stack.last_mut() {
            None => Some(node),
            Some(Frame::Seq(_, items)) => {
                items.push(node);
                None
            }
            Some(Frame::Map(_, entries, pending)) => {
                match pending.take() {
                    None => *pending = Some(node),
                    Some(k) => entries.push((k, node)),
                }
                None
            }
        }
    }
}

/// Parses one document (the first one in `chunk`) into JSON; `None` when
/// the chunk holds no document.
pub(crate) fn yaml_to_json(chunk: &str) -> Result<Option<Value>, String> {
    let mut parser = Parser::new_from_str(chunk);
    let mut c = Composer {
        anchors: HashMap::new(),
        open: HashSet::new(),
        nodes: 0,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Y> = None;
    let mut in_doc = false;
    loop {
        let (ev, mark) = parser.next_token().map_err(|e| {
            if e.info() == "recursion limit exceeded" {
                depth_error()
            } else if e.info().contains("unknown anchor") {
                format!(
                    "yaml: unknown anchor '{}' referenced",
                    alias_name_at(chunk, e.marker().index())
                )
            } else {
                scan_error(&e, chunk)
            }
        })?;
        let finished = match ev {
            Event::StreamStart | Event::Nothing => None,
            Event::DocumentStart => {
                in_doc = true;
                None
            }
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::Alias(id) => {
                let node = match c.anchors.get(&id) {
                    Some((_, d)) if stack.len() + d > MAX_DEPTH => return Err(depth_error()),
                    Some((n, _)) => n.clone(),
                    None if c.open.contains(&id) => {
                        let name = alias_name_at(chunk, mark.index());
                        return Err(format!("yaml: anchor '{name}' value contains itself"));
                    }
                    None => {
                        let name = alias_name_at(chunk, mark.index());
                        return Err(format!("yaml: unknown anchor '{name}' referenced"));
                    }
                };
                c.nodes += y_size(&node);
                if c.nodes > MAX_NODES {
                    return Err("yaml: document contains excessive aliasing".into());
                }
                c.push(&mut stack, node)
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = scalar(&value, style, &tag)?;
                c.nodes += 1;
                if anchor > 0 {
                    c.anchors.insert(anchor, (node.clone(), 0));
                }
                c.push(&mut stack, node)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error());
                }
                if anchor > 0 {
                    c.open.insert(anchor);
                }
                if matches!(ev, Event::SequenceStart(..)) {
                    stack.push(Frame::Seq(anchor, Vec::new()));
                } else {
                    stack.push(Frame::Map(anchor, Vec::new(), None));
                }
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (anchor, node) = match stack.pop() {
                    Some(Frame::Seq(a, items)) => (a, Y::Seq(items)),
                    Some(Frame::Map(a, entries, _)) => (a, Y::Map(entries)),
                    None => continue,
                };
                c.nodes += 1;
                if anchor > 0 {
                    c.open.remove(&anchor);
                    c.anchors.insert(anchor, (node.clone(), y_depth(&node)));
                }
                c.push(&mut stack, node)
            }
        };
        if let Some(n) = finished {
            root = Some(n);
        }
    }
    if !in_doc && root.is_none() {
        return Ok(None);
    }
    match root {
        None => Ok(None),
        Some(y) => {
            let decoded = decode(y)?;
            to_json_value(decoded).map(Some)
        }
    }
}

/// go-yaml's mapping decode into `map[interface{}]interface{}`: merge keys
/// (`<<`) and duplicate keys assign in order (the last one wins); keys that
/// are collections are refused.
fn decode(y: Y) -> Result<Y, String> {
    match y {
        Y::Seq(items) => Ok(Y::Seq(
            items.into_iter().map(decode).collect::<Result<_, _>>()?,
        )),
        Y::Map(entries) => {
            let mut out: Vec<(Y, Y)> = Vec::new();
            for (k, v) in entries {
                if matches!(k, Y::Merge) {
                    merge_into(&mut out, decode(v)?)?;
                    continue;
                }
                if matches!(k, Y::Seq(_) | Y::Map(_)) {
                    return Err(format!("yaml: invalid map key: {}", go_sharp_v_y(&k)));
                }
                let v = decode(v)?;
                set_key(&mut out, k, v);
            }
            Ok(Y::Map(out))
        }
        Y::Merge => Ok(Y::Str("<<".into())),
        other => Ok(other),
    }
}

fn key_eq(a: &Y, b: &Y) -> bool {
    match (a, b) {
        (Y::Null, Y::Null) => true,
        (Y::Bool(x), Y::Bool(y)) => x == y,
        (Y::Int(x), Y::Int(y)) => x == y,
        (Y::Uint(x), Y::Uint(y)) => x == y,
        (Y::Float(x), Y::Float(y)) => x == y,
        (Y::Str(x), Y::Str(y)) => x == y,
        _ => false,
    }
}

fn set_key(out: &mut Vec<(Y, Y)>, k: Y, v: Y) {
    if let Some(e) = out.iter_mut().find(|(ek, _)| key_eq(ek, &k)) {
        e.1 = v;
    } else {
        out.push((k, v));
    }
}

fn merge_into(out: &mut Vec<(Y, Y)>, v: Y) -> Result<(), String> {
    const WANT_MAP: &str = "yaml: map merge requires map or sequence of maps as the value";
    match v {
        Y::Map(entries) => {
            for (k, v) in entries {
                set_key(out, k, v);
            }
            Ok(())
        }
        Y::Seq(items) => {
            // Earlier maps take precedence, so apply them last.
            for item in items.into_iter().rev() {
                match item {
                    Y::Map(_) => merge_into(out, item)?,
                    _ => return Err(WANT_MAP.into()),
                }
            }
            Ok(())
        }
        _ => Err(WANT_MAP.into()),
    }
}

/// Go `%#v` of decoded YAML (`[]interface {}{"a"}`), for the invalid-key message.
fn go_sharp_v_y(y: &Y) -> String {
    match y {
        Y::Null => "interface {}(nil)".into(),
        Y::Bool(b) => b.to_string(),
        Y::Int(i) => i.to_string(),
        Y::Uint(u) => format!("0x{u:x}"),
        Y::Float(f) => super::yaml::go_format_g(*f),
        Y::Str(s) => go_quote(s),
        Y::Merge => go_quote("<<"),
        Y::Seq(items) => format!(
            "[]interface {{}}{{{}}}",
            items
                .iter()
                .map(go_sharp_v_y)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Y::Map(entries) => format!(
            "map[interface {{}}]interface {{}}{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}:{}", go_sharp_v_y(k), go_sharp_v_y(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Go `%+#v` of a decoded value (a bare nil prints `<nil>`).
fn go_plus_sharp_v(y: &Y) -> String {
    match y {
        Y::Null => "<nil>".into(),
        other => go_sharp_v_y(other),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`, which sigs.k8s.io/yaml uses
/// for float map keys.
fn format_float32_key(f: f64) -> String {
    let f32v = f as f32;
    if f32v.is_nan() {
        return ".nan".into();
    }
    if f32v.is_infinite() {
        return if f32v > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    // Shortest float32 digits, then Go's %g layout.
    let s = format!("{:e}", f32v.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let neg = f32v.is_sign_negative();
    let body = if f32v != 0.0 && !(-4..6).contains(&exp) {
        let mut m = digits[..1].to_string();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.unsigned_abs())
    } else {
        let dp = exp + 1;
        let nd = digits.len() as i32;
        if f32v == 0.0 {
            "0".to_string()
        } else if dp <= 0 {
            format!("0.{}{}", "0".repeat((-dp) as usize), digits)
        } else if dp >= nd {
            format!("{}{}", digits, "0".repeat((dp - nd) as usize))
        } else {
            format!("{}.{}", &digits[..dp as usize], &digits[dp as usize..])
        }
    };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

/// sigs.k8s.io/yaml's conversion to JSON-able values, then the JSON round
/// trip kubectl's decoder performs (json.Marshal, then unstructured numbers:
/// int64 when the text is an integer that fits, float64 otherwise).
fn to_json_value(y: Y) -> Result<Value, String> {
    Ok(match y {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Int(i) => Value::from(i),
        Y::Uint(u) => float_value(u as f64)?,
        Y::Float(f) => float_value(f)?,
        Y::Str(s) => Value::String(s),
        Y::Merge => Value::String("<<".into()),
        Y::Seq(items) => Value::Array(
            items
                .into_iter()
                .map(to_json_value)
                .collect::<Result<_, _>>()?,
        ),
        Y::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                let key = match k {
                    Y::Str(s) => s,
                    Y::Int(i) => i.to_string(),
                    Y::Uint(u) => {
                        return Err(format!(
                            "unsupported map key of type: uint64, key: 0x{u:x}, value: {}",
                            go_plus_sharp_v(&v)
                        ))
                    }
                    Y::Float(f) => format_float32_key(f),
                    Y::Bool(b) => b.to_string(),
                    Y::Merge => "<<".into(),
                    _ => {
                        return Err(format!(
                            "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                            go_plus_sharp_v(&v)
                        ))
                    }
                };
                m.insert(key, to_json_value(v)?);
            }
            Value::Object(m)
        }
    })
}

fn float_value(f: f64) -> Result<Value, String> {
    if f.is_nan() {
        return Err("json: unsupported value: NaN".into());
    }
    if f.is_infinite() {
        return Err(format!(
            "json: unsupported value: {}",
            if f > 0.0 { "+Inf" } else { "-Inf" }
        ));
    }
    let text = go_json_float(f);
    if !text.contains(['.', 'e']) {
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::from(i));
        }
    }
    Ok(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number))
}

/// What kubectl needs to find an object: apiVersion, kind, name, namespace
/// (empty strings when absent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

/// The identifying fields of a manifest object.
pub fn manifest_name_kind(v: &Value) -> ObjectRef {
    let s = |p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    ObjectRef {
        api_version: s("/apiVersion"),
        kind: s("/kind"),
        name: s("/metadata/name"),
        namespace: s("/metadata/namespace"),
    }
}

/// The API group of an apiVersion (`networking.k8s.io/v1` → `networking.k8s.io`,
/// `v1` → ``).
pub fn api_group(api_version: &str) -> &str {
    api_version.split_once('/').map_or("", |(g, _)| g)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (manifest on stdin, objects kubectl decoded, kubectl's error lines without
    /// `error: `), recorded from `kubectl 1.33 create -f - --dry-run=client
    /// --validate=false -o json` against a stub apiserver. Each case is a
    /// ServiceCIDR with one YAML construct under `spec.test`, or a malformed
    /// stream.
    #[rustfmt::skip]
    const GOLDEN: &[(&str, &[&str], &[&str])] = &[
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: yes
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":true}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: No
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":false}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: ON
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":true}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: off
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":false}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: y
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":true}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: n
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":false}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: Y
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":true}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: ~
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":null}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: null
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":null}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: NULL
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":null}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":null}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: ''
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":""}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: ""
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":""}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 0x1F
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":31}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: -0x1F
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":-31}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 0o17
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":15}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 017
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":15}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 08
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":8}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 0b101
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":5}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: +12
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":12}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: -0
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":0}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 1_000
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":1000}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 1__0
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":10}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 1e3
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":1000}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 1.5e-7
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":1.5e-07}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: -.5
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":-0.5}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: .5
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":0.5}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: .inf
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: json: unsupported value: +Inf"####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: -.Inf
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: json: unsupported value: -Inf"####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: .nan
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: json: unsupported value: NaN"####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 1:20
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"1:20"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 1:60
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"1:60"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 2023-10-12
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"2023-10-12"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 2023-10-12T15:11:07Z
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"2023-10-12T15:11:07Z"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 2023-10-12 15:11:07
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"2023-10-12 15:11:07"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 2023-13-01
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"2023-13-01"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 9223372036854775807
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":9223372036854775807}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 9223372036854775808
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":9223372036854776000}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 18446744073709551616
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":18446744073709552000}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 123456789012345678901234567890
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":1.2345678901234568e+29}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 0.1
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":0.1}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 1.0
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":1}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 100.0
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":100}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 1e21
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":1e+21}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 1e-7
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":1e-07}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 'yes'
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"yes"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: "0x1F"
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"0x1F"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: !!str 5
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"5"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: !!int '7'
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":7}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: !!float 3
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":3}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: !!bool yes
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":true}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: !!null ''
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":null}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: !!binary aGVsbG8=
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"hello"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: !foo bar
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"bar"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: <<
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"<<"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: =
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"="}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: a: b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: mapping values are not allowed in this context"####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: [1, 2]
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":[1,2]}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: {a: 1}
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"a":1}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: - x
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: block sequence entries are not allowed in this context"####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: |
    lit

"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"lit\n"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: |-
    lit

"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"lit"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: >
    fo
    ld

"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"fo ld\n"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: "multi
    line"
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"multi line"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 'it''s'
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"it's"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: "esc\t\u00e9\x41"
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"esc\téA"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: &a anch
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"anch"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 'a # b'
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"a # b"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: a # comment
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"a"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: café
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"café"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 日本
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"日本"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test: 😀
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":"😀"}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    yes: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"true":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    no: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"false":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    on: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"true":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    1: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"1":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    1.5: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"1.5":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    0.1: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"0.1":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    3.14159265358979: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"3.1415927":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    1e3: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"1000":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    ~: v
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "v""####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    null: v
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "v""####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    true: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"true":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    'q': v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"q":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    [a]: v
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: invalid map key: []interface {}{"a"}"####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    {a: b}: v
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: invalid map key: map[interface {}]interface {}{"a":"b"}"####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    ? complex
    : v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"complex":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    x: 0
    <<: {m: 1}
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"m":1,"x":0}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    x: 0
    <<: [{m: 1}, {m: 2, n: 3}]
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"false":3,"m":1,"x":0}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    a: 1
  a: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"a":"v","test":{"a":1}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    18446744073709551615: v
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: unsupported map key of type: uint64, key: 0xffffffffffffffff, value: "v""####]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    -1: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"-1":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    0x10: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"16":"v"}}}"####], &[]),
        (r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: a
spec:
  test:
    2023-10-12: v
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"spec":{"test":{"2023-10-12":"v"}}}"####], &[]),
        (r####"a: b: c
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: mapping values are not allowed in this context"####]),
        (r####"a:
	b: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: found character that cannot start any token"####]),
        (r####"a: "unclosed
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: found unexpected end of stream"####]),
        (r####"a: [1, 2
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"####]),
        (r####"a: {b: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected ',' or '}'"####]),
        (r####"a: b
- c
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected key"####]),
        (r####"- a
b: c
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected '-' indicator"####]),
        (r####"a: &x 1
b: *y
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: unknown anchor 'y' referenced"####]),
        (r####"a: *x
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: unknown anchor 'x' referenced"####]),
        (r####"a: !!int x
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: cannot decode !!str `x` as a !!int"####]),
        (r####"a: !!bool maybe
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: cannot decode !!str `maybe` as a !!bool"####]),
        (r####"key: 'unclosed
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: found unexpected end of stream"####]),
        (r####"a:
  - b
  c: d
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: did not find expected '-' indicator"####]),
        (r####"a: |
  x
 b: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: did not find expected key"####]),
        (r####"@foo: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: found character that cannot start any token"####]),
        (r####"`x: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: found character that cannot start any token"####]),
        (r####"a: b
  c: d
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"####]),
        (r####"a:
 - 1
  - 2
"####, &[], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"a":["1 - 2"]}'"####]),
        (r####"%YAML 1.1
---
kind: X
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected <document start>"####]),
        (r####"a: [}
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected node content"####]),
        (r####"a: {]
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected node content"####]),
        (r####"? a
? b
"####, &[], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"a":null,"b":null}'"####]),
        (r####"a: 1
---
b: [
"####, &[], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"a":1}'"####, r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected node content"####]),
        (r####"


a: b: c
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata: {name: z}
--- x
"####, &[], &[r####"error parsing STDIN: invalid Yaml document separator: x"####]),
        (r####"---
---
"####, &[], &[]),
        (r####"# only
"####, &[], &[]),
        (r####"foo
"####, &[], &[r####"unable to decode "STDIN": json: cannot unmarshal string into Go value of type unstructured.detector"####]),
        (r####"[1, 2]
"####, &[], &[r####"unable to decode "STDIN": json: cannot unmarshal array into Go value of type unstructured.detector"####]),
        (r####"123
"####, &[], &[r####"unable to decode "STDIN": json: cannot unmarshal number into Go value of type unstructured.detector"####]),
        (r####"true
"####, &[], &[r####"unable to decode "STDIN": json: cannot unmarshal bool into Go value of type unstructured.detector"####]),
        (r####"{"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR", "metadata": {"name": "j"}}
{"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR", "metadata": {"name": "k"}}
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"j"}}"####, r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"k"}}"####], &[]),
        (r####"{"a": x}
"####, &[], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"a":"x"}'"####]),
        (r####"{"a": 1,}
"####, &[], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"a":1}'"####]),
        (r####"  {"kind":"ServiceCIDR","apiVersion":"networking.k8s.io/v1","metadata":{"name":"q"}}
---
foo: bar
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"q"}}"####], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"foo":"bar"}'"####]),
        (r####"apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: ServiceCIDR
  metadata: {name: l1}
- {kind: ServiceCIDR, apiVersion: networking.k8s.io/v1, metadata: {name: l2}}
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"l1"}}"####, r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"l2"}}"####], &[]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata: {name: d}
...
garbage: [
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"d"}}"####], &[]),
        (r####"a: 'x

  y'
"####, &[], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"a":"x\ny"}'"####]),
        (r####"a: "x\
  y"
"####, &[], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"a":"xy"}'"####]),
        (r####"a: -
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: block sequence entries are not allowed in this context"####]),
        (r####"a: - b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: block sequence entries are not allowed in this context"####]),
        (r####"a:b
kind: K
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"####]),
        (r####"x: &a [1, *a]
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: anchor 'a' value contains itself"####]),
        (r####"- &a x
- *a
"####, &[], &[r####"unable to decode "STDIN": json: cannot unmarshal array into Go value of type unstructured.detector"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: b: c
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context"####]),
        (r####"x: b: c
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: mapping values are not allowed in this context"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: "unclosed
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: found unexpected end of stream"####]),
        (r####"x: "unclosed
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: found unexpected end of stream"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: 'unclosed
  more
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 7: found unexpected end of stream"####]),
        (r####"x: 'unclosed
  more
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 3: found unexpected end of stream"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: [1, 2
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: did not find expected ',' or ']'"####]),
        (r####"x: [1, 2
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: [1, 2
y: 3
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: did not find expected ',' or ']'"####]),
        (r####"x: [1, 2
y: 3
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: {b: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: did not find expected ',' or '}'"####]),
        (r####"x: {b: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected ',' or '}'"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: b
- c
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: did not find expected key"####]),
        (r####"x: b
- c
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected key"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
- a
b: c
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected key"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: &a 1
y: *b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: unknown anchor 'b' referenced"####]),
        (r####"x: &a 1
y: *b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: unknown anchor 'b' referenced"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: !!int q
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: cannot decode !!str `q` as a !!int"####]),
        (r####"x: !!int q
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: cannot decode !!str `q` as a !!int"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
spec:
  - b
  c: d
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: did not find expected '-' indicator"####]),
        (r####"spec:
  - b
  c: d
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: did not find expected '-' indicator"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: |
  t
 y: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: did not find expected key"####]),
        (r####"x: |
  t
 y: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: did not find expected key"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
@foo: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: found character that cannot start any token"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: b
  c: d
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: mapping values are not allowed in this context"####]),
        (r####"x: b
  c: d
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x:
 - 1
  - 2
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"x":["1 - 2"]}"####], &[]),
        (r####"x:
 - 1
  - 2
"####, &[], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"x":["1 - 2"]}'"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: [}
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected node content"####]),
        (r####"x: [}
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected node content"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: {]
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected node content"####]),
        (r####"x: {]
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected node content"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x:
	y: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: found character that cannot start any token"####]),
        (r####"x:
	y: 1
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: found character that cannot start any token"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: -
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: block sequence entries are not allowed in this context"####]),
        (r####"x: -
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: block sequence entries are not allowed in this context"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: "a\qb"
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: found unknown escape character"####]),
        (r####"x: "a\qb"
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: found unknown escape character"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: 'a'b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected key"####]),
        (r####"x: 'a'b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected key"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: "a"b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected key"####]),
        (r####"x: "a"b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected key"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: [a, b]]
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected key"####]),
        (r####"x: [a, b]]
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected key"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: {a: 1}}
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected key"####]),
        (r####"x: {a: 1}}
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected key"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: a
 y: b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: mapping values are not allowed in this context"####]),
        (r####"x: a
 y: b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x:
  y: 1
 z: 2
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: did not find expected key"####]),
        (r####"x:
  y: 1
 z: 2
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: did not find expected key"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: >
  a
 b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: did not find expected key"####]),
        (r####"x: >
  a
 b
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: did not find expected key"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
? x
? y
"####, &[r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"a"},"true":null,"x":null}"####], &[]),
        (r####"? x
? y
"####, &[], &[r####"unable to decode "STDIN": Object 'Kind' is missing in '{"true":null,"x":null}'"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: !<tag:yaml.org,2002:int> z
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: cannot decode !!str `z` as a !!int"####]),
        (r####"x: !<tag:yaml.org,2002:int> z
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: cannot decode !!str `z` as a !!int"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: "\u12"
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: did not find expected hexdecimal number"####]),
        (r####"x: "\u12"
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected hexdecimal number"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: %y
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: found character that cannot start any token"####]),
        (r####"x: %y
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: found character that cannot start any token"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: ,y
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected node content"####]),
        (r####"x: ,y
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: did not find expected node content"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: `y
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: found character that cannot start any token"####]),
        (r####"x: `y
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: found character that cannot start any token"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: "a
---
b"
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 6: found unexpected end of stream"####]),
        (r####"x: "a
---
b"
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 2: found unexpected end of stream"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x:
  - a
  -b
  - c: d: e
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 8: could not find expected ':'"####]),
        (r####"x:
  - a
  -b
  - c: d: e
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 4: could not find expected ':'"####]),
        (r####"kind: ServiceCIDR
apiVersion: networking.k8s.io/v1
metadata:
  name: a
x: y



z: [
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 9: did not find expected node content"####]),
        (r####"x: y



z: [
"####, &[], &[r####"error parsing STDIN: error converting YAML to JSON: yaml: line 5: did not find expected node content"####]),
    ];

    /// kubectl's unstructured numbers: int64 when the literal fits, else float64.
    fn go_numbers(v: Value) -> Value {
        match v {
            Value::Number(n) if n.as_i64().is_none() => {
                serde_json::Number::from_f64(n.as_f64().unwrap_or(0.0))
                    .map_or(Value::Null, Value::Number)
            }
            Value::Array(a) => Value::Array(a.into_iter().map(go_numbers).collect()),
            Value::Object(m) => {
                Value::Object(m.into_iter().map(|(k, v)| (k, go_numbers(v))).collect())
            }
            other => other,
        }
    }

    #[test]
    fn golden_manifests_match_kubectl() {
        for (input, objects, errors) in GOLDEN {
            let stream = parse_manifest_stream(input, STDIN);
            let got_objects: Vec<&Value> = stream.iter().filter_map(|r| r.as_ref().ok()).collect();
            let got_errors: Vec<&str> = stream
                .iter()
                .filter_map(|r| r.as_ref().err())
                .map(String::as_str)
                .collect();
            let want_objects: Vec<Value> = objects
                .iter()
                .map(|o| go_numbers(serde_json::from_str(o).unwrap()))
                .collect();
            assert_eq!(
                got_objects,
                want_objects.iter().collect::<Vec<_>>(),
                "{input:?}"
            );
            assert_eq!(got_errors, *errors, "{input:?}");
        }
    }

    /// The website's example piped to `kubectl apply -f -`.
    #[test]
    fn docs_page_manifest() {
        let text = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\n";
        let objs = parse_manifests(text).unwrap();
        assert_eq!(
            objs,
            vec![
                serde_json::json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                "metadata": {"name": "newcidr1"}, "spec": {"cidrs": ["10.96.0.0/24"]}})
            ]
        );
        let r = manifest_name_kind(&objs[0]);
        assert_eq!(
            (r.kind.as_str(), r.name.as_str(), api_group(&r.api_version)),
            ("ServiceCIDR", "newcidr1", "networking.k8s.io")
        );
    }

    #[test]
    fn first_error_wins_and_sources_are_named() {
        let text = "kind: ServiceCIDR\napiVersion: networking.k8s.io/v1\nmetadata: {name: a}\n---\nfoo: [\n";
        assert_eq!(
            parse_manifests_from(text, "cidrs.yaml"),
            Err("error parsing cidrs.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content".into())
        );
        assert_eq!(parse_manifests("# nothing\n---\n"), Ok(vec![]));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n", p = i - 1));
        }
        text.push_str("kind: K\n");
        assert_eq!(parse_manifests(&text), Err("error parsing STDIN: error converting YAML to JSON: yaml: document contains excessive aliasing".into()));
    }

    #[test]
    fn nesting_is_capped() {
        let ok = format!(
            "kind: K\nx: {}1{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(parse_manifests(&ok).is_ok());
        let too_deep = format!(
            "kind: K\nx: {}1{}\n",
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        let want = format!("error parsing STDIN: error converting YAML to JSON: yaml: exceeded max depth of {MAX_DEPTH}");
        assert_eq!(parse_manifests(&too_deep), Err(want.clone()));
        assert_eq!(
            parse_manifests(&format!("{}x\n", "- ".repeat(50_000))),
            Err(want.clone())
        );
        assert_eq!(
            parse_manifests(&format!("x: {}\n", "[".repeat(100_000))),
            Err(want.clone())
        );
        // Aliases cannot smuggle depth past the cap.
        let mut chain = String::from("a0: &a0 [1]\n");
        for i in 1..200 {
            chain.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
        }
        assert_eq!(parse_manifests(&chain), Err(want));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for t in [
            "\u{0}",
            "{",
            "[",
            "{\"a\":",
            "---\n\t",
            "&a [*a]",
            "? ? ? a",
            "!!binary ===",
            "a: !!float x",
            "%TAG ! x\n",
            "a: 99999999999999999999999999999999999999e999999",
            "\u{feff}a: b",
            "- !!map\n",
            "'\\x'",
            "a:\r\n  b: c\r\n",
        ] {
            let _ = parse_manifest_stream(t, STDIN);
        }
    }
}
