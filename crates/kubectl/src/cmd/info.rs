//! `kubectl version` and `kubectl api-resources`.
//!
//! The client is the emulated release's kubectl (the in-box kubectl follows
//! the server: major, minor and gitVersion of the release, build facts of the
//! real 1.33.1 build); the server's half is what GET /version answers.

use super::api::Api;
use super::args::{flag, FlagKind, FlagSpec};
use super::errors::CmdError;
use super::resources::{KINDS, VERBS};
use super::{parse_command, render, Out};
use crate::tabwriter::format_text;
use serde_json::{json, Value};
use servicecidr_core::Release;

const CLIENT_GIT_COMMIT: &str = "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828";
const CLIENT_BUILD_DATE: &str = "2025-05-15T08:27:33Z";
const CLIENT_GO_VERSION: &str = "go1.24.2";
pub const KUSTOMIZE_VERSION: &str = "v5.6.0";
const PLATFORM: &str = "linux/amd64";

/// The in-box kubectl is the emulated release's: its major, minor and
/// gitVersion follow the release; the build facts (commit, date, Go version)
/// are those of the real 1.33.1 build, the only one the reference records.
fn client_info(r: &Release) -> Value {
    let v = r.version_info();
    json!({
        "major": v.major, "minor": v.minor, "gitVersion": v.git_version,
        "gitCommit": CLIENT_GIT_COMMIT, "gitTreeState": "clean", "buildDate": CLIENT_BUILD_DATE,
        "goVersion": CLIENT_GO_VERSION, "compiler": "gc", "platform": PLATFORM
    })
}

/// Go's json.MarshalIndent of kubectl's version struct keeps the struct order,
/// two-space indented.
fn version_json(r: &Release, server: Option<&Value>) -> String {
    fn obj(out: &mut String, v: &Value, keys: &[&str], indent: &str) {
        out.push_str("{\n");
        for (i, k) in keys.iter().enumerate() {
            out.push_str(&format!(
                "{indent}  \"{k}\": {}",
                serde_json::to_string(&v[*k]).unwrap_or_default()
            ));
            out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
        }
        out.push_str(indent);
        out.push('}');
    }
    let client_keys = [
        "major",
        "minor",
        "gitVersion",
        "gitCommit",
        "gitTreeState",
        "buildDate",
        "goVersion",
        "compiler",
        "platform",
    ];
    let server_keys = [
        "major",
        "minor",
        "emulationMajor",
        "emulationMinor",
        "minCompatibilityMajor",
        "minCompatibilityMinor",
        "gitVersion",
        "gitCommit",
        "gitTreeState",
        "buildDate",
        "goVersion",
        "compiler",
        "platform",
    ];
    let mut s = String::from("{\n  \"clientVersion\": ");
    obj(&mut s, &client_info(r), &client_keys, "  ");
    s.push_str(&format!(
        ",\n  \"kustomizeVersion\": \"{KUSTOMIZE_VERSION}\""
    ));
    if let Some(server) = server {
        s.push_str(",\n  \"serverVersion\": ");
        obj(&mut s, server, &server_keys, "  ");
    }
    s.push_str("\n}\n");
    s
}

const VERSION_FLAGS: &[FlagSpec] = &[
    flag("client", None, FlagKind::Bool),
    flag("output", Some('o'), FlagKind::Str),
];

pub fn version(api: &mut dyn Api, args: &[String], out: &mut Out) -> i32 {
    let p = match parse_command(args, VERSION_FLAGS, "kubectl version", out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let with_server = !p.bool_or("client", false);
    let release = api.release();
    let git_version = release.version_info().git_version;
    // The server's half comes from GET /version.
    let server = if with_server {
        match api.server_version() {
            Ok(v) => Some(v),
            Err(e) => {
                out.errors(&[CmdError::Api(e)]);
                return 1;
            }
        }
    } else {
        None
    };
    let server_git_version = server
        .as_ref()
        .and_then(|v| v.get("gitVersion"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match p.str("output") {
        None | Some("") => {
            out.out(&format!(
                "Client Version: {git_version}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
            ));
            if with_server {
                out.out(&format!("Server Version: {server_git_version}\n"));
            }
        }
        Some("json") => out.out(&version_json(&release, server.as_ref())),
        Some("yaml") => {
            let mut v = json!({"clientVersion": client_info(&release), "kustomizeVersion": KUSTOMIZE_VERSION});
            if let Some(server) = server {
                v["serverVersion"] = server;
            }
            // kubectl's YAML version printer ends with an empty line.
            out.out(&render::to_yaml(&v));
            out.out("\n");
        }
        Some(_) => {
            out.errors(&[CmdError::Client("--output must be 'yaml' or 'json'".into())]);
            return 1;
        }
    }
    0
}

/// `kubectl api-versions`: every group/version discovery serves (`/api`,
/// `/apis`), sorted as strings.
pub fn api_versions(api: &mut dyn Api, args: &[String], out: &mut Out) -> i32 {
    let p = match parse_command(args, &[], "kubectl api-versions", out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if !p.positionals.is_empty() {
        // Go's %v of the []string: [a b].
        let msg = format!("unexpected arguments: [{}]", p.positionals.join(" "));
        out.errors(&[super::errors::usage_error(&msg, "kubectl api-versions")]);
        return 1;
    }
    let mut versions: Vec<String> = Vec::new();
    for path in ["/api", "/apis"] {
        let doc = match api.get_path(path) {
            Ok(v) => v,
            Err(e) => {
                out.errors(&[CmdError::Api(e)]);
                return 1;
            }
        };
        // /api lists bare versions; /apis lists groups with their versions.
        let core = doc
            .get("versions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        versions.extend(core.filter_map(Value::as_str).map(str::to_string));
        let groups = doc
            .get("groups")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for g in groups {
            let gvs = g
                .get("versions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            let gvs = gvs.filter_map(|v| v.get("groupVersion").and_then(Value::as_str));
            versions.extend(gvs.map(str::to_string));
        }
    }
    versions.sort();
    for v in versions {
        out.out(&format!("{v}\n"));
    }
    0
}

const API_RESOURCES_FLAGS: &[FlagSpec] = &[
    flag("output", Some('o'), FlagKind::Str),
    flag("namespaced", None, FlagKind::Bool),
    flag("api-group", None, FlagKind::Str),
    flag("verbs", None, FlagKind::StrSlice),
    flag("sort-by", None, FlagKind::Str),
    flag("no-headers", None, FlagKind::Bool),
    flag("cached", None, FlagKind::Bool),
    flag("categories", None, FlagKind::StrSlice),
];

pub fn api_resources(api: &dyn Api, args: &[String], out: &mut Out) -> i32 {
    let p = match parse_command(args, API_RESOURCES_FLAGS, "kubectl api-resources", out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let format = p.str_or("output", "");
    if !matches!(format, "" | "wide" | "name") {
        out.errors(&[CmdError::Client(
            "--output wide, name, json, or yaml is required; json and yaml are not available in this simulator".into(),
        )]);
        return 1;
    }
    let sort_by = p.str_or("sort-by", "");
    if !matches!(sort_by, "" | "name" | "kind") {
        out.errors(&[CmdError::Client(
            "--sort-by accepts only name or kind".to_string(),
        )]);
        return 1;
    }
    let mut rows: Vec<_> = KINDS
        .iter()
        .filter(|k| !p.changed("namespaced") || k.namespaced == p.bool_or("namespaced", true))
        .filter(|k| !p.changed("api-group") || k.group == p.str_or("api-group", ""))
        .filter(|_| {
            let verbs = p.list("verbs");
            verbs.iter().all(|v| VERBS.split(',').any(|x| x == v))
        })
        .filter(|k| {
            let cats = p.list("categories");
            cats.iter().all(|c| k.categories.contains(&c.as_str()))
        })
        .collect();
    match sort_by {
        "name" => rows.sort_by_key(|k| k.plural),
        "kind" => rows.sort_by_key(|k| k.kind_name),
        _ => {}
    }
    if format == "name" {
        for k in rows {
            if k.group.is_empty() {
                out.out(&format!("{}\n", k.plural));
            } else {
                out.out(&format!("{}.{}\n", k.plural, k.group));
            }
        }
        return 0;
    }
    let wide = format == "wide";
    let mut text = String::new();
    if !p.bool_or("no-headers", false) {
        text.push_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND");
        if wide {
            text.push_str("\tVERBS\tCATEGORIES");
        }
        text.push('\n');
    }
    let release = api.release();
    for k in rows {
        // The release's preferred version of the networking resources (v1beta1 on 1.31).
        let served = if k.group == "networking.k8s.io" {
            release.served_group_versions(k.plural)
        } else {
            Vec::new()
        };
        let gv = served.into_iter().next().unwrap_or_else(|| {
            if k.group.is_empty() {
                k.version.to_string()
            } else {
                format!("{}/{}", k.group, k.version)
            }
        });
        text.push_str(&format!(
            "{}\t{}\t{gv}\t{}\t{}",
            k.plural,
            k.short_names.join(","),
            k.namespaced,
            k.kind_name
        ));
        if wide {
            text.push_str(&format!("\t{VERBS}\t{}", k.categories.join(",")));
        }
        text.push('\n');
    }
    out.out(&format_text(&text));
    0
}

#[cfg(test)]
mod tests {
    use super::super::fake::{kubectl, Fake};

    #[test]
    fn version_lines() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "version", "");
        assert_eq!(
            o.stdout,
            "Client Version: v1.37.0\nKustomize Version: v5.6.0\nServer Version: v1.37.0\n"
        );
        let o = kubectl(&mut f, "version --client", "");
        assert_eq!(
            o.stdout,
            "Client Version: v1.37.0\nKustomize Version: v5.6.0\n"
        );
        let o = kubectl(&mut f, "version -o json", "");
        assert!(o.stdout.starts_with(
            "{\n  \"clientVersion\": {\n    \"major\": \"1\",\n    \"minor\": \"37\",\n"
        ));
        assert!(o.stdout.contains("\"kustomizeVersion\": \"v5.6.0\",\n  \"serverVersion\": {\n    \"major\": \"1\",\n    \"minor\": \"37\",\n    \"emulationMajor\": \"1\","));
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(v["serverVersion"]["gitVersion"], "v1.37.0");
        let o = kubectl(&mut f, "version -o bogus", "");
        assert_eq!(o.stderr, "error: --output must be 'yaml' or 'json'\n");
    }

    #[test]
    fn api_resources_table() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "api-resources", "");
        assert_eq!(
            o.stdout,
            "NAME                                SHORTNAMES   APIVERSION                        NAMESPACED   KIND\n\
             configmaps                          cm           v1                                true         ConfigMap\n\
             events                              ev           v1                                true         Event\n\
             services                            svc          v1                                true         Service\n\
             events                              ev           events.k8s.io/v1                  true         Event\n\
             ipaddresses                         ip           networking.k8s.io/v1              false        IPAddress\n\
             servicecidrs                                     networking.k8s.io/v1              false        ServiceCIDR\n\
             validatingadmissionpolicies                      admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicy\n\
             validatingadmissionpolicybindings                admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicyBinding\n"
        );
        let o = kubectl(&mut f, "api-resources --namespaced=false -o name", "");
        assert_eq!(
            o.stdout,
            "ipaddresses.networking.k8s.io\nservicecidrs.networking.k8s.io\nvalidatingadmissionpolicies.admissionregistration.k8s.io\nvalidatingadmissionpolicybindings.admissionregistration.k8s.io\n"
        );
        let o = kubectl(
            &mut f,
            "api-resources -o wide --api-group=networking.k8s.io",
            "",
        );
        assert!(o.stdout.contains(
            "servicecidrs                networking.k8s.io/v1   false        ServiceCIDR   create,delete,deletecollection,get,list,patch,update,watch   \n"
        ), "{}", o.stdout);
    }
}
