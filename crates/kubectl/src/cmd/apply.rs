//! `kubectl apply -f -` (client-side apply): `created` / `configured` /
//! `unchanged` per object, the missing-annotation warning, and kubectl's two
//! error shapes: `error when creating "STDIN"` for new objects and the long
//! `error when applying patch` report for existing ones.

use super::api::{Api, Applied};
use super::args::{flag, FlagKind, FlagSpec, Parsed};
use super::create::{for_each_manifest, print_written, SOURCE, WRITE_FLAGS};
use super::errors::{with_source, CmdError};
use super::resources::Kind;
use super::{dry_run, output_format_of, parse_command, DryRun, Out, OutputFormat};
use serde_json::{Map, Value};
use servicecidr_core::Release;

const APPLY_FLAGS: &[FlagSpec] = &[
    flag("filename", Some('f'), FlagKind::StrSlice),
    flag("kustomize", Some('k'), FlagKind::Str),
    flag("recursive", Some('R'), FlagKind::Bool),
    flag("selector", Some('l'), FlagKind::Str),
    flag("server-side", None, FlagKind::Bool),
    flag("force-conflicts", None, FlagKind::Bool),
    flag("overwrite", None, FlagKind::Bool),
    flag("prune", None, FlagKind::Bool),
    flag("force", None, FlagKind::Bool),
    flag("wait", None, FlagKind::Bool),
];

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub fn run(api: &mut dyn Api, args: &[String], stdin: &str, out: &mut Out) -> i32 {
    let p = match parse_command(
        args,
        &[APPLY_FLAGS, WRITE_FLAGS].concat(),
        "kubectl apply",
        out,
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = apply(api, &p, stdin, out);
    out.exit_code(result)
}

/// What kubectl records as the last applied configuration: the manifest as
/// compact JSON with sorted keys, its own annotation removed (leaving `{}`).
pub fn last_applied(doc: &Value) -> String {
    let mut d = doc.clone();
    if let Some(meta) = d.get_mut("metadata").and_then(Value::as_object_mut) {
        let mut ann = meta
            .get("annotations")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        ann.remove(LAST_APPLIED);
        meta.insert("annotations".into(), Value::Object(ann));
    }
    let mut s = serde_json::to_string(&d).unwrap_or_default();
    s.push('\n');
    s
}

/// The fields of `want` that differ from `live` (a JSON merge patch without
/// deletions), as kubectl shows it in its patch-failure report.
fn diff(live: &Value, want: &Value) -> Option<Value> {
    match (live, want) {
        (Value::Object(l), Value::Object(w)) => {
            let mut m = Map::new();
            for (k, wv) in w {
                match l.get(k) {
                    Some(lv) => {
                        if let Some(d) = diff(lv, wv) {
                            m.insert(k.clone(), d);
                        }
                    }
                    None => {
                        m.insert(k.clone(), wv.clone());
                    }
                }
            }
            (!m.is_empty()).then_some(Value::Object(m))
        }
        (l, w) if l == w => None,
        (_, w) => Some(w.clone()),
    }
}

/// kubectl's report when patching an existing object fails.
fn patch_failure(
    mut err: servicecidr_core::model::ApiError,
    kind: Kind,
    live: &Value,
    doc: &Value,
    ns: &str,
) -> servicecidr_core::model::ApiError {
    let mut want = doc.clone();
    if let Some(meta) = want.get_mut("metadata").and_then(Value::as_object_mut) {
        let mut ann = Map::new();
        ann.insert(LAST_APPLIED.into(), Value::String(last_applied(doc)));
        meta.insert("annotations".into(), Value::Object(ann));
    }
    for k in ["apiVersion", "kind"] {
        if let Some(m) = want.as_object_mut() {
            m.remove(k);
        }
    }
    let patch = diff(live, &want).unwrap_or(Value::Object(Map::new()));
    let i = kind.info();
    let gv = kind.api_version();
    let gv_text = if i.group.is_empty() {
        format!("/{gv}")
    } else {
        gv
    };
    let name = doc
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    err.message = format!(
        "error when applying patch:\n{}\nto:\nResource: \"{gv_text}, Resource={}\", GroupVersionKind: \"{gv_text}, Kind={}\"\nName: {name:?}, Namespace: {ns:?}\nfor: {SOURCE:?}: error when patching {SOURCE:?}: {}",
        serde_json::to_string(&patch).unwrap_or_default(),
        i.plural,
        i.kind_name,
        err.message
    );
    err
}

/// `apply --server-side`: each manifest goes to the server as an apply patch
/// (`application/apply-patch+yaml`; JSON is YAML) under kubectl's field manager,
/// which merges it (or creates the object), as kubectl 1.33 sends it.
fn server_side(
    api: &mut dyn Api,
    p: &Parsed,
    stdin: &str,
    out: &mut Out,
    format: &OutputFormat,
    dry: DryRun,
    release: &Release,
) -> Result<i32, CmdError> {
    let mut query = format!(
        "fieldManager={}&fieldValidation=Strict",
        p.str_or("field-manager", "kubectl")
    );
    if p.bool_or("force-conflicts", false) {
        query.push_str("&force=true");
    }
    if dry != DryRun::None {
        query.push_str("&dryRun=All");
    }
    for_each_manifest(
        p,
        stdin,
        out,
        "apply",
        release,
        |out, errs, doc, kind, ns| {
            let name = doc
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let body = serde_json::to_vec(&doc).unwrap_or_default();
            let applied = api.patch(
                kind,
                &ns,
                &name,
                false,
                "application/apply-patch+yaml",
                &body,
                &query,
            );
            super::print_warnings(api, out);
            match applied {
                Ok(obj) => print_written(out, format, kind, &obj, "serverside-applied", dry)?,
                Err(e) => errs.push(CmdError::Api(e)),
            }
            Ok(())
        },
    )
}

fn apply(api: &mut dyn Api, p: &Parsed, stdin: &str, out: &mut Out) -> Result<i32, CmdError> {
    let format = output_format_of(p, false)?;
    let dry = dry_run(p, out, api.now_ms())?;
    if p.bool_or("prune", false) {
        return Err(CmdError::Client(
            "--prune is not available in this simulator".into(),
        ));
    }
    let release = api.release();
    if p.bool_or("server-side", false) {
        return server_side(api, p, stdin, out, &format, dry, &release);
    }
    for_each_manifest(
        p,
        stdin,
        out,
        "apply",
        &release,
        |out, errs, doc, kind, ns| {
            let name = doc
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let live = api.get(kind, &ns, &name).ok();
            if let Some(l) = &live {
                if l.pointer(&format!(
                    "/metadata/annotations/{}",
                    LAST_APPLIED.replace('/', "~1")
                ))
                .is_none()
                {
                    out.err(&format!(
                    "Warning: resource {}/{name} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
                    kind.info().plural
                ));
                }
            }
            // kubectl records the manifest with an (emptied) annotations map, so the
            // last-applied text always carries `"annotations":{}`.
            let mut sent = doc.clone();
            if let Some(meta) = sent.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.entry("annotations")
                    .or_insert_with(|| Value::Object(Map::new()));
            }
            // A client dry run only reads; the outcome is what the server would decide.
            let server_dry = dry != DryRun::None;
            let applied = api.apply(sent, server_dry, &ns);
            super::print_warnings(api, out);
            match applied {
                Ok((obj, outcome)) => {
                    let verb = match outcome {
                        Applied::Created => "created",
                        Applied::Configured => "configured",
                        Applied::Unchanged => "unchanged",
                    };
                    print_written(out, &format, kind, &obj, verb, dry)?;
                }
                Err(e) if dry == DryRun::Client => {
                    // kubectl would not have asked the server; report what it knows.
                    let _ = e;
                    let verb = if live.is_some() {
                        "configured"
                    } else {
                        "created"
                    };
                    print_written(out, &format, kind, &doc, verb, dry)?;
                }
                Err(e) => {
                    let e = match &live {
                        None => with_source(e, "creating", SOURCE),
                        Some(l) if e.reason != "Invalid" => patch_failure(e, kind, l, &doc, &ns),
                        Some(_) => e,
                    };
                    errs.push(CmdError::Api(e));
                }
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::fake::{cidr, kubectl, Fake};
    use serde_json::json;
    use servicecidr_core::model::ApiError;

    #[test]
    fn created_unchanged_configured() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "apply -f -", &cidr("newcidr1"));
        assert_eq!(
            (o.stdout.as_str(), o.exit_code),
            ("servicecidr.networking.k8s.io/newcidr1 created\n", 0)
        );
        let o = kubectl(&mut f, "apply -f -", &cidr("newcidr1"));
        assert_eq!(
            o.stdout,
            "servicecidr.networking.k8s.io/newcidr1 unchanged\n"
        );
        let o = kubectl(
            &mut f,
            "apply -f -",
            &cidr("newcidr1").replace("10.96.0.0/24", "10.97.0.0/24"),
        );
        assert_eq!(
            o.stdout,
            "servicecidr.networking.k8s.io/newcidr1 configured\n"
        );
        let o = kubectl(&mut f, "apply -f - --dry-run=server", &cidr("x7"));
        assert_eq!(
            o.stdout,
            "servicecidr.networking.k8s.io/x7 created (server dry run)\n"
        );
        let o = kubectl(&mut f, "apply -f - --dry-run=client", &cidr("x8"));
        assert_eq!(
            o.stdout,
            "servicecidr.networking.k8s.io/x8 created (dry run)\n"
        );
        assert!(f.objs.keys().all(|k| k.2 != "x7" && k.2 != "x8"));
    }

    #[test]
    fn missing_annotation_warning() {
        let mut f = Fake::new();
        kubectl(&mut f, "create -f -", &cidr("m1"));
        let o = kubectl(&mut f, "apply -f -", &cidr("m1"));
        assert_eq!(
            o.stderr,
            "Warning: resource servicecidrs/m1 is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"
        );
        assert_eq!(o.stdout, "servicecidr.networking.k8s.io/m1 configured\n");
    }

    #[test]
    fn error_shapes() {
        let mut f = Fake::new();
        let bad = cidr("bad").replace("10.96.0.0/24", "garbage");
        let o = kubectl(&mut f, "apply -f -", &bad);
        assert_eq!(
            o.stderr,
            "The ServiceCIDR \"bad\" is invalid: spec.cidrs[0]: Invalid value: \"garbage\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)\n"
        );
        assert_eq!(o.exit_code, 1);
        kubectl(&mut f, "apply -f -", &cidr("conf1"));
        f.fail_writes = Some(ApiError::conflict(
            "servicecidrs",
            "networking.k8s.io",
            "conf1",
        ));
        let o = kubectl(
            &mut f,
            "apply -f -",
            &cidr("conf1").replace("10.96.0.0/24", "10.97.0.0/24"),
        );
        assert_eq!(
            o.stderr,
            "Error from server (Conflict): error when applying patch:\n\
             {\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersion\\\":\\\"networking.k8s.io/v1\\\",\\\"kind\\\":\\\"ServiceCIDR\\\",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"name\\\":\\\"conf1\\\"},\\\"spec\\\":{\\\"cidrs\\\":[\\\"10.97.0.0/24\\\"]}}\\n\"}},\"spec\":{\"cidrs\":[\"10.97.0.0/24\"]}}\n\
             to:\n\
             Resource: \"networking.k8s.io/v1, Resource=servicecidrs\", GroupVersionKind: \"networking.k8s.io/v1, Kind=ServiceCIDR\"\n\
             Name: \"conf1\", Namespace: \"\"\n\
             for: \"STDIN\": error when patching \"STDIN\": Operation cannot be fulfilled on servicecidrs.networking.k8s.io \"conf1\": the object has been modified; please apply your changes to the latest version and try again\n"
        );
        f.fail_writes = Some(ApiError::internal(
            "failed to allocate a serviceIP: range is full",
        ));
        let o = kubectl(&mut f, "apply -f -", &cidr("new2"));
        assert_eq!(
            o.stderr,
            "Error from server (InternalError): error when creating \"STDIN\": Internal error occurred: failed to allocate a serviceIP: range is full\n"
        );
        let o = kubectl(&mut f, "apply -f -", "");
        assert_eq!(o.stderr, "error: no objects passed to apply\n");
        let o = kubectl(&mut f, "apply", "");
        assert_eq!(o.stderr, "error: must specify one of -f and -k\n");
    }

    #[test]
    fn last_applied_is_the_manifest() {
        let doc = json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
            "metadata": {"name": "two"}, "spec": {"cidrs": ["10.97.0.0/24"]}});
        assert_eq!(
            super::last_applied(&doc),
            "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"ServiceCIDR\",\"metadata\":{\"annotations\":{},\"name\":\"two\"},\"spec\":{\"cidrs\":[\"10.97.0.0/24\"]}}\n"
        );
    }
}
