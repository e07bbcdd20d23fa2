//! OAuth 2.0 (RFC 6749) with PKCE (RFC 7636) as X speaks it: the authorization URL with a fresh
//! state and code verifier, the callback's query, the code exchange and the profile.
//!
//! PKCE, state and the token exchange come from the `oauth2` crate; its HTTP calls go through
//! awc ([`http`]). Everything here takes a [`Client`] as argument and knows nothing of the
//! middleware, the session or the user store.

pub(crate) mod callback;
pub(crate) mod calls;
mod http;
pub(crate) mod refresh;

use std::time::Duration;

use oauth2::{
    basic::BasicClient, AuthUrl, ClientId, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope,
};
use url::Url;

use crate::{credentials::Secret, provider::Limits};

/// Where X sends users to authorize an app.
pub(crate) const DEFAULT_AUTHORIZE_URL: &str = "https://x.com/i/oauth2/authorize";

/// The scopes asked for unless the builder says otherwise: what `/2/users/me` needs.
pub(crate) const DEFAULT_SCOPES: &str = "tweet.read users.read";

/// The client (RFC 6749 §2: the app) as it takes part in the protocol.
#[derive(Debug)]
pub(crate) struct Client {
    pub id: String,
    /// The client secret of a confidential client; `None` for a public one.
    pub secret: Option<Secret>,
    /// The redirect URI, sent exactly as registered with X.
    pub redirect_uri: RedirectUrl,
    pub authorize_url: AuthUrl,
    pub token_url: Url,
    pub users_me_url: Url,
    pub scopes: Vec<String>,
    /// `user.fields` for `/2/users/me`.
    pub user_fields: String,
    /// The deadline of each provider call, body included.
    pub timeout: Duration,
    /// The largest provider reply read, in bytes.
    pub max_reply_bytes: usize,
}

/// A started authorization: where the user goes, the state that comes back with them, and the
/// code verifier the code exchange needs.
#[derive(Debug)]
pub(crate) struct Authorization {
    pub location: String,
    pub state: String,
    pub code_verifier: Secret,
}

impl Client {
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            timeout: self.timeout,
            max_reply_bytes: self.max_reply_bytes,
        }
    }

    /// A fresh authorization request: a random state (128 bits) and PKCE S256 with a random
    /// code verifier (256 bits).
    pub(crate) fn authorize(&self) -> Authorization {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = BasicClient::new(ClientId::new(self.id.clone()))
            .set_auth_uri(self.authorize_url.clone())
            .set_redirect_uri(self.redirect_uri.clone())
            .authorize_url(CsrfToken::new_random)
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        Authorization {
            location: with_spaces_as_percent_20(url),
            state: state.secret().clone(),
            code_verifier: Secret::new(verifier.secret().as_str()),
        }
    }
}

/// The URL with its query encoded as X wants it: a space as `%20`, never `+` (the scope list is
/// space-separated, and X refuses `+`).
fn with_spaces_as_percent_20(mut url: Url) -> String {
    let encode = |text: &str| -> String {
        url::form_urlencoded::byte_serialize(text.as_bytes())
            .collect::<String>()
            // A literal `+` was encoded as `%2B`: each `+` left is a space.
            .replace('+', "%20")
    };
    let query: Vec<String> = url
        .query_pairs()
        .map(|(name, value)| format!("{}={}", encode(&name), encode(&value)))
        .collect();
    url.set_query(Some(&query.join("&")));
    url.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client {
            id: "client-id".into(),
            secret: None,
            redirect_uri: RedirectUrl::new("HTTP://127.0.0.1:8080/cb".into()).unwrap(),
            authorize_url: AuthUrl::new(DEFAULT_AUTHORIZE_URL.into()).unwrap(),
            token_url: Url::parse("https://api.x.com/2/oauth2/token").unwrap(),
            users_me_url: Url::parse("https://api.x.com/2/users/me").unwrap(),
            scopes: vec!["tweet.read".into(), "users.read".into()],
            user_fields: "id,name,username".into(),
            timeout: Duration::from_secs(1),
            max_reply_bytes: 1024,
        }
    }

    fn query(url: &str) -> Vec<(String, String)> {
        let url = Url::parse(url).unwrap();
        url.query_pairs().into_owned().collect()
    }

    #[test]
    fn the_authorization_request_is_x_s_with_s256_and_fresh_secrets() {
        let client = client();
        let first = client.authorize();
        let second = client.authorize();
        assert!(
            first.location.starts_with(DEFAULT_AUTHORIZE_URL),
            "{}",
            first.location
        );
        let pairs = query(&first.location);
        let get = |name: &str| {
            let values: Vec<&str> = pairs
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect();
            assert_eq!(values.len(), 1, "{name} once in {}", first.location);
            values[0].to_owned()
        };
        assert_eq!(get("response_type"), "code");
        assert_eq!(get("client_id"), "client-id");
        assert_eq!(
            get("redirect_uri"),
            "HTTP://127.0.0.1:8080/cb",
            "exactly as registered"
        );
        assert_eq!(get("scope"), "tweet.read users.read");
        assert!(
            first.location.contains("scope=tweet.read%20users.read"),
            "spaces as %20: {}",
            first.location
        );
        assert!(!first.location.contains('+'), "{}", first.location);
        assert_eq!(get("code_challenge_method"), "S256");
        assert_eq!(get("state"), first.state);
        // 128 bits of state and 256 of code verifier, base64url without padding.
        assert!(first.state.len() >= 22, "{}", first.state);
        assert!(first.code_verifier.expose().len() >= 43);
        assert_ne!(first.state, second.state);
        assert_ne!(first.code_verifier.expose(), second.code_verifier.expose());
        assert!(!first.location.contains(first.code_verifier.expose()));
    }
}
