//! Executing a parsed template over an object the way text/template does
//! with kubectl's data: the object as decoded JSON (maps, slices, strings,
//! int64 for whole numbers, float64 otherwise), missing map keys as the
//! invalid value printed `<no value>`, and Go's error texts.

use super::fmt::{base64_decode, go_type, sprint, sprintf, sprintln, value_string};
use super::parse::{Arg, Branch, Command, Node, Number, Pipe, Template};
use crate::jsonpath::go_quote;
use serde_json::Value;

/// A value during execution.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    /// Go's invalid reflect.Value: a missing map key. Prints `<no value>`.
    Invalid,
    /// A value held in an `interface{}` of the decoded object (JSON null is nil).
    J(Value),
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
}

impl V {
    /// After a pipeline, Go unwraps interfaces: a nil interface becomes invalid.
    fn unwrap_interface(self) -> V {
        match self {
            V::J(Value::Null) => V::Invalid,
            other => other,
        }
    }

    fn truth(&self) -> bool {
        match self {
            V::Invalid | V::J(Value::Null) => false,
            V::J(Value::Bool(b)) | V::Bool(b) => *b,
            V::J(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
            V::J(Value::String(s)) | V::Str(s) => !s.is_empty(),
            V::J(Value::Array(a)) => !a.is_empty(),
            V::J(Value::Object(m)) => !m.is_empty(),
            V::Int(i) => *i != 0,
            V::Float(f) => *f != 0.0,
        }
    }
}

/// An execution failure: the node it happened at (position and Go's String
/// of the node) and the message.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecError {
    /// The template executing (`output`, or a `define`d one).
    pub template: String,
    pub pos: Option<usize>,
    pub context: String,
    pub msg: String,
}

impl ExecError {
    /// `template: output:1:11: executing "output" at <.a.b>: msg`.
    pub fn text(&self, src: &str) -> String {
        match self.pos {
            None => format!("template: {}: {}", go_quote(&self.template), self.msg),
            Some(pos) => {
                let pos = pos.min(src.len());
                let before = &src[..pos];
                let line = 1 + before.matches('\n').count();
                let col = match before.rfind('\n') {
                    None => pos,
                    Some(nl) => pos - (nl + 1),
                };
                format!(
                    "template: output:{line}:{col}: executing {} at <{}>: {}",
                    go_quote(&self.template),
                    self.context,
                    self.msg
                )
            }
        }
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
}

/// Bounds on work, so a template cannot hang or exhaust the wasm module.
const MAX_OUTPUT: usize = 16 << 20;
const MAX_STEPS: u64 = 10_000_000;

/// How deeply `{{template}}` calls may nest (Go allows 100000 frames; a
/// wasm stack does not).
const MAX_TEMPLATE_DEPTH: usize = 100;

struct State {
    /// The template being executed, for errors.
    name: String,
    defs: std::collections::BTreeMap<String, Vec<Node>>,
    depth: usize,
    vars: Vec<(String, V)>,
    out: String,
    /// The node being evaluated, for errors.
    at: (usize, String),
    steps: u64,
}

type R<T> = Result<T, ExecError>;

impl State {
    fn at(&mut self, pos: usize, context: String) {
        self.at = (pos, context);
    }

    fn fail<T>(&self, msg: impl Into<String>) -> R<T> {
        Err(ExecError {
            template: self.name.clone(),
            pos: Some(self.at.0),
            context: self.at.1.clone(),
            msg: msg.into(),
        })
    }

    fn tick(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.out.len() > MAX_OUTPUT {
            return self.fail("template execution exceeded the simulator's limits");
        }
        Ok(())
    }

    fn var(&self, name: &str) -> R<V> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => self.fail(format!("undefined variable: {name}")),
        }
    }

    fn set_var(&mut self, name: &str, v: V) -> R<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => self.fail(format!("undefined variable: {name}")),
        }
    }

    fn walk(&mut self, dot: &V, nodes: &[Node]) -> R<Flow> {
        for n in nodes {
            self.tick()?;
            match n {
                Node::Text(t) => self.out.push_str(t),
                Node::Action(pipe) => {
                    let v = self.pipeline(dot, pipe)?;
                    if pipe.decl.is_empty() {
                        self.print(&v, pipe)?;
                    }
                }
                Node::If(b) => {
                    if let f @ (Flow::Break | Flow::Continue) = self.if_with(dot, b, false)? {
                        return Ok(f);
                    }
                }
                Node::With(b) => {
                    if let f @ (Flow::Break | Flow::Continue) = self.if_with(dot, b, true)? {
                        return Ok(f);
                    }
                }
                Node::Range(b) => self.range(dot, b)?,
                Node::Template { pos, name, pipe } => {
                    self.template(dot, *pos, name, pipe.as_ref())?
                }
                Node::Break(_) => return Ok(Flow::Break),
                Node::Continue(_) => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Normal)
    }

    /// `{{template "name" pipeline}}`: the named template with the pipeline's
    /// value as dot and only `$` in scope.
    fn template(&mut self, dot: &V, pos: usize, name: &str, pipe: Option<&Pipe>) -> R<()> {
        let shown = match pipe {
            Some(p) => format!("{{{{template {} {p}}}}}", go_quote(name)),
            None => format!("{{{{template {}}}}}", go_quote(name)),
        };
        self.at(pos, shown.clone());
        let Some(body) = self.defs.get(name).cloned() else {
            return self.fail(format!("template {} not defined", go_quote(name)));
        };
        let new_dot = match pipe {
            Some(p) => self.pipeline(dot, p)?,
            None => V::Invalid,
        };
        if self.depth >= MAX_TEMPLATE_DEPTH {
            self.at(pos, shown);
            return self.fail(format!(
                "exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})"
            ));
        }
        let saved = std::mem::replace(&mut self.vars, vec![("$".to_string(), new_dot.clone())]);
        self.depth += 1;
        let caller = std::mem::replace(&mut self.name, name.to_string());
        let r = self.walk(&new_dot, &body);
        if r.is_ok() {
            self.name = caller;
        }
        self.depth -= 1;
        self.vars = saved;
        r.map(|_| ())
    }

    fn print(&mut self, v: &V, pipe: &Pipe) -> R<()> {
        match v {
            V::Invalid => self.out.push_str("<no value>"),
            other => {
                let _ = pipe;
                self.out.push_str(&value_string(other));
            }
        }
        Ok(())
    }

    fn if_with(&mut self, dot: &V, b: &Branch, is_with: bool) -> R<Flow> {
        let mark = self.vars.len();
        let v = self.pipeline(dot, &b.pipe)?;
        let flow = if v.truth() {
            if is_with {
                self.walk(&v, &b.list)?
            } else {
                self.walk(dot, &b.list)?
            }
        } else if let Some(e) = &b.else_list {
            self.walk(dot, e)?
        } else {
            Flow::Normal
        };
        self.vars.truncate(mark);
        Ok(flow)
    }

    fn range(&mut self, dot: &V, b: &Branch) -> R<()> {
        let mark = self.vars.len();
        // The range's own declarations are set per element, not by the pipeline.
        let pipe = Pipe {
            decl: Vec::new(),
            ..b.pipe.clone()
        };
        let v = self.pipeline(dot, &pipe)?;
        for d in &b.pipe.decl {
            if !b.pipe.is_assign {
                self.vars.push((d.clone(), V::Invalid));
            }
        }
        let items: Vec<(V, V)> = match &v {
            V::J(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, x)| (V::Int(i as i64), V::J(x.clone())))
                .collect(),
            V::J(Value::Object(m)) => {
                let mut keys: Vec<&String> = m.keys().collect();
                servicecidr_core::sort::sort(&mut keys);
                keys.into_iter()
                    .map(|k| (V::Str(k.clone()), V::J(m[k].clone())))
                    .collect()
            }
            V::Int(n) => (0..(*n).max(0)).map(|i| (V::Int(i), V::Int(i))).collect(),
            V::Invalid => Vec::new(),
            // Reported at the last node the pipeline evaluated, as Go does.
            other => return self.fail(format!("range can't iterate over {}", value_string(other))),
        };
        if items.is_empty() {
            if let Some(e) = &b.else_list {
                self.walk(dot, e)?;
            }
            self.vars.truncate(mark);
            return Ok(());
        }
        for (k, elem) in items {
            match b.pipe.decl.as_slice() {
                [one] => self.set_var(one, elem.clone())?,
                [key, val] => {
                    self.set_var(key, k)?;
                    self.set_var(val, elem.clone())?;
                }
                _ => {}
            }
            let inner = self.vars.len();
            let flow = self.walk(&elem, &b.list)?;
            self.vars.truncate(inner);
            if let Flow::Break = flow {
                break;
            }
        }
        self.vars.truncate(mark);
        Ok(())
    }

    fn pipeline(&mut self, dot: &V, pipe: &Pipe) -> R<V> {
        self.at(pipe.pos, pipe.to_string());
        let mut value: Option<V> = None;
        for c in &pipe.cmds {
            let v = self.command(dot, c, value.take())?;
            value = Some(v.unwrap_interface());
        }
        let v = value.unwrap_or(V::Invalid);
        for d in &pipe.decl {
            if pipe.is_assign {
                self.set_var(d, v.clone())?;
            } else {
                self.vars.push((d.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    fn command(&mut self, dot: &V, cmd: &Command, fin: Option<V>) -> R<V> {
        self.tick()?;
        let first = &cmd.args[0];
        let has_args = cmd.args.len() > 1 || fin.is_some();
        match first {
            Arg::Field { pos, idents } => {
                self.at(*pos, first.to_string());
                if has_args {
                    return self.fail(format!(
                        "{} is not a method but has arguments",
                        idents.last().map_or("", String::as_str)
                    ));
                }
                self.fields(dot.clone(), idents)
            }
            Arg::Var { pos, name, idents } => {
                self.at(*pos, first.to_string());
                let v = self.var(name)?;
                if idents.is_empty() {
                    if has_args {
                        return self.fail(format!("can't give argument to non-function {}", first));
                    }
                    return Ok(v);
                }
                if has_args {
                    return self.fail(format!(
                        "{} is not a method but has arguments",
                        idents.last().map_or("", String::as_str)
                    ));
                }
                self.fields(v, idents)
            }
            // evalFieldChain names no node: errors show the last one evaluated.
            Arg::Chain { node, fields, .. } => {
                let base = self.arg(dot, node)?;
                if has_args {
                    return self.fail(format!(
                        "{} is not a method but has arguments",
                        fields.last().map_or("", String::as_str)
                    ));
                }
                self.fields(base, fields)
            }
            Arg::Ident { pos, name } => {
                self.at(*pos, first.to_string());
                self.call(dot, name, cmd, fin)
            }
            Arg::Pipe(p) => {
                if has_args {
                    self.at(cmd.pos, first.to_string());
                    return self.fail(format!("can't give argument to non-function {first}"));
                }
                self.pipeline(dot, p)
            }
            Arg::Nil(pos) => {
                self.at(*pos, first.to_string());
                self.fail("nil is not a command")
            }
            _ => {
                self.at(first.pos(), first.to_string());
                if has_args {
                    return self.fail(format!("can't give argument to non-function {first}"));
                }
                self.arg(dot, first)
            }
        }
    }

    /// Field chain lookups on maps (text/template's evalField for a map receiver).
    fn fields(&mut self, mut v: V, idents: &[String]) -> R<V> {
        for name in idents {
            v = match v {
                V::Invalid => V::Invalid,
                V::J(Value::Object(m)) => m.get(name).cloned().map_or(V::Invalid, V::J),
                V::J(Value::Null) => {
                    return self.fail(format!("nil pointer evaluating interface {{}}.{name}"))
                }
                V::J(_) => {
                    return self.fail(format!(
                        "can't evaluate field {name} in type interface {{}}"
                    ))
                }
                other => {
                    return self.fail(format!(
                        "can't evaluate field {name} in type {}",
                        go_type(&other)
                    ))
                }
            };
        }
        Ok(v)
    }

    /// An argument's value (evalArg for an `interface{}` or reflect.Value parameter).
    fn arg(&mut self, dot: &V, a: &Arg) -> R<V> {
        self.tick()?;
        self.at(a.pos(), a.to_string());
        match a {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Ok(V::J(Value::Null)),
            Arg::Bool(_, b) => Ok(V::Bool(*b)),
            Arg::Num { value, .. } => Ok(match value {
                Number::Int(i) => V::Int(*i),
                Number::Float(f) => V::Float(*f),
            }),
            Arg::Str { value, .. } => Ok(V::Str(value.clone())),
            Arg::Field { pos, idents } => {
                self.at(*pos, a.to_string());
                self.fields(dot.clone(), idents)
            }
            Arg::Var { pos, name, idents } => {
                self.at(*pos, a.to_string());
                let v = self.var(name)?;
                self.fields(v, idents)
            }
            Arg::Pipe(p) => self.pipeline(dot, p),
            Arg::Chain { node, fields, .. } => {
                let base = self.arg(dot, node)?;
                self.fields(base, fields)
            }
            Arg::Ident { pos, name } => {
                self.at(*pos, a.to_string());
                let cmd = Command {
                    pos: *pos,
                    args: vec![a.clone()],
                };
                self.call(dot, name, &cmd, None)
            }
        }
    }

    fn call(&mut self, dot: &V, name: &str, cmd: &Command, fin: Option<V>) -> R<V> {
        let ctx = (cmd.pos, cmd.to_string());
        let nargs = cmd.args.len() - 1 + usize::from(fin.is_some());
        // printf's format is a string parameter: a literal of another type is
        // refused where it stands (evalArg), before anything runs.
        if name == "printf" {
            match cmd.args.get(1) {
                Some(a @ (Arg::Num { .. } | Arg::Bool(..))) => {
                    self.at(a.pos(), a.to_string());
                    return self.fail(format!("expected string; found {a}"));
                }
                Some(a @ Arg::Nil(_)) => {
                    self.at(a.pos(), a.to_string());
                    return self.fail("cannot assign nil to string");
                }
                _ => {}
            }
        }
        // The argument count is checked before any argument runs.
        let (want, variadic) = match name {
            "not" | "len" | "base64decode" => (1, false),
            "ne" | "lt" | "le" | "gt" | "ge" => (2, false),
            "print" | "println" | "html" | "js" | "urlquery" => (0, true),
            _ => (1, true),
        };
        if variadic && nargs < want {
            return self.fail(format!(
                "wrong number of args for {name}: want at least {want} got {nargs}"
            ));
        }
        if !variadic && nargs != want {
            return self.fail(format!(
                "wrong number of args for {name}: want {want} got {nargs}"
            ));
        }
        // and/or evaluate lazily and return an argument itself.
        if name == "and" || name == "or" {
            let mut last = V::Invalid;
            for a in &cmd.args[1..] {
                let v = self.arg(dot, a)?;
                if v.truth() == (name == "or") {
                    return Ok(v);
                }
                last = v;
            }
            if let Some(f) = fin {
                return Ok(f);
            }
            return Ok(last);
        }
        let mut args = Vec::with_capacity(nargs);
        for a in &cmd.args[1..] {
            args.push(self.arg(dot, a)?);
        }
        if let Some(f) = fin {
            args.push(f);
        }
        let called = |r: Result<V, String>, s: &mut State| -> R<V> {
            r.or_else(|e| {
                s.at(ctx.0, ctx.1.clone());
                s.fail(format!("error calling {name}: {e}"))
            })
        };
        match name {
            "not" => Ok(V::Bool(!args[0].truth())),
            "len" => called(go_len(&args[0]), self),
            "index" => called(go_index(&args[0], &args[1..]), self),
            "eq" => called(go_eq(&args[0], &args[1..]).map(V::Bool), self),
            "ne" => called(go_eq(&args[0], &args[1..2]).map(|b| V::Bool(!b)), self),
            "lt" | "le" | "gt" | "ge" => {
                let r = go_lt(&args[0], &args[1]).and_then(|lt| {
                    let eq = go_eq(&args[0], &args[1..2])?;
                    Ok(V::Bool(match name {
                        "lt" => lt,
                        "le" => lt || eq,
                        "gt" => !lt && !eq,
                        _ => !lt,
                    }))
                });
                called(r, self)
            }
            "print" => Ok(V::Str(sprint(&args))),
            "println" => Ok(V::Str(sprintln(&args))),
            "printf" => {
                let format = match &args[0] {
                    V::Str(s) | V::J(Value::String(s)) => s.clone(),
                    V::Invalid => return self.fail("invalid value; expected string"),
                    other => {
                        return self.fail(format!(
                            "wrong type for value; expected string; got {}",
                            go_type(other)
                        ));
                    }
                };
                Ok(V::Str(sprintf(&format, &args[1..])))
            }
            "exists" => Ok(V::Bool(exists(&args[0], &args[1..]))),
            "base64decode" => {
                let s = match &args[0] {
                    V::Str(s) | V::J(Value::String(s)) => s.clone(),
                    other => {
                        return self.fail(format!(
                            "wrong type for value; expected string; got {}",
                            go_type(other)
                        ))
                    }
                };
                match base64_decode(&s) {
                    Ok(b) => Ok(V::Str(String::from_utf8_lossy(&b).into_owned())),
                    Err(e) => {
                        self.at(ctx.0, ctx.1.clone());
                        self.fail(format!(
                            "error calling base64decode: base64 decode failed: {e}"
                        ))
                    }
                }
            }
            other => self.fail(format!(
                "{other} is not supported by this simulator's templates"
            )),
        }
    }
}

fn go_len(v: &V) -> Result<V, String> {
    match v {
        V::Invalid => Err("reflect: call of reflect.Value.Type on zero Value".into()),
        V::J(Value::Null) => Err("len of nil pointer".into()),
        V::J(Value::String(s)) | V::Str(s) => Ok(V::Int(s.len() as i64)),
        V::J(Value::Array(a)) => Ok(V::Int(a.len() as i64)),
        V::J(Value::Object(m)) => Ok(V::Int(m.len() as i64)),
        other => Err(format!("len of type {}", go_type(other))),
    }
}

fn go_index(item: &V, idx: &[V]) -> Result<V, String> {
    let mut cur = item.clone();
    for i in idx {
        cur = match cur {
            V::Invalid | V::J(Value::Null) => return Err("index of untyped nil".into()),
            V::J(Value::Array(a)) => {
                let n = index_int(i, a.len())?;
                V::J(a[n].clone())
            }
            V::J(Value::String(s)) | V::Str(s) => {
                let n = index_int(i, s.len())?;
                V::Int(i64::from(s.as_bytes()[n]))
            }
            V::J(Value::Object(m)) => match i {
                V::Str(k) | V::J(Value::String(k)) => {
                    m.get(k).cloned().map_or(V::J(Value::Null), V::J)
                }
                V::Invalid | V::J(Value::Null) => {
                    return Err("value is nil; should be of type string".into())
                }
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        go_type(other)
                    ))
                }
            },
            other => return Err(format!("can't index item of type {}", go_type(&other))),
        };
    }
    Ok(cur)
}

fn index_int(i: &V, len: usize) -> Result<usize, String> {
    let n = match i {
        V::Int(n) => *n,
        V::J(Value::Number(n)) if n.is_i64() => n.as_i64().unwrap_or(0),
        V::Invalid | V::J(Value::Null) => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                go_type(other)
            ))
        }
    };
    if n < 0 || n as usize >= len {
        return Err(format!("index out of range: {n}"));
    }
    Ok(n as usize)
}

/// text/template's basicKind classes.
#[derive(PartialEq, Clone, Copy)]
enum Basic {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
    Other,
}

fn basic(v: &V) -> Basic {
    match v {
        V::Invalid | V::J(Value::Null) => Basic::Invalid,
        V::Bool(_) | V::J(Value::Bool(_)) => Basic::Bool,
        V::Int(_) => Basic::Int,
        V::J(Value::Number(n)) if n.is_i64() || n.is_u64() => Basic::Int,
        V::Float(_) | V::J(Value::Number(_)) => Basic::Float,
        V::Str(_) | V::J(Value::String(_)) => Basic::Str,
        _ => Basic::Other,
    }
}

fn as_f64(v: &V) -> f64 {
    match v {
        V::Int(i) => *i as f64,
        V::Float(f) => *f,
        V::J(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn as_i128(v: &V) -> i128 {
    match v {
        V::Int(i) => i128::from(*i),
        V::J(Value::Number(n)) => n
            .as_i64()
            .map(i128::from)
            .or(n.as_u64().map(i128::from))
            .unwrap_or(0),
        _ => 0,
    }
}

fn as_str(v: &V) -> &str {
    match v {
        V::Str(s) | V::J(Value::String(s)) => s,
        _ => "",
    }
}

fn go_eq(a: &V, others: &[V]) -> Result<bool, String> {
    if others.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let ka = basic(a);
    for b in others {
        let kb = basic(b);
        let truth = if ka != kb {
            if ka != Basic::Invalid && kb != Basic::Invalid {
                return Err("incompatible types for comparison".into());
            }
            false
        } else {
            match ka {
                Basic::Invalid => true,
                Basic::Bool => a.truth() == b.truth(),
                Basic::Int => as_i128(a) == as_i128(b),
                Basic::Float => as_f64(a) == as_f64(b),
                Basic::Str => as_str(a) == as_str(b),
                Basic::Other => {
                    return Err(format!(
                        "non-comparable type {}: {}",
                        sprintf("%s", std::slice::from_ref(a)),
                        go_type(a)
                    ))
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn go_lt(a: &V, b: &V) -> Result<bool, String> {
    let (ka, kb) = (basic(a), basic(b));
    for k in [ka, kb] {
        if matches!(k, Basic::Invalid | Basic::Bool | Basic::Other) {
            return Err("invalid type for comparison".into());
        }
    }
    if ka != kb {
        return Err("incompatible types for comparison".into());
    }
    Ok(match ka {
        Basic::Int => as_i128(a) < as_i128(b),
        Basic::Float => as_f64(a) < as_f64(b),
        _ => as_str(a) < as_str(b),
    })
}

/// kubectl's `exists`: whether the path of keys/indices leads to a value.
fn exists(item: &V, path: &[V]) -> bool {
    let mut cur = match item {
        V::J(v) => v.clone(),
        _ => return false,
    };
    for p in path {
        let next = match (&cur, p) {
            (Value::Object(m), V::Str(k) | V::J(Value::String(k))) => m.get(k).cloned(),
            (Value::Array(a), V::Int(i)) if *i >= 0 => a.get(*i as usize).cloned(),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return false,
        }
    }
    true
}

/// Executes a template over a decoded object.
pub fn execute(t: &Template, data: &Value) -> Result<String, (String, ExecError)> {
    let mut s = State {
        name: "output".to_string(),
        defs: t.defs.clone(),
        depth: 0,
        vars: vec![("$".to_string(), V::J(data.clone()))],
        out: String::new(),
        at: (0, String::new()),
        steps: 0,
    };
    let dot = V::J(data.clone());
    match s.walk(&dot, &t.root) {
        Ok(_) => Ok(s.out),
        Err(e) => Err((s.out, e)),
    }
}
