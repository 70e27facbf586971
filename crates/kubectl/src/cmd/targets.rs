//! The objects patch, label and annotate work on, found the way their
//! resource builders find them: `TYPE NAME…` / `TYPE/NAME` fetched by name,
//! `--all` / `-l` listed, `-f -` manifests read from stdin (and, unless
//! `--local`, fetched from the server as `.Latest()` does).

use super::api::Api;
use super::args::Parsed;
use super::create::{kind_of, read_objects, SOURCE};
use super::delete::NO_RESOURCES;
use super::errors::CmdError;
use super::get::fetch;
use super::resources::{parse_resource_args, Kind};
use super::{namespace, Out};
use serde_json::Value;

/// One object to change: its kind and its current state.
pub struct Found {
    pub items: Vec<(Kind, Value)>,
    /// Per-object lookup failures, reported after the others are handled.
    pub errors: Vec<CmdError>,
}

/// How a command selects: by name only (patch) or also by `--all`/`-l`.
pub struct Selecting<'a> {
    pub args: &'a [String],
    pub all: bool,
    pub selector: &'a str,
    pub local: bool,
}

pub fn find(
    api: &mut dyn Api,
    p: &Parsed,
    s: &Selecting,
    stdin: &str,
    out: &mut Out,
) -> Result<Found, CmdError> {
    let ns = namespace(p);
    let files = p.list("filename");
    if !files.is_empty() {
        if !s.args.is_empty() {
            return Err(CmdError::Client(
                "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well"
                    .into(),
            ));
        }
        let docs = read_objects(&files, stdin)?;
        let mut found = Found {
            items: Vec::new(),
            errors: Vec::new(),
        };
        for d in docs {
            let kind = kind_of(&d, SOURCE)?;
            if s.local {
                found.items.push((kind, d));
                continue;
            }
            let name = d
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let obj_ns = match d.pointer("/metadata/namespace").and_then(Value::as_str) {
                Some(n) if !n.is_empty() => n.to_string(),
                _ => ns.clone(),
            };
            match api.get(kind, &obj_ns, &name) {
                Ok(v) => found.items.push((kind, v)),
                Err(e) => found.errors.push(e.into()),
            }
        }
        return Ok(found);
    }
    if s.local {
        return Err(CmdError::Client(
            "can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set"
                .into(),
        ));
    }
    if s.args.is_empty() {
        return Err(CmdError::Client(NO_RESOURCES.into()));
    }
    let ra = parse_resource_args(s.args)?;
    for w in &ra.warnings {
        out.err(&format!("{w}\n"));
    }
    let listing = s.all || !s.selector.is_empty();
    if ra.targets.iter().any(|t| t.name.is_none()) && !listing {
        return Err(CmdError::Client(
            "resource(s) were provided, but no name was specified".into(),
        ));
    }
    if ra.targets.iter().any(|t| t.name.is_some()) && listing {
        return Err(CmdError::Client(
            "name cannot be provided when a selector is specified".into(),
        ));
    }
    let f = fetch(api, &ra.targets, &ns, false, s.selector);
    Ok(Found {
        items: f.items,
        errors: f.errors,
    })
}

pub fn name_of(v: &Value) -> &str {
    v.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

pub fn namespace_of(v: &Value) -> &str {
    v.pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
}
