//! Turning `ClusterOptions` into a running control plane: kube-apiserver flag
//! validation, then what a fresh kubeadm/kind cluster holds at start-up (the
//! `kubernetes` ServiceCIDR, the `default/kubernetes` Service, kube-dns).

use super::{Cluster, ClusterOptions, Task, WorkQueue};
use crate::allocator::meta::MetaAllocator;
use crate::allocator::taken::TakenIndex;
use crate::clock::{parse_rfc3339_millis, Clock};
use crate::model::{ApiError, Service, ServicePort};
use crate::net::{parse_cidr_sloppy, Addr, Family, Prefix};
use crate::release::Release;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// kubeadm's default --service-cluster-ip-range (the apiserver's own default is 10.0.0.0/24).
pub const DEFAULT_SERVICE_CLUSTER_IP_RANGE: &str = "10.96.0.0/12";
/// The default ServiceCIDR controller's and the kubernetes Service reconciler's period.
pub const DEFAULT_SERVICE_CIDR_SYNC_MS: i64 = 10_000;
pub const KUBERNETES_SERVICE_SYNC_MS: i64 = 10_000;
/// kube-apiserver's IP repair interval (UNVERIFIED in the reference: believed 3 minutes).
pub const REPAIR_INTERVAL_MS: i64 = 180_000;
/// Where kubeadm and kind put kube-dns: the 10th address of the primary range.
pub const KUBE_DNS_OFFSET: u128 = 10;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterConfig {
    /// The flag as given (normalised: masked CIDRs joined by ",").
    pub service_cluster_ip_range: String,
    #[serde(with = "prefixes")]
    pub ranges: Vec<Prefix>,
    pub kube_dns: bool,
    pub auto_reconcile: bool,
    pub started_ms: i64,
    /// Decimal string: JSON numbers cannot carry 64 bits.
    pub seed: String,
    /// The emulated release (`1.33.11`). Snapshots from before release
    /// emulation have none and restore as the newest modelled release.
    #[serde(default = "newest_version")]
    pub version: String,
}

fn newest_version() -> String {
    crate::release::DEFAULT_VERSION.to_string()
}

impl ClusterConfig {
    /// Families configured on this cluster, primary first.
    pub fn families(&self) -> Vec<Family> {
        self.ranges.iter().map(|p| p.family()).collect()
    }
    pub fn primary(&self) -> Option<Prefix> {
        self.ranges.first().copied()
    }
}

mod prefixes {
    use crate::net::{parse_cidr, Prefix};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &[Prefix], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|p| p.to_string()))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Prefix>, D::Error> {
        let v: Vec<String> = Vec::deserialize(d)?;
        v.iter()
            .map(|s| {
                parse_cidr(s)
                    .map(|p| p.masked())
                    .ok_or_else(|| D::Error::custom(format!("bad CIDR {s:?}")))
            })
            .collect()
    }
}

fn flag_error(msg: impl Into<String>) -> ApiError {
    ApiError::bad_request(msg)
}

/// cmd/kube-apiserver options validation's cap on the flag range while the
/// legacy bitmap is written (maxCIDRBits): at most 2^20 addresses.
pub const MAX_CIDR_BITS: u32 = 20;

/// kube-apiserver's checks of --service-cluster-ip-range, with its messages.
/// `dual_write` (the release still writes the legacy bitmap, reference §5.2)
/// caps each range at 2^20 addresses: IPv4 /12, IPv6 /108.
pub fn parse_service_cluster_ip_range(
    flag: &str,
    dual_write: bool,
) -> Result<Vec<Prefix>, ApiError> {
    let entries: Vec<&str> = flag.split(',').map(str::trim).collect();
    if flag.trim().is_empty() {
        return Err(flag_error(
            "--service-cluster-ip-range must contain at least one valid cidr",
        ));
    }
    if entries.len() > 2 {
        return Err(flag_error(
            "--service-cluster-ip-range must not contain more than two entries",
        ));
    }
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        // The flag is read with the sloppy parser and masked (UNVERIFIED exact error text).
        let p = parse_cidr_sloppy(e).ok_or_else(|| {
            flag_error(format!("service-cluster-ip-range[{i}] is not a valid cidr"))
        })?;
        out.push(p.masked());
    }
    if out.len() == 2 && out[0].family() == out[1].family() {
        return Err(flag_error(
            "--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family",
        ));
    }
    for p in &out {
        if dual_write && p.host_bits() > MAX_CIDR_BITS {
            let bits = p.family().bits() as u32;
            // UNVERIFIED exact wording (reference §5.2, PR #90391 discussion).
            return Err(flag_error(format!(
                "specified --service-cluster-ip-range is too large; for {bits}-bit addresses, the mask must be >= {}",
                bits - MAX_CIDR_BITS
            )));
        }
        // ServiceIPRange: min(RangeSize, 65536) < 8 is refused.
        let h = p.host_bits();
        let size: u128 = if h >= 17 { 65536 } else { 1u128 << h };
        if size < 8 {
            return Err(flag_error(
                "the service cluster IP range must be at least 8 IP addresses",
            ));
        }
    }
    Ok(out)
}

fn parse_now(v: &Value) -> Result<i64, ApiError> {
    match v {
        Value::String(s) => parse_rfc3339_millis(s).ok_or_else(|| {
            flag_error(format!(
                "now: {s:?} is not an RFC 3339 time (e.g. 2026-01-02T15:04:05Z)"
            ))
        }),
        Value::Number(n) => n
            .as_f64()
            .filter(|f| f.is_finite() && f.abs() < 8.64e15)
            .map(|f| f as i64)
            .ok_or_else(|| flag_error("now: epoch milliseconds out of range")),
        _ => Err(flag_error(
            "now must be an RFC 3339 string or epoch milliseconds",
        )),
    }
}

fn parse_seed(v: Option<f64>) -> Result<u64, ApiError> {
    match v {
        None => {
            let mut b = [0u8; 8];
            getrandom::fill(&mut b)
                .map_err(|e| ApiError::internal(format!("no entropy for a seed: {e}")))?;
            Ok(u64::from_le_bytes(b) & ((1 << 53) - 1))
        }
        Some(f)
            if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f <= 9_007_199_254_740_991.0 =>
        {
            Ok(f as u64)
        }
        Some(f) => Err(flag_error(format!(
            "seed must be a whole number from 0 to 2^53-1, got {f}"
        ))),
    }
}

pub(crate) fn new_cluster(opts: ClusterOptions) -> Result<Cluster, ApiError> {
    let kube_dns = opts.kube_dns.unwrap_or(true);
    let mut c = blank_cluster(opts)?;
    // kube-apiserver start-up blocks until the default ServiceCIDR exists.
    c.sync_default_service_cidr();
    c.drain_due();
    c.sync_kubernetes_service();
    if kube_dns {
        c.create_kube_dns()?;
    }
    c.enqueue(Task::RepairResync, REPAIR_INTERVAL_MS);
    c.drain_due();
    Ok(c)
}

/// A control plane with validated flags and an empty store (what `new` and
/// an import start from).
pub(crate) fn blank_cluster(opts: ClusterOptions) -> Result<Cluster, ApiError> {
    let flag = opts
        .service_cluster_ip_range
        .as_deref()
        .unwrap_or(DEFAULT_SERVICE_CLUSTER_IP_RANGE);
    let release = match opts.version.as_deref() {
        Some(v) => Release::parse(v)?,
        None => Release::newest(),
    };
    let ranges = parse_service_cluster_ip_range(flag, release.allocator_dual_write)?;
    let seed = parse_seed(opts.seed)?;
    let clock = match &opts.now {
        Some(v) => Clock::manual(parse_now(v)?),
        None => Clock::system(),
    };
    let mut allocators = BTreeMap::new();
    for p in &ranges {
        allocators.insert(p.family(), MetaAllocator::new(p.family()));
    }
    let config = ClusterConfig {
        service_cluster_ip_range: ranges
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(","),
        ranges,
        kube_dns: opts.kube_dns.unwrap_or(true),
        auto_reconcile: opts.auto_reconcile.unwrap_or(true),
        started_ms: clock.now_ms(),
        seed: seed.to_string(),
        version: release.version.to_string(),
    };
    let mut c = Cluster {
        config,
        release,
        store: Default::default(),
        clock,
        rng: Rng::from_seed(seed),
        queue: WorkQueue::default(),
        allocators,
        taken: TakenIndex::default(),
        managed: TakenIndex::default(),
        trace: Default::default(),
        trace_seq: 0,
        trace_users: Vec::new(),
        reported_once: Default::default(),
        trace_buffer: Vec::new(),
        admission: None,
        warnings: Vec::new(),
        apiservers: Vec::new(),
    };
    c.apiservers = vec![c.serving_instance(super::apiservers::ApiserverState::Running)];
    c.trace_push(
        "apiserver",
        format!(
            "kube-apiserver v{} --service-cluster-ip-range={}",
            c.config.version, c.config.service_cluster_ip_range
        ),
        json!({"seed": c.config.seed}),
    );
    Ok(c)
}

/// `network + offset` of a prefix, if that is a usable service address.
pub(crate) fn nth_address(p: Prefix, offset: u128) -> Option<Addr> {
    let v = p.network().checked_add(offset)?;
    let a = Addr::new(p.family(), v);
    p.contains_service_ip(a).then_some(a)
}

impl Cluster {
    /// The `default/kubernetes` Service as kube-apiserver's reconciler writes it.
    pub(crate) fn kubernetes_service_object(&self, primary: Prefix) -> Option<Service> {
        let ip = nth_address(primary, 1)?;
        let mut svc = Service {
            api_version: "v1".into(),
            kind: "Service".into(),
            ..Default::default()
        };
        svc.metadata.name = "kubernetes".into();
        svc.metadata.namespace = "default".into();
        svc.metadata
            .labels
            .insert("component".into(), "apiserver".into());
        svc.metadata
            .labels
            .insert("provider".into(), "kubernetes".into());
        svc.spec.type_ = "ClusterIP".into();
        svc.spec.session_affinity = "None".into();
        svc.spec.ip_family_policy = Some("SingleStack".into());
        svc.spec.ip_families = vec![primary.family().as_str().into()];
        svc.spec.cluster_ip = ip.to_string();
        svc.spec.cluster_ips = vec![ip.to_string()];
        svc.spec.ports = vec![ServicePort {
            name: "https".into(),
            protocol: "TCP".into(),
            port: 443,
            target_port: Some(json!(6443)),
            ..Default::default()
        }];
        Some(svc)
    }

    /// kube-system/kube-dns as kubeadm installs it (CoreDNS behind the legacy name).
    fn create_kube_dns(&mut self) -> Result<(), ApiError> {
        let Some(primary) = self.config.primary() else {
            return Ok(());
        };
        let Some(ip) = nth_address(primary, KUBE_DNS_OFFSET) else {
            self.trace_push(
                "kubeadm",
                format!("no kube-dns: {primary} has no 10th address"),
                Value::Null,
            );
            return Ok(());
        };
        let obj = json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "kube-dns",
                "namespace": "kube-system",
                "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
                "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}
            },
            "spec": {
                "clusterIP": ip.to_string(),
                "ports": [
                    {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                    {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                    {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}
                ],
                "selector": {"k8s-app": "kube-dns"}
            }
        });
        self.trace_push(
            "kubeadm",
            format!("installing kube-system/kube-dns at {ip} (network + {KUBE_DNS_OFFSET})"),
            Value::Null,
        );
        self.create_inner(obj, &Default::default()).map(|_| ())
    }
}
