//! The REST surface of the simulated kube-apiserver over the core's request
//! path: `handle(Request) -> Response`. No sockets: the Node adapter and the
//! in-box kubectl both call it.

// Protocol modules (branch `protocol`): pure functions over serde_json::Value.
pub mod field_validation;
pub mod gofmt;
pub mod managed_fields;
pub mod openapi;
pub mod patch;
pub mod protobuf;
pub mod schema;
