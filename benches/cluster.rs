//! The cluster through its public API, natively: the scenarios of bench/scenarios.json
//! (the same ones bench/node-bench.mjs runs against pkg/node), so every figure has a
//! native and a wasm side measured by the same steps.
//!
//! Per run: fill the Service range by creating Services; at each level, time Service
//! creates (each followed by an untimed delete, so the level holds) with a dynamic and a
//! static ClusterIP; at Service-count checkpoints, time canDelete (the ordered query
//! against upstream's loop over every IPAddress, in this process), a ServiceCIDR delete
//! through the API, kubectl tables and snapshot/restore; record live heap bytes.
//!
//! Run: cargo bench --bench cluster
//! Env: BENCH_QUICK=1 stops each run at 10^5 Services; BENCH_RUNS=v4-16,v6-64 picks runs;
//!      BENCH_OUT=dir (default target/bench-results) for native-<run>.json.

use criterion::{BenchmarkId, Criterion};
use serde_json::{json, Value};
use servicecidr_sim::model::ServiceCIDR;
use servicecidr_sim::net::{parse_cidr, parse_ip, Addr, Prefix};
use servicecidr_sim::Kubectl;
use servicecidr_sim::{Cluster, ClusterOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts live heap bytes, so memory per Service is measured, not estimated.
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

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Level {
    taken: u128,
    label: String,
    tasks: Vec<String>,
}

/// bench/scenarios.mjs's levelsFor, in Rust: fill levels and count checkpoints, merged
/// by taken count and sorted.
fn levels_for(run: &Value, usable: u128, used0: u128, quick_cap: Option<u128>) -> Vec<Level> {
    let mut levels: Vec<Level> = Vec::new();
    let mut add = |taken: u128, label: String, tasks: Vec<String>| {
        if let Some(lv) = levels.iter_mut().find(|l| l.taken == taken) {
            lv.label = format!("{} / {label}", lv.label);
            for t in tasks {
                if !lv.tasks.contains(&t) {
                    lv.tasks.push(t);
                }
            }
        } else {
            levels.push(Level {
                taken,
                label,
                tasks,
            });
        }
    };
    for f in run["fills"].as_array().into_iter().flatten() {
        let f = f.as_f64().unwrap_or(0.0);
        let taken = ((f * usable as f64).ceil() as u128).max(used0);
        add(
            taken,
            format!("{}%", trim_pct(f * 100.0)),
            vec!["dynamic".into(), "static".into()],
        );
    }
    for c in run["counts"].as_array().into_iter().flatten() {
        let n = c["services"].as_u64().unwrap_or(0) as u128;
        let tasks = c["tasks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str().map(String::from))
            .collect();
        add(used0 + n, format!("{n} svc"), tasks);
    }
    levels.retain(|l| quick_cap.is_none_or(|cap| l.taken <= used0 + cap));
    levels.sort_by_key(|l| l.taken);
    levels
}

/// 99.99 -> "99.99", 50 -> "50" (as JS prints +(x).toFixed(2)).
fn trim_pct(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn stats(samples: &[f64]) -> Value {
    if samples.is_empty() {
        return Value::Null;
    }
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let q = |p: f64| s[((p * s.len() as f64) as usize).min(s.len() - 1)];
    let mean = s.iter().sum::<f64>() / s.len() as f64;
    json!({"n": s.len(), "median_us": q(0.5), "p90_us": q(0.9), "mean_us": mean, "min_us": s[0]})
}

fn service(name: &str, cluster_ip: Option<&str>) -> Value {
    let mut spec = json!({"ports": [{"port": 80}]});
    if let Some(ip) = cluster_ip {
        spec["clusterIP"] = json!(ip);
    }
    json!({"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": name, "namespace": "default"}, "spec": spec})
}

fn used_of(c: &Cluster) -> u128 {
    c.allocator_state()
        .iter()
        .filter_map(|s| s.used.parse::<u128>().ok())
        .sum()
}

/// What the harness knows of the range: its usable size and, for IPv4, a bitmap of the
/// taken addresses (static picks, and the linear canDelete baseline walks it). The bitmap
/// is allocated before the heap baseline is read, so the memory figures are the cluster's.
struct RangeModel {
    prefix: Prefix,
    usable: u128,
    offset: u128,
    /// IPv4 only: bit i = network + i is taken. Empty for IPv6 (static picks are random
    /// 64-bit host parts; a collision with 10^6 taken is ~5e-14).
    bits: Vec<u64>,
}

impl RangeModel {
    fn new(cidr: &str) -> RangeModel {
        let prefix = parse_cidr(cidr).expect("scenario CIDR");
        let size: u128 = 1u128 << prefix.host_bits().min(127);
        let v4 = prefix.family() == servicecidr_sim::net::Family::IPv4;
        let usable = if v4 { size - 2 } else { size - 1 };
        let offset = (size / 16).clamp(16, 256);
        let bits = if v4 {
            vec![0u64; (size as usize).div_ceil(64)]
        } else {
            Vec::new()
        };
        RangeModel {
            prefix,
            usable,
            offset,
            bits,
        }
    }

    fn is_taken(&self, v: u128) -> bool {
        let i = (v - self.prefix.network()) as usize;
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn mark(&mut self, ip: &str) {
        let Some(a) = parse_ip(ip) else { return };
        if self.bits.is_empty() || !self.prefix.contains(a) {
            return;
        }
        let i = (a.value - self.prefix.network()) as usize;
        if let Some(w) = self.bits.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    /// Every taken address, ascending.
    fn taken(&self) -> impl Iterator<Item = u128> + '_ {
        let net = self.prefix.network();
        self.bits.iter().enumerate().flat_map(move |(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as u128;
                    w &= w - 1;
                    net + wi as u128 * 64 + b
                })
            })
        })
    }

    /// IPv4: a free address from the static band if it has one, else the first free one
    /// after a point derived from `k`. IPv6: a pseudo-random host part.
    fn static_pick(&self, k: u64) -> Addr {
        let net = self.prefix.network();
        let fam = self.prefix.family();
        let mix = u128::from(k.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        if self.bits.is_empty() {
            return Addr::new(fam, net + 1 + mix % self.usable);
        }
        if let Some(v) = (1..=self.offset)
            .map(|i| net + i)
            .find(|v| !self.is_taken(*v))
        {
            return Addr::new(fam, v);
        }
        let span = self.usable;
        let start = mix % span;
        (0..span)
            .map(|d| net + 1 + (start + d) % span)
            .find(|v| !self.is_taken(*v))
            .map(|v| Addr::new(fam, v))
            .expect("a free address at every measured level")
    }
}

/// Upstream's canDelete loop: every managed IPAddress of the family, and for each the
/// ServiceCIDRs that contain it; blocked at the first IP only `sc` contains. A lower
/// bound of upstream's cost (no lister, no label selector, no object decoding).
fn linear_can_delete(ips: impl Iterator<Item = u128>, sc: Prefix, all: &[Prefix]) -> bool {
    let fam = sc.family();
    for v in ips {
        let a = Addr::new(fam, v);
        if !sc.contains_service_ip(a) {
            continue;
        }
        let holders = all.iter().filter(|p| p.contains_service_ip(a)).count();
        if holders <= 1 {
            return false;
        }
    }
    true
}

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

fn create_cycles(
    c: &mut Criterion,
    cluster: &mut Cluster,
    group: &str,
    level: &str,
    cluster_ip: Option<&str>,
) -> Value {
    let mut samples: Vec<f64> = Vec::new();
    let mut k = 0u64;
    let mut g = c.benchmark_group(group);
    g.bench_function(BenchmarkId::from_parameter(level), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let name = format!("probe-{k}");
                k += 1;
                let t0 = Instant::now();
                let out = cluster.create(service(&name, cluster_ip));
                let d = t0.elapsed();
                black_box(out.expect("probe create"));
                cluster
                    .delete("services", &name, Some("default"))
                    .expect("probe delete");
                total += d;
                samples.push(d.as_secs_f64() * 1e6);
            }
            total
        })
    });
    g.finish();
    stats(&samples)
}

fn can_delete(
    c: &mut Criterion,
    cluster: &mut Cluster,
    model: &RangeModel,
    run: &str,
    services: u64,
    probe_cidr: &str,
) -> Value {
    let probe = parse_cidr(probe_cidr).expect("probe CIDR");
    let sc: ServiceCIDR = serde_json::from_value(json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
        "metadata": {"name": "probe-cidr"}, "spec": {"cidrs": [probe_cidr]}
    }))
    .expect("probe ServiceCIDR");
    let all = [model.prefix, probe];
    // Both must agree before either is timed.
    let ordered_blocks = cluster.service_cidr_blocking_ips(&sc, 5);
    let linear_ok = linear_can_delete(model.taken(), probe, &all);
    assert_eq!(
        ordered_blocks.is_empty(),
        linear_ok,
        "canDelete answers differ"
    );
    // Criterion's batches, each recorded as ns per call, so the JSON carries the same
    // statistic for both sides.
    let mut ordered_ns: Vec<f64> = Vec::new();
    let mut linear_ns: Vec<f64> = Vec::new();
    let mut g = c.benchmark_group(format!("can_delete {run}"));
    g.bench_function(BenchmarkId::new("ordered", services), |b| {
        b.iter_custom(|iters| {
            let t0 = Instant::now();
            for _ in 0..iters {
                black_box(cluster.service_cidr_blocking_ips(&sc, 5));
            }
            let d = t0.elapsed();
            ordered_ns.push(d.as_nanos() as f64 / iters.max(1) as f64);
            d
        })
    });
    g.bench_function(BenchmarkId::new("linear", services), |b| {
        b.iter_custom(|iters| {
            let t0 = Instant::now();
            for _ in 0..iters {
                black_box(linear_can_delete(model.taken(), probe, &all));
            }
            let d = t0.elapsed();
            linear_ns.push(d.as_nanos() as f64 / iters.max(1) as f64);
            d
        })
    });
    g.finish();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    // Through the API, as the Node harness does it: create a probe, time its delete (the
    // controller's sync runs canDelete inside it), let the grace period remove it.
    // One untimed round first (as the Node side does, where it also compiles the path);
    // 4 rounds x 4 checkpoints x 10 s stays under the repair loop's 180 s resync.
    let reps = scen_reps();
    let mut api = Vec::new();
    for r in 0..=reps {
        let name = format!("probe-cidr-{services}-{r}");
        cluster
            .create(
                json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                "metadata": {"name": name}, "spec": {"cidrs": [probe_cidr]}}),
            )
            .expect("probe ServiceCIDR create");
        let t0 = Instant::now();
        let left = cluster
            .delete("servicecidrs", &name, None)
            .expect("probe ServiceCIDR delete");
        if r > 0 {
            api.push(t0.elapsed().as_secs_f64() * 1e6);
        }
        assert!(left["metadata"]["deletionTimestamp"].is_string());
        cluster.advance(10.0).expect("advance");
        assert!(
            cluster.get("servicecidrs", &name, None).is_err(),
            "probe still there"
        );
    }
    json!({
        "can_delete": ordered_blocks.is_empty(),
        "ordered_median_ns": median(&mut ordered_ns),
        "linear_median_ns": median(&mut linear_ns),
        "api_delete": stats(&api),
    })
}

/// Timed ServiceCIDR deletes per checkpoint (bench/scenarios.json candelete.reps).
fn scen_reps() -> usize {
    let text = std::fs::read_to_string(format!("{ROOT}/bench/scenarios.json")).unwrap_or_default();
    serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v["candelete"]["reps"].as_u64())
        .unwrap_or(3) as usize
}

fn kubectl_probe(cluster: &mut Cluster, line: &str, services: u64) -> Value {
    let reps = if services >= 100_000 {
        1
    } else if services >= 10_000 {
        3
    } else {
        5
    };
    let mut samples = Vec::new();
    let mut bytes = 0;
    for _ in 0..reps {
        let t0 = Instant::now();
        let out = cluster.kubectl(line, None);
        samples.push(t0.elapsed().as_secs_f64() * 1e6);
        if out.exit_code != 0 {
            return json!({"skipped": out.stderr.trim()});
        }
        bytes = out.stdout.len();
    }
    let mut v = stats(&samples);
    v["bytes"] = json!(bytes);
    v
}

fn snapshot_probe(cluster: &mut Cluster) -> Value {
    let t0 = Instant::now();
    let snap = cluster.snapshot();
    let t1 = Instant::now();
    let text = serde_json::to_string(&snap).expect("snapshot JSON");
    let t2 = Instant::now();
    let mut copy = Cluster::restore(serde_json::from_str(&text).expect("parse")).expect("restore");
    let t3 = Instant::now();
    let objects = ["services", "ipAddresses", "serviceCidrs"]
        .iter()
        .map(|k| snap[*k].as_array().map_or(0, Vec::len))
        .sum::<usize>();
    let a = cluster
        .create(service("after-restore", None))
        .expect("create");
    let b = copy.create(service("after-restore", None)).expect("create");
    assert_eq!(
        a["spec"]["clusterIP"], b["spec"]["clusterIP"],
        "restored cluster differs"
    );
    cluster
        .delete("services", "after-restore", Some("default"))
        .expect("delete");
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
    json!({"objects": objects, "snapshot_ms": ms(t0, t1), "stringify_ms": ms(t1, t2),
           "restore_ms": ms(t2, t3), "json_bytes": text.len()})
}

/// What one stored Service and its IPAddress weigh (64-bit native: struct + owned heap
/// bytes as requested from the allocator, without malloc's own overhead), to say what
/// dominates the memory per Service.
fn object_sizes(cluster: &mut Cluster) -> Value {
    use servicecidr_sim::model::{IPAddress, Service};
    let Ok(svc) = cluster.get("services", "s-0", Some("default")) else {
        return Value::Null;
    };
    let ip_name = svc["spec"]["clusterIP"].as_str().unwrap_or("").to_string();
    let svc: Service = serde_json::from_value(svc).expect("Service");
    let ip: IPAddress = serde_json::from_value(
        cluster
            .get("ipaddresses", &ip_name, None)
            .expect("IPAddress"),
    )
    .expect("IPAddress");
    let heap_of = |f: &dyn Fn() -> Box<dyn std::any::Any>| {
        let before = live();
        let v = f();
        let bytes = live() - before;
        drop(v);
        bytes
    };
    let svc_heap = heap_of(&|| Box::new(svc.clone()));
    let ip_heap = heap_of(&|| Box::new(ip.clone()));
    json!({
        "service_struct_bytes": std::mem::size_of::<Service>(),
        "service_owned_heap_bytes": svc_heap - std::mem::size_of::<Service>(),
        "ipaddress_struct_bytes": std::mem::size_of::<IPAddress>(),
        "ipaddress_owned_heap_bytes": ip_heap - std::mem::size_of::<IPAddress>(),
        "service_json_bytes": serde_json::to_string(&svc).map_or(0, |t| t.len()),
        "ipaddress_json_bytes": serde_json::to_string(&ip).map_or(0, |t| t.len()),
    })
}

fn run_scenario(c: &mut Criterion, scen: &Value, name: &str, quick: bool) -> Value {
    let run = &scen["runs"][name];
    let cidr = run["cidr"].as_str().expect("cidr");
    let mut model = RangeModel::new(cidr);
    let heap0 = live();
    let t0 = Instant::now();
    let mut cluster = Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some(cidr.into()),
        seed: scen["seed"].as_f64(),
        now: Some(scen["now"].clone()),
        ..Default::default()
    })
    .expect("cluster");
    let ctor_ms = t0.elapsed().as_secs_f64() * 1e3;
    let mut used = used_of(&cluster);
    for s in cluster.list("services", None).expect("list") {
        for ip in s["spec"]["clusterIPs"].as_array().into_iter().flatten() {
            model.mark(ip.as_str().unwrap_or(""));
        }
    }
    let cap = quick.then(|| scen["quickMaxServices"].as_u64().unwrap_or(100_000) as u128);
    let levels = levels_for(run, model.usable, used, cap);
    let mut rows = Vec::new();
    let mut created: u64 = 0;
    let mut fill_us = 0.0;
    for lv in &levels {
        let before = created;
        let f0 = Instant::now();
        while used < lv.taken {
            let s = cluster
                .create(service(&format!("s-{created}"), None))
                .expect("fill create");
            model.mark(s["spec"]["clusterIP"].as_str().unwrap_or(""));
            created += 1;
            used += 1;
        }
        let seg = f0.elapsed().as_secs_f64() * 1e6;
        fill_us += seg;
        let mut row = json!({
            "label": lv.label, "fill": used as f64 / model.usable as f64,
            "taken": used.to_string(), "services": created,
            "fill_segment_mean_us": if created > before { json!(seg / (created - before) as f64) } else { Value::Null },
            "fill_elapsed_s": fill_us / 1e6,
            "memory": {"heap_bytes": live() - heap0},
        });
        let has = |t: &str| lv.tasks.iter().any(|x| x == t);
        if has("dynamic") {
            row["dynamic"] = create_cycles(
                c,
                &mut cluster,
                &format!("create {name} dynamic"),
                &lv.label,
                None,
            );
        }
        if has("static") {
            let ip = model.static_pick(created).to_string();
            let mut st = create_cycles(
                c,
                &mut cluster,
                &format!("create {name} static"),
                &lv.label,
                Some(&ip),
            );
            st["ip"] = json!(ip);
            row["static"] = st;
        }
        if has("candelete") {
            let probe = scen["candelete"]["probeCidr"].as_str().expect("probeCidr");
            row["candelete"] = can_delete(c, &mut cluster, &model, name, created, probe);
        }
        if has("kubectl") {
            let mut k = serde_json::Map::new();
            for line in scen["kubectlLines"].as_array().into_iter().flatten() {
                let line = line.as_str().unwrap_or("");
                k.insert(line.into(), kubectl_probe(&mut cluster, line, created));
            }
            row["kubectl"] = Value::Object(k);
        }
        if has("snapshot") {
            row["snapshot"] = snapshot_probe(&mut cluster);
        }
        assert_eq!(
            used_of(&cluster),
            used,
            "{name}: harness and cluster disagree on the fill"
        );
        println!(
            "native {name} {:>8}: {created:>8} svcs, fill {:.1}s, heap {} MiB",
            lv.label,
            fill_us / 1e6,
            (live() - heap0) >> 20
        );
        rows.push(row);
    }
    let breakdown = object_sizes(&mut cluster);
    json!({"cidr": cidr, "family": model.prefix.family().as_str(), "usable": model.usable.to_string(),
           "ctor_ms": ctor_ms, "levels": rows, "services_created": created, "fill_total_s": fill_us / 1e6,
           "object_sizes": breakdown})
}

fn main() {
    let scen: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{ROOT}/bench/scenarios.json"))
            .expect("bench/scenarios.json"),
    )
    .expect("scenarios JSON");
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1");
    let wanted: Option<Vec<String>> = std::env::var("BENCH_RUNS")
        .ok()
        .map(|s| s.split(',').map(String::from).collect());
    let out_dir =
        std::env::var("BENCH_OUT").unwrap_or_else(|_| format!("{ROOT}/target/bench-results"));
    std::fs::create_dir_all(&out_dir).expect("output dir");
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_millis(300))
        .configure_from_args();
    for name in scen["order"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if wanted
            .as_ref()
            .is_some_and(|w| !w.iter().any(|x| x == name))
        {
            continue;
        }
        let started = format!("{:?}", std::time::SystemTime::now());
        let result = run_scenario(&mut c, &scen, name, quick);
        let doc =
            json!({"env": "native", "quick": quick, "started": started, "runs": {name: result}});
        let path = format!("{out_dir}/native-{name}.json");
        std::fs::write(&path, serde_json::to_string_pretty(&doc).expect("json")).expect("write");
        println!("native bench: wrote {path}");
    }
    c.final_summary();
}
