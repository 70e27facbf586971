//! The simulated control plane: the object store, the apiserver's request
//! path (decode, defaulting, allocation, validation, storage) and the clock and
//! work queue that drive the controllers. Every mutation goes through here.

mod apiservers;
mod bootstrap;
pub mod capacity;
mod crud;
mod generic;
pub mod import;
pub mod plan;
pub mod policy_admission;
pub mod queue;
pub mod range_view;
pub mod request;
mod services;
mod snapshot;
mod snapshot_compact;
mod store;
mod trace;
mod views;

pub use apiservers::{ApiserverFlags, ApiserverInstance, ApiserverState, REPAIR_HOOK_FAILURE};
pub use bootstrap::ClusterConfig;
pub use policy_admission::{PolicyAdmission, PolicyEvaluator};
pub use queue::{Task, WorkQueue};
pub use request::{
    AdmissionAttributes, AdmissionVerdict, Operation, PolicyDecisionRecord, Reporter, UserInfo,
    ValidatingAdmission,
};
pub use store::{ListedObject, Listing, Store, WatchEvent, WatchObject, NAMESPACES};
pub use views::{AllocatorInfo, ClusterSnapshot, PendingWork, WatchEvent as WatchEventView};

use crate::allocator::meta::MetaAllocator;
use crate::allocator::taken::TakenIndex;
use crate::clock::{format_rfc3339_micro, Clock};
use crate::model::{ApiError, Event, ObjectReference, Resource};
use crate::net::Family;
use crate::release::Release;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `new Cluster(options)`; every field optional.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct ClusterOptions {
    /// kube-apiserver --service-cluster-ip-range ("v4", "v6", "v4,v6" …); default "10.96.0.0/12".
    #[serde(rename = "serviceClusterIPRange")]
    pub service_cluster_ip_range: Option<String>,
    pub seed: Option<f64>,
    /// RFC 3339 string or epoch milliseconds: starts a manual clock.
    #[cfg_attr(feature = "ts", ts(type = "string | number", optional = nullable))]
    pub now: Option<Value>,
    #[serde(rename = "kubeDNS")]
    pub kube_dns: Option<bool>,
    pub auto_reconcile: Option<bool>,
    /// The Kubernetes release to emulate: "1.33", "1.33.11" (default: the newest modelled).
    pub version: Option<String>,
}

/// One line of `trace()`: why something happened. Never shown as a Kubernetes Event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TraceRecord {
    pub seq: u64,
    pub time: String,
    /// "apiserver", "allocator", "service-cidr-controller", "clock", …
    pub source: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub details: Value,
    /// For source "admission": the ValidatingAdmissionPolicy decision, a
    /// [`PolicyDecisionRecord`] (which policy and binding, what the validation
    /// said, whose request). Held as JSON so that the record's own serde code
    /// stays out of the wasm module (≈ 5 KB gzip for a derived field here);
    /// `PolicyDecisionRecord::from_trace` reads it back typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<PolicyDecisionRecord>", optional))]
    pub admission: Option<Value>,
}

/// How many watch events, trace records and Events are kept. Older watch
/// positions answer 410 Expired, as an etcd-compacted apiserver does.
pub const WATCH_LOG_LIMIT: usize = 20_000;
pub const TRACE_LIMIT: usize = 20_000;
pub const EVENT_LIMIT: usize = 10_000;
/// Pending API warnings kept for a caller that never takes them.
pub const WARNING_LIMIT: usize = 64;
/// Guard against a controller that keeps re-queueing itself for "now".
const MAX_TASKS_PER_DRAIN: usize = 1_000_000;

/// Options of one write, as the apiserver's query parameters carry them.
#[derive(Clone, Debug, Default)]
pub struct WriteOptions {
    pub dry_run: bool,
    /// Who asks (kubernetes-admin unless said otherwise).
    pub user: UserInfo,
    /// The namespace the request is addressed to (kubectl -n); empty = the object's own or default.
    pub namespace: String,
}

/// The namespace and name a write addresses, for its trace record.
struct Target {
    namespace: String,
    name: String,
    subresource: &'static str,
}

impl Target {
    fn of(obj: &Value, r: Resource, opts: &WriteOptions) -> Target {
        Target {
            namespace: if r.info().namespaced {
                request_namespace(obj, opts)
            } else {
                String::new()
            },
            name: meta_str(obj, "name").unwrap_or("").to_string(),
            subresource: "",
        }
    }

    fn status(self) -> Target {
        Target {
            subresource: "status",
            ..self
        }
    }
}

/// A write's answer before it is JSON: a created Service is read from the store,
/// so that the JS API can write its text without building a Value (sorted_json).
pub(crate) enum Answer {
    Value(Value),
    /// The Service stored under (namespace, name).
    Service(String, String),
}

impl Answer {
    /// The answered object's name.
    fn name(&self) -> Option<&str> {
        match self {
            Answer::Value(v) => meta_str(v, "name"),
            Answer::Service(_, name) => Some(name),
        }
    }
}

/// A finished write for its trace record: the answered name, or the error's code.
fn outcome_of(result: &Result<Value, ApiError>) -> Result<Option<&str>, u16> {
    match result {
        Ok(v) => Ok(meta_str(v, "name")),
        Err(e) => Err(e.code),
    }
}

/// What apply did, for kubectl's `created` / `configured` / `unchanged` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created,
    Configured,
    Unchanged,
}

pub struct Cluster {
    pub(crate) config: ClusterConfig,
    /// What differs in the emulated release; derived from `config.version`.
    pub(crate) release: Release,
    store: Store,
    clock: Clock,
    rng: Rng,
    queue: WorkQueue,
    /// One MetaAllocator per family configured by --service-cluster-ip-range.
    allocators: BTreeMap<Family, MetaAllocator>,
    /// Every IPAddress name, per family: what the allocators consider taken.
    taken: TakenIndex,
    /// IPAddresses labelled managed-by=ipallocator.k8s.io with a matching family
    /// label: what the ServiceCIDR controller's canDelete looks at.
    managed: TakenIndex,
    /// A ring: once TRACE_LIMIT is reached every push drops the oldest record, and a
    /// Vec would shift all 20 000 records each time (measured: Service creates cost 2x).
    pub(crate) trace: std::collections::VecDeque<trace::TraceEntry>,
    pub(crate) trace_seq: u64,
    /// The users the ring's request records name (a handful: admin, the apiserver, controllers).
    pub(crate) trace_users: Vec<UserInfo>,
    /// Events already reported "once per process" by the default ServiceCIDR controller.
    pub(crate) reported_once: std::collections::BTreeSet<String>,
    /// Allocator decisions of the request in flight; traced only if it commits.
    pub(crate) trace_buffer: Vec<trace::PendingTrace>,
    /// The validating admission plugin, if any (not part of snapshots: the
    /// policies it enforces are; whoever restores reinstalls the evaluator).
    pub(crate) admission: Option<Box<dyn ValidatingAdmission>>,
    /// API warnings (the `Warning:` headers) of the requests since the last
    /// [`Cluster::take_warnings`], de-duplicated, at most WARNING_LIMIT.
    pub(crate) warnings: Vec<String>,
    /// The kube-apiserver processes: the first serves requests and its flags
    /// are `config`'s; any other runs its own default-ServiceCIDR controller,
    /// `kubernetes` Service reconciler and repair loop (see apiservers.rs).
    pub(crate) apiservers: Vec<ApiserverInstance>,
}

impl Cluster {
    pub fn new(opts: ClusterOptions) -> Result<Cluster, ApiError> {
        bootstrap::new_cluster(opts)
    }

    // ----- the public API (mirrors the JS contract) -----

    pub fn create(&mut self, obj: Value) -> Result<Value, ApiError> {
        self.create_with(obj, &WriteOptions::default())
    }

    pub fn update(&mut self, obj: Value) -> Result<Value, ApiError> {
        self.update_with(obj, &WriteOptions::default())
    }

    pub fn apply(&mut self, obj: Value) -> Result<Value, ApiError> {
        self.apply_with(obj, &WriteOptions::default())
            .map(|(v, _)| v)
    }

    pub fn get(
        &mut self,
        resource: &str,
        name: &str,
        namespace: Option<&str>,
    ) -> Result<Value, ApiError> {
        self.tick();
        let r = lookup_resource(resource)?;
        self.store
            .get_value(r, namespace_or_default(r, namespace), name)
    }

    pub fn list(
        &mut self,
        resource: &str,
        namespace: Option<&str>,
    ) -> Result<Vec<Value>, ApiError> {
        self.tick();
        let r = lookup_resource(resource)?;
        Ok(self.store.list_values(r, namespace))
    }

    /// [`Cluster::list`] as the JSON text of that array (the same bytes), without the
    /// `Value`s: what the JS binding hands to `JSON.parse`.
    pub fn list_json(
        &mut self,
        resource: &str,
        namespace: Option<&str>,
    ) -> Result<String, ApiError> {
        self.tick();
        let r = lookup_resource(resource)?;
        Ok(self.store.list_json(r, namespace))
    }

    /// What [`Cluster::list`] lists, borrowed and typed, with the read's clock and
    /// resourceVersion: for readers that print from the objects (the apiserver's Tables).
    pub fn listing(
        &mut self,
        resource: &str,
        namespace: Option<&str>,
    ) -> Result<Listing<'_>, ApiError> {
        self.tick();
        let r = lookup_resource(resource)?;
        Ok(Listing {
            now_ms: self.now_ms(),
            resource_version: self.resource_version(),
            items: self.store.listed(r, namespace),
        })
    }

    pub fn delete(
        &mut self,
        resource: &str,
        name: &str,
        namespace: Option<&str>,
    ) -> Result<Value, ApiError> {
        self.delete_with(resource, name, namespace, &WriteOptions::default())
    }

    /// Runs the controllers until nothing is due now.
    pub fn reconcile(&mut self) {
        self.clock.tick();
        self.drain_due();
    }

    /// Moves the clock forward, running every task that falls due on the way at its own time.
    pub fn advance(&mut self, seconds: f64) -> Result<(), ApiError> {
        if !seconds.is_finite() || !(0.0..=1e11).contains(&seconds) {
            return Err(ApiError::bad_request(format!(
                "advance: seconds must be a finite number >= 0, got {seconds}"
            )));
        }
        self.clock.tick();
        let target = self
            .clock
            .now_ms()
            .saturating_add((seconds * 1000.0).round() as i64);
        self.trace_push("clock", format!("advance {seconds}s"), Value::Null);
        while let Some(due) = self.queue.next_due() {
            if due > target {
                break;
            }
            self.clock.set_at_least(due);
            self.drain_due();
        }
        self.clock.set_at_least(target);
        self.drain_due();
        Ok(())
    }

    /// Advances through every pending timer until no work is left.
    pub fn settle(&mut self) {
        self.clock.tick();
        let mut guard = 0usize;
        loop {
            self.drain_due();
            // Periodic resyncs that fall due before the last one-shot timer run on the
            // way, in time order; once only periodic work is left, the cluster is settled.
            if !self.queue.has_one_shot_work() || guard >= MAX_TASKS_PER_DRAIN {
                break;
            }
            guard += 1;
            match self.queue.next_due() {
                Some(due) => self.clock.set_at_least(due),
                None => break,
            }
        }
    }

    pub fn events(&self) -> Vec<Event> {
        self.store.events.iter().cloned().collect()
    }

    /// Turns the after-each-call reconcile on or off (a paused control plane
    /// still takes API calls; `reconcile()` then steps the controllers).
    pub fn set_auto_reconcile(&mut self, on: bool) {
        self.config.auto_reconcile = on;
        if on {
            self.drain_due();
        }
    }

    pub fn auto_reconcile(&self) -> bool {
        self.config.auto_reconcile
    }

    pub fn snapshot(&self) -> Value {
        snapshot::snapshot(self)
    }

    /// The compact form of [`Cluster::snapshot`] (snapshot_compact.rs): the same state in
    /// a few dozen bytes per Service once gzipped, without the trace. `restore` takes both.
    pub fn snapshot_compact(&self) -> Value {
        snapshot_compact::snapshot_compact(self)
    }

    pub fn restore(snapshot: Value) -> Result<Cluster, ApiError> {
        snapshot::restore(snapshot)
    }

    /// Watch events after `since` (a resourceVersion), in order.
    pub fn watch(&self, since_resource_version: Option<&str>) -> Result<Vec<Value>, ApiError> {
        let since: u64 = match since_resource_version {
            None | Some("") | Some("0") => 0,
            Some(s) => s
                .parse()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version {s:?}")))?,
        };
        self.store.watch_since(since)
    }

    pub fn trace(&self, since_seq: Option<u64>) -> Vec<TraceRecord> {
        self.trace_tail(since_seq, usize::MAX)
    }

    /// The newest `limit` records after `since_seq`: a reader that fell behind
    /// (a page following a loop of 10 000 creates) skips to the end; the gap in
    /// `seq` says how many it passed over.
    pub fn trace_tail(&self, since_seq: Option<u64>, limit: usize) -> Vec<TraceRecord> {
        self.trace_records(since_seq.unwrap_or(0), limit)
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// The API warnings of the requests since the last call (what kube-apiserver
    /// sends as `Warning:` headers and kubectl prints as `Warning: …`), oldest first.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    pub(crate) fn warn(&mut self, w: String) {
        if self.warnings.contains(&w) {
            return;
        }
        if self.warnings.len() >= WARNING_LIMIT {
            self.warnings.remove(0);
        }
        self.warnings.push(w);
    }

    /// The resource a request's object is, if this release serves its version;
    /// a deprecated version earns the apiserver's deprecation warning.
    fn request_resource(&mut self, obj: &Value) -> Result<Resource, ApiError> {
        let r = resource_of(obj, &self.release)?;
        let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        if let Some((_, version)) = api_version.split_once('/') {
            if let Some(w) = self.release.deprecation_warning(version, r.info().kind) {
                self.warn(w);
            }
        }
        Ok(r)
    }

    /// errors.NewInvalid with field-error values rendered the release's way.
    pub(crate) fn invalid(
        &self,
        kind: &str,
        group: &str,
        name: &str,
        errs: &[crate::model::FieldError],
    ) -> ApiError {
        ApiError::invalid_as(kind, group, name, errs, self.release.value_style)
    }

    /// The release profile this cluster emulates.
    pub fn release(&self) -> &Release {
        &self.release
    }

    /// The emulated release as `1.33.11`.
    pub fn version(&self) -> String {
        self.release.version.to_string()
    }

    pub fn resource_version(&self) -> String {
        self.store.rv.to_string()
    }

    /// Tasks waiting for the clock, earliest first.
    pub fn pending_work(&self) -> Vec<PendingWork> {
        self.queue
            .pending()
            .map(|(d, _, t)| PendingWork {
                due: format_rfc3339_micro(*d),
                due_ms: *d,
                controller: t.controller().to_string(),
                key: t.key().to_string(),
            })
            .collect()
    }

    /// Per-family allocator view for the playground: CIDR, readiness, owning ServiceCIDRs, sizes.
    pub fn allocator_state(&self) -> Vec<AllocatorInfo> {
        let band = |b: Option<(crate::net::Addr, crate::net::Addr)>| {
            b.map(|(lo, hi)| (lo.to_string(), hi.to_string()))
        };
        let mut out = Vec::new();
        for (family, meta) in &self.allocators {
            for info in meta.cidrs() {
                let r = &info.range;
                out.push(AllocatorInfo {
                    family: family.as_str().to_string(),
                    cidr: info.cidr.clone(),
                    host_bits: r.prefix().host_bits(),
                    ready: info.ready,
                    service_cidrs: info.names.clone(),
                    first: r.first().to_string(),
                    last: r.last().to_string(),
                    size: r.size().to_string(),
                    offset: r.offset().to_string(),
                    static_band: band(r.static_band()),
                    dynamic_band: band(r.dynamic_band()),
                    used: r.used(self.taken.set(*family)).to_string(),
                });
            }
        }
        out
    }

    // ----- write paths -----

    pub fn create_with(&mut self, obj: Value, opts: &WriteOptions) -> Result<Value, ApiError> {
        self.tick();
        let result = self.create_inner(obj, opts);
        self.after_call();
        result
    }

    /// [`Cluster::create`] answering the object as JSON text, the same text as
    /// `serde_json::to_string` of `create`'s answer (without building it as a Value).
    pub fn create_text(&mut self, obj: Value) -> Result<String, ApiError> {
        self.tick();
        let result = self
            .create_answer(obj, &WriteOptions::default())
            .and_then(|a| self.answer_text(a));
        self.after_call();
        result
    }

    /// A create as controllers issue it: no clock tick, no reconcile of its own
    /// (the work queue that runs the controller carries on afterwards).
    pub(crate) fn create_inner(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        self.create_answer(obj, opts)
            .and_then(|a| self.answer_value(a))
    }

    fn create_answer(&mut self, obj: Value, opts: &WriteOptions) -> Result<Answer, ApiError> {
        let r = self.request_resource(&obj)?;
        let target = Target::of(&obj, r, opts);
        let result = self.transaction(|c| match r {
            Resource::Services => c.create_service(obj, opts),
            Resource::ServiceCIDRs => c.create_service_cidr(obj, opts).map(Answer::Value),
            Resource::IPAddresses => c.create_ip_address(obj, opts).map(Answer::Value),
            Resource::Events => Err(ApiError::new(
                405,
                "MethodNotAllowed",
                "events are written by controllers only in this simulator",
            )),
            generic => c.create_generic(generic, obj, opts).map(Answer::Value),
        });
        let outcome = match &result {
            Ok(a) => Ok(a.name()),
            Err(e) => Err(e.code),
        };
        self.trace_outcome(opts, "create", r, target, outcome);
        result
    }

    /// The answer as a Value.
    fn answer_value(&self, a: Answer) -> Result<Value, ApiError> {
        match a {
            Answer::Value(v) => Ok(v),
            Answer::Service(ns, name) => match self.store.service(&ns, &name) {
                Some(s) => serde_json::to_value(s).map_err(ApiError::internal),
                None => Err(ApiError::not_found("services", "", &name)),
            },
        }
    }

    /// The answer as JSON text (what `serde_json::to_string` of `answer_value` gives).
    fn answer_text(&self, a: Answer) -> Result<String, ApiError> {
        match a {
            Answer::Value(v) => serde_json::to_string(&v).map_err(ApiError::internal),
            Answer::Service(ns, name) => match self.store.service(&ns, &name) {
                Some(s) => crate::sorted_json::to_string(s).map_err(ApiError::internal),
                None => Err(ApiError::not_found("services", "", &name)),
            },
        }
    }

    pub fn update_with(&mut self, obj: Value, opts: &WriteOptions) -> Result<Value, ApiError> {
        self.tick();
        let result = self.update_inner(obj, opts);
        self.after_call();
        result
    }

    pub(crate) fn update_inner(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let r = self.request_resource(&obj)?;
        let target = Target::of(&obj, r, opts);
        let result = self.transaction(|c| match r {
            Resource::Services => c.update_service(obj, opts),
            Resource::ServiceCIDRs => c.update_service_cidr(obj, opts, false),
            Resource::IPAddresses => c.update_ip_address(obj, opts),
            Resource::Events => Err(ApiError::new(
                405,
                "MethodNotAllowed",
                "events are written by controllers only in this simulator",
            )),
            generic => c.update_generic(generic, obj, opts, false),
        });
        self.trace_outcome(opts, "update", r, target, outcome_of(&result));
        result
    }

    /// PUT on the status subresource (ServiceCIDR only): spec is kept from the stored object.
    pub fn update_status(&mut self, obj: Value) -> Result<Value, ApiError> {
        self.update_status_with(obj, &WriteOptions::default())
    }

    pub fn update_status_with(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        self.tick();
        let result = self.update_status_inner(obj, opts);
        self.after_call();
        result
    }

    pub(crate) fn update_status_inner(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let r = self.request_resource(&obj)?;
        let target = Target::of(&obj, r, opts);
        let result = self.transaction(|c| match r {
            Resource::ServiceCIDRs => c.update_service_cidr(obj, opts, true),
            Resource::ValidatingAdmissionPolicies => c.update_generic(r, obj, opts, true),
            _ => Err(ApiError::not_found(
                r.info().plural,
                r.info().group,
                "status",
            )),
        });
        self.trace_outcome(opts, "update", r, target.status(), outcome_of(&result));
        result
    }

    /// kubectl-style client-side apply: create, or merge the manifest into the live object
    /// (fields dropped since the last apply are removed) and update.
    pub fn apply_with(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<(Value, ApplyOutcome), ApiError> {
        self.tick();
        let r = self.request_resource(&obj)?;
        let info = r.info();
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if name.is_empty() {
            return Err(ApiError::bad_request(
                "error when retrieving current configuration: resource name may not be empty",
            ));
        }
        let ns = if info.namespaced {
            request_namespace(&obj, opts)
        } else {
            String::new()
        };
        let annotated = with_last_applied(&obj);
        let live = self.store.get_value(r, &ns, &name).ok();
        let result = match live {
            None => self
                .create_with(annotated, opts)
                .map(|v| (v, ApplyOutcome::Created)),
            Some(live) => {
                let last = live
                    .pointer(
                        "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration",
                    )
                    .and_then(Value::as_str)
                    .and_then(|s| serde_json::from_str::<Value>(s).ok())
                    .unwrap_or(Value::Null);
                let merged = three_way_merge(&live, &last, &annotated);
                if merged == live {
                    return Ok((live, ApplyOutcome::Unchanged));
                }
                self.update_with(merged, opts)
                    .map(|v| (v, ApplyOutcome::Configured))
            }
        };
        result
    }

    pub fn delete_with(
        &mut self,
        resource: &str,
        name: &str,
        namespace: Option<&str>,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        self.tick();
        let r = lookup_resource(resource)?;
        let ns = namespace_or_default(r, namespace).to_string();
        let result = self.delete_inner(r, &ns, name, opts);
        self.after_call();
        result
    }

    /// A DELETE as controllers issue it (no clock tick, no reconcile of its own).
    pub(crate) fn delete_inner(
        &mut self,
        r: Resource,
        ns: &str,
        name: &str,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let result = self.transaction(|c| c.delete_object(r, ns, name, opts));
        let target = Target {
            namespace: ns.to_string(),
            name: name.to_string(),
            subresource: "",
        };
        self.trace_outcome(opts, "delete", r, target, outcome_of(&result));
        result
    }

    /// Traces a finished write as a request (see `request.rs`); a generated
    /// name is taken from the answer.
    fn trace_outcome(
        &mut self,
        opts: &WriteOptions,
        verb: &'static str,
        r: Resource,
        mut target: Target,
        outcome: Result<Option<&str>, u16>,
    ) {
        let ok_code = if verb == "create" { 201 } else { 200 };
        let code = match outcome {
            Ok(name) => {
                if let Some(n) = name {
                    if n != target.name {
                        target.name = n.to_string();
                    }
                }
                ok_code
            }
            Err(code) => code,
        };
        self.trace_request(
            &opts.user,
            verb,
            r,
            target.subresource,
            &target.namespace,
            &target.name,
            code,
        );
    }

    /// Runs `f`; if it fails, every piece of state it touched is put back, so a
    /// failed call leaves the cluster exactly as it was (PRNG included).
    fn transaction<T>(
        &mut self,
        f: impl FnOnce(&mut Cluster) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let rng = self.rng.clone();
        let mark = self.store.mark();
        let warnings = self.warnings.len();
        let result = f(self);
        if result.is_err() {
            self.rng = rng;
            // Strategy warnings go out only with a request that passed validation.
            self.warnings.truncate(warnings);
            if self.store.changed_since(&mark) {
                // Write paths plan everything before their first write, so a failure
                // after a write is a bug here; say so rather than hide it.
                self.trace_push(
                    "apiserver",
                    "internal: a failed request had already written; state may differ".into(),
                    Value::Null,
                );
            }
        }
        result
    }

    fn after_call(&mut self) {
        if self.config.auto_reconcile {
            self.drain_due();
        }
    }

    fn tick(&mut self) {
        self.clock.tick();
    }

    /// Runs every task due now, in order.
    pub(crate) fn drain_due(&mut self) {
        // Controllers' own requests answer their controllers, not the caller.
        let warnings = self.warnings.len();
        self.drain_due_inner();
        self.warnings.truncate(warnings);
    }

    fn drain_due_inner(&mut self) {
        let mut n = 0usize;
        while let Some(task) = self.queue.pop_due(self.clock.now_ms()) {
            n += 1;
            if n > MAX_TASKS_PER_DRAIN {
                self.trace_push(
                    "workqueue",
                    "stopped draining: too many tasks due at one instant".into(),
                    Value::Null,
                );
                break;
            }
            self.run_task(task);
        }
    }

    fn run_task(&mut self, task: Task) {
        match task {
            Task::ServiceCidr(name) => self.sync_service_cidr(&name),
            Task::DefaultServiceCidr => self.sync_default_service_cidr(),
            Task::KubernetesService => self.sync_kubernetes_service(),
            Task::RepairService(key) => {
                let _ = self.repair_service(&key);
            }
            Task::RepairIPAddress(name) => {
                let _ = self.repair_ip_address(&name);
            }
            Task::ApiserverStart(name) => {
                // A queued start's failure is kept in apiservers() and the trace.
                let _ = self.start_instance(&name);
            }
            Task::PolicyStatus(name) => self.sync_policy_status(&name),
            Task::RepairResync => {
                self.repair_full_pass();
                self.enqueue(Task::RepairResync, bootstrap::REPAIR_INTERVAL_MS);
            }
        }
    }

    pub(crate) fn enqueue(&mut self, task: Task, delay_ms: i64) {
        let due = self.clock.now_ms().saturating_add(delay_ms.max(0));
        self.queue.add(task, due);
    }

    pub(crate) fn trace_push(&mut self, source: &str, message: String, details: Value) {
        self.trace_push_record(source, message, details, None);
    }

    pub(crate) fn trace_push_record(
        &mut self,
        source: &str,
        message: String,
        details: Value,
        admission: Option<Value>,
    ) {
        let source = source.to_string();
        self.trace_push_entry(|seq, time_ms| {
            trace::TraceEntry::Done(TraceRecord {
                seq,
                time: format_rfc3339_micro(time_ms),
                source,
                message,
                details,
                admission,
            })
        });
    }

    /// Records an events.k8s.io/v1 Event the way client-go's new-style recorder does.
    pub(crate) fn record_event(
        &mut self,
        regarding: ObjectReference,
        type_: &str,
        reason: &str,
        action: &str,
        note: String,
        reporter: &Reporter,
    ) {
        let controller = reporter.controller;
        let now = self.clock.now_ms();
        let namespace = if regarding.namespace.is_empty() {
            "default".to_string()
        } else {
            regarding.namespace.clone()
        };
        // client-go names events "<regarding name>.<unix nanos in hex>".
        let nanos = (now as i128).saturating_mul(1_000_000).max(0) as u128;
        let mut name = format!("{}.{:x}", regarding.name, nanos);
        while self
            .store
            .events
            .iter()
            .any(|e| e.metadata.name == name && e.metadata.namespace == namespace)
        {
            name.push('0');
        }
        let mut ev = Event {
            api_version: "events.k8s.io/v1".into(),
            kind: "Event".into(),
            metadata: Default::default(),
            event_time: format_rfc3339_micro(now),
            reporting_controller: controller.into(),
            reporting_instance: format!("{controller}-servicecidr-sim"),
            action: action.into(),
            reason: reason.into(),
            regarding,
            note,
            type_: type_.into(),
        };
        ev.metadata.name = name;
        ev.metadata.namespace = namespace;
        ev.metadata.uid = self.rng.uuid();
        ev.metadata.creation_timestamp = Some(crate::model::Time::from_millis(now));
        self.trace_push(
            controller,
            format!("event {} {}: {}", ev.type_, ev.reason, ev.note),
            json!({"reason": ev.reason, "regarding": ev.regarding.name}),
        );
        let (ns, name) = (ev.metadata.namespace.clone(), ev.metadata.name.clone());
        self.store.add_event(ev);
        // The recorder POSTs the Event under its controller's identity.
        self.trace_request(
            &reporter.user,
            "create",
            Resource::Events,
            "",
            &ns,
            &name,
            201,
        );
    }
}

pub(crate) fn lookup_resource(name: &str) -> Result<Resource, ApiError> {
    Resource::lookup(name).ok_or_else(|| {
        ApiError::new(
            404,
            "NotFound",
            format!("the server doesn't have a resource type {name:?}"),
        )
    })
}

fn namespace_or_default(r: Resource, ns: Option<&str>) -> &str {
    if !r.info().namespaced {
        return "";
    }
    match ns {
        Some(n) if !n.is_empty() => n,
        _ => "default",
    }
}

/// `metadata.<key>` of a JSON object, if it is a string (`pointer` without its path parsing).
pub(crate) fn meta_str<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.get("metadata")?.get(key)?.as_str()
}

/// The namespace a write is addressed to: the request's (-n), else the object's, else default.
pub(crate) fn request_namespace(obj: &Value, opts: &WriteOptions) -> String {
    if !opts.namespace.is_empty() {
        return opts.namespace.clone();
    }
    match meta_str(obj, "namespace") {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => "default".to_string(),
    }
}

/// Which resource a manifest is, from apiVersion + kind, if `release` serves
/// that version. Older docs use networking.k8s.io/v1beta1 (and v1alpha1);
/// where served, those decode to the same objects.
pub(crate) fn resource_of(obj: &Value, release: &Release) -> Result<Resource, ApiError> {
    let Some(map) = obj.as_object() else {
        return Err(ApiError::bad_request(
            "the object must be a JSON object with apiVersion and kind",
        ));
    };
    let api_version = map.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = map.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind.is_empty() {
        return Err(ApiError::bad_request(
            "Object 'Kind' is missing in the object",
        ));
    }
    if api_version.is_empty() {
        return Err(ApiError::bad_request(format!(
            "Object 'apiVersion' is missing in the object of kind {kind:?}"
        )));
    }
    let (group, version) = match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    let r = crate::model::RESOURCES
        .iter()
        .find(|r| r.kind == kind && r.group == group);
    match r {
        Some(info) => {
            let ok = match info.resource {
                Resource::Services => version == "v1",
                Resource::ServiceCIDRs | Resource::IPAddresses => {
                    release.serves_networking(version)
                }
                Resource::Events | Resource::ConfigMaps => version == "v1",
                Resource::ValidatingAdmissionPolicies
                | Resource::ValidatingAdmissionPolicyBindings => {
                    matches!(version, "v1" | "v1beta1")
                }
            };
            if ok {
                Ok(info.resource)
            } else {
                Err(ApiError::new(
                    404,
                    "NotFound",
                    format!("no matches for kind {kind:?} in version {api_version:?}"),
                ))
            }
        }
        None => Err(ApiError::new(
            404,
            "NotFound",
            format!("no matches for kind {kind:?} in version {api_version:?}"),
        )),
    }
}

/// The manifest with kubectl's last-applied-configuration annotation added
/// (compact JSON of the manifest itself, without that annotation).
pub fn with_last_applied(obj: &Value) -> Value {
    // kubectl records the manifest with an annotations map present (empty when the
    // manifest had none), minus the annotation itself.
    let mut clean = obj.clone();
    if let Some(meta) = clean.get_mut("metadata").and_then(Value::as_object_mut) {
        let ann = meta.entry("annotations").or_insert_with(|| json!({}));
        if let Some(a) = ann.as_object_mut() {
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
        }
    }
    let text = serde_json::to_string(&clean).unwrap_or_default() + "\n";
    let mut out = obj.clone();
    if let Some(m) = out.as_object_mut() {
        let meta = m.entry("metadata").or_insert_with(|| json!({}));
        if let Some(meta) = meta.as_object_mut() {
            let ann = meta.entry("annotations").or_insert_with(|| json!({}));
            if let Some(ann) = ann.as_object_mut() {
                ann.insert(
                    "kubectl.kubernetes.io/last-applied-configuration".into(),
                    Value::String(text),
                );
            }
        }
    }
    out
}

/// Client-side apply's three-way merge, with JSON-merge semantics (lists replace):
/// fields in `new` win; fields present in `last` but absent from `new` are removed;
/// everything else in `live` (defaults, allocations, status) is kept.
pub fn three_way_merge(live: &Value, last: &Value, new: &Value) -> Value {
    match (live, new) {
        (Value::Object(l), Value::Object(n)) => {
            let mut out = l.clone();
            if let Value::Object(la) = last {
                for k in la.keys() {
                    if !n.contains_key(k) {
                        out.remove(k);
                    }
                }
            }
            for (k, nv) in n {
                let lv = l.get(k).unwrap_or(&Value::Null);
                let lav = last.get(k).unwrap_or(&Value::Null);
                out.insert(k.clone(), three_way_merge(lv, lav, nv));
            }
            Value::Object(out)
        }
        _ => new.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `create_text` answers the text of `create`'s answer, and changes the
    /// cluster exactly as `create` does (errors, dry-run-free defaults, dual-stack,
    /// NodePorts, generated names, other kinds).
    #[test]
    fn create_text_is_the_text_of_create() {
        let opts = || ClusterOptions {
            seed: Some(3.0),
            now: Some(json!("2024-01-01T00:00:00Z")),
            service_cluster_ip_range: Some("10.96.0.0/16,fd00::/108".into()),
            ..Default::default()
        };
        let (mut a, mut b) = (Cluster::new(opts()).unwrap(), Cluster::new(opts()).unwrap());
        let objs = [
            json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":"default","labels":{"z":"1","a":"2"},"annotations":{"k":"v"}},"spec":{"ports":[{"port":80,"name":"http"},{"port":53,"protocol":"UDP","name":"dns"}],"ipFamilyPolicy":"RequireDualStack","selector":{"app":"a"}}}),
            json!({"apiVersion":"v1","kind":"Service","metadata":{"generateName":"g-","namespace":"kube-system"},"spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","ports":[{"port":80}]}}),
            json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"h","namespace":"default"},"spec":{"clusterIP":"None","ports":[{"port":80}]}}),
            json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"x","namespace":"default"},"spec":{"type":"ExternalName","externalName":"example.com"}}),
            json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":"default"},"spec":{"ports":[{"port":80}]}}),
            json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"bad","namespace":"nope"},"spec":{"ports":[{"port":80}]}}),
            json!({"apiVersion":"networking.k8s.io/v1","kind":"IPAddress","metadata":{"name":"10.96.9.9"},"spec":{"parentRef":{"resource":"services","namespace":"default","name":"h"}}}),
        ];
        for o in objs {
            let want = a
                .create(o.clone())
                .map(|v| serde_json::to_string(&v).unwrap());
            assert_eq!(b.create_text(o), want);
        }
        assert_eq!(a.snapshot(), b.snapshot());
        assert_eq!(a.trace(None), b.trace(None));
    }

    /// The trace is a ring of TRACE_LIMIT records: the oldest go first, and
    /// `trace(since)` still finds the records after `since` once it has wrapped.
    #[test]
    fn trace_keeps_the_newest_records_after_the_limit() {
        let mut c = Cluster::new(ClusterOptions {
            seed: Some(1.0),
            now: Some(json!("2024-01-01T00:00:00Z")),
            ..Default::default()
        })
        .expect("cluster");
        let base = c.trace_seq;
        for i in 0..TRACE_LIMIT + 10 {
            c.trace_push("bench", format!("record {i}"), Value::Null);
        }
        assert_eq!(c.trace.len(), TRACE_LIMIT);
        let last = base + (TRACE_LIMIT + 10) as u64;
        assert_eq!(
            c.trace.front().map(|r| r.seq()),
            Some(last - TRACE_LIMIT as u64 + 1)
        );
        let tail = c.trace(Some(last - 3));
        let seqs: Vec<u64> = tail.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, vec![last - 2, last - 1, last]);
        assert_eq!(tail[2].message, format!("record {}", TRACE_LIMIT + 9));
    }
}
