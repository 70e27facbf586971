//! servicecidr-sim: the binding layer. It re-exports the layers (core, apiserver,
//! kubectl) for Rust users and tests, and `src/wasm.rs` is the only file that
//! knows about JavaScript.

pub use servicecidr_apiserver as apiserver;
pub use servicecidr_core::{allocator, clock, cluster, controllers, model, net, rng, validation};
pub use servicecidr_kubectl as kubectl;

pub use servicecidr_core::cluster::{Cluster, ClusterOptions};
pub use servicecidr_kubectl::{CommandOutput, Kubectl, RunOptions};

#[cfg(target_arch = "wasm32")]
pub mod wasm;
// The wasm module's global allocator (linked for its #[global_allocator] alone).
#[cfg(target_arch = "wasm32")]
use servicecidr_wasm_heap as _;
