//! kubectl: command parsing, printers, manifests and the docs-page shell.
pub mod jq;
pub mod shell;
