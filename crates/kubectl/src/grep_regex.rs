//! grep's regular expressions: POSIX BRE/ERE (with GNU extensions) are parsed here into
//! a small syntax tree, then written out in the syntax of the regex-lite crate, which does
//! the matching (no backtracking, so no pattern takes exponential time). regex-lite reports
//! leftmost-first matches; `grep -o` prints POSIX leftmost-longest ones, which a second
//! regex (the pattern reversed, run over the reversed line) finds. Character classes and
//! word characters are ASCII (grep in the C locale); see docs/DESIGN-NOTES.md.

#[derive(Default, Clone)]
pub(crate) struct GrepOpts {
    pub(crate) invert: bool,
    pub(crate) icase: bool,
    pub(crate) count: bool,
    pub(crate) ere: bool,
    pub(crate) fixed: bool,
    pub(crate) quiet: bool,
    pub(crate) no_messages: bool,
    pub(crate) word: bool,
    pub(crate) line: bool,
    pub(crate) number: bool,
    pub(crate) only: bool,
}

pub(crate) enum ReError {
    Msg(String),
    Unsupported(String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Asrt {
    LineStart,
    LineEnd,
    WordBoundary,
    NotWordBoundary,
    WordStart,
    WordEnd,
    NoWordBefore,
    NoWordAfter,
}

impl Asrt {
    /// The same position seen from the other end of the line.
    fn mirrored(self) -> Asrt {
        match self {
            Asrt::LineStart => Asrt::LineEnd,
            Asrt::LineEnd => Asrt::LineStart,
            Asrt::WordStart => Asrt::WordEnd,
            Asrt::WordEnd => Asrt::WordStart,
            Asrt::NoWordBefore => Asrt::NoWordAfter,
            Asrt::NoWordAfter => Asrt::NoWordBefore,
            other => other,
        }
    }

    fn syntax(self) -> &'static str {
        match self {
            Asrt::LineStart => "^",
            Asrt::LineEnd => "$",
            Asrt::WordBoundary => r"\b",
            Asrt::NotWordBoundary => r"\B",
            Asrt::WordStart => r"\b{start}",
            Asrt::WordEnd => r"\b{end}",
            Asrt::NoWordBefore => r"\b{start-half}",
            Asrt::NoWordAfter => r"\b{end-half}",
        }
    }
}

#[derive(Clone, Debug)]
enum ClassItem {
    Ch(char),
    Range(char, char),
    /// A POSIX class name: alpha, digit, word, space, …
    Named(&'static str),
}

#[derive(Clone, Debug)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Clone, Debug)]
enum Re {
    Empty,
    Char(char),
    Any,
    Class(Class),
    Assert(Asrt),
    Cat(Vec<Re>),
    Alt(Vec<Re>),
    Repeat(Box<Re>, u32, Option<u32>),
}

const MAX_REPEAT: u32 = 1_000;
/// Nested groups a pattern may have (the parser recurses once per group).
const MAX_DEPTH: usize = 64;
/// regex-lite's parser nests this deep at most (our parser stops at MAX_DEPTH groups,
/// each of which becomes at most two levels).
const REGEX_NEST_LIMIT: u32 = 4 * MAX_DEPTH as u32;

impl Re {
    /// Writes the tree in regex-lite syntax; `reversed` writes the pattern that matches
    /// the reversed text (concatenations backwards, one-sided assertions mirrored).
    fn write(&self, out: &mut String, reversed: bool) {
        match self {
            Re::Empty => out.push_str("(?:)"),
            Re::Char(c) => push_char(out, *c),
            Re::Any => out.push_str("(?s:.)"),
            Re::Class(cls) => {
                out.push('[');
                if cls.negated {
                    out.push('^');
                }
                for it in &cls.items {
                    match it {
                        ClassItem::Ch(c) => push_char(out, *c),
                        ClassItem::Range(a, b) => {
                            push_char(out, *a);
                            out.push('-');
                            push_char(out, *b);
                        }
                        ClassItem::Named(n) => {
                            out.push_str("[:");
                            out.push_str(n);
                            out.push_str(":]");
                        }
                    }
                }
                out.push(']');
            }
            Re::Assert(a) => out.push_str(if reversed { a.mirrored() } else { *a }.syntax()),
            Re::Cat(items) if items.is_empty() => out.push_str("(?:)"),
            Re::Cat(items) => {
                // Concatenation binds tighter than `|`, so it needs no group of its own.
                if reversed {
                    items.iter().rev().for_each(|it| it.write(out, true));
                } else {
                    items.iter().for_each(|it| it.write(out, false));
                }
            }
            Re::Alt(items) => {
                out.push_str("(?:");
                for (k, it) in items.iter().enumerate() {
                    if k > 0 {
                        out.push('|');
                    }
                    it.write(out, reversed);
                }
                out.push(')');
            }
            Re::Repeat(inner, min, max) => {
                out.push_str("(?:");
                inner.write(out, reversed);
                out.push(')');
                match max {
                    Some(max) => out.push_str(&format!("{{{min},{max}}}")),
                    None => out.push_str(&format!("{{{min},}}")),
                }
            }
        }
    }
}

/// A literal character, escaped as a code point so it means itself anywhere (also in a class).
fn push_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", u32::from(c)));
    }
}

pub(crate) struct Regex {
    /// The pattern, for "does the line match" and for where a match starts.
    forward: regex_lite::Regex,
    /// The reversed pattern followed by one more character and the end of the text: run
    /// over the reversed line cut one character after a match start, its leftmost match
    /// gives that start's longest match (context after it included).
    backward_in_line: regex_lite::Regex,
    /// The same for a match that starts the line (no character before it).
    backward_at_start: regex_lite::Regex,
}

impl Regex {
    pub(crate) fn compile(patterns: &[String], o: &GrepOpts) -> Result<Regex, ReError> {
        let mut alts = Vec::new();
        for p in patterns {
            let re = if o.fixed {
                Re::Cat(p.chars().map(Re::Char).collect())
            } else {
                let mut rp = ReParser {
                    chars: p.chars().collect(),
                    i: 0,
                    ere: o.ere,
                };
                rp.parse()?
            };
            let re = if o.line {
                Re::Cat(vec![
                    Re::Assert(Asrt::LineStart),
                    re,
                    Re::Assert(Asrt::LineEnd),
                ])
            } else if o.word {
                Re::Cat(vec![
                    Re::Assert(Asrt::NoWordBefore),
                    re,
                    Re::Assert(Asrt::NoWordAfter),
                ])
            } else {
                re
            };
            alts.push(re);
        }
        let re = Re::Alt(alts);
        let flags = if o.icase { "(?i)" } else { "" };
        let mut forward = flags.to_string();
        re.write(&mut forward, false);
        let mut backward = format!("{flags}(?:");
        re.write(&mut backward, true);
        backward.push(')');
        let build = |pattern: &str| {
            regex_lite::RegexBuilder::new(pattern)
                .nest_limit(REGEX_NEST_LIMIT)
                .build()
                .map_err(|_| ReError::Msg("regular expression too big".into()))
        };
        Ok(Regex {
            forward: build(&forward)?,
            backward_in_line: build(&format!("{backward}(?s:.)\\z"))?,
            backward_at_start: build(&format!("{backward}\\z"))?,
        })
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.forward.is_match(text)
    }

    /// Non-empty, non-overlapping leftmost-longest matches, like `grep -o`.
    pub(crate) fn find_all(&self, text: &str) -> Vec<String> {
        // Byte offsets of every character boundary, in the line and in the reversed line.
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .collect();
        let n = bounds.len() - 1;
        let reversed: String = text.chars().rev().collect();
        let char_at = |offsets: &[usize], byte: usize| offsets.partition_point(|&b| b < byte);
        let mut found = Vec::new();
        let mut from = 0;
        while from <= n {
            let Some(m) = bounds
                .get(from)
                .and_then(|&b| self.forward.find_at(text, b))
            else {
                break;
            };
            let s = char_at(&bounds, m.start());
            // The reversed line up to this start, plus the character before it (context).
            let longest = if s == 0 {
                self.backward_at_start.find(&reversed)
            } else {
                let cut = text.len() - bounds.get(s - 1).copied().unwrap_or(0);
                reversed
                    .get(..cut)
                    .and_then(|hay| self.backward_in_line.find(hay))
            };
            let e = match longest {
                Some(r) => n - reversed.get(..r.start()).map_or(0, |t| t.chars().count()),
                None => char_at(&bounds, m.end()),
            };
            if e > s {
                let (bs, be) = (bounds.get(s).copied(), bounds.get(e).copied());
                if let (Some(bs), Some(be)) = (bs, be) {
                    found.push(text.get(bs..be).unwrap_or_default().to_string());
                }
                from = e;
            } else {
                from = s + 1;
            }
        }
        found
    }
}

struct ReParser {
    chars: Vec<char>,
    i: usize,
    ere: bool,
}

impl ReParser {
    fn parse(&mut self) -> Result<Re, ReError> {
        let re = self.alt(0)?;
        if self.i < self.chars.len() {
            // Only an unmatched \) (BRE) can stop the top level early.
            return Err(ReError::Msg("Unmatched ) or \\)".into()));
        }
        Ok(re)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn at(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(k, c)| self.chars.get(self.i + k) == Some(&c))
    }

    fn at_alt(&self) -> bool {
        if self.ere {
            self.at("|")
        } else {
            self.at("\\|")
        }
    }

    fn at_close(&self, depth: usize) -> bool {
        depth > 0
            && if self.ere {
                self.at(")")
            } else {
                self.at("\\)")
            }
    }

    fn alt(&mut self, depth: usize) -> Result<Re, ReError> {
        if depth > MAX_DEPTH {
            return Err(ReError::Msg("regular expression too big".into()));
        }
        let mut branches = vec![self.cat(depth)?];
        while self.at_alt() {
            self.i += if self.ere { 1 } else { 2 };
            branches.push(self.cat(depth)?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Re::Empty)
        } else {
            Re::Alt(branches)
        })
    }

    fn cat(&mut self, depth: usize) -> Result<Re, ReError> {
        let mut items: Vec<Re> = Vec::new();
        let branch_start = self.i;
        loop {
            if self.i >= self.chars.len() || self.at_alt() || self.at_close(depth) {
                break;
            }
            if !self.ere && self.at("\\)") {
                break;
            }
            let at_start = self.i == branch_start;
            let atom = self.atom(depth, at_start)?;
            let atom = self.postfix(atom)?;
            items.push(atom);
        }
        Ok(Re::Cat(items))
    }

    fn atom(&mut self, depth: usize, at_start: bool) -> Result<Re, ReError> {
        let Some(c) = self.peek() else {
            return Ok(Re::Empty);
        };
        self.i += 1;
        Ok(match c {
            '.' => Re::Any,
            '[' => self.bracket()?,
            '^' if self.ere || at_start => Re::Assert(Asrt::LineStart),
            '$' if self.ere || self.at_end_of_branch(depth) => Re::Assert(Asrt::LineEnd),
            '*' if at_start => Re::Char('*'),
            '*' | '+' | '?' if self.ere && at_start => Re::Char(c),
            '(' if self.ere => self.group(depth)?,
            '\\' => {
                let Some(e) = self.peek() else {
                    return Err(ReError::Msg("Trailing backslash".into()));
                };
                self.i += 1;
                match e {
                    '(' if !self.ere => self.group(depth)?,
                    '1'..='9' => return Err(ReError::Unsupported(format!("back-reference \\{e}"))),
                    'w' => Re::Class(Class {
                        negated: false,
                        items: vec![ClassItem::Named("word")],
                    }),
                    'W' => Re::Class(Class {
                        negated: true,
                        items: vec![ClassItem::Named("word")],
                    }),
                    's' => Re::Class(Class {
                        negated: false,
                        items: vec![ClassItem::Named("space")],
                    }),
                    'S' => Re::Class(Class {
                        negated: true,
                        items: vec![ClassItem::Named("space")],
                    }),
                    'b' => Re::Assert(Asrt::WordBoundary),
                    'B' => Re::Assert(Asrt::NotWordBoundary),
                    '<' => Re::Assert(Asrt::WordStart),
                    '>' => Re::Assert(Asrt::WordEnd),
                    '`' => Re::Assert(Asrt::LineStart),
                    '\'' => Re::Assert(Asrt::LineEnd),
                    other => Re::Char(other),
                }
            }
            other => Re::Char(other),
        })
    }

    fn at_end_of_branch(&self, depth: usize) -> bool {
        self.i >= self.chars.len() || self.at("\\|") || (depth > 0 && self.at("\\)"))
    }

    fn group(&mut self, depth: usize) -> Result<Re, ReError> {
        let inner = self.alt(depth + 1)?;
        let close = if self.ere { ")" } else { "\\)" };
        if !self.at(close) {
            return Err(ReError::Msg("Unmatched ( or \\(".into()));
        }
        self.i += close.len();
        Ok(inner)
    }

    fn postfix(&mut self, mut atom: Re) -> Result<Re, ReError> {
        loop {
            let (min, max, len) = if self.at("*") {
                (0, None, 1)
            } else if self.ere && self.at("+") || !self.ere && self.at("\\+") {
                (1, None, if self.ere { 1 } else { 2 })
            } else if self.ere && self.at("?") || !self.ere && self.at("\\?") {
                (0, Some(1), if self.ere { 1 } else { 2 })
            } else if self.ere && self.at("{") || !self.ere && self.at("\\{") {
                let open = if self.ere { 1 } else { 2 };
                match self.interval(self.i + open)? {
                    Some((min, max, end)) => {
                        self.i = end;
                        atom = Re::Repeat(Box::new(atom), min, max);
                        continue;
                    }
                    // ERE: a brace that does not start a valid interval is literal.
                    None => return Ok(atom),
                }
            } else {
                return Ok(atom);
            };
            self.i += len;
            atom = Re::Repeat(Box::new(atom), min, max);
        }
    }

    /// `{n}`, `{n,}`, `{,m}`, `{n,m}` starting after the brace; returns the end position.
    fn interval(&self, start: usize) -> Result<Option<(u32, Option<u32>, usize)>, ReError> {
        let mut k = start;
        let num = |k: &mut usize| -> Option<u32> {
            let mut s = String::new();
            while let Some(c) = self.chars.get(*k).filter(|c| c.is_ascii_digit()) {
                s.push(*c);
                *k += 1;
            }
            if s.is_empty() {
                None
            } else {
                Some(s.parse().unwrap_or(u32::MAX))
            }
        };
        let min = num(&mut k);
        let max = if self.chars.get(k) == Some(&',') {
            k += 1;
            num(&mut k)
        } else {
            min
        };
        let close = if self.ere { "}" } else { "\\}" };
        let closes = close
            .chars()
            .enumerate()
            .all(|(j, c)| self.chars.get(k + j) == Some(&c));
        if !closes || (min.is_none() && max.is_none() && self.chars.get(start) != Some(&',')) {
            if self.ere {
                return Ok(None);
            }
            return Err(ReError::Msg("Unmatched \\{".into()));
        }
        let lo = min.unwrap_or(0);
        if let Some(hi) = max {
            if hi < lo {
                return Err(ReError::Msg("Invalid content of \\{\\}".into()));
            }
        }
        if lo > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT) {
            return Err(ReError::Msg("Regular expression too big".into()));
        }
        Ok(Some((lo, max, k + close.len())))
    }

    fn bracket(&mut self) -> Result<Re, ReError> {
        const UNMATCHED: &str = "Unmatched [, [^, [:, [., or [=";
        let mut negated = false;
        if self.peek() == Some('^') {
            negated = true;
            self.i += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(ReError::Msg(UNMATCHED.into()));
            };
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == '[' && matches!(self.chars.get(self.i + 1), Some(':' | '.' | '=')) {
                let kind = self.chars.get(self.i + 1).copied().unwrap_or(':');
                let rest: String = self
                    .chars
                    .get(self.i + 2..)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                let end = format!("{kind}]");
                let Some(close) = rest.find(&end) else {
                    return Err(ReError::Msg(UNMATCHED.into()));
                };
                let name = &rest[..close];
                if kind != ':' {
                    return Err(ReError::Unsupported(format!("[{kind}{name}{kind}]")));
                }
                const NAMES: &[&str] = &[
                    "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct",
                    "print", "graph", "cntrl", "xdigit",
                ];
                let Some(f) = NAMES.iter().find(|n| **n == name).copied() else {
                    return Err(ReError::Msg("Invalid character class name".into()));
                };
                items.push(ClassItem::Named(f));
                self.i += 2 + name.chars().count() + 2;
                continue;
            }
            self.i += 1;
            if self.peek() == Some('-') && self.chars.get(self.i + 1).is_some_and(|n| *n != ']') {
                let hi = self.chars.get(self.i + 1).copied().unwrap_or(c);
                self.i += 2;
                if hi < c {
                    return Err(ReError::Msg("Invalid range end".into()));
                }
                items.push(ClassItem::Range(c, hi));
            } else {
                items.push(ClassItem::Ch(c));
            }
        }
        Ok(Re::Class(Class { negated, items }))
    }
}
