//! Release emulation: what differs between the Kubernetes releases the
//! simulator models (1.29 to 1.37), as one profile the rest of the core reads.
//!
//! Every behaviour that changed between releases is one field of [`Release`];
//! the code at each seam (validation, allocator, controllers, bootstrap flag
//! checks, kubectl) asks the profile instead of comparing version numbers.
//! The profiles are built from a table: the first minor release is written out
//! in full, every later minor release is the previous one plus its changes, and
//! a patch release is its minor's `.0` plus the changes backported to it. So
//! adding 1.38 is one entry in [`MINOR_RELEASES`] listing what 1.38 changed.
//!
//! Each change names the upstream pull request it follows.

pub use crate::model::status::ValueStyle;
use crate::model::ApiError;
use std::fmt;

/// A Kubernetes release number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }
}

/// `1.33.11`, as users write it (the `/version` gitVersion adds a `v`).
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The API warning for a Service IP in a non-standard form (pkg/api/service/warnings.go).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpWarnings {
    /// Before PR #128786: netip's parse error (`IP address was accepted, but will
    /// be invalid in a future Kubernetes release: ParseAddr(…): …`); an
    /// IPv4-mapped address parses, so it draws no warning.
    NetipError,
    /// PR #128786 (1.33): `non-standard IP address "…" will be considered invalid
    /// in a future Kubernetes release: use "…"` for leading zeros and IPv4-mapped forms.
    NonStandard,
}

/// How the apiserver's default-ServiceCIDR controller treats a `kubernetes`
/// ServiceCIDR whose Ready condition is not True (reference §5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultCidrReadiness {
    /// 1.29–1.32: a Warning event copying the condition's reason and message on
    /// every 10 s sync (False or Unknown); Ready=True is written only when the
    /// condition is absent and the spec matches the flags; no Inconsistent event.
    CopyConditionEverySync,
    /// 1.33 (PR #131263): the not-ready event once, without a prefix.
    OnceUnprefixed,
    /// 1.34+ (refactor PR #131469): the event once, prefixed
    /// `Configuration matches, but `; Unknown counts as absent (Ready=True is applied).
    OncePrefixed,
}

/// One served version of `networking.k8s.io` for ServiceCIDR and IPAddress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServedVersion {
    pub version: &'static str,
    /// (major, minor) of APILifecycleDeprecated and APILifecycleRemoved from
    /// k8s.io/api's zz_generated.prerelease-lifecycle.go; the apiserver sends the
    /// deprecation warning from the deprecated release on.
    pub deprecated: Option<(u32, u32)>,
    pub removed: Option<(u32, u32)>,
}

const V1ALPHA1: ServedVersion = ServedVersion {
    version: "v1alpha1",
    deprecated: Some((1, 30)),
    removed: Some((1, 33)),
};
const V1BETA1: ServedVersion = ServedVersion {
    version: "v1beta1",
    deprecated: Some((1, 34)),
    removed: Some((1, 37)),
};
const V1: ServedVersion = ServedVersion {
    version: "v1",
    deprecated: None,
    removed: None,
};

/// Everything that differs between the modelled releases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    pub version: Version,
    // ----- API surface -----
    /// `networking.k8s.io` versions serving ServiceCIDR and IPAddress, preferred
    /// (returned and stored) first. The MultiCIDRServiceAllocator gate and the
    /// runtime-config for non-GA versions are taken as on in every release.
    pub networking_versions: &'static [ServedVersion],
    // ----- validation -----
    pub value_style: ValueStyle,
    /// StrictIPCIDRValidation (KEP-4858): legacy IP/CIDR fields (Service
    /// clusterIPs, externalIPs, loadBalancerSourceRanges) reject leading zeros,
    /// IPv4-mapped addresses and CIDRs with host bits set; an IP or CIDR the
    /// old object already had passes (ratcheting).
    pub strict_ip_cidr_validation: bool,
    pub ip_warnings: IpWarnings,
    /// ServiceCIDR spec.cidrs may grow from one to two entries keeping cidrs[0]
    /// (PR #131263); before, the field is wholly immutable.
    pub service_cidr_single_to_dual: bool,
    // ----- allocator -----
    /// DisableAllocatorDualWrite off: the legacy bitmap is still written, so
    /// --service-cluster-ip-range is capped at 2^20 addresses (/12, /108).
    pub allocator_dual_write: bool,
    /// The /64 bug (kubernetes#138374): the random offset of the dynamic scan is
    /// cast to int64, so offsets >= 2^63 start the scan below the prefix.
    pub ipv6_offset_wraps: bool,
    /// PR #135499: the dynamic scan and the MetaAllocator stop on an error other
    /// than already-exists / full / not-ready; before, every error was skipped.
    pub dynamic_scan_stops_on_error: bool,
    // ----- controllers -----
    /// The default-ServiceCIDR controller upgrades `kubernetes` from single- to
    /// dual-stack when the flags gain a secondary range (PR #131263).
    pub default_cidr_single_to_dual: bool,
    pub default_cidr_readiness: DefaultCidrReadiness,
    /// Repair: an IPAddress newer than its Service that the Service does not list
    /// waits this long before IPAddressWrongReference (PR #132906; 0 = no wait).
    pub wrong_reference_delay_ms: i64,
    /// Repair retries writes on Forbidden as well as Conflict (PR #137147).
    pub repair_retries_on_forbidden: bool,
    /// Repair re-checks a Service flipping between ExternalName and a
    /// ClusterIP type after this long (PR #135503; 0 = judged at once).
    pub external_name_flip_requeue_ms: i64,
    // ----- the in-box kubectl (same release as the server) -----
    /// `service "x" deleted from default namespace` (kubectl PR #126619).
    pub kubectl_delete_names_namespace: bool,
}

/// 1.29.0: v1alpha1 ServiceCIDR/IPAddress with the MultiCIDRServiceAllocator gate on.
const BASE: Release = Release {
    version: Version::new(1, 29, 0),
    networking_versions: &[V1ALPHA1],
    value_style: ValueStyle::GoSyntax,
    strict_ip_cidr_validation: false,
    ip_warnings: IpWarnings::NetipError,
    service_cidr_single_to_dual: false,
    allocator_dual_write: true,
    ipv6_offset_wraps: false,
    dynamic_scan_stops_on_error: false,
    default_cidr_single_to_dual: false,
    default_cidr_readiness: DefaultCidrReadiness::CopyConditionEverySync,
    wrong_reference_delay_ms: 0,
    repair_retries_on_forbidden: false,
    external_name_flip_requeue_ms: 0,
    kubectl_delete_names_namespace: false,
};

type Change = fn(&mut Release);

/// Minor releases after 1.29, each with what it changed over the previous one.
pub const MINOR_RELEASES: &[(u32, Change)] = &[
    // 1.30: same API and allocator as 1.29 (v1alpha1 now carries its deprecation warning).
    (30, |_| {}),
    // 1.31: networking.k8s.io/v1beta1 (KEP-1880 beta, PR #122047); v1alpha1 no
    // longer on by runtime-config default.
    (31, |r| r.networking_versions = &[V1BETA1]),
    (32, |_| {}),
    // 1.33: GA v1 (PR #128971); strict ServiceCIDR/IPAddress helpers and the new
    // Service IP warnings (PRs #122550, #128786); single -> dual ServiceCIDR
    // (PR #131263); the IPv6 /64 offset bug ships (fixed by PR #134193).
    (33, |r| {
        r.networking_versions = &[V1, V1BETA1];
        r.ip_warnings = IpWarnings::NonStandard;
        r.service_cidr_single_to_dual = true;
        r.default_cidr_single_to_dual = true;
        r.default_cidr_readiness = DefaultCidrReadiness::OnceUnprefixed;
        r.ipv6_offset_wraps = true;
    }),
    // 1.34: DisableAllocatorDualWrite GA (no bitmap); JSON field-error values
    // (apimachinery v0.34); default-ServiceCIDR controller refactor (PR #131469);
    // the 5 s IPAddressWrongReference wait (PR #132906); kubectl's delete line
    // names the namespace (PR #126619).
    (34, |r| {
        r.value_style = ValueStyle::Json;
        r.allocator_dual_write = false;
        r.default_cidr_readiness = DefaultCidrReadiness::OncePrefixed;
        r.wrong_reference_delay_ms = 5_000;
        r.kubectl_delete_names_namespace = true;
    }),
    // 1.35: /64 fix (PR #134193); stop-on-error allocation (PR #135499).
    (35, |r| {
        r.ipv6_offset_wraps = false;
        r.dynamic_scan_stops_on_error = true;
    }),
    // 1.36: StrictIPCIDRValidation beta, on (PR #137053); repair retries on
    // Forbidden (PR #137147); 1 s requeue on ExternalName flips (PR #135503).
    (36, |r| {
        r.strict_ip_cidr_validation = true;
        r.repair_retries_on_forbidden = true;
        r.external_name_flip_requeue_ms = 1_000;
    }),
    // 1.37: networking.k8s.io/v1beta1 removed (PR #139820).
    (37, |r| r.networking_versions = &[V1]),
];

/// Patch releases that changed something, each applied to its minor's .0.
pub const PATCH_RELEASES: &[(Version, Change)] = &[
    // Cherry-pick #133954 of PR #132906: the 5 s IPAddressWrongReference wait.
    (Version::new(1, 33, 6), |r| {
        r.wrong_reference_delay_ms = 5_000
    }),
    // Cherry-pick #137677 of PR #137147: repair retries on Forbidden.
    (Version::new(1, 33, 11), |r| {
        r.repair_retries_on_forbidden = true
    }),
    // Cherry-pick #138385 of PR #134193: the /64 fix.
    (Version::new(1, 34, 8), |r| r.ipv6_offset_wraps = false),
];

/// The release `new Cluster()` emulates without a `version` option.
pub const DEFAULT_VERSION: Version = Version::new(1, 37, 0);

fn minor_range() -> (u32, u32) {
    let last = MINOR_RELEASES
        .last()
        .map_or(BASE.version.minor, |(m, _)| *m);
    (BASE.version.minor, last)
}

impl Release {
    /// The profile of exactly `v` (a patch between two modelled patch entries
    /// behaves like the earlier entry). None outside the modelled minors.
    pub fn of(v: Version) -> Option<Release> {
        let (first, last) = minor_range();
        if v.major != 1 || v.minor < first || v.minor > last {
            return None;
        }
        let mut r = BASE.clone();
        for (minor, change) in MINOR_RELEASES {
            if *minor <= v.minor {
                change(&mut r);
            }
        }
        for (pv, change) in PATCH_RELEASES {
            if pv.minor == v.minor && pv.patch <= v.patch {
                change(&mut r);
            }
        }
        r.version = v;
        Some(r)
    }

    /// The newest modelled release (the default).
    pub fn newest() -> Release {
        // DEFAULT_VERSION is one of the table's minors (test `default_is_the_newest`).
        Release::of(DEFAULT_VERSION).unwrap_or(BASE)
    }

    /// Parses `1.33`, `1.33.11` or `v1.33.11`. A minor without a patch means the
    /// newest modelled patch of that minor (`1.34` = 1.34.8, `1.35` = 1.35.0).
    /// Anything else, or a release outside the model, is an error naming the
    /// modelled releases.
    pub fn parse(s: &str) -> Result<Release, ApiError> {
        let v = parse_version(s).ok_or_else(|| unknown_version(s))?;
        let v = match v {
            (major, minor, Some(patch)) => Version::new(major, minor, patch),
            (major, minor, None) => Version::new(major, minor, newest_modelled_patch(minor)),
        };
        Release::of(v).ok_or_else(|| unknown_version(s))
    }

    /// Every release with behaviour of its own: each minor's .0 and each patch
    /// entry, oldest first.
    pub fn modelled() -> Vec<Version> {
        let (first, last) = minor_range();
        let mut out: Vec<Version> = (first..=last).map(|m| Version::new(1, m, 0)).collect();
        out.extend(PATCH_RELEASES.iter().map(|(v, _)| *v));
        crate::sort::sort(&mut out);
        out
    }

    // ----- what the apiserver crate reads (/version, discovery) -----

    /// `/version`'s major, minor and gitVersion as kube-apiserver prints them
    /// (`"1"`, `"33"`, `"v1.33.11"`).
    pub fn version_info(&self) -> VersionInfo {
        VersionInfo {
            major: self.version.major.to_string(),
            minor: self.version.minor.to_string(),
            git_version: format!("v{}", self.version),
        }
    }

    /// The group-versions serving `resource` (a plural such as `servicecidrs`),
    /// preferred first; empty for a resource this simulator does not serve.
    pub fn served_group_versions(&self, resource: &str) -> Vec<String> {
        match resource {
            "services" | "configmaps" => vec!["v1".into()],
            "events" => vec!["events.k8s.io/v1".into()],
            // GA in 1.30 (v1beta1 only in 1.29 — not modelled: v1 throughout).
            "validatingadmissionpolicies" | "validatingadmissionpolicybindings" => {
                vec!["admissionregistration.k8s.io/v1".into()]
            }
            "servicecidrs" | "ipaddresses" => self
                .networking_versions
                .iter()
                .map(|v| format!("networking.k8s.io/{}", v.version))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// What the allocator does differently in this release.
    pub fn allocator_quirks(&self) -> crate::allocator::Quirks {
        crate::allocator::Quirks {
            ipv6_offset_wraps: self.ipv6_offset_wraps,
            skip_all_errors: !self.dynamic_scan_stops_on_error,
        }
    }

    /// Whether `networking.k8s.io/<version>` is served.
    pub fn serves_networking(&self, version: &str) -> bool {
        self.networking_versions
            .iter()
            .any(|v| v.version == version)
    }

    /// apiVersion of stored and returned ServiceCIDRs and IPAddresses.
    pub fn networking_api_version(&self) -> String {
        let v = self.networking_versions.first().map_or("v1", |v| v.version);
        format!("networking.k8s.io/{v}")
    }

    /// The `Warning:` the apiserver sends with every request to
    /// `networking.k8s.io/<version>` `<kind>`, if that version is deprecated in
    /// this release (apiserver endpoints/deprecation WarningMessage).
    pub fn deprecation_warning(&self, version: &str, kind: &str) -> Option<String> {
        let sv = self
            .networking_versions
            .iter()
            .find(|v| v.version == version)?;
        let (dmaj, dmin) = sv.deprecated?;
        if (self.version.major, self.version.minor) < (dmaj, dmin) {
            return None;
        }
        let mut msg =
            format!("networking.k8s.io/{version} {kind} is deprecated in v{dmaj}.{dmin}+");
        if let Some((rmaj, rmin)) = sv.removed {
            msg.push_str(&format!(", unavailable in v{rmaj}.{rmin}+"));
        }
        Some(msg)
    }
}

impl Default for Release {
    fn default() -> Release {
        Release::newest()
    }
}

/// The fields of `/version` that depend on the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionInfo {
    pub major: String,
    pub minor: String,
    pub git_version: String,
}

fn newest_modelled_patch(minor: u32) -> u32 {
    PATCH_RELEASES
        .iter()
        .filter(|(v, _)| v.minor == minor)
        .map(|(v, _)| v.patch)
        .max()
        .unwrap_or(0)
}

fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_version(s: &str) -> Option<(u32, u32, Option<u32>)> {
    let s = s.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let parts: Vec<&str> = s.split('.').collect();
    match parts.as_slice() {
        [major, minor] => Some((parse_number(major)?, parse_number(minor)?, None)),
        [major, minor, patch] => Some((
            parse_number(major)?,
            parse_number(minor)?,
            Some(parse_number(patch)?),
        )),
        _ => None,
    }
}

fn unknown_version(s: &str) -> ApiError {
    let (first, last) = minor_range();
    let minors: Vec<String> = (first..=last).map(|m| format!("1.{m}")).collect();
    let patches: Vec<String> = PATCH_RELEASES.iter().map(|(v, _)| v.to_string()).collect();
    ApiError::bad_request(format!(
        "version {s:?} is not a modelled Kubernetes release; modelled: {} (any patch of these; patch releases with their own behaviour: {})",
        minors.join(", "),
        patches.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Release {
        Release::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_minor_patch_and_v_prefix() {
        assert_eq!(r("1.33.11").version, Version::new(1, 33, 11));
        assert_eq!(r("v1.31.2").version, Version::new(1, 31, 2));
        // A bare minor is the newest modelled patch of it.
        assert_eq!(r("1.33").version, Version::new(1, 33, 11));
        assert_eq!(r("1.34").version, Version::new(1, 34, 8));
        assert_eq!(r("1.36").version, Version::new(1, 36, 0));
        assert_eq!(r(" 1.29 ").version, Version::new(1, 29, 0));
    }

    #[test]
    fn unknown_versions_name_the_modelled_ones() {
        for bad in [
            "1.28", "1.38", "2.33", "1.33.x", "", "1", "1.33.1.1", "latest", "1.-3",
        ] {
            let e = Release::parse(bad).unwrap_err();
            assert_eq!(e.code, 400, "{bad}");
            assert!(
                e.message
                    .contains("1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36, 1.37"),
                "{}",
                e.message
            );
            assert!(
                e.message.contains("1.33.6, 1.33.11, 1.34.8"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn default_is_the_newest() {
        assert_eq!(Release::newest().version, DEFAULT_VERSION);
        assert_eq!(Release::default(), r("1.37"));
        assert_eq!(
            Release::modelled().last().copied(),
            Some(Version::new(1, 37, 0))
        );
        assert!(Release::modelled().contains(&DEFAULT_VERSION));
    }

    #[test]
    fn a_patch_is_its_minor_plus_its_backports_only() {
        // 1.34.0 does not inherit 1.33.11's backport of PR #137147.
        assert!(r("1.33.11").repair_retries_on_forbidden);
        assert!(!r("1.33.10").repair_retries_on_forbidden);
        assert!(!r("1.34.0").repair_retries_on_forbidden);
        assert!(!r("1.35.9").repair_retries_on_forbidden);
        assert!(r("1.36.0").repair_retries_on_forbidden);
        // Cherry-pick #133954: the 5 s wait from 1.33.6.
        assert_eq!(r("1.33.5").wrong_reference_delay_ms, 0);
        assert_eq!(r("1.33.6").wrong_reference_delay_ms, 5_000);
        assert_eq!(r("1.34.0").wrong_reference_delay_ms, 5_000);
        // The /64 bug: 1.33.0 to 1.34.7.
        assert!(!r("1.32").ipv6_offset_wraps);
        assert!(r("1.33.0").ipv6_offset_wraps);
        assert!(r("1.34.7").ipv6_offset_wraps);
        assert!(!r("1.34.8").ipv6_offset_wraps);
        assert!(!r("1.35.0").ipv6_offset_wraps);
    }

    /// The served versions per release (KEP-1880: alpha 1.29–1.30, beta from
    /// 1.31 (PR #122047), GA 1.33 (PR #128971), v1beta1 removed in 1.37 (PR #139820)).
    #[test]
    fn served_group_versions_per_release() {
        let cases: &[(&str, &[&str])] = &[
            ("1.29", &["networking.k8s.io/v1alpha1"]),
            ("1.30", &["networking.k8s.io/v1alpha1"]),
            ("1.31", &["networking.k8s.io/v1beta1"]),
            ("1.32", &["networking.k8s.io/v1beta1"]),
            (
                "1.33",
                &["networking.k8s.io/v1", "networking.k8s.io/v1beta1"],
            ),
            (
                "1.36",
                &["networking.k8s.io/v1", "networking.k8s.io/v1beta1"],
            ),
            ("1.37", &["networking.k8s.io/v1"]),
        ];
        for (v, want) in cases {
            let rel = r(v);
            assert_eq!(rel.served_group_versions("servicecidrs"), *want, "{v}");
            assert_eq!(rel.served_group_versions("ipaddresses"), *want, "{v}");
            assert_eq!(rel.served_group_versions("services"), ["v1"], "{v}");
            assert_eq!(rel.networking_api_version(), want[0], "{v}");
        }
        assert!(r("1.37").served_group_versions("widgets").is_empty());
    }

    #[test]
    fn version_info_is_what_kube_apiserver_prints() {
        let v = r("1.33.11").version_info();
        assert_eq!((v.major.as_str(), v.minor.as_str()), ("1", "33"));
        assert_eq!(v.git_version, "v1.33.11");
        assert_eq!(r("1.31").version_info().git_version, "v1.31.0");
    }

    /// The apiserver's deprecation warning, from k8s.io/api's prerelease
    /// lifecycle (v1alpha1: deprecated 1.30, removed 1.33; v1beta1: deprecated
    /// 1.34, removed 1.37; neither names a replacement).
    #[test]
    fn deprecation_warnings_per_release() {
        assert_eq!(
            r("1.29").deprecation_warning("v1alpha1", "ServiceCIDR"),
            None
        );
        assert_eq!(
            r("1.30").deprecation_warning("v1alpha1", "ServiceCIDR").as_deref(),
            Some("networking.k8s.io/v1alpha1 ServiceCIDR is deprecated in v1.30+, unavailable in v1.33+")
        );
        assert_eq!(
            r("1.33").deprecation_warning("v1beta1", "ServiceCIDR"),
            None
        );
        assert_eq!(r("1.33").deprecation_warning("v1", "ServiceCIDR"), None);
        for v in ["1.34", "1.35", "1.36"] {
            assert_eq!(
                r(v).deprecation_warning("v1beta1", "IPAddress").as_deref(),
                Some("networking.k8s.io/v1beta1 IPAddress is deprecated in v1.34+, unavailable in v1.37+"),
                "{v}"
            );
        }
        // Not served at all: no warning (the request fails instead).
        assert_eq!(
            r("1.37").deprecation_warning("v1beta1", "ServiceCIDR"),
            None
        );
    }
}
