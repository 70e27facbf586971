//! healthCheckNodePort: a LoadBalancer Service with externalTrafficPolicy Local
//! gets one from the NodePort range (alloc.go allocHealthCheckNodePort), a
//! requested one is checked, and it goes back when the type or policy changes.

mod common;

use common::cluster;
use serde_json::{json, Value};
use servicecidr_sim::Cluster;

fn lb(name: &str, extra: Value) -> Value {
    let mut spec = json!({"type": "LoadBalancer", "externalTrafficPolicy": "Local",
                          "ports": [{"port": 80}], "selector": {"app": name}});
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        spec[k] = v;
    }
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec})
}

fn hc(v: &Value) -> i64 {
    v["spec"]["healthCheckNodePort"].as_i64().unwrap_or(0)
}

#[test]
fn local_load_balancer_gets_a_health_check_node_port() {
    let mut c = cluster(1.0);
    let s = c.create(lb("web", json!({}))).unwrap();
    let port = hc(&s);
    assert!((30000..=32767).contains(&port), "{s}");
    assert_ne!(Some(port), s["spec"]["ports"][0]["nodePort"].as_i64());
    // Without node ports for the load balancer the health-check port is still allocated.
    let s = c
        .create(lb("bare", json!({"allocateLoadBalancerNodePorts": false})))
        .unwrap();
    assert!(s["spec"]["ports"][0]["nodePort"].is_null(), "{s}");
    assert!((30000..=32767).contains(&hc(&s)), "{s}");
    // Cluster policy: none.
    let s = c
        .create(lb("cluster", json!({"externalTrafficPolicy": "Cluster"})))
        .unwrap();
    assert!(s["spec"]["healthCheckNodePort"].is_null(), "{s}");
}

#[test]
fn a_requested_port_is_checked_against_the_range_and_the_holders() {
    let mut c = cluster(2.0);
    let s = c
        .create(lb("web", json!({"healthCheckNodePort": 31000})))
        .unwrap();
    assert_eq!(hc(&s), 31000);
    let err = c
        .create(lb("again", json!({"healthCheckNodePort": 31000})))
        .unwrap_err();
    assert_eq!(err.code, 500);
    assert_eq!(
        err.message,
        "Internal error occurred: failed to allocate requested HealthCheck NodePort 31000: provided port is already allocated"
    );
    let np = s["spec"]["ports"][0]["nodePort"].as_i64().unwrap();
    let err = c
        .create(lb("clash", json!({"healthCheckNodePort": np})))
        .unwrap_err();
    assert!(
        err.message.ends_with("provided port is already allocated"),
        "{}",
        err.message
    );
    let err = c
        .create(lb("low", json!({"healthCheckNodePort": 80})))
        .unwrap_err();
    assert_eq!(
        err.message,
        "Internal error occurred: failed to allocate requested HealthCheck NodePort 80: provided port is not in the valid range. The range of valid ports is 30000-32767"
    );
    // A node port another Service wants cannot be a health-check port already held.
    let err = c
        .create(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "np"},
                       "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 31000}]}}),
        )
        .unwrap_err();
    assert_eq!(err.code, 422, "{}", err.message);
}

#[test]
fn switching_policy_releases_it_and_updates_keep_it() {
    let mut c: Cluster = cluster(3.0);
    let s = c
        .create(lb("web", json!({"healthCheckNodePort": 31500})))
        .unwrap();
    // An update that leaves it out keeps the stored one (PATCH semantics of PUT).
    let mut again = s.clone();
    again["spec"]
        .as_object_mut()
        .unwrap()
        .remove("healthCheckNodePort");
    again["metadata"]["labels"] = json!({"x": "y"});
    let s = c.update(again).unwrap();
    assert_eq!(hc(&s), 31500);
    let mut cluster_policy = s.clone();
    cluster_policy["spec"]["externalTrafficPolicy"] = json!("Cluster");
    let s = c.update(cluster_policy).unwrap();
    assert!(s["spec"]["healthCheckNodePort"].is_null(), "{s}");
    let other = c
        .create(lb("other", json!({"healthCheckNodePort": 31500})))
        .unwrap();
    assert_eq!(hc(&other), 31500, "the released port can be taken again");
}
