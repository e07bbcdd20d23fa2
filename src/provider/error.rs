//! Provider errors: network failures, timeouts, and error bodies in each of the four shapes X
//! uses (v1.1 JSON `errors[]`, OAuth XML `<error code>`, v2 problem+json, plain or empty).
//!
//! Error bodies are untrusted: parsing never fails, looks at a bounded prefix of the body, and
//! keeps only a cleaned, bounded message (see [`ErrorBody::parse`]).

use std::{fmt, time::Duration};

use serde_json::{Map, Value};

use super::markup::{attribute, element, strip_tags, unescape};
use crate::text::{self, MESSAGE_CHARS};

/// Which provider call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// `POST oauth/request_token` (temporary credentials).
    RequestToken,
    /// `POST oauth/access_token` (token credentials).
    AccessToken,
    /// The profile call (`/2/users/me` or `verify_credentials`).
    Profile,
    /// OAuth 2.0's authorization, as the callback reports it.
    Authorize,
    /// OAuth 2.0's `POST /2/oauth2/token`.
    Token,
    /// OAuth 2.0's `POST /2/oauth2/token` refreshing an access token.
    Refresh,
    /// `POST /2/oauth2/token` exchanging OAuth 1.0a token credentials for OAuth 2.0 tokens.
    TokenExchange,
    /// OAuth 2.0's `POST /2/oauth2/revoke`.
    Revoke,
    /// OAuth 1.0a's `POST /1.1/oauth/invalidate_token`.
    InvalidateToken,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Endpoint::RequestToken => "request_token",
            Endpoint::AccessToken => "access_token",
            Endpoint::Profile => "profile",
            Endpoint::Authorize => "authorize",
            Endpoint::Token => "oauth2/token",
            Endpoint::Refresh => "oauth2/token (refresh)",
            Endpoint::TokenExchange => "oauth2/token (token exchange)",
            Endpoint::Revoke => "oauth2/revoke",
            Endpoint::InvalidateToken => "oauth/invalidate_token",
        })
    }
}

/// The shape an error body came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorFormat {
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
pub(crate) struct ErrorBody {
    /// The shape it came in.
    pub(crate) format: ErrorFormat,
    /// The error code: a v1.1 code such as `"415"`, or a v2 `reason`/problem type's last path
    /// segment such as `"client-not-enrolled"` or `"usage-capped"`.
    pub(crate) code: Option<String>,
    /// The provider's message (`message`, the XML element text, `detail` or `title`, or the
    /// plain text), trimmed and cut to a bounded length.
    pub(crate) message: Option<String>,
}

impl ErrorBody {
    /// Parses an error body of any of the four shapes; never fails.
    ///
    /// The shape is sniffed from the body itself (the content type only marks `type`-only
    /// problem objects), because X labels bodies loosely: form replies come as `text/html`, and
    /// problem objects sometimes as plain `application/json`.
    ///
    /// * `{`…: JSON. A top-level `title`/`detail` (or a problem `type` URI) makes it
    ///   [`ErrorFormat::Problem`]: the code is `reason`, else the last path segment of `type`
    ///   unless that is `about:blank`; the message is `detail`, else `title` (followed by the
    ///   first nested `errors[].message`, if any). Otherwise `errors[0]` gives a
    ///   [`ErrorFormat::Json`] code (number or string) and message. Valid JSON without either
    ///   is [`ErrorFormat::Text`] with no message.
    /// * `<`…: markup. The first `<error code="…">text</error>` element gives an
    ///   [`ErrorFormat::Xml`] code and message (entities decoded, nested tags dropped). Markup
    ///   without one (an HTML error page) is [`ErrorFormat::Text`] with the page `<title>`.
    /// * Anything else is [`ErrorFormat::Text`]; a body that is empty or only whitespace is
    ///   [`ErrorFormat::Empty`].
    ///
    /// Only the first 64 KiB are looked at. Messages lose control characters and whitespace
    /// runs and are cut to 200 characters; binary bodies give no message at all.
    pub(crate) fn parse(content_type: Option<&str>, body: &[u8]) -> Self {
        let body = &body[..body.len().min(SCAN_LIMIT)];
        let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
        let body = body.trim_ascii();
        match body.first() {
            None => Self::new(ErrorFormat::Empty, None, None),
            Some(b'{' | b'[') => from_json(content_type, body)
                .unwrap_or_else(|| Self::new(ErrorFormat::Text, None, plain(body))),
            Some(b'<') => from_markup(body),
            Some(_) => Self::new(ErrorFormat::Text, None, plain(body)),
        }
    }

    fn new(format: ErrorFormat, code: Option<String>, message: Option<String>) -> Self {
        Self {
            format,
            code,
            message,
        }
    }
}

/// How much of an error body is looked at.
const SCAN_LIMIT: usize = 64 * 1024;

/// The longest code kept.
const CODE_CHARS: usize = 64;

/// A code as text: a short run of printable ASCII.
fn code_text(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let fits = !raw.is_empty() && raw.len() <= CODE_CHARS;
    (fits && raw.bytes().all(|b| b.is_ascii_graphic())).then(|| raw.to_owned())
}

/// An OAuth 2.0 error code: `invalid_grant`, `access_denied`, ...
fn is_oauth_error(code: &str) -> bool {
    !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// A JSON code: an integer or a short string.
fn code_value(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        Value::String(s) => code_text(s),
        _ => None,
    }
}

fn message_value(value: Option<&Value>) -> Option<String> {
    text::clean(value?.as_str()?, MESSAGE_CHARS)
}

fn plain(body: &[u8]) -> Option<String> {
    text::clean(&text::decode(body)?, MESSAGE_CHARS)
}

/// `None` when the body is not JSON at all.
fn from_json(content_type: Option<&str>, body: &[u8]) -> Option<ErrorBody> {
    let Value::Object(map) = serde_json::from_slice::<Value>(body).ok()? else {
        return Some(ErrorBody::new(ErrorFormat::Text, None, None));
    };
    let problem_type = map
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t == "about:blank" || t.contains("/problems/"));
    let problem_media = content_type.is_some_and(|ct| {
        let essence = ct.split(';').next().unwrap_or_default().trim();
        essence.eq_ignore_ascii_case("application/problem+json")
    });
    let has = |key: &str| map.get(key).is_some_and(Value::is_string);
    if has("title") || has("detail") || problem_type || (problem_media && has("type")) {
        return Some(problem(&map));
    }
    let (code, message) = match map.get("errors") {
        Some(Value::Array(errors)) => match errors.first() {
            Some(Value::Object(first))
                if !first.contains_key("code") && !first.contains_key("message") =>
            {
                return Some(problem(first));
            }
            Some(Value::Object(first)) => (
                code_value(first.get("code")),
                message_value(first.get("message")),
            ),
            first => (None, message_value(first)),
        },
        Some(other) => (None, message_value(Some(other))),
        // OAuth 2.0 (RFC 6749 §5.2): `{"error":"invalid_grant","error_description":"..."}`.
        None if map
            .get("error")
            .and_then(Value::as_str)
            .is_some_and(is_oauth_error) =>
        {
            (
                code_value(map.get("error")),
                message_value(map.get("error_description")),
            )
        }
        // Older replies: `{"error":"...","request":"/1/..."}`.
        None if has("error") => (None, message_value(map.get("error"))),
        None => return Some(ErrorBody::new(ErrorFormat::Text, None, None)),
    };
    Some(ErrorBody::new(ErrorFormat::Json, code, message))
}

fn problem(map: &Map<String, Value>) -> ErrorBody {
    let code = code_value(map.get("reason")).or_else(|| {
        let kind = map.get("type")?.as_str()?.trim();
        if kind.eq_ignore_ascii_case("about:blank") {
            return None;
        }
        let path = kind.split(['?', '#']).next().unwrap_or_default();
        code_text(path.trim_end_matches('/').rsplit('/').next()?)
    });
    let main = ["detail", "title"]
        .into_iter()
        .find_map(|key| map.get(key)?.as_str().filter(|s| !s.trim().is_empty()));
    let nested = match map.get("errors") {
        Some(Value::Array(errors)) => errors.first().and_then(|e| e.get("message")?.as_str()),
        _ => None,
    };
    let message = match (main, nested) {
        (Some(main), Some(nested)) if main.trim() != nested.trim() => {
            text::clean(&format!("{main}: {nested}"), MESSAGE_CHARS)
        }
        (Some(one), _) | (None, Some(one)) => text::clean(one, MESSAGE_CHARS),
        (None, None) => None,
    };
    ErrorBody::new(ErrorFormat::Problem, code, message)
}

fn from_markup(body: &[u8]) -> ErrorBody {
    let Some(doc) = text::decode(body) else {
        return ErrorBody::new(ErrorFormat::Text, None, None);
    };
    if let Some((attrs, inner)) = element(&doc, "error") {
        let code = attribute(attrs, "code").and_then(|v| code_text(&unescape(v)));
        let message = text::clean(&unescape(&strip_tags(inner)), MESSAGE_CHARS);
        return ErrorBody::new(ErrorFormat::Xml, code, message);
    }
    let shown = match element(&doc, "title") {
        Some((_, title)) => strip_tags(title),
        None => strip_tags(&doc),
    };
    ErrorBody::new(
        ErrorFormat::Text,
        None,
        text::clean(&unescape(&shown), MESSAGE_CHARS),
    )
}

/// A failed call to the provider.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ProviderError {
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
    /// The authorization ended in an OAuth 2.0 error other than the user's cancelling
    /// (RFC 6749 §4.1.2.1), reported on the callback.
    #[error("{endpoint}: {error}{}", description_suffix(.description.as_deref()))]
    Authorization {
        /// Always [`Endpoint::Authorize`].
        endpoint: Endpoint,
        /// The `error` code.
        error: String,
        /// The cleaned `error_description`, if any.
        description: Option<String>,
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

fn description_suffix(description: Option<&str>) -> String {
    description.map(|d| format!(" ({d})")).unwrap_or_default()
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
    /// The error a callback reported, cleaned: the query is the browser's, so anyone's.
    pub(crate) fn authorization(error: &str, description: Option<&str>) -> Self {
        ProviderError::Authorization {
            endpoint: Endpoint::Authorize,
            error: code_text(error).unwrap_or_else(|| "an unreadable error".to_owned()),
            description: description.and_then(|d| text::clean(d, MESSAGE_CHARS)),
        }
    }

    /// The operator hint for a known provider error code, if any.
    pub(crate) fn hint(&self) -> Option<&'static str> {
        match self {
            ProviderError::Status { body, .. } => body.hint(),
            ProviderError::Authorization { error, .. } => {
                ErrorBody::new(ErrorFormat::Json, code_text(error), None).hint()
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod limit_tests;
#[cfg(test)]
mod problem_tests;
#[cfg(test)]
mod tests;
