//! An in-memory stand-in for the apiserver, for the commands' unit tests. It
//! answers with the same error texts as the simulated cluster but has no
//! allocator or controllers: Services get sequential IPs, and objects whose
//! deletion a test wants held get a finalizer that lifts at a chosen time.

use super::api::{Api, Applied};
use super::resources::Kind;
use serde_json::{json, Value};
use servicecidr_core::clock::format_rfc3339;
use servicecidr_core::model::{ApiError, FieldError};
use std::collections::BTreeMap;

pub const NOW: i64 = 1_795_776_353_000; // 2026-11-27T10:45:53Z

fn store_kind(k: Kind) -> Kind {
    if k == Kind::CoreEvent {
        Kind::Event
    } else {
        k
    }
}

/// An object as the apiserver presents it for a kind: the core group's view
/// of events.k8s.io Events for `Kind::CoreEvent`.
fn present(kind: Kind, obj: &Value) -> Value {
    if kind == Kind::CoreEvent {
        servicecidr_apiserver::objects::to_core_event(obj)
    } else {
        obj.clone()
    }
}

pub struct Fake {
    pub objs: BTreeMap<(Kind, String, String), Value>,
    pub now: i64,
    rv: u64,
    next_ip: u32,
    /// Objects whose finalizers are removed at the given time.
    pub release_at: BTreeMap<(Kind, String, String), i64>,
    /// Answer every write with this error (to test error rendering).
    pub fail_writes: Option<ApiError>,
    /// Claim there is always work due now (a controller that never settles).
    pub always_due: bool,
}

impl Fake {
    pub fn new() -> Fake {
        let mut f = Fake {
            objs: BTreeMap::new(),
            now: NOW,
            rv: 100,
            next_ip: 2,
            release_at: BTreeMap::new(),
            fail_writes: None,
            always_due: false,
        };
        let created = format_rfc3339((NOW - 17 * 86_400_000) / 1000);
        f.put(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
            "metadata": {"name": "kubernetes", "uid": "u1", "resourceVersion": "10",
                "creationTimestamp": created,
                "finalizers": ["networking.k8s.io/service-cidr-finalizer"]},
            "spec": {"cidrs": ["10.96.0.0/28"]},
            "status": {"conditions": [{"type": "Ready", "status": "True",
                "lastTransitionTime": created, "reason": "",
                "message": "Kubernetes Service CIDR is ready"}]}}),
        );
        f.put(json!({"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
            "metadata": {"name": "10.96.0.1", "uid": "u2", "resourceVersion": "11",
                "creationTimestamp": created,
                "labels": {"ipaddress.kubernetes.io/ip-family": "IPv4",
                    "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"}},
            "spec": {"parentRef": {"resource": "services", "namespace": "default", "name": "kubernetes"}}}));
        f.put(json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default", "uid": "u3",
                "resourceVersion": "12", "creationTimestamp": created,
                "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"ports": [{"name": "https", "protocol": "TCP", "port": 443, "targetPort": 6443}],
                "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "type": "ClusterIP",
                "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                "internalTrafficPolicy": "Cluster"},
            "status": {"loadBalancer": {}}}));
        f
    }

    pub fn put(&mut self, obj: Value) {
        let kind = Kind::from_object(
            obj["apiVersion"].as_str().unwrap_or(""),
            obj["kind"].as_str().unwrap_or(""),
        )
        .unwrap_or(Kind::Event);
        let ns = obj
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        self.objs.insert((store_kind(kind), ns, name), obj);
    }

    /// A ServiceCIDR whose finalizer holds its deletion; with a delay, the
    /// finalizer lifts that many milliseconds after `NOW`.
    pub fn hold_cidr(&mut self, name: &str, release_after_ms: Option<i64>) {
        self.put(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
            "metadata": {"name": name, "uid": format!("uid-{name}"),
                "finalizers": ["networking.k8s.io/service-cidr-finalizer"]},
            "spec": {"cidrs": ["10.96.0.0/24"]}}),
        );
        if let Some(ms) = release_after_ms {
            self.release_at.insert(
                (Kind::ServiceCIDR, String::new(), name.to_string()),
                NOW + ms,
            );
        }
    }

    fn key(kind: Kind, ns: &str, name: &str) -> (Kind, String, String) {
        let kind = store_kind(kind);
        let ns = if kind.info().namespaced { ns } else { "" };
        (kind, ns.to_string(), name.to_string())
    }

    fn not_found(kind: Kind, name: &str) -> ApiError {
        let i = kind.info();
        ApiError::not_found(i.plural, i.group, name)
    }

    fn admit(&mut self, mut obj: Value, ns: &str) -> Result<(Kind, Value), ApiError> {
        if let Some(e) = &self.fail_writes {
            return Err(e.clone());
        }
        let kind = Kind::from_object(
            obj["apiVersion"].as_str().unwrap_or(""),
            obj["kind"].as_str().unwrap_or(""),
        )
        .ok_or_else(|| ApiError::bad_request("unknown kind"))?;
        let i = kind.info();
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if kind == Kind::ServiceCIDR {
            let first = obj
                .pointer("/spec/cidrs/0")
                .and_then(Value::as_str)
                .unwrap_or("");
            if first == "garbage" {
                return Err(ApiError::invalid(
                    "ServiceCIDR",
                    "networking.k8s.io",
                    &name,
                    &[FieldError::invalid(
                        "spec.cidrs[0]",
                        "garbage",
                        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                    )],
                ));
            }
        }
        obj["apiVersion"] = json!(kind.api_version());
        if i.namespaced {
            let ns = if ns.is_empty() {
                obj.pointer("/metadata/namespace")
                    .and_then(Value::as_str)
                    .unwrap_or("default")
                    .to_string()
            } else {
                ns.to_string()
            };
            obj["metadata"]["namespace"] = json!(ns);
        } else if let Some(m) = obj["metadata"].as_object_mut() {
            m.remove("namespace");
        }
        Ok((kind, obj))
    }
}

impl Api for Fake {
    fn get(&mut self, kind: Kind, ns: &str, name: &str) -> Result<Value, ApiError> {
        self.objs
            .get(&Fake::key(kind, ns, name))
            .map(|o| present(kind, o))
            .ok_or_else(|| Fake::not_found(kind, name))
    }

    fn list(&mut self, kind: Kind, ns: Option<&str>) -> Result<Vec<Value>, ApiError> {
        let k = store_kind(kind);
        Ok(self
            .objs
            .iter()
            .filter(|((kk, n, _), _)| {
                *kk == k && (!k.info().namespaced || ns.is_none_or(|x| x == n))
            })
            .map(|(_, v)| present(kind, v))
            .collect())
    }

    /// A Table built by the apiserver's own printers over the fake's objects.
    fn table(
        &mut self,
        kind: Kind,
        ns: Option<&str>,
        name: Option<&str>,
        label_selector: &str,
        field_selector: &str,
        whole_objects: bool,
    ) -> Result<crate::table::Table, ApiError> {
        let objs = match name {
            Some(n) => vec![self.get(kind, ns.unwrap_or(""), n)?],
            None => self.list_selected(kind, ns, label_selector, field_selector)?,
        };
        let rv = self.rv.to_string();
        let include = if whole_objects {
            servicecidr_apiserver::tables::IncludeObject::Object
        } else {
            servicecidr_apiserver::tables::IncludeObject::Metadata
        };
        let table = servicecidr_apiserver::tables::table_with(
            super::render::printer(kind),
            "v1",
            &objs,
            self.now,
            name.is_none().then_some(rv.as_str()),
            true,
            include,
        );
        Ok(crate::table::Table::from_value(&table, whole_objects))
    }

    fn create(&mut self, obj: Value, dry_run: bool, ns: &str) -> Result<Value, ApiError> {
        let (kind, mut obj) = self.admit(obj, ns)?;
        let i = kind.info();
        let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
        if name.starts_with("full") {
            return Err(ApiError::internal(
                "failed to allocate a serviceIP: range is full",
            ));
        }
        let ns = obj
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if self.objs.contains_key(&Fake::key(kind, &ns, &name)) {
            return Err(ApiError::already_exists(i.plural, i.group, &name));
        }
        self.rv += 1;
        obj["metadata"]["uid"] = json!(format!("uid-{}", self.rv));
        obj["metadata"]["resourceVersion"] = json!(self.rv.to_string());
        obj["metadata"]["creationTimestamp"] = json!(format_rfc3339(self.now / 1000));
        if kind == Kind::Service {
            let ip = format!("10.96.0.{}", self.next_ip);
            if obj.pointer("/spec/clusterIP").and_then(Value::as_str) != Some("None") {
                obj["spec"]["clusterIP"] = json!(ip);
                obj["spec"]["clusterIPs"] = json!([ip]);
            }
            obj["spec"]["ipFamilies"] = json!(["IPv4"]);
            obj["spec"]["ipFamilyPolicy"] = json!("SingleStack");
            obj["spec"]["sessionAffinity"] = json!("None");
            obj["spec"]["internalTrafficPolicy"] = json!("Cluster");
            if obj.pointer("/spec/type").is_none() {
                obj["spec"]["type"] = json!("ClusterIP");
            }
            obj["status"] = json!({"loadBalancer": {}});
        }
        if !dry_run {
            if kind == Kind::Service {
                self.next_ip += 1;
            }
            self.objs.insert(Fake::key(kind, &ns, &name), obj.clone());
        }
        Ok(obj)
    }

    fn apply(&mut self, obj: Value, dry_run: bool, ns: &str) -> Result<(Value, Applied), ApiError> {
        let (kind, mut obj) = self.admit(obj, ns)?;
        let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
        let ns = obj
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mut manifest = obj.clone();
        if let Some(m) = manifest["metadata"].as_object_mut() {
            m.insert("annotations".into(), json!({}));
        }
        let last = serde_json::to_string(&manifest).unwrap_or_default() + "\n";
        obj["metadata"]["annotations"] =
            json!({"kubectl.kubernetes.io/last-applied-configuration": last});
        match self.objs.get(&Fake::key(kind, &ns, &name)).cloned() {
            None => self
                .create(obj, dry_run, &ns)
                .map(|v| (v, Applied::Created)),
            Some(mut live) => {
                if live.get("spec") == obj.get("spec")
                    && live.pointer("/metadata/annotations") == obj.pointer("/metadata/annotations")
                {
                    return Ok((live, Applied::Unchanged));
                }
                live["spec"] = obj["spec"].clone();
                live["metadata"]["annotations"] = obj["metadata"]["annotations"].clone();
                if !dry_run {
                    self.objs.insert(Fake::key(kind, &ns, &name), live.clone());
                }
                Ok((live, Applied::Configured))
            }
        }
    }

    fn delete(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let key = Fake::key(kind, ns, name);
        let mut obj = self
            .objs
            .get(&key)
            .cloned()
            .ok_or_else(|| Fake::not_found(kind, name))?;
        if dry_run {
            return Ok(obj);
        }
        let has_finalizers = obj
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        if has_finalizers {
            if obj.pointer("/metadata/deletionTimestamp").is_none() {
                obj["metadata"]["deletionTimestamp"] = json!(format_rfc3339(self.now / 1000));
                obj["metadata"]["deletionGracePeriodSeconds"] = json!(0);
                self.objs.insert(key, obj.clone());
            }
        } else {
            self.objs.remove(&key);
        }
        Ok(obj)
    }

    /// The apiserver's own patch code over the stored object (no admission).
    fn patch(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        _status: bool,
        content_type: &str,
        body: &[u8],
        query: &str,
    ) -> Result<Value, ApiError> {
        use servicecidr_apiserver::patch::{self, PatchType};
        if let Some(e) = &self.fail_writes {
            return Err(e.clone());
        }
        let current = self.get(kind, ns, name)?;
        let schema =
            servicecidr_apiserver::schema::lookup(&kind.api_version(), kind.info().kind_name);
        let pt = PatchType::from_content_type(content_type)
            .ok_or_else(|| patch::unsupported_media_type(schema))?;
        let patched = patch::apply(pt, schema, &current, body)?;
        if !query.contains("dryRun=All") {
            self.put(patched.clone());
        }
        Ok(patched)
    }

    /// The fake serves no documents outside the resources.
    fn get_path(&mut self, _path: &str) -> Result<Value, ApiError> {
        Err(ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ))
    }

    fn now_ms(&self) -> i64 {
        self.now
    }

    fn advance_ms(&mut self, ms: i64) {
        self.now += ms.max(0);
        let due: Vec<_> = self
            .release_at
            .iter()
            .filter(|(_, t)| **t <= self.now)
            .map(|(k, _)| k.clone())
            .collect();
        for k in due {
            self.release_at.remove(&k);
            if let Some(o) = self.objs.get_mut(&k) {
                o["metadata"]["finalizers"] = json!([]);
                if o.pointer("/metadata/deletionTimestamp").is_some() {
                    self.objs.remove(&k);
                }
            }
        }
    }

    fn next_due_ms(&self) -> Option<i64> {
        if self.always_due {
            return Some(self.now);
        }
        self.release_at.values().copied().min()
    }
}

/// A ServiceCIDR manifest for `-f -`: `name` over 10.96.0.0/24.
pub fn cidr(name: &str) -> String {
    format!("apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: {name}\nspec:\n  cidrs:\n  - 10.96.0.0/24\n")
}

/// Runs a command line against a fake.
pub fn kubectl(f: &mut Fake, line: &str, stdin: &str) -> crate::output::CommandOutput {
    let args = super::args::split_words(line).unwrap_or_default();
    let args: Vec<String> = match args.first().map(String::as_str) {
        Some("kubectl") => args[1..].to_vec(),
        _ => args,
    };
    super::run(f, &args, stdin)
}
