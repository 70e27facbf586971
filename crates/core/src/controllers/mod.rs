//! Controllers: the ServiceCIDR finalizer/Ready controller and the
//! ValidatingAdmissionPolicy status controller (kube-controller-manager),
//! the defaults (kube-apiserver: `kubernetes` ServiceCIDR and Service), and the
//! IPAddress repair loop (kube-apiserver). Each is run by the cluster's work
//! queue, reads only through `Cluster::listers()` and writes only through the
//! request path, under its own identity — so its writes are validated, pass
//! admission and show in `trace()` like anyone's.

pub mod defaults;
pub mod policy_status;
pub mod repair;
pub mod servicecidr;

use crate::cluster::{Cluster, UserInfo, WriteOptions};
use crate::model::{ApiError, Resource};
use serde::Serialize;
use serde_json::Value;

/// kube-controller-manager builds the ServiceCIDR controller's client with
/// `ClientBuilder.ClientOrDie("service-cidrs-controller")`.
pub const SERVICE_CIDRS_CONTROLLER_ACCOUNT: &str = "service-cidrs-controller";

pub(crate) fn as_user(user: UserInfo) -> WriteOptions {
    WriteOptions {
        user,
        ..Default::default()
    }
}

fn to_body<T: Serialize>(obj: &T) -> Result<Value, ApiError> {
    serde_json::to_value(obj).map_err(ApiError::internal)
}

impl Cluster {
    /// A controller's create (POST).
    pub(crate) fn client_create<T: Serialize>(
        &mut self,
        user: UserInfo,
        obj: &T,
    ) -> Result<Value, ApiError> {
        let body = to_body(obj)?;
        self.create_inner(body, &as_user(user))
    }

    /// A controller's update (PUT), optimistic on the resourceVersion it read.
    pub(crate) fn client_update<T: Serialize>(
        &mut self,
        user: UserInfo,
        obj: &T,
    ) -> Result<Value, ApiError> {
        let body = to_body(obj)?;
        self.update_inner(body, &as_user(user))
    }

    /// A controller's PUT on the status subresource.
    pub(crate) fn client_update_status<T: Serialize>(
        &mut self,
        user: UserInfo,
        obj: &T,
    ) -> Result<Value, ApiError> {
        let body = to_body(obj)?;
        self.update_status_inner(body, &as_user(user))
    }

    /// A controller's DELETE.
    pub(crate) fn client_delete(
        &mut self,
        user: UserInfo,
        r: Resource,
        namespace: &str,
        name: &str,
    ) -> Result<Value, ApiError> {
        self.delete_inner(r, namespace, name, &as_user(user))
    }

    /// A controller write that failed: upstream logs it and retries with
    /// backoff; here it is traced (the request record already says who and
    /// what), and the next event or resync retries it.
    pub(crate) fn client_failed(&mut self, controller: &str, what: &str, e: &ApiError) {
        self.trace_push(
            controller,
            format!("{what} failed: {}", e.message),
            Value::Null,
        );
    }
}
