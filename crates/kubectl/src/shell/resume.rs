//! Scripts that run in slices: a page runs a long `for` loop a few commands at a
//! time and paints between them, instead of freezing until the loop ends.
//!
//! The executor in `shell.rs` is recursive, so it cannot stop halfway through a
//! command. This driver keeps the statement level on an explicit stack instead:
//! the top-level command lists, the bodies of `for`, `while`/`until`, `if` and
//! `{ }` met there, and the rounds of those loops. It can stop between any two
//! of them. Everything else (a pipeline, a subshell, a command substitution, a
//! compound command with redirections or behind `&&`, `||`, `!`) runs whole
//! through the recursive executor, as one step of the driver.
//!
//! The driver follows the recursive executor's rules line for line (statuses,
//! `set -e`, `break N`/`continue N`, the step limit), so a script gives the same
//! output whether it runs in one slice or in a thousand; `run_script` is this
//! driver with no limit, and the shell tests run every script both ways.

use super::{
    AndOr, Command, Compound, Flow, Io, List, Parser, Shell, ShellHost, ShellOptions, ShellState,
    XResult,
};
use serde::Serialize;
use std::rc::Rc;

/// A script that can run a few steps at a time.
pub struct ScriptRun {
    state: ShellState,
    parser: Parser,
    frames: Vec<Frame>,
    settle: bool,
    /// No top-level command has started yet (the host settles only between them).
    first: bool,
    /// The status of the last top-level command: the script's exit status.
    status: i32,
    done: bool,
}

/// What one slice of a script printed (`cluster.startScript` / `resumeScript`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScriptSlice {
    /// What this slice wrote to stdout, to stderr, and both interleaved as a
    /// terminal shows them (the slices of a script joined are what `run` prints).
    pub stdout: String,
    pub stderr: String,
    pub output: String,
    /// The script's exit status once it has ended; null while it is paused.
    pub exit_code: Option<i32>,
    /// Whether the script has ended (`exitCode` is then set).
    pub done: bool,
    /// Steps (simple commands and loop rounds) this slice ran: a page sizes the
    /// next slice from this and the time the slice took.
    pub steps: u32,
}

/// One level of the statement stack.
enum Frame {
    /// A command list run item by item; `st` is the last item's status, as
    /// `Shell::exec_list` keeps it.
    List {
        list: Rc<List>,
        next: usize,
        st: i32,
    },
    /// A `for` loop between two rounds (`Shell::run_for`).
    For {
        var: String,
        values: Vec<String>,
        next: usize,
        body: Rc<List>,
        st: i32,
    },
    /// A `while`/`until` loop between two rounds (`Shell::run_while`).
    While {
        until: bool,
        cond: Rc<List>,
        body: Rc<List>,
        st: i32,
    },
}

impl ScriptRun {
    pub fn new(script: &str, opts: &ShellOptions) -> ScriptRun {
        ScriptRun {
            state: ShellState::default(),
            parser: Parser::new(script, 0),
            frames: Vec::new(),
            settle: opts.settle_between_commands,
            first: true,
            status: 0,
            done: false,
        }
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Whether the host settles between top-level commands.
    pub fn settles(&self) -> bool {
        self.settle
    }

    /// Runs until the script ends or `max_steps` steps have run (at least one
    /// statement runs per call, so a slice always makes progress).
    pub fn resume(&mut self, host: &mut dyn ShellHost, max_steps: u64) -> ScriptSlice {
        let state = std::mem::take(&mut self.state);
        let (state, steps) = crate::jq::with_stack_base(|| {
            let mut sh = Shell::resume(host, state);
            let start = sh.steps;
            self.drive(&mut sh, max_steps);
            let steps = sh.steps - start;
            (sh.suspend(), steps)
        });
        self.state = state;
        ScriptSlice {
            stdout: std::mem::take(&mut self.state.stdout),
            stderr: std::mem::take(&mut self.state.stderr),
            output: std::mem::take(&mut self.state.output),
            exit_code: self.done.then_some(self.status),
            done: self.done,
            steps: u32::try_from(steps).unwrap_or(u32::MAX),
        }
    }

    fn drive(&mut self, sh: &mut Shell, max_steps: u64) {
        let start = sh.steps;
        let mut ran = false;
        while !self.done {
            if ran && sh.steps.saturating_sub(start) >= max_steps {
                return;
            }
            ran = true;
            if let Some(r) = self.step(sh) {
                self.deliver(sh, r);
            }
        }
    }

    /// Runs the next statement of the innermost level; answers a result when a
    /// level ended (to be handed to the one around it).
    fn step(&mut self, sh: &mut Shell) -> Option<XResult> {
        let Some(top) = self.frames.last_mut() else {
            self.next_top_level(sh);
            return None;
        };
        match top {
            Frame::List { list, next, st } => {
                if *next >= list.items.len() {
                    let st = *st;
                    self.frames.pop();
                    return Some(Ok(st));
                }
                let (list, i) = (Rc::clone(list), *next);
                *next += 1;
                match self.enter(sh, &list.items[i]) {
                    Entered::Pushed => None,
                    Entered::Ran(r) => self.item_done(r),
                }
            }
            Frame::For {
                var,
                values,
                next,
                body,
                ..
            } => {
                let Some(v) = values.get(*next).cloned() else {
                    return self.end_loop(sh);
                };
                *next += 1;
                let (var, body) = (var.clone(), Rc::clone(body));
                if let Err(e) = sh.step().and_then(|()| sh.assign(&var, false, v)) {
                    return self.abort_loop(sh, e);
                }
                self.push_list(sh, body);
                None
            }
            Frame::While {
                until, cond, body, ..
            } => {
                let (until, cond, body) = (*until, Rc::clone(cond), Rc::clone(body));
                if let Err(e) = sh.step() {
                    return self.abort_loop(sh, e);
                }
                match sh.suppressed(|sh| sh.exec_list(&cond, Io::TOP)) {
                    Err(e) => self.abort_loop(sh, e),
                    Ok(c) if (c == 0) == until => self.end_loop(sh),
                    Ok(_) => {
                        self.push_list(sh, body);
                        None
                    }
                }
            }
        }
    }

    /// Starts the next top-level command, or ends the script (`run_script` of old).
    fn next_top_level(&mut self, sh: &mut Shell) {
        let unit = self.parser.next_complete_command();
        for w in std::mem::take(&mut self.parser.warnings) {
            sh.term_err(&w);
        }
        match unit {
            Ok(None) => self.done = true,
            Ok(Some(list)) => {
                if !self.first && self.settle {
                    sh.host.between_commands();
                }
                self.first = false;
                self.push_list(sh, Rc::new(list));
            }
            Err(e) => {
                sh.term_err(&e.render());
                self.status = 2;
                self.done = true;
            }
        }
    }

    fn push_list(&mut self, sh: &Shell, list: Rc<List>) {
        // exec_list starts from the status before it.
        let st = sh.status;
        self.frames.push(Frame::List { list, next: 0, st });
    }

    /// One item of a list: a compound command the driver can step through is
    /// pushed as a level of its own; anything else runs whole.
    fn enter(&mut self, sh: &mut Shell, ao: &AndOr) -> Entered {
        let Some((cc, line)) = steppable(ao) else {
            return Entered::Ran(sh.exec_and_or(ao, Io::TOP));
        };
        // As Shell::exec_command and Shell::exec_compound do for a compound command.
        sh.line = line;
        let r = match cc {
            Compound::For { var, items, body } => {
                let mut values = Vec::new();
                for w in items.iter().flatten() {
                    match sh.expand_fields(w, Io::TOP) {
                        Ok(v) => values.extend(v),
                        Err(e) => return Entered::Ran(compound_done(sh, Err(e))),
                    }
                }
                sh.loops += 1;
                self.frames.push(Frame::For {
                    var: var.clone(),
                    values,
                    next: 0,
                    body: Rc::new(body.clone()),
                    st: 0,
                });
                return Entered::Pushed;
            }
            Compound::While { until, cond, body } => {
                sh.loops += 1;
                self.frames.push(Frame::While {
                    until: *until,
                    cond: Rc::new(cond.clone()),
                    body: Rc::new(body.clone()),
                    st: 0,
                });
                return Entered::Pushed;
            }
            Compound::If { arms, otherwise } => {
                for (cond, body) in arms {
                    match sh.suppressed(|sh| sh.exec_list(cond, Io::TOP)) {
                        Ok(0) => {
                            self.push_list(sh, Rc::new(body.clone()));
                            return Entered::Pushed;
                        }
                        Ok(_) => {}
                        Err(e) => return Entered::Ran(compound_done(sh, Err(e))),
                    }
                }
                match otherwise {
                    Some(body) => {
                        self.push_list(sh, Rc::new(body.clone()));
                        return Entered::Pushed;
                    }
                    None => {
                        sh.status = 0;
                        Ok(0)
                    }
                }
            }
            Compound::Group(body) => {
                self.push_list(sh, Rc::new(body.clone()));
                return Entered::Pushed;
            }
            // steppable() never answers a subshell; run it whole all the same.
            Compound::Subshell(_) => return Entered::Ran(sh.exec_and_or(ao, Io::TOP)),
        };
        Entered::Ran(compound_done(sh, r))
    }

    /// An item of the innermost list finished with `r`.
    fn item_done(&mut self, r: XResult) -> Option<XResult> {
        match r {
            Ok(s) => {
                if let Some(Frame::List { st, .. }) = self.frames.last_mut() {
                    *st = s;
                }
                None
            }
            Err(e) => {
                self.frames.pop();
                Some(Err(e))
            }
        }
    }

    /// A loop ran out of rounds (or its condition said stop).
    fn end_loop(&mut self, sh: &mut Shell) -> Option<XResult> {
        let st = match self.frames.pop() {
            Some(Frame::For { st, .. }) | Some(Frame::While { st, .. }) => st,
            _ => 0,
        };
        sh.status = st;
        sh.loops = sh.loops.saturating_sub(1);
        Some(Ok(st))
    }

    /// A loop left early with `e` (an error, `exit`, or `break`/`continue` of an outer loop).
    fn abort_loop(&mut self, sh: &mut Shell, e: Flow) -> Option<XResult> {
        self.frames.pop();
        sh.loops = sh.loops.saturating_sub(1);
        Some(Err(e))
    }

    /// Hands the result of a level that ended to the level around it; results
    /// may travel several levels (an `exit`, a `break 2`) in one call.
    fn deliver(&mut self, sh: &mut Shell, mut r: XResult) {
        loop {
            let next = match self.frames.last_mut() {
                // A top-level command ended.
                None => {
                    match r {
                        Ok(s) | Err(Flow::Skip(s)) => self.status = s,
                        Err(Flow::Exit(s)) | Err(Flow::Fatal(s)) => {
                            self.status = s;
                            self.done = true;
                        }
                        // exec_list never lets these escape a loop; keep going like bash.
                        Err(Flow::Break(_)) | Err(Flow::Continue(_)) => self.status = 0,
                    }
                    return;
                }
                // A compound command (a loop, an `if`, a `{ }`) of this list ended.
                Some(Frame::List { .. }) => {
                    let r = compound_done(sh, r);
                    self.item_done(r)
                }
                // A round of a loop ended: as the match in Shell::run_for / run_while.
                Some(Frame::For { st, .. }) | Some(Frame::While { st, .. }) => match r {
                    Ok(s) => {
                        *st = s;
                        None
                    }
                    Err(Flow::Break(k)) if k > 1 => self.abort_loop(sh, Flow::Break(k - 1)),
                    Err(Flow::Break(_)) => {
                        *st = 0;
                        self.end_loop(sh)
                    }
                    Err(Flow::Continue(k)) if k > 1 => self.abort_loop(sh, Flow::Continue(k - 1)),
                    Err(Flow::Continue(_)) => {
                        *st = 0;
                        None
                    }
                    Err(e) => self.abort_loop(sh, e),
                },
            };
            match next {
                Some(n) => r = n,
                None => return,
            }
        }
    }
}

enum Entered {
    /// A new level is on the stack; its statements run in the next steps.
    Pushed,
    /// The item ran whole, with this result.
    Ran(XResult),
}

/// The compound command an and-or list consists of, when the driver can step
/// through it: alone (no `&&`, `||`, `!`, pipe), without redirections, not a subshell.
fn steppable(ao: &AndOr) -> Option<(&Compound, usize)> {
    if !ao.rest.is_empty() || ao.first.negate {
        return None;
    }
    match ao.first.cmds.as_slice() {
        [Command::Compound(cc, redirs, line)]
            if redirs.is_empty() && !matches!(**cc, Compound::Subshell(_)) =>
        {
            Some((cc, *line))
        }
        _ => None,
    }
}

/// What the recursive executor does with a compound command's result on its
/// way out of `exec_command`, `exec_pipeline` and `exec_and_or` (a lone
/// compound command that is not a subshell: `set -e` ignores its own status).
fn compound_done(sh: &mut Shell, r: XResult) -> XResult {
    let st = match r {
        Err(Flow::Skip(s)) => s,
        other => other?,
    };
    sh.status = st;
    Ok(st)
}
