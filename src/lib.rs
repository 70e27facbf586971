//! servicecidr-sim: Kubernetes Service IP allocation (ServiceCIDR, IPAddress,
//! the ClusterIP allocator, the ServiceCIDR finalizer state machine and the
//! repair loop) as a deterministic, offline simulation.
//!
//! `src/wasm.rs` is the only file that knows about JavaScript; everything else
//! is plain Rust and is tested natively.

pub mod allocator;
pub mod clock;
pub mod cluster;
pub mod controllers;
pub mod kubectl;
pub mod model;
pub mod net;
pub mod rng;
pub mod validation;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(target_arch = "wasm32")]
mod wasm_heap;

pub use cluster::{Cluster, ClusterOptions, CommandOutput};
