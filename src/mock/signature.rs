//! An independent implementation of RFC 5849 (OAuth 1.0) HMAC-SHA1 signatures.
//!
//! The local provider verifies every signed request with these functions. They are written from
//! the RFC (§3.4 signature base string, §3.5.1 `Authorization` header, §3.6 percent-encoding) and
//! share no code with the signing library the login itself uses, so a bug in one does not hide
//! a bug in the other. Integration tests can use [`Signer`] to sign requests to the provider.
//!
//! ```
//! use actix_twitter_login::mock::signature::{base_string_uri, sign};
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
use rand::{distributions::Alphanumeric, Rng};
use sha1::Sha1;
use subtle::ConstantTimeEq;

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

/// A parsed `Authorization: OAuth ...` header (RFC 5849 §3.5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationHeader {
    realm: Option<String>,
    params: Vec<(String, String)>,
}

impl AuthorizationHeader {
    /// Parses `OAuth name="value", name2="value2"`: the scheme is case-insensitive, pairs are
    /// separated by `,` with optional whitespace around it, every value is quoted, and names and
    /// values are percent-decoded. `realm` is kept apart (it is not signed); a repeated name is
    /// an error.
    pub fn parse(value: &str) -> Result<Self, SignatureError> {
        let value = value.trim_matches(is_lws);
        let scheme_end = value.find(is_lws).unwrap_or(value.len());
        if !value[..scheme_end].eq_ignore_ascii_case("OAuth") {
            return Err(SignatureError::NotOAuth);
        }
        let mut rest = value[scheme_end..].trim_start_matches(is_lws);
        let mut realm = None;
        let mut params: Vec<(String, String)> = Vec::new();
        while !rest.is_empty() {
            let (name, after_name) = rest
                .split_once('=')
                .ok_or(SignatureError::MalformedHeader("a parameter has no `=`"))?;
            if name.is_empty() || !name.bytes().all(is_token_byte) {
                return Err(SignatureError::MalformedHeader("bad parameter name"));
            }
            let quoted = after_name
                .strip_prefix('"')
                .ok_or(SignatureError::MalformedHeader("a value is not quoted"))?;
            let (raw, after_value) =
                quoted
                    .split_once('"')
                    .ok_or(SignatureError::MalformedHeader(
                        "a quoted value is not closed",
                    ))?;
            let name = percent_decode(name)?;
            let raw = percent_decode(raw)?;
            if name == "realm" {
                if realm.replace(raw).is_some() {
                    return Err(SignatureError::DuplicateParameter(name));
                }
            } else if params.iter().any(|(n, _)| *n == name) {
                return Err(SignatureError::DuplicateParameter(name));
            } else {
                params.push((name, raw));
            }
            let after_value = after_value.trim_start_matches(is_lws);
            rest = match after_value.strip_prefix(',') {
                Some(next) => {
                    let next = next.trim_start_matches(is_lws);
                    if next.is_empty() {
                        return Err(SignatureError::MalformedHeader("trailing comma"));
                    }
                    next
                }
                None if after_value.is_empty() => after_value,
                None => {
                    return Err(SignatureError::MalformedHeader(
                        "pairs must be separated by `,`",
                    ))
                }
            };
        }
        Ok(Self { realm, params })
    }

    /// The `realm` parameter, if any (never part of the signature).
    pub fn realm(&self) -> Option<&str> {
        self.realm.as_deref()
    }

    /// Every other parameter, decoded, in header order.
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The decoded value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn is_lws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
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

/// A request signed by [`Signer::sign`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The `oauth_*` parameters, `oauth_signature` last.
    pub oauth_params: Vec<(String, String)>,
    /// The signature base string that was signed.
    pub base_string: String,
    /// The signature (not percent-encoded).
    pub signature: String,
}

impl Signed {
    /// The `Authorization` header value: `OAuth name="value", ...`, names and values encoded.
    pub fn authorization(&self) -> String {
        let pairs: Vec<String> = self
            .oauth_params
            .iter()
            .map(|(name, value)| format!("{}=\"{}\"", percent_encode(name), percent_encode(value)))
            .collect();
        format!("OAuth {}", pairs.join(", "))
    }
}

/// Signs requests the way a client would (HMAC-SHA1, parameters in the `Authorization` header).
#[derive(Debug, Clone)]
pub struct Signer {
    consumer_key: String,
    consumer_secret: String,
    token: Option<(String, String)>,
    callback: Option<String>,
    verifier: Option<String>,
    nonce: Option<String>,
    timestamp: Option<u64>,
    version: bool,
}

impl Signer {
    /// A signer for the client credentials; it sends `oauth_version="1.0"` by default.
    pub fn new(consumer_key: impl Into<String>, consumer_secret: impl Into<String>) -> Self {
        Self {
            consumer_key: consumer_key.into(),
            consumer_secret: consumer_secret.into(),
            token: None,
            callback: None,
            verifier: None,
            nonce: None,
            timestamp: None,
            version: true,
        }
    }

    /// Signs with temporary or token credentials (`oauth_token` and its secret).
    pub fn token(mut self, token: impl Into<String>, secret: impl Into<String>) -> Self {
        self.token = Some((token.into(), secret.into()));
        self
    }

    /// Sends `oauth_callback` (request-token step).
    pub fn callback(mut self, callback: impl Into<String>) -> Self {
        self.callback = Some(callback.into());
        self
    }

    /// Sends `oauth_verifier` (access-token step).
    pub fn verifier(mut self, verifier: impl Into<String>) -> Self {
        self.verifier = Some(verifier.into());
        self
    }

    /// A fixed nonce instead of a random one.
    pub fn nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// A fixed timestamp (seconds since the epoch) instead of the current time.
    pub fn timestamp(mut self, timestamp: u64) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Whether to send `oauth_version="1.0"`.
    pub fn version(mut self, include: bool) -> Self {
        self.version = include;
        self
    }

    /// Signs `method uri`. Parameters in `uri`'s query are signed; `form` holds the raw
    /// parameters of an `application/x-www-form-urlencoded` body, if any.
    pub fn sign<K: AsRef<str>, V: AsRef<str>>(
        &self,
        method: &str,
        uri: &str,
        form: &[(K, V)],
    ) -> Result<Signed, SignatureError> {
        let base_uri = base_string_uri(uri)?;
        let query = uri
            .split('#')
            .next()
            .unwrap_or_default()
            .split_once('?')
            .map(|(_, q)| q);
        let mut oauth_params = Vec::new();
        if let Some(callback) = &self.callback {
            oauth_params.push(("oauth_callback".to_owned(), callback.clone()));
        }
        oauth_params.push(("oauth_consumer_key".to_owned(), self.consumer_key.clone()));
        let nonce = self.nonce.clone().unwrap_or_else(random_nonce);
        oauth_params.push(("oauth_nonce".to_owned(), nonce));
        oauth_params.push(("oauth_signature_method".to_owned(), "HMAC-SHA1".to_owned()));
        let timestamp = self.timestamp.unwrap_or_else(unix_now);
        oauth_params.push(("oauth_timestamp".to_owned(), timestamp.to_string()));
        if let Some((token, _)) = &self.token {
            oauth_params.push(("oauth_token".to_owned(), token.clone()));
        }
        if let Some(verifier) = &self.verifier {
            oauth_params.push(("oauth_verifier".to_owned(), verifier.clone()));
        }
        if self.version {
            oauth_params.push(("oauth_version".to_owned(), "1.0".to_owned()));
        }
        let mut all = parse_form(query.unwrap_or_default())?;
        all.extend(
            form.iter()
                .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned())),
        );
        all.extend(oauth_params.iter().cloned());
        let base_string = base_string(method, &base_uri, &all);
        let key = signing_key(
            &self.consumer_secret,
            self.token.as_ref().map(|(_, s)| s.as_str()),
        );
        let signature = hmac_sha1_base64(&key, &base_string);
        oauth_params.push(("oauth_signature".to_owned(), signature.clone()));
        Ok(Signed {
            oauth_params,
            base_string,
            signature,
        })
    }
}

/// A random alphanumeric string of `len` characters.
pub(crate) fn random_string(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

fn random_nonce() -> String {
    random_string(32)
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
