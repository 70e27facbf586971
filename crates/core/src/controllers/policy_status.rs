//! kube-controller-manager's validatingadmissionpolicy-status-controller
//! (pkg/controller/validatingadmissionpolicystatus): when a
//! ValidatingAdmissionPolicy's `metadata.generation` is newer than its
//! `status.observedGeneration`, it records that generation and the type
//! checker's expression warnings in `status.typeChecking`. This model has no
//! CEL type checker (docs/DESIGN-NOTES.md "Admission policies"), so there are
//! no warnings and `typeChecking` is `{}`, what upstream writes for a policy
//! whose expressions check. Upstream applies the status (server-side apply,
//! forced, field manager = the controller's name); here the same fields are
//! written with an update of `/status` under the controller's identity.

use crate::cluster::{Cluster, UserInfo};
use crate::model::Resource;
use serde_json::{json, Value};

/// kube-controller-manager's controller (and service account) name.
pub const POLICY_STATUS_CONTROLLER: &str = "validatingadmissionpolicy-status-controller";

impl Cluster {
    pub(crate) fn sync_policy_status(&mut self, name: &str) {
        let r = Resource::ValidatingAdmissionPolicies;
        // Not found: the policy is being deleted; nothing to do (as upstream).
        let Some(policy) = self.listers().generic_object(r, "", name) else {
            return;
        };
        let generation = policy
            .pointer("/metadata/generation")
            .and_then(Value::as_i64);
        let observed = policy
            .pointer("/status/observedGeneration")
            .and_then(Value::as_i64);
        if generation.unwrap_or(0) <= observed.unwrap_or(0) {
            return;
        }
        let mut updated = policy.clone();
        let Some(obj) = updated.as_object_mut() else {
            return;
        };
        let status = obj.entry("status").or_insert_with(|| json!({}));
        status["observedGeneration"] = json!(generation);
        status["typeChecking"] = json!({});
        let user = UserInfo::controller_service_account(POLICY_STATUS_CONTROLLER);
        if let Err(e) = self.client_update_status(user, &updated) {
            self.client_failed(POLICY_STATUS_CONTROLLER, "updating the policy status", &e);
        }
    }
}
