//! No input panics the validators: arbitrary strings as CIDRs, IP names, object
//! names and Service fields, through defaulting, family init and validation.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Value};
use servicecidr_sim::model::{
    ApiError, IPAddress, ParentReference, Service, ServiceCIDR, ServicePort,
};
use servicecidr_sim::net::Family;
use servicecidr_sim::validation::names::{
    is_path_segment_name, is_qualified_name, is_valid_label_value, is_valid_port_name,
    mask_trailing_dash,
};
use servicecidr_sim::validation::*;

/// Mostly IP/CIDR-shaped text, sometimes anything at all.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-fA-F:./%]{0,45}",
        "[0-9]{1,4}(\\.[0-9]{1,4}){0,4}(/[0-9]{0,4})?",
        "(::ffff:)?[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(/[0-9]{1,3})?",
        "[a-zA-Z0-9._/-]{0,70}",
        "\\PC{0,20}",
        Just("None".to_string()),
        Just(String::new()),
    ]
}

fn families() -> impl Strategy<Value = Vec<Family>> {
    prop_oneof![
        Just(vec![Family::IPv4]),
        Just(vec![Family::IPv6]),
        Just(vec![Family::IPv4, Family::IPv6]),
        Just(vec![Family::IPv6, Family::IPv4]),
        Just(vec![]),
    ]
}

fn target_port() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        any::<i64>().prop_map(|n| Some(json!(n))),
        text().prop_map(|s| Some(json!(s))),
        Just(Some(json!(1.5))),
        Just(Some(json!([1]))),
    ]
}

fn port() -> impl Strategy<Value = ServicePort> {
    (
        text(),
        any::<i32>(),
        text(),
        target_port(),
        proptest::option::of(any::<i32>()),
    )
        .prop_map(
            |(name, port, protocol, target_port, node_port)| ServicePort {
                name,
                protocol,
                app_protocol: None,
                port,
                target_port,
                node_port,
            },
        )
}

fn service() -> impl Strategy<Value = Service> {
    (
        text(),
        text(),
        proptest::collection::vec(text(), 0..4),
        proptest::collection::vec(text(), 0..3),
        proptest::option::of(text()),
        prop_oneof![
            Just("".to_string()),
            Just("ClusterIP".to_string()),
            Just("NodePort".to_string()),
            Just("LoadBalancer".to_string()),
            Just("ExternalName".to_string()),
            text()
        ],
        proptest::collection::vec(port(), 0..3),
        (
            proptest::collection::vec(text(), 0..2),
            text(),
            text(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                name,
                cluster_ip,
                cluster_ips,
                fams,
                policy,
                type_,
                ports,
                (ext, ext_name, aff, sel),
            )| {
                let mut s: Service = serde_json::from_value(json!({
                    "metadata": {"name": name, "namespace": "default", "resourceVersion": "1"},
                    "spec": {"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": "x"}},
                             "healthCheckNodePort": -5, "loadBalancerSourceRanges": ["x", 3]}
                }))
                .unwrap();
                s.spec.cluster_ip = cluster_ip;
                s.spec.cluster_ips = cluster_ips;
                s.spec.ip_families = fams;
                s.spec.ip_family_policy = policy;
                s.spec.type_ = type_;
                s.spec.ports = ports;
                s.spec.external_ips = ext;
                s.spec.external_name = ext_name;
                s.spec.session_affinity = aff;
                if sel {
                    s.spec.selector.insert("app".into(), "web".into());
                }
                s
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn string_checkers_never_panic(s in text()) {
        let _ = is_valid_cidr_strict(&s);
        let _ = is_valid_ip_strict(&s);
        let _ = is_valid_ip_name(&s);
        let _ = is_dns1123_subdomain(&s);
        let _ = is_dns1123_label(&s);
        let _ = is_dns1035_label(&s);
        let _ = is_qualified_name(&s);
        let _ = is_valid_label_value(&s);
        let _ = is_path_segment_name(&s);
        let _ = is_valid_port_name(&s);
        let _ = mask_trailing_dash(&s);
    }

    #[test]
    fn strict_cidr_check_reports_at_most_one_message(s in text()) {
        prop_assert!(is_valid_cidr_strict(&s).len() <= 1);
        prop_assert!(is_valid_ip_name(&s).len() <= 1);
    }

    #[test]
    fn service_cidr_never_panics(name in text(), cidrs in proptest::collection::vec(text(), 0..4),
                                 old_cidrs in proptest::collection::vec(text(), 0..4)) {
        let mk = |c: &Vec<String>| -> ServiceCIDR {
            serde_json::from_value(json!({"metadata": {"name": name}, "spec": {"cidrs": c}})).unwrap()
        };
        let (new, old) = (mk(&cidrs), mk(&old_cidrs));
        let errs = validate_service_cidr_update(&new, &old);
        let _ = ApiError::invalid("ServiceCIDR", "networking.k8s.io", &name, &errs).message;
        let _ = validate_service_cidr_status_update(&new, &old);
        if cidrs.len() == 1 && is_valid_cidr_strict(&cidrs[0]).is_empty()
            && is_dns1123_subdomain(&name).is_empty() {
            prop_assert!(validate_service_cidr(&new).is_empty());
        }
    }

    #[test]
    fn ip_address_never_panics(name in text(), g in text(), r in text(), ns in text(), n in text(),
                               has_ref in any::<bool>()) {
        let mut ip: IPAddress = serde_json::from_value(json!({"metadata": {"name": name}})).unwrap();
        if has_ref {
            ip.spec.parent_ref = Some(ParentReference { group: g, resource: r, namespace: ns, name: n });
        }
        let old = ip.clone();
        let _ = validate_ip_address(&ip);
        let _ = validate_ip_address_update(&ip, &old);
    }

    #[test]
    fn service_pipeline_never_panics(mut new in service(), old in service(), fams in families()) {
        default_service(&mut new);
        let mut old = old;
        default_service(&mut old);
        let _ = validate_service(&new, &fams);
        let _ = validate_service_update(&new, &old);
        let mut created = new.clone();
        normalize_cluster_ips(&mut created, None);
        let errs = init_ip_family_fields(&mut created, None, &fams);
        let _ = ApiError::invalid("Service", "", &created.metadata.name, &errs).message;
        let mut updated = new.clone();
        patch_allocated_values(&mut updated, &old);
        normalize_cluster_ips(&mut updated, Some(&old));
        let _ = init_ip_family_fields(&mut updated, Some(&old), &fams);
        drop_type_dependent_fields(&mut updated, &old);
        let _ = validate_service_update(&updated, &old);
    }
}
