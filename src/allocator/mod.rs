//! Service IP allocators: one CIDR (range.rs) and many CIDRs per family (meta.rs).
