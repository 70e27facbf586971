//! Kubernetes' CEL `lists` library (k8s.io/apiserver/pkg/cel/library/lists.go):
//! `isSorted()`, `sum()`, `min()`, `max()`, `indexOf(x)`, `lastIndexOf(x)` on lists.
//! (cel-go's `ext.Lists`, registered alongside, brings `slice`, `flatten`,
//! `distinct`, `reverse`, `sort` and `lists.range`.)

use cel::common::types::{CelInt, DYN_TYPE, LIST_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{DeclarationError, Env, ExecutionError};
use std::cmp::Ordering;

pub const FUNCTIONS: &[&str] = &["min", "max"];

fn elements<'a, 'v>(list: &'a (dyn Val + 'v)) -> Result<Vec<&'a (dyn Val + 'v)>, ExecutionError> {
    let Some(it) = list.as_iterable() else {
        return Err(ExecutionError::UnexpectedType {
            got: list.get_type().name().to_string(),
            want: "list".to_string(),
        });
    };
    let mut iter = it.iter();
    let mut out = Vec::new();
    while let Some(x) = iter.next() {
        out.push(x);
    }
    Ok(out)
}

fn compare(a: &dyn Val, b: &dyn Val) -> Result<Ordering, ExecutionError> {
    match a.as_comparer() {
        Some(c) => c.compare(b),
        None => Err(ExecutionError::no_such_overload(
            "compare",
            vec![
                a.get_type().name().to_string(),
                b.get_type().name().to_string(),
            ],
        )),
    }
}

fn one_arg<'b, 'v>(mut args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    match args.len() {
        1 => Ok(args.remove(0)),
        n => Err(ExecutionError::invalid_argument_count(1, n)),
    }
}

fn is_sorted<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let list = one_arg(args)?;
    let items = elements(list.as_ref())?;
    for pair in items.windows(2) {
        if compare(pair[0], pair[1])? == Ordering::Greater {
            return Ok(CowVal::owned(cel::common::types::CelBool::from(false)));
        }
    }
    Ok(CowVal::owned(cel::common::types::CelBool::from(true)))
}

fn sum<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let list = one_arg(args)?;
    let items = elements(list.as_ref())?;
    // Upstream starts from the element type's zero; without types, an empty
    // list sums to int 0 and a non-empty one starts from its first element.
    let Some((first, rest)) = items.split_first() else {
        return Ok(CowVal::owned(CelInt::from(0)));
    };
    let mut acc: Box<dyn Val + 'v> = first.clone_as_boxed();
    for x in rest {
        let next = match acc.as_adder() {
            Some(adder) => adder.add(*x)?.into_owned(),
            None => {
                return Err(ExecutionError::no_such_overload(
                    "_+_",
                    vec![
                        acc.get_type().name().to_string(),
                        x.get_type().name().to_string(),
                    ],
                ))
            }
        };
        acc = next;
    }
    Ok(CowVal::Owned(acc))
}

fn pick<'b, 'v>(
    args: Vec<CowVal<'b, 'v>>,
    name: &str,
    replace_when: Ordering,
) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let list = one_arg(args)?;
    let items = elements(list.as_ref())?;
    let mut result: Option<&(dyn Val + 'v)> = None;
    for x in items {
        result = match result {
            None => Some(x),
            Some(r) if compare(r, x)? == replace_when => Some(x),
            keep => keep,
        };
    }
    match result {
        Some(r) => Ok(CowVal::Owned(r.clone_as_boxed())),
        None => Err(ExecutionError::function_error(
            name,
            format!("{name} called on empty list"),
        )),
    }
}

fn min<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    pick(args, "min", Ordering::Greater)
}

fn max<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    pick(args, "max", Ordering::Less)
}

fn index_of_impl<'b, 'v>(
    args: Vec<CowVal<'b, 'v>>,
    last: bool,
) -> Result<CowVal<'b, 'v>, ExecutionError> {
    if args.len() != 2 {
        return Err(ExecutionError::invalid_argument_count(2, args.len()));
    }
    let items = elements(args[0].as_ref())?;
    let needle = args[1].as_ref();
    let found = if last {
        items.iter().rposition(|x| x.equals(needle))
    } else {
        items.iter().position(|x| x.equals(needle))
    };
    Ok(CowVal::owned(CelInt::from(found.map_or(-1, |i| i as i64))))
}

fn index_of<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    index_of_impl(args, false)
}

fn last_index_of<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    index_of_impl(args, true)
}

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_member_overload("isSorted", "list_is_sorted", LIST_TYPE, vec![], is_sorted)?;
    env.add_member_overload("sum", "list_sum", LIST_TYPE, vec![], sum)?;
    env.add_member_overload("min", "list_min", LIST_TYPE, vec![], min)?;
    env.add_member_overload("max", "list_max", LIST_TYPE, vec![], max)?;
    env.add_member_overload(
        "indexOf",
        "list_index_of",
        LIST_TYPE,
        vec![DYN_TYPE],
        index_of,
    )?;
    env.add_member_overload(
        "lastIndexOf",
        "list_last_index_of",
        LIST_TYPE,
        vec![DYN_TYPE],
        last_index_of,
    )?;
    Ok(())
}
