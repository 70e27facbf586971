//! `kubectl -o yaml` and `kubectl -o json`, byte for byte.
//!
//! kubectl prints objects by marshalling them to JSON (Go `encoding/json`),
//! and for YAML by re-reading that JSON with go-yaml v2 and emitting it again
//! (sigs.k8s.io/yaml `JSONToYAML`). Every visible quirk follows from that
//! pipeline, so this module models the pipeline rather than "YAML in general":
//!
//! * JSON: keys sorted bytewise, 4-space indentation, Go's escaping (`<`, `>`,
//!   `&`, U+2028/2029 as `\uXXXX`, `\b` and `\f` short forms since Go 1.22),
//!   Go's float formatting, and a trailing newline.
//! * YAML: keys sorted with go-yaml's "natural" order (digit runs compare as
//!   numbers, non-letters before letters), the go-yaml emitter's choice between
//!   plain, single-quoted, double-quoted and literal scalars, its 80-column line
//!   folding, indentless sequences under mapping keys, `{}`/`[]` for empty
//!   collections and `? key` for keys longer than 128 bytes.
//!
//! Everything here was checked against kubectl 1.32/1.33 output (see the tests).

use serde_json::{Map, Number, Value};
use std::cmp::Ordering;

/// kubectl's wrapper when `get` returns several objects (or a list request)
/// with `-o yaml|json|jsonpath`: a core `v1` List whose metadata holds an
/// empty resourceVersion (kubectl builds it client-side, so it is always "").
pub fn list_object(items: Vec<Value>) -> Value {
    let mut meta = Map::new();
    meta.insert("resourceVersion".into(), Value::String(String::new()));
    let mut m = Map::new();
    m.insert("apiVersion".into(), Value::String("v1".into()));
    m.insert("items".into(), Value::Array(items));
    m.insert("kind".into(), Value::String("List".into()));
    m.insert("metadata".into(), Value::Object(meta));
    Value::Object(m)
}

// ---------------------------------------------------------------------------
// Numbers as Go prints them.
// ---------------------------------------------------------------------------

/// A JSON number the way kubectl holds it after decoding into unstructured
/// content: int64 when the literal fits, float64 otherwise (so a u64 above
/// i64::MAX becomes a float, exactly as apimachinery's number conversion does).
enum GoNum {
    Int(i64),
    Float(f64),
}

fn go_num(n: &Number) -> GoNum {
    if let Some(i) = n.as_i64() {
        GoNum::Int(i)
    } else {
        GoNum::Float(n.as_f64().unwrap_or(0.0))
    }
}

/// Shortest round-trip decimal digits of |f| and the decimal point position
/// (value = 0.DIGITS × 10^dp), the representation Go's strconv works from.
fn shortest_digits(f: f64) -> (String, i32) {
    if f == 0.0 {
        return ("0".into(), 1);
    }
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

fn fmt_e(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let mut chars = digits.chars();
    out.push(chars.next().unwrap_or('0'));
    let rest: String = chars.collect();
    if !rest.is_empty() {
        out.push('.');
        out.push_str(&rest);
    }
    let exp = if digits == "0" { 0 } else { dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
    out
}

fn fmt_f(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let nd = digits.len() as i32;
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(digits);
    } else if dp >= nd {
        out.push_str(digits);
        for _ in 0..(dp - nd) {
            out.push('0');
        }
    } else {
        let (a, b) = digits.split_at(dp as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    out
}

/// Go `strconv.FormatFloat(f, 'g', -1, 64)` (also what `fmt.Print` uses).
pub(crate) fn go_format_g(f: f64) -> String {
    let neg = f.is_sign_negative();
    let (digits, dp) = shortest_digits(f);
    let exp = dp - 1;
    if f != 0.0 && !(-4..6).contains(&exp) {
        fmt_e(neg, &digits, dp)
    } else {
        fmt_f(neg, &digits, dp)
    }
}

/// Go `encoding/json` float formatting: 'f' in [1e-6, 1e21), else 'e' with
/// the exponent's leading zero removed ("1e-07" → "1e-7").
pub(crate) fn go_json_float(f: f64) -> String {
    let abs = f.abs();
    let neg = f.is_sign_negative();
    let (digits, dp) = shortest_digits(f);
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = fmt_e(neg, &digits, dp);
        let b = s.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            let mut t = s[..n - 2].to_string();
            t.push(b[n - 1] as char);
            return t;
        }
        s
    } else {
        fmt_f(neg, &digits, dp)
    }
}

/// A number as kubectl's `-o json` prints it.
pub(crate) fn json_number(n: &Number) -> String {
    match go_num(n) {
        GoNum::Int(i) => i.to_string(),
        GoNum::Float(f) => go_json_float(f),
    }
}

/// A number as `-o yaml` prints it: the JSON text re-read by go-yaml, which
/// keeps integer-looking text as an int and reformats anything else as a
/// float with `'g'` (so JSON `0.000001` becomes `1e-06`).
fn yaml_number(n: &Number) -> String {
    match go_num(n) {
        GoNum::Int(i) => i.to_string(),
        GoNum::Float(f) => {
            let text = go_json_float(f);
            let int_like = !text.contains(['.', 'e']);
            if int_like && (text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok()) {
                text
            } else {
                go_format_g(f)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// JSON output.
// ---------------------------------------------------------------------------

/// Exactly what `kubectl get -o json` prints for one object (or a List made
/// with [`list_object`]), including the final newline.
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, v, 0);
    out.push('\n');
    out
}

/// Compact JSON as Go's `json.Marshal` writes it (sorted keys, Go escaping);
/// jsonpath prints maps and arrays this way.
pub fn to_json_compact(v: &Value) -> String {
    let mut out = String::new();
    write_json_compact(&mut out, v);
    out
}

fn sorted_entries(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    // serde_json's map is ordered only without `preserve_order`; sort
    // explicitly so a feature flipped elsewhere cannot change the output.
    let mut e: Vec<_> = m.iter().collect();
    servicecidr_core::sort::sort_by(&mut e, |a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    e
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn write_json(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push_str("{\n");
            let entries = sorted_entries(m);
            let last = entries.len() - 1;
            for (i, (k, val)) in entries.into_iter().enumerate() {
                indent(out, level + 1);
                json_string(out, k);
                out.push_str(": ");
                write_json(out, val, level + 1);
                if i != last {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push_str("[\n");
            let last = a.len() - 1;
            for (i, val) in a.iter().enumerate() {
                indent(out, level + 1);
                write_json(out, val, level + 1);
                if i != last {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push(']');
        }
        _ => write_json_compact(out, v),
    }
}

fn write_json_compact(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&json_number(n)),
        Value::String(s) => json_string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, val) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_compact(out, val);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, val)) in sorted_entries(m).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, k);
                out.push(':');
                write_json_compact(out, val);
            }
            out.push('}');
        }
    }
}

/// Go's JSON string encoding with HTML escaping on (the default).
pub(crate) fn json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => {
                let b = c as u32 as usize;
                out.push_str("\\u00");
                out.push(HEX[b >> 4] as char);
                out.push(HEX[b & 0xF] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------
// go-yaml v2 scalar resolution (which strings must be quoted).
// ---------------------------------------------------------------------------

/// Go `strconv.ParseUint(s, 0, 64)`: optional 0x/0o/0b prefix, a bare leading
/// 0 meaning octal, no sign.
fn parse_uint_base0(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let (base, digits) = if b[0] == b'0' {
        if b.len() >= 3 && (b[1] | 0x20) == b'b' {
            (2, &s[2..])
        } else if b.len() >= 3 && (b[1] | 0x20) == b'o' {
            (8, &s[2..])
        } else if b.len() >= 3 && (b[1] | 0x20) == b'x' {
            (16, &s[2..])
        } else {
            (8, &s[1..])
        }
    } else {
        (10, s)
    };
    let mut n: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(16)?;
        if d >= base {
            return None;
        }
        n = n.checked_mul(base as u64)?.checked_add(d as u64)?;
    }
    Some(n)
}

/// Go `strconv.ParseInt(s, 0, 64)` succeeds.
fn parse_int_base0_ok(s: &str) -> bool {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    match parse_uint_base0(rest) {
        Some(u) if neg => u <= 1u64 << 63,
        Some(u) => u < 1u64 << 63,
        None => false,
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// go-yaml's float syntax gate: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mant_ok = if let Some(frac) = mant.strip_prefix('.') {
        all_digits(frac)
    } else {
        match mant.split_once('.') {
            Some((int, frac)) => all_digits(int) && (frac.is_empty() || all_digits(frac)),
            None => all_digits(mant),
        }
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => all_digits(e.strip_prefix(['+', '-']).unwrap_or(e)),
    };
    mant_ok && exp_ok
}

/// Go `strconv.ParseFloat` succeeds (syntax already checked; overflow to
/// infinity is an error there, underflow to zero is not).
fn parse_float_ok(s: &str) -> bool {
    s.parse::<f64>().map(|f| f.is_finite()).unwrap_or(false)
}

/// go-yaml's base-60 float check (`1:20`), quoted for YAML 1.1 readers.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else { return false };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let mut i = usize::from(c == b'+' || c == b'-');
    if !b.get(i).is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let d1 = b.get(i).copied();
        let d2 = b.get(i + 1).copied();
        match (d1, d2) {
            (Some(x), Some(y)) if (b'0'..=b'5').contains(&x) && y.is_ascii_digit() => i += 2,
            (Some(x), _) if x.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

fn days_in_month(month: u32, year: i64) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            if leap {
                29
            } else {
                28
            }
        }
    }
}

/// Go's `getnum(s, false)`: one or two digits.
fn getnum(s: &[u8]) -> Option<(u32, &[u8])> {
    let d0 = *s.first()?;
    if !d0.is_ascii_digit() {
        return None;
    }
    match s.get(1) {
        Some(d1) if d1.is_ascii_digit() => {
            Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &s[2..]))
        }
        _ => Some((u32::from(d0 - b'0'), &s[1..])),
    }
}

/// One of go-yaml v2's timestamp layouts parses `s` with Go's `time.Parse`
/// ("2006-1-2T15:4:5.999999999Z07:00", the same with 't', "2006-1-2
/// 15:4:5.999999999", "2006-1-2").
fn is_yaml_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: i64 = s[..4].parse().unwrap_or(0);
    let Some((month, rest)) = getnum(&b[5..]) else {
        return false;
    };
    if !(1..=12).contains(&month) || rest.first() != Some(&b'-') {
        return false;
    }
    let Some((day, rest)) = getnum(&rest[1..]) else {
        return false;
    };
    if day < 1 || day > days_in_month(month, year) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let (sep, mut rest) = (rest[0], &rest[1..]);
    let zoned = match sep {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    if !zoned {
        // A space in a Go layout matches any run of spaces.
        while rest.first() == Some(&b' ') {
            rest = &rest[1..];
        }
    }
    let time = (|| {
        let (h, r) = getnum(rest)?;
        let r = r.strip_prefix(b":")?;
        let (m, r) = getnum(r)?;
        let r = r.strip_prefix(b":")?;
        let (sec, r) = getnum(r)?;
        (h < 24 && m < 60 && sec < 60).then_some(r)
    })();
    let Some(mut r) = time else { return false };
    if r.len() >= 2 && (r[0] == b'.' || r[0] == b',') && r[1].is_ascii_digit() {
        r = &r[1..];
        while r.first().is_some_and(u8::is_ascii_digit) {
            r = &r[1..];
        }
    }
    if !zoned {
        return r.is_empty();
    }
    if r == b"Z" {
        return true;
    }
    if r.len() != 6 || r[3] != b':' || !(r[0] == b'+' || r[0] == b'-') {
        return false;
    }
    let two = |x: &[u8]| -> Option<u32> {
        (x[0].is_ascii_digit() && x[1].is_ascii_digit())
            .then(|| u32::from(x[0] - b'0') * 10 + u32::from(x[1] - b'0'))
    };
    matches!((two(&r[1..3]), two(&r[4..6])), (Some(h), Some(m)) if h <= 24 && m <= 60)
}

/// What go-yaml v2's resolver makes of an unquoted scalar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// Looks like a timestamp; decoding into `interface{}` keeps the text.
    Timestamp,
    Merge,
    Str,
}

/// go-yaml v2 `resolve("", s)`: YAML 1.1 booleans (y/yes/on …), nulls,
/// ints in any Go base (underscores ignored), floats, timestamps.
pub(crate) fn resolve_plain(s: &str) -> Resolved {
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(c) if c.is_ascii_digit() => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => return Resolved::Str,
    };
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        "<<" => return Resolved::Merge,
        _ => {}
    }
    match hint {
        b'.' => {
            let ok = s.len() > 1 && yaml_style_float(s) && parse_float_ok(s);
            if ok {
                Resolved::Float(s.parse().unwrap_or(0.0))
            } else {
                Resolved::Str
            }
        }
        b'D' | b'S' => {
            if is_yaml_timestamp(s) {
                return Resolved::Timestamp;
            }
            let plain = s.replace('_', "");
            if parse_int_base0_ok(&plain) {
                let (neg, rest) = match plain.as_bytes().first() {
                    Some(b'-') => (true, &plain[1..]),
                    Some(b'+') => (false, &plain[1..]),
                    _ => (false, plain.as_str()),
                };
                let u = parse_uint_base0(rest).unwrap_or(0);
                let i = if neg {
                    (u as i128).checked_neg().map(|x| x as i64).unwrap_or(0)
                } else {
                    u as i64
                };
                return Resolved::Int(i);
            }
            if let Some(u) = parse_uint_base0(&plain) {
                return Resolved::Uint(u);
            }
            if yaml_style_float(&plain) && parse_float_ok(&plain) {
                return Resolved::Float(plain.parse().unwrap_or(0.0));
            }
            Resolved::Str
        }
        _ => Resolved::Str,
    }
}

/// The encoder writes a string plain only when reading it back plain would
/// give the same string.
fn plain_is_string(s: &str) -> bool {
    matches!(resolve_plain(s), Resolved::Str) && !is_base60_float(s)
}

// ---------------------------------------------------------------------------
// go-yaml v2 key order.
// ---------------------------------------------------------------------------

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

/// go-yaml's `keyList.Less` for string keys: letters compare by code point,
/// a non-letter sorts before a letter, and runs of ASCII digits compare as
/// numbers (then shorter run first), so `a9 < a10` and `a1 < a01`.
pub(crate) fn go_yaml_key_cmp(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn): (i128, i128) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = (an * 10 + i128::from(ar[ai] as u8 - b'0')).min(i128::from(u64::MAX));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = (bn * 10 + i128::from(br[bi] as u8 - b'0')).min(i128::from(u64::MAX));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// A stable merge sort that only asks "does `a` go after `b`?". go-yaml's
/// key order is not transitive for some digit/letter mixes (`09y`, `0x1f`,
/// `9"`), where kubectl's own output depends on Go's random map order; the
/// standard library's sorts may panic on such an order, this one cannot.
fn merge_sort_by<T>(v: &mut Vec<T>, after: impl Fn(&T, &T) -> bool + Copy) {
    if v.len() <= 1 {
        return;
    }
    let mut right = v.split_off(v.len() / 2);
    merge_sort_by(v, after);
    merge_sort_by(&mut right, after);
    let left = std::mem::take(v);
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
        if after(a, b) {
            v.extend(r.next());
        } else {
            v.extend(l.next());
        }
    }
    v.extend(l);
    v.extend(r);
}

// ---------------------------------------------------------------------------
// The JSON → YAML round trip's effect on strings.
// ---------------------------------------------------------------------------

/// Characters Go's JSON encoder writes raw but go-yaml's reader refuses
/// ("control characters are not allowed"), which makes kubectl fail.
fn yaml_reader_rejects(c: char) -> bool {
    matches!(c as u32, 0x7F..=0x84 | 0x86..=0x9F | 0xFFFE | 0xFFFF)
}

/// go-yaml reads the JSON string as a double-quoted YAML scalar, in which a
/// raw NEL (U+0085, the one YAML line break Go's JSON leaves unescaped) is
/// folded like a newline: the spaces around it vanish and a single break
/// becomes one space, n breaks become n−1 newlines.
fn fold_nel(s: &str) -> String {
    if !s.contains('\u{85}') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' || chars[i] == '\u{85}' {
            let start = i;
            let mut breaks = 0;
            while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
                if chars[i] == '\u{85}' {
                    breaks += 1;
                }
                i += 1;
            }
            if breaks == 0 {
                out.extend(&chars[start..i]);
            } else if breaks == 1 {
                out.push(' ');
            } else {
                for _ in 1..breaks {
                    out.push('\n');
                }
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The emitter (a port of the parts of go-yaml v2's emitterc.go that block
// documents of maps, sequences and scalars exercise).
// ---------------------------------------------------------------------------

const BEST_INDENT: i64 = 2;
const BEST_WIDTH: i64 = 80;
/// Longest key (in bytes) still written as a simple `key:`.
const MAX_SIMPLE_KEY: usize = 128;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_blankz(c: char) -> bool {
    is_blank(c) || is_break(c) || c == '\0'
}

/// go-yaml's `is_printable`, which works on UTF-8 bytes: anything outside the
/// BMP counts as unprintable, so emoji end up `\U` escaped.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn analyze(value: &[char]) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.len() >= 3
        && ((value[0] == '-' && value[1] == '-' && value[2] == '-')
            || (value[0] == '.' && value[1] == '.' && value[2] == '.'))
    {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let last = value.len() - 1;
    for (i, &c) in value.iter().enumerate() {
        let followed_by_whitespace = i == last || is_blank(value[i + 1]);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i == last {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i == last {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

struct Emitter {
    out: String,
    column: i64,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
}

impl Emitter {
    fn new() -> Emitter {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_str(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// A line break character from the value: '\n' is a newline; the other
    /// YAML breaks are copied as they are but still restart the column.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.put_str(ind);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn emit_node(&mut self, v: &Value, ctx: Ctx) {
        match v {
            Value::Object(m) if m.is_empty() => self.emit_empty("{", "}"),
            Value::Array(a) if a.is_empty() => self.emit_empty("[", "]"),
            Value::Object(m) => self.emit_block_mapping(m),
            Value::Array(a) => self.emit_block_sequence(a, ctx),
            Value::Null => self.emit_scalar("null", Style::Plain, ctx),
            Value::Bool(b) => {
                self.emit_scalar(if *b { "true" } else { "false" }, Style::Plain, ctx)
            }
            Value::Number(n) => self.emit_scalar(&yaml_number(n), Style::Plain, ctx),
            Value::String(s) => self.emit_string(s, ctx),
        }
    }

    fn emit_string(&mut self, s: &str, ctx: Ctx) {
        let s = fold_nel(s);
        let style = if s.contains('\n') {
            Style::Literal
        } else if plain_is_string(&s) {
            Style::Plain
        } else {
            Style::Double
        };
        self.emit_scalar(&s, style, ctx);
    }

    /// Empty collections are the only flow collections go-yaml writes here.
    fn emit_empty(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn emit_block_sequence(&mut self, items: &[Value], ctx: Ctx) {
        // Under a mapping key the dashes line up with the key.
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(item, Ctx::default());
        }
        self.pop_indent();
    }

    fn emit_block_mapping(&mut self, m: &Map<String, Value>) {
        self.increase_indent(false, false);
        let mut entries: Vec<(String, &Value)> = m.iter().map(|(k, v)| (fold_nel(k), v)).collect();
        merge_sort_by(&mut entries, |a, b| {
            go_yaml_key_cmp(&a.0, &b.0) == Ordering::Greater
        });
        for (key, val) in entries {
            self.write_indent();
            let chars: Vec<char> = key.chars().collect();
            let simple = !analyze(&chars).multiline && key.len() <= MAX_SIMPLE_KEY;
            let value_ctx = Ctx {
                mapping: true,
                simple_key: false,
            };
            if simple {
                let key_ctx = Ctx {
                    mapping: true,
                    simple_key: true,
                };
                self.emit_string(&key, key_ctx);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.emit_string(&key, value_ctx);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.emit_node(val, value_ctx);
        }
        self.pop_indent();
    }

    fn emit_scalar(&mut self, text: &str, requested: Style, ctx: Ctx) {
        let value: Vec<char> = text.chars().collect();
        let a = analyze(&value);
        let mut style = requested;
        if ctx.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if !a.block_plain_allowed {
                style = Style::Single;
            }
            if value.is_empty() && ctx.simple_key {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || ctx.simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(&value, allow_breaks),
            Style::Single => self.write_single(&value, allow_breaks),
            Style::Double => self.write_double(&value, allow_breaks),
            Style::Literal => self.write_literal(&value),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &[char], allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in value.iter().enumerate() {
            if c == ' ' {
                let next_space = value.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, value: &[char], allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let n = value.len();
        for (i, &c) in value.iter().enumerate() {
            if c == ' ' {
                let next_space = value.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < n
                    && !next_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &[char], allow_breaks: bool) {
        // go-yaml's BOM test looks at the start of the value whatever the
        // position, so a leading BOM makes it escape every character.
        let starts_with_bom = value.first() == Some(&'\u{FEFF}');
        self.write_indicator("\"", true, false, false);
        let mut spaces = false;
        let n = value.len();
        for (i, &c) in value.iter().enumerate() {
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let v = c as u32;
                        let (letter, width) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        self.put_str(&format!("{v:0width$X}"));
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < n {
                    self.write_indent();
                    if value.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &[char]) {
        self.write_indicator("|", true, false, false);
        // Block scalar header: an explicit indentation digit when the text
        // starts with a space or break, then the chomping indicator.
        if value.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match value.len() {
            0 => Some("-"),
            n if !is_break(value[n - 1]) => Some("-"),
            1 => Some("+"),
            n if is_break(value[n - 2]) => Some("+"),
            _ => None,
        };
        if let Some(ch) = chomp {
            self.write_indicator(ch, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in value {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// Exactly what `kubectl get -o yaml` prints for one object (or a List made
/// with [`list_object`]), ending with a newline.
///
/// kubectl itself fails with `error: yaml: control characters are not
/// allowed` when a string holds U+007F–U+0084, U+0086–U+009F, U+FFFE or
/// U+FFFF; [`to_yaml_checked`] reports that, this function prints anyway.
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter::new();
    e.emit_node(v, Ctx::default());
    // Document end: finish the last line.
    e.write_indent();
    e.out
}

/// go-yaml's longest simple key, in characters from its first character to
/// the `:` (so a JSON key of up to 1022 characters plus its quotes).
const MAX_FLOW_SIMPLE_KEY: usize = 1024;

/// [`to_yaml`], or kubectl's error text (without the `error: ` prefix) when
/// go-yaml cannot read back the JSON kubectl hands it:
/// * a string holding U+007F–U+0084, U+0086–U+009F, U+FFFE or U+FFFF
///   (`yaml: control characters are not allowed`);
/// * a map key longer than go-yaml's simple-key limit once JSON-escaped, or
///   containing a raw NEL (`yaml: did not find expected ',' or '}'`, with a
///   `line N: ` when NELs earlier in the JSON moved the scanner's line).
///
/// The first problem in JSON text order is reported (go-yaml's reader looks
/// a little ahead, so with two distant problems it may name the later one).
pub fn to_yaml_checked(v: &Value) -> Result<String, String> {
    if let Some(e) = reread_error(&to_json_compact(v)) {
        return Err(e);
    }
    Ok(to_yaml(v))
}

/// Scans compact JSON the way go-yaml's scanner would meet it.
fn reread_error(json: &str) -> Option<String> {
    let chars: Vec<char> = json.chars().collect();
    let mut line = 0usize;
    // (is_object, line of the opening brace)
    let mut stack: Vec<(bool, usize)> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' => {
                stack.push((true, line));
                expect_key = true;
            }
            '[' => {
                stack.push((false, line));
                expect_key = false;
            }
            '}' | ']' => {
                stack.pop();
                expect_key = false;
            }
            ',' => expect_key = stack.last().is_some_and(|s| s.0),
            ':' => expect_key = false,
            '"' => {
                let start = i;
                let mut nels = 0;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    } else if chars[i] == '\u{85}' {
                        nels += 1;
                        // A line starting with a document marker inside a
                        // quoted scalar is a scanner error.
                        let marker: String = chars.iter().skip(i + 1).take(3).collect();
                        let after = chars.get(i + 4).copied().unwrap_or('\0');
                        if (marker == "---" || marker == "...")
                            && (is_blankz(after) || after == '\0')
                        {
                            return Some(format!(
                                "yaml: line {}: found unexpected document indicator",
                                line + nels + 1
                            ));
                        }
                    } else if yaml_reader_rejects(chars[i]) {
                        return Some("yaml: control characters are not allowed".into());
                    }
                    i += 1;
                }
                let quoted_len = i + 1 - start;
                if expect_key && (nels > 0 || quoted_len > MAX_FLOW_SIMPLE_KEY) {
                    let at = line + nels;
                    let context = stack.last().map_or(0, |s| s.1);
                    let l = if at != 0 { at } else { context };
                    return Some(if l == 0 {
                        "yaml: did not find expected ',' or '}'".into()
                    } else {
                        format!("yaml: line {l}: did not find expected ',' or '}}'")
                    });
                }
                line += nels;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Goldens printed by kubectl 1.33 (`kubectl label --local -f obj.json k=v --overwrite -o yaml|json`,
    // and `kubectl get` against a stub apiserver for the List shapes).
    /// The docs page's terminating ServiceCIDR (reason fixed to `Terminating`), plus the
    /// last-applied-configuration annotation `kubectl apply` adds (a `|` literal).
    #[test]
    fn golden_terminating_servicecidr_with_last_applied() {
        let v: Value = serde_json::from_str(r####"{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"ServiceCIDR\",\"metadata\":{\"annotations\":{},\"name\":\"newcidr1\"},\"spec\":{\"cidrs\":[\"10.96.0.0/24\"]}}\n"},"creationTimestamp":"2023-10-12T15:11:07Z","deletionGracePeriodSeconds":0,"deletionTimestamp":"2023-10-12T15:12:45Z","finalizers":["networking.k8s.io/service-cidr-finalizer"],"labels":{"keep":"x"},"name":"newcidr1","resourceVersion":"1133","uid":"5ffd8afe-c78f-4e60-ae76-cec448a8af40"},"spec":{"cidrs":["10.96.0.0/24"]},"status":{"conditions":[{"lastTransitionTime":"2023-10-12T15:12:45Z","message":"There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR","reason":"Terminating","status":"False","type":"Ready"}]}}"####).unwrap();
        assert_eq!(
            to_yaml(&v),
            r####"apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"annotations":{},"name":"newcidr1"},"spec":{"cidrs":["10.96.0.0/24"]}}
  creationTimestamp: "2023-10-12T15:11:07Z"
  deletionGracePeriodSeconds: 0
  deletionTimestamp: "2023-10-12T15:12:45Z"
  finalizers:
  - networking.k8s.io/service-cidr-finalizer
  labels:
    keep: x
  name: newcidr1
  resourceVersion: "1133"
  uid: 5ffd8afe-c78f-4e60-ae76-cec448a8af40
spec:
  cidrs:
  - 10.96.0.0/24
status:
  conditions:
  - lastTransitionTime: "2023-10-12T15:12:45Z"
    message: There are still IPAddresses referencing the ServiceCIDR, please remove
      them or create a new ServiceCIDR
    reason: Terminating
    status: "False"
    type: Ready
"####
        );
        assert_eq!(
            to_json(&v),
            r####"{
    "apiVersion": "networking.k8s.io/v1",
    "kind": "ServiceCIDR",
    "metadata": {
        "annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"ServiceCIDR\",\"metadata\":{\"annotations\":{},\"name\":\"newcidr1\"},\"spec\":{\"cidrs\":[\"10.96.0.0/24\"]}}\n"
        },
        "creationTimestamp": "2023-10-12T15:11:07Z",
        "deletionGracePeriodSeconds": 0,
        "deletionTimestamp": "2023-10-12T15:12:45Z",
        "finalizers": [
            "networking.k8s.io/service-cidr-finalizer"
        ],
        "labels": {
            "keep": "x"
        },
        "name": "newcidr1",
        "resourceVersion": "1133",
        "uid": "5ffd8afe-c78f-4e60-ae76-cec448a8af40"
    },
    "spec": {
        "cidrs": [
            "10.96.0.0/24"
        ]
    },
    "status": {
        "conditions": [
            {
                "lastTransitionTime": "2023-10-12T15:12:45Z",
                "message": "There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR",
                "reason": "Terminating",
                "status": "False",
                "type": "Ready"
            }
        ]
    }
}
"####
        );
    }

    /// Plain, quoted, literal and folded scalars: YAML 1.1 look-alikes, indicators,
    /// leading/trailing spaces, breaks, unicode, escapes, 80-column folding.
    #[test]
    fn golden_scalar_styles() {
        let v: Value = serde_json::from_str(r####"{"apiVersion":"v1","data":{"k000":"yes","k001":"y","k002":"Y","k003":"n","k004":"no","k005":"on","k006":"off","k007":"On","k008":"OFF","k009":"true","k010":"True","k011":"TRUE","k012":"false","k013":"null","k014":"Null","k015":"NULL","k016":"~","k017":"","k018":"1133","k019":"-1","k020":"+1","k021":"0x1F","k022":"0o17","k023":"017","k024":"08","k025":"1_000","k026":"1.5","k027":"1e3","k028":"1e400","k029":".5","k030":".inf","k031":".Inf","k032":".iNf","k033":"-.inf","k034":".nan","k035":"1:20","k036":"1:2:3","k037":"2001:db8::1","k038":"::1","k039":"fd00::/112","k040":"10.96.0.0/24","k041":"2023-10-12T15:11:07Z","k042":"2023-10-12","k043":"2023-1-2","k044":"2023-13-01","k045":"2023-02-30","k046":"2023-10-12 15:11:07","k047":"2023-10-12t15:11:07Z","k048":"2023-10-12T15:11:07.5+02:00","k049":"20231012","k050":"a: b","k051":"a:b","k052":"a :b","k053":"a #b","k054":"a#b","k055":"#a","k056":"- a","k057":"-a","k058":"-","k059":"--","k060":"---","k061":"--- a","k062":"...","k063":"? a","k064":"?a","k065":":a","k066":": a","k067":"a:","k068":"a: ","k069":"*a","k070":"&a","k071":"!a","k072":"|a","k073":">a","k074":"'a","k075":"\"a","k076":"%a","k077":"@a","k078":"`a","k079":"a,b","k080":"[a","k081":"a]","k082":"{a","k083":"a}","k084":"a b","k085":"a  b","k086":" a","k087":"a ","k088":" ","k089":"\t","k090":"a\tb","k091":"a\nb","k092":"a\n","k093":"a\n\n","k094":"\na","k095":"\n","k096":" a\nb","k097":"a \nb","k098":"a\n b","k099":"a\r\nb","k100":"日本語","k101":"é","k102":"😀","k103":"a b","k104":" ","k105":"<>&","k106":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","k107":"word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word ","k108":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b","k109":"a bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb c","k110":"There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR","k111":"{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"ServiceCIDR\",\"metadata\":{\"annotations\":{},\"name\":\"newcidr1\"},\"spec\":{\"cidrs\":[\"10.96.0.0/24\"]}}\n","k112":"<<","k113":"=","k114":"0","k115":"-0","k116":"+","k117":"0b101","k118":"0xZZ","k119":"1e","k120":"e1","k121":"1.","k122":"1.2.3","k123":"12:30:45","k124":"-1:30","k125":"0.","k126":"00","k127":"1__2","k128":"_1","k129":"1_","k130":"12e3","k131":"1E3","k132":"+.5","k133":"-.5","k134":"1,000","k135":"$x","k136":"a'b","k137":"a\"b","k138":"a\\b","k139":"line1\nline2\n","k140":"  leading\nx\n","k141":"trailing space \nx","k142":"x\n\n\n","k143":"\ttab\nx\n","k144":"ab","k145":"\u0001","k146":"\u001b[0m","k147":"﻿bom","k148":"a    b c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c","k149":"folded text with multiple  double spaces and some more words to make it longer than eighty columns wide ok","k150":"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu vvvv","k151":"yes: no","k152":"a: \"b\"","k153":"a\\nb"},"kind":"ConfigMap","metadata":{"labels":{"keep":"x"},"name":"t"}}"####).unwrap();
        assert_eq!(
            to_yaml(&v),
            r####"apiVersion: v1
data:
  k000: "yes"
  k001: "y"
  k002: "Y"
  k003: "n"
  k004: "no"
  k005: "on"
  k006: "off"
  k007: "On"
  k008: "OFF"
  k009: "true"
  k010: "True"
  k011: "TRUE"
  k012: "false"
  k013: "null"
  k014: "Null"
  k015: "NULL"
  k016: "~"
  k017: ""
  k018: "1133"
  k019: "-1"
  k020: "+1"
  k021: "0x1F"
  k022: "0o17"
  k023: "017"
  k024: "08"
  k025: "1_000"
  k026: "1.5"
  k027: "1e3"
  k028: 1e400
  k029: ".5"
  k030: ".inf"
  k031: ".Inf"
  k032: .iNf
  k033: "-.inf"
  k034: ".nan"
  k035: "1:20"
  k036: "1:2:3"
  k037: 2001:db8::1
  k038: ::1
  k039: fd00::/112
  k040: 10.96.0.0/24
  k041: "2023-10-12T15:11:07Z"
  k042: "2023-10-12"
  k043: "2023-1-2"
  k044: 2023-13-01
  k045: 2023-02-30
  k046: "2023-10-12 15:11:07"
  k047: "2023-10-12t15:11:07Z"
  k048: "2023-10-12T15:11:07.5+02:00"
  k049: "20231012"
  k050: 'a: b'
  k051: a:b
  k052: a :b
  k053: 'a #b'
  k054: a#b
  k055: '#a'
  k056: '- a'
  k057: -a
  k058: '-'
  k059: --
  k060: '---'
  k061: '--- a'
  k062: '...'
  k063: '? a'
  k064: ?a
  k065: :a
  k066: ': a'
  k067: 'a:'
  k068: 'a: '
  k069: '*a'
  k070: '&a'
  k071: '!a'
  k072: '|a'
  k073: '>a'
  k074: '''a'
  k075: '"a'
  k076: '%a'
  k077: '@a'
  k078: '`a'
  k079: a,b
  k080: '[a'
  k081: a]
  k082: '{a'
  k083: a}
  k084: a b
  k085: a  b
  k086: ' a'
  k087: 'a '
  k088: ' '
  k089: "\t"
  k090: "a\tb"
  k091: |-
    a
    b
  k092: |
    a
  k093: |+
    a

  k094: |2-

    a
  k095: |2+

  k096: |2-
     a
    b
  k097: "a \nb"
  k098: |-
    a
     b
  k099: "a\r\nb"
  k100: 日本語
  k101: é
  k102: "\U0001F600"
  k103: 'a     b'
  k104:  
  k105: <>&
  k106: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
  k107: 'word word word word word word word word word word word word word word word
    word word word word word word word word word word word word word word word '
  k108: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    b
  k109: a bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
    c
  k110: There are still IPAddresses referencing the ServiceCIDR, please remove them
    or create a new ServiceCIDR
  k111: |
    {"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"annotations":{},"name":"newcidr1"},"spec":{"cidrs":["10.96.0.0/24"]}}
  k112: <<
  k113: =
  k114: "0"
  k115: "-0"
  k116: +
  k117: "0b101"
  k118: 0xZZ
  k119: 1e
  k120: e1
  k121: "1."
  k122: 1.2.3
  k123: "12:30:45"
  k124: "-1:30"
  k125: "0."
  k126: "00"
  k127: "1__2"
  k128: _1
  k129: "1_"
  k130: "12e3"
  k131: "1E3"
  k132: "+.5"
  k133: "-.5"
  k134: 1,000
  k135: $x
  k136: a'b
  k137: a"b
  k138: a\b
  k139: |
    line1
    line2
  k140: |2
      leading
    x
  k141: "trailing space \nx"
  k142: |+
    x


  k143: "\ttab\nx\n"
  k144: a b
  k145: "\x01"
  k146: "\e[0m"
  k147: "\uFEFF\x62\x6F\x6D"
  k148: a    b c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
    c c c c c c
  k149: folded text with multiple  double spaces and some more words to make it longer
    than eighty columns wide ok
  k150: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo
    pppp qqqq rrrr ssss tttt uuuu vvvv
  k151: 'yes: no'
  k152: 'a: "b"'
  k153: a\nb
kind: ConfigMap
metadata:
  labels:
    keep: x
  name: t
"####
        );
        assert_eq!(
            to_json(&v),
            r####"{
    "apiVersion": "v1",
    "data": {
        "k000": "yes",
        "k001": "y",
        "k002": "Y",
        "k003": "n",
        "k004": "no",
        "k005": "on",
        "k006": "off",
        "k007": "On",
        "k008": "OFF",
        "k009": "true",
        "k010": "True",
        "k011": "TRUE",
        "k012": "false",
        "k013": "null",
        "k014": "Null",
        "k015": "NULL",
        "k016": "~",
        "k017": "",
        "k018": "1133",
        "k019": "-1",
        "k020": "+1",
        "k021": "0x1F",
        "k022": "0o17",
        "k023": "017",
        "k024": "08",
        "k025": "1_000",
        "k026": "1.5",
        "k027": "1e3",
        "k028": "1e400",
        "k029": ".5",
        "k030": ".inf",
        "k031": ".Inf",
        "k032": ".iNf",
        "k033": "-.inf",
        "k034": ".nan",
        "k035": "1:20",
        "k036": "1:2:3",
        "k037": "2001:db8::1",
        "k038": "::1",
        "k039": "fd00::/112",
        "k040": "10.96.0.0/24",
        "k041": "2023-10-12T15:11:07Z",
        "k042": "2023-10-12",
        "k043": "2023-1-2",
        "k044": "2023-13-01",
        "k045": "2023-02-30",
        "k046": "2023-10-12 15:11:07",
        "k047": "2023-10-12t15:11:07Z",
        "k048": "2023-10-12T15:11:07.5+02:00",
        "k049": "20231012",
        "k050": "a: b",
        "k051": "a:b",
        "k052": "a :b",
        "k053": "a #b",
        "k054": "a#b",
        "k055": "#a",
        "k056": "- a",
        "k057": "-a",
        "k058": "-",
        "k059": "--",
        "k060": "---",
        "k061": "--- a",
        "k062": "...",
        "k063": "? a",
        "k064": "?a",
        "k065": ":a",
        "k066": ": a",
        "k067": "a:",
        "k068": "a: ",
        "k069": "*a",
        "k070": "\u0026a",
        "k071": "!a",
        "k072": "|a",
        "k073": "\u003ea",
        "k074": "'a",
        "k075": "\"a",
        "k076": "%a",
        "k077": "@a",
        "k078": "`a",
        "k079": "a,b",
        "k080": "[a",
        "k081": "a]",
        "k082": "{a",
        "k083": "a}",
        "k084": "a b",
        "k085": "a  b",
        "k086": " a",
        "k087": "a ",
        "k088": " ",
        "k089": "\t",
        "k090": "a\tb",
        "k091": "a\nb",
        "k092": "a\n",
        "k093": "a\n\n",
        "k094": "\na",
        "k095": "\n",
        "k096": " a\nb",
        "k097": "a \nb",
        "k098": "a\n b",
        "k099": "a\r\nb",
        "k100": "日本語",
        "k101": "é",
        "k102": "😀",
        "k103": "a\u2028b",
        "k104": " ",
        "k105": "\u003c\u003e\u0026",
        "k106": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "k107": "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word ",
        "k108": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b",
        "k109": "a bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb c",
        "k110": "There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR",
        "k111": "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"ServiceCIDR\",\"metadata\":{\"annotations\":{},\"name\":\"newcidr1\"},\"spec\":{\"cidrs\":[\"10.96.0.0/24\"]}}\n",
        "k112": "\u003c\u003c",
        "k113": "=",
        "k114": "0",
        "k115": "-0",
        "k116": "+",
        "k117": "0b101",
        "k118": "0xZZ",
        "k119": "1e",
        "k120": "e1",
        "k121": "1.",
        "k122": "1.2.3",
        "k123": "12:30:45",
        "k124": "-1:30",
        "k125": "0.",
        "k126": "00",
        "k127": "1__2",
        "k128": "_1",
        "k129": "1_",
        "k130": "12e3",
        "k131": "1E3",
        "k132": "+.5",
        "k133": "-.5",
        "k134": "1,000",
        "k135": "$x",
        "k136": "a'b",
        "k137": "a\"b",
        "k138": "a\\b",
        "k139": "line1\nline2\n",
        "k140": "  leading\nx\n",
        "k141": "trailing space \nx",
        "k142": "x\n\n\n",
        "k143": "\ttab\nx\n",
        "k144": "ab",
        "k145": "\u0001",
        "k146": "\u001b[0m",
        "k147": "﻿bom",
        "k148": "a    b c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c",
        "k149": "folded text with multiple  double spaces and some more words to make it longer than eighty columns wide ok",
        "k150": "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu vvvv",
        "k151": "yes: no",
        "k152": "a: \"b\"",
        "k153": "a\\nb"
    },
    "kind": "ConfigMap",
    "metadata": {
        "labels": {
            "keep": "x"
        },
        "name": "t"
    }
}
"####
        );
    }

    /// go-yaml's natural key order, `? key` for long or multi-line keys, numbers and
    /// nested empty collections.
    #[test]
    fn golden_key_order_complex_keys_numbers() {
        let v: Value = serde_json::from_str(r####"{"apiVersion":"v1","data":{"":"v","-x":"v","1":"v","10":"v","2":"v","A":"v","Ab":"v","_x":"v","a-b":"v","a.b":"v","a/b":"v","a001":"v","a01":"v","a1":"v","a10":"v","a9":"v","a:":"v","aB":"v","a_b":"v","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":"v","b":"v","longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong":"v","on":"v","x\ny":"v","x y":"v","yes":"v","yes: no":"v","zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz":"v","日本":"v"},"kind":"ConfigMap","metadata":{"labels":{"keep":"x"},"name":"t2"},"nested":{"emptystr":"","list":[{"x":1},[1,2],"s"],"m":{"n":{"o":"deep"}}},"nums":[1,-2,1.5,1e+21,1e-07,1e-06,123456789.5,1234567,true,false,null,[],{},[[1,[]]],[{"a":1,"b":[{"c":{}}]}],18446744073709552000,9007199254740993]}"####).unwrap();
        assert_eq!(
            to_yaml(&v),
            r####"apiVersion: v1
data:
  "": v
  -x: v
  _x: v
  "1": v
  "2": v
  "10": v
  A: v
  Ab: v
  a-b: v
  a.b: v
  a/b: v
  'a:': v
  a_b: v
  a1: v
  a01: v
  a001: v
  a9: v
  a10: v
  aB: v
  ? aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  : v
  b: v
  ? longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong
  : v
  "on": v
  ? |-
    x
    y
  : v
  x y: v
  "yes": v
  'yes: no': v
  ? zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz
  : v
  日本: v
kind: ConfigMap
metadata:
  labels:
    keep: x
  name: t2
nested:
  emptystr: ""
  list:
  - x: 1
  - - 1
    - 2
  - s
  m:
    "n":
      o: deep
nums:
- 1
- -2
- 1.5
- 1e+21
- 1e-07
- 1e-06
- 1.234567895e+08
- 1234567
- true
- false
- null
- []
- {}
- - - 1
    - []
- - a: 1
    b:
    - c: {}
- 1.8446744073709552e+19
- 9007199254740993
"####
        );
        assert_eq!(
            to_json(&v),
            r####"{
    "apiVersion": "v1",
    "data": {
        "": "v",
        "-x": "v",
        "1": "v",
        "10": "v",
        "2": "v",
        "A": "v",
        "Ab": "v",
        "_x": "v",
        "a-b": "v",
        "a.b": "v",
        "a/b": "v",
        "a001": "v",
        "a01": "v",
        "a1": "v",
        "a10": "v",
        "a9": "v",
        "a:": "v",
        "aB": "v",
        "a_b": "v",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": "v",
        "b": "v",
        "longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong": "v",
        "on": "v",
        "x\ny": "v",
        "x y": "v",
        "yes": "v",
        "yes: no": "v",
        "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz": "v",
        "日本": "v"
    },
    "kind": "ConfigMap",
    "metadata": {
        "labels": {
            "keep": "x"
        },
        "name": "t2"
    },
    "nested": {
        "emptystr": "",
        "list": [
            {
                "x": 1
            },
            [
                1,
                2
            ],
            "s"
        ],
        "m": {
            "n": {
                "o": "deep"
            }
        }
    },
    "nums": [
        1,
        -2,
        1.5,
        1e+21,
        1e-7,
        0.000001,
        123456789.5,
        1234567,
        true,
        false,
        null,
        [],
        {},
        [
            [
                1,
                []
            ]
        ],
        [
            {
                "a": 1,
                "b": [
                    {
                        "c": {}
                    }
                ]
            }
        ],
        18446744073709552000,
        9007199254740993
    ]
}
"####
        );
    }

    /// Which timestamp, int and float look-alikes go-yaml quotes.
    #[test]
    fn golden_timestamps_ints_floats_in_strings() {
        let v: Value = serde_json::from_str(r####"{"apiVersion":"v1","data":{"k000":"2023-10-12T15:11:07","k001":"2023-10-12T15:11:07.123456789123Z","k002":"2023-10-12T15:11:07,5Z","k003":"2023-10-12T24:00:00Z","k004":"2023-10-12T1:2:3Z","k005":"2023-10-12T15:11:07+0200","k006":"2023-10-12T15:11:07+25:00","k007":"2024-02-29","k008":"2023-02-29","k009":"2023-10-12 15:11","k010":"2023-10-12  15:11:07","k011":"0000-01-01","k012":"9999-12-31","k013":"2023-10-12T15:11:60Z","k014":"2023-1-012","k015":"+2023-10-12","k016":"12345-10-12","k017":"0x","k018":"0X1f","k019":"-0x10","k020":"+0b11","k021":"0B11","k022":"0o","k023":"0O7","k024":"-0o7","k025":"00x1","k026":"0_x1","k027":"9223372036854775807","k028":"9223372036854775808","k029":"18446744073709551615","k030":"18446744073709551616","k031":"-9223372036854775808","k032":"-9223372036854775809","k033":"1e-400","k034":".5e400","k035":".5e-400","k036":"1:60","k037":"1:59","k038":"1:5:9.5","k039":"+1:00","k040":"1__:20","k041":"1:2_","k042":"1.e5","k043":"1.5e","k044":"infinity","k045":"inf","k046":"nan","k047":"NaN","k048":"Inf","k049":"-inf","k050":"+inf","k051":"a: b: c","k052":"x:\ty","k053":"x#","k054":"a #","k055":"a\t#b","k056":" #","k057":"#","k058":"key:value","k059":"-- -","k060":"- -"},"kind":"ConfigMap","metadata":{"labels":{"keep":"x"},"name":"t"}}"####).unwrap();
        assert_eq!(
            to_yaml(&v),
            r####"apiVersion: v1
data:
  k000: 2023-10-12T15:11:07
  k001: "2023-10-12T15:11:07.123456789123Z"
  k002: "2023-10-12T15:11:07,5Z"
  k003: 2023-10-12T24:00:00Z
  k004: "2023-10-12T1:2:3Z"
  k005: 2023-10-12T15:11:07+0200
  k006: 2023-10-12T15:11:07+25:00
  k007: "2024-02-29"
  k008: 2023-02-29
  k009: 2023-10-12 15:11
  k010: "2023-10-12  15:11:07"
  k011: "0000-01-01"
  k012: "9999-12-31"
  k013: 2023-10-12T15:11:60Z
  k014: 2023-1-012
  k015: +2023-10-12
  k016: 12345-10-12
  k017: 0x
  k018: "0X1f"
  k019: "-0x10"
  k020: "+0b11"
  k021: "0B11"
  k022: 0o
  k023: "0O7"
  k024: "-0o7"
  k025: 00x1
  k026: "0_x1"
  k027: "9223372036854775807"
  k028: "9223372036854775808"
  k029: "18446744073709551615"
  k030: "18446744073709551616"
  k031: "-9223372036854775808"
  k032: "-9223372036854775809"
  k033: "1e-400"
  k034: .5e400
  k035: ".5e-400"
  k036: 1:60
  k037: "1:59"
  k038: "1:5:9.5"
  k039: "+1:00"
  k040: "1__:20"
  k041: 1:2_
  k042: "1.e5"
  k043: 1.5e
  k044: infinity
  k045: inf
  k046: nan
  k047: NaN
  k048: Inf
  k049: -inf
  k050: +inf
  k051: 'a: b: c'
  k052: "x:\ty"
  k053: x#
  k054: 'a #'
  k055: "a\t#b"
  k056: ' #'
  k057: '#'
  k058: key:value
  k059: -- -
  k060: '- -'
kind: ConfigMap
metadata:
  labels:
    keep: x
  name: t
"####
        );
    }

    #[test]
    fn golden_list_wrapper() {
        let items: Vec<Value> = serde_json::from_str(r####"[{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","labels":{"a":"1","b":"2"},"name":"kubernetes","resourceVersion":"12","uid":"u1"},"spec":{"cidrs":["10.96.0.0/28"]},"status":{"conditions":[{"lastTransitionTime":"2023-10-12T15:12:45Z","message":"Kubernetes Service CIDR is ready","reason":"","status":"True","type":"Ready"}]}},{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"creationTimestamp":"2023-10-12T15:11:07Z","name":"newcidr1","resourceVersion":"1133"},"spec":{"cidrs":["10.96.0.0/24","fd00::/112"]}}]"####).unwrap();
        let list = list_object(items);
        assert_eq!(
            to_yaml(&list),
            r####"apiVersion: v1
items:
- apiVersion: networking.k8s.io/v1
  kind: ServiceCIDR
  metadata:
    creationTimestamp: "2023-10-12T15:11:07Z"
    labels:
      a: "1"
      b: "2"
    name: kubernetes
    resourceVersion: "12"
    uid: u1
  spec:
    cidrs:
    - 10.96.0.0/28
  status:
    conditions:
    - lastTransitionTime: "2023-10-12T15:12:45Z"
      message: Kubernetes Service CIDR is ready
      reason: ""
      status: "True"
      type: Ready
- apiVersion: networking.k8s.io/v1
  kind: ServiceCIDR
  metadata:
    creationTimestamp: "2023-10-12T15:11:07Z"
    name: newcidr1
    resourceVersion: "1133"
  spec:
    cidrs:
    - 10.96.0.0/24
    - fd00::/112
kind: List
metadata:
  resourceVersion: ""
"####
        );
        assert_eq!(
            to_json(&list),
            r####"{
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "ServiceCIDR",
            "metadata": {
                "creationTimestamp": "2023-10-12T15:11:07Z",
                "labels": {
                    "a": "1",
                    "b": "2"
                },
                "name": "kubernetes",
                "resourceVersion": "12",
                "uid": "u1"
            },
            "spec": {
                "cidrs": [
                    "10.96.0.0/28"
                ]
            },
            "status": {
                "conditions": [
                    {
                        "lastTransitionTime": "2023-10-12T15:12:45Z",
                        "message": "Kubernetes Service CIDR is ready",
                        "reason": "",
                        "status": "True",
                        "type": "Ready"
                    }
                ]
            }
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "ServiceCIDR",
            "metadata": {
                "creationTimestamp": "2023-10-12T15:11:07Z",
                "name": "newcidr1",
                "resourceVersion": "1133"
            },
            "spec": {
                "cidrs": [
                    "10.96.0.0/24",
                    "fd00::/112"
                ]
            }
        }
    ],
    "kind": "List",
    "metadata": {
        "resourceVersion": ""
    }
}
"####
        );
    }

    #[test]
    fn golden_empty_list() {
        let list = list_object(Vec::new());
        assert_eq!(
            to_yaml(&list),
            "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
        );
        assert_eq!(
            to_json(&list),
            "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
        );
    }

    fn cm(data: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"labels": {"keep": "x"}, "name": "t"}, "data": data})
    }

    // kubectl's own failures when go-yaml cannot read back the JSON (goldens).
    #[test]
    fn reread_errors_match_kubectl() {
        let cases = [
            (
                json!({"a": "x\u{85}--- y"}),
                "yaml: line 2: found unexpected document indicator",
            ),
            (
                json!({"a": "x\u{85}\u{85}... y", "b": "\u{85}--- "}),
                "yaml: line 3: found unexpected document indicator",
            ),
            (
                json!({"k": "\u{7f}"}),
                "yaml: control characters are not allowed",
            ),
            (
                json!({"a": "x\u{85}y", "b\u{85}c": "v"}),
                "yaml: line 2: did not find expected ',' or '}'",
            ),
            (
                json!({"z": "x\u{85}y", "a\u{85}c": "v"}),
                "yaml: line 1: did not find expected ',' or '}'",
            ),
        ];
        for (data, want) in cases {
            assert_eq!(
                to_yaml_checked(&cm(data.clone())),
                Err(want.to_string()),
                "{data}"
            );
        }
    }

    #[test]
    fn simple_key_limit_is_1024_chars_of_json() {
        let ok = cm(json!({"a".repeat(1022): "v"}));
        assert!(to_yaml_checked(&ok)
            .unwrap()
            .contains(&format!("  ? {}\n  : v\n", "a".repeat(1022))));
        let bad = cm(json!({"a".repeat(1023): "v"}));
        assert_eq!(
            to_yaml_checked(&bad),
            Err("yaml: did not find expected ',' or '}'".into())
        );
        // Characters, not bytes, count; but JSON escapes do.
        assert!(to_yaml_checked(&cm(json!({"é".repeat(1020): "v"}))).is_ok());
        assert!(to_yaml_checked(&cm(json!({"<".repeat(200): "v"}))).is_err());
    }

    #[test]
    fn nel_is_folded_like_a_yaml_line_break() {
        let out = to_yaml(&cm(json!({"a": "x \u{85} y", "b": "x\u{85}\u{85}\u{85}y"})));
        assert!(out.contains("  a: x y\n  b: |-\n    x\n\n    y\n"), "{out}");
    }

    #[test]
    fn go_float_formats() {
        assert_eq!(go_format_g(1.5), "1.5");
        assert_eq!(go_format_g(1e21), "1e+21");
        assert_eq!(go_format_g(1e-7), "1e-07");
        assert_eq!(go_format_g(0.000001), "1e-06");
        assert_eq!(go_format_g(0.0001), "0.0001");
        assert_eq!(go_format_g(123456.0), "123456");
        assert_eq!(go_format_g(1234567.0), "1.234567e+06");
        assert_eq!(go_format_g(-2.5e-300), "-2.5e-300");
        assert_eq!(go_format_g(0.0), "0");
        assert_eq!(go_json_float(1e21), "1e+21");
        assert_eq!(go_json_float(1e-7), "1e-7");
        assert_eq!(go_json_float(0.000001), "0.000001");
        assert_eq!(go_json_float(123456789.5), "123456789.5");
        assert_eq!(go_json_float(1.8446744073709552e19), "18446744073709552000");
        assert_eq!(go_json_float(-0.0), "-0");
    }

    #[test]
    fn numbers_keep_kubectl_types() {
        let v = json!([1, -2, 1.5, 1e21, 1e-7, 0.000001, 1.0, 1e20, u64::MAX]);
        assert_eq!(
            to_yaml(&v),
            "- 1\n- -2\n- 1.5\n- 1e+21\n- 1e-07\n- 1e-06\n- 1\n- 1e+20\n- 1.8446744073709552e+19\n"
        );
        assert_eq!(
            to_json_compact(&v),
            "[1,-2,1.5,1e+21,1e-7,0.000001,1,100000000000000000000,18446744073709552000]"
        );
    }

    #[test]
    fn resolver_matches_go_yaml_v2() {
        assert_eq!(resolve_plain("yes"), Resolved::Bool(true));
        assert_eq!(resolve_plain("Off"), Resolved::Bool(false));
        assert_eq!(resolve_plain("~"), Resolved::Null);
        assert_eq!(resolve_plain(""), Resolved::Null);
        assert_eq!(resolve_plain("0x1F"), Resolved::Int(31));
        assert_eq!(resolve_plain("-0x10"), Resolved::Int(-16));
        assert_eq!(resolve_plain("017"), Resolved::Int(15));
        assert_eq!(resolve_plain("0o17"), Resolved::Int(15));
        assert_eq!(resolve_plain("0b101"), Resolved::Int(5));
        assert_eq!(resolve_plain("1_000"), Resolved::Int(1000));
        assert_eq!(
            resolve_plain("-9223372036854775808"),
            Resolved::Int(i64::MIN)
        );
        assert_eq!(
            resolve_plain("18446744073709551615"),
            Resolved::Uint(u64::MAX)
        );
        assert_eq!(resolve_plain("08"), Resolved::Float(8.0));
        assert_eq!(resolve_plain("1e400"), Resolved::Str);
        assert_eq!(resolve_plain(".5"), Resolved::Float(0.5));
        assert_eq!(resolve_plain("2023-10-12T15:11:07Z"), Resolved::Timestamp);
        assert_eq!(resolve_plain("2023-02-30"), Resolved::Str);
        assert_eq!(resolve_plain("2023-10-12T15:11:07"), Resolved::Str);
        assert_eq!(resolve_plain("2024-02-29"), Resolved::Timestamp);
        assert_eq!(resolve_plain("<<"), Resolved::Str);
        assert_eq!(resolve_plain("inf"), Resolved::Str);
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("-1:30.5"));
        assert!(!is_base60_float("1:60"));
        assert!(!is_base60_float("2001:db8::1"));
    }

    #[test]
    fn key_order_is_go_yaml_natural_order() {
        let mut keys = vec![
            "a10", "a9", "a_b", "aB", "A", "a1", "a01", "", "-x", "_x", "10", "2", "b",
        ];
        merge_sort_by(&mut keys, |a, b| go_yaml_key_cmp(a, b) == Ordering::Greater);
        assert_eq!(
            keys,
            ["", "-x", "_x", "2", "10", "A", "a_b", "a1", "a01", "a9", "a10", "aB", "b"]
        );
        // JSON output stays bytewise.
        let v = json!({"a10": 1, "a9": 2, "A": 3});
        assert_eq!(to_json_compact(&v), "{\"A\":3,\"a10\":1,\"a9\":2}");
        assert_eq!(to_yaml(&v), "A: 3\na9: 2\na10: 1\n");
    }

    #[test]
    fn non_transitive_key_order_does_not_panic() {
        // go-yaml's comparison is cyclic on these; kubectl's output order then
        // varies from run to run. Any order is acceptable, a panic is not.
        let mut m = Map::new();
        for k in [
            "09y", "0x1f", "9\"", "0\"e", "1:2", "9Z", "0", "00", "x0", "x00a", "x0b",
        ] {
            m.insert(k.to_string(), json!(1));
        }
        let out = to_yaml(&Value::Object(m));
        assert_eq!(out.lines().count(), 11);
    }

    #[test]
    fn json_escaping_is_gos() {
        let v = json!({"s": "<>&\u{2028}\u{2029}\u{8}\u{c}\u{1}\u{7f}\t\"\\é😀"});
        assert_eq!(
            to_json(&v),
            "{\n    \"s\": \"\\u003c\\u003e\\u0026\\u2028\\u2029\\b\\f\\u0001\u{7f}\\t\\\"\\\\é😀\"\n}\n"
        );
    }

    #[test]
    fn scalars_and_collections_at_the_root() {
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(to_yaml(&json!([])), "[]\n");
        assert_eq!(to_yaml(&json!("x")), "x\n");
        assert_eq!(
            to_yaml(&json!([[1, []], {"a": {}}])),
            "- - 1\n  - []\n- a: {}\n"
        );
        assert_eq!(to_json(&json!({})), "{}\n");
        assert_eq!(to_json(&json!(null)), "null\n");
    }
}
