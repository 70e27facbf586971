#![cfg(not(target_arch = "wasm32"))]
// Native tests: the wasm build runs tests/wasm_*.rs instead.
//! Upstream unit-test cases of the ClusterIP allocators (ipallocator_test.go,
//! bitmap_test.go, cidrallocator_test.go), ported to the pure allocator: the
//! test plays the IPAddress store by inserting/removing in the TakenSet.

use servicecidr_sim::allocator::range::{calculate_range_offset, hosts_per_network};
use servicecidr_sim::allocator::{AllocError, Band, MetaAllocator, Range, TakenSet};
use servicecidr_sim::net::{parse_cidr_sloppy, parse_ip, Addr, Family, Prefix};
use servicecidr_sim::rng::Rng;
use std::collections::BTreeSet;

fn p(s: &str) -> Prefix {
    parse_cidr_sloppy(s).unwrap()
}
fn ip(s: &str) -> Addr {
    parse_ip(s).unwrap()
}
fn range(s: &str) -> Range {
    Range::new(p(s)).unwrap()
}

/// AllocateNext until full, inserting every pick; returns the picks in order.
fn fill_range(r: &Range, taken: &mut TakenSet, rng: &mut Rng) -> Vec<(Addr, Band)> {
    let mut out = Vec::new();
    loop {
        match r.allocate_next(taken, rng) {
            Ok(pick) => {
                assert!(taken.insert(pick.addr.value), "{} picked twice", pick.addr);
                out.push((pick.addr, pick.band));
            }
            Err(e) => {
                assert_eq!(e, AllocError::Full);
                return out;
            }
        }
    }
}

fn fill_meta(m: &MetaAllocator, taken: &mut TakenSet, rng: &mut Rng) -> Vec<Addr> {
    let mut out = Vec::new();
    loop {
        match m.allocate_next_service(taken, rng) {
            Ok(pick) => {
                assert!(taken.insert(pick.addr.value), "{} picked twice", pick.addr);
                out.push(pick.addr);
            }
            Err(e) => {
                assert_eq!(e, AllocError::Full);
                assert_eq!(e.to_string(), "range is full");
                return out;
            }
        }
    }
}

// ---- ipallocator_test.go / bitmap_test.go ----

#[test]
fn test_hosts_per_network() {
    let cases: &[(&str, u128)] = &[
        ("192.168.1.0/24", 254),
        ("192.168.1.0/32", 0),
        ("192.168.1.0/31", 0),
        ("0.0.0.0/1", (1 << 31) - 2),
        ("0.0.0.0/0", (1 << 32) - 2),
        ("2001:db2::/112", 65535),
        ("2001:db8::/128", 0),
        ("2001:db8::/127", 1),
        ("2001:db8::/65", (1 << 63) - 1),
        ("2001:db8::/64", u64::MAX as u128),
        ("2001:db8::/1", u64::MAX as u128),
    ];
    for &(cidr, want) in cases {
        assert_eq!(hosts_per_network(p(cidr)), want, "{cidr}");
    }
    // The Range reports the same size where it can be built.
    assert_eq!(range("192.168.1.0/24").size(), 254);
    assert_eq!(range("2001:db8::/65").size(), (1 << 63) - 1);
    assert_eq!(range("2001:db8::/64").size(), u64::MAX as u128);
}

#[test]
fn test_calculate_range_offset() {
    let cases: &[(&str, u128)] = &[
        ("192.168.1.0/32", 0),
        ("192.168.1.0/30", 0),
        ("192.168.1.0/28", 0),
        ("192.168.1.0/27", 16),
        ("192.168.1.0/24", 16),
        ("192.168.0.0/22", 64),
        ("10.0.0.0/20", 256),
        ("10.0.0.0/16", 256),
        ("10.0.0.0/8", 256),
        ("fd00::/128", 0),
        ("fd00::/126", 0),
        ("fd00::/124", 0),
        ("fd00::/122", 16),
        ("fd00::/118", 64),
        ("fd00::/12", 256),
        // k8s.io/utils RangeSize is 0 for IPv4 with 31+ host bits: no bands.
        ("0.0.0.0/1", 0),
        ("0.0.0.0/0", 0),
        ("0.0.0.0/2", 256),
    ];
    for &(cidr, want) in cases {
        assert_eq!(calculate_range_offset(p(cidr)), want, "{cidr}");
    }
}

#[test]
fn test_broadcast_address() {
    // IPv6 ranges end at the all-ones host; IPv4 ones just before the broadcast.
    assert_eq!(
        range("fd00:1:2:3::/64").last(),
        ip("fd00:1:2:3:ffff:ffff:ffff:ffff")
    );
    assert_eq!(range("fc00::/112").last(), ip("fc00::ffff"));
    assert_eq!(range("00fc::/112").last(), ip("fc::ffff"));
    assert_eq!(range("192.168.0.0/24").last(), ip("192.168.0.254"));
    assert_eq!(range("10.0.0.0/12").last(), ip("10.15.255.254"));
}

#[test]
fn test_allocate_ip_allocator_ipv4() {
    allocate_release_reuse(
        "192.168.1.0/24",
        254,
        "192.168.1.5",
        &["192.168.0.1", "192.168.1.0", "192.168.1.255", "192.168.2.2"],
        "192.168.1.1",
    );
}

#[test]
fn test_allocate_ip_allocator_ipv6() {
    allocate_release_reuse(
        "2001:db8:1::/116",
        4095,
        "2001:db8:1::5",
        &["2001:db8::1", "2001:db8:1::", "2001:db8:2::2"],
        "2001:db8:1::1",
    );
}

/// TestAllocateIPAllocator: fill, release one, the next pick is exactly the
/// released IP; out-of-range and taken static requests fail.
fn allocate_release_reuse(
    cidr: &str,
    free: u128,
    released: &str,
    out_of_range: &[&str],
    already: &str,
) {
    let r = range(cidr);
    let mut taken = TakenSet::new();
    let mut rng = Rng::from_seed(1);
    assert_eq!(r.free(&taken), free);
    assert_eq!(r.used(&taken), 0);
    let picks = fill_range(&r, &mut taken, &mut rng);
    assert_eq!(picks.len() as u128, free);
    assert_eq!(r.free(&taken), 0);
    let released = ip(released);
    assert!(taken.remove(released.value));
    assert_eq!(r.free(&taken), 1);
    assert_eq!(r.used(&taken), free - 1);
    let again = r.allocate_next(&taken, &mut rng).unwrap();
    assert_eq!(again.addr, released);
    for s in out_of_range {
        let a = ip(s);
        let err = r.allocate(a, &taken).unwrap_err();
        assert_eq!(
            err,
            AllocError::NotInRange {
                ip: a,
                range: r.prefix()
            },
            "{s}"
        );
    }
    assert_eq!(r.allocate(ip(already), &taken), Err(AllocError::Allocated));
    assert_eq!(r.allocate(released, &taken), Ok(()));
}

#[test]
fn test_allocate_tiny_ip_allocator() {
    let r = range("192.168.1.0/32");
    let taken = TakenSet::new();
    assert_eq!(r.free(&taken), 0);
    assert_eq!(
        r.allocate_next(&taken, &mut Rng::from_seed(1)),
        Err(AllocError::Full)
    );
}

#[test]
fn test_allocate_reserved_ip_allocator() {
    // /25: 126 addresses, static band of 16 (.1-.16), dynamic .17-.126.
    let r = range("192.168.1.0/25");
    let offset = r.offset();
    assert_eq!(offset, 16);
    let mut taken = TakenSet::new();
    let mut rng = Rng::from_seed(5);
    for _ in 0..(r.size() - offset) {
        let pick = r.allocate_next(&taken, &mut rng).unwrap();
        assert_eq!(pick.band, Band::Dynamic);
        taken.insert(pick.addr.value);
    }
    for i in offset..r.size() {
        assert!(taken.contains(ip(&format!("192.168.1.{}", i + 1)).value));
    }
    assert_eq!(r.free(&taken), offset);
    for i in 0..offset {
        let a = ip(&format!("192.168.1.{}", i + 1));
        assert_eq!(r.allocate(a, &taken), Ok(()));
        taken.insert(a.value);
    }
    assert_eq!(r.free(&taken), 0);
    taken.remove(ip("192.168.1.10").value);
    let pick = r.allocate_next(&taken, &mut rng).unwrap();
    assert_eq!(pick.addr, ip("192.168.1.10"));
    assert_eq!(pick.band, Band::Static);
}

#[test]
fn test_allocate_small_ip_allocator() {
    let r = range("192.168.1.240/30");
    let mut taken = TakenSet::new();
    let mut rng = Rng::from_seed(9);
    assert_eq!(r.free(&taken), 2);
    let picks: BTreeSet<Addr> = fill_range(&r, &mut taken, &mut rng)
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(
        picks,
        BTreeSet::from([ip("192.168.1.241"), ip("192.168.1.242")])
    );
    for a in &picks {
        assert_eq!(r.allocate(*a, &taken), Err(AllocError::Allocated));
    }
    for _ in 0..100 {
        assert_eq!(r.allocate_next(&taken, &mut rng), Err(AllocError::Full));
    }
}

#[test]
fn test_for_each_ip_allocator() {
    let r = range("192.168.1.0/24");
    for set in [
        vec![],
        vec!["192.168.1.1"],
        vec!["192.168.1.1", "192.168.1.254"],
        vec!["192.168.1.1", "192.168.1.128", "192.168.1.254"],
    ] {
        let mut taken = TakenSet::new();
        for s in &set {
            assert_eq!(r.allocate(ip(s), &taken), Ok(()));
            taken.insert(ip(s).value);
        }
        let listed: Vec<String> = taken
            .iter()
            .map(|v| Addr::new(Family::IPv4, v).to_string())
            .collect();
        assert_eq!(listed, set);
        assert_eq!(r.used(&taken), set.len() as u128);
    }
}

#[test]
fn test_allocate_next_fc() {
    let r = range("fc::/112");
    let pick = r
        .allocate_next(&TakenSet::new(), &mut Rng::from_seed(2))
        .unwrap();
    assert!(r.prefix().contains(pick.addr));
}

#[test]
fn test_used_with_cidr_filtering() {
    let r = range("192.168.1.0/24");
    let mut taken = TakenSet::new();
    for s in ["192.168.1.10", "192.168.1.20", "192.168.2.10", "10.0.0.1"] {
        taken.insert(ip(s).value);
    }
    assert_eq!(r.used(&taken), 2);
    assert_eq!(r.free(&taken), 252);
}

#[test]
fn test_free_with_overflow_protection_normal_case() {
    let r = range("192.168.1.0/30");
    let mut taken = TakenSet::new();
    taken.insert(ip("192.168.1.1").value);
    assert_eq!(r.free(&taken), 1);
}

// ---- small ranges, bands, static errors ----

#[test]
fn slash_28_has_14_addresses_and_no_static_band() {
    let r = range("10.96.0.0/28");
    assert_eq!((r.size(), r.offset()), (14, 0));
    assert_eq!(r.static_band(), None);
    let mut taken = TakenSet::new();
    let picks = fill_range(&r, &mut taken, &mut Rng::from_seed(4));
    assert_eq!(picks.len(), 14);
    assert!(picks.iter().all(|(_, b)| *b == Band::Dynamic));
}

#[test]
fn slash_27_uses_the_static_band_only_once_the_dynamic_band_is_full() {
    let r = range("10.96.0.0/27");
    assert_eq!((r.size(), r.offset()), (30, 16));
    let mut taken = TakenSet::new();
    let picks = fill_range(&r, &mut taken, &mut Rng::from_seed(8));
    assert_eq!(picks.len(), 30);
    // The first 14 come from .17-.30, the next 16 from .1-.16.
    for (i, (a, band)) in picks.iter().enumerate() {
        let host = a.value - ip("10.96.0.0").value;
        if i < 14 {
            assert!((17..=30).contains(&host) && *band == Band::Dynamic, "{a}");
        } else {
            assert!((1..=16).contains(&host) && *band == Band::Static, "{a}");
        }
    }
}

#[test]
fn tiny_ranges() {
    let mut rng = Rng::from_seed(3);
    for (cidr, want) in [
        ("10.0.0.0/30", vec!["10.0.0.1", "10.0.0.2"]),
        ("10.0.0.0/31", vec![]),
        ("10.0.0.0/32", vec![]),
        ("fd00::/128", vec![]),
        ("fd00::/127", vec!["fd00::1"]),
    ] {
        let r = range(cidr);
        let mut taken = TakenSet::new();
        let got: BTreeSet<Addr> = fill_range(&r, &mut taken, &mut rng)
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        let want: BTreeSet<Addr> = want.iter().map(|s| ip(s)).collect();
        assert_eq!(got, want, "{cidr}");
    }
    // Static requests on the empty ranges are never in range.
    let r = range("10.0.0.0/31");
    assert!(matches!(
        r.allocate(ip("10.0.0.1"), &TakenSet::new()),
        Err(AllocError::NotInRange { .. })
    ));
}

#[test]
fn static_request_of_the_other_family_is_not_in_range() {
    let r = range("10.0.0.0/24");
    assert!(matches!(
        r.allocate(ip("fd00::1"), &TakenSet::new()),
        Err(AllocError::NotInRange { .. })
    ));
}

#[test]
fn first_pick_depends_only_on_the_seed() {
    let r = range("10.96.0.0/12");
    let t = TakenSet::new();
    let a = r.allocate_next(&t, &mut Rng::from_seed(42)).unwrap();
    let b = r.allocate_next(&t, &mut Rng::from_seed(42)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.addr, a.start);
    let (lo, hi) = r.dynamic_band().unwrap();
    assert!(a.addr >= lo && a.addr <= hi);
}

// ---- cidrallocator_test.go ----

fn meta4() -> MetaAllocator {
    MetaAllocator::new(Family::IPv4)
}

fn cidrs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn test_cidr_allocate_multiple() {
    let mut m = meta4();
    let mut taken = TakenSet::new();
    let mut rng = Rng::from_seed(10);
    assert_eq!(
        m.allocate_next_service(&taken, &mut rng),
        Err(AllocError::Full)
    );
    m.sync("test", &cidrs(&["192.168.0.0/28"]), true).unwrap();
    let mut count = fill_meta(&m, &mut taken, &mut rng).len();
    assert_eq!(count, 14);
    m.sync("test2", &cidrs(&["10.0.0.0/28"]), true).unwrap();
    assert_eq!(
        m.allocate_service(ip("10.0.0.11"), &taken),
        Ok(p("10.0.0.0/28"))
    );
    taken.insert(ip("10.0.0.11").value);
    count += 1;
    count += fill_meta(&m, &mut taken, &mut rng).len();
    assert_eq!(count, 28);
}

#[test]
fn test_cidr_allocate_shadow() {
    let mut m = meta4();
    let taken = TakenSet::new();
    m.sync("test", &cidrs(&["192.168.1.0/24"]), true).unwrap();
    // The network address of the /24 is not allocatable through it...
    assert_eq!(
        m.allocate_service(ip("192.168.1.0"), &taken),
        Err(AllocError::MismatchedNetwork)
    );
    // ...but it is a host of an overlapping /16.
    m.sync("test2", &cidrs(&["192.168.0.0/16"]), true).unwrap();
    assert_eq!(
        m.allocate_service(ip("192.168.1.0"), &taken),
        Ok(p("192.168.0.0/16"))
    );
}

#[test]
fn test_cidr_allocate_grow() {
    let mut m = meta4();
    let mut taken = TakenSet::new();
    let mut rng = Rng::from_seed(12);
    m.sync("test", &cidrs(&["192.168.0.0/28"]), true).unwrap();
    let first = fill_meta(&m, &mut taken, &mut rng);
    assert_eq!(first.len(), 14);
    m.sync("test2", &cidrs(&["192.168.0.0/24"]), true).unwrap();
    let more = fill_meta(&m, &mut taken, &mut rng);
    assert_eq!(first.len() + more.len(), 254);
    // The full /28 is skipped; the /24 hands out its dynamic band first
    // (.17-.254, 238 addresses), then the two static ones the /28 left (.15, .16).
    let base = ip("192.168.0.0").value;
    for (i, a) in more.iter().enumerate() {
        let host = a.value - base;
        if i < 238 {
            assert!((17..=254).contains(&host), "{a} at {i}");
        } else {
            assert!((15..=16).contains(&host), "{a} at {i}");
        }
    }
}

#[test]
fn test_cidr_allocate_shrink() {
    let mut m = meta4();
    let mut taken = TakenSet::new();
    let mut rng = Rng::from_seed(13);
    m.sync("test", &cidrs(&["192.168.0.0/24"]), true).unwrap();
    let all = fill_meta(&m, &mut taken, &mut rng);
    assert_eq!(all.len(), 254);
    for a in &all {
        assert_eq!(m.release_target(*a), Ok(p("192.168.0.0/24")));
        taken.remove(a.value);
    }
    assert!(taken.is_empty());
    m.sync("cidr2", &cidrs(&["192.168.0.0/28"]), true).unwrap();
    assert_eq!(m.remove("test"), vec!["192.168.0.0/24".to_string()]);
    assert!(!m.is_ready_for(ip("192.168.0.253")));
    assert!(m.is_ready_for(ip("192.168.0.1")));
    assert_eq!(fill_meta(&m, &mut taken, &mut rng).len(), 14);
}

#[test]
fn test_cidr_allocate_ipv6() {
    let mut m = MetaAllocator::new(Family::IPv6);
    let mut taken = TakenSet::new();
    let mut rng = Rng::from_seed(14);
    assert_eq!(
        m.allocate_next_service(&taken, &mut rng),
        Err(AllocError::Full)
    );
    m.sync("test", &cidrs(&["fd00:1:2:3::/120"]), true).unwrap();
    let all = fill_meta(&m, &mut taken, &mut rng);
    assert_eq!(all.len(), 255);
    assert!(all.iter().all(|a| a.family == Family::IPv6));
    assert!(all.contains(&ip("fd00:1:2:3::ff")));
    for a in &all {
        m.release_target(*a).unwrap();
        taken.remove(a.value);
    }
    let r = m.get("fd00:1:2:3::/120").unwrap().range;
    assert_eq!(r.used(&taken), 0);
}

#[test]
fn test_cidr_allocate_dual_stack() {
    let mut m = MetaAllocator::new(Family::IPv6);
    let taken = TakenSet::new();
    m.sync(
        "test",
        &cidrs(&["192.168.0.0/24", "fd00:1:2:3::/120"]),
        true,
    )
    .unwrap();
    assert_eq!(
        m.release_target(ip("192.168.0.1")),
        Err(AllocError::MismatchedNetwork)
    );
    let pick = m
        .allocate_next_service(&taken, &mut Rng::from_seed(15))
        .unwrap();
    assert!(p("fd00:1:2:3::/120").contains(pick.addr));
    // The IPv4 MetaAllocator takes the other half of the same object.
    let mut m4 = meta4();
    m4.sync(
        "test",
        &cidrs(&["192.168.0.0/24", "fd00:1:2:3::/120"]),
        true,
    )
    .unwrap();
    assert_eq!(m4.cidrs().len(), 1);
    assert_eq!(m4.cidrs()[0].cidr, "192.168.0.0/24");
}

#[test]
fn test_cidr_allocate_next_dont_stop_on_not_ready() {
    let mut m = meta4();
    let mut taken = TakenSet::new();
    let mut rng = Rng::from_seed(16);
    m.sync("test1", &cidrs(&["192.168.0.0/24"]), false).unwrap();
    m.sync("test2", &cidrs(&["192.168.1.0/24"]), true).unwrap();
    for _ in 0..200 {
        let pick = m.allocate_next_service(&taken, &mut rng).unwrap();
        assert_eq!(pick.cidr, p("192.168.1.0/24"));
        taken.insert(pick.addr.value);
    }
}

// ---- readiness, identical CIDRs, random order ----

#[test]
fn not_ready_cidr_is_skipped_for_static_and_dynamic_but_release_works() {
    let mut m = meta4();
    let mut taken = TakenSet::new();
    m.sync("old", &cidrs(&["10.96.0.0/24"]), true).unwrap();
    let a = ip("10.96.0.20");
    assert_eq!(m.allocate_service(a, &taken), Ok(p("10.96.0.0/24")));
    taken.insert(a.value);
    // Terminating (deletionTimestamp) or Ready=False both mean "not ready".
    m.sync("old", &cidrs(&["10.96.0.0/24"]), false).unwrap();
    assert!(!m.cidrs()[0].ready);
    assert_eq!(
        m.allocate_service(ip("10.96.0.21"), &taken),
        Err(AllocError::MismatchedNetwork)
    );
    let mut rng = Rng::from_seed(17);
    let (res, trace) = m.allocate_next_service_traced(&taken, &mut rng);
    assert_eq!(res, Err(AllocError::Full));
    assert_eq!(
        trace.skipped,
        vec![("10.96.0.0/24".to_string(), AllocError::NotReady)]
    );
    assert_eq!(m.release_target(a), Ok(p("10.96.0.0/24")));
    // Ready again.
    m.sync("old", &cidrs(&["10.96.0.0/24"]), true).unwrap();
    assert!(m.is_ready_for(ip("10.96.0.21")));
}

#[test]
fn static_request_for_network_or_broadcast_is_mismatched_network() {
    let mut m = meta4();
    m.sync("k", &cidrs(&["10.96.0.0/24"]), true).unwrap();
    let t = TakenSet::new();
    for s in ["10.96.0.0", "10.96.0.255", "10.97.0.1"] {
        let e = m.allocate_service(ip(s), &t).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the provided network does not match the current range"
        );
    }
    let mut t = TakenSet::new();
    t.insert(ip("10.96.0.7").value);
    assert_eq!(
        m.allocate_service(ip("10.96.0.7"), &t)
            .unwrap_err()
            .to_string(),
        "provided IP is already allocated"
    );
}

#[test]
fn two_identical_cidrs_share_one_allocator() {
    let mut m = meta4();
    m.sync("a", &cidrs(&["10.0.0.0/24"]), true).unwrap();
    m.sync("b", &cidrs(&["10.0.0.0/24"]), true).unwrap();
    let rows = m.cidrs();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].names, vec!["a".to_string(), "b".to_string()]);
    // Deleting one keeps the allocator; deleting both destroys it.
    assert!(m.remove("a").is_empty());
    assert_eq!(m.cidrs().len(), 1);
    assert_eq!(m.remove("b"), vec!["10.0.0.0/24".to_string()]);
    assert!(m.is_empty());
}

#[test]
fn not_ready_only_when_the_syncing_service_cidr_is_the_only_referrer() {
    let mut m = meta4();
    m.sync("a", &cidrs(&["10.0.0.0/24"]), true).unwrap();
    m.sync("b", &cidrs(&["10.0.0.0/24"]), true).unwrap();
    // Both become not ready: with two referrers upstream never clears the flag.
    m.sync("a", &cidrs(&["10.0.0.0/24"]), false).unwrap();
    m.sync("b", &cidrs(&["10.0.0.0/24"]), false).unwrap();
    assert!(m.cidrs()[0].ready);
    // Once b is gone, a's next sync (still not ready) clears it.
    m.remove("b");
    m.sync("a", &cidrs(&["10.0.0.0/24"]), false).unwrap();
    assert!(!m.cidrs()[0].ready);
    // A new allocator takes the readiness of its creator.
    m.sync("c", &cidrs(&["10.1.0.0/24"]), false).unwrap();
    assert!(!m.get("10.1.0.0/24").unwrap().ready);
    // And any ready referrer makes it ready.
    m.sync("d", &cidrs(&["10.1.0.0/24"]), true).unwrap();
    assert!(m.get("10.1.0.0/24").unwrap().ready);
}

#[test]
fn ipv6_shorter_than_64_never_allocates() {
    let mut m = MetaAllocator::new(Family::IPv6);
    let e = m.sync("big", &cidrs(&["fd00::/48"]), true).unwrap_err();
    assert_eq!(
        e.to_string(),
        "shortest allowed prefix length for service CIDR is 64, got 48"
    );
    assert!(m.is_empty());
    assert_eq!(
        m.allocate_next_service(&TakenSet::new(), &mut Rng::from_seed(1)),
        Err(AllocError::Full)
    );
    assert_eq!(
        m.allocate_service(ip("fd00::1"), &TakenSet::new()),
        Err(AllocError::MismatchedNetwork)
    );
}

#[test]
fn dynamic_order_is_a_fresh_unweighted_shuffle_per_call() {
    let mut m = meta4();
    m.sync("a", &cidrs(&["10.0.0.0/24"]), true).unwrap();
    m.sync("b", &cidrs(&["10.1.0.0/16"]), true).unwrap();
    m.sync("c", &cidrs(&["10.2.0.0/28"]), true).unwrap();
    let t = TakenSet::new();
    let mut rng = Rng::from_seed(18);
    let mut seen = BTreeSet::new();
    let mut firsts = BTreeSet::new();
    for _ in 0..60 {
        let (res, trace) = m.allocate_next_service_traced(&t, &mut rng);
        let pick = res.unwrap();
        let mut sorted = trace.order.clone();
        sorted.sort();
        assert_eq!(sorted, ["10.0.0.0/24", "10.1.0.0/16", "10.2.0.0/28"]);
        // Nothing is full, so the first allocator in the order answers.
        assert_eq!(pick.cidr.to_string(), trace.order[0]);
        seen.insert(trace.order.clone());
        firsts.insert(trace.order[0].clone());
    }
    // Not weighted by size: the tiny /28 comes first about a third of the time.
    assert_eq!(firsts.len(), 3);
    assert!(seen.len() > 3);
    // Same seed, same answers.
    let mut r1 = Rng::from_seed(99);
    let mut r2 = Rng::from_seed(99);
    for _ in 0..10 {
        assert_eq!(
            m.allocate_next_service(&t, &mut r1),
            m.allocate_next_service(&t, &mut r2)
        );
    }
}

#[test]
fn full_allocators_are_passed_over() {
    let mut m = meta4();
    m.sync("full", &cidrs(&["10.0.0.0/30"]), true).unwrap();
    m.sync("room", &cidrs(&["10.1.0.0/24"]), true).unwrap();
    let mut t = TakenSet::new();
    t.insert(ip("10.0.0.1").value);
    t.insert(ip("10.0.0.2").value);
    let mut rng = Rng::from_seed(19);
    for _ in 0..20 {
        let (res, trace) = m.allocate_next_service_traced(&t, &mut rng);
        assert_eq!(res.unwrap().cidr, p("10.1.0.0/24"));
        if trace.order[0] == "10.0.0.0/30" {
            assert_eq!(
                trace.skipped,
                vec![("10.0.0.0/30".to_string(), AllocError::Full)]
            );
        } else {
            assert!(trace.skipped.is_empty());
        }
    }
}

#[test]
fn overlapping_cidrs_see_each_others_allocations() {
    let mut m = meta4();
    m.sync("small", &cidrs(&["10.96.0.0/28"]), true).unwrap();
    m.sync("big", &cidrs(&["10.96.0.0/24"]), true).unwrap();
    let mut t = TakenSet::new();
    let a = ip("10.96.0.5");
    m.allocate_service(a, &t).unwrap();
    t.insert(a.value);
    // Whichever allocator the request reaches, the address is taken.
    assert_eq!(m.allocate_service(a, &t), Err(AllocError::Allocated));
    let big = m.get("10.96.0.0/24").unwrap().range;
    let small = m.get("10.96.0.0/28").unwrap().range;
    assert_eq!((big.used(&t), small.used(&t)), (1, 1));
}
