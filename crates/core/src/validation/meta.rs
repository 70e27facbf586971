//! ObjectMeta rules: apimachinery `api/validation/objectmeta.go` plus the finalizer
//! check core's wrapper adds (pkg/apis/core/validation ValidateObjectMeta[Update]).
//! Both networking.k8s.io kinds and Services go through the core wrapper.

use super::names::{is_dns1123_label, is_qualified_name, is_valid_label_value, mask_trailing_dash};
use crate::model::meta::{ObjectMeta, Time};
use crate::model::status::{FieldError, FieldErrorType};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// apimachinery FieldImmutableErrorMsg
pub const FIELD_IMMUTABLE: &str = "field is immutable";
/// TotalAnnotationSizeLimitB: 256 KiB over all keys and values.
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;
/// Detail of field.TooLong as current apimachinery words it. UNVERIFIED for 1.34
/// (older releases said "must have at most N bytes"); change it here.
pub fn too_long_detail(max: usize) -> String {
    let unit = if max == 1 { "byte" } else { "bytes" };
    format!("may not be more than {max} {unit}")
}

const FINALIZER_ORPHAN: &str = "orphan";
const FINALIZER_FOREGROUND: &str = "foregroundDeletion";
/// core helper.IsStandardFinalizerName
const STANDARD_FINALIZERS: &[&str] = &["kubernetes", FINALIZER_ORPHAN, FINALIZER_FOREGROUND];

/// A name rule taking upstream's `prefix` flag (true when checking generateName).
pub(crate) type PrefixNameFn<'a> = &'a dyn Fn(&str, bool) -> Vec<String>;

fn time_value(t: Option<Time>) -> Value {
    // metav1.Time marshals as an RFC 3339 string, the zero time as null.
    match t {
        Some(t) => Value::String(t.rfc3339()),
        None => Value::Null,
    }
}

/// Up to apimachinery v0.33 a metav1.Time bad value prints through time.Time's
/// String() (it is a fmt.Stringer): `2026-01-01 00:00:00 +0000 UTC`.
fn with_go_time(e: FieldError, t: Option<Time>) -> FieldError {
    match t {
        Some(t) => {
            let rfc = t.rfc3339();
            let go = rfc
                .strip_suffix('Z')
                .map(|s| format!("{} +0000 UTC", s.replacen('T', " ", 1)))
                .unwrap_or(rfc);
            e.with_go_value(go)
        }
        None => e,
    }
}

/// ValidateImmutableField: the bad value shown is the NEW value.
pub(crate) fn immutable<T: PartialEq>(
    new: &T,
    old: &T,
    field: &str,
    new_value: impl FnOnce() -> Value,
) -> Option<FieldError> {
    (new != old).then(|| FieldError::invalid(field, new_value(), FIELD_IMMUTABLE))
}

/// Create-time ObjectMeta validation. `name_check` is the kind's name rule
/// (`is_dns1123_subdomain`, `is_dns1035_label`, `is_valid_ip_name`, …). A
/// generateName is checked with its trailing '-' masked, as the DNS name rules do
/// upstream (callers whose rule ignores the prefix flag use [`validate_object_meta_with`]).
pub fn validate_object_meta(
    meta: &ObjectMeta,
    namespaced: bool,
    name_check: fn(&str) -> Vec<String>,
) -> Vec<FieldError> {
    let f = move |n: &str, prefix: bool| {
        if prefix {
            name_check(&mask_trailing_dash(n))
        } else {
            name_check(n)
        }
    };
    validate_object_meta_with(meta, namespaced, &f)
}

/// As [`validate_object_meta`] with a name rule that receives the prefix flag itself.
pub(crate) fn validate_object_meta_with(
    meta: &ObjectMeta,
    namespaced: bool,
    name_fn: PrefixNameFn<'_>,
) -> Vec<FieldError> {
    let mut errs = generic_object_meta(meta, namespaced, name_fn);
    errs.extend(validate_kube_finalizer_names(&meta.finalizers));
    errs
}

/// apimachinery ValidateObjectMetaAccessor, without core's finalizer extras.
fn generic_object_meta(
    meta: &ObjectMeta,
    namespaced: bool,
    name_fn: PrefixNameFn<'_>,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if !meta.generate_name.is_empty() {
        for m in name_fn(&meta.generate_name, true) {
            errs.push(FieldError::invalid(
                "metadata.generateName",
                meta.generate_name.as_str(),
                m,
            ));
        }
    }
    if meta.name.is_empty() {
        errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    } else {
        for m in name_fn(&meta.name, false) {
            errs.push(FieldError::invalid("metadata.name", meta.name.as_str(), m));
        }
    }
    if namespaced {
        if meta.namespace.is_empty() {
            errs.push(FieldError::required("metadata.namespace", ""));
        } else {
            for m in is_dns1123_label(&meta.namespace) {
                errs.push(FieldError::invalid(
                    "metadata.namespace",
                    meta.namespace.as_str(),
                    m,
                ));
            }
        }
    } else if !meta.namespace.is_empty() {
        errs.push(FieldError::forbidden(
            "metadata.namespace",
            "not allowed on this type",
        ));
    }
    let generation = meta.generation.unwrap_or(0);
    if generation < 0 {
        errs.push(FieldError::invalid(
            "metadata.generation",
            generation,
            "must be greater than or equal to 0",
        ));
    }
    errs.extend(validate_labels(&meta.labels, "metadata.labels"));
    errs.extend(validate_annotations(
        &meta.annotations,
        "metadata.annotations",
    ));
    errs.extend(validate_owner_references(&meta.owner_references));
    errs.extend(validate_finalizers(&meta.finalizers));
    errs
}

/// ValidateLabels: key rule then value rule per entry, all on the map's own path.
/// Upstream iterates a Go map (random order); a BTreeMap gives key order.
pub fn validate_labels(labels: &BTreeMap<String, String>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels {
        for m in is_qualified_name(k) {
            errs.push(FieldError::invalid(path, k.as_str(), m));
        }
        for m in is_valid_label_value(v) {
            errs.push(FieldError::invalid(path, v.as_str(), m));
        }
    }
    errs
}

/// ValidateAnnotations: keys are qualified names compared case-insensitively; the
/// bad value shown is the key as written.
pub fn validate_annotations(annotations: &BTreeMap<String, String>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut total: usize = 0;
    for (k, v) in annotations {
        for m in is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(path, k.as_str(), m));
        }
        total = total.saturating_add(k.len()).saturating_add(v.len());
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError {
            type_: FieldErrorType::TooLong,
            field: path.to_string(),
            bad_value: None,
            detail: too_long_detail(TOTAL_ANNOTATION_SIZE_LIMIT),
            go_value: None,
        });
    }
    errs
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// ValidateOwnerReferences. Entries are kept as raw JSON in the model; anything
/// that is not an object would have failed decoding upstream and is skipped.
fn validate_owner_references(refs: &[Value]) -> Vec<FieldError> {
    let path = "metadata.ownerReferences";
    let mut errs = Vec::new();
    let mut first_controller: Option<String> = None;
    for r in refs.iter().filter(|r| r.is_object()) {
        let api_version = str_field(r, "apiVersion");
        let kind = str_field(r, "kind");
        // schema.ParseGroupVersion: "v" or "g/v"; more than one '/' fails and
        // leaves group and version empty.
        let (group, version) = match api_version.matches('/').count() {
            0 => ("", api_version),
            1 => api_version.split_once('/').unwrap_or(("", "")),
            _ => ("", ""),
        };
        if version.is_empty() {
            errs.push(FieldError::invalid(
                format!("{path}.apiVersion"),
                api_version,
                "version must not be empty",
            ));
        }
        if kind.is_empty() {
            errs.push(FieldError::invalid(
                format!("{path}.kind"),
                kind,
                "kind must not be empty",
            ));
        }
        let name = str_field(r, "name");
        if name.is_empty() {
            errs.push(FieldError::invalid(
                format!("{path}.name"),
                name,
                "name must not be empty",
            ));
        }
        if str_field(r, "uid").is_empty() {
            errs.push(FieldError::invalid(
                format!("{path}.uid"),
                str_field(r, "uid"),
                "uid must not be empty",
            ));
        }
        // BannedOwners: core/v1 Events may not own anything.
        if group.is_empty() && version == "v1" && kind == "Event" {
            errs.push(FieldError::invalid(
                path,
                r.clone(),
                "/v1, Kind=Event is disallowed from being an owner",
            ));
        }
        if r.get("controller").and_then(Value::as_bool) == Some(true) {
            let cur = format!("{kind}/{name}");
            match &first_controller {
                Some(first) => errs.push(FieldError::invalid(
                    path,
                    Value::Array(refs.to_vec()),
                    format!("Only one reference can have Controller set to true. Found \"true\" in references for {first} and {cur}"),
                )),
                None => first_controller = Some(cur),
            }
        }
    }
    errs
}

/// apimachinery ValidateFinalizers: qualified names on the unindexed path, and the
/// orphan/foregroundDeletion conflict.
fn validate_finalizers(finalizers: &[String]) -> Vec<FieldError> {
    let path = "metadata.finalizers";
    let mut errs = Vec::new();
    for f in finalizers {
        for m in is_qualified_name(f) {
            errs.push(FieldError::invalid(path, f.as_str(), m));
        }
    }
    let has = |n: &str| finalizers.iter().any(|f| f == n);
    if has(FINALIZER_ORPHAN) && has(FINALIZER_FOREGROUND) {
        errs.push(FieldError::invalid(
            path,
            Value::from(finalizers.to_vec()),
            format!("finalizer {FINALIZER_ORPHAN} and {FINALIZER_FOREGROUND} cannot be both set"),
        ));
    }
    errs
}

/// core validateKubeFinalizerName on `metadata.finalizers[i]`: the qualified-name
/// rule again (so a bad name is reported on both paths, as upstream does), then
/// "unprefixed names must be one of the standard ones".
fn validate_kube_finalizer_names(finalizers: &[String]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, f) in finalizers.iter().enumerate() {
        let path = format!("metadata.finalizers[{i}]");
        for m in is_qualified_name(f) {
            errs.push(FieldError::invalid(path.as_str(), f.as_str(), m));
        }
        if !f.contains('/') && !STANDARD_FINALIZERS.contains(&f.as_str()) {
            errs.push(FieldError::invalid(
                path.as_str(),
                f.as_str(),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
    errs
}

/// Go's `%#v` of a []string, which ValidateNoNewFinalizers formats into its detail
/// text (a detail, not a bad value, so the 1.34 value rendering does not apply).
fn go_string_slice(items: &[String]) -> String {
    let inner: Vec<String> = items
        .iter()
        .map(|s| serde_json::to_string(s).unwrap_or_default())
        .collect();
    format!("[]string{{{}}}", inner.join(", "))
}

/// Update-time ObjectMeta validation (core ValidateObjectMetaUpdate).
///
/// Callers should first do what the generic registry does before validating an
/// update (see [`prepare_meta_for_update`]): an unconditional update gets the
/// stored resourceVersion, and generation/uid/creationTimestamp/deletion fields are
/// carried over, so those checks only fire for genuinely conflicting input.
pub fn validate_object_meta_update(new: &ObjectMeta, old: &ObjectMeta) -> Vec<FieldError> {
    let mut errs = generic_object_meta_update(new, old);
    errs.extend(validate_kube_finalizer_names(&new.finalizers));
    errs
}

/// apimachinery ValidateObjectMetaAccessorUpdate.
fn generic_object_meta_update(new: &ObjectMeta, old: &ObjectMeta) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if old.deletion_timestamp.is_some() {
        let old_set: BTreeSet<&String> = old.finalizers.iter().collect();
        let extra: BTreeSet<String> = new
            .finalizers
            .iter()
            .filter(|f| !old_set.contains(f))
            .cloned()
            .collect();
        if !extra.is_empty() {
            let extra: Vec<String> = extra.into_iter().collect();
            errs.push(FieldError::forbidden(
                "metadata.finalizers",
                format!(
                    "no new finalizers can be added if the object is being deleted, found new finalizers {}",
                    go_string_slice(&extra)
                ),
            ));
        }
    }
    if new.resource_version.is_empty() {
        errs.push(FieldError::invalid(
            "metadata.resourceVersion",
            "",
            "must be specified for an update",
        ));
    }
    let (ng, og) = (new.generation.unwrap_or(0), old.generation.unwrap_or(0));
    if ng < og {
        errs.push(FieldError::invalid(
            "metadata.generation",
            ng,
            "must not be decremented",
        ));
    }
    errs.extend(immutable(&new.name, &old.name, "metadata.name", || {
        Value::from(new.name.as_str())
    }));
    errs.extend(immutable(
        &new.namespace,
        &old.namespace,
        "metadata.namespace",
        || Value::from(new.namespace.as_str()),
    ));
    errs.extend(immutable(&new.uid, &old.uid, "metadata.uid", || {
        Value::from(new.uid.as_str())
    }));
    errs.extend(
        immutable(
            &new.creation_timestamp,
            &old.creation_timestamp,
            "metadata.creationTimestamp",
            || time_value(new.creation_timestamp),
        )
        .map(|e| with_go_time(e, new.creation_timestamp)),
    );
    errs.extend(
        immutable(
            &new.deletion_timestamp,
            &old.deletion_timestamp,
            "metadata.deletionTimestamp",
            || time_value(new.deletion_timestamp),
        )
        .map(|e| with_go_time(e, new.deletion_timestamp)),
    );
    errs.extend(immutable(
        &new.deletion_grace_period_seconds,
        &old.deletion_grace_period_seconds,
        "metadata.deletionGracePeriodSeconds",
        || {
            new.deletion_grace_period_seconds
                .map(Value::from)
                .unwrap_or(Value::Null)
        },
    ));
    errs.extend(validate_labels(&new.labels, "metadata.labels"));
    errs.extend(validate_annotations(
        &new.annotations,
        "metadata.annotations",
    ));
    errs.extend(validate_owner_references(&new.owner_references));
    errs
}

/// What `rest.BeforeUpdate` and the registry do to the new object's metadata before
/// any update validation: keep the stored generation, take uid/creationTimestamp/
/// deletion fields from the stored object when the request left them out, and (for
/// unconditional updates) adopt the stored resourceVersion.
pub fn prepare_meta_for_update(new: &mut ObjectMeta, old: &ObjectMeta) {
    if new.resource_version.is_empty() {
        new.resource_version = old.resource_version.clone();
    }
    new.generation = old.generation;
    if new.uid.is_empty() {
        new.uid = old.uid.clone();
    }
    if old.creation_timestamp.is_some() {
        new.creation_timestamp = old.creation_timestamp;
    }
    if old.deletion_timestamp.is_some() {
        new.deletion_timestamp = old.deletion_timestamp;
    }
    if old.deletion_grace_period_seconds.is_some() && new.deletion_grace_period_seconds.is_none() {
        new.deletion_grace_period_seconds = old.deletion_grace_period_seconds;
    }
}

/// The common-fields check `rest.BeforeUpdate` runs ahead of the kind's own update
/// validation (path-segment name rule + meta update rules). Its errors come first
/// in the 422; duplicates of the kind's own meta errors are expected and are
/// collapsed only in the aggregated message (ToAggregate), not in the causes.
pub fn validate_common_update(
    new: &ObjectMeta,
    old: &ObjectMeta,
    namespaced: bool,
) -> Vec<FieldError> {
    let seg = |n: &str, prefix: bool| {
        if prefix {
            super::names::is_path_segment_name(n)
                .into_iter()
                .filter(|m| m.starts_with("may not contain"))
                .collect()
        } else {
            super::names::is_path_segment_name(n)
        }
    };
    // apimachinery's (not core's) functions: no kube finalizer-name extras here.
    let mut errs = generic_object_meta(new, namespaced, &seg);
    errs.extend(generic_object_meta_update(new, old));
    errs
}
