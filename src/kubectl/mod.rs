//! kubectl: command parsing, printers, manifests and the docs-page shell.

pub mod duration;
pub mod jsonpath;
pub mod manifest;
pub mod printers;
pub mod tabwriter;
pub mod yaml;
