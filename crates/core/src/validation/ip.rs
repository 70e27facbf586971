//! IP and CIDR string checks as apimachinery's `util/validation/ip.go` (1.33+) does
//! them, plus the family helpers of k8s.io/utils/net. Which parser accepts a string
//! decides which message the user sees, so every rule states which one it uses.

use crate::net::{parse_cidr, parse_cidr_sloppy, parse_ip, parse_ip_sloppy, Family};

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
