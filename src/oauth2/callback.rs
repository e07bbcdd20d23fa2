//! The callback's query in OAuth 2.0: `code` + `state`, or `error` (+ `error_description`) +
//! `state` (RFC 6749 §4.1.2).

use crate::callback::{parameters, MalformedCallback};

/// The longest value accepted, in bytes (X's state may be 500 characters).
const MAX_VALUE_BYTES: usize = 512;

/// What the provider sent the user back with.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CallbackQuery {
    /// The user approved: the authorization code and the state.
    Approved { code: String, state: String },
    /// The provider answered with an error (`access_denied` when the user cancelled).
    Refused {
        error: String,
        description: Option<String>,
        state: Option<String>,
    },
}

impl CallbackQuery {
    /// Parses a raw query string; anything oversized, repeated, or incomplete is malformed.
    pub(crate) fn parse(query: &str) -> Result<Self, MalformedCallback> {
        let [code, state, error, description] = parameters(
            query,
            ["code", "state", "error", "error_description"],
            MAX_VALUE_BYTES,
        )?;
        let state = state.filter(|s| !s.is_empty());
        if let Some(error) = error {
            if error.is_empty() {
                return Err(MalformedCallback("error is empty"));
            }
            return Ok(Self::Refused {
                error,
                description: description.filter(|d| !d.is_empty()),
                state,
            });
        }
        match (code.filter(|c| !c.is_empty()), state) {
            (Some(code), Some(state)) => Ok(Self::Approved { code, state }),
            (Some(_), None) => Err(MalformedCallback("state is missing")),
            (None, _) => Err(MalformedCallback("code is missing")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn malformed(query: &str) -> &'static str {
        match CallbackQuery::parse(query) {
            Err(MalformedCallback(reason)) => reason,
            Ok(parsed) => panic!("{query}: accepted as {parsed:?}"),
        }
    }

    #[test]
    fn approved_and_refused() {
        assert_eq!(
            CallbackQuery::parse("state=S%2B1&code=C&x=1").unwrap(),
            CallbackQuery::Approved {
                code: "C".into(),
                state: "S+1".into()
            }
        );
        assert_eq!(
            CallbackQuery::parse("error=access_denied&state=S").unwrap(),
            CallbackQuery::Refused {
                error: "access_denied".into(),
                description: None,
                state: Some("S".into())
            }
        );
        assert_eq!(
            CallbackQuery::parse("error=invalid_scope&error_description=bad+scope").unwrap(),
            CallbackQuery::Refused {
                error: "invalid_scope".into(),
                description: Some("bad scope".into()),
                state: None
            }
        );
    }

    #[test]
    fn malformed_queries_are_refused() {
        assert_eq!(malformed(""), "code is missing");
        assert_eq!(malformed("state=S"), "code is missing");
        assert_eq!(malformed("code=C"), "state is missing");
        assert_eq!(malformed("code=C&state="), "state is missing");
        assert_eq!(malformed("error=&state=S"), "error is empty");
        assert_eq!(
            malformed("code=C&code=D&state=S"),
            "a parameter is repeated"
        );
        assert_eq!(
            malformed(&format!("code=C&state={}", "s".repeat(513))),
            "a parameter is too long"
        );
        assert_eq!(malformed(&"a=b&".repeat(600)), "the query is too long");
        // The longest accepted values.
        let state = "s".repeat(MAX_VALUE_BYTES);
        assert!(CallbackQuery::parse(&format!("code=C&state={state}")).is_ok());
    }
}
