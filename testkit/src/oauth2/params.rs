//! Decoded query and form parameters, where a parameter may be sent at most once
//! (RFC 6749 §3.1 and §3.2).

use actix_web::{http::header, HttpRequest};

use super::error::OAuthError;
use crate::{auth::is_form, signature::parse_form};

/// Decoded parameters, in the order they were sent.
#[derive(Debug)]
pub(crate) struct Params(Vec<(String, String)>);

/// A parameter that was sent more than once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Repeated;

impl Params {
    /// Decodes a query string or an `application/x-www-form-urlencoded` body; `None` when it
    /// is not valid percent-encoded UTF-8.
    pub fn parse(input: &str) -> Option<Self> {
        parse_form(input).ok().map(Self)
    }

    /// The value of `name`: `Ok(None)` when absent, `Err(Repeated)` when sent more than once.
    pub fn one(&self, name: &str) -> Result<Option<&str>, Repeated> {
        let mut values = self.0.iter().filter(|(n, _)| n == name).map(|(_, v)| v);
        match (values.next(), values.next()) {
            (None, _) => Ok(None),
            (Some(value), None) => Ok(Some(value.as_str())),
            (Some(_), Some(_)) => Err(Repeated),
        }
    }

    /// The value of a parameter the request needs: `invalid_request` when it is missing, empty
    /// or repeated.
    pub fn required(&self, name: &str) -> Result<&str, OAuthError> {
        match self.one(name) {
            Ok(Some(value)) if !value.is_empty() => Ok(value),
            Ok(_) => Err(OAuthError::invalid_request(format!(
                "Missing required parameter [{name}]."
            ))),
            Err(Repeated) => Err(OAuthError::invalid_request(format!(
                "Parameter [{name}] was sent more than once."
            ))),
        }
    }

    /// The value of an optional parameter: `invalid_request` when it is repeated.
    pub fn optional(&self, name: &str) -> Result<Option<&str>, OAuthError> {
        self.one(name).map_err(|Repeated| {
            OAuthError::invalid_request(format!("Parameter [{name}] was sent more than once."))
        })
    }
}

/// The form body of a token or revocation request: `invalid_request` unless the content type
/// is `application/x-www-form-urlencoded` and the body decodes.
pub(crate) fn read_form(req: &HttpRequest, body: &[u8]) -> Result<Params, OAuthError> {
    if !is_form(req) {
        let sent = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none");
        return Err(OAuthError::invalid_request(format!(
            "Content-Type must be application/x-www-form-urlencoded, not {sent}."
        )));
    }
    std::str::from_utf8(body)
        .ok()
        .and_then(Params::parse)
        .ok_or_else(|| OAuthError::invalid_request("The request body could not be decoded."))
}
