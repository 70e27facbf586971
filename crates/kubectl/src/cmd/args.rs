//! Command-line handling the way kubectl's libraries do it: shell-style word
//! splitting for `cluster.kubectl(line)`, and pflag's flag grammar (long and
//! short forms, `=` or separate values, bool shorthand clusters, `--`), with
//! pflag's and strconv's error texts, because users see them verbatim.

use crate::jsonpath::go_quote;
use std::collections::BTreeMap;

/// Splits one command line into words with POSIX shell quoting rules
/// (single quotes literal; double quotes with `\"`, `\\`, `\$`, `` \` `` escapes;
/// backslash outside quotes escapes the next character). No expansion happens:
/// `cluster.kubectl()` takes one kubectl invocation, not a script.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.peek().copied() {
                            Some(n @ ('"' | '\\' | '$' | '`')) => {
                                cur.push(n);
                                chars.next();
                            }
                            Some('\n') => {
                                chars.next();
                            }
                            _ => cur.push('\\'),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                // A backslash-newline is a line continuation, not a character.
                Some('\n') => {}
                Some(ch) => {
                    in_word = true;
                    cur.push(ch);
                }
                None => {
                    in_word = true;
                    cur.push('\\');
                }
            },
            other => {
                in_word = true;
                cur.push(other);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// The value type of a flag, as pflag declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    Bool,
    Str,
    Int,
    /// StringSlice: each use may carry comma-separated values; uses accumulate.
    StrSlice,
    /// StringArray: each use is one value (no comma splitting).
    StrArray,
    Duration,
}

#[derive(Clone, Copy, Debug)]
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    /// pflag NoOptDefVal: the value a bare `--flag` takes (it then consumes no argument).
    pub no_opt_default: Option<&'static str>,
}

pub const fn flag(long: &'static str, short: Option<char>, kind: FlagKind) -> FlagSpec {
    FlagSpec {
        long,
        short,
        kind,
        no_opt_default: None,
    }
}

/// Flags every kubectl command accepts (kubectl's persistent root flags we honour
/// or tolerate: connection settings mean nothing to a simulated cluster).
pub const GLOBAL_FLAGS: &[FlagSpec] = &[
    flag("namespace", Some('n'), FlagKind::Str),
    flag("kubeconfig", None, FlagKind::Str),
    flag("context", None, FlagKind::Str),
    flag("cluster", None, FlagKind::Str),
    flag("user", None, FlagKind::Str),
    flag("server", Some('s'), FlagKind::Str),
    flag("request-timeout", None, FlagKind::Str),
    flag("v", Some('v'), FlagKind::Int),
    flag("insecure-skip-tls-verify", None, FlagKind::Bool),
    flag("warnings-as-errors", None, FlagKind::Bool),
    flag("help", Some('h'), FlagKind::Bool),
];

/// The result of parsing: positional arguments and every flag use, keyed by long name.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub positionals: Vec<String>,
    values: BTreeMap<&'static str, Vec<String>>,
    kinds: BTreeMap<&'static str, FlagKind>,
}

impl Parsed {
    pub fn changed(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// The last value given for a flag (pflag keeps the last for scalar flags).
    pub fn str(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    pub fn str_or<'a>(&'a self, long: &str, default: &'a str) -> &'a str {
        self.str(long).unwrap_or(default)
    }

    /// Bool flags were validated while parsing; a bad value never gets here.
    pub fn bool_or(&self, long: &str, default: bool) -> bool {
        match self.str(long) {
            Some(v) => parse_bool(v).unwrap_or(default),
            None => default,
        }
    }

    pub fn int(&self, long: &str) -> Option<i64> {
        self.str(long).and_then(|v| v.parse().ok())
    }

    /// Every value of a slice/array flag, in order (slices split on commas).
    pub fn list(&self, long: &str) -> Vec<String> {
        let Some(vals) = self.values.get(long) else {
            return Vec::new();
        };
        match self.kinds.get(long) {
            Some(FlagKind::StrSlice) => vals
                .iter()
                .flat_map(|v| {
                    if v.is_empty() {
                        Vec::new()
                    } else {
                        v.split(',').map(str::to_string).collect::<Vec<_>>()
                    }
                })
                .collect(),
            _ => vals.clone(),
        }
    }

    /// A Duration flag in milliseconds (validated while parsing).
    pub fn duration_ms(&self, long: &str) -> Option<i64> {
        self.str(long).and_then(|v| parse_go_duration_ms(v).ok())
    }
}

/// strconv.ParseBool.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go's time.ParseDuration, to milliseconds (sub-millisecond parts are dropped).
/// Errors carry Go's text: `time: invalid duration "x"`.
pub fn parse_go_duration_ms(s: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(s));
    let mut rest = s;
    let mut neg = false;
    if let Some(r) = rest.strip_prefix('-') {
        neg = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_end];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(invalid());
        }
        let value: f64 = num.parse().map_err(|_| invalid())?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = &rest[unit_end..];
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {}", go_quote(s))),
            other => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(other),
                    go_quote(s)
                ))
            }
        };
        total_ns += value * scale;
    }
    // Go limits durations to int64 nanoseconds (about 292 years).
    if total_ns > 9.2e18 {
        return Err(invalid());
    }
    let ms = (total_ns / 1e6).floor() as i64;
    Ok(if neg { -ms } else { ms })
}

/// A flag-parsing failure, in pflag's words (without cobra's usage hint).
#[derive(Clone, Debug, PartialEq)]
pub struct FlagError(pub String);

fn find_long<'a>(specs: &[&'a [FlagSpec]], name: &str) -> Option<&'a FlagSpec> {
    specs.iter().flat_map(|s| s.iter()).find(|f| f.long == name)
}

fn find_short<'a>(specs: &[&'a [FlagSpec]], c: char) -> Option<&'a FlagSpec> {
    specs
        .iter()
        .flat_map(|s| s.iter())
        .find(|f| f.short == Some(c))
}

fn check_value(spec: &FlagSpec, value: &str, shown: &str) -> Result<(), FlagError> {
    let bad = |why: String| {
        Err(FlagError(format!(
            "invalid argument {} for {} flag: {why}",
            go_quote(value),
            go_quote(shown)
        )))
    };
    match spec.kind {
        FlagKind::Bool if parse_bool(value).is_none() => {
            return bad(format!(
                "strconv.ParseBool: parsing {}: invalid syntax",
                go_quote(value)
            ));
        }
        FlagKind::Int if value.parse::<i64>().is_err() => {
            let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
            let why = if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            return bad(format!(
                "strconv.ParseInt: parsing {}: {why}",
                go_quote(value)
            ));
        }
        FlagKind::Duration => {
            if let Err(e) = parse_go_duration_ms(value) {
                return bad(e);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Parses `args` against the command's flags plus the global ones, pflag style:
/// flags and positionals may interleave; `--` ends flag parsing.
pub fn parse_flags(args: &[String], specs: &[&[FlagSpec]]) -> Result<Parsed, FlagError> {
    let mut p = Parsed::default();
    for s in specs.iter().flat_map(|s| s.iter()) {
        p.kinds.insert(s.long, s.kind);
    }
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.positionals.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let spec = find_long(specs, name)
                .ok_or_else(|| FlagError(format!("unknown flag: --{name}")))?;
            let value = match inline {
                Some(v) => v,
                None if spec.kind == FlagKind::Bool => "true".to_string(),
                None => match spec.no_opt_default {
                    Some(d) => d.to_string(),
                    None => {
                        if i < args.len() {
                            i += 1;
                            args[i - 1].clone()
                        } else {
                            return Err(FlagError(format!("flag needs an argument: --{name}")));
                        }
                    }
                },
            };
            check_value(spec, &value, &format!("--{}", spec.long))?;
            p.values.entry(spec.long).or_default().push(value);
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            // A cluster of shorthands: bools take no value; the first non-bool takes
            // the rest of the word (after an optional '=') or the next argument.
            let mut rest: &str = &a[1..];
            while let Some(c) = rest.chars().next() {
                let after = &rest[c.len_utf8()..];
                let spec = find_short(specs, c).ok_or_else(|| {
                    FlagError(format!("unknown shorthand flag: {c:?} in -{rest}"))
                })?;
                let shown = format!("-{c}, --{}", spec.long);
                if spec.kind == FlagKind::Bool || spec.no_opt_default.is_some() {
                    if let Some(v) = after.strip_prefix('=') {
                        check_value(spec, v, &shown)?;
                        p.values.entry(spec.long).or_default().push(v.to_string());
                        break;
                    }
                    let d = spec.no_opt_default.unwrap_or("true");
                    p.values.entry(spec.long).or_default().push(d.to_string());
                    rest = after;
                    continue;
                }
                let value = if let Some(v) = after.strip_prefix('=') {
                    v.to_string()
                } else if !after.is_empty() {
                    after.to_string()
                } else if i < args.len() {
                    i += 1;
                    args[i - 1].clone()
                } else {
                    return Err(FlagError(format!("flag needs an argument: {c:?} in -{c}")));
                };
                check_value(spec, &value, &shown)?;
                p.values.entry(spec.long).or_default().push(value);
                break;
            }
            continue;
        }
        p.positionals.push(a.clone());
    }
    Ok(p)
}

/// Finds the subcommand word the way cobra does: the first argument that is not a
/// flag or the value of a global flag. Returns (index of the word, or None).
pub fn find_command(args: &[String]) -> Option<usize> {
    first_positional(args, &[GLOBAL_FLAGS])
}

/// Index of the first positional argument, skipping flags and, for flags that
/// take one (no NoOptDefVal), their values; `--` ends the flags.
pub(crate) fn first_positional(args: &[String], specs: &[&[FlagSpec]]) -> Option<usize> {
    let takes_value =
        |spec: &FlagSpec| spec.kind != FlagKind::Bool && spec.no_opt_default.is_none();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            return (i + 1 < args.len()).then_some(i + 1);
        }
        if let Some(body) = a.strip_prefix("--") {
            if !body.contains('=') {
                if let Some(s) = specs.iter().flat_map(|s| s.iter()).find(|f| f.long == body) {
                    if takes_value(s) {
                        i += 1;
                    }
                }
            }
        } else if a.len() > 1 && a.starts_with('-') {
            if let Some(c) = a.chars().last() {
                if a.len() == 2 {
                    if let Some(s) = specs
                        .iter()
                        .flat_map(|s| s.iter())
                        .find(|f| f.short == Some(c))
                    {
                        if takes_value(s) {
                            i += 1;
                        }
                    }
                }
            }
        } else {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const GET: &[FlagSpec] = &[
        flag("output", Some('o'), FlagKind::Str),
        flag("all-namespaces", Some('A'), FlagKind::Bool),
        flag("watch", Some('w'), FlagKind::Bool),
        flag("tcp", None, FlagKind::StrSlice),
        flag("timeout", None, FlagKind::Duration),
        flag("node-port", None, FlagKind::Int),
        FlagSpec {
            long: "dry-run",
            short: None,
            kind: FlagKind::Str,
            no_opt_default: Some("unchanged"),
        },
    ];

    #[test]
    fn split_words_follows_shell_quoting() {
        assert_eq!(
            split_words(r#"kubectl get svc -o jsonpath='{.items[*].metadata.name}'"#).unwrap(),
            s(&[
                "kubectl",
                "get",
                "svc",
                "-o",
                "jsonpath={.items[*].metadata.name}"
            ])
        );
        assert_eq!(
            split_words(r#"a "b c" d\ e "x\"y" 'it''s' """#).unwrap(),
            s(&["a", "b c", "d e", "x\"y", "its", ""])
        );
        assert_eq!(split_words("  \t ").unwrap(), Vec::<String>::new());
        assert!(split_words("get 'oops").is_err());
        assert!(split_words("get \"oops").is_err());
    }

    #[test]
    fn long_and_short_forms() {
        let p = parse_flags(
            &s(&["svc", "-n", "kube-system", "--output=yaml", "x", "-A"]),
            &[GET, GLOBAL_FLAGS],
        )
        .unwrap();
        assert_eq!(p.positionals, s(&["svc", "x"]));
        assert_eq!(p.str("namespace"), Some("kube-system"));
        assert_eq!(p.str("output"), Some("yaml"));
        assert!(p.bool_or("all-namespaces", false));
        let p = parse_flags(&s(&["-nfoo", "-o", "json"]), &[GET, GLOBAL_FLAGS]).unwrap();
        assert_eq!(p.str("namespace"), Some("foo"));
        let p = parse_flags(&s(&["-n=foo"]), &[GET, GLOBAL_FLAGS]).unwrap();
        assert_eq!(p.str("namespace"), Some("foo"));
        let p = parse_flags(&s(&["-Aw"]), &[GET, GLOBAL_FLAGS]).unwrap();
        assert!(p.bool_or("watch", false) && p.bool_or("all-namespaces", false));
        let p = parse_flags(&s(&["--all-namespaces=false"]), &[GET, GLOBAL_FLAGS]).unwrap();
        assert!(!p.bool_or("all-namespaces", true));
    }

    #[test]
    fn double_dash_ends_flags() {
        let p = parse_flags(&s(&["a", "--", "-n", "x"]), &[GET, GLOBAL_FLAGS]).unwrap();
        assert_eq!(p.positionals, s(&["a", "-n", "x"]));
        assert!(!p.changed("namespace"));
    }

    #[test]
    fn pflag_error_texts() {
        let e = |v: &[&str]| parse_flags(&s(v), &[GET, GLOBAL_FLAGS]).unwrap_err().0;
        assert_eq!(e(&["--bogus"]), "unknown flag: --bogus");
        assert_eq!(e(&["-z"]), "unknown shorthand flag: 'z' in -z");
        assert_eq!(e(&["-Az"]), "unknown shorthand flag: 'z' in -z");
        assert_eq!(e(&["-n"]), "flag needs an argument: 'n' in -n");
        assert_eq!(e(&["--namespace"]), "flag needs an argument: --namespace");
        assert_eq!(
            e(&["--all-namespaces=maybe"]),
            "invalid argument \"maybe\" for \"--all-namespaces\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
        assert_eq!(
            e(&["--node-port=abc"]),
            "invalid argument \"abc\" for \"--node-port\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            e(&["--timeout=x"]),
            "invalid argument \"x\" for \"--timeout\" flag: time: invalid duration \"x\""
        );
        // pflag quotes with Go's %q: \x escapes for control bytes and DEL,
        // printable non-ASCII kept (checked against kubectl 1.32).
        assert_eq!(
            e(&["--all-namespaces=a\u{1}é\u{7f}"]),
            "invalid argument \"a\\x01é\\x7f\" for \"--all-namespaces\" flag: strconv.ParseBool: parsing \"a\\x01é\\x7f\": invalid syntax"
        );
    }

    #[test]
    fn slices_accumulate_and_split_on_commas() {
        let p = parse_flags(&s(&["--tcp", "80,443", "--tcp=8080:80"]), &[GET]).unwrap();
        assert_eq!(p.list("tcp"), s(&["80", "443", "8080:80"]));
    }

    #[test]
    fn no_opt_default_takes_no_argument() {
        let p = parse_flags(&s(&["--dry-run", "name"]), &[GET]).unwrap();
        assert_eq!(p.str("dry-run"), Some("unchanged"));
        assert_eq!(p.positionals, s(&["name"]));
        let p = parse_flags(&s(&["--dry-run=server"]), &[GET]).unwrap();
        assert_eq!(p.str("dry-run"), Some("server"));
    }

    #[test]
    fn first_positional_skips_flag_values_but_not_no_opt_defaults() {
        let f = |v: &[&str]| first_positional(&s(v), &[GET, GLOBAL_FLAGS]);
        assert_eq!(f(&["-o", "yaml", "svc"]), Some(2));
        assert_eq!(f(&["--output", "yaml", "svc"]), Some(2));
        assert_eq!(f(&["-A", "svc"]), Some(1));
        // --dry-run has a NoOptDefVal, so the next word is positional.
        assert_eq!(f(&["--dry-run", "svc"]), Some(1));
        assert_eq!(f(&["--", "-o"]), Some(1));
        assert_eq!(f(&["-o", "yaml"]), None);
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration_ms("0"), Ok(0));
        assert_eq!(parse_go_duration_ms("30s"), Ok(30_000));
        assert_eq!(parse_go_duration_ms("1h30m"), Ok(5_400_000));
        assert_eq!(parse_go_duration_ms("1.5s"), Ok(1500));
        assert_eq!(parse_go_duration_ms("500ms"), Ok(500));
        assert_eq!(parse_go_duration_ms("-1s"), Ok(-1000));
        assert_eq!(
            parse_go_duration_ms("10"),
            Err("time: missing unit in duration \"10\"".into())
        );
        assert_eq!(
            parse_go_duration_ms("3d"),
            Err("time: unknown unit \"d\" in duration \"3d\"".into())
        );
        assert!(parse_go_duration_ms("").is_err());
    }

    #[test]
    fn command_word_is_found_after_global_flags() {
        assert_eq!(find_command(&s(&["-n", "x", "get", "svc"])), Some(2));
        assert_eq!(find_command(&s(&["--namespace=x", "get"])), Some(1));
        assert_eq!(find_command(&s(&["get"])), Some(0));
        assert_eq!(find_command(&s(&["-n", "x"])), None);
    }
}
