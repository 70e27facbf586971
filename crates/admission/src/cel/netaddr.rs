//! IP addresses and prefixes parsed exactly as Go's `net/netip` parses them
//! (`ParseAddr`, `ParsePrefix`), because Kubernetes' CEL `ip`/`cidr` libraries
//! put netip's error text in their messages, and accept or refuse exactly what
//! netip does (leading zeros refused, `::ffff:a.b.c.d` parsed then refused by
//! the library, zones parsed then refused).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address as netip holds it: IPv4 or IPv6, with the zone kept so the
/// library can refuse it with its own message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addr {
    pub ip: IpAddr,
    pub zone: String,
}

/// Go's `strconv.Quote` for the ASCII/UTF-8 strings users type: escapes `"`,
/// `\` and control characters the way Go prints them.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn addr_error(input: &str, msg: &str, at: &str) -> String {
    if at.is_empty() {
        format!("ParseAddr({}): {msg}", go_quote(input))
    } else {
        format!(
            "ParseAddr({}): {msg} (at {})",
            go_quote(input),
            go_quote(at)
        )
    }
}

/// netip.ParseAddr.
pub fn parse_addr(s: &str) -> Result<Addr, String> {
    for b in s.bytes() {
        match b {
            b'.' => return parse_ipv4(s),
            b':' => return parse_ipv6(s),
            b'%' => return Err(addr_error(s, "missing IPv6 address", "")),
            _ => {}
        }
    }
    Err(addr_error(s, "unable to parse IP", ""))
}

fn parse_ipv4(s: &str) -> Result<Addr, String> {
    let mut fields = [0u8; 4];
    parse_ipv4_fields(s, 0, s.len(), &mut fields)?;
    Ok(Addr {
        ip: IpAddr::V4(Ipv4Addr::from(fields)),
        zone: String::new(),
    })
}

fn parse_ipv4_fields(input: &str, off: usize, end: usize, fields: &mut [u8]) -> Result<(), String> {
    let s = input.as_bytes().get(off..end).unwrap_or(&[]);
    let (mut val, mut pos, mut dig_len) = (0u32, 0usize, 0usize);
    for (i, &c) in s.iter().enumerate() {
        if c.is_ascii_digit() {
            if dig_len == 1 && val == 0 {
                return Err(addr_error(
                    input,
                    "IPv4 field has octet with leading zero",
                    "",
                ));
            }
            val = val * 10 + u32::from(c - b'0');
            dig_len += 1;
            if val > 255 {
                return Err(addr_error(input, "IPv4 field has value >255", ""));
            }
        } else if c == b'.' {
            if i == 0 || i == s.len() - 1 || s[i - 1] == b'.' {
                let at = String::from_utf8_lossy(&s[i..]);
                return Err(addr_error(
                    input,
                    "IPv4 field must have at least one digit",
                    &at,
                ));
            }
            if pos == 3 {
                return Err(addr_error(input, "IPv4 address too long", ""));
            }
            if let Some(f) = fields.get_mut(pos) {
                *f = val as u8;
            }
            pos += 1;
            val = 0;
            dig_len = 0;
        } else {
            let at = String::from_utf8_lossy(&s[i..]);
            return Err(addr_error(input, "unexpected character", &at));
        }
    }
    if pos < 3 {
        return Err(addr_error(input, "IPv4 address too short", ""));
    }
    if let Some(f) = fields.get_mut(3) {
        *f = val as u8;
    }
    Ok(())
}

fn parse_ipv6(input: &str) -> Result<Addr, String> {
    let (mut s, zone) = match input.find('%') {
        Some(i) => {
            let zone = &input[i + 1..];
            if zone.is_empty() {
                return Err(addr_error(input, "zone must be a non-empty string", ""));
            }
            (&input.as_bytes()[..i], zone)
        }
        None => (input.as_bytes(), ""),
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if s.len() >= 2 && s[0] == b':' && s[1] == b':' {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Ok(Addr {
                ip: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                zone: zone.to_string(),
            });
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let mut off = 0usize;
        let mut acc: u32 = 0;
        while off < s.len() {
            let c = s[off];
            let d = match c {
                b'0'..=b'9' => u32::from(c - b'0'),
                b'a'..=b'f' => u32::from(c - b'a' + 10),
                b'A'..=b'F' => u32::from(c - b'A' + 10),
                _ => break,
            };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(addr_error(
                    input,
                    "each group must have 4 or less digits",
                    &text(s),
                ));
            }
            if acc > u32::from(u16::MAX) {
                return Err(addr_error(input, "IPv6 field has value >=2^16", &text(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err(addr_error(
                input,
                "each colon-separated field must have at least one digit",
                &text(s),
            ));
        }
        if off < s.len() && s[off] == b'.' {
            if ellipsis.is_none() && i != 12 {
                return Err(addr_error(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    &text(s),
                ));
            }
            if i + 4 > 16 {
                return Err(addr_error(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    &text(s),
                ));
            }
            let mut end = input.len();
            if !zone.is_empty() {
                end -= zone.len() + 1;
            }
            parse_ipv4_fields(input, end - s.len(), end, &mut ip[i..i + 4])?;
            s = &[];
            i += 4;
            break;
        }
        ip[i] = (acc >> 8) as u8;
        ip[i + 1] = acc as u8;
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' {
            return Err(addr_error(
                input,
                "unexpected character, want colon",
                &text(s),
            ));
        } else if s.len() == 1 {
            return Err(addr_error(
                input,
                "colon must be followed by more characters",
                &text(s),
            ));
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis.is_some() {
                return Err(addr_error(input, "multiple :: in address", &text(s)));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(addr_error(
            input,
            "trailing garbage after address",
            &text(s),
        ));
    }
    if i < 16 {
        let Some(e) = ellipsis else {
            return Err(addr_error(input, "address string too short", ""));
        };
        let n = 16 - i;
        let mut j = i;
        while j > e {
            j -= 1;
            ip[j + n] = ip[j];
        }
        for b in &mut ip[e..e + n] {
            *b = 0;
        }
    } else if ellipsis.is_some() {
        return Err(addr_error(
            input,
            "the :: must expand to at least one field of zeros",
            &text(s),
        ));
    }
    Ok(Addr {
        ip: IpAddr::V6(Ipv6Addr::from(ip)),
        zone: zone.to_string(),
    })
}

/// A netip.Prefix: the address as written (not masked) and the prefix length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefix {
    pub addr: IpAddr,
    pub bits: u8,
}

/// netip.ParsePrefix.
pub fn parse_prefix(s: &str) -> Result<Prefix, String> {
    let err = |msg: &str| format!("netip.ParsePrefix({}): {msg}", go_quote(s));
    let Some(i) = s.rfind('/') else {
        return Err(err("no '/'"));
    };
    let addr = parse_addr(&s[..i]).map_err(|e| err(&e))?;
    if addr.ip.is_ipv6() && !addr.zone.is_empty() {
        return Err(err("IPv6 zones cannot be present in a prefix"));
    }
    let bits_str = &s[i + 1..];
    let bad_bits = || err(&format!("bad bits after slash: {}", go_quote(bits_str)));
    let first = bits_str.as_bytes().first().copied();
    if bits_str.len() > 1 && !matches!(first, Some(b'1'..=b'9')) {
        return Err(bad_bits());
    }
    // strconv.Atoi: optional sign then digits; a lone sign or anything else is an error.
    let digits = bits_str.strip_prefix(['+', '-']).unwrap_or(bits_str);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_bits());
    }
    let max = if addr.ip.is_ipv6() { 128 } else { 32 };
    let bits: u64 = match digits.parse::<u64>() {
        Ok(b) if !bits_str.starts_with('-') || b == 0 => b,
        Ok(_) => return Err(err("prefix length out of range")),
        // Atoi's range error is a syntax error to ParsePrefix's caller too.
        Err(_) => return Err(bad_bits()),
    };
    if bits > max {
        return Err(err("prefix length out of range"));
    }
    Ok(Prefix {
        addr: addr.ip,
        bits: bits as u8,
    })
}

/// True for `::ffff:a.b.c.d` (netip's Is4In6).
pub fn is_4in6(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().is_some(),
        IpAddr::V4(_) => false,
    }
}

/// netip's Addr.String(): dotted quad, or RFC 5952 (what std prints).
pub fn addr_string(ip: &IpAddr) -> String {
    ip.to_string()
}

fn to_bits(ip: &IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(*v4)), 32),
        IpAddr::V6(v6) => (u128::from(*v6), 128),
    }
}

fn from_bits(v: u128, width: u8) -> IpAddr {
    if width == 32 {
        IpAddr::V4(Ipv4Addr::from(v as u32))
    } else {
        IpAddr::V6(Ipv6Addr::from(v))
    }
}

fn mask(bits: u8, width: u8) -> u128 {
    if bits == 0 {
        return 0;
    }
    let all: u128 = if width == 32 {
        u128::from(u32::MAX)
    } else {
        u128::MAX
    };
    let shift = u32::from(width.saturating_sub(bits));
    if shift >= 128 {
        0
    } else {
        (all >> shift) << shift
    }
}

impl Prefix {
    /// netip Prefix.Masked().
    pub fn masked(&self) -> Prefix {
        let (v, w) = to_bits(&self.addr);
        Prefix {
            addr: from_bits(v & mask(self.bits, w), w),
            bits: self.bits,
        }
    }

    /// netip Prefix.Contains: same family, and equal under the mask.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        let (a, wa) = to_bits(&self.addr);
        let (b, wb) = to_bits(ip);
        if wa != wb {
            return false;
        }
        let m = mask(self.bits, wa);
        a & m == b & m
    }

    /// netip Prefix.String(): address as written, then the length.
    pub fn string(&self) -> String {
        format!("{}/{}", addr_string(&self.addr), self.bits)
    }
}

/// netip Addr predicates, which the library calls.
pub fn is_loopback(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[0] == 127,
        IpAddr::V6(v6) => *v6 == Ipv6Addr::LOCALHOST,
    }
}

pub fn is_multicast(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[0] & 0xf0 == 0xe0,
        IpAddr::V6(v6) => v6.octets()[0] == 0xff,
    }
}

pub fn is_link_local_multicast(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            o[0] == 224 && o[1] == 0 && o[2] == 0
        }
        IpAddr::V6(v6) => {
            let o = v6.octets();
            o[0] == 0xff && o[1] == 0x02
        }
    }
}

pub fn is_link_local_unicast(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            o[0] == 169 && o[1] == 254
        }
        IpAddr::V6(v6) => {
            let o = v6.octets();
            o[0] == 0xfe && o[1] & 0xc0 == 0x80
        }
    }
}

pub fn is_unspecified(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_unspecified(),
        IpAddr::V6(v6) => v6.is_unspecified(),
    }
}

/// netip Addr.IsGlobalUnicast: private ranges and ULAs still count.
pub fn is_global_unicast(ip: &IpAddr) -> bool {
    if let IpAddr::V4(v4) = ip {
        if v4.is_unspecified() || *v4 == Ipv4Addr::BROADCAST {
            return false;
        }
    }
    !is_unspecified(ip) && !is_loopback(ip) && !is_multicast(ip) && !is_link_local_unicast(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netip_error_texts() {
        assert_eq!(
            parse_addr("192.168.0.1.0").unwrap_err(),
            "ParseAddr(\"192.168.0.1.0\"): IPv4 address too long"
        );
        assert_eq!(
            parse_addr("2001:db8:::68").unwrap_err(),
            "ParseAddr(\"2001:db8:::68\"): each colon-separated field must have at least one digit (at \":68\")"
        );
        assert_eq!(
            parse_addr("010.0.0.1").unwrap_err(),
            "ParseAddr(\"010.0.0.1\"): IPv4 field has octet with leading zero"
        );
        assert_eq!(
            parse_addr("foo").unwrap_err(),
            "ParseAddr(\"foo\"): unable to parse IP"
        );
        assert_eq!(
            parse_prefix("192.168.0.0/33").unwrap_err(),
            "netip.ParsePrefix(\"192.168.0.0/33\"): prefix length out of range"
        );
        assert_eq!(
            parse_prefix("192.168.0.0/024").unwrap_err(),
            "netip.ParsePrefix(\"192.168.0.0/024\"): bad bits after slash: \"024\""
        );
        assert_eq!(
            parse_prefix("10.0.0.0").unwrap_err(),
            "netip.ParsePrefix(\"10.0.0.0\"): no '/'"
        );
    }

    #[test]
    fn parses_like_netip() {
        assert_eq!(parse_addr("::").unwrap().ip.to_string(), "::");
        assert_eq!(
            parse_addr("2001:DB8::68").unwrap().ip.to_string(),
            "2001:db8::68"
        );
        let m = parse_addr("::ffff:1.2.3.4").unwrap();
        assert!(is_4in6(&m.ip));
        assert_eq!(parse_addr("fe80::1%eth0").unwrap().zone, "eth0");
        let p = parse_prefix("10.96.1.5/20").unwrap();
        assert_eq!(p.string(), "10.96.1.5/20");
        assert_eq!(p.masked().string(), "10.96.0.0/20");
        assert_eq!(parse_prefix("::/0").unwrap().masked().string(), "::/0");
        assert_eq!(parse_prefix("0.0.0.0/0").unwrap().bits, 0);
    }
}
