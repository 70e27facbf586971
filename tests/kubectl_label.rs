#![cfg(not(target_arch = "wasm32"))]
//! `kubectl label` and `kubectl annotate`: their argument grammar, the
//! `--overwrite` checks, the merge patch they send (fieldManager
//! `kubectl-label` / `kubectl-annotate`) and their lines.
//!
//! Expected lines and client-side errors were recorded from kubectl 1.33.1
//! offline, on the same Service as a file:
//! `KUBECONFIG=/dev/null kubectl.1.33 label --local -f svc.json app=other` etc.

//!
//! The server-side cases were checked by running the real kubectl 1.33.1
//! against this apiserver's `handle()` behind a loopback HTTP bridge (a
//! bounded std::net loop, stopped by PID): the requests it sent (GET, then
//! PATCH with the patch type's Content-Type and `fieldManager=kubectl-…`,
//! `dryRun=All` first when asked) and its lines are the ones asserted here.

mod common;

use common::{k, kin, ok, out};

const WEB: &str = "apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
  annotations:
    a: \"1\"
spec:
  selector:
    app: web
  ports:
  - port: 80
";

fn cluster() -> servicecidr_sim::Cluster {
    let mut c = common::cluster(9.0);
    ok(&kin(&mut c, "apply -f -", WEB), "service/web created\n");
    c
}

fn labels(c: &mut servicecidr_sim::Cluster) -> String {
    k(c, "get svc web -o jsonpath={.metadata.labels}").stdout
}

#[test]
fn label_lines() {
    let mut c = cluster();
    ok(&k(&mut c, "label svc web x=y"), "service/web labeled\n");
    assert_eq!(labels(&mut c), "{\"app\":\"web\",\"x\":\"y\"}");
    ok(
        &k(&mut c, "label svc web app=web"),
        "service/web not labeled\n",
    );
    ok(&k(&mut c, "label svc/web x-"), "service/web unlabeled\n");
    ok(
        &k(&mut c, "label svc web nope-"),
        "service/web not labeled\n",
    );
    ok(
        &k(&mut c, "label svc web app=other --overwrite"),
        "service/web labeled\n",
    );
    assert_eq!(labels(&mut c), "{\"app\":\"other\"}");
    ok(
        &k(&mut c, "label svc web x=y --dry-run=client"),
        "service/web labeled (dry run)\n",
    );
    ok(
        &k(&mut c, "label svc web x=y --dry-run=server"),
        "service/web labeled (server dry run)\n",
    );
    assert_eq!(labels(&mut c), "{\"app\":\"other\"}");
    ok(&k(&mut c, "label svc web x=y -o name"), "service/web\n");
}

#[test]
fn label_errors() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "label svc web app=other")),
        (
            "",
            "error: 'app' already has a value (web), and --overwrite is false\n",
            1
        )
    );
    assert_eq!(
        out(&k(&mut c, "label svc web 'k=bad value!'")).1,
        "error: invalid label value: \"k=bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n"
    );
    assert_eq!(
        out(&k(&mut c, "label svc web x=y x-")).1,
        "error: can not both modify and remove a label in the same command\n"
    );
    assert_eq!(
        out(&k(&mut c, "label svc web")).1,
        "error: at least one label update is required\n"
    );
    assert_eq!(
        out(&k(&mut c, "label svc web x=y --local")).1,
        "error: can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set\n"
    );
    assert_eq!(
        out(&k(&mut c, "label svc nope x=y")),
        (
            "",
            "Error from server (NotFound): services \"nope\" not found\n",
            1
        )
    );
}

#[test]
fn label_by_selector_and_all() {
    let mut c = cluster();
    ok(
        &k(&mut c, "label svc -l app=web tier=front"),
        "service/web labeled\n",
    );
    ok(
        &k(&mut c, "label svc --all team=net"),
        "service/kubernetes labeled\nservice/web labeled\n",
    );
    ok(
        &k(
            &mut c,
            "get svc kubernetes -o jsonpath={.metadata.labels.team}",
        ),
        "net",
    );
}

#[test]
fn resource_version_guards_the_patch() {
    let mut c = cluster();
    let o = k(&mut c, "label svc web x=y --resource-version=1");
    assert_eq!(o.exit_code, 1);
    assert!(
        o.stderr.starts_with("Error from server (Conflict): "),
        "{}",
        o.stderr
    );
}

#[test]
fn annotate_lines_and_errors() {
    let mut c = cluster();
    ok(
        &k(&mut c, "annotate svc web x=y"),
        "service/web annotated\n",
    );
    ok(
        &k(&mut c, "annotate svc web a=1"),
        "service/web annotated\n",
    );
    ok(&k(&mut c, "annotate svc web a-"), "service/web annotated\n");
    assert_eq!(
        k(
            &mut c,
            "get svc web -o go-template={{.metadata.annotations.x}}"
        )
        .stdout,
        "y"
    );
    assert_eq!(
        out(&k(&mut c, "annotate svc web x=z")),
        (
            "",
            "error: --overwrite is false but found the following declared annotation(s): 'x' already has a value (y)\n",
            1
        )
    );
    ok(
        &k(&mut c, "annotate svc web x=z --overwrite"),
        "service/web annotated\n",
    );
    assert_eq!(
        out(&k(&mut c, "annotate svc web")).1,
        "error: at least one annotation update is required\n"
    );
}

#[test]
fn list_prints_the_labels() {
    // kubectl 1.33 against this apiserver: `label svc kubernetes --list`.
    let mut c = cluster();
    ok(
        &k(&mut c, "label svc kubernetes --list"),
        "component=apiserver\nprovider=kubernetes\n",
    );
}

#[test]
fn local_files() {
    let mut c = common::cluster(9.0);
    ok(
        &kin(&mut c, "label --local -f - x=y", WEB),
        "service/web labeled\n",
    );
    ok(
        &kin(
            &mut c,
            "annotate --local -f - b=2 -o jsonpath={.metadata.annotations}",
            WEB,
        ),
        "{\"a\":\"1\",\"b\":\"2\"}",
    );
}
