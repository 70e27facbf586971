//! `cluster.planRangeChange({serviceClusterIPRange})`: which category of the
//! website task "Kubernetes Default Service CIDR Reconfiguration" a proposed
//! --service-cluster-ip-range falls in, which Services must be recreated and
//! why, which ServiceCIDRs become unnecessary or are blocked, and the steps —
//! each one a typed action the simulator can run (`run_plan_step`), with the
//! kubectl command a person would type.
//!
//! The `kubernetes` ServiceCIDR is never rewritten by its controller except
//! single→dual (reference §5.1): every other change deletes it, which its
//! finalizer allows only once every IP in it is held by another ready
//! ServiceCIDR or released (§5). The plans below are built around that.

use super::bootstrap::parse_service_cluster_ip_range;
use super::Cluster;
use crate::model::servicecidr::DEFAULT_SERVICE_CIDR_NAME;
use crate::model::ApiError;
use crate::net::{parse_service_ip, Prefix};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PlanCategory {
    /// The flags already say this.
    Unchanged,
    /// Each new range contains the old one: add a ServiceCIDR, no restart.
    Extend,
    /// A secondary family is added, the primary kept.
    SingleToDual,
    /// The secondary family is removed, the primary kept.
    DualToSingle,
    /// Anything else (a different primary; also a different secondary).
    ReplacePrimary,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecreateService {
    pub namespace: String,
    pub name: String,
    #[serde(rename = "clusterIPs")]
    pub cluster_ips: Vec<String>,
    pub reason: String,
    /// It holds an IP of a family the new flags drop: recreated single-stack
    /// in the primary family.
    pub single_stack: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BlockedServiceCidr {
    pub name: String,
    /// IPs that keep it from going away now (the controller's canDelete).
    pub blocking_ips: u64,
}

/// One step: what runs in the simulator, and what a person would type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PlanAction {
    CreateServiceCidr {
        name: String,
        cidrs: Vec<String>,
    },
    DeleteServiceCidr {
        name: String,
    },
    /// Delete and create again without its ClusterIPs (single-stack in the
    /// primary family when its family goes away).
    #[serde(rename_all = "camelCase")]
    RecreateService {
        namespace: String,
        name: String,
        single_stack: bool,
    },
    DeleteService {
        namespace: String,
        name: String,
    },
    #[serde(rename_all = "camelCase")]
    RestartApiserver {
        #[serde(rename = "serviceClusterIPRange")]
        service_cluster_ip_range: String,
    },
    #[serde(rename_all = "camelCase")]
    StartApiserver {
        name: String,
        #[serde(rename = "serviceClusterIPRange")]
        service_cluster_ip_range: String,
    },
    StopApiserver {
        name: String,
    },
    /// Let the controllers run until nothing is pending.
    Settle,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanStep {
    pub description: String,
    /// The command a person would run (kubectl, or the apiserver's flag).
    pub command: String,
    #[serde(flatten)]
    pub action: PlanAction,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Plan {
    pub category: PlanCategory,
    #[serde(rename = "currentServiceClusterIPRange")]
    pub current: String,
    #[serde(rename = "serviceClusterIPRange")]
    pub proposed: String,
    pub recreate: Vec<RecreateService>,
    /// ServiceCIDRs whose every CIDR the new ranges cover.
    pub unnecessary: Vec<String>,
    /// ServiceCIDRs the plan deletes that are blocked by IPs right now.
    pub blocked: Vec<BlockedServiceCidr>,
    pub steps: Vec<PlanStep>,
}

/// The name of the temporary ServiceCIDR a plan creates.
pub const PLAN_TARGET_NAME: &str = "reconfigure-target";

fn join(r: &[Prefix]) -> String {
    r.iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn step(description: &str, command: String, action: PlanAction) -> PlanStep {
    PlanStep {
        description: description.into(),
        command,
        action,
    }
}

fn create_cidr(name: &str, cidrs: &[Prefix], why: &str) -> PlanStep {
    let list: Vec<String> = cidrs.iter().map(|p| p.to_string()).collect();
    step(
        why,
        format!(
            "kubectl create -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: {name}\nspec:\n  cidrs:\n{}EOF",
            list.iter().map(|c| format!("  - {c}\n")).collect::<String>()
        ),
        PlanAction::CreateServiceCidr {
            name: name.into(),
            cidrs: list,
        },
    )
}

fn delete_cidr(name: &str, why: &str) -> PlanStep {
    step(
        why,
        format!("kubectl delete servicecidr {name}"),
        PlanAction::DeleteServiceCidr { name: name.into() },
    )
}

fn settle() -> PlanStep {
    step(
        "Wait for the controllers (finalizers, the default ServiceCIDR controller's 10 s sync)",
        "sleep 10".into(),
        PlanAction::Settle,
    )
}

impl Cluster {
    /// See the module comment. Flags kube-apiserver would refuse are an error.
    pub fn plan_range_change(&self, service_cluster_ip_range: &str) -> Result<Plan, ApiError> {
        let proposed = parse_service_cluster_ip_range(
            service_cluster_ip_range,
            self.release.allocator_dual_write,
        )?;
        let current = self.config.ranges.clone();
        let families_kept = proposed.len() == current.len()
            && proposed
                .iter()
                .zip(&current)
                .all(|(p, c)| p.family() == c.family());
        let category = if proposed == current {
            PlanCategory::Unchanged
        } else if families_kept
            && proposed
                .iter()
                .zip(&current)
                .all(|(p, c)| p.contains_prefix(*c))
        {
            PlanCategory::Extend
        } else if current.len() == 1 && proposed.len() == 2 && proposed[0] == current[0] {
            PlanCategory::SingleToDual
        } else if current.len() == 2 && proposed.len() == 1 && proposed[0] == current[0] {
            PlanCategory::DualToSingle
        } else {
            PlanCategory::ReplacePrimary
        };
        let mut recreate = Vec::new();
        let old_default: Vec<Prefix> = self
            .listers()
            .service_cidr(DEFAULT_SERVICE_CIDR_NAME)
            .map(|sc| sc.prefixes())
            .unwrap_or_default();
        if matches!(
            category,
            PlanCategory::DualToSingle | PlanCategory::ReplacePrimary
        ) {
            for svc in self.listers().services() {
                if svc.metadata.namespace == "default" && svc.metadata.name == "kubernetes" {
                    continue;
                }
                let mut reasons = Vec::new();
                let mut single_stack = false;
                for ip in &svc.spec.cluster_ips {
                    let Some(a) = parse_service_ip(ip) else {
                        continue;
                    };
                    if !proposed.iter().any(|p| p.family() == a.family) {
                        reasons.push(format!("{ip} is {}, a family the new flags drop", a.family));
                        single_stack = true;
                    } else if old_default.iter().any(|p| p.contains_service_ip(a))
                        && !proposed.iter().any(|p| p.contains_service_ip(a))
                    {
                        reasons.push(format!(
                            "{ip} is in the `kubernetes` ServiceCIDR, which must go, and outside {}",
                            join(&proposed)
                        ));
                    }
                }
                if !reasons.is_empty() {
                    recreate.push(RecreateService {
                        namespace: svc.metadata.namespace.clone(),
                        name: svc.metadata.name.clone(),
                        cluster_ips: svc.spec.cluster_ips.clone(),
                        reason: reasons.join("; "),
                        single_stack,
                    });
                }
            }
        }
        let unnecessary = self
            .listers()
            .service_cidrs()
            .filter(|sc| sc.metadata.name != DEFAULT_SERVICE_CIDR_NAME)
            .filter(|sc| {
                let ps = sc.prefixes();
                !ps.is_empty()
                    && ps
                        .iter()
                        .all(|c| proposed.iter().any(|p| p.contains_prefix(*c)))
            })
            .map(|sc| sc.metadata.name.clone())
            .collect();
        let steps = self.plan_steps(category, &current, &proposed, &recreate);
        let mut blocked = Vec::new();
        for s in &steps {
            if let PlanAction::DeleteServiceCidr { name } = &s.action {
                if let Ok(r) = self.blocking_ips_report(name, 0) {
                    if r.total > 0 {
                        blocked.push(BlockedServiceCidr {
                            name: name.clone(),
                            blocking_ips: r.total,
                        });
                    }
                }
            }
        }
        Ok(Plan {
            category,
            current: join(&current),
            proposed: join(&proposed),
            recreate,
            unnecessary,
            blocked,
            steps,
        })
    }

    fn plan_steps(
        &self,
        category: PlanCategory,
        current: &[Prefix],
        proposed: &[Prefix],
        recreate: &[RecreateService],
    ) -> Vec<PlanStep> {
        let flags = join(proposed);
        let restart = || {
            step(
                "Restart kube-apiserver with the new flags",
                format!("kube-apiserver --service-cluster-ip-range={flags}"),
                PlanAction::RestartApiserver {
                    service_cluster_ip_range: flags.clone(),
                },
            )
        };
        let recreate_steps = || {
            recreate.iter().map(|r| {
                step(
                    &format!("Recreate {}/{}: {}", r.namespace, r.name, r.reason),
                    format!(
                        "kubectl get service -n {ns} {n} -o json | jq 'del(.metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .spec.clusterIP, .spec.clusterIPs)' > svc.json && kubectl delete service -n {ns} {n} && kubectl create -f svc.json",
                        ns = r.namespace,
                        n = r.name
                    ),
                    PlanAction::RecreateService {
                        namespace: r.namespace.clone(),
                        name: r.name.clone(),
                        single_stack: r.single_stack,
                    },
                )
            })
        };
        let mut steps = Vec::new();
        match category {
            PlanCategory::Unchanged => {}
            PlanCategory::Extend => {
                let added: Vec<Prefix> = proposed
                    .iter()
                    .filter(|p| !current.contains(p))
                    .copied()
                    .collect();
                steps.push(create_cidr(
                    PLAN_TARGET_NAME,
                    &added,
                    "Add a ServiceCIDR with the larger range; kube-apiserver needs no restart",
                ));
            }
            PlanCategory::SingleToDual => {
                steps.push(restart());
                if !self.release.default_cidr_single_to_dual {
                    // Before 1.33 the controller does not append the secondary.
                    steps.push(create_cidr(
                        PLAN_TARGET_NAME,
                        &proposed[1..],
                        "This release does not upgrade `kubernetes` to dual-stack: add the secondary range as a ServiceCIDR",
                    ));
                }
            }
            PlanCategory::DualToSingle => {
                steps.push(create_cidr(
                    PLAN_TARGET_NAME,
                    &proposed[..1],
                    "Hold the primary range in a second ServiceCIDR so `kubernetes` can be deleted",
                ));
                // Before the restart: an apiserver without the family's
                // allocator does not release its IPs on delete (alloc.go
                // releaseIPs skips an unconfigured family), so they would leak.
                steps.extend(recreate_steps());
                steps.push(restart());
                steps.push(delete_cidr(
                    DEFAULT_SERVICE_CIDR_NAME,
                    "Delete `kubernetes`; its controller recreates it from the new flags once it is gone",
                ));
                steps.push(settle());
                steps.push(delete_cidr(
                    PLAN_TARGET_NAME,
                    "The temporary ServiceCIDR is covered by the new `kubernetes`",
                ));
                steps.push(settle());
            }
            PlanCategory::ReplacePrimary => {
                steps.push(create_cidr(
                    PLAN_TARGET_NAME,
                    proposed,
                    "Step 3: a new ServiceCIDR as the temporary target",
                ));
                steps.push(delete_cidr(
                    DEFAULT_SERVICE_CIDR_NAME,
                    "Step 4: mark `kubernetes` for deletion; it stays terminating and allocates nothing",
                ));
                steps.extend(recreate_steps());
                let old = self
                    .apiservers
                    .first()
                    .map_or("kube-apiserver".to_string(), |a| a.name.clone());
                let new = format!("{old}-new");
                steps.push(step(
                    "Step 6: start kube-apiserver with the new flags",
                    format!("kube-apiserver --service-cluster-ip-range={flags}"),
                    PlanAction::StartApiserver {
                        name: new,
                        service_cluster_ip_range: flags.clone(),
                    },
                ));
                steps.push(step(
                    "Step 6: shut down the old instance",
                    format!("stop {old}"),
                    PlanAction::StopApiserver { name: old },
                ));
                steps.push(step(
                    "Step 7: delete kubernetes.default; the new kube-apiserver recreates it in the new range",
                    "kubectl delete service -n default kubernetes".into(),
                    PlanAction::DeleteService {
                        namespace: "default".into(),
                        name: "kubernetes".into(),
                    },
                ));
                steps.push(settle());
                steps.push(delete_cidr(
                    PLAN_TARGET_NAME,
                    "The temporary ServiceCIDR is covered by the new `kubernetes`",
                ));
                steps.push(settle());
            }
        }
        steps
    }

    /// Runs one plan step in the simulator; answers the changes it made, as
    /// watch events (what a page shows as the step's effect).
    pub fn run_plan_step(&mut self, step: &PlanStep) -> Result<Vec<Value>, ApiError> {
        let before = self.store.rv;
        self.run_plan_action(&step.action)?;
        // A step makes far fewer writes than the watch log keeps; were it
        // trimmed past `before`, the step still ran: no changes to show.
        Ok(self.store.watch_since(before).unwrap_or_default())
    }

    fn run_plan_action(&mut self, action: &PlanAction) -> Result<(), ApiError> {
        match action {
            PlanAction::CreateServiceCidr { name, cidrs } => self
                .create(json!({"apiVersion": self.release.networking_api_version(),
                    "kind": "ServiceCIDR", "metadata": {"name": name}, "spec": {"cidrs": cidrs}}))
                .map(drop),
            PlanAction::DeleteServiceCidr { name } => {
                self.delete("servicecidrs", name, None).map(drop)
            }
            PlanAction::DeleteService { namespace, name } => {
                self.delete("services", name, Some(namespace)).map(drop)
            }
            PlanAction::RecreateService {
                namespace,
                name,
                single_stack,
            } => {
                let mut svc = self.get("services", name, Some(namespace))?;
                if let Some(m) = svc["metadata"].as_object_mut() {
                    for k in ["uid", "resourceVersion", "creationTimestamp"] {
                        m.remove(k);
                    }
                }
                if let Some(s) = svc["spec"].as_object_mut() {
                    s.remove("clusterIP");
                    s.remove("clusterIPs");
                    if *single_stack {
                        let primary = self.config.families().first().map(|f| f.as_str());
                        s.insert("ipFamilyPolicy".into(), json!("SingleStack"));
                        s.insert("ipFamilies".into(), json!([primary]));
                    }
                }
                svc.as_object_mut().map(|o| o.remove("status"));
                // A failed step changes nothing: the create is tried first as a dry
                // run. The name still exists, so a create that would pass answers
                // AlreadyExists (the request path's last check, after allocation and
                // admission); anything else (range full, a policy) stops the step
                // before the delete.
                let dry = super::WriteOptions {
                    dry_run: true,
                    ..Default::default()
                };
                match self.create_with(svc.clone(), &dry) {
                    Err(e) if e.reason != "AlreadyExists" => return Err(e),
                    _ => {}
                }
                self.delete("services", name, Some(namespace))?;
                self.create(svc).map(drop)
            }
            PlanAction::RestartApiserver {
                service_cluster_ip_range,
            } => self
                .restart_apiserver(service_cluster_ip_range, None)
                .map(drop),
            PlanAction::StartApiserver {
                name,
                service_cluster_ip_range,
            } => self
                .start_apiserver(name, service_cluster_ip_range)
                .map(drop),
            PlanAction::StopApiserver { name } => self.stop_apiserver(name).map(drop),
            PlanAction::Settle => {
                self.settle();
                Ok(())
            }
        }
    }
}
