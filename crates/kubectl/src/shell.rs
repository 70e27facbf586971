//! The small shell that runs the shell blocks of Kubernetes docs pages.
//!
//! It is a real interpreter of a well-defined bash subset with bash's semantics
//! and bash's error texts (as bash prints them when it reads a script from
//! standard input: `bash: line N: ...`). Anything outside the subset fails
//! loudly: a message on stderr naming the unsupported construct and exit
//! status 2, never a silent no-op.
//!
//! Supported:
//! - lists with `;`, `&&`, `||` and newlines, `#` comments, `\`-newline
//!   continuations, pipelines with `|` and `|&`, `!` negation;
//! - words with single quotes, double quotes, `$'...'`, backslash escapes,
//!   `$VAR`, `${VAR}`, `${VAR:-w}` `${VAR-w}` `${VAR:=w}` `${VAR:+w}`
//!   `${VAR:?w}` (and the colon-less forms), `${#VAR}`, `$?`, `$#`, `$0`,
//!   `$1`..`$9`, `$LINENO`, `$(...)` and backquote command substitution,
//!   `$((...))` integer arithmetic, brace expansion (`{a,b}`, `{1..5}`),
//!   field splitting of unquoted expansions (default IFS only);
//! - assignments `X=1`, `X+=1`;
//! - `for`, `if`/`elif`/`else`, `while`, `until`, `{ ...; }`, `( ... )`,
//!   `break`, `continue`, `exit`;
//! - redirections `<<EOF`, `<<'EOF'`, `<<-EOF`, `<<<word`, `2>&1`, `>&2`,
//!   `|&`, `>/dev/null`, `2>/dev/null`, `&>/dev/null`, `</dev/null`;
//!   `< file` fails like bash does for a missing file (there is no
//!   filesystem);
//! - commands: kubectl (through [`ShellHost`]), jq, echo, printf, seq, cat,
//!   grep, wc, head, tail, sort, sleep, true, false, `:`, test/`[`, read,
//!   export, unset, set (-e, -u, -o pipefail).
//!
//! Deliberately unsupported (loud error, exit 2): background jobs `&`,
//! functions, `case`, `select`, `[[`, `((`, redirection to or from real files,
//! `$$`/`$!`, arrays, pattern operators in `${...}`, and the usual Unix tools
//! that are not listed above.
//!
//! Execution is sequential: in a pipeline each element runs to completion and
//! its stdout becomes the next element's stdin, while its stderr goes straight
//! to the terminal. That gives the same terminal transcript as bash for the
//! non-interactive tools used here.

use crate::grep_regex::{GrepOpts, ReError, Regex};
use crate::output::CommandOutput;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::rc::Rc;

mod resume;
pub use resume::{ScriptRun, ScriptSlice};

/// What the shell needs from the simulated cluster.
pub trait ShellHost {
    /// Run `kubectl` with already-expanded argv (without the leading "kubectl") and stdin.
    fn kubectl(&mut self, args: &[String], stdin: &str) -> CommandOutput;
    /// Called between top-level commands (lets the simulated clock settle, as if a person paused).
    fn between_commands(&mut self);
    /// `sleep N`: the simulated clock should move on by `seconds`.
    fn sleep(&mut self, seconds: f64);
    /// `kube-apiserver --service-cluster-ip-range=…`: a simulated restart of
    /// the apiserver process (None: the host has no apiserver to restart,
    /// and the shell answers "command not found" as bash would).
    fn kube_apiserver(&mut self, _args: &[String]) -> Option<CommandOutput> {
        None
    }
}

#[derive(Clone, Debug)]
pub struct ShellOptions {
    /// Call [`ShellHost::between_commands`] between top-level commands.
    pub settle_between_commands: bool,
}

impl Default for ShellOptions {
    fn default() -> Self {
        ShellOptions {
            settle_between_commands: true,
        }
    }
}

/// Run a script and return what a terminal would have shown.
pub fn run_script(host: &mut dyn ShellHost, script: &str, opts: &ShellOptions) -> CommandOutput {
    let slice = ScriptRun::new(script, opts).resume(host, u64::MAX);
    CommandOutput {
        stdout: slice.stdout,
        stderr: slice.stderr,
        exit_code: slice.exit_code.unwrap_or(0),
        output: slice.output,
    }
}

// ---------------------------------------------------------------------------
// Limits and fixed texts (one place, easy to change)

/// Prefix of shell diagnostics, as bash prints them when reading a script on stdin.
const BASH: &str = "bash";
/// Prefix of this simulator's own diagnostics.
const SIM: &str = "servicecidr-sim shell";
const SUPPORTED_SYNTAX: &str =
    "command lists with ; && || and newlines, pipes |, for/if/while/until, \
{ } and ( ) groups, quotes, $VAR ${VAR} ${VAR:-x} $(...) $((...)), brace expansion, \
heredocs <<EOF <<'EOF' <<-EOF, <<<, 2>&1, >/dev/null, 2>/dev/null";
const SUPPORTED_COMMANDS: &str =
    "kubectl, jq, echo, printf, seq, cat, grep, wc, head, tail, sort, \
sleep, true, false, :, test, [, read, export, unset, set, exit, break, continue";
/// Every simple command and loop round costs a step; a runaway loop stops here.
const MAX_STEPS: u64 = 200_000;
/// Total bytes written anywhere (terminal and pipes) before the script is stopped.
const MAX_OUTPUT: usize = 16 << 20;
/// Nesting of parser and executor (command substitution in command substitution ...).
const MAX_DEPTH: usize = 64;
/// Largest brace or seq expansion we agree to materialise.
const MAX_EXPANSION: usize = 1_000_000;

// ---------------------------------------------------------------------------
// Syntax tree

#[derive(Debug, Clone)]
enum Part {
    /// Unquoted text from the script.
    Lit(String),
    /// Quoted or backslash-escaped text: never split, never brace-expanded.
    Quoted(String),
    /// A double-quoted region.
    Double(Vec<Part>),
    Param(Box<ParamExp>),
    Subst(Rc<List>),
    /// `$(( ... ))`: the text is expanded, then evaluated as an integer expression.
    Arith(Vec<Part>),
}

#[derive(Debug, Clone, Default)]
struct Word {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
struct ParamExp {
    name: ParamName,
    op: ParamOp,
    /// Source text, for error messages such as `${}: bad substitution`.
    text: String,
}

#[derive(Debug, Clone)]
enum ParamName {
    Var(String),
    Status,
    Count,
    Zero,
    Positional(u32),
    /// `$@` (false) and `$*` (true): there are no positional parameters.
    All(bool),
}

#[derive(Debug, Clone)]
enum ParamOp {
    Plain,
    Length,
    Default {
        colon: bool,
        word: Word,
    },
    Assign {
        colon: bool,
        word: Word,
    },
    Alt {
        colon: bool,
        word: Word,
    },
    Error {
        colon: bool,
        word: Word,
    },
    /// Accepted by the parser, rejected by bash at expansion time.
    Bad,
}

#[derive(Debug)]
struct HereDoc {
    delim: String,
    quoted: bool,
    strip_tabs: bool,
    body: OnceCell<Word>,
}

#[derive(Debug, Clone)]
enum RedirKind {
    Out(Word),
    Append(Word),
    In(Word),
    DupOut(Word),
    DupIn(Word),
    /// `&>` and `&>>`.
    OutErr(Word),
    HereDoc(Rc<HereDoc>),
    HereString(Word),
}

#[derive(Debug, Clone)]
struct Redirect {
    fd: u32,
    kind: RedirKind,
}

#[derive(Debug, Clone)]
struct Assign {
    name: String,
    append: bool,
    value: Word,
}

#[derive(Debug, Clone)]
struct Simple {
    assigns: Vec<Assign>,
    words: Vec<Word>,
    redirs: Vec<Redirect>,
    line: usize,
}

#[derive(Debug, Clone)]
enum Compound {
    For {
        var: String,
        items: Option<Vec<Word>>,
        body: List,
    },
    If {
        arms: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    While {
        until: bool,
        cond: List,
        body: List,
    },
    Group(List),
    Subshell(List),
}

#[derive(Debug, Clone)]
enum Command {
    Simple(Simple),
    Compound(Box<Compound>, Vec<Redirect>, usize),
}

/// A pipeline that is one compound command other than a subshell, whose own
/// status `set -e` does not act on.
fn lone_compound(p: &Pipeline) -> bool {
    matches!(p.cmds.as_slice(), [Command::Compound(cc, _, _)] if !matches!(**cc, Compound::Subshell(_)))
}

#[derive(Debug, Clone)]
struct Pipeline {
    negate: bool,
    cmds: Vec<Command>,
    /// `|&` after element i: its stderr goes into the pipe too.
    pipe_err: Vec<bool>,
}

#[derive(Debug, Clone)]
struct AndOr {
    first: Pipeline,
    /// (true for `&&`, false for `||`, pipeline)
    rest: Vec<(bool, Pipeline)>,
}

#[derive(Debug, Clone, Default)]
struct List {
    items: Vec<AndOr>,
}

// ---------------------------------------------------------------------------
// Parse errors

#[derive(Debug, Clone, PartialEq)]
enum ParseError {
    /// `syntax error near unexpected token `X'` followed by the offending line.
    Near {
        line: usize,
        token: String,
        text: String,
    },
    /// A one-line message (unexpected end of file, unmatched quote, ...).
    Plain {
        line: usize,
        msg: String,
    },
    Unsupported {
        line: usize,
        what: String,
    },
}

impl ParseError {
    fn render(&self) -> String {
        match self {
            ParseError::Near { line, token, text } => format!(
                "{BASH}: line {line}: syntax error near unexpected token `{token}'\n{BASH}: line {line}: `{text}'\n"
            ),
            ParseError::Plain { line, msg } => format!("{BASH}: line {line}: {msg}\n"),
            ParseError::Unsupported { line, what } => format!(
                "{SIM}: unsupported syntax: {what} (line {line}; supported: {SUPPORTED_SYNTAX})\n"
            ),
        }
    }
}

type PResult<T> = Result<T, ParseError>;

const RESERVED: &[&str] = &[
    "!", "{", "}", "[[", "]]", "case", "do", "done", "elif", "else", "esac", "fi", "for",
    "function", "if", "in", "select", "then", "until", "while", "time", "coproc",
];

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

fn is_name(s: &str) -> bool {
    let mut it = s.chars();
    matches!(it.next(), Some(c) if is_name_start(c)) && it.all(is_name_char)
}

/// Where a run of word characters ends.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    /// An ordinary shell word: ends at a metacharacter.
    Unquoted,
    /// Inside `"..."`: ends at the closing quote.
    Double,
    /// An unquoted here-document body: ends at end of input.
    HereDoc,
    /// The word of `${X:-word}`: ends at the closing brace.
    ParamWord { dq: bool },
    /// The text of `$((...))`: ends at end of input.
    Arith,
}

struct Parser {
    src: Vec<char>,
    pos: usize,
    line_starts: Vec<usize>,
    line_base: usize,
    pending: Vec<Rc<HereDoc>>,
    depth: usize,
    warnings: Vec<String>,
}

impl Parser {
    fn new(text: &str, line_base: usize) -> Parser {
        let src: Vec<char> = text.chars().collect();
        let mut line_starts = vec![0];
        for (i, c) in src.iter().enumerate() {
            if *c == '\n' {
                line_starts.push(i + 1);
            }
        }
        Parser {
            src,
            pos: 0,
            line_starts,
            line_base,
            pending: Vec::new(),
            depth: 0,
            warnings: Vec::new(),
        }
    }

    fn line_at(&self, pos: usize) -> usize {
        self.line_base + self.line_starts.partition_point(|&s| s <= pos)
    }

    fn line(&self) -> usize {
        self.line_at(self.pos)
    }

    fn line_text(&self, line: usize) -> String {
        let idx = line.saturating_sub(self.line_base + 1);
        let start = self.line_starts.get(idx).copied().unwrap_or(self.src.len());
        let end = self
            .line_starts
            .get(idx + 1)
            .map(|e| e.saturating_sub(1))
            .unwrap_or(self.src.len());
        self.src
            .get(start..end.max(start))
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.src.get(self.pos + k).copied()
    }

    fn starts(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn at_eof(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH || crate::jq::stack_low() {
            return Err(ParseError::Unsupported {
                line: self.line(),
                what: format!("nesting deeper than {MAX_DEPTH} levels"),
            });
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn unsupported<T>(&self, what: impl Into<String>) -> PResult<T> {
        Err(ParseError::Unsupported {
            line: self.line(),
            what: what.into(),
        })
    }

    fn eof_error<T>(&self) -> PResult<T> {
        Err(ParseError::Plain {
            line: self.line_at(self.src.len()),
            msg: "syntax error: unexpected end of file".into(),
        })
    }

    /// The token at the current position, as bash names it in syntax errors.
    fn token_here(&self) -> Option<String> {
        let c = self.peek()?;
        let two: String = [Some(c), self.peek_at(1)].iter().flatten().collect();
        Some(match c {
            '\n' => "newline".into(),
            ';' | '&' | '|' if ["&&", "||", ";;", ";&", "|&"].contains(&two.as_str()) => two,
            '>' if [">>", ">&", ">|"].contains(&two.as_str()) => two,
            '<' if ["<<", "<&", "<>"].contains(&two.as_str()) => two,
            ';' | '&' | '|' | '(' | ')' | '<' | '>' => c.to_string(),
            _ => {
                let mut s = String::new();
                let mut i = self.pos;
                while let Some(&ch) = self.src.get(i) {
                    if is_meta(ch) {
                        break;
                    }
                    s.push(ch);
                    i += 1;
                }
                s
            }
        })
    }

    fn near<T>(&self) -> PResult<T> {
        match self.token_here() {
            None => self.eof_error(),
            Some(token) => {
                let line = self.line();
                Err(ParseError::Near {
                    line,
                    token,
                    text: self.line_text(line),
                })
            }
        }
    }

    /// Blanks and backslash-newline continuations.
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ') | Some('\t') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => self.pos += 2,
                _ => break,
            }
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some('#') {
            while let Some(c) = self.peek() {
                if c == '\n' {
                    break;
                }
                self.pos += 1;
            }
        }
    }

    /// Consume a newline token; here-document bodies start right after it.
    fn newline(&mut self) -> PResult<()> {
        if self.peek() == Some('\n') {
            self.pos += 1;
        }
        let pending = std::mem::take(&mut self.pending);
        for hd in pending {
            self.read_heredoc(&hd)?;
        }
        Ok(())
    }

    fn skip_linebreaks(&mut self) -> PResult<()> {
        loop {
            self.skip_blanks();
            self.skip_comment();
            if self.peek() == Some('\n') {
                self.newline()?;
            } else {
                return Ok(());
            }
        }
    }

    fn read_heredoc(&mut self, hd: &HereDoc) -> PResult<()> {
        let start_line = self.line();
        let body_start = self.pos;
        let mut body = String::new();
        let mut found = false;
        while !self.at_eof() {
            let end = self.src[self.pos..]
                .iter()
                .position(|&c| c == '\n')
                .map(|i| self.pos + i)
                .unwrap_or(self.src.len());
            let raw: String = self.src[self.pos..end].iter().collect();
            self.pos = (end + 1).min(self.src.len());
            let line = if hd.strip_tabs {
                raw.trim_start_matches('\t').to_string()
            } else {
                raw
            };
            if line == hd.delim {
                found = true;
                break;
            }
            body.push_str(&line);
            body.push('\n');
        }
        if !found {
            let line = self.line_at(self.src.len().saturating_sub(1));
            self.warnings.push(format!(
                "{BASH}: line {line}: warning: here-document at line {} delimited by end-of-file (wanted `{}')\n",
                start_line.saturating_sub(1).max(1),
                hd.delim
            ));
        }
        let word = if hd.quoted {
            Word {
                parts: vec![Part::Quoted(body)],
            }
        } else {
            let base = self.line_at(body_start).saturating_sub(1);
            let mut sub = Parser::new(&body, base);
            sub.depth = self.depth;
            let parts = sub.parse_parts(Mode::HereDoc)?;
            Word { parts }
        };
        let _ = hd.body.set(word);
        Ok(())
    }

    /// If a reserved word starts here (followed by a metacharacter or end), return it.
    fn peek_reserved(&self) -> Option<&'static str> {
        let mut s = String::new();
        let mut i = self.pos;
        while let Some(&c) = self.src.get(i) {
            if is_meta(c) || matches!(c, '"' | '\'' | '\\' | '$' | '`') {
                break;
            }
            s.push(c);
            i += 1;
            if s.len() > 8 {
                return None;
            }
        }
        let next = self.src.get(i).copied();
        if next.is_some_and(|c| !is_meta(c)) {
            return None;
        }
        RESERVED.iter().copied().find(|r| *r == s)
    }

    fn consume_reserved(&mut self, w: &str) {
        self.pos += w.chars().count();
    }

    fn expect_reserved(&mut self, w: &str) -> PResult<()> {
        self.skip_linebreaks()?;
        if self.peek_reserved() == Some(w) {
            self.consume_reserved(w);
            Ok(())
        } else {
            self.near()
        }
    }

    // ----- commands

    /// The next newline-terminated command of the script (bash runs each as soon as it is read).
    fn next_complete_command(&mut self) -> PResult<Option<List>> {
        self.skip_linebreaks()?;
        if self.at_eof() {
            return Ok(None);
        }
        let mut list = List::default();
        loop {
            let ao = self.parse_and_or()?;
            list.items.push(ao);
            self.skip_blanks();
            self.skip_comment();
            match self.peek() {
                None => break,
                Some('\n') => {
                    self.newline()?;
                    break;
                }
                Some(';') => {
                    if self.peek_at(1) == Some(';') || self.peek_at(1) == Some('&') {
                        return self.near();
                    }
                    self.pos += 1;
                    self.skip_blanks();
                    self.skip_comment();
                    match self.peek() {
                        None => break,
                        Some('\n') => {
                            self.newline()?;
                            break;
                        }
                        _ => continue,
                    }
                }
                Some('&') => return self.unsupported("background job (&)"),
                _ => return self.near(),
            }
        }
        Ok(Some(list))
    }

    /// A list inside a compound command, ending before one of `terms` or `)`.
    fn parse_list(&mut self, terms: &[&str]) -> PResult<List> {
        self.enter()?;
        let mut list = List::default();
        loop {
            self.skip_linebreaks()?;
            if self.at_eof() || self.peek() == Some(')') {
                break;
            }
            if let Some(w) = self.peek_reserved() {
                if terms.contains(&w) {
                    break;
                }
            }
            let ao = self.parse_and_or()?;
            list.items.push(ao);
            self.skip_blanks();
            self.skip_comment();
            match self.peek() {
                None | Some(')') => break,
                Some('\n') => self.newline()?,
                Some(';') => {
                    if self.peek_at(1) == Some(';') || self.peek_at(1) == Some('&') {
                        return self.near();
                    }
                    self.pos += 1;
                }
                Some('&') => return self.unsupported("background job (&)"),
                _ => return self.near(),
            }
        }
        self.leave();
        Ok(list)
    }

    fn parse_and_or(&mut self) -> PResult<AndOr> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            self.skip_blanks();
            let and = if self.starts("&&") {
                true
            } else if self.starts("||") {
                false
            } else {
                break;
            };
            self.pos += 2;
            self.skip_linebreaks()?;
            rest.push((and, self.parse_pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn parse_pipeline(&mut self) -> PResult<Pipeline> {
        self.skip_blanks();
        let mut negate = false;
        while self.peek_reserved() == Some("!") {
            self.pos += 1;
            negate = !negate;
            self.skip_blanks();
        }
        let mut cmds = vec![self.parse_command()?];
        let mut pipe_err = Vec::new();
        loop {
            self.skip_blanks();
            if self.peek() == Some('|') && self.peek_at(1) != Some('|') {
                self.pos += 1;
                let both = self.peek() == Some('&');
                if both {
                    self.pos += 1;
                }
                pipe_err.push(both);
                self.skip_linebreaks()?;
                cmds.push(self.parse_command()?);
            } else {
                break;
            }
        }
        pipe_err.push(false);
        Ok(Pipeline {
            negate,
            cmds,
            pipe_err,
        })
    }

    fn parse_command(&mut self) -> PResult<Command> {
        self.skip_blanks();
        let line = self.line();
        match self.peek() {
            None => return self.eof_error(),
            Some('\n') | Some(';') | Some('&') | Some('|') | Some(')') => return self.near(),
            Some('(') => {
                if self.peek_at(1) == Some('(') {
                    return self.unsupported("arithmetic command ((...))");
                }
                self.pos += 1;
                let body = self.parse_list(&[])?;
                if self.peek() != Some(')') {
                    return self.near();
                }
                if body.items.is_empty() {
                    return self.near();
                }
                self.pos += 1;
                let redirs = self.parse_trailing_redirects()?;
                return Ok(Command::Compound(
                    Box::new(Compound::Subshell(body)),
                    redirs,
                    line,
                ));
            }
            _ => {}
        }
        if let Some(w) = self.peek_reserved() {
            let compound = match w {
                "for" => self.parse_for()?,
                "if" => self.parse_if()?,
                "while" | "until" => self.parse_while(w == "until")?,
                "{" => {
                    self.consume_reserved("{");
                    let body = self.parse_list(&["}"])?;
                    if body.items.is_empty() {
                        return self.near();
                    }
                    self.expect_reserved("}")?;
                    Compound::Group(body)
                }
                "case" | "select" | "function" | "[[" | "time" | "coproc" => {
                    return self.unsupported(format!("`{w}'"));
                }
                "!" => return self.near(),
                _ => return self.near(),
            };
            let redirs = self.parse_trailing_redirects()?;
            return Ok(Command::Compound(Box::new(compound), redirs, line));
        }
        self.parse_simple().map(Command::Simple)
    }

    fn parse_trailing_redirects(&mut self) -> PResult<Vec<Redirect>> {
        let mut redirs = Vec::new();
        loop {
            self.skip_blanks();
            if self.redirect_starts() {
                redirs.push(self.parse_redirect()?);
            } else {
                return Ok(redirs);
            }
        }
    }

    fn parse_for(&mut self) -> PResult<Compound> {
        self.consume_reserved("for");
        self.skip_blanks();
        if self.starts("((") {
            return self.unsupported("arithmetic for loop for ((...))");
        }
        let name_line = self.line();
        let w = self.parse_word()?;
        let var = match w.parts.as_slice() {
            [Part::Lit(s)] if is_name(s) => s.clone(),
            _ => {
                return Err(ParseError::Plain {
                    line: name_line,
                    msg: format!("`{}': not a valid identifier", word_source(&w)),
                })
            }
        };
        self.skip_blanks();
        self.skip_comment();
        let mut items = None;
        match self.peek() {
            Some(';') => {
                self.pos += 1;
            }
            Some('\n') => {
                self.skip_linebreaks()?;
                if self.peek_reserved() == Some("in") {
                    items = Some(self.parse_in_words()?);
                }
            }
            _ => {
                if self.peek_reserved() == Some("in") {
                    items = Some(self.parse_in_words()?);
                }
            }
        }
        self.expect_reserved("do")?;
        let body = self.parse_list(&["done"])?;
        if body.items.is_empty() {
            return self.near();
        }
        self.expect_reserved("done")?;
        Ok(Compound::For { var, items, body })
    }

    fn parse_in_words(&mut self) -> PResult<Vec<Word>> {
        self.consume_reserved("in");
        let mut words = Vec::new();
        loop {
            self.skip_blanks();
            self.skip_comment();
            match self.peek() {
                None => return self.eof_error(),
                Some(';') => {
                    self.pos += 1;
                    return Ok(words);
                }
                Some('\n') => {
                    self.newline()?;
                    return Ok(words);
                }
                Some(c) if is_meta(c) => return self.near(),
                _ => words.push(self.parse_word()?),
            }
        }
    }

    fn parse_if(&mut self) -> PResult<Compound> {
        self.consume_reserved("if");
        let mut arms = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.parse_list(&["then"])?;
            if cond.items.is_empty() {
                self.skip_linebreaks()?;
                return self.near();
            }
            self.expect_reserved("then")?;
            let body = self.parse_list(&["elif", "else", "fi"])?;
            if body.items.is_empty() {
                return self.near();
            }
            arms.push((cond, body));
            self.skip_linebreaks()?;
            match self.peek_reserved() {
                Some("elif") => {
                    self.consume_reserved("elif");
                }
                Some("else") => {
                    self.consume_reserved("else");
                    let body = self.parse_list(&["fi"])?;
                    if body.items.is_empty() {
                        return self.near();
                    }
                    otherwise = Some(body);
                    self.expect_reserved("fi")?;
                    break;
                }
                Some("fi") => {
                    self.consume_reserved("fi");
                    break;
                }
                _ => return self.near(),
            }
        }
        Ok(Compound::If { arms, otherwise })
    }

    fn parse_while(&mut self, until: bool) -> PResult<Compound> {
        self.consume_reserved(if until { "until" } else { "while" });
        let cond = self.parse_list(&["do"])?;
        if cond.items.is_empty() {
            self.skip_linebreaks()?;
            return self.near();
        }
        self.expect_reserved("do")?;
        let body = self.parse_list(&["done"])?;
        if body.items.is_empty() {
            return self.near();
        }
        self.expect_reserved("done")?;
        Ok(Compound::While { until, cond, body })
    }

    fn redirect_starts(&self) -> bool {
        let mut i = 0;
        while self.peek_at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        match self.peek_at(i) {
            Some('<') | Some('>') => true,
            Some('&') => i == 0 && self.peek_at(1) == Some('>'),
            _ => false,
        }
    }

    fn parse_redirect(&mut self) -> PResult<Redirect> {
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(|c| c.is_ascii_digit()) {
            digits.push(c);
            self.pos += 1;
        }
        let explicit_fd = if digits.is_empty() {
            None
        } else {
            match digits.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => return self.unsupported(format!("file descriptor {digits}")),
            }
        };
        let (op, default_fd) = if self.starts("<<<") {
            ("<<<", 0)
        } else if self.starts("<<-") {
            ("<<-", 0)
        } else if self.starts("<<") {
            ("<<", 0)
        } else if self.starts("<&") {
            ("<&", 0)
        } else if self.starts("<>") {
            return self.unsupported("read-write redirection <>");
        } else if self.starts("<(") || self.starts(">(") {
            return self.unsupported("process substitution");
        } else if self.starts("<") {
            ("<", 0)
        } else if self.starts(">>") {
            (">>", 1)
        } else if self.starts(">&") {
            (">&", 1)
        } else if self.starts(">|") {
            (">|", 1)
        } else if self.starts(">") {
            (">", 1)
        } else if self.starts("&>>") {
            ("&>>", 1)
        } else if self.starts("&>") {
            ("&>", 1)
        } else {
            return self.near();
        };
        self.pos += op.len();
        let fd = explicit_fd.unwrap_or(default_fd);
        if fd > 2 {
            return self.unsupported(format!("redirection of file descriptor {fd}"));
        }
        self.skip_blanks();
        match self.peek() {
            None => {
                return Err(ParseError::Near {
                    line: self.line(),
                    token: "newline".into(),
                    text: self.line_text(self.line()),
                })
            }
            Some(c) if is_meta(c) => return self.near(),
            _ => {}
        }
        let word = self.parse_word()?;
        let kind = match op {
            "<<" | "<<-" => {
                let (delim, quoted) =
                    heredoc_delim(&word).ok_or_else(|| ParseError::Unsupported {
                        line: self.line(),
                        what: "here-document delimiter containing expansions".into(),
                    })?;
                let hd = Rc::new(HereDoc {
                    delim,
                    quoted,
                    strip_tabs: op == "<<-",
                    body: OnceCell::new(),
                });
                self.pending.push(hd.clone());
                RedirKind::HereDoc(hd)
            }
            "<<<" => RedirKind::HereString(word),
            "<&" => RedirKind::DupIn(word),
            "<" => RedirKind::In(word),
            ">>" => RedirKind::Append(word),
            ">&" => RedirKind::DupOut(word),
            ">" | ">|" => RedirKind::Out(word),
            "&>" | "&>>" => RedirKind::OutErr(word),
            _ => return self.near(),
        };
        Ok(Redirect { fd, kind })
    }

    fn parse_simple(&mut self) -> PResult<Simple> {
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirs = Vec::new();
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else { break };
            if self.redirect_starts() {
                redirs.push(self.parse_redirect()?);
                continue;
            }
            if c == '(' {
                if words.len() == 1 && assigns.is_empty() {
                    return self.unsupported("function definition");
                }
                return self.near();
            }
            if is_meta(c) {
                break;
            }
            if c == '#' {
                self.skip_comment();
                break;
            }
            let w = self.parse_word()?;
            if words.is_empty() {
                if let Some(a) = as_assignment(&w) {
                    if let Some(name) = a.name.strip_suffix(']') {
                        return self.unsupported(format!("array assignment {name}]=..."));
                    }
                    assigns.push(a);
                    continue;
                }
                if let [Part::Lit(s)] = w.parts.as_slice() {
                    if s.contains("[") && s.contains("]=") {
                        return self.unsupported(format!("array assignment {s}"));
                    }
                }
            }
            words.push(w);
        }
        if assigns.is_empty() && words.is_empty() && redirs.is_empty() {
            return self.near();
        }
        Ok(Simple {
            assigns,
            words,
            redirs,
            line: self.line(),
        })
    }

    // ----- words

    fn parse_word(&mut self) -> PResult<Word> {
        let parts = self.parse_parts(Mode::Unquoted)?;
        Ok(Word { parts })
    }

    fn parse_parts(&mut self, mode: Mode) -> PResult<Vec<Part>> {
        self.enter()?;
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        // Inside double quotes (and in here-documents) plain text is quoted text.
        let quoted_text = matches!(
            mode,
            Mode::Double | Mode::HereDoc | Mode::ParamWord { dq: true }
        );
        let flush = |lit: &mut String, parts: &mut Vec<Part>| {
            if !lit.is_empty() {
                let s = std::mem::take(lit);
                parts.push(if quoted_text {
                    Part::Quoted(s)
                } else {
                    Part::Lit(s)
                });
            }
        };
        loop {
            let Some(c) = self.peek() else {
                match mode {
                    Mode::Double => {
                        return Err(ParseError::Plain {
                            line: self.line(),
                            msg: "unexpected EOF while looking for matching `\"'".into(),
                        })
                    }
                    Mode::ParamWord { .. } => {
                        return Err(ParseError::Plain {
                            line: self.line(),
                            msg: "unexpected EOF while looking for matching `}'".into(),
                        })
                    }
                    _ => break,
                }
            };
            match mode {
                Mode::Unquoted if is_meta(c) => break,
                Mode::Double if c == '"' => break,
                Mode::ParamWord { .. } if c == '}' => break,
                _ => {}
            }
            match c {
                '\\' => {
                    let next = self.peek_at(1);
                    let escapable = match mode {
                        Mode::Unquoted | Mode::ParamWord { dq: false } => true,
                        Mode::Double => matches!(next, Some('$' | '`' | '"' | '\\' | '\n')),
                        Mode::ParamWord { dq: true } => {
                            matches!(next, Some('$' | '`' | '"' | '\\' | '\n' | '}'))
                        }
                        Mode::HereDoc | Mode::Arith => {
                            matches!(next, Some('$' | '`' | '\\' | '\n'))
                        }
                    };
                    match next {
                        Some('\n') if escapable => {
                            self.pos += 2;
                        }
                        Some(n) if escapable => {
                            self.pos += 2;
                            flush(&mut lit, &mut parts);
                            parts.push(Part::Quoted(n.to_string()));
                        }
                        _ => {
                            self.pos += 1;
                            lit.push('\\');
                        }
                    }
                }
                '\'' if matches!(mode, Mode::Unquoted | Mode::ParamWord { dq: false }) => {
                    let line = self.line();
                    self.pos += 1;
                    let mut s = String::new();
                    loop {
                        match self.bump() {
                            None => {
                                return Err(ParseError::Plain {
                                    line,
                                    msg: "unexpected EOF while looking for matching `''".into(),
                                })
                            }
                            Some('\'') => break,
                            Some(ch) => s.push(ch),
                        }
                    }
                    flush(&mut lit, &mut parts);
                    parts.push(Part::Quoted(s));
                }
                '"' if matches!(mode, Mode::Unquoted | Mode::ParamWord { .. }) => {
                    let line = self.line();
                    self.pos += 1;
                    let inner = self.parse_parts(Mode::Double).map_err(|e| match e {
                        ParseError::Plain { msg, .. } if msg.contains("matching `\"'") => {
                            ParseError::Plain { line, msg }
                        }
                        other => other,
                    })?;
                    self.pos += 1; // closing quote
                    flush(&mut lit, &mut parts);
                    parts.push(Part::Double(inner));
                }
                '`' => {
                    flush(&mut lit, &mut parts);
                    let list = self.parse_backquote(mode == Mode::Double)?;
                    parts.push(Part::Subst(Rc::new(list)));
                }
                '$' => {
                    if let Some(p) = self.parse_dollar(mode)? {
                        flush(&mut lit, &mut parts);
                        parts.push(p);
                    } else {
                        lit.push('$');
                    }
                }
                _ => {
                    self.pos += 1;
                    lit.push(c);
                }
            }
        }
        flush(&mut lit, &mut parts);
        self.leave();
        Ok(parts)
    }

    fn parse_backquote(&mut self, in_double: bool) -> PResult<List> {
        let line = self.line();
        self.pos += 1;
        let mut text = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(ParseError::Plain {
                        line,
                        msg: "unexpected EOF while looking for matching ``'".into(),
                    })
                }
                Some('`') => break,
                Some('\\') => match self.peek() {
                    Some(n @ ('$' | '`' | '\\')) => {
                        self.pos += 1;
                        text.push(n);
                    }
                    Some('"') if in_double => {
                        self.pos += 1;
                        text.push('"');
                    }
                    _ => text.push('\\'),
                },
                Some(c) => text.push(c),
            }
        }
        let mut sub = Parser::new(&text, line.saturating_sub(1));
        sub.depth = self.depth;
        let mut list = List::default();
        while let Some(unit) = sub.next_complete_command()? {
            list.items.extend(unit.items);
        }
        self.warnings.append(&mut sub.warnings);
        Ok(list)
    }

    /// At a `$`: returns None when the dollar sign is literal.
    fn parse_dollar(&mut self, mode: Mode) -> PResult<Option<Part>> {
        let next = self.peek_at(1);
        let unquoted = matches!(mode, Mode::Unquoted | Mode::ParamWord { dq: false });
        match next {
            Some('\'') if unquoted => {
                self.pos += 2;
                let s = self.parse_ansi_c()?;
                Ok(Some(Part::Quoted(s)))
            }
            Some('"') if unquoted => {
                // $"..." is a locale-translated string; with no catalogue it is "...".
                self.pos += 1;
                let line = self.line();
                self.pos += 1;
                let inner = self.parse_parts(Mode::Double).map_err(|e| match e {
                    ParseError::Plain { msg, .. } => ParseError::Plain { line, msg },
                    other => other,
                })?;
                self.pos += 1;
                Ok(Some(Part::Double(inner)))
            }
            Some('{') => {
                self.pos += 2;
                self.parse_brace_param(mode).map(Some)
            }
            Some('(') => {
                if self.peek_at(2) == Some('(') {
                    self.pos += 3;
                    return self.parse_arith().map(Some);
                }
                let line = self.line();
                self.pos += 2;
                let list = self.parse_list(&[])?;
                if self.peek() != Some(')') {
                    if self.at_eof() {
                        return Err(ParseError::Plain {
                            line: self.line().max(line),
                            msg: "unexpected EOF while looking for matching `)'".into(),
                        });
                    }
                    return self.near();
                }
                self.pos += 1;
                Ok(Some(Part::Subst(Rc::new(list))))
            }
            Some('[') => self.unsupported("old-style arithmetic $[...]"),
            Some(c) if is_name_start(c) => {
                self.pos += 1;
                let mut name = String::new();
                while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
                    name.push(c);
                    self.pos += 1;
                }
                let text = format!("${name}");
                Ok(Some(Part::Param(Box::new(ParamExp {
                    name: ParamName::Var(name),
                    op: ParamOp::Plain,
                    text,
                }))))
            }
            Some(c) if c.is_ascii_digit() || matches!(c, '?' | '#' | '@' | '*') => {
                self.pos += 2;
                Ok(Some(Part::Param(Box::new(ParamExp {
                    name: special_param(c),
                    op: ParamOp::Plain,
                    text: format!("${c}"),
                }))))
            }
            Some(c @ ('$' | '!' | '-')) => self.unsupported(format!("special parameter ${c}")),
            _ => {
                self.pos += 1;
                Ok(None)
            }
        }
    }

    fn parse_ansi_c(&mut self) -> PResult<String> {
        let line = self.line();
        let mut s = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(ParseError::Plain {
                        line,
                        msg: "unexpected EOF while looking for matching `''".into(),
                    })
                }
                Some('\'') => return Ok(s),
                Some('\\') => {
                    let Some(e) = self.bump() else { continue };
                    match e {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        'r' => s.push('\r'),
                        'a' => s.push('\x07'),
                        'b' => s.push('\x08'),
                        'e' | 'E' => s.push('\x1b'),
                        'f' => s.push('\x0c'),
                        'v' => s.push('\x0b'),
                        '\\' => s.push('\\'),
                        '\'' => s.push('\''),
                        '"' => s.push('"'),
                        '?' => s.push('?'),
                        '0'..='7' => {
                            let mut v = e.to_digit(8).unwrap_or(0);
                            for _ in 0..2 {
                                match self.peek().and_then(|c| c.to_digit(8)) {
                                    Some(d) => {
                                        v = v * 8 + d;
                                        self.pos += 1;
                                    }
                                    None => break,
                                }
                            }
                            s.push(char::from_u32(v & 0xff).unwrap_or('\u{fffd}'));
                        }
                        'x' | 'u' | 'U' => {
                            let max = match e {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let mut v: u32 = 0;
                            let mut n = 0;
                            while n < max {
                                match self.peek().and_then(|c| c.to_digit(16)) {
                                    Some(d) => {
                                        v = v.saturating_mul(16).saturating_add(d);
                                        self.pos += 1;
                                        n += 1;
                                    }
                                    None => break,
                                }
                            }
                            if n == 0 {
                                s.push('\\');
                                s.push(e);
                            } else {
                                s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                            }
                        }
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                }
                Some(c) => s.push(c),
            }
        }
    }

    fn parse_arith(&mut self) -> PResult<Part> {
        // Find the matching "))", counting parentheses, then expand the inside later.
        let line = self.line();
        let start = self.pos;
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => {
                    return Err(ParseError::Plain {
                        line: self.line().max(line),
                        msg: "unexpected EOF while looking for matching `)'".into(),
                    })
                }
                Some('(') => depth += 1,
                Some(')') => {
                    if depth == 0 {
                        if self.peek_at(1) == Some(')') {
                            break;
                        }
                        return self
                            .unsupported("$(( ... ) ... ) that is not an arithmetic expansion");
                    }
                    depth -= 1;
                }
                _ => {}
            }
            self.pos += 1;
        }
        let text: String = self.src[start..self.pos].iter().collect();
        self.pos += 2;
        let mut sub = Parser::new(&text, line.saturating_sub(1));
        sub.depth = self.depth;
        let parts = sub.parse_parts(Mode::Arith)?;
        Ok(Part::Arith(parts))
    }

    fn parse_brace_param(&mut self, mode: Mode) -> PResult<Part> {
        let start = self.pos.saturating_sub(2);
        let dq = matches!(
            mode,
            Mode::Double | Mode::HereDoc | Mode::ParamWord { dq: true }
        );
        let mut length = false;
        if self.peek() == Some('#') && self.peek_at(1).is_some_and(|c| c != '}') {
            length = true;
            self.pos += 1;
        }
        let name = match self.peek() {
            Some(c) if is_name_start(c) => {
                let mut n = String::new();
                while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
                    n.push(c);
                    self.pos += 1;
                }
                Some(ParamName::Var(n))
            }
            Some(c) if c.is_ascii_digit() => {
                let mut n = String::new();
                while let Some(c) = self.peek().filter(|c| c.is_ascii_digit()) {
                    n.push(c);
                    self.pos += 1;
                }
                Some(match n.parse::<u32>() {
                    Ok(0) => ParamName::Zero,
                    Ok(k) => ParamName::Positional(k),
                    Err(_) => ParamName::Positional(u32::MAX),
                })
            }
            Some(c @ ('?' | '#' | '@' | '*')) => {
                self.pos += 1;
                Some(special_param(c))
            }
            Some(c @ ('$' | '!' | '-')) if self.peek_at(1) == Some('}') => {
                return self.unsupported(format!("special parameter ${{{c}}}"));
            }
            _ => None,
        };
        let op = match (&name, self.peek()) {
            (Some(_), Some('}')) => {
                self.pos += 1;
                if length {
                    ParamOp::Length
                } else {
                    ParamOp::Plain
                }
            }
            (Some(_), Some(c)) if !length && matches!(c, ':' | '-' | '=' | '+' | '?') => {
                let colon = c == ':';
                let opc = if colon { self.peek_at(1) } else { Some(c) };
                match opc {
                    Some(o @ ('-' | '=' | '+' | '?')) => {
                        self.pos += if colon { 2 } else { 1 };
                        let parts = self.parse_parts(Mode::ParamWord { dq })?;
                        self.pos += 1; // the closing brace
                        let word = Word { parts };
                        match o {
                            '-' => ParamOp::Default { colon, word },
                            '=' => ParamOp::Assign { colon, word },
                            '+' => ParamOp::Alt { colon, word },
                            _ => ParamOp::Error { colon, word },
                        }
                    }
                    _ => return self.unsupported_param(start),
                }
            }
            (Some(_), Some('%' | '#' | '/' | '^' | ',' | '@' | '[' | ':')) => {
                return self.unsupported_param(start);
            }
            (None, Some('!')) => return self.unsupported_param(start),
            _ => {
                // Bash accepts these at parse time and fails when expanding.
                self.skip_to_brace()?;
                ParamOp::Bad
            }
        };
        let text: String = self
            .src
            .get(start..self.pos)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        Ok(Part::Param(Box::new(ParamExp {
            name: name.unwrap_or(ParamName::Var(String::new())),
            op,
            text,
        })))
    }

    fn skip_to_brace(&mut self) -> PResult<()> {
        let line = self.line();
        loop {
            match self.bump() {
                None => {
                    return Err(ParseError::Plain {
                        line,
                        msg: "unexpected EOF while looking for matching `}'".into(),
                    })
                }
                Some('}') => return Ok(()),
                Some(_) => {}
            }
        }
    }

    fn unsupported_param<T>(&mut self, start: usize) -> PResult<T> {
        let mut end = self.pos;
        while let Some(&c) = self.src.get(end) {
            end += 1;
            if c == '}' {
                break;
            }
        }
        let text: String = self
            .src
            .get(start..end)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        self.unsupported(format!("parameter expansion {text}"))
    }
}

fn special_param(c: char) -> ParamName {
    match c {
        '?' => ParamName::Status,
        '#' => ParamName::Count,
        '@' => ParamName::All(false),
        '*' => ParamName::All(true),
        '0' => ParamName::Zero,
        d => ParamName::Positional(d.to_digit(10).unwrap_or(0)),
    }
}

/// The here-document delimiter after quote removal, and whether any of it was quoted.
fn heredoc_delim(w: &Word) -> Option<(String, bool)> {
    fn walk(parts: &[Part], out: &mut String, quoted: &mut bool) -> bool {
        for p in parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Quoted(s) => {
                    out.push_str(s);
                    *quoted = true;
                }
                Part::Double(inner) => {
                    *quoted = true;
                    if !walk(inner, out, quoted) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        true
    }
    let mut out = String::new();
    let mut quoted = false;
    walk(&w.parts, &mut out, &mut quoted).then_some((out, quoted))
}

/// `NAME=value` / `NAME+=value` when the name part is unquoted literal text.
fn as_assignment(w: &Word) -> Option<Assign> {
    let Some(Part::Lit(first)) = w.parts.first() else {
        return None;
    };
    let eq = first.find('=')?;
    let (name, append) = match first[..eq].strip_suffix('+') {
        Some(n) => (n, true),
        None => (&first[..eq], false),
    };
    let array = name
        .find('[')
        .is_some_and(|i| name.ends_with(']') && is_name(&name[..i]));
    if !is_name(name) && !array {
        return None;
    }
    let mut parts = Vec::new();
    let rest = &first[eq + 1..];
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts.extend(w.parts.iter().skip(1).cloned());
    Some(Assign {
        name: name.to_string(),
        append,
        value: Word { parts },
    })
}

/// Rough source text of a word, for messages.
fn word_source(w: &Word) -> String {
    let mut s = String::new();
    for p in &w.parts {
        match p {
            Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
            Part::Double(inner) => {
                s.push('"');
                s.push_str(&word_source(&Word {
                    parts: inner.clone(),
                }));
                s.push('"');
            }
            Part::Param(p) => s.push_str(&p.text),
            Part::Subst(_) => s.push_str("$(...)"),
            Part::Arith(_) => s.push_str("$((...))"),
        }
    }
    s
}

// ---------------------------------------------------------------------------
// Execution

/// Where a file descriptor writes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sink {
    Stdout,
    Stderr,
    /// A pipe or a command substitution: index into `Shell::bufs`.
    Buf(usize),
    Null,
}

#[derive(Clone, Copy, Debug)]
struct Io {
    /// Index into `Shell::inputs`; reading takes the whole remaining input.
    input: usize,
    out: Sink,
    err: Sink,
}

impl Io {
    const TOP: Io = Io {
        input: 0,
        out: Sink::Stdout,
        err: Sink::Stderr,
    };
}

/// Non-local control flow.
#[derive(Debug)]
enum Flow {
    /// `exit`, `set -e`, `${X?}`, `set -u`: leave the (sub)shell with this status.
    Exit(i32),
    Break(u32),
    Continue(u32),
    /// The simulator gave up (unsupported feature, limits); the message is already on stderr.
    Fatal(i32),
    /// The current command is abandoned with this status (bad substitution, redirection error).
    Skip(i32),
}

type XResult = Result<i32, Flow>;

#[derive(Clone, Copy, PartialEq)]
enum FragKind {
    /// Unquoted text from the script: kept as is.
    Lit,
    /// Quoted text or a quoted expansion: kept as is, and "" still makes a field.
    Quoted,
    /// An unquoted expansion: split into fields on blanks.
    Split,
}

struct Frag {
    text: String,
    kind: FragKind,
}

/// Variables bash computes itself; reading them unset would silently differ from bash.
const DYNAMIC_VARS: &[&str] = &[
    "RANDOM",
    "SRANDOM",
    "SECONDS",
    "EPOCHSECONDS",
    "EPOCHREALTIME",
    "PIPESTATUS",
    "BASHPID",
    "PPID",
    "UID",
    "EUID",
    "HOSTNAME",
    "PWD",
    "OLDPWD",
    "BASH_VERSION",
    "BASH_SOURCE",
    "BASH_LINENO",
    "FUNCNAME",
    "HOME",
    "USER",
    "PATH",
    "SHELL",
    "TERM",
    "KUBECONFIG",
];

/// Real commands and bash builtins that this shell does not implement: running one
/// must not look like "command not found".
const UNSUPPORTED_COMMANDS: &[&str] = &[
    "alias",
    "awk",
    "base64",
    "basename",
    "bash",
    "bg",
    "bind",
    "builtin",
    "caller",
    "cd",
    "chmod",
    "command",
    "compgen",
    "complete",
    "cp",
    "curl",
    "cut",
    "date",
    "declare",
    "diff",
    "dirname",
    "disown",
    "dirs",
    "env",
    "eval",
    "exec",
    "expr",
    "fc",
    "fg",
    "find",
    "getopts",
    "gzip",
    "hash",
    "help",
    "history",
    "hostname",
    "jobs",
    "kill",
    "kind",
    "let",
    "ln",
    "local",
    "logout",
    "ls",
    "mapfile",
    "minikube",
    "mkdir",
    "mktemp",
    "mv",
    "nc",
    "openssl",
    "paste",
    "popd",
    "printenv",
    "ps",
    "pushd",
    "pwd",
    "readarray",
    "readonly",
    "rev",
    "rm",
    "sed",
    "sh",
    "shift",
    "shopt",
    "source",
    ".",
    "split",
    "ssh",
    "stat",
    "suspend",
    "tac",
    "tar",
    "tee",
    "time",
    "timeout",
    "times",
    "touch",
    "tr",
    "trap",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "uniq",
    "wait",
    "watch",
    "wget",
    "which",
    "xargs",
    "yes",
    "yq",
    "zsh",
    "helm",
    "docker",
    "python",
    "python3",
    "perl",
    "nslookup",
    "dig",
    "ping",
    "ip",
    "iptables",
    "nft",
    "ss",
    "netstat",
    "column",
    "fold",
    "nl",
    "od",
    "hexdump",
    "xxd",
    "md5sum",
    "sha256sum",
    "uuidgen",
    "whoami",
    "id",
    "uname",
    "clear",
    "less",
    "more",
    "vi",
    "vim",
    "nano",
    "ed",
    "tput",
    "stty",
    "script",
    "nohup",
    "sudo",
    "su",
];

/// A shell at work: its state, and the host it runs commands on for the
/// length of one slice. The state is all a paused script keeps.
struct Shell<'h> {
    host: &'h mut dyn ShellHost,
    st: ShellState,
}

impl std::ops::Deref for Shell<'_> {
    type Target = ShellState;
    fn deref(&self) -> &ShellState {
        &self.st
    }
}

impl std::ops::DerefMut for Shell<'_> {
    fn deref_mut(&mut self) -> &mut ShellState {
        &mut self.st
    }
}

/// Everything a shell keeps but its host: what a paused script carries
/// between two slices.
struct ShellState {
    vars: BTreeMap<String, String>,
    status: i32,
    errexit: bool,
    nounset: bool,
    pipefail: bool,
    /// >0 while running an `if`/`while` condition, the left side of `&&`/`||` or a `!` pipeline.
    suppress: usize,
    loops: u32,
    line: usize,
    last_subst: Option<i32>,
    stdout: String,
    stderr: String,
    output: String,
    bufs: Vec<String>,
    inputs: Vec<String>,
    steps: u64,
    written: usize,
    depth: usize,
}

impl Default for ShellState {
    fn default() -> Self {
        ShellState {
            vars: BTreeMap::new(),
            status: 0,
            errexit: false,
            nounset: false,
            pipefail: false,
            suppress: 0,
            loops: 0,
            line: 1,
            last_subst: None,
            stdout: String::new(),
            stderr: String::new(),
            output: String::new(),
            bufs: Vec::new(),
            inputs: vec![String::new()],
            steps: 0,
            written: 0,
            depth: 0,
        }
    }
}

impl<'h> Shell<'h> {
    /// The shell of a paused script, given its host again for the next slice.
    fn resume(host: &'h mut dyn ShellHost, st: ShellState) -> Shell<'h> {
        Shell { host, st }
    }

    /// Lets go of the host at the end of a slice.
    fn suspend(self) -> ShellState {
        self.st
    }

    // ----- output

    fn term_err(&mut self, s: &str) {
        self.stderr.push_str(s);
        self.output.push_str(s);
    }

    fn write(&mut self, sink: Sink, s: &str) -> Result<(), Flow> {
        if s.is_empty() {
            return Ok(());
        }
        self.written = self.written.saturating_add(s.len());
        if self.written > MAX_OUTPUT {
            return Err(self.fatal(&format!(
                "output limit exceeded ({MAX_OUTPUT} bytes); stopping the script"
            )));
        }
        match sink {
            Sink::Stdout => {
                self.stdout.push_str(s);
                self.output.push_str(s);
            }
            Sink::Stderr => self.term_err(s),
            Sink::Buf(i) => {
                if let Some(b) = self.bufs.get_mut(i) {
                    b.push_str(s);
                }
            }
            Sink::Null => {}
        }
        Ok(())
    }

    /// A bash diagnostic for the current line on the command's stderr.
    fn diag(&mut self, io: Io, msg: &str) -> Result<(), Flow> {
        let text = format!("{BASH}: line {}: {msg}\n", self.line);
        self.write(io.err, &text)
    }

    /// The simulator's own error: always to the terminal, ends the script with status 2.
    fn fatal(&mut self, msg: &str) -> Flow {
        let text = format!("{SIM}: {msg}\n");
        self.term_err(&text);
        Flow::Fatal(2)
    }

    fn unsupported_syntax(&mut self, what: &str) -> Flow {
        let msg = format!(
            "unsupported syntax: {what} (line {}; supported: {SUPPORTED_SYNTAX})",
            self.line
        );
        self.fatal(&msg)
    }

    fn push_buf(&mut self) -> usize {
        self.bufs.push(String::new());
        self.bufs.len() - 1
    }

    fn pop_buf(&mut self) -> String {
        self.bufs.pop().unwrap_or_default()
    }

    fn take_input(&mut self, idx: usize) -> String {
        self.inputs
            .get_mut(idx)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    fn pop_inputs(&mut self, n: usize) {
        let keep = self.inputs.len().saturating_sub(n).max(1);
        self.inputs.truncate(keep);
    }

    fn step(&mut self) -> Result<(), Flow> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(self.fatal(&format!(
                "step limit exceeded ({MAX_STEPS} commands); is there an endless loop?"
            )));
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<(), Flow> {
        self.depth += 1;
        if self.depth > MAX_DEPTH || crate::jq::stack_low() {
            self.depth -= 1;
            return Err(self.fatal(&format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ----- structure

    fn exec_list(&mut self, list: &List, io: Io) -> XResult {
        let mut st = self.status;
        for ao in &list.items {
            st = self.exec_and_or(ao, io)?;
        }
        Ok(st)
    }

    fn suppressed(&mut self, f: impl FnOnce(&mut Self) -> XResult) -> XResult {
        self.suppress += 1;
        let r = f(self);
        self.suppress -= 1;
        r
    }

    fn exec_and_or(&mut self, ao: &AndOr, io: Io) -> XResult {
        let n = ao.rest.len();
        let mut st = if n > 0 {
            self.suppressed(|sh| sh.exec_pipeline(&ao.first, io))?
        } else {
            self.exec_pipeline(&ao.first, io)?
        };
        let mut final_ran = n == 0;
        let mut negated = ao.first.negate;
        let mut compound = lone_compound(&ao.first);
        for (i, (and, p)) in ao.rest.iter().enumerate() {
            if *and == (st == 0) {
                let last = i + 1 == n;
                st = if last {
                    self.exec_pipeline(p, io)?
                } else {
                    self.suppressed(|sh| sh.exec_pipeline(p, io))?
                };
                final_ran = last;
                negated = p.negate;
                compound = lone_compound(p);
            }
        }
        self.status = st;
        // A compound command other than a subshell never ends the shell by its
        // own status: a failure inside it already did, or was ignored there
        // (bash: `for i in 1; do ! true; done` under `set -e` goes on).
        if self.errexit && st != 0 && self.suppress == 0 && final_ran && !negated && !compound {
            return Err(Flow::Exit(st));
        }
        Ok(st)
    }

    fn exec_pipeline(&mut self, p: &Pipeline, io: Io) -> XResult {
        let st = if p.negate {
            let st = self.suppressed(|sh| sh.run_pipeline(p, io))?;
            i32::from(st == 0)
        } else {
            self.run_pipeline(p, io)?
        };
        self.status = st;
        Ok(st)
    }

    fn run_pipeline(&mut self, p: &Pipeline, io: Io) -> XResult {
        if let [only] = p.cmds.as_slice() {
            return self.exec_command(only, io);
        }
        let n = p.cmds.len();
        let mut input = io.input;
        let mut own_input = false;
        let mut statuses = Vec::with_capacity(n);
        for (i, cmd) in p.cmds.iter().enumerate() {
            let last = i + 1 == n;
            let buf = if last { None } else { Some(self.push_buf()) };
            let out = buf.map(Sink::Buf).unwrap_or(io.out);
            let err = if !last && p.pipe_err.get(i) == Some(&true) {
                out
            } else {
                io.err
            };
            let r = self.subshell(|sh| sh.exec_command(cmd, Io { input, out, err }));
            let data = if buf.is_some() {
                self.pop_buf()
            } else {
                String::new()
            };
            if own_input {
                self.pop_inputs(1);
                own_input = false;
            }
            statuses.push(r?);
            if !last {
                self.inputs.push(data);
                input = self.inputs.len() - 1;
                own_input = true;
            }
        }
        if own_input {
            self.pop_inputs(1);
        }
        let last = statuses.last().copied().unwrap_or(0);
        Ok(if self.pipefail {
            statuses
                .iter()
                .rev()
                .copied()
                .find(|s| *s != 0)
                .unwrap_or(0)
        } else {
            last
        })
    }

    /// Run `f` in a subshell: variable and option changes do not leak out, `exit` ends only it.
    fn subshell(&mut self, f: impl FnOnce(&mut Self) -> XResult) -> XResult {
        let vars = self.vars.clone();
        let opts = (
            self.errexit,
            self.nounset,
            self.pipefail,
            self.suppress,
            self.loops,
        );
        let status = self.status;
        let r = f(self);
        self.vars = vars;
        (
            self.errexit,
            self.nounset,
            self.pipefail,
            self.suppress,
            self.loops,
        ) = opts;
        let r = match r {
            Err(Flow::Exit(s)) | Err(Flow::Skip(s)) => Ok(s),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(0),
            other => other,
        };
        if r.is_ok() {
            self.status = status;
        }
        r
    }

    fn exec_command(&mut self, c: &Command, io: Io) -> XResult {
        if crate::jq::stack_low() {
            return Err(self.fatal("commands nested too deeply"));
        }
        let r = match c {
            Command::Simple(sc) => self.exec_simple(sc, io),
            Command::Compound(cc, redirs, line) => {
                self.line = *line;
                match self.setup_redirs(redirs, io) {
                    Ok((rio, pushed)) => {
                        let r = self.exec_compound(cc, rio);
                        self.pop_inputs(pushed);
                        r
                    }
                    Err(e) => Err(e),
                }
            }
        };
        match r {
            Err(Flow::Skip(s)) => {
                self.status = s;
                Ok(s)
            }
            other => other,
        }
    }

    fn exec_compound(&mut self, c: &Compound, io: Io) -> XResult {
        match c {
            Compound::For { var, items, body } => {
                let mut values = Vec::new();
                for w in items.iter().flatten() {
                    values.extend(self.expand_fields(w, io)?);
                }
                self.loops += 1;
                let r = self.run_for(var, &values, body, io);
                self.loops -= 1;
                r
            }
            Compound::If { arms, otherwise } => {
                for (cond, body) in arms {
                    if self.suppressed(|sh| sh.exec_list(cond, io))? == 0 {
                        return self.exec_list(body, io);
                    }
                }
                match otherwise {
                    Some(body) => self.exec_list(body, io),
                    None => {
                        self.status = 0;
                        Ok(0)
                    }
                }
            }
            Compound::While { until, cond, body } => {
                self.loops += 1;
                let r = self.run_while(*until, cond, body, io);
                self.loops -= 1;
                r
            }
            Compound::Group(body) => self.exec_list(body, io),
            Compound::Subshell(body) => {
                self.enter()?;
                let r = self.subshell(|sh| sh.exec_list(body, io));
                self.leave();
                r
            }
        }
    }

    fn run_for(&mut self, var: &str, values: &[String], body: &List, io: Io) -> XResult {
        let mut st = 0;
        for v in values {
            self.step()?;
            self.assign(var, false, v.clone())?;
            match self.exec_list(body, io) {
                Ok(s) => st = s,
                Err(Flow::Break(k)) => {
                    if k > 1 {
                        return Err(Flow::Break(k - 1));
                    }
                    st = 0;
                    break;
                }
                Err(Flow::Continue(k)) => {
                    if k > 1 {
                        return Err(Flow::Continue(k - 1));
                    }
                    st = 0;
                }
                Err(e) => return Err(e),
            }
        }
        self.status = st;
        Ok(st)
    }

    fn run_while(&mut self, until: bool, cond: &List, body: &List, io: Io) -> XResult {
        let mut st = 0;
        loop {
            self.step()?;
            let c = self.suppressed(|sh| sh.exec_list(cond, io))?;
            if (c == 0) == until {
                break;
            }
            match self.exec_list(body, io) {
                Ok(s) => st = s,
                Err(Flow::Break(k)) => {
                    if k > 1 {
                        return Err(Flow::Break(k - 1));
                    }
                    st = 0;
                    break;
                }
                Err(Flow::Continue(k)) => {
                    if k > 1 {
                        return Err(Flow::Continue(k - 1));
                    }
                    st = 0;
                }
                Err(e) => return Err(e),
            }
        }
        self.status = st;
        Ok(st)
    }

    fn exec_simple(&mut self, sc: &Simple, io: Io) -> XResult {
        self.step()?;
        self.line = sc.line;
        self.last_subst = None;
        let mut argv = Vec::new();
        for w in &sc.words {
            argv.extend(self.expand_fields(w, io)?);
        }
        let mut assigns = Vec::new();
        for a in &sc.assigns {
            let v = self.expand_string(&a.value, io)?;
            assigns.push((a, v));
        }
        let (rio, pushed) = self.setup_redirs(&sc.redirs, io)?;
        let r = if argv.is_empty() {
            let mut r = Ok(self.last_subst.unwrap_or(0));
            for (a, v) in assigns {
                if let Err(e) = self.assign(&a.name, a.append, v) {
                    r = Err(e);
                    break;
                }
            }
            r
        } else if let Some((a, _)) = assigns.first() {
            let what = format!(
                "variable assignment before a command ({}=... {})",
                a.name,
                argv.first().map(String::as_str).unwrap_or("")
            );
            Err(self.unsupported_syntax(&what))
        } else {
            self.dispatch(&argv, rio)
        };
        self.pop_inputs(pushed);
        let st = r?;
        self.status = st;
        Ok(st)
    }

    fn assign(&mut self, name: &str, append: bool, value: String) -> Result<(), Flow> {
        if name == "IFS" {
            return Err(self.unsupported_syntax("changing IFS (only the default IFS is supported)"));
        }
        if append {
            self.vars
                .entry(name.to_string())
                .or_default()
                .push_str(&value);
        } else {
            self.vars.insert(name.to_string(), value);
        }
        Ok(())
    }

    // ----- redirections

    /// Apply redirections left to right. Returns the new descriptors and how many inputs
    /// were pushed (the caller pops them after the command).
    fn setup_redirs(&mut self, redirs: &[Redirect], io: Io) -> Result<(Io, usize), Flow> {
        let mut cur = io;
        let mut pushed = 0;
        for r in redirs {
            match self.apply_redir(r, cur, &mut pushed) {
                Ok(next) => cur = next,
                Err(e) => {
                    self.pop_inputs(pushed);
                    return Err(e);
                }
            }
        }
        Ok((cur, pushed))
    }

    fn redir_target(&mut self, w: &Word, io: Io) -> Result<String, Flow> {
        let fields = self.expand_fields(w, io)?;
        match fields.as_slice() {
            [one] => Ok(one.clone()),
            _ => {
                self.diag(io, &format!("{}: ambiguous redirect", word_source(w)))?;
                Err(Flow::Skip(1))
            }
        }
    }

    fn out_sink(&mut self, target: &str, cur: Io) -> Result<Sink, Flow> {
        match target {
            "/dev/null" => Ok(Sink::Null),
            "/dev/stdout" => Ok(cur.out),
            "/dev/stderr" => Ok(cur.err),
            _ => Err(self.unsupported_syntax(&format!(
                "redirection to the file {target:?} (there is no filesystem; only /dev/null, /dev/stdout and /dev/stderr)"
            ))),
        }
    }

    fn apply_redir(&mut self, r: &Redirect, cur: Io, pushed: &mut usize) -> Result<Io, Flow> {
        let mut next = cur;
        let set_fd = |io: &mut Io, fd: u32, sink: Sink| {
            if fd == 2 {
                io.err = sink;
            } else {
                io.out = sink;
            }
        };
        let input_fd = matches!(
            r.kind,
            RedirKind::In(_)
                | RedirKind::DupIn(_)
                | RedirKind::HereDoc(_)
                | RedirKind::HereString(_)
        );
        if input_fd != (r.fd == 0) {
            return Err(self.unsupported_syntax(&format!(
                "redirection of file descriptor {} in this direction",
                r.fd
            )));
        }
        match &r.kind {
            RedirKind::Out(w) | RedirKind::Append(w) => {
                let t = self.redir_target(w, cur)?;
                let sink = self.out_sink(&t, cur)?;
                set_fd(&mut next, r.fd, sink);
            }
            RedirKind::OutErr(w) => {
                let t = self.redir_target(w, cur)?;
                let sink = self.out_sink(&t, cur)?;
                next.out = sink;
                next.err = sink;
            }
            RedirKind::DupOut(w) => {
                let t = self.redir_target(w, cur)?;
                match t.as_str() {
                    "1" => set_fd(&mut next, r.fd, cur.out),
                    "2" => set_fd(&mut next, r.fd, cur.err),
                    "0" => {
                        return Err(self.unsupported_syntax("duplicating standard input for output"))
                    }
                    "-" => return Err(self.unsupported_syntax("closing a file descriptor (>&-)")),
                    other if r.fd == 1 && !other.bytes().all(|b| b.is_ascii_digit()) => {
                        let sink = self.out_sink(other, cur)?;
                        next.out = sink;
                        next.err = sink;
                    }
                    other => {
                        self.diag(cur, &format!("{other}: Bad file descriptor"))?;
                        return Err(Flow::Skip(1));
                    }
                }
            }
            RedirKind::In(w) => {
                let t = self.redir_target(w, cur)?;
                match t.as_str() {
                    "/dev/null" => {
                        self.inputs.push(String::new());
                        *pushed += 1;
                        next.input = self.inputs.len() - 1;
                    }
                    "/dev/stdin" => {}
                    _ => {
                        self.diag(cur, &format!("{t}: No such file or directory"))?;
                        return Err(Flow::Skip(1));
                    }
                }
            }
            RedirKind::DupIn(w) => {
                let t = self.redir_target(w, cur)?;
                if t != "0" {
                    return Err(self.unsupported_syntax(&format!("input duplication <&{t}")));
                }
            }
            RedirKind::HereDoc(hd) => {
                let body = match hd.body.get() {
                    Some(w) => w.clone(),
                    None => Word::default(),
                };
                let text = self.expand_string(&body, cur)?;
                self.inputs.push(text);
                *pushed += 1;
                next.input = self.inputs.len() - 1;
            }
            RedirKind::HereString(w) => {
                let mut text = self.expand_string(w, cur)?;
                text.push('\n');
                self.inputs.push(text);
                *pushed += 1;
                next.input = self.inputs.len() - 1;
            }
        }
        Ok(next)
    }

    // ----- expansion

    fn expand_fields(&mut self, w: &Word, io: Io) -> Result<Vec<String>, Flow> {
        let words = if w
            .parts
            .iter()
            .any(|p| matches!(p, Part::Lit(s) if s.contains('{')))
        {
            match brace_expand_word(w) {
                Some(ws) => ws,
                None => {
                    return Err(self.fatal(&format!(
                        "brace expansion of {} makes more than {MAX_EXPANSION} words",
                        word_source(w)
                    )))
                }
            }
        } else {
            vec![w.clone()]
        };
        let mut out = Vec::new();
        for w in &words {
            let mut frags = Vec::new();
            self.expand_parts(&w.parts, false, io, &mut frags)?;
            self.tilde(&mut frags)?;
            split_fields(frags, &mut out);
        }
        Ok(out)
    }

    fn expand_string(&mut self, w: &Word, io: Io) -> Result<String, Flow> {
        let mut frags = Vec::new();
        self.expand_parts(&w.parts, false, io, &mut frags)?;
        Ok(frags.into_iter().map(|f| f.text).collect())
    }

    /// Tilde expansion needs a home directory, which the simulation does not have:
    /// refuse it instead of passing `~` on unchanged.
    fn tilde(&mut self, frags: &mut [Frag]) -> Result<(), Flow> {
        if let Some(f) = frags.first_mut() {
            if f.kind == FragKind::Lit && f.text.starts_with('~') {
                let user = f.text[1..].split('/').next().unwrap_or("");
                if user.is_empty() || is_name(user) {
                    let what =
                        format!("tilde expansion of {} (there is no home directory)", f.text);
                    return Err(self.unsupported_syntax(&what));
                }
            }
        }
        Ok(())
    }

    fn expand_parts(
        &mut self,
        parts: &[Part],
        dq: bool,
        io: Io,
        out: &mut Vec<Frag>,
    ) -> Result<(), Flow> {
        for p in parts {
            match p {
                Part::Lit(s) => out.push(Frag {
                    text: s.clone(),
                    kind: if dq { FragKind::Quoted } else { FragKind::Lit },
                }),
                Part::Quoted(s) => out.push(Frag {
                    text: s.clone(),
                    kind: FragKind::Quoted,
                }),
                Part::Double(inner) => {
                    // "$@" with no positional parameters makes no word at all.
                    let all_only = matches!(inner.as_slice(), [Part::Param(pe)]
                        if matches!(pe.name, ParamName::All(false)) && matches!(pe.op, ParamOp::Plain));
                    if !all_only {
                        out.push(Frag {
                            text: String::new(),
                            kind: FragKind::Quoted,
                        });
                        self.expand_parts(inner, true, io, out)?;
                    }
                }
                Part::Param(pe) => self.expand_param(pe, dq, io, out)?,
                Part::Subst(list) => {
                    let s = self.command_subst(list, io)?;
                    out.push(Frag {
                        text: s,
                        kind: if dq {
                            FragKind::Quoted
                        } else {
                            FragKind::Split
                        },
                    });
                }
                Part::Arith(inner) => {
                    let mut frags = Vec::new();
                    self.expand_parts(inner, true, io, &mut frags)?;
                    let text: String = frags.into_iter().map(|f| f.text).collect();
                    let v = match arith_eval(&text, &mut self.vars) {
                        Ok(v) => v,
                        Err(ArithError::Unsupported(what)) => {
                            return Err(self.unsupported_syntax(&format!(
                                "{what} in arithmetic expansion $(({text}))"
                            )))
                        }
                        Err(ArithError::Msg(msg)) => {
                            self.diag(io, &format!("{}: {msg}", text.trim()))?;
                            return Err(Flow::Skip(1));
                        }
                    };
                    out.push(Frag {
                        text: v.to_string(),
                        kind: if dq {
                            FragKind::Quoted
                        } else {
                            FragKind::Split
                        },
                    });
                }
            }
        }
        Ok(())
    }

    fn lookup(&mut self, name: &ParamName) -> Result<Option<String>, Flow> {
        Ok(match name {
            ParamName::Var(n) => match self.vars.get(n) {
                Some(v) => Some(v.clone()),
                None if n == "LINENO" => Some(self.line.to_string()),
                None if n == "IFS" => Some(" \t\n".to_string()),
                None if DYNAMIC_VARS.contains(&n.as_str()) => {
                    return Err(self
                        .unsupported_syntax(&format!("the variable ${n} (it is not simulated)")))
                }
                None => None,
            },
            ParamName::Status => Some(self.status.to_string()),
            ParamName::Count => Some("0".into()),
            ParamName::Zero => Some(BASH.into()),
            ParamName::Positional(_) => None,
            ParamName::All(_) => Some(String::new()),
        })
    }

    fn param_label(name: &ParamName) -> String {
        match name {
            ParamName::Var(n) => n.clone(),
            ParamName::Status => "?".into(),
            ParamName::Count => "#".into(),
            ParamName::Zero => "0".into(),
            ParamName::Positional(k) => k.to_string(),
            ParamName::All(false) => "@".into(),
            ParamName::All(true) => "*".into(),
        }
    }

    fn expand_param(
        &mut self,
        pe: &ParamExp,
        dq: bool,
        io: Io,
        out: &mut Vec<Frag>,
    ) -> Result<(), Flow> {
        let kind = if dq {
            FragKind::Quoted
        } else {
            FragKind::Split
        };
        let value = self.lookup(&pe.name)?;
        let use_word = |colon: bool, v: &Option<String>| match v {
            None => true,
            Some(s) => colon && s.is_empty(),
        };
        match &pe.op {
            ParamOp::Plain | ParamOp::Length => {
                let Some(v) = value else {
                    if self.nounset && !matches!(pe.name, ParamName::All(_)) {
                        let label = Self::param_label(&pe.name);
                        self.diag(io, &format!("{label}: unbound variable"))?;
                        return Err(Flow::Exit(1));
                    }
                    let text = if matches!(pe.op, ParamOp::Length) {
                        "0".into()
                    } else {
                        String::new()
                    };
                    out.push(Frag { text, kind });
                    return Ok(());
                };
                let text = if matches!(pe.op, ParamOp::Length) {
                    v.chars().count().to_string()
                } else {
                    v
                };
                out.push(Frag { text, kind });
            }
            ParamOp::Default { colon, word } => {
                if use_word(*colon, &value) {
                    self.expand_param_word(word, dq, io, out)?;
                } else {
                    out.push(Frag {
                        text: value.unwrap_or_default(),
                        kind,
                    });
                }
            }
            ParamOp::Alt { colon, word } => {
                if use_word(*colon, &value) {
                    out.push(Frag {
                        text: String::new(),
                        kind,
                    });
                } else {
                    self.expand_param_word(word, dq, io, out)?;
                }
            }
            ParamOp::Assign { colon, word } => {
                if use_word(*colon, &value) {
                    let ParamName::Var(n) = &pe.name else {
                        let label = Self::param_label(&pe.name);
                        self.diag(io, &format!("${label}: cannot assign in this way"))?;
                        return Err(Flow::Skip(1));
                    };
                    let s = self.expand_string(word, io)?;
                    self.assign(&n.clone(), false, s.clone())?;
                    out.push(Frag { text: s, kind });
                } else {
                    out.push(Frag {
                        text: value.unwrap_or_default(),
                        kind,
                    });
                }
            }
            ParamOp::Error { colon, word } => {
                if use_word(*colon, &value) {
                    let label = Self::param_label(&pe.name);
                    let mut msg = self.expand_string(word, io)?;
                    if msg.is_empty() {
                        msg = if *colon {
                            "parameter null or not set".into()
                        } else {
                            "parameter not set".into()
                        };
                    }
                    self.diag(io, &format!("{label}: {msg}"))?;
                    return Err(Flow::Exit(1));
                }
                out.push(Frag {
                    text: value.unwrap_or_default(),
                    kind,
                });
            }
            ParamOp::Bad => {
                self.diag(io, &format!("{}: bad substitution", pe.text))?;
                return Err(Flow::Skip(1));
            }
        }
        Ok(())
    }

    /// The word of `${X:-word}`: outside double quotes its unquoted text is split
    /// into fields like any expansion result (`${X:-a b}` gives two words).
    fn expand_param_word(
        &mut self,
        word: &Word,
        dq: bool,
        io: Io,
        out: &mut Vec<Frag>,
    ) -> Result<(), Flow> {
        let mut frags = Vec::new();
        self.expand_parts(&word.parts, dq, io, &mut frags)?;
        for mut f in frags {
            if !dq && f.kind == FragKind::Lit {
                f.kind = FragKind::Split;
            }
            out.push(f);
        }
        Ok(())
    }

    fn command_subst(&mut self, list: &List, io: Io) -> Result<String, Flow> {
        self.enter()?;
        let b = self.push_buf();
        let sub = Io {
            input: io.input,
            out: Sink::Buf(b),
            err: io.err,
        };
        let line = self.line;
        let r = self.subshell(|sh| sh.exec_list(list, sub));
        self.line = line;
        let mut s = self.pop_buf();
        self.leave();
        let st = r?;
        self.status = st;
        self.last_subst = Some(st);
        let trimmed = s.trim_end_matches('\n').len();
        s.truncate(trimmed);
        Ok(s)
    }
}

/// Field splitting on the default IFS (blank, tab, newline).
fn split_fields(frags: Vec<Frag>, out: &mut Vec<String>) {
    let mut cur = String::new();
    let mut have = false;
    for f in frags {
        match f.kind {
            FragKind::Lit | FragKind::Quoted => {
                cur.push_str(&f.text);
                have = true;
            }
            FragKind::Split => {
                for c in f.text.chars() {
                    if matches!(c, ' ' | '\t' | '\n') {
                        if have {
                            out.push(std::mem::take(&mut cur));
                            have = false;
                        }
                    } else {
                        cur.push(c);
                        have = true;
                    }
                }
            }
        }
    }
    if have {
        out.push(cur);
    }
}

// ---------------------------------------------------------------------------
// Brace expansion

#[derive(Clone, Debug)]
enum Atom {
    Ch(char),
    Part(Part),
}

/// `a{b,c}d` and `{1..3}`; None when the result would be too large.
fn brace_expand_word(w: &Word) -> Option<Vec<Word>> {
    let mut atoms = Vec::new();
    for p in &w.parts {
        match p {
            Part::Lit(s) => atoms.extend(s.chars().map(Atom::Ch)),
            other => atoms.push(Atom::Part(other.clone())),
        }
    }
    let mut budget = MAX_EXPANSION;
    let expanded = brace_expand(&atoms, &mut budget, 0)?;
    Some(
        expanded
            .into_iter()
            .map(|atoms| {
                let mut parts = Vec::new();
                let mut lit = String::new();
                for a in atoms {
                    match a {
                        Atom::Ch(c) => lit.push(c),
                        Atom::Part(p) => {
                            if !lit.is_empty() {
                                parts.push(Part::Lit(std::mem::take(&mut lit)));
                            }
                            parts.push(p);
                        }
                    }
                }
                if !lit.is_empty() {
                    parts.push(Part::Lit(lit));
                }
                Word { parts }
            })
            .collect(),
    )
}

fn brace_expand(atoms: &[Atom], budget: &mut usize, depth: usize) -> Option<Vec<Vec<Atom>>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let is = |a: Option<&Atom>, c: char| matches!(a, Some(Atom::Ch(x)) if *x == c);
    for open in 0..atoms.len() {
        if !is(atoms.get(open), '{') {
            continue;
        }
        // The matching close brace, and the top-level commas in between.
        let mut level = 0usize;
        let mut close = None;
        let mut commas = Vec::new();
        for (k, a) in atoms.iter().enumerate().skip(open + 1) {
            match a {
                Atom::Ch('{') => level += 1,
                Atom::Ch('}') if level == 0 => {
                    close = Some(k);
                    break;
                }
                Atom::Ch('}') => level -= 1,
                Atom::Ch(',') if level == 0 => commas.push(k),
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        let alternatives: Vec<Vec<Atom>> = if !commas.is_empty() {
            let mut alts = Vec::new();
            let mut start = open + 1;
            for &c in commas.iter().chain(std::iter::once(&close)) {
                alts.push(atoms.get(start..c).unwrap_or_default().to_vec());
                start = c + 1;
            }
            alts
        } else {
            let inner = atoms.get(open + 1..close).unwrap_or_default();
            match brace_sequence(inner) {
                Some(seq) => seq?
                    .into_iter()
                    .map(|s| s.chars().map(Atom::Ch).collect())
                    .collect(),
                None => continue,
            }
        };
        let prefix = atoms.get(..open).unwrap_or_default();
        let suffix = atoms.get(close + 1..).unwrap_or_default();
        let mut out = Vec::new();
        for alt in alternatives {
            let mut joined = alt;
            joined.extend_from_slice(suffix);
            for tail in brace_expand(&joined, budget, depth + 1)? {
                *budget = budget.checked_sub(1)?;
                let mut w = prefix.to_vec();
                w.extend(tail);
                out.push(w);
            }
        }
        return Some(out);
    }
    Some(vec![atoms.to_vec()])
}

/// `{1..5}`, `{5..1}`, `{01..10}`, `{1..10..2}`, `{a..e}`. Outer None: not a sequence
/// (the braces stay literal); inner None: too large.
fn brace_sequence(inner: &[Atom]) -> Option<Option<Vec<String>>> {
    let mut s = String::new();
    for a in inner {
        match a {
            Atom::Ch(c) => s.push(*c),
            Atom::Part(_) => return None,
        }
    }
    let pieces: Vec<&str> = s.split("..").collect();
    if pieces.len() != 2 && pieces.len() != 3 {
        return None;
    }
    let step: i64 = match pieces.get(2) {
        Some(t) => t.parse().ok()?,
        None => 1,
    };
    let (Some(&a), Some(&b)) = (pieces.first(), pieces.get(1)) else {
        return None;
    };
    if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
        let width = |t: &str| {
            let digits = t.trim_start_matches('-');
            if digits.len() > 1 && digits.starts_with('0') {
                t.len()
            } else {
                0
            }
        };
        let w = width(a).max(width(b));
        let step = step.checked_abs()?.max(1) as i128;
        let count = ((x as i128 - y as i128).abs() / step) + 1;
        if count > MAX_EXPANSION as i128 {
            return Some(None);
        }
        let mut out = Vec::new();
        let mut v = x as i128;
        for _ in 0..count {
            out.push(if w > 0 {
                if v < 0 {
                    format!("-{:0>width$}", -v, width = w.saturating_sub(1))
                } else {
                    format!("{v:0>w$}")
                }
            } else {
                v.to_string()
            });
            if x <= y {
                v += step;
            } else {
                v -= step;
            }
        }
        return Some(Some(out));
    }
    let (mut ca, mut cb) = (a.chars(), b.chars());
    match (ca.next(), ca.next(), cb.next(), cb.next()) {
        (Some(x), None, Some(y), None) if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => {
            let step = step.checked_abs()?.max(1) as usize;
            let (lo, hi) = (x.min(y) as u8, x.max(y) as u8);
            let mut v: Vec<String> = (lo..=hi)
                .step_by(step)
                .map(|c| (c as char).to_string())
                .collect();
            if x > y {
                // Counting down starts at x.
                v = (lo..=hi)
                    .rev()
                    .step_by(step)
                    .map(|c| (c as char).to_string())
                    .collect();
            }
            Some(Some(v))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Commands

impl<'h> Shell<'h> {
    fn dispatch(&mut self, argv: &[String], io: Io) -> XResult {
        let Some(name) = argv.first() else {
            return Ok(0);
        };
        let args = argv.get(1..).unwrap_or_default();
        match name.as_str() {
            "kubectl" => self.run_kubectl(args, io),
            "kube-apiserver" => match self.host.kube_apiserver(args) {
                Some(out) => {
                    for (is_err, text) in split_output(&out) {
                        self.write(if is_err { io.err } else { io.out }, &text)?;
                    }
                    Ok(out.exit_code.rem_euclid(256))
                }
                None => {
                    self.diag(io, "kube-apiserver: command not found")?;
                    Ok(127)
                }
            },
            "jq" => {
                let input = self.take_input(io.input);
                let (chunks, code) = crate::jq::run_jq_chunks(args, &input);
                for (is_err, text) in chunks {
                    self.write(if is_err { io.err } else { io.out }, &text)?;
                }
                Ok(code)
            }
            "true" | ":" => Ok(0),
            "false" => Ok(1),
            "echo" => {
                let text = echo_text(args);
                self.write(io.out, &text)?;
                Ok(0)
            }
            "printf" => self.builtin_printf(args, io),
            "seq" => self.builtin_seq(args, io),
            "cat" => self.builtin_cat(args, io),
            "grep" => self.builtin_grep(args, io),
            "wc" => self.builtin_wc(args, io),
            "head" | "tail" => self.builtin_head_tail(name == "head", args, io),
            "sort" => self.builtin_sort(args, io),
            "sleep" => self.builtin_sleep(args, io),
            "test" | "[" => self.builtin_test(name, args, io),
            "export" => self.builtin_export(args, io),
            "unset" => self.builtin_unset(args, io),
            "set" => self.builtin_set(args, io),
            "read" => self.builtin_read(args, io),
            "exit" => self.builtin_exit(args, io),
            "break" | "continue" => self.builtin_break(name == "break", args, io),
            "return" => {
                self.diag(
                    io,
                    "return: can only `return' from a function or sourced script",
                )?;
                Ok(1)
            }
            n if UNSUPPORTED_COMMANDS.contains(&n) => Err(self.fatal(&format!(
                "unsupported command: {n} (line {}; supported: {SUPPORTED_COMMANDS})",
                self.line
            ))),
            n if n.contains('/') => {
                self.diag(io, &format!("{n}: No such file or directory"))?;
                Ok(127)
            }
            n => {
                self.diag(io, &format!("{n}: command not found"))?;
                Ok(127)
            }
        }
    }

    fn run_kubectl(&mut self, args: &[String], io: Io) -> XResult {
        let reads_stdin = args.iter().enumerate().any(|(i, a)| {
            a == "--filename=-"
                || a == "-f-"
                || (a == "-"
                    && i > 0
                    && matches!(
                        args.get(i - 1).map(String::as_str),
                        Some("-f" | "--filename")
                    ))
        });
        let stdin = if reads_stdin {
            self.take_input(io.input)
        } else {
            self.inputs.get(io.input).cloned().unwrap_or_default()
        };
        let out = self.host.kubectl(args, &stdin);
        for (is_err, text) in split_output(&out) {
            self.write(if is_err { io.err } else { io.out }, &text)?;
        }
        Ok(out.exit_code.rem_euclid(256))
    }

    /// GNU tools' error line on the command's stderr, e.g. `seq: missing operand`.
    fn tool_err(&mut self, io: Io, tool: &str, msg: &str, help: bool) -> Result<(), Flow> {
        let mut text = format!("{tool}: {msg}\n");
        if help {
            text.push_str(&format!("Try '{tool} --help' for more information.\n"));
        }
        self.write(io.err, &text)
    }

    fn unsupported_option(&mut self, tool: &str, opt: &str, supported: &str) -> Flow {
        let msg = format!(
            "{tool}: unsupported option {opt} (line {}; supported: {supported})",
            self.line
        );
        self.fatal(&msg)
    }

    fn builtin_cat(&mut self, args: &[String], io: Io) -> XResult {
        let mut status = 0;
        let mut files: Vec<&str> = Vec::new();
        let mut opts_done = false;
        for a in args {
            if !opts_done && a == "--" {
                opts_done = true;
            } else if !opts_done && a.starts_with('-') && a != "-" {
                return Err(self.unsupported_option(
                    "cat",
                    a,
                    "no options; `cat` and `cat -` copy stdin",
                ));
            } else {
                files.push(a);
            }
        }
        if files.is_empty() {
            files.push("-");
        }
        for f in files {
            if f == "-" {
                let s = self.take_input(io.input);
                self.write(io.out, &s)?;
            } else {
                self.tool_err(io, "cat", &format!("{f}: No such file or directory"), false)?;
                status = 1;
            }
        }
        Ok(status)
    }

    fn builtin_seq(&mut self, args: &[String], io: Io) -> XResult {
        let mut sep = "\n".to_string();
        let mut equal_width = false;
        let mut nums: Vec<&str> = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            let looks_numeric = a.len() > 1
                && a.starts_with('-')
                && a[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.');
            if a == "--" {
                nums.extend(args.iter().skip(i + 1).map(String::as_str));
                break;
            } else if a == "-w" || a == "--equal-width" {
                equal_width = true;
            } else if a == "-s" {
                i += 1;
                match args.get(i) {
                    Some(s) => sep = s.clone(),
                    None => {
                        self.tool_err(io, "seq", "option requires an argument -- 's'", true)?;
                        return Ok(1);
                    }
                }
            } else if let Some(s) = a.strip_prefix("--separator=") {
                sep = s.to_string();
            } else if let Some(s) = a.strip_prefix("-s").filter(|_| !looks_numeric) {
                sep = s.to_string();
            } else if a.starts_with('-') && a.len() > 1 && !looks_numeric {
                return Err(self.unsupported_option("seq", a, "-s SEP, -w"));
            } else {
                nums.push(a);
            }
            i += 1;
        }
        let (first, step, last) = match nums.as_slice() {
            [] => {
                self.tool_err(io, "seq", "missing operand", true)?;
                return Ok(1);
            }
            [l] => ("1", "1", *l),
            [f, l] => (*f, "1", *l),
            [f, s, l] => (*f, *s, *l),
            [_, _, _, extra, ..] => {
                self.tool_err(io, "seq", &format!("extra operand ‘{extra}’"), true)?;
                return Ok(1);
            }
        };
        let mut parsed = Vec::new();
        for t in [first, step, last] {
            match parse_decimal(t) {
                DecParse::Ok(m, f) => parsed.push((m, f)),
                DecParse::Unsupported => {
                    return Err(self.fatal(&format!(
                        "seq: unsupported number {t:?} (line {}; only plain decimal numbers)",
                        self.line
                    )))
                }
                DecParse::Invalid => {
                    self.tool_err(
                        io,
                        "seq",
                        &format!("invalid floating point argument: ‘{t}’"),
                        true,
                    )?;
                    return Ok(1);
                }
            }
        }
        let [f, s, l] = parsed.as_slice() else {
            return Err(self.fatal("seq: internal error reading its operands"));
        };
        let (f, s, l) = (*f, *s, *l);
        if s.0 == 0 {
            self.tool_err(
                io,
                "seq",
                &format!("invalid Zero increment value: ‘{step}’"),
                true,
            )?;
            return Ok(1);
        }
        let scale = f.1.max(s.1).max(l.1);
        let out_prec = f.1.max(s.1);
        let up =
            |v: (i128, u32)| -> Option<i128> { v.0.checked_mul(10i128.checked_pow(scale - v.1)?) };
        let (Some(fv), Some(sv), Some(lv)) = (up(f), up(s), up(l)) else {
            return Err(self.fatal("seq: number too large"));
        };
        let count = if (sv > 0 && fv > lv) || (sv < 0 && fv < lv) {
            0
        } else {
            // Saturating: an overflowing count is "too many" either way.
            lv.saturating_sub(fv) / sv + 1
        };
        if count > MAX_EXPANSION as i128 {
            return Err(self.fatal(&format!(
                "seq: more than {MAX_EXPANSION} numbers requested (line {})",
                self.line
            )));
        }
        let drop = 10i128.pow(scale - out_prec);
        let mut items: Vec<String> = Vec::new();
        let mut v = fv;
        for _ in 0..count {
            items.push(format_scaled(v / drop, out_prec));
            v = v.saturating_add(sv);
        }
        if equal_width {
            let w = items.iter().map(|s| s.len()).max().unwrap_or(0);
            for it in items.iter_mut() {
                if it.len() < w {
                    let (sign, digits) = match it.strip_prefix('-') {
                        Some(d) => ("-", d.to_string()),
                        None => ("", it.clone()),
                    };
                    *it = format!("{sign}{}{digits}", "0".repeat(w - it.len()));
                }
            }
        }
        if !items.is_empty() {
            let mut text = items.join(&sep);
            text.push('\n');
            self.write(io.out, &text)?;
        }
        Ok(0)
    }

    fn builtin_wc(&mut self, args: &[String], io: Io) -> XResult {
        let (mut l, mut w, mut m, mut c) = (false, false, false, false);
        let mut files = Vec::new();
        for a in args {
            match a.as_str() {
                "--lines" => l = true,
                "--words" => w = true,
                "--chars" => m = true,
                "--bytes" => c = true,
                "-" => files.push(a.as_str()),
                s if s.starts_with('-') && s.len() > 1 && !s.starts_with("--") => {
                    for ch in s.chars().skip(1) {
                        match ch {
                            'l' => l = true,
                            'w' => w = true,
                            'm' => m = true,
                            'c' => c = true,
                            _ => return Err(self.unsupported_option("wc", s, "-l, -w, -c, -m")),
                        }
                    }
                }
                s if s.starts_with("--") => {
                    return Err(self.unsupported_option("wc", s, "-l, -w, -c, -m"))
                }
                s => files.push(s),
            }
        }
        if let Some(f) = files.iter().find(|f| **f != "-") {
            self.tool_err(io, "wc", &format!("{f}: No such file or directory"), false)?;
            return Ok(1);
        }
        if !(l || w || m || c) {
            (l, w, c) = (true, true, true);
        }
        let input = self.take_input(io.input);
        let mut counts = Vec::new();
        if l {
            counts.push(input.matches('\n').count());
        }
        if w {
            counts.push(input.split_whitespace().count());
        }
        if m {
            counts.push(input.chars().count());
        }
        if c {
            counts.push(input.len());
        }
        let text = if let [one] = counts.as_slice() {
            format!("{one}\n")
        } else {
            let cols: Vec<String> = counts.iter().map(|n| format!("{n:>7}")).collect();
            format!("{}\n", cols.join(" "))
        };
        self.write(io.out, &text)?;
        Ok(0)
    }

    fn builtin_head_tail(&mut self, head: bool, args: &[String], io: Io) -> XResult {
        let tool = if head { "head" } else { "tail" };
        let mut count: Option<String> = None;
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "-n" || a == "--lines" {
                i += 1;
                match args.get(i) {
                    Some(v) => count = Some(v.clone()),
                    None => {
                        self.tool_err(io, tool, "option requires an argument -- 'n'", true)?;
                        return Ok(1);
                    }
                }
            } else if let Some(v) = a.strip_prefix("--lines=") {
                count = Some(v.to_string());
            } else if let Some(v) = a.strip_prefix("-n") {
                count = Some(v.to_string());
            } else if a.len() > 1
                && a.starts_with('-')
                && a[1..].bytes().all(|b| b.is_ascii_digit())
            {
                count = Some(a[1..].to_string());
            } else if a.starts_with('-') && a != "-" {
                return Err(self.unsupported_option(tool, a, "-n N, -N"));
            } else {
                files.push(a.as_str());
            }
            i += 1;
        }
        if let Some(f) = files.iter().find(|f| **f != "-") {
            let msg = format!("cannot open '{f}' for reading: No such file or directory");
            self.tool_err(io, tool, &msg, false)?;
            return Ok(1);
        }
        let spec = count.unwrap_or_else(|| "10".into());
        let (from_start, all_but, digits) = match (spec.strip_prefix('+'), spec.strip_prefix('-')) {
            (Some(d), _) => (true, false, d),
            (_, Some(d)) => (false, true, d),
            _ => (false, false, spec.as_str()),
        };
        let Ok(n) = digits.parse::<usize>() else {
            self.tool_err(
                io,
                tool,
                &format!("invalid number of lines: ‘{spec}’"),
                false,
            )?;
            return Ok(1);
        };
        let input = self.take_input(io.input);
        let lines: Vec<&str> = input.split_inclusive('\n').collect();
        let total = lines.len();
        let selected: &[&str] = if head {
            if all_but {
                lines.get(..total.saturating_sub(n)).unwrap_or_default()
            } else {
                lines.get(..n.min(total)).unwrap_or_default()
            }
        } else if from_start {
            lines
                .get(n.saturating_sub(1).min(total)..)
                .unwrap_or_default()
        } else {
            lines.get(total.saturating_sub(n)..).unwrap_or_default()
        };
        let text: String = selected.concat();
        self.write(io.out, &text)?;
        Ok(0)
    }

    fn builtin_sort(&mut self, args: &[String], io: Io) -> XResult {
        let (mut numeric, mut reverse, mut unique) = (false, false, false);
        for a in args {
            match a.as_str() {
                "-" => {}
                "--numeric-sort" => numeric = true,
                "--reverse" => reverse = true,
                "--unique" => unique = true,
                s if s.starts_with('-') && !s.starts_with("--") => {
                    for ch in s.chars().skip(1) {
                        match ch {
                            'n' => numeric = true,
                            'r' => reverse = true,
                            'u' => unique = true,
                            _ => return Err(self.unsupported_option("sort", s, "-n, -r, -u")),
                        }
                    }
                }
                s if s.starts_with("--") => {
                    return Err(self.unsupported_option("sort", s, "-n, -r, -u"))
                }
                f => {
                    let msg = format!("cannot read: {f}: No such file or directory");
                    self.tool_err(io, "sort", &msg, false)?;
                    return Ok(2);
                }
            }
        }
        let input = self.take_input(io.input);
        let mut lines: Vec<&str> = input.split_terminator('\n').collect();
        // Byte order, as in the C/C.UTF-8 locale; -n compares the leading number and
        // falls back to byte order for ties, like GNU sort's last-resort comparison.
        let cmp = |a: &&str, b: &&str| {
            if numeric {
                numeric_key(a)
                    .partial_cmp(&numeric_key(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            } else {
                a.as_bytes().cmp(b.as_bytes())
            }
        };
        servicecidr_core::sort::sort_by(&mut lines, |a, b| {
            let o = cmp(a, b);
            let o = if o == std::cmp::Ordering::Equal && !unique {
                a.as_bytes().cmp(b.as_bytes())
            } else {
                o
            };
            if reverse {
                o.reverse()
            } else {
                o
            }
        });
        if unique {
            lines.dedup_by(|a, b| cmp(a, b) == std::cmp::Ordering::Equal);
        }
        let mut text = String::new();
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        self.write(io.out, &text)?;
        Ok(0)
    }

    fn builtin_sleep(&mut self, args: &[String], io: Io) -> XResult {
        if args.is_empty() {
            self.tool_err(io, "sleep", "missing operand", true)?;
            return Ok(1);
        }
        let mut total = 0.0f64;
        let mut bad = false;
        for a in args {
            let (num, mult) = match a.char_indices().last() {
                Some((i, 's')) => (&a[..i], 1.0),
                Some((i, 'm')) => (&a[..i], 60.0),
                Some((i, 'h')) => (&a[..i], 3600.0),
                Some((i, 'd')) => (&a[..i], 86400.0),
                _ => (a.as_str(), 1.0),
            };
            let valid = !num.is_empty()
                && num.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && num.bytes().filter(|b| *b == b'.').count() <= 1
                && num != ".";
            match num.parse::<f64>() {
                Ok(v) if valid && v.is_finite() => total += v * mult,
                _ => {
                    self.tool_err(io, "sleep", &format!("invalid time interval ‘{a}’"), false)?;
                    bad = true;
                }
            }
        }
        if bad {
            self.write(io.err, "Try 'sleep --help' for more information.\n")?;
            return Ok(1);
        }
        self.host.sleep(total);
        Ok(0)
    }

    fn builtin_export(&mut self, args: &[String], io: Io) -> XResult {
        let mut st = 0;
        for a in args {
            if a.starts_with('-') {
                return Err(self.unsupported_option("export", a, "NAME[=VALUE]..."));
            }
            let (name, value) = match a.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (a.as_str(), None),
            };
            if !is_name(name) {
                self.diag(io, &format!("export: `{a}': not a valid identifier"))?;
                st = 1;
                continue;
            }
            if let Some(v) = value {
                self.assign(name, false, v.to_string())?;
            }
        }
        if args.is_empty() {
            return Err(self.unsupported_option(
                "export",
                "(none: listing exports)",
                "NAME[=VALUE]...",
            ));
        }
        Ok(st)
    }

    fn builtin_unset(&mut self, args: &[String], io: Io) -> XResult {
        let mut st = 0;
        for a in args {
            match a.as_str() {
                "-v" => continue,
                s if s.starts_with('-') => {
                    return Err(self.unsupported_option("unset", s, "-v NAME..."))
                }
                n if is_name(n) => {
                    self.vars.remove(n);
                }
                n => {
                    self.diag(io, &format!("unset: `{n}': not a valid identifier"))?;
                    st = 1;
                }
            }
        }
        Ok(st)
    }

    fn builtin_set(&mut self, args: &[String], io: Io) -> XResult {
        const SUPPORTED: &str = "-e, -u, -o errexit, -o nounset, -o pipefail (and + to turn off)";
        if args.is_empty() {
            return Err(self.unsupported_option("set", "(none: listing variables)", SUPPORTED));
        }
        let mut i = 0;
        while let Some(a) = args.get(i) {
            let on = a.starts_with('-');
            if a.len() < 2 || !(a.starts_with('-') || a.starts_with('+')) || a == "--" {
                return Err(self.unsupported_syntax(&format!(
                    "set {a} (positional parameters are not supported)"
                )));
            }
            for ch in a.chars().skip(1) {
                match ch {
                    'e' => self.errexit = on,
                    'u' => self.nounset = on,
                    'o' => {
                        i += 1;
                        let Some(name) = args.get(i) else {
                            return Err(self.unsupported_option("set", a, SUPPORTED));
                        };
                        match name.as_str() {
                            "errexit" => self.errexit = on,
                            "nounset" => self.nounset = on,
                            "pipefail" => self.pipefail = on,
                            n if BASH_OPTIONS.contains(&n) => {
                                return Err(self.unsupported_option(
                                    "set",
                                    &format!("{a} {n}"),
                                    SUPPORTED,
                                ))
                            }
                            n => {
                                self.diag(io, &format!("set: {n}: invalid option name"))?;
                                return Ok(1);
                            }
                        }
                    }
                    c if "abfhkmnptvxBCEHPT".contains(c) => {
                        return Err(self.unsupported_option("set", a, SUPPORTED))
                    }
                    c => {
                        self.diag(io, &format!("set: {}{c}: invalid option", &a[..1]))?;
                        self.write(
                            io.err,
                            "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n",
                        )?;
                        return Ok(2);
                    }
                }
            }
            i += 1;
        }
        Ok(0)
    }

    /// `read [-r] [NAME...]`: one line from stdin, split on blanks; the last name
    /// takes the rest of the line. Status 1 at end of input.
    fn builtin_read(&mut self, args: &[String], io: Io) -> XResult {
        let mut raw = false;
        let mut names: Vec<&str> = Vec::new();
        for a in args {
            match a.as_str() {
                "-r" => raw = true,
                s if s.starts_with('-') && names.is_empty() => {
                    return Err(self.unsupported_option("read", s, "-r NAME..."));
                }
                n => names.push(n),
            }
        }
        for n in &names {
            if !is_name(n) {
                self.diag(io, &format!("read: `{n}': not a valid identifier"))?;
                return Ok(1);
            }
        }
        let buf = self
            .inputs
            .get_mut(io.input)
            .map(std::mem::take)
            .unwrap_or_default();
        let mut line = String::new();
        let mut rest_at = buf.len();
        let mut got_newline = false;
        let mut chars = buf.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\n' {
                rest_at = i + 1;
                got_newline = true;
                break;
            }
            if c == '\\' && !raw {
                match chars.next() {
                    Some((_, '\n')) => continue,
                    Some((_, n)) => line.push(n),
                    None => {}
                }
                continue;
            }
            line.push(c);
        }
        if let Some(slot) = self.inputs.get_mut(io.input) {
            *slot = buf.get(rest_at..).unwrap_or("").to_string();
        }
        if names.is_empty() {
            self.assign("REPLY", false, line)?;
        } else {
            let mut rest = line.trim_matches(|c| c == ' ' || c == '\t');
            for (k, n) in names.iter().enumerate() {
                let value = if k + 1 == names.len() {
                    let v = rest.to_string();
                    rest = "";
                    v
                } else {
                    let end = rest.find([' ', '\t']).unwrap_or(rest.len());
                    let v = rest[..end].to_string();
                    rest = rest[end..].trim_start_matches([' ', '\t']);
                    v
                };
                self.assign(n, false, value)?;
            }
        }
        Ok(if got_newline { 0 } else { 1 })
    }

    fn builtin_exit(&mut self, args: &[String], io: Io) -> XResult {
        match args {
            [] => Err(Flow::Exit(self.status)),
            [n] => match n.trim().parse::<i64>() {
                Ok(v) => Err(Flow::Exit((v & 255) as i32)),
                Err(_) => {
                    self.diag(io, &format!("exit: {n}: numeric argument required"))?;
                    Err(Flow::Exit(2))
                }
            },
            _ => {
                self.diag(io, "exit: too many arguments")?;
                Ok(1)
            }
        }
    }

    fn builtin_break(&mut self, brk: bool, args: &[String], io: Io) -> XResult {
        let name = if brk { "break" } else { "continue" };
        let n = match args.first() {
            None => 1,
            Some(a) => match a.parse::<i64>() {
                Ok(v) if v >= 1 => u32::try_from(v).unwrap_or(u32::MAX),
                Ok(_) => {
                    self.diag(io, &format!("{name}: {a}: loop count out of range"))?;
                    return Ok(1);
                }
                Err(_) => {
                    self.diag(io, &format!("{name}: {a}: numeric argument required"))?;
                    return Ok(128);
                }
            },
        };
        if self.loops == 0 {
            self.diag(
                io,
                &format!("{name}: only meaningful in a `for', `while', or `until' loop"),
            )?;
            return Ok(0);
        }
        let n = n.min(self.loops);
        Err(if brk {
            Flow::Break(n)
        } else {
            Flow::Continue(n)
        })
    }

    fn builtin_test(&mut self, name: &str, args: &[String], io: Io) -> XResult {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let args = if name == "[" {
            match args.split_last() {
                Some((&"]", rest)) => rest.to_vec(),
                _ => {
                    self.diag(io, "[: missing `]'")?;
                    return Ok(2);
                }
            }
        } else {
            args
        };
        match test_eval(&args, &self.vars) {
            Ok(b) => Ok(i32::from(!b)),
            Err(TestError::Msg(m)) => {
                self.diag(io, &format!("{name}: {m}"))?;
                Ok(2)
            }
            Err(TestError::Unsupported(what)) => Err(self.fatal(&format!(
                "{name}: unsupported test {what} (line {}; there is no filesystem)",
                self.line
            ))),
        }
    }

    fn builtin_printf(&mut self, args: &[String], io: Io) -> XResult {
        let Some(format) = args.first() else {
            self.diag(io, "printf: usage: printf [-v var] format [arguments]")?;
            return Ok(2);
        };
        if format == "-v" {
            return Err(self.unsupported_option("printf", "-v", "FORMAT [ARGUMENTS...]"));
        }
        let rest = args.get(1..).unwrap_or_default();
        match printf_format(format, rest) {
            Ok((text, errors)) => {
                // bash reports bad numbers as it converts them and writes the
                // output when the builtin finishes.
                for e in &errors {
                    self.diag(io, &format!("printf: {e}"))?;
                }
                self.write(io.out, &text)?;
                Ok(i32::from(!errors.is_empty()))
            }
            Err(what) => Err(self.fatal(&format!(
                "printf: unsupported format {what} (line {}; supported: %s %b %c %d %i %u %x %X %o %f %%, flags, width, precision)",
                self.line
            ))),
        }
    }

    fn builtin_grep(&mut self, args: &[String], io: Io) -> XResult {
        const SUPPORTED: &str = "-v -i -c -E -F -G -o -q -s -w -x -n -e PATTERN, --color=never";
        let mut o = GrepOpts::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut operands: Vec<String> = Vec::new();
        let mut i = 0;
        let mut opts_done = false;
        while let Some(a) = args.get(i) {
            i += 1;
            if opts_done || a == "-" || !a.starts_with('-') {
                operands.push(a.clone());
                continue;
            }
            if a == "--" {
                opts_done = true;
                continue;
            }
            if let Some(long) = a.strip_prefix("--") {
                match long {
                    "invert-match" => o.invert = true,
                    "ignore-case" => o.icase = true,
                    "count" => o.count = true,
                    "extended-regexp" => o.ere = true,
                    "fixed-strings" => o.fixed = true,
                    "basic-regexp" => {
                        o.ere = false;
                        o.fixed = false
                    }
                    "quiet" | "silent" => o.quiet = true,
                    "no-messages" => o.no_messages = true,
                    "word-regexp" => o.word = true,
                    "line-regexp" => o.line = true,
                    "line-number" => o.number = true,
                    "only-matching" => o.only = true,
                    "color=never" | "colour=never" | "color=auto" | "colour=auto" => {}
                    l if l.starts_with("regexp=") => {
                        patterns.push(l["regexp=".len()..].to_string())
                    }
                    _ => return Err(self.unsupported_option("grep", a, SUPPORTED)),
                }
                continue;
            }
            let chars: Vec<char> = a.chars().skip(1).collect();
            let mut k = 0;
            while let Some(&ch) = chars.get(k) {
                k += 1;
                match ch {
                    'v' => o.invert = true,
                    'i' | 'y' => o.icase = true,
                    'c' => o.count = true,
                    'E' => o.ere = true,
                    'F' => o.fixed = true,
                    'G' => {
                        o.ere = false;
                        o.fixed = false
                    }
                    'q' => o.quiet = true,
                    's' => o.no_messages = true,
                    'w' => o.word = true,
                    'x' => o.line = true,
                    'n' => o.number = true,
                    'o' => o.only = true,
                    'e' => {
                        let attached: String = chars.get(k..).unwrap_or_default().iter().collect();
                        if attached.is_empty() {
                            match args.get(i) {
                                Some(p) => {
                                    patterns.push(p.clone());
                                    i += 1;
                                }
                                None => {
                                    self.tool_err(
                                        io,
                                        "grep",
                                        "option requires an argument -- 'e'",
                                        false,
                                    )?;
                                    self.write(
                                        io.err,
                                        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
                                    )?;
                                    return Ok(2);
                                }
                            }
                        } else {
                            patterns.push(attached);
                        }
                        break;
                    }
                    _ => return Err(self.unsupported_option("grep", &format!("-{ch}"), SUPPORTED)),
                }
            }
        }
        if patterns.is_empty() {
            if operands.is_empty() {
                self.write(
                    io.err,
                    "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
                )?;
                return Ok(2);
            }
            patterns.push(operands.remove(0));
        }
        let pats: Vec<String> = patterns
            .iter()
            .flat_map(|p| p.split('\n').map(str::to_string).collect::<Vec<_>>())
            .collect();
        let matcher = match Regex::compile(&pats, &o) {
            Ok(m) => m,
            Err(ReError::Msg(m)) => {
                self.tool_err(io, "grep", &m, false)?;
                return Ok(2);
            }
            Err(ReError::Unsupported(what)) => {
                return Err(self.fatal(&format!(
                    "grep: unsupported regular expression feature {what} (line {})",
                    self.line
                )))
            }
        };
        if operands.is_empty() {
            operands.push("-".into());
        }
        let many = operands.len() > 1;
        let mut error = false;
        let mut selected_any = false;
        let mut out = String::new();
        for f in &operands {
            if f != "-" {
                if !o.no_messages {
                    self.tool_err(
                        io,
                        "grep",
                        &format!("{f}: No such file or directory"),
                        false,
                    )?;
                }
                error = true;
                continue;
            }
            let input = self.take_input(io.input);
            let mut n = 0usize;
            for (idx, line) in input.split_terminator('\n').enumerate() {
                if matcher.is_match(line) != o.invert {
                    n += 1;
                    selected_any = true;
                    if o.quiet {
                        break;
                    }
                    if o.only && !o.count {
                        // -o prints each non-empty match on its own line (nothing with -v).
                        if !o.invert {
                            for m in matcher.find_all(line) {
                                if many {
                                    out.push_str("(standard input):");
                                }
                                if o.number {
                                    out.push_str(&format!("{}:", idx + 1));
                                }
                                out.push_str(&m);
                                out.push('\n');
                            }
                        }
                    } else if !o.count {
                        if many {
                            out.push_str("(standard input):");
                        }
                        if o.number {
                            out.push_str(&format!("{}:", idx + 1));
                        }
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
            if o.count && !o.quiet {
                if many {
                    out.push_str("(standard input):");
                }
                out.push_str(&format!("{n}\n"));
            }
        }
        self.write(io.out, &out)?;
        Ok(if o.quiet && selected_any {
            0
        } else if error {
            2
        } else if selected_any {
            0
        } else {
            1
        })
    }
}

const BASH_OPTIONS: &[&str] = &[
    "allexport",
    "braceexpand",
    "emacs",
    "errtrace",
    "functrace",
    "hashall",
    "histexpand",
    "history",
    "ignoreeof",
    "interactive-comments",
    "keyword",
    "monitor",
    "noclobber",
    "noexec",
    "noglob",
    "nolog",
    "notify",
    "onecmd",
    "physical",
    "posix",
    "privileged",
    "verbose",
    "vi",
    "xtrace",
];

/// Split a kubectl result into (is_stderr, text) chunks in write order, from the
/// interleaved `output`. Falls back to stdout then stderr when `output` does not
/// interleave the two.
fn split_output(o: &CommandOutput) -> Vec<(bool, String)> {
    let fallback = || {
        let mut v = Vec::new();
        if !o.stdout.is_empty() {
            v.push((false, o.stdout.clone()));
        }
        if !o.stderr.is_empty() {
            v.push((true, o.stderr.clone()));
        }
        v
    };
    if o.output.len() != o.stdout.len() + o.stderr.len() {
        return fallback();
    }
    let out_lines: Vec<&str> = o.stdout.split_inclusive('\n').collect();
    let err_lines: Vec<&str> = o.stderr.split_inclusive('\n').collect();
    let (mut i, mut j, mut pos) = (0, 0, 0);
    let mut chunks: Vec<(bool, String)> = Vec::new();
    let rest = |pos: usize| o.output.get(pos..).unwrap_or("");
    while i < out_lines.len() || j < err_lines.len() {
        let a = out_lines.get(i).filter(|l| rest(pos).starts_with(**l));
        let b = err_lines.get(j).filter(|l| rest(pos).starts_with(**l));
        let take_err = match (a, b) {
            (Some(x), Some(y)) => y.len() > x.len(),
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => return fallback(),
        };
        let next = if take_err {
            j += 1;
            err_lines.get(j - 1)
        } else {
            i += 1;
            out_lines.get(i - 1)
        };
        let Some(line) = next.copied() else {
            return fallback();
        };
        pos += line.len();
        match chunks.last_mut() {
            Some((e, s)) if *e == take_err => s.push_str(line),
            _ => chunks.push((take_err, line.to_string())),
        }
    }
    chunks
}

/// bash's echo: leading -n/-e/-E options, then the words joined by blanks.
fn echo_text(args: &[String]) -> String {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'))
        {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let joined = args.get(i..).unwrap_or_default().join(" ");
    let mut text = if escapes {
        let (s, stop) = backslash_escapes(&joined, true);
        if stop {
            return s;
        }
        s
    } else {
        joined
    };
    if newline {
        text.push('\n');
    }
    text
}

/// Escapes of `echo -e` and printf's `%b`/format; returns (text, stopped at \c).
fn backslash_escapes(s: &str, echo_octal: bool) -> (String, bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = chars.get(i) else {
            out.push('\\');
            break;
        };
        i += 1;
        match e {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'c' => return (out, true),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '0'..='7' if e == '0' || !echo_octal => {
                // echo: \0nnn; printf: \nnn.
                let mut v = if e == '0' && echo_octal {
                    0
                } else {
                    e.to_digit(8).unwrap_or(0)
                };
                let max = if e == '0' && echo_octal { 3 } else { 2 };
                for _ in 0..max {
                    match chars.get(i).and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            i += 1;
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v & 0xff).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let max = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut v: u32 = 0;
                let mut n = 0;
                while n < max {
                    match chars.get(i).and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            v = v.saturating_mul(16).saturating_add(d);
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    out.push('\\');
                    out.push(e);
                } else {
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// printf's format language; Err names an unsupported conversion.
fn printf_format(format: &str, args: &[String]) -> Result<(String, Vec<String>), String> {
    let fmt: Vec<char> = format.chars().collect();
    let mut out = String::new();
    let mut errors = Vec::new();
    let mut next = 0usize;
    loop {
        let start_next = next;
        let mut i = 0;
        while let Some(&c) = fmt.get(i) {
            i += 1;
            if c == '\\' {
                // Re-use the echo escape reader on this one escape sequence.
                let mut j = i;
                let mut seq = String::from("\\");
                if let Some(&e) = fmt.get(j) {
                    seq.push(e);
                    j += 1;
                    let extra = match e {
                        '0'..='7' => 2,
                        'x' => 2,
                        'u' => 4,
                        'U' => 8,
                        _ => 0,
                    };
                    for _ in 0..extra {
                        match fmt.get(j) {
                            Some(&d) if d.is_ascii_hexdigit() => {
                                seq.push(d);
                                j += 1;
                            }
                            _ => break,
                        }
                    }
                }
                let (s, stop) = backslash_escapes(&seq, false);
                // Unused trailing digits stay in the output.
                out.push_str(&s);
                if stop {
                    return Ok((out, errors));
                }
                i = j;
                continue;
            }
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut flags = String::new();
            while let Some(&f) = fmt.get(i).filter(|f| "-+ 0#".contains(**f)) {
                flags.push(f);
                i += 1;
            }
            let mut width = String::new();
            if fmt.get(i) == Some(&'*') {
                i += 1;
                let a = args.get(next).cloned().unwrap_or_default();
                next += 1;
                width = a.trim().parse::<i64>().unwrap_or(0).to_string();
            } else {
                while let Some(&d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                    width.push(d);
                    i += 1;
                }
            }
            let mut prec: Option<usize> = None;
            if fmt.get(i) == Some(&'.') {
                i += 1;
                let mut p = String::new();
                if fmt.get(i) == Some(&'*') {
                    i += 1;
                    p = args.get(next).cloned().unwrap_or_default();
                    next += 1;
                } else {
                    while let Some(&d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                        p.push(d);
                        i += 1;
                    }
                }
                prec = Some(p.trim().parse().unwrap_or(0));
            }
            let Some(&conv) = fmt.get(i) else {
                errors.push("`%': missing format character".to_string());
                return Ok((out, errors));
            };
            i += 1;
            let left = flags.contains('-') || width.starts_with('-');
            let w: usize = width.trim_start_matches('-').parse().unwrap_or(0).min(4096);
            let zero = flags.contains('0') && !left;
            let pad = |s: String, numeric: bool| -> String {
                let len = s.chars().count();
                if len >= w {
                    s
                } else if left {
                    format!("{s}{}", " ".repeat(w - len))
                } else if zero && numeric {
                    let (sign, digits) = match s.strip_prefix('-') {
                        Some(d) => ("-", d.to_string()),
                        None => ("", s.clone()),
                    };
                    format!("{sign}{}{digits}", "0".repeat(w - len))
                } else {
                    format!("{}{s}", " ".repeat(w - len))
                }
            };
            let arg = |next: &mut usize| -> Option<String> {
                let a = args.get(*next).cloned();
                *next += 1;
                a
            };
            match conv {
                '%' => out.push('%'),
                's' => {
                    let mut s = arg(&mut next).unwrap_or_default();
                    if let Some(p) = prec {
                        s = s.chars().take(p).collect();
                    }
                    out.push_str(&pad(s, false));
                }
                'b' => {
                    let (s, stop) = backslash_escapes(&arg(&mut next).unwrap_or_default(), true);
                    out.push_str(&pad(s, false));
                    if stop {
                        return Ok((out, errors));
                    }
                }
                'c' => {
                    let s: String = arg(&mut next).unwrap_or_default().chars().take(1).collect();
                    out.push_str(&pad(s, false));
                }
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let raw = arg(&mut next).unwrap_or_default();
                    let v = match printf_int(&raw) {
                        Some(v) => v,
                        None => {
                            errors.push(format!("{raw}: invalid number"));
                            0
                        }
                    };
                    let mut s = match conv {
                        'x' => format!("{:x}", v),
                        'X' => format!("{:X}", v),
                        'o' => format!("{:o}", v),
                        'u' => (v as u64).to_string(),
                        _ => v.to_string(),
                    };
                    if flags.contains('+') && v >= 0 && matches!(conv, 'd' | 'i') {
                        s.insert(0, '+');
                    }
                    out.push_str(&pad(s, true));
                }
                'f' => {
                    let raw = arg(&mut next).unwrap_or_default();
                    let v = match raw.trim().parse::<f64>() {
                        Ok(v) => v,
                        Err(_) if raw.is_empty() => 0.0,
                        Err(_) => {
                            errors.push(format!("{raw}: invalid number"));
                            0.0
                        }
                    };
                    out.push_str(&pad(format!("{:.*}", prec.unwrap_or(6).min(64), v), true));
                }
                other => return Err(format!("%{other}")),
            }
        }
        // The format is reused while arguments remain (and were consumed).
        if next >= args.len() || next == start_next {
            break;
        }
    }
    Ok((out, errors))
}

fn printf_int(raw: &str) -> Option<i64> {
    let t = raw.trim();
    if t.is_empty() {
        return Some(0);
    }
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return Some(c.chars().next().map(|c| c as i64).unwrap_or(0));
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(body, 8).ok()?
    } else {
        body.parse::<i64>().ok()?
    };
    Some(if neg { v.wrapping_neg() } else { v })
}

enum DecParse {
    Ok(i128, u32),
    Invalid,
    Unsupported,
}

/// A plain decimal number as (mantissa, digits after the point).
fn parse_decimal(t: &str) -> DecParse {
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = body.to_ascii_lowercase();
    if lower.starts_with("inf") || lower.starts_with("nan") || lower.starts_with("0x") {
        return DecParse::Unsupported;
    }
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        if body.contains(['e', 'E'])
            && body
                .bytes()
                .all(|b| b.is_ascii_digit() || b"eE.+-".contains(&b))
        {
            return DecParse::Unsupported;
        }
        return DecParse::Invalid;
    }
    if int.len() + frac.len() > 30 {
        return DecParse::Unsupported;
    }
    let digits = format!("{int}{frac}");
    let m: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().unwrap_or(0)
    };
    DecParse::Ok(if neg { -m } else { m }, frac.len() as u32)
}

fn format_scaled(v: i128, prec: u32) -> String {
    if prec == 0 {
        return v.to_string();
    }
    let p = 10i128.pow(prec);
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let p = p as u128;
    format!("{sign}{}.{:0width$}", a / p, a % p, width = prec as usize)
}

/// The leading number of a line for `sort -n` (blanks, sign, digits, point).
fn numeric_key(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || c == '.' || (i == 0 && c == '-') {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    t.get(..end).and_then(|n| n.parse().ok()).unwrap_or(0.0)
}

// ---------------------------------------------------------------------------
// test / [

enum TestError {
    Msg(String),
    Unsupported(String),
}

fn test_eval(args: &[&str], vars: &BTreeMap<String, String>) -> Result<bool, TestError> {
    match args {
        [] => Ok(false),
        [a] => Ok(!a.is_empty()),
        ["!", a] => Ok(a.is_empty()),
        [op, a] if op.starts_with('-') && op.len() == 2 => test_unary(op, a, vars),
        [op, _] => Err(TestError::Msg(format!("{op}: unary operator expected"))),
        [a, op, b] if is_binary_test(op) => test_binary(a, op, b),
        ["!", a, b] => test_eval(&[a, b], vars).map(|v| !v),
        ["(", a, ")"] => Ok(!a.is_empty()),
        [_, op, _] if *op == "-a" || *op == "-o" => {
            let mut p = TestParser { args, i: 0, vars };
            p.run()
        }
        [_, op, _] => Err(TestError::Msg(format!("{op}: binary operator expected"))),
        ["!", rest @ ..] if rest.len() == 3 => test_eval(rest, vars).map(|v| !v),
        _ => {
            let mut p = TestParser { args, i: 0, vars };
            p.run()
        }
    }
}

fn is_binary_test(op: &str) -> bool {
    matches!(
        op,
        "=" | "=="
            | "!="
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}

fn test_int(s: &str) -> Result<i64, TestError> {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TestError::Msg(format!("{s}: integer expression expected")));
    }
    t.parse::<i64>()
        .map_err(|_| TestError::Msg(format!("{s}: integer expression expected")))
}

fn test_binary(a: &str, op: &str, b: &str) -> Result<bool, TestError> {
    Ok(match op {
        "=" | "==" => a == b,
        "!=" => a != b,
        "<" => a.as_bytes() < b.as_bytes(),
        ">" => a.as_bytes() > b.as_bytes(),
        "-eq" => test_int(a)? == test_int(b)?,
        "-ne" => test_int(a)? != test_int(b)?,
        "-lt" => test_int(a)? < test_int(b)?,
        "-le" => test_int(a)? <= test_int(b)?,
        "-gt" => test_int(a)? > test_int(b)?,
        "-ge" => test_int(a)? >= test_int(b)?,
        other => return Err(TestError::Unsupported(other.to_string())),
    })
}

fn test_unary(op: &str, a: &str, vars: &BTreeMap<String, String>) -> Result<bool, TestError> {
    match op {
        "-z" => Ok(a.is_empty()),
        "-n" => Ok(!a.is_empty()),
        "-v" => Ok(vars.contains_key(a)),
        "-e" | "-f" | "-d" | "-s" | "-r" | "-w" | "-x" | "-L" | "-h" | "-p" | "-b" | "-c"
        | "-S" | "-g" | "-u" | "-k" | "-O" | "-G" | "-N" | "-t" | "-o" | "-R" => {
            Err(TestError::Unsupported(format!("{op} {a}")))
        }
        other => Err(TestError::Msg(format!("{other}: unary operator expected"))),
    }
}

/// The general form: ! ( ) -a -o over primaries.
struct TestParser<'a> {
    args: &'a [&'a str],
    i: usize,
    vars: &'a BTreeMap<String, String>,
}

impl TestParser<'_> {
    fn run(&mut self) -> Result<bool, TestError> {
        let v = self.or(0)?;
        match self.args.get(self.i) {
            None => Ok(v),
            Some(t) => Err(TestError::Msg(format!("{t}: binary operator expected"))),
        }
    }

    fn or(&mut self, depth: usize) -> Result<bool, TestError> {
        let mut v = self.and(depth)?;
        while self.args.get(self.i) == Some(&"-o") {
            self.i += 1;
            let r = self.and(depth)?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self, depth: usize) -> Result<bool, TestError> {
        let mut v = self.not(depth)?;
        while self.args.get(self.i) == Some(&"-a") {
            self.i += 1;
            let r = self.not(depth)?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self, depth: usize) -> Result<bool, TestError> {
        if depth > MAX_DEPTH {
            return Err(TestError::Msg("expression too deeply nested".into()));
        }
        if self.args.get(self.i) == Some(&"!") {
            self.i += 1;
            return self.not(depth + 1).map(|v| !v);
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<bool, TestError> {
        let Some(&a) = self.args.get(self.i) else {
            return Err(TestError::Msg("argument expected".into()));
        };
        if a == "(" {
            self.i += 1;
            let v = self.or(depth + 1)?;
            if self.args.get(self.i) != Some(&")") {
                return Err(TestError::Msg("`)' expected".into()));
            }
            self.i += 1;
            return Ok(v);
        }
        if let Some(&op) = self.args.get(self.i + 1) {
            if is_binary_test(op) {
                let b = self.args.get(self.i + 2).copied().unwrap_or("");
                self.i += 3;
                return test_binary(a, op, b);
            }
        }
        if a.starts_with('-') && a.len() == 2 && !matches!(a, "-a" | "-o") {
            if let Some(&b) = self.args.get(self.i + 1) {
                self.i += 2;
                return test_unary(a, b, self.vars);
            }
        }
        self.i += 1;
        Ok(!a.is_empty())
    }
}

// ---------------------------------------------------------------------------
// $(( ... ))

enum ArithError {
    /// A bash diagnostic (printed as `EXPR: MSG`); the command is abandoned.
    Msg(String),
    Unsupported(String),
}

#[derive(Clone, Debug, PartialEq)]
enum ATok {
    Num(i64),
    Ident(String),
    Op(&'static str),
}

const ARITH_OPS: &[&str] = &[
    "**=", "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "&", "|", "^",
    "!", "~", "?", ":", "=", ",", "(", ")",
];

fn arith_eval(text: &str, vars: &mut BTreeMap<String, String>) -> Result<i64, ArithError> {
    arith_eval_depth(text, vars, 0)
}

fn arith_eval_depth(
    text: &str,
    vars: &mut BTreeMap<String, String>,
    depth: usize,
) -> Result<i64, ArithError> {
    if depth > 32 {
        return Err(ArithError::Msg(
            "expression recursion level exceeded (error token is \"\")".into(),
        ));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut toks: Vec<(ATok, usize)> = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() {
            let mut s = String::new();
            while let Some(&d) = chars
                .get(i)
                .filter(|d| d.is_ascii_alphanumeric() || **d == '#' || **d == '_')
            {
                s.push(d);
                i += 1;
            }
            let rest: String = chars.get(start..).unwrap_or_default().iter().collect();
            let v = if s.contains('#') {
                return Err(ArithError::Unsupported(format!("the base#number form {s}")));
            } else if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                i64::from_str_radix(h, 16).ok()
            } else if s.len() > 1 && s.starts_with('0') {
                i64::from_str_radix(&s[1..], 8).ok()
            } else {
                s.parse::<u64>().ok().map(|v| v as i64)
            };
            match v {
                Some(v) => toks.push((ATok::Num(v), start)),
                None => {
                    return Err(ArithError::Msg(format!(
                        "value too great for base (error token is \"{}\")",
                        rest
                    )))
                }
            }
            continue;
        }
        if is_name_start(c) {
            let mut s = String::new();
            while let Some(&d) = chars.get(i).filter(|d| is_name_char(**d)) {
                s.push(d);
                i += 1;
            }
            if chars.get(i) == Some(&'[') {
                return Err(ArithError::Unsupported("array subscripts".into()));
            }
            toks.push((ATok::Ident(s), start));
            continue;
        }
        let rest: String = chars.get(i..).unwrap_or_default().iter().collect();
        match ARITH_OPS.iter().find(|op| rest.starts_with(**op)) {
            Some(op) => {
                i += op.len();
                toks.push((ATok::Op(op), start));
            }
            None => {
                return Err(ArithError::Msg(format!(
                    "syntax error: invalid arithmetic operator (error token is \"{rest}\")"
                )))
            }
        }
    }
    if toks.is_empty() {
        return Ok(0);
    }
    let mut p = Arith {
        toks,
        i: 0,
        chars,
        vars,
        depth,
    };
    let v = p.comma(true)?;
    if p.i < p.toks.len() {
        return Err(p.syntax("syntax error in expression"));
    }
    Ok(v)
}

struct Arith<'a> {
    toks: Vec<(ATok, usize)>,
    i: usize,
    chars: Vec<char>,
    vars: &'a mut BTreeMap<String, String>,
    depth: usize,
}

type AResult = Result<i64, ArithError>;

impl Arith<'_> {
    fn rest_at(&self, tok: usize) -> String {
        let pos = self.toks.get(tok).map(|t| t.1).unwrap_or(self.chars.len());
        self.chars.get(pos..).unwrap_or_default().iter().collect()
    }

    fn syntax(&self, what: &str) -> ArithError {
        ArithError::Msg(format!(
            "{what} (error token is \"{}\")",
            self.rest_at(self.i)
        ))
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.i) {
            Some((ATok::Op(o), _)) => Some(o),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn var(&mut self, name: &str) -> AResult {
        let v = self.vars.get(name).cloned().unwrap_or_default();
        let t = v.trim();
        if t.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = t.parse::<i64>() {
            return Ok(n);
        }
        arith_eval_depth(t, self.vars, self.depth + 1)
    }

    fn set(&mut self, name: &str, v: i64, ev: bool) {
        if ev {
            self.vars.insert(name.to_string(), v.to_string());
        }
    }

    fn comma(&mut self, ev: bool) -> AResult {
        let mut v = self.assign(ev)?;
        while self.eat(",") {
            v = self.assign(ev)?;
        }
        Ok(v)
    }

    fn assign(&mut self, ev: bool) -> AResult {
        if let (Some((ATok::Ident(name), _)), Some((ATok::Op(op), _))) = (
            self.toks.get(self.i).cloned(),
            self.toks.get(self.i + 1).cloned(),
        ) {
            if matches!(
                op,
                "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^=" | "**="
            ) {
                self.i += 2;
                let rhs_tok = self.i;
                let rhs = self.assign(ev)?;
                let v = if op == "=" {
                    rhs
                } else {
                    let cur = self.var(&name)?;
                    self.binop(&op[..op.len() - 1], cur, rhs, rhs_tok, ev)?
                };
                self.set(&name, v, ev);
                return Ok(v);
            }
        }
        self.cond(ev)
    }

    fn cond(&mut self, ev: bool) -> AResult {
        let c = self.binary(0, ev)?;
        if self.eat("?") {
            let a = self.assign(ev && c != 0)?;
            if !self.eat(":") {
                return Err(self.syntax("syntax error in expression"));
            }
            let b = self.cond(ev && c == 0)?;
            return Ok(if c != 0 { a } else { b });
        }
        Ok(c)
    }

    fn binary(&mut self, level: usize, ev: bool) -> AResult {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", ">", "<=", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.power(ev);
        };
        let mut v = self.binary(level + 1, ev)?;
        while let Some(op) = self.peek_op().filter(|o| ops.contains(o)) {
            self.i += 1;
            let rhs_tok = self.i;
            let rhs_ev = match op {
                "&&" => ev && v != 0,
                "||" => ev && v == 0,
                _ => ev,
            };
            let rhs = self.binary(level + 1, rhs_ev)?;
            v = self.binop(op, v, rhs, rhs_tok, ev)?;
        }
        Ok(v)
    }

    fn binop(&self, op: &str, a: i64, b: i64, rhs_tok: usize, ev: bool) -> AResult {
        Ok(match op {
            "||" => i64::from(a != 0 || b != 0),
            "&&" => i64::from(a != 0 && b != 0),
            "|" => a | b,
            "^" => a ^ b,
            "&" => a & b,
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "<" => i64::from(a < b),
            ">" => i64::from(a > b),
            "<=" => i64::from(a <= b),
            ">=" => i64::from(a >= b),
            "<<" => a.wrapping_shl((b & 63) as u32),
            ">>" => a.wrapping_shr((b & 63) as u32),
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" => {
                if b == 0 {
                    if !ev {
                        return Ok(0);
                    }
                    return Err(ArithError::Msg(format!(
                        "division by 0 (error token is \"{}\")",
                        self.rest_at(rhs_tok)
                    )));
                }
                if op == "/" {
                    a.wrapping_div(b)
                } else {
                    a.wrapping_rem(b)
                }
            }
            "**" => {
                if b < 0 {
                    if !ev {
                        return Ok(0);
                    }
                    return Err(ArithError::Msg(format!(
                        "exponent less than 0 (error token is \"{}\")",
                        self.rest_at(rhs_tok)
                    )));
                }
                a.wrapping_pow(u32::try_from(b).unwrap_or(u32::MAX))
            }
            _ => 0,
        })
    }

    fn power(&mut self, ev: bool) -> AResult {
        let base = self.unary(ev)?;
        if self.eat("**") {
            let rhs_tok = self.i;
            let e = self.power(ev)?;
            return self.binop("**", base, e, rhs_tok, ev);
        }
        Ok(base)
    }

    fn unary(&mut self, ev: bool) -> AResult {
        if self.depth_guard() {
            return Err(ArithError::Unsupported(format!(
                "nesting deeper than {MAX_DEPTH} levels"
            )));
        }
        match self.peek_op() {
            Some(op @ ("++" | "--")) => {
                if let Some((ATok::Ident(name), _)) = self.toks.get(self.i + 1).cloned() {
                    self.i += 2;
                    let v = self.var(&name)?;
                    let v = if op == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    self.set(&name, v, ev);
                    return Ok(v);
                }
                // "--5" is minus minus five.
                self.i += 1;
                let v = self.unary(ev)?;
                Ok(v)
            }
            Some("!") => {
                self.i += 1;
                Ok(i64::from(self.unary(ev)? == 0))
            }
            Some("~") => {
                self.i += 1;
                Ok(!self.unary(ev)?)
            }
            Some("-") => {
                self.i += 1;
                Ok(self.unary(ev)?.wrapping_neg())
            }
            Some("+") => {
                self.i += 1;
                self.unary(ev)
            }
            _ => self.postfix(ev),
        }
    }

    fn depth_guard(&self) -> bool {
        self.depth > MAX_DEPTH || crate::jq::stack_low()
    }

    fn postfix(&mut self, ev: bool) -> AResult {
        if let Some((ATok::Ident(name), _)) = self.toks.get(self.i).cloned() {
            if let Some(op @ ("++" | "--")) = self.toks.get(self.i + 1).and_then(|t| match t.0 {
                ATok::Op(o) => Some(o),
                _ => None,
            }) {
                self.i += 2;
                let v = self.var(&name)?;
                let nv = if op == "++" {
                    v.wrapping_add(1)
                } else {
                    v.wrapping_sub(1)
                };
                self.set(&name, nv, ev);
                return Ok(v);
            }
        }
        self.primary(ev)
    }

    fn primary(&mut self, ev: bool) -> AResult {
        match self.toks.get(self.i).cloned() {
            Some((ATok::Num(n), _)) => {
                self.i += 1;
                Ok(n)
            }
            Some((ATok::Ident(name), _)) => {
                self.i += 1;
                if ev {
                    self.var(&name)
                } else {
                    Ok(0)
                }
            }
            Some((ATok::Op("("), _)) => {
                self.i += 1;
                self.depth += 1;
                if self.depth_guard() {
                    return Err(ArithError::Unsupported(format!(
                        "nesting deeper than {MAX_DEPTH} levels"
                    )));
                }
                let v = self.comma(ev)?;
                self.depth -= 1;
                if !self.eat(")") {
                    return Err(ArithError::Msg(format!(
                        "missing `)' (error token is \"{}\")",
                        self.rest_at(self.i)
                    )));
                }
                Ok(v)
            }
            _ => Err(self.syntax("syntax error: operand expected")),
        }
    }
}
