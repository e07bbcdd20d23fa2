//! Signing with oauth1-request (HMAC-SHA1, `oauth_version="1.0"`).
//!
//! STUB: to be implemented. Signatures below are the contract.

use crate::credentials::{ClientCredentials, Secret};

/// What goes into one signed request besides the method and URI.
pub(crate) struct Signing<'a> {
    pub client: &'a ClientCredentials,
    /// `(oauth_token, token secret)`: temporary or token credentials; `None` for request_token.
    pub token: Option<(&'a str, &'a Secret)>,
    /// `oauth_callback`, sent only on the request-token call.
    pub callback: Option<&'a str>,
    /// `oauth_verifier`, sent only on the access-token call.
    pub verifier: Option<&'a str>,
    /// Fixed nonce and timestamp: for tests against published vectors only.
    pub fixed: Option<(&'a str, u64)>,
}

/// The `Authorization` header value for `method uri` with the given query/form parameters
/// (raw, unencoded `(name, value)` pairs; they are signed, not placed in the header).
/// `uri` must carry no query string.
pub(crate) fn authorization(
    _method: &str,
    _uri: &str,
    _params: &[(&str, &str)],
    _signing: &Signing<'_>,
) -> String {
    String::new()
}

/// `uri?query` with the parameters encoded exactly as they were signed (RFC 3986, `%20` for a
/// space), or `uri` unchanged when there are none.
pub(crate) fn with_query(uri: &str, _params: &[(&str, &str)]) -> String {
    uri.to_owned()
}
