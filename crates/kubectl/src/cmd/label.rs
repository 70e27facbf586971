//! `kubectl label` and `kubectl annotate`: `KEY=VALUE` and `KEY-` changes to
//! `metadata.labels` / `metadata.annotations`, checked in the client
//! (`--overwrite`), sent as the JSON merge patch between the object as read
//! and as changed (fieldManager `kubectl-label` / `kubectl-annotate`), and
//! kubectl's lines: `labeled`, `unlabeled`, `not labeled`, `annotated`.

use super::api::Api;
use super::args::{flag, FlagKind, FlagSpec, Parsed};
use super::client::merge_diff;
use super::create::print_written;
use super::errors::CmdError;
use super::gotemplate::go_json;
use super::targets::{find, name_of, namespace_of, Selecting};
use super::{dry_run, output_format_of, parse_command, DryRun, Out};
use serde_json::{Map, Value};
use servicecidr_core::validation::names::is_valid_label_value;
use std::collections::BTreeMap;

/// Which metadata map a command edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Labels,
    Annotations,
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Field::Labels => "labels",
            Field::Annotations => "annotations",
        }
    }

    fn command(self) -> &'static str {
        match self {
            Field::Labels => "label",
            Field::Annotations => "annotate",
        }
    }
}

const FLAGS: &[FlagSpec] = &[
    flag("overwrite", None, FlagKind::Bool),
    flag("all", None, FlagKind::Bool),
    flag("all-namespaces", Some('A'), FlagKind::Bool),
    flag("selector", Some('l'), FlagKind::Str),
    flag("field-selector", None, FlagKind::Str),
    flag("resource-version", None, FlagKind::Str),
    flag("filename", Some('f'), FlagKind::StrSlice),
    flag("kustomize", Some('k'), FlagKind::Str),
    flag("recursive", Some('R'), FlagKind::Bool),
    flag("local", None, FlagKind::Bool),
    flag("list", None, FlagKind::Bool),
    flag("output", Some('o'), FlagKind::Str),
    flag("template", None, FlagKind::Str),
    flag("allow-missing-template-keys", None, FlagKind::Bool),
    flag("show-managed-fields", None, FlagKind::Bool),
    flag("field-manager", None, FlagKind::Str),
    FlagSpec {
        long: "dry-run",
        short: None,
        kind: FlagKind::Str,
        no_opt_default: Some("unchanged"),
    },
];

pub fn run(api: &mut dyn Api, args: &[String], stdin: &str, out: &mut Out, field: Field) -> i32 {
    let path = format!("kubectl {}", field.command());
    let p = match parse_command(args, FLAGS, &path, out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = label(api, &p, stdin, out, field);
    out.exit_code(result)
}

/// The requested changes: new values and keys to remove.
struct Changes {
    set: BTreeMap<String, String>,
    remove: Vec<String>,
}

/// GetResourcesAndPairs plus parseLabels / parseAnnotations.
fn split_args(args: &[String], field: Field) -> Result<(Vec<String>, Changes), CmdError> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for a in args {
        let is_pair = a.contains('=') || a.ends_with('-');
        if is_pair {
            pairs.push(a.clone());
        } else if !pairs.is_empty() {
            return Err(CmdError::Client(format!(
                "all resources must be specified before {} changes: {a}",
                field.command()
            )));
        } else {
            resources.push(a.clone());
        }
    }
    let mut ch = Changes {
        set: BTreeMap::new(),
        remove: Vec::new(),
    };
    for spec in &pairs {
        if let Some((k, v)) = spec.split_once('=') {
            if field == Field::Labels {
                let errs = is_valid_label_value(v);
                if !errs.is_empty() {
                    return Err(CmdError::Client(format!(
                        "invalid label value: {spec:?}: {}",
                        errs.join("; ")
                    )));
                }
            }
            if k.is_empty() {
                return Err(CmdError::Client(match field {
                    Field::Labels => format!("invalid label spec: {spec}"),
                    Field::Annotations => format!("invalid annotation format: {spec}"),
                }));
            }
            ch.set.insert(k.to_string(), v.to_string());
        } else if let Some(k) = spec.strip_suffix('-') {
            ch.remove.push(k.to_string());
        }
    }
    if ch.remove.iter().any(|k| ch.set.contains_key(k)) {
        return Err(CmdError::Client(match field {
            Field::Labels => "can not both modify and remove a label in the same command".into(),
            Field::Annotations => {
                "can not both modify and remove an annotation in the same command".into()
            }
        }));
    }
    Ok((resources, ch))
}

/// The object with the changes applied, or kubectl's --overwrite refusal.
fn changed(
    obj: &Value,
    ch: &Changes,
    field: Field,
    overwrite: bool,
    rv: &str,
) -> Result<Value, CmdError> {
    let mut new = obj.clone();
    let Some(meta) = new.get_mut("metadata").and_then(Value::as_object_mut) else {
        return Err(CmdError::Client("object has no metadata".into()));
    };
    let current: Map<String, Value> = meta
        .get(field.key())
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if !overwrite {
        let clashes: Vec<String> = ch
            .set
            .iter()
            .filter_map(|(k, v)| {
                let cur = current.get(k)?.as_str().unwrap_or("");
                (cur != v).then(|| format!("'{k}' already has a value ({cur})"))
            })
            .collect();
        if let Some(first) = clashes.first() {
            return Err(CmdError::Client(match field {
                Field::Labels => format!("{first}, and --overwrite is false"),
                Field::Annotations => format!(
                    "--overwrite is false but found the following declared annotation(s): {}",
                    clashes.join("; ")
                ),
            }));
        }
    }
    let mut map = current;
    for (k, v) in &ch.set {
        map.insert(k.clone(), Value::String(v.clone()));
    }
    for k in &ch.remove {
        map.remove(k);
    }
    if map.is_empty() {
        meta.remove(field.key());
    } else {
        meta.insert(field.key().to_string(), Value::Object(map));
    }
    if !rv.is_empty() {
        meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
    }
    Ok(new)
}

/// label's updateDataChangeMsg: compares the objects' JSON (a shorter one,
/// without --overwrite, reads as removed).
fn label_verb(old: &Value, new: &Value, overwrite: bool) -> &'static str {
    let (a, b) = (go_json(old), go_json(new));
    if a == b {
        "not labeled"
    } else if !overwrite && b.len() < a.len() {
        "unlabeled"
    } else {
        "labeled"
    }
}

fn label(
    api: &mut dyn Api,
    p: &Parsed,
    stdin: &str,
    out: &mut Out,
    field: Field,
) -> Result<i32, CmdError> {
    let format = output_format_of(p, false)?;
    let dry = dry_run(p, out, api.now_ms())?;
    let (resources, ch) = split_args(&p.positionals, field)?;
    let local = p.bool_or("local", false);
    let list = field == Field::Labels && p.bool_or("list", false);
    if resources.is_empty() && p.list("filename").is_empty() {
        return Err(CmdError::Client(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
                .into(),
        ));
    }
    if ch.set.is_empty() && ch.remove.is_empty() && !list {
        return Err(CmdError::Client(format!(
            "at least one {} update is required",
            match field {
                Field::Labels => "label",
                Field::Annotations => "annotation",
            }
        )));
    }
    if local && dry == DryRun::Server {
        return Err(CmdError::Client(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?".into(),
        ));
    }
    let overwrite = p.bool_or("overwrite", false);
    let rv = p.str_or("resource-version", "");
    let manager = p
        .str("field-manager")
        .map(str::to_string)
        .unwrap_or_else(|| format!("kubectl-{}", field.command()));
    let found = find(
        api,
        p,
        &Selecting {
            args: &resources,
            all: p.bool_or("all", false),
            selector: p.str_or("selector", ""),
            local,
        },
        stdin,
        out,
    )?;
    let mut errs = found.errors;
    let one = found.items.len() == 1;
    for (kind, obj) in &found.items {
        if list {
            let labels = obj
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let indent = if one {
                ""
            } else {
                let i = kind.info();
                out.out(&format!(
                    "Listing labels for {}.{}/{}:\n",
                    i.kind_name,
                    i.group,
                    name_of(obj)
                ));
                " "
            };
            for (k, v) in labels {
                out.out(&format!("{indent}{k}={}\n", v.as_str().unwrap_or("")));
            }
            continue;
        }
        let new = match changed(obj, &ch, field, overwrite, rv) {
            Ok(n) => n,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        let verb = match field {
            Field::Labels => label_verb(obj, &new, overwrite),
            Field::Annotations => "annotated",
        };
        let shown = if local || dry == DryRun::Client {
            new
        } else {
            let patch = merge_diff(obj, &new);
            let mut query = String::new();
            if dry == DryRun::Server {
                query.push_str("dryRun=All&");
            }
            query.push_str(&format!("fieldManager={manager}"));
            let body = serde_json::to_vec(&patch).unwrap_or_default();
            match api.patch(
                *kind,
                namespace_of(obj),
                name_of(obj),
                false,
                "application/merge-patch+json",
                &body,
                &query,
            ) {
                Ok(v) => v,
                Err(e) => {
                    errs.push(e.into());
                    continue;
                }
            }
        };
        if let Err(e) = print_written(out, &format, *kind, &shown, verb, dry) {
            errs.push(e);
        }
    }
    if errs.is_empty() {
        Ok(0)
    } else {
        out.errors(&errs);
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn pairs_follow_resources() {
        let (r, ch) = split_args(&s(&["svc", "web", "a=b", "c-"]), Field::Labels).unwrap();
        assert_eq!(r, s(&["svc", "web"]));
        assert_eq!(ch.set.get("a").map(String::as_str), Some("b"));
        assert_eq!(ch.remove, s(&["c"]));
        assert_eq!(
            split_args(&s(&["svc", "a=b", "web"]), Field::Labels).err(),
            Some(CmdError::Client(
                "all resources must be specified before label changes: web".into()
            ))
        );
    }

    #[test]
    fn unlabeled_is_judged_by_length_as_kubectl_does() {
        let old = json!({"metadata": {"labels": {"a": "1"}}});
        let new = json!({"metadata": {}});
        assert_eq!(label_verb(&old, &new, false), "unlabeled");
        assert_eq!(label_verb(&old, &new, true), "labeled");
        assert_eq!(label_verb(&old, &old, false), "not labeled");
    }
}
