//! `kubectl patch`: GET each object, then PATCH it with the patch as given
//! (strategic merge by default, `--type merge|json`), `fieldManager=kubectl-patch`;
//! `patched` or `patched (no change)` by whether the answer differs from what
//! was read. `--local` and `--dry-run=client` patch the object in the client.

use super::api::Api;
use super::args::{flag, FlagKind, FlagSpec, Parsed};
use super::create::print_written;
use super::errors::CmdError;
use super::resources::Kind;
use super::targets::{find, name_of, namespace_of, Selecting};
use super::{dry_run, output_format_of, parse_command, DryRun, Out, OutputFormat};
use serde_json::Value;
use servicecidr_apiserver::patch::{self as server_patch, PatchType};

const PATCH_FLAGS: &[FlagSpec] = &[
    flag("patch", Some('p'), FlagKind::Str),
    flag("patch-file", None, FlagKind::Str),
    flag("type", None, FlagKind::Str),
    flag("filename", Some('f'), FlagKind::StrSlice),
    flag("kustomize", Some('k'), FlagKind::Str),
    flag("recursive", Some('R'), FlagKind::Bool),
    flag("local", None, FlagKind::Bool),
    flag("output", Some('o'), FlagKind::Str),
    flag("template", None, FlagKind::Str),
    flag("allow-missing-template-keys", None, FlagKind::Bool),
    flag("show-managed-fields", None, FlagKind::Bool),
    flag("subresource", None, FlagKind::Str),
    flag("field-manager", None, FlagKind::Str),
    FlagSpec {
        long: "dry-run",
        short: None,
        kind: FlagKind::Str,
        no_opt_default: Some("unchanged"),
    },
];

pub fn run(api: &mut dyn Api, args: &[String], stdin: &str, out: &mut Out) -> i32 {
    let p = match parse_command(args, PATCH_FLAGS, "kubectl patch", out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = patch(api, &p, stdin, out);
    out.exit_code(result)
}

/// client-go's text for a 404 without a Status body.
const GENERIC_NOT_FOUND: &str = "the server could not find the requested resource";

/// The REST path of an object.
fn object_path(kind: Kind, obj: &Value) -> String {
    let i = kind.info();
    let mut p = if i.group.is_empty() {
        format!("/api/{}", i.version)
    } else {
        format!("/apis/{}/{}", i.group, i.version)
    };
    if i.namespaced {
        let ns = match namespace_of(obj) {
            "" => "default",
            n => n,
        };
        p.push_str(&format!("/namespaces/{ns}"));
    }
    format!("{p}/{}/{}", i.plural, name_of(obj))
}

/// `--type`: kubectl's patchTypes map.
fn patch_type(t: &str) -> Option<PatchType> {
    match t.to_ascii_lowercase().as_str() {
        "json" => Some(PatchType::Json),
        "merge" => Some(PatchType::Merge),
        "strategic" => Some(PatchType::StrategicMerge),
        _ => None,
    }
}

/// apimachinery's yaml.ToJSON of `-p`: text starting with `{` is sent as it
/// is (the server judges it); anything else is read as YAML.
fn patch_bytes(text: &str) -> Result<Vec<u8>, CmdError> {
    if text.trim_start().starts_with('{') {
        return Ok(text.as_bytes().to_vec());
    }
    match crate::manifest::yaml_to_json(text) {
        Ok(v) => Ok(serde_json::to_vec(&v.unwrap_or(Value::Null)).unwrap_or_default()),
        Err(e) => Err(CmdError::Client(format!("unable to parse {text:?}: {e}"))),
    }
}

fn patch(api: &mut dyn Api, p: &Parsed, stdin: &str, out: &mut Out) -> Result<i32, CmdError> {
    let format = output_format_of(p, false)?;
    let dry = dry_run(p, out, api.now_ms())?;
    let local = p.bool_or("local", false);
    let text = p.str("patch").unwrap_or("");
    if !text.is_empty() && p.changed("patch-file") {
        return Err(CmdError::Client(
            "cannot specify --patch and --patch-file together".into(),
        ));
    }
    if let Some(f) = p.str("patch-file").filter(|f| !f.is_empty()) {
        // There is no filesystem here.
        return Err(CmdError::Client(format!(
            "unable to read patch file: open {f}: no such file or directory"
        )));
    }
    if text.is_empty() {
        return Err(CmdError::Client(
            "must specify --patch or --patch-file containing the contents of the patch".into(),
        ));
    }
    if local && !p.positionals.is_empty() {
        return Err(CmdError::Client(
            "cannot specify --local and server resources".into(),
        ));
    }
    if local && dry == DryRun::Server {
        return Err(CmdError::Client(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?".into(),
        ));
    }
    let type_text = p.str_or("type", "strategic");
    let pt = patch_type(type_text).ok_or_else(|| {
        CmdError::Client(format!(
            "--type must be one of [json merge strategic], not {type_text:?}"
        ))
    })?;
    let subresource = p.str_or("subresource", "");
    if !subresource.is_empty() && !["status", "scale"].contains(&subresource) {
        return Err(CmdError::Client(format!(
            "invalid subresource value: {subresource:?}. Must be one of [status scale]"
        )));
    }
    let body = patch_bytes(text)?;
    let manager = p.str_or("field-manager", "kubectl-patch");
    let found = find(
        api,
        p,
        &Selecting {
            args: &p.positionals,
            all: false,
            selector: "",
            local,
        },
        stdin,
        out,
    )?;
    let mut errs = found.errors;
    let mut count = 0;
    for (kind, mut obj) in found.items {
        count += 1;
        // With --subresource, kubectl reads the subresource itself.
        if subresource == "status" && !local {
            match api.get_path(&format!("{}/status", object_path(kind, &obj))) {
                Ok(v) => obj = v,
                Err(mut e) => {
                    if e.code == 404 && e.message == GENERIC_NOT_FOUND {
                        e.message = format!(
                            "{GENERIC_NOT_FOUND} (get {} {})",
                            kind.info().plural,
                            name_of(&obj)
                        );
                    }
                    errs.push(e.into());
                    continue;
                }
            }
        }
        let name = name_of(&obj).to_string();
        let ns = namespace_of(&obj).to_string();
        let patched = if local || dry == DryRun::Client {
            // getPatchedJSON: the patch applied in the client.
            let schema =
                servicecidr_apiserver::schema::lookup(&kind.api_version(), kind.info().kind_name);
            match server_patch::apply(pt, schema, &obj, &body) {
                Ok(v) => v,
                Err(e) => {
                    errs.push(CmdError::Client(e.message));
                    continue;
                }
            }
        } else {
            let mut query = String::new();
            if dry == DryRun::Server {
                query.push_str("dryRun=All&");
            }
            query.push_str(&format!("fieldManager={manager}"));
            match api.patch(
                kind,
                &ns,
                &name,
                subresource == "status",
                pt.content_type(),
                &body,
                &query,
            ) {
                Ok(v) => v,
                Err(e) if e.code == 415 => {
                    errs.push(CmdError::Client(format!(
                        "{} is not supported by {}, Kind={}: {}",
                        pt.content_type(),
                        kind.api_version(),
                        kind.info().kind_name,
                        e.message
                    )));
                    continue;
                }
                Err(e) => {
                    errs.push(e.into());
                    continue;
                }
            }
        };
        let verb = if patched != obj {
            "patched"
        } else {
            "patched (no change)"
        };
        let shown = match &format {
            OutputFormat::Default | OutputFormat::Wide => &obj,
            _ => &patched,
        };
        // kubectl patch's lines carry no dry-run suffix (kubectl 1.33).
        if let Err(e) = print_written(out, &format, kind, shown, verb, DryRun::None) {
            errs.push(e);
        }
    }
    if count == 0 && errs.is_empty() {
        return Err(CmdError::Client("no objects passed to patch".into()));
    }
    if errs.is_empty() {
        Ok(0)
    } else {
        out.errors(&errs);
        Ok(1)
    }
}
