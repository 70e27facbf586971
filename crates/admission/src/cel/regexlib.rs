//! `matches()` (standard CEL) and Kubernetes' `regex` library (`find`,
//! `findAll`), on `regex-lite`: RE2-like syntax without Unicode classes,
//! ≈ 20 KB of wasm instead of ≈ 280 KB for `regex`.

use cel::common::types::{CelBool, CelInt, CelList, CelString};
use cel::common::value::Val;
use cel::{DeclarationError, Env, ExecutionError};

pub const FUNCTIONS: &[&str] = &["matches", "find", "findAll"];

/// Patterns longer than this are refused: regex-lite compiles in time and
/// memory proportional to the pattern, and users type these.
const MAX_PATTERN_LEN: usize = 4096;

fn compile(function: &str, pattern: &str) -> Result<regex_lite::Regex, ExecutionError> {
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(ExecutionError::function_error(
            function,
            format!("Illegal regex: pattern longer than {MAX_PATTERN_LEN} bytes"),
        ));
    }
    regex_lite::Regex::new(pattern)
        .map_err(|e| ExecutionError::function_error(function, format!("Illegal regex: {e}")))
}

fn matches(this: &CelString<'_>, re: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    Ok(CelBool::from(
        compile("matches", re.inner())?.is_match(this.inner()),
    ))
}

fn find(this: &CelString<'_>, re: &CelString<'_>) -> Result<CelString<'static>, ExecutionError> {
    let re = compile("find", re.inner())?;
    Ok(CelString::from(
        re.find(this.inner())
            .map(|m| m.as_str().to_string())
            .unwrap_or_default(),
    ))
}

fn find_all_n(this: &str, re: &str, n: i64) -> Result<CelList<'static>, ExecutionError> {
    let re = compile("findAll", re)?;
    // Go's FindAllString: a negative limit means all matches.
    let limit = if n < 0 { usize::MAX } else { n as usize };
    let found: Vec<Box<dyn Val>> = re
        .find_iter(this)
        .take(limit)
        .map(|m| Box::new(CelString::from(m.as_str().to_string())) as Box<dyn Val>)
        .collect();
    Ok(CelList::from(found))
}

fn find_all(this: &CelString<'_>, re: &CelString<'_>) -> Result<CelList<'static>, ExecutionError> {
    find_all_n(this.inner(), re.inner(), -1)
}

fn find_all_limit(
    this: &CelString<'_>,
    re: &CelString<'_>,
    n: &CelInt,
) -> Result<CelList<'static>, ExecutionError> {
    find_all_n(this.inner(), re.inner(), i64::from(*n))
}

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_member_overload!(env, fn matches: (CelString, CelString) -> Result<CelBool>)?;
    cel::add_overload!(env, fn matches: (CelString, CelString) -> Result<CelBool>, id = "matches")?;
    cel::add_member_overload!(env, fn find: (CelString, CelString) -> Result<CelString>)?;
    cel::add_member_overload!(env, fn find_all: (CelString, CelString) -> Result<CelList>)?;
    cel::add_member_overload!(env, fn find_all_limit: (CelString, CelString, CelInt) -> Result<CelList>, name = "findAll")?;
    Ok(())
}
