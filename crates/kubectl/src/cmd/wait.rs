//! Waiting, as `kubectl wait` and `kubectl delete` (default `--wait=true`) do,
//! on the cluster's clock: the clock moves from one due controller task to the
//! next until the condition holds or the timeout passes, so a finalizer that
//! lifts after the 10 s grace ends the wait 10 s later, and one that never lifts
//! ends it with kubectl's timeout error after the whole timeout.

use super::api::Api;
use super::args::{flag, FlagKind, FlagSpec, Parsed};
use super::errors::CmdError;
use super::resources::{parse_resource_args, Kind};
use super::selector::Selector;
use super::{namespace, parse_command, Out};
use serde_json::Value;

/// kubectl treats a zero delete timeout (and a negative wait timeout) as "wait
/// for a week" (`168 * time.Hour` in kubectl's delete and wait commands).
pub const WAIT_FOREVER_MS: i64 = 168 * 3600 * 1000;
/// `kubectl wait --timeout` default.
pub const WAIT_DEFAULT_TIMEOUT_MS: i64 = 30_000;

/// Clock steps one wait may take before it jumps to its deadline (a week of
/// 10-second resyncs is about 60 000 steps).
const MAX_WAIT_STEPS: usize = 2_000_000;

/// apimachinery's wait.ErrWaitTimeout text, which kubectl extends with the object.
const TIMED_OUT: &str = "timed out waiting for the condition";

/// One object being waited on, and the UID it had when the wait began (an
/// object recreated under the same name counts as deleted).
#[derive(Clone, Debug)]
pub struct Waited {
    pub kind: Kind,
    pub ns: String,
    pub name: String,
    pub uid: Option<String>,
}

impl Waited {
    /// `servicecidrs/newcidr1`: how kubectl names it in wait errors.
    fn object_name(&self) -> String {
        format!("{}/{}", self.kind.info().plural, self.name)
    }
}

/// What to wait for.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    Deleted,
    /// A status condition of this type with this status (both compared case-insensitively).
    Status(String, String),
}

fn uid_of(v: &Value) -> Option<String> {
    v.pointer("/metadata/uid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn holds(api: &mut dyn Api, w: &Waited, cond: &Condition) -> bool {
    match (api.get(w.kind, &w.ns, &w.name), cond) {
        (Err(e), Condition::Deleted) => e.reason == "NotFound",
        (Ok(v), Condition::Deleted) => match (&w.uid, uid_of(&v)) {
            (Some(a), Some(b)) => *a != b,
            _ => false,
        },
        (Ok(v), Condition::Status(t, s)) => v
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .and_then(|cs| {
                cs.iter().find(|c| {
                    c.get("type")
                        .and_then(Value::as_str)
                        .is_some_and(|x| x.eq_ignore_ascii_case(t))
                })
            })
            .and_then(|c| c.get("status").and_then(Value::as_str))
            .is_some_and(|x| x.eq_ignore_ascii_case(s)),
        (Err(_), Condition::Status(..)) => false,
    }
}

/// Waits for each object in turn, sharing one deadline. Calls `on_met` for each
/// object whose condition holds; stops at the first that times out.
pub fn wait_all(
    api: &mut dyn Api,
    objs: &[Waited],
    cond: &Condition,
    timeout_ms: i64,
    mut on_met: impl FnMut(&Waited),
) -> Result<(), CmdError> {
    let deadline = api.now_ms().saturating_add(timeout_ms.max(0));
    let mut steps = 0usize;
    for w in objs {
        // A deletion is waited for as kubectl does: GET, then LIST + WATCH.
        let mut watching = false;
        let mut watch_tried = false;
        loop {
            let met = match (watching, api.delete_seen()) {
                (true, Some(seen)) => seen,
                _ => holds(api, w, cond),
            };
            if met {
                api.end_delete_watch();
                on_met(w);
                break;
            }
            let now = api.now_ms();
            if timeout_ms == 0 {
                api.end_delete_watch();
                return Err(CmdError::Client(format!(
                    "condition not met for {}",
                    w.object_name()
                )));
            }
            if now >= deadline {
                api.end_delete_watch();
                return Err(CmdError::Client(format!(
                    "{TIMED_OUT} on {}",
                    w.object_name()
                )));
            }
            if *cond == Condition::Deleted && !watch_tried {
                watch_tried = true;
                watching = api.begin_delete_watch(w.kind, &w.ns, &w.name, deadline - now);
                if watching {
                    // The LIST may already show it gone: look before the clock moves.
                    continue;
                }
            }
            steps += 1;
            // Step from one due task to the next (at least a millisecond, so the
            // loop always progresses); a cluster that keeps finding work every
            // instant is not stepped through forever but run to the deadline.
            let next = if steps > MAX_WAIT_STEPS {
                deadline
            } else {
                api.next_due_ms()
                    .filter(|t| *t <= deadline)
                    .unwrap_or(deadline)
                    .max(now.saturating_add(1))
                    .min(deadline)
            };
            api.advance_ms(next - now);
        }
    }
    Ok(())
}

const FLAGS: &[FlagSpec] = &[
    flag("for", None, FlagKind::Str),
    flag("timeout", None, FlagKind::Duration),
    flag("all", None, FlagKind::Bool),
    flag("all-namespaces", Some('A'), FlagKind::Bool),
    flag("selector", Some('l'), FlagKind::Str),
    flag("filename", Some('f'), FlagKind::StrSlice),
    flag("output", Some('o'), FlagKind::Str),
    flag("local", None, FlagKind::Bool),
];

pub fn run(api: &mut dyn Api, args: &[String], out: &mut Out) -> i32 {
    let p = match parse_command(args, FLAGS, "kubectl wait", out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = wait_cmd(api, &p, out);
    out.exit_code(result)
}

fn parse_condition(s: &str) -> Result<Condition, CmdError> {
    if s.eq_ignore_ascii_case("delete") {
        return Ok(Condition::Deleted);
    }
    if let Some(rest) = s.strip_prefix("condition=") {
        let (name, value) = match rest.split_once('=') {
            Some((n, v)) => (n, v),
            None => (rest, "true"),
        };
        return Ok(Condition::Status(name.to_string(), value.to_string()));
    }
    if s.starts_with("jsonpath=") || s == "create" {
        return Err(CmdError::Client(format!(
            "--for={s} is not available in this simulator; it waits for delete and condition=NAME[=VALUE]"
        )));
    }
    Err(CmdError::Client(format!("unrecognized condition: {s:?}")))
}

fn wait_cmd(api: &mut dyn Api, p: &Parsed, out: &mut Out) -> Result<i32, CmdError> {
    let cond = parse_condition(p.str_or("for", ""))?;
    let timeout = match p.duration_ms("timeout") {
        None => WAIT_DEFAULT_TIMEOUT_MS,
        Some(t) if t < 0 => WAIT_FOREVER_MS,
        Some(t) => t,
    };
    let ns = namespace(p);
    let ra = parse_resource_args(&p.positionals)?;
    for w in &ra.warnings {
        out.err(&format!("{w}\n"));
    }
    let selector = Selector::parse(p.str_or("selector", ""))
        .map_err(|e| CmdError::Client(format!("unable to parse requirement: {e}")))?;
    let listing = p.bool_or("all", false) || !selector.is_empty();
    if ra.targets.is_empty() {
        return Err(CmdError::Client(super::delete::NO_RESOURCES.into()));
    }
    if ra.targets.iter().any(|t| t.name.is_none()) && !listing {
        return Err(CmdError::Client(
            "resource(s) were provided, but no name was specified".into(),
        ));
    }
    let found = super::get::fetch(
        api,
        &ra.targets,
        &ns,
        p.bool_or("all-namespaces", false),
        p.str_or("selector", ""),
    );
    let mut errs: Vec<CmdError> = found.errors;
    // Objects already gone satisfy a delete wait without a word.
    if cond == Condition::Deleted {
        errs.retain(|e| !matches!(e, CmdError::Api(a) if a.reason == "NotFound"));
    }
    if !errs.is_empty() {
        out.errors(&errs);
        return Ok(1);
    }
    if found.items.is_empty() && cond != Condition::Deleted {
        return Err(CmdError::Client("no matching resources found".into()));
    }
    let objs: Vec<Waited> = found.items.iter().map(|(k, v)| waited(*k, v)).collect();
    let mut lines = String::new();
    let res = wait_all(api, &objs, &cond, timeout, |w| {
        lines.push_str(&format!(
            "{}/{} condition met\n",
            w.kind.kind_prefix(),
            w.name
        ));
    });
    out.out(&lines);
    res.map(|_| 0)
}

/// The wait record for an object the command holds.
pub fn waited(kind: Kind, v: &Value) -> Waited {
    Waited {
        kind,
        ns: v
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        name: v
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        uid: uid_of(v),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::{kubectl, Fake, NOW};

    #[test]
    fn wait_for_delete_condition_met_on_the_cluster_clock() {
        let mut f = Fake::new();
        f.hold_cidr("a", Some(10_000));
        kubectl(&mut f, "delete servicecidr a --wait=false", "");
        let o = kubectl(&mut f, "wait --for=delete servicecidr/a --timeout=60s", "");
        assert_eq!(
            (o.stdout.as_str(), o.exit_code),
            ("servicecidr.networking.k8s.io/a condition met\n", 0)
        );
        assert_eq!(f.now, NOW + 10_000);
    }

    #[test]
    fn wait_times_out() {
        let mut f = Fake::new();
        f.hold_cidr("a", None);
        kubectl(&mut f, "delete servicecidr a --wait=false", "");
        let o = kubectl(&mut f, "wait --for=delete servicecidr/a --timeout=5s", "");
        assert_eq!(
            o.stderr,
            "error: timed out waiting for the condition on servicecidrs/a\n"
        );
        assert_eq!(o.exit_code, 1);
        assert_eq!(f.now, NOW + 5_000);
        let o = kubectl(&mut f, "wait --for=delete servicecidr/a --timeout=0", "");
        assert_eq!(o.stderr, "error: condition not met for servicecidrs/a\n");
    }

    #[test]
    fn a_cluster_that_never_settles_still_reaches_the_deadline() {
        let mut f = Fake::new();
        f.hold_cidr("a", None);
        f.always_due = true;
        kubectl(&mut f, "delete servicecidr a --wait=false", "");
        let o = kubectl(&mut f, "wait --for=delete servicecidr/a --timeout=2s", "");
        assert_eq!(
            o.stderr,
            "error: timed out waiting for the condition on servicecidrs/a\n"
        );
        assert_eq!(f.now, NOW + 2_000);
    }

    #[test]
    fn wait_edge_cases() {
        let mut f = Fake::new();
        let o = kubectl(
            &mut f,
            "wait --for=delete servicecidr/nope --timeout=1s",
            "",
        );
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str(), o.exit_code),
            ("", "", 0)
        );
        let o = kubectl(&mut f, "wait servicecidr/kubernetes", "");
        assert_eq!(o.stderr, "error: unrecognized condition: \"\"\n");
        let o = kubectl(
            &mut f,
            "wait --for=condition=Ready servicecidr/kubernetes",
            "",
        );
        assert_eq!(
            o.stdout,
            "servicecidr.networking.k8s.io/kubernetes condition met\n"
        );
        let o = kubectl(
            &mut f,
            "wait --for=condition=Ready=false servicecidr/kubernetes --timeout=1s",
            "",
        );
        assert_eq!(
            o.stderr,
            "error: timed out waiting for the condition on servicecidrs/kubernetes\n"
        );
    }
}
