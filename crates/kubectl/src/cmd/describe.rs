//! `kubectl describe TYPE [NAME…]`: each object in kubectl's describe layout
//! with the Events that regard it, objects separated by two blank lines; a
//! `TYPE NAME` that does not exist falls back to every object whose name starts
//! with NAME, as kubectl does.

use super::api::Api;
use super::args::{flag, FlagKind, FlagSpec, Parsed};
use super::errors::CmdError;
use super::get::fetch;
use super::resources::{parse_resource_args, Kind};
use super::selector::Selector;
use super::{namespace, parse_command, Out};
use crate::describe as layout;
use crate::printers::str_at;
use serde_json::Value;

const FLAGS: &[FlagSpec] = &[
    flag("selector", Some('l'), FlagKind::Str),
    flag("all-namespaces", Some('A'), FlagKind::Bool),
    flag("show-events", None, FlagKind::Bool),
    flag("filename", Some('f'), FlagKind::StrSlice),
    flag("chunk-size", None, FlagKind::Int),
    flag("recursive", Some('R'), FlagKind::Bool),
];

pub fn run(api: &mut dyn Api, args: &[String], stdin: &str, out: &mut Out) -> i32 {
    let p = match parse_command(args, FLAGS, "kubectl describe", out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = describe(api, &p, stdin, out);
    out.exit_code(result)
}

/// The Events regarding an object, as kubectl's describe searches them: the
/// core group's events in the object's namespace (all namespaces for
/// cluster-scoped objects), by `involvedObject` kind, name, namespace and uid.
fn events_for(api: &mut dyn Api, kind: Kind, obj: &Value) -> Vec<Value> {
    let name = str_at(obj, "/metadata/name");
    let ns = str_at(obj, "/metadata/namespace");
    let uid = str_at(obj, "/metadata/uid");
    let mut selector = format!(
        "involvedObject.kind={},involvedObject.name={name},involvedObject.namespace={ns}",
        kind.info().kind_name
    );
    if !uid.is_empty() {
        selector.push_str(&format!(",involvedObject.uid={uid}"));
    }
    let scope = (!ns.is_empty()).then_some(ns);
    api.list_selected(Kind::CoreEvent, scope, "", &selector)
        .unwrap_or_default()
}

fn describe_one(
    api: &mut dyn Api,
    kind: Kind,
    obj: &Value,
    show_events: bool,
) -> Result<String, CmdError> {
    let events = if show_events {
        Some(events_for(api, kind, obj))
    } else {
        None
    };
    let now = api.now_ms();
    let evs = events.as_deref();
    match kind {
        Kind::ServiceCIDR => Ok(layout::describe_service_cidr(obj, evs, now)),
        Kind::IPAddress => Ok(layout::describe_ip_address(obj, evs, now)),
        Kind::Service => Ok(layout::describe_service(obj, evs, now)),
        Kind::CoreEvent | Kind::Event => Err(CmdError::Client(
            "describing events is not available in this simulator; use kubectl get events".into(),
        )),
    }
}

fn describe(api: &mut dyn Api, p: &Parsed, stdin: &str, out: &mut Out) -> Result<i32, CmdError> {
    let ns = namespace(p);
    let all_ns = p.bool_or("all-namespaces", false);
    Selector::parse(p.str_or("selector", ""))
        .map_err(|e| CmdError::Client(format!("unable to parse requirement: {e}")))?;
    let files = p.list("filename");
    let targets = if !files.is_empty() {
        super::get::targets_from_manifests(&files, stdin)?
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    } else {
        if p.positionals.is_empty() {
            return Err(CmdError::Client(
                "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.".into(),
            ));
        }
        let ra = parse_resource_args(&p.positionals)?;
        for w in &ra.warnings {
            out.err(&format!("{w}\n"));
        }
        ra.targets
    };
    let mut found = fetch(api, &targets, &ns, all_ns, p.str_or("selector", ""));
    // `describe TYPE NAME` for a missing NAME describes every NAME* instead.
    if p.positionals.len() == 2
        && found.items.is_empty()
        && found.errors.len() == 1
        && matches!(&found.errors[0], CmdError::Api(a) if a.reason == "NotFound")
    {
        if let Some(t) = targets.first() {
            let prefix = t.name.clone().unwrap_or_default();
            let scope = if t.kind.info().namespaced {
                Some(ns.as_str())
            } else {
                None
            };
            let matching: Vec<(Kind, Value)> = api
                .list(t.kind, scope)
                .unwrap_or_default()
                .into_iter()
                .filter(|v| str_at(v, "/metadata/name").starts_with(&prefix))
                .map(|v| (t.kind, v))
                .collect();
            if !matching.is_empty() {
                found.items = matching;
                found.errors.clear();
            }
        }
    }
    let show_events = p.bool_or("show-events", true);
    let mut first = true;
    for (kind, obj) in &found.items {
        match describe_one(api, *kind, obj, show_events) {
            Ok(s) => {
                if first {
                    out.out(&s);
                    first = false;
                } else {
                    out.out(&format!("\n\n{s}"));
                }
            }
            Err(e) => found.errors.push(e),
        }
    }
    if found.items.is_empty() && found.errors.is_empty() {
        if all_ns {
            out.err("No resources found\n");
        } else {
            out.err(&format!("No resources found in {ns} namespace.\n"));
        }
    }
    if found.errors.is_empty() {
        Ok(0)
    } else {
        out.errors(&found.errors);
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::{kubectl, Fake};
    use serde_json::json;

    #[test]
    fn describes_with_events() {
        let mut f = Fake::new();
        f.put(json!({"apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": {"name": "kubernetes.1", "namespace": "default"},
            "eventTime": "2026-11-27T10:19:53.000000Z", "reportingController": "ipallocator-repair-controller",
            "reason": "ClusterIPNotAllocated", "type": "Warning",
            // kubectl searches by the object's uid too (the fake's ServiceCIDR is u1).
            "regarding": {"kind": "ServiceCIDR", "name": "kubernetes", "uid": "u1"},
            "note": "Cluster IP [IPv4]: 10.96.0.5 is not allocated; repairing"}));
        let o = kubectl(&mut f, "describe servicecidr kubernetes", "");
        assert!(o.stdout.starts_with("Name:         kubernetes\n"));
        assert!(o.stdout.ends_with(
            "Events:\n  Type     Reason                 Age   From                           Message\n  ----     ------                 ----  ----                           -------\n  Warning  ClusterIPNotAllocated  26m   ipallocator-repair-controller  Cluster IP [IPv4]: 10.96.0.5 is not allocated; repairing\n"
        ), "{}", o.stdout);
        let o = kubectl(&mut f, "describe ip 10.96.0.1", "");
        assert!(o.stdout.ends_with("Events:       <none>\n"), "{}", o.stdout);
        let o = kubectl(
            &mut f,
            "describe servicecidr kubernetes --show-events=false",
            "",
        );
        assert!(!o.stdout.contains("Events"));
    }

    #[test]
    fn several_objects_and_errors() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "describe servicecidr kubernetes nope", "");
        assert!(o.stdout.starts_with("Name:         kubernetes\n"));
        assert_eq!(
            o.stderr,
            "Error from server (NotFound): servicecidrs.networking.k8s.io \"nope\" not found\n"
        );
        assert_eq!(o.exit_code, 1);
        let o = kubectl(&mut f, "describe svc", "");
        assert!(o.stdout.starts_with(
            "Name:                     kubernetes\nNamespace:                default\n"
        ));
        let o = kubectl(&mut f, "describe svc -n kube-system", "");
        assert_eq!(o.stderr, "No resources found in kube-system namespace.\n");
        let o = kubectl(&mut f, "describe", "");
        assert_eq!(
            o.stderr,
            "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n"
        );
    }

    #[test]
    fn prefix_fallback() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "describe servicecidr kube", "");
        assert!(
            o.stdout.starts_with("Name:         kubernetes\n"),
            "{}",
            o.stderr
        );
        let o = kubectl(&mut f, "describe servicecidr zzz", "");
        assert_eq!(
            o.stderr,
            "Error from server (NotFound): servicecidrs.networking.k8s.io \"zzz\" not found\n"
        );
    }
}
