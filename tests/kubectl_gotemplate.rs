#![cfg(not(target_arch = "wasm32"))]
//! `-o go-template`: the template engine against the real kubectl, and the
//! printer wired into the commands.
//!
//! tests/fixtures/gotemplate/goldens.json was recorded with kubectl 1.33.1 by
//! tests/fixtures/gotemplate/record.py: each template of cases.txt rendered
//! offline over object.json with
//! `kubectl.1.33 patch --local -f object.json -p '{}' -o go-template=TEMPLATE`.
//! A case's expected stdout, stderr (`error: ` + message) and exit code are
//! compared byte for byte.

mod common;

use common::{k, kin, out};
use proptest::prelude::*;
use serde_json::Value;
use servicecidr_kubectl::cmd::gotemplate::GoTemplate;

struct Case {
    template: String,
    stdout: String,
    stderr: String,
    code: i64,
}

fn goldens() -> Vec<Case> {
    let text = include_str!("fixtures/gotemplate/goldens.json");
    let v: Value = serde_json::from_str(text).expect("goldens.json");
    v.as_array()
        .expect("a list")
        .iter()
        .map(|c| Case {
            template: c["template"].as_str().unwrap_or("").to_string(),
            stdout: c["stdout"].as_str().unwrap_or("").to_string(),
            stderr: c["stderr"].as_str().unwrap_or("").to_string(),
            code: c["code"].as_i64().unwrap_or(-1),
        })
        .collect()
}

fn object() -> Value {
    serde_json::from_str(include_str!("fixtures/gotemplate/object.json")).expect("object.json")
}

/// What kubectl prints for one template over one object: (stdout, stderr, code).
fn render(template: &str, obj: &Value) -> (String, String, i64) {
    match GoTemplate::new(template) {
        Err(e) => (String::new(), format!("error: {e}\n"), 1),
        Ok(t) => match t.print(obj) {
            Ok(s) => (s, String::new(), 0),
            Err(f) => (f.stdout, format!("error: {}\n", f.error), 1),
        },
    }
}

#[test]
fn every_recorded_case_matches_kubectl_1_33() {
    let obj = object();
    let mut failures = Vec::new();
    for c in goldens() {
        let got = render(&c.template, &obj);
        let want = (c.stdout.clone(), c.stderr.clone(), c.code);
        if got != want {
            failures.push(format!(
                "template {:?}\n  want {:?}\n  got  {:?}",
                c.template, want, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the recorded cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn get_prints_objects_and_lists_through_the_template() {
    let mut c = common::cluster(9.0);
    // One object: the template sees it; a list: the List kubectl builds.
    assert_eq!(
        out(&k(
            &mut c,
            "get svc kubernetes -o go-template='{{.metadata.name}}:{{range .spec.ports}}{{.port}}{{end}}'"
        )),
        ("kubernetes:443", "", 0)
    );
    assert_eq!(
        out(&k(
            &mut c,
            r#"get servicecidr -o go-template='{{range .items}}{{.metadata.name}} {{index .spec.cidrs 0}}{{"\n"}}{{end}}'"#
        )),
        ("kubernetes 10.96.0.0/28\n", "", 0)
    );
    // -o template and --template alone mean the same printer.
    assert_eq!(
        out(&k(&mut c, "get svc kubernetes -o template={{.kind}}")),
        ("Service", "", 0)
    );
    assert_eq!(
        out(&k(&mut c, "get svc kubernetes --template={{.kind}}")),
        ("Service", "", 0)
    );
    assert_eq!(
        out(&k(
            &mut c,
            "get svc kubernetes -o go-template --template={{.kind}}"
        )),
        ("Service", "", 0)
    );
}

#[test]
fn template_errors_as_kubectl_prints_them() {
    // Recorded with kubectl.1.33 patch --local -f svc.json -p '{}' -o …
    let mut c = common::cluster(9.0);
    assert_eq!(
        out(&k(&mut c, "get svc kubernetes -o go-template")),
        (
            "",
            "error: template format specified but no template given\n",
            1
        )
    );
    assert_eq!(
        out(&k(&mut c, "get svc kubernetes -o go-template-file=nofile")),
        (
            "",
            "error: error reading --template nofile, open nofile: no such file or directory\n",
            1
        )
    );
    assert_eq!(
        out(&k(&mut c, "get svc kubernetes -o go-template={{foo}}")),
        (
            "",
            "error: error parsing template {{foo}}, template: output:1: function \"foo\" not defined\n",
            1
        )
    );
    let o = k(
        &mut c,
        "get svc kubernetes -o go-template={{.metadata.name.x}}",
    );
    assert_eq!(o.exit_code, 1);
    assert!(o.stdout.starts_with("Error executing template: template: output:1:11: executing \"output\" at <.metadata.name.x>: can't evaluate field x in type interface {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{{.metadata.name.x}}\n\traw data was:\n\t\t{\"apiVersion\":\"v1\",\"kind\":\"Service\""));
    assert_eq!(o.stderr, "error: error executing template \"{{.metadata.name.x}}\": template: output:1:11: executing \"output\" at <.metadata.name.x>: can't evaluate field x in type interface {}\n");
}

/// Template-ish text: actions, keywords, fields, literals and stray bytes.
fn template_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{{- ".to_string()),
        Just(" -}}".to_string()),
        Just("{{/*".to_string()),
        Just("*/}}".to_string()),
        Just("range ".to_string()),
        Just("if ".to_string()),
        Just("with ".to_string()),
        Just("else".to_string()),
        Just("end".to_string()),
        Just("break".to_string()),
        Just(".metadata".to_string()),
        Just(".spec.ports".to_string()),
        Just(".entries".to_string()),
        Just("$x := ".to_string()),
        Just("$i, $v := ".to_string()),
        Just("$x".to_string()),
        Just("$".to_string()),
        Just(" | ".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("index ".to_string()),
        Just("len ".to_string()),
        Just("printf \"%d %s %v %q\" ".to_string()),
        Just("eq ".to_string()),
        Just("lt ".to_string()),
        Just("and ".to_string()),
        Just("1 ".to_string()),
        Just("\"s\" ".to_string()),
        Just(" ".to_string()),
        "[ -~]{0,3}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// No template, however malformed, panics the parser or the executor.
    #[test]
    fn templates_never_panic(t in template_text()) {
        let _ = render(&t, &object());
    }

    /// Arbitrary text is either refused with Go's error prefix or printed.
    #[test]
    fn arbitrary_text_never_panics(t in "\\PC{0,40}") {
        if let Err(e) = GoTemplate::new(&t) {
            prop_assert!(e.starts_with("error parsing template "), "{}", e);
        }
        let _ = render(&t, &object());
    }
}

#[test]
fn lists_as_kubectl_sees_them_from_this_apiserver() {
    // kubectl 1.33.1 against this apiserver's handle() (a loopback bridge),
    // after `kubectl apply` of the same Service on a seed-9 cluster, printed:
    let mut c = common::cluster(9.0);
    let web = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n";
    assert_eq!(kin(&mut c, "apply -f -", web).exit_code, 0);
    assert_eq!(
        out(&k(
            &mut c,
            r#"get svc -o go-template='{{range .items}}{{.metadata.name}}:{{.spec.clusterIP}} {{end}}{{.kind}}{{"\n"}}'"#
        )),
        ("kubernetes:10.96.0.1 web:10.96.0.3 List\n", "", 0)
    );
    assert_eq!(
        out(&k(&mut c, "get svc -o go-template={{.metadata}}")),
        ("map[resourceVersion:]", "", 0)
    );
    assert_eq!(
        out(&k(
            &mut c,
            r#"get servicecidr kubernetes -o go-template='{{.spec}} {{len .metadata.finalizers}}{{"\n"}}'"#
        )),
        ("map[cidrs:[10.96.0.0/28]] 1\n", "", 0)
    );
}
