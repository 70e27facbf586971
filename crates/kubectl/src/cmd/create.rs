//! `kubectl create -f -` and `kubectl create service <type> NAME`. The service
//! generators build the same object kubectl sends (ports named after their
//! `--tcp` spec, `app=NAME` label and selector), and server errors come back
//! wrapped the way `kubectl create service` wraps every one of them.

use super::api::Api;
use super::args::{first_positional, flag, FlagKind, FlagSpec, Parsed};
use super::errors::{usage_error, with_source, CmdError};
use super::render;
use super::resources::Kind;
use super::{dry_run, namespace, output_format_of, parse_command, DryRun, Out, OutputFormat};
use serde_json::{json, Map, Value};
use servicecidr_core::Release;

const DRY_RUN: FlagSpec = FlagSpec {
    long: "dry-run",
    short: None,
    kind: FlagKind::Str,
    no_opt_default: Some("unchanged"),
};

/// Flags shared by create, create service * and apply (printing, dry run, validation).
pub(crate) const WRITE_FLAGS: &[FlagSpec] = &[
    flag("output", Some('o'), FlagKind::Str),
    DRY_RUN,
    flag("validate", None, FlagKind::Str),
    flag("save-config", None, FlagKind::Bool),
    flag("field-manager", None, FlagKind::Str),
    flag("template", None, FlagKind::Str),
    flag("allow-missing-template-keys", None, FlagKind::Bool),
    flag("show-managed-fields", None, FlagKind::Bool),
];

const CREATE_FLAGS: &[FlagSpec] = &[
    flag("filename", Some('f'), FlagKind::StrSlice),
    flag("kustomize", Some('k'), FlagKind::Str),
    flag("recursive", Some('R'), FlagKind::Bool),
    flag("selector", Some('l'), FlagKind::Str),
    flag("edit", None, FlagKind::Bool),
    flag("raw", None, FlagKind::Str),
    flag("windows-line-endings", None, FlagKind::Bool),
];

pub(crate) const SOURCE: &str = "STDIN";

/// kubectl create's generators kubectl has besides `service`.
const OTHER_GENERATORS: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "cm",
    "cronjob",
    "cj",
    "deployment",
    "deploy",
    "ingress",
    "ing",
    "job",
    "namespace",
    "ns",
    "poddisruptionbudget",
    "pdb",
    "priorityclass",
    "pc",
    "quota",
    "resourcequota",
    "role",
    "rolebinding",
    "secret",
    "serviceaccount",
    "sa",
    "token",
];

pub fn run(api: &mut dyn Api, args: &[String], stdin: &str, out: &mut Out) -> i32 {
    let all: &[&[FlagSpec]] = &[CREATE_FLAGS, WRITE_FLAGS, super::args::GLOBAL_FLAGS];
    if let Some(i) = first_positional(args, all) {
        let mut rest: Vec<String> = args[..i].to_vec();
        rest.extend(args[i + 1..].iter().cloned());
        return match args[i].as_str() {
            "service" | "svc" => create_service(api, &rest, out),
            g if OTHER_GENERATORS.contains(&g) => {
                out.errors(&[CmdError::Client(format!(
                    "\"kubectl create {g}\" is not available in this simulator; it creates objects with `kubectl create -f -` and `kubectl create service`"
                ))]);
                1
            }
            _ => {
                let pos: Vec<String> = args[i..]
                    .iter()
                    .filter(|a| !a.starts_with('-'))
                    .cloned()
                    .collect();
                out.errors(&[usage_error(
                    &format!("Unexpected args: [{}]", pos.join(" ")),
                    "kubectl create",
                )]);
                1
            }
        };
    }
    let p = match parse_command(
        args,
        &[CREATE_FLAGS, WRITE_FLAGS].concat(),
        "kubectl create",
        out,
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = create_from_files(api, &p, stdin, out);
    out.exit_code(result)
}

/// Reads `-f` arguments. There is no filesystem here: only `-` (stdin) exists.
/// The outer error stops the command; inner ones are per-document failures
/// kubectl reports after handling the other documents.
pub(crate) fn read_manifests(
    files: &[String],
    stdin: &str,
) -> Result<Vec<Result<Value, CmdError>>, CmdError> {
    if files.iter().filter(|f| f.as_str() == "-").count() > 1 {
        return Err(CmdError::Client(
            "standard input cannot be used for multiple arguments".into(),
        ));
    }
    if let Some(f) = files.iter().find(|f| f.as_str() != "-") {
        return Err(CmdError::Client(format!("the path {f:?} does not exist")));
    }
    Ok(render::manifest_stream(stdin)
        .into_iter()
        .map(|d| d.map_err(CmdError::Client))
        .collect())
}

/// The objects of a manifest, stopping at the first bad document (for commands
/// that only look objects up: get, describe, delete).
pub(crate) fn read_objects(files: &[String], stdin: &str) -> Result<Vec<Value>, CmdError> {
    read_manifests(files, stdin)?.into_iter().collect()
}

/// The served type of a manifest, or kubectl's mapping error.
pub(crate) fn kind_of(doc: &Value, source: &str) -> Result<Kind, CmdError> {
    kind_served(doc, source, None)
}

/// [`kind_of`], and with `release` the version must also be one that release
/// serves: kubectl's REST mapping comes from discovery, so a manifest in a
/// version the server does not serve fails before any request is made.
pub(crate) fn kind_served(
    doc: &Value,
    source: &str,
    release: Option<&Release>,
) -> Result<Kind, CmdError> {
    let api_version = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind.is_empty() || api_version.is_empty() {
        let what = if kind.is_empty() { "Kind" } else { "Version" };
        return Err(CmdError::Client(format!(
            "unable to decode {source:?}: Object '{what}' is missing in '{}'",
            serde_json::to_string(doc).unwrap_or_default()
        )));
    }
    let served = |k: &Kind| {
        release.is_none_or(|r| {
            r.served_group_versions(k.info().plural)
                .iter()
                .any(|gv| gv == api_version)
        })
    };
    Kind::from_object(api_version, kind).filter(served).ok_or_else(|| {
        let name = doc.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
        let ns = doc
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        CmdError::Client(format!(
            "resource mapping not found for name: {name:?} namespace: {ns:?} from {source:?}: no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first"
        ))
    })
}

/// The namespace a manifest's object goes to, or kubectl's mismatch error when
/// `-n` names another one.
pub(crate) fn object_namespace(doc: &Value, kind: Kind, p: &Parsed) -> Result<String, CmdError> {
    if !kind.info().namespaced {
        return Ok(String::new());
    }
    let own = doc
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let flag_ns = namespace(p);
    if p.changed("namespace") && !own.is_empty() && own != flag_ns {
        return Err(CmdError::Client(format!(
            "the namespace from the provided object {own:?} does not match the namespace {flag_ns:?}. You must pass '--namespace={own}' to perform this operation."
        )));
    }
    Ok(if own.is_empty() {
        flag_ns
    } else {
        own.to_string()
    })
}

/// The `-f` manifest stream of `kubectl apply` / `kubectl create` (`verb`):
/// each document that decodes, maps to a served kind and fits the namespace goes
/// to `each` with that kind and namespace; the per-document failures (and those
/// `each` pushes) are printed together at the end, as kubectl does, and make
/// the exit code 1. An `Err` from `each` stops the whole command.
pub(crate) fn for_each_manifest(
    p: &Parsed,
    stdin: &str,
    out: &mut Out,
    verb: &str,
    release: &Release,
    mut each: impl FnMut(&mut Out, &mut Vec<CmdError>, Value, Kind, String) -> Result<(), CmdError>,
) -> Result<i32, CmdError> {
    let files = p.list("filename");
    if files.is_empty() {
        return Err(CmdError::Client("must specify one of -f and -k".into()));
    }
    let docs = read_manifests(&files, stdin)?;
    if docs.is_empty() {
        return Err(CmdError::Client(format!("no objects passed to {verb}")));
    }
    let mut errs: Vec<CmdError> = Vec::new();
    for doc in docs {
        let checked = doc.and_then(|doc| {
            let kind = kind_served(&doc, SOURCE, Some(release))?;
            let ns = object_namespace(&doc, kind, p)?;
            Ok((doc, kind, ns))
        });
        match checked {
            Ok((doc, kind, ns)) => each(out, &mut errs, doc, kind, ns)?,
            Err(e) => errs.push(e),
        }
    }
    if errs.is_empty() {
        Ok(0)
    } else {
        out.errors(&errs);
        Ok(1)
    }
}

/// Prints a written object in the `-o` format, or `<kind>/<name> <verb><suffix>`.
pub(crate) fn print_written(
    out: &mut Out,
    format: &OutputFormat,
    kind: Kind,
    obj: &Value,
    verb: &str,
    dry: DryRun,
) -> Result<(), CmdError> {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    match format {
        OutputFormat::Json => out.out(&render::to_json(obj)),
        OutputFormat::Yaml => out.out(&render::to_yaml(obj)),
        OutputFormat::Name => out.out(&format!("{}/{name}\n", kind.kind_prefix())),
        OutputFormat::JsonPath(t) => {
            let s =
                render::jsonpath(t, obj).map_err(|e| CmdError::Client(e.trim_end().to_string()))?;
            out.out(&s);
        }
        OutputFormat::GoTemplate(t) => super::gotemplate::print_to(out, t, obj)?,
        OutputFormat::CustomColumns(c) => c.print(std::slice::from_ref(obj), false, out)?,
        OutputFormat::Default | OutputFormat::Wide => out.out(&format!(
            "{}/{name} {verb}{}\n",
            kind.kind_prefix(),
            dry.suffix()
        )),
    }
    Ok(())
}

fn create_from_files(
    api: &mut dyn Api,
    p: &Parsed,
    stdin: &str,
    out: &mut Out,
) -> Result<i32, CmdError> {
    let format = output_format_of(p, false)?;
    let dry = dry_run(p, out, api.now_ms())?;
    let release = api.release();
    for_each_manifest(
        p,
        stdin,
        out,
        "create",
        &release,
        |out, errs, doc, kind, ns| {
            let doc = if p.bool_or("save-config", false) {
                with_last_applied(doc)
            } else {
                doc
            };
            if dry == DryRun::Client {
                return print_written(out, &format, kind, &doc, "created", dry);
            }
            let created = api.create(doc, dry == DryRun::Server, &ns);
            super::print_warnings(api, out);
            match created {
                Ok(obj) => print_written(out, &format, kind, &obj, "created", dry)?,
                Err(e) => errs.push(CmdError::Api(with_source(e, "creating", SOURCE))),
            }
            Ok(())
        },
    )
}

/// `--save-config`: the object carries the last-applied annotation, as after apply.
fn with_last_applied(mut doc: Value) -> Value {
    let text = super::apply::last_applied(&doc);
    if let Some(meta) = doc.get_mut("metadata").and_then(Value::as_object_mut) {
        let ann = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(a) = ann.as_object_mut() {
            a.insert(super::apply::LAST_APPLIED.into(), Value::String(text));
        }
    }
    doc
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

impl ServiceType {
    fn name(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
            ServiceType::ExternalName => "ExternalName",
        }
    }
    fn subcommand(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "clusterip",
            ServiceType::NodePort => "nodeport",
            ServiceType::LoadBalancer => "loadbalancer",
            ServiceType::ExternalName => "externalname",
        }
    }
}

const TCP: FlagSpec = flag("tcp", None, FlagKind::StrSlice);
const CLUSTERIP_FLAGS: &[FlagSpec] = &[TCP, flag("clusterip", None, FlagKind::Str)];
const NODEPORT_FLAGS: &[FlagSpec] = &[TCP, flag("node-port", None, FlagKind::Int)];
const LOADBALANCER_FLAGS: &[FlagSpec] = &[TCP];
const EXTERNALNAME_FLAGS: &[FlagSpec] = &[TCP, flag("external-name", None, FlagKind::Str)];

/// `kubectl create service` without a valid subcommand prints its help on stderr.
const CREATE_SERVICE_HELP: &str = "Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n\nUse \"kubectl create service <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

fn create_service(api: &mut dyn Api, args: &[String], out: &mut Out) -> i32 {
    let all: &[&[FlagSpec]] = &[
        WRITE_FLAGS,
        CLUSTERIP_FLAGS,
        NODEPORT_FLAGS,
        EXTERNALNAME_FLAGS,
        super::args::GLOBAL_FLAGS,
    ];
    let Some(i) = first_positional(args, all) else {
        out.err(CREATE_SERVICE_HELP);
        return 1;
    };
    let t = match args[i].as_str() {
        "clusterip" => ServiceType::ClusterIP,
        "nodeport" => ServiceType::NodePort,
        "loadbalancer" => ServiceType::LoadBalancer,
        "externalname" => ServiceType::ExternalName,
        _ => {
            let pos: Vec<&str> = args[i..]
                .iter()
                .filter(|a| !a.starts_with('-'))
                .map(String::as_str)
                .collect();
            out.errors(&[usage_error(
                &format!("unknown command {:?}", pos.join(" ")),
                "kubectl create service",
            )]);
            return 1;
        }
    };
    let mut rest: Vec<String> = args[..i].to_vec();
    rest.extend(args[i + 1..].iter().cloned());
    let own = match t {
        ServiceType::ClusterIP => CLUSTERIP_FLAGS,
        ServiceType::NodePort => NODEPORT_FLAGS,
        ServiceType::LoadBalancer => LOADBALANCER_FLAGS,
        ServiceType::ExternalName => EXTERNALNAME_FLAGS,
    };
    let path = format!("kubectl create service {}", t.subcommand());
    let p = match parse_command(&rest, &[WRITE_FLAGS, own].concat(), &path, out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = create_service_run(api, t, &p, &path, out);
    out.exit_code(result)
}

/// Builds the Service kubectl's service generator sends.
fn build_service(t: ServiceType, name: &str, p: &Parsed) -> Result<Value, CmdError> {
    let cluster_ip = p.str_or("clusterip", "").to_string();
    let tcp = p.list("tcp");
    if cluster_ip == "None" && t != ServiceType::ClusterIP {
        return Err(CmdError::Client(
            "ClusterIP=None can only be used with ClusterIP service type".into(),
        ));
    }
    if cluster_ip != "None" && tcp.is_empty() && t != ServiceType::ExternalName {
        return Err(CmdError::Client(
            "at least one tcp port specifier must be provided".into(),
        ));
    }
    let external_name = p.str_or("external-name", "").to_string();
    if t == ServiceType::ExternalName {
        if !p.changed("external-name") {
            return Err(CmdError::Client(
                "required flag(s) \"external-name\" not set".into(),
            ));
        }
        if !is_dns1123_subdomain(&external_name) {
            return Err(CmdError::Client(format!(
                "invalid service external name {external_name}"
            )));
        }
    }
    let node_port = p.int("node-port").unwrap_or(0);
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port_s, target_s) = match spec.split_once(':') {
            Some((a, b)) => (a, b.split(':').next().unwrap_or("")),
            None => (spec.as_str(), spec.as_str()),
        };
        let port = parse_port(port_s)?;
        let target = match target_s.parse::<i32>() {
            Ok(n) => json!(n),
            Err(_) => json!(target_s),
        };
        let mut m = Map::new();
        m.insert("name".into(), json!(spec.replace(':', "-")));
        m.insert("port".into(), json!(port));
        m.insert("protocol".into(), json!("TCP"));
        m.insert("targetPort".into(), target);
        if t == ServiceType::NodePort && node_port != 0 {
            m.insert("nodePort".into(), json!(node_port));
        }
        ports.push(Value::Object(m));
    }
    let mut spec = Map::new();
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), json!({"app": name}));
    spec.insert("type".into(), json!(t.name()));
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), json!(cluster_ip));
    }
    if t == ServiceType::ExternalName {
        spec.insert("externalName".into(), json!(external_name));
    }
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    meta.insert("labels".into(), json!({"app": name}));
    meta.insert("creationTimestamp".into(), Value::Null);
    if p.changed("namespace") {
        meta.insert("namespace".into(), json!(namespace(p)));
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": Value::Object(meta),
        "spec": Value::Object(spec),
        "status": {"loadBalancer": {}},
    }))
}

/// strconv.ParseUint(s, 10, 16), with its error texts.
fn parse_port(s: &str) -> Result<u16, CmdError> {
    let err = |why: &str| CmdError::Client(format!("strconv.ParseUint: parsing {s:?}: {why}"));
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(err("invalid syntax"));
    }
    s.parse::<u16>().map_err(|_| err("value out of range"))
}

/// validation.IsDNS1123Subdomain.
pub(crate) fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn create_service_run(
    api: &mut dyn Api,
    t: ServiceType,
    p: &Parsed,
    path: &str,
    out: &mut Out,
) -> Result<i32, CmdError> {
    if p.positionals.len() != 1 {
        return Err(usage_error(
            &format!("exactly one NAME is required, got {}", p.positionals.len()),
            path,
        ));
    }
    let name = p.positionals[0].clone();
    let format = output_format_of(p, false)?;
    let dry = dry_run(p, out, api.now_ms())?;
    let mut obj = build_service(t, &name, p)?;
    if p.bool_or("save-config", false) {
        obj = with_last_applied(obj);
    }
    let shown = if dry == DryRun::Client {
        obj
    } else {
        let ns = namespace(p);
        let created = api.create(obj, dry == DryRun::Server, &ns);
        super::print_warnings(api, out);
        created.map_err(|e| {
            CmdError::Client(format!(
                "failed to create {} service: {}",
                t.name(),
                e.message
            ))
        })?
    };
    // kubectl holds this object as a Go struct: JSON keeps the struct's field order.
    if format == OutputFormat::Json {
        out.out(&render::typed_service_json(&shown));
        return Ok(0);
    }
    print_written(out, &format, Kind::Service, &shown, "created", dry)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::super::fake::{cidr, kubectl, Fake};
    use serde_json::{json, Value};
    use servicecidr_core::model::ApiError;

    #[test]
    fn dry_run_objects_match_kubectl() {
        let mut f = Fake::new();
        let o = kubectl(
            &mut f,
            "create service clusterip x --tcp 80:8080 --dry-run=client -o json",
            "",
        );
        assert_eq!(o.exit_code, 0);
        let v: Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(
            v,
            json!({"kind": "Service", "apiVersion": "v1",
                "metadata": {"name": "x", "creationTimestamp": null, "labels": {"app": "x"}},
                "spec": {"ports": [{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080}],
                    "selector": {"app": "x"}, "type": "ClusterIP"},
                "status": {"loadBalancer": {}}})
        );
        assert!(o
            .stdout
            .starts_with("{\n    \"kind\": \"Service\",\n    \"apiVersion\": \"v1\","));
        let v: Value = serde_json::from_str(
            &kubectl(
                &mut f,
                "create service clusterip x --tcp 80,443 --dry-run=client -o json",
                "",
            )
            .stdout,
        )
        .unwrap();
        assert_eq!(
            v["spec"]["ports"][1],
            json!({"name": "443", "protocol": "TCP", "port": 443, "targetPort": 443})
        );
        let v: Value = serde_json::from_str(
            &kubectl(
                &mut f,
                "create service clusterip x --clusterip None --dry-run=client -o json",
                "",
            )
            .stdout,
        )
        .unwrap();
        assert_eq!(
            v["spec"],
            json!({"clusterIP": "None", "selector": {"app": "x"}, "type": "ClusterIP"})
        );
        let v: Value = serde_json::from_str(
            &kubectl(
                &mut f,
                "create service nodeport x --tcp=80,81 --node-port=30001 --dry-run=client -o json",
                "",
            )
            .stdout,
        )
        .unwrap();
        assert_eq!(v["spec"]["ports"][1]["nodePort"], 30001);
        assert_eq!(v["spec"]["type"], "NodePort");
        let v: Value = serde_json::from_str(
            &kubectl(
                &mut f,
                "create service externalname x --external-name foo.com --dry-run=client -o json",
                "",
            )
            .stdout,
        )
        .unwrap();
        assert_eq!(
            v["spec"],
            json!({"externalName": "foo.com", "selector": {"app": "x"}, "type": "ExternalName"})
        );
        let v: Value = serde_json::from_str(
            &kubectl(
                &mut f,
                "create service clusterip x --tcp=80:abc -n kube-system --dry-run=client -o json",
                "",
            )
            .stdout,
        )
        .unwrap();
        assert_eq!(v["spec"]["ports"][0]["targetPort"], "abc");
        assert_eq!(v["metadata"]["namespace"], "kube-system");
    }

    #[test]
    fn created_lines() {
        let mut f = Fake::new();
        let o = kubectl(
            &mut f,
            "create service clusterip x --tcp 80 --dry-run=client",
            "",
        );
        assert_eq!(o.stdout, "service/x created (dry run)\n");
        let o = kubectl(
            &mut f,
            "create service clusterip x --tcp 80 --dry-run=server",
            "",
        );
        assert_eq!(o.stdout, "service/x created (server dry run)\n");
        assert!(f.objs.keys().all(|k| k.2 != "x"));
        let o = kubectl(&mut f, "create service clusterip x --tcp 80", "");
        assert_eq!(o.stdout, "service/x created\n");
        let o = kubectl(&mut f, "create svc clusterip y --tcp 80 -o name", "");
        assert_eq!(o.stdout, "service/y\n");
        let o = kubectl(&mut f, "create service clusterip z --tcp 80 -o json", "");
        let v: Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(v["spec"]["clusterIP"], "10.96.0.4");
        let o = kubectl(
            &mut f,
            "create service clusterip w --tcp 80 -o jsonpath={.spec.clusterIP}",
            "",
        );
        assert_eq!(o.stdout, "10.96.0.5");
    }

    #[test]
    fn server_errors_are_wrapped() {
        let mut f = Fake::new();
        let o = kubectl(
            &mut f,
            "create service clusterip full-1 --tcp 80 -o json",
            "",
        );
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
            ("", "error: failed to create ClusterIP service: Internal error occurred: failed to allocate a serviceIP: range is full\n", 1)
        );
        let o = kubectl(&mut f, "create service clusterip kubernetes --tcp 80", "");
        assert_eq!(
            o.stderr,
            "error: failed to create ClusterIP service: services \"kubernetes\" already exists\n"
        );
        f.fail_writes = Some(ApiError::invalid(
            "Service",
            "",
            "pinned",
            &[servicecidr_core::model::FieldError::invalid(
                "spec.clusterIPs",
                json!(["10.96.0.1"]),
                "failed to allocate IP 10.96.0.1: provided IP is already allocated",
            )],
        ));
        let o = kubectl(&mut f, "create service nodeport pinned --tcp 80", "");
        assert_eq!(
            o.stderr,
            "error: failed to create NodePort service: Service \"pinned\" is invalid: spec.clusterIPs: Invalid value: [\"10.96.0.1\"]: failed to allocate IP 10.96.0.1: provided IP is already allocated\n"
        );
    }

    #[test]
    fn generator_argument_errors() {
        let mut f = Fake::new();
        let cases = [
            ("create service clusterip", "error: exactly one NAME is required, got 0\nSee 'kubectl create service clusterip -h' for help and examples\n"),
            ("create service clusterip x y --tcp=80", "error: exactly one NAME is required, got 2\nSee 'kubectl create service clusterip -h' for help and examples\n"),
            ("create service clusterip x", "error: at least one tcp port specifier must be provided\n"),
            ("create service foo x", "error: unknown command \"foo x\"\nSee 'kubectl create service -h' for help and examples\n"),
            ("create service clusterip x --tcp=abc", "error: strconv.ParseUint: parsing \"abc\": invalid syntax\n"),
            ("create service clusterip x --tcp=70000", "error: strconv.ParseUint: parsing \"70000\": value out of range\n"),
            ("create service clusterip x --tcp 80 --dry-run=bogus", "error: Invalid dry-run value (bogus). Must be \"none\", \"server\", or \"client\".\n"),
            ("create service externalname x", "error: required flag(s) \"external-name\" not set\n"),
            ("create service clusterip x --tcp=80 --node-port=30001", "error: unknown flag: --node-port\nSee 'kubectl create service clusterip --help' for usage.\n"),
            ("create service nodeport x --tcp=80 --node-port=abc", "error: invalid argument \"abc\" for \"--node-port\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl create service nodeport --help' for usage.\n"),
            ("create", "error: must specify one of -f and -k\n"),
        ];
        for (line, want) in cases {
            let o = kubectl(&mut f, line, "");
            assert_eq!((o.stderr.as_str(), o.exit_code), (want, 1), "{line}");
        }
        let o = kubectl(&mut f, "create service", "");
        assert!(o
            .stderr
            .starts_with("Create a service using a specified subcommand."));
        assert_eq!(o.exit_code, 1);
    }

    #[test]
    fn create_from_stdin() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "create -f -", &cidr("newcidr1"));
        assert_eq!(
            (o.stdout.as_str(), o.exit_code),
            ("servicecidr.networking.k8s.io/newcidr1 created\n", 0)
        );
        let o = kubectl(&mut f, "create -f -", &cidr("newcidr1"));
        assert_eq!(
            o.stderr,
            "Error from server (AlreadyExists): error when creating \"STDIN\": servicecidrs.networking.k8s.io \"newcidr1\" already exists\n"
        );
        assert_eq!(o.exit_code, 1);
        let bad = cidr("bad").replace("10.96.0.0/24", "garbage");
        let o = kubectl(&mut f, "create -f -", &bad);
        assert_eq!(
            o.stderr,
            "The ServiceCIDR \"bad\" is invalid: spec.cidrs[0]: Invalid value: \"garbage\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)\n"
        );
        let two = format!("{}---\n{}", cidr("m1"), bad);
        let o = kubectl(&mut f, "create -f -", &two);
        assert_eq!(o.stdout, "servicecidr.networking.k8s.io/m1 created\n");
        assert!(o.stderr.starts_with("The ServiceCIDR \"bad\" is invalid"));
        let o = kubectl(&mut f, "create -f - --dry-run=server", &cidr("x6"));
        assert_eq!(
            o.stdout,
            "servicecidr.networking.k8s.io/x6 created (server dry run)\n"
        );
        let o = kubectl(&mut f, "create -f - -o name", &cidr("x3"));
        assert_eq!(o.stdout, "servicecidr.networking.k8s.io/x3\n");
    }

    #[test]
    fn create_from_stdin_errors() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "create -f -", "");
        assert_eq!(o.stderr, "error: no objects passed to create\n");
        let o = kubectl(&mut f, "create -f x.yaml", "");
        assert_eq!(o.stderr, "error: the path \"x.yaml\" does not exist\n");
        let o = kubectl(&mut f, "create -f - -f -", "");
        assert_eq!(
            o.stderr,
            "error: standard input cannot be used for multiple arguments\n"
        );
        let o = kubectl(
            &mut f,
            "create -f -",
            "kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: x\n",
        );
        assert_eq!(
            o.stderr,
            "error: resource mapping not found for name: \"x\" namespace: \"\" from \"STDIN\": no matches for kind \"Deployment\" in version \"apps/v1\"\nensure CRDs are installed first\n"
        );
        let o = kubectl(
            &mut f,
            "create -f - -n bar",
            "kind: Service\napiVersion: v1\nmetadata:\n  name: x\n  namespace: foo\nspec:\n  ports: [{port: 80}]\n",
        );
        assert_eq!(
            o.stderr,
            "error: the namespace from the provided object \"foo\" does not match the namespace \"bar\". You must pass '--namespace=foo' to perform this operation.\n"
        );
    }
}
