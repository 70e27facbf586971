//! kube-apiserver as a process: restart it with new flags, or run a second
//! instance beside it (step 6 of the website's "Kubernetes Default Service CIDR
//! Reconfiguration" task).
//!
//! The model is small on purpose. `apiservers[0]` serves every request and
//! its flags are `config`'s (allocator families, Service defaulting). Every
//! running instance runs its own default-ServiceCIDR controller and
//! `kubernetes` Service reconciler with its own flags (the serving one first),
//! and its start-up is what upstream's post-start hooks do: the default
//! ServiceCIDR controller's first sync, the `kubernetes` Service reconciler,
//! then the repair loop's first pass. That pass stops at its first failed
//! write, never signals success, and the hook
//! `start-service-ip-repair-controllers` fails the start after its 60 s window
//! (reference §6; repairip.go RunUntil/runOnce). All instances share one
//! release: mixed-version control planes are not modelled.

use super::bootstrap::parse_service_cluster_ip_range;
use super::{Cluster, Task};
use crate::allocator::meta::MetaAllocator;
use crate::clock::format_rfc3339_micro;
use crate::model::servicecidr::DEFAULT_SERVICE_CIDR_NAME;
use crate::model::ApiError;
use crate::net::Prefix;
use crate::release::Release;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The name of the instance a cluster starts with.
pub const KUBE_APISERVER: &str = "kube-apiserver";

/// What kube-apiserver exits with when the repair loop's first pass has not
/// succeeded within the post-start hook's minute (reference §6).
pub const REPAIR_HOOK_FAILURE: &str = "PostStartHook \"start-service-ip-repair-controllers\" failed: unable to perform initial IP and Port allocation check";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ApiserverState {
    /// Its start-up is queued (an import): it runs at the next reconcile.
    Starting,
    Running,
    /// Its start-up failed; `message` says why. Its controllers do not run.
    Failed,
    Stopped,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApiserverInstance {
    pub name: String,
    /// --service-cluster-ip-range as the instance parsed it (masked, joined by ",").
    #[serde(rename = "serviceClusterIPRange")]
    pub service_cluster_ip_range: String,
    pub version: String,
    pub state: ApiserverState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub message: Option<String>,
    /// When the process was (last) started, RFC 3339.
    pub started: String,
}

/// The flags of `restartApiserver`, `startApiserver` and `planRangeChange`
/// (JS objects; unknown members are refused, as kube-apiserver refuses an
/// unknown flag).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct ApiserverFlags {
    /// The instance's name (`startApiserver` only).
    pub name: Option<String>,
    /// --service-cluster-ip-range, "v4", "v6" or "v4,v6".
    #[serde(rename = "serviceClusterIPRange")]
    #[cfg_attr(feature = "ts", ts(optional = false))]
    pub service_cluster_ip_range: String,
    /// The release the restarted binary is (`restartApiserver` only).
    pub version: Option<String>,
}

impl ApiserverFlags {
    /// `name` and `version` where the call has no use for them are refused,
    /// not ignored.
    fn refuse(&self, call: &str, name: bool, version: bool) -> Result<(), ApiError> {
        let extra = [
            ("name", name && self.name.is_some()),
            ("version", version && self.version.is_some()),
        ];
        match extra.iter().find(|(_, given)| *given) {
            Some((what, _)) => Err(ApiError::bad_request(format!(
                "{call}: {what} is not one of its flags"
            ))),
            None => Ok(()),
        }
    }
}

impl ApiserverInstance {
    fn ranges(&self) -> Vec<Prefix> {
        // Parsed when the instance was started; cannot fail again.
        parse_service_cluster_ip_range(&self.service_cluster_ip_range, false).unwrap_or_default()
    }

    fn runs_controllers(&self) -> bool {
        matches!(
            self.state,
            ApiserverState::Starting | ApiserverState::Running
        )
    }

    /// Prefix of this process's "report once" keys (the first instance keeps
    /// the bare keys older snapshots hold).
    fn once_prefix(&self) -> String {
        if self.name == KUBE_APISERVER {
            String::new()
        } else {
            format!("{}/", self.name)
        }
    }
}

fn join(ranges: &[Prefix]) -> String {
    ranges
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

impl Cluster {
    /// `cluster.restartApiserver(flags)`.
    pub fn restart_apiserver_with(
        &mut self,
        f: &ApiserverFlags,
    ) -> Result<ApiserverInstance, ApiError> {
        f.refuse("restartApiserver", true, false)?;
        self.restart_apiserver(&f.service_cluster_ip_range, f.version.as_deref())
    }

    /// `cluster.startApiserver(flags)`: all instances share the cluster's release.
    pub fn start_apiserver_with(
        &mut self,
        f: &ApiserverFlags,
    ) -> Result<ApiserverInstance, ApiError> {
        f.refuse("startApiserver", false, true)?;
        let name = f
            .name
            .as_deref()
            .ok_or_else(|| ApiError::bad_request("startApiserver: name is required"))?;
        self.start_apiserver(name, &f.service_cluster_ip_range)
    }

    /// `cluster.planRangeChange(flags)`: the plan for new flags of the serving instance.
    pub fn plan_range_change_with(
        &self,
        f: &ApiserverFlags,
    ) -> Result<super::plan::Plan, ApiError> {
        f.refuse("planRangeChange", true, true)?;
        self.plan_range_change(&f.service_cluster_ip_range)
    }

    /// `cluster.apiservers()`: every instance, the serving one first.
    pub fn apiservers(&self) -> Vec<ApiserverInstance> {
        self.apiservers.clone()
    }

    /// The instance `config` describes (used when a cluster is built).
    pub(crate) fn serving_instance(&self, state: ApiserverState) -> ApiserverInstance {
        ApiserverInstance {
            name: KUBE_APISERVER.into(),
            service_cluster_ip_range: self.config.service_cluster_ip_range.clone(),
            version: self.release.version.to_string(),
            state,
            message: None,
            started: format_rfc3339_micro(self.now_ms()),
        }
    }

    /// (report-once key prefix, flag ranges) of every instance whose
    /// controllers run, the serving one first. The serving one's ranges are
    /// `config.ranges`.
    pub(crate) fn running_apiserver_flags(&self) -> Vec<(String, Vec<Prefix>)> {
        if self.apiservers.is_empty() {
            return vec![(String::new(), self.config.ranges.clone())];
        }
        self.apiservers
            .iter()
            .enumerate()
            .filter(|(_, a)| a.runs_controllers())
            .map(|(i, a)| {
                let ranges = if i == 0 {
                    self.config.ranges.clone()
                } else {
                    a.ranges()
                };
                (a.once_prefix(), ranges)
            })
            .collect()
    }

    /// `cluster.restartApiserver({serviceClusterIPRange, version?})`: the
    /// serving kube-apiserver restarts with new flags (and release). Flags the
    /// apiserver refuses (reference §5.2) are an error that changes nothing.
    /// Otherwise the process starts: new allocators for the new families, a
    /// fresh default-ServiceCIDR controller (its once-per-process events can
    /// fire again), the `kubernetes` Service reconciler and the repair loop's
    /// first pass; if that pass fails the start fails with upstream's message
    /// and the instance is left `Failed` (writes it made stay, as in etcd).
    pub fn restart_apiserver(
        &mut self,
        service_cluster_ip_range: &str,
        version: Option<&str>,
    ) -> Result<ApiserverInstance, ApiError> {
        self.clock.tick();
        let release = match version {
            Some(v) => Release::parse(v)?,
            None => self.release.clone(),
        };
        let ranges =
            parse_service_cluster_ip_range(service_cluster_ip_range, release.allocator_dual_write)?;
        let name = self
            .apiservers
            .first()
            .map_or(KUBE_APISERVER.to_string(), |a| a.name.clone());
        self.release = release;
        self.config.version = self.release.version.to_string();
        // The new binary serves what etcd holds in its own preferred version.
        let api_version = self.release.networking_api_version();
        // Past watch events keep the version they were written in.
        self.store.detach_all();
        for sc in self.store.service_cidrs.values_mut() {
            sc.api_version = api_version.clone();
        }
        for ip in self.store.ip_addresses.values_mut() {
            ip.api_version = api_version.clone();
        }
        self.config.ranges = ranges;
        self.config.service_cluster_ip_range = join(&self.config.ranges);
        self.rebuild_allocators();
        let mut inst = self.serving_instance(ApiserverState::Starting);
        inst.name = name;
        if self.apiservers.is_empty() {
            self.apiservers.push(inst);
        } else {
            self.apiservers[0] = inst;
        }
        self.start_and_report(0)
    }

    /// A second (third …) kube-apiserver with its own flags, beside the
    /// serving one, in the cluster's release (step 6: start the new instance,
    /// then stop the old one). A stopped or failed instance of that name is
    /// started again.
    pub fn start_apiserver(
        &mut self,
        name: &str,
        service_cluster_ip_range: &str,
    ) -> Result<ApiserverInstance, ApiError> {
        self.clock.tick();
        let ranges = parse_service_cluster_ip_range(
            service_cluster_ip_range,
            self.release.allocator_dual_write,
        )?;
        let idx = self.apiservers.iter().position(|a| a.name == name);
        if let Some(i) = idx {
            if self.apiservers[i].runs_controllers() {
                return Err(ApiError::new(
                    409,
                    "AlreadyExists",
                    format!("kube-apiserver {name:?} is already running"),
                ));
            }
            if i == 0 {
                return self.restart_apiserver(service_cluster_ip_range, None);
            }
        }
        if name.is_empty() {
            return Err(ApiError::bad_request("an apiserver needs a name"));
        }
        let inst = ApiserverInstance {
            name: name.to_string(),
            service_cluster_ip_range: join(&ranges),
            version: self.release.version.to_string(),
            state: ApiserverState::Starting,
            message: None,
            started: format_rfc3339_micro(self.now_ms()),
        };
        let i = match idx {
            Some(i) => {
                self.apiservers[i] = inst;
                i
            }
            None => {
                self.apiservers.push(inst);
                self.apiservers.len() - 1
            }
        };
        self.start_and_report(i)
    }

    /// Stops an instance. Stopping the serving one hands requests to the next
    /// running instance (its flags become `config`'s); the last running
    /// instance cannot be stopped, since a cluster without an apiserver would
    /// answer nothing in this model.
    pub fn stop_apiserver(&mut self, name: &str) -> Result<Vec<ApiserverInstance>, ApiError> {
        self.clock.tick();
        let i = self
            .apiservers
            .iter()
            .position(|a| a.name == name && a.state != ApiserverState::Stopped)
            .ok_or_else(|| {
                ApiError::new(404, "NotFound", format!("no kube-apiserver {name:?} runs"))
            })?;
        let successor = self
            .apiservers
            .iter()
            .enumerate()
            .position(|(j, a)| j != i && a.state == ApiserverState::Running);
        if i == 0 {
            let Some(j) = successor else {
                return Err(ApiError::bad_request(format!(
                    "kube-apiserver {name:?} is the only running instance; start another first"
                )));
            };
            let next = self.apiservers.remove(j);
            self.config.ranges = next.ranges();
            self.config.service_cluster_ip_range = next.service_cluster_ip_range.clone();
            self.apiservers[0].state = ApiserverState::Stopped;
            self.apiservers.insert(0, next);
            self.rebuild_allocators();
        } else {
            self.apiservers[i].state = ApiserverState::Stopped;
        }
        self.trace_push(
            "kube-apiserver",
            format!("stopped kube-apiserver {name}"),
            Value::Null,
        );
        Ok(self.apiservers())
    }

    fn start_and_report(&mut self, i: usize) -> Result<ApiserverInstance, ApiError> {
        let name = self.apiservers[i].name.clone();
        let result = self.start_instance(&name);
        if self.config.auto_reconcile {
            self.drain_due();
        }
        result.map(|_| self.apiservers[i].clone())
    }

    /// The MetaAllocators of the serving flags' families, each fed every
    /// ServiceCIDR as a fresh informer's initial list would (by name).
    pub(crate) fn rebuild_allocators(&mut self) {
        let mut allocators = BTreeMap::new();
        for f in self.config.families() {
            allocators.insert(f, MetaAllocator::new(f));
        }
        self.allocators = allocators;
        let cidrs: Vec<_> = self.store.service_cidrs.values().cloned().collect();
        for sc in &cidrs {
            self.sync_meta_allocators(sc);
        }
    }

    /// One instance's start-up (reference §5.1, §6, §7). Err = the start failed.
    pub(crate) fn start_instance(&mut self, name: &str) -> Result<(), ApiError> {
        let Some(i) = self.apiservers.iter().position(|a| a.name == name) else {
            return Ok(());
        };
        let ranges = if i == 0 {
            self.config.ranges.clone()
        } else {
            self.apiservers[i].ranges()
        };
        let once = self.apiservers[i].once_prefix();
        // A new process: its once-per-process events may be sent again.
        self.reported_once.retain(|k| {
            if once.is_empty() {
                k.contains('/')
            } else {
                !k.starts_with(once.as_str())
            }
        });
        self.trace_push(
            "kube-apiserver",
            format!(
                "starting kube-apiserver {name} v{} --service-cluster-ip-range={}",
                self.config.version,
                join(&ranges)
            ),
            json!({"instance": name}),
        );
        let flags: Vec<String> = ranges.iter().map(|p| p.to_string()).collect();
        // The default ServiceCIDR controller's Start blocks until its first sync.
        self.sync_default_service_cidr_with(flags, &once);
        // The repair loop waits for the `kubernetes` ServiceCIDR before its first pass.
        let result = if self
            .listers()
            .service_cidr(DEFAULT_SERVICE_CIDR_NAME)
            .is_none()
        {
            Err(ApiError::internal(
                "the default ServiceCIDR \"kubernetes\" does not exist",
            ))
        } else {
            if let Some(primary) = ranges.first() {
                self.sync_kubernetes_service_with(*primary);
            }
            self.repair_pass(true)
        };
        match result {
            Ok(()) => {
                self.apiservers[i].state = ApiserverState::Running;
                self.apiservers[i].message = None;
                self.trace_push(
                    "kube-apiserver",
                    format!("kube-apiserver {name}: the repair loop's first pass succeeded"),
                    Value::Null,
                );
                Ok(())
            }
            Err(e) => {
                self.apiservers[i].state = ApiserverState::Failed;
                self.apiservers[i].message = Some(REPAIR_HOOK_FAILURE.into());
                self.trace_push(
                    "kube-apiserver",
                    format!(
                        "kube-apiserver {name}: first repair pass failed ({}); {REPAIR_HOOK_FAILURE}",
                        e.message
                    ),
                    Value::Null,
                );
                Err(ApiError::new(500, "InternalError", REPAIR_HOOK_FAILURE))
            }
        }
    }

    /// Queues the start-up of every instance (an import's apiserver starts at
    /// the next reconcile, so the imported state can be read first).
    pub(crate) fn queue_apiserver_starts(&mut self) {
        for a in self.apiservers.iter_mut() {
            a.state = ApiserverState::Starting;
        }
        let names: Vec<String> = self.apiservers.iter().map(|a| a.name.clone()).collect();
        for n in names {
            self.enqueue(Task::ApiserverStart(n), 0);
        }
    }
}
