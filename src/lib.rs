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
pub use servicecidr_kubectl::{CommandOutput, Kubectl, RunOptions};

#[cfg(target_arch = "wasm32")]
pub mod wasm;
// The wasm module's global allocator (linked for its #[global_allocator] alone).
#[cfg(target_arch = "wasm32")]
use servicecidr_wasm_heap as _;

/// The CEL evaluator linked natively: ValidatingAdmissionPolicies for Rust users
/// and the native tests (`cluster.set_validating_admission(Some(cel_admission()))`).
#[cfg(not(target_arch = "wasm32"))]
pub mod cel {
    use servicecidr_admission::json_api as cel;
    use servicecidr_core::cluster::{PolicyAdmission, ValidatingAdmission};

    /// The admission plugin that enforces the cluster's ValidatingAdmissionPolicies.
    pub fn cel_admission() -> Box<dyn ValidatingAdmission> {
        let entry_points = (
            cel::admit,
            cel::validate_policy_json,
            cel::validate_binding_json,
            cel::default_object_json,
        );
        Box::new(PolicyAdmission::new(entry_points))
    }
}
