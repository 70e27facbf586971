//! Upstream validation: the field paths, messages and check order of
//! kube-apiserver for ServiceCIDR, IPAddress and Service, plus the Service
//! defaulting and allocation-time family initialisation those checks depend on.
//!
//! Every function returns the list of field errors upstream would return (empty =
//! valid). The cluster wraps a non-empty list as
//! `ApiError::invalid(kind, group, name, &errs)`. Values are rendered the 1.34+
//! way by `FieldError` itself.
//!
//! Update functions named `validate_*_update` return what the kind's update
//! strategy returns (create rules on the new object plus update rules). The
//! generic registry additionally prepends [`validate_common_update`]; see its doc.

pub mod ip;
pub mod ipaddress;
pub mod meta;
pub mod names;
pub mod service;
pub mod service_prepare;
pub mod servicecidr;

pub use ip::{is_valid_cidr_strict, is_valid_ip_name, is_valid_ip_strict};
pub use ipaddress::{validate_ip_address, validate_ip_address_update};
pub use meta::{
    prepare_meta_for_update, validate_common_update, validate_object_meta,
    validate_object_meta_update,
};
pub use names::{is_dns1035_label, is_dns1123_label, is_dns1123_subdomain};
pub(crate) use service::{health_check_node_port, needs_health_check};
pub use service::{
    service_warnings, validate_cluster_ips_related_fields, validate_cluster_ips_related_fields_in,
    validate_service, validate_service_in, validate_service_update, validate_service_update_in,
};
pub use service_prepare::{
    default_service, drop_type_dependent_fields, init_ip_family_fields, init_ip_family_fields_in,
    normalize_cluster_ips, patch_allocated_values,
};
pub use servicecidr::{
    validate_service_cidr, validate_service_cidr_status_update, validate_service_cidr_update,
    validate_service_cidr_update_in,
};

use serde_json::Value;

/// An Invalid error whose bad value is a string list of Go type `[]<elem>`
/// (`string`, `core.IPFamily`): JSON for new releases, `%#v` for old ones.
pub(crate) fn invalid_list(
    field: impl Into<String>,
    items: &[String],
    elem: &str,
    detail: impl Into<String>,
) -> crate::model::FieldError {
    let strs: Vec<&str> = items.iter().map(String::as_str).collect();
    crate::model::FieldError::invalid(field, list_value(items), detail)
        .with_go_value(crate::model::status::go_slice(elem, &strs))
}

/// A string list as a bad value. Go marshals a nil slice as `null`; the model
/// cannot tell nil from empty, and an absent field (nil) is the common case.
pub(crate) fn list_value(items: &[String]) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::from(items.to_vec())
    }
}
