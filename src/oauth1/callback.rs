//! The callback's query in OAuth 1.0a: `oauth_token` + `oauth_verifier`, or `denied`.

use crate::callback::{parameters, MalformedCallback};

/// The longest token or verifier accepted, in bytes.
pub(crate) const MAX_VALUE_BYTES: usize = 256;

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
    pub(crate) fn parse(query: &str) -> Result<Self, MalformedCallback> {
        let [token, verifier, denied] = parameters(
            query,
            ["oauth_token", "oauth_verifier", "denied"],
            MAX_VALUE_BYTES,
        )?;
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
                Err(MalformedCallback("oauth_verifier is missing"))
            }
            _ => Err(MalformedCallback("oauth_token is missing")),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use url::form_urlencoded::Serializer;

    use super::*;
    use crate::{
        callback::MAX_QUERY_BYTES,
        oauth1::strategies::{config, name, text},
    };

    fn malformed(query: &str) -> bool {
        CallbackQuery::parse(query).is_err()
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

    /// The reason goes to the log: it says which part is missing.
    #[test]
    fn the_reason_names_what_is_missing() {
        let missing = |query: &str| CallbackQuery::parse(query).unwrap_err().0;
        assert_eq!(missing("oauth_token=T"), "oauth_verifier is missing");
        assert_eq!(
            missing("oauth_token=T&oauth_verifier="),
            "oauth_verifier is missing"
        );
        assert_eq!(
            missing("oauth_token=&oauth_verifier=V"),
            "oauth_token is missing"
        );
        assert_eq!(missing("oauth_verifier=V"), "oauth_token is missing");
        assert_eq!(missing("oauth_token="), "oauth_token is missing");
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn callback_parsing_never_panics(query in any::<String>()) {
            let _ = CallbackQuery::parse(&query);
        }

        #[test]
        fn callback_parsing_never_panics_on_form_like_text(
            query in "(oauth_token|oauth_verifier|denied|[a-z%+=&]|%[0-9A-Fa-f]{0,2}){0,40}",
        ) {
            if let Err(MalformedCallback(reason)) = CallbackQuery::parse(&query) {
                prop_assert!(!reason.is_empty(), "a malformed callback says why");
            }
        }

        #[test]
        fn a_well_formed_callback_round_trips(
            token in text(40).prop_filter("non-empty", |t| !t.is_empty()),
            verifier in text(40).prop_filter("non-empty", |v| !v.is_empty()),
            extra in prop::collection::vec(
                (
                    name().prop_filter("not a callback parameter", |n| {
                        !["oauth_token", "oauth_verifier", "denied"].contains(&n.as_str())
                    }),
                    text(8),
                ),
                0..4,
            ),
            order in Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
        ) {
            let mut pairs: Vec<(&str, &str)> = vec![("oauth_token", &token), ("oauth_verifier", &verifier)];
            pairs.extend(extra.iter().map(|(n, v)| (n.as_str(), v.as_str())));
            let mut serializer = Serializer::new(String::new());
            for i in order.into_iter().filter(|&i| i < pairs.len()) {
                serializer.append_pair(pairs[i].0, pairs[i].1);
            }
            let query = serializer.finish();
            prop_assume!(query.len() <= MAX_QUERY_BYTES);
            prop_assert_eq!(
                CallbackQuery::parse(&query).ok(),
                Some(CallbackQuery::Approved { token, verifier }),
                "{}", query
            );
        }
    }
}
