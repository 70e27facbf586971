//! Outside the subset the shell fails loudly: a message naming the construct on
//! stderr, exit status 2, and nothing after it runs.

use servicecidr_sim::kubectl::shell::{run_script, ShellHost, ShellOptions};
use servicecidr_sim::CommandOutput;

#[derive(Default)]
struct Recorder {
    kubectl: Vec<Vec<String>>,
}

impl ShellHost for Recorder {
    fn kubectl(&mut self, args: &[String], _stdin: &str) -> CommandOutput {
        self.kubectl.push(args.to_vec());
        CommandOutput::default()
    }
    fn between_commands(&mut self) {}
    fn sleep(&mut self, _seconds: f64) {}
}

/// `before` runs, the unsupported line fails with `message_start`, `after` never runs.
fn refused(line: &str, message_start: &str) {
    let script = format!("echo before\n{line}\necho after\nkubectl get x\n");
    let mut host = Recorder::default();
    let out = run_script(&mut host, &script, &ShellOptions::default());
    assert_eq!(out.exit_code, 2, "exit status for {line:?}: {}", out.output);
    assert!(
        out.stdout.starts_with("before\n"),
        "{line:?}: {}",
        out.output
    );
    assert!(
        !out.output.contains("after"),
        "{line:?} kept going: {}",
        out.output
    );
    assert!(host.kubectl.is_empty(), "{line:?} kept going");
    let msg = out.stderr.lines().last().unwrap_or("");
    assert!(
        msg.starts_with(message_start),
        "{line:?}: expected {message_start:?}, got {msg:?}"
    );
}

const SYNTAX: &str = "servicecidr-sim shell: unsupported syntax: ";

#[test]
fn background_jobs() {
    refused("sleep 1 &", &format!("{SYNTAX}background job (&)"));
}

#[test]
fn function_definitions() {
    refused("f() { echo; }", &format!("{SYNTAX}function definition"));
    refused("function f { echo; }", &format!("{SYNTAX}`function'"));
}

#[test]
fn case_select_double_brackets_and_arithmetic_commands() {
    refused("case x in x) echo;; esac", &format!("{SYNTAX}`case'"));
    refused("select x in a; do :; done", &format!("{SYNTAX}`select'"));
    refused("[[ -n x ]]", &format!("{SYNTAX}`[['"));
    refused("(( x = 1 ))", &format!("{SYNTAX}arithmetic command"));
    refused(
        "for ((i = 0; i < 3; i++)); do :; done",
        &format!("{SYNTAX}arithmetic for loop"),
    );
}

#[test]
fn redirection_to_files_and_process_substitution() {
    refused(
        "echo hi > out.txt",
        &format!("{SYNTAX}redirection to the file \"out.txt\""),
    );
    refused(
        "echo hi >> out.txt",
        &format!("{SYNTAX}redirection to the file"),
    );
    refused(
        "echo hi 3>&1",
        &format!("{SYNTAX}redirection of file descriptor 3"),
    );
    refused("cat <(echo x)", &format!("{SYNTAX}process substitution"));
    refused("echo x >&-", &format!("{SYNTAX}closing a file descriptor"));
}

#[test]
fn special_parameters_and_dynamic_variables() {
    refused("echo $$", &format!("{SYNTAX}special parameter $$"));
    refused("echo $!", &format!("{SYNTAX}special parameter $!"));
    refused("echo $RANDOM", &format!("{SYNTAX}the variable $RANDOM"));
    refused("echo $HOME", &format!("{SYNTAX}the variable $HOME"));
    refused("echo ~/x", &format!("{SYNTAX}tilde expansion of ~/x"));
}

#[test]
fn parameter_expansion_operators() {
    refused(
        "X=ab; echo ${X%b}",
        &format!("{SYNTAX}parameter expansion ${{X%b}}"),
    );
    refused(
        "X=ab; echo ${X/a/b}",
        &format!("{SYNTAX}parameter expansion ${{X/a/b}}"),
    );
    refused(
        "X=ab; echo ${X:0:1}",
        &format!("{SYNTAX}parameter expansion ${{X:0:1}}"),
    );
    refused(
        "echo ${!X}",
        &format!("{SYNTAX}parameter expansion ${{!X}}"),
    );
    refused("a[0]=1", &format!("{SYNTAX}array assignment"));
}

#[test]
fn environment_prefixes_and_ifs() {
    refused(
        "KUBECONFIG=/x kubectl get pods",
        &format!("{SYNTAX}variable assignment before a command (KUBECONFIG=... kubectl)"),
    );
    refused("IFS=:", &format!("{SYNTAX}changing IFS"));
}

#[test]
fn commands_outside_the_subset() {
    for cmd in [
        "awk '{print $1}'",
        "sed s/a/b/",
        "eval x",
        "cd /tmp",
        "xargs echo",
        "tr a b",
    ] {
        let name = cmd.split(' ').next().unwrap_or("");
        refused(
            cmd,
            &format!("servicecidr-sim shell: unsupported command: {name} (line 2; supported: kubectl, jq"),
        );
    }
}

#[test]
fn options_outside_the_subset() {
    refused(
        "echo x | grep -P x",
        "servicecidr-sim shell: grep: unsupported option -P",
    );
    refused(
        "echo x | grep -A1 x",
        "servicecidr-sim shell: grep: unsupported option -A",
    );
    refused(
        "read -p prompt x",
        "servicecidr-sim shell: read: unsupported option -p",
    );
    refused(
        "cat -n",
        "servicecidr-sim shell: cat: unsupported option -n",
    );
    refused(
        "sort -k2",
        "servicecidr-sim shell: sort: unsupported option -k2",
    );
    refused(
        "set -x",
        "servicecidr-sim shell: set: unsupported option -x",
    );
    refused(
        "set -o xtrace",
        "servicecidr-sim shell: set: unsupported option -o xtrace",
    );
    refused(
        "seq 1e3",
        "servicecidr-sim shell: seq: unsupported number \"1e3\"",
    );
    refused(
        "printf '%q' x",
        "servicecidr-sim shell: printf: unsupported format %q",
    );
    refused(
        "[ -f x ]",
        "servicecidr-sim shell: [: unsupported test -f x",
    );
    refused(
        "echo ab | grep '\\(a\\)\\1'",
        "servicecidr-sim shell: grep: unsupported regular expression feature back-reference",
    );
}

#[test]
fn runaway_scripts_stop_at_limits() {
    refused(
        "while true; do :; done",
        "servicecidr-sim shell: step limit exceeded",
    );
    refused(
        "seq 1 100000000",
        "servicecidr-sim shell: seq: more than 1000000 numbers requested",
    );
    refused(
        "echo {1..2000000}",
        "servicecidr-sim shell: brace expansion of {1..2000000} makes more than",
    );
}

#[test]
fn unsupported_messages_go_to_the_terminal_even_when_stderr_is_redirected() {
    let mut host = Recorder::default();
    let out = run_script(&mut host, "awk 1 2>/dev/null\n", &ShellOptions::default());
    assert_eq!(out.exit_code, 2);
    assert!(out
        .stderr
        .starts_with("servicecidr-sim shell: unsupported command: awk"));
}

#[test]
fn jq_compile_errors_are_jq_exit_status_not_shell_failures() {
    let mut host = Recorder::default();
    let out = run_script(
        &mut host,
        "echo '{}' | jq 'test(\"a\")'; echo status $?\n",
        &ShellOptions::default(),
    );
    assert_eq!(out.exit_code, 0);
    assert!(out.stdout.ends_with("status 3\n"), "{}", out.output);
    assert!(out.stderr.contains("does not support test/1"));
}
