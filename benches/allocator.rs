//! AllocateNext cost: the ordered run set (two range queries) against the
//! textbook linear scan upstream runs, on the same taken sets and seeds, and
//! the memory a taken run costs.
//!
//! Run: cargo bench --bench allocator
//! (short by design: 10 samples, 1 s measurement per case). The medians (ns per call,
//! from criterion's batches) also go to target/bench-results/native-allocator.json
//! (BENCH_OUT=dir to change) for pkg-scripts/bench's summary.

use criterion::{BenchmarkId, Criterion};
use servicecidr_sim::allocator::{Range, TakenSet};
use servicecidr_sim::net::{parse_cidr, Prefix};
use servicecidr_sim::rng::Rng;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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

/// ns per call of each criterion batch, kept per (case, algorithm) for the JSON record.
type Record = Vec<serde_json::Value>;

/// Times `f` as criterion batches and records the median ns per call under `case`/`algo`.
fn timed<T>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    record: &mut Record,
    case: &str,
    fill: f64,
    algo: &str,
    mut f: impl FnMut() -> T,
) {
    let mut per_call: Vec<f64> = Vec::new();
    group.bench_function(BenchmarkId::from_parameter(algo), |b| {
        b.iter_custom(|iters| {
            let t0 = Instant::now();
            for _ in 0..iters {
                black_box(f());
            }
            let d = t0.elapsed();
            per_call.push(d.as_nanos() as f64 / iters.max(1) as f64);
            d
        })
    });
    per_call.sort_by(f64::total_cmp);
    let median = per_call
        .get(per_call.len() / 2)
        .copied()
        .unwrap_or(f64::NAN);
    record.push(serde_json::json!({"case": case, "fill": fill, "algo": algo, "median_ns": median}));
}

fn bench_fill_levels(c: &mut Criterion, record: &mut Record) {
    let fills: [(&str, u64); 6] = [
        ("0%", 0),
        ("50%", 500_000),
        ("90%", 900_000),
        ("99%", 990_000),
        ("99.9%", 999_000),
        ("99.99%", 999_900),
    ];
    for cidr in ["10.96.0.0/16", "10.96.0.0/12"] {
        let range = Range::new(prefix(cidr)).expect("bench range");
        for (label, per_million) in fills {
            let taken = random_fill(&range, per_million, 7);
            let mut group = c.benchmark_group(format!("allocate_next {cidr} {label}"));
            let fill = per_million as f64 / 1e6;
            let mut rng = Rng::from_seed(1);
            timed(&mut group, record, cidr, fill, "ordered", || {
                range.allocate_next(&taken, &mut rng)
            });
            let mut rng = Rng::from_seed(1);
            timed(&mut group, record, cidr, fill, "linear", || {
                linear::linear_allocate_next(&range, &taken, &mut rng)
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

fn bench_ipv6_64(c: &mut Criterion, record: &mut Record) {
    let range = Range::new(prefix("fd00:10:96::/64")).expect("bench range");
    let taken = ipv6_million(&range);
    let mut group = c.benchmark_group("allocate_next fd00:10:96::/64 after 1M");
    let case = "fd00:10:96::/64 after 1M";
    let mut rng = Rng::from_seed(1);
    timed(&mut group, record, case, 0.0, "ordered", || {
        range.allocate_next(&taken, &mut rng)
    });
    let mut rng = Rng::from_seed(1);
    timed(&mut group, record, case, 0.0, "linear", || {
        linear::linear_allocate_next(&range, &taken, &mut rng)
    });
    group.finish();
}

/// Live heap bytes per run of a TakenSet holding `runs` isolated addresses.
fn report_memory() -> Vec<String> {
    let mut lines = Vec::new();
    for runs in [10_000u128, 1_000_000] {
        let before = LIVE.load(Ordering::Relaxed);
        let mut t = TakenSet::new();
        let mut rng = Rng::from_seed(5);
        // Even offsets never touch, so every insert is its own run.
        while t.run_count() < runs as usize {
            t.insert(rng.below_u128(u64::MAX as u128) * 2);
        }
        let bytes = LIVE.load(Ordering::Relaxed) - before;
        lines.push(format!(
            "memory: TakenSet with {} runs holds {} heap bytes = {:.1} bytes/run",
            t.run_count(),
            bytes,
            bytes as f64 / t.run_count() as f64
        ));
        black_box(&t);
    }
    let range = Range::new(prefix("fd00:10:96::/64")).expect("bench range");
    let before = LIVE.load(Ordering::Relaxed);
    let t = ipv6_million(&range);
    let bytes = LIVE.load(Ordering::Relaxed) - before;
    lines.push(format!(
        "memory: /64 after 1M random allocations: {} runs, {} heap bytes ({:.1} bytes/address)",
        t.run_count(),
        bytes,
        bytes as f64 / t.len() as f64
    ));
    for l in &lines {
        println!("{l}");
    }
    lines
}

fn main() {
    let memory_lines = report_memory();
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args();
    let mut record = Record::new();
    bench_fill_levels(&mut c, &mut record);
    bench_ipv6_64(&mut c, &mut record);
    c.final_summary();
    let dir = std::env::var("BENCH_OUT")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-results").into());
    let doc = serde_json::json!({"env": "native", "allocator": record, "memory": memory_lines});
    if std::fs::create_dir_all(&dir).is_ok() {
        let path = format!("{dir}/native-allocator.json");
        match std::fs::write(
            &path,
            serde_json::to_string_pretty(&doc).unwrap_or_default(),
        ) {
            Ok(()) => println!("allocator bench: wrote {path}"),
            Err(e) => eprintln!("allocator bench: cannot write {path}: {e}"),
        }
    }
}
