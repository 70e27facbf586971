//! A jq subset for the docs-page shell (`kubectl ... -o json | jq -r .spec.clusterIP`).
//!
//! Behaviour and texts follow jq 1.6 as shipped by Debian (checked against the real
//! binary), with a few deliberate 1.7 choices marked below. Anything outside the
//! subset is rejected at compile time with exit status 3 and a message naming it.
//!
//! Supported filters: `.`, `..`, `.a`, `."a"`, `.a.b`, `.[e]`, `.[]`, `.[a:b]`, `?`,
//! literals, string interpolation `"\(e)"`, `[e]`, `{k: e, k, $x, (e): e, "s": e}`,
//! `|`, `,`, `//`, `and`, `or`, `==` `!=` `<` `<=` `>` `>=`, `+ - * / %`, unary `-`,
//! `if/elif/else/end`, `try/catch`, `E as $x | F`, `reduce`, `foreach`, `$var`,
//! path expressions with `path`, `paths`, `del`, `setpath`, `delpaths` and the
//! assignments `=`, `|=`, `+=`, `-=`, `*=`, `/=`, `%=`, `//=`,
//! `@text @json @csv @tsv @base64 @base64d @sh @uri @html` and the builtins listed
//! in [`BUILTINS`].
//! Options: -r -j -c -n -s -e -S -M -R --tab --indent N --arg --argjson.

use std::cmp::Ordering;

/// Exit status when the program does not compile (jq's).
const COMPILE_ERROR_EXIT: i32 = 3;
/// Exit status when the input is not valid JSON. jq 1.7 and its manual say 2;
/// Debian's jq 1.6 exits 4 here, which 1.7 fixed.
const PARSE_ERROR_EXIT: i32 = 2;
/// Exit status after a runtime error (jq's).
const RUNTIME_ERROR_EXIT: i32 = 5;
/// Usage problems (unknown option, missing file) (jq's).
const USAGE_EXIT: i32 = 2;
/// Nesting of the program (parser) and of evaluation. The browser gives wasm about
/// 1 MiB of stack; these keep deep programs from exhausting it.
const MAX_PARSE_DEPTH: usize = 64;
const MAX_DEPTH: usize = 120;
/// jq allows 10000 nested arrays/objects; a wasm stack does not, so stop earlier
/// with the same message.
const MAX_JSON_DEPTH: usize = 256;
const MAX_STEPS: u64 = 5_000_000;
const MAX_OUTPUT: usize = 16 << 20;
const SUPPORTED_OPTIONS: &str =
    "-r -j -c -n -s -e -S -M -R --tab --indent N --arg NAME VALUE --argjson NAME JSON";

/// Stack use is measured from the outermost run_script/run_jq call: wasm has about
/// 1 MiB of stack, and the debug build's frames are large, so recursion stops when
/// this much has been used, whatever the nesting counters say.
const STACK_BUDGET: usize = 512 * 1024;
/// Deepest array/object nesting a jq program may build (parsing stops at
/// MAX_JSON_DEPTH); recursive printing, comparing and dropping stay shallow.
const MAX_VALUE_DEPTH: usize = MAX_JSON_DEPTH + 64;

thread_local! {
    static STACK_BASE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn stack_pos() -> usize {
    let marker = 0u8;
    std::hint::black_box(std::ptr::addr_of!(marker)) as usize
}

/// Run `f` with the stack budget counted from here (unless an outer call already set it).
pub(crate) fn with_stack_base<T>(f: impl FnOnce() -> T) -> T {
    let outer = STACK_BASE.with(|b| b.get());
    if outer == 0 {
        STACK_BASE.with(|b| b.set(stack_pos()));
    }
    let r = f();
    if outer == 0 {
        STACK_BASE.with(|b| b.set(0));
    }
    r
}

/// True when recursion must stop to keep the stack within its budget.
pub(crate) fn stack_low() -> bool {
    let base = STACK_BASE.with(|b| b.get());
    base != 0 && base.abs_diff(stack_pos()) > STACK_BUDGET
}

/// Array/object nesting of a value, without recursion, stopping past `limit`.
fn depth_exceeds(v: &Json, limit: usize) -> bool {
    let mut stack = vec![(v, 0usize)];
    while let Some((x, d)) = stack.pop() {
        if d > limit {
            return true;
        }
        match x {
            Json::Arr(a) => stack.extend(a.iter().map(|c| (c, d + 1))),
            Json::Obj(kv) => stack.extend(kv.iter().map(|(_, c)| (c, d + 1))),
            _ => {}
        }
    }
    false
}

fn shallow(v: Json) -> Result<Json, JqErr> {
    if depth_exceeds(&v, MAX_VALUE_DEPTH) {
        return Err(JqErr::Limit(format!(
            "values nested deeper than {MAX_VALUE_DEPTH} levels"
        )));
    }
    Ok(v)
}

/// Run jq: (stdout, stderr, exit status).
pub fn run_jq(args: &[String], input: &str) -> (String, String, i32) {
    let (chunks, code) = run_jq_chunks(args, input);
    let mut out = String::new();
    let mut err = String::new();
    for (is_err, s) in chunks {
        if is_err {
            err.push_str(&s);
        } else {
            out.push_str(&s);
        }
    }
    (out, err, code)
}

/// Run jq, keeping stdout and stderr writes in order: `(is_stderr, text)` chunks.
pub fn run_jq_chunks(args: &[String], input: &str) -> (Vec<(bool, String)>, i32) {
    with_stack_base(|| {
        let mut w = Writer::default();
        let code = main(args, input, &mut w);
        (w.chunks, code)
    })
}

#[derive(Default)]
struct Writer {
    chunks: Vec<(bool, String)>,
    size: usize,
}

impl Writer {
    fn put(&mut self, is_err: bool, s: &str) {
        if s.is_empty() {
            return;
        }
        self.size = self.size.saturating_add(s.len());
        match self.chunks.last_mut() {
            Some((e, t)) if *e == is_err => t.push_str(s),
            _ => self.chunks.push((is_err, s.to_string())),
        }
    }
    fn out(&mut self, s: &str) {
        self.put(false, s);
    }
    fn err(&mut self, s: &str) {
        self.put(true, s);
    }
}

#[derive(Default)]
struct Opts {
    raw: bool,
    join: bool,
    compact: bool,
    null_input: bool,
    slurp: bool,
    exit_status: bool,
    sort_keys: bool,
    raw_input: bool,
    tab: bool,
    indent: usize,
}

fn main(args: &[String], input: &str, w: &mut Writer) -> i32 {
    let mut o = Opts {
        indent: 2,
        ..Opts::default()
    };
    let mut vars: Vec<(String, Json)> = Vec::new();
    let mut positional: Vec<&str> = Vec::new();
    let mut i = 0;
    let mut opts_done = false;
    while let Some(a) = args.get(i) {
        i += 1;
        if opts_done || !a.starts_with('-') || a == "-" {
            positional.push(a);
            continue;
        }
        if a == "--" {
            opts_done = true;
            continue;
        }
        let mut take = |n: usize| -> Option<Vec<String>> {
            let v = args.get(i..i + n).map(|s| s.to_vec());
            i += n;
            v
        };
        match a.as_str() {
            "--raw-output" => o.raw = true,
            "--join-output" => {
                o.raw = true;
                o.join = true
            }
            "--compact-output" => o.compact = true,
            "--null-input" => o.null_input = true,
            "--slurp" => o.slurp = true,
            "--exit-status" => o.exit_status = true,
            "--sort-keys" => o.sort_keys = true,
            "--monochrome-output" => {}
            "--raw-input" => o.raw_input = true,
            "--tab" => o.tab = true,
            "--indent" => {
                let Some(v) = take(1) else {
                    w.err("jq: --indent takes one parameter\n");
                    return usage(w);
                };
                match v.first().and_then(|s| s.parse::<i64>().ok()) {
                    Some(n) if n > 7 => {
                        w.err("jq: Cannot indent more than 7 characters\n");
                        return usage(w);
                    }
                    Some(n) if n >= 0 => o.indent = n as usize,
                    _ => {
                        w.err("jq: Cannot indent more than 7 characters\n");
                        return usage(w);
                    }
                }
            }
            "--arg" => {
                let Some([name, value]) = take(2).and_then(|v| <[String; 2]>::try_from(v).ok())
                else {
                    w.err("jq: --arg takes two parameters (e.g. --arg varname value)\n");
                    return usage(w);
                };
                vars.push((name, Json::Str(value)));
            }
            "--argjson" => {
                let Some([name, text]) = take(2).and_then(|v| <[String; 2]>::try_from(v).ok())
                else {
                    w.err("jq: --argjson takes two parameters (e.g. --argjson varname text)\n");
                    return usage(w);
                };
                match parse_one(&text) {
                    Some(j) => vars.push((name, j)),
                    None => {
                        w.err("jq: Invalid JSON text passed to --argjson\n");
                        return usage(w);
                    }
                }
            }
            s if s.starts_with("--") => return unsupported_option(w, s),
            s => {
                for c in s.chars().skip(1) {
                    match c {
                        'r' => o.raw = true,
                        'j' => {
                            o.raw = true;
                            o.join = true
                        }
                        'c' => o.compact = true,
                        'n' => o.null_input = true,
                        's' => o.slurp = true,
                        'e' => o.exit_status = true,
                        'S' => o.sort_keys = true,
                        'M' => {}
                        'R' => o.raw_input = true,
                        'h' | 'a' | 'C' | 'f' | 'L' => {
                            return unsupported_option(w, &format!("-{c}"))
                        }
                        _ => {
                            w.err(&format!("jq: Unknown option {s}\n"));
                            return usage(w);
                        }
                    }
                }
            }
        }
    }
    let Some(program) = positional.first() else {
        // jq with no program and a non-terminal stdin behaves as `jq .`.
        return run_program(".", &[], input, &o, vars, w);
    };
    let files: Vec<&str> = positional.get(1..).unwrap_or_default().to_vec();
    run_program(program, &files, input, &o, vars, w)
}

fn usage(w: &mut Writer) -> i32 {
    w.err("Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n");
    USAGE_EXIT
}

fn unsupported_option(w: &mut Writer, opt: &str) -> i32 {
    w.err(&format!(
        "jq: servicecidr-sim jq does not support the option {opt} (supported: {SUPPORTED_OPTIONS})\n"
    ));
    USAGE_EXIT
}

fn run_program(
    program: &str,
    files: &[&str],
    stdin: &str,
    o: &Opts,
    vars: Vec<(String, Json)>,
    w: &mut Writer,
) -> i32 {
    let ast = match compile(program, &vars) {
        Ok(a) => a,
        Err(e) => {
            w.err(&e);
            return COMPILE_ERROR_EXIT;
        }
    };
    let mut status = 0;
    let text = if files.is_empty() {
        stdin.to_string()
    } else {
        for f in files {
            w.err(&format!(
                "jq: error: Could not open file {f}: No such file or directory\n"
            ));
        }
        status = USAGE_EXIT;
        String::new()
    };
    // Inputs: (value, newline count for "(at <stdin>:N)").
    let mut inputs: Vec<(Json, usize)> = Vec::new();
    let mut parse_err: Option<String> = None;
    if o.raw_input {
        if o.slurp {
            inputs.push((Json::Str(text.clone()), text.matches('\n').count()));
        } else {
            for (n, line) in text.split_inclusive('\n').enumerate() {
                let l = line.strip_suffix('\n').unwrap_or(line);
                inputs.push((
                    Json::Str(l.to_string()),
                    n + usize::from(line.ends_with('\n')),
                ));
            }
        }
    } else {
        let mut p = JsonParser::new(&text);
        loop {
            match p.next_value() {
                Ok(Some(v)) => {
                    let at = p.lines_through_value_end();
                    inputs.push((v, at));
                }
                Ok(None) => break,
                Err(e) => {
                    parse_err = Some(e);
                    break;
                }
            }
        }
        if o.slurp {
            if let Some(e) = parse_err.take() {
                w.err(&format!("parse error: {e}\n"));
                return PARSE_ERROR_EXIT;
            }
            let n = text.matches('\n').count();
            let all = Json::Arr(inputs.drain(..).map(|(v, _)| v).collect());
            inputs.push((all, n));
        }
    }
    let mut ctx = Ctx {
        steps: 0,
        stop_ids: 0,
        pending: std::collections::VecDeque::new(),
        stderr: Vec::new(),
    };
    let mut last_output: Option<Json> = None;
    let mut run_one = |ctx: &mut Ctx, input: Json, at: String, w: &mut Writer, status: &mut i32| {
        let env = vars.clone();
        let mut emit = |_: &mut Ctx, v: Json| -> Result<(), JqErr> {
            let s = render_output(&v, o);
            last_output = Some(v);
            w.out(&s);
            if w.size > MAX_OUTPUT {
                return Err(JqErr::Limit("output limit exceeded".into()));
            }
            Ok(())
        };
        let r = eval(&ast, &input, &env, ctx, 0, &mut emit);
        for (is_err, s) in ctx.stderr.drain(..) {
            w.put(is_err, &s);
        }
        // Like jq 1.6, the exit status follows the last input processed.
        match r {
            Ok(()) => *status = 0,
            Err(JqErr::Error(v)) => {
                let msg = match &v {
                    Json::Str(s) => format!("jq: error (at {at}): {s}\n"),
                    other => format!(
                        "jq: error (at {at}) (not a string): {}\n",
                        dump_compact(other)
                    ),
                };
                w.err(&msg);
                *status = RUNTIME_ERROR_EXIT;
            }
            Err(JqErr::Stop(_)) => *status = 0,
            Err(JqErr::Limit(m)) => {
                w.err(&format!("jq: error: servicecidr-sim jq: {m}\n"));
                *status = RUNTIME_ERROR_EXIT;
            }
        }
    };
    if o.null_input {
        ctx.pending = inputs.into_iter().collect();
        run_one(&mut ctx, Json::Null, "<unknown>".into(), w, &mut status);
    } else {
        ctx.pending = inputs.into_iter().collect();
        while let Some((v, at)) = ctx.pending.pop_front() {
            run_one(&mut ctx, v, format!("<stdin>:{at}"), w, &mut status);
        }
    }
    if let Some(e) = parse_err {
        w.err(&format!("parse error: {e}\n"));
        return PARSE_ERROR_EXIT;
    }
    if status != 0 {
        return status;
    }
    if o.exit_status {
        return match last_output {
            None => 4,
            Some(Json::Null) | Some(Json::Bool(false)) => 1,
            Some(_) => 0,
        };
    }
    0
}

fn render_output(v: &Json, o: &Opts) -> String {
    let v = if o.sort_keys { sort_keys(v) } else { v.clone() };
    let mut s = match (&v, o.raw) {
        (Json::Str(s), true) => s.clone(),
        _ => {
            if o.compact || (o.indent == 0 && !o.tab) {
                dump_compact(&v)
            } else {
                let unit = if o.tab {
                    "\t".to_string()
                } else {
                    " ".repeat(o.indent)
                };
                let mut out = String::new();
                dump_pretty(&v, &unit, 0, &mut out);
                out
            }
        }
    };
    if !o.join {
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------
// JSON values

/// A JSON value with objects in insertion order, as jq keeps them.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Num(_) => "number",
            Json::Str(_) => "string",
            Json::Arr(_) => "array",
            Json::Obj(_) => "object",
        }
    }

    fn truthy(&self) -> bool {
        !matches!(self, Json::Null | Json::Bool(false))
    }

    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn order(&self) -> u8 {
        match self {
            Json::Null => 0,
            Json::Bool(false) => 1,
            Json::Bool(true) => 2,
            Json::Num(_) => 3,
            Json::Str(_) => 4,
            Json::Arr(_) => 5,
            Json::Obj(_) => 6,
        }
    }
}

fn obj_set(kv: &mut Vec<(String, Json)>, key: String, v: Json) {
    match kv.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = v,
        None => kv.push((key, v)),
    }
}

fn sorted_keys(kv: &[(String, Json)]) -> Vec<String> {
    let mut keys: Vec<String> = kv.iter().map(|(k, _)| k.clone()).collect();
    servicecidr_core::sort::sort_by(&mut keys, |a, b| a.as_bytes().cmp(b.as_bytes()));
    keys
}

/// jq's total order: null < false < true < numbers < strings < arrays < objects.
fn compare(a: &Json, b: &Json) -> Ordering {
    match (a, b) {
        (Json::Num(x), Json::Num(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Json::Str(x), Json::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Json::Arr(x), Json::Arr(y)) => {
            for (p, q) in x.iter().zip(y.iter()) {
                let o = compare(p, q);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (Json::Obj(x), Json::Obj(y)) => {
            let (kx, ky) = (sorted_keys(x), sorted_keys(y));
            let o = compare(
                &Json::Arr(kx.iter().cloned().map(Json::Str).collect()),
                &Json::Arr(ky.iter().cloned().map(Json::Str).collect()),
            );
            if o != Ordering::Equal {
                return o;
            }
            for k in &kx {
                let o = compare(
                    a.get(k).unwrap_or(&Json::Null),
                    b.get(k).unwrap_or(&Json::Null),
                );
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        }
        _ => a.order().cmp(&b.order()),
    }
}

fn json_eq(a: &Json, b: &Json) -> bool {
    compare(a, b) == Ordering::Equal
}

fn sort_keys(v: &Json) -> Json {
    match v {
        Json::Arr(a) => Json::Arr(a.iter().map(sort_keys).collect()),
        Json::Obj(kv) => {
            let mut kv: Vec<(String, Json)> =
                kv.iter().map(|(k, v)| (k.clone(), sort_keys(v))).collect();
            servicecidr_core::sort::sort_by(&mut kv, |a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            Json::Obj(kv)
        }
        other => other.clone(),
    }
}

/// Numbers as jq 1.6 prints them: shortest round-trip digits, exponent form when the
/// decimal point would fall outside [-4, digits + 15].
pub fn fmt_num(v: f64) -> String {
    if v.is_nan() {
        return "null".into();
    }
    let v = if v.is_infinite() {
        f64::MAX.copysign(v)
    } else {
        v
    };
    if v == 0.0 {
        return if v.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{:e}", v.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let nd = digits.len() as i32;
    let decpt = exp + 1;
    let sign = if v < 0.0 { "-" } else { "" };
    if decpt <= -4 || decpt > nd + 15 {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let e = decpt - 1;
        let esign = if e < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", e.abs())
    } else if decpt <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize))
    } else if decpt >= nd {
        format!("{sign}{digits}{}", "0".repeat((decpt - nd) as usize))
    } else {
        let (a, b) = digits.split_at(decpt as usize);
        format!("{sign}{a}.{b}")
    }
}

fn dump_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn dump_compact(v: &Json) -> String {
    let mut out = String::new();
    dump_compact_into(v, &mut out);
    out
}

fn dump_compact_into(v: &Json, out: &mut String) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(n) => out.push_str(&fmt_num(*n)),
        Json::Str(s) => dump_string(s, out),
        Json::Arr(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                dump_compact_into(x, out);
            }
            out.push(']');
        }
        Json::Obj(kv) => {
            out.push('{');
            for (i, (k, x)) in kv.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                dump_string(k, out);
                out.push(':');
                dump_compact_into(x, out);
            }
            out.push('}');
        }
    }
}

fn dump_pretty(v: &Json, unit: &str, level: usize, out: &mut String) {
    let pad = |n: usize, out: &mut String| {
        for _ in 0..n {
            out.push_str(unit);
        }
    };
    match v {
        Json::Arr(a) if !a.is_empty() => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                pad(level + 1, out);
                dump_pretty(x, unit, level + 1, out);
            }
            out.push('\n');
            pad(level, out);
            out.push(']');
        }
        Json::Obj(kv) if !kv.is_empty() => {
            out.push_str("{\n");
            for (i, (k, x)) in kv.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                pad(level + 1, out);
                dump_string(k, out);
                out.push_str(": ");
                dump_pretty(x, unit, level + 1, out);
            }
            out.push('\n');
            pad(level, out);
            out.push('}');
        }
        other => dump_compact_into(other, out),
    }
}

/// A value as jq shows it inside error messages: compact, cut to 11 bytes + "...".
fn dump_trunc(v: &Json) -> String {
    let s = dump_compact(v);
    if s.len() <= 14 {
        return s;
    }
    let mut end = 11;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

fn described(v: &Json) -> String {
    format!("{} ({})", v.type_name(), dump_trunc(v))
}

// ---------------------------------------------------------------------------
// JSON text parser (a stream of values, with jq's error texts)

struct JsonParser {
    chars: Vec<char>,
    pos: usize,
    last_end: usize,
    /// Where jq would stand after the last value: a literal ends only when the
    /// delimiter after it has been read.
    report_at: usize,
}

fn parse_one(text: &str) -> Option<Json> {
    let mut p = JsonParser::new(text);
    let v = p.next_value().ok()??;
    match p.next_value() {
        Ok(None) => Some(v),
        _ => None,
    }
}

impl JsonParser {
    fn new(text: &str) -> JsonParser {
        JsonParser {
            chars: text.chars().collect(),
            pos: 0,
            last_end: 0,
            report_at: 0,
        }
    }

    /// jq reads its input line by line: the count of newlines up to the end of the
    /// line on which the last value ended.
    fn lines_through_value_end(&self) -> usize {
        let end = self.last_end.saturating_sub(1);
        let line_end = self
            .chars
            .iter()
            .skip(end)
            .position(|c| *c == '\n')
            .map(|i| end + i + 1)
            .unwrap_or(self.chars.len());
        self.chars
            .iter()
            .take(line_end)
            .filter(|c| **c == '\n')
            .count()
    }

    /// "at line L, column C" as jq counts (characters read so far); "at EOF" when
    /// the problem only showed once the input ran out.
    fn loc(&self, at: usize, eof: bool) -> String {
        let upto = self
            .chars
            .get(..at.min(self.chars.len()))
            .unwrap_or_default();
        let line = upto.iter().filter(|c| **c == '\n').count() + 1;
        let col = upto.iter().rev().take_while(|c| **c != '\n').count();
        let eof = if eof { " at EOF" } else { "" };
        format!("{eof} at line {line}, column {col}")
    }

    fn err<T>(&self, msg: &str, at: usize) -> Result<T, String> {
        Err(format!("{msg}{}", self.loc(at, false)))
    }

    fn err_eof<T>(&self, msg: &str) -> Result<T, String> {
        Err(format!("{msg}{}", self.loc(self.chars.len(), true)))
    }

    /// A value where `,`/`:`/a closing bracket was due: jq reads that value, then
    /// complains that the two values are not separated.
    fn separator_error<T>(&mut self, depth: usize) -> Result<T, String> {
        match self.chars.get(self.pos) {
            // An opening bracket is itself the token that cannot follow a value.
            Some('[' | '{') | None => {
                self.pos += 1;
                self.err("Expected separator between values", self.pos)
            }
            Some(']' | '}' | ',' | ':') => {
                self.pos += 1;
                self.err("Expected separator between values", self.pos)
            }
            Some(_) => {
                self.value(depth + 1)?;
                self.err("Expected separator between values", self.report_at)
            }
        }
    }

    fn skip_ws(&mut self) {
        while self
            .chars
            .get(self.pos)
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
        {
            self.pos += 1;
        }
    }

    fn next_value(&mut self) -> Result<Option<Json>, String> {
        self.skip_ws();
        if self.pos >= self.chars.len() {
            return Ok(None);
        }
        let v = self.value(0)?;
        self.last_end = self.pos;
        if !matches!(v, Json::Arr(_) | Json::Obj(_) | Json::Str(_)) {
            // jq only hands out a number/literal once the next token is known, so a
            // structural character right after it fails before the value is used.
            let msg = match self.chars.get(self.pos) {
                Some(',') => Some("Expected value before ','"),
                Some(']') => Some("Unmatched ']'"),
                Some('}') => Some("Unmatched '}'"),
                Some(':') => Some("Expected string key before ':'"),
                _ => None,
            };
            if let Some(m) = msg {
                return self.err(m, self.pos + 1);
            }
        }
        // A literal must be followed by a delimiter (jq would have read it as one token).
        Ok(Some(v))
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_JSON_DEPTH || stack_low() {
            return self.err("Exceeds depth limit for parsing", self.pos);
        }
        self.skip_ws();
        let Some(&c) = self.chars.get(self.pos) else {
            return self.err_eof("Unfinished JSON term");
        };
        match c {
            '{' => {
                self.pos += 1;
                let mut kv: Vec<(String, Json)> = Vec::new();
                self.skip_ws();
                if self.chars.get(self.pos) == Some(&'}') {
                    self.pos += 1;
                    return Ok(Json::Obj(kv));
                }
                loop {
                    self.skip_ws();
                    let key = match self.chars.get(self.pos) {
                        None => return self.err_eof("Unfinished JSON term"),
                        Some('"') => {
                            self.pos += 1;
                            self.string()?
                        }
                        Some('}') => {
                            self.pos += 1;
                            return self.err("Expected another key-value pair", self.pos);
                        }
                        Some(_) => {
                            self.value(depth + 1)?;
                            self.skip_ws();
                            if self.chars.get(self.pos) == Some(&':') {
                                self.pos += 1;
                                return self.err("Object keys must be strings", self.pos);
                            }
                            return self.separator_error(depth);
                        }
                    };
                    self.skip_ws();
                    match self.chars.get(self.pos) {
                        None => return self.err_eof("Unfinished JSON term"),
                        Some(':') => self.pos += 1,
                        Some(',' | '}') => {
                            self.pos += 1;
                            return self.err("Objects must consist of key:value pairs", self.pos);
                        }
                        Some(_) => return self.separator_error(depth),
                    }
                    let v = self.value(depth + 1)?;
                    obj_set(&mut kv, key, v);
                    self.skip_ws();
                    match self.chars.get(self.pos) {
                        None => return self.err_eof("Unfinished JSON term"),
                        Some(',') => self.pos += 1,
                        Some('}') => {
                            self.pos += 1;
                            self.report_at = self.pos;
                            return Ok(Json::Obj(kv));
                        }
                        Some(_) => return self.separator_error(depth),
                    }
                }
            }
            '[' => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.chars.get(self.pos) == Some(&']') {
                    self.pos += 1;
                    return Ok(Json::Arr(items));
                }
                loop {
                    self.skip_ws();
                    if self.chars.get(self.pos) == Some(&']') && !items.is_empty() {
                        self.pos += 1;
                        return self.err("Expected another array element", self.pos);
                    }
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    match self.chars.get(self.pos) {
                        None => return self.err_eof("Unfinished JSON term"),
                        Some(',') => self.pos += 1,
                        Some(']') => {
                            self.pos += 1;
                            self.report_at = self.pos;
                            return Ok(Json::Arr(items));
                        }
                        Some('}') => {
                            self.pos += 1;
                            return self.err("Objects must consist of key:value pairs", self.pos);
                        }
                        Some(_) => return self.separator_error(depth),
                    }
                }
            }
            '"' => {
                self.pos += 1;
                let v = Json::Str(self.string()?);
                self.report_at = self.pos;
                Ok(v)
            }
            ']' => {
                self.pos += 1;
                self.err("Unmatched ']'", self.pos)
            }
            '}' => {
                self.pos += 1;
                self.err("Unmatched '}'", self.pos)
            }
            ',' => {
                self.pos += 1;
                self.err("Expected value before ','", self.pos)
            }
            ':' => {
                self.pos += 1;
                if depth == 0 {
                    return self.err("Expected string key before ':'", self.pos);
                }
                self.err("':' not as part of an object", self.pos)
            }
            _ => self.literal(),
        }
    }

    fn literal(&mut self) -> Result<Json, String> {
        let start = self.pos;
        while let Some(&c) = self.chars.get(self.pos) {
            if matches!(
                c,
                ' ' | '\t' | '\n' | '\r' | '[' | ']' | '{' | '}' | ',' | ':' | '"'
            ) {
                break;
            }
            self.pos += 1;
        }
        let tok: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or_default()
            .iter()
            .collect();
        // jq reports the error after reading the delimiter that ended the token.
        let at = if self.pos < self.chars.len() {
            self.pos + 1
        } else {
            self.pos
        };
        self.report_at = at;
        match tok.as_str() {
            "true" => return Ok(Json::Bool(true)),
            "false" => return Ok(Json::Bool(false)),
            "null" => return Ok(Json::Null),
            "nan" => return Ok(Json::Num(f64::NAN)),
            _ => {}
        }
        let eof = self.pos >= self.chars.len();
        let msg = if tok.starts_with(['t', 'f', 'n']) {
            "Invalid literal"
        } else {
            match parse_number(&tok) {
                Some(n) => return Ok(Json::Num(n)),
                None => "Invalid numeric literal",
            }
        };
        if eof {
            self.err_eof(msg)
        } else {
            self.err(msg, at)
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let mut s = String::new();
        loop {
            let Some(c) = self.chars.get(self.pos).copied() else {
                return self.err_eof("Unfinished string");
            };
            self.pos += 1;
            match c {
                '"' => return Ok(s),
                '\\' => {
                    let Some(e) = self.chars.get(self.pos).copied() else {
                        return self.err_eof("Unfinished string");
                    };
                    self.pos += 1;
                    match e {
                        '"' => s.push('"'),
                        '\\' => s.push('\\'),
                        '/' => s.push('/'),
                        'b' => s.push('\u{8}'),
                        'f' => s.push('\u{c}'),
                        'n' => s.push('\n'),
                        'r' => s.push('\r'),
                        't' => s.push('\t'),
                        'u' => {
                            let Some(hi) = self.hex4() else {
                                return self.bad_string("Invalid escape");
                            };
                            if (0xD800..0xDC00).contains(&hi)
                                && self.chars.get(self.pos) == Some(&'\\')
                                && self.chars.get(self.pos + 1) == Some(&'u')
                            {
                                let save = self.pos;
                                self.pos += 2;
                                match self.hex4() {
                                    Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                                        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                        s.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                                        continue;
                                    }
                                    _ => self.pos = save,
                                }
                            }
                            s.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
                        }
                        _ => return self.bad_string("Invalid escape"),
                    }
                }
                c if (c as u32) < 0x20 => return self.bad_string(
                    "Invalid string: control characters from U+0000 through U+001F must be escaped",
                ),
                c => s.push(c),
            }
        }
    }

    /// jq validates escapes after reading the whole string.
    fn bad_string<T>(&mut self, msg: &str) -> Result<T, String> {
        while let Some(&c) = self.chars.get(self.pos) {
            self.pos += 1;
            if c == '\\' {
                self.pos += 1;
            } else if c == '"' {
                return self.err(msg, self.pos);
            }
        }
        self.err_eof("Unfinished string")
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = self.chars.get(self.pos)?.to_digit(16)?;
            v = v * 16 + d;
            self.pos += 1;
        }
        Some(v)
    }
}

/// A JSON number token (jq is lenient: it accepts what strtod accepts).
fn parse_number(tok: &str) -> Option<f64> {
    let b = tok.as_bytes();
    if b.is_empty() {
        return None;
    }
    let valid = tok
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !valid || tok.starts_with('+') {
        return None;
    }
    tok.parse::<f64>().ok()
}

// ---------------------------------------------------------------------------
// Filter syntax

#[derive(Clone, Debug)]
enum StrPart {
    Lit(String),
    Interp(Ast),
}

#[derive(Clone, Debug)]
enum ObjKey {
    Lit(String),
    Expr(Ast),
    Interp(Vec<StrPart>, Option<String>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug)]
enum Ast {
    Identity,
    Recurse,
    Index(Box<Ast>, Box<Ast>),
    Slice(Box<Ast>, Option<Box<Ast>>, Option<Box<Ast>>),
    Iterate(Box<Ast>),
    Try(Box<Ast>, Option<Box<Ast>>),
    Literal(Json),
    Str(Vec<StrPart>, Option<String>),
    Format(String),
    Array(Option<Box<Ast>>),
    Object(Vec<(ObjKey, Ast)>),
    Neg(Box<Ast>),
    Pipe(Box<Ast>, Box<Ast>),
    Comma(Box<Ast>, Box<Ast>),
    Alt(Box<Ast>, Box<Ast>),
    Bin(BinOp, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    If(Vec<(Ast, Ast)>, Option<Box<Ast>>),
    As(Box<Ast>, String, Box<Ast>),
    Reduce(Box<Ast>, String, Box<Ast>, Box<Ast>),
    Foreach(Box<Ast>, String, Box<Ast>, Box<Ast>, Option<Box<Ast>>),
    Var(String, usize),
    Call(String, Vec<Ast>, usize),
    /// `lhs = rhs`, `lhs |= f`, `lhs += rhs` ...: the operator text.
    Assign(&'static str, Box<Ast>, Box<Ast>),
}

/// Builtins this jq implements, as name/arity.
const BUILTINS: &[(&str, usize)] = &[
    ("empty", 0),
    ("error", 0),
    ("error", 1),
    ("not", 0),
    ("length", 0),
    ("utf8bytelength", 0),
    ("keys", 0),
    ("keys_unsorted", 0),
    ("values", 0),
    ("has", 1),
    ("in", 1),
    ("inside", 1),
    ("contains", 1),
    ("map", 1),
    ("select", 1),
    ("recurse", 0),
    ("recurse", 1),
    ("recurse", 2),
    ("add", 0),
    ("any", 0),
    ("all", 0),
    ("any", 1),
    ("all", 1),
    ("any", 2),
    ("all", 2),
    ("range", 1),
    ("range", 2),
    ("range", 3),
    ("floor", 0),
    ("ceil", 0),
    ("round", 0),
    ("sqrt", 0),
    ("fabs", 0),
    ("pow", 2),
    ("log", 0),
    ("tostring", 0),
    ("tonumber", 0),
    ("type", 0),
    ("sort", 0),
    ("sort_by", 1),
    ("group_by", 1),
    ("unique", 0),
    ("unique_by", 1),
    ("min", 0),
    ("max", 0),
    ("min_by", 1),
    ("max_by", 1),
    ("reverse", 0),
    ("startswith", 1),
    ("endswith", 1),
    ("ltrimstr", 1),
    ("rtrimstr", 1),
    ("split", 1),
    ("join", 1),
    ("ascii_downcase", 0),
    ("ascii_upcase", 0),
    ("explode", 0),
    ("implode", 0),
    ("to_entries", 0),
    ("from_entries", 0),
    ("with_entries", 1),
    ("tojson", 0),
    ("fromjson", 0),
    ("first", 0),
    ("last", 0),
    ("first", 1),
    ("last", 1),
    ("nth", 1),
    ("nth", 2),
    ("limit", 2),
    ("isempty", 1),
    ("flatten", 0),
    ("flatten", 1),
    ("nulls", 0),
    ("booleans", 0),
    ("numbers", 0),
    ("strings", 0),
    ("arrays", 0),
    ("objects", 0),
    ("iterables", 0),
    ("scalars", 0),
    ("getpath", 1),
    ("walk", 1),
    ("input", 0),
    ("inputs", 0),
    ("debug", 0),
    ("input_filename", 0),
    ("infinite", 0),
    ("nan", 0),
    ("isnan", 0),
    ("isinfinite", 0),
    ("until", 2),
    ("while", 2),
    ("repeat", 1),
    ("transpose", 0),
    ("path", 1),
    ("paths", 0),
    ("paths", 1),
    ("leaf_paths", 0),
    ("del", 1),
    ("delpaths", 1),
    ("setpath", 2),
    ("map_values", 1),
    ("to_entries", 0),
];

/// jq builtins that exist upstream but not here: a program using one gets a clear
/// "not supported" instead of jq's "not defined".
const KNOWN_UNSUPPORTED: &[&str] = &[
    "test",
    "match",
    "capture",
    "scan",
    "sub",
    "gsub",
    "splits",
    "ascii",
    "env",
    "builtins",
    "input_line_number",
    "now",
    "mktime",
    "gmtime",
    "localtime",
    "strftime",
    "strptime",
    "todate",
    "fromdate",
    "date",
    "dateadd",
    "datesub",
    "fromdateiso8601",
    "todateiso8601",
    "halt",
    "halt_error",
    "stderr",
    "fromstream",
    "tostream",
    "truncate_stream",
    "significand",
    "gamma",
    "lgamma",
    "tgamma",
    "frexp",
    "modf",
    "ldexp",
    "trunc",
    "exp",
    "exp10",
    "exp2",
    "log10",
    "log2",
    "indices",
    "index",
    "rindex",
    "combinations",
    "get_search_list",
    "abs",
    "toarray",
    "pick",
    "have_decnum",
    "have_literal_numbers",
    "trim",
    "ltrim",
    "rtrim",
    "getpath",
    "limit",
    "first",
    "last",
    "error",
    "add",
    "range",
    "flatten",
    "any",
    "all",
    "recurse",
    "nth",
];

fn is_builtin(name: &str, arity: usize) -> bool {
    BUILTINS.iter().any(|(n, a)| *n == name && *a == arity)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Dot,
    DotDot,
    Field(String),
    Ident(String),
    Var(String),
    Num(f64),
    Str(Vec<TStrPart>),
    Format(String),
    Op(&'static str),
    Kw(&'static str),
    /// `$__loc__` on this line.
    Loc(usize),
    End,
}

#[derive(Clone, Debug, PartialEq)]
enum TStrPart {
    Lit(String),
    Interp(Vec<(Tok, usize)>),
}

const KEYWORDS: &[&str] = &[
    "if", "then", "elif", "else", "end", "as", "def", "reduce", "foreach", "try", "catch", "label",
    "import", "include", "and", "or", "__loc__",
];

const JQ_OPS: &[&str] = &[
    "?//", "|=", "+=", "-=", "*=", "/=", "%=", "//=", "==", "!=", "<=", ">=", "//", "|", ",", "+",
    "-", "*", "/", "%", "=", "<", ">", "(", ")", "[", "]", "{", "}", ":", ";", "?",
];

/// A compile error and the program offset jq points at (spaces after the program line).
struct CompileError(String, Option<usize>);

fn compile(program: &str, vars: &[(String, Json)]) -> Result<Ast, String> {
    // jq prints the program line holding the error, then as many spaces as the
    // error's offset into that line.
    let render = |msg: &str, at: Option<usize>| {
        let at = at.unwrap_or(0).min(program.chars().count());
        let before: String = program.chars().take(at).collect();
        let line_no = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = before[line_start..].chars().count();
        let line = program.split('\n').nth(line_no - 1).unwrap_or("");
        format!(
            "jq: error: {msg} at <top-level>, line {line_no}:\n{line}{}\njq: 1 compile error\n",
            " ".repeat(col)
        )
    };
    let chars: Vec<char> = program.chars().collect();
    let toks = match lex(&chars, &mut 0, 0, false) {
        Ok(t) => t,
        Err(CompileError(m, at)) => return Err(render(&m, at)),
    };
    let mut p = JqParser {
        toks,
        i: 0,
        depth: 0,
        program: chars,
    };
    let ast = match p.parse_top() {
        Ok(a) => a,
        Err(CompileError(m, at)) => return Err(render(&m, at)),
    };
    let bound: Vec<String> = vars.iter().map(|(n, _)| n.clone()).collect();
    if let Err(CompileError(m, at)) = check(&ast, &bound) {
        return Err(render(&m, at));
    }
    Ok(ast)
}

fn unsupported(what: &str) -> CompileError {
    CompileError(format!(
        "servicecidr-sim jq does not support {what} (supported: paths, pipes, comma, //, \
comparisons, arithmetic, assignment, if, try, reduce, foreach, as $x, [..], {{..}}, string interpolation and common builtins)"
    ), None)
}

fn lex(
    chars: &[char],
    i: &mut usize,
    depth: usize,
    in_interp: bool,
) -> Result<Vec<(Tok, usize)>, CompileError> {
    if depth > MAX_PARSE_DEPTH || stack_low() {
        return Err(unsupported("nesting this deep"));
    }
    let mut toks = Vec::new();
    let mut parens = 0usize;
    while let Some(&c) = chars.get(*i) {
        let start = *i;
        if c.is_whitespace() {
            *i += 1;
            continue;
        }
        if c == '#' {
            while chars.get(*i).is_some_and(|c| *c != '\n') {
                *i += 1;
            }
            continue;
        }
        if c == '"' {
            *i += 1;
            let parts = lex_string(chars, i, depth)?;
            toks.push((Tok::Str(parts), start));
            continue;
        }
        if c == '.' {
            let next = chars.get(*i + 1).copied();
            if next == Some('.') {
                *i += 2;
                toks.push((Tok::DotDot, start));
            } else if next.is_some_and(|n| n.is_ascii_alphabetic() || n == '_') {
                *i += 1;
                let mut s = String::new();
                while let Some(&d) = chars
                    .get(*i)
                    .filter(|d| d.is_ascii_alphanumeric() || **d == '_')
                {
                    s.push(d);
                    *i += 1;
                }
                toks.push((Tok::Field(s), start));
            } else if next.is_some_and(|n| n.is_ascii_digit()) {
                let n = lex_number(chars, i);
                toks.push((Tok::Num(n), start));
            } else {
                *i += 1;
                toks.push((Tok::Dot, start));
            }
            continue;
        }
        if c.is_ascii_digit() {
            let n = lex_number(chars, i);
            toks.push((Tok::Num(n), start));
            continue;
        }
        if c == '$' || c == '@' || c.is_ascii_alphabetic() || c == '_' {
            *i += 1;
            let mut s = String::new();
            while let Some(&d) = chars
                .get(*i)
                .filter(|d| d.is_ascii_alphanumeric() || **d == '_' || **d == ':')
            {
                if d == ':' && chars.get(*i + 1) != Some(&':') {
                    break;
                }
                if d == ':' {
                    s.push_str("::");
                    *i += 2;
                    continue;
                }
                s.push(d);
                *i += 1;
            }
            let tok = match c {
                '$' if s == "__loc__" => {
                    let line = chars
                        .get(..start)
                        .unwrap_or_default()
                        .iter()
                        .filter(|c| **c == '\n')
                        .count()
                        + 1;
                    Tok::Loc(line)
                }
                '$' if s.is_empty() => {
                    return Err(CompileError(
                        "syntax error, unexpected '$' (Unix shell quoting issues?)".into(),
                        None,
                    ))
                }
                '$' => Tok::Var(s),
                '@' => Tok::Format(s),
                _ => {
                    let word = format!("{c}{s}");
                    match KEYWORDS.iter().find(|k| **k == word) {
                        Some(k) => Tok::Kw(k),
                        None => Tok::Ident(word),
                    }
                }
            };
            toks.push((tok, start));
            continue;
        }
        let rest: String = chars
            .get(*i..(*i + 3).min(chars.len()))
            .unwrap_or_default()
            .iter()
            .collect();
        match JQ_OPS.iter().find(|op| rest.starts_with(**op)) {
            Some(op) => {
                if in_interp {
                    if *op == "(" {
                        parens += 1;
                    } else if *op == ")" {
                        if parens == 0 {
                            *i += 1;
                            return Ok(toks);
                        }
                        parens -= 1;
                    }
                }
                *i += op.len();
                toks.push((Tok::Op(op), start));
            }
            None => {
                return Err(CompileError(
                    "syntax error, unexpected INVALID_CHARACTER (Unix shell quoting issues?)"
                        .into(),
                    Some(start),
                ))
            }
        }
    }
    if in_interp {
        return Err(CompileError(
            "syntax error, unexpected $end (Unix shell quoting issues?)".into(),
            None,
        ));
    }
    toks.push((Tok::End, chars.len()));
    Ok(toks)
}

fn lex_number(chars: &[char], i: &mut usize) -> f64 {
    let mut s = String::new();
    while let Some(&d) = chars.get(*i).filter(|d| d.is_ascii_digit() || **d == '.') {
        s.push(d);
        *i += 1;
    }
    if let Some(&e) = chars.get(*i).filter(|e| **e == 'e' || **e == 'E') {
        let mut k = *i + 1;
        let mut exp = String::from(e);
        if let Some(&sg) = chars.get(k).filter(|s| **s == '+' || **s == '-') {
            exp.push(sg);
            k += 1;
        }
        if chars.get(k).is_some_and(|d| d.is_ascii_digit()) {
            while let Some(&d) = chars.get(k).filter(|d| d.is_ascii_digit()) {
                exp.push(d);
                k += 1;
            }
            s.push_str(&exp);
            *i = k;
        }
    }
    let t = if s.starts_with('.') {
        format!("0{s}")
    } else {
        s
    };
    t.parse().unwrap_or(0.0)
}

fn lex_string(chars: &[char], i: &mut usize, depth: usize) -> Result<Vec<TStrPart>, CompileError> {
    let start = *i - 1;
    let mut parts = Vec::new();
    let mut lit = String::new();
    loop {
        let Some(&c) = chars.get(*i) else {
            return Err(CompileError("syntax error, unexpected $end, expecting QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END (Unix shell quoting issues?)".into(), None));
        };
        *i += 1;
        match c {
            '"' => break,
            '\\' => {
                let Some(&e) = chars.get(*i) else { continue };
                *i += 1;
                match e {
                    '"' => lit.push('"'),
                    '\\' => lit.push('\\'),
                    '/' => lit.push('/'),
                    'b' => lit.push('\u{8}'),
                    'f' => lit.push('\u{c}'),
                    'n' => lit.push('\n'),
                    'r' => lit.push('\r'),
                    't' => lit.push('\t'),
                    'u' => {
                        let hex: String =
                            chars.get(*i..*i + 4).unwrap_or_default().iter().collect();
                        match u32::from_str_radix(&hex, 16) {
                            Ok(v) if hex.len() == 4 => {
                                *i += 4;
                                lit.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                            }
                            _ => return Err(invalid_escape(chars, start, *i)),
                        }
                    }
                    '(' => {
                        if !lit.is_empty() {
                            parts.push(TStrPart::Lit(std::mem::take(&mut lit)));
                        }
                        let inner = lex(chars, i, depth + 1, true)?;
                        let mut inner = inner;
                        inner.push((Tok::End, *i));
                        parts.push(TStrPart::Interp(inner));
                    }
                    _ => return Err(invalid_escape(chars, start, *i)),
                }
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() || parts.is_empty() {
        parts.push(TStrPart::Lit(lit));
    }
    Ok(parts)
}

fn invalid_escape(chars: &[char], start: usize, at: usize) -> CompileError {
    let mut end = at;
    while chars.get(end).is_some_and(|c| *c != '"') {
        end += 1;
    }
    let text: String = chars
        .get(start..(end + 1).min(chars.len()))
        .unwrap_or_default()
        .iter()
        .collect();
    CompileError(
        format!(
            "Invalid escape at line 1, column {} (while parsing '{text}')",
            at.saturating_sub(start)
        ),
        Some(start),
    )
}

struct JqParser {
    toks: Vec<(Tok, usize)>,
    i: usize,
    depth: usize,
    #[allow(dead_code)]
    program: Vec<char>,
}

fn tok_name(t: &Tok) -> String {
    match t {
        Tok::End => "$end".into(),
        Tok::Dot => "'.'".into(),
        Tok::DotDot => "\"..\"".into(),
        Tok::Field(_) => "FIELD".into(),
        Tok::Ident(_) => "IDENT".into(),
        Tok::Var(_) => "'$'".into(),
        Tok::Num(_) => "LITERAL".into(),
        Tok::Str(_) => "QQSTRING_START".into(),
        Tok::Format(_) => "FORMAT".into(),
        Tok::Kw(k) => (*k).to_string(),
        Tok::Loc(_) => "'$'".into(),
        Tok::Op(o) if o.len() == 1 => format!("'{o}'"),
        Tok::Op(o) => format!("\"{o}\""),
    }
}

impl JqParser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.i).map(|t| &t.0).unwrap_or(&Tok::End)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Kw(k) if *k == kw)
    }

    /// Where jq points for the current token: its start, or for the end of the
    /// program, the start of the last real token.
    fn here(&self) -> Option<usize> {
        match self.toks.get(self.i) {
            Some((Tok::End, _)) | None => self
                .i
                .checked_sub(1)
                .and_then(|k| self.toks.get(k))
                .map(|t| t.1),
            Some((_, p)) => Some(*p),
        }
    }

    fn unexpected<T>(&self) -> Result<T, CompileError> {
        Err(CompileError(
            format!(
                "syntax error, unexpected {} (Unix shell quoting issues?)",
                tok_name(self.peek())
            ),
            self.here(),
        ))
    }

    fn expect_op(&mut self, op: &str) -> Result<(), CompileError> {
        if self.is_op(op) {
            self.i += 1;
            Ok(())
        } else {
            self.unexpected()
        }
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), CompileError> {
        if self.is_kw(kw) {
            self.i += 1;
            Ok(())
        } else {
            self.unexpected()
        }
    }

    fn parse_top(&mut self) -> Result<Ast, CompileError> {
        if self.is_kw("def") {
            return Err(unsupported("function definitions (def)"));
        }
        if *self.peek() == Tok::End {
            return Ok(Ast::Identity);
        }
        let a = self.pipe()?;
        if *self.peek() != Tok::End {
            return Err(CompileError(
                format!(
                    "syntax error, unexpected {}, expecting $end (Unix shell quoting issues?)",
                    tok_name(self.peek())
                ),
                self.here(),
            ));
        }
        Ok(a)
    }

    fn enter(&mut self) -> Result<(), CompileError> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH || stack_low() {
            return Err(unsupported("nesting this deep"));
        }
        Ok(())
    }

    /// Pipe level: `a | b`, `T as $x | b`, `def`.
    fn pipe(&mut self) -> Result<Ast, CompileError> {
        self.enter()?;
        if self.is_kw("def") {
            return Err(unsupported("function definitions (def)"));
        }
        if self.is_kw("label") {
            return Err(unsupported("label/break"));
        }
        let lhs = self.comma()?;
        let r = if self.is_op("|") {
            self.i += 1;
            let rhs = self.pipe()?;
            Ast::Pipe(Box::new(lhs), Box::new(rhs))
        } else {
            lhs
        };
        self.depth -= 1;
        Ok(r)
    }

    fn pattern(&mut self) -> Result<String, CompileError> {
        match self.peek().clone() {
            Tok::Var(v) => {
                self.i += 1;
                Ok(v)
            }
            Tok::Op("[") | Tok::Op("{") => Err(unsupported("destructuring patterns")),
            _ => self.unexpected(),
        }
    }

    fn comma(&mut self) -> Result<Ast, CompileError> {
        let mut lhs = self.alt()?;
        while self.is_op(",") {
            self.i += 1;
            let rhs = self.alt()?;
            lhs = Ast::Comma(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn alt(&mut self) -> Result<Ast, CompileError> {
        let lhs = self.assign()?;
        if self.is_op("//") {
            self.i += 1;
            self.enter()?;
            let rhs = self.alt()?;
            self.depth -= 1;
            return Ok(Ast::Alt(Box::new(lhs), Box::new(rhs)));
        }
        if self.is_op("?//") {
            return Err(unsupported("the ?// destructuring alternative"));
        }
        Ok(lhs)
    }

    fn assign(&mut self) -> Result<Ast, CompileError> {
        let lhs = self.or()?;
        if let Tok::Op(op @ ("=" | "|=" | "+=" | "-=" | "*=" | "/=" | "%=" | "//=")) = self.peek() {
            let op = *op;
            if matches!(
                self.toks.get(self.i + 1).map(|t| &t.0),
                Some(Tok::End) | None
            ) {
                self.i += 1;
                return self.unexpected();
            }
            self.i += 1;
            let rhs = self.or()?;
            if matches!(
                self.peek(),
                Tok::Op("=" | "|=" | "+=" | "-=" | "*=" | "/=" | "%=" | "//=")
            ) {
                return self.unexpected();
            }
            return Ok(Ast::Assign(op, Box::new(lhs), Box::new(rhs)));
        }
        Ok(lhs)
    }

    fn or(&mut self) -> Result<Ast, CompileError> {
        let mut lhs = self.and()?;
        while self.is_kw("or") {
            self.i += 1;
            let rhs = self.and()?;
            lhs = Ast::Or(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Result<Ast, CompileError> {
        let mut lhs = self.compare()?;
        while self.is_kw("and") {
            self.i += 1;
            let rhs = self.compare()?;
            lhs = Ast::And(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn compare(&mut self) -> Result<Ast, CompileError> {
        let lhs = self.additive()?;
        let op = match self.peek() {
            Tok::Op("==") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Ne,
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Le,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Ge,
            _ => return Ok(lhs),
        };
        self.i += 1;
        let rhs = self.additive()?;
        if matches!(self.peek(), Tok::Op("==" | "!=" | "<" | "<=" | ">" | ">=")) {
            return self.unexpected();
        }
        Ok(Ast::Bin(op, Box::new(lhs), Box::new(rhs)))
    }

    fn additive(&mut self) -> Result<Ast, CompileError> {
        let mut lhs = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.i += 1;
            let rhs = self.multiplicative()?;
            lhs = Ast::Bin(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn multiplicative(&mut self) -> Result<Ast, CompileError> {
        let start = self.here();
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op("*") => BinOp::Mul,
                Tok::Op("/") => BinOp::Div,
                Tok::Op("%") => BinOp::Mod,
                _ => return Ok(lhs),
            };
            self.i += 1;
            let rhs = self.unary()?;
            // jq folds constant arithmetic at compile time and rejects x/0 there.
            if let (Ast::Literal(Json::Num(_)), Ast::Literal(Json::Num(z))) = (&lhs, &rhs) {
                if *z == 0.0 && matches!(op, BinOp::Div | BinOp::Mod) {
                    return Err(CompileError("Division by zero?".into(), start));
                }
            }
            lhs = Ast::Bin(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn unary(&mut self) -> Result<Ast, CompileError> {
        if self.is_op("-") {
            self.i += 1;
            self.enter()?;
            let inner = self.multiplicative()?;
            self.depth -= 1;
            return Ok(Ast::Neg(Box::new(inner)));
        }
        let term = self.postfix_term()?;
        // `Term as $x | body`: the body reaches as far right as a pipe can.
        if self.is_kw("as") {
            self.i += 1;
            let name = self.pattern()?;
            self.expect_op("|")?;
            let body = self.pipe()?;
            return Ok(Ast::As(Box::new(term), name, Box::new(body)));
        }
        Ok(term)
    }

    fn postfix_term(&mut self) -> Result<Ast, CompileError> {
        self.enter()?;
        let mut t = self.term()?;
        loop {
            match self.peek().clone() {
                Tok::Field(f) => {
                    self.i += 1;
                    t = Ast::Index(Box::new(t), Box::new(Ast::Literal(Json::Str(f))));
                }
                Tok::Dot => {
                    // `."key"` or `.[...]` after a term
                    match self.toks.get(self.i + 1).map(|t| &t.0) {
                        Some(Tok::Str(_)) => {
                            self.i += 1;
                            let key = self.term()?;
                            t = Ast::Index(Box::new(t), Box::new(key));
                        }
                        Some(Tok::Op("[")) => {
                            self.i += 1;
                        }
                        _ => return self.unexpected(),
                    }
                }
                Tok::Op("[") => {
                    self.i += 1;
                    t = self.bracket_suffix(t)?;
                }
                Tok::Op("?") => {
                    self.i += 1;
                    t = Ast::Try(Box::new(t), None);
                }
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(t)
    }

    /// After `[`: `]`, `e]`, `e:e]`, `:e]`, `e:]`.
    fn bracket_suffix(&mut self, t: Ast) -> Result<Ast, CompileError> {
        if self.is_op("]") {
            self.i += 1;
            return Ok(Ast::Iterate(Box::new(t)));
        }
        if self.is_op(":") {
            self.i += 1;
            let hi = self.pipe()?;
            self.expect_op("]")?;
            return Ok(Ast::Slice(Box::new(t), None, Some(Box::new(hi))));
        }
        let idx = self.pipe()?;
        if self.is_op(":") {
            self.i += 1;
            if self.is_op("]") {
                self.i += 1;
                return Ok(Ast::Slice(Box::new(t), Some(Box::new(idx)), None));
            }
            let hi = self.pipe()?;
            self.expect_op("]")?;
            return Ok(Ast::Slice(
                Box::new(t),
                Some(Box::new(idx)),
                Some(Box::new(hi)),
            ));
        }
        self.expect_op("]")?;
        Ok(Ast::Index(Box::new(t), Box::new(idx)))
    }

    fn term(&mut self) -> Result<Ast, CompileError> {
        let tok = self.peek().clone();
        match tok {
            Tok::Dot => {
                self.i += 1;
                match self.peek().clone() {
                    Tok::Str(_) => {
                        let key = self.term()?;
                        Ok(Ast::Index(Box::new(Ast::Identity), Box::new(key)))
                    }
                    _ => Ok(Ast::Identity),
                }
            }
            Tok::DotDot => {
                self.i += 1;
                Ok(Ast::Recurse)
            }
            Tok::Field(f) => {
                self.i += 1;
                Ok(Ast::Index(
                    Box::new(Ast::Identity),
                    Box::new(Ast::Literal(Json::Str(f))),
                ))
            }
            Tok::Num(n) => {
                self.i += 1;
                Ok(Ast::Literal(Json::Num(n)))
            }
            Tok::Str(parts) => {
                self.i += 1;
                Ok(Ast::Str(self.string_parts(&parts)?, None))
            }
            Tok::Format(f) => {
                self.i += 1;
                check_format(&f)?;
                if let Tok::Str(parts) = self.peek().clone() {
                    self.i += 1;
                    return Ok(Ast::Str(self.string_parts(&parts)?, Some(f)));
                }
                Ok(Ast::Format(f))
            }
            Tok::Var(v) => {
                let at = self.here().unwrap_or(0);
                self.i += 1;
                Ok(Ast::Var(v, at))
            }
            Tok::Loc(line) => {
                self.i += 1;
                Ok(Ast::Literal(Json::Obj(vec![
                    ("file".into(), Json::Str("<top-level>".into())),
                    ("line".into(), Json::Num(line as f64)),
                ])))
            }
            Tok::Op("(") => {
                self.i += 1;
                let e = self.pipe()?;
                self.expect_op(")")?;
                Ok(e)
            }
            Tok::Op("[") => {
                self.i += 1;
                if self.is_op("]") {
                    self.i += 1;
                    return Ok(Ast::Array(None));
                }
                let e = self.pipe()?;
                self.expect_op("]")?;
                Ok(Ast::Array(Some(Box::new(e))))
            }
            Tok::Op("{") => {
                self.i += 1;
                self.object()
            }
            Tok::Op("-") => {
                self.i += 1;
                let inner = self.postfix_term()?;
                Ok(Ast::Neg(Box::new(inner)))
            }
            Tok::Kw("if") => {
                self.i += 1;
                self.if_rest()
            }
            Tok::Kw("try") => {
                self.i += 1;
                let body = self.postfix_term()?;
                if self.is_kw("catch") {
                    self.i += 1;
                    let handler = self.postfix_term()?;
                    return Ok(Ast::Try(Box::new(body), Some(Box::new(handler))));
                }
                Ok(Ast::Try(Box::new(body), None))
            }
            Tok::Kw("reduce") => {
                self.i += 1;
                let src = self.postfix_term()?;
                self.expect_kw("as")?;
                let name = self.pattern()?;
                self.expect_op("(")?;
                let init = self.pipe()?;
                self.expect_op(";")?;
                let update = self.pipe()?;
                self.expect_op(")")?;
                Ok(Ast::Reduce(
                    Box::new(src),
                    name,
                    Box::new(init),
                    Box::new(update),
                ))
            }
            Tok::Kw("foreach") => {
                self.i += 1;
                let src = self.postfix_term()?;
                self.expect_kw("as")?;
                let name = self.pattern()?;
                self.expect_op("(")?;
                let init = self.pipe()?;
                self.expect_op(";")?;
                let update = self.pipe()?;
                let extract = if self.is_op(";") {
                    self.i += 1;
                    Some(Box::new(self.pipe()?))
                } else {
                    None
                };
                self.expect_op(")")?;
                Ok(Ast::Foreach(
                    Box::new(src),
                    name,
                    Box::new(init),
                    Box::new(update),
                    extract,
                ))
            }
            Tok::Kw("def") => Err(unsupported("function definitions (def)")),
            Tok::Kw("label") => Err(unsupported("label/break")),
            Tok::Kw("import" | "include") => Err(unsupported("modules")),
            Tok::Ident(name) if matches!(name.as_str(), "null" | "true" | "false") => {
                self.i += 1;
                Ok(Ast::Literal(match name.as_str() {
                    "null" => Json::Null,
                    n => Json::Bool(n == "true"),
                }))
            }
            Tok::Ident(name) => {
                let at = self.here().unwrap_or(0);
                self.i += 1;
                let mut args = Vec::new();
                if self.is_op("(") {
                    self.i += 1;
                    loop {
                        args.push(self.pipe()?);
                        if self.is_op(";") {
                            self.i += 1;
                            continue;
                        }
                        self.expect_op(")")?;
                        break;
                    }
                }
                if name == "break" {
                    return Err(unsupported("label/break"));
                }
                Ok(Ast::Call(name, args, at))
            }
            _ => self.unexpected(),
        }
    }

    fn string_parts(&mut self, parts: &[TStrPart]) -> Result<Vec<StrPart>, CompileError> {
        let mut out = Vec::new();
        for p in parts {
            match p {
                TStrPart::Lit(s) => out.push(StrPart::Lit(s.clone())),
                TStrPart::Interp(toks) => {
                    let mut sub = JqParser {
                        toks: toks.clone(),
                        i: 0,
                        depth: self.depth + 1,
                        program: Vec::new(),
                    };
                    let a = sub.pipe()?;
                    if *sub.peek() != Tok::End {
                        return sub.unexpected();
                    }
                    out.push(StrPart::Interp(a));
                }
            }
        }
        Ok(out)
    }

    fn if_rest(&mut self) -> Result<Ast, CompileError> {
        let mut arms = Vec::new();
        loop {
            let cond = self.pipe()?;
            self.expect_kw("then")?;
            let body = self.pipe()?;
            arms.push((cond, body));
            if self.is_kw("elif") {
                self.i += 1;
                continue;
            }
            if self.is_kw("else") {
                self.i += 1;
                let e = self.pipe()?;
                self.expect_kw("end")?;
                return Ok(Ast::If(arms, Some(Box::new(e))));
            }
            // jq 1.7 allows a missing else (it means `else .`).
            self.expect_kw("end")?;
            return Ok(Ast::If(arms, None));
        }
    }

    fn object(&mut self) -> Result<Ast, CompileError> {
        let mut entries = Vec::new();
        if self.is_op("}") {
            self.i += 1;
            return Ok(Ast::Object(entries));
        }
        loop {
            let tok = self.peek().clone();
            let (key, shorthand): (ObjKey, Option<Ast>) = match tok {
                Tok::Ident(name) => {
                    self.i += 1;
                    let v = Ast::Index(
                        Box::new(Ast::Identity),
                        Box::new(Ast::Literal(Json::Str(name.clone()))),
                    );
                    (ObjKey::Lit(name), Some(v))
                }
                Tok::Kw(k) => {
                    self.i += 1;
                    let v = Ast::Index(
                        Box::new(Ast::Identity),
                        Box::new(Ast::Literal(Json::Str(k.to_string()))),
                    );
                    (ObjKey::Lit(k.to_string()), Some(v))
                }
                Tok::Var(v) => {
                    let at = self.here().unwrap_or(0);
                    self.i += 1;
                    (ObjKey::Lit(v.clone()), Some(Ast::Var(v, at)))
                }
                Tok::Num(_) => {
                    return self.unexpected();
                }
                Tok::Str(parts) => {
                    self.i += 1;
                    let sp = self.string_parts(&parts)?;
                    let v = Ast::Index(
                        Box::new(Ast::Identity),
                        Box::new(Ast::Str(sp.clone(), None)),
                    );
                    (ObjKey::Interp(sp, None), Some(v))
                }
                Tok::Format(f) => {
                    self.i += 1;
                    check_format(&f)?;
                    match self.peek().clone() {
                        Tok::Str(parts) => {
                            self.i += 1;
                            let sp = self.string_parts(&parts)?;
                            let v = Ast::Index(
                                Box::new(Ast::Identity),
                                Box::new(Ast::Str(sp.clone(), Some(f.clone()))),
                            );
                            (ObjKey::Interp(sp, Some(f)), Some(v))
                        }
                        _ => return self.unexpected(),
                    }
                }
                Tok::Op("(") => {
                    self.i += 1;
                    let e = self.pipe()?;
                    self.expect_op(")")?;
                    (ObjKey::Expr(e), None)
                }
                _ => return self.unexpected(),
            };
            let value = if self.is_op(":") {
                self.i += 1;
                self.object_value()?
            } else {
                match shorthand {
                    Some(v) => v,
                    None => return self.unexpected(),
                }
            };
            entries.push((key, value));
            if self.is_op(",") {
                self.i += 1;
                continue;
            }
            self.expect_op("}")?;
            return Ok(Ast::Object(entries));
        }
    }

    /// An object value: terms joined by `|` (no commas), with unary minus.
    fn object_value(&mut self) -> Result<Ast, CompileError> {
        let lhs = if self.is_op("-") {
            self.i += 1;
            Ast::Neg(Box::new(self.object_value()?))
        } else {
            self.alt_no_comma()?
        };
        if self.is_op("|") {
            self.i += 1;
            let rhs = self.object_value()?;
            return Ok(Ast::Pipe(Box::new(lhs), Box::new(rhs)));
        }
        Ok(lhs)
    }

    fn alt_no_comma(&mut self) -> Result<Ast, CompileError> {
        self.alt()
    }
}

fn check_format(f: &str) -> Result<(), CompileError> {
    match f {
        "text" | "json" | "csv" | "tsv" | "base64" | "base64d" | "sh" | "uri" | "html" => Ok(()),
        "base32" | "base32d" => Err(unsupported(&format!("@{f}"))),
        other => Err(CompileError(format!("{other} is not a valid format"), None)),
    }
}

/// Names must be defined: jq reports `foo/0 is not defined` at compile time.
fn check(ast: &Ast, bound: &[String]) -> Result<(), CompileError> {
    let rec = |a: &Ast| check(a, bound);
    match ast {
        Ast::Identity | Ast::Recurse | Ast::Literal(_) | Ast::Format(_) => Ok(()),
        Ast::Index(a, b)
        | Ast::Pipe(a, b)
        | Ast::Comma(a, b)
        | Ast::Alt(a, b)
        | Ast::Bin(_, a, b)
        | Ast::And(a, b)
        | Ast::Or(a, b)
        | Ast::Assign(_, a, b) => {
            rec(a)?;
            rec(b)
        }
        Ast::Slice(a, b, c) => {
            rec(a)?;
            if let Some(b) = b {
                rec(b)?;
            }
            if let Some(c) = c {
                rec(c)?;
            }
            Ok(())
        }
        Ast::Iterate(a) | Ast::Neg(a) => rec(a),
        Ast::Try(a, b) => {
            rec(a)?;
            if let Some(b) = b {
                rec(b)?;
            }
            Ok(())
        }
        Ast::Str(parts, _) => {
            for p in parts {
                if let StrPart::Interp(a) = p {
                    rec(a)?;
                }
            }
            Ok(())
        }
        Ast::Array(a) => a.as_deref().map(rec).unwrap_or(Ok(())),
        Ast::Object(entries) => {
            for (k, v) in entries {
                match k {
                    ObjKey::Expr(e) => rec(e)?,
                    ObjKey::Interp(parts, _) => {
                        for p in parts {
                            if let StrPart::Interp(a) = p {
                                rec(a)?;
                            }
                        }
                    }
                    ObjKey::Lit(_) => {}
                }
                rec(v)?;
            }
            Ok(())
        }
        Ast::If(arms, e) => {
            for (c, b) in arms {
                rec(c)?;
                rec(b)?;
            }
            if let Some(e) = e {
                rec(e)?;
            }
            Ok(())
        }
        Ast::As(src, name, body) => {
            rec(src)?;
            let mut b = bound.to_vec();
            b.push(name.clone());
            check(body, &b)
        }
        Ast::Reduce(src, name, init, update) => {
            rec(src)?;
            rec(init)?;
            let mut b = bound.to_vec();
            b.push(name.clone());
            check(update, &b)
        }
        Ast::Foreach(src, name, init, update, extract) => {
            rec(src)?;
            rec(init)?;
            let mut b = bound.to_vec();
            b.push(name.clone());
            check(update, &b)?;
            if let Some(x) = extract {
                check(x, &b)?;
            }
            Ok(())
        }
        Ast::Var(v, at) => {
            if bound.contains(v) {
                Ok(())
            } else if v == "ENV" {
                Err(unsupported("$ENV (there is no environment)"))
            } else {
                Err(CompileError(format!("${v} is not defined"), Some(*at)))
            }
        }
        Ast::Call(name, args, at) => {
            for a in args {
                rec(a)?;
            }
            if is_builtin(name, args.len()) {
                Ok(())
            } else if name == "env" || KNOWN_UNSUPPORTED.contains(&name.as_str()) {
                Err(unsupported(&format!("{name}/{}", args.len())))
            } else {
                Err(CompileError(
                    format!("{name}/{} is not defined", args.len()),
                    Some(*at),
                ))
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Evaluation: each filter calls `out` once per output (jq's generators), so that
// outputs produced before an error are kept and `first`/`limit` can stop early.

enum JqErr {
    /// A jq error value (`error(...)`, type errors).
    Error(Json),
    /// Unwinds to the generator with this id (limit/first/try boundaries).
    Stop(u64),
    /// A simulator limit; ends the program.
    Limit(String),
}

struct Ctx {
    steps: u64,
    stop_ids: u64,
    pending: std::collections::VecDeque<(Json, usize)>,
    stderr: Vec<(bool, String)>,
}

type Env = Vec<(String, Json)>;
type Out<'a> = &'a mut dyn FnMut(&mut Ctx, Json) -> Result<(), JqErr>;
type JResult = Result<(), JqErr>;

fn err<T>(msg: impl Into<String>) -> Result<T, JqErr> {
    Err(JqErr::Error(Json::Str(msg.into())))
}

fn collect(
    ast: &Ast,
    input: &Json,
    env: &Env,
    ctx: &mut Ctx,
    depth: usize,
) -> Result<Vec<Json>, JqErr> {
    let mut vals = Vec::new();
    eval(ast, input, env, ctx, depth, &mut |_, v| {
        vals.push(v);
        Ok(())
    })?;
    Ok(vals)
}

fn eval(ast: &Ast, input: &Json, env: &Env, ctx: &mut Ctx, depth: usize, out: Out) -> JResult {
    ctx.steps += 1;
    if ctx.steps > MAX_STEPS {
        return Err(JqErr::Limit("evaluation step limit exceeded".into()));
    }
    if depth > MAX_DEPTH || stack_low() {
        return Err(JqErr::Limit("recursion too deep".into()));
    }
    let d = depth + 1;
    match ast {
        Ast::Identity => out(ctx, input.clone()),
        Ast::Recurse => recurse_all(input, ctx, out),
        Ast::Literal(v) => out(ctx, v.clone()),
        Ast::Var(name, _) => match env.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => out(ctx, v.clone()),
            None => err(format!("${name} is not defined")),
        },
        Ast::Index(t, idx) => {
            let keys = collect(idx, input, env, ctx, d)?;
            for k in keys {
                eval(t, input, env, ctx, d, &mut |ctx, v| {
                    let r = index(&v, &k)?;
                    out(ctx, r)
                })?;
            }
            Ok(())
        }
        Ast::Slice(t, lo, hi) => {
            let los = match lo {
                Some(e) => collect(e, input, env, ctx, d)?,
                None => vec![Json::Null],
            };
            let his = match hi {
                Some(e) => collect(e, input, env, ctx, d)?,
                None => vec![Json::Null],
            };
            for h in &his {
                for l in &los {
                    eval(t, input, env, ctx, d, &mut |ctx, v| {
                        let r = slice(&v, l, h)?;
                        out(ctx, r)
                    })?;
                }
            }
            Ok(())
        }
        Ast::Iterate(t) => eval(t, input, env, ctx, d, &mut |ctx, v| match v {
            Json::Arr(items) => {
                for x in items {
                    out(ctx, x)?;
                }
                Ok(())
            }
            Json::Obj(kv) => {
                for (_, x) in kv {
                    out(ctx, x)?;
                }
                Ok(())
            }
            other => err(format!("Cannot iterate over {}", described(&other))),
        }),
        Ast::Try(body, handler) => {
            ctx.stop_ids += 1;
            let id = ctx.stop_ids;
            let mut downstream: Option<JqErr> = None;
            let r = eval(body, input, env, ctx, d, &mut |ctx, v| match out(ctx, v) {
                Ok(()) => Ok(()),
                Err(e) => {
                    downstream = Some(e);
                    Err(JqErr::Stop(id))
                }
            });
            if let Some(e) = downstream {
                return Err(e);
            }
            match r {
                Ok(()) => Ok(()),
                Err(JqErr::Error(e)) => match handler {
                    Some(h) => eval(h, &e, env, ctx, d, out),
                    None => Ok(()),
                },
                Err(other) => Err(other),
            }
        }
        Ast::Str(parts, fmt) => string_interp(
            parts,
            fmt.as_deref(),
            parts.len(),
            String::new(),
            input,
            env,
            ctx,
            d,
            out,
        ),
        Ast::Format(f) => {
            let s = apply_format(f, input)?;
            out(ctx, Json::Str(s))
        }
        Ast::Array(inner) => {
            let items = match inner {
                Some(e) => collect(e, input, env, ctx, d)?,
                None => Vec::new(),
            };
            out(ctx, shallow(Json::Arr(items))?)
        }
        Ast::Object(entries) => build_object(entries, 0, Vec::new(), input, env, ctx, d, out),
        Ast::Neg(inner) => eval(inner, input, env, ctx, d, &mut |ctx, v| match v {
            Json::Num(n) => out(ctx, Json::Num(-n)),
            other => err(format!("{} cannot be negated", described(&other))),
        }),
        Ast::Pipe(a, b) => eval(a, input, env, ctx, d, &mut |ctx, v| {
            eval(b, &v, env, ctx, d, out)
        }),
        Ast::Comma(a, b) => {
            eval(a, input, env, ctx, d, out)?;
            eval(b, input, env, ctx, d, out)
        }
        Ast::Alt(a, b) => {
            let mut vals = Vec::new();
            let r = eval(a, input, env, ctx, d, &mut |_, v| {
                if v.truthy() {
                    vals.push(v);
                }
                Ok(())
            });
            match r {
                Ok(()) | Err(JqErr::Error(_)) => {}
                Err(other) => return Err(other),
            }
            if vals.is_empty() {
                eval(b, input, env, ctx, d, out)
            } else {
                for v in vals {
                    out(ctx, v)?;
                }
                Ok(())
            }
        }
        Ast::Bin(op, a, b) => {
            let rhs = collect(b, input, env, ctx, d)?;
            for r in rhs {
                eval(a, input, env, ctx, d, &mut |ctx, l| {
                    let v = binop(*op, &l, &r)?;
                    out(ctx, v)
                })?;
            }
            Ok(())
        }
        Ast::And(a, b) | Ast::Or(a, b) => {
            let is_and = matches!(ast, Ast::And(..));
            eval(a, input, env, ctx, d, &mut |ctx, l| {
                if is_and && !l.truthy() {
                    return out(ctx, Json::Bool(false));
                }
                if !is_and && l.truthy() {
                    return out(ctx, Json::Bool(true));
                }
                eval(b, input, env, ctx, d, &mut |ctx, r| {
                    out(ctx, Json::Bool(r.truthy()))
                })
            })
        }
        Ast::If(arms, otherwise) => eval_if(arms, 0, otherwise.as_deref(), input, env, ctx, d, out),
        Ast::As(src, name, body) => eval(src, input, env, ctx, d, &mut |ctx, v| {
            let mut e = env.clone();
            e.push((name.clone(), v));
            eval(body, input, &e, ctx, d, out)
        }),
        Ast::Reduce(src, name, init, update) => {
            for start in collect(init, input, env, ctx, d)? {
                let mut acc = start;
                eval(src, input, env, ctx, d, &mut |ctx, x| {
                    let mut e = env.clone();
                    e.push((name.clone(), x));
                    let outs = collect(update, &acc, &e, ctx, d)?;
                    acc = outs.into_iter().last().unwrap_or(Json::Null);
                    Ok(())
                })?;
                out(ctx, acc)?;
            }
            Ok(())
        }
        Ast::Foreach(src, name, init, update, extract) => {
            for start in collect(init, input, env, ctx, d)? {
                let mut state = start;
                eval(src, input, env, ctx, d, &mut |ctx, x| {
                    let mut e = env.clone();
                    e.push((name.clone(), x));
                    for u in collect(update, &state, &e, ctx, d)? {
                        state = u.clone();
                        match extract {
                            Some(x) => eval(x, &u, &e, ctx, d, out)?,
                            None => out(ctx, u)?,
                        }
                    }
                    Ok(())
                })?;
            }
            Ok(())
        }
        Ast::Call(name, args, _) => call(name, args, input, env, ctx, d, out),
        Ast::Assign(op, lhs, rhs) => assign(op, lhs, rhs, input, env, ctx, d, out),
    }
}

#[allow(clippy::too_many_arguments)]
fn eval_if(
    arms: &[(Ast, Ast)],
    k: usize,
    otherwise: Option<&Ast>,
    input: &Json,
    env: &Env,
    ctx: &mut Ctx,
    d: usize,
    out: Out,
) -> JResult {
    let Some((cond, body)) = arms.get(k) else {
        return match otherwise {
            Some(e) => eval(e, input, env, ctx, d, out),
            None => out(ctx, input.clone()),
        };
    };
    eval(cond, input, env, ctx, d, &mut |ctx, c| {
        if c.truthy() {
            eval(body, input, env, ctx, d, out)
        } else {
            eval_if(arms, k + 1, otherwise, input, env, ctx, d, out)
        }
    })
}

/// String interpolation. jq builds the string from the right, so the last
/// interpolation is the outermost loop: "\(1,2)-\(3,4)" gives 1-3, 2-3, 1-4, 2-4.
#[allow(clippy::too_many_arguments)]
fn string_interp(
    parts: &[StrPart],
    fmt: Option<&str>,
    k: usize,
    suffix: String,
    input: &Json,
    env: &Env,
    ctx: &mut Ctx,
    d: usize,
    out: Out,
) -> JResult {
    let Some(idx) = k.checked_sub(1) else {
        return out(ctx, Json::Str(suffix));
    };
    match parts.get(idx) {
        None => out(ctx, Json::Str(suffix)),
        Some(StrPart::Lit(s)) => string_interp(
            parts,
            fmt,
            idx,
            format!("{s}{suffix}"),
            input,
            env,
            ctx,
            d,
            out,
        ),
        Some(StrPart::Interp(e)) => eval(e, input, env, ctx, d, &mut |ctx, v| {
            let s = match fmt {
                Some(f) => apply_format(f, &v)?,
                None => match &v {
                    Json::Str(s) => s.clone(),
                    other => dump_compact(other),
                },
            };
            string_interp(
                parts,
                fmt,
                idx,
                format!("{s}{suffix}"),
                input,
                env,
                ctx,
                d,
                out,
            )
        }),
    }
}

#[allow(clippy::too_many_arguments)]
fn build_object(
    entries: &[(ObjKey, Ast)],
    k: usize,
    acc: Vec<(String, Json)>,
    input: &Json,
    env: &Env,
    ctx: &mut Ctx,
    d: usize,
    out: Out,
) -> JResult {
    let Some((key, value)) = entries.get(k) else {
        return out(ctx, shallow(Json::Obj(acc))?);
    };
    let keys: Vec<Json> = match key {
        ObjKey::Lit(s) => vec![Json::Str(s.clone())],
        ObjKey::Expr(e) => collect(e, input, env, ctx, d)?,
        ObjKey::Interp(parts, fmt) => {
            let mut ks = Vec::new();
            string_interp(
                parts,
                fmt.as_deref(),
                parts.len(),
                String::new(),
                input,
                env,
                ctx,
                d,
                &mut |_, v| {
                    ks.push(v);
                    Ok(())
                },
            )?;
            ks
        }
    };
    for kv in keys {
        let Json::Str(kname) = kv else {
            return err(format!("Cannot use {} as object key", described(&kv)));
        };
        eval(value, input, env, ctx, d, &mut |ctx, v| {
            let mut next = acc.clone();
            obj_set(&mut next, kname.clone(), v);
            build_object(entries, k + 1, next, input, env, ctx, d, out)
        })?;
    }
    Ok(())
}

fn recurse_all(v: &Json, ctx: &mut Ctx, out: Out) -> JResult {
    ctx.steps += 1;
    if ctx.steps > MAX_STEPS {
        return Err(JqErr::Limit("evaluation step limit exceeded".into()));
    }
    out(ctx, v.clone())?;
    match v {
        Json::Arr(items) => {
            for x in items {
                recurse_all(x, ctx, out)?;
            }
        }
        Json::Obj(kv) => {
            for (_, x) in kv {
                recurse_all(x, ctx, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn index(v: &Json, k: &Json) -> Result<Json, JqErr> {
    match (v, k) {
        (Json::Obj(_), Json::Str(s)) => Ok(v.get(s).cloned().unwrap_or(Json::Null)),
        (Json::Arr(a), Json::Num(n)) => {
            // jq 1.6 answers null for a fractional index (1.7 rounds down).
            if n.is_nan() || n.fract() != 0.0 {
                return Ok(Json::Null);
            }
            let i = n.floor();
            let len = a.len() as f64;
            let i = if i < 0.0 { i + len } else { i };
            if i < 0.0 || i >= len {
                return Ok(Json::Null);
            }
            Ok(a.get(i as usize).cloned().unwrap_or(Json::Null))
        }
        (Json::Null, Json::Str(_) | Json::Num(_) | Json::Null) => Ok(Json::Null),
        (Json::Arr(_) | Json::Str(_), Json::Obj(_)) => slice(
            v,
            k.get("start").unwrap_or(&Json::Null),
            k.get("end").unwrap_or(&Json::Null),
        ),
        (Json::Arr(a), Json::Arr(needle)) => Ok(indices(a, needle)),
        (_, Json::Str(s)) => err(format!(
            "Cannot index {} with string \"{s}\"",
            v.type_name()
        )),
        _ => err(format!(
            "Cannot index {} with {}",
            v.type_name(),
            k.type_name()
        )),
    }
}

fn indices(a: &[Json], needle: &[Json]) -> Json {
    if needle.is_empty() {
        return Json::Null;
    }
    let mut out = Vec::new();
    for i in 0..a.len() {
        if a.get(i..i + needle.len())
            .is_some_and(|w| w.iter().zip(needle).all(|(x, y)| json_eq(x, y)))
        {
            out.push(Json::Num(i as f64));
        }
    }
    Json::Arr(out)
}

fn slice(v: &Json, lo: &Json, hi: &Json) -> Result<Json, JqErr> {
    let bound = |b: &Json, len: usize, default: usize| -> Result<usize, JqErr> {
        match b {
            Json::Null => Ok(default),
            Json::Num(n) => {
                let len_f = len as f64;
                let mut x = if *n < 0.0 { len_f + n } else { *n };
                if x < 0.0 {
                    x = 0.0;
                }
                if x > len_f {
                    x = len_f;
                }
                Ok(x.floor() as usize)
            }
            _ => err("Start and end indices of an array slice must be numbers"),
        }
    };
    match v {
        Json::Null => Ok(Json::Null),
        Json::Arr(a) => {
            let s = bound(lo, a.len(), 0)?;
            let e = bound(hi, a.len(), a.len())?;
            Ok(Json::Arr(if e > s {
                a.get(s..e).unwrap_or_default().to_vec()
            } else {
                Vec::new()
            }))
        }
        Json::Str(st) => {
            let chars: Vec<char> = st.chars().collect();
            let s = bound(lo, chars.len(), 0)?;
            let e = bound(hi, chars.len(), chars.len())?;
            Ok(Json::Str(if e > s {
                chars.get(s..e).unwrap_or_default().iter().collect()
            } else {
                String::new()
            }))
        }
        other => err(format!("Cannot index {} with object", other.type_name())),
    }
}

fn binop(op: BinOp, a: &Json, b: &Json) -> Result<Json, JqErr> {
    use BinOp::*;
    let cmp = |o: Ordering| -> bool {
        match op {
            Eq => o == Ordering::Equal,
            Ne => o != Ordering::Equal,
            Lt => o == Ordering::Less,
            Le => o != Ordering::Greater,
            Gt => o == Ordering::Greater,
            Ge => o != Ordering::Less,
            _ => false,
        }
    };
    match op {
        Eq | Ne | Lt | Le | Gt | Ge => Ok(Json::Bool(cmp(compare(a, b)))),
        Add => match (a, b) {
            (Json::Null, x) | (x, Json::Null) => Ok(x.clone()),
            (Json::Num(x), Json::Num(y)) => Ok(Json::Num(x + y)),
            (Json::Str(x), Json::Str(y)) => Ok(Json::Str(format!("{x}{y}"))),
            (Json::Arr(x), Json::Arr(y)) => {
                Ok(Json::Arr(x.iter().chain(y.iter()).cloned().collect()))
            }
            (Json::Obj(x), Json::Obj(y)) => {
                let mut kv = x.clone();
                for (k, v) in y {
                    obj_set(&mut kv, k.clone(), v.clone());
                }
                Ok(Json::Obj(kv))
            }
            _ => err(format!(
                "{} and {} cannot be added",
                described(a),
                described(b)
            )),
        },
        Sub => match (a, b) {
            (Json::Num(x), Json::Num(y)) => Ok(Json::Num(x - y)),
            (Json::Arr(x), Json::Arr(y)) => Ok(Json::Arr(
                x.iter()
                    .filter(|e| !y.iter().any(|r| json_eq(e, r)))
                    .cloned()
                    .collect(),
            )),
            _ => err(format!(
                "{} and {} cannot be subtracted",
                described(a),
                described(b)
            )),
        },
        Mul => match (a, b) {
            (Json::Num(x), Json::Num(y)) => Ok(Json::Num(x * y)),
            (Json::Str(s), Json::Num(n)) | (Json::Num(n), Json::Str(s)) => {
                if *n <= 0.0 {
                    Ok(Json::Null)
                } else {
                    let times = (n.ceil() as usize).clamp(1, 1 << 20);
                    if s.len().saturating_mul(times) > MAX_OUTPUT {
                        return Err(JqErr::Limit("string repetition too large".into()));
                    }
                    Ok(Json::Str(s.repeat(times)))
                }
            }
            (Json::Obj(_), Json::Obj(_)) => Ok(deep_merge(a, b)),
            _ => err(format!(
                "{} and {} cannot be multiplied",
                described(a),
                described(b)
            )),
        },
        Div => match (a, b) {
            (Json::Num(x), Json::Num(y)) => {
                if *y == 0.0 {
                    return err(format!(
                        "{} and {} cannot be divided because the divisor is zero",
                        described(a),
                        described(b)
                    ));
                }
                Ok(Json::Num(x / y))
            }
            (Json::Str(x), Json::Str(y)) => Ok(split_str(x, y)),
            _ => err(format!(
                "{} and {} cannot be divided",
                described(a),
                described(b)
            )),
        },
        Mod => match (a, b) {
            (Json::Num(x), Json::Num(y)) => {
                let (xi, yi) = (to_int(*x), to_int(*y));
                if yi == 0 {
                    return err(format!(
                        "{} and {} cannot be divided because the divisor is zero",
                        described(a),
                        described(b)
                    ));
                }
                Ok(Json::Num(xi.wrapping_rem(yi.wrapping_abs()) as f64))
            }
            _ => err(format!(
                "{} and {} cannot be divided",
                described(a),
                described(b)
            )),
        },
    }
}

fn to_int(x: f64) -> i64 {
    if x.is_nan() {
        0
    } else {
        x.clamp(i64::MIN as f64, i64::MAX as f64) as i64
    }
}

fn deep_merge(a: &Json, b: &Json) -> Json {
    match (a, b) {
        (Json::Obj(x), Json::Obj(y)) => {
            let mut kv = x.clone();
            for (k, v) in y {
                let merged = match kv.iter().find(|(kk, _)| kk == k) {
                    Some((_, old @ Json::Obj(_))) if matches!(v, Json::Obj(_)) => {
                        deep_merge(old, v)
                    }
                    _ => v.clone(),
                };
                obj_set(&mut kv, k.clone(), merged);
            }
            Json::Obj(kv)
        }
        _ => b.clone(),
    }
}

fn split_str(s: &str, sep: &str) -> Json {
    if s.is_empty() {
        return Json::Arr(Vec::new());
    }
    if sep.is_empty() {
        return Json::Arr(s.chars().map(|c| Json::Str(c.to_string())).collect());
    }
    Json::Arr(s.split(sep).map(|p| Json::Str(p.to_string())).collect())
}

fn tostring(v: &Json) -> String {
    match v {
        Json::Str(s) => s.clone(),
        other => dump_compact(other),
    }
}

fn apply_format(f: &str, v: &Json) -> Result<String, JqErr> {
    match f {
        "text" => Ok(tostring(v)),
        "json" => Ok(dump_compact(v)),
        "csv" | "tsv" => {
            let Json::Arr(items) = v else {
                return err(format!(
                    "{} cannot be {}-formatted, only an array can be",
                    described(v),
                    f
                ));
            };
            let mut cells = Vec::new();
            for x in items {
                cells.push(match x {
                    Json::Num(n) => fmt_num(*n),
                    Json::Bool(b) => b.to_string(),
                    Json::Null => String::new(),
                    Json::Str(s) if f == "csv" => format!("\"{}\"", s.replace('"', "\"\"")),
                    Json::Str(s) => s
                        .replace('\\', "\\\\")
                        .replace('\t', "\\t")
                        .replace('\n', "\\n")
                        .replace('\r', "\\r"),
                    other => {
                        return err(format!("{} is not valid in a csv row", described(other)));
                    }
                });
            }
            Ok(cells.join(if f == "csv" { "," } else { "\t" }))
        }
        "base64" => Ok(base64_encode(tostring(v).as_bytes())),
        "base64d" => {
            let s = tostring(v);
            match base64_decode(&s) {
                Some(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
                None => err(format!("{} is not valid base64 data", described(v))),
            }
        }
        "sh" => {
            let quote = |x: &Json| -> Result<String, JqErr> {
                match x {
                    Json::Str(s) => Ok(format!("'{}'", s.replace('\'', "'\\''"))),
                    Json::Arr(_) | Json::Obj(_) => {
                        err(format!("{} can not be escaped for shell", described(x)))
                    }
                    other => Ok(dump_compact(other)),
                }
            };
            match v {
                Json::Arr(items) => Ok(items
                    .iter()
                    .map(quote)
                    .collect::<Result<Vec<_>, _>>()?
                    .join(" ")),
                other => quote(other),
            }
        }
        "uri" => {
            let s = tostring(v);
            let mut o = String::new();
            for b in s.bytes() {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    o.push(b as char);
                } else {
                    o.push_str(&format!("%{b:02X}"));
                }
            }
            Ok(o)
        }
        "html" => Ok(tostring(v)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\'', "&#39;")
            .replace('"', "&quot;")),
        other => err(format!("{other} is not a valid format")),
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            *chunk.first().unwrap_or(&0),
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in s.bytes() {
        if c == b'=' {
            break;
        }
        let v = B64.iter().position(|x| *x == c)? as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    Some(out)
}

fn length(v: &Json) -> Result<Json, JqErr> {
    Ok(Json::Num(match v {
        Json::Null => 0.0,
        Json::Bool(_) => return err(format!("{} has no length", described(v))),
        Json::Num(n) => n.abs(),
        Json::Str(s) => s.chars().count() as f64,
        Json::Arr(a) => a.len() as f64,
        Json::Obj(kv) => kv.len() as f64,
    }))
}

fn keys(v: &Json, sorted: bool) -> Result<Json, JqErr> {
    match v {
        Json::Obj(kv) => {
            let ks = if sorted {
                sorted_keys(kv)
            } else {
                kv.iter().map(|(k, _)| k.clone()).collect()
            };
            Ok(Json::Arr(ks.into_iter().map(Json::Str).collect()))
        }
        Json::Arr(a) => Ok(Json::Arr(
            (0..a.len()).map(|i| Json::Num(i as f64)).collect(),
        )),
        other => err(format!("{} has no keys", described(other))),
    }
}

fn contains(a: &Json, b: &Json) -> Result<bool, JqErr> {
    match (a, b) {
        (Json::Obj(x), Json::Obj(y)) => {
            for (k, bv) in y {
                match x.iter().find(|(kk, _)| kk == k) {
                    Some((_, av)) => {
                        if !contains(av, bv)? {
                            return Ok(false);
                        }
                    }
                    None => return Ok(false),
                }
            }
            Ok(true)
        }
        (Json::Arr(x), Json::Arr(y)) => {
            for bv in y {
                let mut found = false;
                for av in x {
                    if contains(av, bv)? {
                        found = true;
                        break;
                    }
                }
                if !found {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (Json::Str(x), Json::Str(y)) => Ok(x.contains(y.as_str())),
        _ if a.type_name() == b.type_name() => Ok(json_eq(a, b)),
        _ => err(format!(
            "{} and {} cannot have their containment checked",
            described(a),
            described(b)
        )),
    }
}

fn sort_values(mut items: Vec<(Json, Json)>) -> Vec<(Json, Json)> {
    // Stable, like jq's sort (it sorts by key then by original position).
    servicecidr_core::sort::sort_by(&mut items, |a, b| compare(&a.0, &b.0));
    items
}

fn num_arg(v: &Json, what: &str) -> Result<f64, JqErr> {
    match v {
        Json::Num(n) => Ok(*n),
        other => err(format!("{} {what}", described(other))),
    }
}

#[allow(clippy::too_many_arguments)]
fn call(
    name: &str,
    args: &[Ast],
    input: &Json,
    env: &Env,
    ctx: &mut Ctx,
    d: usize,
    out: Out,
) -> JResult {
    let arg = |k: usize| args.get(k).unwrap_or(&Ast::Identity);
    // Builtins whose argument is a value: run once per output of the argument.
    macro_rules! each_arg {
        ($k:expr, |$ctx:ident, $v:ident| $body:expr) => {{
            for $v in collect(arg($k), input, env, ctx, d)? {
                let $ctx: &mut Ctx = ctx;
                $body?;
            }
            Ok(())
        }};
    }
    match (name, args.len()) {
        ("empty", 0) => Ok(()),
        ("error", 0) => Err(JqErr::Error(input.clone())),
        ("error", 1) => {
            let vals = collect(arg(0), input, env, ctx, d)?;
            match vals.into_iter().next() {
                Some(v) => Err(JqErr::Error(v)),
                None => Ok(()),
            }
        }
        ("not", 0) => out(ctx, Json::Bool(!input.truthy())),
        ("length", 0) => {
            let l = length(input)?;
            out(ctx, l)
        }
        ("utf8bytelength", 0) => match input {
            Json::Str(s) => out(ctx, Json::Num(s.len() as f64)),
            other => err(format!(
                "{} only strings have UTF-8 byte length",
                described(other)
            )),
        },
        ("keys", 0) | ("keys_unsorted", 0) => {
            let k = keys(input, name == "keys")?;
            out(ctx, k)
        }
        ("values", 0) => {
            if *input != Json::Null {
                out(ctx, input.clone())?;
            }
            Ok(())
        }
        ("has", 1) => each_arg!(0, |ctx, k| {
            let r = match (input, &k) {
                (Json::Obj(_), Json::Str(s)) => Ok(Json::Bool(input.get(s).is_some())),
                (Json::Arr(a), Json::Num(n)) => Ok(Json::Bool(*n >= 0.0 && *n < a.len() as f64)),
                _ => err(format!(
                    "Cannot check whether {} has a {} key",
                    input.type_name(),
                    k.type_name()
                )),
            };
            r.and_then(|v| out(ctx, v))
        }),
        ("in", 1) => each_arg!(0, |ctx, o| {
            let r = match (&o, input) {
                (Json::Obj(_), Json::Str(s)) => Ok(Json::Bool(o.get(s).is_some())),
                (Json::Arr(a), Json::Num(n)) => Ok(Json::Bool(*n >= 0.0 && *n < a.len() as f64)),
                _ => err(format!(
                    "Cannot check whether {} has a {} key",
                    o.type_name(),
                    input.type_name()
                )),
            };
            r.and_then(|v| out(ctx, v))
        }),
        ("contains", 1) => each_arg!(0, |ctx, b| contains(input, &b)
            .and_then(|r| out(ctx, Json::Bool(r)))),
        ("inside", 1) => each_arg!(0, |ctx, b| contains(&b, input)
            .and_then(|r| out(ctx, Json::Bool(r)))),
        ("map", 1) => {
            let items: Vec<Json> = match input {
                Json::Arr(a) => a.clone(),
                Json::Obj(kv) => kv.iter().map(|(_, v)| v.clone()).collect(),
                other => return err(format!("Cannot iterate over {}", described(other))),
            };
            let mut res = Vec::new();
            for x in items {
                res.extend(collect(arg(0), &x, env, ctx, d)?);
            }
            out(ctx, shallow(Json::Arr(res))?)
        }
        ("select", 1) => eval(arg(0), input, env, ctx, d, &mut |ctx, c| {
            if c.truthy() {
                out(ctx, input.clone())
            } else {
                Ok(())
            }
        }),
        ("recurse", 0) => recurse_all(input, ctx, out),
        ("recurse", 1) | ("recurse", 2) => {
            recurse_with(arg(0), args.get(1), input, env, ctx, d, out)
        }
        ("add", 0) => {
            let items: Vec<Json> = match input {
                Json::Arr(a) => a.clone(),
                Json::Obj(kv) => kv.iter().map(|(_, v)| v.clone()).collect(),
                Json::Null => Vec::new(),
                other => return err(format!("Cannot iterate over {}", described(other))),
            };
            let mut acc = Json::Null;
            for x in &items {
                acc = binop(BinOp::Add, &acc, x)?;
            }
            out(ctx, acc)
        }
        ("any", 0) | ("all", 0) => {
            let Json::Arr(a) = input else {
                return err(format!("Cannot iterate over {}", described(input)));
            };
            let r = if name == "any" {
                a.iter().any(Json::truthy)
            } else {
                a.iter().all(Json::truthy)
            };
            out(ctx, Json::Bool(r))
        }
        ("any", 1) | ("all", 1) => {
            let Json::Arr(a) = input else {
                return err(format!("Cannot iterate over {}", described(input)));
            };
            let mut r = name == "all";
            for x in a {
                let t = collect(arg(0), x, env, ctx, d)?.iter().any(Json::truthy);
                if name == "any" && t {
                    r = true;
                    break;
                }
                if name == "all" && !t {
                    r = false;
                    break;
                }
            }
            out(ctx, Json::Bool(r))
        }
        ("any", 2) | ("all", 2) => {
            let mut r = name == "all";
            for x in collect(arg(0), input, env, ctx, d)? {
                let t = collect(arg(1), &x, env, ctx, d)?.iter().any(Json::truthy);
                if name == "any" && t {
                    r = true;
                    break;
                }
                if name == "all" && !t {
                    r = false;
                    break;
                }
            }
            out(ctx, Json::Bool(r))
        }
        ("range", 1) => each_arg!(0, |ctx, n| range(
            0.0,
            num_arg(&n, "Range bounds must be numeric")?,
            1.0,
            ctx,
            out
        )),
        ("range", 2) | ("range", 3) => {
            let froms = collect(arg(0), input, env, ctx, d)?;
            let tos = collect(arg(1), input, env, ctx, d)?;
            let steps = if args.len() == 3 {
                collect(arg(2), input, env, ctx, d)?
            } else {
                vec![Json::Num(1.0)]
            };
            for f in &froms {
                for t in &tos {
                    for s in &steps {
                        let (f, t, s) = (
                            num_arg(f, "Range bounds must be numeric")?,
                            num_arg(t, "Range bounds must be numeric")?,
                            num_arg(s, "Range bounds must be numeric")?,
                        );
                        range(f, t, s, ctx, out)?;
                    }
                }
            }
            Ok(())
        }
        ("floor", 0) | ("ceil", 0) | ("round", 0) | ("sqrt", 0) | ("fabs", 0) | ("log", 0) => {
            let n = num_arg(input, "number required")?;
            let r = match name {
                "floor" => n.floor(),
                "ceil" => n.ceil(),
                "round" => n.round(),
                "sqrt" => n.sqrt(),
                "fabs" => n.abs(),
                _ => n.ln(),
            };
            out(ctx, Json::Num(r))
        }
        ("pow", 2) => {
            for b in collect(arg(1), input, env, ctx, d)? {
                for a in collect(arg(0), input, env, ctx, d)? {
                    let r = num_arg(&a, "number required")?.powf(num_arg(&b, "number required")?);
                    out(ctx, Json::Num(r))?;
                }
            }
            Ok(())
        }
        ("tostring", 0) => out(ctx, Json::Str(tostring(input))),
        ("tonumber", 0) => match input {
            Json::Num(_) => out(ctx, input.clone()),
            Json::Str(s) => {
                let mut p = JsonParser::new(s);
                match p.next_value() {
                    Ok(Some(Json::Num(n))) if matches!(p.next_value(), Ok(None)) => {
                        out(ctx, Json::Num(n))
                    }
                    Err(e) => err(format!("{e} (while parsing '{s}')")),
                    _ => err(format!("Cannot parse '{s}' as JSON")),
                }
            }
            other => err(format!("{} cannot be parsed as a number", described(other))),
        },
        ("type", 0) => out(ctx, Json::Str(input.type_name().into())),
        ("sort", 0) => match input {
            Json::Arr(a) => {
                let mut v = a.clone();
                servicecidr_core::sort::sort_by(&mut v, compare);
                out(ctx, Json::Arr(v))
            }
            other => err(format!(
                "{} cannot be sorted, as it is not an array",
                described(other)
            )),
        },
        ("sort_by", 1) | ("group_by", 1) | ("unique_by", 1) | ("min_by", 1) | ("max_by", 1) => {
            let Json::Arr(a) = input else {
                return err(format!("Cannot index {} with number", input.type_name()));
            };
            let mut keyed = Vec::new();
            for x in a {
                keyed.push((Json::Arr(collect(arg(0), x, env, ctx, d)?), x.clone()));
            }
            by_op(name, keyed, ctx, out)
        }
        ("unique", 0) | ("min", 0) | ("max", 0) => {
            let Json::Arr(a) = input else {
                return err(format!(
                    "{} cannot be sorted, as it is not an array",
                    described(input)
                ));
            };
            let keyed = a.iter().map(|x| (x.clone(), x.clone())).collect();
            let op = match name {
                "unique" => "unique_by",
                "min" => "min_by",
                _ => "max_by",
            };
            by_op(op, keyed, ctx, out)
        }
        ("reverse", 0) => match input {
            Json::Arr(a) => out(ctx, Json::Arr(a.iter().rev().cloned().collect())),
            Json::Null => out(ctx, Json::Arr(Vec::new())),
            Json::Str(s) if s.is_empty() => out(ctx, Json::Arr(Vec::new())),
            other => err(format!("Cannot index {} with number", other.type_name())),
        },
        ("startswith", 1) | ("endswith", 1) => each_arg!(0, |ctx, b| match (input, &b) {
            (Json::Str(s), Json::Str(p)) => out(
                ctx,
                Json::Bool(if name == "startswith" {
                    s.starts_with(p.as_str())
                } else {
                    s.ends_with(p.as_str())
                }),
            ),
            _ => err(format!("{name}() requires string inputs")),
        }),
        ("ltrimstr", 1) | ("rtrimstr", 1) => each_arg!(0, |ctx, b| {
            let r = match (input, &b) {
                (Json::Str(s), Json::Str(p)) => {
                    let t = if name == "ltrimstr" {
                        s.strip_prefix(p.as_str())
                    } else {
                        s.strip_suffix(p.as_str())
                    };
                    Json::Str(t.unwrap_or(s).to_string())
                }
                _ => input.clone(),
            };
            out(ctx, r)
        }),
        ("split", 1) => each_arg!(0, |ctx, sep| match (input, &sep) {
            (Json::Str(s), Json::Str(p)) => out(ctx, split_str(s, p)),
            _ => err("split input and separator must be strings"),
        }),
        ("join", 1) => each_arg!(0, |ctx, sep| {
            let items: Vec<Json> = match input {
                Json::Arr(a) => a.clone(),
                Json::Obj(kv) => kv.iter().map(|(_, v)| v.clone()).collect(),
                other => return err(format!("Cannot iterate over {}", described(other))),
            };
            let Json::Str(sep) = &sep else {
                return err(format!(
                    "{} and {} cannot be added",
                    described(&Json::Str(String::new())),
                    described(&sep)
                ));
            };
            let mut s = String::new();
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    s.push_str(sep);
                }
                match x {
                    Json::Null => {}
                    Json::Str(t) => s.push_str(t),
                    Json::Num(n) => s.push_str(&fmt_num(*n)),
                    Json::Bool(b) => s.push_str(&b.to_string()),
                    // jq 1.6 joins with `+`, so the error names the string so far.
                    other => {
                        let so_far = if i == 0 { String::new() } else { s.clone() };
                        return err(format!(
                            "{} and {} cannot be added",
                            described(&Json::Str(so_far)),
                            described(other)
                        ));
                    }
                }
            }
            out(ctx, Json::Str(s))
        }),
        ("ascii_downcase", 0) | ("ascii_upcase", 0) => match input {
            Json::Str(s) => out(
                ctx,
                Json::Str(if name == "ascii_downcase" {
                    s.to_ascii_lowercase()
                } else {
                    s.to_ascii_uppercase()
                }),
            ),
            other => err(format!(
                "{} cannot be {}",
                described(other),
                if name == "ascii_downcase" {
                    "lowercased"
                } else {
                    "uppercased"
                }
            )),
        },
        ("explode", 0) => match input {
            Json::Str(s) => out(
                ctx,
                Json::Arr(s.chars().map(|c| Json::Num(c as u32 as f64)).collect()),
            ),
            other => err(format!("{} cannot be exploded", described(other))),
        },
        ("implode", 0) => match input {
            Json::Arr(a) => {
                let mut s = String::new();
                for x in a {
                    let n = num_arg(
                        x,
                        "can't be imploded, unicode codepoint needs to be numeric",
                    )?;
                    s.push(char::from_u32(n as u32).unwrap_or('\u{fffd}'));
                }
                out(ctx, Json::Str(s))
            }
            other => err(format!("{} cannot be imploded", described(other))),
        },
        ("to_entries", 0) => {
            // jq: [keys_unsorted[] as $k | {key: $k, value: .[$k]}]
            let Json::Arr(ks) = keys(input, false)? else {
                return Ok(());
            };
            let mut entries = Vec::new();
            for k in ks {
                let v = index(input, &k)?;
                entries.push(Json::Obj(vec![("key".into(), k), ("value".into(), v)]));
            }
            out(ctx, shallow(Json::Arr(entries))?)
        }
        ("from_entries", 0) => {
            let v = from_entries(input)?;
            out(ctx, v)
        }
        ("with_entries", 1) => {
            let Json::Obj(kv) = input else {
                return err(format!("{} has no keys", described(input)));
            };
            let mut mapped = Vec::new();
            for (k, v) in kv {
                let e = Json::Obj(vec![
                    ("key".into(), Json::Str(k.clone())),
                    ("value".into(), v.clone()),
                ]);
                mapped.extend(collect(arg(0), &e, env, ctx, d)?);
            }
            let v = shallow(from_entries(&Json::Arr(mapped))?)?;
            out(ctx, v)
        }
        ("tojson", 0) => out(ctx, Json::Str(dump_compact(input))),
        ("fromjson", 0) => match input {
            Json::Str(s) => {
                let mut p = JsonParser::new(s);
                match p.next_value() {
                    Ok(Some(v)) => out(ctx, v),
                    Ok(None) => Ok(()),
                    Err(e) => err(format!("{e} (while parsing '{s}')")),
                }
            }
            other => err(format!("{} only strings can be parsed", described(other))),
        },
        ("first", 0) => {
            let v = index(input, &Json::Num(0.0))?;
            out(ctx, v)
        }
        ("last", 0) => {
            let v = index(input, &Json::Num(-1.0))?;
            out(ctx, v)
        }
        ("first", 1) => limited(arg(0), 1, input, env, ctx, d, out),
        ("last", 1) => {
            let vals = collect(arg(0), input, env, ctx, d)?;
            match vals.into_iter().last() {
                Some(v) => out(ctx, v),
                None => Ok(()),
            }
        }
        ("limit", 2) => each_arg!(0, |ctx, n| {
            let n = num_arg(&n, "Invalid limit")?;
            if n <= 0.0 {
                Ok(())
            } else {
                limited(arg(1), n as u64, input, env, ctx, d, out)
            }
        }),
        ("nth", 1) => each_arg!(0, |ctx, n| index(input, &n).and_then(|v| out(ctx, v))),
        ("nth", 2) => each_arg!(0, |ctx, n| {
            let n = num_arg(&n, "Out of bounds negative array index")?;
            if n < 0.0 {
                return err("Out of bounds negative array index");
            }
            let mut k = 0u64;
            let mut found = None;
            ctx.stop_ids += 1;
            let id = ctx.stop_ids;
            let r = eval(arg(1), input, env, ctx, d, &mut |_, v| {
                if k == n as u64 {
                    found = Some(v);
                    return Err(JqErr::Stop(id));
                }
                k += 1;
                Ok(())
            });
            match r {
                Err(JqErr::Stop(s)) if s == id => {}
                other => other?,
            }
            match found {
                Some(v) => out(ctx, v),
                None => Ok(()),
            }
        }),
        ("isempty", 1) => {
            ctx.stop_ids += 1;
            let id = ctx.stop_ids;
            let mut any = false;
            let r = eval(arg(0), input, env, ctx, d, &mut |_, _| {
                any = true;
                Err(JqErr::Stop(id))
            });
            match r {
                Err(JqErr::Stop(s)) if s == id => {}
                other => other?,
            }
            out(ctx, Json::Bool(!any))
        }
        ("flatten", 0) => flatten_out(input, 1e9, ctx, out),
        ("flatten", 1) => each_arg!(0, |ctx, depth| {
            let dd = num_arg(&depth, "flatten depth must not be negative")?;
            if dd < 0.0 {
                return err("flatten depth must not be negative");
            }
            flatten_out(input, dd, ctx, out)
        }),
        ("nulls", 0)
        | ("booleans", 0)
        | ("numbers", 0)
        | ("strings", 0)
        | ("arrays", 0)
        | ("objects", 0)
        | ("iterables", 0)
        | ("scalars", 0) => {
            let keep = match name {
                "nulls" => matches!(input, Json::Null),
                "booleans" => matches!(input, Json::Bool(_)),
                "numbers" => matches!(input, Json::Num(_)),
                "strings" => matches!(input, Json::Str(_)),
                "arrays" => matches!(input, Json::Arr(_)),
                "objects" => matches!(input, Json::Obj(_)),
                "iterables" => matches!(input, Json::Arr(_) | Json::Obj(_)),
                _ => !matches!(input, Json::Arr(_) | Json::Obj(_)),
            };
            if keep {
                out(ctx, input.clone())?;
            }
            Ok(())
        }
        ("getpath", 1) => each_arg!(0, |ctx, p| {
            let Json::Arr(path) = &p else {
                return err("Path must be specified as an array");
            };
            let mut cur = input.clone();
            for k in path {
                if cur == Json::Null {
                    break;
                }
                cur = index(&cur, k)?;
            }
            out(ctx, cur)
        }),
        ("walk", 1) => {
            let v = walk(arg(0), input, env, ctx, d)?;
            for x in v {
                out(ctx, x)?;
            }
            Ok(())
        }
        ("input", 0) => match ctx.pending.pop_front() {
            Some((v, _)) => out(ctx, v),
            None => err("No more inputs"),
        },
        ("inputs", 0) => {
            while let Some((v, _)) = ctx.pending.pop_front() {
                out(ctx, v)?;
            }
            Ok(())
        }
        ("debug", 0) => {
            let msg = format!("[\"DEBUG:\",{}]\n", dump_compact(input));
            ctx.stderr.push((true, msg));
            out(ctx, input.clone())
        }
        ("input_filename", 0) => out(ctx, Json::Null),
        ("infinite", 0) => out(ctx, Json::Num(f64::INFINITY)),
        ("nan", 0) => out(ctx, Json::Num(f64::NAN)),
        ("isnan", 0) => {
            let n = num_arg(input, "number required")?;
            out(ctx, Json::Bool(n.is_nan()))
        }
        ("isinfinite", 0) => {
            let n = num_arg(input, "number required")?;
            out(ctx, Json::Bool(n.is_infinite()))
        }
        ("until", 2) => {
            let mut cur = input.clone();
            loop {
                ctx.steps += 1;
                if ctx.steps > MAX_STEPS {
                    return Err(JqErr::Limit("evaluation step limit exceeded".into()));
                }
                let c = collect(arg(0), &cur, env, ctx, d)?;
                if c.first().is_none_or(Json::truthy) {
                    return out(ctx, cur);
                }
                match collect(arg(1), &cur, env, ctx, d)?.into_iter().next() {
                    Some(n) => cur = n,
                    None => return Ok(()),
                }
            }
        }
        ("repeat", 1) => {
            // jq: def repeat(f): def _repeat: f | (., _repeat); _repeat;
            let mut cur = input.clone();
            loop {
                ctx.steps += 1;
                if ctx.steps > MAX_STEPS {
                    return Err(JqErr::Limit("evaluation step limit exceeded".into()));
                }
                let outs = collect(arg(0), &cur, env, ctx, d)?;
                let Some((last, rest)) = outs.split_last() else {
                    return Ok(());
                };
                for o in rest {
                    out(ctx, o.clone())?;
                    call(name, args, o, env, ctx, d + 1, out)?;
                }
                out(ctx, last.clone())?;
                cur = last.clone();
            }
        }
        ("while", 2) => {
            let mut cur = input.clone();
            loop {
                ctx.steps += 1;
                if ctx.steps > MAX_STEPS {
                    return Err(JqErr::Limit("evaluation step limit exceeded".into()));
                }
                if name == "while" {
                    let c = collect(arg(0), &cur, env, ctx, d)?;
                    if !c.first().is_some_and(Json::truthy) {
                        return Ok(());
                    }
                }
                out(ctx, cur.clone())?;
                let step = if name == "while" { arg(1) } else { arg(0) };
                match collect(step, &cur, env, ctx, d)?.into_iter().next() {
                    Some(n) => cur = n,
                    None => return Ok(()),
                }
            }
        }
        ("transpose", 0) => {
            let Json::Arr(rows) = input else {
                return err(format!("Cannot iterate over {}", described(input)));
            };
            let width = rows
                .iter()
                .map(|r| match r {
                    Json::Arr(a) => a.len(),
                    _ => 0,
                })
                .max()
                .unwrap_or(0);
            let mut cols = Vec::new();
            for c in 0..width {
                let mut col = Vec::new();
                for r in rows {
                    col.push(index(r, &Json::Num(c as f64))?);
                }
                cols.push(Json::Arr(col));
            }
            out(ctx, shallow(Json::Arr(cols))?)
        }
        ("path", 1) => eval_paths(arg(0), input, env, ctx, d, &mut |ctx, p, _| {
            out(ctx, Json::Arr(p))
        }),
        ("paths", 0) | ("leaf_paths", 0) | ("paths", 1) => {
            let mut found = Vec::new();
            recurse_paths(input, &mut Vec::new(), &mut found, ctx)?;
            for (p, v) in found {
                if p.is_empty() {
                    continue;
                }
                let keep = match name {
                    "leaf_paths" => !matches!(v, Json::Arr(_) | Json::Obj(_)),
                    "paths" if args.len() == 1 => {
                        collect(arg(0), &v, env, ctx, d)?.iter().any(Json::truthy)
                    }
                    _ => true,
                };
                if keep {
                    out(ctx, Json::Arr(p))?;
                }
            }
            Ok(())
        }
        ("del", 1) => {
            let mut paths = Vec::new();
            eval_paths(arg(0), input, env, ctx, d, &mut |_, p, _| {
                paths.push(p);
                Ok(())
            })?;
            let v = delpaths(input, paths)?;
            out(ctx, v)
        }
        ("delpaths", 1) => each_arg!(0, |ctx, ps| {
            let Json::Arr(list) = ps else {
                return err("Paths must be specified as an array");
            };
            let mut paths = Vec::new();
            for p in list {
                match p {
                    Json::Arr(items) => paths.push(items),
                    _ => return err("Path must be specified as an array"),
                }
            }
            delpaths(input, paths).and_then(|v| out(ctx, v))
        }),
        ("setpath", 2) => {
            for v in collect(arg(1), input, env, ctx, d)? {
                for p in collect(arg(0), input, env, ctx, d)? {
                    let Json::Arr(path) = p else {
                        return err("Path must be specified as an array");
                    };
                    let r = shallow(setpath(input, &path, v.clone())?)?;
                    out(ctx, r)?;
                }
            }
            Ok(())
        }
        ("map_values", 1) => {
            let iterate = Ast::Iterate(Box::new(Ast::Identity));
            assign("|=", &iterate, arg(0), input, env, ctx, d, out)
        }
        _ => err(format!("{name}/{} is not defined", args.len())),
    }
}

// ---------------------------------------------------------------------------
// Paths: `path(f)`, `del`, and the assignment operators.

type PathOut<'a> = &'a mut dyn FnMut(&mut Ctx, Vec<Json>, Json) -> JResult;

fn invalid_path(v: &Json) -> JResult {
    err(format!(
        "Invalid path expression with result {}",
        dump_trunc(v)
    ))
}

/// Evaluate `ast` as a path expression on `v`: every output is (path, value).
fn eval_paths(
    ast: &Ast,
    v: &Json,
    env: &Env,
    ctx: &mut Ctx,
    depth: usize,
    out: PathOut,
) -> JResult {
    ctx.steps += 1;
    if ctx.steps > MAX_STEPS {
        return Err(JqErr::Limit("evaluation step limit exceeded".into()));
    }
    if depth > MAX_DEPTH || stack_low() {
        return Err(JqErr::Limit("recursion too deep".into()));
    }
    let d = depth + 1;
    match ast {
        Ast::Identity => out(ctx, Vec::new(), v.clone()),
        Ast::Recurse => {
            let mut found = Vec::new();
            recurse_paths(v, &mut Vec::new(), &mut found, ctx)?;
            for (p, x) in found {
                out(ctx, p, x)?;
            }
            Ok(())
        }
        Ast::Index(t, idx) => {
            for k in collect(idx, v, env, ctx, d)? {
                eval_paths(t, v, env, ctx, d, &mut |ctx, mut p, tv| {
                    let nv = if tv == Json::Null {
                        Json::Null
                    } else {
                        index(&tv, &k)?
                    };
                    p.push(k.clone());
                    out(ctx, p, nv)
                })?;
            }
            Ok(())
        }
        Ast::Slice(t, lo, hi) => {
            let lo = match lo {
                Some(e) => collect(e, v, env, ctx, d)?
                    .into_iter()
                    .next()
                    .unwrap_or(Json::Null),
                None => Json::Null,
            };
            let hi = match hi {
                Some(e) => collect(e, v, env, ctx, d)?
                    .into_iter()
                    .next()
                    .unwrap_or(Json::Null),
                None => Json::Null,
            };
            eval_paths(t, v, env, ctx, d, &mut |ctx, mut p, tv| {
                let nv = slice(&tv, &lo, &hi)?;
                p.push(Json::Obj(vec![
                    ("start".into(), lo.clone()),
                    ("end".into(), hi.clone()),
                ]));
                out(ctx, p, nv)
            })
        }
        Ast::Iterate(t) => eval_paths(t, v, env, ctx, d, &mut |ctx, p, tv| match tv {
            Json::Arr(items) => {
                for (i, x) in items.into_iter().enumerate() {
                    let mut q = p.clone();
                    q.push(Json::Num(i as f64));
                    out(ctx, q, x)?;
                }
                Ok(())
            }
            Json::Obj(kv) => {
                for (k, x) in kv {
                    let mut q = p.clone();
                    q.push(Json::Str(k));
                    out(ctx, q, x)?;
                }
                Ok(())
            }
            other => err(format!("Cannot iterate over {}", described(&other))),
        }),
        Ast::Try(body, None) => {
            ctx.stop_ids += 1;
            let id = ctx.stop_ids;
            let mut downstream: Option<JqErr> = None;
            let r = eval_paths(
                body,
                v,
                env,
                ctx,
                d,
                &mut |ctx, p, x| match out(ctx, p, x) {
                    Ok(()) => Ok(()),
                    Err(e) => {
                        downstream = Some(e);
                        Err(JqErr::Stop(id))
                    }
                },
            );
            if let Some(e) = downstream {
                return Err(e);
            }
            match r {
                Ok(()) | Err(JqErr::Error(_)) => Ok(()),
                Err(other) => Err(other),
            }
        }
        Ast::Pipe(a, b) => eval_paths(a, v, env, ctx, d, &mut |ctx, p, av| {
            eval_paths(b, &av, env, ctx, d, &mut |ctx, q, bv| {
                let mut full = p.clone();
                full.extend(q);
                out(ctx, full, bv)
            })
        }),
        Ast::Comma(a, b) => {
            eval_paths(a, v, env, ctx, d, out)?;
            eval_paths(b, v, env, ctx, d, out)
        }
        Ast::If(arms, otherwise) => {
            eval_paths_if(arms, 0, otherwise.as_deref(), v, env, ctx, d, out)
        }
        Ast::Alt(a, b) => {
            let mut found = Vec::new();
            let r = eval_paths(a, v, env, ctx, d, &mut |_, p, x| {
                if x.truthy() {
                    found.push((p, x));
                }
                Ok(())
            });
            match r {
                Ok(()) | Err(JqErr::Error(_)) => {}
                Err(other) => return Err(other),
            }
            if found.is_empty() {
                return eval_paths(b, v, env, ctx, d, out);
            }
            for (p, x) in found {
                out(ctx, p, x)?;
            }
            Ok(())
        }
        Ast::As(src, name, body) => eval(src, v, env, ctx, d, &mut |ctx, x| {
            let mut e = env.clone();
            e.push((name.clone(), x));
            eval_paths(body, v, &e, ctx, d, out)
        }),
        Ast::Call(name, args, _) => {
            let arg = |k: usize| args.get(k).unwrap_or(&Ast::Identity);
            match (name.as_str(), args.len()) {
                ("empty", 0) => Ok(()),
                ("error", _) => eval(ast, v, env, ctx, d, &mut |_, _| Ok(())),
                ("select", 1) => {
                    for c in collect(arg(0), v, env, ctx, d)? {
                        if c.truthy() {
                            out(ctx, Vec::new(), v.clone())?;
                        }
                    }
                    Ok(())
                }
                ("recurse", 0) => eval_paths(&Ast::Recurse, v, env, ctx, d, out),
                ("first", 1) | ("last", 1) => {
                    let mut found = Vec::new();
                    eval_paths(arg(0), v, env, ctx, d, &mut |_, p, x| {
                        found.push((p, x));
                        Ok(())
                    })?;
                    let pick = if name == "first" {
                        found.into_iter().next()
                    } else {
                        found.into_iter().last()
                    };
                    match pick {
                        Some((p, x)) => out(ctx, p, x),
                        None => Ok(()),
                    }
                }
                ("getpath", 1) => {
                    for p in collect(arg(0), v, env, ctx, d)? {
                        let Json::Arr(path) = p else {
                            return err("Path must be specified as an array");
                        };
                        let x = getpath(v, &path)?;
                        out(ctx, path, x)?;
                    }
                    Ok(())
                }
                _ => {
                    let vals = collect(ast, v, env, ctx, d)?;
                    match vals.first() {
                        Some(x) => invalid_path(x),
                        None => Ok(()),
                    }
                }
            }
        }
        other => {
            let vals = collect(other, v, env, ctx, d)?;
            match vals.first() {
                Some(x) => invalid_path(x),
                None => Ok(()),
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn eval_paths_if(
    arms: &[(Ast, Ast)],
    k: usize,
    otherwise: Option<&Ast>,
    v: &Json,
    env: &Env,
    ctx: &mut Ctx,
    d: usize,
    out: PathOut,
) -> JResult {
    let Some((cond, body)) = arms.get(k) else {
        return match otherwise {
            Some(e) => eval_paths(e, v, env, ctx, d, out),
            None => out(ctx, Vec::new(), v.clone()),
        };
    };
    for c in collect(cond, v, env, ctx, d)? {
        if c.truthy() {
            eval_paths(body, v, env, ctx, d, out)?;
        } else {
            eval_paths_if(arms, k + 1, otherwise, v, env, ctx, d, out)?;
        }
    }
    Ok(())
}

/// All (path, value) pairs under `v`, pre-order, like `path(..)`.
fn recurse_paths(
    v: &Json,
    prefix: &mut Vec<Json>,
    found: &mut Vec<(Vec<Json>, Json)>,
    ctx: &mut Ctx,
) -> JResult {
    ctx.steps += 1;
    if ctx.steps > MAX_STEPS {
        return Err(JqErr::Limit("evaluation step limit exceeded".into()));
    }
    found.push((prefix.clone(), v.clone()));
    match v {
        Json::Arr(items) => {
            for (i, x) in items.iter().enumerate() {
                prefix.push(Json::Num(i as f64));
                recurse_paths(x, prefix, found, ctx)?;
                prefix.pop();
            }
        }
        Json::Obj(kv) => {
            for (k, x) in kv {
                prefix.push(Json::Str(k.clone()));
                recurse_paths(x, prefix, found, ctx)?;
                prefix.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

fn getpath(v: &Json, path: &[Json]) -> Result<Json, JqErr> {
    let mut cur = v.clone();
    for k in path {
        if cur == Json::Null {
            return Ok(Json::Null);
        }
        cur = index(&cur, k)?;
    }
    Ok(cur)
}

fn array_slot(len: usize, n: f64) -> Result<usize, JqErr> {
    let i = n.floor();
    let i = if i < 0.0 { i + len as f64 } else { i };
    if i < 0.0 {
        return err("Out of bounds negative array index");
    }
    if i > (MAX_OUTPUT as f64) {
        return Err(JqErr::Limit("array index too large".into()));
    }
    Ok(i as usize)
}

fn setpath(v: &Json, path: &[Json], new: Json) -> Result<Json, JqErr> {
    if path.len() > MAX_VALUE_DEPTH {
        return Err(JqErr::Limit(format!(
            "paths longer than {MAX_VALUE_DEPTH} elements"
        )));
    }
    let Some((k, rest)) = path.split_first() else {
        return Ok(new);
    };
    match (v, k) {
        (Json::Obj(_) | Json::Null, Json::Str(key)) => {
            let mut kv = match v {
                Json::Obj(kv) => kv.clone(),
                _ => Vec::new(),
            };
            let child = v.get(key).cloned().unwrap_or(Json::Null);
            let nv = setpath(&child, rest, new)?;
            obj_set(&mut kv, key.clone(), nv);
            Ok(Json::Obj(kv))
        }
        (Json::Arr(_) | Json::Null, Json::Num(n)) => {
            let mut items = match v {
                Json::Arr(a) => a.clone(),
                _ => Vec::new(),
            };
            let i = array_slot(items.len(), *n)?;
            if i >= items.len() {
                items.resize(i + 1, Json::Null);
            }
            let child = items.get(i).cloned().unwrap_or(Json::Null);
            let nv = setpath(&child, rest, new)?;
            if let Some(slot) = items.get_mut(i) {
                *slot = nv;
            }
            Ok(Json::Arr(items))
        }
        (Json::Arr(_) | Json::Null, Json::Obj(_)) => {
            let items = match v {
                Json::Arr(a) => a.clone(),
                _ => Vec::new(),
            };
            let len = items.len();
            let bound = |b: Option<&Json>, default: usize| -> Result<usize, JqErr> {
                match b {
                    None | Some(Json::Null) => Ok(default),
                    Some(Json::Num(n)) => {
                        let x = if *n < 0.0 { len as f64 + n } else { *n };
                        Ok(x.clamp(0.0, len as f64) as usize)
                    }
                    _ => err("Start and end indices of an array slice must be numbers"),
                }
            };
            let s = bound(k.get("start"), 0)?;
            let e = bound(k.get("end"), len)?.max(s);
            let current = Json::Arr(items.get(s..e).unwrap_or_default().to_vec());
            let Json::Arr(replacement) = setpath(&current, rest, new)? else {
                return err("A slice of an array can only be assigned another array");
            };
            let mut out = items.get(..s).unwrap_or_default().to_vec();
            out.extend(replacement);
            out.extend_from_slice(items.get(e..).unwrap_or_default());
            Ok(Json::Arr(out))
        }
        (_, Json::Str(s)) => err(format!(
            "Cannot index {} with string \"{s}\"",
            v.type_name()
        )),
        _ => err(format!(
            "Cannot index {} with {}",
            v.type_name(),
            k.type_name()
        )),
    }
}

fn delpath(v: &Json, path: &[Json]) -> Result<Json, JqErr> {
    let Some((k, rest)) = path.split_first() else {
        return Ok(Json::Null);
    };
    if *v == Json::Null {
        return Ok(Json::Null);
    }
    if !rest.is_empty() {
        let child = index(v, k)?;
        if child == Json::Null {
            return Ok(v.clone());
        }
        let nc = delpath(&child, rest)?;
        return setpath(v, std::slice::from_ref(k), nc);
    }
    match (v, k) {
        (Json::Obj(kv), Json::Str(key)) => Ok(Json::Obj(
            kv.iter().filter(|(kk, _)| kk != key).cloned().collect(),
        )),
        (Json::Arr(items), Json::Num(n)) => {
            let mut items = items.clone();
            let i = array_slot(items.len(), *n)?;
            if i < items.len() {
                items.remove(i);
            }
            Ok(Json::Arr(items))
        }
        (Json::Arr(items), Json::Obj(_)) => {
            let len = items.len();
            let b = |x: Option<&Json>, default: usize| match x {
                Some(Json::Num(n)) => {
                    let y = if *n < 0.0 { len as f64 + n } else { *n };
                    y.clamp(0.0, len as f64) as usize
                }
                _ => default,
            };
            let s = b(k.get("start"), 0);
            let e = b(k.get("end"), len).max(s);
            let mut out = items.get(..s).unwrap_or_default().to_vec();
            out.extend_from_slice(items.get(e..).unwrap_or_default());
            Ok(Json::Arr(out))
        }
        (_, Json::Str(s)) => err(format!(
            "Cannot delete field at object index of {}",
            v.type_name()
        ))
        .or_else(|_: JqErr| {
            err(format!(
                "Cannot index {} with string \"{s}\"",
                v.type_name()
            ))
        }),
        _ => err(format!("Cannot delete field at index of {}", v.type_name())),
    }
}

/// jq deletes the paths in reverse sorted order, so earlier deletions do not shift later ones.
fn delpaths(v: &Json, mut paths: Vec<Vec<Json>>) -> Result<Json, JqErr> {
    servicecidr_core::sort::sort_by(&mut paths, |a, b| {
        compare(&Json::Arr(a.clone()), &Json::Arr(b.clone()))
    });
    let mut cur = v.clone();
    for p in paths.iter().rev() {
        if p.len() > MAX_VALUE_DEPTH {
            return Err(JqErr::Limit(format!(
                "paths longer than {MAX_VALUE_DEPTH} elements"
            )));
        }
        cur = delpath(&cur, p)?;
    }
    Ok(cur)
}

/// `=`, `|=`, and the arithmetic update-assignments, as jq defines them with
/// `reduce path(lhs) as $p (.; setpath($p; ...))`.
#[allow(clippy::too_many_arguments)]
fn assign(
    op: &str,
    lhs: &Ast,
    rhs: &Ast,
    input: &Json,
    env: &Env,
    ctx: &mut Ctx,
    d: usize,
    out: Out,
) -> JResult {
    let mut paths = Vec::new();
    eval_paths(lhs, input, env, ctx, d, &mut |_, p, _| {
        paths.push(p);
        Ok(())
    })?;
    if op == "|=" {
        let mut acc = input.clone();
        for p in &paths {
            let cur = getpath(&acc, p)?;
            let mut first = None;
            limited(rhs, 1, &cur, env, ctx, d, &mut |_, v| {
                first = Some(v);
                Ok(())
            })?;
            acc = match first {
                Some(nv) => shallow(setpath(&acc, p, nv)?)?,
                None => delpaths(&acc, vec![p.clone()])?,
            };
        }
        return out(ctx, acc);
    }
    for value in collect(rhs, input, env, ctx, d)? {
        let mut acc = input.clone();
        for p in &paths {
            let nv = match op {
                "=" => value.clone(),
                "//=" => {
                    let cur = getpath(&acc, p)?;
                    if cur.truthy() {
                        cur
                    } else {
                        value.clone()
                    }
                }
                _ => {
                    let cur = getpath(&acc, p)?;
                    let bop = match op {
                        "+=" => BinOp::Add,
                        "-=" => BinOp::Sub,
                        "*=" => BinOp::Mul,
                        "/=" => BinOp::Div,
                        _ => BinOp::Mod,
                    };
                    binop(bop, &cur, &value)?
                }
            };
            acc = shallow(setpath(&acc, p, nv)?)?;
        }
        out(ctx, acc)?;
    }
    Ok(())
}

fn range(from: f64, to: f64, step: f64, ctx: &mut Ctx, out: Out) -> JResult {
    if step == 0.0 || from.is_nan() || to.is_nan() || step.is_nan() {
        return Ok(());
    }
    let mut x = from;
    while (step > 0.0 && x < to) || (step < 0.0 && x > to) {
        ctx.steps += 1;
        if ctx.steps > MAX_STEPS {
            return Err(JqErr::Limit("evaluation step limit exceeded".into()));
        }
        out(ctx, Json::Num(x))?;
        x += step;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn limited(f: &Ast, n: u64, input: &Json, env: &Env, ctx: &mut Ctx, d: usize, out: Out) -> JResult {
    ctx.stop_ids += 1;
    let id = ctx.stop_ids;
    let mut k = 0u64;
    let mut downstream = None;
    let r = eval(f, input, env, ctx, d, &mut |ctx, v| {
        k += 1;
        if let Err(e) = out(ctx, v) {
            downstream = Some(e);
            return Err(JqErr::Stop(id));
        }
        if k >= n {
            return Err(JqErr::Stop(id));
        }
        Ok(())
    });
    if let Some(e) = downstream {
        return Err(e);
    }
    match r {
        Err(JqErr::Stop(s)) if s == id => Ok(()),
        other => other,
    }
}

#[allow(clippy::too_many_arguments)]
fn recurse_with(
    f: &Ast,
    cond: Option<&Ast>,
    input: &Json,
    env: &Env,
    ctx: &mut Ctx,
    d: usize,
    out: Out,
) -> JResult {
    if d > MAX_DEPTH || stack_low() {
        return Err(JqErr::Limit("recursion too deep".into()));
    }
    out(ctx, input.clone())?;
    for next in collect(f, input, env, ctx, d)? {
        if let Some(c) = cond {
            if !collect(c, &next, env, ctx, d)?
                .first()
                .is_some_and(Json::truthy)
            {
                continue;
            }
        }
        recurse_with(f, cond, &next, env, ctx, d + 1, out)?;
    }
    Ok(())
}

fn walk(f: &Ast, v: &Json, env: &Env, ctx: &mut Ctx, d: usize) -> Result<Vec<Json>, JqErr> {
    if d > MAX_DEPTH || stack_low() {
        return Err(JqErr::Limit("recursion too deep".into()));
    }
    let inner = match v {
        Json::Obj(kv) => {
            let mut out = Vec::new();
            for (k, child) in kv {
                if let Some(last) = walk(f, child, env, ctx, d + 1)?.into_iter().last() {
                    obj_set(&mut out, k.clone(), last);
                }
            }
            Json::Obj(out)
        }
        Json::Arr(a) => {
            let mut out = Vec::new();
            for x in a {
                out.extend(walk(f, x, env, ctx, d + 1)?);
            }
            Json::Arr(out)
        }
        other => other.clone(),
    };
    collect(f, &inner, env, ctx, d)
}

fn by_op(op: &str, keyed: Vec<(Json, Json)>, ctx: &mut Ctx, out: Out) -> JResult {
    let sorted = sort_values(keyed);
    match op {
        "sort_by" => out(ctx, Json::Arr(sorted.into_iter().map(|(_, v)| v).collect())),
        "group_by" => {
            let mut groups: Vec<Json> = Vec::new();
            let mut last_key: Option<Json> = None;
            let mut cur: Vec<Json> = Vec::new();
            for (k, v) in sorted {
                if last_key.as_ref().is_some_and(|lk| !json_eq(lk, &k)) {
                    groups.push(Json::Arr(std::mem::take(&mut cur)));
                }
                last_key = Some(k);
                cur.push(v);
            }
            if last_key.is_some() {
                groups.push(Json::Arr(cur));
            }
            out(ctx, shallow(Json::Arr(groups))?)
        }
        "unique_by" => {
            let mut res: Vec<Json> = Vec::new();
            let mut last_key: Option<Json> = None;
            for (k, v) in sorted {
                if last_key.as_ref().is_some_and(|lk| json_eq(lk, &k)) {
                    continue;
                }
                last_key = Some(k);
                res.push(v);
            }
            out(ctx, Json::Arr(res))
        }
        "min_by" => out(
            ctx,
            sorted
                .into_iter()
                .next()
                .map(|(_, v)| v)
                .unwrap_or(Json::Null),
        ),
        _ => {
            // max_by: the last of the maximal keys, as jq picks it.
            out(
                ctx,
                sorted
                    .into_iter()
                    .last()
                    .map(|(_, v)| v)
                    .unwrap_or(Json::Null),
            )
        }
    }
}

fn flatten_out(input: &Json, depth: f64, ctx: &mut Ctx, out: Out) -> JResult {
    fn go(v: &[Json], depth: f64, acc: &mut Vec<Json>) {
        for x in v {
            match x {
                Json::Arr(inner) if depth > 0.0 => go(inner, depth - 1.0, acc),
                other => acc.push(other.clone()),
            }
        }
    }
    let Json::Arr(a) = input else {
        return err(format!("Cannot iterate over {}", described(input)));
    };
    let mut acc = Vec::new();
    go(a, depth, &mut acc);
    out(ctx, Json::Arr(acc))
}

fn from_entries(input: &Json) -> Result<Json, JqErr> {
    let Json::Arr(items) = input else {
        return err(format!("Cannot iterate over {}", described(input)));
    };
    let mut kv = Vec::new();
    for e in items {
        let key = ["key", "k", "name", "Name", "K", "Key"]
            .iter()
            .find_map(|n| e.get(n).filter(|v| v.truthy()).cloned())
            .or_else(|| {
                ["key", "k", "name", "Name", "K", "Key"]
                    .iter()
                    .find_map(|n| e.get(n).cloned())
            });
        let value = ["value", "v", "Value", "V"]
            .iter()
            .find_map(|n| e.get(n).cloned())
            .unwrap_or(Json::Null);
        let key = match key {
            Some(Json::Str(s)) => s,
            Some(Json::Num(n)) => fmt_num(n),
            Some(Json::Bool(b)) => b.to_string(),
            Some(Json::Null) | None => {
                if !matches!(e, Json::Obj(_)) {
                    return err(format!("Cannot index {} with \"key\"", e.type_name()));
                }
                "null".to_string()
            }
            Some(other) => return err(format!("Cannot use {} as object key", described(&other))),
        };
        obj_set(&mut kv, key, value);
    }
    Ok(Json::Obj(kv))
}
