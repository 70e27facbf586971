#![cfg(not(target_arch = "wasm32"))]
//! The validation seam per release: field-error value rendering (Go `%#v` up
//! to 1.33, JSON from 1.34), strict IP/CIDR validation from 1.36 with
//! ratcheting, the Service IP warnings of each release, the IPv4-mapped and
//! leading-zero clusterIP forms, and the ServiceCIDR single → dual exception.
//! Each case names the upstream change it follows.

use serde_json::{json, Value};
use servicecidr_sim::model::Service;
use servicecidr_sim::validation::validate_service_update_in;
use servicecidr_sim::{Cluster, ClusterOptions, Release};

fn cluster(version: &str) -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.96.0.0/24".into()),
        seed: Some(1.0),
        now: Some(json!("2026-01-01T00:00:00Z")),
        kube_dns: Some(false),
        version: Some(version.into()),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{version}: {e}"))
}

fn svc(name: &str, cluster_ip: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
           "spec": {"clusterIP": cluster_ip, "ports": [{"port": 80}]}})
}

fn cidr(api_version: &str, name: &str, cidrs: &[&str]) -> Value {
    json!({"apiVersion": api_version, "kind": "ServiceCIDR", "metadata": {"name": name},
           "spec": {"cidrs": cidrs}})
}

/// The version a release stores ServiceCIDRs in: v1 from 1.33 (PR #128971).
fn networking(version: &str) -> &'static str {
    match version {
        "1.29" | "1.30" => "networking.k8s.io/v1alpha1",
        "1.31" | "1.32" => "networking.k8s.io/v1beta1",
        _ => "networking.k8s.io/v1",
    }
}

/// apimachinery's ErrorBody: `%#v` for non-scalar values up to v0.33, JSON
/// from v0.34 (kubernetes 1.34), reference §2.0.
#[test]
fn field_error_values_go_style_then_json() {
    let cases: &[(&str, &str)] = &[
        (
            "1.29",
            r#"ServiceCIDR.networking.k8s.io "three" is invalid: spec.cidrs: Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24"}}: may only hold up to 2 values"#,
        ),
        (
            "1.33",
            r#"ServiceCIDR.networking.k8s.io "three" is invalid: spec.cidrs: Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24"}}: may only hold up to 2 values"#,
        ),
        (
            "1.34",
            r#"ServiceCIDR.networking.k8s.io "three" is invalid: spec.cidrs: Invalid value: {"cidrs":["10.1.0.0/24","10.2.0.0/24","10.3.0.0/24"]}: may only hold up to 2 values"#,
        ),
        (
            "1.37",
            r#"ServiceCIDR.networking.k8s.io "three" is invalid: spec.cidrs: Invalid value: {"cidrs":["10.1.0.0/24","10.2.0.0/24","10.3.0.0/24"]}: may only hold up to 2 values"#,
        ),
    ];
    for (v, want) in cases {
        let mut c = cluster(v);
        let e = c
            .create(cidr(
                networking(v),
                "three",
                &["10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24"],
            ))
            .unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (422, *want), "{v}");
    }
    // The reference's own 1.33 example (§2.0), and its 1.34 form.
    let cases: &[(&str, &str)] = &[
        (
            "1.33",
            r#"Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated"#,
        ),
        (
            "1.34",
            r#"Service "b" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.5"]: failed to allocate IP 10.96.0.5: provided IP is already allocated"#,
        ),
    ];
    for (v, want) in cases {
        let mut c = cluster(v);
        c.create(svc("a", "10.96.0.5")).unwrap();
        let e = c.create(svc("b", "10.96.0.5")).unwrap_err();
        assert_eq!(e.message, *want, "{v}");
        assert_eq!(
            e.status()["details"]["causes"][0]["message"],
            want.split_once("spec.clusterIPs: ").unwrap().1,
            "{v}"
        );
    }
}

/// A slice of a named string type prints with its Go type up to v0.33
/// (`[]core.IPFamily{"IPv6"}`), as JSON after.
#[test]
fn named_slice_types_per_release() {
    let stored: Service = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
        "spec": {"clusterIP": "None", "clusterIPs": ["None"], "ipFamilies": ["IPv4"],
                 "ipFamilyPolicy": "SingleStack", "type": "ClusterIP", "sessionAffinity": "None",
                 "internalTrafficPolicy": "Cluster", "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}]}
    }))
    .unwrap();
    let mut changed2 = stored.clone();
    changed2.spec.ip_families = vec!["IPv6".into()];
    changed2.spec.cluster_ip = "fd00::9".into();
    changed2.spec.cluster_ips = vec!["fd00::9".into()];
    let mut old = stored.clone();
    old.spec.cluster_ip = "10.96.0.9".into();
    old.spec.cluster_ips = vec!["10.96.0.9".into()];
    for (v, want) in [
        (
            "1.33",
            r#"spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6"}: may not change once set"#,
        ),
        (
            "1.34",
            r#"spec.ipFamilies[0]: Invalid value: ["IPv6"]: may not change once set"#,
        ),
    ] {
        let rel = Release::parse(v).unwrap();
        let errs = validate_service_update_in(&changed2, &old, &rel);
        let got: Vec<String> = errs
            .iter()
            .filter(|e| e.field == "spec.ipFamilies[0]")
            .map(|e| e.to_string_as(rel.value_style))
            .collect();
        assert_eq!(got, [want], "{v}");
    }
}

/// KEP-4858: before 1.36 a leading-zero or IPv4-mapped clusterIP is accepted
/// with a warning (text of PR #128786 from 1.33, older netip text before; the
/// mapped form drew none then) and used as IPv4; StrictIPCIDRValidation
/// (beta, on, PR #137053) rejects both from 1.36.
#[test]
fn legacy_cluster_ip_forms_per_release() {
    struct Case {
        version: &'static str,
        ip: &'static str,
        /// Ok(warnings, the IPAddress named) or Err(422 message).
        want: Result<(&'static [&'static str], &'static str), &'static str>,
    }
    let cases = [
        Case {
            version: "1.32",
            ip: "10.096.0.5",
            want: Ok((
                &[
                    r#"spec.clusterIPs[0]: IP address was accepted, but will be invalid in a future Kubernetes release: ParseAddr("10.096.0.5"): IPv4 field has octet with leading zero"#,
                ],
                "10.96.0.5",
            )),
        },
        Case {
            version: "1.32",
            ip: "::ffff:10.96.0.3",
            want: Ok((&[], "10.96.0.3")),
        },
        Case {
            version: "1.33",
            ip: "10.096.0.5",
            want: Ok((
                &[
                    r#"spec.clusterIPs[0]: non-standard IP address "10.096.0.5" will be considered invalid in a future Kubernetes release: use "10.96.0.5""#,
                ],
                "10.96.0.5",
            )),
        },
        Case {
            version: "1.35",
            ip: "::ffff:10.96.0.3",
            want: Ok((
                &[
                    r#"spec.clusterIPs[0]: non-standard IP address "::ffff:10.96.0.3" will be considered invalid in a future Kubernetes release: use "10.96.0.3""#,
                ],
                "10.96.0.3",
            )),
        },
        Case {
            version: "1.36",
            ip: "10.096.0.5",
            want: Err(
                r#"Service "s" is invalid: spec.clusterIPs[0]: Invalid value: "10.096.0.5": must not have leading 0s"#,
            ),
        },
        Case {
            version: "1.36",
            ip: "::ffff:10.96.0.3",
            want: Err(
                r#"Service "s" is invalid: spec.clusterIPs[0]: Invalid value: "::ffff:10.96.0.3": must not be an IPv4-mapped IPv6 address"#,
            ),
        },
        Case {
            version: "1.37",
            ip: "::ffff:10.96.0.3",
            want: Err(
                r#"Service "s" is invalid: spec.clusterIPs[0]: Invalid value: "::ffff:10.96.0.3": must not be an IPv4-mapped IPv6 address"#,
            ),
        },
    ];
    for case in cases {
        let mut c = cluster(case.version);
        let _ = c.take_warnings();
        let got = c.create(svc("s", case.ip));
        let ctx = format!("{} {}", case.version, case.ip);
        match case.want {
            Ok((warnings, ip_name)) => {
                let stored = got.unwrap_or_else(|e| panic!("{ctx}: {e}"));
                // The Service keeps the string as written.
                assert_eq!(stored["spec"]["clusterIP"], case.ip, "{ctx}");
                assert_eq!(c.take_warnings(), warnings, "{ctx}");
                let ip = c
                    .get("ipaddress", ip_name, None)
                    .unwrap_or_else(|e| panic!("{ctx}: {e}"));
                assert_eq!(
                    ip["metadata"]["labels"]["ipaddress.kubernetes.io/ip-family"],
                    "IPv4"
                );
                assert_eq!(ip["spec"]["parentRef"]["name"], "s");
                // The repair loop sees it as IPv4 and allocated: no events.
                c.advance(180.0).unwrap();
                assert!(c.events().is_empty(), "{ctx}: {:?}", c.events());
                assert!(c.get("ipaddress", ip_name, None).is_ok(), "{ctx}");
                // Deleting the Service releases it.
                c.delete("service", "s", None).unwrap();
                assert!(c.get("ipaddress", ip_name, None).is_err(), "{ctx}");
            }
            Err(msg) => {
                let e = got.expect_err(&ctx);
                assert_eq!((e.code, e.message.as_str()), (422, msg), "{ctx}");
                assert!(c.take_warnings().is_empty(), "{ctx}");
                assert_eq!(
                    c.list("ipaddress", None).unwrap().len(),
                    1,
                    "{ctx}: only 10.96.0.1"
                );
            }
        }
    }
}

/// KEP-4858 ratcheting: a value the stored object already has passes strict
/// validation on update; a new one does not. Upgrading a 1.35 cluster to 1.36
/// is a snapshot restored under the newer version.
#[test]
fn strict_validation_ratchets_unchanged_values() {
    let mut c = cluster("1.35");
    let mut s = svc("old", "10.096.0.5");
    s["spec"]["externalIPs"] = json!(["192.168.001.10"]);
    c.create(s).unwrap();
    let mut snap = c.snapshot();
    snap["config"]["version"] = json!("1.36.0");
    let mut c = Cluster::restore(snap).unwrap();
    assert_eq!(c.version(), "1.36.0");
    let mut live = c.get("service", "old", Some("default")).unwrap();
    live["metadata"]["labels"] = json!({"touched": "yes"});
    c.update(live.clone())
        .expect("unchanged legacy values ratchet");
    let mut live = c.get("service", "old", Some("default")).unwrap();
    live["spec"]["externalIPs"] = json!(["192.168.001.10", "192.168.002.10"]);
    let e = c.update(live).unwrap_err();
    assert_eq!(
        e.message,
        r#"Service "old" is invalid: spec.externalIPs[1]: Invalid value: "192.168.002.10": must not have leading 0s"#
    );
}

/// loadBalancerSourceRanges: host bits set are refused from 1.36 (PR
/// #137053); before, GetWarningsForCIDR (PR #128786) warns.
#[test]
fn source_ranges_per_release() {
    let lb = |name: &str| {
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
               "spec": {"type": "LoadBalancer", "ports": [{"port": 80}],
                        "loadBalancerSourceRanges": ["192.168.0.5/24"]}})
    };
    let mut c = cluster("1.35");
    let _ = c.take_warnings();
    c.create(lb("a")).unwrap();
    assert_eq!(
        c.take_warnings(),
        [
            r#"spec.loadBalancerSourceRanges[0]: CIDR value "192.168.0.5/24" is ambiguous in this context (should be "192.168.0.0/24" or "192.168.0.5/32"?)"#
        ]
    );
    let mut c = cluster("1.36");
    let e = c.create(lb("a")).unwrap_err();
    assert_eq!(
        e.message,
        r#"Service "a" is invalid: spec.LoadBalancerSourceRanges[0]: Invalid value: "192.168.0.5/24": must not have bits set beyond the prefix length"#
    );
}

/// ServiceCIDR spec.cidrs: wholly immutable before PR #131263 (1.33); from
/// then one CIDR may grow to a dual-stack pair keeping cidrs[0].
#[test]
fn service_cidr_single_to_dual_update_per_release() {
    let cases: &[(&str, Option<&str>)] = &[
        (
            "1.29",
            Some(
                r#"ServiceCIDR.networking.k8s.io "grow" is invalid: spec.cidrs: Invalid value: []string{"10.10.0.0/24", "fd00:10::/120"}: field is immutable"#,
            ),
        ),
        (
            "1.32",
            Some(
                r#"ServiceCIDR.networking.k8s.io "grow" is invalid: spec.cidrs: Invalid value: []string{"10.10.0.0/24", "fd00:10::/120"}: field is immutable"#,
            ),
        ),
        ("1.33", None),
        ("1.37", None),
    ];
    for (v, want) in cases {
        let mut c = cluster(v);
        c.create(cidr(networking(v), "grow", &["10.10.0.0/24"]))
            .unwrap();
        let mut sc = c.get("servicecidr", "grow", None).unwrap();
        sc["spec"]["cidrs"] = json!(["10.10.0.0/24", "fd00:10::/120"]);
        match (c.update(sc), want) {
            (Ok(got), None) => assert_eq!(got["spec"]["cidrs"][1], "fd00:10::/120", "{v}"),
            (Err(e), Some(msg)) => assert_eq!(e.message, *msg, "{v}"),
            (got, _) => panic!("{v}: {got:?}"),
        }
    }
}

/// Served versions (KEP-1880: v1alpha1 1.29–1.30, v1beta1 1.31 (PR #122047)
/// to 1.36, v1 from 1.33 (PR #128971), v1beta1 removed in 1.37 (PR #139820)):
/// an unserved version is refused, a deprecated one earns the apiserver's
/// warning, and objects come back in the preferred version.
#[test]
fn manifest_versions_per_release() {
    struct Case {
        version: &'static str,
        api_version: &'static str,
        /// Ok((warning, apiVersion returned)) or Err(message).
        want: Result<(Option<&'static str>, &'static str), &'static str>,
    }
    let cases = [
        Case { version: "1.29", api_version: "networking.k8s.io/v1alpha1", want: Ok((None, "networking.k8s.io/v1alpha1")) },
        Case { version: "1.30", api_version: "networking.k8s.io/v1alpha1", want: Ok((Some("networking.k8s.io/v1alpha1 ServiceCIDR is deprecated in v1.30+, unavailable in v1.33+"), "networking.k8s.io/v1alpha1")) },
        Case { version: "1.30", api_version: "networking.k8s.io/v1", want: Err(r#"no matches for kind "ServiceCIDR" in version "networking.k8s.io/v1""#) },
        Case { version: "1.31", api_version: "networking.k8s.io/v1beta1", want: Ok((None, "networking.k8s.io/v1beta1")) },
        Case { version: "1.32", api_version: "networking.k8s.io/v1alpha1", want: Err(r#"no matches for kind "ServiceCIDR" in version "networking.k8s.io/v1alpha1""#) },
        Case { version: "1.33", api_version: "networking.k8s.io/v1beta1", want: Ok((None, "networking.k8s.io/v1")) },
        Case { version: "1.34", api_version: "networking.k8s.io/v1beta1", want: Ok((Some("networking.k8s.io/v1beta1 ServiceCIDR is deprecated in v1.34+, unavailable in v1.37+"), "networking.k8s.io/v1")) },
        Case { version: "1.36", api_version: "networking.k8s.io/v1", want: Ok((None, "networking.k8s.io/v1")) },
        Case { version: "1.37", api_version: "networking.k8s.io/v1beta1", want: Err(r#"no matches for kind "ServiceCIDR" in version "networking.k8s.io/v1beta1""#) },
    ];
    for case in cases {
        let ctx = format!("{} {}", case.version, case.api_version);
        let mut c = cluster(case.version);
        let _ = c.take_warnings();
        let got = c.create(cidr(case.api_version, "x", &["10.20.0.0/24"]));
        match case.want {
            Ok((warning, returned)) => {
                let obj = got.unwrap_or_else(|e| panic!("{ctx}: {e}"));
                assert_eq!(obj["apiVersion"], returned, "{ctx}");
                assert_eq!(
                    c.take_warnings(),
                    warning.into_iter().collect::<Vec<_>>(),
                    "{ctx}"
                );
                // The default ServiceCIDR and its IPAddress too.
                let k = c.get("servicecidr", "kubernetes", None).unwrap();
                assert_eq!(k["apiVersion"], returned, "{ctx}");
                let ip = c.get("ipaddress", "10.96.0.1", None).unwrap();
                assert_eq!(ip["apiVersion"], returned, "{ctx}");
            }
            Err(msg) => {
                let e = got.expect_err(&ctx);
                assert_eq!((e.code, e.message.as_str()), (404, msg), "{ctx}");
            }
        }
    }
}
