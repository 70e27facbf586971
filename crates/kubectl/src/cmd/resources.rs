//! What the kubectl client sees through discovery: the resource types this
//! apiserver serves, how a typed name (`svc`, `servicecidrs.networking.k8s.io`,
//! `Service`, `ev`) resolves to one, and the `TYPE NAME…` / `TYPE/NAME`
//! argument forms of kubectl's resource builder.
//!
//! Events are served twice, as a real apiserver does: core `v1` events (what
//! `kubectl get events` picks, since the core group has priority) and
//! `events.k8s.io/v1` events; both views show the same stored Events.

use super::errors::CmdError;
use servicecidr_core::model::{Resource, RESOURCES};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    ConfigMap,
    CoreEvent,
    Service,
    Event,
    IPAddress,
    ServiceCIDR,
    ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding,
}

/// Discovery facts of one resource (what `kubectl api-resources` lists).
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    pub kind: Kind,
    pub kind_name: &'static str,
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
    pub categories: &'static [&'static str],
    /// The name the simulated cluster's API takes for this resource.
    pub cluster_resource: &'static str,
}

pub const VERBS: &str = "create,delete,deletecollection,get,list,patch,update,watch";

/// A kind as the apiserver model (`servicecidr_core::model::RESOURCES`) describes it, with
/// the kubectl-only `categories`. The simulated cluster's API takes the plural
/// as the resource name.
const fn served(kind: Kind, resource: Resource, categories: &'static [&'static str]) -> KindInfo {
    // RESOURCES lists every Resource once, in declaration order (as Resource::info
    // relies on); a wrong index fails the build, not a request.
    let r = &RESOURCES[resource as usize];
    KindInfo {
        kind,
        kind_name: r.kind,
        group: r.group,
        version: r.version,
        plural: r.plural,
        singular: r.singular,
        short_names: r.short_names,
        namespaced: r.namespaced,
        categories,
        cluster_resource: r.plural,
    }
}

/// In `kubectl api-resources` order: by group (core first), then by name.
pub const KINDS: &[KindInfo] = &[
    served(Kind::ConfigMap, Resource::ConfigMaps, &[]),
    // The core-group view of the stored events.k8s.io Events.
    KindInfo {
        group: "",
        ..served(Kind::CoreEvent, Resource::Events, &[])
    },
    served(Kind::Service, Resource::Services, &["all"]),
    served(Kind::Event, Resource::Events, &[]),
    served(Kind::IPAddress, Resource::IPAddresses, &[]),
    served(Kind::ServiceCIDR, Resource::ServiceCIDRs, &[]),
    // admissionregistration.k8s.io's group priority (16700) is below
    // networking.k8s.io's (17200), so discovery lists it last.
    served(
        Kind::ValidatingAdmissionPolicy,
        Resource::ValidatingAdmissionPolicies,
        &["api-extensions"],
    ),
    served(
        Kind::ValidatingAdmissionPolicyBinding,
        Resource::ValidatingAdmissionPolicyBindings,
        &["api-extensions"],
    ),
];

impl Kind {
    pub fn info(self) -> &'static KindInfo {
        // KINDS lists every variant once, in declaration order.
        &KINDS[self as usize]
    }

    /// `servicecidrs.networking.k8s.io` / `services`: how errors name the resource.
    pub fn group_resource(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.plural.to_string()
        } else {
            format!("{}.{}", i.plural, i.group)
        }
    }

    /// `servicecidr.networking.k8s.io` / `service`: the prefix of `-o name` and of
    /// created/deleted lines (lower-cased kind plus group).
    pub fn kind_prefix(self) -> String {
        let i = self.info();
        let k = i.kind_name.to_ascii_lowercase();
        if i.group.is_empty() {
            k
        } else {
            format!("{k}.{}", i.group)
        }
    }

    /// How the apiserver serves this kind (for its selectors and printers).
    pub fn storage(self) -> servicecidr_apiserver::served::Storage {
        use servicecidr_apiserver::served::Storage;
        match self {
            Kind::CoreEvent => Storage::CoreEvents,
            Kind::Event => Storage::Core(Resource::Events),
            Kind::Service => Storage::Core(Resource::Services),
            Kind::ServiceCIDR => Storage::Core(Resource::ServiceCIDRs),
            Kind::IPAddress => Storage::Core(Resource::IPAddresses),
            Kind::ConfigMap => Storage::Core(Resource::ConfigMaps),
            Kind::ValidatingAdmissionPolicy => Storage::Core(Resource::ValidatingAdmissionPolicies),
            Kind::ValidatingAdmissionPolicyBinding => {
                Storage::Core(Resource::ValidatingAdmissionPolicyBindings)
            }
        }
    }

    pub fn api_version(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.version.to_string()
        } else {
            format!("{}/{}", i.group, i.version)
        }
    }

    /// The kind an object of this apiVersion/kind is, if this apiserver serves it.
    /// Older manifests may still say networking.k8s.io/v1beta1.
    pub fn from_object(api_version: &str, kind: &str) -> Option<Kind> {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        KINDS
            .iter()
            .find(|k| {
                k.kind_name == kind
                    && k.group == group
                    && (version == k.version
                        || (group == "networking.k8s.io" && version == "v1beta1"))
            })
            .map(|k| k.kind)
    }
}

/// The outcome of resolving a typed resource name.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub kind: Kind,
    /// kubectl's warning when a short name also matches a lower-priority resource.
    pub warning: Option<String>,
}

/// Resolves what a user typed (plural, singular, short name, kind, optionally
/// `.group` or `.version.group` qualified) the way kubectl's shortcut expander and
/// REST mapper do: exact names first, core group before others, then short names.
pub fn resolve(input: &str) -> Result<Resolved, CmdError> {
    let lower = input.to_ascii_lowercase();
    // kubectl names the resource part of its ParseGroupResource reading (what
    // precedes the first dot), as typed: "foos.networking.k8s.io" -> "foos".
    let not_found = || {
        let resource = input.split('.').next().unwrap_or(input);
        CmdError::Client(format!(
            "the server doesn't have a resource type {resource:?}"
        ))
    };
    if lower.is_empty() {
        return Err(not_found());
    }
    // Candidate (resource, group, version) readings of the argument.
    let mut readings: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    match lower.split_once('.') {
        None => readings.push((lower.clone(), None, None)),
        Some((res, rest)) => {
            if let Some((ver, grp)) = rest.split_once('.') {
                readings.push((
                    res.to_string(),
                    Some(grp.to_string()),
                    Some(ver.to_string()),
                ));
            }
            readings.push((res.to_string(), Some(rest.to_string()), None));
        }
    }
    for (res, group, version) in &readings {
        let group_ok = |k: &KindInfo| match group {
            None => true,
            Some(g) => g == k.group,
        };
        let version_ok = |k: &KindInfo| match version {
            None => true,
            Some(v) => v == k.version,
        };
        // Full names and kinds (core first: KINDS is in priority order).
        if let Some(k) = KINDS.iter().find(|k| {
            group_ok(k)
                && version_ok(k)
                && (res == k.plural
                    || res == k.singular
                    || *res == k.kind_name.to_ascii_lowercase())
        }) {
            return Ok(Resolved {
                kind: k.kind,
                warning: None,
            });
        }
        // Short names; another resource answering to the same one earns a warning.
        let matches: Vec<&KindInfo> = KINDS
            .iter()
            .filter(|k| group_ok(k) && version_ok(k) && k.short_names.contains(&res.as_str()))
            .collect();
        if let Some(first) = matches.first() {
            let warning = matches.get(1).map(|other| {
                let gr = if other.group.is_empty() {
                    other.plural.to_string()
                } else {
                    format!("{}.{}", other.plural, other.group)
                };
                format!("Warning: short name {res:?} could also match lower priority resource {gr}")
            });
            return Ok(Resolved {
                kind: first.kind,
                warning,
            });
        }
    }
    Err(not_found())
}

/// One thing a command was asked about: a type, with a name or (None) all of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub kind: Kind,
    pub name: Option<String>,
}

/// The builder's reading of `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…` arguments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourceArgs {
    pub targets: Vec<Target>,
    pub warnings: Vec<String>,
    /// True when the user named exactly one object of one type (kubectl prints
    /// that object itself rather than a List for -o json/yaml).
    pub single_item: bool,
    /// How many distinct types were asked for.
    pub type_count: usize,
}

pub const MIXED_FORMS: &str = "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

pub fn parse_resource_args(args: &[String]) -> Result<ResourceArgs, CmdError> {
    let mut out = ResourceArgs::default();
    let slashed = args.iter().filter(|a| a.contains('/')).count();
    let mut kinds_seen: Vec<Kind> = Vec::new();
    let note_kind = |k: Kind, seen: &mut Vec<Kind>| {
        if !seen.contains(&k) {
            seen.push(k);
        }
    };
    if slashed > 0 {
        if slashed != args.len() {
            return Err(CmdError::Client(MIXED_FORMS.to_string()));
        }
        for a in args {
            let parts: Vec<&str> = a.split('/').collect();
            if parts.len() != 2 || parts[0].is_empty() || parts[1].is_empty() {
                return Err(CmdError::Client(
                    "arguments in resource/name form must have a single resource and name"
                        .to_string(),
                ));
            }
            let r = resolve(parts[0])?;
            if let Some(w) = r.warning {
                if !out.warnings.contains(&w) {
                    out.warnings.push(w);
                }
            }
            note_kind(r.kind, &mut kinds_seen);
            out.targets.push(Target {
                kind: r.kind,
                name: Some(parts[1].to_string()),
            });
        }
        out.single_item = out.targets.len() == 1;
        out.type_count = kinds_seen.len();
        return Ok(out);
    }
    let Some((types, names)) = args.split_first() else {
        return Ok(out);
    };
    let mut kinds = Vec::new();
    for t in types.split(',').filter(|t| !t.is_empty()) {
        // The builder's ReplaceAliases: a discovery category (`all`,
        // `api-extensions`) stands for its resources, in discovery order.
        let in_category: Vec<Kind> = KINDS
            .iter()
            .filter(|k| k.categories.contains(&t))
            .map(|k| k.kind)
            .collect();
        if !in_category.is_empty() {
            for k in in_category {
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
            continue;
        }
        let r = resolve(t)?;
        if let Some(w) = r.warning {
            if !out.warnings.contains(&w) {
                out.warnings.push(w);
            }
        }
        if !kinds.contains(&r.kind) {
            kinds.push(r.kind);
        }
    }
    if kinds.is_empty() {
        return Err(resolve("").err().unwrap_or(CmdError::Client(String::new())));
    }
    for k in &kinds {
        note_kind(*k, &mut kinds_seen);
        if names.is_empty() {
            out.targets.push(Target {
                kind: *k,
                name: None,
            });
        } else {
            for n in names {
                out.targets.push(Target {
                    kind: *k,
                    name: Some(n.clone()),
                });
            }
        }
    }
    out.single_item = kinds.len() == 1 && names.len() == 1;
    out.type_count = kinds_seen.len();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn names_resolve_like_kubectl() {
        for (typed, kind) in [
            ("svc", Kind::Service),
            ("service", Kind::Service),
            ("Services", Kind::Service),
            ("servicecidr", Kind::ServiceCIDR),
            ("ServiceCIDR", Kind::ServiceCIDR),
            ("servicecidrs.networking.k8s.io", Kind::ServiceCIDR),
            ("servicecidrs.v1.networking.k8s.io", Kind::ServiceCIDR),
            ("ip", Kind::IPAddress),
            ("ipaddress", Kind::IPAddress),
            ("ipaddresses", Kind::IPAddress),
            ("events", Kind::CoreEvent),
            ("event", Kind::CoreEvent),
            ("events.events.k8s.io", Kind::Event),
        ] {
            let r = resolve(typed).unwrap();
            assert_eq!(r.kind, kind, "{typed}");
            assert_eq!(r.warning, None, "{typed}");
        }
    }

    #[test]
    fn ambiguous_short_name_warns() {
        let r = resolve("ev").unwrap();
        assert_eq!(r.kind, Kind::CoreEvent);
        assert_eq!(
            r.warning.as_deref(),
            Some("Warning: short name \"ev\" could also match lower priority resource events.events.k8s.io")
        );
    }

    #[test]
    fn unknown_type() {
        assert_eq!(
            resolve("widgets"),
            Err(CmdError::Client(
                "the server doesn't have a resource type \"widgets\"".into()
            ))
        );
        assert!(resolve("servicecidrs.apps").is_err());
    }

    /// kubectl 1.33 over HTTP: `get foos.networking.k8s.io` and `get ipaddress.v1beta1.networking.k8s.io`
    /// (not served on 1.37) name only the resource part, as typed.
    #[test]
    fn unknown_qualified_type_names_the_resource_part() {
        for (arg, named) in [
            ("foos.networking.k8s.io", "foos"),
            ("ipaddress.v1beta1.networking.k8s.io", "ipaddress"),
            ("Foo.Bar.baz", "Foo"),
            ("servicecidr.v1", "servicecidr"),
        ] {
            let msg = format!("the server doesn't have a resource type {named:?}");
            assert_eq!(
                resolve(arg).map(|r| r.kind),
                Err(CmdError::Client(msg)),
                "{arg}"
            );
        }
    }

    #[test]
    fn argument_forms() {
        let a = parse_resource_args(&s(&["servicecidr", "a", "b"])).unwrap();
        assert_eq!(a.targets.len(), 2);
        assert!(!a.single_item);
        let a = parse_resource_args(&s(&["svc/kubernetes", "servicecidr/kubernetes"])).unwrap();
        assert_eq!(a.targets[0].kind, Kind::Service);
        assert_eq!(a.targets[1].kind, Kind::ServiceCIDR);
        assert_eq!(a.type_count, 2);
        let a = parse_resource_args(&s(&["servicecidr,svc"])).unwrap();
        assert_eq!(a.targets.len(), 2);
        assert!(a.targets.iter().all(|t| t.name.is_none()));
        let a = parse_resource_args(&s(&["ip", "10.96.0.1"])).unwrap();
        assert!(a.single_item);
        assert_eq!(
            parse_resource_args(&s(&["servicecidr/x", "nope"])),
            Err(CmdError::Client(MIXED_FORMS.into()))
        );
        assert!(parse_resource_args(&s(&["servicecidr/"])).is_err());
    }

    #[test]
    fn object_kinds() {
        assert_eq!(
            Kind::from_object("networking.k8s.io/v1beta1", "ServiceCIDR"),
            Some(Kind::ServiceCIDR)
        );
        assert_eq!(Kind::from_object("v1", "Service"), Some(Kind::Service));
        assert_eq!(Kind::from_object("apps/v1", "Deployment"), None);
        assert_eq!(
            Kind::ServiceCIDR.kind_prefix(),
            "servicecidr.networking.k8s.io"
        );
        assert_eq!(Kind::Service.group_resource(), "services");
    }
}
