//! Ports of TestMatcher (staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/matching/matching_test.go),
//! case names kept, with the same equivalent-resource registrations (apps/v1 deployments ↔
//! extensions/v1beta1, apps/v1beta1, apps/v1alpha1, and their scale subresources).

mod common;
use common::*;
use serde_json::{json, Value};
use servicecidr_admission::matching::{matches, Match};
use servicecidr_admission::types::MatchResources;
use servicecidr_admission::*;

fn gvr(g: &str, v: &str, r: &str) -> GroupVersionResource {
    GroupVersionResource::new(g, v, r)
}
fn gvk(g: &str, v: &str, k: &str) -> GroupVersionKind {
    GroupVersionKind::new(g, v, k)
}

fn source() -> Objects {
    let mut o = Objects::default();
    for (sub, r, k) in [
        (
            "",
            gvr("extensions", "v1beta1", "deployments"),
            gvk("extensions", "v1beta1", "Deployment"),
        ),
        (
            "",
            gvr("apps", "v1", "deployments"),
            gvk("apps", "v1", "Deployment"),
        ),
        (
            "",
            gvr("apps", "v1beta1", "deployments"),
            gvk("apps", "v1beta1", "Deployment"),
        ),
        (
            "",
            gvr("apps", "v1alpha1", "deployments"),
            gvk("apps", "v1alpha1", "Deployment"),
        ),
        (
            "scale",
            gvr("extensions", "v1beta1", "deployments"),
            gvk("extensions", "v1beta1", "Scale"),
        ),
        (
            "scale",
            gvr("apps", "v1", "deployments"),
            gvk("autoscaling", "v1", "Scale"),
        ),
        (
            "scale",
            gvr("apps", "v1beta1", "deployments"),
            gvk("apps", "v1beta1", "Scale"),
        ),
        (
            "scale",
            gvr("apps", "v1alpha1", "deployments"),
            gvk("apps", "v1alpha1", "Scale"),
        ),
    ] {
        o.equivalents.push((sub, r, k));
    }
    o.namespaces
        .push(json!({"metadata": {"name": "ns", "labels": {"env": "test"}}}));
    o
}

fn attrs(kind: GroupVersionKind, resource: GroupVersionResource, sub: &str) -> Attributes {
    Attributes {
        operation: Operation::Create,
        resource,
        subresource: sub.into(),
        kind,
        name: "name".into(),
        namespace: "ns".into(),
        object: None,
        old_object: None,
        user_info: UserInfo::default(),
        dry_run: false,
        options: None,
    }
}

fn rule(groups: &[&str], versions: &[&str], resources: &[&str]) -> Value {
    json!({"operations": ["*"], "apiGroups": groups, "apiVersions": versions, "resources": resources, "scope": "*"})
}

fn criteria(policy: Option<&str>, rules: Vec<Value>) -> MatchResources {
    let mut c = json!({"namespaceSelector": {}, "objectSelector": {}, "resourceRules": rules});
    if let Some(p) = policy {
        c["matchPolicy"] = json!(p);
    }
    MatchResources::from_json(&c)
}

fn check(
    name: &str,
    c: &MatchResources,
    a: &Attributes,
    want: Option<(GroupVersionResource, GroupVersionKind)>,
) {
    let got = matches(c, a, &source());
    let want = want.map(|(resource, kind)| Match { resource, kind });
    assert_eq!(got, Ok(want), "{name}");
}

#[test]
fn test_matcher() {
    let deploy = || {
        attrs(
            gvk("apps", "v1", "Deployment"),
            gvr("apps", "v1", "deployments"),
            "",
        )
    };
    let scale = || {
        attrs(
            gvk("autoscaling", "v1", "Scale"),
            gvr("apps", "v1", "deployments"),
            "scale",
        )
    };
    let apps_v1 = || {
        (
            gvr("apps", "v1", "deployments"),
            gvk("apps", "v1", "Deployment"),
        )
    };

    // No objectSelector at all: labels.Nothing() selects nothing.
    let no_rules =
        MatchResources::from_json(&json!({"namespaceSelector": {}, "resourceRules": []}));
    check("no rules (just write)", &no_rules, &deploy(), None);

    check(
        "wildcard rule, match as requested",
        &criteria(None, vec![rule(&["*"], &["*"], &["*"])]),
        &deploy(),
        Some(apps_v1()),
    );
    let exact_last = vec![
        rule(&["extensions"], &["v1"], &["deployments"]),
        rule(&["apps"], &["v1beta1"], &["deployments"]),
        rule(&["apps"], &["v1"], &["deployments"]),
    ];
    check(
        "specific rules, prefer exact match",
        &criteria(None, exact_last),
        &deploy(),
        Some(apps_v1()),
    );
    let others = || {
        vec![
            rule(&["extensions"], &["v1beta1"], &["deployments"]),
            rule(&["apps"], &["v1beta1"], &["deployments"]),
        ]
    };
    check(
        "specific rules, match miss",
        &criteria(None, others()),
        &deploy(),
        None,
    );
    check(
        "specific rules, exact match miss",
        &criteria(Some("Exact"), others()),
        &deploy(),
        None,
    );
    check(
        "specific rules, equivalent match, prefer extensions",
        &criteria(Some("Equivalent"), others()),
        &deploy(),
        Some((
            gvr("extensions", "v1beta1", "deployments"),
            gvk("extensions", "v1beta1", "Deployment"),
        )),
    );
    let mut apps_first = others();
    apps_first.reverse();
    check(
        "specific rules, equivalent match, prefer apps",
        &criteria(Some("Equivalent"), apps_first),
        &deploy(),
        Some((
            gvr("apps", "v1beta1", "deployments"),
            gvk("apps", "v1beta1", "Deployment"),
        )),
    );

    let sub_rules = |with_v1: bool| {
        let mut r = vec![
            rule(
                &["extensions"],
                &["v1beta1"],
                &["deployments", "deployments/scale"],
            ),
            rule(
                &["apps"],
                &["v1beta1"],
                &["deployments", "deployments/scale"],
            ),
        ];
        if with_v1 {
            r.push(rule(
                &["apps"],
                &["v1"],
                &["deployments", "deployments/scale"],
            ));
        }
        r
    };
    check(
        "specific rules, subresource prefer exact match",
        &criteria(None, sub_rules(true)),
        &scale(),
        Some((
            gvr("apps", "v1", "deployments"),
            gvk("autoscaling", "v1", "Scale"),
        )),
    );
    check(
        "specific rules, subresource match miss",
        &criteria(None, sub_rules(false)),
        &scale(),
        None,
    );
    check(
        "specific rules, subresource exact match miss",
        &criteria(Some("Exact"), sub_rules(false)),
        &scale(),
        None,
    );
    check(
        "specific rules, subresource equivalent match, prefer extensions",
        &criteria(Some("Equivalent"), sub_rules(false)),
        &scale(),
        Some((
            gvr("extensions", "v1beta1", "deployments"),
            gvk("extensions", "v1beta1", "Scale"),
        )),
    );
    let mut apps_sub = sub_rules(false);
    apps_sub.reverse();
    check(
        "specific rules, subresource equivalent match, prefer apps",
        &criteria(Some("Equivalent"), apps_sub),
        &scale(),
        Some((
            gvr("apps", "v1beta1", "deployments"),
            gvk("apps", "v1beta1", "Scale"),
        )),
    );

    let named = |n: &str| {
        let mut r = rule(&["apps"], &["v1"], &["deployments"]);
        r["resourceNames"] = json!([n]);
        criteria(None, vec![r])
    };
    let scale_kind_plain = || {
        attrs(
            gvk("autoscaling", "v1", "Scale"),
            gvr("apps", "v1", "deployments"),
            "",
        )
    };
    check(
        "specific rules, prefer exact match and name match",
        &named("name"),
        &scale_kind_plain(),
        Some((
            gvr("apps", "v1", "deployments"),
            gvk("autoscaling", "v1", "Scale"),
        )),
    );
    check(
        "specific rules, prefer exact match and name match miss",
        &named("wrong-name"),
        &scale_kind_plain(),
        None,
    );
}

#[test]
fn rules_selectors_and_exclusions() {
    let svc = || create_service_cidr("x", &["10.0.0.0/16"], admin());
    let base = |extra: Value| {
        let mut c = json!({"namespaceSelector": {}, "objectSelector": {}, "matchPolicy": "Equivalent",
            "resourceRules": [rule(&["networking.k8s.io"], &["v1"], &["servicecidrs"])]});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        MatchResources::from_json(&c)
    };
    let sc = (
        gvr("networking.k8s.io", "v1", "servicecidrs"),
        gvk("networking.k8s.io", "v1", "ServiceCIDR"),
    );
    check("plain", &base(json!({})), &svc(), Some(sc.clone()));
    // excludeResourceRules win over resourceRules.
    check(
        "excluded",
        &base(json!({"excludeResourceRules": [rule(&["*"], &["*"], &["servicecidrs"])]})),
        &svc(),
        None,
    );
    // Operation must be listed.
    let mut del = svc();
    del.operation = Operation::Delete;
    let ops = MatchResources::from_json(&json!({"namespaceSelector": {}, "objectSelector": {},
        "resourceRules": [{"operations": ["CREATE", "UPDATE"], "apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*"]}]}));
    check("operation not listed", &ops, &del, None);
    // Subresources: "servicecidrs" does not match the status subresource, "*/status" does.
    let mut status = svc();
    status.subresource = "status".into();
    check(
        "subresource needs its rule",
        &base(json!({})),
        &status,
        None,
    );
    let star_status =
        MatchResources::from_json(&json!({"namespaceSelector": {}, "objectSelector": {},
        "resourceRules": [rule(&["*"], &["*"], &["*/status"])]}));
    check("*/status", &star_status, &status, Some(sc.clone()));
    // Scope: a cluster-scoped ServiceCIDR is not Namespaced.
    let mut namespaced = rule(&["*"], &["*"], &["*"]);
    namespaced["scope"] = json!("Namespaced");
    let ns_only = MatchResources::from_json(
        &json!({"namespaceSelector": {}, "objectSelector": {}, "resourceRules": [namespaced]}),
    );
    check("scope Namespaced", &ns_only, &svc(), None);
    // objectSelector on labels of the new (or old) object.
    let sel = base(json!({"objectSelector": {"matchLabels": {"team": "net"}}}));
    check("objectSelector miss", &sel, &svc(), None);
    let mut labelled = svc();
    labelled.object.as_mut().unwrap()["metadata"]["labels"] = json!({"team": "net"});
    check("objectSelector hit", &sel, &labelled, Some(sc.clone()));
    let expr = base(
        json!({"objectSelector": {"matchExpressions": [{"key": "team", "operator": "NotIn", "values": ["net"]}]}}),
    );
    check("NotIn", &expr, &labelled, None);
    check("NotIn absent key", &expr, &svc(), Some(sc.clone()));
    // namespaceSelector never exempts cluster-scoped resources.
    let nsel = base(json!({"namespaceSelector": {"matchLabels": {"env": "prod"}}}));
    check(
        "cluster-scoped ignores namespaceSelector",
        &nsel,
        &svc(),
        Some(sc),
    );
    // ...but applies to namespaced ones, reading the namespace's labels.
    let cm = Attributes {
        resource: gvr("", "v1", "configmaps"),
        kind: gvk("", "v1", "ConfigMap"),
        namespace: "ns".into(),
        ..svc()
    };
    let any = |ns: Value| {
        MatchResources::from_json(&json!({"namespaceSelector": ns, "objectSelector": {},
            "resourceRules": [rule(&["*"], &["*"], &["*"])]}))
    };
    check(
        "namespace label miss",
        &any(json!({"matchLabels": {"env": "prod"}})),
        &cm,
        None,
    );
    check(
        "namespace label hit",
        &any(json!({"matchLabels": {"env": "test"}})),
        &cm,
        Some((gvr("", "v1", "configmaps"), gvk("", "v1", "ConfigMap"))),
    );
    let missing = Attributes {
        namespace: "gone".into(),
        ..cm
    };
    assert_eq!(
        matches(
            &any(json!({"matchLabels": {"env": "prod"}})),
            &missing,
            &source()
        ),
        Err("namespaces \"gone\" not found".to_string())
    );
}
