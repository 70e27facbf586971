//! The generic registry for kinds the core keeps as plain JSON: the admission
//! policy kinds (ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding)
//! and ConfigMaps (their usual params). The core gives them what every object
//! gets — system metadata, resourceVersions, generation, the watch log,
//! finalizer-aware deletion, admission — while what a policy *means* (its CEL,
//! its validation) belongs to the admission plugin, so the core carries no CEL.

use super::{Cluster, Operation, WriteOptions};
use crate::model::{ApiError, FieldError, ObjectMeta, Resource};
use crate::validation;
use serde_json::{json, Map, Value};

/// A stored object of a generic kind, with its metadata typed for the shared
/// metadata rules and the rest kept verbatim.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GenericObject {
    pub resource: Resource,
    pub metadata: ObjectMeta,
    /// The rest of the object, verbatim (apiVersion and kind set by the server).
    pub body: Map<String, Value>,
}

impl GenericObject {
    pub fn decode(r: Resource, obj: Value) -> Result<GenericObject, ApiError> {
        let info = r.info();
        let Value::Object(mut body) = obj else {
            return Err(ApiError::bad_request(format!(
                "{} in version {:?} cannot be handled as a {}: expected an object",
                info.kind, info.version, info.kind
            )));
        };
        let metadata: ObjectMeta = match body.remove("metadata") {
            Some(m) => serde_json::from_value(m).map_err(|e| {
                ApiError::bad_request(format!(
                    "{} in version {:?} cannot be handled as a {}: {e}",
                    info.kind, info.version, info.kind
                ))
            })?,
            None => ObjectMeta::default(),
        };
        body.insert("apiVersion".into(), json!(r.api_version()));
        body.insert("kind".into(), json!(info.kind));
        Ok(GenericObject {
            resource: r,
            metadata,
            body,
        })
    }

    /// The object as the API returns it.
    pub fn to_value(&self) -> Value {
        let mut body = self.body.clone();
        let meta = serde_json::to_value(&self.metadata).unwrap_or_else(|_| json!({}));
        body.insert("metadata".into(), meta);
        // apiVersion, kind, metadata first, as the apiserver encodes them.
        let mut out = Map::new();
        for k in ["apiVersion", "kind", "metadata"] {
            if let Some(v) = body.remove(k) {
                out.insert(k.into(), v);
            }
        }
        out.extend(body);
        Value::Object(out)
    }

    fn field(&self, key: &str) -> Value {
        self.body.get(key).cloned().unwrap_or(Value::Null)
    }
}

/// ConfigMap data keys: `IsConfigMapKey`.
fn validate_config_map(obj: &GenericObject) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for field in ["data", "binaryData"] {
        let Some(map) = obj.body.get(field).and_then(Value::as_object) else {
            continue;
        };
        for key in map.keys() {
            for msg in config_map_key_errors(key) {
                errs.push(FieldError::invalid(
                    format!("{field}[{key}]"),
                    json!(key),
                    msg,
                ));
            }
            if !seen.insert(key.clone()) {
                errs.push(FieldError::invalid(
                    format!("{field}[{key}]"),
                    json!(key),
                    "duplicate of key present in data",
                ));
            }
        }
    }
    errs
}

/// validation.IsConfigMapKey.
fn config_map_key_errors(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    if key.len() > 253 {
        out.push(validation::names::max_len_error(253));
    }
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        out.push(validation::names::regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    if key == "." {
        out.push("must not be '.'".into());
    } else if key == ".." {
        out.push("must not be '..'".into());
    } else if key.starts_with("..") {
        out.push("must not start with '..'".into());
    }
    out
}

impl Cluster {
    pub(crate) fn generic_fetch(&self, r: Resource, ns: &str, name: &str) -> Option<GenericObject> {
        let v = self.store.generic_object(r, ns, name)?.clone();
        GenericObject::decode(r, v).ok()
    }

    /// Defaulting of the kinds the admission plugin understands.
    fn default_generic(&self, r: Resource, mut obj: Value) -> Value {
        if let Some(plugin) = self.admission.as_ref() {
            plugin.default_object(r, &mut obj);
        }
        obj
    }

    /// The kind's own validation: ConfigMap keys here, the policy kinds by the
    /// admission plugin (which alone understands CEL). Without a plugin the
    /// policy kinds cannot be written: storing a policy nothing would enforce
    /// would be a silent lie.
    fn validate_generic(
        &mut self,
        obj: &GenericObject,
        old: Option<&GenericObject>,
    ) -> Result<Vec<FieldError>, ApiError> {
        match obj.resource {
            Resource::ConfigMaps => Ok(validate_config_map(obj)),
            r => {
                let Some(plugin) = self.admission.as_ref() else {
                    return Err(no_evaluator(r.info().plural));
                };
                Ok(plugin.validate_object(
                    r,
                    &obj.to_value(),
                    old.map(GenericObject::to_value).as_ref(),
                ))
            }
        }
    }

    pub(crate) fn create_generic(
        &mut self,
        r: Resource,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let info = r.info();
        let ns = if info.namespaced {
            super::request_namespace(&obj, opts)
        } else {
            String::new()
        };
        let obj = self.default_generic(r, obj);
        let mut o = GenericObject::decode(r, obj)?;
        o.metadata.namespace = ns.clone();
        if info.namespaced && !super::store::NAMESPACES.contains(&ns.as_str()) {
            return Err(ApiError::not_found("namespaces", "", &ns));
        }
        self.fill_create_meta(&mut o.metadata)?;
        self.generate_name(&mut o.metadata);
        if r.has_generation() {
            o.metadata.generation = Some(1);
        }
        // A create may not set status (the strategies' PrepareForCreate).
        o.body.remove("status");
        let mut errs = validation::validate_object_meta(
            &o.metadata,
            info.namespaced,
            validation::is_dns1123_subdomain,
        );
        errs.extend(self.validate_generic(&o, None)?);
        if !errs.is_empty() {
            return Err(self.invalid(info.kind, info.group, &o.metadata.name, &errs));
        }
        let name = o.metadata.name.clone();
        let value = o.to_value();
        self.admit_write(
            Operation::Create,
            r,
            "",
            opts,
            Some(&value),
            None,
            &ns,
            &name,
        )?;
        if self.store.generic_object(r, &ns, &name).is_some() {
            return Err(ApiError::already_exists(info.plural, info.group, &name));
        }
        if opts.dry_run {
            return Ok(value);
        }
        Ok(self.store_put_generic(o).to_value())
    }

    pub(crate) fn update_generic(
        &mut self,
        r: Resource,
        obj: Value,
        opts: &WriteOptions,
        status: bool,
    ) -> Result<Value, ApiError> {
        let info = r.info();
        let ns = if info.namespaced {
            super::request_namespace(&obj, opts)
        } else {
            String::new()
        };
        let obj = if status {
            obj
        } else {
            self.default_generic(r, obj)
        };
        let mut o = GenericObject::decode(r, obj)?;
        o.metadata.namespace = ns.clone();
        let Some(old) = self.generic_fetch(r, &ns, &o.metadata.name) else {
            return Err(ApiError::not_found(
                info.plural,
                info.group,
                &o.metadata.name,
            ));
        };
        Self::check_rv(r, &o.metadata, &old.metadata)?;
        Self::carry_update_meta(&mut o.metadata, &old.metadata);
        let mut errs = Vec::new();
        if status {
            // The status strategy keeps everything but status.
            let new_status = o.field("status");
            let rv = o.metadata.resource_version.clone();
            o = old.clone();
            o.metadata.resource_version = rv;
            o.body.insert("status".into(), new_status);
        } else {
            // The main resource keeps the stored status; spec changes bump generation.
            match old.body.get("status") {
                Some(s) => o.body.insert("status".into(), s.clone()),
                None => o.body.remove("status"),
            };
            if r.has_generation() && o.field("spec") != old.field("spec") {
                o.metadata.generation = Some(old.metadata.generation.unwrap_or(0) + 1);
            }
            errs = validation::validate_common_update(&o.metadata, &old.metadata, info.namespaced);
            errs.extend(Self::finalizer_errors(&o.metadata, &old.metadata));
            errs.extend(self.validate_generic(&o, Some(&old))?);
        }
        if !errs.is_empty() {
            return Err(self.invalid(info.kind, info.group, &o.metadata.name, &errs));
        }
        let name = o.metadata.name.clone();
        let sub = if status { "status" } else { "" };
        self.admit_write(
            Operation::Update,
            r,
            sub,
            opts,
            Some(&o.to_value()),
            Some(&old.to_value()),
            &ns,
            &name,
        )?;
        o.metadata.resource_version = old.metadata.resource_version.clone();
        if o == old || opts.dry_run {
            return Ok(o.to_value());
        }
        if o.metadata.deletion_timestamp.is_some() && o.metadata.finalizers.is_empty() {
            return Ok(self
                .store_remove_generic(r, &ns, &name)
                .map(|g| g.to_value())
                .unwrap_or_else(|| o.to_value()));
        }
        Ok(self.store_put_generic(o).to_value())
    }

    /// DELETE of a generic object: finalizers hold it with a deletionTimestamp.
    pub(crate) fn delete_generic(
        &mut self,
        r: Resource,
        ns: &str,
        name: &str,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let info = r.info();
        let ns = if info.namespaced { ns } else { "" };
        let mut obj = self
            .generic_fetch(r, ns, name)
            .ok_or_else(|| ApiError::not_found(info.plural, info.group, name))?;
        self.admit_write(
            Operation::Delete,
            r,
            "",
            opts,
            None,
            Some(&obj.to_value()),
            ns,
            name,
        )?;
        let held = !obj.metadata.finalizers.is_empty();
        if opts.dry_run || (held && obj.metadata.deletion_timestamp.is_some()) {
            return Ok(obj.to_value());
        }
        if held {
            obj.metadata.deletion_timestamp = Some(crate::model::Time::from_millis(self.now_ms()));
            obj.metadata.deletion_grace_period_seconds = Some(0);
            return Ok(self.store_put_generic(obj).to_value());
        }
        self.store_remove_generic(r, ns, name)
            .map(|o| o.to_value())
            .ok_or_else(|| ApiError::not_found(info.plural, info.group, name))
    }
}

/// The 503 for a write that needs the CEL module when none is set: `what`
/// says what needs it (the pages load the module on seeing "needs the CEL
/// admission module").
pub(crate) fn no_evaluator(what: &str) -> ApiError {
    ApiError::new(
        503,
        "ServiceUnavailable",
        format!(
            "{what} needs the CEL admission module, which is not set for this cluster: cluster.setPolicyEvaluator(require('servicecidr-sim/cel')) (Rust: set_validating_admission(Some(servicecidr_sim::cel::cel_admission())))"
        ),
    )
}
