//! Controllers: ServiceCIDR finalizer/Ready, defaults, repair.
