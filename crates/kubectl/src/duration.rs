//! The AGE helpers live with the server's printers (the apiserver computes
//! AGE); kubectl's describe and event views use the same functions.

pub use servicecidr_apiserver::duration::*;
