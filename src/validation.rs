//! Upstream validation: same field paths and messages as kube-apiserver.
