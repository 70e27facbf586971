#![cfg(not(target_arch = "wasm32"))]
//! kubectl's other commands and its command-line handling: version,
//! api-resources, wait, unknown commands and flags, quoting, and the shell
//! (`cluster.run`) driving kubectl against the cluster.

mod common;

use common::{k, out};
use serde_json::Value;
use servicecidr_sim::Cluster;
use servicecidr_sim::Kubectl;

fn cluster() -> Cluster {
    common::cluster(9.0)
}

#[test]
fn version() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "kubectl version")),
        (
            "Client Version: v1.37.0\nKustomize Version: v5.6.0\nServer Version: v1.37.0\n",
            "",
            0
        )
    );
    assert_eq!(
        out(&k(&mut c, "version --client")),
        (
            "Client Version: v1.37.0\nKustomize Version: v5.6.0\n",
            "",
            0
        )
    );
    let o = k(&mut c, "version -o json");
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["serverVersion"]["minor"], "37");
    assert_eq!(v["serverVersion"]["gitVersion"], "v1.37.0");
    assert_eq!(v["clientVersion"]["gitVersion"], "v1.37.0");
    assert_eq!(v["kustomizeVersion"], "v5.6.0");
    // The dispatcher of the Google Cloud SDK picks kubectl by the server's minor.
    let mut c = common::cluster_release(1.0, "1.31");
    let o = k(&mut c, "version");
    assert_eq!(
        o.stdout,
        "Client Version: v1.31.0\nKustomize Version: v5.6.0\nServer Version: v1.31.0\n"
    );
    let o = k(&mut c, "api-resources --api-group networking.k8s.io");
    assert!(
        o.stdout.contains("networking.k8s.io/v1beta1"),
        "{}",
        o.stdout
    );
}

#[test]
fn api_resources() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "api-resources")),
        (
            "NAME                                SHORTNAMES   APIVERSION                        NAMESPACED   KIND\n\
             configmaps                          cm           v1                                true         ConfigMap\n\
             events                              ev           v1                                true         Event\n\
             services                            svc          v1                                true         Service\n\
             events                              ev           events.k8s.io/v1                  true         Event\n\
             ipaddresses                         ip           networking.k8s.io/v1              false        IPAddress\n\
             servicecidrs                                     networking.k8s.io/v1              false        ServiceCIDR\n\
             validatingadmissionpolicies                      admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicy\n\
             validatingadmissionpolicybindings                admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicyBinding\n",
            "",
            0
        )
    );
    assert_eq!(
        out(&k(
            &mut c,
            "api-resources --api-group=networking.k8s.io -o name"
        )),
        (
            "ipaddresses.networking.k8s.io\nservicecidrs.networking.k8s.io\n",
            "",
            0
        )
    );
}

/// `kubectl api-versions` lists what discovery serves, per release (kubectl 1.33 over HTTP
/// against a 1.33 server printed exactly the 1.33 list).
#[test]
fn api_versions() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "api-versions")),
        (
            "admissionregistration.k8s.io/v1\nevents.k8s.io/v1\nnetworking.k8s.io/v1\nv1\n",
            "",
            0
        )
    );
    let mut old = common::cluster_release_at(9.0, "2026-01-01T00:00:00Z", "1.33");
    assert_eq!(
        out(&k(&mut old, "api-versions")).0,
        "admissionregistration.k8s.io/v1\nevents.k8s.io/v1\nnetworking.k8s.io/v1\nnetworking.k8s.io/v1beta1\nv1\n"
    );
    assert_eq!(
        out(&k(&mut c, "api-versions x")),
        (
            "",
            "error: unexpected arguments: [x]\nSee 'kubectl api-versions -h' for help and examples\n",
            1
        )
    );
}

/// Discovery categories stand for their resources (the builder's ReplaceAliases):
/// `all` is Services here, `api-extensions` the admission policies and bindings.
#[test]
fn categories_expand() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "get all -o name")),
        ("service/kubernetes\n", "", 0)
    );
    assert_eq!(
        out(&k(&mut c, "get all,servicecidr -o name")).0,
        "service/kubernetes\nservicecidr.networking.k8s.io/kubernetes\n"
    );
    assert_eq!(
        out(&k(&mut c, "get api-extensions")),
        ("", "No resources found\n", 0)
    );
}

#[test]
fn unknown_commands_and_flags() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "kubectl foo")),
        (
            "",
            "error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n",
            1
        )
    );
    assert_eq!(
        out(&k(&mut c, "kubectl get --bogus")),
        (
            "",
            "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n",
            1
        )
    );
    let o = k(&mut c, "kubectl edit svc kubernetes");
    assert_eq!(o.exit_code, 1);
    assert!(o
        .stderr
        .starts_with("error: \"kubectl edit\" is not available in this simulator"));
}

#[test]
fn global_flags_may_come_first() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "kubectl -n kube-system get svc -o name")),
        ("service/kube-dns\n", "", 0)
    );
    assert_eq!(
        out(&k(
            &mut c,
            "kubectl --namespace=kube-system get svc -o name"
        )),
        ("service/kube-dns\n", "", 0)
    );
}

#[test]
fn lines_are_split_with_shell_quoting() {
    let mut c = cluster();
    assert_eq!(
        out(&k(
            &mut c,
            r#"get svc kubernetes -o "jsonpath={.metadata.labels.component}""#
        )),
        ("apiserver", "", 0)
    );
    let o = k(&mut c, "get svc 'kubernetes");
    assert_eq!(o.exit_code, 1);
    assert!(o.stderr.starts_with("error: "), "{}", o.stderr);
}

#[test]
fn wait_for_delete_and_conditions() {
    let mut c = cluster();
    assert_eq!(
        out(&k(
            &mut c,
            "wait --for=condition=Ready servicecidr/kubernetes"
        )),
        (
            "servicecidr.networking.k8s.io/kubernetes condition met\n",
            "",
            0
        )
    );
    assert_eq!(
        out(&k(
            &mut c,
            "wait --for=delete servicecidr/nope --timeout=5s"
        )),
        ("", "", 0)
    );
    let before = c.now_ms();
    assert_eq!(
        out(&k(
            &mut c,
            "wait --for=delete servicecidr/kubernetes --timeout=5s"
        )),
        (
            "",
            "error: timed out waiting for the condition on servicecidrs/kubernetes\n",
            1
        )
    );
    assert_eq!(c.now_ms() - before, 5_000);
    assert_eq!(
        out(&k(&mut c, "wait --for=delete svc/kubernetes --timeout=0")),
        ("", "error: condition not met for services/kubernetes\n", 1)
    );
    assert_eq!(
        out(&k(&mut c, "wait svc/kubernetes")),
        ("", "error: unrecognized condition: \"\"\n", 1)
    );
}

#[test]
fn run_drives_kubectl_and_settles_between_commands() {
    let mut c = cluster();
    for i in 0..12 {
        k(&mut c, &format!("create service clusterip s{i} --tcp 80"));
    }
    let script = "cat <<EOF | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: extra\nspec:\n  cidrs:\n  - 10.96.1.0/24\nEOF\nkubectl create service clusterip holder --tcp 80 -o jsonpath='{.spec.clusterIP}'; echo\nkubectl delete servicecidr extra --wait=false\nkubectl delete svc holder\nkubectl get servicecidr extra\n";
    let o = c.run(script);
    let lines: Vec<&str> = o.output.lines().collect();
    assert_eq!(lines[0], "servicecidr.networking.k8s.io/extra created");
    assert!(lines[1].starts_with("10.96.1."), "{}", o.output);
    assert_eq!(lines[2], "servicecidr.networking.k8s.io \"extra\" deleted");
    assert_eq!(
        lines[3],
        "service \"holder\" deleted from default namespace"
    );
    // The pause before the last command let the 10 s deletion grace pass.
    assert_eq!(
        lines[4],
        "Error from server (NotFound): servicecidrs.networking.k8s.io \"extra\" not found"
    );
    assert_eq!(o.exit_code, 1);
}

#[test]
fn run_sleep_moves_the_cluster_clock() {
    let mut c = cluster();
    let before = c.now_ms();
    let o = c.run("sleep 30\n");
    assert_eq!(o.exit_code, 0);
    assert!(c.now_ms() - before >= 30_000);
}
