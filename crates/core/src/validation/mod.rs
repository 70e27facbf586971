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
pub use service::{validate_cluster_ips_related_fields, validate_service, validate_service_update};
pub use service_prepare::{
    default_service, drop_type_dependent_fields, init_ip_family_fields, normalize_cluster_ips,
    patch_allocated_values,
};
pub use servicecidr::{
    validate_service_cidr, validate_service_cidr_status_update, validate_service_cidr_update,
};

use serde_json::Value;

/// A string list as a bad value. Go marshals a nil slice as `null`; the model
/// cannot tell nil from empty, and an absent field (nil) is the common case.
pub(crate) fn list_value(items: &[String]) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::from(items.to_vec())
    }
}
