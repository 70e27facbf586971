//! `kubectl get`: tables (one per type, kind-prefixed names when several types
//! answer), `-o json|yaml` (the object itself when one object was named, a `List`
//! otherwise), `-o name`, `-o jsonpath=…`; NotFound errors after whatever was
//! found; "No resources found" on stderr when nothing was printed.

use super::api::Api;
use super::args::{flag, FlagKind, FlagSpec, Parsed};
use super::errors::{usage_error, CmdError};
use super::render::{self, TableOpts};
use super::resources::{parse_resource_args, Kind, Target};
use super::{namespace, output_format_of, parse, Out, OutputFormat};
use crate::table::TableRow;
use serde_json::Value;
use servicecidr_core::model::ApiError;

const FLAGS: &[FlagSpec] = &[
    flag("output", Some('o'), FlagKind::Str),
    flag("all-namespaces", Some('A'), FlagKind::Bool),
    flag("selector", Some('l'), FlagKind::Str),
    flag("watch", Some('w'), FlagKind::Bool),
    flag("watch-only", None, FlagKind::Bool),
    flag("show-labels", None, FlagKind::Bool),
    flag("show-kind", None, FlagKind::Bool),
    flag("no-headers", None, FlagKind::Bool),
    flag("ignore-not-found", None, FlagKind::Bool),
    flag("filename", Some('f'), FlagKind::StrSlice),
    flag("chunk-size", None, FlagKind::Int),
    flag("show-managed-fields", None, FlagKind::Bool),
    flag("allow-missing-template-keys", None, FlagKind::Bool),
    flag("template", None, FlagKind::Str),
    flag("field-selector", None, FlagKind::Str),
    flag("sort-by", None, FlagKind::Str),
    flag("label-columns", Some('L'), FlagKind::StrSlice),
    flag("raw", None, FlagKind::Str),
    flag("subresource", None, FlagKind::Str),
    flag("output-watch-events", None, FlagKind::Bool),
    flag("server-print", None, FlagKind::Bool),
];

/// kubectl get flags the simulator accepts but does not implement.
const UNSIMULATED: &[&str] = &["raw", "subresource", "output-watch-events"];

const PATH: &str = "kubectl get";

/// Our own message: a watch never ends, and a simulated command has to.
pub const WATCH_UNSUPPORTED: &str =
    "watching (-w/--watch) is not available in this simulator: commands here return at once; run the get again to see changes";

const NO_TYPE: &str = "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n";

pub fn run(api: &mut dyn Api, args: &[String], stdin: &str, out: &mut Out) -> i32 {
    let Some(p) = parse(args, FLAGS, PATH, out) else {
        return 1;
    };
    if p.bool_or("help", false) {
        out.out(&super::help_text(PATH));
        return 0;
    }
    match get(api, &p, stdin, out) {
        Ok(code) => code,
        Err(e) => {
            out.errors(&[e]);
            1
        }
    }
}

/// How kubectl's resource builder names a resource in list errors.
fn gvr_text(kind: Kind) -> String {
    let i = kind.info();
    format!("{}/{}, Resource={}", i.group, i.version, i.plural)
}

/// kubectl's sort: keys from a JSONPath over each item's object, numbers compared as
/// numbers.
fn sort_items<T>(
    items: &mut Vec<T>,
    expr: &str,
    object: impl Fn(&T) -> &Value,
) -> Result<(), CmdError> {
    let inner = expr.trim().trim_start_matches('{').trim_end_matches('}');
    let template = if inner.starts_with('.') {
        format!("{{{inner}}}")
    } else {
        format!("{{.{inner}}}")
    };
    let mut keyed = Vec::with_capacity(items.len());
    for item in std::mem::take(items) {
        let key = render::jsonpath(&template, object(&item))
            .map_err(|e| CmdError::Client(e.trim_end().to_string()))?;
        keyed.push((key, item));
    }
    servicecidr_core::sort::sort_by(&mut keyed, |a, b| {
        match (a.0.parse::<f64>(), b.0.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            _ => a.0.cmp(&b.0),
        }
    });
    items.extend(keyed.into_iter().map(|(_, item)| item));
    Ok(())
}

fn name_of(v: &Value) -> &str {
    v.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The objects one `get` found, in the order kubectl visits them.
#[derive(Default)]
pub(crate) struct Found {
    pub items: Vec<(Kind, Value)>,
    /// The rows of the server-side Tables (`get`'s table output), in order.
    pub rows: Vec<(Kind, TableRow)>,
    pub errors: Vec<CmdError>,
    pub single_item: bool,
    /// Types that answered: a list (even an empty one) or a found name. Each is
    /// one server-side Table to kubectl, and names carry their type when more
    /// than one type answered.
    pub answered: Vec<Kind>,
}

impl Found {
    fn answer(&mut self, k: Kind) {
        if !self.answered.contains(&k) {
            self.answered.push(k);
        }
    }
}

/// kubectl's resource builder on a failed list: a BadRequest or NotFound
/// says which list failed and with which selectors.
fn list_error(kind: Kind, mut e: ApiError, label_selector: &str, field_selector: &str) -> CmdError {
    if e.code == 400 || e.code == 404 {
        e.message = if label_selector.is_empty() && field_selector.is_empty() {
            format!("Unable to list {:?}: {}", gvr_text(kind), e.message)
        } else {
            format!(
                "Unable to find {:?} that match label selector {label_selector:?}, field selector {field_selector:?}: {}",
                gvr_text(kind),
                e.message
            )
        };
    }
    CmdError::Api(e)
}

/// Resolves the targets of get/describe/delete: names are fetched one by one,
/// types without names are listed (filtered by the server by the selector).
pub(crate) fn fetch(
    api: &mut dyn Api,
    targets: &[Target],
    ns: &str,
    all_namespaces: bool,
    label_selector: &str,
) -> Found {
    fetch_with(api, targets, ns, all_namespaces, label_selector, "")
}

pub(crate) fn fetch_with(
    api: &mut dyn Api,
    targets: &[Target],
    ns: &str,
    all_namespaces: bool,
    label_selector: &str,
    field_selector: &str,
) -> Found {
    let mut found = Found::default();
    for t in targets {
        let ns_for = if t.kind.info().namespaced { ns } else { "" };
        match &t.name {
            Some(n) => match api.get(t.kind, ns_for, n) {
                Ok(v) => {
                    found.answer(t.kind);
                    found.items.push((t.kind, v));
                }
                Err(e) => found.errors.push(e.into()),
            },
            None => {
                let scope = if all_namespaces || !t.kind.info().namespaced {
                    None
                } else {
                    Some(ns)
                };
                match api.list_selected(t.kind, scope, label_selector, field_selector) {
                    Ok(list) => {
                        found.answer(t.kind);
                        found.items.extend(list.into_iter().map(|v| (t.kind, v)))
                    }
                    Err(e) => {
                        found
                            .errors
                            .push(list_error(t.kind, e, label_selector, field_selector))
                    }
                }
            }
        }
    }
    found
}

/// One target as kubectl's `get` asks for it: a server-side Table of the named
/// object, or of the list (selectors applied by the server). The rows become
/// the found items; each kind's column definitions are kept for printing.
#[allow(clippy::too_many_arguments)]
fn fetch_table(
    api: &mut dyn Api,
    t: &Target,
    ns: &str,
    all_namespaces: bool,
    (label_selector, field_selector): (&str, &str),
    whole_objects: bool,
    found: &mut Found,
    columns: &mut Vec<(Kind, Value)>,
) {
    let namespaced = t.kind.info().namespaced;
    let scope = if namespaced && !all_namespaces {
        Some(ns)
    } else {
        None
    };
    let answer = match &t.name {
        Some(n) => api.table(
            t.kind,
            Some(if namespaced { ns } else { "" }),
            Some(n),
            "",
            "",
            whole_objects,
        ),
        None => api.table(
            t.kind,
            scope,
            None,
            label_selector,
            field_selector,
            whole_objects,
        ),
    };
    match answer {
        Ok(table) => {
            found.answer(t.kind);
            if !columns.iter().any(|(k, _)| *k == t.kind) {
                columns.push((t.kind, table.columns));
            }
            found
                .rows
                .extend(table.rows.into_iter().map(|r| (t.kind, r)));
        }
        Err(e) if t.name.is_none() => {
            found
                .errors
                .push(list_error(t.kind, e, label_selector, field_selector))
        }
        Err(e) => found.errors.push(e.into()),
    }
}

/// Objects named in manifests on stdin (`-f -`), as targets.
pub(crate) fn targets_from_manifests(
    files: &[String],
    stdin: &str,
) -> Result<Vec<(Target, Option<String>)>, CmdError> {
    let docs = super::create::read_objects(files, stdin)?;
    let mut out = Vec::new();
    for d in docs {
        let kind = super::create::kind_of(&d, "STDIN")?;
        let ns = d
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .map(str::to_string);
        out.push((
            Target {
                kind,
                name: Some(name_of(&d).to_string()),
            },
            ns,
        ));
    }
    Ok(out)
}

fn get(api: &mut dyn Api, p: &Parsed, stdin: &str, out: &mut Out) -> Result<i32, CmdError> {
    let format = output_format_of(p, true)?;
    if p.bool_or("watch", false) || p.bool_or("watch-only", false) {
        return Err(CmdError::Client(WATCH_UNSUPPORTED.into()));
    }
    let ns = namespace(p);
    let all_ns = p.bool_or("all-namespaces", false);
    if let Some(f) = UNSIMULATED.iter().find(|f| p.changed(f)) {
        return Err(CmdError::Client(format!(
            "--{f} is not available in this simulator"
        )));
    }
    let label_text = p.str_or("selector", "").to_string();
    let field_text = p.str_or("field-selector", "").to_string();
    let files = p.list("filename");
    let (targets, warnings, single_item, per_target_ns) = if !files.is_empty() {
        if !p.positionals.is_empty() {
            return Err(usage_error(
                &format!("Unexpected args: [{}]", p.positionals.join(" ")),
                PATH,
            ));
        }
        let t = targets_from_manifests(&files, stdin)?;
        let single = t.len() == 1;
        let nss: Vec<Option<String>> = t.iter().map(|(_, n)| n.clone()).collect();
        (
            t.into_iter().map(|(t, _)| t).collect::<Vec<_>>(),
            Vec::new(),
            single,
            Some(nss),
        )
    } else {
        if p.positionals.is_empty() {
            out.err(NO_TYPE);
            return Ok(1);
        }
        let ra = parse_resource_args(&p.positionals)?;
        (ra.targets, ra.warnings, ra.single_item, None)
    };
    let named = targets.iter().any(|t| t.name.is_some());
    if named && !label_text.trim().is_empty() {
        return Err(CmdError::Client(
            "name cannot be provided when a selector is specified".into(),
        ));
    }
    if named && all_ns && files.is_empty() {
        return Err(CmdError::Client(
            "a resource cannot be retrieved by name across all namespaces".into(),
        ));
    }
    for w in &warnings {
        out.err(&format!("{w}\n"));
    }
    let sort_by = p.str("sort-by").filter(|e| !e.is_empty());
    // Tables come from the server (kubectl's Table Accept), filtered there;
    // --sort-by asks for rows with whole objects (includeObject=Object).
    let server_tables = matches!(format, OutputFormat::Default | OutputFormat::Wide);
    let mut columns: Vec<(Kind, Value)> = Vec::new();
    let mut found = match &per_target_ns {
        _ if server_tables => {
            let nss: Vec<Option<String>> = match &per_target_ns {
                Some(n) => n.clone(),
                None => vec![None; targets.len()],
            };
            let mut f = Found::default();
            for (t, n) in targets.iter().zip(nss) {
                let (ns_t, fields_t) = match &n {
                    Some(n) => (n.clone(), ""),
                    None => (ns.clone(), field_text.as_str()),
                };
                let all = all_ns && per_target_ns.is_none();
                fetch_table(
                    api,
                    t,
                    &ns_t,
                    all,
                    (&label_text, fields_t),
                    sort_by.is_some(),
                    &mut f,
                    &mut columns,
                );
            }
            f
        }
        None => fetch_with(api, &targets, &ns, all_ns, &label_text, &field_text),
        Some(nss) => {
            let mut f = Found::default();
            for (t, n) in targets.iter().zip(nss) {
                let ns_t = n.clone().unwrap_or_else(|| ns.clone());
                let part = fetch(api, std::slice::from_ref(t), &ns_t, false, &label_text);
                f.items.extend(part.items);
                f.errors.extend(part.errors);
                for k in part.answered {
                    f.answer(k);
                }
            }
            f
        }
    };
    found.single_item = single_item;
    if let Some(expr) = sort_by {
        // A Table row (includeObject=Object) sorts by its object.
        sort_items(&mut found.rows, expr, |(_, r)| {
            r.object.as_ref().unwrap_or(&Value::Null)
        })?;
        sort_items(&mut found.items, expr, |(_, v)| v)?;
    }
    if p.bool_or("ignore-not-found", false) {
        found
            .errors
            .retain(|e| !matches!(e, CmdError::Api(a) if a.reason == "NotFound"));
    }
    match format {
        OutputFormat::Default | OutputFormat::Wide => {
            print_server_tables(&found, &columns, p, &format, all_ns, out);
            if found.rows.is_empty()
                && found.errors.is_empty()
                && !p.bool_or("ignore-not-found", false)
            {
                let all_namespaced = !all_ns && found.answered.iter().all(|k| k.info().namespaced);
                if all_namespaced {
                    out.err(&format!("No resources found in {ns} namespace.\n"));
                } else {
                    out.err("No resources found\n");
                }
            }
        }
        _ => {
            // kubectl's printGeneric: when one object was named and the lookup
            // failed, only the error is printed.
            if found.single_item && !found.errors.is_empty() {
                out.errors(&found.errors);
                return Ok(1);
            }
            if found.items.is_empty() && p.bool_or("ignore-not-found", false) {
                out.errors(&found.errors);
                return Ok(i32::from(!found.errors.is_empty()));
            }
            let objs: Vec<Value> = found.items.iter().map(|(_, v)| v.clone()).collect();
            if let OutputFormat::CustomColumns(c) = &format {
                c.print(&objs, p.bool_or("no-headers", false), out)?;
            } else {
                print_generic(&found, objs, &format, out)?;
            }
        }
    }
    if found.errors.is_empty() {
        Ok(0)
    } else {
        out.errors(&found.errors);
        Ok(1)
    }
}

fn print_generic(
    found: &Found,
    objs: Vec<Value>,
    format: &OutputFormat,
    out: &mut Out,
) -> Result<(), CmdError> {
    if let OutputFormat::Name = format {
        for (k, v) in &found.items {
            out.out(&format!("{}/{}\n", k.kind_prefix(), name_of(v)));
        }
        return Ok(());
    }
    let obj = if found.single_item && objs.len() == 1 {
        objs.into_iter().next().unwrap_or(Value::Null)
    } else {
        render::list_object(objs)
    };
    match format {
        OutputFormat::Json => out.out(&render::to_json(&obj)),
        OutputFormat::Yaml => out.out(&render::to_yaml(&obj)),
        OutputFormat::JsonPath(t) => {
            let s = render::jsonpath(t, &obj)
                .map_err(|e| CmdError::Client(e.trim_end().to_string()))?;
            out.out(&s);
        }
        OutputFormat::GoTemplate(t) => super::gotemplate::print_to(out, t, &obj)?,
        _ => {}
    }
    Ok(())
}

/// The server's Tables, decorated as kubectl does: consecutive rows of one
/// kind form one table (NAMESPACE and LABELS from each row's object,
/// `kind/` names when several types answered, wide-only columns hidden).
fn print_server_tables(
    found: &Found,
    columns: &[(Kind, Value)],
    p: &Parsed,
    format: &OutputFormat,
    all_ns: bool,
    out: &mut Out,
) {
    let with_kind = found.answered.len() > 1 || p.bool_or("show-kind", false);
    let no_headers = p.bool_or("no-headers", false);
    // kubectl's per-type printers share one HumanReadableFlags by pointer, so
    // once a namespaced table under -A turns the NAMESPACE column on, later
    // cluster-scoped tables keep it (see printers::TableOptions::with_namespace).
    let mut with_namespace = false;
    let mut tables = Vec::new();
    let mut i = 0;
    while i < found.rows.len() {
        let kind = found.rows[i].0;
        let start = i;
        while i < found.rows.len() && found.rows[i].0 == kind {
            i += 1;
        }
        with_namespace |= all_ns && kind.info().namespaced;
        let cols = columns
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&Value::Null, |(_, c)| c);
        let opts = TableOpts {
            wide: *format == OutputFormat::Wide,
            no_headers,
            show_labels: p.bool_or("show-labels", false),
            with_namespace,
            with_kind,
            label_columns: p.list("label-columns"),
        };
        let rows: Vec<&TableRow> = found.rows[start..i].iter().map(|(_, r)| r).collect();
        tables.push(render::print_rows(kind, cols, &rows, &opts));
    }
    out.out(&render::join_tables(&tables, no_headers));
}

#[cfg(test)]
mod tests {
    use super::super::fake::{kubectl, Fake};
    use serde_json::json;

    #[test]
    fn table_of_servicecidrs() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "kubectl get servicecidr", "");
        assert_eq!(
            o.stdout,
            "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n"
        );
        assert_eq!((o.stderr.as_str(), o.exit_code), ("", 0));
    }

    #[test]
    fn not_found_names_follow_what_was_found() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get servicecidr kubernetes nope newcidr1", "");
        assert_eq!(
            o.stdout,
            "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n"
        );
        assert_eq!(
            o.stderr,
            "Error from server (NotFound): servicecidrs.networking.k8s.io \"nope\" not found\n\
             Error from server (NotFound): servicecidrs.networking.k8s.io \"newcidr1\" not found\n"
        );
        assert_eq!(o.exit_code, 1);
        assert_eq!(o.output, format!("{}{}", o.stdout, o.stderr));
    }

    #[test]
    fn single_not_found() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get servicecidr newcidr1", "");
        assert_eq!(o.stdout, "");
        assert_eq!(
            o.stderr,
            "Error from server (NotFound): servicecidrs.networking.k8s.io \"newcidr1\" not found\n"
        );
        assert_eq!(o.exit_code, 1);
        let o = kubectl(&mut f, "get servicecidr newcidr1 -o yaml", "");
        assert_eq!(o.stdout, "");
        assert_eq!(o.exit_code, 1);
    }

    #[test]
    fn empty_lists_say_no_resources_found() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get svc -n kube-system", "");
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str()),
            ("", "No resources found in kube-system namespace.\n")
        );
        assert_eq!(o.exit_code, 0);
        let o = kubectl(&mut f, "get svc -A -l app=none", "");
        assert_eq!(o.stderr, "No resources found\n");
        let o = kubectl(&mut f, "get ip -l app=none", "");
        assert_eq!(o.stderr, "No resources found\n");
        let o = kubectl(&mut f, "get svc -l app=none -o name", "");
        assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", ""));
    }

    #[test]
    fn several_objects_make_a_list() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get servicecidr kubernetes kubernetes -o json", "");
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(v["kind"], "List");
        assert_eq!(v["apiVersion"], "v1");
        assert_eq!(v["metadata"], json!({"resourceVersion": ""}));
        assert_eq!(v["items"].as_array().unwrap().len(), 2);
        let o = kubectl(&mut f, "get servicecidr kubernetes -o json", "");
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(v["kind"], "ServiceCIDR");
        let o = kubectl(&mut f, "get svc nope1 nope2 -o json", "");
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(v["items"], json!([]));
        assert_eq!(o.exit_code, 1);
    }

    #[test]
    fn names_and_type_slash_name() {
        let mut f = Fake::new();
        let o = kubectl(
            &mut f,
            "get svc/kubernetes servicecidr/kubernetes -o name",
            "",
        );
        assert_eq!(
            o.stdout,
            "service/kubernetes\nservicecidr.networking.k8s.io/kubernetes\n"
        );
        let o = kubectl(&mut f, "get servicecidr/x nope", "");
        assert!(o
            .stderr
            .starts_with("error: there is no need to specify a resource type"));
        assert_eq!(o.exit_code, 1);
    }

    #[test]
    fn several_types_print_several_tables() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get servicecidr,ipaddress", "");
        assert_eq!(
            o.stdout,
            "NAME                                       CIDRS          AGE\n\
             servicecidr.networking.k8s.io/kubernetes   10.96.0.0/28   17d\n\
             \n\
             NAME                                    PARENTREF\n\
             ipaddress.networking.k8s.io/10.96.0.1   services/default/kubernetes\n"
        );
    }

    #[test]
    fn several_types_without_headers_have_no_blank_line() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get servicecidr,ipaddress --no-headers", "");
        assert_eq!(
            o.stdout,
            "servicecidr.networking.k8s.io/kubernetes   10.96.0.0/28   17d\n\
             ipaddress.networking.k8s.io/10.96.0.1   services/default/kubernetes\n"
        );
    }

    #[test]
    fn all_namespaces_column_sticks_to_later_cluster_scoped_tables() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get svc,servicecidr -A", "");
        assert_eq!(
            o.stdout,
            "NAMESPACE   NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n\
             default     service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   17d\n\
             \n\
             NAMESPACE   NAME                                       CIDRS          AGE\n\
             \x20           servicecidr.networking.k8s.io/kubernetes   10.96.0.0/28   17d\n"
        );
        // A cluster-scoped type printed first has no NAMESPACE column.
        let o = kubectl(&mut f, "get servicecidr,svc -A", "");
        assert!(o.stdout.starts_with("NAME      "), "{}", o.stdout);
    }

    #[test]
    fn show_kind_prefixes_a_single_type() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get servicecidr --show-kind", "");
        assert_eq!(
            o.stdout,
            "NAME                                       CIDRS          AGE\n\
             servicecidr.networking.k8s.io/kubernetes   10.96.0.0/28   17d\n"
        );
    }

    #[test]
    fn watch_only_and_unsimulated_flags_are_refused() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get svc --watch-only", "");
        assert_eq!(o.stderr, format!("error: {}\n", super::WATCH_UNSUPPORTED));
        assert_eq!((o.stdout.as_str(), o.exit_code), ("", 1));
        for flag in super::UNSIMULATED {
            // "true" suits both the string flags and the boolean one.
            let o = kubectl(&mut f, &format!("get svc --{flag}=true"), "");
            assert_eq!(
                o.stderr,
                format!("error: --{flag} is not available in this simulator\n")
            );
            assert_eq!(o.exit_code, 1);
        }
    }

    #[test]
    fn an_empty_list_of_another_type_still_prefixes_names() {
        // kubectl gets one Table per requested type; two types answered, so
        // names carry their type even though one Table has no rows.
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get servicecidr,svc -n kube-public", "");
        assert_eq!(
            o.stdout,
            "NAME                                       CIDRS          AGE\n\
             servicecidr.networking.k8s.io/kubernetes   10.96.0.0/28   17d\n"
        );
        assert_eq!(o.stderr, "");
    }

    #[test]
    fn jsonpath_of_one_object_and_of_a_list() {
        let mut f = Fake::new();
        let o = kubectl(
            &mut f,
            "get svc kubernetes -o jsonpath='{.spec.clusterIP}'",
            "",
        );
        assert_eq!(o.stdout, "10.96.0.1");
        let o = kubectl(&mut f, "get svc -o jsonpath={.items[*].metadata.name}", "");
        assert_eq!(o.stdout, "kubernetes");
    }

    #[test]
    fn selectors_filter() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get svc -l component=apiserver -o name", "");
        assert_eq!(o.stdout, "service/kubernetes\n");
        let o = kubectl(
            &mut f,
            "get svc -l 'component notin (apiserver)' -o name",
            "",
        );
        assert_eq!(o.stdout, "");
        let o = kubectl(
            &mut f,
            "get ip -l ipaddress.kubernetes.io/ip-family=IPv4 -o name",
            "",
        );
        assert_eq!(o.stdout, "ipaddress.networking.k8s.io/10.96.0.1\n");
        let o = kubectl(&mut f, "get svc kubernetes -l a=b", "");
        assert_eq!(
            o.stderr,
            "error: name cannot be provided when a selector is specified\n"
        );
    }

    #[test]
    fn field_selectors_sorting_and_selector_errors() {
        let mut f = Fake::new();
        kubectl(&mut f, "create service clusterip b --tcp 80", "");
        kubectl(&mut f, "create service clusterip a --tcp 80", "");
        let o = kubectl(
            &mut f,
            "get svc --field-selector metadata.name=a -o name",
            "",
        );
        assert_eq!(o.stdout, "service/a\n");
        let o = kubectl(
            &mut f,
            "get svc --field-selector metadata.name!=a,metadata.namespace=default -o name",
            "",
        );
        assert_eq!(o.stdout, "service/b\nservice/kubernetes\n");
        let o = kubectl(&mut f, "get svc --sort-by=.spec.clusterIP -o name", "");
        assert_eq!(o.stdout, "service/kubernetes\nservice/b\nservice/a\n");
        let o = kubectl(&mut f, "get svc --sort-by={.metadata.name} -o name", "");
        assert_eq!(o.stdout, "service/a\nservice/b\nservice/kubernetes\n");
        let o = kubectl(&mut f, "get svc --field-selector spec.type=ClusterIP", "");
        assert_eq!(
            o.stderr,
            "Error from server (BadRequest): Unable to find \"/v1, Resource=services\" that match label selector \"\", field selector \"spec.type=ClusterIP\": field label not supported: spec.type\n"
        );
        let o = kubectl(&mut f, "get servicecidr -l 'a in (b'", "");
        assert_eq!(
            o.stderr,
            "Error from server (BadRequest): Unable to find \"networking.k8s.io/v1, Resource=servicecidrs\" that match label selector \"a in (b\", field selector \"\": unable to parse requirement: found '', expected: ',' or ')'\n"
        );
        assert_eq!(o.exit_code, 1);
    }

    #[test]
    fn errors_in_kubectl_words() {
        let mut f = Fake::new();
        let o = kubectl(&mut f, "get widgets", "");
        assert_eq!(
            o.stderr,
            "error: the server doesn't have a resource type \"widgets\"\n"
        );
        assert_eq!(o.exit_code, 1);
        let o = kubectl(&mut f, "get --bogus", "");
        assert_eq!(
            o.stderr,
            "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
        );
        let o = kubectl(&mut f, "get", "");
        assert!(o
            .stderr
            .starts_with("You must specify the type of resource to get."));
        assert!(o
            .stderr
            .ends_with("See 'kubectl get -h' for help and examples\n"));
        let o = kubectl(&mut f, "get svc -w", "");
        assert_eq!(o.stderr, format!("error: {}\n", super::WATCH_UNSUPPORTED));
        assert_eq!(o.exit_code, 1);
    }

    #[test]
    fn ev_short_name_warns_and_shows_core_events() {
        let mut f = Fake::new();
        f.put(json!({"apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": {"name": "kubernetes.1", "namespace": "default"},
            "eventTime": "2026-11-27T10:40:53.000000Z", "reportingController": "c",
            "reportingInstance": "c-1", "action": "A", "reason": "R", "type": "Normal",
            "regarding": {"kind": "Service", "namespace": "default", "name": "web"}, "note": "hi"}));
        let o = kubectl(&mut f, "get ev -o yaml", "");
        assert!(o.stderr.starts_with("Warning: short name \"ev\" could also match lower priority resource events.events.k8s.io\n"));
        let v: serde_json::Value =
            serde_json::from_str(&kubectl(&mut f, "get events -o json", "").stdout).unwrap();
        let e = &v["items"][0];
        assert_eq!(e["apiVersion"], "v1");
        assert_eq!(e["involvedObject"]["name"], "web");
        assert_eq!(e["message"], "hi");
        assert_eq!(e["reportingComponent"], "c");
        assert!(e["firstTimestamp"].is_null());
        let v: serde_json::Value =
            serde_json::from_str(&kubectl(&mut f, "get events.events.k8s.io -o json", "").stdout)
                .unwrap();
        assert_eq!(v["items"][0]["note"], "hi");
    }
}
