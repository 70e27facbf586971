#![cfg(not(target_arch = "wasm32"))]
// Native tests: the wasm build runs tests/wasm_*.rs instead.
//! Service defaulting, clusterIP normalisation and alloc.go initIPFamilyFields.

mod common;

use common::{assert_invalid, strings};
use serde_json::{json, Value};
use servicecidr_sim::model::{ApiError, FieldError, Service};
use servicecidr_sim::net::Family;
use servicecidr_sim::validation::{
    default_service, drop_type_dependent_fields, init_ip_family_fields, normalize_cluster_ips,
    patch_allocated_values, validate_service,
};

const V4: &[Family] = &[Family::IPv4];
const V6: &[Family] = &[Family::IPv6];
const V4V6: &[Family] = &[Family::IPv4, Family::IPv6];
const V6V4: &[Family] = &[Family::IPv6, Family::IPv4];

fn svc(spec: Value) -> Service {
    let mut s: Service = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": "1"},
        "spec": spec,
    }))
    .unwrap();
    default_service(&mut s);
    s
}

fn selected(extra: Value) -> Service {
    let mut spec = json!({"ports": [{"port": 80}], "selector": {"app": "web"}});
    if let (Some(m), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            m.insert(k.clone(), v.clone());
        }
    }
    svc(spec)
}

/// The errors as `field: body` strings and as the aggregated 422 message.
fn assert_errs(errs: &[FieldError], expected: &[&str]) {
    assert_invalid(errs, expected, ("Service", "", "web"), "Service");
}

fn init(s: &mut Service, old: Option<&Service>, fams: &[Family]) -> Vec<String> {
    strings(&init_ip_family_fields(s, old, fams))
}

fn assert_single(s: &mut Service, old: Option<&Service>, fams: &[Family], expected: &str) {
    let errs = init_ip_family_fields(s, old, fams);
    assert_eq!(strings(&errs), vec![expected.to_string()]);
    assert_eq!(
        ApiError::invalid("Service", "", "web", &errs).message,
        format!("Service \"web\" is invalid: {expected}")
    );
}

fn families(s: &Service) -> Vec<&str> {
    s.spec.ip_families.iter().map(String::as_str).collect()
}

// ---- defaulting ----

#[test]
fn kubectl_create_service_clusterip_comes_back_defaulted() {
    // `kubectl create service clusterip test --tcp 80 --dry-run=client -o json`
    let mut s: Service = serde_json::from_value(json!({
        "kind": "Service", "apiVersion": "v1",
        "metadata": {"name": "test", "namespace": "default", "creationTimestamp": null,
                     "labels": {"app": "test"}},
        "spec": {"ports": [{"name": "80", "protocol": "TCP", "port": 80, "targetPort": 80}],
                 "selector": {"app": "test"}, "type": "ClusterIP"},
        "status": {"loadBalancer": {}}
    }))
    .unwrap();
    default_service(&mut s);
    assert!(init_ip_family_fields(&mut s, None, V4).is_empty());
    // what the allocator would fill in
    s.spec.cluster_ip = "10.96.0.20".into();
    s.spec.cluster_ips = vec!["10.96.0.20".into()];
    assert!(validate_service(&s, V4).is_empty());
    let spec = serde_json::to_value(&s).unwrap()["spec"].clone();
    assert_eq!(
        spec,
        json!({
            "clusterIP": "10.96.0.20", "clusterIPs": ["10.96.0.20"],
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "80", "port": 80, "protocol": "TCP", "targetPort": 80}],
            "selector": {"app": "test"}, "sessionAffinity": "None", "type": "ClusterIP"
        })
    );
    assert_eq!(
        serde_json::to_value(&s).unwrap()["status"],
        json!({"loadBalancer": {}})
    );
}

#[test]
fn default_type_protocol_target_port_and_affinity() {
    let s = svc(
        json!({"ports": [{"port": 8080}, {"port": 9090, "targetPort": 0}, {"port": 1, "targetPort": ""}]}),
    );
    assert_eq!(s.spec.type_, "ClusterIP");
    assert_eq!(s.spec.session_affinity, "None");
    assert_eq!(s.spec.ports[0].protocol, "TCP");
    assert_eq!(s.spec.ports[0].target_port, Some(json!(8080)));
    assert_eq!(s.spec.ports[1].target_port, Some(json!(9090)));
    assert_eq!(s.spec.ports[2].target_port, Some(json!(1)));
    assert_eq!(s.spec.internal_traffic_policy.as_deref(), Some("Cluster"));
    assert_eq!(s.spec.external_traffic_policy, "");
    assert_eq!(s.spec.allocate_load_balancer_node_ports, None);
}

#[test]
fn named_target_port_is_kept() {
    let s = svc(json!({"ports": [{"port": 80, "targetPort": "http"}]}));
    assert_eq!(s.spec.ports[0].target_port, Some(json!("http")));
}

#[test]
fn load_balancer_defaults() {
    let s = svc(json!({"type": "LoadBalancer", "ports": [{"port": 80}]}));
    assert_eq!(s.spec.external_traffic_policy, "Cluster");
    assert_eq!(s.spec.allocate_load_balancer_node_ports, Some(true));
    assert_eq!(s.spec.internal_traffic_policy.as_deref(), Some("Cluster"));
}

#[test]
fn node_port_and_external_ip_services_get_external_traffic_policy() {
    assert_eq!(
        svc(json!({"type": "NodePort"}))
            .spec
            .external_traffic_policy,
        "Cluster"
    );
    assert_eq!(
        svc(json!({"externalIPs": ["192.0.2.10"]}))
            .spec
            .external_traffic_policy,
        "Cluster"
    );
}

#[test]
fn external_name_gets_no_traffic_policies() {
    let s = svc(json!({"type": "ExternalName", "externalName": "example.com"}));
    assert_eq!(s.spec.internal_traffic_policy, None);
    assert_eq!(s.spec.external_traffic_policy, "");
    assert_eq!(s.spec.session_affinity, "None");
}

#[test]
fn client_ip_affinity_default_timeout() {
    let s = svc(json!({"sessionAffinity": "ClientIP"}));
    assert_eq!(
        s.spec.extra.get("sessionAffinityConfig"),
        Some(&json!({"clientIP": {"timeoutSeconds": 10800}}))
    );
    let s = svc(json!({"sessionAffinity": "None", "sessionAffinityConfig": {"clientIP": {}}}));
    assert_eq!(s.spec.extra.get("sessionAffinityConfig"), None);
}

// ---- normalisation / patching ----

#[test]
fn create_with_only_cluster_ip_fills_cluster_ips() {
    let mut s = selected(json!({"clusterIP": "10.96.0.5"}));
    normalize_cluster_ips(&mut s, None);
    assert_eq!(s.spec.cluster_ips, vec!["10.96.0.5"]);
}

#[test]
fn update_from_old_client_keeps_cluster_ips() {
    let old = selected(json!({"clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5", "fd00::5"]}));
    let mut new = selected(json!({"clusterIP": "10.96.0.5"}));
    normalize_cluster_ips(&mut new, Some(&old));
    assert_eq!(new.spec.cluster_ips, vec!["10.96.0.5", "fd00::5"]);
}

#[test]
fn update_changing_only_cluster_ip_rewrites_cluster_ips() {
    let old = selected(json!({"clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"]}));
    let mut new = selected(json!({"clusterIP": "10.96.0.6", "clusterIPs": ["10.96.0.5"]}));
    normalize_cluster_ips(&mut new, Some(&old));
    assert_eq!(new.spec.cluster_ips, vec!["10.96.0.6"]);
    let mut cleared = selected(json!({"clusterIP": "", "clusterIPs": ["10.96.0.5"]}));
    normalize_cluster_ips(&mut cleared, Some(&old));
    assert!(cleared.spec.cluster_ips.is_empty());
}

#[test]
fn patch_allocated_values_restores_what_a_put_left_out() {
    let old = selected(
        json!({"type": "NodePort", "clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"],
        "ports": [{"name": "http", "port": 80, "nodePort": 30080}]}),
    );
    let mut new = selected(json!({"type": "NodePort", "ports": [{"name": "http", "port": 80}]}));
    patch_allocated_values(&mut new, &old);
    assert_eq!(new.spec.cluster_ip, "10.96.0.5");
    assert_eq!(new.spec.cluster_ips, vec!["10.96.0.5"]);
    assert_eq!(new.spec.ports[0].node_port, Some(30080));
}

#[test]
fn switching_to_external_name_wipes_allocated_fields() {
    let old = selected(
        json!({"clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"],
        "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}),
    );
    let mut new = old.clone();
    new.spec.type_ = "ExternalName".into();
    new.spec.external_name = "example.com".into();
    drop_type_dependent_fields(&mut new, &old);
    assert!(new.spec.cluster_ip.is_empty() && new.spec.cluster_ips.is_empty());
    assert!(new.spec.ip_families.is_empty());
    assert_eq!(new.spec.ip_family_policy, None);
    assert!(validate_service(&new, V4).is_empty());
}

// ---- initIPFamilyFields ----

#[test]
fn nil_policy_on_create_defaults_to_single_stack_primary_family() {
    let mut s = selected(json!({}));
    assert!(init(&mut s, None, V4V6).is_empty());
    assert_eq!(s.spec.ip_family_policy.as_deref(), Some("SingleStack"));
    assert_eq!(families(&s), vec!["IPv4"]);
    let mut s = selected(json!({}));
    assert!(init(&mut s, None, V6V4).is_empty());
    assert_eq!(families(&s), vec!["IPv6"]);
}

#[test]
fn prefer_dual_stack_appends_the_other_family_only_on_dual_clusters() {
    let mut s = selected(json!({"ipFamilyPolicy": "PreferDualStack"}));
    assert!(init(&mut s, None, V4V6).is_empty());
    assert_eq!(families(&s), vec!["IPv4", "IPv6"]);
    let mut s = selected(json!({"ipFamilyPolicy": "PreferDualStack"}));
    assert!(init(&mut s, None, V4).is_empty());
    assert_eq!(families(&s), vec!["IPv4"]);
    let mut s = selected(json!({"ipFamilyPolicy": "RequireDualStack", "ipFamilies": ["IPv6"]}));
    assert!(init(&mut s, None, V4V6).is_empty());
    assert_eq!(families(&s), vec!["IPv6", "IPv4"]);
}

#[test]
fn require_dual_stack_on_a_single_stack_cluster() {
    assert_single(
        &mut selected(json!({"ipFamilyPolicy": "RequireDualStack"})),
        None,
        V4,
        r#"spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services"#,
    );
}

#[test]
fn requested_family_not_configured() {
    assert_single(
        &mut selected(json!({"ipFamilies": ["IPv6"]})),
        None,
        V4,
        r#"spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster"#,
    );
}

#[test]
fn cluster_ip_of_an_unconfigured_family() {
    assert_single(
        &mut selected(json!({"clusterIP": "fd00::10", "clusterIPs": ["fd00::10"]})),
        None,
        V4,
        r#"spec.clusterIPs[0]: Invalid value: ["fd00::10"]: IPv6 is not configured on this cluster"#,
    );
    assert_single(
        &mut selected(json!({"clusterIP": "10.0.0.10", "clusterIPs": ["10.0.0.10"]})),
        None,
        V6,
        r#"spec.clusterIPs[0]: Invalid value: ["10.0.0.10"]: IPv4 is not configured on this cluster"#,
    );
}

#[test]
fn single_stack_with_two_ips_or_two_families() {
    let mut s = selected(json!({"ipFamilyPolicy": "SingleStack",
        "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10", "fd00::10"],
        "ipFamilies": ["IPv4", "IPv6"]}));
    assert_errs(
        &init_ip_family_fields(&mut s, None, V4V6),
        &[
            r#"spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"#,
            r#"spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"#,
        ],
    );
}

#[test]
fn families_are_derived_from_given_cluster_ips() {
    let mut s = selected(json!({"ipFamilyPolicy": "RequireDualStack",
        "clusterIP": "fd00::5", "clusterIPs": ["fd00::5", "10.96.0.5"]}));
    assert!(init(&mut s, None, V4V6).is_empty());
    assert_eq!(families(&s), vec!["IPv6", "IPv4"]);
    let mut s = selected(json!({"clusterIP": "fd00::5", "clusterIPs": ["fd00::5"]}));
    assert!(init(&mut s, None, V4V6).is_empty());
    assert_eq!(families(&s), vec!["IPv6"]);
}

#[test]
fn headless_selectorless_defaults_to_require_dual_stack_even_on_single_stack() {
    let mut s = svc(json!({"clusterIP": "None", "clusterIPs": ["None"]}));
    assert!(init(&mut s, None, V4).is_empty());
    assert_eq!(s.spec.ip_family_policy.as_deref(), Some("RequireDualStack"));
    assert_eq!(families(&s), vec!["IPv4", "IPv6"]);
}

#[test]
fn headless_with_selector_is_single_stack() {
    let mut s = selected(json!({"clusterIP": "None", "clusterIPs": ["None"]}));
    assert!(init(&mut s, None, V4V6).is_empty());
    assert_eq!(s.spec.ip_family_policy.as_deref(), Some("SingleStack"));
    assert_eq!(families(&s), vec!["IPv4"]);
}

#[test]
fn external_name_is_left_alone() {
    let mut s = svc(json!({"type": "ExternalName", "externalName": "example.com"}));
    assert!(init(&mut s, None, V4).is_empty());
    assert_eq!(s.spec.ip_family_policy, None);
    assert!(s.spec.ip_families.is_empty());
}

#[test]
fn related_field_errors_are_returned_first() {
    assert_single(
        &mut selected(json!({"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.11"]})),
        None,
        V4,
        r#"spec.clusterIPs: Invalid value: ["10.96.0.11"]: first value must match `clusterIP`"#,
    );
}

fn stored(policy: &str, ips: &[&str], fams: &[&str]) -> Service {
    selected(
        json!({"clusterIP": ips.first().copied().unwrap_or(""), "clusterIPs": ips,
        "ipFamilies": fams, "ipFamilyPolicy": policy}),
    )
}

#[test]
fn update_without_policy_keeps_the_old_policy() {
    let old = stored("PreferDualStack", &["10.96.0.10"], &["IPv4"]);
    let mut new = old.clone();
    new.spec.ip_family_policy = None;
    assert!(init(&mut new, Some(&old), V4V6).is_empty());
    assert_eq!(
        new.spec.ip_family_policy.as_deref(),
        Some("PreferDualStack")
    );
    // policy re-evaluated (it was nil in the request): the cluster is dual now
    assert_eq!(families(&new), vec!["IPv4", "IPv6"]);
}

#[test]
fn unchanged_prefer_dual_stack_update_is_not_upgraded() {
    let old = stored("PreferDualStack", &["10.96.0.10"], &["IPv4"]);
    let mut new = old.clone();
    assert!(init(&mut new, Some(&old), V4V6).is_empty());
    assert_eq!(families(&new), vec!["IPv4"]);
}

#[test]
fn update_reducing_without_single_stack() {
    let old = stored(
        "PreferDualStack",
        &["10.96.0.10", "fd00::10"],
        &["IPv4", "IPv6"],
    );
    let mut new = stored("RequireDualStack", &["10.96.0.10"], &["IPv4"]);
    assert_errs(
        &init_ip_family_fields(&mut new, Some(&old), V4V6),
        &[
            r#"spec.ipFamilyPolicy: Invalid value: "RequireDualStack": must be 'SingleStack' to release the secondary cluster IP"#,
            r#"spec.ipFamilyPolicy: Invalid value: "RequireDualStack": must be 'SingleStack' to release the secondary IP family"#,
        ],
    );
}

#[test]
fn update_to_single_stack_trims_unchanged_lists() {
    let old = stored(
        "PreferDualStack",
        &["10.96.0.10", "fd00::10"],
        &["IPv4", "IPv6"],
    );
    let mut new = old.clone();
    new.spec.ip_family_policy = Some("SingleStack".into());
    assert!(init(&mut new, Some(&old), V4V6).is_empty());
    assert_eq!(new.spec.cluster_ips, vec!["10.96.0.10"]);
    assert_eq!(families(&new), vec!["IPv4"]);
}

#[test]
fn update_from_external_name_defaults_policy() {
    let old = svc(json!({"type": "ExternalName", "externalName": "example.com"}));
    let mut new = selected(json!({}));
    assert!(init(&mut new, Some(&old), V4).is_empty());
    assert_eq!(new.spec.ip_family_policy.as_deref(), Some("SingleStack"));
    assert_eq!(families(&new), vec!["IPv4"]);
}
