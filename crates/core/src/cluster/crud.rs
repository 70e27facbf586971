//! The generic apiserver request path for ServiceCIDRs and IPAddresses, and
//! finalizer-aware deletion for every resource.

use super::{request_namespace, Cluster, Operation, WriteOptions};
use crate::model::{
    ApiError, FieldError, IPAddress, ObjectMeta, Resource, Service, ServiceCIDR, Time,
};
use crate::validation;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes a request body into a typed object, answering like the apiserver's
/// decoder when the JSON does not fit the type.
pub(crate) fn decode<T: DeserializeOwned>(
    obj: Value,
    kind: &str,
    version: &str,
) -> Result<T, ApiError> {
    serde_json::from_value(obj).map_err(|e| {
        ApiError::bad_request(format!(
            "{kind} in version {version:?} cannot be handled as a {kind}: {e}"
        ))
    })
}

/// The typed objects the store keeps, seen the same way by the generic parts of
/// the request path (update tail, finalizer-aware delete).
pub(crate) trait Stored: Clone + PartialEq + serde::Serialize + Sized {
    fn meta(&self) -> &ObjectMeta;
    fn meta_mut(&mut self) -> &mut ObjectMeta;
    fn fetch(c: &Cluster, ns: &str, name: &str) -> Option<Self>;
    fn put(self, c: &mut Cluster) -> Self;
    fn remove(c: &mut Cluster, ns: &str, name: &str) -> Option<Self>;
}

impl Stored for ServiceCIDR {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    fn fetch(c: &Cluster, _ns: &str, name: &str) -> Option<Self> {
        c.store.service_cidrs.get(name).cloned()
    }
    fn put(self, c: &mut Cluster) -> Self {
        c.store_put_service_cidr(self)
    }
    fn remove(c: &mut Cluster, _ns: &str, name: &str) -> Option<Self> {
        c.store_remove_service_cidr(name)
    }
}

impl Stored for IPAddress {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    fn fetch(c: &Cluster, _ns: &str, name: &str) -> Option<Self> {
        c.store.ip_addresses.get(name).cloned()
    }
    fn put(self, c: &mut Cluster) -> Self {
        c.store_put_ip_address(self)
    }
    fn remove(c: &mut Cluster, _ns: &str, name: &str) -> Option<Self> {
        c.store_remove_ip_address(name)
    }
}

impl Stored for Service {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    fn fetch(c: &Cluster, ns: &str, name: &str) -> Option<Self> {
        c.store.service(ns, name).cloned()
    }
    fn put(self, c: &mut Cluster) -> Self {
        c.store_put_service(self)
    }
    fn remove(c: &mut Cluster, ns: &str, name: &str) -> Option<Self> {
        c.store_remove_service(ns, name)
    }
}

/// What a DELETE left: the object still stored (finalizers, dry-run) or removed.
pub(crate) enum Deleted<T> {
    Kept(T),
    Removed(T),
}

impl<T> Deleted<T> {
    fn object(&self) -> &T {
        match self {
            Deleted::Kept(o) | Deleted::Removed(o) => o,
        }
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<Value, ApiError> {
    serde_json::to_value(v).map_err(ApiError::internal)
}

impl Cluster {
    /// rest.BeforeCreate's system fields: uid, creationTimestamp, no deletion fields;
    /// generateName handled by the caller's strategy.
    pub(crate) fn fill_create_meta(&mut self, meta: &mut ObjectMeta) -> Result<(), ApiError> {
        if !meta.resource_version.is_empty() {
            return Err(ApiError::bad_request(
                "resourceVersion should not be set on objects to be created",
            ));
        }
        meta.uid = self.rng.uuid();
        meta.creation_timestamp = Some(Time::from_millis(self.clock.now_ms()));
        meta.deletion_timestamp = None;
        meta.deletion_grace_period_seconds = None;
        meta.generation = None;
        Ok(())
    }

    /// names.SimpleNameGenerator: base (cut to 58 characters) + 5 random characters.
    pub(crate) fn generate_name(&mut self, meta: &mut ObjectMeta) {
        if meta.name.is_empty() && !meta.generate_name.is_empty() {
            let base: String = meta.generate_name.chars().take(58).collect();
            meta.name = format!("{base}{}", self.rng.name_suffix());
        }
    }

    /// rest.BeforeUpdate's carry-over of fields clients may not change.
    pub(crate) fn carry_update_meta(meta: &mut ObjectMeta, old: &ObjectMeta) {
        validation::prepare_meta_for_update(meta, old);
        meta.uid = old.uid.clone();
        meta.creation_timestamp = old.creation_timestamp;
        meta.deletion_timestamp = old.deletion_timestamp;
        meta.deletion_grace_period_seconds = old.deletion_grace_period_seconds;
        meta.generation = old.generation;
        meta.generate_name = if meta.generate_name.is_empty() {
            old.generate_name.clone()
        } else {
            meta.generate_name.clone()
        };
    }

    /// Optimistic concurrency: a non-empty resourceVersion must match the stored one.
    pub(crate) fn check_rv(
        r: Resource,
        meta: &ObjectMeta,
        old: &ObjectMeta,
    ) -> Result<(), ApiError> {
        if !meta.resource_version.is_empty() && meta.resource_version != old.resource_version {
            let i = r.info();
            return Err(ApiError::conflict(i.plural, i.group, &old.name));
        }
        Ok(())
    }

    /// Finalizers may not be added to an object that is being deleted.
    pub(crate) fn finalizer_errors(meta: &ObjectMeta, old: &ObjectMeta) -> Vec<FieldError> {
        if old.deletion_timestamp.is_some()
            && meta.finalizers.iter().any(|f| !old.finalizers.contains(f))
        {
            return vec![FieldError::forbidden(
                "metadata.finalizers",
                "no new finalizers can be added if the object is being deleted",
            )];
        }
        Vec::new()
    }

    /// The end of every update once validation passed: a no-op write changes
    /// nothing (no new resourceVersion), dry-run stops here, and an object whose
    /// last finalizer was just removed while it is being deleted goes away.
    fn finish_update<T: Stored>(
        &mut self,
        mut new: T,
        old: T,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        new.meta_mut().resource_version = old.meta().resource_version.clone();
        if new == old {
            return to_value(&old);
        }
        if dry_run {
            return to_value(&new);
        }
        if new.meta().deletion_timestamp.is_some() && new.meta().finalizers.is_empty() {
            let (ns, name) = (new.meta().namespace.clone(), new.meta().name.clone());
            self.trace_push(
                "apiserver",
                format!("{name}: last finalizer removed, object deleted"),
                Value::Null,
            );
            return to_value(&T::remove(self, &ns, &name).unwrap_or(new));
        }
        to_value(&new.put(self))
    }

    /// DELETE of one stored object. With finalizers it only gets deletionTimestamp
    /// (grace period 0 for these resources) and stays until the last finalizer
    /// goes; a repeated delete of such an object changes nothing. Otherwise it is
    /// removed now. Dry-run answers what the object looks like now.
    fn delete_stored<T: Stored>(
        &mut self,
        r: Resource,
        ns: &str,
        name: &str,
        opts: &WriteOptions,
    ) -> Result<Deleted<T>, ApiError> {
        let dry_run = opts.dry_run;
        let info = r.info();
        let mut obj = T::fetch(self, ns, name)
            .ok_or_else(|| ApiError::not_found(info.plural, info.group, name))?;
        self.admit_write(Operation::Delete, r, "", opts, None, Some(&obj), ns, name)?;
        let held = !obj.meta().finalizers.is_empty();
        if dry_run || (held && obj.meta().deletion_timestamp.is_some()) {
            return Ok(Deleted::Kept(obj));
        }
        if held {
            self.trace_push(
                "apiserver",
                format!(
                    "delete {} {name}: finalizers present, setting deletionTimestamp",
                    info.singular
                ),
                Value::Null,
            );
            obj.meta_mut().deletion_timestamp = Some(Time::from_millis(self.clock.now_ms()));
            obj.meta_mut().deletion_grace_period_seconds = Some(0);
            return Ok(Deleted::Kept(obj.put(self)));
        }
        self.trace_push(
            "apiserver",
            format!("delete {} {name}", info.singular),
            Value::Null,
        );
        T::remove(self, ns, name)
            .map(Deleted::Removed)
            .ok_or_else(|| ApiError::not_found(info.plural, info.group, name))
    }

    // ----- ServiceCIDR -----

    pub(crate) fn create_service_cidr(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let mut sc: ServiceCIDR = decode(obj, "ServiceCIDR", "networking.k8s.io/v1")?;
        sc.api_version = Resource::ServiceCIDRs.api_version();
        sc.kind = "ServiceCIDR".into();
        // Cluster-scoped: a namespace in the body is dropped, as rest.BeforeCreate does.
        sc.metadata.namespace.clear();
        self.fill_create_meta(&mut sc.metadata)?;
        self.generate_name(&mut sc.metadata);
        let errs = validation::validate_service_cidr(&sc);
        if !errs.is_empty() {
            return Err(self.invalid("ServiceCIDR", "networking.k8s.io", &sc.metadata.name, &errs));
        }
        let name = sc.metadata.name.clone();
        self.admit_write(
            Operation::Create,
            Resource::ServiceCIDRs,
            "",
            opts,
            Some(&sc),
            None,
            "",
            &name,
        )?;
        if self.store.service_cidrs.contains_key(&sc.metadata.name) {
            return Err(ApiError::already_exists(
                "servicecidrs",
                "networking.k8s.io",
                &sc.metadata.name,
            ));
        }
        if opts.dry_run {
            return serde_json::to_value(&sc).map_err(ApiError::internal);
        }
        self.trace_push(
            "apiserver",
            format!(
                "create ServiceCIDR {} {:?}",
                sc.metadata.name, sc.spec.cidrs
            ),
            Value::Null,
        );
        let stored = self.store_put_service_cidr(sc);
        serde_json::to_value(&stored).map_err(ApiError::internal)
    }

    pub(crate) fn update_service_cidr(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
        status: bool,
    ) -> Result<Value, ApiError> {
        let mut sc: ServiceCIDR = decode(obj, "ServiceCIDR", "networking.k8s.io/v1")?;
        sc.api_version = Resource::ServiceCIDRs.api_version();
        sc.kind = "ServiceCIDR".into();
        sc.metadata.namespace.clear();
        let Some(old) = self.store.service_cidrs.get(&sc.metadata.name).cloned() else {
            return Err(ApiError::not_found(
                "servicecidrs",
                "networking.k8s.io",
                &sc.metadata.name,
            ));
        };
        Self::check_rv(Resource::ServiceCIDRs, &sc.metadata, &old.metadata)?;
        Self::carry_update_meta(&mut sc.metadata, &old.metadata);
        let errs = if status {
            // The status strategy keeps the stored spec and metadata: only status changes.
            sc.spec = old.spec.clone();
            let rv = sc.metadata.resource_version.clone();
            sc.metadata = old.metadata.clone();
            sc.metadata.resource_version = rv;
            validation::validate_service_cidr_status_update(&sc, &old)
        } else {
            // PrepareForUpdate of the main resource does not reset status (upstream quirk).
            let mut e = validation::validate_common_update(&sc.metadata, &old.metadata, false);
            e.extend(Self::finalizer_errors(&sc.metadata, &old.metadata));
            e.extend(validation::validate_service_cidr_update_in(
                &sc,
                &old,
                self.release.service_cidr_single_to_dual,
            ));
            e
        };
        if !errs.is_empty() {
            return Err(self.invalid("ServiceCIDR", "networking.k8s.io", &sc.metadata.name, &errs));
        }
        let name = sc.metadata.name.clone();
        let sub = if status { "status" } else { "" };
        self.admit_write(
            Operation::Update,
            Resource::ServiceCIDRs,
            sub,
            opts,
            Some(&sc),
            Some(&old),
            "",
            &name,
        )?;
        self.finish_update(sc, old, opts.dry_run)
    }

    // ----- IPAddress -----

    pub(crate) fn create_ip_address(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let mut ip: IPAddress = decode(obj, "IPAddress", "networking.k8s.io/v1")?;
        ip.api_version = Resource::IPAddresses.api_version();
        ip.kind = "IPAddress".into();
        ip.metadata.namespace.clear();
        self.fill_create_meta(&mut ip.metadata)?;
        // IPAddress uses a no-op name generator: generateName becomes the name unchanged.
        if ip.metadata.name.is_empty() {
            ip.metadata.name = ip.metadata.generate_name.clone();
        }
        let errs = validation::validate_ip_address(&ip);
        if !errs.is_empty() {
            return Err(self.invalid("IPAddress", "networking.k8s.io", &ip.metadata.name, &errs));
        }
        let name = ip.metadata.name.clone();
        self.admit_write(
            Operation::Create,
            Resource::IPAddresses,
            "",
            opts,
            Some(&ip),
            None,
            "",
            &name,
        )?;
        if self.store.ip_addresses.contains_key(&ip.metadata.name) {
            return Err(ApiError::already_exists(
                "ipaddresses",
                "networking.k8s.io",
                &ip.metadata.name,
            ));
        }
        if opts.dry_run {
            return serde_json::to_value(&ip).map_err(ApiError::internal);
        }
        let stored = self.store_put_ip_address(ip);
        serde_json::to_value(&stored).map_err(ApiError::internal)
    }

    pub(crate) fn update_ip_address(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let mut ip: IPAddress = decode(obj, "IPAddress", "networking.k8s.io/v1")?;
        ip.api_version = Resource::IPAddresses.api_version();
        ip.kind = "IPAddress".into();
        ip.metadata.namespace.clear();
        let Some(old) = self.store.ip_addresses.get(&ip.metadata.name).cloned() else {
            return Err(ApiError::not_found(
                "ipaddresses",
                "networking.k8s.io",
                &ip.metadata.name,
            ));
        };
        Self::check_rv(Resource::IPAddresses, &ip.metadata, &old.metadata)?;
        Self::carry_update_meta(&mut ip.metadata, &old.metadata);
        let mut errs = validation::validate_common_update(&ip.metadata, &old.metadata, false);
        errs.extend(Self::finalizer_errors(&ip.metadata, &old.metadata));
        errs.extend(validation::validate_ip_address_update(&ip, &old));
        if !errs.is_empty() {
            return Err(self.invalid("IPAddress", "networking.k8s.io", &ip.metadata.name, &errs));
        }
        let name = ip.metadata.name.clone();
        self.admit_write(
            Operation::Update,
            Resource::IPAddresses,
            "",
            opts,
            Some(&ip),
            Some(&old),
            "",
            &name,
        )?;
        self.finish_update(ip, old, opts.dry_run)
    }

    // ----- delete -----

    /// DELETE: with finalizers the object only gets deletionTimestamp (grace period 0
    /// for these resources) and stays until the last finalizer goes; otherwise it is
    /// removed now. Services release their ClusterIPs after removal.
    pub(crate) fn delete_object(
        &mut self,
        r: Resource,
        ns: &str,
        name: &str,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        match r {
            Resource::ServiceCIDRs => to_value(
                self.delete_stored::<ServiceCIDR>(r, ns, name, opts)?
                    .object(),
            ),
            Resource::IPAddresses => {
                to_value(self.delete_stored::<IPAddress>(r, ns, name, opts)?.object())
            }
            Resource::Services => {
                let d = self.delete_stored::<Service>(r, ns, name, opts)?;
                // The Service registry releases ClusterIPs after the object is gone.
                if let Deleted::Removed(svc) = &d {
                    self.release_service_ips(svc, None);
                }
                to_value(d.object())
            }
            Resource::ValidatingAdmissionPolicies
            | Resource::ValidatingAdmissionPolicyBindings
            | Resource::ConfigMaps => self.delete_generic(r, ns, name, opts),
            Resource::Events => {
                let info = r.info();
                let pos = self
                    .store
                    .events
                    .iter()
                    .position(|e| e.metadata.name == name && e.metadata.namespace == ns);
                let ev = pos.and_then(|p| {
                    if opts.dry_run {
                        self.store.events.get(p).cloned()
                    } else {
                        self.store.events.remove(p)
                    }
                });
                to_value(&ev.ok_or_else(|| ApiError::not_found(info.plural, info.group, name))?)
            }
        }
    }

    /// The namespace a Service write lands in, checked against the body and NamespaceLifecycle.
    pub(crate) fn service_namespace(
        &self,
        obj: &Value,
        opts: &WriteOptions,
    ) -> Result<String, ApiError> {
        let ns = request_namespace(obj, opts);
        if let Some(body_ns) = super::meta_str(obj, "namespace") {
            if !body_ns.is_empty() && !opts.namespace.is_empty() && body_ns != opts.namespace {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
        }
        if !super::store::NAMESPACES.contains(&ns.as_str()) {
            return Err(ApiError::not_found("namespaces", "", &ns));
        }
        Ok(ns)
    }
}
