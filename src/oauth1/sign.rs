//! Signing with oauth1-request (HMAC-SHA1, `oauth_version="1.0"`).
//!
//! The signature base string follows RFC 5849 section 3.4.1: the base URI is normalized (scheme
//! and host lower-cased, default port dropped, no query or fragment), and every query or form
//! parameter is signed next to the `oauth_*` ones, names and values percent-encoded per RFC 3986
//! and sorted by encoded name, then value.

use std::{borrow::Cow, num::NonZeroU64};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::ClientCredentials;
use crate::credentials::Secret;

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
/// `uri` must carry no query string, and each name may appear once: oauth1-request orders the
/// values of a repeated name by their raw text, where RFC 5849 orders them encoded. The
/// crate's own calls never repeat a name.
///
/// Should it carry one anyway, its parameters are signed too (decoded as form data) rather
/// than breaking the signature, so `with_query` on that same `uri` still matches.
#[cfg(test)]
pub(crate) fn authorization(
    method: &str,
    uri: &str,
    params: &[(&str, &str)],
    signing: &Signing<'_>,
) -> String {
    sign(method, uri, params, signing, true)
}

/// A provider URL prepared for signing once, when the configuration is built: the URL as
/// requested, and its base string URI and query (RFC 5849 section 3.4.1.2), so that signing a
/// call does not parse and normalize the URL again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignedUrl {
    url: String,
    base: String,
    query: Option<String>,
}

impl SignedUrl {
    pub(crate) fn new(url: impl Into<String>) -> Self {
        let url = url.into();
        let (base, query) = base_uri(&url);
        Self { url, base, query }
    }

    /// The URL as requested.
    pub(crate) fn as_str(&self) -> &str {
        &self.url
    }

    /// The `Authorization` header value for `method` on this URL: the same as
    /// [`authorization`] with [`as_str`](Self::as_str).
    pub(crate) fn authorization(
        &self,
        method: &str,
        params: &[(&str, &str)],
        signing: &Signing<'_>,
    ) -> String {
        sign_parts(
            method,
            &self.base,
            self.query.as_deref(),
            params,
            signing,
            true,
        )
    }
}

impl From<url::Url> for SignedUrl {
    fn from(url: url::Url) -> Self {
        Self::new(String::from(url))
    }
}

/// `uri?query` with the parameters encoded exactly as they were signed (RFC 3986, `%20` for a
/// space), or `uri` unchanged when there are none.
///
/// The parameters come in signing order (sorted). A `uri` that already has a query gets them
/// appended with `&`.
pub(crate) fn with_query(uri: &str, params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        return uri.to_owned();
    }
    // oauth1-request encodes the values; the names go in as written, so encode them here.
    let pairs: Vec<_> = params
        .iter()
        .map(|&(name, value)| (encode(name), value))
        .collect();
    let query = oauth::to_query(String::new(), &oauth::ParameterList::new(pairs));
    let query = query.strip_prefix('?').unwrap_or(&query);
    let head = uri.split('#').next().unwrap_or_default();
    let separator = match head.find('?') {
        None => "?",
        Some(_) if head.ends_with(['?', '&']) => "",
        Some(_) => "&",
    };
    format!("{head}{separator}{query}")
}

/// Signs the request; `version` says whether `oauth_version="1.0"` is sent (and signed).
#[cfg(test)]
fn sign(
    method: &str,
    uri: &str,
    params: &[(&str, &str)],
    signing: &Signing<'_>,
    version: bool,
) -> String {
    let (base, query) = base_uri(uri);
    sign_parts(method, &base, query.as_deref(), params, signing, version)
}

/// [`sign`] with the base string URI and the query already split off the request URI.
fn sign_parts(
    method: &str,
    base: &str,
    query: Option<&str>,
    params: &[(&str, &str)],
    signing: &Signing<'_>,
    version: bool,
) -> String {
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = params
        .iter()
        .map(|&(name, value)| (signed_name(name), Cow::Borrowed(value)))
        .collect();
    if let Some(query) = query {
        pairs.extend(
            url::form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (Cow::Owned(signed_name(&k).into_owned()), v)),
        );
    }
    let request = oauth::ParameterList::new(pairs);

    let client =
        oauth::Credentials::new(signing.client.key.as_str(), signing.client.secret.expose());
    let mut builder = oauth::Builder::<_, _>::new(client, oauth::HmacSha1::new());
    builder
        .token(
            signing
                .token
                .map(|(token, secret)| oauth::Credentials::new(token, secret.expose())),
        )
        .callback(signing.callback)
        .verifier(signing.verifier)
        .version(version);
    if let Some((nonce, timestamp)) = signing.fixed {
        builder.nonce(nonce).timestamp(NonZeroU64::new(timestamp));
    }
    builder.authorize(&method.to_ascii_uppercase(), base, &request)
}

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(text: &str) -> Cow<'_, str> {
    utf8_percent_encode(text, RESERVED).into()
}

/// A parameter name as oauth1-request must be given it: it copies names into the signature
/// base string untouched, where they belong encoded twice (once in the parameter string, once
/// more as part of the base string). Encoding keeps the order, so sorting still works.
fn signed_name(name: &str) -> Cow<'_, str> {
    let once = encode(name);
    if once == name {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(encode(&once).into_owned())
    }
}

/// The base string URI (RFC 5849 section 3.4.1.2) and the query `uri` carried, if any.
fn base_uri(uri: &str) -> (String, Option<String>) {
    if let Ok(url) = url::Url::parse(uri) {
        if let Some(host) = url.host_str() {
            // `Url` already lower-cases the scheme and host and drops a default port.
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            let base = format!("{}://{host}{port}{}", url.scheme(), url.path());
            return (base, url.query().map(str::to_owned));
        }
    }
    // Not an absolute URL: sign it as written, minus any query or fragment.
    let head = uri.split('#').next().unwrap_or_default();
    match head.split_once('?') {
        Some((base, query)) => (base.to_owned(), Some(query.to_owned())),
        None => (head.to_owned(), None),
    }
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod wire;
