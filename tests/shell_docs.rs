//! The shell blocks of the "Extend Service IP Ranges" page (en and ja), run against
//! a recording fake of kubectl: right argv, right stdin, right order, and the
//! terminal transcript the page shows.

use servicecidr_sim::kubectl::shell::{run_script, ShellHost, ShellOptions};
use servicecidr_sim::CommandOutput;

type Responder = Box<dyn FnMut(usize, &[String], &str) -> CommandOutput>;

/// Records every call; answers kubectl with `respond(call_index, argv, stdin)`.
struct Fake {
    calls: Vec<(Vec<String>, String)>,
    log: Vec<String>,
    respond: Responder,
}

impl Fake {
    fn new(respond: impl FnMut(usize, &[String], &str) -> CommandOutput + 'static) -> Fake {
        Fake {
            calls: Vec::new(),
            log: Vec::new(),
            respond: Box::new(respond),
        }
    }
    fn silent() -> Fake {
        Fake::new(|_, _, _| ok(""))
    }
    fn argv(&self) -> Vec<String> {
        self.calls.iter().map(|(a, _)| a.join(" ")).collect()
    }
}

impl ShellHost for Fake {
    fn kubectl(&mut self, args: &[String], stdin: &str) -> CommandOutput {
        let n = self.calls.len();
        self.calls.push((args.to_vec(), stdin.to_string()));
        self.log.push(format!("kubectl {}", args.join(" ")));
        (self.respond)(n, args, stdin)
    }
    fn between_commands(&mut self) {
        self.log.push("settle".into());
    }
    fn sleep(&mut self, seconds: f64) {
        self.log.push(format!("sleep {seconds}"));
    }
}

fn ok(stdout: &str) -> CommandOutput {
    CommandOutput {
        stdout: stdout.into(),
        stderr: String::new(),
        exit_code: 0,
        output: stdout.into(),
    }
}

fn fail(stderr: &str) -> CommandOutput {
    CommandOutput {
        stdout: String::new(),
        stderr: stderr.into(),
        exit_code: 1,
        output: stderr.into(),
    }
}

fn run(fake: &mut Fake, script: &str) -> CommandOutput {
    run_script(fake, script, &ShellOptions::default())
}

fn service_json(name: &str, ip: &str) -> String {
    format!(
        "{{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Service\",\n    \"metadata\": {{\n        \"name\": \"{name}\",\n        \"namespace\": \"default\"\n    }},\n    \"spec\": {{\n        \"clusterIP\": \"{ip}\",\n        \"clusterIPs\": [\n            \"{ip}\"\n        ],\n        \"type\": \"ClusterIP\"\n    }}\n}}\n"
    )
}

const RANGE_FULL: &str = "error: failed to create ClusterIP service: Internal error occurred: failed to allocate a serviceIP: range is full\n";

const LOOP_1_13: &str = r#"for i in $(seq 1 13); do kubectl create service clusterip "test-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done"#;
const LOOP_13_16: &str = r#"for i in $(seq 13 16); do kubectl create service clusterip "test-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done"#;
const DELETE_LOOP: &str = r#"for i in $(seq 13 16); do kubectl delete service "test-$i" ; done"#;

const APPLY_EN: &str = "cat <<EOF | kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: newcidr1
spec:
  cidrs:
  - 10.96.0.0/24
EOF
";

const APPLY_JA: &str = "cat <EOF | kubectl apply -f -
apiVersion: networking.k8s.io/v1beta1
kind: ServiceCIDR
metadata:
  name: newcidr1
spec:
  cidrs:
  - 10.96.0.0/24
EOF
";

const MANIFEST_EN: &str = "apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: newcidr1
spec:
  cidrs:
  - 10.96.0.0/24
";

const DOCS_IPS: [&str; 12] = [
    "10.96.0.11",
    "10.96.0.5",
    "10.96.0.12",
    "10.96.0.13",
    "10.96.0.14",
    "10.96.0.2",
    "10.96.0.3",
    "10.96.0.4",
    "10.96.0.6",
    "10.96.0.7",
    "10.96.0.8",
    "10.96.0.9",
];

fn create_argv(i: u32) -> String {
    format!("create service clusterip test-{i} --tcp 80 -o json")
}

#[test]
fn simple_get_blocks_pass_argv_and_print_kubectl_output() {
    for (block, argv, table) in [
        (
            "kubectl get servicecidr\n",
            "get servicecidr",
            "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n",
        ),
        (
            "kubectl get service kubernetes\n",
            "get service kubernetes",
            "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   17d\n",
        ),
        (
            "kubectl get ipaddress 10.96.0.1\n",
            "get ipaddress 10.96.0.1",
            "NAME        PARENTREF\n10.96.0.1   services/default/kubernetes\n",
        ),
    ] {
        let t = table.to_string();
        let mut fake = Fake::new(move |_, _, _| ok(&t));
        let out = run(&mut fake, block);
        assert_eq!(fake.argv(), vec![argv.to_string()]);
        assert_eq!(fake.calls[0].1, "", "no stdin for {argv}");
        assert_eq!(out.output, table);
        assert_eq!(out.stdout, table);
        assert_eq!(out.exit_code, 0);
    }
}

#[test]
fn create_loop_prints_twelve_addresses_then_the_range_full_error() {
    let mut fake = Fake::new(|n, args, _| match DOCS_IPS.get(n) {
        Some(ip) => ok(&service_json(&args[3], ip)),
        None => fail(RANGE_FULL),
    });
    let out = run(&mut fake, LOOP_1_13);
    let expected_argv: Vec<String> = (1..=13).map(create_argv).collect();
    assert_eq!(fake.argv(), expected_argv);
    assert!(fake.calls.iter().all(|(_, stdin)| stdin.is_empty()));
    let mut expected = DOCS_IPS.join("\n");
    expected.push('\n');
    expected.push_str(RANGE_FULL);
    assert_eq!(out.output, expected);
    assert_eq!(out.stderr, RANGE_FULL);
    // The pipeline's status is jq's: empty input is not an error.
    assert_eq!(out.exit_code, 0);
    // No settling inside one typed command.
    assert!(!fake.log.contains(&"settle".to_string()));
}

#[test]
fn apply_heredoc_piped_through_cat_reaches_kubectl_stdin() {
    let mut fake = Fake::new(|_, _, _| ok("servicecidr.networking.k8s.io/newcidr1 created\n"));
    let out = run(&mut fake, APPLY_EN);
    assert_eq!(fake.argv(), vec!["apply -f -".to_string()]);
    assert_eq!(fake.calls[0].1, MANIFEST_EN);
    assert_eq!(
        out.output,
        "servicecidr.networking.k8s.io/newcidr1 created\n"
    );
    assert_eq!(out.exit_code, 0);
}

#[test]
fn apply_heredoc_fed_to_kubectl_directly() {
    let mut fake = Fake::silent();
    let script = "NAME=web\nkubectl apply -f - <<END\napiVersion: v1\nkind: Service\nmetadata:\n  name: $NAME\nEND\n";
    let out = run(&mut fake, script);
    assert_eq!(fake.calls[0].0, vec!["apply", "-f", "-"]);
    assert_eq!(
        fake.calls[0].1,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"
    );
    assert_eq!(out.exit_code, 0);
}

#[test]
fn ja_page_typo_behaves_like_bash_with_no_file_named_eof() {
    // The ja page says `cat <EOF` (input from a file named EOF) where `<<EOF` was
    // meant. bash fails the redirection, kubectl reads an empty stdin, and the
    // manifest lines run as commands.
    let mut fake = Fake::new(|_, _, stdin| {
        if stdin.is_empty() {
            fail("error: no objects passed to apply\n")
        } else {
            ok("created\n")
        }
    });
    let out = run(&mut fake, APPLY_JA);
    assert_eq!(fake.argv(), vec!["apply -f -".to_string()]);
    assert_eq!(fake.calls[0].1, "");
    assert_eq!(
        out.output,
        "bash: line 1: EOF: No such file or directory\n\
         error: no objects passed to apply\n\
         bash: line 2: apiVersion:: command not found\n\
         bash: line 3: kind:: command not found\n\
         bash: line 4: metadata:: command not found\n\
         bash: line 5: name:: command not found\n\
         bash: line 6: spec:: command not found\n\
         bash: line 7: cidrs:: command not found\n\
         bash: line 8: -: command not found\n\
         bash: line 9: EOF: command not found\n"
    );
    assert_eq!(out.exit_code, 127);
}

#[test]
fn second_create_loop_uses_the_new_range() {
    let ips = ["10.96.0.48", "10.96.0.200", "10.96.0.121", "10.96.0.144"];
    let mut fake = Fake::new(move |n, args, _| ok(&service_json(&args[3], ips[n])));
    let out = run(&mut fake, LOOP_13_16);
    let expected_argv: Vec<String> = (13..=16).map(create_argv).collect();
    assert_eq!(fake.argv(), expected_argv);
    assert_eq!(
        out.output,
        "10.96.0.48\n10.96.0.200\n10.96.0.121\n10.96.0.144\n"
    );
}

#[test]
fn delete_blocks() {
    let mut fake = Fake::new(|_, args, _| ok(&format!("{} \"{}\" deleted\n", args[1], args[2])));
    let out = run(
        &mut fake,
        "kubectl delete servicecidr newcidr1 --wait=false\n",
    );
    assert_eq!(
        fake.argv(),
        vec!["delete servicecidr newcidr1 --wait=false"]
    );
    assert_eq!(out.output, "servicecidr \"newcidr1\" deleted\n");

    let mut fake = Fake::new(|_, args, _| ok(&format!("service \"{}\" deleted\n", args[2])));
    let out = run(&mut fake, DELETE_LOOP);
    assert_eq!(
        fake.argv(),
        vec![
            "delete service test-13",
            "delete service test-14",
            "delete service test-15",
            "delete service test-16"
        ]
    );
    assert_eq!(
        out.output,
        "service \"test-13\" deleted\nservice \"test-14\" deleted\nservice \"test-15\" deleted\nservice \"test-16\" deleted\n"
    );
}

#[test]
fn not_found_error_and_exit_status_pass_through() {
    let msg =
        "Error from server (NotFound): servicecidrs.networking.k8s.io \"newcidr1\" not found\n";
    let mut fake = Fake::new(move |_, _, _| fail(msg));
    let out = run(&mut fake, "kubectl get servicecidr newcidr1\n");
    assert_eq!(out.output, msg);
    assert_eq!(out.stderr, msg);
    assert_eq!(out.stdout, "");
    assert_eq!(out.exit_code, 1);
}

#[test]
fn whole_en_page_runs_in_order_and_settles_between_commands() {
    let page = format!(
        "kubectl get servicecidr\n\nkubectl get service kubernetes\nkubectl get ipaddress 10.96.0.1\n{LOOP_1_13}\n{APPLY_EN}{LOOP_13_16}\nkubectl delete servicecidr newcidr1 --wait=false\nkubectl get servicecidr newcidr1 -o yaml\n{DELETE_LOOP}\nkubectl get servicecidr newcidr1\n"
    );
    let mut fake = Fake::silent();
    let out = run(&mut fake, &page);
    assert_eq!(out.exit_code, 0);
    let kubectl_calls = fake.log.iter().filter(|l| l.starts_with("kubectl")).count();
    assert_eq!(kubectl_calls, 3 + 13 + 1 + 4 + 2 + 4 + 1);
    // Ten typed commands: nine pauses between them, none before the first or after the last.
    assert_eq!(fake.log.iter().filter(|l| *l == "settle").count(), 9);
    assert!(fake.log.first().is_some_and(|l| l.starts_with("kubectl")));
    assert!(fake.log.last().is_some_and(|l| l.starts_with("kubectl")));
    let apply = fake
        .calls
        .iter()
        .find(|(a, _)| a[0] == "apply")
        .map(|(_, s)| s.clone());
    assert_eq!(apply.as_deref(), Some(MANIFEST_EN));
    let apply_pos = fake.log.iter().position(|l| l == "kubectl apply -f -");
    let delete_pos = fake
        .log
        .iter()
        .position(|l| l.starts_with("kubectl delete servicecidr"));
    assert!(apply_pos.is_some() && apply_pos < delete_pos);
}

#[test]
fn settling_can_be_turned_off() {
    let mut fake = Fake::silent();
    let opts = ShellOptions {
        settle_between_commands: false,
    };
    run_script(&mut fake, "kubectl get a\nkubectl get b\n", &opts);
    assert!(!fake.log.contains(&"settle".to_string()));
    let mut fake = Fake::silent();
    run(&mut fake, "kubectl get a; kubectl get b\nkubectl get c\n");
    assert_eq!(
        fake.log,
        vec!["kubectl get a", "kubectl get b", "settle", "kubectl get c"]
    );
}

#[test]
fn sleep_moves_the_host_clock() {
    let mut fake = Fake::silent();
    let out = run(&mut fake, "sleep 2; sleep 1.5m 1s\nsleep 0.5\n");
    assert_eq!(out.exit_code, 0);
    assert_eq!(fake.log, vec!["sleep 2", "sleep 91", "settle", "sleep 0.5"]);
}

#[test]
fn kubectl_stderr_bypasses_the_pipe_and_keeps_its_place() {
    // kubectl wrote a warning, two lines of output, then an error.
    let mut fake = Fake::new(|_, _, _| CommandOutput {
        stdout: "a\nb\n".into(),
        stderr: "Warning: w\nerror: e\n".into(),
        exit_code: 1,
        output: "Warning: w\na\nb\nerror: e\n".into(),
    });
    let out = run(&mut fake, "kubectl get x\n");
    assert_eq!(out.output, "Warning: w\na\nb\nerror: e\n");
    let out = run(&mut fake, "kubectl get x | grep b\n");
    assert_eq!(out.output, "Warning: w\nerror: e\nb\n");
    assert_eq!(out.exit_code, 0);
    let out = run(&mut fake, "kubectl get x 2>&1 | grep -c .\n");
    assert_eq!(out.output, "4\n");
    let out = run(&mut fake, "kubectl get x 2>/dev/null\n");
    assert_eq!(out.output, "a\nb\n");
    let out = run(&mut fake, "kubectl get x >/dev/null\n");
    assert_eq!(out.output, "Warning: w\nerror: e\n");
    let out = run(&mut fake, "X=$(kubectl get x); echo \"[$X]\"\n");
    assert_eq!(out.output, "Warning: w\nerror: e\n[a\nb]\n");
}

#[test]
fn kubectl_output_without_interleaving_falls_back_to_stdout_then_stderr() {
    let mut fake = Fake::new(|_, _, _| CommandOutput {
        stdout: "out\n".into(),
        stderr: "err\n".into(),
        exit_code: 0,
        output: String::new(),
    });
    let out = run(&mut fake, "kubectl get x\n");
    assert_eq!(out.output, "out\nerr\n");
}

#[test]
fn kubectl_argv_is_expanded_and_quoted_like_bash() {
    let mut fake = Fake::silent();
    run(
        &mut fake,
        "N=web; kubectl get svc \"$N\" -o 'jsonpath={.spec.clusterIP}' -l app=$N,tier\\ x {a,b} ''\n",
    );
    assert_eq!(
        fake.calls[0].0,
        vec![
            "get",
            "svc",
            "web",
            "-o",
            "jsonpath={.spec.clusterIP}",
            "-l",
            "app=web,tier x",
            "a",
            "b",
            ""
        ]
    );
    // A jsonpath with brackets and no comma is left alone by brace expansion.
    let mut fake = Fake::silent();
    run(
        &mut fake,
        "kubectl get svc -o jsonpath={.items[*].metadata.name}\n",
    );
    assert_eq!(fake.calls[0].0[3], "jsonpath={.items[*].metadata.name}");
}

#[test]
fn kubectl_exit_status_drives_and_or_lists() {
    let mut fake = Fake::new(|n, _, _| {
        if n == 0 {
            fail("error: x\n")
        } else {
            ok("ok\n")
        }
    });
    let out = run(&mut fake, "kubectl get a && echo yes || echo no; echo $?\n");
    assert_eq!(out.output, "error: x\nno\n0\n");
    assert_eq!(fake.calls.len(), 1);
}

#[test]
fn kubectl_stdin_comes_from_pipes_here_strings_and_is_consumed_by_dash_f() {
    let mut fake = Fake::silent();
    run(
        &mut fake,
        "echo data | kubectl apply -f -\nkubectl apply --filename=- <<< 'x: 1'\nkubectl get pods </dev/null\n",
    );
    assert_eq!(fake.calls[0].1, "data\n");
    assert_eq!(fake.calls[1].1, "x: 1\n");
    assert_eq!(fake.calls[2].1, "");
}
