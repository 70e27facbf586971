//! IP and CIDR string checks as apimachinery's `util/validation/ip.go` (1.33+) does
//! them, plus the family helpers of k8s.io/utils/net. Which parser accepts a string
//! decides which message the user sees, so every rule states which one it uses.

use crate::net::{parse_cidr, parse_cidr_sloppy, parse_ip, parse_ip_sloppy, Family};
use crate::release::IpWarnings;

pub const MSG_INVALID_IP: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
pub const MSG_IP_LEADING_ZEROS: &str = "must not have leading 0s";
pub const MSG_IP_MAPPED: &str = "must not be an IPv4-mapped IPv6 address";
pub const MSG_INVALID_CIDR: &str =
    "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
pub const MSG_CIDR_LEADING_ZEROS: &str = "must not have leading 0s in IP or prefix length";
pub const MSG_CIDR_MAPPED: &str = "must not have an IPv4-mapped IPv6 address";
pub const MSG_CIDR_HOST_BITS: &str = "must not have bits set beyond the prefix length";

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `must be in canonical form ("…")`, shared by the IP and CIDR checks.
pub fn canonical_form_error(canonical: &str) -> String {
    format!("must be in canonical form ({})", quoted(canonical))
}

/// IsValidIP (strict, 1.33+): the IPAddress name rule. At most one message from
/// the parse stage; the canonical-form check runs only when parsing was clean.
pub fn is_valid_ip_strict(value: &str) -> Vec<String> {
    let Some(sloppy) = parse_ip_sloppy(value) else {
        return vec![MSG_INVALID_IP.to_string()];
    };
    match parse_ip(value) {
        None => return vec![MSG_IP_LEADING_ZEROS.to_string()],
        Some(a) if a.is_ipv4_mapped() => return vec![MSG_IP_MAPPED.to_string()],
        Some(_) => {}
    }
    let canonical = sloppy.to_string();
    if value != canonical {
        return vec![canonical_form_error(&canonical)];
    }
    Vec::new()
}

/// IsValidIPForLegacyField with strict validation off (the StrictIPCIDRValidation
/// gate is alpha and off in 1.33/1.34): only "does the sloppy parser accept it".
/// Used for Service clusterIPs and externalIPs.
pub fn is_valid_ip_legacy(value: &str) -> Vec<String> {
    if parse_ip_sloppy(value).is_some() {
        Vec::new()
    } else {
        vec![MSG_INVALID_IP.to_string()]
    }
}

/// IsValidCIDR (strict, 1.33+): exactly one message per bad entry, in the order
/// unparsable > leading zeros > IPv4-mapped > host bits > non-canonical.
pub fn is_valid_cidr_strict(value: &str) -> Vec<String> {
    let Some(sloppy) = parse_cidr_sloppy(value) else {
        return vec![MSG_INVALID_CIDR.to_string()];
    };
    match parse_cidr(value) {
        None => return vec![MSG_CIDR_LEADING_ZEROS.to_string()],
        Some(p) if p.addr.is_ipv4_mapped() => return vec![MSG_CIDR_MAPPED.to_string()],
        Some(p) if p.has_host_bits() => return vec![MSG_CIDR_HOST_BITS.to_string()],
        Some(_) => {}
    }
    let canonical = sloppy.masked().to_string();
    if value != canonical {
        return vec![canonical_form_error(&canonical)];
    }
    Vec::new()
}

/// IsValidCIDRForLegacyField with strict validation off.
pub fn is_valid_cidr_legacy(value: &str) -> Vec<String> {
    if parse_cidr_sloppy(value).is_some() {
        Vec::new()
    } else {
        vec![MSG_INVALID_CIDR.to_string()]
    }
}

/// Name rule for IPAddress objects (ValidateIPAddressName): the strict IP check.
/// generateName gets no special treatment upstream, so neither does it here.
pub fn is_valid_ip_name(name: &str) -> Vec<String> {
    is_valid_ip_strict(name)
}

/// Family as k8s.io/utils/net sees it (IsIPv6String: sloppy parse, then
/// `To4() == nil`): an IPv4-mapped IPv6 address counts as IPv4.
pub fn sloppy_ip_family(s: &str) -> Option<Family> {
    let a = parse_ip_sloppy(s)?;
    if a.is_ipv4_mapped() {
        Some(Family::IPv4)
    } else {
        Some(a.family)
    }
}

/// Family as IsIPv6CIDR sees it: the *masked* network address of the sloppy parse;
/// a mapped prefix whose mask keeps the ::ffff: bits counts as IPv4.
pub fn sloppy_cidr_family(s: &str) -> Option<Family> {
    let p = parse_cidr_sloppy(s)?;
    if p.masked().addr.is_ipv4_mapped() {
        Some(Family::IPv4)
    } else {
        Some(p.family())
    }
}

/// IsDualStackIPStrings / IsDualStackCIDRStrings: None when an entry does not
/// parse, else whether both families occur.
pub fn is_dual_stack(families: impl IntoIterator<Item = Option<Family>>) -> Option<bool> {
    let (mut v4, mut v6) = (false, false);
    for f in families {
        match f? {
            Family::IPv4 => v4 = true,
            Family::IPv6 => v6 = true,
        }
    }
    Some(v4 && v6)
}

/// IsValidIPForLegacyField (KEP-4858): the sloppy parser decides; with
/// StrictIPCIDRValidation also no leading zeros and no IPv4-mapped form, unless
/// the value is one the old object already held (ratcheting). Used for Service
/// clusterIPs and externalIPs.
pub fn is_valid_ip_for_legacy_field(
    value: &str,
    strict: bool,
    valid_old: &[String],
) -> Vec<String> {
    if parse_ip_sloppy(value).is_none() {
        return vec![MSG_INVALID_IP.to_string()];
    }
    if !strict || valid_old.iter().any(|o| o == value) {
        return Vec::new();
    }
    match parse_ip(value) {
        None => vec![MSG_IP_LEADING_ZEROS.to_string()],
        Some(a) if a.is_ipv4_mapped() => vec![MSG_IP_MAPPED.to_string()],
        Some(_) => Vec::new(),
    }
}

/// IsValidCIDRForLegacyField: as [`is_valid_ip_for_legacy_field`], and strict
/// validation also refuses host bits set beyond the prefix length.
pub fn is_valid_cidr_for_legacy_field(
    value: &str,
    strict: bool,
    valid_old: &[String],
) -> Vec<String> {
    if parse_cidr_sloppy(value).is_none() {
        return vec![MSG_INVALID_CIDR.to_string()];
    }
    if !strict || valid_old.iter().any(|o| o == value) {
        return Vec::new();
    }
    match parse_cidr(value) {
        None => vec![MSG_CIDR_LEADING_ZEROS.to_string()],
        Some(p) if p.addr.is_ipv4_mapped() => vec![MSG_CIDR_MAPPED.to_string()],
        Some(p) if p.has_host_bits() => vec![MSG_CIDR_HOST_BITS.to_string()],
        Some(_) => Vec::new(),
    }
}

/// Go's net.IP String() of a sloppy-parsed address: an IPv4-mapped address
/// prints as plain IPv4 (`::ffff:10.96.0.3` → `10.96.0.3`).
pub fn net_ip_string(value: &str) -> Option<String> {
    parse_ip_sloppy(value).map(|a| a.unmap_ipv4().to_string())
}

/// The API warning for an IP value in a legacy field (pkg/api/service/warnings.go).
/// `path` is the field (`spec.clusterIPs[0]`).
pub fn ip_warnings(path: &str, value: &str, style: IpWarnings) -> Vec<String> {
    let Some(sloppy) = net_ip_string(value) else {
        return Vec::new();
    };
    let strict = parse_ip(value);
    match style {
        // GetWarningsForIP (apimachinery, PR #128786).
        IpWarnings::NonStandard => match strict {
            None => vec![non_standard_ip(path, value, &sloppy)],
            Some(a) if a.is_ipv4_mapped() => vec![non_standard_ip(path, value, &sloppy)],
            Some(a) if a.family == Family::IPv6 && a.to_string() != value => vec![format!(
                "{path}: IPv6 address {} should be in RFC 5952 canonical format ({})",
                quoted(value),
                quoted(&a.to_string())
            )],
            Some(_) => Vec::new(),
        },
        // The older getWarningsForIP: netip.ParseAddr's error text; an
        // IPv4-mapped address parses and prints back unchanged, so no warning.
        IpWarnings::NetipError => match strict {
            None => vec![format!(
                "{path}: IP address was accepted, but will be invalid in a future Kubernetes release: ParseAddr({}): IPv4 field has octet with leading zero",
                quoted(value)
            )],
            Some(a) if a.family == Family::IPv6 && !a.is_ipv4_mapped() && a.to_string() != value => {
                vec![format!(
                    "{path}: IPv6 address {} is not in RFC 5952 canonical format ({}), which may cause controller apply-loops",
                    quoted(value),
                    quoted(&a.to_string())
                )]
            }
            Some(_) => Vec::new(),
        },
    }
}

fn non_standard_ip(path: &str, value: &str, preferred: &str) -> String {
    format!(
        "{path}: non-standard IP address {} will be considered invalid in a future Kubernetes release: use {}",
        quoted(value),
        quoted(preferred)
    )
}

/// GetWarningsForCIDR (apimachinery, PR #128786) for loadBalancerSourceRanges.
/// Releases before it warned in other words, which are not modelled (none).
pub fn cidr_warnings(path: &str, value: &str, style: IpWarnings) -> Vec<String> {
    if style != IpWarnings::NonStandard {
        return Vec::new();
    }
    let Some(sloppy) = parse_cidr_sloppy(value) else {
        return Vec::new();
    };
    let ip = sloppy.addr.unmap_ipv4();
    let masked = sloppy.masked();
    // net.IPNet String(): a mapped network prints as IPv4 with the IPv4 length.
    let ipnet = if sloppy.addr.is_ipv4_mapped() && masked.len >= 96 {
        format!("{}/{}", masked.addr.unmap_ipv4(), masked.len - 96)
    } else {
        masked.to_string()
    };
    let mut out = Vec::new();
    if sloppy.has_host_bits() {
        let bits = if sloppy.addr.is_ipv4_mapped() {
            32
        } else {
            sloppy.family().bits()
        };
        out.push(format!(
            "{path}: CIDR value {} is ambiguous in this context (should be {} or {}?)",
            quoted(value),
            quoted(&ipnet),
            quoted(&format!("{ip}/{bits}"))
        ));
    }
    let strict = parse_cidr(value);
    if strict.is_none() || strict.is_some_and(|p| p.addr.is_ipv4_mapped()) {
        out.push(format!(
            "{path}: non-standard CIDR value {} will be considered invalid in a future Kubernetes release: use {}",
            quoted(value),
            quoted(&ipnet)
        ));
    }
    if let Some(p) = strict {
        if out.is_empty() && p.family() == Family::IPv6 && p.to_string() != value {
            out.push(format!(
                "{path}: IPv6 CIDR value {} should be in RFC 5952 canonical format ({})",
                quoted(value),
                quoted(&p.to_string())
            ));
        }
    }
    out
}
