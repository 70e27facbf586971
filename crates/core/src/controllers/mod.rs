//! Controllers: the ServiceCIDR finalizer/Ready controller (kube-controller-manager),
//! the defaults (kube-apiserver: `kubernetes` ServiceCIDR and Service), and the
//! IPAddress repair loop (kube-apiserver). Each is a set of `Cluster` methods run
//! by the cluster's work queue.

pub mod defaults;
pub mod repair;
pub mod servicecidr;
