//! Helpers the native integration tests share: the clusters they start from,
//! the ways they run kubectl and read its output, the docs page's shell blocks,
//! and the 422 checks of the validation tests. Each test file uses only some of
//! them, so unused ones are not warnings.
#![allow(dead_code)]

use serde_json::json;
use servicecidr_sim::model::{ApiError, FieldError};
use servicecidr_sim::Kubectl;
use servicecidr_sim::{Cluster, ClusterOptions, CommandOutput};

/// The clock of the kubectl tests' clusters.
pub const NOW: &str = "2026-11-27T10:45:53Z";

/// A cluster with the docs page's `10.96.0.0/28` Service range, started at `now`.
pub fn cluster_at(seed: f64, now: &str) -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.96.0.0/28".into()),
        seed: Some(seed),
        now: Some(json!(now)),
        ..Default::default()
    })
    .expect("cluster")
}

/// A `10.96.0.0/28` cluster emulating release `version`, started at `now`.
pub fn cluster_release_at(seed: f64, now: &str, version: &str) -> Cluster {
    Cluster::new(ClusterOptions {
        service_cluster_ip_range: Some("10.96.0.0/28".into()),
        seed: Some(seed),
        now: Some(json!(now)),
        version: Some(version.into()),
        ..Default::default()
    })
    .expect("cluster")
}

/// A `10.96.0.0/28` cluster emulating release `version`, started at `NOW`.
pub fn cluster_release(seed: f64, version: &str) -> Cluster {
    cluster_release_at(seed, NOW, version)
}

/// A `10.96.0.0/28` cluster started at `NOW`.
pub fn cluster(seed: f64) -> Cluster {
    cluster_at(seed, NOW)
}

/// A `10.96.0.0/28` cluster started at `created` and then left to run 17 days,
/// as on the docs page (its tables show `AGE 17d`).
pub fn aged_cluster(seed: f64, created: &str) -> Cluster {
    let mut c = cluster_at(seed, created);
    c.advance(17.0 * 86400.0).expect("advance");
    c
}

/// `kubectl …` with no stdin.
pub fn k(c: &mut Cluster, line: &str) -> CommandOutput {
    c.kubectl(line, None)
}

/// `kubectl …` reading `stdin`.
pub fn kin(c: &mut Cluster, line: &str, stdin: &str) -> CommandOutput {
    c.kubectl(line, Some(stdin))
}

/// (stdout, stderr, exit code), to compare in one assertion.
pub fn out(o: &CommandOutput) -> (&str, &str, i32) {
    (o.stdout.as_str(), o.stderr.as_str(), o.exit_code)
}

/// A kubectl command succeeded, printing exactly `want` and nothing on stderr.
pub fn ok(o: &CommandOutput, want: &str) {
    assert_eq!(out(o), (want, "", 0));
}

/// A `cluster.run()` block succeeded: its whole output is `want`, all on stdout.
pub fn run_ok(o: &CommandOutput, want: &str) {
    assert_eq!(
        (
            o.output.as_str(),
            o.stdout.as_str(),
            o.stderr.as_str(),
            o.exit_code
        ),
        (want, want, "", 0)
    );
}

/// A `cluster.run()` block failed with exit code 1, printing only `stderr`.
pub fn run_fails(o: &CommandOutput, stderr: &str) {
    assert_eq!(
        (
            o.output.as_str(),
            o.stdout.as_str(),
            o.stderr.as_str(),
            o.exit_code
        ),
        (stderr, "", stderr, 1)
    );
}

/// An IPv4 address the test expects, as a number.
pub fn ipv4(s: &str) -> u32 {
    s.parse::<std::net::Ipv4Addr>()
        .map(u32::from)
        .unwrap_or_else(|_| panic!("not an IPv4 address: {s:?}"))
}

// The "Extend Service IP Ranges" page's shell blocks both translations share, verbatim.
pub const GET_SERVICECIDR: &str = "kubectl get servicecidr\n";
pub const GET_SERVICE: &str = "kubectl get service kubernetes\n";
pub const GET_IPADDRESS: &str = "kubectl get ipaddress 10.96.0.1\n";
pub const CREATE_1_13: &str = "for i in $(seq 1 13); do kubectl create service clusterip \"test-$i\" --tcp 80 -o json | jq -r .spec.clusterIP; done\n";
pub const CREATE_13_16: &str = "for i in $(seq 13 16); do kubectl create service clusterip \"test-$i\" --tcp 80 -o json | jq -r .spec.clusterIP; done\n";
pub const GET_YAML: &str = "kubectl get servicecidr newcidr1 -o yaml\n";
pub const DELETE_SERVICES: &str =
    "for i in $(seq 13 16); do kubectl delete service \"test-$i\" ; done\n";
pub const GET_NEWCIDR: &str = "kubectl get servicecidr newcidr1\n";

// What a real cluster prints for some of them.
pub const RANGE_FULL: &str = "error: failed to create ClusterIP service: Internal error occurred: failed to allocate a serviceIP: range is full\n";
pub const NOT_FOUND: &str =
    "Error from server (NotFound): servicecidrs.networking.k8s.io \"newcidr1\" not found\n";

/// Field errors as `field: body` strings.
pub fn strings(errs: &[FieldError]) -> Vec<String> {
    errs.iter().map(|e| e.to_string()).collect()
}

/// The errors as `field: body` strings and as the aggregated 422 message of
/// object `name` of `kind` in `group`, whose message names it `qualified`.
pub fn assert_invalid(
    errs: &[FieldError],
    expected: &[&str],
    (kind, group, name): (&str, &str, &str),
    qualified: &str,
) {
    assert_eq!(strings(errs), expected);
    let agg = if expected.len() == 1 {
        expected[0].to_string()
    } else {
        format!("[{}]", expected.join(", "))
    };
    assert_eq!(
        ApiError::invalid(kind, group, name, errs).message,
        format!("{qualified} \"{name}\" is invalid: {agg}")
    );
}

/// A ServiceCIDR manifest in YAML, as a user pipes it to `kubectl … -f -`.
pub fn cidr(name: &str, cidr: &str) -> String {
    format!("apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: {name}\nspec:\n  cidrs:\n  - {cidr}\n")
}

/// A script run in slices of at most `max_steps` steps (`ScriptRun`, what
/// `cluster.startScript`/`resumeScript` use), its slices joined: the shell tests
/// check that this prints exactly what one `run_script` call prints.
pub fn run_sliced(
    host: &mut dyn servicecidr_sim::kubectl::shell::ShellHost,
    script: &str,
    opts: &servicecidr_sim::kubectl::shell::ShellOptions,
    max_steps: u64,
) -> CommandOutput {
    let mut run = servicecidr_sim::kubectl::shell::ScriptRun::new(script, opts);
    let mut all = CommandOutput::default();
    loop {
        let slice = run.resume(host, max_steps);
        all.stdout.push_str(&slice.stdout);
        all.stderr.push_str(&slice.stderr);
        all.output.push_str(&slice.output);
        assert_eq!(slice.done, slice.exit_code.is_some());
        if let Some(code) = slice.exit_code {
            assert!(run.is_done());
            all.exit_code = code;
            return all;
        }
    }
}
