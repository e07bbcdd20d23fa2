//! The callback's query: `oauth_token` + `oauth_verifier`, or `denied`.

use crate::error::LoginFailure;

/// The longest callback query accepted, in bytes.
pub(crate) const MAX_QUERY_BYTES: usize = 2048;
/// The longest token or verifier accepted, in bytes.
const MAX_VALUE_BYTES: usize = 256;

/// What the provider sent the user back with.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CallbackQuery {
    /// The user approved: the temporary credentials' token and the verifier.
    Approved { token: String, verifier: String },
    /// The user cancelled ("Return to app"): `denied=<request token>`.
    Denied { token: Option<String> },
}

impl CallbackQuery {
    /// Parses a raw query string; anything oversized, repeated, or incomplete is malformed.
    pub(crate) fn parse(query: &str) -> Result<Self, LoginFailure> {
        if query.len() > MAX_QUERY_BYTES {
            return Err(LoginFailure::MalformedCallback("the query is too long"));
        }
        let (mut token, mut verifier, mut denied) = (None, None, None);
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match name.as_ref() {
                "oauth_token" => &mut token,
                "oauth_verifier" => &mut verifier,
                "denied" => &mut denied,
                _ => continue,
            };
            if slot.is_some() {
                return Err(LoginFailure::MalformedCallback("a parameter is repeated"));
            }
            if value.len() > MAX_VALUE_BYTES {
                return Err(LoginFailure::MalformedCallback("a parameter is too long"));
            }
            *slot = Some(value.into_owned());
        }
        if let Some(denied) = denied {
            return Ok(Self::Denied {
                token: Some(denied).filter(|t| !t.is_empty()),
            });
        }
        match (token, verifier) {
            (Some(token), Some(verifier)) if !token.is_empty() && !verifier.is_empty() => {
                Ok(Self::Approved { token, verifier })
            }
            (Some(token), _) if !token.is_empty() => {
                Err(LoginFailure::MalformedCallback("oauth_verifier is missing"))
            }
            _ => Err(LoginFailure::MalformedCallback("oauth_token is missing")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn malformed(query: &str) -> bool {
        matches!(
            CallbackQuery::parse(query),
            Err(LoginFailure::MalformedCallback(_))
        )
    }

    #[test]
    fn approved_and_denied() {
        assert_eq!(
            CallbackQuery::parse("oauth_token=T%2B1&oauth_verifier=V").unwrap(),
            CallbackQuery::Approved {
                token: "T+1".into(),
                verifier: "V".into()
            }
        );
        assert_eq!(
            CallbackQuery::parse("x=1&denied=T").unwrap(),
            CallbackQuery::Denied {
                token: Some("T".into())
            }
        );
        assert_eq!(
            CallbackQuery::parse("denied=").unwrap(),
            CallbackQuery::Denied { token: None }
        );
    }

    #[test]
    fn malformed_queries_are_refused() {
        assert!(malformed(""));
        assert!(malformed("oauth_token=T"));
        assert!(malformed("oauth_token=&oauth_verifier=V"));
        assert!(malformed("oauth_token=T&oauth_token=U&oauth_verifier=V"));
        assert!(malformed(&format!(
            "oauth_token={}&oauth_verifier=V",
            "a".repeat(300)
        )));
        assert!(malformed(&"a=b&".repeat(600)));
    }
}
