//! `kubectl describe` layouts for Service, ServiceCIDR and IPAddress (kubectl
//! `pkg/describe`), including the Events section, and the Go text/tabwriter
//! semantics those layouts depend on: describe writes everything through one
//! tabwriter (min width 0, padding 2), so labels, annotations and `Events:` line
//! up with whatever tab-separated lines surround them, and a flush before the
//! events table starts a fresh alignment.

use crate::duration::since_rfc3339;
use crate::printers::{str_at, strings_at};
use crate::tabwriter::TabWriter;
use serde_json::Value;
use servicecidr_core::clock::{civil, parse_rfc3339_millis};

/// time.RFC1123Z in UTC: `Fri, 27 Nov 2026 10:45:53 +0000`.
pub fn rfc1123z(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s, wd) = civil(secs);
    let day = DAYS.get(wd as usize).copied().unwrap_or("???");
    let month = MONTHS
        .get((mo - 1).clamp(0, 11) as usize)
        .copied()
        .unwrap_or("???");
    format!("{day}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02} +0000")
}

fn string_map(v: &Value, ptr: &str) -> Vec<(String, String)> {
    // serde_json maps iterate in key order, which is the sorted order kubectl prints.
    v.pointer(ptr)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// kubectl shows annotations up to this many characters on one line.
const MAX_ANNOTATION_LEN: usize = 140;
/// Annotations describe never shows.
const SKIPPED_ANNOTATIONS: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration"];

fn print_labels(w: &mut TabWriter, title: &str, obj: &Value) {
    w.write(&format!("{title}:\t"));
    let labels = string_map(obj, "/metadata/labels");
    if labels.is_empty() {
        w.write("<none>\n");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write("\t");
        }
        w.write(&format!("{k}={v}\n"));
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &s[..cut])
    } else {
        s.to_string()
    }
}

fn print_annotations(w: &mut TabWriter, title: &str, obj: &Value) {
    w.write(&format!("{title}:\t"));
    let ann: Vec<(String, String)> = string_map(obj, "/metadata/annotations")
        .into_iter()
        .filter(|(k, _)| !SKIPPED_ANNOTATIONS.contains(&k.as_str()))
        .collect();
    if ann.is_empty() {
        w.write("<none>\n");
        return;
    }
    for (i, (k, v)) in ann.iter().enumerate() {
        if i != 0 {
            w.write("\t");
        }
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(&format!("{k}:\n"));
            for line in value.split('\n') {
                w.write(&format!("\t  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            w.write(&format!("{k}: {value}\n"));
        }
    }
}

/// The Events section. `events` are core v1 Events about the described object
/// (events.k8s.io/v1 ones are shown through the same conversion the apiserver
/// applies), in the order the apiserver lists them.
fn describe_events(w: &mut TabWriter, events: &[Value], now_ms: i64) {
    if events.is_empty() {
        w.write("Events:\t<none>\n");
        return;
    }
    w.flush();
    let events: Vec<Value> = events
        .iter()
        .map(|e| {
            if e.get("involvedObject").is_none() {
                servicecidr_apiserver::objects::to_core_event(e)
            } else {
                e.clone()
            }
        })
        .collect();
    // kubectl sorts by lastTimestamp (a stable order for the equal, empty
    // timestamps of events.k8s.io events).
    let mut evs: Vec<&Value> = events.iter().collect();
    servicecidr_core::sort::sort_by_key(&mut evs, |e| {
        parse_rfc3339_millis(str_at(e, "/lastTimestamp")).unwrap_or(i64::MIN)
    });
    w.write("Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write("  ----\t------\t----\t----\t-------\n");
    for e in evs {
        let event_time = str_at(e, "/eventTime");
        let first = if event_time.is_empty() {
            since_rfc3339(str_at(e, "/firstTimestamp"), now_ms)
        } else {
            since_rfc3339(event_time, now_ms)
        };
        let count = e.pointer("/count").and_then(Value::as_i64).unwrap_or(0);
        let interval = if let Some(series) = e.get("series").filter(|s| s.is_object()) {
            format!(
                "{} (x{} over {})",
                since_rfc3339(str_at(series, "/lastObservedTime"), now_ms),
                series.get("count").and_then(Value::as_i64).unwrap_or(0),
                first
            )
        } else if count > 1 {
            format!(
                "{} (x{count} over {first})",
                since_rfc3339(str_at(e, "/lastTimestamp"), now_ms)
            )
        } else {
            first
        };
        let mut source = str_at(e, "/source/component").to_string();
        if source.is_empty() {
            source = str_at(e, "/reportingComponent").to_string();
        }
        w.write(&format!(
            "  {}\t{}\t{}\t{}\t{}\n",
            str_at(e, "/type"),
            str_at(e, "/reason"),
            interval,
            source,
            str_at(e, "/message").trim()
        ));
    }
}

fn time_rfc1123z(t: &str) -> String {
    match parse_rfc3339_millis(t) {
        Some(ms) => rfc1123z(ms.div_euclid(1000)),
        // kubectl formats Go's zero time when the field is missing.
        None => "Mon, 01 Jan 0001 00:00:00 +0000".into(),
    }
}

/// `kubectl describe servicecidr NAME`. `events` is None with --show-events=false.
pub fn describe_service_cidr(obj: &Value, events: Option<&[Value]>, now_ms: i64) -> String {
    let mut w = TabWriter::new(0, 2);
    w.write(&format!("Name:\t{}\n", str_at(obj, "/metadata/name")));
    print_labels(&mut w, "Labels", obj);
    print_annotations(&mut w, "Annotations", obj);
    let cidrs: Vec<&str> = obj
        .pointer("/spec/cidrs")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    w.write(&format!("CIDRs:\t{}\n", cidrs.join(", ")));
    let conds = obj
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !conds.is_empty() {
        w.write("Status:\n");
        w.write("Conditions:\n");
        w.write("  Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.write("  ----\t------\t------------------\t------\t-------\n");
        for c in &conds {
            w.write(&format!(
                "  {}\t{}\t{}\t{}\t{}\n",
                str_at(c, "/type"),
                str_at(c, "/status"),
                time_rfc1123z(str_at(c, "/lastTransitionTime")),
                str_at(c, "/reason"),
                str_at(c, "/message")
            ));
        }
    }
    if let Some(evs) = events {
        describe_events(&mut w, evs, now_ms);
    }
    w.finish()
}

/// `kubectl describe ipaddress NAME`.
pub fn describe_ip_address(obj: &Value, events: Option<&[Value]>, now_ms: i64) -> String {
    let mut w = TabWriter::new(0, 2);
    w.write(&format!("Name:\t{}\n", str_at(obj, "/metadata/name")));
    print_labels(&mut w, "Labels", obj);
    print_annotations(&mut w, "Annotations", obj);
    if let Some(p) = obj.pointer("/spec/parentRef").filter(|p| p.is_object()) {
        w.write("Parent Reference:\n");
        w.write(&format!("  Group:\t{}\n", str_at(p, "/group")));
        w.write(&format!("  Resource:\t{}\n", str_at(p, "/resource")));
        w.write(&format!("  Namespace:\t{}\n", str_at(p, "/namespace")));
        w.write(&format!("  Name:\t{}\n", str_at(p, "/name")));
    }
    if let Some(evs) = events {
        describe_events(&mut w, evs, now_ms);
    }
    w.finish()
}

/// `kubectl describe service NAME`.
pub fn describe_service(obj: &Value, events: Option<&[Value]>, now_ms: i64) -> String {
    let mut w = TabWriter::new(0, 2);
    w.write(&format!("Name:\t{}\n", str_at(obj, "/metadata/name")));
    w.write(&format!(
        "Namespace:\t{}\n",
        str_at(obj, "/metadata/namespace")
    ));
    print_labels(&mut w, "Labels", obj);
    print_annotations(&mut w, "Annotations", obj);
    let selector: Vec<String> = string_map(obj, "/spec/selector")
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let selector_text = if selector.is_empty() {
        "<none>".to_string()
    } else {
        selector.join(",")
    };
    w.write(&format!("Selector:\t{selector_text}\n"));
    w.write(&format!("Type:\t{}\n", str_at(obj, "/spec/type")));
    if let Some(p) = obj.pointer("/spec/ipFamilyPolicy").and_then(Value::as_str) {
        w.write(&format!("IP Family Policy:\t{p}\n"));
    }
    let fams = strings_at(obj, "/spec/ipFamilies");
    if fams.is_empty() {
        w.write("IP Families:\t<none>\n");
    } else {
        w.write(&format!("IP Families:\t{}\n", fams.join(",")));
    }
    w.write(&format!("IP:\t{}\n", str_at(obj, "/spec/clusterIP")));
    let ips = strings_at(obj, "/spec/clusterIPs");
    if ips.is_empty() {
        w.write("IPs:\t<none>\n");
    } else {
        w.write(&format!("IPs:\t{}\n", ips.join(",")));
    }
    let ext = strings_at(obj, "/spec/externalIPs");
    if !ext.is_empty() {
        w.write(&format!("External IPs:\t{}\n", ext.join(",")));
    }
    let lb_ip = str_at(obj, "/spec/loadBalancerIP");
    if !lb_ip.is_empty() {
        w.write(&format!("Desired LoadBalancer IP:\t{lb_ip}\n"));
    }
    let ext_name = str_at(obj, "/spec/externalName");
    if !ext_name.is_empty() {
        w.write(&format!("External Name:\t{ext_name}\n"));
    }
    if let Some(ing) = obj
        .pointer("/status/loadBalancer/ingress")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
    {
        let list: Vec<String> = ing
            .iter()
            .map(|i| {
                let ip = str_at(i, "/ip");
                if ip.is_empty() {
                    str_at(i, "/hostname").to_string()
                } else {
                    match i.get("ipMode").and_then(Value::as_str) {
                        Some(m) => format!("{ip} ({m})"),
                        None => ip.to_string(),
                    }
                }
            })
            .collect();
        w.write(&format!("LoadBalancer Ingress:\t{}\n", list.join(", ")));
    }
    // No Pods run here, so no Service has endpoints. On a real cluster the
    // EndpointSlice controller gives every Service with a selector an empty
    // slice (kubectl then prints nothing), while one without a selector has no
    // slice at all (`<none>`); the built-in `kubernetes` Service, which would
    // list the apiserver's address, shows `<none>` here.
    let endpoints = if selector.is_empty() { "<none>" } else { "" };
    let ports = obj
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for p in &ports {
        let mut name = str_at(p, "/name").to_string();
        if name.is_empty() {
            name = "<unset>".into();
        }
        let proto = str_at(p, "/protocol");
        let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
        w.write(&format!("Port:\t{name}\t{port}/{proto}\n"));
        match p.get("targetPort") {
            Some(Value::String(s)) => w.write(&format!("TargetPort:\t{s}/{proto}\n")),
            Some(v) => w.write(&format!(
                "TargetPort:\t{}/{proto}\n",
                v.as_i64().unwrap_or(0)
            )),
            None => w.write(&format!("TargetPort:\t0/{proto}\n")),
        }
        let node_port = p.get("nodePort").and_then(Value::as_i64).unwrap_or(0);
        if node_port != 0 {
            w.write(&format!("NodePort:\t{name}\t{node_port}/{proto}\n"));
        }
        w.write(&format!("Endpoints:\t{endpoints}\n"));
    }
    w.write(&format!(
        "Session Affinity:\t{}\n",
        str_at(obj, "/spec/sessionAffinity")
    ));
    let etp = str_at(obj, "/spec/externalTrafficPolicy");
    if !etp.is_empty() {
        w.write(&format!("External Traffic Policy:\t{etp}\n"));
    }
    if let Some(itp) = obj
        .pointer("/spec/internalTrafficPolicy")
        .and_then(Value::as_str)
    {
        w.write(&format!("Internal Traffic Policy:\t{itp}\n"));
    }
    let hc = obj
        .pointer("/spec/healthCheckNodePort")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if hc != 0 {
        w.write(&format!("HealthCheck NodePort:\t{hc}\n"));
    }
    let ranges = strings_at(obj, "/spec/loadBalancerSourceRanges");
    if !ranges.is_empty() {
        w.write(&format!(
            "LoadBalancer Source Ranges:\t{}\n",
            ranges.join(",")
        ));
    }
    let td = str_at(obj, "/spec/trafficDistribution");
    if !td.is_empty() {
        w.write(&format!("Traffic Distribution:\t{td}\n"));
    }
    if let Some(evs) = events {
        describe_events(&mut w, evs, now_ms);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tabwriter::format_block;
    use serde_json::json;

    const NOW: i64 = 1_795_776_353_000; // 2026-11-27T10:45:53Z

    #[test]
    fn tabwriter_blocks_like_go() {
        let mut w = TabWriter::new(0, 2);
        w.write(
            "Name:\tx\nLabels:\ta=b\n\tc=d\nStatus:\nType\tStatus\n----\t------\nEvents:\t<none>\n",
        );
        assert_eq!(
            w.finish(),
            "Name:    x\nLabels:  a=b\n         c=d\nStatus:\nType     Status\n----     ------\nEvents:  <none>\n"
        );
    }

    #[test]
    fn tabwriter_pads_empty_cells_before_a_newline() {
        assert_eq!(
            format_block("  Group:\t\n  Resource:\tservices\n", 0, 2),
            "  Group:     \n  Resource:  services\n"
        );
    }

    #[test]
    fn date_formats() {
        assert_eq!(rfc1123z(NOW / 1000), "Fri, 27 Nov 2026 10:45:53 +0000");
        assert_eq!(rfc1123z(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(time_rfc1123z(""), "Mon, 01 Jan 0001 00:00:00 +0000");
    }

    #[test]
    fn service_cidr_matches_kubectl() {
        let obj = json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
            "metadata": {"name": "two"},
            "spec": {"cidrs": ["10.200.0.0/24"]},
            "status": {"conditions": [{"type": "Ready", "status": "True",
                "lastTransitionTime": "2026-11-27T10:45:53Z", "reason": "",
                "message": "Kubernetes Service CIDR is ready"}]}
        });
        assert_eq!(
            describe_service_cidr(&obj, Some(&[]), NOW),
            "Name:         two\n\
             Labels:       <none>\n\
             Annotations:  <none>\n\
             CIDRs:        10.200.0.0/24\n\
             Status:\n\
             Conditions:\n\
             \x20 Type   Status  LastTransitionTime               Reason  Message\n\
             \x20 ----   ------  ------------------               ------  -------\n\
             \x20 Ready  True    Fri, 27 Nov 2026 10:45:53 +0000          Kubernetes Service CIDR is ready\n\
             Events:  <none>\n"
        );
    }

    #[test]
    fn ip_address_matches_kubectl() {
        let obj = json!({
            "metadata": {"name": "10.96.0.1", "labels": {
                "ipaddress.kubernetes.io/ip-family": "IPv4",
                "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"}},
            "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "kubernetes"}}
        });
        assert_eq!(
            describe_ip_address(&obj, Some(&[]), NOW),
            "Name:         10.96.0.1\n\
             Labels:       ipaddress.kubernetes.io/ip-family=IPv4\n\
             \x20             ipaddress.kubernetes.io/managed-by=ipallocator.k8s.io\n\
             Annotations:  <none>\n\
             Parent Reference:\n\
             \x20 Group:      \n\
             \x20 Resource:   services\n\
             \x20 Namespace:  default\n\
             \x20 Name:       kubernetes\n\
             Events:       <none>\n"
        );
    }

    #[test]
    fn events_table_is_aligned_on_its_own() {
        let obj = json!({"metadata": {"name": "kubernetes"}, "spec": {"cidrs": ["10.96.0.0/28"]}});
        let ev = json!({
            "eventTime": "2026-11-27T10:19:53.000000Z", "type": "Warning",
            "reason": "ClusterIPNotAllocated", "reportingController": "ipallocator-repair-controller",
            "note": "Cluster IP [IPv4]: 10.96.0.5 is not allocated; repairing"
        });
        assert_eq!(
            describe_service_cidr(&obj, Some(&[ev]), NOW),
            "Name:         kubernetes\n\
             Labels:       <none>\n\
             Annotations:  <none>\n\
             CIDRs:        10.96.0.0/28\n\
             Events:\n\
             \x20 Type     Reason                 Age   From                           Message\n\
             \x20 ----     ------                 ----  ----                           -------\n\
             \x20 Warning  ClusterIPNotAllocated  26m   ipallocator-repair-controller  Cluster IP [IPv4]: 10.96.0.5 is not allocated; repairing\n"
        );
    }

    #[test]
    fn service_layout() {
        let obj = json!({
            "metadata": {"name": "nginx-service", "namespace": "default"},
            "spec": {"selector": {"app": "nginx"}, "type": "ClusterIP", "ipFamilyPolicy": "SingleStack",
                "ipFamilies": ["IPv4"], "clusterIP": "10.99.139.225", "clusterIPs": ["10.99.139.225"],
                "ports": [{"protocol": "TCP", "port": 80, "targetPort": 8080}],
                "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"}
        });
        assert_eq!(
            describe_service(&obj, Some(&[]), NOW),
            "Name:                     nginx-service\n\
             Namespace:                default\n\
             Labels:                   <none>\n\
             Annotations:              <none>\n\
             Selector:                 app=nginx\n\
             Type:                     ClusterIP\n\
             IP Family Policy:         SingleStack\n\
             IP Families:              IPv4\n\
             IP:                       10.99.139.225\n\
             IPs:                      10.99.139.225\n\
             Port:                     <unset>  80/TCP\n\
             TargetPort:               8080/TCP\n\
             Endpoints:                \n\
             Session Affinity:         None\n\
             Internal Traffic Policy:  Cluster\n\
             Events:                   <none>\n"
        );
    }

    #[test]
    fn selectorless_dual_stack_node_port_service() {
        let obj = json!({
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"type": "NodePort", "ipFamilyPolicy": "PreferDualStack",
                "ipFamilies": ["IPv4", "IPv6"], "clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5", "fd00::5"],
                "ports": [{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080},
                          {"name": "443", "protocol": "TCP", "port": 443, "targetPort": 443, "nodePort": 30443}],
                "sessionAffinity": "None", "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster"}
        });
        assert_eq!(
            describe_service(&obj, None, NOW),
            "Name:                     web\n\
             Namespace:                default\n\
             Labels:                   app=web\n\
             Annotations:              <none>\n\
             Selector:                 <none>\n\
             Type:                     NodePort\n\
             IP Family Policy:         PreferDualStack\n\
             IP Families:              IPv4,IPv6\n\
             IP:                       10.96.0.5\n\
             IPs:                      10.96.0.5,fd00::5\n\
             Port:                     80-8080  80/TCP\n\
             TargetPort:               8080/TCP\n\
             Endpoints:                <none>\n\
             Port:                     443  443/TCP\n\
             TargetPort:               443/TCP\n\
             NodePort:                 443  30443/TCP\n\
             Endpoints:                <none>\n\
             Session Affinity:         None\n\
             External Traffic Policy:  Cluster\n\
             Internal Traffic Policy:  Cluster\n"
        );
    }

    #[test]
    fn long_annotations_are_folded_and_last_applied_is_hidden() {
        let long = "x".repeat(200);
        let obj = json!({"metadata": {"name": "a", "annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": "{}", "k": long, "z": "short"}},
            "spec": {"cidrs": []}});
        let out = describe_service_cidr(&obj, None, NOW);
        assert!(
            out.contains(&format!(
                "Annotations:  k:\n                {}...\n",
                "x".repeat(138)
            )),
            "{out}"
        );
        assert!(out.contains("              z: short\n"), "{out}");
        assert!(!out.contains("last-applied"));
    }
}
