//! An independent implementation of RFC 5849 (OAuth 1.0) HMAC-SHA1 signatures.
//!
//! The local provider verifies every signed request with these functions. They are written from
//! the RFC (§3.4 signature base string, §3.5.1 `Authorization` header, §3.6 percent-encoding) and
//! share no code with the signing library the login itself uses, so a bug in one does not hide
//! a bug in the other. Integration tests can use [`Signer`] to sign requests to the provider.
//!
//! ```
//! use actix_twitter_login_testkit::signature::{base_string_uri, sign};
//!
//! // RFC 5849 §1.2, temporary credentials request.
//! let uri = base_string_uri("https://photos.example.net/initiate").unwrap();
//! let params = [
//!     ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
//!     ("oauth_signature_method", "HMAC-SHA1"),
//!     ("oauth_timestamp", "137131200"),
//!     ("oauth_nonce", "wIjqoS"),
//!     ("oauth_callback", "http://printer.example.com/ready"),
//! ];
//! assert_eq!(sign("POST", &uri, &params, "kd94hf93k423kf44", None), "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
//! ```

use base64::{engine::general_purpose::STANDARD, Engine as _};
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;
use subtle::ConstantTimeEq;

mod header;
mod signer;

pub use header::AuthorizationHeader;
pub(crate) use signer::{random_string, unix_now};
pub use signer::{Signed, Signer};

/// Every byte except the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why a header, a parameter string or a URI could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The `Authorization` header does not use the `OAuth` scheme.
    #[error("the Authorization header does not use the OAuth scheme")]
    NotOAuth,
    /// The `Authorization` header is not a list of `name="value"` pairs.
    #[error("malformed OAuth Authorization header: {0}")]
    MalformedHeader(&'static str),
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8 once decoded.
    #[error("invalid percent-encoding")]
    BadEncoding,
    /// The same parameter appears twice in the `Authorization` header.
    #[error("duplicate parameter `{0}`")]
    DuplicateParameter(String),
    /// The URI has no `scheme://authority` part.
    #[error("the URI is not absolute")]
    BadUri,
}

/// Percent-encodes `input` as RFC 5849 §3.6 requires: every byte of its UTF-8 form except
/// `A-Z a-z 0-9 - . _ ~` becomes `%XX` with uppercase hex.
pub fn percent_encode(input: &str) -> String {
    utf8_percent_encode(input, RESERVED).to_string()
}

/// Decodes `%XX` escapes strictly: a `%` must be followed by two hex digits and the result must
/// be UTF-8. `+` is kept as is (the `Authorization` header and RFC 3986 rules).
pub fn percent_decode(input: &str) -> Result<String, SignatureError> {
    decode(input, false)
}

/// Decodes one `application/x-www-form-urlencoded` name or value: like [`percent_decode`], but
/// `+` means a space (RFC 5849 §3.4.1.3.1).
pub fn form_decode(input: &str) -> Result<String, SignatureError> {
    decode(input, true)
}

fn decode(input: &str, plus_is_space: bool) -> Result<String, SignatureError> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| hex_value(*b));
                let lo = bytes.get(i + 2).and_then(|b| hex_value(*b));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push((hi << 4) | lo),
                    _ => return Err(SignatureError::BadEncoding),
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| SignatureError::BadEncoding)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Parses a query string or an `application/x-www-form-urlencoded` body into decoded pairs, in
/// order. Empty segments are skipped; a segment without `=` is a name with an empty value
/// (`c2` in RFC 5849 §3.4.1.3.1).
pub fn parse_form(input: &str) -> Result<Vec<(String, String)>, SignatureError> {
    input
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
            Ok((form_decode(name)?, form_decode(value)?))
        })
        .collect()
}

/// The base string URI of RFC 5849 §3.4.1.2: scheme and host lowercased, the port dropped when
/// it is the scheme's default (80 for http, 443 for https), an empty path made `/`, and the query
/// and fragment removed. The path is kept byte for byte.
pub fn base_string_uri(uri: &str) -> Result<String, SignatureError> {
    let (scheme, rest) = uri.split_once("://").ok_or(SignatureError::BadUri)?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return Err(SignatureError::BadUri);
    }
    let scheme = scheme.to_ascii_lowercase();
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    if host_port.is_empty() {
        return Err(SignatureError::BadUri);
    }
    // A port follows the last `:` unless that `:` is inside an IPv6 literal.
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (host_port, None),
    };
    let default_port = match scheme.as_str() {
        "http" => Some("80"),
        "https" => Some("443"),
        _ => None,
    };
    let host = host.to_ascii_lowercase();
    Ok(match port {
        Some(port) if Some(port) != default_port && !port.is_empty() => {
            format!("{scheme}://{host}:{port}{path}")
        }
        _ => format!("{scheme}://{host}{path}"),
    })
}

/// The normalized parameter string of RFC 5849 §3.4.1.3.2: every pair except `oauth_signature`
/// percent-encoded, sorted by encoded name then encoded value, joined as `name=value` with `&`.
pub fn normalized_parameters<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .filter(|(name, _)| name.as_ref() != "oauth_signature")
        .map(|(name, value)| {
            (
                percent_encode(name.as_ref()),
                percent_encode(value.as_ref()),
            )
        })
        .collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The signature base string (RFC 5849 §3.4.1): `METHOD&pct(base_uri)&pct(parameters)`.
/// `base_uri` must already be a base string URI (see [`base_string_uri`]); `params` are the raw
/// query, form-body and `oauth_*` parameters (an `oauth_signature` among them is ignored).
pub fn base_string<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    base_uri: &str,
    params: &[(K, V)],
) -> String {
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode(base_uri),
        percent_encode(&normalized_parameters(params))
    )
}

/// The HMAC-SHA1 key: `pct(consumer_secret)&pct(token_secret)` (empty after `&` without a token).
pub fn signing_key(consumer_secret: &str, token_secret: Option<&str>) -> String {
    format!(
        "{}&{}",
        percent_encode(consumer_secret),
        percent_encode(token_secret.unwrap_or(""))
    )
}

/// Base64 of HMAC-SHA1(`key`, `text`).
pub fn hmac_sha1_base64(key: &str, text: &str) -> String {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = match Hmac::<Sha1>::new_from_slice(key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(text.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The `oauth_signature` value (before header encoding) for a request.
pub fn sign<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    base_uri: &str,
    params: &[(K, V)],
    consumer_secret: &str,
    token_secret: Option<&str>,
) -> String {
    hmac_sha1_base64(
        &signing_key(consumer_secret, token_secret),
        &base_string(method, base_uri, params),
    )
}

/// Whether `signature` is the right signature for the request, compared in constant time.
pub fn verify<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    base_uri: &str,
    params: &[(K, V)],
    consumer_secret: &str,
    token_secret: Option<&str>,
    signature: &str,
) -> bool {
    constant_time_eq(
        &sign(method, base_uri, params, consumer_secret, token_secret),
        signature,
    )
}

/// Compares two strings without an early exit on the first differing byte.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}
