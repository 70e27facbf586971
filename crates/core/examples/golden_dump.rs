//! Prints every observable answer of one fixed scenario (creates, errors, updates, deletes,
//! repair after two minutes, trace(), watch(), events, lists, full and compact snapshots,
//! restores that continue, a restart into another release), single- and dual-stack.
//! A change meant to be invisible (a performance change) must leave it byte-identical:
//!   cargo run --release -p servicecidr-core --example golden_dump > after.txt
//! and the same on the commit before, then `cmp before.txt after.txt`.
use serde_json::json;
use servicecidr_core::cluster::{Cluster, ClusterOptions};

fn scenario(range: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut c = Cluster::new(ClusterOptions {
        seed: Some(7.0),
        now: Some(json!("2024-01-01T00:00:00Z")),
        service_cluster_ip_range: Some(range.into()),
        ..Default::default()
    })
    .unwrap();
    let mut push = |v: String| out.push(v);
    for i in 0..30 {
        let r = c.create(json!({"apiVersion":"v1","kind":"Service","metadata":{"name":format!("s-{i}"),"namespace": if i%3==0 {"kube-system"} else {"default"}},"spec":{"ports":[{"port":80}], "ipFamilyPolicy": if i%4==0 {"PreferDualStack"} else {"SingleStack"}}}));
        push(format!("{:?}", r.map(|v| v.to_string())));
    }
    let r = c.create(json!({"apiVersion":"v1","kind":"Service","metadata":{"generateName":"g-","namespace":"default"},"spec":{"ports":[{"port":80}],"type":"NodePort"}}));
    push(format!("{:?}", r.map(|v| v.to_string())));
    let r = c.create(json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"static","namespace":"default"},"spec":{"ports":[{"port":80}],"clusterIP":"10.96.0.77"}}));
    push(format!("{:?}", r.map(|v| v.to_string())));
    let r = c.create(json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"static2","namespace":"default"},"spec":{"ports":[{"port":80}],"clusterIP":"10.96.0.77"}}));
    push(format!("{:?}", r.map(|v| v.to_string())));
    let r = c.create(json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"s-1","namespace":"default"},"spec":{"ports":[{"port":80}]}}));
    push(format!("{:?}", r.map(|v| v.to_string())));
    let r = c.create(json!({"apiVersion":"networking.k8s.io/v1","kind":"IPAddress","metadata":{"name":"10.96.5.5"},"spec":{"parentRef":{"resource":"services","namespace":"default","name":"ghost"}}}));
    push(format!("{:?}", r.map(|v| v.to_string())));
    let r = c.create(json!({"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"extra"},"spec":{"cidrs":["10.100.0.0/24"]}}));
    push(format!("{:?}", r.map(|v| v.to_string())));
    let mut s = c.get("services", "s-2", Some("default")).unwrap();
    s["metadata"]["labels"] = json!({"a":"b"});
    push(format!("{:?}", c.update(s).map(|v| v.to_string())));
    for i in 0..10 {
        let r = c.delete(
            "services",
            &format!("s-{}", i * 2 + 1),
            Some(if (i * 2 + 1) % 3 == 0 {
                "kube-system"
            } else {
                "default"
            }),
        );
        push(format!("{:?}", r.map(|v| v.to_string())));
    }
    push(format!(
        "{:?}",
        c.delete("servicecidrs", "extra", None)
            .map(|v| v.to_string())
    ));
    c.advance(120.0).unwrap();
    let r = c.create(json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"late","namespace":"default"},"spec":{"ports":[{"port":80}]}}));
    push(format!("{:?}", r.map(|v| v.to_string())));
    push(serde_json::to_string(&c.trace(None)).unwrap());
    push(serde_json::to_string(&c.trace(Some(40))).unwrap());
    push(serde_json::to_string(&c.watch(None).unwrap()).unwrap());
    push(serde_json::to_string(&c.watch(Some("30")).unwrap()).unwrap());
    push(serde_json::to_string(&c.events()).unwrap());
    push(serde_json::to_string(&c.list("services", None).unwrap()).unwrap());
    push(serde_json::to_string(&c.list("ipaddresses", None).unwrap()).unwrap());
    let snap = c.snapshot();
    push(snap.to_string());
    let compact = c.snapshot_compact();
    push(compact.to_string());
    for (k, sn) in [("full", snap), ("compact", compact)] {
        let mut d = Cluster::restore(sn).unwrap();
        let r = d.create(json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"after","namespace":"default"},"spec":{"ports":[{"port":80}]}}));
        push(format!("{k} {:?}", r.map(|v| v.to_string())));
        push(format!(
            "{:?}",
            d.delete("services", "s-0", Some("kube-system"))
                .map(|v| v.to_string())
        ));
        push(serde_json::to_string(&d.trace(None)).unwrap());
        push(serde_json::to_string(&d.watch(None).unwrap()).unwrap());
        push(d.snapshot().to_string());
        push(d.snapshot_compact().to_string());
    }
    // restart the apiserver with another version (rewrites apiVersion in place)
    let r = c.restart_apiserver(range, Some("1.31"));
    push(format!("{:?}", r.map(|_| ())));
    c.settle();
    push(serde_json::to_string(&c.watch(None).unwrap()).unwrap());
    push(serde_json::to_string(&c.trace(None)).unwrap());
    push(c.snapshot().to_string());
    push(c.snapshot_compact().to_string());
    out
}

fn main() {
    for range in ["10.96.0.0/16", "10.96.0.0/16,fd00::/108"] {
        for line in scenario(range) {
            println!("{line}");
        }
    }
}
