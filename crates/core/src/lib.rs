//! The simulated control plane: Kubernetes' Service IP allocation (ServiceCIDR,
//! IPAddress, the ClusterIP allocator, the ServiceCIDR finalizer state machine and
//! the repair loop) as a deterministic, offline model.
//!
//! This crate is the bottom layer: it knows nothing of HTTP (the apiserver
//! crate), kubectl (the kubectl crate) or JavaScript (the binding).

pub mod allocator;
pub mod clock;
pub mod cluster;
pub mod controllers;
pub mod model;
pub mod net;
pub mod release;
pub mod rng;
pub mod sort;
pub mod sorted_json;
pub mod validation;

pub use cluster::{Cluster, ClusterOptions};
pub use release::{Release, Version};
