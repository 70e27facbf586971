//! Manual timing of `kubectl get svc -A` (not a bench: for `perf record`).
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
    for _ in 0..5 {
        let t = Instant::now();
        let o = c.kubectl("get svc -A", None);
        println!(
            "get svc -A: {:.2} ms ({} B)",
            t.elapsed().as_secs_f64() * 1e3,
            o.stdout.len()
        );
    }
}
