//! IPAddress validation (ValidateIPAddress / ValidateIPAddressUpdate and the
//! strategy's ValidateUpdate, which re-runs the create rules first).

use super::ip::is_valid_ip_name;
use super::meta::{validate_object_meta_update, validate_object_meta_with, FIELD_IMMUTABLE};
use super::names::{is_dns1123_subdomain, is_path_segment_name};
use crate::model::ipaddress::{IPAddress, ParentReference};
use crate::model::status::FieldError;
use serde_json::Value;

/// The bad value of the parentRef immutability error. UNVERIFIED: the internal
/// struct has no json tags, so 1.34 may print Go field names; we print the wire
/// shape (`{"resource":"services","namespace":"default","name":"x"}`). A removed
/// ref renders as `null`.
pub fn parent_ref_value(r: Option<&ParentReference>) -> Value {
    r.and_then(|r| serde_json::to_value(r).ok())
        .unwrap_or(Value::Null)
}

/// Go's `%#v` of the dereferenced internal ParentReference (releases up to 1.33).
pub fn parent_ref_go_value(r: &ParentReference) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    format!(
        "networking.ParentReference{{Group:{}, Resource:{}, Namespace:{}, Name:{}}}",
        q(&r.group),
        q(&r.resource),
        q(&r.namespace),
        q(&r.name)
    )
}

/// ValidateIPAddress: the strict IP name rule on metadata.name (and, because the
/// name rule ignores the prefix flag, on generateName as-is), then parentRef.
pub fn validate_ip_address(ip: &IPAddress) -> Vec<FieldError> {
    let name_fn = |n: &str, _prefix: bool| is_valid_ip_name(n);
    let mut errs = validate_object_meta_with(&ip.metadata, false, &name_fn);
    errs.extend(validate_parent_ref(ip.spec.parent_ref.as_ref()));
    errs
}

fn validate_parent_ref(r: Option<&ParentReference>) -> Vec<FieldError> {
    let Some(r) = r else {
        return vec![FieldError::required("spec.parentRef", "")];
    };
    let mut errs = Vec::new();
    // The core group is "", so an empty group cannot be rejected.
    if !r.group.is_empty() {
        for m in is_dns1123_subdomain(&r.group) {
            errs.push(FieldError::invalid(
                "spec.parentRef.group",
                r.group.as_str(),
                m,
            ));
        }
    }
    for (field, value, required) in [
        ("spec.parentRef.resource", &r.resource, true),
        ("spec.parentRef.name", &r.name, true),
        ("spec.parentRef.namespace", &r.namespace, false),
    ] {
        if value.is_empty() {
            if required {
                errs.push(FieldError::required(field, ""));
            }
            continue;
        }
        for m in is_path_segment_name(value) {
            errs.push(FieldError::invalid(field, value.as_str(), m));
        }
    }
    errs
}

/// ValidateIPAddressUpdate: metadata update rules and an immutable parentRef
/// (changing it and removing it both fail).
pub fn validate_ip_address_update_rules(new: &IPAddress, old: &IPAddress) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&new.metadata, &old.metadata);
    if new.spec.parent_ref != old.spec.parent_ref {
        let e = FieldError::invalid(
            "spec.parentRef",
            parent_ref_value(new.spec.parent_ref.as_ref()),
            FIELD_IMMUTABLE,
        );
        errs.push(match new.spec.parent_ref.as_ref() {
            Some(r) => e.with_go_value(parent_ref_go_value(r)),
            None => e,
        });
    }
    errs
}

/// What an IPAddress update answers with: create rules on the new object, then
/// [`validate_ip_address_update_rules`].
pub fn validate_ip_address_update(new: &IPAddress, old: &IPAddress) -> Vec<FieldError> {
    let mut errs = validate_ip_address(new);
    errs.extend(validate_ip_address_update_rules(new, old));
    errs
}
