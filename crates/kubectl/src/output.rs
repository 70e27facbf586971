//! What a kubectl command or a shell script leaves: its two streams, the
//! terminal's interleaved view and the exit code.

use serde::{Deserialize, Serialize};

/// What kubectl() and run() return.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CommandResult"))]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// stdout and stderr interleaved in the order they were written, as a terminal
    /// shows them (docs transcripts need the error line after the addresses).
    pub output: String,
}

/// Options of `run()`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct RunOptions {
    /// Settle the clock between top-level commands (default true).
    pub settle: Option<bool>,
}

/// Options of `startScript()`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct ScriptOptions {
    /// Settle the clock between top-level commands (default true), as `run()`.
    pub settle: Option<bool>,
    /// Pause after this many steps (simple commands and loop rounds); the whole
    /// script when omitted. A slice runs at least one statement.
    pub max_steps: Option<u32>,
}
