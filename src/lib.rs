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

pub mod http;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
// The wasm module's global allocator (linked for its #[global_allocator] alone).
#[cfg(target_arch = "wasm32")]
use servicecidr_wasm_heap as _;
/// The CEL evaluator linked natively: ValidatingAdmissionPolicies for Rust users
/// and the native tests (`cluster.set_validating_admission(Some(cel_admission()))`).
#[cfg(not(target_arch = "wasm32"))]
pub mod cel {
    use servicecidr_admission::json_api;
    use servicecidr_core::cluster::{PolicyAdmission, PolicyEvaluator, ValidatingAdmission};

    pub struct NativeCel;

    impl PolicyEvaluator for NativeCel {
        fn admit(&self, request: &str) -> String {
            json_api::admit(request)
        }
        fn validate_policy(&self, policy: &str) -> String {
            json_api::validate_policy_json(policy)
        }
        fn validate_binding(&self, binding: &str) -> String {
            json_api::validate_binding_json(binding)
        }
        fn default_object(&self, object: &str) -> String {
            json_api::default_object_json(object)
        }
    }

    /// The admission plugin that enforces the cluster's ValidatingAdmissionPolicies.
    pub fn cel_admission() -> Box<dyn ValidatingAdmission> {
        Box::new(PolicyAdmission::new(NativeCel))
    }
}
