//! The JS binding (`Cluster` class): converts JS values to core types and back, nothing more.
