//! `kubectl explain RESOURCE[.field…] [--recursive] [--api-version]`: kubectl
//! 1.33's OpenAPI v3 explain. It reads `/openapi/v3` (the index) and the
//! group-version's document from the server, as kubectl does, finds the
//! kind's schema by its `x-kubernetes-group-version-kind`, walks the field
//! path and prints the plaintext template's layout (GROUP/KIND/VERSION,
//! FIELD, ENUM, DESCRIPTION wrapped at 76 columns, FIELDS with types and
//! `-required-`).

use super::api::Api;
use super::args::{flag, FlagKind, FlagSpec, Parsed};
use super::errors::CmdError;
use super::resources::{resolve, Kind};
use super::{parse_command, Out};
use serde_json::{Map, Value};

const FLAGS: &[FlagSpec] = &[
    flag("recursive", None, FlagKind::Bool),
    flag("api-version", None, FlagKind::Str),
    flag("output", None, FlagKind::Str),
];

/// Deeper nesting than this is not printed (kubectl guards recursion too).
const MAX_DEPTH: usize = 32;

/// The width descriptions are wrapped to, before their 4-space indent.
const WRAP: usize = 76;

pub fn run(api: &mut dyn Api, args: &[String], out: &mut Out) -> i32 {
    let p = match parse_command(args, FLAGS, "kubectl explain", out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = explain(api, &p, out);
    out.exit_code(result)
}

/// The longest dotted prefix that names a resource, and the field path after it.
fn split_request(arg: &str) -> Result<(Kind, Vec<String>), CmdError> {
    let parts: Vec<&str> = arg.split('.').collect();
    for n in (1..=parts.len()).rev() {
        if let Ok(r) = resolve(&parts[..n].join(".")) {
            return Ok((r.kind, parts[n..].iter().map(|s| s.to_string()).collect()));
        }
    }
    // kubectl prints the mapper's error as it is.
    Err(CmdError::Raw(format!(
        "the server doesn't have a resource type {:?}",
        parts[0]
    )))
}

fn explain(api: &mut dyn Api, p: &Parsed, out: &mut Out) -> Result<i32, CmdError> {
    if let Some(o) = p.str("output").filter(|o| *o != "plaintext") {
        return Err(CmdError::Client(format!(
            "unsupported output format: {o}; the simulator prints plaintext"
        )));
    }
    let arg = match p.positionals.as_slice() {
        [] => {
            return Err(CmdError::Client(
                "You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources."
                    .into(),
            ))
        }
        [one] => one.clone(),
        _ => {
            return Err(CmdError::Client(
                "We accept only this format: explain RESOURCE
".into(),
            ))
        }
    };
    let (kind, path) = split_request(&arg)?;
    let info = kind.info();
    let (group, version) = match p.str("api-version").filter(|v| !v.is_empty()) {
        Some(gv) => {
            let (g, v) = gv.split_once('/').unwrap_or(("", gv));
            if g != info.group {
                return Err(CmdError::Client(format!(
                    "couldn't find resource for \"{g}/{v}, Resource={}\"",
                    info.plural
                )));
            }
            (g.to_string(), v.to_string())
        }
        None => (info.group.to_string(), info.version.to_string()),
    };
    let gv_key = if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    };
    // kubectl asks with its 32s request timeout.
    let index = api.get_path("/openapi/v3?timeout=32s")?;
    let Some(url) = index
        .pointer(&format!(
            "/paths/{}",
            gv_key.replace('~', "~0").replace('/', "~1")
        ))
        .and_then(|p| p.get("serverRelativeURL"))
        .and_then(Value::as_str)
    else {
        return Err(CmdError::Client(format!(
            "couldn't find resource for \"{group}/{version}, Resource={}\"",
            info.plural
        )));
    };
    let sep = if url.contains('?') { '&' } else { '?' };
    let doc = api.get_path(&format!("{url}{sep}timeout=32s"))?;
    let empty = Map::new();
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let Some(root) = schemas.values().find(|s| {
        s.get("x-kubernetes-group-version-kind")
            .and_then(Value::as_array)
            .is_some_and(|gvks| {
                gvks.iter().any(|g| {
                    g["group"] == group.as_str()
                        && g["version"] == version.as_str()
                        && g["kind"] == info.kind_name
                })
            })
    }) else {
        return Err(CmdError::Client(format!(
            "couldn't find resource for \"{group}/{version}, Resource={}\"",
            info.plural
        )));
    };
    let mut text = String::new();
    if !group.is_empty() {
        text.push_str(&format!("GROUP:      {group}\n"));
    }
    text.push_str(&format!(
        "KIND:       {}\nVERSION:    {version}\n\n",
        info.kind_name
    ));
    // Walk the field path: each step is a property of the object the last
    // step's type resolves to.
    let mut schema = root;
    let mut field: Option<(&str, &Value)> = None;
    for name in &path {
        let obj = object_schema(schemas, schema);
        let Some(prop) = obj
            .and_then(|o| o.get("properties"))
            .and_then(|ps| ps.get(name.as_str()))
        else {
            out.out(&text);
            return Err(CmdError::Client(format!("field {name:?} does not exist")));
        };
        field = Some((name.as_str(), prop));
        schema = prop;
    }
    let recursive = p.bool_or("recursive", false);
    let mut description = String::new();
    match field {
        None => {
            description.push_str(
                root.get("description")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            );
        }
        Some((name, prop)) => {
            text.push_str(&format!("FIELD: {name} <{}>\n", type_name(schemas, prop)));
            match prop.get("enum").and_then(Value::as_array) {
                Some(values) => {
                    text.push_str("ENUM:");
                    for v in values {
                        text.push_str(&format!("\n    {}", enum_text(v)));
                    }
                    text.push_str("\n\n");
                }
                None => text.push_str("\n\n"),
            }
            description.push_str(
                prop.get("description")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            );
            // The referenced type's own description follows the field's.
            if let Some(target) = referenced_object(schemas, prop) {
                if let Some(d) = target.get("description").and_then(Value::as_str) {
                    if !description.is_empty() {
                        description.push('\n');
                    }
                    description.push_str(d);
                }
            }
        }
    }
    text.push_str("DESCRIPTION:\n");
    text.push_str(&indent(&format!("{}\n", wrap(&description, WRAP)), 4));
    text.push('\n');
    if let Some(obj) = object_schema(schemas, schema) {
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            text.push_str("FIELDS:\n");
            fields(&mut text, schemas, obj, props, recursive, 1);
        }
    }
    text.push('\n');
    out.out(&text);
    Ok(0)
}

/// Go's %v of an enum value in the ENUM list.
fn enum_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn fields(
    text: &mut String,
    schemas: &Map<String, Value>,
    obj: &Value,
    props: &Map<String, Value>,
    recursive: bool,
    depth: usize,
) {
    let required: Vec<&str> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut names: Vec<&String> = props.keys().collect();
    servicecidr_core::sort::sort(&mut names);
    let pad = "  ".repeat(depth);
    for name in names {
        let prop = &props[name];
        text.push_str(&format!("{pad}{name}\t<{}>", type_name(schemas, prop)));
        if required.contains(&name.as_str()) {
            text.push_str(" -required-");
        }
        text.push('\n');
        if recursive {
            if depth < MAX_DEPTH {
                if let Some(child) = object_schema(schemas, prop) {
                    if let Some(cp) = child.get("properties").and_then(Value::as_object) {
                        fields(text, schemas, child, cp, true, depth + 1);
                    }
                }
            }
            continue;
        }
        if let Some(values) = prop.get("enum").and_then(Value::as_array) {
            let vs: Vec<String> = values.iter().map(enum_text).collect();
            text.push_str(&format!("{pad}enum: {}\n", vs.join(", ")));
        }
        if let Some(d) = prop.get("description").and_then(Value::as_str) {
            text.push_str(&indent(&wrap(d, WRAP), depth * 2 + 2));
            text.push('\n');
        }
        text.push('\n');
    }
}

/// The schema a `$ref` (or `allOf: [{$ref}]`) points to.
fn deref<'a>(schemas: &'a Map<String, Value>, s: &'a Value) -> Option<(&'a str, &'a Value)> {
    let r = s.get("$ref").or_else(|| {
        s.get("allOf")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(|f| f.get("$ref"))
    })?;
    let name = r.as_str()?.strip_prefix("#/components/schemas/")?;
    schemas.get(name).map(|t| (name, t))
}

/// The object schema a field's type resolves to (through refs and arrays).
fn object_schema<'a>(schemas: &'a Map<String, Value>, s: &'a Value) -> Option<&'a Value> {
    let mut cur = s;
    for _ in 0..MAX_DEPTH {
        if let Some((_, t)) = deref(schemas, cur) {
            cur = t;
            continue;
        }
        match cur.get("type").and_then(Value::as_str) {
            Some("array") => cur = cur.get("items")?,
            _ => return cur.get("properties").map(|_| cur),
        }
    }
    None
}

/// A referenced type whose description explain adds: an object-like schema.
fn referenced_object<'a>(schemas: &'a Map<String, Value>, s: &'a Value) -> Option<&'a Value> {
    let mut cur = s;
    if cur.get("type").and_then(Value::as_str) == Some("array") {
        cur = cur.get("items")?;
    }
    let (_, t) = deref(schemas, cur)?;
    match t.get("type").and_then(Value::as_str) {
        None | Some("object") => Some(t),
        _ => None,
    }
}

/// The `<type>` explain prints: primitives, `[]T`, `map[string]T`, or the
/// referenced type's short name.
fn type_name(schemas: &Map<String, Value>, s: &Value) -> String {
    type_name_at(schemas, s, 0)
}

fn type_name_at(schemas: &Map<String, Value>, s: &Value, depth: usize) -> String {
    if depth > MAX_DEPTH {
        return "Object".into();
    }
    if let Some((name, t)) = deref(schemas, s) {
        return match t.get("type").and_then(Value::as_str) {
            None | Some("object") => name.rsplit('.').next().unwrap_or(name).to_string(),
            Some(_) => type_name_at(schemas, t, depth + 1),
        };
    }
    match s.get("type").and_then(Value::as_str) {
        Some("array") => format!(
            "[]{}",
            s.get("items")
                .map_or("Object".to_string(), |i| type_name_at(
                    schemas,
                    i,
                    depth + 1
                ))
        ),
        Some("object") => match s.get("additionalProperties") {
            Some(ap) if ap.is_object() => {
                format!("map[string]{}", type_name_at(schemas, ap, depth + 1))
            }
            _ => "Object".into(),
        },
        Some(t) => t.to_string(),
        None => "Object".into(),
    }
}

fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::new();
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&pad);
        out.push_str(line);
    }
    out
}

/// Word wrapping as the go-wordwrap package does it: breaks at spaces when a
/// word would pass the limit, keeps existing newlines and runs of spaces,
/// leaves words longer than the limit whole.
pub fn wrap(s: &str, lim: usize) -> String {
    let mut buf = String::new();
    let mut current = 0usize;
    let mut word = String::new();
    let mut word_len = 0usize;
    let mut space = String::new();
    let mut space_len = 0usize;
    for c in s.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= lim {
                    buf.push_str(&space);
                }
            } else {
                buf.push_str(&space);
                buf.push_str(&word);
                word.clear();
                word_len = 0;
            }
            space.clear();
            space_len = 0;
            buf.push(c);
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                buf.push_str(&space);
                buf.push_str(&word);
                space.clear();
                space_len = 0;
                word.clear();
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > lim && word_len < lim {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_like_go_wordwrap() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("a\n\nb", 5), "a\n\nb");
        assert_eq!(
            wrap("x https://very.long/url/here y", 10),
            "x\nhttps://very.long/url/here\ny"
        );
    }
}
