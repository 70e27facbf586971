//! What a kubectl command or a shell script leaves: its two streams, the
//! terminal's interleaved view and the exit code.

use serde::{Deserialize, Serialize};

/// What kubectl() and run() return.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// stdout and stderr interleaved in the order they were written, as a terminal
    /// shows them (docs transcripts need the error line after the addresses).
    pub output: String,
}
