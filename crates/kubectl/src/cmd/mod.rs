//! The kubectl commands the simulator answers: argument parsing, dispatch, and
//! each command's behaviour with kubectl's exact output and exit codes.
//!
//! Every command is a function of (apiserver, argv, stdin) writing to [`Out`],
//! which keeps stdout, stderr and the interleaved terminal view.

pub mod api;
pub mod apply;
pub mod args;
pub mod client;
pub mod create;
pub mod custom_columns;
pub mod delete;
pub mod describe;
pub mod errors;
pub mod explain;
pub mod get;
pub mod gotemplate;
pub mod info;
pub mod label;
pub mod patch;
pub mod render;
pub mod resources;
pub mod selector;
pub mod targets;
pub mod wait;

#[cfg(test)]
pub(crate) mod fake;

use crate::output::CommandOutput;
use api::Api;
use args::{FlagSpec, Parsed};
use errors::{render_errors, CmdError};

/// What a command has written so far.
#[derive(Clone, Debug, Default)]
pub struct Out {
    pub stdout: String,
    pub stderr: String,
    pub output: String,
}

impl Out {
    pub fn out(&mut self, s: &str) {
        self.stdout.push_str(s);
        self.output.push_str(s);
    }

    pub fn err(&mut self, s: &str) {
        self.stderr.push_str(s);
        self.output.push_str(s);
    }

    /// Prints errors the way kubectl's CheckErr does.
    pub fn errors(&mut self, errs: &[CmdError]) {
        let s = render_errors(errs);
        self.err(&s);
    }

    /// The exit code of a command's body: its own, or 1 once its error is printed.
    pub fn exit_code(&mut self, result: Result<i32, CmdError>) -> i32 {
        result.unwrap_or_else(|e| {
            self.errors(&[e]);
            1
        })
    }

    pub fn finish(self, exit_code: i32) -> CommandOutput {
        CommandOutput {
            stdout: self.stdout,
            stderr: self.stderr,
            exit_code,
            output: self.output,
        }
    }
}

/// The commands this simulator implements.
pub const SUPPORTED_COMMANDS: &[&str] = &[
    "get",
    "create",
    "apply",
    "delete",
    "describe",
    "wait",
    "version",
    "api-resources",
    "api-versions",
    "patch",
    "label",
    "annotate",
    "explain",
];

/// kubectl's other commands: named here so that they are recognised (and
/// reported as not simulated) rather than called unknown.
const OTHER_KUBECTL_COMMANDS: &[&str] = &[
    "alpha",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "debug",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "expose",
    "help",
    "kustomize",
    "logs",
    "options",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
];

/// Runs one kubectl invocation (argv without the leading `kubectl`).
pub fn run(api: &mut dyn Api, args: &[String], stdin: &str) -> CommandOutput {
    let mut out = Out::default();
    // Warnings of earlier requests (not made by this invocation) are not ours to print.
    let _ = api.take_warnings();
    let code = dispatch(api, args, stdin, &mut out);
    out.finish(code)
}

fn dispatch(api: &mut dyn Api, args: &[String], stdin: &str, out: &mut Out) -> i32 {
    let Some(idx) = args::find_command(args) else {
        // `kubectl` alone (or only flags) prints its help.
        out.out(&root_help());
        return 0;
    };
    let cmd = args[idx].as_str();
    let mut rest: Vec<String> = args[..idx].to_vec();
    rest.extend(args[idx + 1..].iter().cloned());
    match cmd {
        "get" => get::run(api, &rest, stdin, out),
        "create" => create::run(api, &rest, stdin, out),
        "apply" => apply::run(api, &rest, stdin, out),
        "delete" => delete::run(api, &rest, stdin, out),
        "describe" => describe::run(api, &rest, stdin, out),
        "wait" => wait::run(api, &rest, out),
        "version" => info::version(api, &rest, out),
        "api-resources" => info::api_resources(api, &rest, out),
        "api-versions" => info::api_versions(api, &rest, out),
        "patch" => patch::run(api, &rest, stdin, out),
        "explain" => explain::run(api, &rest, out),
        "label" => label::run(api, &rest, stdin, out, label::Field::Labels),
        "annotate" => label::run(api, &rest, stdin, out, label::Field::Annotations),
        c if OTHER_KUBECTL_COMMANDS.contains(&c) => {
            out.errors(&[CmdError::Client(format!(
                "\"kubectl {c}\" is not available in this simulator; it runs: {}",
                SUPPORTED_COMMANDS.join(", ")
            ))]);
            1
        }
        c => {
            out.err(&unknown_command(c));
            1
        }
    }
}

/// cobra's message for an unknown command, with its "Did you mean" suggestions
/// (Levenshtein distance ≤ 2 or a prefix match, as cobra computes them).
fn unknown_command(c: &str) -> String {
    let mut s = format!("error: unknown command {c:?} for \"kubectl\"");
    let typed = c.to_ascii_lowercase();
    let mut all: Vec<&str> = SUPPORTED_COMMANDS
        .iter()
        .chain(OTHER_KUBECTL_COMMANDS)
        .copied()
        .filter(|n| *n != "help")
        .collect();
    all.sort_unstable();
    let suggestions: Vec<&str> = all
        .into_iter()
        .filter(|n| levenshtein(&typed, n) <= 2 || n.starts_with(typed.as_str()))
        .collect();
    if !suggestions.is_empty() {
        s.push_str("\n\nDid you mean this?\n");
        for n in suggestions {
            s.push('\t');
            s.push_str(n);
            s.push('\n');
        }
    } else {
        s.push('\n');
    }
    s
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn root_help() -> String {
    let mut s = String::from(
        "kubectl controls the Kubernetes cluster manager.\n\n\
         This simulated cluster answers these commands:\n",
    );
    for c in SUPPORTED_COMMANDS {
        s.push_str("  ");
        s.push_str(c);
        s.push('\n');
    }
    s.push_str("\nUsage:\n  kubectl [flags] [options]\n");
    s
}

/// Parses flags for a command and reports failures as cobra does.
pub(crate) fn parse(
    args: &[String],
    specs: &[FlagSpec],
    command_path: &str,
    out: &mut Out,
) -> Option<Parsed> {
    match args::parse_flags(args, &[specs, args::GLOBAL_FLAGS]) {
        Ok(p) => Some(p),
        Err(e) => {
            out.errors(&[errors::flag_error(&e.0, command_path)]);
            None
        }
    }
}

/// A command's flags, or `Err(exit code)` when parsing already answered the
/// command: a flag error (1) or `-h/--help` (0).
pub(crate) fn parse_command(
    args: &[String],
    specs: &[FlagSpec],
    command_path: &str,
    out: &mut Out,
) -> Result<Parsed, i32> {
    let p = parse(args, specs, command_path, out).ok_or(1)?;
    if p.bool_or("help", false) {
        out.out(&help_text(command_path));
        return Err(0);
    }
    Ok(p)
}

/// The namespace a command works in: `-n`, else `default`.
pub(crate) fn namespace(p: &Parsed) -> String {
    match p.str("namespace") {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => "default".to_string(),
    }
}

/// Short help for `-h/--help` on a command.
pub(crate) fn help_text(command_path: &str) -> String {
    format!(
        "{command_path}: simulated by servicecidr-sim; see the kubectl reference for its flags.\n\nUsage:\n  {command_path} [options]\n"
    )
}

/// An `-o/--output` choice.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputFormat {
    Default,
    Wide,
    Json,
    Yaml,
    Name,
    JsonPath(String),
    /// `go-template=…`, `template=…` or `--template`.
    GoTemplate(Box<gotemplate::GoTemplate>),
    /// `custom-columns=HEADER:PATH,…` (get only).
    CustomColumns(custom_columns::CustomColumns),
}

/// Printers kubectl has that the simulator does not implement.
const UNSIMULATED_FORMATS: &[&str] = &["jsonpath-as-json", "jsonpath-file"];

/// `-o` with kubectl's `--template` fallback: a template given without `-o`
/// means go-template, and `-o go-template`/`-o template` take it from there.
pub(crate) fn output_format_of(p: &Parsed, with_wide: bool) -> Result<OutputFormat, CmdError> {
    let template = p.str("template").filter(|t| !t.is_empty());
    match (p.str("output"), template) {
        (None | Some(""), Some(t)) => output_format(Some(&format!("go-template={t}")), with_wide),
        (Some(o @ ("go-template" | "template")), Some(t)) => {
            output_format(Some(&format!("{o}={t}")), with_wide)
        }
        (o, _) => output_format(o, with_wide),
    }
}

/// Parses `-o`. `with_wide` says whether the command has table output (get);
/// the list of formats in kubectl's error depends on it.
pub(crate) fn output_format(
    value: Option<&str>,
    with_wide: bool,
) -> Result<OutputFormat, CmdError> {
    let v = value.unwrap_or("");
    let (name, arg) = match v.split_once('=') {
        Some((n, a)) => (n, Some(a)),
        None => (v, None),
    };
    match (name, arg) {
        ("", None) => return Ok(OutputFormat::Default),
        ("wide", None) if with_wide => return Ok(OutputFormat::Wide),
        ("json", None) => return Ok(OutputFormat::Json),
        ("yaml", None) => return Ok(OutputFormat::Yaml),
        ("name", None) => return Ok(OutputFormat::Name),
        ("jsonpath", Some(t)) if !t.is_empty() => return Ok(OutputFormat::JsonPath(t.to_string())),
        ("go-template" | "template", Some(t)) if !t.is_empty() => {
            return gotemplate::GoTemplate::new(t)
                .map(|g| OutputFormat::GoTemplate(Box::new(g)))
                .map_err(CmdError::Client)
        }
        ("custom-columns", spec) if with_wide => {
            return custom_columns::CustomColumns::parse(spec.unwrap_or(""))
                .map(OutputFormat::CustomColumns)
        }
        ("custom-columns-file", Some(f)) if with_wide && !f.is_empty() => {
            return Err(CmdError::Client(format!(
                "error reading template {f}, open {f}: no such file or directory"
            )))
        }
        ("custom-columns-file", _) if with_wide => {
            return Err(CmdError::Client(
                "custom-columns format specified but no custom columns given".into(),
            ))
        }
        // There is no filesystem here: every template file is missing.
        ("go-template-file" | "templatefile", Some(f)) if !f.is_empty() => {
            return Err(CmdError::Client(format!(
                "error reading --template {f}, open {f}: no such file or directory"
            )))
        }
        ("jsonpath" | "go-template" | "template" | "go-template-file" | "templatefile", _) => {
            return Err(CmdError::Client(
                "template format specified but no template given".into(),
            ))
        }
        _ => {}
    }
    if UNSIMULATED_FORMATS.contains(&name) {
        return Err(CmdError::Client(format!(
            "output format {name:?} is not available in this simulator (it prints json, yaml, name{}, jsonpath, go-template)",
            if with_wide { ", wide" } else { "" }
        )));
    }
    let allowed = if with_wide {
        "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
    } else {
        "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
    };
    Err(CmdError::Client(format!(
        "unable to match a printer suitable for the output format {v:?}, allowed formats are: {allowed}"
    )))
}

/// `--dry-run`: none, client or server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    /// The suffix kubectl adds to its "created"/"deleted" lines.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

pub(crate) fn dry_run(p: &Parsed, out: &mut Out, now_ms: i64) -> Result<DryRun, CmdError> {
    match p.str("dry-run") {
        None | Some("none") | Some("false") => Ok(DryRun::None),
        Some("client") => Ok(DryRun::Client),
        Some("server") => Ok(DryRun::Server),
        // A bare --dry-run (or =true) still means client, with klog's warning.
        Some("unchanged") | Some("true") => {
            out.err(&klog_warning(
                now_ms,
                "helpers.go:703",
                "--dry-run is deprecated and can be replaced with --dry-run=client.",
            ));
            Ok(DryRun::Client)
        }
        Some(other) => Err(CmdError::Client(format!(
            "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
        ))),
    }
}

/// The process id printed in klog headers (a real kubectl prints its own pid).
const KLOG_PID: u32 = 1;

/// The server's API warnings of the requests just made, as kubectl's warning
/// handler prints them: `Warning: <text>` on stderr, each text once per invocation.
pub(crate) fn print_warnings(api: &mut dyn Api, out: &mut Out) {
    for w in api.take_warnings() {
        let line = format!("Warning: {w}\n");
        if !out.stderr.contains(&line) {
            out.err(&line);
        }
    }
}

/// A klog warning line as kubectl prints it: `W1127 11:08:36.874042  1 file:line] msg`.
pub(crate) fn klog_warning(now_ms: i64, location: &str, msg: &str) -> String {
    let secs = now_ms.div_euclid(1000);
    let micros = now_ms.rem_euclid(1000) * 1000;
    let (_, mo, d, h, mi, s, _) = servicecidr_core::clock::civil(secs);
    format!("W{mo:02}{d:02} {h:02}:{mi:02}:{s:02}.{micros:06} {KLOG_PID:>7} {location}] {msg}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_command_suggests_like_cobra() {
        assert_eq!(
            unknown_command("foo"),
            "error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n"
        );
        assert_eq!(
            unknown_command("zzzzzzzz"),
            "error: unknown command \"zzzzzzzz\" for \"kubectl\"\n"
        );
        assert!(unknown_command("gte").contains("\tget\n"));
    }

    #[test]
    fn output_formats() {
        assert_eq!(output_format(Some("yaml"), true), Ok(OutputFormat::Yaml));
        assert_eq!(
            output_format(Some("jsonpath={.a}"), true),
            Ok(OutputFormat::JsonPath("{.a}".into()))
        );
        assert_eq!(
            output_format(Some("bogus"), true),
            Err(CmdError::Client("unable to match a printer suitable for the output format \"bogus\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml".into()))
        );
        assert!(output_format(Some("wide"), false).is_err());
        assert!(matches!(
            output_format(Some("custom-columns=A:.a"), true),
            Ok(OutputFormat::CustomColumns(_))
        ));
        // Only get has the custom-columns printer (kubectl 1.33: create -o custom-columns=…).
        assert_eq!(
            output_format(Some("custom-columns=A:.a"), false),
            Err(CmdError::Client("unable to match a printer suitable for the output format \"custom-columns=A:.a\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml".into()))
        );
    }

    #[test]
    fn klog_header() {
        assert_eq!(
            klog_warning(1_795_776_353_000, "helpers.go:703", "x"),
            "W1127 10:45:53.000000       1 helpers.go:703] x\n"
        );
    }
}
