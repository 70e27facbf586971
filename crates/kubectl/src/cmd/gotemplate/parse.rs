//! The lexer and parser of Go's text/template, for kubectl's `-o go-template`:
//! the same grammar (actions, trim markers, comments, pipelines, variables,
//! if/range/with/else chains, break/continue) and the same error texts
//! (`template: output:1: unclosed action`), because users see them verbatim.
//! Node positions are byte offsets as Go records them; execution errors
//! print `line:column` from them.

use crate::jsonpath::go_quote;

/// The functions kubectl's template knows: text/template's builtins plus
/// kubectl's `exists` and `base64decode`. Parsing refuses any other name.
pub const FUNCS: &[&str] = &[
    "and",
    "base64decode",
    "call",
    "eq",
    "exists",
    "ge",
    "gt",
    "html",
    "index",
    "js",
    "le",
    "len",
    "lt",
    "ne",
    "not",
    "or",
    "print",
    "printf",
    "println",
    "slice",
    "urlquery",
];

/// A parse failure in Go's words, without the `template: output:N: ` prefix.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub msg: String,
}

impl ParseError {
    pub fn text(&self) -> String {
        format!("template: output:{}: {}", self.line, self.msg)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Text(String),
    Left,
    Right,
    Field(String),
    Var(String),
    Ident(String),
    Str {
        quoted: String,
        value: String,
    },
    Char(String),
    Num(String),
    Bool(bool),
    Nil,
    Dot,
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
    Keyword(&'static str),
    /// Other printable ASCII: the parser reports it as unexpected.
    Punct(char),
    Space,
    Eof,
}

#[derive(Clone, Debug)]
struct Item {
    tok: Tok,
    pos: usize,
    line: usize,
}

const KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
];

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Go's `%#U` of a character, for "bad character" errors.
fn sharp_u(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    line: usize,
    items: Vec<Item>,
}

impl<'a> Lexer<'a> {
    fn err<T>(&self, msg: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            line: self.line,
            msg: msg.into(),
        })
    }

    fn emit(&mut self, tok: Tok, pos: usize) {
        let line = 1 + self.src[..pos].matches('\n').count();
        self.items.push(Item { tok, pos, line });
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn run(mut self) -> Result<Vec<Item>, ParseError> {
        loop {
            // Text up to the next `{{`.
            let start = self.pos;
            let Some(off) = self.rest().find("{{") else {
                if start < self.src.len() {
                    self.emit(Tok::Text(self.src[start..].to_string()), start);
                }
                self.pos = self.src.len();
                self.emit(Tok::Eof, self.pos);
                return Ok(self.items);
            };
            let delim = start + off;
            let after = &self.src[delim + 2..];
            let b = after.as_bytes();
            let trim_left = b.len() >= 2 && b[0] == b'-' && is_space(b[1]);
            let mut text = &self.src[start..delim];
            if trim_left {
                text = text.trim_end_matches([' ', '\t', '\r', '\n']);
            }
            if !text.is_empty() {
                self.emit(Tok::Text(text.to_string()), start);
            }
            self.line = 1 + self.src[..delim].matches('\n').count();
            self.pos = delim + 2 + if trim_left { 2 } else { 0 };
            // A comment is the whole action.
            if self.rest().starts_with("/*") {
                let Some(end) = self.rest().find("*/") else {
                    return self.err("unclosed comment");
                };
                self.pos += end + 2;
                let (trim_right, len) = self.right_delim_here();
                if len == 0 {
                    return self.err("comment ends before closing delimiter");
                }
                self.pos += len;
                if trim_right {
                    self.trim_following_space();
                }
                continue;
            }
            self.emit(Tok::Left, delim);
            self.inside_action()?;
        }
    }

    /// At a right delimiter (`}}` or ` -}}`)? Returns (trims, length).
    fn right_delim_here(&self) -> (bool, usize) {
        let r = self.rest().as_bytes();
        if r.len() >= 4 && is_space(r[0]) && r[1] == b'-' && r[2] == b'}' && r[3] == b'}' {
            return (true, 4);
        }
        if r.starts_with(b"}}") {
            return (false, 2);
        }
        (false, 0)
    }

    fn trim_following_space(&mut self) {
        let r = self.rest();
        let trimmed = r.trim_start_matches([' ', '\t', '\r', '\n']);
        self.pos += r.len() - trimmed.len();
    }

    fn inside_action(&mut self) -> Result<(), ParseError> {
        let mut parens = 0usize;
        loop {
            let (trim_right, len) = self.right_delim_here();
            if len > 0 && parens == 0 {
                let p = self.pos + if trim_right { 1 } else { 0 };
                if trim_right {
                    // The space before ` -}}` is still a space token.
                    self.emit(Tok::Space, self.pos);
                }
                self.emit(Tok::Right, p);
                self.pos += len;
                if trim_right {
                    self.trim_following_space();
                }
                return Ok(());
            }
            let start = self.pos;
            let Some(c) = self.rest().chars().next() else {
                return self.err("unclosed action");
            };
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    // Spaces, unless they start a trim marker.
                    let mut end = self.pos;
                    let bytes = self.src.as_bytes();
                    while end < bytes.len() && is_space(bytes[end]) {
                        if bytes[end..].starts_with(b" -}}") {
                            break;
                        }
                        end += 1;
                    }
                    if end == self.pos {
                        // " -}}" right here: handled at the top of the loop.
                        if parens > 0 {
                            return self.err("unclosed left paren");
                        }
                        continue;
                    }
                    if self.src[self.pos..end].contains('\n') && !self.rest().starts_with(' ') {
                        // Go 1.16+ allows newlines inside actions; keep them as spaces.
                    }
                    self.pos = end;
                    self.emit(Tok::Space, start);
                }
                '}' if self.rest().starts_with("}}") => {
                    return self.err("unclosed left paren");
                }
                '=' => {
                    self.pos += 1;
                    self.emit(Tok::Assign, start);
                }
                ':' => {
                    if !self.rest().starts_with(":=") {
                        return self.err("expected :=");
                    }
                    self.pos += 2;
                    self.emit(Tok::Declare, start);
                }
                '|' => {
                    self.pos += 1;
                    self.emit(Tok::Pipe, start);
                }
                ',' => {
                    self.pos += 1;
                    self.emit(Tok::Comma, start);
                }
                '(' => {
                    self.pos += 1;
                    parens += 1;
                    self.emit(Tok::LParen, start);
                }
                ')' => {
                    self.pos += 1;
                    if parens == 0 {
                        return self.err("unexpected right paren");
                    }
                    parens -= 1;
                    self.emit(Tok::RParen, start);
                }
                '"' => {
                    let s = self.quoted('"')?;
                    let value = unquote(&s).ok_or(ParseError {
                        line: self.line,
                        msg: format!("invalid syntax: {s}"),
                    })?;
                    self.emit(Tok::Str { quoted: s, value }, start);
                }
                '`' => {
                    let r = &self.rest()[1..];
                    let Some(end) = r.find('`') else {
                        return self.err("unterminated raw quoted string");
                    };
                    let value = r[..end].to_string();
                    self.pos += end + 2;
                    self.emit(
                        Tok::Str {
                            quoted: format!("`{value}`"),
                            value,
                        },
                        start,
                    );
                }
                '\'' => {
                    let s = self.quoted('\'')?;
                    self.emit(Tok::Char(s), start);
                }
                '$' => {
                    self.pos += 1;
                    let name = self.word();
                    self.emit(Tok::Var(format!("${name}")), start);
                }
                '.' => {
                    let next = self.rest()[1..].chars().next();
                    if next.is_some_and(|n| n.is_ascii_digit()) {
                        self.number(start)?;
                        continue;
                    }
                    self.pos += 1;
                    let name = self.word();
                    if name.is_empty() {
                        self.emit(Tok::Dot, start);
                    } else {
                        self.emit(Tok::Field(format!(".{name}")), start);
                    }
                }
                '+' | '-' | '0'..='9' => self.number(start)?,
                c if is_alnum(c) => {
                    let w = self.word();
                    let tok = match w.as_str() {
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        k => match KEYWORDS.iter().find(|kw| **kw == k) {
                            Some(kw) => Tok::Keyword(kw),
                            None => Tok::Ident(w.clone()),
                        },
                    };
                    // A word must end at a separator (Go's atTerminator).
                    if let Some(n) = self.rest().chars().next() {
                        if !(n.is_whitespace() || ".,|:)(}=".contains(n)) {
                            return self.err(format!("bad character {}", sharp_u(n)));
                        }
                    }
                    self.emit(tok, start);
                }
                c if c.is_ascii_graphic() => {
                    self.pos += 1;
                    self.emit(Tok::Punct(c), start);
                }
                other => {
                    return self.err(format!(
                        "unrecognized character in action: {}",
                        sharp_u(other)
                    ))
                }
            }
        }
    }

    fn word(&mut self) -> String {
        let r = self.rest();
        let end = r.find(|c: char| !is_alnum(c)).unwrap_or(r.len());
        self.pos += end;
        r[..end].to_string()
    }

    fn quoted(&mut self, q: char) -> Result<String, ParseError> {
        let r = self.rest();
        let mut escaped = false;
        for (i, c) in r.char_indices().skip(1) {
            match c {
                '\n' => break,
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                c if c == q => {
                    self.pos += i + 1;
                    return Ok(r[..=i].to_string());
                }
                _ => {}
            }
        }
        if q == '"' {
            self.err("unterminated quoted string")
        } else {
            self.err("unterminated character constant")
        }
    }

    fn number(&mut self, start: usize) -> Result<(), ParseError> {
        let r = self.rest();
        let end = r
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_alphanumeric()
                    || c == '.'
                    || c == '_'
                    || ((c == '+' || c == '-')
                        && (i == 0 || matches!(r.as_bytes()[i - 1], b'e' | b'E' | b'p' | b'P'))))
            })
            .map(|(i, _)| i)
            .unwrap_or(r.len());
        let text = &r[..end];
        self.pos += end;
        if parse_number(text).is_none() {
            return self.err(format!("bad number syntax: {}", go_quote(text)));
        }
        self.emit(Tok::Num(text.to_string()), start);
        Ok(())
    }
}

/// Go's strconv.Unquote of a double-quoted literal.
fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            'x' => {
                let h: String = chars.by_ref().take(2).collect();
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            'u' => {
                let h: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            'U' => {
                let h: String = chars.by_ref().take(8).collect();
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            d @ '0'..='7' => {
                let rest: String = chars.by_ref().take(2).collect();
                let v = u32::from_str_radix(&format!("{d}{rest}"), 8).ok()?;
                out.push(char::from_u32(v)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// A number literal's value: an int when it reads as one, else a float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

fn parse_number(text: &str) -> Option<Number> {
    let t = text.replace('_', "");
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    let int = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        i64::from_str_radix(b, 2).ok()
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        i64::from_str_radix(o, 8).ok()
    } else if body.len() > 1 && body.starts_with('0') && body.chars().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&body[1..], 8).ok()
    } else if !body.is_empty() && body.chars().all(|c| c.is_ascii_digit()) {
        body.parse().ok()
    } else {
        None
    };
    if let Some(i) = int {
        return Some(Number::Int(if neg { -i } else { i }));
    }
    if body.is_empty() || !body.chars().next()?.is_ascii_digit() && !body.starts_with('.') {
        return None;
    }
    if body
        .chars()
        .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    let f: f64 = body.parse().ok()?;
    // An integral float literal like 1e3 is still an int in Go's parser.
    if f.fract() == 0.0 && f.abs() < 9.2e18 && (body.contains(['e', 'E'])) && !body.contains('.') {
        let i = f as i64;
        return Some(Number::Int(if neg { -i } else { i }));
    }
    Some(Number::Float(if neg { -f } else { f }))
}

// ---------------------------------------------------------------- nodes

#[derive(Clone, Debug)]
pub enum Node {
    Text(String),
    Action(Pipe),
    If(Branch),
    Range(Branch),
    With(Branch),
    Break(usize),
    Continue(usize),
    /// `{{template "name" pipeline}}` (also what a `block` leaves in place).
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
}

/// An if/range/with: its pipeline, its list, and the else list (an `else if`
/// or `else with` is one nested node in it).
#[derive(Clone, Debug)]
pub struct Branch {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

#[derive(Clone, Debug)]
pub struct Pipe {
    pub pos: usize,
    pub decl: Vec<String>,
    pub is_assign: bool,
    pub cmds: Vec<Command>,
}

#[derive(Clone, Debug)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Clone, Debug)]
pub enum Arg {
    /// `.a.b`: positioned where Go puts it (the second element of a chain).
    Field {
        pos: usize,
        idents: Vec<String>,
    },
    /// `$x.a.b`.
    Var {
        pos: usize,
        name: String,
        idents: Vec<String>,
    },
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Num {
        pos: usize,
        text: String,
        value: Number,
    },
    Str {
        pos: usize,
        quoted: String,
        value: String,
    },
    Ident {
        pos: usize,
        name: String,
    },
    /// A parenthesized pipeline.
    Pipe(Box<Pipe>),
    /// `(pipeline).a.b`.
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Var { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Bool(pos, _)
            | Arg::Num { pos, .. }
            | Arg::Str { pos, .. }
            | Arg::Ident { pos, .. }
            | Arg::Chain { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

/// Go's String() of the nodes: the `<…>` context of execution errors.
impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Var { name, idents, .. } => {
                write!(f, "{name}")?;
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Dot(_) => write!(f, "."),
            Arg::Nil(_) => write!(f, "nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Num { text, .. } => write!(f, "{text}"),
            Arg::Str { quoted, .. } => write!(f, "{quoted}"),
            Arg::Ident { name, .. } => write!(f, "{name}"),
            Arg::Pipe(p) => write!(f, "({p})"),
            Arg::Chain { node, fields, .. } => {
                match node.as_ref() {
                    Arg::Pipe(p) => write!(f, "({p})")?,
                    n => write!(f, "{n}")?,
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                write!(f, " ")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.decl.is_empty() {
            write!(f, "{}", self.decl.join(", "))?;
            write!(f, "{}", if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                write!(f, " | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- parser

/// How a list of nodes ended.
enum End {
    Eof,
    Closed,
    Else,
}

struct Parser {
    items: Vec<Item>,
    i: usize,
    /// Declared variables, innermost scope last.
    vars: Vec<String>,
    range_depth: usize,
    depth: usize,
    /// `define`d and `block` templates by name.
    defs: std::collections::BTreeMap<String, Vec<Node>>,
}

/// Nesting deeper than this is refused (a hostile template must not overflow
/// the stack of the wasm module).
const MAX_DEPTH: usize = 100;

/// A parsed template.
#[derive(Clone, Debug)]
pub struct Template {
    pub src: String,
    pub root: Vec<Node>,
    /// The associated templates `{{template}}` can call.
    pub defs: std::collections::BTreeMap<String, Vec<Node>>,
}

pub fn parse(src: &str) -> Result<Template, ParseError> {
    let items = Lexer {
        src,
        pos: 0,
        line: 1,
        items: Vec::new(),
    }
    .run()?;
    let mut p = Parser {
        items,
        i: 0,
        vars: vec!["$".to_string()],
        range_depth: 0,
        depth: 0,
        defs: std::collections::BTreeMap::new(),
    };
    let (root, end) = p.list()?;
    match end {
        End::Eof => Ok(Template {
            src: src.to_string(),
            root,
            defs: p.defs,
        }),
        End::Closed => p.fail_at(p.i.saturating_sub(1), "unexpected {{end}}"),
        End::Else => p.fail_at(p.i.saturating_sub(1), "unexpected {{else}}"),
    }
}

impl Parser {
    fn peek(&self) -> &Item {
        &self.items[self.i.min(self.items.len() - 1)]
    }

    fn next(&mut self) -> Item {
        let it = self.peek().clone();
        if self.i < self.items.len() {
            self.i += 1;
        }
        it
    }

    fn backup(&mut self) {
        self.i = self.i.saturating_sub(1);
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let it = self.next();
            if it.tok != Tok::Space {
                return it;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let it = self.next_non_space();
        self.backup();
        it
    }

    fn fail<T>(&self, line: usize, msg: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            line,
            msg: msg.into(),
        })
    }

    fn fail_at<T>(&self, i: usize, msg: impl Into<String>) -> Result<T, ParseError> {
        let line = self.items.get(i).map_or(1, |it| it.line);
        self.fail(line, msg)
    }

    /// Go's item String(): keywords as `<if>`, EOF as `EOF`, anything else
    /// quoted (cut to 10 characters and `...` when longer).
    fn unexpected<T>(&self, it: &Item, context: &str) -> Result<T, ParseError> {
        let raw = match &it.tok {
            Tok::Eof => return self.fail(it.line, format!("unexpected EOF in {context}")),
            Tok::Keyword(k) => return self.fail(it.line, format!("unexpected <{k}> in {context}")),
            Tok::Right => "}}".to_string(),
            Tok::Left => "{{".to_string(),
            Tok::RParen => ")".to_string(),
            Tok::LParen => "(".to_string(),
            Tok::Pipe => "|".to_string(),
            Tok::Comma => ",".to_string(),
            Tok::Declare => ":=".to_string(),
            Tok::Assign => "=".to_string(),
            Tok::Text(t) => t.clone(),
            Tok::Str { quoted, .. } => quoted.clone(),
            Tok::Field(v) | Tok::Var(v) | Tok::Ident(v) | Tok::Num(v) | Tok::Char(v) => v.clone(),
            Tok::Bool(b) => b.to_string(),
            Tok::Nil => "nil".to_string(),
            Tok::Dot => ".".to_string(),
            Tok::Space => " ".to_string(),
            Tok::Punct(c) => c.to_string(),
        };
        let shown = if raw.chars().count() > 10 {
            format!("{}...", go_quote(&raw.chars().take(10).collect::<String>()))
        } else {
            go_quote(&raw)
        };
        self.fail(it.line, format!("unexpected {shown} in {context}"))
    }

    fn list(&mut self) -> Result<(Vec<Node>, End), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail(self.peek().line, "template nested too deeply");
        }
        let mut nodes = Vec::new();
        let end = loop {
            let it = self.next();
            match it.tok {
                Tok::Eof => break End::Eof,
                Tok::Text(t) => nodes.push(Node::Text(t)),
                Tok::Left => {
                    let kw = self.peek_non_space();
                    match kw.tok {
                        Tok::Keyword("end") => {
                            self.next_non_space();
                            self.expect_right("end")?;
                            break End::Closed;
                        }
                        Tok::Keyword("else") => {
                            self.next_non_space();
                            break End::Else;
                        }
                        _ => {
                            if let Some(n) = self.action()? {
                                nodes.push(n);
                            }
                        }
                    }
                }
                _ => return self.unexpected(&it, "input"),
            }
        };
        self.depth -= 1;
        Ok((nodes, end))
    }

    fn expect_right(&mut self, context: &str) -> Result<(), ParseError> {
        let it = self.next_non_space();
        if it.tok != Tok::Right {
            return self.unexpected(&it, context);
        }
        Ok(())
    }

    /// A template's name: a string constant.
    fn template_name(&mut self, context: &str) -> Result<(usize, String), ParseError> {
        let it = self.next_non_space();
        match it.tok {
            Tok::Str { value, .. } => Ok((it.pos, value)),
            _ => self.unexpected(&it, context),
        }
    }

    /// An action; `define` leaves no node where it stands.
    fn action(&mut self) -> Result<Option<Node>, ParseError> {
        let it = self.next_non_space();
        Ok(Some(match it.tok.clone() {
            Tok::Keyword("define") => {
                if self.depth > 1 {
                    return self.unexpected(&it, "command");
                }
                let (_, name) = self.template_name("define clause")?;
                self.expect_right("define clause")?;
                let saved = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
                let (list, end) = self.list()?;
                self.vars = saved;
                if !matches!(end, End::Closed) {
                    return self.fail(self.peek().line, "unexpected EOF");
                }
                self.defs.insert(name, list);
                return Ok(None);
            }
            Tok::Keyword(k @ ("template" | "block")) => {
                let context = format!("{k} clause");
                let (pos, name) = self.template_name(&context)?;
                let pipe = if self.peek_non_space().tok == Tok::Right {
                    self.next_non_space();
                    None
                } else {
                    Some(self.pipeline(&context, false)?)
                };
                if k == "block" {
                    let saved = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
                    let (list, end) = self.list()?;
                    self.vars = saved;
                    if !matches!(end, End::Closed) {
                        return self.fail(self.peek().line, "unexpected EOF");
                    }
                    self.defs.insert(name.clone(), list);
                }
                Node::Template { pos, name, pipe }
            }
            other => return self.action_node(it, other).map(Some),
        }))
    }

    fn action_node(&mut self, it: Item, tok: Tok) -> Result<Node, ParseError> {
        match tok {
            Tok::Keyword("if") => Ok(Node::If(self.branch("if")?)),
            Tok::Keyword("with") => Ok(Node::With(self.branch("with")?)),
            Tok::Keyword("range") => {
                self.range_depth += 1;
                let b = self.branch("range");
                self.range_depth -= 1;
                Ok(Node::Range(b?))
            }
            Tok::Keyword(k @ ("break" | "continue")) => {
                if self.range_depth == 0 {
                    return self.fail(it.line, format!("{{{{{k}}}}} outside {{{{range}}}}"));
                }
                self.expect_right(&format!("{{{{{k}}}}}"))?;
                Ok(if k == "break" {
                    Node::Break(it.pos)
                } else {
                    Node::Continue(it.pos)
                })
            }
            _ => {
                self.backup();
                let pipe = self.pipeline("command", true)?;
                Ok(Node::Action(pipe))
            }
        }
    }

    fn branch(&mut self, context: &'static str) -> Result<Branch, ParseError> {
        let mark = self.vars.len();
        let pipe = self.pipeline(context, true)?;
        let (list, end) = self.list()?;
        let else_list = match end {
            End::Closed => None,
            End::Eof => return self.fail(self.peek().line, "unexpected EOF"),
            End::Else => {
                let it = self.peek_non_space();
                match it.tok {
                    // `else if` / `else with` chain: one nested node whose
                    // `end` closes the whole chain.
                    Tok::Keyword(k @ ("if" | "with")) if k == context => {
                        self.next_non_space();
                        let nested = self.branch(context)?;
                        Some(vec![if k == "if" {
                            Node::If(nested)
                        } else {
                            Node::With(nested)
                        }])
                    }
                    _ => {
                        self.expect_right("else")?;
                        let (l, e) = self.list()?;
                        match e {
                            End::Closed => Some(l),
                            End::Else => {
                                return self.fail(self.peek().line, "expected end; found {{else}}")
                            }
                            End::Eof => return self.fail(self.peek().line, "unexpected EOF"),
                        }
                    }
                }
            }
        };
        self.vars.truncate(mark);
        Ok(Branch {
            pipe,
            list,
            else_list,
        })
    }

    fn pipeline(&mut self, context: &str, allow_decl: bool) -> Result<Pipe, ParseError> {
        let start = self.peek_non_space();
        let mut pipe = Pipe {
            pos: start.pos,
            decl: Vec::new(),
            is_assign: false,
            cmds: Vec::new(),
        };
        // Declarations: `$x :=`, `$x =`, or (range) `$i, $v :=`.
        if allow_decl {
            let save = self.i;
            let v = self.next_non_space();
            if let Tok::Var(name) = &v.tok {
                let n = self.next_non_space();
                match n.tok {
                    Tok::Declare | Tok::Assign => {
                        pipe.is_assign = n.tok == Tok::Assign;
                        if pipe.is_assign && !self.vars.contains(name) {
                            return self.fail(v.line, format!("undefined variable {name:?}"));
                        }
                        pipe.decl.push(name.clone());
                    }
                    Tok::Comma if context == "range" => {
                        let v2 = self.next_non_space();
                        let Tok::Var(name2) = &v2.tok else {
                            return self.fail(v2.line, "range can only initialize variables");
                        };
                        let n2 = self.next_non_space();
                        if !matches!(n2.tok, Tok::Declare | Tok::Assign) {
                            return self.unexpected(&n2, "range");
                        }
                        pipe.is_assign = n2.tok == Tok::Assign;
                        pipe.decl.push(name.clone());
                        pipe.decl.push(name2.clone());
                    }
                    _ => self.i = save,
                }
            } else {
                self.i = save;
            }
        }
        loop {
            let it = self.next_non_space();
            match it.tok {
                Tok::Right | Tok::RParen
                    if (it.tok == Tok::Right) == (context != "parenthesized pipeline") =>
                {
                    if pipe.cmds.is_empty() {
                        return self.fail(it.line, format!("missing value for {context}"));
                    }
                    break;
                }
                Tok::Bool(_)
                | Tok::Char(_)
                | Tok::Dot
                | Tok::Field(_)
                | Tok::Ident(_)
                | Tok::Num(_)
                | Tok::Nil
                | Tok::Str { .. }
                | Tok::Var(_)
                | Tok::LParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return self.unexpected(&it, context),
            }
        }
        // Declared names are visible after the declaration.
        if !pipe.is_assign {
            self.vars.extend(pipe.decl.iter().cloned());
        }
        Ok(pipe)
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        let first = self.peek_non_space();
        let mut cmd = Command {
            pos: first.pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(a) = self.operand()? {
                cmd.args.push(a);
            }
            let it = self.next();
            match it.tok {
                Tok::Space => continue,
                Tok::Right | Tok::RParen => self.backup(),
                Tok::Pipe => {}
                _ => return self.unexpected(&it, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.fail(first.line, "empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> Result<Option<Arg>, ParseError> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if !matches!(self.peek().tok, Tok::Field(_)) {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while let Tok::Field(f) = &self.peek().tok {
            fields.push(f[1..].to_string());
            self.next();
        }
        Ok(Some(match node {
            Arg::Field { mut idents, .. } => {
                idents.extend(fields);
                Arg::Field {
                    pos: chain_pos,
                    idents,
                }
            }
            Arg::Var {
                name, mut idents, ..
            } => {
                idents.extend(fields);
                Arg::Var {
                    pos: chain_pos,
                    name,
                    idents,
                }
            }
            Arg::Bool(..) | Arg::Str { .. } | Arg::Num { .. } | Arg::Nil(_) | Arg::Dot(_) => {
                let line = self.items[self.i.saturating_sub(1)].line;
                return self.fail(
                    line,
                    format!("unexpected . after term {:?}", node.to_string()),
                );
            }
            other => Arg::Chain {
                pos: chain_pos,
                node: Box::new(other),
                fields,
            },
        }))
    }

    fn term(&mut self) -> Result<Option<Arg>, ParseError> {
        let it = self.next_non_space();
        Ok(Some(match it.tok {
            Tok::Ident(name) => {
                if !FUNCS.contains(&name.as_str()) {
                    return self.fail(it.line, format!("function {name:?} not defined"));
                }
                Arg::Ident { pos: it.pos, name }
            }
            Tok::Dot => Arg::Dot(it.pos),
            Tok::Nil => Arg::Nil(it.pos),
            Tok::Var(name) => {
                if !self.vars.contains(&name) {
                    return self.fail(it.line, format!("undefined variable {name:?}"));
                }
                Arg::Var {
                    pos: it.pos,
                    name,
                    idents: Vec::new(),
                }
            }
            Tok::Field(f) => Arg::Field {
                pos: it.pos,
                idents: vec![f[1..].to_string()],
            },
            Tok::Bool(b) => Arg::Bool(it.pos, b),
            Tok::Num(text) => {
                let value = parse_number(&text).unwrap_or(Number::Int(0));
                Arg::Num {
                    pos: it.pos,
                    text,
                    value,
                }
            }
            Tok::Char(text) => {
                let inner = text.trim_matches('\'');
                let c = unquote(&format!("\"{inner}\""))
                    .and_then(|s| {
                        let mut cs = s.chars();
                        let c = cs.next()?;
                        cs.next().is_none().then_some(c)
                    })
                    .ok_or(ParseError {
                        line: it.line,
                        msg: format!("malformed character constant: {text}"),
                    })?;
                Arg::Num {
                    pos: it.pos,
                    text,
                    value: Number::Int(c as i64),
                }
            }
            Tok::Str { quoted, value } => Arg::Str {
                pos: it.pos,
                quoted,
                value,
            },
            Tok::LParen => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return self.fail(it.line, "template nested too deeply");
                }
                let p = self.pipeline("parenthesized pipeline", false)?;
                self.depth -= 1;
                Arg::Pipe(Box::new(Pipe { pos: it.pos, ..p }))
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_parse_errors() {
        let e = |s: &str| parse(s).unwrap_err().text();
        assert_eq!(e("{{.a"), "template: output:1: unclosed action");
        assert_eq!(
            e("{{foo}}"),
            "template: output:1: function \"foo\" not defined"
        );
        assert_eq!(
            e("{{if}}x{{end}}"),
            "template: output:1: missing value for if"
        );
        assert_eq!(e("{{if .a}}x"), "template: output:1: unexpected EOF");
        assert_eq!(e("{{end}}"), "template: output:1: unexpected {{end}}");
        assert_eq!(e("{{$x}}"), "template: output:1: undefined variable \"$x\"");
    }

    #[test]
    fn chained_fields_are_positioned_at_their_second_element() {
        let t = parse("{{.metadata.name.foo}}").unwrap();
        let Node::Action(p) = &t.root[0] else {
            panic!("not an action")
        };
        assert_eq!(p.cmds[0].args[0].pos(), 11);
        assert_eq!(p.cmds[0].args[0].to_string(), ".metadata.name.foo");
    }
}
