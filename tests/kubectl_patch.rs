#![cfg(not(target_arch = "wasm32"))]
//! `kubectl patch`: the requests kubectl sends (GET, then PATCH with the patch
//! type's Content-Type and `fieldManager=kubectl-patch`) and its lines.
//!
//! Expected texts were recorded from kubectl 1.33.1: the client-side ones
//! (flag checks, `patched`, `patched (no change)`) offline with
//! `KUBECONFIG=/dev/null kubectl.1.33 patch --local -f svc.json …`; the
//! server's errors are the apiserver's Status messages as kubectl prints them
//! (`Error from server (NotFound): …`, `The Service "web" is invalid: …`).

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
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
";

fn cluster() -> servicecidr_sim::Cluster {
    let mut c = common::cluster(9.0);
    ok(&kin(&mut c, "apply -f -", WEB), "service/web created\n");
    c
}

#[test]
fn strategic_merge_patch_by_default() {
    let mut c = cluster();
    ok(
        &k(
            &mut c,
            r#"patch svc web -p '{"spec":{"ports":[{"name":"http","port":80,"targetPort":9090}]}}'"#,
        ),
        "service/web patched\n",
    );
    ok(
        &k(
            &mut c,
            "get svc web -o jsonpath={.spec.ports[0].targetPort}",
        ),
        "9090",
    );
    // The same patch again changes nothing.
    ok(
        &k(
            &mut c,
            r#"patch svc web -p '{"spec":{"ports":[{"name":"http","port":80,"targetPort":9090}]}}'"#,
        ),
        "service/web patched (no change)\n",
    );
}

#[test]
fn merge_and_json_patches() {
    let mut c = cluster();
    ok(
        &k(
            &mut c,
            r#"patch service/web --type merge -p '{"metadata":{"labels":{"tier":"front"}}}'"#,
        ),
        "service/web patched\n",
    );
    ok(
        &k(
            &mut c,
            r#"patch svc web --type=json -p '[{"op":"replace","path":"/spec/sessionAffinity","value":"ClientIP"}]'"#,
        ),
        "service/web patched\n",
    );
    ok(
        &k(
            &mut c,
            "get svc web -o go-template={{.metadata.labels.tier}}/{{.spec.sessionAffinity}}",
        ),
        "front/ClientIP",
    );
    // YAML patches are converted to JSON first.
    ok(
        &k(
            &mut c,
            "patch svc web --type merge -p 'metadata: {labels: {tier: back}}'",
        ),
        "service/web patched\n",
    );
}

#[test]
fn dry_runs_and_output() {
    let mut c = cluster();
    ok(
        &k(
            &mut c,
            r#"patch svc web --type merge -p '{"metadata":{"labels":{"x":"y"}}}' --dry-run=server"#,
        ),
        "service/web patched\n",
    );
    ok(
        &k(
            &mut c,
            r#"patch svc web --type merge -p '{"metadata":{"labels":{"x":"y"}}}' --dry-run=client"#,
        ),
        "service/web patched\n",
    );
    ok(
        &k(&mut c, "get svc web -o jsonpath={.metadata.labels.x}"),
        "",
    );
    ok(
        &k(
            &mut c,
            r#"patch svc web --type merge -p '{"metadata":{"labels":{"x":"y"}}}' -o name"#,
        ),
        "service/web\n",
    );
    ok(
        &k(
            &mut c,
            r#"patch svc web --type merge -p '{"metadata":{"labels":{"x":"z"}}}' -o jsonpath={.metadata.labels.x}"#,
        ),
        "z",
    );
}

#[test]
fn client_side_errors() {
    let mut c = cluster();
    let e = |c: &mut servicecidr_sim::Cluster, line: &str| out(&k(c, line)).1.to_string();
    assert_eq!(
        e(&mut c, "patch svc web --type=foo -p {}"),
        "error: --type must be one of [json merge strategic], not \"foo\"\n"
    );
    assert_eq!(
        e(&mut c, "patch svc web"),
        "error: must specify --patch or --patch-file containing the contents of the patch\n"
    );
    assert_eq!(
        e(&mut c, "patch svc web -p {} --patch-file=x"),
        "error: cannot specify --patch and --patch-file together\n"
    );
    assert_eq!(
        e(&mut c, "patch svc web -p {} --subresource=foo"),
        "error: invalid subresource value: \"foo\". Must be one of [status scale]\n"
    );
    assert_eq!(
        e(&mut c, "patch svc web --local -p {}"),
        "error: cannot specify --local and server resources\n"
    );
}

#[test]
fn server_errors() {
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "patch svc nope -p {}")),
        (
            "",
            "Error from server (NotFound): services \"nope\" not found\n",
            1
        )
    );
    let o = k(
        &mut c,
        r#"patch svc web --type merge -p '{"spec":{"type":"Bogus"}}'"#,
    );
    assert_eq!(o.exit_code, 1);
    assert!(
        o.stderr.starts_with("The Service \"web\" is invalid: "),
        "{}",
        o.stderr
    );
    let o = k(
        &mut c,
        r#"patch svc web --type json -p '[{"op":"remove","path":"/nope"}]'"#,
    );
    assert_eq!(o.exit_code, 1, "{o:?}");
}

#[test]
fn bodies_the_server_refuses() {
    // kubectl 1.33 against this apiserver: `{…}` is sent as typed, the
    // server answers; other text is YAML first.
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, "patch svc kubernetes -p '{bad'")),
        (
            "",
            "Error from server (BadRequest): invalid JSON patch\n",
            1
        )
    );
    assert_eq!(
        out(&k(&mut c, "patch svc kubernetes --type merge -p '[1]'")),
        (
            "",
            "The request is invalid: patch: Invalid value: \"[1]\": couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }\n",
            1
        )
    );
    assert_eq!(
        out(&k(&mut c, "patch svc kubernetes --type json -p '{}'")),
        (
            "",
            "Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch\n",
            1
        )
    );
    // go-yaml's text would be `yaml: line 1: did not find expected ',' or ']'`.
    let o = k(&mut c, "patch svc kubernetes -p '[1'");
    assert_eq!(o.exit_code, 1);
    assert!(
        o.stderr.starts_with("error: unable to parse \"[1\": "),
        "{}",
        o.stderr
    );
}

#[test]
fn status_subresource_is_read_and_patched_as_such() {
    // kubectl 1.33 against this apiserver (which serves no GET on /status)
    // printed exactly this, after GET /api/v1/namespaces/default/services/web/status.
    let mut c = cluster();
    assert_eq!(
        out(&k(&mut c, r#"patch svc web --type merge -p '{"metadata":{"labels":{"x":"z"}}}' --subresource=status"#)),
        (
            "",
            "Error from server (NotFound): the server could not find the requested resource (get services web)\n",
            1
        )
    );
}

#[test]
fn local_patches_read_stdin() {
    let mut c = common::cluster(9.0);
    ok(
        &kin(
            &mut c,
            r#"patch --local -f - -p '{"metadata":{"labels":{"x":"y"}}}' -o jsonpath={.metadata.labels}"#,
            WEB,
        ),
        "{\"app\":\"web\",\"x\":\"y\"}",
    );
    ok(
        &kin(&mut c, "patch --local -f - -p {}", WEB),
        "service/web patched (no change)\n",
    );
}
