//! What kube-apiserver does to a Service before validating it: core/v1 defaulting
//! (decode time), the registry's clusterIP/clusterIPs normalisation and
//! allocated-value patching, the type-change field wipes, and alloc.go's
//! family/policy initialisation with its allocation-time errors.
//!
//! Upstream order, which callers must keep because later steps read earlier results:
//! - create: [`default_service`] → [`normalize_cluster_ips`]`(svc, None)` →
//!   [`init_ip_family_fields`]`(svc, None, …)` (errors → 422) → allocate IPs →
//!   [`super::validate_service`] (errors → 422 and release what was allocated).
//! - update: [`default_service`] → [`patch_allocated_values`] →
//!   [`normalize_cluster_ips`]`(new, Some(old))` → [`init_ip_family_fields`]
//!   → allocate → [`drop_type_dependent_fields`] (strategy PrepareForUpdate) →
//!   [`super::validate_service_update`].
//!
//! Allocation before full validation is upstream's order too: a Service with a bad
//! name but a taken static IP reports the allocation error.

use super::invalid_list;
use super::service::{
    externally_accessible, health_check_node_port, validate_cluster_ips_related_fields_in,
};
use crate::model::service::{
    Service, CLUSTER_IP_NONE, PREFER_DUAL_STACK, REQUIRE_DUAL_STACK, SERVICE_TYPE_CLUSTER_IP,
    SERVICE_TYPE_EXTERNAL_NAME, SERVICE_TYPE_LOAD_BALANCER, SERVICE_TYPE_NODE_PORT, SINGLE_STACK,
};
use crate::model::status::FieldError;
use crate::net::Family;
use crate::release::Release;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// core/v1 DefaultClientIPServiceAffinitySeconds (3 hours).
pub const DEFAULT_CLIENT_IP_AFFINITY_SECONDS: i64 = 10800;

fn other_family(f: &str) -> &'static str {
    if f == "IPv4" {
        "IPv6"
    } else {
        "IPv4"
    }
}

/// SetDefaults_Service: the defaults every stored Service carries.
pub fn default_service(svc: &mut Service) {
    let spec = &mut svc.spec;
    if spec.session_affinity.is_empty() {
        spec.session_affinity = "None".into();
    }
    if spec.session_affinity == "None" {
        spec.extra.remove("sessionAffinityConfig");
    }
    if spec.session_affinity == "ClientIP" {
        let has_timeout = spec
            .extra
            .get("sessionAffinityConfig")
            .and_then(|c| c.get("clientIP"))
            .and_then(|c| c.get("timeoutSeconds"))
            .is_some_and(|t| !t.is_null());
        if !has_timeout {
            spec.extra.insert(
                "sessionAffinityConfig".into(),
                json!({"clientIP": {"timeoutSeconds": DEFAULT_CLIENT_IP_AFFINITY_SECONDS}}),
            );
        }
    }
    if spec.type_.is_empty() {
        spec.type_ = SERVICE_TYPE_CLUSTER_IP.into();
    }
    for p in &mut spec.ports {
        if p.protocol.is_empty() {
            p.protocol = "TCP".into();
        }
        let unset = match &p.target_port {
            None | Some(Value::Null) => true,
            Some(Value::Number(n)) => n.as_i64() == Some(0),
            Some(Value::String(s)) => s.is_empty(),
            Some(_) => false,
        };
        if unset {
            p.target_port = Some(Value::from(p.port));
        }
    }
    if externally_accessible(svc) && svc.spec.external_traffic_policy.is_empty() {
        svc.spec.external_traffic_policy = "Cluster".into();
    }
    let spec = &mut svc.spec;
    let t = spec.type_.as_str();
    if spec.internal_traffic_policy.is_none()
        && (t == SERVICE_TYPE_NODE_PORT
            || t == SERVICE_TYPE_LOAD_BALANCER
            || t == SERVICE_TYPE_CLUSTER_IP)
    {
        spec.internal_traffic_policy = Some("Cluster".into());
    }
    if t == SERVICE_TYPE_LOAD_BALANCER && spec.allocate_load_balancer_node_ports.is_none() {
        spec.allocate_load_balancer_node_ports = Some(true);
    }
}

fn same_cluster_ips(a: &Service, b: &Service) -> bool {
    a.spec.cluster_ips == b.spec.cluster_ips
}

fn same_ip_families(a: &Service, b: &Service) -> bool {
    a.spec.ip_families == b.spec.ip_families
}

/// normalizeClusterIPs: keep the singular and plural fields in step for clients
/// that only manage one of them.
pub fn normalize_cluster_ips(svc: &mut Service, old: Option<&Service>) {
    let Some(old) = old else {
        // Create: an old-style client that only set clusterIP.
        if !svc.spec.cluster_ip.is_empty() && svc.spec.cluster_ips.is_empty() {
            svc.spec.cluster_ips = vec![svc.spec.cluster_ip.clone()];
        }
        return;
    };
    // An old client patched another field and dropped clusterIPs.
    if !old.spec.cluster_ips.is_empty()
        && svc.spec.cluster_ips.is_empty()
        && old.spec.cluster_ip == svc.spec.cluster_ip
    {
        svc.spec.cluster_ips = old.spec.cluster_ips.clone();
    }
    if old.spec.cluster_ip != svc.spec.cluster_ip {
        if !old.spec.cluster_ip.is_empty()
            && svc.spec.cluster_ip.is_empty()
            && same_cluster_ips(old, svc)
        {
            svc.spec.cluster_ips.clear();
        }
        if same_cluster_ips(old, svc) {
            svc.spec.cluster_ips = vec![svc.spec.cluster_ip.clone()];
        }
    }
}

fn needs_cluster_ip(svc: &Service) -> bool {
    svc.spec.type_ != SERVICE_TYPE_EXTERNAL_NAME
}

fn needs_node_port(svc: &Service) -> bool {
    svc.spec.type_ == SERVICE_TYPE_NODE_PORT || svc.spec.type_ == SERVICE_TYPE_LOAD_BALANCER
}

fn needs_hc_node_port(svc: &Service) -> bool {
    super::service::needs_health_check(svc)
}

fn node_port_set(svc: &Service) -> BTreeSet<i32> {
    svc.spec
        .ports
        .iter()
        .filter_map(|p| p.node_port.filter(|n| *n != 0))
        .collect()
}

/// patchAllocatedValues: an update that leaves out values the server allocated
/// (clusterIP(s), nodePorts, healthCheckNodePort) keeps the stored ones, so PUTs
/// of a hand-written manifest stay idempotent.
pub fn patch_allocated_values(svc: &mut Service, old: &Service) {
    if needs_cluster_ip(old) && needs_cluster_ip(svc) {
        if svc.spec.cluster_ip.is_empty() {
            svc.spec.cluster_ip = old.spec.cluster_ip.clone();
        }
        if svc.spec.cluster_ips.is_empty() && !old.spec.cluster_ips.is_empty() {
            svc.spec.cluster_ips = old.spec.cluster_ips.clone();
        }
    }
    if needs_node_port(old) && needs_node_port(svc) {
        // Ports both versions already name cannot be handed to another port.
        let used: BTreeSet<i32> = node_port_set(old)
            .intersection(&node_port_set(svc))
            .copied()
            .collect();
        let by_name: BTreeMap<&str, i32> = old
            .spec
            .ports
            .iter()
            .map(|p| (p.name.as_str(), p.node_port.unwrap_or(0)))
            .collect();
        for p in &mut svc.spec.ports {
            if p.node_port.unwrap_or(0) == 0 {
                let old_val = by_name.get(p.name.as_str()).copied().unwrap_or(0);
                if old_val != 0 && !used.contains(&old_val) {
                    p.node_port = Some(old_val);
                }
            }
        }
    }
    if needs_hc_node_port(old) && needs_hc_node_port(svc) && health_check_node_port(svc) == 0 {
        if let Some(v) = old.spec.extra.get("healthCheckNodePort") {
            svc.spec
                .extra
                .insert("healthCheckNodePort".into(), v.clone());
        }
    }
}

/// dropTypeDependentFields (strategy PrepareForUpdate): when the type changes, wipe
/// fields the old type needed and the server may have filled in — but only those
/// the user did not also change (a change is left for validation to judge).
pub fn drop_type_dependent_fields(svc: &mut Service, old: &Service) {
    if needs_cluster_ip(old) && !needs_cluster_ip(svc) {
        if same_cluster_ips(old, svc) {
            svc.spec.cluster_ip.clear();
            svc.spec.cluster_ips.clear();
        }
        if same_ip_families(old, svc) {
            svc.spec.ip_families.clear();
        }
        if old.spec.ip_family_policy == svc.spec.ip_family_policy {
            svc.spec.ip_family_policy = None;
        }
    }
    if needs_node_port(old)
        && !needs_node_port(svc)
        && node_port_set(old).is_superset(&node_port_set(svc))
    {
        for p in &mut svc.spec.ports {
            p.node_port = None;
        }
    }
    if needs_hc_node_port(old)
        && !needs_hc_node_port(svc)
        && health_check_node_port(old) == health_check_node_port(svc)
    {
        svc.spec.extra.remove("healthCheckNodePort");
    }
    if old.spec.type_ == SERVICE_TYPE_LOAD_BALANCER && svc.spec.type_ != SERVICE_TYPE_LOAD_BALANCER
    {
        if let (Some(a), Some(b)) = (
            old.spec.allocate_load_balancer_node_ports,
            svc.spec.allocate_load_balancer_node_ports,
        ) {
            if a == b {
                svc.spec.allocate_load_balancer_node_ports = None;
            }
        }
        if old.spec.extra.get("loadBalancerClass") == svc.spec.extra.get("loadBalancerClass") {
            svc.spec.extra.remove("loadBalancerClass");
        }
    }
    if externally_accessible(old)
        && !externally_accessible(svc)
        && old.spec.external_traffic_policy == svc.spec.external_traffic_policy
    {
        svc.spec.external_traffic_policy.clear();
    }
    if svc.spec.type_ != SERVICE_TYPE_LOAD_BALANCER {
        svc.status.load_balancer = Value::Object(Default::default());
    }
}

/// isMatchingPreferDualStackClusterIPFields: an update of a PreferDualStack Service
/// that leaves policy, clusterIPs and families alone is not re-evaluated, so a
/// cluster's change of dual-stackness never silently adds or removes an IP.
fn is_matching_prefer_dual_stack(svc: &Service, old: Option<&Service>) -> bool {
    let Some(old) = old else { return false };
    let Some(policy) = &svc.spec.ip_family_policy else {
        return false;
    };
    let t = svc.spec.type_.as_str();
    old.spec.type_ == svc.spec.type_
        && (t == SERVICE_TYPE_CLUSTER_IP
            || t == SERVICE_TYPE_NODE_PORT
            || t == SERVICE_TYPE_LOAD_BALANCER)
        && policy == PREFER_DUAL_STACK
        && old
            .spec
            .ip_family_policy
            .as_deref()
            .is_none_or(|p| p == PREFER_DUAL_STACK)
        && same_cluster_ips(old, svc)
        && same_ip_families(old, svc)
}

/// netutils familyOf: IPv4-mapped addresses count as IPv4.
fn family_of(ip: &str) -> &'static str {
    match super::ip::sloppy_ip_family(ip) {
        Some(Family::IPv4) => "IPv4",
        Some(Family::IPv6) => "IPv6",
        None => "unknown",
    }
}

/// alloc.go initIPFamilyFields: defaults ipFamilyPolicy and ipFamilies against the
/// cluster's configured families (`cluster_families`, primary first — the
/// families of --service-cluster-ip-range, not of existing ServiceCIDRs) and
/// returns the errors upstream answers 422 with. On error the Service may be
/// partly defaulted; callers discard it.
pub fn init_ip_family_fields(
    svc: &mut Service,
    old: Option<&Service>,
    cluster_families: &[Family],
) -> Vec<FieldError> {
    init_ip_family_fields_in(svc, old, cluster_families, &Release::newest())
}

/// [`init_ip_family_fields`] as release `rel` validates.
pub fn init_ip_family_fields_in(
    svc: &mut Service,
    old: Option<&Service>,
    cluster_families: &[Family],
    rel: &Release,
) -> Vec<FieldError> {
    if svc.spec.type_ == SERVICE_TYPE_EXTERNAL_NAME || is_matching_prefer_dual_stack(svc, old) {
        return Vec::new();
    }
    let configured = |f: &str| cluster_families.iter().any(|c| c.as_str() == f);
    let dual_cluster = cluster_families.len() >= 2;
    let headless_selectorless =
        svc.spec.cluster_ip == CLUSTER_IP_NONE && svc.spec.selector.is_empty();

    // No policy given: adopt the stored one on update (so a PUT that drops the
    // secondary IP but not the policy field still works), else a static default.
    if svc.spec.ip_family_policy.is_none() {
        svc.spec.ip_family_policy = match old.and_then(|o| o.spec.ip_family_policy.clone()) {
            Some(p) => Some(p),
            None if headless_selectorless => Some(REQUIRE_DUAL_STACK.into()),
            None => Some(SINGLE_STACK.into()),
        };
    }
    let policy = svc.spec.ip_family_policy.clone().unwrap_or_default();
    let policy_value = Value::from(policy.as_str());

    let pre = validate_cluster_ips_related_fields_in(svc, old, rel);
    if !pre.is_empty() {
        return pre;
    }

    let mut errs = Vec::new();
    if let Some(old) = old {
        if policy == SINGLE_STACK {
            // Setting SingleStack on an otherwise unchanged Service is clear
            // intent to drop the secondary; clusterIPs[0] is immutable anyway.
            if same_cluster_ips(old, svc) && svc.spec.cluster_ips.len() > 1 {
                svc.spec.cluster_ips.truncate(1);
            }
            if same_ip_families(old, svc) && svc.spec.ip_families.len() > 1 {
                svc.spec.ip_families.truncate(1);
            }
        } else {
            let reduced = |n: usize, o: usize| n != 0 && n < o;
            if reduced(svc.spec.cluster_ips.len(), old.spec.cluster_ips.len()) {
                errs.push(FieldError::invalid(
                    "spec.ipFamilyPolicy",
                    policy_value.clone(),
                    "must be 'SingleStack' to release the secondary cluster IP",
                ));
            }
            if reduced(svc.spec.ip_families.len(), old.spec.ip_families.len()) {
                errs.push(FieldError::invalid(
                    "spec.ipFamilyPolicy",
                    policy_value.clone(),
                    "must be 'SingleStack' to release the secondary IP family",
                ));
            }
        }
    }

    if policy == SINGLE_STACK {
        if svc.spec.cluster_ips.len() == 2 {
            errs.push(FieldError::invalid(
                "spec.ipFamilyPolicy",
                policy_value.clone(),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
            ));
        }
        if svc.spec.ip_families.len() == 2 {
            errs.push(FieldError::invalid(
                "spec.ipFamilyPolicy",
                policy_value.clone(),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
            ));
        }
    }

    // Infer families from given IPs; an IP of an unconfigured family gets a
    // message naming the IP rather than the inferred family.
    let ips = svc.spec.cluster_ips.clone();
    for (i, ip) in ips.iter().enumerate() {
        if ip == CLUSTER_IP_NONE {
            break;
        }
        let fam = family_of(ip);
        if i >= svc.spec.ip_families.len() {
            if configured(fam) {
                svc.spec.ip_families.push(fam.to_string());
            } else {
                errs.push(invalid_list(
                    format!("spec.clusterIPs[{i}]"),
                    &ips,
                    "string",
                    format!("{fam} is not configured on this cluster"),
                ));
            }
        }
    }
    if !errs.is_empty() {
        return errs;
    }

    let default_family = cluster_families.first().map(|f| f.as_str());
    // Headless + selectorless may be dual-stack even on a single-stack cluster.
    if headless_selectorless {
        if svc.spec.ip_families.is_empty() {
            if let Some(d) = default_family {
                svc.spec.ip_families.push(d.to_string());
            }
        }
        if svc.spec.ip_families.len() < 2 && policy != SINGLE_STACK {
            if let Some(first) = svc.spec.ip_families.first() {
                let alt = other_family(first);
                svc.spec.ip_families.push(alt.to_string());
            }
        }
        return Vec::new();
    }

    if policy == REQUIRE_DUAL_STACK && !dual_cluster {
        errs.push(FieldError::invalid(
            "spec.ipFamilyPolicy",
            policy_value.clone(),
            "this cluster is not configured for dual-stack services",
        ));
    }
    for (i, fam) in svc.spec.ip_families.iter().enumerate() {
        if !configured(fam) {
            errs.push(FieldError::invalid(
                format!("spec.ipFamilies[{i}]"),
                fam.as_str(),
                "not configured on this cluster",
            ));
        }
    }
    if !errs.is_empty() {
        return errs;
    }

    if svc.spec.ip_families.is_empty() {
        if let Some(d) = default_family {
            svc.spec.ip_families.push(d.to_string());
        }
    }
    if policy != SINGLE_STACK && svc.spec.ip_families.len() == 1 && cluster_families.len() == 2 {
        if let Some(first) = svc.spec.ip_families.first() {
            let alt = other_family(first);
            svc.spec.ip_families.push(alt.to_string());
        }
    }
    Vec::new()
}
