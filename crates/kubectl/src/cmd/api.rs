//! What the commands need from the apiserver, as one small trait: the commands
//! are plain functions of (API, argv, stdin). The simulated cluster answers
//! through the apiserver's `handle()` (cmd/client.rs); the commands' unit tests
//! use an in-memory fake (cmd/fake.rs) that prints with the same server printers.

use super::resources::Kind;
use crate::table::Table;
use serde_json::Value;
use servicecidr_core::model::ApiError;
use servicecidr_core::Release;

/// What `apply` did to the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    Created,
    Configured,
    Unchanged,
}

pub trait Api {
    /// GET one object; `ns` is ignored for cluster-scoped kinds.
    fn get(&mut self, kind: Kind, ns: &str, name: &str) -> Result<Value, ApiError>;
    /// LIST; `ns` None means all namespaces. Sorted by namespace, then name.
    fn list(&mut self, kind: Kind, ns: Option<&str>) -> Result<Vec<Value>, ApiError>;
    /// LIST with `labelSelector`/`fieldSelector`, filtered where the apiserver
    /// filters. The default filters a plain list with the apiserver's own
    /// selector code (the unit tests' fake); the client sends the selectors.
    fn list_selected(
        &mut self,
        kind: Kind,
        ns: Option<&str>,
        label_selector: &str,
        field_selector: &str,
    ) -> Result<Vec<Value>, ApiError> {
        let labels = servicecidr_apiserver::labels::Selector::parse(label_selector)
            .map_err(|e| ApiError::bad_request(format!("unable to parse requirement: {e}")))?;
        let fields =
            servicecidr_apiserver::fields::FieldSelector::parse(field_selector, kind.storage())
                .map_err(ApiError::bad_request)?;
        Ok(self
            .list(kind, ns)?
            .into_iter()
            .filter(|o| labels.matches(o) && fields.matches(o))
            .collect())
    }
    /// GET of a server-side Table (kubectl `get`): one object when `name` is
    /// given, else the list filtered by the selectors. `ns` None = all
    /// namespaces. `whole_objects` asks for `includeObject=Object` (rows carry
    /// the objects, for `--sort-by`).
    #[allow(clippy::too_many_arguments)]
    fn table(
        &mut self,
        kind: Kind,
        ns: Option<&str>,
        name: Option<&str>,
        label_selector: &str,
        field_selector: &str,
        whole_objects: bool,
    ) -> Result<Table, ApiError>;
    /// POST. `ns` is the request's namespace (the object's own when empty).
    fn create(&mut self, obj: Value, dry_run: bool, ns: &str) -> Result<Value, ApiError>;
    /// kubectl apply's create-or-patch, with the last-applied annotation.
    fn apply(&mut self, obj: Value, dry_run: bool, ns: &str) -> Result<(Value, Applied), ApiError>;
    /// DELETE; returns the object as the delete left it.
    fn delete(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        dry_run: bool,
    ) -> Result<Value, ApiError>;
    /// PATCH an object (its `/status` when `status`) with a body of the given
    /// Content-Type; `query` is the request's (`fieldManager=kubectl-patch`…).
    #[allow(clippy::too_many_arguments)]
    fn patch(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        status: bool,
        content_type: &str,
        body: &[u8],
        query: &str,
    ) -> Result<Value, ApiError>;
    /// GET a path outside the resources (`/openapi/v3/…`), answered as JSON.
    fn get_path(&mut self, path: &str) -> Result<Value, ApiError>;
    /// GET /version. The default answers what a server of `release()` would (the fake).
    fn server_version(&mut self) -> Result<Value, ApiError> {
        Ok(servicecidr_apiserver::info::release_info(&self.release()))
    }
    /// kubectl's wait for a deletion after its first GET found the object:
    /// LIST by `metadata.name`, then WATCH from the list's resourceVersion for
    /// at most `timeout_ms`. Returns false when this API cannot watch (the
    /// fake); the wait then keeps asking with GET.
    fn begin_delete_watch(
        &mut self,
        _kind: Kind,
        _ns: &str,
        _name: &str,
        _timeout_ms: i64,
    ) -> bool {
        false
    }
    /// Whether the watch begun by `begin_delete_watch` has seen the object
    /// deleted (or the LIST found it gone). None when no watch is open.
    fn delete_seen(&mut self) -> Option<bool> {
        None
    }
    /// Closes the watch, if one is open.
    fn end_delete_watch(&mut self) {}
    /// The cluster clock.
    fn now_ms(&self) -> i64;
    /// Moves the cluster clock forward, running whatever falls due on the way.
    fn advance_ms(&mut self, ms: i64);
    /// When the controllers next have something to do, if ever.
    fn next_due_ms(&self) -> Option<i64>;
    /// The release the in-box kubectl behaves as (it follows the server's).
    fn release(&self) -> Release {
        Release::newest()
    }
    /// API warnings of the requests since the last call (kubectl prints each
    /// once as `Warning: …` on stderr).
    fn take_warnings(&mut self) -> Vec<String> {
        Vec::new()
    }
}
