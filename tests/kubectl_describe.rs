#![cfg(not(target_arch = "wasm32"))]
//! `kubectl describe` against the simulated cluster, in kubectl's layout.

mod common;

use common::{k, ok};
use servicecidr_sim::Cluster;
use servicecidr_sim::Kubectl;

fn cluster() -> Cluster {
    common::cluster(1.0)
}

#[test]
fn servicecidr() {
    let mut c = cluster();
    ok(
        &k(&mut c, "describe servicecidr kubernetes"),
        "Name:         kubernetes\n\
         Labels:       <none>\n\
         Annotations:  <none>\n\
         CIDRs:        10.96.0.0/28\n\
         Status:\n\
         Conditions:\n\
         \x20 Type   Status  LastTransitionTime               Reason  Message\n\
         \x20 ----   ------  ------------------               ------  -------\n\
         \x20 Ready  True    Fri, 27 Nov 2026 10:45:53 +0000          Kubernetes Service CIDR is ready\n\
         Events:  <none>\n",
    );
}

#[test]
fn terminating_servicecidr() {
    let mut c = cluster();
    for i in 0..12 {
        k(&mut c, &format!("create service clusterip s{i} --tcp 80"));
    }
    c.kubectl(
        "apply -f -",
        Some("apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\n"),
    );
    k(&mut c, "create service clusterip holder --tcp 80");
    c.advance(90.0).unwrap();
    k(&mut c, "delete servicecidr newcidr1 --wait=false");
    ok(
        &k(&mut c, "describe servicecidr newcidr1"),
        "Name:         newcidr1\n\
         Labels:       <none>\n\
         Annotations:  <none>\n\
         CIDRs:        10.96.0.0/24\n\
         Status:\n\
         Conditions:\n\
         \x20 Type   Status  LastTransitionTime               Reason       Message\n\
         \x20 ----   ------  ------------------               ------       -------\n\
         \x20 Ready  False   Fri, 27 Nov 2026 10:47:23 +0000  Terminating  There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR\n\
         Events:  <none>\n",
    );
}

#[test]
fn ipaddress() {
    let mut c = cluster();
    ok(
        &k(&mut c, "describe ipaddress 10.96.0.1"),
        "Name:         10.96.0.1\n\
         Labels:       ipaddress.kubernetes.io/ip-family=IPv4\n\
         \x20             ipaddress.kubernetes.io/managed-by=ipallocator.k8s.io\n\
         Annotations:  <none>\n\
         Parent Reference:\n\
         \x20 Group:      \n\
         \x20 Resource:   services\n\
         \x20 Namespace:  default\n\
         \x20 Name:       kubernetes\n\
         Events:       <none>\n",
    );
}

#[test]
fn the_kubernetes_service() {
    let mut c = cluster();
    ok(
        &k(&mut c, "describe svc kubernetes"),
        "Name:                     kubernetes\n\
         Namespace:                default\n\
         Labels:                   component=apiserver\n\
         \x20                         provider=kubernetes\n\
         Annotations:              <none>\n\
         Selector:                 <none>\n\
         Type:                     ClusterIP\n\
         IP Family Policy:         SingleStack\n\
         IP Families:              IPv4\n\
         IP:                       10.96.0.1\n\
         IPs:                      10.96.0.1\n\
         Port:                     https  443/TCP\n\
         TargetPort:               6443/TCP\n\
         Endpoints:                <none>\n\
         Session Affinity:         None\n\
         Internal Traffic Policy:  Cluster\n\
         Events:                   <none>\n",
    );
}

#[test]
fn a_service_with_a_repair_event() {
    let mut c = cluster();
    k(&mut c, "create service clusterip web --tcp 80");
    let ip = c.get("svc", "web", Some("default")).unwrap()["spec"]["clusterIP"]
        .as_str()
        .unwrap()
        .to_string();
    // Losing the IPAddress makes the repair loop recreate it, with a Warning.
    k(&mut c, &format!("delete ipaddress {ip}"));
    c.advance(200.0).unwrap();
    let o = k(&mut c, "describe svc web");
    let events = o.stdout.split_once("Events:").map(|(_, e)| e).unwrap_or("");
    // The repair loop's periodic pass (every 3 minutes) found it 20 s ago.
    assert_eq!(
        events,
        format!(
            "\n  Type     Reason                 Age   From                           Message\n  \
             ----     ------                 ----  ----                           -------\n  \
             Warning  ClusterIPNotAllocated  20s   ipallocator-repair-controller  Cluster IP [IPv4]: {ip} is not allocated; repairing\n"
        )
    );
    assert!(o.stdout.starts_with(&format!(
        "Name:                     web\nNamespace:                default\nLabels:                   app=web\nAnnotations:              <none>\nSelector:                 app=web\nType:                     ClusterIP\nIP Family Policy:         SingleStack\nIP Families:              IPv4\nIP:                       {ip}\nIPs:                      {ip}\nPort:                     80  80/TCP\nTargetPort:               80/TCP\nEndpoints:                \nSession Affinity:         None\nInternal Traffic Policy:  Cluster\n"
    )));
    let o = k(&mut c, "describe svc web --show-events=false");
    assert!(!o.stdout.contains("Events"));
}

#[test]
fn several_objects_prefixes_and_errors() {
    let mut c = cluster();
    let o = k(&mut c, "describe ip");
    let parts: Vec<&str> = o.stdout.split("\n\n\n").collect();
    assert_eq!(parts.len(), 2, "{}", o.stdout);
    assert!(parts[1].starts_with("Name:         10.96.0.10\n"));
    // A missing name describes every object whose name starts with it.
    let o = k(&mut c, "describe svc kube -A");
    assert_eq!(o.exit_code, 0);
    let o = k(&mut c, "describe svc kube");
    assert!(
        o.stdout
            .starts_with("Name:                     kubernetes\n"),
        "{}",
        o.stderr
    );
    let o = k(&mut c, "describe servicecidr kubernetes nope");
    assert!(o.stdout.starts_with("Name:         kubernetes\n"));
    assert_eq!(
        o.stderr,
        "Error from server (NotFound): servicecidrs.networking.k8s.io \"nope\" not found\n"
    );
    assert_eq!(o.exit_code, 1);
    let o = k(&mut c, "describe svc -n kube-public");
    assert_eq!(o.stderr, "No resources found in kube-public namespace.\n");
    let o = k(&mut c, "describe");
    assert_eq!(
        (o.stderr.as_str(), o.exit_code),
        ("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n", 1)
    );
}
