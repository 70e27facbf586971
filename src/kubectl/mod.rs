//! kubectl: command parsing, printers, manifests and the docs-page shell.
//!
//! `kubectl_line` / `kubectl_args` answer one kubectl invocation against the
//! simulated cluster exactly as kubectl 1.33 prints it; `run_script` runs a
//! docs page's shell block, sending every `kubectl` to `kubectl_args`.

pub mod cmd;
pub mod describe;

use crate::cluster::{Cluster, CommandOutput};

/// `cluster.kubectl(line, stdin)`: one command line, with or without the leading
/// `kubectl`, split into words with shell quoting rules (no expansion).
pub fn kubectl_line(cluster: &mut Cluster, line: &str, stdin: &str) -> CommandOutput {
    let words = match cmd::args::split_words(line) {
        Ok(w) => w,
        Err(e) => {
            let msg = format!("error: cannot read the command line: {e}\n");
            return CommandOutput {
                stdout: String::new(),
                stderr: msg.clone(),
                exit_code: 1,
                output: msg,
            };
        }
    };
    let args: &[String] = match words.first().map(String::as_str) {
        Some("kubectl") => &words[1..],
        _ => &words,
    };
    kubectl_args(cluster, args, stdin)
}

/// One kubectl invocation from an argv (without the program name).
pub fn kubectl_args(cluster: &mut Cluster, args: &[String], stdin: &str) -> CommandOutput {
    cmd::run(cluster, args, stdin)
}

/// `cluster.run(script)`: the docs-page shell (wired up when the shell lands).
pub fn run_script(_cluster: &mut Cluster, _script: &str, _settle: bool) -> CommandOutput {
    CommandOutput {
        stderr: "error: run is not implemented yet\n".into(),
        exit_code: 1,
        output: "error: run is not implemented yet\n".into(),
        ..Default::default()
    }
}
