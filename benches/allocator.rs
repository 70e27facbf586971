//! AllocateNext cost: the ordered run set (two range queries) against the
//! textbook linear scan upstream runs, on the same taken sets and seeds, and
//! the memory a taken run costs.
//!
//! Run: cargo bench --bench allocator
//! (short by design: 10 samples, 1 s measurement per case).

use criterion::{BenchmarkId, Criterion};
use servicecidr_sim::allocator::{Range, TakenSet};
use servicecidr_sim::net::{parse_cidr, Prefix};
use servicecidr_sim::rng::Rng;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[path = "../tests/allocator_linear.rs"]
#[allow(dead_code)]
mod linear;

/// Counts live heap bytes so the memory figure is measured, not guessed.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn prefix(s: &str) -> Prefix {
    parse_cidr(s).expect("bench CIDR")
}

/// Takes each usable address of the range with probability `per_million`/1e6.
fn random_fill(range: &Range, per_million: u64, seed: u64) -> TakenSet {
    let mut rng = Rng::from_seed(seed);
    let mut t = TakenSet::new();
    for v in range.first().value..=range.last().value {
        if rng.below_u64(1_000_000) < per_million {
            t.insert(v);
        }
    }
    t
}

fn bench_fill_levels(c: &mut Criterion) {
    let fills: [(&str, u64); 4] = [
        ("0%", 0),
        ("50%", 500_000),
        ("99%", 990_000),
        ("99.99%", 999_900),
    ];
    for cidr in ["10.96.0.0/16", "10.96.0.0/12"] {
        let range = Range::new(prefix(cidr)).expect("bench range");
        for (label, per_million) in fills {
            let taken = random_fill(&range, per_million, 7);
            let mut group = c.benchmark_group(format!("allocate_next {cidr} {label}"));
            let mut rng = Rng::from_seed(1);
            group.bench_function(BenchmarkId::from_parameter("ordered"), |b| {
                b.iter(|| black_box(range.allocate_next(&taken, &mut rng)))
            });
            let mut rng = Rng::from_seed(1);
            group.bench_function(BenchmarkId::from_parameter("linear"), |b| {
                b.iter(|| black_box(linear::linear_allocate_next(&range, &taken, &mut rng)))
            });
            group.finish();
        }
    }
}

/// 1M random addresses in the dynamic band of a /64, built directly.
fn ipv6_million(range: &Range) -> TakenSet {
    let mut rng = Rng::from_seed(3);
    let mut t = TakenSet::new();
    let band_first = range.first().value + range.offset();
    let band = range.last().value - band_first + 1;
    while t.len() < 1_000_000 {
        t.insert(band_first + rng.below_u128(band));
    }
    t
}

fn bench_ipv6_64(c: &mut Criterion) {
    let range = Range::new(prefix("fd00:10:96::/64")).expect("bench range");
    let taken = ipv6_million(&range);
    let mut group = c.benchmark_group("allocate_next fd00:10:96::/64 after 1M");
    let mut rng = Rng::from_seed(1);
    group.bench_function(BenchmarkId::from_parameter("ordered"), |b| {
        b.iter(|| black_box(range.allocate_next(&taken, &mut rng)))
    });
    let mut rng = Rng::from_seed(1);
    group.bench_function(BenchmarkId::from_parameter("linear"), |b| {
        b.iter(|| black_box(linear::linear_allocate_next(&range, &taken, &mut rng)))
    });
    group.finish();
}

/// Live heap bytes per run of a TakenSet holding `runs` isolated addresses.
fn report_memory() {
    for runs in [10_000u128, 1_000_000] {
        let before = LIVE.load(Ordering::Relaxed);
        let mut t = TakenSet::new();
        let mut rng = Rng::from_seed(5);
        // Even offsets never touch, so every insert is its own run.
        while t.run_count() < runs as usize {
            t.insert(rng.below_u128(u64::MAX as u128) * 2);
        }
        let bytes = LIVE.load(Ordering::Relaxed) - before;
        println!(
            "memory: TakenSet with {} runs holds {} heap bytes = {:.1} bytes/run",
            t.run_count(),
            bytes,
            bytes as f64 / t.run_count() as f64
        );
        black_box(&t);
    }
    let range = Range::new(prefix("fd00:10:96::/64")).expect("bench range");
    let before = LIVE.load(Ordering::Relaxed);
    let t = ipv6_million(&range);
    let bytes = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "memory: /64 after 1M random allocations: {} runs, {} heap bytes ({:.1} bytes/address)",
        t.run_count(),
        bytes,
        bytes as f64 / t.len() as f64
    );
}

fn main() {
    report_memory();
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args();
    bench_fill_levels(&mut c);
    bench_ipv6_64(&mut c);
    c.final_summary();
}
