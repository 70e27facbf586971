//! `kubectl -o jsonpath=…` (k8s.io/client-go/util/jsonpath as kubectl's
//! printer drives it), checked against kubectl 1.33.
//!
//! The template grammar, the evaluation order (including the stateful
//! `{range}`…`{end}` handling), the way results are printed (strings raw,
//! maps and lists as compact JSON, several results joined by one space) and
//! the error texts follow upstream. One deliberate difference: where upstream
//! walks a map (`*`, `..`) it uses Go's random map order; this walks keys in
//! sorted order so output is reproducible.

use super::yaml::{go_format_g, to_json, to_json_compact};
use serde_json::{Map, Value};

/// How kubectl's printer is configured.
#[derive(Clone, Copy, Debug)]
pub struct JsonPathOptions {
    /// `--allow-missing-template-keys` (kubectl's default is true): a missing
    /// field yields nothing instead of `X is not found`.
    pub allow_missing_keys: bool,
    /// `-o jsonpath-as-json=…`: every `{…}` prints a JSON array, indented.
    pub as_json: bool,
}

impl Default for JsonPathOptions {
    fn default() -> Self {
        JsonPathOptions {
            allow_missing_keys: true,
            as_json: false,
        }
    }
}

/// Evaluates `template` (as kubectl receives it, i.e. after shell unquoting)
/// against `v` with kubectl's defaults.
///
/// `Err` carries kubectl's message without the `error: ` prefix its error
/// handler adds (see [`super::printers::error_output`]): either
/// `error parsing jsonpath <tmpl>, <why>\n` or
/// `error executing jsonpath "<tmpl>": Error executing template: <why>. Printing more information …`.
/// Nothing is printed on stdout when it fails.
pub fn eval(template: &str, v: &Value) -> Result<String, String> {
    eval_with(template, v, &JsonPathOptions::default())
}

pub fn eval_with(template: &str, v: &Value, opts: &JsonPathOptions) -> Result<String, String> {
    let nodes = parse(template).map_err(|e| format!("error parsing jsonpath {template}, {e}\n"))?;
    let mut ex = Exec {
        nodes: &nodes,
        begin_range: 0,
        in_range: 0,
        end_range: 0,
        last_end_node: None,
        allow_missing: opts.allow_missing_keys,
    };
    match ex.find_results(Item::V(v), 0) {
        Ok(all) => {
            let mut out = String::new();
            for results in &all {
                print_results(&mut out, results, opts.as_json);
            }
            Ok(out)
        }
        Err(e) => Err(format!(
            "error executing jsonpath {}: Error executing template: {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
            go_quote(template),
            e,
            template,
            go_sharp_v(v)
        )),
    }
}

/// A parsed template, for printers that evaluate one template on many objects
/// and format the values themselves (kubectl's custom-columns printer).
pub struct Compiled(Vec<Node>);

/// Parses `template`; `Err` is the parser's bare message (`unterminated array`).
pub fn compile(template: &str) -> Result<Compiled, String> {
    parse(template).map(Compiled)
}

impl Compiled {
    /// Upstream `FindResults` with missing keys allowed: per result list, each
    /// value as Go's `%v` prints it (`map[k:v]`, `[a b]`). `Err` is the bare
    /// execution error (`array index out of bounds: index 5, length 1`).
    pub fn values_v(&self, v: &Value) -> Result<Vec<Vec<String>>, String> {
        let mut ex = Exec {
            nodes: &self.0,
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            last_end_node: None,
            allow_missing: true,
        };
        let all = ex.find_results(Item::V(v), 0)?;
        Ok(all
            .iter()
            .map(|results| results.iter().map(go_v).collect())
            .collect())
    }
}

// ---------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    Array([Param; 3]),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Identifier(String),
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    root: Vec<Node>,
}

/// Parses a whole template into the root node list (text and `{…}` lists).
fn parse(text: &str) -> Result<Vec<Node>, String> {
    let mut p = Parser {
        input: text,
        pos: 0,
        start: 0,
        root: Vec::new(),
    };
    p.parse_text()?;
    Ok(p.root)
}

/// `parseAction`: the nodes of one `{text}`.
fn parse_action(text: &str) -> Result<Vec<Node>, String> {
    let nodes = parse(&format!("{{{text}}}"))?;
    match nodes.into_iter().next() {
        Some(Node::List(n)) => Ok(n),
        _ => Ok(Vec::new()),
    }
}

fn is_terminator(r: Option<char>) -> bool {
    match r {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_ascii_digit()
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.input.get(self.pos..).unwrap_or("")
    }
    fn next(&mut self) -> Option<char> {
        let c = self.rest().chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
        }
    }
    fn consume(&mut self) -> String {
        let s = self
            .input
            .get(self.start..self.pos)
            .unwrap_or("")
            .to_string();
        self.start = self.pos;
        s
    }

    fn parse_text(&mut self) -> Result<(), String> {
        loop {
            if self.rest().starts_with('{') {
                if self.pos > self.start {
                    let t = self.consume();
                    self.root.push(Node::Text(t));
                }
                // Left delimiter: a new action list.
                self.pos += 1;
                self.consume();
                let mut cur = Vec::new();
                let closed = self.parse_inside_action(&mut cur)?;
                self.root.push(Node::List(cur));
                if !closed {
                    return Ok(());
                }
                continue;
            }
            if self.next().is_none() {
                break;
            }
        }
        if self.pos > self.start {
            let t = self.consume();
            self.root.push(Node::Text(t));
        }
        Ok(())
    }

    /// Reads one action up to and including its `}`; returns whether the
    /// right delimiter was found (it always is unless an error occurred).
    fn parse_inside_action(&mut self, cur: &mut Vec<Node>) -> Result<bool, String> {
        loop {
            let rest = self.rest();
            if rest.starts_with('}') {
                self.pos += 1;
                self.consume();
                return Ok(true);
            }
            if rest.starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if rest.starts_with("..") {
                if matches!(cur.last(), Some(Node::Recursive)) {
                    return Err("invalid multiple recursive descent".into());
                }
                self.pos += 2;
                self.consume();
                cur.push(Node::Recursive);
                if self.peek().is_some_and(is_alphanumeric) {
                    self.parse_field(cur);
                }
                continue;
            }
            let r = self.next();
            match r {
                None | Some('\r') | Some('\n') => return Err("unclosed action".into()),
                Some(' ') | Some('@') | Some('$') => {
                    self.consume();
                }
                Some('[') => self.parse_array(cur)?,
                Some(q @ ('"' | '\'')) => self.parse_quote(cur, q)?,
                Some('.') => self.parse_field(cur),
                Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                    self.backup(r);
                    self.parse_number(cur)?;
                }
                Some(c) if is_alphanumeric(c) => {
                    self.backup(r);
                    self.parse_identifier(cur);
                }
                Some(c) => {
                    return Err(format!(
                        "unrecognized character in action: {}",
                        go_sharp_u(c)
                    ))
                }
            }
        }
    }

    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup(r);
                break;
            }
        }
        let v = self.consume();
        match v.as_str() {
            "true" => cur.push(Node::Bool(true)),
            "false" => cur.push(Node::Bool(false)),
            _ => cur.push(Node::Identifier(v)),
        }
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            let r = self.next();
            if !matches!(r, Some(c) if c == '.' || c.is_ascii_digit()) {
                self.backup(r);
                break;
            }
        }
        let v = self.consume();
        if let Ok(i) = v.parse::<i64>() {
            cur.push(Node::Int(i));
            return Ok(());
        }
        if let Some(f) = go_parse_float(&v) {
            cur.push(Node::Float(f));
            return Ok(());
        }
        Err(format!("cannot parse number {v}"))
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                _ => {}
            }
        }
        let full = self.consume();
        let mut text = full[1..full.len() - 1].to_string();
        if text == "*" {
            text = ":".into();
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for s in parts {
                union.push(parse_action(&format!("[{}]", s.trim_matches(' ')))?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        // ['key'] is the same as .key
        if text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') {
            let inner = &text[1..text.len() - 1];
            if !inner.contains('\'') {
                cur.extend(parse_action(&format!(".{inner}"))?);
                return Ok(());
            }
        }
        let groups = slice_groups(&text).ok_or_else(|| format!("invalid array index {text}"))?;
        let mut params = [Param::default(); 3];
        for i in 0..3 {
            let g = groups[i];
            if !g.is_empty() {
                let g = if i > 0 { &g[1..] } else { g };
                if i > 0 && g.is_empty() {
                    params[i].known = false;
                } else {
                    params[i].known = true;
                    params[i].value =
                        go_atoi(g).ok_or_else(|| format!("array index {g} is not a number"))?;
                }
            } else if i == 1 {
                params[i].known = true;
                params[i].value = params[0].value.saturating_add(1);
                params[i].derived = true;
            }
        }
        cur.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let mut begin = false;
        let mut end = false;
        let mut pair = '\0';
        loop {
            let r = self.next();
            match r {
                None | Some('\n') => return Err("unterminated filter".into()),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    let prev = self.input.as_bytes().get(self.pos.wrapping_sub(2)).copied();
                    if prev != Some(b'\\') && q == pair {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let full = self.consume();
        let text = &full[..full.len() - 2];
        match split_filter(text) {
            None => {
                let left = parse_action(text)?;
                cur.push(Node::Filter {
                    left,
                    right: Vec::new(),
                    op: "exists".into(),
                });
            }
            Some((l, op, r)) => {
                let left = parse_action(l)?;
                let right = parse_action(r)?;
                cur.push(Node::Filter {
                    left,
                    right,
                    op: op.into(),
                });
            }
        }
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, quote: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some(c) if c == quote => {
                    let prev = self.input.as_bytes().get(self.pos.wrapping_sub(2)).copied();
                    if prev != Some(b'\\') {
                        break;
                    }
                }
                _ => {}
            }
        }
        let v = self.consume();
        let s = unquote_extend(&v).map_err(|e| format!("unquote string {v} error {e}"))?;
        cur.push(Node::Text(s));
        Ok(())
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume();
        loop {
            let r = self.next();
            if r == Some('\\') {
                self.next();
            } else if is_terminator(r) {
                self.backup(r);
                break;
            }
        }
        let v = self.consume();
        if v == "*" {
            cur.push(Node::Wildcard);
        } else {
            cur.push(Node::Field(v.replace('\\', "")));
        }
    }
}

/// `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` → the three groups ("" when absent).
fn slice_groups(text: &str) -> Option<[&str; 3]> {
    fn num_end(s: &str, from: usize) -> usize {
        let b = s.as_bytes();
        let mut i = from;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    }
    let e0 = num_end(text, 0);
    let mut out = [&text[..e0], "", ""];
    let mut pos = e0;
    for slot in out.iter_mut().skip(1) {
        if text.as_bytes().get(pos) == Some(&b':') {
            let e = num_end(text, pos + 1);
            *slot = &text[pos..e];
            pos = e;
        }
    }
    (pos == text.len()).then_some(out)
}

/// `^([^!<>=]+)([!<>=]+)(.+?)$`
fn split_filter(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let l_end = text.find(is_op)?;
    if l_end == 0 {
        return None;
    }
    let mut op_len = text[l_end..]
        .find(|c| !is_op(c))
        .unwrap_or(text.len() - l_end);
    // The right side needs at least one character, so the regex gives one
    // operator character back when the operator runs to the end (`a==`).
    if l_end + op_len == text.len() {
        if op_len < 2 {
            return None;
        }
        op_len -= 1;
    }
    let r_start = l_end + op_len;
    Some((&text[..l_end], &text[l_end..r_start], &text[r_start..]))
}

/// Go `strconv.Atoi`.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go `strconv.ParseFloat` for the digit-and-dot strings the number scanner
/// collects (a sign, digits and dots).
fn go_parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || body == "." || body.matches('.').count() > 1 {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `UnquoteExtend`: strconv.Unquote that also accepts single quotes.
fn unquote_extend(s: &str) -> Result<String, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b[b.len() - 1] || !(b[0] == b'"' || b[0] == b'\'') {
        return Err(SYNTAX);
    }
    let quote = b[0] as char;
    let body = &s[1..s.len() - 1];
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == quote {
            return Err(SYNTAX);
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or(SYNTAX)?;
        let hex = |chars: &mut std::iter::Peekable<std::str::Chars>,
                   n: usize|
         -> Result<u32, &'static str> {
            let mut v = 0u32;
            for _ in 0..n {
                let d = chars.next().and_then(|c| c.to_digit(16)).ok_or(SYNTAX)?;
                v = v * 16 + d;
            }
            Ok(v)
        };
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '\'' | '"' => {
                if e != quote {
                    return Err(SYNTAX);
                }
                out.push(e);
            }
            'x' => {
                // A single byte; only valid UTF-8 results are representable.
                let v = hex(&mut chars, 2)?;
                out.push(char::from_u32(v).filter(|_| v < 0x80).ok_or(SYNTAX)?);
            }
            'u' => out.push(char::from_u32(hex(&mut chars, 4)?).ok_or(SYNTAX)?),
            'U' => out.push(char::from_u32(hex(&mut chars, 8)?).ok_or(SYNTAX)?),
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    let d = chars.next().and_then(|c| c.to_digit(8)).ok_or(SYNTAX)?;
                    v = v * 8 + d;
                }
                if v > 255 || v >= 0x80 {
                    return Err(SYNTAX);
                }
                out.push(char::from_u32(v).ok_or(SYNTAX)?);
            }
            _ => return Err(SYNTAX),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/// A value flowing through evaluation: a node of the object, or a value the
/// template itself produced (text, numbers, booleans, or a byte of a string
/// that `*` or `..` took apart).
#[derive(Clone, Debug)]
enum Item<'a> {
    V(&'a Value),
    /// Go's invalid reflect.Value (what an empty `{range}` evaluates on).
    Nil,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Byte(u8),
}

impl<'a> Item<'a> {
    /// template.Indirect: `None` for nil (JSON null), which is skipped.
    fn deref(&self) -> Option<&Item<'a>> {
        match self {
            Item::V(Value::Null) => None,
            _ => Some(self),
        }
    }
}

struct Exec<'n> {
    nodes: &'n [Node],
    begin_range: i32,
    in_range: i32,
    end_range: i32,
    last_end_node: Option<usize>,
    allow_missing: bool,
}

impl<'n> Exec<'n> {
    /// Upstream `FindResults`, with node identity as an index into the one
    /// root node list (upstream compares pointers into the same array).
    fn find_results<'a>(
        &mut self,
        data: Item<'a>,
        start: usize,
    ) -> Result<Vec<Vec<Item<'a>>>, String> {
        let nodes = self.nodes;
        let mut full = Vec::new();
        let mut i = start;
        while i < nodes.len() {
            let results = self.walk(vec![data.clone()], &nodes[i])?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end_node = Some(i);
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                if !results.is_empty() {
                    for value in results {
                        let next = self.find_results(value, i + 1)?;
                        full.extend(next);
                    }
                } else {
                    self.find_results(Item::Nil, i + 1)?;
                }
                self.in_range -= 1;
                // Resume after the {end} this range consumed.
                if let Some(k) = ((i + 1)..nodes.len()).find(|k| Some(*k) == self.last_end_node) {
                    i = k;
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn walk<'a>(&mut self, input: Vec<Item<'a>>, node: &Node) -> Result<Vec<Item<'a>>, String> {
        match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(t) => Ok(vec![Item::Text(t.clone())]),
            Node::Field(name) => self.eval_field(input, name),
            Node::Array(params) => eval_array(input, *params),
            Node::Filter { left, right, op } => self.eval_filter(input, left, right, op),
            Node::Int(v) => Ok(input.iter().map(|_| Item::Int(*v)).collect()),
            Node::Float(v) => Ok(input.iter().map(|_| Item::Float(*v)).collect()),
            Node::Bool(v) => Ok(input.iter().map(|_| Item::Bool(*v)).collect()),
            Node::Wildcard => Ok(eval_wildcard(input)),
            Node::Recursive => Ok(eval_recursive(input)),
            Node::Union(lists) => {
                let mut out = Vec::new();
                for l in lists {
                    out.extend(self.eval_list(input.clone(), l)?);
                }
                Ok(out)
            }
            Node::Identifier(name) => match name.as_str() {
                "range" => {
                    self.begin_range += 1;
                    Ok(input)
                }
                "end" => {
                    if self.in_range > 0 {
                        self.end_range += 1;
                        Ok(Vec::new())
                    } else {
                        Err("not in range, nothing to end".into())
                    }
                }
                other => Err(format!("unrecognized identifier {other}")),
            },
        }
    }

    fn eval_list<'a>(
        &mut self,
        input: Vec<Item<'a>>,
        nodes: &[Node],
    ) -> Result<Vec<Item<'a>>, String> {
        let mut cur = input;
        for n in nodes {
            cur = self.walk(cur, n)?;
        }
        Ok(cur)
    }

    fn eval_field<'a>(
        &mut self,
        input: Vec<Item<'a>>,
        name: &str,
    ) -> Result<Vec<Item<'a>>, String> {
        if input.is_empty() {
            return Ok(Vec::new());
        }
        let mut results = Vec::new();
        for item in &input {
            if let Some(Item::V(Value::Object(m))) = item.deref() {
                if let Some(v) = m.get(name) {
                    results.push(Item::V(v));
                }
            }
        }
        if results.is_empty() && !self.allow_missing {
            return Err(format!("{name} is not found"));
        }
        Ok(results)
    }

    fn eval_filter<'a>(
        &mut self,
        input: Vec<Item<'a>>,
        left: &[Node],
        right: &[Node],
        op: &str,
    ) -> Result<Vec<Item<'a>>, String> {
        let mut results = Vec::new();
        for item in &input {
            let arr = match item {
                Item::V(Value::Array(a)) => a,
                other => {
                    return Err(format!(
                        "{} is not array or slice and cannot be filtered",
                        go_v(other)
                    ))
                }
            };
            for elem in arr {
                let lefts = self.eval_list(vec![Item::V(elem)], left);
                if op == "exists" {
                    if lefts.is_ok_and(|l| !l.is_empty()) {
                        results.push(Item::V(elem));
                    }
                    continue;
                }
                let lefts = lefts?;
                if lefts.is_empty() {
                    continue;
                }
                if lefts.len() > 1 {
                    return Err("can only compare one element at a time".into());
                }
                let rights = self.eval_list(vec![Item::V(elem)], right)?;
                if rights.is_empty() {
                    continue;
                }
                if rights.len() > 1 {
                    return Err("can only compare one element at a time".into());
                }
                let (l, r) = (&lefts[0], &rights[0]);
                let pass = match op {
                    "<" => less(l, r)?,
                    ">" => !(less(l, r)? || equal(l, r)?),
                    "==" => equal(l, r)?,
                    "!=" => !equal(l, r)?,
                    "<=" => less(l, r)? || equal(l, r)?,
                    ">=" => !less(l, r)?,
                    other => return Err(format!("unrecognized filter operator {other}")),
                };
                if pass {
                    results.push(Item::V(elem));
                }
            }
        }
        Ok(results)
    }
}

fn item_len(item: &Item) -> Option<usize> {
    match item {
        Item::V(Value::Array(a)) => Some(a.len()),
        _ => None,
    }
}

fn eval_array<'a>(input: Vec<Item<'a>>, node_params: [Param; 3]) -> Result<Vec<Item<'a>>, String> {
    let mut result = Vec::new();
    for item in &input {
        let Some(item) = item.deref() else { continue };
        let Some(len) = item_len(item) else {
            return Err(format!("{} is not array or slice", go_type(item)));
        };
        let Item::V(Value::Array(arr)) = item else {
            continue;
        };
        let len = len as i64;
        let mut p = node_params;
        if !p[0].known {
            p[0].value = 0;
        }
        if p[0].value < 0 {
            p[0].value += len;
        }
        if !p[1].known {
            p[1].value = len;
        }
        if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
            p[1].value += len;
        }
        if p[1].value != p[0].value {
            if p[0].value >= len || p[0].value < 0 {
                return Err(format!(
                    "array index out of bounds: index {}, length {}",
                    p[0].value, len
                ));
            }
            if p[1].value > len || p[1].value < 0 {
                return Err(format!(
                    "array index out of bounds: index {}, length {}",
                    p[1].value.saturating_sub(1),
                    len
                ));
            }
            if p[0].value > p[1].value {
                return Err(format!(
                    "starting index {} is greater than ending index {}",
                    p[0].value, p[1].value
                ));
            }
        } else {
            // Upstream returns at once here, dropping any remaining inputs.
            return Ok(result);
        }
        let mut step = 1usize;
        if p[2].known {
            if p[2].value <= 0 {
                return Err("step must be > 0".into());
            }
            step = usize::try_from(p[2].value).unwrap_or(usize::MAX);
        }
        let slice = &arr[p[0].value as usize..p[1].value as usize];
        result.extend(slice.iter().step_by(step).map(Item::V));
    }
    Ok(result)
}

fn sorted_values(m: &Map<String, Value>) -> Vec<&Value> {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    keys.into_iter().filter_map(|k| m.get(k)).collect()
}

/// The children `*` and `..` see: map values, list elements, string bytes.
fn children<'a>(item: &Item<'a>) -> Vec<Item<'a>> {
    match item {
        Item::V(Value::Object(m)) => sorted_values(m).into_iter().map(Item::V).collect(),
        Item::V(Value::Array(a)) => a.iter().map(Item::V).collect(),
        Item::V(Value::String(s)) => s.bytes().map(Item::Byte).collect(),
        Item::Text(s) => s.bytes().map(Item::Byte).collect(),
        _ => Vec::new(),
    }
}

fn eval_wildcard(input: Vec<Item>) -> Vec<Item> {
    let mut out = Vec::new();
    for item in &input {
        if let Some(item) = item.deref() {
            out.extend(children(item));
        }
    }
    out
}

fn eval_recursive(input: Vec<Item>) -> Vec<Item> {
    let mut result = Vec::new();
    for item in input {
        let Some(item) = item.deref() else { continue };
        let kids = children(item);
        if !kids.is_empty() {
            result.push(item.clone());
            result.extend(eval_recursive(kids));
        }
    }
    result
}

#[derive(PartialEq)]
enum Kind {
    Bool,
    Int,
    Uint,
    Float,
    Str,
}

const BAD_TYPE: &str = "invalid type for comparison";
const BAD_CMP: &str = "incompatible types for comparison";

fn kind(item: &Item) -> Result<Kind, String> {
    Ok(match item {
        Item::V(Value::Bool(_)) | Item::Bool(_) => Kind::Bool,
        Item::V(Value::Number(n)) => {
            if n.is_i64() {
                Kind::Int
            } else {
                Kind::Float
            }
        }
        Item::Int(_) => Kind::Int,
        Item::Byte(_) => Kind::Uint,
        Item::Float(_) => Kind::Float,
        Item::V(Value::String(_)) | Item::Text(_) => Kind::Str,
        _ => return Err(BAD_TYPE.into()),
    })
}

fn as_i64(item: &Item) -> i64 {
    match item {
        Item::V(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Item::Int(i) => *i,
        _ => 0,
    }
}
fn as_u64(item: &Item) -> u64 {
    match item {
        Item::Byte(b) => u64::from(*b),
        _ => 0,
    }
}
fn as_f64(item: &Item) -> f64 {
    match item {
        Item::V(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Item::Float(f) => *f,
        _ => 0.0,
    }
}
fn as_str<'s>(item: &'s Item) -> &'s str {
    match item {
        Item::V(Value::String(s)) => s,
        Item::Text(s) => s,
        _ => "",
    }
}
fn as_bool(item: &Item) -> bool {
    matches!(item, Item::V(Value::Bool(true)) | Item::Bool(true))
}

/// The forked text/template `eq` for two basic values.
fn equal(a: &Item, b: &Item) -> Result<bool, String> {
    let (ka, kb) = (kind(a)?, kind(b)?);
    if ka != kb {
        return match (ka, kb) {
            (Kind::Int, Kind::Uint) => Ok(as_i64(a) >= 0 && as_i64(a) as u64 == as_u64(b)),
            (Kind::Uint, Kind::Int) => Ok(as_i64(b) >= 0 && as_u64(a) == as_i64(b) as u64),
            _ => Err(BAD_CMP.into()),
        };
    }
    Ok(match ka {
        Kind::Bool => as_bool(a) == as_bool(b),
        Kind::Int => as_i64(a) == as_i64(b),
        Kind::Uint => as_u64(a) == as_u64(b),
        Kind::Float => as_f64(a) == as_f64(b),
        Kind::Str => as_str(a) == as_str(b),
    })
}

/// The forked text/template `lt`.
fn less(a: &Item, b: &Item) -> Result<bool, String> {
    let (ka, kb) = (kind(a)?, kind(b)?);
    if ka != kb {
        return match (ka, kb) {
            (Kind::Int, Kind::Uint) => Ok(as_i64(a) < 0 || (as_i64(a) as u64) < as_u64(b)),
            (Kind::Uint, Kind::Int) => Ok(as_i64(b) >= 0 && as_u64(a) < as_i64(b) as u64),
            _ => Err(BAD_CMP.into()),
        };
    }
    Ok(match ka {
        Kind::Bool => return Err(BAD_TYPE.into()),
        Kind::Int => as_i64(a) < as_i64(b),
        Kind::Uint => as_u64(a) < as_u64(b),
        Kind::Float => as_f64(a) < as_f64(b),
        Kind::Str => as_str(a) < as_str(b),
    })
}

fn item_value(item: &Item) -> Value {
    match item {
        Item::V(v) => (*v).clone(),
        Item::Nil => Value::Null,
        Item::Text(s) => Value::String(s.clone()),
        Item::Int(i) => Value::from(*i),
        Item::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Item::Bool(b) => Value::Bool(*b),
        Item::Byte(b) => Value::from(*b),
    }
}

/// Upstream `PrintResults`: maps and lists as compact JSON, everything else
/// as text, results of one `{…}` separated by a single space.
fn print_results(out: &mut String, results: &[Item], as_json: bool) {
    if as_json {
        let arr = Value::Array(results.iter().map(item_value).collect());
        out.push_str(&to_json(&arr));
        return;
    }
    for (i, r) in results.iter().enumerate() {
        match r {
            Item::V(v @ (Value::Object(_) | Value::Array(_))) => out.push_str(&to_json_compact(v)),
            Item::V(Value::Null) => out.push_str("null"),
            Item::V(Value::String(s)) => out.push_str(s),
            Item::V(Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
            Item::V(Value::Number(n)) => match n.as_i64() {
                Some(i) => out.push_str(&i.to_string()),
                None => out.push_str(&go_format_g(n.as_f64().unwrap_or(0.0))),
            },
            Item::Nil => out.push_str("<no value>"),
            Item::Text(s) => out.push_str(s),
            Item::Int(i) => out.push_str(&i.to_string()),
            Item::Float(f) => out.push_str(&go_format_g(*f)),
            Item::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Item::Byte(b) => out.push_str(&b.to_string()),
        }
        if i + 1 != results.len() {
            out.push(' ');
        }
    }
}

// ---------------------------------------------------------------------------
// Go formatting used in messages.
// ---------------------------------------------------------------------------

/// Go's `unicode.IsPrint`, approximated without the Unicode tables: controls,
/// format characters, non-ASCII spaces, separators and private use are not
/// printable. (Unassigned code points count as printable here.)
pub(crate) fn go_is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7F).contains(&u);
    }
    if c.is_control() {
        return false;
    }
    !matches!(u,
        0xA0 | 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890 | 0x891 | 0x8E2
        | 0x1680 | 0x180E | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F
        | 0x3000 | 0xD800..=0xF8FF | 0xFDD0..=0xFDEF | 0xFEFF | 0xFFF0..=0xFFFB
        | 0xFFFE | 0xFFFF | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF | 0xF0000..=0x10FFFF)
        && (u & 0xFFFE) != 0xFFFE
}

/// Go `strconv.Quote`.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go `%#U`: `U+0023 '#'` (the character only when printable).
fn go_sharp_u(c: char) -> String {
    if go_is_print(c) {
        format!("U+{:04X} '{}'", c as u32, c)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

fn number_text(n: &serde_json::Number) -> String {
    match n.as_i64() {
        Some(i) => i.to_string(),
        None => go_format_g(n.as_f64().unwrap_or(0.0)),
    }
}

/// Go `%#v` of unstructured content (`map[string]interface {}{…}`), as the
/// jsonpath printer dumps the object after an error. Map keys are sorted,
/// as fmt sorts them.
pub(crate) fn go_sharp_v(v: &Value) -> String {
    fn inner(out: &mut String, v: &Value, top: bool) {
        match v {
            Value::Null => out.push_str("interface {}(nil)"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&number_text(n)),
            Value::String(s) => out.push_str(&go_quote(s)),
            Value::Array(a) => {
                out.push_str("[]interface {}{");
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    inner(out, x, false);
                }
                out.push('}');
            }
            Value::Object(m) => {
                out.push_str("map[string]interface {}{");
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&go_quote(k));
                    out.push(':');
                    if let Some(x) = m.get(k) {
                        inner(out, x, false);
                    }
                }
                out.push('}');
            }
        }
        let _ = top;
    }
    let mut out = String::new();
    inner(&mut out, v, true);
    out
}

/// Go `%v` of a value (`map[a:1 b:[x y]]`), used in one filter error.
fn go_v(item: &Item) -> String {
    fn val(out: &mut String, v: &Value) {
        match v {
            Value::Null => out.push_str("<nil>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&number_text(n)),
            Value::String(s) => out.push_str(s),
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    val(out, x);
                }
                out.push(']');
            }
            Value::Object(m) => {
                out.push_str("map[");
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    if let Some(x) = m.get(k) {
                        val(out, x);
                    }
                }
                out.push(']');
            }
        }
    }
    let mut out = String::new();
    match item {
        Item::V(v) => val(&mut out, v),
        Item::Nil => out.push_str("<invalid reflect.Value>"),
        other => val(&mut out, &item_value(other)),
    }
    out
}

/// The Go type name of a value in unstructured content.
fn go_type(item: &Item) -> &'static str {
    match item {
        Item::V(Value::Object(_)) => "map[string]interface {}",
        Item::V(Value::Array(_)) => "[]interface {}",
        Item::V(Value::String(_)) | Item::Text(_) => "string",
        Item::V(Value::Bool(_)) | Item::Bool(_) => "bool",
        Item::V(Value::Number(n)) if n.is_i64() => "int64",
        Item::V(Value::Number(_)) | Item::Float(_) => "float64",
        Item::Int(_) => "int",
        Item::Byte(_) => "uint8",
        Item::V(Value::Null) | Item::Nil => "<nil>",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `kubectl get servicecidr -o json` (a List) and `kubectl get svc kubernetes -o json`
    /// from the stub apiserver the goldens below were recorded against.
    const LIST: &str = r####"{"apiVersion":"v1","items":[{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","labels":{"a":"1","b":"2"},"name":"kubernetes","resourceVersion":"12","uid":"u1"},"spec":{"cidrs":["10.96.0.0/28"]},"status":{"conditions":[{"lastTransitionTime":"2023-10-12T15:12:45Z","message":"Kubernetes Service CIDR is ready","reason":"","status":"True","type":"Ready"}]}},{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","name":"newcidr1","resourceVersion":"1133"},"spec":{"cidrs":["10.96.0.0/24","fd00::/112"]}}],"kind":"List","metadata":{"resourceVersion":""}}"####;
    const SVC: &str = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"creationTimestamp\":\"2023-10-12T15:11:07Z\",\"name\":\"kubernetes\",\"namespace\":\"default\"},\"spec\":{\"big\":1e+21,\"clusterIP\":\"10.96.0.1\",\"emptyl\":[],\"emptym\":{},\"nothing\":null,\"ports\":[{\"name\":\"https\",\"port\":443,\"protocol\":\"TCP\",\"targetPort\":6443},{\"name\":\"x\",\"nodePort\":30080,\"port\":80,\"protocol\":\"UDP\",\"targetPort\":\"http\"}],\"uni\":\"日本<&>é\u{200b}\\t\\\"q\\\"\\\\\",\"weight\":1.5}}";

    /// (object, --allow-missing-template-keys=false, template, kubectl's stdout or the
    /// first line of its error without `error: `), recorded from kubectl 1.33.
    #[rustfmt::skip]
    const GOLDEN: &[(&str, bool, &str, Result<&str, &str>)] = &[
        (LIST, false, r####"{.}"####, Ok(r####""####)),
        (LIST, false, r####"{}"####, Ok(r####"{"apiVersion":"v1","items":[{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","labels":{"a":"1","b":"2"},"name":"kubernetes","resourceVersion":"12","uid":"u1"},"spec":{"cidrs":["10.96.0.0/28"]},"status":{"conditions":[{"lastTransitionTime":"2023-10-12T15:12:45Z","message":"Kubernetes Service CIDR is ready","reason":"","status":"True","type":"Ready"}]}},{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","name":"newcidr1","resourceVersion":"1133"},"spec":{"cidrs":["10.96.0.0/24","fd00::/112"]}}],"kind":"List","metadata":{"resourceVersion":""}}"####)),
        (LIST, false, r####"{$}"####, Ok(r####"{"apiVersion":"v1","items":[{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","labels":{"a":"1","b":"2"},"name":"kubernetes","resourceVersion":"12","uid":"u1"},"spec":{"cidrs":["10.96.0.0/28"]},"status":{"conditions":[{"lastTransitionTime":"2023-10-12T15:12:45Z","message":"Kubernetes Service CIDR is ready","reason":"","status":"True","type":"Ready"}]}},{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","name":"newcidr1","resourceVersion":"1133"},"spec":{"cidrs":["10.96.0.0/24","fd00::/112"]}}],"kind":"List","metadata":{"resourceVersion":""}}"####)),
        (LIST, false, r####"{@}"####, Ok(r####"{"apiVersion":"v1","items":[{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","labels":{"a":"1","b":"2"},"name":"kubernetes","resourceVersion":"12","uid":"u1"},"spec":{"cidrs":["10.96.0.0/28"]},"status":{"conditions":[{"lastTransitionTime":"2023-10-12T15:12:45Z","message":"Kubernetes Service CIDR is ready","reason":"","status":"True","type":"Ready"}]}},{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","name":"newcidr1","resourceVersion":"1133"},"spec":{"cidrs":["10.96.0.0/24","fd00::/112"]}}],"kind":"List","metadata":{"resourceVersion":""}}"####)),
        (LIST, false, r####"{.items[*].metadata.name}"####, Ok(r####"kubernetes newcidr1"####)),
        (LIST, false, r####"{range .items[*]}{.metadata.name}{"\n"}{end}"####, Ok(r####"kubernetes
newcidr1
"####)),
        (LIST, false, r####"{range .items[*]}{.metadata.name}{'\t'}{.spec.cidrs}{'\n'}{end}"####, Ok(r####"kubernetes	["10.96.0.0/28"]
newcidr1	["10.96.0.0/24","fd00::/112"]
"####)),
        (LIST, false, r####"{.items[?(@.metadata.name=="newcidr1")].spec.cidrs[0]}"####, Ok(r####"10.96.0.0/24"####)),
        (LIST, false, r####"{.items[0].metadata.labels}"####, Ok(r####"{"a":"1","b":"2"}"####)),
        (LIST, false, r####"x{.kind}y"####, Ok(r####"xListy"####)),
        (LIST, false, r####"{.items[-1].metadata.name}"####, Ok(r####"newcidr1"####)),
        (LIST, false, r####"{.items[0:2].metadata.name}"####, Ok(r####"kubernetes newcidr1"####)),
        (LIST, false, r####"{.items[1:].metadata.name}"####, Ok(r####"newcidr1"####)),
        (LIST, false, r####"{.items[:1].metadata.name}"####, Ok(r####"kubernetes"####)),
        (LIST, false, r####"{.items[::2].metadata.name}"####, Ok(r####"kubernetes"####)),
        (LIST, false, r####"{.items[0:2:0].metadata.name}"####, Err(r####"error executing jsonpath "{.items[0:2:0].metadata.name}": Error executing template: step must be > 0. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{..name}"####, Ok(r####"kubernetes newcidr1"####)),
        (LIST, false, r####"{..cidrs}"####, Ok(r####"["10.96.0.0/28"] ["10.96.0.0/24","fd00::/112"]"####)),
        (LIST, false, r####"{.items[*].status.conditions[?(@.type=="Ready")].status}"####, Ok(r####"True"####)),
        (LIST, false, r####"{.items[0].metadata.nope}"####, Ok(r####""####)),
        (LIST, false, r####"{.items[5]}"####, Err(r####"error executing jsonpath "{.items[5]}": Error executing template: array index out of bounds: index 5, length 2. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.items[-5]}"####, Err(r####"error executing jsonpath "{.items[-5]}": Error executing template: array index out of bounds: index -3, length 2. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.kind"####, Err(r####"error parsing jsonpath {.kind, unclosed action"####)),
        (LIST, false, r####"{.items[x]}"####, Err(r####"error parsing jsonpath {.items[x]}, invalid array index x"####)),
        (LIST, false, r####"{#}"####, Err(r####"error parsing jsonpath {#}, unrecognized character in action: U+0023 '#'"####)),
        (LIST, false, r####"{foo}"####, Err(r####"error executing jsonpath "{foo}": Error executing template: unrecognized identifier foo. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{end}"####, Err(r####"error executing jsonpath "{end}": Error executing template: not in range, nothing to end. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{range .items[*]}{.metadata.name}"####, Ok(r####"kubernetesnewcidr1"####)),
        (LIST, false, r####"{range .items[*]}{range .spec.cidrs[*]}{@}{","}{end}{";"}{end}"####, Ok(r####"10.96.0.0/28,;10.96.0.0/24,fd00::/112,;"####)),
        (LIST, false, r####"{5}{1.5}{true}{-3}"####, Ok(r####"51.5true-3"####)),
        (LIST, false, r####"{.items[0]['metadata']['name']}"####, Ok(r####"kubernetes"####)),
        (LIST, false, r####"{.items[0]['metadata.name']}"####, Ok(r####"kubernetes"####)),
        (LIST, false, r####"{.items[0].metadata.labels.a}"####, Ok(r####"1"####)),
        (LIST, false, r####"{.items[*].metadata.labels.*}"####, Ok(r####"1 2"####)),
        (LIST, false, r####"{.items[0,1].metadata.name}"####, Ok(r####"kubernetes newcidr1"####)),
        (LIST, false, r####"{.items[0].spec.cidrs[0,0]}"####, Ok(r####"10.96.0.0/28 10.96.0.0/28"####)),
        (LIST, false, r####"{.items[?(@.metadata.labels)].metadata.name}"####, Ok(r####"kubernetes"####)),
        (LIST, false, r####"{.items[?(@.metadata.resourceVersion>"2")].metadata.name}"####, Ok(r####""####)),
        (LIST, false, r####"{.items[?(@.metadata.name!="kubernetes")].metadata.name}"####, Ok(r####"newcidr1"####)),
        (LIST, false, r####"{.items[?(@.metadata.name<"m")].metadata.name}"####, Ok(r####"kubernetes"####)),
        (LIST, false, r####"{.items[?(@.metadata.name>="kubernetes")].metadata.name}"####, Ok(r####"kubernetes newcidr1"####)),
        (LIST, false, r####"{.items[?(@.metadata.name<=kubernetes)].metadata.name}"####, Err(r####"error executing jsonpath "{.items[?(@.metadata.name<=kubernetes)].metadata.name}": Error executing template: unrecognized identifier kubernetes. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.items[?(@.metadata.name==)].metadata.name}"####, Err(r####"error parsing jsonpath {.items[?(@.metadata.name==)].metadata.name}, unrecognized character in action: U+003D '='"####)),
        (LIST, false, r####"{.items[?(@.metadata.name=="kubernetes"].metadata.name}"####, Err(r####"error parsing jsonpath {.items[?(@.metadata.name=="kubernetes"].metadata.name}, unterminated filter"####)),
        (LIST, false, r####"{.items[?(@.metadata.name=='newcidr1')].metadata.name}"####, Ok(r####"newcidr1"####)),
        (LIST, false, r####"{.items[?(@..name=="newcidr1")].kind}"####, Ok(r####"ServiceCIDR"####)),
        (LIST, false, r####"{..items[0].kind}"####, Ok(r####"ServiceCIDR"####)),
        (LIST, false, r####"{....name}"####, Err(r####"error parsing jsonpath {....name}, invalid multiple recursive descent"####)),
        (LIST, false, r####"{.items..name}"####, Ok(r####"kubernetes newcidr1"####)),
        (LIST, false, r####"{.items[*].metadata[name]}"####, Err(r####"error parsing jsonpath {.items[*].metadata[name]}, invalid array index name"####)),
        (LIST, false, r####"{.items[*].metadata['name','uid']}"####, Ok(r####"kubernetes newcidr1 u1"####)),
        (LIST, false, r####"{.metadata}"####, Ok(r####"{"resourceVersion":""}"####)),
        (LIST, false, r####"{.metadata.resourceVersion}"####, Ok(r####""####)),
        (LIST, false, r####"{"a\"b"}{'c\x41'}{"\u00e9\t"}"####, Ok(r####"a"bcAé	"####)),
        (LIST, false, r####"{"unterminated}"####, Err(r####"error parsing jsonpath {"unterminated}, unterminated quoted string"####)),
        (LIST, false, r####"{.items[0].metadata.name.foo}"####, Ok(r####""####)),
        (LIST, false, r####"{.items[0].spec[0]}"####, Err(r####"error executing jsonpath "{.items[0].spec[0]}": Error executing template: map[string]interface {} is not array or slice. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.items[?(@ == 1)]}"####, Err(r####"error executing jsonpath "{.items[?(@ == 1)]}": Error executing template: invalid type for comparison. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.items[0].spec.cidrs[?(@=="10.96.0.0/28")]}"####, Ok(r####"10.96.0.0/28"####)),
        (LIST, false, r####"{.items[*].spec.cidrs[*]}"####, Ok(r####"10.96.0.0/28 10.96.0.0/24 fd00::/112"####)),
        (LIST, false, r####"{.items[0].spec.cidrs.*}"####, Ok(r####"10.96.0.0/28"####)),
        (LIST, false, r####"{.items[0].metadata.name.*}"####, Ok(r####"107 117 98 101 114 110 101 116 101 115"####)),
        (LIST, false, r####"{.items[*].status}"####, Ok(r####"{"conditions":[{"lastTransitionTime":"2023-10-12T15:12:45Z","message":"Kubernetes Service CIDR is ready","reason":"","status":"True","type":"Ready"}]}"####)),
        (LIST, false, r####"{ .items[0].kind }"####, Ok(r####"ServiceCIDR"####)),
        (LIST, false, r####"{.items[0] .kind}"####, Ok(r####"ServiceCIDR"####)),
        (LIST, false, r####"{.items[0].metadata.creationTimestamp}{"\n"}"####, Ok(r####"2023-10-12T15:11:07Z
"####)),
        (LIST, false, r####"{range .items[*]}[{.metadata.name}]{end}"####, Ok(r####"[kubernetes][newcidr1]"####)),
        (LIST, false, r####"{range .items[*]}{end}"####, Ok(r####""####)),
        (LIST, false, r####"{range .items[7:7]}{.x}{end}done"####, Ok(r####"done"####)),
        (LIST, false, r####"{range .nope}{.x}{end}done"####, Ok(r####"done"####)),
        (LIST, false, r####"{end}{range .items[*]}"####, Err(r####"error executing jsonpath "{end}{range .items[*]}": Error executing template: not in range, nothing to end. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.items[1].metadata.labels.*}"####, Ok(r####""####)),
        (LIST, false, r####"{.items[0].metadata.labels['a']}"####, Ok(r####"1"####)),
        (LIST, false, r####"{.items[0].metadata.labels[a]}"####, Err(r####"error parsing jsonpath {.items[0].metadata.labels[a]}, invalid array index a"####)),
        (LIST, false, r####"{.items[2:1]}"####, Err(r####"error executing jsonpath "{.items[2:1]}": Error executing template: array index out of bounds: index 2, length 2. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.items[0:-1].metadata.name}"####, Ok(r####"kubernetes"####)),
        (LIST, false, r####"{.items[-1:].metadata.name}"####, Ok(r####"newcidr1"####)),
        (LIST, false, r####"{.items[99:]}"####, Err(r####"error executing jsonpath "{.items[99:]}": Error executing template: array index out of bounds: index 99, length 2. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.items[0:99]}"####, Err(r####"error executing jsonpath "{.items[0:99]}": Error executing template: array index out of bounds: index 98, length 2. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.items[*]['kind']}"####, Ok(r####"ServiceCIDR ServiceCIDR"####)),
        (LIST, false, r####"{.items[?(@.spec.cidrs[0]=="10.96.0.0/24")].metadata.name}"####, Ok(r####"newcidr1"####)),
        (LIST, false, r####"{.items[?(@.spec.cidrs[*]=="10.96.0.0/24")].metadata.name}"####, Err(r####"error executing jsonpath "{.items[?(@.spec.cidrs[*]==\"10.96.0.0/24\")].metadata.name}": Error executing template: can only compare one element at a time. Printing more information for debugging the template:"####)),
        (LIST, false, r####"{.items[?(@.metadata.name=="a)b")].kind}"####, Ok(r####""####)),
        (LIST, false, r####"{.items[0].metadata.labels.\a}"####, Ok(r####"1"####)),
        (LIST, false, r####"{.items[0].metadata.name}{.items[0].metadata.name}"####, Ok(r####"kuberneteskubernetes"####)),
        (LIST, false, r####"plain text only"####, Ok(r####"plain text only"####)),
        (LIST, false, r####"{.items[0].metadata.name}}"####, Ok(r####"kubernetes}"####)),
        (LIST, false, r####"{{.kind}}"####, Err(r####"error parsing jsonpath {{.kind}}, unrecognized character in action: U+007B '{'"####)),
        (LIST, false, r####"{.items[0]...name}"####, Ok(r####"kubernetes"####)),
        (LIST, false, r####"{range}{end}"####, Ok(r####""####)),
        (LIST, false, r####"{.items[?(true)]}"####, Ok(r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","labels":{"a":"1","b":"2"},"name":"kubernetes","resourceVersion":"12","uid":"u1"},"spec":{"cidrs":["10.96.0.0/28"]},"status":{"conditions":[{"lastTransitionTime":"2023-10-12T15:12:45Z","message":"Kubernetes Service CIDR is ready","reason":"","status":"True","type":"Ready"}]}} {"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","name":"newcidr1","resourceVersion":"1133"},"spec":{"cidrs":["10.96.0.0/24","fd00::/112"]}}"####)),
        (LIST, false, r####"{.items[?(@.metadata.name=="x" || @.kind)]}"####, Err(r####"error parsing jsonpath {.items[?(@.metadata.name=="x" || @.kind)]}, unrecognized character in action: U+007C '|'"####)),
        (LIST, false, r####"{.items[0].spec.cidrs[0x1]}"####, Err(r####"error parsing jsonpath {.items[0].spec.cidrs[0x1]}, invalid array index 0x1"####)),
        (LIST, false, r####"{.items[0].spec.cidrs[+0]}"####, Err(r####"error parsing jsonpath {.items[0].spec.cidrs[+0]}, invalid array index +0"####)),
        (LIST, false, r####"{.items[0].spec.cidrs[- 1]}"####, Err(r####"error parsing jsonpath {.items[0].spec.cidrs[- 1]}, invalid array index - 1"####)),
        (LIST, false, r####"{.items[1].spec.cidrs[1:]}"####, Ok(r####"fd00::/112"####)),
        (LIST, false, r####"{.metadata.*}"####, Ok(r####""####)),
        (LIST, false, r####"{.apiVersion}{.kind}"####, Ok(r####"v1List"####)),
        (LIST, false, r####"{.items[0].metadata.name}{"\"}"####, Err(r####"error parsing jsonpath {.items[0].metadata.name}{"\"}, unterminated quoted string"####)),
        (LIST, false, r####"{$.kind}"####, Ok(r####"List"####)),
        (LIST, false, r####"{@.kind}"####, Ok(r####"List"####)),
        (LIST, false, r####"{.items[*].metadata.name}{.items[*].kind}"####, Ok(r####"kubernetes newcidr1ServiceCIDR ServiceCIDR"####)),
        (SVC, false, r####"{.spec.ports[?(@.port==443)].name}"####, Ok(r####"https"####)),
        (SVC, false, r####"{.spec.ports[?(@.port>80)].name}"####, Ok(r####"https"####)),
        (SVC, false, r####"{.spec.ports[?(@.port<=443)].name}"####, Ok(r####"https x"####)),
        (SVC, false, r####"{.spec.ports[?(@.targetPort=="http")].port}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.targetPort==\"http\")].port}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, false, r####"{.spec.ports[?(@.targetPort==6443)].port}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.targetPort==6443)].port}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, false, r####"{.spec.ports[?(@.nodePort)].name}"####, Ok(r####"x"####)),
        (SVC, false, r####"{.spec.ports[?(@.port==1.5)].name}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.port==1.5)].name}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, false, r####"{.spec.weight}{" "}{.spec.nothing}{" "}{.spec.big}{" "}{.spec.uni}{" "}{.spec.emptyl}{.spec.emptym}"####, Ok("1.5 null 1e+21 日本<&>é\u{200b}\t\"q\"\\ []{}")),
        (SVC, false, r####"{.spec.nothing.x}"####, Ok(r####""####)),
        (SVC, false, r####"{.spec.ports[*].nope}"####, Ok(r####""####)),
        (SVC, false, r####"'{.kind}'"####, Ok(r####"'Service'"####)),
        (SVC, false, r####"{.spec.uni.*}"####, Ok(r####"230 151 165 230 156 172 60 38 62 195 169 226 128 139 9 34 113 34 92"####)),
        (SVC, false, r####"{.spec.ports[?(@.name=="x")]}"####, Ok(r####"{"name":"x","nodePort":30080,"port":80,"protocol":"UDP","targetPort":"http"}"####)),
        (SVC, false, r####"{.spec.ports[0:2:2].name}{.spec.ports[0:0]}{.spec.ports[1:0]}"####, Err(r####"error executing jsonpath "{.spec.ports[0:2:2].name}{.spec.ports[0:0]}{.spec.ports[1:0]}": Error executing template: starting index 1 is greater than ending index 0. Printing more information for debugging the template:"####)),
        (SVC, false, r####"{.spec.ports[?(@.weight=="x")]}"####, Ok(r####""####)),
        (SVC, false, r####"{.metadata.name.foo}"####, Ok(r####""####)),
        (SVC, false, r####"{.spec[0]}"####, Err(r####"error executing jsonpath "{.spec[0]}": Error executing template: map[string]interface {} is not array or slice. Printing more information for debugging the template:"####)),
        (SVC, false, r####"{.spec.ports[?(@.port)]"####, Err(r####"error parsing jsonpath {.spec.ports[?(@.port)], unclosed action"####)),
        (SVC, false, r####"{.spec.ports[?(@ == 1)]}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@ == 1)]}": Error executing template: invalid type for comparison. Printing more information for debugging the template:"####)),
        (SVC, false, r####"{.spec.ports[?(@.port==443.0)].name}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.port==443.0)].name}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, false, r####"{.spec.ports[?(@.port>"a")].name}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.port>\"a\")].name}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, false, r####"{.spec.ports[?(@.name<"z")].name}"####, Ok(r####"https x"####)),
        (SVC, false, r####"{.spec.ports[?(@.name==true)].name}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.name==true)].name}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, false, r####"{.spec.ports[?(@.port>=80)].port}"####, Ok(r####"443 80"####)),
        (SVC, false, r####"{.spec.ports[?(@.port!=80)].port}"####, Ok(r####"443"####)),
        (SVC, false, r####"{.spec.ports[?(@.nothing==1)].port}"####, Ok(r####""####)),
        (SVC, false, r####"{.spec.nothing[0]}"####, Ok(r####""####)),
        (SVC, false, r####"{.spec.nothing.*}"####, Ok(r####""####)),
        (SVC, false, r####"{..port}"####, Ok(r####"443 80"####)),
        (SVC, false, r####"{.spec.weight.x}"####, Ok(r####""####)),
        (SVC, false, r####"{.spec.ports[0].port.x}"####, Ok(r####""####)),
        (SVC, false, r####"{.spec.ports[?(@.name=)].port}"####, Ok(r####""####)),
        (SVC, false, r####"{.spec.ports[?(@.name)].name}{.spec.ports[?(@.zzz)].name}"####, Ok(r####"https x"####)),
        (SVC, false, r####"{.spec.uni}"####, Ok("日本<&>é\u{200b}\t\"q\"\\")),
        (SVC, false, r####"{.spec.ports[?(@.port==80)]['name','port']}"####, Ok(r####"x 80"####)),
        (SVC, false, r####"{.spec.ports[*]['name']}"####, Ok(r####"https x"####)),
        (SVC, false, r####"{range .spec.ports[*]}{.name}={.port}{"\n"}{end}"####, Ok(r####"https=443
x=80
"####)),
        (SVC, false, r####"{range .spec.ports[*]}{.name}{range .nope[*]}{.x}{end}{"\n"}{end}"####, Ok(r####"https
x
"####)),
        (SVC, false, r####"{.spec.ports[?(@.targetPort)].targetPort}"####, Ok(r####"6443 http"####)),
        (SVC, false, r####"{.spec.big}"####, Ok(r####"1e+21"####)),
        (SVC, false, r####"{.spec.clusterIP}"####, Ok(r####"10.96.0.1"####)),
        (SVC, true, r####"{.spec.ports[?(@.port==443)].name}"####, Ok(r####"https"####)),
        (SVC, true, r####"{.spec.ports[?(@.port>80)].name}"####, Ok(r####"https"####)),
        (SVC, true, r####"{.spec.ports[?(@.port<=443)].name}"####, Ok(r####"https x"####)),
        (SVC, true, r####"{.spec.ports[?(@.targetPort=="http")].port}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.targetPort==\"http\")].port}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.targetPort==6443)].port}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.targetPort==6443)].port}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.nodePort)].name}"####, Ok(r####"x"####)),
        (SVC, true, r####"{.spec.ports[?(@.port==1.5)].name}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.port==1.5)].name}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.weight}{" "}{.spec.nothing}{" "}{.spec.big}{" "}{.spec.uni}{" "}{.spec.emptyl}{.spec.emptym}"####, Ok("1.5 null 1e+21 日本<&>é\u{200b}\t\"q\"\\ []{}")),
        (SVC, true, r####"{.spec.nothing.x}"####, Err(r####"error executing jsonpath "{.spec.nothing.x}": Error executing template: x is not found. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[*].nope}"####, Err(r####"error executing jsonpath "{.spec.ports[*].nope}": Error executing template: nope is not found. Printing more information for debugging the template:"####)),
        (SVC, true, r####"'{.kind}'"####, Ok(r####"'Service'"####)),
        (SVC, true, r####"{.spec.uni.*}"####, Ok(r####"230 151 165 230 156 172 60 38 62 195 169 226 128 139 9 34 113 34 92"####)),
        (SVC, true, r####"{.spec.ports[?(@.name=="x")]}"####, Ok(r####"{"name":"x","nodePort":30080,"port":80,"protocol":"UDP","targetPort":"http"}"####)),
        (SVC, true, r####"{.spec.ports[0:2:2].name}{.spec.ports[0:0]}{.spec.ports[1:0]}"####, Err(r####"error executing jsonpath "{.spec.ports[0:2:2].name}{.spec.ports[0:0]}{.spec.ports[1:0]}": Error executing template: starting index 1 is greater than ending index 0. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.weight=="x")]}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.weight==\"x\")]}": Error executing template: weight is not found. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.metadata.name.foo}"####, Err(r####"error executing jsonpath "{.metadata.name.foo}": Error executing template: foo is not found. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec[0]}"####, Err(r####"error executing jsonpath "{.spec[0]}": Error executing template: map[string]interface {} is not array or slice. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.port)]"####, Err(r####"error parsing jsonpath {.spec.ports[?(@.port)], unclosed action"####)),
        (SVC, true, r####"{.spec.ports[?(@ == 1)]}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@ == 1)]}": Error executing template: invalid type for comparison. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.port==443.0)].name}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.port==443.0)].name}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.port>"a")].name}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.port>\"a\")].name}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.name<"z")].name}"####, Ok(r####"https x"####)),
        (SVC, true, r####"{.spec.ports[?(@.name==true)].name}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.name==true)].name}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.port>=80)].port}"####, Ok(r####"443 80"####)),
        (SVC, true, r####"{.spec.ports[?(@.port!=80)].port}"####, Ok(r####"443"####)),
        (SVC, true, r####"{.spec.ports[?(@.nothing==1)].port}"####, Err(r####"error executing jsonpath "{.spec.ports[?(@.nothing==1)].port}": Error executing template: nothing is not found. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.nothing[0]}"####, Ok(r####""####)),
        (SVC, true, r####"{.spec.nothing.*}"####, Ok(r####""####)),
        (SVC, true, r####"{..port}"####, Ok(r####"443 80"####)),
        (SVC, true, r####"{.spec.weight.x}"####, Err(r####"error executing jsonpath "{.spec.weight.x}": Error executing template: x is not found. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[0].port.x}"####, Err(r####"error executing jsonpath "{.spec.ports[0].port.x}": Error executing template: x is not found. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.name=)].port}"####, Ok(r####""####)),
        (SVC, true, r####"{.spec.ports[?(@.name)].name}{.spec.ports[?(@.zzz)].name}"####, Ok(r####"https x"####)),
        (SVC, true, r####"{.spec.uni}"####, Ok("日本<&>é\u{200b}\t\"q\"\\")),
        (SVC, true, r####"{.spec.ports[?(@.port==80)]['name','port']}"####, Ok(r####"x 80"####)),
        (SVC, true, r####"{.spec.ports[*]['name']}"####, Ok(r####"https x"####)),
        (SVC, true, r####"{range .spec.ports[*]}{.name}={.port}{"\n"}{end}"####, Ok(r####"https=443
x=80
"####)),
        (SVC, true, r####"{range .spec.ports[*]}{.name}{range .nope[*]}{.x}{end}{"\n"}{end}"####, Err(r####"error executing jsonpath "{range .spec.ports[*]}{.name}{range .nope[*]}{.x}{end}{\"\\n\"}{end}": Error executing template: nope is not found. Printing more information for debugging the template:"####)),
        (SVC, true, r####"{.spec.ports[?(@.targetPort)].targetPort}"####, Ok(r####"6443 http"####)),
        (SVC, true, r####"{.spec.big}"####, Ok(r####"1e+21"####)),
        (SVC, true, r####"{.spec.clusterIP}"####, Ok(r####"10.96.0.1"####)),
    ];

    #[test]
    fn golden_templates_match_kubectl() {
        for (obj, strict, template, want) in GOLDEN {
            let v: Value = serde_json::from_str(obj).unwrap();
            let opts = JsonPathOptions {
                allow_missing_keys: !strict,
                as_json: false,
            };
            let got = eval_with(template, &v, &opts);
            match want {
                Ok(out) => assert_eq!(got.as_deref(), Ok(*out), "{template}"),
                Err(first) => {
                    let err = got.expect_err(template);
                    assert_eq!(err.lines().next(), Some(*first), "{template}");
                }
            }
        }
    }

    /// The whole error kubectl prints, object dump included (Go `%#v`).
    #[test]
    fn golden_full_error_text() {
        let v: Value = serde_json::from_str(SVC).unwrap();
        let opts = JsonPathOptions {
            allow_missing_keys: false,
            as_json: false,
        };
        let err = eval_with("{.spec.nothing.x}", &v, &opts).unwrap_err();
        assert_eq!(
            super::super::printers::error_output(&err),
            r####"error: error executing jsonpath "{.spec.nothing.x}": Error executing template: x is not found. Printing more information for debugging the template:
	template was:
		{.spec.nothing.x}
	object given to jsonpath engine was:
		map[string]interface {}{"apiVersion":"v1", "kind":"Service", "metadata":map[string]interface {}{"creationTimestamp":"2023-10-12T15:11:07Z", "name":"kubernetes", "namespace":"default"}, "spec":map[string]interface {}{"big":1e+21, "clusterIP":"10.96.0.1", "emptyl":[]interface {}{}, "emptym":map[string]interface {}{}, "nothing":interface {}(nil), "ports":[]interface {}{map[string]interface {}{"name":"https", "port":443, "protocol":"TCP", "targetPort":6443}, map[string]interface {}{"name":"x", "nodePort":30080, "port":80, "protocol":"UDP", "targetPort":"http"}}, "uni":"日本<&>é\u200b\t\"q\"\\", "weight":1.5}}


"####
        );
    }

    #[test]
    fn missing_keys_print_nothing_by_default() {
        let v: Value = serde_json::from_str(SVC).unwrap();
        assert_eq!(eval("{.spec.foo}", &v), Ok(String::new()));
        assert_eq!(eval("{.spec.ports[0].targetPort}", &v), Ok("6443".into()));
    }

    #[test]
    fn jsonpath_as_json() {
        let v: Value = serde_json::from_str(SVC).unwrap();
        let opts = JsonPathOptions {
            allow_missing_keys: true,
            as_json: true,
        };
        // Recorded: kubectl get svc kubernetes -o 'jsonpath-as-json={.spec.ports[*].port}{.kind}'
        assert_eq!(
            eval_with("{.spec.ports[*].port}{.kind}", &v, &opts),
            Ok("[\n    443,\n    80\n]\n[\n    \"Service\"\n]\n".into())
        );
    }

    #[test]
    fn map_wildcards_walk_keys_in_sorted_order() {
        // kubectl uses Go's random map order here; this model is reproducible.
        let v: Value = serde_json::from_str(LIST).unwrap();
        assert_eq!(
            eval("{.items[0].status.conditions[0].*}", &v),
            Ok("2023-10-12T15:12:45Z Kubernetes Service CIDR is ready  True Ready".into())
        );
    }

    #[test]
    fn go_quote_and_sharp_u() {
        assert_eq!(
            go_quote("a\"b\\\n\u{200b}é\u{1}\u{1F600}"),
            "\"a\\\"b\\\\\\n\\u200bé\\x01😀\""
        );
        assert_eq!(go_sharp_u('#'), "U+0023 '#'");
        assert_eq!(go_sharp_u('\t'), "U+0009");
    }

    #[test]
    fn hostile_templates_do_not_panic() {
        let v: Value = serde_json::from_str(SVC).unwrap();
        for t in [
            "{",
            "}",
            "{[",
            "{[?(",
            "{[?(@",
            "{..",
            "{....}",
            "{[1:2:3:4]}",
            "{[-9223372036854775808]}",
            "{.spec.ports[9223372036854775807:]}",
            "{.spec.ports[::9223372036854775807]}",
            "{'\\x",
            "{\"\\u12\"}",
            "{range}{range}{end}",
            "{end}{end}",
            "é{.é}",
            "{.spec.ports[?(@.port==9999999999999999999999)]}",
        ] {
            let _ = eval(t, &v);
        }
    }
}
