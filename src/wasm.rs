//! The JS binding (`Cluster` class): converts JS values to core types and back, nothing more.
//!
//! Every conversion goes through `serde_json::Value` so the core never sees a JS type:
//! - JS -> Value: serde-wasm-bindgen drives [`Depth`], which builds the same value
//!   `JSON.parse(JSON.stringify(x))` would (properties that are `undefined` or `null` are
//!   dropped, as a Go apiserver decoding into typed structs would ignore them; non-finite
//!   numbers become null).
//! - Value -> JS: `Serializer::json_compatible()` so maps become plain objects and 64-bit
//!   integers become numbers (never BigInt; an integer above 2^53 is an error, not a
//!   silently rounded value).
//!
//! Every failure is thrown as one kind of JS `Error` (see [`js_error`]).

use crate::cluster::{Cluster as Core, ClusterOptions};
use crate::model::ApiError;
use crate::Kubectl;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use std::fmt;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Any JSON value (what `snapshot()` is made of). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Options of `new Cluster(options)`; every field is optional. */
export interface ClusterOptions {
  /** kube-apiserver --service-cluster-ip-range: "v4", "v6" or "v4,v6" (dual-stack). Default "10.96.0.0/12". */
  serviceClusterIPRange?: string;
  /** Same seed + same calls => same IPs, uids and output. Without one the seed is random. */
  seed?: number;
  /** Start a manual clock at this time (RFC 3339 string or epoch milliseconds); else system time. */
  now?: string | number;
  /** Default true: kube-system/kube-dns holds network+10, as kubeadm and kind clusters do. */
  kubeDNS?: boolean;
  /** Default true: controllers run to quiescence after each call. */
  autoReconcile?: boolean;
  /** The Kubernetes release to emulate, "1.33" or "1.33.11" (1.29 to 1.37); default the newest modelled. */
  version?: string;
}

/** metav1.OwnerReference */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metav1.ObjectMeta (the fields this apiserver keeps). Times are RFC 3339 strings. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** metav1.Condition */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export type IPFamily = "IPv4" | "IPv6";
export type IPFamilyPolicy = "SingleStack" | "PreferDualStack" | "RequireDualStack";

/** core/v1 ServicePort */
export interface ServicePort {
  name?: string;
  protocol?: "TCP" | "UDP" | "SCTP";
  appProtocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

/** core/v1 ServiceSpec */
export interface ServiceSpec {
  ports?: ServicePort[];
  selector?: Record<string, string>;
  clusterIP?: string;
  clusterIPs?: string[];
  type?: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  externalIPs?: string[];
  sessionAffinity?: "None" | "ClientIP";
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  loadBalancerIP?: string;
  loadBalancerSourceRanges?: string[];
  loadBalancerClass?: string;
  externalName?: string;
  externalTrafficPolicy?: "Cluster" | "Local";
  internalTrafficPolicy?: "Cluster" | "Local";
  healthCheckNodePort?: number;
  publishNotReadyAddresses?: boolean;
  ipFamilies?: IPFamily[];
  ipFamilyPolicy?: IPFamilyPolicy;
  allocateLoadBalancerNodePorts?: boolean;
  trafficDistribution?: string;
}

/** core/v1 LoadBalancerIngress */
export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: string;
}

/** core/v1 ServiceStatus */
export interface ServiceStatus {
  loadBalancer?: { ingress?: LoadBalancerIngress[] };
  conditions?: Condition[];
}

/** core/v1 Service */
export interface Service {
  apiVersion?: "v1";
  kind?: "Service";
  metadata: ObjectMeta;
  spec?: ServiceSpec;
  status?: ServiceStatus;
}

/** networking.k8s.io/v1 ServiceCIDR (v1beta1 manifests are accepted too). */
export interface ServiceCIDR {
  apiVersion?: "networking.k8s.io/v1" | "networking.k8s.io/v1beta1";
  kind?: "ServiceCIDR";
  metadata: ObjectMeta;
  spec?: { cidrs?: string[] };
  status?: { conditions?: Condition[] };
}

/** networking.k8s.io/v1 ParentReference */
export interface ParentReference {
  group?: string;
  resource: string;
  namespace?: string;
  name: string;
}

/** networking.k8s.io/v1 IPAddress (v1beta1 manifests are accepted too). */
export interface IPAddress {
  apiVersion?: "networking.k8s.io/v1" | "networking.k8s.io/v1beta1";
  kind?: "IPAddress";
  metadata: ObjectMeta;
  spec?: { parentRef?: ParentReference };
}

/** Any object this apiserver stores; narrow it with `kind`. */
export type KubeObject = Service | ServiceCIDR | IPAddress;

/** core/v1 ObjectReference, as Events name what they are about. */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

/** events.k8s.io/v1 Event */
export interface Event {
  apiVersion: "events.k8s.io/v1";
  kind: "Event";
  metadata: ObjectMeta;
  /** MicroTime: RFC 3339 with six fractional digits. */
  eventTime: string;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  regarding: ObjectReference;
  note: string;
  type: "Normal" | "Warning";
}

/** metav1.StatusCause */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** metav1.StatusDetails */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

/** metav1.Status: the apiserver's answer to a failed request. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  /** StatusReason: "NotFound", "AlreadyExists", "Conflict", "Invalid", "InternalError", "BadRequest" ... */
  reason: string;
  code: number;
  details?: StatusDetails;
}

/** What every Cluster method throws: an `Error` carrying the apiserver's Status. */
export interface ClusterError extends Error {
  /** HTTP status code (404, 409, 422, 500 ...). */
  code: number;
  /** StatusReason ("NotFound", "Invalid", ...). */
  reason: string;
  status: Status;
}

/** One change seen by `watch()`. */
export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: KubeObject;
}

/** One record of `trace()`: why something happened. Further keys carry details. */
export interface TraceRecord {
  seq: number;
  time: string;
  source: string;
  message: string;
  [detail: string]: JsonValue;
}

/** One CIDR the ClusterIP allocator of a family serves (`allocatorState()`). */
export interface AllocatorInfo {
  family: "IPv4" | "IPv6";
  cidr: string;
  /** The CIDR spans 2^hostBits addresses. */
  hostBits: number;
  ready: boolean;
  serviceCIDRs: string[];
  first: string;
  last: string;
  /** Decimal strings: sizes of IPv6 ranges exceed 2^53. */
  size: string;
  offset: string;
  used: string;
  staticBand: [string, string] | null;
  /** null when the range has no dynamic band (e.g. a /31). */
  dynamicBand: [string, string] | null;
}

/** One view of an allocator CIDR (`rangeView()`): cells of 2^cellHostBits addresses. */
export interface RangeView {
  cidr: string;
  family: "IPv4" | "IPv6";
  /** The view as a CIDR. */
  prefix: string;
  /** Decimal offset of the view from the CIDR's network address. */
  start: string;
  hostBits: number;
  /** 0: one address per cell (views of up to 4096 addresses); else 256 buckets. */
  cellHostBits: number;
  cells: RangeCell[];
}

/** One cell of a `RangeView`. */
export interface RangeCell {
  /** The cell's first address. */
  ip: string;
  /** The cell as a CIDR. */
  prefix: string;
  /** Decimal offset from the CIDR's network address (pass it to `rangeView` to zoom in). */
  start: string;
  roles: ("network" | "broadcast" | "static" | "dynamic")[];
  /** IPAddress objects in the cell, and the first (up to three) of their names. */
  taken: number;
  names: string[];
  /** Other ServiceCIDRs overlapping the cell, as "name (cidr)". */
  shared: string[];
}

/** What keeps a ServiceCIDR from being deleted (`blockingIPsReport()`). */
export interface BlockingIPs {
  /** How many IPs block, however many `ips` lists. */
  total: number;
  /** The first blocking IPs (at most the limit asked for), ascending per CIDR. */
  ips: string[];
  /** Per family (IPv4 first), the smallest CIDR whose usable addresses hold every blocking IP. */
  covering: string[];
}

/** Options of `run()`. */
export interface RunOptions {
  /** Settle the clock between top-level commands (default true). */
  settle?: boolean;
}

/** Controller work waiting for the clock (`pendingWork()`). */
export interface PendingWork {
  due: string;
  dueMs: number;
  controller: string;
  key: string;
}

/** What `kubectl()` and `run()` return. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** stdout and stderr interleaved in the order they were written, as a terminal shows them. */
  output: string;
}

/** The JSON-safe state from `snapshot()`; `Cluster.restore()` rebuilds the cluster from it. */
export type ClusterSnapshot = { [key: string]: JsonValue };
"#;

/// Throws the apiserver's answer as a JS `Error`: `message` is the Status message, and
/// `code`, `reason` and the whole `status` ride along as properties, so callers can branch
/// on `err.code === 404` as they would on an HTTP answer.
fn js_error(err: ApiError) -> JsValue {
    let e = js_sys::Error::new(&err.message);
    // Reflect::set on a fresh, unfrozen Error cannot fail; nothing useful to do if it did.
    let _ = js_sys::Reflect::set(&e, &"code".into(), &JsValue::from(f64::from(err.code)));
    let _ = js_sys::Reflect::set(&e, &"reason".into(), &JsValue::from_str(&err.reason));
    let status = to_js(&err.status()).unwrap_or(JsValue::NULL);
    let _ = js_sys::Reflect::set(&e, &"status".into(), &status);
    e.into()
}

fn bad_request(msg: impl Into<String>) -> JsValue {
    js_error(ApiError::bad_request(msg))
}

/// Rust -> JS: plain objects, numbers (no Map, no BigInt).
fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, ApiError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| ApiError::internal(format!("converting the result to JS: {e}")))
}

/// JS -> JSON value, with JSON.stringify's idea of what an object holds.
fn from_js(v: JsValue, what: &str) -> Result<Value, JsValue> {
    Depth(0)
        .deserialize(serde_wasm_bindgen::Deserializer::from(v))
        .map_err(|e| {
            // The error text is a JS error's toString(); drop its redundant "Error: ".
            let text = e.to_string();
            bad_request(format!(
                "{what}: {}",
                text.strip_prefix("Error: ").unwrap_or(&text)
            ))
        })
}

fn to_js_or_throw<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    to_js(v).map_err(js_error)
}

/// Kubernetes objects nest a dozen levels at most. The cap turns a cyclic JS object (or an
/// absurdly deep one) into an error instead of a wasm stack overflow, which would trap.
const MAX_DEPTH: usize = 100;

/// Builds a `serde_json::Value` from a JS value the way JSON.stringify would see it; the
/// number is how deep in the value we are.
struct Depth(usize);

impl<'de> DeserializeSeed<'de> for Depth {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Depth {
    fn deeper<E: de::Error>(&self) -> Result<Depth, E> {
        if self.0 >= MAX_DEPTH {
            Err(E::custom(format!(
                "nested more than {MAX_DEPTH} levels deep (a cyclic object?)"
            )))
        } else {
            Ok(Depth(self.0 + 1))
        }
    }
}

impl<'de> Visitor<'de> for Depth {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // NaN and ±Infinity have no JSON form; JSON.stringify writes null.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self.deeper()?)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(self.deeper()?)?;
            // `{clusterIP: undefined}` means "not given", exactly as after a JSON round trip.
            if !v.is_null() {
                out.insert(k, v);
            }
        }
        Ok(Value::Object(out))
    }
}

/// The `limit` of `blockingIPs`/`blockingIPsReport`: default 256, at most 10^6.
fn blocking_limit(limit: Option<f64>) -> Result<usize, JsValue> {
    match limit {
        None => Ok(256),
        Some(l) if l.is_finite() && l >= 0.0 => Ok(l.min(1e6) as usize),
        Some(l) => Err(js_error(ApiError::bad_request(format!(
            "limit must be a number >= 0, got {l}"
        )))),
    }
}

/// `sinceSeq` arrives as a JS number; only whole, non-negative values make sense.
fn seq_from_js(v: Option<f64>) -> Result<Option<u64>, JsValue> {
    match v {
        None => Ok(None),
        Some(x) if x.is_finite() && x >= 0.0 => Ok(Some(x.floor() as u64)),
        Some(x) => Err(bad_request(format!(
            "sinceSeq must be a non-negative number, got {x}"
        ))),
    }
}

/// A resourceVersion is a string in Kubernetes, but a JS caller may well hold it as a number.
fn resource_version(v: JsValue) -> Result<Option<String>, JsValue> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else if let Some(s) = v.as_string() {
        Ok(Some(s))
    } else if let Some(n) = v.as_f64().filter(|n| n.is_finite() && *n >= 0.0) {
        Ok(Some(format!("{}", n.floor() as u64)))
    } else {
        Err(bad_request(
            "sinceResourceVersion must be a string (a resourceVersion)",
        ))
    }
}

fn options(v: JsValue) -> Result<ClusterOptions, JsValue> {
    let value = from_js(v, "invalid Cluster options")?;
    if value.is_null() {
        return Ok(ClusterOptions::default());
    }
    serde_json::from_value(value).map_err(|e| bad_request(format!("invalid Cluster options: {e}")))
}

/// A simulated Kubernetes control plane (kube-apiserver + kube-controller-manager) for
/// Service IP allocation.
#[wasm_bindgen]
pub struct Cluster {
    inner: Core,
}

#[wasm_bindgen]
impl Cluster {
    /// Starts a cluster: the `kubernetes` ServiceCIDR and Service (and kube-dns) exist at once.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ClusterOptions")] options: Option<JsValue>,
    ) -> Result<Cluster, JsValue> {
        let opts = self::options(options.unwrap_or(JsValue::UNDEFINED))?;
        Core::new(opts)
            .map(|inner| Cluster { inner })
            .map_err(js_error)
    }

    /// Creates an object (Service, ServiceCIDR, IPAddress) and returns it as stored.
    #[wasm_bindgen(unchecked_return_type = "KubeObject")]
    pub fn create(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "KubeObject")] obj: JsValue,
    ) -> Result<JsValue, JsValue> {
        let obj = from_js(obj, "invalid object")?;
        let out = self.inner.create(obj).map_err(js_error)?;
        to_js_or_throw(&out)
    }

    /// Replaces an object (optimistic concurrency on metadata.resourceVersion when given).
    #[wasm_bindgen(unchecked_return_type = "KubeObject")]
    pub fn update(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "KubeObject")] obj: JsValue,
    ) -> Result<JsValue, JsValue> {
        let obj = from_js(obj, "invalid object")?;
        let out = self.inner.update(obj).map_err(js_error)?;
        to_js_or_throw(&out)
    }

    /// Creates or updates, like `kubectl apply`.
    #[wasm_bindgen(unchecked_return_type = "KubeObject")]
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "KubeObject")] obj: JsValue,
    ) -> Result<JsValue, JsValue> {
        let obj = from_js(obj, "invalid object")?;
        let out = self.inner.apply(obj).map_err(js_error)?;
        to_js_or_throw(&out)
    }

    /// `resource` is a kind or a kubectl name (plural, singular, short name).
    #[wasm_bindgen(unchecked_return_type = "KubeObject")]
    pub fn get(
        &mut self,
        resource: &str,
        name: &str,
        namespace: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let out = self
            .inner
            .get(resource, name, namespace.as_deref())
            .map_err(js_error)?;
        to_js_or_throw(&out)
    }

    /// All objects of a resource (in one namespace, or all when none is given), sorted as
    /// kubectl lists them.
    #[wasm_bindgen(unchecked_return_type = "KubeObject[]")]
    pub fn list(&mut self, resource: &str, namespace: Option<String>) -> Result<JsValue, JsValue> {
        let out = self
            .inner
            .list(resource, namespace.as_deref())
            .map_err(js_error)?;
        to_js_or_throw(&out)
    }

    /// Deletes an object; returns it as the delete left it (with deletionTimestamp while
    /// finalizers hold it).
    #[wasm_bindgen(unchecked_return_type = "KubeObject")]
    pub fn delete(
        &mut self,
        resource: &str,
        name: &str,
        namespace: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let out = self
            .inner
            .delete(resource, name, namespace.as_deref())
            .map_err(js_error)?;
        to_js_or_throw(&out)
    }

    /// Runs the controllers until nothing is left to do now (for `autoReconcile: false`).
    pub fn reconcile(&mut self) {
        self.inner.reconcile();
    }

    /// Moves the manual clock forward; timed work that falls due runs.
    pub fn advance(&mut self, seconds: f64) -> Result<(), JsValue> {
        self.inner.advance(seconds).map_err(js_error)
    }

    /// Advances through every pending timer until nothing is due.
    pub fn settle(&mut self) {
        self.inner.settle();
    }

    /// The Kubernetes Events emitted so far.
    #[wasm_bindgen(unchecked_return_type = "Event[]")]
    pub fn events(&self) -> Result<JsValue, JsValue> {
        to_js_or_throw(&self.inner.events())
    }

    /// One kubectl command line, printed exactly as kubectl prints it.
    #[wasm_bindgen(unchecked_return_type = "CommandResult")]
    pub fn kubectl(&mut self, line: &str, stdin: Option<String>) -> Result<JsValue, JsValue> {
        to_js_or_throw(&self.inner.kubectl(line, stdin.as_deref()))
    }

    /// A script in the shell subset docs pages use. Between top-level commands the
    /// clock settles, as if a person paused; `{ settle: false }` turns that off.
    #[wasm_bindgen(unchecked_return_type = "CommandResult")]
    pub fn run(
        &mut self,
        script: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "RunOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let settle = match options {
            None => true,
            Some(o) if o.is_undefined() || o.is_null() => true,
            Some(o) => {
                let v: Value = from_js(o, "invalid run options")?;
                match v.get("settle") {
                    None | Some(Value::Null) => true,
                    Some(Value::Bool(b)) => *b,
                    Some(other) => {
                        return Err(js_error(ApiError::bad_request(format!(
                            "invalid run options: settle must be a boolean, got {other}"
                        ))))
                    }
                }
            }
        };
        to_js_or_throw(&self.inner.run_with(script, settle))
    }

    /// Pauses (false) or resumes (true) the controllers' run after each call.
    #[wasm_bindgen(js_name = setAutoReconcile)]
    pub fn set_auto_reconcile(&mut self, on: bool) {
        self.inner.set_auto_reconcile(on);
    }

    /// Whether controllers run after each call.
    #[wasm_bindgen(getter, js_name = autoReconcile)]
    pub fn auto_reconcile(&self) -> bool {
        self.inner.auto_reconcile()
    }

    /// The emulated Kubernetes release, e.g. "1.33.11".
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.version()
    }

    /// The whole state as JSON-safe data; `Cluster.restore` rebuilds it exactly.
    #[wasm_bindgen(unchecked_return_type = "ClusterSnapshot")]
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js_or_throw(&self.inner.snapshot())
    }

    /// Rebuilds a cluster from `snapshot()` (also after a JSON round trip).
    pub fn restore(
        #[wasm_bindgen(unchecked_param_type = "ClusterSnapshot")] snapshot: JsValue,
    ) -> Result<Cluster, JsValue> {
        let snap = from_js(snapshot, "invalid snapshot")?;
        Core::restore(snap)
            .map(|inner| Cluster { inner })
            .map_err(js_error)
    }

    /// Changes after `sinceResourceVersion` (all retained changes when omitted), in order.
    #[wasm_bindgen(unchecked_return_type = "WatchEvent[]")]
    pub fn watch(
        &self,
        #[wasm_bindgen(js_name = sinceResourceVersion, unchecked_optional_param_type = "string")]
        since_resource_version: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let since = resource_version(since_resource_version.unwrap_or(JsValue::UNDEFINED))?;
        let events = self.inner.watch(since.as_deref()).map_err(js_error)?;
        to_js_or_throw(&events)
    }

    /// Per-family allocator view (CIDR, readiness, owning ServiceCIDRs, bands, usage),
    /// for pages that draw the ranges. Read-only.
    #[wasm_bindgen(js_name = allocatorState, unchecked_return_type = "AllocatorInfo[]")]
    pub fn allocator_state(&self) -> Result<JsValue, JsValue> {
        to_js_or_throw(&self.inner.allocator_state())
    }

    /// The IPs that keep a ServiceCIDR from being deleted, exactly as the
    /// service-cidr-controller decides (empty: it may go). At most `limit` (default 256);
    /// `blockingIPsReport` tells how many there are in all.
    #[wasm_bindgen(js_name = blockingIPs, unchecked_return_type = "string[]")]
    pub fn blocking_ips(&self, name: &str, limit: Option<f64>) -> Result<JsValue, JsValue> {
        let ips = self
            .inner
            .blocking_ips(name, blocking_limit(limit)?)
            .map_err(js_error)?;
        to_js_or_throw(&ips)
    }

    /// `blockingIPs` with the true total and, per family, the smallest CIDR covering
    /// every blocking IP (computed from all of them, not from the `limit` listed).
    #[wasm_bindgen(js_name = blockingIPsReport, unchecked_return_type = "BlockingIPs")]
    pub fn blocking_ips_report(&self, name: &str, limit: Option<f64>) -> Result<JsValue, JsValue> {
        let report = self
            .inner
            .blocking_ips_report(name, blocking_limit(limit)?)
            .map_err(js_error)?;
        to_js_or_throw(&report)
    }

    /// One view of an allocator CIDR for drawing it: the whole CIDR, or the aligned block
    /// of 2^`hostBits` addresses `start` (a decimal offset) after its network address.
    /// Each cell says its address, band, IPAddresses and overlapping ServiceCIDRs. Read-only.
    #[wasm_bindgen(js_name = rangeView, unchecked_return_type = "RangeView")]
    pub fn range_view(
        &self,
        #[wasm_bindgen(js_name = serviceCIDR)] service_cidr: &str,
        cidr: &str,
        start: Option<String>,
        #[wasm_bindgen(js_name = hostBits)] host_bits: Option<u32>,
    ) -> Result<JsValue, JsValue> {
        let view = self
            .inner
            .range_view(service_cidr, cidr, start.as_deref(), host_bits)
            .map_err(js_error)?;
        to_js_or_throw(&view)
    }

    /// Controller work waiting for the clock, earliest first. Read-only.
    #[wasm_bindgen(js_name = pendingWork, unchecked_return_type = "PendingWork[]")]
    pub fn pending_work(&self) -> Result<JsValue, JsValue> {
        to_js_or_throw(&self.inner.pending_work())
    }

    /// The cluster clock, epoch milliseconds.
    pub fn now(&self) -> f64 {
        self.inner.now_ms() as f64
    }

    /// Why things happened: allocator decisions, controller steps, timers (records after
    /// `sinceSeq`, or all when omitted).
    #[wasm_bindgen(unchecked_return_type = "TraceRecord[]")]
    pub fn trace(
        &self,
        #[wasm_bindgen(js_name = sinceSeq)] since_seq: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let since = seq_from_js(since_seq)?;
        to_js_or_throw(&self.inner.trace(since))
    }
}
