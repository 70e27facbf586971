//! The Service REST storage's allocation flow (pkg/registry/core/service/storage
//! alloc.go): family defaulting, ClusterIP allocation on create, upgrade and
//! downgrade on update, release after delete.
//!
//! Allocation is planned first and written only when every check has passed,
//! so a failed request leaves no IPAddress behind. Upstream differs in one
//! corner: when the second family of a dual-stack create fails, it does not
//! release the first family's fresh IPAddress (the repair loop deletes it after
//! 60 s). Here nothing leaks; the trace says what upstream would have left.

use super::crud::decode;
use super::trace::PendingTrace;
use super::{Answer, Cluster, Operation, UserInfo, WriteOptions};
use crate::allocator::AllocError;
use crate::model::ipaddress::{IPALLOCATOR_CONTROLLER_NAME, LABEL_IP_FAMILY, LABEL_MANAGED_BY};
use crate::model::service::CLUSTER_IP_NONE;
use crate::model::{ApiError, FieldError, IPAddress, ParentReference, Resource, Service, Time};
use crate::net::{parse_service_ip, Addr, Family};
use crate::validation;
use serde_json::{json, Value};

/// NodePort range (kube-apiserver --service-node-port-range default).
pub const NODE_PORT_MIN: i32 = 30000;
pub const NODE_PORT_MAX: i32 = 32767;

/// The ports of the NodePort range a stored Service holds.
fn held_node_ports(s: &Service) -> Vec<i32> {
    let mut v: Vec<i32> = s.spec.ports.iter().filter_map(|p| p.node_port).collect();
    if let Ok(hc) = i32::try_from(validation::health_check_node_port(s)) {
        if hc != 0 {
            v.push(hc);
        }
    }
    v
}

fn not_in_range() -> String {
    format!("provided port is not in the valid range. The range of valid ports is {NODE_PORT_MIN}-{NODE_PORT_MAX}")
}

/// Whether a Service of this shape carries ClusterIPs (not ExternalName, not headless).
fn needs_cluster_ip(svc: &Service) -> bool {
    !svc.is_external_name() && !svc.is_headless()
}

impl Cluster {
    pub(crate) fn families(&self) -> Vec<Family> {
        self.config.families()
    }

    /// An IPAddress as the allocator writes it.
    pub(crate) fn allocator_ip_address(&self, addr: Addr, ns: &str, name: &str) -> IPAddress {
        let mut ip = IPAddress {
            api_version: Resource::IPAddresses.api_version(),
            kind: "IPAddress".into(),
            ..Default::default()
        };
        ip.metadata.name = addr.to_string();
        ip.metadata
            .labels
            .insert(LABEL_IP_FAMILY.into(), addr.family.as_str().into());
        ip.metadata
            .labels
            .insert(LABEL_MANAGED_BY.into(), IPALLOCATOR_CONTROLLER_NAME.into());
        ip.spec.parent_ref = Some(ParentReference::service(ns, name));
        ip
    }

    /// Writes the IPAddress objects of a successful allocation. The allocator
    /// creates them through kube-apiserver's loopback client, so each is a
    /// request of system:apiserver (admitted beforehand, [`Self::admit_planned_ips`]).
    pub(crate) fn commit_ip_addresses(&mut self, addrs: &[Addr], ns: &str, name: &str) {
        let user = UserInfo::apiserver();
        for a in addrs {
            let mut ip = self.allocator_ip_address(*a, ns, name);
            ip.metadata.uid = self.rng.uuid();
            ip.metadata.creation_timestamp = Some(Time::from_millis(self.clock.now_ms()));
            let ip_name = ip.metadata.name.clone();
            self.store_put_ip_address_only(ip);
            self.trace_request(
                &user,
                "create",
                Resource::IPAddresses,
                "",
                "",
                &ip_name,
                201,
            );
        }
    }

    /// Validating admission of the IPAddress creates an allocation will make,
    /// before anything is written. A refusal fails the Service write the way
    /// a failed IPAddress create fails upstream's allocator.
    fn admit_planned_ips(
        &mut self,
        addrs: &[Addr],
        ns: &str,
        name: &str,
        dry_run: bool,
    ) -> Result<(), ApiError> {
        if self.admission.is_none() {
            return Ok(());
        }
        let opts = WriteOptions {
            dry_run,
            user: UserInfo::apiserver(),
            ..Default::default()
        };
        // Warnings of these requests go to the loopback client, not to the user.
        let users_warnings = std::mem::take(&mut self.warnings);
        let result = self.admit_ips(addrs, ns, name, &opts);
        self.warnings = users_warnings;
        result
    }

    fn admit_ips(
        &mut self,
        addrs: &[Addr],
        ns: &str,
        name: &str,
        opts: &WriteOptions,
    ) -> Result<(), ApiError> {
        for a in addrs {
            let ip = self.allocator_ip_address(*a, ns, name);
            let ip_name = ip.metadata.name.clone();
            self.admit_write(
                Operation::Create,
                Resource::IPAddresses,
                "",
                opts,
                Some(&ip),
                None,
                "",
                &ip_name,
            )
            .map_err(|e| {
                ApiError::internal(format!("failed to allocate a serviceIP: {}", e.message))
            })?;
        }
        Ok(())
    }

    /// Plans ClusterIPs for every family slot that has none yet (or asks for a
    /// static one), filling `svc.spec.clusterIPs`. Returns the addresses to write.
    /// `keep` are IPs already held by the stored Service (update), never re-allocated.
    fn plan_cluster_ips(
        &mut self,
        svc: &mut Service,
        keep: &[String],
        dry_run: bool,
    ) -> Result<Vec<Addr>, ApiError> {
        let mut planned: Vec<Addr> = Vec::new();
        let families: Vec<String> = svc.spec.ip_families.clone();
        let mut ips = svc.spec.cluster_ips.clone();
        for (i, fam) in families.iter().enumerate() {
            let Some(family) = Family::parse(fam) else {
                continue;
            };
            let given = ips.get(i).cloned().unwrap_or_default();
            if !given.is_empty() && keep.contains(&given) {
                continue;
            }
            let Some(meta) = self.allocators.get(&family) else {
                continue;
            };
            let taken = self.taken.set(family);
            if given.is_empty() {
                let pick = if dry_run {
                    // Server dry-run hands back some allocator's network address, checking nothing.
                    meta.dry_run_address().ok_or(AllocError::Full)
                } else {
                    let quirks = self.release.allocator_quirks();
                    match meta
                        .allocate_next_service_with(taken, &mut self.rng, quirks)
                        .0
                    {
                        Ok(p) => {
                            self.trace_buffer.push(PendingTrace::Pick {
                                namespace: svc.metadata.namespace.clone(),
                                name: svc.metadata.name.clone(),
                                pick: p,
                            });
                            Ok(p.addr)
                        }
                        Err(e) => Err(e),
                    }
                };
                match pick {
                    Ok(addr) => {
                        if ips.len() <= i {
                            ips.resize(i + 1, String::new());
                        }
                        ips[i] = addr.to_string();
                        if !dry_run {
                            planned.push(addr);
                        }
                    }
                    Err(e) => {
                        return Err(ApiError::internal(format!(
                            "failed to allocate a serviceIP: {e}"
                        )));
                    }
                }
            } else {
                // Validation reports strings that are not IPs; only real addresses reach the
                // allocator, as net.IP sees them (`::ffff:10.96.0.3` is 10.96.0.3, IPv4).
                let Some(addr) = parse_service_ip(&given) else {
                    continue;
                };
                if addr.family != family {
                    continue;
                }
                let result = if planned.contains(&addr) {
                    Err(AllocError::Allocated)
                } else {
                    meta.allocate_service(addr, taken).map(|_| ())
                };
                if let Err(e) = result {
                    let err = FieldError::invalid(
                        "spec.clusterIPs",
                        json!(svc.spec.cluster_ips),
                        // alloc.go prints the parsed net.IP, not the string as given.
                        format!("failed to allocate IP {addr}: {e}"),
                    );
                    return Err(self.invalid("Service", "", &svc.metadata.name, &[err]));
                }
                self.trace_buffer.push(PendingTrace::Text(format!(
                    "{}/{}: static {addr} accepted",
                    svc.metadata.namespace, svc.metadata.name
                )));
                if !dry_run {
                    planned.push(addr);
                }
            }
        }
        svc.spec.cluster_ips = ips;
        if let Some(first) = svc.spec.cluster_ips.first() {
            svc.spec.cluster_ip = first.clone();
        }
        Ok(planned)
    }

    /// NodePorts for NodePort/LoadBalancer Services and the healthCheckNodePort
    /// of a LoadBalancer with externalTrafficPolicy Local: static ones are
    /// checked, missing ones drawn at random from the range (portallocator
    /// semantics). Ports the stored Service already holds stay its own.
    fn plan_node_ports(
        &mut self,
        svc: &mut Service,
        old: Option<&Service>,
    ) -> Result<(), ApiError> {
        let t = svc.type_or_default();
        let wants_ports = (t == "NodePort" || t == "LoadBalancer")
            && !(svc.spec.allocate_load_balancer_node_ports == Some(false) && t == "LoadBalancer");
        let wants_hc = validation::needs_health_check(svc);
        if !wants_ports && !wants_hc {
            return Ok(());
        }
        // Every port another Service holds, node ports and health-check ports alike
        // (they share one portallocator).
        let mut used: std::collections::BTreeSet<i32> = self
            .store
            .services_iter()
            .filter(|s| {
                !(s.metadata.namespace == svc.metadata.namespace
                    && s.metadata.name == svc.metadata.name)
            })
            .flat_map(held_node_ports)
            .collect();
        let old_ports: Vec<i32> = old.map(held_node_ports).unwrap_or_default();
        if wants_ports {
            let mut errs = Vec::new();
            for (i, p) in svc.spec.ports.iter_mut().enumerate() {
                match p.node_port {
                    Some(np) if np != 0 => {
                        if old_ports.contains(&np) {
                            used.insert(np);
                            continue;
                        }
                        if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&np) {
                            errs.push(FieldError::invalid(
                                format!("spec.ports[{i}].nodePort"),
                                json!(np),
                                not_in_range(),
                            ));
                        } else if !used.insert(np) {
                            errs.push(FieldError::invalid(
                                format!("spec.ports[{i}].nodePort"),
                                json!(np),
                                "provided port is already allocated",
                            ));
                        }
                    }
                    _ => {
                        let np = self.next_free_node_port(&used)?;
                        used.insert(np);
                        p.node_port = Some(np);
                    }
                }
            }
            if !errs.is_empty() {
                return Err(self.invalid("Service", "", &svc.metadata.name, &errs));
            }
        }
        if wants_hc {
            // alloc.go allocHealthCheckNodePort: a requested port is allocated as
            // is, a missing one drawn; either failure is an internal error.
            let hc = validation::health_check_node_port(svc);
            let kept = old.is_some_and(|o| validation::health_check_node_port(o) == hc);
            if hc != 0 && !kept {
                let hc32 = i32::try_from(hc).unwrap_or(-1);
                let problem = if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&hc32) {
                    Some(not_in_range())
                } else if used.contains(&hc32) {
                    Some("provided port is already allocated".to_string())
                } else {
                    None
                };
                if let Some(problem) = problem {
                    return Err(ApiError::internal(format!(
                        "failed to allocate requested HealthCheck NodePort {hc}: {problem}"
                    )));
                }
            } else if hc == 0 {
                let np = self.next_free_node_port(&used)?;
                svc.spec
                    .extra
                    .insert("healthCheckNodePort".into(), json!(np));
            }
        }
        Ok(())
    }

    /// portallocator.AllocateNext: a random start, then the next free port.
    fn next_free_node_port(
        &mut self,
        used: &std::collections::BTreeSet<i32>,
    ) -> Result<i32, ApiError> {
        let size = (NODE_PORT_MAX - NODE_PORT_MIN + 1) as u64;
        let start = self.rng.below_u64(size) as i32;
        (0..size as i32)
            .map(|k| NODE_PORT_MIN + (start + k) % size as i32)
            .find(|c| !used.contains(c))
            .ok_or_else(|| ApiError::internal("failed to allocate a nodePort: range is full"))
    }

    pub(crate) fn create_service(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Answer, ApiError> {
        let ns = self.service_namespace(&obj, opts)?;
        let mut svc: Service = decode(obj, "Service", "v1")?;
        svc.api_version = "v1".into();
        svc.kind = "Service".into();
        svc.metadata.namespace = ns.clone();
        self.fill_create_meta(&mut svc.metadata)?;
        self.generate_name(&mut svc.metadata);
        validation::default_service(&mut svc);
        validation::normalize_cluster_ips(&mut svc, None);
        self.trace_buffer.clear();
        // BeginCreate (allocation) runs before the strategy's validation, as in the
        // generic registry; its errors therefore win over validation errors.
        let planned = if svc.is_external_name() {
            Vec::new()
        } else {
            let errs = validation::init_ip_family_fields_in(
                &mut svc,
                None,
                &self.families(),
                &self.release,
            );
            if !errs.is_empty() {
                return Err(self.invalid("Service", "", &svc.metadata.name, &errs));
            }
            if svc.is_headless() {
                Vec::new()
            } else {
                self.plan_cluster_ips(&mut svc, &[], opts.dry_run)?
            }
        };
        self.admit_planned_ips(&planned, &ns, &svc.metadata.name, opts.dry_run)?;
        self.plan_node_ports(&mut svc, None)?;
        let errs = validation::validate_service_in(&svc, &self.release);
        if !errs.is_empty() {
            return Err(self.invalid("Service", "", &svc.metadata.name, &errs));
        }
        for w in validation::service_warnings(&svc, &self.release) {
            self.warn(w);
        }
        let name = svc.metadata.name.clone();
        self.admit_write(
            Operation::Create,
            Resource::Services,
            "",
            opts,
            Some(&svc),
            None,
            &ns,
            &name,
        )?;
        if self.store.service(&ns, &svc.metadata.name).is_some() {
            return Err(ApiError::already_exists("services", "", &svc.metadata.name));
        }
        if opts.dry_run {
            return serde_json::to_value(&svc)
                .map(Answer::Value)
                .map_err(ApiError::internal);
        }
        self.flush_trace_buffer();
        let name = svc.metadata.name.clone();
        self.commit_ip_addresses(&planned, &ns, &name);
        self.store_put_service_ref(svc);
        Ok(Answer::Service(ns, name))
    }

    pub(crate) fn update_service(
        &mut self,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let ns = self.service_namespace(&obj, opts)?;
        let mut svc: Service = decode(obj, "Service", "v1")?;
        svc.api_version = "v1".into();
        svc.kind = "Service".into();
        svc.metadata.namespace = ns.clone();
        let Some(old) = self.store.service(&ns, &svc.metadata.name).cloned() else {
            return Err(ApiError::not_found("services", "", &svc.metadata.name));
        };
        Self::check_rv(Resource::Services, &svc.metadata, &old.metadata)?;
        Self::carry_update_meta(&mut svc.metadata, &old.metadata);
        validation::default_service(&mut svc);
        validation::patch_allocated_values(&mut svc, &old);
        validation::normalize_cluster_ips(&mut svc, Some(&old));
        self.trace_buffer.clear();

        let mut planned = Vec::new();
        let mut release: Vec<String> = Vec::new();
        if svc.is_external_name() {
            // Leaving the ClusterIP world: everything the old Service held goes after the write.
            if needs_cluster_ip(&old) {
                release = old.spec.cluster_ips.clone();
            }
        } else {
            let errs = validation::init_ip_family_fields_in(
                &mut svc,
                Some(&old),
                &self.families(),
                &self.release,
            );
            if !errs.is_empty() {
                return Err(self.invalid("Service", "", &svc.metadata.name, &errs));
            }
            if !svc.is_headless() {
                let keep: Vec<String> = if needs_cluster_ip(&old) {
                    old.spec.cluster_ips.clone()
                } else {
                    Vec::new()
                };
                planned = self.plan_cluster_ips(&mut svc, &keep, opts.dry_run)?;
                // Dual → single: the old secondary is released after the write.
                for ip in &keep {
                    if !svc.spec.cluster_ips.contains(ip) {
                        release.push(ip.clone());
                    }
                }
            } else if needs_cluster_ip(&old) {
                release = old.spec.cluster_ips.clone();
            }
        }
        self.admit_planned_ips(&planned, &ns, &svc.metadata.name, opts.dry_run)?;
        validation::drop_type_dependent_fields(&mut svc, &old);
        self.plan_node_ports(&mut svc, Some(&old))?;
        let mut errs = validation::validate_common_update(&svc.metadata, &old.metadata, true);
        errs.extend(Self::finalizer_errors(&svc.metadata, &old.metadata));
        errs.extend(validation::validate_service_update_in(
            &svc,
            &old,
            &self.release,
        ));
        if !errs.is_empty() {
            return Err(self.invalid("Service", "", &svc.metadata.name, &errs));
        }
        for w in validation::service_warnings(&svc, &self.release) {
            self.warn(w);
        }
        let name = svc.metadata.name.clone();
        self.admit_write(
            Operation::Update,
            Resource::Services,
            "",
            opts,
            Some(&svc),
            Some(&old),
            &ns,
            &name,
        )?;
        svc.metadata.resource_version = old.metadata.resource_version.clone();
        if svc == old {
            return serde_json::to_value(&old).map_err(ApiError::internal);
        }
        if opts.dry_run {
            return serde_json::to_value(&svc).map_err(ApiError::internal);
        }
        self.flush_trace_buffer();
        let name = svc.metadata.name.clone();
        self.commit_ip_addresses(&planned, &ns, &name);
        if svc.metadata.deletion_timestamp.is_some() && svc.metadata.finalizers.is_empty() {
            let removed = self.store_remove_service(&ns, &name);
            if let Some(s) = &removed {
                self.release_service_ips(s, None);
            }
            return serde_json::to_value(removed.unwrap_or(svc)).map_err(ApiError::internal);
        }
        let stored = self.store_put_service(svc);
        if !release.is_empty() {
            self.release_service_ips(&stored, Some(&release));
        }
        serde_json::to_value(&stored).map_err(ApiError::internal)
    }

    /// Releases a Service's ClusterIPs (all, or only `only`): each goes back to an
    /// allocator whose prefix contains it; one no allocator contains stays behind
    /// (ErrMismatchedNetwork is ignored on this path) for the repair loop to collect.
    pub(crate) fn release_service_ips(&mut self, svc: &Service, only: Option<&[String]>) {
        if svc.is_external_name() && only.is_none() {
            return;
        }
        let ips: Vec<String> = match only {
            Some(list) => list.to_vec(),
            None => svc.spec.cluster_ips.clone(),
        };
        for ip in ips {
            if ip.is_empty() || ip == CLUSTER_IP_NONE {
                continue;
            }
            let Some(addr) = parse_service_ip(&ip) else {
                continue;
            };
            let target = self
                .allocators
                .get(&addr.family)
                .map(|m| m.release_target(addr));
            match target {
                Some(Ok(cidr)) => {
                    self.trace_push("allocator", format!("release {ip} ({cidr})"), Value::Null);
                    self.store_remove_ip_address(&addr.to_string());
                    let user = UserInfo::apiserver();
                    self.trace_request(
                        &user,
                        "delete",
                        Resource::IPAddresses,
                        "",
                        "",
                        &addr.to_string(),
                        200,
                    );
                }
                other => {
                    let e = match other {
                        Some(Err(e)) => e.to_string(),
                        _ => format!("{} is not configured on this cluster", addr.family),
                    };
                    self.trace_push(
                        "allocator",
                        format!("release {ip}: {e}; the IPAddress stays until the repair loop finds it leaked"),
                        Value::Null,
                    );
                }
            }
        }
    }
}
