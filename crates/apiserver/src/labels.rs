//! Label selectors (`labelSelector=`, kubectl `-l`) with apimachinery's grammar:
//! requirements joined by commas, each `key`, `!key`, `key=value`, `key==value`,
//! `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key gt 3`, `key lt 3`,
//! with the parser's error texts. The apiserver filters lists and watches with it.

use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
enum Op {
    Exists,
    NotExists,
    In(Vec<String>),
    NotIn(Vec<String>),
    Gt(i64),
    Lt(i64),
}

#[derive(Clone, Debug, PartialEq)]
struct Requirement {
    key: String,
    op: Op,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selector {
    reqs: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Comma,
    Open,
    Close,
    Eq,
    DoubleEq,
    NotEq,
    Not,
    In,
    NotIn,
    Gt,
    Lt,
    End,
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Ident(s) => s.clone(),
            Tok::Comma => ",".into(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
            Tok::Eq => "=".into(),
            Tok::DoubleEq => "==".into(),
            Tok::NotEq => "!=".into(),
            Tok::Not => "!".into(),
            Tok::In => "in".into(),
            Tok::NotIn => "notin".into(),
            Tok::Gt => "gt".into(),
            Tok::Lt => "lt".into(),
            Tok::End => "".into(),
        }
    }
}

fn lex(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '(' => {
                out.push(Tok::Open);
                i += 1
            }
            ')' => {
                out.push(Tok::Close);
                i += 1
            }
            '=' => {
                if b.get(i + 1) == Some(&'=') {
                    out.push(Tok::DoubleEq);
                    i += 2
                } else {
                    out.push(Tok::Eq);
                    i += 1
                }
            }
            '!' => {
                if b.get(i + 1) == Some(&'=') {
                    out.push(Tok::NotEq);
                    i += 2
                } else {
                    out.push(Tok::Not);
                    i += 1
                }
            }
            '>' => {
                out.push(Tok::Gt);
                i += 1
            }
            '<' => {
                out.push(Tok::Lt);
                i += 1
            }
            _ => {
                let start = i;
                while i < b.len() && !" \t\n\r,()=!<>".contains(b[i]) {
                    i += 1;
                }
                let word: String = b[start..i].iter().collect();
                out.push(match word.as_str() {
                    "in" => Tok::In,
                    "notin" => Tok::NotIn,
                    _ => Tok::Ident(word),
                });
            }
        }
    }
    out.push(Tok::End);
    out
}

fn found(t: &Tok, expected: &str) -> String {
    format!("found '{}', expected: {expected}", t.text())
}

impl Selector {
    pub fn parse(s: &str) -> Result<Selector, String> {
        let toks = lex(s);
        let mut i = 0;
        let mut reqs = Vec::new();
        if toks.len() == 1 {
            return Ok(Selector::default());
        }
        loop {
            let (req, next) = parse_requirement(&toks, i)?;
            reqs.push(req);
            i = next;
            match &toks[i] {
                Tok::End => break,
                Tok::Comma => {
                    i += 1;
                    if toks[i] == Tok::End {
                        return Err(found(&toks[i], "identifier"));
                    }
                }
                t => return Err(found(t, "','")),
            }
        }
        Ok(Selector { reqs })
    }

    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    pub fn matches_labels(&self, labels: &BTreeMap<String, String>) -> bool {
        self.reqs.iter().all(|r| {
            let v = labels.get(&r.key);
            match &r.op {
                Op::Exists => v.is_some(),
                Op::NotExists => v.is_none(),
                Op::In(vals) => v.is_some_and(|v| vals.contains(v)),
                Op::NotIn(vals) => v.is_none_or(|v| !vals.contains(v)),
                Op::Gt(n) => v
                    .and_then(|v| v.parse::<i64>().ok())
                    .is_some_and(|x| x > *n),
                Op::Lt(n) => v
                    .and_then(|v| v.parse::<i64>().ok())
                    .is_some_and(|x| x < *n),
            }
        })
    }

    /// Matches an object's metadata.labels.
    pub fn matches(&self, obj: &Value) -> bool {
        let labels: BTreeMap<String, String> = obj
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        self.matches_labels(&labels)
    }
}

fn parse_requirement(toks: &[Tok], mut i: usize) -> Result<(Requirement, usize), String> {
    if toks[i] == Tok::Not {
        i += 1;
        return match &toks[i] {
            Tok::Ident(k) => Ok((
                Requirement {
                    key: k.clone(),
                    op: Op::NotExists,
                },
                i + 1,
            )),
            t => Err(found(t, "identifier")),
        };
    }
    let key = match &toks[i] {
        Tok::Ident(k) => k.clone(),
        t => return Err(found(t, "identifier")),
    };
    i += 1;
    let op = toks[i].clone();
    match op {
        Tok::End | Tok::Comma => Ok((
            Requirement {
                key,
                op: Op::Exists,
            },
            i,
        )),
        Tok::Eq | Tok::DoubleEq | Tok::NotEq => {
            i += 1;
            // An empty value is allowed (`key=` selects the empty label value).
            let (value, next) = match &toks[i] {
                Tok::Ident(v) => (v.clone(), i + 1),
                Tok::In => ("in".to_string(), i + 1),
                Tok::NotIn => ("notin".to_string(), i + 1),
                Tok::End | Tok::Comma => (String::new(), i),
                t => return Err(found(t, "identifier")),
            };
            let op = if op == Tok::NotEq {
                Op::NotIn(vec![value])
            } else {
                Op::In(vec![value])
            };
            Ok((Requirement { key, op }, next))
        }
        Tok::In | Tok::NotIn => {
            i += 1;
            if toks[i] != Tok::Open {
                return Err(found(&toks[i], "'('"));
            }
            i += 1;
            let mut vals = Vec::new();
            loop {
                match &toks[i] {
                    Tok::Ident(v) => {
                        vals.push(v.clone());
                        i += 1;
                    }
                    Tok::Close if vals.is_empty() => {}
                    Tok::Comma => vals.push(String::new()),
                    t => return Err(found(t, "',', ')' or identifier")),
                }
                match &toks[i] {
                    Tok::Comma => i += 1,
                    Tok::Close => {
                        i += 1;
                        break;
                    }
                    t => return Err(found(t, "',' or ')'")),
                }
            }
            let op = if op == Tok::In {
                Op::In(vals)
            } else {
                Op::NotIn(vals)
            };
            Ok((Requirement { key, op }, i))
        }
        Tok::Gt | Tok::Lt => {
            i += 1;
            let n = match &toks[i] {
                Tok::Ident(v) => v.parse::<i64>().map_err(|_| {
                    "for 'Gt', 'Lt' operators, the value must be an integer".to_string()
                })?,
                t => return Err(found(t, "identifier")),
            };
            let op = if op == Tok::Gt { Op::Gt(n) } else { Op::Lt(n) };
            Ok((Requirement { key, op }, i + 1))
        }
        t => Err(found(&t, "in, notin, =, ==, !=, gt, lt")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn equality_and_sets() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        for (sel, want) in [
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app!=db", true),
            ("missing!=x", true),
            ("app in (web,db)", true),
            ("app in (db)", false),
            ("app notin (db)", true),
            ("missing notin (db)", true),
            ("app", true),
            ("!app", false),
            ("!missing", true),
            ("app=web,tier=front", true),
            ("app=web, tier=back", false),
            ("", true),
        ] {
            assert_eq!(
                Selector::parse(sel).unwrap().matches_labels(&l),
                want,
                "{sel}"
            );
        }
    }

    #[test]
    fn numeric_comparisons() {
        let l = labels(&[("n", "5")]);
        assert!(Selector::parse("n>3").unwrap().matches_labels(&l));
        assert!(!Selector::parse("n<3").unwrap().matches_labels(&l));
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            Selector::parse("a in (b").unwrap_err(),
            "found '', expected: ',' or ')'"
        );
        assert_eq!(
            Selector::parse("a in b").unwrap_err(),
            "found 'b', expected: '('"
        );
        assert_eq!(
            Selector::parse("=x").unwrap_err(),
            "found '=', expected: identifier"
        );
        assert!(Selector::parse("a=b,").is_err());
    }

    #[test]
    fn matches_object_metadata() {
        let obj = serde_json::json!({"metadata": {"labels": {"app": "x"}}});
        assert!(Selector::parse("app=x").unwrap().matches(&obj));
        assert!(!Selector::parse("app=y").unwrap().matches(&obj));
        assert!(Selector::parse("!app")
            .unwrap()
            .matches(&serde_json::json!({})));
    }
}
