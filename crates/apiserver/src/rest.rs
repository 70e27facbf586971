//! The verbs on a resource path — list, get, create, update (PUT), patch,
//! delete, deletecollection, and `/status` — over the core's request path,
//! as the generic apiserver handlers (staging/.../endpoints/handlers) answer
//! them: the object or a Table by `Accept`, metav1.Status errors.

use crate::body;
use crate::field_validation::{self, Directive};
use crate::fields::FieldSelector;
use crate::http::{
    error_response, json_response, json_text_response, method_not_allowed, success_status, Query,
};
use crate::labels::Selector;
use crate::managed_fields;
use crate::negotiate::{content_type, table_version};
use crate::objects::{namespace, namespaces, present};
use crate::patch::{self, PatchType};
use crate::protobuf;
use crate::schema;
use crate::served::{GroupVersion, ServedResource, Storage};
use crate::tables::{self, Printer};
use crate::{Request, Response};
use serde_json::{json, Value};
use servicecidr_core::cluster::WriteOptions;
use servicecidr_core::model::{ApiError, FieldError, Resource};
use servicecidr_core::Cluster;

/// What a resource path addresses.
pub struct Target<'a> {
    pub gv: &'a GroupVersion,
    pub resource: &'a ServedResource,
    /// From `/namespaces/{ns}/…`; None for cluster-scoped resources and the
    /// all-namespaces list.
    pub namespace: Option<&'a str>,
    pub name: Option<&'a str>,
    /// The `/status` subresource.
    pub status: bool,
    /// Who asks: the core's admission and trace see this user.
    pub user: crate::UserInfo,
}

impl Target<'_> {
    fn allows(&self, verb: &str) -> bool {
        if self.status {
            return matches!(verb, "get" | "update" | "patch");
        }
        self.resource.verbs.contains(&verb)
    }

    /// The core's name for the resource (its plural).
    fn core_resource(&self) -> &'static str {
        match self.resource.storage {
            Storage::Core(r) => r.info().plural,
            Storage::CoreEvents => Resource::Events.info().plural,
            Storage::Namespaces => "namespaces",
        }
    }

    fn group(&self) -> &'static str {
        self.gv.group
    }
}

/// The verb a request on a resource path asks for (the RBAC verb), if the
/// resource serves it.
pub fn verb_of(req: &Request, t: &Target, q: &Query) -> Option<&'static str> {
    let namespaced_without_ns = t.resource.namespaced && t.namespace.is_none();
    let verb = match (req.method.as_str(), t.name) {
        ("GET" | "HEAD", None) if q.flag("watch") => "watch",
        ("GET" | "HEAD", None) => "list",
        ("GET" | "HEAD", Some(_)) if q.flag("watch") => "watch",
        ("GET" | "HEAD", Some(_)) => "get",
        ("POST", None) if !namespaced_without_ns => "create",
        ("PUT", Some(_)) => "update",
        ("PATCH", Some(_)) => "patch",
        ("DELETE", Some(_)) => "delete",
        ("DELETE", None) if !namespaced_without_ns => "deletecollection",
        _ => return None,
    };
    t.allows(verb).then_some(verb)
}

/// Serves one of the non-watch verbs (the router hands `watch` to the watch module).
pub fn serve(cluster: &mut Cluster, req: &Request, t: &Target, q: &Query, verb: &str) -> Response {
    let result = match verb {
        "list" => list(cluster, req, t, q),
        "get" => get(cluster, req, t, q),
        "create" => create(cluster, req, t, q),
        "update" => update(cluster, req, t, q),
        "patch" => patch(cluster, req, t, q),
        "delete" => delete(cluster, req, t, q),
        "deletecollection" => delete_collection(cluster, req, t, q),
        _ => return method_not_allowed(),
    };
    result.unwrap_or_else(|e| error_response(&e))
}

/// The `dryRun` query values: none, or `All` (rest.ValidateDryRun).
fn dry_run(values: &[String], options_kind: &str) -> Result<bool, ApiError> {
    if values.is_empty() {
        return Ok(false);
    }
    if values.iter().all(|v| v == "All") {
        return Ok(true);
    }
    Err(ApiError::invalid(
        options_kind,
        "meta.k8s.io",
        "",
        &[FieldError::not_supported("dryRun", json!(values), &["All"])],
    ))
}

fn query_dry_run(q: &Query, options_kind: &str) -> Result<bool, ApiError> {
    let values: Vec<String> =
        q.0.iter()
            .filter(|(k, _)| k == "dryRun")
            .map(|(_, v)| v.clone())
            .collect();
    dry_run(&values, options_kind)
}

fn name_of(v: &Value) -> &str {
    v.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The stored objects of a resource in a namespace (None: all), as this
/// endpoint presents them.
pub fn list_objects(
    cluster: &mut Cluster,
    t: &Target,
    namespace: Option<&str>,
) -> Result<Vec<Value>, ApiError> {
    let raw = match t.resource.storage {
        Storage::Namespaces => namespaces(cluster),
        _ => cluster.list(t.core_resource(), namespace)?,
    };
    Ok(raw
        .into_iter()
        .map(|o| present(t.resource, t.gv, o))
        .collect())
}

/// The list's label and field selectors, parsed as the apiserver does.
pub fn selectors(q: &Query, storage: Storage) -> Result<(Selector, FieldSelector), ApiError> {
    let labels = Selector::parse(q.str_or("labelSelector", ""))
        .map_err(|e| ApiError::bad_request(format!("unable to parse requirement: {e}")))?;
    let fields = FieldSelector::parse(q.str_or("fieldSelector", ""), storage)
        .map_err(ApiError::bad_request)?;
    Ok((labels, fields))
}

fn list(cluster: &mut Cluster, req: &Request, t: &Target, q: &Query) -> Result<Response, ApiError> {
    let (labels, fields) = selectors(q, t.resource.storage)?;
    if let Some(v) = table_version(req) {
        if let Some(r) = typed_list_table(cluster, t, q, v, (&labels, &fields))? {
            return Ok(r);
        }
    }
    let items: Vec<Value> = list_objects(cluster, t, t.namespace)?
        .into_iter()
        .filter(|o| labels.matches(o) && fields.matches(o))
        .collect();
    let rv = cluster.resource_version();
    if let Some(v) = table_version(req) {
        let table = tables::table_with(
            Printer::of(t.resource.storage),
            v,
            &items,
            cluster.now_ms(),
            Some(&rv),
            true,
            include_object(q)?,
        );
        return Ok(json_response(200, &table));
    }
    Ok(json_response(
        200,
        &json!({
            "kind": format!("{}List", t.resource.kind),
            "apiVersion": t.gv.group_version(),
            "metadata": {"resourceVersion": rv},
            "items": items,
        }),
    ))
}

/// The Table of a list of a kind the core keeps typed, written from the stored objects
/// (table_json: the same bytes as the `Value` Table below, several times cheaper). None
/// when that writer does not cover the request; the general path then answers it,
/// errors included.
fn typed_list_table(
    cluster: &mut Cluster,
    t: &Target,
    q: &Query,
    version: &str,
    selectors: (&Selector, &FieldSelector),
) -> Result<Option<Response>, ApiError> {
    let typed = matches!(
        t.resource.storage,
        Storage::Core(Resource::Services | Resource::ServiceCIDRs | Resource::IPAddresses)
    );
    let include = match tables::IncludeObject::from_query(q.get("includeObject")) {
        Ok(i) if typed && i != tables::IncludeObject::Object => i,
        _ => return Ok(None),
    };
    let listing = cluster.listing(t.core_resource(), t.namespace)?;
    let p = Printer::of(t.resource.storage);
    Ok(
        crate::table_json::list_table(&listing, p, version, selectors, include)
            .map(|body| json_text_response(200, body, "application/json")),
    )
}

/// The Table rows' `includeObject` (a bad value is a BadRequest, as the
/// TableOptions decoding answers).
fn include_object(q: &Query) -> Result<tables::IncludeObject, ApiError> {
    tables::IncludeObject::from_query(q.get("includeObject")).map_err(ApiError::bad_request)
}

/// One stored object as this endpoint presents it.
fn fetch(cluster: &mut Cluster, t: &Target, name: &str) -> Result<Value, ApiError> {
    let raw = match t.resource.storage {
        Storage::Namespaces => {
            namespace(cluster, name).ok_or_else(|| ApiError::not_found("namespaces", "", name))?
        }
        _ => cluster.get(t.core_resource(), name, t.namespace)?,
    };
    Ok(present(t.resource, t.gv, raw))
}

fn get(cluster: &mut Cluster, req: &Request, t: &Target, q: &Query) -> Result<Response, ApiError> {
    let obj = fetch(cluster, t, t.name.unwrap_or(""))?;
    if let Some(v) = table_version(req) {
        let table = tables::table_with(
            Printer::of(t.resource.storage),
            v,
            std::slice::from_ref(&obj),
            cluster.now_ms(),
            None,
            true,
            include_object(q)?,
        );
        return Ok(json_response(200, &table));
    }
    Ok(json_response(200, &obj))
}

/// The Go package of a group's internal types, as conversion errors name it.
fn internal_package(group: &str) -> &str {
    match group {
        "" => "core",
        g => g.split('.').next().unwrap_or(g),
    }
}

/// The body of a create or update, decoded and checked against the endpoint:
/// a missing apiVersion/kind defaults to the endpoint's, another kind cannot
/// be converted, another version is refused (handlers/create.go).
fn decode_body(req: &Request, t: &Target) -> Result<Value, ApiError> {
    let ct = content_type(req);
    let mut obj = if protobuf::is_protobuf(&ct) {
        // kubectl >= 1.32 sends typed creates (`create service`) as protobuf.
        body::check_size(&req.body)?;
        protobuf::decode(&req.body, &t.gv.group_version(), t.resource.kind)?
    } else {
        body::decode(&ct, &req.body, t.resource.kind)?
    };
    let map = obj
        .as_object_mut()
        .ok_or_else(|| ApiError::bad_request("the body must be a JSON object"))?;
    let gv = t.gv.group_version();
    let api_version = match map.get("apiVersion").and_then(Value::as_str) {
        Some(a) if !a.is_empty() => a.to_string(),
        _ => gv.clone(),
    };
    let kind = match map.get("kind").and_then(Value::as_str) {
        Some(k) if !k.is_empty() => k.to_string(),
        _ => t.resource.kind.to_string(),
    };
    let version = api_version
        .split_once('/')
        .map_or(api_version.as_str(), |(_, v)| v)
        .to_string();
    if kind != t.resource.kind {
        let known = servicecidr_core::model::RESOURCES
            .iter()
            .any(|r| r.kind == kind);
        let why = if known {
            format!(
                "converting ({version}.{kind}) to ({}.{}): unknown conversion",
                internal_package(t.group()),
                t.resource.kind
            )
        } else {
            format!(
                "no kind {kind:?} is registered for version {api_version:?} in scheme \"pkg/api/legacyscheme/scheme.go:30\""
            )
        };
        return Err(ApiError::bad_request(format!(
            "{kind} in version {version:?} cannot be handled as a {}: {why}",
            t.resource.kind
        )));
    }
    if api_version != gv {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({api_version}) does not match the expected API version ({gv})"
        )));
    }
    map.insert("apiVersion".into(), json!(api_version));
    map.insert("kind".into(), json!(kind));
    Ok(obj)
}

fn write_options(t: &Target, dry_run: bool) -> WriteOptions {
    WriteOptions {
        dry_run,
        namespace: t.namespace.unwrap_or("").to_string(),
        user: t.user.clone(),
    }
}

fn create(
    cluster: &mut Cluster,
    req: &Request,
    t: &Target,
    q: &Query,
) -> Result<Response, ApiError> {
    let dry = query_dry_run(q, "CreateOptions")?;
    let directive = Directive::from_query(q.get("fieldValidation"), "CreateOptions")?;
    let obj = decode_body(req, t)?;
    let warnings = strict_check(req, directive, t)?;
    let created = cluster.create_with(obj, &write_options(t, dry))?;
    Ok(with_warnings(
        json_response(201, &present(t.resource, t.gv, created)),
        &warnings,
    ))
}

/// fieldValidation over a JSON body: unknown and duplicate fields are
/// warnings (Warn) or a 400 (Strict).
fn strict_check(req: &Request, directive: Directive, t: &Target) -> Result<Vec<String>, ApiError> {
    if content_type(req) != "application/json" {
        return Ok(Vec::new());
    }
    field_validation::check_body(&req.body, directive, t.resource.kind)
}

/// Warnings go out as `Warning` headers (kubectl prints `Warning: <text>`).
fn with_warnings(mut r: Response, warnings: &[String]) -> Response {
    for w in warnings {
        r.headers
            .push(("Warning".into(), field_validation::warning_header(w)));
    }
    r
}

/// handlers' checkName: the body names the object the URL names.
fn check_name(obj: &Value, t: &Target) -> Result<(), ApiError> {
    let name = name_of(obj);
    let want = t.name.unwrap_or("");
    if name != want {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({name}) does not match the name on the URL ({want})"
        )));
    }
    if let (Some(ns), Some(obj_ns)) = (
        t.namespace,
        obj.pointer("/metadata/namespace").and_then(Value::as_str),
    ) {
        if !obj_ns.is_empty() && obj_ns != ns {
            return Err(ApiError::bad_request(format!(
                "the namespace of the object ({obj_ns}) does not match the namespace on the request ({ns})"
            )));
        }
    }
    Ok(())
}

/// PUT of the object (or its status) as decoded and checked.
fn put(cluster: &mut Cluster, t: &Target, obj: Value, dry: bool) -> Result<Value, ApiError> {
    if t.status {
        if dry {
            // The core's status path has no dry run; answer what it would
            // store without storing it.
            let current = fetch(cluster, t, t.name.unwrap_or(""))?;
            let mut out = current;
            out["status"] = obj.get("status").cloned().unwrap_or(Value::Null);
            return Ok(out);
        }
        return cluster.update_status_with(obj, &write_options(t, false));
    }
    cluster.update_with(obj, &write_options(t, dry))
}

fn update(
    cluster: &mut Cluster,
    req: &Request,
    t: &Target,
    q: &Query,
) -> Result<Response, ApiError> {
    let dry = query_dry_run(q, "UpdateOptions")?;
    let directive = Directive::from_query(q.get("fieldValidation"), "UpdateOptions")?;
    let obj = decode_body(req, t)?;
    let warnings = strict_check(req, directive, t)?;
    check_name(&obj, t)?;
    let updated = put(cluster, t, obj, dry)?;
    Ok(with_warnings(
        json_response(200, &present(t.resource, t.gv, updated)),
        &warnings,
    ))
}

fn patch(
    cluster: &mut Cluster,
    req: &Request,
    t: &Target,
    q: &Query,
) -> Result<Response, ApiError> {
    let dry = query_dry_run(q, "PatchOptions")?;
    let directive = Directive::from_query(q.get("fieldValidation"), "PatchOptions")?;
    body::check_size(&req.body)?;
    let gv = t.gv.group_version();
    let schema = schema::lookup(&gv, t.resource.kind);
    let patch_type = PatchType::from_content_type(&content_type(req))
        .filter(|pt| patch::accepts(schema, *pt))
        .ok_or_else(|| patch::unsupported_media_type(schema))?;
    let force = q.get("force").map(|_| q.flag("force"));
    managed_fields::validate_patch_options(patch_type, q.get("fieldManager"), force)?;
    let name = t.name.unwrap_or("");
    if patch_type == PatchType::Apply {
        return server_side_apply(cluster, req, t, q, dry, force.unwrap_or(false));
    }
    let current = fetch(cluster, t, name)?;
    let patched = patch::apply(patch_type, schema, &current, &req.body)?;
    let warnings =
        field_validation::check_patched(patch_type, &req.body, &current, &patched, directive)?;
    check_name(&patched, t)?;
    let updated = put(cluster, t, patched, dry)?;
    Ok(with_warnings(
        json_response(200, &present(t.resource, t.gv, updated)),
        &warnings,
    ))
}

/// `application/apply-patch+yaml`: the applied configuration merged over the
/// live object (or created when there is none: 201) by managed_fields::apply.
fn server_side_apply(
    cluster: &mut Cluster,
    req: &Request,
    t: &Target,
    q: &Query,
    dry: bool,
    force: bool,
) -> Result<Response, ApiError> {
    let gv = t.gv.group_version();
    let config = managed_fields::decode_apply_body(&req.body)?;
    let live = match fetch(cluster, t, t.name.unwrap_or("")) {
        Ok(v) => Some(v),
        Err(e) if e.code == 404 => None,
        Err(e) => return Err(e),
    };
    let manager = q.get("fieldManager").unwrap_or("");
    let subresource = if t.status { "status" } else { "" };
    let now = servicecidr_core::clock::format_rfc3339(cluster.now_ms().div_euclid(1000));
    let applied = managed_fields::apply(
        live.as_ref(),
        &config,
        manager,
        force,
        &gv,
        subresource,
        &now,
    )?;
    check_name(&applied, t)?;
    match live {
        None => {
            let created = cluster.create_with(applied, &write_options(t, dry))?;
            Ok(json_response(201, &present(t.resource, t.gv, created)))
        }
        Some(_) => {
            let updated = put(cluster, t, applied, dry)?;
            Ok(json_response(200, &present(t.resource, t.gv, updated)))
        }
    }
}

/// The DeleteOptions a DELETE may carry in its body.
struct DeleteOptions {
    dry_run: bool,
    uid: Option<String>,
    resource_version: Option<String>,
}

fn delete_options(req: &Request, q: &Query) -> Result<DeleteOptions, ApiError> {
    let mut dry_values: Vec<String> =
        q.0.iter()
            .filter(|(k, _)| k == "dryRun")
            .map(|(_, v)| v.clone())
            .collect();
    let mut opts = DeleteOptions {
        dry_run: false,
        uid: None,
        resource_version: None,
    };
    if !req.body.is_empty() {
        let v = body::decode(&content_type(req), &req.body, "DeleteOptions")?;
        if let Some(d) = v.get("dryRun").and_then(Value::as_array) {
            dry_values.extend(d.iter().filter_map(|x| x.as_str().map(str::to_string)));
        }
        if let Some(p) = v.get("propagationPolicy").and_then(Value::as_str) {
            if !matches!(p, "Orphan" | "Background" | "Foreground") {
                return Err(ApiError::invalid(
                    "DeleteOptions",
                    "meta.k8s.io",
                    "",
                    &[FieldError::not_supported(
                        "propagationPolicy",
                        p,
                        &["Foreground", "Background", "Orphan", "nil"],
                    )],
                ));
            }
        }
        let pre = |k: &str| {
            v.pointer(&format!("/preconditions/{k}"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        opts.uid = pre("uid");
        opts.resource_version = pre("resourceVersion");
    }
    opts.dry_run = dry_run(&dry_values, "DeleteOptions")?;
    Ok(opts)
}

/// The answer to deleting one object: the object while finalizers keep it (or
/// when the registry returns deleted objects, as Services do), else Status
/// Success naming it (registry/generic finalizeDelete).
fn delete_one(
    cluster: &mut Cluster,
    t: &Target,
    name: &str,
    opts: &DeleteOptions,
) -> Result<Value, ApiError> {
    if opts.uid.is_some() || opts.resource_version.is_some() {
        let current = fetch(cluster, t, name)?;
        let check = |field: &str, want: &Option<String>| -> Result<(), ApiError> {
            let got = current
                .pointer(&format!("/metadata/{field}"))
                .and_then(Value::as_str)
                .unwrap_or("");
            match want {
                Some(w) if w != got => {
                    let label = if field == "uid" {
                        "UID"
                    } else {
                        "ResourceVersion"
                    };
                    let gr = servicecidr_core::model::status::group_resource(
                        t.resource.plural,
                        t.group(),
                    );
                    let mut e = ApiError::conflict(t.resource.plural, t.group(), name);
                    e.message = format!(
                        "Operation cannot be fulfilled on {gr} {name:?}: Precondition failed: {label} in precondition: {w}, {label} in object meta: {got}"
                    );
                    Err(e)
                }
                _ => Ok(()),
            }
        };
        check("uid", &opts.uid)?;
        check("resourceVersion", &opts.resource_version)?;
    }
    let after = cluster.delete_with(
        t.core_resource(),
        name,
        t.namespace,
        &WriteOptions {
            dry_run: opts.dry_run,
            namespace: t.namespace.unwrap_or("").to_string(),
            user: t.user.clone(),
        },
    )?;
    let held = after
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| !f.is_empty());
    let returns_object = t.resource.storage == Storage::Core(Resource::Services);
    if held || returns_object {
        return Ok(present(t.resource, t.gv, after));
    }
    let mut details = json!({"name": name, "kind": t.resource.plural});
    if !t.group().is_empty() {
        details["group"] = json!(t.group());
    }
    if let Some(uid) = after.pointer("/metadata/uid").and_then(Value::as_str) {
        details["uid"] = json!(uid);
    }
    Ok(success_status(details))
}

fn delete(
    cluster: &mut Cluster,
    req: &Request,
    t: &Target,
    q: &Query,
) -> Result<Response, ApiError> {
    let opts = delete_options(req, q)?;
    let out = delete_one(cluster, t, t.name.unwrap_or(""), &opts)?;
    Ok(json_response(200, &out))
}

fn delete_collection(
    cluster: &mut Cluster,
    req: &Request,
    t: &Target,
    q: &Query,
) -> Result<Response, ApiError> {
    let opts = delete_options(req, q)?;
    let (labels, fields) = selectors(q, t.resource.storage)?;
    let names: Vec<String> = list_objects(cluster, t, t.namespace)?
        .into_iter()
        .filter(|o| labels.matches(o) && fields.matches(o))
        .map(|o| name_of(&o).to_string())
        .collect();
    let mut items = Vec::new();
    for n in names {
        let after = cluster.delete_with(
            t.core_resource(),
            &n,
            t.namespace,
            &WriteOptions {
                dry_run: opts.dry_run,
                namespace: t.namespace.unwrap_or("").to_string(),
                user: t.user.clone(),
            },
        );
        // An object that went away in the meantime is not an error here.
        match after {
            Ok(v) => items.push(present(t.resource, t.gv, v)),
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
    }
    Ok(json_response(
        200,
        &json!({
            "kind": format!("{}List", t.resource.kind),
            "apiVersion": t.gv.group_version(),
            "metadata": {"resourceVersion": cluster.resource_version()},
            "items": items,
        }),
    ))
}
