//! How kubectl turns errors into the lines a user sees (kubectl
//! `pkg/cmd/util/helpers.go`: checkErr, StandardErrorMessage, MultilineError,
//! MultipleErrors, AddSourceToErr), applied to the simulated apiserver's answers.

use servicecidr_core::model::ApiError;

/// One failure of a command.
#[derive(Clone, Debug, PartialEq)]
pub enum CmdError {
    /// The apiserver's answer (a metav1.Status).
    Api(ApiError),
    /// A client-side error; kubectl prints it with an `error: ` prefix.
    Client(String),
    /// A message kubectl prints exactly as it is (it has its own layout).
    Raw(String),
}

impl From<ApiError> for CmdError {
    fn from(e: ApiError) -> Self {
        CmdError::Api(e)
    }
}

/// AddSourceToErr: `error when <verb> "<source>": <message>`, keeping the Status
/// (reason, details) so Invalid answers still print their causes.
pub fn with_source(mut err: ApiError, verb: &str, source: &str) -> ApiError {
    if !source.is_empty() {
        err.message = format!("error when {verb} {:?}: {}", source, err.message);
    }
    err
}

/// StandardErrorMessage / messageForError: the one-line form used for every error
/// when several are reported together, and for every non-Invalid error alone.
pub fn standard_message(err: &CmdError) -> String {
    match err {
        CmdError::Api(e) => {
            if e.reason == "Unauthorized" {
                format!("error: You must be logged in to the server ({})", e.message)
            } else if e.reason.is_empty() {
                format!("Error from server: {}", e.message)
            } else {
                format!("Error from server ({}): {}", e.reason, e.message)
            }
        }
        CmdError::Client(m) => m.clone(),
        CmdError::Raw(m) => m.clone(),
    }
}

fn ensure_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// checkErr for one error: Invalid answers print `The <Kind> "<name>" is invalid: `
/// and their causes (one on the same line, several as `* field: message` lines).
fn check_one(err: &CmdError) -> String {
    match err {
        CmdError::Api(e) if e.reason == "Invalid" => {
            // Without a kind, name or causes, kubectl shows the server's message
            // (seen with kubectl 1.33 on a JSON patch the server rejected).
            let generic = || match e.message.as_str() {
                "" => "The request is invalid\n".to_string(),
                m => format!("The request is invalid: {m}\n"),
            };
            let Some(details) = &e.details else {
                return generic();
            };
            let kind = details.get("kind").and_then(|v| v.as_str()).unwrap_or("");
            let name = details.get("name").and_then(|v| v.as_str()).unwrap_or("");
            let mut head = "The request is invalid".to_string();
            if !kind.is_empty() || !name.is_empty() {
                head = format!("The {kind} {name:?} is invalid");
            }
            let mut lines: Vec<String> = Vec::new();
            for (field, message) in e.causes() {
                let l = format!("{field}: {message}");
                if !lines.contains(&l) {
                    lines.push(l);
                }
            }
            match lines.len() {
                0 if kind.is_empty() && name.is_empty() => generic(),
                0 => format!("{head}\n"),
                1 => format!("{head}: {}\n", lines[0]),
                _ => {
                    let mut s = format!("{head}: \n");
                    for l in lines {
                        s.push_str("* ");
                        s.push_str(&l);
                        s.push('\n');
                    }
                    s
                }
            }
        }
        CmdError::Api(_) | CmdError::Raw(_) => ensure_newline(standard_message(err)),
        CmdError::Client(m) => {
            if m.starts_with("error: ") {
                ensure_newline(m.clone())
            } else {
                crate::printers::error_output(m)
            }
        }
    }
}

/// What kubectl writes to stderr for the errors a command collected (an
/// aggregate of one is unwrapped; several print one standard line each).
pub fn render_errors(errs: &[CmdError]) -> String {
    match errs {
        [] => String::new(),
        [one] => check_one(one),
        many => {
            let mut s = String::new();
            for e in many {
                s.push_str(&standard_message(e));
                s.push('\n');
            }
            s
        }
    }
}

/// cmdutil.UsageErrorf: the message plus cobra's pointer to the help.
pub fn usage_error(msg: &str, command_path: &str) -> CmdError {
    CmdError::Client(format!(
        "{msg}\nSee '{command_path} -h' for help and examples"
    ))
}

/// A flag-parsing failure as cobra reports it.
pub fn flag_error(msg: &str, command_path: &str) -> CmdError {
    CmdError::Raw(format!(
        "error: {msg}\nSee '{command_path} --help' for usage."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use servicecidr_core::model::FieldError;

    #[test]
    fn invalid_with_one_cause_stays_on_one_line() {
        let e = ApiError::invalid(
            "ServiceCIDR",
            "networking.k8s.io",
            "bad",
            &[FieldError::invalid(
                "spec.cidrs[0]",
                "garbage",
                "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            )],
        );
        assert_eq!(
            render_errors(&[CmdError::Api(e)]),
            "The ServiceCIDR \"bad\" is invalid: spec.cidrs[0]: Invalid value: \"garbage\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)\n"
        );
    }

    #[test]
    fn invalid_with_several_causes_lists_them() {
        let e = ApiError::invalid(
            "ServiceCIDR",
            "networking.k8s.io",
            "bad1",
            &[
                FieldError::invalid("spec.cidrs[0]", "garbage", "must be a valid CIDR value"),
                FieldError::required("spec.cidrs[1]", ""),
                FieldError::required("spec.cidrs[1]", ""),
            ],
        );
        assert_eq!(
            render_errors(&[CmdError::Api(e)]),
            "The ServiceCIDR \"bad1\" is invalid: \n* spec.cidrs[0]: Invalid value: \"garbage\": must be a valid CIDR value\n* spec.cidrs[1]: Required value\n"
        );
    }

    #[test]
    fn invalid_among_several_errors_prints_the_server_form() {
        let inv = ApiError::invalid(
            "ServiceCIDR",
            "networking.k8s.io",
            "one4",
            &[FieldError::invalid(
                "spec.cidrs[0]",
                "garbage",
                "must be a valid CIDR value",
            )],
        );
        let dup = ApiError::already_exists("servicecidrs", "networking.k8s.io", "newcidr1");
        let out = render_errors(&[
            CmdError::Api(with_source(inv, "creating", "STDIN")),
            CmdError::Api(with_source(dup, "creating", "STDIN")),
        ]);
        assert_eq!(
            out,
            "Error from server (Invalid): error when creating \"STDIN\": ServiceCIDR.networking.k8s.io \"one4\" is invalid: spec.cidrs[0]: Invalid value: \"garbage\": must be a valid CIDR value\n\
             Error from server (AlreadyExists): error when creating \"STDIN\": servicecidrs.networking.k8s.io \"newcidr1\" already exists\n"
        );
    }

    #[test]
    fn other_errors() {
        let nf = ApiError::not_found("servicecidrs", "networking.k8s.io", "newcidr1");
        assert_eq!(
            render_errors(&[nf.into()]),
            "Error from server (NotFound): servicecidrs.networking.k8s.io \"newcidr1\" not found\n"
        );
        assert_eq!(
            render_errors(&[CmdError::Client("boom".into())]),
            "error: boom\n"
        );
        assert_eq!(
            render_errors(&[flag_error("unknown flag: --bogus", "kubectl get")]),
            "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
        );
        assert_eq!(render_errors(&[]), "");
    }
}
