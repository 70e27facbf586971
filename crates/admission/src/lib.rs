//! ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) for the
//! simulator: policy and binding types, their validation, request matching
//! and evaluation with CEL, over `serde_json::Value`. Independent of the core:
//! the request path hands it the request's attributes and a view of the
//! cluster (params, namespaces) and gets back an [`Outcome`].

pub mod cel;
