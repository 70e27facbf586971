//! kubectl: command parsing, printers, manifests and the docs-page shell.

use crate::cluster::{Cluster, CommandOutput};

/// `cluster.kubectl(line, stdin)`: one kubectl command line.
pub fn kubectl_line(_cluster: &mut Cluster, _line: &str, _stdin: &str) -> CommandOutput {
    CommandOutput {
        stderr: "error: kubectl is not implemented yet\n".into(),
        exit_code: 1,
        output: "error: kubectl is not implemented yet\n".into(),
        ..Default::default()
    }
}

/// `cluster.run(script)`: the docs-page shell.
pub fn run_script(_cluster: &mut Cluster, _script: &str, _settle: bool) -> CommandOutput {
    CommandOutput {
        stderr: "error: run is not implemented yet\n".into(),
        exit_code: 1,
        output: "error: run is not implemented yet\n".into(),
        ..Default::default()
    }
}
