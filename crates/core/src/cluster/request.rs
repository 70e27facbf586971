//! Who is asking, and the admission seam: every write — a user's, the in-box
//! or a real kubectl's, and the controllers' own — carries a [`UserInfo`], is
//! recorded in `trace()` as a request (who, verb, resource, answer), and passes
//! the validating admission seam after validation and before storage, as in
//! kube-apiserver's generic registry (validation, then `createValidation` /
//! `updateValidation`, then etcd).

use super::{Cluster, WriteOptions};
use crate::allocator::taken::TakenSet;
use crate::model::{ApiError, FieldError, IPAddress, Resource, Service, ServiceCIDR};
use crate::net::Family;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The authenticated user of a request (authentication.k8s.io UserInfo).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub username: String,
    #[serde(default)]
    pub uid: String,
    #[serde(default)]
    pub groups: Vec<String>,
}

pub const GROUP_MASTERS: &str = "system:masters";
pub const GROUP_AUTHENTICATED: &str = "system:authenticated";

impl Default for UserInfo {
    /// kubeadm's admin kubeconfig user: what a person at a fresh cluster is.
    fn default() -> Self {
        UserInfo::admin()
    }
}

impl UserInfo {
    pub fn new(username: &str, groups: &[&str]) -> UserInfo {
        UserInfo {
            username: username.to_string(),
            uid: String::new(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    /// kubeadm's `kubernetes-admin` (client certificate with O=system:masters).
    pub fn admin() -> UserInfo {
        UserInfo::new("kubernetes-admin", &[GROUP_MASTERS, GROUP_AUTHENTICATED])
    }

    /// kube-apiserver's loopback client: its own controllers (default
    /// ServiceCIDR, `kubernetes` Service, repair loop, the ClusterIP allocator's
    /// IPAddress writes) authenticate as this privileged user.
    pub fn apiserver() -> UserInfo {
        UserInfo::new("system:apiserver", &[GROUP_MASTERS, GROUP_AUTHENTICATED])
    }

    /// A kube-controller-manager controller running with
    /// --use-service-account-credentials: its own service account in kube-system.
    pub fn controller_service_account(account: &str) -> UserInfo {
        UserInfo::new(
            &format!("system:serviceaccount:kube-system:{account}"),
            &[
                "system:serviceaccounts",
                "system:serviceaccounts:kube-system",
                GROUP_AUTHENTICATED,
            ],
        )
    }
}

/// Who records an Event: the controller named in `reportingController`, and
/// the identity its event recorder POSTs with.
#[derive(Clone, Debug)]
pub struct Reporter {
    pub controller: &'static str,
    pub user: UserInfo,
}

/// admission.Operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
        }
    }
}

impl PolicyDecisionRecord {
    /// The decision a `trace()` record carries (source "admission"), typed.
    pub fn from_trace(record: &super::TraceRecord) -> Option<PolicyDecisionRecord> {
        serde_json::from_value(record.admission.clone()?).ok()
    }
}

/// What a validating admission plugin sees of one request (admission.Attributes).
#[derive(Clone, Debug)]
pub struct AdmissionAttributes {
    pub operation: Operation,
    pub resource: Resource,
    /// "" or "status".
    pub subresource: String,
    pub namespace: String,
    pub name: String,
    /// The object as it would be stored (None for DELETE).
    pub object: Option<Value>,
    /// The stored object (None for CREATE).
    pub old_object: Option<Value>,
    pub user: UserInfo,
    pub dry_run: bool,
}

/// A validating admission plugin's answer: a denial (as the Status the
/// apiserver answers) or an admission with warnings and audit annotations.
#[derive(Clone, Debug, Default)]
pub struct AdmissionVerdict {
    pub denied: Option<ApiError>,
    /// `Warning:` header texts.
    pub warnings: Vec<String>,
    /// Audit records (published auditAnnotations): traced.
    pub audit: Vec<String>,
    /// Every policy decision on the request, each traced with its record.
    pub decisions: Vec<PolicyDecisionRecord>,
}

/// One ValidatingAdmissionPolicy decision on one request, as `trace()` records
/// it (source "admission", field `admission`): which policy and binding matched,
/// what the validation said, what the binding does with a failure, and whose
/// request it was. The playground's policy pane draws these.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyDecisionRecord {
    /// The ValidatingAdmissionPolicy's name.
    pub policy: String,
    /// The binding's name; null for an error in the policy itself (e.g. its
    /// paramKind cannot be resolved), which no binding owns.
    pub binding: Option<String>,
    /// The param object (`namespace/name`), when the policy has params.
    pub param: Option<String>,
    /// The binding's validationActions (Deny, Warn, Audit): what a failed
    /// validation does to the request.
    pub validation_actions: Vec<String>,
    /// "admit", "deny" (the validation is false) or "error" (it could not be evaluated).
    pub evaluation: String,
    /// "Admit" or "Deny": the decision after failurePolicy.
    pub action: String,
    /// The validation's message (its message, messageExpression, or
    /// "failed expression: …"), or the error.
    pub message: String,
    /// The validation's reason for a deny ("Invalid" unless it names one).
    pub reason: String,
    /// The index of the validation in `spec.validations`.
    pub validation: Option<u32>,
    /// Who asked (the request's userInfo).
    pub user: String,
    pub groups: Vec<String>,
    /// CREATE, UPDATE or DELETE.
    pub operation: String,
    /// The resource's API group ("" for the core group).
    pub group: String,
    /// The plural resource, with "/subresource" when there is one.
    pub resource: String,
    pub namespace: String,
    pub name: String,
    /// Whether the request as a whole was refused (by this decision or another).
    pub refused: bool,
}

/// The validating admission seam. The core calls it for every write after the
/// object has been validated; a ValidatingAdmissionPolicy evaluator (a separate
/// crate, so the core and the browser's main module carry no CEL) plugs in here.
pub trait ValidatingAdmission {
    fn validate(&mut self, cluster: &Cluster, attrs: &AdmissionAttributes) -> AdmissionVerdict;

    /// Fills in the defaults of the objects the plugin understands (the policy
    /// kinds), before validation, as the apiserver's defaulting does on decode.
    fn default_object(&self, resource: Resource, object: &mut Value);

    /// The kind's own validation of the objects the plugin understands (the
    /// policy kinds: their CEL must compile), as field errors of a 422.
    fn validate_object(
        &self,
        resource: Resource,
        object: &Value,
        old: Option<&Value>,
    ) -> Vec<FieldError>;
}

impl Cluster {
    /// Installs (or removes) the validating admission plugin.
    pub fn set_validating_admission(&mut self, plugin: Option<Box<dyn ValidatingAdmission>>) {
        self.admission = plugin;
    }

    /// Validating admission for a typed write that passed validation; free when
    /// no plugin is installed (the objects are turned into JSON only for one).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn admit_write<T: Serialize>(
        &mut self,
        operation: Operation,
        resource: Resource,
        subresource: &str,
        opts: &WriteOptions,
        object: Option<&T>,
        old_object: Option<&T>,
        namespace: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        if self.admission.is_none() {
            // Bound policies that nothing evaluates (a restored or imported
            // cluster before setPolicyEvaluator): refuse rather than let the
            // write, a controller's included, pass unjudged.
            let bound = Resource::ValidatingAdmissionPolicyBindings;
            if self.listers().generic(bound).next().is_some() {
                let what = "a write under the cluster's ValidatingAdmissionPolicyBindings";
                return Err(super::generic::no_evaluator(what));
            }
            return Ok(());
        }
        let json = |o: Option<&T>| {
            o.map(serde_json::to_value)
                .transpose()
                .map_err(ApiError::internal)
        };
        let attrs = AdmissionAttributes {
            operation,
            resource,
            subresource: subresource.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            object: json(object)?,
            old_object: json(old_object)?,
            user: opts.user.clone(),
            dry_run: opts.dry_run,
        };
        self.admit(attrs)
    }

    /// Runs validating admission for a write that passed validation. A denial
    /// is returned as the request's error; nothing has been written yet.
    pub(crate) fn admit(&mut self, attrs: AdmissionAttributes) -> Result<(), ApiError> {
        let Some(mut plugin) = self.admission.take() else {
            return Ok(());
        };
        let verdict = plugin.validate(self, &attrs);
        self.admission = Some(plugin);
        for w in verdict.warnings {
            self.warn(w);
        }
        for d in verdict.decisions {
            let message = format!(
                "ValidatingAdmissionPolicy '{}' with binding '{}': {} {} {}",
                d.policy,
                d.binding.as_deref().unwrap_or(""),
                d.action,
                d.evaluation,
                d.message
            );
            let record = serde_json::to_value(&d).ok();
            self.trace_push_record("admission", message, Value::Null, record);
        }
        for a in verdict.audit {
            self.trace_push("admission", a, Value::Null);
        }
        match verdict.denied {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// What the controllers' informers give them: read-only views of the objects
/// and of the indexes kept in step with every write. Controllers read only
/// through this and write only through the request path.
pub struct Listers<'a> {
    cluster: &'a Cluster,
}

impl<'a> Listers<'a> {
    pub fn service_cidr(&self, name: &str) -> Option<&'a ServiceCIDR> {
        self.cluster.store.service_cidrs.get(name)
    }

    pub fn service_cidrs(&self) -> impl Iterator<Item = &'a ServiceCIDR> {
        self.cluster.store.service_cidrs.values()
    }

    pub fn service(&self, namespace: &str, name: &str) -> Option<&'a Service> {
        self.cluster.store.service(namespace, name)
    }

    pub fn services(&self) -> impl Iterator<Item = &'a Service> {
        self.cluster.store.services_iter()
    }

    pub fn ip_address(&self, name: &str) -> Option<&'a IPAddress> {
        self.cluster.store.ip_addresses.get(name)
    }

    pub fn ip_addresses(&self) -> impl Iterator<Item = &'a IPAddress> {
        self.cluster.store.ip_addresses.values()
    }

    /// Objects of a generic kind (admission policies, bindings, ConfigMaps).
    pub fn generic(&self, resource: Resource) -> impl Iterator<Item = &'a Value> {
        self.cluster.store.generic_objects(resource)
    }

    pub fn generic_object(
        &self,
        resource: Resource,
        namespace: &str,
        name: &str,
    ) -> Option<&'a Value> {
        self.cluster.store.generic_object(resource, namespace, name)
    }

    /// The managed IPAddresses of one family, ordered (the ServiceCIDR
    /// controller's IPAddress indexer).
    pub fn managed_ips(&self, family: Family) -> &'a TakenSet {
        self.cluster.managed.set(family)
    }
}

impl Cluster {
    pub fn listers(&self) -> Listers<'_> {
        Listers { cluster: self }
    }
}
