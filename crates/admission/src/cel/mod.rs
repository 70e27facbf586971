//! CEL for admission: the environment (standard library, Kubernetes' `ip`,
//! `cidr` and `regex` libraries, cel-go's `strings` and `lists` extensions),
//! compiling with the Pratt parser, JSON → CEL values, and error texts worded
//! as cel-go words them.

mod k8slists;
pub mod netaddr;
pub mod netlib;
mod regexlib;

use cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, CelUInt,
};
use cel::common::value::Val;
use cel::parser::{ParseErrors, PrattParser};
use cel::{Context, Env, ExecutionError, IdedExpr};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The deepest JSON nesting turned into CEL values; deeper parts become
/// `null` so that a hostile object cannot exhaust the stack.
const MAX_JSON_DEPTH: usize = 200;

/// The parser's nesting limit (cel-go's default is 250 on a larger stack;
/// the Pratt parser's own default is 96, kept for wasm's smaller stack).
const MAX_RECURSION_DEPTH: u16 = 96;

/// The deepest expression tree evaluated (see `compile`).
const MAX_AST_DEPTH: usize = 100;

fn build_env() -> Result<Env, cel::DeclarationError> {
    let mut env = Env::stdlib();
    env.add_extension(cel::extensions::strings)?;
    env.add_extension(cel::extensions::lists)?;
    env.add_extension(netlib::extension)?;
    env.add_extension(regexlib::extension)?;
    env.add_extension(k8slists::extension)?;
    Ok(env)
}

/// The one environment, built on first use.
pub fn env() -> Result<Arc<Env>, String> {
    static ENV: OnceLock<Result<Arc<Env>, String>> = OnceLock::new();
    ENV.get_or_init(|| build_env().map(Arc::new).map_err(|e| e.to_string()))
        .clone()
}

/// A compiled expression.
#[derive(Debug)]
pub struct Program {
    pub source: String,
    expr: IdedExpr,
}

/// Compiles `source`; the error is cel-go's `issues.String()` shape
/// (`ERROR: <input>:line:col: msg` + the source line + a caret).
pub fn compile(source: &str) -> Result<Program, String> {
    let parser = PrattParser::new().max_recursion_depth(MAX_RECURSION_DEPTH);
    match parser.parse(source) {
        Ok(expr) => {
            if ast_depth_exceeds(&expr, MAX_AST_DEPTH) {
                // The parser limits nesting it recurses on, but builds operator
                // chains (`1 + 1 + ...`) iteratively; the interpreter recurses on
                // every level, so deeper trees are refused as cel-go refuses
                // deep nesting.
                return Err(format!(
                    "ERROR: <input>:-1:0: max recursion depth exceeded: {MAX_AST_DEPTH}"
                ));
            }
            Ok(Program {
                source: source.to_string(),
                expr,
            })
        }
        Err(errors) => Err(format_parse_errors(source, &errors)),
    }
}

/// The variables an admission expression may read: upstream declares
/// `params` only when the policy has a paramKind, and `authorizer` everywhere
/// but in messageExpression.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Decls {
    pub params: bool,
    pub authorizer: bool,
}

const ALWAYS_DECLARED: &[&str] = &[
    "object",
    "oldObject",
    "request",
    "namespaceObject",
    "variables",
];
/// Type names an expression may name (`type(x) == int`, `net.IP`).
const TYPE_IDENTS: &[&str] = &[
    "int",
    "uint",
    "double",
    "bool",
    "string",
    "bytes",
    "list",
    "map",
    "type",
    "null_type",
    "dyn",
    "net",
];
/// Namespaces of the functions this environment declares (`ip.isCanonical`, `lists.range`...).
const FUNCTION_NAMESPACES: &[&str] = &["ip", "strings", "lists", "optional", "math", "base64"];

/// Compiles an admission expression: `compile`, then cel-go's checker's
/// `undeclared reference to 'x' (in container '')` for identifiers no
/// declaration, comprehension or function namespace accounts for.
pub fn compile_with(source: &str, decls: Decls) -> Result<Program, String> {
    let program = compile(source)?;
    let undeclared = undeclared_references(&program.expr, decls);
    if undeclared.is_empty() {
        return Ok(program);
    }
    let mut found: Vec<(usize, usize, String)> = undeclared
        .iter()
        .map(|name| {
            let (line, col) = ident_position(source, name).unwrap_or((1, 1));
            (line, col, name.clone())
        })
        .collect();
    found.sort();
    let lines: Vec<&str> = source.split('\n').collect();
    Err(found
        .iter()
        .map(|(line, col, name)| {
            let text = lines.get(line - 1).copied().unwrap_or_default();
            format!(
                "ERROR: <input>:{line}:{col}: undeclared reference to '{name}' (in container '')\n | {text}\n | {}^",
                ".".repeat(col - 1)
            )
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Free identifiers of `root` that nothing declares, in first-seen order.
fn undeclared_references(root: &IdedExpr, decls: Decls) -> Vec<String> {
    use cel::common::ast::{EntryExpr, Expr};
    let declared = |name: &str, scope: &[String]| {
        ALWAYS_DECLARED.contains(&name)
            || TYPE_IDENTS.contains(&name)
            || (decls.params && name == "params")
            || (decls.authorizer && name == "authorizer")
            || scope.iter().any(|s| s == name)
    };
    let mut out: Vec<String> = Vec::new();
    let mut stack: Vec<(&IdedExpr, Vec<String>)> = vec![(root, Vec::new())];
    while let Some((e, scope)) = stack.pop() {
        match &e.expr {
            Expr::Ident(name) => {
                if !declared(name, &scope) && !out.contains(name) {
                    out.push(name.clone());
                }
            }
            Expr::Call(c) => {
                if let Some(t) = &c.target {
                    let namespaced = matches!(&t.expr, Expr::Ident(n) if FUNCTION_NAMESPACES.contains(&n.as_str()));
                    if !namespaced {
                        stack.push((t, scope.clone()));
                    }
                }
                stack.extend(c.args.iter().rev().map(|a| (a, scope.clone())));
            }
            Expr::Comprehension(c) => {
                let mut inner = scope.clone();
                inner.push(c.iter_var.clone());
                inner.extend(c.iter_var2.iter().cloned());
                inner.push(c.accu_var.clone());
                let mut result_scope = scope.clone();
                result_scope.push(c.accu_var.clone());
                stack.push((&c.result, result_scope));
                stack.push((&c.loop_step, inner.clone()));
                stack.push((&c.loop_cond, inner));
                stack.push((&c.accu_init, scope.clone()));
                stack.push((&c.iter_range, scope));
            }
            Expr::List(l) => stack.extend(l.elements.iter().rev().map(|x| (x, scope.clone()))),
            Expr::Map(m) => {
                for entry in m.entries.iter().rev() {
                    if let EntryExpr::MapEntry(me) = &entry.expr {
                        stack.push((&me.value, scope.clone()));
                        stack.push((&me.key, scope.clone()));
                    }
                }
            }
            Expr::Struct(st) => {
                for entry in st.entries.iter().rev() {
                    if let EntryExpr::StructField(f) = &entry.expr {
                        stack.push((&f.value, scope.clone()));
                    }
                }
            }
            Expr::Select(sel) => stack.push((&sel.operand, scope)),
            Expr::Unspecified | Expr::Literal(_) => {}
        }
    }
    out
}

/// Where identifier `name` first appears in `source` as an identifier (not in
/// a string literal, not after a `.`): 1-based line and code-point column.
fn ident_position(source: &str, name: &str) -> Option<(usize, usize)> {
    let chars: Vec<char> = source.chars().collect();
    let (mut i, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let mut prev_significant = ' ';
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            line_start = i + 1;
            i += 1;
            continue;
        }
        if c == '"' || c == '\'' {
            // Skip a string literal (triple-quoted or not), honouring escapes.
            let triple = i + 2 < chars.len() && chars[i + 1] == c && chars[i + 2] == c;
            let raw = i > 0 && matches!(chars[i - 1], 'r' | 'R');
            i += if triple { 3 } else { 1 };
            while i < chars.len() {
                if chars[i] == '\\' && !raw {
                    i += 2;
                    continue;
                }
                if chars[i] == '\n' {
                    line += 1;
                    line_start = i + 1;
                }
                if chars[i] == c
                    && (!triple || (i + 2 < chars.len() && chars[i + 1] == c && chars[i + 2] == c))
                {
                    i += if triple { 3 } else { 1 };
                    break;
                }
                i += 1;
            }
            prev_significant = c;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word == name && prev_significant != '.' {
                return Some((line, start - line_start + 1));
            }
            prev_significant = 'a';
            continue;
        }
        if !c.is_whitespace() {
            prev_significant = c;
        }
        i += 1;
    }
    None
}

/// Whether `root` is more than `max` levels deep, found without recursing.
fn ast_depth_exceeds(root: &IdedExpr, max: usize) -> bool {
    use cel::common::ast::{EntryExpr, Expr};
    let mut stack: Vec<(&IdedExpr, usize)> = vec![(root, 1)];
    while let Some((e, depth)) = stack.pop() {
        if depth > max {
            return true;
        }
        let d = depth + 1;
        match &e.expr {
            Expr::Call(c) => {
                stack.extend(c.target.iter().map(|t| (&**t, d)));
                stack.extend(c.args.iter().map(|a| (a, d)));
            }
            Expr::Comprehension(c) => {
                for x in [
                    &c.iter_range,
                    &c.accu_init,
                    &c.loop_cond,
                    &c.loop_step,
                    &c.result,
                ] {
                    stack.push((x, d));
                }
            }
            Expr::List(l) => stack.extend(l.elements.iter().map(|x| (x, d))),
            Expr::Map(m) => {
                for entry in &m.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(me) => {
                            stack.push((&me.key, d));
                            stack.push((&me.value, d));
                        }
                        EntryExpr::StructField(f) => stack.push((&f.value, d)),
                    }
                }
            }
            Expr::Struct(st) => {
                for entry in &st.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(me) => {
                            stack.push((&me.key, d));
                            stack.push((&me.value, d));
                        }
                        EntryExpr::StructField(f) => stack.push((&f.value, d)),
                    }
                }
            }
            Expr::Select(sel) => stack.push((&sel.operand, d)),
            Expr::Unspecified | Expr::Ident(_) | Expr::Literal(_) => {}
        }
    }
    false
}

fn format_parse_errors(source: &str, errors: &ParseErrors) -> String {
    let lines: Vec<&str> = source.split('\n').collect();
    let mut out = Vec::new();
    for e in &errors.errors {
        let (line, col) = e.pos;
        let mut s = format!("ERROR: <input>:{line}:{col}: {}", e.msg);
        if line >= 1 {
            if let Some(text) = lines.get((line - 1) as usize) {
                s.push_str(&format!("\n | {text}"));
                let dots = ".".repeat(col.max(1) as usize - 1);
                s.push_str(&format!("\n | {dots}^"));
            }
        }
        out.push(s);
    }
    out.join("\n")
}

/// cel-go's wording for the runtime errors expressions commonly hit.
pub fn error_text(e: &ExecutionError) -> String {
    match e {
        ExecutionError::NoSuchKey(k) => format!("no such key: {k}"),
        ExecutionError::DivisionByZero(_) => "division by zero".to_string(),
        ExecutionError::RemainderByZero(_) => "modulus by zero".to_string(),
        ExecutionError::FunctionError { function, message }
            if netlib::FUNCTIONS.contains(&function.as_str())
                || regexlib::FUNCTIONS.contains(&function.as_str())
                || k8slists::FUNCTIONS.contains(&function.as_str())
                || function == "variables" =>
        {
            message.clone()
        }
        other => other.to_string(),
    }
}

/// A JSON value as a CEL value borrowing its strings (Kubernetes hands CEL
/// the unstructured object: maps, lists, strings, int64, float64, bool, null).
pub fn json_to_val<'v>(v: &'v serde_json::Value) -> Box<dyn Val + 'v> {
    json_to_val_depth(v, 0)
}

fn json_to_val_depth<'v>(v: &'v serde_json::Value, depth: usize) -> Box<dyn Val + 'v> {
    if depth > MAX_JSON_DEPTH {
        return Box::new(CelNull);
    }
    match v {
        serde_json::Value::Null => Box::new(CelNull),
        serde_json::Value::Bool(b) => Box::new(CelBool::from(*b)),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Box::new(CelInt::from(i))
            } else if let Some(u) = n.as_u64() {
                Box::new(CelUInt::from(u))
            } else {
                Box::new(CelDouble::from(n.as_f64().unwrap_or(0.0)))
            }
        }
        serde_json::Value::String(s) => Box::new(CelString::from(s.as_str())),
        serde_json::Value::Array(a) => Box::new(CelList::from(
            a.iter()
                .map(|x| json_to_val_depth(x, depth + 1))
                .collect::<Vec<_>>(),
        )),
        serde_json::Value::Object(m) => {
            let map: HashMap<CelMapKey<'v>, Box<dyn Val + 'v>> = m
                .iter()
                .map(|(k, x)| (CelMapKey::from(k.as_str()), json_to_val_depth(x, depth + 1)))
                .collect();
            Box::new(CelMap::from(map))
        }
    }
}

/// The outcome of one evaluation, reduced to what admission reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Bool(bool),
    String(String),
    Null,
    /// Any other type, by its CEL type name.
    Other(String),
}

impl Program {
    /// Evaluates against `ctx`; the error is worded as cel-go words it.
    pub fn eval(&self, ctx: &Context<'_, '_>) -> Result<Outcome, String> {
        let v = cel::Value::resolve_val(&self.expr, ctx).map_err(|e| error_text(&e))?;
        if let Some(b) = v.downcast_ref::<CelBool>() {
            return Ok(Outcome::Bool(bool::from(*b)));
        }
        if let Some(s) = v.downcast_ref::<CelString>() {
            return Ok(Outcome::String(s.inner().to_string()));
        }
        if v.downcast_ref::<CelNull>().is_some() {
            return Ok(Outcome::Null);
        }
        Ok(Outcome::Other(v.get_type().name().to_string()))
    }

    /// Evaluates to the value itself (a variable's value).
    pub fn eval_val<'v>(&self, ctx: &Context<'_, 'v>) -> Result<Box<dyn Val + 'v>, ExecutionError> {
        cel::Value::resolve_val(&self.expr, ctx).map(|v| v.into_owned())
    }
}

/// Compiles and evaluates `source` with the given JSON variables: the entry
/// point the fuzz test drives, and a playground "try an expression" helper.
pub fn evaluate_expression(
    source: &str,
    vars: &[(&str, &serde_json::Value)],
) -> Result<Outcome, String> {
    let program = compile(source)?;
    let mut ctx = Context::with_env(env()?);
    for (name, value) in vars {
        ctx.add_variable_as_val(*name, json_to_val(value));
    }
    program.eval(&ctx)
}
