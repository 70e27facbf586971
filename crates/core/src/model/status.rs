//! The apiserver's error answers (metav1.Status) and field errors
//! (apimachinery `util/validation/field`), with upstream's exact texts.

use crate::release::ValueStyle;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::fmt;

/// field.ErrorType. The Display form is the prefix of the error body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldErrorType {
    Required,
    Invalid,
    Forbidden,
    NotSupported,
    Duplicate,
    TooMany,
    TooLong,
    Internal,
}

impl FieldErrorType {
    /// StatusCause.reason, as metav1.CauseType.
    pub fn cause_type(self) -> &'static str {
        match self {
            FieldErrorType::Required => "FieldValueRequired",
            FieldErrorType::Invalid => "FieldValueInvalid",
            FieldErrorType::Forbidden => "FieldValueForbidden",
            FieldErrorType::NotSupported => "FieldValueNotSupported",
            FieldErrorType::Duplicate => "FieldValueDuplicate",
            FieldErrorType::TooMany => "FieldValueTooMany",
            FieldErrorType::TooLong => "FieldValueTooLong",
            FieldErrorType::Internal => "InternalError",
        }
    }
}

/// One field.Error. `bad_value` is the offending value as JSON; how it prints
/// depends on the release ([`ValueStyle`]): `Display` and [`FieldError::body`]
/// use the newest (JSON) style, [`FieldError::body_as`] either.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub type_: FieldErrorType,
    pub field: String,
    pub bad_value: Option<Value>,
    pub detail: String,
    /// Go's `%#v` of the bad value, where its Go type matters to the old
    /// rendering and cannot be read off the JSON: a struct
    /// (`networking.ServiceCIDRSpec{CIDRs:[]string{…}}`), a slice of a named
    /// type (`[]core.IPFamily{"IPv4"}`), a nil slice (`[]string(nil)`).
    /// None: derived from `bad_value` (see [`render_value_as`]).
    pub go_value: Option<String>,
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            type_: FieldErrorType::Required,
            field: field.into(),
            bad_value: None,
            detail: detail.into(),
            go_value: None,
        }
    }
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<Value>,
        detail: impl Into<String>,
    ) -> Self {
        FieldError {
            type_: FieldErrorType::Invalid,
            field: field.into(),
            bad_value: Some(value.into()),
            detail: detail.into(),
            go_value: None,
        }
    }
    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            type_: FieldErrorType::Forbidden,
            field: field.into(),
            bad_value: None,
            detail: detail.into(),
            go_value: None,
        }
    }
    /// `supported` are listed quoted, as field.NotSupported does.
    pub fn not_supported(
        field: impl Into<String>,
        value: impl Into<Value>,
        supported: &[&str],
    ) -> Self {
        let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
        let detail = if list.is_empty() {
            String::new()
        } else {
            format!("supported values: {}", list.join(", "))
        };
        FieldError {
            type_: FieldErrorType::NotSupported,
            field: field.into(),
            bad_value: Some(value.into()),
            detail,
            go_value: None,
        }
    }
    pub fn duplicate(field: impl Into<String>, value: impl Into<Value>) -> Self {
        FieldError {
            type_: FieldErrorType::Duplicate,
            field: field.into(),
            bad_value: Some(value.into()),
            detail: String::new(),
            go_value: None,
        }
    }

    /// The Go `%#v` text of the bad value, for releases that print it (see the field).
    pub fn with_go_value(mut self, go: impl Into<String>) -> Self {
        self.go_value = Some(go.into());
        self
    }

    /// field.Error.ErrorBody() of the newest release: the text without the field path.
    pub fn body(&self) -> String {
        self.body_as(ValueStyle::Json)
    }

    /// `<field>: <body>` with values rendered in `style`.
    pub fn to_string_as(&self, style: ValueStyle) -> String {
        format!("{}: {}", self.field, self.body_as(style))
    }

    /// field.Error.ErrorBody() with values rendered in `style`.
    pub fn body_as(&self, style: ValueStyle) -> String {
        let render = || render_value_as(self.bad_value.as_ref(), self.go_value.as_deref(), style);
        let mut s = match self.type_ {
            FieldErrorType::Required => "Required value".to_string(),
            FieldErrorType::Forbidden => "Forbidden".to_string(),
            FieldErrorType::TooLong => "Too long".to_string(),
            FieldErrorType::Internal => "Internal error".to_string(),
            FieldErrorType::TooMany => "Too many".to_string(),
            FieldErrorType::Invalid => format!("Invalid value: {}", render()),
            FieldErrorType::NotSupported => format!("Unsupported value: {}", render()),
            FieldErrorType::Duplicate => format!("Duplicate value: {}", render()),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// apimachinery 1.34+ value rendering: strings Go-quoted, numbers and bools plain,
/// anything else compact JSON. Go's %q and JSON agree for the printable ASCII that
/// shows up here.
pub fn render_value(v: Option<&Value>) -> String {
    render_value_as(v, None, ValueStyle::Json)
}

/// The release seam of field-error values (apimachinery field/errors.go ErrorBody):
/// - [`ValueStyle::Json`] (v0.34+): strings `%q`, numbers and bools plain, the
///   rest `json.Marshal` (a nil value `null`);
/// - [`ValueStyle::GoSyntax`] (up to v0.33): strings `%q`, numbers and bools
///   plain, a nil interface or nil pointer the string `"null"` (quoted, since it
///   goes through `%q`), the rest Go's `%#v`: `go` when the caller knows the Go
///   type, else a string list as `[]string{"a", "b"}`.
pub fn render_value_as(v: Option<&Value>, go: Option<&str>, style: ValueStyle) -> String {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    match (style, v) {
        (_, Some(Value::String(s))) => quoted(s),
        (_, Some(Value::Number(n))) => n.to_string(),
        (_, Some(Value::Bool(b))) => b.to_string(),
        (ValueStyle::Json, None | Some(Value::Null)) => "null".to_string(),
        (ValueStyle::Json, Some(other)) => serde_json::to_string(other).unwrap_or_default(),
        (ValueStyle::GoSyntax, _) if go.is_some() => go.unwrap_or_default().to_string(),
        (ValueStyle::GoSyntax, None | Some(Value::Null)) => quoted("null"),
        (ValueStyle::GoSyntax, Some(Value::Array(items))) => {
            let strs: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            match strs {
                Some(strs) => go_slice("string", &strs),
                None => serde_json::to_string(items).unwrap_or_default(),
            }
        }
        // Maps reach here only from fields kept as raw JSON; Go would print
        // its own map syntax, which no modelled message shows.
        (ValueStyle::GoSyntax, Some(other)) => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// Go's `%#v` of a slice of a string type: `[]string{"a", "b"}`; empty = nil
/// (`[]string(nil)`), since the model does not tell a nil list from an empty one.
pub fn go_slice(elem_type: &str, items: &[&str]) -> String {
    if items.is_empty() {
        return format!("[]{elem_type}(nil)");
    }
    let quoted: Vec<String> = items
        .iter()
        .map(|s| serde_json::to_string(s).unwrap_or_default())
        .collect();
    format!("[]{elem_type}{{{}}}", quoted.join(", "))
}

/// The apiserver's answer to a failed request. Converts to metav1.Status.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub code: u16,
    /// metav1.StatusReason ("NotFound", "Invalid", …).
    pub reason: String,
    pub message: String,
    /// details: name, group, kind, causes.
    pub details: Option<Value>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// A resource as errors name it: `servicecidrs.networking.k8s.io`, `services`.
pub fn group_resource(resource: &str, group: &str) -> String {
    if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    }
}

impl ApiError {
    pub fn new(code: u16, reason: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            reason: reason.into(),
            message: message.into(),
            details: None,
        }
    }

    /// errors.NewNotFound
    pub fn not_found(resource: &str, group: &str, name: &str) -> ApiError {
        ApiError {
            code: 404,
            reason: "NotFound".into(),
            message: format!("{} {:?} not found", group_resource(resource, group), name),
            details: Some(details(name, group, resource, None)),
        }
    }

    /// errors.NewAlreadyExists
    pub fn already_exists(resource: &str, group: &str, name: &str) -> ApiError {
        ApiError {
            code: 409,
            reason: "AlreadyExists".into(),
            message: format!(
                "{} {:?} already exists",
                group_resource(resource, group),
                name
            ),
            details: Some(details(name, group, resource, None)),
        }
    }

    /// errors.NewConflict with the storage layer's optimistic-concurrency text.
    pub fn conflict(resource: &str, group: &str, name: &str) -> ApiError {
        ApiError {
            code: 409,
            reason: "Conflict".into(),
            message: format!(
                "Operation cannot be fulfilled on {} {:?}: the object has been modified; please apply your changes to the latest version and try again",
                group_resource(resource, group),
                name
            ),
            details: Some(details(name, group, resource, None)),
        }
    }

    /// errors.NewInvalid: `<Kind>[.<group>] "<name>" is invalid: <aggregate>`,
    /// values rendered the newest release's way.
    pub fn invalid(kind: &str, group: &str, name: &str, errs: &[FieldError]) -> ApiError {
        ApiError::invalid_as(kind, group, name, errs, ValueStyle::Json)
    }

    /// errors.NewInvalid with the values rendered in `style` (the release's).
    pub fn invalid_as(
        kind: &str,
        group: &str,
        name: &str,
        errs: &[FieldError],
        style: ValueStyle,
    ) -> ApiError {
        let qualified = if group.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}.{group}")
        };
        let aggregate = if errs.len() == 1 {
            errs[0].to_string_as(style)
        } else {
            format!(
                "[{}]",
                errs.iter()
                    .map(|e| e.to_string_as(style))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let causes: Vec<Value> = errs
            .iter()
            .map(|e| json!({"reason": e.type_.cause_type(), "message": e.body_as(style), "field": e.field}))
            .collect();
        ApiError {
            code: 422,
            reason: "Invalid".into(),
            message: format!("{qualified} {name:?} is invalid: {aggregate}"),
            details: Some(details(name, group, kind, Some(causes))),
        }
    }

    /// errors.NewInternalError
    pub fn internal(err: impl fmt::Display) -> ApiError {
        let msg = err.to_string();
        ApiError {
            code: 500,
            reason: "InternalError".into(),
            message: format!("Internal error occurred: {msg}"),
            details: Some(json!({"causes": [{"message": msg}]})),
        }
    }

    /// errors.NewBadRequest
    pub fn bad_request(msg: impl Into<String>) -> ApiError {
        ApiError::new(400, "BadRequest", msg)
    }

    /// The whole metav1.Status object, typed.
    pub fn status_object(&self) -> Status {
        Status {
            kind: "Status".into(),
            api_version: "v1".into(),
            metadata: Default::default(),
            status: "Failure".into(),
            message: self.message.clone(),
            reason: self.reason.clone(),
            code: self.code,
            // Every details value is built by this module in StatusDetails' shape.
            details: self
                .details
                .as_ref()
                .and_then(|d| serde_json::from_value(d.clone()).ok()),
        }
    }

    /// The whole metav1.Status object as JSON.
    pub fn status(&self) -> Value {
        serde_json::to_value(self.status_object()).unwrap_or(Value::Null)
    }

    /// The causes' (field, message) pairs, for kubectl's Invalid rendering.
    pub fn causes(&self) -> Vec<(String, String)> {
        self.details
            .as_ref()
            .and_then(|d| d.get("causes"))
            .and_then(Value::as_array)
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        (
                            c.get("field")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_string(),
                            c.get("message")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn details(name: &str, group: &str, kind: &str, causes: Option<Vec<Value>>) -> Value {
    let mut d = serde_json::Map::new();
    if !name.is_empty() {
        d.insert("name".into(), Value::String(name.into()));
    }
    if !group.is_empty() {
        d.insert("group".into(), Value::String(group.into()));
    }
    d.insert("kind".into(), Value::String(kind.into()));
    if let Some(c) = causes {
        d.insert("causes".into(), Value::Array(c));
    }
    Value::Object(d)
}

/// metav1.Status: the apiserver's answer to a failed request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct Status {
    #[cfg_attr(feature = "ts", ts(type = r#""Status""#))]
    pub kind: String,
    #[cfg_attr(feature = "ts", ts(type = r#""v1""#))]
    pub api_version: String,
    /// Always `{}` on errors.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, never>"))]
    pub metadata: serde_json::Map<String, Value>,
    #[cfg_attr(feature = "ts", ts(type = r#""Failure""#))]
    pub status: String,
    pub message: String,
    /// StatusReason: "NotFound", "AlreadyExists", "Conflict", "Invalid", "InternalError", "BadRequest" …
    pub reason: String,
    pub code: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<StatusDetails>,
}

/// metav1.StatusDetails
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct StatusDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causes: Option<Vec<StatusCause>>,
}

/// metav1.StatusCause
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct StatusCause {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
