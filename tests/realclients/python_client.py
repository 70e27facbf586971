"""The official Kubernetes Python client against servicecidr-sim apiserver.

Run by clients.test.mjs: `python3 python_client.py KUBECONFIG`. Exercises create, list, get,
patch and delete of Service, ServiceCIDR and IPAddress, a watch that sees a ServiceCIDR go
through Terminating, and the Status carried by ApiException for NotFound (404) and a full
range (500). Prints one JSON object of what it saw; the test asserts on it.
"""

import json
import sys
import threading

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def status_of(exc):
    return {"status": exc.status, "body": json.loads(exc.body)}


def main():
    config.load_kube_config(config_file=sys.argv[1])
    core = client.CoreV1Api()
    net = client.NetworkingV1Api()
    out = {}

    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "py-web"},
           "spec": {"ports": [{"port": 80}]}}
    created = core.create_namespaced_service("default", svc)
    out["service_ip"] = created.spec.cluster_ip
    out["service_names"] = sorted(s.metadata.name for s in core.list_namespaced_service("default").items)
    out["service_get"] = core.read_namespaced_service("py-web", "default").spec.ports[0].port
    patched = core.patch_namespaced_service("py-web", "default", {"metadata": {"labels": {"x": "y"}}})
    out["service_patched_labels"] = patched.metadata.labels

    ip = net.read_ip_address(created.spec.cluster_ip)
    out["ipaddress_parent"] = ip.spec.parent_ref.to_dict()
    out["ipaddress_count"] = len(net.list_ip_address().items)
    net.create_ip_address({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
                           "metadata": {"name": "10.96.0.12"},
                           "spec": {"parentRef": {"group": "", "resource": "services",
                                                  "namespace": "default", "name": "py-none"}}})
    p = net.patch_ip_address("10.96.0.12", {"metadata": {"labels": {"by": "python"}}})
    out["ipaddress_patched_labels"] = p.metadata.labels
    net.delete_ip_address("10.96.0.12")

    # A watch on ServiceCIDRs while one is created, deleted while a Service holds an address
    # only it has (Terminating: MODIFIED), then freed.
    events = []
    w = watch.Watch()
    rv = net.list_service_cidr().metadata.resource_version

    def watching():
        for ev in w.stream(net.list_service_cidr, resource_version=rv, timeout_seconds=25):
            obj = ev["object"]
            if obj.metadata.name != "py-extra":
                continue
            conds = (obj.status.conditions or []) if obj.status else []
            events.append([ev["type"], [c.reason for c in conds],
                           obj.metadata.deletion_timestamp is not None])
            if ev["type"] == "DELETED":
                w.stop()

    t = threading.Thread(target=watching)
    t.start()
    net.create_service_cidr({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
                             "metadata": {"name": "py-extra"}, "spec": {"cidrs": ["10.97.0.0/24"]}})
    out["servicecidr_get"] = net.read_service_cidr("py-extra").spec.cidrs
    net.patch_service_cidr("py-extra", {"metadata": {"labels": {"by": "python"}}})
    core.create_namespaced_service("default", {"metadata": {"name": "py-held"},
                                               "spec": {"clusterIP": "10.97.0.5", "ports": [{"port": 80}]}})
    net.delete_service_cidr("py-extra")
    out["terminating_reason"] = [c.reason for c in net.read_service_cidr("py-extra").status.conditions]
    core.delete_namespaced_service("py-held", "default")
    t.join(30)
    out["watch"] = events

    try:
        core.read_namespaced_service("nope", "default")
    except ApiException as e:
        out["not_found"] = status_of(e)

    # Fill the /28: 14 usable, kubernetes .1, kube-dns .10, py-web one more.
    full = None
    for i in range(20):
        try:
            core.create_namespaced_service("default", {"metadata": {"name": f"py-fill-{i}"},
                                                       "spec": {"ports": [{"port": 80}]}})
        except ApiException as e:
            full = status_of(e)
            break
    out["range_full"] = full
    core.delete_namespaced_service("py-web", "default")
    out["after_delete"] = "py-web" in [s.metadata.name for s in core.list_namespaced_service("default").items]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
