//! ServiceCIDR validation (pkg/apis/networking/validation + the strategy's
//! ValidateUpdate, which runs the create rules on the new object first).

use super::invalid_list;
use super::ip::{is_dual_stack, is_valid_cidr_strict, sloppy_cidr_family};
use super::meta::{validate_object_meta, validate_object_meta_update, FIELD_IMMUTABLE};
use super::names::is_dns1123_subdomain;
use crate::model::servicecidr::{ServiceCIDR, ServiceCIDRSpec};
use crate::model::status::{go_slice, FieldError};
use serde_json::{json, Value};

pub const MSG_CIDRS_REQUIRED: &str = "at least one CIDR required";
pub const MSG_CIDRS_TOO_MANY: &str = "may only hold up to 2 values";
/// Upstream text, including the missing dot after "i.e".
pub const MSG_CIDRS_ONE_PER_FAMILY: &str =
    "may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64";

/// JSON key used when the whole (internal) spec struct is the bad value.
/// UNVERIFIED: apimachinery 1.34+ JSON-marshals non-scalar values, but the
/// internal `networking.ServiceCIDRSpec` has no json tags, which would print Go's
/// field name (`{"CIDRs":[...]}`); the lead chose the wire name. Change it here.
pub const SPEC_CIDRS_RENDER_KEY: &str = "cidrs";

/// The bad value of the "too many" / "one per family" errors: the whole spec.
pub fn spec_value(spec: &ServiceCIDRSpec) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(SPEC_CIDRS_RENDER_KEY.to_string(), json!(spec.cidrs));
    Value::Object(m)
}

/// Go's `%#v` of the internal spec, as releases up to 1.33 print it.
pub fn spec_go_value(spec: &ServiceCIDRSpec) -> String {
    let cidrs: Vec<&str> = spec.cidrs.iter().map(String::as_str).collect();
    format!(
        "networking.ServiceCIDRSpec{{CIDRs:{}}}",
        go_slice("string", &cidrs)
    )
}

/// ValidateServiceCIDR: meta errors, then the spec checks with their early
/// returns. Because the family check (sloppy parse) precedes the strict per-entry
/// checks, `["garbage","fd00::/64"]` reports the family message, not a parse error.
pub fn validate_service_cidr(sc: &ServiceCIDR) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&sc.metadata, false, is_dns1123_subdomain);
    let path = "spec.cidrs";
    let cidrs = &sc.spec.cidrs;
    if cidrs.is_empty() {
        errs.push(FieldError::required(path, MSG_CIDRS_REQUIRED));
        return errs;
    }
    if cidrs.len() > 2 {
        errs.push(
            FieldError::invalid(path, spec_value(&sc.spec), MSG_CIDRS_TOO_MANY)
                .with_go_value(spec_go_value(&sc.spec)),
        );
        return errs;
    }
    if cidrs.len() == 2 && is_dual_stack(cidrs.iter().map(|c| sloppy_cidr_family(c))) != Some(true)
    {
        errs.push(
            FieldError::invalid(path, spec_value(&sc.spec), MSG_CIDRS_ONE_PER_FAMILY)
                .with_go_value(spec_go_value(&sc.spec)),
        );
        return errs;
    }
    for (i, c) in cidrs.iter().enumerate() {
        for m in is_valid_cidr_strict(c) {
            errs.push(FieldError::invalid(format!("{path}[{i}]"), c.as_str(), m));
        }
    }
    errs
}

/// The update-only rules (ValidateServiceCIDRUpdate since PR #131263): metadata
/// update rules, then
/// - same length: each changed entry `spec.cidrs[i]` is immutable;
/// - 1 → 2 entries (single → dual-stack): allowed if `cidrs[0]` is unchanged;
///   the pair itself is checked by the create rules;
/// - anything else: the whole `spec.cidrs` is immutable.
///
/// Field paths and bad values follow the reconstruction in the reference (§2.2,
/// UNVERIFIED against the upstream file).
pub fn validate_service_cidr_update_rules(new: &ServiceCIDR, old: &ServiceCIDR) -> Vec<FieldError> {
    validate_service_cidr_update_rules_in(new, old, true)
}

/// [`validate_service_cidr_update_rules`] with or without the single → dual
/// exception (`single_to_dual`, PR #131263, 1.33). Without it (1.29–1.32)
/// `spec.cidrs` is wholly immutable (ValidateImmutableField on the list).
pub fn validate_service_cidr_update_rules_in(
    new: &ServiceCIDR,
    old: &ServiceCIDR,
    single_to_dual: bool,
) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&new.metadata, &old.metadata);
    let (n, o) = (&new.spec.cidrs, &old.spec.cidrs);
    if !single_to_dual {
        if n != o {
            errs.push(invalid_list("spec.cidrs", n, "string", FIELD_IMMUTABLE));
        }
        return errs;
    }
    if n.len() == o.len() {
        for (i, (nc, oc)) in n.iter().zip(o.iter()).enumerate() {
            if nc != oc {
                errs.push(FieldError::invalid(
                    format!("spec.cidrs[{i}]"),
                    nc.as_str(),
                    FIELD_IMMUTABLE,
                ));
            }
        }
    } else if o.len() == 1 && n.len() == 2 {
        if let (Some(nc), Some(oc)) = (n.first(), o.first()) {
            if nc != oc {
                errs.push(FieldError::invalid(
                    "spec.cidrs[0]",
                    nc.as_str(),
                    FIELD_IMMUTABLE,
                ));
            }
        }
    } else {
        errs.push(invalid_list("spec.cidrs", n, "string", FIELD_IMMUTABLE));
    }
    errs
}

/// What an update of a ServiceCIDR answers with (the strategy's ValidateUpdate):
/// the create rules on the new object, then [`validate_service_cidr_update_rules`].
pub fn validate_service_cidr_update(new: &ServiceCIDR, old: &ServiceCIDR) -> Vec<FieldError> {
    validate_service_cidr_update_in(new, old, true)
}

/// [`validate_service_cidr_update`] with or without the single → dual exception.
pub fn validate_service_cidr_update_in(
    new: &ServiceCIDR,
    old: &ServiceCIDR,
    single_to_dual: bool,
) -> Vec<FieldError> {
    let mut errs = validate_service_cidr(new);
    errs.extend(validate_service_cidr_update_rules_in(
        new,
        old,
        single_to_dual,
    ));
    errs
}

/// ValidateServiceCIDRStatusUpdate: only metadata; conditions are not validated
/// (an empty reason is accepted).
pub fn validate_service_cidr_status_update(
    new: &ServiceCIDR,
    old: &ServiceCIDR,
) -> Vec<FieldError> {
    validate_object_meta_update(&new.metadata, &old.metadata)
}
