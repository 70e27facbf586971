//! core/v1 Service validation (pkg/apis/core/validation ValidateService,
//! ValidateServiceClusterIPsRelatedFields, ValidateServiceUpdate and the
//! upgrade/downgrade helpers), in upstream's order of checks.
//!
//! These run on the object as the apiserver sees it at validation time: defaults
//! applied ([`super::default_service`]), clusterIP/clusterIPs normalised, families
//! initialised and IPs allocated. Validation itself knows nothing about the
//! cluster's configured families.

use super::invalid_list;
use super::ip::{
    cidr_warnings, ip_warnings, is_dual_stack, is_valid_cidr_for_legacy_field,
    is_valid_cidr_legacy, is_valid_ip_for_legacy_field, sloppy_ip_family,
};
use super::meta::{validate_labels, validate_object_meta, validate_object_meta_update};
use super::names::{
    is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_qualified_name,
    is_valid_port_name, is_valid_port_num,
};
use crate::model::service::{
    Service, ServicePort, CLUSTER_IP_NONE, PREFER_DUAL_STACK, REQUIRE_DUAL_STACK,
    SERVICE_TYPE_CLUSTER_IP, SERVICE_TYPE_EXTERNAL_NAME, SERVICE_TYPE_LOAD_BALANCER,
    SERVICE_TYPE_NODE_PORT, SINGLE_STACK,
};
use crate::model::status::FieldError;
use crate::net::{parse_ip_sloppy, Family};
use crate::release::Release;
use serde_json::Value;
use std::collections::BTreeSet;

/// Supported values, in the sorted order `sets.List` gives upstream's messages.
pub const SUPPORTED_SERVICE_TYPES: &[&str] = &[
    SERVICE_TYPE_CLUSTER_IP,
    SERVICE_TYPE_EXTERNAL_NAME,
    SERVICE_TYPE_LOAD_BALANCER,
    SERVICE_TYPE_NODE_PORT,
];
pub const SUPPORTED_IP_FAMILIES: &[&str] = &["IPv4", "IPv6"];
pub const SUPPORTED_IP_FAMILY_POLICIES: &[&str] =
    &[PREFER_DUAL_STACK, REQUIRE_DUAL_STACK, SINGLE_STACK];
pub const SUPPORTED_SESSION_AFFINITIES: &[&str] = &["ClientIP", "None"];
pub const SUPPORTED_PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];
pub const SUPPORTED_TRAFFIC_POLICIES: &[&str] = &["Cluster", "Local"];
/// trafficDistribution values accepted with 1.34 default gates. UNVERIFIED which
/// of the PreferSame* values a given release lists; change it here.
pub const SUPPORTED_TRAFFIC_DISTRIBUTIONS: &[&str] =
    &["PreferClose", "PreferSameZone", "PreferSameNode"];
/// core.MaxClientIPServiceAffinitySeconds
pub const MAX_CLIENT_IP_AFFINITY_SECONDS: i64 = 86400;

const ANNOTATION_TOPOLOGY_MODE: &str = "service.kubernetes.io/topology-mode";
const ANNOTATION_TOPOLOGY_HINTS: &str = "service.kubernetes.io/topology-aware-hints";
const ANNOTATION_LB_SOURCE_RANGES: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";
const MSG_ONLY_LOAD_BALANCER: &str = "may only be used when `type` is 'LoadBalancer'";
const MSG_NOT_FOR_EXTERNAL_NAME: &str = "may not be set for ExternalName services";
const MSG_MAY_NOT_CHANGE: &str = "may not change once set";

/// upstream isHeadlessService: exactly `clusterIPs: ["None"]`.
pub(crate) fn is_headless(svc: &Service) -> bool {
    svc.spec.cluster_ips.len() == 1
        && svc.spec.cluster_ips.first().map(String::as_str) == Some(CLUSTER_IP_NONE)
}

fn policy_value(p: &Option<String>) -> Value {
    p.as_deref().map(Value::from).unwrap_or(Value::Null)
}

fn extra<'a>(svc: &'a Service, key: &str) -> Option<&'a Value> {
    svc.spec.extra.get(key).filter(|v| !v.is_null())
}

/// apiservice.ExternallyAccessible
pub(crate) fn externally_accessible(svc: &Service) -> bool {
    let t = svc.spec.type_.as_str();
    t == SERVICE_TYPE_LOAD_BALANCER
        || t == SERVICE_TYPE_NODE_PORT
        || (t == SERVICE_TYPE_CLUSTER_IP && !svc.spec.external_ips.is_empty())
}

/// apiservice.NeedsHealthCheck
pub(crate) fn needs_health_check(svc: &Service) -> bool {
    svc.spec.type_ == SERVICE_TYPE_LOAD_BALANCER && svc.spec.external_traffic_policy == "Local"
}

pub(crate) fn health_check_node_port(svc: &Service) -> i64 {
    extra(svc, "healthCheckNodePort")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

fn load_balancer_class(svc: &Service) -> Option<Value> {
    extra(svc, "loadBalancerClass").cloned()
}

/// ValidateService: what a create answers with (ValidateServiceCreate).
///
/// `_cluster_families` is not consulted: upstream's static validation has no idea
/// how the cluster is configured; the family checks that depend on it live in
/// [`super::init_ip_family_fields`].
pub fn validate_service(svc: &Service, _cluster_families: &[Family]) -> Vec<FieldError> {
    validate_service_in(svc, &Release::newest())
}

/// [`validate_service`] as release `rel` validates.
pub fn validate_service_in(svc: &Service, rel: &Release) -> Vec<FieldError> {
    service_rules(svc, None, rel)
}

/// The values a legacy IP/CIDR field of the old object held: with strict
/// validation these still pass on update (KEP-4858 ratcheting).
fn old_values<'a>(old: Option<&'a Service>, f: impl Fn(&'a Service) -> Vec<String>) -> Vec<String> {
    old.map(f).unwrap_or_default()
}

fn source_ranges(svc: &Service) -> Vec<String> {
    extra(svc, "loadBalancerSourceRanges")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|r| r.as_str().unwrap_or("").trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn service_rules(svc: &Service, old: Option<&Service>, rel: &Release) -> Vec<FieldError> {
    let spec = &svc.spec;
    let mut errs = validate_object_meta(&svc.metadata, true, is_dns1035_label);

    let ann = &svc.metadata.annotations;
    if let (Some(mode), Some(hints)) = (
        ann.get(ANNOTATION_TOPOLOGY_MODE),
        ann.get(ANNOTATION_TOPOLOGY_HINTS),
    ) {
        if mode != hints {
            errs.push(FieldError::invalid(
                format!("metadata.annotations[{ANNOTATION_TOPOLOGY_MODE}]"),
                mode.as_str(),
                format!(
                    "must match annotations[{ANNOTATION_TOPOLOGY_HINTS}] when both are specified"
                ),
            ));
        }
    }

    let headless = is_headless(svc);
    if spec.ports.is_empty() && !headless && spec.type_ != SERVICE_TYPE_EXTERNAL_NAME {
        errs.push(FieldError::required("spec.ports", ""));
    }
    match spec.type_.as_str() {
        SERVICE_TYPE_LOAD_BALANCER | SERVICE_TYPE_NODE_PORT if headless => {
            errs.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                CLUSTER_IP_NONE,
                format!("may not be set to 'None' for {} services", spec.type_),
            ));
        }
        SERVICE_TYPE_EXTERNAL_NAME => {
            if !spec.cluster_ips.is_empty() {
                errs.push(FieldError::forbidden(
                    "spec.clusterIPs",
                    MSG_NOT_FOR_EXTERNAL_NAME,
                ));
            }
            if !spec.ip_families.is_empty() {
                errs.push(FieldError::forbidden(
                    "spec.ipFamilies",
                    MSG_NOT_FOR_EXTERNAL_NAME,
                ));
            }
            if spec.ip_family_policy.is_some() {
                errs.push(FieldError::forbidden(
                    "spec.ipFamilyPolicy",
                    MSG_NOT_FOR_EXTERNAL_NAME,
                ));
            }
            // A CNAME may carry one trailing dot to mark it fully qualified; the
            // bad value shown is the name without it.
            let cname = spec
                .external_name
                .strip_suffix('.')
                .unwrap_or(&spec.external_name);
            if cname.is_empty() {
                errs.push(FieldError::required("spec.externalName", ""));
            } else {
                for m in is_dns1123_subdomain(cname) {
                    errs.push(FieldError::invalid("spec.externalName", cname, m));
                }
            }
        }
        _ => {}
    }

    let mut names = BTreeSet::new();
    let require_name = spec.ports.len() > 1;
    for (i, p) in spec.ports.iter().enumerate() {
        errs.extend(validate_service_port(p, i, require_name, &mut names));
    }

    errs.extend(validate_labels(&spec.selector, "spec.selector"));
    errs.extend(validate_session_affinity(svc));
    errs.extend(validate_cluster_ips_related_fields_in(svc, old, rel));

    let old_external = old_values(old, |o| o.spec.external_ips.clone());
    for (i, ip) in spec.external_ips.iter().enumerate() {
        let path = format!("spec.externalIPs[{i}]");
        let bad = is_valid_ip_for_legacy_field(ip, rel.strict_ip_cidr_validation, &old_external);
        if bad.is_empty() {
            errs.extend(validate_non_special_ip(ip, &path));
        } else {
            for m in bad {
                errs.push(FieldError::invalid(path.as_str(), ip.as_str(), m));
            }
        }
    }

    if spec.type_.is_empty() {
        errs.push(FieldError::required("spec.type", ""));
    } else if !SUPPORTED_SERVICE_TYPES.contains(&spec.type_.as_str()) {
        errs.push(FieldError::not_supported(
            "spec.type",
            spec.type_.as_str(),
            SUPPORTED_SERVICE_TYPES,
        ));
    }

    if spec.type_ == SERVICE_TYPE_CLUSTER_IP {
        for (i, p) in spec.ports.iter().enumerate() {
            if p.node_port.unwrap_or(0) != 0 {
                errs.push(FieldError::forbidden(
                    format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }

    let mut node_ports = BTreeSet::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let np = p.node_port.unwrap_or(0);
        if np == 0 {
            continue;
        }
        if !node_ports.insert((p.protocol.as_str(), np)) {
            errs.push(FieldError::duplicate(
                format!("spec.ports[{i}].nodePort"),
                np,
            ));
        }
    }
    let mut seen_ports = BTreeSet::new();
    for (i, p) in spec.ports.iter().enumerate() {
        if !seen_ports.insert((p.protocol.as_str(), p.port)) {
            errs.push(
                FieldError::duplicate(format!("spec.ports[{i}]"), duplicate_port_value(p))
                    .with_go_value(duplicate_port_go_value(p)),
            );
        }
    }

    errs.extend(validate_source_ranges(svc, old, rel));

    match (
        spec.type_ == SERVICE_TYPE_LOAD_BALANCER,
        spec.allocate_load_balancer_node_ports,
    ) {
        (false, Some(_)) => errs.push(FieldError::forbidden(
            "spec.allocateLoadBalancerNodePorts",
            MSG_ONLY_LOAD_BALANCER,
        )),
        // Upstream builds this path without the "spec" parent.
        (true, None) => errs.push(FieldError::required("allocateLoadBalancerNodePorts", "")),
        _ => {}
    }

    errs.extend(validate_load_balancer_class(None, svc));
    errs.extend(validate_external_traffic_policy(svc));

    match &spec.internal_traffic_policy {
        None => {
            let t = spec.type_.as_str();
            if t == SERVICE_TYPE_NODE_PORT
                || t == SERVICE_TYPE_LOAD_BALANCER
                || t == SERVICE_TYPE_CLUSTER_IP
            {
                errs.push(FieldError::required("spec.internalTrafficPolicy", ""));
            }
        }
        Some(p) if !SUPPORTED_TRAFFIC_POLICIES.contains(&p.as_str()) => {
            errs.push(FieldError::not_supported(
                "spec.internalTrafficPolicy",
                p.as_str(),
                SUPPORTED_TRAFFIC_POLICIES,
            ));
        }
        Some(_) => {}
    }

    if let Some(td) = extra(svc, "trafficDistribution") {
        let ok = td
            .as_str()
            .is_some_and(|s| SUPPORTED_TRAFFIC_DISTRIBUTIONS.contains(&s));
        if !ok {
            errs.push(FieldError::not_supported(
                "spec.trafficDistribution",
                td.clone(),
                SUPPORTED_TRAFFIC_DISTRIBUTIONS,
            ));
        }
    }
    errs
}

/// The bad value of a duplicate (protocol, port) pair. Upstream passes an
/// internal ServicePort holding only those two fields; UNVERIFIED how 1.34
/// renders it. We print the wire shape of those fields.
fn duplicate_port_value(p: &ServicePort) -> Value {
    let key = ServicePort {
        protocol: p.protocol.clone(),
        port: p.port,
        ..ServicePort::default()
    };
    serde_json::to_value(key).unwrap_or(Value::Null)
}

/// Go's `%#v` of that internal ServicePort (releases up to 1.33): every field,
/// the unset ones at their zero values.
fn duplicate_port_go_value(p: &ServicePort) -> String {
    format!(
        "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
        serde_json::to_string(&p.protocol).unwrap_or_default(),
        p.port
    )
}

fn validate_service_port(
    p: &ServicePort,
    i: usize,
    require_name: bool,
    names: &mut BTreeSet<String>,
) -> Vec<FieldError> {
    let path = format!("spec.ports[{i}]");
    let mut errs = Vec::new();
    if require_name && p.name.is_empty() {
        errs.push(FieldError::required(format!("{path}.name"), ""));
    } else if !p.name.is_empty() {
        for m in is_dns1123_label(&p.name) {
            errs.push(FieldError::invalid(
                format!("{path}.name"),
                p.name.as_str(),
                m,
            ));
        }
        if !names.insert(p.name.clone()) {
            errs.push(FieldError::duplicate(
                format!("{path}.name"),
                p.name.as_str(),
            ));
        }
    }
    for m in is_valid_port_num(i64::from(p.port)) {
        errs.push(FieldError::invalid(format!("{path}.port"), p.port, m));
    }
    if p.protocol.is_empty() {
        errs.push(FieldError::required(format!("{path}.protocol"), ""));
    } else if !SUPPORTED_PROTOCOLS.contains(&p.protocol.as_str()) {
        errs.push(FieldError::not_supported(
            format!("{path}.protocol"),
            p.protocol.as_str(),
            SUPPORTED_PROTOCOLS,
        ));
    }
    errs.extend(validate_port_num_or_name(
        p.target_port.as_ref(),
        &format!("{path}.targetPort"),
    ));
    if let Some(ap) = &p.app_protocol {
        for m in is_qualified_name(ap) {
            errs.push(FieldError::invalid(
                format!("{path}.appProtocol"),
                ap.as_str(),
                m,
            ));
        }
    }
    errs
}

/// ValidatePortNumOrName on an IntOrString kept as raw JSON. An absent value is
/// IntOrString's zero value (the integer 0).
fn validate_port_num_or_name(v: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match v {
        None | Some(Value::Null) => {
            for m in is_valid_port_num(0) {
                errs.push(FieldError::invalid(path, 0, m));
            }
        }
        Some(Value::String(s)) => {
            for m in is_valid_port_name(s) {
                errs.push(FieldError::invalid(path, s.as_str(), m));
            }
        }
        Some(Value::Number(n)) => {
            // Non-integers and numbers beyond int32 would not decode upstream;
            // they are reported with the range message rather than dropped.
            let port = n.as_i64().filter(|p| i32::try_from(*p).is_ok());
            match port {
                Some(p) => {
                    for m in is_valid_port_num(p) {
                        errs.push(FieldError::invalid(path, p, m));
                    }
                }
                None => {
                    for m in is_valid_port_num(-1) {
                        errs.push(FieldError::invalid(path, Value::Number(n.clone()), m));
                    }
                }
            }
        }
        Some(other) => errs.push(FieldError::invalid(
            path,
            other.clone(),
            "must be an integer or a string",
        )),
    }
    errs
}

fn validate_session_affinity(svc: &Service) -> Vec<FieldError> {
    let sa = svc.spec.session_affinity.as_str();
    let mut errs = Vec::new();
    if sa.is_empty() {
        errs.push(FieldError::required("spec.sessionAffinity", ""));
    } else if !SUPPORTED_SESSION_AFFINITIES.contains(&sa) {
        errs.push(FieldError::not_supported(
            "spec.sessionAffinity",
            sa,
            SUPPORTED_SESSION_AFFINITIES,
        ));
    }
    let cfg = extra(svc, "sessionAffinityConfig");
    let path = "spec.sessionAffinityConfig";
    if sa == "ClientIP" {
        let detail = "when session affinity type is ClientIP";
        let Some(cfg) = cfg else {
            errs.push(FieldError::required(path, detail));
            return errs;
        };
        let Some(client_ip) = cfg.get("clientIP").filter(|v| !v.is_null()) else {
            errs.push(FieldError::required(format!("{path}.clientIP"), detail));
            return errs;
        };
        let tpath = format!("{path}.clientIP.timeoutSeconds");
        let Some(timeout) = client_ip.get("timeoutSeconds").filter(|v| !v.is_null()) else {
            errs.push(FieldError::required(tpath, detail));
            return errs;
        };
        let ok = timeout
            .as_i64()
            .is_some_and(|t| t > 0 && t <= MAX_CLIENT_IP_AFFINITY_SECONDS);
        if !ok {
            errs.push(FieldError::invalid(
                tpath,
                timeout.clone(),
                format!("must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"),
            ));
        }
    } else if sa == "None" && cfg.is_some() {
        errs.push(FieldError::forbidden(
            path,
            "must not be set when session affinity is None",
        ));
    }
    errs
}

/// ValidateNonSpecialIP (externalIPs). IPv4-mapped addresses count as IPv4, as
/// Go's net.IP predicates see them.
fn validate_non_special_ip(ip: &str, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(a) = parse_ip_sloppy(ip) else {
        return vec![FieldError::invalid(path, ip, "must be a valid IP address")];
    };
    let v4 = if a.family == Family::IPv4 {
        Some(a.value as u32)
    } else if a.is_ipv4_mapped() {
        Some((a.value & 0xffff_ffff) as u32)
    } else {
        None
    };
    let (unspecified, loopback, link_local, ll_multicast) = match v4 {
        Some(v) => (
            v == 0,
            v >> 24 == 127,
            v >> 16 == 0xa9fe,
            v >> 8 == 0x00e0_0000,
        ),
        None => {
            let v = a.value;
            (
                v == 0,
                v == 1,
                v >> 118 == 0x3fa,
                (v >> 120) == 0xff && ((v >> 112) & 0x0f) == 0x02,
            )
        }
    };
    if unspecified {
        errs.push(FieldError::invalid(
            path,
            ip,
            format!("may not be unspecified ({ip})"),
        ));
    }
    if loopback {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ));
    }
    if link_local {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        ));
    }
    if ll_multicast {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        ));
    }
    errs
}

fn validate_source_ranges(svc: &Service, old: Option<&Service>, rel: &Release) -> Vec<FieldError> {
    let old_ranges = old_values(old, source_ranges);
    let mut errs = Vec::new();
    let lb = svc.spec.type_ == SERVICE_TYPE_LOAD_BALANCER;
    let ranges: Vec<&Value> = extra(svc, "loadBalancerSourceRanges")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if !ranges.is_empty() {
        // Upstream spells this path with a capital L.
        let path = "spec.LoadBalancerSourceRanges";
        if !lb {
            errs.push(FieldError::forbidden(path, MSG_ONLY_LOAD_BALANCER));
        }
        for (i, r) in ranges.iter().enumerate() {
            // Space padding is tolerated for historical reasons.
            let value = r.as_str().unwrap_or("").trim();
            for m in
                is_valid_cidr_for_legacy_field(value, rel.strict_ip_cidr_validation, &old_ranges)
            {
                errs.push(FieldError::invalid(format!("{path}[{i}]"), value, m));
            }
        }
    } else if let Some(val) = svc.metadata.annotations.get(ANNOTATION_LB_SOURCE_RANGES) {
        let path = format!("metadata.annotations[{ANNOTATION_LB_SOURCE_RANGES}]");
        if !lb {
            errs.push(FieldError::forbidden(path.as_str(), MSG_ONLY_LOAD_BALANCER));
        }
        let val = val.trim();
        if !val.is_empty() {
            for c in val.split(',') {
                let c = c.trim();
                for m in is_valid_cidr_legacy(c) {
                    errs.push(FieldError::invalid(path.as_str(), c, m));
                }
            }
        }
    }
    errs
}

/// validateLoadBalancerClassField: immutable between two LoadBalancer versions,
/// a qualified name on LoadBalancers, forbidden elsewhere.
fn validate_load_balancer_class(old: Option<&Service>, svc: &Service) -> Vec<FieldError> {
    let path = "spec.loadBalancerClass";
    let mut errs = Vec::new();
    let class = load_balancer_class(svc);
    let is_lb = |s: &Service| s.spec.type_ == SERVICE_TYPE_LOAD_BALANCER;
    if let Some(old) = old {
        if is_lb(old) && is_lb(svc) && load_balancer_class(old) != class {
            errs.push(FieldError::invalid(
                path,
                class.clone().unwrap_or(Value::Null),
                MSG_MAY_NOT_CHANGE,
            ));
        }
    }
    match (is_lb(svc), class) {
        (true, Some(c)) => {
            let s = c.as_str().unwrap_or("");
            for m in is_qualified_name(s) {
                errs.push(FieldError::invalid(path, s, m));
            }
        }
        (false, Some(_)) => errs.push(FieldError::forbidden(path, MSG_ONLY_LOAD_BALANCER)),
        _ => {}
    }
    errs
}

fn validate_external_traffic_policy(svc: &Service) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let etp = svc.spec.external_traffic_policy.as_str();
    let path = "spec.externalTrafficPolicy";
    if !externally_accessible(svc) {
        if !etp.is_empty() {
            errs.push(FieldError::invalid(
                path,
                etp,
                "may only be set for externally-accessible services",
            ));
        }
    } else if etp.is_empty() {
        errs.push(FieldError::required(path, ""));
    } else if !SUPPORTED_TRAFFIC_POLICIES.contains(&etp) {
        errs.push(FieldError::not_supported(
            path,
            etp,
            SUPPORTED_TRAFFIC_POLICIES,
        ));
    }
    let hc = health_check_node_port(svc);
    let hpath = "spec.healthCheckNodePort";
    if !needs_health_check(svc) {
        if hc != 0 {
            errs.push(FieldError::invalid(
                hpath,
                hc,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        }
    } else if hc == 0 {
        errs.push(FieldError::required(hpath, ""));
    } else {
        for m in is_valid_port_num(hc) {
            errs.push(FieldError::invalid(hpath, hc, m));
        }
    }
    errs
}

/// ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs sync, ipFamilies
/// and ipFamilyPolicy values, per-IP validity (legacy parser), then — only if no
/// IP was bad — dual-stack shape and IP/family agreement. Also run at allocation
/// time by [`super::init_ip_family_fields`].
pub fn validate_cluster_ips_related_fields(svc: &Service) -> Vec<FieldError> {
    validate_cluster_ips_related_fields_in(svc, None, &Release::newest())
}

/// [`validate_cluster_ips_related_fields`] as release `rel` validates; `old`
/// (on update) supplies the clusterIPs that strict validation ratchets.
pub fn validate_cluster_ips_related_fields_in(
    svc: &Service,
    old: Option<&Service>,
    rel: &Release,
) -> Vec<FieldError> {
    let old_ips = old_values(old, |o| o.spec.cluster_ips.clone());
    let spec = &svc.spec;
    if spec.type_ == SERVICE_TYPE_EXTERNAL_NAME {
        return Vec::new();
    }
    let mut errs = Vec::new();
    let ips = &spec.cluster_ips;
    let path = "spec.clusterIPs";

    if !spec.cluster_ip.is_empty() {
        match ips.first() {
            None => errs.push(FieldError::required(path, "")),
            Some(first) if *first != spec.cluster_ip => errs.push(invalid_list(
                path,
                ips,
                "string",
                "first value must match `clusterIP`",
            )),
            Some(_) => {}
        }
    } else if !ips.is_empty() {
        errs.push(invalid_list(
            path,
            ips,
            "string",
            "must be empty when `clusterIP` is not specified",
        ));
    }

    let mut seen = BTreeSet::new();
    for (i, fam) in spec.ip_families.iter().enumerate() {
        if !SUPPORTED_IP_FAMILIES.contains(&fam.as_str()) {
            errs.push(FieldError::not_supported(
                format!("spec.ipFamilies[{i}]"),
                fam.as_str(),
                SUPPORTED_IP_FAMILIES,
            ));
        }
        if !seen.insert(fam.as_str()) {
            errs.push(FieldError::duplicate(
                format!("spec.ipFamilies[{i}]"),
                fam.as_str(),
            ));
        }
    }

    if let Some(p) = &spec.ip_family_policy {
        if !SUPPORTED_IP_FAMILY_POLICIES.contains(&p.as_str()) {
            errs.push(FieldError::not_supported(
                "spec.ipFamilyPolicy",
                p.as_str(),
                SUPPORTED_IP_FAMILY_POLICIES,
            ));
        }
    }

    let mut has_invalid = false;
    for (i, ip) in ips.iter().enumerate() {
        if i == 0 && ip == CLUSTER_IP_NONE {
            if ips.len() > 1 {
                has_invalid = true;
                errs.push(invalid_list(
                    path,
                    ips,
                    "string",
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        let bad = is_valid_ip_for_legacy_field(ip, rel.strict_ip_cidr_validation, &old_ips);
        if !bad.is_empty() {
            has_invalid = true;
        }
        for m in bad {
            errs.push(FieldError::invalid(format!("{path}[{i}]"), ip.as_str(), m));
        }
    }

    if ips.len() > 2 {
        errs.push(invalid_list(
            path,
            ips,
            "string",
            "may only hold up to 2 values",
        ));
    }
    // Bad IPs would skew the family checks below, so upstream stops here.
    if has_invalid {
        return errs;
    }

    if ips.len() > 1 && is_dual_stack(ips.iter().map(|ip| sloppy_ip_family(ip))) != Some(true) {
        errs.push(invalid_list(
            path,
            ips,
            "string",
            "may specify no more than one IP for each IP family",
        ));
    }

    if !is_headless(svc) && !ips.is_empty() && !spec.ip_families.is_empty() {
        for (i, (ip, fam)) in ips.iter().zip(spec.ip_families.iter()).enumerate() {
            let is_v6 = sloppy_ip_family(ip) == Some(Family::IPv6);
            let expected = match fam.as_str() {
                "IPv4" if is_v6 => "IPv4",
                "IPv6" if !is_v6 => "IPv6",
                _ => continue,
            };
            errs.push(FieldError::invalid(
                format!("{path}[{i}]"),
                ip.as_str(),
                format!("expected an {expected} value as indicated by `ipFamilies[{i}]`"),
            ));
        }
    }
    errs
}

/// validateUpgradeDowngradeClusterIPs
fn upgrade_downgrade_cluster_ips(old: &Service, new: &Service) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if new.spec.type_ == SERVICE_TYPE_EXTERNAL_NAME || old.spec.type_ == SERVICE_TYPE_EXTERNAL_NAME
    {
        return errs;
    }
    if is_headless(old) && is_headless(new) {
        return errs;
    }
    let (o, n) = (&old.spec.cluster_ips, &new.spec.cluster_ips);
    if o.len() == n.len() {
        for (i, (oi, ni)) in o.iter().zip(n.iter()).enumerate() {
            if oi != ni {
                errs.push(invalid_list(
                    format!("spec.clusterIPs[{i}]"),
                    n,
                    "string",
                    MSG_MAY_NOT_CHANGE,
                ));
            }
        }
    } else if o.len() > n.len() {
        if n.is_empty() {
            errs.push(invalid_list(
                "spec.clusterIPs[0]",
                n,
                "string",
                "primary clusterIP can not be unset",
            ));
        }
        if let (Some(of), Some(nf)) = (o.first(), n.first()) {
            if of != nf {
                errs.push(invalid_list(
                    "spec.clusterIPs[0]",
                    n,
                    "string",
                    MSG_MAY_NOT_CHANGE,
                ));
            }
        }
        if n.len() == 1 && new.spec.ip_family_policy.as_deref() != Some(SINGLE_STACK) {
            errs.push(FieldError::invalid(
                "spec.ipFamilyPolicy",
                policy_value(&new.spec.ip_family_policy),
                "must be set to 'SingleStack' when releasing the secondary clusterIP",
            ));
        }
    } else if let (Some(of), Some(nf)) = (o.first(), n.first()) {
        if of != nf {
            errs.push(invalid_list(
                "spec.clusterIPs[0]",
                n,
                "string",
                MSG_MAY_NOT_CHANGE,
            ));
        }
    }
    errs
}

/// validateUpgradeDowngradeIPFamilies. Upstream quirks kept: a changed family is
/// always reported on `ipFamilies[0]`; "primary ipFamily can not be unset" tests
/// the clusterIPs length; two of the errors show clusterIPs as the bad value.
fn upgrade_downgrade_ip_families(old: &Service, new: &Service) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if new.spec.type_ == SERVICE_TYPE_EXTERNAL_NAME || old.spec.type_ == SERVICE_TYPE_EXTERNAL_NAME
    {
        return errs;
    }
    // Headless Services (or ones becoming / ceasing to be headless) may change
    // families freely.
    if is_headless(old) || is_headless(new) {
        return errs;
    }
    let (o, n) = (&old.spec.ip_families, &new.spec.ip_families);
    let path0 = "spec.ipFamilies[0]";
    if o.len() == n.len() {
        for (oi, ni) in o.iter().zip(n.iter()) {
            if oi != ni {
                errs.push(invalid_list(path0, n, "core.IPFamily", MSG_MAY_NOT_CHANGE));
            }
        }
    } else if o.len() > n.len() {
        if new.spec.cluster_ips.is_empty() {
            errs.push(invalid_list(
                path0,
                n,
                "core.IPFamily",
                "primary ipFamily can not be unset",
            ));
        }
        if let (Some(nf), Some(of)) = (n.first(), o.first()) {
            if nf != of {
                errs.push(invalid_list(
                    path0,
                    &new.spec.cluster_ips,
                    "string",
                    MSG_MAY_NOT_CHANGE,
                ));
            }
        }
        if n.len() == 1 && new.spec.ip_family_policy.as_deref() != Some(SINGLE_STACK) {
            errs.push(FieldError::invalid(
                "spec.ipFamilyPolicy",
                policy_value(&new.spec.ip_family_policy),
                "must be set to 'SingleStack' when releasing the secondary ipFamily",
            ));
        }
    } else if let (Some(of), Some(nf)) = (o.first(), n.first()) {
        if of != nf {
            errs.push(invalid_list(
                path0,
                &new.spec.cluster_ips,
                "string",
                MSG_MAY_NOT_CHANGE,
            ));
        }
    }
    errs
}

/// ValidateServiceUpdate: metadata update rules, the clusterIPs / ipFamilies
/// upgrade-downgrade rules, loadBalancerClass and healthCheckNodePort
/// immutability, then the full create rules on the new object.
pub fn validate_service_update(new: &Service, old: &Service) -> Vec<FieldError> {
    validate_service_update_in(new, old, &Release::newest())
}

/// [`validate_service_update`] as release `rel` validates.
pub fn validate_service_update_in(new: &Service, old: &Service, rel: &Release) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&new.metadata, &old.metadata);
    errs.extend(upgrade_downgrade_cluster_ips(old, new));
    errs.extend(upgrade_downgrade_ip_families(old, new));
    errs.extend(validate_load_balancer_class(Some(old), new));
    if needs_health_check(old)
        && needs_health_check(new)
        && health_check_node_port(old) != health_check_node_port(new)
    {
        errs.push(FieldError::forbidden(
            "spec.healthCheckNodePort",
            super::meta::FIELD_IMMUTABLE,
        ));
    }
    errs.extend(service_rules(new, Some(old), rel));
    errs
}

/// GetWarningsForService, the IP and CIDR part: what a Service whose legacy
/// fields hold non-standard forms earns as API warnings, in the release's words.
pub fn service_warnings(svc: &Service, rel: &Release) -> Vec<String> {
    let spec = &svc.spec;
    let mut out = Vec::new();
    if svc
        .metadata
        .annotations
        .contains_key(ANNOTATION_TOPOLOGY_HINTS)
    {
        out.push(format!(
            "annotation {ANNOTATION_TOPOLOGY_HINTS} is deprecated, please use {ANNOTATION_TOPOLOGY_MODE} instead"
        ));
    }
    // helper.IsServiceIPSet: a clusterIP that is neither empty nor None.
    if !spec.cluster_ip.is_empty() && spec.cluster_ip != CLUSTER_IP_NONE {
        for (i, ip) in spec.cluster_ips.iter().enumerate() {
            out.extend(ip_warnings(
                &format!("spec.clusterIPs[{i}]"),
                ip,
                rel.ip_warnings,
            ));
        }
    }
    for (i, ip) in spec.external_ips.iter().enumerate() {
        out.extend(ip_warnings(
            &format!("spec.externalIPs[{i}]"),
            ip,
            rel.ip_warnings,
        ));
    }
    if let Some(ip) = extra(svc, "loadBalancerIP").and_then(Value::as_str) {
        if !ip.is_empty() {
            out.extend(ip_warnings("spec.loadBalancerIP", ip, rel.ip_warnings));
        }
    }
    for (i, c) in source_ranges(svc).iter().enumerate() {
        out.extend(cidr_warnings(
            &format!("spec.loadBalancerSourceRanges[{i}]"),
            c,
            rel.ip_warnings,
        ));
    }
    out
}
