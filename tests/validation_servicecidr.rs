#![cfg(not(target_arch = "wasm32"))]
// Native tests: the wasm build runs tests/wasm_*.rs instead.
//! ServiceCIDR validation: upstream §2.1–2.3 messages, paths and ordering quirks.

mod common;

use common::{assert_invalid, strings};
use serde_json::json;
use servicecidr_sim::model::{ApiError, FieldError, ServiceCIDR};
use servicecidr_sim::validation::{
    is_valid_cidr_strict, validate_service_cidr, validate_service_cidr_status_update,
    validate_service_cidr_update,
};

fn cidr(name: &str, cidrs: &[&str]) -> ServiceCIDR {
    serde_json::from_value(json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "ServiceCIDR",
        "metadata": {"name": name, "resourceVersion": "1"},
        "spec": {"cidrs": cidrs},
    }))
    .unwrap()
}

/// The errors as `field: body` strings and as the aggregated 422 message.
fn assert_errs(errs: &[FieldError], expected: &[&str]) {
    assert_invalid(
        errs,
        expected,
        ("ServiceCIDR", "networking.k8s.io", "x"),
        "ServiceCIDR.networking.k8s.io",
    );
}

fn api_message(name: &str, errs: &[FieldError]) -> String {
    ApiError::invalid("ServiceCIDR", "networking.k8s.io", name, errs).message
}

/// One error, checked both as `field: body` and as the 422 message.
fn assert_single(sc: &ServiceCIDR, expected: &str) {
    let errs = validate_service_cidr(sc);
    assert_eq!(strings(&errs), vec![expected.to_string()]);
    assert_eq!(
        api_message(&sc.metadata.name, &errs),
        format!(
            "ServiceCIDR.networking.k8s.io \"{}\" is invalid: {expected}",
            sc.metadata.name
        )
    );
}

const CIDR_INVALID: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
const FAMILY: &str =
    "may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64";

#[test]
fn good_ipv4_ipv6_and_dual_stack_ranges_are_valid() {
    for c in [
        vec!["10.0.0.0/16"],
        vec!["fd00:1234::/64"],
        vec!["10.0.0.0/16", "fd00:1234::/64"],
        vec!["fd00:1234::/64", "10.0.0.0/16"],
        vec!["0.0.0.0/0"],
        vec!["10.0.0.0/32"],
    ] {
        assert!(validate_service_cidr(&cidr("x", &c)).is_empty(), "{c:?}");
    }
}

#[test]
fn empty_cidrs_is_required() {
    assert_single(
        &cidr("x", &[]),
        "spec.cidrs: Required value: at least one CIDR required",
    );
}

#[test]
fn three_cidrs_render_the_whole_spec() {
    assert_single(
        &cidr("x", &["10.0.0.0/24", "fd00::/64", "10.1.0.0/24"]),
        r#"spec.cidrs: Invalid value: {"cidrs":["10.0.0.0/24","fd00::/64","10.1.0.0/24"]}: may only hold up to 2 values"#,
    );
}

#[test]
fn three_cidrs_return_before_per_entry_checks() {
    let errs = validate_service_cidr(&cidr("x", &["garbage", "junk", "10.0.0.1/8"]));
    assert_eq!(errs.len(), 1);
    assert!(errs[0]
        .to_string()
        .ends_with("may only hold up to 2 values"));
}

#[test]
fn two_cidrs_of_one_family_give_the_family_message() {
    assert_single(
        &cidr("x", &["10.0.0.0/24", "10.1.0.0/24"]),
        &format!(
            r#"spec.cidrs: Invalid value: {{"cidrs":["10.0.0.0/24","10.1.0.0/24"]}}: {FAMILY}"#
        ),
    );
}

#[test]
fn garbage_in_a_pair_gives_the_family_message_not_a_parse_error() {
    assert_single(
        &cidr("x", &["garbage", "fd00::/64"]),
        &format!(r#"spec.cidrs: Invalid value: {{"cidrs":["garbage","fd00::/64"]}}: {FAMILY}"#),
    );
}

#[test]
fn upstream_case_bad_iprange_ipv6_bad_ipv4_is_one_family_error() {
    // validation_test.go: sloppy parse of the pair fails, so only the family message.
    let errs = validate_service_cidr(&cidr("x", &["192.168.007.0/24", "MN00:1234::/64"]));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].to_string().ends_with(FAMILY));
}

#[test]
fn a_pair_with_a_host_bits_entry_passes_the_family_check_then_fails_strictly() {
    // upstream "badip-vs-ipv4-ipv6": one error, on the IPv4 entry.
    assert_errs(
        &validate_service_cidr(&cidr("x", &["192.168.0.1/24", "fd00:1234::/64"])),
        &[
            r#"spec.cidrs[0]: Invalid value: "192.168.0.1/24": must not have bits set beyond the prefix length"#,
        ],
    );
}

#[test]
fn unparsable_entry() {
    assert_single(
        &cidr("x", &["garbage"]),
        &format!(r#"spec.cidrs[0]: Invalid value: "garbage": {CIDR_INVALID}"#),
    );
}

#[test]
fn bare_ip_is_not_a_cidr() {
    assert_single(
        &cidr("x", &["192.168.0.1"]),
        &format!(r#"spec.cidrs[0]: Invalid value: "192.168.0.1": {CIDR_INVALID}"#),
    );
}

#[test]
fn prefix_length_out_of_range_is_unparsable() {
    assert_single(
        &cidr("x", &["10.0.0.0/33"]),
        &format!(r#"spec.cidrs[0]: Invalid value: "10.0.0.0/33": {CIDR_INVALID}"#),
    );
}

#[test]
fn leading_zeros_in_the_address() {
    assert_single(
        &cidr("x", &["10.01.0.0/16"]),
        r#"spec.cidrs[0]: Invalid value: "10.01.0.0/16": must not have leading 0s in IP or prefix length"#,
    );
}

#[test]
fn leading_zeros_in_the_prefix_length() {
    assert_single(
        &cidr("x", &["10.0.0.0/08"]),
        r#"spec.cidrs[0]: Invalid value: "10.0.0.0/08": must not have leading 0s in IP or prefix length"#,
    );
}

#[test]
fn ipv4_mapped_prefix() {
    assert_single(
        &cidr("x", &["::ffff:10.0.0.0/120"]),
        r#"spec.cidrs[0]: Invalid value: "::ffff:10.0.0.0/120": must not have an IPv4-mapped IPv6 address"#,
    );
}

#[test]
fn host_bits_set() {
    assert_single(
        &cidr("x", &["192.168.0.1/24"]),
        r#"spec.cidrs[0]: Invalid value: "192.168.0.1/24": must not have bits set beyond the prefix length"#,
    );
}

#[test]
fn upstream_case_badip_iprange_ipv6_host_bits() {
    assert_single(
        &cidr("x", &["fd00:1234::2/64"]),
        r#"spec.cidrs[0]: Invalid value: "fd00:1234::2/64": must not have bits set beyond the prefix length"#,
    );
}

#[test]
fn uppercase_with_host_bits_gives_exactly_one_error_in_the_133_helper() {
    // Pre-1.33 hand-written checks reported two errors here; 1.33+ reports one.
    let errs = validate_service_cidr(&cidr("x", &["FD00:1234::2/64"]));
    assert_errs(
        &errs,
        &[
            r#"spec.cidrs[0]: Invalid value: "FD00:1234::2/64": must not have bits set beyond the prefix length"#,
        ],
    );
}

#[test]
fn non_canonical_ipv6_names_the_canonical_form() {
    assert_single(
        &cidr("x", &["FD00:1234::/64"]),
        r#"spec.cidrs[0]: Invalid value: "FD00:1234::/64": must be in canonical form ("fd00:1234::/64")"#,
    );
    assert_single(
        &cidr("x", &["fd00:0:0:0::/64"]),
        r#"spec.cidrs[0]: Invalid value: "fd00:0:0:0::/64": must be in canonical form ("fd00::/64")"#,
    );
}

#[test]
fn each_entry_of_a_valid_pair_is_checked_separately() {
    assert_errs(
        &validate_service_cidr(&cidr("x", &["10.0.0.1/24", "FD00::/64"])),
        &[
            r#"spec.cidrs[0]: Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length"#,
            r#"spec.cidrs[1]: Invalid value: "FD00::/64": must be in canonical form ("fd00::/64")"#,
        ],
    );
}

#[test]
fn strict_cidr_helper_priority_is_one_message_per_value() {
    for (v, want) in [
        ("x/24", CIDR_INVALID),
        (
            "010.0.0.0/8",
            "must not have leading 0s in IP or prefix length",
        ),
        (
            "::ffff:1.2.3.0/120",
            "must not have an IPv4-mapped IPv6 address",
        ),
        (
            "::ffff:1.2.3.4/120",
            "must not have an IPv4-mapped IPv6 address",
        ),
        (
            "1.2.3.4/8",
            "must not have bits set beyond the prefix length",
        ),
        (
            "2001:DB8::/32",
            r#"must be in canonical form ("2001:db8::/32")"#,
        ),
    ] {
        assert_eq!(is_valid_cidr_strict(v), vec![want.to_string()], "{v}");
    }
    assert!(is_valid_cidr_strict("2001:db8::/32").is_empty());
}

#[test]
fn name_must_be_a_dns_subdomain() {
    assert_single(
        &cidr("Bad_Name", &["10.0.0.0/24"]),
        r#"metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
    );
}

#[test]
fn name_longer_than_253_characters() {
    let long = "a".repeat(254);
    assert_single(
        &cidr(&long, &["10.0.0.0/24"]),
        &format!(r#"metadata.name: Invalid value: "{long}": must be no more than 253 characters"#),
    );
}

#[test]
fn name_is_required_unless_generate_name() {
    let mut sc = cidr("", &["10.0.0.0/24"]);
    assert_single(
        &sc,
        "metadata.name: Required value: name or generateName is required",
    );
    // generateName alone still needs the registry to generate a name first.
    sc.metadata.generate_name = "range-".into();
    sc.metadata.name = "range-x7k2p".into();
    assert!(validate_service_cidr(&sc).is_empty());
}

#[test]
fn bad_generate_name_is_reported_on_its_own_field() {
    let mut sc = cidr("ok", &["10.0.0.0/24"]);
    sc.metadata.generate_name = "Range-".into();
    let errs = validate_service_cidr(&sc);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].to_string().starts_with(
        r#"metadata.generateName: Invalid value: "Range-": a lowercase RFC 1123 subdomain"#
    ));
}

#[test]
fn cluster_scoped_object_may_not_have_a_namespace() {
    let mut sc = cidr("x", &["10.0.0.0/24"]);
    sc.metadata.namespace = "default".into();
    assert_single(
        &sc,
        "metadata.namespace: Forbidden: not allowed on this type",
    );
}

#[test]
fn meta_and_spec_errors_aggregate_in_order() {
    let errs = validate_service_cidr(&cidr("", &[]));
    assert_eq!(
        api_message("", &errs),
        "ServiceCIDR.networking.k8s.io \"\" is invalid: [metadata.name: Required value: name or generateName is required, spec.cidrs: Required value: at least one CIDR required]"
    );
}

#[test]
fn update_without_changes_is_valid() {
    let old = cidr("x", &["10.0.0.0/24", "fd00::/64"]);
    assert!(validate_service_cidr_update(&old.clone(), &old).is_empty());
}

#[test]
fn update_changing_an_entry_is_immutable_per_index() {
    let old = cidr("x", &["10.0.0.0/24"]);
    let new = cidr("x", &["10.1.0.0/24"]);
    let errs = validate_service_cidr_update(&new, &old);
    assert_errs(
        &errs,
        &[r#"spec.cidrs[0]: Invalid value: "10.1.0.0/24": field is immutable"#],
    );
    assert_eq!(
        api_message("x", &errs),
        r#"ServiceCIDR.networking.k8s.io "x" is invalid: spec.cidrs[0]: Invalid value: "10.1.0.0/24": field is immutable"#
    );
}

#[test]
fn update_reordering_a_dual_pair_reports_both_indexes() {
    let old = cidr("x", &["10.0.0.0/24", "fd00::/64"]);
    let new = cidr("x", &["fd00::/64", "10.0.0.0/24"]);
    assert_errs(
        &validate_service_cidr_update(&new, &old),
        &[
            r#"spec.cidrs[0]: Invalid value: "fd00::/64": field is immutable"#,
            r#"spec.cidrs[1]: Invalid value: "10.0.0.0/24": field is immutable"#,
        ],
    );
}

#[test]
fn update_single_to_dual_append_is_allowed() {
    let old = cidr("kubernetes", &["10.96.0.0/12"]);
    let new = cidr("kubernetes", &["10.96.0.0/12", "fd00::/108"]);
    assert!(validate_service_cidr_update(&new, &old).is_empty());
}

#[test]
fn update_single_to_dual_must_keep_the_first_entry() {
    let old = cidr("x", &["10.96.0.0/12"]);
    let new = cidr("x", &["10.97.0.0/16", "fd00::/108"]);
    assert_errs(
        &validate_service_cidr_update(&new, &old),
        &[r#"spec.cidrs[0]: Invalid value: "10.97.0.0/16": field is immutable"#],
    );
}

#[test]
fn update_single_to_dual_still_needs_one_per_family() {
    let old = cidr("x", &["10.96.0.0/12"]);
    let new = cidr("x", &["10.96.0.0/12", "10.200.0.0/16"]);
    let errs = validate_service_cidr_update(&new, &old);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].to_string().ends_with(FAMILY));
}

#[test]
fn update_dual_to_single_is_immutable_as_a_whole() {
    let old = cidr("x", &["10.0.0.0/24", "fd00::/64"]);
    let new = cidr("x", &["10.0.0.0/24"]);
    assert_errs(
        &validate_service_cidr_update(&new, &old),
        &[r#"spec.cidrs: Invalid value: ["10.0.0.0/24"]: field is immutable"#],
    );
}

#[test]
fn update_removing_all_cidrs_reports_required_and_immutable() {
    let old = cidr("x", &["10.0.0.0/24"]);
    let new = cidr("x", &[]);
    assert_errs(
        &validate_service_cidr_update(&new, &old),
        &[
            "spec.cidrs: Required value: at least one CIDR required",
            "spec.cidrs: Invalid value: null: field is immutable",
        ],
    );
}

#[test]
fn update_renaming_is_immutable() {
    let old = cidr("x", &["10.0.0.0/24"]);
    let new = cidr("y", &["10.0.0.0/24"]);
    assert_errs(
        &validate_service_cidr_update(&new, &old),
        &[r#"metadata.name: Invalid value: "y": field is immutable"#],
    );
}

#[test]
fn status_update_validates_metadata_only() {
    let old = cidr("x", &["10.0.0.0/24"]);
    let mut new: ServiceCIDR = serde_json::from_value(json!({
        "metadata": {"name": "x", "resourceVersion": "2"},
        // a spec the create rules would reject, and a condition without reason
        "spec": {"cidrs": ["garbage", "junk", "more"]},
        "status": {"conditions": [{"type": "Ready", "status": "True",
            "lastTransitionTime": "2024-01-01T00:00:00Z", "reason": "", "message": ""}]},
    }))
    .unwrap();
    assert!(validate_service_cidr_status_update(&new, &old).is_empty());
    new.metadata.resource_version.clear();
    assert_errs(
        &validate_service_cidr_status_update(&new, &old),
        &[r#"metadata.resourceVersion: Invalid value: "": must be specified for an update"#],
    );
}
