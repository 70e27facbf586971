#![cfg(not(target_arch = "wasm32"))]
//! A script run in slices (`PausedScript`, behind `cluster.startScript` /
//! `resumeScript`) leaves the cluster exactly as one `run()` does: same output,
//! same objects, uids, resourceVersions, clock, events and trace. The playground
//! relies on this: it runs a typed script in slices and paints between them,
//! while a reload replays the same script with `run()`.

mod common;

use common::{CREATE_13_16, CREATE_1_13, DELETE_SERVICES, GET_YAML};
use servicecidr_sim::kubectl::{PausedScript, ScriptOptions};
use servicecidr_sim::{Cluster, CommandOutput, Kubectl};

const NEWCIDR: &str = "kubectl create -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\nEOF\n";

/// The page's walk-through as one script per block, plus blocks that wait
/// (kubectl delete waits for finalizers, sleep) and settle between commands.
fn blocks() -> Vec<String> {
    vec![
        CREATE_1_13.to_string(),
        NEWCIDR.to_string(),
        CREATE_13_16.to_string(),
        "kubectl delete servicecidr newcidr1 --wait=false\n".to_string(),
        GET_YAML.to_string(),
        DELETE_SERVICES.to_string(),
        "sleep 3; kubectl get servicecidr\nkubectl delete servicecidr newcidr1\nkubectl get servicecidr\n"
            .to_string(),
        "i=0; while [ $i -lt 5 ]; do i=$((i+1)); kubectl create service clusterip \"w-$i\" --tcp 80 -o name || break; done; echo done $i\n"
            .to_string(),
        "set -e\nfor s in a b; do kubectl get service \"$s\"; done\necho not reached\n".to_string(),
    ]
}

fn sliced(c: &mut Cluster, script: &str, settle: bool, max_steps: u32) -> CommandOutput {
    let mut paused = PausedScript::default();
    let opts = ScriptOptions {
        settle: Some(settle),
        max_steps: Some(max_steps),
    };
    let mut slice = paused.start(c, script, opts).expect("start");
    let mut all = CommandOutput::default();
    loop {
        all.stdout.push_str(&slice.stdout);
        all.stderr.push_str(&slice.stderr);
        all.output.push_str(&slice.output);
        if let Some(code) = slice.exit_code {
            assert!(!paused.is_running(), "an ended script is let go");
            all.exit_code = code;
            return all;
        }
        assert!(paused.is_running());
        slice = paused
            .resume(c, Some(u64::from(max_steps)))
            .expect("resume");
    }
}

#[test]
fn slices_leave_the_cluster_as_one_run_does() {
    for settle in [true, false] {
        for max_steps in [1, 2, 7] {
            let mut whole = common::cluster(3.0);
            let mut parts = common::cluster(3.0);
            for block in blocks() {
                let want = whole.run_with(&block, settle);
                let got = sliced(&mut parts, &block, settle, max_steps);
                assert_eq!(
                    got, want,
                    "{max_steps}-step slices, settle {settle}:\n{block}"
                );
            }
            assert_eq!(
                parts.snapshot(),
                whole.snapshot(),
                "{max_steps}-step slices, settle {settle}: the clusters differ"
            );
        }
    }
}

#[test]
fn a_long_loop_pauses_between_rounds() {
    let mut c = common::cluster(1.0);
    let mut paused = PausedScript::default();
    let script = "for i in $(seq 1 12); do kubectl create service clusterip \"s-$i\" --tcp 80 -o name; done\n";
    let opts = ScriptOptions {
        settle: Some(false),
        max_steps: Some(5),
    };
    let first = paused.start(&mut c, script, opts).expect("start");
    // `seq` is a step, then each round is two (the round and its kubectl); the
    // slice pauses once it has run five.
    assert_eq!(first.stdout, "service/s-1\nservice/s-2\n");
    assert_eq!((first.done, first.exit_code, first.steps), (false, None, 5));
    // Between two slices the cluster answers other clients.
    assert_eq!(c.list("services", Some("default")).unwrap().len(), 3);
    let second = paused.resume(&mut c, Some(4)).expect("resume");
    assert_eq!(second.stdout, "service/s-3\nservice/s-4\n");
    // Only one script runs in slices at a time.
    let err = paused
        .start(&mut c, "echo hi", ScriptOptions::default())
        .unwrap_err();
    assert!(err.contains("already running"), "{err}");
    // Ctrl-C: the rest never runs.
    assert!(paused.cancel());
    assert!(!paused.cancel());
    let err = paused.resume(&mut c, None).unwrap_err();
    assert!(err.contains("no script is running"), "{err}");
    assert_eq!(c.list("services", Some("default")).unwrap().len(), 5);
}

#[test]
fn a_slice_runs_at_least_one_statement() {
    let mut c = common::cluster(1.0);
    let mut paused = PausedScript::default();
    let opts = ScriptOptions {
        settle: None,
        max_steps: Some(0),
    };
    let mut slice = paused.start(&mut c, "echo a\necho b\n", opts).unwrap();
    let mut rounds = 1;
    while !slice.done {
        slice = paused.resume(&mut c, Some(0)).unwrap();
        rounds += 1;
        assert!(rounds < 10, "no progress");
    }
    assert_eq!(slice.exit_code, Some(0));
}
