//! Errors: one enum for the library, each variant with a stable code and a category that the
//! PowerShell layer maps onto `System.Management.Automation.ErrorCategory`.
//!
//! Fatal errors stop an operation; per-record and per-file problems are not errors but
//! [`crate::signin::Problem`]s, collected and reported while the rest of the input is processed.

use std::path::PathBuf;

use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{target}: {message}")]
    InvalidInput { target: String, message: String },
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error("unknown operation '{0}'")]
    UnknownOperation(String),
    #[error("the operation was cancelled")]
    Cancelled,
    #[error("{0}")]
    Http(String),
    #[error("internal error: {0}")]
    Internal(String),
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
            Error::UnknownOperation(_) => "unknown_operation",
            Error::Cancelled => "cancelled",
            Error::Http(_) => "http",
            Error::Internal(_) => "internal",
        }
    }

    pub fn category(&self) -> ErrorCategory {
        match self {
            Error::Io { .. } => ErrorCategory::ReadError,
            Error::InvalidInput { .. } => ErrorCategory::InvalidData,
            Error::InvalidRequest(_) => ErrorCategory::InvalidArgument,
            Error::UnknownOperation(_) => ErrorCategory::NotImplemented,
            Error::Cancelled => ErrorCategory::OperationStopped,
            Error::Http(_) => ErrorCategory::ConnectionError,
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

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}
