//! Manual timing of the create path (not a bench: for `perf record`).
use serde_json::json;
use servicecidr_core::cluster::{Cluster, ClusterOptions};
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20000);
    let mut c = Cluster::new(ClusterOptions {
        seed: Some(1.0),
        now: Some(json!("2024-01-01T00:00:00Z")),
        service_cluster_ip_range: Some("10.96.0.0/12".into()),
        ..Default::default()
    })
    .unwrap();
    // TEXT=1: create_text, what the JS API calls.
    let text = std::env::var("TEXT").is_ok();
    let create = |c: &mut Cluster, obj| {
        if text {
            c.create_text(obj).map(|_| ())
        } else {
            c.create(obj).map(|_| ())
        }
    };
    let t = Instant::now();
    for i in 0..n {
        create(&mut c, json!({"apiVersion":"v1","kind":"Service","metadata":{"name":format!("s-{i}"),"namespace":"default"},"spec":{"ports":[{"port":80}]}})).unwrap();
    }
    let e = t.elapsed();
    println!("create: {:.2} us/op", e.as_secs_f64() * 1e6 / n as f64);
    // As bench/goals.mjs probes: creates at the filled size, each followed by an untimed delete.
    let mut probes = Vec::new();
    for i in 0..320 {
        let obj = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":format!("probe-{i}"),"namespace":"default"},"spec":{"ports":[{"port":80}]}});
        let t = Instant::now();
        create(&mut c, obj).unwrap();
        let d = t.elapsed().as_secs_f64() * 1e6;
        c.delete("services", &format!("probe-{i}"), Some("default"))
            .unwrap();
        if i >= 20 {
            probes.push(d);
        }
    }
    probes.sort_by(f64::total_cmp);
    println!("create median at {n}: {:.2} us", probes[probes.len() / 2]);
    if std::env::var("ONLY_CREATE").is_ok() {
        return;
    }
    let t = Instant::now();
    let l = c.list("services", None).unwrap();
    println!(
        "list: {:.2} ms ({})",
        t.elapsed().as_secs_f64() * 1e3,
        l.len()
    );
    let t = Instant::now();
    let s = c.snapshot();
    println!("snapshot: {:.2} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let _r = Cluster::restore(s).unwrap();
    println!("restore: {:.2} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let s = c.snapshot_compact();
    println!(
        "snapshot compact: {:.2} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let _r = Cluster::restore(s).unwrap();
    println!("restore compact: {:.2} ms", t.elapsed().as_secs_f64() * 1e3);
}
