//! Kubernetes' CEL `ip` and `cidr` libraries (k8s.io/apiserver/pkg/cel/library
//! ip.go and cidr.go): the `net.IP` and `net.CIDR` types, their functions, and
//! their error texts.

use super::netaddr::{self, Prefix};
use cel::common::types::{CelBool, CelInt, CelString, Type};
use cel::common::value::{StaticVal, Val};
use cel::{DeclarationError, Env, ExecutionError};
use std::any::Any;
use std::net::IpAddr;

pub static IP_TYPE: Type = Type::new_unspecified_type("net.IP");
pub static CIDR_TYPE: Type = Type::new_unspecified_type("net.CIDR");

/// The functions whose errors are the library's own text, not cel's
/// "Error executing function" wrapping (see `super::error_text`).
pub const FUNCTIONS: &[&str] = &[
    "ip",
    "cidr",
    "ip.isCanonical",
    "family",
    "containsIP",
    "containsCIDR",
];

/// A `net.IP` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ip(pub IpAddr);

/// A `net.CIDR` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cidr(pub Prefix);

impl Val for Ip {
    fn get_type(&self) -> &Type {
        <Self as Val>::cel_type()
    }
    fn cel_type() -> &'static Type {
        &IP_TYPE
    }
    fn equals(&self, other: &dyn Val) -> bool {
        other.downcast_ref::<Ip>().is_some_and(|o| o == self)
    }
    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> Option<&dyn Any> {
        Some(self)
    }
}
impl StaticVal for Ip {}

impl Val for Cidr {
    fn get_type(&self) -> &Type {
        <Self as Val>::cel_type()
    }
    fn cel_type() -> &'static Type {
        &CIDR_TYPE
    }
    fn equals(&self, other: &dyn Val) -> bool {
        other.downcast_ref::<Cidr>().is_some_and(|o| o == self)
    }
    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> Option<&dyn Any> {
        Some(self)
    }
}
impl StaticVal for Cidr {}

fn fail(function: &str, message: String) -> ExecutionError {
    ExecutionError::function_error(function, message)
}

/// ip.go parseIPAddr: netip, then no zone and no IPv4-mapped IPv6.
fn parse_ip_addr(raw: &str) -> Result<IpAddr, String> {
    let addr = netaddr::parse_addr(raw).map_err(|e| {
        format!(
            "IP Address {} parse error during conversion from string: {e}",
            netaddr::go_quote(raw)
        )
    })?;
    if !addr.zone.is_empty() {
        return Err(format!(
            "IP address {} with zone value is not allowed",
            netaddr::go_quote(raw)
        ));
    }
    if netaddr::is_4in6(&addr.ip) {
        return Err(format!(
            "IPv4-mapped IPv6 address {} is not allowed",
            netaddr::go_quote(raw)
        ));
    }
    Ok(addr.ip)
}

/// cidr.go parseCIDR.
fn parse_cidr(raw: &str) -> Result<Prefix, String> {
    let p = netaddr::parse_prefix(raw)
        .map_err(|e| format!("network address parse error during conversion from string: {e}"))?;
    if netaddr::is_4in6(&p.addr) {
        return Err(format!(
            "IPv4-mapped IPv6 address {} is not allowed",
            netaddr::go_quote(raw)
        ));
    }
    Ok(p)
}

fn ip(s: &CelString<'_>) -> Result<Ip, ExecutionError> {
    parse_ip_addr(s.inner()).map(Ip).map_err(|e| fail("ip", e))
}

fn is_ip(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_ip_addr(s.inner()).is_ok())
}

fn ip_is_canonical(s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    let addr = parse_ip_addr(s.inner()).map_err(|e| fail("ip.isCanonical", e))?;
    Ok(CelBool::from(netaddr::addr_string(&addr) == s.inner()))
}

fn family(ip: &Ip) -> CelInt {
    CelInt::from(if ip.0.is_ipv4() { 4 } else { 6 })
}

fn is_unspecified(ip: &Ip) -> CelBool {
    CelBool::from(netaddr::is_unspecified(&ip.0))
}
fn is_loopback(ip: &Ip) -> CelBool {
    CelBool::from(netaddr::is_loopback(&ip.0))
}
fn is_link_local_multicast(ip: &Ip) -> CelBool {
    CelBool::from(netaddr::is_link_local_multicast(&ip.0))
}
fn is_link_local_unicast(ip: &Ip) -> CelBool {
    CelBool::from(netaddr::is_link_local_unicast(&ip.0))
}
fn is_global_unicast(ip: &Ip) -> CelBool {
    CelBool::from(netaddr::is_global_unicast(&ip.0))
}
fn ip_to_string(ip: &Ip) -> CelString<'static> {
    CelString::from(netaddr::addr_string(&ip.0))
}

fn cidr(s: &CelString<'_>) -> Result<Cidr, ExecutionError> {
    // cidr.go stringToCIDR wraps parseCIDR's error in the same prefix again.
    parse_cidr(s.inner()).map(Cidr).map_err(|e| {
        fail(
            "cidr",
            format!("network address parse error during conversion from string: {e}"),
        )
    })
}
fn is_cidr(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_cidr(s.inner()).is_ok())
}
fn cidr_to_string(c: &Cidr) -> CelString<'static> {
    CelString::from(c.0.string())
}
fn contains_ip(c: &Cidr, ip: &Ip) -> CelBool {
    CelBool::from(c.0.contains(&ip.0))
}
fn contains_ip_string(c: &Cidr, s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    let addr = parse_ip_addr(s.inner()).map_err(|e| fail("containsIP", e))?;
    Ok(CelBool::from(c.0.contains(&addr)))
}
/// cidr.go cidrContainsCIDR: same masked network at the receiver's length,
/// and the receiver no longer than the other.
fn contains_cidr_prefix(c: &Prefix, other: &Prefix) -> bool {
    let widened = Prefix {
        addr: other.addr,
        bits: c.bits,
    };
    // PrefixFrom(addr, bits) of another family is invalid and never equal.
    c.addr.is_ipv4() == other.addr.is_ipv4()
        && c.masked() == widened.masked()
        && c.bits <= other.bits
}
fn contains_cidr(c: &Cidr, other: &Cidr) -> CelBool {
    CelBool::from(contains_cidr_prefix(&c.0, &other.0))
}
fn contains_cidr_string(c: &Cidr, s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    let other = parse_cidr(s.inner()).map_err(|e| {
        fail(
            "containsCIDR",
            format!("network address parse error during conversion from string: {e}"),
        )
    })?;
    Ok(CelBool::from(contains_cidr_prefix(&c.0, &other)))
}
fn prefix_length(c: &Cidr) -> CelInt {
    CelInt::from(i64::from(c.0.bits))
}
fn cidr_ip(c: &Cidr) -> Ip {
    Ip(c.0.addr)
}
fn masked(c: &Cidr) -> Cidr {
    Cidr(c.0.masked())
}

/// Registers both libraries on `env`.
pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_type(IP_TYPE.to_owned())?;
    env.add_type(CIDR_TYPE.to_owned())?;
    cel::add_overload!(env, fn ip: (CelString) -> Result<Ip>, id = "string_to_ip")?;
    cel::add_overload!(env, fn is_ip: (CelString) -> CelBool, name = "isIP")?;
    cel::add_overload!(env, fn ip_is_canonical: (CelString) -> Result<CelBool>, name = "ip.isCanonical")?;
    cel::add_member_overload!(env, fn family: (Ip) -> CelInt)?;
    cel::add_member_overload!(env, fn is_unspecified: (Ip) -> CelBool)?;
    cel::add_member_overload!(env, fn is_loopback: (Ip) -> CelBool)?;
    cel::add_member_overload!(env, fn is_link_local_multicast: (Ip) -> CelBool)?;
    cel::add_member_overload!(env, fn is_link_local_unicast: (Ip) -> CelBool)?;
    cel::add_member_overload!(env, fn is_global_unicast: (Ip) -> CelBool)?;
    cel::add_overload!(env, fn ip_to_string: (Ip) -> CelString, name = "string")?;
    cel::add_overload!(env, fn cidr: (CelString) -> Result<Cidr>, id = "string_to_cidr")?;
    cel::add_overload!(env, fn is_cidr: (CelString) -> CelBool, name = "isCIDR")?;
    cel::add_overload!(env, fn cidr_to_string: (Cidr) -> CelString, name = "string")?;
    cel::add_member_overload!(env, fn contains_ip: (Cidr, Ip) -> CelBool, name = "containsIP")?;
    cel::add_member_overload!(env, fn contains_ip_string: (Cidr, CelString) -> Result<CelBool>, name = "containsIP")?;
    cel::add_member_overload!(env, fn contains_cidr: (Cidr, Cidr) -> CelBool, name = "containsCIDR")?;
    cel::add_member_overload!(env, fn contains_cidr_string: (Cidr, CelString) -> Result<CelBool>, name = "containsCIDR")?;
    cel::add_member_overload!(env, fn prefix_length: (Cidr) -> CelInt)?;
    cel::add_member_overload!(env, fn cidr_ip: (Cidr) -> Ip, name = "ip")?;
    cel::add_member_overload!(env, fn masked: (Cidr) -> Cidr)?;
    Ok(())
}
