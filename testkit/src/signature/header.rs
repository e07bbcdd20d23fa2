//! The `Authorization: OAuth ...` header (RFC 5849 §3.5.1).

use super::{percent_decode, SignatureError};

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
