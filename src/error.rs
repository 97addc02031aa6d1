//! Errors: one enum for the library, each variant with a stable code and a category that the
//! PowerShell layer maps onto `System.Management.Automation.ErrorCategory`.
//!
//! Fatal errors stop an operation; per-record and per-file problems are not errors but
//! [`crate::signin::Problem`]s, collected and reported while the rest of the input is processed.

use std::path::PathBuf;

use serde::Serialize;

use crate::messages::{self, Lang};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A fatal error. `Display` is the English message; [`Error::message`] renders it in any
/// language from the message catalogue (keys `error.<code>`), so the CLI, the C ABI and the
/// PowerShell module show the same words.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    InvalidInput {
        target: String,
        message: String,
    },
    InvalidRequest(String),
    /// The request is not JSON; `line`/`column` are 1-based positions in the request text.
    InvalidJson {
        line: u64,
        column: u64,
        detail: String,
    },
    /// The request bytes are not UTF-8; `offset` is the first bad byte.
    InvalidUtf8 {
        offset: u64,
    },
    /// A required pointer argument of a C ABI function was NULL (or NULL with a length > 0).
    NullArgument(&'static str),
    UnknownOperation(String),
    Cancelled,
    Http(String),
    /// A live source refused the credentials, permission, role or licence (the detail says which).
    Auth(String),
    Internal(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// Broad class of an error, named after PowerShell's `ErrorCategory` members so the module
/// can map it with `[System.Management.Automation.ErrorCategory]::Parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ErrorCategory {
    ReadError,
    InvalidData,
    InvalidArgument,
    NotImplemented,
    OperationStopped,
    ConnectionError,
    PermissionDenied,
    NotSpecified,
}

impl Error {
    /// Stable machine-readable code; never reused for another meaning.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::InvalidInput { .. } => "invalid_input",
            Error::InvalidRequest(_) => "invalid_request",
            Error::InvalidJson { .. } => "invalid_json",
            Error::InvalidUtf8 { .. } => "invalid_utf8",
            Error::NullArgument(_) => "null_argument",
            Error::UnknownOperation(_) => "unknown_operation",
            Error::Cancelled => "cancelled",
            Error::Http(_) => "http",
            Error::Auth(_) => "auth",
            Error::Internal(_) => "internal",
        }
    }

    pub fn category(&self) -> ErrorCategory {
        match self {
            Error::Io { .. } => ErrorCategory::ReadError,
            Error::InvalidInput { .. } => ErrorCategory::InvalidData,
            Error::InvalidRequest(_)
            | Error::InvalidJson { .. }
            | Error::InvalidUtf8 { .. }
            | Error::NullArgument(_) => ErrorCategory::InvalidArgument,
            Error::UnknownOperation(_) => ErrorCategory::NotImplemented,
            Error::Cancelled => ErrorCategory::OperationStopped,
            Error::Http(_) => ErrorCategory::ConnectionError,
            Error::Auth(_) => ErrorCategory::PermissionDenied,
            Error::Internal(_) => ErrorCategory::NotSpecified,
        }
    }

    /// The object the error is about (a file path, a request field), if any.
    pub fn target(&self) -> Option<String> {
        match self {
            Error::Io { path, .. } => Some(path.display().to_string()),
            Error::InvalidInput { target, .. } => Some(target.clone()),
            _ => None,
        }
    }

    /// The file the error is about, when it is about a file.
    pub fn file(&self) -> Option<String> {
        match self {
            Error::Io { path, .. } => Some(path.display().to_string()),
            _ => None,
        }
    }

    /// The 1-based line the error is about (in a file, or in the request text), if known.
    pub fn line(&self) -> Option<u64> {
        match self {
            Error::InvalidJson { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The message in `lang`, from the catalogue entry `error.<code>`.
    pub fn message(&self, lang: Lang) -> String {
        let key = format!("error.{}", self.code());
        match self {
            Error::Io { path, source } => {
                messages::format(&key, lang, &[("path", &path.display()), ("detail", source)])
            }
            Error::InvalidInput { target, message } => {
                messages::format(&key, lang, &[("target", target), ("detail", message)])
            }
            Error::InvalidRequest(d) | Error::Http(d) | Error::Auth(d) | Error::Internal(d) => {
                messages::format(&key, lang, &[("detail", d)])
            }
            Error::InvalidJson { line, column, detail } => {
                messages::format(&key, lang, &[("line", line), ("column", column), ("detail", detail)])
            }
            Error::InvalidUtf8 { offset } => messages::format(&key, lang, &[("offset", offset)]),
            Error::NullArgument(name) => messages::format(&key, lang, &[("name", name)]),
            Error::UnknownOperation(op) => {
                let known = crate::ops::OPS.iter().map(|o| o.name).collect::<Vec<_>>().join(", ");
                messages::format(&key, lang, &[("op", op), ("known", &known)])
            }
            Error::Cancelled => messages::text(&key, lang).to_owned(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// An internal error from a caught panic's payload (`&str` or `String`, as `panic!` makes).
    pub fn from_panic(payload: &(dyn std::any::Any + Send), location: Option<&str>) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".to_owned());
        Error::Internal(match location {
            Some(at) => format!("panicked at {at}: {what}"),
            None => format!("panicked: {what}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_variant() -> Vec<Error> {
        vec![
            Error::io("/x/y.json", std::io::Error::new(std::io::ErrorKind::NotFound, "gone")),
            Error::InvalidInput { target: "t".into(), message: "m".into() },
            Error::InvalidRequest("r".into()),
            Error::InvalidJson { line: 3, column: 7, detail: "eof".into() },
            Error::InvalidUtf8 { offset: 9 },
            Error::NullArgument("out"),
            Error::UnknownOperation("nope".into()),
            Error::Cancelled,
            Error::Http("h".into()),
            Error::Auth("a".into()),
            Error::Internal("i".into()),
        ]
    }

    #[test]
    fn every_error_has_a_message_in_both_languages() {
        for e in every_variant() {
            let (en, ja) = (e.message(Lang::En), e.message(Lang::Ja));
            let key = format!("error.{}", e.code());
            assert_ne!(en, key, "missing catalogue entry {key}");
            assert!(!en.contains('{') && !ja.contains('{'), "unfilled placeholder in {en} / {ja}");
            assert_ne!(en, ja, "{key} is not translated");
            assert_eq!(e.to_string(), en);
        }
    }

    #[test]
    fn messages_carry_their_details() {
        let e = Error::UnknownOperation("nope".into());
        assert!(e.message(Lang::Ja).contains("nope") && e.message(Lang::Ja).contains("summary"));
        assert!(Error::InvalidJson { line: 3, column: 7, detail: "eof".into() }.message(Lang::En).contains('3'));
        assert_eq!(Error::io("/x", std::io::Error::other("boom")).file().as_deref(), Some("/x"));
    }

    #[test]
    fn panic_payloads_become_internal_errors() {
        let e = Error::from_panic(&"boom", Some("src/x.rs:1:2"));
        assert_eq!(e.code(), "internal");
        assert!(e.to_string().contains("boom") && e.to_string().contains("src/x.rs:1:2"));
        let e = Error::from_panic(&String::from("owned"), None);
        assert!(e.to_string().contains("owned"));
    }
}
