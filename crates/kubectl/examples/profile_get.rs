//! Manual timing of `kubectl get svc -A` and of `list('services')` as the JS binding
//! makes it (not a bench: for `perf record`). `profile_get N [get|list|list_json] [ROUNDS]`.
use serde_json::json;
use servicecidr_core::cluster::{Cluster, ClusterOptions};
use servicecidr_kubectl::Kubectl;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10000);
    let mut c = Cluster::new(ClusterOptions {
        seed: Some(1.0),
        now: Some(json!("2024-01-01T00:00:00Z")),
        service_cluster_ip_range: Some("10.96.0.0/12".into()),
        ..Default::default()
    })
    .unwrap();
    for i in 0..n {
        c.create(json!({"apiVersion":"v1","kind":"Service","metadata":{"name":format!("s-{i}"),"namespace":"default"},"spec":{"ports":[{"port":80}]}})).unwrap();
    }
    let what = std::env::args().nth(2).unwrap_or_default();
    let rounds: usize = std::env::args()
        .nth(3)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    for _ in 0..rounds {
        if what == "list_json" {
            let t = Instant::now();
            let n = c.list_json("services", None).unwrap().len();
            println!(
                "list_json: {:.2} ms ({n} B)",
                t.elapsed().as_secs_f64() * 1e3
            );
            continue;
        }
        if what != "get" {
            let t = Instant::now();
            let text = serde_json::to_string(&c.list("services", None).unwrap()).unwrap();
            let old = t.elapsed();
            let t = Instant::now();
            let new = c.list_json("services", None).unwrap();
            println!(
                "list services: Value + to_string {:.2} ms, list_json {:.2} ms ({} B, same: {})",
                old.as_secs_f64() * 1e3,
                t.elapsed().as_secs_f64() * 1e3,
                new.len(),
                new == text
            );
        }
        if what == "list" {
            continue;
        }
        let t = Instant::now();
        let o = c.kubectl("get svc -A", None);
        println!(
            "get svc -A: {:.2} ms ({} B)",
            t.elapsed().as_secs_f64() * 1e3,
            o.stdout.len()
        );
    }
}
