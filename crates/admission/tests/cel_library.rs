//! Ports of Kubernetes' CEL library tests: TestIP (staging/src/k8s.io/apiserver/pkg/cel/library/ip_test.go)
//! and TestCIDR (cidr_test.go), case names kept. Values of type net.IP / net.CIDR are
//! compared by appending `== ip(...)` / `== cidr(...)`, as the Go test compares with Equal.
//! Upstream's compile-time overload errors are runtime errors here (no type checker):
//! the text is the same.

use servicecidr_admission::cel::{evaluate_expression, Outcome};

enum Want {
    Bool(bool),
    Int,
    Str(&'static str),
    Err(&'static str),
}

fn check(name: &str, expr: &str, want: Want) {
    let got = evaluate_expression(expr, &[]);
    match want {
        Want::Bool(b) => assert_eq!(got, Ok(Outcome::Bool(b)), "{name}: {expr}"),
        Want::Str(s) => assert_eq!(got, Ok(Outcome::String(s.to_string())), "{name}: {expr}"),
        Want::Int => assert_eq!(got, Ok(Outcome::Other("int".to_string())), "{name}: {expr}"),
        Want::Err(e) => assert_eq!(got, Err(e.to_string()), "{name}: {expr}"),
    }
}

#[test]
fn test_ip() {
    use Want::*;
    let cases: Vec<(&str, &str, Want)> = vec![
        ("parse ipv4", r#"ip("192.168.0.1") == ip("192.168.0.1")"#, Bool(true)),
        ("parse invalid ipv4", r#"ip("192.168.0.1.0")"#, Err("IP Address \"192.168.0.1.0\" parse error during conversion from string: ParseAddr(\"192.168.0.1.0\"): IPv4 address too long")),
        ("isIP valid ipv4", r#"isIP("192.168.0.1")"#, Bool(true)),
        ("isIP invalid ipv4", r#"isIP("192.168.0.1.0")"#, Bool(false)),
        ("ip.isCanonical valid ipv4", r#"ip.isCanonical("127.0.0.1")"#, Bool(true)),
        ("ip.isCanonical invalid ipv4", r#"ip.isCanonical("127.0.0.1.0")"#, Err("IP Address \"127.0.0.1.0\" parse error during conversion from string: ParseAddr(\"127.0.0.1.0\"): IPv4 address too long")),
        ("ipv4 family", r#"ip("192.168.0.1").family() == 4"#, Bool(true)),
        ("ipv4 isUnspecified true", r#"ip("0.0.0.0").isUnspecified()"#, Bool(true)),
        ("ipv4 isUnspecified false", r#"ip("127.0.0.1").isUnspecified()"#, Bool(false)),
        ("ipv4 isLoopback true", r#"ip("127.0.0.1").isLoopback()"#, Bool(true)),
        ("ipv4 isLoopback false", r#"ip("1.2.3.4").isLoopback()"#, Bool(false)),
        ("ipv4 isLinkLocalMulticast true", r#"ip("224.0.0.1").isLinkLocalMulticast()"#, Bool(true)),
        ("ipv4 isLinkLocalMulticast false", r#"ip("224.0.1.1").isLinkLocalMulticast()"#, Bool(false)),
        ("ipv4 isLinkLocalUnicast true", r#"ip("169.254.169.254").isLinkLocalUnicast()"#, Bool(true)),
        ("ipv4 isLinkLocalUnicast false", r#"ip("192.168.0.1").isLinkLocalUnicast()"#, Bool(false)),
        ("ipv4 isGlobalUnicast true", r#"ip("192.168.0.1").isGlobalUnicast()"#, Bool(true)),
        ("ipv4 isGlobalUnicast false", r#"ip("255.255.255.255").isGlobalUnicast()"#, Bool(false)),
        ("parse ipv6", r#"ip("2001:db8::68") == ip("2001:db8::68")"#, Bool(true)),
        ("parse invalid ipv6", r#"ip("2001:db8:::68")"#, Err("IP Address \"2001:db8:::68\" parse error during conversion from string: ParseAddr(\"2001:db8:::68\"): each colon-separated field must have at least one digit (at \":68\")")),
        ("isIP valid ipv6", r#"isIP("2001:db8::68")"#, Bool(true)),
        ("isIP invalid ipv4", r#"isIP("2001:db8:::68")"#, Bool(false)),
        ("ip.isCanonical valid ipv6", r#"ip.isCanonical("2001:db8::68")"#, Bool(true)),
        ("ip.isCanonical non-canonical ipv6", r#"ip.isCanonical("2001:DB8::68")"#, Bool(false)),
        ("ip.isCanonical invalid ipv6", r#"ip.isCanonical("2001:db8:::68")"#, Err("IP Address \"2001:db8:::68\" parse error during conversion from string: ParseAddr(\"2001:db8:::68\"): each colon-separated field must have at least one digit (at \":68\")")),
        ("ipv6 family", r#"ip("2001:db8::68").family() == 6"#, Bool(true)),
        ("ipv6 isUnspecified true", r#"ip("::").isUnspecified()"#, Bool(true)),
        ("ipv6 isUnspecified false", r#"ip("::1").isUnspecified()"#, Bool(false)),
        ("ipv6 isLoopback true", r#"ip("::1").isLoopback()"#, Bool(true)),
        ("ipv6 isLoopback false", r#"ip("2001:db8::abcd").isLoopback()"#, Bool(false)),
        ("ipv6 isLinkLocalMulticast true", r#"ip("ff02::1").isLinkLocalMulticast()"#, Bool(true)),
        ("ipv6 isLinkLocalMulticast false", r#"ip("fd00::1").isLinkLocalMulticast()"#, Bool(false)),
        ("ipv6 isLinkLocalUnicast true", r#"ip("fe80::1").isLinkLocalUnicast()"#, Bool(true)),
        ("ipv6 isLinkLocalUnicast false", r#"ip("fd80::1").isLinkLocalUnicast()"#, Bool(false)),
        ("ipv6 isGlobalUnicast true", r#"ip("2001:db8::abcd").isGlobalUnicast()"#, Bool(true)),
        ("ipv6 isGlobalUnicast false", r#"ip("ff00::1").isGlobalUnicast()"#, Bool(false)),
        ("passing cidr into isIP returns compile error", r#"isIP(cidr("192.168.0.0/24"))"#, Err("found no matching overload for 'isIP' applied to '(net.CIDR)'")),
        ("converting an IP address to a string", r#"string(ip("192.168.0.1"))"#, Str("192.168.0.1")),
        ("type of IP is net.IP", r#"type(ip("192.168.0.1")) == net.IP"#, Bool(true)),
        // ip.go parseIPAddr's own refusals.
        ("ipv4-mapped ipv6 refused", r#"ip("::ffff:1.2.3.4")"#, Err("IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed")),
        ("zone refused", r#"ip("fe80::1%eth0")"#, Err("IP address \"fe80::1%eth0\" with zone value is not allowed")),
        ("leading zero refused", r#"isIP("010.0.0.1")"#, Bool(false)),
        ("family is an int", r#"ip("10.0.0.1").family()"#, Int),
    ];
    for (name, expr, want) in cases {
        check(name, expr, want);
    }
}

#[test]
fn test_cidr() {
    use Want::*;
    let cases: Vec<(&str, &str, Want)> = vec![
        ("compilation error for cidr(int)", "cidr(192168)", Err("found no matching overload for 'cidr' applied to '(int)'")),
        ("parse ipv4", r#"cidr(dyn("192.168.0.0/24")) == cidr("192.168.0.0/24")"#, Bool(true)),
        ("parse invalid ipv4", r#"cidr("192.168.0.0/")"#, Err("network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(\"192.168.0.0/\"): bad bits after slash: \"\"")),
        ("contains IP ipv4 (IP)", r#"cidr("192.168.0.0/24").containsIP(ip("192.168.0.1"))"#, Bool(true)),
        ("does not contain IP ipv4 (IP)", r#"cidr("192.168.0.0/24").containsIP(ip("192.168.1.1"))"#, Bool(false)),
        ("contains IP ipv4 (string)", r#"cidr("192.168.0.0/24").containsIP("192.168.0.1")"#, Bool(true)),
        ("does not contain IP ipv4 (string)", r#"cidr("192.168.0.0/24").containsIP("192.168.1.1")"#, Bool(false)),
        ("contains CIDR ipv4 (CIDR)", r#"cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/25"))"#, Bool(true)),
        ("does not contain IP ipv4 (CIDR)", r#"cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/23"))"#, Bool(false)),
        ("contains CIDR ipv4 (string)", r#"cidr("192.168.0.0/24").containsCIDR("192.168.0.0/25")"#, Bool(true)),
        ("does not contain CIDR ipv4 (string)", r#"cidr("192.168.0.0/24").containsCIDR("192.168.0.0/23")"#, Bool(false)),
        ("returns IP ipv4", r#"cidr("192.168.0.0/24").ip() == ip("192.168.0.0")"#, Bool(true)),
        ("masks masked ipv4", r#"cidr("192.168.0.0/24").masked() == cidr("192.168.0.0/24")"#, Bool(true)),
        ("masks unmasked ipv4", r#"cidr("192.168.0.1/24").masked() == cidr("192.168.0.0/24")"#, Bool(true)),
        ("returns prefix length ipv4", r#"cidr("192.168.0.0/24").prefixLength() == 24"#, Bool(true)),
        ("parse ipv6", r#"cidr("2001:db8::/32") == cidr("2001:db8::/32")"#, Bool(true)),
        ("parse invalid ipv6", r#"cidr("2001:db8::/")"#, Err("network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(\"2001:db8::/\"): bad bits after slash: \"\"")),
        ("contains IP ipv6 (IP)", r#"cidr("2001:db8::/32").containsIP(ip("2001:db8::1"))"#, Bool(true)),
        ("does not contain IP ipv6 (IP)", r#"cidr("2001:db8::/32").containsIP(ip("2001:dc8::1"))"#, Bool(false)),
        ("contains IP ipv6 (string)", r#"cidr("2001:db8::/32").containsIP("2001:db8::1")"#, Bool(true)),
        ("does not contain IP ipv6 (string)", r#"cidr("2001:db8::/32").containsIP("2001:dc8::1")"#, Bool(false)),
        ("contains CIDR ipv6 (CIDR)", r#"cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/33"))"#, Bool(true)),
        ("does not contain IP ipv6 (CIDR)", r#"cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/31"))"#, Bool(false)),
        ("contains CIDR ipv6 (string)", r#"cidr("2001:db8::/32").containsCIDR("2001:db8::/33")"#, Bool(true)),
        ("does not contain CIDR ipv6 (string)", r#"cidr("2001:db8::/32").containsCIDR("2001:db8::/31")"#, Bool(false)),
        ("returns IP ipv6", r#"cidr("2001:db8::/32").ip() == ip("2001:db8::")"#, Bool(true)),
        ("masks masked ipv6", r#"cidr("2001:db8::/32").masked() == cidr("2001:db8::/32")"#, Bool(true)),
        ("masks unmasked ipv6", r#"cidr("2001:db8:1::/32").masked() == cidr("2001:db8::/32")"#, Bool(true)),
        ("returns prefix length ipv6", r#"cidr("2001:db8::/32").prefixLength() == 32"#, Bool(true)),
        ("converting a CIDR to a string", r#"string(cidr("192.168.0.0/24"))"#, Str("192.168.0.0/24")),
        ("type of CIDR is net.CIDR", r#"type(cidr("192.168.0.0/24")) == net.CIDR"#, Bool(true)),
        // The en page's allowed-ranges arithmetic.
        ("v4 in v6 never contained", r#"cidr("2001:db8::/64").containsCIDR("10.96.0.0/20")"#, Bool(false)),
        ("page sample v6", r#"cidr("2001:db8::/64").containsCIDR("2001:db8:0:0:ffff::/80")"#, Bool(true)),
        ("page sample refused", r#"cidr("10.96.0.0/16").containsCIDR("172.20.0.0/16")"#, Bool(false)),
        ("string keeps the unmasked address", r#"string(cidr("10.96.1.5/20"))"#, Str("10.96.1.5/20")),
    ];
    for (name, expr, want) in cases {
        check(name, expr, want);
    }
}

#[test]
fn regex_strings_lists() {
    use Want::*;
    let cases: Vec<(&str, &str, Want)> = vec![
        (
            "matches",
            r#"'servicecidr-1'.matches('^[a-z]+-[0-9]$')"#,
            Bool(true),
        ),
        ("global matches", r#"matches('abc', 'b')"#, Bool(true)),
        ("find", r#"'abc 123'.find('[0-9]+')"#, Str("123")),
        ("find none", r#"'abc'.find('[0-9]+')"#, Str("")),
        (
            "findAll",
            r#"'a1b22c333'.findAll('[0-9]+') == ['1', '22', '333']"#,
            Bool(true),
        ),
        (
            "findAll limit",
            r#"'a1b22c333'.findAll('[0-9]+', 2) == ['1', '22']"#,
            Bool(true),
        ),
        (
            "bad regex",
            r#"'a'.find('(')"#,
            Err("Illegal regex: found open group without closing ')'"),
        ),
        (
            "strings ext",
            r#"'TacoCat'.lowerAscii() + '-' + 'a,b'.split(',').join('+')"#,
            Str("tacocat-a+b"),
        ),
        ("lists ext", r#"[3, 1, 2].sort() == [1, 2, 3]"#, Bool(true)),
        // Kubernetes' lists library (library/lists_test.go's cases, abridged).
        (
            "isSorted",
            r#"[1, 2, 3].isSorted() && !['b', 'a'].isSorted() && [].isSorted()"#,
            Bool(true),
        ),
        (
            "sum",
            r#"[1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0 && [].sum() == 0"#,
            Bool(true),
        ),
        (
            "min max",
            r#"[3, 1, 2].min() == 1 && ['a', 'c', 'b'].max() == 'c'"#,
            Bool(true),
        ),
        (
            "min of empty",
            r#"[].min()"#,
            Err("min called on empty list"),
        ),
        (
            "indexOf",
            r#"[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(5) == -1"#,
            Bool(true),
        ),
        (
            "string indexOf unaffected",
            r#"'abcb'.indexOf('b') == 1 && 'abcb'.lastIndexOf('b') == 3"#,
            Bool(true),
        ),
        (
            "macros",
            r#"[1, 2, 3].all(x, x > 0) && [1, 2].exists_one(x, x == 2)"#,
            Bool(true),
        ),
    ];
    for (name, expr, want) in cases {
        check(name, expr, want);
    }
}
