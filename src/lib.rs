//! servicecidr-sim: the binding layer. It re-exports the layers (core, apiserver,
//! kubectl) for Rust users and tests, and `src/wasm.rs` is the only file that
//! knows about JavaScript.

pub use servicecidr_apiserver as apiserver;
pub use servicecidr_core::{
    allocator, clock, cluster, controllers, model, net, release, rng, validation,
};
pub use servicecidr_kubectl as kubectl;

pub use servicecidr_core::cluster::{Cluster, ClusterOptions};
pub use servicecidr_core::release::{Release, Version};
pub use servicecidr_kubectl::{CommandOutput, Kubectl};

#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(target_arch = "wasm32")]
mod wasm_heap;
