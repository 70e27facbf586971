//! Go's fmt as templates use it: `%v` of decoded JSON (`map[k:v]`, `[a b]`,
//! `<nil>`, float64 in `%g` form with exponents from 1e+06 on), Sprint's
//! spacing rule, Sprintln, and Sprintf's verbs with its `%!d(string=x)`
//! complaints for mismatched operands.

use super::exec::V;
use crate::jsonpath::go_quote;
use serde_json::Value;

/// The dynamic Go type of a value, as fmt and text/template name it.
pub fn go_type(v: &V) -> String {
    match v {
        V::Invalid | V::J(Value::Null) => "<nil>".into(),
        V::J(Value::Bool(_)) | V::Bool(_) => "bool".into(),
        V::J(Value::Number(n)) if n.is_i64() => "int64".into(),
        V::J(Value::Number(n)) if n.is_u64() => "uint64".into(),
        V::J(Value::Number(_)) | V::Float(_) => "float64".into(),
        V::J(Value::String(_)) | V::Str(_) => "string".into(),
        V::J(Value::Array(_)) => "[]interface {}".into(),
        V::J(Value::Object(_)) => "map[string]interface {}".into(),
        V::Int(_) => "int".into(),
    }
}

/// strconv.FormatFloat(f, 'g', -1, 64), which `%v` prints: the shortest
/// digits, in exponent form when the decimal exponent is < -4 or >= 6 (so a
/// float 1000000 prints `1e+06`, as kubectl shows it).
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: d[.ddd]e[-]x.
    let e = format!("{:e}", f.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let mut m = digits[..1].to_string();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let es = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    let n = digits.len() as i32;
    let body = if exp >= n - 1 {
        format!("{digits}{}", "0".repeat((exp - (n - 1)) as usize))
    } else if exp >= 0 {
        let (a, b) = digits.split_at((exp + 1) as usize);
        format!("{a}.{b}")
    } else {
        format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
    };
    format!("{sign}{body}")
}

fn json_v(out: &mut String, v: &Value, verb: char) {
    match v {
        Value::Null => out.push_str("<nil>"),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                one(out, &V::J(x.clone()), verb, &Spec::default());
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push_str("map[");
            let mut keys: Vec<&String> = m.keys().collect();
            servicecidr_core::sort::sort(&mut keys);
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                one(out, &V::Str(k.clone()), verb, &Spec::default());
                out.push(':');
                one(out, &V::J(m[k].clone()), verb, &Spec::default());
            }
            out.push(']');
        }
        other => one(out, &V::J(other.clone()), verb, &Spec::default()),
    }
}

/// `%v` of a value.
pub fn value_string(v: &V) -> String {
    let mut s = String::new();
    one(&mut s, v, 'v', &Spec::default());
    s
}

fn is_string(v: &V) -> bool {
    matches!(v, V::Str(_) | V::J(Value::String(_)))
}

/// fmt.Sprint: a space between operands when neither side is a string.
pub fn sprint(args: &[V]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !is_string(a) && !is_string(&args[i - 1]) {
            out.push(' ');
        }
        out.push_str(&value_string(a));
    }
    out
}

/// fmt.Sprintln: spaces always, and a newline.
pub fn sprintln(args: &[V]) -> String {
    let parts: Vec<String> = args.iter().map(value_string).collect();
    format!("{}\n", parts.join(" "))
}

#[derive(Default, Clone)]
struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    zero: bool,
    sharp: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

fn pad(out: &mut String, s: &str, spec: &Spec, numeric: bool) {
    let len = s.chars().count();
    let w = spec.width.unwrap_or(0);
    if len >= w {
        out.push_str(s);
        return;
    }
    let fill = w - len;
    if spec.minus {
        out.push_str(s);
        out.push_str(&" ".repeat(fill));
    } else if spec.zero && numeric {
        let (sign, digits) = match s.strip_prefix(['-', '+']) {
            Some(d) => (&s[..1], d),
            None => ("", s),
        };
        out.push_str(sign);
        out.push_str(&"0".repeat(fill));
        out.push_str(digits);
    } else {
        out.push_str(&" ".repeat(fill));
        out.push_str(s);
    }
}

fn bad_verb(out: &mut String, v: &V, verb: char) {
    match v {
        V::Invalid | V::J(Value::Null) => out.push_str(&format!("%!{verb}(<nil>)")),
        other => out.push_str(&format!(
            "%!{verb}({}={})",
            go_type(other),
            value_string(other)
        )),
    }
}

fn int_of(v: &V) -> Option<i128> {
    match v {
        V::Int(i) => Some(i128::from(*i)),
        V::J(Value::Number(n)) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        _ => None,
    }
}

fn float_of(v: &V) -> Option<f64> {
    match v {
        V::Float(f) => Some(*f),
        V::J(Value::Number(n)) if !(n.is_i64() || n.is_u64()) => n.as_f64(),
        _ => None,
    }
}

fn with_sign(s: String, spec: &Spec) -> String {
    if s.starts_with('-') {
        s
    } else if spec.plus {
        format!("+{s}")
    } else if spec.space {
        format!(" {s}")
    } else {
        s
    }
}

/// One operand under one verb.
fn one(out: &mut String, v: &V, verb: char, spec: &Spec) {
    // Composite values format their elements with the same verb.
    if let V::J(j @ (Value::Array(_) | Value::Object(_))) = v {
        let mut s = String::new();
        json_v(&mut s, j, verb);
        pad(out, &s, spec, false);
        return;
    }
    let s = match verb {
        'v' => match v {
            V::Invalid | V::J(Value::Null) => "<nil>".to_string(),
            V::Str(s) | V::J(Value::String(s)) => s.clone(),
            V::Bool(b) | V::J(Value::Bool(b)) => b.to_string(),
            _ => {
                if let Some(i) = int_of(v) {
                    with_sign(i.to_string(), spec)
                } else if let Some(f) = float_of(v) {
                    with_sign(format_float(f), spec)
                } else {
                    String::new()
                }
            }
        },
        's' => match v {
            V::Str(s) | V::J(Value::String(s)) => match spec.prec {
                Some(p) => s.chars().take(p).collect(),
                None => s.clone(),
            },
            _ => return bad_verb(out, v, verb),
        },
        'q' => match v {
            V::Str(s) | V::J(Value::String(s)) => {
                if spec.sharp && !s.contains('`') {
                    format!("`{s}`")
                } else {
                    go_quote(s)
                }
            }
            _ => match int_of(v)
                .and_then(|i| u32::try_from(i).ok())
                .and_then(char::from_u32)
            {
                Some(c) => match c {
                    '\'' => "'\\''".to_string(),
                    '"' => "'\"'".to_string(),
                    c => {
                        let q = go_quote(&c.to_string());
                        format!("'{}'", &q[1..q.len() - 1])
                    }
                },
                None => return bad_verb(out, v, verb),
            },
        },
        'd' => match int_of(v) {
            Some(i) => with_sign(i.to_string(), spec),
            None => return bad_verb(out, v, verb),
        },
        'x' | 'X' => {
            let s = match v {
                V::Str(s) | V::J(Value::String(s)) => {
                    s.bytes().map(|b| format!("{b:02x}")).collect::<String>()
                }
                _ => match int_of(v) {
                    Some(i) if i < 0 => format!("-{:x}", -i),
                    Some(i) => format!("{i:x}"),
                    None => return bad_verb(out, v, verb),
                },
            };
            let s = if spec.sharp { format!("0x{s}") } else { s };
            if verb == 'X' {
                s.to_uppercase()
            } else {
                s
            }
        }
        'o' => match int_of(v) {
            Some(i) if i < 0 => format!("-{:o}", -i),
            Some(i) => format!("{i:o}"),
            None => return bad_verb(out, v, verb),
        },
        'b' => match int_of(v) {
            Some(i) if i < 0 => format!("-{:b}", -i),
            Some(i) => format!("{i:b}"),
            None => return bad_verb(out, v, verb),
        },
        'c' => match int_of(v).and_then(|i| u32::try_from(i).ok()) {
            Some(c) => char::from_u32(c).unwrap_or('\u{fffd}').to_string(),
            None => return bad_verb(out, v, verb),
        },
        't' => match v {
            V::Bool(b) | V::J(Value::Bool(b)) => b.to_string(),
            _ => return bad_verb(out, v, verb),
        },
        'f' | 'F' | 'e' | 'E' | 'g' | 'G' => match float_of(v) {
            Some(f) => {
                let s = match verb {
                    'f' | 'F' => format!("{:.*}", spec.prec.unwrap_or(6), f),
                    'e' | 'E' => go_exp(f, spec.prec.unwrap_or(6), verb == 'E'),
                    _ => format_float(f),
                };
                with_sign(s, spec)
            }
            None => return bad_verb(out, v, verb),
        },
        _ => return bad_verb(out, v, verb),
    };
    let numeric = matches!(
        verb,
        'd' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o' | 'b'
    ) || (verb == 'v' && (int_of(v).is_some() || float_of(v).is_some()));
    pad(out, &s, spec, numeric);
}

/// `%e`: d.dddddde+XX.
fn go_exp(f: f64, prec: usize, upper: bool) -> String {
    let s = format!("{:.*e}", prec, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let es = if e < 0 { '-' } else { '+' };
    let r = format!("{m}e{es}{:02}", e.abs());
    if upper {
        r.to_uppercase()
    } else {
        r
    }
}

/// fmt.Sprintf.
pub fn sprintf(format: &str, args: &[V]) -> String {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '0' => spec.zero = !spec.minus,
                '#' => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        let num = |chars: &mut std::iter::Peekable<std::str::Chars>| -> Option<usize> {
            let mut n: Option<usize> = None;
            while let Some(&d) = chars.peek() {
                let Some(dv) = d.to_digit(10) else { break };
                n = Some(
                    n.unwrap_or(0)
                        .saturating_mul(10)
                        .saturating_add(dv as usize)
                        .min(1 << 16),
                );
                chars.next();
            }
            n
        };
        spec.width = num(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.prec = Some(num(&mut chars).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        match args.get(next) {
            None => out.push_str(&format!("%!{verb}(MISSING)")),
            Some(a) => one(&mut out, a, verb, &spec),
        }
        next += 1;
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|a| match a {
                V::Invalid | V::J(Value::Null) => "<nil>".to_string(),
                other => format!("{}={}", go_type(other), value_string(other)),
            })
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

/// Go's base64.StdEncoding.DecodeString, with its error text.
pub fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    let bytes = s.as_bytes();
    let mut end = bytes.len();
    let mut pad = 0;
    while end > 0 && bytes[end - 1] == b'=' && pad < 2 {
        end -= 1;
        pad += 1;
    }
    for (i, &b) in bytes[..end].iter().enumerate() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("illegal base64 data at input byte {i}")),
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    if (end + pad) % 4 != 0 || (pad > 0 && end % 4 == 1) {
        return Err(format!(
            "illegal base64 data at input byte {}",
            bytes.len().min(end)
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_print_like_go_v() {
        assert_eq!(format_float(1_000_000.0), "1e+06");
        assert_eq!(format_float(123_456.0), "123456");
        assert_eq!(format_float(123_456_789.0), "1.23456789e+08");
        assert_eq!(format_float(1.5), "1.5");
        assert_eq!(format_float(0.0001), "0.0001");
        assert_eq!(format_float(0.00001), "1e-05");
        assert_eq!(format_float(1_234_567.0), "1.234567e+06");
    }

    #[test]
    fn printf_complains_like_go() {
        let port = V::J(json!(80));
        assert_eq!(sprintf("%s", std::slice::from_ref(&port)), "%!s(int64=80)");
        assert_eq!(
            sprintf("%d|%5d|%-4d|", &[port.clone(), port.clone(), port]),
            "80|   80|80  |"
        );
        assert_eq!(sprintf("%v", &[]), "%!v(MISSING)");
        assert_eq!(sprintf("x", &[V::Int(1)]), "x%!(EXTRA int=1)");
        assert_eq!(sprintf("%q", &[V::Str("a\"b".into())]), "\"a\\\"b\"");
        assert_eq!(sprintf("%s", &[V::Invalid]), "%!s(<nil>)");
    }

    #[test]
    fn sprint_spaces_between_non_strings() {
        assert_eq!(
            sprint(&[V::Int(1), V::Int(2), V::Str("a".into()), V::Int(3)]),
            "1 2a3"
        );
        assert_eq!(sprintln(&[V::Str("a".into()), V::Str("b".into())]), "a b\n");
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert!(base64_decode("a!").is_err());
    }
}
