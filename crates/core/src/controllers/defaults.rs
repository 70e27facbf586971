//! kube-apiserver's own controllers for defaults: the `kubernetes`
//! ServiceCIDR built from --service-cluster-ip-range, and the
//! `default/kubernetes` Service at the first address of the primary range.

use crate::cluster::{Cluster, Reporter, UserInfo};
use crate::model::event::EVENT_TYPE_WARNING;
use crate::model::servicecidr::{CONDITION_READY, DEFAULT_SERVICE_CIDR_NAME};
use crate::model::{Condition, ObjectReference, Resource, ServiceCIDR, Time};
use serde_json::Value;

pub const DEFAULT_CIDR_CONTROLLER: &str = "kubernetes-service-cidr-controller";
/// kube-apiserver's own controller: its events and writes come from its loopback client.
fn reporter() -> Reporter {
    Reporter {
        controller: DEFAULT_CIDR_CONTROLLER,
        user: UserInfo::apiserver(),
    }
}

pub const MESSAGE_DEFAULT_READY: &str = "Kubernetes default Service CIDR is ready";

impl Cluster {
    fn default_cidr_ref(&self) -> ObjectReference {
        let sc = self.listers().service_cidr(DEFAULT_SERVICE_CIDR_NAME);
        ObjectReference {
            kind: "ServiceCIDR".into(),
            name: DEFAULT_SERVICE_CIDR_NAME.into(),
            uid: sc.map(|s| s.metadata.uid.clone()).unwrap_or_default(),
            api_version: Resource::ServiceCIDRs.api_version(),
            resource_version: sc
                .map(|s| s.metadata.resource_version.clone())
                .unwrap_or_default(),
            ..Default::default()
        }
    }

    pub(crate) fn sync_default_service_cidr(&mut self) {
        let flags: Vec<String> = self.config.ranges.iter().map(|p| p.to_string()).collect();
        let Some(existing) = self
            .listers()
            .service_cidr(DEFAULT_SERVICE_CIDR_NAME)
            .cloned()
        else {
            let mut sc = ServiceCIDR {
                api_version: Resource::ServiceCIDRs.api_version(),
                kind: "ServiceCIDR".into(),
                ..Default::default()
            };
            sc.metadata.name = DEFAULT_SERVICE_CIDR_NAME.into();
            sc.spec.cidrs = flags.clone();
            self.trace_push(
                DEFAULT_CIDR_CONTROLLER,
                format!("creating the default ServiceCIDR {flags:?}"),
                Value::Null,
            );
            if let Err(e) = self.client_create(UserInfo::apiserver(), &sc) {
                let r = self.default_cidr_ref();
                self.record_event(
                    r,
                    EVENT_TYPE_WARNING,
                    "KubernetesDefaultServiceCIDRError",
                    "Create",
                    format!("The default ServiceCIDR can not be created: {e}"),
                    &reporter(),
                );
                return;
            }
            self.sync_default_service_cidr_status();
            return;
        };
        // Single → dual upgrade: the flags gained a secondary range and kept the primary.
        if flags.len() == 2 && existing.spec.cidrs.len() == 1 && existing.spec.cidrs[0] == flags[0]
        {
            let mut sc = existing.clone();
            sc.spec.cidrs = flags.clone();
            self.trace_push(
                DEFAULT_CIDR_CONTROLLER,
                format!("Updating default ServiceCIDR from single-stack ({:?}) to dual-stack ({flags:?})", existing.spec.cidrs),
                Value::Null,
            );
            if let Err(e) = self.client_update(UserInfo::apiserver(), &sc) {
                let r = self.default_cidr_ref();
                self.record_event(
                    r,
                    EVENT_TYPE_WARNING,
                    "KubernetesDefaultServiceCIDRError",
                    "Update",
                    format!("The default ServiceCIDR can not be upgraded from {} to dual stack {flags:?} : {e}", flags[0]),
                    &reporter(),
                );
            }
            return;
        }
        self.sync_default_service_cidr_status();
    }

    fn sync_default_service_cidr_status(&mut self) {
        let Some(sc) = self
            .listers()
            .service_cidr(DEFAULT_SERVICE_CIDR_NAME)
            .cloned()
        else {
            return;
        };
        if sc.metadata.deletion_timestamp.is_some() {
            return;
        }
        let flags: Vec<String> = self.config.ranges.iter().map(|p| p.to_string()).collect();
        if sc.spec.cidrs != flags {
            if self.reported_once.insert("inconsistent".into()) {
                let r = self.default_cidr_ref();
                self.record_event(
                    r,
                    EVENT_TYPE_WARNING,
                    "KubernetesDefaultServiceCIDRInconsistent",
                    "KubernetesDefaultServiceCIDRInconsistent",
                    format!("The default ServiceCIDR {:?} does not match the controller flag configurations {flags:?}", sc.spec.cidrs),
                    &reporter(),
                );
            }
            return;
        }
        match sc.ready_condition().map(|c| c.status.clone()) {
            Some(s) if s == "True" => {}
            Some(s) if s == "False" => {
                if self.reported_once.insert("notready".into()) {
                    let c = sc.ready_condition().cloned().unwrap_or_default();
                    let r = self.default_cidr_ref();
                    self.record_event(
                        r,
                        EVENT_TYPE_WARNING,
                        &c.reason,
                        "KubernetesDefaultServiceCIDRNotReady",
                        format!("Configuration matches, but {}", c.message),
                        &reporter(),
                    );
                }
            }
            _ => {
                let mut updated = sc.clone();
                updated
                    .status
                    .conditions
                    .retain(|c| c.type_ != CONDITION_READY);
                updated.status.conditions.push(Condition {
                    type_: CONDITION_READY.into(),
                    status: "True".into(),
                    observed_generation: None,
                    last_transition_time: Time::from_millis(self.now_ms()),
                    reason: String::new(),
                    message: MESSAGE_DEFAULT_READY.into(),
                });
                self.trace_push(
                    DEFAULT_CIDR_CONTROLLER,
                    "default ServiceCIDR: Ready=True".into(),
                    Value::Null,
                );
                if let Err(e) = self.client_update_status(UserInfo::apiserver(), &updated) {
                    self.client_failed(DEFAULT_CIDR_CONTROLLER, "setting Ready=True", &e);
                }
            }
        }
    }

    /// Recreates `default/kubernetes` when it is missing.
    pub(crate) fn sync_kubernetes_service(&mut self) {
        if self.listers().service("default", "kubernetes").is_some() {
            return;
        }
        let Some(svc) = self.kubernetes_service_object() else {
            return;
        };
        self.trace_push(
            "kubernetes-service-controller",
            format!("creating default/kubernetes at {}", svc.spec.cluster_ip),
            Value::Null,
        );
        if let Err(e) = self.client_create(UserInfo::apiserver(), &svc) {
            self.trace_push(
                "kubernetes-service-controller",
                format!("cannot create default/kubernetes: {e}"),
                Value::Null,
            );
        }
    }
}
