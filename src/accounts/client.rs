//! The app as a client of X outside a login: the OAuth 2.0 client (refresh, revoke, token
//! exchange) and the OAuth 1.0a client credentials (invalidating token credentials), with the
//! provider URLs and the limits every call runs under.

use std::time::Duration;

use url::Url;

use crate::{
    credentials::Secret,
    oauth1::{ClientCredentials, SignedUrl},
    provider::Limits,
};

/// The OAuth 2.0 client: its id, its secret when confidential, and X's token endpoints.
#[derive(Debug)]
pub(crate) struct OAuth2Client {
    pub id: String,
    /// `None` for a public client, which sends its `client_id` in the body.
    pub secret: Option<Secret>,
    /// `POST /2/oauth2/token`: refresh and token exchange.
    pub token_url: Url,
    /// `POST /2/oauth2/revoke`.
    pub revoke_url: Url,
}

/// The OAuth 1.0a client: its credentials and `POST /1.1/oauth/invalidate_token`.
#[derive(Debug)]
pub(crate) struct OAuth1Client {
    pub credentials: ClientCredentials,
    pub invalidate_url: SignedUrl,
}

/// Everything [`Accounts`](super::Accounts) needs to call X.
#[derive(Debug)]
pub(crate) struct XClient {
    pub oauth2: Option<OAuth2Client>,
    pub oauth1: Option<OAuth1Client>,
    pub limits: Limits,
    /// How long before its expiry an access token is refreshed.
    pub refresh_margin: Duration,
}

impl XClient {
    /// The OAuth 2.0 client, or the error that says it is missing.
    pub(crate) fn oauth2(&self) -> Result<&OAuth2Client, super::AccountError> {
        self.oauth2
            .as_ref()
            .ok_or(super::AccountError::NoClient("OAuth 2.0"))
    }

    /// The OAuth 1.0a client, or the error that says it is missing.
    pub(crate) fn oauth1(&self) -> Result<&OAuth1Client, super::AccountError> {
        self.oauth1
            .as_ref()
            .ok_or(super::AccountError::NoClient("OAuth 1.0a"))
    }
}
