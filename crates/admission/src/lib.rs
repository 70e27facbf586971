//! ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) for the
//! simulator: policy and binding types, their validation, request matching
//! and evaluation with CEL, over `serde_json::Value`. Independent of the core:
//! the request path hands it the request's attributes and a view of the
//! cluster (params, namespaces) and gets back an [`Outcome`].

pub mod attributes;
pub mod cel;
pub mod evaluate;
pub mod json_api;
pub mod matching;
mod names;
pub mod types;
pub mod validation;

pub use attributes::{
    Attributes, GroupVersionKind, GroupVersionResource, NoParams, Operation, ParamScope,
    ParamSource, UserInfo,
};
pub use evaluate::{evaluate, AuditAnnotation, Decision, Evaluation, Outcome, PolicySet};
pub use types::{set_binding_defaults, set_policy_defaults, type_checking_status, Binding, Policy};
pub use validation::{validate_binding, validate_policy, FieldError, FieldErrorType};
