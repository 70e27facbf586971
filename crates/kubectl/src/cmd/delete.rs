//! `kubectl delete TYPE NAME…`, `TYPE/NAME…`, `TYPE -l …|--all`, `-f -`: one
//! `"name" deleted` line per object, then (with the default `--wait=true`) a
//! wait for the objects to disappear, on the cluster clock, up to kubectl's
//! timeout (a week when `--timeout` is 0).

use super::api::Api;
use super::args::{flag, FlagKind, FlagSpec, Parsed};
use super::errors::{with_source, CmdError};
use super::get::{fetch, targets_from_manifests};
use super::resources::{parse_resource_args, Kind};
use super::selector::Selector;
use super::wait::{wait_all, waited, Condition, WAIT_FOREVER_MS};
use super::{dry_run, namespace, parse_command, DryRun, Out};
use serde_json::Value;

const DRY_RUN: FlagSpec = FlagSpec {
    long: "dry-run",
    short: None,
    kind: FlagKind::Str,
    no_opt_default: Some("unchanged"),
};

const FLAGS: &[FlagSpec] = &[
    flag("filename", Some('f'), FlagKind::StrSlice),
    flag("all", None, FlagKind::Bool),
    flag("all-namespaces", Some('A'), FlagKind::Bool),
    flag("selector", Some('l'), FlagKind::Str),
    flag("ignore-not-found", None, FlagKind::Bool),
    flag("now", None, FlagKind::Bool),
    flag("force", None, FlagKind::Bool),
    flag("grace-period", None, FlagKind::Int),
    flag("timeout", None, FlagKind::Duration),
    flag("wait", None, FlagKind::Bool),
    flag("output", Some('o'), FlagKind::Str),
    flag("cascade", None, FlagKind::Str),
    flag("recursive", Some('R'), FlagKind::Bool),
    flag("kustomize", Some('k'), FlagKind::Str),
    DRY_RUN,
];

/// kubectl's error when a command that needs objects names none (delete, wait).
pub(crate) const NO_RESOURCES: &str = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

pub fn run(api: &mut dyn Api, args: &[String], stdin: &str, out: &mut Out) -> i32 {
    let p = match parse_command(args, FLAGS, "kubectl delete", out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = delete(api, &p, stdin, out);
    out.exit_code(result)
}

/// The line kubectl prints for one deleted object: `service "x" deleted`, and
/// from kubectl 1.34 (PR #126619; `names_namespace`, the in-box kubectl's
/// release) `service "x" deleted from default namespace`; a dry-run suffix
/// (` (server dry run)`) comes last.
pub fn deleted_line(
    kind: Kind,
    name: &str,
    ns: &str,
    dry_suffix: &str,
    names_namespace: bool,
) -> String {
    let mut operation = "deleted".to_string();
    if names_namespace && kind.info().namespaced && !ns.is_empty() {
        operation.push_str(&format!(" from {ns} namespace"));
    }
    format!(
        "{} \"{name}\" {operation}{dry_suffix}\n",
        kind.kind_prefix()
    )
}

fn delete(api: &mut dyn Api, p: &Parsed, stdin: &str, out: &mut Out) -> Result<i32, CmdError> {
    let dry = dry_run(p, out, api.now_ms())?;
    let name_output = match p.str("output") {
        None | Some("") => false,
        Some("name") => true,
        Some(other) => {
            return Err(CmdError::Client(format!(
                "unexpected -o output mode: {other}. We only support '-o name'"
            )))
        }
    };
    let ns = namespace(p);
    let all_ns = p.bool_or("all-namespaces", false);
    let selector = Selector::parse(p.str_or("selector", ""))
        .map_err(|e| CmdError::Client(format!("unable to parse requirement: {e}")))?;
    let files = p.list("filename");
    // (kind, object) pairs found, the source for error messages, and lookup errors.
    let (items, source, mut errs) = if !files.is_empty() {
        let targets = targets_from_manifests(&files, stdin)?;
        // Objects from files are deleted by name without a prior GET.
        let items: Vec<(Kind, Value)> = targets
            .into_iter()
            .map(|(t, obj_ns)| {
                let n = if t.kind.info().namespaced {
                    obj_ns.unwrap_or_else(|| ns.clone())
                } else {
                    String::new()
                };
                (
                    t.kind,
                    serde_json::json!({"metadata": {"name": t.name.unwrap_or_default(), "namespace": n}}),
                )
            })
            .collect();
        (items, "STDIN", Vec::new())
    } else {
        if p.positionals.is_empty() {
            return Err(CmdError::Client(NO_RESOURCES.into()));
        }
        let ra = parse_resource_args(&p.positionals)?;
        for w in &ra.warnings {
            out.err(&format!("{w}\n"));
        }
        let listing = p.bool_or("all", false) || !selector.is_empty();
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
        if ra.targets.iter().all(|t| t.name.is_some()) {
            // Named objects are deleted by name without a prior GET, as kubectl
            // does; a missing one answers the DELETE with NotFound.
            let items = ra
                .targets
                .iter()
                .map(|t| {
                    let n = if t.kind.info().namespaced {
                        ns.as_str()
                    } else {
                        ""
                    };
                    let name = t.name.clone().unwrap_or_default();
                    (
                        t.kind,
                        serde_json::json!({"metadata": {"name": name, "namespace": n}}),
                    )
                })
                .collect();
            (items, "", Vec::new())
        } else {
            let found = fetch(api, &ra.targets, &ns, all_ns, p.str_or("selector", ""));
            (found.items, "", found.errors)
        }
    };
    if p.bool_or("ignore-not-found", false) {
        errs.retain(|e| !matches!(e, CmdError::Api(a) if a.reason == "NotFound"));
    }
    let mut deleted = Vec::new();
    for (kind, obj) in &items {
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let obj_ns = obj
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        let names_namespace = api.release().kubectl_delete_names_namespace;
        let line = || {
            if name_output {
                format!("{}/{name}\n", kind.kind_prefix())
            } else {
                deleted_line(*kind, name, obj_ns, dry.suffix(), names_namespace)
            }
        };
        if dry == DryRun::Client {
            out.out(&line());
            continue;
        }
        match api.delete(*kind, obj_ns, name, dry == DryRun::Server) {
            Ok(after) => {
                out.out(&line());
                deleted.push(waited(*kind, &after));
            }
            Err(e) => {
                if p.bool_or("ignore-not-found", false) && e.reason == "NotFound" {
                    continue;
                }
                errs.push(CmdError::Api(with_source(e, "deleting", source)));
            }
        }
    }
    if !errs.is_empty() {
        out.errors(&errs);
        return Ok(1);
    }
    if items.is_empty() {
        if !p.bool_or("ignore-not-found", false) {
            out.out("No resources found\n");
        }
        return Ok(0);
    }
    if !p.bool_or("wait", true) || dry != DryRun::None {
        return Ok(0);
    }
    let timeout = match p.duration_ms("timeout") {
        None | Some(0) => WAIT_FOREVER_MS,
        Some(t) => t,
    };
    wait_all(api, &deleted, &Condition::Deleted, timeout, |_| {})?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::super::fake::{kubectl, Fake, NOW};
    use super::super::resources::Kind;

    #[test]
    fn deleted_lines() {
        let mut f = Fake::new();
        kubectl(&mut f, "create service clusterip test-13 --tcp 80", "");
        let o = kubectl(&mut f, "delete service test-13", "");
        assert_eq!(
            (o.stdout.as_str(), o.exit_code),
            ("service \"test-13\" deleted from default namespace\n", 0)
        );
        f.hold_cidr("x3", None);
        f.hold_cidr("x4", None);
        let o = kubectl(&mut f, "delete servicecidr x3 x4 --wait=false", "");
        assert_eq!(
            o.stdout,
            "servicecidr.networking.k8s.io \"x3\" deleted\nservicecidr.networking.k8s.io \"x4\" deleted\n"
        );
        assert_eq!(f.now, NOW);
        let o = kubectl(
            &mut f,
            "delete servicecidr/kubernetes -o name --dry-run=client",
            "",
        );
        assert_eq!(o.stdout, "servicecidr.networking.k8s.io/kubernetes\n");
        let o = kubectl(&mut f, "delete servicecidr kubernetes --dry-run=server", "");
        assert_eq!(
            o.stdout,
            "servicecidr.networking.k8s.io \"kubernetes\" deleted (server dry run)\n"
        );
        assert!(f
            .objs
            .keys()
            .any(|k| k.2 == "kubernetes" && k.0 == Kind::ServiceCIDR));
    }

    #[test]
    fn not_found_after_the_deletions() {
        let mut f = Fake::new();
        kubectl(&mut f, "create service clusterip web --tcp 80", "");
        let o = kubectl(&mut f, "delete svc/web servicecidr/x6", "");
        assert_eq!(o.stdout, "service \"web\" deleted from default namespace\n");
        assert_eq!(
            o.stderr,
            "Error from server (NotFound): servicecidrs.networking.k8s.io \"x6\" not found\n"
        );
        assert_eq!(o.exit_code, 1);
        let o = kubectl(&mut f, "delete svc x -n foo", "");
        assert_eq!(
            o.stderr,
            "Error from server (NotFound): services \"x\" not found\n"
        );
        let o = kubectl(&mut f, "delete svc x --ignore-not-found", "");
        assert_eq!((o.stderr.as_str(), o.exit_code), ("", 0));
    }

    #[test]
    fn argument_errors() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "delete servicecidr", "");
        assert_eq!(
            o.stderr,
            "error: resource(s) were provided, but no name was specified\n"
        );
        let o = kubectl(&mut f, "delete", "");
        assert!(o.stderr.starts_with(
            "error: You must provide one or more resources by argument or filename.\n"
        ));
        let o = kubectl(&mut f, "delete svc x --wait=maybe", "");
        assert_eq!(
            o.stderr,
            "error: invalid argument \"maybe\" for \"--wait\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl delete --help' for usage.\n"
        );
        let o = kubectl(&mut f, "delete svc -l app=nomatch", "");
        assert_eq!(
            (o.stdout.as_str(), o.exit_code),
            ("No resources found\n", 0)
        );
    }

    #[test]
    fn waits_for_the_finalizer_on_the_cluster_clock() {
        let mut f = Fake::new();
        f.hold_cidr("a", Some(10_000));
        let o = kubectl(&mut f, "delete servicecidr a", "");
        assert_eq!(
            (o.stdout.as_str(), o.exit_code),
            ("servicecidr.networking.k8s.io \"a\" deleted\n", 0)
        );
        assert_eq!(f.now, NOW + 10_000);
    }

    #[test]
    fn times_out_after_a_week_by_default() {
        let mut f = Fake::new();
        f.hold_cidr("a", None);
        let o = kubectl(&mut f, "delete servicecidr a", "");
        assert_eq!(o.stdout, "servicecidr.networking.k8s.io \"a\" deleted\n");
        assert_eq!(
            o.stderr,
            "error: timed out waiting for the condition on servicecidrs/a\n"
        );
        assert_eq!(o.exit_code, 1);
        assert_eq!(f.now, NOW + 168 * 3_600_000);
        f.hold_cidr("b", None);
        let before = f.now;
        let o = kubectl(&mut f, "delete servicecidr b --timeout=2s", "");
        assert_eq!(
            o.stderr,
            "error: timed out waiting for the condition on servicecidrs/b\n"
        );
        assert_eq!(f.now, before + 2_000);
    }

    #[test]
    fn delete_from_stdin() {
        let mut f = Fake::new();
        kubectl(
            &mut f,
            "create -f -",
            "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: m1\nspec:\n  cidrs: [10.0.0.0/24]\n",
        );
        let m = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: m1\n---\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: m2\n";
        let o = kubectl(&mut f, "delete -f -", m);
        assert_eq!(o.stdout, "servicecidr.networking.k8s.io \"m1\" deleted\n");
        assert_eq!(
            o.stderr,
            "Error from server (NotFound): error when deleting \"STDIN\": servicecidrs.networking.k8s.io \"m2\" not found\n"
        );
        let o = kubectl(&mut f, "delete -f -", "");
        assert_eq!(o.stdout, "No resources found\n");
    }
}
