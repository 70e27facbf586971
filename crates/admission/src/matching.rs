//! Which requests a policy's matchConstraints, or a binding's matchResources,
//! select: k8s.io/apiserver/pkg/admission/plugin/policy/matching (Matches,
//! matchesResourceRules), predicates/rules (Matcher), predicates/namespace
//! and predicates/object.

use crate::attributes::{Attributes, GroupVersionKind, GroupVersionResource, ParamSource};
use crate::types::{labels_of, LabelSelector, MatchResources, NamedRule};

/// A match, with the resource and kind it matched as (the request's, or an
/// equivalent one under matchPolicy Equivalent).
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub resource: GroupVersionResource,
    pub kind: GroupVersionKind,
}

fn exact_or_wildcard(items: &[String], requested: &str) -> bool {
    items.iter().any(|i| i == "*" || i == requested)
}

/// rules.Matcher.Matches for one rule against a (possibly overridden) resource.
fn rule_matches(rule: &NamedRule, attrs: &Attributes, resource: &GroupVersionResource) -> bool {
    let is_namespace =
        resource.group.is_empty() && resource.version == "v1" && resource.resource == "namespaces";
    let scope_ok = match rule.scope.as_deref() {
        None | Some("*") => true,
        Some("Namespaced") => !is_namespace && !attrs.namespace.is_empty(),
        Some("Cluster") => is_namespace || attrs.namespace.is_empty(),
        Some(_) => false,
    };
    let op_ok = rule
        .operations
        .iter()
        .any(|op| op == "*" || op == attrs.operation.as_str());
    let resource_ok = rule.resources.iter().any(|r| {
        let (res, sub) = r.split_once('/').unwrap_or((r.as_str(), ""));
        (res == "*" || res == resource.resource) && (sub == "*" || sub == attrs.subresource)
    });
    scope_ok
        && op_ok
        && exact_or_wildcard(&rule.api_groups, &resource.group)
        && exact_or_wildcard(&rule.api_versions, &resource.version)
        && resource_ok
}

fn name_ok(rule: &NamedRule, attrs: &Attributes) -> bool {
    rule.resource_names.is_empty() || rule.resource_names.contains(&attrs.name)
}

/// matchesResourceRules.
fn matches_resource_rules(
    rules: &[NamedRule],
    match_policy: Option<&str>,
    attrs: &Attributes,
    source: &dyn ParamSource,
) -> Result<Option<Match>, String> {
    for rule in rules {
        if rule_matches(rule, attrs, &attrs.resource) && name_ok(rule, attrs) {
            return Ok(Some(Match {
                resource: attrs.resource.clone(),
                kind: attrs.kind.clone(),
            }));
        }
    }
    if match_policy != Some("Equivalent") {
        return Ok(None);
    }
    let equivalents = source.equivalent_resources(&attrs.resource, &attrs.subresource);
    for rule in rules {
        for (resource, kind) in &equivalents {
            if *resource == attrs.resource || !rule_matches(rule, attrs, resource) {
                continue;
            }
            if kind.kind.is_empty() {
                return Err(format!(
                    "unable to convert to {}/{}, Resource={}: unknown kind",
                    resource.group, resource.version, resource.resource
                ));
            }
            if name_ok(rule, attrs) {
                return Ok(Some(Match {
                    resource: resource.clone(),
                    kind: kind.clone(),
                }));
            }
        }
    }
    Ok(None)
}

/// namespace.Matcher.MatchNamespaceSelector. The error is the NotFound
/// upstream returns for a missing namespace.
fn namespace_selector_matches(
    selector: Option<&LabelSelector>,
    attrs: &Attributes,
    source: &dyn ParamSource,
) -> Result<bool, String> {
    if attrs.namespace.is_empty() && attrs.resource.resource != "namespaces" {
        // Cluster-scoped resources other than namespaces are never exempted.
        return Ok(true);
    }
    let Some(selector) = selector else {
        return Ok(false);
    };
    if selector.is_empty() {
        return Ok(true);
    }
    let is_namespace_write = attrs.resource.resource == "namespaces"
        && attrs.subresource.is_empty()
        && matches!(
            attrs.operation,
            crate::attributes::Operation::Create | crate::attributes::Operation::Update
        );
    let labels = if is_namespace_write {
        attrs.object.as_ref().map(labels_of).unwrap_or_default()
    } else {
        match source.namespace(&attrs.namespace) {
            Some(ns) => labels_of(&ns),
            None => return Err(format!("namespaces \"{}\" not found", attrs.namespace)),
        }
    };
    Ok(selector.matches(&labels))
}

/// object.Matcher.MatchObjectSelector: the new or the old object's labels.
fn object_selector_matches(selector: Option<&LabelSelector>, attrs: &Attributes) -> bool {
    let Some(selector) = selector else {
        return false;
    };
    if selector.is_empty() {
        return true;
    }
    [&attrs.object, &attrs.old_object]
        .iter()
        .any(|o| o.as_ref().is_some_and(|o| selector.matches(&labels_of(o))))
}

/// matching.Matcher.Matches: Ok(None) when the criteria do not select the
/// request; selector errors only surface for requests the rules select.
pub fn matches(
    criteria: &MatchResources,
    attrs: &Attributes,
    source: &dyn ParamSource,
) -> Result<Option<Match>, String> {
    let ns = namespace_selector_matches(criteria.namespace_selector.as_ref(), attrs, source);
    if ns == Ok(false) {
        return Ok(None);
    }
    if !object_selector_matches(criteria.object_selector.as_ref(), attrs) {
        return Ok(None);
    }
    let policy = criteria.match_policy.as_deref();
    if matches_resource_rules(&criteria.exclude_resource_rules, policy, attrs, source)?.is_some() {
        return Ok(None);
    }
    let found = if criteria.resource_rules.is_empty() {
        Some(Match {
            resource: attrs.resource.clone(),
            kind: attrs.kind.clone(),
        })
    } else {
        matches_resource_rules(&criteria.resource_rules, policy, attrs, source)?
    };
    match found {
        None => Ok(None),
        Some(m) => {
            ns?;
            Ok(Some(m))
        }
    }
}
