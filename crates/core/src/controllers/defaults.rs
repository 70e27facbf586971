//! kube-apiserver's own controllers for defaults: the `kubernetes`
//! ServiceCIDR built from --service-cluster-ip-range, and the
//! `default/kubernetes` Service at the first address of the primary range.

use crate::cluster::{Cluster, Reporter, UserInfo};
use crate::model::event::EVENT_TYPE_WARNING;
use crate::model::servicecidr::{CONDITION_READY, DEFAULT_SERVICE_CIDR_NAME};
use crate::model::{Condition, ObjectReference, ServiceCIDR, Time};
use crate::release::DefaultCidrReadiness;
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
            api_version: self.release.networking_api_version(),
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
                // The release's preferred version: v1 is not served before 1.33.
                api_version: self.release.networking_api_version(),
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
        if self.release.default_cidr_single_to_dual
            && flags.len() == 2
            && existing.spec.cidrs.len() == 1
            && existing.spec.cidrs[0] == flags[0]
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
        let readiness = self.release.default_cidr_readiness;
        if readiness == DefaultCidrReadiness::CopyConditionEverySync {
            self.sync_default_service_cidr_status_legacy(&sc, &flags);
            return;
        }
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
                    // 1.33's intermediate controller (PR #131263) sends the
                    // condition's message as is; PR #131469 (1.34) prefixes it.
                    let note = match readiness {
                        DefaultCidrReadiness::OncePrefixed => {
                            format!("Configuration matches, but {}", c.message)
                        }
                        _ => c.message.clone(),
                    };
                    let r = self.default_cidr_ref();
                    self.record_event(
                        r,
                        EVENT_TYPE_WARNING,
                        &c.reason,
                        "KubernetesDefaultServiceCIDRNotReady",
                        note,
                        &reporter(),
                    );
                }
            }
            _ => self.set_default_service_cidr_ready(&sc),
        }
    }

    /// 1.29–1.32 (reference §5.1): a Ready condition that is not True (False or
    /// Unknown) earns a Warning copying its reason and message at every sync;
    /// Ready=True is written only when there is no condition and the spec
    /// matches the flags; a mismatch is only logged (no event).
    fn sync_default_service_cidr_status_legacy(&mut self, sc: &ServiceCIDR, flags: &[String]) {
        match sc.ready_condition().cloned() {
            Some(c) if c.status == "True" => {}
            Some(c) => {
                self.trace_push(
                    DEFAULT_CIDR_CONTROLLER,
                    format!(
                        "default ServiceCIDR condition Ready is not True: {}",
                        c.status
                    ),
                    Value::Null,
                );
                let r = self.default_cidr_ref();
                self.record_event(
                    r,
                    EVENT_TYPE_WARNING,
                    &c.reason,
                    "KubernetesDefaultServiceCIDRNotReady",
                    c.message,
                    &reporter(),
                );
            }
            None if sc.spec.cidrs == flags => self.set_default_service_cidr_ready(sc),
            None => self.trace_push(
                DEFAULT_CIDR_CONTROLLER,
                format!(
                    "default ServiceCIDR {:?} does not match the flags {flags:?}",
                    sc.spec.cidrs
                ),
                Value::Null,
            ),
        }
    }

    fn set_default_service_cidr_ready(&mut self, sc: &ServiceCIDR) {
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

#[cfg(test)]
mod tests {
    use crate::cluster::{Cluster, ClusterOptions};
    use crate::net::parse_cidr;
    use serde_json::{json, Value};

    fn cluster(version: &str) -> Cluster {
        Cluster::new(ClusterOptions {
            service_cluster_ip_range: Some("10.96.0.0/28".into()),
            seed: Some(1.0),
            now: Some(json!("2026-01-01T00:00:00Z")),
            version: Some(version.into()),
            ..Default::default()
        })
        .expect("cluster")
    }

    /// PR #131263 (1.33): when the flags gain a secondary range and keep the
    /// primary, the controller appends it to `kubernetes`; 1.29–1.32 leave the
    /// object alone.
    #[test]
    fn single_to_dual_upgrade_per_release() {
        for (v, upgraded) in [
            ("1.29", false),
            ("1.32", false),
            ("1.33", true),
            ("1.37", true),
        ] {
            let mut c = cluster(v);
            c.config.ranges = vec![
                parse_cidr("10.96.0.0/28").unwrap(),
                parse_cidr("fd00::/120").unwrap(),
            ];
            c.sync_default_service_cidr();
            let cidrs = c
                .listers()
                .service_cidr("kubernetes")
                .map(|sc| sc.spec.cidrs.clone())
                .unwrap_or_default();
            let want: &[&str] = if upgraded {
                &["10.96.0.0/28", "fd00::/120"]
            } else {
                &["10.96.0.0/28"]
            };
            assert_eq!(cidrs, want, "{v}");
        }
    }

    /// Ready=False on `kubernetes`, with kube-controller-manager paused (it
    /// would set Ready=True again at once).
    fn set_ready_false(c: &mut Cluster) {
        c.set_auto_reconcile(false);
        let mut sc = c.get("servicecidr", "kubernetes", None).unwrap();
        sc["status"]["conditions"] = json!([{"type": "Ready", "status": "False",
            "lastTransitionTime": "2026-01-01T00:00:00Z", "reason": "Broken", "message": "it broke"}]);
        c.update_status(sc).unwrap();
    }

    fn notes(c: &Cluster) -> Vec<(String, String)> {
        c.events()
            .iter()
            .filter(|e| e.reporting_controller == super::DEFAULT_CIDR_CONTROLLER)
            .map(|e| (e.reason.clone(), e.note.clone()))
            .collect()
    }

    /// Reference §5.1: a `kubernetes` ServiceCIDR with Ready=False earns a
    /// Warning copying the condition's reason. 1.29–1.32 send the condition's
    /// message at every sync; 1.33 (PR #131263) once; 1.34+ (PR #131469) once,
    /// prefixed "Configuration matches, but ".
    #[test]
    fn not_ready_event_per_release() {
        let broke = |n: &str| ("Broken".to_string(), n.to_string());
        let cases: &[(&str, Vec<(String, String)>)] = &[
            ("1.32", vec![broke("it broke"), broke("it broke")]),
            ("1.33", vec![broke("it broke")]),
            ("1.34", vec![broke("Configuration matches, but it broke")]),
        ];
        for (v, want) in cases {
            let mut c = cluster(v);
            set_ready_false(&mut c);
            c.sync_default_service_cidr();
            c.sync_default_service_cidr();
            assert_eq!(&notes(&c), want, "{v}");
            let cond = c.get("servicecidr", "kubernetes", None).unwrap()["status"]["conditions"][0]
                .clone();
            assert_eq!(cond["status"], Value::from("False"), "{v}: left as it is");
        }
    }
}
