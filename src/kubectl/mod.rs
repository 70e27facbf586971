//! kubectl: command parsing, printers, manifests and the docs-page shell.
