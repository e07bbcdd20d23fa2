//! Helpers that drive the provider's OAuth 2.0 side over real HTTP: authorization requests,
//! approvals, token calls as a confidential or a public client, and bearer calls.

use std::collections::HashMap;

use base64::{engine::general_purpose::STANDARD, Engine as _};

use super::support::*;
use crate::{
    signature::{parse_form, percent_encode},
    MockProviderBuilder, OAuth2Client, RunningProvider,
};

pub const CLIENT_ID: &str = "test-oauth2-client-id";
pub const CLIENT_SECRET: &str = "test-oauth2-client-secret";
pub const PUBLIC_CLIENT_ID: &str = "test-oauth2-public-client-id";
/// RFC 7636 Appendix B's code verifier and its S256 code challenge, written out.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
/// A state with characters that need encoding, to check it comes back intact.
pub const STATE: &str = "st=ate & ~ä/?";
/// The scopes `GET /2/users/me` needs.
pub const USERS_ME: &str = "tweet.read users.read";
pub const TOKEN: &str = "/2/oauth2/token";
pub const REVOKE: &str = "/2/oauth2/revoke";
/// RFC 8693's grant type, and X's token type for an OAuth 1.0a access token.
pub const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const OAUTH1_TOKEN: &str = "urn:x:params:oauth:token-type:oauth1_token";
pub const V2_UNAUTHORIZED: &str =
    r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#;

/// Which kind of OAuth 2.0 client a test plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// `CLIENT_ID` with `CLIENT_SECRET`, authenticating with HTTP Basic.
    Confidential,
    /// `PUBLIC_CLIENT_ID`, sending `client_id` in the body.
    Public,
}

impl Caller {
    pub fn client_id(self) -> &'static str {
        match self {
            Self::Confidential => CLIENT_ID,
            Self::Public => PUBLIC_CLIENT_ID,
        }
    }

    pub fn client(self) -> OAuth2Client {
        match self {
            Self::Confidential => OAuth2Client::confidential(CLIENT_ID, CLIENT_SECRET),
            Self::Public => OAuth2Client::public(PUBLIC_CLIENT_ID),
        }
    }

    /// The standard provider (see [`builder`]) with this client.
    pub fn builder(self) -> MockProviderBuilder {
        builder().oauth2_client(self.client())
    }

    pub async fn start(self) -> RunningProvider {
        self.builder().start().await.expect("the provider starts")
    }

    /// `POST path` with `form`, authenticated as this client.
    pub async fn post(
        self,
        provider: &RunningProvider,
        path: &str,
        form: &[(&str, &str)],
    ) -> Reply {
        match self {
            Self::Confidential => {
                let auth = basic(CLIENT_ID, CLIENT_SECRET);
                post(provider, path, Some(&auth), form).await
            }
            Self::Public => {
                let mut form = form.to_vec();
                form.push(("client_id", PUBLIC_CLIENT_ID));
                post(provider, path, None, &form).await
            }
        }
    }

    /// Exchanges `code` with the standard redirect URI and `verifier`.
    pub async fn exchange(self, provider: &RunningProvider, code: &str, verifier: &str) -> Reply {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", verifier),
        ];
        self.post(provider, TOKEN, &form).await
    }

    /// Exchanges OAuth 1.0a token credentials for OAuth 2.0 tokens, with extra form parameters.
    pub async fn exchange_oauth1(
        self,
        provider: &RunningProvider,
        token: &str,
        secret: &str,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut form = vec![
            ("grant_type", TOKEN_EXCHANGE),
            ("subject_token", token),
            ("subject_token_type", OAUTH1_TOKEN),
            ("oauth_token_secret", secret),
        ];
        form.extend_from_slice(extra);
        self.post(provider, TOKEN, &form).await
    }

    /// The whole flow for `user` with `scope`: the token response, checked to be a 200.
    pub async fn login(self, provider: &RunningProvider, scope: &str, user: &str) -> Tokens {
        let request = AuthRequest::new(self.client_id()).set("scope", scope);
        let code = code_for(provider, &request, user).await;
        let reply = self.exchange(provider, &code, VERIFIER).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        Tokens(reply.json())
    }
}

/// A token response.
#[derive(Debug, Clone)]
pub struct Tokens(pub serde_json::Value);

impl Tokens {
    pub fn access_token(&self) -> &str {
        self.0["access_token"].as_str().expect("an access token")
    }

    pub fn refresh_token(&self) -> &str {
        self.0["refresh_token"].as_str().expect("a refresh token")
    }
}

/// `Basic base64(id:secret)`.
pub fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// An authorization request's parameters, valid unless changed.
#[derive(Debug, Clone)]
pub struct AuthRequest(Vec<(String, String)>);

impl AuthRequest {
    /// `response_type=code`, the client, the standard callback, `tweet.read users.read`,
    /// [`STATE`], and [`CHALLENGE`] with `S256`.
    pub fn new(client_id: &str) -> Self {
        Self(
            [
                ("response_type", "code"),
                ("client_id", client_id),
                ("redirect_uri", CALLBACK),
                ("scope", USERS_ME),
                ("state", STATE),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ]
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect(),
        )
    }

    /// The same request with `name` set to `value` (replaced, or added).
    pub fn set(mut self, name: &str, value: &str) -> Self {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(pair) => pair.1 = value.to_owned(),
            None => self.0.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    /// The same request with `name` sent once more, as `value`.
    pub fn repeat(mut self, name: &str, value: &str) -> Self {
        self.0.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The same request without `name`.
    pub fn without(mut self, name: &str) -> Self {
        self.0.retain(|(n, _)| n != name);
        self
    }

    /// The query string.
    pub fn query(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// `GET /i/oauth2/authorize[/approve|/deny]?<request>[&user=<user>]`.
pub async fn visit(
    provider: &RunningProvider,
    path: &str,
    request: &AuthRequest,
    user: Option<&str>,
) -> Reply {
    let mut query = request.query();
    if let Some(user) = user {
        query.push_str(&format!("&user={}", percent_encode(user)));
    }
    get(provider, &format!("{path}?{query}"), None).await
}

/// The part of a redirect's `Location` before its query, and its decoded query parameters.
pub fn redirect_params(reply: &Reply) -> (String, HashMap<String, String>) {
    assert_eq!(reply.status, 302, "{reply:?}");
    let location = reply.location.as_deref().expect("a Location header");
    let (base, query) = location.split_once('?').unwrap_or((location, ""));
    let query = query.split('#').next().unwrap_or_default();
    let params = parse_form(query).expect("a query").into_iter().collect();
    (base.to_owned(), params)
}

/// Approves `request` as `user` and returns the authorization code, checking the state.
pub async fn code_for(provider: &RunningProvider, request: &AuthRequest, user: &str) -> String {
    let reply = visit(provider, "/i/oauth2/authorize/approve", request, Some(user)).await;
    let (base, params) = redirect_params(&reply);
    assert_eq!(base, CALLBACK);
    assert_eq!(params["state"], STATE);
    params["code"].clone()
}

/// `GET path` with `Authorization: Bearer <token>`.
pub async fn get_bearer(provider: &RunningProvider, path: &str, token: &str) -> Reply {
    get(provider, path, Some(&format!("Bearer {token}"))).await
}

/// Checks an OAuth 2.0 error reply: status, `error`, and a description.
pub fn assert_oauth_error(reply: &Reply, status: u16, error: &str) {
    assert_eq!(reply.status, status, "{reply:?}");
    assert!(
        reply.content_type.starts_with("application/json"),
        "{reply:?}"
    );
    let body = reply.json();
    assert_eq!(body["error"], error, "{reply:?}");
    assert!(body["error_description"].is_string(), "{reply:?}");
}
