//! `kubectl get -o custom-columns=HEADER:PATH,…` (k8s.io/cli-runtime's
//! CustomColumnsPrinter), checked against kubectl 1.33 over HTTP.
//!
//! Each column's path is "relaxed" to one `{…}` JSONPath (`.a.b`, `a.b`,
//! `{a.b}` and `{.a.b}` all mean `{.a.b}`); a cell is every value found,
//! printed with Go's `%v` and joined by commas, or `<none>`. The header is
//! written before the paths are parsed, and an error stops the table where it
//! is: what was written stays, as kubectl's deferred tabwriter flush prints it.

use super::{CmdError, Out};
use crate::jsonpath::{compile, Compiled};
use crate::tabwriter::format_text;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct CustomColumns {
    /// (header, relaxed `{…}` template).
    columns: Vec<(String, String)>,
}

/// upstream RelaxedJSONPathExpression: `^\{\.?([^{}]+)\}$|^\.?([^{}]+)$` → `{.…}`.
fn relaxed(path: &str) -> Result<String, CmdError> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let braced = path.strip_prefix('{').and_then(|p| p.strip_suffix('}'));
    let inner = braced.unwrap_or(path);
    // `\.?` gives its dot back when nothing else is left: "." is the path ".".
    let inner = match inner.strip_prefix('.') {
        Some(rest) if !rest.is_empty() => rest,
        _ => inner,
    };
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err(CmdError::Client(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".into(),
        ));
    }
    Ok(format!("{{.{inner}}}"))
}

impl CustomColumns {
    /// upstream NewCustomColumnsPrinterFromSpec.
    pub fn parse(spec: &str) -> Result<CustomColumns, CmdError> {
        if spec.is_empty() {
            return Err(CmdError::Client(
                "custom-columns format specified but no custom columns given".into(),
            ));
        }
        let mut columns = Vec::new();
        for part in spec.split(',') {
            let Some((header, path)) = part.split_once(':') else {
                return Err(CmdError::Client(format!(
                    "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
                )));
            };
            columns.push((header.to_string(), relaxed(path)?));
        }
        Ok(CustomColumns { columns })
    }

    /// Prints the objects (a List's items, or the one object) as kubectl does.
    pub fn print(&self, objs: &[Value], no_headers: bool, out: &mut Out) -> Result<(), CmdError> {
        let mut text = String::new();
        let result = self.write(objs, no_headers, &mut text);
        out.out(&format_text(&text));
        result
    }

    fn write(&self, objs: &[Value], no_headers: bool, text: &mut String) -> Result<(), CmdError> {
        if !no_headers {
            let headers: Vec<&str> = self.columns.iter().map(|(h, _)| h.as_str()).collect();
            text.push_str(&headers.join("\t"));
            text.push('\n');
        }
        let parsers = self
            .columns
            .iter()
            .map(|(_, t)| compile(t))
            .collect::<Result<Vec<Compiled>, String>>()
            .map_err(CmdError::Client)?;
        for obj in objs {
            let mut cells = Vec::with_capacity(parsers.len());
            for parser in &parsers {
                let values = parser.values_v(obj).map_err(CmdError::Client)?;
                let mut shown: Vec<String> = Vec::new();
                if values.first().is_none_or(|v| v.is_empty()) {
                    shown.push("<none>".into());
                }
                shown.extend(values.into_iter().flatten());
                cells.push(shown.join(","));
            }
            text.push_str(&cells.join("\t"));
            text.push('\n');
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn printed(spec: &str, objs: &[Value], no_headers: bool) -> (String, Option<CmdError>) {
        let mut out = Out::default();
        let r = CustomColumns::parse(spec).and_then(|c| c.print(objs, no_headers, &mut out));
        (out.stdout, r.err())
    }

    fn svc(name: &str, ports: &[i64]) -> Value {
        let ports: Vec<Value> = ports
            .iter()
            .map(|p| json!({"port": p, "protocol": "TCP"}))
            .collect();
        json!({"kind": "Service", "metadata": {"name": name, "labels": {"app": name}}, "spec": {"ports": ports}})
    }

    fn msg(e: Option<CmdError>) -> Option<String> {
        e.map(|e| match e {
            CmdError::Client(s) => s,
            other => format!("{other:?}"),
        })
    }

    /// Goldens from kubectl 1.33 (`get svc -o custom-columns=…` over HTTP).
    #[test]
    fn cells_are_go_v_values_joined_by_commas() {
        let objs = [svc("kubernetes", &[443]), svc("web", &[80, 443])];
        let spec = "NAME:.metadata.name,PORTS:.spec.ports[*].port,L:metadata.labels,P:{.spec.ports[0]},X:{.nope}";
        let (o, e) = printed(spec, &objs, false);
        assert_eq!(e, None);
        let want = [
            "NAME         PORTS    L                     P                            X",
            "kubernetes   443      map[app:kubernetes]   map[port:443 protocol:TCP]   <none>",
            "web          80,443   map[app:web]          map[port:80 protocol:TCP]    <none>",
        ];
        assert_eq!(o, want.join("\n") + "\n");
    }

    #[test]
    fn headers_can_be_left_out_and_an_empty_list_prints_only_them() {
        assert_eq!(
            printed("NAME:.metadata.name", &[svc("a", &[1])], true).0,
            "a\n"
        );
        assert_eq!(
            printed("NAME:.metadata.name,B:.kind", &[], false).0,
            "NAME   B\n"
        );
        assert_eq!(
            printed(":.metadata.name", &[svc("a", &[1])], false).0,
            "\na\n"
        );
    }

    #[test]
    fn spec_errors_are_kubectls() {
        let err = |spec: &str| msg(printed(spec, &[], false).1);
        assert_eq!(
            err(""),
            Some("custom-columns format specified but no custom columns given".into())
        );
        assert_eq!(
            err("NAME"),
            Some("unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>".into())
        );
        assert_eq!(
            err("A:.metadata.name,B:.metadata.name,"),
            Some("unexpected custom-columns spec: , expected <header>:<json-path-expr>".into())
        );
        assert_eq!(relaxed(".").ok(), Some("{..}".to_string()));
        assert_eq!(relaxed("{.}").ok(), Some("{..}".to_string()));
        assert_eq!(relaxed("{a.b}").ok(), Some("{.a.b}".to_string()));
        assert_eq!(err("A:{.a}{.b}"), Some("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".into()));
    }

    /// A path that fails to parse or run stops the table after what was
    /// written: the header (and earlier rows) stay.
    #[test]
    fn errors_stop_the_table_where_it_is() {
        let (o, e) = printed("A:.spec[", &[svc("a", &[1])], false);
        assert_eq!(
            (o.as_str(), msg(e)),
            ("A\n", Some("unterminated array".into()))
        );
        let (o, e) = printed("A:.spec.ports[5].port", &[svc("a", &[1])], false);
        assert_eq!(
            (o.as_str(), msg(e)),
            (
                "A\n",
                Some("array index out of bounds: index 5, length 1".into())
            )
        );
        // An empty path and a path with a colon in it find nothing.
        assert_eq!(
            printed("A:,B:.metadata.name:x", &[svc("a", &[1])], false).0,
            "A        B\n<none>   <none>\n"
        );
    }
}
