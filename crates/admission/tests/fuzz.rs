//! No expression a user types may panic: random expression strings (random
//! characters, CEL-ish token soup, and every truncation/mutation of real policy
//! expressions) compiled and evaluated against random objects, through both
//! entry points (`cel::evaluate_expression` and a whole `PolicySet`). A panic
//! fails the test: natively it unwinds; in wasm (panic=abort) it would kill the
//! module, which is why it must not exist at all.

mod common;
use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use servicecidr_admission::cel::evaluate_expression;
use servicecidr_admission::*;

const SEEDS: &[&str] = &[
    "object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))",
    "request.userInfo.username == 'system:apiserver' && 'system:masters' in request.userInfo.groups",
    "object.metadata.name != 'kubernetes'",
    "['10.96.0.0/16','2001:db8::/64']",
    "ip('10.0.0.1').family() == 4 ? 'a' + string(cidr('10.0.0.0/8').masked()) : \"b\"",
    "has(object.spec.x) || size(object.metadata.labels) > 0u && 1.5e3 != -2",
    "[1, 2, 3].map(x, x * 2).filter(y, y % 2 == 0).exists_one(z, z / 0 == 1)",
    "{'a': b'\\x00', \"c\": r'raw\\n'}.a == bytes('x')",
    "'abc'.matches('^a.*$') && 'a1b2'.findAll('[0-9]', -1).size() == 2",
    "object.?spec.?cidrs.orValue([]).size() == optional.none().orValue(0)",
    "params.data.allowed.split(',').all(c, isCIDR(c) && cidr(c).prefixLength() < 33)",
    "int('9223372036854775807') + 1 > 0 && uint(-1) == 0u && double('nan') != 0.0",
    "dyn(object).spec.cidrs[0].substring(2, 1) == type(null)",
    "lists.range(5).slice(1, 3).reverse().sort().distinct().flatten()",
    "'%s %d'.format(['a', 1]) == strings.quote('x')",
    "[1, 2.0, 'a'].sum() + [].max() + [[1], 2u].min() + [null, 1].isSorted() + [1].lastIndexOf(1u)",
];

const TOKENS: &[&str] = &[
    "object",
    "oldObject",
    "request",
    "params",
    "variables",
    "namespaceObject",
    ".",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "?",
    "!",
    "-",
    "+",
    "*",
    "/",
    "%",
    "<",
    "<=",
    ">",
    "==",
    "!=",
    "&&",
    "||",
    " in ",
    "'s'",
    "\"d\"",
    "b'x'",
    "r'\\'",
    "'''",
    "1",
    "0",
    "-9223372036854775808",
    "18446744073709551615u",
    "1.0",
    "1e309",
    "true",
    "null",
    "x",
    "all",
    "exists",
    "map",
    "filter",
    "has",
    "size",
    "ip",
    "cidr",
    "containsCIDR",
    "containsIP",
    "masked",
    "matches",
    "find",
    "findAll",
    "string",
    "int",
    "uint",
    "double",
    "type",
    "dyn",
    ".?",
    "[?",
    "optional",
    "'\\u00e9'",
    "'\\xff'",
    "`",
    "\\",
    "#",
    "é",
    "\u{0}",
];

fn mutations(seed: &str) -> Vec<String> {
    let chars: Vec<char> = seed.chars().collect();
    let mut out = Vec::new();
    for i in 0..=chars.len() {
        out.push(chars[..i].iter().collect());
        out.push(chars[i..].iter().collect());
    }
    out
}

#[test]
fn every_truncation_of_the_seed_expressions_is_safe() {
    let obj = service_cidr("x", &["10.96.0.0/16"]);
    for seed in SEEDS {
        for expr in mutations(seed) {
            let _ = evaluate_expression(&expr, &[("object", &obj), ("params", &Value::Null)]);
        }
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    for depth in [50usize, 100, 500, 5_000] {
        for (open, close) in [
            ("(", ")"),
            ("[", "]"),
            ("!", ""),
            ("-", ""),
            ("{'a':", "}"),
            ("f(", ")"),
        ] {
            let expr = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            let _ = evaluate_expression(&expr, &[]);
        }
        let chain = format!("object{}", ".a".repeat(depth));
        let _ = evaluate_expression(&chain, &[("object", &json!({}))]);
        let sum = vec!["1"; depth].join(" + ");
        let _ = evaluate_expression(&sum, &[]);
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z0-9./:-]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("10.96.0.0/16"),
            Just("2001:db8::/64"),
            Just("::ffff:1.2.3.4/120")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn expression() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        prop::collection::vec(prop::sample::select(TOKENS), 0..25).prop_map(|t| t.concat()),
        (
            prop::sample::select(SEEDS),
            any::<prop::sample::Index>(),
            prop::sample::select(TOKENS)
        )
            .prop_map(|(seed, at, tok)| {
                let chars: Vec<char> = seed.chars().collect();
                let i = at.index(chars.len() + 1);
                let mut s: String = chars[..i].iter().collect();
                s.push_str(tok);
                s.extend(chars[i..].iter());
                s
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, .. ProptestConfig::default() })]

    #[test]
    fn random_expressions_on_random_objects_never_panic(expr in expression(), obj in json_value()) {
        let _ = evaluate_expression(&expr, &[("object", &obj), ("oldObject", &Value::Null)]);
    }

    #[test]
    fn random_policies_never_panic(
        validation in expression(),
        condition in expression(),
        variable in expression(),
        message in expression(),
        annotation in expression(),
        obj in json_value(),
        policy_junk in json_value(),
    ) {
        let policy = json!({
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": "p"},
            "spec": {
                "failurePolicy": "Fail",
                "matchConstraints": {"resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"], "operations": ["*"], "resources": ["*"]}]},
                "matchConditions": [{"name": "c", "expression": condition}],
                "variables": [{"name": "v", "expression": variable}],
                "validations": [{"expression": validation, "messageExpression": message}],
                "auditAnnotations": [{"key": "k", "valueExpression": annotation}],
            },
        });
        let binding = json!({"metadata": {"name": "b"}, "spec": {"policyName": "p", "validationActions": ["Deny", "Audit"]}});
        let mut attrs = create_service_cidr("x", &["10.0.0.0/8"], admin());
        attrs.object = Some(obj.clone());
        let _ = validate_policy(&policy);
        let _ = evaluate(&[policy], std::slice::from_ref(&binding), &attrs, &Objects::default());
        // Junk where a policy should be: read tolerantly, never a panic.
        let _ = validate_policy(&policy_junk);
        let _ = validate_binding(&policy_junk);
        let _ = evaluate(std::slice::from_ref(&policy_junk), &[policy_junk.clone(), binding], &attrs, &Objects::default());
    }
}
