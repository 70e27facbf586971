//! Label selectors: the apiserver parses them (`servicecidr_apiserver::labels`);
//! kubectl checks the same grammar before it sends a request.

pub use servicecidr_apiserver::labels::Selector;
