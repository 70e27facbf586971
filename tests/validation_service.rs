#![cfg(not(target_arch = "wasm32"))]
// Native tests: the wasm build runs tests/wasm_*.rs instead.
//! Service static validation (§2.6): create rules and the update rules.

mod common;

use common::{assert_invalid, strings};
use serde_json::{json, Value};
use servicecidr_sim::model::{ApiError, FieldError, Service};
use servicecidr_sim::net::Family;
use servicecidr_sim::validation::{
    default_service, validate_service, validate_service_in, validate_service_update,
};
use servicecidr_sim::Release;

const V4: &[Family] = &[Family::IPv4];

/// An allocated, defaulted single-stack ClusterIP Service, as stored.
fn base() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": "1"},
        "spec": {
            "ports": [{"port": 80}],
            "selector": {"app": "web"},
            "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"
        }
    })
}

fn svc_from(v: Value) -> Service {
    let mut s: Service = serde_json::from_value(v).unwrap();
    default_service(&mut s);
    s
}

fn with(f: impl FnOnce(&mut Value)) -> Service {
    let mut v = base();
    f(&mut v);
    svc_from(v)
}

/// The errors as `field: body` strings and as the aggregated 422 message.
fn assert_errs(errs: &[FieldError], expected: &[&str]) {
    assert_invalid(errs, expected, ("Service", "", "web"), "Service");
}

fn validate_service_v4(s: &Service) -> Vec<FieldError> {
    validate_service(s, V4)
}

fn check(s: &Service) -> Vec<String> {
    strings(&validate_service(s, V4))
}

/// Exactly one error; also checked as the 422 message.
fn assert_single(s: &Service, expected: &str) {
    let errs = validate_service(s, V4);
    assert_eq!(strings(&errs), vec![expected.to_string()]);
    assert_eq!(
        ApiError::invalid("Service", "", &s.metadata.name, &errs).message,
        format!("Service \"{}\" is invalid: {expected}", s.metadata.name)
    );
}

fn headless(v: &mut Value) {
    v["spec"]["clusterIP"] = json!("None");
    v["spec"]["clusterIPs"] = json!(["None"]);
}

#[test]
fn stored_shape_clusterip_service_is_valid() {
    assert!(check(&with(|_| {})).is_empty());
}

#[test]
fn service_name_is_a_dns1035_label() {
    assert_single(
        &with(|v| v["metadata"]["name"] = json!("9web")),
        r#"metadata.name: Invalid value: "9web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
    );
}

#[test]
fn ports_required_for_non_headless() {
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([])),
        "spec.ports: Required value",
    );
}

#[test]
fn headless_and_external_name_need_no_ports() {
    assert!(check(&with(|v| {
        headless(v);
        v["spec"]["ports"] = json!([]);
    }))
    .is_empty());
    assert!(check(&svc_from(json!({
        "metadata": {"name": "ext", "namespace": "default"},
        "spec": {"type": "ExternalName", "externalName": "example.com."}
    })))
    .is_empty());
}

#[test]
fn port_number_range() {
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([{"port": 0, "targetPort": 80}])),
        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    );
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([{"port": 65536, "targetPort": 80}])),
        "spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive",
    );
}

#[test]
fn port_protocol_supported_values() {
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([{"port": 80, "protocol": "HTTP"}])),
        r#"spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#,
    );
}

#[test]
fn second_port_needs_a_name() {
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([{"name": "http", "port": 80}, {"port": 443}])),
        "spec.ports[1].name: Required value",
    );
}

#[test]
fn port_names_are_unique() {
    assert_single(
        &with(|v| {
            v["spec"]["ports"] = json!([{"name": "http", "port": 80}, {"name": "http", "port": 81}])
        }),
        r#"spec.ports[1].name: Duplicate value: "http""#,
    );
}

#[test]
fn port_name_is_a_dns1123_label() {
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([{"name": "HTTP", "port": 80}])),
        r#"spec.ports[0].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#,
    );
}

#[test]
fn target_port_number_range() {
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([{"port": 80, "targetPort": 70000}])),
        "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    );
}

#[test]
fn target_port_name_rules() {
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([{"port": 80, "targetPort": "8080"}])),
        r#"spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)"#,
    );
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([{"port": 80, "targetPort": "http-"}])),
        r#"spec.ports[0].targetPort: Invalid value: "http-": must not begin or end with a hyphen"#,
    );
    assert!(check(&with(
        |v| v["spec"]["ports"] = json!([{"port": 80, "targetPort": "http"}])
    ))
    .is_empty());
}

#[test]
fn undefaulted_target_port_is_zero() {
    let mut s = with(|_| {});
    s.spec.ports[0].target_port = None;
    assert_single(
        &s,
        "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
    );
}

#[test]
fn duplicate_protocol_port_pair() {
    assert_single(
        &with(|v| {
            v["spec"]["ports"] = json!([{"name": "a", "port": 80}, {"name": "b", "port": 80}])
        }),
        r#"spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}"#,
    );
}

#[test]
fn same_port_different_protocols_is_fine() {
    assert!(check(&with(|v| {
        v["spec"]["ports"] =
            json!([{"name": "a", "port": 53}, {"name": "b", "port": 53, "protocol": "UDP"}])
    }))
    .is_empty());
}

#[test]
fn node_port_forbidden_on_cluster_ip() {
    assert_single(
        &with(|v| v["spec"]["ports"] = json!([{"port": 80, "nodePort": 30080}])),
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    );
}

#[test]
fn type_must_be_supported() {
    assert_single(
        &with(|v| v["spec"]["type"] = json!("Foo")),
        r#"spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort""#,
    );
}

#[test]
fn type_required_when_not_defaulted() {
    let mut s = with(|_| {});
    s.spec.type_.clear();
    let got = check(&s);
    assert!(
        got.contains(&"spec.type: Required value".to_string()),
        "{got:?}"
    );
}

#[test]
fn session_affinity_supported_values() {
    assert_single(
        &with(|v| v["spec"]["sessionAffinity"] = json!("Sticky")),
        r#"spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None""#,
    );
}

#[test]
fn client_ip_affinity_gets_a_default_timeout_and_checks_its_range() {
    assert!(check(&with(|v| v["spec"]["sessionAffinity"] = json!("ClientIP"))).is_empty());
    assert_single(
        &with(|v| {
            v["spec"]["sessionAffinity"] = json!("ClientIP");
            v["spec"]["sessionAffinityConfig"] = json!({"clientIP": {"timeoutSeconds": 86401}});
        }),
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400",
    );
}

#[test]
fn headless_node_port_and_load_balancer() {
    let mut s = with(|v| {
        headless(v);
        v["spec"]["type"] = json!("NodePort");
    });
    s.spec.external_traffic_policy = "Cluster".into();
    assert_single(
        &s,
        r#"spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services"#,
    );
    let s = with(|v| {
        headless(v);
        v["spec"]["type"] = json!("LoadBalancer");
    });
    assert_single(
        &s,
        r#"spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services"#,
    );
}

#[test]
fn external_name_requires_a_name() {
    assert_single(
        &svc_from(json!({
            "metadata": {"name": "ext", "namespace": "default"},
            "spec": {"type": "ExternalName"}
        })),
        "spec.externalName: Required value",
    );
}

#[test]
fn external_name_must_be_a_dns_subdomain() {
    assert_single(
        &svc_from(json!({
            "metadata": {"name": "ext", "namespace": "default"},
            "spec": {"type": "ExternalName", "externalName": "Foo_bar."}
        })),
        r#"spec.externalName: Invalid value: "Foo_bar": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
    );
}

#[test]
fn external_name_forbids_cluster_ips_families_and_policy() {
    let s = with(|v| {
        v["spec"]["type"] = json!("ExternalName");
        v["spec"]["externalName"] = json!("example.com");
    });
    assert_errs(
        &validate_service_v4(&s),
        &[
            "spec.clusterIPs: Forbidden: may not be set for ExternalName services",
            "spec.ipFamilies: Forbidden: may not be set for ExternalName services",
            "spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services",
        ],
    );
}

#[test]
fn cluster_ip_without_cluster_ips_is_required() {
    assert_single(
        &with(|v| v["spec"]["clusterIPs"] = json!([])),
        "spec.clusterIPs: Required value",
    );
}

#[test]
fn cluster_ips_first_must_match_cluster_ip() {
    assert_single(
        &with(|v| v["spec"]["clusterIPs"] = json!(["10.96.0.11"])),
        r#"spec.clusterIPs: Invalid value: ["10.96.0.11"]: first value must match `clusterIP`"#,
    );
}

#[test]
fn cluster_ips_without_cluster_ip() {
    assert_single(
        &with(|v| v["spec"]["clusterIP"] = json!("")),
        r#"spec.clusterIPs: Invalid value: ["10.96.0.10"]: must be empty when `clusterIP` is not specified"#,
    );
}

#[test]
fn ip_families_supported_values() {
    assert_single(
        &with(|v| v["spec"]["ipFamilies"] = json!(["IPv5"])),
        r#"spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6""#,
    );
}

#[test]
fn ip_families_no_duplicates() {
    assert_single(
        &with(|v| {
            v["spec"]["ipFamilies"] = json!(["IPv4", "IPv4"]);
            v["spec"]["ipFamilyPolicy"] = json!("PreferDualStack");
        }),
        r#"spec.ipFamilies[1]: Duplicate value: "IPv4""#,
    );
}

#[test]
fn ip_family_policy_supported_values() {
    assert_single(
        &with(|v| v["spec"]["ipFamilyPolicy"] = json!("Dual")),
        r#"spec.ipFamilyPolicy: Unsupported value: "Dual": supported values: "PreferDualStack", "RequireDualStack", "SingleStack""#,
    );
}

#[test]
fn none_must_be_first_and_only() {
    assert_single(
        &with(|v| {
            v["spec"]["clusterIP"] = json!("None");
            v["spec"]["clusterIPs"] = json!(["None", "fd00::1"]);
        }),
        r#"spec.clusterIPs: Invalid value: ["None","fd00::1"]: 'None' must be the first and only value"#,
    );
}

#[test]
fn none_in_second_place_is_an_invalid_ip() {
    assert_single(
        &with(|v| v["spec"]["clusterIPs"] = json!(["10.96.0.10", "None"])),
        r#"spec.clusterIPs[1]: Invalid value: "None": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#,
    );
}

#[test]
fn each_cluster_ip_must_parse() {
    assert_single(
        &with(|v| {
            v["spec"]["clusterIP"] = json!("10.96.0.300");
            v["spec"]["clusterIPs"] = json!(["10.96.0.300"]);
        }),
        r#"spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#,
    );
}

/// Before StrictIPCIDRValidation (1.36, PR #137053) clusterIPs are parsed the
/// legacy way; the 1.36+ refusal is in tests/release_validation.rs.
#[test]
fn cluster_ips_use_legacy_parsing_so_leading_zeros_pass() {
    let svc = with(|v| {
        v["spec"]["clusterIP"] = json!("10.96.0.010");
        v["spec"]["clusterIPs"] = json!(["10.96.0.010"]);
    });
    let rel = Release::parse("1.35").unwrap();
    assert!(validate_service_in(&svc, &rel).is_empty());
}

#[test]
fn at_most_two_cluster_ips() {
    assert_single(
        &with(|v| {
            v["spec"]["clusterIPs"] = json!(["10.96.0.10", "fd00::10", "10.96.0.11"]);
            v["spec"]["ipFamilies"] = json!(["IPv4", "IPv6"]);
            v["spec"]["ipFamilyPolicy"] = json!("RequireDualStack");
        }),
        r#"spec.clusterIPs: Invalid value: ["10.96.0.10","fd00::10","10.96.0.11"]: may only hold up to 2 values"#,
    );
}

#[test]
fn one_cluster_ip_per_family() {
    assert_single(
        &with(|v| {
            v["spec"]["clusterIPs"] = json!(["10.96.0.10", "10.96.0.11"]);
            v["spec"]["ipFamilies"] = json!([]);
            v["spec"]["ipFamilyPolicy"] = json!("RequireDualStack");
        }),
        r#"spec.clusterIPs: Invalid value: ["10.96.0.10","10.96.0.11"]: may specify no more than one IP for each IP family"#,
    );
}

/// Before 1.36 an IPv4-mapped address is IPv4; from 1.36 it is refused outright
/// (tests/release_validation.rs).
#[test]
fn ipv4_mapped_cluster_ip_counts_as_ipv4() {
    let svc = with(|v| {
        v["spec"]["clusterIPs"] = json!(["10.96.0.10", "::ffff:10.96.0.11"]);
        v["spec"]["ipFamilies"] = json!([]);
        v["spec"]["ipFamilyPolicy"] = json!("RequireDualStack");
    });
    let rel = Release::parse("1.35").unwrap();
    assert_eq!(
        strings(&validate_service_in(&svc, &rel)),
        [
            r#"spec.clusterIPs: Invalid value: ["10.96.0.10","::ffff:10.96.0.11"]: may specify no more than one IP for each IP family"#
        ]
    );
}

#[test]
fn cluster_ip_family_must_match_ip_families() {
    assert_single(
        &with(|v| {
            v["spec"]["clusterIP"] = json!("fd00::10");
            v["spec"]["clusterIPs"] = json!(["fd00::10"]);
        }),
        r#"spec.clusterIPs[0]: Invalid value: "fd00::10": expected an IPv4 value as indicated by `ipFamilies[0]`"#,
    );
    // both checks run: the shape error and the per-index family mismatch
    assert_errs(
        &validate_service_v4(&with(|v| {
            v["spec"]["clusterIPs"] = json!(["10.96.0.10", "10.96.0.11"]);
            v["spec"]["ipFamilies"] = json!(["IPv4", "IPv6"]);
            v["spec"]["ipFamilyPolicy"] = json!("RequireDualStack");
        })),
        &[
            r#"spec.clusterIPs: Invalid value: ["10.96.0.10","10.96.0.11"]: may specify no more than one IP for each IP family"#,
            r#"spec.clusterIPs[1]: Invalid value: "10.96.0.11": expected an IPv6 value as indicated by `ipFamilies[1]`"#,
        ],
    );
}

#[test]
fn expected_ipv6_value_message() {
    assert_errs(
        &validate_service_v4(&with(|v| v["spec"]["ipFamilies"] = json!(["IPv6"]))),
        &[
            r#"spec.clusterIPs[0]: Invalid value: "10.96.0.10": expected an IPv6 value as indicated by `ipFamilies[0]`"#,
        ],
    );
}

#[test]
fn internal_traffic_policy_values() {
    assert_single(
        &with(|v| v["spec"]["internalTrafficPolicy"] = json!("Nearby")),
        r#"spec.internalTrafficPolicy: Unsupported value: "Nearby": supported values: "Cluster", "Local""#,
    );
    let mut s = with(|_| {});
    s.spec.internal_traffic_policy = None;
    assert_single(&s, "spec.internalTrafficPolicy: Required value");
}

#[test]
fn external_traffic_policy_only_for_external_services() {
    assert_single(
        &with(|v| v["spec"]["externalTrafficPolicy"] = json!("Local")),
        r#"spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services"#,
    );
    assert_single(
        &with(|v| {
            v["spec"]["type"] = json!("NodePort");
            v["spec"]["externalTrafficPolicy"] = json!("Nearest");
        }),
        r#"spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local""#,
    );
}

#[test]
fn allocate_load_balancer_node_ports_rules() {
    assert_single(
        &with(|v| v["spec"]["allocateLoadBalancerNodePorts"] = json!(true)),
        "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
    );
    let mut s = with(|v| v["spec"]["type"] = json!("LoadBalancer"));
    s.spec.allocate_load_balancer_node_ports = None;
    // upstream builds this path without "spec."
    assert_single(&s, "allocateLoadBalancerNodePorts: Required value");
}

#[test]
fn load_balancer_local_needs_a_health_check_node_port() {
    assert_single(
        &with(|v| {
            v["spec"]["type"] = json!("LoadBalancer");
            v["spec"]["externalTrafficPolicy"] = json!("Local");
        }),
        "spec.healthCheckNodePort: Required value",
    );
    assert!(check(&with(|v| {
        v["spec"]["type"] = json!("LoadBalancer");
        v["spec"]["externalTrafficPolicy"] = json!("Local");
        v["spec"]["healthCheckNodePort"] = json!(31000);
    }))
    .is_empty());
}

#[test]
fn load_balancer_class_only_on_load_balancers() {
    assert_single(
        &with(|v| v["spec"]["loadBalancerClass"] = json!("example.com/lb")),
        "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
    );
}

#[test]
fn load_balancer_source_ranges() {
    assert_errs(&validate_service_v4(&with(|v| v["spec"]["loadBalancerSourceRanges"] = json!([" 10.0.0.0/8 ", "x"]))), &[
            "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
            r#"spec.LoadBalancerSourceRanges[1]: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#,
        ]);
}

#[test]
fn external_ips_must_be_valid_and_not_special() {
    assert_single(
        &with(|v| v["spec"]["externalIPs"] = json!(["127.0.0.1"])),
        r#"spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)"#,
    );
    assert_single(
        &with(|v| v["spec"]["externalIPs"] = json!(["fe80::1"])),
        r#"spec.externalIPs[0]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)"#,
    );
    assert_single(
        &with(|v| v["spec"]["externalIPs"] = json!(["nope"])),
        r#"spec.externalIPs[0]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#,
    );
    assert_single(
        &with(|v| v["spec"]["externalIPs"] = json!(["0.0.0.0"])),
        r#"spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)"#,
    );
}

#[test]
fn selector_uses_label_rules() {
    let got = check(&with(|v| v["spec"]["selector"] = json!({"app": "-web"})));
    assert_eq!(got.len(), 1);
    assert!(got[0].starts_with(r#"spec.selector: Invalid value: "-web": a valid label must be"#));
}

#[test]
fn topology_annotations_must_agree() {
    assert_single(
        &with(|v| {
            v["metadata"]["annotations"] = json!({
                "service.kubernetes.io/topology-mode": "Auto",
                "service.kubernetes.io/topology-aware-hints": "Disabled"
            })
        }),
        r#"metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified"#,
    );
}

// ---- update rules ----

fn update(new: &Service, old: &Service) -> Vec<String> {
    strings(&validate_service_update(new, old))
}

fn dual() -> Service {
    with(|v| {
        v["spec"]["clusterIPs"] = json!(["10.96.0.10", "fd00::10"]);
        v["spec"]["ipFamilies"] = json!(["IPv4", "IPv6"]);
        v["spec"]["ipFamilyPolicy"] = json!("PreferDualStack");
    })
}

#[test]
fn update_unchanged_is_valid() {
    let old = with(|_| {});
    assert!(update(&old.clone(), &old).is_empty());
}

#[test]
fn update_changing_cluster_ip() {
    let old = with(|_| {});
    let new = with(|v| {
        v["spec"]["clusterIP"] = json!("10.96.0.11");
        v["spec"]["clusterIPs"] = json!(["10.96.0.11"]);
    });
    let errs = validate_service_update(&new, &old);
    let expected = r#"spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set"#;
    assert_errs(&errs, &[expected]);
    assert_eq!(
        ApiError::invalid("Service", "", "web", &errs).message,
        format!(r#"Service "web" is invalid: {expected}"#)
    );
}

#[test]
fn update_unsetting_the_primary() {
    let old = with(|_| {});
    let new = with(|v| {
        v["spec"]["clusterIP"] = json!("");
        v["spec"]["clusterIPs"] = json!([]);
        v["spec"]["ipFamilies"] = json!([]);
    });
    assert_errs(
        &validate_service_update(&new, &old),
        &[
            "spec.clusterIPs[0]: Invalid value: null: primary clusterIP can not be unset",
            "spec.ipFamilies[0]: Invalid value: null: primary ipFamily can not be unset",
        ],
    );
}

#[test]
fn update_releasing_secondary_needs_single_stack() {
    let old = dual();
    let new = with(|v| v["spec"]["ipFamilyPolicy"] = json!("PreferDualStack"));
    assert_errs(
        &validate_service_update(&new, &old),
        &[
            r#"spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be set to 'SingleStack' when releasing the secondary clusterIP"#,
            r#"spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be set to 'SingleStack' when releasing the secondary ipFamily"#,
        ],
    );
    let ok = with(|_| {});
    assert!(update(&ok, &old).is_empty());
}

#[test]
fn update_shrinking_with_a_new_primary() {
    let old = dual();
    let new = with(|v| {
        v["spec"]["clusterIP"] = json!("10.96.0.11");
        v["spec"]["clusterIPs"] = json!(["10.96.0.11"]);
    });
    assert_errs(
        &validate_service_update(&new, &old),
        &[r#"spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set"#],
    );
}

#[test]
fn update_growing_keeps_the_primary() {
    let old = with(|_| {});
    let new = with(|v| {
        v["spec"]["clusterIP"] = json!("10.96.0.11");
        v["spec"]["clusterIPs"] = json!(["10.96.0.11", "fd00::10"]);
        v["spec"]["ipFamilies"] = json!(["IPv4", "IPv6"]);
        v["spec"]["ipFamilyPolicy"] = json!("RequireDualStack");
    });
    assert_errs(
        &validate_service_update(&new, &old),
        &[
            r#"spec.clusterIPs[0]: Invalid value: ["10.96.0.11","fd00::10"]: may not change once set"#,
        ],
    );
    let ok = dual();
    assert!(update(&ok, &old).is_empty());
}

#[test]
fn update_changing_the_family() {
    let old = with(|v| {
        v["spec"]["clusterIP"] = json!("");
        v["spec"]["clusterIPs"] = json!([]);
    });
    let new = with(|v| {
        v["spec"]["clusterIP"] = json!("");
        v["spec"]["clusterIPs"] = json!([]);
        v["spec"]["ipFamilies"] = json!(["IPv6"]);
    });
    assert_errs(
        &validate_service_update(&new, &old),
        &[r#"spec.ipFamilies[0]: Invalid value: ["IPv6"]: may not change once set"#],
    );
}

#[test]
fn update_headless_may_change_families() {
    let old = with(|v| {
        headless(v);
        v["spec"]["ipFamilies"] = json!(["IPv4"]);
    });
    let new = with(|v| {
        headless(v);
        v["spec"]["ipFamilies"] = json!(["IPv6"]);
    });
    assert!(update(&new, &old).is_empty());
}

#[test]
fn update_to_or_from_external_name_skips_ip_rules() {
    let old = with(|_| {});
    let new = svc_from(json!({
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": "1"},
        "spec": {"type": "ExternalName", "externalName": "example.com"}
    }));
    assert!(update(&new, &old).is_empty());
    assert!(update(&old, &new).is_empty());
}

#[test]
fn update_load_balancer_class_is_immutable() {
    let lb = |class: &str| {
        with(|v| {
            v["spec"]["type"] = json!("LoadBalancer");
            v["spec"]["loadBalancerClass"] = json!(class);
        })
    };
    assert_errs(
        &validate_service_update(&lb("example.com/b"), &lb("example.com/a")),
        &[r#"spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set"#],
    );
}

#[test]
fn update_health_check_node_port_is_immutable() {
    let lb = |port: u16| {
        with(|v| {
            v["spec"]["type"] = json!("LoadBalancer");
            v["spec"]["externalTrafficPolicy"] = json!("Local");
            v["spec"]["healthCheckNodePort"] = json!(port);
        })
    };
    assert_errs(
        &validate_service_update(&lb(31001), &lb(31000)),
        &["spec.healthCheckNodePort: Forbidden: field is immutable"],
    );
}

#[test]
fn update_reruns_create_rules() {
    let old = with(|_| {});
    let new = with(|v| v["spec"]["type"] = json!("Foo"));
    let got = update(&new, &old);
    assert!(
        got.iter()
            .any(|e| e.starts_with(r#"spec.type: Unsupported value: "Foo""#)),
        "{got:?}"
    );
}
