//! kubectl's `-o go-template=…` / `-o template=…` printer (cli-runtime's
//! GoTemplatePrinter): a text/template named "output" with kubectl's extra
//! functions, executed over the object decoded from its JSON, and on failure
//! the same debugging block on stdout and error line kubectl prints.

pub mod exec;
pub mod fmt;
pub mod parse;

use crate::jsonpath::go_quote;
use serde_json::Value;

/// A parsed `-o go-template` printer.
#[derive(Clone, Debug)]
pub struct GoTemplate {
    raw: String,
    tmpl: parse::Template,
}

impl PartialEq for GoTemplate {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

/// What printing produced when the template failed: the stdout kubectl has
/// written by then, and its error message (without `error: `).
#[derive(Clone, Debug, PartialEq)]
pub struct PrintFailure {
    pub stdout: String,
    pub error: String,
}

impl GoTemplate {
    /// NewGoTemplatePrinter: `error parsing template {{…}}, template: output:1: …`.
    pub fn new(raw: &str) -> Result<GoTemplate, String> {
        parse::parse(raw)
            .map(|tmpl| GoTemplate {
                raw: raw.to_string(),
                tmpl,
            })
            .map_err(|e| format!("error parsing template {raw}, {}", e.text()))
    }

    /// PrintObj: the template over the object.
    pub fn print(&self, obj: &Value) -> Result<String, PrintFailure> {
        match exec::execute(&self.tmpl, obj) {
            Ok(s) => Ok(s),
            Err((partial, e)) => {
                let err = e.text(&self.tmpl.src);
                let mut stdout = partial;
                stdout.push_str(&format!(
                    "Error executing template: {err}. Printing more information for debugging the template:\n\
                     \ttemplate was:\n\t\t{}\n\
                     \traw data was:\n\t\t{}\n\
                     \tobject given to template engine was:\n\t\t{}\n\n",
                    self.raw,
                    go_json(obj),
                    fmt::value_string(&exec::V::J(obj.clone())),
                ));
                Err(PrintFailure {
                    stdout,
                    error: format!("error executing template {}: {err}", go_quote(&self.raw)),
                })
            }
        }
    }
}

/// Prints through a template: its output, or kubectl's debugging block on
/// stdout and the error the command then reports.
pub fn print_to(
    out: &mut super::Out,
    t: &GoTemplate,
    obj: &Value,
) -> Result<(), super::errors::CmdError> {
    match t.print(obj) {
        Ok(s) => {
            out.out(&s);
            Ok(())
        }
        Err(f) => {
            out.out(&f.stdout);
            Err(super::errors::CmdError::Client(f.error))
        }
    }
}

/// json.Marshal of the decoded object: compact, keys sorted, Go's escaping.
pub(crate) fn go_json(v: &Value) -> String {
    fn write(out: &mut String, v: &Value) {
        match v {
            Value::Object(m) => {
                out.push('{');
                let mut keys: Vec<&String> = m.keys().collect();
                servicecidr_core::sort::sort(&mut keys);
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    crate::yaml::json_string(out, k);
                    out.push(':');
                    write(out, &m[k]);
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(out, x);
                }
                out.push(']');
            }
            Value::String(s) => crate::yaml::json_string(out, s),
            other => out.push_str(&other.to_string()),
        }
    }
    let mut s = String::new();
    write(&mut s, v);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn svc() -> Value {
        json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default","labels":{"app":"web"},"annotations":{"a":"1"}},"spec":{"ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}],"selector":{"app":"web"},"clusterIP":"10.96.0.10","type":"ClusterIP"}})
    }

    // Goldens recorded with kubectl 1.33.1 offline:
    // kubectl.1.33 patch --local -f svc.json -p '{}' -o go-template='…'
    #[test]
    fn kubectl_goldens() {
        let t = GoTemplate::new(
            "{{.metadata.name}} {{range $i, $p := .spec.ports}}{{$i}}:{{$p.port}} {{end}}{{.nope}}{{\"\\n\"}}",
        )
        .unwrap();
        assert_eq!(t.print(&svc()).unwrap(), "web 0:80 1:443 <no value>\n");
        let t = GoTemplate::new("{{.metadata.name.foo}}").unwrap();
        let f = t.print(&svc()).unwrap_err();
        assert_eq!(f.error, "error executing template \"{{.metadata.name.foo}}\": template: output:1:11: executing \"output\" at <.metadata.name.foo>: can't evaluate field foo in type interface {}");
        assert_eq!(f.stdout, "Error executing template: template: output:1:11: executing \"output\" at <.metadata.name.foo>: can't evaluate field foo in type interface {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{{.metadata.name.foo}}\n\traw data was:\n\t\t{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{\"a\":\"1\"},\"labels\":{\"app\":\"web\"},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"10.96.0.10\",\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\",\"targetPort\":8080},{\"name\":\"https\",\"port\":443,\"protocol\":\"TCP\",\"targetPort\":8443}],\"selector\":{\"app\":\"web\"},\"type\":\"ClusterIP\"}}\n\tobject given to template engine was:\n\t\tmap[apiVersion:v1 kind:Service metadata:map[annotations:map[a:1] labels:map[app:web] name:web namespace:default] spec:map[clusterIP:10.96.0.10 ports:[map[name:http port:80 protocol:TCP targetPort:8080] map[name:https port:443 protocol:TCP targetPort:8443]] selector:map[app:web] type:ClusterIP]]\n\n");
        assert_eq!(
            GoTemplate::new("{{.metadata.name").unwrap_err(),
            "error parsing template {{.metadata.name, template: output:1: unclosed action"
        );
        assert_eq!(
            GoTemplate::new("{{foo}}").unwrap_err(),
            "error parsing template {{foo}}, template: output:1: function \"foo\" not defined"
        );
    }
}
