//! kubectl: command parsing, printers, manifests and the docs-page shell.
//!
//! `kubectl_line` / `kubectl_args` answer one kubectl invocation against the
//! simulated cluster exactly as kubectl 1.33 prints it, sending kubectl's REST
//! requests through the apiserver crate's `handle` (cmd/client.rs); `run_script` runs a
//! docs page's shell block, sending every `kubectl` to `kubectl_args`.

mod apiserver_cmd;
pub mod cmd;
pub mod describe;

pub mod duration;
mod grep_regex;
pub mod jq;
pub mod jsonpath;
pub mod manifest;
pub mod output;
pub mod printers;
pub mod shell;
pub mod table;
pub mod tabwriter;
pub mod yaml;

pub use output::{CommandOutput, RunOptions, ScriptOptions};
use servicecidr_core::cluster::Cluster;
pub use shell::ScriptSlice;
use shell::{ShellHost, ShellOptions};

/// `cluster.kubectl(…)` and `cluster.run(…)`: the kubectl client and the docs
/// shell, called on a cluster. A trait here, not methods of the core's Cluster,
/// because the core must not know its clients.
pub trait Kubectl {
    fn kubectl(&mut self, line: &str, stdin: Option<&str>) -> CommandOutput;
    fn run(&mut self, script: &str) -> CommandOutput;
    /// `run()` without the pauses between commands: the clock moves only when
    /// a command itself waits (kubectl delete/wait, sleep).
    fn run_with(&mut self, script: &str, settle: bool) -> CommandOutput;
}

impl Kubectl for Cluster {
    fn kubectl(&mut self, line: &str, stdin: Option<&str>) -> CommandOutput {
        kubectl_line(self, line, stdin.unwrap_or(""))
    }

    fn run(&mut self, script: &str) -> CommandOutput {
        run_script(self, script, true)
    }

    fn run_with(&mut self, script: &str, settle: bool) -> CommandOutput {
        run_script(self, script, settle)
    }
}

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
    cmd::run(&mut cmd::client::Client::new(cluster), args, stdin)
}

/// The simulated cluster as the shell's host: `kubectl` runs the command, a
/// pause between top-level commands lets the controllers' timers fire (a person
/// reading the page between commands), and `sleep` moves the cluster clock.
struct ClusterHost<'a> {
    cluster: &'a mut Cluster,
    settle: bool,
}

impl ShellHost for ClusterHost<'_> {
    fn kubectl(&mut self, args: &[String], stdin: &str) -> CommandOutput {
        kubectl_args(self.cluster, args, stdin)
    }

    fn between_commands(&mut self) {
        if self.settle {
            self.cluster.settle();
        }
    }

    fn sleep(&mut self, seconds: f64) {
        // The shell only passes finite, non-negative durations it has parsed;
        // advance() refuses anything else without changing the cluster.
        let _ = self.cluster.advance(seconds);
    }

    fn kube_apiserver(&mut self, args: &[String]) -> Option<CommandOutput> {
        Some(apiserver_cmd::run(self.cluster, args))
    }
}

/// `cluster.run(script)`: runs a docs page's shell block. With `settle`, the
/// cluster settles before every top-level command, the first included: a page's
/// blocks are run one `run()` at a time, and the reader pauses between them as
/// between the commands of one block (the 10 s ServiceCIDR deletion grace, for
/// one, has passed by the time the next block is typed).
pub fn run_script(cluster: &mut Cluster, script: &str, settle: bool) -> CommandOutput {
    if settle {
        cluster.settle();
    }
    let mut host = ClusterHost { cluster, settle };
    shell::run_script(
        &mut host,
        script,
        &ShellOptions {
            settle_between_commands: settle,
        },
    )
}

/// The script a cluster runs in slices (`cluster.startScript` / `resumeScript` /
/// `cancelScript`): at most one at a time, as one terminal runs one script. A
/// page runs a long loop a few hundred commands per slice and paints between
/// them. Other calls may come between two slices, as another client's requests
/// would; a paused script is not part of `snapshot()`.
#[derive(Default)]
pub struct PausedScript(Option<shell::ScriptRun>);

impl PausedScript {
    /// Starts `script` and runs its first slice (the whole script without `maxSteps`).
    pub fn start(
        &mut self,
        cluster: &mut Cluster,
        script: &str,
        opts: ScriptOptions,
    ) -> Result<ScriptSlice, String> {
        if self.0.is_some() {
            return Err(
                "a script is already running in slices: resumeScript() it to its end or cancelScript() it first"
                    .into(),
            );
        }
        let settle = opts.settle.unwrap_or(true);
        // As run_script: a page's block starts after the reader's pause.
        if settle {
            cluster.settle();
        }
        let run = shell::ScriptRun::new(
            script,
            &ShellOptions {
                settle_between_commands: settle,
            },
        );
        self.0 = Some(run);
        self.resume(cluster, opts.max_steps.map(u64::from))
    }

    /// Runs the paused script's next slice of at most `max_steps` steps (to its end without).
    pub fn resume(
        &mut self,
        cluster: &mut Cluster,
        max_steps: Option<u64>,
    ) -> Result<ScriptSlice, String> {
        let Some(run) = self.0.as_mut() else {
            return Err("no script is running in slices: startScript() starts one".into());
        };
        let mut host = ClusterHost {
            cluster,
            settle: run.settles(),
        };
        let slice = run.resume(&mut host, max_steps.unwrap_or(u64::MAX).max(1));
        if slice.done {
            self.0 = None;
        }
        Ok(slice)
    }

    /// Drops the paused script, as Ctrl-C ends one; answers whether there was one.
    pub fn cancel(&mut self) -> bool {
        self.0.take().is_some()
    }

    pub fn is_running(&self) -> bool {
        self.0.is_some()
    }
}
