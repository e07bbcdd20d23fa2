//! Provider errors: network failures, timeouts, and error bodies in each of the four shapes X
//! uses (v1.1 JSON `errors[]`, OAuth XML `<error code>`, v2 problem+json, plain or empty).
//!
//! STUB: to be implemented. Signatures below are the contract.

use std::{fmt, time::Duration};

/// Which provider call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `POST oauth/request_token` (temporary credentials).
    RequestToken,
    /// `POST oauth/access_token` (token credentials).
    AccessToken,
    /// The profile call (`/2/users/me` or `verify_credentials`).
    Profile,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Endpoint::RequestToken => "request_token",
            Endpoint::AccessToken => "access_token",
            Endpoint::Profile => "profile",
        })
    }
}

/// The shape an error body came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    /// v1.1 JSON: `{"errors":[{"code":32,"message":"..."}]}`.
    Json,
    /// OAuth endpoints' XML: `<errors><error code="415">...</error></errors>` or `<hash><error>`.
    Xml,
    /// v2 `application/problem+json`: `type`, `title`, `detail`, `reason`.
    Problem,
    /// Plain text.
    Text,
    /// No body at all.
    Empty,
}

/// A provider error body, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    /// The shape it came in.
    pub format: ErrorFormat,
    /// The error code: a v1.1 code such as `"415"`, or a v2 `reason`/problem type's last path
    /// segment such as `"client-not-enrolled"` or `"usage-capped"`.
    pub code: Option<String>,
    /// The provider's message (`message`, the XML element text, `detail` or `title`, or the
    /// plain text), trimmed and cut to a bounded length.
    pub message: Option<String>,
}

impl ErrorBody {
    /// Parses an error body of any of the four shapes; never fails.
    pub fn parse(_content_type: Option<&str>, _body: &[u8]) -> Self {
        Self {
            format: ErrorFormat::Empty,
            code: None,
            message: None,
        }
    }

    /// An actionable hint for the app's operator for known codes (32, 89, 135, 415, 416, 453,
    /// `client-not-enrolled`), logged next to the error.
    pub fn hint(&self) -> Option<&'static str> {
        None
    }
}

/// A failed call to the provider.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider could not be reached (connection refused, DNS, TLS, reset).
    #[error("{endpoint}: could not reach the provider: {reason}")]
    Network {
        /// Which call.
        endpoint: Endpoint,
        /// The transport's own words.
        reason: String,
    },
    /// No complete answer within the configured provider timeout.
    #[error("{endpoint}: no answer within {after:?}")]
    Timeout {
        /// Which call.
        endpoint: Endpoint,
        /// The timeout that expired.
        after: Duration,
    },
    /// The reply body was larger than the cap.
    #[error("{endpoint}: reply larger than {limit} bytes")]
    TooLarge {
        /// Which call.
        endpoint: Endpoint,
        /// The cap, in bytes.
        limit: usize,
    },
    /// A non-success HTTP status, with the parsed error body.
    #[error("{endpoint}: HTTP {status}{}", body_suffix(.body))]
    Status {
        /// Which call.
        endpoint: Endpoint,
        /// The HTTP status code.
        status: u16,
        /// The parsed error body.
        body: ErrorBody,
    },
    /// A success status whose body could not be used.
    #[error("{endpoint}: malformed reply: {reason}")]
    Malformed {
        /// Which call.
        endpoint: Endpoint,
        /// What was wrong with it.
        reason: String,
    },
}

fn body_suffix(body: &ErrorBody) -> String {
    match (&body.code, &body.message) {
        (Some(code), Some(message)) => format!(" (code {code}: {message})"),
        (Some(code), None) => format!(" (code {code})"),
        (None, Some(message)) => format!(" ({message})"),
        (None, None) => String::new(),
    }
}

impl ProviderError {
    /// Which call failed.
    pub fn endpoint(&self) -> Endpoint {
        match self {
            ProviderError::Network { endpoint, .. }
            | ProviderError::Timeout { endpoint, .. }
            | ProviderError::TooLarge { endpoint, .. }
            | ProviderError::Status { endpoint, .. }
            | ProviderError::Malformed { endpoint, .. } => *endpoint,
        }
    }

    /// The operator hint for a known provider error code, if any.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            ProviderError::Status { body, .. } => body.hint(),
            _ => None,
        }
    }
}
