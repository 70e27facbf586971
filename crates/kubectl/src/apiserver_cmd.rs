//! The shell's `kube-apiserver` pseudo-command: a *simulated* restart of the
//! apiserver process with new flags (issue #15), clearly marked as such in its
//! output. `--name=N` other than the serving instance's starts a second
//! instance beside it; `--stop=N` stops one (step 6 of the website's
//! reconfiguration task).

use crate::output::CommandOutput;
use servicecidr_core::Cluster;

const MARK: &str = "kube-apiserver (simulated)";

fn out(stdout: String) -> CommandOutput {
    CommandOutput {
        output: stdout.clone(),
        stdout,
        stderr: String::new(),
        exit_code: 0,
    }
}

fn fail(msg: &str, code: i32) -> CommandOutput {
    let stderr = format!("{MARK}: {msg}\n");
    CommandOutput {
        output: stderr.clone(),
        stdout: String::new(),
        stderr,
        exit_code: code,
    }
}

/// `--flag=value` or `--flag value`.
fn flag(args: &[String], name: &str) -> Option<String> {
    let eq = format!("--{name}=");
    let bare = format!("--{name}");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix(&eq) {
            return Some(v.to_string());
        }
        if *a == bare {
            return it.next().cloned();
        }
    }
    None
}

pub fn run(cluster: &mut Cluster, args: &[String]) -> CommandOutput {
    let known = [
        "--service-cluster-ip-range",
        "--name",
        "--stop",
        "--version",
    ];
    if let Some(a) = args.iter().filter(|a| a.starts_with("--")).find(|a| {
        !known
            .iter()
            .any(|k| a.as_str() == *k || a.starts_with(&format!("{k}=")))
    }) {
        return fail(&format!("unknown flag: {a}"), 1);
    }
    if let Some(name) = flag(args, "stop") {
        return match cluster.stop_apiserver(&name) {
            Ok(_) => out(format!("{MARK}: stopped {name}\n")),
            Err(e) => fail(&e.message, 1),
        };
    }
    let Some(range) = flag(args, "service-cluster-ip-range") else {
        return fail("--service-cluster-ip-range is required", 1);
    };
    let serving = cluster.apiservers().first().map(|a| a.name.clone());
    let result = match flag(args, "name") {
        Some(n) if Some(&n) != serving.as_ref() => cluster.start_apiserver(&n, &range),
        _ => cluster.restart_apiserver(&range, flag(args, "version").as_deref()),
    };
    match result {
        Ok(a) => out(format!(
            "{MARK}: {} v{} running with --service-cluster-ip-range={}\n",
            a.name, a.version, a.service_cluster_ip_range
        )),
        Err(e) => fail(&e.message, 1),
    }
}
